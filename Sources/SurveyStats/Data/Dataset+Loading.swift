import Foundation

extension Dataset {
    /// Loads a data file by its extension — `.csv`/`.tsv`/`.txt` with `CSVReader`, `.sav`/`.zsav`/`.por`/`.dta`/
    /// `.sas7bdat`/`.xpt` with ReadStat — and applies `codebook` if given (labels, missing codes, kinds, label→code
    /// mapping, validation, derived variables). Codebook types are enforced while reading CSV, so a non-numeric
    /// value in a variable declared numeric is reported with file, line and column.
    ///
    /// ```swift
    /// let cb = try Codebook(path: "svar.codebook.yaml")
    /// let data = try Dataset.load(path: "svar.csv", codebook: cb)
    /// ```
    public static func load(path: String, codebook: Codebook? = nil, csvOptions: CSVOptions = CSVOptions()) throws -> Dataset {
        try loadReporting(path: path, codebook: codebook, csvOptions: csvOptions).dataset
    }

    /// As `load`, also returning the codebook's warnings (values outside labels under `invalid_values: warn`,
    /// codebook variables absent from the file).
    public static func loadReporting(path: String, codebook: Codebook? = nil,
                                     csvOptions: CSVOptions = CSVOptions()) throws -> (dataset: Dataset, warnings: [String]) {
        var dataset: Dataset
        if let format = StatFileFormat(path: path) {
            dataset = try StatFileReader.read(path: path, format: format)
            if let wanted = csvOptions.columns {
                for name in wanted where dataset[name] == nil {
                    throw DataError.unknownVariable(name: name, source: path, available: dataset.variableNames)
                }
                dataset = Dataset(source: path, variables: dataset.variables.filter { wanted.contains($0.name) })
            }
        } else {
            var options = csvOptions
            if let codebook {
                for (name, type) in codebook.csvColumnTypes where options.columnTypes[name] == nil {
                    options.columnTypes[name] = type
                }
                options.ignoreUnknownColumnTypes = true
            }
            dataset = try CSVReader.read(path: path, options: options)
        }
        var warnings = dataset.readWarnings
        if dataset.rowCount == 0 && !dataset.variables.isEmpty {
            // An SPSS/Stata/SAS file has no header row: its variables are metadata.
            warnings.append(StatFileFormat(path: path) == nil ? CSVReader.noDataRowsMessage(path) : "\(path): no data rows")
        }
        if let codebook { warnings = try codebook.apply(to: &dataset).warnings }
        return (dataset, warnings)
    }
}
