import ArgumentParser
import Foundation
import SurveyStats

/// `surveystats prop-test`: z-tests of one or two proportions, from summaries, counts or data.
struct PropTestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prop-test",
        abstract: "z-test of a proportion against p0, or of two proportions; from proportions, counts or data.",
        discussion: """
        The report compares 2019 results with 2011 numbers that survive only as published percentages, so the \
        summary form takes proportions and sample sizes directly. Two samples use the pooled standard error \
        (--unpooled for the Wald form); one sample uses the null-hypothesis SE √(p0(1−p0)/n) (--variance sample \
        for the Wald form).

        Examples:
        Two published proportions (74 % of 104 vs 56 % of 150), or counts:
          surveystats prop-test --p1 0.74 --n1 104 --p2 0.56 --n2 150
          surveystats prop-test --x1 77 --n1 104 --x2 84 --n2 150
        One sample against p0:
          surveystats prop-test --x1 30 --n1 50 --p0 0.5
        From data: share answering 5, by sector; share 'statlig' against 0.5:
          surveystats prop-test --data ledere.csv tillit --success 5 --by sektor
          surveystats prop-test --data ledere.csv sektor --success statlig \\
            --p0 0.5
        """)

    @Argument(help: ArgumentHelp("Variable whose share of --success is tested (data form).", valueName: "variable"))
    var variable: String?

    @Option(help: ArgumentHelp("The value counted as success: a code, a value label or a text value (default: 1 for 0/1 data).",
                               valueName: "value"))
    var success: String?

    @Option(help: ArgumentHelp("Compare the two groups of this variable (data form).", valueName: "var"))
    var by: String?

    @Option(parsing: numericValue, help: "Proportion in sample 1 (0–1).", transform: decimalNumber) var p1: Double?
    @Option(parsing: numericValue, help: "Successes in sample 1.", transform: decimalNumber) var x1: Double?
    @Option(parsing: numericValue, help: "Size of sample 1.", transform: decimalNumber) var n1: Double?
    @Option(parsing: numericValue, help: "Proportion in sample 2 (0–1).", transform: decimalNumber) var p2: Double?
    @Option(parsing: numericValue, help: "Successes in sample 2.", transform: decimalNumber) var x2: Double?
    @Option(parsing: numericValue, help: "Size of sample 2.", transform: decimalNumber) var n2: Double?
    @Option(parsing: numericValue, help: ArgumentHelp("Null proportion of a one-sample test.", valueName: "p0"), transform: decimalNumber) var p0: Double?

    @Flag(help: "Two samples: unpooled (Wald) standard error instead of the pooled one.")
    var unpooled = false

    @Option(name: .customLong("variance"),
            help: ArgumentHelp("One sample: SE from the null (null, default) or from the sample (sample).", valueName: "kind"))
    var varianceOption: VarianceChoice?

    @Option(help: ArgumentHelp("two-sided, less or greater.", valueName: "alternative"))
    var alternative: Alternative = .twoSided

    @Option(parsing: numericValue, help: ArgumentHelp("Confidence level of the interval.", valueName: "level"), transform: decimalNumber)
    var confLevel: Double = 0.95

    @OptionGroup(title: "Data") var input: DataOptions
    @OptionGroup(title: "Output") var output: OutputOptions

    enum VarianceChoice: String, ExpressibleByArgument, CaseIterable { case null, sample }

    private var summaryForm: Bool { p1 != nil || x1 != nil || n1 != nil || p2 != nil || x2 != nil || n2 != nil }

    /// The one-sample SE: from p0 unless --variance sample.
    private var variance: VarianceChoice { varianceOption ?? .null }

    func validate() throws {
        try checkConfidenceLevel(confLevel)
        try requireFinite([("--p1", p1), ("--x1", x1), ("--n1", n1), ("--p2", p2), ("--x2", x2), ("--n2", n2), ("--p0", p0)])
        if summaryForm {
            if input.data != nil || variable != nil { throw ValidationError("give either --data with a variable or --p1/--x1 --n1 …, not both") }
            guard n1 != nil, (p1 != nil) != (x1 != nil) else { throw ValidationError("sample 1 needs --n1 and one of --p1 or --x1") }
            let second = p2 != nil || x2 != nil || n2 != nil
            if second {
                guard n2 != nil, (p2 != nil) != (x2 != nil) else { throw ValidationError("sample 2 needs --n2 and one of --p2 or --x2") }
                if p0 != nil { throw ValidationError("--p0 is for a one-sample test; drop sample 2") }
            } else if p0 == nil {
                throw ValidationError("a one-sample test needs --p0 (or give sample 2 with --p2/--x2 --n2)")
            }
            // A count of successes is a whole number: 5.5 of 10 is a typo or a proportion given as a count. (A
            // proportion given with --p1/--p2 may still imply a fractional count; that is the rounded-percentage case.)
            for (name, x) in [("--x1", x1), ("--x2", x2)] {
                if let x, x != x.rounded() {
                    throw ValidationError("\(name) \(GroupingVariable.format(code: x)): a count of successes must be a whole number (give a proportion with \(name == "--x1" ? "--p1" : "--p2") instead)")
                }
            }
            for (name, p) in [("--p1", p1), ("--p2", p2)] {
                if let p, !(0...1).contains(p) {
                    let hint = p > 1 && p <= 100 ? " (e.g. 0.74 for 74 %)" : ""
                    throw ValidationError("\(name) \(GroupingVariable.format(code: p)): a proportion must be between 0 and 1\(hint)")
                }
            }
        } else {
            guard variable != nil else { throw ValidationError("give --p1/--x1 --n1 … for summaries, or --data FILE VARIABLE") }
            if (by == nil) == (p0 == nil) { throw ValidationError("give --by GROUP (two samples) or --p0 P (one sample)") }
        }
        // Options of the other form are errors, as --p0 with two samples is: silently ignored, they would leave
        // the reader believing the SE they asked for was used.
        if p0 == nil, varianceOption != nil {
            throw ValidationError("--variance is for a one-sample test (against --p0); a two-sample test uses the pooled SE, or the unpooled (Wald) SE with --unpooled")
        }
        if p0 != nil, unpooled {
            throw ValidationError("--unpooled is for a two-sample test; a one-sample test uses the SE from p0, or from the sample (Wald) with --variance sample")
        }
    }

    func run() throws {
        try input.requireMemoryEngine(command: "proptest")
        if summaryForm {
            var notes: [String] = []
            let s1 = (x1 ?? successes(p1!, n1!, sample: 1, notes: &notes), n1!)
            if let n2 {
                try emitTwo(name1: "sample 1", s1, name2: "sample 2", (x2 ?? successes(p2!, n2, sample: 2, notes: &notes), n2),
                            envelope: ["command": "prop-test", "data": .null], account: nil, notes: notes)
            } else {
                try emitOne(name: "sample 1", s1, envelope: ["command": "prop-test", "data": .null], account: nil, notes: notes)
            }
            return
        }
        guard let variable else { return }
        try reject("--weight", input.weight, in: "prop-test", because: "the z-tests use unweighted counts; use crosstab --weight for weighted shares")
        let data = try input.load(needed: [variable] + (by.map { [$0] } ?? []), command: "prop-test")
        let account = try data.listwise([variable] + (by.map { [$0] } ?? []))
        try account.requireRows([variable] + (by.map { [$0] } ?? []), command: "prop-test")
        let isSuccess = try successIndicator(try data.variable(variable), account: account)
        if let by {
            let grouping = GroupingVariable(try data.variable(by), among: account.used)
            guard grouping.levelNames.count == 2 else {
                throw CLIError("--by \(by) has \(grouping.countWithNames) with data; a two-sample test compares two (pick two with --where)")
            }
            var x = [0.0, 0.0], n = [0.0, 0.0]
            for i in account.used.indices where account.used[i] {
                guard let g = grouping.level(i) else { continue }
                n[g] += 1
                if isSuccess[i] { x[g] += 1 }
            }
            var env = analysisEnvelope(command: "prop-test", data: data, account: account)
            env.set("variable", .string(variable)); env.set("by", .string(by)); env.set("success", .string(successLabel))
            // The tables and their notes name the groups in the style of --locale (2,5 with nb); JSON keeps 2.5.
            try emitTwo(name1: grouping.levelNames[0], (x[0], n[0]), name2: grouping.levelNames[1], (x[1], n[1]),
                        shownNames: grouping.levelNames(output.locale), envelope: env, account: account)
        } else {
            var x = 0.0, n = 0.0
            for i in account.used.indices where account.used[i] { n += 1; if isSuccess[i] { x += 1 } }
            var env = analysisEnvelope(command: "prop-test", data: data, account: account)
            env.set("variable", .string(variable)); env.set("success", .string(successLabel))
            try emitOne(name: variable, (x, n), envelope: env, account: account)
        }
    }

    private var successLabel: String { success ?? "1" }

    /// Which rows count as success. A numeric variable matches --success as a number or as a value label; a
    /// text variable matches the text. Without --success a 0/1 variable counts 1.
    ///
    /// The success value must be one the test can count: a value that occurs in the rows used (after --where and
    /// missing values), or — for a numeric code — a labelled code (a scale point nobody chose is a real 0). A
    /// code that is neither is a typo (`--success 99` would give a confident z from 0 successes), and a declared
    /// missing code can never be counted; both are errors that list the values that occur.
    private func successIndicator(_ v: Variable, account: MissingAccount) throws -> [Bool] {
        switch v.values {
        case .numeric(let c):
            var target: Double?
            if let success {
                target = Double(success.replacingOccurrences(of: ",", with: "."))
                    ?? v.valueLabels.first(where: { $0.value == success })?.key
                guard let code = target else {
                    throw CLIError("--success '\(success)' is neither a number nor a value label of \(v.name)")
                }
                if v.isMissingCode(code) {
                    throw CLIError("--success '\(success)' is a missing code of \(v.name) (\(AnalysisData.missingCodeReason(v, code))): its rows are left out, so none can count as a success")
                }
                let occurs = (0..<c.count).contains { account.used[$0] && c.value(at: $0) == code }
                if !occurs && v.valueLabels[code] == nil {
                    let values = Set((0..<c.count).compactMap { account.used[$0] ? c.value(at: $0) : nil })
                    throw CLIError("--success '\(success)' does not occur in \(v.name) and is not a labelled code of it"
                                   + Self.valuesNote(values.sorted().map { GroupingVariable.format(code: $0) }))
                }
            } else {
                let values = Set((0..<c.count).compactMap { account.used[$0] ? c.value(at: $0) : nil })
                guard values.isSubset(of: [0, 1]) else {
                    let shown = values.sorted().prefix(6).map { GroupingVariable.format(code: $0) }.joined(separator: ", ")
                    throw CLIError("\(v.name) is not a 0/1 variable (values \(shown)…): say which value is a success with --success VALUE")
                }
                target = 1
            }
            return (0..<c.count).map { c.value(at: $0) == target }
        case .text(let t):
            guard let success else {
                let shown = NorwegianCollation.sorted(Set(t.compactMap { $0 })).prefix(6).joined(separator: ", ")
                throw CLIError("\(v.name) is a text variable (values \(shown)…): say which value is a success with --success VALUE")
            }
            guard t.indices.contains(where: { account.used[$0] && t[$0] == success }) else {
                let values = Set(t.indices.compactMap { account.used[$0] ? t[$0] : nil })
                throw CLIError("--success '\(success)' does not occur in \(v.name)" + Self.valuesNote(NorwegianCollation.sorted(values)))
            }
            return t.map { $0 == success }
        }
    }

    /// " (values in the rows used: 0, 1)", at most eight values and "…" after them; " (no rows are used)" when none.
    private static func valuesNote(_ values: [String]) -> String {
        guard !values.isEmpty else { return " (no rows with a value are used)" }
        let shown = values.prefix(8).joined(separator: ", ")
        return " (values in the rows used: \(shown)\(values.count > 8 ? ", …" : ""))"
    }

    // MARK: - Output

    /// Successes from a proportion: p·n, snapped to the nearest integer when within 1e-9 of it (0.74 × 104 is
    /// 76.96…, 0.56 × 150 is 84.00000000000001 in binary). When p·n is not whole (the report's proportions are
    /// rounded) the test uses it as it is, and a note says so.
    private func successes(_ p: Double, _ n: Double, sample: Int, notes: inout [String]) -> Double {
        let x = p * n
        if abs(x - x.rounded()) <= 1e-9 { return x.rounded() }
        let loc = output.locale
        notes.append("Sample \(sample): successes = p·n = \(loc.format(p)) × \(loc.format(n)) = \(loc.format(x, decimals: 2)) is not a whole number (a rounded proportion?); the test uses it as given.")
        return x
    }

    private func emitOne(name: String, _ s: (x: Double, n: Double), envelope: JSONValue, account: MissingAccount?,
                         notes: [String] = []) throws {
        guard let p0 else { return }
        let test = try ProportionZTest(successes: s.x, n: s.n, p0: p0, variance: variance == .null ? .null : .sample)
        let p = test.pValue(tail: alternative.tail)
        let ci = test.confidenceInterval(level: confLevel, tail: alternative.tail)
        let d = output.decimals
        let level = percentLabel(confLevel)
        var samples = ResultTable(title: "Sample", columns: ["Sample", "n", "Successes", "Proportion", "\(level) CI lower", "\(level) CI upper"])
        samples.append([.text(name), count(s.n), count(s.x), .number(test.proportion, decimals: d),
                        .number(ci.lower, decimals: d), .number(ci.upper, decimals: d)])
        samples.notes.append("Wilson score interval for the proportion\(oneSidedIntervalNote(open: alternative == .greater ? "1" : "0")).")
        samples.notes.append(contentsOf: notes)
        var table = ResultTable(title: "\(test.testName) against p0 = \(output.locale.format(p0))", columns: ["Difference", "SE", "z", "p", "Cohen's h"])
        table.append([.number(test.proportion - p0, decimals: d), .number(test.standardError, decimals: d),
                      .number(test.z, decimals: d), .pValue(p), .number(test.cohensH, decimals: d)])
        table.notes.append("SE from \(variance == .null ? "p0 (score test)" : "the sample proportion (Wald test)").")
        if alternative != .twoSided { table.notes.append("Alternative: \(alternative.rawValue) (one-sided p and interval).") }
        if let account { table.notes.append(account.note(output.locale)) }

        var json = envelope
        json.set("test", .string(test.testName))
        json.set("alternative", .string(alternative.rawValue))
        json.set("z", .number(test.z))
        json.set("p", .number(p))
        json.set("estimates", .numbers([test.proportion]))
        json.set("n", .array([countJSON(s.n)]))
        json.set("successes", .array([countJSON(s.x)]))
        json.set("p0", .number(p0))
        json.set("std_error", .number(test.standardError))
        json.set("ci", .numbers([ci.lower, ci.upper]))
        json.set("conf_level", .number(confLevel))
        json.set("cohens_h", .number(test.cohensH))
        json.set("variance", .string(variance.rawValue))
        try output.emit(AnalysisResult(tables: [samples, table], json: json))
    }

    /// `name1` and `name2` as JSON gives them; `shownNames`, when given, as the tables show them.
    private func emitTwo(name1: String, _ s1: (x: Double, n: Double), name2: String, _ s2: (x: Double, n: Double),
                         shownNames: [String]? = nil, envelope: JSONValue, account: MissingAccount?,
                         notes: [String] = []) throws {
        let shown1 = shownNames?[0] ?? name1, shown2 = shownNames?[1] ?? name2
        let test = try TwoSampleProportionZTest(successes1: s1.x, n1: s1.n, successes2: s2.x, n2: s2.n, pooled: !unpooled)
        let p = test.pValue(tail: alternative.tail)
        let ci = test.confidenceInterval(level: confLevel, tail: alternative.tail)
        let d = output.decimals
        let level = percentLabel(confLevel)
        var samples = ResultTable(title: "Samples", columns: ["Sample", "n", "Successes", "Proportion"])
        samples.append([.text(shown1), count(s1.n), count(s1.x), .number(test.proportion1, decimals: d)])
        samples.append([.text(shown2), count(s2.n), count(s2.x), .number(test.proportion2, decimals: d)])
        samples.notes.append(contentsOf: notes)
        var table = ResultTable(title: test.testName,
                                columns: ["Difference", "SE", "z", "p", "\(level) CI lower", "\(level) CI upper", "Cohen's h"])
        table.append([.number(test.difference, decimals: d), .number(test.standardError, decimals: d),
                      .number(test.z, decimals: d), .pValue(p), .number(ci.lower, decimals: d),
                      .number(ci.upper, decimals: d), .number(test.cohensH, decimals: d)])
        table.notes.append("Difference = \(shown1) − \(shown2); the interval uses the unpooled (Wald) SE\(oneSidedIntervalNote(open: alternative == .greater ? "1" : "−1")).")
        if alternative != .twoSided { table.notes.append("Alternative: \(alternative.rawValue) (one-sided p and interval).") }
        if let account { table.notes.append(account.note(output.locale)) }

        var json = envelope
        json.set("test", .string(test.testName))
        json.set("alternative", .string(alternative.rawValue))
        json.set("z", .number(test.z))
        json.set("p", .number(p))
        json.set("estimates", .numbers([test.proportion1, test.proportion2]))
        json.set("n", .array([countJSON(s1.n), countJSON(s2.n)]))
        json.set("successes", .array([countJSON(s1.x), countJSON(s2.x)]))
        json.set("groups", .strings([name1, name2]))
        json.set("difference", .number(test.difference))
        json.set("std_error", .number(test.standardError))
        json.set("ci", .numbers([ci.lower, ci.upper]))
        json.set("conf_level", .number(confLevel))
        json.set("cohens_h", .number(test.cohensH))
        json.set("pooled", .bool(test.pooled))
        try output.emit(AnalysisResult(tables: [samples, table], json: json))
    }

    /// "; one-sided (greater): the upper end is 1, the edge of the range" — empty for a two-sided interval.
    private func oneSidedIntervalNote(open: String) -> String {
        switch alternative {
        case .twoSided: return ""
        case .greater: return "; one-sided (greater): the upper end is \(open), the edge of the range"
        case .less: return "; one-sided (less): the lower end is \(open), the edge of the range"
        }
    }

    private func count(_ n: Double) -> ResultTable.Cell {
        n == n.rounded() && abs(n) < 1e15 ? .integer(Int(n)) : .number(n, decimals: 2)
    }

    private func countJSON(_ n: Double) -> JSONValue {
        n == n.rounded() && abs(n) < 1e15 ? .integer(Int(n)) : .number(n)
    }
}
