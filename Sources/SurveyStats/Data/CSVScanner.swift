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
        let p = self.p, n = self.count, delim = self.delimiter
        var pos = start
        var line = 0
        var rows = 0
        while pos < stop && pos < n && rows < maxRows {
            // Empty line: skip (it is not a row) unless the file has a single column, where it is a missing value.
            let first = p[pos]
            if (first == Self.lf || first == Self.cr) && columns > 1 {
                if first == Self.cr && pos + 1 < n && p[pos + 1] == Self.lf { pos += 1 }
                pos += 1; line += 1
                continue
            }
            let rowLine = line
            var column = 0
            rowLoop: while true {
                var fs: Int, fe: Int
                var escaped = false
                if pos < n && p[pos] == Self.quote {
                    let quoteLine = line
                    pos += 1
                    fs = pos
                    while true {
                        while pos < n && p[pos] != Self.quote {
                            if p[pos] == Self.lf { line += 1 }
                            pos += 1
                        }
                        if pos >= n {
                            return CSVChunkScan(end: n, lines: line, rows: rows, error: CSVScanError(
                                line: quoteLine, column: column + 1,
                                message: "unterminated quoted field (opening quote has no closing quote)"))
                        }
                        if pos + 1 < n && p[pos + 1] == Self.quote { escaped = true; pos += 2; continue }
                        break
                    }
                    fe = pos
                    pos += 1
                    if pos < n {
                        let c = p[pos]
                        if c != delim && c != Self.lf && c != Self.cr {
                            return CSVChunkScan(end: pos, lines: line, rows: rows, error: CSVScanError(
                                line: line, column: column + 1,
                                message: "unexpected character '\(Self.printable(c))' after a closing quote"))
                        }
                    }
                } else {
                    fs = pos
                    while pos < n {
                        let c = p[pos]
                        if c == delim || c == Self.lf || c == Self.cr { break }
                        pos += 1
                    }
                    fe = pos
                }
                if column >= columns {
                    return CSVChunkScan(end: pos, lines: line, rows: rows, error: CSVScanError(
                        line: rowLine, column: column + 1,
                        message: "row has more fields than the header's \(columns)"))
                }
                if !sink.field(column, fs, fe, escaped: escaped, line: rowLine) {
                    return CSVChunkScan(end: pos, lines: line, rows: rows, error: nil)
                }
                column += 1
                if pos >= n { break rowLoop }
                let c = p[pos]
                pos += 1
                if c == delim { continue rowLoop }
                if c == Self.cr && pos < n && p[pos] == Self.lf { pos += 1 }
                line += 1
                break rowLoop
            }
            if column != columns && columns != .max {
                return CSVChunkScan(end: pos, lines: line, rows: rows, error: CSVScanError(
                    line: rowLine, column: column,
                    message: "row has \(column) field\(column == 1 ? "" : "s"), expected \(columns) as in the header"))
            }
            sink.endRow()
            rows += 1
        }
        return CSVChunkScan(end: pos, lines: line, rows: rows, error: nil)
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
            pos += 1
        }
        return count
    }

    /// Undoes doubled quotes of a quoted field into `out`.
    func unescape(_ start: Int, _ end: Int, into out: inout [UInt8]) {
        out.removeAll(keepingCapacity: true)
        var i = start
        while i < end {
            let c = p[i]
            out.append(c)
            i += (c == Self.quote && i + 1 < end && p[i + 1] == Self.quote) ? 2 : 1
        }
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
