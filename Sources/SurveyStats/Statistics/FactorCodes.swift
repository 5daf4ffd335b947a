import Dispatch
import Foundation
import Matrix

/// A categorical variable as one dense level code per row: the form every group-splitting analysis (t-tests,
/// ANOVA, crosstabs, grouped Likert and descriptive tables) works on.
///
/// Levels are ordered and named as `CategoricalLevels` orders them: a numeric variable's distinct values in
/// ascending order, named by their value labels or as R prints the number; a text variable's distinct texts in
/// Norwegian order (`NorwegianCollation`), named by their text value labels (`Variable.levelNames`). Missing rows —
/// empty/NA, a declared missing code or range, a declared missing text — get code 0.
///
/// Why codes: splitting 10⁷ rows by a label per row costs a string and a hash per row (seconds); with codes the
/// analyses index small per-level tables directly. A numeric column is coded in two parallel passes (distinct
/// values, then codes), with whole numbers 0…255 — the usual survey codes — looked up in a 256-entry table
/// instead of a hash.
public struct FactorCodes: Sendable, Equatable {
    /// Level names in level order.
    public let names: [String]
    /// The numeric value of each level (aligned with `names`); empty for a text variable.
    public let values: [Double]
    /// The stored text of each level of a text variable (aligned with `names`, which show their value labels);
    /// empty for a numeric variable.
    public let texts: [String]
    /// Per row: level index + 1, or 0 when the row is missing.
    public let codes: [Int32]

    public var levelCount: Int { names.count }
    public var count: Int { codes.count }

    /// The level index of row `i`, `nil` when missing.
    @inlinable public func level(_ i: Int) -> Int? {
        let c = codes[i]
        return c == 0 ? nil : Int(c) - 1
    }

    /// Rows per level (missing rows not counted).
    public var levelSizes: [Int] {
        var n = [Int](repeating: 0, count: levelCount + 1)
        codes.withUnsafeBufferPointer { c in for x in c { n[Int(x)] &+= 1 } }
        return Array(n.dropFirst())
    }

    /// Codes given directly (`codes[i]` = level + 1, 0 = missing). Throws when a code is out of range.
    public init(names: [String], values: [Double] = [], codes: [Int32]) throws {
        guard values.isEmpty || values.count == names.count else {
            throw StatisticsError.invalidArgument("factor codes: \(values.count) level values for \(names.count) names")
        }
        if let bad = codes.first(where: { $0 < 0 || Int($0) > names.count }) {
            throw StatisticsError.invalidArgument("factor codes: code \(bad) outside 0…\(names.count)")
        }
        self.names = names; self.values = values; self.texts = []; self.codes = codes
    }

    /// Levels of a variable (see the type's description for order, names and missing rows).
    public init(_ variable: Variable) {
        switch variable.values {
        case .numeric(let column):
            let missing = MissingValueSet(variable)
            let (levelValues, codes) = FactorCodes.numericCodes(column, missing: missing)
            self.values = levelValues
            self.names = variable.levelNames(codes: levelValues)
            self.texts = []
            self.codes = codes
        case .text(let rowTexts):
            // Sorted by the stored texts, then named by their labels: labels change names, never the order.
            let (texts, codes) = FactorCodes.textCodes(rowTexts, missing: variable.textMissingValues, order: nil)
            self.names = variable.levelNames(texts: texts); self.values = []; self.texts = texts; self.codes = codes
        }
    }

    /// Levels of a label per row (`nil` = missing). Without `order` the levels are in Norwegian order (the order
    /// `GroupedColumn` and `CrossTab(rows:columns:)` use); with `order`, those levels come first in that order
    /// (even when absent) and the others follow in Norwegian order.
    public init(labels: [String?], order: [String]? = nil) {
        let (names, codes) = FactorCodes.textCodes(labels, missing: [], order: order ?? [])
        self.names = names; self.values = []; self.texts = []; self.codes = codes
    }

    private init(names: [String], values: [Double], texts: [String], uncheckedCodes: [Int32]) {
        self.names = names; self.values = values; self.texts = texts; self.codes = uncheckedCodes
    }

    /// The same levels with the rows where `used` is false set missing, and the levels left without rows dropped
    /// (a group whose rows are all missing in the analysed variable is not a group of the analysis).
    public func restricted(to used: [Bool]) -> FactorCodes {
        precondition(used.count == codes.count, "restricted(to:): mask and codes differ in length")
        var present = [Bool](repeating: false, count: levelCount + 1)
        var out = [Int32](repeating: 0, count: codes.count)
        codes.withUnsafeBufferPointer { c in
            used.withUnsafeBufferPointer { u in
                out.withUnsafeMutableBufferPointer { o in
                    for i in 0..<c.count where u[i] { o[i] = c[i]; present[Int(c[i])] = true }
                }
            }
        }
        present[0] = false
        if present.dropFirst().allSatisfy({ $0 }) {
            return FactorCodes(names: names, values: values, texts: texts, uncheckedCodes: out)
        }
        var remap = [Int32](repeating: 0, count: levelCount + 1)
        var keptNames: [String] = [], keptValues: [Double] = [], keptTexts: [String] = []
        for k in 0..<levelCount where present[k + 1] {
            keptNames.append(names[k])
            if !values.isEmpty { keptValues.append(values[k]) }
            if !texts.isEmpty { keptTexts.append(texts[k]) }
            remap[k + 1] = Int32(keptNames.count)
        }
        out.withUnsafeMutableBufferPointer { o in for i in 0..<o.count { o[i] = remap[Int(o[i])] } }
        return FactorCodes(names: keptNames, values: keptValues, texts: keptTexts, uncheckedCodes: out)
    }

    /// The index of a level given by name or, for a numeric variable, by its value as R prints it ("2" for 2), or
    /// for a text variable by its stored text ("ja" for the level shown as «Ja»).
    public func levelIndex(_ level: String) -> Int? {
        if let i = names.firstIndex(of: level) { return i }
        if let i = texts.firstIndex(of: level) { return i }
        return values.firstIndex { CategoricalLevels.formatLikeR($0) == level }
    }

    // MARK: - Coding

    /// The distinct non-missing values of a numeric column, sorted (pass 1 of `numericCodes`), and whether they
    /// are all whole numbers 0…255 (then a row's level follows from its value by a 256-entry table, and analyses
    /// can skip the code array altogether).
    static func numericLevels(_ column: NumericColumn, missing: MissingValueSet) -> (levels: [Double], allSmall: Bool) {
        if let codes = column.codes {
            // A code column (one byte per row, 255 = missing): the levels are the codes that occur.
            let counts = NumericColumn.histogram(codes, 0..<codes.count)
            return ((0..<255).filter { counts[$0] > 0 && !missing.contains(Double($0)) }.map(Double.init), true)
        }
        let chunks = RowChunks(rowCount: column.count)
        let offset = column.offset
        var small = [[Bool]](repeating: [], count: chunks.count)
        var other = [Set<Double>](repeating: [], count: chunks.count)
        column.stored.withUnsafeBufferPointer { s in
            small.withUnsafeMutableBufferPointer { sp in
                other.withUnsafeMutableBufferPointer { op in
                    let sBase = sp.baseAddress!, oBase = op.baseAddress!
                    chunks.forEach { k, range in
                        var seen = [Bool](repeating: false, count: 256)
                        var rest = Set<Double>()
                        var last = Double.nan
                        seen.withUnsafeMutableBufferPointer { flag in
                            // Whole-number codes set a flag without a data-dependent branch (a "same as the last
                            // row" test mispredicts on shuffled groups); other values go through `last` to the set.
                            for i in range {
                                let v = offset + s[i]
                                let k = smallCode(v)
                                if k >= 0 { flag[k] = true; continue }
                                if v.isNaN || v == last { continue }
                                last = v
                                rest.insert(v + 0)
                            }
                        }
                        (sBase + k).initialize(to: seen)
                        (oBase + k).initialize(to: rest)
                    }
                }
            }
        }
        var distinct = Set<Double>()
        var seenSmall = [Bool](repeating: false, count: 256)
        for k in 0..<chunks.count {
            for v in 0..<256 where small[k][v] { seenSmall[v] = true }
            distinct.formUnion(other[k])
        }
        for v in 0..<256 where seenSmall[v] { distinct.insert(Double(v)) }
        let levels = distinct.filter { !missing.contains($0) }.sorted()
        return (levels, levels.allSatisfy { smallCode($0) >= 0 })
    }

    /// Distinct non-missing values (sorted) and a code per row. Pass 1 finds the distinct values per chunk (whole
    /// numbers 0…255 in a flag table, others in a set); pass 2 codes each row by table or dictionary lookup.
    static func numericCodes(_ column: NumericColumn, missing: MissingValueSet) -> ([Double], [Int32]) {
        let n = column.count
        let chunks = RowChunks(rowCount: n)
        let offset = column.offset
        let levels = numericLevels(column, missing: missing).levels
        var table = [Int32](repeating: 0, count: 256)
        var index: [Double: Int32] = [:]
        for (k, v) in levels.enumerated() {
            let small = smallCode(v)
            if small >= 0 { table[small] = Int32(k + 1) } else { index[v] = Int32(k + 1) }
        }
        let hasOther = !index.isEmpty
        if let bytes = column.codes {
            table.append(0)                                // byte 255 (missing) → code 0
            let codes = [Int32](unsafeUninitializedCapacity: n) { buffer, initialized in
                let out = buffer.baseAddress!
                bytes.withUnsafeBufferPointer { b in
                    table.withUnsafeBufferPointer { t in
                        chunks.forEach { _, range in for i in range { out[i] = t[Int(b[i])] } }
                    }
                }
                initialized = n
            }
            return (levels, codes)
        }
        let codes = [Int32](unsafeUninitializedCapacity: n) { buffer, initialized in
            let out = buffer.baseAddress!
            adviseHugePages(UnsafeMutableRawPointer(out), bytes: n * MemoryLayout<Int32>.stride)
            column.stored.withUnsafeBufferPointer { s in
                table.withUnsafeBufferPointer { t in
                    chunks.forEach { _, range in
                        for i in range {
                            let v = offset + s[i]
                            var code: Int32 = 0
                            let small = smallCode(v)
                            if small >= 0 {
                                code = t[small]
                            } else if hasOther, !v.isNaN {
                                code = index[v + 0] ?? 0
                            }
                            out[i] = code
                        }
                    }
                }
            }
            initialized = n
        }
        return (levels, codes)
    }

    /// Distinct texts (`order` first, the others in Norwegian order) and a code per row.
    static func textCodes(_ texts: [String?], missing: Set<String>, order: [String]?) -> ([String], [Int32]) {
        var firstSeen: [String: Int32] = [:]
        var seenOrder: [String] = []
        var raw = [Int32](repeating: 0, count: texts.count)
        var last: String? = nil, lastCode: Int32 = 0
        for i in 0..<texts.count {
            guard let s = texts[i] else { continue }
            if s == last { raw[i] = lastCode; continue }
            let code: Int32
            if let k = firstSeen[s] { code = k } else {
                code = missing.contains(s) ? -1 : Int32(seenOrder.count + 1)
                if code > 0 { seenOrder.append(s) }
                firstSeen[s] = code
            }
            raw[i] = max(code, 0)
            last = s; lastCode = raw[i]
        }
        let names: [String]
        if let order, !order.isEmpty {
            let listed = Set(order)
            names = order + NorwegianCollation.sorted(seenOrder.filter { !listed.contains($0) })
        } else {
            names = NorwegianCollation.sorted(seenOrder)
        }
        var position: [String: Int32] = [:]
        for (k, name) in names.enumerated() where position[name] == nil { position[name] = Int32(k + 1) }
        var remap = [Int32](repeating: 0, count: seenOrder.count + 1)
        for (k, s) in seenOrder.enumerated() { remap[k + 1] = position[s]! }
        raw.withUnsafeMutableBufferPointer { r in for i in 0..<r.count { r[i] = remap[Int(r[i])] } }
        return (names, raw)
    }
}

/// The whole number 0…255 that `v` equals, or −1 (also for NaN). A truncating conversion and a compare: the
/// baseline x86-64 target has no rounding instruction, and `rounded(.towardZero)` became a libm call per row.
@inline(__always) func smallCode(_ v: Double) -> Int {
    guard v >= 0, v < 256 else { return -1 }
    let k = Int(v)
    return Double(k) == v ? k : -1
}
