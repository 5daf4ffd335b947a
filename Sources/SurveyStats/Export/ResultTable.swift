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

    public init(title: String, columns: [String], rows: [[Cell]] = [], notes: [String] = []) {
        self.title = title; self.columns = columns; self.rows = rows; self.notes = notes
    }

    public enum Cell: Sendable, Equatable {
        case text(String)
        /// A number shown with `decimals` digits after the decimal point (full value kept for CSV/JSON/XLSX).
        case number(Double, decimals: Int)
        case integer(Int)
        /// A p-value, printed as "<.001" style and with stars where requested.
        case pValue(Double)
        case empty
    }
}
