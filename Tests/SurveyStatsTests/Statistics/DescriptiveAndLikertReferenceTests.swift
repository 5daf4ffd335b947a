import XCTest
@testable import SurveyStats

/// Weighted descriptives against statsmodels DescrStatsW (frequency and analytic weights) and the exact
/// pweight SE; Likert summaries against numpy on the valid answers (Fixtures/tests/descriptive.json).
final class DescriptiveAndLikertReferenceTests: XCTestCase {
    func testWeightedDescriptives() throws {
        AgreementLog.report("(previous)"); defer { AgreementLog.report("weighted descriptives") }
        let doc = try StatFixtures.json("tests/descriptive.json")
        let x = nums(doc["x"]), w = nums(doc["weights"])
        let fw = (doc["frequency_weights"] as! [Int]).map(Double.init)
        let un = DescriptiveStatistics(x), ru = dict(doc["unweighted"])
        assertDigits(un.mean, num(ru["mean"]), 13, "mean"); assertDigits(un.sd, num(ru["sd"]), 13, "sd")
        assertDigits(un.median, num(ru["median"]), 15, "median")
        XCTAssertEqual(un.min, num(ru["min"])); XCTAssertEqual(un.max, num(ru["max"]))
        let f = try DescriptiveStatistics(x.map { Optional($0) }, weights: w, weightKind: .frequency), rf = dict(doc["frequency"])
        assertDigits(f.mean, num(rf["mean"]), 13, "freq mean"); assertDigits(f.sd, num(rf["sd"]), 13, "freq sd")
        assertDigits(f.standardError, num(rf["se"]), 13, "freq se"); assertDigits(f.sumOfWeights, num(rf["sum_weights"]), 14, "Σw")
        let a = try DescriptiveStatistics(x.map { Optional($0) }, weights: w, weightKind: .analytic), ra = dict(doc["analytic"])
        assertDigits(a.mean, num(ra["mean"]), 13, "aw mean"); assertDigits(a.sd, num(ra["sd"]), 13, "aw sd")
        assertDigits(a.standardError, num(ra["se"]), 13, "aw se")
        let p = try DescriptiveStatistics(x.map { Optional($0) }, weights: w, weightKind: .probability), rp = dict(doc["probability"])
        assertDigits(p.mean, num(rp["mean"]), 13, "pw mean"); assertDigits(p.standardError, num(rp["se"]), 13, "pw se")
        let i = try DescriptiveStatistics(x.map { Optional($0) }, weights: fw), ri = dict(doc["integer_frequency"])
        assertDigits(i.mean, num(ri["mean"]), 13, "fw mean"); assertDigits(i.sd, num(ri["sd"]), 13, "fw sd")
        assertDigits(i.median, num(ri["median"]), 15, "fw median (expanded data)")
        // Missing values, missing codes and NaN weights are counted, not dropped silently.
        let m = try DescriptiveStatistics(NumericColumn([1, .nan, 9, 3, 5]), missingCodes: [9], weights: [1, 1, 1, .nan, 2])
        XCTAssertEqual(m.n, 2); XCTAssertEqual(m.missing, 3); XCTAssertEqual(m.mean, 11.0 / 3)
        XCTAssertThrowsError(try DescriptiveStatistics([1.0, 2.0].map { Optional($0) }, weights: [1, -1]))
        try checkZeroWeightRowsAreLeftOut()
        let empty = DescriptiveStatistics([Double]())
        XCTAssertEqual(empty.n, 0); XCTAssertTrue(empty.mean.isNaN)
        XCTAssertTrue(DescriptiveStatistics([4.0]).sd.isNaN)
    }

    func testLikertSummary() throws {
        AgreementLog.report("(previous)"); defer { AgreementLog.report("Likert summary") }
        let l = dict(try StatFixtures.json("tests/descriptive.json")["likert"])
        let values = nums(l["values"]), w = nums(l["weights"])
        let s = try LikertSummary(values: values, scale: [1, 2, 3, 4, 5], missingCodes: [6])
        XCTAssertEqual(s.n, l["n"] as? Int)
        XCTAssertEqual(s.systemMissing, l["system_missing"] as? Int)
        XCTAssertEqual(s.missingByCode[6], l["code6"] as? Int)
        XCTAssertEqual(s.counts, (l["counts"] as! [Int]).map(Double.init))
        XCTAssertEqual(s.counts[1], 0)    // a scale point nobody chose is still listed
        assertDigits(s.mean, num(l["mean"]), 14, "Likert mean")
        assertDigits(s.sd, num(l["sd"]), 13, "Likert SD")
        assertDigits(s.standardError, num(l["se"]), 13, "Likert SE")
        XCTAssertEqual(s.median, num(l["median"]))
        for (a, b) in zip(s.percent, nums(l["percent"])) { assertDigits(a, b, 14, "percent") }
        for (a, b) in zip(s.percentOfAll, nums(l["percent_of_all"])) { assertDigits(a, b, 14, "percent of all") }
        assertDigits(try s.share(of: "4+5"), num(l["top_box_4_5"]), 14, "top box")
        assertDigits(s.topBox, num(l["top_box_4_5"]), 14, "top box default")
        XCTAssertThrowsError(try s.share(of: "4+7"))
        let sw = try LikertSummary(values: values, scale: [1, 2, 3, 4, 5], missingCodes: [6], weights: w)
        assertDigits(sw.mean, num(l["weighted_mean"]), 13, "weighted Likert mean")
        assertDigits(sw.sd, num(l["weighted_sd"]), 13, "weighted Likert SD")
        assertDigits(try sw.share(of: "4+5"), num(l["weighted_top_box_4_5"]), 13, "weighted top box")
        // Out-of-scale values are reported, never silently dropped; counts form equals the data form.
        let o = try LikertSummary(values: [1, 2, 7, 5], scale: [1, 2, 3, 4, 5])
        XCTAssertEqual(o.outOfScale, 1); XCTAssertEqual(o.n, 3); XCTAssertFalse(o.notes.isEmpty)
        let fromCounts = try LikertSummary(scale: [1, 2, 3, 4, 5], counts: s.counts, systemMissing: s.systemMissing,
                                           missingByCode: s.missingByCode)
        XCTAssertEqual(fromCounts.mean, s.mean); XCTAssertEqual(fromCounts.median, s.median)
        XCTAssertEqual(fromCounts.percentOfAll, s.percentOfAll)
        // Median when the cumulative share lands exactly on ½: average of the two middle points.
        XCTAssertEqual(try LikertSummary(values: [1, 1, 4, 4], scale: [1, 2, 3, 4, 5]).median, 2.5)
        XCTAssertTrue(s.description.contains("top box"))
        try checkZeroWeightAnswersAreLeftOut()
    }

    /// A row of weight 0 is no observation: n, min, max and the analytic/probability n − 1 are of the positive-
    /// weight rows only (QA: n 6, min −50, SD 1.695 for the 3 rows the note said were left out).
    private func checkZeroWeightRowsAreLeftOut() throws {
        let x: [Double?] = [3, 1, 2, 5, 100, -50], w: [Double] = [0, 2, 1.5, 1, 0, 0]
        let p = try DescriptiveStatistics(x, weights: w, weightKind: .probability)
        XCTAssertEqual(p.n, 3); XCTAssertEqual(p.missing, 3); XCTAssertEqual(p.zeroWeight, 3)
        XCTAssertEqual(p.min, 1); XCTAssertEqual(p.max, 5); XCTAssertEqual(p.median, 2)
        // x=np.array([1,2,5.]); w=np.array([2,1.5,1]); DescrStatsW(x,w*3/w.sum(),ddof=1).std
        assertDigits(p.sd, 1.8954135676924426, 14, "analytic/probability SD without zero weights")
        // m=np.average(x,weights=w); np.sqrt(3/2*np.sum(w**2*(x-m)**2))/w.sum()
        assertDigits(p.standardError, 1.0111405051576923, 14, "probability SE without zero weights")
        let a = try DescriptiveStatistics(x, weights: w, weightKind: .analytic)
        // DescrStatsW(x,w*3/w.sum(),ddof=1).std/np.sqrt(3)
        assertDigits(a.standardError, 1.0943175335329007, 14, "analytic SE without zero weights")
        // Frequency weights were right already: a zero weight adds nothing to Σw.
        let f = try DescriptiveStatistics(x, weights: w, weightKind: .frequency)
        XCTAssertEqual(f.sumOfWeights, 4.5); XCTAssertEqual(f.n, 3)
    }

    private func checkZeroWeightAnswersAreLeftOut() throws {
        // q = 1,2,2,4,5,5,1,9,NaN,3 with 9 missing; weights 1,2,1,1.5,1,0,0,1,1,0: five valid positive-weight answers.
        let q: [Double] = [1, 2, 2, 4, 5, 5, 1, 9, .nan, 3], w: [Double] = [1, 2, 1, 1.5, 1, 0, 0, 1, 1, 0]
        let s = try LikertSummary(values: q, scale: [1, 2, 3, 4, 5], missingCodes: [9], weights: w, weightKind: .analytic)
        XCTAssertEqual(s.n, 5); XCTAssertEqual(s.zeroWeight, 3); XCTAssertEqual(s.missing, 5)
        // x=np.array([1,2,2,4,5.]); w=np.array([1,2,1,1.5,1]); DescrStatsW(x,w*5/w.sum(),ddof=1).std
        assertDigits(s.sd, 1.5288159164885993, 14, "analytic Likert SD without zero weights")
        // ….std/np.sqrt(5)
        assertDigits(s.standardError, 0.6837072628704299, 14, "analytic Likert SE without zero weights")
        // The one-pass grouped form agrees.
        let variable = Variable(name: "q", values: .numeric(NumericColumn(q)), missingCodes: [9])
        let grouped = try LikertSummary.grouped(variable, by: nil, scale: [1, 2, 3, 4, 5], weights: w, weightKind: .analytic)
        XCTAssertEqual(grouped.all.n, 5); XCTAssertEqual(grouped.all.zeroWeight, 3)
        XCTAssertEqual(grouped.all.sd, s.sd)
    }
}
