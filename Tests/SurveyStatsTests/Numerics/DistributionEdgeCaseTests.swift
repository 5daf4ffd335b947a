import Foundation
import XCTest
@testable import SurveyStats

/// Edge cases the reference grid cannot express: infinities, NaN, invalid parameters, p = 0/1, exact zeros,
/// and identities that must hold to the last bit (symmetry, complements, round trips).
final class DistributionEdgeCaseTests: XCTestCase {
    let t3 = StudentTDistribution(df: 3)
    let chi = ChiSquaredDistribution(df: 4)
    let f = FDistribution(df1: 3, df2: 12)
    let normal = NormalDistribution.standard

    func testInfinitiesAndNaN() {
        for d in [t3, chi, f, normal] as [any ContinuousDistribution] {
            XCTAssertEqual(d.cdf(.infinity), 1)
            XCTAssertEqual(d.sf(.infinity), 0)
            XCTAssertEqual(d.cdf(-.infinity), 0)
            XCTAssertEqual(d.sf(-.infinity), 1)
            XCTAssertTrue(d.cdf(.nan).isNaN)
            XCTAssertTrue(d.sf(.nan).isNaN)
            XCTAssertTrue(d.pdf(.nan).isNaN)
            XCTAssertTrue(d.quantile(.nan).isNaN)
            XCTAssertTrue(d.quantile(-0.1).isNaN)
            XCTAssertTrue(d.inverseSF(1.5).isNaN)
            XCTAssertEqual(d.quantile(1), .infinity)
            XCTAssertEqual(d.inverseSF(0), .infinity)
            XCTAssertEqual(d.logSF(.infinity), -.infinity)
        }
        XCTAssertEqual(normal.quantile(0), -.infinity)
        XCTAssertEqual(t3.quantile(0), -.infinity)
        XCTAssertEqual(t3.inverseSF(1), -.infinity)
        XCTAssertEqual(chi.quantile(0), 0)
        XCTAssertEqual(f.quantile(0), 0)
        XCTAssertEqual(chi.inverseSF(1), 0)
        XCTAssertEqual(f.inverseSF(1), 0)
    }

    func testNonPositiveSupport() {
        for x in [0.0, -1, -1e300] {
            XCTAssertEqual(chi.cdf(x), 0); XCTAssertEqual(chi.sf(x), 1)
            XCTAssertEqual(f.cdf(x), 0); XCTAssertEqual(f.sf(x), 1)
            XCTAssertEqual(chi.logCDF(x), -.infinity)
        }
        XCTAssertEqual(chi.pdf(-1), 0)
        XCTAssertEqual(f.pdf(-1), 0)
        XCTAssertEqual(ChiSquaredDistribution(df: 2).pdf(0), 0.5)
        XCTAssertEqual(ChiSquaredDistribution(df: 1).pdf(0), .infinity)
        XCTAssertEqual(ChiSquaredDistribution(df: 3).pdf(0), 0)
        XCTAssertEqual(FDistribution(df1: 2, df2: 5).pdf(0), 1)
    }

    func testInvalidParametersGiveNaNNotACrash() {
        for d in [StudentTDistribution(df: 0), StudentTDistribution(df: -2), StudentTDistribution(df: .nan)] {
            XCTAssertTrue(d.cdf(1).isNaN); XCTAssertTrue(d.sf(1).isNaN); XCTAssertTrue(d.quantile(0.3).isNaN)
        }
        XCTAssertTrue(ChiSquaredDistribution(df: 0).sf(1).isNaN)
        XCTAssertTrue(ChiSquaredDistribution(df: .infinity).sf(1).isNaN)
        XCTAssertTrue(FDistribution(df1: -1, df2: 3).sf(1).isNaN)
        XCTAssertTrue(FDistribution(df1: 1, df2: 0).quantile(0.5).isNaN)
        XCTAssertTrue(NormalDistribution(mean: 0, sd: 0).cdf(1).isNaN)
        XCTAssertTrue(SpecialFunctions.regularizedBeta(0.5, a: -1, b: 2).isNaN)
        XCTAssertTrue(SpecialFunctions.regularizedGammaQ(-1, 2).isNaN)
    }

    func testInfiniteDfIsNormal() {
        let t = StudentTDistribution(df: .infinity)
        for x in [-5.0, -1, 0, 0.3, 2, 10] {
            XCTAssertEqual(t.cdf(x), normal.cdf(x))
            XCTAssertEqual(t.sf(x), normal.sf(x))
            XCTAssertEqual(t.pdf(x), normal.pdf(x))
        }
        XCTAssertEqual(t.inverseSF(0.025), normal.inverseSF(0.025))
        // Astronomically large df (beyond 1e25) is the normal distribution to double precision; it must not stall.
        let huge = StudentTDistribution(df: 1e300)
        XCTAssertEqual(huge.inverseSF(0.025), normal.inverseSF(0.025))
        XCTAssertEqual(StudentTDistribution(df: 1e20).sf(2) / normal.sf(2), 1, accuracy: 1e-14)
        XCTAssertEqual(ChiSquaredDistribution(df: 1e8).sf(1e8), 0.5, accuracy: 1e-4)
    }

    func testExactCentres() {
        XCTAssertEqual(t3.quantile(0.5), 0)
        XCTAssertEqual(t3.inverseSF(0.5), 0)
        XCTAssertEqual(normal.quantile(0.5), 0)
        XCTAssertEqual(t3.cdf(0), 0.5)
        XCTAssertEqual(t3.sf(0), 0.5)
        XCTAssertEqual(normal.sf(0), 0.5)
        XCTAssertEqual(StudentTDistribution(df: 1e6).sf(0), 0.5)
    }

    func testSymmetryAndComplements() {
        for df in [1.0, 2.5, 30, 1e6] {
            let t = StudentTDistribution(df: df)
            for x in [0.1, 1.5, 7.0] {
                XCTAssertEqual(t.sf(x), t.cdf(-x))
                XCTAssertEqual(t.sf(x) + t.cdf(x), 1, accuracy: 1e-15)
                XCTAssertEqual(t.quantile(0.01), -t.inverseSF(0.01))
            }
        }
        for (x, a, b) in [(0.3, 2.0, 3.0), (0.999, 5e5, 0.5), (0.5, 1e5, 1e5)] {
            let lower = SpecialFunctions.regularizedBeta(x, a: a, b: b)
            let upper = SpecialFunctions.regularizedBetaComplement(x, a: a, b: b)
            XCTAssertEqual(lower + upper, 1, accuracy: 1e-15)
        }
        for (a, x) in [(0.5, 0.2), (3.0, 3.0), (5e5, 5e5 + 700)] {
            XCTAssertEqual(SpecialFunctions.regularizedGammaP(a, x) + SpecialFunctions.regularizedGammaQ(a, x), 1,
                           accuracy: 1e-15)
        }
    }

    func testRoundTripsThroughTheTails() {
        let cases: [(any ContinuousDistribution, [Double])] = [
            (StudentTDistribution(df: 7.3), [1e-250, 1e-30, 0.2, 0.4999]),
            (ChiSquaredDistribution(df: 1e5), [1e-200, 1e-5, 0.3]),
            (FDistribution(df1: 4, df2: 1e6), [1e-150, 0.01, 0.45]),
            (normal, [1e-300, 1e-20, 0.3]),
        ]
        for (d, ps) in cases {
            for p in ps {
                XCTAssertEqual(d.sf(d.inverseSF(p)) / p, 1, accuracy: 1e-12, "\(d) sf∘isf at \(p)")
                XCTAssertEqual(d.cdf(d.quantile(p)) / p, 1, accuracy: 1e-12, "\(d) cdf∘quantile at \(p)")
            }
        }
    }

    func testTwoSidedTail() {
        for df in [1.0, 7.3, 1e6] {
            let t = StudentTDistribution(df: df)
            for x in [1e-9, 0.3, 2.5, 30] {
                XCTAssertEqual(t.twoSidedSF(x), t.twoSidedSF(-x))
                XCTAssertEqual(t.twoSidedSF(x) / (2 * t.sf(x)), 1, accuracy: 2e-15)
            }
            // Near 1 it is 1 − P(|T| < t), computed directly: 1 − 2·(0.5 − sf) would lose the digits.
            XCTAssertLessThan(t.twoSidedSF(1e-9), 1)
        }
        XCTAssertEqual(StudentTDistribution(df: 5).twoSidedSF(0), 1)
        XCTAssertEqual(StudentTDistribution(df: .infinity).twoSidedSF(1.96), 2 * NormalDistribution.standard.sf(1.96))
    }

    func testLogTailsBeyondUnderflow() {
        // χ².sf(2000, 10) ≈ 1.6e-424 underflows; its log must not.
        XCTAssertEqual(ChiSquaredDistribution(df: 10).sf(2000), 0)
        XCTAssertTrue(ChiSquaredDistribution(df: 10).logSF(2000).isFinite)
        XCTAssertTrue(StudentTDistribution(df: 1e6).logSF(60).isFinite)
        XCTAssertTrue(NormalDistribution.standard.logSF(1e5).isFinite)
        XCTAssertTrue(FDistribution(df1: 5, df2: 1e6).logSF(1e3).isFinite)
    }

    func testExtremeQuantilesOutOfRange() {
        // F(1, 1) lower quantile at 1e-300 is ≈ 2.5e-600: below the smallest Double, so 0 (or the smallest
        // subnormal, where the iteration stops).
        XCTAssertLessThanOrEqual(FDistribution(df1: 1, df2: 1).quantile(1e-300), Double.leastNonzeroMagnitude)
        XCTAssertLessThanOrEqual(ChiSquaredDistribution(df: 1).quantile(1e-300), Double.leastNonzeroMagnitude)
        // Upper quantile of F(1, 1) at 1e-300 is ≈ 4e599: +∞.
        XCTAssertEqual(FDistribution(df1: 1, df2: 1).inverseSF(1e-300), .infinity)
    }
}
