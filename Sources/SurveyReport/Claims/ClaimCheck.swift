/// What the verifier computed for a claim, in the shape its rule needs.
public enum ComputedResult: Sendable, Equatable {
    /// One number in the statistic's units (percent 0–100, mean on the item scale, n, p, F, R² …).
    case value(Double)
    /// One number per variable, for claims about several variables at once ("all four items between 70 and 84").
    case values([String: Double])
    /// The two sides of a direction claim, each computed as its operand describes.
    case comparison(a: Double, b: Double)
    /// The p-value of the test named by a significance rule (two-sided unless the test is one-sided by nature).
    case test(pValue: Double)
}

/// The verdict on one claim.
public struct ClaimCheckResult: Sendable, Equatable, CustomStringConvertible {
    public let claimID: String
    public let passed: Bool
    /// Why: the computed value against the accepted interval or relation.
    public let reason: String

    public var description: String { "\(claimID): \(passed ? "pass" : "FAIL") — \(reason)" }
}

/// Judges computed values against published claims. Used by `surveystats verify` (computed from datasets) and by
/// the audit (computed from other published numbers).
public enum ClaimCheck {
    /// Star thresholds as the report's figures print them: * p<.05, ** p<.01, *** p<.001.
    public static func alpha(forStars stars: String) -> Double? {
        switch stars.trimmingCharacters(in: .whitespaces) {
        case "*": return 0.05
        case "**": return 0.01
        case "***": return 0.001
        default: return nil
        }
    }

    /// Checks `computed` against the claim's acceptance rule.
    public static func check(_ claim: PublishedClaim, computed: ComputedResult) -> ClaimCheckResult {
        guard claim.checkable, let rule = claim.rule else {
            return ClaimCheckResult(claimID: claim.id, passed: false,
                                    reason: "not checkable: \(claim.reason ?? "no rule")")
        }
        let r = check(rule, computed: computed, id: claim.id)
        // A claim printed in percent about a proportion ("forklarer 12 prosent", R² = 0.12): the verdict is on the
        // proportion, the reason is shown in the printed unit so that it reads against the published "12".
        guard let k = claim.printedScale, case .interval(let iv) = rule, case .value(let x) = computed else { return r }
        let scaled = AcceptanceInterval(lo: iv.lo * k, hi: iv.hi * k, loClosed: iv.loClosed, hiClosed: iv.hiClosed)
        let shown = check(.interval(scaled), computed: .value(x * k), id: claim.id)
        return ClaimCheckResult(claimID: claim.id, passed: r.passed,
                                reason: shown.reason + " (\(claim.statistic.rawValue) in percent, as printed)")
    }

    /// Checks `computed` against a rule (the claim id is only used in the result).
    public static func check(_ rule: AcceptanceRule, computed: ComputedResult, id: String = "") -> ClaimCheckResult {
        func result(_ ok: Bool, _ why: String) -> ClaimCheckResult { ClaimCheckResult(claimID: id, passed: ok, reason: why) }
        switch (rule, computed) {
        case (.interval(let iv), .value(let x)):
            let ok = iv.contains(x)
            return result(ok, "\(formatNumber(roundForDisplay(x))) \(ok ? "∈" : "∉") \(iv)")
        case (.interval(let iv), .values(let xs)):
            guard !xs.isEmpty else { return result(false, "no values computed") }
            let outside = xs.filter { !iv.contains($0.value) }.sorted { $0.key < $1.key }
            if outside.isEmpty { return result(true, "all \(xs.count) values ∈ \(iv)") }
            return result(false, outside.map { "\($0.key) = \(formatNumber(roundForDisplay($0.value)))" }
                .joined(separator: ", ") + " ∉ \(iv)")
        case (.direction(let relation, _, _, let tolerance), .comparison(let a, let b)):
            let da = formatNumber(roundForDisplay(a)), db = formatNumber(roundForDisplay(b))
            switch relation {
            case .greater: return result(a > b, "a = \(da) \(a > b ? ">" : "≤") b = \(db)")
            case .less: return result(a < b, "a = \(da) \(a < b ? "<" : "≥") b = \(db)")
            case .similar:
                let tol = tolerance ?? 0
                let ok = abs(a - b) <= tol
                return result(ok, "|a − b| = |\(da) − \(db)| = \(formatNumber(roundForDisplay(abs(a - b)))) \(ok ? "≤" : ">") \(formatNumber(tol))")
            }
        case (.significance(_, let alpha, let significant, let stars, _, _), .test(let p)):
            guard p.isFinite, p >= 0, p <= 1 else { return result(false, "p = \(p) is not a probability") }
            let threshold = stars.flatMap(alpha(forStars:)).map { min($0, alpha) } ?? alpha
            let isSig = p < threshold
            let ps = p < 0.0001 ? String(format: "%.2e", p) : String(format: "%.4f", p)
            if significant {
                return result(isSig, "p = \(ps) \(isSig ? "<" : "≥") \(formatNumber(threshold))\(stars.map { " (\($0))" } ?? "")")
            }
            return result(!isSig, "p = \(ps) \(isSig ? "<" : "≥") \(formatNumber(alpha)) (claimed not significant)")
        default:
            return result(false, "computed result \(computed) does not fit rule \(rule)")
        }
    }

    private static func roundForDisplay(_ x: Double) -> Double { (x * 1e6).rounded() / 1e6 }
}
