import Foundation
import XCTest

/// A word given with `--na` (`--na "vet ikke"`) is named in the missing-value report of every command, as a
/// numeric token is (`2 'vet ikke' (--na)`), not lumped in with the empty fields; both engines say the same.
final class MissingTokenReportTests: XCTestCase {
    /// x: 2 «vet ikke», 1 empty, 1 NA; q: 1 «vet ikke», 1 NA, 1 empty; g: 1 «vet ikke».
    static let csv: String = {
        let text = """
            g,x,q
            A,1,4
            B,vet ikke,5
            A,,3
            B,3,vet ikke
            A,NA,2
            B,vet ikke,NA
            A,2,1
            B,5,
            A,4,2
            B,2,3
            vet ikke,3,4

            """
        return try! temporaryCSV(text, name: "svar.csv")
    }()

    private func run(_ args: [String]) throws -> String {
        let r = try CLI.run(args + ["--data", Self.csv, "--na", "vet ikke"])
        XCTAssertEqual(r.status, 0, r.stderr)
        return r.stdout
    }

    func testDescribeNamesTheTokenInTextAndJSON() throws {
        let out = try run(["describe", "x"])
        XCTAssertTrue(out.contains("Missing: x: 2 'vet ikke' (--na), 2 empty/NA."), out)
        let j = try runJSON(["describe", "x", "--data", Self.csv, "--na", "vet ikke"])
        let reasons = (j["variables"] as? [[String: Any]])?.first?["missing_reasons"] as? [[String: Any]]
        XCTAssertEqual(reasons?.map { $0["reason"] as? String }, ["'vet ikke' (--na)", "empty/NA"])
        XCTAssertEqual(reasons?.map { $0["count"] as? Int }, [2, 2])
    }

    func testTTestANOVAAndRegressNameTheTokenOfEachVariable() throws {
        let rows = "Rows: 11 read, 6 used, 5 left out for missing values (x: 2 'vet ikke' (--na), 2 empty/NA; g: 1 'vet ikke' (--na))."
        XCTAssertTrue(try run(["ttest", "x", "--by", "g"]).contains(rows))
        XCTAssertTrue(try run(["anova", "x", "--by", "g"]).contains(rows))
        XCTAssertTrue(try run(["regress", "x ~ g"]).contains(rows))
        // After --where the counts are of the rows kept.
        let b = try run(["describe", "x", "--where", "g == 'B'"])
        XCTAssertTrue(b.contains("Missing: x: 2 'vet ikke' (--na)."), b)
    }

    func testCrosstabAndLikertSayTheSameWithBothEngines() throws {
        let crosstab = try StreamingEngineTests.bothEngines(["crosstab", "g", "x", "--data", Self.csv, "--na", "vet ikke"])
        XCTAssertEqual(crosstab.memory.stdout, crosstab.stream.stdout)
        XCTAssertTrue(crosstab.memory.stdout.contains(
            "5 left out for missing values (g: 1 'vet ikke' (--na); x: 2 'vet ikke' (--na), 2 empty/NA)"), crosstab.memory.stdout)
        let likert = try StreamingEngineTests.bothEngines(["likert", "q", "--scale", "1-5", "--by", "g",
                                                           "--data", Self.csv, "--na", "vet ikke"])
        XCTAssertEqual(likert.memory.stdout, likert.stream.stdout)
        XCTAssertEqual(likert.memory.stderr, likert.stream.stderr)
        XCTAssertTrue(likert.memory.stdout.contains("not valid: 2 empty/NA, 1 'vet ikke' (--na)."), likert.memory.stdout)
    }

    func testLikertWithAWeightListsMissingWeightsUnderTheWeight() throws {
        let csv = try temporaryCSV("q,w\n1,1\nvet ikke,2\nvet ikke,\n3,1\n,1\n")
        let r = try CLI.run(["likert", "q", "--scale", "1-5", "--weight", "w", "--data", csv, "--na", "vet ikke"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("not valid: 1 empty/NA, 1 'vet ikke' (--na), weight w: 1 empty/NA."), r.stdout)
    }
}
