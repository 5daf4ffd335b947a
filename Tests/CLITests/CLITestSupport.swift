import Foundation
import XCTest

/// Runs the built `surveystats` binary and captures stdout, stderr and the exit code.
struct CLIResult { let stdout: String; let stderr: String; let status: Int32 }

enum CLI {
    /// The products directory of the test bundle holds the `surveystats` executable.
    static var binary: URL {
        if let override = ProcessInfo.processInfo.environment["SURVEYSTATS_BIN"] {
            return URL(fileURLWithPath: override)
        }
        // On Linux the bundle URL is the products directory itself; on macOS it is the .xctest inside it.
        let bundle = Bundle(for: CLIAnchor.self).bundleURL
        for dir in [bundle, bundle.deletingLastPathComponent()] {
            let candidate = dir.appendingPathComponent("surveystats")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return bundle.appendingPathComponent("surveystats")
    }

    /// The package root (three levels above this file: Tests/CLITests/CLITestSupport.swift).
    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    @discardableResult
    static func run(_ arguments: [String], cwd: URL? = nil, environment: [String: String] = [:]) throws -> CLIResult {
        let p = Process()
        p.executableURL = binary
        p.arguments = arguments
        if !environment.isEmpty {
            p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
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
