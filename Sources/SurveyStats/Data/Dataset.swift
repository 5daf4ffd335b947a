import Foundation

/// A rectangular survey dataset: named variables of equal length, with labels and missing-value metadata.
///
/// Missing values are explicit: a numeric cell that is missing is `nil` in `NumericColumn.value(at:)`
/// (stored as NaN), and a cell holding a declared missing code ("9 = ubesvart") is reported as missing by
/// `isMissing(_:)` while its code is kept, so that counts of each missing reason can be shown.
public struct Dataset: Sendable {
    /// Where the data came from (file path or a description), used in error messages and table footers.
    public var source: String
    /// Non-fatal findings of reading the file (e.g. a header column without a name), for the caller to show.
    public var readWarnings: [String] = []
    public private(set) var variables: [Variable]
    private var index: [String: Int]

    public init(source: String, variables: [Variable] = []) {
        self.source = source
        self.variables = []
        self.index = [:]
        for v in variables { append(v) }
    }

    public var rowCount: Int { variables.first?.count ?? 0 }
    public var variableNames: [String] { variables.map(\.name) }

    public subscript(name: String) -> Variable? {
        get { index[name].map { variables[$0] } }
    }

    /// Looks a variable up, throwing an error that names the dataset and the closest matches.
    public func variable(_ name: String) throws -> Variable {
        if let v = self[name] { return v }
        throw DataError.unknownVariable(name: name, source: source, available: variableNames)
    }

    public mutating func append(_ variable: Variable) {
        precondition(variables.isEmpty || variable.count == rowCount,
                     "variable \(variable.name) has \(variable.count) rows, dataset has \(rowCount)")
        if let i = index[variable.name] { variables[i] = variable; return }
        index[variable.name] = variables.count
        variables.append(variable)
    }

    public mutating func replace(_ variable: Variable) { append(variable) }

    /// A dataset holding only the rows where `keep` is true (used by `--where` filters).
    public func filtered(_ keep: [Bool]) -> Dataset {
        precondition(keep.count == rowCount)
        return Dataset(source: source, variables: variables.map { $0.filtered(keep) })
    }
}

/// One variable (column) with its metadata.
public struct Variable: Sendable {
    public var name: String
    /// Question text or description.
    public var label: String?
    public var values: VariableValues
    /// Labels per response code, e.g. 1 → "I svært liten grad".
    public var valueLabels: [Double: String]
    /// Codes that mean missing ("6 = Vet ikke", "9 = ubesvart").
    public var missingCodes: Set<Double>
    /// Measurement level, when known (from a codebook or a file's metadata).
    public var kind: VariableKind?
    /// Ranges of codes that mean missing (SPSS user-missing ranges such as 97 THRU 99).
    public var missingRanges: [ClosedRange<Double>] = []
    /// Display format from the source file (SPSS `F8.2`, Stata `%9.0g`), kept so that a round trip preserves it.
    public var format: String?
    /// Labels of a text variable's values (SPSS string value labels), e.g. "K" → "Kommunal".
    public var textValueLabels: [String: String] = [:]
    /// Values of a text variable that mean missing (SPSS string user-missing values).
    public var textMissingValues: Set<String> = []
    /// Missing codes that come from `--na` tokens (code → the token as given), for reporting missing values by
    /// the token (`2 '99' (--na)`); each is also in `missingCodes`.
    public var missingTokens: [Double: String] = [:]
    /// Rows whose field was an `--na` token read as missing (a word such as `vet ikke` in a numeric column, any
    /// token in a text column), by the token as given, rows ascending. The row holds NaN (`nil`) like an empty
    /// field; this says which token it was, so that missing values are reported by the token (`2 'vet ikke'
    /// (--na)`) rather than lumped in with the empty fields.
    public var missingTokenRows: [String: [Int]] = [:]
    /// The rating scale declared for the variable (a codebook's `scale: [1, 5]`), when there is one.
    public var scale: ClosedRange<Double>? = nil

    public init(name: String, label: String? = nil, values: VariableValues,
                valueLabels: [Double: String] = [:], missingCodes: Set<Double> = [], kind: VariableKind? = nil) {
        self.name = name; self.label = label; self.values = values
        self.valueLabels = valueLabels; self.missingCodes = missingCodes; self.kind = kind
    }

    /// The points of a Likert summary when none are given: the declared `scale` (whole numbers from its lower
    /// to its upper bound), else the labelled codes that are not missing codes; `nil` when there are neither.
    public var defaultLikertPoints: [Double]? {
        if let scale, scale.upperBound - scale.lowerBound <= 1000 {
            let points = Array(stride(from: scale.lowerBound, through: scale.upperBound, by: 1))
                .filter { !isMissingCode($0) }
            if !points.isEmpty { return points }
        }
        let labelled = valueLabels.keys.filter { !isMissingCode($0) }.sorted()
        return labelled.isEmpty ? nil : labelled
    }

    /// The error when a Likert summary has no scale: where one can come from.
    public var noLikertScaleMessage: String {
        "Likert summary of '\(name)': no scale: give --scale (e.g. --scale 1-5), value labels, or a `scale` "
            + "for '\(name)' in the codebook (e.g. scale: [1, 5])"
    }

    /// True when `code` is a declared missing code or lies in a declared missing range.
    @inlinable public func isMissingCode(_ code: Double) -> Bool {
        if missingCodes.contains(code) { return true }
        for r in missingRanges where r.contains(code) { return true }
        return false
    }

    public var count: Int {
        switch values {
        case .numeric(let c): return c.count
        case .text(let t): return t.count
        }
    }

    public var isNumeric: Bool { if case .numeric = values { return true } else { return false } }

    /// True when row `i` is system-missing (empty/NA) or holds a declared missing code.
    public func isMissing(_ i: Int) -> Bool {
        switch values {
        case .numeric(let c):
            guard let v = c.value(at: i) else { return true }
            return isMissingCode(v)
        case .text(let t):
            guard let s = t[i] else { return true }
            return !textMissingValues.isEmpty && textMissingValues.contains(s)
        }
    }

    /// Numeric values with every kind of missing as `nil`; throws for a text variable.
    public func numericValues() throws -> [Double?] {
        guard case .numeric(let c) = values else { throw DataError.notNumeric(variable: name) }
        return (0..<c.count).map { i in
            guard let v = c.value(at: i), !isMissingCode(v) else { return nil }
            return v
        }
    }

    public func filtered(_ keep: [Bool]) -> Variable {
        var v = self
        switch values {
        case .numeric(let c): v.values = .numeric(c.filtered(keep))
        // Keep missing (nil) texts of kept rows: a compactMap here would drop them and shorten the column.
        case .text(let t): v.values = .text(zip(t, keep).filter { $0.1 }.map { $0.0 })
        }
        if !missingTokenRows.isEmpty {
            // A kept row's new index is the number of kept rows before it (counted in one walk per token).
            v.missingTokenRows = missingTokenRows.compactMapValues { rows in
                var left: [Int] = [], kept = 0, i = 0
                for r in rows {
                    while i < r { if keep[i] { kept += 1 }; i += 1 }
                    if keep[r] { left.append(kept) }
                }
                return left.isEmpty ? nil : left
            }
        }
        return v
    }

    /// The `--na` token row `i` held (see `missingTokenRows`), or `nil`.
    public func missingToken(atRow i: Int) -> String? {
        for (token, rows) in missingTokenRows {
            var lo = 0, hi = rows.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if rows[mid] < i { lo = mid + 1 } else { hi = mid }
            }
            if lo < rows.count && rows[lo] == i { return token }
        }
        return nil
    }
}

public enum VariableValues: Sendable {
    case numeric(NumericColumn)
    case text([String?])
}

/// Measurement level of a variable (as in a codebook).
public enum VariableKind: String, Sendable, Codable, CaseIterable {
    case likert, nominal, ordinal, numeric, weight, id, text
}

/// A numeric column: the value of row `i` is `offset + stored[i]`, with NaN for missing.
///
/// The offset is a decimal shift chosen while parsing (e.g. 10000000 for NIST NumAcc4's 10000000.2, …): the
/// parser subtracts it in decimal arithmetic, so `stored` holds 0.2, 0.1, … as the nearest doubles to the
/// *differences*, and moments computed from `stored` keep digits that the doubles of the raw values have lost.
/// For ordinary data the offset is 0.
///
/// **Two storages.** A column is held either as `Double`s, or — when every value is a whole number 0…254 or
/// missing, as Likert answers and other response codes are — as one byte per row (`codes`: 0…254, 255 = missing;
/// the offset is then 0). The byte form takes an eighth of the memory (a 1e7-row survey file with 23 Likert items
/// goes from 1.84 GB to 0.23 GB for those columns) and lets counts, summaries and grouping read the codes directly
/// (`codes`, `DescriptiveStatistics`, `GroupCodes`, `GroupedLikertCounts`), which is also exact. The storage is
/// invisible to everything else: `value(at:)`, `count`, `filtered(_:)` and `==` (by value: the same values in the
/// same rows, missing equal to missing) behave the same for both.
///
/// **`stored` of a code column** is materialised as `[Double]` once, on first access, and cached (thread-safe),
/// so `column.stored[i]` in a loop costs O(1) per access — a lock and a retain, not a copy. Hot loops should
/// prefer `codes` or `withStoredValues(_:)`. Assigning to `stored` (or mutating through it, `column.stored[i] = x`)
/// switches the column to `Double` storage.
public struct NumericColumn: Sendable, Equatable {
    public var offset: Double
    @usableFromInline var storage: Storage

    /// The two representations (see the type's documentation).
    @usableFromInline enum Storage: Sendable {
        case doubles([Double])
        case codes(CodeColumnStorage)
    }

    /// The code that marks a missing value in a code column.
    public static let missingCode: UInt8 = 255

    /// A column of `Double`s (NaN = missing), stored as `offset + values[i]`.
    public init(_ values: [Double], offset: Double = 0) { self.offset = offset; self.storage = .doubles(values) }
    /// A column of optional values (`nil` = missing), stored as `Double`s.
    public init(_ values: [Double?]) { self.offset = 0; self.storage = .doubles(values.map { $0 ?? .nan }) }
    /// A code column: each byte is a whole-number value 0…254, or `NumericColumn.missingCode` (255) for missing.
    public init(codes: [UInt8]) { self.offset = 0; self.storage = .codes(CodeColumnStorage(codes)) }

    /// The values minus `offset`, NaN for missing. For a code column this is materialised once and cached (see
    /// the type's documentation); setting it switches the column to `Double` storage.
    public var stored: [Double] {
        get {
            switch storage {
            case .doubles(let d): return d
            case .codes(let c): return c.materialised()
            }
        }
        set { storage = .doubles(newValue) }
        _modify {
            var values: [Double]
            switch storage {
            case .doubles(let d): values = d
            case .codes(let c): values = c.materialised()
            }
            // Drop the column's own reference first so that `values` is unique and mutates in place.
            storage = .doubles([])
            defer { storage = .doubles(values) }
            yield &values
        }
    }

    /// The one-byte codes (0…254, 255 = missing) when the column is stored compactly, `nil` when it holds doubles.
    public var codes: [UInt8]? {
        if case .codes(let c) = storage { return c.codes }
        return nil
    }

    /// Calls `body` with the stored values (value − `offset`, NaN = missing) as contiguous doubles, without a
    /// copy for a `Double` column and from the cached materialisation for a code column.
    public func withStoredValues<R>(_ body: (UnsafeBufferPointer<Double>) throws -> R) rethrows -> R {
        switch storage {
        case .doubles(let d): return try d.withUnsafeBufferPointer(body)
        case .codes(let c): return try c.materialised().withUnsafeBufferPointer(body)
        }
    }

    @inlinable public var count: Int {
        switch storage {
        case .doubles(let d): return d.count
        case .codes(let c): return c.codes.count
        }
    }

    /// The value at row `i`, `nil` when missing.
    @inlinable public func value(at i: Int) -> Double? {
        switch storage {
        case .doubles(let d):
            let s = d[i]
            return s.isNaN ? nil : offset + s
        case .codes(let c):
            let code = c.codes[i]
            return code == NumericColumn.missingCode ? nil : Double(code)
        }
    }

    /// The rows where `keep` is true, in the same storage.
    public func filtered(_ keep: [Bool]) -> NumericColumn {
        switch storage {
        case .doubles(let d):
            return NumericColumn(zip(d, keep).compactMap { $1 ? $0 : nil }, offset: offset)
        case .codes(let c):
            var out = [UInt8]()
            out.reserveCapacity(c.codes.count)
            for (code, k) in zip(c.codes, keep) where k { out.append(code) }
            return NumericColumn(codes: out)
        }
    }

    /// This column as a code column when every value is a whole number 0…254 or missing (and the offset is 0);
    /// otherwise the column unchanged. Values are kept exactly (−0.0 is not a code: it stays a double).
    public func compacted() -> NumericColumn {
        guard case .doubles(let d) = storage, offset == 0 else { return self }
        var out = [UInt8](repeating: 0, count: d.count)
        for (i, x) in d.enumerated() {
            if x.isNaN { out[i] = NumericColumn.missingCode; continue }
            guard x >= 0, x < 255, x == x.rounded(.towardZero), x.sign == .plus else { return self }
            out[i] = UInt8(x)
        }
        return NumericColumn(codes: out)
    }

    /// Equal when both hold the same values in the same rows (missing equal to missing), whatever the storage
    /// and offset.
    public static func == (a: NumericColumn, b: NumericColumn) -> Bool {
        guard a.count == b.count else { return false }
        if case .codes(let x) = a.storage, case .codes(let y) = b.storage { return x.codes == y.codes }
        if case .doubles(let x) = a.storage, case .doubles(let y) = b.storage, a.offset == b.offset {
            for i in x.indices where x[i] != y[i] && !(x[i].isNaN && y[i].isNaN) { return false }
            return true
        }
        for i in 0..<a.count where a.value(at: i) != b.value(at: i) { return false }
        return true
    }
}

/// The bytes of a code column and, once asked for, their `Double` materialisation (shared by all copies of the
/// column; the codes never change, so neither does the cache once filled).
@usableFromInline final class CodeColumnStorage: @unchecked Sendable {
    @usableFromInline let codes: [UInt8]
    private let lock = NSLock()
    private var cache: [Double]?

    init(_ codes: [UInt8]) { self.codes = codes }

    /// The codes as doubles (255 → NaN), built on first use.
    func materialised() -> [Double] {
        lock.lock()
        defer { lock.unlock() }
        if let cache { return cache }
        let d = [Double](unsafeUninitializedCapacity: codes.count) { buffer, n in
            codes.withUnsafeBufferPointer { c in
                for i in 0..<c.count { buffer[i] = c[i] == NumericColumn.missingCode ? .nan : Double(c[i]) }
            }
            n = codes.count
        }
        cache = d
        return d
    }
}

/// Errors in survey data, each naming the file, line/column or variable involved.
public enum DataError: Error, CustomStringConvertible, Equatable, Sendable {
    case unknownVariable(name: String, source: String, available: [String])
    case notNumeric(variable: String)
    /// A field of a numeric column that is not a number: `columnNumber` is 1-based, `column` its name.
    case nonNumericValue(source: String, line: Int, columnNumber: Int, column: String, value: String)
    case malformed(source: String, line: Int, column: Int?, message: String)
    case io(path: String, message: String)
    case invalid(String)
    /// `what` (a model term, the response, a weight) has the unusable `value` in the dataset's 0-based `row`; `detail`
    /// says why in words (": the log of a value ≤ 0"). The row is the dataset's, which after `--where` is not the
    /// file's: callers that know the file's lines (the CLI) name those, from `row`.
    case invalidValue(what: String, value: Double, row: Int, source: String?, detail: String)

    /// The message of `invalidValue` with `location` in place of "row N of source" ("line 26 of t1.csv").
    public static func invalidValueMessage(what: String, value: Double, location: String, detail: String) -> String {
        "\(what) is \(ValueMessages.number(value)) in \(location)\(detail)"
    }

    public var description: String {
        switch self {
        case let .unknownVariable(name, source, available):
            let close = available.filter { $0.lowercased().hasPrefix(String(name.lowercased().prefix(3))) }.prefix(5)
            let hint = close.isEmpty ? "" : " (did you mean \(close.joined(separator: ", "))?)"
            return "\(source): unknown variable '\(name)'\(hint)"
        case let .notNumeric(variable):
            return "variable '\(variable)' is not numeric"
        case let .nonNumericValue(source, line, columnNumber, column, value):
            return "\(source):\(line):\(columnNumber): column '\(column)': \(ValueMessages.quoted(value)) is not a number"
                + (ValueMessages.missingMarkerHint(value).map { " \($0)" } ?? "")
        case let .malformed(source, line, column, message):
            return "\(source):\(line)\(column.map { ":\($0)" } ?? ""): \(message)"
        case let .io(path, message):
            return "\(path): \(message)"
        case let .invalid(message):
            return message
        case let .invalidValue(what, value, row, source, detail):
            return Self.invalidValueMessage(what: what, value: value,
                                            location: "row \(row + 1)\(source.map { " of \($0)" } ?? "")", detail: detail)
        }
    }
}
