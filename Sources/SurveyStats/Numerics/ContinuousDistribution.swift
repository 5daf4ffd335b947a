import Foundation

/// A univariate continuous distribution.
///
/// `sf` (the survival function, 1 − cdf) is computed directly rather than as `1 - cdf(x)`, so upper-tail
/// p-values such as 1e-200 keep their relative accuracy. The log forms stay finite (and accurate) where the
/// probabilities themselves underflow a Double.
public protocol ContinuousDistribution: Sendable {
    func pdf(_ x: Double) -> Double
    func cdf(_ x: Double) -> Double
    /// Survival function P(X > x).
    func sf(_ x: Double) -> Double
    /// Inverse of `cdf`.
    func quantile(_ p: Double) -> Double
    /// Inverse of `sf`: the x with P(X > x) = q, accurate for tiny q.
    func inverseSF(_ q: Double) -> Double
    /// log of the density.
    func logPDF(_ x: Double) -> Double
    /// log P(X ≤ x).
    func logCDF(_ x: Double) -> Double
    /// log P(X > x).
    func logSF(_ x: Double) -> Double
}

extension ContinuousDistribution {
    public func logPDF(_ x: Double) -> Double { log(pdf(x)) }
    public func logCDF(_ x: Double) -> Double { log(cdf(x)) }
    public func logSF(_ x: Double) -> Double { log(sf(x)) }
}
