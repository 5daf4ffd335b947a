import Foundation

/// A complementary pair of probabilities (lower + upper = 1) with their logarithms.
///
/// Whichever side is small is computed directly (never as 1 − the other), and its logarithm is kept even when
/// the probability itself underflows a Double (e.g. χ².sf(2000, 10) ≈ 2e-424), so `logSF` stays finite and accurate.
struct TailPair: Sendable {
    var lower: Double
    var upper: Double
    var logLower: Double
    var logUpper: Double

    static let nan = TailPair(lower: .nan, upper: .nan, logLower: .nan, logUpper: .nan)
    static let allLower = TailPair(lower: 1, upper: 0, logLower: 0, logUpper: -.infinity)
    static let allUpper = TailPair(lower: 0, upper: 1, logLower: -.infinity, logUpper: 0)

    /// Builds the pair from the directly computed log of the lower probability.
    static func fromLogLower(_ logLower: Double) -> TailPair {
        let lower = exp(logLower)
        return TailPair(lower: lower, upper: -expm1(logLower), logLower: logLower, logUpper: log1mexp(logLower))
    }

    /// Builds the pair from the directly computed log of the upper probability.
    static func fromLogUpper(_ logUpper: Double) -> TailPair {
        let f = fromLogLower(logUpper)
        return TailPair(lower: f.upper, upper: f.lower, logLower: f.logUpper, logUpper: f.logLower)
    }

    /// Swaps the roles of lower and upper (I_x(a,b) ↔ I_y(b,a)).
    var swapped: TailPair { TailPair(lower: upper, upper: lower, logLower: logUpper, logUpper: logLower) }

    /// Folds a two-sided probability w (lower) into one tail: (w/2, 1 − w/2). Used by the t distribution.
    var halvedLower: TailPair {
        TailPair(lower: 0.5 * lower, upper: 0.5 + 0.5 * upper,
                 logLower: logLower - M_LN2, logUpper: log1p(-0.5 * lower))
    }
}

/// log(1 − e^x) for x ≤ 0, accurate on both ends (Mächler's log1mexp).
@inline(__always)
func log1mexp(_ x: Double) -> Double {
    if x > -M_LN2 { return log(-expm1(x)) }
    return log1p(-exp(x))
}
