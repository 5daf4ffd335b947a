import XCTest
@testable import SurveyReport

final class ClaimsAcceptanceRuleTests: XCTestCase {
    /// A claim printed in percent about a proportion (R² printed "12" = 0.12) is reported in percent.
    func testClaimCheckReasonUsesThePrintedUnit() {
        let claim = PublishedClaim(id: "r2", line: 1, quote: "forklarer 12 prosent", statistic: .rSquared, printed: "12",
                                   value: 0.12, rule: .interval(AcceptanceInterval(lo: 0.115, hi: 0.125)), checkable: true)
        XCTAssertEqual(claim.printedScale, 100)
        let r = ClaimCheck.check(claim, computed: .value(0.026376))
        XCTAssertFalse(r.passed)
        XCTAssertTrue(r.reason.hasPrefix("2.6376 ∉ [11.5, 12.5)"), r.reason)
        XCTAssertTrue(ClaimCheck.check(claim, computed: .value(0.118)).passed)
        let percent = PublishedClaim(id: "p", line: 1, quote: "61 %", statistic: .percent, printed: "61", value: 61,
                                     rule: .interval(AcceptanceInterval(lo: 60.5, hi: 61.5)), checkable: true)
        XCTAssertNil(percent.printedScale)
    }

    func testRoundingIntervalOfWholeNumber() throws {
        let p = try XCTUnwrap(PrintedNumber("61"))
        XCTAssertEqual(p.value, 61)
        XCTAssertEqual(p.decimals, 0)
        let iv = p.roundingInterval
        XCTAssertEqual(iv.lo, 60.5); XCTAssertEqual(iv.hi, 61.5)
        XCTAssertTrue(iv.contains(60.5)); XCTAssertFalse(iv.contains(61.5)); XCTAssertTrue(iv.contains(61.4999))
        XCTAssertFalse(iv.contains(60.4999))
    }

    func testRoundingIntervalWithDecimalComma() throws {
        let p = try XCTUnwrap(PrintedNumber("3,86"))
        XCTAssertEqual(p.decimals, 2)
        XCTAssertEqual(p.roundingInterval.lo, 3.855, accuracy: 1e-12)
        XCTAssertEqual(p.roundingInterval.hi, 3.865, accuracy: 1e-12)
        XCTAssertTrue(p.roundingInterval.contains(3.86))
        XCTAssertFalse(p.roundingInterval.contains(3.866))
        XCTAssertEqual(PrintedNumber("61,22")?.roundingInterval.lo ?? 0, 61.215, accuracy: 1e-12)
    }

    func testPValueWithoutLeadingZeroAndThousandsSpace() throws {
        let p = try XCTUnwrap(PrintedNumber(".306"))
        XCTAssertEqual(p.value, 0.306); XCTAssertEqual(p.decimals, 3)
        XCTAssertEqual(p.roundingInterval.hi, 0.3065, accuracy: 1e-12)
        XCTAssertEqual(PrintedNumber("4 687")?.value, 4687)
        XCTAssertEqual(PrintedNumber("37 prosent")?.value, 37)
        XCTAssertNil(PrintedNumber("halvparten"))
        XCTAssertNil(PrintedNumber("1-2"))
        XCTAssertNil(PrintedNumber(""))
    }

    func testOpenAndClosedEnds() {
        let above = AcceptanceInterval(lo: 50, hi: 55, loClosed: false, hiClosed: true)
        XCTAssertFalse(above.contains(50)); XCTAssertTrue(above.contains(55)); XCTAssertTrue(above.contains(50.01))
        XCTAssertEqual(above.description, "(50, 55]")
        let a = AcceptanceInterval(lo: 0, hi: 1), b = AcceptanceInterval(lo: 1, hi: 2)
        XCTAssertFalse(a.overlaps(b), "[0,1) and [1,2) share no point")
        XCTAssertEqual(AcceptanceInterval(lo: 0, hi: 1, hiClosed: true).intersection(b)?.description, "[1, 1]")
    }

    func testClaimCheckInterval() {
        let rule = AcceptanceRule.interval(PrintedNumber("3,86")!.roundingInterval)
        XCTAssertTrue(ClaimCheck.check(rule, computed: .value(3.8551)).passed)
        let fail = ClaimCheck.check(rule, computed: .value(3.87))
        XCTAssertFalse(fail.passed)
        XCTAssertEqual(fail.reason, "3.87 ∉ [3.855, 3.865)")
        let multi = ClaimCheck.check(.interval(AcceptanceInterval(lo: 69.5, hi: 84.5)),
                                     computed: .values(["a": 70, "b": 85]))
        XCTAssertFalse(multi.passed); XCTAssertEqual(multi.reason, "b = 85 ∉ [69.5, 84.5)")
    }

    func testClaimCheckDirectionAndSignificance() {
        let a = ClaimOperand(label: "statlig", group: "statlig"), b = ClaimOperand(label: "kommunal", group: "kommunal")
        XCTAssertTrue(ClaimCheck.check(.direction(relation: .greater, a: a, b: b, tolerance: nil),
                                       computed: .comparison(a: 3.9, b: 3.5)).passed)
        XCTAssertFalse(ClaimCheck.check(.direction(relation: .greater, a: a, b: b, tolerance: nil),
                                        computed: .comparison(a: 3.5, b: 3.5)).passed, "strict")
        XCTAssertTrue(ClaimCheck.check(.direction(relation: .similar, a: a, b: b, tolerance: 3),
                                       computed: .comparison(a: 40, b: 43)).passed)
        let sig3 = AcceptanceRule.significance(test: .twoSampleT, alpha: 0.05, significant: true, stars: "***", a: a, b: b)
        XCTAssertTrue(ClaimCheck.check(sig3, computed: .test(pValue: 0.0004)).passed)
        XCTAssertFalse(ClaimCheck.check(sig3, computed: .test(pValue: 0.004)).passed, "*** needs p < .001")
        let ns = AcceptanceRule.significance(test: .anova, alpha: 0.05, significant: false, stars: nil, a: nil, b: nil)
        XCTAssertTrue(ClaimCheck.check(ns, computed: .test(pValue: 0.306)).passed)
        XCTAssertFalse(ClaimCheck.check(ns, computed: .test(pValue: 0.01)).passed)
    }
}
