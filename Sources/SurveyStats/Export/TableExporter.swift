import Foundation

/// One entry point for rendering tables in any `ExportFormat`.
public enum TableExporter {
    /// Renders tables to bytes. Text formats are UTF-8; `.json` is the generic table form
    /// (`{"tables": [...]}`); `.xlsx` is a workbook with one sheet per table.
    public static func render(_ tables: [ResultTable], as format: ExportFormat,
                              options: ExportOptions = ExportOptions()) throws -> Data {
        switch format {
        case .xlsx: return try XLSXWorkbookWriter.data(tables, options: options)
        default: return Data(renderText(tables, as: format, options: options).utf8)
        }
    }

    /// Renders tables in a text format; `.xlsx` is not text and yields an empty string.
    public static func renderText(_ tables: [ResultTable], as format: ExportFormat,
                                  options: ExportOptions = ExportOptions()) -> String {
        switch format {
        case .text: return TextTableRenderer.render(tables, options: options)
        case .markdown: return MarkdownTableRenderer.render(tables, options: options)
        case .csv: return CSVTableRenderer.render(tables, options: options)
        case .latex: return LaTeXTableRenderer.render(tables, options: options)
        case .html: return HTMLTableRenderer.render(tables, options: options)
        case .json: return (["tables": .array(tables.map(\.jsonValue))] as JSONValue).encoded() + "\n"
        case .xlsx: return ""
        }
    }

    /// Renders and writes atomically to `path` (no partial file on failure).
    public static func write(_ tables: [ResultTable], as format: ExportFormat, to path: String,
                             options: ExportOptions = ExportOptions()) throws {
        if format == .xlsx {
            try AtomicFile.writeByPath(to: path) { temp in
                do {
                    try XLSXWorkbookWriter.write(tables, to: temp, options: options)
                } catch XLSXWorkbookWriter.Error.libxlsxwriter(_, let message) {
                    // Name the user's path, not the temporary one.
                    throw XLSXWorkbookWriter.Error.libxlsxwriter(path: path, message: message)
                }
            }
        } else {
            try AtomicFile.write(render(tables, as: format, options: options), to: path)
        }
    }
}
