import Foundation
import XCTest

/// convert to .sav: labels longer than SPSS holds warn; values SPSS reads back as missing are refused.
final class ConvertSPSSLimitsTests: XCTestCase {
    func testLongLabelsWarnWhenWritingSav() throws {
        let csv = try temporaryCSV("q\n1\n2\n", name: "longlab.csv")
        let dir = URL(fileURLWithPath: csv).deletingLastPathComponent()
        let value = String(repeating: "a", count: 119) + "øøø"
        try "variables:\n  q:\n    label: '\(String(repeating: "ø", count: 200))'\n    values: {1: '\(value)', 2: kort}\n"
            .write(to: dir.appendingPathComponent("longlab.codebook.yaml"), atomically: true, encoding: .utf8)
        let sav = dir.appendingPathComponent("longlab.sav").path
        let r = try CLI.run(["convert", csv, sav])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stderr, """
            surveystats: warning: q: variable label shortened from 400 to 256 bytes (SPSS holds at most 256 bytes in a variable label; cut between characters)
            surveystats: warning: q: value label 1 shortened from 125 to 119 bytes (SPSS holds at most 120 bytes in a value label; cut between characters)

            """)
        let back = try CLI.run(["codebook", sav, "--format", "json"])
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(back.stdout.utf8)) as? [String: Any])
        let q = try XCTUnwrap((object["variables"] as? [[String: Any]])?.first)
        XCTAssertEqual(q["label"] as? String, String(repeating: "ø", count: 128))
        XCTAssertEqual((q["value_labels"] as? [[String: Any]])?.first?["label"] as? String, String(repeating: "a", count: 119))
    }

    func testValueSPSSReadsAsMissingIsRefused() throws {
        let csv = try temporaryCSV("x,t\n1e-20,a\n1.7976931348623157e308,b\n", name: "prec.csv")
        let dir = URL(fileURLWithPath: csv).deletingLastPathComponent()
        for ext in ["sav", "zsav"] {
            let r = try CLI.run(["convert", csv, dir.appendingPathComponent("prec.\(ext)").path])
            XCTAssertEqual(r.status, 2, ext)
            XCTAssertEqual(r.stderr, "surveystats: error: \(dir.appendingPathComponent("prec.\(ext)").path): cannot write variable 'x' row 2: the value 1.7976931348623157e+308 is the one SPSS reserves for HIGHEST and reads back as missing\n", ext)
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["prec.csv"])
    }
}
