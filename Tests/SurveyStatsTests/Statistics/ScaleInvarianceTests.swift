import Foundation
import XCTest
import Matrix
@testable import SurveyStats

/// Statistics on data of extreme magnitude (values ×1e±160, ×1e±300) equal those of the unscaled data: the moment
/// routines divide deviations by a power of two before squaring, least squares rescales the response and weights.
/// Reference values from scipy/statsmodels (the Python line is given with each).
final class ScaleInvarianceTests: XCTestCase {
    let x: [Double] = [1, 2, 3, 4, 5, 6]
    let y: [Double] = [2.1, 3.9, 6.2, 7.8, 10.1, 12.5]
    let z: [Double] = [2, 3, 1, 7, 2, 4]

    func close(_ a: Double, _ b: Double, _ rel: Double = 1e-12, _ what: String = "", line: UInt = #line) {
        XCTAssertEqual(a, b, accuracy: abs(b) * rel, what, line: line)
    }

    // MARK: Moments, t-tests, ANOVA, describe

    func testOneSampleTAndDescribeAtExtremeScales() throws {
        for s in [1.0, 1e160, 1e-160, 1e300, 1e-300] {
            let ys = y.map { $0 * s }
            let t = try OneSampleTTest(ys, mu0: 0)
            close(t.t, 4.499442178723794, 1e-12, "t at \(s)")   // stats.ttest_1samp(y, 0).statistic
            close(t.pValue(tail: .both), 0.006402825728447127, 1e-9, "p at \(s)")   // stats.ttest_1samp(y, 0).pvalue
            let d = DescriptiveStatistics(ys)
            close(d.standardDeviation, 3.8652296180175374 * s, 1e-13, "SD at \(s)")   // np.std(y, ddof=1)
            close(d.standardError, 3.8652296180175374 / 6.0.squareRoot() * s, 1e-13, "SE at \(s)")
            let col = try SampleSummary(NumericColumn(ys.map { Optional($0) }))
            close(col.sd, 3.8652296180175374 * s, 1e-13, "column SD at \(s)")
        }
    }

    func testTwoSampleTestsAtExtremeScales() throws {
        let a: [Double] = [1, 2, 4], b: [Double] = [7, 5, 9]
        for s in [1.0, 1e160, 1e-160, 1e-200, 1e300] {
            let (as_, bs) = (a.map { $0 * s }, b.map { $0 * s })
            let welch = try UnequalVarianceTTest(as_, bs)
            close(welch.t, -3.2118202741878648, 1e-12, "Welch t at \(s)")   // stats.ttest_ind(a, b, equal_var=False)
            close(welch.df, 3.7409326424870453, 1e-12, "Welch df at \(s)")
            // d = (x̄₁ − x̄₂)/s_pooled: (np.mean(a)-np.mean(b))/np.sqrt((2*np.var(a,ddof=1)+2*np.var(b,ddof=1))/4)
            close(welch.cohensD, -2.622440272428743, 1e-12, "Welch d at \(s)")
            let student = try EqualVarianceTTest(as_, bs)
            close(student.t, -3.2118202741878648, 1e-12, "Student t at \(s)")   // stats.ttest_ind(a, b)
            let paired = try PairedTTest(as_, bs)
            close(paired.t, -5.291502622129182, 1e-12, "paired t at \(s)")   // stats.ttest_rel(a, b)
        }
    }

    func testWelchCohensDFromSummariesIsScaleInvariant() throws {
        // d at scale 1 is the reference (the CLI's value: 0.4648286); every scale must give the same.
        let base = try UnequalVarianceTTest(mean1: 3.9, sd1: 0.8, n1: 104, mean2: 3.5, sd2: 0.9, n2: 150).cohensD
        // (3.9-3.5)/np.sqrt((103*0.8**2+149*0.9**2)/252)
        close(base, 0.46482856123546046, 1e-12)
        for s in [1e160, 1e-160, 1e-200, 1e300] {
            let t = try UnequalVarianceTTest(mean1: 3.9 * s, sd1: 0.8 * s, n1: 104, mean2: 3.5 * s, sd2: 0.9 * s, n2: 150)
            close(t.cohensD, base, 1e-12, "d at \(s)")
            close(t.hedgesG, base * hedgesCorrection(df: 252), 1e-12, "g at \(s)")
        }
    }

    /// Values near double's largest (±1.5e308 … ±1.7e308): their sums and the difference of the two group means
    /// overflow, but the mean, SD, t, F and d are representable. Reference: the same data /1e308 in scipy
    /// (a = [1.5, 1.6, 1.7], b = −a): np.std(np.r_[a, b], ddof=1), stats.ttest_ind(a, b), stats.f_oneway(a, b),
    /// statsmodels anova_oneway([a, b], use_var='unequal').
    func testValuesNearTheLargestDouble() throws {
        let a: [Double] = [1.5e308, 1.6e308, 1.7e308], b = a.map { -$0 }
        let d = DescriptiveStatistics(a + b)
        XCTAssertEqual(d.mean, 0)
        close(d.standardDeviation, 1.7549928774784243e308, 1e-14, "SD")
        close(d.standardError, 0.7164728420068226e308, 1e-14, "SE")
        let column = NumericColumn((a + b).map { Optional($0) })
        let groups = FactorCodes(labels: ["a", "a", "a", "b", "b", "b"])
        let moments = try GroupedMoments(column, groups: groups)
        close(moments.summary(0).mean, 1.6e308, 1e-15, "mean a"); close(moments.summary(1).mean, -1.6e308, 1e-15, "mean b")
        close(moments.summary(0).sd, 1e307, 1e-13, "SD a"); close(moments.summary(1).sd, 1e307, 1e-13, "SD b")
        for t in [try EqualVarianceTTest(moments.summary(0), moments.summary(1)) as any TTest,
                  try UnequalVarianceTTest(moments.summary(0), moments.summary(1))] {
            XCTAssertEqual(t.estimate, .infinity)   // 3.2e308 is beyond double's range
            close(t.t, 39.19183588453086, 1e-13, "t")
            close(t.pValue(tail: .both), 2.532131222876983e-06, 1e-9, "p")
            close(t.cohensD, 32.00000000000001, 1e-13, "d")
        }
        let anova = try OneWayANOVA(column, groups: groups)
        close(anova.f, 1535.9999999999645, 1e-12, "F")
        close(anova.pValue, 2.532131222877104e-06, 1e-9, "p")
        close(try WelchANOVA(column, groups: groups).f, 1536.0000000000007, 1e-12, "Welch F")
    }

    /// Welch's ANOVA with one zero-variance group is its limit as that SD → 0. Two groups: the Welch t-test's t² and
    /// df (a = [5, 5, 5], b = [1, 2, 3, 4]: stats.ttest_ind(a, b, equal_var=False) → t = 3.8729833462074166, df 3).
    /// Three groups: the limit formula, which statsmodels anova_oneway(use_var='unequal') approaches as the SD → 0
    /// (a + [0, 1e-6, −1e-6]: F 6.587513691124235, df₂ 4.571428571433538, p 0.045037869166101564). Two constant groups:
    /// undefined, an error.
    func testWelchANOVAWithAZeroVarianceGroup() throws {
        let a: [Double] = [5, 5, 5], b: [Double] = [1, 2, 3, 4], c: [Double] = [2, 6, 7, 3, 9]
        let two = try WelchANOVA(groups: [a, b])
        close(two.f, 3.8729833462074166 * 3.8729833462074166, 1e-13, "F = t²")
        XCTAssertEqual(two.dfWithin, 3, accuracy: 1e-13)
        close(two.pValue, try UnequalVarianceTTest(a, b).pValue(tail: .both), 1e-12, "p as Welch t")
        XCTAssertTrue(two.notes.contains { $0.contains("group 'group 1' has zero variance") }, "\(two.notes)")
        let three = try WelchANOVA(groups: [a, b, c])
        close(three.f, 6.587513691128149, 1e-12, "F")
        close(three.dfWithin, 4.571428571428572, 1e-13, "df2")
        close(three.pValue, 0.045037869166124817, 1e-9, "p")
        XCTAssertThrowsError(try WelchANOVA(groups: [a, [2, 2], b])) { error in
            XCTAssertTrue("\(error)".contains("groups 'group 1', 'group 2' have zero variance"), "\(error)")
        }
    }

    func testANOVAAtExtremeScales() throws {
        let a: [Double] = [1, 2, 4], b: [Double] = [7, 5, 9], c: [Double] = [3, 4, 8]
        for s in [1.0, 1e160, 1e-160, 1e300] {
            let groups = [a, b, c].map { $0.map { $0 * s } }
            let classic = try OneWayANOVA(groups: groups)
            // stats.f_oneway(a, b, c).statistic; η² = SSb/SSt: sum(3*(g.mean()-m)**2)/((v-m)**2).sum()
            close(classic.f, 3.7, 1e-12, "F at \(s)")
            close(classic.etaSquared, 0.5522388059701493, 1e-12, "η² at \(s)")
            XCTAssertTrue(classic.notes.isEmpty, "notes at \(s): \(classic.notes)")
            let welch = try WelchANOVA(groups: groups)
            // anova_oneway([a, b, c], use_var='unequal').statistic / .df_denom
            close(welch.f, 4.527277953434895, 1e-12, "Welch F at \(s)")
            close(welch.dfWithin, 3.8229448961156276, 1e-12, "Welch df at \(s)")
            // From a column by codes (the CLI's path, GroupedMoments).
            let column = NumericColumn(groups.joined().map { Optional($0) })
            let labels: [String?] = ["a", "a", "a", "b", "b", "b", "c", "c", "c"]
            close(try OneWayANOVA(column, groups: labels).f, 3.7, 1e-12, "column F at \(s)")
        }
        // y by z, one group of two and three of one: stats.f_oneway(*[y[z==k] for k in (1,2,3,4,7)]).statistic
        let byZ = try OneWayANOVA(NumericColumn(y.map { Optional($0 * 1e160) }), groups: z.map { String(Int($0)) })
        close(byZ.f, 0.3335937500000002, 1e-12)
    }

    // MARK: Weights

    func testWeightsWhoseSumOverflows() throws {
        let xs: [Double?] = [1, 2, 3, 4, 2, 3]
        let w: [Double] = [1e308, 1e308, 1e308, 2, 1, 1]
        for kind in [WeightKind.analytic, .probability] {
            let d = try DescriptiveStatistics(xs, weights: w, weightKind: kind)
            close(d.mean, 2.0, 1e-14, "mean \(kind)")          // np.average(x, weights=w/1e308)
            XCTAssertEqual(d.median, 2, "median \(kind)")       // weighted median of x with w/1e308
            if kind == .analytic {
                // DescrStatsW(x, weights=w*6/w.sum(), ddof=1).std
                close(d.standardDeviation, 0.816496580927726 * (6.0 / 5).squareRoot(), 1e-13)
            }
            XCTAssertTrue(d.standardError.isFinite && d.standardError > 0)
        }
        // Frequency weights are counts: a total beyond double's range is an error, not a silent NaN.
        XCTAssertThrowsError(try DescriptiveStatistics(xs, weights: w, weightKind: .frequency))
    }

    /// Probability-weighted SE needs Σw²: with weights of 1e200 (sum finite, squares not) it was NaN; the weights
    /// are now rescaled and the SE equals the one for unit weights.
    func testProbabilityWeightedSEWithWeightsWhoseSquaresOverflow() throws {
        let xs: [Double?] = [1, 2, 3, 4, 2, 3]
        let unit = try DescriptiveStatistics(xs, weights: [Double](repeating: 1, count: 6), weightKind: .probability)
        let huge = try DescriptiveStatistics(xs, weights: [Double](repeating: 1e200, count: 6), weightKind: .probability)
        close(huge.standardError, unit.standardError, 1e-13)
        close(huge.standardError, 0.42817441928883765, 1e-13)  // √(6/5 · Σ(x − 2.5)²) / 6
        close(huge.standardDeviation, unit.standardDeviation, 1e-13)
    }

    /// Likert summaries with weights whose total overflows: frequency weights (counts) are refused with the typed
    /// error; analytic and probability weights give the unit-weight result (every Likert statistic is invariant to
    /// the weights' scale), in both the one-variable and the grouped path.
    func testLikertWithWeightsWhoseSumOverflows() throws {
        let values: [Double] = [1, 2, 3, 2, 1, 3]
        let scale: [Double] = [1, 2, 3]
        let huge = [Double](repeating: 1e308, count: 6), ones = [Double](repeating: 1, count: 6)
        let variable = Variable(name: "q", values: .numeric(NumericColumn(values)))
        XCTAssertThrowsError(try LikertSummary(values: values, scale: scale, weights: huge, weightKind: .frequency)) {
            XCTAssertEqual($0 as? StatisticsError, .weightTotalNotRepresentable(what: "Likert summary"))
        }
        XCTAssertThrowsError(try LikertSummary.grouped(variable, by: nil, scale: scale, weights: huge, weightKind: .frequency)) {
            XCTAssertEqual($0 as? StatisticsError, .weightTotalNotRepresentable(what: "Likert summary"))
        }
        for kind in [WeightKind.analytic, .probability] {
            let reference = try LikertSummary(values: values, scale: scale, weights: ones, weightKind: kind)
            let direct = try LikertSummary(values: values, scale: scale, weights: huge, weightKind: kind)
            let grouped = try LikertSummary.grouped(variable, by: nil, scale: scale, weights: huge, weightKind: kind).all
            for s in [direct, grouped] {
                XCTAssertEqual(s.mean, 2, "\(kind)")
                for (p, q) in zip(s.percent, [100.0 / 3, 100.0 / 3, 100.0 / 3]) { close(p, q, 1e-14, "percent \(kind)") }
                close(s.standardDeviation, 0.8.squareRoot(), 1e-14, "SD \(kind)")   // n/(n−1) · Σ(x−2)²/n = 4/5
                close(s.standardError, reference.standardError, 1e-13, "SE \(kind)")
                XCTAssertEqual(s.median, 2)
                XCTAssertEqual(s.weightScale, 0x1p-1023, "the largest weight's power of two")
                // Σw per point is 2e308: beyond double's range, reported as such (not as the rescaled sum).
                XCTAssertEqual(s.counts, [.infinity, .infinity, .infinity])
            }
        }
    }

    /// Frequency weights of 1e200 (total 6e200, representable): rescaled internally, the SD uses the true total
    /// Σw − 1 = Σw (0.8165 = √(Σw(x−x̄)²/Σw) = √(2/3)) and the SE divides by √6e200.
    func testLikertFrequencyWeightsOfExtremeSize() throws {
        let s = try LikertSummary(values: [1, 2, 3, 2, 1, 3], scale: [1, 2, 3],
                                  weights: [Double](repeating: 1e200, count: 6), weightKind: .frequency)
        XCTAssertEqual(s.mean, 2)
        close(s.standardDeviation, (2.0 / 3).squareRoot(), 1e-14)
        close(s.standardError, (2.0 / 3).squareRoot() / 6e200.squareRoot(), 1e-13)
        close(s.validTotal, 6e200, 1e-15)
        for c in s.counts { close(c, 2e200, 1e-15, "Σw per point, not the rescaled sum") }
        // Ordinary weights are not rescaled (bit-for-bit the former sums).
        XCTAssertEqual(try LikertSummary(values: [1, 2], scale: [1, 2], weights: [1e10, 3], weightKind: .frequency).weightScale, 1)
    }

    /// A weighted cross-tab whose Σw is beyond double's range is refused (the cells may each be finite); one of
    /// 1e200 per row is a table like the unit-weight one times 1e200: χ² and G² scale with N, V and p do not.
    func testCrossTabWithWeightsWhoseSumOverflows() throws {
        let rows: [String?] = ["a", "b", "c", "b", "a", "c"], cols: [String?] = ["x", "x", "y", "y", "x", "y"]
        let overflow = StatisticsError.weightTotalNotRepresentable(what: "cross-tab")
        let rowVariable = Variable(name: "r", values: .text(rows)), columnVariable = Variable(name: "c", values: .text(cols))
        for weights in [[Double](repeating: 1e308, count: 6), [1e308, 1e308, 0, 0, 0, 0]] {
            XCTAssertThrowsError(try CrossTab(rows: rows, columns: cols, weights: weights)) { XCTAssertEqual($0 as? StatisticsError, overflow) }
            XCTAssertThrowsError(try CrossTab(rows: FactorCodes(rowVariable), columns: FactorCodes(columnVariable), weights: weights)) {
                XCTAssertEqual($0 as? StatisticsError, overflow)
            }
        }
        let unit = try CrossTab(rows: rows, columns: cols, weights: [Double](repeating: 1, count: 6))
        let huge = try CrossTab(rows: FactorCodes(rowVariable), columns: FactorCodes(columnVariable),
                                weights: [Double](repeating: 1e200, count: 6))
        close(huge.chiSquare, unit.chiSquare * 1e200, 1e-13)
        close(huge.chiSquare, 4e200, 1e-13)
        close(huge.gSquare, unit.gSquare * 1e200, 1e-13)
        close(huge.cramersV, unit.cramersV, 1e-13)
        close(huge.expected[0][0], 1e200, 1e-15)
        XCTAssertEqual(huge.total, 6e200)
    }

    func testWeightedLeastSquaresWithHugeWeights() throws {
        let xs: [Double] = [1, 2, 3, 4, 2, 3], ys: [Double] = [2, 3, 1, 5, 2, 3]
        let w: [Double] = [1e308, 1e308, 1e308, 2, 1, 1]
        let design = Matrix(rows: 6, columns: 2, columnMajor: [Double](repeating: 1, count: 6) + xs)
        let fit = try LinearModel(design: design, response: ys, termNames: ["(Intercept)", "x"], weights: w)
        // sm.WLS(y, sm.add_constant(x), weights=w/1e308).fit(): rsquared, fvalue
        close(fit.rSquared, 0.2500000000000002, 1e-12)
        let f = try XCTUnwrap(fit.fTest)
        close(f.statistic, 1.3333333333333348, 1e-12)
        let scaled = try LinearModel(design: design, response: ys, termNames: ["(Intercept)", "x"], weights: w.map { $0 / 1e308 })
        close(fit.coefficients[1].standardError, scaled.coefficients[1].standardError, 1e-12)
    }

    func testLikertUndefinedSDForFrequencyWeightBelowOne() throws {
        let l = try LikertSummary(values: [5], scale: [1, 2, 3, 4, 5], weights: [0.5], weightKind: .frequency)
        XCTAssertTrue(l.standardDeviation.isNaN, "SD \(l.standardDeviation)")
        XCTAssertTrue(l.standardError.isNaN, "SE \(l.standardError)")
    }

    // MARK: Regression on a response of extreme magnitude

    func testRegressionResponseScaleInvariance() throws {
        let design = Matrix(rows: 6, columns: 3, columnMajor: [Double](repeating: 1, count: 6) + x + z)
        let names = ["(Intercept)", "x", "z"]
        for precision in [LeastSquaresPrecision.automatic, .double, .extended] {
            for s in [1.0, 1e154, 1e160, 1e300, 1e-160, 1e-300] {
                let ys = y.map { $0 * s }
                let fit = try LinearModel(design: design, response: ys, termNames: names, precision: precision)
                XCTAssertTrue(fit.aliased.isEmpty, "aliased at \(s)")
                XCTAssertFalse(fit.isEssentiallyPerfectFit, "perfect fit at \(s)")
                // smf.ols('y~x+z', d).fit(): tvalues.x, rsquared, fvalue, params.x, bse.x
                close(fit.coefficients[1].t, 39.137629262654826, 1e-11, "t(x) at \(s) \(precision)")
                close(fit.rSquared, 0.9982103163899378, 1e-13, "R² at \(s) \(precision)")
                let f = try XCTUnwrap(fit.fTest)
                close(f.statistic, 836.6369710079174, 1e-11, "F at \(s) \(precision)")
                close(fit.coefficients[1].estimate, 2.08847947761194 * s, 1e-12, "b(x) at \(s)")
                close(fit.coefficients[1].standardError, 0.05336244215499195 * s, 1e-11, "se(x) at \(s)")
                // Weighted: smf.wls('y~x+z', d, weights=d.z).fit(): tvalues.x, rsquared, fvalue
                let wfit = try LinearModel(design: design, response: ys, termNames: names, weights: z, precision: precision)
                close(wfit.coefficients[1].t, 40.76154425004173, 1e-11, "WLS t(x) at \(s)")
                close(wfit.rSquared, 0.9982875580931696, 1e-13, "WLS R² at \(s)")
                let wf = try XCTUnwrap(wfit.fTest)
                close(wf.statistic, 874.4421233601968, 1e-11, "WLS F at \(s)")
                // smf.ols('y~x+z', d).fit(cov_type='HC3'): tvalues.x, fvalue
                let hc3 = try LinearModel(design: design, response: ys, termNames: names, robust: .hc3, precision: precision)
                close(hc3.coefficients[1].t, 21.68141149807786, 1e-11, "HC3 t(x) at \(s)")
                let hf = try XCTUnwrap(hc3.fTest)
                close(hf.statistic, 260.4195909243555, 1e-11, "HC3 F at \(s)")
                for type in [HeteroskedasticityConsistentType.hc0, .hc1, .hc2] {
                    let ref = try LinearModel(design: design, response: y, termNames: names, robust: type)
                    let r = try LinearModel(design: design, response: ys, termNames: names, robust: type, precision: precision)
                    close(r.coefficients[1].t, ref.coefficients[1].t, 1e-11, "\(type) t at \(s)")
                }
            }
        }
    }

    func testRobustFUndefinedForConstantResponse() throws {
        let design = Matrix(rows: 5, columns: 2, columnMajor: [Double](repeating: 1, count: 5) + [1, 2, 3, 4, 5])
        let fit = try LinearModel(design: design, response: [3, 3, 3, 3, 3], termNames: ["(Intercept)", "x"], robust: .hc3)
        XCTAssertTrue(try XCTUnwrap(fit.fTest).statistic.isNaN)
        XCTAssertTrue(try XCTUnwrap(fit.fTest).pValue.isNaN)
    }
}
