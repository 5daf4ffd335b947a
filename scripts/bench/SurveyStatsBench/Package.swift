// swift-tools-version:6.0
// Benchmark driver for SurveyStats. Deliberately NOT part of the main Package.swift (CI never builds it):
// scripts/bench/run builds it in release mode and times it next to numpy/pandas/statsmodels/DuckDB.
import PackageDescription

let package = Package(
    name: "SurveyStatsBench",
    dependencies: [.package(name: "SurveyStats", path: "../../..")],
    targets: [
        .executableTarget(
            name: "surveystats-bench",
            dependencies: [.product(name: "SurveyStats", package: "SurveyStats"),
                           .product(name: "Matrix", package: "SurveyStats")]
        ),
    ],
    swiftLanguageModes: [.v5]
)
