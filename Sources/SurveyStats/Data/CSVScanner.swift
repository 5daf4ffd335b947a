import Foundation

/// Receives the fields of a CSV chunk. Offsets point into the scanner's buffer; nothing is copied.
protocol CSVFieldSink {
    /// Field `column` (0-based, always < the header's column count) spans `start..<end`; `escaped` means it was
    /// quoted and holds doubled quotes that must be undone. `line` is the chunk-local 0-based line of the row.
    /// Returns false to stop the scan (the sink recorded an error).
    mutating func field(_ column: Int, _ start: Int, _ end: Int, escaped: Bool, line: Int) -> Bool
    /// A complete row was delivered.
    mutating func endRow()
}

/// A structural error found while scanning (unterminated quote, ragged row, …), with chunk-local line.
struct CSVScanError: Error {
    var line: Int          // chunk-local, 0-based
    var column: Int?       // 1-based field number
    var message: String
}

/// The outcome of scanning one chunk.
struct CSVChunkScan {
    /// Offset just after the last row scanned (a row boundary, or the end of the buffer).
    var end: Int
    /// Newlines consumed (including those inside quoted fields).
    var lines: Int
    var rows: Int
    var error: CSVScanError?
}

/// Byte-level RFC 4180 scanner (plus bare CR line ends and lenient bare quotes inside unquoted fields).
struct CSVScanner {
    let p: UnsafePointer<UInt8>
    let count: Int
    let delimiter: UInt8
    /// Number of fields every row must have (Int.max while reading the header).
    let columns: Int

    static let quote = UInt8(ascii: "\"")
    static let lf: UInt8 = 0x0A
    static let cr: UInt8 = 0x0D

    /// Scans rows beginning at `start` for as long as a row begins before `stop`; the last row is read to its end
    /// even past `stop`. Fully empty lines are skipped when there is more than one column.
    func scan<S: CSVFieldSink>(from start: Int, stop: Int, sink: inout S, maxRows: Int = .max) -> CSVChunkScan {
        let n = self.count
        var pos = start
        var line = 0
        var rows = 0
        while pos < stop && pos < n && rows < maxRows {
            if skipEmptyLine(&pos, &line) { continue }
            let rowLine = line
            var column = 0
            rowLoop: while true {
                let fs: Int, fe: Int, escaped: Bool
                switch nextField(&pos, &line, column: column) {
                case let .field(start, end, isEscaped): (fs, fe, escaped) = (start, end, isEscaped)
                case let .failure(end, error): return CSVChunkScan(end: end, lines: line, rows: rows, error: error)
                }
                if column >= columns {
                    return CSVChunkScan(end: pos, lines: line, rows: rows, error: tooManyFields(line: rowLine))
                }
                if !sink.field(column, fs, fe, escaped: escaped, line: rowLine) {
                    return CSVChunkScan(end: pos, lines: line, rows: rows, error: nil)
                }
                column += 1
                if !advancePastField(&pos, &line) { break rowLoop }
            }
            if column != columns && columns != .max {
                return CSVChunkScan(end: pos, lines: line, rows: rows, error: wrongFieldCount(column, line: rowLine))
            }
            sink.endRow()
            rows += 1
        }
        return CSVChunkScan(end: pos, lines: line, rows: rows, error: nil)
    }

    /// Skips a fully empty line at `pos` (it is not a row) unless the file has a single column, where an empty
    /// line is a missing value — except the last line of the file: a blank line at the very end (`1\n2\n\n`) is
    /// not a row. Returns true when a line was skipped.
    @inline(__always)
    func skipEmptyLine(_ pos: inout Int, _ line: inout Int) -> Bool {
        let first = p[pos]
        guard first == Self.lf || first == Self.cr else { return false }
        var next = pos + 1
        if first == Self.cr && next < count && p[next] == Self.lf { next += 1 }
        guard columns > 1 || next >= count else { return false }
        pos = next; line += 1
        return true
    }

    /// After a field: consumes the delimiter (true: the row goes on) or the line end / end of buffer (false).
    @inline(__always)
    func advancePastField(_ pos: inout Int, _ line: inout Int) -> Bool {
        guard pos < count else { return false }
        let c = p[pos]
        pos += 1
        if c == delimiter { return true }
        if c == Self.cr && pos < count && p[pos] == Self.lf { pos += 1 }
        line += 1
        return false
    }

    func tooManyFields(line: Int) -> CSVScanError {
        CSVScanError(line: line, column: columns + 1, message: "row has more fields than the header's \(columns)")
    }

    func wrongFieldCount(_ fields: Int, line: Int) -> CSVScanError {
        // Too few fields: the column named is the first one missing (field `fields + 1`), not the last present.
        CSVScanError(line: line, column: fields < columns ? fields + 1 : fields,
                     message: "row has \(fields) field\(fields == 1 ? "" : "s"), expected \(columns) as in the header")
    }

    /// One field's place in the buffer, or the structural error that ends the scan (with the offset to report).
    enum FieldScan {
        case field(start: Int, end: Int, escaped: Bool)
        case failure(end: Int, CSVScanError)
    }

    /// Scans the field that begins at `pos` (quoted or not) and leaves `pos` on the byte after it (a delimiter,
    /// a line end, or the end of the buffer); `line` counts newlines inside quotes. The one field scanner of both
    /// `scan` and `scanNumeric`, so both accept the same files and report the same errors.
    @inline(__always)
    func nextField(_ pos: inout Int, _ line: inout Int, column: Int) -> FieldScan {
        let p = self.p, n = self.count, delim = self.delimiter
        // Spaces and tabs before an opening quote are not part of the field (` "x"` is `x`): see `quotedContent`.
        if pos < n && Self.isBlank(p[pos]) {
            let q = Self.skipBlanks(p, from: pos, limit: n)
            if q < n && p[q] == Self.quote { pos = q }
        }
        guard pos < n && p[pos] == Self.quote else {
            let fs = pos
            while pos < n {
                let c = p[pos]
                if c == delim || c == Self.lf || c == Self.cr { break }
                pos += 1
            }
            return .field(start: fs, end: pos, escaped: false)
        }
        let quoteLine = line
        var escaped = false
        pos += 1
        let fs = pos
        while true {
            while pos < n && p[pos] != Self.quote {
                let c = p[pos]
                // A line end inside the quotes: LF, or a lone CR (a CR-only file; a CRLF counts at its LF).
                if c == Self.lf || (c == Self.cr && (pos + 1 >= n || p[pos + 1] != Self.lf)) { line += 1 }
                pos += 1
            }
            if pos >= n {
                return .failure(end: n, CSVScanError(
                    line: quoteLine, column: column + 1,
                    message: "unterminated quoted field (opening quote has no closing quote)"))
            }
            if pos + 1 < n && p[pos + 1] == Self.quote { escaped = true; pos += 2; continue }
            break
        }
        let fe = pos
        pos = Self.skipBlanks(p, from: pos + 1, limit: n)   // spaces and tabs after the closing quote are ignored
        if pos < n {
            let c = p[pos]
            if c != delim && c != Self.lf && c != Self.cr {
                return .failure(end: pos, CSVScanError(
                    line: line, column: column + 1, message: Self.afterClosingQuoteMessage(c)))
            }
        }
        return .field(start: fs, end: fe, escaped: escaped)
    }

    // MARK: Quoted fields: the rule shared by `CSVReader` and `StreamingCSVScanner`
    //
    // A field is quoted when its first byte other than spaces and tabs is `"`. Spaces and tabs around a quoted
    // field are ignored (` "x" ` is `x`, as Python's csv with skipinitialspace and R's read.csv with strip.white
    // read it); anything else after the closing quote is an error. An unquoted field is kept as it is, spaces
    // included, and a `"` inside it is an ordinary byte. Both engines call these helpers, so they give the same
    // values and the same errors on the same bytes.

    @inline(__always) static func isBlank(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 }

    /// The first offset at or after `pos` (below `limit`) that is not a space or tab.
    @inline(__always)
    static func skipBlanks(_ p: UnsafePointer<UInt8>, from pos: Int, limit: Int) -> Int {
        var i = pos
        while i < limit && isBlank(p[i]) { i += 1 }
        return i
    }

    /// Whether a `"` at `pos` opens a quoted field that began at `fieldStart` (only spaces and tabs before it).
    @inline(__always)
    static func opensQuotedField(_ p: UnsafePointer<UInt8>, fieldStart: Int, quoteAt pos: Int) -> Bool {
        skipBlanks(p, from: fieldStart, limit: pos) == pos
    }

    static func afterClosingQuoteMessage(_ c: UInt8) -> String {
        "unexpected character '\(printable(c))' after a closing quote"
    }

    /// A complete quoted field `start..<end` (a delimiter or line end at `end`): its content between the quotes
    /// (doubled quotes not yet undone), or the message for bytes other than spaces and tabs after the closing
    /// quote. `nil` when the field is not quoted.
    enum QuotedContent { case content(start: Int, end: Int), error(String) }
    static func quotedContent(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> QuotedContent? {
        let open = skipBlanks(p, from: start, limit: end)
        guard open < end && p[open] == quote else { return nil }
        var i = open + 1
        while i < end {
            if p[i] == quote {
                if i + 1 < end && p[i + 1] == quote { i += 2; continue }
                break
            }
            i += 1
        }
        let after = skipBlanks(p, from: min(i + 1, end), limit: end)
        if after < end { return .error(afterClosingQuoteMessage(p[after])) }
        return .content(start: open + 1, end: min(i, end))
    }

    /// Undoes doubled quotes of `start..<end` into `out` (emptied first).
    @inline(__always)
    static func unescape(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, into out: inout [UInt8]) {
        out.removeAll(keepingCapacity: true)
        var i = start
        while i < end {
            let c = p[i]
            out.append(c)
            i += (c == quote && i + 1 < end && p[i + 1] == quote) ? 2 : 1
        }
    }

    /// The first row boundary at or after `position`, assuming `position` is outside quotes iff `outsideQuotes`.
    /// Used to guess where a parallel chunk starts; the guess is verified afterwards.
    func rowBoundary(after position: Int, outsideQuotes: Bool) -> Int {
        var inQuotes = !outsideQuotes
        var pos = position
        while pos < count {
            let c = p[pos]
            if c == Self.quote { inQuotes.toggle() }
            else if c == Self.lf && !inQuotes { return pos + 1 }
            else if c == Self.cr && !inQuotes && pos + 1 < count && p[pos + 1] != Self.lf { return pos + 1 }  // lone CR
            pos += 1
        }
        return count
    }

    /// Undoes doubled quotes of a quoted field into `out`.
    func unescape(_ start: Int, _ end: Int, into out: inout [UInt8]) {
        Self.unescape(p, start, end, into: &out)
    }

    func string(_ start: Int, _ end: Int, escaped: Bool) -> String {
        if !escaped {
            return String(decoding: UnsafeBufferPointer(start: p + start, count: end - start), as: UTF8.self)
        }
        var buffer = [UInt8]()
        unescape(start, end, into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }

    static func printable(_ c: UInt8) -> String {
        c >= 0x20 && c < 0x7F ? String(UnicodeScalar(c)) : String(format: "\\x%02X", c)
    }
}
