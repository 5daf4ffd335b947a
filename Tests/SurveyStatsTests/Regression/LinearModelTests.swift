import XCTest
import Matrix
@testable import SurveyStats

/// Properties that hold exactly (identities between fits), plus degenerate inputs that must not crash.
/// Numbers against an independent program are in `StatsmodelsOLSTests`, certified ones in `NISTRegressionTests`.
final class LinearModelTests: XCTestCase {
    let x: [Double] = [1, 2, 3, 4, 5, 6, 7, 8]
    let z: [Double] = [0, 1, 1, 0, 1, 0, 0, 1]
    let y: [Double] = [2.1, 3.9, 6.2, 7.8, 10.1, 12.2, 13.8, 16.1]

    func data(_ extra: [Variable] = []) -> Dataset {
        Dataset(source: "t", variables: [
            Variable(name: "x", values: .numeric(NumericColumn(x))),
            Variable(name: "z", values: .numeric(NumericColumn(z))),
            Variable(name: "y", values: .numeric(NumericColumn(y))),
        ] + extra)
    }

    func testRankDeficientDesignReportsAliasedTermsByName() throws {
        let fit = try LinearModel(formula: "y ~ x + z + I(2*x - z)", data: data())
        XCTAssertEqual(fit.aliased, ["I(2*x-z)"])
        XCTAssertEqual(fit.rank, 3)
        XCTAssertEqual(fit.residualDegreesOfFreedom, 5)
        let last = fit.coefficients[3]
        XCTAssertTrue(last.isAliased && last.estimate.isNaN && last.standardError.isNaN && last.pValue.isNaN)
        let reduced = try LinearModel(formula: "y ~ x + z", data: data())
        for j in 0..<3 {
            XCTAssertEqual(fit.coefficients[j].estimate, reduced.coefficients[j].estimate, accuracy: 1e-13)
            XCTAssertEqual(fit.coefficients[j].standardError, reduced.coefficients[j].standardError, accuracy: 1e-13)
        }
        XCTAssertEqual(fit.rSquared, reduced.rSquared, accuracy: 1e-15)
        XCTAssertEqual(fit.fTest?.df1, 2)
        let text = fit.description
        XCTAssertTrue(text.contains("Aliased (not estimable): I(2*x-z)") && text.contains("I(2*x-z)") && text.contains("NA"), text)
        // HC SEs of an aliased column are NaN, the others finite.
        let hc = fit.robustStandardErrors(.hc3)
        XCTAssertTrue(hc[3].isNaN); XCTAssertTrue(hc[0..<3].allSatisfy(\.isFinite))
    }

    func testZeroWeightsAreDroppedAndCounted() throws {
        let w: [Double] = [1, 1, 0, 1, 1, 1, 0, 1]
        for precision in [LeastSquaresPrecision.automatic, .double] {
        let fit = try LinearModel(formula: "y ~ x", data: data([Variable(name: "w", values: .numeric(NumericColumn(w)))]), weights: "w",
                                  precision: precision)
        XCTAssertEqual(fit.n, 6); XCTAssertEqual(fit.droppedZeroWeight, 2)
        let keep = w.map { $0 > 0 }
        let reduced = try LinearModel(formula: "y ~ x", data: data().filtered(keep))
        XCTAssertEqual(fit.coefficients[1].estimate, reduced.coefficients[1].estimate, accuracy: 1e-14)
        XCTAssertEqual(fit.coefficients[1].standardError, reduced.coefficients[1].standardError, accuracy: 1e-14)
        XCTAssertEqual(fit.residualDegreesOfFreedom, 4)
        XCTAssertEqual(fit.residuals.count, 8)  // every design row gets a residual
        XCTAssertEqual(fit.residuals[2], y[2] - fit.fittedValues[2])
        XCTAssertEqual(fit.robustStandardErrors(.hc2)[1], reduced.robustStandardErrors(.hc2)[1], accuracy: 1e-13)
        }
    }

    func testIntegerWeightsEqualRepeatedRows() throws {
        let w: [Double] = [1, 2, 1, 3, 1, 1, 2, 1]
        let fit = try LinearModel(formula: "y ~ x + z", data: data([Variable(name: "w", values: .numeric(NumericColumn(w)))]), weights: "w")
        var rx: [Double] = [], rz: [Double] = [], ry: [Double] = []
        for i in 0..<8 { for _ in 0..<Int(w[i]) { rx.append(x[i]); rz.append(z[i]); ry.append(y[i]) } }
        let rep = try LinearModel(formula: "y ~ x + z", data: Dataset(source: "rep", variables: [
            Variable(name: "x", values: .numeric(NumericColumn(rx))), Variable(name: "z", values: .numeric(NumericColumn(rz))),
            Variable(name: "y", values: .numeric(NumericColumn(ry)))]))
        for j in 0..<3 { XCTAssertEqual(fit.coefficients[j].estimate, rep.coefficients[j].estimate, accuracy: 1e-13) }
        XCTAssertEqual(fit.residualSumOfSquares, rep.residualSumOfSquares, accuracy: 1e-13)
        XCTAssertEqual(fit.rSquared, rep.rSquared, accuracy: 1e-14)
    }

    func testNoInterceptUsesUncentredRSquaredAndDf() throws {
        let fit = try LinearModel(formula: "y ~ x - 1", data: data())
        XCTAssertFalse(fit.hasIntercept)
        let b = zip(x, y).reduce(0) { $0 + $1.0 * $1.1 } / x.reduce(0) { $0 + $1 * $1 }
        XCTAssertEqual(fit.coefficients[0].estimate, b, accuracy: 1e-14)
        let rss = zip(x, y).reduce(0) { $0 + ($1.1 - b * $1.0) * ($1.1 - b * $1.0) }
        XCTAssertEqual(fit.rSquared, 1 - rss / y.reduce(0) { $0 + $1 * $1 }, accuracy: 1e-14)
        XCTAssertEqual(fit.adjustedRSquared, 1 - (1 - fit.rSquared) * 8 / 7, accuracy: 1e-14)
        XCTAssertEqual(fit.fTest?.df1, 1); XCTAssertEqual(fit.fTest?.df2, 7)
    }

    func testDegenerateInputsDoNotCrash() throws {
        // Exact fit with zero residual df.
        let two = Dataset(source: "2", variables: [Variable(name: "x", values: .numeric(NumericColumn([1, 2]))),
                                                   Variable(name: "y", values: .numeric(NumericColumn([3, 5])))])
        let f2 = try LinearModel(formula: "y ~ x", data: two)
        XCTAssertEqual(f2.coefficients[1].estimate, 2, accuracy: 1e-14)
        XCTAssertEqual(f2.residualDegreesOfFreedom, 0)
        XCTAssertTrue(f2.coefficients[1].standardError.isNaN && f2.coefficients[1].pValue.isNaN)
        XCTAssertNil(f2.fTest)
        XCTAssertTrue(f2.confidenceIntervals()[0].lower.isNaN)
        // Constant response: R² undefined, no crash.
        let c = try LinearModel(formula: "y ~ x", data: Dataset(source: "c", variables: [
            Variable(name: "x", values: .numeric(NumericColumn([1, 2, 3]))), Variable(name: "y", values: .numeric(NumericColumn([4, 4, 4])))]))
        XCTAssertTrue(c.rSquared.isNaN)
        XCTAssertEqual(c.coefficients[1].estimate, 0, accuracy: 1e-14)
        // A constant predictor next to the intercept is aliased; an all-zero column too.
        let k = try LinearModel(formula: "y ~ x + I(0*x) + I(x - x + 3)", data: data())
        XCTAssertEqual(k.aliased, ["I(0*x)", "I(x-x+3)"])
        // Everything missing: a clear error, not a crash.
        let empty = Dataset(source: "e", variables: [Variable(name: "x", values: .numeric(NumericColumn([nil, nil]))),
                                                     Variable(name: "y", values: .numeric(NumericColumn([1, 2])))])
        XCTAssertThrowsError(try LinearModel(formula: "y ~ x", data: empty)) { e in XCTAssertTrue("\(e)".contains("no observations"), "\(e)") }
        // Negative weight: error naming the row.
        XCTAssertThrowsError(try LinearModel(formula: "y ~ x", data: data([Variable(name: "w", values: .numeric(NumericColumn([1, 1, -1, 1, 1, 1, 1, 1])))]), weights: "w"))
    }

    /// A perfect fit reports F = ∞ (p = 0) whether its leftover RSS came out exactly 0 or as rounding residue:
    /// the weighted y = 2x − 1 (weights 1, 1, 0, 2) left 1e-64 and F = 5.5e62, where the unweighted fit gave ∞.
    /// Reference: exact weighted RSS 0 (scripts/reference/ols_exact_rational.py → Fixtures/ols/near_perfect.json,
    /// "perfect_weighted"); NIST certifies F = Infinity for Wampler1 (NISTRegressionTests).
    func testPerfectFitHasInfiniteFWithOrWithoutWeights() throws {
        let ref = try XCTUnwrap(try RegressionFixtures.json("ols/near_perfect.json")["perfect_weighted"] as? [String: Any])
        XCTAssertEqual(ref["rss"] as? String, "0.0"); XCTAssertEqual(ref["f"] as? String, "inf")
        let column = { (key: String) in ((ref[key] as? [Int]) ?? []).map(Double.init) }
        let ds = Dataset(source: "perfect", variables: [Variable(name: "x", values: .numeric(NumericColumn(column("x")))),
                                                        Variable(name: "y", values: .numeric(NumericColumn(column("y")))),
                                                        Variable(name: "w", values: .numeric(NumericColumn(column("w"))))])
        for weights in [nil, "w"] as [String?] {
            let fit = try LinearModel(formula: "y ~ x", data: ds, weights: weights)
            XCTAssertTrue(fit.isEssentiallyPerfectFit, "\(weights ?? "unweighted")")
            let f = try XCTUnwrap(fit.fTest)
            XCTAssertEqual(f.statistic, .infinity, "\(weights ?? "unweighted")")
            XCTAssertEqual(f.pValue, 0, "\(weights ?? "unweighted")")
        }
    }

    /// y ≈ 1e6 with residuals ≈ 1e-4: the double-double fit's residual SE and SEs are those of the exact (rational)
    /// least-squares solution of the same doubles, to ~1e-15; statsmodels' double fit is 5e-8 away from both, which
    /// a QA comparison with it had read as an error of the extended-precision path. References:
    /// scripts/reference/ols_exact_rational.py → Fixtures/ols/near_perfect.json.
    func testNearPerfectFitMatchesExactRationalLeastSquares() throws {
        let ref = try XCTUnwrap(try RegressionFixtures.json("ols/near_perfect.json")["near_perfect"] as? [String: Any])
        let num = { (v: Any?) in Double(v as? String ?? "") ?? .nan }
        let fit = try LinearModel(formula: "y ~ x", data: try RegressionFixtures.dataset("ols/near_perfect.csv"))
        XCTAssertEqual(fit.precision, "double-double")
        XCTAssertFalse(fit.isEssentiallyPerfectFit)
        let close = { (a: Double, b: Double, what: String) in
            XCTAssertLessThanOrEqual(abs(a - b), 1e-13 * abs(b), "\(what): \(a) vs exact \(b)")
        }
        close(fit.residualSumOfSquares, num(ref["rss"]), "RSS")
        close(fit.residualStandardError, num(ref["residual_se"]), "residual SE")
        let se = (ref["std_errors"] as? [Any] ?? []).map(num), est = (ref["estimates"] as? [Any] ?? []).map(num)
        for j in 0..<2 {
            close(fit.coefficients[j].standardError, se[j], "SE \(j)")
            close(fit.coefficients[j].estimate, est[j], "estimate \(j)")
        }
        // statsmodels' double-precision value is the inaccurate one here (recorded for contrast).
        if let sm = ref["statsmodels"] as? [String: Any] {
            XCTAssertGreaterThan(abs(num(sm["residual_se"]) - fit.residualStandardError), 1e-9 * fit.residualStandardError)
        }
    }

    func testConstantResponseAndPerfectFitAreFlaggedNotMisreported() throws {
        // y = 5 on every row: TSS = 0, so R² and F are 0/0 — undefined, not F = −df₂/df₁ (QA: F = −13.5).
        let five = [Double](repeating: 5, count: 8)
        let c = try LinearModel(formula: "y ~ x + z", data: Dataset(source: "c", variables: [
            Variable(name: "x", values: .numeric(NumericColumn(x))), Variable(name: "z", values: .numeric(NumericColumn(z))),
            Variable(name: "y", values: .numeric(NumericColumn(five)))]))
        XCTAssertTrue(c.responseIsConstant)
        XCTAssertTrue(c.isEssentiallyPerfectFit)
        XCTAssertEqual(c.totalSumOfSquares, 0)
        XCTAssertTrue(c.rSquared.isNaN && c.adjustedRSquared.isNaN)
        XCTAssertTrue(try XCTUnwrap(c.fTest).statistic.isNaN)
        XCTAssertTrue(try XCTUnwrap(c.fTest).pValue.isNaN)
        // y = 2x + 1 exactly: R's "essentially perfect fit" (σ̂² < 1e-30·(mean² + var)); not constant.
        let exact = try LinearModel(formula: "y ~ x", data: Dataset(source: "e", variables: [
            Variable(name: "x", values: .numeric(NumericColumn(x))),
            Variable(name: "y", values: .numeric(NumericColumn(x.map { 2 * $0 + 1 })))]))
        XCTAssertTrue(exact.isEssentiallyPerfectFit)
        XCTAssertFalse(exact.responseIsConstant)
        let noisy = try LinearModel(formula: "y ~ x", data: data())
        XCTAssertFalse(noisy.isEssentiallyPerfectFit || noisy.responseIsConstant)
        // Intercept only: R² and adjusted R² are 0 by definition (smf.ols('y ~ 1', d).fit().rsquared → 0.0).
        let mean = try LinearModel(formula: "y ~ 1", data: data())
        XCTAssertEqual(mean.rSquared, 0)
        XCTAssertEqual(mean.adjustedRSquared, 0)
        XCTAssertNil(mean.fTest)
    }

    func testConfidenceIntervalsAndPlainMatrixConstructor() throws {
        let design = Matrix(columns: [[Double](repeating: 1, count: 8), x])
        let fit = try LinearModel(design: design, response: y, termNames: ["(Intercept)", "x"])
        XCTAssertTrue(fit.hasIntercept)
        let ci = fit.confidenceIntervals(level: 0.95)
        let q = StudentTDistribution(df: 6).inverseSF(0.025)
        XCTAssertEqual(ci[1].upper - fit.coefficients[1].estimate, q * fit.coefficients[1].standardError, accuracy: 1e-13)
        XCTAssertEqual(fit.fTest!.statistic, fit.coefficients[1].t * fit.coefficients[1].t, accuracy: 1e-8 * fit.fTest!.statistic)
        // Leverages sum to the rank.
        XCTAssertEqual(fit.leverages().reduce(0, +), 2, accuracy: 1e-13)
    }
}

/// Power-of-ten column scaling changes the units of a slope and nothing else: rank, aliasing, t and R² are the
/// same, estimate and SE scale by the factor (QA: I(1e154·x) had every term aliased, I(1e-160·x) no SE,
/// I(1e-170·x) an aliased slope — column sums of squares over- or underflowed).
final class ColumnScaleInvarianceTests: XCTestCase {
    let x: [Double] = [1, 2, 3, 4, 5, 6, 7, 8]
    let y: [Double] = [2.1, 3.9, 6.2, 7.8, 10.1, 12.2, 13.8, 16.1]

    func testExtremeScalesFitLikeTheRescaledProblem() throws {
        // r = sm.OLS(y, sm.add_constant(x)).fit(); r.params, r.bse → [0.03571428571428581, 1.9976190476190472],
        // [0.14038536208102784, 0.02780044426688411]: the slope of I(c·x) is 1.99761…/c with SE 0.02780…/c.
        let data = Dataset(source: "s", variables: [Variable(name: "x", values: .numeric(NumericColumn(x))),
                                                    Variable(name: "y", values: .numeric(NumericColumn(y)))])
        for (c, term) in [(1.0, "1"), (1e154, "1e154"), (1e-160, "1e-160"), (1e-170, "1e-170"), (1e200, "1e200")] {
            for precision in [LeastSquaresPrecision.automatic, .double, .extended] {
                let fit = try LinearModel(formula: "y ~ I(\(term)*x)", data: data, precision: precision)
                let label = "I(\(term)·x), \(precision)"
                XCTAssertEqual(fit.aliased, [], label)
                XCTAssertEqual(fit.coefficients[0].estimate, 0.03571428571428581, accuracy: 1e-12, label)
                XCTAssertEqual(fit.coefficients[0].standardError, 0.14038536208102784, accuracy: 1e-12, label)
                XCTAssertEqual(fit.coefficients[1].estimate * c, 1.9976190476190472, accuracy: 1e-12, label)
                XCTAssertEqual(fit.coefficients[1].standardError * c, 0.02780044426688411, accuracy: 1e-12, label)
                XCTAssertEqual(fit.rSquared, try LinearModel(formula: "y ~ x", data: data).rSquared, accuracy: 1e-13, label)
            }
        }
    }
}

/// HC2/HC3 with a leverage-1 row (the only row of a level): the row's term eᵢ²/(1 − hᵢ)ᵏ is 0/0. It adds nothing
/// and only the coefficient that depends on it is undefined (QA: every SE, t, p, CI and the F were blanked).
final class LeverageOneRobustTests: XCTestCase {
    func testOnlyTheCoefficientsThatDependOnTheRowAreUndefined() throws {
        let data = Dataset(source: "lev", variables: [
            Variable(name: "x", values: .numeric(NumericColumn([1, 2, 3, 4, 5, 6, 7, 8]))),
            Variable(name: "y", values: .numeric(NumericColumn([2.1, 3.9, 6.2, 7.8, 10.1, 12.2, 13.8, 16.1]))),
            Variable(name: "g", values: .text(["a", "b", "a", "b", "a", "b", "c", "a"])),
        ])
        // r = smf.ols('y ~ x + C(g)', d).fit(); r.get_robustcov_results('HC2' / 'HC3').bse for Intercept, x,
        // C(g)[T.b] (statsmodels' C(g)[T.c] is rounding noise: 0.0864 for HC2, 16.0 for HC3).
        let reference: [(HeteroskedasticityConsistentType, [Double])] = [
            (.hc2, [0.08861814894989328, 0.021999931094353484, 0.12659407359935954]),
            (.hc3, [0.11997656011080374, 0.0329626107465783, 0.1678592027788085]),
        ]
        for (type, se) in reference {
            for precision in [LeastSquaresPrecision.automatic, .double] {
                let fit = try LinearModel(formula: "y ~ x + C(g)", data: data, robust: type, precision: precision)
                let label = "\(type) \(precision)"
                XCTAssertEqual(fit.terms, ["(Intercept)", "x", "C(g)[T.b]", "C(g)[T.c]"], label)
                for k in 0..<3 { XCTAssertEqual(fit.coefficients[k].standardError, se[k], accuracy: 1e-12 * se[k], label) }
                XCTAssertTrue(fit.coefficients[3].standardError.isNaN, label)
                XCTAssertFalse(fit.coefficients[3].estimate.isNaN, label)
                XCTAssertEqual(fit.leverageOneRows, [6], label)
                XCTAssertTrue(try XCTUnwrap(fit.fTest).statistic.isNaN, label)
            }
        }
        // HC0/HC1 need no leverages and are defined for every coefficient.
        let hc1 = try LinearModel(formula: "y ~ x + C(g)", data: data, robust: .hc1)
        XCTAssertTrue(hc1.standardErrors.allSatisfy { $0.isFinite })
        XCTAssertEqual(hc1.leverageOneRows, [])
    }
}
