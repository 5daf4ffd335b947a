import Foundation
import XCTest

/// How levels of a categorical variable are named in `regress`, `anova`, `ttest` and `describe --by`: a value label
/// shared by two codes says which code («Ja (2)», «Ja (3)»), as the crosstab and describe tables do; a level named
/// by a number with a fraction follows --locale in the tables («2,5» with nb, «2.5» with en), JSON keeps the point.
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
}
