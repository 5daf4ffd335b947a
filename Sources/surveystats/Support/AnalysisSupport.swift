import ArgumentParser
import Foundation
import SurveyStats

/// `--alternative`: which tail a test's p-value covers.
enum Alternative: String, ExpressibleByArgument, CaseIterable {
    case twoSided = "two-sided", less, greater

    var tail: Tail {
        switch self {
        case .twoSided: return .both
        case .less: return .left
        case .greater: return .right
        }
    }
}

extension AnalysisData {
    /// Moments of a numeric variable per level of a grouping restricted to the used rows (`GroupingVariable(_:among:)`),
    /// taken straight from the level codes: no column is split or copied, and the column's decimal offset is kept
    /// as the groups' common reference.
    func groupedMoments(_ name: String, by grouping: GroupingVariable) throws -> GroupedMoments {
        let v = try variable(name)
        guard case .numeric(let column) = v.values else {
            _ = try numeric(name)  // throws the "not numeric" error
            throw DataError.notNumeric(variable: name)
        }
        return try GroupedMoments(column, groups: grouping.factor)
    }

    /// A numeric variable's whole column (all rows; combine with a grouping restricted to the used rows).
    func numericColumn(_ name: String) throws -> NumericColumn {
        let v = try variable(name)
        guard case .numeric(let column) = v.values else {
            _ = try numeric(name)
            throw DataError.notNumeric(variable: name)
        }
        return column
    }

    /// The used rows of a numeric variable as one column.
    func column(_ name: String, account: MissingAccount) throws -> NumericColumn {
        let v = try variable(name)
        guard case .numeric(let column) = v.values else {
            _ = try numeric(name)
            return NumericColumn([Double]())
        }
        return column.filtered(account.used)
    }
}

/// The envelope every analysis's JSON starts with: command, data source, filter, weight and row accounting.
func analysisEnvelope(command: String, data: AnalysisData, account: MissingAccount) -> JSONValue {
    var json: JSONValue = ["command": .string(command), "data": .string(data.source)]
    json.set("where", data.filter.map { .string($0) } ?? .null)
    json.set("weight", data.weightName.map { .string($0) } ?? .null)
    for m in account.jsonMembers { json.set(m.key, m.value) }
    return json
}

/// Throws a clear error when an option is given that the analysis cannot honour (rather than ignoring it).
func reject(_ option: String, _ value: Any?, in command: String, because reason: String) throws {
    if value != nil { throw CLIError("\(command) does not support \(option): \(reason)") }
}

/// Human label for a confidence level: 0.95 → "95%".
func percentLabel(_ level: Double) -> String {
    let p = level * 100
    return (p == p.rounded() ? String(Int(p)) : "\(p)") + "%"
}

/// Numeric options take their value unconditionally, so that a negative number is a value and not an unknown
/// option: `--mu -1`, `--mean1 -3` (without it the parser reads `-1` as a flag and reports a missing value).
/// A following option name is then read as the value and rejected as not a number, which names the option.
let numericValue = SingleValueParsingStrategy.unconditional

/// A numeric option's value in decimal notation only: [+|-]digits[.digits][e[+|-]digits]. Swift's
/// `Double(String)` also reads hexadecimal ("0x10" = 16, "0x1p-3"), "inf" and "nan", which are typos or bad input
/// in a statistics option, not numbers; a value beyond double's range ("1e400") is rejected too.
func decimalNumber(_ text: String) throws -> Double {
    let t = text.trimmingCharacters(in: .whitespaces)
    var digits = 0, i = t.startIndex
    func take(_ allowed: (Character) -> Bool) -> Int {
        var k = 0
        while i < t.endIndex, allowed(t[i]) { i = t.index(after: i); k += 1 }
        return k
    }
    if i < t.endIndex, t[i] == "+" || t[i] == "-" { i = t.index(after: i) }
    digits += take { $0.isASCII && $0.isNumber }
    if i < t.endIndex, t[i] == "." { i = t.index(after: i); digits += take { $0.isASCII && $0.isNumber } }
    var ok = digits > 0
    if ok, i < t.endIndex, t[i] == "e" || t[i] == "E" {
        i = t.index(after: i)
        if i < t.endIndex, t[i] == "+" || t[i] == "-" { i = t.index(after: i) }
        ok = take { $0.isASCII && $0.isNumber } > 0
    }
    guard ok, i == t.endIndex, let value = Double(t), value.isFinite else {
        throw ValidationError("'\(text)' is not a finite decimal number (write e.g. 3.5, -0.25 or 1.2e-3)")
    }
    return value
}

/// NaN or ±inf given for a numeric option (Double parses "nan" and "inf") is bad input, not a test result
/// (`--mu nan` gave t null with p 0): the first such option is named.
func requireFinite(_ options: [(name: String, value: Double?)]) throws {
    for (name, value) in options {
        if let value, !value.isFinite { throw ValidationError("\(name) must be a finite number, got \(value)") }
    }
}

/// "mean(y) − 3", "mean(y) − (−1)": a subtracted value as people write it, a negative one in parentheses.
func minusTerm(_ value: Double) -> String {
    let text = GroupingVariable.format(code: abs(value))
    return value < 0 ? "(−\(text))" : text
}

func checkConfidenceLevel(_ level: Double) throws {
    guard level > 0, level < 1 else { throw ValidationError("--conf-level must be between 0 and 1 (e.g. 0.95), got \(level)") }
}

/// Degrees of freedom as JSON: an integer when whole (56, not 56.0), else the full double (Welch's 34.30057…).
func degreesOfFreedom(_ df: Double) -> JSONValue {
    df == df.rounded() && abs(df) < 9e15 ? .integer(Int(df)) : .number(df)
}
