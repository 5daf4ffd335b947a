import Foundation
import XCTest

/// Date variables in `describe` and `--where`: shown and compared as calendar dates, so that the same dates read
/// from SPSS (seconds since 1582) and Stata (days or milliseconds since 1960) give the same output.
final class DateVariableTests: XCTestCase {
    static let csv: String = {
        try! temporaryCSV("""
            dato,tid,x
            2020-01-01,2020-01-01T08:00:00,1
            2020-01-03,2020-01-02T20:00:00,2
            2020-01-08,2020-01-03T08:00:00,3
            ,,4

            """, name: "datoer.csv")
    }()

    /// The CSV with an SPSS or a Stata codebook, and the .sav and .dta files `convert` writes from them.
    static let sources: [(name: String, args: [String])] = convertedSources(
        csv: csv, stem: "datoer", spssCodebook: "variables:\n  dato: {format: DATE11}\n  tid: {format: DATETIME20}\n",
        stataCodebook: "variables:\n  dato: {format: '%td'}\n  tid: {format: '%tc'}\n")

    func testDescribeShowsDatesAndSDInDaysWhateverTheSource() throws {
        var tables: [String] = []
        for source in Self.sources {
            let j = try runJSON(["describe"] + source.args + ["dato", "tid"])
            let variables = try XCTUnwrap(j["variables"] as? [[String: Any]], source.name)
            let dato = variables[0], tid = variables[1]
            XCTAssertEqual(dato["min"] as? String, "2020-01-01", source.name)
            XCTAssertEqual(dato["max"] as? String, "2020-01-08", source.name)
            XCTAssertEqual(dato["median"] as? String, "2020-01-03", source.name)
            XCTAssertEqual(dato["mean"] as? String, "2020-01-04", source.name)
            XCTAssertEqual(double(dato["sd"]), sqrt(13), accuracy: 1e-9, source.name)   // days 0, 2, 7
            XCTAssertEqual(double(dato["se"]), sqrt(13) / sqrt(3), accuracy: 1e-9, source.name)
            XCTAssertEqual(dato["date_type"] as? String, "date", source.name)
            XCTAssertEqual(dato["sd_unit"] as? String, "days", source.name)
            XCTAssertEqual(dato["n"] as? Int, 3, source.name)
            XCTAssertEqual(tid["min"] as? String, "2020-01-01T08:00:00", source.name)
            XCTAssertEqual(tid["mean"] as? String, "2020-01-02T12:00:00", source.name)
            XCTAssertEqual(tid["median"] as? String, "2020-01-02T20:00:00", source.name)
            XCTAssertEqual(double(tid["sd"]), sqrt(13.0 / 12), accuracy: 1e-9, source.name)  // 0, 1.5, 2 days
            XCTAssertEqual(tid["date_type"] as? String, "datetime", source.name)

            let r = try CLI.run(["describe"] + source.args + ["dato", "tid"])
            XCTAssertEqual(r.status, 0, r.stderr)
            tables.append(r.stdout)
            XCTAssertTrue(r.stdout.contains("Dates (dato, tid): mean, median, min and max are dates; SD and SE are in days."), r.stdout)
        }
        XCTAssertTrue(tables[0].contains("2020-01-04 "), tables[0])
        // Identical tables apart from the source name, which only a JSON field holds.
        XCTAssertEqual(Set(tables).count, 1, tables.joined(separator: "\n"))
    }

    func testDescribeByGroupAndNumbersUnchanged() throws {
        let j = try runJSON(["describe"] + Self.sources[3].args + ["dato", "x", "--by", "x"])
        let variables = try XCTUnwrap(j["variables"] as? [[String: Any]])
        let groups = try XCTUnwrap(variables[0]["groups"] as? [[String: Any]])
        XCTAssertEqual(groups.map { $0["min"] as? String }, ["2020-01-01", "2020-01-03", "2020-01-08", nil])
        XCTAssertEqual(groups.last?["n"] as? Int, 0)               // no date in the group: no min, as for a number
        XCTAssertTrue(groups.last?["min"] is NSNull, "\(String(describing: groups.last))")
        XCTAssertEqual(double(variables[1]["mean"]), 2.5)        // not a date: still a number
        XCTAssertNil(variables[1]["date_type"])
    }

    func testWhereAcceptsDateAndDateTimeLiteralsForEverySource() throws {
        for source in Self.sources {
            for (filter, n) in [("dato >= 2020-01-03", 2), ("dato == 2020-01-08", 1), ("tid >= 2020-01-02T20:00", 2),
                                ("tid < '2020-01-02 20:00:01'", 2), ("dato > 2020-01-01 and tid < 2020-01-03T08:00", 1)] {
                let j = try runJSON(["describe"] + source.args + ["x", "--where", filter])
                XCTAssertEqual(j["n_excluded"] as? Int, 4 - n, "\(source.name): \(filter)")
            }
        }
        let r = try CLI.run(["describe", "--data", Self.csv, "x", "--where", "x >= 2020-01-03"])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("'2020-01-03' is a date, but 'x' is not a date variable"), r.stderr)
    }

    /// A stored value beyond the calendar (SPSS seconds 1e15 ≈ year 31 million) has no date: the variable is then
    /// shown in stored numbers in every column (not dates beside raw numbers), with a note, and JSON has numbers.
    func testValuesBeyondTheCalendarAreShownAsNumbersThroughout() throws {
        let dir = URL(fileURLWithPath: Self.csv).deletingLastPathComponent()
        let csv = dir.appendingPathComponent("far.csv").path, codebook = dir.appendingPathComponent("far.yaml").path
        try "d,e\n-86400,0\n0,86400\n1e15,172800\n86400,259200\n".write(toFile: csv, atomically: true, encoding: .utf8)
        try "variables:\n  d: {format: DATE11}\n  e: {format: DATE11}\n".write(toFile: codebook, atomically: true, encoding: .utf8)
        let r = try CLI.run(["describe", "--data", csv, "--codebook", codebook, "d", "e"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("d: values too far from the epoch to show as dates"), r.stdout)
        let row = try XCTUnwrap(r.stdout.split(separator: "\n").first { $0.hasPrefix("d ") })
        XCTAssertNil(row.range(of: #"\d{4}-\d{2}-\d{2}"#, options: .regularExpression), "no date beside raw numbers: \(row)")
        XCTAssertTrue(row.contains("-86400.000"), String(row))
        XCTAssertTrue(r.stdout.contains("Dates (e)"), r.stdout)  // the other variable keeps its dates
        let j = try runJSON(["describe", "--data", csv, "--codebook", codebook, "d", "e"])
        let variables = try XCTUnwrap(j["variables"] as? [[String: Any]])
        XCTAssertEqual(double(variables[0]["max"]), 1e15)
        XCTAssertEqual(double(variables[0]["min"]), -86400)
        XCTAssertEqual(variables[1]["min"] as? String, "1582-10-14")

        // In XLSX, dates before 1900 (Excel has none) stay the text the other formats show; d stays numbers.
        let out = dir.appendingPathComponent("far.xlsx").path
        let x = try CLI.run(["describe", "--data", csv, "--codebook", codebook, "d", "e", "--out", out])
        XCTAssertEqual(x.status, 0, x.stderr)
        let sheet = try unzip(out, "xl/worksheets/sheet1.xml"), strings = try unzip(out, "xl/sharedStrings.xml")
        XCTAssertTrue(strings.contains("<t>1582-10-14</t>") && strings.contains("<t>1582-10-17</t>"), strings)
        XCTAssertNotNil(sheet.range(of: #"<c r="H4" s="[0-9]+"><v>-86400</v></c>"#, options: .regularExpression), sheet)
        XCTAssertNotNil(sheet.range(of: #"<c r="H5" (s="[0-9]+" )?t="s">"#, options: .regularExpression), sheet)
    }

    /// `describe --out x.xlsx` writes dates and date-times as Excel dates (serial numbers with a date format, so that
    /// Excel sorts and filters them as dates), the same whichever program stored them; SD and SE stay days.
    func testDescribeXLSXWritesRealExcelDates() throws {
        let dir = URL(fileURLWithPath: Self.csv).deletingLastPathComponent()
        for (i, source) in Self.sources.enumerated() {
            let out = dir.appendingPathComponent("datoer-\(i).xlsx").path
            let r = try CLI.run(["describe"] + source.args + ["dato", "tid", "--out", out])
            XCTAssertEqual(r.status, 0, r.stderr)
            let sheet = try unzip(out, "xl/worksheets/sheet1.xml")
            // Row 4 dato, row 5 tid; columns D mean, E SD, G median, H min, I max.
            for (ref, value) in [("D4", "43834"), ("G4", "43833"), ("H4", "43831"), ("I4", "43838"),
                                 ("D5", "43832.5"), ("G5", "43832.8333333333\\d*"), ("H5", "43831.3333333333\\d*"), ("I5", "43833.3333333333\\d*"),
                                 ("E4", "3.60555127546398\\d*")] {
                let pattern = #"<c r=""# + ref + #"" s="([0-9]+)"><v>"# + value + "</v></c>"
                XCTAssertNotNil(sheet.range(of: pattern, options: .regularExpression), "\(source.name): \(ref) should be \(value) in \(sheet)")
            }
            let strings = try unzip(out, "xl/sharedStrings.xml")
            XCTAssertFalse(strings.contains("2020-01-0"), "\(source.name): no date as text: \(strings)")
            let styles = try unzip(out, "xl/styles.xml")
            XCTAssertTrue(styles.contains(#"formatCode="yyyy-mm-dd""#), styles)
            XCTAssertTrue(styles.contains(#"formatCode="yyyy-mm-dd hh:mm:ss""#), styles)
        }
    }
}
