import Foundation
import XCTest
@testable import Matrix

/// The iterative refinement between the double path and the extended reduction (`LeastSquaresFit.refineSolution`):
/// a wide factor design whose κ ≈ 1e3 fails the double bound (ε·κ²·tan θ) but has ε·κ ≪ 1e-11 is refined from the
/// double R in O(n·p) passes, and must agree with the forced Float80 reduction (`.extended`) to the ~11 digits the
/// bound promises — coefficients, standard errors, RSS, residuals and the sandwich; designs where refinement may not
/// be used or does not converge must fall back to the extended reduction.
final class IterativeRefinementTests: XCTestCase {
    #if arch(x86_64) || arch(i386)
    static let refinedName = "double (Float80-refined)"
    static let extendedName = "Float80"
    #else
    static let refinedName = "double (double-double-refined)"
    static let extendedName = "double-double"
    #endif

    /// Intercept, `levels − 1` treatment dummies of a factor g, x1 that drifts with g, x2 = x1 + `spread`·noise
    /// (collinear with x1 as `spread` → 0), an independent x3, and optionally x4 = x1 − x3 (exactly aliased).
    /// y has unit noise times `noise`.
    static func wideDesign(rows n: Int, levels: Int, spread: Double, noise: Double, aliased: Bool = false,
                           seed: UInt64) -> (x: Matrix, y: [Double]) {
        var state = seed
        func unif() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / 9007199254740992.0
        }
        func gauss() -> Double { (-2 * log(1 - unif())).squareRoot() * cos(2 * .pi * unif()) }
        let p = levels + 3 + (aliased ? 1 : 0)
        var x = Matrix(rows: n, columns: p)
        var y = [Double](repeating: 0, count: n)
        for i in 0..<n {
            let g = i < levels ? i : Int(unif() * Double(levels)) % levels  // every level present
            x[i, 0] = 1
            if g > 0 { x[i, g] = 1 }
            let x1 = gauss() + 0.05 * Double(g)
            let x2 = x1 + spread * gauss()
            let x3 = gauss()
            x[i, levels] = x1; x[i, levels + 1] = x2; x[i, levels + 2] = x3
            if aliased { x[i, levels + 3] = x1 - x3 }
            y[i] = 1 + 0.01 * Double(g) + 2 * x1 - x2 + 0.5 * x3 + noise * gauss()
        }
        return (x, y)
    }

    /// A design that hides its double columns: the refinement then reads rows through `fillRow` in T.
    struct RowsOnly: DesignRowSource {
        let x: Matrix
        var rowCount: Int { x.rows }
        var columnCount: Int { x.columns }
        func fillRow<T: ExtendedReal>(_ i: Int, into row: inout [T]) { x.fillRow(i, into: &row) }
    }

    /// |a − b| ≤ tol·max(|a|, |b|) elementwise (NaN only with NaN).
    func assertRelClose(_ a: [Double], _ b: [Double], _ tol: Double, _ what: String,
                        file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, what, file: file, line: line)
        var worst = 0.0
        for (k, (u, v)) in zip(a, b).enumerated() {
            if u.isNaN || v.isNaN { XCTAssertTrue(u.isNaN && v.isNaN, "\(what)[\(k)]: \(u) vs \(v)", file: file, line: line); continue }
            let d = abs(u - v) / max(abs(u), abs(v), .leastNormalMagnitude)
            worst = max(worst, d)
            XCTAssertLessThanOrEqual(abs(u - v), tol * max(abs(u), abs(v)), "\(what)[\(k)]: \(u) vs \(v)", file: file, line: line)
        }
        print("  \(what): max relative difference \(String(format: "%.2g", worst))")
    }

    func assertAgree(_ fit: LeastSquaresFit, _ reference: LeastSquaresFit, _ label: String) {
        XCTAssertEqual(fit.rank, reference.rank, label)
        XCTAssertEqual(fit.aliased, reference.aliased, label)
        // The documented standard: coefficients and standard errors to ~11 digits (here 1e-11 relative).
        assertRelClose(fit.coefficients, reference.coefficients, 1e-11, "\(label) β")
        assertRelClose(fit.standardErrorFactors, reference.standardErrorFactors, 1e-11, "\(label) SE factor")
        XCTAssertEqual(fit.residualSumOfSquares, reference.residualSumOfSquares,
                       accuracy: 1e-12 * reference.residualSumOfSquares, label)
        let scale = reference.residualSumOfSquares.squareRoot() / Double(reference.rowCount).squareRoot()
        for (a, b) in zip(fit.residuals, reference.residuals) {
            if abs(a - b) > 1e-10 * scale { XCTFail("\(label) residual \(a) vs \(b)"); break }
        }
        let robust = fit.robustCovariance(.hc1), robustRef = reference.robustCovariance(.hc1)
        let p = reference.coefficients.count
        assertRelClose((0..<p).map { robust[$0, $0].squareRoot() }, (0..<p).map { robustRef[$0, $0].squareRoot() },
                       1e-10, "\(label) HC1 SE")
    }

    /// The wide factor design of the QA finding, scaled down: κ ≈ 1e3 with a noisy response, so the double path's
    /// bound fails by the κ²·tan θ term alone; refinement is taken and agrees with the Float80 reduction.
    func testWideFactorDesignIsRefinedAndAgreesWithExtendedReduction() throws {
        let (x, y) = Self.wideDesign(rows: 2000, levels: 150, spread: 0.05, noise: 1, seed: 41)
        let w = (0..<x.rows).map { 0.5 + Double(($0 * 7) % 11) / 10 }
        for weights in [nil, w] as [[Double]?] {
            let label = weights == nil ? "unweighted" : "weighted"
            let fit = try LeastSquaresFit(design: x, response: y, weights: weights)
            let reference = try LeastSquaresFit(design: x, response: y, weights: weights, precision: .extended)
            let double = try LeastSquaresFit(design: x, response: y, weights: weights, precision: .double)
            print("\(label): κ \(String(format: "%.3g", fit.conditionNumber)), \(fit.precision)")
            XCTAssertEqual(fit.precision, Self.refinedName, label)
            // The premise: the double bound fails here, the refinement's condition holds.
            XCTAssertGreaterThan(fit.conditionNumber, 300, label)
            XCTAssertLessThan(Double.ulpOfOne * fit.conditionNumber, LeastSquaresFit.refinementConditionLimit, label)
            assertAgree(fit, reference, label)
            // The refined coefficients are not the double ones (else this test would not show anything).
            XCTAssertNotEqual(fit.coefficients, double.coefficients, label)
            // The same arithmetic through rows (no double columns): the generic pass.
            let rows = try LeastSquaresFit(design: RowsOnly(x: x), response: y, weights: weights)
            XCTAssertEqual(rows.precision, Self.refinedName, "\(label), rows")
            assertAgree(rows, reference, "\(label), rows")
        }
    }

    /// An aliased column (x4 = x1 − x3): the rank decision is the double R's, the refinement runs on the kept
    /// columns, and the aliased term is NaN as in the extended reduction.
    func testAliasedColumnOnTheRefinedPath() throws {
        let (x, y) = Self.wideDesign(rows: 2000, levels: 150, spread: 0.05, noise: 1, aliased: true, seed: 43)
        let fit = try LeastSquaresFit(design: x, response: y)
        let reference = try LeastSquaresFit(design: x, response: y, precision: .extended)
        XCTAssertEqual(fit.precision, Self.refinedName)
        XCTAssertEqual(fit.aliased, [x.columns - 1])
        assertAgree(fit, reference, "aliased")
    }

    /// The refinement passes run per fixed row chunk and add the chunks' sums in order: over more than one chunk
    /// (2¹⁶ rows each) the result is bit-identical for one and two workers.
    func testRefinedFitDoesNotDependOnTheNumberOfWorkers() throws {
        let (x, y) = Self.wideDesign(rows: 70_000, levels: 40, spread: 0.02, noise: 1, seed: 59)
        let one = try LeastSquaresFit(design: x, response: y, workers: 1)
        let two = try LeastSquaresFit(design: x, response: y, workers: 2)
        XCTAssertEqual(one.precision, Self.refinedName)
        XCTAssertEqual(one.coefficients.map(\.bitPattern), two.coefficients.map(\.bitPattern))
        XCTAssertEqual(one.residualSumOfSquares.bitPattern, two.residualSumOfSquares.bitPattern)
        XCTAssertEqual(one.residuals.map(\.bitPattern), two.residuals.map(\.bitPattern))
    }

    /// Refinement must give up and fall back to the extended reduction: when it may not confirm convergence (one
    /// pass allowed), when it is switched off, and when ε·κ is too large for the double R's (XᵀWX)⁻¹ (κ ≈ 1e5:
    /// nearly collinear x1, x2, a response close to the fit so that Float80's bound still holds).
    func testFallsBackToExtendedReduction() throws {
        let (x, y) = Self.wideDesign(rows: 2000, levels: 150, spread: 0.05, noise: 1, seed: 47)
        let reference = try LeastSquaresFit(design: x, response: y, precision: .extended)
        for passes in [0, 1] {
            let fit = try LeastSquaresFit(design: x, response: y, refinementPasses: passes)
            XCTAssertEqual(fit.precision, Self.extendedName, "\(passes) passes")
            assertAgree(fit, reference, "\(passes) passes")
        }
        let (xc, yc) = Self.wideDesign(rows: 2000, levels: 150, spread: 1e-4, noise: 1e-3, seed: 53)
        let fit = try LeastSquaresFit(design: xc, response: yc)
        print("collinear: κ \(String(format: "%.3g", fit.conditionNumber)), \(fit.precision)")
        XCTAssertGreaterThanOrEqual(Double.ulpOfOne * fit.conditionNumber, LeastSquaresFit.refinementConditionLimit)
        XCTAssertEqual(fit.precision, Self.extendedName)
        assertAgree(fit, try LeastSquaresFit(design: xc, response: yc, precision: .extended), "collinear")
    }
}
