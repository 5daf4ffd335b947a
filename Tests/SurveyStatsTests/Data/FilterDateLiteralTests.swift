import XCTest
@testable import SurveyStats

/// `--where` date and date-time literals against date variables, in each variable's own unit and epoch.
final class FilterDateLiteralTests: XCTestCase {
    /// The same four moments as SPSS seconds (DATE/DATETIME) and Stata days and milliseconds (%td/%tc).
    func sample() throws -> Dataset {
        let dir = try DataFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let csv = dir.appendingPathComponent("d.csv").path
        try """
            dato,tid,sdato,stid,x
            2020-01-01,2020-01-01T08:00:00,2020-01-01,2020-01-01T08:00:00,1
            2020-01-06,2020-01-06T07:59:59,2020-01-06,2020-01-06T07:59:59,2
            2020-01-07,2020-01-06T08:00:00,2020-01-07,2020-01-06T08:00:00,3
            ,,,,4
            """.write(toFile: csv, atomically: true, encoding: .utf8)
        let codebook = try Codebook(yaml: """
            variables:
              dato: {format: DATE11}
              tid: {format: DATETIME20}
              sdato: {format: '%td'}
              stid: {format: '%tc'}
              x: {format: F8.2}
            """, source: "d.codebook.yaml")
        let d = try Dataset.load(path: csv, codebook: codebook)
        // The stored numbers differ by program; the filter must not care.
        guard case .numeric(let spss) = d["dato"]?.values, case .numeric(let stata) = d["sdato"]?.values else {
            XCTFail("dates not read as numbers"); return d
        }
        XCTAssertEqual(spss.value(at: 1), 13_797_648_000)
        XCTAssertEqual(stata.value(at: 1), 21_920)
        return d
    }

    func rows(_ expression: String) throws -> [Int] {
        let keep = try FilterExpression(expression).evaluate(on: try sample())
        return keep.indices.filter { keep[$0] }.map { $0 + 1 }
    }

    func testDateLiteralsInTheVariablesOwnUnits() throws {
        for (dato, tid) in [("dato", "tid"), ("sdato", "stid")] {
            XCTAssertEqual(try rows("\(dato) >= 2020-01-06"), [2, 3], dato)       // row 4 missing: unknown
            XCTAssertEqual(try rows("\(dato) == 2020-01-06"), [2], dato)
            XCTAssertEqual(try rows("\(dato) < 2020-01-06"), [1], dato)
            XCTAssertEqual(try rows("\(tid) >= 2020-01-06T08:00"), [3], tid)
            XCTAssertEqual(try rows("\(tid) >= 2020-01-06T07:59:59"), [2, 3], tid)
            XCTAssertEqual(try rows("\(tid) < '2020-01-06 08:00'"), [1, 2], tid)
            XCTAssertEqual(try rows("\(tid) >= 2020-01-06"), [2, 3], tid)           // a date is its midnight
            // A time on a date variable is that part of the day: after noon on the 6th leaves the 7th.
            XCTAssertEqual(try rows("\(dato) > 2020-01-06T12:00"), [3], dato)
            XCTAssertEqual(try rows("\(dato) in [2020-01-01, 2020-01-07]"), [1, 3], dato)
        }
    }

    func testDateLiteralAgainstANonDateVariableIsAClearError() throws {
        XCTAssertThrowsError(try rows("x >= 2020-01-06")) { e in
            let message = "\(e)"
            XCTAssertTrue(message.contains("'2020-01-06' is a date, but 'x' is not a date variable"), message)
            XCTAssertTrue(message.contains("format F8.2"), message)
        }
        XCTAssertThrowsError(try rows("dato >= 2020-02-30")) { e in
            XCTAssertTrue("\(e)".contains("'2020-02-30' is not a valid date for date variable 'dato'"), "\(e)")
        }
        XCTAssertThrowsError(try rows("tid >= 2020-01-06T24:00")) { e in
            XCTAssertTrue("\(e)".contains("not a valid date"), "\(e)")
        }
    }

    func testDateLiteralShapes() throws {
        let day = TemporalFormat.dayNumber(year: 2020, month: 1, day: 6)
        XCTAssertEqual(TemporalFormat.dateLiteral("2020-01-06")?.day, day)
        XCTAssertEqual(TemporalFormat.dateLiteral("2020-01-06")?.seconds, 0)
        XCTAssertEqual(TemporalFormat.dateLiteral("2020-01-06T08:00")?.seconds, 28_800)
        XCTAssertEqual(TemporalFormat.dateLiteral("2020-01-06 08:00:30.5")?.seconds, 28_830.5)
        for bad in ["2020-1-6", "2020-13-01", "2020-01-06T8", "2020-01-06T08:60", "06.01.2020", "2020", "x"] {
            XCTAssertNil(TemporalFormat.dateLiteral(bad), bad)
        }
        let expression = try FilterExpression("tid >= 2020-01-06T08:00:30 and x > 1")
        XCTAssertEqual(expression.variables, ["tid", "x"])
    }

    func testNoMatchWarningNamesTheClosestDatesAsDates() throws {
        let warnings = try FilterExpression("sdato == 2020-01-05 or dato == 2020-01-06").warnings(on: try sample())
        XCTAssertEqual(warnings, ["--where: no row has sdato == 2020-01-05 (closest values: 2020-01-01, 2020-01-06, 2020-01-07)"])
    }
}

/// A negative clock literal (`-01:00`) against a time variable: an error for a time of day, which is never negative;
/// allowed for a duration (a DTIME/MTIME format, or values below zero or past 24 hours).
final class FilterNegativeClockLiteralTests: XCTestCase {
    func sample(_ formats: String, _ rows: String) throws -> Dataset {
        let dir = try DataFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let csv = dir.appendingPathComponent("t.csv").path
        try ("klokke,varighet,x\n" + rows).write(toFile: csv, atomically: true, encoding: .utf8)
        return try Dataset.load(path: csv, codebook: try Codebook(yaml: "variables:\n" + formats, source: "t.codebook.yaml"))
    }

    func rows(_ expression: String, _ d: Dataset) throws -> [Int] {
        let keep = try FilterExpression(expression).evaluate(on: d)
        return keep.indices.filter { keep[$0] }.map { $0 + 1 }
    }

    func testNegativeClockLiteralIsAnErrorForATimeOfDay() throws {
        let data = "08:30:00,-01:30:00,1\n12:00:00,00:45:00,2\n"
        for formats in ["  klokke: {format: TIME8}\n  varighet: {format: DTIME12}\n",
                        "  klokke: {format: '%tcHH:MM:SS'}\n  varighet: {format: '%tcHH:MM:SS'}\n"] {
            let d = try sample(formats, data)
            XCTAssertThrowsError(try rows("klokke < -01:00", d), formats) { e in
                let error = try? XCTUnwrap(e as? FilterExpressionError)
                XCTAssertEqual(error?.position, 10)
                XCTAssertTrue("\(e)".hasPrefix("--where 'klokke < -01:00': at character 10: '-01:00' is a negative clock time, "
                                               + "but 'klokke' is a time of day (format "), "\(e)")
                XCTAssertTrue("\(e)".contains("which cannot be negative; a leading '-' is only for durations"), "\(e)")
            }
            XCTAssertThrowsError(try rows("klokke in [08:30, -00:00:30]", d), formats)
            XCTAssertThrowsError(try rows("klokke >= '-00:00'", d), formats)   // -0 is still written negative
            // A duration holding a negative value (or with a duration format) takes a negative literal.
            XCTAssertEqual(try rows("varighet < -01:00", d), [1], formats)
            XCTAssertEqual(try rows("varighet >= -01:30 and klokke < 12:00", d), [1], formats)
        }
    }

    func testNegativeClockLiteralIsAllowedForADuration() throws {
        // DTIME and MTIME are durations whatever the values; TIME or %tcHH:MM:SS past 24 hours is one too.
        let d = try sample("  klokke: {format: TIME8}\n  varighet: {format: MTIME8}\n", "26:00:00,00:45:00,1\n01:00:00,01:30:00,2\n")
        XCTAssertEqual(try rows("varighet > -01:00", d), [1, 2])
        XCTAssertEqual(try rows("klokke > -01:00", d), [1, 2])
        let stata = try sample("  klokke: {format: '%tcHH:MM:SS'}\n  varighet: {format: DTIME12}\n", "26:00:00,00:45:00,1\n")
        XCTAssertEqual(try rows("klokke > -00:30 and varighet > -00:30", stata), [1])
        XCTAssertTrue(TemporalFormat.isDurationFormat("DTIME12"))
        XCTAssertTrue(TemporalFormat.isDurationFormat("mtime8"))
        XCTAssertFalse(TemporalFormat.isDurationFormat("TIME8"))
        XCTAssertFalse(TemporalFormat.isDurationFormat("%tcHH:MM:SS"))
    }
}
