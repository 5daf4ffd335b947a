import Foundation

/// Safeguarded Newton iteration used by the t, F and χ² quantile functions.
///
/// Solves log T(x) = log target for x > 0, where T is a monotone tail probability (or any monotone positive
/// function). Steps are taken in log x on log T, where the tails of these distributions are nearly linear
/// (power-law tails) or convex (exponential tails), so Newton converges in a handful of steps from a rough guess.
/// A bracket [lo, hi] is kept from the signs seen so far; a step that leaves it, or that fails to at least halve the
/// step before last (slow monotone convergence after an overshoot), is replaced by bisection (geometric while the
/// bracket spans more than a factor 2), as in Numerical Recipes' `rtsafe`. At most `maxIterations` evaluations.
enum QuantileSolver {
    static let maxIterations = 200

    /// - Parameters:
    ///   - logTarget: log of the wanted tail value.
    ///   - guess: starting point (> 0).
    ///   - increasing: whether T increases with x (a cdf) or decreases (an sf).
    ///   - evaluate: returns (log T(x), d log T / d log x).
    static func solve(logTarget: Double, guess: Double, increasing: Bool,
                      _ evaluate: (Double) -> (logValue: Double, slope: Double)) -> Double {
        var x = guess.isFinite && guess > 0 ? guess : 1
        var lo = 0.0, hi = Double.infinity
        var lastStep = Double.infinity, stepBeforeLast = Double.infinity   // |Δ log x| of recent steps
        for _ in 0..<maxIterations {
            let (logValue, slope) = evaluate(x)
            let f = logValue - logTarget
            if f == 0 { return x }
            if (f < 0) == increasing { lo = x } else { hi = x }
            var next = Double.nan
            let step = -f / slope   // Newton step in log x
            // Converged: Newton's error after a step of size s is O(s²), far below rounding for |s| ≤ 1e-13.
            if abs(step) <= 1e-13 { return x + x * step }
            if step.isFinite {
                if step < 0 && step > -0.9 {
                    // Moving left, take the Newton step in x instead: it is exact for exponential tails
                    // (log T ≈ −x/2), where the log-x step would crawl back by about 1 per iteration, and for
                    // power-law tails it merely overshoots into the bracket, after which the log-x step is exact.
                    next = x + x * step
                } else {
                    // x·e^s; via expm1 for small s (keeps the last bits), directly for large |s|.
                    next = abs(step) < 1 ? x + x * expm1(step) : x * exp(max(-200, min(200, step)))
                }
            }
            // A step past the end of the Double range: go to the end first, so that a root beyond it is detected
            // (→ 0 or +∞) in a couple of evaluations rather than by repeated ×16 steps.
            if next == 0 && step < 0 { next = Swift.max(x * 1e-40, Double.leastNonzeroMagnitude) }
            if next == .infinity && step > 0 { next = Swift.min(x * 1e40, Double.greatestFiniteMagnitude) }
            let slowProgress = lo > 0 && hi.isFinite && abs(log(next / x)) > 0.5 * stepBeforeLast
            if !(next > lo && next < hi) || slowProgress {
                if hi.isInfinite {
                    next = x * 16
                    if next.isInfinite { return .infinity }
                } else if lo == 0 {
                    next = x / 16
                    if next == 0 { return 0 }
                } else if hi > 2 * lo {
                    next = (lo.squareRoot() * hi.squareRoot())
                } else {
                    next = lo + 0.5 * (hi - lo)
                }
            }
            stepBeforeLast = lastStep
            lastStep = abs(log(next / x))
            if abs(next - x) <= 2e-16 * x { return next }
            if lo > 0, hi.isFinite, hi - lo <= 2e-16 * hi { return next }
            x = next
        }
        return x
    }
}

extension QuantileSolver {
    /// The candidate starting point (finite, > 0) whose log tail is closest to the target.
    static func bestGuess(_ a: Double, _ b: Double, _ c: Double = .nan, logTarget: Double,
                          logTail: (Double) -> Double) -> Double {
        var best = 1.0, bestError = Double.infinity
        func consider(_ candidate: Double) {
            guard candidate.isFinite && candidate > 0 else { return }
            let error = abs(logTail(candidate) - logTarget)
            if error < bestError { bestError = error; best = candidate }
        }
        consider(a); consider(b); consider(c)
        return best
    }
}

extension QuantileSolver {
    /// Quantile (`lowerTail`) or inverse survival function of a distribution on (0, ∞), shared by χ² and F:
    /// Newton on the log of the *smaller* tail, so that tiny probabilities keep their relative accuracy.
    /// `tails(x)` gives both tails with their logs, `guess(p, lowerTail)` a starting point.
    static func positiveSupportInverse(_ p: Double, lowerTail: Bool, isValid: Bool,
                                       guess: (Double, Bool) -> Double,
                                       tails: (Double) -> TailPair,
                                       logPDF: (Double) -> Double) -> Double {
        guard isValid, !p.isNaN, p >= 0, p <= 1 else { return .nan }
        if p == 0 { return lowerTail ? 0 : .infinity }
        if p == 1 { return lowerTail ? .infinity : 0 }
        if p > 0.5 {   // 1 − p is exact for p ≥ ½: solve in the other, smaller tail
            return positiveSupportInverse(1 - p, lowerTail: !lowerTail, isValid: isValid,
                                          guess: guess, tails: tails, logPDF: logPDF)
        }
        return solve(logTarget: log(p), guess: guess(p, lowerTail), increasing: lowerTail) { x in
            let pair = tails(x)
            let logTail = lowerTail ? pair.logLower : pair.logUpper
            // d log(tail) / d log(x) = ± x·pdf(x) / tail
            let slope = exp(logPDF(x) + log(x) - logTail)
            return (logTail, lowerTail ? slope : -slope)
        }
    }
}
