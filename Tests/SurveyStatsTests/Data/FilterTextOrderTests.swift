import XCTest
@testable import SurveyStats

/// `--where` orders text as the tables do (Norwegian order, numbers by value), ignoring case.
final class FilterTextOrderTests: XCTestCase {
    func rows(_ expression: String) throws -> [String] {
        let names = ["a", "å", "Anne", "Åse", "b", "B", "z", "ærlig", "øst", "Gruppe 10", "Gruppe 2", ""]
        let d = try CSVReader.read(string: "navn,x\n" + names.map { "\($0),1\n" }.joined())
        XCTAssertEqual(d.rowCount, 12)
        let keep = try FilterExpression(expression).evaluate(on: d)
        guard case .text(let t) = d["navn"]?.values else { XCTFail("navn is not text"); return [] }
        return keep.indices.filter { keep[$0] }.map { t[$0] ?? "" }
    }

    func testOrderingIsNorwegianAndIgnoresCase() throws {
        XCTAssertEqual(try rows("navn >= Å"), ["å", "Åse"])
        XCTAssertEqual(try rows("navn >= å"), ["å", "Åse"])
        XCTAssertEqual(try rows("navn > Z"), ["å", "Åse", "ærlig", "øst"])
        XCTAssertEqual(try rows("navn < Æ"), ["a", "Anne", "b", "B", "z", "Gruppe 10", "Gruppe 2"])
        XCTAssertEqual(try rows("navn < b"), ["a", "Anne"])
        XCTAssertEqual(try rows("navn <= B"), ["a", "Anne", "b", "B"])
        XCTAssertEqual(try rows("navn >= ø and navn < å"), ["øst"])
        XCTAssertEqual(try rows("navn > 'Gruppe 2' and navn < h"), ["Gruppe 10"])
    }

    func testEqualityStaysExactAndMissingStaysUnknown() throws {
        XCTAssertEqual(try rows("navn == Åse"), ["Åse"])
        XCTAssertEqual(try rows("navn == åse"), [])
        XCTAssertEqual(try rows("navn != B and navn <= b"), ["a", "Anne", "b"])
        // The empty last row is missing: neither side of an ordering keeps it.
        XCTAssertEqual(try rows("navn < ø").count + (try rows("navn >= ø")).count, 11)
        XCTAssertEqual(try rows("not (navn < ø)"), try rows("navn >= ø"))
    }
}
