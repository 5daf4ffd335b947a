import Foundation
import XCTest

/// Time variables (a time of day or a duration: SPSS TIME/DTIME, Stata `%tcHH:MM:SS`) in `describe`, `--where` and
/// `convert`: shown and compared as clock times, so that the same times read from SPSS (seconds) and Stata
/// (milliseconds) give the same output. The counterpart of `DateVariableTests`.
final class TimeVariableTests: XCTestCase {
    static let csv: String = {
        try! temporaryCSV("""
            klokke,varighet,x
            08:30:00,26:00:00,1
            12:00:00,01:30:00,2
            17:15:30,00:45:00,3
            ,,4

            """, name: "tider.csv")
    }()

    /// The CSV with an SPSS or a Stata codebook, and the .sav and .dta files `convert` writes from them.
    static let sources: [(name: String, args: [String])] = convertedSources(
        csv: csv, stem: "tider", spssCodebook: "variables:\n  klokke: {format: TIME8}\n  varighet: {format: DTIME12}\n",
        stataCodebook: "variables:\n  klokke: {format: '%tcHH:MM:SS'}\n  varighet: {format: '%tcHH:MM:SS'}\n")

    func testDescribeShowsClockTimesAndSDAsDurationWhateverTheSource() throws {
        var tables: [String] = []
        for source in Self.sources {
            let j = try runJSON(["describe"] + source.args + ["klokke", "varighet"])
            let variables = try XCTUnwrap(j["variables"] as? [[String: Any]], source.name)
            let klokke = variables[0], varighet = variables[1]
            XCTAssertEqual(klokke["min"] as? String, "08:30:00", source.name)
            XCTAssertEqual(klokke["max"] as? String, "17:15:30", source.name)
            XCTAssertEqual(klokke["median"] as? String, "12:00:00", source.name)
            XCTAssertEqual(klokke["mean"] as? String, "12:35:10", source.name)     // (30600 + 43200 + 62130) / 3 s
            XCTAssertEqual(double(klokke["sd"]), 15_870.548194690693, accuracy: 1e-6, source.name)   // seconds
            XCTAssertEqual(double(klokke["se"]), 15_870.548194690693 / sqrt(3), accuracy: 1e-6, source.name)
            XCTAssertEqual(klokke["date_type"] as? String, "time", source.name)
            XCTAssertEqual(klokke["sd_unit"] as? String, "seconds", source.name)
            XCTAssertEqual(klokke["n"] as? Int, 3, source.name)
            // A duration of a day or more: hours past 24.
            XCTAssertEqual(varighet["max"] as? String, "26:00:00", source.name)
            XCTAssertEqual(varighet["min"] as? String, "00:45:00", source.name)
            XCTAssertEqual(varighet["mean"] as? String, "09:25:00", source.name)

            let r = try CLI.run(["describe"] + source.args + ["klokke", "varighet"])
            XCTAssertEqual(r.status, 0, r.stderr)
            tables.append(r.stdout)
            XCTAssertTrue(r.stdout.contains("Times (klokke, varighet): mean, median, min and max are clock times, SD and SE durations"), r.stdout)
        }
        // SD 15 870.5 s = 04:24:31, SE 9 162.9 s = 02:32:43; the duration's SD 51 719 s = 14:21:59.
        for cell in ["12:35:10", "04:24:31", "02:32:43", "12:00:00", "08:30:00", "17:15:30", "14:21:59", "26:00:00"] {
            XCTAssertTrue(tables[0].contains(cell), "\(cell) in\n\(tables[0])")
        }
        XCTAssertFalse(tables[0].contains("45310"), tables[0])   // not the raw seconds
        // Identical tables apart from the source name, which only a JSON field holds.
        XCTAssertEqual(Set(tables).count, 1, tables.joined(separator: "\n"))
    }

    func testDescribeShowsTimesInEveryFormatAndByGroup() throws {
        let args = ["describe"] + Self.sources[2].args + ["klokke"]
        for format in ["csv", "markdown", "html", "latex"] {
            let r = try CLI.run(args + ["--format", format, "--locale", "nb"])
            XCTAssertEqual(r.status, 0, r.stderr)
            for cell in ["12:35:10", "04:24:31", "08:30:00", "17:15:30"] {
                XCTAssertTrue(r.stdout.contains(cell), "\(format): \(cell) in\n\(r.stdout)")
            }
        }
        let j = try runJSON(["describe"] + Self.sources[3].args + ["klokke", "--by", "x"])
        let variables = try XCTUnwrap(j["variables"] as? [[String: Any]])
        let groups = try XCTUnwrap(variables[0]["groups"] as? [[String: Any]])
        XCTAssertEqual(groups.map { $0["min"] as? String }, ["08:30:00", "12:00:00", "17:15:30", nil])
        XCTAssertEqual(groups.first?["sd"] as? NSNull, NSNull())   // one value: no SD, as for a number
    }

    /// `describe --out x.xlsx` writes clock times and their SD and SE as Excel times (`[hh]:mm:ss`, hours past 24
    /// for a duration), the same from SPSS seconds and Stata milliseconds.
    func testDescribeXLSXWritesRealExcelTimes() throws {
        let dir = URL(fileURLWithPath: Self.csv).deletingLastPathComponent()
        for (i, source) in Self.sources.enumerated() {
            let out = dir.appendingPathComponent("tider-\(i).xlsx").path
            let r = try CLI.run(["describe"] + source.args + ["klokke", "varighet", "--out", out])
            XCTAssertEqual(r.status, 0, r.stderr)
            let sheet = try unzip(out, "xl/worksheets/sheet1.xml")
            // 12:35:10 mean, 04:24:31 SD, 08:30:00 min; varighet max 26:00:00, SD 14:21:59.
            for (ref, value) in [("D4", "0.524421296296296\\d*"), ("E4", "0.183692129629629\\d*"), ("H4", "0.354166666666666\\d*"),
                                 ("I5", "1.08333333333333\\d*"), ("E5", "0.59859953703703\\d*")] {
                let pattern = #"<c r=""# + ref + #"" s="[0-9]+"><v>"# + value + "</v></c>"
                XCTAssertNotNil(sheet.range(of: pattern, options: .regularExpression), "\(source.name): \(ref) should be \(value) in \(sheet)")
            }
            XCTAssertFalse(try unzip(out, "xl/sharedStrings.xml").contains("12:35:10"), source.name)
            XCTAssertTrue(try unzip(out, "xl/styles.xml").contains(#"formatCode="[hh]:mm:ss""#), source.name)
        }
    }

    func testWhereAcceptsClockLiteralsForEverySource() throws {
        for source in Self.sources {
            for (filter, n) in [("klokke < 12:30", 2), ("klokke >= 08:30:01", 2), ("klokke == 12:00", 1),
                                ("klokke in [08:30, 17:15:30]", 2), ("klokke not in [12:00:00]", 2),
                                ("klokke < '12:00:00.5'", 2), ("varighet > 25:59", 1), ("varighet <= 01:30 and klokke > 12:00", 1)] {
                let j = try runJSON(["describe"] + source.args + ["x", "--where", filter])
                XCTAssertEqual(j["n_excluded"] as? Int, 4 - n, "\(source.name): \(filter)")
            }
        }
    }

    func testClockLiteralAgainstAnotherVariableIsAClearError() throws {
        let spss = Self.sources[0].args
        for (args, filter, message) in [
            (spss, "x < 12:30", "'12:30' is a clock time, but 'x' is not a time variable (format"),
            (spss, "klokke < 12:75", "'12:75' is not a valid clock time for time variable 'klokke' (write HH:MM or HH:MM:SS"),
            (DateVariableTests.sources[0].args, "dato < 12:30",
             "'12:30' is a clock time, but 'dato' is a date variable; write the day too (YYYY-MM-DDTHH:MM[:SS])"),
            (DateVariableTests.sources[3].args, "tid in [2020-01-01T08:00, 12:30]",
             "'12:30' is a clock time, but 'tid' is a date-time variable"),
            (spss, "klokke >= 2020-01-03", "'2020-01-03' is a date, but 'klokke' is a time of day, not a date"),
        ] {
            let r = try CLI.run(["describe"] + args + ["x", "--where", filter])
            XCTAssertNotEqual(r.status, 0, filter)
            XCTAssertTrue(r.stderr.contains(message), "\(filter): \(r.stderr)")
            XCTAssertFalse(r.stderr.contains("Fatal error"), r.stderr)
        }
    }

    /// A negative clock literal against a time of day (TIME8, or %tcHH:MM:SS holding times of day) is an error naming
    /// the variable and the literal; a duration (DTIME12, or %tcHH:MM:SS with 26:00:00) takes it.
    func testNegativeClockLiteralIsAnErrorForATimeOfDayOnly() throws {
        for source in Self.sources {
            let r = try CLI.run(["describe"] + source.args + ["x", "--where", "klokke < -01:00"])
            XCTAssertNotEqual(r.status, 0, source.name)
            XCTAssertEqual(r.stdout, "", source.name)
            XCTAssertTrue(r.stderr.contains("--where 'klokke < -01:00': at character 10: '-01:00' is a negative clock time, "
                                            + "but 'klokke' is a time of day (format "), "\(source.name): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("which cannot be negative; a leading '-' is only for durations"), r.stderr)
            XCTAssertFalse(r.stderr.contains("matches none of"), r.stderr)
            XCTAssertFalse(r.stderr.contains("Fatal error"), r.stderr)
            let j = try runJSON(["describe"] + source.args + ["x", "--where", "varighet > -01:00"])
            XCTAssertEqual(j["n_excluded"] as? Int, 1, source.name)   // the row without a duration
        }
    }

    /// `convert` keeps a time variable a time: within one package the format itself (TIME, DTIME), between them the
    /// other package's clock format, and the values survive .sav → .dta → .sav and .dta → .sav → .dta.
    func testConvertRoundTripsKeepTimeFormats() throws {
        let dir = URL(fileURLWithPath: Self.csv).deletingLastPathComponent()
        func out(_ name: String) -> String { dir.appendingPathComponent(name).path }
        func codebook(_ data: String) throws -> [String: String] {
            let r = try CLI.run(["codebook", data, "--format", "json"])
            XCTAssertEqual(r.status, 0, r.stderr)
            let j = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
            let variables = try XCTUnwrap(j["variables"] as? [[String: Any]], r.stdout)
            return Dictionary(uniqueKeysWithValues: variables.compactMap { v in
                (v["name"] as? String).map { ($0, v["format"] as? String ?? "") }
            })
        }
        let sav = Self.sources[2].args[1], dta = Self.sources[3].args[1]
        let savFormats = try codebook(sav)
        XCTAssertEqual(savFormats["klokke"], "TIME8")
        XCTAssertEqual(savFormats["varighet"], "DTIME12")
        XCTAssertEqual(try codebook(dta)["klokke"], "%tcHH:MM:SS")
        for (from, via, back, formats) in [(sav, out("rt.dta"), out("rt.sav"), ["%tcHH:MM:SS", "TIME8"]),
                                           (sav, out("rt2.sav"), out("rt2.dta"), ["TIME8", "%tcHH:MM:SS"]),
                                           (dta, out("rt3.sav"), out("rt3.dta"), ["TIME8", "%tcHH:MM:SS"])] {
            for (input, output) in [(from, via), (via, back)] {
                let r = try CLI.run(["convert", input, output])
                XCTAssertEqual(r.status, 0, r.stderr)
            }
            XCTAssertEqual(try codebook(via)["klokke"], formats[0], via)
            XCTAssertEqual(try codebook(back)["klokke"], formats[1], back)
            // The clock times read back the same from every file.
            for file in [via, back] {
                let r = try CLI.run(["convert", file, out("rt.csv")])
                XCTAssertEqual(r.status, 0, r.stderr)
                let text = try String(contentsOfFile: out("rt.csv"), encoding: .utf8)
                XCTAssertTrue(text.contains("08:30:00,26:00:00,1") && text.contains("17:15:30,00:45:00,3"), "\(file): \(text)")
            }
        }
        // Within SPSS, DTIME stays DTIME.
        XCTAssertEqual(try codebook(out("rt2.sav"))["varighet"], "DTIME12")
    }
}
