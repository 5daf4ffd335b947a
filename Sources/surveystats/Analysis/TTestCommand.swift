import ArgumentParser
import Foundation
import SurveyStats

/// `surveystats ttest`: Student, Welch, paired and one-sample t-tests, from data or from published summaries.
struct TTestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ttest",
        abstract: "t-tests: two groups (Student or Welch), paired, or one sample; from data or from summaries.",
        discussion: """
        Two groups compare the first level of --by with the second (levels in codebook order, else sorted: texts in \
        Norwegian order, A–Z, Æ, Ø, Å); the \
        difference is mean(first) − mean(second). Rows with a missing value in the variable or the group are left \
        out and counted.

        Examples:
        Student (pooled variance) and Welch (unequal variances):
          surveystats ttest --data ledere.csv samarbeid --by sektor
          surveystats ttest --data ledere.csv samarbeid --by sektor --welch
        Paired (samarbeid − likeverd) and one sample against μ = 3:
          surveystats ttest --data ledere.csv --paired samarbeid likeverd
          surveystats ttest --data ledere.csv samarbeid --mu 3
        From published summaries (two samples; one sample against --mu):
          surveystats ttest --mean1 3.9 --sd1 0.8 --n1 104 \\
            --mean2 3.5 --sd2 0.9 --n2 150 --welch
          surveystats ttest --mean1 3.9 --sd1 0.8 --n1 104 --mu 3.5
        """)

    @Argument(help: ArgumentHelp("The variable to test (two variables with --paired).", valueName: "variable"))
    var variables: [String] = []

    @Option(help: ArgumentHelp("Grouping variable with two levels (two-sample test).", valueName: "var"))
    var by: String?

    @Flag(help: "Welch's test (unequal variances, Satterthwaite df) instead of Student's pooled test.")
    var welch = false

    @Flag(help: "Paired test of two variables measured on the same rows.")
    var paired = false

    @Option(parsing: numericValue, help: ArgumentHelp("One-sample test against this mean (default 0 for a summary with one group).",
                               valueName: "value"), transform: decimalNumber)
    var mu: Double?

    @Option(parsing: numericValue, help: "Mean of sample 1 (summary form).", transform: decimalNumber) var mean1: Double?
    @Option(parsing: numericValue, help: "SD of sample 1 (summary form).", transform: decimalNumber) var sd1: Double?
    @Option(parsing: numericValue, help: "Size of sample 1 (summary form).") var n1: Int?
    @Option(parsing: numericValue, help: "Mean of sample 2 (summary form).", transform: decimalNumber) var mean2: Double?
    @Option(parsing: numericValue, help: "SD of sample 2 (summary form).", transform: decimalNumber) var sd2: Double?
    @Option(parsing: numericValue, help: "Size of sample 2 (summary form).") var n2: Int?

    @Option(help: ArgumentHelp("two-sided, less or greater.", valueName: "alternative"))
    var alternative: Alternative = .twoSided

    @Option(parsing: numericValue, help: ArgumentHelp("Confidence level of the interval.", valueName: "level"), transform: decimalNumber)
    var confLevel: Double = 0.95

    @OptionGroup(title: "Data") var input: DataOptions
    @OptionGroup(title: "Output") var output: OutputOptions

    var summaryForm: Bool { mean1 != nil || sd1 != nil || n1 != nil || mean2 != nil || sd2 != nil || n2 != nil }

    func validate() throws {
        try checkConfidenceLevel(confLevel)
        try requireFinite([("--mu", mu), ("--mean1", mean1), ("--sd1", sd1), ("--mean2", mean2), ("--sd2", sd2)])
        if summaryForm {
            guard mean1 != nil, sd1 != nil, n1 != nil else { throw ValidationError("the summary form needs --mean1, --sd1 and --n1") }
            let second = [mean2 != nil, sd2 != nil, n2 != nil]
            if second.contains(true) && second.contains(false) {
                throw ValidationError("a second sample needs all of --mean2, --sd2 and --n2")
            }
            if input.data != nil || !variables.isEmpty { throw ValidationError("give either --data with variables or summaries, not both") }
            if mean2 != nil && mu != nil { throw ValidationError("--mu is for a one-sample test; drop --mean2/--sd2/--n2") }
            if paired { throw ValidationError("--paired needs the data (or use the one-sample form on the differences)") }
            return
        }
        if paired {
            guard variables.count == 2 else { throw ValidationError("--paired needs two variables: ttest --paired x y") }
            if by != nil { throw ValidationError("--paired compares two variables; drop --by") }
        } else {
            guard variables.count == 1 else {
                throw ValidationError(variables.isEmpty ? "name the variable to test (or give --mean1 --sd1 --n1)"
                                                        : "give one variable (use --paired for two)")
            }
            if by == nil && mu == nil { throw ValidationError("give --by GROUP for two groups, or --mu VALUE for a one-sample test") }
            if by != nil && mu != nil { throw ValidationError("--mu is for a one-sample test; drop --by") }
        }
        if welch && by == nil && !summaryForm { throw ValidationError("--welch applies to two groups (--by)") }
    }

    func run() throws {
        try input.requireMemoryEngine(command: "ttest")
        if summaryForm { return try runSummaries() }
        try reject("--weight", input.weight, in: "ttest", because: "the t-tests are unweighted; use regress with --weight for a weighted mean difference")
        if paired { return try runPaired() }
        if let by { return try runTwoGroups(by: by) }
        try runOneSample()
    }

    // MARK: - Forms

    private func runTwoGroups(by: String) throws {
        let name = variables[0]
        let data = try input.load(numeric: [name], needed: [name, by], command: "ttest")
        let account = try data.listwise([name, by])
        try account.requireRows([name, by], command: "ttest")
        let grouping = GroupingVariable(try data.variable(by), among: account.used)
        guard grouping.levelNames.count == 2 else {
            throw CLIError("--by \(by) has \(grouping.countWithNames) with data; a t-test compares two (pick two with --where, or use anova)")
        }
        let moments = try data.groupedMoments(name, by: grouping)
        // Welch estimates each group's variance (n ≥ 2 each); Student's pooled variance only needs n₁ + n₂ ≥ 3,
        // so a group of one is valid there (scipy ttest_ind([1], [2, 3, 5])), as it is from summaries.
        for (level, n) in zip(grouping.levelNames, moments.counts) where n < (welch ? 2 : 1) {
            throw StatisticsError.tooFewObservations(what: "ttest: group '\(level)' of \(by) (\(name))\(welch ? " (Welch's test estimates each group's variance)" : "")", needed: welch ? 2 : 1, got: n)
        }
        let s = moments.summaries
        let test: any TTest = welch ? try UnequalVarianceTTest(s[0], s[1]) : try EqualVarianceTTest(s[0], s[1])
        let groups = zip(grouping.levelNames, s).map { ($0, $1) }
        // The table and its notes name the groups in the style of --locale (2,5 with nb); JSON keeps the point.
        let shown = grouping.levelNames(output.locale)
        try emit(test, title: "\(test.testName): \(name) by \(by)", groups: groups, shownNames: shown,
                 differenceNote: "Difference = mean(\(shown[0])) − mean(\(shown[1])).",
                 extra: ["variable": .string(name), "by": .string(by)],
                 envelope: analysisEnvelope(command: "ttest", data: data, account: account), account: account)
    }

    private func runPaired() throws {
        let (x, y) = (variables[0], variables[1])
        let data = try input.load(numeric: [x, y], needed: [x, y], command: "ttest")
        let account = try data.listwise([x, y])
        try account.requireRows([x, y], command: "ttest")
        let cx = try data.column(x, account: account), cy = try data.column(y, account: account)
        let vx = (0..<cx.count).map { cx.value(at: $0) ?? .nan }, vy = (0..<cy.count).map { cy.value(at: $0) ?? .nan }
        let test = try PairedTTest(vx, vy)
        let groups = [(x, try SampleSummary(cx)), (y, try SampleSummary(cy))]
        try emit(test, title: "\(test.testName): \(x) − \(y)", groups: groups,
                 differenceNote: "Difference = \(x) − \(y) within each row (\(account.nUsed) pairs).",
                 extra: ["variables": .strings([x, y])],
                 envelope: analysisEnvelope(command: "ttest", data: data, account: account), account: account)
    }

    private func runOneSample() throws {
        let name = variables[0], mu0 = mu ?? 0
        let data = try input.load(numeric: [name], needed: [name], command: "ttest")
        let account = try data.listwise([name])
        try account.requireRows([name], command: "ttest")
        let column = try data.column(name, account: account)
        let test = try OneSampleTTest(column, mu0: mu0)
        try emit(test, title: "\(test.testName): \(name), μ₀ = \(format(mu0))", groups: [(name, test.sample)],
                 differenceNote: "Difference = mean(\(name)) − \(minusTerm(mu0)); the interval is for the mean.",
                 extra: ["variable": .string(name), "mu": .number(mu0)],
                 envelope: analysisEnvelope(command: "ttest", data: data, account: account), account: account)
    }

    private func runSummaries() throws {
        guard let mean1, let sd1, let n1 else { return }
        var envelope: JSONValue = ["command": "ttest", "data": .null]
        if let mean2, let sd2, let n2 {
            let s1 = SampleSummary(n: n1, mean: mean1, sd: sd1), s2 = SampleSummary(n: n2, mean: mean2, sd: sd2)
            let test: any TTest = welch ? try UnequalVarianceTTest(s1, s2) : try EqualVarianceTTest(s1, s2)
            envelope.set("n_used", .integer(n1 + n2))
            try emit(test, title: test.testName + " (from summaries)", groups: [("sample 1", s1), ("sample 2", s2)],
                     differenceNote: "Difference = mean 1 − mean 2.", extra: [:], envelope: envelope, account: nil)
        } else {
            let mu0 = mu ?? 0
            let test = try OneSampleTTest(n: n1, mean: mean1, sd: sd1, mu0: mu0)
            envelope.set("n_used", .integer(n1))
            try emit(test, title: test.testName + " (from a summary), μ₀ = \(format(mu0))", groups: [("sample 1", test.sample)],
                     differenceNote: "Difference = mean − \(minusTerm(mu0)); the interval is for the mean.",
                     extra: ["mu": .number(mu0)], envelope: envelope, account: nil)
        }
    }

    // MARK: - Output

    private func emit(_ test: any TTest, title: String, groups: [(String, SampleSummary)], shownNames: [String]? = nil, differenceNote: String,
                      extra: [String: JSONValue], envelope: JSONValue, account: MissingAccount?) throws {
        let d = output.decimals
        let tail = alternative.tail
        let p = test.pValue(tail: tail)
        let ci = test.confidenceInterval(level: confLevel, tail: tail)
        let difference = test.estimate - test.nullValue

        var groupTable = ResultTable(title: "Groups", columns: ["Group", "n", "Mean", "SD", "SE"])
        for (k, (name, s)) in groups.enumerated() {
            groupTable.append([.text(shownNames?[k] ?? name), count(s.n), .number(s.mean, decimals: d), .number(s.sd, decimals: d),
                               .number(s.standardError, decimals: d)])
        }
        let level = percentLabel(confLevel)
        var testTable = ResultTable(
            title: title,
            columns: ["Difference", "SE", "t", "df", "p", "\(level) CI lower", "\(level) CI upper", "Cohen's d", "Hedges' g"],
            rows: [[.number(difference, decimals: d), .number(test.standardError, decimals: d),
                    .number(test.statistic, decimals: d), .number(test.df, decimals: test.df == test.df.rounded() ? 0 : 2),
                    .pValue(p), .number(ci.lower, decimals: d), .number(ci.upper, decimals: d),
                    .number(test.cohensD, decimals: d), .number(test.hedgesG, decimals: d)]])
        testTable.notes.append(differenceNote)
        testTable.notes.append(contentsOf: test.notes)
        if alternative != .twoSided { testTable.notes.append("Alternative: \(alternative.rawValue) (one-sided p and interval).") }
        if let account { testTable.notes.append(account.note(output.locale)) }

        var json = envelope
        json.set("test", .string(test.testName))
        // variable(s), mu, by
        for (k, v) in extra.sorted(by: { $0.key > $1.key }) { json.set(k, v) }
        json.set("alternative", .string(alternative.rawValue))
        json.set("t", .number(test.statistic))
        json.set("df", degreesOfFreedom(test.df))
        json.set("p", .number(p))
        json.set("mean_difference", .number(difference))
        json.set("estimate", .number(test.estimate))
        json.set("null_value", .number(test.nullValue))
        json.set("std_error", .number(test.standardError))
        json.set("ci", .numbers([ci.lower, ci.upper]))
        json.set("conf_level", .number(confLevel))
        json.set("cohens_d", .number(test.cohensD))
        json.set("hedges_g", .number(test.hedgesG))
        json.set("groups", .array(groups.map { name, s in
            ["name": .string(name), "n": countJSON(s.n), "mean": .number(s.mean), "sd": .number(s.sd)]
        }))
        json.set("warnings", .strings(test.notes))
        try output.emit(AnalysisResult(tables: [groupTable, testTable], json: json))
    }

    private func count(_ n: Double) -> ResultTable.Cell {
        n == n.rounded() && abs(n) < 1e15 ? .integer(Int(n)) : .number(n, decimals: 2)
    }

    private func countJSON(_ n: Double) -> JSONValue {
        n == n.rounded() && abs(n) < 1e15 ? .integer(Int(n)) : .number(n)
    }

    /// μ₀ in a title, in the style of --locale.
    private func format(_ x: Double) -> String { output.locale.format(x) }
}
