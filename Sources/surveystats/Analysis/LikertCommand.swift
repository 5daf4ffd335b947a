import ArgumentParser
import Foundation
import SurveyStats

/// `surveystats likert`: the report's item tables — percent per answer category (with its label), mean, SD,
/// top-box and bottom-box shares — per item and optionally per group.
struct LikertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "likert",
        abstract: "Likert items: percent per category (labelled), mean, SD, top-box/bottom-box shares.",
        discussion: """
        The scale comes from --scale, else from the codebook's `scale` (scale: [1, 5]), else from the value \
        labels that are not missing codes. \
        Percentages are of the valid answers; declared missing codes («Vet ikke», «ubesvart») and empty cells \
        are counted separately.

        A CSV file of 64 MiB or more is streamed (--engine auto): read once on all cores, in memory that does not \
        grow with the rows, with the same output as --engine memory. FILE.codebook.yaml next to the data is used \
        unless --codebook or --no-codebook says otherwise.

        Examples:
          surveystats likert --data ledere.csv --codebook ledere.yaml tillit
          surveystats likert --data ledere.csv --codebook ledere.yaml tillit \\
            --by rolle --top 4+5
          surveystats likert --data ledere.csv tillit --scale 1-5 \\
            --weight vekt --out tillit.xlsx
        """)

    @Argument(help: ArgumentHelp("Likert items (numeric codes).", valueName: "item"))
    var items: [String]

    @Option(help: ArgumentHelp("Also summarise each group of this variable.", valueName: "var"))
    var by: String?

    @Option(help: ArgumentHelp("Scale points, e.g. 1-5 or 1,2,3,4,5 (default: the codebook's labelled codes).",
                               valueName: "points"))
    var scale: String?

    @Option(help: ArgumentHelp("Top box, e.g. 4+5 (default: the two highest points; the highest on a 3-point scale).", valueName: "points"))
    var top: String?

    @Option(help: ArgumentHelp("Bottom box, e.g. 1+2 (default: the two lowest points; the lowest on a 3-point scale).", valueName: "points"))
    var bottom: String?

    @Option(help: ArgumentHelp("How --weight is read: frequency, analytic or probability.", valueName: "kind"))
    var weightKind: WeightKind = .frequency

    @OptionGroup(title: "Data") var input: DataOptions
    @OptionGroup(title: "Output") var output: OutputOptions

    func validate() throws {
        if items.isEmpty { throw ValidationError("name at least one item") }
        if let scale, parseScale(scale) == nil {
            throw ValidationError("--scale '\(scale)': give a range like 1-5 or a list like 1,2,3,4,5")
        }
    }

    /// "1-5" → [1, 2, 3, 4, 5]; "1,2,3" → [1, 2, 3].
    private func parseScale(_ text: String) -> [Double]? {
        let t = text.trimmingCharacters(in: .whitespaces)
        if let dash = t.dropFirst().firstIndex(of: "-"), let lo = Int(t[..<dash]), let hi = Int(t[t.index(after: dash)...]),
           lo < hi, hi - lo <= 100 {
            return (lo...hi).map(Double.init)
        }
        let parts = t.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard !parts.isEmpty, parts.allSatisfy({ $0 != nil }) else { return nil }
        return parts.map { $0! }
    }

    /// An item's variable (label, value labels) with its summary over all rows and per group.
    private struct ItemSummaries {
        var variable: Variable
        var all: LikertSummary
        var groups: [(name: String, summary: LikertSummary)]
        /// Of the summary's system-missing rows, those that held an `--na` token, per token in order of the first
        /// row holding it (the summary counts them as empty; the note names them as every command does).
        var tokenMissing: [(token: String, count: Int)] = []
    }

    /// Rows of `variable` holding each of its `--na` tokens, in order of the first such row; `rows(r)` is how many
    /// rows row `r` stands for (0 to leave it out).
    private static func tokenMissing(_ variable: Variable, rows: (Int) -> Int) -> [(token: String, count: Int)] {
        let byFirstRow = variable.missingTokenRows.filter { !$0.value.isEmpty }.sorted { $0.value[0] < $1.value[0] }
        return byFirstRow.compactMap { token, tokenRows in
            let n = tokenRows.reduce(0) { $0 + rows($1) }
            return n > 0 ? (token, n) : nil
        }
    }

    func run() throws {
        let points = scale.flatMap(parseScale)
        let needed = items + (by.map { [$0] } ?? [])
        let data: AnalysisData
        let summarize: (String) throws -> ItemSummaries
        // Group names as the tables show them in --locale (a level 2.5 is 2,5 with nb); JSON keeps 2.5.
        var shownGroups: [String: String] = [:]
        if try input.streams(command: "likert", variables: needed),
           let streamed = try input.stream(variables: needed, pairs: by.map { b in items.map { (b, $0) } } ?? [],
                                           numeric: items, command: "likert") {
            // Streamed: `data` holds each variable's distinct texts; the tally says how many rows hold each.
            data = streamed.data
            let grouping = try by.map { GroupingVariable(try data.variable($0)) }
            shownGroups = grouping?.shownLevelNames(output.locale) ?? [:]
            summarize = { name in
                let variable = try data.variable(name)
                _ = try data.numeric(name)
                guard case .numeric(let column) = variable.values else { throw DataError.notNumeric(variable: name) }
                let value = { (r: Int) in column.value(at: r) ?? .nan }
                let counts = streamed.counts(name)
                let all = try LikertSummary(variable, valueCounts: counts.indices.map { (value($0), counts[$0]) },
                                            scale: points)
                var groups: [(name: String, summary: LikertSummary)] = []
                if let grouping, let by {
                    let p = streamed.pair(by, name)
                    var perLevel = [[(value: Double, count: Int)]](repeating: [], count: grouping.levelNames.count)
                    for (key, n) in streamed.tally.joint[p] {
                        guard let level = grouping.level(key >> 32) else { continue }
                        perLevel[level].append((value(key & 0xFFFF_FFFF), n))
                    }
                    for (level, levelName) in grouping.levelNames.enumerated() {
                        groups.append((levelName, try LikertSummary(variable, valueCounts: perLevel[level], scale: all.scale)))
                    }
                }
                // Rows of `data` beyond the distinct texts repeat the first and stand for no row of the file.
                let tokens = Self.tokenMissing(variable) { $0 < counts.count ? counts[$0] : 0 }
                return ItemSummaries(variable: variable, all: all, groups: groups, tokenMissing: tokens)
            }
        } else {
            data = try input.load(numeric: items + (input.weight.map { [$0] } ?? []), needed: needed, command: "likert")
            let weights = try data.weightColumn()
            let grouping = try by.map { GroupingVariable(try data.variable($0)) }
            shownGroups = grouping?.shownLevelNames(output.locale) ?? [:]
            // One pass per item over the rows (overall and every group together), items on all cores.
            var precomputed = [Result<ItemSummaries, Error>?](repeating: nil, count: items.count)
            let names = items
            precomputed.withUnsafeMutableBufferPointer { out in
                let base = out.baseAddress!
                DispatchQueue.concurrentPerform(iterations: names.count) { j in
                    (base + j).pointee = Result {
                        let variable = try data.variable(names[j])
                        if !variable.isNumeric { _ = try data.numeric(names[j]) }  // the "not numeric" error
                        let (all, groups) = try data.checkingWeightTotal(of: "'\(names[j])'", remedy: AnalysisData.weightKindRemedy) {
                            try LikertSummary.grouped(variable, by: grouping?.factor, scale: points,
                                                      weights: weights, weightKind: weightKind)
                        }
                        let named = zip(grouping?.levelNames ?? [], groups).map { (name: $0, summary: $1) }
                        // A row whose weight is missing is listed under the weight, not by the item's token.
                        let tokens = Self.tokenMissing(variable) { weights?[$0].isNaN == true ? 0 : 1 }
                        return ItemSummaries(variable: variable, all: all, groups: named, tokenMissing: tokens)
                    }
                }
            }
            summarize = { name in
                guard let j = names.firstIndex(of: name), let result = precomputed[j] else {
                    throw CLIError("likert: no summary for '\(name)'")
                }
                return try result.get()
            }
        }
        let d = output.decimals
        var tables: [ResultTable] = []
        var jsonItems: [JSONValue] = []

        var weightMissing: [MissingAccount.Reason] = []
        if let w = input.weight {
            var used = [Bool](repeating: true, count: data.dataset.rowCount)
            weightMissing = AnalysisData.markMissing(try data.variable(w), &used)
        }
        for name in items {
            let summaries = try summarize(name)
            let variable = summaries.variable
            let all = summaries.all
            let topLabel = top ?? all.defaultTopPoints.map { GroupingVariable.format(code: $0) }.joined(separator: "+")
            let bottomLabel = bottom ?? all.defaultBottomPoints.map { GroupingVariable.format(code: $0) }.joined(separator: "+")
            // Headers name the scale points in the style of --locale (a point 2.5 is 2,5 with nb, also in a box
            // given as --bottom 1+2.5); JSON keeps the decimal point.
            let loc = output.locale
            func shown(_ given: String) -> String {
                loc.decimalSeparator == "." ? given : given.replacingOccurrences(of: ".", with: String(loc.decimalSeparator))
            }
            let topHeader = top.map(shown) ?? all.defaultTopPoints.map { GroupingVariable.format(code: $0, locale: loc) }.joined(separator: "+")
            let bottomHeader = bottom.map(shown) ?? all.defaultBottomPoints.map { GroupingVariable.format(code: $0, locale: loc) }.joined(separator: "+")
            let pointHeaders = zip(all.scale, all.labels).map { code, label in
                GroupingVariable.format(code: code, locale: loc) + (label.map { " \($0)" } ?? "")
            }
            var table = ResultTable(
                title: variable.label.map { "\(name): \($0)" } ?? name,
                columns: (by.map { [$0] } ?? []) + ["n", "Missing"] + pointHeaders.map { "\($0) %" }
                    + ["Mean", "SD", "Top \(topHeader) %", "Bottom \(bottomHeader) %"])
            func row(_ group: String?, _ s: LikertSummary) throws -> [ResultTable.Cell] {
                let head: [ResultTable.Cell] = by == nil ? [] : [.text(group.map { shownGroups[$0] ?? $0 } ?? "(all)")]
                return head + [.integer(s.n), .integer(s.missing)] + s.percent.map { .number($0, decimals: 1) }
                    + [.number(s.mean, decimals: d), .number(s.sd, decimals: d),
                       .number(try s.share(of: topLabel), decimals: 1), .number(try s.share(of: bottomLabel), decimals: 1)]
            }
            func json(_ groupName: String?, _ s: LikertSummary) throws -> JSONValue {
                var j = s.jsonValue(name: groupName ?? name)
                j.set("top_box", .number(try s.share(of: topLabel)))
                j.set("bottom_box", .number(try s.share(of: bottomLabel)))
                return j
            }
            table.append(try row(nil, all))
            var itemJSON = try json(nil, all)
            itemJSON.set("top_box_points", .string(topLabel))
            itemJSON.set("bottom_box_points", .string(bottomLabel))
            if let label = variable.label { itemJSON.set("label", .string(label)) }
            if by != nil {
                var groups: [JSONValue] = []
                for (levelName, s) in summaries.groups {
                    table.append(try row(levelName, s))
                    groups.append(try json(levelName, s))
                }
                itemJSON.set("groups", .array(groups))
            }
            var missingParts: [String] = []
            // Rows whose weight is missing are counted by the summary as system-missing: list them under the
            // weight, by reason (a codebook missing code, an --na token, empty), as the other commands do.
            let itemEmpty = all.systemMissing - weightMissing.reduce(0) { $0 + $1.count }
                - summaries.tokenMissing.reduce(0) { $0 + $1.count }
            if itemEmpty > 0 { missingParts.append("\(itemEmpty) \(AnalysisData.emptyNAReason)") }
            for (token, count) in summaries.tokenMissing {
                missingParts.append("\(count) \(AnalysisData.tokenReason(token))")
            }
            for code in all.missingByCode.keys.sorted() {
                missingParts.append("\(all.missingByCode[code]!) \(AnalysisData.missingCodeReason(variable, code, locale: output.locale))")
            }
            if all.outOfScale > 0 { missingParts.append("\(all.outOfScale) outside the scale") }
            if all.zeroWeight > 0 { missingParts.append("\(all.zeroWeight) \(AnalysisData.zeroWeightReason)") }
            if !weightMissing.isEmpty {
                missingParts.append("weight \(weightMissing[0].variable): "
                                    + weightMissing.map { "\($0.count) \($0.reason)" }.joined(separator: ", "))
            }
            table.notes.append("Percent of valid answers. Rows: \(data.rowsRead) read"
                               + (data.rowsExcluded > 0 ? ", \(data.rowsExcluded) excluded by --where" : "")
                               + (missingParts.isEmpty ? "." : "; not valid: " + missingParts.joined(separator: ", ") + "."))
            table.notes.append(contentsOf: all.notes(locale: output.locale))
            if let w = input.weight { table.notes.append("Weighted by \(w) (\(weightKind.rawValue) weights).") }
            tables.append(table)
            jsonItems.append(itemJSON)
        }

        var json: JSONValue = ["command": "likert", "data": .string(data.source)]
        json.set("where", data.filter.map { .string($0) } ?? .null)
        json.set("weight", data.weightName.map { .string($0) } ?? .null)
        json.set("n_rows", .integer(data.rowsRead))
        json.set("n_excluded", .integer(data.rowsExcluded))
        json.set("by", by.map { .string($0) } ?? .null)
        json.set("items", .array(jsonItems))
        try output.emit(AnalysisResult(tables: tables, json: json))
    }
}
