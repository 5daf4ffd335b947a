import Foundation
import XCTest
@testable import SurveyStats

/// The streaming engines must give exactly what an in-memory pass over the same data gives, however the file is
/// cut into blocks and worker ranges, with or without quoted fields.
final class StreamingLikertTests: XCTestCase {
    /// Deterministic survey-like data: group labels (text), 4 Likert items 1–5 with 9 = "vet ikke" and empty.
    struct Generated {
        var groups: [String?] = []
        var items: [[Int?]] = [[], [], [], []]   // nil = empty field
        var edu: [Int] = []
    }

    static func generate(rows: Int, seed: UInt64) -> Generated {
        var state = seed
        func next() -> UInt64 { state = state &* 6364136223846793005 &+ 1442695040888963407; return state >> 33 }
        var g = Generated()
        let labels = ["Oslo", "Vest", "Nord", "Sør-Øst", "Midt"]
        for _ in 0..<rows {
            let u = next() % 100
            g.groups.append(u < 3 ? nil : labels[Int(next() % 5)])
            for k in 0..<4 {
                let r = next() % 100
                g.items[k].append(r < 4 ? nil : r < 7 ? 9 : Int(1 + (next() + UInt64(k)) % 5))
            }
            g.edu.append(Int(1 + next() % 3))
        }
        return g
    }

    static func write(_ g: Generated, delimiter: String = ",", crlf: Bool = false, quoteGroups: Bool = false) throws -> String {
        let path = NSTemporaryDirectory() + "streaming-\(UUID().uuidString).csv"
        var s = ["grp", "q1", "q2", "q3", "q4", "edu"].joined(separator: delimiter) + (crlf ? "\r\n" : "\n")
        for i in 0..<g.groups.count {
            var fields: [String] = []
            if let grp = g.groups[i] {
                fields.append(quoteGroups ? "\"\(grp)\(grp == "Oslo" ? ", \"\"by\"\"\n" : "")\"" : grp)
            } else { fields.append(i % 2 == 0 ? "" : "NA") }
            for k in 0..<4 { fields.append(g.items[k][i].map(String.init) ?? "") }
            fields.append(String(g.edu[i]))
            s += fields.joined(separator: delimiter) + (crlf ? "\r\n" : "\n")
            if i == g.groups.count / 2 { s += crlf ? "\r\n" : "\n" }  // a blank line is skipped, not a record
        }
        try s.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Counts straight from the generated arrays: the independent reference.
    static func reference(_ g: Generated, quoted: Bool = false) -> [String: [[Int]]] {
        var out: [String: [[Int]]] = [:]
        for i in 0..<g.groups.count {
            guard var grp = g.groups[i] else { continue }
            if quoted && grp == "Oslo" { grp = "Oslo, \"by\"\n" }
            var t = out[grp] ?? [[Int]](repeating: [Int](repeating: 0, count: 11), count: 4)
            for k in 0..<4 { t[k][g.items[k][i] ?? 10] += 1 }  // slot 10 = system missing
            out[grp] = t
        }
        return out
    }

    func assertMatchesReference(_ c: GroupedLikertCounts, _ ref: [String: [[Int]]], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(Set(c.groups), Set(ref.keys), file: file, line: line)
        for (gi, label) in c.groups.enumerated() {
            for k in 0..<4 {
                let cell = c.counts[gi][k]
                let r = ref[label]![k]
                for code in 1...9 { XCTAssertEqual(cell.byCode[code], r[code], "\(label) q\(k + 1) code \(code)", file: file, line: line) }
                XCTAssertEqual(cell.systemMissing, r[10], file: file, line: line)
                XCTAssertEqual(cell.n, (1...5).reduce(0) { $0 + r[$1] }, file: file, line: line)
                XCTAssertEqual(cell.missing, r[9] + r[10], file: file, line: line)
            }
        }
    }

    func testStreamingEqualsReferenceForEveryBlockAndWorkerSplit() throws {
        let g = Self.generate(rows: 5000, seed: 42)
        let path = try Self.write(g)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let ref = Self.reference(g)
        let items = ["q1", "q2", "q3", "q4"]
        let one = try GroupedLikertCounts.stream(path: path, items: items, groupBy: "grp", missingCodes: [9], workers: 1)
        assertMatchesReference(one, ref)
        XCTAssertEqual(one.rows, 5000)
        XCTAssertEqual(one.groups, ["Midt", "Nord", "Oslo", "Sør-Øst", "Vest"])  // code-point order, as R's C locale
        for (workers, block) in [(2, 256), (3, 1000), (7, 4096), (2, 1 << 20)] {
            let c = try GroupedLikertCounts.stream(path: path, items: items, groupBy: "grp", missingCodes: [9],
                                                   workers: workers, blockSize: block, minimumBytesPerWorker: 1)
            XCTAssertEqual(c, one, "workers \(workers), block \(block)")
        }
    }

    func testStreamingEqualsInMemoryCountingOfTheDatasetReader() throws {
        let g = Self.generate(rows: 3000, seed: 7)
        let path = try Self.write(g, delimiter: ";", crlf: true)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let items = ["q1", "q2", "q3", "q4"]
        let streamed = try GroupedLikertCounts.stream(path: path, items: items, groupBy: "grp", missingCodes: [9],
                                                      workers: 2, blockSize: 512, minimumBytesPerWorker: 1)
        let data = try CSVReader.read(path: path)
        let inMemory = try GroupedLikertCounts.count(data, items: items, groupBy: "grp", missingCodes: [9], workers: 2)
        XCTAssertEqual(streamed.counts, inMemory.counts)
        XCTAssertEqual(streamed.groups, inMemory.groups)
        XCTAssertEqual(streamed.missingGroup, inMemory.missingGroup)
        assertMatchesReference(streamed, Self.reference(g))
        // Ungrouped: overall counts equal the sum over groups plus rows without a group.
        let overall = try GroupedLikertCounts.stream(path: path, items: items, missingCodes: [9])
        for k in 0..<4 { XCTAssertEqual(overall.missingGroup[k], streamed.overall(k)) }
    }

    func testQuotedFieldsFallBackToTheQuoteAwarePathWithTheSameCounts() throws {
        let g = Self.generate(rows: 2000, seed: 99)
        let path = try Self.write(g, quoteGroups: true)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let c = try GroupedLikertCounts.stream(path: path, items: ["q1", "q2", "q3", "q4"], groupBy: "grp",
                                               missingCodes: [9], workers: 2, blockSize: 300, minimumBytesPerWorker: 1)
        assertMatchesReference(c, Self.reference(g, quoted: true))
        XCTAssertTrue(c.groups.contains("Oslo, \"by\"\n"))
    }

    func testMomentsFromCountsMatchTwoPassOverTheAnswers() throws {
        // 1×3, 2×7, 3×11, 4×5, 5×2 (and 9 excluded): Σk·c = 80, Σk²·c = 260, n = 28.
        var c = LikertCounts(missingCodes: [9])
        for (code, n) in [(1, 3), (2, 7), (3, 11), (4, 5), (5, 2), (9, 4)] { c.byCode[code] = n }
        c.systemMissing = 6
        let answers = [(1, 3), (2, 7), (3, 11), (4, 5), (5, 2)].flatMap { Array(repeating: Double($0.0), count: $0.1) }
        let mean = answers.reduce(0, +) / Double(answers.count)
        let ss = answers.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        XCTAssertEqual(c.n, 28)
        XCTAssertEqual(c.missing, 10)
        XCTAssertEqual(c.mean!, 80.0 / 28.0)
        // Exact: Var = (28·260 − 80²)/(28·27) = 880/756.
        XCTAssertEqual(c.variance!, 880.0 / 756.0)
        XCTAssertEqual(c.variance!, ss / 27, accuracy: 1e-15)
        XCTAssertEqual(c.median, 3)
        XCTAssertEqual(c.percent(of: [4, 5])!, 100 * 7 / 28.0, accuracy: 1e-13)
        XCTAssertNil(c.percent(9))
        XCTAssertNil(LikertCounts().mean)
        var one = LikertCounts(); one.byCode[3] = 1
        XCTAssertNil(one.variance)  // n < 2
    }

    func testANonCodeValueIsAnErrorNamingLineAndColumn() throws {
        let path = NSTemporaryDirectory() + "streaming-bad-\(UUID().uuidString).csv"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "grp,q1\nA,1\nA,2\nB,3.5\n".write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try GroupedLikertCounts.stream(path: path, items: ["q1"], groupBy: "grp")) { e in
            guard case DataError.malformed(_, let line, let column, let message) = e else { return XCTFail("\(e)") }
            XCTAssertEqual(line, 4)
            XCTAssertEqual(column, 2)
            XCTAssertTrue(message.contains("3.5"), message)
        }
        XCTAssertThrowsError(try GroupedLikertCounts.stream(path: path, items: ["q7"])) { e in
            guard case DataError.unknownVariable(let name, _, _) = e else { return XCTFail("\(e)") }
            XCTAssertEqual(name, "q7")
        }
        try "grp,q1\nA,1\nA\n".write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try GroupedLikertCounts.stream(path: path, items: ["q1"], groupBy: "grp")) { e in
            guard case DataError.malformed(_, let line, _, _) = e else { return XCTFail("\(e)") }
            XCTAssertEqual(line, 3)
        }
        // "4.0" (an Excel export) and " 5 " are codes; a file without a final newline still counts its last row.
        try "grp,q1\nA,4.0\nA, 5 \nA,2".write(toFile: path, atomically: true, encoding: .utf8)
        let c = try GroupedLikertCounts.stream(path: path, items: ["q1"], groupBy: "grp")
        XCTAssertEqual(c.counts[0][0].byCode[4], 1)
        XCTAssertEqual(c.counts[0][0].byCode[5], 1)
        XCTAssertEqual(c.counts[0][0].byCode[2], 1)
    }

    func testStreamingCrossTabEqualsReferenceCountsAndScipyChiSquared() throws {
        let g = Self.generate(rows: 4000, seed: 5)
        let path = try Self.write(g)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let c = try CrossTabCounts.stream(path: path, row: "grp", column: "edu", workers: 2, blockSize: 700,
                                          minimumBytesPerWorker: 1)
        var ref: [String: [Int]] = [:]
        var missing = 0
        for i in 0..<g.groups.count {
            guard let grp = g.groups[i] else { missing += 1; continue }
            ref[grp, default: [0, 0, 0]][g.edu[i] - 1] += 1
        }
        XCTAssertEqual(c.rowLabels, ref.keys.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) })
        XCTAssertEqual(c.columnLabels, ["1", "2", "3"])
        XCTAssertEqual(c.counts, c.rowLabels.map { ref[$0]! })
        XCTAssertEqual(c.missing, missing)
        let single = try CrossTabCounts.stream(path: path, row: "grp", column: "edu", workers: 1)
        XCTAssertEqual(single, c)

        // χ² on a fixed table; reference: scipy.stats.chi2_contingency(t, correction=False) (scipy 1.17.1).
        let t = CrossTabCounts(rowVariable: "a", columnVariable: "b", rowLabels: ["1", "2", "3"],
                               columnLabels: ["1", "2"], counts: [[12, 5], [7, 9], [3, 14]], missing: 0)
        XCTAssertEqual(t.pearsonChiSquared.df, 2)
        XCTAssertEqual(t.pearsonChiSquared.statistic, CHI2_FIXED, accuracy: 1e-12 * CHI2_FIXED)
    }
}

private let CHI2_FIXED = 9.669237012987011
