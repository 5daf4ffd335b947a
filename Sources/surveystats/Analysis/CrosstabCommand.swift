import ArgumentParser
import Foundation
import SurveyStats

/// `surveystats crosstab`: a two-way table with percentages, χ², G², Cramér's V.
struct CrosstabCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crosstab",
        abstract: "Cross-tabulation of two categorical variables with Pearson χ², likelihood-ratio G² and Cramér's V.",
        discussion: """
        Rows and columns are labelled and ordered by the codebook's value labels (else sorted: texts in Norwegian \
        order, A–Z, Æ, Ø, Å). With --weight the counts are weighted. A warning is printed when expected counts \
        fall below 5. A CSV file of 64 MiB or more is streamed (--engine auto) with the same output as --engine memory.

        Examples:
          surveystats crosstab --data ledere.csv rolle sektor
          surveystats crosstab --data ledere.csv rolle sektor --percent row
        Weighted, labelled by a codebook, into an Excel workbook:
          surveystats crosstab --data svar.sav --codebook svar.yaml \\
            rolle tillit --weight vekt --out tabell.xlsx
        """)

    enum Percent: String, ExpressibleByArgument, CaseIterable { case none, row, column, total }

    @Argument(help: ArgumentHelp("Row variable.", valueName: "row")) var rowVariable: String
    @Argument(help: ArgumentHelp("Column variable.", valueName: "column")) var columnVariable: String

    @Option(help: ArgumentHelp("Also print percentages: none, row, column or total.", valueName: "kind"))
    var percent: Percent = .none

    @OptionGroup(title: "Data") var input: DataOptions
    @OptionGroup(title: "Output") var output: OutputOptions

    func run() throws {
        let variables = [rowVariable, columnVariable]
        let sameVariable: [(String, String)] = rowVariable == columnVariable
            ? [("the same variable as rows and columns", "a variable is tallied once")] : []
        let data: AnalysisData
        let account: MissingAccount
        let tab: CrossTab
        let weighted: Bool
        // Row and column names as the tables show them in --locale (a level 2.5 is 2,5 with nb); JSON keeps 2.5.
        var shownRows: [String: String] = [:], shownColumns: [String: String] = [:]
        if try input.streams(command: "crosstab", variables: variables, blockers: sameVariable),
           let streamed = try input.stream(variables: variables, pairs: [(rowVariable, columnVariable)], command: "crosstab") {
            data = streamed.data
            let (streamedAccount, streamedTab, rows, cols) = try streamedTable(streamed)
            (account, tab) = (streamedAccount, streamedTab)
            shownRows = rows.shownLevelNames(output.locale)
            shownColumns = cols.shownLevelNames(output.locale)
            weighted = false
        } else {
            data = try input.load(needed: variables, command: "crosstab")
            account = try data.listwise(variables)
            let rows = GroupingVariable(try data.variable(rowVariable), among: account.used)
            let cols = GroupingVariable(try data.variable(columnVariable), among: account.used)
            guard account.nUsed > 0 else {
                throw StatisticsError.tooFewObservations(what: "crosstab \(rowVariable) × \(columnVariable)", needed: 1, got: 0)
            }
            // Counted straight from the two variables' level codes over the used rows (unused rows are code 0).
            let weights = try data.weightColumn()
            tab = try data.checkingWeightTotal(of: "'\(rowVariable)' × '\(columnVariable)'",
                                               remedy: "rescale the weights (χ² treats them as counts)") {
                try CrossTab(rows: rows.factor, columns: cols.factor, weights: weights)
            }
            weighted = weights != nil
            shownRows = rows.shownLevelNames(output.locale)
            shownColumns = cols.shownLevelNames(output.locale)
        }
        let rowLabels = tab.rowLabels.map { shownRows[$0] ?? $0 }
        let columnLabels = tab.columnLabels.map { shownColumns[$0] ?? $0 }
        let d = output.decimals

        func countCell(_ x: Double) -> ResultTable.Cell {
            weighted ? .number(x, decimals: 1) : .integer(Int(x.rounded()))
        }
        var counts = ResultTable(title: "\(rowVariable) × \(columnVariable)\(weighted ? " (weighted counts)" : "")",
                                 columns: [rowVariable] + columnLabels + ["Total"])
        for (r, label) in rowLabels.enumerated() {
            counts.append([.text(label)] + tab.counts[r].map(countCell) + [countCell(tab.rowTotals[r])])
        }
        counts.append([.text("Total")] + tab.columnTotals.map(countCell) + [countCell(tab.total)])
        counts.notes.append(account.note(output.locale))
        var tables = [counts]

        // The --percent matrix, rows × columns as `counts`: shown as a table, and in JSON as `row_percent`,
        // `column_percent` or `total_percent`.
        let pct: [[Double]]? = percent == .none ? nil
            : percent == .row ? tab.rowPercents : percent == .column ? tab.columnPercents : tab.totalPercents
        if let pct {
            var pt = ResultTable(title: "\(percent.rawValue.capitalized) percent", columns: [rowVariable] + columnLabels)
            for (r, label) in rowLabels.enumerated() {
                pt.append([.text(label)] + pct[r].map { .number($0, decimals: 1) })
            }
            tables.append(pt)
        }

        var test = ResultTable(title: "Tests of independence", columns: ["Statistic", "Value", "df", "p"])
        test.append([.text("Pearson χ²"), .number(tab.chiSquare, decimals: d), .number(tab.df, decimals: 0), .pValue(tab.pValue)])
        test.append([.text("Likelihood ratio G²"), .number(tab.gSquare, decimals: d), .number(tab.df, decimals: 0),
                     .pValue(tab.gSquarePValue)])
        test.append([.text("Cramér's V"), .number(tab.cramersV, decimals: d), .empty, .empty])
        test.append([.text("N"), countCell(tab.total), .empty, .empty])
        var warnings = tab.notes
        if let w = tab.expectedCountWarning { warnings.append(w) }
        // Notes follow --locale like the cells; JSON and stderr keep the decimal point.
        test.notes.append(contentsOf: tab.notes)
        if let w = tab.expectedCountWarning(locale: output.locale) { test.notes.append(w) }
        if tab.yatesChiSquare != nil {
            test.notes.append("2×2 table: Pearson χ² without Yates' continuity correction (scipy's chi2_contingency corrects by default; R's chisq.test too).")
        }
        if weighted {
            // Σw enters χ² and G² as if it were a count of respondents: halving every weight halves χ².
            test.notes.append("Weights are treated as frequency weights in χ² and G² (weighted counts as if observed); the tests are not design-based (no Rao–Scott correction for survey weights).")
        }
        tables.append(test)

        var json = analysisEnvelope(command: "crosstab", data: data, account: account)
        json.set("row_variable", .string(rowVariable))
        json.set("column_variable", .string(columnVariable))
        json.set("counts", .array(tab.counts.map { .array($0.map { weighted ? .number($0) : .integer(Int($0.rounded())) }) }))
        json.set("row_labels", .strings(tab.rowLabels))
        json.set("column_labels", .strings(tab.columnLabels))
        json.set("row_totals", .array(tab.rowTotals.map { weighted ? .number($0) : .integer(Int($0.rounded())) }))
        json.set("column_totals", .array(tab.columnTotals.map { weighted ? .number($0) : .integer(Int($0.rounded())) }))
        json.set("n", weighted ? .number(tab.total) : .integer(Int(tab.total.rounded())))
        json.set("chi2", .number(tab.chiSquare))
        json.set("df", degreesOfFreedom(tab.df))
        json.set("p", .number(tab.pValue))
        json.set("g2", .number(tab.gSquare))
        json.set("g2_p", .number(tab.gSquarePValue))
        json.set("cramers_v", .number(tab.cramersV))
        json.set("expected", .array(tab.expected.map { .numbers($0) }))
        json.set("expected_min", .number(tab.minimumExpected))
        json.set("cells_expected_below_5", .integer(tab.cellsWithExpectedBelow5))
        if let pct { json.set("\(percent.rawValue)_percent", .array(pct.map { .numbers($0) })) }
        json.set("warnings", .strings(warnings))
        if weighted { json.set("weight_kind", .string(WeightKind.frequency.rawValue)) }
        try output.emit(AnalysisResult(tables: tables, json: json, warnings: warnings))
    }

    /// The table from a streamed file: the same row accounting, level order and counts as the in-memory path
    /// (`listwise`, `GroupingVariable(_:among:)`, `CrossTab(rows:columns:rowOrder:columnOrder:)`), computed on
    /// the distinct texts and weighted by how many rows hold each pair. Also the row and column levels, which
    /// name them.
    private func streamedTable(_ streamed: StreamedData) throws -> (MissingAccount, CrossTab, GroupingVariable, GroupingVariable) {
        let data = streamed.data
        let rowVar = try data.variable(rowVariable), colVar = try data.variable(columnVariable)
        let nr = streamed.textCount(rowVariable), nc = streamed.textCount(columnVariable)
        // Why a distinct text is missing (nil = it has a value); reasons in order of first appearance, as
        // `listwise` lists them (texts are in order of first appearance).
        var reasons: [MissingAccount.Reason] = []
        var missing: [[Bool]] = []
        for (v, count) in [(rowVar, nr), (colVar, nc)] {
            let rows = streamed.counts(v.name)
            var isMissing = [Bool](repeating: false, count: count)
            var order: [MissingAccount.Reason] = [], byReason: [String: Int] = [:]
            for k in 0..<count {
                guard let r = AnalysisData.missingReason(v, k) else { continue }
                isMissing[k] = true
                if byReason[r] == nil { order.append(MissingAccount.Reason(v, row: k, count: 0)) }
                byReason[r, default: 0] += rows[k]
            }
            for var r in order { r.count = byReason[r.reason]!; reasons.append(r) }
            missing.append(isMissing)
        }
        let pair = streamed.pair(rowVariable, columnVariable)
        var usedRow = [Bool](repeating: false, count: data.dataset.rowCount)
        var usedColumn = [Bool](repeating: false, count: data.dataset.rowCount)
        var nUsed = 0
        var cells: [(a: Int, b: Int, n: Int)] = []
        for (key, n) in streamed.tally.joint[pair] {
            let a = key >> 32, b = key & 0xFFFF_FFFF
            guard !missing[0][a], !missing[1][b] else { continue }
            usedRow[a] = true; usedColumn[b] = true
            nUsed += n
            cells.append((a, b, n))
        }
        let account = MissingAccount(data: data, rowsConsidered: streamed.tally.rows, nUsed: nUsed, reasons: reasons)
        guard nUsed > 0 else {
            throw StatisticsError.tooFewObservations(what: "crosstab \(rowVariable) × \(columnVariable)", needed: 1, got: 0)
        }
        let rows = GroupingVariable(rowVar, among: usedRow)
        let cols = GroupingVariable(colVar, among: usedColumn)
        var counts: [String: [String: Double]] = [:]
        var rset = Set<String>(), cset = Set<String>()
        for (a, b, n) in cells {
            guard let i = rows.level(a), let j = cols.level(b) else { continue }
            let r = rows.levelNames[i], c = cols.levelNames[j]
            counts[r, default: [:]][c, default: 0] += Double(n)
            rset.insert(r); cset.insert(c)
        }
        let rl = rows.levelNames + NorwegianCollation.sorted(rset.subtracting(rows.levelNames))
        let cl = cols.levelNames + NorwegianCollation.sorted(cset.subtracting(cols.levelNames))
        let tab = try CrossTab(counts: rl.map { r in cl.map { counts[r]?[$0] ?? 0 } }, rowLabels: rl, columnLabels: cl,
                               missing: 0)
        return (account, tab, rows, cols)
    }
}
