/// Student's two-sample t-test with pooled variance (HypothesisTests.jl `EqualVarianceTTest`).
///
/// estimate = x̄₁ − x̄₂, s²ₚ = ((n₁−1)s₁² + (n₂−1)s₂²)/(n₁+n₂−2), SE = sₚ√(1/n₁ + 1/n₂), df = n₁ + n₂ − 2.
/// Cohen's d = (x̄₁ − x̄₂)/sₚ. Matches scipy `ttest_ind(equal_var=True)` and `ttest_ind_from_stats`.
public struct EqualVarianceTTest: TTest {
    public internal(set) var sample1: SampleSummary
    public internal(set) var sample2: SampleSummary
    /// Names of the two groups when built from a grouped column (else "group 1", "group 2").
    public internal(set) var groupNames: [String] = ["group 1", "group 2"]
    /// Hypothesised difference μ₁ − μ₂ (usually 0).
    public let nullValue: Double
    public var testName: String { "Two-sample t-test (equal variance, pooled)" }
    /// x̄₁ − x̄₂ (from raw data computed on shifted values, so nearly equal large means keep their digits).
    public private(set) var estimate: Double
    public var df: Double { sample1.n + sample2.n - 2 }
    /// Pooled SD sₚ. A group of one adds nothing to the pooled sum of squares (its SD is undefined, NaN, from data).
    /// Formed from the SDs relative to the larger one m, so s² neither underflows (SD 1e-170) nor overflows (1e160).
    public var pooledSD: Double { Self.pooledSD(sample1, sample2) }

    /// √(((n₁−1)s₁² + (n₂−1)s₂²)/(n₁+n₂−2)), the SDs taken relative to the larger one (scale-invariant; shared
    /// with the Welch test's Cohen's d). A group of one contributes nothing.
    static func pooledSD(_ sample1: SampleSummary, _ sample2: SampleSummary) -> Double {
        let m = Swift.max(sample1.n > 1 ? sample1.sd : 0, sample2.n > 1 ? sample2.sd : 0)
        guard m > 0, m.isFinite else { return m == 0 ? 0 : .nan }
        func squares(_ s: SampleSummary) -> Double { s.n > 1 ? (s.n - 1) * (s.sd / m) * (s.sd / m) : 0 }
        return m * ((squares(sample1) + squares(sample2)) / (sample1.n + sample2.n - 2)).squareRoot()
    }
    public var standardError: Double { pooledSD * (1 / sample1.n + 1 / sample2.n).squareRoot() }
    public var cohensD: Double {
        if let h = SampleSummary.halfDistance(sample1, sample2, from: 0) { return h / (pooledSD / 2) }
        return estimate / pooledSD
    }
    public var halfDistanceFromNull: Double? { SampleSummary.halfDistance(sample1, sample2, from: nullValue) }

    public init(_ sample1: SampleSummary, _ sample2: SampleSummary, difference: Double = 0) throws {
        self.sample1 = try sample1.validated("t-test group 1", minimumN: 1)
        self.sample2 = try sample2.validated("t-test group 2", minimumN: 1)
        guard sample1.n + sample2.n >= 3 else {
            throw StatisticsError.tooFewObservations(what: "pooled t-test", needed: 3, got: Int(sample1.n + sample2.n))
        }
        self.nullValue = difference
        self.estimate = SampleSummary.meanDifference(sample1, sample2)
    }
    /// From (mean, SD, n) of each group — the form published tables print.
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
