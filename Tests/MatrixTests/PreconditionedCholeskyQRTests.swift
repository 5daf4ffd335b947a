import Foundation
import XCTest
@testable import Matrix

/// `PreconditionedCholeskyQR` (Cholesky QR of X·P⁻¹ with P from sampled rows) against LAPACK `dtpqrt` on the whole
/// matrix, on every kernel variant the machine has, and its fallbacks: a rare dummy the sample misses, a sample
/// unlike the rest of the data (second pass), collinear columns, NaN/±∞ and extreme magnitudes — each must either
/// give an R as accurate as Householder's or decline (nil), never a wrong R.
///
/// Tolerance: R is unique up to the signs of its rows; after matching the diagonal's sign each entry must be within
/// 1e-12·‖A[:, j]‖ of LAPACK's (both are backward stable; rows·ε ≈ 1e-12 at the sizes here).
final class PreconditionedCholeskyQRTests: XCTestCase {
    typealias Uniform = HouseholderKernelTests.Uniform

    /// An n-row design: the intercept (`Column.ones`), `p − 1` predictors (uniform, binary with share 0.3,
    /// alternating) and a response with noise.
    static func design(rows n: Int, predictors p: Int, seed: UInt64) -> (columns: [DoubleColumns.Column], y: [Double]) {
        var u = Uniform(state: seed)
        var cols: [DoubleColumns.Column] = [.ones]
        var y = [Double](repeating: 1, count: n)
        for j in 1..<p {
            var x = [Double](repeating: 0, count: n)
            for i in 0..<n {
                x[i] = j % 2 == 0 ? Double(j) + 3 * u.next() : (u.next() < -0.2 ? 1 : 0)
                y[i] += 0.25 * Double(j) * x[i]
            }
            cols.append(.values(x))
        }
        for i in 0..<n { y[i] += u.next() }
        return (cols, y)
    }

    /// `design(rows:predictors:seed:)` plus a dummy that is 1 exactly in `ones` (y shifted by `shift` there).
    static func designWithDummy(rows n: Int, seed: UInt64, ones: Range<Int>, shift: Double) -> (X: DoubleColumns, y: [Double]) {
        var (cols, y) = design(rows: n, predictors: 4, seed: seed)
        var dummy = [Double](repeating: 0, count: n)
        for i in ones { dummy[i] = 1; y[i] += shift }
        return (DoubleColumns(rows: n, columns: cols + [.values(dummy)]), y)
    }

    /// [X·D | y]·diag(sw) as one matrix, and its R by LAPACK dtpqrt over 512-row blocks.
    static func lapackR(_ X: DoubleColumns, _ y: [Double], _ sw: [Double]?, _ scale: [Double]?) throws -> (Matrix, [Double]) {
        let n = X.rows, p = X.count, m = p + 1
        var t = TallSkinnyQR(columns: m)
        var norms = [Double](repeating: 0, count: m)
        var start = 0
        while start < n {
            let b = min(512, n - start)
            var block = [Double](repeating: 0, count: b * m)
            for i in 0..<b {
                let w = sw?[start + i] ?? 1
                for j in 0..<p { block[i + j * b] = X[row: start + i, column: j] * (scale?[j] ?? 1) * w }
                block[i + p * b] = y[start + i] * w
                for j in 0..<m { norms[j] += block[i + j * b] * block[i + j * b] }
            }
            try block.withUnsafeMutableBufferPointer { pb in
                try t.appendUsingLAPACK(block: pb.baseAddress!, rows: b, leadingDimension: b)
            }
            start += b
        }
        return (t.r, norms.map { $0.squareRoot() })
    }

    func assertSameR(_ r: Matrix, _ reference: Matrix, columnNorms: [Double], tolerance: Double = 1e-12,
                     _ message: String, file: StaticString = #filePath, line: UInt = #line) {
        let m = reference.rows
        var worst = 0.0
        for i in 0..<m {
            let sign: Double = (r[i, i] < 0) == (reference[i, i] < 0) ? 1 : -1
            for j in i..<m {
                worst = max(worst, abs(sign * r[i, j] - reference[i, j]) / columnNorms[j])
            }
        }
        XCTAssertLessThanOrEqual(worst, tolerance, "\(message): largest |ΔR_ij|/‖A_j‖ = \(worst)", file: file, line: line)
    }

    func testMatchesLAPACKOnEveryVariantWithWeightsScaleAndAnyThreadCount() throws {
        let n = 40_000
        let (cols, y) = Self.design(rows: n, predictors: 9, seed: 3)
        let X = DoubleColumns(rows: n, columns: cols)
        var u = Uniform(state: 5)
        let sw = (0..<n).map { _ in (0.5 + u.next() + 0.5).squareRoot() }
        let scale = (0..<9).map { Double(sign: .plus, exponent: $0 % 3 - 1, significand: 1) }
        for (weights, scales) in [(nil, nil), (sw, nil), (sw, scale)] as [([Double]?, [Double]?)] {
            let (reference, norms) = try Self.lapackR(X, y, weights, scales)
            for variant in HouseholderKernel.availableVariants {
                try HouseholderKernel.withVariant(variant) {
                    let one = try XCTUnwrap(PreconditionedCholeskyQR.reduce(X, y, weights, scales, origin: 0, workers: 1))
                    let two = try XCTUnwrap(PreconditionedCholeskyQR.reduce(X, y, weights, scales, origin: 0, workers: 2))
                    XCTAssertEqual(one.passes, 1, variant)
                    XCTAssertEqual(one.r.storage, two.r.storage, "\(variant): the result must not depend on the threads")
                    assertSameR(one.r, reference, columnNorms: norms, "\(variant), weighted \(weights != nil), scaled \(scales != nil)")
                }
            }
        }
    }

    /// y's moments come out of the same pass, as from the Householder path.
    func testResponseMomentsEqualTheHouseholderPath() throws {
        let n = 30_000
        let (cols, y) = Self.design(rows: n, predictors: 5, seed: 8)
        let X = DoubleColumns(rows: n, columns: cols)
        let origin = LeastSquaresFit.sampleMean(y)
        let gram = try XCTUnwrap(PreconditionedCholeskyQR.reduce(X, y, nil, nil, origin: origin, workers: 2))
        let house = try XCTUnwrap(LeastSquaresFit.reduceDoubleColumns(X, y, nil, nil, method: .householder, workers: 2))
        XCTAssertEqual(gram.response, house.response)
    }

    /// Power-of-two column scales commute exactly, as they do for the Householder fold: the fit relies on it.
    func testPowerOfTwoColumnScalingCommutesExactly() throws {
        let n = 20_000
        let (cols, y) = Self.design(rows: n, predictors: 6, seed: 21)
        let X = DoubleColumns(rows: n, columns: cols)
        let scale = [0x1p-3, 0x1p5, 1, 0x1p-40, 0x1p2, 0x1p1]
        let plain = try XCTUnwrap(PreconditionedCholeskyQR.reduce(X, y, nil, nil, origin: 0, workers: 2)).r
        let scaled = try XCTUnwrap(PreconditionedCholeskyQR.reduce(X, y, nil, scale, origin: 0, workers: 2)).r
        for j in 0..<7 {
            for i in 0...j { XCTAssertEqual(scaled[i, j], plain[i, j] * (j < 6 ? scale[j] : 1), "R[\(i), \(j)]") }
        }
    }

    /// Sorted data: a dummy that is 1 only in rows the sample's stripes miss. The sample's column is zero, so
    /// the preconditioner is singular: decline, and the fit's reduction is the Householder fold's, bit for bit.
    func testRareDummyMissedBySampleDeclines() throws {
        let (X, y) = Self.designWithDummy(rows: 20_000, seed: 2, ones: 10_000..<10_010, shift: 5)
        XCTAssertNil(try PreconditionedCholeskyQR.reduce(X, y, nil, nil, origin: 0, workers: 2))
        let automatic = try XCTUnwrap(LeastSquaresFit.reduceDoubleColumns(X, y, nil, nil, workers: 2))
        let house = try XCTUnwrap(LeastSquaresFit.reduceDoubleColumns(X, y, nil, nil, method: .householder, workers: 2))
        XCTAssertEqual(automatic.r.storage, house.r.storage)
    }

    /// A sample unlike the data: a dummy that is 1 in the first 64 rows only (all of the first stripe, 3 % of the
    /// sample, 0.03 % of the data), so P is off by a factor ~10 in that direction. The first pass sees κ(R_Y) > 8,
    /// the second (P ← R_Y·P) is accepted, and R is as accurate as LAPACK's.
    func testUnrepresentativeSampleTakesASecondPass() throws {
        let (X, y) = Self.designWithDummy(rows: 200_000, seed: 4, ones: 0..<64, shift: 2)
        let result = try XCTUnwrap(PreconditionedCholeskyQR.reduce(X, y, nil, nil, origin: 0, workers: 2))
        XCTAssertEqual(result.passes, 2)
        let (reference, norms) = try Self.lapackR(X, y, nil, nil)
        assertSameR(result.r, reference, columnNorms: norms, "second pass")
    }

    /// Ill-conditioned but full rank: two predictors differing by δ relatively (κ ≈ 1/δ up to 1e7) and a column of
    /// magnitude 1e6. R's trailing entries are then sensitive (a backward error ε‖A‖ moves them by ~ε/δ), so the
    /// yardstick is the Householder fold's own distance from LAPACK: the preconditioned R, when it is accepted,
    /// must be as close (within 4× and 1e-13), and `reduceDoubleColumns` must be whichever was accepted.
    func testIllConditionedDesignIsAsAccurateAsHouseholderOrDeclined() throws {
        let n = 50_000
        var accepted = 0
        for delta in [1e-2, 1e-4, 1e-5, 1e-7] {
            var u = Uniform(state: 9)
            let a = (0..<n).map { _ in u.next() }
            let b = a.map { $0 * (1 + delta * u.next()) }
            let big = (0..<n).map { _ in 1e6 * u.next() }
            let y = (0..<n).map { i in 1 + a[i] - b[i] + 1e-6 * big[i] + 0.01 * u.next() }
            let X = DoubleColumns(rows: n, columns: [.ones, .values(a), .values(b), .values(big)])
            let (reference, norms) = try Self.lapackR(X, y, nil, nil)
            func distance(_ r: Matrix) -> Double {
                var worst = 0.0
                for i in 0..<5 {
                    let sign: Double = (r[i, i] < 0) == (reference[i, i] < 0) ? 1 : -1
                    for j in i..<5 { worst = max(worst, abs(sign * r[i, j] - reference[i, j]) / norms[j]) }
                }
                return worst
            }
            let house = try XCTUnwrap(LeastSquaresFit.reduceDoubleColumns(X, y, nil, nil, method: .householder, workers: 2))
            let householderDistance = distance(house.r)
            let automatic = try XCTUnwrap(LeastSquaresFit.reduceDoubleColumns(X, y, nil, nil, workers: 2))
            if let result = try PreconditionedCholeskyQR.reduce(X, y, nil, nil, origin: 0, workers: 2) {
                accepted += 1
                print("δ = \(delta): preconditioned R accepted after \(result.passes) pass(es), distance from LAPACK \(distance(result.r)); Householder \(householderDistance)")
                XCTAssertLessThanOrEqual(distance(result.r), max(4 * householderDistance, 1e-13),
                                         "δ = \(delta): Householder's distance \(householderDistance)")
                XCTAssertEqual(automatic.r.storage, result.r.storage, "δ = \(delta)")
            } else {
                print("δ = \(delta): preconditioned R declined; Householder's distance from LAPACK \(householderDistance)")
                XCTAssertEqual(automatic.r.storage, house.r.storage, "δ = \(delta)")
            }
        }
        XCTAssertGreaterThanOrEqual(accepted, 2, "the moderately conditioned cases should be accepted")
    }

    /// Exactly collinear columns (an aliased term): the sample's P is singular → decline; the fit then aliases the
    /// later column as before.
    func testCollinearColumnsDecline() throws {
        let n = 20_000
        let (cols, y) = Self.design(rows: n, predictors: 4, seed: 6)
        guard case .values(let x1) = cols[1] else { return XCTFail("design") }
        let X = DoubleColumns(rows: n, columns: cols + [.values(x1.map { 2 * $0 })])
        XCTAssertNil(try PreconditionedCholeskyQR.reduce(X, y, nil, nil, origin: 0, workers: 2))
        let fit = try LeastSquaresFit(design: X.matrix, response: y, precision: .double)
        XCTAssertEqual(fit.aliased, [4])
    }

    /// NaN, ±∞ or values whose squares overflow, outside the sample: the Gram is not finite → decline (the
    /// Householder path then reports or scales them exactly as before).
    func testNonFiniteAndExtremeValuesDecline() throws {
        let n = 20_000
        for bad in [Double.nan, .infinity, 1e300] {
            var (cols, y) = Self.design(rows: n, predictors: 4, seed: 7)
            guard case .values(var x2) = cols[2] else { return XCTFail("design") }
            x2[12_345] = bad
            cols[2] = .values(x2)
            let X = DoubleColumns(rows: n, columns: cols)
            XCTAssertNil(try PreconditionedCholeskyQR.reduce(X, y, nil, nil, origin: 0, workers: 2), "\(bad)")
            if !bad.isFinite {
                XCTAssertThrowsError(try LeastSquaresFit(design: X.matrix, response: y, precision: .double)) { error in
                    XCTAssertTrue("\(error)".contains("column 3, row 12346"), "\(error)")
                }
            }
        }
    }

    /// The least-squares fit through this reduction agrees with the extended-precision fit (Float80 / double-double
    /// throughout) to ~1e-12 on a large survey-like design, weighted: coefficients, covariance and RSS.
    func testLeastSquaresFitAgreesWithExtendedPrecision() throws {
        let n = 60_000
        let (cols, y) = Self.design(rows: n, predictors: 8, seed: 12)
        let X = DoubleColumns(rows: n, columns: cols).matrix
        let w = (0..<n).map { 0.5 + Double($0 % 7) / 7 }
        let fast = try LeastSquaresFit(design: X, response: y, weights: w, precision: .double)
        let exact = try LeastSquaresFit(design: X, response: y, weights: w, precision: .extended)
        XCTAssertEqual(fast.precision, "double")
        for j in 0..<8 {
            XCTAssertEqual(fast.coefficients[j], exact.coefficients[j], accuracy: 1e-12 * max(1, abs(exact.coefficients[j])))
            XCTAssertEqual(fast.standardErrorFactors[j], exact.standardErrorFactors[j], accuracy: 1e-12 * exact.standardErrorFactors[j])
        }
        XCTAssertEqual(fast.residualSumOfSquares, exact.residualSumOfSquares, accuracy: 1e-12 * exact.residualSumOfSquares)
    }
}
