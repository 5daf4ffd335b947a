import CHouseholderKernel

// The inner kernel of the tall-skinny QR: Householder reflections that fold a small block of rows into an upper
// triangular R. The fold itself is C (`CHouseholderKernel`: AVX-512, AVX2+FMA or a baseline); the vector
// sums below serve the other passes over a design (norms, residual sums).
//
// Why not LAPACK here: for the tall-skinny shapes of regression (m = p + 1 ≈ 10–60 columns) `dtpqrt` spends most
// of its time in call overhead of level-2 BLAS on panels of 12 columns (measured 2 GFLOP/s on 1e7 × 12, one
// core). This kernel keeps a block of ~512 rows next to the core and does the same arithmetic — the structured Householder
// QR of [R; B] (Golub & Van Loan §5.2; LAPACK `dtpqrt2` with l = 0) — 3–5× faster (CPU time, one core).

/// How many rows a block should have: ~24 KiB of doubles (`rows × columns`), between 64 and 256 rows, so the
/// block stays in a 32 KiB L1 while each step streams its trailing columns. Measured with the AVX2+FMA kernel on
/// 1e7 × 11 (CPU time, both threads): 256 rows beat 128, 512 and 1024 (the SSE2 Swift kernel had preferred 512).
@inlinable
package func householderBlockRows(columns m: Int) -> Int {
    max(64, min(256, (24 * 1024 / 8) / max(1, m)))
}

/// Σ a[i]·b[i] with four two-lane accumulators (the order of summation differs from a plain loop: the rounding
/// is as good, and independent of the data).
@inline(__always)
func kernelDot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ n: Int) -> Double {
    var s0 = SIMD2<Double>(), s1 = SIMD2<Double>(), s2 = SIMD2<Double>(), s3 = SIMD2<Double>()
    let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
    var i = 0
    while i + 8 <= n {
        let o = i &* 8
        s0 += ra.loadUnaligned(fromByteOffset: o, as: SIMD2<Double>.self) * rb.loadUnaligned(fromByteOffset: o, as: SIMD2<Double>.self)
        s1 += ra.loadUnaligned(fromByteOffset: o &+ 16, as: SIMD2<Double>.self) * rb.loadUnaligned(fromByteOffset: o &+ 16, as: SIMD2<Double>.self)
        s2 += ra.loadUnaligned(fromByteOffset: o &+ 32, as: SIMD2<Double>.self) * rb.loadUnaligned(fromByteOffset: o &+ 32, as: SIMD2<Double>.self)
        s3 += ra.loadUnaligned(fromByteOffset: o &+ 48, as: SIMD2<Double>.self) * rb.loadUnaligned(fromByteOffset: o &+ 48, as: SIMD2<Double>.self)
        i &+= 8
    }
    let v = (s0 + s1) + (s2 + s3)
    var s = v[0] + v[1]
    while i < n { s += a[i] * b[i]; i &+= 1 }
    return s
}

/// The block-fold kernel (C target `CHouseholderKernel`): AVX-512 (eight doubles per instruction) or AVX2+FMA
/// where the CPU and OS have them, else the portable baseline, chosen once at run time. The environment variable
/// `SURVEYSTATS_KERNEL=avx2|baseline` lowers the choice for a process. Tests use `withVariant` to run each
/// variant the machine has.
package enum HouseholderKernel {
    /// The variants' names, by the C kernel's number (0 = baseline, 1 = AVX2+FMA, 2 = AVX-512).
    static let names = ["baseline", "avx2+fma", "avx512"]

    /// "avx512", "avx2+fma" or "baseline": the variant the folds currently use.
    package static var variant: String { names[Int(shk_variant())] }

    /// The variants this machine can run, best first (always ending in "baseline").
    package static var availableVariants: [String] { Array(names[0...Int(shk_best_variant())].reversed()) }

    /// Runs `body` with the kernel capped at the named variant (one of `availableVariants`), for tests and
    /// benchmarks. Not for use while another thread is fitting: the switch is process-wide.
    package static func withVariant<R>(_ name: String, _ body: () throws -> R) rethrows -> R {
        let cap = names.firstIndex(of: name) ?? 0
        let previous = shk_force_variant(Int32(cap))
        defer { _ = shk_force_variant(previous) }
        return try body()
    }

    /// Runs `body` with the portable baseline kernel forced.
    package static func withPortableVariant<R>(_ body: () throws -> R) rethrows -> R {
        try withVariant("baseline", body)
    }
}

/// Folds the `rows` rows of `block` (column-major, leading dimension `ld`, `m` columns; destroyed) into the upper
/// triangular `r` (m × m, column-major), so that the new R satisfies RᵀR = R₀ᵀR₀ + BᵀB: step k reflects
/// [r_kk; B[:, k]] onto (α, 0…0) and applies the reflection to the columns right of k (LAPACK `dtpqrt`, l = 0),
/// in panels of four steps whose reflections reach the later columns together in compact WY form.
///
/// Returns false, having changed nothing, when a column's sum of squares of [R; B] is outside
/// [1e-280, 1e280], not finite, or underflows to zero for a nonzero column (so squares could overflow or
/// underflow); the caller then uses LAPACK `dtpqrt`, which scales.
@inline(__always)
func householderFold(r: UnsafeMutablePointer<Double>, m: Int, block: UnsafeMutablePointer<Double>, rows b: Int,
                     ld: Int) -> Bool {
    if b == 0 || m == 0 { return true }
    return withUnsafeTemporaryAllocation(of: Double.self, capacity: 6 * m) { work in
        shk_fold(r, m, block, b, ld, work.baseAddress!) != 0
    }
}

/// Σ w[i]·(x[i]·c)² with two-lane accumulators.
@inline(__always)
func kernelWeightedSumOfSquares(_ x: UnsafePointer<Double>, _ w: UnsafePointer<Double>, _ n: Int, _ c: Double) -> Double {
    var s0 = SIMD2<Double>(), s1 = SIMD2<Double>()
    let rx = UnsafeRawPointer(x), rw = UnsafeRawPointer(w)
    let cv = SIMD2<Double>(repeating: c)
    var i = 0
    while i + 4 <= n {
        let o = i &* 8
        let a = rx.loadUnaligned(fromByteOffset: o, as: SIMD2<Double>.self) * cv
        let b = rx.loadUnaligned(fromByteOffset: o &+ 16, as: SIMD2<Double>.self) * cv
        s0 += rw.loadUnaligned(fromByteOffset: o, as: SIMD2<Double>.self) * a * a
        s1 += rw.loadUnaligned(fromByteOffset: o &+ 16, as: SIMD2<Double>.self) * b * b
        i &+= 4
    }
    let v = s0 + s1
    var s = v[0] + v[1]
    while i < n { let a = x[i] * c; s += w[i] * a * a; i &+= 1 }
    return s
}

/// The index of the first value of `x` that is NaN or ±∞, or nil: one vectorised read (the C kernel's
/// `shk_first_nonfinite`), for the missing-value and finiteness checks of data columns.
package func firstNonFiniteIndex(_ x: UnsafeBufferPointer<Double>) -> Int? {
    guard let base = x.baseAddress, !x.isEmpty else { return nil }
    let k = shk_first_nonfinite(base, x.count)
    return k < 0 ? nil : k
}

/// The index of the first value of `x` that is NaN or ±∞, or nil.
package func firstNonFiniteIndex(_ x: [Double]) -> Int? { x.withUnsafeBufferPointer { firstNonFiniteIndex($0) } }
