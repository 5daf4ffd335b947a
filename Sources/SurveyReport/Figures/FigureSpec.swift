import Foundation
import Yams

/// One figure or appendix table of the report as a declarative spec (`datasets/afi-2020/figures.yaml`).
/// Items name their variables through the codebooks, never by position, so a spec runs unchanged on the original
/// survey files when their codebooks use the same names.
public struct FigureSpec: Codable, Sendable {
    /// `figur-23`, `tabell-3`.
    public var id: String
    /// `figur` or `tabell`.
    public var kind: String
    public var number: Int
    public var caption: String?
    public var section: String?
    public var line: Int?
    public var years: [Int]?
    /// Datasets (reconstruction ids) the figure draws on; empty when its survey survives only as aggregates.
    public var surveys: [String]?
    /// mean, percent-distribution, top-box, multiple-response (figures); free text for tables.
    public var statistic: String?
    /// Categories counted by a top-box statistic.
    public var topBox: [Int]?
    public var groups: [Group]?
    public var items: [Item]?
    public var scale: Scale?
    public var rows: [String]?
    public var dataset: String?
    public var notes: String?
    /// Ids of the claims about this figure/table in the claims registry.
    public var claims: [String]?

    public struct Group: Codable, Sendable {
        public var label: String
        public var dataset: String
        public var `where`: [String: [Int]]
        public var ref: ReconstructionSpec.GroupRef { .init(dataset: dataset, where: self.where) }
    }
    public struct Item: Codable, Sendable { public var variable: String; public var text: String }
    public struct Scale: Codable, Sendable { public var family: String?; public var description: String? }

    /// The file name stem used by `surveystats report`: `figur-23`, `tabell-3`.
    public var fileStem: String { id }
}

public struct FigureCatalogue: Codable, Sendable {
    public var figures: [FigureSpec]

    public static func load(path: String) throws -> FigureCatalogue {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DataError.io(path: path, message: FileManager.default.fileExists(atPath: path)
                ? "cannot read figure specs" : "no such file")
        }
        do {
            var cat = try YAMLDecoder().decode(FigureCatalogue.self, from: String(decoding: data, as: UTF8.self))
            for i in cat.figures.indices { cat.figures[i].caption = cat.figures[i].caption.map(cleanCaption) }
            return cat
        } catch {
            throw DataError.invalid("\(path): " + YAMLDiagnostics.describe(error, what: "figure-spec", topKey: "figures"))
        }
    }

    /// Removes LaTeX/Markdown residue of the PDF-to-text conversion from a caption or a quote: "Veilederes
    /// ( $n=1044$ ) vurdering" → "Veilederes (n=1044) vurdering", "\\*\\*  $p \\leq 0.05$" → "** p ≤ 0.05". Inline
    /// math `$…$` keeps its content (with ≤ and ≥ for `\\leq`, `\\geq`); the spaces inside parentheses go.
    public static func cleanCaption(_ caption: String) -> String {
        guard caption.contains("$") || caption.contains("\\") else { return caption }
        var s = caption.replacingOccurrences(of: #"\$([^$]*)\$"#, with: "$1", options: .regularExpression)
        s = s.replacingOccurrences(of: #"\\(leq|le)\b\s*"#, with: "≤ ", options: .regularExpression)
        s = s.replacingOccurrences(of: #"\\(geq|ge)\b\s*"#, with: "≥ ", options: .regularExpression)
        s = s.replacingOccurrences(of: "\\*", with: "*")
        s = s.replacingOccurrences(of: #"\(\s+"#, with: "(", options: .regularExpression)
        s = s.replacingOccurrences(of: #"\s+\)"#, with: ")", options: .regularExpression)
        s = s.replacingOccurrences(of: #"\s{2,}"#, with: " ", options: .regularExpression)
        return s.trimmingCharacters(in: .whitespaces)
    }

    public func figure(_ n: Int) -> FigureSpec? { figures.first { $0.kind == "figur" && $0.number == n } }
    public func table(_ n: Int) -> FigureSpec? { figures.first { $0.kind == "tabell" && $0.number == n } }
}
