import Foundation
import XCTest
@testable import SurveyReport

final class FiguresTests: XCTestCase {
    func testCatalogueHasAll81FiguresAnd5Tables() throws {
        let dir = reconstructionPackageRoot.appendingPathComponent("datasets/afi-2020")
        let cat = try FigureCatalogue.load(path: dir.appendingPathComponent("figures.yaml").path)
        XCTAssertEqual(cat.figures.filter { $0.kind == "figur" }.map(\.number), Array(1...81))
        XCTAssertEqual(cat.figures.filter { $0.kind == "tabell" }.map(\.number), Array(1...5))
    }

    /// Golden test: figure 23 rendered as Markdown from the committed data. Regenerate the golden file with
    /// `surveystats figure 23 --format markdown > Tests/SurveyReportTests/Golden/figur-23.md` after an intended change.
    func testFigure23MarkdownGolden() throws {
        let dir = reconstructionPackageRoot.appendingPathComponent("datasets/afi-2020")
        let spec = try ReconstructionSpec.load(path: dir.appendingPathComponent("reconstruction.yaml").path)
        let cat = try FigureCatalogue.load(path: dir.appendingPathComponent("figures.yaml").path)
        let reg = try ClaimRegistry.load(contentsOf: dir.appendingPathComponent("claims.yaml"))
        let r = try FigureRenderer(spec: spec, catalogue: cat, registry: reg, dataDirectory: dir.path)
        let table = try r.render(try XCTUnwrap(cat.figure(23)))
        XCTAssert(table.notes.contains { $0.contains("reconstructed synthetic respondents, not AFI's data") })
        let md = TableExporter.renderText([table], as: .markdown)
        let golden = try String(contentsOf: reconstructionPackageRoot
            .appendingPathComponent("Tests/SurveyReportTests/Golden/figur-23.md"), encoding: .utf8)
        XCTAssertEqual(md, golden)
    }

    /// Tabell 3 as printed: the registry keeps 26,03 and its stars apart; the table shows «26,03**» where the
    /// report does, the unstarred cells plain, and the legend quoted from under the table.
    func testTable3KeepsThePublishedStarsAndTheirLegend() throws {
        let dir = reconstructionPackageRoot.appendingPathComponent("datasets/afi-2020")
        let spec = try ReconstructionSpec.load(path: dir.appendingPathComponent("reconstruction.yaml").path)
        let cat = try FigureCatalogue.load(path: dir.appendingPathComponent("figures.yaml").path)
        let reg = try ClaimRegistry.load(contentsOf: dir.appendingPathComponent("claims.yaml"))
        let r = try FigureRenderer(spec: spec, catalogue: cat, registry: reg, dataDirectory: dir.path)
        let table = try r.render(try XCTUnwrap(cat.table(3)))
        let lite = try XCTUnwrap(table.rows.first { $0.first == .text("Lite kontor") })
        XCTAssertEqual(Array(lite.dropFirst()), ["61,22", "35,19", "52,87", "45,24", "26,03**", "8,35", "15,98**"].map { .text($0) })
        let stort = try XCTUnwrap(table.rows.first { $0.first == .text("Stort kontor") })
        XCTAssertEqual(stort.last, .text("3,86"))
        XCTAssert(table.notes.contains("As printed under the table: ** p ≤ 0.05 (tab3-signifikansnivaa)."), "\(table.notes)")
    }
}
