/// The summary of one sample that the t-tests and ANOVAs can start from: size, mean and SD (n − 1).
///
/// Published tables often print only these three numbers, so every test accepts them as well as raw data.
public struct SampleSummary: Sendable, Equatable, CustomStringConvertible {
    /// Number of observations (a frequency-weighted Σw is allowed, hence Double).
    public var n: Double
    public var mean: Double
    /// Sample standard deviation with the n − 1 denominator.
    public var sd: Double

    public init(n: Double, mean: Double, sd: Double) { self.n = n; self.mean = mean; self.sd = sd }
    public init(n: Int, mean: Double, sd: Double) { self.init(n: Double(n), mean: mean, sd: sd) }

    /// Summary of raw values (NaN ignored), using the accurate two-pass moments of `DescriptiveStatistics`.
    public init(_ values: [Double]) {
        let d = DescriptiveStatistics(values)
        self.init(n: Double(d.n), mean: d.mean, sd: d.standardDeviation)
    }

    /// Summary of a numeric column (keeps the column's decimal offset exact).
    public init(_ column: NumericColumn) throws {
        let d = try DescriptiveStatistics(column)
        self.init(n: Double(d.n), mean: d.mean, sd: d.standardDeviation)
    }

    public var variance: Double { sd * sd }
    public var standardError: Double { sd / n.squareRoot() }

    func validated(_ what: String, minimumN: Double = 2) throws -> SampleSummary {
        guard n.isFinite, n >= minimumN else {
            throw StatisticsError.tooFewObservations(what: what, needed: Int(minimumN), got: n.isFinite ? Int(n) : 0)
        }
        guard mean.isFinite else { throw StatisticsError.invalidArgument("\(what): mean is \(mean)") }
        guard sd.isFinite, sd >= 0 else { throw StatisticsError.invalidArgument("\(what): SD must be ≥ 0, got \(sd)") }
        return self
    }

    public var description: String { "n = \(formatStat(n)), mean = \(formatStat(mean)), SD = \(formatStat(sd))" }
}
