import CLapack

/// Householder QR with column pivoting, A P = Q R (LAPACK `dgeqp3`), with numerical rank detection.
///
/// Pivoting brings the column with the largest remaining norm forward at each step, so |R₁₁| ≥ |R₂₂| ≥ … and
/// the rank is the number of diagonal elements above `tolerance · |R₁₁|`. Columns beyond the rank are the
/// ones a least-squares solve sets to zero (a "basic" solution).
public struct PivotedQR: Sendable {
    /// LAPACK's compact form: R on and above the diagonal, Householder vectors below it.
    public let factors: Matrix
    /// Householder scalars τ.
    public let tau: [Double]
    /// Column permutation, 0-based: column `k` of A P is column `permutation[k]` of A.
    public let permutation: [Int]
    /// Numerical rank.
    public let rank: Int
    /// The relative tolerance used to decide the rank.
    public let tolerance: Double

    /// Factors `a`. The default tolerance, `max(m, n) · ε`, is LAPACK's usual choice for exact rank deficiency.
    public init(_ a: Matrix, tolerance: Double? = nil) throws {
        let m = a.rows, n = a.columns
        var f = a
        var jpvt = [LapackInt](repeating: 0, count: n)
        var tau = [Double](repeating: 0, count: min(m, n))
        if m > 0 && n > 0 {
            let info = f.storage.withUnsafeMutableBufferPointer { pa in
                jpvt.withUnsafeMutableBufferPointer { pj in
                    tau.withUnsafeMutableBufferPointer { pt in
                        LAPACKE_dgeqp3(LAPACK_COL_MAJOR, LapackInt(m), LapackInt(n), pa.baseAddress, LapackInt(m),
                                       pj.baseAddress, pt.baseAddress)
                    }
                }
            }
            try checkLapack("dgeqp3", info)
        }
        let tol = tolerance ?? Double(max(m, n)) * Double.ulpOfOne
        let k = min(m, n)
        var r = 0
        if k > 0 {
            let r11 = abs(f[0, 0])
            while r < k && r11 > 0 && abs(f[r, r]) > tol * r11 { r += 1 }
        }
        self.factors = f
        self.tau = tau
        self.permutation = n > 0 && m > 0 ? jpvt.map { Int($0) - 1 } : Array(0..<n)
        self.rank = r
        self.tolerance = tol
    }

    /// The k × n upper-triangular factor R (k = min(m, n)), columns in pivoted order.
    public var r: Matrix {
        let k = min(factors.rows, factors.columns)
        return factors.submatrix(rows: 0..<k, columns: 0..<factors.columns).triangle(upper: true)
    }

    /// Qᵀ B (or Q B) through LAPACK `dormqr`, without forming Q.
    public func applyQ(to b: Matrix, transpose: Bool = true) throws -> Matrix {
        guard b.rows == factors.rows else {
            throw LinearAlgebraError.dimensionMismatch("Q is \(factors.rows)×\(factors.rows), right-hand side \(b.rows)×\(b.columns)")
        }
        var c = b
        if b.rows == 0 || b.columns == 0 || tau.isEmpty { return c }
        let info = factors.storage.withUnsafeBufferPointer { pa in
            tau.withUnsafeBufferPointer { pt in
                c.storage.withUnsafeMutableBufferPointer { pc in
                    LAPACKE_dormqr(LAPACK_COL_MAJOR, lapackChar("L"), lapackChar(transpose ? "T" : "N"),
                                   LapackInt(b.rows), LapackInt(b.columns), LapackInt(tau.count),
                                   pa.baseAddress, LapackInt(factors.rows), pt.baseAddress,
                                   pc.baseAddress, LapackInt(b.rows))
                }
            }
        }
        try checkLapack("dormqr", info)
        return c
    }

    /// The leading rank × rank block of R (the well-determined part).
    public var leadingR: Matrix { factors.submatrix(rows: 0..<rank, columns: 0..<rank).triangle(upper: true) }

    /// Basic least-squares solution of min ‖A x − b‖: coefficients of the columns beyond the rank are zero.
    /// Uses `dormqr` for Qᵀb and `dtrtrs` for the triangular solve.
    public func solve(_ b: [Double]) throws -> [Double] {
        let qtb = try applyQ(to: Matrix(rows: b.count, columns: 1, columnMajor: b)).storage
        let z = try leadingR.solveTriangular(Array(qtb[0..<rank]))
        var x = [Double](repeating: 0, count: factors.columns)
        for k in 0..<rank { x[permutation[k]] = z[k] }
        return x
    }

    /// 1-norm condition number estimate of the leading rank × rank block of R (LAPACK `dtrcon`); ∞ when rank 0.
    public func conditionEstimate() throws -> Double {
        if rank == 0 { return .infinity }
        let rc = try leadingR.triangularReciprocalCondition()
        return rc > 0 ? 1 / rc : .infinity
    }
}

/// Householder QR without pivoting, A = Q R (LAPACK `dgeqrf`).
public struct HouseholderQR: Sendable {
    public let factors: Matrix
    public let tau: [Double]

    public init(_ a: Matrix) throws {
        var f = a
        var tau = [Double](repeating: 0, count: min(a.rows, a.columns))
        if a.rows > 0 && a.columns > 0 {
            let info = f.storage.withUnsafeMutableBufferPointer { pa in
                tau.withUnsafeMutableBufferPointer { pt in
                    LAPACKE_dgeqrf(LAPACK_COL_MAJOR, LapackInt(a.rows), LapackInt(a.columns), pa.baseAddress,
                                   LapackInt(a.rows), pt.baseAddress)
                }
            }
            try checkLapack("dgeqrf", info)
        }
        factors = f
        self.tau = tau
    }

    /// The min(m, n) × n upper-triangular factor.
    public var r: Matrix {
        let k = min(factors.rows, factors.columns)
        return factors.submatrix(rows: 0..<k, columns: 0..<factors.columns).triangle(upper: true)
    }
}
