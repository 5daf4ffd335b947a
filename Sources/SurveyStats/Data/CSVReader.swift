import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reads CSV files into a `Dataset`: UTF-8 (with or without BOM) or Windows-1252, `,` `;` or tab delimited,
/// decimal point or comma, RFC 4180 quoting (embedded delimiters, doubled quotes, newlines), LF or CRLF.
///
/// The file is memory-mapped and scanned byte by byte on all cores: the buffer is cut into chunks at guessed row
/// boundaries, each chunk is parsed straight into the final per-column arrays (no per-field `String`), and each
/// guess is verified by the preceding chunk actually ending there (otherwise that chunk is re-parsed from the
/// true boundary). A column is numeric iff every non-missing field is a number; text columns are collected in
/// a second pass over the chunks. A numeric column whose first rows hold only whole numbers 0…254 (Likert
/// answers, response codes) is stored as one byte per row (`NumericColumn.codes`); a later value that is not such
/// a code (3.5, 300, -1) is kept exactly: the column is then promoted to doubles after the parallel pass.
/// Missing: the empty field, `NA`, and `CSVOptions.naTokens`.
///
/// ```swift
/// let data = try CSVReader.read(path: "svar.csv")                      // sniffed dialect
/// let nb = try CSVReader.read(path: "svar.csv", options: CSVOptions(delimiter: UInt8(ascii: ";"),
///                                                                   decimalSeparator: .comma))
/// ```
public enum CSVReader {
    /// Reads a CSV file.
    public static func read(path: String, options: CSVOptions = CSVOptions()) throws -> Dataset {
        let buffer = try MappedFile(path: path)
        return try read(buffer.base, buffer.count, source: path, options: options).dataset
    }

    /// Reads CSV text held in memory (`source` names it in error messages).
    public static func read(bytes: [UInt8], source: String = "<csv>", options: CSVOptions = CSVOptions()) throws -> Dataset {
        try bytes.withUnsafeBufferPointer { b in
            // A non-null base pointer even for empty input.
            guard let base = b.baseAddress, b.count > 0 else {
                return try read(UnsafePointer<UInt8>(bitPattern: 1)!, 0, source: source, options: options).dataset
            }
            return try read(base, b.count, source: source, options: options).dataset
        }
    }

    /// Reads CSV text held in a string.
    public static func read(string: String, source: String = "<csv>", options: CSVOptions = CSVOptions()) throws -> Dataset {
        try read(bytes: Array(string.utf8), source: source, options: options)
    }

    /// Reads a file and also reports the dialect that was sniffed.
    public static func readWithDialect(path: String, options: CSVOptions = CSVOptions()) throws -> (Dataset, CSVDialect) {
        let buffer = try MappedFile(path: path)
        let r = try read(buffer.base, buffer.count, source: path, options: options)
        return (r.dataset, r.dialect)
    }

    // MARK: - Pipeline

    static func read(_ raw: UnsafePointer<UInt8>, _ rawCount: Int, source: String,
                     options: CSVOptions) throws -> (dataset: Dataset, dialect: CSVDialect) {
        // 1. Encoding: strip a UTF-8 BOM; invalid UTF-8 is Windows-1252 (auto) or an error (utf8).
        var base = raw, count = rawCount
        // A binary file given as CSV (an SPSS file named .csv, a .csv.gz): say what it is.
        if let kind = FileSignature.binary(raw, rawCount) {
            throw DataError.invalid(kind.misnamed(source, as: "CSV"))
        }
        if FileSignature.isUTF16(raw, rawCount) { throw DataError.invalid(FileSignature.utf16Message(source)) }
        var hadBOM = false
        if count >= 3 && base[0] == 0xEF && base[1] == 0xBB && base[2] == 0xBF {
            base += 3; count -= 3; hadBOM = true
        }
        // Nothing (or only a byte-order mark): not a table without rows but no table at all.
        if count == 0 { throw DataError.invalid(CSVReader.emptyFileMessage(source)) }
        var transcoded: [UInt8] = []
        var encoding = TextEncoding.utf8
        switch options.encoding {
        case .windows1252:
            transcoded = EncodingSupport.windows1252ToUTF8(base, count)
            encoding = .windows1252
        case .utf8, .auto:
            // Parsed as UTF-8; `parse` checks the bytes before anything depends on them (the header right after
            // it is scanned, the body in the same pass as the quote count), and throws `InvalidUTF8` if they are
            // not UTF-8: then Windows-1252 (auto) or an error (utf8, or a UTF-8 byte-order mark).
            do {
                return try parse(base, count, source: source, options: options, encoding: .utf8, hadBOM: hadBOM,
                                 verifyUTF8: true)
            } catch let invalid as InvalidUTF8 {
                if let error = invalidUTF8Error(at: invalid.offset, in: base, count, source: source,
                                                encoding: options.encoding, hadBOM: hadBOM) {
                    throw error
                }
                transcoded = EncodingSupport.windows1252ToUTF8(base, count)
                encoding = .windows1252
            }
        }
        if encoding == .windows1252 {
            return try transcoded.withUnsafeBufferPointer { b in
                let p = b.baseAddress ?? UnsafePointer<UInt8>(bitPattern: 1)!
                return try parse(p, b.count, source: source, options: options, encoding: .windows1252, hadBOM: hadBOM)
            }
        }
        return try parse(base, count, source: source, options: options, encoding: .utf8, hadBOM: hadBOM)
    }

    /// The error for bytes that are not UTF-8 (`bad`: the first such offset in `base`, the file after a byte-order
    /// mark), or nil when `encoding` `.auto` reads them as Windows-1252 (both engines decide it here).
    static func invalidUTF8Error(at bad: Int, in base: UnsafePointer<UInt8>, _ count: Int, source: String,
                                 encoding: TextEncoding, hadBOM: Bool) -> DataError? {
        // Valid multi-byte UTF-8 as well as invalid bytes: mixed encodings, not Windows-1252 text (decoding it as
        // such would turn «ø» into «Ã¸»). Asked only here, on the error path.
        let mixed = encoding == .auto && !hadBOM && EncodingSupport.containsMultibyteUTF8(base, count)
        guard encoding == .utf8 || hadBOM || mixed else { return nil }
        let (line, column) = lineAndColumn(of: bad, in: base)
        let why = encoding == .utf8 ? "" : hadBOM
            ? " (the file starts with a UTF-8 byte-order mark)"
            : " (the file also holds UTF-8 text: mixed encodings)"
        return DataError.malformed(source: source, line: line, column: column, message: String(
            format: "byte 0x%02X is not valid UTF-8", base[bad]) + why + "; if the file is Windows-1252, use --encoding windows-1252")
    }

    /// Throws «FILE is UTF-16 text; save it as UTF-8 …» when the (regular) file at `path` starts as UTF-16.
    public static func rejectUTF16(path: String) throws { try FileSignature.rejectUTF16(path: path) }

    /// The message for a file without even a header row (both engines word it alike).
    public static func emptyFileMessage(_ source: String) -> String { "\(source): empty file (no header row)" }

    /// The warning for a file with a header row and no data rows.
    public static func noDataRowsMessage(_ source: String) -> String { "\(source): no data rows (only a header row)" }

    /// The 1-based line of the file where data row `row` (0-based, after the header) begins, found by scanning
    /// the file again (for messages about a row, on error paths only); nil for a file that is not a regular CSV
    /// file (SPSS, a pipe already read) or has fewer rows.
    public static func lineOfDataRow(_ row: Int, path: String) -> Int? {
        positionOfDataRow(row, path: path)?.line
    }

    /// Where the value of `variable` in data row `row` (0-based) is, as every error about one value names it:
    /// `path:LINE:COLUMN: column 'w'` in a CSV file (the compiler style of the reader's own errors), and
    /// `path: row N: variable 'w'` in an SPSS/Stata/SAS file, which has no lines. Scans the file again: error
    /// paths only.
    public static func placeOfValue(dataRow row: Int, variable: String, path: String) -> String {
        guard let position = positionOfDataRow(row, path: path) else {
            return StatFileFormat(path: path) == nil ? "\(path): data row \(row + 1): column '\(variable)'"
                : "\(path): row \(row + 1): variable '\(variable)'"
        }
        let column = position.header.firstIndex(of: variable).map { ":\($0 + 1)" } ?? ""
        return "\(path):\(position.line)\(column): column '\(variable)'"
    }

    /// The 1-based line where data row `row` begins, and the header's names (see `lineOfDataRow`).
    static func positionOfDataRow(_ row: Int, path: String) -> (line: Int, header: [String])? {
        guard StatFileFormat(path: path) == nil,
              let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              attributes[.type] as? FileAttributeType == .typeRegular,
              let file = try? MappedFile(path: path), file.count > 0 else { return nil }
        var p = file.base, n = file.count
        if n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF { p += 3; n -= 3 }
        let delimiter = CSVSniffer.sniff(p, n, delimiter: nil).delimiter
        let header = CSVScanner(p: p, count: n, delimiter: delimiter, columns: .max)
        var names = StringRowSink(scanner: header)
        let h = header.scan(from: 0, stop: n, sink: &names, maxRows: 1)
        guard h.error == nil else { return nil }
        let scanner = CSVScanner(p: p, count: n, delimiter: delimiter, columns: max(1, names.fields.count))
        var skip = LineSink()
        let before = scanner.scan(from: h.end, stop: n, sink: &skip, maxRows: row)
        guard before.error == nil, before.rows == row else { return nil }
        var target = LineSink()
        let at = scanner.scan(from: before.end, stop: n, sink: &target, maxRows: 1)
        guard at.rows == 1, let line = target.line else { return nil }
        let headerNames = names.fields.map { ($0 ?? "").trimmingCharacters(in: .whitespaces) }
        return (1 + h.lines + before.lines + line, headerNames)
    }

    /// Records the chunk-local line of the first field it sees.
    struct LineSink: CSVFieldSink {
        var line: Int?
        mutating func field(_ column: Int, _ start: Int, _ end: Int, escaped: Bool, line: Int) -> Bool {
            if self.line == nil { self.line = line }
            return true
        }
        mutating func endRow() {}
    }

    /// The buffer is not valid UTF-8: the first bad byte's offset.
    struct InvalidUTF8: Error { let offset: Int }

    /// Throws `InvalidUTF8` unless `p[0..<n]` is valid UTF-8; `asciiKnown`: every byte is already known to be ASCII
    /// (the exact check is sequential, so it runs only when some byte is not).
    static func requireUTF8(_ p: UnsafePointer<UInt8>, _ n: Int, asciiKnown: Bool) throws {
        if !asciiKnown, let bad = EncodingSupport.firstInvalidUTF8(p, n) { throw InvalidUTF8(offset: bad) }
    }

    /// Runs `body` for 0..<count on all cores, or inline for a single chunk (no thread hand-off for small files).
    static func forEach(_ count: Int, _ body: (Int) -> Void) {
        if count == 1 { body(0) } else { DispatchQueue.concurrentPerform(iterations: count, execute: body) }
    }

    static func lineAndColumn(of offset: Int, in p: UnsafePointer<UInt8>) -> (Int, Int) {
        var line = 1, lineStart = 0
        for i in 0..<offset where p[i] == 0x0A || (p[i] == 0x0D && p[i + 1] != 0x0A) { line += 1; lineStart = i + 1 }
        return (line, offset - lineStart + 1)
    }

    /// `verifyUTF8`: the bytes are not yet known to be UTF-8; `InvalidUTF8` is thrown (before any other error that
    /// could depend on them) if they are not.
    static func parse(_ p: UnsafePointer<UInt8>, _ n: Int, source: String, options: CSVOptions,
                      encoding: TextEncoding, hadBOM: Bool,
                      verifyUTF8: Bool = false) throws -> (dataset: Dataset, dialect: CSVDialect) {
        // 2. Dialect.
        let sniffed = CSVSniffer.sniff(p, n, delimiter: options.delimiter, decimal: options.decimalSeparator.byte)
        let delimiter = options.delimiter ?? sniffed.delimiter
        let decimal = options.decimalSeparator.byte ?? sniffed.decimalSeparator
        let dialect = CSVDialect(delimiter: delimiter, decimalSeparator: decimal, encoding: encoding, hadByteOrderMark: hadBOM)

        // 3. Header.
        var names: [String] = []
        var dataStart = 0
        var headerLines = 0
        let headerScanner = CSVScanner(p: p, count: n, delimiter: delimiter, columns: .max)
        var headerSink = StringRowSink(scanner: headerScanner)
        let headerScan = headerScanner.scan(from: 0, stop: n, sink: &headerSink, maxRows: 1)
        // The header's bytes decide names (and so errors about names): checked first. The body is checked with the
        // quote count below; a file that is ASCII up to its end is UTF-8 without the exact, sequential check.
        // (After a header error, too: its message may quote a byte.)
        var verifyBody = verifyUTF8
        if verifyUTF8 && (headerScan.error != nil || !CSVByteCount.isASCII(p, 0, headerScan.end)) {
            try requireUTF8(p, n, asciiKnown: false)  // the whole buffer, exactly
            verifyBody = false
        }
        if let e = headerScan.error {
            throw DataError.malformed(source: source, line: e.line + 1, column: e.column, message: e.message)
        }
        if options.hasHeader {
            names = headerSink.fields.map { ($0 ?? "").trimmingCharacters(in: .whitespaces) }
            dataStart = headerScan.end
            headerLines = headerScan.lines
        } else {
            names = (0..<headerSink.fields.count).map { "V\($0 + 1)" }
        }
        if names.isEmpty { return (Dataset(source: source), dialect) }
        let header = try CSVReader.columnNames(names, source: source)
        names = header.names
        var seen: [String: Int] = [:]
        for (i, name) in names.enumerated() { seen[name] = i }

        // 4. Which columns, and forced types.
        var selected = Array(names.indices)
        if let wanted = options.columns {
            var set = Set<Int>()
            for w in wanted {
                guard let i = seen[w] else {
                    throw DataError.unknownVariable(name: w, source: source, available: names)
                }
                set.insert(i)
            }
            selected = names.indices.filter { set.contains($0) }
        }
        for (name, _) in options.columnTypes where seen[name] == nil && !options.ignoreUnknownColumnTypes {
            throw DataError.unknownVariable(name: name, source: source, available: names)
        }
        var plans = [ColumnPlan](repeating: .skip, count: names.count)
        for i in selected {
            switch options.columnTypes[names[i]] {
            case .numeric?: plans[i] = .forcedNumeric
            case .text?: plans[i] = .text
            case nil: plans[i] = .numeric
            }
        }

        let scanner = CSVScanner(p: p, count: n, delimiter: delimiter, columns: names.count)
        let na = MissingTokens(options.naTokens, decimal: decimal)
        // Columns of small whole numbers (Likert codes) are stored as one byte per row; decided from the first
        // rows, before anything is allocated. A later value that does not fit promotes the column (step 6).
        let codeColumns = CodeColumnSampler.choose(scanner: scanner, from: dataStart, plans: plans, na: na,
                                                   decimal: decimal, rows: max(0, options.codeSampleRows))

        // 5. Chunks at guessed row boundaries.
        let threads = max(1, min(options.maxThreads ?? ProcessInfo.processInfo.activeProcessorCount, 64))
        let body = n - dataStart
        let chunkBytes = max(1, options.chunkBytes)
        let chunkCount = body < 4 * chunkBytes || threads == 1 ? 1 : min(threads * 4, max(1, body / chunkBytes))
        var starts = [dataStart]
        if chunkCount > 1 {
            let nominal = (1..<chunkCount).map { dataStart + body * $0 / chunkCount }
            // Quote parity at each nominal position, from per-segment quote counts computed in parallel; the same
            // read tells whether the body is ASCII (the UTF-8 check, without a pass of its own).
            let segmentBounds = [dataStart] + nominal + [n]
            var quoteCounts = [Int](repeating: 0, count: chunkCount)
            var segmentASCII = [Bool](repeating: true, count: chunkCount)
            quoteCounts.withUnsafeMutableBufferPointer { qc in
                segmentASCII.withUnsafeMutableBufferPointer { sa in
                    let out = qc, ascii = sa
                    DispatchQueue.concurrentPerform(iterations: chunkCount) { k in
                        (out[k], ascii[k]) = CSVByteCount.countAndCheckASCII(CSVScanner.quote, in: p, segmentBounds[k],
                                                                             segmentBounds[k + 1])
                    }
                }
            }
            if verifyBody { try requireUTF8(p, n, asciiKnown: !segmentASCII.contains(false)) }
            var parity = 0
            for k in 1..<chunkCount {
                parity += quoteCounts[k - 1]
                let b = scanner.rowBoundary(after: nominal[k - 1], outsideQuotes: parity % 2 == 0)
                if b > starts.last! { starts.append(b) }
            }
        }
        else if verifyBody {
            try requireUTF8(p, n, asciiKnown: CSVByteCount.isASCIIParallel(p + dataStart, body))
        }
        starts.append(n)

        // 6. Numeric pass, in parallel, straight into the final columns. A wrong boundary guess (possible only
        // with stray quotes inside unquoted fields) makes the pass give up; the file is then parsed sequentially.
        let planPointer = UnsafeMutablePointer<ColumnPlan>.allocate(capacity: max(1, plans.count))
        planPointer.initialize(from: plans, count: plans.count)
        defer { planPointer.deallocate() }
        func numericPass(_ starts: [Int]) -> NumericPass? {
            let chunks = starts.count - 1
            var bounds = [Int](repeating: 0, count: chunks)
            bounds.withUnsafeMutableBufferPointer { bp in
                let out = bp
                CSVReader.forEach(chunks) { k in out[k] = CSVByteCount.rowBound(p, starts[k], starts[k + 1], limit: n) }
            }
            var reserved: [Int] = []
            var total = 0
            for b in bounds { reserved.append(total); total += b }
            let targets = NumericColumnTargets(plans: plans, codes: codeColumns, capacity: total)
            var results = [NumericChunk?](repeating: nil, count: chunks)
            results.withUnsafeMutableBufferPointer { rp in
                let out = rp
                CSVReader.forEach(chunks) { k in
                    var sink = NumericSink(scanner: scanner, plans: planPointer, targets: targets,
                                           rowOffset: reserved[k], capacity: bounds[k], decimal: decimal, na: na)
                    let scan = scanner.scanNumeric(from: starts[k], stop: starts[k + 1], sink: &sink)
                    out[k] = NumericChunk(start: starts[k], scan: scan, stats: sink.finish(),
                                          badValue: sink.badValue, overflow: sink.overflow, exceptions: sink.exceptions,
                                          tokenRows: sink.tokenRows)
                }
            }
            // Verify boundaries: chunk k must end exactly where chunk k+1 began.
            var verified: [NumericChunk] = []
            for k in 0..<chunks {
                let chunk = results[k]!
                if let previous = verified.last, previous.scan.end != chunk.start { return nil }
                if chunk.overflow { return nil }
                verified.append(chunk)
                // After an error the remaining chunks are irrelevant.
                if chunk.badValue != nil || chunk.scan.error != nil { break }
            }
            return NumericPass(targets: targets, chunks: verified, reserved: Array(reserved.prefix(verified.count)))
        }
        guard let pass = numericPass(starts) ?? numericPass([dataStart, n]) else {
            // A single chunk starts at a true row boundary, so its row bound holds and it cannot fail.
            throw DataError.malformed(source: source, line: headerLines + 1, column: nil,
                                      message: "internal error: the CSV numeric pass could not be completed")
        }
        let verified = pass.chunks
        // Errors in file order, with global line numbers.
        var lineBase = headerLines + 1
        for chunk in verified {
            if let bad = chunk.badValue {
                // A value that looks like a number says why it is not one (and how the file was read).
                if let message = ValueMessages.notANumber(
                    column: names[bad.column], value: bad.value, delimiter: delimiter, decimal: decimal,
                    delimiterGiven: options.delimiter != nil, decimalGiven: options.decimalSeparator != .auto) {
                    throw DataError.malformed(source: source, line: lineBase + bad.line, column: bad.column + 1,
                                              message: message)
                }
                throw DataError.nonNumericValue(source: source, line: lineBase + bad.line, columnNumber: bad.column + 1,
                                                column: names[bad.column], value: bad.value)
            }
            if let e = chunk.scan.error {
                let columnName = e.column.flatMap { $0 >= 1 && $0 <= names.count ? names[$0 - 1] : nil }
                throw DataError.malformed(source: source, line: lineBase + e.line, column: e.column,
                                          message: e.message + (columnName.map { " (column '\($0)')" } ?? ""))
            }
            lineBase += chunk.scan.lines
        }
        // Chunks with fewer rows than their bound (empty lines, quoted line ends) leave gaps: close them.
        let chunkRows = verified.map(\.scan.rows)
        var packed: [Int] = []
        var rowCount = 0
        for r in chunkRows { packed.append(rowCount); rowCount += r }
        if packed != pass.reserved {
            pass.targets.compact(reserved: pass.reserved, packed: packed, rows: chunkRows)
        }

        // Code columns with values that are not codes become double columns: codes converted, exceptions patched
        // in at their rows (after the close-up above, so at the packed row offsets).
        var patches: [Int: [(row: Int, value: Double)]] = [:]
        for (k, chunk) in verified.enumerated() {
            for e in chunk.exceptions { patches[e.column, default: []].append((packed[k] + e.row, e.value)) }
        }
        var codeRange: [Int: (minimum: Double, maximum: Double)] = [:]

        // 7. Assemble columns; text columns (and numeric columns needing an exact decimal offset) get a second pass.
        var numeric: [Int: NumericColumn] = [:]
        var secondPass: [Int] = []
        var needsOffset = Set<Int>()
        for i in selected {
            if plans[i] == .text || verified.contains(where: { $0.stats[i].isText }) {
                pass.targets.discard(i)
                secondPass.append(i); continue
            }
            if let p = patches[i], pass.targets.isCodeColumn(i) {
                codeRange[i] = pass.targets.promote(i, rows: rowCount, patches: p)
            }
            // The stats of a code column cover its exceptions only; the codes' range is added on promotion (an
            // unpromoted code column is all whole numbers, so the offset rule below never applies to it).
            var integral = true, lo = codeRange[i]?.minimum ?? .infinity, hi = codeRange[i]?.maximum ?? -.infinity
            for chunk in verified {
                let c = chunk.stats[i]
                integral = integral && c.allIntegral
                lo = min(lo, c.minimum); hi = max(hi, c.maximum)
            }
            // Values with fractions that share leading digits (10000000.2, 10000000.1, …) are re-parsed exactly
            // with a decimal offset; the same rule as `makeNumericColumn(from:)`.
            if !integral && lo.isFinite && hi.isFinite && abs(lo / 2 + hi / 2) >= 4 * (hi - lo)
                && abs((lo / 2 + hi / 2).rounded()) >= 1 {
                pass.targets.discard(i)
                needsOffset.insert(i); secondPass.append(i); continue
            }
            numeric[i] = pass.targets.take(i, rows: rowCount)
        }
        // Rows holding a user's `--na` token per column: from the numeric pass, replaced below for the columns
        // that the text pass reads again.
        var tokenRowsByColumn = na.rowsByColumn(verified.map(\.tokenRows), rowOffsets: packed)
        for i in secondPass { tokenRowsByColumn[i] = nil }
        var texts: [Int: [String?]] = [:]
        if !secondPass.isEmpty {
            var textChunks = [[[String?]]?](repeating: nil, count: verified.count)
            var textTokenRows = [[MissingTokenRow]](repeating: [], count: verified.count)
            let ranges = verified.map { ($0.start, $0.scan.end) }
            var textPlan = [Bool](repeating: false, count: names.count)
            for i in secondPass { textPlan[i] = true }
            let plan = textPlan
            textChunks.withUnsafeMutableBufferPointer { tp in
                textTokenRows.withUnsafeMutableBufferPointer { rp in
                    let out = tp, tokenOut = rp
                    CSVReader.forEach(ranges.count) { k in
                        var sink = TextSink(scanner: scanner, wanted: plan, na: na)
                        _ = scanner.scan(from: ranges[k].0, stop: ranges[k].1, sink: &sink)
                        out[k] = sink.columns
                        tokenOut[k] = sink.tokenRows
                    }
                }
            }
            for i in secondPass {
                var all = [String?]()
                all.reserveCapacity(rowCount)
                for k in textChunks.indices { all.append(contentsOf: textChunks[k]![i]) }
                texts[i] = all
            }
            var textRowOffsets: [Int] = [], rowsBefore = 0
            for chunk in textChunks { textRowOffsets.append(rowsBefore); rowsBefore += chunk![secondPass[0]].count }
            for (column, rows) in na.rowsByColumn(textTokenRows, rowOffsets: textRowOffsets) {
                tokenRowsByColumn[column] = rows
            }
        }

        var variables: [Variable] = []
        for i in selected {
            if let c = numeric[i] {
                var v = Variable(name: names[i], values: .numeric(c))
                v.missingTokenRows = tokenRowsByColumn[i] ?? [:]
                // `--na` tokens that are numbers: kept as values, declared missing (reported by the token).
                if !na.numericValues.isEmpty {
                    v.missingCodes.formUnion(na.numericValues.keys)
                    v.missingTokens = na.numericValues
                }
                variables.append(v)
            } else if needsOffset.contains(i) {
                // Exact decimal re-parse with an offset (the statistics core's `parseDecimalColumn`).
                let fields = (texts[i] ?? []).map { $0 ?? "" }
                let column = (try? parseDecimalColumn(fields, decimalSeparator: Character(UnicodeScalar(decimal)),
                                                      missingTokens: [])) ??
                    NumericColumn(fields.map { CSVNumberParser.parse($0, decimal: decimal) })
                var v = Variable(name: names[i], values: .numeric(column))
                v.missingTokenRows = tokenRowsByColumn[i] ?? [:]
                variables.append(v)
            } else {
                var v = Variable(name: names[i], values: .text(texts[i] ?? []))
                v.missingTokenRows = tokenRowsByColumn[i] ?? [:]
                variables.append(v)
            }
        }
        var dataset = Dataset(source: source, variables: variables)
        dataset.readWarnings = header.warnings
        return (dataset, dialect)
    }

    /// Column names from a header's (trimmed) fields, as both engines name them: an empty name becomes
    /// `columnN` (N = its position; `columnN_2`, … if the file has a column of that name) with a warning; a
    /// repeated name is an error naming both positions.
    public static func columnNames(_ fields: [String], source: String) throws -> (names: [String], warnings: [String]) {
        var names = fields
        var warnings: [String] = []
        var seen: [String: Int] = [:]
        for (i, name) in fields.enumerated() where !name.isEmpty {
            if let j = seen[name] {
                throw DataError.malformed(source: source, line: 1, column: i + 1,
                                          message: "duplicate column name '\(name)' (also column \(j + 1))")
            }
            seen[name] = i
        }
        for i in names.indices where names[i].isEmpty {
            var name = "column\(i + 1)", k = 2
            while seen[name] != nil { name = "column\(i + 1)_\(k)"; k += 1 }
            seen[name] = i
            names[i] = name
            warnings.append("\(source):1:\(i + 1): column \(i + 1) has no name in the header; it is called '\(name)'")
        }
        return (names, warnings)
    }
}

// MARK: - Column plans and sinks

enum ColumnPlan: Equatable { case skip, numeric, forcedNumeric, text }

/// Missing-value tokens: the empty (or blank) field, `NA`, and user tokens (`--na`).
///
/// A user token matches the field with surrounding spaces and tabs trimmed, quoted or not (`99`, ` 99`, `99 `
/// and `"99"` all match `--na 99`), so that the in-memory reader and the streaming engine — which sees a quoted
/// field without its quotes — decide alike. `NA` matches only unquoted (trimmed): `"NA"` in quotes is the text NA
/// (so that written files read back).
///
/// In a numeric column a user token that is itself a number (`--na 99`) is not read as empty: the value is kept
/// and declared a missing code of the column (`numericValues`), so that its rows are reported by the token
/// (`2 '99' (--na)`) rather than as empty, and ` 99`/`"99"` mean the same. Other tokens (`Vet ikke`) are empty
/// (NaN), and the reader records their rows (`Variable.missingTokenRows`) so that they too are reported by the token.
struct MissingTokens: Sendable {
    /// `NA` first, then the user tokens (trimmed, non-empty).
    let tokens: [[UInt8]]
    /// The user tokens (trimmed, non-empty), and those that are not numbers (with the file's decimal separator):
    /// the ones a numeric column reads as empty.
    let userTokens: [[UInt8]]
    let textTokens: [[UInt8]]
    /// The user tokens that are numbers, by value.
    let numericValues: [Double: String]
    let hasUserTokens: Bool
    init(_ user: [String], decimal: UInt8 = UInt8(ascii: ".")) {
        tokens = [Array("NA".utf8)] + user.map { Array(MissingTokens.trim($0).utf8) }.filter { !$0.isEmpty }
        hasUserTokens = tokens.count > 1
        userTokens = Array(tokens.dropFirst())
        var text: [[UInt8]] = [], numbers: [Double: String] = [:]
        for t in tokens.dropFirst() {
            let s = String(decoding: t, as: UTF8.self)
            if let v = CSVNumberParser.parse(s, decimal: decimal) { numbers[v] = numbers[v] ?? s } else { text.append(t) }
        }
        textTokens = text
        numericValues = numbers
    }

    static func trim(_ s: String) -> String {
        var sub = Substring(s)
        while let f = sub.first, f == " " || f == "\t" { sub = sub.dropFirst() }
        while let l = sub.last, l == " " || l == "\t" { sub = sub.dropLast() }
        return String(sub)
    }

    @inline(__always) static func isBlank(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 }

    /// Whether the field is missing; `numericColumn`: tokens that are numbers are values there (see above).
    @inline(__always)
    func isMissing(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, numericColumn: Bool = false) -> Bool {
        let length = end - start
        if length == 0 { return true }
        // The byte before a quoted field's content is its opening quote; before an unquoted field it is a
        // delimiter or line end (or nothing).
        let quoted = start > 0 && p[start - 1] == CSVScanner.quote
        if !quoted {
            if length == 2 && p[start] == UInt8(ascii: "N") && p[start + 1] == UInt8(ascii: "A") { return true }
            if !hasUserTokens && !Self.isBlank(p[start]) && !Self.isBlank(p[end - 1]) { return false }
        } else if !hasUserTokens {
            return false
        }
        var i = start, e = end
        while i < e && Self.isBlank(p[i]) { i += 1 }
        while e > i && Self.isBlank(p[e - 1]) { e -= 1 }
        if i == e { return !quoted }
        let trimmed = e - i
        if !quoted && trimmed == 2 && p[i] == UInt8(ascii: "N") && p[i + 1] == UInt8(ascii: "A") { return true }
        for t in numericColumn ? textTokens : userTokens where t.count == trimmed {
            if t.withUnsafeBufferPointer({ memcmp($0.baseAddress!, p + i, trimmed) == 0 }) { return true }
        }
        return false
    }

    /// Which user token (index into `userTokens`) a field that `isMissing` found missing is; `nil` for an empty
    /// field or NA. Called for missing fields only, so that reading the others costs nothing more.
    func userTokenIndex(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Int? {
        guard hasUserTokens else { return nil }
        let quoted = start > 0 && p[start - 1] == CSVScanner.quote
        var i = start, e = end
        while i < e && Self.isBlank(p[i]) { i += 1 }
        while e > i && Self.isBlank(p[e - 1]) { e -= 1 }
        let trimmed = e - i
        if trimmed == 0 { return nil }
        if !quoted && trimmed == 2 && p[i] == UInt8(ascii: "N") && p[i + 1] == UInt8(ascii: "A") { return nil }
        for (k, t) in userTokens.enumerated() where t.count == trimmed {
            if t.withUnsafeBufferPointer({ memcmp($0.baseAddress!, p + i, trimmed) == 0 }) { return k }
        }
        return nil
    }

    /// The user token at `index` as text.
    func userToken(_ index: Int) -> String { String(decoding: userTokens[index], as: UTF8.self) }
}

/// A field read as missing because it was the user's `--na` token number `token` (chunk-local `row`).
struct MissingTokenRow {
    var column: Int
    var row: Int
    var token: Int
}

extension MissingTokens {
    /// Rows of chunks' token lists (`rowOffsets[k]` = chunk k's first row in the file's rows) by column and token
    /// text, rows ascending: `Variable.missingTokenRows` of each column.
    func rowsByColumn(_ chunks: [[MissingTokenRow]], rowOffsets: [Int]) -> [Int: [String: [Int]]] {
        var out: [Int: [String: [Int]]] = [:]
        for (k, rows) in chunks.enumerated() {
            for r in rows { out[r.column, default: [:]][userToken(r.token), default: []].append(rowOffsets[k] + r.row) }
        }
        return out
    }
}

struct BadValue { var line: Int; var column: Int; var value: String }

/// One chunk's outcome of the numeric pass.
struct NumericChunk {
    var start: Int
    var scan: CSVChunkScan
    var stats: [NumericColumnStats]
    var badValue: BadValue?
    /// The chunk had more rows than its bound: its start was not a row boundary.
    var overflow: Bool
    /// Values of code columns that are not codes (chunk-local rows).
    var exceptions: [CodeException]
    /// Fields that were a user's `--na` token (chunk-local rows).
    var tokenRows: [MissingTokenRow]
}

/// The numeric pass over all chunks: the filled columns and, per chunk, where its rows were reserved.
struct NumericPass {
    var targets: NumericColumnTargets
    var chunks: [NumericChunk]
    var reserved: [Int]
}

struct TextSink: CSVFieldSink {
    let scanner: CSVScanner
    let wanted: [Bool]
    let na: MissingTokens
    var columns: [[String?]]
    /// Fields that were a user's `--na` token (rows of `columns`).
    var tokenRows: [MissingTokenRow] = []

    init(scanner: CSVScanner, wanted: [Bool], na: MissingTokens) {
        self.scanner = scanner; self.wanted = wanted; self.na = na
        columns = [[String?]](repeating: [], count: wanted.count)
    }

    mutating func field(_ column: Int, _ start: Int, _ end: Int, escaped: Bool, line: Int) -> Bool {
        guard wanted[column] else { return true }
        if na.isMissing(scanner.p, start, end) {
            if let k = na.userTokenIndex(scanner.p, start, end) {
                tokenRows.append(MissingTokenRow(column: column, row: columns[column].count, token: k))
            }
            columns[column].append(nil)
            return true
        }
        columns[column].append(scanner.string(start, end, escaped: escaped))
        return true
    }

    mutating func endRow() {}
}

/// Collects every field of the scanned rows as strings (header, sniffing).
struct StringRowSink: CSVFieldSink {
    let scanner: CSVScanner
    var fields: [String?] = []
    mutating func field(_ column: Int, _ start: Int, _ end: Int, escaped: Bool, line: Int) -> Bool {
        fields.append(scanner.string(start, end, escaped: escaped)); return true
    }
    mutating func endRow() {}
}

// MARK: - File mapping

/// A read-only memory map of a whole file (or an empty buffer for an empty file).
final class MappedFile {
    let base: UnsafePointer<UInt8>
    let count: Int
    private let mapped: UnsafeMutableRawPointer?

    /// Bytes read from a pipe or other non-regular file (which cannot be mapped), owned by this object.
    private let owned: UnsafeMutablePointer<UInt8>?

    init(path: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw DataError.io(path: path, message: "file not found")
        }
        if isDirectory.boolValue { throw DataError.io(path: path, message: "is a directory, not a file") }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw DataError.io(path: path, message: String(cString: strerror(errno))) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw DataError.io(path: path, message: String(cString: strerror(errno))) }
        if st.st_mode & S_IFMT != S_IFREG {
            // A pipe, process substitution `<(…)` or device: its size is unknown (st_size is 0) and it cannot be
            // mapped, so it is read to its end.
            var capacity = 1 << 20, size = 0
            var buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
            while true {
                if size == capacity {
                    let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
                    bigger.update(from: buffer, count: size)
                    buffer.deallocate()
                    buffer = bigger; capacity *= 2
                }
                let got = read(fd, buffer + size, capacity - size)
                if got < 0 {
                    if errno == EINTR { continue }
                    let message = String(cString: strerror(errno))
                    buffer.deallocate()
                    throw DataError.io(path: path, message: "cannot read: \(message)")
                }
                if got == 0 { break }
                size += got
            }
            owned = buffer
            mapped = nil
            count = size
            base = UnsafePointer(buffer)
            return
        }
        owned = nil
        count = Int(st.st_size)
        if count == 0 {
            mapped = nil
            base = UnsafePointer<UInt8>(bitPattern: 1)!
            return
        }
        guard let m = mmap(nil, count, PROT_READ, MAP_PRIVATE, fd, 0), m != MAP_FAILED else {
            throw DataError.io(path: path, message: "cannot map file: \(String(cString: strerror(errno)))")
        }
        madvise(m, count, MADV_SEQUENTIAL)
        mapped = m
        base = UnsafePointer(m.assumingMemoryBound(to: UInt8.self))
    }

    deinit {
        if let m = mapped { munmap(m, count) }
        owned?.deallocate()
    }
}
