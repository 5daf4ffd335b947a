// JSON forms of the statistics, in the public schema of the CLI (issue 2, README "JSON output"): snake_case keys,
// numbers as JSON numbers, `null` where undefined (NaN/inf). The keys the schema requires come first; extra keys
// (effect sizes, notes) follow and may be added to, never renamed.

extension SampleSummary {
    func jsonValue(name: String) -> JSONValue {
        ["name": .string(name), "n": .number(n), "mean": .number(mean), "sd": .number(sd)]
    }
}

extension DescriptiveStatistics {
    /// `name`, `n`, `missing`, `mean`, `sd`, `min`, `max`, then `se`, `median`, `sum_weights`, `weight_kind`.
    public func jsonValue(name: String) -> JSONValue {
        ["name": .string(name), "n": .integer(n), "missing": .integer(missing), "mean": .number(mean),
         "sd": .number(standardDeviation), "min": .number(min), "max": .number(max), "se": .number(standardError),
         "median": .number(median), "sum_weights": .number(sumOfWeights),
         "weight_kind": weightKind.map { .string($0.rawValue) } ?? .null]
    }
}

private func tJSON(_ t: any TTest, meanDifference: Bool, groups: [JSONValue], extra: [JSONValue.Member] = []) -> JSONValue {
    let ci = t.confidenceInterval(level: 0.95)
    var members: [JSONValue.Member] = [
        .init("test", .string(t.testName)), .init("t", .number(t.statistic)), .init("df", .number(t.df)),
        .init("p", .number(t.pValue)),
        .init(meanDifference ? "mean_difference" : "mean", .number(t.estimate)),
        .init("ci", .numbers([ci.lower, ci.upper])), .init("groups", .array(groups)),
        .init("null_value", .number(t.nullValue)), .init("std_error", .number(t.standardError)),
        .init("cohens_d", .number(t.cohensD)), .init("hedges_g", .number(t.hedgesG)),
    ]
    members += extra
    return .object(members)
}

extension OneSampleTTest {
    /// `t`, `df`, `p`, `mean`, `ci`, `groups` (one entry), `null_value`, `std_error`, `cohens_d`, `hedges_g`.
    public func jsonValue(name: String = "sample") -> JSONValue {
        tJSON(self, meanDifference: false, groups: [sample.jsonValue(name: name)])
    }
}

extension EqualVarianceTTest {
    /// `t`, `df`, `p`, `mean_difference`, `ci` [lo, hi], `groups` [{name, n, mean, sd}], effect sizes, `pooled_sd`.
    public var jsonValue: JSONValue {
        tJSON(self, meanDifference: true, groups: [sample1.jsonValue(name: groupNames[0]), sample2.jsonValue(name: groupNames[1])],
              extra: [.init("pooled_sd", .number(pooledSD))])
    }
}

extension UnequalVarianceTTest {
    /// As `EqualVarianceTTest.jsonValue`, with Welch–Satterthwaite `df`.
    public var jsonValue: JSONValue {
        tJSON(self, meanDifference: true, groups: [sample1.jsonValue(name: groupNames[0]), sample2.jsonValue(name: groupNames[1])])
    }
}

extension PairedTTest {
    public var jsonValue: JSONValue {
        tJSON(self, meanDifference: true, groups: [differences.jsonValue(name: "difference")],
              extra: [.init("dropped_pairs", .integer(droppedPairs))])
    }
}

extension OneWayANOVA {
    /// `f`, `df1`, `df2`, `p`, `ss_between`, `ss_within`, `r_squared`, then `ms_*`, `eta_squared`, `omega_squared`,
    /// `groups`, `notes`.
    public var jsonValue: JSONValue {
        ["test": .string(testName), "f": .number(f), "df1": .number(dfBetween), "df2": .number(dfWithin),
         "p": .number(pValue), "ss_between": .number(ssBetween), "ss_within": .number(ssWithin),
         "r_squared": .number(rSquared), "ms_between": .number(msBetween), "ms_within": .number(msWithin),
         "eta_squared": .number(etaSquared), "omega_squared": .number(omegaSquared),
         "groups": .array(zip(groupNames, groups).map { $1.jsonValue(name: $0) }), "notes": .strings(notes)]
    }
}

extension WelchANOVA {
    /// `f`, `df1`, `df2`, `p`, then `n`, `omega_squared`, `groups`, `notes`.
    public var jsonValue: JSONValue {
        ["test": .string(testName), "f": .number(f), "df1": .number(dfBetween), "df2": .number(dfWithin),
         "p": .number(pValue), "n": .number(n), "omega_squared": .number(omegaSquared),
         "groups": .array(zip(groupNames, groups).map { $1.jsonValue(name: $0) }),
         "notes": .strings(notes)]
    }
}

extension CrossTab {
    /// `counts`, `row_labels`, `column_labels`, `chi2`, `df`, `p`, `g2`, `cramers_v`, then `g2_p`, `expected`,
    /// `n`, `missing`, `cells_expected_below_5`, `min_expected`, `warning`, `notes`.
    public var jsonValue: JSONValue {
        ["counts": .array(counts.map { .numbers($0) }), "row_labels": .strings(rowLabels),
         "column_labels": .strings(columnLabels), "chi2": .number(chiSquare), "df": .number(df), "p": .number(pValue),
         "g2": .number(gSquare), "cramers_v": .number(cramersV), "g2_p": .number(gSquarePValue),
         "expected": .array(expected.map { .numbers($0) }), "n": .number(total), "missing": .integer(missing),
         "cells_expected_below_5": .integer(cellsWithExpectedBelow5), "min_expected": .number(minimumExpected),
         "warning": expectedCountWarning.map { .string($0) } ?? .null, "notes": .strings(notes)]
    }
}

extension ProportionZTest {
    /// `z`, `p`, `estimates` [p̂], then `p0`, `n`, `ci` (Wilson), `cohens_h`, `variance`.
    public var jsonValue: JSONValue {
        let ci = confidenceInterval()
        return ["test": .string(testName), "z": .number(z), "p": .number(pValue), "estimates": .numbers([proportion]),
                "p0": .number(nullProportion), "n": .number(n), "ci": .numbers([ci.lower, ci.upper]),
                "cohens_h": .number(cohensH), "variance": .string(variance.rawValue)]
    }
}

extension TwoSampleProportionZTest {
    /// `z`, `p`, `estimates` [p₁, p₂], then `n` [n₁, n₂], `difference`, `ci` (Wald), `pooled`, `cohens_h`.
    public var jsonValue: JSONValue {
        let ci = confidenceInterval()
        return ["test": .string(testName), "z": .number(z), "p": .number(pValue),
                "estimates": .numbers([proportion1, proportion2]), "n": .numbers([n1, n2]),
                "difference": .number(difference), "ci": .numbers([ci.lower, ci.upper]), "pooled": .bool(pooled),
                "cohens_h": .number(cohensH)]
    }
}

extension LikertSummary {
    /// `n`, `missing`, `mean`, `sd`, `se`, `median`, `scale`, `counts`, `percent`, `percent_of_all`, `top_box`,
    /// `bottom_box`, `system_missing`, `missing_by_code`, `out_of_scale`, `zero_weight`, `notes`.
    public func jsonValue(name: String) -> JSONValue {
        ["name": .string(name), "n": .integer(n), "missing": .integer(missing), "mean": .number(mean),
         "sd": .number(standardDeviation), "se": .number(standardError), "median": .number(median),
         "scale": .numbers(scale), "labels": .array(labels.map { $0.map { .string($0) } ?? .null }),
         "counts": countsJSON, "percent": .numbers(percent), "percent_of_all": .numbers(percentOfAll),
         "top_box": .number(topBox), "bottom_box": .number(bottomBox), "system_missing": .integer(systemMissing),
         "missing_by_code": .array(missingByCode.keys.sorted().map { ["code": .number($0), "n": .integer(missingByCode[$0]!)] }),
         "out_of_scale": .integer(outOfScale), "zero_weight": .integer(zeroWeight), "notes": .strings(notes)]
    }
}

extension LikertSummary {
    /// Counts as crosstab gives them: unweighted, integers (`17`, not `17.0`); weighted, Σw as numbers (they may be
    /// fractional), `null` where Σw is not a double.
    var countsJSON: JSONValue {
        guard weightKind == nil else { return .numbers(counts) }
        return .array(counts.map { $0 == $0.rounded() && abs($0) < 9.007_199_254_740_992e15 ? .integer(Int($0)) : .number($0) })
    }
}

extension FisherExactTest {
    /// `counts` (the 2×2 table), `p` (two-sided), then `p_greater`, `p_less`, `odds_ratio` (sample),
    /// `conditional_odds_ratio` (conditional MLE).
    public var jsonValue: JSONValue {
        ["test": .string(testName), "counts": .array(table.map { .array($0.map { .integer($0) }) }),
         "p": .number(pValue), "p_greater": .number(pValue(tail: .right)), "p_less": .number(pValue(tail: .left)),
         "odds_ratio": .number(oddsRatio), "conditional_odds_ratio": .number(conditionalOddsRatio)]
    }
}

extension LikelihoodRatioTest {
    /// `g2`, `df`, `p`.
    public var jsonValue: JSONValue {
        ["test": .string(testName), "g2": .number(statistic), "df": .number(df), "p": .number(pValue)]
    }
}

extension OverallFTest {
    /// `f`, `df1`, `df2`, `p`, then `r_squared` (F·df₁/(F·df₁ + df₂); see `rSquared`).
    public var jsonValue: JSONValue {
        ["test": .string(testName), "f": .number(statistic), "df1": .integer(df1), "df2": .integer(df2),
         "p": .number(pValue), "r_squared": .number(rSquared)]
    }
}

extension FTestSummary {
    /// `f`, `df1`, `df2`, `p`, then `r_squared` (implied), `adjusted_r_squared`.
    public var jsonValue: JSONValue {
        ["test": .string(testName), "f": .number(statistic), "df1": .number(df1), "df2": .number(df2),
         "p": .number(pValue), "r_squared": .number(rSquared), "adjusted_r_squared": .number(adjustedRSquared)]
    }
}

extension TTestSummary {
    /// `t`, `df`, `p` (two-sided), then `p_greater`, `p_less`, `r` (implied effect-size correlation).
    public var jsonValue: JSONValue {
        ["test": .string(testName), "t": .number(statistic), "df": .number(df), "p": .number(pValue),
         "p_greater": .number(pValue(tail: .right)), "p_less": .number(pValue(tail: .left)), "r": .number(effectSizeR)]
    }
}

extension ZTestSummary {
    /// `z`, `p` (two-sided), then `p_greater`, `p_less`.
    public var jsonValue: JSONValue {
        ["test": .string(testName), "z": .number(statistic), "p": .number(pValue),
         "p_greater": .number(pValue(tail: .right)), "p_less": .number(pValue(tail: .left))]
    }
}

extension ChiSquaredTestSummary {
    /// `chi2`, `df`, `p` (upper tail).
    public var jsonValue: JSONValue {
        ["test": .string(testName), "chi2": .number(statistic), "df": .number(df), "p": .number(pValue)]
    }
}

extension CorrelationTestSummary {
    /// `r`, `n`, `t`, `df`, `p` (two-sided).
    public var jsonValue: JSONValue {
        ["test": .string(testName), "r": .number(r), "n": .number(n), "t": .number(statistic), "df": .number(df),
         "p": .number(pValue)]
    }
}
