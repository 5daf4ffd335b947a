import Foundation
import XCTest
@testable import SurveyStats

/// Wide tables (regressions with long term names, crosstabs with many columns) are scaled down to the line width,
/// narrow ones keep their natural size; compiled with pdflatex where it is installed (else skipped).
final class LaTeXWidthTests: XCTestCase {
    static func regression(term: String) -> ResultTable {
        ResultTable(
            title: "OLS regression: samarbeid ~ likeverd + C(rolle)",
            columns: ["Term", "Estimate", "Robust SE (HC1)", "t", "p", "95% CI lower", "95% CI upper", "Standardised β", "VIF", "Partial η²"],
            rows: (1...6).map { i in
                [.text(term + " \(i)]"), .number(0.123456, decimals: 4), .number(0.0456, decimals: 4),
                 .number(2.71, decimals: 3), .pValue(0.0071), .number(-0.4567, decimals: 4), .number(1.2345, decimals: 4),
                 .number(0.321, decimals: 4), .number(1.234, decimals: 3), .number(0.0123, decimals: 4)]
            })
    }
    /// Too wide as a plain tabular.
    static let wide = regression(term: "C(rolle)[T.mellomleder")
    /// Too wide with a wrapping term column (cells over 40 characters): the other columns leave it nothing.
    static let wideWrapping = regression(term: "C(rolle)[T.mellomleder med personalansvar for Nav-kontoret")
    static let narrow = ResultTable(title: "Tillit", columns: ["Rolle", "n"], rows: [[.text("Ordfører"), .integer(12)]])

    func testEveryTableIsSetInTheFitEnvironment() {
        let tex = LaTeXTableRenderer.render([Self.wide, Self.narrow, Self.wideWrapping])
        let lines = tex.components(separatedBy: "\n")
        XCTAssertTrue(lines[0].contains("\\usepackage{graphicx} (shrinks a table wider than the line)"), lines[0])
        XCTAssertEqual(lines[2], LaTeXTableRenderer.fitDefinition)
        XCTAssertEqual(tex.components(separatedBy: "\\begin{surveystatsfit}\n\\begin{tabular}").count, 3, tex)
        XCTAssertEqual(tex.components(separatedBy: "\\end{tabular}\n\\end{surveystatsfit}\n").count, 3, tex)
        // The wrapping table: least X width from its longest word ("C(rolle)[T.mellomleder" + 1: 23 × 0.55em → 13em).
        XCTAssertTrue(tex.contains("\\surveystatsfitx{13em}{1}{>{\\setbox0=\\hbox\\bgroup}l<{\\egroup}rrrrrrrrr}"
                                   + "{>{\\raggedright\\arraybackslash}Xrrrrrrrrr}{%\n\\toprule\n"), tex)
        XCTAssertEqual(tex.components(separatedBy: "\\bottomrule\n}\n").count, 2, tex)
        // A long header over a number column wraps in 5em, or its longest word ("Standardised": 12 × 0.55em → 7em).
        XCTAssertTrue(tex.contains("\\multicolumn{1}{p{7em}}{\\raggedleft Standardised β}") || tex.contains("\\multicolumn{1}{p{7em}}{\\raggedleft Standardised $\\beta$}"), tex)
        XCTAssertTrue(tex.contains("\\multicolumn{1}{p{5em}}{\\raggedleft Robust SE (HC1)}"), tex)
        XCTAssertEqual(LaTeXTableRenderer.minimumXWidth(ResultTable(title: "", columns: ["a"], rows: [[.text(String(repeating: "x", count: 80))]]),
                                                        wraps: [true], options: ExportOptions()), "25em")
    }

    /// Compiles the wide and the narrow table (the fragment twice, as a document \input-ing several would) with the
    /// documented preamble: no overfull box, and only the wide table is scaled. Without graphicx the fragment still
    /// compiles (the wide table keeps its width).
    func testWideTablesFitTheLineWithPdflatex() throws {
        guard let pdflatex = ["/usr/bin/pdflatex", "/usr/local/bin/pdflatex"].first(where: FileManager.default.isExecutableFile) else {
            throw XCTSkip("pdflatex is not installed")
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("latex-width-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let fragment = LaTeXTableRenderer.render([Self.wide, Self.narrow, Self.wideWrapping], options: ExportOptions(locale: .norwegian))
        try fragment.write(to: dir.appendingPathComponent("t.tex"), atomically: true, encoding: .utf8)
        let header = try XCTUnwrap(fragment.components(separatedBy: "\n").first)
        let regex = try NSRegularExpression(pattern: #"\\usepackage(\[[^\]]*\])?\{[^}]*\}"#)
        let packages = regex.matches(in: header, range: NSRange(header.startIndex..., in: header)).compactMap {
            Range($0.range, in: header).map { String(header[$0]) }
        }
        XCTAssertEqual(packages.count, 6, header)

        func compile(_ packages: [String]) throws -> (status: Int32, log: String) {
            // Counts the scalings: a \resizebox that says so in the log.
            let spy = packages.contains("\\usepackage{graphicx}")
                ? "\\let\\origresizebox\\resizebox\\renewcommand\\resizebox[2]{\\typeout{surveystats-scaled}\\origresizebox{#1}{#2}}\n" : ""
            let doc = "\\documentclass{article}\n" + packages.joined(separator: "\n") + "\n\\begin{document}\n" + spy
                + "\\input{t.tex}\n\\input{t.tex}\n\\end{document}\n"
            try doc.write(to: dir.appendingPathComponent("doc.tex"), atomically: true, encoding: .utf8)
            let p = Process()
            p.executableURL = URL(fileURLWithPath: pdflatex)
            p.arguments = ["-interaction=nonstopmode", "-halt-on-error", "doc.tex"]
            p.currentDirectoryURL = dir
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            p.waitUntilExit()
            let log = (try? String(contentsOf: dir.appendingPathComponent("doc.log"), encoding: .isoLatin1)) ?? ""
            return (p.terminationStatus, log)
        }
        let fitted = try compile(packages)
        XCTAssertEqual(fitted.status, 0, String(fitted.log.suffix(2000)))
        XCTAssertFalse(fitted.log.contains("Overfull \\hbox"), String(fitted.log.suffix(3000)))
        XCTAssertEqual(fitted.log.components(separatedBy: "surveystats-scaled").count - 1, 4, "the wide tables, twice; not the narrow one")

        let plain = try compile(packages.filter { $0 != "\\usepackage{graphicx}" })
        XCTAssertEqual(plain.status, 0, String(plain.log.suffix(2000)))
        XCTAssertTrue(plain.log.contains("Overfull \\hbox"), "the wide table really is wider than the line")
    }
}
