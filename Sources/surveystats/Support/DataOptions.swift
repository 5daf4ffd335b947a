import ArgumentParser
import Foundation
import SurveyStats

/// `--data`, `--codebook`, `--where`, `--weight`, `--na`, `--delimiter`, `--decimal-comma`: where the data come
/// from and which rows count (shared by every analysis that reads a data file).
struct DataOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Data file: CSV with a header row (delimiter and decimal comma are sniffed), or SPSS .sav/.zsav/.por, Stata .dta, SAS .sas7bdat.",
        valueName: "file"))
    var data: String?

    @Option(help: ArgumentHelp("YAML codebook with labels, value labels and missing codes.", valueName: "file"))
    var codebook: String?

    @Option(name: .customLong("where"), help: ArgumentHelp(
        "Keep only rows matching EXPR, e.g. 'rolle in [ordfører, rådmann]' or 'alder >= 30 and kjonn == 2'.",
        valueName: "expr"))
    var filter: String?

    @Option(help: ArgumentHelp("Case-weight variable (rows with a missing or non-positive weight are left out).",
                               valueName: "var"))
    var weight: String?

    @Option(name: .customLong("na"), help: ArgumentHelp(
        "A field text that means missing, besides the empty field and NA (repeatable: --na 99 --na 'Vet ikke').",
        valueName: "token"))
    var naTokens: [String] = []

    @Option(help: ArgumentHelp("CSV delimiter: ',' ';' tab or '|' (default: sniffed).", valueName: "char"))
    var delimiter: String?

    @Flag(help: "CSV numbers use a decimal comma (3,5). Default: sniffed; this forces it.")
    var decimalComma = false

    func validate() throws {
        if let delimiter, CSVOptions.delimiter(named: delimiter) == nil {
            throw ValidationError("--delimiter '\(delimiter)': use ',', ';', tab, '|' or another single ASCII character.")
        }
    }

    /// Loads the data file (required for analyses of raw data), applies the codebook and `--where`.
    /// `numeric` names variables that must be numeric: in a CSV they are parsed as numbers, so that a stray word
    /// is reported with its line number instead of turning the column into text.
    /// `needed` lists every variable the analysis reads; without a codebook (whose derived variables may read
    /// others) only those columns (plus the filter's and the weight) are parsed, which matters for large files.
    func load(numeric: [String] = [], needed: [String]? = nil, command: String) throws -> AnalysisData {
        guard let path = data else {
            throw CLIError("\(command) needs --data FILE (see surveystats \(command) --help)")
        }
        guard FileManager.default.fileExists(atPath: path) else {
            throw CLIError("\(path): no such file")
        }
        if let codebook, !FileManager.default.fileExists(atPath: codebook) {
            throw CLIError("\(codebook): no such file")
        }
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
                                                          csvOptions: options, numeric: numeric)
        for w in warnings { CLIConsole.warning(w) }
        let rowsRead = dataset.rowCount
        var excluded = 0
        if let filter {
            let keep = try DataFileLoader.evaluate(filter: filter, on: dataset)
            excluded = keep.lazy.filter { !$0 }.count
            dataset = dataset.filtered(keep)
        }
        return AnalysisData(dataset: dataset, source: path, rowsRead: rowsRead, rowsExcluded: excluded,
                            filter: filter, weightName: weight)
    }

    func csvOptions() -> CSVOptions {
        var o = CSVOptions()
        if let delimiter { o.delimiter = CSVOptions.delimiter(named: delimiter) }
        if decimalComma { o.decimalSeparator = .comma }
        o.naTokens = naTokens
        return o
    }
}
