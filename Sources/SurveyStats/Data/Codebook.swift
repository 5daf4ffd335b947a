/// A survey codebook: what each variable means (question text, kind, value labels, missing codes, scale) and
/// which variables to derive (recodes, top-box indicators, item means). The YAML format is documented in
/// `CODEBOOK.md`; `Codebook(yaml:source:)` parses it and `yamlString()` writes it.
public struct Codebook: Sendable, Equatable {
    /// Variables in codebook order.
    public var variables: [CodebookVariable]
    /// Derived variables, computed in order (a derived variable may use earlier ones).
    public var derived: [DerivedVariable]
    /// What to do with a value outside the value labels/scale when the codebook is applied.
    public var invalidValues: ValidationPolicy
    /// File the codebook came from (for messages).
    public var source: String
    /// Where entries were declared in `source` (for messages); empty for a codebook built in code.
    public var lines = CodebookLines()

    public init(variables: [CodebookVariable] = [], derived: [DerivedVariable] = [],
                invalidValues: ValidationPolicy = .error, source: String = "<codebook>") {
        self.variables = variables; self.derived = derived; self.invalidValues = invalidValues; self.source = source
    }

    public subscript(name: String) -> CodebookVariable? { variables.first { $0.name == name } }
}

/// Lines of a codebook file where variables and their keys were declared, so that messages name them
/// (`svar.yaml:12`). Positions do not take part in equality: a codebook equals its YAML round trip.
public struct CodebookLines: Sendable, Equatable {
    /// Line of each variable's (or derived variable's) name.
    public var variable: [String: Int] = [:]
    /// Line of each variable's `scale` and `values` keys.
    public var scale: [String: Int] = [:]
    public var values: [String: Int] = [:]
    public init() {}
    public static func == (a: CodebookLines, b: CodebookLines) -> Bool { true }

    /// `source:LINE` for the key's line (or the variable's), `source` when unknown.
    public func place(_ source: String, _ name: String, key: [String: Int]? = nil) -> String {
        guard let line = key?[name] ?? variable[name] else { return source }
        return "\(source):\(line)"
    }
}

public enum ValidationPolicy: String, Sendable, CaseIterable {
    /// Stop with an error naming the variable, row and value.
    case error
    /// Keep the value and report a warning.
    case warn
}

/// One variable's entry in a codebook.
public struct CodebookVariable: Sendable, Equatable {
    public var name: String
    /// Question text.
    public var label: String?
    public var kind: VariableKind?
    /// Storage type to force when reading CSV (`numeric` rejects non-numbers with file/line/column).
    public var type: CSVColumnType?
    /// Labels per numeric code, e.g. 1 → "I svært liten grad".
    public var valueLabels: [Double: String]
    /// Labels per text value (for text variables).
    public var textValueLabels: [String: String]
    /// Numeric codes meaning missing, e.g. 6 ("Vet ikke") and 9 ("ubesvart").
    public var missingCodes: [Double]
    public var missingRanges: [ClosedRange<Double>]
    /// Text values meaning missing.
    public var textMissingValues: [String]
    /// Valid range of a rating scale, e.g. 1…5.
    public var scale: ClosedRange<Double>?
    /// The item is worded in reverse: item means use `min + max − value`.
    public var reverse: Bool
    /// Display format (SPSS `F8.2`), carried through conversions.
    public var format: String?

    public init(name: String, label: String? = nil, kind: VariableKind? = nil, type: CSVColumnType? = nil,
                valueLabels: [Double: String] = [:], textValueLabels: [String: String] = [:],
                missingCodes: [Double] = [], missingRanges: [ClosedRange<Double>] = [],
                textMissingValues: [String] = [], scale: ClosedRange<Double>? = nil, reverse: Bool = false,
                format: String? = nil) {
        self.name = name; self.label = label; self.kind = kind; self.type = type
        self.valueLabels = valueLabels; self.textValueLabels = textValueLabels
        self.missingCodes = missingCodes; self.missingRanges = missingRanges; self.textMissingValues = textMissingValues
        self.scale = scale; self.reverse = reverse; self.format = format
    }

    /// Whether applying the codebook maps a text column of this variable to codes through its value labels
    /// (`ordfører` → 1): numeric value labels on a variable not declared text or id. Such a column is not forced
    /// numeric when read (its labels would be errors), whatever the analysis needs.
    public var mapsTextLabelsToCodes: Bool { !valueLabels.isEmpty && type != .text && kind != .text && kind != .id }

    /// True when `code` is a declared missing code or lies in a missing range.
    public func isMissingCode(_ code: Double) -> Bool {
        missingCodes.contains(code) || missingRanges.contains { $0.contains(code) }
    }
}

/// A variable computed from others when a codebook is applied.
public struct DerivedVariable: Sendable, Equatable {
    public var name: String
    public var label: String?
    public var kind: VariableKind?
    public var valueLabels: [Double: String]
    public var rule: DerivationRule

    public init(name: String, label: String? = nil, kind: VariableKind? = nil, valueLabels: [Double: String] = [:],
                rule: DerivationRule) {
        self.name = name; self.label = label; self.kind = kind; self.valueLabels = valueLabels; self.rule = rule
    }
}

public enum DerivationRule: Sendable, Equatable {
    /// Maps codes of `source`; a code mapped to nil becomes missing; unmapped codes are kept
    /// (`keepUnmapped`) or become missing. Missing inputs stay missing.
    case recode(source: String, map: [Double: Double?], keepUnmapped: Bool)
    /// 1 when the answer is one of `values`, 0 for any other valid answer, missing when the answer is missing.
    case topBox(source: String, values: [Double])
    /// Row mean of valid items (reverse-coded items reversed over their scale); missing when fewer than
    /// `minValid` items are valid.
    case mean(items: [String], minValid: Int)

    /// Variables the rule reads.
    public var sources: [String] {
        switch self {
        case .recode(let s, _, _), .topBox(let s, _): return [s]
        case .mean(let items, _): return items
        }
    }
}
