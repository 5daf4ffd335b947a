/// Welch's two-sample t-test (HypothesisTests.jl `UnequalVarianceTTest`).
///
/// SE = √(s₁²/n₁ + s₂²/n₂), Welch–Satterthwaite df = SE⁴ / ((s₁²/n₁)²/(n₁−1) + (s₂²/n₂)²/(n₂−1)).
/// Cohen's d uses the pooled SD (as for the Student test), so d does not change with the choice of test.
/// Matches scipy `ttest_ind(equal_var=False)`.
public struct UnequalVarianceTTest: TTest {
    public internal(set) var sample1: SampleSummary
    public internal(set) var sample2: SampleSummary
    /// Names of the two groups when built from a grouped column (else "group 1", "group 2").
    public internal(set) var groupNames: [String] = ["group 1", "group 2"]
    public let nullValue: Double
    public var testName: String { "Welch two-sample t-test (unequal variances)" }
    /// x̄₁ − x̄₂ (from raw data computed on shifted values, so nearly equal large means keep their digits).
    public private(set) var estimate: Double
    public var standardError: Double {
        let (scale, a, b) = scaledVarianceShares
        return scale * (a + b).squareRoot()
    }
    /// Welch–Satterthwaite degrees of freedom (NaN when both SDs are 0: 0/0, undefined — t is then ±∞ or NaN and
    /// its p-value does not depend on df). Scale-invariant, so formed from the scaled shares: (s²/n)² underflows to
    /// 0 at SD 1e-90 and overflows at SD 1e80 (df was 0/0 or ∞/∞).
    public var df: Double {
        let (_, a, b) = scaledVarianceShares
        return (a + b) * (a + b) / (a * a / (sample1.n - 1) + b * b / (sample2.n - 1))
    }
    /// s₁²/n₁ and s₂²/n₂ divided by m², m = max(s₁, s₂) (so the larger share is 1/n), and m: the variance
    /// shares in a range where squaring them neither underflows nor overflows. Both SDs 0: the shares are 0, so
    /// SE = 0 as for the Student test on the same data (t = ±∞ when the means differ), and df = 0/0.
    private var scaledVarianceShares: (scale: Double, a: Double, b: Double) {
        let m = Swift.max(sample1.sd, sample2.sd)
        if m == 0 { return (0, 0, 0) }
        guard m > 0, m.isFinite else { return (m, .nan, .nan) }
        let r1 = sample1.sd / m, r2 = sample2.sd / m
        return (m, r1 * r1 / sample1.n, r2 * r2 / sample2.n)
    }
    /// Pooled SD, formed without squaring the SDs themselves (s² overflows at 1e160 and underflows at 1e-170).
    public var pooledSD: Double { EqualVarianceTTest.pooledSD(sample1, sample2) }
    public var cohensD: Double {
        if let h = SampleSummary.halfDistance(sample1, sample2, from: 0) { return h / (pooledSD / 2) }
        return estimate / pooledSD
    }
    public var halfDistanceFromNull: Double? { SampleSummary.halfDistance(sample1, sample2, from: nullValue) }
    /// Hedges' g with the pooled df n₁ + n₂ − 2 (the df of the standardiser, not Welch's df).
    public var hedgesG: Double { cohensD * hedgesCorrection(df: sample1.n + sample2.n - 2) }

    public init(_ sample1: SampleSummary, _ sample2: SampleSummary, difference: Double = 0) throws {
        self.sample1 = try sample1.validated("Welch t-test group 1")
        self.sample2 = try sample2.validated("Welch t-test group 2")
        self.nullValue = difference
        self.estimate = SampleSummary.meanDifference(sample1, sample2)
    }
    public init(mean1: Double, sd1: Double, n1: Int, mean2: Double, sd2: Double, n2: Int, difference: Double = 0) throws {
        try self.init(SampleSummary(n: n1, mean: mean1, sd: sd1), SampleSummary(n: n2, mean: mean2, sd: sd2),
                      difference: difference)
    }
    /// From raw data (NaN = missing). Both samples are shifted by a common value before the moments are taken,
    /// so the mean difference of data like 1000000.003 vs 1000000.005 keeps full relative accuracy.
    public init(_ x: [Double], _ y: [Double], difference: Double = 0) throws {
        let (s1, s2) = shiftedSummaries(x, y)
        try self.init(s1, s2, difference: difference)
    }
}
