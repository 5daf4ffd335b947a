import Foundation
import Matrix
#if canImport(Glibc)
import Glibc
#endif

// The numeric pass of `CSVReader`: every chunk writes its values straight into the final column arrays.
//
// Why: appending per field into per-chunk growable arrays (and concatenating them afterwards) cost more than the
// parsing itself — copy-on-write uniqueness checks per field, regrowth copies, fresh-page faults on every
// doubling and a final copy (scripts/bench/PROFILE.md §2). Here the rows of each chunk are bounded first by
// counting its line ends (a word-at-a-time pass at memory speed), each column is allocated once for the whole
// file, and a chunk's sink stores `column[rowOffset + row] = value` through raw pointers.

// MARK: - Counting bytes

enum CSVByteCount {
    /// The number of bytes equal to `byte` in `p[start..<end]`, eight bytes per step (SWAR; portable x86-64 has
    /// no POPCNT, and Swift's generic SIMD types were not compiled to vector code here: 10× slower). A byte of
    /// `~(((v & 0x7F…) + 0x7F…) | v | 0x7F…)` has its high bit set iff that byte of `v` is zero — exact, unlike
    /// the `(v - 0x01…) & ~v` test; the 0/1 bytes are added in byte lanes and summed every 255 words.
    static func count(_ byte: UInt8, in p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Int {
        countAndCheckASCII(byte, in: p, start, end).count
    }

    /// `count` and, from the same read, whether every byte of the range is ASCII (the UTF-8 pre-check rides on
    /// the quote count: one pass over a large file instead of two).
    static func countAndCheckASCII(_ byte: UInt8, in p: UnsafePointer<UInt8>, _ start: Int, _ end: Int)
        -> (count: Int, isASCII: Bool) {
        guard end > start else { return (0, true) }
        let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        let pattern = 0x0101_0101_0101_0101 &* UInt64(byte)
        let raw = UnsafeRawPointer(p)
        var i = start
        var total = 0
        var any: UInt64 = 0
        while i + 8 <= end {
            var lanes: UInt64 = 0
            let words = min(255, (end - i) / 8)
            for _ in 0..<words {
                let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                any |= w
                let v = w ^ pattern
                lanes &+= (~(((v & low7) &+ low7) | v | low7)) >> 7
                i += 8
            }
            // Sum the eight byte lanes (each ≤ 255).
            let pairs = (lanes & 0x00FF_00FF_00FF_00FF) &+ ((lanes >> 8) & 0x00FF_00FF_00FF_00FF)
            total += Int((pairs &* 0x0001_0001_0001_0001) >> 48)
        }
        while i < end { if p[i] == byte { total += 1 }; any |= UInt64(p[i]); i += 1 }
        return (total, any & 0x8080_8080_8080_8080 == 0)
    }

    /// True when every byte of `p[start..<end]` is ASCII (then the text is valid UTF-8 without further checks).
    static func isASCII(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        let raw = UnsafeRawPointer(p)
        var i = start
        var any: UInt64 = 0
        var words = 0
        while i + 8 <= end {
            any |= raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            i += 8
            words += 1
            if words & 8191 == 0 && any & 0x8080_8080_8080_8080 != 0 { return false }   // stop early
        }
        while i < end { any |= UInt64(p[i]); i += 1 }
        return any & 0x8080_8080_8080_8080 == 0
    }

    /// `isASCII` over the whole buffer on all cores (a large file is checked in 1/16ths).
    static func isASCIIParallel(_ p: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        let parts = count < 1 << 22 ? 1 : 16
        var ascii = [Bool](repeating: true, count: parts)
        ascii.withUnsafeMutableBufferPointer { b in
            let out = b
            CSVReader.forEach(parts) { k in out[k] = isASCII(p, count * k / parts, count * (k + 1) / parts) }
        }
        return !ascii.contains(false)
    }

    /// An upper bound on the number of rows of `CSVScanner.scan(from: start, stop: end)` when `start` is a row
    /// boundary: every row but the last has its own terminator (LF, CRLF or a bare CR) inside `start..<end`, and
    /// the last one too when the range ends with LF. `limit` is the end of the buffer (to see a CR's next byte). Quoted line ends and skipped empty lines only make the bound
    /// larger, never smaller.
    static func rowBound(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, limit: Int) -> Int {
        guard end > start else { return 0 }
        var terminators = count(CSVScanner.lf, in: p, start, end)
        if let cr = memchr(p + start, Int32(CSVScanner.cr), end - start) {
            // Bare CRs (old Mac line ends) also end rows; a CR followed by LF was counted as that LF.
            var i = UnsafePointer<UInt8>(cr.assumingMemoryBound(to: UInt8.self)) - p
            while i < end {
                if p[i] == CSVScanner.cr && (i + 1 >= limit || p[i + 1] != CSVScanner.lf) { terminators += 1 }
                i += 1
            }
        }
        // A range ending in LF, or in a bare CR, ends with the last row's terminator (a CR whose LF lies beyond
        // `end` was not counted, so that row needs the +1).
        let last = p[end - 1]
        let endsWithTerminator = last == CSVScanner.lf
            || (last == CSVScanner.cr && (end >= limit || p[end] != CSVScanner.lf))
        return terminators + (endsWithTerminator ? 0 : 1)
    }
}

// MARK: - Column storage

/// Per-column facts collected by one chunk's numeric pass (for a code column: of its exceptions only; the codes
/// themselves are whole numbers 0…254).
struct NumericColumnStats {
    var minimum = Double.infinity
    var maximum = -Double.infinity
    var allIntegral = true
    /// A field that is not a number (and not missing) was seen: the column is text.
    var isText = false

    @inline(__always)
    mutating func add(_ v: Double, integral: Bool) {
        if !integral { allIntegral = false }
        if v < minimum { minimum = v }
        if v > maximum { maximum = v }
    }
}

/// A value of a code column that is not a code (3.5, 300, -1, 1e3, -0): kept with its chunk-local row, and the
/// column is promoted to doubles after the parallel pass.
struct CodeException {
    var column: Int
    var row: Int
    var value: Double
}

/// The final array of every numeric-candidate column — `[Double]`, or `[UInt8]` codes for a column whose first
/// rows are all whole numbers 0…254 or missing (see `NumericColumn`) — allocated once with room for `capacity`
/// rows, and raw pointers to their storage for the parsing workers.
///
/// The arrays are created uninitialised (neither type needs initialisation) and are not touched through Swift
/// until every worker has finished, so their buffers never move while the workers write through `bases`.
final class NumericColumnTargets: @unchecked Sendable {
    var arrays: [[Double]]
    var codeArrays: [[UInt8]]
    /// Start of each `Double` column's storage; nil for code columns and columns not parsed as numbers.
    let bases: UnsafeMutablePointer<UnsafeMutablePointer<Double>?>
    /// Start of each code column's storage; nil for every other column.
    let codeBases: UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>
    let columnCount: Int
    let capacity: Int

    init(plans: [ColumnPlan], codes: [Bool], capacity: Int) {
        columnCount = plans.count
        self.capacity = capacity
        let slots = max(1, plans.count)
        bases = .allocate(capacity: slots)
        bases.initialize(repeating: nil, count: slots)
        codeBases = .allocate(capacity: slots)
        codeBases.initialize(repeating: nil, count: slots)
        arrays = [[Double]](repeating: [], count: plans.count)
        codeArrays = [[UInt8]](repeating: [], count: plans.count)
        // Large columns are backed by 2 MiB pages where the kernel allows it (THP `madvise` mode): a 1e7-row file
        // has 2.7 GB of columns, and one fault per 4 KiB page was ~40 % of the system time of the ingest.
        for i in plans.indices where plans[i] == .numeric || plans[i] == .forcedNumeric {
            if codes[i] {
                var a = [UInt8](unsafeUninitializedCapacity: max(1, capacity)) { _, n in n = capacity }
                let base = a.withUnsafeMutableBufferPointer { $0.baseAddress }
                if let base { adviseHugePages(UnsafeMutableRawPointer(base), bytes: capacity) }
                codeBases[i] = base
                codeArrays[i] = a
            } else {
                var a = [Double](unsafeUninitializedCapacity: max(1, capacity)) { _, n in n = capacity }
                let base = a.withUnsafeMutableBufferPointer { $0.baseAddress }
                if let base { adviseHugePages(UnsafeMutableRawPointer(base), bytes: capacity * 8) }
                bases[i] = base
                arrays[i] = a
            }
        }
    }

    /// Moves each chunk's rows from its reserved slot (`reserved[k]`) down to `packed[k]` (both row offsets),
    /// for files where some chunk had fewer rows than its bound (empty lines, quoted line ends).
    func compact(reserved: [Int], packed: [Int], rows: [Int]) {
        for i in 0..<columnCount {
            for k in reserved.indices where reserved[k] != packed[k] && rows[k] > 0 {
                // memmove semantics: the destination lies below the source.
                if let base = bases[i] { (base + packed[k]).update(from: base + reserved[k], count: rows[k]) }
                if let base = codeBases[i] { (base + packed[k]).update(from: base + reserved[k], count: rows[k]) }
            }
        }
    }

    func isCodeColumn(_ i: Int) -> Bool { codeBases[i] != nil }

    /// Takes column `i` out, cut to `rows` rows.
    func take(_ i: Int, rows: Int) -> NumericColumn {
        if codeBases[i] != nil {
            var a: [UInt8] = []
            swap(&a, &codeArrays[i])
            codeBases[i] = nil
            if a.count > rows { a.removeLast(a.count - rows) }
            return NumericColumn(codes: a)
        }
        var a: [Double] = []
        swap(&a, &arrays[i])
        bases[i] = nil
        if a.count > rows { a.removeLast(a.count - rows) }
        return NumericColumn(a, offset: 0)
    }

    /// Converts code column `i` to doubles (the first `rows` rows) and writes `patches` (row, value) over it:
    /// the exceptions that did not fit a code. Returns the minimum and maximum of the codes (for the
    /// decimal-offset rule). The code array is freed.
    func promote(_ i: Int, rows: Int, patches: [(row: Int, value: Double)]) -> (minimum: Double, maximum: Double) {
        guard let codes = codeBases[i] else { return (.infinity, -.infinity) }
        var lo: UInt8 = 255, hi: UInt8 = 0
        var a = [Double](unsafeUninitializedCapacity: max(1, rows)) { b, n in
            for r in 0..<rows {
                let c = codes[r]
                if c == NumericColumn.missingCode { b[r] = .nan; continue }
                b[r] = Double(c)
                lo = min(lo, c); hi = max(hi, c)
            }
            n = rows
        }
        for p in patches { a[p.row] = p.value }
        codeArrays[i] = []
        codeBases[i] = nil
        arrays[i] = a
        bases[i] = a.withUnsafeMutableBufferPointer { $0.baseAddress }
        return lo <= hi ? (Double(lo), Double(hi)) : (.infinity, -.infinity)
    }

    /// Frees column `i` (it turned out to be text, or is re-parsed with a decimal offset).
    func discard(_ i: Int) {
        arrays[i] = []
        codeArrays[i] = []
        bases[i] = nil
        codeBases[i] = nil
    }

    deinit {
        bases.deinitialize(count: max(1, columnCount))
        bases.deallocate()
        codeBases.deinitialize(count: max(1, columnCount))
        codeBases.deallocate()
    }
}

// MARK: - The sink

/// Parses the fields of one chunk into `NumericColumnTargets` at the chunk's row offset.
struct NumericSink: CSVFieldSink {
    let scanner: CSVScanner
    let plans: UnsafeMutablePointer<ColumnPlan>
    let decimal: UInt8
    let na: MissingTokens
    /// This chunk's write position of each `Double` column (nil: a code column, not numeric, or turned out to be
    /// text in this chunk).
    let dst: UnsafeMutablePointer<UnsafeMutablePointer<Double>?>
    /// This chunk's write position of each code column (nil for every other column).
    let codeDst: UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>
    let stats: UnsafeMutablePointer<NumericColumnStats>
    /// 10^0 … 10^22, exact (a local copy: a global array costs a lazy-initialisation check per use).
    let powersOfTen: UnsafeMutablePointer<Double>
    let columnCount: Int
    /// Rows this chunk may write (its row bound).
    let capacity: Int
    var row = 0
    var overflow = false
    var badValue: BadValue?
    /// Values of code columns that are not codes, in row order (chunk-local rows).
    var exceptions: [CodeException] = []
    /// Fields that were a user's `--na` word token (`vet ikke`), in row order (chunk-local rows).
    var tokenRows: [MissingTokenRow] = []
    var scratch: [UInt8] = []

    init(scanner: CSVScanner, plans: UnsafeMutablePointer<ColumnPlan>, targets: NumericColumnTargets, rowOffset: Int,
         capacity: Int, decimal: UInt8, na: MissingTokens) {
        self.scanner = scanner; self.plans = plans; self.decimal = decimal; self.na = na
        self.capacity = capacity
        columnCount = targets.columnCount
        let slots = max(1, columnCount)
        dst = .allocate(capacity: slots)
        dst.initialize(repeating: nil, count: slots)
        codeDst = .allocate(capacity: slots)
        codeDst.initialize(repeating: nil, count: slots)
        stats = .allocate(capacity: slots)
        stats.initialize(repeating: NumericColumnStats(), count: slots)
        powersOfTen = .allocate(capacity: CSVNumberParser.exactPowersOfTen.count)
        powersOfTen.initialize(from: CSVNumberParser.exactPowersOfTen, count: CSVNumberParser.exactPowersOfTen.count)
        for i in 0..<columnCount {
            if let b = targets.bases[i] { dst[i] = b + rowOffset }
            if let b = targets.codeBases[i] { codeDst[i] = b + rowOffset }
            if plans[i] == .text { stats[i].isText = true }
        }
    }

    /// Frees the sink's buffers; the stats are copied out first.
    func finish() -> [NumericColumnStats] {
        let out = Array(UnsafeBufferPointer(start: stats, count: columnCount))
        let slots = max(1, columnCount)
        stats.deinitialize(count: slots); stats.deallocate()
        dst.deinitialize(count: slots); dst.deallocate()
        codeDst.deinitialize(count: slots); codeDst.deallocate()
        powersOfTen.deallocate()
        return out
    }

    @inline(__always)
    func store(_ column: Int, _ d: UnsafeMutablePointer<Double>, _ row: Int, _ v: Double, integral: Bool) {
        d[row] = v
        stats[column].add(v, integral: integral)
    }

    /// A number in a code column that is not a code: remembered for the promotion to doubles.
    @inline(never)
    mutating func codeException(_ column: Int, _ c: UnsafeMutablePointer<UInt8>, _ row: Int, _ v: Double,
                                integral: Bool) {
        c[row] = NumericColumn.missingCode     // overwritten by the promotion
        exceptions.append(CodeException(column: column, row: row, value: v))
        stats[column].add(v, integral: integral)
    }

    /// Stores a parsed number in whichever storage column `column` has.
    @inline(__always)
    mutating func storeNumber(_ column: Int, _ v: Double, integral: Bool) {
        if let d = dst[column] {
            store(column, d, row, v, integral: integral)
        } else if let c = codeDst[column] {
            // `integral` means no decimal separator or exponent, so the code reproduces the value exactly.
            if integral && v >= 0 && v < 255 && v.sign == .plus {
                c[row] = UInt8(v)
            } else {
                codeException(column, c, row, v, integral: integral)
            }
        }
    }

    @inline(__always)
    func storeMissing(_ column: Int, _ row: Int) {
        if let d = dst[column] { d[row] = .nan } else if let c = codeDst[column] { c[row] = NumericColumn.missingCode }
    }

    @inline(__always)
    mutating func field(_ column: Int, _ start: Int, _ end: Int, escaped: Bool, line: Int) -> Bool {
        guard dst[column] != nil || codeDst[column] != nil else { return true }
        if row >= capacity { overflow = true; return false }
        let p = scanner.p
        // User tokens may look like numbers (-99), so they are checked first; otherwise numbers are tried first
        // and the missing tokens only for fields that are not simple numbers.
        if na.hasUserTokens {
            if na.isMissing(p, start, end, numericColumn: true) {
                storeMissing(column, row)
                if let k = na.userTokenIndex(p, start, end) {
                    tokenRows.append(MissingTokenRow(column: column, row: row, token: k))
                }
                return true
            }
        } else if end == start {
            storeMissing(column, row); return true
        }
        if !escaped, end > start, let v = Self.fixedPoint(p, start, end, decimal: decimal, powersOfTen: powersOfTen) {
            storeNumber(column, v.value, integral: v.isIntegral)
            return true
        }
        if !na.hasUserTokens && na.isMissing(p, start, end) { storeMissing(column, row); return true }
        var parsed: CSVNumberParser.Parsed?
        if escaped {
            scanner.unescape(start, end, into: &scratch)
            parsed = scratch.withUnsafeBufferPointer { b in
                b.baseAddress.flatMap { CSVNumberParser.parse($0, 0, b.count, decimal: decimal) }
            }
        } else {
            parsed = CSVNumberParser.parse(p, start, end, decimal: decimal)
        }
        if let v = parsed {
            storeNumber(column, v.value, integral: v.isIntegral)
            return true
        }
        if plans[column] == .forcedNumeric {
            badValue = BadValue(line: line, column: column, value: scanner.string(start, end, escaped: escaped))
            return false
        }
        stats[column].isText = true
        dst[column] = nil
        codeDst[column] = nil
        return true
    }

    mutating func endRow() { row += 1 }

    /// The commonest survey fields, `[-]digits[.digits]` with at most 15 digits and nothing else: exact, as the
    /// digits form an integer below 2^53 and 10^k (k ≤ 15) is exact, so one IEEE division is correctly rounded.
    /// Anything else (spaces, exponents, `+`, long mantissas) returns nil and takes the general parser.
    @inline(__always)
    static func fixedPoint(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, decimal: UInt8,
                           powersOfTen: UnsafePointer<Double>) -> CSVNumberParser.Parsed? {
        let f = FixedPointDigits(p, from: start, limit: end, decimal: decimal)
        guard f.stop == end && f.digits > 0 && f.digits <= 15 else { return nil }
        return CSVNumberParser.Parsed(value: f.value(powersOfTen), isIntegral: f.fractionDigits < 0)
    }

    /// `fixedPoint` with the shared table of powers of ten (tests, occasional callers).
    static func fixedPoint(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, decimal: UInt8) -> CSVNumberParser.Parsed? {
        CSVNumberParser.exactPowersOfTen.withUnsafeBufferPointer { powers in
            powers.baseAddress.flatMap { fixedPoint(p, start, end, decimal: decimal, powersOfTen: $0) }
        }
    }
}

// MARK: - Choosing code columns

/// Decides, from the first rows of the data, which numeric columns are stored as one-byte codes: those whose
/// sampled fields are all whole numbers 0…254 (written without sign, decimal separator or exponent) or missing,
/// with at least one number. A later value that does not fit is not lost: it becomes an exception and the column
/// is promoted to doubles (see `CSVReader.parse`), so the sample only decides the first storage, never a value.
struct CodeColumnSampler: CSVFieldSink {
    let scanner: CSVScanner
    let wanted: [Bool]
    let na: MissingTokens
    let decimal: UInt8
    var sawCode: [Bool]
    var sawOther: [Bool]

    init(scanner: CSVScanner, wanted: [Bool], na: MissingTokens, decimal: UInt8) {
        self.scanner = scanner; self.wanted = wanted; self.na = na; self.decimal = decimal
        sawCode = [Bool](repeating: false, count: wanted.count)
        sawOther = [Bool](repeating: false, count: wanted.count)
    }

    /// The code columns among `plans`, from the first `rows` rows after `dataStart`.
    static func choose(scanner: CSVScanner, from dataStart: Int, plans: [ColumnPlan], na: MissingTokens,
                       decimal: UInt8, rows: Int = 1024) -> [Bool] {
        let wanted = plans.map { $0 == .numeric || $0 == .forcedNumeric }
        guard rows > 0 else { return plans.map { _ in false } }
        guard wanted.contains(true) else { return wanted }
        var sampler = CodeColumnSampler(scanner: scanner, wanted: wanted, na: na, decimal: decimal)
        // A structural error in the sample is reported by the real pass; the sample just stops there.
        _ = scanner.scan(from: dataStart, stop: scanner.count, sink: &sampler, maxRows: rows)
        return wanted.indices.map { wanted[$0] && sampler.sawCode[$0] && !sampler.sawOther[$0] }
    }

    mutating func field(_ column: Int, _ start: Int, _ end: Int, escaped: Bool, line: Int) -> Bool {
        guard wanted[column], !sawOther[column] else { return true }
        let p = scanner.p
        if na.isMissing(p, start, end, numericColumn: true) { return true }
        if !escaped, let v = CSVNumberParser.parse(p, start, end, decimal: decimal),
           v.isIntegral && v.value >= 0 && v.value < 255 && v.value.sign == .plus {
            sawCode[column] = true
        } else {
            sawOther[column] = true
        }
        return true
    }

    mutating func endRow() {}
}
