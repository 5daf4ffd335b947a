/// Neumaier's compensated summation: the running error term keeps sums of many similar terms accurate to
/// about one rounding of the result instead of n roundings.
public struct CompensatedSum: Sendable {
    private var sum = 0.0
    private var compensation = 0.0
    public init() {}

    public var value: Double { sum + compensation }

    public mutating func add(_ x: Double) {
        let t = sum + x
        if abs(sum) >= abs(x) { compensation += (sum - t) + x } else { compensation += (x - t) + sum }
        sum = t
    }

    public static func sum<S: Sequence>(_ xs: S) -> Double where S.Element == Double {
        var s = CompensatedSum()
        for x in xs { s.add(x) }
        return s.value
    }
}
