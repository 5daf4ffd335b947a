import Foundation
import XCTest

/// JSON output: likert counts are integers like crosstab's; crosstab --percent is in the JSON; codebook keys are
/// snake_case.
final class JSONOutputConsistencyTests: XCTestCase {
    func testLikertCountsAreIntegersUnweightedAndNumbersWeighted() throws {
        let csv = try temporaryCSV("q,g,w\n1,a,0.5\n2,a,1\n2,b,1\n3,b,1.5\n3,b,1\n")
        let r = try CLI.run(["likert", "q", "--scale", "1-3", "--by", "g", "--data", csv, "--format", "json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("\"counts\": [1, 2, 2]"), r.stdout)
        let countLines = r.stdout.split(separator: "\n").filter { $0.contains("\"counts\"") }
        XCTAssertEqual(countLines.count, 3, r.stdout)   // the item and its two groups
        XCTAssertFalse(countLines.contains { $0.contains(".") }, "\(countLines)")
        let json = try runJSON(["likert", "q", "--scale", "1-3", "--by", "g", "--data", csv])
        let item = try XCTUnwrap((json["items"] as? [[String: Any]])?.first)
        XCTAssertEqual(item["counts"] as? [Int], [1, 2, 2])
        XCTAssertEqual((item["groups"] as? [[String: Any]])?.map { $0["counts"] as? [Int] ?? [] }, [[1, 1, 0], [0, 1, 2]])
        // Weighted: Σw per point, as numbers (crosstab's weighted counts are numbers too).
        let weighted = try runJSON(["likert", "q", "--scale", "1-3", "--data", csv, "--weight", "w"])
        let w = try XCTUnwrap((weighted["items"] as? [[String: Any]])?.first)
        XCTAssertEqual(doubles(w["counts"]), [0.5, 2, 2.5])
    }

    func testCrosstabPercentIsInTheJSON() throws {
        let csv = try temporaryCSV("r,c\nx,u\nx,v\nx,v\ny,u\ny,u\ny,v\ny,v\ny,v\n")
        let counts: [[Double]] = [[1, 2], [2, 3]]
        let expected: [String: [[Double]]] = [
            "row": counts.map { row in row.map { 100 * $0 / row.reduce(0, +) } },
            "column": counts.map { row in row.indices.map { 100 * row[$0] / (counts[0][$0] + counts[1][$0]) } },
            "total": counts.map { row in row.map { 100 * $0 / 8 } },
        ]
        for (kind, matrix) in expected {
            let json = try runJSON(["crosstab", "r", "c", "--data", csv, "--percent", kind])
            let got = try XCTUnwrap(json["\(kind)_percent"] as? [[Any]], "\(kind)_percent")
            XCTAssertEqual(got.map { doubles($0) }, matrix, kind)
            for other in expected.keys where other != kind { XCTAssertNil(json["\(other)_percent"], kind) }
        }
        let plain = try runJSON(["crosstab", "r", "c", "--data", csv])
        XCTAssertTrue(plain.keys.filter { $0.hasSuffix("_percent") }.isEmpty, "\(plain.keys)")
    }

    func testCodebookJSONKeysAreSnakeCase() throws {
        let csv = try temporaryCSV("q\n1\n2\n9\n", name: "k.csv")
        let book = URL(fileURLWithPath: csv).deletingLastPathComponent().appendingPathComponent("k.yaml").path
        try "variables:\n  q:\n    values: {1: Ja, 2: Nei, 9: Vet ikke}\n    missing: [9, {range: [97, 98]}]\n"
            .write(toFile: book, atomically: true, encoding: .utf8)
        let r = try CLI.run(["codebook", csv, "--codebook", book, "--format", "json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertNil(r.stdout.range(of: #""[a-z_]*[A-Z][A-Za-z_]*":"#, options: .regularExpression), r.stdout)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let q = try XCTUnwrap((object["variables"] as? [[String: Any]])?.first)
        XCTAssertEqual((q["value_labels"] as? [[String: Any]])?.map { $0["label"] as? String ?? "" }, ["Ja", "Nei", "Vet ikke"])
        XCTAssertEqual(q["missing_codes"] as? [Int], [9])
        XCTAssertEqual((q["missing_ranges"] as? [[Any]])?.map { doubles($0) }, [[97, 98]])
    }
}
