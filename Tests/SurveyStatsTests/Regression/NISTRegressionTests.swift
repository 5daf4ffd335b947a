import Foundation
import XCTest
import Matrix
@testable import SurveyStats

/// NIST StRD linear least squares, all eleven data sets, against NIST's certified values (15 digits).
/// The design is built from a model formula (`y ~ x + I(x^2) + … + I(x^10)` for Filip), so powers are formed in
/// the solver's working precision. Requirement: LRE ≥ 10 for every coefficient, every standard deviation, the
/// residual SD and R². The LREs are printed so they can be quoted.
final class NISTRegressionTests: XCTestCase {
    static let datasets = ["Norris", "Pontius", "NoInt1", "NoInt2", "Filip", "Longley",
                           "Wampler1", "Wampler2", "Wampler3", "Wampler4", "Wampler5"]

    struct Measured {
        var minEstimate = 15.0, minSD = 15.0, residualSD = 15.0, rSquared = 15.0, f = 15.0
        var condition = 0.0, precision = ""
        /// NIST certifies F = Infinity (an exact fit: Wampler1, Wampler2).
        var certifiedInfiniteF = false
    }

    /// Formula for a NIST fixture from its `design.regressors` ("1", "x", "x^2", "x1" …).
    static func formula(_ meta: [String: Any]) throws -> String {
        let design = try XCTUnwrap(meta["design"] as? [String: Any])
        let regressors = try XCTUnwrap(design["regressors"] as? [String])
        let intercept = try XCTUnwrap(design["intercept"] as? Bool)
        let terms = regressors.filter { $0 != "1" }.map { $0.contains("^") ? "I(\($0))" : $0 }
        return "y ~ " + terms.joined(separator: " + ") + (intercept ? "" : " - 1")
    }

    func measure(_ name: String, precision: LeastSquaresPrecision, verbose: Bool = true) throws -> Measured {
        let meta = try RegressionFixtures.json("nist-regression/\(name).json")
        let data = try RegressionFixtures.dataset("nist-regression/\(name).csv")
        let formula = try Self.formula(meta)
        let fit = try LinearModel(formula: formula, data: data, precision: precision)
        let certified = try XCTUnwrap(meta["certified"] as? [String: Any])
        let params = try XCTUnwrap(certified["parameters"] as? [[String: Any]])
        XCTAssertEqual(fit.coefficients.count, params.count, name)
        XCTAssertTrue(fit.aliased.isEmpty, "\(name): nothing may be aliased, got \(fit.aliased)")
        var m = Measured()
        var line = "  \(name.padding(toLength: 9, withPad: " ", startingAt: 0)) [\(fit.precision)] est:"
        var sdLine = "            sd:"
        for (j, p) in params.enumerated() where j < fit.coefficients.count {
            let est = try XCTUnwrap(p["estimate"] as? Double), sd = try XCTUnwrap(p["standard_deviation"] as? Double)
            let le = regressionLRE(fit.coefficients[j].estimate, est)
            let ls = regressionLRE(fit.coefficients[j].standardError, sd)
            m.minEstimate = min(m.minEstimate, le); m.minSD = min(m.minSD, ls)
            line += String(format: " %.1f", le); sdLine += String(format: " %.1f", ls)
        }
        m.residualSD = regressionLRE(fit.residualStandardError, try XCTUnwrap(certified["residual_standard_deviation"] as? Double))
        m.rSquared = regressionLRE(fit.rSquared, try XCTUnwrap(certified["r_squared"] as? Double))
        if let anova = certified["anova"] as? [String: Any], let reg = anova["regression"] as? [String: Any],
           let f = reg["f"] as? Double {
            m.f = regressionLRE(fit.fTest?.statistic ?? .nan, f)
        } else {
            // NIST prints "Infinity" for the exact fits (Wampler1): an essentially perfect fit reports F = ∞.
            m.f = fit.fTest?.statistic == .infinity ? 15 : 0
            m.certifiedInfiniteF = true
        }
        m.condition = fit.conditionNumber
        m.precision = fit.precision
        if verbose {
            print(line); print(sdLine)
            print(String(format: "            residual SD %.1f  R² %.1f  F %.1f  condition %.3g", m.residualSD, m.rSquared, m.f, m.condition))
        }
        return m
    }

    func testAllElevenDatasetsReachLRE10() throws {
        print("NIST StRD linear regression, LRE (digits), formula design, automatic precision:")
        var table: [String] = []
        for name in Self.datasets {
            let m = try measure(name, precision: .automatic)
            table.append(String(format: "| %@ | %.1f | %.1f | %.1f | %.1f | %.3g | %@ |", name, m.minEstimate, m.minSD,
                                m.residualSD, m.rSquared, m.condition, m.precision))
            XCTAssertGreaterThanOrEqual(m.minEstimate, 10, "\(name): coefficient LRE")
            XCTAssertGreaterThanOrEqual(m.minSD, 10, "\(name): standard deviation LRE")
            XCTAssertGreaterThanOrEqual(m.residualSD, 10, "\(name): residual SD LRE")
            XCTAssertGreaterThanOrEqual(m.rSquared, 10, "\(name): R² LRE")
            if m.certifiedInfiniteF { XCTAssertEqual(m.f, 15, "\(name): certified F = Infinity") }
        }
        print("| set | min LRE coef | min LRE SD | resid SD | R² | condition | precision |")
        table.forEach { print($0) }
    }

    /// The portable fallback (double-double) must meet the same bar, so non-x86 builds are covered.
    func testDoubleDoubleFallbackReachesLRE10() throws {
        print("NIST StRD linear regression, double-double path:")
        for name in Self.datasets {
            let m = try measure(name, precision: .doubleDouble)
            XCTAssertEqual(m.precision, "double-double")
            XCTAssertGreaterThanOrEqual(min(m.minEstimate, m.minSD, m.residualSD, m.rSquared), 10, name)
        }
    }

    /// The hardware extended path (`Float80` on x86-64), used by `.automatic` for large ill-conditioned problems.
    func testHardwareExtendedPathReachesLRE10() throws {
        print("NIST StRD linear regression, .extended path:")
        for name in Self.datasets {
            let m = try measure(name, precision: .extended)
            XCTAssertGreaterThanOrEqual(min(m.minEstimate, m.minSD, m.residualSD, m.rSquared), 10, name)
        }
    }

    /// For the record: the plain double LAPACK path (no extended precision). Only the easy sets are asserted;
    /// the printout shows why the extended path exists.
    func testDoublePathForComparison() throws {
        print("NIST StRD linear regression, double-only LAPACK path (for comparison):")
        for name in Self.datasets {
            let m = try measure(name, precision: .double)
            if ["Norris", "NoInt1", "NoInt2", "Longley"].contains(name) {
                XCTAssertGreaterThanOrEqual(min(m.minEstimate, m.minSD), 9, name)
            }
        }
    }

    /// Automatic mode must switch to extended precision by itself when a large problem is ill-conditioned:
    /// Filip's rows repeated (n·p² above the small-problem limit) must still give LRE ≥ 10 for the estimates
    /// (the SDs change with n, the estimates do not).
    func testLargeIllConditionedProblemSwitchesToExtendedPrecision() throws {
        let meta = try RegressionFixtures.json("nist-regression/Filip.json")
        let data = try RegressionFixtures.dataset("nist-regression/Filip.csv")
        let reps = 400  // 82·400 rows · 12² ≈ 4.7e6 > the 4e6 small-problem limit
        var big = Dataset(source: "Filip×\(reps)")
        for v in data.variables {
            let values = try v.numericValues()
            big.append(Variable(name: v.name, values: .numeric(NumericColumn(Array((0..<reps).map { _ in values }.joined())))))
        }
        let fit = try LinearModel(formula: try Self.formula(meta), data: big)
        XCTAssertEqual(fit.precision, "double-double", "Filip's κ ≈ 1e10 needs more than Float80's bound allows")
        let params = try XCTUnwrap((meta["certified"] as? [String: Any])?["parameters"] as? [[String: Any]])
        for (j, p) in params.enumerated() {
            XCTAssertGreaterThanOrEqual(regressionLRE(fit.coefficients[j].estimate, p["estimate"] as! Double), 10)
        }
        // Well-conditioned and large: stays on the fast double path (the limit is lowered to avoid a huge test).
        let norris = try RegressionFixtures.dataset("nist-regression/Norris.csv")
        let design = try DesignMatrix.build(formula: "y ~ x", dataset: norris)
        let fitN = try LeastSquaresFit(design: design, response: design.response, extendedWorkLimit: 10)
        XCTAssertEqual(fitN.precision, "double")
        XCTAssertGreaterThanOrEqual(regressionLRE(fitN.coefficients[1], 1.00211681802045), 10)
        // … and the ill-conditioned Wampler5 under the same lowered limit switches to extended precision.
        let wampler = try RegressionFixtures.dataset("nist-regression/Wampler5.csv")
        let designW = try DesignMatrix.build(formula: "y ~ x + I(x^2) + I(x^3) + I(x^4) + I(x^5)", dataset: wampler)
        let fitW = try LeastSquaresFit(design: designW, response: designW.response, extendedWorkLimit: 10)
        XCTAssertEqual(fitW.precision, "double-double")  // κ²·tan θ is too large even for Float80's 64-bit significand
        for b in fitW.coefficients { XCTAssertGreaterThanOrEqual(regressionLRE(b, 1), 10) }
    }
}
