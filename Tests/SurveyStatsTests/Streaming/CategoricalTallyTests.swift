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
