import ArgumentParser
import Foundation
import SurveyStats

/// `surveystats crosstab`: a two-way table with percentages, χ², G², Cramér's V.
struct CrosstabCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crosstab",
        abstract: "Cross-tabulation of two categorical variables with Pearson χ², likelihood-ratio G² and Cramér's V.",
        discussion: """
        Rows and columns are labelled and ordered by the codebook's value labels (else sorted). With --weight the \
        counts are weighted. A warning is printed when expected counts fall below 5.

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
        let data = try input.load(needed: [rowVariable, columnVariable], command: "crosstab")
        let account = try data.listwise([rowVariable, columnVariable])
        let rows = GroupingVariable(try data.variable(rowVariable), among: account.used)
        let cols = GroupingVariable(try data.variable(columnVariable), among: account.used)
        let rowLabels = account.select(rows.levelOfRow).map { $0.map { rows.levelNames[$0] } }
        let colLabels = account.select(cols.levelOfRow).map { $0.map { cols.levelNames[$0] } }
        let weights = try data.weights(account)
        guard !rowLabels.isEmpty else {
            throw StatisticsError.tooFewObservations(what: "crosstab \(rowVariable) × \(columnVariable)", needed: 1, got: 0)
        }
        let tab = try CrossTab(rows: rowLabels, columns: colLabels, weights: weights,
                               rowOrder: rows.levelNames, columnOrder: cols.levelNames)
        let weighted = weights != nil
        let d = output.decimals

        func countCell(_ x: Double) -> ResultTable.Cell {
            weighted ? .number(x, decimals: 1) : .integer(Int(x.rounded()))
        }
        var counts = ResultTable(title: "\(rowVariable) × \(columnVariable)\(weighted ? " (weighted counts)" : "")",
                                 columns: [rowVariable] + tab.columnLabels + ["Total"])
        for (r, label) in tab.rowLabels.enumerated() {
            counts.append([.text(label)] + tab.counts[r].map(countCell) + [countCell(tab.rowTotals[r])])
        }
        counts.append([.text("Total")] + tab.columnTotals.map(countCell) + [countCell(tab.total)])
        counts.notes.append(account.note)
        var tables = [counts]

        if percent != .none {
            let pct: [[Double]] = percent == .row ? tab.rowPercents : percent == .column ? tab.columnPercents : tab.totalPercents
            var pt = ResultTable(title: "\(percent.rawValue.capitalized) percent", columns: [rowVariable] + tab.columnLabels)
            for (r, label) in tab.rowLabels.enumerated() {
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
        test.notes.append(contentsOf: warnings)
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
        json.set("warnings", .strings(warnings))
        try output.emit(AnalysisResult(tables: tables, json: json, warnings: warnings))
    }
}
