import XCTest
@testable import SurveyStats

final class NorwegianCollationTests: XCTestCase {
    func testÆØÅComeAfterZInThatOrder() {
        XCTAssertEqual(NorwegianCollation.sorted(["Ålesund", "Østfold", "Ærlig", "Zeta", "Agder", "Oslo"]),
                       ["Agder", "Oslo", "Zeta", "Ærlig", "Østfold", "Ålesund"])
    }

    func testCaseIsIgnoredFirstThenSmallLetterBeforeCapital() {
        XCTAssertEqual(NorwegianCollation.sorted(["rådmann", "Nav-leder", "Leder", "leder", "Rådmann", "ansatt"]),
                       ["ansatt", "leder", "Leder", "Nav-leder", "rådmann", "Rådmann"])
        XCTAssertEqual(NorwegianCollation.sorted(["øst", "Ærlig", "ærlig", "Øst"]), ["ærlig", "Ærlig", "øst", "Øst"])
    }

    func testDigitsBeforeLettersAndPunctuationBeforeDigits() {
        XCTAssertEqual(NorwegianCollation.sorted(["a", "9", "10", "(ingen)", "Å", "1b"]),
                       ["(ingen)", "10", "1b", "9", "a", "Å"])
    }

    func testÄAndÖSortAsÆAndØJustAfterThem() {
        XCTAssertEqual(NorwegianCollation.sorted(["Öre", "Ære", "Äre", "Øre", "Zebra", "Åre"]),
                       ["Zebra", "Ære", "Äre", "Øre", "Öre", "Åre"])
    }

    func testDoubleAIsNotÅ() {
        XCTAssertEqual(NorwegianCollation.sorted(["Ålen", "Aasen", "Abel", "Zulu"]), ["Aasen", "Abel", "Zulu", "Ålen"])
    }

    func testOtherAccentsSortWithTheirBaseLetterPlainFirst() {
        XCTAssertEqual(NorwegianCollation.sorted(["fem", "éf", "ef", "Eg", "ü", "u", "v"]),
                       ["ef", "éf", "Eg", "fem", "u", "ü", "v"])
    }

    func testDecomposedÅIsÅAndTheOrderIsTotal() {
        let decomposed = "A\u{30A}lesund"    // Å written as A + combining ring
        XCTAssertEqual(NorwegianCollation.key(decomposed), NorwegianCollation.key("Ålesund"))
        XCTAssertTrue(NorwegianCollation.areInIncreasingOrder("Østfold", decomposed))
        XCTAssertFalse(NorwegianCollation.areInIncreasingOrder("Ålesund", "Ålesund"))
        // Distinct strings are never tied, whichever order they come in.
        let words = ["a", "A", "á", "Á", "a ", "a-", "ä", "æ", "Æ"]
        for x in words { for y in words where x != y {
            XCTAssertNotEqual(NorwegianCollation.areInIncreasingOrder(x, y), NorwegianCollation.areInIncreasingOrder(y, x),
                              "\(x) vs \(y)")
        } }
        XCTAssertEqual(NorwegianCollation.sorted(words), NorwegianCollation.sorted(words.reversed()))
        XCTAssertEqual(NorwegianCollation.sorted(words), words.sorted(by: NorwegianCollation.areInIncreasingOrder))
    }

    func testFactorCodesAndCrossTabUseNorwegianOrder() throws {
        let labels: [String?] = ["Ålesund", "Bergen", nil, "Ørsta", "ærlig", "Bergen"]
        let codes = FactorCodes(labels: labels)
        XCTAssertEqual(codes.names, ["Bergen", "ærlig", "Ørsta", "Ålesund"])
        XCTAssertEqual(codes.codes, [4, 1, 0, 3, 2, 1])
        // Listed levels first; the rest follow in Norwegian order.
        XCTAssertEqual(FactorCodes(labels: labels, order: ["Ørsta"]).names, ["Ørsta", "Bergen", "ærlig", "Ålesund"])
        let text = Variable(name: "sted", values: .text(labels))
        XCTAssertEqual(FactorCodes(text).names, ["Bergen", "ærlig", "Ørsta", "Ålesund"])
        let tab = try CrossTab(rows: ["Å", "Ø", "Æ", "A"], columns: ["ja", "nei", "ja", "Nei"])
        XCTAssertEqual(tab.rowLabels, ["A", "Æ", "Ø", "Å"])
        XCTAssertEqual(tab.columnLabels, ["ja", "nei", "Nei"])
    }

    func testStreamedLevelLabelsNumericWhenAllNumbersElseNorwegian() {
        XCTAssertEqual(sortedLevelLabels(["10", "9", "2.5"]), ["2.5", "9", "10"])
        XCTAssertEqual(sortedLevelLabels(["Å", "b", "B", "Æ", "10"]), ["10", "b", "B", "Æ", "Å"])
    }
}
