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
