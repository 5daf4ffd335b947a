import Foundation
import XCTest
import Matrix
@testable import SurveyStats

/// The parallel double path of `LeastSquaresFit` (row chunks reduced on separate threads by the L1 Householder
/// kernel, merged in chunk order) against the reference paths, on designs with more than two chunks of 2¹⁶ rows.
///
/// Tolerances: (1) results for 1 and 2 workers must be bit-identical (the partition does not depend on the worker
/// count); (2) against the row-wise extended-precision reference (`.extended`, Float80), double Householder QR is
/// accurate to the first-order bound ε·κ·(1 + κ·tan θ) (Golub & Van Loan §5.3.8, κ the scaled condition number,
/// θ the angle between y and the fit), so agreement is asserted to 100 times that bound; (3) against NIST's
/// certified values for replicated Longley and Wampler1 (replicating rows leaves β unchanged), the same bound.
final class ParallelLeastSquaresTests: XCTestCase {
    /// n × (1 + 5) design: intercept, four random columns and (if `aliased`) x5 = x1 + x2.
    static func generated(rows n: Int, aliased: Bool) -> (Matrix, [Double], [Double]) {
        var state: UInt64 = 2024
        func unif() -> Double { state = state &* 6364136223846793005 &+ 1442695040888963407; return Double(state >> 11) / 9007199254740992.0 }
        var x = Matrix(rows: n, columns: 6)
        var y = [Double](repeating: 0, count: n), w = [Double](repeating: 0, count: n)
        for i in 0..<n {
            let x1 = unif() * 10, x2 = unif() - 0.5, x3 = Double(i % 7), x4 = 10 * unif()
            x[i, 0] = 1; x[i, 1] = x1; x[i, 2] = x2; x[i, 3] = x3; x[i, 4] = x4
            x[i, 5] = aliased ? x1 + x2 : unif() * unif()
            y[i] = 2 + 0.5 * x1 - 3 * x2 + 0.1 * x3 - 0.02 * x4 + (0.5 + x1 / 10) * (unif() - 0.5)
            w[i] = 0.5 + unif()
        }
        return (x, y, w)
    }

    func bound(_ fit: LeastSquaresFit, _ y: [Double], _ w: [Double]?) -> Double {
        let kappa = fit.conditionNumber
        let rss = fit.residualSumOfSquares
        var yy = 0.0
        for i in 0..<y.count { yy += (w?[i] ?? 1) * y[i] * y[i] }
        let tanTheta = (rss / max(yy - rss, .leastNormalMagnitude)).squareRoot()
        return Double.ulpOfOne * kappa * (1 + kappa * tanTheta)
    }

    func assertRelClose(_ a: [Double], _ b: [Double], _ tol: Double, _ what: String,
                        file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, what, file: file, line: line)
        for (k, (u, v)) in zip(a, b).enumerated() {
            if u.isNaN || v.isNaN { XCTAssertTrue(u.isNaN && v.isNaN, "\(what)[\(k)]: \(u) vs \(v)", file: file, line: line); continue }
            XCTAssertLessThanOrEqual(abs(u - v), tol * max(abs(u), abs(v)), "\(what)[\(k)]: \(u) vs \(v)", file: file, line: line)
        }
    }

    /// Covariance matrices entrywise on the correlation scale: |ΔVₐᵦ| ≤ tol·√(Vₐₐ·Vᵦᵦ) (a relative test of
    /// an off-diagonal entry near zero would measure cancellation, not accuracy).
    func assertCovarianceClose(_ a: Matrix, _ b: Matrix, _ tol: Double, _ what: String,
                               file: StaticString = #filePath, line: UInt = #line) {
        for i in 0..<a.rows {
            for j in 0..<a.columns {
                let u = a[i, j], v = b[i, j]
                if u.isNaN || v.isNaN { XCTAssertTrue(u.isNaN && v.isNaN, "\(what)[\(i),\(j)]", file: file, line: line); continue }
                let scale = (abs(b[i, i]) * abs(b[j, j])).squareRoot()
                XCTAssertLessThanOrEqual(abs(u - v), tol * scale, "\(what)[\(i),\(j)]: \(u) vs \(v)", file: file, line: line)
            }
        }
    }

    /// For every kernel variant the machine has (AVX-512, AVX2+FMA, baseline): the fold, the residuals and the
    /// fused HC0/HC1 meat each run in that variant's arithmetic.
    func testWorkerCountDoesNotChangeTheResultAndMatchesExtendedReference() throws {
        let n = 150_001  // three chunks, the last one short
        for (aliased, weighted) in [(false, false), (true, false), (false, true), (true, true)] {
            let (x, y, w) = Self.generated(rows: n, aliased: aliased)
            let weights = weighted ? w : nil
            let reference = try LeastSquaresFit(design: x, response: y, weights: weights, precision: .extended)
            for variant in HouseholderKernel.availableVariants {
                try HouseholderKernel.withVariant(variant) {
                    let one = try LeastSquaresFit(design: x, response: y, weights: weights, precision: .double, workers: 1)
                    let two = try LeastSquaresFit(design: x, response: y, weights: weights, precision: .double, workers: 2)
                    let label = "\(variant) aliased \(aliased) weighted \(weighted)"
                    XCTAssertEqual(one.precision, "double", label)
                    XCTAssertEqual(one.coefficients.map(\.bitPattern), two.coefficients.map(\.bitPattern), label)
                    XCTAssertEqual(one.unscaledCovariance.storage.map(\.bitPattern), two.unscaledCovariance.storage.map(\.bitPattern), label)
                    XCTAssertEqual(one.residualSumOfSquares.bitPattern, two.residualSumOfSquares.bitPattern, label)
                    XCTAssertEqual(one.robustCovariance(.hc1).storage.map(\.bitPattern), two.robustCovariance(.hc1).storage.map(\.bitPattern), label)
                    XCTAssertEqual(one.aliased, aliased ? [5] : [], label)

                    XCTAssertEqual(reference.aliased, one.aliased, label)
                    let tol = 100 * bound(reference, y, weights)
                    XCTAssertLessThan(tol, 1e-9, "well-conditioned design expected (\(label))")
                    assertRelClose(two.coefficients, reference.coefficients, tol, "β " + label)
                    // The sandwich's meat is a sum of n terms accumulated in double: add n·ε/100 ≈ 3e-13 for it.
                    let covTol = tol + Double(n) * Double.ulpOfOne / 100
                    assertCovarianceClose(two.unscaledCovariance, reference.unscaledCovariance, tol, "(XᵀWX)⁻¹ " + label)
                    assertCovarianceClose(two.robustCovariance(.hc1), reference.robustCovariance(.hc1), covTol, "HC1 " + label)
                    assertCovarianceClose(two.robustCovariance(.hc0), reference.robustCovariance(.hc0), covTol, "HC0 " + label)
                    assertCovarianceClose(two.robustCovariance(.hc2), reference.robustCovariance(.hc2), covTol, "HC2 " + label)
                    assertCovarianceClose(two.robustCovariance(.hc3), reference.robustCovariance(.hc3), covTol, "HC3 " + label)
                    XCTAssertEqual(one.robustCovariance(.hc3).storage.map(\.bitPattern), two.robustCovariance(.hc3).storage.map(\.bitPattern), label)
                    assertRelClose(two.leverages(), reference.leverages(), tol, "leverages " + label)
                    XCTAssertEqual(two.residualSumOfSquares, reference.residualSumOfSquares, accuracy: tol * reference.residualSumOfSquares)
                }
            }
        }
    }

    /// A respondent alone in a category (a dummy that is 1 in one row only) has leverage 1: under HC2 and HC3 only
    /// the dummy's coefficient (the one that depends on that row) is undefined (NaN row and column) on every kernel
    /// variant, as on the extended reference; the rest agree with it, HC0/HC1 stay finite, and the other leverages
    /// agree with the reference.
    func testLeverageOneLeavesOnlyItsCoefficientUndefinedOnTheParallelPath() throws {
        let n = 150_001
        let (x0, y, _) = Self.generated(rows: n, aliased: false)
        var x = Matrix(rows: n, columns: 7)
        for j in 0..<6 { for i in 0..<n { x[i, j] = x0[i, j] } }
        x[100_000, 6] = 1
        let reference = try LeastSquaresFit(design: x, response: y, precision: .extended)
        func undefinedExactlyInColumn6(_ v: Matrix) -> Bool {
            (0..<7).allSatisfy { a in (0..<7).allSatisfy { b in v[a, b].isNaN == (a == 6 || b == 6) } }
        }
        XCTAssertTrue(undefinedExactlyInColumn6(reference.robustCovariance(.hc3)))
        for variant in HouseholderKernel.availableVariants {
            try HouseholderKernel.withVariant(variant) {
                let fit = try LeastSquaresFit(design: x, response: y, precision: .double)
                XCTAssertEqual(fit.precision, "double", variant)
                XCTAssertTrue(undefinedExactlyInColumn6(fit.robustCovariance(.hc2)), variant)
                XCTAssertTrue(undefinedExactlyInColumn6(fit.robustCovariance(.hc3)), variant)
                let v = fit.robustCovariance(.hc3), vref = reference.robustCovariance(.hc3)
                for a in 0..<6 { XCTAssertEqual(v[a, a], vref[a, a], accuracy: 1e-9 * vref[a, a], "\(variant) HC3[\(a)]") }
                XCTAssertTrue(fit.robustCovariance(.hc1).storage.allSatisfy(\.isFinite), variant)
                let h = fit.leverages(), href = reference.leverages()
                XCTAssertEqual(h[100_000], 1, accuracy: 1e-12, variant)
                for i in stride(from: 0, to: n, by: 1013) { XCTAssertEqual(h[i], href[i], accuracy: 1e-12, "\(variant) h[\(i)]") }
            }
        }
    }

    /// R² below ½ is ESS/TSS (the accurate form when RSS ≈ TSS); on the double path ESS comes from the fitted
    /// values' moments, one parallel pass over X without the residuals. Against the extended-precision fit, with y
    /// shifted by 1e4 (a large mean), weighted and unweighted, on every kernel variant.
    func testLowRSquaredFromFittedValueMomentsMatchesExtendedReference() throws {
        let n = 150_001
        var state: UInt64 = 99
        func unif() -> Double { state = state &* 6364136223846793005 &+ 1442695040888963407; return Double(state >> 11) / 9007199254740992.0 }
        let (x, y0, w) = Self.generated(rows: n, aliased: false)
        let y = y0.map { 1e4 + $0 + 40 * (unif() - 0.5) }  // R² ≈ 0.1
        let names = ["(Intercept)", "x1", "x2", "x3", "x4", "x5"]
        for weights in [nil, w] {
            let reference = try LinearModel(design: x, response: y, termNames: names, weights: weights, hasIntercept: true,
                                            precision: .extended)
            XCTAssertLessThan(reference.rSquared, 0.5)
            for variant in HouseholderKernel.availableVariants {
                try HouseholderKernel.withVariant(variant) {
                    let m = try LinearModel(design: x, response: y, termNames: names, weights: weights, hasIntercept: true,
                                            precision: .double)
                    let label = "\(variant) weighted \(weights != nil)"
                    XCTAssertEqual(m.precision, "double", label)
                    XCTAssertEqual(m.rSquared, reference.rSquared, accuracy: 1e-11 * reference.rSquared, label)
                    // The same sum from the residuals (the form used off the double path), in Float80.
                    let fit = try LeastSquaresFit(design: x, response: y, weights: weights, precision: .double)
                    let e = fit.residuals
                    var sw: Float80 = 0, sf: Float80 = 0
                    for i in 0..<n { let wi = Float80(weights?[i] ?? 1); sw += wi; sf += wi * Float80(y[i] - e[i]) }
                    let mean = sf / sw
                    var ess: Float80 = 0
                    for i in 0..<n { let d = Float80(y[i] - e[i]) - mean; ess += Float80(weights?[i] ?? 1) * d * d }
                    let fitted = try XCTUnwrap(fit.fittedValueMoments())
                    XCTAssertEqual(fitted.centredSumOfSquares, Double(ess), accuracy: 1e-12 * Double(ess), label)
                    XCTAssertEqual(fitted.weight, Double(sw), accuracy: 1e-12 * Double(sw), label)
                }
            }
        }
    }

    /// A NIST data set's rows repeated `reps` times (β is unchanged by replication).
    func replicated(_ name: String, _ reps: Int) throws -> (Dataset, String, [Double]) {
        let meta = try RegressionFixtures.json("nist-regression/\(name).json")
        let data = try RegressionFixtures.dataset("nist-regression/\(name).csv")
        var big = Dataset(source: "\(name)×\(reps)")
        for v in data.variables {
            let values = try v.numericValues()
            big.append(Variable(name: v.name, values: .numeric(NumericColumn(Array((0..<reps).map { _ in values }.joined())))))
        }
        let params = try XCTUnwrap((meta["certified"] as? [String: Any])?["parameters"] as? [[String: Any]])
        return (big, try NISTRegressionTests.formula(meta), params.map { $0["estimate"] as! Double })
    }

    func testReplicatedLongleyAndWamplerOnTheParallelPath() throws {
        for (name, reps) in [("Longley", 9000), ("Wampler1", 7000)] {  // 144 000 and 147 000 rows: 3 chunks
            let (data, formula, certified) = try replicated(name, reps)
            let design = try DesignMatrix.build(formula: formula, dataset: data)
            let one = try LeastSquaresFit(design: design, response: design.response, precision: .double, workers: 1)
            let two = try LeastSquaresFit(design: design, response: design.response, precision: .double, workers: 2)
            XCTAssertEqual(one.coefficients.map(\.bitPattern), two.coefficients.map(\.bitPattern), name)
            // The double path alone: componentwise it is only as good as κ and the spread of the scaled
            // coefficients allow (Wampler1's intercept next to x⁵: ~1e-9), so it is checked loosely here; the
            // automatic mode below must see that and escalate.
            for (b, c) in zip(two.coefficients, certified) {
                XCTAssertLessThanOrEqual(abs(b - c), 1e-6 * abs(c), "\(name): double path \(b) vs certified \(c), κ \(two.conditionNumber)")
            }
            // Automatic mode on the same large design escalates when the double bound is not met, and then
            // reaches the certified values to ≥ 10 digits.
            let auto = try LinearModel(formula: formula, data: data)
            for (b, c) in zip(auto.estimates, certified) {
                XCTAssertGreaterThanOrEqual(regressionLRE(b, c), 10, "\(name) [\(auto.precision)]")
            }
            print("\(name)×\(reps): κ \(String(format: "%.3g", two.conditionNumber)), automatic → \(auto.precision), min LRE \(String(format: "%.1f", zip(auto.estimates, certified).map { regressionLRE($0, $1) }.min() ?? 0))")
        }
    }

    /// Zero weights are dropped by `LinearModel` (row subset) and the rest goes through the parallel path.
    func testLinearModelWithZeroWeightsAgreesWithExtendedReference() throws {
        let (x, y, w0) = Self.generated(rows: 140_000, aliased: true)
        var w = w0
        for i in stride(from: 0, to: w.count, by: 13) { w[i] = 0 }
        let names = ["(Intercept)", "x1", "x2", "x3", "x4", "x5"]
        let fast = try LinearModel(design: x, response: y, termNames: names, weights: w, robust: .hc1)
        let reference = try LinearModel(design: x, response: y, termNames: names, weights: w, robust: .hc1, precision: .extended)
        XCTAssertEqual(fast.precision, "double")
        XCTAssertEqual(fast.aliased, ["x5"])
        XCTAssertEqual(fast.droppedZeroWeight, reference.droppedZeroWeight)
        assertRelClose(fast.estimates, reference.estimates, 1e-11, "β")
        assertRelClose(fast.standardErrors, reference.standardErrors, 1e-11, "HC1 SE")
        XCTAssertEqual(fast.rSquared, reference.rSquared, accuracy: 1e-12)
    }

    /// With an intercept, the total sum of squares comes from y's moments taken by the reduction block by block
    /// (`LeastSquaresFit.responseMoments`: corrected two-pass sums per block, merged in order by Chan et al.'s
    /// update); without one it is summed per fixed 2¹⁸-row chunk on all cores (`LinearModel.centredSums`). On
    /// more than two chunks, with and without weights, and with y shifted by 1e6 (mean ≫ spread, where a
    /// one-pass Σy² − (Σy)²/n would lose ~12 digits), it must match a Float80 two-pass reference computed here to
    /// 1e-13 relative (observed ~1e-16).
    func testTotalSumOfSquaresOverSeveralChunksMatchesExtendedReference() throws {
        let n = 2 * (1 << 18) + 1001
        let (x, y0, w) = Self.generated(rows: n, aliased: false)
        let names = ["(Intercept)", "x1", "x2", "x3", "x4", "x5"]
        func reference(_ y: [Double], _ weights: [Double]?, centred: Bool) -> Double {
            var sw: Float80 = 0, swy: Float80 = 0
            for i in 0..<n { let wi = Float80(weights?[i] ?? 1); sw += wi; swy += wi * Float80(y[i]) }
            let mean = centred ? swy / sw : 0
            var tss: Float80 = 0
            for i in 0..<n { let d = Float80(y[i]) - mean; tss += Float80(weights?[i] ?? 1) * d * d }
            return Double(tss)
        }
        for shift in [0.0, 1e6] {
            let y = y0.map { $0 + shift }
            for weights in [nil, w] as [[Double]?] {
                let fit = try LinearModel(design: x, response: y, termNames: names, weights: weights)
                // (With the shift the error bound sends the coefficients to Float80; y's moments still come from
                // the double reduction's pass.)
                if shift == 0 { XCTAssertEqual(fit.precision, "double") }
                let expected = reference(y, weights, centred: true)
                XCTAssertLessThanOrEqual(abs(fit.totalSumOfSquares - expected), 1e-13 * expected,
                                         "shift \(shift), weighted: \(weights != nil)")
                // The same moments straight from the least-squares fit.
                let ls = try LeastSquaresFit(design: x, response: y, weights: weights, precision: .double)
                let moments = try XCTUnwrap(ls.responseMoments)
                XCTAssertLessThanOrEqual(abs(moments.centredSumOfSquares - expected), 1e-13 * expected)
                let sw = weights?.reduce(0, +) ?? Double(n)
                XCTAssertEqual(moments.weight, sw, accuracy: 1e-12 * sw)
                let mean = zip(y, weights ?? [Double](repeating: 1, count: n)).reduce(0.0) { $0 + $1.0 * $1.1 } / sw
                XCTAssertEqual(moments.mean, mean, accuracy: 1e-12 * abs(mean))
            }
        }
        // Without an intercept the total sum of squares is uncentred.
        var noIntercept = Matrix(rows: n, columns: 5)
        for i in 0..<n { for j in 0..<5 { noIntercept[i, j] = x[i, j + 1] } }
        let fit = try LinearModel(design: noIntercept, response: y0, termNames: Array(names.dropFirst()), hasIntercept: false)
        let expected = reference(y0, nil, centred: false)
        XCTAssertLessThanOrEqual(abs(fit.totalSumOfSquares - expected), 1e-13 * expected, "uncentred")
    }
}
