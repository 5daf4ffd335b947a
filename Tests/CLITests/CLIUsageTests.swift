import Foundation
import XCTest

/// Exit codes and streams: help on stdout with 0, usage errors on stderr with 2 (not ArgumentParser's 64).
final class CLIUsageTests: XCTestCase {
    func testUnknownOptionExitsTwoOnStderr() throws {
        let r = try CLI.run(["--no-such-option"])
        XCTAssertEqual(r.status, 2, r.stderr)
        XCTAssertTrue(r.stderr.contains("--no-such-option"), r.stderr)
        XCTAssertEqual(r.stdout, "")
    }

    func testUnknownSubcommandExitsTwo() throws {
        let r = try CLI.run(["frobnicate"])
        XCTAssertEqual(r.status, 2, r.stderr)
        XCTAssertEqual(r.stdout, "")
    }

    func testVersion() throws {
        let r = try CLI.run(["--version"])
        XCTAssertEqual(r.status, 0)
        XCTAssertFalse(r.stdout.isEmpty)
    }
}
