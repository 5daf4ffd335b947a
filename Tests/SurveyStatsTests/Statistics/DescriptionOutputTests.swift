import XCTest
@testable import SurveyStats

/// Every result prints uniformly: name line first, then the statistic with df and p, then CI / effect sizes.
final class DescriptionOutputTests: XCTestCase {
    func testUniformDescriptions() throws {
        let outputs: [String] = [
            try OneSampleTTest(n: 104, mean: 3.86, sd: 0.9, mu0: 3.5).description,
            try EqualVarianceTTest(mean1: 3.86, sd1: 0.9, n1: 104, mean2: 3.52, sd2: 1.1, n2: 150).description,
            try UnequalVarianceTTest(mean1: 3.86, sd1: 0.9, n1: 104, mean2: 3.52, sd2: 1.1, n2: 150).description,
            try OneWayANOVA(summaries: [SampleSummary(n: 104, mean: 3.86, sd: 0.9), SampleSummary(n: 150, mean: 3.52, sd: 1.1),
                                        SampleSummary(n: 0, mean: 0, sd: 0)], names: ["ordfører", "rådmann", "leder"]).description,
            try WelchANOVA(summaries: [SampleSummary(n: 104, mean: 3.86, sd: 0.9), SampleSummary(n: 150, mean: 3.52, sd: 1.1)]).description,
            try TwoSampleProportionZTest(percent1: 74, n1: 104, percent2: 56, n2: 150).description,
            try ProportionZTest(percent: 74, n: 104, p0Percent: 56).description,
            try CrossTab(counts: [[3, 1], [2, 6]], rowLabels: ["statlig", "kommunal"], columnLabels: ["ja", "nei"]).description,
            try FisherExactTest(a: 3, b: 1, c: 2, d: 6).description,
            try FTestSummary(f: 21, df1: 8, df2: 180).description,
            try LikertSummary(values: [1, 2, 4, 5, 5, 9, .nan], scale: [1, 2, 3, 4, 5], missingCodes: [9]).description,
            DescriptiveStatistics([1, 2, 3, 4]).description,
        ]
        for o in outputs {
            print(o)
            XCTAssertFalse(o.isEmpty)
            XCTAssertFalse(o.contains("Optional("), o)
        }
        XCTAssertTrue(outputs[3].contains("note: group 'leder' has no observations"))
        XCTAssertTrue(outputs[7].contains("warning: 4 of 4 cells"))
        XCTAssertTrue(outputs[10].contains("missing code 9: 1"))
        XCTAssertTrue(outputs[10].contains("3: 0 (0.0 %)"))
    }
}
