import Foundation

/// F distribution with (df1, df2) degrees of freedom (fractional allowed). Invalid df (≤ 0 or NaN) make every
/// function return NaN.
///
/// cdf = I_x(df1/2, df2/2) and sf = I_y(df2/2, df1/2) with x = df1·X/(df1·X + df2), y = df2/(df1·X + df2) formed
/// directly and the deviation x·b − y·a = ½·df1·y·(X − 1) passed exactly, so F(1e6, 1e6) keeps full accuracy.
public struct FDistribution: ContinuousDistribution {
    public let df1: Double
    public let df2: Double
    public init(df1: Double, df2: Double) { self.df1 = df1; self.df2 = df2 }

    private var isValid: Bool { df1 > 0 && df2 > 0 && df1.isFinite && df2.isFinite }

    /// x, y and the deviation for the incomplete beta.
    private func betaArguments(_ f: Double) -> (x: Double, y: Double, deviation: Double) {
        let x: Double, y: Double
        if df1 * f <= df2 {
            let r = df1 * f / df2
            x = r / (1 + r); y = 1 / (1 + r)
        } else {
            let r = (df2 / df1) / f
            x = 1 / (1 + r); y = r / (1 + r)
        }
        return (x, y, 0.5 * df1 * y * (f - 1))
    }

    public func pdf(_ x: Double) -> Double { exp(logPDF(x)) }
    public func logPDF(_ f: Double) -> Double {
        guard isValid, !f.isNaN else { return .nan }
        if f < 0 || f.isInfinite { return -.infinity }
        if f == 0 { return df1 < 2 ? .infinity : (df1 == 2 ? 0 : -.infinity) }
        // f(X) = x^a·y^b / B(a, b) / X.
        let (x, y, deviation) = betaArguments(f)
        return SpecialFunctions.logBetaPowerTerm(a: 0.5 * df1, b: 0.5 * df2, x: x, y: y, deviation: deviation) - log(f)
    }

    public func cdf(_ x: Double) -> Double { tails(x).lower }
    public func sf(_ x: Double) -> Double { tails(x).upper }
    public func logCDF(_ x: Double) -> Double { tails(x).logLower }
    public func logSF(_ x: Double) -> Double { tails(x).logUpper }

    func tails(_ f: Double) -> TailPair {
        guard isValid, !f.isNaN else { return .nan }
        if f <= 0 { return .allUpper }
        if f.isInfinite { return .allLower }
        let (x, y, deviation) = betaArguments(f)
        return SpecialFunctions.incompleteBeta(a: 0.5 * df1, b: 0.5 * df2, x: x, y: y, deviation: deviation)
    }

    public func quantile(_ p: Double) -> Double {
        QuantileSolver.positiveSupportInverse(p, lowerTail: true, isValid: isValid, guess: initialGuess,
                                              tails: tails, logPDF: logPDF)
    }

    public func inverseSF(_ q: Double) -> Double {
        QuantileSolver.positiveSupportInverse(q, lowerTail: false, isValid: isValid, guess: initialGuess,
                                              tails: tails, logPDF: logPDF)
    }

    /// Candidates: Paulson's normal approximation to F^(1/3), and the power laws of the incomplete beta near its
    /// ends, I_x(a,b) ≈ x^a/(a·B(a,b)) (lower tail) and I_y(b,a) ≈ y^b/(b·B(a,b)) (upper tail).
    private func initialGuess(_ p: Double, lowerTail: Bool) -> Double {
        let a = 0.5 * df1, b = 0.5 * df2
        let logP = log(p)
        let logB = SpecialFunctions.logBeta(a, b)
        let ratio = df2 / df1
        let powerLaw: Double
        if lowerTail {
            let x = exp((logP + log(a) + logB) / a)
            powerLaw = ratio * x / (1 - x)
        } else {
            let y = exp((logP + log(b) + logB) / b)
            powerLaw = ratio * (1 - y) / y
        }
        // Paulson: z = [(1 − s2)·w − (1 − s1)] / √(s1 + s2·w²), w = F^(1/3), s = 2/(9·df).
        let z = lowerTail ? NormalDistribution.standardQuantile(p) : -NormalDistribution.standardQuantile(p)
        let s1 = 2 / (9 * df1), s2 = 2 / (9 * df2)
        let A = 1 - s2, B = 1 - s1
        let qa = A * A - z * z * s2, qb = -2 * A * B, qc = B * B - z * z * s1
        let disc = qb * qb - 4 * qa * qc
        var paulson = Double.nan
        if qa > 0, disc >= 0 {
            let w = (-qb + (z >= 0 ? 1 : -1) * disc.squareRoot()) / (2 * qa)
            paulson = w * w * w
        }
        return QuantileSolver.bestGuess(paulson, powerLaw, logTarget: logP) { x in
            lowerTail ? tails(x).logLower : tails(x).logUpper
        }
    }
}
