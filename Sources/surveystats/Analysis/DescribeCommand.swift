import ArgumentParser
import Foundation
import SurveyStats

/// `surveystats describe`: n, missing, mean, SD, SE, median, min, max per variable, optionally per group.
struct DescribeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "describe",
        abstract: "Summary statistics (n, missing, mean, SD, SE, median, min, max) of numeric variables.",
        discussion: """
        Each variable is summarised over its own non-missing rows; missing values (empty, NA, --na tokens, \
        codebook missing codes) are counted per reason. With --by, each group is summarised too, labelled with \
        the codebook's value labels.

        A date variable (SPSS DATE/DATETIME, Stata %td/%tc formats) is shown as dates: mean, median, min and max \
        as ISO 8601 (YYYY-MM-DD; a date-time variable, or a mean between two days, with THH:MM:SS), SD and SE in \
        days, whichever program stored the dates. In JSON these four fields are ISO strings, "sd" and "se" are \
        days, and "date_type" ("date" or "datetime") and "sd_unit" ("days") mark such a variable.

        A time variable (a time of day or duration: SPSS TIME/DTIME/MTIME, Stata %tcHH:MM:SS) is shown as clock \
        times: mean, median, min and max as HH:MM:SS, SD and SE as durations HH:MM:SS, all rounded to the second. \
        Hours run on past 24 (26:00:00 is one day and two hours, also for DTIME), as convert writes times and \
        --where reads them. In JSON the four are such strings, "sd" and "se" are seconds, "date_type" is "time" \
        and "sd_unit" "seconds". In XLSX, dates and times are Excel dates and times (a date format, [hh]:mm:ss \
        for times), which Excel sorts and filters as such; a date before 1900, which Excel has not, stays text.

        Examples:
          surveystats describe --data ledere.csv likeverd samarbeid
          surveystats describe --data ledere.csv samarbeid --by rolle
        With a codebook (labels, missing codes) and a filter:
          surveystats describe --data svar.sav --codebook svar.yaml tillit \\
            --by rolle --where 'sektor == kommunal'
        Weighted, as JSON:
          surveystats describe --data ledere.csv samarbeid --weight vekt \\
            --weight-kind probability --format json
        """)

    @Argument(help: ArgumentHelp("Numeric variables to describe.", valueName: "variable"))
    var variables: [String]

    @Option(help: ArgumentHelp("Also describe each group of this variable.", valueName: "var"))
    var by: String?

    @Option(help: ArgumentHelp("How --weight is read: frequency, analytic or probability (affects SD and SE).",
                               valueName: "kind"))
    var weightKind: WeightKind = .frequency

    @OptionGroup(title: "Data") var input: DataOptions
    @OptionGroup(title: "Output") var output: OutputOptions

    func validate() throws {
        if variables.isEmpty { throw ValidationError("name at least one variable to describe") }
    }

    func run() throws {
        try input.requireMemoryEngine(command: "describe")
        let data = try input.load(numeric: variables + (input.weight.map { [$0] } ?? []),
                                  needed: variables + (by.map { [$0] } ?? []), command: "describe")
        let d = output.decimals
        let weights = try data.weightColumn()
        let grouping = try by.map { GroupingVariable(try data.variable($0)) }

        var table = ResultTable(title: "Descriptive statistics",
                                columns: (by.map { ["Variable", $0] } ?? ["Variable"])
                                    + ["n", "Missing", "Mean", "SD", "SE", "Median", "Min", "Max"])
        var jsonVariables: [JSONValue] = []
        var missingNotes: [String] = []
        var dateVariables: [String] = [], timeVariables: [String] = [], outOfRange: [String] = []
        for name in variables {
            let variable = try data.variable(name)
            _ = try data.numeric(name)  // a clear error for a text variable
            // Dates are stored as seconds (SPSS) or days or milliseconds (Stata) since different epochs, times as
            // seconds (SPSS) or milliseconds (Stata): only the calendar date or the clock time means the same
            // whichever file the data came from.
            var dates = TemporalFormat(format: variable.format)
            let all = try data.checkingWeightTotal(of: "'\(name)'", remedy: AnalysisData.weightKindRemedy) {
                try DescriptiveStatistics(variable, weights: weights, weightKind: weightKind)
            }
            // A value beyond the calendar (before year 1, after 9999) has no date: then the variable is shown in
            // its stored numbers throughout (not dates beside raw numbers in one row), and a note says why. The
            // groups' values lie within the overall min and max, so the overall row decides for them too.
            if let d = dates, ![all.mean, all.median, all.min, all.max].allSatisfy({ !$0.isFinite || d.summaryText($0) != nil }) {
                outOfRange.append(name)
                dates = nil
            }
            if let dates { dates.isPointInTime ? dateVariables.append(name) : timeVariables.append(name) }
            table.append((grouping == nil ? [.text(name)] : [.text(name), .text("(all)")]) + cells(all, d, dates: dates))
            var json = stats(all, dates: dates)
            json.set("name", .string(name))
            if let label = variable.label { json.set("label", .string(label)) }
            let account = try data.listwise([name])
            if account.nMissing > 0 { missingNotes.append(account.reasonSummary(output.locale)) }
            json.set("missing_reasons", account.reasonsJSON)
            if let grouping {
                var groups: [JSONValue] = []
                // One pass splits the column (and the weights) by level code; each group keeps the offset.
                guard case .numeric(let column) = variable.values else { throw DataError.notNumeric(variable: name) }
                let split = try GroupedColumn(column, by: grouping.factor)
                let splitWeights = try weights.map { try GroupedColumn(NumericColumn($0), by: grouping.factor) }
                // The table names a level 2.5 as 2,5 with --locale nb; JSON keeps the decimal point.
                let shownNames = grouping.levelNames(output.locale)
                for (level, levelName) in grouping.levelNames.enumerated() {
                    var groupVariable = variable
                    groupVariable.values = .numeric(split.groups[level].column)
                    let s = try DescriptiveStatistics(groupVariable, weights: splitWeights.map { $0.groups[level].column.stored },
                                                      weightKind: weightKind)
                    table.append([.text(""), .text(shownNames[level])] + cells(s, d, dates: dates))
                    var g = stats(s, dates: dates)
                    g.set("name", .string(levelName))
                    groups.append(reorder(g))
                }
                json.set("groups", .array(groups))
            }
            jsonVariables.append(reorder(json))
        }
        table.notes.append(rowsNote(data))
        if !dateVariables.isEmpty {
            table.notes.append("Dates (\(dateVariables.joined(separator: ", "))): mean, median, min and max are dates; SD and SE are in days.")
        }
        if !timeVariables.isEmpty {
            table.notes.append("Times (\(timeVariables.joined(separator: ", "))): mean, median, min and max are clock times, SD and SE "
                               + "durations (HH:MM:SS, rounded to the second; hours past 24 are a day or more).")
        }
        if !outOfRange.isEmpty {
            table.notes.append("\(outOfRange.joined(separator: ", ")): values too far from the epoch to show as dates or clock "
                               + "times (beyond years 1–9999), so all are shown as the stored numbers (\(outOfRange.count == 1 ? "its" : "their") format's units since its epoch).")
        }
        if !missingNotes.isEmpty { table.notes.append("Missing: " + missingNotes.joined(separator: "; ") + ".") }
        if let grouping {
            let noGroup = grouping.missingRows
            if noGroup > 0 {
                let reasons = try data.listwise([grouping.name], includeWeight: false).reasonSummary(output.locale)
                let rows = noGroup == 1 ? "1 row has" : "\(noGroup) rows have"
                table.notes.append("\(rows) no \(grouping.name) and \(noGroup == 1 ? "is" : "are") only in (all) (\(reasons)).")
            }
        }
        if let w = input.weight { table.notes.append("Weighted by \(w) (\(weightKind.rawValue) weights).") }

        var json: JSONValue = ["command": "describe", "data": .string(data.source)]
        json.set("n_rows", .integer(data.rowsRead))
        json.set("n_excluded", .integer(data.rowsExcluded))
        json.set("where", data.filter.map { .string($0) } ?? .null)
        json.set("by", by.map { .string($0) } ?? .null)
        json.set("weight", input.weight.map { .string($0) } ?? .null)
        if input.weight != nil { json.set("weight_kind", .string(weightKind.rawValue)) }
        json.set("variables", .array(jsonVariables))
        try output.emit(AnalysisResult(tables: [table], json: json))
    }

    private func cells(_ s: DescriptiveStatistics, _ d: Int, dates: TemporalFormat?) -> [ResultTable.Cell] {
        guard let dates else {
            return [.integer(s.n), .integer(s.missing), .number(s.mean, decimals: d), .number(s.sd, decimals: d),
                    .number(s.standardError, decimals: d), .number(s.median, decimals: d), .number(s.min, decimals: d),
                    .number(s.max, decimals: d)]
        }
        // A value without a date (no rows: NaN; beyond year 9999) stays a number rather than a blank.
        // A date or time cell is the ISO text in text formats and a real Excel date or time in XLSX.
        func date(_ x: Double) -> ResultTable.Cell { .temporal(x, format: dates) ?? .number(x, decimals: d) }
        // Dates spread over days; times of day over hours, minutes and seconds.
        func spread(_ x: Double) -> ResultTable.Cell {
            dates.isPointInTime ? .number(x / dates.unitsPerDay, decimals: d)
                : .duration(x, format: dates) ?? .number(x, decimals: d)
        }
        return [.integer(s.n), .integer(s.missing), date(s.mean), spread(s.sd), spread(s.standardError), date(s.median),
                date(s.min), date(s.max)]
    }

    private func stats(_ s: DescriptiveStatistics, dates: TemporalFormat?) -> JSONValue {
        var o: JSONValue = [
            "n": .integer(s.n), "missing": .integer(s.missing), "mean": .number(s.mean), "sd": .number(s.sd),
            "se": .number(s.standardError), "median": .number(s.median), "min": .number(s.min), "max": .number(s.max),
        ]
        if let dates {
            func date(_ x: Double) -> JSONValue { dates.summaryText(x).map { .string($0) } ?? .number(x) }
            // Spreads as numbers in a unit that does not depend on the program: days for dates, seconds for times.
            let unit = dates.isPointInTime ? dates.unitsPerDay : dates.unitsPerSecond
            let type: String
            switch dates.kind { case .date: type = "date"; case .dateTime: type = "datetime"; case .time: type = "time" }
            o = [
                "n": .integer(s.n), "missing": .integer(s.missing), "mean": date(s.mean), "sd": .number(s.sd / unit),
                "se": .number(s.standardError / unit), "median": date(s.median), "min": date(s.min), "max": date(s.max),
                "date_type": .string(type), "sd_unit": .string(dates.isPointInTime ? "days" : "seconds"),
            ]
        }
        if input.weight != nil { o.set("sum_of_weights", .number(s.sumOfWeights)) }
        return o
    }

    /// Puts `name` (and `label`) first, as the schema in the README lists them.
    private func reorder(_ v: JSONValue) -> JSONValue {
        guard case .object(let members) = v else { return v }
        let head = members.filter { $0.key == "name" || $0.key == "label" }
        return .object(head + members.filter { $0.key != "name" && $0.key != "label" })
    }

    private func rowsNote(_ data: AnalysisData) -> String {
        var s = "Rows: \(data.rowsRead) read"
        if data.rowsExcluded > 0 { s += ", \(data.rowsExcluded) excluded by --where" }
        return s + "."
    }
}
