import XCTest
@testable import SurveyReport

/// Regression tests for the verify failures fixed in the reconstruction spec, the registry's acceptance rules and the
/// search (see CHANGELOG, "Fixed"): each asserts the corrected mapping in the committed files, not a computed result.
final class ReconstructionSpecRegressionTests: XCTestCase {
    var dir: URL { reconstructionPackageRoot.appendingPathComponent("datasets/afi-2020") }

    func spec() throws -> ReconstructionSpec {
        try ReconstructionSpec.load(path: dir.appendingPathComponent("reconstruction.yaml").path)
    }

    func targets(_ claim: String, in s: ReconstructionSpec) -> [ReconstructionSpec.Target] {
        s.datasets.flatMap(\.targets).filter { $0.claim == claim }
    }

    /// A percent printed as a word («åtte prosent») is a rounded figure: [7.5, 8.5), not the point [8, 8]. Only
    /// counted quantities (n, count) may have a point interval.
    func testOnlyCountsHavePointIntervals() throws {
        let reg = try ClaimRegistry.load(contentsOf: dir.appendingPathComponent("claims.yaml"))
        for c in reg.claims where c.checkable {
            guard let iv = c.rule?.interval, iv.lo == iv.hi else { continue }
            XCTAssert(c.statistic == .n || c.statistic == .count, "\(c.id): point interval on a \(c.statistic)")
        }
        let eight = try XCTUnwrap(reg["fig57-stor-grad-8"]?.rule?.interval)
        XCTAssertEqual(eight.lo, 7.5); XCTAssertEqual(eight.hi, 8.5)
    }

    /// Tabell 4's «Annet» 4,3 printed under «Antall brukere» after the page break is the last Yrkesbakgrunn row.
    func testTable4AnnetRowIsYrkesbakgrunn() throws {
        let s = try spec()
        XCTAssertEqual(targets("tab4-antall-brukere-annet-2019", in: s).map(\.variable), ["yrkesbakgrunn_annet"])
        let brukere = try XCTUnwrap(s.datasets.flatMap(\.variables).first { $0.name == "antall_brukere" })
        XCTAssertFalse(brukere.labels?.values.contains("Annet") ?? true)
    }

    /// Figur 44 utsagn 3: «aldri eller svært sjelden» / «sjelden / av og til» / «ofte / svært ofte» partition the scale.
    func testFigure44BinsPartitionTheScale() throws {
        let s = try spec()
        XCTAssertEqual(targets("fig44-utsagn3-2019-aldri-svaert-sjelden-halvparten", in: s).first?.categories, [1])
        XCTAssertEqual(targets("fig44-utsagn3-2019-sjelden-av-og-til-40", in: s).first?.categories, [2, 3])
        XCTAssertEqual(targets("fig44-utsagn3-2019-ofte-svaert-ofte-10", in: s).first?.categories, [4, 5])
    }

    /// Figur 78: «70–100 prosent» is the union of the «70-90 prosent» and «alle» answers, not a category of its own.
    func testFigure78UnionCategory() throws {
        let s = try spec()
        let a = try XCTUnwrap(targets("fig78-fjerdedel-70-90", in: s).first?.categories)
        let b = try XCTUnwrap(targets("fig78-alle-5", in: s).first?.categories)
        XCTAssertEqual(targets("fig78-oppsum-litt-over-30-70-100", in: s).first?.categories, (a + b).sorted())
    }

    /// Figur 33 has Figur 32's five items: utsagn 1 significant, utsagn 2-5 each not significant.
    func testFigure33HasFiveItems() throws {
        let s = try spec()
        let sig = targets("fig33-statlig-vs-kommunalt-brukermedvirkning-sig", in: s).map(\.variable)
        let ns = targets("fig33-statlig-vs-kommunalt-ovrige-ingen-sig", in: s).map(\.variable)
        XCTAssertEqual(sig.count, 1); XCTAssertEqual(ns.count, 4)
        XCTAssertTrue(Set(sig).isDisjoint(with: ns))
    }

    /// Two contradictory targets on one item: the one with a low weight (a number the audit shows to be contradicted)
    /// gives way, and the others are met exactly.
    func testLowWeightTargetGivesWay() throws {
        let yaml = """
        version: 1
        seed: 7
        missingCode: 9
        missingLabel: Vet ikke
        untargeted: []
        datasets:
          - id: toy
            file: toy.csv
            codebook: toy.codebook.yaml
            rows: 400
            groupings: []
            variables:
              - {name: x, label: X, figures: [1], kind: likert, min: 1, max: 5}
            targets:
              - {claim: low-half, statistic: percent, variable: x, categories: [1], groups: [{dataset: toy, where: {}}], interval: [46, 54]}
              - {claim: mid-40, statistic: percent, variable: x, categories: [2, 3], groups: [{dataset: toy, where: {}}], interval: [38, 42]}
              - {claim: top-10, statistic: percent, variable: x, categories: [4, 5], groups: [{dataset: toy, where: {}}], interval: [9.5, 10.5]}
              - {claim: summary-mean, statistic: mean, variable: x, groups: [{dataset: toy, where: {}}], interval: [3.5, 4.0], weight: 0.05}
        """
        let s = try YAMLDecoderShim.decode(yaml)
        let out = try Reconstructor(spec: s).run()
        let byClaim = Dictionary(uniqueKeysWithValues: out.results.map { ($0.target.claim, $0.outcome) })
        for id in ["low-half", "mid-40", "top-10"] {
            XCTAssertEqual(byClaim[id]?.satisfied, true, "\(id): \(byClaim[id]?.computed ?? "-")")
        }
        XCTAssertEqual(byClaim["summary-mean"]?.satisfied, false)
    }
}
