import Foundation

/// A model formula in the R / patsy convention, e.g. `samarbeid ~ likeverd + C(rolle, ref=rådmann) + I(alder^2)`.
///
/// Supported right-hand side syntax:
/// - `a + b` (add terms), `a - b` (remove terms), `- 1` or `+ 0` (no intercept), `+ 1` (intercept back);
/// - `a:b` (interaction), `a*b` (= `a + b + a:b`), parentheses `(a + b):c`;
/// - `C(v)`, `C(v, ref=level)`, `C(v, ref='level')`, patsy's `C(v, Treatment('level'))` and
///   `C(v, Treatment(reference='level'))`: categorical with treatment (dummy) coding;
/// - `I(expr)`: arithmetic inside (`+ - * /`, powers `^` or `**`, numbers, variables, and `log`, `log10`, `log2`,
///   `exp`, `sqrt`, `abs`); bare calls such as `log(x)` are allowed too;
/// - variable names in any script (Unicode letters, digits, `_`, `.`), or quoted with backticks (R) or `Q("…")`
///   (patsy) when they contain other characters.
/// Terms are ordered as R orders them: by interaction order (main effects first), then as written.
public struct ModelFormula: Sendable, Equatable, CustomStringConvertible {
    /// The formula as written.
    public let text: String
    /// Left-hand side (the response).
    public let response: FormulaExpression
    /// Label of the response, e.g. `samarbeid` or `log(y)`.
    public let responseLabel: String
    /// Right-hand-side terms, excluding the intercept.
    public let terms: [Term]
    /// Whether the model has an intercept (`(Intercept)` column).
    public let hasIntercept: Bool

    public var description: String { text }

    /// One term: a product of factors (one factor for a main effect, several for an interaction).
    public struct Term: Sendable, Equatable {
        public let factors: [Factor]
        /// `x`, `C(rolle)`, `x:z` …
        public var label: String { factors.map(\.label).joined(separator: ":") }
    }

    /// One factor of a term.
    public enum Factor: Sendable, Equatable {
        /// A bare variable: numeric columns enter as is, text columns as categorical (named `v[T.level]`).
        case variable(String)
        /// `C(v)` or `C(v, ref=level)`: categorical whatever the column type; `label` is the normalised text.
        case categorical(variable: String, reference: String?, label: String)
        /// `I(expr)` or a function call such as `log(x)`: a numeric column computed from the expression.
        case expression(FormulaExpression, label: String)

        public var label: String {
            switch self {
            case .variable(let v): return v
            case .categorical(_, _, let l): return l
            case .expression(_, let l): return l
            }
        }

        /// Variables this factor reads.
        public var variables: [String] {
            switch self {
            case .variable(let v): return [v]
            case .categorical(let v, _, _): return [v]
            case .expression(let e, _): return e.variables
            }
        }
    }

    /// Parses `text`. Throws `ModelFormulaError.syntax` with the 1-based column of the problem.
    public init(_ text: String) throws {
        self.text = text
        var parser = FormulaParser(text)
        let (lhs, lhsLabel, rhs) = try parser.parseFormula()
        response = lhs
        responseLabel = lhsLabel
        hasIntercept = rhs.intercept
        // R orders terms by degree, keeping the written order within a degree.
        terms = rhs.terms.enumerated().sorted { a, b in
            a.element.factors.count != b.element.factors.count
                ? a.element.factors.count < b.element.factors.count : a.offset < b.offset
        }.map(\.element)
    }

    /// All variables the formula reads (response first), without duplicates.
    public var variables: [String] {
        var seen = Set<String>(), out: [String] = []
        for v in response.variables + terms.flatMap({ $0.factors.flatMap(\.variables) }) where seen.insert(v).inserted {
            out.append(v)
        }
        return out
    }
}

/// An arithmetic expression inside `I(...)`, a function call, or the response.
public indirect enum FormulaExpression: Sendable, Equatable {
    case number(Double)
    case variable(String)
    case negate(FormulaExpression)
    case binary(BinaryOperator, FormulaExpression, FormulaExpression)
    case call(String, [FormulaExpression])

    public enum BinaryOperator: String, Sendable { case add = "+", subtract = "-", multiply = "*", divide = "/", power = "^" }

    /// Functions allowed in expressions.
    public static let functions: Set<String> = ["log", "log10", "log2", "exp", "sqrt", "abs", "I"]

    public var variables: [String] {
        switch self {
        case .number: return []
        case .variable(let v): return [v]
        case .negate(let e): return e.variables
        case .binary(_, let a, let b): return a.variables + b.variables
        case .call(_, let args): return args.flatMap(\.variables)
        }
    }
}

/// A formula that cannot be parsed; `column` is 1-based, counted in characters of `formula`.
public struct ModelFormulaError: Error, CustomStringConvertible, Equatable, Sendable {
    public let formula: String
    public let column: Int
    public let message: String

    public var description: String {
        "formula '\(formula)', column \(column): \(message)\n  \(formula)\n  \(String(repeating: " ", count: max(0, column - 1)))^"
    }
}

// MARK: - Tokenizer and parser

private enum TokenKind: Equatable {
    case name(String), number(Double, String), string(String)
    case op(String)  // ~ + - * / ^ ** : ( ) , =
    case end
}

private struct Token {
    let kind: TokenKind
    /// 0-based character offsets [start, end) in the formula.
    let start: Int
    let end: Int
}

private struct FormulaParser {
    let chars: [Character]
    let text: String
    var tokens: [Token] = []
    var pos = 0

    init(_ text: String) {
        self.text = text
        chars = Array(text)
    }

    func error(_ at: Int, _ message: String) -> ModelFormulaError {
        ModelFormulaError(formula: text, column: at + 1, message: message)
    }

    static func isNameStart(_ c: Character) -> Bool { c.isLetter || c == "_" || c == "." }
    static func isNameChar(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" || c == "." }

    mutating func tokenize() throws {
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c.isWhitespace { i += 1; continue }
            let start = i
            if c.isASCII && c.isNumber || (c == "." && i + 1 < chars.count && chars[i + 1].isASCII && chars[i + 1].isNumber) {
                var j = i
                while j < chars.count && (chars[j].isASCII && chars[j].isNumber || chars[j] == ".") { j += 1 }
                if j < chars.count && (chars[j] == "e" || chars[j] == "E") {
                    var k = j + 1
                    if k < chars.count && (chars[k] == "+" || chars[k] == "-") { k += 1 }
                    if k < chars.count && chars[k].isASCII && chars[k].isNumber {
                        j = k
                        while j < chars.count && chars[j].isASCII && chars[j].isNumber { j += 1 }
                    }
                }
                let s = String(chars[i..<j])
                guard let v = Double(s) else { throw error(i, "'\(s)' is not a number") }
                tokens.append(Token(kind: .number(v, s), start: start, end: j))
                i = j
            } else if Self.isNameStart(c) {
                var j = i
                while j < chars.count && Self.isNameChar(chars[j]) { j += 1 }
                tokens.append(Token(kind: .name(String(chars[i..<j])), start: start, end: j))
                i = j
            } else if c == "`" || c == "'" || c == "\"" {
                var j = i + 1
                while j < chars.count && chars[j] != c { j += 1 }
                guard j < chars.count else { throw error(i, "unterminated quote \(c)") }
                let s = String(chars[(i + 1)..<j])
                tokens.append(Token(kind: c == "`" ? .name(s) : .string(s), start: start, end: j + 1))
                i = j + 1
            } else if c == "*" && i + 1 < chars.count && chars[i + 1] == "*" {
                tokens.append(Token(kind: .op("**"), start: start, end: i + 2))
                i += 2
            } else if "~+-*/^:(),=".contains(c) {
                tokens.append(Token(kind: .op(String(c)), start: start, end: i + 1))
                i += 1
            } else {
                throw error(i, "unexpected character '\(c)'")
            }
        }
        tokens.append(Token(kind: .end, start: chars.count, end: chars.count))
    }

    var current: Token { tokens[pos] }

    func isOp(_ s: String) -> Bool { current.kind == .op(s) }

    mutating func expectOp(_ s: String) throws {
        guard isOp(s) else { throw error(current.start, "expected '\(s)'\(describeCurrent)") }
        pos += 1
    }

    var describeCurrent: String {
        switch current.kind {
        case .end: return " but the formula ended"
        case .op(let o): return " but found '\(o)'"
        case .name(let n): return " but found '\(n)'"
        case .number(_, let s): return " but found '\(s)'"
        case .string(let s): return " but found '\(s)'"
        }
    }

    /// Source text of tokens [a, b), whitespace removed except one space after commas.
    func label(from a: Int, to b: Int) -> String {
        var out = ""
        for k in a..<b {
            let t = tokens[k]
            let piece = String(chars[t.start..<t.end])
            out += piece
            if case .op(",") = t.kind { out += " " }
        }
        return out
    }

    mutating func parseFormula() throws -> (FormulaExpression, String, TermSet) {
        try tokenize()
        guard tokens.contains(where: { $0.kind == .op("~") }) else {
            throw error(0, "a model formula needs '~' between the response and the predictors, e.g. 'y ~ x'")
        }
        if isOp("~") { throw error(current.start, "missing response before '~'") }
        let lhsStart = pos
        let lhs = try parseExpression()
        let lhsLabel = label(from: lhsStart, to: pos)
        try expectOp("~")
        if case .end = current.kind { throw error(current.start, "missing predictors after '~' (use '1' for an intercept-only model)") }
        var rhs = try parseSum()
        guard case .end = current.kind else {
            if isOp("^") || isOp("**") {
                throw error(current.start, "powers of a variable go inside I(), e.g. I(x^2)")
            }
            throw error(current.start, "unexpected\(describeCurrent.replacingOccurrences(of: " but found", with: "")) here")
        }
        rhs.terms.removeAll { $0.factors.isEmpty }
        return (lhs, lhsLabel, rhs)
    }

    // Term algebra (patsy): '+'/'-' < '*' < ':'.
    struct TermSet {
        var terms: [ModelFormula.Term] = []
        var intercept = true
        var explicitNoIntercept = false

        mutating func add(_ other: TermSet) {
            for t in other.terms where !terms.contains(where: { Self.same($0, t) }) { terms.append(t) }
        }
        static func same(_ a: ModelFormula.Term, _ b: ModelFormula.Term) -> Bool {
            Set(a.factors.map(\.label)) == Set(b.factors.map(\.label))
        }
        static func interact(_ a: TermSet, _ b: TermSet) -> TermSet {
            var out = TermSet()
            for ta in a.terms {
                for tb in b.terms {
                    var f = ta.factors
                    for x in tb.factors where !f.contains(where: { $0.label == x.label }) { f.append(x) }
                    let t = ModelFormula.Term(factors: f)
                    if !out.terms.contains(where: { same($0, t) }) { out.terms.append(t) }
                }
            }
            return out
        }
    }

    mutating func parseSum() throws -> TermSet {
        var result = TermSet()
        var first = true
        var sign = "+"
        if isOp("-") { sign = "-"; pos += 1 } else if isOp("+") { pos += 1 }
        while true {
            let startTok = current
            let operand = try parseProduct()
            if let special = operand.special {
                switch (special, sign) {
                case (1, "+"): result.intercept = true
                case (1, "-"), (0, "+"): result.intercept = false
                case (0, "-"): result.intercept = true
                default: throw error(startTok.start, "only 0 and 1 may appear as terms")
                }
            } else if sign == "+" {
                result.add(operand.set)
            } else {
                result.terms.removeAll { t in operand.set.terms.contains { TermSet.same($0, t) } }
            }
            first = false
            if isOp("+") { sign = "+"; pos += 1 } else if isOp("-") { sign = "-"; pos += 1 } else { break }
        }
        _ = first
        return result
    }

    /// A product-level operand; `special` is 0 or 1 for the intercept literals.
    struct Operand { var set: TermSet; var special: Int? }

    mutating func parseProduct() throws -> Operand {
        var left = try parseInteraction()
        while isOp("*") {
            let at = current.start
            pos += 1
            let right = try parseInteraction()
            if left.special != nil || right.special != nil { throw error(at, "'*' cannot combine 0 or 1") }
            var s = left.set
            s.add(right.set)
            s.add(TermSet.interact(left.set, right.set))
            left = Operand(set: s, special: nil)
        }
        return left
    }

    mutating func parseInteraction() throws -> Operand {
        var left = try parseAtom()
        while isOp(":") {
            let at = current.start
            pos += 1
            let right = try parseAtom()
            if left.special != nil || right.special != nil { throw error(at, "':' cannot combine 0 or 1") }
            left = Operand(set: TermSet.interact(left.set, right.set), special: nil)
        }
        return left
    }

    mutating func parseAtom() throws -> Operand {
        let tok = current
        switch tok.kind {
        case .number(let v, let s):
            pos += 1
            guard v == 0 || v == 1 else { throw error(tok.start, "a number (\(s)) cannot be a term; wrap arithmetic in I(...)") }
            return Operand(set: TermSet(), special: Int(v))
        case .op("("):
            pos += 1
            let inner = try parseSum()
            try expectOp(")")
            var s = inner
            s.intercept = true
            return Operand(set: s, special: nil)
        case .name(let name):
            let startIndex = pos
            pos += 1
            if isOp("(") {
                if name == "C" { return try parseCategorical(startIndex) }
                if name == "Q" {  // patsy's Q("odd name")
                    pos += 1
                    guard case .string(let s) = current.kind else { throw error(current.start, "Q() takes a quoted variable name") }
                    pos += 1
                    try expectOp(")")
                    return single(.variable(s))
                }
                guard FormulaExpression.functions.contains(name) else {
                    throw error(tok.start, "unknown function '\(name)' (use C(), I(), log, log10, log2, exp, sqrt or abs)")
                }
                pos += 1
                let arg = try parseExpression()
                try expectOp(")")
                let expr: FormulaExpression = name == "I" ? arg : .call(name, [arg])
                return single(.expression(expr, label: label(from: startIndex, to: pos)))
            }
            return single(.variable(name))
        default:
            throw error(tok.start, "expected a variable, C(...), I(...) or a function call\(describeCurrent)")
        }
    }

    func single(_ f: ModelFormula.Factor) -> Operand {
        Operand(set: TermSet(terms: [ModelFormula.Term(factors: [f])]), special: nil)
    }

    mutating func parseCategorical(_ startIndex: Int) throws -> Operand {
        try expectOp("(")
        let variable: String
        switch current.kind {
        case .name(let n): variable = n
        case .string(let s): variable = s
        default: throw error(current.start, "C() needs a variable name\(describeCurrent)")
        }
        pos += 1
        var reference: String?
        if isOp(",") {
            pos += 1
            // ref=level | ref='level' | Treatment('level') | Treatment(reference='level') | reference=...
            if case .name(let kw) = current.kind, kw == "Treatment" || kw == "contr.treatment" {
                pos += 1
                try expectOp("(")
                if case .name(let k) = current.kind, k == "reference" || k == "ref" || k == "base" {
                    pos += 1
                    try expectOp("=")
                }
                reference = try parseLevelToken()
                try expectOp(")")
            } else if case .name(let kw) = current.kind, kw == "ref" || kw == "reference" || kw == "base" {
                pos += 1
                try expectOp("=")
                reference = try parseLevelToken()
            } else {
                throw error(current.start, "C() takes a reference level as 'ref=level'\(describeCurrent)")
            }
        }
        try expectOp(")")
        return single(.categorical(variable: variable, reference: reference, label: label(from: startIndex, to: pos)))
    }

    mutating func parseLevelToken() throws -> String {
        let t = current
        switch t.kind {
        case .name(let s), .string(let s):
            pos += 1
            // Unquoted levels may contain spaces-free words joined by '-' etc.; take the raw name.
            return s
        case .number(_, let s):
            pos += 1
            return s
        default:
            throw error(t.start, "expected a level name\(describeCurrent)")
        }
    }

    // Arithmetic expressions: sum < product < unary < power (right-assoc) < atom.
    mutating func parseExpression() throws -> FormulaExpression {
        var left = try parseTermExpr()
        while isOp("+") || isOp("-") {
            let op: FormulaExpression.BinaryOperator = isOp("+") ? .add : .subtract
            pos += 1
            left = .binary(op, left, try parseTermExpr())
        }
        return left
    }

    mutating func parseTermExpr() throws -> FormulaExpression {
        var left = try parseUnary()
        while isOp("*") || isOp("/") {
            let op: FormulaExpression.BinaryOperator = isOp("*") ? .multiply : .divide
            pos += 1
            left = .binary(op, left, try parseUnary())
        }
        return left
    }

    mutating func parseUnary() throws -> FormulaExpression {
        if isOp("-") { pos += 1; return .negate(try parseUnary()) }
        if isOp("+") { pos += 1; return try parseUnary() }
        return try parsePower()
    }

    mutating func parsePower() throws -> FormulaExpression {
        let base = try parseExprAtom()
        if isOp("^") || isOp("**") {
            pos += 1
            return .binary(.power, base, try parseUnary())
        }
        return base
    }

    mutating func parseExprAtom() throws -> FormulaExpression {
        let t = current
        switch t.kind {
        case .number(let v, _):
            pos += 1
            return .number(v)
        case .name(let n):
            pos += 1
            if isOp("(") {
                if n == "Q" {
                    pos += 1
                    guard case .string(let s) = current.kind else { throw error(current.start, "Q() takes a quoted variable name") }
                    pos += 1
                    try expectOp(")")
                    return .variable(s)
                }
                guard FormulaExpression.functions.contains(n) else {
                    throw error(t.start, "unknown function '\(n)' (allowed: log, log10, log2, exp, sqrt, abs, I)")
                }
                pos += 1
                let arg = try parseExpression()
                try expectOp(")")
                return n == "I" ? arg : .call(n, [arg])
            }
            return .variable(n)
        case .op("("):
            pos += 1
            let e = try parseExpression()
            try expectOp(")")
            return e
        default:
            throw error(t.start, "expected a number, variable or '('\(describeCurrent)")
        }
    }
}
