/// One-sample t-test of H₀: μ = μ₀ (HypothesisTests.jl `OneSampleTTest`).
///
/// t = (x̄ − μ₀) / (s/√n), df = n − 1. Cohen's d = (x̄ − μ₀)/s. Matches scipy `ttest_1samp`.
/// From data, x̄ − μ₀ is formed without cancellation (data are centred on μ₀, or the column's decimal offset is
/// compared with μ₀ first), so μ₀ = 10000000.15 against NIST NumAcc4 still gives t to ~15 digits.
public struct OneSampleTTest: TTest {
    public let sample: SampleSummary
    public let nullValue: Double
    /// x̄ − μ₀, computed accurately (see above).
    public let meanMinusNull: Double
    public var testName: String { "One-sample t-test" }
    public var estimate: Double { sample.mean }
    public var standardError: Double { sample.standardError }
    public var df: Double { sample.n - 1 }
    public var statistic: Double { meanMinusNull / standardError }
    public var cohensD: Double { meanMinusNull / sample.sd }

    /// From summary statistics (mean, SD with n − 1, n ≥ 2).
    public init(_ sample: SampleSummary, mu0: Double = 0) throws {
        try self.init(sample, mu0: mu0, meanMinusNull: sample.meanMinus(mu0))
    }
    public init(n: Int, mean: Double, sd: Double, mu0: Double = 0) throws {
        try self.init(SampleSummary(n: n, mean: mean, sd: sd), mu0: mu0)
    }
    /// From raw data (NaN = missing, excluded).
    public init(_ data: [Double], mu0: Double = 0) throws {
        let centered = SampleSummary(data.map { $0 - mu0 })
        try self.init(SampleSummary(n: centered.n, reference: mu0, deviation: centered.mean, sd: centered.sd), mu0: mu0)
    }
    /// From a numeric column (missing cells excluded, decimal offset honoured).
    public init(_ column: NumericColumn, mu0: Double = 0) throws {
        try self.init(SampleSummary(column), mu0: mu0)
    }

    private init(_ sample: SampleSummary, mu0: Double, meanMinusNull: Double) throws {
        self.sample = try sample.validated("one-sample t-test")
        self.nullValue = mu0
        self.meanMinusNull = meanMinusNull
    }
}
