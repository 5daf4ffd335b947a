import Foundation
import XCTest
@testable import SurveyStats

/// QA findings on the exporters: LaTeX line breaks before `*`/`[`, page-wide LaTeX tables and titles that carry
/// their own number, whole counts as JSON integers, short XLSX sheet names, notes in the locale's style.
final class ExportDetailTests: XCTestCase {
    /// `\\` followed by "*** p<.001" is a starred line break in LaTeX and ate a star of the legend.
    func testLaTeXLineBreakBeforeStarOrBracketIsProtected() {
        let t = ResultTable(title: "", columns: ["a", "p"],
                            rows: [[.text("x"), .pValue(0.0001)], [.text("[0, 1]"), .pValue(0.5)]],
                            notes: ["Source: none missing.", "*** p<.001 custom", "[bracketed] note", "plain"])
        let tex = LaTeXTableRenderer.render([t])
        XCTAssertTrue(tex.contains("Source: none missing. \\\\{}\n*** p\\textless{}.001 custom \\\\{}\n[bracketed] note \\\\\nplain \\\\{}\n*** p\\textless{}.001, ** p"), tex)
        XCTAssertTrue(tex.contains("x & \\textless{}.001$^{***}$ \\\\{}\n[0, 1] & .500 \\\\\n\\bottomrule"), tex)
        XCTAssertFalse(tex.contains("\\\\\n*"), tex)
        XCTAssertEqual(LaTeXTableRenderer.lineBreak(before: "plain"), "\\\\")
        XCTAssertEqual(LaTeXTableRenderer.lineBreak(before: "*"), "\\\\{}")
    }

    /// Long text cells (question wordings) wrap in tabularx X columns; "Figur 1: …" titles get \caption*.
    func testLaTeXWrapsLongTextColumnsAndKeepsOwnNumbers() {
        let long = String(repeating: "I hvilken grad opplever du ", count: 4)
        let t = ResultTable(title: "Figur 1: Svar", columns: ["Spørsmål", "Gruppe", "n"],
                            rows: [[.text(long), .text("Ledere"), .integer(441)]])
        let tex = LaTeXTableRenderer.render([t])
        XCTAssertTrue(tex.contains("\\caption*{Figur 1: Svar}"), tex)
        // A tabularx at the line width (or wider and shrunk: `fitDefinition`), measured first without the X column.
        XCTAssertTrue(tex.contains("\\surveystatsfitx{8em}{1}{>{\\setbox0=\\hbox\\bgroup}l<{\\egroup}lr}"
                                   + "{>{\\raggedright\\arraybackslash}Xlr}{%\n\\toprule\n"), tex)
        XCTAssertTrue(tex.contains("\\bottomrule\n}\n"), tex)
        XCTAssertTrue(tex.hasPrefix("%") && tex.contains("\\usepackage{tabularx}") && tex.contains("\\usepackage{caption}"))
        let wide = LaTeXTableRenderer.render([ResultTable(title: "", columns: ["Sjeldnere enn en gang i året (%)"],
                                                          rows: [[.number(15.1, decimals: 1)]])])
        XCTAssertTrue(wide.contains("\\multicolumn{1}{p{5em}}{\\raggedleft Sjeldnere enn en gang i året (\\%)} \\\\\n"), wide)
        let short = LaTeXTableRenderer.render([ResultTable(title: "Tillit", columns: ["a"], rows: [[.text("kort")]])])
        XCTAssertTrue(short.contains("\\caption{Tillit}\n\\begin{surveystatsfit}\n\\begin{tabular}{l}"), short)
    }

    /// Whole numbers shown without decimals (counts, published integers) are JSON integers.
    func testJSONTableCountsAreIntegers() {
        let t = ResultTable(title: "T", columns: ["n", "pct", "x"],
                            rows: [[.number(441, decimals: 0), .number(26.0, decimals: 1), .number(.nan, decimals: 0)]])
        let json = TableExporter.renderText([t], as: .json)
        XCTAssertTrue(json.contains("[441, 26.0, null]"), json)
    }

    /// The XLSX sheet is named by the table's short name; the title stays in A1.
    func testXLSXUsesShortNameForSheet() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("xlsx-short-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("t.xlsx")
        let t = ResultTable(title: "Tabell 3 Prosentvis fordeling av svarene", columns: ["x"], rows: [[.integer(1)]],
                            shortName: "Tabell 3")
        try TableExporter.write([t], as: .xlsx, to: url.path)
        let workbook = try unzipMember(url, "xl/workbook.xml")
        XCTAssertTrue(workbook.contains(#"<sheet name="Tabell 3" sheetId="1""#), workbook)
    }

    func testLocaleFormatsNumbersForNotes() {
        XCTAssertEqual(ExportLocale.norwegian.format(0.5), "0,5")
        XCTAssertEqual(ExportLocale.standard.format(0.5), "0.5")
        XCTAssertEqual(ExportLocale.norwegian.format(4.4721, decimals: 2), "4,47")
        XCTAssertEqual(ExportLocale.norwegian.format(12), "12")
    }
}
