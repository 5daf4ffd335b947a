/// A result table as every exporter sees it: a title, column headers, rows of typed cells, and notes.
///
/// Statistics types produce `ResultTable`s; `Export/` renders them as text, Markdown, CSV, JSON, LaTeX, HTML
/// or XLSX. Numbers stay numbers (with a display precision) until rendering, so CSV/XLSX keep full values.
public struct ResultTable: Sendable, Equatable {
    public var title: String
    public var columns: [String]
    public var rows: [[Cell]]
    /// Footnotes: significance legend, data provenance, warnings.
    public var notes: [String]
    /// A short name for the table where formats need one (the XLSX sheet name, at most 31 characters), e.g.
    /// "Tabell 3"; `nil`: derived from the title.
    public var shortName: String?

    public init(title: String, columns: [String], rows: [[Cell]] = [], notes: [String] = [], shortName: String? = nil) {
        self.title = title; self.columns = columns; self.rows = rows; self.notes = notes; self.shortName = shortName
    }

    public enum Cell: Sendable, Equatable {
        case text(String)
        /// A number shown with `decimals` digits after the decimal point (full value kept for CSV/JSON/XLSX).
        case number(Double, decimals: Int)
        case integer(Int)
        /// A p-value, printed as "<.001" style and with stars where requested.
        case pValue(Double)
        /// A date, date-time or clock time (a time of day or duration), shown as `text` (`2020-01-06`,
        /// `2020-01-06T08:00:00`, `26:00:00`) in every text format and CSV. XLSX writes `excelSerial` (Excel's
        /// 1900 date system: days since 1899-12-30, a time as a fraction of a day) with the number format
        /// `excelFormat` (`yyyy-mm-dd`, `[hh]:mm:ss`), so that Excel sorts and filters it as a date or time; or
        /// `text` when it is nil (a date before 1900 or a negative duration, which Excel cannot hold).
        case temporal(String, excelSerial: Double?, excelFormat: String)
        case empty
    }
}

/// The legend the report prints under tables with significance stars.
public let significanceLegend = "*** p<.001, ** p<.01, * p<.05"

/// The legend in a locale's numbers, as the p-value cells print them: with a decimal comma the thresholds are
/// «p<,001» and the items are separated by semicolons (commas would read as decimal marks).
public func significanceLegend(locale: ExportLocale) -> String {
    locale == .norwegian ? "*** p<,001; ** p<,01; * p<,05" : significanceLegend
}

extension ResultTable {
    /// Appends a row; cells beyond the column count are kept (renderers pad short rows with empty cells).
    public mutating func append(_ row: [Cell]) { rows.append(row) }

    /// True when the table holds at least one p-value cell (and therefore gets the significance legend).
    public var hasPValues: Bool {
        rows.contains { $0.contains { if case .pValue = $0 { return true } else { return false } } }
    }

    /// True when some p-value cell is below .05 and so carries at least one star.
    public var hasStarredPValues: Bool {
        rows.contains { $0.contains { if case .pValue(let p) = $0 { return p < 0.05 } else { return false } } }
    }

    /// The notes as rendered: the table's own notes plus the significance legend (in `locale`'s numbers) when a
    /// p-value carries stars and a legend is not already among the notes.
    public func displayNotes(stars: Bool, locale: ExportLocale = .standard) -> [String] {
        var out = notes
        let legends = [significanceLegend, significanceLegend(locale: .norwegian)]
        if stars && hasStarredPValues && !notes.contains(where: { note in legends.contains { note.contains($0) } }) {
            out.append(significanceLegend(locale: locale))
        }
        return out
    }

    /// The number of columns a renderer must lay out: the header count or the longest row, whichever is larger.
    public var width: Int { max(columns.count, rows.map(\.count).max() ?? 0) }

    /// The cell at (row, column), `.empty` beyond a short row.
    public func cell(_ r: Int, _ c: Int) -> Cell { c < rows[r].count ? rows[r][c] : .empty }

    /// Whether column `c` holds numbers only (ignoring empty cells): such columns are right-aligned.
    public func isNumericColumn(_ c: Int) -> Bool {
        var sawNumber = false
        for r in rows.indices {
            switch cell(r, c) {
            case .number, .integer, .pValue: sawNumber = true
            case .empty: continue
            case .text, .temporal: return false
            }
        }
        return sawNumber
    }
}

extension ResultTable.Cell {
    /// The numeric value of a number, integer or p-value cell; `nil` for text and empty cells.
    public var numericValue: Double? {
        switch self {
        case .number(let v, _), .pValue(let v): return v
        case .integer(let i): return Double(i)
        case .text, .temporal, .empty: return nil
        }
    }

    /// The cell of a summary `value` (a mean, median, min or max) of a variable in temporal `format`: its
    /// `TemporalFormat.summaryText` (rounded to the second) with the Excel date or time of the same second; nil
    /// when the value has no such text (not finite, beyond the years 1–9999).
    public static func temporal(_ value: Double, format: TemporalFormat) -> ResultTable.Cell? {
        guard let text = format.summaryText(value) else { return nil }
        let excelFormat: String
        switch format.kind {
        case .time: excelFormat = "[hh]:mm:ss"
        case .date, .dateTime: excelFormat = text.contains("T") ? "yyyy-mm-dd hh:mm:ss" : "yyyy-mm-dd"
        }
        return .temporal(text, excelSerial: format.excelSerial(value), excelFormat: excelFormat)
    }

    /// The cell of a spread (an SD or SE) of a time variable as a duration: `TemporalFormat.durationText` with
    /// the Excel time `[hh]:mm:ss` of the same second; nil when not finite or negative.
    public static func duration(_ spread: Double, format: TemporalFormat) -> ResultTable.Cell? {
        guard let text = format.durationText(spread) else { return nil }
        return .temporal(text, excelSerial: (spread / format.unitsPerSecond).rounded() / 86_400, excelFormat: "[hh]:mm:ss")
    }
}
