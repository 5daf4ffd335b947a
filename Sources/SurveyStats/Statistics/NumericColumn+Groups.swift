/// The rows of a numeric column split by a grouping label, as used by `describe --by`, two-group t-tests and
/// ANOVA. Each group keeps the column's decimal offset, so accuracy carries through.
///
/// The t-tests and ANOVAs no longer split columns (they take `GroupedMoments` straight from level codes); this
/// type is for callers that want the groups' values themselves.
public struct GroupedColumn: Sendable {
    /// Groups in order: `order` first (codebook order; levels not listed are appended in Norwegian order), else
    /// the labels in Norwegian order (`NorwegianCollation`).
    public let groups: [(name: String, column: NumericColumn)]
    /// Rows left out because their group label was missing (their values are not counted anywhere else).
    public let missingLabel: Int

    public init(_ values: NumericColumn, by labels: [String?], order: [String]? = nil) throws {
        guard labels.count == values.count else {
            throw StatisticsError.invalidArgument("grouping: \(labels.count) labels for \(values.count) values")
        }
        self.init(values, codes: FactorCodes(labels: labels, order: order))
    }

    /// The column split by level codes (levels in the codes' order; rows with code 0 are counted as missing).
    public init(_ values: NumericColumn, by groups: FactorCodes) throws {
        guard groups.count == values.count else {
            throw StatisticsError.invalidArgument("grouping: \(groups.count) group codes for \(values.count) values")
        }
        self.init(values, codes: groups)
    }

    private init(_ values: NumericColumn, codes groups: FactorCodes) {
        let sizes = groups.levelSizes
        var rows = sizes.map { n -> [Double] in var a = [Double](); a.reserveCapacity(n); return a }
        var missing = 0
        groups.codes.withUnsafeBufferPointer { c in
            values.stored.withUnsafeBufferPointer { s in
                for i in 0..<c.count {
                    let g = Int(c[i])
                    if g == 0 { missing += 1 } else { rows[g - 1].append(s[i]) }
                }
            }
        }
        self.groups = zip(groups.names, rows).map { ($0, NumericColumn($1, offset: values.offset)) }
        missingLabel = missing
    }

    public var names: [String] { groups.map(\.name) }
}

extension EqualVarianceTTest {
    /// Student's t-test of a numeric column between two groups given by `labels` (rows with a missing value or
    /// label are excluded). `levels` picks and orders the two groups (group 1 − group 2); without it the column
    /// must have exactly two distinct labels, taken in Norwegian order.
    public init(_ values: NumericColumn, groups labels: [String?], levels: [String]? = nil, difference: Double = 0) throws {
        guard labels.count == values.count else {
            throw StatisticsError.invalidArgument("t-test: \(labels.count) group labels for \(values.count) values")
        }
        try self.init(values, groups: FactorCodes(labels: labels, order: levels), levels: levels, difference: difference)
    }

    /// Student's t-test of a numeric column between two levels of `groups` (rows with a missing value or group are
    /// excluded). `levels` picks and orders the two groups by name (or, for a numeric grouping, by value as R
    /// prints it); without it the grouping must have exactly two levels, taken in level order.
    public init(_ values: NumericColumn, groups: FactorCodes, levels: [String]? = nil, difference: Double = 0) throws {
        let (s1, s2, names) = try twoGroupSummaries(values, groups, levels, missing: MissingValueSet())
        try self.init(s1, s2, difference: difference)
        groupNames = names
    }

    /// Student's t-test of `variable` between two levels of `group` (see `init(_:groups:levels:difference:)`);
    /// the variable's declared missing codes and ranges are excluded as well as empty cells.
    public init(_ variable: Variable, by group: Variable, levels: [String]? = nil, difference: Double = 0) throws {
        let (s1, s2, names) = try twoGroupSummaries(variable, by: group, levels)
        try self.init(s1, s2, difference: difference)
        groupNames = names
    }
}

extension UnequalVarianceTTest {
    /// Welch's t-test of a numeric column between two groups (see `EqualVarianceTTest.init(_:groups:levels:)`).
    public init(_ values: NumericColumn, groups labels: [String?], levels: [String]? = nil, difference: Double = 0) throws {
        guard labels.count == values.count else {
            throw StatisticsError.invalidArgument("t-test: \(labels.count) group labels for \(values.count) values")
        }
        try self.init(values, groups: FactorCodes(labels: labels, order: levels), levels: levels, difference: difference)
    }

    /// Welch's t-test between two levels of `groups` (see `EqualVarianceTTest.init(_:groups:levels:difference:)`).
    public init(_ values: NumericColumn, groups: FactorCodes, levels: [String]? = nil, difference: Double = 0) throws {
        let (s1, s2, names) = try twoGroupSummaries(values, groups, levels, missing: MissingValueSet())
        try self.init(s1, s2, difference: difference)
        groupNames = names
    }

    /// Welch's t-test of `variable` between two levels of `group`, declared missing codes excluded.
    public init(_ variable: Variable, by group: Variable, levels: [String]? = nil, difference: Double = 0) throws {
        let (s1, s2, names) = try twoGroupSummaries(variable, by: group, levels)
        try self.init(s1, s2, difference: difference)
        groupNames = names
    }
}

/// A numeric variable's column and its declared missing values.
func numericColumn(_ variable: Variable) throws -> (NumericColumn, MissingValueSet) {
    guard case .numeric(let column) = variable.values else { throw DataError.notNumeric(variable: variable.name) }
    return (column, MissingValueSet(variable))
}

func sameLength(_ groups: FactorCodes, _ variable: Variable) throws -> FactorCodes {
    guard groups.count == variable.count else {
        throw StatisticsError.invalidArgument("grouping: \(groups.count) rows for \(variable.count) rows of '\(variable.name)'")
    }
    return groups
}

/// The two compared groups of `variable` by `group`. A numeric group variable whose levels are all whole numbers
/// 0…255 (the usual survey codes) is read directly — one pass for its levels, two for the moments, no code array
/// (10⁷ rows: 40 MB less to allocate, fault in and write); any other grouping goes through `FactorCodes`.
private func twoGroupSummaries(_ variable: Variable, by group: Variable,
                               _ levels: [String]?) throws -> (SampleSummary, SampleSummary, [String]) {
    let (column, missing) = try numericColumn(variable)
    guard group.count == variable.count else {
        throw StatisticsError.invalidArgument("grouping: \(group.count) rows for \(variable.count) rows of '\(variable.name)'")
    }
    if case .numeric(let g) = group.values {
        let (values, allSmall) = FactorCodes.numericLevels(g, missing: MissingValueSet(group))
        if allSmall {
            let names = group.levelNames(codes: values)
            let picked = try pickTwoLevels(names: names, values: values, texts: [], levels)
            let moments = GroupedMoments(column, rawGroups: g, missing: missing)
            let raw = (Int(values[picked.0]), Int(values[picked.1]))
            return (moments.summary(raw.0), moments.summary(raw.1), [names[picked.0], names[picked.1]])
        }
    }
    return try twoGroupSummaries(column, FactorCodes(group), levels, missing: missing)
}

/// The summaries of the two compared groups (sharing one exact reference, see `GroupedMoments`) and their names.
private func twoGroupSummaries(_ values: NumericColumn, _ groups: FactorCodes, _ levels: [String]?,
                               missing: MissingValueSet) throws -> (SampleSummary, SampleSummary, [String]) {
    guard groups.count == values.count else {
        throw StatisticsError.invalidArgument("t-test: \(groups.count) group codes for \(values.count) values")
    }
    let picked = try pickTwoLevels(names: groups.names, values: groups.values, texts: groups.texts, levels)
    let moments = GroupedMoments(values, codes: groups.codes, levels: groups.levelCount, missing: missing)
    let s1 = moments.summary(picked.0), s2 = moments.summary(picked.1)
    return (s1, s2, [groups.names[picked.0], groups.names[picked.1]])
}

/// The indices of the two compared levels: `levels` by name (or a numeric level by its value as R prints it, a
/// labelled text level by its stored text), or the only two levels.
private func pickTwoLevels(names: [String], values: [Double], texts: [String], _ levels: [String]?) throws -> (Int, Int) {
    func index(_ level: String) -> Int? {
        if let i = names.firstIndex(of: level) { return i }
        if let i = texts.firstIndex(of: level) { return i }
        return values.firstIndex { CategoricalLevels.formatLikeR($0) == level }
    }
    let picked: (Int, Int)
    if let levels {
        guard levels.count == 2 else { throw StatisticsError.invalidArgument("t-test: give exactly two group levels, got \(levels)") }
        var found: [Int] = []
        for l in levels {
            guard let k = index(l) else {
                throw StatisticsError.invalidArgument("t-test: group '\(l)' does not occur (groups: \(names.joined(separator: ", ")))")
            }
            found.append(k)
        }
        guard found[0] != found[1] else { throw StatisticsError.invalidArgument("t-test: the two group levels are the same (\(levels[0]))") }
        picked = (found[0], found[1])
    } else {
        guard names.count == 2 else {
            throw StatisticsError.invalidArgument("t-test needs exactly two groups, found \(names.count): \(names.joined(separator: ", "))")
        }
        picked = (0, 1)
    }
    return picked
}
