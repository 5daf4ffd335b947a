import Foundation

/// Tests in summary form (from published statistics, no microdata) as the audit needs them.
///
/// This is a thin adapter over the distributions in `SurveyStats/Numerics`: the core's test types
/// (`OneSampleProportionZTest`, `FTest` from summary statistics …) replace these bodies once they are on main; the
/// audit only calls through this adapter so that swap touches one file.
public enum SummaryTestAdapter {
    /// Upper-tail p of an F statistic: P(F(df1, df2) ≥ f).
    public static func fTestPValue(f: Double, df1: Double, df2: Double) -> Double? {
        guard f.isFinite, f >= 0, df1 > 0, df2 > 0 else { return nil }
        return FDistribution(df1: df1, df2: df2).sf(f)
    }

    /// R² implied by the overall F of a regression with df1 predictors and df2 residual df: F·df1 / (F·df1 + df2).
    public static func rSquared(f: Double, df1: Double, df2: Double) -> Double? {
        guard f.isFinite, f >= 0, df1 > 0, df2 > 0 else { return nil }
        return f * df1 / (f * df1 + df2)
    }

    /// Two-sided p of a t statistic.
    public static func tTestPValue(t: Double, df: Double) -> Double? {
        guard t.isFinite, df > 0 else { return nil }
        return 2 * StudentTDistribution(df: df).sf(abs(t))
    }

    /// Upper-tail p of a χ² statistic.
    public static func chiSquaredPValue(_ x: Double, df: Double) -> Double? {
        guard x.isFinite, x >= 0, df > 0 else { return nil }
        return ChiSquaredDistribution(df: df).sf(x)
    }

    /// One-sample proportion z-test of an observed share against a known population share p0 (both in [0, 1]),
    /// with the null standard error √(p0(1 − p0)/n). Returns z and the two-sided p.
    public static func oneSampleProportionZ(observed: Double, p0: Double, n: Int) -> (z: Double, p: Double)? {
        guard n > 0, p0 > 0, p0 < 1, observed >= 0, observed <= 1 else { return nil }
        let se = (p0 * (1 - p0) / Double(n)).squareRoot()
        let z = (observed - p0) / se
        return (z, 2 * NormalDistribution.standard.sf(abs(z)))
    }

    /// Two-sample proportion z-test with the pooled standard error. Returns z and the two-sided p.
    public static func twoProportionZ(p1: Double, n1: Int, p2: Double, n2: Int) -> (z: Double, p: Double)? {
        guard n1 > 0, n2 > 0 else { return nil }
        let pooled = (p1 * Double(n1) + p2 * Double(n2)) / Double(n1 + n2)
        let se = (pooled * (1 - pooled) * (1 / Double(n1) + 1 / Double(n2))).squareRoot()
        guard se > 0 else { return nil }
        let z = (p1 - p2) / se
        return (z, 2 * NormalDistribution.standard.sf(abs(z)))
    }
}
