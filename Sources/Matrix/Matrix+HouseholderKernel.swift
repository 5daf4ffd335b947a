// The inner kernel of the tall-skinny QR: Householder reflections that fold a small block of rows into an upper
// triangular R. Pure Swift on raw pointers, with two-lane SIMD accumulators.
//
// Why not LAPACK here: for the tall-skinny shapes of regression (m = p + 1 ≈ 10–60 columns) `dtpqrt` spends most
// of its time in call overhead of level-2 BLAS on panels of 12 columns (measured 2 GFLOP/s on 1e7 × 12, one
// core). This kernel keeps a block of ~512 rows next to the core and does the same arithmetic — the structured Householder
// QR of [R; B] (Golub & Van Loan §5.2; LAPACK `dtpqrt2` with l = 0) — 3–5× faster (CPU time, one core).

/// How many rows a block should have: ~48 KiB of doubles (`rows × columns`), between 64 and 512 rows. Each step
/// streams the block's trailing columns once, so it need only stay near the core (L1/L2); measured on 1e7 × 12,
/// 512 rows beat 256 by ~10 % (fewer per-block steps) and 4096 lose (L2 traffic).
@inlinable
public func householderBlockRows(columns m: Int) -> Int {
    max(64, min(512, (48 * 1024 / 8) / max(1, m)))
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

/// Folds the `rows` rows of `block` (column-major, leading dimension `ld`, `m` columns; destroyed) into the upper
/// triangular `r` (m × m, column-major), so that the new R satisfies RᵀR = R₀ᵀR₀ + BᵀB: step k reflects
/// [r_kk; B[:, k]] onto (α, 0…0) and applies the reflection to the columns right of k.
///
/// Returns false, having changed nothing, when a column's sum of squares of [R; B] is outside
/// [1e-280, 1e280] or underflows to zero for a nonzero column (so squares could overflow or underflow); the caller then uses LAPACK `dtpqrt`, which scales.
@inline(never)
func householderFold(r: UnsafeMutablePointer<Double>, m: Int, block: UnsafeMutablePointer<Double>, rows b: Int,
                     ld: Int) -> Bool {
    if b == 0 || m == 0 { return true }
    // Range check first: an orthogonal transformation keeps each column's norm, so if every column of [R; B] has
    // a sum of squares in range, so have all intermediate quantities below.
    for j in 0..<m {
        var s = kernelDot(block + j &* ld, block + j &* ld, b)
        for i in 0...j { s += r[i &+ j &* m] * r[i &+ j &* m] }
        if !(s <= 1e280) || (s != 0 && s < 1e-280) { return false }
        if s == 0 {  // all zero, or squares that underflowed to zero?
            for i in 0..<b where block[i &+ j &* ld] != 0 { return false }
            for i in 0...j where r[i &+ j &* m] != 0 { return false }
        }
    }
    // Step k reflects column k and applies the reflection to each column c > k while taking, in the same pass,
    // the dot product of the updated column c with the updated column k + 1: the next step's products, so every
    // column is read once per step (one pass of axpy + dot instead of a dot pass and an axpy pass).
    return withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * m) { buf in
        let dots = buf.baseAddress!, next = dots + m
        // Step 0's dot products.
        var sigma = kernelDot(block, block, b)
        for c in 1..<max(1, m) { dots[c] = kernelDot(block, block + c &* ld, b) }
        for k in 0..<m {
            let xk = block + k &* ld
            var nextSigma = 0.0
            if sigma == 0 {
                // Nothing to reflect: the next step's products from the unchanged columns.
                if k + 1 < m {
                    let x1 = block + (k &+ 1) &* ld
                    nextSigma = kernelDot(x1, x1, b)
                    var c = k &+ 2
                    while c < m { next[c] = kernelDot(x1, block + c &* ld, b); c &+= 1 }
                }
            } else {
                let akk = r[k &+ k &* m]
                let norm = (akk * akk + sigma).squareRoot()
                let alpha = akk > 0 ? -norm : norm
                let v0 = akk - alpha
                let tau = 2 / (v0 * v0 + sigma)
                if k + 1 < m {
                    // Column k+1 first (its new values feed the next step's products), then the rest, each
                    // updated and dotted with the new column k+1 in one pass.
                    let x1 = block + (k &+ 1) &* ld
                    let s1 = (v0 * r[k &+ (k &+ 1) &* m] + dots[k &+ 1]) * tau
                    r[k &+ (k &+ 1) &* m] -= s1 * v0
                    nextSigma = kernelAxpyMinusDot(s1, xk, x1, x1, b)
                    var c = k &+ 2
                    while c < m {
                        let xc = block + c &* ld
                        let s = (v0 * r[k &+ c &* m] + dots[c]) * tau
                        r[k &+ c &* m] -= s * v0
                        next[c] = kernelAxpyMinusDot(s, xk, xc, x1, b)
                        c &+= 1
                    }
                }
                r[k &+ k &* m] = alpha
            }
            sigma = nextSigma
            var c = k &+ 2
            while c < m { dots[c] = next[c]; c &+= 1 }
        }
        return true
    }
}

/// b[i] -= alpha·a[i], returning Σ c[i]·b[i] of the updated b (c may alias b).
@inline(__always)
func kernelAxpyMinusDot(_ alpha: Double, _ a: UnsafePointer<Double>, _ b: UnsafeMutablePointer<Double>,
                        _ c: UnsafePointer<Double>, _ n: Int) -> Double {
    let ra = UnsafeRawPointer(a), rb = UnsafeMutableRawPointer(b), rc = UnsafeRawPointer(c)
    let av = SIMD2<Double>(repeating: alpha)
    var s0 = SIMD2<Double>(), s1 = SIMD2<Double>()
    var i = 0
    while i + 4 <= n {
        let o = i &* 8
        let x0 = rb.loadUnaligned(fromByteOffset: o, as: SIMD2<Double>.self) - av * ra.loadUnaligned(fromByteOffset: o, as: SIMD2<Double>.self)
        let x1 = rb.loadUnaligned(fromByteOffset: o &+ 16, as: SIMD2<Double>.self) - av * ra.loadUnaligned(fromByteOffset: o &+ 16, as: SIMD2<Double>.self)
        rb.storeBytes(of: x0, toByteOffset: o, as: SIMD2<Double>.self)
        rb.storeBytes(of: x1, toByteOffset: o &+ 16, as: SIMD2<Double>.self)
        s0 += x0 * rc.loadUnaligned(fromByteOffset: o, as: SIMD2<Double>.self)
        s1 += x1 * rc.loadUnaligned(fromByteOffset: o &+ 16, as: SIMD2<Double>.self)
        i &+= 4
    }
    let v = s0 + s1
    var s = v[0] + v[1]
    while i < n { b[i] -= alpha * a[i]; s += b[i] * c[i]; i &+= 1 }
    return s
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
