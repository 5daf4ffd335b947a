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
