/// Failures reported by LAPACK (`info` codes) and by shape checks, as Swift errors with a message.
public enum LinearAlgebraError: Error, CustomStringConvertible, Equatable, Sendable {
    /// Operand shapes do not fit the operation.
    case dimensionMismatch(String)
    /// LAPACK routine `routine` returned `info < 0`: argument number `-info` was illegal (a bug on our side).
    case illegalArgument(routine: String, argument: Int)
    /// The matrix is singular: a zero pivot at (1-based) position `index`.
    case singular(routine: String, index: Int)
    /// The matrix is not positive definite: the leading minor of order `order` is not positive.
    case notPositiveDefinite(routine: String, order: Int)
    /// Input no factorisation can use (non-finite values, non-positive weights …).
    case invalidInput(String)

    public var description: String {
        switch self {
        case .dimensionMismatch(let s): return "dimension mismatch: \(s)"
        case .illegalArgument(let r, let a): return "\(r): argument \(a) had an illegal value"
        case .singular(let r, let i): return "\(r): matrix is singular (zero pivot at position \(i))"
        case .notPositiveDefinite(let r, let k): return "\(r): matrix is not positive definite (leading minor of order \(k))"
        case .invalidInput(let s): return s
        }
    }
}
