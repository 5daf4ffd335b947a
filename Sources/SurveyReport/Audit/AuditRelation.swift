import Foundation
import Yams

/// A number in a relation: a claim's published value or a literal.
public enum AuditTerm: Sendable, Equatable {
    case claim(String)
    case literal(Double)
}

/// A hand-declared arithmetic relation between published numbers (`datasets/afi-2020/audit-relations.yaml`).
/// Automatic checks (GRIM with a published n, statcheck, same quantity twice, exclusive categories) need no entry.
public struct AuditRelation: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        /// parts sum to total (within the rounding of all printed terms).
        case sum
        /// result ≈ 100 · numerator / denominator.
        case ratio
        /// result ≈ |a − b|.
        case difference
        /// The sample share differs from the population share significantly (`significant`) by a one-sample
        /// proportion z-test at `alpha`.
        case proportionZ = "proportion-z"
        /// All claims state the same quantity: their intervals must overlap.
        case sameQuantity = "same-quantity"
        /// Direction claim `claim`: the printed values a and b must stand in its relation.
        case order
        /// Percentages `claims` of one column, all out of n (or an n in `n_range`): GRIM, jointly.
        case grim
        /// The pooled value lies between the subgroup values.
        case meanBetween = "mean-between"
        /// The sum of `a` must be ≤ `b` (a subset against its superset; exclusive categories against 100).
        case bound
        /// The mean of a 1–k item must lie in the range that a published distribution allows: `parts` are shares
        /// (percent) with score ranges `scores`, the remainder has score range `rest`; `overall` is the mean claim.
        case meanRange = "mean-range"
        /// Two published percentages `a` (of n1) and `b` (of n2) differ significantly (`significant`) by a pooled
        /// two-sample proportion z-test at `alpha`.
        case twoProportionZ = "two-proportion-z"
        /// The n-weighted mean of `parts` (weights `weights`) lies in the `overall` claim's interval.
        case weightedMean = "weighted-mean"
        /// Every value in `parts` lies in the interval of the `overall` claim (e.g. «between 73 and 75 % in all
        /// years except 2008 and 2016»).
        case within
        /// Two statements that cannot both hold (a different unique maximum/minimum of the same set, opposite
        /// orderings of the same pair, a change the report itself says its data cannot show); `logic` says why.
        case contradiction
        /// `parts` are valid percentages (of those who answered) and `missing` is the percentage of all who did not:
        /// the table reconciles if the parts sum to 100 on their own; the finding prints the percent-of-all values.
        case validPercent = "valid-percent"
    }

    public var id: String
    public var kind: Kind
    public var terms: [String: [AuditTerm]]
    public var claim: String?
    public var significant: Bool?
    public var alpha: Double
    public var nRange: ClosedRange<Int>?
    public var note: String?
    /// Expected verdict according to the maintainer (documentation only; the audit recomputes).
    public var explanation: String?
    /// Score ranges for `mean-range` (one per part) and for the remainder.
    public var scores: [[Double]] = []
    public var rest: [Double] = []
    /// For `bound`: compare the upper ends of `a` (e.g. the top of a published n range) instead of the lower ends.
    public var useUpperEnd = false
    /// For `contradiction`: the logical argument.
    public var logic: String?

    /// The terms under a key (empty when absent).
    public func terms(_ key: String) -> [AuditTerm] { terms[key] ?? [] }

    /// Loads relations; errors name the relation id and key.
    public static func load(contentsOf url: URL) throws -> [AuditRelation] {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw ClaimRegistryErrors([ClaimRegistryError(file: url.path, message: FileErrorReason.reason(error))])
        }
        return try parse(text, file: url.path)
    }

    public static func parse(_ text: String, file: String = "<string>") throws -> [AuditRelation] {
        let node: Node?
        do { node = try Yams.compose(yaml: text) } catch {
            throw ClaimRegistryErrors([ClaimRegistryError(file: file, message: YAMLDiagnostics.describe(error, what: "audit-relations", topKey: "relations"))])
        }
        guard let seq = node?.sequence else {
            throw ClaimRegistryErrors([ClaimRegistryError(file: file, message: "expected a list of relations")])
        }
        var out: [AuditRelation] = []
        var errors: [ClaimRegistryError] = []
        for (i, n) in seq.enumerated() {
            guard let m = n.mapping, let id = m["id"]?.string else {
                errors.append(ClaimRegistryError(file: file, claimID: "#\(i)", key: "id", message: "missing")); continue
            }
            guard let ks = m["kind"]?.string, let kind = Kind(rawValue: ks) else {
                errors.append(ClaimRegistryError(file: file, claimID: id, key: "kind",
                                                 message: "missing or unknown; one of \(Kind.allCases.map(\.rawValue).joined(separator: ", "))"))
                continue
            }
            var terms: [String: [AuditTerm]] = [:]
            for key in ["missing", "minus", "n1", "n2", "weights", "parts", "total", "numerator", "denominator", "result", "a", "b", "sample", "population", "n",
                        "claims", "overall"] {
                guard let v = m[key], v.null == nil else { continue }
                let items = v.sequence.map(Array.init) ?? [v]
                terms[key] = items.compactMap { item in
                    if let d = item.float ?? item.int.map(Double.init) { return .literal(d) }
                    if let s = item.string { return .claim(s) }
                    errors.append(ClaimRegistryError(file: file, claimID: id, key: key, message: "expected claim ids or numbers"))
                    return nil
                }
            }
            var range: ClosedRange<Int>?
            if let r = m["n_range"]?.sequence, r.count == 2, let lo = r[0].int, let hi = r[1].int, lo <= hi {
                range = lo...hi
            }
            var rel = AuditRelation(id: id, kind: kind, terms: terms, claim: m["claim"]?.string,
                                    significant: m["significant"]?.bool, alpha: m["alpha"]?.float ?? 0.05,
                                    nRange: range, note: m["note"]?.string, explanation: m["explanation"]?.string)
            rel.scores = (m["scores"]?.sequence.map(Array.init) ?? []).map { ($0.sequence.map(Array.init) ?? []).compactMap { $0.float } }
            rel.useUpperEnd = m["end"]?.string == "hi"
            rel.logic = m["logic"]?.string
            rel.rest = (m["rest"]?.sequence.map(Array.init) ?? []).compactMap { $0.float }
            out.append(rel)
        }
        if !errors.isEmpty { throw ClaimRegistryErrors(errors) }
        return out
    }
}
