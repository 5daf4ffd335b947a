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

    /// The longest string a format holds, in bytes, and the package whose limit it is.
    static func maxStringBytes(_ format: StatFileFormat) -> (Int, String) {
        switch format {
        case .dta: return (2045, "Stata")
        case .por: return (255, "the SPSS portable format")
        default: return (32_767, "SPSS")
        }
    }

    /// The longest variable label and value label a format stores, in bytes (nil: no limit ReadStat enforces).
    /// ReadStat cuts a longer label at that byte, which may split a UTF-8 character; `fittedLabel` cuts it at a
    /// character boundary first and says so.
    static func labelLimits(_ format: StatFileFormat) -> (variable: Int?, value: Int?) {
        switch format {
        case .sav, .zsav: return (256, 120)
        case .por: return (255, nil)
        default: return (nil, nil)
        }
    }

    /// `label` cut to at most `limit` UTF-8 bytes at a character boundary (never inside a character, nor between
    /// a letter and its combining accent), with a warning naming `what` and the limit; unchanged when it fits.
    static func fittedLabel(_ label: String, limit: Int?, what: String, warnings: inout [String]) -> String {
        guard let limit, label.utf8.count > limit else { return label }
        var bytes = 0
        var end = label.startIndex
        for i in label.indices {
            let next = label.index(after: i)
            let size = label.utf8.distance(from: i, to: next)
            if bytes + size > limit { break }
            bytes += size
            end = next
        }
        let kept = String(label[..<end])
        let kind = what.contains("value label") ? "a value label" : "a variable label"
        warnings.append("\(what) shortened from \(label.utf8.count) to \(kept.utf8.count) bytes "
            + "(SPSS holds at most \(limit) bytes in \(kind); cut between characters)")
        return kept
    }

    /// The doubles SPSS reserves: −DBL_MAX is system-missing (SYSMIS), the next double up is LOWEST and DBL_MAX
    /// is HIGHEST; a .sav holding one reads back as missing (SPSS, ReadStat), so writing one is an error.
    static func spssReservedValue(_ x: Double) -> String? {
        switch x {
        case -Double.greatestFiniteMagnitude: return "system-missing (SYSMIS)"
        case (-Double.greatestFiniteMagnitude).nextUp: return "LOWEST"
        case Double.greatestFiniteMagnitude: return "HIGHEST"
        default: return nil
        }
    }

    /// SPSS's reserved words, which cannot name a variable.
    static let spssReservedWords: Set<String> = ["ALL", "AND", "BY", "EQ", "GE", "GT", "LE", "LT", "NE", "NOT", "OR", "TO", "WITH"]

    /// Why SPSS cannot take `name` as a variable name (nil when it can): at most 64 bytes (8 in portable files),
    /// starting with a letter, `@`, `#` or `$`, then letters, digits, `.`, `_`, `@`, `#`, `$`, not ending with `.`,
    /// not a reserved word. Letters include non-ASCII ones (æøå), as in SPSS.
    static func spssNameProblem(_ name: String, maxBytes: Int) -> String? {
        guard let first = name.first else { return "is empty" }
        if name.utf8.count > maxBytes { return "is longer than \(maxBytes) bytes" }
        if !(first.isLetter || "@#$".contains(first)) { return "does not start with a letter, @, # or $" }
        if let bad = name.first(where: { !($0.isLetter || $0.isNumber || "._@#$".contains($0)) }) {
            return bad == " " ? "contains a space" : "contains '\(bad)'"
        }
        if name.hasSuffix(".") { return "ends with '.'" }
        if spssReservedWords.contains(name.uppercased()) { return "is a reserved word in SPSS" }
        return nil
    }

    /// Rejects names SPSS cannot take, naming each with the reason and stating the rule (rather than ReadStat's
    /// "a provided name contains an illegal character", or a file SPSS refuses, as for a column named `by`).
    static func checkSPSSNames(_ names: [String], original: [String], format: StatFileFormat, path: String) throws {
        let maxBytes = format == .por ? 8 : 64
        let problems = zip(names, original).compactMap { name, shown in
            spssNameProblem(name, maxBytes: maxBytes).map { "'\(shown)' \($0)" }
        }
        guard !problems.isEmpty else { return }
        throw DataError.invalid("\(path): variable names SPSS cannot take: \(problems.joined(separator: "; ")). "
            + "SPSS names have at most \(maxBytes) bytes, start with a letter, @, # or $, contain only letters, digits, "
            + ". _ @ # $, do not end with '.' and are not ALL AND BY EQ GE GT LE LT NE NOT OR TO WITH: rename the column")
    }

    /// Stata's reserved words, which cannot name a variable (Stata manual [U] 11.3).
    static let stataReservedWords: Set<String> = ["_all", "_b", "byte", "_coef", "_cons", "double", "float", "if", "in",
        "int", "long", "_n", "_N", "_pi", "_pred", "_rc", "_skip", "strL", "using", "with"]

    /// Why Stata cannot take `name` as a variable name (nil when it can): 1 to 32 characters, starting with a letter
    /// or `_`, then letters, digits and `_`, not a reserved word nor `str1`…`str2045`. Letters include non-ASCII
    /// ones (æøå), as in Stata 14 and later. ReadStat checks the characters but not the length: a 39-character name
    /// was written into a file Stata cannot read.
    static func stataNameProblem(_ name: String) -> String? {
        guard let first = name.first else { return "is empty" }
        if name.count > 32 { return "is longer than 32 characters (\(name.count))" }
        if !(first.isLetter || first == "_") { return "does not start with a letter or _" }
        if let bad = name.first(where: { !($0.isLetter || $0.isNumber || $0 == "_") }) {
            return bad == " " ? "contains a space" : "contains '\(bad)'"
        }
        if stataReservedWords.contains(name) { return "is a reserved word in Stata" }
        if name.hasPrefix("str"), let width = Int(name.dropFirst(3)), (1...2045).contains(width) { return "is a reserved word in Stata" }
        return nil
    }

    /// Rejects names Stata cannot take, naming each with the reason and stating the rule.
    static func checkStataNames(_ names: [String], path: String) throws {
        let problems = names.compactMap { name in stataNameProblem(name).map { "'\(name)' \($0)" } }
        guard !problems.isEmpty else { return }
        throw DataError.invalid("\(path): variable names Stata cannot take: \(problems.joined(separator: "; ")). "
            + "Stata names have 1 to 32 characters, start with a letter or _, contain only letters, digits and _, and "
            + "are not reserved words (_all _b byte _cons double float if in int long _n _N _pi strL using with …): "
            + "rename the column (or write .sav, whose names may have 64 bytes)")
    }

    /// SPSS portable files hold ASCII text only (ReadStat fails with "unable to convert string" on the first other
    /// character, without saying where): name the variable and row, or the label, and suggest .sav.
    static func checkPortableText(_ dataset: Dataset, path: String) throws {
        func fail(_ what: String, _ text: String) -> DataError {
            let c = text.unicodeScalars.first { !$0.isASCII }.map { " ('\(Character($0))')" } ?? ""
            return DataError.invalid("\(path): \(what) has a non-ASCII character\(c); SPSS portable files (.por) "
                + "hold ASCII text only: write .sav instead")
        }
        for v in dataset.variables {
            if let label = v.label, !label.allSatisfy(\.isASCII) { throw fail("the label of variable '\(v.name)'", label) }
            for (code, label) in v.valueLabels.sorted(by: { $0.key < $1.key }) where !label.allSatisfy(\.isASCII) {
                throw fail("value label \(Codebook.format(code)) of variable '\(v.name)'", label)
            }
            for (value, label) in v.textValueLabels.sorted(by: { $0.key < $1.key })
            where !(value + label).allSatisfy(\.isASCII) {
                throw fail("value label '\(value)' of variable '\(v.name)'", value + label)
            }
            if let value = v.textMissingValues.sorted().first(where: { !$0.allSatisfy(\.isASCII) }) {
                throw fail("missing value '\(value)' of variable '\(v.name)'", value)
            }
            guard case .text(let t) = v.values else { continue }
            for (row, value) in t.enumerated() {
                if let value, !value.utf8.allSatisfy({ $0 < 0x80 }) { throw fail("variable '\(v.name)' row \(row + 1)", value) }
            }
        }
    }

    /// The 8-byte names a .sav file gives a variable (its short name) and the extra segments of a text longer
    /// than 255 bytes, as ReadStat's writer makes them: the upper-cased first 8 bytes of the name (`V<n>_A` when
    /// taken), and for segment j the first 5 bytes of that plus one base-36 digit of j % 36.
    static func savShortNames(_ names: [String], widths: [Int]) -> (short: [String], segments: [[String]]) {
        var short: [String] = []
        var taken = Set<[UInt8]>()
        var segments: [[String]] = []
        let digits = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ".utf8)
        for (i, name) in names.enumerated() {
            var bytes = Array(name.utf8.prefix(8)).map { (0x61...0x7A).contains($0) ? $0 - 0x20 : $0 }
            if taken.contains(bytes) { bytes = Array("V\((i + 1) % 100_000)_A".utf8) }
            taken.insert(bytes)
            short.append(String(decoding: bytes, as: UTF8.self))
            let count = widths[i] > 255 ? (widths[i] + 251) / 252 : 1
            let stem = Array(bytes.prefix(5))
            segments.append((1..<max(count, 1)).map { String(decoding: stem + [digits[$0 % 36]], as: UTF8.self) })
        }
        return (short, segments)
    }

    /// ReadStat reads a variable's long name by its short name, so a segment of a long text that gets the short
    /// name of a variable (its own, after 36 segments, or another's: `txt` of 300 bytes and `txt1`) leaves a file
    /// that reads back with a wrong name or a "duplicate variable name": refuse it, naming both.
    static func checkSegmentNames(_ names: [String], widths: [Int], path: String) throws {
        let (short, segments) = savShortNames(names, widths: widths)
        var owner: [String: Int] = [:]
        for (i, s) in short.enumerated() { owner[s] = i }
        for (i, list) in segments.enumerated() {
            guard let clash = list.lazy.compactMap({ owner[$0] }).first else { continue }
            let like = clash == i ? "its own short name" : "the short name of variable '\(names[clash])'"
            throw DataError.invalid("\(path): text variable '\(names[i])' (\(widths[i]) bytes) is stored in 255-byte segments "
                + "named from its first five letters, and one would be named '\(short[clash])', \(like); the file would read "
                + "back with wrong or duplicate names: rename "
                + (clash == i ? "it (a name of at most 5 characters is always safe)" : "one of them"))
        }
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
        var retainedStrings: [UnsafeMutablePointer<CChar>] = []
        defer { retainedStrings.forEach { free($0) } }
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
        if isStata {
            try checkStataNames(names, path: path)
        } else {
            try checkSPSSNames(names, original: dataset.variables.map(\.name), format: format, path: path)
        }
        if format == .por { try checkPortableText(dataset, path: path) }
        var handles: [UnsafeMutablePointer<readstat_variable_t>] = []
        // Per variable, the conversion of stored numbers into the target package's date/time units (nil: none).
        var conversions: [TemporalConversion?] = []
        let (limit, package) = maxStringBytes(format)
        let labelLimit = labelLimits(format)
        var widths = [Int](repeating: 0, count: dataset.variables.count)
        for (k, v) in dataset.variables.enumerated() {
            let handle: UnsafeMutablePointer<readstat_variable_t>?
            switch v.values {
            case .numeric:
                handle = readstat_add_variable(writer, names[k], READSTAT_TYPE_DOUBLE, 0)
            case .text(let t):
                // SPSS pads strings to their width; a width that fits every UTF-8 value loses nothing. A value the
                // format cannot hold is an error naming variable and row: ReadStat would write a file that no
                // reader can open (or, in .sav, split it into segments that read back as duplicate variables).
                var width = 1
                for (row, value) in t.enumerated() {
                    let bytes = value?.utf8.count ?? 0
                    if bytes > limit {
                        throw DataError.invalid("\(path): variable '\(v.name)' row \(row + 1) has a string of \(bytes) bytes, "
                            + "longer than \(package)'s \(limit) bytes: shorten it"
                            + (format != .sav && format != .zsav && bytes <= 32_767 ? " (or write .sav, which holds 32767 bytes)" : ""))
                    }
                    width = max(width, bytes)
                }
                // Keep the declared width (A8, A255) where it is larger and the format can hold it; SPSS stores
                // string missing values in 8-byte units, so such variables need at least 8.
                if let f = v.format, f.hasPrefix("A"), let w = Int(f.dropFirst()), w <= limit { width = max(width, w) }
                if !v.textMissingValues.isEmpty && !isStata { width = max(width, 8) }
                handle = readstat_add_variable(writer, names[k], READSTAT_TYPE_STRING, width)
                widths[k] = width
            }
            guard let h = handle else { throw DataError.io(path: path, message: "cannot add variable '\(v.name)'") }
            if let label = v.label {
                readstat_variable_set_label(h, fittedLabel(label, limit: labelLimit.variable,
                                                           what: "\(v.name): variable label", warnings: &warnings))
            }
            let conversion = v.isNumeric ? TemporalConversion(variable: v, toStata: isStata) : nil
            conversions.append(conversion)
            if let conversion { readstat_variable_set_format(h, conversion.targetFormat) }
            else if let f = v.format, formatFits(f, stata: isStata), !Self.declaresTooWideText(f, limit: limit) {
                readstat_variable_set_format(h, f)
            }
            else if v.isNumeric { readstat_variable_set_format(h, isStata ? "%9.0g" : defaultSPSSFormat(v)) }
            switch v.kind {
            case .nominal?, .text?, .id?: readstat_variable_set_measure(h, READSTAT_MEASURE_NOMINAL)
            case .ordinal?, .likert?: readstat_variable_set_measure(h, READSTAT_MEASURE_ORDINAL)
            case .numeric?, .weight?: readstat_variable_set_measure(h, READSTAT_MEASURE_SCALE)
            case nil: break
            }
            if v.isNumeric && !v.valueLabels.isEmpty {
                // Stata's label names have the same 32-character limit as its variable names; "lbl<k>" (ending in a
                // digit) cannot collide with a "<name>_lbl".
                let setName = isStata ? (v.name.count <= 28 ? "\(v.name)_lbl" : "lbl\(k)") : "labels\(k)"
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
                        readstat_label_double_value(set, code, fittedLabel(label, limit: labelLimit.value,
                            what: "\(v.name): value label \(Codebook.format(code))", warnings: &warnings))
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
                        readstat_label_string_value(set, value, fittedLabel(label, limit: labelLimit.value,
                            what: "\(v.name): value label '\(value)'", warnings: &warnings))
                    }
                    readstat_variable_set_label_set(h, set)
                }
            }
            if !v.isNumeric && !v.textMissingValues.isEmpty {
                let values = v.textMissingValues.sorted()
                if isStata {
                    warnings.append("\(v.name): missing values \(values.map { "'\($0)'" }.joined(separator: ", ")) not stored (Stata has no user-missing values)")
                } else {
                    // SPSS holds three discrete string missing values of at most 8 bytes each (ReadStat would cut
                    // a longer one at byte 8, possibly inside a UTF-8 character).
                    if values.count > 3 {
                        throw DataError.invalid("\(path): variable '\(v.name)': SPSS allows at most 3 missing values")
                    }
                    for value in values {
                        if value.utf8.count > 8 {
                            warnings.append("\(v.name): missing value '\(value)' not stored (SPSS holds string missing values of at most 8 bytes)")
                            continue
                        }
                        // ReadStat keeps the pointer, not a copy, until the file is written: a Swift string's
                        // temporary C buffer would be gone by then (the file would hold garbage).
                        guard let copy = strdup(value) else { throw DataError.io(path: path, message: "out of memory") }
                        retainedStrings.append(copy)
                        try check(readstat_variable_add_missing_string_value(h, copy), path, "missing value of '\(v.name)'")
                    }
                }
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
        if format == .sav || format == .zsav { try checkSegmentNames(names, widths: widths, path: path) }
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
                    if let stored = c.value(at: i) {
                        let x = conversions[k]?.convert(stored) ?? stored
                        if !isStata && format != .por, let reserved = spssReservedValue(x) {
                            throw DataError.invalid("\(path): cannot write variable '\(v.name)' row \(i + 1): the value \(x) "
                                + "is the one SPSS reserves for \(reserved) and reads back as missing")
                        }
                        try check(readstat_insert_double_value(writer, h, x), path, "variable '\(v.name)' row \(i + 1)")
                    } else {
                        try check(readstat_insert_missing_value(writer, h), path, "variable '\(v.name)' row \(i + 1)")
                    }
                case .text(let t):
                    try check(readstat_insert_string_value(writer, h, t[i] ?? ""), path, "variable '\(v.name)' row \(i + 1)")
                }
            }
            try check(readstat_end_row(writer), path, "row \(i + 1)")
        }
        try check(readstat_end_writing(writer), path, "file")
        withExtendedLifetime(sink) {}
        if sink.failed { throw DataError.io(path: path, message: "write failed (disk full?)") }
        return warnings
    }

    /// A text format wider than the file holds (`A40000` in .sav): ReadStat would cut it to a width the values
    /// do not have, so the format of the actual width is written instead.
    static func declaresTooWideText(_ f: String, limit: Int) -> Bool {
        f.hasPrefix("A") && (Int(f.dropFirst()) ?? 0) > limit
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

/// Converts dates and times between the two packages' conventions when a variable's display format belongs to the
/// other package: SPSS stores seconds since 1582-10-14, Stata `%td` days and `%tc` milliseconds since 1960-01-01
/// (see `TemporalFormat`). Without it a `.sav` date written to `.dta` would be a bare count of SPSS seconds.
struct TemporalConversion {
    /// The display format in the target package.
    let targetFormat: String
    /// A value converts as `x * multiplier / divisor + shift` (dividing by 1000 rather than multiplying by 0.001
    /// keeps whole milliseconds exact).
    let multiplier: Double
    let divisor: Double
    let shift: Double

    func convert(_ x: Double) -> Double {
        let y = x * multiplier / divisor + shift
        // Stata counts whole milliseconds (%tc) or days (%td); sub-millisecond noise from the scaling is dropped.
        return targetFormat.hasPrefix("%") ? y.rounded() : y
    }

    /// SPSS seconds between 1582-10-14 and 1960-01-01.
    static let epochGapSeconds = Double(TemporalFormat.stataEpochDay - TemporalFormat.spssEpochDay) * 86_400

    /// The conversion of `variable`'s values into the other package, or nil when its format is not a date/time of
    /// the other package (or already the target's).
    init?(variable: Variable, toStata: Bool) {
        guard let format = variable.format, StatFileWriter.formatFits(format, stata: !toStata),
              let temporal = TemporalFormat(format: format), case .numeric(let column) = variable.values else { return nil }
        let values = (0..<column.count).compactMap { column.value(at: $0) }
        if toStata {
            switch temporal.kind {
            case .date where values.allSatisfy({ $0.truncatingRemainder(dividingBy: 86_400) == 0 }):
                (targetFormat, multiplier, divisor, shift) = ("%td", 1, 86_400, -Self.epochGapSeconds / 86_400)
            case .date, .dateTime:
                (targetFormat, multiplier, divisor, shift) = ("%tc", 1000, 1, -Self.epochGapSeconds * 1000)
            case .time:
                // A time of day (or duration) as milliseconds after midnight, shown as a clock time.
                (targetFormat, multiplier, divisor, shift) = ("%tcHH:MM:SS", 1000, 1, 0)
            }
        } else {
            let hasFraction = values.contains { $0.truncatingRemainder(dividingBy: 1000) != 0 }
            if temporal.kind == .date && temporal.unitsPerSecond < 1 {
                (targetFormat, multiplier, divisor, shift) = ("DATE11", 86_400, 1, Self.epochGapSeconds)
            } else if temporal.kind == .time {
                (targetFormat, multiplier, divisor, shift) = (hasFraction ? "TIME11.2" : "TIME8", 1, 1000, 0)
            } else {
                (targetFormat, multiplier, divisor, shift) = (hasFraction ? "DATETIME23.2" : "DATETIME20", 1, 1000, Self.epochGapSeconds)
            }
        }
    }
}
