import Foundation
import XCTest
@testable import SurveyStats

/// Streamed counts fed to `LikertSummary`/`CrossTab` give exactly (bit for bit) what the in-memory constructors give
/// from the raw answers.
final class StreamingSummaryEquivalenceTests: XCTestCase {
    func testStreamedLikertSummaryEqualsInMemoryLikertSummaryExactly() throws {
        let g = StreamingLikertTests.generate(rows: 6000, seed: 2024)
        let path = try StreamingLikertTests.write(g)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let streamed = try GroupedLikertCounts.stream(path: path, items: ["q1", "q2", "q3", "q4"], groupBy: "grp",
                                                      missingCodes: [9], workers: 2, blockSize: 2048,
                                                      minimumBytesPerWorker: 1)
        let scale: [Double] = [1, 2, 3, 4, 5]
        for (gi, label) in streamed.groups.enumerated() {
            for k in 0..<4 {
                let values = (0..<g.groups.count).filter { g.groups[$0] == label }.map { i in g.items[k][i].map(Double.init) ?? .nan }
                let memory = try LikertSummary(values: values, scale: scale, missingCodes: [9])
                let fromCounts = try streamed.counts[gi][k].likertSummary(scale: scale)
                XCTAssertEqual(fromCounts.counts, memory.counts)
                XCTAssertEqual(fromCounts.n, memory.n)
                XCTAssertEqual(fromCounts.systemMissing, memory.systemMissing)
                XCTAssertEqual(fromCounts.missingByCode, memory.missingByCode)
                XCTAssertEqual(fromCounts.mean, memory.mean)                       // exact: same counts, same code
                XCTAssertEqual(fromCounts.standardDeviation, memory.standardDeviation)
                XCTAssertEqual(fromCounts.median, memory.median)
                XCTAssertEqual(fromCounts.percent, memory.percent)
                // The count table's own exact-integer moments agree to the last bits too.
                XCTAssertEqual(streamed.counts[gi][k].mean!, memory.mean, accuracy: 4 * memory.mean.ulp)
                XCTAssertEqual(streamed.counts[gi][k].standardDeviation!, memory.standardDeviation,
                               accuracy: 8 * memory.standardDeviation.ulp)
            }
        }
        // A code that is neither on the scale nor declared missing is an error, not silently dropped.
        XCTAssertThrowsError(try streamed.counts[0][0].likertSummary(scale: [1, 2, 3, 4]))
    }

    func testStreamedCrossTabEqualsInMemoryCrossTabExactly() throws {
        let g = StreamingLikertTests.generate(rows: 5000, seed: 77)
        let path = try StreamingLikertTests.write(g)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let streamed = try CrossTabCounts.stream(path: path, row: "grp", column: "edu", workers: 2,
                                                 blockSize: 1500, minimumBytesPerWorker: 1).crossTab()
        let memory = try CrossTab(rows: g.groups, columns: g.edu.map { String($0) })
        XCTAssertEqual(streamed.rowLabels, memory.rowLabels)
        XCTAssertEqual(streamed.columnLabels, memory.columnLabels)
        XCTAssertEqual(streamed.counts, memory.counts)
        XCTAssertEqual(streamed.missing, memory.missing)
        XCTAssertEqual(streamed.chiSquare, memory.chiSquare)
        XCTAssertEqual(streamed.gSquare, memory.gSquare)
        XCTAssertEqual(streamed.df, memory.df)
        XCTAssertEqual(streamed.pValue(tail: .both), memory.pValue(tail: .both))
        // And the in-memory count path from a Dataset.
        let fromDataset = try CrossTabCounts.count(try CSVReader.read(path: path), row: "grp", column: "edu").crossTab()
        XCTAssertEqual(fromDataset.counts, memory.counts)
        XCTAssertEqual(fromDataset.chiSquare, memory.chiSquare)
    }
}
