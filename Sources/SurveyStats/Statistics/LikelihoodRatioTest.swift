/// The likelihood-ratio (G²) test of independence in a contingency table: G² = 2 Σ O ln(O/E) on
/// (r − 1)(c − 1) df, referred to χ² (scipy `chi2_contingency(lambda_="log-likelihood")`, R `MASS::loglm`).
///
/// Usually taken from a table, `CrossTab.likelihoodRatioTest`; `init(gSquare:df:)` starts from a published G²
/// and its df.
public struct LikelihoodRatioTest: HypothesisTest, Equatable {
    /// G².
    public let statistic: Double
    public let df: Double
    public var testName: String { "Likelihood-ratio G² test of independence" }
    public var gSquare: Double { statistic }
    /// [df].
    public var degreesOfFreedom: [Double] { [df] }
    /// None: G² alone does not give a standardised size (the table's Cramér's V is `CrossTab.effectSize`).
    public var effectSize: EffectSize? { nil }

    /// From a published G² and its df.
    public init(gSquare: Double, df: Double) throws {
        guard df > 0, df.isFinite else { throw StatisticsError.invalidArgument("G² test: df must be positive, got \(df)") }
        guard gSquare >= 0 else { throw StatisticsError.invalidArgument("G² test: G² must be ≥ 0, got \(gSquare)") }
        self.init(validatedGSquare: gSquare, df: df)
    }

    /// From a table's own G² and df (df 0 for a table with one non-empty row or column: p is then NaN).
    init(validatedGSquare gSquare: Double, df: Double) { statistic = gSquare; self.df = df }

    /// The upper tail P(χ² ≥ G²) for `.right` and `.both` (the test's p-value), the lower tail for `.left`.
    public func pValue(tail: Tail) -> Double { chiSquaredPValue(statistic, df: df, tail: tail) }

    public var description: String {
        "\(testName)\n  \(statisticText("G²")), p = \(formatP(pValue)) \(stars)"
    }
}
