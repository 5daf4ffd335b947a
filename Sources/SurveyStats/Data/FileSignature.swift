import Foundation

/// What a file is by its first bytes (magic numbers), so that a misnamed file is reported as what it is instead
/// of failing obscurely: an SPSS file named .csv, a CSV file named .sav, a gzip-compressed CSV.
enum FileSignature: Equatable {
    case spss, spssPortable, stata, sas, sasTransport, gzip, zip, ole, text

    /// How messages name it.
    var name: String {
        switch self {
        case .spss: return "an SPSS file"
        case .spssPortable: return "an SPSS portable file"
        case .stata: return "a Stata file"
        case .sas: return "a SAS file"
        case .sasTransport: return "a SAS transport file"
        case .gzip: return "gzip-compressed"
        case .zip: return "a zip archive (an Excel .xlsx?)"
        case .ole: return "an old-style Office file (an Excel .xls?)"
        case .text: return "a text (CSV) file"
        }
    }

    /// Whether `p[0..<n]` (the start of a file) is UTF-16 text: a UTF-16 byte-order mark (FF FE or FE FF), or
    /// NUL in every other byte of the first bytes (UTF-16 without a mark, mostly ASCII letters).
    static func isUTF16(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        if n >= 2 && ((p[0] == 0xFF && p[1] == 0xFE) || (p[0] == 0xFE && p[1] == 0xFF)) { return true }
        let m = min(n, 512) & ~1
        guard m >= 4 else { return false }
        var evenNUL = 0, oddNUL = 0
        for i in stride(from: 0, to: m, by: 2) {
            if p[i] == 0 { evenNUL += 1 }
            if p[i + 1] == 0 { oddNUL += 1 }
        }
        let pairs = m / 2
        // Nearly every other byte NUL and (almost) none of the others: little- or big-endian UTF-16.
        return (oddNUL * 10 >= pairs * 9 && evenNUL * 10 <= pairs) || (evenNUL * 10 >= pairs * 9 && oddNUL * 10 <= pairs)
    }

    /// The error for a UTF-16 file given as CSV (both engines).
    static func utf16Message(_ path: String) -> String {
        "\(path) is UTF-16 text; save it as UTF-8 (or convert with iconv -f UTF-16 -t UTF-8)"
    }

    /// Reads the first bytes of `path` and throws `utf16Message` when they are UTF-16.
    static func rejectUTF16(path: String) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else { return }
        defer { try? handle.close() }
        let bytes = [UInt8](handle.readData(ofLength: 512))
        if bytes.withUnsafeBufferPointer({ $0.baseAddress.map { isUTF16($0, bytes.count) } ?? false }) {
            throw DataError.invalid(utf16Message(path))
        }
    }

    /// The binary formats recognised from `p[0..<n]` (nil for text and anything unknown).
    static func binary(_ p: UnsafePointer<UInt8>, _ n: Int) -> FileSignature? {
        func starts(_ s: [UInt8], at offset: Int = 0) -> Bool {
            guard n >= offset + s.count else { return false }
            for (k, b) in s.enumerated() where p[offset + k] != b { return false }
            return true
        }
        if starts(Array("$FL2".utf8)) || starts(Array("$FL3".utf8)) { return .spss }
        if starts(Array("<stata_dta>".utf8)) { return .stata }
        // Old Stata (formats 102–115): version byte, byte order 1/2, file type 1.
        if n >= 4, (102...115).contains(p[0]), p[1] == 1 || p[1] == 2, p[2] == 1, p[3] == 0 { return .stata }
        if starts([0xC2, 0xEA, 0x81, 0x60], at: 12) { return .sas }
        if starts([0x1F, 0x8B]) { return .gzip }
        if starts([0x50, 0x4B, 0x03, 0x04]) { return .zip }
        if starts([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) { return .ole }
        return nil
    }

    /// What the file at `path` is: a binary format, `.text` for (mostly) printable bytes, nil when unknown.
    static func of(path: String) -> FileSignature? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        let bytes = [UInt8](handle.readData(ofLength: 1024))
        return bytes.withUnsafeBufferPointer { b -> FileSignature? in
            guard let base = b.baseAddress, !b.isEmpty else { return nil }
            if let kind = binary(base, b.count) { return kind }
            // SPSS portable: "SPSSPORT" after a 456-byte header (which writers break into 80-character lines).
            if String(decoding: b, as: UTF8.self).contains("SPSSPORT") { return .spssPortable }
            if String(decoding: b.prefix(13), as: UTF8.self) == "HEADER RECORD" { return .sasTransport }
            // Text: no NUL and mostly printable (tabs, line ends, UTF-8 or Windows-1252 letters allowed).
            if b.contains(0) { return nil }
            let control = b.lazy.filter { $0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }.count
            return control * 20 < b.count ? .text : nil
        }
    }

    /// The format a statistics file's extension promises, as a signature.
    static func expected(for format: StatFileFormat) -> FileSignature {
        switch format {
        case .sav, .zsav: return .spss
        case .por: return .spssPortable
        case .dta: return .stata
        case .sas7bdat: return .sas
        case .xpt: return .sasTransport
        }
    }

    /// The extension to suggest for a file that is `self`.
    var suggestedExtension: String? {
        switch self {
        case .spss: return ".sav"
        case .spssPortable: return ".por"
        case .stata: return ".dta"
        case .sas: return ".sas7bdat"
        case .sasTransport: return ".xpt"
        case .text: return ".csv"
        case .gzip, .zip, .ole: return nil
        }
    }

    /// The message for a file that is `self` but was given as `what` (e.g. "CSV").
    func misnamed(_ path: String, as what: String) -> String {
        switch self {
        case .gzip: return "\(path) is gzip-compressed: decompress it first (gunzip \(path))"
        case .zip, .ole: return "\(path) is \(name), not \(what): save it as CSV (or .sav) first"
        default:
            return "\(path) is \(name), not \(what)" + (suggestedExtension.map { " (rename it \($0))" } ?? "")
        }
    }
}
