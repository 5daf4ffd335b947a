import ArgumentParser
import Foundation
import SurveyStats

/// `--data`, `--codebook`, `--where`, `--weight`, `--na`, `--delimiter`, `--decimal-comma`, `--encoding`: where the data come
/// from and which rows count (shared by every analysis that reads a data file).
struct DataOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Data file: CSV with a header row (delimiter and decimal comma are sniffed), or SPSS .sav/.zsav/.por, Stata .dta, SAS .sas7bdat.",
        valueName: "file"))
    var data: String?

    @Option(help: ArgumentHelp(
        "YAML codebook with labels, value labels and missing codes (default: FILE.codebook.yaml next to a CSV data file, if present).",
        valueName: "file"))
    var codebook: String?

    @Flag(name: .customLong("no-codebook"), help: "Ignore the FILE.codebook.yaml found next to the data file.")
    var noCodebook = false

    @Option(name: .customLong("where"), help: ArgumentHelp(
        "Keep only rows matching EXPR, e.g. 'rolle in [ordfører, rådmann]', 'alder >= 30 and kjonn == 2', 'dato >= 2020-01-06' (a date variable) or 'tid < 12:30' (a time variable). In quoted text \\' (or \\\") is the quote and \\\\ a backslash; any other backslash is itself.",
        valueName: "expr"))
    var filter: String?

    @Option(help: ArgumentHelp("Case-weight variable for describe, likert, crosstab and regress (rows with a missing or zero weight are left out and counted; a negative or infinite weight is an error). ttest, anova and prop-test refuse it: their tests have no weighted form (use regress or crosstab with --weight).",
                               valueName: "var"))
    var weight: String?

    @OptionGroup var missingTokens: MissingTokenOptions
    var naTokens: [String] { missingTokens.naTokens }

    @Option(help: ArgumentHelp("CSV delimiter: ',' ';' tab or '|' (default: sniffed).", valueName: "char"))
    var delimiter: String?

    @Flag(help: "CSV numbers use a decimal comma (3,5; in a ','-separated file quoted, \"3,5\"). Default: sniffed; this forces it.")
    var decimalComma = false

    @Flag(help: "CSV numbers use a decimal point (3.5). Default: sniffed; this forces it.")
    var decimalPoint = false

    @Option(help: ArgumentHelp("CSV encoding: auto, utf-8 or windows-1252 (default auto: UTF-8, or Windows-1252 when the file is not UTF-8).",
                               valueName: "name"))
    var encoding: TextEncoding = .auto

    @Option(help: ArgumentHelp(
        "auto, memory or stream. stream reads a CSV file once in blocks on all cores, in memory that does not grow with the rows (likert, crosstab); memory loads the whole file. auto streams CSV files of 64 MiB or more when nothing in the request needs the whole file (e.g. --where, --weight).",
        valueName: "engine"))
    var engine: Engine = .auto

    func validate() throws {
        if noCodebook && codebook != nil {
            throw ValidationError("--codebook and --no-codebook contradict each other: give one")
        }
        if decimalComma && decimalPoint {
            throw ValidationError("--decimal-comma and --decimal-point contradict each other: give one")
        }
        if let delimiter, CSVOptions.delimiter(named: delimiter) == nil {
            throw ValidationError("--delimiter '\(delimiter)': use ',', ';', tab, '|' or another single ASCII character.")
        }
    }

    /// Loads the data file (required for analyses of raw data), applies the codebook and `--where`.
    /// `numeric` names variables that must be numeric: in a CSV they are parsed as numbers, so that a stray word
    /// is reported with its line number instead of turning the column into text.
    /// `needed` lists every variable the analysis reads; without a codebook (whose derived variables may read
    /// others) only those columns (plus the filter's and the weight) are parsed, which matters for large files.
    /// `numeric` plus the `--weight` variable: a weight is always parsed as a number, so that every command
    /// reports a bad weight value the same way (`FILE:LINE: column 'w': 'inf' is not a number`).
    func numericWithWeight(_ numeric: [String]) -> [String] {
        guard let weight, !numeric.contains(weight) else { return numeric }
        return numeric + [weight]
    }

    func load(numeric: [String] = [], needed: [String]? = nil, command: String) throws -> AnalysisData {
        guard let path = data else {
            throw CLIError("\(command) needs --data FILE (see surveystats \(command) --help)")
        }
        guard FileManager.default.fileExists(atPath: path) else {
            throw CLIError("\(path): no such file")
        }
        let codebook = try resolvedCodebook()
        var options = csvOptions()
        if let needed, codebook == nil {
            var columns: [String] = []
            let filterVariables = try filter.map { try FilterExpression($0).variables } ?? []
            for name in needed + filterVariables + (weight.map { [$0] } ?? []) where !columns.contains(name) {
                columns.append(name)
            }
            options.columns = columns
        }
        var (dataset, warnings) = try DataFileLoader.read(path: path, codebookPath: codebook,
                                                          csvOptions: options, numeric: numericWithWeight(numeric))
        for w in warnings { CLIConsole.warning(w) }
        let rowsRead = dataset.rowCount
        var excluded = 0
        var fileRows: [Int]? = nil
        if let filter {
            let keep = try DataFileLoader.evaluate(filter: filter, on: dataset)
            excluded = keep.lazy.filter { !$0 }.count
            let expression = try FilterExpression(filter)
            for n in expression.notes(on: dataset) { CLIConsole.note(n) }
            for w in expression.warnings(on: dataset) { CLIConsole.warning(w) }
            if excluded == rowsRead && rowsRead > 0 {
                CLIConsole.warning("--where '\(filter)' matches none of the \(rowsRead) rows: the analysis has no data")
            }
            dataset = dataset.filtered(keep)
            if excluded > 0 { fileRows = keep.indices.filter { keep[$0] } }
        }
        return AnalysisData(dataset: dataset, source: path, rowsRead: rowsRead, rowsExcluded: excluded,
                            filter: filter, weightName: weight, fileRows: fileRows)
    }

    /// The codebook to use: `--codebook`, else `FILE.codebook.yaml` next to a CSV data file (as `convert` does;
    /// SPSS/Stata/SAS files carry their own labels), unless `--no-codebook`. A codebook found this way is named
    /// on stderr, once, so that its effect (labels, missing codes) is never a surprise; stdout stays pure data.
    func resolvedCodebook() throws -> String? {
        if noCodebook { return nil }
        if let codebook {
            guard FileManager.default.fileExists(atPath: codebook) else { throw CLIError("\(codebook): no such file") }
            return codebook
        }
        guard let path = data, StatFileFormat(path: path) == nil else { return nil }
        let sibling = ((path as NSString).deletingPathExtension) + ".codebook.yaml"
        guard sibling != path, FileManager.default.fileExists(atPath: sibling) else { return nil }
        DataOptions.announce(codebook: sibling)
        return sibling
    }

    /// Names a discovered codebook on stderr once per process (commands may resolve it more than once).
    nonisolated(unsafe) private static var announced = Set<String>()
    private static func announce(codebook: String) {
        guard announced.insert(codebook).inserted else { return }
        CLIConsole.note("using codebook \(codebook) (found next to the data file; --no-codebook ignores it)")
    }

    func csvOptions() -> CSVOptions {
        var o = CSVOptions()
        if let delimiter { o.delimiter = CSVOptions.delimiter(named: delimiter) }
        if decimalComma { o.decimalSeparator = .comma }
        if decimalPoint { o.decimalSeparator = .point }
        o.naTokens = naTokens
        o.encoding = encoding
        return o
    }
}

/// `--na TOKEN` (repeatable), the one definition of the option for every command that reads CSV (analyses,
/// `convert`, `codebook`): its value is taken unconditionally, so that `--na -99` is the token -99 and not an
/// unknown option.
struct MissingTokenOptions: ParsableArguments {
    @Option(name: .customLong("na"), parsing: .unconditionalSingleValue, help: ArgumentHelp(
        "A field text that means missing, besides the empty field and NA (repeatable: --na 99 --na -99 --na 'Vet ikke').",
        valueName: "token"))
    var naTokens: [String] = []
}
