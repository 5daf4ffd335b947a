import ArgumentParser
import Foundation
import SurveyReport

/// `surveystats check`: the consistency audit of the report's published numbers (no microdata).
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Audit the published numbers of the report for internal consistency (GRIM, statcheck, table arithmetic).",
        discussion: """
        Findings are results, not failures: the command exits 0 when it ran, 2 on unreadable or invalid input. \
        The last line is the summary: 'N claims, C checkable, K consistent, I inconsistent, U not checkable'. \
        Only published numbers are read (no microdata, nothing synthetic). Formats: text, json, markdown.
        Examples:
          surveystats check
          surveystats check --format markdown > AUDIT.md
          surveystats check --claims other/claims.yaml --relations other/audit-relations.yaml --format json
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, markdown }

    @Option(help: "Claims registry (YAML).")
    var claims: String = "datasets/afi-2020/claims.yaml"

    @Option(help: "Hand-declared arithmetic relations between claims (YAML); skipped when the file does not exist and the default is used.")
    var relations: String = "datasets/afi-2020/audit-relations.yaml"

    @Option(help: "Output format: text, json or markdown.")
    var format: Format = .text

    func run() throws {
        try requireInputFile(claims, option: "--claims")
        do {
            let registry = try ClaimRegistry.load(contentsOf: URL(fileURLWithPath: claims))
            var rels: [AuditRelation] = []
            if FileManager.default.fileExists(atPath: relations) {
                rels = try AuditRelation.load(contentsOf: URL(fileURLWithPath: relations))
            } else if relations != "datasets/afi-2020/audit-relations.yaml" {
                try requireInputFile(relations, option: "--relations")
            }
            let result = ConsistencyAudit(registry: registry, relations: rels).run()
            switch format {
            case .text: print(result.renderText(), terminator: "")
            case .json:
                // stdout stays valid JSON (the summary is its "summary" key); the summary line goes to stderr.
                print(try result.renderJSON(registry: registry), terminator: "")
                FileHandle.standardError.write(Data((result.summaryLine + "\n").utf8))
            case .markdown: print(result.renderMarkdown(registry: registry), terminator: "")
            }
        } catch let e as ClaimRegistryErrors {
            // Every problem of the registry on its own line, each with the same prefix as all other errors.
            for line in e.description.split(whereSeparator: \.isNewline) { CLIConsole.error("error: \(line)") }
            throw ExitCode(CLIExit.badInput)
        }
    }
}
