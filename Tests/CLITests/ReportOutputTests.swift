import Foundation
import XCTest

/// The output side of `figure`, `table`, `report`, `verify` and `check`, and `--out` for every command: files say
/// the data are synthetic in every format, `--out` names what it wrote and refuses contradictions, and errors are
/// one clear line with the command's prefix.
final class ReportOutputTests: XCTestCase {
    private var tmp: URL!

    override func setUpWithError() throws {
        tmp = FileManager.default.temporaryDirectory.appendingPathComponent("cli-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: tmp) }

    private func path(_ name: String) -> String { tmp.appendingPathComponent(name).path }

    // MARK: - CSV carries notes and titles

    func testReportCSVFilesSayTheDataAreSynthetic() throws {
        let dir = path("rep-csv")
        let r = try CLI.run(["report", "--format", "csv", "--out", dir])
        XCTAssertEqual(r.status, 0, r.stderr)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".csv") }
        XCTAssertEqual(files.count, 87, "81 figures, 5 tables and the index")
        for f in files {
            let text = try String(contentsOfFile: dir + "/" + f, encoding: .utf8).lowercased()
            XCTAssertTrue(text.contains("synthetic") || text.contains("reconstructed"), f)
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/index.csv"), "the index is in the chosen format")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/index.md"))
        // Same format again replaces the report; another format would mix files and is refused.
        let again = try CLI.run(["report", "--format", "csv", "--out", dir])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stderr.contains("replacing"), again.stderr)
        XCTAssertEqual(again.stdout, "", "the summary is a diagnostic (stderr)")
        let mixed = try CLI.run(["report", "--format", "html", "--out", dir])
        XCTAssertEqual(mixed.status, 2)
        XCTAssertTrue(mixed.stderr.hasPrefix("surveystats: ") && mixed.stderr.contains("another format"), mixed.stderr)
    }

    func testAnalysisCSVKeepsNotesAndTitle() throws {
        let t = try CLI.run(["ttest", "--data", Example.csv, "--no-codebook", "samarbeid", "--by", "sektor", "--format", "csv"])
        XCTAssertEqual(t.status, 0, t.stderr)
        XCTAssertTrue(t.stdout.contains("Difference = mean("), t.stdout)
        XCTAssertTrue(t.stdout.contains("Rows:"), t.stdout)
        let l = try CLI.run(["likert", "--data", Example.csv, "--no-codebook", "samarbeid", "--scale", "1-5", "--format", "csv"])
        XCTAssertEqual(l.status, 0, l.stderr)
        XCTAssertTrue(l.stdout.hasPrefix("samarbeid"), "the title names the item: \(l.stdout)")
    }

    // MARK: - Published numbers are numbers, one decimal convention per table

    func testTableUsesOneDecimalConvention() throws {
        let en = try CLI.run(["table", "4"])
        XCTAssertEqual(en.status, 0, en.stderr)
        XCTAssertTrue(en.stdout.contains("25.7") && en.stdout.contains("24.2") && !en.stdout.contains("25,7"), en.stdout)
        let nb = try CLI.run(["table", "4", "--locale", "nb"])
        XCTAssertEqual(nb.status, 0, nb.stderr)
        XCTAssertTrue(nb.stdout.contains("25,7") && nb.stdout.contains("24,2") && !nb.stdout.contains("24.2"), nb.stdout)
        let html = try CLI.run(["figure", "23", "--format", "html"])
        XCTAssertTrue(html.stdout.contains("<html lang=\"nb\">"), "the report's tables are Norwegian")
    }

    func testFigureHelpListsFormatsAndExamples() throws {
        for command in ["figure", "table", "report", "verify", "check", "reconstruct"] {
            let r = try CLI.run([command, "--help"])
            XCTAssertEqual(r.status, 0)
            XCTAssertTrue(r.stdout.contains("Examples:") && r.stdout.contains("surveystats \(command)"), command)
        }
        for command in ["figure", "table", "report"] {
            let r = try CLI.run([command, "--help"])
            let words = r.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")  // help text wraps
            XCTAssertTrue(words.contains("(values: text, markdown, csv, json, latex, html, xlsx)"), command)
            XCTAssertTrue(r.stdout.contains("--locale"), command)
        }
    }

    // MARK: - --out

    func testOutSaysWhatItWroteAndInfersOrChecksTheFormat() throws {
        let csv = path("keep.csv")
        let args = ["describe", "--data", Example.csv, "--no-codebook", "samarbeid"]
        let first = try CLI.run(args + ["--out", csv])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertEqual(first.stderr, "surveystats: wrote \(csv)\n")
        XCTAssertTrue(try String(contentsOfFile: csv, encoding: .utf8).contains("samarbeid,"), "CSV from the extension")
        let second = try CLI.run(args + ["--out", csv])
        XCTAssertEqual(second.stderr, "surveystats: wrote \(csv) (replaced the existing file)\n")

        let contradiction = try CLI.run(args + ["--out", path("out.xlsx"), "--format", "csv"])
        XCTAssertEqual(contradiction.status, 2)
        XCTAssertTrue(contradiction.stderr.contains("contradicts"), contradiction.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("out.xlsx")))

        let unknown = try CLI.run(args + ["--out", path("out.foo")])
        XCTAssertEqual(unknown.status, 2)
        XCTAssertTrue(unknown.stderr.contains("--format"), unknown.stderr)
        let explicit = try CLI.run(args + ["--out", path("out.foo"), "--format", "csv"])
        XCTAssertEqual(explicit.status, 0, explicit.stderr)

        let fig = try CLI.run(["figure", "24", "--out", path("f.xlsx")])
        XCTAssertEqual(fig.status, 0, fig.stderr)
        XCTAssertTrue(fig.stderr.contains("wrote"), fig.stderr)
        let bad = try CLI.run(["table", "1", "--out", path("t.md"), "--format", "csv"])
        XCTAssertEqual(bad.status, 2)
    }

    // MARK: - Clear errors

    func testReportOutIsARegularFile() throws {
        let file = path("afile")
        try "x".write(toFile: file, atomically: true, encoding: .utf8)
        let r = try CLI.run(["report", "--out", file])
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(r.stderr, "surveystats: error: --out \(file) exists and is not a directory\n")
        XCTAssertFalse(r.stderr.contains("NSCocoaErrorDomain"))
    }

    func testMissingDefaultInputsOutsideTheRepository() throws {
        for (command, file, option) in [("figure", "figures.yaml", "--figures"), ("verify", "reconstruction.yaml", "--spec"),
                                        ("check", "claims.yaml", "--claims"), ("reconstruct", "reconstruction.yaml", "--spec")] {
            let r = try CLI.run(command == "figure" ? [command, "23"] : [command], cwd: tmp)
            XCTAssertEqual(r.status, 2, command)
            XCTAssertEqual(r.stdout, "", command)
            XCTAssertEqual(r.stderr, "surveystats: error: datasets/afi-2020/\(file): no such file "
                           + "(run from the repository root, or pass \(option) FILE)\n", command)
        }
    }

    // MARK: - verify output

    func testVerifyFailuresOnlyLeavesOutInconsistentClaims() throws {
        let r = try CLI.run(["verify", "--failures-only"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertFalse(r.stdout.contains("inconsistent "), r.stdout)
        XCTAssertNotNil(r.stdout.range(of: #"\n\d+ passed, 0 failed\n$"#, options: .regularExpression), r.stdout)
    }

    // MARK: - verify --format and --out

    /// The counts of the text summary lines ("I claims unsatisfiable …; U claims are not about …" and
    /// "P passed, F failed") and the number of claim lines above them.
    private func textSummary(_ stdout: String) throws -> (passed: Int, failed: Int, inconsistent: Int, untargeted: Int, lines: Int) {
        let lines = stdout.split(separator: "\n").map(String.init)
        XCTAssertGreaterThanOrEqual(lines.count, 2, stdout)
        func numbers(_ line: String) -> [Int] {
            line.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        }
        let context = numbers(lines[lines.count - 2]), verdict = numbers(lines[lines.count - 1])
        XCTAssertEqual(context.count, 2, lines[lines.count - 2]); XCTAssertEqual(verdict.count, 2, lines[lines.count - 1])
        return (verdict[0], verdict[1], context[0], context[1], lines.count - 2)
    }

    /// A claims registry whose rule for one verified claim (fig1-sjeldnere-enn-arlig-ca10, computed 12 %) is moved
    /// to [50, 60], so that verify fails exactly that claim.
    private func registryFailingOneClaim() throws -> String {
        let original = try String(contentsOf: CLI.packageRoot.appendingPathComponent("datasets/afi-2020/claims.yaml"), encoding: .utf8)
        let start = try XCTUnwrap(original.range(of: "- id: fig1-sjeldnere-enn-arlig-ca10\n"))
        let bounds = try XCTUnwrap(original.range(of: "    lo: 8.0\n    hi: 12.0\n", range: start.upperBound..<original.endIndex))
        let file = path("claims-one-failing.yaml")
        try original.replacingCharacters(in: bounds, with: "    lo: 50.0\n    hi: 60.0\n").write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    func testVerifyJSONCountsAgreeWithTheTextSummary() throws {
        let text = try CLI.run(["verify"])
        XCTAssertEqual(text.status, 0, text.stderr)
        let summary = try textSummary(text.stdout)
        let r = try CLI.run(["verify", "--format", "json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stderr, "\(summary.passed) passed, 0 failed\n", "the verdict on stderr, stdout pure JSON")
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(json["command"] as? String, "verify")
        XCTAssertEqual(json["passed"] as? Int, summary.passed)
        XCTAssertEqual(json["failed"] as? Int, 0)
        XCTAssertEqual(json["inconsistent"] as? Int, summary.inconsistent)
        XCTAssertEqual(json["not_about_microdata"] as? Int, summary.untargeted)
        XCTAssertEqual(json["claims_total"] as? Int, summary.lines)
        XCTAssertEqual(json["summary"] as? String, "\(summary.passed) passed, 0 failed")
        // Counts are JSON integers, not 373.0.
        XCTAssertNotNil(r.stdout.range(of: #""passed": \d+,"#, options: .regularExpression), r.stdout)
        let claims = try XCTUnwrap(json["claims"] as? [[String: Any]])
        XCTAssertEqual(claims.count, summary.lines)
        XCTAssertEqual(claims.filter { $0["status"] as? String == "pass" }.count, summary.passed)
        XCTAssertEqual(claims.filter { $0["status"] as? String == "inconsistent" }.count, summary.inconsistent)
        // Same claims in the same order as the text lines.
        let textIDs = text.stdout.split(separator: "\n").dropLast(2).map { $0.split(separator: " ", omittingEmptySubsequences: true)[1] }
        XCTAssertEqual(claims.map { $0["id"] as? String ?? "" }, textIDs.map(String.init))

        let ca10 = try XCTUnwrap(claims.first { $0["id"] as? String == "fig1-sjeldnere-enn-arlig-ca10" })
        XCTAssertEqual(ca10["published"] as? String, "10")
        XCTAssertEqual(ca10["computed"] as? String, "12 ∈ [8, 12]")
        XCTAssertEqual(ca10["datasets"] as? [String], ["ordforer-radmann-2019"])
        XCTAssertEqual(ca10["line"] as? Int, 546)
        XCTAssertTrue((ca10["quote"] as? String)?.hasPrefix("Antall kontorer som møtes sjeldnere") ?? false)
        let rule = try XCTUnwrap(ca10["rule"] as? [String: Any])
        XCTAssertEqual(rule["type"] as? String, "interval")
        XCTAssertEqual(rule["lo"] as? Double, 8); XCTAssertEqual(rule["hi"] as? Double, 12)
        XCTAssertEqual(rule["lo_closed"] as? Bool, true); XCTAssertEqual(rule["hi_closed"] as? Bool, true)
        XCTAssertTrue(ca10["note"] is NSNull)
        // An inconsistent claim carries the audit findings that explain it.
        let inconsistent = try XCTUnwrap(claims.first { $0["status"] as? String == "inconsistent" })
        XCTAssertTrue((inconsistent["note"] as? String)?.hasPrefix("audit: ") ?? false, "\(inconsistent)")
    }

    func testVerifyMarkdownCSVAndOutWithTheFormatFromTheExtension() throws {
        let md = try CLI.run(["verify", "--format", "markdown"])
        XCTAssertEqual(md.status, 0, md.stderr)
        XCTAssertTrue(md.stdout.contains("| claim | status | published | computed | datasets | note |"), md.stdout)
        XCTAssertTrue(md.stdout.contains(#"| fig1-sjeldnere-enn-arlig-ca10 | pass | 10 | 12 ∈ \[8, 12\] | ordforer-radmann-2019 |"#), md.stdout)
        XCTAssertNotNil(md.stdout.range(of: #"\n\d+ passed, 0 failed\n$"#, options: .regularExpression), "the verdict is the table's last note")

        let csv = path("verify.csv")
        let r = try CLI.run(["verify", "--out", csv])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "")
        XCTAssertTrue(r.stderr.hasPrefix("surveystats: wrote \(csv)\n"), r.stderr)
        let file = try String(contentsOfFile: csv, encoding: .utf8)
        XCTAssertTrue(file.contains("\nclaim,status,published,computed,datasets,note\n"), file)
        XCTAssertTrue(file.contains("\nfig1-sjeldnere-enn-arlig-ca10,pass,10,\"12 ∈ [8, 12]\",ordforer-radmann-2019,\n"), file)

        let json = path("verify.json")
        XCTAssertEqual(try CLI.run(["verify", "--out", json]).status, 0)
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [String: Any]
        XCTAssertEqual(object?["failed"] as? Int, 0)

        let latex = try CLI.run(["verify", "--out", path("verify.tex")])
        XCTAssertEqual(latex.status, 2)
        XCTAssertTrue(latex.stderr.contains("verify writes text, json, markdown or csv, not latex"), latex.stderr)
        let contradiction = try CLI.run(["verify", "--format", "json", "--out", path("v.csv")])
        XCTAssertEqual(contradiction.status, 2)
        XCTAssertTrue(contradiction.stderr.contains("contradicts"), contradiction.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("v.csv")))
        XCTAssertEqual(try CLI.run(["verify", "--format", "html"]).status, 2)
    }

    func testVerifyFailingClaimExitsOneInEveryFormat() throws {
        let claims = try registryFailingOneClaim()
        let text = try CLI.run(["verify", "--claims", claims, "--failures-only"])
        XCTAssertEqual(text.status, 1, text.stderr)
        XCTAssertTrue(text.stdout.hasPrefix("FAIL         fig1-sjeldnere-enn-arlig-ca10  published 10  computed 12 ∉ [50, 60]\n"), text.stdout)
        let summary = try textSummary(text.stdout)
        XCTAssertEqual(summary.failed, 1)
        XCTAssertEqual(summary.lines, 1)

        let r = try CLI.run(["verify", "--claims", claims, "--failures-only", "--format", "json"])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertEqual(r.stderr, "\(summary.passed) passed, 1 failed\n")
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(json["passed"] as? Int, summary.passed)
        XCTAssertEqual(json["failed"] as? Int, 1)
        XCTAssertEqual(json["inconsistent"] as? Int, summary.inconsistent)
        XCTAssertEqual(json["claims_total"] as? Int, summary.passed + 1 + summary.inconsistent, "all claims, not only those shown")
        let shown = try XCTUnwrap(json["claims"] as? [[String: Any]])
        XCTAssertEqual(shown.count, 1, "--failures-only lists the failure alone")
        XCTAssertEqual(shown.first?["id"] as? String, "fig1-sjeldnere-enn-arlig-ca10")
        XCTAssertEqual(shown.first?["status"] as? String, "fail")
        XCTAssertEqual(shown.first?["computed"] as? String, "12 ∉ [50, 60]")
        XCTAssertEqual((shown.first?["rule"] as? [String: Any])?["lo"] as? Double, 50)

        let csv = try CLI.run(["verify", "--claims", claims, "--failures-only", "--format", "csv"])
        XCTAssertEqual(csv.status, 1, csv.stderr)
        XCTAssertTrue(csv.stdout.contains("\nfig1-sjeldnere-enn-arlig-ca10,fail,10,\"12 ∉ [50, 60]\",ordforer-radmann-2019,\n"), csv.stdout)
        let out = path("failing.md")
        let md = try CLI.run(["verify", "--claims", claims, "--out", out])
        XCTAssertEqual(md.status, 1, "the file is written and the exit status still says a claim failed")
        XCTAssertTrue(try String(contentsOfFile: out, encoding: .utf8).contains("| fig1-sjeldnere-enn-arlig-ca10 | fail |"))
    }
}
