/// Paired t-test: a one-sample t-test on the differences xᵢ − yᵢ (pairs with either value missing are dropped
/// and counted in `droppedPairs`). Cohen's d here is d_z = mean difference / SD of differences.
/// Matches scipy `ttest_rel`.
public struct PairedTTest: TTest {
    /// Summary of the differences.
    public let differences: SampleSummary
    public let nullValue: Double
    /// Pairs excluded because one or both values were missing (NaN).
    public let droppedPairs: Int
    public var testName: String { "Paired t-test" }
    public var estimate: Double { differences.mean }
    public var standardError: Double { differences.standardError }
    public var df: Double { differences.n - 1 }
    /// t = (d̄ − δ₀)/(s_d/√n), with d̄ − δ₀ formed as in `cohensD`, so that t = d_z·√n holds exactly in form.
    public var statistic: Double { differences.meanMinus(nullValue) / standardError }
    /// Cohen's d_z = (d̄ − δ₀)/s_d: the mean of the differences (less the hypothesised difference) over the SD of
    /// the differences — the standardiser of the paired test itself, not the SD of either sample. d̄ − δ₀ is
    /// formed as (reference − δ₀) + deviation, as the one-sample test forms x̄ − μ₀.
    public var cohensD: Double { differences.meanMinus(nullValue) / differences.sd }

    public init(_ x: [Double], _ y: [Double], difference: Double = 0) throws {
        guard x.count == y.count else {
            throw StatisticsError.invalidArgument("paired t-test: the two samples have \(x.count) and \(y.count) values")
        }
        var d = [Double]()
        d.reserveCapacity(x.count)
        for (a, b) in zip(x, y) where !a.isNaN && !b.isNaN { d.append(a - b) }
        droppedPairs = x.count - d.count
        differences = try SampleSummary(d).validated("paired t-test")
        nullValue = difference
    }
    /// From two numeric columns (rows with either value missing are dropped). The differences are formed as
    /// (offsetₓ − offsetᵧ) + (storedₓ − storedᵧ), so columns read with decimal offsets keep their exact digits.
    public init(_ x: NumericColumn, _ y: NumericColumn, difference: Double = 0) throws {
        guard x.count == y.count else {
            throw StatisticsError.invalidArgument("paired t-test: the two columns have \(x.count) and \(y.count) rows")
        }
        let base = x.offset - y.offset
        var d = [Double]()
        d.reserveCapacity(x.count)
        for (a, b) in zip(x.stored, y.stored) where !a.isNaN && !b.isNaN { d.append(base + (a - b)) }
        droppedPairs = x.count - d.count
        differences = try SampleSummary(d).validated("paired t-test")
        nullValue = difference
    }

    /// From the summary of the differences (n pairs, mean and SD of the differences).
    public init(differences: SampleSummary, difference: Double = 0) throws {
        self.differences = try differences.validated("paired t-test")
        self.nullValue = difference
        self.droppedPairs = 0
    }
}
