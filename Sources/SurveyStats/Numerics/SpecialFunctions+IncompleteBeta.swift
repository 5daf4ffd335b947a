import Foundation

extension SpecialFunctions {
    /// log of the power term x^a·y^b / B(a, b), where y = 1 − x is passed separately so that neither is ever
    /// formed as 1 − (the other).
    ///
    /// `deviation` is x·b − y·a = (a+b)·(x − a/(a+b)), the distance from the mode-like point; callers that can form it
    /// exactly from their own parameters (t, F) pass it, otherwise it is computed with an fma. For min(a, b) ≥ 10
    /// the term is evaluated as √(ab/(2π(a+b))) · exp(a·log1pmx(u_a) + b·log1pmx(u_b) + δ(a+b) − δ(a) − δ(b)),
    /// u_a = dev/a, u_b = −dev/b (TOMS 708 `brcomp` idea), so huge a, b lose no digits.
    static func logBetaPowerTerm(a: Double, b: Double, x: Double, y: Double, deviation: Double? = nil) -> Double {
        // log x and log y, each from whichever of x, y is the small (accurately known) one.
        let logX = x < 0.5 ? log(x) : log1p(-y)
        let logY = y < 0.5 ? log(y) : log1p(-x)
        if min(a, b) < 10 {
            return a * logX + b * logY - logBeta(a, b)
        }
        let dev = deviation ?? fma(x, b, -(y * a))
        let ua = dev / a, ub = -dev / b
        // p·log1pmx(u) with 1+u = z/z0, z0 = p/(a+b); far from 0 use log(z/z0) directly (1+u would cancel near −1).
        func scaledLog1pmx(_ p: Double, _ u: Double, _ logZ: Double, _ other: Double) -> Double {
            if abs(u) <= 0.5 { return p * log1pmx(u) }
            return p * (logZ + log1p(other / p)) - p * u
        }
        let ta = scaledLog1pmx(a, ua, logX, b)
        let tb = scaledLog1pmx(b, ub, logY, a)
        let scale = 0.5 * log(a / (a + b) * b) - halfLog2Pi
        return scale + ta + tb + stirlingError(a + b) - stirlingError(a) - stirlingError(b)
    }

    /// I_x(a, b) and its complement I_y(b, a), y = 1 − x given separately, the small side computed directly.
    ///
    /// The continued fraction (modified Lentz) is applied on the side where it converges quickly,
    /// x < (a+1)/(a+b+2), and the result is I_x(a,b) = x^a y^b/(a·B(a,b)) · CF.
    static func incompleteBeta(a: Double, b: Double, x: Double, y: Double, deviation: Double? = nil) -> TailPair {
        if a.isNaN || b.isNaN || x.isNaN || y.isNaN { return .nan }
        if a < 0 || b < 0 || x < 0 || y < 0 || (a == 0 && b == 0) { return .nan }
        if x == 0 || b == 0 { return x == 0 && b == 0 ? .nan : .allUpper }
        if y == 0 || a == 0 { return .allLower }
        if a.isInfinite || b.isInfinite { return .nan }
        if a > 1 && b > 1 {
            // λ = (a+b)·y − b = −deviation ≥ 0 means x lies below the mean a/(a+b): the fraction's side.
            let dev = deviation ?? fma(x, b, -(y * a))
            if dev > 0 {
                return incompleteBeta(sideOfFraction: b, b: a, x: y, y: x, deviation: -dev).swapped
            }
            return incompleteBeta(sideOfFraction: a, b: b, x: x, y: y, deviation: dev)
        }
        if x > (a + 1) / (a + b + 2) {
            return incompleteBeta(sideOfFraction: b, b: a, x: y, y: x, deviation: deviation.map { -$0 }).swapped
        }
        return incompleteBeta(sideOfFraction: a, b: b, x: x, y: y, deviation: deviation)
    }

    /// I_x(a, b) for x < (a+1)/(a+b+2), where the continued fraction converges.
    private static func incompleteBeta(sideOfFraction a: Double, b: Double, x: Double, y: Double,
                                       deviation: Double?) -> TailPair {
        // With a ≫ b and x close to 1 the fraction's leading terms are 1 − (a+b)x/(a+1) ≈ y-sized differences of
        // O(1) numbers, so the rounding of x (not y) costs eps/y relative accuracy (1e-11 for t with df = 1e6).
        // There the large-a expansion, which only needs log x = log1p(−y), is both accurate and fast.
        if a >= 20, b <= 10, a >= 50 * b, y < 0.2,
           let logLower = incompleteBetaLargeA(a: a, b: b, x: x, y: y) {
            return .fromLogLower(logLower)
        }
        if a > 1 && b > 1, let dev = deviation, dev <= 0 {
            return incompleteBetaByLambdaFraction(a: a, b: b, x: x, y: y, deviation: dev)
        }
        return incompleteBetaByFraction(a: a, b: b, x: x, y: y, deviation: deviation)
    }

    /// I_x(a, b) for a, b > 1 and x at or below the mean, by the continued fraction of Didonato and Morris
    /// (TOMS 708 `BFRAC`) written in terms of λ = (a+b)·y − b = −deviation ≥ 0. Because λ is passed exactly rather
    /// than re-derived from a rounded x, the fraction does not suffer the eps/λ loss of the classic form near the
    /// mean. I_x = x^a·y^b/B(a,b) · r.
    private static func incompleteBetaByLambdaFraction(a: Double, b: Double, x: Double, y: Double,
                                                       deviation: Double) -> TailPair {
        let logPower = logBetaPowerTerm(a: a, b: b, x: x, y: y, deviation: deviation)
        let lambda = -deviation
        let c = 1 + lambda, c0 = b / a, c1 = 1 + 1 / a, yPlus1 = y + 1
        var p = 1.0, s = a + 1
        var aPrev = 0.0, bPrev = 1.0, aCur = 1.0, bCur = c / c1
        var r = c1 / c
        let maxIterations = 200 + Int(min(30 * max(a, b).squareRoot(), 1e5))
        for i in 1..<maxIterations {
            let n = Double(i)
            let t = n / a
            let w = n * (b - n) * x
            var e = a / s
            let alpha = p * (p + c0) * e * e * (w * x)
            e = (1 + t) / (c1 + t + t)
            let beta = n + w / s + e * (c + n * yPlus1)
            p = 1 + t
            s += 2
            let aNext = alpha * aPrev + beta * aCur
            let bNext = alpha * bPrev + beta * bCur
            let rPrev = r
            r = aNext / bNext
            if abs(r - rPrev) <= 1e-16 * r { break }
            // Rescale so the convergents neither overflow nor underflow.
            aPrev = aCur / bNext; bPrev = bCur / bNext
            aCur = r; bCur = 1
        }
        return .fromLogLower(logPower + log(r))
    }

    /// 1/(2m+1)! for m = 0…30, for the coefficients of the large-a expansion.
    private static let inverseOddFactorials: [Double] = {
        var table = [Double](repeating: 1, count: 31)
        var f = 1.0
        for m in 1...30 {
            f *= Double(2 * m) * Double(2 * m + 1)
            table[m] = 1 / f
        }
        return table
    }()

    /// log I_x(a, b) for large a and small b by Didonato and Morris's asymptotic expansion (TOMS 708 `BGRAT`):
    /// with T = a + (b−1)/2 and u = −T·log x,
    ///     I_x(a, b) = Γ(a+b)/(Γ(a)·T^b) · Σₙ pₙ·Jₙ(b, u),   J₀ = Q(b, u)·Γ(b)·e^u·u^(−b),
    /// Jₙ from the three-term recurrence of their eq. 9.6 and pₙ from eq. 9.4. For b = ½ the leading term is the
    /// familiar erfc(√u) formula for the t tail. Returns nil when 30 terms do not reach full precision.
    static func incompleteBetaLargeA(a: Double, b: Double, x: Double, y: Double) -> Double? {
        let logX = y < 0.35 ? log1p(-y) : log(x)
        let bigT = a + 0.5 * (b - 1)
        let u = -bigT * logX
        if !(u > 0) { return nil }
        let logH = logGammaPowerTerm(b, u)                    // log(u^b e^(−u) / Γ(b))
        let logQ = incompleteGamma(b, u).logUpper
        let logFront = logGamma(b) - logBeta(a, b) - b * log(bigT)   // log(Γ(a+b) / (Γ(a)·T^b))
        var j = exp(logQ - logH)
        var sum = j
        let halfLogX2 = 0.25 * logX * logX
        let fourT2 = 4 * bigT * bigT
        var logXPower = 1.0
        var b2n = b
        let inv = inverseOddFactorials
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: 31) { p -> Double? in
            p[0] = 1
            for n in 1...30 {
                var pn = 0.0
                if n > 1 {
                    for m in 1..<n { pn += (Double(m) * b - Double(n)) * p[n - m] * inv[m] }
                }
                pn = pn / Double(n) + (b - 1) * inv[n]
                p[n] = pn
                j = (b2n * (b2n + 1) * j + (u + b2n + 1) * logXPower) / fourT2
                logXPower *= halfLogX2
                b2n += 2
                let term = pn * j
                sum += term
                if abs(term) <= 1e-17 * abs(sum) { return sum > 0 ? logFront + logH + log(sum) : nil }
            }
            return nil
        }
    }

    private static func incompleteBetaByFraction(a: Double, b: Double, x: Double, y: Double,
                                                 deviation: Double?) -> TailPair {
        let logPower = logBetaPowerTerm(a: a, b: b, x: x, y: y, deviation: deviation)
        let tiny = 1e-300
        let qab = a + b, qap = a + 1, qam = a - 1
        var c = 1.0
        var d = 1 - qab * x / qap
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        let maxIterations = 200 + Int(min(30 * max(a, b).squareRoot(), 1e5))
        for i in 1..<maxIterations {
            let m = Double(i), m2 = 2 * m
            var aa = m * (b - m) * x / ((qam + m2) * (a + m2))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) <= 1e-16 { break }
        }
        return .fromLogLower(logPower + log(h) - log(a))
    }
}
