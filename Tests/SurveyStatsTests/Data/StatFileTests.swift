import Foundation
import XCTest
@testable import SurveyStats

enum DataFixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/data")
    static func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("surveystats-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// Compares everything a round trip must preserve.
func assertSameData(_ a: Dataset, _ b: Dataset, textMissing: Bool = true, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.variableNames, b.variableNames, file: file, line: line)
    XCTAssertEqual(a.rowCount, b.rowCount, file: file, line: line)
    for (x, y) in zip(a.variables, b.variables) {
        XCTAssertEqual(x.label, y.label, x.name, file: file, line: line)
        XCTAssertEqual(x.valueLabels, y.valueLabels, x.name, file: file, line: line)
        XCTAssertEqual(x.textValueLabels, y.textValueLabels, x.name, file: file, line: line)
        XCTAssertEqual(x.missingCodes, y.missingCodes, x.name, file: file, line: line)
        XCTAssertEqual(x.missingRanges, y.missingRanges, x.name, file: file, line: line)
        if textMissing { XCTAssertEqual(x.textMissingValues, y.textMissingValues, x.name, file: file, line: line) }
        XCTAssertEqual(x.kind, y.kind, x.name, file: file, line: line)
        XCTAssertEqual(x.format, y.format, x.name, file: file, line: line)
        switch (x.values, y.values) {
        case let (.numeric(c), .numeric(d)):
            let u = (0..<c.count).map { c.value(at: $0) }, v = (0..<d.count).map { d.value(at: $0) }
            XCTAssertEqual(u, v, x.name, file: file, line: line)
        case let (.text(s), .text(t)):
            XCTAssertEqual(s, t, x.name, file: file, line: line)
        default:
            XCTFail("\(x.name): numeric/text mismatch", file: file, line: line)
        }
    }
}

final class StatFileTests: XCTestCase {
    func testSPSSFileWrittenBySPSSCarriesLabelsAndUserMissing() throws {
        let d = try StatFileReader.read(path: DataFixtures.path("testdata.sav"))
        XCTAssertEqual(d.rowCount, 5)
        let range = try d.variable("numeric_long_label")
        XCTAssertEqual(range.missingRanges, [1...2])
        let coded = try d.variable("factor_n_coded_miss")
        XCTAssertEqual(coded.missingCodes, [99])
        XCTAssertEqual(coded.valueLabels[99], "no answer")
        XCTAssertEqual(coded.label, "numeric factor with coded missing values")
        XCTAssertEqual(try d.variable("factor_numeric").missingRanges, [-1...0])
        XCTAssertEqual(try d.variable("factor_numeric").kind, .ordinal)
        let s = try d.variable("factor_s_coded_miss")
        XCTAssertEqual(s.textValueLabels, ["m": "male", "f": "female", "u": "unknown"])
        XCTAssertEqual(s.textMissingValues, ["u", "v", "w"])
        XCTAssertTrue(s.isMissing(4))     // "u" is user-missing
        XCTAssertEqual(try d.variable("factor_n_long_value_label").valueLabels[2]?.hasSuffix("| } ~ €"), true)

        let electric = try StatFileReader.read(path: DataFixtures.path("electric.sav"))
        XCTAssertEqual(electric.rowCount, 240)
        XCTAssertEqual(electric["DAYOFWK"]?.missingCodes, [9])
        XCTAssertEqual(electric["DAYOFWK"]?.valueLabels[1], "SUNDAY")
        XCTAssertEqual(electric["HT58"]?.label, "STATURE, 1958 -- TO NEAREST 0.1 INCH")
    }

    func testIrisFromHavenInSavAndDtaAgree() throws {
        let sav = try StatFileReader.read(path: DataFixtures.path("iris.sav"))
        let dta = try StatFileReader.read(path: DataFixtures.path("iris.dta"))
        XCTAssertEqual(sav.rowCount, 150); XCTAssertEqual(dta.rowCount, 150)
        // haven stored the Stata columns as float: the doubles are the floats' exact values.
        XCTAssertEqual(try sav.variable("Sepal.Length").numericValues().map { $0.map { Double(Float($0)) } },
                       try dta.variable("sepallength").numericValues())
        XCTAssertEqual(try sav.variable("Sepal.Length").numericValues().first, 5.1)
        XCTAssertEqual(sav["Species"]?.valueLabels, [1: "setosa", 2: "versicolor", 3: "virginica"])
        guard case .text(let species) = dta["species"]!.values else { return XCTFail() }
        XCTAssertEqual(species.first, "setosa")
        XCTAssertEqual(dta["sepallength"]?.label, "Sepal.Length")
    }

    func testSavRoundTripThroughReadStatWriter() throws {
        let dir = try DataFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        for name in ["testdata.sav", "electric.sav", "iris.sav"] {
            let original = try StatFileReader.read(path: DataFixtures.path(name))
            for ext in ["sav", "zsav"] {
                let out = dir.appendingPathComponent("copy.\(ext)").path
                XCTAssertEqual(try StatFileWriter.write(original, to: out), [])
                assertSameData(original, try StatFileReader.read(path: out))
            }
        }
        // SPSS portable (.por): written and read back by ReadStat (no third-party .por fixture available).
        let electric = try StatFileReader.read(path: DataFixtures.path("electric.sav"))
        let por = dir.appendingPathComponent("electric.por").path
        try StatFileWriter.write(electric, to: por)
        let back = try StatFileReader.read(path: por)
        XCTAssertEqual(back.rowCount, 240)
        for v in electric.variables {
            let w = try back.variable(v.name)
            XCTAssertEqual(w.label, v.label, v.name)
            XCTAssertEqual(w.valueLabels, v.valueLabels, v.name)
            XCTAssertEqual(w.missingCodes, v.missingCodes, v.name)
            if v.isNumeric { XCTAssertEqual(try w.numericValues(), try v.numericValues(), v.name) }
        }
        let iris = try StatFileReader.read(path: DataFixtures.path("iris.dta"))
        let out = dir.appendingPathComponent("iris.dta").path
        XCTAssertEqual(try StatFileWriter.write(iris, to: out), [])
        assertSameData(iris, try StatFileReader.read(path: out))
    }

    func testSavToCSVAndCodebookAndBackIsLossless() throws {
        let dir = try DataFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        for name in ["testdata.sav", "electric.sav", "iris.sav"] {
            let original = try StatFileReader.read(path: DataFixtures.path(name))
            for options in [CSVWriter.Options(), .norwegian] {
                let csv = dir.appendingPathComponent("data.csv").path
                let yaml = dir.appendingPathComponent("data.codebook.yaml").path
                try CSVWriter.write(original, to: csv, options: options)
                try AtomicFile.write(Codebook(dataset: original).yamlString(), to: yaml)
                let back = try Dataset.load(path: csv, codebook: try Codebook(path: yaml))
                assertSameData(original, back)
                let sav = dir.appendingPathComponent("back.sav").path
                try StatFileWriter.write(back, to: sav)
                assertSameData(original, try StatFileReader.read(path: sav))
            }
        }
    }

    func testCorruptAndTruncatedFilesGiveErrors() throws {
        let dir = try DataFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let bytes = try Data(contentsOf: URL(fileURLWithPath: DataFixtures.path("electric.sav")))
        for cut in [10, 200, 1000, bytes.count / 2, bytes.count - 7] {
            let path = dir.appendingPathComponent("cut.sav").path
            try bytes.prefix(cut).write(to: URL(fileURLWithPath: path))
            XCTAssertThrowsError(try StatFileReader.read(path: path), "cut at \(cut)") { e in
                XCTAssertTrue("\(e)".hasPrefix(path + ": "), "\(e)")
            }
        }
        let garbage = dir.appendingPathComponent("garbage.sav").path
        try Data("this is not an SPSS file".utf8).write(to: URL(fileURLWithPath: garbage))
        XCTAssertThrowsError(try StatFileReader.read(path: garbage))
        XCTAssertThrowsError(try StatFileReader.read(path: dir.appendingPathComponent("none.sav").path)) { e in
            XCTAssertTrue("\(e)".hasSuffix("file not found"))
        }
    }

    func testFailedWriteLeavesNoFile() throws {
        let dir = try DataFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var bad = Variable(name: "x", values: .numeric(NumericColumn([1, 2])))
        bad.missingCodes = [1, 2, 3, 4]          // SPSS holds at most three
        let out = dir.appendingPathComponent("bad.sav").path
        XCTAssertThrowsError(try StatFileWriter.write(Dataset(source: "t", variables: [bad]), to: out))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), [])
    }
}
