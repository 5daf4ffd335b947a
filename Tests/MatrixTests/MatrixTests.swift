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
}
