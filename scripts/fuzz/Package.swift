// swift-tools-version:6.0
// Fuzz targets for SurveyStats' CSV reader and codebook parser (libFuzzer). Kept out of the main package so that
// `-sanitize=fuzzer` never touches the normal build; `scripts/fuzz/run` builds and runs them.
// The main package is reached through the symlink `.deps/SurveyStats` (created by `run`), so that its package
// identity is `SurveyStats` whatever the checkout directory is called.
import PackageDescription

let fuzzFlags: [SwiftSetting] = [.unsafeFlags(["-parse-as-library"])]

let package = Package(
    name: "SurveyStatsFuzz",
    dependencies: [.package(path: ".deps/SurveyStats")],
    targets: [
        .executableTarget(name: "FuzzCSV", dependencies: [.product(name: "SurveyStats", package: "SurveyStats")],
                          swiftSettings: fuzzFlags),
        .executableTarget(name: "FuzzCodebook", dependencies: [.product(name: "SurveyStats", package: "SurveyStats")],
                          swiftSettings: fuzzFlags),
    ],
    swiftLanguageModes: [.v5]
)
