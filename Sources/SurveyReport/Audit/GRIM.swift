import Foundation

/// GRIM (Brown & Heathers 2017) for percentages and means of integer data: which integer totals k out of n print
/// as the published value at its precision.
public enum GRIM {
    /// The integer counts k (0…n·scaleMax) with k/n (×100 for percentages) inside the printed value's rounding
    /// interval. For a mean of integer item scores, k is the sum of scores.
    /// - Parameters:
    ///   - interval: the printed value's acceptance interval (e.g. [35.185, 35.195) for "35,19").
    ///   - n: the number of respondents.
    ///   - percent: true for percentages (k/n·100), false for means (k/n).
    ///   - maxPerUnit: the largest score one respondent contributes (1 for percentages, 5 for a 1–5 mean).
    public static func attainableCounts(in interval: AcceptanceInterval, n: Int, percent: Bool,
                                        maxPerUnit: Int = 1) -> [Int] {
        guard n > 0 else { return [] }
        let scale = percent ? 100.0 / Double(n) : 1.0 / Double(n)
        let lo = max(0, Int((interval.lo / scale).rounded(.down)) - 1)
        let hi = min(n * maxPerUnit, Int((interval.hi / scale).rounded(.up)) + 1)
        guard lo <= hi else { return [] }
        return (lo...hi).filter { interval.contains(Double($0) * scale) }
    }

    /// Whether granularity makes the check informative: some value in the printed precision is unattainable.
    public static func isInformative(halfUnit: Double, n: Int, percent: Bool) -> Bool {
        let step = percent ? 100.0 / Double(n) : 1.0 / Double(n)
        return step > 2 * halfUnit
    }
}
