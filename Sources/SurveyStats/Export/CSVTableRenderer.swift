/// Renders tables as CSV (RFC 4180 quoting): header row, then data rows.
///
/// Numbers are written at full precision (shortest round-trip form), not at display precision, and p-values as
/// plain numbers without stars, so that the file is data. With `.norwegian` the delimiter is `;` and the decimal
/// separator `,`, which is what Norwegian Excel expects. Several tables are separated by an empty line, each then
/// preceded by its title on a line of its own.
public enum CSVTableRenderer {
    public static func render(_ tables: [ResultTable], options: ExportOptions = ExportOptions()) -> String {
        var out = options.byteOrderMark ? "\u{FEFF}" : ""
        let many = tables.count > 1
        for (i, t) in tables.enumerated() {
            if i > 0 { out += "\n" }
            if many { out += field(t.title, options) + "\n" }
            out += body(t, options: options)
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
                case .text(let s): return field(s, options)
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
