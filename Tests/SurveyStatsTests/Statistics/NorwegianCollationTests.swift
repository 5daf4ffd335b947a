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
                       ["(ingen)", "1b", "9", "10", "a", "Å"])
    }

    func testRunsOfDigitsCompareAsNumbers() {
        XCTAssertEqual(NorwegianCollation.sorted(["x", "10", "2", "1"]), ["1", "2", "10", "x"])
        XCTAssertEqual(NorwegianCollation.sorted(["Gruppe 10", "Gruppe 2", "gruppe 1", "Gruppe 1"]),
                       ["gruppe 1", "Gruppe 1", "Gruppe 2", "Gruppe 10"])
        XCTAssertEqual(NorwegianCollation.sorted(["30-39 år", "100+ år", "5-9 år", "18-29 år"]),
                       ["5-9 år", "18-29 år", "30-39 år", "100+ år"])
        // A number inside a word, and numbers longer than any integer type.
        XCTAssertEqual(NorwegianCollation.sorted(["v10b", "v9c", "v10a", "v1"]), ["v1", "v9c", "v10a", "v10b"])
        XCTAssertEqual(NorwegianCollation.sorted(["123456789012345678901234567890", "99999999999999999999999999999"]),
                       ["99999999999999999999999999999", "123456789012345678901234567890"])
        // Shorter number first, whatever follows it: 1b (1) before 10 (10).
        XCTAssertTrue(NorwegianCollation.areInIncreasingOrder("1b", "10"))
        XCTAssertTrue(NorwegianCollation.areInIncreasingOrder("1-3", "12"))
        // Digits of other scripts are numbers too: Arabic-Indic ٢ (2) before 10.
        XCTAssertTrue(NorwegianCollation.areInIncreasingOrder("\u{662}", "10"))
    }

    func testLeadingZerosBreakTiesFewerFirstAndDeterministically() {
        let numbers = ["007", "7", "07", "8", "0", "00", "6"]
        XCTAssertEqual(NorwegianCollation.sorted(numbers), ["0", "00", "6", "7", "07", "007", "8"])
        XCTAssertEqual(NorwegianCollation.sorted(numbers.reversed()), NorwegianCollation.sorted(numbers))
        // Leading zeros are a tie-break only: 010 (ten) still follows 9.
        XCTAssertEqual(NorwegianCollation.sorted(["010", "9", "01"]), ["01", "9", "010"])
        XCTAssertEqual(NorwegianCollation.sorted(["Gruppe 02", "Gruppe 10", "Gruppe 2"]), ["Gruppe 2", "Gruppe 02", "Gruppe 10"])
        for x in numbers { for y in numbers where x != y {
            XCTAssertNotEqual(NorwegianCollation.areInIncreasingOrder(x, y), NorwegianCollation.areInIncreasingOrder(y, x),
                              "\(x) vs \(y)")
        } }
    }

    func testKeyIgnoringCaseTiesCaseVariantsOnly() {
        XCTAssertEqual(NorwegianCollation.keyIgnoringCase("å"), NorwegianCollation.keyIgnoringCase("Å"))
        XCTAssertEqual(NorwegianCollation.keyIgnoringCase("Gruppe 2"), NorwegianCollation.keyIgnoringCase("gruppe 2"))
        XCTAssertNotEqual(NorwegianCollation.keyIgnoringCase("é"), NorwegianCollation.keyIgnoringCase("e"))
        XCTAssertLessThan(NorwegianCollation.keyIgnoringCase("Å"), NorwegianCollation.keyIgnoringCase("åse"))
        XCTAssertLessThan(NorwegianCollation.keyIgnoringCase("Ø"), NorwegianCollation.keyIgnoringCase("å"))
        XCTAssertLessThan(NorwegianCollation.keyIgnoringCase("z"), NorwegianCollation.keyIgnoringCase("Æ"))
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
        XCTAssertEqual(sortedLevelLabels(["x", "10", "2", "1"]), ["1", "2", "10", "x"])
    }
}
