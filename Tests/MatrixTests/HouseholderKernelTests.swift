import Foundation
import XCTest
@testable import Matrix

/// The C fold kernel (`CHouseholderKernel`: AVX-512, AVX2+FMA or baseline) against LAPACK `dtpqrt` — the same algorithm
/// (structured Householder QR of [R; B], `dtpqrt2` with l = 0) in LAPACK's arithmetic — for every dispatch
/// variant the machine has, and the identities the least-squares fit relies on: the fused fill equals copy-then-fold bit for bit,
/// and folding X·D (D a power-of-two diagonal) gives R(X)·D bit for bit.
///
/// Tolerance: both are backward-stable Householder QR, so each entry of R is within a small multiple of ε times
/// its column's norm of the other's (rows·ε ≈ 1e-13 for the sizes here; asserted at 1e-12·‖A[:, j]‖). R is
/// unique up to the sign of each row (LAPACK's `dlarfg` and the kernel choose the sign of α differently when
/// r_kk = 0), so rows are compared after matching the diagonal's sign.
final class HouseholderKernelTests: XCTestCase {
    /// Deterministic uniform numbers in [-0.5, 0.5).
    struct Uniform {
        var state: UInt64
        mutating func next() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / 9007199254740992.0 - 0.5
        }
    }

    /// Column-major rows × m: random columns, or (`illConditioned`) graded magnitudes 1e-6…1e6, a near copy of
    /// column 1 (differs by 1e-9 relatively), a zero column and a constant column.
    static func block(rows: Int, columns m: Int, illConditioned: Bool, seed: UInt64) -> [Double] {
        var u = Uniform(state: seed)
        var a = [Double](repeating: 0, count: rows * m)
        for j in 0..<m {
            let magnitude = illConditioned ? pow(10, -6 + 12 * Double(j) / Double(max(1, m - 1))) : 1
            for i in 0..<rows {
                a[i + j * rows] = magnitude * (u.next() + Double(j % 3) * 0.2)
            }
        }
        if illConditioned && m >= 5 {
            for i in 0..<rows {
                a[i + 2 * rows] = a[i + rows] * (1 + 1e-9 * u.next())
                a[i + 3 * rows] = 0
                a[i + 4 * rows] = 3.5
            }
        }
        return a
    }

    /// Folds the blocks (sizes `sizes`, taken in order from `a`) starting from R = 0, with the kernel or LAPACK.
    func fold(_ a: [Double], rows n: Int, columns m: Int, sizes: [Int], lapack: Bool) throws -> TallSkinnyQR {
        var t = TallSkinnyQR(columns: m)
        var start = 0
        for b in sizes where start < n {
            let rows = min(b, n - start)
            var block = [Double](repeating: 0, count: rows * m)
            for j in 0..<m { for i in 0..<rows { block[i + j * rows] = a[start + i + j * n] } }
            try block.withUnsafeMutableBufferPointer { pb in
                if lapack {
                    try t.appendUsingLAPACK(block: pb.baseAddress!, rows: rows, leadingDimension: rows)
                } else {
                    try t.append(block: pb.baseAddress!, rows: rows, leadingDimension: rows)
                }
            }
            start += rows
        }
        XCTAssertEqual(t.rowCount, n)
        return t
    }

    func assertSameR(_ a: Matrix, _ b: Matrix, columnNorms: [Double], _ what: String,
                     file: StaticString = #filePath, line: UInt = #line) {
        for i in 0..<a.columns {
            let sign = (a[i, i] < 0) == (b[i, i] < 0) ? 1.0 : -1.0
            for j in i..<a.columns {
                XCTAssertEqual(b[i, j], sign * a[i, j], accuracy: 1e-12 * columnNorms[j],
                               "\(what): R[\(i),\(j)]", file: file, line: line)
            }
        }
    }

    static func columnNorms(_ a: [Double], rows n: Int, columns m: Int) -> [Double] {
        (0..<m).map { j in (0..<n).reduce(0.0) { $0 + a[$1 + j * n] * a[$1 + j * n] }.squareRoot() }
    }

    /// Runs `body` once for each kernel variant this machine has (AVX-512, AVX2+FMA, baseline), that variant forced.
    func forEachVariant(_ body: (String) throws -> Void) rethrows {
        for name in HouseholderKernel.availableVariants {
            try HouseholderKernel.withVariant(name) {
                XCTAssertEqual(HouseholderKernel.variant, name)
                try body(name)
            }
        }
    }

    /// Backward error of a factor: |(RᵀR − AᵀA)ᵢⱼ| ≤ tol·‖aᵢ‖‖aⱼ‖ (what backward stability promises whatever
    /// the conditioning; R itself is only determined to ε·κ for ill-conditioned A).
    func assertBackwardStable(_ r: Matrix, _ a: [Double], rows n: Int, norms: [Double], _ what: String,
                              file: StaticString = #filePath, line: UInt = #line) {
        let m = r.columns
        for i in 0..<m {
            for j in i..<m {
                var rr = 0.0, aa = 0.0
                for k in 0...i { rr += r[k, i] * r[k, j] }
                for k in 0..<n { aa += a[k + i * n] * a[k + j * n] }
                XCTAssertEqual(rr, aa, accuracy: 1e-12 * norms[i] * norms[j], "\(what): (RᵀR)[\(i),\(j)]", file: file, line: line)
            }
        }
    }

    func testKernelMatchesLAPACKOnRandomAndIllConditionedBlocks() throws {
        let n = 3001
        // Block sizes cover the vector loops' remainders and blocks shorter than the width (1, 3, 7 rows: what is
        // left of a column then shrinks to rounding noise, and its square towards underflow, step by step).
        let sizes = [1, 3, 7, 255, 256, 257, 512, 4] + [Int](repeating: 500, count: 5)
        for m in [1, 2, 5, 12, 51] {
            for ill in [false, true] {
                let a = Self.block(rows: n, columns: m, illConditioned: ill, seed: UInt64(31 * m + (ill ? 1 : 0)))
                let norms = Self.columnNorms(a, rows: n, columns: m)
                let reference = try fold(a, rows: n, columns: m, sizes: sizes, lapack: true).r
                assertBackwardStable(reference, a, rows: n, norms: norms, "LAPACK m \(m) ill \(ill)")
                try forEachVariant { variant in
                    let r = try fold(a, rows: n, columns: m, sizes: sizes, lapack: false).r
                    XCTAssertTrue(r.storage.allSatisfy(\.isFinite), "\(variant) m \(m) ill \(ill)")
                    assertBackwardStable(r, a, rows: n, norms: norms, "\(variant) m \(m) ill \(ill)")
                    // Forward agreement entrywise where R is well determined (κ of the random designs is small).
                    if !ill { assertSameR(reference, r, columnNorms: norms, "\(variant) m \(m)") }
                }
            }
        }
    }

    /// A one-row block folded into a wide R: after each step what is left of the later columns is the previous
    /// step's rounding noise, so by step ~16 its squares underflow (the reflector is then rescaled).
    func testShortBlocksIntoAWideTriangleStayFinite() throws {
        let m = 60
        let a = Self.block(rows: 2 * m, columns: m, illConditioned: false, seed: 99)
        let norms = Self.columnNorms(a, rows: 2 * m, columns: m)
        try forEachVariant { variant in
            let r = try fold(a, rows: 2 * m, columns: m, sizes: [Int](repeating: 1, count: 2 * m), lapack: false).r
            XCTAssertTrue(r.storage.allSatisfy(\.isFinite), variant)
            assertBackwardStable(r, a, rows: 2 * m, norms: norms, variant)
        }
    }

    func testVariantsAgreeToRounding() throws {
        let n = 2000, m = 11
        let a = Self.block(rows: n, columns: m, illConditioned: false, seed: 5)
        let norms = Self.columnNorms(a, rows: n, columns: m)
        let sizes = [Int](repeating: 256, count: 8)
        XCTAssertEqual(HouseholderKernel.availableVariants.last, "baseline")
        XCTAssertEqual(HouseholderKernel.variant, HouseholderKernel.availableVariants.first)
        let portable = try HouseholderKernel.withPortableVariant { try fold(a, rows: n, columns: m, sizes: sizes, lapack: false).r }
        try forEachVariant { variant in
            let r = try fold(a, rows: n, columns: m, sizes: sizes, lapack: false).r
            assertSameR(portable, r, columnNorms: norms, "\(variant) vs baseline")
            // Each variant is deterministic: the same input gives the same bits.
            let again = try fold(a, rows: n, columns: m, sizes: sizes, lapack: false).r
            XCTAssertEqual(again.storage.map(\.bitPattern), r.storage.map(\.bitPattern), variant)
        }
    }

    /// The fused fill (copy × scale × √w, sums and first products in the copy pass) is the same arithmetic as
    /// copying first and folding the copy.
    func testFillAndFoldEqualsCopyThenFold() throws {
        let n = 1000, m = 6
        let a = Self.block(rows: n, columns: m, illConditioned: false, seed: 9)
        var u = Uniform(state: 77)
        let sw = (0..<n).map { _ in (0.6 + u.next()).squareRoot() }
        let scale = [0.25, 8, 1, 0.5, 1024, 1]
        for weighted in [false, true] {
            try forEachVariant { variant in
                var fused = TallSkinnyQR(columns: m), copied = TallSkinnyQR(columns: m)
                var block = [Double](repeating: .nan, count: 300 * m)
                var start = 0
                while start < n {
                    let b = min(300, n - start)
                    let done = try a.withUnsafeBufferPointer { pa in
                        try scale.withUnsafeBufferPointer { ps in
                            try sw.withUnsafeBufferPointer { pw in
                                let cols = (0..<m).map { Optional(pa.baseAddress! + $0 * n + start) }
                                return try cols.withUnsafeBufferPointer { pc in
                                    try block.withUnsafeMutableBufferPointer { pb in
                                        try fused.append(columns: pc.baseAddress!, scale: ps.baseAddress,
                                                         sqrtWeights: weighted ? pw.baseAddress! + start : nil,
                                                         rows: b, block: pb.baseAddress!, scalingFallback: false)
                                    }
                                }
                            }
                        }
                    }
                    XCTAssertTrue(done)
                    var copy = [Double](repeating: 0, count: b * m)
                    for j in 0..<m {
                        for i in 0..<b {
                            copy[i + j * b] = weighted ? a[start + i + j * n] * scale[j] * sw[start + i] : a[start + i + j * n] * scale[j]
                        }
                    }
                    try copy.withUnsafeMutableBufferPointer { pb in
                        try copied.append(block: pb.baseAddress!, rows: b, leadingDimension: b)
                    }
                    start += b
                }
                XCTAssertEqual(fused.rowCount, n)
                XCTAssertEqual(fused.r.storage.map(\.bitPattern), copied.r.storage.map(\.bitPattern),
                               "\(variant) weighted \(weighted)")
            }
        }
    }

    /// Householder QR commutes with power-of-two column scaling: R(X·D) = R(X)·D exactly (what lets the
    /// least-squares fit fold X unscaled and derive its scaling from R afterwards).
    func testPowerOfTwoColumnScalingCommutesExactly() throws {
        let n = 1500, m = 7
        let a = Self.block(rows: n, columns: m, illConditioned: true, seed: 3)
        let d: [Double] = [0x1p-40, 0x1p12, 1, 0x1p-3, 0x1p30, 0x1p-20, 0x1p7]
        var scaled = a
        for j in 0..<m { for i in 0..<n { scaled[i + j * n] *= d[j] } }
        let sizes = [Int](repeating: 256, count: 6)
        try forEachVariant { variant in
            var r = try fold(a, rows: n, columns: m, sizes: sizes, lapack: false).r
            for j in 0..<m { for i in 0...j { r[i, j] *= d[j] } }
            let rs = try fold(scaled, rows: n, columns: m, sizes: sizes, lapack: false).r
            XCTAssertEqual(rs.storage.map(\.bitPattern), r.storage.map(\.bitPattern), variant)
        }
    }

    /// The fused entry declines blocks whose squares could overflow or underflow (or are not finite) when asked
    /// to, leaving R untouched; with the fallback on, LAPACK folds them.
    func testFillDeclinesExtremeAndNonFiniteBlocks() throws {
        let n = 100, m = 3
        for bad in [1e200, 1e-200, Double.nan, Double.infinity] {
            var a = Self.block(rows: n, columns: m, illConditioned: false, seed: 1)
            for i in 0..<n { a[i + n] *= bad.isFinite ? bad : 1 }
            if !bad.isFinite { a[17 + 2 * n] = bad }
            var t = TallSkinnyQR(columns: m)
            var block = [Double](repeating: 0, count: n * m)
            let call: (Bool) throws -> Bool = { fallback in
                try a.withUnsafeBufferPointer { pa in
                    let cols = (0..<m).map { Optional(pa.baseAddress! + $0 * n) }
                    return try cols.withUnsafeBufferPointer { pc in
                        try block.withUnsafeMutableBufferPointer { pb in
                            try t.append(columns: pc.baseAddress!, scale: nil, sqrtWeights: nil, rows: n,
                                         block: pb.baseAddress!, scalingFallback: fallback)
                        }
                    }
                }
            }
            XCTAssertFalse(try call(false), "\(bad)")
            XCTAssertEqual(t.rowCount, 0)
            XCTAssertTrue(t.r.storage.allSatisfy { $0 == 0 }, "R untouched for \(bad)")
            if bad.isFinite {
                XCTAssertTrue(try call(true))
                XCTAssertEqual(t.rowCount, n)
                XCTAssertTrue(t.r[1, 1].isFinite && t.r[1, 1] != 0, "LAPACK folded \(bad)")
            }
        }
    }

    /// The least-squares double path folds X unscaled first; extreme units (squares out of range) or a
    /// non-finite value make it start over with scaled columns, which gives the same fit and the usual error.
    func testLeastSquaresDoublePathWithExtremeUnitsAndBadValues() throws {
        let n = 5000
        var u = Uniform(state: 11)
        var x = Matrix(rows: n, columns: 3)
        var y = [Double](repeating: 0, count: n)
        for i in 0..<n {
            x[i, 0] = 1; x[i, 1] = u.next(); x[i, 2] = 10 * u.next()
            y[i] = 1 + 2 * x[i, 1] - 0.3 * x[i, 2] + 0.1 * u.next()
        }
        let plain = try LeastSquaresFit(design: x, response: y, precision: .double)
        for factor in [1e200, 1e-200, 0x1p-700] {
            var big = x
            for i in 0..<n { big[i, 2] *= factor }
            let fit = try LeastSquaresFit(design: big, response: y, precision: .double)
            XCTAssertEqual(fit.coefficients[0], plain.coefficients[0], accuracy: 1e-12 * abs(plain.coefficients[0]))
            XCTAssertEqual(fit.coefficients[2] * factor, plain.coefficients[2], accuracy: 1e-12 * abs(plain.coefficients[2]))
            XCTAssertEqual(fit.residualSumOfSquares, plain.residualSumOfSquares, accuracy: 1e-11 * plain.residualSumOfSquares)
        }
        var bad = x
        bad[17, 1] = .nan
        XCTAssertThrowsError(try LeastSquaresFit(design: bad, response: y, precision: .double)) { error in
            XCTAssertTrue("\(error)".contains("column 2, row 18"), "\(error)")
        }
    }

    /// A column of ones given as `DoubleColumns.Column.ones` (a NULL column pointer: the kernels read no memory) gives
    /// exactly the bits of a stored column of ones, on every variant, over several row chunks, with and without
    /// weights: coefficients, covariance, residuals, y's and the fitted values' moments, HC0–HC3 and the leverages.
    func testOnesColumnWithoutStorageEqualsStoredOnes() throws {
        struct Columns: DesignRowSource {
            let columns: DoubleColumns
            var rowCount: Int { columns.rows }
            var columnCount: Int { columns.count }
            var doubleColumns: DoubleColumns? { columns }
            func fillRow<T: ExtendedReal>(_ i: Int, into row: inout [T]) {
                for j in 0..<columns.count { row[j] = T(columns[row: i, column: j]) }
            }
        }
        let n = 140_003
        var state: UInt64 = 99
        func unif() -> Double { state = state &* 6364136223846793005 &+ 1442695040888963407; return Double(state >> 11) / 9007199254740992.0 }
        let x1 = (0..<n).map { _ in unif() * 10 }, x2 = (0..<n).map { _ in unif() - 0.5 }
        let y = (0..<n).map { 3 + 0.5 * x1[$0] - 2 * x2[$0] + (unif() - 0.5) * (1 + x1[$0] / 5) }
        let w = (0..<n).map { _ in 0.5 + unif() }
        let stored = Columns(columns: DoubleColumns(rows: n, columns: [.values(x1), .values([Double](repeating: 1, count: n)), .values(x2)]))
        let virtual = Columns(columns: DoubleColumns(rows: n, columns: [.values(x1), .ones, .values(x2)]))
        XCTAssertEqual(virtual.columns.column(1), [Double](repeating: 1, count: n))
        XCTAssertEqual(virtual.columns[row: 7, column: 1], 1)
        try forEachVariant { variant in
            for weights in [nil, w] as [[Double]?] {
                let a = try LeastSquaresFit(design: stored, response: y, weights: weights, precision: .double)
                let b = try LeastSquaresFit(design: virtual, response: y, weights: weights, precision: .double)
                let what = "\(variant), weighted \(weights != nil)"
                XCTAssertEqual(a.coefficients, b.coefficients, what)
                XCTAssertEqual(a.unscaledCovariance, b.unscaledCovariance, what)
                XCTAssertEqual(a.residualSumOfSquares, b.residualSumOfSquares, what)
                XCTAssertEqual(a.residuals, b.residuals, what)
                XCTAssertEqual(a.responseMoments, b.responseMoments, what)
                XCTAssertEqual(a.fittedValueMoments(), b.fittedValueMoments(), what)
                for type in HeteroskedasticityConsistentType.allCases {
                    XCTAssertEqual(a.robustCovariance(type), b.robustCovariance(type), "\(what) \(type)")
                }
                XCTAssertEqual(a.leverages(), b.leverages(), what)
            }
        }
    }
}
