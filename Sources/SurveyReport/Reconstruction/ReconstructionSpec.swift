import Foundation
import Yams

/// The reconstruction spec (`datasets/afi-2020/reconstruction.yaml`): for each survey the respondent counts per
/// group, the item variables with their scales, and the published numbers (targets) the synthetic respondents
/// must reproduce. Generated from the catalogue by `scripts/figures/generate_specs.py`.
public struct ReconstructionSpec: Codable, Sendable {
    public var version: Int
    public var seed: UInt64
    public var note: String?
    /// Code written for "vet ikke / ubesvart"; the CSV leaves such cells empty and the codebook documents why.
    public var missingCode: Int
    public var missingLabel: String
    public var datasets: [DatasetSpec]
    /// Claims that could not be turned into a target on the microdata, with the reason.
    public var untargeted: [Untargeted]

    public struct Untargeted: Codable, Sendable { public var claim: String; public var reason: String }

    public struct DatasetSpec: Codable, Sendable {
        public var id: String
        public var file: String
        public var codebook: String
        public var rows: Int
        public var compositionSource: String?
        public var groupings: [Grouping]
        public var variables: [VariableSpec]
        public var targets: [Target]
    }

    public struct Grouping: Codable, Sendable {
        public var variable: String
        public var label: String
        public var cells: [Cell]
        public struct Cell: Codable, Sendable { public var code: Int; public var label: String; public var n: Int }
    }

    public struct VariableSpec: Codable, Sendable {
        public var name: String
        public var label: String
        public var figures: [Int]
        /// likert, binary, nominal or numeric.
        public var kind: String
        public var min: Int
        public var max: Int
        public var labels: [Int: String]?
        public var family: String?
    }

    /// A respondent group: rows of `dataset` whose grouping variables hold one of the listed codes.
    public struct GroupRef: Codable, Sendable, Hashable {
        public var dataset: String
        public var `where`: [String: [Int]]
    }

    public struct Target: Codable, Sendable {
        public var claim: String
        /// percent, mean, n, welch-t, direction-mean, direction-percent, regression.
        public var statistic: String
        public var variable: String
        public var categories: [Int]?
        public var groups: [GroupRef]?
        public var groupsA: [GroupRef]?
        public var groupsB: [GroupRef]?
        /// greater, less, different, not-significant.
        public var relation: String?
        public var published: String?
        public var qualifier: String?
        /// Acceptance interval [lo, hi] of the statistic (percent on 0–100).
        public var interval: [Double]?
        public var pInterval: [Double]?
        public var predictor: String?
        /// Regression: complete cases. Percent/mean: the base n the claim states (its figure caption), which the
        /// item's valid answers in the group must equal.
        public var n: Int?
        public var fInterval: [Double]?
        public var r2Interval: [Double]?
        /// Weight of the target's penalty in the search (default 1). Lowered only for a published number the audit
        /// shows to contradict the report's other numbers, so that the search does not give up the others for it;
        /// `verify` still recomputes and reports it.
        public var weight: Double?
    }

    public static func load(path: String) throws -> ReconstructionSpec {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DataError.io(path: path, message: FileManager.default.fileExists(atPath: path)
                ? "cannot read reconstruction spec" : "no such file")
        }
        do {
            return try YAMLDecoder().decode(ReconstructionSpec.self, from: String(decoding: data, as: UTF8.self))
        } catch {
            throw DataError.invalid("\(path): " + YAMLDiagnostics.describe(error, what: "reconstruction-spec", topKey: "datasets"))
        }
    }
}
