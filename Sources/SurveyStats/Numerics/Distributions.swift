import Foundation

/// Normal distribution N(mean, sd²).
public struct NormalDistribution: ContinuousDistribution {
    public let mean: Double
    public let sd: Double
    public init(mean: Double = 0, sd: Double = 1) { self.mean = mean; self.sd = sd }
    public static let standard = NormalDistribution()

    public func pdf(_ x: Double) -> Double {
        let z = (x - mean) / sd
        return exp(-0.5 * z * z) / (sd * (2 * Double.pi).squareRoot())
    }
    public func cdf(_ x: Double) -> Double { 0.5 * erfc(-(x - mean) / sd / 2.0.squareRoot()) }
    public func sf(_ x: Double) -> Double { 0.5 * erfc((x - mean) / sd / 2.0.squareRoot()) }
    public func quantile(_ p: Double) -> Double {
        if p <= 0 { return -.infinity }
        if p >= 1 { return .infinity }
        if p > 0.5 { return mean + sd * -NormalDistribution.standard.quantile(1 - p) }
        let z = solveMonotone(p, lo: -40, hi: 0) { NormalDistribution.standard.cdf($0) }
        return mean + sd * z
    }
    public func inverseSF(_ q: Double) -> Double { 2 * mean - quantile(q) }
}

/// Student's t distribution with `df` degrees of freedom (df may be fractional, e.g. Welch).
public struct StudentTDistribution: ContinuousDistribution {
    public let df: Double
    public init(df: Double) { precondition(df > 0, "t distribution needs df > 0"); self.df = df }

    public func pdf(_ x: Double) -> Double {
        let lg = SpecialFunctions.logGamma((df + 1) / 2) - SpecialFunctions.logGamma(df / 2)
        return exp(lg - 0.5 * log(df * Double.pi) - (df + 1) / 2 * log1p(x * x / df))
    }
    public func cdf(_ x: Double) -> Double { sf(-x) }
    public func sf(_ x: Double) -> Double {
        if x.isNaN { return .nan }
        let tail = 0.5 * SpecialFunctions.regularizedBeta(df / (df + x * x), a: df / 2, b: 0.5)
        return x >= 0 ? tail : 1 - tail
    }
    public func quantile(_ p: Double) -> Double { -inverseSF(p) }
    public func inverseSF(_ q: Double) -> Double {
        if q <= 0 { return .infinity }
        if q >= 1 { return -.infinity }
        if q > 0.5 { return -inverseSF(1 - q) }
        return solveMonotone(q, lo: 0, hi: 1e300, decreasing: true) { sf($0) }
    }
}

/// F distribution with (df1, df2) degrees of freedom.
public struct FDistribution: ContinuousDistribution {
    public let df1: Double
    public let df2: Double
    public init(df1: Double, df2: Double) {
        precondition(df1 > 0 && df2 > 0, "F distribution needs positive df")
        self.df1 = df1; self.df2 = df2
    }
    public func pdf(_ x: Double) -> Double {
        if x <= 0 { return 0 }
        let lb = SpecialFunctions.logGamma(df1 / 2) + SpecialFunctions.logGamma(df2 / 2) - SpecialFunctions.logGamma((df1 + df2) / 2)
        return exp(0.5 * df1 * log(df1 * x) + 0.5 * df2 * log(df2) - 0.5 * (df1 + df2) * log(df1 * x + df2) - lb) / x
    }
    public func cdf(_ x: Double) -> Double {
        if x <= 0 { return 0 }
        return SpecialFunctions.regularizedBeta(df1 * x / (df1 * x + df2), a: df1 / 2, b: df2 / 2)
    }
    public func sf(_ x: Double) -> Double {
        if x <= 0 { return 1 }
        return SpecialFunctions.regularizedBeta(df2 / (df2 + df1 * x), a: df2 / 2, b: df1 / 2)
    }
    public func quantile(_ p: Double) -> Double {
        if p <= 0 { return 0 }
        if p >= 1 { return .infinity }
        return solveMonotone(p, lo: 0, hi: 1e300) { cdf($0) }
    }
    public func inverseSF(_ q: Double) -> Double {
        if q >= 1 { return 0 }
        if q <= 0 { return .infinity }
        return solveMonotone(q, lo: 0, hi: 1e300, decreasing: true) { sf($0) }
    }
}

/// χ² distribution with `df` degrees of freedom.
public struct ChiSquaredDistribution: ContinuousDistribution {
    public let df: Double
    public init(df: Double) { precondition(df > 0, "χ² distribution needs df > 0"); self.df = df }
    public func pdf(_ x: Double) -> Double {
        if x <= 0 { return 0 }
        let k = df / 2
        return exp((k - 1) * log(x) - x / 2 - k * log(2) - SpecialFunctions.logGamma(k))
    }
    public func cdf(_ x: Double) -> Double { SpecialFunctions.regularizedGammaP(df / 2, x / 2) }
    public func sf(_ x: Double) -> Double { SpecialFunctions.regularizedGammaQ(df / 2, x / 2) }
    public func quantile(_ p: Double) -> Double {
        if p <= 0 { return 0 }
        if p >= 1 { return .infinity }
        return solveMonotone(p, lo: 0, hi: 1e300) { cdf($0) }
    }
    public func inverseSF(_ q: Double) -> Double {
        if q >= 1 { return 0 }
        if q <= 0 { return .infinity }
        return solveMonotone(q, lo: 0, hi: 1e300, decreasing: true) { sf($0) }
    }
}
