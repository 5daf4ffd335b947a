import CLapack
import Foundation

/// Cholesky factorisation A = UᵀU of a symmetric positive definite matrix (LAPACK `dpotrf`).
///
/// Not used for least squares (that is what QR is for): it serves small SPD systems such as covariance
/// matrices, e.g. Wald tests on a few coefficients.
public struct CholeskyFactorization: Sendable {
    /// The upper-triangular factor U (lower triangle zero).
    public let upper: Matrix

    /// Factors `a`, reading its upper triangle. Throws `.notPositiveDefinite` with the order of the failing minor.
    public init(_ a: Matrix) throws {
        try a.requireSquare("Cholesky")
        var u = a
        if a.rows > 0 {
            let info = u.storage.withUnsafeMutableBufferPointer { p in
                LAPACKE_dpotrf(LAPACK_COL_MAJOR, lapackChar("U"), LapackInt(a.rows), p.baseAddress, LapackInt(a.rows))
            }
            try checkLapack("dpotrf", info, positive: { .notPositiveDefinite(routine: "", order: $0) })
        }
        upper = u.triangle(upper: true)
    }

    /// Solves A X = B (LAPACK `dpotrs`).
    public func solve(_ b: Matrix) throws -> Matrix {
        guard b.rows == upper.rows else {
            throw LinearAlgebraError.dimensionMismatch("Cholesky of order \(upper.rows) against \(b.rows)×\(b.columns)")
        }
        var x = b
        if b.rows == 0 || b.columns == 0 { return x }
        let info = upper.storage.withUnsafeBufferPointer { pu in
            x.storage.withUnsafeMutableBufferPointer { px in
                LAPACKE_dpotrs(LAPACK_COL_MAJOR, lapackChar("U"), LapackInt(upper.rows), LapackInt(b.columns),
                               pu.baseAddress, LapackInt(upper.rows), px.baseAddress, LapackInt(b.rows))
            }
        }
        try checkLapack("dpotrs", info)
        return x
    }

    public func solve(_ b: [Double]) throws -> [Double] {
        try solve(Matrix(rows: b.count, columns: 1, columnMajor: b)).storage
    }

    /// A⁻¹ from the factor (LAPACK `dpotri`), returned as a full symmetric matrix.
    public func inverse() throws -> Matrix {
        var a = upper
        if a.rows == 0 { return a }
        let info = a.storage.withUnsafeMutableBufferPointer { p in
            LAPACKE_dpotri(LAPACK_COL_MAJOR, lapackChar("U"), LapackInt(a.rows), p.baseAddress, LapackInt(a.rows))
        }
        try checkLapack("dpotri", info)
        a.symmetrize(fromUpper: true)
        return a
    }

    /// log det A = 2 Σ log Uᵢᵢ.
    public var logDeterminant: Double {
        (0..<upper.rows).reduce(0) { $0 + 2 * log(upper[$1, $1]) }
    }
}

