import XCTest
@testable import SurveyStats

/// Errors about fields that are not numbers say why, with the dialect the file was read with; quoted values are
/// short and show invisible characters. The sniffer takes the decimal separator from numeric-looking columns.
final class NumberMessageTests: XCTestCase {
    func message(_ csv: String, _ options: CSVOptions = CSVOptions(), column: String = "a") -> String {
        var o = options
        o.columnTypes[column] = .numeric
        do { _ = try CSVReader.read(string: csv, source: "t.csv", options: o); return "no error" } catch { return "\(error)" }
    }

    func testDigitGroupingIsNamedNotGuessed() {
        for (field, name) in [("1 234,5", "a space"), ("1\u{A0}234,5", "U+00A0 NO-BREAK SPACE"),
                              ("1\u{202F}234,5", "U+202F NARROW NO-BREAK SPACE"), ("1.234,5", "a point")] {
            let m = message("a;b\n\(field);2\n3,25;4\n")
            XCTAssertTrue(m.hasPrefix("t.csv:2:1: column 'a': "), m)
            XCTAssertTrue(m.contains("is not a number: it has digit grouping (\(name) between thousands); export the file without digit grouping"), m)
        }
        XCTAssertTrue(message("a;b\n1\u{A0}234,5;2\n").contains("'1U+00A0234,5'"))
    }

    func testWrongDecimalSeparatorNamesTheSniffedDialectAndTheOption() {
        let rows = (1...50).map { "\($0);1\n" }.joined()
        XCTAssertEqual(message("a;b\n" + rows + "3.5;2\n"),
                       "t.csv:52:1: column 'a': '3.5' is not a number: it uses the decimal separator '.', but the file "
                       + "was read with delimiter ';' (sniffed) and decimal separator ',' (sniffed); give --decimal-point")
        XCTAssertTrue(message("a;b\n1,5;2\n", CSVOptions(decimalSeparator: .point))
            .contains("decimal separator '.'; give --decimal-comma"))
        XCTAssertTrue(message("a,b\n1,2\n2.5.1,3\n").contains("(the file was read with delimiter ',' (sniffed) and decimal separator '.' (sniffed)"))
        // A word is just not a number.
        XCTAssertEqual(message("a,b\n1,2\nx,3\n"), "t.csv:3:1: column 'a': 'x' is not a number")
    }

    /// Every error about one field names file:line:column and the column; a spreadsheet's missing marker is
    /// answered with the option that reads it as missing.
    func testNotANumberNamesLineColumnAndSuggestsNAForMissingMarkers() {
        XCTAssertEqual(message("a;b\n1,5;1\n#N/A;2\n"),
                       "t.csv:3:1: column 'a': '#N/A' is not a number (if it means missing, give --na '#N/A')")
        XCTAssertEqual(message("b,a\n1,NaN\n", column: "a"),
                       "t.csv:2:2: column 'a': 'NaN' is not a number (if it means missing, give --na 'NaN')")
        XCTAssertEqual(message("a,b\n1,2\ninf,3\n"), "t.csv:3:1: column 'a': 'inf' is not a number")
        XCTAssertEqual(ValueMessages.missingMarkerHint(" #DIV/0! "), "(if it means missing, give --na '#DIV/0!')")
        XCTAssertEqual(ValueMessages.missingMarkerHint("."), "(if it means missing, give --na '.')")
        XCTAssertNil(ValueMessages.missingMarkerHint("tre"))
        XCTAssertNil(ValueMessages.missingMarkerHint("#"))
        // With --na the marker is missing and the column numeric.
        XCTAssertEqual(message("a;b\n1,5;1\n#N/A;2\n", CSVOptions(naTokens: ["#N/A"])), "no error")
    }

    func testDecimalIsSniffedFromNumericColumnsOnly() throws {
        // «spm» holds question numbers 2.1, 3.4 (numeric-looking), «a» decimal commas: a ';' file → comma.
        let d = try CSVReader.read(string: "spm;a\n2.1;1,5\n3.4;2,5\n")
        guard case .numeric(let a) = try d.variable("a").values else { return XCTFail("a is not numeric") }
        XCTAssertEqual(a.value(at: 0), 1.5)
        // A text column with "2.1" among words does not count.
        let t = try CSVReader.read(string: "spm;a;b\n2.1;1,5;x\nIntro;2,5;y\n")
        guard case .numeric(let a2) = try t.variable("a").values else { return XCTFail("a is not numeric") }
        XCTAssertEqual(a2.value(at: 1), 2.5)
    }

    func testSingleColumnHasNoDelimiter() throws {
        let forced = try CSVReader.read(string: "a\n1,5\n2,5\n", options: CSVOptions(decimalSeparator: .comma))
        guard case .numeric(let a) = try forced.variable("a").values else { return XCTFail("a is not numeric") }
        XCTAssertEqual([a.value(at: 0), a.value(at: 1)], [1.5, 2.5])
        let sniffed = try CSVReader.read(string: "a\n1,5\n2,5\n")
        guard case .numeric(let b) = try sniffed.variable("a").values else { return XCTFail("a is not numeric") }
        XCTAssertEqual(b.value(at: 1), 2.5)
        // A ','-separated file with --decimal-comma: its decimal commas are quoted.
        let commas = try CSVReader.read(string: "a,b\n1,\"2,5\"\n", options: CSVOptions(delimiter: 44, decimalSeparator: .comma))
        XCTAssertEqual(try commas.variable("a").numericValues(), [1])
        XCTAssertEqual(try commas.variable("b").numericValues(), [2.5])
    }

    /// The sniffer takes quoted decimal commas in a ','-separated file for decimals when a column's commas
    /// include one that is not followed by exactly three digits (which could be digit grouping), and no numeric
    /// column uses a decimal point.
    func testSniffsQuotedDecimalCommasInACommaSeparatedFile() throws {
        func read(_ text: String) throws -> (Dataset, CSVDialect) {
            let path = NSTemporaryDirectory() + "sniff-\(UUID().uuidString).csv"
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(atPath: path) }
            return try CSVReader.readWithDialect(path: path)
        }
        let (d, dialect) = try read("id,x,g\n1,\"3,5\",a\n2,\"4,25\",b\n3,\"2\",a\n")
        XCTAssertEqual(dialect.delimiter, UInt8(ascii: ","))
        XCTAssertEqual(dialect.decimalSeparator, UInt8(ascii: ","))
        XCTAssertEqual(try d.variable("x").numericValues(), [3.5, 4.25, 2])
        guard case .text = try d.variable("g").values else { return XCTFail("g is text") }
        // «1,500» and «12,250» may be thousands: '.' (the column is text, not 1.5 and 12.25).
        let (grouped, g) = try read("id,x\n1,\"1,500\"\n2,\"12,250\"\n")
        XCTAssertEqual(g.decimalSeparator, UInt8(ascii: "."))
        guard case .text(let t) = try grouped.variable("x").values else { return XCTFail("x is text") }
        XCTAssertEqual(t, ["1,500", "12,250"])
        // A decimal point elsewhere: '.'.
        let (_, p) = try read("id,x,y\n1,\"3,5\",1.5\n2,\"4,25\",2.5\n")
        XCTAssertEqual(p.decimalSeparator, UInt8(ascii: "."))
        // A text column with commas says nothing.
        let (_, text) = try read("id,x\n1,\"Oslo, sentrum\"\n2,\"Bergen\"\n")
        XCTAssertEqual(text.decimalSeparator, UInt8(ascii: "."))
    }

    func testOutOfRangeTabsAndUnderflow() throws {
        XCTAssertEqual(message("a,b\n1e400,2\n"), "t.csv:2:1: column 'a': '1e400' is out of range for a double (magnitude above 1.8e308)")
        let d = try CSVReader.read(string: "a,b\n5\t,1\n\t6 ,2\n1e-400,3\n")
        guard case .numeric(let a) = try d.variable("a").values else { return XCTFail("a is not numeric") }
        XCTAssertEqual([a.value(at: 0), a.value(at: 1), a.value(at: 2)], [5, 6, 0])   // 1e-400 is 0, as in R/pandas
    }

    func testQuotedValuesAreShortAndVisible() {
        XCTAssertEqual(ValueMessages.quoted("a\u{1A}b\u{A0}c"), "'a\\u{1A}bU+00A0c'")
        let long = String(repeating: "x", count: 20_000_000)
        let q = ValueMessages.quoted(long)
        XCTAssertEqual(q, "'" + String(repeating: "x", count: 60) + "…' (20000000 bytes)")
        let m = message("a,b\n\"" + long + "\",2\n")
        XCTAssertLessThan(m.utf8.count, 200, String(m.prefix(200)))
    }
}

/// `--where` values that occur in no row are reported, with close values; a missing code says so.
final class FilterWarningTests: XCTestCase {
    func testWarningsForValuesThatMatchNoRow() throws {
        var d = try CSVReader.read(string: "rolle,tillit,t\n1,2,Oslo\n2,9,Bergen\n5,3,Oslo\n")
        var rolle = try d.variable("rolle")
        rolle.valueLabels = [1: "ordfører", 2: "rådmann", 5: "veileder"]
        d.replace(rolle)
        var tillit = try d.variable("tillit")
        tillit.missingCodes = [9]; tillit.valueLabels = [9: "ubesvart"]
        d.replace(tillit)
        XCTAssertEqual(try FilterExpression("rolle == 7").warnings(on: d),
                       ["--where: no row has rolle == 7 (closest values: 1 «ordfører», 2 «rådmann», 5 «veileder»)"])
        XCTAssertEqual(try FilterExpression("rolle == 2 and rolle in [1, ordfører]").warnings(on: d), [])
        XCTAssertEqual(try FilterExpression("tillit == 9").warnings(on: d),
                       ["--where: 9 «ubesvart» is a missing code of 'tillit', so comparing 'tillit' with it matches no row by design; use 'tillit is missing' to select missing answers"])
        XCTAssertEqual(try FilterExpression("t == oslo").warnings(on: d),
                       ["--where: no row has t == oslo (closest values: 'Oslo', 'Bergen')"])
    }
}
