import Foundation

/// Writes a `Dataset` as CSV (UTF-8, header row, LF line ends) such that `CSVReader` reads back exactly the same
/// values: numbers in their shortest round-trip form, dates and times of SPSS/Stata formats as ISO 8601 text
/// (`2019-03-01`, `2019-03-01T12:30:00`; see `TemporalFormat`), missing as the empty field, text quoted when it holds the
/// delimiter, a quote, a line break, surrounding spaces, or would otherwise read as missing or as a number in the
/// wrong place (`NA`).
public enum CSVWriter {
    public struct Options: Sendable {
        public var delimiter: UInt8
        /// Write `3,86` instead of `3.86` (Norwegian Excel; use with `;`).
        public var decimalComma: Bool
        /// Start the file with a UTF-8 byte-order mark, without which Excel reads æøå as Windows-1252 (`write` only;
        /// `CSVReader` skips it).
        public var byteOrderMark: Bool
        public init(delimiter: UInt8 = UInt8(ascii: ","), decimalComma: Bool = false, byteOrderMark: Bool = false) {
            self.delimiter = delimiter; self.decimalComma = decimalComma; self.byteOrderMark = byteOrderMark
        }
        /// `;`, decimal comma and a byte-order mark, as Norwegian Excel reads and writes.
        public static let norwegian = Options(delimiter: UInt8(ascii: ";"), decimalComma: true, byteOrderMark: true)
    }

    /// Writes `dataset` to `path` atomically (temporary file, then rename).
    public static func write(_ dataset: Dataset, to path: String, options: Options = Options()) throws {
        try AtomicFile.write(to: path) { file in
            var buffer = [UInt8]()
            buffer.reserveCapacity(1 << 16)
            if options.byteOrderMark { buffer.append(contentsOf: [0xEF, 0xBB, 0xBF]) }
            func flush() throws {
                if !buffer.isEmpty && fwrite(buffer, 1, buffer.count, file) != buffer.count {
                    throw DataError.io(path: path, message: "write failed")
                }
                buffer.removeAll(keepingCapacity: true)
            }
            try encode(dataset, options: options) { bytes in
                buffer.append(contentsOf: bytes)
                if buffer.count >= 1 << 16 { try flush() }
            }
            try flush()
        }
    }

    /// The CSV text of `dataset`.
    public static func string(_ dataset: Dataset, options: Options = Options()) -> String {
        var out = [UInt8]()
        try? encode(dataset, options: options) { out.append(contentsOf: $0) }
        return String(decoding: out, as: UTF8.self)
    }

    static func encode(_ dataset: Dataset, options: Options, emit: ([UInt8]) throws -> Void) throws {
        let d = options.delimiter
        try emit(dataset.variables.enumerated().flatMap { k, v in
            (k > 0 ? [d] : []) + field(v.name, delimiter: d, isText: true)
        } + [0x0A])
        // Dates and times (SPSS/Stata formats) are written as ISO 8601 text; a codebook carrying the format reads
        // them back as the same stored numbers.
        let temporal = dataset.variables.map { TemporalFormat(format: $0.format) }
        for i in 0..<dataset.rowCount {
            var line = [UInt8]()
            for (k, v) in dataset.variables.enumerated() {
                if k > 0 { line.append(d) }
                switch v.values {
                case .numeric(let c):
                    guard let x = c.value(at: i) else { break }
                    if let t = temporal[k], let text = t.text(x) { line += Array(text.utf8) }
                    else { line += number(x, decimalComma: options.decimalComma) }
                case .text(let t):
                    if let s = t[i] { line += field(s, delimiter: d, isText: true) }
                }
            }
            line.append(0x0A)
            try emit(line)
        }
    }

    /// Shortest text that parses back to exactly `x`.
    static func number(_ x: Double, decimalComma: Bool) -> [UInt8] {
        let text = x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : "\(x)"
        let bytes = Array(text.utf8)
        return decimalComma ? bytes.map { $0 == UInt8(ascii: ".") ? UInt8(ascii: ",") : $0 } : bytes
    }

    static func field(_ s: String, delimiter: UInt8, isText: Bool) -> [UInt8] {
        let bytes = Array(s.utf8)
        let needsQuotes = bytes.isEmpty || s == "NA" || bytes.first == 0x20 || bytes.last == 0x20
            || bytes.contains { $0 == delimiter || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
        guard needsQuotes else { return bytes }
        var out: [UInt8] = [0x22]
        for b in bytes { out.append(b); if b == 0x22 { out.append(0x22) } }
        out.append(0x22)
        return out
    }
}
