import Foundation

/// Summary statistics of one numeric variable: n, missing, mean, SD, SE, min, max, median (optionally weighted).
///
/// Moments are computed from the column's `stored` values (value = `offset` + stored, see `NumericColumn`) by a
/// corrected two-pass algorithm with compensated sums, so the shift that `parseDecimalColumn` picks for
/// 10000000.2-like data carries through: NIST StRD NumAcc1–4 and the other univariate sets reach mean LRE ≥ 14 and
/// SD LRE ≥ 13 (see `Tests/SurveyStatsTests/Statistics/NISTUnivariateTests.swift`).
public struct DescriptiveStatistics: Sendable, CustomStringConvertible {
    /// Number of non-missing observations (rows) with a positive weight, whatever the weights' size.
    public let n: Int
    /// Rows left out: missing (NaN / system missing, a declared missing code, or a missing/NaN weight) or with
    /// weight 0 (`zeroWeight` of them).
    public let missing: Int
    /// Rows with a value but weight 0: left out of everything (n, min, max, median, the SD's n − 1), as they
    /// carry no weight; included in `missing`.
    public let zeroWeight: Int
    /// Σw over the observations used (equals `n` when unweighted).
    public let sumOfWeights: Double
    public let weightKind: WeightKind?
    public let mean: Double
    /// Sample variance (n − 1 denominator; for weights see `WeightKind`). NaN when fewer than 2 observations.
    /// +∞ (or 0) when the SD is representable but its square is not (data of magnitude 1e160 or 1e-170).
    public var variance: Double { standardDeviation * standardDeviation }
    public let min: Double
    public let max: Double
    /// Median (the average of the two middle values for an even count; for weights the weighted median with the
    /// same convention, which reproduces the expanded-data median for integer frequency weights).
    public let median: Double
    /// Standard error of the mean (see `WeightKind` for weighted data).
    public let standardError: Double
    /// NIST's lag-1 autocorrelation r(1) = Σ(yᵢ−ȳ)(yᵢ₋₁−ȳ)/Σ(yᵢ−ȳ)² over the non-missing values in order;
    /// nil for weighted data.
    public let autocorrelationLag1: Double?

    /// Sample SD, formed from deviations divided by a power of two near the largest |x − mean| before they are
    /// squared (as `dnrm2` scales), so it is representable whenever the data's spread is.
    public let standardDeviation: Double
    public var sd: Double { standardDeviation }

    /// Summary of a numeric column (missing cells are NaN in `stored`), optionally with case weights.
    /// - Parameters:
    ///   - missingCodes: values that count as missing (e.g. 9 = "ubesvart").
    ///   - missingRanges: ranges of values that count as missing (SPSS user-missing ranges such as 97 THRU 99).
    ///   - weights: one weight per row; rows with a NaN or zero weight are left out (counted in `missing`).
    ///     Negative weights throw.
    public init(_ column: NumericColumn, missingCodes: Set<Double> = [], missingRanges: [ClosedRange<Double>] = [],
                weights: [Double]? = nil, weightKind: WeightKind = .frequency) throws {
        try self.init(column, missing: MissingValueSet(codes: missingCodes.sorted(), ranges: missingRanges),
                      weights: weights, weightKind: weightKind)
    }

    /// Summary of a numeric column; `missing` decides which values are missing (the one definition shared with
    /// the other analyses).
    init(_ column: NumericColumn, missing declared: MissingValueSet, weights: [Double]? = nil,
         weightKind: WeightKind = .frequency) throws {
        if let w = weights, w.count != column.count {
            throw DataError.invalid("weights have \(w.count) rows, data has \(column.count)")
        }
        if let codes = column.codes, weights == nil {
            self = DescriptiveStatistics(codes: codes, missing: declared)
            return
        }
        var xs = [Double](), ws = [Double]()
        xs.reserveCapacity(column.count)
        var missing = 0, zeroWeight = 0
        // Through `withStoredValues`: one contiguous buffer, also for a code column that has weights.
        try column.withStoredValues { stored in
            for i in 0..<stored.count {
                let s = stored[i]
                if s.isNaN || (!declared.isEmpty && declared.contains(column.offset + s)) { missing += 1; continue }
                if let w = weights {
                    let wi = w[i]
                    if wi.isNaN { missing += 1; continue }
                    if wi < 0 || !wi.isFinite {
                        throw DataError.invalid("weight \(wi) in row \(i + 1) is negative or infinite")
                    }
                    // A zero-weight row is not an observation: with it, analytic/probability n, min and max
                    // counted rows the table says were left out.
                    if wi == 0 { zeroWeight += 1; missing += 1; continue }
                    ws.append(wi)
                }
                xs.append(s)
            }
        }
        if weights != nil && weightKind == .frequency { try DescriptiveStatistics.checkFrequencyTotal(ws) }
        self.init(storedValues: xs, offset: column.offset, weights: weights == nil ? nil : ws,
                  weightKind: weightKind, missing: missing, zeroWeight: zeroWeight)
    }

    /// Summary of a numeric variable, honouring its declared missing codes.
    public init(_ variable: Variable, weights: [Double]? = nil, weightKind: WeightKind = .frequency) throws {
        guard case .numeric(let c) = variable.values else { throw DataError.notNumeric(variable: variable.name) }
        try self.init(c, missing: MissingValueSet(variable), weights: weights, weightKind: weightKind)
    }

    /// Summary of plain values; `nil` and NaN are missing.
    public init(_ values: [Double?], weights: [Double]? = nil, weightKind: WeightKind = .frequency) throws {
        try self.init(NumericColumn(values), weights: weights, weightKind: weightKind)
    }

    /// Summary of plain values without missing data or weights.
    public init(_ values: [Double]) {
        let xs = values.filter { !$0.isNaN }
        self.init(storedValues: xs, offset: 0, weights: nil, weightKind: .frequency, missing: values.count - xs.count)
    }

    private init(storedValues xs: [Double], offset: Double, weights: [Double]?, weightKind: WeightKind, missing: Int,
                 zeroWeight: Int = 0) {
        self.n = xs.count
        self.missing = missing
        self.zeroWeight = zeroWeight
        self.weightKind = weights == nil ? nil : weightKind
        let nD = Double(xs.count)
        guard !xs.isEmpty else {
            sumOfWeights = 0; mean = .nan; standardDeviation = .nan; min = .nan; max = .nan; median = .nan
            standardError = .nan; autocorrelationLag1 = nil
            return
        }
        var lo = xs[0], hi = xs[0]
        for x in xs { if x < lo { lo = x }; if x > hi { hi = x } }
        min = offset + lo; max = offset + hi
        if let w0 = weights {
            // Weights matter up to a common factor for everything but a frequency count: when their sum (or their
            // size) leaves double's comfortable range they are rescaled by a power of two (exact). The caller has
            // already refused frequency weights whose total is not representable.
            let (w, weightScale) = DescriptiveStatistics.rescaledWeights(w0)
            let W = CompensatedSum.sum(w)
            sumOfWeights = W / weightScale
            // The moments of x·s (s a power of two, 1 unless |x|·W nears double's largest; see `inputScale`).
            let s = DescriptiveStatistics.inputScale(Swift.max(abs(lo), abs(hi)), exponentOfTotal: Int(W.exponent) + 2)
            let m0 = CompensatedSum.sum(zip(xs, w).lazy.map { $0 * s * $1 }) / W
            // Second pass: correction term (Σw(x−m0))/W absorbs the first pass's rounding error.
            let m = m0 + CompensatedSum.sum(zip(xs, w).lazy.map { ($0 * s - m0) * $1 }) / W
            // Deviations (of x·s) are divided by `unit`, a power of two near the largest, before they are squared.
            let unit = DescriptiveStatistics.unit(Swift.max(abs(lo * s - m), abs(hi * s - m)))
            var ss = CompensatedSum(), sw2 = CompensatedSum(), corr = CompensatedSum()
            for (x, wi) in zip(xs, w) {
                let d = (x * s - m) / unit
                ss.add(wi * d * d); corr.add(wi * d); sw2.add(wi * wi * d * d)
            }
            let ssd = ss.value - corr.value * corr.value / W   // Σw(x − x̄)² / unit², weights rescaled
            mean = offset + m / s
            switch weightKind {
            case .frequency:
                // W − 1 with the true W (the weights' scale is 1 here unless W is huge, where W − 1 = W).
                let trueW = W / weightScale
                let v = weightScale == 1 ? ssd / (W - 1) : ssd / W * (trueW / (trueW - 1))
                standardDeviation = trueW > 1 ? v.squareRoot() * unit / s : .nan
                standardError = standardDeviation / trueW.squareRoot()
            case .analytic, .probability:
                standardDeviation = xs.count > 1 ? (ssd / W * nD / (nD - 1)).squareRoot() * unit / s : .nan
                if weightKind == .analytic {
                    standardError = standardDeviation / nD.squareRoot()
                } else {
                    standardError = xs.count > 1 ? (nD / (nD - 1) * sw2.value).squareRoot() / W * unit / s : .nan
                }
            }
            median = offset + DescriptiveStatistics.weightedMedian(xs, w)
            autocorrelationLag1 = nil
        } else {
            sumOfWeights = nD
            // The moments of x·s (s a power of two, 1 unless n·|x| nears double's largest; see `inputScale`).
            let s = DescriptiveStatistics.inputScale(Swift.max(abs(lo), abs(hi)),
                                                     exponentOfTotal: Int.bitWidth - xs.count.leadingZeroBitCount)
            let m0 = CompensatedSum.sum(xs.lazy.map { $0 * s }) / nD
            let m = m0 + CompensatedSum.sum(xs.lazy.map { $0 * s - m0 }) / nD
            // Deviations (of x·s) are divided by `unit`, a power of two near the largest, before they are squared.
            let unit = DescriptiveStatistics.unit(Swift.max(abs(lo * s - m), abs(hi * s - m)))
            var ss = CompensatedSum(), corr = CompensatedSum(), lag = CompensatedSum()
            var prev = Double.nan
            for x in xs {
                let d = (x * s - m) / unit
                ss.add(d * d); corr.add(d)
                if !prev.isNaN { lag.add(d * prev) }
                prev = d
            }
            let ssd = ss.value - corr.value * corr.value / nD
            mean = offset + m / s
            standardDeviation = xs.count > 1 ? (ssd / (nD - 1)).squareRoot() * unit / s : .nan
            standardError = standardDeviation / nD.squareRoot()
            autocorrelationLag1 = xs.count > 1 && ssd > 0 ? lag.value / ssd : nil
            let sorted = xs.sorted()
            let h = sorted.count / 2
            median = offset + (sorted.count % 2 == 1 ? sorted[h] : sorted[h - 1] / 2 + sorted[h] / 2)
        }
    }

    /// Unweighted summary of a code column (see `NumericColumn`) from its per-code counts, in exact integer
    /// arithmetic: with S = Σx, Q = Σx², P = Σxᵢxᵢ₋₁ over the n non-missing codes in order (all exact integers),
    /// mean = S/n, variance = (nQ − S²)/(n(n − 1)) and r(1) = (n²P − nS(2S − x_first − x_last) + (n − 1)S²) /
    /// (n(nQ − S²)): each is one rounding of an exact ratio (≤ 1.5 ulp), where the two-pass double algorithm
    /// accumulates roundings over n terms. The median comes from the cumulative counts.
    init(codes: [UInt8], missing declared: MissingValueSet) {
        var isMissing = [Bool](repeating: false, count: 256)
        isMissing[Int(NumericColumn.missingCode)] = true
        for c in 0..<255 where declared.contains(Double(c)) { isMissing[c] = true }
        var counts = [Int](repeating: 0, count: 256)
        var lagged: UInt64 = 0
        var first = -1, previous = -1
        isMissing.withUnsafeBufferPointer { miss in
            counts.withUnsafeMutableBufferPointer { h in
                codes.withUnsafeBufferPointer { x in
                    for i in 0..<x.count {
                        let c = Int(x[i])
                        h[c] &+= 1
                        if miss[c] { continue }
                        if previous >= 0 { lagged &+= UInt64(previous &* c) } else { first = c }
                        previous = c
                    }
                }
            }
        }
        var n = 0, sum: UInt64 = 0, squares: UInt64 = 0
        var lo = -1, hi = -1
        for c in 0..<256 where !isMissing[c] && counts[c] > 0 {
            n += counts[c]
            sum += UInt64(c) * UInt64(counts[c])
            squares += UInt64(c * c) * UInt64(counts[c])
            if lo < 0 { lo = c }
            hi = c
        }
        self.n = n
        self.missing = codes.count - n
        self.zeroWeight = 0
        self.weightKind = nil
        guard n > 0 else {
            sumOfWeights = 0; mean = .nan; standardDeviation = .nan; min = .nan; max = .nan; median = .nan
            standardError = .nan; autocorrelationLag1 = nil
            return
        }
        sumOfWeights = Double(n)
        min = Double(lo); max = Double(hi)
        mean = Double(sum) / Double(n)
        let nn = Int128(n), s = Int128(sum)
        let spread = nn * Int128(squares) - s * s                 // n · Σ(x − x̄)², exact and ≥ 0
        let variance = n > 1 ? Double(spread) / Double(nn * (nn - 1)) : .nan
        standardDeviation = variance.squareRoot()
        standardError = (variance / Double(n)).squareRoot()
        if n > 1 && spread > 0 {
            let ends = Int128(first + previous)
            let lag = nn * nn * Int128(lagged) - nn * s * (2 * s - ends) + (nn - 1) * s * s
            autocorrelationLag1 = Double(lag) / Double(nn * spread)
        } else {
            autocorrelationLag1 = nil
        }
        // The k-th smallest value (0-based) from the cumulative counts.
        func kth(_ k: Int) -> Double {
            var seen = 0
            for c in 0..<256 where !isMissing[c] {
                seen += counts[c]
                if seen > k { return Double(c) }
            }
            return Double(hi)
        }
        let h = n / 2
        median = n % 2 == 1 ? kth(h) : kth(h - 1) / 2 + kth(h) / 2
    }

    /// The power of two (exact) by which values are multiplied before they are summed when the sums could overflow:
    /// |x| up to `largest` over a total of up to 2^`exponentOfTotal` (the count, or Σw) stays below 2^1001, and so
    /// does x·s − m. 1 when no sum can come near double's largest (×1 is exact: ordinary data are unchanged).
    /// Values of 1.5e308 and −1.6e308 have a representable mean and SD; only their sums are not.
    static func inputScale(_ largest: Double, exponentOfTotal: Int) -> Double {
        guard largest.isNormal else { return 1 }
        let exponent = Int(largest.exponent) + exponentOfTotal
        return exponent > 1000 ? Double(sign: .plus, exponent: 1000 - exponent, significand: 1) : 1
    }

    /// A power of two near `largest` (exact to divide by), or 1 when `largest` is 0, subnormal or not finite. For
    /// a largest deviation within 2^±480 it is 1, so ordinary data give bit-for-bit the unscaled result.
    static func unit(_ largest: Double) -> Double {
        guard largest.isNormal, largest > 0x1p480 || largest < 0x1p-480 else { return 1 }
        return Double(sign: .plus, exponent: largest.exponent, significand: 1)
    }

    /// Weights divided by a power of two (exact) when their sum would overflow or their size is extreme, and the
    /// factor applied (1: unchanged). Every weighted statistic here but a frequency count is invariant to it.
    static func rescaledWeights(_ w: [Double]) -> (weights: [Double], scale: Double) {
        let scale = weightScale(w)
        return scale == 1 ? (w, 1) : (w.map { $0 * scale }, scale)
    }

    /// The power of two that brings the largest finite weight near 1 when the weights are extreme, else 1: when
    /// their sum could overflow (largest above 2^900 / count), when their squares could (above 2^480: Σw² of
    /// probability-weighted SEs overflowed for weights of 1e200), or when they are tiny (below 2^-480). NaN and
    /// infinite weights are ignored (they are missing or refused by the caller).
    static func weightScale(_ w: [Double]) -> Double {
        var largest = 0.0
        for x in w where x.isFinite && x > largest { largest = x }
        guard largest.isNormal, largest > Swift.min(0x1p480, 0x1p900 / Double(Swift.max(1, w.count))) || largest < 0x1p-480 else {
            return 1
        }
        return Double(sign: .plus, exponent: -largest.exponent, significand: 1)
    }

    /// The error for frequency weights whose total is not a representable number (they are counts: a total
    /// beyond ~1.8e308 cannot be one).
    static func checkFrequencyTotal(_ w: [Double]) throws {
        var total = 0.0
        for x in w where x.isFinite { total += x }
        guard total.isFinite else {
            throw StatisticsError.weightTotalNotRepresentable(what: "descriptive statistics")
        }
    }

    /// Smallest x whose cumulative weight reaches half the total; when the cumulative weight lands exactly on
    /// the half, the average of that x and the next (the expanded-data convention).
    static func weightedMedian(_ xs: [Double], _ w: [Double]) -> Double {
        let order = xs.indices.filter { w[$0] > 0 }.sorted { xs[$0] < xs[$1] }
        guard !order.isEmpty else { return .nan }
        let half = CompensatedSum.sum(order.map { w[$0] }) / 2
        var cum = CompensatedSum()
        for (k, i) in order.enumerated() {
            cum.add(w[i])
            if cum.value == half, k + 1 < order.count { return xs[i] / 2 + xs[order[k + 1]] / 2 }
            if cum.value >= half { return xs[i] }
        }
        return xs[order[order.count - 1]]
    }

    public var description: String {
        let w = weightKind.map { ", \($0.rawValue) weights, Σw = \(formatStat(sumOfWeights))" } ?? ""
        return """
        Descriptive statistics (n = \(n), missing = \(missing)\(w))
          mean   \(formatStat(mean))    SD \(formatStat(standardDeviation))    SE \(formatStat(standardError))
          min    \(formatStat(min))    median \(formatStat(median))    max \(formatStat(max))
        """
    }
}

/// Formats a statistic for the uniform `description` output: up to 6 significant digits, no trailing noise.
func formatStat(_ x: Double) -> String {
    if x.isNaN { return "NaN" }
    if x.isInfinite { return x > 0 ? "inf" : "-inf" }
    if x == 0 { return "0" }
    let a = abs(x)
    if a >= 1e-4 && a < 1e9 {
        var s = String(format: "%.6g", x)
        if s.contains("e") { s = String(format: "%.4f", x) }
        return s
    }
    return String(format: "%.4e", x)
}

/// Formats a p-value: "< 1e-300" style for tiny values, 4 significant digits otherwise.
func formatP(_ p: Double) -> String {
    if p.isNaN { return "NaN" }
    if p < 1e-4 { return String(format: "%.3e", p) }
    return String(format: "%.4f", p)
}
