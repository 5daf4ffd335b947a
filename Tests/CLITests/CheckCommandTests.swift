import Foundation
import XCTest

/// `surveystats check`: the audit of the report's published numbers (issue 4's interface).
final class CheckCommandTests: XCTestCase {
    /// Exit 0 (findings are results, not failures) and a last line of the documented form, whose counts add up.
    func testTextOutputEndsWithOneSummaryLine() throws {
        let r = try CLI.run(["check"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let last = try XCTUnwrap(r.stdout.split(separator: "\n").last.map(String.init))
        let pattern = #"^(\d+) claims, (\d+) checkable, (\d+) consistent, (\d+) inconsistent, (\d+) not checkable$"#
        let regex = try NSRegularExpression(pattern: pattern)
        let match = try XCTUnwrap(regex.firstMatch(in: last, range: NSRange(last.startIndex..., in: last)),
                                  "unexpected summary line: \(last)")
        let n = (1...5).map { Int((last as NSString).substring(with: match.range(at: $0)))! }
        let (claims, checkable, consistent, inconsistent, notCheckable) = (n[0], n[1], n[2], n[3], n[4])
        XCTAssertEqual(claims, checkable + notCheckable)
        XCTAssertEqual(checkable, consistent + inconsistent)
        XCTAssertGreaterThanOrEqual(claims, 1000, "the registry covers the catalogue's ~1080 claims")
        XCTAssertGreaterThanOrEqual(Double(checkable) / Double(claims), 0.95, "issue 4: ≥ 95 % machine-checkable")
        // Footnote 5 is among the checks: F(1, 241) = 32.27 implies R² ≈ .118, printed as .12.
        XCTAssertTrue(r.stdout.contains("32.27") || r.stdout.contains("32,27"), "footnote 5's F is audited")
    }

    /// `--format json` keeps stdout valid JSON with every finding; the summary line goes to stderr.
    func testJSONOutputIsValidAndListsFindings() throws {
        let r = try CLI.run(["check", "--format", "json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        XCTAssertFalse(object.isEmpty)
        XCTAssertTrue(r.stderr.contains("claims,") && r.stderr.contains("not checkable"), r.stderr)
        let findings = object.values.compactMap { $0 as? [Any] }.max(by: { $0.count < $1.count }) ?? []
        XCTAssertGreaterThan(findings.count, 100, "every finding is listed")
    }

    func testUnknownClaimsFileIsABadInputError() throws {
        let r = try CLI.run(["check", "--claims", "does/not/exist.yaml"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("does/not/exist.yaml"), r.stderr)
        XCTAssertEqual(r.stdout, "")
    }
}
