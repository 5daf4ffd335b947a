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
    }
}
