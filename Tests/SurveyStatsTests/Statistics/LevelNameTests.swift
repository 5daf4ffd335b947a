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

    func testNamesThatCollideAfterFormattingAreMadeDistinct() throws {
        // A label that reads like another level's number: the label gets its code.
        let g = Variable(name: "g", values: .numeric(NumericColumn([1, 2])), valueLabels: [1: "2"])
        XCTAssertEqual(g.levelNames(codes: [1, 2]), ["2 (1)", "2"])
        // A label that is another level's code, also when that level shows its own label (QA: «1» on code 4 beside
        // code 1 «Ja (1)», «3» on code 2.5 beside code 3 «Nei»): a reader takes the number for a code.
        let q = Variable(name: "q", values: .numeric(NumericColumn([1, 2, 2.5, 3, 4])),
                         valueLabels: [1: "Ja", 2: "Ja", 2.5: "3", 3: "Nei", 4: "1"])
        XCTAssertEqual(q.levelNames(codes: [1, 2, 2.5, 3, 4]), ["Ja (1)", "Ja (2)", "3 (2.5)", "Nei", "1 (4)"])
        XCTAssertEqual(q.levelNames(codes: [1, 2, 2.5, 3, 4], decimalSeparator: ","), ["Ja (1)", "Ja (2)", "3 (2,5)", "Nei", "1 (4)"])
        // A label that is its own code, or a number no level has, stays as it is.
        let own = Variable(name: "o", values: .numeric(NumericColumn([1, 2])), valueLabels: [1: "1", 2: "7"])
        XCTAssertEqual(own.levelNames(codes: [1, 2]), ["1", "7"])
        // Codes that R's 15 digits print alike: written in full.
        let x = Variable(name: "x", values: .numeric(NumericColumn([0.1 + 0.2, 0.3])))
        XCTAssertEqual(x.levelNames(codes: [0.3, 0.1 + 0.2]), ["0.3", "0.30000000000000004"])
        XCTAssertEqual(x.levelNames(codes: [0.3, 0.1 + 0.2], decimalSeparator: ","), ["0,3", "0,30000000000000004"])
        // A label written to look like a disambiguated name still gives distinct names.
        let odd = Variable(name: "o", values: .numeric(NumericColumn([1, 2, 3])), valueLabels: [1: "Ja", 2: "Ja", 3: "Ja (1)"])
        XCTAssertEqual(odd.levelNames(codes: [1, 2, 3]), ["Ja (1)", "Ja (2)", "Ja (1) (3)"])
        let worse = Variable(name: "w", values: .numeric(NumericColumn([1, 2, 3])), valueLabels: [1: "Ja (2)", 2: "Ja (2) (1)"])
        XCTAssertEqual(Set(worse.levelNames(codes: [1, 2, 3])).count, 3)
        // Texts likewise: a label equal to another level's text.
        var s = Variable(name: "s", values: .text(["a", "b"]))
        s.textValueLabels = ["a": "b"]
        XCTAssertEqual(s.levelNames(texts: ["a", "b"]), ["b (a)", "b"])
    }

    func testNumericLevelNamesHonourTheDecimalSeparator() throws {
        let g = Variable(name: "g", values: .numeric(NumericColumn([1, 2.5, 3])), valueLabels: [3: "Tre 3.5", 4: "Ja", 5: "Ja"])
        XCTAssertEqual(g.levelNames(codes: [1, 2.5, 3]), ["1", "2.5", "Tre 3.5"])
        XCTAssertEqual(g.levelNames(codes: [1, 2.5, 3, 4], decimalSeparator: ","), ["1", "2,5", "Tre 3.5", "Ja (4)"])
        XCTAssertEqual(CategoricalLevels.formatLikeR(-0.125, decimalSeparator: ","), "-0,125")
        XCTAssertEqual(CategoricalLevels.formatLikeR(1e-20, decimalSeparator: ","), "1e-20")
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
