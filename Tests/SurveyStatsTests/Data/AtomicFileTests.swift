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
        // The umask is respected, not overridden: a private umask gives a private new file.
        try withUmask(0o077) { try AtomicFile.write("new\n", to: dir + "/private.csv") }
        XCTAssertEqual(try mode(dir + "/private.csv"), 0o600)
        // A file that is replaced keeps its permission bits, as `>` keeps them: public stays public under a
        // private umask, and a file made private stays private (a re-run must not expose a restricted result).
        try withUmask(0o077) { try AtomicFile.write("again\n", to: text) }
        XCTAssertEqual(try mode(text), 0o644)
        XCTAssertEqual(try String(contentsOfFile: text, encoding: .utf8), "again\n")
        XCTAssertEqual(chmod(stream, 0o600), 0)
        try withUmask(0o022) {
            try AtomicFile.write("secret\n", to: stream)
            try AtomicFile.writeByPath(to: stream) { temp in try Data("secret 2\n".utf8).write(to: URL(fileURLWithPath: temp)) }
        }
        XCTAssertEqual(try mode(stream), 0o600)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasPrefix(".") }, [],
                       "no temporary file left behind")
    }

    /// A path that is a symbolic link writes the file it points to (relative links against the link's directory,
    /// chains followed, a dangling link creates its target): the link stays a link, as with `>`.
    func testSymbolicLinksAreWrittenThrough() throws {
        let dir = try temporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir + "/real", withIntermediateDirectories: true)
        try AtomicFile.write("old\n", to: dir + "/real/target.csv")
        try FileManager.default.createSymbolicLink(atPath: dir + "/link.csv", withDestinationPath: "real/target.csv")
        try FileManager.default.createSymbolicLink(atPath: dir + "/link2.csv", withDestinationPath: dir + "/link.csv")
        try AtomicFile.write("new\n", to: dir + "/link2.csv")
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: dir + "/link.csv"), "real/target.csv")
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: dir + "/link2.csv"), dir + "/link.csv")
        XCTAssertEqual(try String(contentsOfFile: dir + "/real/target.csv", encoding: .utf8), "new\n")
        try FileManager.default.createSymbolicLink(atPath: dir + "/dangling.csv", withDestinationPath: "real/fresh.csv")
        try AtomicFile.writeByPath(to: dir + "/dangling.csv") { temp in try Data("fresh\n".utf8).write(to: URL(fileURLWithPath: temp)) }
        XCTAssertEqual(try String(contentsOfFile: dir + "/real/fresh.csv", encoding: .utf8), "fresh\n")
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: dir + "/dangling.csv"), "real/fresh.csv")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir + "/real").filter { $0.hasPrefix(".") }, [])
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
