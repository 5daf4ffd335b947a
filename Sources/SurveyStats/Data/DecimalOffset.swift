import Foundation

/// Exact decimal re-parsing of a numeric column with an offset, for columns whose values share many leading
/// digits (e.g. 10000000.2, 10000000.1, …): the offset is subtracted in decimal arithmetic before rounding to
/// binary, so the stored differences keep the digits that doubles of the raw values would lose.
enum DecimalOffset {
    /// True when the values are large compared with their spread, so that an offset keeps significant digits.
    static func worthwhile(minimum: Double, maximum: Double) -> Bool {
        guard minimum.isFinite, maximum.isFinite else { return false }
        let magnitude = max(abs(minimum), abs(maximum))
        return magnitude >= 16 && (maximum - minimum) * 16 < magnitude
    }

    /// The column as `offset + stored` with an integer offset near the middle of the values, or nil when a
    /// field does not parse as a decimal.
    static func column(_ texts: [String?], decimal: UInt8) -> NumericColumn? {
        let posix = Locale(identifier: "en_US_POSIX")
        var decimals: [Decimal?] = []
        decimals.reserveCapacity(texts.count)
        var lo = Double.infinity, hi = -Double.infinity
        for t in texts {
            guard let t else { decimals.append(nil); continue }
            var s = t.trimmingCharacters(in: .whitespaces)
            if decimal == UInt8(ascii: ",") { s = s.replacingOccurrences(of: ",", with: ".") }
            guard let d = Decimal(string: s, locale: posix), !d.isNaN,
                  let v = Double(s) else { return nil }
            decimals.append(d)
            lo = min(lo, v); hi = max(hi, v)
        }
        guard lo.isFinite, hi.isFinite else { return nil }
        let middle = ((lo + hi) / 2).rounded()
        guard abs(middle) < 9e15 else { return nil }
        let offset = Decimal(Int64(middle))
        var stored = [Double]()
        stored.reserveCapacity(texts.count)
        for d in decimals {
            guard let d else { stored.append(.nan); continue }
            let difference = d - offset
            guard let v = Double(NSDecimalNumber(decimal: difference).description(withLocale: posix)) else { return nil }
            stored.append(v)
        }
        return NumericColumn(stored, offset: middle)
    }
}
