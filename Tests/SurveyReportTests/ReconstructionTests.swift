import Foundation
import XCTest
@testable import SurveyReport

/// The package root, from this file's path (Tests/SurveyReportTests/…).
let reconstructionPackageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

final class ReconstructionTests: XCTestCase {
    /// Test vector of Vigna's reference splitmix64.c (seed 1234567), also recomputed with a 10-line Python
    /// implementation (arbitrary-precision integers mod 2^64).
    func testSplitMix64MatchesReferenceVector() {
        var g = SplitMix64(seed: 1_234_567)
        XCTAssertEqual(g.next(), 6_457_827_717_110_365_317)
        XCTAssertEqual(g.next(), 3_203_168_211_198_807_973)
        XCTAssertEqual(g.next(), 9_817_491_932_198_370_423)
    }

    func testBoundedDrawsStayInRangeAndCoverIt() {
        var g = SplitMix64(seed: 7)
        var seen = Set<Int>()
        for _ in 0..<1000 { let x = g.below(6); XCTAssert((0..<6).contains(x)); seen.insert(x) }
        XCTAssertEqual(seen.count, 6)
    }

    /// A small spec with the kinds of targets the report has: group sizes, a percent, a mean, a significant and a
    /// non-significant difference, and a simple regression with an exact F interval.
    static let smallSpec = """
    version: 1
    seed: 42
    missingCode: 9
    missingLabel: Vet ikke
    untargeted: []
    datasets:
      - id: toy
        file: toy.csv
        codebook: toy.codebook.yaml
        rows: 300
        groupings:
          - variable: rolle
            label: Rolle
            cells: [{code: 1, label: A, n: 120}, {code: 2, label: B, n: 180}]
        variables:
          - {name: x, label: X, figures: [1], kind: likert, min: 1, max: 5}
          - {name: y, label: Y, figures: [1], kind: likert, min: 1, max: 5}
          - {name: z, label: Z, figures: [2], kind: likert, min: 1, max: 4}
        targets:
          - {claim: c-pct, statistic: percent, variable: x, categories: [4, 5], groups: [{dataset: toy, where: {rolle: [1]}}], interval: [60.5, 61.5]}
          - {claim: c-mean, statistic: mean, variable: x, groups: [{dataset: toy, where: {rolle: [2]}}], interval: [3.855, 3.865]}
          - {claim: c-sig, statistic: welch-t, variable: z, relation: greater, groupsA: [{dataset: toy, where: {rolle: [1]}}], groupsB: [{dataset: toy, where: {rolle: [2]}}], pInterval: [0, 0.01]}
          - {claim: c-ns, statistic: welch-t, variable: y, relation: not-significant, groupsA: [{dataset: toy, where: {rolle: [1]}}], groupsB: [{dataset: toy, where: {rolle: [2]}}], pInterval: [0.05, 1]}
          - {claim: c-n, statistic: n, variable: x, groups: [{dataset: toy, where: {}}], interval: [280, 281]}
          - {claim: c-reg, statistic: regression, variable: y, predictor: x, groups: [{dataset: toy, where: {}}], n: 275, fInterval: [20.005, 20.015]}
    """

    func testSmallSpecIsSatisfiedAndDeterministic() throws {
        let spec = try YAMLDecoderShim.decode(Self.smallSpec)
        let a = try Reconstructor(spec: spec).run()
        let b = try Reconstructor(spec: spec).run()
        XCTAssertEqual(a.files.map(\.contents), b.files.map(\.contents), "same seed must give identical bytes")
        for r in a.results { XCTAssertTrue(r.outcome.satisfied, "\(r.target.claim): \(r.outcome.computed)") }
        var other = spec
        other.seed = 43
        let c = try Reconstructor(spec: other).run()
        XCTAssertNotEqual(a.files[0].contents, c.files[0].contents, "the seed must matter")
        // The written CSV, read back through the data layer with its codebook, gives the regression's F.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("recon-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for (name, contents) in a.files { try Data(contents.utf8).write(to: dir.appendingPathComponent(name)) }
        let data = try Verifier.loadDataset(spec.datasets[0], directory: dir.path)
        let model = try LinearModel(formula: "y ~ x", data: data)
        XCTAssertEqual(model.n, 275)
        let f = try XCTUnwrap(model.fTest?.statistic)
        XCTAssert(f >= 20.005 && f < 20.015, "F = \(f)")
    }

    /// `surveystats reconstruct` must reproduce the committed datasets byte for byte.
    func testCommittedDatasetsAreReproducedByteForByte() throws {
        let dir = reconstructionPackageRoot.appendingPathComponent("datasets/afi-2020")
        let spec = try ReconstructionSpec.load(path: dir.appendingPathComponent("reconstruction.yaml").path)
        let out = try Reconstructor(spec: spec).run()
        XCTAssertEqual(out.files.count, 2 * spec.datasets.count)
        for (name, contents) in out.files {
            let committed = try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
            XCTAssert(committed == contents, "\(name) differs from a fresh reconstruction")
        }
        // Footnote 5 is the report's headline example: it must be among the reproduced targets.
        let reg = out.results.first { $0.target.statistic == "regression" }
        XCTAssertEqual(reg?.outcome.satisfied, true, reg?.outcome.computed ?? "no regression target")
        let satisfied = out.results.filter(\.outcome.satisfied).count
        XCTAssertGreaterThan(Double(satisfied) / Double(out.results.count), 0.9)
    }
}

/// Decodes a spec from a YAML string (the production path reads a file).
enum YAMLDecoderShim {
    static func decode(_ yaml: String) throws -> ReconstructionSpec {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("spec-\(UUID().uuidString).yaml")
        try Data(yaml.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        return try ReconstructionSpec.load(path: url.path)
    }
}
