/// A variable's declared missing codes and ranges in a form that is cheap to test per row (a short array scan
/// instead of a hash: surveys declare one to three codes).
struct MissingValueSet: Sendable {
    let codes: [Double]
    let ranges: [ClosedRange<Double>]

    init(_ variable: Variable) {
        codes = variable.missingCodes.sorted()
        ranges = variable.missingRanges
    }
    init(codes: [Double] = [], ranges: [ClosedRange<Double>] = []) { self.codes = codes; self.ranges = ranges }

    var isEmpty: Bool { codes.isEmpty && ranges.isEmpty }

    /// True for NaN (system missing) as well as for declared codes and ranges.
    @inline(__always) func contains(_ v: Double) -> Bool {
        if v.isNaN { return true }
        for c in codes where c == v { return true }
        for r in ranges where r.contains(v) { return true }
        return false
    }
}
