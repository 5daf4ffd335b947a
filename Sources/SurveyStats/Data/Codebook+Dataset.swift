import Foundation

/// What applying a codebook changed or noticed.
public struct CodebookApplication: Sendable {
    /// Non-fatal findings (values outside the labels/scale under `invalid_values: warn`, codebook variables not in
    /// the data).
    public var warnings: [String] = []
}

extension Codebook {
    /// The metadata a dataset already carries (e.g. from a `.sav` file) as a codebook.
    public init(dataset: Dataset) {
        self.init(source: dataset.source)
        for v in dataset.variables {
            var c = CodebookVariable(name: v.name, label: v.label, kind: v.kind, type: v.isNumeric ? .numeric : .text,
                                     valueLabels: v.valueLabels, textValueLabels: v.textValueLabels,
                                     missingCodes: v.missingCodes.sorted(), missingRanges: v.missingRanges,
                                     textMissingValues: NorwegianCollation.sorted(v.textMissingValues), format: v.format)
            if c.kind == .text && c.type == .numeric { c.kind = nil }
            variables.append(c)
        }
    }

    /// Forced CSV column types implied by the codebook: explicit `type`, `kind: text` → text, a date/time `format`
    /// → text (ISO 8601, converted by `apply`), and
    /// `kind: numeric|weight` → numeric. (Likert/ordinal/nominal columns may hold labels, which `apply` maps to
    /// codes, so they are not forced.)
    /// The CSV column types for reading a file for an analysis that needs `numeric` as numbers: the codebook's
    /// `csvColumnTypes`, and `numeric` forced numeric (a stray word is then an error naming its line) unless the
    /// codebook says how to read them — a type, or value labels that map label texts to codes (`ordfører` → 1).
    /// Shared by the in-memory and streaming engines.
    public static func columnTypes(_ codebook: Codebook?, numeric: [String]) -> [String: CSVColumnType] {
        var types = codebook?.csvColumnTypes ?? [:]
        for name in numeric where types[name] == nil && !(codebook?[name]?.mapsTextLabelsToCodes ?? false) {
            types[name] = .numeric
        }
        return types
    }

    public var csvColumnTypes: [String: CSVColumnType] {
        var types: [String: CSVColumnType] = [:]
        for v in variables {
            // A date/time column holds ISO text in CSV; `apply` turns it into the stored numbers.
            if v.type != .text, TemporalFormat(format: v.format) != nil { types[v.name] = .text; continue }
            if let t = v.type { types[v.name] = t }
            else if v.kind == .text { types[v.name] = .text }
            else if v.kind == .numeric || v.kind == .weight { types[v.name] = .numeric }
        }
        return types
    }

    /// Applies the codebook to `dataset`: sets labels, kinds, value labels, missing codes and formats; converts text
    /// columns holding value labels (`ordfører`) to their codes; checks values against the scale or value labels
    /// (error or warning by `invalidValues`); then computes derived variables.
    public func apply(to dataset: inout Dataset) throws -> CodebookApplication {
        var report = CodebookApplication()
        for c in variables {
            guard var v = dataset[c.name] else {
                report.warnings.append("\(source): codebook variable '\(c.name)' is not in \(dataset.source)")
                continue
            }
            if let label = c.label { v.label = label }
            if let kind = c.kind { v.kind = kind }
            if let format = c.format { v.format = format }
            if case .text(let texts) = v.values, c.type != .text, let temporal = TemporalFormat(format: v.format) {
                v.values = .numeric(try temporalValues(texts, temporal, of: c, dataset: dataset))
            }
            if case .text(let texts) = v.values, c.mapsTextLabelsToCodes {
                v.values = .numeric(try codes(for: texts, of: c, dataset: dataset))
            }
            switch v.values {
            case .numeric:
                if !c.textValueLabels.isEmpty || !c.textMissingValues.isEmpty {
                    throw DataError.invalid("\(source): variable '\(c.name)' is numeric in \(dataset.source) but the codebook gives text values (type: text)")
                }
                if c.type == .text {
                    throw DataError.invalid("\(source): variable '\(c.name)' is numeric in \(dataset.source) but declared 'type: text'")
                }
                if !c.valueLabels.isEmpty { v.valueLabels = c.valueLabels }
                // The codebook's codes, plus the `--na` tokens that are numbers (the user asked for those too).
                if !c.missingCodes.isEmpty { v.missingCodes = Set(c.missingCodes).union(v.missingTokens.keys) }
                if !c.missingRanges.isEmpty { v.missingRanges = c.missingRanges }
                if let scale = c.scale { v.scale = scale }
                if let problem = invalidValues(v, c, source: dataset.source) {
                    if invalidValues == .error { throw DataError.invalid(problem) }
                    report.warnings.append(problem)
                }
            case .text:
                if c.type == .numeric || c.kind == .numeric || c.kind == .weight || c.kind == .likert || c.scale != nil {
                    throw DataError.invalid("\(source): variable '\(c.name)' is declared numeric but holds text in \(dataset.source)")
                }
                if !c.missingCodes.isEmpty || !c.missingRanges.isEmpty {
                    throw DataError.invalid("\(source): variable '\(c.name)' holds text in \(dataset.source) but has numeric missing codes")
                }
                if !c.textValueLabels.isEmpty { v.textValueLabels = c.textValueLabels }
                if !c.textMissingValues.isEmpty { v.textMissingValues = Set(c.textMissingValues) }
            }
            dataset.replace(v)
        }
        for d in derived {
            dataset.append(try compute(d, in: dataset))
        }
        return report
    }

    /// Reads the ISO 8601 dates/times that `CSVWriter` writes for a date format back into the stored numbers
    /// (SPSS seconds since 1582, Stata days or milliseconds since 1960); anything else is an error naming the row.
    func temporalValues(_ texts: [String?], _ format: TemporalFormat, of c: CodebookVariable, dataset: Dataset) throws -> NumericColumn {
        var out = [Double]()
        out.reserveCapacity(texts.count)
        for (row, t) in texts.enumerated() {
            guard let t else { out.append(.nan); continue }
            guard let value = format.value(t) else {
                let expected = format.kind == .time ? "a time (HH:MM:SS)" : "a date (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS)"
                throw DataError.invalid("\(dataset.source): variable '\(c.name)', row \(row + 1): '\(t)' is not \(expected), as its format \(c.format ?? "") in \(source) requires")
            }
            out.append(value)
        }
        return NumericColumn(out, offset: 0)
    }

    /// Maps label texts (or code texts) of a text column to codes; an unknown text is an error naming the row.
    func codes(for texts: [String?], of c: CodebookVariable, dataset: Dataset) throws -> NumericColumn {
        var byLabel: [String: Double] = [:]
        for (code, label) in c.valueLabels {
            byLabel[label] = code
            byLabel[label.lowercased()] = byLabel[label.lowercased()] ?? code
        }
        var out = [Double]()
        out.reserveCapacity(texts.count)
        for (row, t) in texts.enumerated() {
            guard let t else { out.append(.nan); continue }
            let trimmed = t.trimmingCharacters(in: .whitespaces)
            if let code = byLabel[trimmed] ?? byLabel[trimmed.lowercased()] ?? CSVNumberParser.parse(trimmed) {
                out.append(code)
            } else {
                throw DataError.invalid("\(Self.place(dataRow: row, of: dataset.source, line: nil, variable: c.name)): \(ValueMessages.quoted(t)) is neither a code nor a value label in \(lines.place(source, c.name, key: lines.values))")
            }
        }
        return NumericColumn(out, offset: 0)
    }

    /// A message when some non-missing values lie outside the scale (or, for labelled likert/ordinal/nominal
    /// variables without a scale, outside the value labels).
    func invalidValues(_ v: Variable, _ c: CodebookVariable, source dataSource: String) -> String? {
        guard case .numeric(let column) = v.values else { return nil }
        let checkLabels = c.scale == nil && !c.valueLabels.isEmpty && c.kind == .likert
        guard c.scale != nil || checkLabels else { return nil }
        var bad = 0
        var first: (row: Int, value: Double)?
        for i in 0..<column.count {
            guard let x = column.value(at: i), !v.isMissingCode(x) else { continue }
            let ok = c.scale.map { $0.contains(x) } ?? (c.valueLabels[x] != nil)
            if !ok { bad += 1; if first == nil { first = (i, x) } }
        }
        guard bad > 0, let first else { return nil }
        return outsideMessage(c, value: first.value, count: bad,
                              at: Self.place(dataRow: first.row, of: dataSource, line: nil, variable: c.name))
    }

    /// `FILE:LINE:COLUMN: variable 'q1': value 6 is outside the scale 1–5 declared in CODEBOOK:LINE and not a
    /// missing code (…)`: one wording for the in-memory and streaming engines. `at` is the value's place
    /// (`place(dataRow:of:line:variable:)`).
    public func outsideMessage(_ c: CodebookVariable, value: Double, count: Int, at place: String) -> String {
        let allowed = c.scale.map { "the scale \(Self.format($0.lowerBound))–\(Self.format($0.upperBound))" }
            ?? "the value labels (\(c.valueLabels.keys.sorted().map(Self.format).joined(separator: ", ")))"
        let declared = lines.place(source, c.name, key: c.scale != nil ? lines.scale : lines.values)
        let others = count > 1 ? " (\(count) values in all)" : ""
        return "\(place): value \(Self.format(value)) is outside \(allowed) declared in \(declared) "
            + "and is not a missing code\(others)"
    }

    /// `FILE:LINE:COLUMN: variable 'q1'` for the value of `variable` in data row `row` (0-based) of a CSV file
    /// (line and column found by reading the file again, on this error path only; `line` when the caller knows
    /// it), `FILE: row N: variable 'q1'` for other files or when the file cannot be read again (a pipe): the
    /// place format of the reader's own errors, with the variable named.
    public static func place(dataRow row: Int, of path: String, line: Int?, variable: String) -> String {
        let position = CSVReader.positionOfDataRow(row, path: path)
        guard let line = line ?? position?.line else { return "\(path): row \(row + 1): variable '\(variable)'" }
        let column = position?.header.firstIndex(of: variable).map { ":\($0 + 1)" } ?? ""
        return "\(path):\(line)\(column): variable '\(variable)'"
    }

    /// A code as written in labels and messages: `6`, not `6.0`.
    public static func format(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : "\(x)"
    }

    func compute(_ d: DerivedVariable, in dataset: Dataset) throws -> Variable {
        func source(_ name: String) throws -> (Variable, NumericColumn) {
            guard let v = dataset[name] else {
                throw DataError.unknownVariable(name: name, source: "\(lines.place(self.source, d.name)): derived variable '\(d.name)'",
                                                available: dataset.variableNames)
            }
            guard case .numeric(let c) = v.values else {
                throw DataError.invalid("\(lines.place(self.source, d.name)): derived variable '\(d.name)': '\(name)' is not numeric")
            }
            return (v, c)
        }
        let n = dataset.rowCount
        var out = [Double](repeating: .nan, count: n)
        switch d.rule {
        case let .recode(name, map, keep):
            let (v, c) = try source(name)
            for i in 0..<n {
                guard let x = c.value(at: i), !v.isMissingCode(x) else { continue }
                if let mapped = map[x] { out[i] = mapped ?? .nan } else if keep { out[i] = x }
            }
        case let .topBox(name, values):
            let (v, c) = try source(name)
            let top = Set(values)
            for i in 0..<n {
                guard let x = c.value(at: i), !v.isMissingCode(x) else { continue }
                out[i] = top.contains(x) ? 1 : 0
            }
        case let .mean(items, minValid):
            var columns: [(Variable, NumericColumn, ClosedRange<Double>?)] = []
            for name in items {
                let (v, c) = try source(name)
                let entry = self[name]
                var reverse: ClosedRange<Double>?
                if entry?.reverse == true { reverse = entry?.scale }
                columns.append((v, c, reverse))
            }
            for i in 0..<n {
                var sum = 0.0, valid = 0
                for (v, c, reverse) in columns {
                    guard let x = c.value(at: i), !v.isMissingCode(x) else { continue }
                    sum += reverse.map { $0.lowerBound + $0.upperBound - x } ?? x
                    valid += 1
                }
                if valid >= minValid && valid > 0 { out[i] = sum / Double(valid) }
            }
        }
        let kind: VariableKind? = d.kind ?? {
            switch d.rule {
            case .topBox: return .nominal
            case .mean: return .numeric
            case .recode: return nil
            }
        }()
        var labels = d.valueLabels
        if case .topBox = d.rule, labels.isEmpty { labels = [0: "Nei", 1: "Ja"] }
        return Variable(name: d.name, label: d.label, values: .numeric(NumericColumn(out, offset: 0)),
                        valueLabels: labels, kind: kind)
    }
}

// MARK: - Writing

extension Codebook {
    /// The codebook as YAML in the documented format (variables in order, codes sorted, text values
    /// in Norwegian order).
    public func yamlString() -> String {
        var out = "# SurveyStats codebook (format: Sources/SurveyStats/Data/CODEBOOK.md)\n"
        if invalidValues != .error { out += "options:\n  invalid_values: \(invalidValues.rawValue)\n" }
        out += variables.isEmpty ? "variables: {}\n" : "variables:\n"
        for v in variables {
            out += "  \(Self.yamlKey(v.name)):\n"
            var body = ""
            if let l = v.label { body += "    label: \(Self.yamlString(l))\n" }
            if let k = v.kind { body += "    kind: \(k.rawValue)\n" }
            if let t = v.type { body += "    type: \(t.rawValue)\n" }
            if let f = v.format { body += "    format: \(Self.yamlString(f))\n" }
            if let s = v.scale { body += "    scale: {min: \(Self.number(s.lowerBound)), max: \(Self.number(s.upperBound))}\n" }
            if v.reverse { body += "    reverse: true\n" }
            if !v.valueLabels.isEmpty {
                body += "    values:\n"
                for (code, label) in v.valueLabels.sorted(by: { $0.key < $1.key }) {
                    body += "      \(Self.number(code)): \(Self.yamlString(label))\n"
                }
            }
            if !v.textValueLabels.isEmpty {
                body += "    values:\n"
                for (value, label) in v.textValueLabels.sorted(by: { NorwegianCollation.areInIncreasingOrder($0.key, $1.key) }) {
                    body += "      \(Self.yamlString(value)): \(Self.yamlString(label))\n"
                }
            }
            let missing = v.missingCodes.map(Self.number) + v.missingRanges.map {
                "{range: [\(Self.number($0.lowerBound)), \(Self.number($0.upperBound))]}"
            } + v.textMissingValues.map(Self.yamlString)
            if !missing.isEmpty { body += "    missing: [\(missing.joined(separator: ", "))]\n" }
            out += body.isEmpty ? "    label: null\n" : body
        }
        if !derived.isEmpty {
            out += "derived:\n"
            for d in derived {
                out += "  \(Self.yamlKey(d.name)):\n"
                if let l = d.label { out += "    label: \(Self.yamlString(l))\n" }
                if let k = d.kind { out += "    kind: \(k.rawValue)\n" }
                if !d.valueLabels.isEmpty {
                    out += "    values:\n"
                    for (code, label) in d.valueLabels.sorted(by: { $0.key < $1.key }) {
                        out += "      \(Self.number(code)): \(Self.yamlString(label))\n"
                    }
                }
                switch d.rule {
                case let .recode(source, map, keep):
                    let pairs = map.sorted { $0.key < $1.key }.map { "\(Self.number($0.key)): \($0.value.map(Self.number) ?? "null")" }
                    out += "    recode: {of: \(Self.yamlString(source)), map: {\(pairs.joined(separator: ", "))}, else: \(keep ? "keep" : "missing")}\n"
                case let .topBox(source, values):
                    out += "    topbox: {of: \(Self.yamlString(source)), values: [\(values.map(Self.number).joined(separator: ", "))]}\n"
                case let .mean(items, minValid):
                    out += "    mean: {of: [\(items.map(Self.yamlString).joined(separator: ", "))], min_valid: \(minValid)}\n"
                }
            }
        }
        return out
    }

    static func number(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : "\(x)"
    }

    static func yamlKey(_ s: String) -> String {
        let plain = !s.isEmpty && s.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || "_.-".unicodeScalars.contains($0) }
            && !(s.first.map { "-.0123456789".contains($0) } ?? true) && !reserved.contains(s.lowercased())
        return plain ? s : yamlString(s)
    }

    static let reserved: Set<String> = ["true", "false", "yes", "no", "on", "off", "null", "y", "n"]

    /// A double-quoted YAML scalar (always safe, whatever the text).
    static func yamlString(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if u.value < 0x20 || u.value == 0x7F || (0x80..<0xA0).contains(u.value) || u.value == 0x2028 || u.value == 0x2029 || u.value == 0xFEFF {
                    out += String(format: "\\u%04X", u.value)
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }
}
