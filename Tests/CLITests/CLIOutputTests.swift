import Foundation
import XCTest

/// The CLI's output side: inputs given explicitly must exist, output directories are
/// created, YAML errors are one readable line, diagnostics go to stderr, and error messages name the range.
final class CLIOutputTests: XCTestCase {
    private var tmp: URL!

    override func setUpWithError() throws {
        tmp = FileManager.default.temporaryDirectory.appendingPathComponent("cli-outdefects-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: tmp) }

    private func path(_ name: String) -> String { tmp.appendingPathComponent(name).path }

    /// `verify --relations /nonexist.yaml` used to run with the relations silently skipped.
    func testVerifyRefusesMissingExplicitInputs() throws {
        for option in ["--relations", "--claims"] {
            let missing = path("nonexist.yaml")
            let r = try CLI.run(["verify", option, missing])
            XCTAssertEqual(r.status, 2, option)
            XCTAssertEqual(r.stdout, "", option)
            XCTAssertEqual(r.stderr, "surveystats: error: \(missing): no such file (pass \(option) FILE)\n", option)
        }
    }

    /// `reconstruct --out` creates its directory (with parents), as `report --out` does; `--check` still needs it.
    func testReconstructCreatesTheOutputDirectory() throws {
        let dir = path("a/b/recon7")
        let r = try CLI.run(["reconstruct", "--seed", "7", "--out", dir])
        XCTAssertEqual(r.status, 0, r.stderr)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir)
        XCTAssertTrue(files.contains { $0.hasSuffix(".csv") }, "\(files)")
        let check = try CLI.run(["reconstruct", "--check", "--out", path("missing")])
        XCTAssertEqual(check.status, 2)
        XCTAssertTrue(check.stderr.contains("no such directory"), check.stderr)
    }

    /// A file that is not a spec is one line naming the file and what was expected, never Swift's DecodingError.
    func testNonYAMLSpecsGiveOneReadableLine() throws {
        let f = try CLI.run(["figure", "1", "--figures", "/etc/passwd"])
        XCTAssertEqual(f.status, 2)
        XCTAssertEqual(f.stderr, "surveystats: error: /etc/passwd: not a figure-spec YAML file (expected a mapping with `figures:` at the top)\n")
        let v = try CLI.run(["verify", "--spec", "/etc/passwd"])
        XCTAssertEqual(v.status, 2)
        XCTAssertEqual(v.stderr, "surveystats: error: /etc/passwd: not a reconstruction-spec YAML file (expected a mapping with `datasets:` at the top)\n")
        let bad = path("bad.yaml")
        try "figures:\n  - id: [unclosed\n".write(toFile: bad, atomically: true, encoding: .utf8)
        let syntax = try CLI.run(["figure", "1", "--figures", bad])
        XCTAssertEqual(syntax.status, 2)
        XCTAssertTrue(syntax.stderr.contains("YAML syntax error: line "), syntax.stderr)
        XCTAssertEqual(syntax.stderr.split(separator: "\n").count, 1, syntax.stderr)
        XCTAssertFalse(syntax.stderr.contains("DecodingError"), syntax.stderr)
    }

    /// `check` on malformed YAML: one message with one prefix (libyaml's dump used to take four lines).
    func testCheckOnMalformedYAMLIsOneLine() throws {
        let bad = path("claims.yaml")
        try "claims:\n  - id: [unclosed\n    value: 1\n".write(toFile: bad, atomically: true, encoding: .utf8)
        let r = try CLI.run(["check", "--claims", bad])
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
        XCTAssertTrue(r.stderr.hasPrefix("surveystats: error: \(bad): YAML syntax error: line "), r.stderr)
        XCTAssertFalse(r.stderr.contains("error: error:"), r.stderr)
    }

    /// `report`'s "86 files written …" is a diagnostic: stdout stays empty.
    func testReportSummaryGoesToStderr() throws {
        let dir = path("rep")
        let r = try CLI.run(["report", "--format", "json", "--out", dir])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "")
        XCTAssertTrue(r.stderr.hasPrefix("surveystats: 86 files written to \(dir)"), r.stderr)
    }

    /// `--out DIR` says "is a directory", whether or not --format is given.
    func testOutDirectoryIsNamedFirst() throws {
        for extra in [[], ["--format", "csv"]] {
            let r = try CLI.run(["figure", "23", "--out", tmp.path] + extra)
            XCTAssertEqual(r.status, 2, "\(extra)")
            XCTAssertTrue(r.stderr.contains("--out \(tmp.path) is a directory"), r.stderr)
            XCTAssertFalse(r.stderr.contains("extension"), r.stderr)
        }
        let a = try CLI.run(["describe", "--data", Example.csv, "--no-codebook", "samarbeid", "--out", tmp.path])
        XCTAssertEqual(a.status, 2)
        XCTAssertTrue(a.stderr.contains("is a directory"), a.stderr)
    }

    func testUnknownTableNamesTheRange() throws {
        let r = try CLI.run(["table", "6"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.hasSuffix("(tables 1–5)\n"), r.stderr)
    }
}

extension CLIOutputTests {
    /// Counts of the report's tables are JSON integers; starred published cells do not depend on --locale.
    func testReportJSONIsIntegerAndLocaleIndependent() throws {
        let en = try CLI.run(["table", "3", "--format", "json"])
        XCTAssertEqual(en.status, 0, en.stderr)
        XCTAssertFalse(en.stdout.contains("441.0"), en.stdout)
        XCTAssertTrue(en.stdout.contains("441"), en.stdout)
        let nb = try CLI.run(["table", "3", "--format", "json", "--locale", "nb"])
        XCTAssertEqual(nb.status, 0, nb.stderr)
        XCTAssertEqual(nb.stdout, en.stdout, "JSON does not change with the locale")
        XCTAssertNotNil(en.stdout.range(of: #"[0-9]\.[0-9]+\*+""#, options: .regularExpression), "starred cells keep a point")
    }

    /// `check --format json` has snake_case keys like every other JSON output.
    func testCheckJSONKeysAreSnakeCase() throws {
        let r = try CLI.run(["check", "--format", "json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        XCTAssertNotNil(object["claim_status"])
        XCTAssertNotNil(object["not_checkable"])
        XCTAssertNil(object["claimStatus"])
        XCTAssertNil(object["notCheckable"])
    }

    /// XLSX sheets of the report are "Tabell 3" / "Figur 23"; the XLSX note does not promise a decimal point.
    func testReportXLSXSheetNamesAndNote() throws {
        for (args, sheet) in [(["table", "3"], "Tabell 3"), (["figure", "23"], "Figur 23")] {
            let out = path("\(sheet).xlsx")
            let r = try CLI.run(args + ["--out", out])
            XCTAssertEqual(r.status, 0, r.stderr)
            let workbook = try unzip(out, "xl/workbook.xml")
            XCTAssertTrue(workbook.contains(#"<sheet name="\#(sheet)""#), workbook)
            let strings = try unzip(out, "xl/sharedStrings.xml")
            XCTAssertFalse(strings.contains("with their printed decimals and a decimal point"), strings)
        }
    }

    /// Successes from p·n are whole when within 1e-9 of an integer; otherwise a note says p·n is not whole.
    func testPropTestSuccessesFromProportions() throws {
        let r = try CLI.run(["prop-test", "--p1", "0.74", "--n1", "104", "--p2", "0.56", "--n2", "150", "--format", "csv"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertFalse(r.stdout.contains("84.00000000000001"), r.stdout)
        XCTAssertTrue(r.stdout.contains("sample 2,150,84,"), r.stdout)
        XCTAssertTrue(r.stdout.contains("Sample 1: successes = p·n = 0.74 × 104 = 76.96 is not a whole number"), r.stdout)
        XCTAssertFalse(r.stdout.contains("Sample 2: successes"), r.stdout)
        let json = try CLI.run(["prop-test", "--p1", "0.74", "--n1", "104", "--p2", "0.56", "--n2", "150", "--format", "json"])
        XCTAssertTrue(json.stdout.contains("\"successes\": [76.96, 84]"), json.stdout)
    }

    /// With --locale nb every number the CLI writes into titles and notes has a decimal comma; JSON a point.
    func testNotesFollowTheLocale() throws {
        let p = try CLI.run(["prop-test", "--x1", "30", "--n1", "50", "--p0", "0.5", "--locale", "nb"])
        XCTAssertEqual(p.status, 0, p.stderr)
        XCTAssertTrue(p.stdout.contains("p0 = 0,5"), p.stdout)
        let data = path("small.csv")
        try "a,b\n1,1\n1,2\n2,1\n2,2\n1,1\n2,2\n".write(toFile: data, atomically: true, encoding: .utf8)
        let c = try CLI.run(["crosstab", "--data", data, "--no-codebook", "a", "b", "--locale", "nb"])
        XCTAssertEqual(c.status, 0, c.stderr)
        XCTAssertTrue(c.stdout.contains("(100,0 %)") && c.stdout.contains("(minimum 1,50)"), c.stdout)
        let j = try CLI.run(["crosstab", "--data", data, "--no-codebook", "a", "b", "--locale", "nb", "--format", "json"])
        XCTAssertTrue(j.stdout.contains("(100.0 %)") && j.stdout.contains("(minimum 1.50)"), j.stdout)
    }

    /// verify shows the computed value with the printed number of decimals.
    func testVerifyShowsComputedValuesWithPrintedDecimals() throws {
        let r = try CLI.run(["verify"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertNil(r.stdout.range(of: #"computed [0-9]+\.[0-9]{5,} [∈∉]"#, options: .regularExpression), r.stdout)
        XCTAssertNotNil(r.stdout.range(of: #"\n\d+ passed, 0 failed\n$"#, options: .regularExpression), r.stdout)
    }
}
