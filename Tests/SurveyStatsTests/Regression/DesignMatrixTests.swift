import XCTest
import Matrix
@testable import SurveyStats

final class DesignMatrixTests: XCTestCase {
    /// 8 respondents; rolle is text, enhet numeric with value labels, one missing x and one missing rolle.
    func sample() -> Dataset {
        Dataset(source: "sample.csv", variables: [
            Variable(name: "samarbeid", values: .numeric(NumericColumn([3, 4, 2, 5, 4, 3, 1, 4]))),
            Variable(name: "likeverd", values: .numeric(NumericColumn([2, 4, 1, 5, nil, 3, 1, 4]))),
            Variable(name: "rolle", values: .text(["rådmann", "leder", "Ansatt", "leder", "rådmann", nil, "ansatt", "Ansatt"])),
            Variable(name: "enhet", values: .numeric(NumericColumn([2, 1, 2, 9, 1, 2, 1, 2])),
                     valueLabels: [1: "Kommune", 2: "Stat", 9: "Ubesvart"], missingCodes: [9]),
        ])
    }

    func testTermNamesLikePatsyAndListwiseDeletion() throws {
        let d = try DesignMatrix.build(formula: "samarbeid ~ likeverd + rolle + C(enhet) + I(likeverd^2)", dataset: sample())
        // Levels in Norwegian order (small letter before capital on a tie): ansatt < Ansatt < leder < rådmann;
        // reference = first.
        XCTAssertEqual(d.columnNames, ["(Intercept)", "likeverd", "rolle[T.Ansatt]", "rolle[T.leder]", "rolle[T.rådmann]",
                                       "C(enhet)[T.Stat]", "I(likeverd^2)"])
        // Rows 5 (likeverd NA), 6 (rolle NA) and 4 (enhet = declared missing code 9) dropped.
        XCTAssertEqual(d.rowsUsed, [0, 1, 2, 6, 7])
        XCTAssertEqual(d.rowsDropped, 3)
        XCTAssertEqual(d.missingByVariable.map(\.missing), [0, 1, 1, 1])
        XCTAssertEqual(d.matrix.column(2), [0, 0, 1, 0, 1])
        XCTAssertEqual(d.matrix.column(4), [1, 0, 0, 0, 0])
        XCTAssertEqual(d.matrix.column(5), [1, 0, 1, 0, 1])
        XCTAssertEqual(d.matrix.column(6), [4, 16, 1, 1, 16])
        XCTAssertEqual(d.response, [3, 4, 2, 1, 4])
    }

    func testReferenceLevelByNameLabelOrCode() throws {
        let d1 = try DesignMatrix.build(formula: "samarbeid ~ C(rolle, ref=rådmann)", dataset: sample())
        XCTAssertEqual(d1.columnNames, ["(Intercept)", "C(rolle, ref=rådmann)[T.ansatt]", "C(rolle, ref=rådmann)[T.Ansatt]",
                                        "C(rolle, ref=rådmann)[T.leder]"])
        let d2 = try DesignMatrix.build(formula: "samarbeid ~ C(enhet, ref='Stat')", dataset: sample())
        XCTAssertEqual(d2.columnNames, ["(Intercept)", "C(enhet, ref='Stat')[T.Kommune]"])
        let d3 = try DesignMatrix.build(formula: "samarbeid ~ C(enhet, ref=2)", dataset: sample())
        XCTAssertEqual(d3.columnNames, ["(Intercept)", "C(enhet, ref=2)[T.Kommune]"])
        XCTAssertThrowsError(try DesignMatrix.build(formula: "samarbeid ~ C(rolle, ref=sjef)", dataset: sample())) { e in
            XCTAssertTrue("\(e)".contains("sjef"), "\(e)")
        }
    }

    /// Two codes with the same value label give two coefficients that say which code they are, as every table
    /// names such levels; the reference is picked by name or code, and the shared label alone is ambiguous.
    func testSharedValueLabelsGiveDistinctCoefficientNames() throws {
        var ds = try CSVReader.read(string: "y,g\n1,1\n2,2\n4,3\n3,1\n5,3\n2,2\n")
        var g = ds["g"]!
        g.valueLabels = [1: "Nei", 2: "Ja", 3: "Ja"]
        ds.replace(g)
        XCTAssertEqual(CategoricalLevels(g).names, ["Nei", "Ja (2)", "Ja (3)"])
        let d = try DesignMatrix.build(formula: "y ~ C(g)", dataset: ds)
        XCTAssertEqual(d.columnNames, ["(Intercept)", "C(g)[T.Ja (2)]", "C(g)[T.Ja (3)]"])
        let fit = try LinearModel(design: d)
        XCTAssertEqual(fit.coefficients.map(\.term), d.columnNames)
        XCTAssertEqual(fit.coefficients[2].estimate, 4.5 - 2, accuracy: 1e-12)   // code 3 against «Nei»
        for ref in ["'Ja (3)'", "3"] {
            let r = try DesignMatrix.build(formula: "y ~ C(g, ref=\(ref))", dataset: ds)
            XCTAssertEqual(r.columnNames.dropFirst().map { String($0.drop { $0 != "[" }) }, ["[T.Nei]", "[T.Ja (2)]"], ref)
        }
        XCTAssertEqual(try DesignMatrix.build(formula: "y ~ C(g, ref=Nei)", dataset: ds).columnNames.count, 3)
        XCTAssertThrowsError(try DesignMatrix.build(formula: "y ~ C(g, ref=Ja)", dataset: ds)) { e in
            XCTAssertTrue("\(e)".contains("C(g, ref=Ja): reference level: 'Ja' is the value label of several levels of 'g' (Ja (2), Ja (3)); give the code, e.g. 2"), "\(e)")
        }
        // A label that reads like another code's number.
        g.valueLabels = [1: "2"]
        ds.replace(g)
        XCTAssertEqual(try DesignMatrix.build(formula: "y ~ C(g)", dataset: ds).columnNames,
                       ["(Intercept)", "C(g)[T.2]", "C(g)[T.3]"])
        XCTAssertEqual(try DesignMatrix.build(formula: "y ~ C(g, ref=2)", dataset: ds).columnNames,
                       ["(Intercept)", "C(g, ref=2)[T.2 (1)]", "C(g, ref=2)[T.3]"])
    }

    /// Levels named by fractional numbers follow the decimal separator asked for (a Norwegian table: «2,5»);
    /// labels, variable names and expressions do not change.
    func testColumnNamesWithADecimalComma() throws {
        var ds = try CSVReader.read(string: "y,x,g,h\n1,0.5,1,a\n2,1.5,2.5,b\n4,2,3,a\n3,1,2.5,b\n5,3,1,a\n")
        var g = ds["g"]!
        g.valueLabels = [3: "Tre 3.0"]
        ds.replace(g)
        let d = try DesignMatrix.build(formula: "y ~ I(x*1.5) + C(g):h + C(g)", dataset: ds)
        XCTAssertEqual(d.columnNames(decimalSeparator: "."), d.columnNames)
        XCTAssertEqual(d.columnNames, ["(Intercept)", "I(x*1.5)", "C(g)[T.2.5]", "C(g)[T.Tre 3.0]",
                                       "C(g)[1]:h[T.b]", "C(g)[2.5]:h[T.b]", "C(g)[Tre 3.0]:h[T.b]"])
        XCTAssertEqual(d.columnNames(decimalSeparator: ","), ["(Intercept)", "I(x*1.5)", "C(g)[T.2,5]", "C(g)[T.Tre 3.0]",
                                                              "C(g)[1]:h[T.b]", "C(g)[2,5]:h[T.b]", "C(g)[Tre 3.0]:h[T.b]"])
        let plain = try DesignMatrix(matrix: d.matrix, response: d.response, columnNames: d.columnNames)
        XCTAssertEqual(plain.columnNames(decimalSeparator: ","), d.columnNames)
    }

    func testLevelsOnlyInDroppedRowsAreLeftOut() throws {
        // enhet = 9 (Ubesvart) is a declared missing code; "Kommune" rows all lack likeverd here.
        var ds = sample()
        ds.replace(Variable(name: "likeverd", values: .numeric(NumericColumn([2, nil, 1, 5, nil, 3, nil, 4]))))
        let d = try DesignMatrix.build(formula: "samarbeid ~ likeverd + C(enhet)", dataset: ds)
        XCTAssertEqual(d.columnNames, ["(Intercept)", "likeverd"])  // only "Stat" is left: no dummy at all
        XCTAssertThrowsError(try DesignMatrix.build(formula: "samarbeid ~ likeverd + C(enhet, ref=Kommune)", dataset: ds)) { e in
            XCTAssertTrue("\(e)".contains("no observations"), "\(e)")
        }
    }

    func testInteractionColumns() throws {
        let d = try DesignMatrix.build(formula: "samarbeid ~ likeverd*C(enhet)", dataset: sample())
        XCTAssertEqual(d.columnNames, ["(Intercept)", "likeverd", "C(enhet)[T.Stat]", "likeverd:C(enhet)[T.Stat]"])
        XCTAssertEqual(d.matrix.column(3), [2, 0, 1, 3, 0, 4])  // rolle is not used, so row 6 stays
    }

    func testFullDummyCodingWhenTheMarginIsAbsentLikeR() throws {
        // No intercept: every level of the first categorical factor (cell means), as R and patsy do.
        let d = try DesignMatrix.build(formula: "samarbeid ~ C(enhet) - 1", dataset: sample())
        XCTAssertEqual(d.columnNames, ["C(enhet)[Kommune]", "C(enhet)[Stat]"])
        XCTAssertEqual(d.rowsUsed, [0, 1, 2, 4, 5, 6, 7])  // row 3 holds the missing code 9
        XCTAssertEqual(d.matrix.column(0), [0, 1, 0, 1, 0, 1, 0])
        XCTAssertEqual(d.matrix.column(1), [1, 0, 1, 0, 1, 0, 1])
        let fit = try LinearModel(design: d)
        XCTAssertTrue(fit.aliased.isEmpty)
        // Cell means: the estimates are the group means of the response.
        let y = d.response, k = d.matrix.column(0)
        let meanK = zip(y, k).filter { $0.1 == 1 }.map(\.0).reduce(0, +) / Double(k.filter { $0 == 1 }.count)
        XCTAssertEqual(fit.coefficients[0].estimate, meanK, accuracy: 1e-14)
        // x:g without the x main effect: g fully coded inside the interaction.
        let d2 = try DesignMatrix.build(formula: "samarbeid ~ likeverd:C(enhet)", dataset: sample())
        XCTAssertEqual(d2.columnNames, ["(Intercept)", "likeverd:C(enhet)[Kommune]", "likeverd:C(enhet)[Stat]"])
    }

    func testUnknownVariableAndTextInArithmetic() {
        XCTAssertThrowsError(try DesignMatrix.build(formula: "samarbeid ~ likevrd", dataset: sample())) { e in
            guard case DataError.unknownVariable(let name, let source, _) = e else { return XCTFail("\(e)") }
            XCTAssertEqual(name, "likevrd"); XCTAssertEqual(source, "sample.csv")
            XCTAssertTrue("\(e)".contains("likeverd"), "suggests the close name: \(e)")
        }
        XCTAssertThrowsError(try DesignMatrix.build(formula: "samarbeid ~ I(rolle^2)", dataset: sample()))
        XCTAssertThrowsError(try DesignMatrix.build(formula: "rolle ~ likeverd", dataset: sample()))
        XCTAssertThrowsError(try DesignMatrix.build(formula: "samarbeid ~ log(I(likeverd - 1))", dataset: sample())) { e in
            XCTAssertTrue("\(e)".contains("row"), "names the row: \(e)")
        }
    }

    func testTextLevelsInNorwegianOrderAndReferenceIsTheFirst() throws {
        let data = Dataset(source: "test", variables: [
            Variable(name: "y", values: .numeric(NumericColumn([1, 2, 3, 4, 5, 6]))),
            Variable(name: "by", values: .text(["Ålesund", "Bergen", "Ørsta", "Ærlig", "ålesund", "Bergen"])),
        ])
        XCTAssertEqual(CategoricalLevels(data["by"]!).names, ["Bergen", "Ærlig", "Ørsta", "ålesund", "Ålesund"])
        let d = try DesignMatrix.build(formula: "y ~ by", dataset: data)
        // Bergen (not Ålesund, as an English collation would have it) is the reference level.
        XCTAssertEqual(d.columnNames, ["(Intercept)", "by[T.Ærlig]", "by[T.Ørsta]", "by[T.ålesund]", "by[T.Ålesund]"])
        XCTAssertEqual(d.matrix.column(4), [1, 0, 0, 0, 0, 0])
    }

    func testExtendedPrecisionRowsMatchDoubleMatrix() throws {
        let d = try DesignMatrix.build(formula: "samarbeid ~ likeverd + I(likeverd^3 / 7)", dataset: sample())
        var row = [DoubleDouble](repeating: .zero, count: d.columnCount)
        for i in 0..<d.rowCount {
            d.fillRow(i, into: &row)
            for j in 0..<d.columnCount { XCTAssertEqual(row[j].doubleValue, d.matrix[i, j], accuracy: 1e-15 * abs(d.matrix[i, j])) }
        }
    }

    /// A design of several 2¹⁶-row chunks (its columns are written by both cores, chunk by chunk): every cell equals
    /// the row-wise evaluation, and a non-finite derived value is reported at its first row over all columns.
    func testMultiChunkDesignMatchesRowWiseEvaluationAndNamesTheFirstBadRow() throws {
        let n = 200_003
        var state: UInt64 = 7
        func unif() -> Double { state = state &* 6364136223846793005 &+ 1442695040888963407; return Double(state >> 11) / 9007199254740992.0 }
        let x = (0..<n).map { _ in unif() * 10 }
        let z = (0..<n).map { _ in 0.5 + unif() }
        let g = (0..<n).map { i -> String? in ["a", "b", "c"][i % 3] }
        let y = (0..<n).map { i in 1 + 0.5 * x[i] + unif() }
        func dataset(_ z: [Double], _ w: [Double]) -> Dataset {
            Dataset(source: "chunks.csv", variables: [
                Variable(name: "y", values: .numeric(NumericColumn(y))),
                Variable(name: "x", values: .numeric(NumericColumn(x))),
                Variable(name: "z", values: .numeric(NumericColumn(z))),
                Variable(name: "w", values: .numeric(NumericColumn(w))),
                Variable(name: "g", values: .text(g)),
            ])
        }
        let formula = "y ~ x + C(g) + x:C(g) + I(log(z) * x)"
        let d = try DesignMatrix.build(formula: formula, dataset: dataset(z, z))
        XCTAssertEqual(d.rowCount, n)
        var row = [DoubleDouble](repeating: .zero, count: d.columnCount)
        for i in stride(from: 0, to: n, by: 997) + [n - 1, 65_535, 65_536] {
            d.fillRow(i, into: &row)
            for j in 0..<d.columnCount {
                XCTAssertEqual(row[j].doubleValue, d.matrix[i, j], accuracy: 1e-15 * abs(d.matrix[i, j]), "row \(i) column \(j)")
            }
        }
        // log(0) = −∞ at row 150 001 (an earlier column), sqrt(−1) = NaN at row 140 001 (a later column): the
        // earlier row is named, whichever column it is in and whichever core wrote it.
        var zBad = z, wBad = z
        zBad[150_000] = 0
        wBad[140_000] = -1
        XCTAssertThrowsError(try DesignMatrix.build(formula: "y ~ I(log(z)) + I(sqrt(w))", dataset: dataset(zBad, wBad))) { e in
            XCTAssertTrue("\(e)".contains("I(sqrt(w)) is NaN in row 140001"), "\(e)")
        }
        wBad[140_000] = 1
        XCTAssertThrowsError(try DesignMatrix.build(formula: "y ~ I(log(z)) + I(sqrt(w))", dataset: dataset(zBad, wBad))) { e in
            XCTAssertTrue("\(e)".contains("I(log(z)) is -inf in row 150001"), "\(e)")
        }
    }

    /// A column that is a plain variable is the dataset's own array (no copy; at 1e7 rows the copy was most of a
    /// formula fit's time); a variable with a decimal offset, the intercept and derived columns are new arrays
    /// with the right values; an infinite value in a plain variable is reported like one in a derived column,
    /// at the first bad row over all columns.
    func testPlainVariablesAreSharedAndInfiniteValuesAreNamed() throws {
        let n = 150_001
        let x = (0..<n).map { Double($0 % 97) / 8 }
        let z = (0..<n).map { Double($0 % 13) }
        let y = (0..<n).map { 1 + 0.5 * x[$0] - z[$0] / 3 + sin(Double($0)) }
        func dataset(_ x: [Double], _ z: [Double]) -> Dataset {
            Dataset(source: "shared.csv", variables: [
                Variable(name: "y", values: .numeric(NumericColumn(y))),
                Variable(name: "x", values: .numeric(NumericColumn(x))),
                Variable(name: "z", values: .numeric(NumericColumn(z, offset: 1000))),
            ])
        }
        let data = dataset(x, z)
        let d = try DesignMatrix.build(formula: "y ~ x + z + I(x^2)", dataset: data)
        XCTAssertEqual(d.columnNames, ["(Intercept)", "x", "z", "I(x^2)"])
        func base(_ a: [Double]) -> UnsafeRawPointer? { a.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) } }
        guard case .numeric(let xc) = try data.variable("x").values else { return XCTFail("x is numeric") }
        XCTAssertEqual(base(d.column(1)), base(xc.stored), "x is the dataset's array")
        XCTAssertEqual(d.column(0), [Double](repeating: 1, count: n))
        XCTAssertEqual(d.column(2), z.map { 1000 + $0 })
        XCTAssertEqual(d.column(3), x.map { $0 * $0 })
        XCTAssertEqual(d.value(row: 12_345, column: 1), x[12_345])
        XCTAssertEqual(d.matrix[12_345, 2], 1000 + z[12_345])
        // The same model from the copied matrix: bit-identical estimates and HC3 standard errors.
        let fromFormula = try LinearModel(design: d, robust: .hc3, precision: .double)
        let fromMatrix = try LinearModel(design: d.matrix, response: d.response, termNames: d.columnNames, robust: .hc3,
                                         precision: .double)
        XCTAssertEqual(fromFormula.estimates, fromMatrix.estimates)
        XCTAssertEqual(fromFormula.standardErrors, fromMatrix.standardErrors)
        // +∞ in the plain x at row 120 001 and −∞ (log 0) in a derived column at row 110 001: the earlier is named;
        // without the derived one, x's is.
        var xBad = x, zBad = z
        xBad[120_000] = .infinity
        zBad[110_000] = -1000
        XCTAssertThrowsError(try DesignMatrix.build(formula: "y ~ x + I(log(z))", dataset: dataset(xBad, zBad))) { e in
            XCTAssertTrue("\(e)".contains("I(log(z)) is -inf in row 110001 of shared.csv"), "\(e)")
        }
        XCTAssertThrowsError(try DesignMatrix.build(formula: "y ~ z + x", dataset: dataset(xBad, zBad))) { e in
            XCTAssertTrue("\(e)".contains("x is inf in row 120001 of shared.csv"), "\(e)")
        }
        // ±∞ in a bare response is reported too (the deletion pass noted it, so the response is read again).
        var yBad = y
        yBad[130_000] = -.infinity
        let badResponse = Dataset(source: "shared.csv", variables: [
            Variable(name: "y", values: .numeric(NumericColumn(yBad))),
            Variable(name: "x", values: .numeric(NumericColumn(x))),
        ])
        XCTAssertThrowsError(try DesignMatrix.build(formula: "y ~ x", dataset: badResponse)) { e in
            XCTAssertTrue("\(e)".contains("response y is -inf in row 130001"), "\(e)")
        }
        // A design wider than `DoubleColumns.maximumSeparateColumns` (a 70-level factor) is one matrix written in
        // place: same values, same first-bad-row report.
        let levels = (0..<n).map { i -> String? in "k\(i % 70)" }
        let wide = Dataset(source: "shared.csv", variables: [
            Variable(name: "y", values: .numeric(NumericColumn(y))),
            Variable(name: "x", values: .numeric(NumericColumn(xBad))),
            Variable(name: "g", values: .text(levels)),
        ])
        XCTAssertThrowsError(try DesignMatrix.build(formula: "y ~ C(g) + x", dataset: wide)) { e in
            XCTAssertTrue("\(e)".contains("x is inf in row 120001 of shared.csv"), "\(e)")
        }
        var withGroups = data
        withGroups.append(Variable(name: "g", values: .text(levels)))
        let dw = try DesignMatrix.build(formula: "y ~ C(g) + x", dataset: withGroups)
        XCTAssertEqual(dw.columnCount, 71)
        XCTAssertEqual(dw.columnNames[1], "C(g)[T.k1]")
        XCTAssertEqual(dw.column(1), (0..<n).map { $0 % 70 == 1 ? 1 : 0 })
        XCTAssertEqual(dw.column(70), x)
        // Missing values (NaN) in several row chunks, at chunk edges and in two variables at once: listwise
        // deletion drops each such row once and counts it per variable.
        var xMissing = x, yMissing = y
        for i in [0, 65_535, 65_536, 131_072, n - 1] { xMissing[i] = .nan }
        for i in [65_536, 100_000] { yMissing[i] = .nan }
        let withMissing = Dataset(source: "shared.csv", variables: [
            Variable(name: "y", values: .numeric(NumericColumn(yMissing))),
            Variable(name: "x", values: .numeric(NumericColumn(xMissing))),
        ])
        let dm = try DesignMatrix.build(formula: "y ~ x", dataset: withMissing)
        XCTAssertEqual(dm.rowsDropped, 6)
        XCTAssertEqual(dm.missingByVariable.map(\.variable), ["y", "x"])
        XCTAssertEqual(dm.missingByVariable.map(\.missing), [2, 5])
        let dropped = Set([0, 65_535, 65_536, 100_000, 131_072, n - 1])
        XCTAssertEqual(dm.rowsUsed, (0..<n).filter { !dropped.contains($0) })
        XCTAssertEqual(dm.column(1), dm.rowsUsed.map { x[$0] })
    }
}
