import Foundation

/// Guesses the delimiter and decimal separator from the first lines of a file.
///
/// Delimiter: among tab, `;`, `,` and `|`, the one that occurs the same non-zero number of times (outside
/// quotes) on every sampled line; ties go to tab, then `;`, then `,` — in a Norwegian Excel file (`;` and decimal
/// comma) both `;` and `,` may look consistent, and `;` is the one that is never part of a number. A header
/// without any candidate is a single-column file, which has no delimiter: the first of `,` `;` tab `|` that
/// occurs on no sampled line (and is not a given decimal separator) is used, so that `1,5` stays one field.
/// Decimal separator: sniffed from the columns that look numeric (every sampled field a number, in either
/// style, or empty) — a text column holding «2.1» says nothing about the numbers. `,` when such columns use a
/// decimal comma (`3,86`) and none a point, or when a `;` file shows decimal commas at all (Excel in a
/// decimal-comma locale) or no decimals at all; otherwise `.`. In a `,`-separated file a decimal comma can only be
/// quoted (`1,"3,5"`: Google Sheets or Excel exporting CSV in a decimal-comma locale), and a quoted «1,500» may
/// be digit grouping: `,` there needs a column whose commas include one not followed by exactly three digits.
/// `--decimal-comma` on a `,`-separated file reads such quoted decimal commas (an unquoted `3,5` is two fields).
/// Lines end in LF, CRLF or a lone CR.
enum CSVSniffer {
    static let candidates: [UInt8] = [0x09, UInt8(ascii: ";"), UInt8(ascii: ","), UInt8(ascii: "|")]

    static func sniff(_ p: UnsafePointer<UInt8>, _ n: Int, delimiter fixed: UInt8?,
                      decimal fixedDecimal: UInt8? = nil) -> (delimiter: UInt8, decimalSeparator: UInt8) {
        let limit = min(n, 1 << 20)
        // Split the sample into lines outside quotes, counting candidates per line.
        var counts: [[Int]] = []
        var current = [Int](repeating: 0, count: candidates.count)
        var inQuotes = false
        var lineStarts = [0]
        var i = 0
        while i < limit && counts.count < 40 {
            let c = p[i]
            if c == CSVScanner.quote { inQuotes.toggle() }
            else if !inQuotes {
                // LF, CRLF (the CR is then not a candidate and the LF ends the line) or a lone CR (old Mac Excel).
                if c == 0x0A || (c == 0x0D && (i + 1 >= n || p[i + 1] != 0x0A)) {
                    counts.append(current); current = [Int](repeating: 0, count: candidates.count)
                    lineStarts.append(i + 1)
                } else if let k = candidates.firstIndex(of: c) { current[k] += 1 }
            }
            i += 1
        }
        if i >= n && current.contains(where: { $0 > 0 }) { counts.append(current) }   // last line without newline
        var delimiter = UInt8(ascii: ",")
        if let fixed { delimiter = fixed }
        else if !counts.isEmpty {
            // A decimal separator the user gave is the delimiter only when nothing else is (`--decimal-comma` on a
            // ','-separated file, whose decimal commas are quoted: `1,"3,5"`): it is tried last.
            let order = candidates.indices.filter { candidates[$0] != fixedDecimal }
                + candidates.indices.filter { candidates[$0] == fixedDecimal }
            var chosen: UInt8?
            if order.allSatisfy({ counts[0][$0] == 0 }) {
                // One column: no delimiter in the header. Use one that occurs nowhere in the sample.
                let order = [UInt8(ascii: ","), UInt8(ascii: ";"), 0x09, UInt8(ascii: "|")]
                chosen = order.first { c in
                    c != fixedDecimal && counts.allSatisfy { $0[candidates.firstIndex(of: c)!] == 0 }
                }
            } else {
                for k in order {
                    let first = counts[0][k]
                    if first > 0 && counts.allSatisfy({ $0[k] == first }) { chosen = candidates[k]; break }
                }
                if chosen == nil {
                    // No consistent candidate (ragged sample or a single line): the most frequent on the first line.
                    var best = 0
                    for k in order where counts[0][k] > best { best = counts[0][k]; chosen = candidates[k] }
                }
            }
            delimiter = chosen ?? UInt8(ascii: ",")
        }
        if let fixedDecimal { return (delimiter, fixedDecimal) }
        let commaDelimited = delimiter == UInt8(ascii: ",")

        // Decimal separator: per column of the sampled rows (skipping the header line).
        var commaFields: [Int] = [], pointFields: [Int] = [], isText: [Bool] = []
        // Decimal commas that cannot be digit grouping (not exactly three digits after the comma: «3,5», «4,25»).
        var decisiveCommaFields: [Int] = []
        let scanner = CSVScanner(p: p, count: min(n, lineStarts.last ?? 0), delimiter: delimiter, columns: .max)
        var start = lineStarts.count > 1 ? lineStarts[1] : 0
        var rows = 0
        while start < scanner.count && rows < 40 {
            var sink = StringRowSink(scanner: scanner)
            let scan = scanner.scan(from: start, stop: scanner.count, sink: &sink, maxRows: 1)
            if scan.error != nil || scan.end <= start { break }
            for (k, f) in sink.fields.enumerated() {
                if k >= isText.count {
                    commaFields.append(0); pointFields.append(0); isText.append(false); decisiveCommaFields.append(0)
                }
                guard let f else { continue }
                switch decimalStyle(f) {
                case .comma:
                    commaFields[k] += 1
                    if Self.fractionDigits(f) != 3 { decisiveCommaFields[k] += 1 }
                case .point: pointFields[k] += 1
                case .integer, .missing: break
                case .none: isText[k] = true
                }
            }
            start = scan.end
            rows += 1
        }
        var commaColumns = 0, pointColumns = 0
        for k in isText.indices where !isText[k] {
            // In a ','-separated file a decimal comma is quoted (`1,"3,5"`, as Google Sheets in a decimal-comma
            // locale writes it); a quoted «1,500» may be digit grouping (English locales), so only columns with a
            // comma that cannot be grouping count there.
            if commaFields[k] > 0 && pointFields[k] == 0 && (!commaDelimited || decisiveCommaFields[k] > 0) {
                commaColumns += 1
            }
            if pointFields[k] > 0 && commaFields[k] == 0 { pointColumns += 1 }
        }
        if commaDelimited {
            return (delimiter, UInt8(ascii: commaColumns > 0 && pointColumns == 0 ? "," : "."))
        }
        let semicolon = delimiter == UInt8(ascii: ";")
        if commaColumns > 0 && (pointColumns == 0 || semicolon) { return (delimiter, UInt8(ascii: ",")) }
        // No decimals in the sample: a `;` file most likely comes from Excel in a decimal-comma locale.
        if commaColumns == 0 && pointColumns == 0 && semicolon { return (delimiter, UInt8(ascii: ",")) }
        return (delimiter, UInt8(ascii: "."))
    }

    enum DecimalStyle { case comma, point, integer, missing, none }

    /// Digits after the (one) decimal separator of a field `decimalStyle` calls `.comma` or `.point`.
    static func fractionDigits(_ field: String) -> Int {
        let trimmed = field.trimmingCharacters(in: CharacterSet(charactersIn: " \t"))
        guard let k = trimmed.firstIndex(where: { $0 == "," || $0 == "." }) else { return 0 }
        return trimmed[trimmed.index(after: k)...].count
    }

    /// Whether a field looks like `-12,5` or `−12,5` (comma), `-12.5` (point), `12` (integer), is empty or `NA`
    /// (missing), or is none of these (text).
    static func decimalStyle(_ field: String) -> DecimalStyle {
        let trimmed = field.trimmingCharacters(in: CharacterSet(charactersIn: " \t"))
        if trimmed.isEmpty || trimmed == "NA" { return .missing }
        var sawDigit = false, separator: Character?
        for (k, ch) in trimmed.enumerated() {
            if ch.isASCII && ch.isNumber { sawDigit = true; continue }
            if (ch == "-" || ch == "+" || ch == "−") && k == 0 { continue }   // − U+2212, as Norwegian Windows writes it
            if (ch == "," || ch == ".") && separator == nil { separator = ch; continue }
            return .none
        }
        guard sawDigit else { return .none }
        guard let separator else { return .integer }
        return separator == "," ? .comma : .point
    }
}
