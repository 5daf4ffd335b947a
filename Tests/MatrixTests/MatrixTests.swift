import Foundation
import XCTest
@testable import Matrix

final class MatrixBLASTests: XCTestCase {
    func testGemmMatchesHandComputedProduct() throws {
        let a = Matrix([[1, 2, 3], [4, 5, 6]])
        let b = Matrix([[7, 8], [9, 10], [11, 12]])
        let c = try Matrix.multiply(a, b)
        XCTAssertEqual(c, Matrix([[58, 64], [139, 154]]))
        let ata = try Matrix.multiply(a, transposeA: true, a)
        XCTAssertEqual(ata, Matrix([[17, 22, 27], [22, 29, 36], [27, 36, 45]]))
    }
    func testGemvAndShapeError() throws {
        let a = Matrix([[1, 2], [3, 4]])
        XCTAssertEqual(try a.multiply([1, 1]), [3, 7])
        XCTAssertEqual(try a.multiply([1, 1], transpose: true), [4, 6])
        XCTAssertThrowsError(try a.multiply([1, 2, 3]))
    }

    /// `DoubleColumns` gives the same columns, values and base pointers whether it holds one matrix or one array
    /// per column; the arrays are not copied; zero rows give valid (never read) pointers.
    func testDoubleColumnsOverAMatrixAndOverArrays() {
        let a: [Double] = [1, 2, 3], b: [Double] = [4, 5, 6]
        let m = Matrix(rows: 3, columns: 2, columnMajor: a + b)
        let fromMatrix = DoubleColumns(m), fromArrays = DoubleColumns(rows: 3, columns: [a, b])
        for c in [fromMatrix, fromArrays] {
            XCTAssertEqual(c.rows, 3)
            XCTAssertEqual(c.count, 2)
            XCTAssertEqual(c.column(1), b)
            XCTAssertEqual(c[row: 2, column: 0], 3)
            XCTAssertEqual(c.matrix, m)
            let sums = c.withColumnBases { p in (0..<2).map { j in (0..<3).reduce(0.0) { $0 + p[j]![$1] } } }
            XCTAssertEqual(sums, [6, 15])
        }
        let shared = fromArrays.withColumnBases { p in UnsafeRawPointer(p[1]) }
        XCTAssertEqual(shared, b.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }, "the array itself")
        // Thousands of columns (a factor with many levels; held as one matrix), read on worker threads as the
        // parallel fit does.
        for width in [DoubleColumns.maximumSeparateColumns, 20_000] {
            let wide = DoubleColumns(rows: 2, columns: (0..<width).map { [Double($0), 1] })
            var totals = [Double](repeating: 0, count: 2)
            totals.withUnsafeMutableBufferPointer { out in
                let o = out
                DispatchQueue.concurrentPerform(iterations: 2) { k in
                    o[k] = wide.withColumnBases { p in (0..<width).reduce(0.0) { $0 + p[$1]![k] } }
                }
            }
            XCTAssertEqual(totals, [Double(width * (width - 1) / 2), Double(width)])
        }
        // A column of ones is no memory: a nil base (the kernels read NULL as ones), ones everywhere else.
        let withOnes = DoubleColumns(rows: 3, columns: [.ones, .values(b)])
        XCTAssertTrue(withOnes.withColumnBases { p in p[0] == nil && p[1] != nil })
        XCTAssertEqual(withOnes.column(0), [1, 1, 1])
        XCTAssertEqual(withOnes.matrix, Matrix(rows: 3, columns: 2, columnMajor: [1, 1, 1] + b))
        XCTAssertEqual(withOnes.linearPredictor([0.5, 2]), b.map { 0.5 + 2 * $0 })
        let picked = withOnes.selecting(rows: [2, 0])
        XCTAssertTrue(picked.withColumnBases { p in p[0] == nil }, "ones stay ones")
        XCTAssertEqual(picked.column(1), [b[2], b[0]])
        XCTAssertEqual(fromMatrix.selecting(rows: [1]).matrix, Matrix(rows: 1, columns: 2, columnMajor: [a[1], b[1]]))
        let wideOnes = DoubleColumns(rows: 3, columns: [DoubleColumns.Column.ones] + Array(repeating: .values(b), count: 70))
        XCTAssertEqual(wideOnes.withColumnBases { p in p[0]![2] }, 1, "copied into one matrix beyond 64 columns")
        let empty = DoubleColumns(rows: 0, columns: [[Double](), []])
        XCTAssertEqual(empty.withColumnBases { _ in 2 }, 2)
        XCTAssertEqual(empty.matrix.rows, 0)
    }

    /// The vectorised non-finite scan finds the first NaN, +∞ or −∞ wherever it is: inside or at the edges of its
    /// 1024-value blocks and of its 16-value vector steps, in the scalar tail, and in buffers of every small length.
    func testFirstNonFiniteIndexAgreesWithAScalarSearch() {
        XCTAssertNil(firstNonFiniteIndex([]))
        XCTAssertNil(firstNonFiniteIndex([Double](repeating: -.greatestFiniteMagnitude, count: 5000)))
        for n in [1, 3, 15, 16, 17, 1023, 1024, 1025, 5000] {
            for bad in [Double.nan, .infinity, -.infinity] {
                for position in Set([0, n / 2, n - 1, min(n - 1, 1023), min(n - 1, 1024), min(n - 1, 16)]) {
                    var x = (0..<n).map { Double($0) * 1e300 / Double(n) - 3 }
                    x[position] = bad
                    if position + 7 < n { x[position + 7] = .nan }  // a later one is not reported
                    XCTAssertEqual(firstNonFiniteIndex(x), position, "n \(n), \(bad) at \(position)")
                    XCTAssertEqual(firstNonFiniteIndex(x), x.firstIndex { !$0.isFinite })
                }
            }
        }
    }
}
