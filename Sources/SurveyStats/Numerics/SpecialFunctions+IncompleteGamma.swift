import Foundation

extension SpecialFunctions {
    /// log of the power term x^a·e^(−x)/Γ(a), the common factor of both the series and the continued fraction.
    ///
    /// For a ≥ 10 it is written as ½log(a/2π) + a·log1pmx((x−a)/a) − δ(a): the two huge terms a·log x and
    /// log Γ(a) never meet, so the result has an absolute error of a few ulp of its own size.
    static func logGammaPowerTerm(_ a: Double, _ x: Double) -> Double {
        if a < 10 {
            return a * log(x) - x - logGamma(a)
        }
        // a·log1pmx(u), u = (x−a)/a; far from x ≈ a use a·log(x/a) − (x − a), since 1 + u would cancel near u = −1.
        let u = (x - a) / a
        let core = abs(u) <= 0.5 ? a * log1pmx(u) : a * log(x / a) - (x - a)
        return 0.5 * log(a / (2 * Double.pi)) + core - stirlingError(a)
    }

    /// P(a, x) and Q(a, x) together, the small side computed directly.
    ///
    /// Series for P when x < a + 1, Legendre's continued fraction (modified Lentz) for Q otherwise, with the
    /// power term from `logGammaPowerTerm`. Both converge in O(√a) steps near x ≈ a, bounded by `maxIterations`.
    static func incompleteGamma(_ a: Double, _ x: Double) -> TailPair {
        if a.isNaN || x.isNaN || a < 0 { return .nan }
        if x <= 0 { return .allUpper }
        if a == 0 { return .allLower }
        if x.isInfinite { return a.isInfinite ? .nan : .allLower }
        if a.isInfinite { return .allUpper }
        let logPower = logGammaPowerTerm(a, x)
        let maxIterations = 200 + Int(min(30 * a.squareRoot(), 1e5))
        if x < a + 1 {
            // P = x^a e^(−x)/Γ(a+1) · Σₙ xⁿ / ((a+1)…(a+n))
            var term = 1.0, sum = 1.0, ap = a
            for _ in 0..<maxIterations {
                ap += 1
                term *= x / ap
                sum += term
                if term <= sum * 1e-17 { break }
            }
            return .fromLogLower(logPower - log(a) + log(sum))
        }
        // Q = x^a e^(−x)/Γ(a) · 1/(x+1−a− 1·(1−a)/(x+3−a− 2·(2−a)/(x+5−a− …)))
        let tiny = 1e-300
        var b = x + 1 - a
        var c = 1 / tiny, d = 1 / b, h = d
        for i in 1..<maxIterations {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b
            if abs(d) < tiny { d = tiny }
            c = b + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) <= 1e-16 { break }
        }
        return .fromLogUpper(logPower + log(h))
    }
}
