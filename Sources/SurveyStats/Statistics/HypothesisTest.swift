/// Which tail(s) a p-value covers.
public enum Tail: String, Sendable, CaseIterable, Codable {
    /// Two-sided: P(|T| ≥ |t|).
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
    /// p-value for the given tail. Tests whose statistic is one-sided by nature (F, χ²) ignore `tail`.
    func pValue(tail: Tail) -> Double
}

extension HypothesisTest {
    public var pValue: Double { pValue(tail: .both) }

    /// Significance stars the way the report prints them: *** p<.001, ** p<.01, * p<.05.
    public var stars: String { significanceStars(pValue) }
}

/// *** p<.001, ** p<.01, * p<.05, else "".
public func significanceStars(_ p: Double) -> String {
    if p < 0.001 { return "***" }
    if p < 0.01 { return "**" }
    if p < 0.05 { return "*" }
    return ""
}
