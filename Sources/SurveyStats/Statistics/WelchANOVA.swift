/// Welch's one-way ANOVA for unequal variances (Welch 1951).
///
/// wᵢ = nᵢ/sᵢ², x̄_w = Σwᵢx̄ᵢ/Σwᵢ, A = Σwᵢ(x̄ᵢ − x̄_w)²/(k−1), λ = Σ(1 − wᵢ/W)²/(nᵢ−1),
/// F = A / (1 + 2(k−2)λ/(k²−1)), df₁ = k − 1, df₂ = (k²−1)/(3λ).
/// Matches statsmodels `anova_oneway(use_var='unequal')` and R `oneway.test(var.equal = FALSE)`.
/// Every group needs n ≥ 2; empty groups are skipped with a note. One group with zero variance (wᵢ = ∞) gives F
/// its limit as that SD → 0 — that group's mean is taken as exact: x̄_w = x̄ᵢ, A = Σ_{j≠i} w_j(x̄_j − x̄ᵢ)²/(k−1),
/// λ = Σ_{j≠i} 1/(n_j−1) — which for two groups is the Welch t-test's t² and df with one SD 0. With two or more
/// such groups the limit depends on how the SDs approach 0, so F is undefined and the test throws.
public struct WelchANOVA: HypothesisTest {
    public let groupNames: [String]
    public let groups: [SampleSummary]
    public let statistic: Double
    public let dfBetween: Double
    public let dfWithin: Double
    public let notes: [String]
    public var testName: String { "Welch one-way ANOVA (unequal variances)" }
    public var f: Double { statistic }
    /// Total number of observations in the groups used.
    public var n: Double { groups.reduce(0) { $0 + $1.n } }
    /// [df₁ = k − 1, Welch's df₂ (fractional)].
    public var degreesOfFreedom: [Double] { [dfBetween, dfWithin] }
    /// Estimated ω² from Welch's F (Carroll & Nordholm 1975, "Sampling characteristics of Kelley's ε and Hays' ω",
    /// Educ. Psychol. Meas. 35(3), 541–554): ω̂² = df₁(F − 1) / (df₁(F − 1) + N), N the total sample size — the
    /// estimator R's WAnova `welch_anova.test(effsize = "CaN")` and MOTE `omega.F` compute. Negative when F < 1
    /// (reported as is, not truncated at 0, like `OneWayANOVA.omegaSquared`).
    public var omegaSquared: Double {
        let a = dfBetween * (statistic - 1)
        return a / (a + n)
    }
    /// ω² (`omegaSquared`): η² has no Welch analogue, since there is no pooled within-group SS.
    public var effectSize: EffectSize? { EffectSize(name: "ω²", value: omegaSquared) }
    /// The upper tail P(F ≥ f) for `.right` and `.both` (the ANOVA p-value), the lower tail for `.left`.
    public func pValue(tail: Tail) -> Double { fDistributionPValue(statistic, df1: dfBetween, df2: dfWithin, tail: tail) }

    public init(summaries: [SampleSummary], names: [String]? = nil) throws {
        // Means relative to a common reference (see `SampleSummary`), so nearly equal large means do not cancel.
        let r0 = summaries.first(where: { $0.n > 0 })?.reference ?? 0
        try self.init(summaries: summaries, names: names, centeredMeans: summaries.map { $0.meanMinus(r0) })
    }

    /// `centeredMeans`: the group means relative to a common shift (from raw data), used in place of
    /// `summaries[i].mean` in the arithmetic so that nearly equal large means do not cancel.
    init(summaries: [SampleSummary], names: [String]?, centeredMeans: [Double]?) throws {
        let names = names ?? OneWayANOVA.defaultGroupNames(summaries.count)
        guard names.count == summaries.count else {
            throw StatisticsError.invalidArgument("Welch ANOVA: \(names.count) group names for \(summaries.count) groups")
        }
        var used = [SampleSummary](), usedNames = [String](), notes = [String](), means = [Double]()
        for (i, (g, name)) in zip(summaries, names).enumerated() {
            if g.n == 0 { notes.append("group '\(name)' has no observations and was skipped"); continue }
            means.append(centeredMeans?[i] ?? g.mean)
            let g = try g.validated("Welch ANOVA group '\(name)'", minimumN: 2)
            used.append(g); usedNames.append(name)
        }
        guard used.count >= 2 else {
            throw StatisticsError.tooFewGroups(what: "Welch ANOVA", needed: 2, got: used.count)
        }
        let constant = used.indices.filter { used[$0].sd == 0 }
        if constant.count > 1 {
            let which = constant.map { "'\(usedNames[$0])'" }.joined(separator: ", ")
            throw StatisticsError.invalidArgument("Welch ANOVA: groups \(which) have zero variance: their weights n/s² are infinite "
                + "and Welch's F depends on how the SDs approach 0, so it is undefined (the classic ANOVA is defined)")
        }
        let k = Double(used.count)
        // Weights nᵢ/sᵢ² relative to the largest SD m (wᵢ·m² = nᵢ/(sᵢ/m)²): only ratios wᵢ/W enter x̄_w and λ,
        // and the deviations x̄ᵢ − x̄_w are divided by m before they are squared, so SDs of 1e-90 or 1e160 (sᵢ² under- or overflowing) still work.
        let m0 = used.map(\.sd).max()!
        let largestMean = means.map(abs).filter(\.isFinite).max() ?? 0
        if let z = constant.first {
            // Means and m times c, a power of two: 1 unless differences of means near ±1.8e308 could overflow.
            let c = DescriptiveStatistics.inputScale(largestMean, exponentOfTotal: 2)
            let m = m0 * c, scaledMeans = means.map { $0 * c }
            // The limit as s_z → 0 (see the type's comment): the other groups measured against group z's mean.
            let others = used.indices.filter { $0 != z }
            let w = others.map { j in let r = used[j].sd / m0; return used[j].n / (r * r) }
            let a = CompensatedSum.sum(zip(w, others).map { let d = (scaledMeans[$1] - scaledMeans[z]) / m; return $0 * d * d }) / (k - 1)
            let lambda = CompensatedSum.sum(others.map { 1 / (used[$0].n - 1) })
            statistic = a / (1 + 2 * (k - 2) * lambda / (k * k - 1))
            dfBetween = k - 1
            dfWithin = (k * k - 1) / (3 * lambda)
            notes.append("group '\(usedNames[z])' has zero variance: its mean is taken as exact (Welch's F as that SD → 0; "
                         + "for two groups the Welch t-test's t²)")
            groups = used; groupNames = usedNames; self.notes = notes
            return
        }
        let w = used.map { g in let r = g.sd / m0; return g.n / (r * r) }
        let W = CompensatedSum.sum(w)
        // Means and m times c, a power of two: 1 unless Σwᵢx̄ᵢ for means near ±1.8e308 could overflow.
        let c = DescriptiveStatistics.inputScale(largestMean, exponentOfTotal: Int(W.exponent) + 2)
        let m = m0 * c, scaledMeans = means.map { $0 * c }
        let mw = CompensatedSum.sum(zip(w, scaledMeans).map { $0 * $1 }) / W
        let a = CompensatedSum.sum(zip(w, scaledMeans).map { let d = ($1 - mw) / m; return $0 * d * d }) / (k - 1)
        let lambda = CompensatedSum.sum(zip(w, used).map { (1 - $0 / W) * (1 - $0 / W) / ($1.n - 1) })
        statistic = a / (1 + 2 * (k - 2) * lambda / (k * k - 1))
        dfBetween = k - 1
        dfWithin = (k * k - 1) / (3 * lambda)
        groups = used; groupNames = usedNames; self.notes = notes
    }

    public init(groups data: [[Double]], names: [String]? = nil) throws {
        let shift = data.lazy.joined().first(where: { $0.isFinite }) ?? 0
        let centered = data.map { SampleSummary($0.map { $0 - shift }) }
        try self.init(summaries: centered.map { SampleSummary(n: $0.n, mean: shift + $0.mean, sd: $0.sd) }, names: names,
                      centeredMeans: centered.map(\.mean))
    }

    public init(_ values: NumericColumn, groups labels: [String?], order: [String]? = nil) throws {
        let classic = try OneWayANOVA(values, groups: labels, order: order)
        // Reuse the classic path's accurate per-group summaries; groups with n = 1 fail validation above.
        try self.init(summaries: classic.groups, names: classic.groupNames, centeredMeans: classic.storedGroupMeans)
    }

    /// From a numeric column and level codes (see `OneWayANOVA.init(_:groups:)`).
    public init(_ values: NumericColumn, groups: FactorCodes) throws {
        let classic = try OneWayANOVA(values, groups: groups)
        try self.init(summaries: classic.groups, names: classic.groupNames, centeredMeans: classic.storedGroupMeans)
    }

    /// `variable` by the levels of `group`, declared missing codes excluded (see `OneWayANOVA.init(_:by:)`).
    public init(_ variable: Variable, by group: Variable) throws {
        let classic = try OneWayANOVA(variable, by: group)
        try self.init(summaries: classic.groups, names: classic.groupNames, centeredMeans: classic.storedGroupMeans)
    }

    public var description: String {
        var s = """
        \(testName) (\(groups.count) groups, N = \(formatStat(n)))
          F = \(formatStat(statistic)), df = (\(formatStat(dfBetween)), \(formatStat(dfWithin))), p = \(formatP(pValue)) \(stars), ω² = \(formatStat(omegaSquared))
        """
        for note in notes { s += "\n  note: \(note)" }
        return s
    }
}
