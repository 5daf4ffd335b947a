import Foundation
import XCTest

/// Runs the built `surveystats` binary and captures stdout, stderr and the exit code.
struct CLIResult { let stdout: String; let stderr: String; let status: Int32 }

enum CLI {
    /// The products directory of the test bundle holds the `surveystats` executable.
    static var binary: URL {
        let bundle = Bundle(for: CLIAnchor.self).bundleURL
        return bundle.deletingLastPathComponent().appendingPathComponent("surveystats")
    }

    /// The package root (three levels above this file: Tests/CLITests/CLITestSupport.swift).
    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    @discardableResult
    static func run(_ arguments: [String], cwd: URL? = nil) throws -> CLIResult {
        let p = Process()
        p.executableURL = binary
        p.arguments = arguments
        p.currentDirectoryURL = cwd ?? packageRoot
        let out = Pipe(), err = Pipe()
        p.standardOutput = out; p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return CLIResult(stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self),
                         status: p.terminationStatus)
    }
}

final class CLIAnchor {}

final class CLISmokeTests: XCTestCase {
    func testVersionAndHelp() throws {
        let r = try CLI.run(["--help"])
        XCTAssertEqual(r.status, 0)
        XCTAssertTrue(r.stdout.contains("surveystats"))
    }
}
