import Dispatch

/// A grouping variable as a dense level index per row (0 = missing), with the level labels.
public struct GroupCodes: Sendable {
    /// Level labels, ordered by `sortedLevelLabels` (as the in-memory engine orders levels); row `i` is in level
    /// `codes[i] - 1`, or missing when 0.
    public let labels: [String]
    public let codes: [Int32]

    /// Level codes of `variable`: a numeric variable's distinct values (declared missing codes excluded) or a
    /// text variable's distinct strings.
    public init(_ variable: Variable) {
        var seen: [String: Int32] = [:]
        var raw = [Int32](repeating: 0, count: variable.count)
        var order: [String] = []
        switch variable.values {
        case .numeric(let c):
            if let bytes = c.codes {
                // A code column: the levels are the codes present (one pass over the bytes), then one table lookup
                // per row. Codes 0…254 are whole numbers, so their labels are their decimal digits.
                let counts = NumericColumn.histogram(bytes, 0..<bytes.count)
                var levelOfCode = [Int32](repeating: 0, count: 256)
                var present: [(code: Int, label: String)] = []
                for code in 0..<255 where counts[code] > 0 && !variable.isMissingCode(Double(code)) {
                    present.append((code, String(code)))
                }
                let sorted = sortedLevelLabels(present.map(\.label))
                let rank = Dictionary(uniqueKeysWithValues: sorted.enumerated().map { ($1, Int32($0 + 1)) })
                for p in present { levelOfCode[p.code] = rank[p.label] ?? 0 }
                labels = sorted
                codes = [Int32](unsafeUninitializedCapacity: bytes.count) { out, n in
                    bytes.withUnsafeBufferPointer { src in
                        levelOfCode.withUnsafeBufferPointer { level in
                            for i in 0..<src.count { out[i] = level[Int(src[i])] }
                        }
                    }
                    n = bytes.count
                }
                return
            }
            // Survey groups take few values: remember the last value's level to skip the dictionary.
            c.withStoredValues { stored in
                var lastValue = Double.nan, lastCode: Int32 = 0
                for i in 0..<stored.count {
                    let s = stored[i]
                    if s.isNaN { continue }
                    if s == lastValue { raw[i] = lastCode; continue }
                    let v = c.offset + s
                    if variable.isMissingCode(v) { continue }
                    let label = GroupCodes.label(v)
                    if let k = seen[label] { raw[i] = k } else {
                        order.append(label); seen[label] = Int32(order.count); raw[i] = Int32(order.count)
                    }
                    lastValue = s; lastCode = raw[i]
                }
            }
        case .text(let t):
            for i in 0..<t.count {
                guard let s = t[i] else { continue }
                if let k = seen[s] { raw[i] = k } else { order.append(s); seen[s] = Int32(order.count); raw[i] = Int32(order.count) }
            }
        }
        let sorted = sortedLevelLabels(order)
        var remap = [Int32](repeating: 0, count: order.count + 1)
        for (newIndex, label) in sorted.enumerated() { remap[Int(seen[label]!)] = Int32(newIndex + 1) }
        labels = sorted
        codes = raw.map { remap[Int($0)] }
    }

    /// A number as a level label: whole numbers without a decimal point ("2", not "2.0"), as R prints them.
    static func label(_ v: Double) -> String {
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return "\(v)"
    }
}

extension GroupedLikertCounts {
    /// Counts the answers to `items` in an in-memory dataset, per level of `groupBy` (or overall), on all cores.
    /// Gives exactly the counts that `stream(path:…)` gives for the file the dataset was read from.
    ///
    /// - Throws: `DataError` when an item is not numeric or holds a value that is not a whole number 0…254.
    public static func count(_ dataset: Dataset, items: [String], groupBy: String? = nil,
                             missingCodes: Set<Int> = [], missingRanges: [ClosedRange<Double>] = [],
                             workers: Int? = nil) throws -> GroupedLikertCounts {
        let rows = dataset.rowCount
        let groups: GroupCodes? = try groupBy.map { GroupCodes(try dataset.variable($0)) }
        let slots = (groups?.labels.count ?? 0) + 1
        var columns: [NumericColumn] = []
        for name in items {
            let v = try dataset.variable(name)
            guard case .numeric(let c) = v.values else { throw DataError.notNumeric(variable: name) }
            columns.append(c)
        }
        let m = items.count
        let k = max(1, min(workers ?? ProcessInfo_activeProcessorCount(), rows / 100_000))
        var tables = [[Int]](repeating: [], count: k)
        var failure: [DataError?] = [DataError?](repeating: nil, count: k)
        let noGroup = [Int32](repeating: 0, count: 0)
        let groupCodes = groups?.codes ?? noGroup
        let grouped = groups != nil
        tables.withUnsafeMutableBufferPointer { tp in
            failure.withUnsafeMutableBufferPointer { fp in
                let tBase = tp.baseAddress!, fBase = fp.baseAddress!
                DispatchQueue.concurrentPerform(iterations: k) { w in
                    let lo = rows * w / k, hi = rows * (w + 1) / k
                    var t = [Int](repeating: 0, count: slots * m * 256)
                    t.withUnsafeMutableBufferPointer { tb in
                        for (j, col) in columns.enumerated() {
                            if let bytes = col.codes {
                                // A code column is its table index already (255 = missing): no checks per row.
                                bytes.withUnsafeBufferPointer { s in
                                    groupCodes.withUnsafeBufferPointer { g in
                                        for i in lo..<hi {
                                            let slot = grouped ? Int(g[i]) : 0
                                            tb[(slot * m + j) &* 256 &+ Int(s[i])] &+= 1
                                        }
                                    }
                                }
                                continue
                            }
                            col.withStoredValues { s in
                                groupCodes.withUnsafeBufferPointer { g in
                                    let off = col.offset
                                    for i in lo..<hi {
                                        let slot = grouped ? Int(g[i]) : 0
                                        let x = s[i]
                                        var code = 255
                                        if !x.isNaN {
                                            let v = off + x
                                            // One comparison chain rejects fractions, negatives and > 254.
                                            guard v >= 0, v < 255, v == v.rounded(.towardZero) else {
                                                if fBase[w] == nil {
                                                    fBase[w] = DataError.invalid("\(dataset.source): \(items[j]) row \(i + 1): \(v) is not a Likert code (a whole number 0–254)")
                                                }
                                                return
                                            }
                                            code = Int(v)
                                        }
                                        tb[(slot * m + j) &* 256 &+ code] &+= 1
                                    }
                                }
                            }
                        }
                    }
                    tBase[w] = t
                }
            }
        }
        if let f = failure.compactMap({ $0 }).first { throw f }
        let labels = groups?.labels ?? []
        // Slots already share one label order, so merging is a plain sum.
        let parts = tables.map { (labels: labels, table: $0, slots: slots, rows: 0) }
        let merged = merge(parts, items: items, groupBy: groupBy, missingCodes: missingCodes,
                           missingRanges: missingRanges)
        return GroupedLikertCounts(items: merged.items, groupVariable: groupBy, groups: merged.groups,
                                   counts: merged.counts, missingGroup: merged.missingGroup, rows: rows)
    }
}
