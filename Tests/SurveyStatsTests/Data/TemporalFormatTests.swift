import Foundation
import XCTest
@testable import SurveyStats

/// Dates and times of SPSS/Stata files ⇄ ISO 8601 text. Reference values: Python's `datetime`
/// (`scripts/reference/temporal_reference.py` → `Fixtures/data/temporal_reference.json`), and date files written by
/// other programs (SPSS's `testdata.sav`, pyreadstat's `dates.dta`).
final class TemporalFormatTests: XCTestCase {
    struct Moment: Decodable {
        let iso: String
        let iso_datetime: String
        let spss_seconds: Int64
        let stata_ms: Int64
        let stata_days: Int64?
    }
    struct Reference: Decodable { let moments: [Moment] }

    func reference() throws -> [Moment] {
        let data = try Data(contentsOf: URL(fileURLWithPath: DataFixtures.path("temporal_reference.json")))
        return try JSONDecoder().decode(Reference.self, from: data).moments
    }

    func testRecognisedFormats() {
        for f in ["DATE11", "ADATE10", "EDATE10", "SDATE10", "JDATE7", "MOYR8", "QYR6", "WKYR8", "%td", "%tdCCYY-NN-DD", "%d"] {
            XCTAssertEqual(TemporalFormat(format: f)?.kind, .date, f)
        }
        for f in ["DATETIME20", "DATETIME23.2", "YMDHMS19", "%tc", "%tcDDmonCCYY_HH:MM:SS"] {
            XCTAssertEqual(TemporalFormat(format: f)?.kind, .dateTime, f)
        }
        for f in ["TIME8", "DTIME12", "MTIME5", "%tcHH:MM:SS", "%tcHH:MM:SS.sss"] { XCTAssertEqual(TemporalFormat(format: f)?.kind, .time, f) }
        // Not points in time (weekday/month numbers, Stata period counts, leap-second %tC) or not dates at all.
        for f in ["F8.2", "A8", "WKDAY3", "MONTH3", "%tm", "%tq", "%tw", "%ty", "%th", "%tC", "%9.0g", "%-12s", "", nil] as [String?] {
            XCTAssertNil(TemporalFormat(format: f), f ?? "nil")
        }
    }

    func testSPSSSecondsAgainstPythonDatetime() throws {
        let date = try XCTUnwrap(TemporalFormat(format: "EDATE10"))
        let dateTime = try XCTUnwrap(TemporalFormat(format: "DATETIME20"))
        for m in try reference() {
            let v = Double(m.spss_seconds)
            XCTAssertEqual(date.text(v), m.iso, m.iso)
            XCTAssertEqual(dateTime.text(v), m.iso_datetime, m.iso)
            XCTAssertEqual(date.value(m.iso), v, m.iso)
            XCTAssertEqual(dateTime.value(m.iso_datetime), v, m.iso)
            XCTAssertEqual(dateTime.value(m.iso_datetime.replacingOccurrences(of: "T", with: " ")), v, m.iso)
        }
    }

    func testStataDaysAndMillisecondsAgainstPythonDatetime() throws {
        let td = try XCTUnwrap(TemporalFormat(format: "%td"))
        let tc = try XCTUnwrap(TemporalFormat(format: "%tc"))
        for m in try reference() {
            XCTAssertEqual(tc.text(Double(m.stata_ms)), m.iso_datetime, m.iso)
            XCTAssertEqual(tc.value(m.iso_datetime), Double(m.stata_ms), m.iso)
            guard let days = m.stata_days else { continue }
            XCTAssertEqual(td.text(Double(days)), m.iso, m.iso)
            XCTAssertEqual(td.value(m.iso), Double(days), m.iso)
        }
    }

    func testFractionsTimesAndValuesWithoutText() throws {
        let dateTime = try XCTUnwrap(TemporalFormat(format: "DATETIME23.2"))
        let noon = 13_770_777_600.0 + 45_000   // 2019-03-01T12:30:00 (2019-03-01 is 13770777600 s after 1582-10-14)
        XCTAssertEqual(dateTime.text(noon + 0.25), "2019-03-01T12:30:00.25")
        XCTAssertEqual(dateTime.value("2019-03-01T12:30:00.25"), noon + 0.25)
        // A date format holding a time of day keeps it (written as a date-time, nothing lost).
        let date = try XCTUnwrap(TemporalFormat(format: "DATE11"))
        XCTAssertEqual(date.text(noon), "2019-03-01T12:30:00")
        XCTAssertEqual(date.value("2019-03-01T12:30:00"), noon)
        let time = try XCTUnwrap(TemporalFormat(format: "TIME8"))
        XCTAssertEqual(time.text(45_000.1), "12:30:00.1")
        XCTAssertEqual(time.value("12:30:00.1"), 45_000.1)
        XCTAssertEqual(time.text(-90_061), "-25:01:01")
        XCTAssertEqual(time.value("-25:01:01"), -90_061)
        let tc = try XCTUnwrap(TemporalFormat(format: "%tc"))
        XCTAssertEqual(tc.text(250), "1960-01-01T00:00:00.25")
        XCTAssertEqual(tc.value("1960-01-01T00:00:00.25"), 250)
        // No text form: not finite, beyond year 9999, a fraction of a Stata day; the number is written instead
        // and reads back as itself.
        XCTAssertNil(date.text(.infinity))
        XCTAssertNil(date.text(1e13))
        XCTAssertNil(TemporalFormat(format: "%td")?.text(0.5))
        XCTAssertEqual(date.value("12345"), 12_345)
    }

    func testRoundTripOfRandomValuesIsExact() throws {
        var rng = SystemRandomNumberGenerator()
        let spss = try XCTUnwrap(TemporalFormat(format: "DATETIME20"))
        let tc = try XCTUnwrap(TemporalFormat(format: "%tc"))
        for _ in 0..<20_000 {
            let seconds = Double(Int64.random(in: 0...250_000_000_000, using: &rng))
            let quarter = Double(Int.random(in: 0...3, using: &rng)) / 4
            for v in [seconds, seconds + quarter, seconds + Double.random(in: 0..<1, using: &rng)] {
                let text = try XCTUnwrap(spss.text(v), "\(v)")
                XCTAssertEqual(spss.value(text), v, text)
            }
            let ms = Double(Int64.random(in: -60_000_000_000_000...200_000_000_000_000, using: &rng))
            if let text = tc.text(ms) { XCTAssertEqual(tc.value(text), ms, text) }
        }
    }

    func testImpossibleTextsAreRejected() throws {
        let date = try XCTUnwrap(TemporalFormat(format: "EDATE10"))
        for bad in ["2019-02-29", "2019-13-01", "2019-00-10", "2019-04-31", "19-03-01", "2019-3-1", "01.03.2019",
                    "2019-03-01T24:00:00", "2019-03-01T12:60:00", "2019-03-01T12:30:60", "2019-03-01T12:30", "i går"] {
            XCTAssertNil(date.value(bad), bad)
        }
        XCTAssertEqual(date.value("2000-02-29"), date.value("2000-02-28").map { $0 + 86_400 })
    }

    /// SPSS's own `testdata.sav` (EDATE10) and pyreadstat's `dates.dta` (%td, %tc): the CSV shows the dates that
    /// haven/pyreadstat show for these files, and CSV + codebook gives back exactly the stored numbers.
    func testDateFilesWrittenByOtherProgramsRoundTripThroughCSV() throws {
        let dir = try DataFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let expected: [String: [String: [String?]]] = [
            "testdata.sav": ["date": ["1983-12-11", "2018-07-01", "2017-10-23", nil, nil]],
            "dates.dta": ["dag": ["2019-03-01", "1959-12-31", nil],
                          "tidspunkt": ["2019-03-01T12:30:00", "1960-01-01T00:00:00.25", "2000-02-29T23:59:59"]],
        ]
        for (name, columns) in expected {
            let original = try StatFileReader.read(path: DataFixtures.path(name))
            for options in [CSVWriter.Options(), .norwegian] {
                let csv = dir.appendingPathComponent("data.csv").path
                let yaml = dir.appendingPathComponent("data.codebook.yaml").path
                try CSVWriter.write(original, to: csv, options: options)
                try AtomicFile.write(Codebook(dataset: original).yamlString(), to: yaml)
                let plain = try CSVReader.read(path: csv)   // without the codebook: the ISO text itself
                for (column, texts) in columns {
                    guard case .text(let t)? = plain[column]?.values else { XCTFail("\(name) \(column): not text"); continue }
                    XCTAssertEqual(t, texts, "\(name) \(column)")
                }
                assertSameData(original, try Dataset.load(path: csv, codebook: try Codebook(path: yaml)))
            }
        }
    }

    func testBadDateInCSVNamesVariableAndRow() throws {
        let dir = try DataFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let csv = dir.appendingPathComponent("d.csv").path
        try "id,dato\n1,2019-03-01\n2,2019-02-30\n".write(toFile: csv, atomically: true, encoding: .utf8)
        let codebook = try Codebook(yaml: "variables:\n  dato:\n    format: ADATE10\n", source: "d.codebook.yaml")
        XCTAssertThrowsError(try Dataset.load(path: csv, codebook: codebook)) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("'dato'") && message.contains("row 2") && message.contains("2019-02-30"), message)
        }
    }

    /// `%tcHH:MM:SS` (what an SPSS TIME becomes in .dta) counts milliseconds and is written as a clock time.
    func testStataClockTimeIsMilliseconds() throws {
        let clock = try XCTUnwrap(TemporalFormat(format: "%tcHH:MM:SS"))
        for (ms, text) in [(29_730_000.0, "08:15:30"), (29_730_250, "08:15:30.25"), (0, "00:00:00"), (-5000, "-00:00:05"),
                           (90_000_000, "25:00:00")] {
            XCTAssertEqual(clock.text(ms), text, "\(ms)")
            XCTAssertEqual(clock.value(text), ms, text)
        }
        XCTAssertNil(clock.text(0.5))       // not a whole millisecond: written as the number
        XCTAssertNil(clock.text(-500))      // a negative fraction of a second: written as the number
    }

    /// Summaries (mean, median) of dates are shown as dates whatever the source's unit, rounded to the second.
    func testSummaryTextAndUnitsPerDayAgreeAcrossPrograms() throws {
        let spssDate = try XCTUnwrap(TemporalFormat(format: "DATE11")), spssDateTime = try XCTUnwrap(TemporalFormat(format: "DATETIME20"))
        let stataDay = try XCTUnwrap(TemporalFormat(format: "%td")), stataMs = try XCTUnwrap(TemporalFormat(format: "%tc"))
        XCTAssertEqual(spssDate.unitsPerDay, 86_400)
        XCTAssertEqual(stataDay.unitsPerDay, 1)
        XCTAssertEqual(stataMs.unitsPerDay, 86_400_000)
        let day = TemporalFormat.dayNumber(year: 2020, month: 1, day: 6)
        // 2020-01-06 and noon that day, stored by each program.
        for f in [spssDate, stataDay, stataMs, spssDateTime] {
            let midnight = f.storedValue(day: day, seconds: 0), noon = f.storedValue(day: day, seconds: 43_200)
            XCTAssertEqual(f.text(midnight).map { String($0.prefix(10)) }, "2020-01-06")
            XCTAssertEqual(noon - midnight, f.unitsPerDay / 2, accuracy: f.unitsPerDay * 1e-12)
            XCTAssertEqual(f.summaryText(noon), "2020-01-06T12:00:00")
            XCTAssertEqual(f.summaryText(midnight), f.kind == .date ? "2020-01-06" : "2020-01-06T00:00:00")
        }
        XCTAssertEqual(stataDay.storedValue(day: day, seconds: 0), 21_920)   // exactly a whole day number
        XCTAssertEqual(spssDate.summaryText(13_797_648_000.4), "2020-01-06")  // rounded to the second
        XCTAssertEqual(spssDate.summaryText(13_797_648_000.6), "2020-01-06T00:00:01")
        XCTAssertNil(spssDate.summaryText(.nan))
        XCTAssertNil(stataDay.summaryText(1e9))                                // beyond the year 9999
        let clock = try XCTUnwrap(TemporalFormat(format: "TIME8"))
        XCTAssertFalse(clock.isPointInTime)
    }

    /// Summaries of times of day and durations are clock times rounded to the second, hours past 24, whatever
    /// the unit (SPSS seconds, Stata milliseconds); spreads are durations; filter literals read back exactly.
    func testTimeSummariesDurationsAndClockLiterals() throws {
        let spss = try XCTUnwrap(TemporalFormat(format: "TIME8")), dtime = try XCTUnwrap(TemporalFormat(format: "DTIME12"))
        let stata = try XCTUnwrap(TemporalFormat(format: "%tcHH:MM:SS"))
        for (f, scale) in [(spss, 1.0), (dtime, 1), (stata, 1000)] {
            XCTAssertEqual(f.summaryText(30_600 * scale), "08:30:00")
            XCTAssertEqual(f.summaryText(45_309.6 * scale), "12:35:10")          // rounded to the second
            XCTAssertEqual(f.summaryText(93_600 * scale), "26:00:00")            // a day and two hours
            XCTAssertEqual(f.summaryText(-90_061 * scale), "-25:01:01")
            XCTAssertNil(f.summaryText(.nan))
            XCTAssertEqual(f.durationText(15_870.548 * scale), "04:24:31")
            XCTAssertEqual(f.durationText(0.4 * scale), "00:00:00")
            XCTAssertNil(f.durationText(.nan))
            XCTAssertEqual(f.storedValue(clockSeconds: 45_000), 45_000 * scale)
        }
        for (text, seconds) in [("12:30", 45_000.0), ("8:00", 28_800), ("08:00:15", 28_815), ("08:00:15.5", 28_815.5),
                                ("26:00", 93_600), ("-01:30", -5_400), (" 00:00 ", 0)] {
            XCTAssertEqual(TemporalFormat.clockLiteral(text), seconds, text)
        }
        for text in ["12", "12:3", "12:60", "12:30:60", "12:30:", "a:30", "12:30:15.", "2020-01-06", "1:2:3:4", ""] {
            XCTAssertNil(TemporalFormat.clockLiteral(text), text)
        }
    }
}
