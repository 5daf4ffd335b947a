import Foundation
import XCTest

/// CLI checks for data of extreme magnitude and for the decimal-only numeric options.
final class ScaleAndOptionTests: XCTestCase {
    func testNumericOptionsAreDecimalOnly() throws {
        for bad in ["0x10", "0x1p-3", "inf", "nan", "1e400"] {
            let r = try CLI.run(["ttest", "--mean1", bad, "--sd1", "1", "--n1", "10", "--mu", "0"])
            XCTAssertNotEqual(r.status, 0, bad)
            XCTAssertTrue(r.stderr.contains("finite decimal number"), "\(bad): \(r.stderr)")
        }
        // 16 / (1/√10): stats.ttest_1samp is not needed — t = (16 − 0)/(1/np.sqrt(10))
        let ok = try runJSON(["ttest", "--mean1", "16", "--sd1", "1", "--n1", "10", "--mu", "0"])
        assertClose(double(ok["t"]), 16 * 10.0.squareRoot(), tol: 1e-12)
    }

    /// `--decimals -1` is read as the value -1 (not as an option, which said the value was missing) and refused
    /// with what is wrong with it; `--decimals=-1` alike.
    func testNegativeDecimalsAreRefusedByName() throws {
        let csv = try temporaryCSV("y\n1\n2\n", name: "d.csv")
        for args in [["--decimals", "-1"], ["--decimals=-1"]] {
            let r = try CLI.run(["describe", "--data", csv, "y"] + args)
            XCTAssertEqual(r.status, 2, "\(args)")
            XCTAssertTrue(r.stderr.hasPrefix("surveystats: error: --decimals -1: the number of decimals must be 0 or more (at most 15)\n"),
                          "\(args): \(r.stderr)")
        }
        let big = try CLI.run(["describe", "--data", csv, "y", "--decimals", "16"])
        XCTAssertTrue(big.stderr.hasPrefix("surveystats: error: --decimals 16: the number of decimals must be 15 or fewer\n"), big.stderr)
        let one = try CLI.run(["describe", "--data", csv, "y", "--decimals", "1"])
        XCTAssertEqual(one.status, 0, one.stderr)
        XCTAssertTrue(one.stdout.contains("  1.5  "), one.stdout)
    }

    func testRegressResponseAt1e300AndTTestAt1e160() throws {
        let csv = try temporaryCSV("x,y,z\n1,2.1,2\n2,3.9,3\n3,6.2,1\n4,7.8,7\n5,10.1,2\n6,12.5,4\n", name: "sc.csv")
        let fit = try runJSON(["regress", "--data", csv, "I(1e300*y) ~ x + z"])
        assertClose(double(fit["r_squared"]), 0.9982103163899378, tol: 1e-12)   // smf.ols('y~x+z',d).fit().rsquared
        assertClose(double((fit["f"] as? [String: Any])?["statistic"]), 836.6369710079174, tol: 1e-9)   // .fvalue
        let big = try temporaryCSV("y\n2.1e160\n3.9e160\n6.2e160\n7.8e160\n10.1e160\n12.5e160\n", name: "big.csv")
        let t = try runJSON(["ttest", "--data", big, "y", "--mu", "0"])
        assertClose(double(t["t"]), 4.499442178723794, tol: 1e-10)   // stats.ttest_1samp(y, 0).statistic
    }

    func testRobustFIsUndefinedForConstantResponse() throws {
        let csv = try temporaryCSV("x,y\n1,3\n2,3\n3,3\n4,3\n5,3\n", name: "c.csv")
        let fit = try runJSON(["regress", "--data", csv, "y ~ x", "--robust", "hc3"])
        let f = fit["f"] as? [String: Any]
        XCTAssertTrue(f == nil || f?["statistic"] is NSNull, "\(String(describing: f))")
    }
}
