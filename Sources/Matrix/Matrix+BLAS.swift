import CLapack

extension Matrix {
    /// C = alpha * op(A) * op(B) through BLAS `dgemm`.
    public static func multiply(_ a: Matrix, transposeA: Bool = false, _ b: Matrix, transposeB: Bool = false,
                                alpha: Double = 1) throws -> Matrix {
        let m = transposeA ? a.columns : a.rows
        let k = transposeA ? a.rows : a.columns
        let kb = transposeB ? b.columns : b.rows
        let n = transposeB ? b.rows : b.columns
        guard k == kb else {
            throw LinearAlgebraError.dimensionMismatch("(\(m)×\(k)) · (\(kb)×\(n))")
        }
        var c = Matrix(rows: m, columns: n)
        if m == 0 || n == 0 { return c }
        if k == 0 { return c }
        a.storage.withUnsafeBufferPointer { pa in
            b.storage.withUnsafeBufferPointer { pb in
                c.storage.withUnsafeMutableBufferPointer { pc in
                    cblas_dgemm(CblasColMajor,
                                transposeA ? CblasTrans : CblasNoTrans,
                                transposeB ? CblasTrans : CblasNoTrans,
                                Int32(m), Int32(n), Int32(k), alpha,
                                pa.baseAddress, Int32(max(1, a.rows)),
                                pb.baseAddress, Int32(max(1, b.rows)),
                                0, pc.baseAddress, Int32(max(1, m)))
                }
            }
        }
        return c
    }

    public static func * (lhs: Matrix, rhs: Matrix) -> Matrix {
        do { return try multiply(lhs, rhs) } catch { preconditionFailure("\(error)") }
    }

    /// y = alpha * op(A) * x through BLAS `dgemv`.
    public func multiply(_ x: [Double], transpose: Bool = false, alpha: Double = 1) throws -> [Double] {
        let inLen = transpose ? rows : columns
        let outLen = transpose ? columns : rows
        guard x.count == inLen else {
            throw LinearAlgebraError.dimensionMismatch("matrix \(rows)×\(columns)\(transpose ? "ᵀ" : "") · vector of \(x.count)")
        }
        var y = [Double](repeating: 0, count: outLen)
        if rows == 0 || columns == 0 { return y }
        storage.withUnsafeBufferPointer { pa in
            x.withUnsafeBufferPointer { px in
                y.withUnsafeMutableBufferPointer { py in
                    cblas_dgemv(CblasColMajor, transpose ? CblasTrans : CblasNoTrans,
                                Int32(rows), Int32(columns), alpha, pa.baseAddress, Int32(max(1, rows)),
                                px.baseAddress, 1, 0, py.baseAddress, 1)
                }
            }
        }
        return y
    }
}

extension Matrix {
    /// The Gram matrix alpha·AᵀA (or alpha·AAᵀ with `transpose: true`) through BLAS `dsyrk`, both triangles filled.
    ///
    /// For covariance-type products such as σ²·R⁻¹R⁻ᵀ; least squares never goes through it (forming XᵀX squares
    /// the condition number), see `TallSkinnyQR` and `PivotedQR`. Package-only: users have `multiply`.
    package func gram(transpose: Bool = false, alpha: Double = 1) -> Matrix {
        let n = transpose ? rows : columns
        let k = transpose ? columns : rows
        var c = Matrix(rows: n, columns: n)
        if n == 0 || k == 0 { return c }
        storage.withUnsafeBufferPointer { pa in
            c.storage.withUnsafeMutableBufferPointer { pc in
                cblas_dsyrk(CblasColMajor, CblasUpper, transpose ? CblasNoTrans : CblasTrans,
                            Int32(n), Int32(k), alpha, pa.baseAddress, Int32(max(1, rows)), 0, pc.baseAddress, Int32(n))
            }
        }
        c.symmetrize(fromUpper: true)
        return c
    }
}
