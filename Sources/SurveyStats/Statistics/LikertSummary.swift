import Foundation
import Matrix

/// Summary of a Likert-type item on a fixed scale (e.g. 1–5): n, missing by reason, mean, SD, SE, median,
/// count and percent per scale point (points with no answers included), and top-/bottom-box shares.
///
/// Everything is computed from the per-point counts (exact integers, or Σw with case weights), which is both
/// exact and fast. Percentages are of the valid answers (`percent`) or of all rows including missing
/// (`percentOfAll`) — the report uses both. Values that are neither missing nor a scale point are counted in
/// `outOfScale` and excluded (listed in `notes`), never silently dropped. Weighted SD and SE follow `WeightKind`.
public struct LikertSummary: Sendable, CustomStringConvertible {
    /// The scale points in order, e.g. [1, 2, 3, 4, 5].
    public let scale: [Double]
    /// Labels for the scale points when known.
    public let labels: [String?]
    /// Count (Σw when weighted) per scale point, aligned with `scale`; +inf where analytic or probability
    /// weights sum beyond double's range (the statistics are computed from rescaled sums and stay finite).
    public var counts: [Double] { weightScale == 1 ? scaledCounts : scaledCounts.map { $0 / weightScale } }
    /// Number of rows with a valid answer (unweighted).
    public let n: Int
    /// Σw over valid answers (= n when unweighted).
    public var validTotal: Double { scaledValidTotal / weightScale }
    /// Rows that were system missing (empty / NaN).
    public let systemMissing: Int
    /// Rows per declared missing code (e.g. 6 = "vet ikke": 12).
    public let missingByCode: [Double: Int]
    /// Rows (unweighted) whose value is neither a scale point nor missing.
    public let outOfScale: Int
    /// Rows with weight 0: left out of everything (n, the counts, the n − 1 of analytic/probability SDs), as
    /// they carry no weight; included in `missing`.
    public let zeroWeight: Int
    /// Σw of all rows (valid + missing + out of scale), the base of `percentOfAll`.
    public var allTotal: Double { scaledAllTotal / weightScale }
    public let weightKind: WeightKind?
    /// The power of two (exact) every weight was multiplied by before summing: 1 unless the weights are extreme
    /// (beyond 2^±480, or a sum that could overflow), where Σw, Σw² or Σw·x² would leave double's range. The
    /// statistics are computed from the rescaled sums (they are invariant to the weights' scale; a frequency SD's
    /// n − 1 uses the true Σw).
    let weightScale: Double
    /// Σw × `weightScale` per scale point, over valid answers and over all rows.
    private let scaledCounts: [Double], scaledValidTotal: Double, scaledAllTotal: Double
    public let notes: [String]
    private let sumW2dev2: Double

    /// Total rows left out as missing (system missing + declared codes + zero weight).
    public var missing: Int { systemMissing + missingByCode.values.reduce(0, +) + zeroWeight }
    public var mean: Double { CompensatedSum.sum(zip(scale, scaledCounts).map { $0 * $1 }) / scaledValidTotal }
    /// SD: n − 1 denominator (frequency definition; analytic/probability weights use n rows, see `WeightKind`).
    public var standardDeviation: Double {
        let m = mean
        let ss = CompensatedSum.sum(zip(scale, scaledCounts).map { ($0 - m) * ($0 - m) * $1 })
        // Undefined (NaN) when the df is not positive: Σw ≤ 1 for frequency weights (a row of weight 0.5 gave
        // √(0/−0.5) = −0), n ≤ 1 rows otherwise — as `DescriptiveStatistics` reports it.
        switch weightKind {
        case nil, .frequency?:
            guard weightScale != 1 else { return scaledValidTotal > 1 ? (ss / (scaledValidTotal - 1)).squareRoot() : .nan }
            // Rescaled counts: Σw(x − x̄)² / Σw × Σw/(Σw − 1) with the true Σw (where Σw − 1 = Σw, in practice).
            return validTotal > 1 ? (ss / scaledValidTotal * (validTotal / (validTotal - 1))).squareRoot() : .nan
        case .analytic?, .probability?:
            let nD = Double(n)
            return n > 1 ? (ss / scaledValidTotal * nD / (nD - 1)).squareRoot() : .nan
        }
    }
    public var sd: Double { standardDeviation }
    public var standardError: Double {
        switch weightKind {
        case nil, .frequency?: return standardDeviation / validTotal.squareRoot()
        case .analytic?: return standardDeviation / Double(n).squareRoot()
        case .probability?:
            let nD = Double(n)
            return n > 1 ? (nD / (nD - 1) * sumW2dev2).squareRoot() / scaledValidTotal : .nan
        }
    }
    /// Median of the answers (average of the two middle scale points when the cumulative share hits ½ exactly).
    public var median: Double {
        guard scaledValidTotal > 0 else { return .nan }
        let half = scaledValidTotal / 2
        var cum = 0.0
        for (k, c) in scaledCounts.enumerated() where c > 0 {
            cum += c
            if cum == half, let next = scaledCounts.indices.dropFirst(k + 1).first(where: { scaledCounts[$0] > 0 }) {
                return scale[k] / 2 + scale[next] / 2
            }
            if cum >= half { return scale[k] }
        }
        return scale[scale.count - 1]
    }
    /// Percent of valid answers per scale point.
    public var percent: [Double] { scaledCounts.map { 100 * $0 / scaledValidTotal } }
    /// Percent of all rows (missing included) per scale point.
    public var percentOfAll: [Double] { scaledCounts.map { 100 * $0 / scaledAllTotal } }

    /// Percent of valid answers in the given scale points (top box `[4, 5]`, bottom box `[1, 2]` …).
    public func share(of points: Set<Double>) -> Double {
        100 * CompensatedSum.sum(zip(scale, scaledCounts).filter { points.contains($0.0) }.map(\.1)) / scaledValidTotal
    }
    /// Share for a spec like `"4+5"` or `"1+2"` (also `"4,5"`); throws for points not on the scale.
    public func share(of spec: String) throws -> Double {
        let parts = spec.split(whereSeparator: { $0 == "+" || $0 == "," || $0 == " " })
        var points = Set<Double>()
        for p in parts {
            guard let v = parseDecimal(p)?.doubleValue, scale.contains(v) else {
                throw StatisticsError.invalidArgument("box '\(spec)': '\(p)' is not a point of the scale \(scale.map(formatStat))")
            }
            points.insert(v)
        }
        return share(of: points)
    }
    /// Points of the default top and bottom boxes: the two highest and two lowest, or one each on a scale of
    /// three points or fewer (1–3 would put 2 in both boxes).
    public var defaultTopPoints: [Double] { Array(scale.suffix(scale.count <= 3 ? 1 : 2)) }
    public var defaultBottomPoints: [Double] { Array(scale.prefix(scale.count <= 3 ? 1 : 2)) }
    public var topBox: Double { share(of: Set(defaultTopPoints)) }
    public var bottomBox: Double { share(of: Set(defaultBottomPoints)) }

    /// From raw values (NaN = system missing).
    /// - Parameters:
    ///   - scale: the scale points, e.g. `Array(1...5).map(Double.init)`.
    ///   - missingCodes: declared missing codes, counted per code.
    ///   - missingRanges: declared missing ranges (SPSS 97 THRU 99); their values are counted per code too.
    ///   - weights: case weights (NaN weight → row counted as system missing, zero weight → `zeroWeight`);
    ///     negative weights throw.
    public init(values: [Double], scale: [Double], labels: [String?]? = nil, missingCodes: Set<Double> = [],
                missingRanges: [ClosedRange<Double>] = [],
                weights: [Double]? = nil, weightKind: WeightKind = .frequency) throws {
        let declared = MissingValueSet(codes: missingCodes.sorted(), ranges: missingRanges)
        guard !scale.isEmpty, Set(scale).count == scale.count else {
            throw StatisticsError.invalidArgument("Likert summary: the scale must list distinct points")
        }
        if let w = weights, w.count != values.count {
            throw StatisticsError.invalidArgument("Likert summary: \(w.count) weights for \(values.count) values")
        }
        let order = scale.indices.sorted { scale[$0] < scale[$1] }
        let sortedScale = order.map { scale[$0] }
        let labels = labels.map { l in order.map { $0 < l.count ? l[$0] : nil } } ?? Array(repeating: nil, count: scale.count)
        var index = [Double: Int]()
        for (i, v) in sortedScale.enumerated() { index[v] = i }
        var counts = Array(repeating: 0.0, count: scale.count)
        var n = 0, sys = 0, out = 0, zero = 0, all = 0.0
        var byCode = [Double: Int]()
        var rowsPerPoint = Array(repeating: 0, count: scale.count)
        var w2PerPoint = Array(repeating: 0.0, count: scale.count)
        let weightScale = weights.map(DescriptiveStatistics.weightScale) ?? 1
        for (i, v) in values.enumerated() {
            var w = 1.0
            if let ws = weights {
                w = ws[i]
                if w.isNaN { sys += 1; continue }
                guard w >= 0, w.isFinite else { throw StatisticsError.invalidArgument("Likert summary: weight \(w) in row \(i + 1)") }
                if w == 0 { zero += 1; continue }
                w *= weightScale
            }
            all += w
            if v.isNaN { sys += 1; continue }
            if declared.contains(v) { byCode[v, default: 0] += 1; continue }
            guard let k = index[v] else { out += 1; continue }
            counts[k] += w; rowsPerPoint[k] += 1; w2PerPoint[k] += w * w; n += 1
        }
        try self.init(scale: sortedScale, labels: labels, counts: counts, n: n, systemMissing: sys, missingByCode: byCode,
                      outOfScale: out, zeroWeight: zero, allTotal: all, weightKind: weights == nil ? nil : weightKind,
                      weightScale: weightScale, w2PerPoint: w2PerPoint)
    }

    /// From a numeric variable with its value labels and missing codes; the scale defaults to the labelled codes
    /// that are not missing codes.
    public init(_ variable: Variable, scale: [Double]? = nil, weights: [Double]? = nil, weightKind: WeightKind = .frequency) throws {
        guard case .numeric(let c) = variable.values else { throw DataError.notNumeric(variable: variable.name) }
        guard let points = scale ?? variable.defaultLikertPoints, !points.isEmpty else {
            throw StatisticsError.invalidArgument(variable.noLikertScaleMessage)
        }
        try self.init(values: (0..<c.count).map { c.value(at: $0) ?? .nan }, scale: points,
                      labels: points.map { variable.valueLabels[$0] }, missingCodes: variable.missingCodes,
                      missingRanges: variable.missingRanges,
                      weights: weights, weightKind: weightKind)
    }

    /// The summary of `variable` over all rows and one per level of `groups`, from a single pass over the rows.
    ///
    /// Gives, bit for bit, what `init(_:scale:weights:weightKind:)` gives for all rows and for each level's rows
    /// (`variable.filtered(...)`, group scale = the overall scale): every sum is taken in row order as there. Rows
    /// whose group is missing count in `all` only. Whole-number codes 0…255 are classified by a 256-entry table
    /// (point, declared missing or off the scale) rather than by hashing each row's value.
    public static func grouped(_ variable: Variable, by groups: FactorCodes?, scale: [Double]? = nil,
                               weights: [Double]? = nil, weightKind: WeightKind = .frequency)
        throws -> (all: LikertSummary, groups: [LikertSummary]) {
        guard case .numeric(let c) = variable.values else { throw DataError.notNumeric(variable: variable.name) }
        guard let points = scale ?? variable.defaultLikertPoints, !points.isEmpty else {
            throw StatisticsError.invalidArgument(variable.noLikertScaleMessage)
        }
        guard Set(points).count == points.count else {
            throw StatisticsError.invalidArgument("Likert summary: the scale must list distinct points")
        }
        if let w = weights, w.count != c.count {
            throw StatisticsError.invalidArgument("Likert summary: \(w.count) weights for \(c.count) values")
        }
        if let groups, groups.count != c.count {
            throw StatisticsError.invalidArgument("Likert summary: \(groups.count) group codes for \(c.count) values")
        }
        let sortedScale = points.sorted()
        let labels = sortedScale.map { variable.valueLabels[$0] }
        let missingCodes = MissingValueSet(variable)
        let K = sortedScale.count
        // Classification of whole-number codes: ≥ 0 point index, −1 off the scale, −2 declared missing code.
        var table = [Int](repeating: -1, count: 256)
        for v in 0..<256 {
            if missingCodes.contains(Double(v)) { table[v] = -2 } else if let k = sortedScale.firstIndex(of: Double(v)) { table[v] = k }
        }
        var index = [Double: Int]()
        for (k, v) in sortedScale.enumerated() { index[v] = k }
        let levels = groups?.levelCount ?? 0
        if weights == nil {
            return try groupedUnweighted(c, groups: groups, scale: sortedScale, labels: labels,
                                         missingCodes: missingCodes, table: table, index: index)
        }
        // Slot 0: all rows; slot g (1…levels): rows of level g − 1.
        let slots = levels + 1
        var counts = [Double](repeating: 0, count: slots * K), w2 = [Double](repeating: 0, count: slots * K)
        var n = [Int](repeating: 0, count: slots), sys = n, out = n, zero = n
        var all = [Double](repeating: 0, count: slots)
        var byCode = [[Double: Int]](repeating: [:], count: slots)
        let offset = c.offset
        let noCodes = [Int32]()
        let weightScale = weights.map(DescriptiveStatistics.weightScale) ?? 1
        try c.stored.withUnsafeBufferPointer { s in
            try (groups?.codes ?? noCodes).withUnsafeBufferPointer { g in
                try table.withUnsafeBufferPointer { t in
                    for i in 0..<s.count {
                        let slot = groups == nil ? 0 : Int(g[i])
                        var w = 1.0
                        if let ws = weights {
                            w = ws[i]
                            if w.isNaN { sys[0] += 1; if slot > 0 { sys[slot] += 1 }; continue }
                            guard w >= 0, w.isFinite else {
                                throw StatisticsError.invalidArgument("Likert summary: weight \(w) in row \(i + 1)")
                            }
                            if w == 0 { zero[0] += 1; if slot > 0 { zero[slot] += 1 }; continue }
                            w *= weightScale
                        }
                        all[0] += w; if slot > 0 { all[slot] += w }
                        let v = offset + s[i]
                        var k: Int
                        let small = smallCode(v)
                        if small >= 0 {
                            k = t[small]
                        } else if v.isNaN {
                            sys[0] += 1; if slot > 0 { sys[slot] += 1 }; continue
                        } else {
                            k = missingCodes.contains(v) ? -2 : index[v] ?? -1
                        }
                        if k == -2 {
                            byCode[0][v, default: 0] += 1; if slot > 0 { byCode[slot][v, default: 0] += 1 }
                            continue
                        }
                        if k < 0 { out[0] += 1; if slot > 0 { out[slot] += 1 }; continue }
                        counts[k] += w; w2[k] += w * w; n[0] += 1
                        if slot > 0 { counts[slot * K + k] += w; w2[slot * K + k] += w * w; n[slot] += 1 }
                    }
                }
            }
        }
        func summary(_ j: Int) throws -> LikertSummary {
            try LikertSummary(scale: sortedScale, labels: labels, counts: Array(counts[j * K..<(j + 1) * K]), n: n[j],
                              systemMissing: sys[j], missingByCode: byCode[j], outOfScale: out[j], zeroWeight: zero[j],
                              allTotal: all[j],
                              weightKind: weights == nil ? nil : weightKind, weightScale: weightScale,
                              w2PerPoint: Array(w2[j * K..<(j + 1) * K]))
        }
        return (try summary(0), try (1..<slots).map(summary))
    }

    /// Unweighted: a histogram of the whole-number codes 0…255 (and NaN) per group slot, on all cores, from which
    /// every count follows exactly (integer sums do not depend on their order); other values (fractions, negative,
    /// above 255) are classified one by one. Slot 0 of the histogram holds the rows without a group.
    private static func groupedUnweighted(_ c: NumericColumn, groups: FactorCodes?, scale: [Double], labels: [String?],
                                          missingCodes: MissingValueSet, table: [Int], index: [Double: Int])
        throws -> (all: LikertSummary, groups: [LikertSummary]) {
        let levels = groups?.levelCount ?? 0, slots = levels + 1, width = 257, K = scale.count
        let chunks = RowChunks(rowCount: c.count)
        var hist = [Int](repeating: 0, count: chunks.count * slots * width)
        var others = [[(slot: Int, value: Double)]](repeating: [], count: chunks.count)
        let offset = c.offset
        let noCodes = [Int32]()
        if let bytes = c.codes {
            // A code column: each byte is the code (255 = missing → the NaN slot); nothing else can occur.
            bytes.withUnsafeBufferPointer { b in
                (groups?.codes ?? noCodes).withUnsafeBufferPointer { g in
                    hist.withUnsafeMutableBufferPointer { hp in
                        let hBase = hp.baseAddress!
                        let grouped = groups != nil
                        chunks.forEach { k, range in
                            let h = hBase + k * slots * width
                            for i in range {
                                let slot = grouped ? Int(g[i]) : 0
                                let code = Int(b[i])
                                h[slot &* width &+ (code == 255 ? 256 : code)] &+= 1
                            }
                        }
                    }
                }
            }
        } else {
        c.stored.withUnsafeBufferPointer { s in
            (groups?.codes ?? noCodes).withUnsafeBufferPointer { g in
                hist.withUnsafeMutableBufferPointer { hp in
                    others.withUnsafeMutableBufferPointer { op in
                        let hBase = hp.baseAddress!, oBase = op.baseAddress!
                        let grouped = groups != nil
                        chunks.forEach { k, range in
                            let h = hBase + k * slots * width
                            var rest: [(slot: Int, value: Double)] = []
                            for i in range {
                                let slot = grouped ? Int(g[i]) : 0
                                let v = offset + s[i]
                                let code = smallCode(v)
                                if code >= 0 { h[slot &* width &+ code] &+= 1 } else if v.isNaN { h[slot &* width &+ 256] &+= 1 } else {
                                    rest.append((slot, v))
                                }
                            }
                            oBase[k] = rest
                        }
                    }
                }
            }
        }
        }
        // Merge the chunks; summary j = 0 is all rows (every slot), j ≥ 1 the group.
        var merged = [Int](repeating: 0, count: slots * width)
        for k in 0..<chunks.count {
            for j in 0..<(slots * width) { merged[j] += hist[k * slots * width + j] }
        }
        func summary(_ j: Int) throws -> LikertSummary {
            let slotRange = j == 0 ? 0..<slots : j..<(j + 1)
            var counts = [Double](repeating: 0, count: K)
            var n = 0, sys = 0, out = 0, rows = 0
            var byCode: [Double: Int] = [:]
            for slot in slotRange {
                let h = slot * width
                sys += merged[h + 256]; rows += merged[h + 256]
                for code in 0..<256 where merged[h + code] > 0 {
                    let m = merged[h + code]
                    rows += m
                    switch table[code] {
                    case -2: byCode[Double(code), default: 0] += m
                    case -1: out += m
                    case let p: counts[p] += Double(m); n += m
                    }
                }
            }
            for part in others {
                for (slot, v) in part where slotRange.contains(slot) {
                    rows += 1
                    if missingCodes.contains(v) { byCode[v, default: 0] += 1 } else if let p = index[v] { counts[p] += 1; n += 1 } else { out += 1 }
                }
            }
            return try LikertSummary(scale: scale, labels: labels, counts: counts, n: n, systemMissing: sys,
                                     missingByCode: byCode, outOfScale: out, allTotal: Double(rows), weightKind: nil,
                                     w2PerPoint: counts)
        }
        return (try summary(0), try (1..<slots).map(summary))
    }

    /// From per-point counts (e.g. a published frequency table); `systemMissing` and `missingByCode` optional.
    /// `outOfScale` counts rows whose value is neither a scale point nor missing (noted and excluded, as from
    /// raw values).
    public init(scale: [Double], counts: [Double], labels: [String?]? = nil, systemMissing: Int = 0,
                missingByCode: [Double: Int] = [:], outOfScale: Int = 0) throws {
        guard scale.count == counts.count else {
            throw StatisticsError.invalidArgument("Likert summary: \(counts.count) counts for \(scale.count) scale points")
        }
        guard counts.allSatisfy({ $0 >= 0 && $0.isFinite }) else {
            throw StatisticsError.invalidArgument("Likert summary: counts must be finite and ≥ 0")
        }
        let missing = Double(systemMissing + missingByCode.values.reduce(0, +))
        let n = counts.reduce(0, +)
        try self.init(scale: scale, labels: labels ?? Array(repeating: nil, count: scale.count), counts: counts,
                      n: Int(n.rounded()), systemMissing: systemMissing, missingByCode: missingByCode,
                      outOfScale: outOfScale, allTotal: n + missing + Double(outOfScale), weightKind: nil, w2PerPoint: counts)
    }

    private init(scale: [Double], labels: [String?], counts: [Double], n: Int, systemMissing: Int,
                 missingByCode: [Double: Int], outOfScale: Int, zeroWeight: Int = 0, allTotal: Double,
                 weightKind: WeightKind?, weightScale: Double = 1, w2PerPoint: [Double]) throws {
        // Σw of every row that has a weight (answers, missing codes, values off the scale) is the base of
        // `percentOfAll`; with frequency weights it is a count, and one beyond double's range is refused.
        if weightKind == .frequency && !(allTotal / weightScale).isFinite {
            throw StatisticsError.weightTotalNotRepresentable(what: "Likert summary")
        }
        self.scale = scale; self.labels = labels; self.scaledCounts = counts; self.n = n; self.zeroWeight = zeroWeight
        self.systemMissing = systemMissing; self.missingByCode = missingByCode; self.outOfScale = outOfScale
        self.scaledAllTotal = allTotal; self.weightKind = weightKind; self.weightScale = weightScale
        self.scaledValidTotal = CompensatedSum.sum(counts)
        var notes = [String]()
        if outOfScale > 0 { notes.append(Self.offScaleNote(outOfScale, scale: scale, locale: .standard)) }
        if n == 0 { notes.append("no valid answers") }
        self.notes = notes
        let m = scaledValidTotal > 0 ? CompensatedSum.sum(zip(scale, counts).map { $0 * $1 }) / scaledValidTotal : .nan
        // Σw²(x − x̄)² for the linearized SE with probability weights (per point: Σw² × (x − x̄)²).
        self.sumW2dev2 = CompensatedSum.sum(zip(scale, w2PerPoint).map { ($0 - m) * ($0 - m) * $1 })
    }

    /// `notes` with the scale points in `locale`'s numbers, for table notes: with a decimal comma a point 2.5 is
    /// «2,5», and points are then separated by semicolons (`(1; 1,5; 2)`). JSON and `description` keep `notes`.
    public func notes(locale: ExportLocale) -> [String] {
        guard locale != .standard, outOfScale > 0 else { return notes }
        return notes.map { $0 == Self.offScaleNote(outOfScale, scale: scale, locale: .standard)
            ? Self.offScaleNote(outOfScale, scale: scale, locale: locale) : $0 }
    }

    static func offScaleNote(_ count: Int, scale: [Double], locale: ExportLocale) -> String {
        let points = scale.map { CellFormatting.localized(formatStat($0), locale) }
        let separator = points.contains { $0.contains(locale.decimalSeparator) } && locale.decimalSeparator == "," ? "; " : ", "
        return "\(count) value(s) not on the scale (\(points.joined(separator: separator))) were excluded: counted neither in n nor in Missing"
    }

    public var description: String {
        var lines = ["Likert summary (n = \(n)\(weightKind.map { ", Σw = \(formatStat(validTotal)) (\($0.rawValue))" } ?? ""), missing = \(missing))"]
        lines.append("  mean \(formatStat(mean))  SD \(formatStat(standardDeviation))  SE \(formatStat(standardError))  median \(formatStat(median))")
        for (i, v) in scale.enumerated() {
            let label = labels[i].map { " \($0)" } ?? ""
            lines.append("  \(formatStat(v))\(label): \(formatStat(counts[i])) (\(String(format: "%.1f", percent[i])) %)")
        }
        lines.append("  top box \(String(format: "%.1f", topBox)) %, bottom box \(String(format: "%.1f", bottomBox)) %")
        if systemMissing > 0 { lines.append("  system missing: \(systemMissing)") }
        for code in missingByCode.keys.sorted() { lines.append("  missing code \(formatStat(code)): \(missingByCode[code]!)") }
        for n in notes { lines.append("  note: \(n)") }
        return lines.joined(separator: "\n")
    }
}
