import Foundation

/// χ² distribution with `df` degrees of freedom (df may be fractional). An invalid df (≤ 0 or NaN) makes every
/// function return NaN.
///
/// cdf/sf are P(df/2, x/2) and Q(df/2, x/2) from `SpecialFunctions.incompleteGamma`, the small side computed
/// directly; `logSF` stays finite where sf underflows (χ².sf(2000, 10) ≈ 1.6e-424).
public struct ChiSquaredDistribution: ContinuousDistribution {
    public let df: Double
    public init(df: Double) { self.df = df }

    private var isValid: Bool { df > 0 && df.isFinite }

    public func pdf(_ x: Double) -> Double { exp(logPDF(x)) }
    public func logPDF(_ x: Double) -> Double {
        guard isValid, !x.isNaN else { return .nan }
        if x < 0 || x.isInfinite { return -.infinity }
        if x == 0 { return df < 2 ? .infinity : (df == 2 ? -M_LN2 : -.infinity) }
        // f(x) = (x/2)^k e^(−x/2) / Γ(k) / x with k = df/2.
        return SpecialFunctions.logGammaPowerTerm(0.5 * df, 0.5 * x) - log(x)
    }

    public func cdf(_ x: Double) -> Double { tails(x).lower }
    public func sf(_ x: Double) -> Double { tails(x).upper }
    public func logCDF(_ x: Double) -> Double { tails(x).logLower }
    public func logSF(_ x: Double) -> Double { tails(x).logUpper }

    func tails(_ x: Double) -> TailPair {
        guard isValid, !x.isNaN else { return .nan }
        if x <= 0 { return .allUpper }
        return SpecialFunctions.incompleteGamma(0.5 * df, 0.5 * x)
    }

    public func quantile(_ p: Double) -> Double {
        QuantileSolver.positiveSupportInverse(p, lowerTail: true, isValid: isValid, guess: initialGuess,
                                              tails: tails, logPDF: logPDF)
    }

    public func inverseSF(_ q: Double) -> Double {
        QuantileSolver.positiveSupportInverse(q, lowerTail: false, isValid: isValid, guess: initialGuess,
                                              tails: tails, logPDF: logPDF)
    }

    /// Candidates: Wilson–Hilferty, the lower power law P ≈ (x/2)^k/Γ(k+1), and for the upper tail the
    /// exponential law Q ≈ (x/2)^(k−1) e^(−x/2)/Γ(k) solved by two fixed-point steps.
    private func initialGuess(_ p: Double, lowerTail: Bool) -> Double {
        let k = 0.5 * df
        let z = lowerTail ? NormalDistribution.standardQuantile(p) : -NormalDistribution.standardQuantile(p)
        let h = 2 / (9 * df)
        let wh = 1 - h + z * h.squareRoot()
        let wilsonHilferty = df * wh * wh * wh
        let logP = log(p)
        let other: Double
        if lowerTail {
            other = 2 * exp((logP + SpecialFunctions.logGamma(k + 1)) / k)
        } else {
            var x = max(2 * k, -2 * logP)
            for _ in 0..<2 { x = 2 * ((k - 1) * log(0.5 * x) - SpecialFunctions.logGamma(k) - logP) }
            other = x
        }
        return QuantileSolver.bestGuess(wilsonHilferty, other, logTarget: logP) { x in
            lowerTail ? tails(x).logLower : tails(x).logUpper
        }
    }
}
