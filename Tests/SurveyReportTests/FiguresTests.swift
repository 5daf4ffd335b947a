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
}
