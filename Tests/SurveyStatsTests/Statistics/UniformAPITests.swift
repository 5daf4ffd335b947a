import Foundation
import Matrix
import XCTest
@testable import SurveyStats

/// Shape of the uniform API beyond the reference values: every test type states its df and effect size, bad
/// input throws instead of trapping, and the new summaries/JSON forms carry their keys.
final class UniformAPITests: XCTestCase {
    func testEveryTestTypeStatesItsDegreesOfFreedomAndEffectSize() throws {
        let g1 = SampleSummary(n: 104, mean: 3.86, sd: 0.9), g2 = SampleSummary(n: 150, mean: 3.52, sd: 1.1)
        let fit = try LinearModel(design: Matrix(columns: [[1, 1, 1, 1, 1, 1], [1, 2, 3, 4, 5, 6]]),
                                  response: [1.1, 1.9, 3.2, 3.9, 5.3, 5.8], termNames: ["(Intercept)", "x"])
        // (test, number of df, effect-size name or nil)
        let cases: [(any HypothesisTest, Int, String?)] = [
            (try OneSampleTTest(g1, mu0: 3.5), 1, "Cohen's d"),
            (try EqualVarianceTTest(g1, g2), 1, "Cohen's d"),
            (try UnequalVarianceTTest(g1, g2), 1, "Cohen's d"),
            (try PairedTTest([1, 2, 3, 5], [1, 1, 2, 2]), 1, "Cohen's d"),
            (try OneWayANOVA(summaries: [g1, g2]), 2, "η²"),
            (try WelchANOVA(summaries: [g1, g2]), 2, "ω²"),
            (try ProportionZTest(percent: 74, n: 104, p0Percent: 56), 0, "Cohen's h"),
            (try TwoSampleProportionZTest(percent1: 74, n1: 104, percent2: 56, n2: 150), 0, "Cohen's h"),
            (try CrossTab(counts: [[3, 1], [2, 6]]), 1, "Cramér's V"),
            (try CrossTab(counts: [[3, 1], [2, 6]]).likelihoodRatioTest, 1, nil),
            (try FisherExactTest(a: 3, b: 1, c: 2, d: 6), 0, "odds ratio"),
            (try FTestSummary(f: 21, df1: 8, df2: 180), 2, "partial η²"),
            (try TTestSummary(t: 2.1, df: 40), 1, "r"),
            (ZTestSummary(z: 1.7), 0, nil),
            (try ChiSquaredTestSummary(chiSquare: 5.2, df: 2), 1, nil),
            (try CorrelationTestSummary(r: 0.3, n: 50), 1, "r"),
            (try XCTUnwrap(fit.fTest), 2, "partial η²"),
        ]
        for (test, dfCount, name) in cases {
            XCTAssertEqual(test.degreesOfFreedom.count, dfCount, test.testName)
            XCTAssertEqual(test.effectSize?.name, name, test.testName)
            if let es = test.effectSize { XCTAssertTrue(es.value.isFinite, "\(test.testName): \(es)") }
            XCTAssertFalse(test.description.contains("Optional("), test.description)
        }
        // The model's overall F with an intercept: F·df₁/(F·df₁ + df₂) is the model's R².
        let f = try XCTUnwrap(fit.fTest)
        XCTAssertEqual(f.rSquared, fit.rSquared, accuracy: 1e-13)
        XCTAssertEqual(f.summary?.pValue, f.pValue)
    }

    func testAnovaFromZeroGroupsThrowsTooFewGroups() {
        func assertTooFewGroups(_ body: () throws -> Any, _ what: String) {
            XCTAssertThrowsError(try body(), what) { error in
                guard case StatisticsError.tooFewGroups(_, 2, 0)? = error as? StatisticsError else {
                    return XCTFail("\(what): \(error)")
                }
            }
        }
        assertTooFewGroups({ try OneWayANOVA(summaries: []) }, "ANOVA summaries")
        assertTooFewGroups({ try OneWayANOVA(groups: []) }, "ANOVA groups")
        assertTooFewGroups({ try WelchANOVA(summaries: []) }, "Welch summaries")
        assertTooFewGroups({ try WelchANOVA(groups: []) }, "Welch groups")
    }

    func testPairedCohensDzIsMeanOverSDOfDifferences() throws {
        // Differences 1e8 + {0.1, 0.3, 0.2, 0.6}: d_z = (d̄ − δ₀)/s_d, and t = d_z·√n.
        let x = [100000000.5, 100000000.7, 100000000.4, 100000001.0], y = [0.4, 0.4, 0.2, 0.4]
        let t = try PairedTTest(x, y, difference: 100000000)
        let d = zip(x, y).map { $0 - $1 - 100000000 }
        let mean = d.reduce(0, +) / 4
        let sd = (d.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 3).squareRoot()
        XCTAssertEqual(t.cohensD, mean / sd, accuracy: 1e-7)
        XCTAssertEqual(t.statistic, t.cohensD * 2, accuracy: 1e-12 * abs(t.statistic))
    }

    func testFisherRejectsTablesBeyondMaximumTotalWithoutTrapping() {
        for table in [[[Int.max, 1], [1, 1]], [[1 << 39, 1 << 39], [1 << 39, 1]], [[Int.max / 2, Int.max / 2], [Int.max / 2, Int.max / 2]]] {
            XCTAssertThrowsError(try FisherExactTest(table)) { error in
                XCTAssertTrue("\(error)".contains("2^40"), "\(error)")
            }
        }
        XCTAssertNoThrow(try FisherExactTest([[1 << 38, 1 << 38], [1 << 38, (1 << 38) - 1]]))
    }

    /// A table of ~1e12 counts at the size limit: the p-values agree with the (here very accurate) normal
    /// approximation, and the walk over its bulk (SD 2^18 counts) takes about a second in a debug build.
    func testFisherOnATableAtTheSizeLimit() throws {
        let ref = try StatFixtures.json("uniform_api.json")["fisher_limit"] as! [String: Any]
        let fe = try FisherExactTest(try XCTUnwrap(ref["table"] as? [[Int]]))      // total 2^40 − 200 000
        let start = Date()
        let both = fe.pValue(tail: .both), right = fe.pValue(tail: .right), left = fe.pValue(tail: .left)
        let elapsed = Date().timeIntervalSince(start)
        print(String(format: "Fisher at 2^40: p = %.6g (right %.6g, left %.6g) in %.2f s", both, right, left, elapsed))
        for p in [both, right, left] { XCTAssertTrue(p >= 0 && p <= 1, "\(p)") }
        // a exceeds its expectation by about 200 000/4 = 50 000, 0.19 SD (SD ≈ √(N/16) = 2^18): two-sided p ≈ 0.85,
        // and the one-sided tails are complementary up to the point mass P(X = a) ≈ 1.5e-6.
        XCTAssertEqual(right + left, 1, accuracy: 1e-5)
        // Against the continuity-corrected normal approximation, accurate to ~1e-8 here (see the script); the
        // symmetric distribution makes the two-sided p twice the upper tail.
        let tolerance = num(ref["tolerance"])
        XCTAssertEqual(right, num(ref["p_greater"]), accuracy: tolerance)
        XCTAssertEqual(left, num(ref["p_less"]), accuracy: tolerance)
        XCTAssertEqual(both, num(ref["p"]), accuracy: 2 * tolerance)
        // With ~1e12 counts the conditional MLE of the odds ratio is the sample odds ratio to O(1/count).
        let mleStart = Date()
        XCTAssertEqual(fe.conditionalOddsRatio, fe.oddsRatio, accuracy: 1e-9 * fe.oddsRatio)
        print(String(format: "conditional MLE odds ratio at 2^40 in %.2f s", Date().timeIntervalSince(mleStart)))
    }

    func testOverallFTestFromSummariesAndConfidenceIntervals() throws {
        let f = try OverallFTest(f: 4.1, df1: 2, df2: 30)
        XCTAssertEqual(f.f, 4.1)
        XCTAssertEqual(f.degreesOfFreedom, [2, 30])
        XCTAssertEqual(f.pValue, fDistributionPValue(4.1, df1: 2, df2: 30))
        XCTAssertTrue(f.description.contains("F(2, 30) = 4.1"), f.description)
        XCTAssertThrowsError(try OverallFTest(f: -1, df1: 2, df2: 30))
        XCTAssertThrowsError(try OverallFTest(f: .nan, df1: 2, df2: 30))
        XCTAssertThrowsError(try OverallFTest(f: 1, df1: 0, df2: 30))
        let j = f.jsonValue
        for key in ["f", "df1", "df2", "p", "r_squared"] { XCTAssertNotNil(j[key], key) }

        let fit = try LinearModel(design: Matrix(columns: [[1, 1, 1, 1, 1], [1, 2, 3, 4, 5]]),
                                  response: [1.2, 1.8, 3.1, 4.2, 4.8], termNames: ["(Intercept)", "x"])
        let cis: [ConfidenceInterval] = fit.confidenceIntervals(level: 0.9)
        XCTAssertEqual(cis.count, 2)
        XCTAssertEqual(cis[1].level, 0.9)
        let q = StudentTDistribution(df: 3).inverseSF(0.05)
        XCTAssertEqual(cis[1].upper, fit.coefficients[1].estimate + q * fit.coefficients[1].standardError, accuracy: 1e-13)
    }

    func testJSONOfFisherSummariesAndLikelihoodRatioTest() throws {
        let fe = try FisherExactTest(a: 3, b: 1, c: 2, d: 6).jsonValue
        for key in ["counts", "p", "p_greater", "p_less", "odds_ratio", "conditional_odds_ratio"] { XCTAssertNotNil(fe[key], key) }
        XCTAssertEqual(fe["counts"], .array([.array([.integer(3), .integer(1)]), .array([.integer(2), .integer(6)])]))
        let g = try CrossTab(counts: [[3, 1], [2, 6]]).likelihoodRatioTest.jsonValue
        for key in ["g2", "df", "p"] { XCTAssertNotNil(g[key], key) }
        for (json, keys) in [(try FTestSummary(f: 21, df1: 8, df2: 180).jsonValue, ["f", "df1", "df2", "p", "r_squared"]),
                             (try TTestSummary(t: 2, df: 10).jsonValue, ["t", "df", "p", "p_greater", "p_less", "r"]),
                             (ZTestSummary(z: 2).jsonValue, ["z", "p", "p_greater", "p_less"]),
                             (try ChiSquaredTestSummary(chiSquare: 3, df: 2).jsonValue, ["chi2", "df", "p"]),
                             (try CorrelationTestSummary(r: 0.2, n: 30).jsonValue, ["r", "n", "t", "df", "p"]),
                             (try WelchANOVA(groups: [[1, 2, 4], [3, 5, 9]]).jsonValue, ["f", "df1", "df2", "p", "n", "omega_squared"])] {
            for key in keys { XCTAssertNotNil(json[key], key) }
        }
    }
}
