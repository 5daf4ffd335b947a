import Foundation

/// How messages quote field values and explain why a field is not a number. Used on error paths only.
public enum ValueMessages {
    /// `'text'` for a message: at most `limit` characters (then `…` and the field's size in bytes), control
    /// characters as `\u{1A}` and invisible or look-alike spaces by code point (`U+00A0`), so that a 20 MB field
    /// does not become a 20 MB line and a no-break space is not mistaken for a space.
    public static func quoted(_ value: String, limit: Int = 60) -> String {
        var out = "'"
        var n = 0
        var truncated = false
        for scalar in value.unicodeScalars {
            if n == limit { truncated = true; break }
            n += 1
            if let name = specialSpaceName(scalar) { out += name; continue }
            let v = scalar.value
            if v < 0x20 || v == 0x7F || (0x80..<0xA0).contains(v) {
                out += "\\u{" + String(v, radix: 16, uppercase: true) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        out += truncated ? "…' (\(value.utf8.count) bytes)" : "'"
        return out
    }

    /// A number in a message: "NaN" for every NaN (Swift's description prints the sign bit of the NaN a failed
    /// log leaves, "-nan", which reads like a value), "inf"/"-inf", else the shortest exact decimal.
    public static func number(_ x: Double) -> String {
        if x.isNaN { return "NaN" }
        if x.isInfinite { return x > 0 ? "inf" : "-inf" }
        return "\(x)"
    }

    /// `U+00A0` for spaces that print like a space (or like nothing) but are not U+0020.
    static func specialSpaceName(_ s: Unicode.Scalar) -> String? {
        switch s.value {
        case 0xA0, 0x1680, 0x2000...0x200B, 0x202F, 0x205F, 0x3000, 0xFEFF:
            return String(format: "U+%04X", s.value)
        default: return nil
        }
    }

    static func characterName(_ s: Unicode.Scalar) -> String {
        switch s.value {
        case 0x20: return "a space"
        case 0xA0: return "U+00A0 NO-BREAK SPACE"
        case 0x202F: return "U+202F NARROW NO-BREAK SPACE"
        case 0x2009: return "U+2009 THIN SPACE"
        case 0x27: return "an apostrophe"
        case 0x2E: return "a point"
        case 0x2C: return "a comma"
        default: return String(format: "U+%04X", s.value)
        }
    }

    static func separatorName(_ b: UInt8) -> String {
        switch b {
        case 0x09: return "tab"
        case UInt8(ascii: ","): return "','"
        case UInt8(ascii: ";"): return "';'"
        case UInt8(ascii: "."): return "'.'"
        default: return "'\(Character(UnicodeScalar(b)))'"
        }
    }

    /// Why `value` (a field that is not a number) is not one, when it looks like a number: a value out of the
    /// range of a double, digit grouping, or the other decimal separator; otherwise how the file was read (so
    /// that a wrongly sniffed dialect shows). nil for a field without digits (a word in a numeric column).
    /// - Parameters: `delimiterGiven`/`decimalGiven`: the user chose them (otherwise they were sniffed).
    public static func numberProblem(_ value: String, delimiter: UInt8, decimal: UInt8, delimiterGiven: Bool,
                                     decimalGiven: Bool) -> String? {
        let text = value.trimmingCharacters(in: CharacterSet(charactersIn: " \t"))
        guard text.unicodeScalars.contains(where: { $0.isASCII && $0.properties.numericType != nil }) else { return nil }
        let decimalChar: Character = decimal == UInt8(ascii: ",") ? "," : "."
        let dialect = "read with delimiter \(separatorName(delimiter))\(delimiterGiven ? "" : " (sniffed)") and decimal "
            + "separator \(separatorName(decimal))\(decimalGiven ? "" : " (sniffed)")"
        let decimalOption = decimal == UInt8(ascii: ",") ? "--decimal-point" : "--decimal-comma"
        // Out of range: a well-formed number whose magnitude exceeds the largest double.
        let normalized = String(text.map { $0 == decimalChar ? "." : $0 })
        if let v = Double(normalized), v.isInfinite, !normalized.lowercased().contains("inf") {
            return "is out of range for a double (magnitude above 1.8e308)"
        }
        // Digit grouping: 1 234,5 / 1 234,5 (NBSP) / 1 234,5 (narrow NBSP) / 1.234,5 / 1,234.5 / 1'234.
        let scalars = Array(text.unicodeScalars)
        func isDigit(_ s: Unicode.Scalar) -> Bool { s.value >= 0x30 && s.value <= 0x39 }
        for k in scalars.indices.dropFirst() where k + 1 < scalars.count {
            let s = scalars[k]
            let isPunctuation = s.value == 0x2E || s.value == 0x2C
            let grouping = s.value == 0x20 || s.value == 0xA0 || s.value == 0x202F || s.value == 0x2009 || s.value == 0x27
                || (isPunctuation && Character(s) != decimalChar)
            guard grouping, isDigit(scalars[k - 1]) else { continue }
            // Exactly three digits follow the grouping character.
            var j = k + 1
            while j < scalars.count && isDigit(scalars[j]) { j += 1 }
            guard j - k - 1 == 3 else { continue }
            // "1.234" alone may be a decimal point: grouping only with a second group or the decimal after it.
            if isPunctuation && !(j < scalars.count && (scalars[j] == s || Character(scalars[j]) == decimalChar)) { continue }
            return "has digit grouping (\(characterName(s)) between thousands); export the file without digit "
                + "grouping (Excel: Format Cells › Number, untick «Use 1000 separator»): grouped values are not guessed"
        }
        // The other decimal separator.
        let other: Character = decimalChar == "," ? "." : ","
        if text.contains(other),
           CSVNumberParser.parse(text, decimal: other == "," ? UInt8(ascii: ",") : UInt8(ascii: ".")) != nil {
            return "uses the decimal separator '\(other)', but the file was \(dialect); give \(decimalOption)"
        }
        return "(the file was \(dialect); see --decimal-comma, --decimal-point and --delimiter)"
    }

    /// `(if it means missing, give --na '#N/A')` for a field that reads as a missing-value marker — a spreadsheet
    /// error value (`#N/A`, `#DIV/0!`) or a common word or sign for «no value» (`NaN`, `NULL`, `N/A`, `.`) — so
    /// that the message names the option that reads it; nil for other text.
    public static func missingMarkerHint(_ value: String) -> String? {
        let text = value.trimmingCharacters(in: CharacterSet(charactersIn: " \t"))
        let markers: Set<String> = ["n/a", "na", "nan", "null", "none", "nil", "missing", "#na", ".", "-", "--", "?", "*"]
        guard text.hasPrefix("#") && text.count > 1 || markers.contains(text.lowercased()) else { return nil }
        // Single quotes keep the shell from reading # as a comment; a token with a quote is quoted with ".
        let token = text.contains("'") ? "\"\(text)\"" : "'\(text)'"
        return "(if it means missing, give --na \(token))"
    }

    /// The message for a field that is not a number in a numeric column: `column 'a': '1,5' is not a number …`.
    public static func notANumber(column: String, value: String, delimiter: UInt8, decimal: UInt8,
                                  delimiterGiven: Bool, decimalGiven: Bool) -> String? {
        guard let problem = numberProblem(value, delimiter: delimiter, decimal: decimal, delimiterGiven: delimiterGiven,
                                          decimalGiven: decimalGiven) else { return nil }
        let head = "column '\(column)': \(quoted(value))"
        if problem.hasPrefix("(") { return head + " is not a number " + problem }
        if problem.hasPrefix("is ") { return head + " " + problem }
        return head + " is not a number: it " + problem
    }
}
