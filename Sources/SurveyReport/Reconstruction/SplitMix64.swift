/// SplitMix64 (Steele, Lea & Flood 2014): a tiny, fast, fully specified PRNG.
///
/// The reconstruction must give byte-identical files on every machine and Swift version, so it never uses
/// `SystemRandomNumberGenerator` nor the standard library's `random(in:using:)` (whose algorithm is not
/// guaranteed stable); `below(_:)` is our own unbiased bounded draw (rejection sampling).
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform integer in `0..<n` (n > 0), without modulo bias.
    public mutating func below(_ n: Int) -> Int {
        precondition(n > 0)
        let bound = UInt64(n)
        let limit = UInt64.max - UInt64.max % bound
        while true {
            let x = next()
            if x < limit { return Int(x % bound) }
        }
    }

    /// A uniform double in [0, 1) from the top 53 bits.
    public mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// Fisher–Yates shuffle with `below`, stable across platforms.
    public mutating func shuffle<T>(_ a: inout [T]) {
        guard a.count > 1 else { return }
        for i in stride(from: a.count - 1, to: 0, by: -1) {
            let j = below(i + 1)
            if i != j { a.swapAt(i, j) }
        }
    }

    /// A child generator for an independent stream keyed by a string (e.g. a variable name), so that adding a
    /// variable does not change the draws of the others.
    public static func derived(seed: UInt64, key: String) -> SplitMix64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325  // FNV-1a
        for b in key.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        var g = SplitMix64(seed: seed ^ h)
        _ = g.next()
        return g
    }
}
