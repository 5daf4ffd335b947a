// swift-tools-version:6.0
// SurveyStats — survey statistics that reproduce AFI-rapport 2020:09 «Nav i en ny tid?».
//
// Layering (a lower layer never imports a higher one):
//   CLapack / CReadStat / CXlsxWriter  (thin C shims over Debian's -dev packages)
//   → Matrix                           (BLAS/LAPACK-backed dense linear algebra)
//   → SurveyStats                      (numerics, data, statistics, exports)
//   → SurveyReport                     (published claims, audit, figure specs, reconstruction)
//   → surveystats                      (the command-line tool)
import PackageDescription

let package = Package(
    name: "SurveyStats",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "Matrix", targets: ["Matrix"]),
        .library(name: "SurveyStats", targets: ["SurveyStats"]),
        .library(name: "SurveyReport", targets: ["SurveyReport"]),
        .executable(name: "surveystats", targets: ["surveystats"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
    ],
    targets: [
        .systemLibrary(name: "CLapack", path: "Sources/CLapack"),
        .systemLibrary(name: "CReadStat", path: "Sources/CReadStat"),
        .systemLibrary(name: "CXlsxWriter", path: "Sources/CXlsxWriter"),
        // The tall-skinny QR's fold kernel, AVX2+FMA and baseline from one C source, dispatched at run time
        // (Sources/CHouseholderKernel/README.md: why C — no unsafeFlags).
        .target(name: "CHouseholderKernel", exclude: ["README.md"]),
        .target(name: "Matrix", dependencies: ["CLapack", "CHouseholderKernel"], exclude: ["README.md"]),
        .target(
            name: "SurveyStats",
            dependencies: ["Matrix", "CReadStat", "CXlsxWriter", .product(name: "Yams", package: "Yams")],
            exclude: ["README.md", "Numerics/README.md", "Statistics/README.md", "Regression/README.md",
                      "Data/CODEBOOK.md", "Export/README.md"]
        ),
        .target(
            name: "SurveyReport",
            dependencies: ["SurveyStats", .product(name: "Yams", package: "Yams")]
        ),
        .executableTarget(
            name: "surveystats",
            dependencies: [
                "SurveyStats", "SurveyReport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "MatrixTests", dependencies: ["Matrix"]),
        .testTarget(name: "SurveyStatsTests", dependencies: ["SurveyStats"], resources: [.copy("Fixtures")]),
        .testTarget(name: "SurveyReportTests", dependencies: ["SurveyReport"], exclude: ["Golden"]),
        .testTarget(name: "CLITests", dependencies: ["surveystats"], exclude: ["Fixtures"]),
    ],
    swiftLanguageModes: [.v5]
)
