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
}
