import Foundation
import XCTest
@testable import SurveyReport

/// Reference values from scripts/reference/claims_audit_reference.py (scipy 1.17.1; JSON copy beside the script).
final class AuditStatcheckTests: XCTestCase {
    // (F, df1, df2, scipy.stats.f.sf(F, df1, df2), F·df1/(F·df1 + df2))
    let fCases: [(Double, Double, Double, Double, Double)] = [
        (32.27, 1, 241, 3.8516152818805754e-08, 0.11808833754162552),
        (4.2, 2, 300, 0.01588666731855452, 0.027237354085603117),
        (1.1, 3, 120, 0.351990916092242, 0.026763990267639905),
        (10.5, 1, 30, 0.0029179081889407436, 0.25925925925925924),
    ]
    // (observed share, population share, n, z, 2·scipy.stats.norm.sf(|z|))
    let zCases: [(Double, Double, Int, Double, Double)] = [
        (0.3519, 0.6122, 54, -3.9257305080707305, 8.646692086518468e-05),
        (0.5287, 0.6122, 87, -1.5984370475243845, 0.10994574514110636),
        (0.2037, 0.1043, 54, 2.3897904593811248, 0.01685798782059342),
        (0.1429, 0.1043, 126, 1.4175850873997837, 0.156311936490458),
    ]

    func testFPValueAndRSquaredMatchScipy() throws {
        for (f, d1, d2, p, r2) in fCases {
            let got = try XCTUnwrap(SummaryTestAdapter.fTestPValue(f: f, df1: d1, df2: d2))
            XCTAssertEqual(got, p, accuracy: 1e-6 * p, "F(\(d1), \(d2)) = \(f)")
            XCTAssertEqual(try XCTUnwrap(SummaryTestAdapter.rSquared(f: f, df1: d1, df2: d2)), r2, accuracy: 1e-14)
        }
        XCTAssertNil(SummaryTestAdapter.fTestPValue(f: -1, df1: 1, df2: 2))
    }

    func testOneSampleProportionZMatchesScipy() throws {
        for (obs, p0, n, z, p) in zCases {
            let got = try XCTUnwrap(SummaryTestAdapter.oneSampleProportionZ(observed: obs, p0: p0, n: n))
            XCTAssertEqual(got.z, z, accuracy: 1e-12)
            XCTAssertEqual(got.p, p, accuracy: 1e-6 * p)
        }
        XCTAssertNil(SummaryTestAdapter.oneSampleProportionZ(observed: 0.5, p0: 0, n: 10))
    }

    func testFootnote5IsConsistent() throws {
        let yaml = """
        - {id: f, line: 941, quote: "F(1, 241) = 32.27", statistic: F, printed: '32.27', value: 32.27, checkable: true, rule: {type: interval, lo: 32.265, hi: 32.275}}
        - {id: d1, line: 941, quote: q, statistic: df, value: 1, checkable: true, rule: {type: interval, lo: 0.5, hi: 1.5}}
        - {id: d2, line: 941, quote: q, statistic: df, value: 241, checkable: true, rule: {type: interval, lo: 240.5, hi: 241.5}}
        - {id: p, line: 941, quote: "p < .001", statistic: p, printed: '.001', value: 0.001, checkable: true, rule: {type: interval, lo: 0, hi: 0.001}}
        - {id: r2, line: 941, quote: "12 prosent", statistic: R2, printed: '12', value: 0.12, checkable: true, rule: {type: interval, lo: 0.115, hi: 0.125}}
        - {id: r2bad, line: 942, quote: "20 prosent", statistic: R2, printed: '20', value: 0.2, checkable: true, rule: {type: interval, lo: 0.195, hi: 0.205}}
        """
        let result = ConsistencyAudit(registry: try ClaimRegistry.parse(yaml)).run()
        let stat = result.findings.filter { $0.kind == .statcheck }
        XCTAssertEqual(stat.count, 2)
        XCTAssertTrue(stat.allSatisfy { $0.status == .consistent }, "\(stat)")
        XCTAssertTrue(stat.contains { $0.arithmetic.contains("0.1181") })
    }

    func testStatcheckFlagsDecisionError() throws {
        let yaml = """
        - {id: f, line: 5, quote: q, statistic: F, printed: '1.10', value: 1.1, checkable: true, rule: {type: interval, lo: 1.095, hi: 1.105}}
        - {id: d1, line: 5, quote: q, statistic: df, value: 3, checkable: true, rule: {type: interval, lo: 2.5, hi: 3.5}}
        - {id: d2, line: 5, quote: q, statistic: df, value: 120, checkable: true, rule: {type: interval, lo: 119.5, hi: 120.5}}
        - {id: p, line: 5, quote: q, statistic: p, printed: '.01', value: 0.01, checkable: true, rule: {type: interval, lo: 0, hi: 0.01}}
        """
        let result = ConsistencyAudit(registry: try ClaimRegistry.parse(yaml)).run()
        let f = try XCTUnwrap(result.findings.first { $0.kind == .statcheck })
        XCTAssertEqual(f.status, .inconsistent)
        XCTAssertTrue(f.arithmetic.contains("decision error"), f.arithmetic)
        XCTAssertEqual(result.claimStatus["p"], .inconsistent)
        XCTAssertEqual(result.summaryLine, "4 claims, 4 checkable, 0 consistent, 4 inconsistent, 0 not checkable")
    }
}

final class AuditGRIMTests: XCTestCase {
    func testRecoversUniqueCounts() throws {
        // scripts/reference/claims_audit_reference.py: brute force over k
        XCTAssertEqual(GRIM.attainableCounts(in: PrintedNumber("35,19")!.roundingInterval, n: 54, percent: true), [19])
        XCTAssertEqual(GRIM.attainableCounts(in: PrintedNumber("23,3")!.roundingInterval, n: 831, percent: true), [194])
        XCTAssertEqual(GRIM.attainableCounts(in: PrintedNumber("61")!.roundingInterval, n: 93, percent: true), [57])
        XCTAssertEqual(GRIM.attainableCounts(in: PrintedNumber("3,86")!.roundingInterval, n: 28, percent: false,
                                             maxPerUnit: 5), [108])
    }

    func testFlagsUnattainablePercent() {
        // 46/93 = 49.46 %, 47/93 = 50.54 %: no count prints as «50» at n = 93.
        XCTAssertEqual(GRIM.attainableCounts(in: PrintedNumber("50")!.roundingInterval, n: 93, percent: true), [])
        XCTAssertTrue(GRIM.isInformative(halfUnit: 0.5, n: 93, percent: true))
        XCTAssertFalse(GRIM.isInformative(halfUnit: 0.5, n: 218, percent: true))
        // GRIM mean: 3.48 with n = 15 needs a score sum in [52.125, 52.275) — no integer.
        XCTAssertEqual(GRIM.attainableCounts(in: PrintedNumber("3,48")!.roundingInterval, n: 15, percent: false, maxPerUnit: 5), [])
    }

    func testTableRelationsFindKnownProblems() throws {
        let claims = """
        - {id: m, line: 1, quote: q, statistic: percent, printed: '25,7', value: 25.7, checkable: true, rule: {type: interval, lo: 25.65, hi: 25.75}}
        - {id: k, line: 1, quote: q, statistic: percent, printed: '74,3', value: 74.3, checkable: true, rule: {type: interval, lo: 74.25, hi: 74.35}}
        - {id: u, line: 1, quote: q, statistic: percent, printed: '2', value: 2, checkable: true, rule: {type: interval, lo: 1.5, hi: 2.5}}
        - {id: a, line: 2, quote: q, statistic: n, value: 220, checkable: true, rule: {type: interval, lo: 219.5, hi: 220.5}}
        - {id: s, line: 2, quote: q, statistic: count, value: 315, checkable: true, rule: {type: interval, lo: 314.5, hi: 315.5}}
        - {id: r, line: 2, quote: q, statistic: response-rate, printed: '70', value: 70, checkable: true, rule: {type: interval, lo: 69.5, hi: 70.5}}
        - {id: vague, line: 3, quote: q, statistic: percent, checkable: false, reason: vague}
        """
        let relations = try AuditRelation.parse("""
        - {id: kjonn, kind: sum, parts: [m, k, u], total: 100}
        - {id: rate, kind: ratio, numerator: a, denominator: s, result: r}
        - {id: over, kind: bound, a: [m, k], b: 100}
        """)
        let result = ConsistencyAudit(registry: try ClaimRegistry.parse(claims), relations: relations).run()
        let byID = Dictionary(uniqueKeysWithValues: result.findings.map { ($0.id, $0) })
        XCTAssertEqual(byID["kjonn"]?.status, .inconsistent)
        XCTAssertTrue(byID["kjonn"]?.arithmetic.contains("= 102") ?? false, byID["kjonn"]?.arithmetic ?? "")
        XCTAssertEqual(byID["rate"]?.status, .consistent)
        XCTAssertTrue(byID["rate"]?.arithmetic.contains("69.841") ?? false)
        XCTAssertEqual(byID["over"]?.status, .consistent)
        XCTAssertEqual(result.summaryLine, "7 claims, 6 checkable, 3 consistent, 3 inconsistent, 1 not checkable")
    }
}

final class ClaimsRegistryFileTests: XCTestCase {
    /// The committed registry loads and is ≥ 95 % checkable.
    func testCommittedRegistryLoadsAndIsMostlyCheckable() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let url = root.appendingPathComponent("datasets/afi-2020/claims.yaml")
        let registry = try ClaimRegistry.load(contentsOf: url)
        XCTAssertEqual(registry.claims.count, 1080)
        XCTAssertGreaterThanOrEqual(registry.checkableShare, 0.95)
        for c in registry.claims where !c.checkable { XCTAssertNotNil(c.reason, c.id) }
        let rel = try AuditRelation.load(contentsOf: root.appendingPathComponent("datasets/afi-2020/audit-relations.yaml"))
        let result = ConsistencyAudit(registry: registry, relations: rel).run()
        XCTAssertTrue(result.findings.allSatisfy { $0.status != .notCheckable || !$0.claims.isEmpty })
        // Footnote 5 (F(1, 241) = 32.27, R² = .12) is consistent.
        XCTAssertEqual(result.findings.first { $0.id.hasPrefix("statcheck-r2") }?.status, .consistent)
        XCTAssertEqual(result.findings.first { $0.id == "tab4-sum-kjonn-2019" }?.status, .inconsistent)
    }
}
