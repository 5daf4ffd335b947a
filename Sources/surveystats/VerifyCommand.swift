import ArgumentParser
import Foundation
import SurveyReport

/// `surveystats verify`: recomputes every published claim the bundled datasets reproduce and judges it with the
/// claims registry's acceptance rules. One line per claim, then `N passed, N failed` alone on the last line.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Recompute the report's published numbers from the bundled (reconstructed) datasets.",
        discussion: """
        Exit status: 0 when every claim passes (claims the consistency audit shows to contradict other published \
        numbers are listed as 'inconsistent' and not counted as failures), 1 when any claim fails, 2 on bad input. \
        The datasets are reconstructed (synthetic) respondents built to reproduce the published numbers; values \
        are printed in the claim's unit (percent claims in percent). The last line is 'N passed, N failed'.
        Examples:
          surveystats verify
          surveystats verify --failures-only
          surveystats verify --data /tmp/afi-seed-7
        """
    )

    @Option(help: "Reconstruction spec naming the datasets and the claims they reproduce.")
    var spec = "datasets/afi-2020/reconstruction.yaml"
    @Option(help: "Claims registry with the acceptance rules (default: datasets/afi-2020/claims.yaml, skipped when missing).")
    var claims: String?
    @Option(help: "Audit relations, for explaining unsatisfiable claims (default: datasets/afi-2020/audit-relations.yaml, skipped when missing).")
    var relations: String?
    @Option(help: "Directory holding the datasets and codebooks.") var data = "datasets/afi-2020"
    @Flag(help: "Print only failed claims and the summary (not the passing ones, nor the 'inconsistent' claims the audit explains).")
    var failuresOnly = false

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
        if FileManager.default.fileExists(atPath: claims) {
            let reg = try ClaimRegistry.load(contentsOf: URL(fileURLWithPath: claims))
            registry = reg
            let rels = FileManager.default.fileExists(atPath: relations)
                ? try AuditRelation.load(contentsOf: URL(fileURLWithPath: relations)) : []
            let audit = ConsistencyAudit(registry: reg, relations: rels).run()
            status = audit.claimStatus
            findings = audit.claimFindings
        }
        let lines = try Verifier(spec: s, registry: registry, auditStatus: status, auditFindings: findings,
                                 dataDirectory: data).run()
        for l in lines where !failuresOnly || l.status == .fail {
            var text = "\(l.status.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0)) \(l.claim)  published \(l.published)  computed \(l.computed)"
            if let n = l.note { text += "  [\(n)]" }
            print(text)
        }
        let passed = lines.filter { $0.status == .pass }.count
        let failed = lines.filter { $0.status == .fail }.count
        let inconsistent = lines.filter { $0.status == .inconsistent }.count
        print("\(inconsistent) claims unsatisfiable because the report's own numbers conflict (see AUDIT.md); \(s.untargeted.count) claims are not about the bundled microdata")
        print("\(passed) passed, \(failed) failed")
        if failed > 0 { throw ExitCode(1) }
    }
}
