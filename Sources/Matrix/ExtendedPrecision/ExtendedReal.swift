/// The arithmetic the extended-precision least-squares kernels need. `Double` conforms (for comparisons in
/// tests), `Float80` conforms on x86-64 (64-bit significand, ~19.3 digits, hardware x87), and `DoubleDouble`
/// conforms everywhere (~32 digits in software) as the portable fallback.
public protocol ExtendedReal: Sendable, Comparable {
    init(_ value: Double)
    init(_ value: Int)
    /// Nearest `Double`.
    var doubleValue: Double { get }
    static var zero: Self { get }
    static func + (lhs: Self, rhs: Self) -> Self
    static func - (lhs: Self, rhs: Self) -> Self
    static func * (lhs: Self, rhs: Self) -> Self
    static func / (lhs: Self, rhs: Self) -> Self
    static prefix func - (operand: Self) -> Self
    func squareRoot() -> Self
    /// |x|.
    var magnitude: Self { get }
    /// Short name for reports ("Float80", "double-double").
    static var precisionName: String { get }
    /// Unit roundoff u (half the machine epsilon), for error bounds.
    static var unitRoundoff: Double { get }
}

extension ExtendedReal {
    @inlinable static func += (lhs: inout Self, rhs: Self) { lhs = lhs + rhs }
    @inlinable static func -= (lhs: inout Self, rhs: Self) { lhs = lhs - rhs }
    @inlinable static func *= (lhs: inout Self, rhs: Self) { lhs = lhs * rhs }

    /// xᵏ for an integer k by binary powering (exact-as-possible in the working precision).
    @inlinable public func power(_ k: Int) -> Self {
        if k < 0 { return Self(1) / power(-k) }
        var result = Self(1), base = self, e = k
        while e > 0 {
            if e & 1 == 1 { result = result * base }
            e >>= 1
            if e > 0 { base = base * base }
        }
        return result
    }
}

extension Double: ExtendedReal {
    public var doubleValue: Double { self }
    public static var precisionName: String { "double" }
    public static var unitRoundoff: Double { 0x1p-53 }
}

#if arch(x86_64) || arch(i386)
extension Float80: ExtendedReal {
    public var doubleValue: Double { Double(self) }
    public static var precisionName: String { "Float80" }
    public static var unitRoundoff: Double { 0x1p-64 }
}
#endif
