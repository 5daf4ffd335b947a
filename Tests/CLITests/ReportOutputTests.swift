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
}
