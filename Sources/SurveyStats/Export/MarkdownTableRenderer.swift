/// Renders tables as GitHub-flavoured Markdown (pipe tables), with the title as a heading and notes below.
public enum MarkdownTableRenderer {
    public static func render(_ tables: [ResultTable], options: ExportOptions = ExportOptions()) -> String {
        tables.map { render($0, options: options) }.joined(separator: "\n")
    }

    public static func render(_ table: ResultTable, options: ExportOptions = ExportOptions()) -> String {
        let n = table.width
        var out: [String] = []
        if !table.title.isEmpty { out.append("### " + escape(table.title)); out.append("") }
        let header = (0..<n).map { $0 < table.columns.count ? escape(CellFormatting.singleLine(table.columns[$0])) : "" }
        out.append("| " + header.joined(separator: " | ") + " |")
        out.append("|" + (0..<n).map { table.isNumericColumn($0) ? " --: " : " :-- " }.joined(separator: "|") + "|")
        for r in table.rows.indices {
            let fields = (0..<n).map { c -> String in
                let (v, s) = CellFormatting.display(table.cell(r, c), options: options)
                return escape(v + s)
            }
            out.append("| " + fields.joined(separator: " | ") + " |")
        }
        let notes = table.displayNotes(stars: options.significanceStars, locale: options.locale)
        if !notes.isEmpty {
            out.append("")
            out.append(notes.map(escape).joined(separator: "  \n"))
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// Escapes the characters that would otherwise end a cell or start emphasis; a newline becomes a space (a
    /// pipe-table row is one line).
    static func escape(_ s: String) -> String {
        var out = ""
        for ch in s {
            switch ch {
            case "|", "*", "_", "\\", "`", "<", ">", "[", "]": out.append("\\"); out.append(ch)
            case "\r\n", "\n", "\r": out += " "
            default: out.append(ch)
            }
        }
        return out
    }
}
