import ArgumentParser
import Foundation
import SurveyStats

extension ExportFormat: ExpressibleByArgument {}
extension WeightKind: ExpressibleByArgument {}

/// `--encoding auto|utf-8|windows-1252` (also cp1252, latin1, …: `TextEncoding(name:)`).
extension TextEncoding: ExpressibleByArgument {
    public init?(argument: String) { self.init(name: argument) }
    public var defaultValueDescription: String { self == .utf8 ? "utf-8" : self == .windows1252 ? "windows-1252" : rawValue }
    public static var allValueStrings: [String] { ["auto", "utf-8", "windows-1252"] }
}

extension ExportLocale: ExpressibleByArgument {
    public init?(argument: String) {
        switch argument.lowercased() {
        case "nb", "no", "nn", "nb_no", "nb-no", "norwegian": self = .norwegian
        case "en", "c", "posix", "standard", "en_us", "en-us": self = .standard
        default: return nil
        }
    }
    public static var allValueStrings: [String] { ["en", "nb"] }
}

/// `--format`, `--locale`, `--out` and friends: how and where results are written (shared by every analysis).
struct OutputOptions: ParsableArguments {
    @Option(help: OutputOptions.formatHelp) var format: ExportFormat?

    @Option(help: OutputOptions.localeHelp) var locale: ExportLocale = .standard

    @Option(help: OutputOptions.outHelp) var out: String?

    /// Help texts shared with `figure`, `table` and `report` (same options, same words).
    static let formatHelp = ArgumentHelp(
        "Output format: text, markdown, csv, json, latex, html or xlsx (default: text, or from the --out extension).",
        valueName: "format")
    static let localeHelp = ArgumentHelp("Number style: en (1.5; CSV with ,) or nb (1,5; CSV with ; for Norwegian Excel).",
                                         valueName: "locale")
    static let outHelp = ArgumentHelp(
        "Write to FILE instead of stdout (format from the extension unless --format, which must agree with it); written to a temporary file and renamed, so a failure leaves no partial file. An existing file is replaced (stderr says so).",
        valueName: "file")

    @Flag(inversion: .prefixedNo, help: "Start CSV with a UTF-8 byte-order mark so Excel reads æøå (default: on with --locale nb).")
    var bom: Bool?

    // Taken unconditionally: otherwise `--decimals -1` reads -1 as an option and says the value is missing,
    // instead of saying what is wrong with it (see `validate()`).
    @Option(parsing: .unconditional,
            help: ArgumentHelp("Decimals shown for estimates in text-like formats (CSV and JSON keep full precision, XLSX 16 significant digits).",
                               valueName: "n"))
    var decimals: Int = 3

    @Flag(name: .customLong("no-stars"), help: "Do not mark p-values with *** p<.001, ** p<.01, * p<.05.")
    var noStars = false

    /// The format to use: `--format`, else implied by the `--out` extension, else text (see `OutputFile.format`;
    /// `validate()` has rejected contradictions, so the fallback is never reached for a valid command line).
    var resolvedFormat: ExportFormat {
        (try? OutputFile.format(explicit: format, out: out)) ?? format ?? .text
    }

    var exportOptions: ExportOptions {
        ExportOptions(locale: locale, byteOrderMark: bom ?? (locale == .norwegian && resolvedFormat == .csv),
                      significanceStars: !noStars)
    }

    func validate() throws {
        if decimals < 0 { throw ValidationError("--decimals \(decimals): the number of decimals must be 0 or more (at most 15)") }
        if decimals > 15 { throw ValidationError("--decimals \(decimals): the number of decimals must be 15 or fewer") }
        do { _ = try OutputFile.format(explicit: format, out: out) } catch let e as CLIError {
            throw ValidationError(e.description)
        }
        if resolvedFormat == .xlsx && out == nil && isatty(STDOUT_FILENO) != 0 {
            throw ValidationError("xlsx is a binary format: use --out FILE.xlsx (or redirect stdout to a file).")
        }
    }

    /// Writes the analysis in the chosen format to stdout or (atomically) to `--out`.
    func emit(_ result: AnalysisResult) throws {
        let format = resolvedFormat
        if format == .xlsx, let out {
            try OutputFile.write(result.tables, as: .xlsx, to: out, options: exportOptions)
        } else {
            let data = format == .json
                ? Data((result.json.encoded() + "\n").utf8)
                : try TableExporter.render(result.tables, as: format, options: exportOptions)
            if let out { try OutputFile.write(data, to: out) } else { CLIConsole.write(data) }
        }
        // Text-like formats on the terminal show warnings as table notes; elsewhere they would go unseen.
        if out != nil || format == .csv || format == .json || format == .xlsx {
            for w in result.warnings { CLIConsole.warning(w) }
        }
    }
}

/// What an analysis command produces: tables for the human formats, and the documented JSON object.
struct AnalysisResult {
    var tables: [ResultTable]
    var json: JSONValue
    /// Also printed on stderr (text formats show them as table notes too).
    var warnings: [String] = []
}
