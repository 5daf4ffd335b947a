import Foundation
import XCTest
@testable import SurveyStats

/// `AtomicFile`, the one writer behind every output file: normal permissions (the umask applies, not mkstemp's
/// 0600), nothing partial left behind, and errors that name the file the user asked for.
final class AtomicFileTests: XCTestCase {
    private func temporaryDirectory() throws -> String {
        let dir = NSTemporaryDirectory() + "atomic-file-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        return dir
    }

    private func mode(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.posixPermissions] as! NSNumber).intValue & 0o777
    }

    /// Runs `body` with the process umask set to `mask` (restored afterwards; XCTest runs tests one at a time).
    private func withUmask<R>(_ mask: mode_t, _ body: () throws -> R) rethrows -> R {
        let previous = umask(mask)
        defer { umask(previous) }
        return try body()
    }

    func testCreatedFilesGetModeFromUmask() throws {
        let dir = try temporaryDirectory()
        let text = dir + "/table.csv", stream = dir + "/data.csv", viaPath = dir + "/book.xlsx"
        try withUmask(0o022) {
            try AtomicFile.write("a;b\n1;2\n", to: text)
            try AtomicFile.write(to: stream) { file in _ = fputs("x\n", file) }
            try AtomicFile.writeByPath(to: viaPath) { temp in try Data("zip".utf8).write(to: URL(fileURLWithPath: temp)) }
            try TableExporter.write([ExportTestTable.table], as: .xlsx, to: dir + "/t.xlsx")
        }
        for path in [text, stream, viaPath, dir + "/t.xlsx"] { XCTAssertEqual(try mode(path), 0o644, path) }
        XCTAssertEqual(try String(contentsOfFile: text, encoding: .utf8), "a;b\n1;2\n")
        XCTAssertEqual(try String(contentsOfFile: stream, encoding: .utf8), "x\n")
        // The umask is respected, not overridden: a private umask gives a private file, also when replacing.
        try withUmask(0o077) { try AtomicFile.write("again\n", to: text) }
        XCTAssertEqual(try mode(text), 0o600)
        XCTAssertEqual(try String(contentsOfFile: text, encoding: .utf8), "again\n")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasPrefix(".") }, [],
                       "no temporary file left behind")
    }

    func testFailedWritesNameThePath() throws {
        let dir = try temporaryDirectory()
        // The directory does not exist.
        let missing = dir + "/no-such-dir/out.csv"
        XCTAssertThrowsError(try AtomicFile.write("x", to: missing)) { error in
            guard case DataError.io(let path, let message) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(path, missing)
            XCTAssertTrue("\(error)".hasPrefix(missing + ": "), "\(error)")
            XCTAssertTrue(message.contains("does not exist"), message)
        }
        // The target is a directory: the rename fails, the message names the target, not the temporary file.
        let occupied = dir + "/taken"
        try FileManager.default.createDirectory(atPath: occupied + "/inside", withIntermediateDirectories: true)
        XCTAssertThrowsError(try AtomicFile.write("x", to: occupied)) { error in
            guard case DataError.io(let path, let message) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(path, occupied)
            XCTAssertTrue(message.hasPrefix("cannot replace file: "), message)
            XCTAssertFalse("\(error)".contains(".tmp-"), "\(error)")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir).sorted(), ["taken"],
                       "temporary files removed after failures")
        // A failing writer: its error comes through and the existing file is untouched.
        let existing = dir + "/keep.csv"
        try AtomicFile.write("old\n", to: existing)
        struct Boom: Error {}
        XCTAssertThrowsError(try AtomicFile.write(to: existing) { file in _ = fputs("partial", file); throw Boom() }) { error in
            XCTAssertTrue(error is Boom, "\(error)")
        }
        XCTAssertEqual(try String(contentsOfFile: existing, encoding: .utf8), "old\n")
        // Exported tables go through the same writer and report the user's path.
        XCTAssertThrowsError(try TableExporter.write([ExportTestTable.table], as: .csv, to: missing)) { error in
            XCTAssertTrue("\(error)".hasPrefix(missing + ": "), "\(error)")
        }
    }
}
