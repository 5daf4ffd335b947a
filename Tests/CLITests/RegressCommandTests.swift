import Foundation
import XCTest

/// `regress` against statsmodels 0.15 (`smf.ols`/`smf.wls`, nonrobust and HC1) on datasets/examples/ledere.csv.
final class RegressCommandTests: XCTestCase {
    private func check(_ key: String, _ formula: String, _ extra: [String] = []) throws {
        let json = try runJSON(["regress", "--data", Example.csv, "--no-codebook", formula] + extra)
        let ref = try XCTUnwrap(Example.ref("regress", key) as? [String: Any])
        XCTAssertEqual(json["n"] as? Int, ref["n"] as? Int)
        let coefficients = try XCTUnwrap(json["coefficients"] as? [[String: Any]])
        let refTerms = (ref["terms"] as! [String]).map { $0 == "Intercept" ? "(Intercept)" : $0 }
        XCTAssertEqual(Set(coefficients.compactMap { $0["term"] as? String }), Set(refTerms))
        for c in coefficients {
            let term = c["term"] as! String
            let i = try XCTUnwrap(refTerms.firstIndex(of: term))
            assertClose(double(c["estimate"]), doubles(ref["estimate"])[i], tol: 1e-10, "\(key) \(term) estimate")
            assertClose(double(c["std_error"]), doubles(ref["std_error"])[i], tol: 1e-10, "\(key) \(term) SE")
            assertClose(double(c["t"]), doubles(ref["t"])[i], tol: 1e-10, "\(key) \(term) t")
            assertClose(double(c["p"]), doubles(ref["p"])[i], tol: 1e-9, "\(key) \(term) p")
        }
        assertClose(double(json["r_squared"]), double(ref["r_squared"]), "\(key) R²")
        assertClose(double(json["adj_r_squared"]), double(ref["adj_r_squared"]), "\(key) adj R²")
        assertClose(double(json["residual_se"]), double(ref["residual_se"]), "\(key) residual SE")
        let f = try XCTUnwrap(json["f"] as? [String: Any])
        assertClose(double(f["statistic"]), double(ref["f"]), "\(key) F")
        assertClose(double(f["p"]), double(ref["f_p"]), tol: 1e-9, "\(key) F p")
        XCTAssertEqual(double(f["df1"]), double(ref["df1"]))
        XCTAssertEqual(double(f["df2"]), double(ref["df2"]))
        XCTAssertGreaterThan(double(json["condition_number"]), 1)
        XCTAssertEqual(json["aliased"] as? [String], [])
    }

    func testQuadraticTermNamedAsInR() throws {
        try check("quadratic", "samarbeid ~ likeverd + I(likeverd^2)")
    }

    func testCategoricalWithHC1() throws {
        try check("categorical_hc1", "samarbeid ~ likeverd + C(rolle)", ["--robust", "hc1"])
    }

    func testWeighted() throws {
        try check("weighted", "samarbeid ~ likeverd", ["--weight", "vekt"])
    }

    func testMissingAccountingAndAliasedTerms() throws {
        // likeverd2 = 2·likeverd is aliased: reported by name, estimate null, not an error.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("regress-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let csv = dir.appendingPathComponent("a.csv")
        try "y,x,z\n1,1,2\n2,2,4\n2.5,3,6\n4.5,4,8\n,5,10\n6,NA,12\n".write(to: csv, atomically: true, encoding: .utf8)
        let json = try runJSON(["regress", "--data", csv.path, "y ~ x + z"])
        XCTAssertEqual(json["aliased"] as? [String], ["z"])
        XCTAssertEqual(json["n"] as? Int, 4)
        XCTAssertEqual(json["n_missing"] as? Int, 2)
        let coefficients = try XCTUnwrap(json["coefficients"] as? [[String: Any]])
        XCTAssertTrue(coefficients.last?["estimate"] is NSNull)
        let missing = try XCTUnwrap(json["missing"] as? [[String: Any]])
        XCTAssertEqual(missing.map { $0["variable"] as? String }, ["y", "x"])
    }

    /// A formula value that cannot be evaluated is named by its file line, as CSV errors and missing-value
    /// warnings name theirs: with --where the library's row is a position among the kept rows (it said "row 3"
    /// for file line 6 below), without it a 1-based data row (one less than the line). NaN prints as "NaN", not "-nan".
    func testFormulaValueErrorNamesTheFileLine() throws {
        // Lines 2–7; the only y ≤ 0 in group b is on line 6 (the third b row).
        let csv = try temporaryCSV("y,g\n1.5,a\n2.5,b\n-1,a\n3.5,b\n-2,b\n4,b\n", name: "logs.csv")
        let filtered = try CLI.run(["regress", "--data", csv, "--no-codebook", "y ~ log(y)", "--where", "g == b"])
        XCTAssertEqual(filtered.status, 2)
        XCTAssertTrue(filtered.stderr.contains("log(y) is NaN in line 6 of \(csv): the log of a value ≤ 0"), filtered.stderr)
        let all = try CLI.run(["regress", "--data", csv, "--no-codebook", "y ~ log(y)"])
        XCTAssertEqual(all.status, 2)
        XCTAssertTrue(all.stderr.contains("log(y) is NaN in line 4 of \(csv)"), all.stderr)
        XCTAssertFalse(all.stderr.contains("-nan"), all.stderr)
    }

    func testConstantResponseIsUndefinedNotNegativeF() throws {
        let rows = (1...30).map { i in "5,\(Double(i % 7) * 0.3),\(Double(i * i % 11))" }
        let csv = try temporaryCSV("y,x,z\n" + rows.joined(separator: "\n") + "\n", name: "r_const.csv")
        let json = try runJSON(["regress", "--data", csv, "y ~ x + z"])
        XCTAssertTrue(json["r_squared"] is NSNull)
        let f = try XCTUnwrap(json["f"] as? [String: Any])
        XCTAssertTrue(f["statistic"] is NSNull && f["p"] is NSNull, "\(f)")
        let coefficients = try XCTUnwrap(json["coefficients"] as? [[String: Any]])
        XCTAssertTrue(coefficients.allSatisfy { $0["t"] is NSNull && $0["p"] is NSNull })
        let warnings = try XCTUnwrap(json["warnings"] as? [String])
        XCTAssertTrue(warnings.contains { $0.contains("constant") }, "\(warnings)")
        // An exact linear relation: t is noise over noise, so not reported, with a warning (R: "essentially perfect fit").
        let exact = try temporaryCSV("y,x\n" + (1...10).map { "\(2 * $0 + 1),\($0)" }.joined(separator: "\n") + "\n")
        let e = try runJSON(["regress", "--data", exact, "y ~ x"])
        XCTAssertTrue((e["warnings"] as? [String] ?? []).contains { $0.contains("perfect fit") }, "\(e)")
        XCTAssertTrue((e["coefficients"] as? [[String: Any]] ?? []).allSatisfy { $0["t"] is NSNull })
    }

    func testInterceptOnlyRSquaredIsExactlyZero() throws {
        // smf.ols('samarbeid ~ 1', d).fit().rsquared → 0.0
        let json = try runJSON(["regress", "--data", Example.csv, "--no-codebook", "samarbeid ~ 1"])
        XCTAssertEqual(double(json["r_squared"]), 0)
        XCTAssertEqual(double(json["adj_r_squared"]), 0)
    }

    func testZeroWeightRowsAreCountedOnce() throws {
        let csv = try temporaryCSV("x,w\n1,1\n2,0\n4,\n5,2\n6,NA\n")
        let r = try CLI.run(["regress", "--data", csv, "x ~ 1", "--weight", "w"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("5 read, 2 used, 3 left out"), r.stdout)
        XCTAssertTrue(r.stdout.contains("1 zero weight"), r.stdout)
        XCTAssertFalse(r.stdout.contains("rows with zero weight were left out"), r.stdout)
        XCTAssertFalse(r.stdout.contains("The model used"), r.stdout)
        let json = try runJSON(["describe", "--data", csv, "x", "--weight", "w"])
        let v = try XCTUnwrap((json["variables"] as? [[String: Any]])?.first)
        XCTAssertEqual(v["n"] as? Int, 2)
        XCTAssertEqual(v["missing"] as? Int, 3)
        let reasons = try XCTUnwrap(v["missing_reasons"] as? [[String: Any]])
        XCTAssertEqual(reasons.compactMap { $0["count"] as? Int }.reduce(0, +), 3)
    }

    func testNoInterceptSaysRSquaredIsUncentred() throws {
        let r = try CLI.run(["regress", "--data", Example.csv, "--no-codebook", "samarbeid ~ C(rolle) - 1"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("uncentred"), r.stdout)
    }

    func testTooFewRowsNamesTheCoefficientCount() throws {
        // 2 rows, 3 coefficients: a residual df ≥ 1 needs n > p, 4 rows (the rank, 2 here, would say 3).
        let csv = try temporaryCSV("y,x,z\n1,2,3\n2,5,1\n")
        let r = try CLI.run(["regress", "--data", csv, "y ~ x + z"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("3 coefficients") && r.stderr.contains("at least 4 observations"), r.stderr)
    }

    func testLeverageOneRowIsNamedAndOnlyItsCoefficientBlanked() throws {
        let csv = try temporaryCSV("x,y,g\n1,2.1,a\n2,3.9,b\n3,6.2,a\n4,7.8,b\n5,10.1,a\n6,12.2,b\n7,13.8,c\n8,16.1,a\n",
                                   name: "lev.csv")
        let json = try runJSON(["regress", "--data", csv, "y ~ x + C(g)", "--robust", "hc3"])
        let coefficients = try XCTUnwrap(json["coefficients"] as? [[String: Any]])
        // smf.ols('y ~ x + C(g)', d).fit().get_robustcov_results('HC3').bse[x] → 0.0329626107465783
        assertClose(double(coefficients[1]["std_error"]), 0.0329626107465783, tol: 1e-12, "HC3 SE of x")
        XCTAssertTrue(coefficients[3]["std_error"] is NSNull)
        let warnings = try XCTUnwrap(json["warnings"] as? [String])
        XCTAssertTrue(warnings.contains { $0.contains("leverage 1") && $0.contains("line 8") && $0.contains("C(g)[T.c]") },
                      "\(warnings)")
    }
}
