/// The verdict of one audit check.
public enum FindingStatus: String, Sendable, Codable, CaseIterable {
    case consistent
    case inconsistent
    case notCheckable = "not-checkable"
}

/// What kind of arithmetic a finding rests on (the sections of AUDIT.md).
public enum FindingKind: String, Sendable, Codable, CaseIterable {
    case grim = "grim"
    case statcheck = "statcheck"
    case pValueDecision = "p-value-decision"
    case sum = "sum"
    case responseRate = "response-rate"
    case difference = "difference"
    case proportionZ = "proportion-z"
    case sameQuantity = "same-quantity"
    case exclusiveSum = "exclusive-sum"
    case order = "order"
    case meanBetween = "mean-between"
    case bound = "bound"
    case twoProportionZ = "two-proportion-z"
    case contradiction = "contradiction"
    case validPercent = "valid-percent"

    /// Heading in AUDIT.md.
    public var title: String {
        switch self {
        case .grim: return "GRIM: attainable percentages and counts"
        case .statcheck: return "statcheck: p and R² recomputed from F and df"
        case .pValueDecision: return "Printed p-values vs significance statements"
        case .sum: return "Sums: rows to 100 and totals vs parts"
        case .responseRate: return "Response rates recomputed from counts"
        case .difference: return "Printed differences recomputed"
        case .proportionZ: return "Significance stars recomputed (proportion z-tests)"
        case .sameQuantity: return "The same quantity stated more than once"
        case .exclusiveSum: return "Exclusive categories summing above 100"
        case .order: return "Direction statements vs printed numbers"
        case .meanBetween: return "Pooled values vs subgroup values"
        case .bound: return "Bounds implied by other statements"
        case .twoProportionZ: return "Significance of changes and group differences recomputed (two-proportion z)"
        case .contradiction: return "Statements that contradict each other"
        case .validPercent: return "Valid-percent vs percent-of-all readings that reconcile a table"
        }
    }
}

/// One audit finding: which claims, the verdict and the arithmetic behind it.
public struct AuditFinding: Sendable, Codable, Equatable {
    /// Stable id (relation id, or derived from the claims for automatic checks).
    public var id: String
    public var kind: FindingKind
    public var status: FindingStatus
    /// The claims the check rests on.
    public var claims: [String]
    /// One line: what was checked.
    public var summary: String
    /// The arithmetic, reproducible by hand.
    public var arithmetic: String
    /// The maintainer's explanation (why the numbers disagree / which reading reconciles them), when given.
    public var explanation: String?

    public init(id: String, kind: FindingKind, status: FindingStatus, claims: [String], summary: String,
                arithmetic: String, explanation: String? = nil) {
        self.id = id; self.kind = kind; self.status = status; self.claims = claims; self.summary = summary
        self.arithmetic = arithmetic; self.explanation = explanation
    }
}
