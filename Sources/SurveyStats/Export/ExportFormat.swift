/// The output formats every analysis command and report table can be rendered in.
public enum ExportFormat: String, Sendable, CaseIterable, Codable {
    case text, markdown, csv, json, latex, html, xlsx

    /// The conventional file extension, used to pick a format from `--out FILE` when `--format` is absent.
    public var fileExtension: String {
        switch self {
        case .text: return "txt"
        case .markdown: return "md"
        case .csv: return "csv"
        case .json: return "json"
        case .latex: return "tex"
        case .html: return "html"
        case .xlsx: return "xlsx"
        }
    }

    /// The format a file name implies (`table.xlsx` → `.xlsx`), or `nil` for an unknown extension.
    public init?(fileName: String) {
        guard let dot = fileName.lastIndex(of: ".") else { return nil }
        let ext = fileName[fileName.index(after: dot)...].lowercased()
        switch ext {
        case "txt": self = .text
        case "md", "markdown": self = .markdown
        case "csv": self = .csv
        case "json": self = .json
        case "tex", "latex": self = .latex
        case "html", "htm": self = .html
        case "xlsx": self = .xlsx
        default: return nil
        }
    }

    /// True for formats that are bytes rather than text (they are not printed to a terminal).
    public var isBinary: Bool { self == .xlsx }
}

/// Number conventions of the output.
public enum ExportLocale: String, Sendable, CaseIterable, Codable {
    /// `.` as decimal separator, `,` as CSV delimiter.
    case standard = "en"
    /// Norwegian: decimal comma, `;` as CSV delimiter (what Norwegian Excel reads and writes).
    case norwegian = "nb"

    public var decimalSeparator: Character { self == .norwegian ? "," : "." }
    public var csvDelimiter: Character { self == .norwegian ? ";" : "," }
}

/// Options shared by all renderers.
public struct ExportOptions: Sendable, Equatable {
    public var locale: ExportLocale
    /// Start CSV output with a UTF-8 byte-order mark so that Excel detects the encoding (æøå).
    public var byteOrderMark: Bool
    /// Mark p-values with the report's significance stars and add the legend.
    public var significanceStars: Bool
    /// The language of the text (HTML `lang`), e.g. "nb" for the report's Norwegian tables; `nil`: from `locale`.
    public var language: String?

    public init(locale: ExportLocale = .standard, byteOrderMark: Bool = false, significanceStars: Bool = true,
                language: String? = nil) {
        self.locale = locale; self.byteOrderMark = byteOrderMark; self.significanceStars = significanceStars
        self.language = language
    }

    /// The HTML `lang` of the output: `language`, else "nb" for the Norwegian locale and "en" otherwise.
    public var documentLanguage: String { language ?? (locale == .norwegian ? "nb" : "en") }
}

extension ExportLocale {
    /// A number for a title or note in this locale's style, with `decimals` digits ("0.5" / "0,5"), so that notes
    /// read like the table cells (scientific notation where they use it, `CellFormatting.number`); JSON always
    /// uses `.standard`. "—" when not finite.
    public func format(_ value: Double, decimals: Int) -> String {
        CellFormatting.number(value, decimals: decimals, locale: self) ?? CellFormatting.undefined
    }

    /// The shortest form that reads back as `value` ("0.5", "12"), in this locale's style. "—" when not finite.
    public func format(_ value: Double) -> String {
        CellFormatting.shortest(value, locale: self) ?? CellFormatting.undefined
    }
}
