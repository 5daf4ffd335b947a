import Foundation
import XCTest
@testable import SurveyStats

/// One member of a zip archive (an XLSX workbook) as text, read with `unzip -p`.
func unzipMember(_ archive: URL, _ member: String) throws -> String {
    let unzip = URL(fileURLWithPath: "/usr/bin/unzip")
    XCTAssertTrue(FileManager.default.isExecutableFile(atPath: unzip.path), "unzip is needed (scripts/lib/install-deps.sh installs it)")
    let p = Process()
    p.executableURL = unzip
    p.arguments = ["-p", archive.path, member]
    let out = Pipe()
    p.standardOutput = out
    p.standardError = FileHandle.nullDevice
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    XCTAssertEqual(p.terminationStatus, 0, "unzip \(member)")
    return String(decoding: data, as: UTF8.self)
}

/// Opens the written workbook with `unzip -p` and inspects the sheet XML: numbers must be numeric cells
/// (`<c …><v>3.14159</v></c>`, no `t="s"` shared-string type) carrying a number format.
final class XLSXExportTests: XCTestCase {
    private func tempURL(_ name: String) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("xlsx-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir.appendingPathComponent(name)
    }

    func testNumbersAreStoredAsNumbersWithFormats() throws {
        let url = try tempURL("t.xlsx")
        let second = ResultTable(title: "Tillit etter rolle", columns: ["x"], rows: [[.number(1.5, decimals: 1)]])
        try TableExporter.write([ExportTestTable.table, second], as: .xlsx, to: url.path)
        let sheet = try unzipMember(url, "xl/worksheets/sheet1.xml")
        // Title in A1, header in row 3, data from row 4.
        XCTAssertTrue(sheet.contains(#"<c r="B4" s=""#), sheet)
        for (ref, value) in [("B4", "12"), ("C4", "3.14159"), ("D4", "0.0004"), ("C5", "-0.001"), ("D5", "0.034"), ("D6", "0.5")] {
            let pattern = #"<c r=""# + ref + #"" s="[0-9]+"><v>"# + NSRegularExpression.escapedPattern(for: value) + "</v></c>"
            XCTAssertNotNil(sheet.range(of: pattern, options: .regularExpression), "\(ref) should be the number \(value)")
        }
        // The undefined number (C6) and the empty cell (B6) are not written at all.
        XCTAssertFalse(sheet.contains(#"r="C6""#))
        XCTAssertFalse(sheet.contains(#"r="B6""#))
        // Text cells are shared strings.
        XCTAssertTrue(sheet.contains(#"<c r="A4" s="0" t="s">"#) || sheet.contains(#"<c r="A4" t="s">"#), sheet)
        let styles = try unzipMember(url, "xl/styles.xml")
        XCTAssertTrue(styles.contains(#"formatCode="0.00""#), styles)
        XCTAssertTrue(styles.contains(#"formatCode="&quot;&lt;.001***&quot;""#), styles)
        // p-values as the report prints them: no leading zero (".034*"), which `#.000` gives and `0.000` does not.
        XCTAssertTrue(styles.contains(##"formatCode="#.000&quot;*&quot;""##), styles)
        XCTAssertTrue(styles.contains(##"formatCode="#.000""##), styles)
        XCTAssertFalse(styles.contains(#"formatCode="0.000"#), styles)
        let strings = try unzipMember(url, "xl/sharedStrings.xml")
        XCTAssertTrue(strings.contains("Ordfører"))
        XCTAssertTrue(strings.contains("*** p&lt;.001, ** p&lt;.01, * p&lt;.05"))
        // One sheet per table, duplicate titles made unique.
        let workbook = try unzipMember(url, "xl/workbook.xml")
        XCTAssertTrue(workbook.contains(#"<sheet name="Tillit etter rolle" sheetId="1""#), workbook)
        XCTAssertTrue(workbook.contains(#"<sheet name="Tillit etter rolle (2)" sheetId="2""#), workbook)
    }

    /// A number the text formats show in scientific notation (3e-7 at three decimals: "3.000e-07"; 1e300) gets a
    /// scientific number format, not "0.000", which would show a non-zero estimate as zero; the cell keeps the
    /// number. The Norwegian "<,001" literal follows the locale, as in the text formats.
    func testTinyAndHugeNumbersGetScientificFormatsAndPLiteralsFollowTheLocale() throws {
        XCTAssertEqual(XLSXWorkbookWriter.numberFormatCode(3e-7, decimals: 3), "0.000E+00")
        XCTAssertEqual(XLSXWorkbookWriter.numberFormatCode(-3e-7, decimals: 0), "0E+00")
        XCTAssertEqual(XLSXWorkbookWriter.numberFormatCode(1e300, decimals: 2), "0.00E+00")
        XCTAssertEqual(XLSXWorkbookWriter.numberFormatCode(0.0004, decimals: 2), "0.00")   // ≥ 1e-4: fixed zeros
        XCTAssertEqual(XLSXWorkbookWriter.numberFormatCode(3e-7, decimals: 8), "0.00000000") // its digits show
        XCTAssertEqual(XLSXWorkbookWriter.numberFormatCode(0, decimals: 3), "0.000")
        XCTAssertEqual(XLSXWorkbookWriter.pValueFormat(0.0004, stars: true, locale: .norwegian), #""<,001***""#)
        XCTAssertEqual(XLSXWorkbookWriter.pValueFormat(0.0004, stars: false, locale: .standard), #""<.001""#)
        XCTAssertEqual(XLSXWorkbookWriter.pValueFormat(0.5, stars: true), "#.000")

        let url = try tempURL("small.xlsx")
        let t = ResultTable(title: "", columns: ["Variabel", "Snitt"],
                            rows: [[.text("liten"), .number(6.5946500000000014e-09, decimals: 3)],
                                   [.text("stor"), .number(1.25e300, decimals: 3)]])
        try TableExporter.write([t], as: .xlsx, to: url.path, options: ExportOptions(locale: .norwegian))
        let sheet = try unzipMember(url, "xl/worksheets/sheet1.xml")
        XCTAssertNotNil(sheet.range(of: #"<c r="B2" s="[0-9]+"><v>6.59465000000000\d*E-0?9</v></c>"#, options: [.regularExpression, .caseInsensitive]), sheet)
        XCTAssertNotNil(sheet.range(of: #"<c r="B3" s="[0-9]+"><v>1.25\d*E\+300</v></c>"#, options: [.regularExpression, .caseInsensitive]), sheet)
        let styles = try unzipMember(url, "xl/styles.xml")
        XCTAssertTrue(styles.contains(#"formatCode="0.000E+00""#), styles)
        XCTAssertFalse(styles.contains(#"formatCode="0.000""#), styles)
    }

    /// Dates, date-times and clock times are Excel serial numbers (1900 date system) with a date or time format,
    /// so that Excel sorts and filters them as dates; a date Excel cannot hold (before 1900) stays text. Every
    /// text format shows the same ISO text as before.
    func testTemporalCellsAreExcelDatesWithDateFormats() throws {
        let spss = try XCTUnwrap(TemporalFormat(format: "DATE11")), stata = try XCTUnwrap(TemporalFormat(format: "%td"))
        let spssDateTime = try XCTUnwrap(TemporalFormat(format: "DATETIME20")), stataTime = try XCTUnwrap(TemporalFormat(format: "%tcHH:MM:SS"))
        func spssValue(_ text: String) throws -> Double { try XCTUnwrap(spssDateTime.value(text)) }
        XCTAssertEqual(spss.excelSerial(try XCTUnwrap(spss.value("2020-01-06"))), 43_836)
        XCTAssertEqual(stata.excelSerial(21_920), 43_836)                              // 2020-01-06 in Stata days
        XCTAssertEqual(spssDateTime.excelSerial(try spssValue("2020-01-06T12:00:00")), 43_836.5)
        XCTAssertEqual(spssDateTime.excelSerial(try spssValue("2020-01-06T08:00:00.4")), 43_836 + 1.0 / 3)   // to the second
        // Excel's 29 February 1900: the days before it are one lower than a plain day count.
        XCTAssertEqual(spss.excelSerial(try XCTUnwrap(spss.value("1900-01-01"))), 1)
        XCTAssertEqual(spss.excelSerial(try XCTUnwrap(spss.value("1900-02-28"))), 59)
        XCTAssertEqual(spss.excelSerial(try XCTUnwrap(spss.value("1900-03-01"))), 61)
        XCTAssertEqual(spss.excelSerial(try XCTUnwrap(spss.value("9999-12-31"))), 2_958_465)
        XCTAssertNil(spss.excelSerial(try XCTUnwrap(spss.value("1899-12-31"))))
        XCTAssertNil(spss.excelSerial(.nan))
        XCTAssertEqual(stataTime.excelSerial(26 * 3_600_000), 26.0 / 24)               // a duration past a day
        XCTAssertNil(stataTime.excelSerial(-3_600_000))                                  // Excel has no negative time

        XCTAssertEqual(ResultTable.Cell.temporal(21_920, format: stata), .temporal("2020-01-06", excelSerial: 43_836, excelFormat: "yyyy-mm-dd"))
        XCTAssertEqual(ResultTable.Cell.temporal(21_920.5, format: stata),
                       .temporal("2020-01-06T12:00:00", excelSerial: 43_836.5, excelFormat: "yyyy-mm-dd hh:mm:ss"))
        XCTAssertEqual(ResultTable.Cell.temporal(-3_600_000, format: stataTime), .temporal("-01:00:00", excelSerial: nil, excelFormat: "[hh]:mm:ss"))
        XCTAssertEqual(ResultTable.Cell.duration(5_400_000, format: stataTime), .temporal("01:30:00", excelSerial: 1.5 / 24, excelFormat: "[hh]:mm:ss"))
        XCTAssertNil(ResultTable.Cell.temporal(.nan, format: stata))

        let old = try XCTUnwrap(spss.value("1850-05-17"))
        let t = ResultTable(title: "", columns: ["Variabel", "Min", "Max", "SD"], rows: [
            [.text("dato"), try XCTUnwrap(.temporal(old, format: spss)), try XCTUnwrap(.temporal(21_920.5, format: stata)),
             try XCTUnwrap(.duration(93_600_000, format: stataTime))],
        ])
        let url = try tempURL("dates.xlsx")
        try TableExporter.write([t], as: .xlsx, to: url.path, options: ExportOptions(locale: .norwegian))
        let sheet = try unzipMember(url, "xl/worksheets/sheet1.xml")
        XCTAssertTrue(sheet.contains(#"<c r="B2" t="s">"#) || sheet.contains(#"<c r="B2" s="0" t="s">"#), sheet)   // 1850: text
        XCTAssertNotNil(sheet.range(of: #"<c r="C2" s="[0-9]+"><v>43836.5</v></c>"#, options: .regularExpression), sheet)
        XCTAssertNotNil(sheet.range(of: #"<c r="D2" s="[0-9]+"><v>1.08333333333333\d*</v></c>"#, options: .regularExpression), sheet)
        let styles = try unzipMember(url, "xl/styles.xml")
        XCTAssertTrue(styles.contains(#"formatCode="yyyy-mm-dd hh:mm:ss""#), styles)
        XCTAssertTrue(styles.contains(#"formatCode="[hh]:mm:ss""#), styles)
        XCTAssertTrue(try unzipMember(url, "xl/sharedStrings.xml").contains("1850-05-17"))
        // Text, CSV and JSON tables show the text (no locale change in a date).
        for format in [ExportFormat.text, .csv, .markdown, .html, .latex, .json] {
            let out = TableExporter.renderText([t], as: format, options: ExportOptions(locale: .norwegian))
            for cell in ["1850-05-17", "2020-01-06T12:00:00", "26:00:00"] { XCTAssertTrue(out.contains(cell), "\(format): \(out)") }
        }
    }

    func testSheetNamesAreSanitizedTruncatedAndUnique() {
        let names = XLSXWorkbookWriter.sheetNames(for: [
            "Tabell 3.1: Tillit [alle]/rolle?", "", "'quoted'",
            "A very long title that goes on beyond thirty-one characters",
            "A very long title that goes on beyond thirty-one characters", "tabell 3.1_ tillit _alle__rolle_",
        ])
        XCTAssertEqual(names, [
            "Tabell 3.1_ Tillit _alle__rolle", "Table 2", "quoted", "A very long title that goes on",
            "A very long title that goes (2)", "tabell 3.1_ tillit _alle__r (2)",
        ])
        for n in names { XCTAssertLessThanOrEqual(n.utf16.count, 31) }
        // "History" is reserved by Excel.
        XCTAssertEqual(XLSXWorkbookWriter.sheetNames(for: ["History", "history", "History of Nav"]),
                       ["History_", "history_ (2)", "History of Nav"])
    }

    func testFailedWriteLeavesNoFile() throws {
        let url = try tempURL("never.xlsx")
        struct Boom: Error {}
        XCTAssertThrowsError(try AtomicFile.writeByPath(to: url.path) { tmp in
            try Data("partial".utf8).write(to: URL(fileURLWithPath: tmp))
            throw Boom()
        })
        XCTAssertFalse(FileManager.default.fileExists(atPath: url.path))
        let left = try FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path)
        XCTAssertEqual(left, [], "temporary file must be removed")
        // An existing target survives a failed write untouched.
        try Data("old".utf8).write(to: url)
        XCTAssertThrowsError(try AtomicFile.writeByPath(to: url.path) { _ in throw Boom() })
        XCTAssertEqual(try String(contentsOf: url, encoding: .utf8), "old")
        XCTAssertThrowsError(try AtomicFile.write(Data(), to: "/nonexistent-dir/x.csv"))
    }

    func testTextFormatsWriteAtomically() throws {
        let url = try tempURL("t.csv")
        try TableExporter.write([ExportTestTable.table], as: .csv, to: url.path, options: ExportOptions(locale: .norwegian))
        let text = try String(contentsOf: url, encoding: .utf8)
        XCTAssertTrue(text.hasPrefix("Tillit etter rolle\nRolle;n;Gjennomsnitt;p\n"), text)
    }
}
