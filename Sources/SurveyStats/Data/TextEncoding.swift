/// Character encodings accepted for CSV input.
public enum TextEncoding: String, Sendable, CaseIterable {
    /// UTF-8 if the bytes are valid UTF-8, otherwise Windows-1252 (what Norwegian Excel writes by default).
    case auto
    case utf8
    /// Windows-1252 (a superset of ISO-8859-1 for printable characters), as written by Excel «CSV (semikolondelt)».
    case windows1252

    public init?(name: String) {
        switch name.lowercased().replacingOccurrences(of: "_", with: "-") {
        case "auto": self = .auto
        case "utf8", "utf-8": self = .utf8
        case "cp1252", "windows-1252", "windows1252", "latin1", "latin-1", "iso-8859-1", "iso8859-1": self = .windows1252
        default: return nil
        }
    }
}

enum EncodingSupport {
    /// Position of the first byte that is not part of a valid UTF-8 sequence, or nil when the buffer is valid.
    /// Mostly-ASCII input is checked eight bytes at a time.
    static func firstInvalidUTF8(_ p: UnsafePointer<UInt8>, _ count: Int) -> Int? {
        let high: UInt64 = 0x8080_8080_8080_8080
        var i = 0
        while i < count {
            // ASCII 16 bytes at a time; within a word, straight to its first non-ASCII byte (the streaming engine
            // checks every byte of a file, most of them ASCII with a letter like «ø» now and then).
            while i + 16 <= count {
                let a = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
                let b = UnsafeRawPointer(p + i + 8).loadUnaligned(as: UInt64.self)
                if (a | b) & high != 0 { break }
                i += 16
            }
            if i == count { break }
            if i + 8 <= count {
                let word = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self).littleEndian & high
                if word == 0 { i += 8; continue }
                i += word.trailingZeroBitCount >> 3
            }
            let c = p[i]
            if c < 0x80 { i += 1; continue }
            // Two-byte sequences (Latin letters: «ø» is C3 B8), the commonest: C2…DF and a continuation byte.
            if c >= 0xC2 && c <= 0xDF {
                if i + 1 < count && p[i + 1] & 0xC0 == 0x80 { i += 2; continue }
                return i
            }
            var need = 0
            var minValue: UInt32 = 0
            var scalar: UInt32 = 0
            if c & 0xE0 == 0xC0 { need = 1; minValue = 0x80; scalar = UInt32(c & 0x1F) }
            else if c & 0xF0 == 0xE0 { need = 2; minValue = 0x800; scalar = UInt32(c & 0x0F) }
            else if c & 0xF8 == 0xF0 { need = 3; minValue = 0x10000; scalar = UInt32(c & 0x07) }
            else { return i }
            if i + need >= count { return i }   // truncated sequence at the end
            for k in 1...need {
                let b = p[i + k]
                if b & 0xC0 != 0x80 { return i }
                scalar = scalar << 6 | UInt32(b & 0x3F)
            }
            if scalar < minValue || scalar > 0x10FFFF || (0xD800...0xDFFF).contains(scalar) { return i }
            i += need + 1
        }
        return nil
    }

    /// Whether `p[from..<count]` holds a valid multi-byte UTF-8 sequence (two or more bytes). Asked only after an
    /// invalid byte was found: a file with both is UTF-8 with stray bytes (mixed encodings), not Windows-1252,
    /// whose letters are single bytes that almost never form a valid sequence («ø» is F8, «å» E5).
    static func containsMultibyteUTF8(_ p: UnsafePointer<UInt8>, _ count: Int, from start: Int = 0) -> Bool {
        var i = start
        while i < count {
            let c = p[i]
            if c < 0xC2 || c > 0xF4 { i += 1; continue }
            let need = c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3
            if i + need >= count { return false }
            var ok = true
            for k in 1...need where p[i + k] & 0xC0 != 0x80 { ok = false; break }
            if ok && EncodingSupport.firstInvalidUTF8(p + i, need + 1) == nil { return true }
            i += 1
        }
        return false
    }

    /// Unicode scalars for Windows-1252 bytes 0x80…0x9F (undefined bytes map to the C1 control of the same value,
    /// as Python's and WHATWG's decoders do for round-tripping).
    static let cp1252High: [UInt32] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ]

    /// Transcodes Windows-1252 bytes to UTF-8.
    static func windows1252ToUTF8(_ p: UnsafePointer<UInt8>, _ count: Int) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(count + count / 8)
        for i in 0..<count {
            let c = p[i]
            if c < 0x80 { out.append(c); continue }
            let scalar: UInt32 = c < 0xA0 ? cp1252High[Int(c) - 0x80] : UInt32(c)
            appendUTF8(scalar, to: &out)
        }
        return out
    }

    static func appendUTF8(_ s: UInt32, to out: inout [UInt8]) {
        if s < 0x80 { out.append(UInt8(s)) }
        else if s < 0x800 { out.append(UInt8(0xC0 | s >> 6)); out.append(UInt8(0x80 | s & 0x3F)) }
        else if s < 0x10000 {
            out.append(UInt8(0xE0 | s >> 12)); out.append(UInt8(0x80 | (s >> 6) & 0x3F)); out.append(UInt8(0x80 | s & 0x3F))
        } else {
            out.append(UInt8(0xF0 | s >> 18)); out.append(UInt8(0x80 | (s >> 12) & 0x3F))
            out.append(UInt8(0x80 | (s >> 6) & 0x3F)); out.append(UInt8(0x80 | s & 0x3F))
        }
    }
}
