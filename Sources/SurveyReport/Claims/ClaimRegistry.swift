import Foundation
import Yams

/// A problem in a claims registry file, naming the claim and the key so the maintainer can fix it.
public struct ClaimRegistryError: Error, Equatable, CustomStringConvertible {
    /// The registry file (or "<string>" when loaded from text).
    public var file: String
    /// The claim id, or "#<index>" when the entry has no usable id.
    public var claimID: String?
    /// The offending key (dotted path within the claim, e.g. `rule.lo`).
    public var key: String?
    public var message: String

    public init(file: String, claimID: String? = nil, key: String? = nil, message: String) {
        self.file = file; self.claimID = claimID; self.key = key; self.message = message
    }

    public var description: String {
        var s = file
        if let claimID { s += ": claim \(claimID)" }
        if let key { s += ", key '\(key)'" }
        return s + ": " + message
    }
}

/// The registry of published claims (`datasets/afi-2020/claims.yaml`).
public struct ClaimRegistry: Sendable {
    public var claims: [PublishedClaim]

    public init(claims: [PublishedClaim]) { self.claims = claims }

    /// The claim with this id.
    public subscript(id: String) -> PublishedClaim? { claims.first { $0.id == id } }

    /// Claims a computed value can be judged against.
    public var checkableClaims: [PublishedClaim] { claims.filter(\.checkable) }

    /// Share of claims that are checkable, in [0, 1].
    public var checkableShare: Double { claims.isEmpty ? 0 : Double(checkableClaims.count) / Double(claims.count) }

    /// Loads and validates a registry file. Every problem found is reported in one error list, not just the first.
    public static func load(contentsOf url: URL) throws -> ClaimRegistry {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw ClaimRegistryErrors([ClaimRegistryError(file: url.path, message: FileErrorReason.reason(error))])
        }
        return try parse(text, file: url.path)
    }

    /// Parses and validates registry YAML text.
    public static func parse(_ text: String, file: String = "<string>") throws -> ClaimRegistry {
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch {
            throw ClaimRegistryErrors([ClaimRegistryError(file: file, message: YAMLDiagnostics.describe(error, what: "claims-registry", topKey: "claims"))])
        }
        var seq: Node.Sequence?
        if let root, let s = root.sequence { seq = s }
        else if let root, let m = root.mapping, let c = m["claims"]?.sequence { seq = c }
        guard let entries = seq else {
            throw ClaimRegistryErrors([ClaimRegistryError(
                file: file, message: "expected a list of claims (or a mapping with key 'claims')")])
        }
        var parser = ClaimNodeParser(file: file)
        var claims: [PublishedClaim] = []
        var seen: Set<String> = []
        for (i, node) in entries.enumerated() {
            if let c = parser.claim(node, index: i) {
                if !seen.insert(c.id).inserted {
                    parser.fail(c.id, "id", "duplicate claim id")
                } else {
                    claims.append(c)
                }
            }
        }
        if !parser.errors.isEmpty { throw ClaimRegistryErrors(parser.errors) }
        return ClaimRegistry(claims: claims)
    }
}

/// All validation errors of one registry load.
public struct ClaimRegistryErrors: Error, CustomStringConvertible {
    public var errors: [ClaimRegistryError]
    public init(_ errors: [ClaimRegistryError]) { self.errors = errors }
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}

/// Reads one claim mapping, collecting errors instead of stopping at the first.
struct ClaimNodeParser {
    let file: String
    var errors: [ClaimRegistryError] = []

    init(file: String) { self.file = file }

    mutating func fail(_ id: String?, _ key: String?, _ message: String) {
        errors.append(ClaimRegistryError(file: file, claimID: id, key: key, message: message))
    }

    static let knownKeys: Set<String> = [
        "id", "figure", "table", "cell", "line", "quote", "survey", "year", "group", "group_label", "variable",
        "item", "categories", "statistic", "n", "printed", "value", "qualifier", "rule", "checkable", "reason", "doubt",
        "note", "source", "fix",
    ]

    mutating func claim(_ node: Node, index: Int) -> PublishedClaim? {
        guard let m = node.mapping else { fail("#\(index)", nil, "entry is not a mapping"); return nil }
        guard let id = m["id"]?.string, !id.isEmpty else { fail("#\(index)", "id", "missing or empty"); return nil }
        let errorCount = errors.count
        for (k, _) in m {
            if let key = k.string, !Self.knownKeys.contains(key) { fail(id, key, "unknown key") }
        }
        let figures = ints(m["figure"], id, "figure")
        let table = optionalInt(m["table"], id, "table")
        var cell: (row: String, column: String)?
        if let c = m["cell"], c.null == nil {
            if let cm = c.mapping, let r = cm["row"]?.string, let col = cm["column"]?.string { cell = (r, col) }
            else { fail(id, "cell", "expected a mapping with 'row' and 'column'") }
        }
        var line = 0
        if let l = m["line"]?.int, l > 0 { line = l } else { fail(id, "line", "missing or not a positive integer") }
        let quote = m["quote"]?.string ?? ""
        if quote.isEmpty { fail(id, "quote", "missing or empty") }
        let statisticText = m["statistic"]?.string
        var statistic = StatisticKind.percent
        if let s = statisticText, let k = StatisticKind(rawValue: s) { statistic = k }
        else { fail(id, "statistic", "missing or unknown (\(statisticText ?? "nil")); one of \(StatisticKind.allCases.map(\.rawValue).joined(separator: ", "))") }
        var value: Double?
        if let v = m["value"], v.null == nil {
            if let d = v.float ?? v.int.map(Double.init) { value = d } else { fail(id, "value", "not a number") }
        }
        let checkable = m["checkable"]?.bool
        if checkable == nil { fail(id, "checkable", "missing or not true/false") }
        let reason = nonNullString(m["reason"])
        var rule: AcceptanceRule?
        if let r = m["rule"], r.null == nil { rule = self.rule(r, id) }
        if checkable == true && rule == nil && m["rule"]?.null != nil { fail(id, "rule", "a checkable claim needs a rule") }
        if checkable == true && m["rule"] == nil { fail(id, "rule", "a checkable claim needs a rule") }
        if checkable == false && (reason ?? "").isEmpty { fail(id, "reason", "a claim that is not checkable needs a reason") }
        guard errors.count == errorCount else { return nil }
        return PublishedClaim(
            id: id, figures: figures, table: table, cell: cell, line: line, quote: quote,
            surveys: strings(m["survey"]), years: ints(m["year"], id, "year"), groups: strings(m["group"]),
            groupLabel: nonNullString(m["group_label"]) ?? "", variables: strings(m["variable"]),
            item: nonNullString(m["item"]) ?? "", categories: strings(m["categories"]), statistic: statistic,
            n: optionalInt(m["n"], id, "n"),
            printed: nonNullString(m["printed"]), value: value, qualifier: nonNullString(m["qualifier"]),
            rule: rule, checkable: checkable ?? false, reason: reason, doubt: nonNullString(m["doubt"]),
            note: nonNullString(m["note"]))
    }

    mutating func rule(_ node: Node, _ id: String) -> AcceptanceRule? {
        guard let m = node.mapping, let type = m["type"]?.string else {
            fail(id, "rule.type", "missing; one of interval, direction, significance"); return nil
        }
        switch type {
        case "interval":
            guard let lo = number(m["lo"]) else { fail(id, "rule.lo", "missing or not a number"); return nil }
            guard let hi = number(m["hi"]) else { fail(id, "rule.hi", "missing or not a number"); return nil }
            guard lo <= hi else { fail(id, "rule", "lo (\(lo)) > hi (\(hi))"); return nil }
            return .interval(AcceptanceInterval(lo: lo, hi: hi, loClosed: m["lo_closed"]?.bool ?? true,
                                                hiClosed: m["hi_closed"]?.bool ?? false))
        case "direction":
            guard let rs = m["relation"]?.string, let rel = ComparisonRelation(rawValue: rs) else {
                fail(id, "rule.relation", "missing or unknown; one of greater, less, similar"); return nil
            }
            guard let a = operand(m["a"], id, "rule.a"), let b = operand(m["b"], id, "rule.b") else { return nil }
            let tol = number(m["tolerance"])
            if rel == .similar && tol == nil { fail(id, "rule.tolerance", "a 'similar' rule needs a tolerance"); return nil }
            return .direction(relation: rel, a: a, b: b, tolerance: tol)
        case "significance":
            guard let ts = m["test"]?.string, let test = SignificanceTest(rawValue: ts) else {
                fail(id, "rule.test", "missing or unknown; one of \(SignificanceTest.allCases.map(\.rawValue).joined(separator: ", "))")
                return nil
            }
            guard let sig = m["significant"]?.bool else { fail(id, "rule.significant", "missing or not true/false"); return nil }
            let alpha = number(m["alpha"]) ?? 0.05
            guard alpha > 0 && alpha < 1 else { fail(id, "rule.alpha", "must lie in (0, 1)"); return nil }
            let a = m["a"].flatMap { $0.null == nil ? operand($0, id, "rule.a") : nil }
            let b = m["b"].flatMap { $0.null == nil ? operand($0, id, "rule.b") : nil }
            return .significance(test: test, alpha: alpha, significant: sig, stars: nonNullString(m["stars"]), a: a, b: b)
        default:
            fail(id, "rule.type", "unknown rule type '\(type)'; one of interval, direction, significance")
            return nil
        }
    }

    mutating func operand(_ node: Node?, _ id: String, _ key: String) -> ClaimOperand? {
        guard let m = node?.mapping, let label = m["label"]?.string else {
            fail(id, key, "expected a mapping with at least 'label'"); return nil
        }
        let cats = m["categories"].map(strings)
        return ClaimOperand(label: label, group: nonNullString(m["group"]), variable: nonNullString(m["variable"]),
                            categories: (cats?.isEmpty ?? true) ? nil : cats, year: m["year"]?.int)
    }

    func number(_ node: Node?) -> Double? {
        guard let node, node.null == nil else { return nil }
        return node.float ?? node.int.map(Double.init)
    }

    func nonNullString(_ node: Node?) -> String? {
        guard let node, node.null == nil else { return nil }
        return node.string
    }

    func strings(_ node: Node?) -> [String] {
        guard let node, node.null == nil else { return [] }
        if let s = node.sequence { return s.compactMap(\.string) }
        return node.string.map { [$0] } ?? []
    }

    mutating func ints(_ node: Node?, _ id: String, _ key: String) -> [Int] {
        guard let node, node.null == nil else { return [] }
        if let s = node.sequence {
            var out: [Int] = []
            for x in s { if let i = x.int { out.append(i) } else { fail(id, key, "expected integers") } }
            return out
        }
        if let i = node.int { return [i] }
        fail(id, key, "expected an integer or a list of integers")
        return []
    }

    mutating func optionalInt(_ node: Node?, _ id: String, _ key: String) -> Int? {
        guard let node, node.null == nil else { return nil }
        if let i = node.int { return i }
        fail(id, key, "expected an integer")
        return nil
    }
}
