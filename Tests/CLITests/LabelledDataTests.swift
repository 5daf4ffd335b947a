import Foundation
import XCTest

/// Codebooks (labels, code order, declared missing codes), `--where`, and SPSS/Stata input through the CLI.
final class LabelledDataTests: XCTestCase {
    private let codebook = "datasets/examples/ledere.codebook.yaml"

    func testCodebookMissingCodesAreCountedByReason() throws {
        let json = try runJSON(["describe", "--data", Example.csv, "--codebook", codebook, "tillit"])
        let v = try XCTUnwrap((json["variables"] as? [[String: Any]])?.first)
        XCTAssertEqual(v["n"] as? Int, Int(Example.refDouble("labelled", "tillit", "n")))
        XCTAssertEqual(v["missing"] as? Int, 3)
        assertClose(double(v["mean"]), Example.refDouble("labelled", "tillit", "mean"), tol: 1e-13, "mean without code 9")
        assertClose(double(v["sd"]), Example.refDouble("labelled", "tillit", "sd"), tol: 1e-13, "sd without code 9")
        let reasons = try XCTUnwrap(v["missing_reasons"] as? [[String: Any]])
        let byReason = Dictionary(uniqueKeysWithValues: reasons.map { ($0["reason"] as! String, $0["count"] as! Int) })
        XCTAssertEqual(byReason["code 9 «ubesvart»"], 2)
        XCTAssertEqual(byReason["empty/NA"], 1)
        XCTAssertEqual(v["label"] as? String, "I hvilken grad har du tillit til Nav-kontoret?")
    }

    func testGroupsFollowCodebookOrderAndLabels() throws {
        let json = try runJSON(["anova", "--data", Example.csv, "--codebook", codebook, "samarbeid", "--by", "rolle"])
        let groups = try XCTUnwrap(json["groups"] as? [[String: Any]])
        XCTAssertEqual(groups.map { $0["name"] as? String ?? "" }, Example.ref("labelled", "rolle_order") as? [String])
        // Same F as without the codebook: only the order and labels change.
        assertClose(double(json["f"]), Example.refDouble("anova", "classic", "f"), "F")
        let text = try CLI.run(["crosstab", "--data", Example.csv, "--codebook", codebook, "sektor", "tillit"])
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.stdout.contains("I svært liten grad"), text.stdout)
        XCTAssertTrue(text.stdout.contains("tillit: 2 code 9 «ubesvart», 1 empty/NA"), text.stdout)
    }

    /// SPSS string variables (and codebook `type: text` variables) with value labels: tables show the labels as
    /// for numeric codes, a declared missing text is listed with its label, `--where` takes either.
    func testTextValueLabelsNameLevelsAndMissingValues() throws {
        let csv = try temporaryCSV("s,q,w\nja,1,1\nnei,2,1\nX,1,1\nja,2,1\nvet ikke,1,1\n", name: "t.csv")
        let codebook = (csv as NSString).deletingPathExtension + ".codebook.yaml"
        try "variables:\n  s:\n    type: text\n    values: {ja: Ja, nei: Nei, X: Ugyldig}\n    missing: [X]\n"
            .write(toFile: codebook, atomically: true, encoding: .utf8)
        for engine in ["memory", "stream"] {
            let r = try CLI.run(["crosstab", "--data", csv, "s", "q", "--engine", engine])
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertTrue(r.stdout.contains("\nJa        1  1      2\nNei       0  1      1\nvet ikke  1  0      1\n"), "\(engine): \(r.stdout)")
            XCTAssertTrue(r.stdout.contains("(s: 1 code 'X' «Ugyldig»)"), "\(engine): \(r.stdout)")
        }
        let by = try CLI.run(["describe", "--data", csv, "w", "--by", "s"])
        XCTAssertTrue(by.stdout.contains("\n          Ja        2 "), by.stdout)
        XCTAssertTrue(by.stdout.contains("1 row has no s and is only in (all) (s: 1 code 'X' «Ugyldig»)."), by.stdout)
        for filter in ["s == Ja", "s == ja"] {
            let json = try runJSON(["describe", "--data", csv, "w", "--where", filter])
            XCTAssertEqual(json["n_excluded"] as? Int, 3, filter)
        }
        // The same through an SPSS file, which stores string value labels and string missing values alike.
        let sav = (csv as NSString).deletingPathExtension + ".sav"
        XCTAssertEqual(try CLI.run(["convert", csv, sav]).status, 0)
        let spss = try CLI.run(["crosstab", "--data", sav, "s", "q"])
        XCTAssertTrue(spss.stdout.contains("\nJa        1  1      2\nNei       0  1      1\nvet ikke  1  0      1\nTotal     2  2      4\n"),
                      spss.stdout)
        XCTAssertTrue(spss.stdout.contains("(s: 1 code 'X' «Ugyldig»)"), spss.stdout)
    }

    /// Two codes with one label: shown apart as «Ja (1)», «Ja (2)» (both engines), and `--where 'g == Ja'` keeps
    /// both codes, with a note saying so.
    func testLabelSharedByTwoCodes() throws {
        let csv = try temporaryCSV("g,v\n1,1\n2,2\n3,3\n2,4\n", name: "dup.csv")
        try "variables:\n  g:\n    values: {1: Ja, 2: Ja, 3: Nei}\n"
            .write(toFile: (csv as NSString).deletingPathExtension + ".codebook.yaml", atomically: true, encoding: .utf8)
        let filtered = try CLI.run(["describe", "--data", csv, "v", "--where", "g == Ja", "--format", "json"])
        XCTAssertEqual(filtered.status, 0, filtered.stderr)
        XCTAssertTrue(filtered.stdout.contains("\"n_excluded\": 1"), filtered.stdout)
        XCTAssertTrue(filtered.stderr.contains("surveystats: --where: 'Ja' is the value label of 2 codes of 'g' (1, 2); the filter matches all of them (give a code to pick one)\n"), filtered.stderr)
        let by = try CLI.run(["describe", "--data", csv, "v", "--by", "g"])
        XCTAssertTrue(by.stdout.contains("          Ja (1)  1"), by.stdout)
        XCTAssertTrue(by.stdout.contains("          Ja (2)  2"), by.stdout)
        for engine in ["memory", "stream"] {
            let r = try CLI.run(["crosstab", "--data", csv, "g", "v", "--engine", engine])
            XCTAssertTrue(r.stdout.contains("\nJa (1)  1  0  0  0      1\nJa (2)  0  1  0  1      2\nNei     0  0  1  0      1\n"), "\(engine): \(r.stdout)")
        }
    }

    /// `--where 'g == 3'` keeps code 3 even when «3» is the label of code 4, and says so on stderr with the quoted
    /// label that selects code 4 (which `--where "g == '3'"` then does, without a note).
    func testWhereNumberThatIsAnotherCodesLabelNotesIt() throws {
        let csv = try temporaryCSV("g,v\n1,1\n3,2\n4,3\n4,4\n2,5\n", name: "kode3.csv")
        try "variables:\n  g:\n    values: {1: Lav, 2: Middels, 3: Høy, 4: '3'}\n"
            .write(toFile: (csv as NSString).deletingPathExtension + ".codebook.yaml", atomically: true, encoding: .utf8)
        let code = try CLI.run(["describe", "--data", csv, "v", "--where", "g == 3", "--format", "json"])
        XCTAssertEqual(code.status, 0, code.stderr)
        XCTAssertTrue(code.stdout.contains("\"n_excluded\": 4"), code.stdout)   // only the row with code 3
        XCTAssertTrue(code.stderr.contains("surveystats: --where: 3 is read as code 3 of 'g' (codes come before labels), "
                                           + "but «3» is the value label of code 4; write the label in quotes ('3') to select code 4\n"),
                      code.stderr)
        XCTAssertFalse(code.stderr.contains("warning"), code.stderr)
        let label = try CLI.run(["describe", "--data", csv, "v", "--where", "g == '3'", "--format", "json"])
        XCTAssertEqual(label.status, 0, label.stderr)
        XCTAssertTrue(label.stdout.contains("\"n_excluded\": 3"), label.stdout)   // the two rows with code 4
        XCTAssertFalse(label.stderr.contains("--where:"), label.stderr)
        // The Norwegian labels of the other codes are untouched, and a code no label repeats gives no note.
        let high = try CLI.run(["describe", "--data", csv, "v", "--where", "g == Høy"])
        XCTAssertEqual(high.status, 0, high.stderr)
        XCTAssertFalse(high.stderr.contains("--where:"), high.stderr)
        XCTAssertFalse(try CLI.run(["describe", "--data", csv, "v", "--where", "g == 1"]).stderr.contains("--where:"))
    }

    /// Missing codes in table notes follow --locale like the cells (JSON keeps the point).
    func testMissingCodeInNotesFollowsTheLocale() throws {
        let csv = try temporaryCSV("g;v\n1;1\n-1,5;2\n2;3\n", name: "m.csv")
        try "variables:\n  g:\n    missing: [-1.5]\n"
            .write(toFile: (csv as NSString).deletingPathExtension + ".codebook.yaml", atomically: true, encoding: .utf8)
        for engine in ["memory", "stream"] {
            let nb = try CLI.run(["crosstab", "--data", csv, "g", "v", "--locale", "nb", "--engine", engine])
            XCTAssertTrue(nb.stdout.contains("1 left out for missing values (g: 1 code -1,5)."), "\(engine): \(nb.stdout)")
            let en = try CLI.run(["crosstab", "--data", csv, "g", "v", "--engine", engine])
            XCTAssertTrue(en.stdout.contains("(g: 1 code -1.5)."), "\(engine): \(en.stdout)")
        }
        let by = try CLI.run(["describe", "--data", csv, "v", "--by", "g", "--locale", "nb"])
        XCTAssertTrue(by.stdout.contains("(g: 1 code -1,5)."), by.stdout)
        let json = try CLI.run(["crosstab", "--data", csv, "g", "v", "--locale", "nb", "--format", "json"])
        XCTAssertTrue(json.stdout.contains("\"reason\": \"code -1.5\""), json.stdout)
    }

    func testWhereFilter() throws {
        let json = try runJSON(["describe", "--data", Example.csv, "--no-codebook", "samarbeid", "--where", "sektor == kommunal"])
        XCTAssertEqual(json["n_excluded"] as? Int, 25)
        let v = try XCTUnwrap((json["variables"] as? [[String: Any]])?.first)
        XCTAssertEqual(v["n"] as? Int, Int(Example.refDouble("labelled", "samarbeid_kommunal", "n")))
        assertClose(double(v["mean"]), Example.refDouble("labelled", "samarbeid_kommunal", "mean"), tol: 1e-13, "mean")
        assertClose(double(v["sd"]), Example.refDouble("labelled", "samarbeid_kommunal", "sd"), tol: 1e-13, "sd")
        // A list filter with labels from the codebook.
        let two = try runJSON(["ttest", "--data", Example.csv, "--codebook", codebook, "samarbeid", "--by", "rolle",
                               "--where", "rolle in [ordfører, rådmann]"])
        XCTAssertEqual((two["groups"] as? [[String: Any]])?.map { $0["name"] as? String }, ["ordfører", "rådmann"])
        let bad = try CLI.run(["describe", "--data", Example.csv, "--no-codebook", "samarbeid", "--where", "sektor =="])
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.stderr.contains("--where"), bad.stderr)
    }

    func testSPSSFileWrittenByAnotherProgram() throws {
        // haven/ReadStat's iris.sav (from shared/reference/spss), committed as a test fixture.
        let sav = CLI.packageRoot.appendingPathComponent("Tests/SurveyStatsTests/Fixtures/data/iris.sav").path
        XCTAssertTrue(FileManager.default.fileExists(atPath: sav), "fixture missing: \(sav)")
        let json = try runJSON(["anova", "--data", sav, "Sepal.Length", "--by", "Species"])
        assertClose(double(json["f"]), Example.refDouble("spss", "iris_anova", "f"), "iris F")
        assertClose(double(json["p"]), Example.refDouble("spss", "iris_anova", "p"), tol: 1e-9, "iris p")
        XCTAssertEqual((json["groups"] as? [[String: Any]])?.map { $0["name"] as? String ?? "" },
                       Example.ref("spss", "iris_anova", "groups") as? [String])
    }
}

/// `likert` against pandas value counts (percent of valid answers, code 9 = «ubesvart» missing by the codebook).
final class LikertCommandTests: XCTestCase {
    func testPercentPerCategoryAndTopBox() throws {
        let json = try runJSON(["likert", "--data", Example.csv, "--codebook", "datasets/examples/ledere.codebook.yaml",
                                "tillit", "--by", "sektor"])
        let item = try XCTUnwrap((json["items"] as? [[String: Any]])?.first)
        assertClose(doubles(item["percent"]), Example.refDoubles("labelled", "tillit_percent"), tol: 1e-13, "percent")
        assertClose(double(item["top_box"]), Example.refDouble("labelled", "tillit_top_4_5"), tol: 1e-13, "top box")
        assertClose(double(item["mean"]), Example.refDouble("labelled", "tillit", "mean"), tol: 1e-13, "mean")
        XCTAssertEqual(item["labels"] as? [String], ["I svært liten grad", "I liten grad", "Verken eller", "I stor grad", "I svært stor grad"])
        XCTAssertEqual((item["groups"] as? [[String: Any]])?.count, 2)
        let text = try CLI.run(["likert", "--data", Example.csv, "--codebook", "datasets/examples/ledere.codebook.yaml", "tillit"])
        XCTAssertTrue(text.stdout.contains("5 I svært stor grad %"), text.stdout)
        XCTAssertTrue(text.stdout.contains("2 code 9 «ubesvart»"), text.stdout)
    }
}
