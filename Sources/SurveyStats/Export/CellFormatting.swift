import Foundation

/// How cells become strings. One place, so that every text-like format shows the same digits.
enum CellFormatting {
    /// The placeholder for an undefined number (NaN, ±∞) in human-readable formats.
    static let undefined = "—"

    /// A number with a fixed count of decimals, e.g. 3.14159 → "3.142" (or "3,142" in Norwegian).
    /// Negative zero after rounding prints as zero.
    static func fixed(_ value: Double, decimals: Int, locale: ExportLocale) -> String? {
        guard value.isFinite else { return nil }
        var s = String(format: "%.\(max(0, min(decimals, 17)))f", value)
        if s.hasPrefix("-"), s.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) { s.removeFirst() }
        return localized(s, locale)
    }

    /// A number for reading: `fixed` with `decimals` decimals, except where fixed notation stops informing —
    /// |x| ≥ 1e15, where it prints a row of digits past double's ~16 significant ones (1e300 was a 301-digit
    /// integer), and 0 < |x| < 1e-4 when the decimals would show only zeros (a 3e-7 variance is not "0.000").
    /// Those are shown in scientific notation with `decimals` decimals in the mantissa ("1.235e+300",
    /// "3.000e-07"). Tiny values at least 1e-4 keep the fixed zeros ("0.00" at two decimals) that the chosen
    /// precision implies; p-values have their own form (`pValue`, "<.001").
    static func number(_ value: Double, decimals: Int, locale: ExportLocale) -> String? {
        guard value.isFinite else { return nil }
        let d = max(0, min(decimals, 17))
        if isScientific(value, decimals: d) { return localized(String(format: "%.\(d)e", value), locale) }
        return fixed(value, decimals: d, locale: locale)
    }

    /// Whether `number` shows `value` in scientific notation at `decimals` decimals (|x| ≥ 1e15, or a non-zero
    /// |x| < 1e-4 whose fixed form would show only zeros). XLSX picks its number format by the same rule, so that
    /// a spreadsheet does not show 3e-7 as "0.000" where every other format shows "3.000e-07".
    static func isScientific(_ value: Double, decimals: Int) -> Bool {
        let magnitude = abs(value)
        guard magnitude.isFinite else { return false }
        let showsOnlyZeros = magnitude < 0.5 * pow(10, -Double(max(0, min(decimals, 17))))
        return magnitude >= 1e15 || (magnitude > 0 && magnitude < 1e-4 && showsOnlyZeros)
    }

    /// The shortest decimal string that reads back as the same double (Swift's `description`), `nil` if not
    /// finite. Used by CSV so that no digits are lost.
    static func shortest(_ value: Double, locale: ExportLocale) -> String? {
        guard value.isFinite else { return nil }
        var s = "\(value)"
        if s.hasSuffix(".0") { s.removeLast(2) }  // 12.0 → 12: integers read as integers in Excel
        return localized(s, locale)
    }

    /// A p-value the way the report prints it: "<.001" below one in a thousand, else three decimals without
    /// the leading zero (".034"); 1 prints as "1.000".
    static func pValue(_ p: Double, locale: ExportLocale) -> String? {
        guard p.isFinite else { return nil }
        if p < 0.001 { return localized("<.001", locale) }
        var s = String(format: "%.3f", p)
        if s.hasPrefix("0.") { s.removeFirst() }
        return localized(s, locale)
    }

    static func localized(_ s: String, _ locale: ExportLocale) -> String {
        locale == .norwegian ? s.replacingOccurrences(of: ".", with: ",") : s
    }

    /// Display form of a cell for text-like formats, split into the value and its stars (stars only for p-values).
    static func display(_ cell: ResultTable.Cell, options: ExportOptions) -> (value: String, stars: String) {
        switch cell {
        case .text(let s), .temporal(let s, _, _): return (singleLine(s), "")
        case .empty: return ("", "")
        case .integer(let i): return (String(i), "")
        case .number(let v, let d):
            // ±∞ is a legitimate result (t of an exact fit) and is shown as such; NaN is undefined.
            if v.isInfinite { return (v > 0 ? "∞" : "-∞", "") }
            return (number(v, decimals: d, locale: options.locale) ?? undefined, "")
        case .pValue(let p):
            guard let s = pValue(p, locale: options.locale) else { return (undefined, "") }
            return (s, options.significanceStars ? significanceStars(p) : "")
        }
    }

    /// A cell or header on one line: line breaks (a label written over two lines) become a space, so that a
    /// cell never breaks the row layout of text, Markdown, LaTeX or HTML tables. CSV keeps them (quoted).
    static func singleLine(_ s: String) -> String {
        guard s.contains(where: \.isNewline) else { return s }
        return s.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// Display width in terminal columns: grapheme clusters, with East Asian wide characters counting two.
    /// (æ, ø, å and combining accents count one, so Norwegian text aligns.)
    static func displayWidth(_ s: String) -> Int {
        var w = 0
        for ch in s {
            guard let scalar = ch.unicodeScalars.first else { continue }
            w += isWide(scalar.value) ? 2 : 1
        }
        return w
    }

    private static func isWide(_ v: UInt32) -> Bool {
        (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
            || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
            || (0xFFE0...0xFFE6).contains(v) || (0x1F300...0x1F64F).contains(v) || (0x1F900...0x1F9FF).contains(v)
            || (0x20000...0x3FFFD).contains(v)
    }
}
