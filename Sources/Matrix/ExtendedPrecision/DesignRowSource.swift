/// Supplies the rows of a least-squares design in any working precision.
///
/// Why rows and not a `Matrix`: derived columns such as x¹⁰ (NIST Filip) must be computed in the working
/// precision. Rounding each power to `Double` first perturbs every element by up to 1.1e-16 relatively, which
/// an ill-conditioned design (Filip's scaled condition number is 5e9) turns into errors near 1e-7 in the
/// coefficients, whatever precision the QR is carried out in. A source that evaluates x¹⁰ in `T` avoids that.
public protocol DesignRowSource: Sendable {
    var rowCount: Int { get }
    var columnCount: Int { get }
    /// Writes row `i` (`columnCount` values) into `row`, evaluated in precision `T`.
    func fillRow<T: ExtendedReal>(_ i: Int, into row: inout [T])
    /// The design's columns in double when they exist (lets the double path read columns without per-row calls).
    var doubleColumns: DoubleColumns? { get }
}

extension DesignRowSource {
    public var doubleColumns: DoubleColumns? { nil }
}

extension Matrix: DesignRowSource {
    public var rowCount: Int { rows }
    public var columnCount: Int { columns }
    public var doubleColumns: DoubleColumns? { DoubleColumns(self) }
    public func fillRow<T: ExtendedReal>(_ i: Int, into row: inout [T]) {
        for j in 0..<columns { row[j] = T(storage[i + j * rows]) }
    }
}
