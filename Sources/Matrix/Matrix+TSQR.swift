import CLapack

/// Streaming tall-skinny QR (TSQR): the R factor of a tall matrix fed in blocks of rows.
///
/// For each block B the accumulator factors the stacked matrix [R; B] with LAPACK `dgeqrf` and keeps only the
/// new R, so memory is O(block · p + p²) whatever the number of rows, and XᵀX is never formed. The result is
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
        guard block.columns == columns else {
            throw LinearAlgebraError.dimensionMismatch("TSQR has \(columns) columns, block has \(block.columns)")
        }
        if block.rows == 0 { return }
        let k = min(rowCount, columns)  // rows of the current R that can be non-zero
        var stacked = Matrix(rows: k + block.rows, columns: columns)
        for j in 0..<columns {
            for i in 0..<min(k, j + 1) { stacked[i, j] = current[i, j] }
            for i in 0..<block.rows { stacked[k + i, j] = block[i, j] }
        }
        let qr = try HouseholderQR(stacked)
        let rr = qr.r
        var next = Matrix(rows: columns, columns: columns)
        for j in 0..<columns { for i in 0..<min(rr.rows, j + 1) { next[i, j] = rr[i, j] } }
        current = next
        rowCount += block.rows
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
