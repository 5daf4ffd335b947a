import XCTest
@testable import SurveyStats

/// Missing ranges (SPSS 97 THRU 99) in the streaming count tables and summaries.
final class LikertCountsRangeTests: XCTestCase {
    func testRangesAreMissingInCounts() throws {
        let c = try LikertCounts(values: [1, 2, 5, 97, 98, 99, nil], missingRanges: [97...99])
        XCTAssertEqual(c.n, 3)
        XCTAssertEqual(c.missing, 4)
        XCTAssertEqual(c.mean!, 8.0 / 3, accuracy: 1e-15)
        XCTAssertNil(c.percent(98))
        let s = try c.likertSummary(scale: [1, 2, 3, 4, 5])
        XCTAssertEqual(s.n, 3)
        XCTAssertEqual(s.missingByCode, [97: 1, 98: 1, 99: 1])
    }

    func testSummariesOfAVariableWithARange() throws {
        var v = Variable(name: "q", values: .numeric(NumericColumn([1, 2, 5, 97, 98, 99])),
                         valueLabels: [1: "a", 2: "b", 3: "c", 4: "d", 5: "e", 97: "x", 98: "y", 99: "z"])
        v.missingRanges = [97...99]
        let memory = try LikertSummary(v)
        XCTAssertEqual(memory.scale, [1, 2, 3, 4, 5])
        XCTAssertEqual(memory.n, 3)
        let counted = try LikertSummary(v, valueCounts: [(1, 1), (2, 1), (5, 1), (97, 1), (98, 1), (99, 1)])
        XCTAssertEqual(counted.n, 3)
        XCTAssertEqual(counted.scale, [1, 2, 3, 4, 5])
        let d = try DescriptiveStatistics(v)
        XCTAssertEqual(d.n, 3)
        XCTAssertEqual(d.missing, 3)
    }
}
