import Foundation
import XCTest

/// `describe` against pandas (mean, std(ddof=1), min, max) on datasets/examples/ledere.csv.
final class DescribeCommandTests: XCTestCase {
    func testJSONMatchesPandas() throws {
        let json = try runJSON(["describe", "--data", Example.csv, "--no-codebook", "likeverd", "samarbeid", "tillit"])
        XCTAssertEqual(json["command"] as? String, "describe")
        XCTAssertEqual(json["n_rows"] as? Int, 60)
        let variables = try XCTUnwrap(json["variables"] as? [[String: Any]])
        XCTAssertEqual(variables.map { $0["name"] as? String }, ["likeverd", "samarbeid", "tillit"])
        for v in variables {
            let name = v["name"] as! String
            XCTAssertEqual(v["n"] as? Int, Int(Example.refDouble("describe", name, "n")), name)
            XCTAssertEqual(v["missing"] as? Int, Int(Example.refDouble("describe", name, "missing")), name)
            for key in ["mean", "sd", "min", "max"] {
                assertClose(double(v[key]), Example.refDouble("describe", name, key), tol: 1e-13, "\(name) \(key)")
            }
            let reasons = try XCTUnwrap(v["missing_reasons"] as? [[String: Any]])
            XCTAssertEqual(reasons.first?["reason"] as? String, "empty/NA")
        }
    }

    func testGroupsAreLabelledAndSorted() throws {
        let json = try runJSON(["describe", "--data", Example.csv, "--no-codebook", "samarbeid", "--by", "rolle"])
        let v = try XCTUnwrap((json["variables"] as? [[String: Any]])?.first)
        let groups = try XCTUnwrap(v["groups"] as? [[String: Any]])
        XCTAssertEqual(groups.map { $0["name"] as? String }, ["enhetsleder", "mellomleder", "ordfører", "rådmann", "veileder"])
        for g in groups {
            let name = g["name"] as! String
            XCTAssertEqual(g["n"] as? Int, Int(Example.refDouble("describe", "samarbeid_by_rolle", name, "n")))
            assertClose(double(g["mean"]), Example.refDouble("describe", "samarbeid_by_rolle", name, "mean"), tol: 1e-13, name)
            assertClose(double(g["sd"]), Example.refDouble("describe", "samarbeid_by_rolle", name, "sd"), tol: 1e-13, name)
        }
    }

    func testTextOutputAlignsNorwegianGroupNames() throws {
        let r = try CLI.run(["describe", "--data", Example.csv, "--no-codebook", "samarbeid", "--by", "rolle"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        // Every data line has its n column ending at the same display column (grapheme clusters).
        let rows = lines.filter { $0.contains("ordfører") || $0.contains("rådmann") || $0.contains("veileder") }
        XCTAssertEqual(rows.count, 3, r.stdout)
        let ends = rows.map { line -> Int in
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            let nField = String(parts[1])
            return line.components(separatedBy: " " + nField + " ")[0].count + 1 + nField.count
        }
        XCTAssertEqual(Set(ends).count, 1, r.stdout)
        XCTAssertTrue(r.stdout.contains("Rows: 60 read."))
        XCTAssertTrue(r.stdout.contains("Missing: samarbeid: 1 empty/NA."))
    }
}
