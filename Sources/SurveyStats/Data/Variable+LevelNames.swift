import Foundation

extension Variable {
    /// How the levels with these numeric codes are named in tables: the value label, else the code as R prints it.
    ///
    /// A label that the variable gives to more than one code (a codebook with `1: Ja` and `2: Ja`) is followed by
    /// the code — `Ja (1)`, `Ja (2)` — so that two rows or columns of a table never carry the same name and a
    /// table built from names (the streamed crosstab) keeps the codes apart.
    public func levelNames(codes: [Double]) -> [String] {
        let shared = Variable.sharedLabels(valueLabels.values)
        return codes.map { code in
            guard let label = valueLabels[code] else { return CategoricalLevels.formatLikeR(code) }
            return shared.contains(label) ? "\(label) (\(CategoricalLevels.formatLikeR(code)))" : label
        }
    }

    /// How the levels with these texts are named in tables: the text's value label (SPSS string value labels,
    /// a codebook's `type: text` values), else the text itself; a label shared by several texts is followed by
    /// the text in parentheses, as for numeric codes.
    public func levelNames(texts: [String]) -> [String] {
        guard !textValueLabels.isEmpty else { return texts }
        let shared = Variable.sharedLabels(textValueLabels.values)
        return texts.map { text in
            guard let label = textValueLabels[text] else { return text }
            return shared.contains(label) ? "\(label) (\(text))" : label
        }
    }

    /// Labels that occur more than once among `labels`.
    static func sharedLabels<C: Collection>(_ labels: C) -> Set<String> where C.Element == String {
        var seen = Set<String>(), shared = Set<String>()
        for label in labels where !seen.insert(label).inserted { shared.insert(label) }
        return shared
    }
}
