import CLapack

/// Streaming tall-skinny QR (TSQR): the R factor of a tall matrix fed in blocks of rows.
///
/// For each block B the accumulator factors the stacked matrix [R; B] with LAPACK `dtpqrt` (QR of a triangle on
/// top of a rectangle, in place) and keeps only the new R, so memory is O(block · p + p²) whatever the number of rows, and XᵀX is never formed. The result is
/// the R of a Householder QR of the whole matrix up to the signs of its rows (RᵀR = AᵀA), which is all that
/// least squares needs when y is carried as the last column: then R's last column holds Qᵀy and its last
/// diagonal element is ± the residual norm.
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
    /// LAPACK `dtpqrt` factors [R; B] in place exploiting R's triangle, so no stacked copy is made.
    public mutating func append(overwriting block: inout Matrix) throws {
        guard block.columns == columns else {
            throw LinearAlgebraError.dimensionMismatch("TSQR has \(columns) columns, block has \(block.columns)")
        }
        if block.rows == 0 || columns == 0 { rowCount += block.rows; return }
        let nb = min(columns, 32)
        var t = [Double](repeating: 0, count: nb * columns)
        let m = block.rows
        let info = current.storage.withUnsafeMutableBufferPointer { pa in
            block.storage.withUnsafeMutableBufferPointer { pb in
                t.withUnsafeMutableBufferPointer { pt in
                    LAPACKE_dtpqrt(LAPACK_COL_MAJOR, LapackInt(m), LapackInt(columns), 0, LapackInt(nb),
                                   pa.baseAddress, LapackInt(columns), pb.baseAddress, LapackInt(m),
                                   pt.baseAddress, LapackInt(nb))
                }
            }
        }
        try checkLapack("dtpqrt", info)
        rowCount += m
    }

    /// The accumulated upper-triangular factor.
    public var r: Matrix { current }

    /// R of a whole matrix, streamed in blocks of `blockRows` rows.
    public static func r(of a: Matrix, blockRows: Int = 8192) throws -> Matrix {
        var t = TallSkinnyQR(columns: a.columns)
        var start = 0
        while start < a.rows {
            let end = min(a.rows, start + max(blockRows, a.columns))
            try t.append(a.submatrix(rows: start..<end, columns: 0..<a.columns))
            start = end
        }
        return t.r
    }
}
