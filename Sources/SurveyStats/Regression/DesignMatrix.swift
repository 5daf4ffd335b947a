import Foundation
import Matrix

/// The model matrix of a `ModelFormula` evaluated on a `Dataset`, after listwise deletion.
///
/// Columns are named as R and patsy name them: `(Intercept)`, `x`, `I(x^2)`, `C(rolle)[T.rådmann]`, and for a
/// bare text column `rolle[T.rådmann]`; interactions join the parts with `:`. Categorical factors use treatment
/// (dummy) coding with the reference level left out: the first level, unless `C(v, ref=level)` says otherwise.
/// As in R, a categorical factor whose margin is not in the model (e.g. `y ~ C(g) - 1`) gets one indicator per
/// level instead, named `C(g)[level]` as patsy names it.
///
/// The design also serves its rows in any precision (`DesignRowSource`): `I(x^10)` is then computed in the
/// working precision of the least-squares solver instead of being rounded to `Double` first, which is what
/// makes ill-conditioned polynomial fits such as NIST Filip accurate.
public struct DesignMatrix: Sendable, DesignRowSource {
    /// The formula the design was built from (nil when built from a plain matrix).
    public let formula: ModelFormula?
    /// Column (coefficient) names.
    public let columnNames: [String]
    /// Response values of the rows used.
    public let response: [Double]
    /// Response label (e.g. `samarbeid`).
    public let responseName: String
    /// Case weights of the rows used (nil when unweighted). May contain zeros: the fit drops and counts them.
    public let weights: [Double]?
    /// Whether the model has an intercept.
    public let hasIntercept: Bool
    /// 0-based dataset row of each row used.
    public var rowsUsed: [Int] { selectedRows ?? Array(0..<rowCount) }
    /// The rows used, or nil when they are all rows 0..<rowCount (a plain matrix: no index array of n Ints).
    private let selectedRows: [Int]?
    /// Rows dropped because a variable used (response, predictor or weight) was missing.
    public let rowsDropped: Int
    /// Missing count per variable used (a dropped row counts once for every variable missing in it).
    public let missingByVariable: [(variable: String, missing: Int)]

    public let rowCount: Int
    public var columnCount: Int { columnNames.count }

    /// How each column is computed, for extended-precision evaluation.
    private let columnSpecs: [[ColumnPart]]
    /// How each column is named, so that the names can be given again with another decimal separator.
    private var columnNaming: ColumnNaming?

    /// The parts of the column names of a formula design: fixed text (`x`, `I(x^2)`) and categorical levels.
    private struct ColumnNaming: Sendable {
        enum Part: Sendable {
            case text(String)
            case level(factor: Int, level: Int, contrast: Bool)
        }
        /// A categorical factor: its prefix (`C(g)`, `rolle`), the values and value labels of all its levels (a
        /// numeric variable's; empty for text), which of them are present in the rows used, and their names.
        struct Factor: Sendable {
            let prefix: String
            let values: [Double]
            let valueLabels: [Double: String]
            let present: [Int]
            let names: [String]

            func names(decimalSeparator: Character) -> [String] {
                guard decimalSeparator != ".", !values.isEmpty else { return names }
                let all = Variable.levelNames(codes: values, valueLabels: valueLabels, decimalSeparator: decimalSeparator)
                return present.map { all[$0] }
            }
        }
        let factors: [Factor]
        let columns: [[Part]]

        func names(decimalSeparator: Character) -> [String] {
            let levelNames = factors.map { $0.names(decimalSeparator: decimalSeparator) }
            return columns.map { parts in
                parts.map { part in
                    switch part {
                    case .text(let s): return s
                    case let .level(k, level, contrast):
                        let f = factors[k]
                        return contrast ? "\(f.prefix)[T.\(levelNames[k][level])]" : "\(f.prefix)[\(levelNames[k][level])]"
                    }
                }.joined(separator: ":")
            }
        }
    }

    /// The column names with the numbers that name levels of a numeric categorical variable written with
    /// `decimalSeparator`: `C(g)[T.2,5]` for `","`, as a Norwegian table shows them (value labels and all other
    /// text unchanged). `columnNames` for `"."`, and for a design built from a plain matrix.
    public func columnNames(decimalSeparator: Character) -> [String] {
        columnNaming?.names(decimalSeparator: decimalSeparator) ?? columnNames
    }
    /// Numeric variables used, per used row: (offset, stored) so T(offset) + T(stored) keeps decimal shifts.
    private let numericData: [NumericColumn]
    /// Categorical codes per used row.
    private let categoricalCodes: [[Int]]

    private enum ColumnPart: Sendable {
        case numeric(CompiledExpression)
        case indicator(factor: Int, level: Int)
    }

    /// A column part's input, resolved once per design column: the values, or the codes and the level.
    private enum ColumnInput: Sendable {
        case numeric([Double])
        case indicator([Int], Int)
    }

    /// Builds the design of `formula` on `dataset`; `weights` names a weight variable.
    /// - Throws: `DataError.unknownVariable` for a variable not in the dataset, `ModelFormulaError` (via
    ///   `ModelFormula`) for syntax, `DataError.invalidValue` for an unusable value in a row (negative weight, log of 0 …).
    public static func build(formula text: String, dataset: Dataset, weights: String? = nil) throws -> DesignMatrix {
        try build(formula: ModelFormula(text), dataset: dataset, weights: weights)
    }

    public static func build(formula: ModelFormula, dataset: Dataset, weights weightName: String? = nil) throws -> DesignMatrix {
        let n = dataset.rowCount
        // Resolve variables (throws unknownVariable with suggestions).
        var usedVariables: [String] = formula.variables
        if let w = weightName, !usedVariables.contains(w) { usedVariables.append(w) }
        var vars: [String: Variable] = [:]
        for name in usedVariables { vars[name] = try dataset.variable(name) }

        // Which bare variables are categorical (text), and the categorical factors' levels.
        struct CatInfo {
            let key: String; let variable: String; var levelNames: [String]
            let levels: CategoricalLevels; let reference: Int; let prefix: String
            var explicitReference = false
        }
        var categorical: [String: CatInfo] = [:]  // by factor label
        var catOrder: [String] = []
        for term in formula.terms {
            for f in term.factors {
                switch f {
                case .variable(let v):
                    if let variable = vars[v], !variable.isNumeric, categorical[f.label] == nil {
                        let levels = CategoricalLevels(variable)
                        categorical[f.label] = CatInfo(key: f.label, variable: v, levelNames: levels.names, levels: levels, reference: 0, prefix: v)
                        catOrder.append(f.label)
                    }
                case .categorical(let v, let ref, let label):
                    guard categorical[label] == nil, let variable = vars[v] else { continue }
                    let levels = CategoricalLevels(variable)
                    var refIndex = 0
                    if let ref {
                        // A level name (`Ja (1)`), a code (`1`, `2.5`), an unshared value label, a stored text.
                        let found: Int?
                        do { found = try levels.index(of: ref, in: variable) } catch DataError.invalid(let why) {
                            throw DataError.invalid("\(label): reference level: \(why)")
                        }
                        guard let k = found else {
                            throw DataError.invalid("\(label): reference level '\(ref)' is not a level of '\(v)' (levels: \(levels.names.joined(separator: ", ")))")
                        }
                        refIndex = k
                    }
                    categorical[label] = CatInfo(key: label, variable: v, levelNames: levels.names, levels: levels, reference: refIndex,
                                                 prefix: label, explicitReference: ref != nil)
                    catOrder.append(label)
                case .expression: break
                }
            }
        }
        for v in formula.response.variables where !(vars[v]?.isNumeric ?? true) {
            throw DataError.notNumeric(variable: v)
        }

        // Listwise deletion over every variable used. `keep` exists only once some row is missing (at 1e7 complete
        // rows it would be 10 MB written and read back for nothing).
        var keepStore: [Bool]? = nil
        func drop(_ i: Int) {
            if keepStore == nil { keepStore = [Bool](repeating: true, count: n) }
            keepStore![i] = false
        }
        var missingCounts: [(String, Int)] = []
        // Variables holding an infinite value somewhere (noted in the same pass; their columns are checked below).
        var hasInfinite = Set<String>()
        let rowChunks = RowChunks(rowCount: n)
        for name in usedVariables {
            guard let v = vars[name] else { continue }
            var count = 0
            if case .numeric(let c) = v.values {
                let declared = !v.missingCodes.isEmpty || !v.missingRanges.isEmpty
                var infinite = false
                let stored = c.stored
                if declared {
                    // Column-wise: the stored values once, without re-reading the enum per cell.
                    stored.withUnsafeBufferPointer { st in
                        for i in 0..<min(n, st.count) {
                            let s = st[i]
                            if !s.isFinite {
                                if s.isNaN { count += 1; drop(i) } else { infinite = true }
                            } else if v.isMissingCode(c.offset + s) {
                                count += 1; drop(i)
                            }
                        }
                    }
                } else {
                    // Only NaN is missing: each fixed chunk of rows is read on its own core by the vectorised
                    // non-finite scan, which stops only at NaN or ±∞ (memory speed; the scalar loop was ~12 ms per
                    // 1e7-row column, the largest part of a formula design on complete data).
                    let found: [(nan: [Int], infinite: Bool)] = (try? rowChunks.map(workers: rowChunks.workerCount()) { k in
                        let range = rowChunks.range(k)
                        var nan: [Int] = [], inf = false
                        stored.withUnsafeBufferPointer { st in
                            var i = range.lowerBound
                            let end = min(range.upperBound, st.count)
                            while i < end, let j = firstNonFiniteIndex(UnsafeBufferPointer(rebasing: st[i..<end])) {
                                if st[i + j].isNaN { nan.append(i + j) } else { inf = true }
                                i += j + 1
                            }
                        }
                        return (nan, inf)
                    }) ?? []
                    for part in found {
                        for i in part.nan { drop(i) }
                        count += part.nan.count
                        infinite = infinite || part.infinite
                    }
                }
                if infinite { hasInfinite.insert(name) }
            } else {
                for i in 0..<n where v.isMissing(i) { count += 1; drop(i) }
            }
            missingCounts.append((name, count))
        }
        // The rows used; when that is every row (the common case) no index array of n Ints is built.
        let allRows = keepStore == nil
        var rows: [Int] = []
        if let keep = keepStore {
            rows.reserveCapacity(n)
            for i in 0..<n where keep[i] { rows.append(i) }
        }
        let nr = allRows ? n : rows.count
        func datasetRow(_ i: Int) -> Int { allRows ? i : rows[i] }

        // Numeric data of the rows used (variables resolved to indices once, not per cell).
        var numeric: [String: NumericColumn] = [:]
        var numericIndex: [String: Int] = [:]
        var numericColumns: [NumericColumn] = []
        var numericNames: [String] = []
        for name in usedVariables {
            if let v = vars[name], case .numeric(let c) = v.values {
                let col = NumericColumn(allRows ? c.stored : c.withStoredValues { s in rows.map { s[$0] } }, offset: c.offset)
                numeric[name] = col
                numericIndex[name] = numericColumns.count
                numericColumns.append(col)
                numericNames.append(name)
            }
        }
        func compile(_ e: FormulaExpression) -> CompiledExpression { CompiledExpression(e, numericIndex) }
        // Expression factors and bare numeric variables need numeric inputs.
        for term in formula.terms {
            for f in term.factors {
                if case .expression(let e, let label) = f {
                    for v in e.variables where numeric[v] == nil {
                        throw DataError.invalid("\(label): variable '\(v)' is text, arithmetic needs a numeric variable")
                    }
                }
            }
        }
        // Levels are those present in the rows used (as R's factor() on the model frame): a level seen only in
        // dropped rows would otherwise give an all-zero column.
        let catIndex = Dictionary(uniqueKeysWithValues: catOrder.enumerated().map { ($1, $0) })
        var codes: [[Int]] = []
        var namingFactors: [ColumnNaming.Factor] = []
        for key in catOrder {
            let info = categorical[key]!
            let raw = allRows ? info.levels.codes.map { $0 ?? -1 } : rows.map { info.levels.codes[$0] ?? -1 }
            let present = Set(raw).sorted()
            // Default reference: the first level present. An explicit one must be present.
            let reference = info.explicitReference ? info.reference : (present.first ?? 0)
            guard present.isEmpty || present.contains(reference) else {
                throw DataError.invalid("\(key): reference level '\(info.levels.names[info.reference])' has no observations in the rows used")
            }
            let remap = Dictionary(uniqueKeysWithValues: present.enumerated().map { ($1, $0) })
            codes.append(raw.map { remap[$0]! })
            categorical[key] = CatInfo(key: key, variable: info.variable,
                                       levelNames: present.map { info.levels.names[$0] },
                                       levels: info.levels, reference: remap[reference] ?? 0, prefix: info.prefix)
            namingFactors.append(.init(prefix: info.prefix, values: info.levels.values,
                                       valueLabels: info.levels.values.isEmpty ? [:] : vars[info.variable]?.valueLabels ?? [:],
                                       present: present, names: present.map { info.levels.names[$0] }))
        }

        // Columns: intercept, then each term's columns (product of the factors' columns).
        var nameParts: [[ColumnNaming.Part]] = []
        var specs: [[ColumnPart]] = []
        if formula.hasIntercept { nameParts.append([.text("(Intercept)")]); specs.append([]) }
        // R's rule (model.c TermCode): a categorical factor in a term gets contrasts (reference left out) when
        // the term without that factor is in the model (the empty term = the intercept); otherwise it gets one
        // indicator per level, named `v[level]` as patsy does. So `y ~ C(g) - 1` gives every level, as in R.
        let termSets = Set(formula.terms.map { Set($0.factors.map(\.label)) })
        func hasMargin(_ term: ModelFormula.Term, without f: ModelFormula.Factor) -> Bool {
            let rest = Set(term.factors.map(\.label)).subtracting([f.label])
            return rest.isEmpty ? formula.hasIntercept : termSets.contains(rest)
        }
        for term in formula.terms {
            var partial: [(name: [ColumnNaming.Part], parts: [ColumnPart])] = [([], [])]
            for f in term.factors {
                var options: [(ColumnNaming.Part, ColumnPart)] = []
                if let info = categorical[f.label] {
                    let k = catIndex[f.label]!
                    let contrasts = hasMargin(term, without: f)
                    for level in info.levelNames.indices where !contrasts || level != info.reference {
                        options.append((.level(factor: k, level: level, contrast: contrasts), .indicator(factor: k, level: level)))
                    }
                } else {
                    switch f {
                    case .variable(let v): options.append((.text(f.label), .numeric(compile(.variable(v)))))
                    case .expression(let e, _): options.append((.text(f.label), .numeric(compile(e))))
                    case .categorical: break
                    }
                }
                partial = partial.flatMap { p in options.map { o in (p.name + [o.0], p.parts + [o.1]) } }
            }
            for p in partial where !p.parts.isEmpty { nameParts.append(p.name); specs.append(p.parts) }
        }
        let naming = ColumnNaming(factors: namingFactors, columns: nameParts)
        let names = naming.names(decimalSeparator: ".")

        // Response and weights.
        // Column-wise evaluation (same arithmetic, in the same order, as the row-wise `evaluate` in Double).
        let compiledResponse = compile(formula.response)
        let response = compiledResponse.evaluateColumn(numericColumns, count: nr)
        // A bare response variable (no offset, no ±∞ seen) was read by the deletion pass above: no second read.
        var responseChecked = false
        if case .column(let k) = compiledResponse, numericColumns[k].offset == 0, !hasInfinite.contains(numericNames[k]) {
            responseChecked = true
        }
        if !responseChecked, let r = firstNonFiniteIndex(response) {
            throw DataError.invalidValue(what: "response \(formula.responseLabel)", value: response[r], row: datasetRow(r),
                                         source: dataset.source, detail: reasonForNonFinite(formula.responseLabel))
        }
        var weights: [Double]?
        if let wName = weightName {
            guard let wcol = numeric[wName] else { throw DataError.notNumeric(variable: wName) }
            let w = (0..<nr).map { wcol.value(at: $0) ?? .nan }
            if let bad = w.firstIndex(where: { !($0 >= 0) || !$0.isFinite }) {
                throw DataError.invalidValue(what: "weight variable '\(wName)'", value: w[bad], row: datasetRow(bad),
                                             source: dataset.source, detail: "; weights must be non-negative")
            }
            weights = w
        }

        var design = DesignMatrix(formula: formula, columnNames: names, columns: DoubleColumns(rows: 0, columns: [[Double]]()), response: response,
                                  responseName: formula.responseLabel, weights: weights, hasIntercept: formula.hasIntercept,
                                  rowsUsed: allRows ? nil : rows, rowCount: nr, rowsDropped: n - nr, missingByVariable: missingCounts,
                                  columnSpecs: specs, numericData: numericColumns, categoricalCodes: codes)
        design.columnNaming = naming
        // The double design, column by column (each term's inputs resolved once, no per-cell dispatch), and a
        // check that every value is finite (the first bad row is reported, as a row-wise pass would).
        var firstBad: (row: Int, column: Int)? = nil
        func noteBad(_ i: Int, _ j: Int) { if firstBad.map({ i < $0.row }) ?? true { firstBad = (i, j) } }
        // A column that is a plain variable (no decimal offset) is that variable's stored array, shared with the
        // dataset, not copied: at 1e7 rows × 10 predictors the copy was 800 MB of fresh memory, and first touch of
        // fresh pages is the most erratic cost on the machines measured (scripts/bench/PROFILE.md §3f). The intercept
        // is no array at all (`DoubleColumns.Column.ones`). Only derived columns get new arrays, each written by both
        // cores (and so first-touched) in the fixed 2¹⁶-row chunks of `RowChunks`.
        let chunks = RowChunks(rowCount: nr)
        let workers = chunks.workerCount()
        // Writes column j's `nr` values at `base`, on all cores, and notes its first non-finite row.
        func write(_ j: Int, _ parts: [ColumnPart], to base: UnsafeMutablePointer<Double>) {
            let column = UnsafeSendablePointer(base)
            // Each factor's input column once (a bare variable shares the dataset's storage).
            let inputs: [ColumnInput] = parts.map { part in
                switch part {
                case .numeric(let e): return .numeric(e.evaluateColumn(numericColumns, count: nr))
                case .indicator(let f, let level): return .indicator(codes[f], level)
                }
            }
            // Per chunk: the rows' products, and the chunk's first non-finite value (rows in order, so the
            // first chunk that has one gives the column's first, as a single pass would).
            let firstBadRows: [Int?] = (try? chunks.map(workers: workers) { k -> Int? in
                let rows = chunks.range(k), v = column.pointer
                var first = true
                for input in inputs {
                    switch input {
                    case .numeric(let x):
                        // 1·x is x exactly, so the first factor is copied (as the row-wise product starts from 1).
                        if first { for i in rows { v[i] = x[i] } } else { for i in rows { v[i] = v[i] * x[i] } }
                    case .indicator(let c, let level):
                        if first { for i in rows { v[i] = c[i] == level ? 1 : 0 } } else { for i in rows where c[i] != level { v[i] = 0 } }
                    }
                    first = false
                }
                if first { for i in rows { v[i] = 1 } }  // intercept
                return rows.first { !v[$0].isFinite }
            }) ?? []
            if let i = firstBadRows.lazy.compactMap({ $0 }).first { noteBad(i, j) }
        }
        let columns: DoubleColumns
        if specs.count <= DoubleColumns.maximumSeparateColumns {
            var designColumns: [DoubleColumns.Column] = []
            designColumns.reserveCapacity(specs.count)
            for (j, parts) in specs.enumerated() {
                if parts.isEmpty {  // the intercept: read as ones by the kernels, no array
                    designColumns.append(.ones)
                    continue
                }
                if parts.count == 1, case .numeric(.column(let k)) = parts[0], numericColumns[k].offset == 0 {
                    let x = numericColumns[k].stored
                    // Missing (NaN) rows were deleted above; an infinite value is an error, as in a derived column.
                    if hasInfinite.contains(numericNames[k]), let i = firstNonFiniteIndex(x) { noteBad(i, j) }
                    designColumns.append(.values(x))
                    continue
                }
                designColumns.append(.values([Double](unsafeUninitializedCapacity: nr) { buffer, count in
                    if nr > 0, let base = buffer.baseAddress {
                        adviseHugePages(base, bytes: nr * 8)
                        write(j, parts, to: base)
                    }
                    count = nr
                }))
            }
            columns = DoubleColumns(rows: nr, columns: designColumns)
        } else {
            // Many columns (dummies of a factor with many levels): one matrix, written in place as before, since
            // `DoubleColumns` would copy separate arrays into one anyway (twice the memory at its peak).
            let storage = [Double](unsafeUninitializedCapacity: nr * specs.count) { buffer, count in
                if nr > 0, let base = buffer.baseAddress {
                    adviseHugePages(base, bytes: buffer.count * 8)
                    for (j, parts) in specs.enumerated() { write(j, parts, to: base + j * nr) }
                }
                count = nr * specs.count
            }
            columns = DoubleColumns(Matrix(rows: nr, columns: specs.count, columnMajor: storage))
        }
        if let bad = firstBad {
            let value = columns[row: bad.row, column: bad.column], name = names[bad.column]
            throw DataError.invalidValue(what: name, value: value, row: datasetRow(bad.row), source: dataset.source,
                                         detail: reasonForNonFinite(name))
        }
        design.columnStorage = columns
        return design
    }

    /// Why an expression came out non-finite, in words: "log(x) is NaN" alone does not tell people that x was ≤ 0.
    private static func reasonForNonFinite(_ expression: String) -> String {
        expression.contains("log(") ? ": the log of a value ≤ 0"
            : expression.contains("sqrt(") ? ": the square root of a negative value" : ""
    }

    /// Wraps a ready design matrix (no formula); `weights` may contain zeros.
    public init(matrix: Matrix, response: [Double], columnNames: [String], responseName: String = "y",
                weights: [Double]? = nil, hasIntercept: Bool? = nil) throws {
        guard columnNames.count == matrix.columns else {
            throw DataError.invalid("\(columnNames.count) column names for a design with \(matrix.columns) columns")
        }
        guard response.count == matrix.rows, weights.map({ $0.count == matrix.rows }) ?? true else {
            throw DataError.invalid("design has \(matrix.rows) rows, response \(response.count), weights \(weights?.count ?? matrix.rows)")
        }
        let intercept = hasIntercept ?? (0..<matrix.columns).contains { matrix.isConstantNonzeroColumn($0) }
        self.init(formula: nil, columnNames: columnNames, columns: DoubleColumns(matrix), response: response, responseName: responseName,
                  weights: weights, hasIntercept: intercept, rowsUsed: nil, rowCount: matrix.rows, rowsDropped: 0,
                  missingByVariable: [], columnSpecs: [], numericData: [], categoricalCodes: [])
    }

    private init(formula: ModelFormula?, columnNames: [String], columns: DoubleColumns, response: [Double], responseName: String,
                 weights: [Double]?, hasIntercept: Bool, rowsUsed: [Int]?, rowCount: Int, rowsDropped: Int,
                 missingByVariable: [(variable: String, missing: Int)], columnSpecs: [[ColumnPart]],
                 numericData: [NumericColumn], categoricalCodes: [[Int]]) {
        self.formula = formula; self.columnNames = columnNames; self.columnStorage = columns; self.response = response
        self.responseName = responseName; self.weights = weights; self.hasIntercept = hasIntercept
        self.selectedRows = rowsUsed; self.rowCount = rowCount; self.rowsDropped = rowsDropped; self.missingByVariable = missingByVariable
        self.columnSpecs = columnSpecs; self.numericData = numericData; self.categoricalCodes = categoricalCodes
    }

    private var columnStorage: DoubleColumns
    /// The design in double precision, `rowCount × columnCount` (rows = observations used). A formula design holds
    /// its columns separately (plain variables shared with the dataset), so this copies them into one matrix;
    /// `column(_:)` and `value(row:column:)` read them without a copy.
    public var matrix: Matrix { columnStorage.matrix }

    /// Column `j` of the double design (for a plain variable, the dataset's own array: no copy).
    public func column(_ j: Int) -> [Double] { columnStorage.column(j) }

    /// The double design's value in row `i` (an observation used), column `j`.
    public func value(row i: Int, column j: Int) -> Double { columnStorage[row: i, column: j] }

    /// Row `i` in precision `T`: formula columns are evaluated from the data in `T`; a plain matrix is converted.
    public func fillRow<T: ExtendedReal>(_ i: Int, into row: inout [T]) {
        // Plain matrices, and double precision once the columns exist, read the stored doubles.
        if formula == nil || (T.self == Double.self && columnStorage.rows == rowCount && columnStorage.count == columnSpecs.count) {
            for j in 0..<columnStorage.count { row[j] = T(columnStorage[row: i, column: j]) }
            return
        }
        for (j, parts) in columnSpecs.enumerated() {
            var v = T(1)
            for part in parts {
                switch part {
                case .numeric(let e): v = v * e.evaluate(numericData, i)
                case .indicator(let f, let level): if categoricalCodes[f][i] != level { v = .zero }
                }
            }
            row[j] = v
        }
    }

    /// The double design's columns, or nil before they are built. Lets the double path read columns directly.
    public var doubleColumns: DoubleColumns? { columnStorage.rows == rowCount ? columnStorage : nil }
}

/// A formula expression with variables resolved to column indices, evaluated per row in any precision.
/// Integer powers are computed in T (exact as far as T allows); transcendental functions in double.
indirect enum CompiledExpression: Sendable {
    case number(Double)
    case column(Int)
    case negate(CompiledExpression)
    case binary(FormulaExpression.BinaryOperator, CompiledExpression, CompiledExpression)
    case integerPower(CompiledExpression, Int)
    case call(String, CompiledExpression)
    case invalid

    init(_ e: FormulaExpression, _ index: [String: Int]) {
        switch e {
        case .number(let v): self = .number(v)
        case .variable(let name): self = index[name].map { .column($0) } ?? .invalid
        case .negate(let a): self = .negate(CompiledExpression(a, index))
        case .binary(.power, let a, .number(let k)) where k == k.rounded() && abs(k) <= 64:
            self = .integerPower(CompiledExpression(a, index), Int(k))
        case .binary(let op, let a, let b): self = .binary(op, CompiledExpression(a, index), CompiledExpression(b, index))
        case .call(let f, let args): self = args.first.map { .call(f, CompiledExpression($0, index)) } ?? .invalid
        }
    }

    /// The expression over rows `0..<count` in Double, evaluated column-wise: element by element the same
    /// operations as `evaluate(_:_:)` with `T == Double`, so the values are identical.
    func evaluateColumn(_ data: [NumericColumn], count: Int) -> [Double] {
        switch self {
        case .number:
            let value: Double = evaluate(data, 0)
            return [Double](repeating: value, count: count)
        case .column(let k):
            let c = data[k]
            if c.offset == 0 { return count == c.stored.count ? c.stored : Array(c.stored[0..<count]) }
            let o = c.offset
            return c.stored[0..<count].map { o + $0 }
        case .negate(let a):
            return a.evaluateColumn(data, count: count).map { -$0 }
        case .integerPower(let a, let k):
            return a.evaluateColumn(data, count: count).map { $0.power(k) }
        case .binary(let op, let a, let b):
            let x = a.evaluateColumn(data, count: count), y = b.evaluateColumn(data, count: count)
            switch op {
            case .add: return zip(x, y).map { $0 + $1 }
            case .subtract: return zip(x, y).map { $0 - $1 }
            case .multiply: return zip(x, y).map { $0 * $1 }
            case .divide: return zip(x, y).map { $0 / $1 }
            case .power: return zip(x, y).map { Foundation.pow($0, $1) }
            }
        case .call(let f, let a):
            let x = a.evaluateColumn(data, count: count)
            switch f {
            case "sqrt": return x.map { $0 < 0 ? .nan : $0.squareRoot() }
            case "abs": return x.map { $0.magnitude }
            case "log": return x.map { Foundation.log($0) }
            case "log10": return x.map { Foundation.log10($0) }
            case "log2": return x.map { Foundation.log2($0) }
            case "exp": return x.map { Foundation.exp($0) }
            default: return x
            }
        case .invalid:
            return [Double](repeating: .nan, count: count)
        }
    }

    func evaluate<T: ExtendedReal>(_ data: [NumericColumn], _ i: Int) -> T {
        switch self {
        case .number(let v):
            return v == v.rounded() && abs(v) < 1e15 ? T(Int(v)) : T(v)
        case .column(let k):
            let c = data[k]
            let s = c.stored[i]
            return c.offset == 0 ? T(s) : T(c.offset) + T(s)
        case .negate(let a):
            return -(a.evaluate(data, i) as T)
        case .integerPower(let a, let k):
            return (a.evaluate(data, i) as T).power(k)
        case .binary(let op, let a, let b):
            let x: T = a.evaluate(data, i)
            let y: T = b.evaluate(data, i)
            switch op {
            case .add: return x + y
            case .subtract: return x - y
            case .multiply: return x * y
            case .divide: return x / y
            case .power: return T(Foundation.pow(x.doubleValue, y.doubleValue))
            }
        case .call(let f, let a):
            let x: T = a.evaluate(data, i)
            switch f {
            case "sqrt": return x.doubleValue < 0 ? T(Double.nan) : x.squareRoot()
            case "abs": return x.magnitude
            case "log": return T(Foundation.log(x.doubleValue))
            case "log10": return T(Foundation.log10(x.doubleValue))
            case "log2": return T(Foundation.log2(x.doubleValue))
            case "exp": return T(Foundation.exp(x.doubleValue))
            default: return x
            }
        case .invalid:
            return T(Double.nan)
        }
    }
}
