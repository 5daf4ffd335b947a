import XCTest
@testable import Matrix

/// `WeightedMoments` (Chan, Golub & LeVeque's merge) and the kernel's per-block moments of the last column,
/// against a Float80 two-pass reference computed here. Tolerance 1e-14 relative: a corrected two-pass sum
/// over ≤ 300 rows and a few dozen merges each add a few ulps; a one-pass Σw·v² − (Σw·v)²/Σw would miss by ~1e-3
/// relative on the shifted data (mean 1e8, spread ~1), and so would (by ~1e-11) merges of means held without an
/// origin near the mean.
final class WeightedMomentsTests: XCTestCase {
    /// Uniform numbers in [0, 1) (the kernel tests' generator, shifted).
    struct Uniform {
        var base: HouseholderKernelTests.Uniform
        init(state: UInt64) { base = HouseholderKernelTests.Uniform(state: state) }
        mutating func next() -> Double { base.next() + 0.5 }
    }

    /// Two passes in Float80 over v − origin (exact in Float80 for the data here, so the reference's own mean
    /// does not round at the magnitude of the origin).
    func reference(_ v: ArraySlice<Double>, _ w: ArraySlice<Double>?, origin: Double = 0) -> WeightedMoments {
        var sw: Float80 = 0, swv: Float80 = 0
        for i in v.indices { let wi = Float80(w?[i] ?? 1); sw += wi; swv += wi * (Float80(v[i]) - Float80(origin)) }
        let mean = sw > 0 ? swv / sw : 0
        var m2: Float80 = 0
        for i in v.indices { let d = Float80(v[i]) - Float80(origin) - mean; m2 += Float80(w?[i] ?? 1) * d * d }
        return WeightedMoments(origin: origin, weight: Double(sw), shiftedMean: Double(mean), centredSumOfSquares: Double(m2))
    }

    func assertClose(_ a: WeightedMoments, _ b: WeightedMoments, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.weight, b.weight, accuracy: 1e-14 * b.weight, "\(what): Σw", file: file, line: line)
        XCTAssertEqual(a.origin, b.origin, "\(what): origin", file: file, line: line)
        XCTAssertEqual(a.mean, b.mean, accuracy: 1e-14 * max(abs(b.mean), 1e-300), "\(what): mean", file: file, line: line)
        XCTAssertEqual(a.centredSumOfSquares, b.centredSumOfSquares, accuracy: 1e-14 * b.centredSumOfSquares,
                       "\(what): M2", file: file, line: line)
    }

    func testMergeOfRangesMatchesTwoPassReference() {
        var u = Uniform(state: 7)
        let n = 5000
        for shift in [0.0, 1e8] {
            let v = (0..<n).map { _ in shift + u.next() - 0.3 }
            let w = (0..<n).map { _ in 0.2 + u.next() }
            for weights in [nil, w] as [[Double]?] {
                let origin = shift + 0.25
                var merged = WeightedMoments(origin: origin)
                var start = 0, size = 1
                while start < n {  // uneven ranges, empty ones included
                    let end = min(n, start + size)
                    merged.merge(reference(v[start..<end], weights?[start..<end], origin: origin))
                    merged.merge(WeightedMoments(origin: origin))
                    start = end
                    size = (size * 7) % 613
                }
                assertClose(merged, reference(v[...], weights?[...], origin: origin), "shift \(shift), weighted \(weights != nil)")
            }
        }
    }

    /// The fused fill also returns the moments of the last column (values × its scale, weights √w²), for a
    /// block it folds and for one it declines.
    func testKernelBlockMomentsOfTheLastColumn() throws {
        var u = Uniform(state: 3)
        let m = 4
        for (b, shift) in [(1, 0.0), (7, 5.0), (257, 1e8), (300, -2.5)] {
            let cols = (0..<m).map { j in (0..<b).map { _ in (j == m - 1 ? shift : 0) + u.next() } }
            let sw = (0..<b).map { _ in (0.3 + u.next()).squareRoot() }
            for (weighted, scale) in [(false, 1.0), (true, 0.25), (true, 1.0)] {
                var t = TallSkinnyQR(columns: m)
                var moments = WeightedMoments(origin: shift * scale, weight: -1)
                var block = [Double](repeating: 0, count: b * m)
                let scales = [1.0, 2, 0.5, scale]
                let done = try cols[0].withUnsafeBufferPointer { c0 in
                    try cols[1].withUnsafeBufferPointer { c1 in
                        try cols[2].withUnsafeBufferPointer { c2 in
                            try cols[3].withUnsafeBufferPointer { c3 in
                                let pointers: [UnsafePointer<Double>?] = [c0.baseAddress, c1.baseAddress, c2.baseAddress, c3.baseAddress]
                                return try pointers.withUnsafeBufferPointer { pc in
                                    try scales.withUnsafeBufferPointer { ps in
                                        try sw.withUnsafeBufferPointer { pw in
                                            try block.withUnsafeMutableBufferPointer { pb in
                                                try t.append(columns: pc.baseAddress!, scale: ps.baseAddress,
                                                             sqrtWeights: weighted ? pw.baseAddress : nil, rows: b,
                                                             block: pb.baseAddress!, lastColumnMoments: &moments)
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                XCTAssertTrue(done)
                let v = cols[m - 1].map { $0 * scale }
                let expected = reference(v[...], weighted ? sw.map { $0 * $0 }[...] : nil, origin: shift * scale)
                if b == 1 {
                    XCTAssertEqual(moments.weight, expected.weight, accuracy: 1e-15 * expected.weight)
                    XCTAssertEqual(moments.centredSumOfSquares, 0)
                } else {
                    assertClose(moments, expected, "b \(b), weighted \(weighted), scale \(scale)")
                }
            }
        }
        // A declined block (squares out of range) still reports its moments.
        let b = 50
        let big = (0..<b).map { Double($0) * 1e200 }, y = (0..<b).map { 3 + Double($0 % 5) }
        var t = TallSkinnyQR(columns: 2)
        var moments = WeightedMoments()
        var block = [Double](repeating: 0, count: b * 2)
        let done = try big.withUnsafeBufferPointer { pb0 in
            try y.withUnsafeBufferPointer { py in
                let pointers: [UnsafePointer<Double>?] = [pb0.baseAddress, py.baseAddress]
                return try pointers.withUnsafeBufferPointer { pc in
                    try block.withUnsafeMutableBufferPointer { pblk in
                        try t.append(columns: pc.baseAddress!, scale: nil, sqrtWeights: nil, rows: b,
                                     block: pblk.baseAddress!, scalingFallback: false, lastColumnMoments: &moments)
                    }
                }
            }
        }
        XCTAssertFalse(done)
        assertClose(moments, reference(y[...], nil), "declined block")
    }
}
