import Foundation

/// Normal distribution N(mean, sd²).
///
/// `sf`/`cdf` use glibc's `erfc` (a few ulp); `logSF`/`logCDF` continue past the underflow point (z > 38.4) with
/// the asymptotic Mills-ratio series; `quantile` starts from Acklam's rational approximation and polishes it with
/// Halley steps on log Φ (erf-based near the centre), so it is accurate to full precision for p down to 1e-300.
/// An invalid `sd` (≤ 0 or NaN) makes every function return NaN.
public struct NormalDistribution: ContinuousDistribution {
    public let mean: Double
    public let sd: Double
    public init(mean: Double = 0, sd: Double = 1) { self.mean = mean; self.sd = sd }
    public static let standard = NormalDistribution()

    private var isValid: Bool { sd > 0 && sd.isFinite && mean.isFinite }
    private func z(_ x: Double) -> Double { isValid ? (x - mean) / sd : .nan }

    public func pdf(_ x: Double) -> Double { exp(logPDF(x)) }
    public func logPDF(_ x: Double) -> Double {
        let z = z(x)
        return -0.5 * z * z - SpecialFunctions.halfLog2Pi - log(sd)
    }
    public func cdf(_ x: Double) -> Double { Self.standardSF(-z(x)) }
    public func sf(_ x: Double) -> Double { Self.standardSF(z(x)) }
    public func logCDF(_ x: Double) -> Double { Self.standardLogSF(-z(x)) }
    public func logSF(_ x: Double) -> Double { Self.standardLogSF(z(x)) }

    public func quantile(_ p: Double) -> Double {
        guard isValid else { return .nan }
        return mean + sd * Self.standardQuantile(p)
    }
    public func inverseSF(_ q: Double) -> Double {
        guard isValid else { return .nan }
        return mean - sd * Self.standardQuantile(q)
    }

    // MARK: - Standard normal kernels

    /// P(Z > z) = erfc(z/√2)/2.
    static func standardSF(_ z: Double) -> Double {
        0.5 * erfc(z * 0.707_106_781_186_547_524_400_844_362_104_85)
    }

    /// log P(Z > z), finite far beyond the point where P underflows.
    static func standardLogSF(_ z: Double) -> Double {
        if z.isNaN { return .nan }
        if z < -1 { return log1p(-standardSF(-z)) }
        if z < 37 { return log(standardSF(z)) }
        if z.isInfinite { return -.infinity }
        // Mills ratio: P(Z > z) = φ(z)/z · (1 − 1/z² + 3/z⁴ − 15/z⁶ + …); 10 terms are < 1e-20 at z ≥ 37.
        let r = 1 / (z * z)
        var term = 1.0, sum = 1.0
        for k in 1...10 {
            term *= -Double(2 * k - 1) * r
            sum += term
        }
        return -0.5 * z * z - log(z) - SpecialFunctions.halfLog2Pi + log(sum)
    }

    /// Φ⁻¹(p): Acklam's approximation (relative error 1.2e-9) refined by Halley steps.
    static func standardQuantile(_ p: Double) -> Double {
        if p.isNaN || p < 0 || p > 1 { return .nan }
        if p == 0 { return -.infinity }
        if p == 1 { return .infinity }
        if p == 0.5 { return 0 }
        if p > 0.5 { return -lowerQuantile(1 - p) }   // 1 − p is exact for p ≥ ½
        return lowerQuantile(p)
    }

    /// Φ⁻¹(p) for 0 < p < ½.
    private static func lowerQuantile(_ p: Double) -> Double {
        var x = acklam(p)
        if p > 0.25 {
            // Centre: solve erf(x/√2)/2 = p − ½ (exact), which keeps relative accuracy for x near 0.
            let target = p - 0.5
            for _ in 0..<8 {
                let f = 0.5 * erf(x * 0.707_106_781_186_547_524_400_844_362_104_85) - target
                let phi = exp(-0.5 * x * x - SpecialFunctions.halfLog2Pi)
                let dx = f / phi / (1 + 0.5 * x * f / phi)   // Halley
                x -= dx
                if abs(dx) <= 1e-16 * abs(x) { break }
            }
            return x
        }
        // Tails: Halley on f(x) = log Φ(x) − log p, f' = r = φ/Φ, f'' = −r(x + r).
        let logP = log(p)
        for _ in 0..<8 {
            let logCdf = standardLogSF(-x)
            let f = logCdf - logP
            let r = exp(-0.5 * x * x - SpecialFunctions.halfLog2Pi - logCdf)
            let dx = (f / r) / (1 + 0.5 * f * (x + r) / r)
            x -= dx
            if abs(dx) <= 1e-16 * abs(x) { break }
        }
        return x
    }

    /// Acklam's rational approximation to Φ⁻¹(p), 0 < p ≤ ½.
    private static func acklam(_ p: Double) -> Double {
        let a = (-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00)
        let b = (-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                 6.680131188771972e+01, -1.328068155288572e+01)
        let c = (-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                 -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00)
        let d = (7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00)
        if p < 0.02425 {
            let q = (-2 * log(p)).squareRoot()
            let num = ((((c.0 * q + c.1) * q + c.2) * q + c.3) * q + c.4) * q + c.5
            let den = (((d.0 * q + d.1) * q + d.2) * q + d.3) * q + 1
            return num / den
        }
        let q = p - 0.5, r = q * q
        let num = (((((a.0 * r + a.1) * r + a.2) * r + a.3) * r + a.4) * r + a.5) * q
        let den = ((((b.0 * r + b.1) * r + b.2) * r + b.3) * r + b.4) * r + 1
        return num / den
    }
}
