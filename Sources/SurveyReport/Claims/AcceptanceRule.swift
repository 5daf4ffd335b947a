/// A real interval with explicit open/closed ends, e.g. the rounding interval [60.5, 61.5) of a printed "61".
public struct AcceptanceInterval: Sendable, Equatable, Codable, CustomStringConvertible {
    public var lo: Double
    public var hi: Double
    /// Whether `lo` itself is accepted.
    public var loClosed: Bool
    /// Whether `hi` itself is accepted.
    public var hiClosed: Bool

    public init(lo: Double, hi: Double, loClosed: Bool = true, hiClosed: Bool = false) {
        self.lo = lo; self.hi = hi; self.loClosed = loClosed; self.hiClosed = hiClosed
    }

    /// Whether `x` lies in the interval. A tiny relative slack (1e-9) absorbs binary floating-point noise in
    /// computed values such as 61.5 that arrive as 61.49999999999999.
    public func contains(_ x: Double) -> Bool {
        guard x.isFinite || (x == hi && hiClosed) || (x == lo && loClosed) else { return false }
        let slack = 1e-9 * max(1, abs(x))
        let aboveLo = loClosed ? x >= lo - slack : x > lo + slack
        let belowHi = hiClosed ? x <= hi + slack : x < hi - slack
        return aboveLo && belowHi
    }

    /// Whether two intervals share at least one point.
    public func overlaps(_ other: AcceptanceInterval) -> Bool {
        if hi < other.lo || other.hi < lo { return false }
        if hi == other.lo { return hiClosed && other.loClosed }
        if other.hi == lo { return other.hiClosed && loClosed }
        return true
    }

    /// The shared part of two intervals, nil when they are disjoint.
    public func intersection(_ other: AcceptanceInterval) -> AcceptanceInterval? {
        guard overlaps(other) else { return nil }
        let lo = max(self.lo, other.lo), hi = min(self.hi, other.hi)
        let loClosed = (lo == self.lo ? self.loClosed : true) && (lo == other.lo ? other.loClosed : true)
        let hiClosed = (hi == self.hi ? self.hiClosed : true) && (hi == other.hi ? other.hiClosed : true)
        return AcceptanceInterval(lo: lo, hi: hi, loClosed: loClosed, hiClosed: hiClosed)
    }

    public var description: String {
        "\(loClosed ? "[" : "(")\(formatNumber(lo)), \(formatNumber(hi))\(hiClosed ? "]" : ")")"
    }
}

/// The test the report ran (or would have run) behind a significance statement.
public enum SignificanceTest: String, Sendable, Codable, CaseIterable {
    /// Independent two-sample t-test on means (e.g. statlig vs kommunal, ordførere vs rådmenn).
    case twoSampleT = "two-sample-t"
    /// One-way ANOVA across three or more groups (e.g. ordfører / rådmann / Nav-leder).
    case anova
    /// Two-sample proportion z-test (e.g. 2011 vs 2019, 2014 vs 2019).
    case twoProportionZ = "two-proportion-z"
    /// One-sample proportion z-test against a known population share (Tabell 3).
    case oneSampleProportionZ = "one-sample-proportion-z"
    /// Pearson χ² test of independence on a cross-table.
    case chiSquared = "chi-squared"
    /// Overall F-test of a linear regression.
    case regressionF = "regression-f"
}

/// How two computed quantities must relate for a direction claim to hold.
public enum ComparisonRelation: String, Sendable, Codable, CaseIterable {
    /// a > b (strictly). For "a is the largest/most common", b is the largest of the others.
    case greater
    /// a < b (strictly). For "a is the smallest", b is the smallest of the others.
    case less
    /// |a − b| ≤ tolerance ("omtrent like", "samme nivå").
    case similar
}

/// The rule that decides whether a computed value reproduces a published claim.
public enum AcceptanceRule: Sendable, Equatable {
    /// The computed statistic must lie in the interval (rounding of the printed digits, widened or shifted by a
    /// qualifier, or the mean band of a verbal level). For a claim about several variables at once (e.g. "between
    /// 70 and 84 percent for all four items"), every variable's value must lie in it.
    case interval(AcceptanceInterval)
    /// The comparison of a and b must have the stated relation; `tolerance` is used by `.similar` only.
    case direction(relation: ComparisonRelation, a: ClaimOperand, b: ClaimOperand, tolerance: Double?)
    /// The named test's p-value must be below `alpha` (`significant == true`) or at/above it (`false`).
    /// `stars` records the printed marker ("***"), whose own threshold then applies as well.
    case significance(test: SignificanceTest, alpha: Double, significant: Bool, stars: String?,
                      a: ClaimOperand?, b: ClaimOperand?)

    /// The interval, when this is an interval rule.
    public var interval: AcceptanceInterval? {
        if case .interval(let iv) = self { return iv }
        return nil
    }
}

/// Formats a number without trailing zeros ("60.5", "3.855", "100").
func formatNumber(_ x: Double) -> String {
    if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
    var s = String(format: "%.10f", x)
    while s.hasSuffix("0") { s.removeLast() }
    if s.hasSuffix(".") { s.removeLast() }
    return s
}
