/// How case weights are interpreted by `DescriptiveStatistics` and `LikertSummary`.
///
/// The point estimates (weighted mean, median, percentages) are the same for all three; they differ in what
/// counts as the sample size, and so in the SD's denominator and the standard error:
///
/// | kind          | n used            | variance                                   | SE of the mean                         |
/// |---------------|-------------------|--------------------------------------------|----------------------------------------|
/// | `.frequency`  | W = Σw            | Σw(x−x̄)² / (W − 1)                         | s / √W                                 |
/// | `.analytic`   | n (rows)          | Σw(x−x̄)² / W · n/(n − 1)                   | s / √n                                 |
/// | `.probability`| n (rows)          | as `.analytic`                              | √(n/(n−1) · Σw²(x−x̄)²) / W (linearized) |
///
/// `.frequency` is statsmodels `DescrStatsW(x, weights=w).std` (ddof=1) and SPSS's weighted SD; `.analytic` is
/// Stata's `aweight` (weights rescaled to sum to n) = `DescrStatsW(x, weights=w·n/W).std`; `.probability` is
/// Stata's `pweight` (`mean y [pw=w]` for the SE), for survey sampling weights.
public enum WeightKind: String, Sendable, Codable, CaseIterable {
    case frequency, analytic, probability
}
