import ArgumentParser
import Foundation
import SurveyStats

/// `surveystats anova`: one-way ANOVA, classic (equal variances) or Welch.
struct ANOVACommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "anova",
        abstract: "One-way analysis of variance of a numeric variable across the groups of --by (classic or Welch).",
        discussion: """
        Prints the ANOVA table (SS, df, MS, F, p), η² (= R²) and ω², and each group's n, mean and SD, groups \
        labelled and ordered by the codebook. --welch gives Welch's F for unequal variances (the SS table is \
        still shown for reference).

        Examples:
          surveystats anova --data ledere.csv samarbeid --by rolle
          surveystats anova --data ledere.csv samarbeid --by rolle --welch
          surveystats anova --data svar.sav --codebook svar.yaml tillit \\
            --by rolle --where 'sektor == kommunal' --format json
        """)

    @Argument(help: ArgumentHelp("The numeric variable.", valueName: "variable"))
    var variable: String

    @Option(help: ArgumentHelp("Grouping variable.", valueName: "var"))
    var by: String

    @Flag(help: "Welch's ANOVA for unequal variances.")
    var welch = false

    @OptionGroup(title: "Data") var input: DataOptions
    @OptionGroup(title: "Output") var output: OutputOptions

    func run() throws {
        try input.requireMemoryEngine(command: "anova")
        try reject("--weight", input.weight, in: "anova", because: "one-way ANOVA is unweighted; use regress 'y ~ C(group)' --weight W")
        let data = try input.load(numeric: [variable], needed: [variable, by], command: "anova")
        let account = try data.listwise([variable, by])
        try account.requireRows([variable, by], command: "anova")
        let grouping = GroupingVariable(try data.variable(by), among: account.used)
        // Group moments straight from the level codes of the used rows (no per-row labels, no split columns).
        let column = try data.numericColumn(variable)
        let classic = try OneWayANOVA(column, groups: grouping.factor)
        let welchTest = welch ? try WelchANOVA(column, groups: grouping.factor) : nil
        let d = output.decimals

        var groupTable = ResultTable(title: "Groups: \(variable) by \(by)", columns: ["Group", "n", "Mean", "SD"])
        // The SD of one observation is undefined: — (as describe shows it), not 0.
        func sd(_ s: SampleSummary) -> Double { s.n < 2 ? .nan : s.sd }
        // Group names in the style of --locale (a level 2.5 shows as 2,5 with nb); JSON keeps the decimal point.
        let shown = grouping.shownLevelNames(output.locale)
        for (name, s) in zip(classic.groupNames, classic.groups) {
            groupTable.append([.text(shown[name] ?? name), .integer(Int(s.n)), .number(s.mean, decimals: d), .number(sd(s), decimals: d)])
        }
        var table = ResultTable(title: "\(classic.testName): \(variable) by \(by)",
                                columns: ["Source", "SS", "df", "MS", "F", "p"])
        table.append([.text("Between groups"), .number(classic.ssBetween, decimals: d), .integer(Int(classic.dfBetween)),
                      .number(classic.msBetween, decimals: d), .number(classic.f, decimals: d), .pValue(classic.pValue)])
        table.append([.text("Within groups"), .number(classic.ssWithin, decimals: d), .integer(Int(classic.dfWithin)),
                      .number(classic.msWithin, decimals: d), .empty, .empty])
        table.append([.text("Total"), .number(classic.ssTotal, decimals: d), .integer(Int(classic.dfBetween + classic.dfWithin)),
                      .empty, .empty, .empty])
        table.notes.append("η² = R² = \(fixed(classic.etaSquared, d)), ω² = \(fixed(classic.omegaSquared, d)).")
        if !(classic.ssBetween.isFinite && classic.ssWithin.isFinite && classic.ssTotal.isFinite) && classic.f.isFinite {
            // Values near 1e300 have squares near 1e600: the sums themselves are not representable in double. The
            // test works in power-of-two scaled units, so F, p, η² and ω² are unaffected; say so rather than let
            // ∞ suggest an infinite value in the data.
            table.notes.append("The sums of squares exceed the double range (about 1.8e308) and show as ∞; F, p, η² and ω² are computed in scaled units and are not affected.")
        }
        table.notes.append(contentsOf: classic.notes)
        table.notes.append(account.note(output.locale))
        var tables = [groupTable, table]
        if let w = welchTest {
            var wt = ResultTable(title: "\(w.testName): \(variable) by \(by)", columns: ["F", "df1", "df2", "p"])
            wt.append([.number(w.f, decimals: d), .number(w.dfBetween, decimals: 0), .number(w.dfWithin, decimals: 2),
                       .pValue(w.pValue)])
            wt.notes.append(contentsOf: w.notes)
            tables.append(wt)
        }

        var json = analysisEnvelope(command: "anova", data: data, account: account)
        json.set("test", .string(welchTest?.testName ?? classic.testName))
        json.set("variable", .string(variable))
        json.set("by", .string(by))
        json.set("welch", .bool(welch))
        json.set("f", .number(welchTest?.f ?? classic.f))
        json.set("df1", degreesOfFreedom(welchTest?.dfBetween ?? classic.dfBetween))
        json.set("df2", degreesOfFreedom(welchTest?.dfWithin ?? classic.dfWithin))
        json.set("p", .number(welchTest?.pValue ?? classic.pValue))
        json.set("ss_between", .number(classic.ssBetween))
        json.set("ss_within", .number(classic.ssWithin))
        json.set("ms_between", .number(classic.msBetween))
        json.set("ms_within", .number(classic.msWithin))
        json.set("r_squared", .number(classic.rSquared))
        json.set("omega_squared", .number(classic.omegaSquared))
        if welchTest != nil {
            json.set("classic", ["f": .number(classic.f), "df1": degreesOfFreedom(classic.dfBetween),
                                 "df2": degreesOfFreedom(classic.dfWithin), "p": .number(classic.pValue)])
        }
        json.set("groups", .array(zip(classic.groupNames, classic.groups).map { name, s in
            ["name": .string(name), "n": .integer(Int(s.n)), "mean": .number(s.mean), "sd": .number(sd(s))]
        }))
        json.set("warnings", .strings(classic.notes + (welchTest?.notes ?? [])))
        try output.emit(AnalysisResult(tables: tables, json: json))
    }

    private func fixed(_ x: Double, _ d: Int) -> String {
        guard x.isFinite else { return "—" }
        let text = String(format: "%.\(d)f", x)
        return output.locale == .norwegian ? text.replacingOccurrences(of: ".", with: ",") : text
    }
}
