import XCTest
@testable import SurveyStats

/// The code-based group paths (`FactorCodes`, `GroupedMoments`, `LikertSummary.grouped`, `CrossTab(rows:columns:)`
/// from codes, the `Variable`-based t-tests and ANOVAs): checked against scipy/statsmodels fixtures
/// (Fixtures/tests/ttests.json, anova.json from scripts/reference/tests_reference.py) and against the label paths.
final class GroupedAnalysisTests: XCTestCase {
    /// A deterministic pseudo-random sequence (SplitMix64), so that multi-chunk inputs are reproducible.
    struct Mix { var s: UInt64; mutating func next() -> Double {
        s &+= 0x9E37_79B9_7F4A_7C15
        var z = s
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9; z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Double((z ^ (z >> 31)) >> 11) / Double(1 << 53)
    } }

    func testFactorCodesOfNumericVariableMatchCategoricalLevels() throws {
        var v = Variable(name: "g", values: .numeric(NumericColumn([3, 1, .nan, 9, 2.5, -1, 300, 1, 3, -0.0, 0, 9, 98])),
                         valueLabels: [1: "en", 3: "tre", 9: "ubesvart"], missingCodes: [9])
        v.missingRanges = [97...99]
        let f = FactorCodes(v)
        XCTAssertEqual(f.values, [-1, 0, 1, 2.5, 3, 300])
        XCTAssertEqual(f.names, ["-1", "0", "en", "2.5", "tre", "300"])
        XCTAssertEqual(f.codes, [5, 3, 0, 0, 4, 1, 6, 3, 5, 2, 2, 0, 0])
        let reference = CategoricalLevels(v)
        XCTAssertEqual(f.names, reference.names)
        XCTAssertEqual(f.codes.map { $0 == 0 ? nil : Int($0) - 1 }, reference.codes)
        XCTAssertEqual(f.levelIndex("tre"), 4)
        XCTAssertEqual(f.levelIndex("3"), 4)            // by value as R prints it
        XCTAssertEqual(f.levelSizes, [1, 2, 2, 1, 2, 1])
        // Restricted to used rows: unused rows missing, levels without rows dropped.
        let r = f.restricted(to: [true, true, true, true, true, false, false, true, true, false, false, true, true])
        XCTAssertEqual(r.names, ["en", "2.5", "tre"])
        XCTAssertEqual(r.codes, [3, 1, 0, 0, 2, 0, 0, 1, 3, 0, 0, 0, 0])
    }

    func testFactorCodesOfTextAndLabels() throws {
        var v = Variable(name: "s", values: .text(["b", "Å", nil, "a", "B", "vet ikke", "b"]))
        v.textMissingValues = ["vet ikke"]
        let f = FactorCodes(v)
        XCTAssertEqual(f.names, ["a", "b", "B", "Å"])      // Norwegian order: Å after Z; case second
        XCTAssertEqual(f.codes, [2, 4, 0, 1, 3, 0, 2])
        let l = FactorCodes(labels: ["x", nil, "y", "x"], order: ["y", "z"])
        XCTAssertEqual(l.names, ["y", "z", "x"])          // listed levels first (even absent), then sorted
        XCTAssertEqual(l.codes, [3, 0, 1, 3])
    }

    func testGroupedMomentsAcrossChunksMatchDescriptiveStatistics() throws {
        // 200 000 rows (4 chunks), values near 1e6 with NaN and a declared missing code, 4 groups + missing group.
        var mix = Mix(s: 42)
        let n = 200_000
        var x = [Double](), g = [Double]()
        for i in 0..<n {
            x.append(i % 997 == 0 ? .nan : i % 1_009 == 0 ? -99 : 1e6 + (mix.next() * 10).rounded() / 8)
            g.append(i % 101 == 0 ? .nan : Double(Int(mix.next() * 4) + 1))
        }
        let y = Variable(name: "y", values: .numeric(NumericColumn(x)), missingCodes: [-99])
        let group = Variable(name: "g", values: .numeric(NumericColumn(g)))
        let codes = FactorCodes(group)
        let m = try GroupedMoments(y, groups: codes)
        XCTAssertEqual(codes.names, ["1", "2", "3", "4"])
        for k in 0..<4 {
            let rows = (0..<n).filter { g[$0] == Double(k + 1) && !x[$0].isNaN && x[$0] != -99 }
            let d = DescriptiveStatistics(rows.map { x[$0] })
            XCTAssertEqual(m.counts[k], rows.count)
            let s = m.summary(k)
            assertDigits(s.mean, d.mean, 15, "mean \(k)")
            assertDigits(s.sd, d.standardDeviation, 13, "sd \(k)")
        }
        // A mean difference between groups keeps its digits (common reference).
        let s0 = m.summary(0), s1 = m.summary(1)
        let direct = SampleSummary.meanDifference(s0, s1)
        let rows0 = (0..<n).filter { g[$0] == 1 && !x[$0].isNaN && x[$0] != -99 }.map { x[$0] - 1e6 }
        let rows1 = (0..<n).filter { g[$0] == 2 && !x[$0].isNaN && x[$0] != -99 }.map { x[$0] - 1e6 }
        assertDigits(direct, DescriptiveStatistics(rows0).mean - DescriptiveStatistics(rows1).mean, 12, "difference")
    }

    func testEmptyAndOneElementGroups() throws {
        let codes = try FactorCodes(names: ["a", "b", "c"], codes: [1, 1, 1, 3, 0])
        let m = try GroupedMoments(NumericColumn([1, 2, 4, 7, 100]), groups: codes)
        XCTAssertEqual(m.counts, [3, 0, 1])
        XCTAssertTrue(m.deviations[1].isNaN)
        XCTAssertEqual(m.sumsOfSquares[2], 0)
        XCTAssertTrue(m.summary(2).sd.isNaN)
        XCTAssertEqual(m.summary(0).mean, 7.0 / 3, accuracy: 1e-15)
        XCTAssertEqual(m.summary(2).mean, 7)
        // Welch needs n ≥ 2 per group; a group that does not occur is named.
        let y = Variable(name: "y", values: .numeric(NumericColumn([1, 2, 4, 7, 100])))
        let g = Variable(name: "g", values: .text(["a", "a", "a", "c", nil]))
        XCTAssertThrowsError(try UnequalVarianceTTest(y, by: g))
        XCTAssertThrowsError(try UnequalVarianceTTest(y, by: g, levels: ["a", "b"])) { error in
            XCTAssertTrue("\(error)".contains("'b' does not occur"), "\(error)")
        }
        XCTAssertThrowsError(try FactorCodes(names: ["a"], codes: [2]))
        let anova = try OneWayANOVA(NumericColumn([1, 2, 4, 7, 100]), groups: codes)
        XCTAssertEqual(anova.groupNames, ["a", "c"])
        XCTAssertTrue(anova.notes.contains { $0.contains("'b'") })
    }

    /// The scipy t-test cases as one column with a group variable, numeric (1/2, 9 = declared missing) and text.
    func testVariableTTestsAgainstScipy() throws {
        let cases = dicts(try StatFixtures.json("tests/ttests.json")["cases"])
        XCTAssertEqual(cases.count, 6)
        for c in cases {
            let name = c["name"] as! String
            let x = nums(c["x"]), y = nums(c["y"])
            let values = x + [123456] + y
            let y9 = Variable(name: "v", values: .numeric(NumericColumn(values)))
            let numericGroup = Variable(name: "g", values: .numeric(NumericColumn(x.map { _ in 2 } + [9] + y.map { _ in 1 })),
                                        missingCodes: [9])
            let textGroup = Variable(name: "g", values: .text(x.map { _ in "b" } + [nil] + y.map { _ in "a" }))
            // Levels that are not whole numbers 0…255 take the code-array path instead of the direct one.
            let wideGroup = Variable(name: "g", values: .numeric(NumericColumn(x.map { _ in 1000.5 } + [.nan] + y.map { _ in -3 })))
            let tests: [(any TTest, String)] = [
                (try UnequalVarianceTTest(y9, by: numericGroup, levels: ["2", "1"]), "welch"),
                (try UnequalVarianceTTest(y9, by: wideGroup, levels: ["1000.5", "-3"]), "welch"),
                (try EqualVarianceTTest(y9, by: wideGroup, levels: ["1000.5", "-3"]), "student"),
                (try UnequalVarianceTTest(y9, by: textGroup, levels: ["b", "a"]), "welch"),
                (try EqualVarianceTTest(y9, by: numericGroup, levels: ["2", "1"]), "student"),
                (try EqualVarianceTTest(NumericColumn(values), groups: FactorCodes(textGroup), levels: ["b", "a"]), "student"),
            ]
            for (test, key) in tests {
                let ref = dict(c[key])
                let exact = dict(ref["exact"])
                if !exact.isEmpty, let t = exact["t"] { assertDigits(test.statistic, num(t), 13, "\(name) \(key) exact t") }
                guard name != "case6" else { continue }
                assertDigits(test.statistic, num(ref["t"]), referenceDigits, "\(name) \(key) t")
                assertDigits(test.df, num(ref["df"]), referenceDigits, "\(name) \(key) df")
                assertDigits(test.pValue(tail: .both), num(ref["p"]), referenceDigits, "\(name) \(key) p")
            }
            // Without levels: the two levels in level order (1 = y first, then 2 = x): the sign flips.
            let flipped = try UnequalVarianceTTest(y9, by: numericGroup)
            XCTAssertEqual(flipped.groupNames, ["1", "2"])
            if name != "case6" { assertDigits(-flipped.statistic, num(dict(c["welch"])["t"]), referenceDigits, "\(name) flipped") }
        }
    }

    func testVariableANOVAAgainstScipyAndStatsmodels() throws {
        for c in dicts(try StatFixtures.json("tests/anova.json")["cases"]) {
            let name = c["name"] as! String
            let groups = (c["groups"] as! [Any]).map(nums)
            let values = groups.flatMap { $0 }
            // Levels given as text in reverse order of appearance: level order is the sorted order, group order as names.
            let labels = groups.enumerated().flatMap { k, g in g.map { _ in "g\(k)" } }
            let y = Variable(name: "y", values: .numeric(NumericColumn(values)))
            let g = Variable(name: "g", values: .text(labels))
            let a = try OneWayANOVA(y, by: g)
            let cl = dict(c["classic"]), we = dict(c["welch"])
            assertDigits(a.f, num(cl["f"]), referenceDigits, "\(name) F")
            assertDigits(a.ssWithin, num(cl["ss_within"]), referenceDigits, "\(name) SSW")
            assertDigits(a.pValue, num(cl["p"]), referenceDigits, "\(name) p")
            if let w = try? WelchANOVA(y, by: g) {
                assertDigits(w.f, num(we["f"]), referenceDigits, "\(name) Welch F")
                assertDigits(w.dfWithin, num(we["df2"]), referenceDigits, "\(name) Welch df2")
            } else {
                XCTAssertTrue(num(we["f"]).isNaN || groups.contains { $0.count < 2 }, "\(name): Welch failed")
            }
        }
    }

    func testGroupedLikertIsBitIdenticalToFilteredSummaries() throws {
        var mix = Mix(s: 7)
        let n = 70_000
        var codes = [Double](), groups = [String?](), weights = [Double]()
        for i in 0..<n {
            let u = mix.next()
            codes.append(u < 0.03 ? .nan : u < 0.06 ? 9 : u < 0.07 ? 7 : u < 0.075 ? 2.5 : Double(Int(u * 5) % 5 + 1))
            groups.append(i % 53 == 0 ? nil : ["Nord", "Sør", "Øst"][Int(mix.next() * 3)])
            weights.append(i % 211 == 0 ? .nan : 0.25 + mix.next())
        }
        let item = Variable(name: "q", values: .numeric(NumericColumn(codes)),
                            valueLabels: [1: "lite", 5: "mye", 9: "ubesvart"], missingCodes: [9])
        let group = Variable(name: "region", values: .text(groups))
        let factor = FactorCodes(group)
        for w in [nil, weights] as [[Double]?] {
            for kind in WeightKind.allCases {
                let (all, perGroup) = try LikertSummary.grouped(item, by: factor, scale: [1, 2, 3, 4, 5], weights: w, weightKind: kind)
                let refAll = try LikertSummary(item, scale: [1, 2, 3, 4, 5], weights: w, weightKind: kind)
                assertIdentical(all, refAll, "all")
                XCTAssertEqual(perGroup.count, 3)
                for (k, s) in perGroup.enumerated() {
                    let keep = factor.codes.map { Int($0) == k + 1 }
                    let ref = try LikertSummary(item.filtered(keep), scale: refAll.scale,
                                                weights: w.map { zip($0, keep).compactMap { $1 ? $0 : nil } }, weightKind: kind)
                    assertIdentical(s, ref, "group \(factor.names[k])")
                }
                if w == nil { break }
            }
        }
        // The scale defaults to the labelled codes that are not missing codes.
        let (byLabels, _) = try LikertSummary.grouped(item, by: nil)
        XCTAssertEqual(byLabels.scale, [1, 5])
        XCTAssertThrowsError(try LikertSummary.grouped(item, by: nil, weights: weights.map { _ in -1 }))
    }

    func assertIdentical(_ a: LikertSummary, _ b: LikertSummary, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.scale, b.scale, what, file: file, line: line)
        XCTAssertEqual(a.labels, b.labels, what, file: file, line: line)
        XCTAssertEqual(a.counts, b.counts, what, file: file, line: line)
        XCTAssertEqual(a.n, b.n, what, file: file, line: line)
        XCTAssertEqual(a.systemMissing, b.systemMissing, what, file: file, line: line)
        XCTAssertEqual(a.missingByCode, b.missingByCode, what, file: file, line: line)
        XCTAssertEqual(a.outOfScale, b.outOfScale, what, file: file, line: line)
        XCTAssertEqual(a.allTotal, b.allTotal, what, file: file, line: line)
        XCTAssertEqual(a.mean, b.mean, what, file: file, line: line)
        XCTAssertEqual(a.sd, b.sd, what, file: file, line: line)
        XCTAssertEqual(a.standardError, b.standardError, what, file: file, line: line)
    }

    func testCrossTabFromCodesMatchesLabelPath() throws {
        var mix = Mix(s: 3)
        let n = 150_000
        var r = [Double](), c = [String?](), w = [Double]()
        for i in 0..<n {
            r.append(i % 71 == 0 ? .nan : Double(Int(mix.next() * 6) + 1))
            c.append(i % 89 == 0 ? nil : ["grunnskole", "vgs", "fagskole", "høyskole", "universitet"][Int(mix.next() * 5)])
            w.append(i % 97 == 0 ? .nan : 0.5 + mix.next())
        }
        let rv = Variable(name: "region", values: .numeric(NumericColumn(r)))
        let cv = Variable(name: "edu", values: .text(c))
        let rf = FactorCodes(rv), cf = FactorCodes(cv)
        let rowLabels: [String?] = rf.codes.map { $0 == 0 ? nil : rf.names[Int($0) - 1] }
        let colLabels: [String?] = cf.codes.map { $0 == 0 ? nil : cf.names[Int($0) - 1] }
        for weights in [nil, w] as [[Double]?] {
            let fast = try CrossTab(rows: rf, columns: cf, weights: weights)
            let ref = try CrossTab(rows: rowLabels, columns: colLabels, weights: weights, rowOrder: rf.names, columnOrder: cf.names)
            XCTAssertEqual(fast.rowLabels, ref.rowLabels)
            XCTAssertEqual(fast.columnLabels, ref.columnLabels)
            XCTAssertEqual(fast.counts, ref.counts)             // weighted sums in row order: identical
            XCTAssertEqual(fast.missing, ref.missing)
            XCTAssertEqual(fast.chiSquare, ref.chiSquare)
            XCTAssertEqual(fast.df, ref.df)
        }
        let data = Dataset(source: "t", variables: [rv, cv])
        let viaDataset = try CrossTab(data, row: "region", column: "edu")
        XCTAssertEqual(viaDataset.total, Double((0..<n).filter { !r[$0].isNaN && c[$0] != nil }.count))
        // Two numeric code variables: the one-pass joint table equals the code path (levels, labels, cells,
        // missing), also with a declared missing code, a value label and a level that never meets the other.
        var edu = [Double](), region = r
        for i in 0..<n { edu.append(c[i] == nil ? .nan : i % 1_000 == 0 ? 9 : Double(cf.codes[i])) }
        region[17] = 200; edu[17] = .nan
        var ev = Variable(name: "edu", values: .numeric(NumericColumn(edu)), valueLabels: [1: "grunnskole"], missingCodes: [9])
        ev.missingRanges = [250...255]
        let rv2 = Variable(name: "region", values: .numeric(NumericColumn(region)))
        let fused = try CrossTab(Dataset(source: "t", variables: [rv2, ev]), row: "region", column: "edu")
        let coded = try CrossTab(rows: FactorCodes(rv2), columns: FactorCodes(ev))
        XCTAssertEqual(fused.rowLabels, coded.rowLabels)
        XCTAssertEqual(fused.columnLabels, coded.columnLabels)
        XCTAssertEqual(fused.counts, coded.counts)
        XCTAssertEqual(fused.missing, coded.missing)
        XCTAssertEqual(fused.chiSquare, coded.chiSquare)
        XCTAssertTrue(fused.rowLabels.contains("200") && fused.columnLabels.first == "grunnskole")
        // A fraction sends the pair back to the general path, with the same answer.
        var frac = edu; frac[5] = 2.5
        let fv = Variable(name: "edu", values: .numeric(NumericColumn(frac)))
        let general = try CrossTab(Dataset(source: "t", variables: [rv2, fv]), row: "region", column: "edu")
        XCTAssertEqual(general.columnLabels, try CrossTab(rows: FactorCodes(rv2), columns: FactorCodes(fv)).columnLabels)
        XCTAssertThrowsError(try CrossTab(rows: rf, columns: cf, weights: w.map { _ in -1 }))
    }

    /// Code columns (one byte per row, `NumericColumn(codes:)`) give exactly what the same values as doubles give.
    func testCodeColumnsMatchDoubleColumns() throws {
        var mix = Mix(s: 11)
        let n = 140_000
        var g = [UInt8](), q = [UInt8](), e = [UInt8](), y = [Double]()
        for i in 0..<n {
            g.append(i % 61 == 0 ? 255 : UInt8(Int(mix.next() * 3) + 1))
            q.append(i % 37 == 0 ? 255 : i % 41 == 0 ? 9 : UInt8(Int(mix.next() * 5) + 1))
            e.append(i % 43 == 0 ? 255 : UInt8(Int(mix.next() * 4)))
            y.append(i % 29 == 0 ? .nan : 50 + mix.next() * 10)
        }
        func doubles(_ c: [UInt8]) -> NumericColumn { NumericColumn(c.map { $0 == 255 ? .nan : Double($0) }) }
        func variable(_ name: String, _ c: NumericColumn) -> Variable {
            Variable(name: name, values: .numeric(c), valueLabels: [1: "en"], missingCodes: [9])
        }
        XCTAssertNotNil(NumericColumn(codes: g).codes)
        let gc = variable("g", NumericColumn(codes: g)), gd = variable("g", doubles(g))
        let qc = variable("q", NumericColumn(codes: q)), qd = variable("q", doubles(q))
        let ec = variable("e", NumericColumn(codes: e)), ed = variable("e", doubles(e))
        let yv = Variable(name: "y", values: .numeric(NumericColumn(y)))
        XCTAssertEqual(FactorCodes(gc), FactorCodes(gd))
        XCTAssertEqual(FactorCodes(qc), FactorCodes(qd))
        let tc = try UnequalVarianceTTest(yv, by: gc, levels: ["en", "3"]), td = try UnequalVarianceTTest(yv, by: gd, levels: ["en", "3"])
        XCTAssertEqual(tc.statistic, td.statistic)
        XCTAssertEqual(tc.df, td.df)
        XCTAssertEqual(tc.groupNames, ["en", "3"])
        XCTAssertEqual(try OneWayANOVA(qc, by: gc).f, try OneWayANOVA(qd, by: gd).f)
        let lc = try LikertSummary.grouped(qc, by: FactorCodes(gc), scale: [1, 2, 3, 4, 5])
        let ld = try LikertSummary.grouped(qd, by: FactorCodes(gd), scale: [1, 2, 3, 4, 5])
        assertIdentical(lc.all, ld.all, "all")
        for (a, b) in zip(lc.groups, ld.groups) { assertIdentical(a, b, "group") }
        let xc = try CrossTab(Dataset(source: "c", variables: [gc, ec]), row: "g", column: "e")
        let xd = try CrossTab(Dataset(source: "d", variables: [gd, ed]), row: "g", column: "e")
        XCTAssertEqual(xc.counts, xd.counts)
        XCTAssertEqual(xc.rowLabels, xd.rowLabels)
        XCTAssertEqual(xc.columnLabels, xd.columnLabels)
        XCTAssertEqual(xc.missing, xd.missing)
        // Mixed: a code column against a Double column takes the general path, same answer.
        let xm = try CrossTab(Dataset(source: "m", variables: [gc, ed]), row: "g", column: "e")
        XCTAssertEqual(xm.counts, xd.counts)
    }
}
