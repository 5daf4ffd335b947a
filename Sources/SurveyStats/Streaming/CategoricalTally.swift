#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The distinct field texts of a few columns of a CSV file, with how often each occurs (alone, and jointly for
/// chosen pairs of columns), streamed from the file in O(distinct values) memory on all cores.
///
/// Why texts and not values: the command-line analyses must give exactly what they give on a `Dataset` read by
/// `CSVReader` and labelled by a codebook (number parsing with the file's decimal separator, `NA` and `--na`
/// tokens, label→code mapping, missing codes and ranges, level order). Rather than re-implement those rules, a
/// tally keeps each distinct text once and `dataset(options:)` reads the distinct texts *through the same
/// reader*: row `r` of the small dataset is distinct text `r` of each column. Everything that depends only on
/// a field's text (its value, whether it is missing, its level) is then decided by the in-memory code, and the
/// counts say how many respondents each decision applies to. Survey variables take few values, so the tally is
/// tiny however many rows the file has.
public struct CategoricalTally: Sendable {
    /// A pair of tallied columns (indices into `columns`) whose joint counts are kept.
    public struct Pair: Sendable, Hashable {
        public let first: Int
        public let second: Int
        public init(_ first: Int, _ second: Int) { self.first = first; self.second = second }
    }

    /// The file, for messages.
    public let path: String
    /// Field delimiter and decimal separator, as `CSVReader` decides them for this file (sniffed or forced).
    public let delimiter: UInt8
    public let decimalSeparator: UInt8
    /// Data rows read (blank lines are not rows).
    public let rows: Int
    /// The tallied column names.
    public let columns: [String]
    /// Per column: its distinct field texts (unquoted, untrimmed), in order of first appearance in the file.
    public let labels: [[String]]
    /// Per column and text: number of rows holding it.
    public let counts: [[Int]]
    /// Per column and text: 0-based data row of its first appearance.
    public let firstRows: [[Int]]
    /// Per column and text: byte offset of the record of its first appearance (for line numbers in messages).
    let firstOffsets: [[Int]]
    /// Joint counts per pair: key `firstText << 32 | secondText`.
    public let pairs: [Pair]
    public let joint: [[Int: Int]]

    /// Most distinct texts per column: a column with more is not categorical (an id, a continuous measure), and
    /// its tally would not be small. The scan stops with a message starting with `tooManyValuesMessage`.
    public static let maximumDistinctTexts = 1 << 16
    public static let tooManyValuesMessage = "too many distinct values for the streaming engine"

    /// Joint count of text `a` of `pair.first` with text `b` of `pair.second`.
    public func jointCount(_ pair: Int, _ a: Int, _ b: Int) -> Int { joint[pair][a << 32 | b] ?? 0 }

    /// The 1-based line of the file where text `label` of column `column` first appears.
    public func lineNumber(column: Int, label: Int) throws -> Int {
        let scanner = try StreamingCSVScanner(path: path, delimiter: delimiter, workers: 1)
        return scanner.lineNumber(ofByte: firstOffsets[column][label])
    }

    /// Streams `path`, tallying `columns` and the joint counts of `pairs`.
    ///
    /// - Parameters:
    ///   - delimiter, decimalSeparator: as `CSVOptions` has them; `nil`/`.auto` sniff them exactly as `CSVReader`
    ///     does (from the first MiB of the file).
    /// - Throws: `DataError` for an unknown column (with the available names), a malformed line (naming it),
    ///   a column with more than `maximumDistinctTexts` distinct texts, or bytes that are not UTF-8 anywhere in the
    ///   file (as `CSVReader` reports them; a Windows-1252 file with `StreamingCSVScanner.notUTF8Message`).
    public static func stream(path: String, columns: [String], pairs: [Pair] = [], delimiter: UInt8? = nil,
                              decimalSeparator: DecimalSeparator = .auto, encoding: TextEncoding = .auto,
                              workers: Int? = nil, blockSize: Int = 1 << 20,
                              minimumBytesPerWorker: Int = 1 << 22) throws -> CategoricalTally {
        let dialect = try sniff(path: path, delimiter: delimiter, decimal: decimalSeparator.byte)
        let decimal = decimalSeparator.byte ?? dialect.decimalSeparator
        var scanner = try StreamingCSVScanner(path: path, delimiter: dialect.delimiter, workers: workers)
        scanner.blockSize = blockSize
        scanner.minimumBytesPerWorker = minimumBytesPerWorker
        scanner.encoding = encoding
        // Column names as `CSVReader` has them: an empty name is `columnN`, a repeated name an error.
        let names = try CSVReader.columnNames(scanner.header, source: path).names
        var seen: [String: Int] = [:]
        for (i, name) in names.enumerated() { seen[name] = i }
        var slot = [Int32](repeating: -1, count: scanner.header.count)
        for (k, name) in columns.enumerated() {
            guard let i = seen[name] else {
                throw DataError.unknownVariable(name: name, source: path, available: names)
            }
            if slot[i] >= 0 { throw DataError.invalid("column \(name) is tallied twice") }
            slot[i] = Int32(k)
        }
        let slots = slot
        let pairList = pairs.map { ($0.first, $0.second) }
        let sinks = try scanner.scan { TallySink(slotOfColumn: slots, columns: columns, pairs: pairList) }

        // Merge in file order, so that "first appearance" is global first appearance.
        let m = columns.count
        var labels = [[[UInt8]]](repeating: [], count: m)
        var index = [[[UInt8]: Int]](repeating: [:], count: m)
        var counts = [[Int]](repeating: [], count: m)
        var firstRows = [[Int]](repeating: [], count: m)
        var firstOffsets = [[Int]](repeating: [], count: m)
        var joint = [[Int: Int]](repeating: [:], count: pairs.count)
        var rowsBefore = 0
        for sink in sinks {
            var map = [[Int]](repeating: [], count: m)
            for c in 0..<m {
                let t = sink.tables[c]
                for (k, bytes) in t.labels.enumerated() {
                    if let g = index[c][bytes] {
                        map[c].append(g)
                        counts[c][g] += sink.count(c, k)
                    } else {
                        let g = labels[c].count
                        index[c][bytes] = g
                        labels[c].append(bytes)
                        counts[c].append(sink.count(c, k))
                        firstRows[c].append(rowsBefore + t.firstRow[k])
                        firstOffsets[c].append(t.firstOffset[k])
                        map[c].append(g)
                    }
                }
            }
            for (p, (a, b)) in pairList.enumerated() {
                sink.forEachJoint(p) { la, lb, n in
                    joint[p][map[a][la] << 32 | map[b][lb], default: 0] += n
                }
            }
            rowsBefore += sink.rows
        }
        return CategoricalTally(path: path, delimiter: dialect.delimiter, decimalSeparator: decimal, rows: rowsBefore,
                                columns: columns,
                                labels: labels.map { $0.map { String(decoding: $0, as: UTF8.self) } },
                                counts: counts, firstRows: firstRows, firstOffsets: firstOffsets,
                                pairs: pairs, joint: joint, rawLabels: labels)
    }

    /// Raw bytes of the texts (kept so that `dataset` hands the reader the file's own bytes).
    let rawLabels: [[[UInt8]]]

    init(path: String, delimiter: UInt8, decimalSeparator: UInt8, rows: Int, columns: [String], labels: [[String]],
         counts: [[Int]], firstRows: [[Int]], firstOffsets: [[Int]], pairs: [Pair], joint: [[Int: Int]],
         rawLabels: [[[UInt8]]]) {
        self.path = path; self.delimiter = delimiter; self.decimalSeparator = decimalSeparator; self.rows = rows
        self.columns = columns; self.labels = labels; self.counts = counts; self.firstRows = firstRows
        self.firstOffsets = firstOffsets; self.pairs = pairs; self.joint = joint; self.rawLabels = rawLabels
    }

    /// The column names of the file's header, with the delimiter `CSVReader` would use.
    /// The header's warnings as `CSVReader` gives them (columns without a name).
    public static func headerWarnings(path: String, delimiter: UInt8? = nil) throws -> [String] {
        try CSVReader.columnNames(try columnNames(path: path, delimiter: delimiter), source: path).warnings
    }

    public static func columnNames(path: String, delimiter: UInt8? = nil) throws -> [String] {
        let d = try sniff(path: path, delimiter: delimiter).delimiter
        return try StreamingCSVScanner(path: path, delimiter: d, workers: 1).header
    }

    /// Whether a codebook takes `text` for a code when mapping value labels (a number with a decimal point).
    public static func parsesAsCode(_ text: String) -> Bool { CSVNumberParser.parse(text) != nil }

    /// The delimiter and decimal separator `CSVReader` would use for the file: the same sniffer on the same
    /// sample (the first MiB after a byte-order mark).
    static func sniff(path: String, delimiter: UInt8?, decimal: UInt8? = nil) throws -> (delimiter: UInt8, decimalSeparator: UInt8) {
        try FileSignature.rejectUTF16(path: path)
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw DataError.io(path: path, message: String(cString: strerror(errno))) }
        defer { close(fd) }
        let want = (1 << 20) + (1 << 16) + 3
        var buf = [UInt8](repeating: 0, count: want)
        var got = 0
        while got < want {
            let n = buf.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + got, want - got, off_t(got)) }
            if n <= 0 { break }
            got += n
        }
        var start = 0
        if got >= 3 && buf[0] == 0xEF && buf[1] == 0xBB && buf[2] == 0xBF { start = 3 }
        return buf.withUnsafeBufferPointer { b in
            CSVSniffer.sniff(b.baseAddress! + start, got - start, delimiter: delimiter, decimal: decimal)
        }
    }

    /// The distinct texts read back through `CSVReader` with `options` (its delimiter and decimal separator
    /// replaced by the file's): row `r` of variable `columns[c]` is `labels[c][r]` (rows beyond a column's
    /// count repeat its first text and mean nothing). A first column holds the row number, so that no line is
    /// blank. The dataset's `source` is the file's path, so messages name the file.
    ///
    /// - Throws: what `CSVReader` throws; a non-numeric text in a column forced numeric is reported with the
    ///   file's line of its first appearance.
    public func dataset(options: CSVOptions) throws -> Dataset {
        let height = rawLabels.map(\.count).max() ?? 0
        var bytes: [UInt8] = []
        let delim = delimiter
        func put(_ field: [UInt8]) {
            let needsQuotes = field.contains { $0 == delim || $0 == 34 || $0 == 10 || $0 == 13 }
            if needsQuotes {
                bytes.append(34)
                for b in field { if b == 34 { bytes.append(34) }; bytes.append(b) }
                bytes.append(34)
            } else {
                bytes += field
            }
        }
        let rowColumn = "\u{1}row"
        put(Array(rowColumn.utf8))
        for name in columns { bytes.append(delim); put(Array(name.utf8)) }
        bytes.append(10)
        for r in 0..<height {
            put(Array(String(r).utf8))
            for c in rawLabels.indices {
                bytes.append(delim)
                if !rawLabels[c].isEmpty { put(r < rawLabels[c].count ? rawLabels[c][r] : rawLabels[c][0]) }
            }
            bytes.append(10)
        }
        var o = options
        o.delimiter = delimiter
        o.decimalSeparator = decimalSeparator == UInt8(ascii: ",") ? .comma : .point
        o.hasHeader = true
        o.columns = nil
        o.ignoreUnknownColumnTypes = true
        o.maxThreads = 1
        // A non-number in a column forced numeric: the reader reports the first such field of the file, so find
        // the text that appears first (the small file's line numbers mean nothing to the user).
        var firstBad: (column: Int, label: Int, row: Int)?
        for (c, name) in columns.enumerated() where o.columnTypes[name] == .numeric {
            for (k, text) in labels[c].enumerated()
            where !isMissingOrNumber(text, raw: rawLabels[c][k], naTokens: o.naTokens) {
                if firstBad == nil || firstRows[c][k] < firstBad!.row { firstBad = (c, k, firstRows[c][k]) }
                break  // texts are in order of first appearance
            }
        }
        if let bad = firstBad {
            let header = try StreamingCSVScanner(path: path, delimiter: delimiter, workers: 1).header
            let columnNumber = (header.firstIndex(of: columns[bad.column]) ?? -1) + 1
            if let message = ValueMessages.notANumber(
                column: columns[bad.column], value: labels[bad.column][bad.label], delimiter: delimiter,
                decimal: decimalSeparator, delimiterGiven: options.delimiter != nil,
                decimalGiven: options.decimalSeparator != .auto) {
                throw DataError.malformed(source: path, line: try lineNumber(column: bad.column, label: bad.label),
                                          column: columnNumber, message: message)
            }
            throw DataError.nonNumericValue(source: path, line: try lineNumber(column: bad.column, label: bad.label),
                                            columnNumber: columnNumber, column: columns[bad.column],
                                            value: labels[bad.column][bad.label])
        }
        let d = try CSVReader.read(bytes: bytes, source: path, options: o)
        return Dataset(source: path, variables: d.variables.filter { $0.name != rowColumn })
    }

    /// Whether the reader would take `text` as missing or a number.
    func isMissingOrNumber(_ text: String, raw: [UInt8], naTokens: [String]) -> Bool {
        let na = MissingTokens(naTokens)
        let missing = raw.withUnsafeBufferPointer { b -> Bool in
            guard let p = b.baseAddress else { return true }
            return na.isMissing(p, 0, b.count)
        }
        if missing || text.allSatisfy({ $0 == " " }) { return true }
        return CSVNumberParser.parse(text, decimal: decimalSeparator) != nil
    }
}

/// A column's distinct texts in one worker, in order of first appearance.
struct RawLabelTable {
    var labels: [[UInt8]] = []
    var counts: [Int] = []
    var firstRow: [Int] = []
    var firstOffset: [Int] = []
    var lookup: [[UInt8]: Int32] = [:]

    /// Index of the text, adding it when new; −1 when the column has too many distinct texts.
    @inline(__always)
    mutating func index(_ p: UnsafePointer<UInt8>, _ n: Int, row: Int, offset: Int) -> Int32 {
        if labels.count <= 16 {
            for (i, l) in labels.enumerated() where l.count == n {
                if n == 0 || memcmp(l, p, n) == 0 { return Int32(i) }
            }
        } else {
            let key = Array(UnsafeBufferPointer(start: p, count: n))
            if let i = lookup[key] { return i }
        }
        guard labels.count < CategoricalTally.maximumDistinctTexts else { return -1 }
        let key = Array(UnsafeBufferPointer(start: p, count: n))
        let i = Int32(labels.count)
        labels.append(key)
        counts.append(0)
        firstRow.append(row)
        firstOffset.append(offset)
        if labels.count == 17 { for (k, l) in labels.enumerated() { lookup[l] = Int32(k) } }
        else if labels.count > 17 { lookup[key] = i }
        return i
    }
}

/// Per-worker state of a tally: one label table per column, the current record's text per column, and flat
/// dense tables (texts 0..<64) for the per-column counts and the joint counts per pair (a dictionary beyond).
/// The hot path — a one-byte field already seen — is one table load per field and one increment per column and
/// pair per record, all on flat arrays.
struct TallySink: RecordSink {
    static let denseLabels = 64
    let slotOfColumn: [Int32]
    let columnNames: [String]
    let pairFirst: [Int]
    let pairSecond: [Int]
    var tables: [RawLabelTable]
    /// `single[s * 256 + byte]`: index of the one-byte text `byte` in column s, −1 until seen.
    var single: [Int32]
    var current: [Int32]
    /// `columnCounts[s * 64 + text]` for texts < 64; larger texts count in `tables[s].counts`.
    var columnCounts: [Int]
    /// `dense[p * 4096 + a * 64 + b]`.
    var dense: [Int]
    var sparse: [[Int: Int]]
    var rows = 0
    var offset = 0
    let lastColumn: Int
    /// Columns in no pair: only these are counted per record (a paired column's counts are its pair's margins).
    let unpaired: [Int]
    /// For a paired column, (pair, whether it is the pair's first column).
    let marginOf: [(pair: Int, first: Bool)?]

    init(slotOfColumn: [Int32], columns: [String], pairs: [(Int, Int)]) {
        var margin = [(pair: Int, first: Bool)?](repeating: nil, count: columns.count)
        for (p, (a, b)) in pairs.enumerated() {
            if margin[a] == nil { margin[a] = (p, true) }
            if margin[b] == nil { margin[b] = (p, false) }
        }
        marginOf = margin
        unpaired = columns.indices.filter { margin[$0] == nil }
        self.slotOfColumn = slotOfColumn
        columnNames = columns
        pairFirst = pairs.map(\.0)
        pairSecond = pairs.map(\.1)
        tables = Array(repeating: RawLabelTable(), count: columns.count)
        single = Array(repeating: -1, count: columns.count * 256)
        current = Array(repeating: 0, count: columns.count)
        columnCounts = Array(repeating: 0, count: columns.count * Self.denseLabels)
        dense = Array(repeating: 0, count: pairs.count * Self.denseLabels * Self.denseLabels)
        sparse = Array(repeating: [:], count: pairs.count)
        lastColumn = slotOfColumn.lastIndex { $0 >= 0 } ?? 0
    }

    mutating func beginRecord() {}
    mutating func beginRecord(at offset: Int) { self.offset = offset }

    @inline(__always)
    mutating func field(_ column: Int, _ bytes: UnsafePointer<UInt8>, _ count: Int) -> String? {
        let s = Int(slotOfColumn[column])
        if s < 0 { return nil }
        if count == 1 {
            let i = single[s &* 256 &+ Int(bytes[0])]
            if i >= 0 { current[s] = i; return nil }
        }
        let i = tables[s].index(bytes, count, row: rows, offset: offset)
        if i < 0 {
            return "\(columnNames[s]): \(CategoricalTally.tooManyValuesMessage) (more than \(CategoricalTally.maximumDistinctTexts))"
        }
        if count == 1 { single[s * 256 + Int(bytes[0])] = i }
        current[s] = i
        return nil
    }

    @inline(__always)
    mutating func endRecord() {
        let d = Self.denseLabels
        current.withUnsafeBufferPointer { cur in
            columnCounts.withUnsafeMutableBufferPointer { cc in
                for s in unpaired {
                    let x = Int(cur[s])
                    if x < d { cc[s &* d &+ x] &+= 1 } else { tables[s].counts[x] &+= 1 }
                }
            }
            if !pairFirst.isEmpty {
                dense.withUnsafeMutableBufferPointer { dp in
                    for p in 0..<pairFirst.count {
                        let x = Int(cur[pairFirst[p]]), y = Int(cur[pairSecond[p]])
                        if x < d && y < d { dp[p &* d &* d &+ x &* d &+ y] &+= 1 } else { sparse[p][x << 32 | y, default: 0] += 1 }
                    }
                }
            }
        }
        rows += 1
    }

    /// Row count of text `k` of column `s`.
    func count(_ s: Int, _ k: Int) -> Int {
        if let (p, first) = marginOf[s] {
            var n = 0
            forEachJoint(p) { a, b, c in if (first ? a : b) == k { n += c } }
            return n
        }
        return k < Self.denseLabels ? columnCounts[s * Self.denseLabels + k] : tables[s].counts[k]
    }

    func forEachJoint(_ p: Int, _ body: (Int, Int, Int) -> Void) {
        let d = Self.denseLabels
        for x in 0..<d { for y in 0..<d where dense[p * d * d + x * d + y] != 0 { body(x, y, dense[p * d * d + x * d + y]) } }
        for (key, n) in sparse[p] { body(key >> 32, key & 0xFFFF_FFFF, n) }
    }
}
