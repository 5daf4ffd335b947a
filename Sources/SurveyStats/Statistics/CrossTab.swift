import Dispatch
import Foundation
import Matrix

/// A two-way contingency table with row/column/total percentages, expected counts, Pearson χ², likelihood-ratio
/// G², Cramér's V, and a warning when expected counts fall below 5.
///
/// Counts may be weighted (non-integer). Rows or columns whose total is 0 are kept in `counts` for display but
/// left out of the tests (they carry no information and would make expected counts 0); `notes` says so and `df`
/// is (r′−1)(c′−1) over the non-empty rows/columns. Matches scipy `chi2_contingency(correction=False)` and
/// `chi2_contingency(lambda_='log-likelihood')`; `yatesChiSquare` is scipy's default for 2×2 tables.
public struct CrossTab: HypothesisTest {
    public let rowLabels: [String]
    public let columnLabels: [String]
    /// counts[r][c].
    public let counts: [[Double]]
    /// Rows excluded because the row or column label was missing (for label-vector input).
    public let missing: Int
    public let rowTotals: [Double]
    public let columnTotals: [Double]
    public let total: Double
    /// Expected counts under independence, rowTotal·columnTotal/total.
    public let expected: [[Double]]
    /// Pearson χ² = Σ(O − E)²/E over the non-empty rows and columns.
    public let chiSquare: Double
    /// Likelihood-ratio G² = 2 Σ O ln(O/E).
    public let gSquare: Double
    public let df: Double
    /// Cells (among the non-empty rows/columns) with expected count < 5, and their number.
    public let cellsWithExpectedBelow5: Int
    public let testedCells: Int
    public let minimumExpected: Double
    public let notes: [String]

    public var testName: String { "Pearson χ² test of independence" }
    public var statistic: Double { chiSquare }
    /// [df].
    public var degreesOfFreedom: [Double] { [df] }
    /// Cramér's V.
    public var effectSize: EffectSize? { EffectSize(name: "Cramér's V", value: cramersV) }
    /// p of Pearson's χ²: the upper tail (the test's p-value) for `.right` and `.both`, the lower tail for `.left`.
    public func pValue(tail: Tail) -> Double { chiSquaredPValue(chiSquare, df: df, tail: tail) }
    /// p of the likelihood-ratio G² (upper tail).
    public var gSquarePValue: Double { chiSquaredPValue(gSquare, df: df) }
    /// The likelihood-ratio test of independence on the same table: G² on the same df, as a test value.
    public var likelihoodRatioTest: LikelihoodRatioTest { LikelihoodRatioTest(validatedGSquare: gSquare, df: df) }
    /// Share of tested cells with expected count < 5 (the usual rule: warn above 20 %).
    public var shareExpectedBelow5: Double { testedCells == 0 ? .nan : Double(cellsWithExpectedBelow5) / Double(testedCells) }
    /// The warning to print, if any expected count is below 5.
    public var expectedCountWarning: String? {
        // No test (df = 0, e.g. a 1×k table): nothing whose approximation could be poor.
        guard cellsWithExpectedBelow5 > 0, df > 0 else { return nil }
        return "\(cellsWithExpectedBelow5) of \(testedCells) cells (\(String(format: "%.1f", 100 * shareExpectedBelow5)) %) have expected count < 5 (minimum \(String(format: "%.2f", minimumExpected))); the χ² approximation may be poor"
    }
    /// Cramér's V = √(χ²/(N·(min(r′, c′) − 1))).
    public var cramersV: Double {
        let k = Swift.min(activeRows, activeColumns) - 1
        return k > 0 ? (chiSquare / (total * Double(k))).squareRoot() : .nan
    }
    let activeRows: Int
    let activeColumns: Int

    /// Percent of the row total in each cell.
    public var rowPercents: [[Double]] { counts.indices.map { r in counts[r].map { 100 * $0 / rowTotals[r] } } }
    /// Percent of the column total in each cell.
    public var columnPercents: [[Double]] { counts.map { row in row.indices.map { 100 * row[$0] / columnTotals[$0] } } }
    /// Percent of the grand total in each cell.
    public var totalPercents: [[Double]] { counts.map { row in row.map { 100 * $0 / total } } }

    /// Yates-corrected χ² for a 2×2 table (scipy's default `correction=True`); nil for other shapes.
    public var yatesChiSquare: Double? {
        guard activeRows == 2, activeColumns == 2 else { return nil }
        var s = 0.0
        for r in counts.indices where rowTotals[r] > 0 {
            for c in counts[r].indices where columnTotals[c] > 0 {
                let d = Swift.max(0, abs(counts[r][c] - expected[r][c]) - 0.5)
                s += Self.chiSquareTerm(d, expected[r][c])
            }
        }
        return s
    }

    /// From a counts matrix (rows × columns). Negative or non-finite counts throw.
    public init(counts: [[Double]], rowLabels: [String]? = nil, columnLabels: [String]? = nil, missing: Int = 0) throws {
        let r = counts.count
        guard r > 0, let c = counts.first?.count, c > 0 else { throw StatisticsError.invalidArgument("cross-tab: empty table") }
        guard counts.allSatisfy({ $0.count == c }) else { throw StatisticsError.invalidArgument("cross-tab: rows have different lengths") }
        for row in counts { for x in row where !(x >= 0 && x.isFinite) {
            throw StatisticsError.invalidArgument("cross-tab: count \(x) is negative or not finite")
        } }
        self.rowLabels = rowLabels ?? (1...r).map(String.init)
        self.columnLabels = columnLabels ?? (1...c).map(String.init)
        guard self.rowLabels.count == r, self.columnLabels.count == c else {
            throw StatisticsError.invalidArgument("cross-tab: label counts do not match the table (\(r) × \(c))")
        }
        self.counts = counts
        self.missing = missing
        let rowTotals = counts.map { CompensatedSum.sum($0) }
        let columnTotals = (0..<c).map { j in CompensatedSum.sum(counts.map { $0[j] }) }
        let total = CompensatedSum.sum(rowTotals)
        self.rowTotals = rowTotals; self.columnTotals = columnTotals; self.total = total
        let activeR = rowTotals.indices.filter { rowTotals[$0] > 0 }
        let activeC = columnTotals.indices.filter { columnTotals[$0] > 0 }
        activeRows = activeR.count; activeColumns = activeC.count
        var notes = [String]()
        let emptyR = r - activeR.count, emptyC = c - activeC.count
        if emptyR > 0 { notes.append("\(emptyR) empty row(s) left out of the test") }
        if emptyC > 0 { notes.append("\(emptyC) empty column(s) left out of the test") }
        expected = counts.indices.map { i in (0..<c).map { j in
            guard total > 0 else { return .nan }
            // r·c overflows for weighted totals beyond ~1e154 where r·(c/N) does not (ordinary tables: as before).
            let e = rowTotals[i] * columnTotals[j] / total
            return e.isFinite ? e : rowTotals[i] * (columnTotals[j] / total)
        } }
        var x2 = CompensatedSum(), g2 = CompensatedSum(), below = 0, minE = Double.infinity
        for i in activeR {
            for j in activeC {
                let o = counts[i][j], e = expected[i][j]
                x2.add(Self.chiSquareTerm(o - e, e))
                if o > 0 { g2.add(2 * o * log(o / e)) }
                if e < 5 { below += 1 }
                minE = Swift.min(minE, e)
            }
        }
        chiSquare = x2.value
        gSquare = g2.value
        df = Double(Swift.max(0, activeR.count - 1) * Swift.max(0, activeC.count - 1))
        if df == 0 { notes.append("fewer than 2 non-empty rows or columns: no test of independence") }
        cellsWithExpectedBelow5 = below
        testedCells = activeR.count * activeC.count
        minimumExpected = minE
        self.notes = notes
    }

    /// d²/e, as (d/e)·d when d² overflows (weighted counts beyond ~1e154, whose χ² is still a finite number).
    static func chiSquareTerm(_ d: Double, _ e: Double) -> Double {
        let t = d * d / e
        return t.isFinite ? t : d / e * d
    }

    /// Weighted counts are Σw: a cell or grand total beyond double's range is refused before any statistic is
    /// built on it (`init(counts:)` would only see an infinite count).
    static func requireRepresentableWeightedTotal(_ cells: [Double]) throws {
        guard cells.allSatisfy(\.isFinite), CompensatedSum.sum(cells).isFinite else {
            throw StatisticsError.weightTotalNotRepresentable(what: "cross-tab")
        }
    }

    /// From two label vectors (one pair per respondent, optional case weights). Pairs with a missing label or a
    /// NaN weight are counted in `missing`. Levels are ordered by `rowOrder`/`columnOrder` when given (codebook
    /// order; levels not listed are appended in Norwegian order), else in Norwegian order (`NorwegianCollation`).
    public init(rows: [String?], columns: [String?], weights: [Double]? = nil,
                rowOrder: [String]? = nil, columnOrder: [String]? = nil) throws {
        guard rows.count == columns.count else {
            throw StatisticsError.invalidArgument("cross-tab: \(rows.count) row labels but \(columns.count) column labels")
        }
        if let w = weights, w.count != rows.count {
            throw StatisticsError.invalidArgument("cross-tab: \(w.count) weights for \(rows.count) rows")
        }
        var cells = [String: [String: Double]](), missing = 0
        var rset = Set<String>(), cset = Set<String>()
        for i in rows.indices {
            guard let a = rows[i], let b = columns[i] else { missing += 1; continue }
            let w = weights?[i] ?? 1
            if w.isNaN { missing += 1; continue }
            guard w >= 0, w.isFinite else { throw StatisticsError.invalidArgument("cross-tab: weight \(w) in row \(i + 1)") }
            cells[a, default: [:]][b, default: 0] += w
            rset.insert(a); cset.insert(b)
        }
        func ordered(_ set: Set<String>, _ order: [String]?) -> [String] {
            guard let order else { return NorwegianCollation.sorted(set) }
            return order + NorwegianCollation.sorted(set.subtracting(order))
        }
        let rl = ordered(rset, rowOrder), cl = ordered(cset, columnOrder)
        if weights != nil { try Self.requireRepresentableWeightedTotal(cells.values.flatMap(\.values)) }
        try self.init(counts: rl.map { r in cl.map { cells[r]?[$0] ?? 0 } }, rowLabels: rl, columnLabels: cl, missing: missing)
    }

    /// From the level codes of two categorical variables (one row per respondent, optional case weights): the
    /// levels of `rows` and `columns` in their order, rows with code 0 in either or a NaN weight counted in
    /// `missing`. Unweighted counts are tallied on all cores in a flat table indexed by the two codes (no labels
    /// per row); weighted counts are summed in row order, as `init(rows:columns:weights:)` sums them.
    public init(rows: FactorCodes, columns: FactorCodes, weights: [Double]? = nil) throws {
        guard rows.count == columns.count else {
            throw StatisticsError.invalidArgument("cross-tab: \(rows.count) row codes but \(columns.count) column codes")
        }
        if let w = weights, w.count != rows.count {
            throw StatisticsError.invalidArgument("cross-tab: \(w.count) weights for \(rows.count) rows")
        }
        let nc = columns.levelCount + 1, cells = (rows.levelCount + 1) * nc
        var flat = [Double](repeating: 0, count: cells)
        var missing = 0
        if let weights {
            try rows.codes.withUnsafeBufferPointer { r in
                try columns.codes.withUnsafeBufferPointer { c in
                    for i in 0..<r.count {
                        let a = Int(r[i]), b = Int(c[i]), w = weights[i]
                        if a == 0 || b == 0 || w.isNaN { missing += 1; continue }
                        guard w >= 0, w.isFinite else { throw StatisticsError.invalidArgument("cross-tab: weight \(w) in row \(i + 1)") }
                        flat[a * nc + b] += w
                    }
                }
            }
            try Self.requireRepresentableWeightedTotal(flat)
        } else {
            let chunks = RowChunks(rowCount: rows.count)
            var partial = [Int](repeating: 0, count: chunks.count * cells)
            rows.codes.withUnsafeBufferPointer { r in
                columns.codes.withUnsafeBufferPointer { c in
                    partial.withUnsafeMutableBufferPointer { p in
                        let base = p.baseAddress!
                        chunks.forEach { k, range in
                            let t = base + k * cells
                            for i in range { t[Int(r[i]) &* nc &+ Int(c[i])] &+= 1 }
                        }
                    }
                }
            }
            var total = [Int](repeating: 0, count: cells)
            for k in 0..<chunks.count { for j in 0..<cells { total[j] += partial[k * cells + j] } }
            for a in 0...rows.levelCount {
                for b in 0..<nc where a == 0 || b == 0 { missing += total[a * nc + b] }
            }
            flat = total.map(Double.init)
        }
        let counts = (0..<rows.levelCount).map { i in (1..<nc).map { flat[(i + 1) * nc + $0] } }
        guard !counts.isEmpty, nc > 1 else {
            throw StatisticsError.invalidArgument("cross-tab: no rows with both \(rows.levelCount == 0 ? "row" : "column") and the other variable present")
        }
        try self.init(counts: counts, rowLabels: rows.names, columnLabels: columns.names, missing: missing)
    }

    /// The cross-tabulation of two variables of a dataset, levels and missing rows as `FactorCodes` defines them.
    ///
    /// Unweighted, two numeric variables holding whole-number codes 0…255 (the usual survey case) are counted in
    /// one pass over their values into a 257 × 257 table per core (code × code, NaN in the last slot), from which
    /// the levels, the cells and the missing rows follow — no code arrays, no second pass. Anything else goes
    /// through `FactorCodes`.
    public init(_ dataset: Dataset, row: String, column: String, weights: [Double]? = nil) throws {
        let rv = try dataset.variable(row), cv = try dataset.variable(column)
        if weights == nil, case .numeric(let rc) = rv.values, case .numeric(let cc) = cv.values,
           let joint = CrossTab.smallCodeTable(rc, cc) {
            let w = CrossTab.codeWidth
            func levels(_ v: Variable, _ total: (Int) -> Int) -> [Int] {
                let missing = MissingValueSet(v)
                return (0..<256).filter { total($0) > 0 && !missing.contains(Double($0)) }
            }
            let rl = levels(rv) { a in (0..<w).reduce(0) { $0 + joint[a * w + $1] } }
            let cl = levels(cv) { b in (0..<w).reduce(0) { $0 + joint[$1 * w + b] } }
            guard !rl.isEmpty, !cl.isEmpty else {
                throw StatisticsError.invalidArgument("cross-tab: no rows with both \(row) and \(column) present")
            }
            let counts = rl.map { a in cl.map { b in Double(joint[a * w + b]) } }
            let used = counts.reduce(0) { $0 + $1.reduce(0, +) }
            try self.init(counts: counts, rowLabels: rv.levelNames(codes: rl.map(Double.init)),
                          columnLabels: cv.levelNames(codes: cl.map(Double.init)),
                          missing: rc.count - Int(used))
            return
        }
        try self.init(rows: FactorCodes(rv), columns: FactorCodes(cv), weights: weights)
    }

    /// Codes 0…255 plus one slot for NaN.
    static let codeWidth = 257

    /// The joint counts of two columns' whole-number codes (slot 256 = NaN), on all cores, or `nil` when a value
    /// is neither such a code nor NaN (the caller then codes the levels in general).
    static func smallCodeTable(_ r: NumericColumn, _ c: NumericColumn) -> [Int]? {
        let n = r.count, w = codeWidth
        guard c.count == n, n < Int(UInt32.max) else { return nil }
        if let rb = r.codes, let cb = c.codes {
            // Two code columns: the bytes are the codes (255 = missing → the NaN slot).
            let workers = max(1, min(RowChunks.cores, n / (1 << 16)))
            var tables = [[UInt32]](repeating: [], count: workers)
            rb.withUnsafeBufferPointer { rs in
                cb.withUnsafeBufferPointer { cs in
                    tables.withUnsafeMutableBufferPointer { tp in
                        let tBase = tp.baseAddress!
                        let body = { (k: Int) in
                            var t = [UInt32](repeating: 0, count: w * w)
                            t.withUnsafeMutableBufferPointer { tb in
                                for i in (n * k / workers)..<(n * (k + 1) / workers) {
                                    let a = Int(rs[i]), b = Int(cs[i])
                                    tb[(a == 255 ? 256 : a) &* w &+ (b == 255 ? 256 : b)] &+= 1
                                }
                            }
                            tBase[k] = t
                        }
                        if workers == 1 { body(0) } else { DispatchQueue.concurrentPerform(iterations: workers, execute: body) }
                    }
                }
            }
            var joint = [Int](repeating: 0, count: w * w)
            for t in tables { for j in 0..<(w * w) { joint[j] += Int(t[j]) } }
            return joint
        }
        let workers = max(1, min(RowChunks.cores, n / (1 << 16)))
        var tables = [[UInt32]](repeating: [], count: workers)
        var failed = [Bool](repeating: false, count: workers)
        let ro = r.offset, co = c.offset
        r.stored.withUnsafeBufferPointer { rs in
            c.stored.withUnsafeBufferPointer { cs in
                tables.withUnsafeMutableBufferPointer { tp in
                    failed.withUnsafeMutableBufferPointer { fp in
                        let tBase = tp.baseAddress!, fBase = fp.baseAddress!
                        let body = { (k: Int) in
                            var t = [UInt32](repeating: 0, count: w * w)
                            var bad = false
                            t.withUnsafeMutableBufferPointer { tb in
                                for i in (n * k / workers)..<(n * (k + 1) / workers) {
                                    let x = ro + rs[i], y = co + cs[i]
                                    var a = smallCode(x), b = smallCode(y)
                                    if a < 0 { if x.isNaN { a = 256 } else { bad = true; break } }
                                    if b < 0 { if y.isNaN { b = 256 } else { bad = true; break } }
                                    tb[a &* w &+ b] &+= 1
                                }
                            }
                            tBase[k] = t
                            fBase[k] = bad
                        }
                        if workers == 1 { body(0) } else { DispatchQueue.concurrentPerform(iterations: workers, execute: body) }
                    }
                }
            }
        }
        if failed.contains(true) { return nil }
        var joint = [Int](repeating: 0, count: w * w)
        for t in tables { for j in 0..<(w * w) { joint[j] += Int(t[j]) } }
        return joint
    }

    public var description: String {
        var lines = ["Cross-tabulation \(counts.count) × \(counts.first?.count ?? 0), N = \(formatStat(total))\(missing > 0 ? ", missing \(missing)" : "")"]
        let width = Swift.max(8, (rowLabels + columnLabels).map(\.count).max() ?? 8)
        func pad(_ s: String) -> String { s.count >= width ? s : String(repeating: " ", count: width - s.count) + s }
        lines.append(pad("") + " " + columnLabels.map(pad).joined(separator: " ") + " " + pad("total"))
        for (i, row) in counts.enumerated() {
            lines.append(pad(rowLabels[i]) + " " + row.map { pad(formatStat($0)) }.joined(separator: " ") + " " + pad(formatStat(rowTotals[i])))
        }
        lines.append("  Pearson χ² = \(formatStat(chiSquare)), df = \(formatStat(df)), p = \(formatP(pValue)) \(stars)")
        lines.append("  likelihood ratio G² = \(formatStat(gSquare)), p = \(formatP(gSquarePValue)); Cramér's V = \(formatStat(cramersV))")
        if let w = expectedCountWarning { lines.append("  warning: \(w)") }
        for n in notes { lines.append("  note: \(n)") }
        return lines.joined(separator: "\n")
    }
}
