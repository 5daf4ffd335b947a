import XCTest
@testable import SurveyStats

/// t-tests against scipy.stats (ttest_1samp, ttest_ind equal_var True/False, ttest_rel, ttest_ind_from_stats) and
/// against exact references (Fraction moments of the same doubles + mpmath p-values, the "exact" blocks);
/// fixture Fixtures/tests/ttests.json from scripts/reference/tests_reference.py. ≥ 10 digits everywhere.
/// case6 (values ≈ 1000000.00x) is ill-conditioned: scipy itself loses ~8 digits there (its means cancel), so
/// that case is checked against the exact reference only.
final class TTestReferenceTests: XCTestCase {
    var cases: [[String: Any]] = []
    override func setUpWithError() throws { cases = dicts(try StatFixtures.json("tests/ttests.json")["cases"]) }

    func testOneSample() throws {
        AgreementLog.report("(previous)"); defer { AgreementLog.report("one-sample t") }
        XCTAssertEqual(cases.count, 6)
        for c in cases {
            let name = c["name"] as! String, ref = dict(c["one_sample"])
            let t = try OneSampleTTest(nums(c["x"]), mu0: num(c["mu0"]))
            checkExact(t, dict(ref["exact"]), "\(name) one-sample")
            assertDigits(t.statistic, num(ref["t"]), referenceDigits, "\(name) one-sample t")
            assertDigits(t.df, num(ref["df"]), 15, "\(name) df")
            assertDigits(t.pValue(tail: .both), num(ref["p"]), referenceDigits, "\(name) one-sample p")
            assertDigits(t.pValue(tail: .right), num(ref["p_right"]), referenceDigits, "\(name) one-sample p right")
            let ci = t.confidenceInterval(level: 0.95), rci = nums(ref["ci"])
            assertDigits(ci.lower, rci[0], referenceDigits, "\(name) CI low")
            assertDigits(ci.upper, rci[1], referenceDigits, "\(name) CI high")
            assertDigits(t.cohensD, num(ref["cohens_d"]), referenceDigits, "\(name) d")
            assertDigits(t.hedgesG, num(ref["hedges_g"]), referenceDigits, "\(name) g")
        }
    }

    func testTwoSampleStudentAndWelch() throws {
        AgreementLog.report("(previous)"); defer { AgreementLog.report("Student+Welch t") }
        for c in cases {
            let name = c["name"] as! String
            let x = nums(c["x"]), y = nums(c["y"]), sm = dict(c["summary"])
            let student = try EqualVarianceTTest(x, y)
            let welch = try UnequalVarianceTTest(x, y)
            for (test, key) in [(student as any TTest, "student"), (welch as any TTest, "welch")] {
                let ref = dict(c[key])
                checkExact(test, dict(ref["exact"]), "\(name) \(key)")
                guard name != "case6" else { continue }
                assertDigits(test.statistic, num(ref["t"]), referenceDigits, "\(name) \(key) t")
                assertDigits(test.df, num(ref["df"]), referenceDigits, "\(name) \(key) df")
                assertDigits(test.pValue(tail: .both), num(ref["p"]), referenceDigits, "\(name) \(key) p")
                assertDigits(test.pValue(tail: .left), num(ref["p_left"]), referenceDigits, "\(name) \(key) p left")
                let ci = test.confidenceInterval(level: 0.95), rci = nums(ref["ci"])
                assertDigits(ci.lower, rci[0], referenceDigits, "\(name) \(key) CI low")
                assertDigits(ci.upper, rci[1], referenceDigits, "\(name) \(key) CI high")
                assertDigits(test.cohensD, num(ref["cohens_d"]), referenceDigits, "\(name) \(key) d")
                assertDigits(test.hedgesG, num(ref["hedges_g"]), referenceDigits, "\(name) \(key) g")
            }
            // Summary form, as published tables give it (ttest_ind_from_stats).
            let n1 = sm["n1"] as! Int, n2 = sm["n2"] as! Int
            let fs = try EqualVarianceTTest(mean1: num(sm["mean1"]), sd1: num(sm["sd1"]), n1: n1,
                                            mean2: num(sm["mean2"]), sd2: num(sm["sd2"]), n2: n2)
            let fw = try UnequalVarianceTTest(mean1: num(sm["mean1"]), sd1: num(sm["sd1"]), n1: n1,
                                              mean2: num(sm["mean2"]), sd2: num(sm["sd2"]), n2: n2)
            guard name != "case6" else { continue }
            assertDigits(fs.statistic, num(dict(c["student"])["from_stats_t"]), referenceDigits, "\(name) from stats t")
            assertDigits(fs.pValue, num(dict(c["student"])["from_stats_p"]), referenceDigits, "\(name) from stats p")
            assertDigits(fw.statistic, num(dict(c["welch"])["from_stats_t"]), referenceDigits, "\(name) welch from stats t")
            assertDigits(fw.pValue, num(dict(c["welch"])["from_stats_p"]), referenceDigits, "\(name) welch from stats p")
        }
    }

    func testPaired() throws {
        AgreementLog.report("(previous)"); defer { AgreementLog.report("paired t") }
        for c in cases {
            guard let ref = c["paired"] as? [String: Any] else { continue }
            let name = c["name"] as! String, m = ref["m"] as! Int
            let t = try PairedTTest(Array(nums(c["x"]).prefix(m)), Array(nums(c["y"]).prefix(m)))
            checkExact(t, dict(ref["exact"]), "\(name) paired")
            assertDigits(t.statistic, num(ref["t"]), referenceDigits, "\(name) paired t")
            assertDigits(t.df, num(ref["df"]), 15, "\(name) paired df")
            assertDigits(t.pValue, num(ref["p"]), referenceDigits, "\(name) paired p")
            let ci = t.confidenceInterval(), rci = nums(ref["ci"])
            assertDigits(ci.lower, rci[0], referenceDigits, "\(name) paired CI low")
            assertDigits(ci.upper, rci[1], referenceDigits, "\(name) paired CI high")
            assertDigits(t.cohensD, num(ref["cohens_d"]), referenceDigits, "\(name) paired d_z")
        }
    }

    /// Against the exact reference: t, df, two-sided p, 95 % CI, Cohen's d (and Hedges' g when given).
    func checkExact(_ t: any TTest, _ ref: [String: Any], _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertFalse(ref.isEmpty, "\(what): no exact reference", file: file, line: line)
        assertDigits(t.statistic, num(ref["t"]), 12, "\(what) t (exact)", file: file, line: line)
        assertDigits(t.df, num(ref["df"]), 12, "\(what) df (exact)", file: file, line: line)
        assertDigits(t.pValue, num(ref["p"]), referenceDigits, "\(what) p (exact)", file: file, line: line)
        let ci = t.confidenceInterval(level: 0.95), rci = nums(ref["ci"])
        assertDigits(ci.lower, rci[0], referenceDigits, "\(what) CI low (exact)", file: file, line: line)
        assertDigits(ci.upper, rci[1], referenceDigits, "\(what) CI high (exact)", file: file, line: line)
        assertDigits(t.cohensD, num(ref["cohens_d"]), 12, "\(what) d (exact)", file: file, line: line)
        if let g = ref["hedges_g"] { assertDigits(t.hedgesG, num(g), 12, "\(what) g (exact)", file: file, line: line) }
    }

    func testEdgeCases() throws {
        // Too few observations and invalid summaries are errors, not crashes.
        XCTAssertThrowsError(try OneSampleTTest([1.0]))
        XCTAssertThrowsError(try UnequalVarianceTTest([1, 2], [3]))
        XCTAssertThrowsError(try EqualVarianceTTest(mean1: 1, sd1: -1, n1: 5, mean2: 2, sd2: 1, n2: 5))
        XCTAssertThrowsError(try PairedTTest([1, 2, 3], [1, 2]))
        // Zero variance: t = ±inf, p = 0 when the means differ; NaN when there is nothing to test.
        let z = try EqualVarianceTTest([2, 2, 2], [3, 3, 3])
        XCTAssertEqual(z.statistic, -.infinity)
        XCTAssertEqual(z.pValue, 0)
        let same = try OneSampleTTest([2, 2, 2], mu0: 2)
        XCTAssertTrue(same.statistic.isNaN)
        XCTAssertTrue(same.pValue.isNaN)
        // Paired: pairs with a missing value are dropped and counted.
        let p = try PairedTTest([1, 2, .nan, 4, 6], [1.5, 2.5, 3, .nan, 5])
        XCTAssertEqual(p.droppedPairs, 2)
        XCTAssertEqual(p.df, 2)
        // One-sided CI matches the one-sided p: the 95 % upper bound equals μ₀ exactly when p(left) = 0.05.
        let t = try OneSampleTTest(n: 20, mean: 0.3, sd: 1.2)
        XCTAssertEqual(t.confidenceInterval(level: 0.95, tail: .left).lower, -.infinity)
        XCTAssertTrue(t.description.contains("One-sample t-test"))
    }

    /// Neither group varies: Welch agrees with Student (t = ±∞, p = 0, CI = the difference) instead of returning
    /// NaN everywhere; Welch's df is 0/0 and stays NaN, with a note. Reference, scipy 1.17.1 (scripts/bench/.venv):
    /// ttest_ind([5, 5], [3, 3], equal_var=False) → statistic inf, pvalue 0.0, confidence_interval() (2.0, 2.0);
    /// alternative='less' → pvalue 1.0; ttest_ind([5, 5], [5, 5], equal_var=False) → nan, nan. (scipy reports
    /// df = 1.0 there, a placeholder it substitutes for the undefined value since p does not depend on it.)
    func testWelchWithoutVariationMatchesStudent() throws {
        let welch = try UnequalVarianceTTest([5, 5], [3, 3]), student = try EqualVarianceTTest([5, 5], [3, 3])
        for t in [welch, student] as [any TTest] {
            XCTAssertEqual(t.standardError, 0, t.testName)
            XCTAssertEqual(t.statistic, .infinity, t.testName)
            XCTAssertEqual(t.pValue(tail: .both), 0, t.testName)
            XCTAssertEqual(t.pValue(tail: .right), 0, t.testName)
            XCTAssertEqual(t.pValue(tail: .left), 1, t.testName)
            let ci = t.confidenceInterval(level: 0.95)
            XCTAssertEqual([ci.lower, ci.upper], [2, 2], t.testName)
            let right = t.confidenceInterval(level: 0.95, tail: .right)
            XCTAssertEqual([right.lower, right.upper], [2, .infinity], t.testName)
            XCTAssertEqual(t.notes.count, 1, t.testName)
        }
        XCTAssertTrue(welch.df.isNaN)
        XCTAssertTrue(welch.notes[0].contains("0/0"), welch.notes[0])
        XCTAssertFalse(student.notes[0].contains("0/0"), student.notes[0])
        XCTAssertEqual(try UnequalVarianceTTest([3, 3], [5, 5]).statistic, -.infinity)
        // Equal means as well: nothing to test, t and p undefined in both, with a note.
        for t in [try UnequalVarianceTTest([5, 5], [5, 5]), try EqualVarianceTTest([5, 5], [5, 5])] as [any TTest] {
            XCTAssertTrue(t.statistic.isNaN && t.pValue(tail: .both).isNaN, t.testName)
            XCTAssertTrue(t.notes.first?.contains("undefined") ?? false, t.testName)
        }
        // Ordinary data carry no note.
        XCTAssertTrue(try UnequalVarianceTTest([1, 2, 3], [2, 4, 7]).notes.isEmpty)
    }

    func testWelchIsScaleInvariant() throws {
        // Welch df does not depend on the SDs' common scale: a=1/5; b=1/6; (a+b)**2/(a*a/4+b*b/5) → 8.642857142857144
        // ((s²/n)² under/overflowed at SD 1e-90 and 1e80: df and p were NaN).
        for scale in [1e-90, 1.0, 1e80, 1e150] {
            let w = try UnequalVarianceTTest(mean1: scale, sd1: scale, n1: 5, mean2: 0, sd2: scale, n2: 6)
            assertDigits(w.df, 8.642857142857144, 14, "Welch df at SD \(scale)")
            // stats.ttest_ind_from_stats(1,1,5,0,1,6,equal_var=False).statistic → 1.6514456476895407
            assertDigits(w.statistic, 1.6514456476895407, 14, "Welch t at SD \(scale)")
        }
        // Student's pooled SD the same way: stats.ttest_ind_from_stats(1,1,5,0,1,6).statistic → 1.6514456476895407
        for scale in [1e-170, 1.0, 1e160] {
            let s = try EqualVarianceTTest(mean1: scale, sd1: scale, n1: 5, mean2: 0, sd2: scale, n2: 6)
            assertDigits(s.statistic, 1.6514456476895407, 14, "Student t at SD \(scale)")
        }
        let tiny = try UnequalVarianceTTest(mean1: 1, sd1: 1e-90, n1: 5, mean2: 0, sd2: 1e-90, n2: 6)
        XCTAssertEqual(tiny.pValue, 0)
        // Welch ANOVA the same: anova_oneway([[1,2,4],[2,5,7,8],[.5,1,1.5]], use_var='unequal') → F 5.302264328514736,
        // df₂ 3.6684942856446616; scaled by 1e-100 and 1e100 (sᵢ² under/overflowing) the same F and df.
        let groups: [[Double]] = [[1, 2, 4], [2, 5, 7, 8], [0.5, 1, 1.5]]
        for scale in [1e-100, 1.0, 1e100] {
            let a = try WelchANOVA(summaries: groups.map { g in
                let s = SampleSummary(g)
                return SampleSummary(n: s.n, mean: s.mean * scale, sd: s.sd * scale)
            })
            assertDigits(a.statistic, 5.302264328514736, 13, "Welch ANOVA F at scale \(scale)")
            assertDigits(a.dfWithin, 3.6684942856446616, 13, "Welch ANOVA df₂ at scale \(scale)")
        }
    }

    func testStudentAcceptsAGroupOfOne() throws {
        // stats.ttest_ind([1],[2,3,5]) → t=-1.3228756555322956, p=0.3168699489360267, df=2
        let t = try EqualVarianceTTest([1], [2, 3, 5])
        assertDigits(t.statistic, -1.3228756555322956, 14, "Student t with n₁ = 1")
        assertDigits(t.pValue, 0.3168699489360267, 13, "Student p with n₁ = 1")
        XCTAssertEqual(t.df, 2)
        // The same from summaries (SD of one observation undefined; it gets no weight in the pooled variance).
        let s = try EqualVarianceTTest(mean1: 1, sd1: 0, n1: 1, mean2: 10.0 / 3, sd2: t.sample2.sd, n2: 3)
        assertDigits(s.statistic, -1.3228756555322956, 14, "Student t from summaries")
        XCTAssertThrowsError(try EqualVarianceTTest([1], [2]))
        XCTAssertThrowsError(try UnequalVarianceTTest([1], [2, 3, 5]))
    }
}

final class GroupedColumnTests: XCTestCase {
    func testTwoGroupTTestsFromAColumnKeepDecimalAccuracy() throws {
        // NumAcc4-like data in two groups: the decimal offset survives the split.
        let texts = ["10000000.2", "10000000.1", "10000000.3", "10000000.1", "10000000.3", "10000000.4", "NA"]
        let col = try parseDecimalColumn(texts)
        let labels: [String?] = ["b", "a", "b", "a", "b", "a", "a"]
        let t = try EqualVarianceTTest(col, groups: labels)
        XCTAssertEqual(t.groupNames, ["a", "b"])
        XCTAssertEqual(t.sample1.n, 3)
        XCTAssertEqual(t.sample2.n, 3)
        // Exact: a = {.1, .1, .4}, b = {.2, .3, .3}: difference −0.0666…, pooled var = (0.06 + 0.006667)/4.
        assertDigits(t.estimate, -0.2 / 3, 14, "difference")
        assertDigits(t.sample1.mean, 10000000.2, 15, "mean a")
        let ref = try EqualVarianceTTest([0.1, 0.1, 0.4], [0.2, 0.3, 0.3])
        assertDigits(t.statistic, ref.statistic, 14, "t")
        let w = try UnequalVarianceTTest(col, groups: labels, levels: ["b", "a"])
        XCTAssertEqual(w.groupNames, ["b", "a"])
        let wref = try UnequalVarianceTTest([0.1, 0.1, 0.4], [0.2, 0.3, 0.3])
        assertDigits(w.statistic, -wref.statistic, 14, "Welch t")
        XCTAssertThrowsError(try EqualVarianceTTest(col, groups: ["a", "b", "c", "a", "b", "c", "a"]))
        XCTAssertThrowsError(try EqualVarianceTTest(col, groups: labels, levels: ["a", "z"]))
        // The summary route (per-group SampleSummary of the split columns, as the CLI does) is just as accurate:
        // both summaries keep the column's offset as a common reference.
        let groups = try GroupedColumn(col, by: labels)
        let sa = try SampleSummary(groups.groups[0].column), sb = try SampleSummary(groups.groups[1].column)
        assertDigits(try EqualVarianceTTest(sa, sb).statistic, ref.statistic, 14, "t from column summaries")
        assertDigits(try UnequalVarianceTTest(sa, sb).statistic, wref.statistic, 14, "Welch t from column summaries")
        let anova = try OneWayANOVA(summaries: [sa, sb])
        let anovaRef = try OneWayANOVA(groups: [[0.1, 0.1, 0.4], [0.2, 0.3, 0.3]])
        assertDigits(anova.f, anovaRef.f, 14, "ANOVA F from column summaries")
        assertDigits(try WelchANOVA(summaries: [sa, sb]).f, try WelchANOVA(groups: [[0.1, 0.1, 0.4], [0.2, 0.3, 0.3]]).f, 14, "Welch F")
        let naive = try EqualVarianceTTest(SampleSummary(n: 3, mean: sa.mean, sd: sa.sd), SampleSummary(n: 3, mean: sb.mean, sd: sb.sd))
        XCTAssertLessThan(logRelativeError(naive.statistic, ref.statistic), 10)   // why the reference matters
        let split = try GroupedColumn(col, by: ["x", nil, "y", "x", "y", "x", "y"], order: ["y"])
        XCTAssertEqual(split.names, ["y", "x"])
        XCTAssertEqual(split.missingLabel, 1)
    }
}

final class PairedColumnTests: XCTestCase {
    func testPairedColumnsWithOffsets() throws {
        let x = try parseDecimalColumn(["10000000.3", "10000000.1", "NA", "10000000.4"] as [String])
        let y = try parseDecimalColumn(["10000000.1", "10000000.2", "10000000.2", "10000000.1"] as [String])
        let t = try PairedTTest(x, y)
        let ref = try PairedTTest([0.2, -0.1, 0.3], [0, 0, 0])
        XCTAssertEqual(t.droppedPairs, 1)
        assertDigits(t.statistic, ref.statistic, 14, "paired t on offset columns")
        XCTAssertThrowsError(try PairedTTest(x, NumericColumn([1, 2])))
    }
}
