/// Renders tables as CSV (RFC 4180 quoting): header row, then data rows.
///
/// Numbers are written at full precision (shortest round-trip form), not at display precision, and p-values as
/// plain numbers without stars, so that the file is data. With `.norwegian` the delimiter is `;` and the decimal
/// separator `,`, which is what Norwegian Excel expects.
///
/// Every table is one block: its title on a line of its own (when it has one), the header row, the data rows,
/// then, after an empty line, its notes (provenance, missing-data accounting, the sign convention of a
/// difference …), one per line as a single quoted-when-needed field. Several tables are separated by an empty
/// line. The notes are the same `displayNotes` every other format prints (without the star legend: CSV has no
/// stars), so a CSV file never loses what the table says about its numbers.
public enum CSVTableRenderer {
    public static func render(_ tables: [ResultTable], options: ExportOptions = ExportOptions()) -> String {
        var out = options.byteOrderMark ? "\u{FEFF}" : ""
        for (i, t) in tables.enumerated() {
            if i > 0 { out += "\n" }
            if !t.title.isEmpty { out += field(t.title, options) + "\n" }
            out += body(t, options: options)
            let notes = t.displayNotes(stars: false)
            if !notes.isEmpty { out += "\n" + notes.map { field($0, options) + "\n" }.joined() }
        }
        return out
    }

    public static func render(_ table: ResultTable, options: ExportOptions = ExportOptions()) -> String {
        render([table], options: options)
    }

    static func body(_ table: ResultTable, options: ExportOptions) -> String {
        let n = table.width
        let d = String(options.locale.csvDelimiter)
        var out = (0..<n).map { field($0 < table.columns.count ? table.columns[$0] : "", options) }.joined(separator: d) + "\n"
        for r in table.rows.indices {
            out += (0..<n).map { c -> String in
                switch table.cell(r, c) {
                case .text(let s), .temporal(let s, _, _): return field(s, options)
                case .empty: return ""
                case .integer(let i): return String(i)
                case .number(let v, _), .pValue(let v): return CellFormatting.shortest(v, locale: options.locale) ?? ""
                }
            }.joined(separator: d) + "\n"
        }
        return out
    }

    /// Quotes a field when it holds the delimiter, a quote, or a line break; doubles embedded quotes.
    static func field(_ s: String, _ options: ExportOptions) -> String {
        let needs = s.contains(options.locale.csvDelimiter) || s.contains("\"") || s.contains("\n") || s.contains("\r")
        return needs ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}
