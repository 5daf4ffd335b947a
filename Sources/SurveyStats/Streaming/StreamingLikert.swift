#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How a field's bytes are read by the streaming engines.
enum FieldBytes {
    static let systemMissingCode: UInt8 = 255

    /// True for an empty field (after trimming spaces) or one of the `NA` tokens.
    @inline(__always)
    static func isMissing(_ p: UnsafePointer<UInt8>, _ n: Int, naTokens: [[UInt8]]) -> Bool {
        if n == 0 { return true }
        var a = 0, b = n
        while a < b && (p[a] == 32 || p[a] == 9) { a += 1 }
        while b > a && (p[b - 1] == 32 || p[b - 1] == 9) { b -= 1 }
        if a == b { return true }
        for t in naTokens where t.count == b - a {
            var same = true
            for j in 0..<t.count where t[j] != p[a + j] { same = false; break }
            if same { return true }
        }
        return false
    }

    /// A Likert code 0…254 from a field; 255 for system missing; `nil` for anything else (a word, a fraction,
    /// a number out of range). Accepts surrounding spaces, a leading `+`, and trailing `.0`/`,0` (Excel exports).
    @inline(__always)
    static func code(_ p: UnsafePointer<UInt8>, _ n: Int, naTokens: [[UInt8]]) -> UInt8? {
        if n == 1 {
            let d = p[0] &- 48
            if d < 10 { return d }
        }
        return slowCode(p, n, naTokens: naTokens)
    }

    static func slowCode(_ p: UnsafePointer<UInt8>, _ n: Int, naTokens: [[UInt8]]) -> UInt8? {
        if isMissing(p, n, naTokens: naTokens) { return systemMissingCode }
        var a = 0, b = n
        while a < b && (p[a] == 32 || p[a] == 9) { a += 1 }
        while b > a && (p[b - 1] == 32 || p[b - 1] == 9) { b -= 1 }
        if p[a] == 43 { a += 1 }  // '+'
        var v = 0, digits = 0
        while a < b, p[a] &- 48 < 10 {
            v = v * 10 + Int(p[a] &- 48); digits += 1; a += 1
            if v > 254 { return nil }
        }
        guard digits > 0 else { return nil }
        if a < b && (p[a] == 46 || p[a] == 44) {  // ".000" or ",0"
            a += 1
            while a < b && p[a] == 48 { a += 1 }
        }
        return a == b ? UInt8(v) : nil
    }

    static func text(_ p: UnsafePointer<UInt8>, _ n: Int) -> String {
        String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
    }
}

/// Maps the bytes of a categorical field to a small dense index, in order of first appearance.
/// A linear scan over the labels seen so far beats hashing for the 2–20 levels typical of survey groups;
/// beyond 32 levels a dictionary takes over.
struct LabelTable {
    var labels: [[UInt8]] = []
    var lookup: [[UInt8]: Int] = [:]

    @inline(__always)
    mutating func index(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int {
        // Trim surrounding spaces so that "2" and " 2" are one level.
        var a = 0, b = n
        while a < b && (p[a] == 32 || p[a] == 9) { a += 1 }
        while b > a && (p[b - 1] == 32 || p[b - 1] == 9) { b -= 1 }
        let len = b - a
        if labels.count <= 32 {
            for (i, l) in labels.enumerated() where l.count == len {
                var same = true
                var j = 0
                while j < len { if l[j] != p[a + j] { same = false; break }; j += 1 }
                if same { return i }
            }
            let key = Array(UnsafeBufferPointer(start: p + a, count: len))
            labels.append(key)
            if labels.count > 32 { for (i, l) in labels.enumerated() { lookup[l] = i } }
            return labels.count - 1
        }
        let key = Array(UnsafeBufferPointer(start: p + a, count: len))
        if let i = lookup[key] { return i }
        labels.append(key)
        lookup[key] = labels.count - 1
        return labels.count - 1
    }

    var strings: [String] { labels.map { String(decoding: $0, as: UTF8.self) } }
}

/// Per-worker state of a grouped Likert count: a flat table `[group + 1][item][code]` of Int counts.
/// Group slot 0 holds respondents whose group is missing.
struct LikertCountingSink: RecordSink {
    let roles: [Int32]             // per column: -1 skip, -2 group, k ≥ 0 item k
    let itemCount: Int
    let naTokens: [[UInt8]]
    let itemNames: [String]
    var table: [Int]
    var groupSlots = 1
    var labels = LabelTable()
    var rowCodes: [UInt8]
    var rowGroup = 0
    var rows = 0
    let lastColumn: Int

    init(roles: [Int32], itemNames: [String], naTokens: [[UInt8]]) {
        self.roles = roles
        lastColumn = roles.lastIndex { $0 != -1 } ?? 0
        self.itemCount = itemNames.count
        self.itemNames = itemNames
        self.naTokens = naTokens
        table = [Int](repeating: 0, count: 8 * itemNames.count * 256)
        rowCodes = [UInt8](repeating: FieldBytes.systemMissingCode, count: itemNames.count)
    }

    mutating func beginRecord() { rowGroup = 0 }

    @inline(__always)
    mutating func field(_ column: Int, _ bytes: UnsafePointer<UInt8>, _ count: Int) -> String? {
        let r = roles[column]
        if r >= 0 {
            guard let c = FieldBytes.code(bytes, count, naTokens: naTokens) else {
                return "\(itemNames[Int(r)]): '\(FieldBytes.text(bytes, count))' is not a Likert code (a whole number 0–254, empty or NA)"
            }
            rowCodes[Int(r)] = c
        } else if r == -2 {
            if FieldBytes.isMissing(bytes, count, naTokens: naTokens) { rowGroup = 0 }
            else { rowGroup = labels.index(bytes, count) + 1 }
        }
        return nil
    }

    @inline(__always)
    mutating func endRecord() {
        if rowGroup >= groupSlots {
            groupSlots = rowGroup + 1
            let need = groupSlots * itemCount * 256
            if need > table.count { table += [Int](repeating: 0, count: 2 * need - table.count) }
        }
        rows += 1
        let base = rowGroup * itemCount * 256
        table.withUnsafeMutableBufferPointer { t in
            rowCodes.withUnsafeBufferPointer { rc in
                for k in 0..<itemCount { t[base + k * 256 + Int(rc[k])] += 1 }
            }
        }
    }
}

extension GroupedLikertCounts {
    /// Counts the answers to `items` in the CSV file at `path`, per level of `groupBy` (or overall when `nil`),
    /// streaming the file in blocks on all cores. Peak memory is O(groups × items), independent of the row count.
    ///
    /// - Parameters:
    ///   - missingCodes: codes that mean missing (e.g. `[9]`), kept in the counts but excluded from statistics.
    ///   - missingRanges: ranges of codes that mean missing (e.g. `[97...99]`), as `missingCodes`.
    ///   - naTokens: field texts read as system missing besides the empty field.
    ///   - workers, blockSize, minimumBytesPerWorker: tuning (defaults: all cores, 1 MiB reads, ≥ 4 MiB per worker).
    /// - Throws: `DataError` naming the file, line and column of a field that is not a Likert code, or an
    ///   unknown variable.
    public static func stream(path: String, items: [String], groupBy: String? = nil, missingCodes: Set<Int> = [],
                              missingRanges: [ClosedRange<Double>] = [], naTokens: [String] = ["NA"], delimiter: UInt8? = nil,
                              workers: Int? = nil, blockSize: Int = 1 << 20,
                              minimumBytesPerWorker: Int = 1 << 22) throws -> GroupedLikertCounts {
        var scanner = try StreamingCSVScanner(path: path, delimiter: delimiter, workers: workers)
        scanner.blockSize = blockSize
        scanner.minimumBytesPerWorker = minimumBytesPerWorker
        var roles = [Int32](repeating: -1, count: scanner.header.count)
        for (k, name) in items.enumerated() { roles[try scanner.columnIndex(name)] = Int32(k) }
        if let g = groupBy {
            let gi = try scanner.columnIndex(g)
            if roles[gi] >= 0 { throw DataError.invalid("\(g) is both an item and the grouping variable") }
            roles[gi] = -2
        }
        let na = naTokens.map { Array($0.utf8) }
        let sinks = try scanner.scan { LikertCountingSink(roles: roles, itemNames: items, naTokens: na) }
        return merge(sinks.map { ($0.labels.strings, $0.table, $0.groupSlots, $0.rows) }, items: items,
                     groupBy: groupBy, missingCodes: missingCodes, missingRanges: missingRanges)
    }

    /// Merges per-worker flat tables whose group slots refer to each worker's own label list.
    static func merge(_ parts: [(labels: [String], table: [Int], slots: Int, rows: Int)], items: [String],
                      groupBy: String?, missingCodes: Set<Int>,
                      missingRanges: [ClosedRange<Double>] = []) -> GroupedLikertCounts {
        var all = Set<String>()
        for p in parts { all.formUnion(p.labels) }
        let groups = sortedLevelLabels(Array(all))
        let slot = Dictionary(uniqueKeysWithValues: groups.enumerated().map { ($1, $0 + 1) })
        let m = items.count
        var merged = [Int](repeating: 0, count: (groups.count + 1) * m * 256)
        var rows = 0
        for p in parts {
            rows += p.rows
            for s in 0..<p.slots {
                let to = s == 0 ? 0 : slot[p.labels[s - 1]]!
                for j in 0..<(m * 256) { merged[to * m * 256 + j] += p.table[s * m * 256 + j] }
            }
        }
        func cell(_ s: Int, _ k: Int) -> LikertCounts {
            var c = LikertCounts(missingCodes: missingCodes, missingRanges: missingRanges)
            let b = (s * m + k) * 256
            for code in 0..<255 { c.byCode[code] = merged[b + code] }
            c.systemMissing = merged[b + 255]
            return c
        }
        return GroupedLikertCounts(items: items, groupVariable: groupBy, groups: groups,
                                   counts: (0..<groups.count).map { g in (0..<m).map { cell(g + 1, $0) } },
                                   missingGroup: (0..<m).map { cell(0, $0) }, rows: rows)
    }
}
