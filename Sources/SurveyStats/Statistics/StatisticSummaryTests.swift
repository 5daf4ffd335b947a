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
    /// The upper tail P(F ≥ f) for `.right` and `.both` (the F test's p-value), the lower tail for `.left`.
    public func pValue(tail: Tail) -> Double { fDistributionPValue(statistic, df1: df1, df2: df2, tail: tail) }
    /// [df₁, df₂].
    public var degreesOfFreedom: [Double] { [df1, df2] }
    /// Partial η² = F·df₁/(F·df₁ + df₂) (`rSquared`; η² itself for a one-way ANOVA or a model's overall F).
    public var effectSize: EffectSize? { EffectSize(name: "partial η²", value: rSquared) }
    /// R² (= η², or partial η² for one effect) implied by F: F·df₁ / (F·df₁ + df₂).
    public var rSquared: Double { statistic * df1 / (statistic * df1 + df2) }
    /// Adjusted R² for a model with df₁ predictors and df₂ residual df (n = df₁ + df₂ + 1).
    public var adjustedRSquared: Double { 1 - (1 - rSquared) * (df1 + df2) / df2 }
    /// F implied by an R² with the same df: (R²/df₁) / ((1 − R²)/df₂).
    public var f: Double { statistic }
    public static func fStatistic(rSquared: Double, df1: Double, df2: Double) -> Double { (rSquared / df1) / ((1 - rSquared) / df2) }
    public var description: String {
        "\(testName)\n  \(statisticText("F")), p = \(formatP(pValue)) \(stars)\(effectSizeSuffix)"
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
    /// [df].
    public var degreesOfFreedom: [Double] { [df] }
    /// r = √(t²/(t² + df)) (`effectSizeR`, unsigned).
    public var effectSize: EffectSize? { EffectSize(name: "r", value: effectSizeR) }
    public var description: String {
        "\(testName)\n  \(statisticText("t")), p (two-sided) = \(formatP(pValue)) \(stars)\(effectSizeSuffix)"
    }
}

/// A standard-normal z statistic: p-value for any tail.
public struct ZTestSummary: HypothesisTest {
    public let statistic: Double
    public var testName: String { "z test (from z)" }
    public init(z: Double) { statistic = z }
    public func pValue(tail: Tail) -> Double { normalPValue(statistic, tail: tail) }
    /// None: z is referred to the standard normal.
    public var degreesOfFreedom: [Double] { [] }
    /// None: z without its sample size determines no standardised effect.
    public var effectSize: EffectSize? { nil }
    public var description: String { "\(testName)\n  \(statisticText("z")), p (two-sided) = \(formatP(pValue)) \(stars)" }
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
    /// The upper tail P(χ² ≥ x) for `.right` and `.both` (the test's p-value), the lower tail for `.left`.
    public func pValue(tail: Tail) -> Double { chiSquaredPValue(statistic, df: df, tail: tail) }
    /// [df].
    public var degreesOfFreedom: [Double] { [df] }
    /// None: χ² without N (and the table's shape) determines no standardised effect.
    public var effectSize: EffectSize? { nil }
    public var description: String { "\(testName)\n  \(statisticText("χ²")), p = \(formatP(pValue)) \(stars)" }
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
    /// [n − 2].
    public var degreesOfFreedom: [Double] { [df] }
    /// r itself.
    public var effectSize: EffectSize? { EffectSize(name: "r", value: r) }
    public var description: String {
        "\(testName)\n  \(statisticText("t")), p (two-sided) = \(formatP(pValue)) \(stars), r = \(formatStat(r)), n = \(formatStat(n))"
    }
}
