import CLapack

extension Matrix {
    /// Solves op(T) X = B for a triangular `self` (only the `upper`/lower triangle is read) through LAPACK
    /// `dtrtrs`. Throws `.singular` when a diagonal element is exactly zero.
    public func solveTriangular(_ b: Matrix, upper: Bool = true, transpose: Bool = false) throws -> Matrix {
        try requireSquare("solveTriangular")
        guard b.rows == rows else {
            throw LinearAlgebraError.dimensionMismatch("triangular \(rows)×\(columns) against right-hand side \(b.rows)×\(b.columns)")
        }
        var x = b
        if rows == 0 || b.columns == 0 { return x }
        let info = storage.withUnsafeBufferPointer { pa in
            x.storage.withUnsafeMutableBufferPointer { px in
                LAPACKE_dtrtrs(LAPACK_COL_MAJOR, lapackChar(upper ? "U" : "L"), lapackChar(transpose ? "T" : "N"),
                               lapackChar("N"), LapackInt(rows), LapackInt(b.columns),
                               pa.baseAddress, LapackInt(max(1, rows)), px.baseAddress, LapackInt(max(1, b.rows)))
            }
        }
        try checkLapack("dtrtrs", info)
        return x
    }

    /// Solves op(T) x = b for one right-hand side.
    public func solveTriangular(_ b: [Double], upper: Bool = true, transpose: Bool = false) throws -> [Double] {
        try solveTriangular(Matrix(rows: b.count, columns: 1, columnMajor: b), upper: upper, transpose: transpose).storage
    }

    /// Inverse of a triangular matrix through LAPACK `dtrtri` (the other triangle of the result is zero).
    public func triangularInverse(upper: Bool = true) throws -> Matrix {
        try requireSquare("triangularInverse")
        var a = triangle(upper: upper)
        if rows == 0 { return a }
        let info = a.storage.withUnsafeMutableBufferPointer { pa in
            LAPACKE_dtrtri(LAPACK_COL_MAJOR, lapackChar(upper ? "U" : "L"), lapackChar("N"), LapackInt(rows),
                           pa.baseAddress, LapackInt(rows))
        }
        try checkLapack("dtrtri", info)
        return a
    }

    /// Estimate of the reciprocal condition number of a triangular matrix in the 1-norm (LAPACK `dtrcon`):
    /// 1 / (‖T‖₁ ‖T⁻¹‖₁), 0 for a singular matrix. Costs O(n²), so it is cheap next to a factorisation.
    public func triangularReciprocalCondition(upper: Bool = true) throws -> Double {
        try requireSquare("triangularReciprocalCondition")
        if rows == 0 { return 1 }
        var rcond = 0.0
        let info = storage.withUnsafeBufferPointer { pa in
            LAPACKE_dtrcon(LAPACK_COL_MAJOR, lapackChar("1"), lapackChar(upper ? "U" : "L"), lapackChar("N"),
                           LapackInt(rows), pa.baseAddress, LapackInt(rows), &rcond)
        }
        try checkLapack("dtrcon", info)
        return rcond
    }
}
