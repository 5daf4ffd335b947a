import XCTest
@testable import SurveyStats

/// statcheck-style helpers (p from F/t/z/χ² and df, R² from F) and the exact Hedges correction, against
/// scipy.stats and mpmath (Fixtures/tests/summary_stats.json).
final class StatisticSummaryReferenceTests: XCTestCase {
    func testStatisticToPValue() throws {
        AgreementLog.report("(previous)"); defer { AgreementLog.report("statistic->p helpers") }
        let doc = try StatFixtures.json("tests/summary_stats.json")
        for c in dicts(doc["f"]) {
            let f = try FTestSummary(f: num(c["f"]), df1: num(c["df1"]), df2: num(c["df2"]))
            assertDigits(f.pValue, num(c["p"]), referenceDigits, "F p \(c["f"]!)")
            assertDigits(f.rSquared, num(c["r_squared"]), 14, "R² from F \(c["f"]!)")
            assertDigits(FTestSummary.fStatistic(rSquared: f.rSquared, df1: f.df1, df2: f.df2), f.f, 13, "F from R²")
        }
        for c in dicts(doc["t"]) {
            let t = try TTestSummary(t: num(c["t"]), df: num(c["df"]))
            assertDigits(t.pValue, num(c["p"]), referenceDigits, "t p \(c["t"]!)")
            assertDigits(t.pValue(tail: .right), num(c["p_right"]), referenceDigits, "t p right \(c["t"]!)")
            assertDigits(t.pValue(tail: .left), 1 - num(c["p_right"]), referenceDigits, "t p left \(c["t"]!)")
        }
        for c in dicts(doc["z"]) {
            assertDigits(ZTestSummary(z: num(c["z"])).pValue, num(c["p"]), referenceDigits, "z p \(c["z"]!)")
        }
        for c in dicts(doc["chi2"]) {
            let x = try ChiSquaredTestSummary(chiSquare: num(c["chi2"]), df: num(c["df"]))
            assertDigits(x.pValue, num(c["p"]), referenceDigits, "χ² p \(c["chi2"]!)")
        }
        for c in dicts(doc["hedges_j"]) {
            assertDigits(hedgesCorrection(df: num(c["df"])), num(c["j"]), 13, "Hedges J(\(c["df"]!))")
        }
        XCTAssertThrowsError(try FTestSummary(f: 2, df1: 0, df2: 10))
        XCTAssertThrowsError(try CorrelationTestSummary(r: 1.5, n: 10))
        let r = try CorrelationTestSummary(r: 0.5, n: 30)
        assertDigits(r.statistic, 0.5 * (28.0 / 0.75).squareRoot(), 14, "t from r")
    }
}
