import XCTest
@testable import SurveyStats

/// The uniform test API (degrees of freedom, effect sizes, every tail of F and χ², Welch ω², Fisher's exact test
/// on large and extreme tables) against Fixtures/uniform_api.json, written by
/// scripts/reference/uniform_api_reference.py (scipy / statsmodels / exact mpmath; each case names its call).
final class UniformAPIReferenceTests: XCTestCase {
    private var fixture: [String: Any] { get throws { try StatFixtures.json("uniform_api.json") } }

    func testTTestsDegreesOfFreedomEffectSizeAndTails() throws {
        AgreementLog.report("(previous)"); defer { AgreementLog.report("uniform t-tests") }
        for c in dicts(try fixture["t_tests"]) {
            let kind = c["kind"] as! String
            let test: any TTest
            switch kind {
            case "student", "welch":
                let v = nums(c["summary"])
                test = kind == "student"
                    ? try EqualVarianceTTest(mean1: v[0], sd1: v[1], n1: Int(v[2]), mean2: v[3], sd2: v[4], n2: Int(v[5]))
                    : try UnequalVarianceTTest(mean1: v[0], sd1: v[1], n1: Int(v[2]), mean2: v[3], sd2: v[4], n2: Int(v[5]))
            case "paired": test = try PairedTTest(nums(c["x"]), nums(c["y"]))
            default: test = try OneSampleTTest(nums(c["x"]), mu0: num(c["mu0"]))
            }
            XCTAssertEqual(test.degreesOfFreedom.count, 1, kind)
            assertDigits(test.degreesOfFreedom[0], num(c["df"]), 13, "\(kind) df")
            assertDigits(test.statistic, num(c["t"]), 12, "\(kind) t")
            let es = try XCTUnwrap(test.effectSize, kind)
            XCTAssertEqual(es.name, "Cohen's d")
            assertDigits(es.value, num(c["cohens_d"]), 12, "\(kind) Cohen's d")
            assertDigits(test.pValue(tail: .both), num(c["p_both"]), referenceDigits, "\(kind) p both")
            assertDigits(test.pValue(tail: .right), num(c["p_right"]), referenceDigits, "\(kind) p right")
            assertDigits(test.pValue(tail: .left), num(c["p_left"]), referenceDigits, "\(kind) p left")
        }
    }

    func testFAndChiSquaredLowerAndUpperTails() throws {
        AgreementLog.report("(previous)"); defer { AgreementLog.report("uniform F/chi2 tails") }
        for c in dicts(try fixture["f_tails"]) {
            let f = num(c["f"]), d1 = num(c["df1"]), d2 = num(c["df2"]), what = "F(\(d1), \(d2)) = \(f)"
            assertDigits(fDistributionPValue(f, df1: d1, df2: d2, tail: .left), num(c["lower"]), referenceDigits, "\(what) lower")
            assertDigits(fDistributionPValue(f, df1: d1, df2: d2, tail: .right), num(c["upper"]), referenceDigits, "\(what) upper")
            // The default and `.both` are the upper tail, so existing callers keep their p-values.
            XCTAssertEqual(fDistributionPValue(f, df1: d1, df2: d2), fDistributionPValue(f, df1: d1, df2: d2, tail: .right))
            let summary = try FTestSummary(f: f, df1: d1, df2: d2)
            XCTAssertEqual(summary.degreesOfFreedom, [d1, d2])
            assertDigits(summary.pValue(tail: .left), num(c["lower"]), referenceDigits, "\(what) summary lower")
            assertDigits(summary.pValue(tail: .both), num(c["upper"]), referenceDigits, "\(what) summary both")
            if d1 == d1.rounded(), d2 == d2.rounded() {
                let overall = try OverallFTest(f: f, df1: Int(d1), df2: Int(d2))
                assertDigits(overall.pValue(tail: .left), num(c["lower"]), referenceDigits, "\(what) overall lower")
                assertDigits(overall.pValue, num(c["upper"]), referenceDigits, "\(what) overall upper")
            }
        }
        for c in dicts(try fixture["chi2_tails"]) {
            let x = num(c["x"]), df = num(c["df"]), what = "χ²(\(df)) = \(x)"
            assertDigits(chiSquaredPValue(x, df: df, tail: .left), num(c["lower"]), referenceDigits, "\(what) lower")
            assertDigits(chiSquaredPValue(x, df: df, tail: .right), num(c["upper"]), referenceDigits, "\(what) upper")
            XCTAssertEqual(chiSquaredPValue(x, df: df), chiSquaredPValue(x, df: df, tail: .both))
            let summary = try ChiSquaredTestSummary(chiSquare: x, df: df)
            XCTAssertEqual(summary.degreesOfFreedom, [df])
            XCTAssertNil(summary.effectSize)
            assertDigits(summary.pValue(tail: .left), num(c["lower"]), referenceDigits, "\(what) summary lower")
        }
    }

    func testANOVAAndWelchANOVAEffectSizesAndTails() throws {
        AgreementLog.report("(previous)"); defer { AgreementLog.report("uniform ANOVA / Welch") }
        for (i, c) in dicts(try fixture["anova"]).enumerated() {
            let groups = (c["groups"] as! [Any]).map(nums)
            let a = try OneWayANOVA(groups: groups)
            XCTAssertEqual(a.degreesOfFreedom, [num(c["df1"]), num(c["df2"])])
            assertDigits(a.statistic, num(c["f"]), 12, "ANOVA \(i) F")
            assertDigits(a.pValue(tail: .both), num(c["p"]), referenceDigits, "ANOVA \(i) p")
            assertDigits(a.pValue(tail: .left), num(c["p_lower"]), referenceDigits, "ANOVA \(i) lower p")
            XCTAssertEqual(a.effectSize?.name, "η²")
            assertDigits(try XCTUnwrap(a.effectSize).value, num(c["eta_squared"]), 12, "ANOVA \(i) η²")

            let w = try WelchANOVA(groups: groups)
            XCTAssertEqual(w.n, num(c["n"]))
            assertDigits(w.degreesOfFreedom[1], num(c["welch_df2"]), 12, "Welch \(i) df2")
            assertDigits(w.statistic, num(c["welch_f"]), 12, "Welch \(i) F")
            assertDigits(w.pValue, num(c["welch_p"]), referenceDigits, "Welch \(i) p")
            assertDigits(w.pValue(tail: .left), num(c["welch_p_lower"]), referenceDigits, "Welch \(i) lower p")
            assertDigits(w.omegaSquared, num(c["welch_omega_squared"]), 12, "Welch \(i) ω²")
            XCTAssertEqual(w.effectSize, EffectSize(name: "ω²", value: w.omegaSquared))
        }
    }

    func testCrossTabTailsLikelihoodRatioTestAndCramersV() throws {
        AgreementLog.report("(previous)"); defer { AgreementLog.report("uniform cross-tab") }
        for (i, c) in dicts(try fixture["crosstabs"]).enumerated() {
            let x = try CrossTab(counts: (c["counts"] as! [Any]).map(nums))
            XCTAssertEqual(x.degreesOfFreedom, [num(c["df"])])
            assertDigits(x.pValue(tail: .right), num(c["p"]), referenceDigits, "table \(i) χ² p")
            assertDigits(x.pValue(tail: .left), num(c["p_lower"]), referenceDigits, "table \(i) χ² lower p")
            XCTAssertEqual(x.effectSize?.name, "Cramér's V")
            assertDigits(try XCTUnwrap(x.effectSize).value, num(c["cramers_v"]), 12, "table \(i) V")
            let g = x.likelihoodRatioTest
            assertDigits(g.statistic, num(c["g2"]), 12, "table \(i) G²")
            XCTAssertEqual(g.degreesOfFreedom, [num(c["df"])])
            assertDigits(g.pValue, num(c["g2_p"]), referenceDigits, "table \(i) G² p")
            assertDigits(g.pValue(tail: .left), num(c["g2_p_lower"]), referenceDigits, "table \(i) G² lower p")
            // The same test from the published numbers.
            let published = try LikelihoodRatioTest(gSquare: num(c["g2"]), df: num(c["df"]))
            assertDigits(published.pValue, num(c["g2_p"]), referenceDigits, "table \(i) published G² p")
        }
    }

    func testTwoSampleProportionEffectSizeAndClippedWaldInterval() throws {
        AgreementLog.report("(previous)"); defer { AgreementLog.report("uniform proportions") }
        for c in dicts(try fixture["two_sample_proportions"]) {
            let t = try TwoSampleProportionZTest(successes1: num(c["x1"]), n1: num(c["n1"]), successes2: num(c["x2"]), n2: num(c["n2"]))
            XCTAssertEqual(t.degreesOfFreedom, [])
            assertDigits(t.statistic, num(c["z"]), 12, "z")
            assertDigits(t.pValue, num(c["p"]), referenceDigits, "p")
            XCTAssertEqual(t.effectSize?.name, "Cohen's h")
            assertDigits(try XCTUnwrap(t.effectSize).value, num(c["cohens_h"]), 13, "Cohen's h")
            let ci = t.confidenceInterval(level: 0.95), ref = nums(c["ci"])
            assertDigits(ci.lower, ref[0], 13, "CI lower")
            assertDigits(ci.upper, ref[1], 13, "CI upper")
            XCTAssertGreaterThanOrEqual(ci.lower, -1); XCTAssertLessThanOrEqual(ci.upper, 1)
        }
    }

    func testFTestSummaryEffectSize() throws {
        for c in dicts(try fixture["f_summaries"]) {
            let t = try FTestSummary(f: num(c["f"]), df1: num(c["df1"]), df2: num(c["df2"]))
            XCTAssertEqual(t.effectSize?.name, "partial η²")
            assertDigits(try XCTUnwrap(t.effectSize).value, num(c["r_squared"]), 14, "implied R²")
            assertDigits(t.pValue(tail: .left), num(c["lower"]), referenceDigits, "lower")
        }
    }

    /// Fisher's exact test against exact 60-digit mpmath sums (R's two-sided rule): small tables, tables with
    /// tens and hundreds of thousands of counts, and p-values near 1e-300 that must not round to 0.
    func testFisherExactAgainstExactSums() throws {
        AgreementLog.report("(previous)"); defer { AgreementLog.report("uniform Fisher (exact mpmath)") }
        for c in dicts(try fixture["fisher"]) {
            let table = try XCTUnwrap(c["table"] as? [[Int]])
            let fe = try FisherExactTest(table)
            let what = "\(table)"
            XCTAssertEqual(fe.degreesOfFreedom, [])
            assertDigits(fe.pValue(tail: .both), num(c["p"]), 12, "\(what) p")
            assertDigits(fe.pValue(tail: .right), num(c["p_greater"]), 12, "\(what) p greater")
            assertDigits(fe.pValue(tail: .left), num(c["p_less"]), 12, "\(what) p less")
            // scipy agrees to its own accuracy (it loses digits on the 600 000-count table: 2e-11 relative).
            assertDigits(fe.pValue(tail: .both), num(c["scipy_p"]), 10, "\(what) p vs scipy")
            assertDigits(fe.oddsRatio, num(c["odds_ratio"]), 14, "\(what) sample odds ratio")
            XCTAssertEqual(fe.effectSize?.name, "odds ratio")
            if let log10p = c["log10_p"] as? String, log10p != "-inf" {
                assertDigits(fe.logPValue(tail: .both) / M_LN10, Double(log10p)!, 12, "\(what) log10 p")
            }
            if c["conditional_odds_ratio"] != nil {
                // scipy solves with brentq to xtol 2e-12 (absolute), so compare to 1e-9 relative.
                assertDigits(fe.conditionalOddsRatio, num(c["conditional_odds_ratio"]), 9, "\(what) conditional MLE odds ratio")
            }
        }
        // [[10000, 20000], [30000, 15000]]: p ≈ 10^-2000 underflows to 0, as it should; its log stays finite.
        let big = try FisherExactTest([[10000, 20000], [30000, 15000]])
        XCTAssertEqual(big.pValue, 0)
        XCTAssertTrue(big.logPValue(tail: .both).isFinite && big.logPValue(tail: .both) < -4000)
        // ~1e-300 stays representable and non-zero.
        XCTAssertGreaterThan(try FisherExactTest([[0, 500], [500, 0]]).pValue, 0)
    }
}
