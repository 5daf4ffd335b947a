import Foundation

// Statistic → p-value, in one place, for every test type and for the audit's statcheck-style recomputation.
// Each tail is read straight off the distribution's survival function or cdf (never as 1 − the other), so tiny
// p-values (1e-200) and p-values next to 1 keep their relative accuracy.
//
// Tail conventions:
// - t and z are symmetric: `.both` is P(|T| ≥ |t|), `.right` P(T ≥ t), `.left` P(T ≤ t).
// - F and χ² are one-sided by nature (large values speak against H₀): `.right` and `.both` are the upper tail
//   P(X ≥ x), the usual p-value; `.left` is the lower tail P(X ≤ x) (e.g. to ask whether a fit is "too good",
//   or a variance ratio is small). There is no two-sided F/χ² p-value here: doubling the smaller tail is a
//   different test and is left to the caller.

/// p-value of a t statistic for the given tail (NaN for NaN t; df = inf uses the normal distribution). t = ±∞
/// has tail probabilities 0 and 1 for every df > 0, so it gets them also when df is undefined (Welch's 0/0 when
/// neither sample varies).
public func tDistributionPValue(_ t: Double, df: Double, tail: Tail) -> Double {
    if t.isInfinite && (df > 0 || df.isNaN) {
        switch tail {
        case .both: return 0
        case .right: return t > 0 ? 0 : 1
        case .left: return t < 0 ? 0 : 1
        }
    }
    guard !t.isNaN, df > 0, !df.isNaN else { return .nan }
    if df.isInfinite { return normalPValue(t, tail: tail) }
    switch tail {
    case .both: return twoSidedTPValue(t, df: df)
    // One-sided tails straight from the survival function / cdf (each computed directly, no 1 − p).
    case .right: return StudentTDistribution(df: df).sf(t)
    case .left: return StudentTDistribution(df: df).cdf(t)
    }
}

/// P(|T| ≥ |t|), from the distribution's two-sided survival function, which evaluates the smaller of
/// I_x(df/2, ½) and I_y(½, df/2) directly from t and df. (Passing a rounded df/(df+t²) to the incomplete beta loses
/// ~1e-11 relative at df = 1e6.)
func twoSidedTPValue(_ t: Double, df: Double) -> Double {
    StudentTDistribution(df: df).twoSidedSF(t)
}

/// p-value of a standard-normal statistic for the given tail.
public func normalPValue(_ z: Double, tail: Tail) -> Double {
    guard !z.isNaN else { return .nan }
    let n = NormalDistribution.standard
    switch tail {
    case .both: return Swift.min(1, 2 * n.sf(abs(z)))
    case .right: return n.sf(z)
    case .left: return n.sf(-z)
    }
}

/// p-value of an F statistic: the upper tail P(F ≥ f) for `.right` and `.both` (the default, the usual F-test
/// p-value), the lower tail P(F ≤ f) for `.left`. F = ∞ has upper tail 0 and lower tail 1; NaN for NaN F or
/// invalid df. df₂ = ∞ uses the limit df₁·F ~ χ²(df₁).
public func fDistributionPValue(_ f: Double, df1: Double, df2: Double, tail: Tail = .right) -> Double {
    guard !f.isNaN, df1 > 0, df2 > 0 else { return .nan }
    let upper = tail != .left
    if f == .infinity { return upper ? 0 : 1 }
    if df2.isInfinite {
        let chi = ChiSquaredDistribution(df: df1)
        return upper ? chi.sf(f * df1) : chi.cdf(f * df1)
    }
    let dist = FDistribution(df1: df1, df2: df2)
    return upper ? dist.sf(f) : dist.cdf(f)
}

/// p-value of a χ² statistic: the upper tail P(X ≥ x) for `.right` and `.both` (the default, the usual χ²-test
/// p-value), the lower tail P(X ≤ x) for `.left`. χ² = ∞ has upper tail 0 and lower tail 1; NaN for a NaN
/// statistic or df ≤ 0.
public func chiSquaredPValue(_ x: Double, df: Double, tail: Tail = .right) -> Double {
    guard !x.isNaN, df > 0 else { return .nan }
    let upper = tail != .left
    if x == .infinity { return upper ? 0 : 1 }
    let dist = ChiSquaredDistribution(df: df)
    return upper ? dist.sf(x) : dist.cdf(x)
}

/// *** p<.001, ** p<.01, * p<.05, else "".
public func significanceStars(_ p: Double) -> String {
    if p < 0.001 { return "***" }
    if p < 0.01 { return "**" }
    if p < 0.05 { return "*" }
    return ""
}
