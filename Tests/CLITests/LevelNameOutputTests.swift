import Foundation
import XCTest

/// How levels of a categorical variable are named in `regress`, `anova`, `ttest`, `describe --by`, `crosstab`,
/// `likert --by` and `prop-test --by`: a value label shared by two codes says which code («Ja (2)», «Ja (3)»), as
/// the crosstab and describe tables do; a level named by a number with a fraction follows --locale in the tables
/// («2,5» with nb, «2.5» with en), in every table format and with both engines; JSON keeps the point.
final class LevelNameOutputTests: XCTestCase {
    static let shared: String = {
        let csv = try! temporaryCSV("y,g\n1,1\n2,2\n4,3\n3,1\n5,3\n2,2\n", name: "delt.csv")
        try! "variables:\n  g:\n    values: {1: Nei, 2: Ja, 3: Ja}\n"
            .write(toFile: (csv as NSString).deletingPathExtension + ".codebook.yaml", atomically: true, encoding: .utf8)
        return csv
    }()

    static let fractions: String = {
        try! temporaryCSV("y,g\n1,1\n2,2.5\n3,4\n2,1\n4,2.5\n5,4\n", name: "brok.csv")
    }()

    /// Grouping variables with fractional levels (g: 1, 2.5, 4; h: 0.5, 1.5; s: 0/1 successes), a Likert item q
    /// on the scale 1, 2.5, 3, and k whose codebook gives 1 and 2.5 the same label (Ja (1), Ja (2.5)).
    static let categories: String = {
        let csv = try! temporaryCSV("g,h,q,s,k\n1,0.5,1,0,1\n2.5,0.5,2.5,1,2.5\n4,1.5,3,1,4\n1,1.5,1,1,1\n2.5,0.5,2.5,1,2.5\n4,1.5,3,0,4\n2.5,1.5,3,0,1\n",
                                    name: "kategorier.csv")
        try! "variables:\n  k:\n    values: {1: Ja, 2.5: Ja, 4: Nei}\n"
            .write(toFile: (csv as NSString).deletingPathExtension + ".codebook.yaml", atomically: true, encoding: .utf8)
        return csv
    }()

    /// `args` in `format` with --locale nb (and --engine `engine` when given).
    private func nb(_ args: [String], _ format: String, engine: String? = nil) throws -> String {
        let r = try CLI.run(args + ["--locale", "nb", "--format", format] + (engine.map { ["--engine", $0] } ?? []))
        XCTAssertEqual(r.status, 0, "\(args) \(format): \(r.stderr)")
        XCTAssertFalse(r.stderr.contains("Fatal error"), r.stderr)
        return r.stdout
    }

    /// The first worksheet and shared strings of `args` written as XLSX with --locale nb.
    private func nbWorkbook(_ args: [String], engine: String? = nil) throws -> String {
        let xlsx = FileManager.default.temporaryDirectory.appendingPathComponent("niva-\(UUID().uuidString).xlsx").path
        defer { try? FileManager.default.removeItem(atPath: xlsx) }
        let r = try CLI.run(args + ["--locale", "nb", "--format", "xlsx", "--out", xlsx] + (engine.map { ["--engine", $0] } ?? []))
        XCTAssertEqual(r.status, 0, r.stderr)
        let strings = (try? unzip(xlsx, "xl/sharedStrings.xml")) ?? ""
        return strings + (try unzip(xlsx, "xl/worksheets/sheet1.xml"))
    }

    /// How each table format writes a text cell `x` that starts a row, and a column header `x`.
    private static func rowCell(_ x: String, _ format: String) -> String {
        ["text": "\n\(x) ", "csv": "\n\(x);", "markdown": "| \(x) |", "html": ">\(x)<", "latex": "\n\(x) &"][format]!
    }
    private static func header(_ x: String, _ format: String) -> String {
        ["text": " \(x) ", "csv": ";\(x);", "markdown": "| \(x) |", "html": ">\(x)<",
         "latex": "& \(x.replacingOccurrences(of: "%", with: "\\%")) &"][format]!
    }

    /// `out` (in `format`, --locale nb) names the row `row` and the column `column` with a decimal comma, and
    /// never with the decimal point.
    private func assertDecimalComma(_ out: String, rows: [String], headers: [String], format: String, _ what: String,
                                    file: StaticString = #filePath, line: UInt = #line) {
        for x in rows {
            XCTAssertTrue(out.contains(Self.rowCell(x, format)), "\(what) \(format): row \(x) in \(out)", file: file, line: line)
            let point = x.replacingOccurrences(of: ",", with: ".")
            XCTAssertFalse(out.contains(Self.rowCell(point, format)), "\(what) \(format): row \(point) in \(out)", file: file, line: line)
        }
        for x in headers {
            XCTAssertTrue(out.contains(Self.header(x, format)), "\(what) \(format): column \(x) in \(out)", file: file, line: line)
            let point = x.replacingOccurrences(of: ",", with: ".")
            XCTAssertFalse(out.contains(Self.header(point, format)), "\(what) \(format): column \(point) in \(out)", file: file, line: line)
        }
    }

    func testRegressNamesCoefficientsOfASharedLabelByCode() throws {
        let j = try runJSON(["regress", "--data", Self.shared, "y ~ C(g)"])
        let coefficients = try XCTUnwrap(j["coefficients"] as? [[String: Any]])
        XCTAssertEqual(coefficients.map { $0["term"] as? String }, ["(Intercept)", "C(g)[T.Ja (2)]", "C(g)[T.Ja (3)]"])
        XCTAssertEqual(coefficients.map { double($0["estimate"]) }, [2, 0, 2.5])   // means 2, 2, 4.5
        let text = try CLI.run(["regress", "--data", Self.shared, "y ~ C(g)"])
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.stdout.contains("C(g)[T.Ja (2)]") && text.stdout.contains("C(g)[T.Ja (3)]"), text.stdout)

        // The reference by code or by the disambiguated name; the shared label alone names no single level.
        for ref in ["3", "'Ja (3)'"] {
            let r = try runJSON(["regress", "--data", Self.shared, "y ~ C(g, ref=\(ref))"])
            let terms = (r["coefficients"] as? [[String: Any]])?.compactMap { $0["term"] as? String } ?? []
            XCTAssertEqual(terms, ["(Intercept)", "C(g, ref=\(ref))[T.Nei]", "C(g, ref=\(ref))[T.Ja (2)]"], ref)
        }
        let ambiguous = try CLI.run(["regress", "--data", Self.shared, "y ~ C(g, ref=Ja)"])
        XCTAssertNotEqual(ambiguous.status, 0)
        XCTAssertTrue(ambiguous.stderr.contains("'Ja' is the value label of several levels of 'g' (Ja (2), Ja (3)); give the code, e.g. 2"),
                      ambiguous.stderr)
        XCTAssertFalse(ambiguous.stderr.contains("Fatal error"), ambiguous.stderr)
    }

    func testRegressLevelWithAFractionFollowsTheLocale() throws {
        let args = ["regress", "--data", Self.fractions, "y ~ C(g)"]
        let en = try CLI.run(args)
        XCTAssertEqual(en.status, 0, en.stderr)
        XCTAssertTrue(en.stdout.contains("C(g)[T.2.5]"), en.stdout)
        for format in ["text", "csv", "markdown", "html", "latex"] {
            let nb = try CLI.run(args + ["--locale", "nb", "--format", format])
            XCTAssertEqual(nb.status, 0, nb.stderr)
            // (Markdown escapes the brackets.)
            XCTAssertTrue(nb.stdout.contains("T.2,5") && !nb.stdout.contains("T.2.5"), "\(format): \(nb.stdout)")
        }
        let xlsx = FileManager.default.temporaryDirectory.appendingPathComponent("brok-\(UUID().uuidString).xlsx").path
        defer { try? FileManager.default.removeItem(atPath: xlsx) }
        let r = try CLI.run(args + ["--locale", "nb", "--format", "xlsx", "--out", xlsx])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(try unzip(xlsx, "xl/sharedStrings.xml").contains("C(g)[T.2,5]") || (try unzip(xlsx, "xl/worksheets/sheet1.xml")).contains("C(g)[T.2,5]"))
        // JSON is locale-independent.
        let j = try runJSON(args + ["--locale", "nb"])
        let terms = (j["coefficients"] as? [[String: Any]])?.compactMap { $0["term"] as? String }
        XCTAssertEqual(terms, ["(Intercept)", "C(g)[T.2.5]", "C(g)[T.4]"])
    }

    func testGroupNamesWithAFractionFollowTheLocaleInAnovaTtestAndDescribe() throws {
        for (args, nbText) in [(["anova", "--data", Self.fractions, "y", "--by", "g"], "\n2,5 "),
                               (["ttest", "--data", Self.fractions, "y", "--by", "g", "--where", "g != 4"], "Difference = mean(1) − mean(2,5)."),
                               (["describe", "--data", Self.fractions, "y", "--by", "g"], " 2,5 ")] {
            let en = try CLI.run(args)
            XCTAssertEqual(en.status, 0, en.stderr)
            XCTAssertTrue(en.stdout.contains(nbText.replacingOccurrences(of: "2,5", with: "2.5")), "\(args[0]): \(en.stdout)")
            for format in ["text", "csv", "markdown"] {
                let nb = try CLI.run(args + ["--locale", "nb", "--format", format])
                XCTAssertEqual(nb.status, 0, nb.stderr)
                XCTAssertTrue(nb.stdout.contains("2,5") && !nb.stdout.contains("2.5"), "\(args[0]) \(format): \(nb.stdout)")
                if format == "text" { XCTAssertTrue(nb.stdout.contains(nbText), "\(args[0]): \(nb.stdout)") }
            }
            // JSON keeps the decimal point whatever the locale.
            let j = try runJSON(args + ["--locale", "nb"])
            let groups = (j["groups"] as? [[String: Any]]) ?? ((j["variables"] as? [[String: Any]])?.first?["groups"] as? [[String: Any]])
            XCTAssertEqual(groups?.compactMap { $0["name"] as? String }.contains("2.5"), true, "\(args[0]): \(j)")
        }
    }

    func testCrosstabRowAndColumnLabelsWithAFractionFollowTheLocaleWithBothEngines() throws {
        let args = ["crosstab", "--data", Self.categories, "g", "h", "--percent", "row"]
        for engine in ["memory", "stream"] {
            let en = try CLI.run(args + ["--engine", engine])
            XCTAssertEqual(en.status, 0, en.stderr)
            XCTAssertTrue(en.stdout.contains("\n2.5 ") && en.stdout.contains(" 0.5 ") && en.stdout.contains(" 1.5 "), en.stdout)
            for format in ["text", "csv", "markdown", "html", "latex"] {
                // Both the counts and the percent table.
                let out = try nb(args, format, engine: engine)
                assertDecimalComma(out, rows: ["2,5"], headers: ["0,5", "1,5"], format: format, "crosstab \(engine)")
                XCTAssertEqual(out.components(separatedBy: Self.rowCell("2,5", format)).count - 1, 2, "\(engine) \(format): \(out)")
            }
            let workbook = try nbWorkbook(args, engine: engine)
            XCTAssertTrue(workbook.contains(">2,5<") && workbook.contains(">0,5<") && !workbook.contains(">2.5<"), workbook)
            // JSON keeps the decimal point whatever the locale.
            let j = try runJSON(args + ["--locale", "nb", "--engine", engine])
            XCTAssertEqual(j["row_labels"] as? [String], ["1", "2.5", "4"])
            XCTAssertEqual(j["column_labels"] as? [String], ["0.5", "1.5"])
        }
        // A label shared by 1 and 2.5 carries the code, with the locale's decimal mark.
        for engine in ["memory", "stream"] {
            let shared = ["crosstab", "--data", Self.categories, "h", "k", "--engine", engine]
            let en = try CLI.run(shared)
            XCTAssertEqual(en.status, 0, en.stderr)
            XCTAssertTrue(en.stdout.contains(" Ja (2.5) ") && en.stdout.contains(" Ja (1) "), en.stdout)
            let nbText = try nb(shared, "text")
            XCTAssertTrue(nbText.contains(" Ja (2,5) ") && nbText.contains(" Ja (1) ") && !nbText.contains("2.5"), nbText)
            XCTAssertEqual(try runJSON(shared + ["--locale", "nb"])["column_labels"] as? [String], ["Ja (1)", "Ja (2.5)", "Nei"])
        }
    }

    func testLikertGroupsAndScalePointsWithAFractionFollowTheLocaleWithBothEngines() throws {
        let args = ["likert", "--data", Self.categories, "q", "--scale", "1,2.5,3,4", "--by", "g"]
        for engine in ["memory", "stream"] {
            let en = try CLI.run(args + ["--engine", engine])
            XCTAssertEqual(en.status, 0, en.stderr)
            XCTAssertTrue(en.stdout.contains("\n2.5 ") && en.stdout.contains(" 2.5 % ") && en.stdout.contains(" Bottom 1+2.5 %"), en.stdout)
            for format in ["text", "csv", "markdown", "html", "latex"] {
                let out = try nb(args, format, engine: engine)
                assertDecimalComma(out, rows: ["2,5"], headers: ["2,5 %"], format: format, "likert \(engine)")
                XCTAssertTrue(out.contains("Bottom 1+2,5 ") && !out.contains("2.5"), "\(engine) \(format): \(out)")
            }
            let workbook = try nbWorkbook(args, engine: engine)
            XCTAssertTrue(workbook.contains(">2,5<") && workbook.contains(">2,5 %<") && !workbook.contains("2.5"), workbook)
            // JSON keeps the decimal point: group names and the box's points.
            let j = try runJSON(args + ["--locale", "nb", "--engine", engine])
            let item = try XCTUnwrap((j["items"] as? [[String: Any]])?.first)
            XCTAssertEqual((item["groups"] as? [[String: Any]])?.compactMap { $0["name"] as? String }, ["1", "2.5", "4"])
            XCTAssertEqual(item["bottom_box_points"] as? String, "1+2.5")
        }
        // A box given with --bottom is shown with the locale's decimal mark too.
        let given = try nb(args + ["--bottom", "1+2.5", "--top", "3+4"], "text")
        XCTAssertTrue(given.contains("Bottom 1+2,5 %") && given.contains("Top 3+4 %") && !given.contains("2.5"), given)
        let givenEn = try CLI.run(args + ["--bottom", "1+2.5"])
        XCTAssertTrue(givenEn.stdout.contains("Bottom 1+2.5 %"), givenEn.stdout)
        XCTAssertEqual((try runJSON(args + ["--bottom", "1+2.5", "--locale", "nb"])["items"] as? [[String: Any]])?.first?["bottom_box_points"] as? String,
                       "1+2.5")
    }

    func testPropTestGroupsWithAFractionFollowTheLocale() throws {
        let args = ["prop-test", "--data", Self.categories, "s", "--by", "g", "--where", "g != 4"]
        let en = try CLI.run(args)
        XCTAssertEqual(en.status, 0, en.stderr)
        XCTAssertTrue(en.stdout.contains("\n2.5 ") && en.stdout.contains("Difference = 1 − 2.5;"), en.stdout)
        for format in ["text", "csv", "markdown", "html", "latex"] {
            let out = try nb(args, format)
            assertDecimalComma(out, rows: ["2,5"], headers: [], format: format, "prop-test")
            XCTAssertTrue(out.contains(" 2,5; the interval") && !out.contains("2.5"), "\(format): \(out)")
        }
        XCTAssertTrue(try nbWorkbook(args).contains(">2,5<"))
        let j = try runJSON(args + ["--locale", "nb"])
        XCTAssertEqual(j["groups"] as? [String], ["1", "2.5"])
    }
}
