import XCTest
@testable import SurveyReport

final class SurveyReportLayerTests: XCTestCase {
    func testSignificanceStarsFollowTheReport() {
        XCTAssertEqual(significanceStars(0.0004), "***")
        XCTAssertEqual(significanceStars(0.004), "**")
        XCTAssertEqual(significanceStars(0.04), "*")
        XCTAssertEqual(significanceStars(0.06), "")
    }
}
