import ArgumentParser
import Foundation
import SurveyReport

/// Inputs shared by `figure`, `table` and `report`: the specs, the registry, the data directory, and the format
/// and number style of the output (the same `--format`/`--locale` words as the analysis commands).
struct ReportInputs: ParsableArguments {
    @Option(help: "Figure and table specs.") var figures = "datasets/afi-2020/figures.yaml"
    @Option(help: "Reconstruction spec (datasets and the claims they reproduce).") var spec = "datasets/afi-2020/reconstruction.yaml"
    @Option(help: "Claims registry.") var claims = "datasets/afi-2020/claims.yaml"
    @Option(help: "Directory holding the datasets and their codebooks.") var data = "datasets/afi-2020"
    @Option(help: ArgumentHelp(
        "Output format: text, markdown, csv, json, latex, html or xlsx (figure, table: default text, or from the --out extension; report: default markdown).",
        valueName: "format"))
    var format: ExportFormat?
    @Option(help: ArgumentHelp(
        "Number style: en (1.5; CSV with ,) or nb (1,5 as the report prints it; CSV with ; for Norwegian Excel). One table uses one convention: published numbers are shown with their printed decimals in this style.",
        valueName: "locale"))
    var locale: ExportLocale = .standard
    @Flag(inversion: .prefixedNo, help: "Start CSV with a UTF-8 byte-order mark so Excel reads æøå (default: on with --locale nb).")
    var bom: Bool?

    /// Errors propagate to the entry point (`CLIMain`), which prints one line and exits 2.
    func renderer() throws -> (FigureRenderer, FigureCatalogue) {
        try requireInputFile(figures, option: "--figures")
        try requireInputFile(spec, option: "--spec")
        try requireInputDirectory(data, option: "--data")
        let cat = try FigureCatalogue.load(path: figures)
        let s = try ReconstructionSpec.load(path: spec)
        let reg = FileManager.default.fileExists(atPath: claims)
            ? try ClaimRegistry.load(contentsOf: URL(fileURLWithPath: claims)) : nil
        var r = try FigureRenderer(spec: s, catalogue: cat, registry: reg, dataDirectory: data)
        r.locale = locale
        return (r, cat)
    }

    /// The report's tables are Norwegian (labels, captions): HTML says `lang="nb"` whatever the number style.
    func exportOptions(_ format: ExportFormat) -> ExportOptions {
        ExportOptions(locale: locale, byteOrderMark: bom ?? (locale == .norwegian && format == .csv), language: "nb")
    }

    /// Renders one spec to stdout or `out`.
    func emit(_ f: FigureSpec, renderer: FigureRenderer, out: String?) throws {
        let fmt = try OutputFile.format(explicit: format, out: out)
        if out == nil && fmt == .xlsx && isatty(STDOUT_FILENO) != 0 {
            throw CLIError("xlsx is a binary format: use --out FILE.xlsx (or redirect stdout to a file)")
        }
        let table = try Self.table(f, renderer: renderer, format: fmt)
        if let out {
            try OutputFile.write([table], as: fmt, to: out, options: exportOptions(fmt))
        } else {
            CLIConsole.write(try TableExporter.render([table], as: fmt, options: exportOptions(fmt)))
        }
    }
}

extension ReportInputs {
    /// One figure or table of the report, adapted to the output format: JSON is locale-independent (starred
    /// published cells such as "26.03**" always with a decimal point), and in XLSX the note on published numbers
    /// does not promise a decimal point (Excel shows numbers in its own locale).
    static func table(_ f: FigureSpec, renderer: FigureRenderer, format: ExportFormat) throws -> ResultTable {
        var r = renderer
        if format == .json { r.locale = .standard }
        r.spreadsheet = format == .xlsx
        return try r.render(f)
    }
}

/// `surveystats figure N`: one of the report's 81 figures as a table from the bundled datasets.
struct FigureCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "figure",
        abstract: "Show a figure of the report as a table, with data provenance and the published numbers it reproduces.",
        discussion: """
        Numbers come from the bundled reconstructed (synthetic) respondents, not AFI's data; the «Publisert» \
        column names the published number each row reproduces. Formats: text, markdown, csv, json, latex, html, \
        xlsx (xlsx to --out or a redirected stdout). Run from the repository root, or point --figures, --spec, --claims and --data at \
        the files.
        Examples:
          surveystats figure 23
          surveystats figure 23 --format markdown --locale nb
          surveystats figure 39 --out figur-39.xlsx
        """)
    @Argument(help: "Figure number (1–81).") var number: Int
    @OptionGroup var inputs: ReportInputs
    @Option(help: OutputOptions.outHelp) var out: String?

    func run() throws {
        let (r, cat) = try inputs.renderer()
        guard let f = cat.figure(number) else {
            throw CLIError("no figure \(number) in \(inputs.figures) (figures 1–\(cat.figures.filter { $0.kind == "figur" }.count))")
        }
        try inputs.emit(f, renderer: r, out: out)
    }
}
