import XCTest
@testable import SurveyReport

final class ClaimsLoaderTests: XCTestCase {
    let good = """
    - id: fig4-mean
      figure: 4
      line: 582
      quote: "3,86"
      survey: ordforer-radmann-2019
      year: 2019
      group: [ordforere]
      variable: oppdatert_tjenesteutvikling
      statistic: mean
      printed: "3,86"
      value: 3.86
      qualifier: exact
      rule: {type: interval, lo: 3.855, hi: 3.865}
      checkable: true
    - id: sig
      line: 10
      quote: signifikant
      statistic: significance
      rule: {type: significance, test: two-sample-t, significant: true, stars: '***', a: {label: statlig, group: statlig}, b: {label: kommunal}}
      checkable: true
    - id: vague
      line: 11
      quote: mange
      statistic: percent
      checkable: false
      reason: vague quantifier
    """

    func testLoadsValidRegistry() throws {
        let r = try ClaimRegistry.parse(good)
        XCTAssertEqual(r.claims.count, 3)
        let c = try XCTUnwrap(r["fig4-mean"])
        XCTAssertEqual(c.figures, [4]); XCTAssertEqual(c.years, [2019]); XCTAssertEqual(c.groups, ["ordforere"])
        XCTAssertEqual(c.variables, ["oppdatert_tjenesteutvikling"]); XCTAssertEqual(c.printed, "3,86")
        XCTAssertEqual(c.rule?.interval?.lo, 3.855)
        XCTAssertEqual(r["sig"]?.rule, .significance(test: .twoSampleT, alpha: 0.05, significant: true, stars: "***",
                                                      a: ClaimOperand(label: "statlig", group: "statlig"),
                                                      b: ClaimOperand(label: "kommunal")))
        XCTAssertEqual(r.checkableShare, 2.0 / 3.0, accuracy: 1e-12)
    }

    private func errors(_ yaml: String) -> [ClaimRegistryError] {
        do { _ = try ClaimRegistry.parse(yaml, file: "x.yaml"); return [] }
        catch let e as ClaimRegistryErrors { return e.errors }
        catch { XCTFail("unexpected \(error)"); return [] }
    }

    func testValidationErrorsNameClaimAndKey() {
        let errs = errors("""
        - id: a
          line: 1
          quote: q
          statistic: percentage
          checkable: true
          rule: {type: interval, lo: 5, hi: 4}
        - id: b
          line: 0
          quote: q
          statistic: mean
          checkable: false
        - id: c
          line: 3
          quote: q
          statistic: mean
          checkable: true
          colour: red
          rule: {type: direction, relation: bigger, a: {label: x}, b: {label: y}}
        - line: 4
        """)
        let pairs = errs.map { "\($0.claimID ?? "-")/\($0.key ?? "-")" }
        XCTAssertTrue(pairs.contains("a/statistic"), "\(pairs)")
        XCTAssertTrue(pairs.contains("a/rule"), "\(pairs)")
        XCTAssertTrue(pairs.contains("b/line"), "\(pairs)")
        XCTAssertTrue(pairs.contains("b/reason"), "\(pairs)")
        XCTAssertTrue(pairs.contains("c/colour"), "\(pairs)")
        XCTAssertTrue(pairs.contains("c/rule.relation"), "\(pairs)")
        XCTAssertTrue(pairs.contains("#3/id"), "\(pairs)")
        XCTAssertTrue(errs.first?.description.hasPrefix("x.yaml: claim a, key 'statistic'") ?? false)
    }

    func testDuplicateIdAndMissingRule() {
        let errs = errors("""
        - {id: a, line: 1, quote: q, statistic: n, checkable: false, reason: r}
        - {id: a, line: 1, quote: q, statistic: n, checkable: false, reason: r}
        - {id: d, line: 1, quote: q, statistic: n, checkable: true}
        """)
        XCTAssertEqual(errs.map { "\($0.claimID ?? "-")/\($0.key ?? "-")" }, ["a/id", "d/rule"])
        XCTAssertFalse(errors("not: [a list").isEmpty)
    }
}
