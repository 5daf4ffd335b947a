import Foundation

/// Fisher's exact test for a 2×2 table [[a, b], [c, d]] of integer counts (R `fisher.test`, scipy
/// `fisher_exact`).
///
/// Given the margins, a follows the hypergeometric distribution. The two-sided p sums the probabilities of all
/// tables with the same margins that are no more likely than the observed one, with R's relative tolerance
/// 1 + 1e-7 (scipy uses 1 + 1e-14; the two differ only when another table is within 1e-7 of the observed one's
/// probability, which happens next to the mode of very large tables). `.right` is P(X ≥ a) (odds ratio > 1),
/// `.left` P(X ≤ a).
///
/// Built for any table a survey can produce: each probability comes from a log-space hypergeometric density with
/// Loader's saddle-point form and Stirling-error terms (as R's `dhyper`/`dbinom_raw`; Loader 2000, "Fast and
/// accurate computation of binomial probabilities"), never from factorials or products of counts, so nothing
/// overflows (the old `logGamma` differences lost ~n·eps and `Int` products trapped). Sums run outward from the
/// largest term and stop once the rest is provably below 1e-17 of the sum (the hypergeometric is log-concave),
/// scaled by that largest term, so a p-value of 1e-300 is returned as such, not rounded to 0. Tables whose total
/// exceeds `maximumTotal` throw.
///
/// `oddsRatio` (the `statistic`) is the sample odds ratio ad/bc (scipy's `statistic`); `conditionalOddsRatio`
/// is R's estimate, the conditional maximum-likelihood odds ratio.
public struct FisherExactTest: HypothesisTest, Equatable {
    public let table: [[Int]]
    /// Largest table total accepted, 2⁴⁰ ≈ 1.1e12: far beyond any survey, small enough that every count and
    /// margin is exact in a Double (< 2⁵³) and a p-value needs at most a few million terms (about a second).
    public static let maximumTotal = 1 << 40

    public var testName: String { "Fisher's exact test (2×2)" }
    /// Sample odds ratio ad/bc (inf when bc = 0 < ad, NaN when both are 0).
    public var oddsRatio: Double {
        let a = Double(table[0][0]), b = Double(table[0][1]), c = Double(table[1][0]), d = Double(table[1][1])
        return (a * d) / (b * c)
    }
    public var statistic: Double { oddsRatio }
    /// None: the test is exact (no reference distribution with df).
    public var degreesOfFreedom: [Double] { [] }
    /// The sample odds ratio.
    public var effectSize: EffectSize? { EffectSize(name: "odds ratio", value: oddsRatio) }

    public init(_ table: [[Int]]) throws {
        guard table.count == 2, table.allSatisfy({ $0.count == 2 }), table.joined().allSatisfy({ $0 >= 0 }) else {
            throw StatisticsError.invalidArgument("Fisher's exact test needs a 2×2 table of non-negative counts")
        }
        // Each cell is checked before the four are added, so the sum itself cannot overflow.
        guard table.joined().allSatisfy({ $0 <= Self.maximumTotal }), table.joined().reduce(0, +) <= Self.maximumTotal else {
            throw StatisticsError.invalidArgument("Fisher's exact test: the table total exceeds \(Self.maximumTotal) (2^40); use the χ² or G² test for tables this large")
        }
        self.table = table
    }
    public init(a: Int, b: Int, c: Int, d: Int) throws { try self.init([[a, b], [c, d]]) }

    /// `.both`: two-sided; `.right`: odds ratio > 1 (P(X ≥ a)); `.left`: P(X ≤ a).
    public func pValue(tail: Tail) -> Double { exp(logPValue(tail: tail)) }

    /// log of `pValue(tail:)`, finite also where the p-value underflows a Double (below ~5e-324).
    public func logPValue(tail: Tail) -> Double {
        let h = hypergeometric
        let a = table[0][0]
        guard h.lo < h.hi else { return 0 }      // one possible table: p = 1
        // The densities are accurate to ~1e-15 relative each, so they sum to 1 within rounding and the sums need
        // no normalising pass over the whole support (R's fisher.test divides by one; capped at 1 here instead).
        switch tail {
        case .right: return Swift.min(0, h.logSum(a...h.hi))
        case .left: return Swift.min(0, h.logSum(h.lo...a))
        case .both:
            // R's rule: the tables with d_k ≤ d_a·(1 + 1e-7). The density rises to the mode and falls after it,
            // so they form a left run [lo, kL] and a right run [kU, hi], found by bisection on each side.
            let threshold = h.logDensity(a) + log1p(1e-7)
            let mode = h.mode
            if h.logDensity(mode) <= threshold { return 0 }
            var parts = [Double]()
            if h.logDensity(h.lo) <= threshold {
                // Largest k in [lo, mode) with d_k ≤ threshold (the density is non-decreasing there).
                var good = h.lo, bad = mode
                while bad - good > 1 { let mid = good + (bad - good) / 2; if h.logDensity(mid) <= threshold { good = mid } else { bad = mid } }
                parts.append(h.logSum(h.lo...good))
            }
            if h.logDensity(h.hi) <= threshold {
                // Smallest k in (mode, hi] with d_k ≤ threshold (non-increasing there).
                var bad = mode, good = h.hi
                while good - bad > 1 { let mid = bad + (good - bad) / 2; if h.logDensity(mid) <= threshold { good = mid } else { bad = mid } }
                parts.append(h.logSum(good...h.hi))
            }
            guard let first = parts.first else { return 0 }
            let logP = parts.count == 2 ? logAddExp(first, parts[1]) : first
            return Swift.min(0, logP)
        }
    }

    /// The conditional maximum-likelihood estimate of the odds ratio (R `fisher.test(...)$estimate`, scipy
    /// `contingency.odds_ratio(kind="conditional")`): the ψ at which the mean of Fisher's noncentral
    /// hypergeometric distribution equals a. 0 when a is the smallest possible count, inf when it is the
    /// largest, NaN when the margins allow one table only.
    public var conditionalOddsRatio: Double {
        let h = hypergeometric
        let a = table[0][0]
        guard h.lo < h.hi else { return .nan }
        if a == h.lo { return 0 }
        if a == h.hi { return .infinity }
        // Solve E_ψ[X] = a in t = log ψ by Newton (dE/dt = Var_ψ X > 0) inside a bracket, bisecting when a step
        // leaves it. E is increasing in t, so the bracket is kept as the last t with E < a and with E > a.
        let target = Double(a)
        var lower = -Double.infinity, upper = Double.infinity
        var t = oddsRatio.isFinite && oddsRatio > 0 ? log(oddsRatio) : 0
        for _ in 0..<200 {
            let (mean, variance) = h.tiltedMoments(logOddsRatio: t)
            let error = mean - target
            if abs(error) <= 4 * Double.ulpOfOne * Swift.max(1, target) { return exp(t) }
            if error < 0 { lower = t } else { upper = t }
            var next = t - error / variance
            if !(next > lower && next < upper) || !next.isFinite {
                if lower.isFinite && upper.isFinite { next = (lower + upper) / 2 }
                else { next = error < 0 ? t + Swift.max(1, abs(t)) : t - Swift.max(1, abs(t)) }
            }
            if next == t || (upper - lower) <= 4 * Double.ulpOfOne * Swift.max(1, abs(t)) { return exp(next) }
            t = next
        }
        return exp(t)
    }

    /// The hypergeometric distribution of a given the margins.
    private var hypergeometric: Hypergeometric {
        Hypergeometric(row1: table[0][0] + table[0][1], row2: table[1][0] + table[1][1],
                       column1: table[0][0] + table[1][0])
    }

    public var description: String {
        "\(testName)\n  table \(table), p (two-sided) = \(formatP(pValue)) \(stars), odds ratio = \(formatStat(oddsRatio)) (conditional MLE \(formatStat(conditionalOddsRatio)))"
    }
}

/// log(eˣ + eʸ) without overflow.
private func logAddExp(_ x: Double, _ y: Double) -> Double {
    let m = Swift.max(x, y)
    if m == -.infinity { return m }
    return m + log1p(exp(-abs(x - y)))
}

/// X ~ Hypergeometric: the count in cell (1, 1) of a 2×2 table with row totals m, n and first column total k
/// (k draws from an urn of m white and n black balls). Support lo = max(0, k − n) … hi = min(k, m).
private struct Hypergeometric {
    let m: Int, n: Int, k: Int
    let lo: Int, hi: Int
    /// log of the constant term dbinom(k; m + n, p) of R's factorisation (below).
    private let logDenominator: Double
    private let p: Double, q: Double

    init(row1: Int, row2: Int, column1: Int) {
        m = row1; n = row2; k = column1
        lo = Swift.max(0, k - n); hi = Swift.min(k, m)
        let total = Double(m + n)
        p = total > 0 ? Double(k) / total : 0
        q = total > 0 ? Double(m + n - k) / total : 1
        logDenominator = Self.logBinomialRaw(Double(k), Double(m + n), p, q)
    }

    /// ⌊(m + 1)(k + 1)/(m + n + 2)⌋, a mode of the distribution (in Double: the product may exceed Int).
    var mode: Int {
        let guess = Int(((Double(m) + 1) * (Double(k) + 1) / (Double(m + n) + 2)).rounded(.down))
        return Swift.min(hi, Swift.max(lo, guess))
    }

    /// log P(X = x), as R's `dhyper(x, m, n, k, log = TRUE)`:
    /// dbinom(x; m, p)·dbinom(k − x; n, p) / dbinom(k; m + n, p) with p = k/(m + n), each in Loader's form.
    func logDensity(_ x: Int) -> Double {
        guard x >= lo, x <= hi else { return -.infinity }
        return Self.logBinomialRaw(Double(x), Double(m), p, q) + Self.logBinomialRaw(Double(k - x), Double(n), p, q)
            - logDenominator
    }

    /// log Σ_{x ∈ range} P(X = x), range within the support. The terms rise to the mode and fall after it
    /// (log-concave), so the sum starts at the largest term (the mode clamped into the range) and walks outward;
    /// each side stops when the next term t, at ratio r < 1 to its predecessor, bounds the rest by t·r/(1 − r)
    /// below 1e-17 of the sum (the ratios only fall from there on). Terms are scaled by the largest, so tiny sums
    /// keep their digits.
    ///
    /// Consecutive log densities differ by the log of the exact ratio P(x+1)/P(x) = (m−x)(k−x)/((x+1)(n−k+x+1)),
    /// one log per step instead of a full density (a table of 1e12 counts needs millions of steps); every 32nd
    /// step re-anchors on the direct density, so the drift stays below ~1e-14 relative.
    func logSum(_ range: ClosedRange<Int>) -> Double {
        let peak = Swift.min(range.upperBound, Swift.max(range.lowerBound, mode))
        let top = logDensity(peak)
        if top == -.infinity { return top }
        var sum = CompensatedSum()
        sum.add(1)
        for step in [1, -1] {
            var x = peak + step, previous = 1.0, logCurrent = top, steps = 0
            while range.contains(x) {
                steps += 1
                logCurrent = steps % 32 == 0 ? logDensity(x) : logCurrent + logRatio(from: x - step, step: step)
                let w = exp(logCurrent - top)
                sum.add(w)
                let r = w / previous
                if w == 0 || (r < 1 && w * r / (1 - r) <= 1e-17 * sum.value) { break }
                previous = w; x += step
            }
        }
        return top + log(sum.value)
    }

    /// log P(x + step)/P(x) for step ±1 (x and x + step in the support), from the exact ratio of consecutive
    /// probabilities (m−x)(k−x)/((x+1)(n−k+x+1)) in Double (counts ≤ 2⁴⁰ are exact; the products round once).
    func logRatio(from x: Int, step: Int) -> Double {
        let u = Double(x), m = Double(self.m), n = Double(self.n), k = Double(self.k)
        return step > 0 ? log(((m - u) * (k - u)) / ((u + 1) * (n - k + u + 1)))
                        : log((u * (n - k + u)) / ((m - u + 1) * (k - u + 1)))
    }

    /// Mean and variance of Fisher's noncentral hypergeometric distribution with log odds ratio t
    /// (P(x) ∝ P₀(x)·e^(t·x)), from sums walked outward from its mode as in `logSum`.
    func tiltedMoments(logOddsRatio t: Double) -> (mean: Double, variance: Double) {
        func logTerm(_ x: Int) -> Double { logDensity(x) + t * Double(x) }
        // The tilted density is log-concave too: its mode is the last x whose successor is not larger.
        var a = lo, b = hi
        while a < b {
            let mid = a + (b - a) / 2
            if logTerm(mid + 1) > logTerm(mid) { a = mid + 1 } else { b = mid }
        }
        let peak = a, top = logTerm(peak)
        // Moments about the peak (small numbers), accumulated with compensation.
        var s0 = CompensatedSum(), s1 = CompensatedSum(), s2 = CompensatedSum()
        s0.add(1)
        for step in [1, -1] {
            var x = peak + step, previous = 1.0, logCurrent = top, steps = 0
            while x >= lo && x <= hi {
                // As in `logSum`: consecutive ratios (times e^(±t)), re-anchored every 32 steps.
                steps += 1
                logCurrent = steps % 32 == 0 ? logTerm(x) : logCurrent + logRatio(from: x - step, step: step) + t * Double(step)
                let w = exp(logCurrent - top)
                let d = Double(x - peak)
                s0.add(w); s1.add(w * d); s2.add(w * d * d)
                let r = w / previous
                if w == 0 || (r < 1 && w * d * d * r / (1 - r) <= 1e-17 * Swift.max(s0.value, s2.value)) { break }
                previous = w; x += step
            }
        }
        let m1 = s1.value / s0.value
        return (Double(peak) + m1, Swift.max(0, s2.value / s0.value - m1 * m1))
    }

    /// log of R's `dbinom_raw(x, n, p, q)` (Loader 2000): the binomial density from the Stirling errors δ and the
    /// deviance term bd0, exact in relative terms for any size (no factorials, no cancellation of large logs).
    static func logBinomialRaw(_ x: Double, _ n: Double, _ p: Double, _ q: Double) -> Double {
        if p == 0 { return x == 0 ? 0 : -.infinity }
        if q == 0 { return x == n ? 0 : -.infinity }
        if x < 0 || x > n { return -.infinity }
        if x == 0 {
            if n == 0 { return 0 }
            return p < 0.1 ? -deviance(n, n * q) - n * p : n * log(q)
        }
        if x == n { return q < 0.1 ? -deviance(n, n * p) - n * q : n * log(p) }
        let lc = SpecialFunctions.stirlingError(n) - SpecialFunctions.stirlingError(x) - SpecialFunctions.stirlingError(n - x)
            - deviance(x, n * p) - deviance(n - x, n * q)
        let lf = 2 * SpecialFunctions.halfLog2Pi + log(x) + log1p(-x / n)
        return lc - 0.5 * lf
    }

    /// Loader's bd0(x, np) = x·log(x/np) + np − x, by its series in v = (x − np)/(x + np) when x is near np
    /// (where the closed form cancels).
    static func deviance(_ x: Double, _ np: Double) -> Double {
        if abs(x - np) < 0.1 * (x + np) {
            var v = (x - np) / (x + np)
            var s = (x - np) * v
            if abs(s) < Double.leastNormalMagnitude { return s }
            var ej = 2 * x * v
            v *= v
            for j in 1..<1000 {
                ej *= v
                let s1 = s + ej / Double(2 * j + 1)
                if s1 == s { return s1 }
                s = s1
            }
        }
        return x * log(x / np) + np - x
    }
}
