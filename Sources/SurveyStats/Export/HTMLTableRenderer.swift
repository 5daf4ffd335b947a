/// Renders tables as one standalone HTML5 document (UTF-8, a small embedded style sheet, no scripts).
public enum HTMLTableRenderer {
    public static func render(_ tables: [ResultTable], options: ExportOptions = ExportOptions()) -> String {
        let lang = HTMLTableRenderer.escape(options.documentLanguage)
        let title = tables.first?.title ?? "SurveyStats"
        var out = """
        <!DOCTYPE html>
        <html lang="\(lang)">
        <head>
        <meta charset="utf-8">
        <title>\(escape(title))</title>
        <style>
        body { font-family: system-ui, sans-serif; margin: 2em; }
        table { border-collapse: collapse; margin-bottom: 0.5em; }
        caption { text-align: left; font-weight: bold; padding-bottom: 0.4em; }
        th, td { padding: 0.2em 0.7em; }
        thead th { border-top: 2px solid #000; border-bottom: 1px solid #000; }
        tbody tr:last-child td { border-bottom: 2px solid #000; }
        .num { text-align: right; font-variant-numeric: tabular-nums; }
        .txt { text-align: left; }
        .note { font-size: 0.85em; margin: 0.2em 0; }
        </style>
        </head>
        <body>

        """
        for t in tables { out += render(t, options: options) }
        out += "</body>\n</html>\n"
        return out
    }

    static func render(_ table: ResultTable, options: ExportOptions) -> String {
        let n = table.width
        let cls = (0..<n).map { table.isNumericColumn($0) ? "num" : "txt" }
        var out = "<table>\n"
        if !table.title.isEmpty { out += "<caption>\(escape(table.title))</caption>\n" }
        out += "<thead><tr>"
        for c in 0..<n { out += "<th class=\"\(cls[c])\">\(escape(c < table.columns.count ? table.columns[c] : ""))</th>" }
        out += "</tr></thead>\n<tbody>\n"
        for r in table.rows.indices {
            out += "<tr>"
            for c in 0..<n {
                let (v, s) = CellFormatting.display(table.cell(r, c), options: options)
                let stars = s.isEmpty ? "" : "<sup>\(s)</sup>"
                out += "<td class=\"\(cls[c])\">\(escape(v))\(stars)</td>"
            }
            out += "</tr>\n"
        }
        out += "</tbody>\n</table>\n"
        for note in table.displayNotes(stars: options.significanceStars, locale: options.locale) { out += "<p class=\"note\">\(escape(note))</p>\n" }
        return out
    }

    /// Escapes the five characters that are markup in text and attribute values.
    public static func escape(_ s: String) -> String {
        var out = ""
        for ch in s {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(ch)
            }
        }
        return out
    }
}
