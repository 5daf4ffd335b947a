/// Double-double arithmetic: a value hi + lo with |lo| ≤ ulp(hi)/2, about 32 significant digits, built from
/// error-free transformations (Knuth's TwoSum and an FMA-based TwoProduct). Portable (any IEEE-754 target) and
/// deterministic; used by the least-squares kernels where `Float80` is not available.
public struct DoubleDouble: ExtendedReal, CustomStringConvertible {
    public var hi: Double
    public var lo: Double

    @inlinable public init(hi: Double, lo: Double) { self.hi = hi; self.lo = lo }
    @inlinable public init(_ value: Double) { hi = value; lo = 0 }
    @inlinable public init(_ value: Int) {
        let h = Double(value)
        hi = h
        lo = Double(value - Int(h))  // exact for |value| < 2¹⁰⁶
    }

    public static var precisionName: String { "double-double" }
    public static var unitRoundoff: Double { 0x1p-104 }
    @inlinable public var doubleValue: Double { hi + lo }
    @inlinable public static var zero: DoubleDouble { DoubleDouble(hi: 0, lo: 0) }
    public var description: String { "\(hi) + \(lo)" }

    @inlinable static func twoSum(_ a: Double, _ b: Double) -> (Double, Double) {
        let s = a + b
        let bb = s - a
        let e = (a - (s - bb)) + (b - bb)
        return (s, e)
    }
    @inlinable static func quickTwoSum(_ a: Double, _ b: Double) -> (Double, Double) {
        let s = a + b
        return (s, b - (s - a))
    }
    @inlinable static func twoProduct(_ a: Double, _ b: Double) -> (Double, Double) {
        let p = a * b
        return (p, (-p).addingProduct(a, b))
    }

    @inlinable public static func + (x: DoubleDouble, y: DoubleDouble) -> DoubleDouble {
        // Accurate (IEEE-style) addition: both parts summed with error terms.
        let (s1, s2) = twoSum(x.hi, y.hi)
        let (t1, t2) = twoSum(x.lo, y.lo)
        var (h, l) = quickTwoSum(s1, s2 + t1)
        (h, l) = quickTwoSum(h, l + t2)
        return DoubleDouble(hi: h, lo: l)
    }
    @inlinable public static prefix func - (x: DoubleDouble) -> DoubleDouble { DoubleDouble(hi: -x.hi, lo: -x.lo) }
    @inlinable public static func - (x: DoubleDouble, y: DoubleDouble) -> DoubleDouble { x + (-y) }
    @inlinable public static func * (x: DoubleDouble, y: DoubleDouble) -> DoubleDouble {
        var (p, e) = twoProduct(x.hi, y.hi)
        e += x.hi * y.lo + x.lo * y.hi
        let (h, l) = quickTwoSum(p, e)
        return DoubleDouble(hi: h, lo: l)
    }
    @inlinable public static func / (x: DoubleDouble, y: DoubleDouble) -> DoubleDouble {
        // Long division: q1 = x/y in double, remainder in double-double, two correction steps.
        let q1 = x.hi / y.hi
        var r = x - y * DoubleDouble(q1)
        let q2 = r.hi / y.hi
        r = r - y * DoubleDouble(q2)
        let q3 = r.hi / y.hi
        let (h, l) = quickTwoSum(q1, q2)
        return DoubleDouble(hi: h, lo: l) + DoubleDouble(q3)
    }
    @inlinable public func squareRoot() -> DoubleDouble {
        if hi <= 0 { return hi == 0 ? .zero : DoubleDouble(Double.nan) }
        // One Newton step from the double square root doubles the number of correct digits.
        let s = hi.squareRoot()
        let (p, e) = DoubleDouble.twoProduct(s, s)
        let diff = (DoubleDouble(hi: hi, lo: lo) - DoubleDouble(hi: p, lo: e)).doubleValue
        let (h, l) = DoubleDouble.quickTwoSum(s, diff / (2 * s))
        return DoubleDouble(hi: h, lo: l)
    }
    @inlinable public var magnitude: DoubleDouble { hi < 0 || (hi == 0 && lo < 0) ? -self : self }

    @inlinable public static func < (x: DoubleDouble, y: DoubleDouble) -> Bool {
        x.hi < y.hi || (x.hi == y.hi && x.lo < y.lo)
    }
    @inlinable public static func == (x: DoubleDouble, y: DoubleDouble) -> Bool { x.hi == y.hi && x.lo == y.lo }
}
