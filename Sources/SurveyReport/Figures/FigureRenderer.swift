import Foundation

/// Renders figure and table specs as `ResultTable`s from the bundled datasets.
///
/// Every table says where its numbers come from: a footer names the data (reconstructed synthetic respondents,
/// not AFI's data) and a "Publisert" column says, per row, which published number (claim id and printed value)
/// the row reproduces; a row without one holds synthetic numbers only and is marked so. Appendix tables are shown
/// as the report printed them (from the claims registry), with a reconstructed column where data exist.
public struct FigureRenderer {
    public let spec: ReconstructionSpec
    public let catalogue: FigureCatalogue
    public let registry: ClaimRegistry?
    public let data: [String: Dataset]
    /// Number style of the text the renderer writes itself (the printed numbers quoted in «Publisert»): with
    /// `.norwegian` a decimal comma as the report prints it, with `.standard` a point, matching the numeric cells
    /// of the same table in that locale. Numeric cells stay numbers; exporters format them.
    public var locale: ExportLocale = .standard

    public init(spec: ReconstructionSpec, catalogue: FigureCatalogue, registry: ClaimRegistry?, dataDirectory: String) throws {
        self.spec = spec; self.catalogue = catalogue; self.registry = registry
        var d: [String: Dataset] = [:]
        for ds in spec.datasets { d[ds.id] = try Verifier.loadDataset(ds, directory: dataDirectory) }
        data = d
    }

    static let provenance = "Data: reconstructed synthetic respondents, not AFI's data (datasets/afi-2020, surveystats reconstruct)."

    func variableSpec(_ name: String, dataset: String) -> ReconstructionSpec.VariableSpec? {
        spec.datasets.first { $0.id == dataset }?.variables.first { $0.name == name }
    }

    /// The code range of an item or of a grouping variable (`rolle`, `ansettelse`: Tabell 4's composition rows).
    func variableScale(_ name: String, dataset: String) -> (min: Int, max: Int)? {
        if let vs = variableSpec(name, dataset: dataset) { return (vs.min, vs.max) }
        guard let g = spec.datasets.first(where: { $0.id == dataset })?.groupings.first(where: { $0.variable == name }),
              let lo = g.cells.map(\.code).min(), let hi = g.cells.map(\.code).max() else { return nil }
        return (lo, hi)
    }

    /// Targets that reproduce a published number for (variable, group).
    func targets(variable: String, group: ReconstructionSpec.GroupRef) -> [ReconstructionSpec.Target] {
        spec.datasets.flatMap(\.targets).filter { t in
            t.variable == variable && (t.statistic == "percent" || t.statistic == "mean")
                && (t.groups ?? []) == [group]
        }
    }

    /// A published number and its claim, as the «Publisert» cell quotes it. The reconstructed value follows when the
    /// row does not show it (a share of two categories, a share on a table of means) or does not reproduce it
    /// («ikke reprodusert»), so that no cell credits the data with a number they do not give.
    func published(_ t: ReconstructionSpec.Target, labels: [Int: String]?, outcome: TargetOutcome, visible: Bool) -> String {
        let raw = registry?[t.claim]?.printed ?? t.published ?? "?"
        let number = PrintedNumber(raw)
        let printed = number.map { Self.format($0, locale: locale) } ?? raw
        let quoted: String
        if t.statistic == "mean" {
            quoted = "snitt \(printed) (\(t.claim))"
        } else {
            let cats = (t.categories ?? []).map { labels?[$0] ?? String($0) }.joined(separator: "/")
            // Only a printed number gets a percent sign: a verbal claim («flertallet») is quoted as printed.
            quoted = "\(cats): \(printed)\(number == nil ? "" : " %") (\(t.claim))"
        }
        if outcome.satisfied && visible { return quoted }
        let value = Double(outcome.computed).map {
            Self.format($0, decimals: t.statistic == "mean" ? 2 : 1, locale: locale)
        } ?? outcome.computed
        return quoted + (outcome.satisfied ? ", rekonstruert \(value)" : ", ikke reprodusert: rekonstruert \(value)")
    }

    /// Whether the row shows the target's statistic as a cell: a single category of a distribution, the top box
    /// of a top-box figure, the mean of a table of means.
    static func isVisible(_ t: ReconstructionSpec.Target, statistic: String, topBox: [Int]?) -> Bool {
        switch (t.statistic, statistic) {
        case ("mean", "mean"): return true
        case ("percent", "top-box"): return Set(t.categories ?? []) == Set(topBox ?? [])
        case ("percent", "multiple-response"): return t.categories == [1]
        case ("percent", "mean"): return false
        case ("percent", _): return (t.categories ?? []).count == 1
        default: return false
        }
    }

    /// A printed number with its printed decimals in `locale`: "25,7" → "25.7" (standard) or "25,7" (Norwegian).
    static func format(_ p: PrintedNumber, locale: ExportLocale) -> String {
        format(p.value, decimals: p.decimals, locale: locale)
    }

    static func format(_ value: Double, decimals: Int, locale: ExportLocale) -> String {
        let s = String(format: "%.\(decimals)f", value)
        return locale == .norwegian ? s.replacingOccurrences(of: ".", with: ",") : s
    }

    /// A published value as a table cell: a number (with the printed count of decimals, so that every format
    /// shows the printed digits and XLSX stores a number) when it is one, else the printed text ("Om lag 1/3").
    static func publishedCell(_ printed: String?) -> ResultTable.Cell {
        guard let printed else { return .number(.nan, decimals: 0) }  // no number printed: "—", a blank cell in CSV/XLSX
        guard let p = PrintedNumber(printed), !printed.contains("%"), !printed.lowercased().contains("prosent") else {
            return .text(printed)
        }
        return .number(p.value, decimals: p.decimals)
    }

    /// The note of tables that show published numbers only: there is nothing synthetic in them, and saying so
    /// keeps every table of the report explicit about what its numbers are.
    static let publishedOnlyNote = "No reconstructed (synthetic) numbers in this table."

    /// The tables go into a workbook (XLSX): cells are numbers, so the spreadsheet, not `locale`, chooses the decimal
    /// separator, and the note on published numbers says so.
    public var spreadsheet = false

    /// How published numbers are shown, per locale (the report prints a decimal comma).
    var publishedStyleNote: String {
        spreadsheet
            ? "Published numbers are stored as numbers with their printed decimals; Excel shows them with the decimal "
                + "separator of its own locale (the report prints a decimal comma)."
            : locale == .norwegian
            ? "Published numbers are shown as printed (decimal comma); reconstructed numbers use the same convention."
            : "Published numbers are shown with their printed decimals and a decimal point like every number here (the report prints a decimal comma; --locale nb shows them as printed)."
    }

    /// The figure or table as a result table, named for a workbook sheet «Figur 23» / «Tabell 3» (the caption is
    /// its title).
    public func render(_ f: FigureSpec) throws -> ResultTable {
        var table = f.kind == "tabell" ? try renderTable(f) : try renderFigure(f)
        table.shortName = "\(f.kind.prefix(1).uppercased())\(f.kind.dropFirst()) \(f.number)"
        return table
    }

    func renderFigure(_ f: FigureSpec) throws -> ResultTable {
        let title = f.caption ?? "Figur \(f.number)"
        let groups = (f.groups ?? []).filter { data[$0.dataset] != nil }
        let items = f.items ?? []
        let statistic = f.statistic ?? "percent-distribution"
        var notes: [String] = []
        guard !groups.isEmpty, !items.isEmpty else {
            return publishedOnly(f, why: f.surveys?.isEmpty ?? true
                ? "The figure's survey survives only as published aggregates (no microdata)." : "The figure names no items.")
        }
        // Scale of the first item that exists decides the category columns of a distribution.
        let firstVar = items.lazy.compactMap { it in groups.lazy.compactMap { self.variableSpec(it.variable, dataset: $0.dataset) }.first }.first
        let labels = firstVar?.labels
        var columns = ["Spørsmål", "Gruppe", "n"]
        let cats: [Int] = firstVar.map { Array($0.min...$0.max) } ?? []
        switch statistic {
        case "mean": columns += ["Snitt", "SD"]
        case "top-box": columns += ["Andel " + (f.topBox ?? []).map { labels?[$0] ?? String($0) }.joined(separator: "/") + " (%)"]
        case "multiple-response": columns += ["Krysset av (%)"]
        default: columns += cats.map { (labels?[$0] ?? String($0)) + " (%)" }
        }
        columns.append("Publisert (påstand)")
        var rows: [[ResultTable.Cell]] = []
        var reproduced = 0, notReproduced = 0
        for it in items {
            for g in groups {
                guard let vs = variableSpec(it.variable, dataset: g.dataset) else { continue }
                guard let c = try Verifier.counts(it.variable, [g.ref], data: data, scale: (vs.min, vs.max)) else { continue }
                var row: [ResultTable.Cell] = [.text(it.text), .text(g.label), .integer(c.valid)]
                switch statistic {
                case "mean":
                    row += [c.mean.map { .number($0, decimals: 2) } ?? .empty, c.variance.map { .number($0.squareRoot(), decimals: 2) } ?? .empty]
                case "top-box":
                    row.append(c.percent(of: f.topBox ?? []).map { .number($0, decimals: 1) } ?? .empty)
                case "multiple-response":
                    row.append(c.percent(of: [1]).map { .number($0, decimals: 1) } ?? .empty)
                default:
                    for k in cats { row.append(c.percent(of: [k]).map { .number($0, decimals: 1) } ?? .empty) }
                }
                let ts = targets(variable: it.variable, group: g.ref)
                var entries: [String] = []
                for t in ts {
                    let outcome = t.evaluate { refs in try? Verifier.counts(it.variable, refs, data: data, scale: (vs.min, vs.max)) }
                    if outcome.satisfied { reproduced += 1 } else { notReproduced += 1 }
                    entries.append(published(t, labels: vs.labels, outcome: outcome,
                                             visible: Self.isVisible(t, statistic: statistic, topBox: f.topBox)))
                }
                row.append(.text(ts.isEmpty ? "syntetisk" : entries.joined(separator: "; ")))
                rows.append(row)
            }
        }
        notes.append(Self.provenance)
        // The caption's n («(n=1044)», «(n=936–989)»): say so when the first group's rows do not show it.
        if let (lo, hi) = Self.captionN(title), let first = groups.first {
            let ns = rows.compactMap { r -> Int? in
                if case .text(first.label) = r[1], case .integer(let n) = r[2] { return n } else { return nil }
            }
            if !ns.isEmpty && !ns.allSatisfy({ $0 >= lo && $0 <= hi }) {
                notes.append("The caption's n (\(lo == hi ? "\(lo)" : "\(lo)–\(hi)")) is not reproduced for \(first.label): "
                             + "the reconstruction does not target it (see the untargeted reasons in datasets/afi-2020/reconstruction.yaml).")
            }
        }
        notes.append("Percentages and means are of the valid answers (n); «vet ikke» and unanswered (empty cells) are left out.")
        // Years the report's figure shows that have no microdata here (the 2011 survey of ordførere and rådmenn).
        let shownYears = Set(groups.compactMap { g in Int(g.dataset.suffix(4)) })
        let missingYears = (f.years ?? []).filter { !shownYears.contains($0) }
        if !missingYears.isEmpty {
            notes.append("The report's figure also shows \(missingYears.map(String.init).joined(separator: ", ")): that survey survives only as "
                         + "published aggregates (its numbers are claims in datasets/afi-2020/claims.yaml), so it is not shown here.")
        }
        notes.append("Publisert: the published number each row reproduces (claim id in datasets/afi-2020/claims.yaml), with "
                     + "the reconstructed value where the row does not show it; \(reproduced) published number(s) reproduced here"
                     + (notReproduced == 0 ? "" : ", \(notReproduced) not («ikke reprodusert»: the report's own numbers contradict "
                        + "them, see datasets/afi-2020/AUDIT.md, or the reconstruction misses them)")
                     + ". Rows marked «syntetisk» and every other cell are synthetic, not published numbers.")
        if let sc = f.scale?.description { notes.append("Scale (as far as the report reveals it): \(sc)") }
        let claimIDs = f.claims ?? []
        let tests = claimIDs.compactMap { registry?[$0] }.filter { [.significance, .noSignificance, .p].contains($0.statistic) }
        if !tests.isEmpty {
            let byClaim = Dictionary(spec.datasets.flatMap(\.targets).map { ($0.claim, $0) }, uniquingKeysWith: { a, _ in a })
            notes.append("Tests stated in the report: " + tests.map { c in
                var s = "\(c.id) (\(c.groupLabel)\(c.printed.map { ", \($0)" } ?? ""))"
                if let t = byClaim[c.id], let ds = (t.groupsA ?? t.groups)?.first?.dataset, let vs = variableSpec(t.variable, dataset: ds) {
                    let o = t.evaluate { refs in try? Verifier.counts(t.variable, refs, data: data, scale: (vs.min, vs.max)) }
                    s += o.satisfied ? ": reproduced, \(o.computed)" : ": not reproduced, \(o.computed)"
                } else {
                    s += ": not recomputed"
                }
                return s
            }.joined(separator: "; "))
        }
        return ResultTable(title: title, columns: columns, rows: rows, notes: notes)
    }

    /// The one n a caption states, as a range («(n=1044)» → 1044…1044, «(n=936–989)»); nil for none or several.
    static func captionN(_ caption: String) -> (Int, Int)? {
        let re = try! NSRegularExpression(pattern: #"\bn\s*=\s*(\d+)(?:\s*[-–]\s*(\d+))?"#)
        let ns = caption as NSString
        let ms = re.matches(in: caption, range: NSRange(location: 0, length: ns.length))
        guard ms.count == 1, let lo = Int(ns.substring(with: ms[0].range(at: 1))) else { return nil }
        let hi = ms[0].range(at: 2).location == NSNotFound ? lo : Int(ns.substring(with: ms[0].range(at: 2))) ?? lo
        return (lo, hi)
    }

    /// A figure without microdata: the published numbers about it, as printed.
    func publishedOnly(_ f: FigureSpec, why: String) -> ResultTable {
        let claims = (f.claims ?? []).compactMap { registry?[$0] }
        let rows: [[ResultTable.Cell]] = claims.map {
            [.text($0.id), .text($0.groupLabel), .text($0.item), .text($0.statistic.rawValue), Self.publishedCell($0.printed)]
        }
        return ResultTable(title: f.caption ?? f.id, columns: ["Påstand", "Gruppe", "Spørsmål", "Statistikk", "Publisert"],
                           rows: rows, notes: [why + " All numbers below are the report's published values, not recomputed. "
                                               + Self.publishedOnlyNote, publishedStyleNote])
    }

    /// The significance stars the report prints after a table cell (`26,03**`): the registry keeps the number,
    /// the claim's quote the row as printed ("" when the cell has none or the quote is ambiguous).
    static func stars(of c: PublishedClaim) -> String {
        guard let printed = c.printed, c.cell != nil else { return "" }
        let fields = c.quote.split(separator: "\t").map {
            $0.replacingOccurrences(of: "<b>", with: "").replacingOccurrences(of: "</b>", with: "").trimmingCharacters(in: .whitespaces)
        }
        let starred = fields.filter { $0.hasSuffix("*") && $0.trimmingCharacters(in: CharacterSet(charactersIn: "*")) == printed }
        guard starred.count == 1, !fields.contains(printed) else { return "" }
        return String(starred[0].dropFirst(printed.count))
    }

    /// A published table cell: a number (XLSX stores it as one) unless the report prints stars after it; a starred
    /// cell is text, the number in this table's decimal convention followed by its stars.
    func publishedTableCell(_ c: PublishedClaim) -> ResultTable.Cell {
        let cell = Self.publishedCell(c.printed)
        let stars = Self.stars(of: c)
        guard !stars.isEmpty, case .number(let v, let decimals) = cell else { return cell }
        return .text(Self.format(v, decimals: decimals, locale: locale) + stars)
    }

    /// Appendix tables: the published cells (registry claims with a table cell), plus a reconstructed column where
    /// a target reproduces the cell from the bundled data.
    func renderTable(_ f: FigureSpec) throws -> ResultTable {
        let claims = (registry?.claims ?? []).filter { $0.table == f.number && $0.cell != nil }
        guard !claims.isEmpty else { return publishedOnly(f, why: "No table cells in the claims registry.") }
        var rowOrder: [String] = [], colOrder: [String] = []
        var cell: [String: [String: PublishedClaim]] = [:]
        for c in claims {
            guard let rc = c.cell else { continue }
            if !rowOrder.contains(rc.row) { rowOrder.append(rc.row) }
            if !colOrder.contains(rc.column) { colOrder.append(rc.column) }
            cell[rc.row, default: [:]][rc.column] = c
        }
        let targetsByClaim = Dictionary(spec.datasets.flatMap(\.targets).map { ($0.claim, $0) }, uniquingKeysWith: { a, _ in a })
        var reconstructedColumn: [String: ResultTable.Cell] = [:]
        for (row, cols) in cell {
            for (_, c) in cols {
                guard let t = targetsByClaim[c.id], let g = t.groups, let ds = g.first?.dataset,
                      let scale = variableScale(t.variable, dataset: ds),
                      let counts = try Verifier.counts(t.variable, g, data: data, scale: scale) else { continue }
                let v = t.statistic == "mean" ? counts.mean : t.statistic == "n" ? Double(counts.valid) : counts.percent(of: t.categories ?? [])
                if let v { reconstructedColumn[row] = .number(v, decimals: 1) }
            }
        }
        var columns = ["Rad"] + colOrder
        let hasRecon = !reconstructedColumn.isEmpty
        if hasRecon { columns.append("Rekonstruert 2019") }
        let rows: [[ResultTable.Cell]] = rowOrder.map { r in
            var row: [ResultTable.Cell] = [.text(r)]
            for c in colOrder { row.append(cell[r]?[c].map(publishedTableCell) ?? .empty) }
            if hasRecon { row.append(reconstructedColumn[r] ?? .empty) }
            return row
        }
        var notes = ["Columns from the report are its published values (claims registry, one claim per cell), not recomputed."]
        // The table's own legend for its stars (a claim of the table without a cell, quoted from under it).
        if claims.contains(where: { !Self.stars(of: $0).isEmpty }) {
            let legends = (registry?.claims ?? []).filter { $0.table == f.number && $0.cell == nil && $0.statistic == .p }
            for l in legends { notes.append("As printed under the table: \(FigureCatalogue.cleanCaption(l.quote)) (\(l.id)).") }
        }
        if hasRecon {
            notes.append("«Rekonstruert 2019» is recomputed from the bundled data. " + Self.provenance)
        } else {
            notes[0] += " " + Self.publishedOnlyNote
        }
        notes.append(publishedStyleNote)
        return ResultTable(title: f.caption ?? f.id, columns: columns, rows: rows, notes: notes)
    }
}
