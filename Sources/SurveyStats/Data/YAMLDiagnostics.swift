import Foundation
import Yams

/// One-line messages for errors of the YAML layer (libyaml through Yams, and `YAMLDecoder`'s `DecodingError`s),
/// so that no command shows Swift internals ("DecodingError.typeMismatch … Debug description: …") or libyaml's
/// multi-line dump: a syntax error names the line and column, a file of the wrong shape says what was expected.
public enum YAMLDiagnostics {
    /// The message for `error` raised while reading `what` (e.g. "figure-spec"), whose top level must be a mapping
    /// with the key `topKey` (e.g. "figures"). Never contains a line break.
    public static func describe(_ error: Error, what: String, topKey: String) -> String {
        let notThisKind = "not a \(what) YAML file (expected a mapping with `\(topKey):` at the top)"
        switch error {
        case let e as YamlError:
            return "YAML syntax error: " + CodebookParser.describe(e)
        case let e as DecodingError:
            switch e {
            case let .typeMismatch(type, ctx):
                if ctx.codingPath.isEmpty { return notThisKind }
                return "\(path(ctx.codingPath)): expected \(typeName(type))"
            case let .valueNotFound(type, ctx):
                if ctx.codingPath.isEmpty { return notThisKind }
                return "\(path(ctx.codingPath)): missing value (expected \(typeName(type)))"
            case let .keyNotFound(key, ctx):
                if ctx.codingPath.isEmpty && key.stringValue == topKey { return notThisKind }
                let at = ctx.codingPath.isEmpty ? "" : "\(path(ctx.codingPath)): "
                return "\(at)missing key `\(key.stringValue)`"
            case let .dataCorrupted(ctx):
                if let y = ctx.underlyingError as? YamlError { return "YAML syntax error: " + CodebookParser.describe(y) }
                let at = ctx.codingPath.isEmpty ? "" : "\(path(ctx.codingPath)): "
                return at + firstLine(ctx.debugDescription)
            @unknown default:
                return firstLine("\(e)")
            }
        default:
            return firstLine("\(error)")
        }
    }

    /// `figures[3].number`: keys joined by dots, array positions in brackets.
    static func path(_ codingPath: [CodingKey]) -> String {
        var s = ""
        for k in codingPath {
            if let i = k.intValue, k.stringValue.hasPrefix("Index") || k.stringValue == "\(i)" { s += "[\(i)]" } else {
                s += s.isEmpty ? k.stringValue : "." + k.stringValue
            }
        }
        return "key `\(s)`"
    }

    /// A type as a YAML reader would say it: a mapping, a list, a number, a text.
    static func typeName(_ type: Any.Type) -> String {
        let name = String(describing: type)
        if name.hasPrefix("Array") || name.hasPrefix("[") { return "a list" }
        if name.hasPrefix("Dictionary") || name.contains("Mapping") || name.contains(":") { return "a mapping" }
        switch name {
        case "String", "Character": return "a text"
        case "Int", "Int64", "Int32", "UInt64", "UInt32", "UInt": return "a whole number"
        case "Double", "Float": return "a number"
        case "Bool": return "true or false"
        default: return "a mapping"  // a Codable struct
        }
    }

    static func firstLine(_ s: String) -> String {
        s.split(whereSeparator: \.isNewline).first.map(String.init) ?? s
    }
}
