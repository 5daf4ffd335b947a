import Foundation

/// A row filter such as `rolle in [ordfører, rådmann]`, `ar == 2019`, `alder >= 30 and kjonn != 2`,
/// `not (q1 is missing)` (the `--where` option of every analysis).
///
/// Grammar (keywords are case-insensitive; `&&` `||` `!` also work):
/// ```
/// expr       := term ('or' term)*
/// term       := factor ('and' factor)*
/// factor     := 'not' factor | '(' expr ')' | comparison
/// comparison := name op value | name ['not'] 'in' '[' value (',' value)* ']' | name 'is' ['not'] 'missing'
/// op         := == | = | != | <> | < | <= | > | >=
/// value      := number | 'quoted text' | "quoted text" | bare word (in a list: any text up to ',' or ']')
///               (in quoted text `\'` or `\"` is the quote and `\\` a backslash; any other backslash is itself)
/// name       := letters, digits, _ and . | `any text in backticks`
/// ```
/// A number may be written with a decimal comma (`verdi == 2,5`) outside a list, where a comma has no other use;
/// in a list the comma separates values (`in [1,5]` is 1 and 5: write 1.5 there). A minus may be U+2212 (`−3`).
///
/// A value is compared with a numeric variable as a number or, when it is not a number, as a value label
/// (`ordfører` → its code; exact match first, then ignoring case). A number is always a code, also when it is
/// another code's label (`g == 3` with «3» on code 4 keeps code 3; `notes(on:)` says so): quoted, `g == '3'`, it
/// is the label. A label that several codes share stands for
/// all of them (`notes(on:)` says so); `<`, `<=`, `>`, `>=` with such a label are an error asking for the code.
/// Text variables compare as text (or through their text value labels, likewise). A date variable (SPSS
/// DATE/DATETIME, Stata `%td`/`%tc` formats) compares with a date `2020-01-06` or date-time `2020-01-06T08:00[:SS]`
/// (quoted, a space may replace the `T`), converted to the variable's own unit and epoch; such a literal against
/// any other variable is an error. Likewise a time variable (a time of day or duration: SPSS TIME/DTIME/MTIME,
/// Stata `%tcHH:MM:SS`) compares with a clock time `12:30` or `08:00:15[.5]` (hours past 24 and a leading `-` for
/// durations), in seconds or milliseconds as the variable stores them; a clock time against any other variable
/// is an error, and so is a negative one against a time of day (a duration has an SPSS DTIME/MTIME format or
/// values below zero or of 24 hours or more). Text is ordered for `<`, `<=`, `>`, `>=` as every table orders it
/// (`NorwegianCollation`: Æ, Ø, Å after Z, «Gruppe 2» before «Gruppe 10») ignoring case, so `navn >= Å` keeps «å»
/// and «Åse»; `==`, `!=` and `in` match the exact text.
///
/// Missing values follow three-valued logic, as in SQL: a comparison involving a missing value (empty/NA or a
/// declared missing code such as 6 = «Vet ikke») is *unknown*, `not unknown` is unknown, and only rows where
/// the whole filter is *true* are kept. So `kjonn != 2` drops rows with missing `kjonn`; select them with
/// `kjonn is missing`.
public struct FilterExpression: Sendable, CustomStringConvertible {
    public let text: String
    let root: Node

    /// Parses `text`; a syntax error names the position (1-based character) and what was expected.
    public init(_ text: String) throws {
        self.text = text
        var parser = Parser(text: text)
        root = try parser.parseAll()
    }

    public var description: String { text }

    /// The variables the filter reads (for reading only the needed CSV columns).
    public var variables: [String] {
        var out: [String] = []
        func walk(_ n: Node) {
            switch n {
            case .and(let a, let b), .or(let a, let b): walk(a); walk(b)
            case .not(let a): walk(a)
            case .compare(let name, _, _, _), .member(let name, _, _, _), .isMissing(let name, _, _):
                if !out.contains(name) { out.append(name) }
            }
        }
        walk(root)
        return out
    }

    /// Evaluates the filter on every row: true where the row is kept.
    public func evaluate(on dataset: Dataset) throws -> [Bool] {
        let n = dataset.rowCount
        let truth = try eval(root, dataset)
        return (0..<n).map { truth[$0] == .yes }
    }

    /// Warnings about comparisons that can match no row of `dataset`: an `==` or `in` value that occurs in no row
    /// (with the closest values or labels that do occur), or a declared missing code (which a comparison never
    /// matches by design: `is missing` selects missing answers). Messages only; the filter is not changed.
    public func warnings(on dataset: Dataset) -> [String] {
        var out: [String] = []
        func check(_ name: String, _ literal: Literal) {
            guard let v = dataset[name] else { return }
            let shown = literal.quoted ? "'\(literal.text)'" : literal.text
            switch v.values {
            case .numeric(let c):
                guard let targets = try? codes(literal, of: v), let target = targets.first else { return }
                if let missing = targets.first(where: { v.isMissingCode($0) }) {
                    let label = v.valueLabels[missing].map { " «\($0)»" } ?? ""
                    out.append("--where: \(Codebook.format(missing))\(label) is a missing code of '\(name)', so comparing '\(name)' "
                               + "with it matches no row by design; use '\(name) is missing' to select missing answers")
                    return
                }
                for i in 0..<c.count where c.value(at: i).map(targets.contains) == true { return }   // occurs: nothing to say
                var present = Set<Double>()
                for i in 0..<c.count { if let x = c.value(at: i), !v.isMissingCode(x) { present.insert(x) } }
                let close = present.sorted { abs($0 - target) < abs($1 - target) || (abs($0 - target) == abs($1 - target) && $0 < $1) }
                    .prefix(5).sorted()
                    .map { x in (TemporalFormat(format: v.format)?.text(x) ?? Codebook.format(x)) + (v.valueLabels[x].map { " «\($0)»" } ?? "") }
                out.append("--where: no row has \(name) == \(shown)"
                           + (close.isEmpty ? " ('\(name)' has no values)" : " (closest values: \(close.joined(separator: ", ")))"))
            case .text(let t):
                let targets = textValues(literal, of: v)
                let target = targets.first ?? literal.text
                for i in t.indices where t[i].map(targets.contains) == true { return }   // occurs: nothing to say
                var present = Set<String>()
                for i in t.indices { if let s = t[i], !v.isMissing(i) { present.insert(s) } }
                let lower = target.lowercased()
                let close = present.sorted {
                    let a = FilterExpression.editDistance($0.lowercased(), lower), b = FilterExpression.editDistance($1.lowercased(), lower)
                    return a < b || (a == b && NorwegianCollation.areInIncreasingOrder($0, $1))
                }.prefix(5).map(FilterExpression.quotedLiteral)
                out.append("--where: no row has \(name) == \(shown)"
                           + (close.isEmpty ? " ('\(name)' has no values)" : " (closest values: \(close.joined(separator: ", ")))"))
            }
        }
        func walk(_ n: Node) {
            switch n {
            case .and(let a, let b), .or(let a, let b): walk(a); walk(b)
            case .not(let a): walk(a)
            case let .compare(name, op, literal, _): if op == .eq || op == .ne { check(name, literal) }
            case let .member(name, literals, _, _): for l in literals { check(name, l) }
            case .isMissing: break
            }
        }
        walk(root)
        return out
    }

    /// Notes about how the filter reads `dataset`: a value label that several codes (or texts) share stands for
    /// all of them (`g == Ja` with `1: Ja` and `2: Ja` keeps the rows with 1 and with 2), said once per label; and
    /// a number that is also the value label of another code (`g == 3` with `4: "3"`) is read as the code, with
    /// the quoted label (`g == '3'`) to select the other code.
    public func notes(on dataset: Dataset) -> [String] {
        var out: [String] = []
        func check(_ name: String, _ literal: Literal) {
            guard let v = dataset[name] else { return }
            let matched: [String]
            switch v.values {
            case .numeric:
                if let number = literal.number {
                    // Codes come first: `3` is code 3 even when «3» is the label of code 4. Say so, and how to
                    // reach code 4 (a quoted value is never a number, so it is looked up among the labels).
                    let labelled = v.valueLabels.filter { code, label in
                        let text = label.trimmingCharacters(in: .whitespaces)
                        return code != number && (text == literal.text || CSVNumberParser.parse(text) == number)
                    }
                    let others = labelled.keys.sorted()
                    guard let first = others.first, let label = v.valueLabels[first] else { return }
                    let codes = (others.count == 1 ? "code " : "codes ") + others.map(Codebook.format).joined(separator: ", ")
                    let sameLabel = others.allSatisfy { v.valueLabels[$0] == label }
                    let how = sameLabel ? "write the label in quotes (\(Self.quoted(label))) to select \(codes)"
                        : "write a label in quotes (\(others.map { Self.quoted(v.valueLabels[$0]!) }.joined(separator: ", "))) to select its code"
                    let note = "--where: \(literal.text) is read as code \(Codebook.format(number)) of '\(name)' (codes come "
                        + "before labels), but " + (sameLabel ? "«\(label)» is the value label of \(codes)"
                            : "\(codes) have the value labels \(others.map { "«\(v.valueLabels[$0]!)»" }.joined(separator: ", "))")
                        + "; " + how
                    if !out.contains(note) { out.append(note) }
                    return
                }
                guard let codes = try? codes(literal, of: v), codes.count > 1 else { return }
                matched = codes.map(Codebook.format)
            case .text:
                let texts = textValues(literal, of: v)
                guard texts.count > 1 else { return }
                matched = texts.map { "'\($0)'" }
            }
            let note = "--where: '\(literal.text)' is the value label of \(matched.count) codes of '\(name)' "
                + "(\(matched.joined(separator: ", "))); the filter matches all of them (give a code to pick one)"
            if !out.contains(note) { out.append(note) }
        }
        func walk(_ n: Node) {
            switch n {
            case .and(let a, let b), .or(let a, let b): walk(a); walk(b)
            case .not(let a): walk(a)
            case let .compare(name, _, literal, _): check(name, literal)
            case let .member(name, literals, _, _): for l in literals { check(name, l) }
            case .isMissing: break
            }
        }
        walk(root)
        return out
    }

    /// `text` as a quoted filter value: in single quotes, or double quotes when it holds a single quote.
    static func quoted(_ text: String) -> String {
        text.contains("'") && !text.contains("\"") ? "\"\(text)\"" : "'\(text.replacingOccurrences(of: "'", with: "\\'"))'"
    }

    /// Levenshtein distance (for suggesting close values).
    static func editDistance(_ a: String, _ b: String) -> Int {
        let x = Array(a), y = Array(b)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var previous = Array(0...y.count), current = [Int](repeating: 0, count: y.count + 1)
        for i in 1...x.count {
            current[0] = i
            for j in 1...y.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[y.count]
    }

    // MARK: - Syntax tree

    indirect enum Node: Sendable {
        case or(Node, Node)
        case and(Node, Node)
        case not(Node)
        case compare(String, Op, Literal, position: Int)
        case member(String, [Literal], negated: Bool, position: Int)
        case isMissing(String, negated: Bool, position: Int)
    }

    enum Op: String, Sendable { case eq = "==", ne = "!=", lt = "<", le = "<=", gt = ">", ge = ">=" }

    struct Literal: Sendable {
        var text: String
        var quoted: Bool
        var position: Int
        /// The literal as a number: with a decimal point, or a decimal comma (`2,5`, which only a value outside a
        /// list can hold); a minus may be U+2212.
        var number: Double? {
            if quoted { return nil }
            if let x = CSVNumberParser.parse(text) { return x }
            return text.contains(",") ? CSVNumberParser.parse(text, decimal: UInt8(ascii: ",")) : nil
        }
    }

    enum Truth: UInt8 { case no, yes, unknown }

    // MARK: - Evaluation

    func eval(_ node: Node, _ d: Dataset) throws -> [Truth] {
        switch node {
        case .or(let a, let b):
            let x = try eval(a, d), y = try eval(b, d)
            return zip(x, y).map { $0 == .yes || $1 == .yes ? .yes : ($0 == .unknown || $1 == .unknown ? .unknown : .no) }
        case .and(let a, let b):
            let x = try eval(a, d), y = try eval(b, d)
            return zip(x, y).map { $0 == .no || $1 == .no ? .no : ($0 == .unknown || $1 == .unknown ? .unknown : .yes) }
        case .not(let a):
            return try eval(a, d).map { $0 == .yes ? .no : ($0 == .no ? .yes : .unknown) }
        case let .isMissing(name, negated, position):
            let v = try variable(name, d, position)
            return (0..<d.rowCount).map { (v.isMissing($0) != negated) ? .yes : .no }
        case let .compare(name, op, literal, position):
            let v = try variable(name, d, position)
            switch v.values {
            case .numeric(let c):
                let targets = try codes(literal, of: v)
                if targets.count > 1 && op != .eq && op != .ne {
                    throw error(literal.position, "'\(literal.text)' is the value label of several codes of '\(v.name)' "
                                + "(\(targets.map(Codebook.format).joined(separator: ", "))), so \(op.rawValue) is ambiguous; use a code")
                }
                let target = targets[0]
                return (0..<c.count).map { i in
                    guard let x = c.value(at: i), !v.isMissingCode(x) else { return .unknown }
                    let r: Bool
                    switch op {
                    case .eq: r = targets.contains(x)
                    case .ne: r = !targets.contains(x)
                    case .lt: r = x < target
                    case .le: r = x <= target
                    case .gt: r = x > target
                    case .ge: r = x >= target
                    }
                    return r ? .yes : .no
                }
            case .text(let t):
                let targets = textValues(literal, of: v)
                if op != .eq && op != .ne, literal.number != nil {
                    throw error(position, "'\(name)' holds text, so it cannot be compared with \(op.rawValue) to a number")
                }
                if targets.count > 1 && op != .eq && op != .ne {
                    throw error(literal.position, "'\(literal.text)' is the value label of several values of '\(v.name)' "
                                + "(\(targets.map { "'\($0)'" }.joined(separator: ", "))), so \(op.rawValue) is ambiguous; use a value")
                }
                let target = targets[0]
                // Order is the Norwegian order every table shows (Æ, Ø, Å after Z; 2 before 10), not code points, and
                // ignores case, so that `navn >= Å` keeps «å» and `navn < b` keeps neither «b» nor «B».
                let targetKey = NorwegianCollation.keyIgnoringCase(target)
                var keys: [String: NorwegianCollation.Key] = [:]
                func key(_ s: String) -> NorwegianCollation.Key {
                    if let k = keys[s] { return k }
                    let k = NorwegianCollation.keyIgnoringCase(s); keys[s] = k
                    return k
                }
                return t.indices.map { i in
                    guard let s = t[i], !v.isMissing(i) else { return .unknown }
                    let r: Bool
                    switch op {
                    case .eq: r = targets.contains(s)
                    case .ne: r = !targets.contains(s)
                    case .lt: r = key(s) < targetKey
                    case .le: r = key(s) <= targetKey
                    case .gt: r = key(s) > targetKey
                    case .ge: r = key(s) >= targetKey
                    }
                    return r ? .yes : .no
                }
            }
        case let .member(name, literals, negated, position):
            let v = try variable(name, d, position)
            switch v.values {
            case .numeric(let c):
                let members = Set(try literals.flatMap { try codes($0, of: v) })
                return (0..<c.count).map { i in
                    guard let x = c.value(at: i), !v.isMissingCode(x) else { return .unknown }
                    return members.contains(x) != negated ? .yes : .no
                }
            case .text(let t):
                let values = Set(literals.flatMap { textValues($0, of: v) })
                return t.indices.map { i in
                    guard let s = t[i], !v.isMissing(i) else { return .unknown }
                    return values.contains(s) != negated ? .yes : .no
                }
            }
        }
    }

    func variable(_ name: String, _ d: Dataset, _ position: Int) throws -> Variable {
        if let v = d[name] { return v }
        throw DataError.unknownVariable(name: name, source: "--where '\(text)'", available: d.variableNames)
    }

    /// The numeric codes a literal stands for (ascending, at least one): a number, a date (of a date variable, in
    /// its own unit), a clock time (of a time variable, likewise), or every code whose value label it is — exactly, else ignoring case when that finds one label
    /// (codes sharing it are all meant; two labels differing only in case are an error asking for the code).
    func codes(_ literal: Literal, of v: Variable) throws -> [Double] {
        if let x = literal.number { return [x] }
        if let moment = TemporalFormat.dateLiteral(literal.text) {
            // In the variable's own unit and epoch: SPSS seconds since 1582, Stata days or milliseconds since 1960.
            if let temporal = TemporalFormat(format: v.format), temporal.isPointInTime {
                return [temporal.storedValue(day: moment.day, seconds: moment.seconds)]
            }
            if !v.valueLabels.values.contains(literal.text) {
                let what = TemporalFormat(format: v.format) != nil ? "a time of day, not a date"
                    : "not a date variable (format \(v.format ?? "none"); dates are SPSS DATE/DATETIME or Stata %td/%tc formats)"
                throw error(literal.position, "'\(literal.text)' is a date, but '\(v.name)' is \(what)")
            }
        }
        if let seconds = TemporalFormat.clockLiteral(literal.text) {
            let temporal = TemporalFormat(format: v.format)
            if let temporal, !temporal.isPointInTime {
                // A time of day is never negative: `tid < -01:00` would match nothing. A leading '-' is for a
                // duration (an SPSS DTIME/MTIME format, or a TIME/%tcHH:MM:SS variable whose values show it is one:
                // some below zero or of 24 hours or more).
                if seconds.sign == .minus, !Self.mayBeNegative(v, temporal) {
                    throw error(literal.position, "'\(literal.text)' is a negative clock time, but '\(v.name)' is a time of day "
                                + "(format \(v.format ?? "none"); its values lie within 00:00:00–23:59:59), which cannot be negative; "
                                + "a leading '-' is only for durations (SPSS DTIME/MTIME formats, or a time variable with values "
                                + "below zero or of 24 hours or more)")
                }
                return [temporal.storedValue(clockSeconds: seconds)]
            }
            if !v.valueLabels.values.contains(literal.text) {
                let what = temporal.map { t in
                    "a \(t.kind == .date ? "date" : "date-time") variable; write the day too (YYYY-MM-DDTHH:MM[:SS])"
                } ?? "not a time variable (format \(v.format ?? "none"); times are SPSS TIME/DTIME/MTIME or Stata %tcHH:MM:SS formats)"
                throw error(literal.position, "'\(literal.text)' is a clock time, but '\(v.name)' is \(what)")
            }
        }
        let exact = v.valueLabels.filter { $0.value == literal.text }
        if !exact.isEmpty { return exact.keys.sorted() }
        if TemporalFormat(format: v.format)?.isPointInTime == true, literal.text.first?.isNumber == true, literal.text.contains("-") {
            throw error(literal.position, "'\(literal.text)' is not a valid date for date variable '\(v.name)' "
                        + "(write YYYY-MM-DD, or YYYY-MM-DDTHH:MM[:SS] for a time on that day)")
        }
        if TemporalFormat(format: v.format)?.isPointInTime == false,
           literal.text.drop(while: { $0 == "-" }).first?.isNumber == true, literal.text.contains(":") {
            throw error(literal.position, "'\(literal.text)' is not a valid clock time for time variable '\(v.name)' "
                        + "(write HH:MM or HH:MM:SS[.fff], minutes and seconds 00–59; hours past 24 for a duration)")
        }
        let lower = literal.text.lowercased()
        let matches = v.valueLabels.filter { $0.value.lowercased() == lower }
        if !matches.isEmpty && Set(matches.values).count == 1 { return matches.keys.sorted() }
        if matches.count > 1 {
            throw error(literal.position, "'\(literal.text)' matches several value labels of '\(v.name)' (codes \(matches.keys.sorted().map(Codebook.format).joined(separator: ", "))); use the code")
        }
        // Labels as the user can paste them back: as they are, or quoted with `\'`/`\\` where they need it.
        let known = v.valueLabels.sorted { $0.key < $1.key }.map { "\(Codebook.format($0.key)) = \(Self.pasteable($0.value))" }
        let hint = known.isEmpty ? "'\(v.name)' has no value labels; use a number"
            : "labels of '\(v.name)': \(known.prefix(12).joined(separator: ", "))"
        throw error(literal.position, "\(Self.quotedLiteral(literal.text)) is neither a number nor a value label (\(hint))")
    }

    /// Whether time variable `v` may hold a negative value: a duration format (SPSS DTIME/MTIME), or values that
    /// no time of day has (below zero, or 24 hours or more).
    static func mayBeNegative(_ v: Variable, _ temporal: TemporalFormat) -> Bool {
        if TemporalFormat.isDurationFormat(v.format) { return true }
        guard case .numeric(let c) = v.values else { return true }
        let day = temporal.unitsPerSecond * 86_400
        for i in 0..<c.count {
            if let x = c.value(at: i), !v.isMissingCode(x), x < 0 || x >= day { return true }
        }
        return false
    }

    /// The stored texts a literal stands for (sorted, at least one): the values whose text label it is, else the
    /// literal itself.
    func textValues(_ literal: Literal, of v: Variable) -> [String] {
        let hits = v.textValueLabels.filter { $0.value == literal.text }.keys
        return hits.isEmpty ? [literal.text] : hits.sorted()
    }

    /// `text` as a quoted `--where` value that reads back as `text`: in '…', with `\'` for a quote and `\\` for a
    /// backslash that would otherwise escape (one before a quote, a backslash or the closing quote); any other
    /// backslash stays as it is (`'Ærlig\ttab'`).
    static func quotedLiteral(_ text: String) -> String {
        let chars = Array(text)
        var out = "'"
        for (k, c) in chars.enumerated() {
            if c == "'" { out += "\\'"; continue }
            if c == "\\" && (k + 1 == chars.count || chars[k + 1] == "\\" || chars[k + 1] == "'") { out += "\\\\"; continue }
            out.append(c)
        }
        return out + "'"
    }

    /// A label in a list of labels: as it is when typing it in quotes gives it back, else `quotedLiteral`.
    static func pasteable(_ label: String) -> String {
        let quoted = quotedLiteral(label)
        return quoted == "'\(label)'" ? label : quoted
    }

    func error(_ position: Int, _ message: String) -> FilterExpressionError {
        FilterExpressionError(expression: text, position: position, message: message)
    }

    // MARK: - Parser

    struct Parser {
        let chars: [Character]
        let text: String
        var i = 0

        init(text: String) { self.text = text; chars = Array(text) }

        func fail(_ message: String, at position: Int? = nil) -> FilterExpressionError {
            FilterExpressionError(expression: text, position: (position ?? i) + 1, message: message)
        }

        mutating func skipSpace() { while i < chars.count && chars[i].isWhitespace { i += 1 } }

        static func isNameChar(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" || c == "." }

        /// The next bare word (without consuming it).
        func peekWord() -> String {
            var j = i
            while j < chars.count && Self.isNameChar(chars[j]) { j += 1 }
            return String(chars[i..<j])
        }

        mutating func keyword(_ k: String) -> Bool {
            skipSpace()
            let w = peekWord()
            if w.lowercased() == k { i += w.count; return true }
            return false
        }

        mutating func symbol(_ s: String) -> Bool {
            skipSpace()
            let sc = Array(s)
            guard i + sc.count <= chars.count, Array(chars[i..<i + sc.count]) == sc else { return false }
            i += sc.count
            return true
        }

        mutating func parseAll() throws -> Node {
            skipSpace()
            if i >= chars.count { throw fail("the filter is empty") }
            let node = try parseOr()
            skipSpace()
            if i < chars.count { throw fail("unexpected '\(chars[i])' (expected 'and', 'or' or the end)") }
            return node
        }

        mutating func parseOr() throws -> Node {
            var left = try parseAnd()
            while keyword("or") || symbol("||") { left = .or(left, try parseAnd()) }
            return left
        }

        mutating func parseAnd() throws -> Node {
            var left = try parseNot()
            while keyword("and") || symbol("&&") { left = .and(left, try parseNot()) }
            return left
        }

        mutating func parseNot() throws -> Node {
            skipSpace()
            let save = i
            if keyword("not") {
                // `not` followed by `in` would be a variable named "not"; treat `not` as the operator otherwise.
                return .not(try parseNot())
            }
            i = save
            if i < chars.count && chars[i] == "!" && !(i + 1 < chars.count && chars[i + 1] == "=") {
                i += 1
                return .not(try parseNot())
            }
            if symbol("(") {
                let inner = try parseOr()
                guard symbol(")") else { throw fail("expected ')'") }
                return inner
            }
            return try parseComparison()
        }

        mutating func parseName() throws -> (String, Int) {
            skipSpace()
            let start = i
            if i < chars.count && chars[i] == "`" {
                i += 1
                let s = i
                while i < chars.count && chars[i] != "`" { i += 1 }
                guard i < chars.count else { throw fail("unterminated `name`", at: start) }
                let name = String(chars[s..<i]); i += 1
                return (name, start + 1)
            }
            let w = peekWord()
            guard !w.isEmpty else {
                if i >= chars.count { throw fail("expected a variable name, found the end") }
                throw fail("expected a variable name, found '\(chars[i])'")
            }
            i += w.count
            return (w, start + 1)
        }

        mutating func parseComparison() throws -> Node {
            let (name, position) = try parseName()
            skipSpace()
            if keyword("is") {
                let negated = keyword("not")
                guard keyword("missing") else { throw fail("expected 'missing' after 'is'") }
                return .isMissing(name, negated: negated, position: position)
            }
            let save = i
            if keyword("not") {
                guard keyword("in") else { i = save; throw fail("expected 'in' after 'not'") }
                return .member(name, try parseList(), negated: true, position: position)
            }
            if keyword("in") { return .member(name, try parseList(), negated: false, position: position) }
            let ops: [(String, Op)] = [("==", .eq), ("!=", .ne), ("<>", .ne), ("<=", .le), (">=", .ge),
                                       ("=", .eq), ("<", .lt), (">", .gt)]
            for (s, op) in ops where symbol(s) {
                return .compare(name, op, try parseValue(inList: false), position: position)
            }
            if i >= chars.count { throw fail("expected a comparison (==, !=, <, <=, >, >=, in, is missing) after '\(name)'") }
            throw fail("expected a comparison (==, !=, <, <=, >, >=, in, is missing) after '\(name)', found '\(chars[i])'")
        }

        mutating func parseList() throws -> [Literal] {
            guard symbol("[") || symbol("(") else { throw fail("expected '[' to start the list of values") }
            let close: Character = chars[i - 1] == "[" ? "]" : ")"
            var items: [Literal] = []
            skipSpace()
            if i < chars.count && chars[i] == close { throw fail("the list of values is empty") }
            while true {
                items.append(try parseValue(inList: true, close: close))
                skipSpace()
                if symbol(",") { continue }
                if i < chars.count && chars[i] == close { i += 1; return items }
                throw fail("expected ',' or '\(close)' in the list of values")
            }
        }

        mutating func parseValue(inList: Bool, close: Character = "]") throws -> Literal {
            skipSpace()
            let start = i
            guard i < chars.count else { throw fail("expected a value, found the end") }
            let q = chars[i]
            if q == "'" || q == "\"" {
                i += 1
                var s = ""
                // `\'` inside '…' (`\"` inside "…") is the quote and `\\` one backslash; any other backslash is
                // literal (`'Ærlig\ttab'` is the label Ærlig\ttab), as in single-quoted strings of Perl or Ruby.
                while i < chars.count && chars[i] != q {
                    if chars[i] == "\\" && i + 1 < chars.count && (chars[i + 1] == q || chars[i + 1] == "\\") { i += 1 }
                    s.append(chars[i]); i += 1
                }
                guard i < chars.count else { throw fail("unterminated quoted value", at: start) }
                i += 1
                return Literal(text: s, quoted: true, position: start + 1)
            }
            if inList {
                // A bare list item runs to the next ',' or the closing bracket (so labels may contain spaces).
                while i < chars.count && chars[i] != "," && chars[i] != close { i += 1 }
                let s = String(chars[start..<i]).trimmingCharacters(in: .whitespaces)
                guard !s.isEmpty else { throw fail("expected a value", at: start) }
                return Literal(text: s, quoted: false, position: start + 1)
            }
            while i < chars.count && (Self.isNameChar(chars[i]) || chars[i] == "-" || chars[i] == "+" || chars[i] == "−") {
                i += 1
            }
            // A decimal comma (2,5): outside a list a comma has no other use, so a comma between the digits of a
            // whole number and more digits continues the number (Norwegian users write 2,5 for 2.5).
            let whole = chars[start..<i].drop { $0 == "-" || $0 == "+" || $0 == "−" }
            if !whole.isEmpty, whole.allSatisfy({ $0.isASCII && $0.isWholeNumber }),
               i + 1 < chars.count, chars[i] == ",", chars[i + 1].isASCII, chars[i + 1].isWholeNumber {
                i += 1
                while i < chars.count && (Self.isNameChar(chars[i]) || chars[i] == "-" || chars[i] == "+") { i += 1 }
            }
            // The clock of a bare date-time (2020-01-06T08:00) continues the word: a ':' followed by a digit.
            while i + 1 < chars.count && chars[i] == ":" && chars[i + 1].isNumber {
                i += 1
                while i < chars.count && Self.isNameChar(chars[i]) { i += 1 }
            }
            let s = String(chars[start..<i])
            guard !s.isEmpty else { throw fail("expected a value (a number, a label or 'quoted text'), found '\(chars[start])'") }
            return Literal(text: s, quoted: false, position: start + 1)
        }
    }
}

/// A `--where` expression that could not be parsed or evaluated, with the 1-based character position.
public struct FilterExpressionError: Error, CustomStringConvertible, Equatable, Sendable {
    public var expression: String
    public var position: Int
    public var message: String
    public var description: String { "--where '\(expression)': at character \(position): \(message)" }
}
