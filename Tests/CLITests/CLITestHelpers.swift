import Foundation
import XCTest

/// Shared helpers of the CLI tests: the example data set, the scipy/statsmodels reference values, JSON access.
enum Example {
    static let csv = "datasets/examples/ledere.csv"

    /// Tests/CLITests/Fixtures/cli_reference.json, written by scripts/reference/cli_examples.py.
    static let reference: [String: Any] = {
        let url = CLI.packageRoot.appendingPathComponent("Tests/CLITests/Fixtures/cli_reference.json")
        guard let data = try? Data(contentsOf: url),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [:] }
        return object
    }()

    static func ref(_ path: String...) -> Any? {
        var current: Any? = reference
        for key in path { current = (current as? [String: Any])?[key] }
        return current
    }

    static func refDouble(_ path: String...) -> Double {
        var current: Any? = reference
        for key in path { current = (current as? [String: Any])?[key] }
        return (current as? NSNumber)?.doubleValue ?? .nan
    }

    static func refDoubles(_ path: String...) -> [Double] {
        var current: Any? = reference
        for key in path { current = (current as? [String: Any])?[key] }
        return (current as? [NSNumber])?.map(\.doubleValue) ?? []
    }
}

/// Runs the command, asserts exit 0 and an empty stderr, and parses stdout as a JSON object.
func runJSON(_ args: [String], file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
    let r = try CLI.run(args + ["--format", "json"])
    XCTAssertEqual(r.status, 0, "stderr: \(r.stderr)", file: file, line: line)
    let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8))
    return try XCTUnwrap(object as? [String: Any], "not a JSON object: \(r.stdout)", file: file, line: line)
}

func double(_ any: Any?) -> Double { (any as? NSNumber)?.doubleValue ?? .nan }
func doubles(_ any: Any?) -> [Double] { (any as? [Any])?.map { double($0) } ?? [] }

/// |a − b| ≤ tol·max(1, |b|): agreement with the reference program to `tol` (1e-10 = ten digits).
func assertClose(_ a: Double, _ b: Double, tol: Double = 1e-10, _ what: String = "",
                 file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertFalse(b.isNaN, "reference value missing for \(what)", file: file, line: line)
    XCTAssertLessThanOrEqual(abs(a - b), tol * max(1, abs(b)), "\(what): \(a) vs reference \(b)", file: file, line: line)
}

func assertClose(_ a: [Double], _ b: [Double], tol: Double = 1e-10, _ what: String = "",
                 file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, "\(what): lengths", file: file, line: line)
    for (x, y) in zip(a, b) { assertClose(x, y, tol: tol, what, file: file, line: line) }
}

/// Writes `text` as `name` into a fresh temporary directory and returns the file's path (for small inputs a
/// test builds inline; the name shows up in error messages).
func temporaryCSV(_ text: String, name: String = "data.csv") throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let url = dir.appendingPathComponent(name)
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url.path
}

/// One member of a zip archive (an XLSX workbook written by the CLI) as text, read with `unzip -p`.
func unzip(_ archive: String, _ member: String) throws -> String {
    let unzip = "/usr/bin/unzip"
    XCTAssertTrue(FileManager.default.isExecutableFile(atPath: unzip), "unzip is needed (scripts/lib/install-deps.sh installs it)")
    let p = Process()
    p.executableURL = URL(fileURLWithPath: unzip)
    p.arguments = ["-p", archive, member]
    let pipe = Pipe()
    p.standardOutput = pipe
    try p.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
}

/// The same data four ways, for tests that must give the same output whatever the source: `csv` read with an SPSS
/// codebook and with a Stata codebook (YAML texts written beside it as STEM-spss.yaml / STEM-stata.yaml), and the
/// .sav and .dta files `convert` writes from those (STEM.sav, STEM.dta). Each source is a name and its data arguments.
func convertedSources(csv: String, stem: String, spssCodebook: String, stataCodebook: String) -> [(name: String, args: [String])] {
    let dir = URL(fileURLWithPath: csv).deletingLastPathComponent()
    let spss = dir.appendingPathComponent("\(stem)-spss.yaml").path, stata = dir.appendingPathComponent("\(stem)-stata.yaml").path
    try! spssCodebook.write(toFile: spss, atomically: true, encoding: .utf8)
    try! stataCodebook.write(toFile: stata, atomically: true, encoding: .utf8)
    let sav = dir.appendingPathComponent("\(stem).sav").path, dta = dir.appendingPathComponent("\(stem).dta").path
    for (codebook, out) in [(spss, sav), (stata, dta)] {
        let r = try! CLI.run(["convert", csv, out, "--codebook", codebook])
        XCTAssertEqual(r.status, 0, r.stderr)
    }
    return [("csv+spss", ["--data", csv, "--codebook", spss]), ("csv+stata", ["--data", csv, "--codebook", stata]),
            ("sav", ["--data", sav]), ("dta", ["--data", dta])]
}
