import Foundation
import SurveyStats

/// The rows an analysis works on, with the bookkeeping every command reports: rows read, rows excluded by
/// `--where`, rows dropped for missing values (per variable and reason), rows used.
struct AnalysisData {
    var dataset: Dataset
    var source: String
    var rowsRead: Int
    var rowsExcluded: Int
    var filter: String?
    var weightName: String?
    /// The file's 0-based data row of each row here (nil: every row is kept, row i is the file's row i), so an
    /// error can name the line after `--where` dropped rows.
    var fileRows: [Int]? = nil

    /// Where row `i` is in the data file, as people look for it: "line 4" in a CSV file (the header is line 1;
    /// a quoted field spanning lines would shift it), "row 3" in SPSS/Stata/SAS files.
    func location(ofRow i: Int) -> String {
        let row = fileRows?[i] ?? i
        return StatFileFormat(path: source) == nil ? "line \(row + 2)" : "row \(row + 1)"
    }

    func variable(_ name: String) throws -> Variable { try dataset.variable(name) }

    /// Numeric values of a variable, every kind of missing as `nil`. A text variable is an error naming it.
    func numeric(_ name: String) throws -> [Double?] {
        let v = try variable(name)
        guard v.isNumeric else {
            throw CLIError("\(source): variable '\(name)' is not numeric (it holds text such as '\(firstText(v))')")
        }
        return try v.numericValues()
    }

    private func firstText(_ v: Variable) -> String {
        if case .text(let t) = v.values, let s = t.lazy.compactMap({ $0 }).first { return s }
        return ""
    }

    /// Why row `i` of `variable` is missing, or `nil` when it has a value. `locale` gives the decimal mark of a
    /// code such as -1.5 (table notes follow --locale; JSON keeps the point).
    static func missingReason(_ v: Variable, _ i: Int, locale: ExportLocale = .standard) -> String? {
        switch v.values {
        case .numeric(let c):
            guard let x = c.value(at: i) else { return emptyReason(v, i) }
            // Declared codes and SPSS missing ranges alike, so this agrees with `Variable.isMissing`.
            guard v.isMissingCode(x) else { return nil }
            return missingCodeReason(v, x, locale: locale)
        case .text(let t):
            guard let s = t[i] else { return emptyReason(v, i) }
            guard v.isMissing(i) else { return nil }
            // As for a numeric code: the code, then its value label when it has one (SPSS string missing values).
            return "code \(ValueMessages.quoted(s))" + (v.textValueLabels[s].map { " «\($0)»" } ?? "")
        }
    }

    /// How an empty (NaN, `nil`) row `i` of `v` is listed: by its `--na` token when it held one, as
    /// `missingCodeReason` lists a token that is a number (`'vet ikke' (--na)`), else `empty/NA`.
    static func emptyReason(_ v: Variable, _ i: Int) -> String {
        v.missingToken(atRow: i).map(tokenReason) ?? emptyNAReason
    }

    static func tokenReason(_ token: String) -> String { "'\(token)' (--na)" }

    /// How an empty field or NA is listed among the missing values.
    static let emptyNAReason = "empty/NA"

    /// How rows holding the declared missing code `x` of `v` are listed, by every command: `'99' (--na)`,
    /// `code 9 «ubesvart»`, `code 9`, `code 98 (missing range)`; `code -1,5` with the Norwegian locale. (A text
    /// code is quoted: `code 'X' «Ugyldig»`.)
    static func missingCodeReason(_ v: Variable, _ x: Double, locale: ExportLocale = .standard) -> String {
        if let token = v.missingTokens[x] { return tokenReason(token) }
        let code = GroupingVariable.format(code: x, locale: locale)
        if let label = v.valueLabels[x] { return "code \(code) «\(label)»" }
        return v.missingCodes.contains(x) ? "code \(code)" : "code \(code) (missing range)"
    }

    /// Listwise deletion over `variables` (and the weight, when given): the rows where every one has a value,
    /// with a count of missing per variable and reason.
    func listwise(_ variables: [String], includeWeight: Bool = true) throws -> MissingAccount {
        var names: [String] = []
        for n in variables where !names.contains(n) { names.append(n) }
        let vars = try names.map { try variable($0) }
        var used = [Bool](repeating: true, count: dataset.rowCount)
        var reasons: [MissingAccount.Reason] = []
        for v in vars {
            reasons += Self.markMissing(v, &used)
        }
        if includeWeight, let w = weightName, let values = try weightColumn() {
            // Missing weights by reason, as for any variable (a codebook missing code or an --na token is named).
            reasons += Self.markMissing(try variable(w), &used)
            var zero = 0
            for i in values.indices where values[i] == 0 { zero += 1; used[i] = false }
            if zero > 0 { reasons.append(.init(variable: w, reason: Self.zeroWeightReason, count: zero)) }
        }
        return MissingAccount(data: self, used: used, reasons: reasons)
    }

    /// Marks the missing rows of `v` in `used` and returns the count per reason, reasons in order of their first
    /// row. A numeric column is scanned without per-row strings or hashing (a NaN test and a compare against
    /// the few declared codes); a reason's text is made once, from its first row.
    static func markMissing(_ v: Variable, _ used: inout [Bool]) -> [MissingAccount.Reason] {
        var first: [(row: Int, count: Int)] = []
        var slotOfCode: [Double: Int] = [:]
        switch v.values {
        case .numeric(let c):
            let codes = v.missingCodes.sorted(), ranges = v.missingRanges
            let declared = !codes.isEmpty || !ranges.isEmpty
            var empty = -1, emptyCount = 0
            c.stored.withUnsafeBufferPointer { s in
                used.withUnsafeMutableBufferPointer { u in
                    for i in 0..<s.count {
                        let x = s[i]
                        if x.isNaN {
                            u[i] = false
                            if emptyCount == 0 { empty = i }
                            emptyCount += 1
                            continue
                        }
                        guard declared else { continue }
                        let value = c.offset + x
                        var isCode = false
                        for m in codes where m == value { isCode = true }
                        if !isCode { for r in ranges where r.contains(value) { isCode = true } }
                        guard isCode else { continue }
                        u[i] = false
                        if let k = slotOfCode[value] { first[k].count += 1 } else {
                            slotOfCode[value] = first.count; first.append((i, 1))
                        }
                    }
                }
            }
            // Empty rows that held an `--na` token are listed by the token (the scan above only sees NaN).
            var tokenCount = 0
            for rows in v.missingTokenRows.values where !rows.isEmpty {
                first.append((rows[0], rows.count))
                tokenCount += rows.count
            }
            if tokenCount > 0 {
                empty = firstEmptyWithoutToken(c, v.missingTokenRows) ?? -1
                emptyCount -= tokenCount
            }
            if emptyCount > 0 { first.append((empty, emptyCount)) }
        case .text:
            var slotOfReason: [String: Int] = [:]
            for i in 0..<v.count {
                guard let r = missingReason(v, i) else { continue }
                used[i] = false
                if let k = slotOfReason[r] { first[k].count += 1 } else {
                    slotOfReason[r] = first.count; first.append((i, 1))
                }
            }
        }
        // Merge equal reason texts (e.g. two codes that print alike), keeping the order of first rows.
        var out: [MissingAccount.Reason] = []
        for (row, count) in first.sorted(by: { $0.row < $1.row }) {
            let reason = MissingAccount.Reason(v, row: row, count: count)
            if let k = out.firstIndex(where: { $0.reason == reason.reason }) { out[k].count += count } else {
                out.append(reason)
            }
        }
        return out
    }

    /// The first NaN row of `c` that is not among `tokenRows` (an empty field or NA), or `nil`.
    private static func firstEmptyWithoutToken(_ c: NumericColumn, _ tokenRows: [String: [Int]]) -> Int? {
        let tokens = Set(tokenRows.values.joined())
        for i in 0..<c.count where c.value(at: i) == nil && !tokens.contains(i) { return i }
        return nil
    }

    /// How a row with weight 0 is listed among the rows left out.
    static let zeroWeightReason = "zero weight"

    /// The weight column for all rows (NaN where missing), or `nil` without `--weight`. The one rule for weights,
    /// for every command: a negative or infinite weight is bad input (an error naming the file, the line and the
    /// weight variable); a zero weight leaves the row out, counted; a missing weight leaves it out as missing.
    func weightColumn() throws -> [Double]? {
        guard let w = weightName else { return nil }
        let values = try numeric(w).map { $0 ?? .nan }
        if let bad = values.firstIndex(where: { $0 < 0 || $0.isInfinite }) {
            let place = CSVReader.placeOfValue(dataRow: fileRows?[bad] ?? bad, variable: w, path: source)
            throw CLIError("\(place): the weight is \(GroupingVariable.format(code: values[bad])); weights must be finite and ≥ 0 (a zero weight leaves the row out)")
        }
        return values
    }

    /// Runs an analysis of `analysed` (one variable, or "x × y"), restating the library's error for frequency
    /// weights whose total is beyond double's range with the file and the weight variable (exit 2, one line);
    /// `remedy` says what the command offers instead. Every other error passes unchanged.
    func checkingWeightTotal<T>(of analysed: String, remedy: String, _ body: () throws -> T) throws -> T {
        do { return try body() } catch StatisticsError.weightTotalNotRepresentable {
            throw CLIError("\(source): weight variable '\(weightName ?? "?")': the frequency weights of the rows used for \(analysed) sum to more than 1.8e308, which is not a representable count; \(remedy)")
        }
    }

    /// The way out for commands with `--weight-kind` (describe, likert): those kinds do not read weights as counts.
    static let weightKindRemedy = "use --weight-kind analytic or probability (weights that are not counts), or rescale the weights"

    /// Case weights of the used rows (`nil` without `--weight`).
    func weights(_ account: MissingAccount) throws -> [Double]? {
        guard let w = weightName else { return nil }
        return account.select(try numeric(w)).map { $0! }
    }
}

/// Which rows an analysis used and why the others were left out.
struct MissingAccount {
    struct Reason {
        var variable: String
        /// The reason as JSON and stderr give it (a code with a decimal point).
        var reason: String
        var count: Int
        /// The reason with a decimal comma (`code -1,5`), when it differs from `reason`: for table notes under
        /// `--locale nb`, which show numbers as the cells do.
        var decimalCommaReason: String? = nil

        init(variable: String, reason: String, count: Int, decimalCommaReason: String? = nil) {
            self.variable = variable; self.reason = reason; self.count = count
            self.decimalCommaReason = decimalCommaReason
        }

        /// The reason why row `row` of `v` is missing, in both decimal marks.
        init(_ v: Variable, row: Int, count: Int) {
            let reason = AnalysisData.missingReason(v, row) ?? "missing"
            let comma = AnalysisData.missingReason(v, row, locale: .norwegian) ?? "missing"
            self.init(variable: v.name, reason: reason, count: count, decimalCommaReason: comma == reason ? nil : comma)
        }

        func reason(in locale: ExportLocale) -> String {
            locale == .norwegian ? decimalCommaReason ?? reason : reason
        }
    }

    var rowsRead: Int
    var rowsExcluded: Int
    var filter: String?
    var used: [Bool]
    var reasons: [Reason]

    var rowsConsidered: Int
    var nUsed: Int

    init(data: AnalysisData, used: [Bool], reasons: [Reason]) {
        rowsRead = data.rowsRead; rowsExcluded = data.rowsExcluded; filter = data.filter
        self.used = used; self.reasons = reasons
        rowsConsidered = used.count
        nUsed = used.lazy.filter { $0 }.count
    }

    /// An account from counts alone (a streamed file, where no per-row mask exists; `select` is unavailable).
    init(data: AnalysisData, rowsConsidered: Int, nUsed: Int, reasons: [Reason]) {
        rowsRead = data.rowsRead; rowsExcluded = data.rowsExcluded; filter = data.filter
        used = []; self.reasons = reasons
        self.rowsConsidered = rowsConsidered; self.nUsed = nUsed
    }

    var nMissing: Int { rowsConsidered - nUsed }

    /// Stops an analysis that has no row left, saying why: the variable that has no values at all ("ttest:
    /// variable 'z' has no values (4 rows missing: 3 empty/NA, 1 code 9)"), else that no row has all of
    /// `variables`; `--where` is named when it left no rows. (Without this, a grouping over no rows reads as
    /// "--by g has 0 groups", blaming the grouping variable.)
    func requireRows(_ variables: [String], command: String) throws {
        guard nUsed == 0 else { return }
        if rowsConsidered == 0 {
            let why = rowsExcluded > 0 ? "--where \(filter.map { "'\($0)'" } ?? "") excluded all \(rowsRead) rows" : "the data have no rows"
            throw CLIError("\(command): no rows to analyse: \(why)")
        }
        var byVariable: [(name: String, count: Int, items: [String])] = []
        for r in reasons {
            let item = "\(r.count) \(r.reason)"
            if let i = byVariable.firstIndex(where: { $0.name == r.variable }) {
                byVariable[i].count += r.count; byVariable[i].items.append(item)
            } else {
                byVariable.append((r.variable, r.count, [item]))
            }
        }
        let scope = rowsExcluded > 0 ? " of the \(rowsConsidered) rows --where keeps" : ""
        let empty = byVariable.filter { $0.count >= rowsConsidered }
        if !empty.isEmpty {
            let parts = empty.map { "variable '\($0.name)' has no values\(scope) (\($0.count) rows missing: \($0.items.joined(separator: ", ")))" }
            throw CLIError("\(command): " + parts.joined(separator: "; "))
        }
        let names = variables.map { "'\($0)'" }.joined(separator: ", ")
        throw CLIError("\(command): no row\(scope) has values of all of \(names) (\(reasonSummary(.standard)))")
    }

    /// The used rows of a column (same length as the dataset).
    func select<T>(_ column: [T]) -> [T] {
        var out: [T] = []
        out.reserveCapacity(nUsed)
        for i in column.indices where used[i] { out.append(column[i]) }
        return out
    }

    /// "Rows: 120 read, 5 excluded by --where, 108 used, 7 left out for missing values (y: 4 empty/NA, 2 code 9 «ubesvart»; g: 1 empty/NA)."
    func note(_ locale: ExportLocale) -> String {
        var parts = ["\(rowsRead) read"]
        if rowsExcluded > 0 { parts.append("\(rowsExcluded) excluded by --where") }
        parts.append("\(nUsed) used")
        var s = "Rows: " + parts.joined(separator: ", ")
        if nMissing > 0 {
            // A zero weight is no missing value, but leaves the row out all the same.
            let why = reasons.contains { $0.reason == AnalysisData.zeroWeightReason } ? "missing values or zero weight" : "missing values"
            s += ", \(nMissing) left out for \(why) (" + reasonSummary(locale) + ")"
        } else {
            s += ", none missing"
        }
        return s + "."
    }

    /// "y: 4 empty/NA, 2 code 9 «ubesvart»; g: 1 empty/NA", codes with the locale's decimal mark.
    func reasonSummary(_ locale: ExportLocale) -> String {
        var byVariable: [(String, [String])] = []
        for r in reasons {
            let item = "\(r.count) \(r.reason(in: locale))"
            if let i = byVariable.firstIndex(where: { $0.0 == r.variable }) { byVariable[i].1.append(item) } else {
                byVariable.append((r.variable, [item]))
            }
        }
        return byVariable.map { "\($0.0): " + $0.1.joined(separator: ", ") }.joined(separator: "; ")
    }

    /// [{variable, reason, count}]
    var reasonsJSON: JSONValue {
        .array(reasons.map { ["variable": .string($0.variable), "reason": .string($0.reason), "count": .integer($0.count)] })
    }

    /// `n_rows`, `n_excluded`, `n_used`, `n_missing`, and `missing` as [{variable, reason, count}].
    var jsonMembers: [JSONValue.Member] {
        [
            .init("n_rows", .integer(rowsRead)),
            .init("n_excluded", .integer(rowsExcluded)),
            .init("n_used", .integer(nUsed)),
            .init("n_missing", .integer(nMissing)),
            .init("missing", reasonsJSON),
        ]
    }
}

/// A grouping variable (`--by`, crosstab rows/columns): its levels in order, with labels, and each row's level.
///
/// Levels come in code order for a numeric variable (labelled from the codebook or the file's value labels),
/// and in Norwegian order for a text variable (`FactorCodes`, the order of `CategoricalLevels`), so the first
/// level is the one R and `regress` pick as reference. Rows are held as dense codes (`FactorCodes`), which the
/// analyses index directly instead of splitting columns by label.
struct GroupingVariable {
    var name: String
    var factor: FactorCodes
    /// Level names as JSON and stderr give them (a decimal point: `2.5`).
    var levelNames: [String] { factor.names }
    /// The level names with a decimal comma (`2,5`), aligned with `levelNames`; nil when no level is named by a
    /// number with a fraction (then the names are the same in every locale).
    private var decimalCommaNames: [String]?

    /// Level names as a table shows them in `locale`: a level named by a number with a fraction has the locale's
    /// decimal mark («2,5» with nb); value labels and texts are unchanged.
    func levelNames(_ locale: ExportLocale) -> [String] {
        locale.decimalSeparator == "," ? decimalCommaNames ?? factor.names : factor.names
    }

    /// Each level name (`levelNames`, as JSON gives it) with the name a table shows in `locale`
    /// (`levelNames(_:)`); empty when the two are the same. Names are distinct, so the map is one-to-one.
    func shownLevelNames(_ locale: ExportLocale) -> [String: String] {
        let shown = levelNames(locale)
        guard shown != factor.names else { return [:] }
        return Dictionary(zip(factor.names, shown), uniquingKeysWith: { first, _ in first })
    }

    /// The level index of row `i`, `nil` when missing.
    func level(_ i: Int) -> Int? { factor.level(i) }

    /// Rows without a level (missing group).
    var missingRows: Int { factor.codes.lazy.filter { $0 == 0 }.count }

    /// Levels of `v`; with `used`, only the rows and levels that occur in the used rows (a group whose rows are
    /// all missing in the analysed variable is not a group of the analysis), the other rows coded missing.
    init(_ v: Variable, among used: [Bool]) {
        name = v.name
        let all = FactorCodes(v)
        factor = all.restricted(to: used)
        decimalCommaNames = Self.decimalCommaNames(v, all: all, kept: factor)
    }

    /// Levels of `v` over all rows.
    init(_ v: Variable) {
        name = v.name
        factor = FactorCodes(v)
        decimalCommaNames = Self.decimalCommaNames(v, all: factor, kept: factor)
    }

    /// The names of `kept`'s levels with a decimal comma, named over `all` levels as `FactorCodes` names them (so
    /// that a shared label's code reads the same); nil when no level value has a fraction.
    private static func decimalCommaNames(_ v: Variable, all: FactorCodes, kept: FactorCodes) -> [String]? {
        guard all.values.contains(where: { !($0 == $0.rounded() && abs($0) < 1e15) }) else { return nil }
        let names = v.levelNames(codes: all.values, decimalSeparator: ",")
        let byValue = Dictionary(zip(all.values, names), uniquingKeysWith: { first, _ in first })
        return kept.values.map { byValue[$0] ?? CategoricalLevels.formatLikeR($0, decimalSeparator: ",") }
    }

    /// A code as people write it: 1 not 1.0, 2.5 as 2.5 (2,5 with the Norwegian locale).
    /// "1 group (a)", "3 groups (a, b, c)", "0 groups" — for messages about the number of groups.
    var countWithNames: String {
        let n = levelNames.count
        return "\(n) group\(n == 1 ? "" : "s")" + (n == 0 ? "" : " (\(levelNames.joined(separator: ", ")))")
    }

    static func format(code: Double, locale: ExportLocale = .standard) -> String {
        if code == code.rounded(), abs(code) < 1e15 { return String(Int(code)) }
        let text = "\(code)"
        return locale == .norwegian ? text.replacingOccurrences(of: ".", with: ",") : text
    }
}
