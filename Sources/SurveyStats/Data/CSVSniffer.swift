import Foundation

/// Guesses the delimiter and decimal separator from the first lines of a file.
///
/// Delimiter: among tab, `;`, `,` and `|`, the one that occurs the same non-zero number of times (outside
/// quotes) on every sampled line; ties go to tab, then `;`, then `,` — in a Norwegian Excel file (`;` and decimal
/// comma) both `;` and `,` may look consistent, and `;` is the one that is never part of a number.
/// Decimal separator: `,` when the delimiter is not `,` and the sampled fields that look like decimals use a
/// comma (`3,86`) and none use a point, or when a `;` file shows no decimals at all; otherwise `.`.
enum CSVSniffer {
    static let candidates: [UInt8] = [0x09, UInt8(ascii: ";"), UInt8(ascii: ","), UInt8(ascii: "|")]

    static func sniff(_ p: UnsafePointer<UInt8>, _ n: Int, delimiter fixed: UInt8?) -> (delimiter: UInt8, decimalSeparator: UInt8) {
        let limit = min(n, 1 << 20)
        // Split the sample into lines outside quotes, counting candidates per line.
        var counts: [[Int]] = []
        var current = [Int](repeating: 0, count: candidates.count)
        var inQuotes = false
        var lineStarts = [0]
        var i = 0
        var complete = 0
        while i < limit && counts.count < 40 {
            let c = p[i]
            if c == CSVScanner.quote { inQuotes.toggle() }
            else if !inQuotes {
                // LF, CRLF (the CR is then not a candidate and the LF ends the line) or a lone CR (old Mac Excel).
                if c == 0x0A || (c == 0x0D && (i + 1 >= n || p[i + 1] != 0x0A)) {
                    counts.append(current); current = [Int](repeating: 0, count: candidates.count)
                    complete = counts.count
                    lineStarts.append(i + 1)
                } else if let k = candidates.firstIndex(of: c) { current[k] += 1 }
            }
            i += 1
        }
        if i >= n && current.contains(where: { $0 > 0 }) { counts.append(current) }   // last line without newline
        _ = complete
        var delimiter = UInt8(ascii: ",")
        if let fixed { delimiter = fixed }
        else if !counts.isEmpty {
            var chosen: UInt8?
            for (k, c) in candidates.enumerated() {
                let first = counts[0][k]
                if first > 0 && counts.allSatisfy({ $0[k] == first }) { chosen = c; break }
            }
            if chosen == nil {
                // No consistent candidate (ragged sample or a single line): the most frequent on the first line.
                var best = 0
                for (k, c) in candidates.enumerated() where counts[0][k] > best { best = counts[0][k]; chosen = c }
            }
            delimiter = chosen ?? UInt8(ascii: ",")
        }
        if delimiter == UInt8(ascii: ",") { return (delimiter, UInt8(ascii: ".")) }

        // Decimal separator: look at the sampled fields (skipping the header line).
        var commaDecimals = 0, pointDecimals = 0
        let scanner = CSVScanner(p: p, count: min(n, lineStarts.last ?? 0), delimiter: delimiter, columns: .max)
        var start = lineStarts.count > 1 ? lineStarts[1] : 0
        var rows = 0
        while start < scanner.count && rows < 40 {
            var sink = StringRowSink(scanner: scanner)
            let scan = scanner.scan(from: start, stop: scanner.count, sink: &sink, maxRows: 1)
            if scan.error != nil || scan.end <= start { break }
            for f in sink.fields {
                guard let f else { continue }
                switch decimalStyle(f) {
                case .comma: commaDecimals += 1
                case .point: pointDecimals += 1
                case .none: break
                }
            }
            start = scan.end
            rows += 1
        }
        if commaDecimals > 0 && pointDecimals == 0 { return (delimiter, UInt8(ascii: ",")) }
        // No decimals in the sample: a `;` file most likely comes from Excel in a decimal-comma locale.
        if commaDecimals == 0 && pointDecimals == 0 && delimiter == UInt8(ascii: ";") { return (delimiter, UInt8(ascii: ",")) }
        return (delimiter, UInt8(ascii: "."))
    }

    enum DecimalStyle { case comma, point, none }

    /// Whether a field looks like `-12,5` (comma) or `-12.5` (point).
    static func decimalStyle(_ field: String) -> DecimalStyle {
        var sawDigit = false, separator: Character?
        for (k, ch) in field.trimmingCharacters(in: .whitespaces).enumerated() {
            if ch.isASCII && ch.isNumber { sawDigit = true; continue }
            if (ch == "-" || ch == "+") && k == 0 { continue }
            if (ch == "," || ch == ".") && separator == nil { separator = ch; continue }
            return .none
        }
        guard sawDigit, let separator else { return .none }
        return separator == "," ? .comma : .point
    }
}
