import Foundation
import XCTest
@testable import SurveyStats

/// Fixture access and accuracy measures shared by the Statistics tests.
enum StatFixtures {
    static var root: URL {
        Bundle.module.url(forResource: "Fixtures", withExtension: nil)!
    }

    static func json(_ relativePath: String) throws -> [String: Any] {
        let data = try Data(contentsOf: root.appendingPathComponent(relativePath))
        guard let obj = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw DataError.invalid("\(relativePath): not a JSON object")
        }
        return obj
    }

    /// Reads a small CSV (header + rows, comma separated, no quoting) into columns of raw text.
    static func csvColumns(_ relativePath: String) throws -> (header: [String], columns: [[Substring]]) {
        let text = try String(contentsOf: root.appendingPathComponent(relativePath), encoding: .utf8)
        var lines = text.split(whereSeparator: \.isNewline)
        let header = lines.removeFirst().split(separator: ",").map(String.init)
        var cols = Array(repeating: [Substring](), count: header.count)
        for line in lines {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            for j in 0..<header.count { cols[j].append(j < fields.count ? fields[j] : "") }
        }
        return (header, cols)
    }
}

/// Log relative error: the number of correct significant digits of `computed` against `certified`
/// (capped at 15.9 when they agree exactly; absolute error when the certified value is 0).
func logRelativeError(_ computed: Double, _ certified: Double) -> Double {
    if computed == certified { return 15.9 }
    guard computed.isFinite else { return 0 }
    let err = certified == 0 ? abs(computed) : abs(computed - certified) / abs(certified)
    return Swift.max(0, Swift.min(15.9, -log10(err)))
}

/// Asserts agreement to at least `digits` significant digits (LRE) and reports the LRE on failure.
func assertDigits(_ computed: Double, _ expected: Double, _ digits: Double, _ what: String,
                  file: StaticString = #filePath, line: UInt = #line) {
    if expected.isNaN { XCTAssertTrue(computed.isNaN, "\(what): expected NaN, got \(computed)", file: file, line: line); return }
    if expected.isInfinite { XCTAssertEqual(computed, expected, what, file: file, line: line); return }
    let lre = logRelativeError(computed, expected)
    AgreementLog.record(lre, what)
    XCTAssertGreaterThanOrEqual(lre, digits, "\(what): computed \(computed) vs reference \(expected) (LRE \(String(format: "%.1f", lre)))",
                                file: file, line: line)
}

/// A fixture number: written as a 17-digit string by scripts/reference/tests_reference.py (or a JSON number).
func num(_ any: Any?) -> Double {
    if let s = any as? String { return s == "nan" ? .nan : Double(s)! }
    if let n = any as? NSNumber { return n.doubleValue }
    if let i = any as? Int { return Double(i) }
    XCTFail("not a number: \(String(describing: any))")
    return .nan
}

func nums(_ any: Any?) -> [Double] { (any as? [Any] ?? []).map(num) }

func dict(_ any: Any?) -> [String: Any] { any as? [String: Any] ?? [:] }

func dicts(_ any: Any?) -> [[String: Any]] { any as? [[String: Any]] ?? [] }

/// Digits of agreement required with scipy/statsmodels on the committed fixtures.
let referenceDigits = 10.0

/// Collects the digits of agreement of every `assertDigits` call so each reference test can print its minimum.
enum AgreementLog {
    nonisolated(unsafe) static var worst: (lre: Double, what: String) = (.infinity, "")
    nonisolated(unsafe) static var count = 0
    static func record(_ lre: Double, _ what: String) {
        count += 1
        if lre < worst.lre { worst = (lre, what) }
    }
    /// Prints "agreement <family>: N comparisons, min LRE x (where)" and resets.
    static func report(_ family: String) {
        print(String(format: "agreement %@: %d comparisons, min LRE %.1f (%@)", family as NSString, count, worst.lre,
                     worst.what as NSString))
        worst = (.infinity, ""); count = 0
    }
}
