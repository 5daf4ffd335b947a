@testable import SurveyStats

/// The table every exporter test renders: Norwegian letters, LaTeX/HTML/CSV special characters, a negative
/// zero after rounding, an undefined number, an empty cell and p-values in each star band.
enum ExportTestTable {
    static let table = ResultTable(
        title: "Tillit etter rolle",
        columns: ["Rolle", "n", "Gjennomsnitt", "p"],
        rows: [
            [.text("Ordfører"), .integer(12), .number(3.14159, decimals: 2), .pValue(0.0004)],
            [.text("Rådmann"), .integer(7), .number(-0.001, decimals: 2), .pValue(0.034)],
            [.text("Enhetsleder & co_1% \"x\""), .empty, .number(.nan, decimals: 2), .pValue(0.5)],
        ],
        notes: ["Kilde: test; n = 19"])
}
