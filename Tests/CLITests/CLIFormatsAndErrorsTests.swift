import Foundation
import XCTest

/// Every command renders in every format; bad input gives one line on stderr and exit 2; `--out` never leaves
/// a partial file.
final class CLIFormatsAndErrorsTests: XCTestCase {
    private var tmp: URL!

    override func setUpWithError() throws {
        tmp = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: tmp) }

    private let commands: [[String]] = [
        ["describe", "--data", Example.csv, "--no-codebook", "samarbeid", "--by", "rolle"],
        ["ttest", "--data", Example.csv, "--no-codebook", "samarbeid", "--by", "sektor"],
        ["anova", "--data", Example.csv, "--no-codebook", "samarbeid", "--by", "rolle"],
        ["crosstab", "--data", Example.csv, "--no-codebook", "rolle", "sektor"],
        ["prop-test", "--p1", "0.74", "--n1", "104", "--p2", "0.56", "--n2", "150"],
        ["regress", "--data", Example.csv, "--no-codebook", "samarbeid ~ likeverd + C(rolle)"],
    ]

    func testEveryCommandRendersEveryTextFormat() throws {
        for args in commands {
            for format in ["text", "markdown", "csv", "json", "latex", "html"] {
                let r = try CLI.run(args + ["--format", format])
                XCTAssertEqual(r.status, 0, "\(args[0]) \(format): \(r.stderr)")
                XCTAssertFalse(r.stdout.isEmpty, "\(args[0]) \(format)")
                switch format {
                case "markdown": XCTAssertTrue(r.stdout.contains("| --: |") || r.stdout.contains("| :-- |"), args[0])
                case "latex": XCTAssertTrue(r.stdout.contains("\\toprule") && r.stdout.contains("\\bottomrule"), args[0])
                case "html": XCTAssertTrue(r.stdout.hasPrefix("<!DOCTYPE html>") && r.stdout.contains("<meta charset=\"utf-8\">"), args[0])
                case "json": XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)), args[0])
                case "csv": XCTAssertTrue(r.stdout.split(separator: "\n").contains { $0.contains(",") }, args[0])
                default: XCTAssertTrue(r.stdout.contains("──"), args[0])
                }
            }
        }
    }

    func testXLSXOutStoresNumbersAsNumbers() throws {
        for (i, args) in commands.enumerated() {
            let out = tmp.appendingPathComponent("r\(i).xlsx")
            let r = try CLI.run(args + ["--out", out.path])  // format from the extension
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertEqual(r.stdout, "")
            let xml = try unzip(out.path, "xl/worksheets/sheet1.xml")
            // At least one numeric cell: <c r="B4" s="N"><v>number</v></c> (no t="s").
            XCTAssertNotNil(xml.range(of: #"<c r="[A-Z]+[0-9]+" s="[0-9]+"><v>-?[0-9.eE+-]+</v></c>"#, options: .regularExpression),
                            "\(args[0]): no numeric cell in \(xml.prefix(400))")
        }
    }

    func testNorwegianCSV() throws {
        let r = try CLI.run(["describe", "--data", Example.csv, "--no-codebook", "samarbeid", "--format", "csv", "--locale", "nb"])
        XCTAssertEqual(r.status, 0, r.stderr)
        // The table's title, then its header (a single table is titled like each of several).
        XCTAssertTrue(r.stdout.hasPrefix("\u{FEFF}Descriptive statistics\nVariable;n;Missing;Mean;SD;SE;Median;Min;Max\n"), r.stdout)
        XCTAssertTrue(r.stdout.contains("samarbeid;59;1;3,45322033898305"), r.stdout)
        let noBOM = try CLI.run(["describe", "--data", Example.csv, "--no-codebook", "samarbeid", "--format", "csv", "--locale", "nb", "--no-bom"])
        XCTAssertTrue(noBOM.stdout.hasPrefix("Descriptive statistics\nVariable;"))
    }

    func testOutWritesFileAndNothingOnStdout() throws {
        let out = tmp.appendingPathComponent("t.md")
        let r = try CLI.run(["anova", "--data", Example.csv, "--no-codebook", "samarbeid", "--by", "rolle", "--out", out.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "")
        XCTAssertTrue(try String(contentsOf: out, encoding: .utf8).contains("| Between groups |"))
    }

    // MARK: - Bad input

    private func assertBadInput(_ args: [String], mentions: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let r = try CLI.run(args)
        XCTAssertEqual(r.status, 2, "exit code; stderr: \(r.stderr)", file: file, line: line)
        XCTAssertEqual(r.stdout, "", file: file, line: line)
        let lines = r.stderr.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, "one line on stderr: \(r.stderr)", file: file, line: line)
        for m in mentions { XCTAssertTrue(r.stderr.contains(m), "stderr should mention \(m): \(r.stderr)", file: file, line: line) }
        XCTAssertFalse(r.stderr.contains("Fatal") || r.stderr.contains("crashed"), file: file, line: line)
    }

    func testMissingFile() throws {
        try assertBadInput(["describe", "--data", "no/such/file.csv", "x"], mentions: ["no/such/file.csv"])
    }

    func testUnknownColumnIsNamed() throws {
        for args in [["describe", "--data", Example.csv, "--no-codebook", "samarbied"],
                     ["ttest", "--data", Example.csv, "--no-codebook", "samarbeid", "--by", "sektr"],
                     ["crosstab", "--data", Example.csv, "--no-codebook", "rolle", "nope"],
                     ["regress", "--data", Example.csv, "--no-codebook", "samarbeid ~ likevrd"]] {
            let name = args.last!.split(separator: " ").last.map(String.init)!.replacingOccurrences(of: "'", with: "")
            try assertBadInput(args, mentions: [name == "sektor" ? "sektr" : name])
        }
    }

    func testNonNumericCellGivesLineNumber() throws {
        let csv = tmp.appendingPathComponent("bad.csv")
        try "id,score,group\n1,3.5,a\n2,4.0,b\n3,four,a\n4,2.5,b\n".write(to: csv, atomically: true, encoding: .utf8)
        for args in [["describe", "--data", csv.path, "score"],
                     ["ttest", "--data", csv.path, "score", "--by", "group"],
                     ["regress", "--data", csv.path, "score ~ id"]] {
            try assertBadInput(args, mentions: ["bad.csv:4", "score", "four"])
        }
    }

    func testTooFewObservations() throws {
        let csv = tmp.appendingPathComponent("few.csv")
        try "y,g\n1.5,a\n2.5,b\n3.5,b\n".write(to: csv, atomically: true, encoding: .utf8)
        // Student's pooled test accepts a group of one when n₁ + n₂ ≥ 3, as from summaries:
        // stats.ttest_ind([1.5],[2.5,3.5]) → t=-1.7320508075688774, p=0.33333333333333337, df=1
        let student = try runJSON(["ttest", "--data", csv.path, "y", "--by", "g"])
        assertClose(double(student["t"]), -1.7320508075688774, tol: 1e-13, "Student t with n₁ = 1")
        assertClose(double(student["p"]), 0.33333333333333337, tol: 1e-12, "Student p with n₁ = 1")
        XCTAssertEqual(student["df"] as? Int, 1)
        // Welch needs each group's variance.
        try assertBadInput(["ttest", "--data", csv.path, "y", "--by", "g", "--welch"], mentions: ["'a'", "at least 2", "Welch"])
        let two = tmp.appendingPathComponent("two.csv")
        try "y,g\n1.5,a\n2.5,b\n".write(to: two, atomically: true, encoding: .utf8)
        try assertBadInput(["anova", "--data", two.path, "y", "--by", "g"], mentions: ["ANOVA"])
        try assertBadInput(["regress", "--data", two.path, "y ~ g"], mentions: ["regression", "residual"])
        let one = tmp.appendingPathComponent("one.csv")
        try "y\n1.5\n\n".write(to: one, atomically: true, encoding: .utf8)
        try assertBadInput(["ttest", "--data", one.path, "y", "--mu", "0"], mentions: ["at least 2"])
        let empty = tmp.appendingPathComponent("empty.csv")
        try "y,g\n,a\nNA,b\n".write(to: empty, atomically: true, encoding: .utf8)
        try assertBadInput(["crosstab", "--data", empty.path, "y", "g"], mentions: ["crosstab"])
    }

    func testNegativeOrInfiniteWeightIsBadInputInEveryCommand() throws {
        let csv = tmp.appendingPathComponent("neg.csv")
        try "x,g,w\n1,a,1\n2,b,2\n3,a,-1\n4,b,1\n5,a,1\n".write(to: csv, atomically: true, encoding: .utf8)
        for args in [["describe", "x"], ["likert", "x", "--scale", "1-5"], ["crosstab", "x", "g"], ["regress", "x ~ g"]] {
            // file:line:column, as the reader's own errors, then the variable.
            try assertBadInput(args + ["--data", csv.path, "--weight", "w"],
                               mentions: ["neg.csv:4:3: column 'w': the weight is -1; weights must be finite"])
        }
        // After --where the line is still the file's.
        try assertBadInput(["describe", "x", "--data", csv.path, "--weight", "w", "--where", "x > 1"],
                           mentions: ["neg.csv:4:3: column 'w'"])
        let inf = tmp.appendingPathComponent("inf.csv")
        try "x,w\n1,1\n2,inf\n".write(to: inf, atomically: true, encoding: .utf8)
        // A CSV cell cannot hold an infinite weight (the reader refuses 'inf' with its line); SPSS/Stata files can.
        try assertBadInput(["describe", "x", "--data", inf.path, "--weight", "w"], mentions: ["inf.csv:3:2: column 'w': 'inf' is not a number"])
    }

    func testUsageErrorsExitTwo() throws {
        let r = try CLI.run(["ttest", "--data", Example.csv, "--no-codebook", "samarbeid"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("--by"), r.stderr)
        let bad = try CLI.run(["describe", "--data", Example.csv, "--no-codebook", "samarbeid", "--format", "pdf"])
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.stderr.contains("pdf"), bad.stderr)
    }

    func testFailedRunLeavesNoOutputFile() throws {
        let out = tmp.appendingPathComponent("result.xlsx")
        let r = try CLI.run(["describe", "--data", Example.csv, "--no-codebook", "nosuch", "--out", out.path])
        XCTAssertEqual(r.status, 2)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path))
        // An existing file is left untouched by a failed run.
        let csvOut = tmp.appendingPathComponent("keep.csv")
        try "old".write(to: csvOut, atomically: true, encoding: .utf8)
        let r2 = try CLI.run(["regress", "--data", Example.csv, "--no-codebook", "samarbeid ~ nosuch", "--out", csvOut.path])
        XCTAssertEqual(r2.status, 2)
        XCTAssertEqual(try String(contentsOf: csvOut, encoding: .utf8), "old")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: tmp.path).sorted(), ["keep.csv"])
    }

    func testHelpTeachesWithExamples() throws {
        for command in ["describe", "likert", "crosstab", "ttest", "anova", "prop-test", "regress"] {
            let r = try CLI.run([command, "--help"])
            XCTAssertEqual(r.status, 0)
            XCTAssertTrue(r.stdout.contains("Examples:"), command)
            XCTAssertTrue(r.stdout.contains("surveystats \(command)"), command)
            XCTAssertTrue(r.stdout.contains("--format"), command)
        }
    }
}
