import XCTest
@testable import SurveyStats

final class FilterExpressionTests: XCTestCase {
    func sample() throws -> Dataset {
        var d = try CSVReader.read(string: """
        rolle,ar,alder,kjonn,q1,by
        1,2019,45,1,4,Oslo
        2,2019,29,2,6,Bergen
        3,2020,,1,2,
        2,2020,61,2,5,Oslo
        5,2019,33,,1,Tromsø
        """)
        var rolle = d["rolle"]!
        rolle.valueLabels = [1: "ordfører", 2: "rådmann", 3: "enhetsleder", 4: "mellomleder", 5: "veileder"]
        d.replace(rolle)
        var q1 = d["q1"]!
        q1.valueLabels = [1: "I svært liten grad", 5: "I svært stor grad", 6: "Vet ikke"]
        q1.missingCodes = [6]
        d.replace(q1)
        return d
    }

    func rows(_ expression: String) throws -> [Int] {
        let keep = try FilterExpression(expression).evaluate(on: try sample())
        return keep.indices.filter { keep[$0] }.map { $0 + 1 }
    }

    func testComparisonsLabelsAndLogic() throws {
        XCTAssertEqual(try rows("rolle in [ordfører, rådmann]"), [1, 2, 4])
        XCTAssertEqual(try rows("rolle in [Ordfører, 5]"), [1, 5])
        XCTAssertEqual(try rows("rolle not in [ordfører, rådmann]"), [3, 5])
        XCTAssertEqual(try rows("ar == 2019"), [1, 2, 5])
        XCTAssertEqual(try rows("ar = 2020"), [3, 4])
        XCTAssertEqual(try rows("alder >= 30 and kjonn != 2"), [1])        // row 5: kjonn missing → unknown
        XCTAssertEqual(try rows("not (alder >= 30 and kjonn != 2)"), [2, 4])  // rows 3 and 5 stay unknown
        XCTAssertEqual(try rows("alder < 30 or ar == 2020"), [2, 3, 4])
        XCTAssertEqual(try rows("kjonn is missing or alder is missing"), [3, 5])
        XCTAssertEqual(try rows("q1 is not missing"), [1, 3, 4, 5])       // 6 = Vet ikke is missing
        XCTAssertEqual(try rows("q1 == 'I svært stor grad'"), [4])
        XCTAssertEqual(try rows("q1 in [I svært liten grad, I svært stor grad]"), [4, 5])
        XCTAssertEqual(try rows("by == Oslo && !(ar == 2020)"), [1])
        XCTAssertEqual(try rows("by in ['Tromsø', Bergen]"), [2, 5])
        XCTAssertEqual(try FilterExpression("alder >= 30 and (kjonn != 2 or rolle == rådmann)").variables,
                       ["alder", "kjonn", "rolle"])
    }

    /// `verdi == 2,5` is 2.5 (outside a list a comma has no other use); in a list the comma still separates
    /// values. A minus may be U+2212, as Norwegian Windows writes it.
    func testDecimalCommaAndUnicodeMinusInLiterals() throws {
        let d = try CSVReader.read(string: "verdi,navn\n2.5,a\n2,b\n5,c\n-3,d\n")
        func rows(_ expression: String) throws -> [Int] {
            let keep = try FilterExpression(expression).evaluate(on: d)
            return keep.indices.filter { keep[$0] }.map { $0 + 1 }
        }
        XCTAssertEqual(try rows("verdi == 2,5"), [1])
        XCTAssertEqual(try rows("verdi >= 2,5 and verdi < 5"), [1])
        XCTAssertEqual(try rows("verdi == −3"), [4])
        XCTAssertEqual(try rows("verdi > −3,5 and verdi < 2,1"), [2, 4])
        XCTAssertEqual(try rows("verdi in [2,5]"), [2, 3])                 // two values: 2 and 5
        XCTAssertEqual(try rows("verdi in (2.5, −3)"), [1, 4])
        XCTAssertThrowsError(try rows("navn == a,b"), "a comma after a word still ends it")
    }

    /// Two codes sharing one label: the label stands for both (said in a note); an order comparison with it is
    /// ambiguous and asks for the code. Text value labels likewise.
    func testLabelSharedBySeveralCodesMatchesThemAll() throws {
        var d = try CSVReader.read(string: "g,s,v\n1,ja,1\n2,JA,2\n3,nei,3\n")
        var g = d["g"]!
        g.valueLabels = [1: "Ja", 2: "Ja", 3: "Nei"]
        d.replace(g)
        var s = d["s"]!
        s.textValueLabels = ["ja": "Ja", "JA": "Ja", "nei": "Nei"]
        d.replace(s)
        func rows(_ expression: String) throws -> [Int] {
            let keep = try FilterExpression(expression).evaluate(on: d)
            return keep.indices.filter { keep[$0] }.map { $0 + 1 }
        }
        XCTAssertEqual(try rows("g == Ja"), [1, 2])
        XCTAssertEqual(try rows("g == ja"), [1, 2], "ignoring case finds one label, shared by two codes")
        XCTAssertEqual(try rows("g != Ja"), [3])
        XCTAssertEqual(try rows("g in [Ja]"), [1, 2])
        XCTAssertEqual(try rows("g not in [Ja, 3]"), [])
        XCTAssertEqual(try rows("g == 2"), [2])
        XCTAssertEqual(try rows("s == Ja"), [1, 2])
        XCTAssertEqual(try rows("s != Ja"), [3])
        XCTAssertEqual(try FilterExpression("g == Ja and s in [Ja, Nei]").notes(on: d), [
            "--where: 'Ja' is the value label of 2 codes of 'g' (1, 2); the filter matches all of them (give a code to pick one)",
            "--where: 'Ja' is the value label of 2 codes of 's' ('JA', 'ja'); the filter matches all of them (give a code to pick one)",
        ])
        XCTAssertEqual(try FilterExpression("g == 1 or g == Nei").notes(on: d), [])
        XCTAssertThrowsError(try rows("g > Ja")) { e in
            XCTAssertEqual("\(e)", "--where 'g > Ja': at character 5: 'Ja' is the value label of several codes of 'g' (1, 2), so > is ambiguous; use a code")
        }
        XCTAssertEqual(try FilterExpression("g == Ja").warnings(on: d), [])
    }

    /// A number is a code even when it is also another code's value label (`g == 3` with «3» on code 4): the filter
    /// keeps code 3, and a note names the label's code and the quoted label that selects it.
    func testNumberThatIsAnotherCodesLabelIsTheCodeWithANote() throws {
        var d = try CSVReader.read(string: "g,h\n1,1\n3,2\n4,3\n4,4\n5,5\n")
        var g = d["g"]!
        g.valueLabels = [1: "Lav", 3: "Middels", 4: "3", 5: "Høy"]
        d.replace(g)
        var h = d["h"]!
        h.valueLabels = [1: "1", 2: "2", 4: "2", 5: "2.0"]
        d.replace(h)
        func rows(_ expression: String) throws -> [Int] {
            let keep = try FilterExpression(expression).evaluate(on: d)
            return keep.indices.filter { keep[$0] }.map { $0 + 1 }
        }
        XCTAssertEqual(try rows("g == 3"), [2], "codes win")
        XCTAssertEqual(try rows("g == '3'"), [3, 4], "the quoted label selects its code")
        XCTAssertEqual(try rows("g in [\"3\"]"), [3, 4])
        let note = "--where: 3 is read as code 3 of 'g' (codes come before labels), but «3» is the value label of code 4; "
            + "write the label in quotes ('3') to select code 4"
        XCTAssertEqual(try FilterExpression("g == 3").notes(on: d), [note])
        XCTAssertEqual(try FilterExpression("g >= 3 and g in [1, 3]").notes(on: d), [note], "said once")
        XCTAssertEqual(try FilterExpression("g == '3'").notes(on: d), [], "a quoted label is not a code")
        XCTAssertEqual(try FilterExpression("g == 4 or g == 1 or g == Middels").notes(on: d), [], "no other code has «4» or «1»")
        // Several other codes: all named; a code whose own label is the number is not.
        XCTAssertEqual(try FilterExpression("h == 2").notes(on: d), [
            "--where: 2 is read as code 2 of 'h' (codes come before labels), but codes 4, 5 have the value labels «2», «2.0»; "
                + "write a label in quotes ('2', '2.0') to select its code",
        ])
        XCTAssertEqual(try FilterExpression("h == 1").notes(on: d), [])
        XCTAssertEqual(FilterExpression.quoted("Vet ikke"), "'Vet ikke'")
        XCTAssertEqual(FilterExpression.quoted("l'eau"), "\"l'eau\"")
    }

    func testErrorsNamePositions() throws {
        func message(_ e: String) -> String {
            do { _ = try FilterExpression(e).evaluate(on: try sample()); return "no error" } catch { return "\(error)" }
        }
        XCTAssertEqual(message("rolle in [ordfører"), "--where 'rolle in [ordfører': at character 19: expected ',' or ']' in the list of values")
        XCTAssertEqual(message("alder >= "), "--where 'alder >= ': at character 10: expected a value, found the end")
        XCTAssertEqual(message("alder 30"), "--where 'alder 30': at character 7: expected a comparison (==, !=, <, <=, >, >=, in, is missing) after 'alder', found '3'")
        XCTAssertEqual(message("(ar == 2019"), "--where '(ar == 2019': at character 12: expected ')'")
        XCTAssertEqual(message(""), "--where '': at character 1: the filter is empty")
        XCTAssertTrue(message("rolle == borgermester").contains("at character 10: 'borgermester' is neither a number nor a value label (labels of 'rolle': 1 = ordfører"))
        XCTAssertTrue(message("rolle2 == 1").contains("unknown variable 'rolle2'"))
        XCTAssertTrue(message("ar == 2019 ar").contains("at character 12: unexpected 'a'"))
    }

    /// In quoted text only `\'` (`\"`) and `\\` are escapes; any other backslash is itself, so a label with a
    /// backslash is written as it is shown, and every label an error lists can be pasted back.
    func testBackslashInQuotedTextIsLiteralExceptBeforeAQuoteOrBackslash() throws {
        var d = try CSVReader.read(string: "r\n1\n2\n3\n4\n5\n")
        var r = d["r"]!
        r.valueLabels = [1: #"Ærlig\ttab"#, 2: "it's", 3: #"C:\"#, 4: #"a\\b"#, 5: #"sa "hei""#]
        d.replace(r)
        func rows(_ e: String) throws -> [Int] {
            let keep = try FilterExpression(e).evaluate(on: d)
            return keep.indices.filter { keep[$0] }.map { $0 + 1 }
        }
        XCTAssertEqual(try FilterExpression(#"r == 'Ærlig\ttab'"#).root.literalTexts, [#"Ærlig\ttab"#])
        XCTAssertEqual(try rows(#"r == 'Ærlig\ttab'"#), [1])
        XCTAssertEqual(try rows(#"r == "Ærlig\ttab""#), [1])
        XCTAssertEqual(try rows(#"r in ['Ærlig\ttab', 'it\'s']"#), [1, 2])
        XCTAssertEqual(try rows(#"r == "it's""#), [2])
        XCTAssertEqual(try rows(#"r == 'C:\\'"#), [3])             // a label ending in a backslash
        XCTAssertEqual(try rows(#"r == 'a\\\b'"#), [4])           // \\ is one backslash, \b is itself
        XCTAssertEqual(try rows(#"r == 'sa "hei"'"#), [5])
        XCTAssertEqual(try rows(#"r == "sa \"hei\"""#), [5])

        // The labels an error lists paste back: as they are, or quoted with the escapes they need.
        XCTAssertThrowsError(try FilterExpression(#"r == 'Ærlig\tta'"#).evaluate(on: d)) { e in
            XCTAssertEqual("\(e)", #"--where 'r == 'Ærlig\tta'': at character 6: 'Ærlig\tta' is neither a number nor a value label "#
                           + #"(labels of 'r': 1 = Ærlig\ttab, 2 = 'it\'s', 3 = 'C:\\', 4 = 'a\\\b', 5 = sa "hei")"#)
        }
        for label in r.valueLabels.values {
            XCTAssertEqual(try FilterExpression("r == " + FilterExpression.quotedLiteral(label)).root.literalTexts, [label])
        }
    }
}

extension FilterExpression.Node {
    /// The literal texts of a comparison (tests only).
    var literalTexts: [String] {
        switch self {
        case .compare(_, _, let literal, _): return [literal.text]
        case .member(_, let literals, _, _): return literals.map(\.text)
        default: return []
        }
    }
}
