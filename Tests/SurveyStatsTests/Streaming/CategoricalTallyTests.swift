import Foundation
import XCTest
@testable import SurveyStats

/// `CategoricalTally` must count every distinct text of a file, in order of first appearance, with the joint
/// counts of its pairs, whatever the cut of the file into worker ranges; and `LikertSummary(valueCounts:)` must
/// equal the summary of the raw values bit for bit.
final class CategoricalTallyTests: XCTestCase {
    func write(_ text: String) throws -> String {
        let path = NSTemporaryDirectory() + "tally-\(UUID().uuidString).csv"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func testCountsTextsInOrderOfFirstAppearanceWithJointCounts() throws {
        let path = try write("g,q,x\nb,1,0.5\na,2,1\nb,,2\n\"c, d\",1,3\na,NA,4\nb,1,5\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let t = try CategoricalTally.stream(path: path, columns: ["g", "q"], pairs: [.init(0, 1)])
        XCTAssertEqual(t.rows, 6)
        XCTAssertEqual(t.labels[0], ["b", "a", "c, d"])
        XCTAssertEqual(t.counts[0], [3, 2, 1])
        XCTAssertEqual(t.firstRows[0], [0, 1, 3])
        XCTAssertEqual(t.labels[1], ["1", "2", "", "NA"])
        XCTAssertEqual(t.counts[1], [3, 1, 1, 1])
        XCTAssertEqual(t.jointCount(0, 0, 0), 2)  // b × 1
        XCTAssertEqual(t.jointCount(0, 0, 2), 1)  // b × empty
        XCTAssertEqual(t.jointCount(0, 2, 0), 1)  // "c, d" × 1
        XCTAssertEqual(t.jointCount(0, 1, 3), 1)  // a × NA
        XCTAssertEqual(try t.lineNumber(column: 0, label: 2), 5)
        // Read back through the CSV reader: "" and NA are missing, the rest numbers.
        let d = try t.dataset(options: CSVOptions(columnTypes: ["q": .numeric]))
        let q = try d.variable("q").numericValues()
        XCTAssertEqual(Array(q.prefix(4)), [1, 2, nil, nil])
        guard case .text(let g) = try d.variable("g").values else { return XCTFail("g should be text") }
        XCTAssertEqual(Array(g.prefix(3)), ["b", "a", "c, d"])
    }

    func testAnyCutIntoWorkerRangesGivesTheSameTally() throws {
        var s = "g,q\n"
        var state: UInt64 = 99
        func next(_ n: Int) -> Int { state = state &* 6364136223846793005 &+ 1442695040888963407; return Int((state >> 33) % UInt64(n)) }
        for i in 0..<20_000 {
            let g = i > 15_000 && next(7) == 0 ? "late" : ["x", "y"][next(2)]
            s += "\(g),\([String(1 + next(5)), "", "9", "10"][next(4)])\n"
        }
        let path = try write(s)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let one = try CategoricalTally.stream(path: path, columns: ["g", "q"], pairs: [.init(0, 1)], workers: 1)
        for workers in [2, 3, 7] {
            let many = try CategoricalTally.stream(path: path, columns: ["g", "q"], pairs: [.init(0, 1)], workers: workers,
                                                   blockSize: 4096, minimumBytesPerWorker: 1024)
            XCTAssertEqual(many.labels, one.labels, "workers \(workers)")
            XCTAssertEqual(many.counts, one.counts)
            XCTAssertEqual(many.firstRows, one.firstRows)
            XCTAssertEqual(many.joint, one.joint)
            XCTAssertEqual(many.rows, 20_000)
        }
        XCTAssertEqual(one.labels[0].last, "late")
    }

    func testSniffsSemicolonAndDecimalCommaAsTheReaderDoes() throws {
        let path = try write("g;x\nSør;3,5\nNord;2,0\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let t = try CategoricalTally.stream(path: path, columns: ["g", "x"])
        XCTAssertEqual(t.delimiter, UInt8(ascii: ";"))
        XCTAssertEqual(t.decimalSeparator, UInt8(ascii: ","))
        let d = try t.dataset(options: CSVOptions())
        XCTAssertEqual(try d.variable("x").numericValues(), [3.5, 2.0])
    }

    func writeBytes(_ bytes: [UInt8]) throws -> String {
        let path = NSTemporaryDirectory() + "tally-\(UUID().uuidString).csv"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Every byte of the file is checked to be UTF-8 (also in columns the tally does not read, and however blocks
    /// and worker ranges cut the multi-byte characters), and a bad byte is reported as `CSVReader` reports it: at
    /// the file's line and column, not at a place in the tally's own texts.
    func testEncodingOfEveryByteIsCheckedAndReportedAtTheFileLine() throws {
        func file(bad: Int?, quoted: Bool) -> [UInt8] {
            var bytes = Array("g,sted,fritt\n".utf8)
            for i in 0..<3_000 {
                let sted = ["Tromsø", "Bodø", "Oslo", "Å"][i % 4]
                bytes += Array("\(["x", "y"][i % 2]),\(sted),".utf8)
                if quoted && i % 97 == 0 { bytes += Array("\"tekst, æøå\"".utf8) }
                else if i == bad { bytes += Array("tekst ".utf8) + [0xF8] + Array("x".utf8) }   // Windows-1252 ø
                else { bytes += Array("tekst \(String(repeating: "é", count: i % 5))".utf8) }
                bytes.append(10)
            }
            return bytes
        }
        for quoted in [false, true] {
            let good = try writeBytes(file(bad: nil, quoted: quoted))
            defer { try? FileManager.default.removeItem(atPath: good) }
            let one = try CategoricalTally.stream(path: good, columns: ["g", "sted"], workers: 1)
            XCTAssertEqual(one.labels[1], ["Tromsø", "Bodø", "Oslo", "Å"])
            for (workers, block) in [(1, 61), (2, 61), (3, 97), (2, 1 << 20)] {
                let t = try CategoricalTally.stream(path: good, columns: ["g", "sted"], workers: workers,
                                                    blockSize: block, minimumBytesPerWorker: 512)
                XCTAssertEqual(t.counts, one.counts, "quoted \(quoted), workers \(workers), block \(block)")
                XCTAssertEqual(t.rows, 3_000)
            }

            let bad = try writeBytes(file(bad: 2_500, quoted: quoted))
            defer { try? FileManager.default.removeItem(atPath: bad) }
            var reader = ""
            XCTAssertThrowsError(try CSVReader.read(path: bad)) { reader = "\($0)" }
            // Row 2500 is line 2502; «x,Tromsø,tekst » is 16 bytes: the bad byte is column 17.
            XCTAssertEqual(reader, "\(bad):2502:17: byte 0xF8 is not valid UTF-8 (the file also holds UTF-8 text: mixed "
                           + "encodings); if the file is Windows-1252, use --encoding windows-1252")
            for (workers, block) in [(1, 61), (2, 61), (3, 97), (2, 1 << 20), (1, 1 << 20)] {
                for columns in [["g"], ["g", "sted"], ["fritt"]] {
                    XCTAssertThrowsError(try CategoricalTally.stream(path: bad, columns: columns, workers: workers,
                                                                     blockSize: block, minimumBytesPerWorker: 512)) {
                        XCTAssertEqual("\($0)", reader, "quoted \(quoted), workers \(workers), block \(block), \(columns)")
                    }
                }
            }
            // --encoding utf-8: the reader's words for it.
            var strict = ""
            XCTAssertThrowsError(try CSVReader.read(path: bad, options: CSVOptions(encoding: .utf8))) { strict = "\($0)" }
            XCTAssertEqual(strict, "\(bad):2502:17: byte 0xF8 is not valid UTF-8; if the file is Windows-1252, use --encoding windows-1252")
            XCTAssertThrowsError(try CategoricalTally.stream(path: bad, columns: ["g"], encoding: .utf8, workers: 2,
                                                             blockSize: 61, minimumBytesPerWorker: 512)) {
                XCTAssertEqual("\($0)", strict)
            }
        }

        // No UTF-8 text, a late Windows-1252 byte: the reader transcodes the file, the tally says it cannot.
        var ansi = Array("g,sted\n".utf8)
        for i in 0..<2_000 { ansi += Array("\(i % 3),Oslo\n".utf8) }
        ansi += Array("1,Bod".utf8) + [0xF8] + [10]
        let path = try writeBytes(ansi)
        defer { try? FileManager.default.removeItem(atPath: path) }
        XCTAssertEqual(try CSVReader.read(path: path).rowCount, 2_001)
        XCTAssertThrowsError(try CategoricalTally.stream(path: path, columns: ["g"], workers: 2, blockSize: 61,
                                                         minimumBytesPerWorker: 512)) {
            XCTAssertTrue("\($0)".contains(StreamingCSVScanner.notUTF8Message), "\($0)")
        }
    }

    /// The UTF-8 check (word-at-a-time, with a two-byte fast path) finds the same first bad byte as a plain
    /// byte-by-byte decoder, at any alignment.
    func testFirstInvalidUTF8AgreesWithAPlainDecoder() {
        func plain(_ b: [UInt8]) -> Int? {
            var i = 0
            while i < b.count {
                let c = b[i]
                if c < 0x80 { i += 1; continue }
                let need = c & 0xE0 == 0xC0 ? 1 : c & 0xF0 == 0xE0 ? 2 : c & 0xF8 == 0xF0 ? 3 : -1
                if need < 0 || i + need >= b.count { return i }
                var scalar = UInt32(c) & [0, 0x1F, 0x0F, 0x07][need]
                for k in 1...need {
                    if b[i + k] & 0xC0 != 0x80 { return i }
                    scalar = scalar << 6 | UInt32(b[i + k] & 0x3F)
                }
                let minimum: UInt32 = [0, 0x80, 0x800, 0x10000][need]
                if scalar < minimum || scalar > 0x10FFFF || (0xD800...0xDFFF).contains(scalar) { return i }
                i += need + 1
            }
            return nil
        }
        var state: UInt64 = 7
        func next(_ n: Int) -> Int { state = state &* 6364136223846793005 &+ 1442695040888963407; return Int((state >> 33) % UInt64(n)) }
        let pieces: [[UInt8]] = [Array("ø".utf8), Array("€".utf8), Array("😀".utf8), [0xF8], [0xC3], [0xC0, 0xAF], [0xE2, 0x82],
                                 [0xED, 0xA0, 0x80], [0x80], [0xF4, 0x90, 0x80, 0x80], [0xDF, 0xBF]]
        for _ in 0..<3_000 {
            var b: [UInt8] = []
            for _ in 0..<next(80) {
                if next(6) == 0 { b += pieces[next(pieces.count)] } else { b.append(UInt8(0x20 + next(90))) }
            }
            if next(4) == 0 { b = [UInt8](repeating: 0x41, count: 16 * next(5)) }   // ASCII, a multiple of 16 bytes
            // Bytes past the end that are not UTF-8 must not be read (a multiple of 16 ends the 16-byte loop there).
            let padded = b + [0xFF, 0xFF, 0xFF, 0xFF]
            let got = padded.withUnsafeBufferPointer { EncodingSupport.firstInvalidUTF8($0.baseAddress!, b.count) }
            XCTAssertEqual(got, plain(b), "\(b)")
        }
    }

    /// A ','-separated file with quoted decimal commas: sniffed as the reader sniffs it, read back as numbers.
    func testQuotedDecimalCommasInACommaFile() throws {
        let path = try write("id,x,g\n1,\"3,5\",a\n2,\"4,25\",b\n3,\"2\",a\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        for decimal in [DecimalSeparator.auto, .comma] {
            let t = try CategoricalTally.stream(path: path, columns: ["x", "g"], decimalSeparator: decimal)
            XCTAssertEqual(t.delimiter, UInt8(ascii: ","))
            XCTAssertEqual(t.decimalSeparator, UInt8(ascii: ","))
            XCTAssertEqual(t.labels[0], ["3,5", "4,25", "2"])
            let d = try t.dataset(options: CSVOptions(columnTypes: ["x": .numeric]))
            XCTAssertEqual(Array(try d.variable("x").numericValues().prefix(3)), [3.5, 4.25, 2])
        }
    }

    func testTooManyDistinctTextsStopsWithAMessage() throws {
        var s = "id\n"
        for i in 0...CategoricalTally.maximumDistinctTexts { s += "\(i)\n" }
        let path = try write(s)
        defer { try? FileManager.default.removeItem(atPath: path) }
        XCTAssertThrowsError(try CategoricalTally.stream(path: path, columns: ["id"])) { error in
            XCTAssertTrue("\(error)".contains(CategoricalTally.tooManyValuesMessage), "\(error)")
        }
    }

    func testLikertSummaryFromValueCountsEqualsRawValues() throws {
        var state: UInt64 = 5
        func next(_ n: Int) -> Int { state = state &* 6364136223846793005 &+ 1442695040888963407; return Int((state >> 33) % UInt64(n)) }
        let pool: [Double] = [1, 2, 3, 4, 5, 9, .nan, 7, 2.5]
        let values = (0..<5_000).map { _ in pool[next(pool.count)] }
        let scale: [Double] = [5, 1, 2, 3, 4]  // unsorted on purpose
        let labels: [String?] = ["fem", "en", nil, "tre", "fire"]
        let raw = try LikertSummary(values: values, scale: scale, labels: labels, missingCodes: [9])
        var counts: [Double: Int] = [:]
        var nan = 0
        for v in values { if v.isNaN { nan += 1 } else { counts[v, default: 0] += 1 } }
        let pairs = counts.map { (value: $0.key, count: $0.value) } + [(value: .nan, count: nan)]
        let fromCounts = try LikertSummary(valueCounts: pairs, scale: scale, labels: labels, missingCodes: [9])
        XCTAssertEqual(fromCounts.scale, raw.scale)
        XCTAssertEqual(fromCounts.labels, raw.labels)
        XCTAssertEqual(fromCounts.counts, raw.counts)
        XCTAssertEqual(fromCounts.n, raw.n)
        XCTAssertEqual(fromCounts.systemMissing, raw.systemMissing)
        XCTAssertEqual(fromCounts.missingByCode, raw.missingByCode)
        XCTAssertEqual(fromCounts.outOfScale, raw.outOfScale)
        XCTAssertGreaterThan(raw.outOfScale, 0)
        XCTAssertEqual(fromCounts.allTotal, raw.allTotal)
        XCTAssertEqual(fromCounts.notes, raw.notes)
        // Bit-identical statistics.
        XCTAssertEqual(fromCounts.mean.bitPattern, raw.mean.bitPattern)
        XCTAssertEqual(fromCounts.sd.bitPattern, raw.sd.bitPattern)
        XCTAssertEqual(fromCounts.standardError.bitPattern, raw.standardError.bitPattern)
        XCTAssertEqual(fromCounts.median, raw.median)
        XCTAssertEqual(fromCounts.percent, raw.percent)
        XCTAssertEqual(fromCounts.percentOfAll, raw.percentOfAll)
        XCTAssertEqual(fromCounts.topBox, raw.topBox)
    }
}
