import Foundation

/// A decimal number read exactly from text: `significand × 10^exponent`.
///
/// Survey and reference files print decimal numbers; the nearest binary double of `10000000.2` is already off by
/// 1.9e-9, which caps any statistic computed from it (NIST NumAcc4's SD would get LRE 8.3). Keeping the decimal
/// digits exact until a common offset has been subtracted (see `makeNumericColumn(from:)`) avoids that loss.
public struct DecimalValue: Sendable, Hashable, CustomStringConvertible {
    /// The digits as an integer (at most 18 significant digits are kept; see `init?(parsing:)`).
    public var significand: Int64
    /// Power of ten: the value is `significand × 10^exponent`.
    public var exponent: Int32

    public init(significand: Int64, exponent: Int32) {
        self.significand = significand; self.exponent = exponent
    }

    /// Parses `[+-−]digits[sep digits][(e|E)[+-]digits]` with surrounding spaces allowed, e.g. `"10000000.2"`,
    /// `"-3,86"` (with `decimalSeparator: ","`), `".5"`, `"1e-3"`. Returns nil for anything else (empty text,
    /// `NA`, `inf`, thousands separators, two separators, trailing junk).
    ///
    /// More than 18 significant digits are rounded (half away from zero) to 18, which is still 100× finer than a
    /// double resolves.
    public init?<S: StringProtocol>(parsing text: S, decimalSeparator: Character = ".") {
        guard let sep = decimalSeparator.asciiValue else { return nil }
        var it = text.utf8.makeIterator()
        var c = it.next()
        while c == 0x20 || c == 0x09 { c = it.next() }            // leading blanks
        var negative = false
        if c == 0x2B || c == 0x2D { negative = (c == 0x2D); c = it.next() }
        else if c == 0xE2 {
            // U+2212 MINUS SIGN (E2 88 92), as Windows writes negative numbers under the Norwegian locale.
            guard it.next() == 0x88, it.next() == 0x92 else { return nil }
            negative = true; c = it.next()
        }
        var sig: Int64 = 0
        var sigDigits = 0          // significant digits stored in `sig`
        var scale = 0              // power-of-ten adjustment from dropped integer digits / fraction digits
        var sawDigit = false, sawSep = false
        var roundUp = false, dropped = false
        while let ch = c {
            if ch >= 0x30 && ch <= 0x39 {
                sawDigit = true
                let d = Int64(ch - 0x30)
                if sigDigits == 0 && d == 0 {
                    if sawSep { scale -= 1 }                           // leading zero after the separator
                } else if sigDigits < 18 {
                    sig = sig * 10 + d; sigDigits += 1
                    if sawSep { scale -= 1 }
                } else {
                    if !dropped { roundUp = d >= 5; dropped = true }
                    if !sawSep { scale += 1 }                          // an integer digit we cannot keep
                }
            } else if ch == sep && !sawSep {
                sawSep = true
            } else {
                break
            }
            c = it.next()
        }
        guard sawDigit else { return nil }
        if let ch = c, ch == 0x65 || ch == 0x45 {                      // exponent
            c = it.next()
            var expNegative = false
            if c == 0x2B || c == 0x2D { expNegative = (c == 0x2D); c = it.next() }
            var e = 0, expDigits = 0
            while let ch = c, ch >= 0x30 && ch <= 0x39 {
                if e < 100_000 { e = e * 10 + Int(ch - 0x30) }
                expDigits += 1; c = it.next()
            }
            guard expDigits > 0 else { return nil }
            scale += expNegative ? -e : e
        }
        while c == 0x20 || c == 0x09 || c == 0x0D { c = it.next() }  // trailing blanks (and a stray CR)
        guard c == nil else { return nil }
        if roundUp { sig += 1 }
        if sig == 0 { scale = 0 }
        guard scale > -100_000 && scale < 100_000 else { return nil }
        // Normalise trailing zeros away so equal numbers compare equal ("2.00180" == "2.0018").
        while sig != 0 && sig % 10 == 0 { sig /= 10; scale += 1 }
        self.significand = negative ? -sig : sig
        self.exponent = Int32(scale)
    }

    /// The correctly rounded double nearest to the decimal value.
    public var doubleValue: Double {
        // Clinger's fast path: both factors exact in binary, so one IEEE operation rounds correctly.
        if significand.magnitude < (1 << 53) && exponent.magnitude <= 22 {
            let s = Double(significand)
            return exponent >= 0 ? s * DecimalValue.powersOfTen[Int(exponent)]
                                 : s / DecimalValue.powersOfTen[Int(-exponent)]
        }
        return Double("\(significand)e\(exponent)") ?? .nan
    }

    public var description: String { exponent == 0 ? "\(significand)" : "\(significand)e\(exponent)" }

    static let powersOfTen: [Double] = (0...22).map { Double("1e\($0)")! }
}

/// Parses one field as a decimal number (`nil` when it is not a number). The per-field building block for
/// streaming readers: collect `DecimalValue?` per row, then call `makeNumericColumn(from:)` once per column.
public func parseDecimal<S: StringProtocol>(_ field: S, decimalSeparator: Character = ".") -> DecimalValue? {
    DecimalValue(parsing: field, decimalSeparator: decimalSeparator)
}

/// Error raised by `parseDecimalColumn` for a field that is neither a number nor a missing-value token.
public struct DecimalParsingError: Error, CustomStringConvertible, Equatable, Sendable {
    /// Zero-based position of the field in the input array.
    public var index: Int
    public var text: String
    public var description: String { "field \(index + 1): '\(text)' is not a number" }
}

/// Parses a column of decimal text exactly and stores it as `offset + stored` (see `NumericColumn`).
///
/// - Empty or blank fields and the `missingTokens` (default `NA`) become missing (NaN in `stored`).
/// - Every other field must be a decimal number (`DecimalValue(parsing:)`) within the range of a double; the first
///   one that is not throws a
///   `DecimalParsingError` naming its index, which the CSV reader turns into a file:line:column error.
/// - The offset is chosen by `makeNumericColumn(from:)`.
public func parseDecimalColumn<S: StringProtocol>(_ fields: [S], decimalSeparator: Character = ".",
                                                  missingTokens: Set<String> = ["NA"]) throws -> NumericColumn {
    var values = [DecimalValue?]()
    values.reserveCapacity(fields.count)
    for (i, f) in fields.enumerated() {
        if let d = DecimalValue(parsing: f, decimalSeparator: decimalSeparator) {
            // 1e400 parses as a decimal but has no double: an error, not a silent infinity.
            guard d.doubleValue.isFinite else { throw DecimalParsingError(index: i, text: String(f)) }
            values.append(d); continue
        }
        let trimmed = f.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty || missingTokens.contains(trimmed) { values.append(nil); continue }
        throw DecimalParsingError(index: i, text: String(f))
    }
    return makeNumericColumn(from: values)
}

/// Builds a `NumericColumn` from exactly parsed decimals, choosing a decimal offset when it buys accuracy.
///
/// Rule: when some value has fractional digits (so its double is inexact) and the values share leading digits —
/// the midrange is at least 4× the range and at least 1 in magnitude — the offset is the coarsest dyadic number
/// j/2^k within one range of the midrange, preferring an integer (k = 0). Such an offset is exact in binary and
/// has only k decimal digits, so the differences `value − offset` are formed in exact integer arithmetic at a
/// common decimal scale, and `stored[i]` is the correctly rounded double of that difference. NumAcc4's
/// 10000000.2, 10000000.1, … become offset 10000000 with stored 0.2, 0.1, …; SmLs09's 1000000000000.4, .3, .5
/// become offset 1000000000000.5; AtmWtAg's 107.8681568… (range 1e-4) becomes 107.868164… (k = 13). Otherwise (integers, or values spread around zero) the offset is 0 and `stored[i]` is the
/// correctly rounded double of the value, so `value(at:)` equals what `Double(text)` gives.
public func makeNumericColumn(from values: [DecimalValue?]) -> NumericColumn {
    let plain = { NumericColumn(values.map { $0?.doubleValue ?? .nan }, offset: 0) }
    var minExp = Int32.max, anyFraction = false
    var lo = Double.infinity, hi = -Double.infinity
    for case let v? in values {
        minExp = min(minExp, v.exponent)
        if v.exponent < 0 { anyFraction = true }
        let d = v.doubleValue
        lo = min(lo, d); hi = max(hi, d)
    }
    guard anyFraction, lo.isFinite, hi.isFinite else { return plain() }
    let mid = lo / 2 + hi / 2, range = hi - lo
    guard abs(mid) >= 4 * range, abs(mid) >= 1, abs(mid) < 9e15, minExp >= -18 else { return plain() }
    // The coarsest dyadic offset j/2^k (k = 0 first: an integer) within `range` of the midrange. Such an offset is
    // exact in binary AND has only k decimal digits, so value − offset can still be formed exactly in decimal.
    for k in 0...24 {
        let scale = Double(1 << k)
        let offset = (mid * scale).rounded() / scale
        if abs(offset - mid) > range && k < 24 { continue }
        if let column = shiftedColumn(values, offset: offset, offsetNumerator: Int64((mid * scale).rounded()),
                                      offsetPowerOfTwo: k, minExp: minExp) {
            return column
        }
        break
    }
    return plain()
}

/// `values − offset` in exact integer arithmetic at a common decimal scale, or nil when that would overflow Int64.
/// The offset is `offsetNumerator / 2^k` = `offsetNumerator · 5^k / 10^k`.
private func shiftedColumn(_ values: [DecimalValue?], offset: Double, offsetNumerator: Int64, offsetPowerOfTwo k: Int,
                           minExp: Int32) -> NumericColumn? {
    let scaleExp = Swift.min(Int(minExp), -k)          // common scale 10^scaleExp
    guard scaleExp >= -18, let toScale = power10(-scaleExp - k) else { return nil }
    var five: Int64 = 1
    for _ in 0..<k { five *= 5 }
    let (o1, ov1) = offsetNumerator.multipliedReportingOverflow(by: five)
    guard !ov1 else { return nil }
    let (o, ov2) = o1.multipliedReportingOverflow(by: toScale)
    guard !ov2 else { return nil }
    var stored = [Double]()
    stored.reserveCapacity(values.count)
    for v in values {
        guard let v else { stored.append(.nan); continue }
        guard let up = power10(Int(v.exponent) - scaleExp) else { return nil }
        let (m, mOverflow) = v.significand.multipliedReportingOverflow(by: up)
        guard !mOverflow else { return nil }
        let (diff, dOverflow) = m.subtractingReportingOverflow(o)
        guard !dOverflow else { return nil }
        stored.append(DecimalValue(significand: diff, exponent: Int32(scaleExp)).doubleValue)
    }
    return NumericColumn(stored, offset: offset)
}

private func power10(_ k: Int) -> Int64? {
    guard k >= 0 && k <= 18 else { return nil }
    var p: Int64 = 1
    for _ in 0..<k { p *= 10 }
    return p
}
