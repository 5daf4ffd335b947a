import Foundation

/// Levels of a categorical variable: by code for a numeric variable (named by its value labels, as R orders a
/// factor of codes), else the texts in Norwegian order (`NorwegianCollation`, the order every table shows text
/// categories in); the first level is the default reference.
public struct CategoricalLevels: Sendable, Equatable {
    /// Level names, always distinct (`Variable.levelNames`): value labels, or the text values (named by their
    /// text value labels), or numbers formatted as R prints them; a label shared by several codes carries the code,
    /// `Ja (1)` and `Ja (3)`, as every table shows it.
    public let names: [String]
    /// The numeric value of each level (aligned with `names`); empty for a text variable.
    public let values: [Double]
    /// The stored text of each level of a text variable (aligned with `names`); empty for a numeric variable.
    public let texts: [String]
    /// Level index per row; nil when the row is missing.
    public let codes: [Int?]

    /// Builds the levels of `variable` over all rows (missing rows, including declared missing codes, are nil).
    public init(_ variable: Variable) {
        switch variable.values {
        case .text(let values):
            let distinct = Set(values.enumerated().compactMap { i, s in variable.isMissing(i) ? nil : s })
            let sorted = NorwegianCollation.sorted(distinct)
            let index = Dictionary(uniqueKeysWithValues: sorted.enumerated().map { ($1, $0) })
            names = variable.levelNames(texts: sorted)
            self.values = []
            texts = sorted
            codes = values.map { $0.flatMap { index[$0] } }
        case .numeric(let column):
            var distinct = Set<Double>()
            var values = [Double?](repeating: nil, count: column.count)
            for i in 0..<column.count where !variable.isMissing(i) {
                if let v = column.value(at: i) { distinct.insert(v); values[i] = v }
            }
            let sorted = distinct.sorted()
            let index = Dictionary(uniqueKeysWithValues: sorted.enumerated().map { ($1, $0) })
            names = variable.levelNames(codes: sorted)
            self.values = sorted
            texts = []
            codes = values.map { $0.flatMap { index[$0] } }
        }
    }

    /// The index of the level `name` names: its name (`Ja (1)`), a numeric level's value (`1`, `2.5` or `2,5`) or
    /// unshared value label (`Nei`), a text level's stored text. Nil when it names no level.
    /// - Throws: `DataError.invalid` when `name` is a value label that several levels share (`Ja`), asking for one.
    public func index(of name: String, in variable: Variable) throws -> Int? {
        if let k = names.firstIndex(of: name) { return k }
        if let k = texts.firstIndex(of: name) { return k }
        guard !values.isEmpty else { return nil }
        if let code = Double(name) ?? Double(name.replacingOccurrences(of: ",", with: ".")),
           let k = values.firstIndex(of: code) { return k }
        let labelled = values.indices.filter { variable.valueLabels[values[$0]] == name }
        if labelled.count > 1 {
            throw DataError.invalid("'\(name)' is the value label of several levels of '\(variable.name)' "
                                    + "(\(labelled.map { names[$0] }.joined(separator: ", "))); give the code, e.g. "
                                    + "\(CategoricalLevels.formatLikeR(values[labelled[0]]))")
        }
        return labelled.first
    }

    /// A number as R prints a factor level: integers without ".0", others with up to 15 significant digits; with
    /// `decimalSeparator` `","` the Norwegian way («2,5»).
    public static func formatLikeR(_ v: Double, decimalSeparator: Character = ".") -> String {
        if v == v.rounded() && abs(v) < 1e15 { return String(Int64(v)) }
        var s = String(format: "%.15g", v)
        if s.contains("e") { s = s.replacingOccurrences(of: "e+0", with: "e+").replacingOccurrences(of: "e-0", with: "e-") }
        return decimalSeparator == "." ? s : s.replacingOccurrences(of: ".", with: String(decimalSeparator))
    }

    /// Every digit of a number (the shortest text that reads back as `v`: `0.30000000000000004`), for two levels
    /// that `formatLikeR` prints alike.
    static func exactText(_ v: Double, decimalSeparator: Character = ".") -> String {
        if v == v.rounded() && abs(v) < 1e15 { return String(Int64(v)) }
        let s = "\(v)"
        return decimalSeparator == "." ? s : s.replacingOccurrences(of: ".", with: String(decimalSeparator))
    }
}
