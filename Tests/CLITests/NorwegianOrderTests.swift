import Foundation
import XCTest

/// Text categories are shown in Norwegian order (A–Z, Æ, Ø, Å; case ignored first, small letter before capital)
/// by every command, with either engine; numeric codes with value labels keep code order.
final class NorwegianOrderTests: XCTestCase {
    static let places = ["Agder", "Bergen", "Zeta", "Ærlig", "Østfold", "ålesund", "Ålesund"]

    static let csv: String = {
        let text = """
            sted,rolle,x,q,kode
            Ålesund,rådmann,3,4,3
            Bergen,Nav-leder,4,5,1
            Østfold,leder,5,3,2
            Ærlig,Leder,2,2,3
            ålesund,rådmann,1,1,1
            Agder,Nav-leder,3,4,2
            Zeta,leder,4,5,3
            Bergen,rådmann,2,3,1

            """
        return try! temporaryCSV(text, name: "steder.csv")
    }()

    func testCrosstabRowsAndColumnsInNorwegianOrderWithBothEngines() throws {
        for engine in ["memory", "stream"] {
            let j = try runJSON(["crosstab", "--data", Self.csv, "sted", "rolle", "--engine", engine])
            XCTAssertEqual(j["row_labels"] as? [String], Self.places, engine)
            XCTAssertEqual(j["column_labels"] as? [String], ["leder", "Leder", "Nav-leder", "rådmann"], engine)
            XCTAssertEqual(j["counts"] as? [[Int]], [[0, 0, 1, 0], [0, 0, 1, 1], [1, 0, 0, 0], [0, 1, 0, 0],
                                                     [1, 0, 0, 0], [0, 0, 0, 1], [0, 0, 0, 1]], engine)
        }
        let (memory, stream) = try StreamingEngineTests.bothEngines(["crosstab", "--data", Self.csv, "sted", "rolle"])
        XCTAssertEqual(memory.stdout, stream.stdout)
        let rows = memory.stdout.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) }
        XCTAssertEqual(Array(rows.drop { $0 != "Agder" }.prefix(7)), Self.places)
    }

    func testByGroupsInNorwegianOrderInDescribeLikertAndANOVA() throws {
        let describe = try runJSON(["describe", "--data", Self.csv, "x", "--by", "sted"])
        let variable = try XCTUnwrap((describe["variables"] as? [[String: Any]])?.first)
        let groups = try XCTUnwrap(variable["groups"] as? [[String: Any]])
        XCTAssertEqual(groups.map { $0["name"] as? String }, Self.places)
        XCTAssertEqual(groups.map { double($0["mean"]) }, [3, 3, 4, 2, 5, 1, 3])

        let anova = try runJSON(["anova", "--data", Self.csv, "x", "--by", "sted"])
        XCTAssertEqual((anova["groups"] as? [[String: Any]])?.map { $0["name"] as? String }, Self.places)

        let (memory, stream) = try StreamingEngineTests.bothEngines(["likert", "--data", Self.csv, "q", "--scale", "1-5",
                                                                     "--by", "sted", "--format", "json"])
        XCTAssertEqual(memory.stdout, stream.stdout)
        let likert = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(memory.stdout.utf8)) as? [String: Any])
        let item = try XCTUnwrap((likert["items"] as? [[String: Any]])?.first)
        XCTAssertEqual((item["groups"] as? [[String: Any]])?.map { $0["name"] as? String }, Self.places)
    }

    func testTTestComparesTheGroupsInNorwegianOrder() throws {
        // Ærlig before Østfold (code points would agree here, but Å would not): the difference is Ærlig − Østfold.
        let csv = try temporaryCSV("sted,x\nØstfold,5\nÆrlig,2\nØstfold,6\nÆrlig,1\n")
        let j = try runJSON(["ttest", "--data", csv, "x", "--by", "sted"])
        XCTAssertEqual((j["groups"] as? [[String: Any]])?.map { $0["name"] as? String }, ["Ærlig", "Østfold"])
        XCTAssertEqual(double(j["mean_difference"]), -4)
        let å = try runJSON(["ttest", "--data", try temporaryCSV("sted,x\nÅlesund,5\nBergen,2\nÅlesund,6\nBergen,1\n"),
                             "x", "--by", "sted"])
        XCTAssertEqual((å["groups"] as? [[String: Any]])?.map { $0["name"] as? String }, ["Bergen", "Ålesund"])
        XCTAssertEqual(double(å["mean_difference"]), -4)
    }

    func testRegressionReferenceIsTheFirstTextInNorwegianOrder() throws {
        let j = try runJSON(["regress", "--data", Self.csv, "x ~ C(rolle)"])
        let terms = (j["coefficients"] as? [[String: Any]])?.map { $0["term"] as? String }
        // Reference «leder» (mean 4.5); Å in «rådmann» does not move it before «Nav-leder».
        XCTAssertEqual(terms, ["(Intercept)", "C(rolle)[T.Leder]", "C(rolle)[T.Nav-leder]", "C(rolle)[T.rådmann]"])
    }

    func testCodebookListsTextValueLabelsInNorwegianOrder() throws {
        let csv = try temporaryCSV("sted\nØ\nA\n")
        let codebook = URL(fileURLWithPath: csv).deletingLastPathComponent().appendingPathComponent("steder.yaml").path
        try "variables:\n  sted:\n    type: text\n    values: {Ø: Østfold, Å: Ålesund, a: agder, Æ: Ærlig, A: Agder}\n"
            .write(toFile: codebook, atomically: true, encoding: .utf8)
        let r = try CLI.run(["codebook", "--data", csv, "--codebook", codebook])
        XCTAssertEqual(r.status, 0, r.stderr)
        let listed = r.stdout.split(separator: "\n").filter { $0.hasPrefix("    '") }.map(String.init)
        XCTAssertEqual(listed, ["    'a' = agder", "    'A' = Agder", "    'Æ' = Ærlig", "    'Ø' = Østfold", "    'Å' = Ålesund"])
    }

    func testLabelledCodesKeepCodeOrder() throws {
        let codebook = """
            variables:
              kode:
                values: {1: Østfold, 2: Ålesund, 3: Agder}

            """
        let dir = URL(fileURLWithPath: Self.csv).deletingLastPathComponent()
        let path = dir.appendingPathComponent("koder.yaml").path
        try codebook.write(toFile: path, atomically: true, encoding: .utf8)
        let j = try runJSON(["crosstab", "--data", Self.csv, "kode", "rolle", "--codebook", path])
        XCTAssertEqual(j["row_labels"] as? [String], ["Østfold", "Ålesund", "Agder"])
    }

    func testMixedNumberAndTextCategoriesInNaturalOrderWithBothEngines() throws {
        let csv = try temporaryCSV("gruppe,svar\n10,ja\nx,nei\n2,ja\n1,nei\nGruppe 10,ja\nGruppe 2,nei\n2,nei\n", name: "blandet.csv")
        let expected = ["1", "2", "10", "Gruppe 2", "Gruppe 10", "x"]
        for engine in ["memory", "stream"] {
            let j = try runJSON(["crosstab", "--data", csv, "gruppe", "svar", "--engine", engine])
            XCTAssertEqual(j["row_labels"] as? [String], expected, engine)
            XCTAssertEqual(j["counts"] as? [[Int]], [[0, 1], [1, 1], [1, 0], [0, 1], [1, 0], [0, 1]], engine)
        }
        let describe = try runJSON(["describe", "--data", Self.csv, "x", "--by", "kode"])
        let groups = try XCTUnwrap((describe["variables"] as? [[String: Any]])?.first?["groups"] as? [[String: Any]])
        XCTAssertEqual(groups.map { $0["name"] as? String }, ["1", "2", "3"])
    }

    func testWhereOrdersTextInNorwegianOrderIgnoringCase() throws {
        let csv = try temporaryCSV("navn;k\na;1\nå;1\nAnne;1\nÅse;1\nb;2\nz;2\nærlig;1\nøst;2\n", name: "coll.csv")
        let j = try runJSON(["describe", "--data", csv, "k", "--where", "navn >= Å"])
        XCTAssertEqual(j["n_excluded"] as? Int, 6)
        let k = try XCTUnwrap((j["variables"] as? [[String: Any]])?.first)
        XCTAssertEqual(k["n"] as? Int, 2)                          // «å» and «Åse»
        XCTAssertEqual(double(k["mean"]), 1)
        let between = try runJSON(["crosstab", "--data", csv, "navn", "k", "--where", "navn > z and navn < å"])
        XCTAssertEqual(between["row_labels"] as? [String], ["ærlig", "øst"])
    }
}
