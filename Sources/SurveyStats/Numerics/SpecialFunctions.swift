import Foundation

/// Special functions behind the distributions.
///
/// Everything here is written to keep *relative* accuracy (about 1e-14 or better) in the tails, because p-values
/// are read off these functions: the small side of a complementary pair (P/Q, I/1−I) is always computed directly,
/// never as `1 − (the other side)`, and the power terms x^a·y^b/B(a,b) and x^a·e^(−x)/Γ(a) are evaluated with
/// Stirling-error and `log1pmx` formulas so that large parameters (df up to 1e6 and beyond) lose no digits.
/// See `Numerics/README.md` for the algorithms and the measured accuracy.
public enum SpecialFunctions {
    static let halfLog2Pi = 0.918_938_533_204_672_741_780_329_736_406 // ½·log(2π)

    // MARK: - Gamma and beta functions

    /// log Γ(x) for x > 0 (glibc's `lgamma_r`, which is accurate to a few ulp including near the zeros at 1 and 2).
    /// Returns +∞ at 0 and NaN for NaN; for negative non-integers it returns log|Γ(x)|.
    public static func logGamma(_ x: Double) -> Double {
        var sign: Int32 = 0
        return lgamma_r(x, &sign)
    }

    /// The Stirling error δ(x) = log Γ(x) − [(x − ½)·log x − x + ½·log 2π], for x > 0.
    ///
    /// For x ≥ 10 it is summed from its asymptotic series (so no cancellation between huge log Γ terms); below 10 it
    /// is formed from `lgamma` directly, where the terms are small enough that the absolute error stays ~1e-15.
    public static func stirlingError(_ x: Double) -> Double {
        if x >= 10 {
            // δ(x) = Σ B₂ₖ / (2k(2k−1)·x^(2k−1)); eight terms give < 1e-17 absolute error for x ≥ 10.
            let r = 1 / x, r2 = r * r
            var s = -3617.0 / 122_400
            s = s * r2 + 1.0 / 156
            s = s * r2 - 691.0 / 360_360
            s = s * r2 + 1.0 / 1188
            s = s * r2 - 1.0 / 1680
            s = s * r2 + 1.0 / 1260
            s = s * r2 - 1.0 / 360
            s = s * r2 + 1.0 / 12
            return s * r
        }
        return logGamma(x) - (x - 0.5) * log(x) + x - halfLog2Pi
    }

    /// log B(a, b) = log Γ(a) + log Γ(b) − log Γ(a + b), without the cancellation that the naive formula suffers
    /// when a or b is large (e.g. B(5e5, ½) in the t distribution with df = 1e6).
    public static func logBeta(_ a: Double, _ b: Double) -> Double {
        if a.isNaN || b.isNaN || a < 0 || b < 0 { return .nan }
        let p = min(a, b), q = max(a, b)
        if p == 0 { return .infinity }
        if q.isInfinite { return -.infinity }
        if q < 10 {
            return logGamma(p) + logGamma(q) - logGamma(p + q)
        }
        let corr = stirlingError(q) - stirlingError(p + q)
        if p < 10 {
            // log Γ(q) − log Γ(p+q) = −(p+q−½)·log1p(p/q) − p·log q + p + δ(q) − δ(p+q)
            return logGamma(p) + corr + p - p * log(q) - (p + q - 0.5) * log1p(p / q)
        }
        // Both large: ½log2π − ½log q + (p−½)·log(p/(p+q)) + q·log(q/(p+q)) + δ(p) + δ(q) − δ(p+q)
        return halfLog2Pi - 0.5 * log(q) + (p - 0.5) * log(p / (p + q)) + q * log1p(-p / (p + q))
            + stirlingError(p) + corr
    }

    /// log(1 + x) − x, accurate for small |x| (where it is ≈ −x²/2 and the naive form cancels).
    public static func log1pmx(_ x: Double) -> Double {
        if x.isNaN || x < -1 { return .nan }
        if abs(x) > 0.5 { return log1p(x) - x }
        // log(1+x) = 2·atanh(s), s = x/(2+x); then log(1+x) − x = −s·x + 2·(s³/3 + s⁵/5 + …).
        let s = x / (2 + x), s2 = s * s
        var term = s2 * s, sum = 0.0
        var k = 3.0
        while k < 200 {
            let t = term / k
            sum += t
            if abs(t) <= abs(sum) * 1e-17 { break }
            term *= s2
            k += 2
        }
        return 2 * sum - s * x
    }

    /// The error function (glibc).
    public static func erf(_ x: Double) -> Double { Foundation.erf(x) }
    /// The complementary error function 1 − erf(x), accurate in the right tail (glibc).
    public static func erfc(_ x: Double) -> Double { Foundation.erfc(x) }

    // MARK: - Public incomplete gamma and beta

    /// Regularized lower incomplete gamma P(a, x) = γ(a, x)/Γ(a), for a > 0, x ≥ 0.
    public static func regularizedGammaP(_ a: Double, _ x: Double) -> Double { incompleteGamma(a, x).lower }

    /// Regularized upper incomplete gamma Q(a, x) = 1 − P(a, x), computed directly (accurate when tiny).
    public static func regularizedGammaQ(_ a: Double, _ x: Double) -> Double { incompleteGamma(a, x).upper }

    /// Regularized incomplete beta I_x(a, b), for a, b > 0 and 0 ≤ x ≤ 1.
    public static func regularizedBeta(_ x: Double, a: Double, b: Double) -> Double {
        incompleteBeta(a: a, b: b, x: x, y: 1 - x).lower
    }

    /// Complement 1 − I_x(a, b) = I_{1−x}(b, a), computed without cancellation.
    public static func regularizedBetaComplement(_ x: Double, a: Double, b: Double) -> Double {
        incompleteBeta(a: a, b: b, x: x, y: 1 - x).upper
    }
}
