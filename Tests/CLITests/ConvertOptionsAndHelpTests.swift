import Foundation
import XCTest

/// convert: help that says what is read and written; --decimal-point as in every command that reads CSV.
final class ConvertOptionsTests: XCTestCase {
    func testHelpSaysWhichFormatsAreReadAndWhichWritten() throws {
        let raw = try CLI.run(["convert", "--help"])
        XCTAssertEqual(raw.status, 0)
        let r = CLIResult(stdout: raw.stdout.split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " "),
                          stderr: raw.stderr, status: raw.status)
        XCTAssertTrue(r.stdout.contains("writes .sav, .zsav, .por, .dta and .csv"), r.stdout)
        XCTAssertTrue(r.stdout.contains("SAS files (.sas7bdat, .xpt) can be read but not written"), r.stdout)
        XCTAssertFalse(r.stdout.contains("Convert between"), r.stdout)
        XCTAssertTrue(r.stdout.contains("--decimal-point"), r.stdout)
    }

    func testDecimalPointIsAnOptionOfConvert() throws {
        // A ';' file with "1,5" is sniffed as decimal comma; --decimal-point forces the point, so "1,5" is text
        // (as every analysis reads it with --decimal-point: not a number).
        let csv = try temporaryCSV("id;x\n1;1,5\n2;2,5\n", name: "dc.csv")
        let dir = URL(fileURLWithPath: csv).deletingLastPathComponent()
        let out = dir.appendingPathComponent("out.csv").path
        let sniffed = try CLI.run(["convert", csv, out, "--no-codebook"])
        XCTAssertEqual(sniffed.status, 0, sniffed.stderr)
        XCTAssertEqual(try String(contentsOfFile: out, encoding: .utf8), "id,x\n1,1.5\n2,2.5\n")
        let point = try CLI.run(["convert", csv, out, "--no-codebook", "--decimal-point"])
        XCTAssertEqual(point.status, 0, point.stderr)
        XCTAssertEqual(try String(contentsOfFile: out, encoding: .utf8), "id,x\n1,\"1,5\"\n2,\"2,5\"\n")
        let describe = try CLI.run(["describe", "x", "--data", csv, "--decimal-point"])
        XCTAssertEqual(describe.status, 2)
        XCTAssertTrue(describe.stderr.contains("'1,5' is not a number"), describe.stderr)
        let both = try CLI.run(["convert", csv, out, "--decimal-point", "--decimal-comma"])
        XCTAssertEqual(both.status, 2)
        XCTAssertTrue(both.stderr.contains("--decimal-comma and --decimal-point contradict each other"), both.stderr)
    }
}

/// ttest, anova and prop-test refuse --weight; their help says so and why.
final class WeightHelpTests: XCTestCase {
    func testHelpOfUnweightedTestsSaysWeightIsRefused() throws {
        for command in ["ttest", "anova", "prop-test", "describe"] {
            let r = try CLI.run([command, "--help"])
            XCTAssertEqual(r.status, 0)
            let help = r.stdout.replacingOccurrences(of: "\n", with: " ").split(separator: " ").joined(separator: " ")
            XCTAssertTrue(help.contains("ttest, anova and prop-test refuse it: their tests have no weighted form"), "\(command): \(help)")
        }
    }
}
