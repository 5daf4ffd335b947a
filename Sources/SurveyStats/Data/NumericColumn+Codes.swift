/// Counting the codes of a code column (see `NumericColumn`): the per-value counts from which Likert summaries,
/// descriptive statistics and crosstabs follow exactly, in one pass over one byte per row.
extension NumericColumn {
    /// How many rows hold each code: element `c` counts code `c` (0…254), element 255 the missing rows.
    /// `nil` when the column is stored as doubles.
    public func codeCounts() -> [Int]? {
        guard let codes else { return nil }
        return Self.histogram(codes, 0..<codes.count)
    }

    /// The rows per value (`NaN` for missing) of a code column, for `LikertSummary.init(valueCounts:…)`; values
    /// that do not occur are left out. `nil` when the column is stored as doubles.
    public func codeValueCounts() -> [(value: Double, count: Int)]? {
        guard let counts = codeCounts() else { return nil }
        var out: [(value: Double, count: Int)] = []
        for c in 0..<255 where counts[c] > 0 { out.append((Double(c), counts[c])) }
        if counts[255] > 0 { out.append((.nan, counts[255])) }
        return out
    }

    /// Counts of each byte value in `codes[range]`. Four interleaved tables, so that runs of equal codes (common
    /// in sorted or blocked survey files) do not serialise on one counter's store-to-load dependency.
    static func histogram(_ codes: [UInt8], _ range: Range<Int>) -> [Int] {
        var t = [Int](repeating: 0, count: 4 * 256)
        codes.withUnsafeBufferPointer { c in
            t.withUnsafeMutableBufferPointer { h in
                var i = range.lowerBound
                while i + 4 <= range.upperBound {
                    h[Int(c[i])] &+= 1
                    h[256 &+ Int(c[i + 1])] &+= 1
                    h[512 &+ Int(c[i + 2])] &+= 1
                    h[768 &+ Int(c[i + 3])] &+= 1
                    i += 4
                }
                while i < range.upperBound { h[Int(c[i])] &+= 1; i += 1 }
            }
        }
        return (0..<256).map { t[$0] + t[256 + $0] + t[512 + $0] + t[768 + $0] }
    }
}
