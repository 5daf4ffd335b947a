import Foundation

/// A number as the report printed it, with the precision its digits imply.
///
/// Norwegian print uses a decimal comma ("3,86") and sometimes a space or non-breaking space as thousands
/// separator ("4 687"); p-values drop the leading zero (".306"). The rounding interval is half a unit of the
/// last printed digit on each side, closed below and open above: "61" → [60.5, 61.5), "3,86" → [3.855, 3.865).
public struct PrintedNumber: Sendable, Equatable, CustomStringConvertible {
    /// The digits as printed, trimmed.
    public let text: String
    /// The numeric value.
    public let value: Double
    /// Number of digits after the decimal separator.
    public let decimals: Int

    /// Parses "61", "61,22", "3.86", ".306", "-1,5", "4 687", "32.27". Returns nil for anything else.
    public init?(_ printed: String) {
        var s = printed.trimmingCharacters(in: .whitespacesAndNewlines)
        for suffix in ["prosent", "%"] where s.hasSuffix(suffix) {
            s = String(s.dropLast(suffix.count)).trimmingCharacters(in: .whitespaces)
        }
        let original = s
        s = s.replacingOccurrences(of: "\u{00A0}", with: "").replacingOccurrences(of: "\u{202F}", with: "")
            .replacingOccurrences(of: " ", with: "").replacingOccurrences(of: "−", with: "-")
        // A comma is the decimal separator; the report never uses it for thousands.
        s = s.replacingOccurrences(of: ",", with: ".")
        guard !s.isEmpty, s.filter({ $0 == "." }).count <= 1,
              s.allSatisfy({ $0.isNumber || $0 == "." || $0 == "-" }),
              s.dropFirst().allSatisfy({ $0 != "-" }),
              let v = Double(s.hasPrefix(".") ? "0" + s : (s.hasPrefix("-.") ? "-0" + s.dropFirst() : s))
        else { return nil }
        text = original
        value = v
        if let dot = s.firstIndex(of: ".") { decimals = s.distance(from: dot, to: s.endIndex) - 1 } else { decimals = 0 }
    }

    /// Half a unit of the last printed digit.
    public var halfUnit: Double { 0.5 * pow(10, -Double(decimals)) }

    /// [value − halfUnit, value + halfUnit): the values that print as `text` under round-half-up.
    public var roundingInterval: AcceptanceInterval {
        AcceptanceInterval(lo: value - halfUnit, hi: value + halfUnit, loClosed: true, hiClosed: false)
    }

    public var description: String { text }
}
