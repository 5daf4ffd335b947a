import XCTest
@testable import SurveyReport

/// The hand-declared relation kinds on small registries with known answers.
final class AuditRelationTests: XCTestCase {
    // (p1, n1, p2, n2, z, p) from scripts/reference/claims_audit_reference.py (pooled z, 2·scipy.stats.norm.sf)
    let z2Cases: [(Double, Int, Double, Int, Double, Double)] = [
        (0.647, 949, 0.61, 1745, 1.8928959216335366, 0.0583717117345497),
        (0.74, 104, 0.56, 150, 2.9279107218866343, 0.0034124801642664944),
    ]

    func testTwoProportionZMatchesScipy() throws {
        for (p1, n1, p2, n2, z, p) in z2Cases {
            let got = try XCTUnwrap(SummaryTestAdapter.twoProportionZ(p1: p1, n1: n1, p2: p2, n2: n2))
            XCTAssertEqual(got.z, z, accuracy: 1e-12)
            XCTAssertEqual(got.p, p, accuracy: 1e-9 * p)
        }
    }

    private func claim(_ id: String, _ stat: String, _ printed: String, _ lo: Double, _ hi: Double,
                       qualifier: String = "exact", loClosed: Bool = true) -> String {
        "- {id: \(id), line: 1, quote: q, statistic: \(stat), printed: '\(printed)', value: \((lo + hi) / 2), qualifier: \(qualifier), checkable: true, rule: {type: interval, lo: \(lo), hi: \(hi), lo_closed: \(loClosed)}}\n"
    }

    func testKindsOnKnownCases() throws {
        var yaml = ""
        yaml += claim("v14", "percent", "64,7", 64.65, 64.75)
        yaml += claim("v19", "percent", "61", 60.5, 61.5)
        yaml += claim("n14", "n", "949", 948.5, 949.5)
        yaml += claim("n19", "n", "1745", 1744.5, 1745.5)
        yaml += "- {id: sig, line: 2, quote: q, statistic: significance, checkable: true, rule: {type: significance, test: two-proportion-z, significant: true}}\n"
        yaml += claim("r61", "percent", "61", 60.5, 61.5)
        yaml += claim("o44", "percent", "44", 43.5, 44.5)
        yaml += claim("nr", "n", "158", 157.5, 158.5)
        yaml += claim("no", "n", "106", 105.5, 106.5)
        yaml += claim("pooled", "percent", "50", 48, 52, qualifier: "approx")
        yaml += claim("range", "percent", "73–75", 72.5, 75.5, qualifier: "range")
        yaml += claim("k19", "percent", "74,3", 74.25, 74.35)
        yaml += claim("k08", "percent", "69,2", 69.15, 69.25)
        yaml += claim("low", "percent", "25", 23, 27, qualifier: "approx")
        yaml += claim("high", "percent", "9", 7, 11, qualifier: "approx")
        yaml += "- {id: mean34, line: 3, quote: q, statistic: mean, printed: '3–4', checkable: true, rule: {type: interval, lo: 3, hi: 4, lo_closed: false}}\n"
        let relations = try AuditRelation.parse("""
        - {id: z, kind: two-proportion-z, a: v14, n1: n14, b: v19, n2: n19, significant: true, claim: sig}
        - {id: w, kind: weighted-mean, parts: [r61, o44], weights: [nr, no], overall: pooled}
        - {id: in, kind: within, overall: range, parts: [k19]}
        - {id: out, kind: within, overall: range, parts: [k19, k08]}
        - {id: mr, kind: mean-range, parts: [low, high], scores: [[1, 2], [4, 5]], rest: [3, 3], overall: mean34}
        - {id: c, kind: contradiction, claims: [k19, k08], logic: "cannot both hold"}
        - {id: bad, kind: sum, parts: [nope], total: 100}
        """)
        let result = ConsistencyAudit(registry: try ClaimRegistry.parse(yaml), relations: relations).run()
        let f = Dictionary(uniqueKeysWithValues: result.findings.map { ($0.id, $0) })
        XCTAssertEqual(f["z"]?.status, .inconsistent, "p = .058 is not < .05")
        XCTAssertTrue(f["z"]?.arithmetic.contains("z = 1.893") ?? false, f["z"]?.arithmetic ?? "")
        XCTAssertEqual(f["w"]?.status, .inconsistent, "(61·158 + 44·106)/264 = 54.2 ∉ [48, 52]")
        XCTAssertTrue(f["w"]?.arithmetic.contains("54.174") ?? false, f["w"]?.arithmetic ?? "")
        XCTAssertEqual(f["in"]?.status, .consistent)
        XCTAssertEqual(f["out"]?.status, .inconsistent)
        XCTAssertEqual(f["mr"]?.status, .inconsistent, "mean ≤ 0.25·2 + 0.66·3 + 0.09·5 = 2.93 < 3")
        XCTAssertTrue(f["mr"]?.arithmetic.contains("2.93") ?? false, f["mr"]?.arithmetic ?? "")
        XCTAssertEqual(f["c"]?.status, .inconsistent)
        XCTAssertEqual(f["bad"]?.status, .notCheckable)
        XCTAssertEqual(result.claimStatus["sig"], .inconsistent)
        XCTAssertEqual(result.claimStatus["nr"], .inconsistent, "a term of a failing weighted mean")
    }

    func testValidPercentReadingReconcilesMixedBases() throws {
        var yaml = ""
        yaml += claim("m", "percent", "25,7", 25.65, 25.75)
        yaml += claim("k", "percent", "74,3", 74.25, 74.35)
        yaml += claim("u", "percent", "2", 1.5, 2.5)
        let relations = try AuditRelation.parse("""
        - {id: sum, kind: sum, parts: [m, k, u], total: 100}
        - {id: valid, kind: valid-percent, parts: [m, k], missing: u}
        """)
        let result = ConsistencyAudit(registry: try ClaimRegistry.parse(yaml), relations: relations).run()
        let f = Dictionary(uniqueKeysWithValues: result.findings.map { ($0.id, $0) })
        XCTAssertEqual(f["sum"]?.status, .inconsistent, "102 as printed")
        XCTAssertEqual(f["valid"]?.status, .consistent)
        XCTAssertTrue(f["valid"]?.arithmetic.contains("25.19 and 72.81") ?? false, f["valid"]?.arithmetic ?? "")
    }

    func testRelationFileErrorsNameRelationAndKey() {
        XCTAssertThrowsError(try AuditRelation.parse("- {id: x, kind: nonsense}")) { error in
            let errs = (error as? ClaimRegistryErrors)?.errors ?? []
            XCTAssertEqual(errs.first?.claimID, "x"); XCTAssertEqual(errs.first?.key, "kind")
        }
        XCTAssertThrowsError(try AuditRelation.parse("- {kind: sum}"))
    }
}
