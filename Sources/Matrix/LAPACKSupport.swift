import CLapack

/// LAPACK's integer type in the Debian LP64 build of LAPACKE (`lapack_int` = `int32_t`).
typealias LapackInt = Int32

/// LAPACK's character arguments ("U", "N", "1" …) as C chars.
@inlinable func lapackChar(_ s: Unicode.Scalar) -> CChar { CChar(UInt8(ascii: s)) }

/// Turns a LAPACK `info` code into a Swift error.
/// - `info < 0`: argument `-info` was illegal (a bug on our side, reported rather than crashing).
/// - `info > 0`: routine-specific; `positive` maps it to the right error (singular, not SPD, …).
func checkLapack(_ routine: String, _ info: LapackInt,
                 positive: (Int) -> LinearAlgebraError = { .singular(routine: "", index: $0) }) throws {
    if info == 0 { return }
    if info < 0 { throw LinearAlgebraError.illegalArgument(routine: routine, argument: Int(-info)) }
    switch positive(Int(info)) {
    case .singular(_, let i): throw LinearAlgebraError.singular(routine: routine, index: i)
    case .notPositiveDefinite(_, let k): throw LinearAlgebraError.notPositiveDefinite(routine: routine, order: k)
    case let other: throw other
    }
}

extension Matrix {
    /// Throws unless the matrix is square.
    func requireSquare(_ what: String) throws {
        guard rows == columns else {
            throw LinearAlgebraError.dimensionMismatch("\(what) needs a square matrix, got \(rows)×\(columns)")
        }
    }

    /// Copies the given triangle onto the other one (LAPACK's symmetric routines fill only one).
    mutating func symmetrize(fromUpper: Bool) {
        for j in 0..<columns {
            for i in (j + 1)..<max(j + 1, rows) {
                if fromUpper { self[i, j] = self[j, i] } else { self[j, i] = self[i, j] }
            }
        }
    }
}
