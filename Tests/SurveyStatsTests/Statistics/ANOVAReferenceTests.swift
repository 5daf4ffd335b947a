import XCTest
@testable import SurveyStats

/// One-way ANOVA against NIST StRD (certified F and R²) and against scipy `f_oneway` / statsmodels
/// `anova_oneway` (classic and Welch) on Fixtures/tests/anova.json.
final class ANOVAReferenceTests: XCTestCase {
    static let nistSets = ["SiRstv", "SmLs01", "SmLs02", "SmLs03", "AtmWtAg", "SmLs04", "SmLs05", "SmLs06",
                           "SmLs07", "SmLs08", "SmLs09"]

    func testNISTCertifiedFAndRSquared() throws {
        for name in Self.nistSets {
            let (_, cols) = try StatFixtures.csvColumns("nist-anova/\(name).csv")
            let cert = try StatFixtures.json("nist-anova/\(name).json")["certified"] as! [String: Any]
            let between = dict(cert["between"]), within = dict(cert["within"])
            let y = try parseDecimalColumn(cols[1])
            let a = try OneWayANOVA(y, groups: cols[0].map { String($0) })
            let fLRE = logRelativeError(a.f, num(between["f"]))
            let r2LRE = logRelativeError(a.rSquared, num(cert["r_squared"]))
            let ssbLRE = logRelativeError(a.ssBetween, num(between["ss"]))
            let sswLRE = logRelativeError(a.ssWithin, num(within["ss"]))
            let rsdLRE = logRelativeError(a.residualSD, num(cert["residual_standard_deviation"]))
            print(String(format: "NIST ANOVA %-8@ LRE F %4.1f  R² %4.1f  SSB %4.1f  SSW %4.1f  resid SD %4.1f  (offset %.17g)",
                         name as NSString, fLRE, r2LRE, ssbLRE, sswLRE, rsdLRE, y.offset))
            XCTAssertEqual(a.dfBetween, num(between["df"]), name)
            XCTAssertEqual(a.dfWithin, num(within["df"]), name)
            XCTAssertGreaterThanOrEqual(fLRE, 9, "\(name) F")
            XCTAssertGreaterThanOrEqual(r2LRE, 9, "\(name) R²")
            XCTAssertGreaterThanOrEqual(ssbLRE, 9, "\(name) SS between")
            XCTAssertGreaterThanOrEqual(sswLRE, 9, "\(name) SS within")
        }
    }

    func testAgainstScipyAndStatsmodels() throws {
        AgreementLog.report("(previous)"); defer { AgreementLog.report("ANOVA classic+Welch") }
        let cases = dicts(try StatFixtures.json("tests/anova.json")["cases"])
        XCTAssertEqual(cases.count, 5)
        for c in cases {
            let name = c["name"] as! String
            let groups = (c["groups"] as! [Any]).map(nums)
            let summaries = dicts(c["summaries"]).map { SampleSummary(n: num($0["n"]), mean: num($0["mean"]), sd: num($0["sd"])) }
            let cl = dict(c["classic"]), we = dict(c["welch"])
            for (a, form) in [(try OneWayANOVA(groups: groups), "data"), (try OneWayANOVA(summaries: summaries), "summaries")] {
                assertDigits(a.f, num(cl["f"]), referenceDigits, "\(name) F (\(form))")
                assertDigits(a.pValue, num(cl["p"]), referenceDigits, "\(name) p (\(form))")
                XCTAssertEqual(a.dfBetween, num(cl["df1"])); XCTAssertEqual(a.dfWithin, num(cl["df2"]))
                assertDigits(a.ssBetween, num(cl["ss_between"]), referenceDigits, "\(name) SSB (\(form))")
                assertDigits(a.ssWithin, num(cl["ss_within"]), referenceDigits, "\(name) SSW (\(form))")
                assertDigits(a.etaSquared, num(cl["eta_squared"]), referenceDigits, "\(name) η² (\(form))")
            }
            for (w, form) in [(try WelchANOVA(groups: groups), "data"), (try WelchANOVA(summaries: summaries), "summaries")] {
                assertDigits(w.f, num(we["f"]), referenceDigits, "\(name) Welch F (\(form))")
                assertDigits(w.dfBetween, num(we["df1"]), 15, "\(name) Welch df1")
                assertDigits(w.dfWithin, num(we["df2"]), referenceDigits, "\(name) Welch df2 (\(form))")
                assertDigits(w.pValue, num(we["p"]), referenceDigits, "\(name) Welch p (\(form))")
            }
        }
    }

    func testEmptyGroupsAndZeroVariance() throws {
        let a = try OneWayANOVA(groups: [[1, 2, 3], [], [4, 5, 6]], names: ["a", "b", "c"])
        XCTAssertEqual(a.groups.count, 2)
        XCTAssertEqual(a.groupNames, ["a", "c"])
        XCTAssertTrue(a.notes.contains { $0.contains("'b'") })
        let z = try OneWayANOVA(groups: [[1, 1], [2, 2]])
        XCTAssertEqual(z.f, .infinity)
        XCTAssertEqual(z.pValue, 0)
        let nan = try OneWayANOVA(groups: [[1, 1], [1, 1]])
        XCTAssertTrue(nan.f.isNaN)
        XCTAssertFalse(nan.notes.isEmpty)
        XCTAssertThrowsError(try OneWayANOVA(groups: [[1, 2, 3]]))
        XCTAssertThrowsError(try OneWayANOVA(groups: [[1], [2]]))
        // One constant group: Welch's limit, the Welch t-test's t² = ((1 − 2.5)/√(0.5/2))² = 9 on (1, 1) df.
        let limit = try WelchANOVA(groups: [[1, 1], [2, 3]])
        XCTAssertEqual(limit.f, 9, accuracy: 1e-13)
        XCTAssertEqual(limit.dfWithin, 1, accuracy: 1e-13)
        XCTAssertThrowsError(try WelchANOVA(groups: [[1, 1], [2, 2]]))   // two constant groups: undefined
        // Column + labels form: missing values and labels are skipped, order honoured.
        let col = NumericColumn([1, 2, .nan, 4, 5, 6, 7])
        let b = try OneWayANOVA(col, groups: ["x", "x", "x", nil, "y", "y", "y"], order: ["y", "x"])
        XCTAssertEqual(b.groupNames, ["y", "x"])
        XCTAssertEqual(b.n, 5)
        XCTAssertTrue(b.description.contains("One-way ANOVA"))
    }
}
