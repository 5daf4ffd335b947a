import ArgumentParser
import Foundation
import SurveyReport

/// Inputs shared by `figure`, `table` and `report`: the specs, the registry and the data directory.
struct ReportInputs: ParsableArguments {
    @Option(help: "Figure and table specs.") var figures = "datasets/afi-2020/figures.yaml"
    @Option(help: "Reconstruction spec (datasets and the claims they reproduce).") var spec = "datasets/afi-2020/reconstruction.yaml"
    @Option(help: "Claims registry.") var claims = "datasets/afi-2020/claims.yaml"
    @Option(help: "Directory holding the datasets and their codebooks.") var data = "datasets/afi-2020"
    @Option(help: "Output format: text, markdown, csv, json, latex, html, xlsx.") var format: String?

    /// Errors propagate to the entry point (`CLIMain`), which prints one line and exits 2.
    func renderer() throws -> (FigureRenderer, FigureCatalogue) {
        let cat = try FigureCatalogue.load(path: figures)
        let s = try ReconstructionSpec.load(path: spec)
        let reg = FileManager.default.fileExists(atPath: claims)
            ? try ClaimRegistry.load(contentsOf: URL(fileURLWithPath: claims)) : nil
        return (try FigureRenderer(spec: s, catalogue: cat, registry: reg, dataDirectory: data), cat)
    }

    func exportFormat(out: String?) throws -> ExportFormat {
        if let f = format {
            guard let e = ExportFormat(rawValue: f) else {
                throw CLIError("unknown format '\(f)' (one of \(ExportFormat.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            return e
        }
        if let out, let e = ExportFormat(fileName: out) { return e }
        return .text
    }

    /// Renders one spec to stdout or `out`.
    func emit(_ f: FigureSpec, renderer: FigureRenderer, out: String?) throws {
        let fmt = try exportFormat(out: out)
        let table = try renderer.render(f)
        if let out {
            try TableExporter.write([table], as: fmt, to: out)
        } else if fmt == .xlsx {
            throw CLIError("xlsx needs --out FILE")
        } else {
            print(TableExporter.renderText([table], as: fmt), terminator: "")
        }
    }
}

/// `surveystats figure N`: one of the report's 81 figures as a table from the bundled datasets.
struct FigureCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "figure",
        abstract: "Show a figure of the report as a table, with data provenance and the published numbers it reproduces.")
    @Argument(help: "Figure number (1–81).") var number: Int
    @OptionGroup var inputs: ReportInputs
    @Option(help: "Write to FILE (format from the extension unless --format).") var out: String?

    func run() throws {
        let (r, cat) = try inputs.renderer()
        guard let f = cat.figure(number) else {
            throw CLIError("no figure \(number) in \(inputs.figures) (figures 1–\(cat.figures.filter { $0.kind == "figur" }.count))")
        }
        try inputs.emit(f, renderer: r, out: out)
    }
}
