/// One-sample t-test of H₀: μ = μ₀ (HypothesisTests.jl `OneSampleTTest`).
///
/// t = (x̄ − μ₀) / (s/√n), df = n − 1. Cohen's d = (x̄ − μ₀)/s. Matches scipy `ttest_1samp`.
public struct OneSampleTTest: TTest {
    public let sample: SampleSummary
    public let nullValue: Double
    public var testName: String { "One-sample t-test" }
    public var estimate: Double { sample.mean }
    public var standardError: Double { sample.standardError }
    public var df: Double { sample.n - 1 }
    public var cohensD: Double { (sample.mean - nullValue) / sample.sd }

    /// From summary statistics (mean, SD with n − 1, n ≥ 2).
    public init(_ sample: SampleSummary, mu0: Double = 0) throws {
        self.sample = try sample.validated("one-sample t-test")
        self.nullValue = mu0
    }
    public init(n: Int, mean: Double, sd: Double, mu0: Double = 0) throws {
        try self.init(SampleSummary(n: n, mean: mean, sd: sd), mu0: mu0)
    }
    /// From raw data (NaN = missing, excluded).
    public init(_ data: [Double], mu0: Double = 0) throws { try self.init(SampleSummary(data), mu0: mu0) }
    /// From a numeric column (missing cells excluded, decimal offset honoured).
    public init(_ column: NumericColumn, mu0: Double = 0) throws { try self.init(SampleSummary(column), mu0: mu0) }
}
