/// Cell counts of a two-way table of two categorical variables, with the number of rows left out because either
/// variable was missing. Everything a crosstab reports (percents, χ², G², Cramér's V, expected counts) is a
/// function of these counts.
public struct CrossTabCounts: Sendable, Equatable {
    public let rowVariable: String
    public let columnVariable: String
    /// Row and column level labels, ordered as the in-memory engine orders levels (`sortedLevelLabels`:
    /// numerically when all are numbers, else in Norwegian order).
    public let rowLabels: [String]
    public let columnLabels: [String]
    /// `counts[r][c]`.
    public let counts: [[Int]]
    /// Data rows where the row or the column variable was missing (empty, NA or a declared missing code).
    public let missing: Int

    public init(rowVariable: String, columnVariable: String, rowLabels: [String], columnLabels: [String],
                counts: [[Int]], missing: Int) {
        self.rowVariable = rowVariable; self.columnVariable = columnVariable
        self.rowLabels = rowLabels; self.columnLabels = columnLabels
        self.counts = counts; self.missing = missing
    }

    /// Total of all cells.
    public var total: Int { counts.reduce(0) { $0 + $1.reduce(0, +) } }

    /// Pearson's χ² statistic Σ (O − E)²/E over cells with E > 0, and its degrees of freedom (r − 1)(c − 1)
    /// counted over the rows and columns with a non-zero margin.
    public var pearsonChiSquared: (statistic: Double, df: Int) {
        let rowSums = counts.map { $0.reduce(0, +) }
        var colSums = [Int](repeating: 0, count: columnLabels.count)
        for r in counts { for (j, c) in r.enumerated() { colSums[j] += c } }
        let n = Double(total)
        var x2 = 0.0
        for (i, r) in counts.enumerated() where rowSums[i] > 0 {
            for (j, o) in r.enumerated() where colSums[j] > 0 {
                let e = Double(rowSums[i]) * Double(colSums[j]) / n
                let d = Double(o) - e
                x2 += d * d / e
            }
        }
        let df = (rowSums.filter { $0 > 0 }.count - 1) * (colSums.filter { $0 > 0 }.count - 1)
        return (x2, df)
    }
}

/// Per-worker state of a streaming crosstab.
struct CrossTabCountingSink: RecordSink {
    let rowColumn: Int
    let columnColumn: Int
    let naTokens: [[UInt8]]
    var rowLabels = LabelTable()
    var colLabels = LabelTable()
    /// Flat `[rowIndex][colIndex]` with a row stride that grows with the number of column levels.
    var cells: [Int: Int] = [:]
    var dense = [Int](repeating: 0, count: 64 * 64)
    var r = -1
    var c = -1
    var missing = 0
    var lastColumn: Int { max(rowColumn, columnColumn) }

    init(rowColumn: Int, columnColumn: Int, naTokens: [[UInt8]]) {
        self.rowColumn = rowColumn; self.columnColumn = columnColumn; self.naTokens = naTokens
    }

    mutating func beginRecord() { r = -1; c = -1 }

    @inline(__always)
    mutating func field(_ column: Int, _ bytes: UnsafePointer<UInt8>, _ count: Int) -> String? {
        if column == rowColumn {
            r = FieldBytes.isMissing(bytes, count, naTokens: naTokens) ? -1 : rowLabels.index(bytes, count)
        }
        if column == columnColumn {
            c = FieldBytes.isMissing(bytes, count, naTokens: naTokens) ? -1 : colLabels.index(bytes, count)
        }
        return nil
    }

    @inline(__always)
    mutating func endRecord() {
        if r < 0 || c < 0 { missing += 1; return }
        // Up to 64 × 64 levels in a dense table; beyond, a dictionary (rare: crosstabs of many levels are unreadable).
        if r < 64 && c < 64 { dense[r &* 64 &+ c] &+= 1 } else { cells[r << 32 | c, default: 0] += 1 }
    }

    func count(_ i: Int, _ j: Int) -> Int {
        i < 64 && j < 64 ? dense[i * 64 + j] : cells[i << 32 | j] ?? 0
    }
}

extension CrossTabCounts {
    /// Counts `row` × `column` in an in-memory dataset. Rows where either is missing (system missing or a
    /// declared missing code) are counted in `missing`. Gives exactly what `stream(path:…)` gives for the file.
    public static func count(_ dataset: Dataset, row: String, column: String) throws -> CrossTabCounts {
        let r = GroupCodes(try dataset.variable(row)), c = GroupCodes(try dataset.variable(column))
        let nc = c.labels.count + 1
        var flat = [Int](repeating: 0, count: (r.labels.count + 1) * nc)
        r.codes.withUnsafeBufferPointer { rp in
            c.codes.withUnsafeBufferPointer { cp in
                flat.withUnsafeMutableBufferPointer { f in
                    for i in 0..<rp.count { f[Int(rp[i]) &* nc &+ Int(cp[i])] &+= 1 }
                }
            }
        }
        let counts = (1...max(1, r.labels.count)).prefix(r.labels.count).map { i in (1..<nc).map { flat[i * nc + $0] } }
        let total = flat.reduce(0, +)
        return CrossTabCounts(rowVariable: row, columnVariable: column, rowLabels: r.labels, columnLabels: c.labels,
                              counts: counts, missing: total - counts.reduce(0) { $0 + $1.reduce(0, +) })
    }

    /// Counts `row` × `column` in the CSV file at `path`, streaming it on all cores with O(levels²) memory.
    /// A row whose row or column value is empty, `NA` or in `missingValues` is counted in `missing`.
    public static func stream(path: String, row: String, column: String, missingValues: Set<String> = [],
                              naTokens: [String] = ["NA"], delimiter: UInt8? = nil,
                              workers: Int? = nil, blockSize: Int = 1 << 20,
                              minimumBytesPerWorker: Int = 1 << 22) throws -> CrossTabCounts {
        var scanner = try StreamingCSVScanner(path: path, delimiter: delimiter, workers: workers)
        scanner.blockSize = blockSize
        scanner.minimumBytesPerWorker = minimumBytesPerWorker
        let ri = try scanner.columnIndex(row), ci = try scanner.columnIndex(column)
        guard ri != ci else { throw DataError.invalid("crosstab of \(row) with itself") }
        let na = (naTokens + missingValues).map { Array($0.utf8) }
        let sinks = try scanner.scan { CrossTabCountingSink(rowColumn: ri, columnColumn: ci, naTokens: na) }
        var rowSet = Set<String>(), colSet = Set<String>()
        for s in sinks { rowSet.formUnion(s.rowLabels.strings); colSet.formUnion(s.colLabels.strings) }
        let rl = sortedLevelLabels(Array(rowSet)), cl = sortedLevelLabels(Array(colSet))
        let rIndex = Dictionary(uniqueKeysWithValues: rl.enumerated().map { ($1, $0) })
        let cIndex = Dictionary(uniqueKeysWithValues: cl.enumerated().map { ($1, $0) })
        var counts = [[Int]](repeating: [Int](repeating: 0, count: cl.count), count: rl.count)
        var missing = 0
        for s in sinks {
            missing += s.missing
            let rs = s.rowLabels.strings, cs = s.colLabels.strings
            for (i, rlab) in rs.enumerated() {
                for (j, clab) in cs.enumerated() {
                    counts[rIndex[rlab]!][cIndex[clab]!] += s.count(i, j)
                }
            }
        }
        return CrossTabCounts(rowVariable: row, columnVariable: column, rowLabels: rl, columnLabels: cl,
                              counts: counts, missing: missing)
    }
}
