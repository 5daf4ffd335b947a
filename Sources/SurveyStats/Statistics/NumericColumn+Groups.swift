/// The rows of a numeric column split by a grouping label, as used by `describe --by`, two-group t-tests and
/// ANOVA. Each group keeps the column's decimal offset, so accuracy carries through.
public struct GroupedColumn: Sendable {
    /// Groups in order: `order` first (codebook order; levels not listed are appended sorted), else sorted labels.
    public let groups: [(name: String, column: NumericColumn)]
    /// Rows left out because their group label was missing (their values are not counted anywhere else).
    public let missingLabel: Int

    public init(_ values: NumericColumn, by labels: [String?], order: [String]? = nil) throws {
        guard labels.count == values.count else {
            throw StatisticsError.invalidArgument("grouping: \(labels.count) labels for \(values.count) values")
        }
        var rows = [String: [Double]](), missing = 0
        for i in 0..<values.count {
            guard let g = labels[i] else { missing += 1; continue }
            rows[g, default: []].append(values.stored[i])
        }
        let present = Set(rows.keys)
        let names = order.map { $0 + present.subtracting($0).sorted() } ?? present.sorted()
        groups = names.map { ($0, NumericColumn(rows[$0] ?? [], offset: values.offset)) }
        missingLabel = missing
    }

    public var names: [String] { groups.map(\.name) }
}

extension EqualVarianceTTest {
    /// Student's t-test of a numeric column between two groups given by `labels` (rows with a missing value or
    /// label are excluded). `levels` picks and orders the two groups (group 1 − group 2); without it the column
    /// must have exactly two distinct labels, taken in sorted order.
    public init(_ values: NumericColumn, groups labels: [String?], levels: [String]? = nil, difference: Double = 0) throws {
        let (x, y, names) = try twoGroups(values, labels, levels)
        let (s1, s2) = shiftedSummaries(x, y, offset: values.offset)
        try self.init(s1, s2, difference: difference)
        groupNames = names
    }
}

extension UnequalVarianceTTest {
    /// Welch's t-test of a numeric column between two groups (see `EqualVarianceTTest.init(_:groups:levels:)`).
    public init(_ values: NumericColumn, groups labels: [String?], levels: [String]? = nil, difference: Double = 0) throws {
        let (x, y, names) = try twoGroups(values, labels, levels)
        let (s1, s2) = shiftedSummaries(x, y, offset: values.offset)
        try self.init(s1, s2, difference: difference)
        groupNames = names
    }
}

/// The two groups' stored values (value − column offset; the offset becomes the summaries' common reference)
/// and the group names.
private func twoGroups(_ values: NumericColumn, _ labels: [String?], _ levels: [String]?) throws -> ([Double], [Double], [String]) {
    let split = try GroupedColumn(values, by: labels, order: levels)
    let names: [String]
    if let levels {
        guard levels.count == 2 else { throw StatisticsError.invalidArgument("t-test: give exactly two group levels, got \(levels)") }
        for l in levels where !split.names.contains(l) {
            throw StatisticsError.invalidArgument("t-test: group '\(l)' does not occur (groups: \(split.names.joined(separator: ", ")))")
        }
        names = levels
    } else {
        guard split.groups.count == 2 else {
            throw StatisticsError.invalidArgument("t-test needs exactly two groups, found \(split.groups.count): \(split.names.joined(separator: ", "))")
        }
        names = split.names
    }
    func vals(_ name: String) -> [Double] {
        let c = split.groups.first { $0.name == name }!.column
        return c.stored.filter { !$0.isNaN }
    }
    return (vals(names[0]), vals(names[1]), names)
}
