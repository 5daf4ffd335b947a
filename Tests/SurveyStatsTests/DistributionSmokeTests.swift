import XCTest
@testable import SurveyStats

final class DistributionSmokeTests: XCTestCase {
    // Values from scipy.stats 1.17: t.sf(2, 10), f.sf(32.27, 1, 241), chi2.sf(3.84, 1), norm.sf(1.96).
    func testKnownTailProbabilities() {
        XCTAssertEqual(StudentTDistribution(df: 10).sf(2), 0.036694017385370196, accuracy: 1e-12)
        XCTAssertEqual(ChiSquaredDistribution(df: 1).sf(3.84), 0.050043521248705147, accuracy: 1e-12)
        XCTAssertEqual(NormalDistribution.standard.sf(1.96), 0.024997895148220435, accuracy: 1e-14)
    }
}
