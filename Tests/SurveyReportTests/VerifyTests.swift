import Foundation
import XCTest
@testable import SurveyReport

final class VerifyTests: XCTestCase {
    /// Verify recomputes the claims from the committed files (through the data layer and the registry's rules).
    /// Every claim it fails must be one the reconstruction itself reports as not reproduced, so the two agree,
    /// and footnote 5's F, R², df and p must pass.
    func testVerifyOnCommittedDatasets() throws {
        let dir = reconstructionPackageRoot.appendingPathComponent("datasets/afi-2020")
        let spec = try ReconstructionSpec.load(path: dir.appendingPathComponent("reconstruction.yaml").path)
        let registry = try ClaimRegistry.load(contentsOf: dir.appendingPathComponent("claims.yaml"))
        let lines = try Verifier(spec: spec, registry: registry, dataDirectory: dir.path).run()
        XCTAssertGreaterThan(lines.count, 300)
        for id in ["text-fn5-F", "text-fn5-r2-12", "text-fn5-df1", "text-fn5-df2", "text-fn5-p"] {
            let l = try XCTUnwrap(lines.first { $0.claim == id }, id)
            XCTAssertEqual(l.status, .pass, "\(id): \(l.computed)")
        }
        let passed = lines.filter { $0.status == .pass }.count
        XCTAssertGreaterThan(Double(passed) / Double(lines.count), 0.9)
    }

    /// Each line names the datasets its claim was recomputed from: the regression's one survey, and both
    /// surveys for a comparison of ordførere/rådmenn with the office survey.
    func testVerifyNamesTheDatasetsOfEachClaim() throws {
        let dir = reconstructionPackageRoot.appendingPathComponent("datasets/afi-2020")
        let spec = try ReconstructionSpec.load(path: dir.appendingPathComponent("reconstruction.yaml").path)
        let registry = try ClaimRegistry.load(contentsOf: dir.appendingPathComponent("claims.yaml"))
        let lines = try Verifier(spec: spec, registry: registry, dataDirectory: dir.path).run()
        XCTAssertEqual(lines.first { $0.claim == "text-fn5-F" }?.datasets, ["ordforer-radmann-2019"])
        XCTAssertEqual(lines.first { $0.claim == "fig6-navleder-setter-agenda-noksaa-stor-grad" }?.datasets,
                       ["ordforer-radmann-2019", "kontor-2019"])
        XCTAssertTrue(lines.allSatisfy { !$0.datasets.isEmpty && $0.datasets.allSatisfy { id in spec.datasets.contains { $0.id == id } } })
    }

    /// An audit finding excuses only the failures the report's conflict forces. On the committed data Tabell 4's
    /// «Mann 25,7» is unsatisfiable (25,7 + 74,3 + 2 ≠ 100 with «Kvinne» and «Ikke oppgitt» holding) and is
    /// `inconsistent`; with 300 women recoded as men both Mann and Kvinne miss every reading of the table, and
    /// must be `FAIL` (verify exits 1), not excused by the same finding.
    func testAuditFindingsDoNotHideDataRegressions() throws {
        let source = reconstructionPackageRoot.appendingPathComponent("datasets/afi-2020")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("verify-regression-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: source, to: dir)
        defer { try? FileManager.default.removeItem(at: dir) }
        let spec = try ReconstructionSpec.load(path: dir.appendingPathComponent("reconstruction.yaml").path)
        let registry = try ClaimRegistry.load(contentsOf: dir.appendingPathComponent("claims.yaml"))
        let relations = try AuditRelation.load(contentsOf: dir.appendingPathComponent("audit-relations.yaml"))
        let audit = ConsistencyAudit(registry: registry, relations: relations).run()
        func verify() throws -> [String: VerificationLine] {
            let lines = try Verifier(spec: spec, registry: registry, auditStatus: audit.claimStatus,
                                     auditFindings: audit.claimFindings, auditRelations: relations,
                                     dataDirectory: dir.path).run()
            return Dictionary(uniqueKeysWithValues: lines.map { ($0.claim, $0) })
        }
        let before = try verify()
        XCTAssertEqual(before.values.filter { $0.status == .fail }.map(\.claim), [])
        XCTAssertEqual(before["tab4-kjonn-mann-2019"]?.status, .inconsistent)
        XCTAssertEqual(before["tab4-kjonn-kvinne-2019"]?.status, .pass)

        let csv = dir.appendingPathComponent("kontor-2019.csv")
        var lines = try String(contentsOf: csv, encoding: .utf8).components(separatedBy: "\n")
        let header = lines[0].components(separatedBy: ",")
        let k = try XCTUnwrap(header.firstIndex(of: "kjonn"))
        var recoded = 0
        for i in 1..<lines.count where recoded < 300 {
            var fields = lines[i].components(separatedBy: ",")
            guard fields.count == header.count, fields[k] == "2" else { continue }
            fields[k] = "1"; lines[i] = fields.joined(separator: ","); recoded += 1
        }
        XCTAssertEqual(recoded, 300)
        try lines.joined(separator: "\n").write(to: csv, atomically: true, encoding: .utf8)
        let after = try verify()
        XCTAssertEqual(after["tab4-kjonn-kvinne-2019"]?.status, .fail, after["tab4-kjonn-kvinne-2019"]?.computed ?? "")
        XCTAssertEqual(after["tab4-kjonn-mann-2019"]?.status, .fail)
        XCTAssertTrue(after["tab4-kjonn-kvinne-2019"]?.note?.contains("the data moved") ?? false)
        // The other unsatisfiable claims are still explained by their findings.
        XCTAssertEqual(after.values.filter { $0.status == .inconsistent }.count,
                       before.values.filter { $0.status == .inconsistent }.count - 1)
    }

    func testWelchFromCountsMatchesLibraryTTest() throws {
        var a = CategoryCounts(minCode: 1, categories: 5), b = CategoryCounts(minCode: 1, categories: 5)
        a.counts = [2, 5, 10, 20, 13]; b.counts = [6, 10, 14, 12, 8]
        let w = try XCTUnwrap(WelchFromCounts(a, b))
        let t = try UnequalVarianceTTest(mean1: a.mean!, sd1: a.variance!.squareRoot(), n1: a.valid,
                                         mean2: b.mean!, sd2: b.variance!.squareRoot(), n2: b.valid)
        XCTAssertEqual(w.t, t.statistic, accuracy: 1e-12)
        XCTAssertEqual(w.pTwoSided, t.pValue, accuracy: 1e-12)
    }
}
