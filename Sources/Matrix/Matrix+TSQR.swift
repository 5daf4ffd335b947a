import CLapack
import CHouseholderKernel

/// Streaming tall-skinny QR (TSQR): the R factor of a tall matrix fed in blocks of rows.
///
/// Each block B is folded into the running triangle by Householder reflections of the stacked matrix [R; B]
/// (the structured QR of a triangle on top of a rectangle, LAPACK `dtpqrt`'s algorithm) and only the new R is
/// kept, so memory is O(block · p + p²) whatever the number of rows, and XᵀX is never formed. The result is the
/// R of a Householder QR of the whole matrix up to the signs of its rows (RᵀR = AᵀA), which is all that least
/// squares needs when y is carried as the last column: then R's last column holds Qᵀy and its last diagonal
/// element is ± the residual norm.
///
/// The fold runs in an L1-resident kernel (`householderFold`, blocks of `householderBlockRows(columns:)` rows);
/// a block whose squares could overflow or underflow goes through LAPACK `dtpqrt`, which scales. Accumulators of
/// disjoint row ranges can be built in parallel and combined with `merge(_:)` (the R of the stacked ranges).
public struct TallSkinnyQR: Sendable {
    public let columns: Int
    /// Rows seen so far.
    public private(set) var rowCount = 0
    /// Current R, `columns × columns` upper triangular (rows beyond `rowCount` are zero).
    private var current: Matrix

    public init(columns: Int) {
        self.columns = columns
        current = Matrix(rows: columns, columns: columns)
    }

    /// Folds a block of rows (any number, `columns` wide) into R.
    public mutating func append(_ block: Matrix) throws {
        var scratch = block
        try append(overwriting: &scratch)
    }

    /// Folds a block of rows into R, using the block's storage as workspace (its contents are destroyed).
    public mutating func append(overwriting block: inout Matrix) throws {
        guard block.columns == columns else {
            throw LinearAlgebraError.dimensionMismatch("TSQR has \(columns) columns, block has \(block.columns)")
        }
        let m = block.rows
        try block.storage.withUnsafeMutableBufferPointer { pb in
            guard let base = pb.baseAddress else { rowCount += m; return }
            try append(block: base, rows: m, leadingDimension: max(1, m))
        }
    }

    /// Folds `rows` rows stored column-major at `block` (leading dimension `leadingDimension`, `columns` columns)
    /// into R. The block is used as workspace: its contents are destroyed.
    package mutating func append(block: UnsafeMutablePointer<Double>, rows: Int, leadingDimension ld: Int) throws {
        if rows == 0 || columns == 0 { rowCount += rows; return }
        let m = columns
        let done = current.storage.withUnsafeMutableBufferPointer { pr in
            householderFold(r: pr.baseAddress!, m: m, block: block, rows: rows, ld: ld)
        }
        if !done { try scaledFold(block: block, rows: rows, leadingDimension: ld) }
        rowCount += rows
    }

    /// Fills `block` (capacity `rows × columns`, leading dimension `rows`) with the rows of column slices —
    /// column j is `columns[j][i] · scale[j] · sqrtWeights[i]` (nil scale or weights: ones) — and folds it into
    /// R, in one kernel call whose copy pass also takes the range check's sums and the first step's products.
    ///
    /// When the block's squares could overflow or underflow, `scalingFallback` true folds it with LAPACK
    /// `dtpqrt` (which scales); false returns false with R and `rowCount` unchanged, so the caller can start
    /// over with scaled columns (what the least-squares fit does after an unscaled attempt).
    ///
    /// `lastColumnMoments`, when given, is set to the block's moments of the last column (values times its
    /// scale, weights `sqrtWeights`²) relative to its `origin`, taken while the rows are in cache — also when the
    /// block is declined.
    package mutating func append(columns: UnsafePointer<UnsafePointer<Double>?>, scale: UnsafePointer<Double>?,
                                sqrtWeights: UnsafePointer<Double>?, rows: Int, block: UnsafeMutablePointer<Double>,
                                scalingFallback: Bool = true,
                                lastColumnMoments: UnsafeMutablePointer<WeightedMoments>? = nil) throws -> Bool {
        let m = self.columns
        if rows == 0 || m == 0 {
            if let lastColumnMoments { lastColumnMoments.pointee = WeightedMoments(origin: lastColumnMoments.pointee.origin) }
            rowCount += rows
            return true
        }
        let done = current.storage.withUnsafeMutableBufferPointer { pr in
            withUnsafeTemporaryAllocation(of: Double.self, capacity: 6 * m + 3) { work in
                let w = work.baseAddress!
                let origin = lastColumnMoments?.pointee.origin ?? 0
                w[6 * m] = origin
                let ok = shk_fill_and_fold(pr.baseAddress!, m, columns, scale, sqrtWeights, rows, block, w,
                                           lastColumnMoments == nil ? nil : w + 6 * m) != 0
                if let lastColumnMoments {
                    lastColumnMoments.pointee = WeightedMoments(origin: origin, weight: w[6 * m], shiftedMean: w[6 * m + 1],
                                                                centredSumOfSquares: w[6 * m + 2])
                }
                return ok
            }
        }
        if !done {
            if !scalingFallback { return false }
            try scaledFold(block: block, rows: rows, leadingDimension: rows)
        }
        rowCount += rows
        return true
    }

    /// Folds a block with LAPACK `dtpqrt` only (the reference the kernel is tested against).
    mutating func appendUsingLAPACK(block: UnsafeMutablePointer<Double>, rows: Int, leadingDimension ld: Int) throws {
        try scaledFold(block: block, rows: rows, leadingDimension: ld)
        rowCount += rows
    }

    /// Extreme magnitudes: LAPACK's dtpqrt computes the reflections with scaled norms (dnrm2/dlapy2).
    private mutating func scaledFold(block: UnsafeMutablePointer<Double>, rows: Int, leadingDimension ld: Int) throws {
        let m = columns
        let nb = min(m, 32)
        var t = [Double](repeating: 0, count: nb * m)
        let info = current.storage.withUnsafeMutableBufferPointer { pa in
            t.withUnsafeMutableBufferPointer { pt in
                LAPACKE_dtpqrt(LAPACK_COL_MAJOR, LapackInt(rows), LapackInt(m), 0, LapackInt(nb),
                               pa.baseAddress, LapackInt(m), block, LapackInt(ld), pt.baseAddress, LapackInt(nb))
            }
        }
        try checkLapack("dtpqrt", info)
    }

    /// Combines the R of another row range into this one: afterwards R is the factor of both ranges stacked.
    public mutating func merge(_ other: TallSkinnyQR) throws {
        guard other.columns == columns else {
            throw LinearAlgebraError.dimensionMismatch("TSQR has \(columns) columns, merged one has \(other.columns)")
        }
        var r = other.current
        let rows = other.rowCount
        try append(overwriting: &r)
        rowCount += rows - columns  // append counted the m rows of the triangle; count the rows it stands for
    }

    /// The accumulated upper-triangular factor.
    public var r: Matrix { current }

    /// R of a whole matrix, streamed in blocks of `blockRows` rows.
    public static func r(of a: Matrix, blockRows: Int? = nil) throws -> Matrix {
        var t = TallSkinnyQR(columns: a.columns)
        let step = max(blockRows ?? householderBlockRows(columns: a.columns), 1)
        var start = 0
        while start < a.rows {
            let end = min(a.rows, start + step)
            try t.append(a.submatrix(rows: start..<end, columns: 0..<a.columns))
            start = end
        }
        return t.r
    }
}
