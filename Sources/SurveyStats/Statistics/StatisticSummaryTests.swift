import Foundation

// Tests that start from a published statistic and its degrees of freedom (statcheck-style recomputation used by
// the audit, `surveystats check`): they recompute p, and for F the R² / η² it implies.

/// An F statistic with (df₁, df₂): p-value and the R² it implies for a model F test.
public struct FTestSummary: HypothesisTest {
    public let statistic: Double
    public let df1: Double
    public let df2: Double
    public var testName: String { "F test (from F and df)" }
    public init(f: Double, df1: Double, df2: Double) throws {
        guard df1 > 0, df2 > 0 else { throw StatisticsError.invalidArgument("F test: df must be positive, got (\(df1), \(df2))") }
        guard f >= 0 else { throw StatisticsError.invalidArgument("F test: F must be ≥ 0, got \(f)") }
        statistic = f; self.df1 = df1; self.df2 = df2
    }
    public func pValue(tail: Tail) -> Double { fDistributionPValue(statistic, df1: df1, df2: df2) }
    /// R² (= η², or partial η² for one effect) implied by F: F·df₁ / (F·df₁ + df₂).
    public var rSquared: Double { statistic * df1 / (statistic * df1 + df2) }
    /// Adjusted R² for a model with df₁ predictors and df₂ residual df (n = df₁ + df₂ + 1).
    public var adjustedRSquared: Double { 1 - (1 - rSquared) * (df1 + df2) / df2 }
    /// F implied by an R² with the same df: (R²/df₁) / ((1 − R²)/df₂).
    public var f: Double { statistic }
    public static func fStatistic(rSquared: Double, df1: Double, df2: Double) -> Double { (rSquared / df1) / ((1 - rSquared) / df2) }
    public var description: String {
        "\(testName)\n  F(\(formatStat(df1)), \(formatStat(df2))) = \(formatStat(statistic)), p = \(formatP(pValue)) \(stars), implied R² = \(formatStat(rSquared))"
    }
}

/// A t statistic with df: p-value for any tail (and r = √(t²/(t² + df)), the implied effect-size correlation).
public struct TTestSummary: HypothesisTest {
    public let statistic: Double
    public let df: Double
    public var testName: String { "t test (from t and df)" }
    public init(t: Double, df: Double) throws {
        guard df > 0 else { throw StatisticsError.invalidArgument("t test: df must be positive, got \(df)") }
        statistic = t; self.df = df
    }
    public func pValue(tail: Tail) -> Double { tDistributionPValue(statistic, df: df, tail: tail) }
    public var effectSizeR: Double { (statistic * statistic / (statistic * statistic + df)).squareRoot() }
    public var description: String {
        "\(testName)\n  t(\(formatStat(df))) = \(formatStat(statistic)), p (two-sided) = \(formatP(pValue)) \(stars)"
    }
}

/// A standard-normal z statistic: p-value for any tail.
public struct ZTestSummary: HypothesisTest {
    public let statistic: Double
    public var testName: String { "z test (from z)" }
    public init(z: Double) { statistic = z }
    public func pValue(tail: Tail) -> Double { normalPValue(statistic, tail: tail) }
    public var description: String { "\(testName)\n  z = \(formatStat(statistic)), p (two-sided) = \(formatP(pValue)) \(stars)" }
}

/// A χ² statistic with df: upper-tail p-value.
public struct ChiSquaredTestSummary: HypothesisTest {
    public let statistic: Double
    public let df: Double
    public var testName: String { "χ² test (from χ² and df)" }
    public init(chiSquare: Double, df: Double) throws {
        guard df > 0 else { throw StatisticsError.invalidArgument("χ² test: df must be positive, got \(df)") }
        guard chiSquare >= 0 else { throw StatisticsError.invalidArgument("χ² test: χ² must be ≥ 0, got \(chiSquare)") }
        statistic = chiSquare; self.df = df
    }
    public func pValue(tail: Tail) -> Double { chiSquaredPValue(statistic, df: df) }
    public var description: String { "\(testName)\n  χ²(\(formatStat(df))) = \(formatStat(statistic)), p = \(formatP(pValue)) \(stars)" }
}

/// A Pearson correlation r from n pairs: t = r√(n−2)/√(1−r²) on n − 2 df.
public struct CorrelationTestSummary: HypothesisTest {
    public let r: Double
    public let n: Double
    public var testName: String { "correlation t test (from r and n)" }
    public init(r: Double, n: Double) throws {
        guard n > 2 else { throw StatisticsError.tooFewObservations(what: "correlation test", needed: 3, got: Int(n)) }
        guard abs(r) <= 1 else { throw StatisticsError.invalidArgument("correlation must be in [−1, 1], got \(r)") }
        self.r = r; self.n = n
    }
    public var df: Double { n - 2 }
    public var statistic: Double { r * (df / ((1 - r) * (1 + r))).squareRoot() }
    public func pValue(tail: Tail) -> Double { tDistributionPValue(statistic, df: df, tail: tail) }
    public var description: String {
        "\(testName)\n  r = \(formatStat(r)), n = \(formatStat(n)), t(\(formatStat(df))) = \(formatStat(statistic)), p = \(formatP(pValue)) \(stars)"
    }
}
