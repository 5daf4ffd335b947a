import Foundation

extension Variable {
    /// How the levels with these numeric codes are named in tables: the value label, else the code as R prints it
    /// (with `decimalSeparator`, `","` for Norwegian output: «2,5»).
    ///
    /// Names are always distinct, so that two rows or columns of a table, or two coefficients of a model, never
    /// carry the same name and a table built from names (the streamed crosstab) keeps the codes apart:
    /// - a label that the variable gives to more than one code (a codebook with `1: Ja` and `2: Ja`) is followed by
    ///   the code — `Ja (1)`, `Ja (2)`;
    /// - a label that reads like another level's name (`1: "2"` beside an unlabelled code 2), or like another
    ///   level's code (`4: "1"` beside code 1 labelled «Ja»), is followed by its code too — `2 (1)` and `2`,
    ///   `1 (4)` and `Ja`: a reader takes a number for a code;
    /// - codes that R's 15 significant digits would print alike (0.1 + 0.2 and 0.3) are written in full
    ///   (`0.30000000000000004`).
    public func levelNames(codes: [Double], decimalSeparator: Character = ".") -> [String] {
        Variable.levelNames(codes: codes, valueLabels: valueLabels, decimalSeparator: decimalSeparator)
    }

    /// `levelNames(codes:decimalSeparator:)` of a variable with these value labels.
    static func levelNames(codes: [Double], valueLabels: [Double: String], decimalSeparator: Character) -> [String] {
        let shared = Variable.sharedLabels(valueLabels.values)
        let codeSet = Set(codes)
        func number(_ code: Double) -> String { CategoricalLevels.formatLikeR(code, decimalSeparator: decimalSeparator) }
        // A label that is a number (either decimal mark) naming another of these codes.
        func namesOtherCode(_ label: String, _ code: Double) -> Bool {
            let text = label.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: ".")
            guard let value = Double(text), value.isFinite else { return false }
            return value != code && codeSet.contains(value)
        }
        let names = codes.map { code in
            guard let label = valueLabels[code] else { return number(code) }
            return shared.contains(label) || namesOtherCode(label, code) ? "\(label) (\(number(code)))" : label
        }
        return Variable.distinctNames(names) { k, round in
            let code = codes[k]
            // Round 1: the code after a label, R's digits for a number; round 2: every digit of the code.
            let digits = round == 1 ? number(code) : CategoricalLevels.exactText(code, decimalSeparator: decimalSeparator)
            guard let label = valueLabels[code] else { return digits }
            return "\(label) (\(digits))"
        }
    }

    /// How the levels with these texts are named in tables: the text's value label (SPSS string value labels,
    /// a codebook's `type: text` values), else the text itself; a label shared by several texts, or equal to
    /// another level's text, is followed by the text in parentheses, as for numeric codes.
    public func levelNames(texts: [String]) -> [String] {
        guard !textValueLabels.isEmpty else { return texts }
        let shared = Variable.sharedLabels(textValueLabels.values)
        let names = texts.map { text in
            guard let label = textValueLabels[text] else { return text }
            return shared.contains(label) ? "\(label) (\(text))" : label
        }
        return Variable.distinctNames(names) { k, _ in
            textValueLabels[texts[k]].map { "\($0) (\(texts[k]))" } ?? texts[k]
        }
    }

    /// Labels that occur more than once among `labels`.
    static func sharedLabels<C: Collection>(_ labels: C) -> Set<String> where C.Element == String {
        var seen = Set<String>(), shared = Set<String>()
        for label in labels where !seen.insert(label).inserted { shared.insert(label) }
        return shared
    }

    /// `names` with every name that occurs more than once replaced by `disambiguated(index, round)` (round 1, then
    /// 2 for what still collides), and as a last resort (labels written to look like other levels' disambiguated
    /// names) followed by the level's position, so that the result is always free of duplicates.
    static func distinctNames(_ names: [String], _ disambiguated: (Int, Int) -> String) -> [String] {
        var out = names
        func collisions() -> [Int] {
            var count: [String: Int] = [:]
            for name in out { count[name, default: 0] += 1 }
            return out.indices.filter { count[out[$0]]! > 1 }
        }
        for round in 1...2 {
            let clashing = collisions()
            if clashing.isEmpty { return out }
            for k in clashing { out[k] = disambiguated(k, round) }
        }
        var used = Set(out)
        for k in collisions() {
            var n = 2
            while used.contains("\(out[k]) #\(n)") { n += 1 }
            out[k] = "\(out[k]) #\(n)"
            used.insert(out[k])
        }
        return out
    }
}
