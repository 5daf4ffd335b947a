import Foundation

extension CrossTab {
    /// `expectedCountWarning` with its numbers in `locale`'s style ("50,0 %", "minimum 4,47" with `.norwegian`),
    /// for table notes; JSON and stderr keep the decimal point of `expectedCountWarning`.
    public func expectedCountWarning(locale: ExportLocale) -> String? {
        guard let w = expectedCountWarning, locale != .standard else { return expectedCountWarning }
        let share = locale.format(100 * shareExpectedBelow5, decimals: 1)
        let minimum = locale.format(minimumExpected, decimals: 2)
        return w.replacingOccurrences(of: "(\(ExportLocale.standard.format(100 * shareExpectedBelow5, decimals: 1)) %)", with: "(\(share) %)")
            .replacingOccurrences(of: "(minimum \(ExportLocale.standard.format(minimumExpected, decimals: 2)))", with: "(minimum \(minimum))")
    }
}
