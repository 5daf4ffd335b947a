/// Renders tables as aligned plain text for a terminal.
///
/// Widths count grapheme clusters (so "Bodø" is four columns wide, whatever its UTF-8 length); numeric columns
/// are right-aligned, text columns left-aligned; the stars after p-values are padded so that the digits line up.
public enum TextTableRenderer {
    public static func render(_ tables: [ResultTable], options: ExportOptions = ExportOptions()) -> String {
        tables.map { render($0, options: options) }.joined(separator: "\n")
    }

    public static func render(_ table: ResultTable, options: ExportOptions = ExportOptions()) -> String {
        let n = table.width
        let header = (0..<n).map { $0 < table.columns.count ? CellFormatting.singleLine(table.columns[$0]) : "" }
        let cells = table.rows.indices.map { r in (0..<n).map { CellFormatting.display(table.cell(r, $0), options: options) } }
        let numeric = (0..<n).map { table.isNumericColumn($0) }
        // Stars are padded to the widest star string of the column, so ".034*  " and "<.001***" align on the digits.
        let starWidth = (0..<n).map { c in cells.map { CellFormatting.displayWidth($0[c].stars) }.max() ?? 0 }
        let bodyText = cells.map { row in
            (0..<n).map { c -> String in
                let (v, s) = row[c]
                return starWidth[c] == 0 ? v : v + pad(s, to: starWidth[c], right: false)
            }
        }
        let widths = (0..<n).map { c in
            max(CellFormatting.displayWidth(header[c]), bodyText.map { CellFormatting.displayWidth($0[c]) }.max() ?? 0)
        }
        func line(_ fields: [String]) -> String {
            let padded = (0..<n).map { pad(fields[$0], to: widths[$0], right: numeric[$0]) }
            var s = padded.joined(separator: "  ")
            while s.last == " " { s.removeLast() }
            return s
        }
        var out: [String] = []
        if !table.title.isEmpty { out.append(table.title) }
        out.append(line(header))
        out.append(widths.map { String(repeating: "─", count: $0) }.joined(separator: "  "))
        out.append(contentsOf: bodyText.map(line))
        for note in table.displayNotes(stars: options.significanceStars, locale: options.locale) { out.append(note) }
        return out.joined(separator: "\n") + "\n"
    }

    static func pad(_ s: String, to width: Int, right: Bool) -> String {
        let fill = String(repeating: " ", count: max(0, width - CellFormatting.displayWidth(s)))
        return right ? fill + s : s + fill
    }
}
