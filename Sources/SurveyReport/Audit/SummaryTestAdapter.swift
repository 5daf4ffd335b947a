import Foundation

/// The audit's entry to the core's summary-form tests (`FTestSummary`, `TTestSummary`, `ChiSquaredTestSummary`,
/// `ProportionZTest`, `TwoSampleProportionZTest` in `SurveyStats/Statistics`). It only maps "cannot be computed from
/// these published numbers" to nil, so that a malformed published statistic becomes a *not checkable* finding
/// instead of an error; all arithmetic lives in the core.
public enum SummaryTestAdapter {
    /// Upper-tail p of an F statistic: P(F(df1, df2) ≥ f).
    public static func fTestPValue(f: Double, df1: Double, df2: Double) -> Double? {
        guard f.isFinite, let t = try? FTestSummary(f: f, df1: df1, df2: df2) else { return nil }
        return t.pValue
    }

    /// R² implied by the overall F of a regression with df1 predictors and df2 residual df.
    public static func rSquared(f: Double, df1: Double, df2: Double) -> Double? {
        guard f.isFinite, let t = try? FTestSummary(f: f, df1: df1, df2: df2) else { return nil }
        return t.rSquared
    }

    /// Two-sided p of a t statistic.
    public static func tTestPValue(t: Double, df: Double) -> Double? {
        guard t.isFinite, let s = try? TTestSummary(t: t, df: df) else { return nil }
        return s.pValue
    }

    /// Upper-tail p of a χ² statistic.
    public static func chiSquaredPValue(_ x: Double, df: Double) -> Double? {
        guard x.isFinite, let s = try? ChiSquaredTestSummary(chiSquare: x, df: df) else { return nil }
        return s.pValue
    }

    /// One-sample proportion z-test (score form, SE from p0) of an observed share against a population share, both
    /// in [0, 1]. Returns z and the two-sided p.
    public static func oneSampleProportionZ(observed: Double, p0: Double, n: Int) -> (z: Double, p: Double)? {
        guard n > 0, p0 > 0, p0 < 1, observed >= 0, observed <= 1,
              let t = try? ProportionZTest(proportion: observed, n: Double(n), p0: p0, variance: .null) else { return nil }
        return (t.statistic, t.pValue)
    }

    /// Two-sample proportion z-test with the pooled standard error. Returns z and the two-sided p.
    public static func twoProportionZ(p1: Double, n1: Int, p2: Double, n2: Int) -> (z: Double, p: Double)? {
        guard n1 > 0, n2 > 0,
              let t = try? TwoSampleProportionZTest(proportion1: p1, n1: Double(n1), proportion2: p2, n2: Double(n2),
                                                    pooled: true), t.statistic.isFinite else { return nil }
        return (t.statistic, t.pValue)
    }
}
