import XCTest
@testable import SurveyStats

/// How the levels of a grouping variable are named in tables: value labels for numeric codes and for texts
/// (SPSS string value labels), a label shared by several codes followed by the code, the order never changed.
final class LevelNameTests: XCTestCase {
    func testNumericLabelsSharedByTwoCodesCarryTheCode() throws {
        var g = Variable(name: "g", values: .numeric(NumericColumn([1, 2, 3, 2, 4])), valueLabels: [1: "Ja", 2: "Ja", 3: "Nei"])
        XCTAssertEqual(g.levelNames(codes: [1, 2, 3, 4]), ["Ja (1)", "Ja (2)", "Nei", "4"])
        XCTAssertEqual(FactorCodes(g).names, ["Ja (1)", "Ja (2)", "Nei", "4"])
        g.valueLabels = [1: "Ja", 2: "Nei"]
        XCTAssertEqual(FactorCodes(g).names, ["Ja", "Nei", "3", "4"])
    }

    func testTextValueLabelsNameLevelsWithoutChangingTheirOrder() throws {
        var s = Variable(name: "s", values: .text(["nei", "ja", "X", nil, "vet ikke", "ja"]))
        s.textValueLabels = ["ja": "Ja", "nei": "Nei", "X": "Ugyldig"]
        s.textMissingValues = ["X"]
        let f = FactorCodes(s)
        // Ordered by the stored texts (ja < nei < vet ikke), named by their labels.
        XCTAssertEqual(f.names, ["Ja", "Nei", "vet ikke"])
        XCTAssertEqual(f.texts, ["ja", "nei", "vet ikke"])
        XCTAssertEqual(f.codes, [2, 1, 0, 0, 3, 1])
        XCTAssertEqual(f.levelIndex("ja"), 0, "a level is found by its stored text too")
        XCTAssertEqual(f.levelIndex("Nei"), 1)
        let restricted = f.restricted(to: [true, false, true, true, true, false])
        XCTAssertEqual(restricted.names, ["Nei", "vet ikke"])
        XCTAssertEqual(restricted.texts, ["nei", "vet ikke"])
        s.textValueLabels["nei"] = "Ja"
        XCTAssertEqual(FactorCodes(s).names, ["Ja (ja)", "Ja (nei)", "vet ikke"])
    }

    func testCrossTabOfSharedLabelsKeepsTheCodesApart() throws {
        var d = try CSVReader.read(string: "g,v\n1,1\n2,2\n3,3\n2,1\n")
        var g = d["g"]!
        g.valueLabels = [1: "Ja", 2: "Ja", 3: "Nei"]
        d.replace(g)
        let tab = try CrossTab(d, row: "g", column: "v")        // the small-code path
        XCTAssertEqual(tab.rowLabels, ["Ja (1)", "Ja (2)", "Nei"])
        XCTAssertEqual(tab.counts, [[1, 0, 0], [1, 1, 0], [0, 0, 1]])
        let weighted = try CrossTab(d, row: "g", column: "v", weights: [1, 1, 1, 1])   // through FactorCodes
        XCTAssertEqual(weighted.rowLabels, tab.rowLabels)
    }
}
