import Foundation

/// Levels of a categorical variable: by code for a numeric variable (named by its value labels, as R orders a
/// factor of codes), else the texts in Norwegian order (`NorwegianCollation`, the order every table shows text
/// categories in); the first level is the default reference.
public struct CategoricalLevels: Sendable, Equatable {
    /// Level names (value labels, or the text values, or numbers formatted as R prints them).
    public let names: [String]
    /// Level index per row; nil when the row is missing.
    public let codes: [Int?]

    /// Builds the levels of `variable` over all rows (missing rows, including declared missing codes, are nil).
    public init(_ variable: Variable) {
        switch variable.values {
        case .text(let values):
            let distinct = Set(values.compactMap { $0 })
            let sorted = NorwegianCollation.sorted(distinct)
            let index = Dictionary(uniqueKeysWithValues: sorted.enumerated().map { ($1, $0) })
            names = sorted
            codes = values.map { $0.flatMap { index[$0] } }
        case .numeric(let column):
            var distinct = Set<Double>()
            var values = [Double?](repeating: nil, count: column.count)
            for i in 0..<column.count where !variable.isMissing(i) {
                if let v = column.value(at: i) { distinct.insert(v); values[i] = v }
            }
            let sorted = distinct.sorted()
            let index = Dictionary(uniqueKeysWithValues: sorted.enumerated().map { ($1, $0) })
            names = sorted.map { variable.valueLabels[$0] ?? CategoricalLevels.formatLikeR($0) }
            codes = values.map { $0.flatMap { index[$0] } }
        }
    }

    /// A number as R prints a factor level: integers without ".0", others with up to 15 significant digits.
    public static func formatLikeR(_ v: Double) -> String {
        if v == v.rounded() && abs(v) < 1e15 { return String(Int64(v)) }
        var s = String(format: "%.15g", v)
        if s.contains("e") { s = s.replacingOccurrences(of: "e+0", with: "e+").replacingOccurrences(of: "e-0", with: "e-") }
        return s
    }
}
