import XCTest
@testable import SurveyStats

final class ModelFormulaTests: XCTestCase {
    func labels(_ f: ModelFormula) -> [String] { f.terms.map(\.label) }

    func testSimpleAdditiveFormula() throws {
        let f = try ModelFormula("y ~ x1 + x2")
        XCTAssertEqual(f.responseLabel, "y")
        XCTAssertEqual(labels(f), ["x1", "x2"])
        XCTAssertTrue(f.hasIntercept)
        XCTAssertEqual(f.variables, ["y", "x1", "x2"])
    }

    func testUnicodeNamesCategoricalAndPowers() throws {
        let f = try ModelFormula("samarbeid ~ likeverd + C(rolle, ref=rådmann) + I(alder^2) + I(alder ** 3)")
        XCTAssertEqual(labels(f), ["likeverd", "C(rolle, ref=rådmann)", "I(alder^2)", "I(alder**3)"])
        XCTAssertEqual(f.terms[1].factors, [.categorical(variable: "rolle", reference: "rådmann", label: "C(rolle, ref=rådmann)")])
        XCTAssertEqual(f.terms[2].factors.first, .expression(.binary(.power, .variable("alder"), .number(2)), label: "I(alder^2)"))
        XCTAssertEqual(try ModelFormula("y ~ C(rolle, ref='leder')").terms[0].factors.first,
                       .categorical(variable: "rolle", reference: "leder", label: "C(rolle, ref='leder')"))
        XCTAssertEqual(try ModelFormula("y ~ C(rolle, Treatment(reference=\"leder\"))").terms[0].factors.first,
                       .categorical(variable: "rolle", reference: "leder", label: "C(rolle, Treatment(reference=\"leder\"))"))
    }

    func testInterceptRemovalForms() throws {
        XCTAssertFalse(try ModelFormula("y ~ x - 1").hasIntercept)
        XCTAssertFalse(try ModelFormula("y ~ x + 0").hasIntercept)
        XCTAssertFalse(try ModelFormula("y ~ 0 + x").hasIntercept)
        XCTAssertFalse(try ModelFormula("y ~ -1 + x").hasIntercept)
        XCTAssertTrue(try ModelFormula("y ~ x - 1 + 1").hasIntercept)
        XCTAssertEqual(labels(try ModelFormula("y ~ 1")), [])
    }

    func testInteractionsExpandAndSortByOrderLikeR() throws {
        XCTAssertEqual(labels(try ModelFormula("y ~ x*z")), ["x", "z", "x:z"])
        XCTAssertEqual(labels(try ModelFormula("y ~ x:z + w")), ["w", "x:z"])
        XCTAssertEqual(labels(try ModelFormula("y ~ (a + b):c")), ["a:c", "b:c"])
        XCTAssertEqual(labels(try ModelFormula("y ~ a*b - a:b")), ["a", "b"])
        XCTAssertEqual(labels(try ModelFormula("y ~ x + x")), ["x"])
    }

    func testArithmeticInsideI() throws {
        let f = try ModelFormula("log(y) ~ I((x - 1) / 2 + -z * 3) + sqrt(w)")
        XCTAssertEqual(f.response, .call("log", [.variable("y")]))
        XCTAssertEqual(f.responseLabel, "log(y)")
        XCTAssertEqual(labels(f), ["I((x-1)/2+-z*3)", "sqrt(w)"])
        XCTAssertEqual(f.variables, ["y", "x", "z", "w"])
    }

    func testQuotedNames() throws {
        XCTAssertEqual(labels(try ModelFormula("y ~ `alder i år` + Q(\"kjønn/rolle\")")), ["alder i år", "kjønn/rolle"])
    }

    func testSyntaxErrorsReportTheColumn() {
        func column(_ s: String) -> Int? {
            do { _ = try ModelFormula(s); return nil } catch let e as ModelFormulaError { return e.column } catch { return nil }
        }
        XCTAssertEqual(column("y ~ x +"), 8)          // formula ended where a term was expected
        XCTAssertEqual(column("y ~ x $ z"), 7)        // unexpected character
        XCTAssertEqual(column("y x"), 1)              // no '~'
        XCTAssertEqual(column("y ~ foo(x)"), 5)       // unknown function
        XCTAssertEqual(column("y ~ I(x^2"), 10)       // missing ')'
        XCTAssertEqual(column("y ~ x + 2"), 9)        // number as a term
        XCTAssertEqual(column("~ x"), 1)              // no response
        XCTAssertEqual(column("y ~ x^2"), 6)          // power outside I()
        do { _ = try ModelFormula("y ~ x^2") } catch { XCTAssertTrue("\(error)".contains("I(x^2)"), "\(error)") }
        let e = try? ModelFormula("y ~ x +")
        XCTAssertNil(e)
        do { _ = try ModelFormula("y ~ x $ z") } catch {
            XCTAssertTrue("\(error)".contains("column 7"), "\(error)")
        }
    }
}
