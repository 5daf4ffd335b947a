import CXlsxWriter
import Foundation

/// Writes tables to an Excel workbook through libxlsxwriter: one worksheet per table.
///
/// Numbers are stored as numbers (never as text) with a number format carrying the display precision, so that
/// Excel can compute with them; dates, date-times and clock times as Excel dates and times with a date or time
/// format (`yyyy-mm-dd`, `[hh]:mm:ss`), text only where Excel has no such date (before 1900); p-values get a per-cell format that shows the report's style and stars
/// (`.034*`, `<.001***`) while the cell keeps the exact p. Sheet names are sanitized (Excel forbids `[]:*?/\`,
/// allows at most 31 characters) and made unique; a table's `shortName` ("Tabell 3") is preferred to its title,
/// which stays the sheet's first row.
///
/// Precision: libxlsxwriter writes doubles with `%.16G` (16 significant digits) unless it is built with its
/// `USE_DTOA_LIBRARY` option; Debian's libxlsxwriter 1.1.4 is not (no `lxw_sprintf_dbl`/`emyg_dtoa` is exported),
/// and its API has no call that takes the number's digits as text. So a cell can differ from the double in the
/// 17th digit (13.461538461538462 is stored as 13.46153846153846); CSV and JSON keep every digit.
public enum XLSXWorkbookWriter {
    public enum Error: Swift.Error, CustomStringConvertible {
        case libxlsxwriter(path: String, message: String)
        public var description: String {
            switch self {
            case let .libxlsxwriter(path, message): return "\(path): cannot write workbook: \(message)"
            }
        }
    }

    /// Writes `tables` to a new workbook at `path` (overwriting). Callers wanting atomicity write to a temporary
    /// path and rename (see `AtomicFile`).
    public static func write(_ tables: [ResultTable], to path: String, options: ExportOptions = ExportOptions()) throws {
        guard let wb = workbook_new(path) else {
            throw Error.libxlsxwriter(path: path, message: "cannot create file")
        }
        var formats: [String: UnsafeMutablePointer<lxw_format>] = [:]
        func numberFormat(_ code: String) -> UnsafeMutablePointer<lxw_format>? {
            if let f = formats[code] { return f }
            guard let f = workbook_add_format(wb) else { return nil }
            format_set_num_format(f, code)
            formats[code] = f
            return f
        }
        let bold = workbook_add_format(wb)
        if let bold { format_set_bold(bold) }
        let headerFormat = workbook_add_format(wb)
        if let headerFormat {
            format_set_bold(headerFormat)
            format_set_bottom(headerFormat, UInt8(LXW_BORDER_THIN.rawValue))
        }
        let italic = workbook_add_format(wb)
        if let italic { format_set_italic(italic) }

        var failure: String?
        for (name, table) in zip(sheetNames(for: tables.map { $0.shortName ?? $0.title }), tables) {
            guard let ws = workbook_add_worksheet(wb, name) else { failure = "cannot add worksheet '\(name)'"; break }
            var row: lxw_row_t = 0
            let n = table.width
            var widths = [Int](repeating: 8, count: n)
            func note(width c: Int, _ s: String) { widths[c] = max(widths[c], min(60, CellFormatting.displayWidth(s) + 2)) }
            if !table.title.isEmpty {
                worksheet_write_string(ws, row, 0, table.title, bold)
                row += 2
            }
            for c in 0..<n {
                let h = c < table.columns.count ? table.columns[c] : ""
                worksheet_write_string(ws, row, lxw_col_t(c), h, headerFormat)
                note(width: c, h)
            }
            row += 1
            for r in table.rows.indices {
                for c in 0..<n {
                    let col = lxw_col_t(c)
                    switch table.cell(r, c) {
                    case .text(let s), .temporal(let s, excelSerial: nil, _):
                        worksheet_write_string(ws, row, col, s, nil); note(width: c, s)
                    case .temporal(let s, .some(let serial), let code):
                        // A real date or time (sortable and filterable as one), shown as the text formats show it.
                        worksheet_write_number(ws, row, col, serial, numberFormat(code)); note(width: c, s)
                    case .empty:
                        break
                    case .integer(let i):
                        worksheet_write_number(ws, row, col, Double(i), numberFormat("0")); note(width: c, String(i))
                    case .number(let v, let d):
                        guard v.isFinite else { continue }  // undefined: a blank cell, not a fake number
                        worksheet_write_number(ws, row, col, v, numberFormat(numberFormatCode(v, decimals: d)))
                        note(width: c, CellFormatting.number(v, decimals: d, locale: .standard) ?? "")
                    case .pValue(let p):
                        guard p.isFinite else { continue }
                        let code = pValueFormat(p, stars: options.significanceStars, locale: options.locale)
                        worksheet_write_number(ws, row, col, p, numberFormat(code)); note(width: c, "<.001***")
                    }
                }
                row += 1
            }
            let notes = table.displayNotes(stars: options.significanceStars, locale: options.locale)
            if !notes.isEmpty { row += 1 }
            for text in notes {
                worksheet_write_string(ws, row, 0, text, italic)
                row += 1
            }
            for c in 0..<n { worksheet_set_column(ws, lxw_col_t(c), lxw_col_t(c), Double(widths[c]), nil) }
        }
        let status = workbook_close(wb)
        if let failure { throw Error.libxlsxwriter(path: path, message: failure) }
        if status != LXW_NO_ERROR {
            throw Error.libxlsxwriter(path: path, message: String(cString: lxw_strerror(status)))
        }
    }

    /// The workbook as bytes (written through a temporary file, since libxlsxwriter writes to paths).
    public static func data(_ tables: [ResultTable], options: ExportOptions = ExportOptions()) throws -> Data {
        let tmp = FileManager.default.temporaryDirectory
            .appendingPathComponent("surveystats-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString).xlsx")
        defer { try? FileManager.default.removeItem(at: tmp) }
        try write(tables, to: tmp.path, options: options)
        return try Data(contentsOf: tmp)
    }

    /// An Excel number format with `d` decimals: 0 → "0", 3 → "0.000".
    static func decimalsFormat(_ d: Int) -> String {
        let k = max(0, min(d, 15))
        return k == 0 ? "0" : "0." + String(repeating: "0", count: k)
    }

    /// The number format of a `.number` cell: `d` decimals, or scientific notation with `d` decimals in the
    /// mantissa ("0.000E+00") where the text formats use it (`CellFormatting.isScientific`: 3e-7 at three
    /// decimals, 1e300), so that no non-zero number is shown as "0.000".
    static func numberFormatCode(_ v: Double, decimals d: Int) -> String {
        guard CellFormatting.isScientific(v, decimals: d) else { return decimalsFormat(d) }
        let k = max(0, min(d, 15))
        return (k == 0 ? "0" : "0." + String(repeating: "0", count: k)) + "E+00"
    }

    /// The per-cell format of a p-value: the report's display without the leading zero (".034", "<.001", as the
    /// text formats show it; `#` drops the zero) and its stars as literal text. The decimal separator of ".034"
    /// is the spreadsheet's own; the literal "<.001" follows `locale` ("<,001" with `.norwegian`).
    static func pValueFormat(_ p: Double, stars: Bool, locale: ExportLocale = .standard) -> String {
        let s = stars ? significanceStars(p) : ""
        if p < 0.001 { return "\"<\(locale.decimalSeparator)001\(s)\"" }
        return s.isEmpty ? "#.000" : "#.000\"\(s)\""
    }

    /// Excel-valid, unique sheet names: forbidden characters `[]:*?/\` become `_`, leading/trailing apostrophes
    /// are dropped, the reserved name "History" becomes "History_", names are cut to 31 characters (grapheme-safe), empty names become "Table N", and
    /// duplicates (compared case-insensitively, as Excel does) get a " (2)" suffix within the 31 characters.
    public static func sheetNames(for titles: [String]) -> [String] {
        var used = Set<String>()
        var out: [String] = []
        for (i, title) in titles.enumerated() {
            var base = String(title.map { "[]:*?/\\".contains($0) ? "_" : $0 })
                .replacingOccurrences(of: "\n", with: " ")
                .trimmingCharacters(in: .whitespaces)
            while base.hasPrefix("'") { base.removeFirst() }
            while base.hasSuffix("'") { base.removeLast() }
            if base.isEmpty { base = "Table \(i + 1)" }
            if base.lowercased() == "history" { base += "_" }  // reserved by Excel (the change-tracking sheet)
            var name = truncate(base, to: 31)
            var k = 2
            while used.contains(name.lowercased()) {
                let suffix = " (\(k))"
                name = truncate(base, to: 31 - suffix.utf16.count) + suffix
                k += 1
            }
            used.insert(name.lowercased())
            out.append(name)
        }
        return out
    }

    /// Cuts to at most `limit` UTF-16 units (Excel's measure) without splitting a character.
    static func truncate(_ s: String, to limit: Int) -> String {
        var out = ""
        var units = 0
        for ch in s {
            let u = String(ch).utf16.count
            if units + u > limit { break }
            out.append(ch); units += u
        }
        while out.hasSuffix(" ") || out.hasSuffix("'") { out.removeLast() }
        return out
    }
}
