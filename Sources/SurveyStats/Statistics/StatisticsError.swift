/// Why a statistic could not be computed from the given input (too few observations, invalid summaries …).
/// The message names the quantity involved; the CLI prints it and exits with code 2.
public enum StatisticsError: Error, CustomStringConvertible, Equatable, Sendable {
    case tooFewObservations(what: String, needed: Int, got: Int)
    /// Too few groups with data (an ANOVA of one group): counted in groups, not observations.
    case tooFewGroups(what: String, needed: Int, got: Int)
    case invalidArgument(String)
    /// Frequency weights are counts: a total beyond double's range (~1.8e308) cannot be one, and every statistic
    /// built on it would be inf or NaN. `what` names the analysis ("Likert summary", "cross-tab").
    case weightTotalNotRepresentable(what: String)

    public var description: String {
        switch self {
        case let .tooFewObservations(what, needed, got):
            return "\(what): needs at least \(needed) non-missing observation\(needed == 1 ? "" : "s"), got \(got)"
        case let .tooFewGroups(what, needed, got):
            return "\(what): needs at least \(needed) groups with data, got \(got)"
        case let .invalidArgument(message):
            return message
        case let .weightTotalNotRepresentable(what):
            return "\(what): frequency weights sum to more than 1.8e308, which is not a representable count; use analytic or probability weights, or rescale the weights"
        }
    }
}

/// A confidence interval (lower, upper); one-sided intervals have an infinite end.
public struct ConfidenceInterval: Sendable, Equatable, CustomStringConvertible {
    public var lower: Double
    public var upper: Double
    public var level: Double
    public init(lower: Double, upper: Double, level: Double) { self.lower = lower; self.upper = upper; self.level = level }
    public var description: String { "\(formatStat(level * 100))% CI [\(formatStat(lower)), \(formatStat(upper))]" }
}

func checkLevel(_ level: Double) -> Bool { level > 0 && level < 1 }
