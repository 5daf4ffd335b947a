import XCTest
@testable import SurveyStats

/// `Variable.missingTokenRows`: which rows read as missing held an `--na` token, for every kind of column the CSV
/// reader makes, in one chunk or many, and after `--where` keeps some rows.
final class MissingTokenRowsTests: XCTestCase {
    private func options(threads: Int, chunkBytes: Int = 1 << 20) -> CSVOptions {
        var o = CSVOptions(naTokens: ["vet ikke", "99", "-"])
        o.maxThreads = threads
        o.chunkBytes = chunkBytes
        return o
    }

    func testTokensAreRecordedPerColumnAndRow() throws {
        // kode: a code column; x: doubles; big: values that need a decimal offset; sted: text.
        let csv = """
            kode,x,big,sted
            1,0.5,10000000.1,Oslo
            vet ikke,,10000000.2,vet ikke
            2, vet ikke ,vet ikke,Bergen
            NA,99,-,-
            "vet ikke",1.5,NA,99

            """
        let d = try CSVReader.read(string: csv, options: options(threads: 1))
        XCTAssertEqual(d["kode"]!.missingTokenRows, ["vet ikke": [1, 4]])
        XCTAssertEqual(d["x"]!.missingTokenRows, ["vet ikke": [2]])          // 99 is a value here, a missing code
        XCTAssertEqual(d["x"]!.missingTokens, [99: "99"])
        XCTAssertEqual(d["big"]!.missingTokenRows, ["vet ikke": [2], "-": [3]])
        XCTAssertEqual(d["sted"]!.missingTokenRows, ["vet ikke": [1], "-": [3], "99": [4]])
        XCTAssertEqual(d["kode"]!.missingToken(atRow: 4), "vet ikke")
        XCTAssertNil(d["kode"]!.missingToken(atRow: 3))                       // NA is no token of the user's
        XCTAssertNil(d["x"]!.missingToken(atRow: 1))                          // an empty field neither
        guard case .numeric(let kode) = d["kode"]!.values else { return XCTFail("kode is not numeric") }
        XCTAssertNil(kode.value(at: 1))
    }

    func testManyChunksGiveTheRowsOfOneChunk() throws {
        var lines = ["g,q,y"]
        var expectQ: [Int] = [], expectG: [Int] = [], expectY: [Int] = []
        for i in 0..<20_000 {
            let q = i % 7 == 3 ? "vet ikke" : (i % 11 == 0 ? "" : String(1 + i % 5))
            let g = i % 13 == 5 ? "vet ikke" : ["Oslo", "Ålesund"][i % 2]
            let y = i % 17 == 2 ? "-" : "\(i).25"
            if q == "vet ikke" { expectQ.append(i) }
            if g == "vet ikke" { expectG.append(i) }
            if y == "-" { expectY.append(i) }
            lines.append("\(g),\(q),\(y)")
        }
        let csv = lines.joined(separator: "\n") + "\n"
        let one = try CSVReader.read(string: csv, options: options(threads: 1))
        let many = try CSVReader.read(string: csv, options: options(threads: 4, chunkBytes: 4096))
        for d in [one, many] {
            XCTAssertEqual(d["q"]!.missingTokenRows, ["vet ikke": expectQ])
            XCTAssertEqual(d["g"]!.missingTokenRows, ["vet ikke": expectG])
            XCTAssertEqual(d["y"]!.missingTokenRows, ["-": expectY])
        }
    }

    func testFilteredRowsAreRenumbered() throws {
        var v = Variable(name: "x", values: .numeric(NumericColumn([1, nil, 2, nil, nil, 3])))
        v.missingTokenRows = ["vet ikke": [1, 4], "-": [3]]
        let kept = v.filtered([true, false, true, true, true, true])
        XCTAssertEqual(kept.missingTokenRows, ["vet ikke": [3], "-": [2]])
        XCTAssertEqual(kept.missingToken(atRow: 3), "vet ikke")
        XCTAssertTrue(v.filtered([true, false, true, false, false, true]).missingTokenRows.isEmpty)
    }
}
