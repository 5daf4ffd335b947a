import XCTest
@testable import Matrix

/// Reference values in these tests are exact rationals worked by hand (or by the identities stated), so the
/// tolerances are a few ulps.
final class FactorizationTests: XCTestCase {
    func testPivotedQRSolvesFullRankLeastSquares() throws {
        // y = 1 + 2x exactly: the solution is (1, 2) with zero residual.
        let a = Matrix([[1, 0], [1, 1], [1, 2], [1, 3]])
        let qr = try PivotedQR(a)
        XCTAssertEqual(qr.rank, 2)
        let x = try qr.solve([1, 3, 5, 7])
        XCTAssertEqual(x[0], 1, accuracy: 1e-14)
        XCTAssertEqual(x[1], 2, accuracy: 1e-14)
        // Q is orthogonal: ‖Qᵀb‖ = ‖b‖.
        let qtb = try qr.applyQ(to: Matrix(rows: 4, columns: 1, columnMajor: [1, 3, 5, 7])).storage
        XCTAssertEqual(qtb.map { $0 * $0 }.reduce(0, +), 84, accuracy: 1e-12)
        XCTAssertGreaterThan(try qr.conditionEstimate(), 1)
    }

    func testPivotedQRDetectsRankDeficiency() throws {
        // Third column = first + second.
        let a = Matrix([[1, 2, 3], [4, 5, 9], [7, 8, 15], [1, 0, 1]])
        let qr = try PivotedQR(a)
        XCTAssertEqual(qr.rank, 2)
        XCTAssertEqual(Set(qr.permutation), [0, 1, 2])
    }

    func testTriangularSolveInverseAndCondition() throws {
        let t = Matrix([[2, 1], [0, 4]])
        XCTAssertEqual(try t.solveTriangular([4, 8]), [1, 2])
        XCTAssertEqual(try t.solveTriangular([2, 5], transpose: true), [1, 1])
        XCTAssertEqual(try t.triangularInverse(), Matrix([[0.5, -0.125], [0, 0.25]]))
        // ‖T‖₁ = 5, ‖T⁻¹‖₁ = 0.5 → rcond = 1/2.5 (dtrcon's estimate is exact for 2 × 2).
        XCTAssertEqual(try t.triangularReciprocalCondition(), 0.4, accuracy: 1e-15)
        XCTAssertThrowsError(try Matrix([[1, 1], [0, 0]]).solveTriangular([1, 1])) { error in
            XCTAssertEqual(error as? LinearAlgebraError, .singular(routine: "dtrtrs", index: 2))
        }
    }

    func testCholeskyFactorSolveInverse() throws {
        let a = Matrix([[4, 2], [2, 3]])
        let c = try CholeskyFactorization(a)
        XCTAssertEqual(c.upper[0, 0], 2, accuracy: 1e-15)
        XCTAssertEqual(c.upper[0, 1], 1, accuracy: 1e-15)
        XCTAssertEqual(c.upper[1, 1], 2.0.squareRoot(), accuracy: 1e-15)
        let x = try c.solve([6, 5])
        XCTAssertEqual(x[0], 1, accuracy: 1e-15); XCTAssertEqual(x[1], 1, accuracy: 1e-15)
        let inv = try c.inverse()  // 1/8 · [[3, −2], [−2, 4]]
        XCTAssertEqual(inv[0, 0], 0.375, accuracy: 1e-15)
        XCTAssertEqual(inv[0, 1], -0.25, accuracy: 1e-15)
        XCTAssertEqual(inv[1, 0], -0.25, accuracy: 1e-15)
        XCTAssertEqual(c.logDeterminant, log(8), accuracy: 1e-14)
        XCTAssertThrowsError(try CholeskyFactorization(Matrix([[1, 2], [2, 1]]))) { error in
            XCTAssertEqual(error as? LinearAlgebraError, .notPositiveDefinite(routine: "dpotrf", order: 2))
        }
    }

    func testGramMatchesGemm() throws {
        let a = Matrix([[1, 2, 3], [4, 5, 6], [7, 8, 10]])
        XCTAssertEqual(a.gram(), try Matrix.multiply(a, transposeA: true, a))
        XCTAssertEqual(a.gram(transpose: true), try Matrix.multiply(a, a, transposeB: true))
    }

    func testTallSkinnyQRMatchesOneShotQRUpToRowSigns() throws {
        var a = Matrix(rows: 1000, columns: 4)
        for i in 0..<1000 {
            let t = Double(i) / 1000
            a[i, 0] = 1; a[i, 1] = t; a[i, 2] = sin(7 * t); a[i, 3] = Double((i * 37) % 11)
        }
        let whole = try HouseholderQR(a).r
        let streamed = try TallSkinnyQR.r(of: a, blockRows: 97)
        for i in 0..<4 {
            let sign = (whole[i, i] < 0) == (streamed[i, i] < 0) ? 1.0 : -1.0
            for j in i..<4 { XCTAssertEqual(streamed[i, j], sign * whole[i, j], accuracy: 1e-12 * max(1, abs(whole[i, j]))) }
        }
    }

    func testDoubleDoubleArithmetic() {
        let third = DoubleDouble(1) / DoubleDouble(3)
        let back = third * DoubleDouble(3)
        XCTAssertEqual(back.hi, 1); XCTAssertLessThan(abs(back.lo), 1e-31)
        let two = DoubleDouble(2).squareRoot()
        let sq = two * two - DoubleDouble(2)
        XCTAssertLessThan(abs(sq.doubleValue), 1e-31)
        // 0.1 + 0.2 in double-double keeps the binary error terms of both inputs exactly.
        let s = DoubleDouble(0.1) + DoubleDouble(0.2)
        XCTAssertEqual(s.hi, 0.30000000000000004)
        XCTAssertEqual(DoubleDouble(3).power(5).doubleValue, 243)
    }

    func testLeastSquaresAliasesTheLaterCollinearColumnLikeR() throws {
        // Columns: 1, x, z, x + z (aliased, like R's lm reports NA for the last).
        let x: [Double] = [1, 2, 3, 4, 5, 6], z: [Double] = [0, 1, 0, 1, 1, 0]
        let design = Matrix(columns: [[Double](repeating: 1, count: 6), x, z, zip(x, z).map(+)])
        let y: [Double] = [1.5, 3.1, 3.9, 6.2, 7.1, 7.4]
        for precision in LeastSquaresPrecision.allCases {
            let fit = try LeastSquaresFit(design: design, response: y, precision: precision)
            XCTAssertEqual(fit.rank, 3)
            XCTAssertEqual(fit.aliased, [3])
            XCTAssertTrue(fit.coefficients[3].isNaN)
            XCTAssertTrue(fit.unscaledCovariance[3, 3].isNaN)
            // Same fit as without the aliased column (reference: the full-rank QR solve).
            let reference = try PivotedQR(Matrix(columns: [[Double](repeating: 1, count: 6), x, z])).solve(y)
            for j in 0..<3 { XCTAssertEqual(fit.coefficients[j], reference[j], accuracy: 1e-13) }
        }
    }

    func testLeastSquaresRejectsBadInput() {
        let d = Matrix([[1, 2], [1, 3], [1, 5]])
        XCTAssertThrowsError(try LeastSquaresFit(design: d, response: [1, 2]))
        XCTAssertThrowsError(try LeastSquaresFit(design: d, response: [1, .nan, 2]))
        XCTAssertThrowsError(try LeastSquaresFit(design: d, response: [1, 2, 3], weights: [1, 0, 1]))
        // A non-finite response is named by its row on every path (the double path finds it through the fold's
        // range check instead of a scan up front).
        let n = 3000
        var x = Matrix(rows: n, columns: 2)
        var y = [Double](repeating: 0, count: n)
        for i in 0..<n { x[i, 0] = 1; x[i, 1] = Double(i % 17); y[i] = 0.5 * Double(i % 17) + Double(i % 3) }
        for bad in [Double.nan, .infinity, -.infinity] {
            var yb = y
            yb[1700] = bad
            yb[2900] = .nan
            for precision in LeastSquaresPrecision.allCases {
                for weights in [nil, [Double](repeating: 2, count: n)] as [[Double]?] {
                    XCTAssertThrowsError(try LeastSquaresFit(design: x, response: yb, weights: weights, precision: precision)) { error in
                        XCTAssertTrue("\(error)".contains("response in row 1701"), "\(precision) \(bad): \(error)")
                    }
                }
            }
        }
    }
}

/// The L1-blocked Householder kernel behind `TallSkinnyQR`: same R (up to row signs) as a one-shot LAPACK QR for
/// any block size, merging row ranges, and LAPACK `dtpqrt` taking over when squares would overflow/underflow.
final class TallSkinnyKernelTests: XCTestCase {
    static func sample(rows: Int, columns: Int, magnitude: Double = 1) -> Matrix {
        var a = Matrix(rows: rows, columns: columns)
        var state: UInt64 = 7
        for i in 0..<rows {
            for j in 0..<columns {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                let u = Double(state >> 11) / 9007199254740992.0 - 0.5
                a[i, j] = j == 0 ? magnitude : magnitude * (u + Double(j % 3) * 0.1)
            }
        }
        return a
    }

    /// R factors agree up to the sign of each row; tolerance: Householder QR is backward stable, so each entry is
    /// within a small multiple of ε·‖A‖ of the other factorisation's (1e-12·‖A‖_F here, n·ε ≈ 1e-13).
    func assertSameR(_ a: Matrix, _ b: Matrix, norm: Double, file: StaticString = #filePath, line: UInt = #line) {
        for i in 0..<a.columns {
            let sign = (a[i, i] < 0) == (b[i, i] < 0) ? 1.0 : -1.0
            for j in i..<a.columns {
                XCTAssertEqual(b[i, j], sign * a[i, j], accuracy: 1e-12 * norm, "R[\(i),\(j)]", file: file, line: line)
            }
        }
    }

    func testKernelMatchesOneShotQRForAnyBlockSize() throws {
        let a = Self.sample(rows: 3001, columns: 12)
        let norm = a.storage.reduce(0) { $0 + $1 * $1 }.squareRoot()
        let whole = try HouseholderQR(a).r
        for block in [1, 7, 64, 256, 5000] {
            assertSameR(whole, try TallSkinnyQR.r(of: a, blockRows: block), norm: norm)
        }
        // Default block size (L1-sized).
        assertSameR(whole, try TallSkinnyQR.r(of: a), norm: norm)
    }

    func testMergingRowRangesGivesTheWholeR() throws {
        let a = Self.sample(rows: 2000, columns: 5)
        let norm = a.storage.reduce(0) { $0 + $1 * $1 }.squareRoot()
        var top = TallSkinnyQR(columns: 5), bottom = TallSkinnyQR(columns: 5)
        try top.append(a.submatrix(rows: 0..<1300, columns: 0..<5))
        try bottom.append(a.submatrix(rows: 1300..<2000, columns: 0..<5))
        try top.merge(bottom)
        XCTAssertEqual(top.rowCount, 2000)
        assertSameR(try HouseholderQR(a).r, top.r, norm: norm)
    }

    func testExtremeMagnitudesGoThroughLAPACK() throws {
        // Squares of 1e200 overflow and of 1e-200 underflow: the kernel declines, dtpqrt (scaled norms) folds.
        for magnitude in [1e200, 1e-200] {
            let a = Self.sample(rows: 500, columns: 4, magnitude: magnitude)
            let r = try TallSkinnyQR.r(of: a, blockRows: 64)
            let reference = try TallSkinnyQR.r(of: Self.sample(rows: 500, columns: 4), blockRows: 64)
            for i in 0..<4 {
                XCTAssertTrue(r[i, i].isFinite && r[i, i] != 0, "diagonal \(i) at \(magnitude)")
                XCTAssertEqual(abs(r[i, i]) / magnitude, abs(reference[i, i]), accuracy: 1e-12 * abs(reference[0, 0]))
            }
        }
    }

    func testRowChunksAreFixedAndCoverEveryRow() throws {
        let chunks = RowChunks(rowCount: 150_001, chunkSize: 65_536)
        XCTAssertEqual(chunks.count, 3)
        XCTAssertEqual(chunks.range(2), 131_072..<150_001)
        let sums = try chunks.map(workers: 2) { k in chunks.range(k).reduce(0, +) }
        XCTAssertEqual(sums.reduce(0, +), (0..<150_001).reduce(0, +))
        XCTAssertEqual(RowChunks(rowCount: 0).count, 0)
    }
}
