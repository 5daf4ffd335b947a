import Foundation
import XCTest
@testable import SurveyStats

/// One-byte code storage of `NumericColumn` and the CSV reader's choice of it: codes are kept exactly, values that
/// do not fit promote the column to doubles without losing or changing anything, and every consumer sees the
/// same values whatever the storage.
final class CompactColumnTests: XCTestCase {
    // MARK: - NumericColumn

    func testCodeColumnReadsLikeDoubles() {
        let c = NumericColumn(codes: [1, 5, 255, 0, 254])
        XCTAssertEqual(c.count, 5)
        XCTAssertEqual(c.codes, [1, 5, 255, 0, 254])
        XCTAssertEqual((0..<5).map { c.value(at: $0) }, [1, 5, nil, 0, 254])
        XCTAssertEqual(c.offset, 0)
        let s = c.stored
        XCTAssertEqual(s.count, 5)
        XCTAssertEqual(s[0], 1); XCTAssertEqual(s[4], 254); XCTAssertTrue(s[2].isNaN)
        XCTAssertEqual(c.withStoredValues { Array($0) }.map(\.bitPattern), s.map(\.bitPattern))
    }

    func testStoredIsMaterialisedOnceAndShared() {
        let c = NumericColumn(codes: [UInt8](repeating: 3, count: 1000))
        let copy = c
        // The same buffer every time, for the column and its copies: a cache, not a new array per access.
        let a = c.stored.withUnsafeBufferPointer { $0.baseAddress }
        let b = copy.stored.withUnsafeBufferPointer { $0.baseAddress }
        let d = c.withStoredValues { $0.baseAddress }
        XCTAssertEqual(a, b)
        XCTAssertEqual(a, d)
        XCTAssertNotNil(c.codes, "reading stored keeps the code storage")
        // Concurrent first access from many threads: one consistent result.
        let fresh = NumericColumn(codes: (0..<10_000).map { UInt8($0 % 255) })
        var sums = [Double](repeating: 0, count: 8)
        sums.withUnsafeMutableBufferPointer { out in
            let o = out
            DispatchQueue.concurrentPerform(iterations: 8) { k in o[k] = fresh.stored.reduce(0, +) }
        }
        let expected = (0..<10_000).reduce(0.0) { $0 + Double($1 % 255) }
        XCTAssertEqual(sums, [Double](repeating: expected, count: 8))
    }

    func testSettingOrMutatingStoredSwitchesToDoubles() {
        var c = NumericColumn(codes: [1, 2, 255])
        c.stored[1] = 2.5
        XCTAssertNil(c.codes)
        XCTAssertEqual(c.value(at: 0), 1); XCTAssertEqual(c.value(at: 1), 2.5); XCTAssertNil(c.value(at: 2))
        var e = NumericColumn(codes: [4, 4])
        e.stored = [7, .nan]
        XCTAssertNil(e.codes)
        XCTAssertEqual(e.value(at: 0), 7); XCTAssertNil(e.value(at: 1))
        // A copy taken before the mutation keeps its codes.
        var f = NumericColumn(codes: [9, 8])
        let before = f
        f.stored[0] = 1
        XCTAssertEqual(before.codes, [9, 8])
        XCTAssertEqual(f.value(at: 0), 1)
    }

    func testEqualityIsByValueAcrossStorages() {
        let codes = NumericColumn(codes: [1, 255, 3])
        XCTAssertEqual(codes, NumericColumn([1, .nan, 3]))
        XCTAssertEqual(NumericColumn([1, .nan, 3]), codes)
        XCTAssertEqual(codes, NumericColumn([1, nil, 3]))
        XCTAssertEqual(codes, NumericColumn(codes: [1, 255, 3]))
        XCTAssertNotEqual(codes, NumericColumn([1, 2, 3]))
        XCTAssertNotEqual(codes, NumericColumn([1, .nan]))
        XCTAssertNotEqual(codes, NumericColumn(codes: [1, 255, 4]))
        // Same values through different offsets.
        XCTAssertEqual(NumericColumn([1, 2], offset: 10), NumericColumn([11, 12]))
        XCTAssertEqual(NumericColumn([.nan, 0.5]), NumericColumn([.nan, 0.5]))
    }

    func testFilteredAndCompacted() {
        let c = NumericColumn(codes: [1, 2, 255, 4])
        let f = c.filtered([true, false, true, true])
        XCTAssertEqual(f.codes, [1, 255, 4])
        XCTAssertEqual(NumericColumn([1, .nan, 254, 0]).compacted().codes, [1, 255, 254, 0])
        for bad: Double in [3.5, 255, -1, -0.0, 1e300] {
            let d = NumericColumn([1, bad]).compacted()
            XCTAssertNil(d.codes, "\(bad)")
            XCTAssertEqual(d.stored[1].bitPattern, bad.bitPattern)
        }
        XCTAssertNil(NumericColumn([1, 2], offset: 5).compacted().codes, "an offset column stays doubles")
        let data = Dataset(source: "t", variables: [Variable(name: "q", values: .numeric(c))])
        guard case .numeric(let kept)? = data.filtered([false, true, true, false])["q"]?.values else {
            return XCTFail("q is not numeric")
        }
        XCTAssertEqual(kept.codes, [2, 255])
    }

    // MARK: - CSV reader

    private func column(_ d: Dataset, _ name: String, file: StaticString = #filePath, line: UInt = #line) -> NumericColumn {
        guard let v = d[name], case .numeric(let c) = v.values else {
            XCTFail("\(name) is not numeric", file: file, line: line)
            return NumericColumn([Double]())
        }
        return c
    }

    private func options(threads: Int, chunkBytes: Int = 1 << 20, _ base: CSVOptions = CSVOptions()) -> CSVOptions {
        var o = base
        o.maxThreads = threads
        o.chunkBytes = chunkBytes
        return o
    }

    func testLikertColumnsAreStoredAsCodesWithMissing() throws {
        let csv = "id,q1,q2,x,name\n1,1,5,0.5,a\n2,,NA,1.5,b\n3,9,3,2,c\n4,254,0,3,d\n"
        let d = try CSVReader.read(string: csv)
        XCTAssertEqual(column(d, "q1").codes, [1, 255, 9, 254])
        XCTAssertEqual(column(d, "q2").codes, [5, 255, 3, 0])
        XCTAssertEqual(column(d, "id").codes, [1, 2, 3, 4])
        XCTAssertNil(column(d, "x").codes)
        XCTAssertEqual(column(d, "x").stored, [0.5, 1.5, 2, 3])
        XCTAssertFalse(d["name"]!.isNumeric)
        XCTAssertTrue(d["q1"]!.isMissing(1))
        XCTAssertNil(column(d, "q2").value(at: 1))
    }

    func testUserMissingTokensInCodeColumns() throws {
        var o = CSVOptions()
        o.naTokens = ["99", "-"]
        let d = try CSVReader.read(string: "q\n1\n99\n-\n2\n", options: o)
        // "-" is empty; "99" (a number) stays a code, declared missing.
        XCTAssertEqual(column(d, "q").codes, [1, 99, 255, 2])
        XCTAssertEqual((0..<4).map { d["q"]!.isMissing($0) }, [false, true, true, false])
    }

    /// A big file cut into many chunks: a value that is not a code, in the last row or in a middle chunk,
    /// promotes the column; every value is kept bit for bit, the sequential and parallel reads agree, and the
    /// other code columns stay compact.
    func testPromotionKeepsEveryValue() throws {
        let rows = 60_000
        for anomaly in ["3.5", "300", "-1", "1e3", "-0", "255", "2.0", "+4", " 7 ", "\"3\""] {
            for position in [rows - 1, rows / 2 + 7, 0, 1500] {
                var csv = "g,q1,q2\n"
                var expected = [Double]()
                for i in 0..<rows {
                    let q1: String
                    if i == position { q1 = anomaly } else { q1 = i % 11 == 0 ? "" : String(i % 5 + 1) }
                    csv += "\(i % 6 + 1),\(q1),\(i % 4)\n"
                    expected.append(i == position ? CSVNumberParser.parse(anomaly.replacingOccurrences(of: "\"", with: ""))!
                                    : (i % 11 == 0 ? .nan : Double(i % 5 + 1)))
                }
                let context = "\(anomaly) at row \(position)"
                let parallel = try CSVReader.read(string: csv, options: options(threads: 4, chunkBytes: 4096))
                let sequential = try CSVReader.read(string: csv, options: options(threads: 1))
                for d in [parallel, sequential] {
                    let q1 = column(d, "q1")
                    XCTAssertEqual(q1.count, rows, context)
                    let got = q1.stored
                    if let bad = (0..<rows).first(where: { got[$0].bitPattern != expected[$0].bitPattern
                                                            && !(got[$0].isNaN && expected[$0].isNaN) }) {
                        XCTFail("\(context): row \(bad): \(got[bad]) != \(expected[bad])")
                    }
                    let fits = ["+4", " 7 ", "\"3\""].contains(anomaly)
                    XCTAssertEqual(q1.codes == nil, !fits, "\(context): storage")
                    XCTAssertNotNil(column(d, "q2").codes, context)
                    XCTAssertNotNil(column(d, "g").codes, context)
                }
                XCTAssertEqual(column(parallel, "q1"), column(sequential, "q1"), context)
            }
        }
    }

    /// Random files where code columns meet every kind of field after a one-row sample: reading with code
    /// storage (many chunks, 4 threads) gives bit for bit the values, offsets and types of reading without it.
    func testCodeStorageNeverChangesAValue() throws {
        let pool = ["1", "2", "5", "0", "254", "", "NA", "3.5", "300", "-1", "1e3", "-0", "\"4\"", " 7 ", "255",
                    "007", "+3", "1.0", "\"\"", "12345678901234567890"]
        var state: UInt64 = 7
        func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
        for seed in 0..<12 {
            let (delimiter, decimal): (String, DecimalSeparator) = seed % 2 == 0 ? (",", .point) : (";", .comma)
            var csv = "a\(delimiter)b\(delimiter)c\n"
            for row in 0..<2500 {
                // Column a: codes with a rare anomaly; b: anomalies often; c: always a code.
                let a = row > 0 && next(400) == 0 ? pool[next(pool.count)] : String(next(5) + 1)
                let b = row > 0 && next(8) == 0 ? pool[next(pool.count)] : String(next(255))
                var fields = [a, b, String(next(7))]
                if decimal == .comma { fields = fields.map { $0 == "3.5" ? "3,5" : ($0 == "1.0" ? "1,0" : $0) } }
                csv += fields.joined(separator: delimiter) + "\n"
            }
            var withCodes = options(threads: 4, chunkBytes: 512)
            withCodes.decimalSeparator = decimal
            withCodes.codeSampleRows = 1
            var without = options(threads: 1)
            without.decimalSeparator = decimal
            without.codeSampleRows = 0
            let x = try CSVReader.read(string: csv, options: withCodes)
            let y = try CSVReader.read(string: csv, options: without)
            XCTAssertEqual(x.variableNames, y.variableNames)
            for name in y.variableNames {
                switch (x[name]!.values, y[name]!.values) {
                case let (.numeric(c), .numeric(d)):
                    XCTAssertNil(d.codes)
                    XCTAssertEqual(c.offset, d.offset, "seed \(seed) \(name)")
                    XCTAssertEqual(c.stored.map(\.bitPattern), d.stored.map(\.bitPattern), "seed \(seed) \(name)")
                case let (.text(s), .text(t)):
                    XCTAssertEqual(s, t, "seed \(seed) \(name)")
                default:
                    XCTFail("seed \(seed) \(name): different types")
                }
            }
            XCTAssertNotNil(column(x, "c").codes, "seed \(seed)")
        }
    }

    func testMinusZeroKeepsItsSign() throws {
        let d = try CSVReader.read(string: "q\n1\n-0\n2\n")
        let q = column(d, "q")
        XCTAssertNil(q.codes)
        XCTAssertEqual(q.stored[1].sign, .minus)
    }

    func testColumnMissingInTheSampleIsDoubles() throws {
        var csv = "q,r\n"
        for i in 0..<2000 { csv += i < 1500 ? ",\(i % 3)\n" : "\(i % 5),\(i % 3)\n" }
        let d = try CSVReader.read(string: csv)
        XCTAssertNil(column(d, "q").codes)
        XCTAssertEqual(column(d, "q").value(at: 1999), 4)
        XCTAssertNil(column(d, "q").value(at: 0))
        XCTAssertNotNil(column(d, "r").codes)
    }

    func testTextLaterInACodeColumnMakesItText() throws {
        var csv = "q\n"
        for i in 0..<3000 { csv += i == 2500 ? "vet ikke\n" : "\(i % 5 + 1)\n" }
        for threads in [1, 4] {
            let d = try CSVReader.read(string: csv, options: options(threads: threads, chunkBytes: 512))
            guard case .text(let t)? = d["q"]?.values else { return XCTFail("q should be text") }
            XCTAssertEqual(t[2500], "vet ikke")
            XCTAssertEqual(t[2499], "5")
        }
    }

    func testForcedNumericCodeColumnReportsBadValue() throws {
        var csv = "q\n"
        for i in 0..<3000 { csv += i == 2500 ? "x\n" : "\(i % 5 + 1)\n" }
        var o = options(threads: 4, chunkBytes: 512)
        o.columnTypes = ["q": .numeric]
        XCTAssertThrowsError(try CSVReader.read(string: csv, source: "s.csv", options: o)) { e in
            XCTAssertEqual("\(e)", "s.csv:2502:1: column 'q': 'x' is not a number")
        }
    }

    /// A promoted column whose values share leading digits gets the exact decimal offset, as a double column would.
    func testPromotedColumnStillGetsDecimalOffset() throws {
        var csv = "q\n"
        var expected = [Double]()
        for i in 0..<2000 {
            let v = i == 1999 ? "105.5" : String(100 + i % 11)
            csv += v + "\n"
            expected.append(Double(v)!)
        }
        let d = try CSVReader.read(string: csv, options: options(threads: 4, chunkBytes: 1024))
        let q = column(d, "q")
        XCTAssertNil(q.codes)
        XCTAssertNotEqual(q.offset, 0)
        XCTAssertEqual((0..<2000).map { q.value(at: $0)! }, expected)
    }

    func testCodebookMissingCodesStayExplicit() throws {
        let cb = try Codebook(yaml: "variables:\n  q1:\n    kind: likert\n    scale: [1, 5]\n    missing: [9]\n")
        var d = try CSVReader.read(string: "q1\n1\n9\n5\n\n4\n")
        _ = try cb.apply(to: &d)
        let v = try d.variable("q1")
        // A single-column file: the empty line is a missing value.
        XCTAssertEqual(column(d, "q1").codes, [1, 9, 5, 255, 4])
        XCTAssertEqual(column(d, "q1").value(at: 1), 9, "the code is kept")
        XCTAssertTrue(v.isMissing(1), "and reported missing")
        XCTAssertEqual(try v.numericValues(), [1, nil, 5, nil, 4])
        let s = try DescriptiveStatistics(v)
        XCTAssertEqual(s.n, 3); XCTAssertEqual(s.missing, 2); XCTAssertEqual(s.mean, 10.0 / 3)
    }

    // MARK: - Consumers

    /// DescriptiveStatistics of a code column against exact (fractions.Fraction) values: within 2 ulp.
    func testDescriptivesFromCodesMatchExactReference() throws {
        let fixture = try StatFixtures.json("compact/code_descriptives.json")
        let cases = try XCTUnwrap(fixture["cases"] as? [[String: Any]])
        XCTAssertEqual(cases.count, 7)
        for c in cases {
            let name = c["name"] as! String
            let codes = (c["codes"] as! [Int]).map { UInt8($0) }
            let missing = Set((c["missing_codes"] as! [Int]).map(Double.init))
            let e = c["expected"] as! [String: Any]
            let column = NumericColumn(codes: codes)
            let d = try DescriptiveStatistics(column, missingCodes: missing)
            XCTAssertEqual(d.n, e["n"] as? Int, name)
            XCTAssertEqual(d.missing, e["missing"] as? Int, name)
            // Doubles are stored as strings (repr): Foundation's JSON number parsing is not correctly rounded.
            func number(_ key: String) -> Double? { (e[key] as? String).flatMap(Double.init) }
            func close(_ x: Double, _ key: String) {
                guard let want = number(key) else { return XCTAssertTrue(x.isNaN, "\(name) \(key) = \(x)") }
                XCTAssertLessThanOrEqual(abs(x - want), 2 * want.ulp, "\(name) \(key): \(x) vs \(want)")
            }
            close(d.mean, "mean"); close(d.variance, "variance"); close(d.median, "median")
            if let lo = e["min"] as? Int, let hi = e["max"] as? Int {
                XCTAssertEqual(d.min, Double(lo), name); XCTAssertEqual(d.max, Double(hi), name)
            }
            if let r1 = number("r1") {
                let got = try XCTUnwrap(d.autocorrelationLag1, name)
                XCTAssertLessThanOrEqual(abs(got - r1), 2 * r1.ulp, "\(name) r1: \(got) vs \(r1)")
            } else {
                XCTAssertNil(d.autocorrelationLag1, name)
            }
            // The double path on the same values agrees to rounding.
            let viaDoubles = try DescriptiveStatistics(NumericColumn(column.stored), missingCodes: missing)
            XCTAssertEqual(viaDoubles.n, d.n, name)
            if d.n > 1 {
                XCTAssertEqual(viaDoubles.mean, d.mean, accuracy: 1e-13 * max(1, abs(d.mean)), name)
                XCTAssertEqual(viaDoubles.variance, d.variance, accuracy: 1e-12 * max(1, d.variance), name)
                XCTAssertEqual(viaDoubles.median, d.median, name)
            }
            // Weighted: code and double storage give identical results (same path).
            let w = (0..<codes.count).map { Double($0 % 3 + 1) }
            let a = try DescriptiveStatistics(column, missingCodes: missing, weights: w)
            let b = try DescriptiveStatistics(NumericColumn(column.stored), missingCodes: missing, weights: w)
            XCTAssertEqual(a.n, b.n, name)
            XCTAssertEqual(a.mean.bitPattern, b.mean.bitPattern, name)
            XCTAssertEqual(a.variance.bitPattern, b.variance.bitPattern, name)
        }
    }

    /// NIST StRD PiDigits (digits 0–9) read through the CSV reader is a code column; certified values at LRE ≥ 14.
    func testNISTPiDigitsAsCodeColumn() throws {
        let (_, cols) = try StatFixtures.csvColumns("nist-univariate/PiDigits.csv")
        let cert = try StatFixtures.json("nist-univariate/PiDigits.json")["certified"] as! [String: Any]
        let d = try CSVReader.read(string: "x\n" + cols[0].joined(separator: "\n") + "\n")
        let x = column(d, "x")
        XCTAssertNotNil(x.codes)
        let s = try DescriptiveStatistics(x)
        XCTAssertEqual(s.n, cert["n"] as? Int)
        XCTAssertGreaterThanOrEqual(logRelativeError(s.mean, cert["mean"] as! Double), 14)
        XCTAssertGreaterThanOrEqual(logRelativeError(s.standardDeviation, cert["standard_deviation"] as! Double), 14)
        XCTAssertGreaterThanOrEqual(logRelativeError(s.autocorrelationLag1 ?? .nan, cert["autocorrelation_lag1"] as! Double), 13)
    }

    /// Likert counts, group codes and crosstabs of a dataset with code columns equal those of the same dataset
    /// stored as doubles.
    func testCountsAgreeAcrossStorages() throws {
        var csv = "region,edu,q1,q2\n"
        for i in 0..<5000 {
            let q1 = i % 13 == 0 ? "" : (i % 17 == 0 ? "9" : String((i * 7) % 5 + 1))
            csv += "\(i % 6 + 1),\(i % 23 == 0 ? "" : String(i % 5 + 1)),\(q1),\((i * 3) % 5 + 1)\n"
        }
        let compact = try CSVReader.read(string: csv)
        var doubles = Dataset(source: compact.source)
        for var v in compact.variables {
            if case .numeric(let c) = v.values { XCTAssertNotNil(c.codes, v.name); v.values = .numeric(NumericColumn(c.stored)) }
            doubles.append(v)
        }
        let a = try GroupedLikertCounts.count(compact, items: ["q1", "q2"], groupBy: "region", missingCodes: [9])
        let b = try GroupedLikertCounts.count(doubles, items: ["q1", "q2"], groupBy: "region", missingCodes: [9])
        XCTAssertEqual(a, b)
        XCTAssertEqual(a.groups, ["1", "2", "3", "4", "5", "6"])
        XCTAssertEqual(a.counts[0][1].byCode[3], (0..<5000).filter { $0 % 6 == 0 && ($0 * 3) % 5 + 1 == 3 }.count)
        let g1 = GroupCodes(try compact.variable("edu")), g2 = GroupCodes(try doubles.variable("edu"))
        XCTAssertEqual(g1.labels, g2.labels)
        XCTAssertEqual(g1.codes, g2.codes)
        let c1 = try CrossTabCounts.count(compact, row: "region", column: "edu")
        let c2 = try CrossTabCounts.count(doubles, row: "region", column: "edu")
        XCTAssertEqual(c1.counts, c2.counts)
        XCTAssertEqual(c1.missing, c2.missing)
        XCTAssertEqual(c1.missing, (0..<5000).filter { $0 % 23 == 0 }.count)
        // Independent check of one count: region 1 (rows i % 6 == 0), q2 = 3.
        let q2col = try XCTUnwrap(compact["q2"]?.values).numericColumn
        XCTAssertEqual(q2col?.codeCounts()?[3], (0..<5000).filter { ($0 * 3) % 5 + 1 == 3 }.count)
    }
}

private extension VariableValues {
    var numericColumn: NumericColumn? { if case .numeric(let c) = self { return c } else { return nil } }
}
