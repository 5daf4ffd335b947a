/// The summary of one sample that the t-tests and ANOVAs can start from: size, mean and SD (n − 1).
///
/// Published tables often print only these three numbers, so every test accepts them as well as raw data.
/// A summary computed from data keeps its mean as `reference + deviation` (the column's decimal offset plus the
/// mean of the stored values), so that the difference of two group means from the same column,
/// `SampleSummary.meanDifference(_:_:)`, is formed without cancellation: the references are equal and drop out
/// exactly. This is what keeps a t-test on NumAcc4-like data (10000000.1 vs 10000000.3) accurate.
public struct SampleSummary: Sendable, Equatable, CustomStringConvertible {
    /// Number of observations (a frequency-weighted Σw is allowed, hence Double).
    public var n: Double
    /// Sample standard deviation with the n − 1 denominator.
    public var sd: Double
    /// mean = reference + deviation (reference = the decimal offset or a common shift; 0 … for plain summaries the
    /// reference is the mean itself and the deviation 0).
    public private(set) var reference: Double
    public private(set) var deviation: Double

    public var mean: Double {
        get { reference + deviation }
        set { reference = newValue; deviation = 0 }
    }

    public init(n: Double, mean: Double, sd: Double) { self.n = n; self.reference = mean; self.deviation = 0; self.sd = sd }
    public init(n: Int, mean: Double, sd: Double) { self.init(n: Double(n), mean: mean, sd: sd) }
    /// A summary whose mean is `reference + deviation`, kept apart for accurate differences.
    public init(n: Double, reference: Double, deviation: Double, sd: Double) {
        self.n = n; self.reference = reference; self.deviation = deviation; self.sd = sd
    }

    /// Summary of raw values (NaN ignored), from the corrected two-pass compensated moments of `GroupedMoments`
    /// (the same algorithm as `DescriptiveStatistics`, without its median sort).
    public init(_ values: [Double]) {
        let m = GroupedMoments(values: values)
        self.init(n: Double(m.counts[0]), mean: m.reference + m.deviations[0], sd: m.summary(0).sd)
    }

    /// Summary of a numeric column (missing cells excluded), its mean kept as an exact reference (the column's
    /// decimal offset, or the first value) plus a deviation.
    public init(_ column: NumericColumn) throws {
        self = try GroupedMoments(column).summary(0)
    }

    /// a.mean − b.mean without cancellation when both share a reference (e.g. groups of one column).
    public static func meanDifference(_ a: SampleSummary, _ b: SampleSummary) -> Double {
        (a.reference - b.reference) + (a.deviation - b.deviation)
    }

    /// (a.mean − b.mean − difference)/2 from halved parts (exact: halving a double only rounds below 2^-1022), when
    /// a.mean − b.mean itself overflows; nil when it does not (see `TTest.halfDistanceFromNull`).
    static func halfDistance(_ a: SampleSummary, _ b: SampleSummary, from difference: Double) -> Double? {
        guard !meanDifference(a, b).isFinite, a.mean.isFinite, b.mean.isFinite, difference.isFinite else { return nil }
        return ((a.reference / 2 - b.reference / 2) + (a.deviation / 2 - b.deviation / 2)) - difference / 2
    }

    /// mean − value, formed as (reference − value) + deviation.
    public func meanMinus(_ value: Double) -> Double { (reference - value) + deviation }

    public var variance: Double { sd * sd }
    public var standardError: Double { sd / n.squareRoot() }

    public static func == (a: SampleSummary, b: SampleSummary) -> Bool { a.n == b.n && a.mean == b.mean && a.sd == b.sd }

    func validated(_ what: String, minimumN: Double = 2) throws -> SampleSummary {
        guard n.isFinite, n >= minimumN else {
            throw StatisticsError.tooFewObservations(what: what, needed: Int(minimumN), got: n.isFinite ? Int(n) : 0)
        }
        guard mean.isFinite else { throw StatisticsError.invalidArgument("\(what): mean is \(mean)") }
        // One observation has no SD (NaN from data); a test that accepts n = 1 (the pooled t) gives it no weight.
        guard (sd.isFinite && sd >= 0) || (n < 2 && sd.isNaN) else { throw StatisticsError.invalidArgument("\(what): SD must be ≥ 0, got \(sd)") }
        return self
    }

    public var description: String { "n = \(formatStat(n)), mean = \(formatStat(mean)), SD = \(formatStat(sd))" }
}
