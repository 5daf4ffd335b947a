// The published numbers of AFI-rapport 2020:09 as data: one `PublishedClaim` per number or testable statement.
// The registry lives in `datasets/afi-2020/claims.yaml`; its conventions are written down once, in
// `datasets/afi-2020/README.md` ("Claims and acceptance rules").

/// What kind of statistic a claim publishes. Raw values are the registry's spelling.
public enum StatisticKind: String, Sendable, Codable, CaseIterable {
    /// Percent of all respondents in the group (or of those who answered; see `validPercent`).
    case percent
    /// Percent of respondents with a valid (non-missing, non-"vet ikke") answer.
    case validPercent = "valid-percent"
    /// Mean score on the item's scale.
    case mean
    /// Number of respondents (group or item n).
    case n
    /// A count of units other than respondents (offices, municipalities, e-mails …).
    case count
    /// Response rate in percent.
    case responseRate = "response-rate"
    /// F statistic.
    case f = "F"
    /// Degrees of freedom.
    case df
    /// p-value.
    case p
    /// Coefficient of determination.
    case rSquared = "R2"
    /// z statistic.
    case z
    /// A printed difference (percentage points or scale points) between two quantities.
    case difference
    /// An ordering statement: a is larger/smaller than/similar to b.
    case direction
    /// A statement that a difference is statistically significant.
    case significance
    /// A statement that a difference is not statistically significant.
    case noSignificance = "no-significance"
}

/// One side of a comparison (direction, difference, significance). Fields are what the verifier needs to
/// compute the quantity; `label` is the report's wording and always present.
public struct ClaimOperand: Sendable, Equatable, Codable {
    /// The report's wording of this side.
    public var label: String
    /// Respondent group code (see README), when this side is a group.
    public var group: String?
    /// Variable name, when this side is a variable/item.
    public var variable: String?
    /// Category codes, when this side is a (set of) response categories.
    public var categories: [String]?
    /// Year, when this side is a survey year.
    public var year: Int?

    public init(label: String, group: String? = nil, variable: String? = nil, categories: [String]? = nil,
                year: Int? = nil) {
        self.label = label; self.group = group; self.variable = variable; self.categories = categories
        self.year = year
    }
}

/// One published number or testable statement of the report.
public struct PublishedClaim: Sendable, Equatable {
    /// Stable id, e.g. `fig1-ordforere-2019-vet-ikke`.
    public var id: String
    /// Figure number(s) the claim is about (empty when none).
    public var figures: [Int]
    /// Appendix table number, when the claim is a table cell or about a table.
    public var table: Int?
    /// Table cell (row label, column label), for table claims.
    public var cell: (row: String, column: String)?
    /// Line in the report text `seeds/003_b503dd69dab94784.txt`.
    public var line: Int
    /// Verbatim quote from that line.
    public var quote: String
    /// Survey codes, e.g. `ordforer-radmann-2019`, `kontor-2019-veiledere`.
    public var surveys: [String]
    /// Survey year(s); empty when not stated.
    public var years: [Int]
    /// Respondent group codes, e.g. `ordforere`, `radmenn`, `veiledere`, `statlig`, `kommunal`.
    public var groups: [String]
    /// The report's wording of the group.
    public var groupLabel: String
    /// Variable names (snake_case ASCII), stable per figure item. Empty when the claim is about no variable.
    public var variables: [String]
    /// The question/item text as the report gives it.
    public var item: String
    /// Response-category codes the statistic is about (e.g. top-box `i_stor_grad`, `i_svaert_stor_grad`).
    public var categories: [String]
    /// Which statistic is published.
    public var statistic: StatisticKind
    /// The published number of respondents the statistic rests on (figure caption or table), when printed.
    public var n: Int?
    /// The published value exactly as printed ("61", "3,86", "over halvparten", "p=.306"); nil for pure
    /// direction/significance statements with no number.
    public var printed: String?
    /// Numeric reading of `printed` in the statistic's units (percent in 0–100, means on the item scale).
    public var value: Double?
    /// How the number was qualified: exact, nearly, above, below, approx, range, fraction, verbal.
    public var qualifier: String?
    /// The acceptance rule; nil only when the claim is not checkable.
    public var rule: AcceptanceRule?
    /// Whether a computed value can be judged pass/fail against this claim.
    public var checkable: Bool
    /// Why the claim is not checkable (nil when checkable).
    public var reason: String?
    /// Ambiguity or apparent contradiction noted by the catalogue or registry maintainer.
    public var doubt: String?
    /// Free note.
    public var note: String?

    public init(id: String, figures: [Int] = [], table: Int? = nil, cell: (row: String, column: String)? = nil,
                line: Int, quote: String, surveys: [String] = [], years: [Int] = [], groups: [String] = [],
                groupLabel: String = "", variables: [String] = [], item: String = "", categories: [String] = [],
                statistic: StatisticKind, n: Int? = nil, printed: String? = nil, value: Double? = nil, qualifier: String? = nil,
                rule: AcceptanceRule?, checkable: Bool, reason: String? = nil, doubt: String? = nil,
                note: String? = nil) {
        self.id = id; self.figures = figures; self.table = table; self.cell = cell; self.line = line
        self.quote = quote; self.surveys = surveys; self.years = years; self.groups = groups
        self.groupLabel = groupLabel; self.variables = variables; self.item = item; self.categories = categories
        self.statistic = statistic; self.n = n; self.printed = printed; self.value = value; self.qualifier = qualifier
        self.rule = rule; self.checkable = checkable; self.reason = reason; self.doubt = doubt; self.note = note
    }

    /// 100 when the printed number is the value in percent (R² 0.12 printed as "12 prosent"), else `nil`: the
    /// factor that shows computed values in the unit the report printed.
    public var printedScale: Double? {
        guard let v = value, v != 0, let p = printed.flatMap(PrintedNumber.init) else { return nil }
        return abs(p.value - 100 * v) <= 1e-9 * max(1, abs(p.value)) ? 100 : nil
    }

    public static func == (a: PublishedClaim, b: PublishedClaim) -> Bool {
        a.id == b.id && a.figures == b.figures && a.table == b.table && a.cell?.row == b.cell?.row
            && a.cell?.column == b.cell?.column && a.line == b.line && a.quote == b.quote
            && a.surveys == b.surveys && a.years == b.years && a.groups == b.groups
            && a.groupLabel == b.groupLabel && a.variables == b.variables && a.item == b.item
            && a.categories == b.categories && a.statistic == b.statistic && a.n == b.n && a.printed == b.printed
            && a.value == b.value && a.qualifier == b.qualifier && a.rule == b.rule && a.checkable == b.checkable
            && a.reason == b.reason && a.doubt == b.doubt && a.note == b.note
    }
}
