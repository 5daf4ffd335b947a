/// A JSON value whose encoding SurveyStats controls exactly.
///
/// Why not `JSONSerialization`/`JSONEncoder`: measured with Swift 6.3 on Linux, they do print finite doubles in
/// shortest round-trip form, but they throw on NaN and ±∞ (a regression on a constant column has an undefined
/// t statistic, which must become `null`, not a failed command), and a `[String: Any]` loses the key order
/// that makes the output readable. Here every finite double is written in its shortest round-trip form (the
/// digits Swift's `description` produces: parsing them gives back the identical double), NaN and ±∞ become
/// `null`, object keys keep the order in which they were built, and non-ASCII text is written as UTF-8.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// A double; non-finite values encode as `null`.
    case number(Double)
    case integer(Int)
    case string(String)
    case array([JSONValue])
    /// Members in insertion order.
    case object([Member])

    public struct Member: Sendable, Equatable {
        public var key: String
        public var value: JSONValue
        public init(_ key: String, _ value: JSONValue) { self.key = key; self.value = value }
    }

    /// A number that may be undefined: `nil` and non-finite values become `null`.
    public static func number(_ value: Double?) -> JSONValue {
        guard let v = value, v.isFinite else { return .null }
        return .number(v)
    }

    /// An array of doubles (non-finite → `null`).
    public static func numbers(_ values: [Double]) -> JSONValue { .array(values.map { .number($0) }) }

    /// An array of strings.
    public static func strings(_ values: [String]) -> JSONValue { .array(values.map { .string($0) }) }

    /// The value for `key` of an object (the first member with that key), else `nil`.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    /// Adds or replaces a member of an object; does nothing for other values.
    public mutating func set(_ key: String, _ value: JSONValue) {
        guard case .object(var members) = self else { return }
        if let i = members.firstIndex(where: { $0.key == key }) { members[i].value = value } else {
            members.append(Member(key, value))
        }
        self = .object(members)
    }
}

extension JSONValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int) { self = .integer(value) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    /// Keeps the literal's key order.
    public init(dictionaryLiteral elements: (String, JSONValue)...) { self = .object(elements.map { Member($0.0, $0.1) }) }
}

extension JSONValue {
    /// The JSON text. `pretty` indents nested containers by two spaces but keeps arrays of scalars on one line
    /// (`"ci": [0.12, 0.56]`), which reads well and diffs well.
    public func encoded(pretty: Bool = true) -> String {
        var out = ""
        write(to: &out, indent: pretty ? 0 : nil)
        return out
    }

    private var isScalar: Bool {
        switch self {
        case .array, .object: return false
        default: return true
        }
    }

    private func write(to out: inout String, indent: Int?) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .integer(let i): out += String(i)
        case .number(let d): out += JSONValue.encode(d)
        case .string(let s): JSONValue.writeString(s, to: &out)
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            if let level = indent, !items.allSatisfy(\.isScalar) {
                let pad = String(repeating: "  ", count: level + 1)
                out += "[\n"
                for (i, item) in items.enumerated() {
                    out += pad
                    item.write(to: &out, indent: level + 1)
                    out += i == items.count - 1 ? "\n" : ",\n"
                }
                out += String(repeating: "  ", count: level) + "]"
            } else {
                out += "["
                for (i, item) in items.enumerated() {
                    if i > 0 { out += indent == nil ? "," : ", " }
                    item.write(to: &out, indent: indent)
                }
                out += "]"
            }
        case .object(let members):
            if members.isEmpty { out += "{}"; return }
            if let level = indent {
                let pad = String(repeating: "  ", count: level + 1)
                out += "{\n"
                for (i, m) in members.enumerated() {
                    out += pad
                    JSONValue.writeString(m.key, to: &out)
                    out += ": "
                    m.value.write(to: &out, indent: level + 1)
                    out += i == members.count - 1 ? "\n" : ",\n"
                }
                out += String(repeating: "  ", count: level) + "}"
            } else {
                out += "{"
                for (i, m) in members.enumerated() {
                    if i > 0 { out += "," }
                    JSONValue.writeString(m.key, to: &out)
                    out += ":"
                    m.value.write(to: &out, indent: nil)
                }
                out += "}"
            }
        }
    }

    /// Shortest round-trip text of a double; `null` when not finite. Swift's `description` already yields the
    /// shortest digits that parse back to the same value ("0.1", "1e-200", "5e-324", "-0.0", "1e+16"), all of
    /// which are valid JSON number syntax.
    public static func encode(_ d: Double) -> String {
        guard d.isFinite else { return "null" }
        return d.description
    }

    static func writeString(_ s: String, to out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}

extension ResultTable {
    /// A generic JSON form of the table: `title`, `columns`, `rows` (numbers at full precision, p-values as
    /// numbers, undefined as `null`), `notes`. A whole number shown without decimals (a count, a published
    /// integer) is a JSON integer (`441`, not `441.0`).
    public var jsonValue: JSONValue {
        let body: [JSONValue] = rows.indices.map { r in
            .array((0..<width).map { c -> JSONValue in
                switch cell(r, c) {
                case .text(let s), .temporal(let s, _, _): return .string(s)
                case .empty: return .null
                case .integer(let i): return .integer(i)
                case .number(let v, let d) where d == 0 && v == v.rounded() && abs(v) < 9.007_199_254_740_992e15:
                    return .integer(Int(v))  // a count or a published integer: 441, not 441.0
                case .number(let v, _), .pValue(let v): return .number(v)
                }
            })
        }
        return [
            "title": .string(title), "columns": .strings(columns), "rows": .array(body), "notes": .strings(notes),
        ]
    }
}
