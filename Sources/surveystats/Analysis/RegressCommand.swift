import ArgumentParser
import Foundation
import Matrix
import SurveyStats

extension HeteroskedasticityConsistentType: ExpressibleByArgument {}

/// `surveystats regress`: OLS / WLS with an R-style formula, robust standard errors, aliased terms.
struct RegressCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "regress",
        abstract: "Linear regression (OLS, or WLS with --weight) from an R/patsy model formula.",
        discussion: """
        Formula terms, as in R and patsy:
          y ~ x1 + x2             numeric predictors (text columns are categorical)
          y ~ x + I(x^2)          arithmetic inside I(); also log, sqrt, exp
          y ~ C(rolle)            dummy coding; first level is the reference
                                  (codebook order, else sorted; texts in
                                  Norwegian order, A–Z, Æ, Ø, Å)
          y ~ C(rolle, ref=rådmann)   another reference level
          y ~ x1:x2, y ~ x1*x2    interaction (x1*x2 = x1 + x2 + x1:x2)
          y ~ x - 1               no intercept

        Rows with a missing value in any variable used are left out (counted per variable and reason). \
        A rank-deficient design is not an error: aliased terms are listed and get no estimate. Least squares \
        uses Householder QR, in extended precision when the design is ill-conditioned; the condition number is \
        reported.

        Examples:
          surveystats regress --data ledere.csv 'samarbeid ~ likeverd'
          surveystats regress --data ledere.csv \\
            'samarbeid ~ likeverd + I(likeverd^2) + C(rolle)' --robust hc1
          surveystats regress --data ledere.csv 'samarbeid ~ likeverd' \\
            --weight vekt --format json
        """)

    @Argument(help: ArgumentHelp("Model formula, e.g. 'y ~ x + I(x^2) + C(group)'. Quote it for the shell.",
                                 valueName: "formula"))
    var formula: String

    @Option(help: ArgumentHelp("Heteroskedasticity-consistent standard errors: hc0, hc1, hc2 or hc3.", valueName: "type"))
    var robust: HeteroskedasticityConsistentType?

    @Option(parsing: numericValue, help: ArgumentHelp("Confidence level of the coefficient intervals.", valueName: "level"), transform: decimalNumber)
    var confLevel: Double = 0.95

    @OptionGroup(title: "Data") var input: DataOptions
    @OptionGroup(title: "Output") var output: OutputOptions

    func validate() throws { try checkConfidenceLevel(confLevel) }

    func run() throws {
        try input.requireMemoryEngine(command: "regress")
        let model = try ModelFormula(formula)
        let data = try input.load(numeric: [model.responseLabel].filter { !$0.contains("(") },
                                  needed: model.variables, command: "regress")
        let account = try data.listwise(model.variables)
        let design: DesignMatrix
        do {
            design = try DesignMatrix.build(formula: model, dataset: data.dataset, weights: data.weightName)
        } catch let DataError.invalidValue(what, value, row, source, detail) {
            // The library counts the dataset's rows, which after --where are not the file's: name the file's line,
            // as CSV parse errors and the missing-value warnings do.
            let location = "\(data.location(ofRow: row))\(source.map { " of \($0)" } ?? "")"
            throw CLIError(DataError.invalidValueMessage(what: what, value: value, location: location, detail: detail))
        }
        let fit = try LinearModel(design: design, robust: robust)
        guard fit.residualDegreesOfFreedom > 0 else {
            // n > p (the model's coefficients, not the rank: with n ≤ p rows the rank is at most n, and the rank
            // alone would ask for one row more than there are) guarantees n − rank ≥ 1.
            let p = fit.coefficients.count
            throw CLIError("regression \(formula): \(fit.n) observation\(fit.n == 1 ? "" : "s") for \(p) coefficient\(p == 1 ? "" : "s") leave\(fit.n == 1 ? "s" : "") no residual degrees of freedom (needs at least \(p + 1) observations)")
        }
        // t = estimate/SE is rounding noise over rounding noise at a perfect fit: shown as —, with a warning.
        let tUndefined = fit.isEssentiallyPerfectFit || (fit.responseIsConstant && fit.hasIntercept)
        let d = output.decimals
        let level = percentLabel(confLevel)
        let cis = fit.confidenceIntervals(level: confLevel)

        var table = ResultTable(title: "\(input.weight == nil ? "OLS" : "WLS") regression: \(formula)",
                                columns: ["Term", "Estimate", robust == nil ? "SE" : "Robust SE (\(robust!.rawValue.uppercased()))",
                                          "t", "p", "\(level) CI lower", "\(level) CI upper"])
        // Tables show levels named by fractional numbers in the style of --locale (C(g)[T.2,5]); JSON and stderr
        // keep the decimal point, as for every number.
        let localizedTerms = Dictionary(zip(design.columnNames, design.columnNames(decimalSeparator: output.locale.decimalSeparator)),
                                        uniquingKeysWith: { first, _ in first })
        func shown(_ term: String) -> String { localizedTerms[term] ?? term }
        for (c, ci) in zip(fit.coefficients, cis) {
            if c.isAliased {
                table.append([.text(shown(c.term)), .text("(aliased)"), .empty, .empty, .empty, .empty, .empty])
            } else {
                table.append([.text(shown(c.term)), .number(c.estimate, decimals: d), .number(c.standardError, decimals: d),
                              .number(tUndefined ? .nan : c.t, decimals: d), .pValue(tUndefined ? .nan : c.pValue),
                              .number(ci.lower, decimals: d),
                              .number(ci.upper, decimals: d)])
            }
        }
        var fitTable = ResultTable(title: "Model fit", columns: ["Statistic", "Value"])
        fitTable.append([.text("n"), .integer(fit.n)])
        fitTable.append([.text("R²"), .number(fit.rSquared, decimals: d)])
        fitTable.append([.text("Adjusted R²"), .number(fit.adjustedRSquared, decimals: d)])
        fitTable.append([.text("Residual SE"), .number(fit.residualStandardError, decimals: d)])
        fitTable.append([.text("Residual df"), .integer(fit.residualDegreesOfFreedom)])
        if let f = fit.fTest {
            fitTable.append([.text("F (\(f.df1), \(f.df2))\(robust == nil ? "" : " robust Wald")"), .number(f.statistic, decimals: d)])
            fitTable.append([.text("p (F)"), .pValue(f.pValue)])
        }
        fitTable.append([.text("Condition number"), .number(fit.conditionNumber, decimals: 1)])

        // The warnings name terms as the table does (--locale), or as JSON and stderr do.
        func warningTexts(_ shown: (String) -> String) -> [String] {
            var warnings: [String] = []
            if fit.responseIsConstant && fit.hasIntercept {
                warnings.append("the response \(fit.responseName) is constant on every row used: R², the F test and the t tests are undefined")
            } else if tUndefined {
                warnings.append("essentially perfect fit (residual SS ≈ 0 relative to the response): standard errors are rounding noise, so t and p are not reported")
            }
            if !fit.aliased.isEmpty {
                warnings.append("aliased (linearly dependent) terms, not estimated: \(fit.aliased.map(shown).joined(separator: ", "))")
            }
            if let r = robust, !fit.leverageOneRows.isEmpty {
                let rows = fit.leverageOneRows.prefix(10).map { data.location(ofRow: $0) }.joined(separator: ", ")
                    + (fit.leverageOneRows.count > 10 ? ", …" : "")
                let undefined = fit.coefficients.filter { !$0.isAliased && $0.standardError.isNaN }.map { shown($0.term) }
                warnings.append("leverage 1 (fitted exactly whatever its value, e.g. the only row of a level) at \(rows): its \(r.rawValue.uppercased()) term e²/(1 − h)\(r == .hc3 ? "²" : "") is 0/0, so it is left out of the robust variance, and the SEs of the coefficients that depend on it are undefined\(undefined.isEmpty ? "" : " (\(undefined.joined(separator: ", ")))")\(fit.fTest.map { $0.statistic.isNaN ? ", as is the robust F" : "" } ?? "")")
            }
            if fit.conditionNumber > 1e10 {
                warnings.append("condition number \(String(format: "%.3g", fit.conditionNumber)): the data barely determine the coefficients")
            }
            return warnings
        }
        let warnings = warningTexts { $0 }
        table.notes.append(contentsOf: warningTexts(shown))
        if let r = robust { table.notes.append("Standard errors: heteroskedasticity-consistent \(r.rawValue.uppercased()).") }
        if let w = input.weight { table.notes.append("Weighted least squares, weights \(w).") }
        if !fit.hasIntercept {
            fitTable.notes.append("No intercept: R² and F are uncentred (against 0, not the mean of \(fit.responseName)), R's convention; statsmodels prints the centred R².")
        }
        // Zero-weight rows are in the account's rows left out (listwise), so they are not reported again here.
        table.notes.append(account.note(output.locale))
        if account.nUsed != fit.n {
            // The design's own missing handling (e.g. a derived value that cannot be computed) left out more rows.
            table.notes.append("The model used \(fit.n) rows.")
        }

        var json = analysisEnvelope(command: "regress", data: data, account: account)
        json.set("formula", .string(formula))
        json.set("response", .string(fit.responseName))
        json.set("robust", robust.map { .string($0.rawValue) } ?? .null)
        json.set("n", .integer(fit.n))
        json.set("coefficients", .array(zip(fit.coefficients, cis).map { c, ci in
            [
                "term": .string(c.term), "estimate": .number(c.isAliased ? .nan : c.estimate),
                "std_error": .number(c.isAliased ? .nan : c.standardError),
                "t": .number(c.isAliased || tUndefined ? .nan : c.t),
                "p": .number(c.isAliased || tUndefined ? .nan : c.pValue),
                "ci": .numbers(c.isAliased ? [.nan, .nan] : [ci.lower, ci.upper]), "aliased": .bool(c.isAliased),
            ]
        }))
        json.set("r_squared", .number(fit.rSquared))
        json.set("adj_r_squared", .number(fit.adjustedRSquared))
        if let f = fit.fTest {
            json.set("f", ["statistic": .number(f.statistic), "df1": .integer(f.df1), "df2": .integer(f.df2), "p": .number(f.pValue)])
        } else {
            json.set("f", .null)
        }
        json.set("residual_se", .number(fit.residualStandardError))
        json.set("df_residual", .integer(fit.residualDegreesOfFreedom))
        json.set("rank", .integer(fit.rank))
        json.set("condition_number", .number(fit.conditionNumber))
        json.set("precision", .string(fit.precision))
        json.set("aliased", .strings(fit.aliased))
        json.set("conf_level", .number(confLevel))
        json.set("warnings", .strings(warnings))
        try output.emit(AnalysisResult(tables: [table, fitTable], json: json, warnings: warnings))
    }
}
