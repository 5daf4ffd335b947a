import Foundation

/// Common behaviour of the t-tests (`OneSampleTTest`, `EqualVarianceTTest`, `UnequalVarianceTTest`,
/// `PairedTTest`): t = (estimate − nullValue) / standardError on `df` degrees of freedom.
public protocol TTest: HypothesisTest {
    /// The estimated mean or mean difference.
    var estimate: Double { get }
    /// The value of the estimate under the null hypothesis (μ₀, or the hypothesised difference).
    var nullValue: Double { get }
    var standardError: Double { get }
    /// Degrees of freedom (fractional for Welch).
    var df: Double { get }
    /// Cohen's d (standardised effect; see each type for the standardiser).
    var cohensD: Double { get }
    /// (estimate − nullValue)/2, formed from halved means, when the estimate itself is not representable (two
    /// means near ±1.8e308 whose difference overflows); nil otherwise. t and d are ratios, so they are formed
    /// from it (and SE/2, the standardiser/2) without the overflow.
    var halfDistanceFromNull: Double? { get }
    /// Hedges' g (bias-corrected d).
    var hedgesG: Double { get }
}

extension TTest {
    public var halfDistanceFromNull: Double? { nil }

    /// t = (estimate − nullValue) / SE. ±inf when SE = 0 and the estimate differs from the null; NaN when both
    /// are zero (no variation at all: the test is undefined).
    public var statistic: Double {
        if let h = halfDistanceFromNull, standardError > 0 { return h / (standardError / 2) }
        return (estimate - nullValue) / standardError
    }
    public var t: Double { statistic }
    /// [df] (Welch–Satterthwaite's fractional df for the Welch test).
    public var degreesOfFreedom: [Double] { [df] }
    /// Cohen's d (d_z for the paired test); Hedges' g is `hedgesG`.
    public var effectSize: EffectSize? { EffectSize(name: "Cohen's d", value: cohensD) }

    /// p-value from the t survival function (accurate for tiny p).
    public func pValue(tail: Tail) -> Double { tDistributionPValue(statistic, df: df, tail: tail) }

    /// CI of the mean (difference) at `level`; `.left`/`.right` give one-sided intervals matching those tails.
    public func confidenceInterval(level: Double = 0.95, tail: Tail = .both) -> ConfidenceInterval {
        if checkLevel(level), standardError == 0, estimate.isFinite {
            // No variation: the interval is the estimate itself whatever the quantile (q·0), so also when Welch's
            // df is 0/0 — as the Student interval on the same data is.
            return ConfidenceInterval(lower: tail == .left ? -.infinity : estimate,
                                      upper: tail == .right ? .infinity : estimate, level: level)
        }
        guard checkLevel(level), df > 0 else {            // also false for NaN df
            return ConfidenceInterval(lower: .nan, upper: .nan, level: level)
        }
        let alpha = tail == .both ? (1 - level) / 2 : 1 - level
        let q = df.isInfinite ? NormalDistribution.standard.inverseSF(alpha) : StudentTDistribution(df: df).inverseSF(alpha)
        let lo = tail == .left ? -Double.infinity : estimate - q * standardError
        let hi = tail == .right ? Double.infinity : estimate + q * standardError
        return ConfidenceInterval(lower: lo, upper: hi, level: level)
    }

    /// Why t is ±∞ or undefined, when the samples have no variation at all (SE = 0); empty otherwise.
    public var notes: [String] {
        guard standardError == 0 else { return [] }
        if statistic.isNaN {
            return ["No variation in the data and no difference from the null value: t and p are undefined."]
        }
        return ["No variation within the data: the difference is exact, so t = \(statistic > 0 ? "∞" : "−∞") and p is 0 (or 1 on the opposite one-sided alternative)"
                + (df.isNaN ? "; Welch's degrees of freedom are 0/0, undefined (p does not depend on them)." : ".")]
    }

    /// Hedges' g: Cohen's d times the exact small-sample correction J(df) = Γ(df/2) / (√(df/2) Γ((df−1)/2)).
    public var hedgesG: Double { cohensD * hedgesCorrection(df: df) }

    /// Uniform printout: name, estimate, t, df, p, CI, effect size.
    public var description: String {
        let ci = confidenceInterval(level: 0.95)
        return """
        \(testName)
          estimate \(formatStat(estimate)) (null \(formatStat(nullValue))), SE \(formatStat(standardError))
          t = \(formatStat(statistic)), df = \(formatStat(df)), p (two-sided) = \(formatP(pValue(tail: .both))) \(stars)
          \(ci)
          Cohen's d = \(formatStat(cohensD)), Hedges' g = \(formatStat(hedgesG))
        """ + notes.map { "\n  " + $0 }.joined()
    }
}

/// Summaries of two samples taken after subtracting a common shift (the first non-missing value), which becomes
/// both summaries' `reference`, so their mean difference is formed without cancellation.
func shiftedSummaries(_ x: [Double], _ y: [Double], offset: Double = 0) -> (SampleSummary, SampleSummary) {
    let shift = x.first(where: { $0.isFinite }) ?? y.first(where: { $0.isFinite }) ?? 0
    func summary(_ v: [Double]) -> SampleSummary {
        let s = SampleSummary(v.map { $0 - shift })
        return SampleSummary(n: s.n, reference: offset + shift, deviation: s.mean, sd: s.sd)
    }
    return (summary(x), summary(y))
}

/// Exact Hedges correction J(df) = Γ(df/2) / (√(df/2) Γ((df−1)/2)) (Hedges 1981), ≈ 1 − 3/(4df − 1).
public func hedgesCorrection(df: Double) -> Double {
    guard df > 1 else { return .nan }
    if df.isInfinite { return 1 }
    let x = df / 2
    if x < 50 {
        return exp(SpecialFunctions.logGamma(x) - SpecialFunctions.logGamma(x - 0.5)) / x.squareRoot()
    }
    // For large df the difference of two big log-gammas cancels; use Stirling's series for the difference:
    // ln J = −(x−1)·ln(1 − 1/(2x)) − ½ + s(x) − s(x−½), s(z) = 1/(12z) − 1/(360z³) + 1/(1260z⁵).
    func s(_ z: Double) -> Double { 1 / (12 * z) - 1 / (360 * z * z * z) + 1 / (1260 * z * z * z * z * z) }
    return exp(-(x - 1) * log1p(-1 / (2 * x)) - 0.5 + (s(x) - s(x - 0.5)))
}
