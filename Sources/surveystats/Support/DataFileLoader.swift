import Foundation
import SurveyStats

/// The bridge from the command line to the data layer: reading files by type (`Dataset.loadReporting`:
/// CSV, SPSS, Stata, SAS), codebooks, and `--where` filters (`FilterExpression`).
enum DataFileLoader {
    /// Reads `path`, applying `codebook` if given. `numeric` names variables the analysis needs as numbers:
    /// unless the codebook says how to read them (it may map text labels to codes), a CSV column is parsed as
    /// numbers, so that a stray word is reported with its line number.
    static func read(path: String, codebookPath: String?, csvOptions: CSVOptions,
                     numeric: [String]) throws -> (dataset: Dataset, warnings: [String]) {
        let codebook = try codebookPath.map { try Codebook(path: $0) }
        var options = csvOptions
        for (name, type) in Codebook.columnTypes(codebook, numeric: numeric) where options.columnTypes[name] == nil {
            options.columnTypes[name] = type
        }
        // A name the file lacks (misspelled, or derived by the codebook) is reported by the analysis with
        // suggestions, not by the CSV reader.
        options.ignoreUnknownColumnTypes = true
        return try Dataset.loadReporting(path: path, codebook: codebook, csvOptions: options)
    }

    static func evaluate(filter: String, on dataset: Dataset) throws -> [Bool] {
        try FilterExpression(filter).evaluate(on: dataset)
    }
}
