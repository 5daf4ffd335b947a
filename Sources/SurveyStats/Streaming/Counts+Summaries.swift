/// Bridges from the streaming count tables to the statistics core's result types, so that a streamed summary is
/// computed by exactly the same code as an in-memory one.
extension LikertCounts {
    /// The `LikertSummary` of these counts on `scale` (e.g. 1…5). Codes outside the scale that are not declared
    /// missing are an error, as they are for `LikertSummary(values:scale:)`.
    public func likertSummary(scale: [Double], labels: [String?]? = nil) throws -> LikertSummary {
        var missingByCode: [Double: Int] = [:]
        for code in byCode.indices where byCode[code] > 0 && isMissingCode(code) {
            missingByCode[Double(code)] = byCode[code]
        }
        let onScale = Set(scale.compactMap { $0 == $0.rounded() && $0 >= 0 && $0 < 255 ? Int($0) : nil })
        for (code, c) in byCode.enumerated() where c > 0 && !onScale.contains(code) && !isMissingCode(code) {
            throw DataError.invalid("code \(code) (\(c) answers) is neither on the scale \(scale.map { GroupCodes.label($0) }) nor a declared missing code")
        }
        let counts = scale.map { s -> Double in
            guard s == s.rounded(), s >= 0, s < 255 else { return 0 }
            return Double(byCode[Int(s)])
        }
        return try LikertSummary(scale: scale, counts: counts, labels: labels, systemMissing: systemMissing,
                                 missingByCode: missingByCode)
    }
}

extension CrossTabCounts {
    /// The `CrossTab` (χ², G², Cramér's V, expected counts, …) of these counts.
    public func crossTab() throws -> CrossTab {
        try CrossTab(counts: counts.map { $0.map(Double.init) }, rowLabels: rowLabels, columnLabels: columnLabels,
                     missing: missing)
    }
}
