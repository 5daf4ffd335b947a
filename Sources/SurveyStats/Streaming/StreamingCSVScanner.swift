#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch

/// A byte-level CSV scanner for one-pass analyses that never hold the file in memory.
///
/// Why a separate scanner from the `Dataset` reader: the streaming engines only need a few columns and fold each
/// record into small count tables, so they read the file in fixed 1 MiB blocks with `pread` (peak memory stays
/// O(block + tables) however many rows the file has) and split it into byte ranges at line boundaries so that
/// both cores count in parallel; per-range tables are merged afterwards, which is exact for counts.
///
/// Splitting at newlines is only valid when no field is quoted (a quoted field may contain a newline). Workers
/// therefore stop at the first `"` they meet, and the whole file is then scanned again sequentially by the
/// quote-aware path, which handles `"..."` fields with `""` escapes and embedded delimiters/newlines.
///
/// Encoding: every byte that is read is checked to be UTF-8 (as `CSVReader` checks the whole file), also in
/// columns the analysis does not use; a file that is not is reported as `CSVReader` reports it, at the file's own
/// line and column, or — a file that is Windows-1252 under `encoding` `.auto` — with `notUTF8Message`.
public struct StreamingCSVScanner: Sendable {
    /// Path of the file, used in error messages.
    public let path: String
    /// Field delimiter: `,` or `;` (Norwegian Excel), detected from the header unless given.
    public let delimiter: UInt8
    /// Column names from the header row.
    public let header: [String]
    /// Byte offset of the first data record.
    let dataStart: Int
    let fileSize: Int
    /// Number of parallel workers (defaults to the number of active processors).
    public var workers: Int
    /// Bytes read per `pread`.
    public var blockSize: Int = 1 << 20
    /// Below this many bytes per worker the file is scanned by fewer workers (threads cost more than they save).
    public var minimumBytesPerWorker: Int = 1 << 22
    /// The file's encoding as `CSVOptions.encoding` has it: `.auto` and `.utf8` check that every byte is UTF-8
    /// (`.windows1252` is not streamed by the command line; bytes are not checked).
    public var encoding: TextEncoding = .auto
    /// Whether the header row (after a byte-order mark) is valid UTF-8.
    let headerIsUTF8: Bool

    /// Opens `path`, reads its header row and detects the delimiter.
    public init(path: String, delimiter: UInt8? = nil, workers: Int? = nil) throws {
        self.path = path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw DataError.io(path: path, message: String(cString: strerror(errno))) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw DataError.io(path: path, message: String(cString: strerror(errno))) }
        fileSize = Int(st.st_size)
        try FileSignature.rejectUTF16(path: path)
        if StreamingCSVScanner.endsLinesWithLoneCR(fd: fd) {
            throw DataError.invalid(StreamingCSVScanner.loneCRMessage(path))
        }
        // Header: read until the first newline (headers are short; allow up to 16 MiB).
        var head: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        var off = 0
        var nl: Int? = nil
        while nl == nil && off < fileSize && head.count < (1 << 24) {
            let got = chunk.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 65536, off_t(off)) }
            if got <= 0 { break }
            if let i = chunk[0..<got].firstIndex(of: 10) { head += chunk[0..<i]; nl = off + i }
            else { head += chunk[0..<got] }
            off += got
        }
        if head.starts(with: [0xEF, 0xBB, 0xBF]) { head.removeFirst(3) }  // UTF-8 byte-order mark from Excel
        headerIsUTF8 = head.withUnsafeBufferPointer { b in
            b.baseAddress.map { EncodingSupport.firstInvalidUTF8($0, b.count) == nil } ?? true
        }
        guard !head.isEmpty || nl != nil else { throw DataError.invalid(CSVReader.emptyFileMessage(path)) }
        dataStart = (nl ?? fileSize) + 1
        if head.last == 13 { head.removeLast() }
        let d: UInt8
        if let delimiter { d = delimiter } else {
            let semis = head.filter { $0 == 59 }.count, commas = head.filter { $0 == 44 }.count
            d = semis > commas ? 59 : 44
        }
        self.delimiter = d
        header = StreamingCSVScanner.splitHeader(head, delimiter: d)
        self.workers = max(1, workers ?? ProcessInfo_activeProcessorCount())
    }

    /// Whether the file's first line ends in a lone CR (old Mac Excel «CSV (Macintosh)»): the streaming scanner
    /// splits records at LF (a CRLF's CR is dropped), so such a file must be read by `CSVReader`. Decided from the
    /// first 64 KiB: a CR not followed by LF before any LF.
    public static func endsLinesWithLoneCR(path: String) -> Bool {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return endsLinesWithLoneCR(fd: fd)
    }

    static func endsLinesWithLoneCR(fd: Int32) -> Bool {
        var head = [UInt8](repeating: 0, count: 65536)
        let got = head.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 65536, 0) }
        guard got > 0 else { return false }
        var inQuotes = false
        for i in 0..<got {
            let c = head[i]
            if c == 34 { inQuotes.toggle() } else if !inQuotes && c == 10 { return false }
            else if !inQuotes && c == 13 {
                if i + 1 < got { return head[i + 1] != 10 }
                return got < 65536   // a CR as the file's last byte; at the sample's edge, undecided (LF assumed)
            }
        }
        return false
    }

    /// The error for a file with lone-CR line ends given to the streaming engine.
    public static func loneCRMessage(_ path: String) -> String {
        "\(path): lines end in CR only (old Mac Excel «CSV (Macintosh)»); the streaming engine reads LF or CRLF "
            + "line ends: use --engine memory"
    }

    static func splitHeader(_ bytes: [UInt8], delimiter: UInt8) -> [String] {
        var names: [String] = []
        var field: [UInt8] = []
        var inQuotes = false
        var i = 0
        while i < bytes.count {
            let c = bytes[i]
            if inQuotes {
                if c == 34 {
                    if i + 1 < bytes.count && bytes[i + 1] == 34 { field.append(34); i += 1 } else { inQuotes = false }
                } else { field.append(c) }
            } else if c == 34 { inQuotes = true }
            else if c == delimiter { names.append(String(decoding: field, as: UTF8.self)); field = [] }
            else { field.append(c) }
            i += 1
        }
        names.append(String(decoding: field, as: UTF8.self))
        return names.map { $0.trimmingSpaces() }
    }

    /// Index of the column called `name`, or an error listing the available names.
    public func columnIndex(_ name: String) throws -> Int {
        guard let i = header.firstIndex(of: name) else {
            throw DataError.unknownVariable(name: name, source: path, available: header)
        }
        return i
    }

    /// The 1-based line number of the record starting at byte `offset` (counts newlines; used on error paths only).
    func lineNumber(ofByte offset: Int) -> Int {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return 0 }
        defer { close(fd) }
        var buf = [UInt8](repeating: 0, count: 1 << 20)
        var lines = 1, off = 0
        while off < offset {
            let want = min(buf.count, offset - off)
            let got = buf.withUnsafeMutableBytes { pread(fd, $0.baseAddress, want, off_t(off)) }
            if got <= 0 { break }
            for i in 0..<got where buf[i] == 10 { lines += 1 }
            off += got
        }
        return lines
    }

    /// The end of `notUTF8Message`'s error: what to do about it.
    public static let notUTF8Message = "not UTF-8 (Windows-1252 files are transcoded whole when loaded)"

    /// Whether the scan checks that the bytes are UTF-8.
    var checksUTF8: Bool { encoding != .windows1252 }

    /// The error for a file that is not valid UTF-8, as `CSVReader` words it (the first bad byte's line and
    /// column in the file), or — under `.auto`, for a file without a byte-order mark or UTF-8 text, which
    /// `CSVReader` would read as Windows-1252 — one whose message contains `notUTF8Message`; nil for a UTF-8 file.
    /// Reads the whole file (mapped): error paths only.
    public func encodingError() -> DataError? {
        checksUTF8 ? Self.encodingError(path: path, encoding: encoding) : nil
    }

    /// `encodingError()` for the file at `path` read with `encoding` (`.auto` or `.utf8`).
    public static func encodingError(path: String, encoding: TextEncoding) -> DataError? {
        guard let file = try? MappedFile(path: path), file.count > 0 else { return nil }
        var base = file.base, count = file.count, hadBOM = false
        if count >= 3 && base[0] == 0xEF && base[1] == 0xBB && base[2] == 0xBF { base += 3; count -= 3; hadBOM = true }
        guard let bad = EncodingSupport.firstInvalidUTF8(base, count) else { return nil }
        return CSVReader.invalidUTF8Error(at: bad, in: base, count, source: path, encoding: encoding, hadBOM: hadBOM)
            ?? DataError.invalid("\(path): the file is \(notUTF8Message); the streaming engine reads UTF-8: "
                                 + "use --engine memory")
    }

    /// Throws the error for a scan that did not complete: an encoding error first (`CSVReader` checks the
    /// whole file's encoding before anything else about its rows), else the outcome's.
    func fail(_ outcome: ScanOutcome) throws -> Never {
        if let e = encodingError() { throw e }
        switch outcome {
        case .failed(let offset, let column, let message):
            throw DataError.malformed(source: path, line: lineNumber(ofByte: offset),
                                      column: column.map { $0 + 1 }, message: message)
        case .badByte(let offset):   // not reached: `encodingError` found the byte
            throw DataError.malformed(source: path, line: lineNumber(ofByte: offset), column: nil,
                                      message: "byte is not valid UTF-8")
        case .ok, .quoteSeen:
            throw DataError.invalid("\(path): internal error: the scan stopped without a reason")
        }
    }

    /// Scans all data records, calling `makeSink` once per worker and feeding it fields; returns the sinks in
    /// file order so that the caller can merge them. Falls back to one sequential quote-aware pass when a `"`
    /// appears anywhere in the data.
    public func scan<Sink: RecordSink>(_ makeSink: () -> Sink) throws -> [Sink] {
        if checksUTF8 && !headerIsUTF8 { try fail(.ok) }
        let total = fileSize - dataStart
        if total <= 0 { return [makeSink()] }
        let k = min(workers, max(1, total / max(1, minimumBytesPerWorker)))
        if k > 1 {
            let bounds = try rangeBounds(parts: k)
            var sinks = (0..<k).map { _ in makeSink() }
            var outcomes = [ScanOutcome](repeating: .ok, count: k)
            let scanner = self
            sinks.withUnsafeMutableBufferPointer { sp in
                outcomes.withUnsafeMutableBufferPointer { op in
                    let sinkBase = sp.baseAddress!, outBase = op.baseAddress!
                    DispatchQueue.concurrentPerform(iterations: k) { i in
                        outBase[i] = scanner.fastScanRange(bounds[i], bounds[i + 1], sink: &sinkBase[i])
                    }
                }
            }
            var sawQuote = false
            for o in outcomes {
                switch o {
                case .ok: break
                case .quoteSeen: sawQuote = true
                case .failed, .badByte: try fail(o)
                }
            }
            if !sawQuote { return sinks }
        }
        var sink = makeSink()
        let outcome = scanRange(dataStart, fileSize, quoteAware: true, sink: &sink)
        switch outcome {
        case .ok, .quoteSeen: return [sink]
        case .failed, .badByte: try fail(outcome)
        }
    }

    /// Start offsets of `parts` byte ranges, each moved forward to just after a newline.
    func rangeBounds(parts: Int) throws -> [Int] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw DataError.io(path: path, message: String(cString: strerror(errno))) }
        defer { close(fd) }
        var b = [dataStart]
        var buf = [UInt8](repeating: 0, count: 65536)
        let total = fileSize - dataStart
        for i in 1..<parts {
            var off = dataStart + total * i / parts
            var found = false
            while !found && off < fileSize {
                let got = buf.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 65536, off_t(off)) }
                if got <= 0 { break }
                if let j = buf[0..<got].firstIndex(of: 10) { off += j + 1; found = true } else { off += got }
            }
            b.append(max(min(off, fileSize), b.last!))
        }
        b.append(fileSize)
        return b
    }

    /// A line with the wrong number of fields, worded as `CSVReader` words it.
    func fieldCountMessage(_ fields: Int) -> String {
        if fields > header.count { return "row has more fields than the header's \(header.count)" }
        return "row has \(fields) field\(fields == 1 ? "" : "s"), expected \(header.count) as in the header"
            + (fields < header.count ? " (column '\(header[fields])')" : "")   // the first missing column
    }

    /// `badByte`: the byte at the file offset is not UTF-8.
    enum ScanOutcome { case ok, quoteSeen, failed(offset: Int, column: Int?, message: String), badByte(offset: Int) }

    /// Checks that the buffer's bytes from `validEnd` (a file offset; `carryStart` is the buffer's) up to its last
    /// line end — or its end, `atEnd` — are UTF-8, and moves `validEnd` there: a character is never cut at a line
    /// end, and the bytes after it stay in the buffer (an unfinished record is carried). The offset of a bad byte.
    @inline(__always)
    func checkUTF8(_ base: UnsafePointer<UInt8>, _ len: Int, carryStart: Int, atEnd: Bool, validEnd: inout Int) -> Int? {
        let from = validEnd - carryStart
        var to = len
        if !atEnd {
            while to > from && base[to - 1] != 10 { to -= 1 }
        }
        guard to > from else { return nil }
        if let bad = EncodingSupport.firstInvalidUTF8(base + from, to - from) { return carryStart + from + bad }
        validEnd = carryStart + to
        return nil
    }

    /// The parallel path for files without quotes. Each block is first searched for `"` with `memchr` (so the
    /// byte loop needs no quote state), and once the sink's last needed column is read the rest of the line is
    /// skipped with `memchr` for the newline: on a survey file the tail of each line (numeric columns an
    /// analysis does not use) is most of the bytes, and memchr scans them 16–32 bytes per instruction.
    /// Trade-off: fields after the last needed column are not counted, so a line with extra or missing trailing
    /// fields is not reported here (the `Dataset` reader checks every line).
    func fastScanRange<Sink: RecordSink>(_ start: Int, _ end: Int, sink: inout Sink) -> ScanOutcome {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return .failed(offset: start, column: nil, message: "cannot open: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let cap = blockSize
        let buf = UnsafeMutableRawBufferPointer.allocate(byteCount: cap * 2 + 1, alignment: 64)
        defer { buf.deallocate() }
        let base = buf.baseAddress!.assumingMemoryBound(to: UInt8.self)
        let cbase = UnsafePointer(base)
        var carry = 0, fileOff = start, carryStart = start
        var validEnd = start
        let check = checksUTF8
        let delim = delimiter
        let columns = header.count
        let last = min(sink.lastColumn, columns - 1)
        while true {
            let want = min(cap, end - fileOff)
            var got = 0
            if want > 0 {
                let n = pread(fd, base + carry, min(want, cap * 2 - carry), off_t(fileOff))
                if n < 0 { return .failed(offset: fileOff, column: nil, message: "read error: \(String(cString: strerror(errno)))") }
                got = n
                if got > 0 && memchr(base + carry, 34, got) != nil { return .quoteSeen }
            }
            let atEnd = fileOff + got >= end || got == 0
            var len = carry + got
            fileOff += got
            if atEnd && len > 0 && base[len - 1] != 10 { base[len] = 10; len += 1 }
            if check, let bad = checkUTF8(cbase, len, carryStart: carryStart, atEnd: atEnd, validEnd: &validEnd) {
                return .badByte(offset: bad)
            }
            var p = 0
            var recordStart = 0
            var keepFrom = len   // start of an unfinished record to carry into the next block
            records: while p < len {
                recordStart = p
                var col = 0
                var fieldStart = p
                sink.beginRecord(at: carryStart + recordStart)
                while p < len {
                    let c = base[p]
                    if c == delim {
                        if let msg = sink.field(col, cbase + fieldStart, p - fieldStart) {
                            return .failed(offset: carryStart + recordStart, column: col, message: msg)
                        }
                        col += 1
                        p += 1
                        fieldStart = p
                        if col > last {
                            guard let nl = memchr(base + p, 10, len - p) else { keepFrom = recordStart; break records }
                            p = UnsafeMutablePointer<UInt8>(nl.assumingMemoryBound(to: UInt8.self)) - base + 1
                            sink.endRecord()
                            continue records
                        }
                        continue
                    }
                    if c == 10 {
                        var fe = p
                        if fe > fieldStart && base[fe - 1] == 13 { fe -= 1 }
                        p += 1
                        // A blank line is not a record, except in a single-column file (a missing value) when it
                        // is not the file's last line — as `CSVReader` reads it.
                        if col == 0 && fe == recordStart && (columns > 1 || (atEnd && p >= len)) { continue records }
                        if let msg = sink.field(col, cbase + fieldStart, fe - fieldStart) {
                            return .failed(offset: carryStart + recordStart, column: col, message: msg)
                        }
                        col += 1
                        if col != columns {
                            return .failed(offset: carryStart + recordStart, column: min(col, columns), message: fieldCountMessage(col))
                        }
                        sink.endRecord()
                        continue records
                    }
                    p += 1
                }
                keepFrom = recordStart
                break records
            }
            if atEnd { return .ok }
            let rest = len - keepFrom
            if keepFrom == 0 && len >= cap * 2 {
                return .failed(offset: carryStart, column: nil, message: "record longer than \(cap * 2) bytes")
            }
            if rest > 0 && keepFrom > 0 { memmove(base, base + keepFrom, rest) }
            carry = rest
            carryStart += keepFrom
        }
    }

    /// Scans records in [start, end). In the fast path (`quoteAware == false`) a `"` aborts with `.quoteSeen`.
    func scanRange<Sink: RecordSink>(_ start: Int, _ end: Int, quoteAware: Bool, sink: inout Sink) -> ScanOutcome {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return .failed(offset: start, column: nil, message: "cannot open: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let cap = blockSize
        let buf = UnsafeMutableRawBufferPointer.allocate(byteCount: cap * 2 + 1, alignment: 64)
        defer { buf.deallocate() }
        let base = buf.baseAddress!.assumingMemoryBound(to: UInt8.self)
        let cbase = UnsafePointer(base)
        var carry = 0          // bytes of an unfinished record kept at the start of the buffer
        var fileOff = start    // next byte to read
        var carryStart = start // file offset of buffer[0]
        var validEnd = start   // bytes before this file offset are known to be UTF-8
        let check = checksUTF8
        let delim = delimiter
        let columns = header.count
        var unquote: [UInt8] = []
        while true {
            let want = min(cap, end - fileOff)
            var got = 0
            if want > 0 {
                // The carried record may be longer than a block: grow by reading into what is left.
                let room = cap * 2 - carry
                let n = pread(fd, base + carry, min(want, room), off_t(fileOff))
                if n < 0 { return .failed(offset: fileOff, column: nil, message: "read error: \(String(cString: strerror(errno)))") }
                got = n
            }
            let atEnd = fileOff + got >= end || got == 0
            let len = carry + got
            fileOff += got
            if atEnd && len > 0 && base[len - 1] != 10 { base[len] = 10 }  // terminate a last line without newline
            let limit = (atEnd && len > 0 && base[len - 1] != 10) ? len + 1 : len
            if check, let bad = checkUTF8(cbase, len, carryStart: carryStart, atEnd: atEnd, validEnd: &validEnd) {
                return .badByte(offset: bad)
            }
            var p = 0
            var recordStart = 0
            var col = 0
            var fieldStart = 0
            var inQuotes = false
            var quotedField = false
            sink.beginRecord(at: carryStart)
            // Fields are handed to the sink as (pointer, length); quoted fields are unescaped into `unquote`.
            while p < limit {
                let c = base[p]
                if inQuotes {
                    if c == 34 {
                        if p + 1 < limit && base[p + 1] == 34 { p += 2; continue }
                        if p + 1 >= limit && !atEnd { break }  // cannot tell yet whether "" follows
                        inQuotes = false
                    }
                    p += 1
                    continue
                }
                if c == delim || c == 10 {
                    var fe = p
                    if c == 10 && fe > fieldStart && base[fe - 1] == 13 { fe -= 1 }
                    if col < columns {
                        if quotedField {
                            // The same rule as the in-memory reader (`CSVScanner.quotedContent`).
                            switch CSVScanner.quotedContent(cbase, fieldStart, fe) {
                            case let .content(cs, ce)?: CSVScanner.unescape(cbase, cs, ce, into: &unquote)
                            case let .error(msg)?:
                                return .failed(offset: carryStart + recordStart, column: col,
                                               message: msg + " (column '\(header[col])')")   // as CSVReader words it
                            case nil:
                                unquote.removeAll(keepingCapacity: true)
                                unquote.append(contentsOf: UnsafeBufferPointer(start: cbase + fieldStart, count: fe - fieldStart))
                            }
                            let r = unquote.withUnsafeBufferPointer { sink.field(col, $0.baseAddress ?? cbase, $0.count) }
                            if let msg = r { return .failed(offset: carryStart + recordStart, column: col, message: msg) }
                        } else if let msg = sink.field(col, cbase + fieldStart, fe - fieldStart) {
                            return .failed(offset: carryStart + recordStart, column: col, message: msg)
                        }
                    }
                    col += 1
                    quotedField = false
                    p += 1
                    fieldStart = p
                    if c == 10 {
                        let blank = col == 1 && fe == recordStart && (columns > 1 || (atEnd && p >= limit))
                        if !blank {
                            if col != columns {
                                return .failed(offset: carryStart + recordStart, column: min(col, columns), message: fieldCountMessage(col))
                            }
                            sink.endRecord()
                        }
                        recordStart = p
                        sink.beginRecord(at: carryStart + recordStart)
                        col = 0
                    }
                    continue
                }
                if c == 34 {
                    if !quoteAware { return .quoteSeen }
                    // Only a quote that begins the field (after spaces or tabs) opens quotes; one inside an
                    // unquoted field is an ordinary byte, and one after a closing quote is reported by
                    // `quotedContent` at the field's end — as in `CSVScanner.nextField`.
                    if !quotedField && CSVScanner.opensQuotedField(cbase, fieldStart: fieldStart, quoteAt: p) {
                        inQuotes = true
                        quotedField = true
                    }
                }
                p += 1
            }
            // Keep the unfinished record for the next block.
            let rest = len - recordStart
            if atEnd {
                if rest > 0 && recordStart < limit {
                    if inQuotes { return .failed(offset: carryStart + recordStart, column: col, message: "unterminated quoted field") }
                }
                return .ok
            }
            if recordStart == 0 && len >= cap * 2 {
                return .failed(offset: carryStart, column: nil, message: "record longer than \(cap * 2) bytes")
            }
            if rest > 0 && recordStart > 0 { memmove(base, base + recordStart, rest) }
            carry = rest
            carryStart += recordStart
        }
    }
}

/// Receives the fields of each record from `StreamingCSVScanner`. Returning a message from `field` stops the scan
/// with an error naming the line and column.
public protocol RecordSink {
    /// The last column the sink needs; the fast path skips the rest of each line.
    var lastColumn: Int { get }
    mutating func beginRecord()
    /// As `beginRecord()`, told the byte offset of the record in the file (for messages naming a line).
    mutating func beginRecord(at offset: Int)
    /// `bytes` is valid only during the call.
    mutating func field(_ column: Int, _ bytes: UnsafePointer<UInt8>, _ count: Int) -> String?
    mutating func endRecord()
}

extension RecordSink {
    @inline(__always) public mutating func beginRecord(at offset: Int) { beginRecord() }
}

@inline(__always) func ProcessInfo_activeProcessorCount() -> Int {
    Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
