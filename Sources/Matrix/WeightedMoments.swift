/// Σw, the weighted mean and the centred sum of squares Σw·(v − mean)² of a column, mergeable across row ranges.
///
/// The least-squares reduction takes these for the response block by block while the block's rows are in cache
/// (`shk_fill_and_fold`, corrected two-pass per block), which spares R²'s total sum of squares two passes over y.
/// Ranges are combined with Chan, Golub & LeVeque's update (M2 = M2ₐ + M2ᵦ + δ²·wₐwᵦ/(wₐ + wᵦ)); merged in a fixed
/// order, the result does not depend on the threads.
///
/// The moments are kept of v − `origin`, with the origin a value near the mean: a block mean of 1e8 + 0.01 held
/// as a double is off by ~1e-8, and the merge's δ² would carry that error into M2 (measured ~1e-11 relative at
/// mean/spread = 3e8); relative to the origin the means are of the spread's size and round harmlessly.
public struct WeightedMoments: Sendable, Equatable {
    /// The value subtracted from every v (the moments of ranges merged must share it).
    public var origin: Double
    /// Σ wᵢ (the row count when unweighted).
    public var weight: Double
    /// Σ wᵢ(vᵢ − origin) / Σ wᵢ (0 for no rows).
    public var shiftedMean: Double
    /// Σ wᵢ(vᵢ − mean)².
    public var centredSumOfSquares: Double

    /// Σ wᵢvᵢ / Σ wᵢ.
    public var mean: Double { origin + shiftedMean }

    public init(origin: Double = 0, weight: Double = 0, shiftedMean: Double = 0, centredSumOfSquares: Double = 0) {
        self.origin = origin
        self.weight = weight
        self.shiftedMean = shiftedMean
        self.centredSumOfSquares = centredSumOfSquares
    }

    /// The moments of this range and `other` together (same origin, unless one of them is empty).
    public mutating func merge(_ other: WeightedMoments) {
        guard other.weight > 0 else { return }
        guard weight > 0 else { self = other; return }
        precondition(origin == other.origin, "WeightedMoments.merge: different origins")
        let total = weight + other.weight
        let delta = other.shiftedMean - shiftedMean
        shiftedMean += delta * (other.weight / total)
        centredSumOfSquares += other.centredSumOfSquares + delta * delta * (weight * (other.weight / total))
        weight = total
    }
}
