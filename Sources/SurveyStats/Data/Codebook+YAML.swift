import Foundation
import Yams

// Parsing works on Yams' node tree rather than Codable so that every message can name the line, the variable
// and the key, unknown keys are reported, and scalars are taken as written (no YAML 1.1 surprises such as
// `no` → false in a value label).

extension Codebook {
    /// Reads a codebook file.
    public init(path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else { throw DataError.io(path: path, message: "file not found") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DataError.io(path: path, message: "cannot read file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            let bytes = [UInt8](data)
            let (line, column) = bytes.withUnsafeBufferPointer { b -> (Int, Int) in
                guard let base = b.baseAddress, let bad = EncodingSupport.firstInvalidUTF8(base, b.count) else { return (1, 1) }
                return CSVReader.lineAndColumn(of: bad, in: base)
            }
            throw DataError.malformed(source: path, line: line, column: column,
                                      message: "codebook is not valid UTF-8 (save it as UTF-8)")
        }
        try self.init(yaml: text, source: path)
    }

    /// Parses a codebook from YAML text; `source` names it in messages.
    public init(yaml: String, source: String = "<codebook>") throws {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw DataError.invalid("\(source): YAML syntax error: \(CodebookParser.describe(error))")
        } catch {
            throw DataError.invalid("\(source): YAML syntax error: \(error)")
        }
        var parser = CodebookParser(source: source)
        self = try parser.parse(root)
    }
}

struct CodebookParser {
    let source: String

    func fail(_ node: Node?, _ message: String) -> DataError {
        DataError.malformed(source: source, line: node?.mark?.line ?? 1, column: nil, message: message)
    }

    static func describe(_ error: YamlError) -> String {
        switch error {
        case let .scanner(_, problem, mark, _), let .parser(_, problem, mark, _), let .composer(_, problem, mark, _):
            return "line \(mark.line), column \(mark.column): \(problem)"
        default:
            return "\(error)".components(separatedBy: "\n").first ?? "\(error)"
        }
    }

    static func isNull(_ node: Node) -> Bool {
        guard let s = node.scalar else { return false }
        return s.style == .plain && ["", "~", "null", "Null", "NULL"].contains(s.string)
    }

    func mapping(_ node: Node, _ what: String) throws -> [(key: String, keyNode: Node, value: Node)] {
        guard let m = node.mapping else { throw fail(node, "\(what) must be a mapping (key: value lines)") }
        var seen = Set<String>()
        var out: [(String, Node, Node)] = []
        for (k, v) in m {
            guard let key = k.scalar?.string else { throw fail(k, "\(what): keys must be plain names") }
            if seen.contains(key) { throw fail(k, "\(what): key '\(key)' appears twice") }
            seen.insert(key)
            out.append((key, k, v))
        }
        return out
    }

    func string(_ node: Node, _ what: String) throws -> String {
        guard let s = node.scalar else { throw fail(node, "\(what) must be a single value, not a list or mapping") }
        return s.string
    }

    func number(_ node: Node, _ what: String) throws -> Double {
        let text = try string(node, what)
        guard let v = CSVNumberParser.parse(text.trimmingCharacters(in: .whitespaces)) else {
            throw fail(node, "\(what): '\(text)' is not a number")
        }
        return v
    }

    func bool(_ node: Node, _ what: String) throws -> Bool {
        switch try string(node, what).lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        case let other: throw fail(node, "\(what): '\(other)' is not true or false")
        }
    }

    func unknownKey(_ node: Node, _ key: String, _ what: String, allowed: [String]) -> DataError {
        let close = allowed.filter { Self.editDistance($0, key) <= 2 }
        let hint = close.isEmpty ? "" : " (did you mean '\(close[0])'?)"
        return fail(node, "\(what): unknown key '\(key)'\(hint); allowed keys: \(allowed.joined(separator: ", "))")
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + [Int](repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }

    static let topKeys = ["variables", "derived", "options"]
    static let variableKeys = ["label", "kind", "type", "values", "missing", "scale", "reverse", "format"]
    static let derivedKeys = ["label", "kind", "values", "recode", "topbox", "mean"]

    mutating func parse(_ root: Node?) throws -> Codebook {
        var codebook = Codebook(source: source)
        guard let root, !Self.isNull(root) else { return codebook }
        for (key, keyNode, value) in try mapping(root, "codebook") {
            switch key {
            case "variables":
                if Self.isNull(value) { continue }
                for (name, nameNode, body) in try mapping(value, "variables") {
                    try checkName(name, nameNode)
                    codebook.variables.append(try variable(name, body))
                    if let line = nameNode.mark?.line { codebook.lines.variable[name] = line }
                    for (key, keyNode, _) in (try? mapping(body, name)) ?? [] {
                        if key == "scale", let line = keyNode.mark?.line { codebook.lines.scale[name] = line }
                        if key == "values", let line = keyNode.mark?.line { codebook.lines.values[name] = line }
                    }
                }
            case "derived":
                if Self.isNull(value) { continue }
                for (name, nameNode, body) in try mapping(value, "derived") {
                    try checkName(name, nameNode)
                    if codebook.variables.contains(where: { $0.name == name }) {
                        throw fail(nameNode, "derived variable '\(name)' has the name of a variable in 'variables'")
                    }
                    codebook.derived.append(try derived(name, body))
                    if let line = nameNode.mark?.line { codebook.lines.variable[name] = line }
                }
            case "options":
                for (option, optionNode, v) in try mapping(value, "options") {
                    switch option {
                    case "invalid_values":
                        let s = try string(v, "options: invalid_values")
                        guard let policy = ValidationPolicy(rawValue: s) else {
                            throw fail(v, "options: invalid_values: '\(s)' is not one of error, warn")
                        }
                        codebook.invalidValues = policy
                    default: throw unknownKey(optionNode, option, "options", allowed: ["invalid_values"])
                    }
                }
            default:
                throw unknownKey(keyNode, key, "codebook", allowed: Self.topKeys)
            }
        }
        return codebook
    }

    func checkName(_ name: String, _ node: Node) throws {
        if name.trimmingCharacters(in: .whitespaces).isEmpty { throw fail(node, "a variable name is empty") }
    }

    func variable(_ name: String, _ body: Node) throws -> CodebookVariable {
        var v = CodebookVariable(name: name)
        if Self.isNull(body) { return v }
        let what = "variable '\(name)'"
        let entries = try mapping(body, what)
        // Type first: it decides whether value-label keys are numbers or text.
        for (key, _, value) in entries {
            if key == "kind" {
                let s = try string(value, "\(what), key 'kind'")
                guard let kind = VariableKind(rawValue: s) else {
                    throw fail(value, "\(what), key 'kind': '\(s)' is not one of \(VariableKind.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                v.kind = kind
            } else if key == "type" {
                let s = try string(value, "\(what), key 'type'")
                guard let type = CSVColumnType(rawValue: s) else {
                    throw fail(value, "\(what), key 'type': '\(s)' is not one of numeric, text")
                }
                v.type = type
            }
        }
        if v.kind == .text && v.type == .numeric {
            throw fail(body, "\(what): kind 'text' contradicts type 'numeric'")
        }
        let isText = v.type == .text || v.kind == .text
        for (key, keyNode, value) in entries {
            let context = "\(what), key '\(key)'"
            switch key {
            case "kind", "type": break
            case "label": v.label = Self.isNull(value) ? nil : try string(value, context)
            case "format": v.format = Self.isNull(value) ? nil : try string(value, context)
            case "reverse": v.reverse = try bool(value, context)
            case "values":
                if Self.isNull(value) { break }
                for (code, codeNode, label) in try mapping(value, context) {
                    let text = try string(label, "\(context), code \(code)")
                    if isText {
                        v.textValueLabels[code] = text
                    } else {
                        guard let c = CSVNumberParser.parse(code.trimmingCharacters(in: .whitespaces)) else {
                            throw fail(codeNode, "\(context): code '\(code)' is not a number (add 'type: text' for a text variable)")
                        }
                        if v.valueLabels[c] != nil { throw fail(codeNode, "\(context): code \(code) is labelled twice") }
                        v.valueLabels[c] = text
                    }
                }
            case "missing":
                try missing(value, context, isText: isText, into: &v)
            case "scale":
                var lo: Double?, hi: Double?
                if let seq = value.sequence {
                    guard seq.count == 2 else { throw fail(value, "\(context): give [min, max]") }
                    lo = try number(seq[0], "\(context), min"); hi = try number(seq[1], "\(context), max")
                } else {
                    for (k, kn, x) in try mapping(value, context) {
                        switch k {
                        case "min": lo = try number(x, "\(context), min")
                        case "max": hi = try number(x, "\(context), max")
                        default: throw unknownKey(kn, k, context, allowed: ["min", "max"])
                        }
                    }
                }
                guard let lo, let hi else { throw fail(value, "\(context): both min and max are required") }
                guard lo < hi else { throw fail(value, "\(context): min (\(lo)) must be less than max (\(hi))") }
                v.scale = lo...hi
            default:
                throw unknownKey(keyNode, key, what, allowed: Self.variableKeys)
            }
        }
        if v.reverse && v.scale == nil {
            throw fail(body, "\(what): 'reverse: true' needs a scale (scale: {min: 1, max: 5})")
        }
        if isText && v.scale != nil { throw fail(body, "\(what): a text variable cannot have a scale") }
        return v
    }

    func missing(_ value: Node, _ context: String, isText: Bool, into v: inout CodebookVariable) throws {
        if Self.isNull(value) { return }
        func item(_ node: Node) throws {
            if let m = node.mapping {
                guard m.count == 1, let (k, x) = m.first, k.scalar?.string == "range" else {
                    throw fail(node, "\(context): a list item is a code or {range: [low, high]}")
                }
                guard !isText else { throw fail(node, "\(context): a text variable cannot have a missing range") }
                guard let seq = x.sequence, seq.count == 2 else { throw fail(x, "\(context): range must be [low, high]") }
                let lo = try number(seq[0], "\(context), range"), hi = try number(seq[1], "\(context), range")
                guard lo <= hi else { throw fail(x, "\(context): range low (\(lo)) is above high (\(hi))") }
                v.missingRanges.append(lo...hi)
            } else if isText {
                v.textMissingValues.append(try string(node, context))
            } else {
                v.missingCodes.append(try number(node, context))
            }
        }
        if let seq = value.sequence { for x in seq { try item(x) } } else { try item(value) }
    }

    func derived(_ name: String, _ body: Node) throws -> DerivedVariable {
        let what = "derived variable '\(name)'"
        var label: String?, kind: VariableKind?, labels: [Double: String] = [:]
        var rule: DerivationRule?
        func setRule(_ r: DerivationRule, _ node: Node) throws {
            if rule != nil { throw fail(node, "\(what): give exactly one of recode, topbox, mean") }
            rule = r
        }
        for (key, keyNode, value) in try mapping(body, what) {
            let context = "\(what), key '\(key)'"
            switch key {
            case "label": label = Self.isNull(value) ? nil : try string(value, context)
            case "kind":
                let s = try string(value, context)
                guard let k = VariableKind(rawValue: s) else {
                    throw fail(value, "\(context): '\(s)' is not one of \(VariableKind.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                kind = k
            case "values":
                for (code, codeNode, l) in try mapping(value, context) {
                    guard let c = CSVNumberParser.parse(code) else { throw fail(codeNode, "\(context): code '\(code)' is not a number") }
                    labels[c] = try string(l, "\(context), code \(code)")
                }
            case "recode":
                var source: String?, map: [Double: Double?] = [:], keep = true
                for (k, kn, x) in try mapping(value, context) {
                    switch k {
                    case "of": source = try string(x, "\(context), of")
                    case "map":
                        for (from, fromNode, to) in try mapping(x, "\(context), map") {
                            guard let f = CSVNumberParser.parse(from) else { throw fail(fromNode, "\(context), map: '\(from)' is not a number") }
                            map[f] = Self.isNull(to) ? .some(nil) : .some(try number(to, "\(context), map \(from)"))
                        }
                    case "else":
                        let s = try string(x, "\(context), else")
                        guard s == "keep" || s == "missing" else { throw fail(x, "\(context), else: '\(s)' is not keep or missing") }
                        keep = s == "keep"
                    default: throw unknownKey(kn, k, context, allowed: ["of", "map", "else"])
                    }
                }
                guard let source else { throw fail(value, "\(context): 'of' (the variable to recode) is required") }
                guard !map.isEmpty else { throw fail(value, "\(context): 'map' is required and must not be empty") }
                try setRule(.recode(source: source, map: map, keepUnmapped: keep), keyNode)
            case "topbox":
                var source: String?, values: [Double] = []
                for (k, kn, x) in try mapping(value, context) {
                    switch k {
                    case "of": source = try string(x, "\(context), of")
                    case "values":
                        guard let seq = x.sequence else { throw fail(x, "\(context), values: give a list such as [4, 5]") }
                        values = try seq.map { try number($0, "\(context), values") }
                    default: throw unknownKey(kn, k, context, allowed: ["of", "values"])
                    }
                }
                guard let source else { throw fail(value, "\(context): 'of' is required") }
                guard !values.isEmpty else { throw fail(value, "\(context): 'values' (the top-box codes) is required") }
                try setRule(.topBox(source: source, values: values), keyNode)
            case "mean":
                var items: [String] = [], minValid: Int?
                var minNode: Node?
                for (k, kn, x) in try mapping(value, context) {
                    switch k {
                    case "of":
                        guard let seq = x.sequence else { throw fail(x, "\(context), of: give a list of items") }
                        items = try seq.map { try string($0, "\(context), of") }
                    case "min_valid":
                        let n = try number(x, "\(context), min_valid")
                        guard n == n.rounded(), n >= 1 else { throw fail(x, "\(context), min_valid: must be a whole number ≥ 1") }
                        minValid = Int(n); minNode = x
                    default: throw unknownKey(kn, k, context, allowed: ["of", "min_valid"])
                    }
                }
                guard !items.isEmpty else { throw fail(value, "\(context): 'of' (the items) is required") }
                if Set(items).count != items.count { throw fail(value, "\(context): an item is listed twice") }
                let m = minValid ?? items.count
                if m > items.count { throw fail(minNode, "\(context), min_valid: \(m) is more than the \(items.count) items") }
                try setRule(.mean(items: items, minValid: m), keyNode)
            default:
                throw unknownKey(keyNode, key, what, allowed: Self.derivedKeys)
            }
        }
        guard let rule else { throw fail(body, "\(what): give one of recode, topbox, mean") }
        if rule.sources.contains(name) { throw fail(body, "\(what) refers to itself") }
        return DerivedVariable(name: name, label: label, kind: kind, valueLabels: labels, rule: rule)
    }
}
