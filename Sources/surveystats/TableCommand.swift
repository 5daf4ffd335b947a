import ArgumentParser
import Foundation
import SurveyReport

/// `surveystats table N`: one of the report's appendix tables (Tabell 1–5).
struct TableCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "table",
        abstract: "Show an appendix table of the report (published cells, and reconstructed values where data exist).")
    @Argument(help: "Table number (1–5).") var number: Int
    @OptionGroup var inputs: ReportInputs
    @Option(help: "Write to FILE (format from the extension unless --format).") var out: String?

    func run() throws {
        let (r, cat) = try inputs.renderer()
        guard let f = cat.table(number) else {
            throw CLIError("no table \(number) in \(inputs.figures)")
        }
        try inputs.emit(f, renderer: r, out: out)
    }
}
