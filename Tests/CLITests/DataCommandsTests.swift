import Foundation
import XCTest

/// `surveystats convert` and `surveystats codebook` on real SPSS files.
final class DataCommandsTests: XCTestCase {
    let fixtures = CLI.packageRoot.appendingPathComponent("Tests/SurveyStatsTests/Fixtures/data")

    func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("surveystats-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    func testConvertSavToCSVAndBackKeepsLabelsAndMissingCodes() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let csv = dir.appendingPathComponent("electric.csv").path
        let r = try CLI.run(["convert", fixtures.appendingPathComponent("electric.sav").path, csv, "--locale", "nb"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let yaml = try String(contentsOfFile: dir.appendingPathComponent("electric.codebook.yaml").path, encoding: .utf8)
        XCTAssertTrue(yaml.contains("missing: [9]"), yaml)
        XCTAssertTrue(yaml.contains("4: \"WEDNSDAY\""), yaml)
        let sav = dir.appendingPathComponent("back.sav").path
        XCTAssertEqual(try CLI.run(["convert", csv, sav]).status, 0)
        let original = try CLI.run(["codebook", fixtures.appendingPathComponent("electric.sav").path, "--format", "yaml"])
        let back = try CLI.run(["codebook", sav, "--format", "yaml"])
        XCTAssertEqual(original.status, 0)
        XCTAssertEqual(back.stdout, original.stdout)
        let text = try CLI.run(["codebook", sav])
        XCTAssertTrue(text.stdout.contains("9 = MISSING  (missing)"), text.stdout)
        XCTAssertTrue(text.stdout.contains("240 rows, 13 variables"), text.stdout)
    }

    func testBadInputExitsWithTwoAndLeavesNoOutput() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let bytes = try Data(contentsOf: fixtures.appendingPathComponent("electric.sav"))
        let cut = dir.appendingPathComponent("cut.sav")
        try bytes.prefix(bytes.count / 2).write(to: cut)
        let out = dir.appendingPathComponent("out.csv").path
        let r = try CLI.run(["convert", cut.path, out])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("cut.sav"), r.stderr)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
        let ragged = dir.appendingPathComponent("ragged.csv")
        try Data("a;b\n1;2\n3\n".utf8).write(to: ragged)
        let r2 = try CLI.run(["convert", ragged.path, dir.appendingPathComponent("x.sav").path])
        XCTAssertEqual(r2.status, 2)
        XCTAssertTrue(r2.stderr.contains("ragged.csv:3"), r2.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted(), ["cut.sav", "ragged.csv"])
        XCTAssertEqual(try CLI.run(["codebook", dir.appendingPathComponent("none.sav").path]).status, 2)
    }
    func testConvertToCSVWithNorwegianLocaleWritesAByteOrderMarkLikeTheOtherCommands() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let sav = fixtures.appendingPathComponent("electric.sav").path
        func firstBytes(_ args: [String]) throws -> [UInt8] {
            let out = dir.appendingPathComponent("out.csv").path
            let r = try CLI.run(["convert", sav, out] + args)
            XCTAssertEqual(r.status, 0, r.stderr)
            return Array(try Data(contentsOf: URL(fileURLWithPath: out)).prefix(3))
        }
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        XCTAssertEqual(try firstBytes(["--locale", "nb"]), bom)
        XCTAssertNotEqual(try firstBytes(["--locale", "nb", "--no-bom"]), bom)
        XCTAssertNotEqual(try firstBytes([]), bom)
        XCTAssertEqual(try firstBytes(["--bom"]), bom)   // (the other commands: CLIFormatsAndErrorsTests.testNorwegianCSV)
    }

    func testConvertNamesWhatSPSSAndPortableFilesCannotHold() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        func convert(_ csv: String, _ out: String) throws -> CLIResult {
            let input = dir.appendingPathComponent("in.csv")
            try Data(csv.utf8).write(to: input)
            return try CLI.run(["convert", input.path, dir.appendingPathComponent(out).path])
        }
        let names = try convert("id,by,Tillit (1-5)\n1,2,3\n", "n.sav")
        XCTAssertEqual(names.status, 2)
        XCTAssertTrue(names.stderr.contains("'by' is a reserved word in SPSS; 'Tillit (1-5)' contains a space"), names.stderr)
        XCTAssertTrue(names.stderr.contains("start with a letter, @, # or $"), names.stderr)
        let long = try convert("id,txt\n1,kort\n2,\(String(repeating: "x", count: 40_000))\n", "l.sav")
        XCTAssertEqual(long.status, 2)
        XCTAssertTrue(long.stderr.contains("variable 'txt' row 2 has a string of 40000 bytes, longer than SPSS's 32767 bytes"), long.stderr)
        let por = try convert("id,navn\n1,Anne\n2,Bjørn\n", "p.por")
        XCTAssertEqual(por.status, 2)
        XCTAssertTrue(por.stderr.contains("variable 'navn' row 2 has a non-ASCII character ('ø')")
                      && por.stderr.contains("write .sav instead"), por.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["in.csv"])
    }

    func testConvertKeepsStringMissingValuesAndMeasurementLevelThroughCSV() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let csv = dir.appendingPathComponent("m.csv").path
        try Data("s,q\nja,1\nX,2\nnei,3\n".utf8).write(to: URL(fileURLWithPath: csv))
        try Data("variables:\n  s:\n    type: text\n    missing: [\"X\"]\n".utf8)
            .write(to: dir.appendingPathComponent("m.codebook.yaml"))
        let sav = dir.appendingPathComponent("m.sav").path
        let first = try CLI.run(["convert", csv, sav])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertEqual(first.stderr, "")
        let back = dir.appendingPathComponent("back.csv").path
        XCTAssertEqual(try CLI.run(["convert", sav, back]).status, 0)
        let again = dir.appendingPathComponent("again.sav").path
        XCTAssertEqual(try CLI.run(["convert", back, again]).status, 0)
        let codebook = try CLI.run(["codebook", again])
        XCTAssertTrue(codebook.stdout.contains("s  [text]  format A8  valid 2, missing 1"), codebook.stdout)
        XCTAssertTrue(codebook.stdout.contains("missing: 'X'"), codebook.stdout)
    }
}
