import CReadStat
import Foundation

/// Writes a `Dataset` as SPSS `.sav`/`.zsav`/`.por` or Stata `.dta` through ReadStat's writer, with variable labels,
/// value labels, user-missing codes/ranges (SPSS only), measurement levels and display formats.
///
/// The file is written to a temporary file in the same directory and renamed into place, so a failure never
/// leaves a partial file behind.
public enum StatFileWriter {
    /// Writes `dataset` to `path` in `format` (default: from the extension). Returns warnings about metadata
    /// the format cannot hold (e.g. missing codes in Stata files).
    @discardableResult
    public static func write(_ dataset: Dataset, to path: String, format: StatFileFormat? = nil) throws -> [String] {
        guard let format = format ?? StatFileFormat(path: path) else {
            throw DataError.io(path: path, message: "unknown output type (expected .sav, .zsav or .dta)")
        }
        guard [.sav, .zsav, .por, .dta].contains(format) else {
            throw DataError.io(path: path, message: "writing .\(format.rawValue) is not supported (use .sav, .zsav, .por or .dta)")
        }
        var warnings: [String] = []
        try AtomicFile.write(to: path) { handle in
            warnings = try writeStream(dataset, format: format, to: handle, path: path)
        }
        return warnings
    }

    final class Sink {
        let file: UnsafeMutablePointer<FILE>
        var failed = false
        init(file: UnsafeMutablePointer<FILE>) { self.file = file }
    }

    /// The names written to the file: SPSS portable files (.por) store upper-case names, so names are
    /// upper-cased there (with a warning); two names that become the same are an error naming both.
    static func fileNames(_ names: [String], format: StatFileFormat, path: String,
                          warnings: inout [String]) throws -> [String] {
        guard format == .por else { return names }
        let upper = names.map { $0.uppercased() }
        var seen: [String: String] = [:]
        for (name, u) in zip(names, upper) {
            if let other = seen[u] {
                throw DataError.invalid("\(path): variables '\(other)' and '\(name)' would both be called '\(u)' "
                    + "(SPSS portable files store upper-case names): rename one of them")
            }
            seen[u] = name
        }
        let changed = zip(names, upper).filter { $0 != $1 }.map { "\($0) → \($1)" }
        if !changed.isEmpty {
            warnings.append("variable names upper-cased (SPSS portable files store upper-case names): "
                + changed.joined(separator: ", "))
        }
        return upper
    }

    static func check(_ status: readstat_error_t, _ path: String, _ what: String) throws {
        if status != READSTAT_OK {
            throw DataError.io(path: path, message: "cannot write \(what): \(String(cString: readstat_error_message(status)).lowercased())")
        }
    }

    static func writeStream(_ dataset: Dataset, format: StatFileFormat, to file: UnsafeMutablePointer<FILE>,
                            path: String) throws -> [String] {
        var warnings: [String] = []
        guard let writer = readstat_writer_init() else { throw DataError.io(path: path, message: "out of memory") }
        defer { readstat_writer_free(writer) }
        let sink = Sink(file: file)
        readstat_set_data_writer(writer) { data, length, ctx in
            let s = Unmanaged<Sink>.fromOpaque(ctx!).takeUnretainedValue()
            let written = fwrite(data, 1, length, s.file)
            if written != length { s.failed = true; return -1 }
            return Int(length)
        }
        if format == .zsav { readstat_writer_set_compression(writer, READSTAT_COMPRESS_BINARY) }
        let isStata = format == .dta

        let names = try fileNames(dataset.variables.map(\.name), format: format, path: path, warnings: &warnings)
        var handles: [UnsafeMutablePointer<readstat_variable_t>] = []
        var widths: [Int] = []
        for (k, v) in dataset.variables.enumerated() {
            let handle: UnsafeMutablePointer<readstat_variable_t>?
            switch v.values {
            case .numeric:
                handle = readstat_add_variable(writer, names[k], READSTAT_TYPE_DOUBLE, 0)
                widths.append(0)
            case .text(let t):
                // SPSS pads strings to their width; a width that fits every UTF-8 value loses nothing.
                var width = max(1, t.reduce(0) { max($0, $1?.utf8.count ?? 0) })
                // Keep the declared width (A8, A255) where it is larger; SPSS stores string missing values in
                // 8-byte units, so such variables need at least 8.
                if let f = v.format, f.hasPrefix("A"), let w = Int(f.dropFirst()) { width = max(width, w) }
                if !v.textMissingValues.isEmpty { width = max(width, 8, v.textMissingValues.map(\.utf8.count).max() ?? 0) }
                if isStata && width > 2045 {
                    throw DataError.invalid("\(path): variable '\(v.name)' has strings longer than Stata's 2045 bytes")
                }
                handle = readstat_add_variable(writer, names[k], READSTAT_TYPE_STRING, width)
                widths.append(width)
            }
            guard let h = handle else { throw DataError.io(path: path, message: "cannot add variable '\(v.name)'") }
            if let label = v.label { readstat_variable_set_label(h, label) }
            if let f = v.format, formatFits(f, stata: isStata) { readstat_variable_set_format(h, f) }
            else if v.isNumeric { readstat_variable_set_format(h, isStata ? "%9.0g" : defaultSPSSFormat(v)) }
            switch v.kind {
            case .nominal?, .text?, .id?: readstat_variable_set_measure(h, READSTAT_MEASURE_NOMINAL)
            case .ordinal?, .likert?: readstat_variable_set_measure(h, READSTAT_MEASURE_ORDINAL)
            case .numeric?, .weight?: readstat_variable_set_measure(h, READSTAT_MEASURE_SCALE)
            case nil: break
            }
            if v.isNumeric && !v.valueLabels.isEmpty {
                let setName = isStata ? "\(v.name)_lbl" : "labels\(k)"
                let type = isStata ? READSTAT_TYPE_INT32 : READSTAT_TYPE_DOUBLE
                guard let set = readstat_add_label_set(writer, type, setName) else {
                    throw DataError.io(path: path, message: "cannot add value labels of '\(v.name)'")
                }
                for (code, label) in v.valueLabels.sorted(by: { $0.key < $1.key }) {
                    if isStata {
                        guard code == code.rounded(), abs(code) < 2_147_483_620 else {
                            warnings.append("\(v.name): value label for non-integer code \(code) dropped (Stata labels integers only)")
                            continue
                        }
                        readstat_label_int32_value(set, Int32(code), label)
                    } else {
                        readstat_label_double_value(set, code, label)
                    }
                }
                readstat_variable_set_label_set(h, set)
            }
            if !v.isNumeric && !v.textValueLabels.isEmpty {
                if isStata {
                    warnings.append("\(v.name): string value labels not stored (Stata labels integers only)")
                } else {
                    guard let set = readstat_add_label_set(writer, READSTAT_TYPE_STRING, "labels\(k)") else {
                        throw DataError.io(path: path, message: "cannot add value labels of '\(v.name)'")
                    }
                    for (value, label) in v.textValueLabels.sorted(by: { $0.key < $1.key }) {
                        readstat_label_string_value(set, value, label)
                    }
                    readstat_variable_set_label_set(h, set)
                }
            }
            if !v.isNumeric && !v.textMissingValues.isEmpty {
                // Debian's ReadStat writes string missing values that it cannot read back (garbled bytes), so
                // they are not written; the CSV + codebook conversion keeps them.
                warnings.append("\(v.name): string missing values \(NorwegianCollation.sorted(v.textMissingValues)) not stored (not supported by the ReadStat writer)")
            }
            if v.isNumeric && (!v.missingCodes.isEmpty || !v.missingRanges.isEmpty) {
                if isStata {
                    let declared = v.missingCodes.sorted().map(Codebook.format)
                        + v.missingRanges.map { "\(Codebook.format($0.lowerBound))–\(Codebook.format($0.upperBound))" }
                    let what = v.missingRanges.isEmpty ? "missing codes" : v.missingCodes.isEmpty ? "missing range" : "missing codes and range"
                    warnings.append("\(v.name): \(what) \(declared.joined(separator: ", ")) not stored (Stata has no user-missing values)")
                } else {
                    // SPSS holds three discrete codes, or one range plus one code.
                    let codes = v.missingCodes.sorted()
                    if v.missingRanges.count > 1 || (v.missingRanges.count == 1 && codes.count > 1) || codes.count > 3 {
                        throw DataError.invalid("\(path): variable '\(v.name)': SPSS allows at most 3 missing codes, or one range and one code")
                    }
                    for r in v.missingRanges {
                        try check(readstat_variable_add_missing_double_range(h, r.lowerBound, r.upperBound), path, "missing range of '\(v.name)'")
                    }
                    for c in codes {
                        try check(readstat_variable_add_missing_double_value(h, c), path, "missing code of '\(v.name)'")
                    }
                }
            }
            handles.append(h)
        }
        let ctx = Unmanaged.passUnretained(sink).toOpaque()
        let rows = dataset.rowCount
        let begin: readstat_error_t
        switch format {
        case .dta: begin = readstat_begin_writing_dta(writer, ctx, rows)
        case .por: begin = readstat_begin_writing_por(writer, ctx, rows)
        default: begin = readstat_begin_writing_sav(writer, ctx, rows)
        }
        try check(begin, path, "header")
        // ReadStat checks names and metadata only at the first row and then reports "row 1": check them here, so
        // that an error names the variable.
        try check(readstat_validate_metadata(writer), path, "the file's metadata")
        for (k, v) in dataset.variables.enumerated() {
            let shown = names[k] == v.name ? "'\(v.name)'" : "'\(v.name)' (as '\(names[k])')"
            try check(readstat_validate_variable(writer, handles[k]), path, "variable \(shown)")
        }
        for i in 0..<rows {
            try check(readstat_begin_row(writer), path, "row \(i + 1)")
            for (k, v) in dataset.variables.enumerated() {
                let h = handles[k]
                switch v.values {
                case .numeric(let c):
                    if let x = c.value(at: i) {
                        try check(readstat_insert_double_value(writer, h, x), path, "'\(v.name)' row \(i + 1)")
                    } else {
                        try check(readstat_insert_missing_value(writer, h), path, "'\(v.name)' row \(i + 1)")
                    }
                case .text(let t):
                    try check(readstat_insert_string_value(writer, h, t[i] ?? ""), path, "'\(v.name)' row \(i + 1)")
                }
            }
            try check(readstat_end_row(writer), path, "row \(i + 1)")
        }
        try check(readstat_end_writing(writer), path, "file")
        withExtendedLifetime(sink) {}
        if sink.failed { throw DataError.io(path: path, message: "write failed (disk full?)") }
        return warnings
    }

    static func formatFits(_ f: String, stata: Bool) -> Bool { stata ? f.hasPrefix("%") : !f.hasPrefix("%") }

    /// `F8.0` for integer columns, otherwise `F` with enough decimals for the shortest exact representation
    /// (display only: SPSS stores the full double either way).
    static func defaultSPSSFormat(_ v: Variable) -> String {
        guard case .numeric(let c) = v.values else { return "A8" }
        var decimals = 0
        for i in 0..<c.count {
            guard let x = c.value(at: i), x != x.rounded() else { continue }
            let text = "\(x)"
            if text.contains("e") { decimals = 16; break }
            if let dot = text.firstIndex(of: ".") { decimals = max(decimals, text.distance(from: dot, to: text.endIndex) - 1) }
        }
        decimals = min(decimals, 16)
        return "F\(max(8, decimals + 10)).\(decimals)"
    }
}

/// Writes a file through a temporary file in the same directory that is renamed into place on success and
/// removed on failure, so no partial output is ever left behind.
public enum AtomicFile {
    public static func write(to path: String, _ body: (UnsafeMutablePointer<FILE>) throws -> Void) throws {
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DataError.io(path: path, message: "directory \(dir) does not exist")
        }
        var template = Array("\(dir)/.\(url.lastPathComponent).tmp-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw DataError.io(path: path, message: "cannot create file: \(String(cString: strerror(errno)))") }
        let temp = String(cString: template)
        guard let file = fdopen(fd, "wb") else {
            close(fd); unlink(temp)
            throw DataError.io(path: path, message: "cannot open file for writing")
        }
        do {
            try body(file)
            if fflush(file) != 0 || ferror(file) != 0 { throw DataError.io(path: path, message: "write failed: \(String(cString: strerror(errno)))") }
        } catch {
            fclose(file); unlink(temp)
            throw error
        }
        fchmod(fd, 0o644)
        if fclose(file) != 0 { unlink(temp); throw DataError.io(path: path, message: "write failed") }
        if rename(temp, path) != 0 {
            let message = String(cString: strerror(errno))
            unlink(temp)
            throw DataError.io(path: path, message: "cannot replace file: \(message)")
        }
    }

    /// Writes text atomically.
    public static func write(_ text: String, to path: String) throws {
        try write(to: path) { file in
            let bytes = Array(text.utf8)
            if !bytes.isEmpty && fwrite(bytes, 1, bytes.count, file) != bytes.count {
                throw DataError.io(path: path, message: "write failed")
            }
        }
    }
}
