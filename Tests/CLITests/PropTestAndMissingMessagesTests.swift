import Foundation
import XCTest

/// prop-test: a --success value the test cannot count is an error; options of the other form are errors.
final class PropTestSuccessAndOptionTests: XCTestCase {
    func testNumericSuccessThatNeitherOccursNorIsLabelledIsAnError() throws {
        let bin = try temporaryCSV("x,g\n0,a\n1,a\n0,b\n1,b\n", name: "bin.csv")
        for args in [["x", "--success", "2", "--by", "g"], ["x", "--success", "2", "--p0", "0.5"]] {
            let r = try CLI.run(["prop-test", "--data", bin] + args)
            XCTAssertEqual(r.status, 2, "\(args): \(r.stdout)")
            XCTAssertEqual(r.stdout, "")
            XCTAssertEqual(r.stderr, "surveystats: error: --success '2' does not occur in x and is not a labelled code of it (values in the rows used: 0, 1)\n")
        }
        // A value that occurs only in rows --where leaves out does not occur in the rows used.
        let filtered = try CLI.run(["prop-test", "--data", bin, "x", "--success", "1", "--p0", "0.5", "--where", "x == 0"])
        XCTAssertEqual(filtered.status, 2)
        XCTAssertTrue(filtered.stderr.contains("--success '1' does not occur in x and is not a labelled code of it (values in the rows used: 0)"), filtered.stderr)
        // Many distinct values are listed briefly.
        let many = try temporaryCSV("y\n" + (1...12).map(String.init).joined(separator: "\n") + "\n")
        let r = try CLI.run(["prop-test", "--data", many, "y", "--success", "99", "--p0", "0.5"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.hasSuffix("(values in the rows used: 1, 2, 3, 4, 5, 6, 7, 8, …)\n"), r.stderr)
    }

    func testLabelledCodeNobodyChoseCountsZeroAndMissingCodeIsAnError() throws {
        let csv = try temporaryCSV("q,g\n1,a\n2,a\n3,b\n9,b\n2,b\n", name: "q.csv")
        let book = URL(fileURLWithPath: csv).deletingLastPathComponent().appendingPathComponent("q.yaml").path
        try "variables:\n  q:\n    values: {1: Lite, 2: Noe, 3: Mye, 4: Svært mye, 9: Vet ikke}\n    missing: [9]\n"
            .write(toFile: book, atomically: true, encoding: .utf8)
        // 4 is a scale point nobody chose: a real 0 of 4, by code or by label.
        for success in ["4", "Svært mye"] {
            let json = try runJSON(["prop-test", "--data", csv, "--codebook", book, "q", "--success", success, "--p0", "0.5"])
            XCTAssertEqual(json["successes"] as? [Int], [0], success)
            XCTAssertEqual(json["n"] as? [Int], [4], success)
        }
        let missing = try CLI.run(["prop-test", "--data", csv, "--codebook", book, "q", "--success", "9", "--by", "g"])
        XCTAssertEqual(missing.status, 2)
        XCTAssertEqual(missing.stderr, "surveystats: error: --success '9' is a missing code of q (code 9 «Vet ikke»): its rows are left out, so none can count as a success\n")
        let typo = try CLI.run(["prop-test", "--data", csv, "--codebook", book, "q", "--success", "5", "--by", "g"])
        XCTAssertEqual(typo.status, 2)
        XCTAssertTrue(typo.stderr.contains("--success '5' does not occur in q and is not a labelled code of it (values in the rows used: 1, 2, 3)"), typo.stderr)
    }

    func testTextSuccessThatDoesNotOccurListsTheValues() throws {
        let csv = try temporaryCSV("a,b\nJa,x\nNei,y\nJa,y\nNei,x\n")
        let r = try CLI.run(["prop-test", "--data", csv, "a", "--success", "JA", "--by", "b"])
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(r.stderr, "surveystats: error: --success 'JA' does not occur in a (values in the rows used: Ja, Nei)\n")
        let ok = try runJSON(["prop-test", "--data", csv, "a", "--success", "Ja", "--by", "b"])
        XCTAssertEqual(ok["successes"] as? [Int], [1, 1])
    }

    func testOptionsOfTheOtherFormAreErrors() throws {
        let unpooled = try CLI.run(["prop-test", "--x1", "30", "--n1", "50", "--p0", "0.5", "--unpooled"])
        XCTAssertEqual(unpooled.status, 2)
        XCTAssertEqual(unpooled.stdout, "")
        XCTAssertTrue(unpooled.stderr.contains("--unpooled is for a two-sample test; a one-sample test uses the SE from p0, or from the sample (Wald) with --variance sample"), unpooled.stderr)
        for form in [["--x1", "5", "--n1", "10", "--x2", "4", "--n2", "10"], ["--data", Example.csv, "--no-codebook", "tillit", "--success", "5", "--by", "sektor"]] {
            for kind in ["sample", "null"] {
                let r = try CLI.run(["prop-test"] + form + ["--variance", kind])
                XCTAssertEqual(r.status, 2, "\(form) --variance \(kind)")
                XCTAssertTrue(r.stderr.contains("--variance is for a one-sample test (against --p0); a two-sample test uses the pooled SE, or the unpooled (Wald) SE with --unpooled"), r.stderr)
            }
        }
        let data = try CLI.run(["prop-test", "--data", Example.csv, "--no-codebook", "tillit", "--success", "5", "--p0", "0.5", "--unpooled"])
        XCTAssertEqual(data.status, 2)
        XCTAssertTrue(data.stderr.contains("--unpooled is for a two-sample test"), data.stderr)
        // Each in its own form still works.
        XCTAssertEqual(try runJSON(["prop-test", "--x1", "30", "--n1", "50", "--p0", "0.5", "--variance", "sample"])["variance"] as? String, "sample")
        XCTAssertEqual(try runJSON(["prop-test", "--x1", "5", "--n1", "10", "--x2", "4", "--n2", "10", "--unpooled"])["pooled"] as? Bool, false)
    }
}

/// A variable with no values: the message names it, not the grouping variable (no "0 groups with data ()").
final class NoValuesMessageTests: XCTestCase {
    func testAllMissingVariableIsNamed() throws {
        let csv = try temporaryCSV("y,g,z\n1,a,\n2,a,\n3,b,\n4,b,NA\n", name: "allmiss.csv")
        for (command, name) in [(["ttest", "z", "--by", "g"], "ttest"), (["anova", "z", "--by", "g"], "anova"),
                                (["prop-test", "z", "--by", "g"], "prop-test"), (["prop-test", "z", "--p0", "0.5"], "prop-test"),
                                (["ttest", "z"] + ["--mu", "0"], "ttest"), (["ttest", "--paired", "y", "z"], "ttest")] {
            let r = try CLI.run(command + ["--data", csv])
            XCTAssertEqual(r.status, 2, "\(command)")
            XCTAssertEqual(r.stdout, "", "\(command)")
            XCTAssertEqual(r.stderr, "surveystats: error: \(name): variable 'z' has no values (4 rows missing: 4 empty/NA)\n", "\(command)")
        }
        let filtered = try CLI.run(["ttest", "z", "--by", "g", "--data", csv, "--where", "y > 2"])
        XCTAssertEqual(filtered.stderr, "surveystats: error: ttest: variable 'z' has no values of the 2 rows --where keeps (2 rows missing: 2 empty/NA)\n")
        // Values, but never in the same row as the group.
        let apart = try temporaryCSV("y,g\n1,\n,a\n2,\n,b\n")
        let r = try CLI.run(["ttest", "y", "--by", "g", "--data", apart])
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(r.stderr, "surveystats: error: ttest: no row has values of all of 'y', 'g' (y: 2 empty/NA; g: 2 empty/NA)\n")
        // One group with data still says which.
        let one = try CLI.run(["ttest", "y", "--by", "g", "--data", csv, "--where", "g == 'a'"])
        XCTAssertEqual(one.status, 2)
        XCTAssertTrue(one.stderr.contains("--by g has 1 group (a) with data; a t-test compares two"), one.stderr)
    }
}
