import Foundation
import XCTest
@testable import SurveyStats

final class JSONValueTests: XCTestCase {
    /// Every finite double must come back bit-identical from its JSON text, with the shortest digits.
    func testDoublesRoundTripWithShortestDigits() throws {
        let values: [Double] = [0.1, 1.0 / 3.0, 2.0 / 3.0, 1e-200, .leastNonzeroMagnitude, .ulpOfOne, 1e16, 123456789012345680,
                                -0.0, 0.30000000000000004, .greatestFiniteMagnitude, 3.141592653589793, 1e-7]
        for v in values {
            let text = JSONValue.number(v).encoded()
            let back = try XCTUnwrap(Double(text), text)
            XCTAssertEqual(back.bitPattern, v.bitPattern, text)
            // Valid JSON number syntax (RFC 8259 §6).
            XCTAssertNotNil(text.range(of: #"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$"#, options: .regularExpression), text)
        }
        XCTAssertEqual(JSONValue.number(0.1).encoded(), "0.1")
        XCTAssertEqual(JSONValue.number(1e-200).encoded(), "1e-200")
    }

    func testUndefinedNumbersAreNull() {
        XCTAssertEqual(JSONValue.number(Double.nan).encoded(), "null")
        XCTAssertEqual(JSONValue.number(Double.infinity).encoded(), "null")
        XCTAssertEqual(JSONValue.number(Optional<Double>.none).encoded(), "null")
        XCTAssertEqual(JSONValue.numbers([1, .nan, -.infinity]).encoded(pretty: false), "[1.0,null,null]")
    }

    func testStringsAreEscapedAndKeysKeepOrder() throws {
        let v: JSONValue = ["zeta": "a\"b\\c\nd\u{01}", "alpha": "Bodø – æøå", "n": 3]
        XCTAssertEqual(v.encoded(pretty: false), #"{"zeta":"a\"b\\c\nd\u0001","alpha":"Bodø – æøå","n":3}"#)
        // Foundation parses it back to the same strings.
        let parsed = try JSONSerialization.jsonObject(with: Data(v.encoded().utf8)) as? [String: Any]
        XCTAssertEqual(parsed?["zeta"] as? String, "a\"b\\c\nd\u{01}")
        XCTAssertEqual(parsed?["alpha"] as? String, "Bodø – æøå")
    }

    func testPrettyLayout() {
        let v: JSONValue = ["ci": .numbers([0.25, 0.75]), "groups": [["name": "a", "n": 2]], "empty": [], "o": [:]]
        XCTAssertEqual(v.encoded(), """
        {
          "ci": [0.25, 0.75],
          "groups": [
            {
              "name": "a",
              "n": 2
            }
          ],
          "empty": [],
          "o": {}
        }
        """)
    }

    func testSubscriptAndSet() {
        var v: JSONValue = ["a": 1]
        v.set("b", .bool(true)); v.set("a", 2)
        XCTAssertEqual(v["a"], 2); XCTAssertEqual(v["b"], true)
        XCTAssertEqual(v.encoded(pretty: false), #"{"a":2,"b":true}"#)
    }

    /// Why this type exists: Foundation prints the same shortest digits (measured on Swift 6.3/Linux) but refuses
    /// NaN, which statistics produce legitimately; ours writes `null` there.
    func testAgreesWithFoundationOnFiniteValuesAndHandlesNaN() throws {
        let values = [0.1, 1.0 / 3.0, 1e-200, 123456789.123456789, 2.5e-8]
        let foundation = String(decoding: try JSONSerialization.data(withJSONObject: values), as: UTF8.self)
        let ours = JSONValue.numbers(values).encoded(pretty: false)
        XCTAssertEqual(ours, "[0.1,0.3333333333333333,1e-200,123456789.12345679,2.5e-08]")
        // Same digits, except that Foundation may write 1e-08 style exponents identically; compare parsed values.
        let a = try JSONSerialization.jsonObject(with: Data(foundation.utf8)) as? [Double]
        let b = try JSONSerialization.jsonObject(with: Data(ours.utf8)) as? [Double]
        XCTAssertEqual(a, b)
        XCTAssertThrowsError(try JSONSerialization.data(withJSONObject: [Double.nan]))
        XCTAssertEqual(JSONValue.numbers([.nan]).encoded(pretty: false), "[null]")
    }

    func testResultTableJSON() {
        let json = ExportTestTable.table.jsonValue.encoded(pretty: false)
        XCTAssertEqual(json, #"{"title":"Tillit etter rolle","columns":["Rolle","n","Gjennomsnitt","p"],"rows":[["Ordfører",12,3.14159,0.0004],["Rådmann",7,-0.001,0.034],["Enhetsleder & co_1% \"x\"",null,null,0.5]],"notes":["Kilde: test; n = 19"]}"#)
    }
}
