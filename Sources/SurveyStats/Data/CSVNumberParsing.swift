import Foundation

/// Byte-level parsing of decimal numbers as they appear in CSV fields, correctly rounded.
///
/// Why not `Double(String)`: creating a `String` per field costs an allocation and a UTF-8 validation; survey
/// files are mostly short integers and short decimals, which the Clinger fast path converts exactly with one
/// multiplication or division. Anything outside the fast path (more than 19 significant digits, large
/// exponents) falls back to Swift's correctly rounded `Double(String)`, so every result is the double nearest to
/// the decimal text.
enum CSVNumberParser {
    /// Powers of ten that are exact in binary64 (10^0 … 10^22).
    @usableFromInline static let exactPowersOfTen: [Double] = (0...22).map { e in
        var x = 1.0
        for _ in 0..<e { x *= 10 }
        return x
    }

    /// The parse of one field: the value, and whether it had a fractional part or exponent (used to decide
    /// whether a column needs exact decimal re-parsing with an offset).
    struct Parsed { var value: Double; var isIntegral: Bool }

    /// Parses `bytes[start..<end]` as a number with `decimal` ('.' or ',') as decimal separator.
    /// Leading/trailing ASCII spaces and tabs are ignored. Returns nil when the text is not a number. A value beyond
    /// the range of a double (1e400) is not a number; one below the smallest subnormal (1e-400) is 0, as in R and pandas.
    @inline(__always)
    static func parse(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, decimal: UInt8) -> Parsed? {
        // Fast path for the commonest survey field: a short unsigned integer (Likert codes, years, counts).
        if end - start <= 4 {
            var v: UInt32 = 0
            var j = start
            while j < end {
                let d = p[j] &- 0x30
                if d >= 10 { break }
                v = v * 10 + UInt32(d)
                j += 1
            }
            if j == end && end > start { return Parsed(value: Double(v), isIntegral: true) }
        }
        var i = start, e = end
        while i < e && (p[i] == 0x20 || p[i] == 0x09) { i += 1 }   // spaces and tabs around the number
        while e > i && (p[e - 1] == 0x20 || p[e - 1] == 0x09) { e -= 1 }
        if i == e { return nil }
        var negative = false
        if p[i] == UInt8(ascii: "-") { negative = true; i += 1 } else if p[i] == UInt8(ascii: "+") { i += 1 }
        else if isMinusSign(p, i, e) { negative = true; i += 3 }
        let unsignedStart = i
        var mantissa: UInt64 = 0
        var significant = 0          // significant digits accumulated into mantissa
        var dropped = 0              // integer digits beyond 19 significant ones (scale up)
        var digits = 0               // all digits seen
        var exponent = 0
        var sawDecimal = false
        var slow = false
        while i < e {
            let c = p[i]
            let d = c &- 0x30
            if d < 10 {
                digits += 1
                if significant < 19 {
                    if mantissa != 0 || d != 0 { significant += 1 }
                    mantissa = mantissa &* 10 &+ UInt64(d)
                    if sawDecimal { exponent -= 1 }
                } else {
                    slow = true
                    if !sawDecimal { dropped += 1 }
                }
                i += 1
            } else if c == decimal && !sawDecimal {
                sawDecimal = true
                i += 1
            } else {
                break
            }
        }
        if digits == 0 { return nil }
        var isIntegral = !sawDecimal
        if i < e {
            let c = p[i]
            guard c == UInt8(ascii: "e") || c == UInt8(ascii: "E") else { return nil }
            i += 1
            var expNegative = false
            if i < e && (p[i] == UInt8(ascii: "-") || p[i] == UInt8(ascii: "+")) {
                expNegative = p[i] == UInt8(ascii: "-"); i += 1
            }
            var expValue = 0
            var expDigits = 0
            while i < e && p[i] &- 0x30 < 10 {
                let d = p[i] &- 0x30
                if expValue < 100_000 { expValue = expValue * 10 + Int(d) }
                expDigits += 1
                i += 1
            }
            if expDigits == 0 || i != e { return nil }
            exponent += expNegative ? -expValue : expValue
            isIntegral = false
        }
        if !slow && mantissa <= (1 << 53) {
            var v = Double(mantissa)
            if exponent == 0 {
            } else if exponent < 0 && exponent >= -22 {
                v /= exactPowersOfTen[-exponent]
            } else if exponent > 0 && exponent <= 22 {
                v *= exactPowersOfTen[exponent]
            } else {
                slow = true
            }
            if !slow { return Parsed(value: negative ? -v : v, isIntegral: isIntegral) }
        }
        _ = dropped
        // Slow path: hand the normalised text to the correctly rounded standard parser.
        var text = [UInt8]()
        text.reserveCapacity(e - unsignedStart + 1)
        if negative { text.append(UInt8(ascii: "-")) }
        for j in unsignedStart..<e { text.append(p[j] == decimal ? UInt8(ascii: ".") : p[j]) }
        guard let v = Double(String(decoding: text, as: UTF8.self)), v.isFinite else { return nil }
        return Parsed(value: v, isIntegral: isIntegral)
    }

    /// Whether `p[i..<end]` starts with U+2212 MINUS SIGN (UTF-8 E2 88 92). Windows writes negative numbers with it
    /// under the Norwegian (and Swedish, Finnish) locale, so a CSV exported there has `−3` where others have `-3`.
    @inline(__always)
    static func isMinusSign(_ p: UnsafePointer<UInt8>, _ i: Int, _ end: Int) -> Bool {
        i + 2 < end && p[i] == 0xE2 && p[i + 1] == 0x88 && p[i + 2] == 0x92
    }

    /// Convenience for tests and small inputs.
    static func parse(_ text: String, decimal: UInt8 = UInt8(ascii: ".")) -> Double? {
        var bytes = Array(text.utf8)
        bytes.append(0)
        return bytes.withUnsafeBufferPointer { parse($0.baseAddress!, 0, $0.count - 1, decimal: decimal)?.value }
    }
}
