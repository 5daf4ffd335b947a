import XCTest
@testable import SurveyStats

/// The JSON forms carry the keys of the CLI's public schema (issue 2) with numbers as numbers and null for NaN.
final class StatisticsJSONTests: XCTestCase {
    func testSchemaKeys() throws {
        let t = try UnequalVarianceTTest(NumericColumn([1, 2, 3, 4, 6, 8]), groups: ["a", "a", "a", "b", "b", "b"])
        let tj = t.jsonValue
        for key in ["t", "df", "p", "mean_difference", "ci", "groups"] { XCTAssertNotNil(tj[key], key) }
        XCTAssertEqual(tj["mean_difference"], .number(-4))
        guard case .array(let groups)? = tj["groups"], case .object(let g0) = groups[0] else { return XCTFail("groups") }
        XCTAssertEqual(g0.map(\.key), ["name", "n", "mean", "sd"])
        XCTAssertEqual(g0[0].value, .string("a"))

        let a = try OneWayANOVA(groups: [[1, 2, 3], [4, 5, 7]])
        for key in ["f", "df1", "df2", "p", "ss_between", "ss_within", "r_squared"] { XCTAssertNotNil(a.jsonValue[key], key) }
        let x = try CrossTab(counts: [[10, 0], [0, 0]])
        for key in ["counts", "row_labels", "column_labels", "chi2", "df", "p", "g2", "cramers_v"] { XCTAssertNotNil(x.jsonValue[key], key) }
        let text = x.jsonValue.encoded()                 // df = 0: undefined, printed as null, not a made-up number
        XCTAssertTrue(text.contains("\"p\": null"), text)
        XCTAssertTrue(text.contains("\"cramers_v\": null"), text)
        let p = try TwoSampleProportionZTest(proportion1: 0.74, n1: 104, proportion2: 0.56, n2: 150)
        for key in ["z", "p", "estimates"] { XCTAssertNotNil(p.jsonValue[key], key) }
        let d = DescriptiveStatistics([1, 2, .nan]).jsonValue(name: "y")
        XCTAssertEqual(d["missing"], .integer(1))
        XCTAssertEqual(d["weight_kind"], .null)
        let l = try LikertSummary(values: [1, 5, 5, .nan], scale: [1, 2, 3, 4, 5]).jsonValue(name: "q1")
        // Unweighted counts are integers, as crosstab's are; weighted Σw are numbers (they may be fractional).
        XCTAssertEqual(l["counts"], .array([1, 0, 0, 0, 2].map { .integer($0) }))
        XCTAssertTrue(l.encoded().contains("\"counts\": [1, 0, 0, 0, 2]"), l.encoded())
        let w = try LikertSummary(values: [1, 5, 5, .nan], scale: [1, 2, 3, 4, 5], weights: [0.5, 1, 1, 1]).jsonValue(name: "q1")
        XCTAssertEqual(w["counts"], .numbers([0.5, 0, 0, 0, 2]))
        XCTAssertTrue(l.encoded().contains("\"top_box\""))
    }
}
