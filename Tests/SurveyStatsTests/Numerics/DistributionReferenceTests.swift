import Foundation
import XCTest
@testable import SurveyStats

/// Checks every special function and distribution against the mpmath (50-digit) grid written by
/// `scripts/reference/distributions.py` into `Fixtures/distributions/reference.json`.
final class DistributionReferenceTests: XCTestCase {
    struct Reference: Decodable {
        let command: String
        let cases: [Case]
    }
    struct Case: Decodable {
        let function: String
        let params: [Double]
        let x: Double
        let expected: Double
        let region: String
    }

    static let tolerance = 1e-12

    func loadReference(_ name: String) throws -> Reference {
        let url = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/distributions/\(name)", withExtension: "json"),
                                "\(name).json missing from the test bundle")
        return try JSONDecoder().decode(Reference.self, from: Data(contentsOf: url))
    }

    /// Evaluates the Swift implementation of `c.function` at the case's point.
    func evaluate(_ c: Case) -> Double? {
        let p = c.params, x = c.x
        switch c.function {
        case "logGamma": return SpecialFunctions.logGamma(x)
        case "logBeta": return SpecialFunctions.logBeta(p[0], p[1])
        case "log1pmx": return SpecialFunctions.log1pmx(x)
        case "regularizedBeta": return SpecialFunctions.regularizedBeta(x, a: p[0], b: p[1])
        case "regularizedBetaComplement": return SpecialFunctions.regularizedBetaComplement(x, a: p[0], b: p[1])
        case "regularizedGammaP": return SpecialFunctions.regularizedGammaP(p[0], x)
        case "regularizedGammaQ": return SpecialFunctions.regularizedGammaQ(p[0], x)
        default: break
        }
        let parts = c.function.split(separator: ".")
        guard parts.count == 2 else { return nil }
        let distribution: any ContinuousDistribution
        switch parts[0] {
        case "norm": distribution = NormalDistribution.standard
        case "t": distribution = StudentTDistribution(df: p[0])
        case "chi2": distribution = ChiSquaredDistribution(df: p[0])
        case "f": distribution = FDistribution(df1: p[0], df2: p[1])
        default: return nil
        }
        switch parts[1] {
        case "pdf": return distribution.pdf(x)
        case "cdf": return distribution.cdf(x)
        case "sf": return distribution.sf(x)
        case "logcdf": return distribution.logCDF(x)
        case "logsf": return distribution.logSF(x)
        case "quantile": return distribution.quantile(x)
        case "isf": return distribution.inverseSF(x)
        default: return nil
        }
    }

    /// The hand-built grid: centres, extreme tails (p to 1e-300), df from 1 to 1e6, quantiles.
    func testAgainstMpmathReference() throws {
        try check(fixture: "reference", minimumCount: 4000)
    }

    /// Random incomplete beta/gamma points over a, b in [0.05, 2e6] (fixed seed), guarding region selection.
    func testAgainstMpmathRandomPoints() throws {
        try check(fixture: "random", minimumCount: 300)
    }

    func check(fixture: String, minimumCount: Int) throws {
        let reference = try loadReference(fixture)
        XCTAssertGreaterThanOrEqual(reference.cases.count, minimumCount)
        XCTAssertTrue(reference.command.contains("scripts/reference/distributions.py"))
        var worst: [String: (error: Double, c: Case, got: Double)] = [:]
        var failures: [String] = []
        for c in reference.cases {
            guard let got = evaluate(c) else {
                failures.append("unknown function \(c.function)")
                continue
            }
            let error = c.expected == 0 ? abs(got) : abs(got - c.expected) / abs(c.expected)
            let relError = error.isNaN ? Double.infinity : error
            let key = "\(c.function) [\(c.region)]"
            if relError >= (worst[key]?.error ?? -1) { worst[key] = (relError, c, got) }
            if relError > Self.tolerance {
                failures.append("\(c.function)(\(c.x); \(c.params)) = \(got), expected \(c.expected), rel.err \(relError)")
            }
        }
        let summary = worst.keys.sorted().map { key -> String in
            let w = worst[key]!
            let lre = w.error == 0 ? 16 : min(16, -log10(w.error))
            return String(format: "  %-44@ worst LRE %5.2f at x=%@ params=%@", key as NSString, lre,
                          "\(w.c.x)", "\(w.c.params)")
        }.joined(separator: "\n")
        if ProcessInfo.processInfo.environment["SURVEYSTATS_PRINT_LRE"] != nil {
            print("Distribution accuracy vs mpmath, \(fixture).json (\(reference.cases.count) points):\n" + summary)
        }
        XCTAssertTrue(failures.isEmpty,
                      "\(failures.count) of \(reference.cases.count) points exceed rel.err \(Self.tolerance):\n"
                      + failures.prefix(40).joined(separator: "\n") + "\nWorst LRE per function and region:\n" + summary)
    }
}
