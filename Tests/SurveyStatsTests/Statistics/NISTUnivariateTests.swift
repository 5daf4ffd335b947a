import Foundation
import XCTest
@testable import SurveyStats

/// NIST StRD univariate summary statistics: mean LRE ≥ 14 and SD LRE ≥ 9 (the project's acceptance thresholds)
/// on all nine certified data sets, with the data read through `parseDecimalColumn` as the CSV reader does.
final class NISTUnivariateTests: XCTestCase {
    static let sets = ["PiDigits", "Lottery", "Lew", "Mavro", "Michelso", "NumAcc1", "NumAcc2", "NumAcc3", "NumAcc4"]

    func testCertifiedMeanSDAndAutocorrelation() throws {
        for name in Self.sets {
            let (_, cols) = try StatFixtures.csvColumns("nist-univariate/\(name).csv")
            let cert = try StatFixtures.json("nist-univariate/\(name).json")["certified"] as! [String: Any]
            let column = try parseDecimalColumn(cols[0])
            let d = try DescriptiveStatistics(column)
            XCTAssertEqual(d.n, cert["n"] as? Int, name)
            XCTAssertEqual(d.missing, 0)
            let mean = logRelativeError(d.mean, cert["mean"] as! Double)
            let sd = logRelativeError(d.standardDeviation, cert["standard_deviation"] as! Double)
            let r1 = logRelativeError(d.autocorrelationLag1 ?? .nan, cert["autocorrelation_lag1"] as! Double)
            print(String(format: "NIST univariate %-9@ LRE mean %4.1f  sd %4.1f  r(1) %4.1f  (offset %.17g)",
                         name as NSString, mean, sd, r1, column.offset))
            XCTAssertGreaterThanOrEqual(mean, 14, "\(name) mean")
            XCTAssertGreaterThanOrEqual(sd, 9, "\(name) SD")
            XCTAssertGreaterThanOrEqual(r1, 9, "\(name) r(1)")
        }
    }

    /// The decimal offset is what makes NumAcc4 work: without it (doubles of the raw text) the SD loses digits.
    func testDecimalOffsetIsChosenForSharedLeadingDigits() throws {
        let (_, cols) = try StatFixtures.csvColumns("nist-univariate/NumAcc4.csv")
        let column = try parseDecimalColumn(cols[0])
        XCTAssertEqual(column.offset, 10_000_000)
        XCTAssertEqual(column.stored[0], 0.2)
        XCTAssertEqual(column.value(at: 1), 10000000.1)
        let naive = DescriptiveStatistics(cols[0].map { Double($0)! })
        let withOffset = try DescriptiveStatistics(column)
        XCTAssertLessThan(logRelativeError(naive.standardDeviation, 0.1), 9.5)
        XCTAssertGreaterThanOrEqual(logRelativeError(withOffset.standardDeviation, 0.1), 13)
    }

    /// A one-sample t-test against a μ₀ that shares NumAcc4's leading digits. μ₀ is the double nearest
    /// 10000000.15 (0.15 + 3.7e-10), so the exact t is (0.2 − (μ₀ − 10⁷)) / (0.1/√1001); μ₀ − 10⁷ is exact.
    func testOneSampleTTestOnNumAcc4() throws {
        let (_, cols) = try StatFixtures.csvColumns("nist-univariate/NumAcc4.csv")
        let mu0 = 10000000.15
        let diff = 0.2 - (mu0 - 10_000_000)
        let t = try OneSampleTTest(try parseDecimalColumn(cols[0]), mu0: mu0)
        let lre = logRelativeError(t.statistic, diff / 0.1 * 1001.0.squareRoot())
        print(String(format: "NumAcc4 one-sample t vs mu0 = 10000000.15: LRE %.1f", lre))
        XCTAssertGreaterThanOrEqual(lre, 13)
        assertDigits(t.cohensD, diff / 0.1, 13, "d")
    }
}
