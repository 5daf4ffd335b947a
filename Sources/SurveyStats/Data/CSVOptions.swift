/// How to read a CSV file. The defaults sniff the delimiter, decimal separator and encoding.
public struct CSVOptions: Sendable {
    /// Field delimiter (`,` `;` tab, …); nil sniffs it from the first lines.
    public var delimiter: UInt8?
    public var decimalSeparator: DecimalSeparator
    public var encoding: TextEncoding
    /// Whether the first row holds the column names (otherwise columns are named V1, V2, …).
    public var hasHeader: Bool
    /// Field texts that mean missing, in addition to the empty field and `NA` (which always do).
    /// A word like `None` or `Vet ikke` is a real answer unless listed here.
    public var naTokens: [String]
    /// Read only these columns (in file order); nil reads all. Unknown names are an error.
    public var columns: [String]?
    /// Force a column's type. A non-numeric value in a column forced to `.numeric` is an error naming the file,
    /// line, column and value; without a forced type a column is numeric iff every non-missing field is a number.
    public var columnTypes: [String: CSVColumnType]
    /// Upper bound on threads used for parsing (nil = all cores).
    public var maxThreads: Int?
    /// Ignore `columnTypes` entries naming columns that are not in the file (used when the types come from a
    /// codebook that describes more variables than one file holds); otherwise they are an error.
    public var ignoreUnknownColumnTypes = false
    /// Target size of the chunks parsed in parallel (files under 4 chunks are parsed on one thread). A tuning
    /// and testing knob: results never depend on it.
    public var chunkBytes = 256 << 10
    /// How many of the first data rows decide which numeric columns are stored as one-byte codes (whole numbers
    /// 0…254, see `NumericColumn`); 0 stores every numeric column as doubles. A tuning and testing knob: values
    /// never depend on it (a later value that is not a code promotes its column to doubles).
    public var codeSampleRows = 1024

    public init(delimiter: UInt8? = nil, decimalSeparator: DecimalSeparator = .auto, encoding: TextEncoding = .auto,
                hasHeader: Bool = true, naTokens: [String] = [], columns: [String]? = nil,
                columnTypes: [String: CSVColumnType] = [:], maxThreads: Int? = nil) {
        self.delimiter = delimiter; self.decimalSeparator = decimalSeparator; self.encoding = encoding
        self.hasHeader = hasHeader; self.naTokens = naTokens; self.columns = columns
        self.columnTypes = columnTypes; self.maxThreads = maxThreads
    }

    /// Parses a delimiter given on the command line: `,` `;` `tab` `\t` `|` or any single ASCII character.
    public static func delimiter(named name: String) -> UInt8? {
        switch name.lowercased() {
        case "tab", "\\t", "\t": return 0x09
        case "comma": return UInt8(ascii: ",")
        case "semicolon": return UInt8(ascii: ";")
        case "pipe": return UInt8(ascii: "|")
        default:
            let bytes = Array(name.utf8)
            guard bytes.count == 1, bytes[0] < 0x80, bytes[0] != UInt8(ascii: "\""),
                  bytes[0] != 0x0A, bytes[0] != 0x0D else { return nil }
            return bytes[0]
        }
    }
}

public enum DecimalSeparator: String, Sendable, CaseIterable {
    /// `,` when the numbers in the first lines use a decimal comma (Norwegian Excel: `;` and `3,86`; in a
    /// `,`-separated file quoted, `1,"3,86"`), otherwise `.` (see `CSVSniffer`).
    case auto
    case point
    case comma

    var byte: UInt8? {
        switch self {
        case .auto: return nil
        case .point: return UInt8(ascii: ".")
        case .comma: return UInt8(ascii: ",")
        }
    }
}

public enum CSVColumnType: String, Sendable {
    case numeric, text
}

/// What the sniffer decided (or the options fixed) for a file.
public struct CSVDialect: Sendable, Equatable {
    public var delimiter: UInt8
    public var decimalSeparator: UInt8
    /// The encoding the bytes were decoded from (`.utf8` or `.windows1252`).
    public var encoding: TextEncoding
    public var hadByteOrderMark: Bool
}
