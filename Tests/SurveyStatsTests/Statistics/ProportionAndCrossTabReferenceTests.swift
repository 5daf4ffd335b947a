import XCTest
@testable import SurveyStats

/// Proportion z-tests against statsmodels (proportions_ztest, proportion_confint, confint_proportions_2indep) and
/// cross-tabs against scipy (chi2_contingency, contingency.association, fisher_exact).
final class ProportionAndCrossTabReferenceTests: XCTestCase {
    func testOneSampleProportion() throws {
        AgreementLog.report("(previous)"); defer { AgreementLog.report("one-sample proportion") }
        let doc = try StatFixtures.json("tests/proportions.json")
        let cases = dicts(doc["one_sample"])
        XCTAssertEqual(cases.count, 5)
        for c in cases {
            let x = num(c["count"]), n = num(c["n"]), p0 = num(c["p0"])
            let what = "\(x)/\(n) vs \(p0)"
            let score = try ProportionZTest(successes: x, n: n, p0: p0)
            let wald = try ProportionZTest(successes: x, n: n, p0: p0, variance: .sample)
            assertDigits(score.z, num(c["z_null"]), referenceDigits, "\(what) z (null var)")
            assertDigits(score.pValue, num(c["p_null"]), referenceDigits, "\(what) p (null var)")
            assertDigits(score.pValue(tail: .right), num(c["p_null_right"]), referenceDigits, "\(what) p right")
            assertDigits(wald.z, num(c["z_sample"]), referenceDigits, "\(what) z (sample var)")
            assertDigits(wald.pValue, num(c["p_sample"]), referenceDigits, "\(what) p (sample var)")
            let w = score.confidenceInterval(level: 0.95, method: .wilson), rw = nums(c["ci_wilson"])
            assertDigits(w.lower, rw[0], referenceDigits, "\(what) Wilson low"); assertDigits(w.upper, rw[1], referenceDigits, "\(what) Wilson high")
            let nrm = score.confidenceInterval(level: 0.95, method: .wald), rn = nums(c["ci_wald"])
            assertDigits(nrm.lower, rn[0], referenceDigits, "\(what) Wald low"); assertDigits(nrm.upper, rn[1], referenceDigits, "\(what) Wald high")
            // One-sided: all of α in the tested tail, the open end at 1 (greater) or 0 (less).
            let greater = score.confidenceInterval(level: 0.95, tail: .right), rg = nums(c["ci_wilson_greater"])
            assertDigits(greater.lower, rg[0], referenceDigits, "\(what) Wilson greater low"); XCTAssertEqual(greater.upper, 1)
            let less = score.confidenceInterval(level: 0.95, tail: .left), rl = nums(c["ci_wilson_less"])
            XCTAssertEqual(less.lower, 0); assertDigits(less.upper, rl[1], referenceDigits, "\(what) Wilson less high")
            // Percent form gives the same test.
            let pct = try ProportionZTest(percent: 100 * x / n, n: n, p0Percent: 100 * p0)
            assertDigits(pct.z, score.z, 13, "\(what) percent form")
        }
    }

    func testTwoSampleProportion() throws {
        AgreementLog.report("(previous)"); defer { AgreementLog.report("two-sample proportion") }
        let cases = dicts(try StatFixtures.json("tests/proportions.json")["two_sample"])
        XCTAssertEqual(cases.count, 5)
        for c in cases {
            let x1 = num(c["count1"]), n1 = num(c["n1"]), x2 = num(c["count2"]), n2 = num(c["n2"])
            let what = "\(x1)/\(n1) vs \(x2)/\(n2)"
            let t = try TwoSampleProportionZTest(successes1: x1, n1: n1, successes2: x2, n2: n2)
            assertDigits(t.z, num(c["z"]), referenceDigits, "\(what) z")
            assertDigits(t.pValue, num(c["p"]), referenceDigits, "\(what) p")
            assertDigits(t.pValue(tail: .right), num(c["p_right"]), referenceDigits, "\(what) p right")
            let ci = t.confidenceInterval(level: 0.95), r = nums(c["ci_wald"])
            assertDigits(ci.lower, r[0], referenceDigits, "\(what) CI low"); assertDigits(ci.upper, r[1], referenceDigits, "\(what) CI high")
            let greater = t.confidenceInterval(level: 0.95, tail: .right), rg = nums(c["ci_wald_greater"])
            assertDigits(greater.lower, rg[0], referenceDigits, "\(what) CI greater low"); XCTAssertEqual(greater.upper, 1)
            let less = t.confidenceInterval(level: 0.95, tail: .left), rl = nums(c["ci_wald_less"])
            XCTAssertEqual(less.lower, -1); assertDigits(less.upper, rl[1], referenceDigits, "\(what) CI less high")
        }
        // The report's summary form: 74 % of 104 (2019) vs 56 % of 150 (2011).
        let pct = try TwoSampleProportionZTest(percent1: 74, n1: 104, percent2: 56, n2: 150)
        let ref = cases[1]
        assertDigits(pct.z, num(ref["z"]), 13, "percent form z")
        XCTAssertThrowsError(try TwoSampleProportionZTest(percent1: 120, n1: 10, percent2: 50, n2: 10))
        XCTAssertThrowsError(try ProportionZTest(successes: 3, n: 0, p0: 0.5))
        XCTAssertThrowsError(try ProportionZTest(successes: 3, n: 10, p0: 1))
    }

    /// Wilson at x = 0 and x = n: the closed end is 0 or 1 exactly (not center − h's 1.4e-17 residue), the other
    /// end as the 40-digit reference.
    func testWilsonBoundsAtTheEdges() throws {
        let cases = dicts(try StatFixtures.json("tests/proportions.json")["wilson_edges"])
        XCTAssertEqual(cases.count, 5)
        for c in cases {
            let x = num(c["count"]), n = num(c["n"]), r = nums(c["ci_wilson"])
            let ci = try ProportionZTest(successes: x, n: n, p0: 0.5).confidenceInterval(level: 0.95)
            if x == 0 {
                XCTAssertEqual(ci.lower, 0, "\(x)/\(n)"); assertDigits(ci.upper, r[1], referenceDigits, "\(x)/\(n) upper")
            } else {
                XCTAssertEqual(ci.upper, 1, "\(x)/\(n)"); assertDigits(ci.lower, r[0], referenceDigits, "\(x)/\(n) lower")
            }
        }
    }

    func testCrossTabs() throws {
        AgreementLog.report("(previous)"); defer { AgreementLog.report("cross-tab chi2/G2/V/Fisher") }
        let cases = dicts(try StatFixtures.json("tests/crosstab.json")["cases"])
        XCTAssertEqual(cases.count, 7)
        for c in cases {
            let name = c["name"] as! String
            let counts = (c["counts"] as! [Any]).map(nums)
            let t = try CrossTab(counts: counts)
            assertDigits(t.chiSquare, num(c["chi2"]), referenceDigits, "\(name) χ²")
            assertDigits(t.pValue, num(c["p"]), referenceDigits, "\(name) p")
            XCTAssertEqual(t.df, num(c["df"]), name)
            guard name != "empty_row" else {
                XCTAssertTrue(t.notes.contains { $0.contains("empty row") })
                continue
            }
            assertDigits(t.gSquare, num(c["g2"]), referenceDigits, "\(name) G²")
            assertDigits(t.gSquarePValue, num(c["g2_p"]), referenceDigits, "\(name) G² p")
            assertDigits(t.cramersV, num(c["cramers_v"]), referenceDigits, "\(name) Cramér's V")
            XCTAssertEqual(t.cellsWithExpectedBelow5, c["expected_below_5"] as? Int, name)
            XCTAssertEqual(t.expectedCountWarning != nil, (c["expected_below_5"] as! Int) > 0)
            for (row, ref) in zip(t.expected, (c["expected"] as! [Any]).map(nums)) {
                for (e, r) in zip(row, ref) { assertDigits(e, r, 13, "\(name) expected") }
            }
            if let y = c["yates_chi2"] { assertDigits(t.yatesChiSquare ?? .nan, num(y), referenceDigits, "\(name) Yates") }
            if let f = c["fisher"] as? [String: Any] {
                let fe = try FisherExactTest(counts.map { $0.map { Int($0) } })
                assertDigits(fe.oddsRatio, num(f["odds_ratio"]), 14, "\(name) odds ratio")
                assertDigits(fe.pValue, num(f["p"]), referenceDigits, "\(name) Fisher p")
                assertDigits(fe.pValue(tail: .right), num(f["p_greater"]), referenceDigits, "\(name) Fisher p greater")
                assertDigits(fe.pValue(tail: .left), num(f["p_less"]), referenceDigits, "\(name) Fisher p less")
            }
        }
    }

    func testCrossTabFromLabelsPercentsAndWeights() throws {
        let rows: [String?] = ["a", "a", "b", "b", "b", nil, "a"]
        let cols: [String?] = ["x", "y", "x", "x", "y", "x", nil]
        let t = try CrossTab(rows: rows, columns: cols, columnOrder: ["y", "x"])
        XCTAssertEqual(t.missing, 2)
        XCTAssertEqual(t.columnLabels, ["y", "x"])
        XCTAssertEqual(t.counts, [[1, 1], [1, 2]])
        XCTAssertEqual(t.rowPercents[1][1], 200.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(t.columnPercents[0][0], 50)
        XCTAssertEqual(t.totalPercents[1][1], 40)
        let w = try CrossTab(rows: ["a", "a", "b"], columns: ["x", "y", "x"], weights: [0.5, 1.5, 2])
        XCTAssertEqual(w.counts, [[0.5, 1.5], [2, 0]])
        XCTAssertEqual(w.total, 4)
        XCTAssertThrowsError(try CrossTab(counts: [[1, -1]]))
        XCTAssertThrowsError(try CrossTab(counts: [[1, 2], [3]]))
        XCTAssertTrue(t.description.contains("Pearson χ²"))
    }
}
