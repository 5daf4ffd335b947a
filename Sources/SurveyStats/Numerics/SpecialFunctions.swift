import Foundation

/// Special functions behind the distributions. (Skeleton implementations; see Numerics/README.md.)
public enum SpecialFunctions {
    /// log Γ(x) for x > 0.
    public static func logGamma(_ x: Double) -> Double {
        lgamma(x)
    }

    /// Regularized incomplete beta I_x(a, b).
    public static func regularizedBeta(_ x: Double, a: Double, b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        if x > (a + 1) / (a + b + 2) { return 1 - regularizedBeta(1 - x, a: b, b: a) }
        let lbeta = logGamma(a + b) - logGamma(a) - logGamma(b)
        let front = exp(log(x) * a + log1p(-x) * b + lbeta) / a
        return front * betaContinuedFraction(x, a: a, b: b)
    }

    /// Complement 1 − I_x(a, b) = I_{1−x}(b, a), computed without cancellation.
    public static func regularizedBetaComplement(_ x: Double, a: Double, b: Double) -> Double {
        if x <= 0 { return 1 }
        if x >= 1 { return 0 }
        if x > (a + 1) / (a + b + 2) {
            return regularizedBeta(1 - x, a: b, b: a)
        }
        return 1 - regularizedBeta(x, a: a, b: b)
    }

    static func betaContinuedFraction(_ x: Double, a: Double, b: Double) -> Double {
        let tiny = 1e-300
        var c = 1.0
        var d = 1.0 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1...10_000 {
            let m = Double(m)
            let m2 = 2 * m
            var aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2))
            d = 1 + aa * d; if abs(d) < tiny { d = tiny }
            c = 1 + aa / c; if abs(c) < tiny { c = tiny }
            d = 1 / d; h *= d * c
            aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1))
            d = 1 + aa * d; if abs(d) < tiny { d = tiny }
            c = 1 + aa / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            let del = d * c
            h *= del
            if abs(del - 1) < 1e-16 { break }
        }
        return h
    }

    /// Regularized lower incomplete gamma P(a, x).
    public static func regularizedGammaP(_ a: Double, _ x: Double) -> Double {
        if x <= 0 { return 0 }
        if x < a + 1 { return gammaSeries(a, x) }
        return 1 - gammaContinuedFraction(a, x)
    }

    /// Regularized upper incomplete gamma Q(a, x) = 1 − P(a, x).
    public static func regularizedGammaQ(_ a: Double, _ x: Double) -> Double {
        if x <= 0 { return 1 }
        if x < a + 1 { return 1 - gammaSeries(a, x) }
        return gammaContinuedFraction(a, x)
    }

    static func gammaSeries(_ a: Double, _ x: Double) -> Double {
        var ap = a, sum = 1 / a, del = sum
        for _ in 0..<100_000 {
            ap += 1; del *= x / ap; sum += del
            if abs(del) < abs(sum) * 1e-17 { break }
        }
        return sum * exp(-x + a * log(x) - logGamma(a))
    }

    static func gammaContinuedFraction(_ a: Double, _ x: Double) -> Double {
        let tiny = 1e-300
        var b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d
        for i in 1...100_000 {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b; if abs(d) < tiny { d = tiny }
            c = b + an / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            let del = d * c
            h *= del
            if abs(del - 1) < 1e-17 { break }
        }
        return exp(-x + a * log(x) - logGamma(a)) * h
    }
}

/// Finds x with f(x) = target for a monotone increasing f on [lo, hi] by bisection on a bracket.
func solveMonotone(_ target: Double, lo: Double, hi: Double, decreasing: Bool = false,
                   _ f: (Double) -> Double) -> Double {
    var lo = lo, hi = hi
    for _ in 0..<2000 {
        let mid = lo + (hi - lo) / 2
        if mid == lo || mid == hi { break }
        let v = f(mid)
        if (v < target) != decreasing { lo = mid } else { hi = mid }
    }
    return lo + (hi - lo) / 2
}
