import Foundation
import XCTest
@testable import SurveyStats

/// What `StatFileWriter` refuses, converts or keeps that SPSS/Stata readers depend on: string lengths, SPSS names,
/// string missing values, measurement levels, dates between .sav and .dta, and .por's ASCII-only text.
final class StatFileWriterTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws { directory = try DataFixtures.temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    func text(_ name: String, _ values: [String?]) -> Variable { Variable(name: name, values: .text(values)) }

    /// The error message of writing `dataset` to `name` (fails the test when writing succeeds).
    func writeError(_ dataset: Dataset, _ name: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            try StatFileWriter.write(dataset, to: path(name))
            XCTFail("writing \(name) succeeded", file: file, line: line)
            return ""
        } catch {
            XCTAssertFalse(FileManager.default.fileExists(atPath: path(name)), "partial \(name) left", file: file, line: line)
            return "\(error)"
        }
    }

    // MARK: Long strings

    func testLongStringsUpToTheSPSSLimitRoundTripExactly() throws {
        // 255/256 is where .sav switches to 255-byte segments; 'ø' straddles the first segment boundary and the
        // 'æ' column is all two-byte characters (32766 bytes).
        let values = ["b255": String(repeating: "a", count: 255), "b256": String(repeating: "b", count: 256),
                      "b300": String(repeating: "c", count: 300), "b20k": String(repeating: "d", count: 20_000),
                      "mix": String(repeating: "x", count: 254) + "ø", "uu": String(repeating: "æ", count: 16_383)]
        let names = values.keys.sorted()
        let dataset = Dataset(source: "t", variables: names.map { text($0, [values[$0], "kort", nil]) })
        for ext in ["sav", "zsav"] {
            XCTAssertEqual(try StatFileWriter.write(dataset, to: path("long.\(ext)")), [])
            let back = try StatFileReader.read(path: path("long.\(ext)"))
            for name in names {
                guard case .text(let t) = try back.variable(name).values else { return XCTFail(name) }
                XCTAssertEqual(t, [values[name], "kort", nil], "\(ext) \(name)")
                XCTAssertEqual(try back.variable(name).format, "A\(values[name]!.utf8.count)", "\(ext) \(name)")
            }
        }
    }

    func testStringLongerThanTheFormatHoldsIsAnErrorNamingVariableAndRow() throws {
        let tooLong = Dataset(source: "t", variables: [text("txt", ["kort", String(repeating: "x", count: 32_768)])])
        let sav = writeError(tooLong, "x.sav")
        XCTAssertTrue(sav.contains("variable 'txt' row 2 has a string of 32768 bytes, longer than SPSS's 32767 bytes"), sav)
        let dta = writeError(Dataset(source: "t", variables: [text("s", [String(repeating: "x", count: 2046)])]), "x.dta")
        XCTAssertTrue(dta.contains("variable 's' row 1 has a string of 2046 bytes, longer than Stata's 2045 bytes"), dta)
        XCTAssertTrue(dta.contains("write .sav"), dta)
        let por = writeError(Dataset(source: "t", variables: [text("s", [String(repeating: "x", count: 256)])]), "x.por")
        XCTAssertTrue(por.contains("variable 's' row 1 has a string of 256 bytes, longer than the SPSS portable format's 255 bytes"), por)
        // A declared width the format cannot hold is not used when the values fit.
        var declared = text("s", ["abc"])
        declared.format = "A40000"
        try StatFileWriter.write(Dataset(source: "t", variables: [declared]), to: path("d.sav"))
        XCTAssertEqual(try StatFileReader.read(path: path("d.sav")).variable("s").format, "A3")
    }

    func testSegmentThatWouldTakeAVariablesShortNameIsRefused() throws {
        // After 36 segments ReadStat's segment names repeat: the 36th of 'a20000' is called A20000 itself.
        let own = writeError(Dataset(source: "t", variables: [text("a20000", [String(repeating: "d", count: 20_000)])]), "o.sav")
        XCTAssertTrue(own.contains("text variable 'a20000' (20000 bytes)") && own.contains("'A20000', its own short name"), own)
        // The first segment of 'txt' is called TXT1, like the variable 'txt1'.
        let other = writeError(Dataset(source: "t", variables: [text("txt", [String(repeating: "d", count: 300)]),
                                                                text("txt1", ["x"])]), "t.zsav")
        XCTAssertTrue(other.contains("'TXT1', the short name of variable 'txt1'"), other)
        // The same lengths under names that do not clash are written and read back.
        let fine = Dataset(source: "t", variables: [text("a2", [String(repeating: "d", count: 20_000)]),
                                                    text("txt", [String(repeating: "d", count: 300)]), text("other", ["x"])])
        try StatFileWriter.write(fine, to: path("fine.sav"))
        XCTAssertEqual(try StatFileReader.read(path: path("fine.sav")).variableNames, ["a2", "txt", "other"])
    }

    func testShortNamesFollowReadStat() {
        let (short, segments) = StatFileWriter.savShortNames(["abcdefghij", "ABCDEFGHxx", "txt"], widths: [8, 8, 600])
        XCTAssertEqual(short, ["ABCDEFGH", "V2_A", "TXT"])
        XCTAssertEqual(segments, [[], [], ["TXT1", "TXT2"]])
    }

    // MARK: SPSS names

    func testSPSSNameRules() {
        for good in ["q1", "Æresord", "@x", "#t", "$v", "a.b_c@#$", String(repeating: "n", count: 64), "byx"] {
            XCTAssertNil(StatFileWriter.spssNameProblem(good, maxBytes: 64), good)
        }
        let bad: [(String, String)] = [("by", "is a reserved word in SPSS"), ("WITH", "is a reserved word in SPSS"),
                                       ("1x", "does not start with a letter, @, # or $"), ("_x", "does not start with a letter, @, # or $"),
                                       ("a b", "contains a space"), ("a-b", "contains '-'"), ("a.", "ends with '.'"),
                                       (String(repeating: "n", count: 65), "is longer than 64 bytes"), ("", "is empty")]
        for (name, problem) in bad {
            XCTAssertEqual(StatFileWriter.spssNameProblem(name, maxBytes: 64), problem, name)
        }
    }

    func testNamesSPSSCannotTakeAreRefusedWithTheRule() throws {
        let dataset = Dataset(source: "t", variables: [Variable(name: "by", values: .numeric(NumericColumn([1]))),
                                                       Variable(name: "ok", values: .numeric(NumericColumn([1]))),
                                                       Variable(name: "Tillit (1-5)", values: .numeric(NumericColumn([1])))])
        let message = writeError(dataset, "n.sav")
        XCTAssertTrue(message.contains("'by' is a reserved word in SPSS; 'Tillit (1-5)' contains a space"), message)
        XCTAssertTrue(message.contains("at most 64 bytes") && message.contains("ALL AND BY EQ GE GT LE LT NE NOT OR TO WITH"), message)
        XCTAssertFalse(message.contains("'ok'"), message)
        // Stata's rules are not SPSS's: `by` is a fine Stata name.
        XCTAssertEqual(try StatFileWriter.write(Dataset(source: "t", variables: [dataset.variables[0]]), to: path("n.dta")), [])
    }

    func testStataNameRules() {
        for good in ["q1", "_x", "Æresord", "by", String(repeating: "ø", count: 32), "str0", "str2046", "strLx"] {
            XCTAssertNil(StatFileWriter.stataNameProblem(good), good)
        }
        let bad: [(String, String)] = [("_cons", "is a reserved word in Stata"), ("str244", "is a reserved word in Stata"),
                                       ("strL", "is a reserved word in Stata"), ("1x", "does not start with a letter or _"),
                                       ("a b", "contains a space"), ("a.b", "contains '.'"), ("", "is empty"),
                                       (String(repeating: "n", count: 33), "is longer than 32 characters (33)")]
        for (name, problem) in bad {
            XCTAssertEqual(StatFileWriter.stataNameProblem(name), problem, name)
        }
    }

    /// ReadStat wrote a 39-character name (the bundled kontor-2019 has several) into a .dta that Stata cannot
    /// read; a labelled variable of 29–32 characters got a 33–36-character label name "<name>_lbl".
    func testNamesStataCannotTakeAreRefusedAndLabelNamesFit() throws {
        let long = "kommunale_tjenester_kontoret_avkrysning"
        let dataset = Dataset(source: "t", variables: [Variable(name: long, values: .numeric(NumericColumn([1]))),
                                                       Variable(name: "ok", values: .numeric(NumericColumn([1])))])
        let message = writeError(dataset, "n.dta")
        XCTAssertTrue(message.contains("'\(long)' is longer than 32 characters (39)"), message)
        XCTAssertTrue(message.contains("or write .sav"), message)
        XCTAssertFalse(message.contains("'ok'"), message)
        XCTAssertEqual(try StatFileWriter.write(dataset, to: path("n.sav")), [])   // SPSS takes 64 bytes
        var labelled = Variable(name: String(repeating: "x", count: 30), values: .numeric(NumericColumn([1, 2])))
        labelled.valueLabels = [1: "Ja", 2: "Nei"]
        try StatFileWriter.write(Dataset(source: "t", variables: [labelled]), to: path("l.dta"))
        let back = try StatFileReader.read(path: path("l.dta"))
        XCTAssertEqual(back.variables[0].name, labelled.name)
        XCTAssertEqual(back.variables[0].valueLabels, [1: "Ja", 2: "Nei"])
    }

    // MARK: String missing values and measurement levels

    func testStringMissingValuesAreWrittenToSPSSFiles() throws {
        var s = text("s", ["X", "ja", "Æø", nil])
        s.textMissingValues = ["X", "Æø", "abcdefghijk"]
        s.textValueLabels = ["X": "Ugyldig", "ja": "Ja"]
        let dataset = Dataset(source: "t", variables: [s])
        for ext in ["sav", "zsav"] {
            let warnings = try StatFileWriter.write(dataset, to: path("m.\(ext)"))
            XCTAssertEqual(warnings, ["s: missing value 'abcdefghijk' not stored (SPSS holds string missing values of at most 8 bytes)"])
            let back = try StatFileReader.read(path: path("m.\(ext)")).variable("s")
            XCTAssertEqual(back.textMissingValues, ["X", "Æø"], ext)
            XCTAssertEqual(back.textValueLabels, ["X": "Ugyldig", "ja": "Ja"], ext)
        }
        var ascii = text("s", ["X", "ja"])
        ascii.textMissingValues = ["X"]
        try StatFileWriter.write(Dataset(source: "t", variables: [ascii]), to: path("m.por"))
        XCTAssertEqual(try StatFileReader.read(path: path("m.por")).variable("S").textMissingValues, ["X"])
        XCTAssertEqual(try StatFileWriter.write(Dataset(source: "t", variables: [ascii]), to: path("m.dta")),
                       ["s: missing values 'X' not stored (Stata has no user-missing values)"])
        s.textMissingValues = ["A", "B", "C", "D"]
        let four = writeError(Dataset(source: "t", variables: [s]), "four.sav")
        XCTAssertTrue(four.contains("variable 's': SPSS allows at most 3 missing values"), four)
    }

    func testTextWithoutMeasurementLevelKeepsNone() throws {
        var nominal = text("nominal", ["a"])
        nominal.kind = .text
        let dataset = Dataset(source: "t", variables: [text("unknown", ["a"]), nominal])
        try StatFileWriter.write(dataset, to: path("k.sav"))
        let back = try StatFileReader.read(path: path("k.sav"))
        XCTAssertNil(try back.variable("unknown").kind)
        XCTAssertEqual(try back.variable("nominal").kind, .text)
        // And again through the codebook, as `convert x.sav x.csv; convert x.csv y.sav` goes.
        let book = Codebook(dataset: back)
        XCTAssertNil(book.variables.first { $0.name == "unknown" }?.kind)
    }

    // MARK: Dates between SPSS and Stata

    func testDatesAndTimesAreConvertedBetweenSavAndDta() throws {
        // SPSS seconds since 1582-10-14: 2020-01-01, 1959-12-31 (before Stata's zero); 2020-01-01T12:30:15.5;
        // 08:15:30 as a time.
        let day = 86_400.0
        let jan2020 = Double(TemporalFormat.dayNumber(year: 2020, month: 1, day: 1) - TemporalFormat.spssEpochDay) * day
        let dec1959 = Double(TemporalFormat.dayNumber(year: 1959, month: 12, day: 31) - TemporalFormat.spssEpochDay) * day
        func numeric(_ name: String, _ values: [Double?], _ format: String) -> Variable {
            var v = Variable(name: name, values: .numeric(NumericColumn(values)))
            v.format = format
            return v
        }
        let sav = Dataset(source: "t", variables: [
            numeric("dato", [jan2020, dec1959, nil], "DATE11"),
            numeric("tid", [jan2020 + 45_015.5, jan2020, nil], "DATETIME23.2"),
            numeric("klokke", [29_730, 0, nil], "TIME8"),
            numeric("tall", [1.5, 2, nil], "F8.2"),
        ])
        XCTAssertEqual(try StatFileWriter.write(sav, to: path("d.dta")), [])
        let dta = try StatFileReader.read(path: path("d.dta"))
        XCTAssertEqual(dta.variables.map(\.format), ["%td", "%tc", "%tcHH:MM:SS", "%9.0g"])
        XCTAssertEqual(try dta.variable("dato").numericValues(), [21_915, -1, nil])            // days since 1960-01-01
        XCTAssertEqual(try dta.variable("tid").numericValues(), [1_893_456_000_000 + 45_015_500, 1_893_456_000_000, nil])
        XCTAssertEqual(try dta.variable("klokke").numericValues(), [29_730_000, 0, nil])
        XCTAssertEqual(try dta.variable("tall").numericValues(), [1.5, 2, nil])
        // The CSV text is the same from either file.
        XCTAssertEqual(CSVWriter.string(dta), CSVWriter.string(sav))
        XCTAssertTrue(CSVWriter.string(sav).contains("2020-01-01,2020-01-01T12:30:15.5,08:15:30,1.5"), CSVWriter.string(sav))

        // And back: the original SPSS values and date formats.
        XCTAssertEqual(try StatFileWriter.write(dta, to: path("back.sav")), [])
        let back = try StatFileReader.read(path: path("back.sav"))
        XCTAssertEqual(back.variables.prefix(3).map(\.format), ["DATE11", "DATETIME23.2", "TIME8"])
        for name in ["dato", "tid", "klokke"] {
            XCTAssertEqual(try back.variable(name).numericValues(), try sav.variable(name).numericValues(), name)
        }
    }

    // MARK: Labels longer than SPSS holds

    /// SPSS holds 256 bytes in a variable label and 120 in a value label: a longer one is cut at a character
    /// boundary (ReadStat would cut inside 'ø'), with a warning naming the variable, the label and the limit.
    func testLongLabelsAreCutBetweenCharactersWithAWarning() throws {
        let long = String(repeating: "ø", count: 200)                             // 400 bytes
        let value = String(repeating: "a", count: 119) + "øøø"                    // 125 bytes; byte 120 is inside 'ø'
        var q = Variable(name: "q", label: long, values: .numeric(NumericColumn([1, 2])))
        q.valueLabels = [1: value, 2: "kort"]
        var s = Variable(name: "s", values: .text(["x", "y"]))
        s.textValueLabels = ["x": String(repeating: "é", count: 61)]              // 122 bytes
        let dataset = Dataset(source: "t", variables: [q, s])
        for ext in ["sav", "zsav"] {
            let warnings = try StatFileWriter.write(dataset, to: path("l.\(ext)"))
            XCTAssertEqual(warnings, [
                "q: variable label shortened from 400 to 256 bytes (SPSS holds at most 256 bytes in a variable label; cut between characters)",
                "q: value label 1 shortened from 125 to 119 bytes (SPSS holds at most 120 bytes in a value label; cut between characters)",
                "s: value label 'x' shortened from 122 to 120 bytes (SPSS holds at most 120 bytes in a value label; cut between characters)",
            ], ext)
            let back = try StatFileReader.read(path: path("l.\(ext)"))
            XCTAssertEqual(try back.variable("q").label, String(repeating: "ø", count: 128), ext)
            XCTAssertEqual(try back.variable("q").valueLabels, [1: String(repeating: "a", count: 119), 2: "kort"], ext)
            XCTAssertEqual(try back.variable("s").textValueLabels, ["x": String(repeating: "é", count: 60)], ext)
        }
        // Labels that fit are written as they are, without a warning; Stata files hold these lengths.
        var fits = Variable(name: "q", label: String(repeating: "ø", count: 128), values: .numeric(NumericColumn([1])))
        fits.valueLabels = [1: String(repeating: "æ", count: 60)]
        XCTAssertEqual(try StatFileWriter.write(Dataset(source: "t", variables: [fits]), to: path("fits.sav")), [])
        XCTAssertEqual(try StatFileWriter.write(dataset, to: path("l.dta")).filter { $0.contains("shortened") }, [])
        // A letter and its combining accent (NFD) stay together: 'e' + U+0301 is 3 bytes, cut before it, not after 'e'.
        var warnings: [String] = []
        XCTAssertEqual(StatFileWriter.fittedLabel("ab" + "e\u{301}", limit: 4, what: "v: variable label", warnings: &warnings), "ab")
        XCTAssertEqual(warnings.count, 1)
    }

    // MARK: Values SPSS reserves

    /// SPSS reads −DBL_MAX (SYSMIS), the next double up (LOWEST) and DBL_MAX (HIGHEST) back as missing: writing
    /// one to .sav/.zsav is an error naming variable and row, as Stata's range error is; the doubles next to them
    /// are ordinary values and round-trip.
    func testValuesSPSSReservesAreRefused() throws {
        let max = Double.greatestFiniteMagnitude
        for (x, name) in [(max, "HIGHEST"), (-max, "system-missing (SYSMIS)"), ((-max).nextUp, "LOWEST")] {
            let dataset = Dataset(source: "t", variables: [Variable(name: "x", values: .numeric(NumericColumn([1, x])))])
            for ext in ["sav", "zsav"] {
                let message = writeError(dataset, "r.\(ext)")
                XCTAssertTrue(message.contains("cannot write variable 'x' row 2: the value \(x) is the one SPSS reserves for \(name) and reads back as missing"), message)
            }
        }
        let near = [max.nextDown, (-max).nextUp.nextUp, 1e308, -1e308]
        let dataset = Dataset(source: "t", variables: [Variable(name: "x", values: .numeric(NumericColumn(near)))])
        XCTAssertEqual(try StatFileWriter.write(dataset, to: path("near.sav")), [])
        XCTAssertEqual(try StatFileReader.read(path: path("near.sav")).variable("x").numericValues(), near)
    }

    // MARK: .por text

    func testPortableFileTextMustBeASCII() throws {
        let value = writeError(Dataset(source: "t", variables: [text("navn", ["Anne", "Bjørn"])]), "p.por")
        XCTAssertTrue(value.contains("variable 'navn' row 2 has a non-ASCII character ('ø')"), value)
        XCTAssertTrue(value.contains("ASCII text only: write .sav instead"), value)
        var labelled = Variable(name: "q", label: "Påstand", values: .numeric(NumericColumn([1])))
        let label = writeError(Dataset(source: "t", variables: [labelled]), "l.por")
        XCTAssertTrue(label.contains("the label of variable 'q' has a non-ASCII character ('å')"), label)
        labelled.label = "Statement"
        labelled.valueLabels = [1: "Helt enig", 2: "Vet ikke/ønsker ikke"]
        let valueLabel = writeError(Dataset(source: "t", variables: [labelled]), "v.por")
        XCTAssertTrue(valueLabel.contains("value label 2 of variable 'q'"), valueLabel)
    }
}
