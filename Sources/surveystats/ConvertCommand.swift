import ArgumentParser
import Foundation
import SurveyStats

/// `surveystats convert IN OUT`: SPSS/Stata/SAS ⇄ CSV + YAML codebook, without losing values, labels or
/// missing codes.
struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert data files: reads .sav/.zsav/.por/.dta/.sas7bdat/.xpt or CSV, writes .sav/.zsav/.por/.dta or CSV + YAML codebook.",
        discussion: """
        Reads .sav, .zsav, .por, .dta, .sas7bdat, .xpt and .csv; writes .sav, .zsav, .por, .dta and .csv (or .tsv). \
        SAS files (.sas7bdat, .xpt) can be read but not written.

        Writing CSV also writes the codebook (variable labels, value labels, missing codes, formats) next to it \
        as OUT-without-extension.codebook.yaml, so that `surveystats convert data.csv data.sav` restores the \
        labelled file. Dates and times (SPSS DATE/ADATE/EDATE/DATETIME/TIME…, Stata %td/%tc) are written as \
        ISO 8601 text (2019-03-01, 2019-03-01T12:30:00) and read back exactly; between .sav and .dta they are \
        converted (SPSS DATE → %td, DATETIME → %tc, TIME → %tcHH:MM:SS, and back). Writing SPSS files checks the \
        names (at most 64 bytes, not a reserved word such as BY) and text lengths (32767 bytes; Stata 2045). Reading CSV uses IN's codebook (--codebook, or IN.codebook.yaml when it exists). Output \
        files are written to a temporary file and renamed: a failure leaves no partial file.
        Examples:
          surveystats convert undersokelse.sav undersokelse.csv
          surveystats convert undersokelse.csv kopi.sav
          surveystats convert svar.sav svar.csv --locale nb      # ; and decimal comma for Norwegian Excel
        """)

    @Argument(help: ArgumentHelp("Input file (.sav, .zsav, .por, .dta, .sas7bdat, .xpt or .csv).", valueName: "in"))
    var input: String

    @Argument(help: ArgumentHelp("Output file (.sav, .zsav, .por, .dta or .csv).", valueName: "out"))
    var output: String

    @Option(help: ArgumentHelp("YAML codebook for a CSV input (default: IN.codebook.yaml next to it, if present).",
                               valueName: "file"))
    var codebook: String?

    @Option(help: ArgumentHelp("CSV input delimiter: ',' ';' tab or '|' (default: sniffed).", valueName: "char"))
    var delimiter: String?

    @Flag(help: "CSV input numbers use a decimal comma (3,5). Default: sniffed; this forces it.")
    var decimalComma = false

    @Flag(help: "CSV input numbers use a decimal point (3.5). Default: sniffed; this forces it.")
    var decimalPoint = false

    @Option(help: ArgumentHelp("CSV input encoding: auto, utf-8 or windows-1252.", valueName: "name"))
    var encoding: String = "auto"

    @OptionGroup var missingTokens: MissingTokenOptions
    var naTokens: [String] { missingTokens.naTokens }

    @Option(help: ArgumentHelp("CSV output style: en (',' and 3.5) or nb (';' and 3,5 for Norwegian Excel).",
                               valueName: "locale"))
    var locale: String = "en"

    @Flag(inversion: .prefixedNo, help: "Start CSV output with a UTF-8 byte-order mark so Excel reads æøå (default: on with --locale nb).")
    var bom: Bool?

    @Flag(help: "Do not write the codebook next to a CSV output.")
    var noCodebook = false

    func validate() throws {
        if decimalComma && decimalPoint {
            throw ValidationError("--decimal-comma and --decimal-point contradict each other: give one")
        }
        if let delimiter, CSVOptions.delimiter(named: delimiter) == nil {
            throw ValidationError("--delimiter '\(delimiter)': use ',', ';', tab, '|' or another single ASCII character.")
        }
        if TextEncoding(name: encoding) == nil {
            throw ValidationError("--encoding '\(encoding)': use auto, utf-8 or windows-1252.")
        }
        if !["en", "nb"].contains(locale.lowercased()) { throw ValidationError("--locale '\(locale)': use en or nb.") }
    }

    func run() throws {
        let inputIsCSV = StatFileFormat(path: input) == nil
        var codebookPath = codebook
        if inputIsCSV && codebookPath == nil {
            let sibling = ConvertCommand.codebookPath(for: input)
            if FileManager.default.fileExists(atPath: sibling) { codebookPath = sibling }
        }
        var options = CSVOptions()
        if let delimiter { options.delimiter = CSVOptions.delimiter(named: delimiter) }
        if decimalComma { options.decimalSeparator = .comma }
        if decimalPoint { options.decimalSeparator = .point }
        options.encoding = TextEncoding(name: encoding) ?? .auto
        options.naTokens = naTokens
        let cb = try codebookPath.map { try Codebook(path: $0) }
        let (dataset, warnings) = try Dataset.loadReporting(path: input, codebook: cb, csvOptions: options)
        for w in warnings { FileHandle.standardError.write(Data("surveystats: warning: \(w)\n".utf8)) }

        if let format = StatFileFormat(path: output) {
            let notes = try StatFileWriter.write(dataset, to: output, format: format)
            for w in notes { FileHandle.standardError.write(Data("surveystats: warning: \(w)\n".utf8)) }
            print("wrote \(output): \(dataset.rowCount) rows, \(dataset.variables.count) variables")
        } else {
            let ext = (output as NSString).pathExtension.lowercased()
            guard ["csv", "tsv", "txt"].contains(ext) else {
                throw DataError.io(path: output, message: "unknown output type (expected .sav, .zsav, .por, .dta or .csv)")
            }
            var csv = locale.lowercased() == "nb" ? CSVWriter.Options.norwegian : CSVWriter.Options()
            if ext == "tsv" { csv.delimiter = 0x09 }
            // As the other commands' CSV output: a byte-order mark with --locale nb unless --no-bom.
            if let bom { csv.byteOrderMark = bom }
            try CSVWriter.write(dataset, to: output, options: csv)
            if noCodebook {
                print("wrote \(output): \(dataset.rowCount) rows, \(dataset.variables.count) variables")
                return
            }
            let yamlPath = ConvertCommand.codebookPath(for: output)
            do {
                var book = Codebook(dataset: dataset)
                book.source = yamlPath
                try AtomicFile.write(book.yamlString(), to: yamlPath)
            } catch {
                try? FileManager.default.removeItem(atPath: output)   // no half-converted pair left behind
                throw error
            }
            print("wrote \(output): \(dataset.rowCount) rows, \(dataset.variables.count) variables; codebook \(yamlPath)")
        }
    }

    /// `dir/data.csv` → `dir/data.codebook.yaml`.
    static func codebookPath(for path: String) -> String {
        ((path as NSString).deletingPathExtension) + ".codebook.yaml"
    }
}
