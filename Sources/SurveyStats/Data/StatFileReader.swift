import CReadStat
import Foundation

/// Statistical-package file formats read through ReadStat.
public enum StatFileFormat: String, Sendable, CaseIterable {
    case sav, zsav, por, dta, sas7bdat, xpt

    /// The format implied by a path's extension, or nil for anything else (e.g. `.csv`).
    public init?(path: String) {
        let ext = (path as NSString).pathExtension.lowercased()
        if ext == "xport" { self = .xpt; return }
        self.init(rawValue: ext)
    }
}

/// Reads SPSS `.sav`/`.zsav`/`.por`, Stata `.dta`, SAS `.sas7bdat`/`.xpt` files into a `Dataset` with ReadStat,
/// carrying variable labels, value labels, user-missing codes and ranges, measurement levels and display formats
/// into `Variable`.
///
/// System-missing values (and Stata/SAS tagged missing `.a`…`.z`) become missing (NaN); user-missing codes keep
/// their code and are listed in `Variable.missingCodes`/`missingRanges`, so counts per missing reason remain
/// available. Empty strings are missing, as in CSV.
public enum StatFileReader {
    public static func read(path: String, format: StatFileFormat? = nil) throws -> Dataset {
        guard let format = format ?? StatFileFormat(path: path) else {
            throw DataError.io(path: path, message: "unknown file type (expected .sav, .zsav, .por, .dta, .sas7bdat, .xpt)")
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw DataError.io(path: path, message: "file not found")
        }
        if isDirectory.boolValue { throw DataError.io(path: path, message: "is a directory, not a file") }
        // A file that is not what its extension says (a CSV file named .sav, a .sav.gz): say what it is, rather
        // than ReadStat's "unable to read from file".
        let expected = FileSignature.expected(for: format)
        let actual = FileSignature.of(path: path)
        if actual != expected && !(format == .zsav && actual == .spss) {
            if let actual { throw DataError.invalid(actual.misnamed(path, as: expected.name)) }
            throw DataError.invalid("\(path) is not \(expected.name) (its first bytes are not a .\(format.rawValue) header)")
        }

        let context = ReadContext()
        guard let parser = readstat_parser_init() else { throw DataError.io(path: path, message: "out of memory") }
        defer { readstat_parser_free(parser) }
        readstat_set_metadata_handler(parser) { metadata, ctx in
            let c = Unmanaged<ReadContext>.fromOpaque(ctx!).takeUnretainedValue()
            let rows = Int(readstat_get_row_count(metadata))
            c.expectedRows = rows >= 0 ? rows : nil
            if let label = readstat_get_file_label(metadata) { c.fileLabel = String(cString: label) }
            return Int32(READSTAT_HANDLER_OK)
        }
        readstat_set_variable_handler(parser) { index, variable, labelSet, ctx in
            let c = Unmanaged<ReadContext>.fromOpaque(ctx!).takeUnretainedValue()
            c.addVariable(index: Int(index), variable!, labelSet: labelSet.map { String(cString: $0) })
            return Int32(READSTAT_HANDLER_OK)
        }
        readstat_set_value_handler(parser) { row, variable, value, ctx in
            let c = Unmanaged<ReadContext>.fromOpaque(ctx!).takeUnretainedValue()
            c.addValue(row: Int(row), variable: Int(readstat_variable_get_index(variable)), value)
            return Int32(READSTAT_HANDLER_OK)
        }
        readstat_set_value_label_handler(parser) { labelSet, value, label, ctx in
            let c = Unmanaged<ReadContext>.fromOpaque(ctx!).takeUnretainedValue()
            guard let labelSet, let label else { return Int32(READSTAT_HANDLER_OK) }
            if readstat_value_type_class(value) == READSTAT_TYPE_CLASS_STRING {
                if let s = readstat_string_value(value) {
                    c.textLabelSets[String(cString: labelSet), default: [:]][String(cString: s)] = String(cString: label)
                }
            } else if readstat_value_is_system_missing(value) == 0, readstat_value_is_tagged_missing(value) == 0 {
                c.labelSets[String(cString: labelSet), default: [:]][readstat_double_value(value)] = String(cString: label)
            }
            return Int32(READSTAT_HANDLER_OK)
        }
        readstat_set_error_handler(parser) { message, ctx in
            guard let message, let ctx else { return }
            let c = Unmanaged<ReadContext>.fromOpaque(ctx).takeUnretainedValue()
            c.messages.append(String(cString: message).trimmingCharacters(in: .whitespacesAndNewlines))
        }
        let ctx = Unmanaged.passUnretained(context).toOpaque()
        let status: readstat_error_t = path.withCString { p in
            switch format {
            case .sav, .zsav: return readstat_parse_sav(parser, p, ctx)
            case .por: return readstat_parse_por(parser, p, ctx)
            case .dta: return readstat_parse_dta(parser, p, ctx)
            case .sas7bdat: return readstat_parse_sas7bdat(parser, p, ctx)
            case .xpt: return readstat_parse_xport(parser, p, ctx)
            }
        }
        withExtendedLifetime(context) {}
        if status != READSTAT_OK {
            let reason = String(cString: readstat_error_message(status))
            let detail = context.messages.first.map { " (\($0))" } ?? ""
            throw DataError.io(path: path, message: "cannot read \(format.rawValue) file: \(reason.lowercased())\(detail)")
        }
        return try context.dataset(source: path)
    }
}

/// Collects ReadStat callbacks.
final class ReadContext {
    struct Column {
        var name: String
        var label: String?
        var isString: Bool
        var format: String?
        var measure: readstat_measure_t
        var labelSet: String?
        var missingCodes: Set<Double> = []
        var missingRanges: [ClosedRange<Double>] = []
        var textMissing: Set<String> = []
        var numbers: [Double] = []
        var strings: [String?] = []
    }

    var expectedRows: Int?
    var fileLabel: String?
    var columns: [Column] = []
    var labelSets: [String: [Double: String]] = [:]
    var textLabelSets: [String: [String: String]] = [:]
    var messages: [String] = []
    var maxRow = -1

    func addVariable(index: Int, _ v: UnsafeMutablePointer<readstat_variable_t>, labelSet: String?) {
        let name = readstat_variable_get_name(v).map { String(cString: $0) } ?? "V\(index + 1)"
        let label = readstat_variable_get_label(v).map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 }
        let format = readstat_variable_get_format(v).map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 }
        let isString = readstat_variable_get_type_class(v) == READSTAT_TYPE_CLASS_STRING
        var column = Column(name: name, label: label, isString: isString, format: format,
                            measure: readstat_variable_get_measure(v), labelSet: labelSet)
        if isString {
            for i in 0..<readstat_variable_get_missing_ranges_count(v) {
                if let lo = readstat_string_value(readstat_variable_get_missing_range_lo(v, i)) {
                    column.textMissing.insert(String(cString: lo))
                }
            }
        } else {
            for i in 0..<readstat_variable_get_missing_ranges_count(v) {
                let lo = readstat_double_value(readstat_variable_get_missing_range_lo(v, i))
                let hi = readstat_double_value(readstat_variable_get_missing_range_hi(v, i))
                if lo == hi { column.missingCodes.insert(lo) }
                else if lo < hi { column.missingRanges.append(lo...hi) }
            }
        }
        if let rows = expectedRows {
            if isString { column.strings.reserveCapacity(rows) } else { column.numbers.reserveCapacity(rows) }
        }
        while columns.count < index { columns.append(Column(name: "V\(columns.count + 1)", isString: false, measure: READSTAT_MEASURE_UNKNOWN)) }
        if index < columns.count { columns[index] = column } else { columns.append(column) }
    }

    func addValue(row: Int, variable: Int, _ value: readstat_value_t) {
        guard variable >= 0 && variable < columns.count && row >= 0 else { return }
        maxRow = max(maxRow, row)
        if columns[variable].isString {
            var s: String?
            if readstat_value_type_class(value) == READSTAT_TYPE_CLASS_STRING, let p = readstat_string_value(value) {
                let text = String(cString: p)
                s = text.isEmpty ? nil : text
            }
            while columns[variable].strings.count < row { columns[variable].strings.append(nil) }
            if columns[variable].strings.count == row { columns[variable].strings.append(s) }
            else { columns[variable].strings[row] = s }
        } else {
            var x = Double.nan
            if readstat_value_is_system_missing(value) == 0 && readstat_value_is_tagged_missing(value) == 0
                && readstat_value_type_class(value) == READSTAT_TYPE_CLASS_NUMERIC {
                x = readstat_double_value(value)
            }
            while columns[variable].numbers.count < row { columns[variable].numbers.append(.nan) }
            if columns[variable].numbers.count == row { columns[variable].numbers.append(x) }
            else { columns[variable].numbers[row] = x }
        }
    }

    func dataset(source: String) throws -> Dataset {
        let rows = maxRow + 1
        if let expected = expectedRows, expected > 0, rows < expected, !columns.isEmpty {
            throw DataError.io(path: source, message: "file is truncated or corrupt: header promises \(expected) rows, \(rows) could be read")
        }
        var variables: [Variable] = []
        var seen = Set<String>()
        for var c in columns {
            if seen.contains(c.name) { throw DataError.io(path: source, message: "duplicate variable name '\(c.name)'") }
            seen.insert(c.name)
            let values: VariableValues
            if c.isString {
                while c.strings.count < rows { c.strings.append(nil) }
                values = .text(c.strings)
            } else {
                while c.numbers.count < rows { c.numbers.append(.nan) }
                // Whole numbers 0…254 (Likert items, codes) as one byte per row: one pass, values unchanged.
                values = .numeric(NumericColumn(c.numbers, offset: 0).compacted())
            }
            var v = Variable(name: c.name, label: c.label, values: values,
                             valueLabels: c.labelSet.flatMap { labelSets[$0] } ?? [:],
                             missingCodes: c.missingCodes, kind: Self.kind(c.measure, isString: c.isString))
            v.missingRanges = c.missingRanges
            v.textMissingValues = c.textMissing
            if c.isString { v.textValueLabels = c.labelSet.flatMap { textLabelSets[$0] } ?? [:] }
            v.format = c.format
            variables.append(v)
        }
        return Dataset(source: source, variables: variables)
    }

    static func kind(_ measure: readstat_measure_t, isString: Bool) -> VariableKind? {
        switch measure {
        case READSTAT_MEASURE_NOMINAL: return isString ? .text : .nominal
        case READSTAT_MEASURE_ORDINAL: return .ordinal
        case READSTAT_MEASURE_SCALE: return isString ? .text : .numeric
        // No measurement level stays none (not `text`, which the writer stores as nominal), so a round trip
        // through CSV + codebook keeps it unknown.
        default: return nil
        }
    }
}
