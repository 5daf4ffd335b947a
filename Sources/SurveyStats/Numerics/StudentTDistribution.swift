import Foundation

/// Student's t distribution with `df` degrees of freedom (df may be fractional, e.g. Welch; df = +∞ gives the
/// standard normal). An invalid df (≤ 0 or NaN) makes every function return NaN.
///
/// The tail is ½·I_x(df/2, ½) with x = df/(df+t²) and y = t²/(df+t²) both formed directly, and the deviation
/// x·½ − y·df/2 = ½·x·(1−t)(1+t) passed exactly, so even df = 1e6 keeps full relative accuracy (no normal
/// approximation, no 1 − x cancellation).
public struct StudentTDistribution: ContinuousDistribution {
    public let df: Double
    public init(df: Double) { self.df = df }

    private var isValid: Bool { df > 0 }
    /// Beyond 1e25 the t distribution equals the normal to far below double precision (relative difference
    /// ≈ t⁴/(4·df) < 1e-19 even at t = 37), and the incomplete beta's parameters would be needlessly extreme.
    private var isNormal: Bool { df > 1e25 }

    public func pdf(_ t: Double) -> Double { exp(logPDF(t)) }
    public func logPDF(_ t: Double) -> Double {
        guard isValid, !t.isNaN else { return .nan }
        if isNormal { return NormalDistribution.standard.logPDF(t) }
        if t.isInfinite { return -.infinity }
        // −(df+1)/2 · log(1 + t²/df) − ½log df − log B(df/2, ½)
        let t2df = t * t / df
        let logKernel = t2df.isFinite ? log1p(t2df) : 2 * log(abs(t)) - log(df)
        return -0.5 * (df + 1) * logKernel - 0.5 * log(df) - SpecialFunctions.logBeta(0.5 * df, 0.5)
    }

    public func cdf(_ t: Double) -> Double { tails(t).lower }
    public func sf(_ t: Double) -> Double { tails(t).upper }
    public func logCDF(_ t: Double) -> Double { tails(t).logLower }
    public func logSF(_ t: Double) -> Double { tails(t).logUpper }

    /// Two-sided tail P(|T| ≥ |t|) = I_x(df/2, ½), accurate both for tiny p (large |t|) and for p near 1
    /// (|t| near 0), since both sides of the incomplete beta are computed directly. Use this for two-sided
    /// p-values instead of 2·sf(|t|) or `regularizedBeta(df/(df+t²), …)` (the latter loses digits for large df,
    /// where df/(df+t²) rounds).
    public func twoSidedSF(_ t: Double) -> Double {
        guard isValid, !t.isNaN else { return .nan }
        if isNormal { return min(1, 2 * NormalDistribution.standard.sf(abs(t))) }
        if t == 0 { return 1 }
        return Self.twoSided(abs(t), df: df).lower
    }

    /// (P(T ≤ t), P(T > t)) with logs.
    func tails(_ t: Double) -> TailPair {
        guard isValid, !t.isNaN else { return .nan }
        if isNormal {
            return TailPair(lower: NormalDistribution.standard.cdf(t), upper: NormalDistribution.standard.sf(t),
                            logLower: NormalDistribution.standard.logCDF(t), logUpper: NormalDistribution.standard.logSF(t))
        }
        if t == 0 { return TailPair(lower: 0.5, upper: 0.5, logLower: -M_LN2, logUpper: -M_LN2) }
        let upperTail = Self.upperTail(abs(t), df: df)
        return t > 0 ? upperTail : upperTail.swapped
    }

    /// (P(T ≤ t), P(T > t)) for t > 0.
    static func upperTail(_ t: Double, df: Double) -> TailPair {
        // I_x(df/2, ½) is the two-sided tail P(|T| > t); halve it for one side.
        twoSided(t, df: df).halvedLower.swapped
    }

    /// (P(|T| > t), P(|T| ≤ t)) = (I_x(df/2, ½), I_y(½, df/2)) for t > 0, both sides computed directly.
    static func twoSided(_ t: Double, df: Double) -> TailPair {
        if t.isInfinite { return .allUpper }
        var x: Double, y: Double
        let t2 = t * t
        if t2 <= df {
            let r = t2 / df
            x = 1 / (1 + r); y = r / (1 + r)
        } else {
            let r = t2.isFinite ? df / t2 : (df / t) / t
            if r < 1e-280 {
                // x = df/(df+t²) underflows: I_x(df/2, ½) = x^(df/2)/((df/2)·B(df/2, ½))·(1 + O(x)) with
                // log x = log df − 2·log t exactly enough (the O(x) terms are below 1e-280).
                let a = 0.5 * df
                let logX = log(df) - 2 * log(t)
                return .fromLogLower(a * logX - SpecialFunctions.logBeta(a, 0.5) - log(a))
            }
            x = r / (1 + r); y = 1 / (1 + r)
        }
        // x·b − y·a with a = df/2, b = ½: (df/2)(1 − t²)/(df + t²) = ½·x·(1 − t)(1 + t).
        let deviation = 0.5 * ((1 - t) * x) * (1 + t)
        return SpecialFunctions.incompleteBeta(a: 0.5 * df, b: 0.5, x: x, y: y, deviation: deviation)
    }

    public func quantile(_ p: Double) -> Double { -inverseSF(p) }

    public func inverseSF(_ q: Double) -> Double {
        guard isValid, !q.isNaN, q >= 0, q <= 1 else { return .nan }
        if isNormal { return NormalDistribution.standard.inverseSF(q) }
        if q == 0 { return .infinity }
        if q == 1 { return -.infinity }
        if q == 0.5 { return 0 }
        if q > 0.5 { return -inverseSF(1 - q) }   // 1 − q is exact for q ≥ ½
        let df = self.df
        let guess = Self.initialGuess(q, df: df)
        if q > 0.25 {
            // Near the centre solve P(0 < T ≤ t) = ½ − q (exact), which keeps relative accuracy for small t.
            let target = 0.5 - q
            return QuantileSolver.solve(logTarget: log(target), guess: guess, increasing: true) { t in
                // P(0 < T ≤ t) = ½·I_y(½, df/2), computed directly.
                let logCentral = Self.twoSided(t, df: df).logUpper - M_LN2
                let logPdf = StudentTDistribution(df: df).logPDF(t)
                return (logCentral, exp(logPdf + log(t) - logCentral))
            }
        }
        return QuantileSolver.solve(logTarget: log(q), guess: guess, increasing: false) { t in
            let logSF = Self.upperTail(t, df: df).logUpper
            let logPdf = StudentTDistribution(df: df).logPDF(t)
            return (logSF, -exp(logPdf + log(t) - logSF))
        }
    }

    /// Starting point for t with P(T > t) = q ≤ ½: the better of a Cornish–Fisher expansion around the normal
    /// quantile and the power-law tail P(T > t) ≈ K·df^((df−1)/2)·t^(−df), K = 1/(√df·B(df/2, ½)).
    static func initialGuess(_ q: Double, df: Double) -> Double {
        let z = -NormalDistribution.standardQuantile(q)
        let z2 = z * z
        let cornishFisher = z + z * (z2 + 1) / (4 * df) + z * ((5 * z2 + 16) * z2 + 3) / (96 * df * df)
        let logK = -0.5 * log(df) - SpecialFunctions.logBeta(0.5 * df, 0.5)
        let powerTail = exp((logK + 0.5 * (df - 1) * log(df) - log(q)) / df)
        let cfValid = cornishFisher.isFinite && cornishFisher > 0
        let ptValid = powerTail.isFinite && powerTail > 0
        if !cfValid { return ptValid ? powerTail : 1 }
        if !ptValid { return cornishFisher }
        let logQ = log(q)
        let cfError = abs(upperTail(cornishFisher, df: df).logUpper - logQ)
        let ptError = abs(upperTail(powerTail, df: df).logUpper - logQ)
        return cfError <= ptError ? cornishFisher : powerTail
    }
}
