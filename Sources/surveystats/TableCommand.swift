import ArgumentParser
import Foundation
import SurveyReport

/// `surveystats table N`: one of the report's appendix tables (Tabell 1–5).
struct TableCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "table",
        abstract: "Show an appendix table of the report (published cells, and reconstructed values where data exist).",
        discussion: """
        Published cells are the report's numbers (claims registry), stored as numbers with their printed \
        decimals; «Rekonstruert 2019» is recomputed from the bundled reconstructed (synthetic) data. With \
        --locale nb every number is shown with a decimal comma, as the report prints it; with en (default) with \
        a point. Formats: text, markdown, csv, json, latex, html, xlsx (xlsx to --out or a redirected stdout).
        Examples:
          surveystats table 4
          surveystats table 4 --locale nb --format markdown
          surveystats table 1 --out tabell-1.xlsx
        """)
    @Argument(help: "Table number (1–5).") var number: Int
    @OptionGroup var inputs: ReportInputs
    @Option(help: OutputOptions.outHelp) var out: String?

    func run() throws {
        let (r, cat) = try inputs.renderer()
        guard let f = cat.table(number) else {
            throw CLIError("no table \(number) in \(inputs.figures) (tables 1–\(cat.figures.filter { $0.kind == "tabell" }.count))")
        }
        try inputs.emit(f, renderer: r, out: out)
    }
}
