import Foundation

/// Classic one-way ANOVA (equal variances): SS, MS, F, df, p, η² (= R²), ω².
///
/// Computed from each group's size, mean and within-group sum of squares; from raw data these come from
/// two-pass compensated moments on the column's `stored` values (the decimal offset cancels), so NIST StRD
/// SmLs07–09 (values like 1000000000000.4) keep F and R² to ≥ 13 digits. Matches scipy `f_oneway` and
/// statsmodels `anova_oneway(use_var='equal')` on well-conditioned data.
///
/// Groups with no observations are skipped and listed in `notes`. If every group has zero variance, SS within
/// is 0: F is +inf when the group means differ (p = 0) and NaN when they do not (the test is undefined).
public struct OneWayANOVA: HypothesisTest {
    public let groupNames: [String]
    /// Per-group n, mean and SD (only the groups used).
    public let groups: [SampleSummary]
    /// SS between and within. For data of extreme magnitude (SDs ~1e160) these may overflow (or underflow);
    /// F, η² and ω² are formed from the sums in units of `unit` (a power of two), which do not.
    public var ssBetween: Double { scaledBetween * unit * unit }
    public var ssWithin: Double { scaledWithin * unit * unit }
    /// SS between and within divided by unit².
    let scaledBetween: Double
    let scaledWithin: Double
    /// Power of two (exact) near the largest group SD or mean deviation; 1 for ordinary data.
    let unit: Double
    public let dfBetween: Double
    public let dfWithin: Double
    /// Remarks about the input (skipped empty groups, zero within-group variance).
    public let notes: [String]

    public var testName: String { "One-way ANOVA" }
    public var n: Double { groups.reduce(0) { $0 + $1.n } }
    public var ssTotal: Double { ssBetween + ssWithin }
    public var msBetween: Double { ssBetween / dfBetween }
    public var msWithin: Double { ssWithin / dfWithin }
    /// F = MS between / MS within.
    public var statistic: Double {
        if scaledWithin == 0 { return scaledBetween > 0 ? .infinity : .nan }
        return (scaledBetween / dfBetween) / (scaledWithin / dfWithin)
    }
    public var f: Double { statistic }
    /// [df between, df within].
    public var degreesOfFreedom: [Double] { [dfBetween, dfWithin] }
    /// η² (= R²); ω², the less biased estimate, is `omegaSquared`.
    public var effectSize: EffectSize? { EffectSize(name: "η²", value: etaSquared) }
    /// The upper tail P(F ≥ f) for `.right` and `.both` (the ANOVA p-value), the lower tail for `.left`.
    public func pValue(tail: Tail) -> Double { fDistributionPValue(statistic, df1: dfBetween, df2: dfWithin, tail: tail) }
    /// η² = SS between / SS total, the R² of the one-way model.
    public var etaSquared: Double { scaledBetween / (scaledBetween + scaledWithin) }
    public var rSquared: Double { etaSquared }
    /// ω² = (SS between − df₁·MS within) / (SS total + MS within), the less biased effect size.
    public var omegaSquared: Double {
        let ms = scaledWithin / dfWithin
        return (scaledBetween - dfBetween * ms) / (scaledBetween + scaledWithin + ms)
    }
    /// Root MS within (NIST's "residual standard deviation").
    public var residualSD: Double { (scaledWithin / dfWithin).squareRoot() * unit }

    /// From group summaries (n, mean, SD), e.g. a published table. Groups with n = 0 are skipped with a note.
    public init(summaries: [SampleSummary], names: [String]? = nil) throws {
        let names = names ?? Self.defaultGroupNames(summaries.count)
        guard names.count == summaries.count else {
            throw StatisticsError.invalidArgument("ANOVA: \(names.count) group names for \(summaries.count) groups")
        }
        var used = [SampleSummary](), usedNames = [String](), notes = [String]()
        for (g, name) in zip(summaries, names) {
            if g.n == 0 { notes.append("group '\(name)' has no observations and was skipped"); continue }
            let g = try g.validated("ANOVA group '\(name)'", minimumN: 1)
            used.append(g); usedNames.append(name)
        }
        // Means relative to the first group's reference: groups summarised from one column share the reference
        // (its decimal offset), which then drops out exactly.
        let r0 = used.first?.reference ?? 0
        try self.init(groups: used, names: usedNames, sds: used.map { $0.n > 1 ? $0.sd : 0 }, notes: notes,
                      storedMeans: used.map { $0.meanMinus(r0) })
    }

    /// From raw values per group (NaN = missing, excluded).
    public init(groups data: [[Double]], names: [String]? = nil) throws {
        let names = names ?? Self.defaultGroupNames(data.count)
        guard names.count == data.count else {
            throw StatisticsError.invalidArgument("ANOVA: \(names.count) group names for \(data.count) groups")
        }
        try self.init(stored: data, offset: 0, names: names)
    }

    /// From a numeric column and a grouping label per row; rows with a missing value or label are excluded.
    /// Groups are ordered by `order` when given (e.g. codebook order; rows of levels not listed are left out),
    /// else by label.
    public init(_ values: NumericColumn, groups labels: [String?], order: [String]? = nil) throws {
        guard labels.count == values.count else {
            throw StatisticsError.invalidArgument("ANOVA: \(labels.count) group labels for \(values.count) values")
        }
        let codes = FactorCodes(labels: labels, order: order)
        let kept = order.map { Swift.min($0.count, codes.levelCount) } ?? codes.levelCount
        // With `order`, the levels beyond it are not groups of the analysis: their rows get code 0.
        let groupCodes = kept == codes.levelCount ? codes.codes : codes.codes.map { Int($0) > kept ? 0 : $0 }
        try self.init(moments: GroupedMoments(values, codes: groupCodes, levels: kept, missing: MissingValueSet()),
                      names: Array(codes.names.prefix(kept)))
    }

    /// From a numeric column and level codes (rows with code 0 or a missing value are excluded); groups in level
    /// order. Each group's moments come straight from the codes (`GroupedMoments`), without splitting the column.
    public init(_ values: NumericColumn, groups: FactorCodes) throws {
        guard groups.count == values.count else {
            throw StatisticsError.invalidArgument("ANOVA: \(groups.count) group codes for \(values.count) values")
        }
        try self.init(moments: GroupedMoments(values, codes: groups.codes, levels: groups.levelCount, missing: MissingValueSet()),
                      names: groups.names)
    }

    /// `variable` by the levels of `group` (see `FactorCodes`); the variable's declared missing codes and
    /// ranges are excluded as well as empty cells.
    public init(_ variable: Variable, by group: Variable) throws {
        let (column, missing) = try numericColumn(variable)
        let groups = try sameLength(FactorCodes(group), variable)
        try self.init(moments: GroupedMoments(column, codes: groups.codes, levels: groups.levelCount, missing: missing),
                      names: groups.names)
    }

    /// From per-level moments: group means relative to the moments' common reference, SS within = Σ of the
    /// groups' centred sums of squares (each from the corrected two-pass algorithm).
    init(moments m: GroupedMoments, names: [String]) throws {
        var used = [SampleSummary](), usedNames = [String](), notes = [String](), storedMeans = [Double]()
        var scaledWithin = CompensatedSum()
        for k in 0..<m.levelCount {
            if m.counts[k] == 0 { notes.append("group '\(names[k])' has no observations and was skipped"); continue }
            let n = Double(m.counts[k])
            storedMeans.append(m.deviations[k])
            if m.counts[k] > 1 { scaledWithin.add(m.scaledSumsOfSquares[k]) }
            let sd = m.counts[k] > 1 ? m.summary(k).sd : 0
            used.append(SampleSummary(n: n, reference: m.reference, deviation: m.deviations[k], sd: sd))
            usedNames.append(names[k])
        }
        try self.init(groups: used, names: usedNames, scaledWithin: scaledWithin.value, scale: m.scale, notes: notes,
                      storedMeans: storedMeans)
        self.storedGroupMeans = storedMeans
    }

    private init(stored data: [[Double]], offset: Double, names: [String]) throws {
        // Shift by a common value first: sums of squares are invariant, and group means of data such as
        // 1000000000000.4 (when no decimal offset was applied) keep their digits.
        let shift = data.lazy.joined().first(where: { $0.isFinite }) ?? 0
        let data = data.map { $0.map { $0 - shift } }
        let offset = offset + shift
        var used = [SampleSummary](), usedNames = [String](), notes = [String]()
        // Within-group moments around each group's own mean (stored scale); offsets cancel in every SS.
        var storedMeans = [Double]()
        for (xs0, name) in zip(data, names) {
            let xs = xs0.filter { !$0.isNaN }
            if xs.isEmpty { notes.append("group '\(name)' has no observations and was skipped"); continue }
            let d = GroupedMoments(values: xs)
            let m = d.reference + d.deviations[0]
            storedMeans.append(m)
            let sd = xs.count > 1 ? d.summary(0).sd : 0
            used.append(SampleSummary(n: Double(xs.count), mean: offset + m, sd: sd))
            usedNames.append(name)
        }
        try self.init(groups: used, names: usedNames, sds: used.map(\.sd), notes: notes, storedMeans: storedMeans)
        self.storedGroupMeans = storedMeans
    }

    /// "group 1" … "group n" (none for n = 0, so that an empty input reaches the group-count check and throws
    /// `tooFewGroups` rather than a name-count mismatch).
    static func defaultGroupNames(_ count: Int) -> [String] { (0..<count).map { "group \($0 + 1)" } }

    /// Group means relative to an internal shift (raw-data input), used by `WelchANOVA` to avoid cancellation.
    var storedGroupMeans: [Double]? = nil

    /// SS within from the groups' SDs, each relative to a power of two near the largest SD or mean deviation
    /// (so (n − 1)s² neither overflows for SDs of 1e160 nor underflows for 1e-160).
    private init(groups: [SampleSummary], names: [String], sds: [Double], notes: [String],
                 storedMeans: [Double]) throws {
        let largest = Swift.max(sds.filter(\.isFinite).max() ?? 0,
                                storedMeans.map { abs($0 - (storedMeans.first ?? 0)) }.filter(\.isFinite).max() ?? 0)
        let unit = largest.isNormal ? Double(sign: .plus, exponent: largest.exponent, significand: 1) : 1
        var within = CompensatedSum()
        for (g, sd) in zip(groups, sds) where g.n > 1 { let r = sd / unit; within.add((g.n - 1) * r * r) }
        try self.init(groups: groups, names: names, scaledWithin: within.value, scale: unit, notes: notes,
                      storedMeans: storedMeans)
    }

    /// `scaledWithin`: SS within divided by scale² (scale a power of two). SS between is formed in units of a
    /// power of two near the largest of `scale` and the group means' spread, and SS within brought to it.
    private init(groups: [SampleSummary], names: [String], scaledWithin: Double, scale: Double, notes: [String],
                 storedMeans: [Double]? = nil) throws {
        guard groups.count >= 2 else {
            throw StatisticsError.tooFewGroups(what: "one-way ANOVA", needed: 2, got: groups.count)
        }
        let N = groups.reduce(0) { $0 + $1.n }
        guard N > Double(groups.count) else {
            throw StatisticsError.invalidArgument("one-way ANOVA: \(Int(N)) observations in \(groups.count) groups leave no within-group df")
        }
        // Means times c, a power of two (1 unless N·|mean| nears double's largest, as for means of ±1.6e308).
        let c = DescriptiveStatistics.inputScale((storedMeans ?? groups.map(\.mean)).map(abs).filter(\.isFinite).max() ?? 0,
                                                 exponentOfTotal: Int(N.exponent) + 2)
        let means = (storedMeans ?? groups.map(\.mean)).map { $0 * c }
        // Grand mean with a correction pass, then SS between around it, the deviations divided by `unit` before
        // they are squared.
        let g0 = CompensatedSum.sum(zip(groups, means).map { $0.n * $1 }) / N
        let grand = g0 + CompensatedSum.sum(zip(groups, means).map { $0.n * ($1 - g0) }) / N
        let spread = means.map { abs($0 - grand) }.filter(\.isFinite).max() ?? 0
        let largest = Swift.max(spread, scale * c)
        let unitC = largest.isNormal ? Double(sign: .plus, exponent: largest.exponent, significand: 1) : 1
        let unit = unitC / c
        let ratio = scale * c / unitC
        let within = scaledWithin * ratio * ratio
        let between = CompensatedSum.sum(zip(groups, means).map { g, m in let d = (m - grand) / unitC; return g.n * d * d })
        var notes = notes
        if within == 0 {
            notes.append(between > 0 ? "every group has zero variance: F = inf, p = 0"
                                     : "all values are equal: F is undefined (NaN)")
        }
        self.groups = groups; self.groupNames = names
        self.scaledBetween = between; self.scaledWithin = within; self.unit = unit
        self.dfBetween = Double(groups.count - 1); self.dfWithin = N - Double(groups.count)
        self.notes = notes
    }

    public var description: String {
        var s = """
        \(testName) (\(groups.count) groups, N = \(formatStat(n)))
          between  SS \(formatStat(ssBetween))  df \(formatStat(dfBetween))  MS \(formatStat(msBetween))
          within   SS \(formatStat(ssWithin))  df \(formatStat(dfWithin))  MS \(formatStat(msWithin))
          F = \(formatStat(statistic)), p = \(formatP(pValue)) \(stars), η² = \(formatStat(etaSquared)), ω² = \(formatStat(omegaSquared))
        """
        for note in notes { s += "\n  note: \(note)" }
        return s
    }
}

