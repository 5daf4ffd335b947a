import Foundation
import XCTest
@testable import SurveyStats

/// Helpers shared by the regression tests: fixture loading, a minimal CSV reader for the fixture files
/// (plain comma-separated, header row, "NA"/empty = missing), and the LRE measure.
enum RegressionFixtures {
    static var root: URL {
        Bundle.module.resourceURL!.appendingPathComponent("Fixtures")
    }

    static func json(_ path: String) throws -> [String: Any] {
        let data = try Data(contentsOf: root.appendingPathComponent(path))
        return try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// Reads a fixture CSV: numeric columns where every non-missing cell parses as a number, text otherwise.
    static func dataset(_ path: String) throws -> Dataset {
        let text = try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
        var lines = text.split(whereSeparator: \.isNewline).map(String.init)
        let header = lines.removeFirst().split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        var cells = [[String]](repeating: [], count: header.count)
        for line in lines where !line.isEmpty {
            let parts = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            for j in 0..<header.count { cells[j].append(j < parts.count ? parts[j] : "") }
        }
        var ds = Dataset(source: path)
        for (j, name) in header.enumerated() {
            let col = cells[j]
            let missing = { (s: String) in s.isEmpty || s == "NA" }
            if col.allSatisfy({ missing($0) || Double($0) != nil }) {
                ds.append(Variable(name: name, values: .numeric(NumericColumn(col.map { missing($0) ? nil : Double($0) }))))
            } else {
                ds.append(Variable(name: name, values: .text(col.map { missing($0) ? nil : $0 })))
            }
        }
        return ds
    }
}

/// Log relative error: the number of correct significant digits (absolute error when the certified value is 0),
/// capped at 15 like NIST's tables.
func regressionLRE(_ computed: Double, _ certified: Double) -> Double {
    if computed == certified { return 15 }
    let err = certified == 0 ? abs(computed) : abs(computed - certified) / abs(certified)
    guard err.isFinite else { return 0 }
    return min(15, -log10(err))
}
