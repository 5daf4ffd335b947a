/// Likert summaries from how many rows hold each value, for analyses streamed from a file
/// (`CategoricalTally`): the same numbers, bit for bit, as the summaries of the raw values.
extension LikertSummary {
    /// The summary `init(values:scale:labels:missingCodes:)` gives for unweighted values, from the number of rows
    /// holding each value (NaN = system missing). Counts of equal values may be listed more than once.
    ///
    /// Why it is identical: unweighted, the raw-value summary adds 1.0 per row to its point counts, which are
    /// exact integers; everything else is a function of those counts, the missing counts and the rows outside
    /// the scale, which are the same sums taken in a different order.
    public init(valueCounts: [(value: Double, count: Int)], scale: [Double], labels: [String?]? = nil,
                missingCodes: Set<Double> = [], missingRanges: [ClosedRange<Double>] = []) throws {
        let declared = MissingValueSet(codes: missingCodes.sorted(), ranges: missingRanges)
        guard !scale.isEmpty, Set(scale).count == scale.count else {
            throw StatisticsError.invalidArgument("Likert summary: the scale must list distinct points")
        }
        let order = scale.indices.sorted { scale[$0] < scale[$1] }
        let sortedScale = order.map { scale[$0] }
        let sortedLabels = labels.map { l in order.map { $0 < l.count ? l[$0] : nil } }
            ?? Array(repeating: nil, count: scale.count)
        var index = [Double: Int]()
        for (i, v) in sortedScale.enumerated() { index[v] = i }
        var counts = [Int](repeating: 0, count: scale.count)
        var systemMissing = 0, outOfScale = 0
        var byCode = [Double: Int]()
        for (v, c) in valueCounts where c != 0 {
            if v.isNaN { systemMissing += c; continue }
            if declared.contains(v) { byCode[v, default: 0] += c; continue }
            guard let k = index[v] else { outOfScale += c; continue }
            counts[k] += c
        }
        try self.init(scale: sortedScale, counts: counts.map(Double.init), labels: sortedLabels,
                      systemMissing: systemMissing, missingByCode: byCode, outOfScale: outOfScale)
    }

    /// As `init(_ variable:scale:)` (scale defaulting to the labelled codes that are not missing codes, labels
    /// and missing codes from the variable), with the rows given as counts per value.
    public init(_ variable: Variable, valueCounts: [(value: Double, count: Int)], scale: [Double]? = nil) throws {
        guard variable.isNumeric else { throw DataError.notNumeric(variable: variable.name) }
        guard let points = scale ?? variable.defaultLikertPoints, !points.isEmpty else {
            throw StatisticsError.invalidArgument(variable.noLikertScaleMessage)
        }
        try self.init(valueCounts: valueCounts, scale: points, labels: points.map { variable.valueLabels[$0] },
                      missingCodes: variable.missingCodes, missingRanges: variable.missingRanges)
    }
}
