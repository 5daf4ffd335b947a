import Foundation

/// How the standard error of a one-sample proportion z-test is formed.
public enum ProportionVariance: String, Sendable, Codable {
    /// SE = √(p₀(1−p₀)/n): the score test (textbook; R `prop.test(correct = FALSE)` squared). Default.
    case null
    /// SE = √(p̂(1−p̂)/n): the Wald test (statsmodels `proportions_ztest` default, `prop_var=False`).
    case sample
}

/// Confidence-interval method for a proportion.
public enum ProportionCIMethod: String, Sendable, Codable {
    /// p̂ ± z√(p̂(1−p̂)/n), clipped to [0, 1] (statsmodels `proportion_confint(method='normal')`).
    case wald
    /// Wilson score interval (statsmodels `method='wilson'`).
    case wilson
}

/// One-sample z-test of a proportion against p₀.
///
/// Constructible from a count (`successes` of `n`) or from a published percentage and n — the report compares its
/// 2019 results with 2011 numbers that survive only as percentages. The count need not be an integer (a percent
/// times n, or a weighted count).
public struct ProportionZTest: HypothesisTest {
    public let proportion: Double
    public let n: Double
    public let nullProportion: Double
    public let variance: ProportionVariance
    public var testName: String { "One-sample proportion z-test" }
    public var successes: Double { proportion * n }
    public var estimate: Double { proportion }
    public var standardError: Double {
        let p = variance == .null ? nullProportion : proportion
        return (p * (1 - p) / n).squareRoot()
    }
    /// z = (p̂ − p₀)/SE (±inf when SE = 0 and p̂ ≠ p₀, NaN when p̂ = p₀ and SE = 0).
    public var statistic: Double { (proportion - nullProportion) / standardError }
    public var z: Double { statistic }
    public func pValue(tail: Tail) -> Double { normalPValue(statistic, tail: tail) }
    /// Cohen's h = 2 asin √p̂ − 2 asin √p₀.
    public var cohensH: Double { 2 * asin(proportion.squareRoot()) - 2 * asin(nullProportion.squareRoot()) }
    /// None: z is referred to the standard normal.
    public var degreesOfFreedom: [Double] { [] }
    /// Cohen's h.
    public var effectSize: EffectSize? { EffectSize(name: "Cohen's h", value: cohensH) }

    public init(successes: Double, n: Double, p0: Double, variance: ProportionVariance = .null) throws {
        guard n > 0, n.isFinite else { throw StatisticsError.tooFewObservations(what: "proportion z-test", needed: 1, got: 0) }
        guard successes >= 0, successes <= n else {
            throw StatisticsError.invalidArgument("proportion z-test: \(successes) successes out of \(n)")
        }
        guard p0 > 0, p0 < 1 else { throw StatisticsError.invalidArgument("proportion z-test: p0 must be in (0, 1), got \(p0)") }
        self.proportion = successes / n; self.n = n; self.nullProportion = p0; self.variance = variance
    }
    public init(successes: Int, n: Int, p0: Double, variance: ProportionVariance = .null) throws {
        try self.init(successes: Double(successes), n: Double(n), p0: p0, variance: variance)
    }
    /// From a proportion in [0, 1] and n.
    public init(proportion: Double, n: Double, p0: Double, variance: ProportionVariance = .null) throws {
        guard proportion >= 0, proportion <= 1 else {
            throw StatisticsError.invalidArgument("proportion z-test: proportion must be in [0, 1], got \(proportion)")
        }
        try self.init(successes: proportion * n, n: n, p0: p0, variance: variance)
    }
    /// From a published percentage (0–100) and n; `p0Percent` likewise in percent.
    public init(percent: Double, n: Double, p0Percent: Double, variance: ProportionVariance = .null) throws {
        try self.init(proportion: percent / 100, n: n, p0: p0Percent / 100, variance: variance)
    }

    /// CI for the proportion (Wilson by default); `.left`/`.right` give the one-sided intervals matching those
    /// tails, as `TTest.confidenceInterval(level:tail:)` does, with the open end at the edge of [0, 1].
    public func confidenceInterval(level: Double = 0.95, method: ProportionCIMethod = .wilson,
                                   tail: Tail = .both) -> ConfidenceInterval {
        proportionCI(proportion, n: n, level: level, method: method, tail: tail)
    }

    public var description: String {
        """
        \(testName)
          p̂ = \(formatStat(proportion)) (n = \(formatStat(n))), p₀ = \(formatStat(nullProportion)), SE (\(variance.rawValue)) = \(formatStat(standardError))
          z = \(formatStat(statistic)), p (two-sided) = \(formatP(pValue)) \(stars)
          \(confidenceInterval(level: 0.95)) (Wilson), Cohen's h = \(formatStat(cohensH))
        """
    }
}

/// Two-sample z-test for the difference of two proportions, H₀: p₁ = p₂.
///
/// Pooled SE (default) = √(p̄(1−p̄)(1/n₁ + 1/n₂)), p̄ = (x₁ + x₂)/(n₁ + n₂): statsmodels
/// `proportions_ztest([x1, x2], [n1, n2])`, R `prop.test(correct = FALSE)` (z² = X²). The unpooled SE
/// √(p₁(1−p₁)/n₁ + p₂(1−p₂)/n₂) is available with `pooled: false`. The CI of p₁ − p₂ is the Wald (unpooled)
/// interval.
public struct TwoSampleProportionZTest: HypothesisTest {
    public let proportion1: Double
    public let n1: Double
    public let proportion2: Double
    public let n2: Double
    public let pooled: Bool
    public var testName: String { "Two-sample proportion z-test (\(pooled ? "pooled" : "unpooled") SE)" }
    public var difference: Double { proportion1 - proportion2 }
    public var pooledProportion: Double { (proportion1 * n1 + proportion2 * n2) / (n1 + n2) }
    public var standardError: Double {
        if pooled {
            let p = pooledProportion
            return (p * (1 - p) * (1 / n1 + 1 / n2)).squareRoot()
        }
        return unpooledStandardError
    }
    var unpooledStandardError: Double {
        (proportion1 * (1 - proportion1) / n1 + proportion2 * (1 - proportion2) / n2).squareRoot()
    }
    public var statistic: Double { difference / standardError }
    public var z: Double { statistic }
    public func pValue(tail: Tail) -> Double { normalPValue(statistic, tail: tail) }
    /// Cohen's h = 2 asin √p₁ − 2 asin √p₂.
    public var cohensH: Double { 2 * asin(proportion1.squareRoot()) - 2 * asin(proportion2.squareRoot()) }
    /// None: z is referred to the standard normal.
    public var degreesOfFreedom: [Double] { [] }
    /// Cohen's h.
    public var effectSize: EffectSize? { EffectSize(name: "Cohen's h", value: cohensH) }

    public init(successes1: Double, n1: Double, successes2: Double, n2: Double, pooled: Bool = true) throws {
        for (x, n, i) in [(successes1, n1, 1), (successes2, n2, 2)] {
            guard n > 0, n.isFinite else { throw StatisticsError.tooFewObservations(what: "proportion z-test sample \(i)", needed: 1, got: 0) }
            guard x >= 0, x <= n else { throw StatisticsError.invalidArgument("proportion z-test sample \(i): \(x) successes out of \(n)") }
        }
        proportion1 = successes1 / n1; self.n1 = n1
        proportion2 = successes2 / n2; self.n2 = n2
        self.pooled = pooled
    }
    public init(successes1: Int, n1: Int, successes2: Int, n2: Int, pooled: Bool = true) throws {
        try self.init(successes1: Double(successes1), n1: Double(n1), successes2: Double(successes2), n2: Double(n2), pooled: pooled)
    }
    /// From proportions in [0, 1] and sizes, e.g. `prop-test --p1 0.74 --n1 104 --p2 0.56 --n2 150`.
    public init(proportion1: Double, n1: Double, proportion2: Double, n2: Double, pooled: Bool = true) throws {
        for p in [proportion1, proportion2] where !(p >= 0 && p <= 1) {
            throw StatisticsError.invalidArgument("proportion z-test: proportion must be in [0, 1], got \(p)")
        }
        try self.init(successes1: proportion1 * n1, n1: n1, successes2: proportion2 * n2, n2: n2, pooled: pooled)
    }
    /// From published percentages (0–100), e.g. 2019 "74 %" of 104 vs 2011 "56 %" of 150.
    public init(percent1: Double, n1: Double, percent2: Double, n2: Double, pooled: Bool = true) throws {
        try self.init(proportion1: percent1 / 100, n1: n1, proportion2: percent2 / 100, n2: n2, pooled: pooled)
    }

    /// Wald CI of p₁ − p₂ (unpooled SE), statsmodels `confint_proportions_2indep(method='wald')`. `.left`/`.right`
    /// give the one-sided intervals matching those tails (all of α in one tail, as `TTest.confidenceInterval(level:tail:)`);
    /// their open end is −1 or 1, the edge of the difference's range, as a one-sample interval's is 0 or 1.
    /// The bounds are clipped to [−1, 1], the range of p₁ − p₂ (the Wald interval can overshoot it for
    /// proportions near 0 or 1 in small samples), as `proportionCI(method: .wald)` clips to [0, 1].
    public func confidenceInterval(level: Double = 0.95, tail: Tail = .both) -> ConfidenceInterval {
        guard checkLevel(level) else { return ConfidenceInterval(lower: .nan, upper: .nan, level: level) }
        let q = NormalDistribution.standard.inverseSF(tail == .both ? (1 - level) / 2 : 1 - level)
        let se = unpooledStandardError
        return ConfidenceInterval(lower: tail == .left ? -1 : Swift.max(-1, difference - q * se),
                                  upper: tail == .right ? 1 : Swift.min(1, difference + q * se), level: level)
    }

    public var description: String {
        """
        \(testName)
          p₁ = \(formatStat(proportion1)) (n = \(formatStat(n1))), p₂ = \(formatStat(proportion2)) (n = \(formatStat(n2))), difference \(formatStat(difference))
          z = \(formatStat(statistic)), p (two-sided) = \(formatP(pValue)) \(stars)
          \(confidenceInterval(level: 0.95)) (Wald), Cohen's h = \(formatStat(cohensH))
        """
    }
}

/// Confidence interval for a single proportion. `tail` `.both` is the two-sided interval; `.right` (alternative
/// "greater") the one-sided [lower, 1] and `.left` ("less") [0, upper], each bound taken with all of α in its
/// tail (z = z₁₋α), as statsmodels' two-sided interval at level 1 − 2α gives it.
public func proportionCI(_ p: Double, n: Double, level: Double = 0.95, method: ProportionCIMethod = .wilson,
                         tail: Tail = .both) -> ConfidenceInterval {
    guard checkLevel(level), n > 0 else { return ConfidenceInterval(lower: .nan, upper: .nan, level: level) }
    let z = NormalDistribution.standard.inverseSF(tail == .both ? (1 - level) / 2 : 1 - level)
    var lower: Double, upper: Double
    switch method {
    case .wald:
        // Clipped to [0, 1] as statsmodels `proportion_confint(method='normal')` does.
        let h = z * (p * (1 - p) / n).squareRoot()
        lower = Swift.max(0, p - h); upper = Swift.min(1, p + h)
    case .wilson:
        let z2 = z * z
        let center = (p + z2 / (2 * n)) / (1 + z2 / n)
        let h = z / (1 + z2 / n) * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot()
        // At p̂ = 0 the lower end is 0 exactly (the score test never rejects p = 0 when no success was seen), and
        // at p̂ = 1 the upper end is 1; center − h cancels there to a rounding residue (1.4e-17 for 0 of 20).
        // Elsewhere the bounds lie inside (0, 1) mathematically; the clip only removes rounding excursions.
        lower = p == 0 ? 0 : Swift.max(0, center - h)
        upper = p == 1 ? 1 : Swift.min(1, center + h)
    }
    if tail == .left { lower = 0 }
    if tail == .right { upper = 1 }
    return ConfidenceInterval(lower: lower, upper: upper, level: level)
}
