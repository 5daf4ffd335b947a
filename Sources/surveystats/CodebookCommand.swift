import ArgumentParser
import Foundation
import SurveyStats

/// `surveystats codebook FILE`: the variables of a data file (or a YAML codebook) with their metadata.
struct CodebookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "codebook",
        abstract: "List variables: name, type, label, value labels, missing codes (and counts for data files).",
        discussion: """
        FILE is a data file (.sav, .dta, .csv, …) or a YAML codebook, which is validated and printed. \
        --format yaml prints a codebook that `--codebook` accepts (a starting point for a CSV file's codebook).
        Examples:
          surveystats codebook undersokelse.sav
          surveystats codebook svar.csv --codebook svar.codebook.yaml --format json
          surveystats codebook svar.sav --format yaml > svar.codebook.yaml
        """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, yaml, json }

    @Argument(help: ArgumentHelp("Data file or YAML codebook.", valueName: "file"))
    var positionalFile: String?

    @Option(name: .customLong("data"), help: ArgumentHelp("The data file (the same as giving it as FILE).", valueName: "file"))
    var dataFile: String?

    /// The file: FILE or `--data FILE` (as the analysis commands take it).
    var file: String { positionalFile ?? dataFile ?? "" }

    @Option(help: ArgumentHelp("YAML codebook to apply to a data file first.", valueName: "file"))
    var codebook: String?

    @Option(help: ArgumentHelp("text, yaml or json.", valueName: "format"))
    var format: Format = .text

    @Option(help: ArgumentHelp("CSV delimiter: ',' ';' tab or '|' (default: sniffed).", valueName: "char"))
    var delimiter: String?

    @Flag(help: "CSV numbers use a decimal comma (default: sniffed).")
    var decimalComma = false

    @Flag(help: "CSV numbers use a decimal point (default: sniffed).")
    var decimalPoint = false

    @OptionGroup var missingTokens: MissingTokenOptions
    var naTokens: [String] { missingTokens.naTokens }

    @Option(help: ArgumentHelp("CSV encoding: auto, utf-8 or windows-1252 (default: auto).", valueName: "name"))
    var encoding: TextEncoding = .auto

    func validate() throws {
        if positionalFile == nil && dataFile == nil { throw ValidationError("give a data file or codebook: surveystats codebook FILE") }
        if let a = positionalFile, let b = dataFile, a != b {
            throw ValidationError("FILE '\(a)' and --data '\(b)' name different files: give one")
        }
        if decimalComma && decimalPoint {
            throw ValidationError("--decimal-comma and --decimal-point contradict each other: give one")
        }
        if let delimiter, CSVOptions.delimiter(named: delimiter) == nil {
            throw ValidationError("--delimiter '\(delimiter)': use ',', ';', tab, '|' or another single ASCII character.")
        }
    }

    func run() throws {
        let ext = (file as NSString).pathExtension.lowercased()
        var dataset: Dataset?
        var book: Codebook
        if ext == "yaml" || ext == "yml" {
            book = try Codebook(path: file)
        } else {
            var options = CSVOptions()
            if let delimiter { options.delimiter = CSVOptions.delimiter(named: delimiter) }
            if decimalComma { options.decimalSeparator = .comma }
            if decimalPoint { options.decimalSeparator = .point }
            options.naTokens = naTokens
            options.encoding = encoding
            let cb = try codebook.map { try Codebook(path: $0) }
            let (d, warnings) = try Dataset.loadReporting(path: file, codebook: cb, csvOptions: options)
            for w in warnings { FileHandle.standardError.write(Data("surveystats: warning: \(w)\n".utf8)) }
            dataset = d
            book = Codebook(dataset: d)
            if let cb {
                // Keep what only the codebook knows (scales, reverse coding, derived rules).
                for (i, v) in book.variables.enumerated() {
                    if let c = cb[v.name] { book.variables[i].scale = c.scale; book.variables[i].reverse = c.reverse }
                }
                book.invalidValues = cb.invalidValues
            }
        }
        switch format {
        case .yaml: print(book.yamlString(), terminator: "")
        case .json: print(Self.json(book, dataset).encoded())
        case .text: print(Self.text(book, dataset), terminator: "")
        }
    }

    static func counts(_ name: String, _ d: Dataset?) -> (valid: Int, missing: Int)? {
        guard let v = d?[name] else { return nil }
        var missing = 0
        for i in 0..<v.count where v.isMissing(i) { missing += 1 }
        return (v.count - missing, missing)
    }

    static func missingText(_ v: CodebookVariable) -> [String] {
        var out: [String] = []
        for c in v.missingCodes {
            let label = v.valueLabels[c].map { " (\($0))" } ?? ""
            out.append(Codebook.format(c) + label)
        }
        for r in v.missingRanges { out.append(Codebook.format(r.lowerBound) + "–" + Codebook.format(r.upperBound)) }
        for t in v.textMissingValues { out.append("'" + t + "'") }
        return out
    }

    static func text(_ book: Codebook, _ d: Dataset?) -> String {
        var out = ""
        if let d { out += "\(d.source): \(d.rowCount) rows, \(d.variables.count) variables\n\n" }
        for v in book.variables {
            var head = "\(v.name)  [\(v.type?.rawValue ?? "?")\(v.kind.map { ", \($0.rawValue)" } ?? "")]"
            if let f = v.format { head += "  format \(f)" }
            if let c = counts(v.name, d) { head += "  valid \(c.valid), missing \(c.missing)" }
            out += head + "\n"
            if let l = v.label { out += "    label:   \(l)\n" }
            if let s = v.scale { out += "    scale:   \(Codebook.format(s.lowerBound))–\(Codebook.format(s.upperBound))\(v.reverse ? " (reverse-coded)" : "")\n" }
            for (code, label) in v.valueLabels.sorted(by: { $0.key < $1.key }) {
                out += "    \(Codebook.format(code)) = \(label)\(v.isMissingCode(code) ? "  (missing)" : "")\n"
            }
            for (value, label) in v.textValueLabels.sorted(by: { NorwegianCollation.areInIncreasingOrder($0.key, $1.key) }) {
                out += "    '\(value)' = \(label)\(v.textMissingValues.contains(value) ? "  (missing)" : "")\n"
            }
            let missing = missingText(v)
            if !missing.isEmpty { out += "    missing: \(missing.joined(separator: ", "))\n" }
        }
        for dv in book.derived {
            out += "\(dv.name)  [derived]\n"
            if let l = dv.label { out += "    label:   \(l)\n" }
            switch dv.rule {
            case let .recode(s, map, _): out += "    recode of \(s): \(map.count) codes mapped\n"
            case let .topBox(s, values): out += "    top box of \(s): \(values.map(Codebook.format).joined(separator: ", "))\n"
            case let .mean(items, m): out += "    mean of \(items.joined(separator: ", ")) (at least \(m) valid)\n"
            }
        }
        return out
    }

    /// Integral codes as JSON integers (1, not 1.0).
    static func code(_ x: Double) -> JSONValue {
        x == x.rounded() && abs(x) < 1e15 ? .integer(Int(x)) : .number(x)
    }

    static func json(_ book: Codebook, _ d: Dataset?) -> JSONValue {
        var variables: [JSONValue] = []
        for v in book.variables {
            var members: [JSONValue.Member] = [
                .init("name", .string(v.name)),
                .init("type", v.type.map { .string($0.rawValue) } ?? .null),
                .init("kind", v.kind.map { .string($0.rawValue) } ?? .null),
                .init("label", v.label.map { .string($0) } ?? .null),
                .init("format", v.format.map { .string($0) } ?? .null),
            ]
            let labels: [JSONValue] = v.valueLabels.sorted { $0.key < $1.key }.map {
                .object([.init("code", Self.code($0.key)), .init("label", .string($0.value))])
            } + v.textValueLabels.sorted { NorwegianCollation.areInIncreasingOrder($0.key, $1.key) }.map {
                .object([.init("code", .string($0.key)), .init("label", .string($0.value))])
            }
            members.append(.init("value_labels", .array(labels)))
            members.append(.init("missing_codes", .array(v.missingCodes.map(Self.code) + v.textMissingValues.map { .string($0) })))
            members.append(.init("missing_ranges", .array(v.missingRanges.map { .array([.number($0.lowerBound), .number($0.upperBound)]) })))
            if let s = v.scale { members.append(.init("scale", .array([.number(s.lowerBound), .number(s.upperBound)]))) }
            if let c = counts(v.name, d) {
                members.append(.init("valid", .integer(c.valid))); members.append(.init("missing", .integer(c.missing)))
            }
            variables.append(.object(members))
        }
        var top: [JSONValue.Member] = []
        if let d { top.append(.init("source", .string(d.source))); top.append(.init("rows", .integer(d.rowCount))) }
        top.append(.init("variables", .array(variables)))
        return .object(top)
    }
}
