import Foundation

/// Levels of a categorical variable, in the order R would use: by code when a codebook gives value labels,
/// else sorted as R sorts strings; the first level is the default reference.
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
            let sorted = distinct.sorted(by: CategoricalLevels.rLess)
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

    /// String order of R's `sort()` in a UTF-8 locale (glibc collation, as on a typical Linux R): first ignoring
    /// case and accents, then accents, then lower case before upper case, then code points.
    public static func rLess(_ a: String, _ b: String) -> Bool {
        if a == b { return false }
        let fa = a.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
        let fb = b.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
        if fa != fb { return fa.unicodeScalars.lexicographicallyPrecedes(fb.unicodeScalars) }
        let la = a.lowercased(), lb = b.lowercased()
        if la != lb { return la.unicodeScalars.lexicographicallyPrecedes(lb.unicodeScalars) }
        // Same letters, different case: lower case first, position by position.
        for (x, y) in zip(a.unicodeScalars, b.unicodeScalars) where x != y {
            let xl = x.properties.isLowercase, yl = y.properties.isLowercase
            if xl != yl { return xl }
            return x.value < y.value
        }
        return a.unicodeScalars.count < b.unicodeScalars.count
    }
}
