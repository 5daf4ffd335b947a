/// Counts of the answers to one Likert item (in one group): how many respondents gave each whole-number code
/// 0…254, and how many left the field empty (system missing).
///
/// Every Likert summary — n, mean, SD, SE, median, percent per scale point, top-/bottom-box shares — is a function
/// of these counts, so the counts are the exact, mergeable, O(1)-memory representation of a column of answers:
/// counting a file in parallel chunks and adding the tables gives bit-for-bit the same result as one pass.
public struct LikertCounts: Sendable, Equatable, Hashable {
    /// Respondents per code; index = code (0…254).
    public var byCode: [Int]
    /// Empty fields and `NA`.
    public var systemMissing: Int
    /// Codes that mean "missing" (e.g. 9 = "vet ikke"); counted in `byCode` but excluded from every statistic.
    public var missingCodes: Set<Int>
    /// Ranges of codes that mean "missing" (SPSS user-missing ranges such as 97 THRU 99); like `missingCodes`.
    public var missingRanges: [ClosedRange<Double>]

    public static let codeLimit = 255

    public init(missingCodes: Set<Int> = [], missingRanges: [ClosedRange<Double>] = []) {
        byCode = [Int](repeating: 0, count: LikertCounts.codeLimit)
        systemMissing = 0
        self.missingCodes = missingCodes
        self.missingRanges = missingRanges
    }

    /// Counts built from values (`nil` = system missing). Values must be whole numbers in 0…254.
    public init<S: Sequence>(values: S, missingCodes: Set<Int> = [], missingRanges: [ClosedRange<Double>] = [])
        throws where S.Element == Double? {
        self.init(missingCodes: missingCodes, missingRanges: missingRanges)
        for v in values {
            guard let v else { systemMissing += 1; continue }
            guard v == v.rounded(), v >= 0, v < Double(LikertCounts.codeLimit) else {
                throw DataError.invalid("Likert code \(v) is not a whole number in 0…254")
            }
            byCode[Int(v)] += 1
        }
    }

    public static func + (a: LikertCounts, b: LikertCounts) -> LikertCounts {
        var r = a
        for i in 0..<r.byCode.count { r.byCode[i] += b.byCode[i] }
        r.systemMissing += b.systemMissing
        r.missingCodes.formUnion(b.missingCodes)
        for range in b.missingRanges where !r.missingRanges.contains(range) { r.missingRanges.append(range) }
        return r
    }

    /// True when `code` is a declared missing code or lies in a declared missing range (`MissingValueSet`, the
    /// definition every analysis uses).
    @inline(__always) public func isMissingCode(_ code: Int) -> Bool {
        if missingCodes.contains(code) { return true }
        return !missingRanges.isEmpty && MissingValueSet(ranges: missingRanges).contains(Double(code))
    }

    /// Valid answers (not system missing and not a declared missing code).
    public var n: Int {
        var s = 0
        for (code, c) in byCode.enumerated() where c != 0 && !isMissingCode(code) { s += c }
        return s
    }

    /// System-missing plus declared-missing answers.
    public var missing: Int {
        var s = systemMissing
        for (code, c) in byCode.enumerated() where c != 0 && isMissingCode(code) { s += c }
        return s
    }

    /// Count of each valid code that occurs, in code order.
    public var validCodes: [(code: Int, count: Int)] {
        byCode.enumerated().compactMap { (code, c) in c != 0 && !isMissingCode(code) ? (code, c) : nil }
    }

    /// Exact integer sums Σc, Σk·c, Σk²·c over the valid codes.
    var sums: (n: Int, s1: Int, s2: Int) {
        var n = 0, s1 = 0, s2 = 0
        for (code, c) in byCode.enumerated() where c != 0 && !isMissingCode(code) {
            n += c; s1 += code * c; s2 += code * code * c
        }
        return (n, s1, s2)
    }

    /// Mean of the valid codes: Σk·c / n, one rounding. `nil` when n = 0.
    public var mean: Double? {
        let (n, s1, _) = sums
        return n == 0 ? nil : Double(s1) / Double(n)
    }

    /// Sample variance (n − 1 denominator). Computed as (nΣk²c − (Σkc)²) / (n(n−1)) with the numerator in exact
    /// integer arithmetic, so the only roundings are the final conversion and division. `nil` when n < 2.
    public var variance: Double? {
        let (n, s1, s2) = sums
        guard n >= 2 else { return nil }
        let a = n.multipliedFullWidth(by: s2), b = s1.multipliedFullWidth(by: s1)
        // 128-bit a − b; both are non-negative and a ≥ b (Cauchy–Schwarz).
        let (lo, borrow) = a.low.subtractingReportingOverflow(b.low)
        let hi = a.high - b.high - (borrow ? 1 : 0)
        let numerator = Double(hi) * 18446744073709551616.0 + Double(lo)
        if hi != 0 {
            // Beyond 2^64 the conversion above rounds twice; fall back to a two-pass sum over the codes.
            let m = Double(s1) / Double(n)
            var ss = 0.0
            for (code, c) in byCode.enumerated() where c != 0 && !isMissingCode(code) {
                let d = Double(code) - m; ss += Double(c) * d * d
            }
            return ss / Double(n - 1)
        }
        return numerator / (Double(n) * Double(n - 1))
    }

    /// Sample standard deviation.
    public var standardDeviation: Double? { variance.map { $0.squareRoot() } }

    /// Standard error of the mean, SD/√n.
    public var standardError: Double? {
        guard let sd = standardDeviation else { return nil }
        return sd / Double(n).squareRoot()
    }

    /// Median of the valid codes (mean of the two middle answers when n is even).
    public var median: Double? {
        let n = self.n
        guard n > 0 else { return nil }
        func nth(_ k: Int) -> Int {  // k-th smallest valid answer, 0-based
            var seen = 0
            for (code, c) in validCodes { seen += c; if k < seen { return code } }
            return validCodes.last!.code
        }
        return n % 2 == 1 ? Double(nth(n / 2)) : (Double(nth(n / 2 - 1)) + Double(nth(n / 2))) / 2
    }

    /// Percent of valid answers with `code`.
    public func percent(_ code: Int) -> Double? {
        let n = self.n
        guard n > 0, code >= 0, code < byCode.count, !isMissingCode(code) else { return nil }
        return 100 * Double(byCode[code]) / Double(n)
    }

    /// Percent of valid answers whose code is in `codes` (top box "4+5", bottom box "1+2").
    public func percent(of codes: Set<Int>) -> Double? {
        let n = self.n
        guard n > 0 else { return nil }
        let c = codes.reduce(0) { $0 + ($1 >= 0 && $1 < byCode.count && !isMissingCode($1) ? byCode[$1] : 0) }
        return 100 * Double(c) / Double(n)
    }
}

/// Likert counts for several items, per level of a grouping variable (and overall).
public struct GroupedLikertCounts: Sendable, Equatable {
    /// Item (variable) names, in the order requested.
    public let items: [String]
    /// Grouping variable, `nil` for an ungrouped summary.
    public let groupVariable: String?
    /// Group labels as they appear in the data, sorted numerically when all are numbers, else in Norwegian
    /// order (`sortedLevelLabels`).
    public let groups: [String]
    /// `counts[g][i]`: item `i` among respondents in group `g`.
    public let counts: [[LikertCounts]]
    /// Counts of respondents whose group is missing (empty/NA), per item; they enter `overall` but no group.
    public let missingGroup: [LikertCounts]
    /// Number of data rows read.
    public let rows: Int

    public init(items: [String], groupVariable: String?, groups: [String], counts: [[LikertCounts]],
                missingGroup: [LikertCounts], rows: Int) {
        self.items = items; self.groupVariable = groupVariable; self.groups = groups
        self.counts = counts; self.missingGroup = missingGroup; self.rows = rows
    }

    /// Item `i` over all respondents, whatever their group.
    public func overall(_ i: Int) -> LikertCounts {
        counts.reduce(missingGroup[i]) { $0 + $1[i] }
    }

    /// Counts for `item` in `group`, or `nil` when either is unknown.
    public func counts(item: String, group: String) -> LikertCounts? {
        guard let i = items.firstIndex(of: item), let g = groups.firstIndex(of: group) else { return nil }
        return counts[g][i]
    }
}

/// Orders group labels as the in-memory engine orders a column's levels: numerically when every label is a
/// number (the column is read as numbers), else in Norwegian order (`NorwegianCollation`, as `FactorCodes`).
func sortedLevelLabels(_ labels: [String]) -> [String] {
    let nums = labels.map { Double($0) }
    if nums.allSatisfy({ $0 != nil }) {
        return zip(labels, nums).sorted { ($0.1!, $0.0) < ($1.1!, $1.0) }.map(\.0)
    }
    return NorwegianCollation.sorted(labels)
}
