import ArgumentParser
import Foundation
import SurveyReport

/// `surveystats verify`: recomputes every published claim the bundled datasets reproduce and judges it with the
/// claims registry's acceptance rules. One line per claim, then `N passed, N failed` alone on the last line; the
/// same verdicts as JSON (an object with the counts and one object per claim), a Markdown table or CSV.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Recompute the report's published numbers from the bundled (reconstructed) datasets.",
        discussion: """
        Exit status: 0 when every claim passes (claims the consistency audit shows to contradict other published \
        numbers are listed as 'inconsistent' and not counted as failures), 1 when any claim fails, 2 on bad input. \
        The datasets are reconstructed (synthetic) respondents built to reproduce the published numbers; values \
        are printed in the claim's unit (percent claims in percent). The last line is 'N passed, N failed'.
        Formats: text (default), json, markdown, csv. JSON is one object: the counts (passed, failed, \
        inconsistent, not_about_microdata, claims_total) and 'claims', one object per claim (id, status pass/fail/\
        inconsistent, published, computed, rule, datasets, quote, line, note). Markdown and CSV are one table with \
        the two summary lines as its notes. In every format but text on stdout, the 'N passed, N failed' line is \
        also written to stderr; the exit status is the same in every format.
        Examples:
          surveystats verify
          surveystats verify --failures-only
          surveystats verify --data /tmp/afi-seed-7
          surveystats verify --format json > verify.json
          surveystats verify --out verify.md
        """
    )

    /// The formats `verify` writes: its own line-per-claim text, the JSON object, and the table exporters'
    /// Markdown and CSV (the other table formats add nothing for a list of verdicts).
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, markdown, csv

        var exportFormat: ExportFormat {
            switch self {
            case .text: return .text
            case .json: return .json
            case .markdown: return .markdown
            case .csv: return .csv
            }
        }

        init?(_ format: ExportFormat) {
            guard let f = Format.allCases.first(where: { $0.exportFormat == format }) else { return nil }
            self = f
        }
    }

    @Option(help: "Reconstruction spec naming the datasets and the claims they reproduce.")
    var spec = "datasets/afi-2020/reconstruction.yaml"
    @Option(help: "Claims registry with the acceptance rules (default: datasets/afi-2020/claims.yaml, skipped when missing).")
    var claims: String?
    @Option(help: "Audit relations, for explaining unsatisfiable claims (default: datasets/afi-2020/audit-relations.yaml, skipped when missing).")
    var relations: String?
    @Option(help: "Directory holding the datasets and codebooks.") var data = "datasets/afi-2020"
    @Flag(help: "Print only failed claims and the summary (not the passing ones, nor the 'inconsistent' claims the audit explains).")
    var failuresOnly = false
    @Option(help: ArgumentHelp("Output format: text, json, markdown or csv (default: text, or from the --out extension).",
                               valueName: "format"))
    var format: Format?
    @Option(help: OutputOptions.outHelp) var out: String?

    /// `--format`, else the `--out` extension (.txt, .json, .md, .csv), else text.
    func resolvedFormat() throws -> Format {
        let implied = try OutputFile.format(explicit: format?.exportFormat, out: out)
        guard let f = Format(implied) else {
            throw CLIError("verify writes text, json, markdown or csv, not \(implied.rawValue) (--out \(out ?? "-"))")
        }
        return f
    }

    func validate() throws {
        do { _ = try resolvedFormat() } catch let e as CLIError { throw ValidationError(e.description) }
    }

    func run() throws {
        // Load and run errors propagate to the entry point (`CLIMain`): one line on stderr, exit 2.
        try requireInputFile(spec, option: "--spec")
        try requireInputDirectory(data, option: "--data")
        // The defaults are optional (skipped when absent); a path given on the command line must exist.
        try requireExplicitInputFile(claims, option: "--claims")
        try requireExplicitInputFile(relations, option: "--relations")
        let claims = self.claims ?? "datasets/afi-2020/claims.yaml"
        let relations = self.relations ?? "datasets/afi-2020/audit-relations.yaml"
        let s = try ReconstructionSpec.load(path: spec)
        var registry: ClaimRegistry?
        var status: [String: FindingStatus] = [:]
        var findings: [String: [String]] = [:]
        var auditRelations: [AuditRelation] = []
        if FileManager.default.fileExists(atPath: claims) {
            let reg = try ClaimRegistry.load(contentsOf: URL(fileURLWithPath: claims))
            registry = reg
            let rels = FileManager.default.fileExists(atPath: relations)
                ? try AuditRelation.load(contentsOf: URL(fileURLWithPath: relations)) : []
            auditRelations = rels
            let audit = ConsistencyAudit(registry: reg, relations: rels).run()
            status = audit.claimStatus
            findings = audit.claimFindings
        }
        let lines = try Verifier(spec: s, registry: registry, auditStatus: status, auditFindings: findings,
                                 auditRelations: auditRelations, dataDirectory: data).run()
        let summary = VerificationSummary(lines: lines, notAboutMicrodata: s.untargeted.count)
        let shown = lines.filter { !failuresOnly || $0.status == .fail }
        let format = try resolvedFormat()
        let output: Data
        switch format {
        case .text: output = Data(Self.text(shown, summary: summary).utf8)
        case .json: output = Data((Self.json(shown, summary: summary, registry: registry).encoded() + "\n").utf8)
        case .markdown, .csv:
            output = try TableExporter.render([Self.table(shown, summary: summary)], as: format.exportFormat)
        }
        if let out { try OutputFile.write(output, to: out) } else { CLIConsole.write(output) }
        // Machine-readable stdout stays pure (as `check --format json` does); the verdict still reaches the terminal.
        if format != .text || out != nil { FileHandle.standardError.write(Data((summary.verdictLine + "\n").utf8)) }
        if summary.failed > 0 { throw ExitCode(1) }
    }
}

/// The counts under the claim lines: what passed and failed, what the audit explains, what is not about data.
struct VerificationSummary {
    var passed: Int, failed: Int, inconsistent: Int, total: Int
    /// Claims of the reconstruction spec no bundled dataset can reproduce (earlier surveys, registers).
    var notAboutMicrodata: Int

    init(lines: [VerificationLine], notAboutMicrodata: Int) {
        passed = lines.filter { $0.status == .pass }.count
        failed = lines.filter { $0.status == .fail }.count
        inconsistent = lines.filter { $0.status == .inconsistent }.count
        total = lines.count
        self.notAboutMicrodata = notAboutMicrodata
    }

    var contextLine: String {
        "\(inconsistent) claims unsatisfiable because the report's own numbers conflict (see AUDIT.md); \(notAboutMicrodata) claims are not about the bundled microdata"
    }
    var verdictLine: String { "\(passed) passed, \(failed) failed" }
}

extension VerifyCommand {
    /// One line per claim, then the context line and the verdict line (the format scripts grep for).
    static func text(_ lines: [VerificationLine], summary: VerificationSummary) -> String {
        var out = ""
        for l in lines {
            out += "\(l.status.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0)) \(l.claim)  published \(l.published)  computed \(l.computed)"
            if let n = l.note { out += "  [\(n)]" }
            out += "\n"
        }
        return out + summary.contextLine + "\n" + summary.verdictLine + "\n"
    }

    /// The verdicts as one table for the table exporters; the summary lines are its notes.
    static func table(_ lines: [VerificationLine], summary: VerificationSummary) -> ResultTable {
        var t = ResultTable(title: "Published claims recomputed from the bundled datasets",
                            columns: ["claim", "status", "published", "computed", "datasets", "note"],
                            notes: [summary.contextLine, summary.verdictLine], shortName: "verify")
        for l in lines {
            t.append([.text(l.claim), .text(l.status.jsonName), .text(l.published), .text(l.computed),
                      .text(l.datasets.joined(separator: ", ")), l.note.map { .text($0) } ?? .empty])
        }
        return t
    }

    /// The documented JSON object: counts first, then one object per claim shown. The registry supplies what the
    /// claim is (the rule it is judged by, the quote and its line in the report); null for claims it lacks.
    static func json(_ lines: [VerificationLine], summary: VerificationSummary, registry: ClaimRegistry?) -> JSONValue {
        let byID = Dictionary((registry?.claims ?? []).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let claims: [JSONValue] = lines.map { l in
            let c = byID[l.claim]
            return [
                "id": .string(l.claim), "status": .string(l.status.jsonName), "published": .string(l.published),
                "computed": .string(l.computed), "rule": c?.rule?.jsonValue ?? .null, "datasets": .strings(l.datasets),
                "quote": c.map { .string($0.quote) } ?? .null, "line": c.map { .integer($0.line) } ?? .null,
                "note": l.note.map { .string($0) } ?? .null,
            ]
        }
        return [
            "command": "verify", "passed": .integer(summary.passed), "failed": .integer(summary.failed),
            "inconsistent": .integer(summary.inconsistent), "not_about_microdata": .integer(summary.notAboutMicrodata),
            "claims_total": .integer(summary.total), "summary": .string(summary.verdictLine), "claims": .array(claims),
        ]
    }
}

extension VerificationLine.Status {
    /// Lower case in data formats ("fail"); the text output keeps "FAIL" to stand out among the passes.
    var jsonName: String { rawValue.lowercased() }
}

extension AcceptanceRule {
    /// The rule as JSON, its parameters under snake_case keys (`lo_closed`, like claims.yaml).
    var jsonValue: JSONValue {
        switch self {
        case .interval(let iv):
            return ["type": "interval", "lo": .number(iv.lo), "hi": .number(iv.hi),
                    "lo_closed": .bool(iv.loClosed), "hi_closed": .bool(iv.hiClosed)]
        case .direction(let relation, _, _, let tolerance):
            return ["type": "direction", "relation": .string(relation.rawValue), "tolerance": .number(tolerance)]
        case .significance(let test, let alpha, let significant, let stars, _, _):
            return ["type": "significance", "test": .string(test.rawValue), "alpha": .number(alpha),
                    "significant": .bool(significant), "stars": stars.map { .string($0) } ?? .null]
        }
    }
}
