import Foundation

/// Frequencies of one variable within one respondent group: everything a percent, mean, n or t-test target
/// needs. The reconstruction engine builds these from its count vectors; `surveystats verify` builds them from the
/// written CSV files, so both judge a target with the same arithmetic.
public struct CategoryCounts: Sendable, Equatable {
    /// Smallest scale code; `counts[i]` is the number of respondents who answered `minCode + i`.
    public var minCode: Int
    public var counts: [Int]
    /// Respondents in the group without a valid answer (vet ikke / ubesvart / empty).
    public var missing: Int

    public init(minCode: Int, categories: Int) {
        self.minCode = minCode; counts = Array(repeating: 0, count: categories); missing = 0
    }

    public var valid: Int { counts.reduce(0, +) }

    public mutating func add(_ other: CategoryCounts) {
        for i in counts.indices { counts[i] += other.counts[i] }
        missing += other.missing
    }

    /// Mean of the valid answers (nil when none).
    public var mean: Double? {
        let n = valid
        guard n > 0 else { return nil }
        var s = 0.0
        for (i, c) in counts.enumerated() where c > 0 { s += Double(c) * Double(minCode + i) }
        return s / Double(n)
    }

    /// Sample variance (n − 1 denominator), two-pass around the mean.
    public var variance: Double? {
        let n = valid
        guard n > 1, let m = mean else { return nil }
        var ss = 0.0
        for (i, c) in counts.enumerated() where c > 0 {
            let d = Double(minCode + i) - m
            ss += Double(c) * d * d
        }
        return ss / Double(n - 1)
    }

    /// Percent of valid answers whose code is in `codes`.
    public func percent(of codes: [Int]) -> Double? {
        let n = valid
        guard n > 0 else { return nil }
        var k = 0
        for code in codes {
            let i = code - minCode
            if i >= 0 && i < counts.count { k += counts[i] }
        }
        return 100 * Double(k) / Double(n)
    }
}

/// Welch's two-sample t-test from group frequencies (means, variances, n). The report states "t-test" without
/// saying which; Welch's version is the safe choice for unequal group sizes. Uses the library's t distribution.
public struct WelchFromCounts: Sendable {
    public let t: Double
    public let df: Double
    public let pTwoSided: Double
    public let meanDifference: Double

    public init?(_ a: CategoryCounts, _ b: CategoryCounts) {
        guard let ma = a.mean, let mb = b.mean, let va = a.variance, let vb = b.variance else { return nil }
        let na = Double(a.valid), nb = Double(b.valid)
        let sa = va / na, sb = vb / nb
        meanDifference = ma - mb
        let se = (sa + sb).squareRoot()
        if se == 0 {
            t = meanDifference == 0 ? 0 : (meanDifference > 0 ? .infinity : -.infinity)
            df = na + nb - 2
            pTwoSided = meanDifference == 0 ? 1 : 0
            return
        }
        t = meanDifference / se
        df = (sa + sb) * (sa + sb) / (sa * sa / (na - 1) + sb * sb / (nb - 1))
        pTwoSided = min(1, 2 * StudentTDistribution(df: df).sf(abs(t)))
    }
}

/// The outcome of checking one target: the value computed, whether it lies in the acceptance rule, and a
/// penalty (0 when satisfied) the reconstruction search minimises.
public struct TargetOutcome: Sendable {
    public var computed: String
    public var satisfied: Bool
    public var penalty: Double
}

extension ReconstructionSpec.Target {
    /// Evaluates the target from group frequencies. `countsFor` returns the pooled frequencies of `variable`
    /// (or another named variable) over a list of group references.
    public func evaluate(_ countsFor: ([ReconstructionSpec.GroupRef]) -> CategoryCounts?) -> TargetOutcome {
        evaluate(pooled: groups.flatMap(countsFor), a: groupsA.flatMap(countsFor), b: groupsB.flatMap(countsFor))
    }

    /// Evaluates the target from the already pooled frequencies of `groups`, `groupsA` and `groupsB`.
    public func evaluate(pooled: CategoryCounts?, a pooledA: CategoryCounts?, b pooledB: CategoryCounts?) -> TargetOutcome {
        func inInterval(_ x: Double, _ iv: [Double], scale: Double) -> (Bool, Double) {
            guard iv.count == 2 else { return (false, 1e6) }
            let lo = iv[0], hi = iv[1]
            // [lo, hi): the upper end of a rounding interval belongs to the next printed value.
            if x >= lo && x < hi { return (true, 0) }
            let d = x < lo ? lo - x : x - hi
            return (false, 1 + d / scale)
        }
        switch statistic {
        case "percent", "mean", "n":
            guard let c = pooled else {
                return TargetOutcome(computed: "no data", satisfied: false, penalty: 1e6)
            }
            let value: Double?
            let scale: Double
            switch statistic {
            case "percent": value = c.percent(of: categories ?? []); scale = 0.5
            case "mean": value = c.mean; scale = 0.005
            default: value = Double(c.valid); scale = 1
            }
            guard let v = value, let iv = interval else {
                return TargetOutcome(computed: "no valid answers", satisfied: false, penalty: 1e6)
            }
            var (ok, pen) = inInterval(v, iv, scale: scale)
            var shown = statistic == "n" ? String(Int(v)) : String(format: statistic == "mean" ? "%.3f" : "%.2f", v)
            // A percent or mean whose claim states its base n (the figure caption's «n=1025»): the item's valid
            // answers in the group must be that n too.
            if statistic != "n", let n, c.valid != n {
                ok = false
                pen += 1 + Double(abs(c.valid - n))
                shown += ", n = \(c.valid) (published n = \(n))"
            }
            return TargetOutcome(computed: shown, satisfied: ok, penalty: pen)
        case "welch-t":
            guard let a = pooledA, let b = pooledB, let w = WelchFromCounts(a, b) else {
                return TargetOutcome(computed: "no data", satisfied: false, penalty: 1e6)
            }
            var pen = 0.0
            var ok = true
            let iv = pInterval ?? [0, 0.05]
            let lp = log10(max(w.pTwoSided, 1e-300))
            if !(w.pTwoSided >= iv[0] && w.pTwoSided < iv[1]) && !(iv[1] >= 1 && w.pTwoSided >= iv[0]) {
                ok = false
                let bound = w.pTwoSided < iv[0] ? log10(max(iv[0], 1e-300)) : log10(max(iv[1], 1e-300))
                pen += 1 + abs(lp - bound) * 10
            }
            switch relation {
            case "greater" where w.meanDifference <= 0: ok = false; pen += 1 + (-w.meanDifference) / 0.005
            case "less" where w.meanDifference >= 0: ok = false; pen += 1 + w.meanDifference / 0.005
            default: break
            }
            let computed = String(format: "diff=%.3f t=%.2f p=%.4f", w.meanDifference, w.t, w.pTwoSided)
            return TargetOutcome(computed: computed, satisfied: ok, penalty: pen)
        case "direction-mean", "direction-percent":
            guard let a = pooledA, let b = pooledB else {
                return TargetOutcome(computed: "no data", satisfied: false, penalty: 1e6)
            }
            let isMean = statistic == "direction-mean"
            guard let va = isMean ? a.mean : a.percent(of: categories ?? []),
                  let vb = isMean ? b.mean : b.percent(of: categories ?? []) else {
                return TargetOutcome(computed: "no valid answers", satisfied: false, penalty: 1e6)
            }
            let d = relation == "less" ? vb - va : va - vb
            let scale = isMean ? 0.005 : 0.5
            // A direction the report states must be visible at its printed precision: at least 0.05 / 1 point.
            let need = isMean ? 0.05 : 1.0
            let ok = d >= need
            let computed = String(format: isMean ? "%.3f vs %.3f" : "%.1f vs %.1f", va, vb)
            return TargetOutcome(computed: computed, satisfied: ok, penalty: ok ? 0 : 1 + (need - d) / scale)
        default:
            return TargetOutcome(computed: "checked on rows", satisfied: false, penalty: 0)
        }
    }
}
