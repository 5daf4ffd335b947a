import Foundation
import SurveyStats

/// The bridge from the command line to the data layer: reading files by type, codebooks, `--where` filters.
enum DataFileLoader {
    static func read(path: String, csvOptions: CSVOptions) throws -> Dataset {
        try CSVReader.read(path: path, options: csvOptions)
    }

    static func apply(codebook: String, to dataset: Dataset) throws -> Dataset {
        throw CLIError("--codebook is not available yet in this build")
    }

    static func evaluate(filter: String, on dataset: Dataset) throws -> [Bool] {
        throw CLIError("--where is not available yet in this build")
    }
}
