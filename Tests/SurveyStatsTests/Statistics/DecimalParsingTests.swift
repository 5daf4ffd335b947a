import XCTest
@testable import SurveyStats

final class DecimalParsingTests: XCTestCase {
    func testParsesDecimalTextExactly() {
        XCTAssertEqual(parseDecimal("10000000.2"), DecimalValue(significand: 100000002, exponent: -1))
        XCTAssertEqual(parseDecimal(" -3,86 ", decimalSeparator: ","), DecimalValue(significand: -386, exponent: -2))
        XCTAssertEqual(parseDecimal("2.00180"), parseDecimal("2.0018"))
        XCTAssertEqual(parseDecimal(".5"), DecimalValue(significand: 5, exponent: -1))
        XCTAssertEqual(parseDecimal("1."), DecimalValue(significand: 1, exponent: 0))
        XCTAssertEqual(parseDecimal("+1.5E-3"), DecimalValue(significand: 15, exponent: -4))
        XCTAssertEqual(parseDecimal("0.000"), DecimalValue(significand: 0, exponent: 0))
        XCTAssertEqual(parseDecimal("1200"), DecimalValue(significand: 12, exponent: 2))
        for bad in ["", " ", "NA", "1.2.3", "1,5", "abc", "1e", "--1", "inf", "nan", "1 000", "1.5x"] {
            XCTAssertNil(parseDecimal(bad), bad)
        }
        XCTAssertNil(parseDecimal("1.5", decimalSeparator: ","))
    }

    func testDoubleConversionIsCorrectlyRounded() {
        for text in ["0.1", "10000000.2", "1000000000000.4", "2.00185", "123456789012345678901234", "1e-300",
                     "4.9406564584124654e-324", "1.7976931348623157e308", "-0.3", "299.8524", "9007199254740993"] {
            XCTAssertEqual(parseDecimal(text)?.doubleValue, Double(text), text)
        }
    }

    func testColumnMissingAndErrors() throws {
        let c = try parseDecimalColumn(["1", "", " NA", "2,5"] as [String], decimalSeparator: ",")
        XCTAssertEqual(c.offset, 0)
        XCTAssertEqual(c.value(at: 0), 1)
        XCTAssertNil(c.value(at: 1))
        XCTAssertNil(c.value(at: 2))
        XCTAssertEqual(c.value(at: 3), 2.5)
        XCTAssertThrowsError(try parseDecimalColumn(["1", "2", "x3"] as [String])) { error in
            XCTAssertEqual(error as? DecimalParsingError, DecimalParsingError(index: 2, text: "x3"))
        }
        XCTAssertThrowsError(try parseDecimalColumn(["1", "1e400"] as [String]))
        XCTAssertEqual(try parseDecimalColumn(["1e-400"] as [String]).value(at: 0), 0)
    }

    func testOffsetChoice() throws {
        // Integers and values spread around zero keep offset 0 (their doubles are exact or no better shifted).
        XCTAssertEqual(try parseDecimalColumn(["10000001", "10000003"] as [String]).offset, 0)
        XCTAssertEqual(try parseDecimalColumn(["-0.5", "0.7"] as [String]).offset, 0)
        XCTAssertEqual(try parseDecimalColumn(["0.5", "0.9"] as [String]).offset, 0)
        // Shared leading digits with a fraction: integer offset near the midrange, differences exact.
        let c = try parseDecimalColumn(["1000000000000.4", "1000000000000.3", "1000000000000.5"] as [String])
        XCTAssertEqual(c.offset, 1000000000000.5)
        XCTAssertEqual(c.stored, [-0.1, -0.2, 0])
        let big = try parseDecimalColumn(["1000000000000.4", "1000000000000.3", "1000000000000.1"] as [String])
        XCTAssertEqual(big.offset, 1e12)
        XCTAssertEqual(big.stored, [0.4, 0.3, 0.1])
        // A tiny spread gets a finer dyadic offset (exact in binary, few decimal digits).
        let fine = try parseDecimalColumn(["107.8681568", "107.8681465", "107.8681572"] as [String])
        XCTAssertNotEqual(fine.offset, fine.offset.rounded())
        XCTAssertLessThan(abs(fine.offset - 107.86815), 2e-5)
        for (i, t) in ["107.8681568", "107.8681465", "107.8681572"].enumerated() {
            XCTAssertEqual(fine.value(at: i)!, Double(t)!, accuracy: 2e-14)
        }
        let neg = try parseDecimalColumn(["-7.25", "-7.5", "NA"] as [String])
        XCTAssertEqual(neg.offset, -7.5)
        XCTAssertEqual(neg.stored[0], 0.25)
        XCTAssertEqual(neg.stored[1], 0)
        XCTAssertTrue(neg.stored[2].isNaN)
        // Too many digits for exact Int64 alignment: falls back to plain doubles rather than failing.
        let wide = try parseDecimalColumn(["123456789012.123456789", "123456789012.1"] as [String])
        XCTAssertEqual(wide.value(at: 1), 123456789012.1)
    }
}
