import Foundation
import XCTest
@testable import SurveyStats

/// The streaming OLS must agree with `LinearModel` (itself checked against NIST StRD and statsmodels) on the
/// same file, including listwise deletion, HC1 standard errors and any cut of the file into worker ranges.
final class StreamingLeastSquaresTests: XCTestCase {
    static func writeData(rows: Int, seed: UInt64) throws -> String {
        var state = seed
        func unif() -> Double { state = state &* 6364136223846793005 &+ 1442695040888963407; return Double(state >> 11) / 9007199254740992.0 }
        func normal() -> Double { (-2 * log(max(unif(), 1e-300))).squareRoot() * cos(2 * .pi * unif()) }
        var s = "id,x1,x2,x3,y\n"
        for i in 0..<rows {
            let x1 = normal(), x2 = 3 + 2 * normal(), x3 = Double(i % 5)
            // Heteroskedastic noise so that HC1 differs from the classical SE.
            let y = 1.5 - 0.7 * x1 + 0.25 * x2 + 0.1 * x3 + (0.5 + abs(x1)) * normal()
            let f = { (v: Double) in String(format: "%.6f", v) }
            // Some missing values (listwise deletion) in x2 and y.
            let x2s = i % 97 == 3 ? "" : f(x2)
            let ys = i % 89 == 5 ? "NA" : f(y)
            s += "\(i),\(f(x1)),\(x2s),\(Int(x3)),\(ys)\n"
        }
        let path = NSTemporaryDirectory() + "stream-ols-\(UUID().uuidString).csv"
        try s.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func assertClose(_ a: [Double], _ b: [Double], rel: Double, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, what, file: file, line: line)
        for (x, y) in zip(a, b) {
            XCTAssertEqual(x, y, accuracy: rel * max(abs(x), abs(y)), what, file: file, line: line)
        }
    }

    func testAgreesWithLinearModelClassicalAndHC1() throws {
        let path = try Self.writeData(rows: 3000, seed: 11)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let data = try CSVReader.read(path: path)
        let reference = try LinearModel(formula: "y ~ x1 + x2 + x3", data: data)
        let referenceHC1 = try LinearModel(formula: "y ~ x1 + x2 + x3", data: data, robust: .hc1)
        for (workers, block) in [(1, 1024), (2, 7), (3, 100)] {
            let fit = try StreamingLeastSquares.fit(path: path, response: "y", predictors: ["x1", "x2", "x3"],
                                                    workers: workers, blockRows: block)
            XCTAssertEqual(fit.terms, ["(Intercept)", "x1", "x2", "x3"])
            XCTAssertEqual(fit.n, reference.n)
            XCTAssertEqual(fit.droppedMissing, reference.droppedMissing)
            assertClose(fit.coefficients, reference.estimates, rel: 1e-11, "coefficients, workers \(workers)")
            assertClose(fit.standardErrors, reference.standardErrors, rel: 1e-10, "SE, workers \(workers)")
            XCTAssertEqual(fit.rSquared, reference.rSquared, accuracy: 1e-12)
            XCTAssertEqual(fit.residualSumOfSquares, reference.residualSumOfSquares,
                           accuracy: 1e-11 * reference.residualSumOfSquares)
            let robust = try StreamingLeastSquares.fit(path: path, response: "y", predictors: ["x1", "x2", "x3"],
                                                       robust: true, workers: workers, blockRows: block)
            XCTAssertTrue(robust.isRobust)
            assertClose(robust.standardErrors, referenceHC1.standardErrors, rel: 1e-10, "HC1 SE, workers \(workers)")
        }
        // Without an intercept.
        let noInt = try LinearModel(formula: "y ~ x1 + x2 - 1", data: data)
        let fit = try StreamingLeastSquares.fit(path: path, response: "y", predictors: ["x1", "x2"], intercept: false)
        assertClose(fit.coefficients, noInt.estimates, rel: 1e-11, "no intercept")
        XCTAssertEqual(fit.rSquared, noInt.rSquared, accuracy: 1e-12)
    }

    func testErrorsNameTheProblem() throws {
        let path = NSTemporaryDirectory() + "stream-ols-bad-\(UUID().uuidString).csv"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "x,z,y\n1,2,3\n2,4,5\n3,6,8\n4,8,9\n".write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try StreamingLeastSquares.fit(path: path, response: "y", predictors: ["x", "z"])) { e in
            XCTAssertTrue("\(e)".contains("linear combination"), "\(e)")  // z = 2x
        }
        try "x,y\n1,3\n2,abc\n".write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try StreamingLeastSquares.fit(path: path, response: "y", predictors: ["x"])) { e in
            guard case DataError.malformed(_, let line, let column, _) = e else { return XCTFail("\(e)") }
            XCTAssertEqual(line, 3); XCTAssertEqual(column, 2)
        }
        try "x,y\n1,3\n".write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try StreamingLeastSquares.fit(path: path, response: "y", predictors: ["x"]))
    }
}
