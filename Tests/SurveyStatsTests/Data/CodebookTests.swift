import Foundation
import XCTest
@testable import SurveyStats

final class CodebookTests: XCTestCase {
    static let yaml = """
    # Lederundersøkelsen
    variables:
      rolle:
        label: Hvilken rolle har du?
        kind: nominal
        values:
          1: ordfører
          2: rådmann
          3: enhetsleder
          4: mellomleder
          5: veileder
      ar:
        label: År
        kind: ordinal
      q1:
        label: I hvilken grad opplever du at Nav er en god samarbeidspartner?
        kind: likert
        scale: {min: 1, max: 5}
        values: {1: I svært liten grad, 2: I liten grad, 3: Verken eller, 4: I stor grad, 5: I svært stor grad, 6: Vet ikke}
        missing: [6, 9]
      q2:
        label: Nav er vanskelig å samarbeide med
        kind: likert
        scale: [1, 5]
        reverse: true
        missing: [6, {range: [97, 99]}]
      vekt:
        kind: weight
    derived:
      q1_topp:
        label: Andel i stor eller svært stor grad
        topbox: {of: q1, values: [4, 5]}
      samarbeid:
        label: Samarbeidsindeks
        mean: {of: [q1, q2], min_valid: 1}
      q1_3:
        recode: {of: q1, map: {1: 1, 2: 1, 3: 2, 4: 3, 5: 3}}
    """

    func testParseAndApply() throws {
        let cb = try Codebook(yaml: Self.yaml, source: "cb.yaml")
        XCTAssertEqual(cb.variables.map(\.name), ["rolle", "ar", "q1", "q2", "vekt"])
        XCTAssertEqual(cb["q1"]?.valueLabels[6], "Vet ikke")
        XCTAssertEqual(cb["q1"]?.missingCodes, [6, 9])
        XCTAssertEqual(cb["q2"]?.missingRanges, [97...99])
        XCTAssertEqual(cb["q2"]?.scale, 1...5)
        XCTAssertEqual(cb.csvColumnTypes, ["vekt": .numeric])

        let csv = "rolle;ar;q1;q2;vekt\nordfører;2019;4;2;1,5\nRådmann;2019;6;98;1\n3;2020;1;;0,5\nveileder;2020;5;5;2\n"
        var d = try CSVReader.read(string: csv, source: "svar.csv")
        let report = try cb.apply(to: &d)
        XCTAssertEqual(report.warnings, [])
        XCTAssertEqual(try d.variable("rolle").numericValues(), [1, 2, 3, 5])   // labels → codes, any case
        XCTAssertEqual(try d.variable("q1").numericValues(), [4, nil, 1, 5])     // 6 = Vet ikke is missing
        XCTAssertTrue(try d.variable("q2").isMissing(1))                          // 98 in the range 97–99
        XCTAssertEqual(try d.variable("q1_topp").numericValues(), [1, nil, 0, 1])
        // q2 is reversed (6 − x): row 1: (4 + 4)/2; row 2: both missing; row 3: q1 only; row 4: (5 + 1)/2.
        XCTAssertEqual(try d.variable("samarbeid").numericValues(), [4, nil, 1, 3])
        XCTAssertEqual(try d.variable("q1_3").numericValues(), [3, nil, 1, 3])
        XCTAssertEqual(d["q1"]?.label, "I hvilken grad opplever du at Nav er en god samarbeidspartner?")
        XCTAssertEqual(d["q1"]?.kind, .likert)
    }

    func testValuesOutsideScaleByPolicy() throws {
        let csv = "q1\n1\n7\n6\n"
        var d = try CSVReader.read(string: csv, source: "s.csv")
        var cb = try Codebook(yaml: Self.yaml, source: "cb.yaml")
        XCTAssertThrowsError(try cb.apply(to: &d)) { e in
            XCTAssertEqual("\(e)", "s.csv: row 2: variable 'q1': value 7 is outside the scale 1–5 declared in cb.yaml:18 and is not a missing code")
        }
        cb.invalidValues = .warn
        var d2 = try CSVReader.read(string: csv, source: "s.csv")
        cb.derived = []
        let report = try cb.apply(to: &d2)
        XCTAssertTrue(report.warnings.contains { $0.contains("row 2: variable 'q1': value 7 is outside the scale") })
        XCTAssertTrue(report.warnings.contains { $0.contains("'rolle' is not in s.csv") })
    }

    func testUnknownLabelInTextColumnIsAnError() throws {
        var d = try CSVReader.read(string: "rolle\nordfører\nborgermester\n", source: "s.csv")
        let cb = try Codebook(yaml: "variables:\n  rolle:\n    values: {1: ordfører}\n", source: "cb.yaml")
        XCTAssertThrowsError(try cb.apply(to: &d)) { e in
            XCTAssertEqual("\(e)", "s.csv: row 2: variable 'rolle': 'borgermester' is neither a code nor a value label in cb.yaml:3")
        }
    }

    func testValidationMessagesNameVariableKeyAndLine() {
        func message(_ yaml: String) -> String {
            do { _ = try Codebook(yaml: yaml, source: "cb.yaml"); return "no error" } catch { return "\(error)" }
        }
        XCTAssertEqual(message("variables:\n  q1:\n    kind: likertt\n"),
                       "cb.yaml:3: variable 'q1', key 'kind': 'likertt' is not one of likert, nominal, ordinal, numeric, weight, id, text")
        XCTAssertTrue(message("variables:\n  q1:\n    lable: x\n").hasPrefix("cb.yaml:3: variable 'q1': unknown key 'lable' (did you mean 'label'?)"))
        XCTAssertEqual(message("variables:\n  q1:\n    values: {a: x}\n"),
                       "cb.yaml:3: variable 'q1', key 'values': code 'a' is not a number (add 'type: text' for a text variable)")
        XCTAssertEqual(message("variables:\n  q1:\n    scale: {min: 5, max: 1}\n"),
                       "cb.yaml:3: variable 'q1', key 'scale': min (5.0) must be less than max (1.0)")
        XCTAssertTrue(message("variables:\n  q1:\n    reverse: true\n").contains("'reverse: true' needs a scale"))
        XCTAssertTrue(message("variables:\n  q1:\n    missing: [x]\n").contains("variable 'q1', key 'missing': 'x' is not a number"))
        XCTAssertTrue(message("derived:\n  t:\n    topbox: {of: q1}\n").contains("derived variable 't', key 'topbox': 'values'"))
        XCTAssertTrue(message("derived:\n  t:\n    label: x\n").contains("give one of recode, topbox, mean"))
        XCTAssertTrue(message("derived:\n  m:\n    mean: {of: [a, b], min_valid: 3}\n").contains("3 is more than the 2 items"))
        XCTAssertTrue(message("varables: {}\n").contains("unknown key 'varables' (did you mean 'variables'?)"))
        XCTAssertTrue(message("variables:\n  q1: [\n").contains("YAML syntax error"))
        XCTAssertTrue(message("variables:\n  q1:\n    label: a\n  q1:\n    label: b\n").contains("'q1' appears twice"))
        XCTAssertEqual(message(""), "no error")
    }

    func testYAMLRoundTrip() throws {
        let cb = try Codebook(yaml: Self.yaml, source: "cb.yaml")
        let again = try Codebook(yaml: cb.yamlString(), source: "cb.yaml")
        XCTAssertEqual(again, cb)
        let tricky = Codebook(variables: [CodebookVariable(name: "yes", label: "a: \"b\" # c\nd", type: .text,
                                                           textValueLabels: ["no": "Nei", "1": "én"],
                                                           textMissingValues: ["u", ""])], source: "cb.yaml")
        XCTAssertEqual(try Codebook(yaml: tricky.yamlString(), source: "cb.yaml"), tricky)
    }

    /// Messages about a file's values name the data file's line and the codebook's line (CODEBOOK.md).
    func testMessagesNameFileLines() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cb-lines-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let csv = dir.appendingPathComponent("sc.csv").path
        try Data("q1,q2\n1,2\n\n2,3\n3,4\n6,1\n".utf8).write(to: URL(fileURLWithPath: csv))
        var d = try CSVReader.read(path: csv)
        let cb = try Codebook(yaml: "variables:\n  q1:\n    kind: likert\n    scale: [1, 5]\n", source: "sc.yaml")
        XCTAssertThrowsError(try cb.apply(to: &d)) { e in
            XCTAssertEqual("\(e)", "\(csv):6:1: variable 'q1': value 6 is outside the scale 1–5 declared in sc.yaml:4 and is not a missing code")
        }
        var d2 = try CSVReader.read(path: csv)
        let derived = try Codebook(yaml: "variables:\n  q1:\n    label: x\nderived:\n  z:\n    topbox: {of: nope, values: [4, 5]}\n",
                                   source: "der4.yaml")
        XCTAssertThrowsError(try derived.apply(to: &d2)) { e in
            XCTAssertTrue("\(e)".hasPrefix("der4.yaml:5: derived variable 'z': unknown variable 'nope'"), "\(e)")
        }
        let bad = dir.appendingPathComponent("cbw.yaml").path
        try Data([UInt8]("variables:\n  q1:\n    label: \"".utf8) + [0xE5, 0x22, 0x0A]).write(to: URL(fileURLWithPath: bad))
        XCTAssertThrowsError(try Codebook(path: bad)) { e in
            XCTAssertEqual("\(e)", "\(bad):3:13: codebook is not valid UTF-8 (save it as UTF-8)")
        }
    }
}
