import Foundation
import XCTest
@testable import SurveyStats

/// The parallel CSV reader cuts the file into chunks at guessed row boundaries, bounds each chunk's rows by
/// counting its line ends and writes each chunk straight into the final columns. These tests cut small files into
/// many tiny chunks (`chunkBytes`) so that every kind of row lands on a chunk edge, and require the result to be
/// identical to the sequential read and to independently computed values.
final class CSVReaderChunkTests: XCTestCase {
    /// Options that force many chunks on several threads.
    private func chunked(_ bytes: Int, _ base: CSVOptions = CSVOptions()) -> CSVOptions {
        var o = base
        o.maxThreads = 4
        o.chunkBytes = bytes
        return o
    }

    private func sequential(_ base: CSVOptions = CSVOptions()) -> CSVOptions {
        var o = base
        o.maxThreads = 1
        return o
    }

    /// Column-by-column equality, NaN == NaN, bit for bit for numbers (so -0.0 and rounding differences show).
    private func assertSame(_ a: Dataset, _ b: Dataset, _ context: String, file: StaticString = #filePath,
                            line: UInt = #line) {
        XCTAssertEqual(a.variableNames, b.variableNames, context, file: file, line: line)
        XCTAssertEqual(a.rowCount, b.rowCount, context, file: file, line: line)
        for (x, y) in zip(a.variables, b.variables) {
            switch (x.values, y.values) {
            case let (.numeric(c), .numeric(d)):
                XCTAssertEqual(c.offset, d.offset, "\(context) \(x.name) offset", file: file, line: line)
                assertBitwiseEqual(c.stored, d.stored, "\(context) \(x.name)", file: file, line: line)
            case let (.text(s), .text(t)):
                XCTAssertEqual(s, t, "\(context) \(x.name)", file: file, line: line)
            default:
                XCTFail("\(context): \(x.name) has different types", file: file, line: line)
            }
        }
    }

    /// Reports the first differing row rather than two whole columns.
    private func assertBitwiseEqual(_ a: [Double], _ b: [Double], _ context: String, file: StaticString = #filePath,
                                    line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, context, file: file, line: line)
        if let i = a.indices.first(where: { $0 < b.count && a[$0].bitPattern != b[$0].bitPattern }) {
            XCTFail("\(context): row \(i): \(a[i]) != \(b[i])", file: file, line: line)
        }
    }

    private func stored(_ d: Dataset, _ name: String, file: StaticString = #filePath, line: UInt = #line) -> [Double] {
        guard let v = d[name], case .numeric(let c) = v.values else {
            XCTFail("\(name) is not numeric", file: file, line: line); return []
        }
        // The value of each row (a column of nearby decimals is stored relative to a decimal offset).
        return c.stored.map { $0.isNaN || c.offset == 0 ? $0 : c.offset + $0 }
    }

    /// A deterministic generator (SplitMix64) so that failures reproduce.
    private struct Rng {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func int(_ r: ClosedRange<Int>) -> Int { r.lowerBound + Int(next() % UInt64(r.count)) }
    }

    func testGeneratedMixedFileIsIdenticalForEveryChunkSize() throws {
        var rng = Rng(state: 42)
        var csv = "likert,fixed,wide,weird,quoted,comment\n"
        var expected: [String: [Double]] = ["likert": [], "fixed": [], "wide": [], "weird": [], "quoted": []]
        let weird = ["1e3", "+4", " 7 ", "-0", "2.5E-3", "1234567890123456789", "0.1000000000000000055511151231257827",
                     ".5", "5.", "-.25", "000012"]
        for i in 0..<3_000 {
            // Likert code with missing (empty / NA / 9 kept as a code).
            let l: String
            switch rng.int(0...9) { case 0: l = ""; case 1: l = "NA"; default: l = String(rng.int(1...5)) }
            // Fixed-point decimal with 0–6 fraction digits and a sign.
            let digits = rng.int(0...6)
            let mantissa = rng.int(0...9_999_999)
            var f = String(mantissa)
            if digits > 0 {
                while f.count <= digits { f = "0" + f }
                f.insert(".", at: f.index(f.endIndex, offsetBy: -digits))
            }
            if rng.int(0...1) == 0 { f = "-" + f }
            // Up to 17 significant digits: beyond the fast path's 15.
            let w = String(format: "%.*f", rng.int(0...16), Double(rng.int(0...1_000_000)) / 997.0)
            let x = weird[rng.int(0...weird.count - 1)]
            let q = "\"\(rng.int(10...99))\""
            let comment = i % 7 == 0 ? "\"line one\nline \"\"two\"\"\r\n,three\"" : "plain \(i)"
            let eol = i % 11 == 0 ? "\r\n" : "\n"
            csv += "\(l),\(f),\(w),\(x),\(q),\(comment)\(eol)"
            if i % 13 == 0 { csv += "\n" }            // empty lines are skipped: chunks hold fewer rows than lines
            expected["likert"]!.append(l.isEmpty || l == "NA" ? .nan : Double(l)!)
            expected["fixed"]!.append(Double(f)!)
            expected["wide"]!.append(Double(w)!)
            expected["weird"]!.append(Double(x.trimmingCharacters(in: .whitespaces))!)
            expected["quoted"]!.append(Double(q.dropFirst().dropLast())!)
        }
        let reference = try CSVReader.read(string: csv, options: sequential())
        XCTAssertEqual(reference.rowCount, 3_000)
        for (name, values) in expected {
            assertBitwiseEqual(stored(reference, name), values, name)
        }
        guard case .text(let comments)? = reference["comment"]?.values else { return XCTFail("comment not text") }
        XCTAssertEqual(comments[0], "line one\nline \"two\"\r\n,three")
        for size in [1, 7, 64, 333, 4096] {
            assertSame(try CSVReader.read(string: csv, options: chunked(size)), reference, "chunkBytes \(size)")
        }
        // The numeric pass parses while it scans; the text pass uses the generic scanner and no fast path. Both
        // must see the same fields, and the general parser must give the same doubles.
        var allText = CSVOptions()
        for name in reference.variableNames { allText.columnTypes[name] = .text }
        let asText = try CSVReader.read(string: csv, options: chunked(64, allText))
        for name in expected.keys {
            guard case .text(let fields)? = asText[name]?.values else { return XCTFail("\(name) not text") }
            let parsed = fields.map { $0.flatMap { CSVNumberParser.parse($0) } ?? .nan }
            assertBitwiseEqual(stored(reference, name), parsed, "\(name) via the text pass")
        }
    }

    func testQuotedNewlinesAcrossEveryChunkEdge() throws {
        // Long quoted fields full of newlines and delimiters: nominal chunk starts fall inside them.
        var csv = "id,note,v\n"
        for i in 0..<400 {
            let note = i % 3 == 0 ? "\"" + String(repeating: "a,\n", count: i % 17) + "\"\"end\"\"\"" : "n\(i)"
            csv += "\(i),\(note),\(Double(i) / 8)\n"
        }
        let reference = try CSVReader.read(string: csv, options: sequential())
        XCTAssertEqual(stored(reference, "id"), (0..<400).map(Double.init))
        XCTAssertEqual(stored(reference, "v"), (0..<400).map { Double($0) / 8 })
        for size in [1, 2, 3, 5, 16, 50, 101] {
            assertSame(try CSVReader.read(string: csv, options: chunked(size)), reference, "chunkBytes \(size)")
        }
    }

    func testStrayQuotesInUnquotedFieldsFallBackToTheSequentialResult() throws {
        // A quote inside an unquoted field is accepted leniently but flips the quote parity used to guess chunk
        // starts, so guesses land mid-row; the reader must notice and still return the sequential result.
        var csv = "a,b,c\n"
        for i in 0..<500 { csv += "\(i),x\"y\(i % 3 == 0 ? "\"" : ""),\(i % 5)\n" }
        let reference = try CSVReader.read(string: csv, options: sequential())
        XCTAssertEqual(reference.rowCount, 500)
        XCTAssertEqual(stored(reference, "c"), (0..<500).map { Double($0 % 5) })
        for size in [1, 10, 100] {
            assertSame(try CSVReader.read(string: csv, options: chunked(size)), reference, "chunkBytes \(size)")
        }
    }

    func testTinyFilesAndMissingTrailingNewline() throws {
        for size in [1, 1 << 18] {
            let o = chunked(size)
            let headerOnly = try CSVReader.read(string: "a,b\n", options: o)
            XCTAssertEqual(headerOnly.variableNames, ["a", "b"])
            XCTAssertEqual(headerOnly.rowCount, 0)
            XCTAssertEqual(try CSVReader.read(string: "a,b", options: o).rowCount, 0)
            XCTAssertThrowsError(try CSVReader.read(string: "", options: o))
            let one = try CSVReader.read(string: "a,b\n1,2.5", options: o)
            XCTAssertEqual(stored(one, "a"), [1])
            XCTAssertEqual(stored(one, "b"), [2.5])
            let crlf = try CSVReader.read(string: "a;b\r\n1;2,5\r\n3;4", options: o)
            XCTAssertEqual(stored(crlf, "b"), [2.5, 4])
            let bareCR = try CSVReader.read(string: "a,b\r1,2\r3,4\r5,6", options: o)
            XCTAssertEqual(stored(bareCR, "a"), [1, 3, 5])
            // A single column: an empty line is a missing value, not a skipped line.
            let single = try CSVReader.read(string: "q\n1\n\n3\n", options: o)
            XCTAssertEqual(stored(single, "q").map { $0.isNaN ? -1 : $0 }, [1, -1, 3])
            // Trailing empty lines add no rows.
            XCTAssertEqual(try CSVReader.read(string: "a,b\n1,2\n\n\n", options: o).rowCount, 1)
        }
    }

    func testVeryWideRows() throws {
        let columns = 1_500
        var csv = (1...columns).map { "c\($0)" }.joined(separator: ",") + "\n"
        for r in 0..<40 {
            csv += (1...columns).map { c in (c + r) % 10 == 0 ? "" : "\(c * r).\(r % 10)" }.joined(separator: ",") + "\n"
        }
        let reference = try CSVReader.read(string: csv, options: sequential())
        XCTAssertEqual(reference.rowCount, 40)
        XCTAssertEqual(stored(reference, "c7")[4], 28.4)
        XCTAssertTrue(stored(reference, "c7")[3].isNaN)
        XCTAssertTrue(stored(reference, "c10")[0].isNaN)
        for size in [100, 5_000, 20_000] {
            assertSame(try CSVReader.read(string: csv, options: chunked(size)), reference, "chunkBytes \(size)")
        }
    }

    func testTypesErrorsAndTokensAreDecidedAcrossChunks() throws {
        var csv = "id,mostly,forced\n"
        for i in 0..<2_000 { csv += "\(i),\(i == 1_777 ? "x" : String(i % 4)),\(i % 9 == 0 ? "-99" : "\(i)")\n" }
        // One text value in the last chunk makes the whole column text, in every chunking.
        let reference = try CSVReader.read(string: csv, options: sequential(CSVOptions(naTokens: ["-99"])))
        guard case .text(let mostly)? = reference["mostly"]?.values else { return XCTFail("mostly is not text") }
        XCTAssertEqual(mostly[1_777], "x")
        XCTAssertEqual(mostly[5], "1")
        // -99 is a user NA token: kept as a value, declared missing.
        XCTAssertEqual((0..<2_000).filter { reference["forced"]!.isMissing($0) }.count, 223)
        XCTAssertEqual(stored(reference, "forced").filter { $0 == -99 }.count, 223)
        for size in [1, 64, 1_000] {
            assertSame(try CSVReader.read(string: csv, options: chunked(size, CSVOptions(naTokens: ["-99"]))),
                       reference, "chunkBytes \(size)")
            XCTAssertThrowsError(try CSVReader.read(string: csv, source: "t.csv", options: chunked(size, CSVOptions(
                columnTypes: ["mostly": .numeric])))) { e in
                XCTAssertEqual(e as? DataError, .nonNumericValue(source: "t.csv", line: 1_779, columnNumber: 2, column: "mostly", value: "x"))
            }
        }
    }

    func testFixedPointFastPathIsCorrectlyRounded() {
        // Every decimal of up to 15 digits must give the double nearest to it, as the standard parser does.
        var rng = Rng(state: 7)
        for _ in 0..<20_000 {
            let digits = rng.int(1...15)
            var s = String(rng.next() % UInt64(pow(10.0, Double(digits))))
            let point = rng.int(0...s.count)
            s.insert(".", at: s.index(s.startIndex, offsetBy: point))
            if rng.int(0...1) == 0 { s = "-" + s }
            guard s.contains(where: \.isNumber) else { continue }
            let bytes = Array(s.utf8)
            let fast = bytes.withUnsafeBufferPointer { NumericSink.fixedPoint($0.baseAddress!, 0, $0.count,
                                                                              decimal: UInt8(ascii: ".")) }
            XCTAssertEqual(fast?.value.bitPattern, Double(s)?.bitPattern, s)
        }
        // Outside the fast path: handed to the general parser.
        for s in ["1e5", "+1", " 1", "1 ", "1234567890123456", "1.2.3", "-", ".", "1,5"] {
            let bytes = Array(s.utf8)
            XCTAssertNil(bytes.withUnsafeBufferPointer { NumericSink.fixedPoint($0.baseAddress!, 0, $0.count,
                                                                               decimal: UInt8(ascii: ".")) }, s)
        }
    }

    /// The UTF-8 check rides on the quote count of the chunked read: a Windows-1252 byte only deep in the body (in a
    /// late chunk) must still make the file Windows-1252 (auto) or an error at its line and column (utf8), exactly as
    /// the sequential read decides; valid multi-byte UTF-8 in the body or the header keeps the file UTF-8.
    func testEncodingIsDecidedOnTheWholeFileWhenChunked() throws {
        var rows = "rolle;snitt\n"
        for i in 0..<400 { rows += "leder\(i % 7);\(i % 5),5\n" }
        let ascii = Array(rows.utf8)
        // "rådmann;4,1" as Windows-1252 (å = 0xE5) after 400 ASCII rows.
        let windows = ascii + Array("r".utf8) + [0xE5] + Array("dmann;4,1\n".utf8)
        for options in [chunked(64), chunked(500), sequential()] {
            let (d, dialect) = try windows.withUnsafeBufferPointer { b in
                try CSVReader.read(b.baseAddress!, b.count, source: "nb.csv", options: options)
            }
            XCTAssertEqual(dialect.encoding, .windows1252)
            guard case .text(let roles) = try d.variable("rolle").values else { return XCTFail("rolle is text") }
            XCTAssertEqual(roles.last, "rådmann")
            XCTAssertEqual(roles.count, 401)
            var strict = options
            strict.encoding = .utf8
            XCTAssertThrowsError(try CSVReader.read(bytes: windows, options: strict)) { e in
                XCTAssertTrue("\(e)".contains(":402:2: byte 0xE5 is not valid UTF-8"), "\(e)")
            }
            // Valid UTF-8 outside ASCII, in the body or in the header: UTF-8.
            for utf8 in [ascii + Array("rådmann;4,1\n".utf8), Array("rølle;snitt\n".utf8) + ascii.dropFirst(12)] {
                let (u, udialect) = try utf8.withUnsafeBufferPointer { b in
                    try CSVReader.read(b.baseAddress!, b.count, source: "u.csv", options: options)
                }
                XCTAssertEqual(udialect.encoding, .utf8)
                XCTAssertEqual(u.rowCount, utf8.filter { $0 == 0x0A }.count - 1)
            }
        }
        // A Windows-1252 header with an ASCII body: the names are transcoded before they are matched.
        var selected = chunked(64)
        selected.columns = ["snitt", "r\u{F8}lle"]
        let header = Array("r".utf8) + [0xF8] + Array("lle;snitt\n".utf8) + ascii.dropFirst(12)
        let h = try header.withUnsafeBufferPointer { b in
            try CSVReader.read(b.baseAddress!, b.count, source: "h.csv", options: selected).dataset
        }
        XCTAssertEqual(h.variableNames, ["r\u{F8}lle", "snitt"])
    }

    func testRowBoundCountsLineEnds() {
        let cases: [(String, Int)] = [("", 0), ("a", 1), ("a\n", 1), ("a\nb", 2), ("a\r\nb\r\n", 2), ("a\rb\r", 2), ("a\rb", 2), ("a\r", 1),
                                      ("\"x\ny\"\n", 2), (String(repeating: "1,2\n", count: 100), 100)]
        for (text, bound) in cases {
            let bytes = Array(text.utf8) + [0]
            XCTAssertEqual(bytes.withUnsafeBufferPointer { CSVByteCount.rowBound($0.baseAddress!, 0, $0.count - 1, limit: $0.count - 1) },
                           bound, text.debugDescription)
        }
        // Long buffers cross the 255-step widening of the vector counters.
        var rng = Rng(state: 3)
        let long = (0..<100_003).map { _ in UInt8(truncatingIfNeeded: rng.next() % 7 == 0 ? 0x0A : rng.next()) }
        for (from, to) in [(0, long.count), (5, 9_000), (31, 32), (1, 100_000)] {
            XCTAssertEqual(long.withUnsafeBufferPointer { CSVByteCount.count(0x0A, in: $0.baseAddress!, from, to) },
                           long[from..<to].filter { $0 == 0x0A }.count, "\(from)..<\(to)")
        }
        var text = [UInt8](repeating: UInt8(ascii: "a"), count: 200_000)
        XCTAssertTrue(text.withUnsafeBufferPointer { CSVByteCount.isASCII($0.baseAddress!, 0, $0.count) })
        for position in [0, 31, 32, 65_537, 199_999] {
            text[position] = 0xC3
            XCTAssertFalse(text.withUnsafeBufferPointer { CSVByteCount.isASCII($0.baseAddress!, 0, $0.count) })
            XCTAssertFalse(text.withUnsafeBufferPointer { CSVByteCount.isASCIIParallel($0.baseAddress!, $0.count) })
            text[position] = UInt8(ascii: "a")
        }
        let mixed = Array("ab\"c\"\"\n\"12345678901234567\"\"".utf8)
        XCTAssertEqual(mixed.withUnsafeBufferPointer { CSVByteCount.count(UInt8(ascii: "\""), in: $0.baseAddress!, 0,
                                                                            $0.count) },
                       mixed.filter { $0 == UInt8(ascii: "\"") }.count)
    }
}
