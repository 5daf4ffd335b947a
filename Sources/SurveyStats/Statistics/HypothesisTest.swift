/// Which tail(s) a p-value covers.
public enum Tail: String, Sendable, CaseIterable, Codable {
    /// Two-sided: P(|T| ≥ |t|). For F and χ² (one-sided by nature) the upper tail, as `.right`.
    case both
    /// Lower tail: P(T ≤ t).
    case left
    /// Upper tail: P(T ≥ t).
    case right
}

/// The common shape of every test result (after HypothesisTests.jl): a statistic, its degrees of freedom,
/// p-values for any tail, and one uniform way to print it.
public protocol HypothesisTest: Sendable, CustomStringConvertible {
    /// Human-readable name, e.g. "Welch two-sample t-test".
    var testName: String { get }
    /// The test statistic (t, z, F, χ² …).
    var statistic: Double { get }
    /// Degrees of freedom of the statistic's reference distribution: empty for z and exact tests (Fisher),
    /// [df] for t and χ², [df₁, df₂] (numerator, denominator) for F.
    var degreesOfFreedom: [Double] { get }
    /// The test's standardised effect size (Cohen's d, η², ω², Cramér's V, Cohen's h …), or nil when the inputs
    /// do not determine one (a z or χ² statistic given without its sample size).
    var effectSize: EffectSize? { get }
    /// p-value for the given tail. t and z: `.both` two-sided, `.left`/`.right` one-sided. F and χ² (one-sided by
    /// nature): `.right` and `.both` give the upper tail, the usual p-value; `.left` the lower tail. Fisher's exact
    /// test: two-sided, or one-sided on the odds ratio.
    func pValue(tail: Tail) -> Double
}

/// A named standardised effect size, e.g. ("Cohen's d", 0.42) or ("η²", 0.06).
public struct EffectSize: Sendable, Equatable, CustomStringConvertible {
    /// How it prints: "Cohen's d", "Hedges' g", "η²", "ω²", "Cramér's V", "Cohen's h", "odds ratio", "r" …
    public let name: String
    public let value: Double
    public init(name: String, value: Double) { self.name = name; self.value = value }
    public var description: String { "\(name) = \(formatStat(value))" }
}

extension HypothesisTest {
    public var pValue: Double { pValue(tail: .both) }

    /// Significance stars the way the report prints them: *** p<.001, ** p<.01, * p<.05.
    public var stars: String { significanceStars(pValue) }

    /// The statistic with its degrees of freedom the way papers print it: "t(12) = 2.5", "F(2, 30.1) = 4.1",
    /// "z = 1.96". `symbol` is the statistic's letter (t, z, F, χ², G², …).
    func statisticText(_ symbol: String) -> String {
        let df = degreesOfFreedom.isEmpty ? "" : "(" + degreesOfFreedom.map(formatStat).joined(separator: ", ") + ")"
        return "\(symbol)\(df) = \(formatStat(statistic))"
    }

    /// ", Cohen's d = 0.42" (or "" without an effect size), for appending to a description line.
    var effectSizeSuffix: String { effectSize.map { ", \($0)" } ?? "" }
}

