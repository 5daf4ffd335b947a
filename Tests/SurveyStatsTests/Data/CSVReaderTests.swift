import Foundation
import XCTest
@testable import SurveyStats

final class CSVReaderTests: XCTestCase {
    private func numbers(_ d: Dataset, _ name: String, file: StaticString = #filePath, line: UInt = #line) -> [Double?] {
        guard let v = d[name], case .numeric(let c) = v.values else {
            XCTFail("\(name) is not a numeric column", file: file, line: line); return []
        }
        return (0..<c.count).map { c.value(at: $0) }
    }

    private func texts(_ d: Dataset, _ name: String, file: StaticString = #filePath, line: UInt = #line) -> [String?] {
        guard let v = d[name], case .text(let t) = v.values else {
            XCTFail("\(name) is not a text column", file: file, line: line); return []
        }
        return t
    }

    func testCommaSeparatedWithHeaderAndMissing() throws {
        let d = try CSVReader.read(string: "id,q1,navn\n1,4,Kari\n2,,None\n3,NA,NA\n")
        XCTAssertEqual(d.variableNames, ["id", "q1", "navn"])
        XCTAssertEqual(d.rowCount, 3)
        XCTAssertEqual(numbers(d, "id"), [1, 2, 3])
        XCTAssertEqual(numbers(d, "q1"), [4, nil, nil])
        // "None" is a real answer; only empty and NA are missing.
        XCTAssertEqual(texts(d, "navn"), ["Kari", "None", nil])
    }

    func testNorwegianExcelSemicolonDecimalCommaWindows1252() throws {
        // "rolle;snitt\r\nordfører;3,86\r\nrådmann;4,1\r\n" in Windows-1252 with CRLF.
        var bytes = Array("rolle;snitt\r\nordf".utf8) + [0xF8] + Array("rer;3,86\r\nr".utf8) + [0xE5]
        bytes += Array("dmann;4,1\r\n".utf8)
        let (d, dialect): (Dataset, CSVDialect) = try bytes.withUnsafeBufferPointer { b in
            let r = try CSVReader.read(b.baseAddress!, b.count, source: "nb.csv", options: CSVOptions())
            return (r.dataset, r.dialect)
        }
        XCTAssertEqual(dialect.delimiter, UInt8(ascii: ";"))
        XCTAssertEqual(dialect.decimalSeparator, UInt8(ascii: ","))
        XCTAssertEqual(dialect.encoding, .windows1252)
        XCTAssertEqual(texts(d, "rolle"), ["ordfører", "rådmann"])
        XCTAssertEqual(numbers(d, "snitt"), [3.86, 4.1])
    }

    func testUTF8WithBOMAndTabs() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("år\tkjønn\n2019\t1\n2020\t2\n".utf8)
        let d = try CSVReader.read(bytes: bytes)
        XCTAssertEqual(d.variableNames, ["år", "kjønn"])
        XCTAssertEqual(numbers(d, "år"), [2019, 2020])
    }

    func testQuotedFieldsWithDelimitersQuotesAndNewlines() throws {
        let csv = "id,kommentar,x\r\n1,\"a, b\",1.5\r\n2,\"sa \"\"hei\"\"\nog gikk\",2\r\n3,\"\",\"3.25\"\r\n"
        let d = try CSVReader.read(string: csv)
        XCTAssertEqual(texts(d, "kommentar"), ["a, b", "sa \"hei\"\nog gikk", nil])
        XCTAssertEqual(numbers(d, "x"), [1.5, 2, 3.25])
    }

    func testUserMissingTokens() throws {
        let d = try CSVReader.read(string: "q\n1\n-99\n.\n", options: CSVOptions(naTokens: ["-99", "."]))
        // "." reads as empty; "-99" (a number) keeps its value as a declared missing code, reported by the token.
        XCTAssertEqual(numbers(d, "q"), [1, -99, nil])
        XCTAssertEqual(try d.variable("q").numericValues(), [1, nil, nil])
        XCTAssertEqual(d["q"]?.missingTokens, [-99: "-99"])
    }

    func testNumbersAreCorrectlyRounded() throws {
        let samples = ["0.1", "-2.5e-3", "123456789012345678901234", "1e300", "4.9e-324", "0.30000000000000004",
                       "9007199254740993", "3.14159265358979323846", "+7", "1E5", "0.000001"]
        for s in samples {
            XCTAssertEqual(CSVNumberParser.parse(s), Double(s.replacingOccurrences(of: "+", with: "")), s)
        }
        for bad in ["", "-", ".", "1e", "1.2.3", "abc", "1,5", "nan", "inf", "0x10", "1 2"] {
            XCTAssertNil(CSVNumberParser.parse(bad), bad)
        }
        XCTAssertEqual(CSVNumberParser.parse("3,86", decimal: UInt8(ascii: ",")), 3.86)
    }

    /// Windows writes negative numbers with U+2212 MINUS SIGN under the Norwegian locale: `−3` is -3 in every
    /// parser (the byte-level one, the exact decimal one behind the offset, and a column of the reader).
    func testUnicodeMinusSignIsANegativeNumber() throws {
        XCTAssertEqual(CSVNumberParser.parse("−3"), -3)
        XCTAssertEqual(CSVNumberParser.parse(" −0.25 "), -0.25)
        XCTAssertEqual(CSVNumberParser.parse("−1,5", decimal: UInt8(ascii: ",")), -1.5)
        XCTAssertEqual(CSVNumberParser.parse("−12345678901234567890123"), -1.2345678901234567890123e22)   // slow path
        XCTAssertNil(CSVNumberParser.parse("−"))
        XCTAssertNil(CSVNumberParser.parse("1−2"))
        XCTAssertNil(CSVNumberParser.parse("−−3"))
        XCTAssertEqual(DecimalValue(parsing: "−10000000,2", decimalSeparator: ","),
                       DecimalValue(significand: -100000002, exponent: -1))
        XCTAssertNil(DecimalValue(parsing: "\u{2213}3"))                   // U+2213 MINUS-OR-PLUS SIGN shares E2 88
        let d = try CSVReader.read(string: "a;b\n1,5;1\n−3;2\n−10000000,2;3\n")
        XCTAssertEqual(numbers(d, "a"), [1.5, -3, -10000000.2])
        // Shared leading digits take the exact decimal path with an offset; the sign still counts.
        let offset = try CSVReader.read(string: "a\n−10000000.2\n−10000000.1\n")
        XCTAssertEqual(numbers(offset, "a"), [-10000000.2, -10000000.1])
        XCTAssertEqual(numbers(try CSVReader.read(string: "a\n2\n−3\n", options: CSVOptions(columnTypes: ["a": .numeric])),
                               "a"), [2, -3])
        // The decimal separator is sniffed from such a column too (a ';' file with decimal points).
        XCTAssertEqual(numbers(try CSVReader.read(string: "a;b\n−1.5;x\n−2.25;y\n"), "a"), [-1.5, -2.25])
    }

    func testLargeSharedLeadingDigitsUseAnOffset() throws {
        // NIST NumAcc4-like values: the differences are stored exactly as decimals.
        let d = try CSVReader.read(string: "y\n1000000000000.2\n1000000000000.1\n1000000000000.3\n")
        guard case .numeric(let c) = d["y"]!.values else { return XCTFail("not numeric") }
        XCTAssertEqual(c.offset, 1_000_000_000_000)
        XCTAssertEqual(c.stored, [0.2, 0.1, 0.3])
    }

    func testForcedTypesAndColumnSelection() throws {
        let csv = "a,b,c\n1,x,3\n2,y,4\n"
        let d = try CSVReader.read(string: csv, options: CSVOptions(columns: ["c", "a"], columnTypes: ["a": .text]))
        XCTAssertEqual(d.variableNames, ["a", "c"])
        XCTAssertEqual(texts(d, "a"), ["1", "2"])
        XCTAssertEqual(numbers(d, "c"), [3, 4])
        XCTAssertThrowsError(try CSVReader.read(string: csv, source: "s.csv",
                                                options: CSVOptions(columnTypes: ["b": .numeric]))) { e in
            XCTAssertEqual(e as? DataError, .nonNumericValue(source: "s.csv", line: 2, columnNumber: 2, column: "b", value: "x"))
            XCTAssertEqual("\(e)", "s.csv:2:2: column 'b': 'x' is not a number")
        }
        XCTAssertThrowsError(try CSVReader.read(string: csv, options: CSVOptions(columns: ["zz"])))
    }

    func testMalformedInputNamesLineAndColumn() {
        XCTAssertThrowsError(try CSVReader.read(string: "a,b\n1,2\n3\n", source: "r.csv")) { e in
            guard case let DataError.malformed(source, line, _, message)? = e as? DataError else { return XCTFail("\(e)") }
            XCTAssertEqual(source, "r.csv"); XCTAssertEqual(line, 3)
            XCTAssertTrue(message.contains("expected 2"), message)
        }
        XCTAssertThrowsError(try CSVReader.read(string: "a,b\n1,2\n3,4,5\n", source: "r.csv")) { e in
            guard case let DataError.malformed(_, line, column, _)? = e as? DataError else { return XCTFail("\(e)") }
            XCTAssertEqual(line, 3); XCTAssertEqual(column, 3)
        }
        XCTAssertThrowsError(try CSVReader.read(string: "a,b\n1,\"2\n3,4\n", source: "q.csv")) { e in
            guard case let DataError.malformed(_, line, column, message)? = e as? DataError else { return XCTFail("\(e)") }
            XCTAssertEqual(line, 2); XCTAssertEqual(column, 2)
            XCTAssertTrue(message.contains("unterminated"), message)
        }
        XCTAssertThrowsError(try CSVReader.read(string: "a,a\n1,2\n")) // duplicate names
        XCTAssertThrowsError(try CSVReader.read(path: "/nonexistent/x.csv")) { e in
            XCTAssertEqual("\(e)", "/nonexistent/x.csv: file not found")
        }
        let invalid: [UInt8] = Array("a\n".utf8) + [0xC3, 0x28] + [0x0A]
        XCTAssertThrowsError(try CSVReader.read(bytes: invalid, options: CSVOptions(encoding: .utf8))) { e in
            XCTAssertTrue("\(e)".contains("not valid UTF-8"), "\(e)")
        }
    }

    func testEmptyInputsAndBlankLines() throws {
        for empty in ["", "\u{FEFF}"] {
            XCTAssertThrowsError(try CSVReader.read(string: empty, source: "e.csv")) { e in
                XCTAssertEqual("\(e)", "e.csv: empty file (no header row)")
            }
        }
        let headerOnly = try CSVReader.read(string: "a,b\n")
        XCTAssertEqual(headerOnly.variableNames, ["a", "b"]); XCTAssertEqual(headerOnly.rowCount, 0)
        let d = try CSVReader.read(string: "a,b\n1,2\n\n3,4")
        XCTAssertEqual(numbers(d, "b"), [2, 4])
        let single = try CSVReader.read(string: "a\n1\n\n3\n")
        XCTAssertEqual(numbers(single, "a"), [1, nil, 3])
    }

    /// A file large enough to be parsed in parallel chunks, with quoted newlines that straddle chunk guesses.
    func testParallelChunksMatchSequentialParse() throws {
        var csv = "id;grp;q;kommentar\n"
        var expectedQ: [Double?] = []
        var rng = SystemRandomNumberGenerator()
        for i in 0..<60_000 {
            let q: Double? = i % 17 == 0 ? nil : Double(Int.random(in: 1...5, using: &rng)) + 0.25
            expectedQ.append(q)
            let comment = i % 5 == 0 ? "\"linje\n\"\"to\"\";x\"" : "ok"
            csv += "\(i);\(i % 6);\(q.map { String($0).replacingOccurrences(of: ".", with: ",") } ?? "");\(comment)\n"
        }
        let parallel = try CSVReader.read(string: csv, options: CSVOptions(maxThreads: 4))
        let sequential = try CSVReader.read(string: csv, options: CSVOptions(maxThreads: 1))
        XCTAssertEqual(parallel.rowCount, 60_000)
        XCTAssertEqual(numbers(parallel, "q"), expectedQ)
        XCTAssertEqual(numbers(parallel, "id"), numbers(sequential, "id"))
        XCTAssertEqual(texts(parallel, "kommentar"), texts(sequential, "kommentar"))
        XCTAssertEqual(texts(parallel, "kommentar")[5], "linje\n\"to\";x")
        // An error deep in the file reports its global line (the quoted newlines count as lines).
        let broken = csv + "1;2;tre;x\n"
        XCTAssertThrowsError(try CSVReader.read(string: broken, source: "b.csv",
                                                options: CSVOptions(columnTypes: ["q": .numeric], maxThreads: 4))) { e in
            XCTAssertEqual(e as? DataError, .nonNumericValue(source: "b.csv", line: 60_002 + 12_000, columnNumber: 3, column: "q", value: "tre"))
        }
    }
}

/// `--na` tokens match the field with spaces and tabs trimmed, quoted or not; `NA` only unquoted.
final class MissingTokenMatchingTests: XCTestCase {
    func testUserTokensMatchTrimmedAndQuotedFields() throws {
        let d = try CSVReader.read(string: "a,t\n1,x\n99,99\n 99 , 99\n\"99\",\"99\"\n99\t,\"NA\"\n NA ,y\n",
                                   options: CSVOptions(naTokens: [" 99"]))
        guard case .numeric(let a) = try d.variable("a").values, case .text(let t) = try d.variable("t").values else {
            return XCTFail("types")
        }
        // In a numeric column a token that is a number keeps its value and is declared missing (reported by it).
        let v = try d.variable("a")
        XCTAssertEqual((0..<6).map { a.value(at: $0) }, [1, 99, 99, 99, 99, nil])
        XCTAssertEqual((0..<6).map { v.isMissing($0) }, [false, true, true, true, true, true])
        XCTAssertEqual(v.missingTokens, [99: "99"])
        XCTAssertEqual(t, ["x", nil, nil, nil, "NA", "y"])
    }
}

/// A blank line at the very end of a one-column file is not a row; inside it is a missing value.
final class TrailingBlankLineTests: XCTestCase {
    func testTrailingBlankLine() throws {
        for (csv, rows) in [("a\n1\n2\n\n", 2), ("a\r\n1\r\n2\r\n\r\n", 2), ("a\n1\n\n2\n", 3), ("a\n1\n2\n", 2)] {
            XCTAssertEqual(try CSVReader.read(string: csv).rowCount, rows, csv.debugDescription)
        }
    }
}
