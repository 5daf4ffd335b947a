import ArgumentParser
import Foundation
import SurveyReport

/// `surveystats reconstruct`: rebuilds the synthetic respondent files of datasets/afi-2020 from the reconstruction
/// spec, reports every published number it could not reproduce, and with `--check` verifies that the committed
/// files are byte-identical to a fresh rebuild.
struct ReconstructCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconstruct",
        abstract: "Rebuild the reconstructed (synthetic) AFI survey datasets from datasets/afi-2020/reconstruction.yaml.",
        discussion: """
        The files hold reconstructed synthetic respondents, not AFI's data: integer answers chosen so that the \
        report's published numbers are reproduced. Deterministic: the same spec and seed give byte-identical files. \
        Progress goes to stderr.
        Examples:
          surveystats reconstruct --check
          surveystats reconstruct --all | grep MISS
          surveystats reconstruct --seed 7 --out /tmp/afi-seed-7
        """
    )

    @Option(help: "Reconstruction spec.") var spec = "datasets/afi-2020/reconstruction.yaml"
    @Option(help: "Directory to write the CSV files and codebooks to (created if missing).") var out = "datasets/afi-2020"
    @Option(help: "Override the spec's seed.") var seed: UInt64?
    @Flag(help: "Do not write; exit 1 unless the files in --out are byte-identical to a rebuild.") var check = false
    @Flag(help: "List every target with its computed value, not only the unsatisfied ones.") var all = false

    func run() throws {
        try requireInputFile(spec, option: "--spec")
        // --check compares with existing files; a rebuild creates its directory (with parents), as `report` does.
        if check { try requireInputDirectory(out, option: "--out") } else { try createOutputDirectory(out, option: "--out") }
        // Load errors propagate to the entry point (`CLIMain`): one line on stderr, exit 2.
        var s = try ReconstructionSpec.load(path: spec)
        if let seed { s.seed = seed }
        var r = Reconstructor(spec: s)
        let showProgress = isatty(STDERR_FILENO) != 0
        r.progress = { if showProgress { CLIConsole.note($0) } }
        let output = try r.run()
        var differing: [String] = []
        for (name, contents) in output.files {
            let path = (out as NSString).appendingPathComponent(name)
            if check {
                let existing = FileManager.default.contents(atPath: path)
                if existing != Data(contents.utf8) { differing.append(path) }
            } else {
                try AtomicFile.write(contents, to: path)
            }
        }
        for res in output.results where all || !res.outcome.satisfied {
            let mark = res.outcome.satisfied ? "ok  " : "MISS"
            print("\(mark) \(res.target.claim) [\(res.target.statistic) \(res.target.variable)] published \(res.target.published ?? "-"), reconstructed \(res.outcome.computed)")
        }
        let sat = output.results.filter(\.outcome.satisfied).count
        print("\(output.results.count) targets, \(sat) reproduced, \(output.results.count - sat) not reproduced; \(s.untargeted.count) claims not reconstructable from microdata (see reconstruction.yaml: untargeted)")
        if check {
            if differing.isEmpty {
                print("byte-identical: \(output.files.count) files in \(out) match a fresh rebuild")
            } else {
                for d in differing { print("DIFFERS: \(d)") }
                throw ExitCode(1)
            }
        }
    }
}
