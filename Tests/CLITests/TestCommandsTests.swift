import Foundation
import XCTest

/// ttest, anova, crosstab and prop-test JSON against scipy 1.17.1 / statsmodels 0.15.0
/// (scripts/reference/cli_examples.py; the exact calls are listed there).
final class TestCommandsTests: XCTestCase {
    private func checkTTest(_ json: [String: Any], _ key: String, groups: Bool = true) {
        assertClose(double(json["t"]), Example.refDouble("ttest", key, "t"), "\(key) t")
        assertClose(double(json["df"]), Example.refDouble("ttest", key, "df"), "\(key) df")
        assertClose(double(json["p"]), Example.refDouble("ttest", key, "p"), "\(key) p")
        assertClose(double(json["mean_difference"]), Example.refDouble("ttest", key, "mean_difference"), "\(key) diff")
        assertClose(doubles(json["ci"]), Example.refDoubles("ttest", key, "ci"), "\(key) CI")
    }

    func testStudentAndWelch() throws {
        for (key, extra) in [("student", [String]()), ("welch", ["--welch"])] {
            let json = try runJSON(["ttest", "--data", Example.csv, "--no-codebook", "samarbeid", "--by", "sektor"] + extra)
            checkTTest(json, key)
            let groups = try XCTUnwrap(json["groups"] as? [[String: Any]])
            XCTAssertEqual(groups.map { $0["name"] as? String }, ["kommunal", "statlig"])
            XCTAssertEqual(groups.map { $0["n"] as? Int }, [35, 23])
            assertClose(groups.map { double($0["mean"]) }, Example.refDoubles("ttest", key, "mean"), "\(key) means")
            assertClose(groups.map { double($0["sd"]) }, Example.refDoubles("ttest", key, "sd"), "\(key) SDs")
            XCTAssertEqual(json["n_used"] as? Int, 58)
            XCTAssertEqual(json["n_missing"] as? Int, 2)
        }
    }

    func testPairedAndOneSample() throws {
        checkTTest(try runJSON(["ttest", "--data", Example.csv, "--no-codebook", "--paired", "samarbeid", "likeverd"]), "paired")
        checkTTest(try runJSON(["ttest", "--data", Example.csv, "--no-codebook", "samarbeid", "--mu", "3"]), "one_sample")
    }

    func testFromSummariesEqualsFromData() throws {
        for (key, extra) in [("student", [String]()), ("welch", ["--welch"])] {
            let m = Example.refDoubles("ttest", key, "mean"), s = Example.refDoubles("ttest", key, "sd")
            let n = Example.refDoubles("ttest", key, "n").map { String(Int($0)) }
            let json = try runJSON(["ttest", "--mean1", "\(m[0])", "--sd1", "\(s[0])", "--n1", n[0],
                                    "--mean2", "\(m[1])", "--sd2", "\(s[1])", "--n2", n[1]] + extra)
            checkTTest(json, key)
            XCTAssertTrue(json["data"] is NSNull)
        }
    }

    func testANOVAClassicAndWelch() throws {
        let json = try runJSON(["anova", "--data", Example.csv, "--no-codebook", "samarbeid", "--by", "rolle"])
        for key in ["f", "p", "ss_between", "ss_within", "r_squared"] {
            assertClose(double(json[key]), Example.refDouble("anova", "classic", key), "anova \(key)")
        }
        XCTAssertEqual(double(json["df1"]), 4)
        XCTAssertEqual(double(json["df2"]), 54)
        let welch = try runJSON(["anova", "--data", Example.csv, "--no-codebook", "samarbeid", "--by", "rolle", "--welch"])
        for key in ["f", "df1", "df2", "p"] {
            assertClose(double(welch[key]), Example.refDouble("anova", "welch", key), "welch \(key)")
        }
        XCTAssertEqual(welch["welch"] as? Bool, true)
    }

    /// Values near 1e300: text output shows scientific notation (it printed 300-digit integers), the sums of squares
    /// (≈ 1e600, beyond double) show as ∞ with a note, and F and η² are right. Reference, exact in fractions.Fraction:
    /// groups [1e300, −1e300], [1e300, 1.1e300] → F = SSB/(SSW/2) = 1.0997506234413965, η² = 0.35478680611423974.
    func testANOVAAndDescribeOfValuesNear1e300() throws {
        let csv = try temporaryCSV("y,g\n1e300,a\n-1e300,a\n1e300,b\n1.1e300,b\n", name: "huge.csv")
        let json = try runJSON(["anova", "--data", csv, "--no-codebook", "y", "--by", "g"])
        assertClose(double(json["f"]), 1.0997506234413965, tol: 1e-14, "F")
        assertClose(double(json["r_squared"]), 0.35478680611423974, tol: 1e-14, "η²")
        let text = try CLI.run(["anova", "--data", csv, "--no-codebook", "y", "--by", "g"])
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.stdout.contains("1.414e+300"), text.stdout)  // SD of group a
        XCTAssertTrue(text.stdout.contains("exceed the double range"), text.stdout)
        let describe = try CLI.run(["describe", "--data", csv, "--no-codebook", "y"])
        XCTAssertTrue(describe.stdout.contains("5.250e+299") && describe.stdout.contains("-1.000e+300"), describe.stdout)
        XCTAssertFalse(describe.stdout.contains("000000000000000000"), describe.stdout)
    }

    /// Both groups without variation: Welch reports what Student does (t = ∞ → null in JSON, p = 0, CI [2, 2]) with
    /// df null and a warning, instead of nulls everywhere. scipy 1.17.1: ttest_ind([5, 5], [3, 3], equal_var=False)
    /// → inf, 0.0, CI (2.0, 2.0).
    func testWelchWithoutVariationMatchesStudent() throws {
        let csv = try temporaryCSV("y,g\n5,a\n5,a\n3,b\n3,b\n", name: "zv.csv")
        for extra in [[], ["--welch"]] {
            let json = try runJSON(["ttest", "--data", csv, "--no-codebook", "y", "--by", "g"] + extra)
            XCTAssertEqual(double(json["p"]), 0, "\(extra)")
            XCTAssertEqual(doubles(json["ci"]), [2, 2], "\(extra)")
            XCTAssertEqual(double(json["std_error"]), 0, "\(extra)")
            XCTAssertEqual((json["warnings"] as? [String])?.count, 1, "\(extra)")
            XCTAssertEqual(json["df"] is NSNull, extra == ["--welch"], "\(extra)")
        }
        let text = try CLI.run(["ttest", "--data", csv, "--no-codebook", "y", "--by", "g", "--welch"])
        XCTAssertTrue(text.stdout.contains("t = ∞ and p is 0") && text.stdout.contains("0/0"), text.stdout)
    }

    func testCrosstab() throws {
        let json = try runJSON(["crosstab", "--data", Example.csv, "--no-codebook", "rolle", "sektor"])
        XCTAssertEqual(json["counts"] as? [[Int]], Example.ref("crosstab", "counts") as? [[Int]])
        XCTAssertEqual(json["row_labels"] as? [String], Example.ref("crosstab", "row_labels") as? [String])
        XCTAssertEqual(json["column_labels"] as? [String], Example.ref("crosstab", "column_labels") as? [String])
        for key in ["chi2", "p", "g2", "cramers_v"] {
            assertClose(double(json[key]), Example.refDouble("crosstab", key), "crosstab \(key)")
        }
        assertClose(double(json["g2_p"]), Example.refDouble("crosstab", "p_g2"), "crosstab G² p")
        XCTAssertEqual(double(json["df"]), Example.refDouble("crosstab", "df"))
        XCTAssertEqual((json["warnings"] as? [String])?.count, 1, "expected counts < 5 warning")
        XCTAssertLessThan(double(json["expected_min"]), 5)
    }

    func testPropTestForms() throws {
        let summary = try runJSON(["prop-test", "--p1", "0.74", "--n1", "104", "--p2", "0.56", "--n2", "150"])
        assertClose(double(summary["z"]), Example.refDouble("prop_test", "two_sample_summary", "z"), "z")
        assertClose(double(summary["p"]), Example.refDouble("prop_test", "two_sample_summary", "p"), "p")
        assertClose(doubles(summary["estimates"]), [0.74, 0.56], "estimates")

        let counts = try runJSON(["prop-test", "--x1", "77", "--n1", "104", "--x2", "84", "--n2", "150"])
        assertClose(double(counts["z"]), Example.refDouble("prop_test", "two_sample_counts", "z"), "z counts")
        assertClose(double(counts["p"]), Example.refDouble("prop_test", "two_sample_counts", "p"), "p counts")

        let one = try runJSON(["prop-test", "--x1", "30", "--n1", "50", "--p0", "0.5"])
        assertClose(double(one["z"]), Example.refDouble("prop_test", "one_sample", "z"), "z one")
        assertClose(double(one["p"]), Example.refDouble("prop_test", "one_sample", "p"), "p one")
    }

    /// --alternative gives the one-sided interval (as ttest does), its open end at the edge of the range. References
    /// (statsmodels 0.15.0, scripts/bench/.venv): the one-sided 95 % bound is the two-sided 90 % one —
    /// proportion_confint(30, 50, alpha=0.10, method='wilson')[0] = 0.483752705935233;
    /// confint_proportions_2indep(77, 104, 84, 150, method='wald', compare='diff', alpha=0.10)[1] = 0.2775687439711735.
    func testPropTestOneSidedInterval() throws {
        let one = try runJSON(["prop-test", "--x1", "30", "--n1", "50", "--p0", "0.5", "--alternative", "greater"])
        assertClose(doubles(one["ci"]), [0.483752705935233, 1], tol: 1e-13, "one-sample greater")
        let two = try runJSON(["prop-test", "--x1", "77", "--n1", "104", "--x2", "84", "--n2", "150", "--alternative", "less"])
        assertClose(doubles(two["ci"]), [-1, 0.2775687439711735], tol: 1e-13, "two-sample less")
        let text = try CLI.run(["prop-test", "--x1", "30", "--n1", "50", "--p0", "0.5", "--alternative", "greater"])
        XCTAssertTrue(text.stdout.contains("one-sided (greater): the upper end is 1"), text.stdout)
        XCTAssertTrue(text.stdout.contains("one-sided p and interval"), text.stdout)
        // No successes: the Wilson lower end is 0 exactly (it was 1.4e-17); statsmodels gives (0.0, 0.1611251580528194).
        let zero = try runJSON(["prop-test", "--x1", "0", "--n1", "20", "--p0", "0.5"])
        XCTAssertEqual(doubles(zero["ci"])[0], 0)
        assertClose(doubles(zero["ci"])[1], 0.1611251580528194, tol: 1e-13, "0 of 20 upper")
    }

    func testPropTestCountMustBeWhole() throws {
        for option in ["--x1", "--x2"] {
            var args = ["prop-test", "--x1", "5", "--n1", "10", "--x2", "4", "--n2", "10"]
            args[args.firstIndex(of: option)! + 1] = "5.5"
            let r = try CLI.run(args)
            XCTAssertEqual(r.status, 2, "\(option): \(r.stdout)")
            XCTAssertTrue(r.stderr.contains("\(option) 5.5") && r.stderr.contains("whole number"), r.stderr)
        }
        // A proportion may still imply a fractional count (a rounded published percentage): 0.55 × 11 = 6.05.
        let p = try CLI.run(["prop-test", "--p1", "0.55", "--n1", "11", "--p0", "0.5"])
        XCTAssertEqual(p.status, 0, p.stderr)
        XCTAssertTrue(p.stdout.contains("not a whole number"), p.stdout)
    }

    func testPropTestFromDataCountsSuccesses() throws {
        // tillit == 5 by sektor, checked against counts taken by the CLI's own crosstab.
        let json = try runJSON(["prop-test", "--data", Example.csv, "--no-codebook", "tillit", "--success", "5", "--by", "sektor"])
        let tab = try runJSON(["crosstab", "--data", Example.csv, "--no-codebook", "sektor", "tillit"])
        let counts = try XCTUnwrap(tab["counts"] as? [[Int]])
        let col5 = try XCTUnwrap((tab["column_labels"] as? [String])?.firstIndex(of: "5"))
        XCTAssertEqual(json["successes"] as? [Int], counts.map { $0[col5] })
        XCTAssertEqual(json["n"] as? [Int], counts.map { $0.reduce(0, +) })
        XCTAssertEqual(json["groups"] as? [String], ["kommunal", "statlig"])
    }
}

/// `--weight`: weighted crosstab counts (pandas, scipy) and weighted mean/SD (statsmodels DescrStatsW).
final class WeightedAnalysesTests: XCTestCase {
    func testWeightedCrosstab() throws {
        let json = try runJSON(["crosstab", "--data", Example.csv, "--no-codebook", "rolle", "sektor", "--weight", "vekt"])
        let counts = try XCTUnwrap(json["counts"] as? [[Any]])
        let ref = try XCTUnwrap(Example.ref("weighted", "crosstab", "counts") as? [[NSNumber]])
        for (row, refRow) in zip(counts, ref) {
            assertClose(row.map { double($0) }, refRow.map(\.doubleValue), tol: 1e-13, "weighted counts")
        }
        assertClose(double(json["chi2"]), Example.refDouble("weighted", "crosstab", "chi2"), "weighted χ²")
        assertClose(double(json["p"]), Example.refDouble("weighted", "crosstab", "p"), "weighted p")
        XCTAssertEqual(json["weight"] as? String, "vekt")
    }

    func testWeightedDescribe() throws {
        let json = try runJSON(["describe", "--data", Example.csv, "--no-codebook", "samarbeid", "--weight", "vekt"])
        let v = try XCTUnwrap((json["variables"] as? [[String: Any]])?.first)
        assertClose(double(v["mean"]), Example.refDouble("weighted", "describe_samarbeid", "mean"), tol: 1e-13, "weighted mean")
        assertClose(double(v["sd"]), Example.refDouble("weighted", "describe_samarbeid", "sd"), tol: 1e-12, "weighted SD")
        assertClose(double(v["sum_of_weights"]), Example.refDouble("weighted", "describe_samarbeid", "sum_of_weights"),
                    tol: 1e-13, "Σw")
    }

    func testUnweightedTestsRefuseWeights() throws {
        let r = try CLI.run(["ttest", "--data", Example.csv, "--no-codebook", "samarbeid", "--by", "sektor", "--weight", "vekt"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("--weight"), r.stderr)
    }

    /// Six respondents, each with the same weight `w`: x on a 1–3 scale, two groups g, a response y.
    private func equalWeights(_ w: String) throws -> String {
        try temporaryCSV("x,g,y,w\n1,1,2.5,\(w)\n2,1,3.5,\(w)\n3,2,4,\(w)\n2,2,1,\(w)\n1,1,2,\(w)\n3,2,5,\(w)\n", name: "huge.csv")
    }

    /// Frequency weights whose total is beyond double's range (6 × 1e308): likert, crosstab and describe stop with
    /// one line naming the file, the weight and the variable (exit 2), not inf/NaN cells.
    func testFrequencyWeightTotalBeyondDoubleRangeIsAnError() throws {
        let data = try equalWeights("1e308")
        let tail = "sum to more than 1.8e308, which is not a representable count; "
        let kinds = "use --weight-kind analytic or probability (weights that are not counts), or rescale the weights\n"
        for (command, analysed, remedy) in [(["likert", "x", "--scale", "1-3"], "'x'", kinds),
                                            (["likert", "x", "--scale", "1-3", "--by", "g"], "'x'", kinds),
                                            (["crosstab", "x", "g"], "'x' × 'g'", "rescale the weights (χ² treats them as counts)\n"),
                                            (["describe", "y"], "'y'", kinds)] {
            let r = try CLI.run(command + ["--data", data, "--no-codebook", "--weight", "w"])
            XCTAssertEqual(r.status, 2, "\(command)")
            XCTAssertEqual(r.stdout, "", "\(command)")
            XCTAssertEqual(r.stderr, "surveystats: error: \(data): weight variable 'w': the frequency weights of the rows used for "
                           + analysed + " " + tail + remedy, "\(command)")
        }
    }

    /// Analytic and probability weights are not counts: with a total beyond double's range the results are those of
    /// equal unit weights (likert, describe); regress's WLS is invariant too; the unweighted tests refuse --weight.
    func testWeightsBeyondDoubleRangeThatAreNotCountsGiveTheUnitWeightResult() throws {
        let huge = try equalWeights("1e308"), unit = try equalWeights("1")
        for kind in ["analytic", "probability"] {
            let args = ["--no-codebook", "--weight", "w", "--weight-kind", kind]
            let l = try XCTUnwrap((try runJSON(["likert", "x", "--scale", "1-3", "--data", huge] + args)["items"] as? [[String: Any]])?.first)
            let lu = try XCTUnwrap((try runJSON(["likert", "x", "--scale", "1-3", "--data", unit] + args)["items"] as? [[String: Any]])?.first)
            XCTAssertEqual(double(l["mean"]), 2)
            assertClose(double(l["sd"]), 0.8.squareRoot(), tol: 1e-14, "likert SD \(kind)")  // 6/5 · Σ(x − 2)²/6
            assertClose(double(l["se"]), double(lu["se"]), tol: 1e-13, "likert SE \(kind)")
            assertClose(doubles(l["percent"]), [100.0 / 3, 100.0 / 3, 100.0 / 3], tol: 1e-14, "likert percent \(kind)")
            // Σw per point (2e308) is not a double: null, not the internally rescaled sum.
            XCTAssertEqual((l["counts"] as? [Any])?.allSatisfy { $0 is NSNull }, true, "\(l["counts"] ?? "")")
            let d = try XCTUnwrap((try runJSON(["describe", "y", "--data", huge] + args)["variables"] as? [[String: Any]])?.first)
            let du = try XCTUnwrap((try runJSON(["describe", "y", "--data", unit] + args)["variables"] as? [[String: Any]])?.first)
            XCTAssertEqual(double(d["mean"]), 3)
            for key in ["sd", "se"] { assertClose(double(d[key]), double(du[key]), tol: 1e-13, "describe \(key) \(kind)") }
        }
        let fit = try runJSON(["regress", "y ~ x", "--data", huge, "--no-codebook", "--weight", "w"])
        let ols = try runJSON(["regress", "y ~ x", "--data", huge, "--no-codebook"])
        assertClose(double(fit["r_squared"]), double(ols["r_squared"]), tol: 1e-13, "R² with equal huge weights = OLS")
        let b = (fit["coefficients"] as? [[String: Any]])?.map { double($0["estimate"]) } ?? []
        let bOLS = (ols["coefficients"] as? [[String: Any]])?.map { double($0["estimate"]) } ?? []
        assertClose(b, bOLS, tol: 1e-13, "WLS estimates")
        for command in [["ttest", "y", "--by", "g"], ["anova", "y", "--by", "g"], ["prop-test", "x", "--success", "1", "--p0", "0.5"]] {
            let r = try CLI.run(command + ["--data", huge, "--no-codebook", "--weight", "w"])
            XCTAssertEqual(r.status, 2, "\(command)")
            XCTAssertTrue(r.stderr.contains("does not support --weight"), r.stderr)
        }
    }

    /// Frequency weights of 1e200 (total 6e200, representable): χ² is N times that of unit weights (r·c/N and
    /// (o − e)² no longer overflow), Cramér's V the same; describe's SD is √(Σw(y − ȳ)²/Σw) = √(10.5/6).
    func testFrequencyWeightsOfExtremeSizeGiveFiniteResults() throws {
        let data = try equalWeights("1e200")
        let tab = try runJSON(["crosstab", "x", "g", "--data", data, "--no-codebook", "--weight", "w"])
        assertClose(double(tab["chi2"]), 4e200, tol: 1e-13, "χ²")
        assertClose(double(tab["cramers_v"]), (2.0 / 3).squareRoot(), tol: 1e-13, "V = √(χ²/(N·1))")
        XCTAssertEqual(double(tab["p"]), 0)
        assertClose(double(tab["n"]), 6e200, tol: 1e-15, "N")
        let l = try XCTUnwrap((try runJSON(["likert", "x", "--scale", "1-3", "--data", data, "--no-codebook", "--weight", "w"])["items"] as? [[String: Any]])?.first)
        assertClose(double(l["sd"]), (2.0 / 3).squareRoot(), tol: 1e-14, "likert SD, Σw − 1 = Σw")
        assertClose(doubles(l["counts"]), [2e200, 2e200, 2e200], tol: 1e-15, "Σw per point")
        let d = try XCTUnwrap((try runJSON(["describe", "y", "--data", data, "--no-codebook", "--weight", "w"])["variables"] as? [[String: Any]])?.first)
        assertClose(double(d["sd"]), (10.5 / 6).squareRoot(), tol: 1e-13, "describe SD")
    }
}

/// Numeric options: negative values parse, non-finite values are refused naming the option.
final class NumericOptionTests: XCTestCase {
    func testNegativeValuesAreValues() throws {
        // stats.ttest_1samp-style from a summary: t = (−3 − 0)/(1/√3) → -5.196152422706632
        let one = try runJSON(["ttest", "--mean1", "-3", "--sd1", "1", "--n1", "3"])
        assertClose(double(one["t"]), -5.196152422706632, tol: 1e-13, "t from --mean1 -3")
        let r = try CLI.run(["ttest", "--data", Example.csv, "--no-codebook", "samarbeid", "--mu", "-1"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("mean(samarbeid) − (−1)"), r.stdout)
        let csv = try temporaryCSV("y\n1\n-99\n3\n4\n")
        let na = try runJSON(["describe", "--data", csv, "y", "--na", "-99"])
        XCTAssertEqual((na["variables"] as? [[String: Any]])?.first?["n"] as? Int, 3)
    }

    func testNonFiniteValuesAreRefused() throws {
        for (option, value) in [("--mu", "nan"), ("--mu", "inf"), ("--sd1", "nan")] {
            var args = ["ttest", "--mean1", "1", "--sd1", "1", "--n1", "5"]
            if option == "--sd1" { args[4] = value } else { args += [option, value] }
            let r = try CLI.run(args)
            XCTAssertEqual(r.status, 2, "\(option) \(value): \(r.stdout)")
            XCTAssertTrue(r.stderr.contains(option) && r.stderr.contains("finite"), r.stderr)
        }
        let p = try CLI.run(["prop-test", "--p1", "nan", "--n1", "10", "--p0", "0.5"])
        XCTAssertEqual(p.status, 2); XCTAssertTrue(p.stderr.contains("--p1"), p.stderr)
        let big = try CLI.run(["prop-test", "--p1", "150", "--n1", "10", "--p0", "0.5"])
        XCTAssertEqual(big.status, 2); XCTAssertTrue(big.stderr.contains("between 0 and 1"), big.stderr)
    }

    func testWelchDegreesOfFreedomFromTinySummaries() throws {
        // a=1/5; b=1/6; (a+b)**2/(a*a/4+b*b/5) → 8.642857142857144 whatever the SDs' scale
        for sd in ["1e-90", "1e80"] {
            let json = try runJSON(["ttest", "--mean1", "1", "--sd1", sd, "--n1", "5", "--mean2", "0", "--sd2", sd, "--n2", "6", "--welch"])
            assertClose(double(json["df"]), 8.642857142857144, tol: 1e-13, "Welch df at SD \(sd)")
            XCTAssertFalse(json["p"] is NSNull)
        }
    }
}

/// Notes and messages that say what was computed (QA's cosmetic findings).
final class AnalysisNotesTests: XCTestCase {
    func testANOVACountsGroupsAndShowsNoSDForOneObservation() throws {
        let one = try temporaryCSV("y,g\n1,a\n2,a\n3,a\n")
        let r = try CLI.run(["anova", "--data", one, "y", "--by", "g"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("at least 2 groups with data, got 1"), r.stderr)
        let csv = try temporaryCSV("y,g\n1,a\n2,a\n4,a\n7,b\n3,c\n5,c\n")
        let json = try runJSON(["anova", "--data", csv, "y", "--by", "g"])
        let groups = try XCTUnwrap(json["groups"] as? [[String: Any]])
        XCTAssertTrue(groups[1]["sd"] is NSNull, "\(groups[1])")
    }

    func testCrosstabSaysHowWeightsAndTwoByTwoTablesAreTested() throws {
        let csv = try temporaryCSV("a,b,w\nx,u,0.5\nx,v,0.5\ny,u,0.5\ny,u,0.5\nx,v,0.5\ny,v,0.5\nx,u,0.5\ny,u,0.5\n")
        let weighted = try CLI.run(["crosstab", "--data", csv, "a", "b", "--weight", "w"])
        XCTAssertEqual(weighted.status, 0, weighted.stderr)
        XCTAssertTrue(weighted.stdout.contains("frequency weights") && weighted.stdout.contains("not design-based"), weighted.stdout)
        XCTAssertTrue(weighted.stdout.contains("without Yates"), weighted.stdout)
        // One row: no test, so no expected-count warning.
        let single = try temporaryCSV("a,b\nx,u\nx,v\nx,u\n")
        let json = try runJSON(["crosstab", "--data", single, "a", "b"])
        XCTAssertEqual(json["warnings"] as? [String] ?? [], (json["warnings"] as? [String] ?? []).filter { !$0.contains("expected count") })
    }

    func testLikertThreePointScaleBoxesDoNotOverlap() throws {
        let csv = try temporaryCSV("q\n1\n2\n3\n3\n2\n")
        let json = try runJSON(["likert", "--data", csv, "q", "--scale", "1-3"])
        let item = try XCTUnwrap((json["items"] as? [[String: Any]])?.first)
        XCTAssertEqual(item["top_box_points"] as? String, "3")
        XCTAssertEqual(item["bottom_box_points"] as? String, "1")
        assertClose(double(item["top_box"]), 40, "top box of 1,2,3,3,2")
    }

    func testLogOfNonPositiveValueIsExplained() throws {
        let csv = try temporaryCSV("y,x\n1,2\n2,0\n3,4\n", name: "logx.csv")
        let r = try CLI.run(["regress", "--data", csv, "y ~ log(x)"])
        XCTAssertEqual(r.status, 2)
        // x = 0 is on file line 3 (the second data row), named as the CSV messages name lines.
        XCTAssertTrue(r.stderr.contains("log of a value ≤ 0") && r.stderr.contains("in line 3 of") && r.stderr.contains("logx.csv"), r.stderr)
    }
}
