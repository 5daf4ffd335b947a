import Foundation
import XCTest
@testable import SurveyReport

final class FiguresTests: XCTestCase {
    /// The bundled report: its figure catalogue and a renderer over the reconstructed datasets.
    private func bundledReport() throws -> (FigureCatalogue, FigureRenderer) {
        let dir = reconstructionPackageRoot.appendingPathComponent("datasets/afi-2020")
        let spec = try ReconstructionSpec.load(path: dir.appendingPathComponent("reconstruction.yaml").path)
        let cat = try FigureCatalogue.load(path: dir.appendingPathComponent("figures.yaml").path)
        let reg = try ClaimRegistry.load(contentsOf: dir.appendingPathComponent("claims.yaml"))
        return (cat, try FigureRenderer(spec: spec, catalogue: cat, registry: reg, dataDirectory: dir.path))
    }

    func testCatalogueHasAll81FiguresAnd5Tables() throws {
        let dir = reconstructionPackageRoot.appendingPathComponent("datasets/afi-2020")
        let cat = try FigureCatalogue.load(path: dir.appendingPathComponent("figures.yaml").path)
        XCTAssertEqual(cat.figures.filter { $0.kind == "figur" }.map(\.number), Array(1...81))
        XCTAssertEqual(cat.figures.filter { $0.kind == "tabell" }.map(\.number), Array(1...5))
    }

    /// Golden test: figure 23 rendered as Markdown from the committed data. Regenerate the golden file with
    /// `surveystats figure 23 --format markdown > Tests/SurveyReportTests/Golden/figur-23.md` after an intended change.
    func testFigure23MarkdownGolden() throws {
        let (cat, r) = try bundledReport()
        let table = try r.render(try XCTUnwrap(cat.figure(23)))
        XCTAssert(table.notes.contains { $0.contains("reconstructed synthetic respondents, not AFI's data") })
        let md = TableExporter.renderText([table], as: .markdown)
        let golden = try String(contentsOf: reconstructionPackageRoot
            .appendingPathComponent("Tests/SurveyReportTests/Golden/figur-23.md"), encoding: .utf8)
        XCTAssertEqual(md, golden)
    }

    /// Published table cells are numbers with their printed decimals (XLSX stores numbers, one decimal convention
    /// per table); text claims stay text; every table says whether it holds synthetic numbers.
    func testPublishedCellsAreNumbersAndTablesSayWhatIsSynthetic() throws {
        let (cat, renderer) = try bundledReport()
        var r = renderer
        let t1 = try r.render(try XCTUnwrap(cat.table(1)))
        let cells = t1.rows.flatMap { $0.dropFirst() }
        XCTAssertTrue(cells.contains(.number(952, decimals: 0)), "\(t1.rows)")
        XCTAssertFalse(cells.contains { if case .text = $0 { return true } else { return false } }, "\(t1.rows)")
        for f in cat.figures {
            let t = try r.render(f)
            XCTAssertTrue(t.notes.contains { $0.contains("synthetic") }, f.id)
        }
        XCTAssertEqual(FigureRenderer.publishedCell("Om lag 1/3"), .text("Om lag 1/3"))
        XCTAssertEqual(FigureRenderer.publishedCell("952"), .number(952, decimals: 0))
        // A verbal claim gets no percent sign; numbers quoted in «Publisert» follow the locale.
        let f23 = try r.render(try XCTUnwrap(cat.figure(23)))
        let publisert = f23.rows.compactMap { if case .text(let s) = $0.last { return s } else { return nil } }.joined()
        XCTAssertTrue(publisert.contains(": flertallet (text-249"), publisert)
        XCTAssertFalse(publisert.contains("flertallet %"), publisert)
        r.locale = .norwegian
        let t4 = try r.render(try XCTUnwrap(cat.table(4)))
        XCTAssertTrue(TableExporter.renderText([t4], as: .text, options: ExportOptions(locale: .norwegian)).contains("24,2"))
    }

    func testCaptionsLoseLaTeXResidue() throws {
        XCTAssertEqual(FigureCatalogue.cleanCaption("Figur 39: Veilederes ( $n=1044$ ) vurdering"), "Figur 39: Veilederes (n=1044) vurdering")
        let dir = reconstructionPackageRoot.appendingPathComponent("datasets/afi-2020")
        let cat = try FigureCatalogue.load(path: dir.appendingPathComponent("figures.yaml").path)
        XCTAssertFalse(cat.figures.contains { $0.caption?.contains("$") ?? false })
        XCTAssertTrue(try XCTUnwrap(cat.figure(39)?.caption).contains("Veilederes (n=1044) vurdering"))
    }

    /// Tabell 3 as printed: the registry keeps 26,03 and its stars apart; the table shows «26,03**» where the
    /// report does (text: a number with stars), the unstarred cells as numbers, and the legend quoted from under
    /// the table.
    func testTable3KeepsThePublishedStarsAndTheirLegend() throws {
        let (cat, renderer) = try bundledReport()
        var r = renderer
        r.locale = .norwegian
        let table = try r.render(try XCTUnwrap(cat.table(3)))
        let lite = try XCTUnwrap(table.rows.first { $0.first == .text("Lite kontor") })
        XCTAssertEqual(lite[5], .text("26,03**"))
        XCTAssertEqual(lite[6], .number(8.35, decimals: 2))
        XCTAssertEqual(lite[7], .text("15,98**"))
        let stort = try XCTUnwrap(table.rows.first { $0.first == .text("Stort kontor") })
        XCTAssertEqual(stort.last, .number(3.86, decimals: 2))
        XCTAssert(table.notes.contains("As printed under the table: ** p ≤ 0.05 (tab3-signifikansnivaa)."), "\(table.notes)")
        r.locale = .standard
        XCTAssertEqual(try r.render(try XCTUnwrap(cat.table(3))).rows[0][5], .text("26.03**"))
        XCTAssertEqual(FigureCatalogue.cleanCaption("\\*\\*  $p \\leq 0.05$"), "** p ≤ 0.05")
    }

    /// The «Publisert» column never credits the data with a number they do not give: a claim the reconstruction
    /// misses (Figur 72's 79 %, contradicted by the report's own 74 %) is marked «ikke reprodusert» with the
    /// reconstructed value, and is not counted; the caption's n (Figur 42: n=1025) is every item's n for its group.
    func testPublishedColumnMarksWhatIsNotReproducedAndCaptionNHolds() throws {
        let (cat, r) = try bundledReport()
        let f72 = try r.render(try XCTUnwrap(cat.figure(72)))
        let cells = f72.rows.compactMap { row -> String? in if case .text(let s) = row.last { return s } else { return nil } }
        let missed = try XCTUnwrap(cells.first { $0.contains("fig72-spesialkunnskaper-79") })
        XCTAssert(missed.contains("(fig72-spesialkunnskaper-79), ikke reprodusert: rekonstruert 74."), missed)
        XCTAssert(f72.notes.contains { $0.contains("1 not («ikke reprodusert»") }, "\(f72.notes)")
        let f42 = try r.render(try XCTUnwrap(cat.figure(42)))
        let ns = f42.rows.compactMap { row -> Int? in
            if case .text("Veiledere") = row[1], case .integer(let n) = row[2] { return n } else { return nil }
        }
        XCTAssertEqual(ns, [1025, 1025, 1025, 1025])
        XCTAssertFalse(f42.notes.contains { $0.contains("caption's n") })
        XCTAssert(try r.render(try XCTUnwrap(cat.figure(7))).notes.contains { $0.contains("The caption's n (218) is not reproduced") })
    }
}
