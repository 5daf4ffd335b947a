/// Mixed-precision iterative refinement of a least-squares solution (Björck 1967; the "corrected seminormal
/// equations" with R from a backward-stable QR, Björck 1987), the step between the double path and a full
/// extended-precision reduction.
///
/// Why: the double reduction gives R̃ = R(X̃ + ΔX̃) with ‖ΔX̃ⱼ‖ ≈ u‖X̃ⱼ‖ (X̃ the scaled, weighted design). Its
/// coefficients carry the error ε·κ·(1 + κ·tan θ) of any backward-stable solver; the κ²·tan θ part — the one that
/// sends a wide factor design with κ ≈ 1e3 and a noisy response to extended precision — comes from the data's
/// own sensitivity, not from R̃ being inaccurate. Solving the normal equations of the *exact* data with R̃ as
/// the preconditioner removes it:
///
///     r = y − X̃β̃,  g = X̃ᵀWr  (both in T, O(n·p) per pass),   R̃ᵀR̃ δ = g,   β̃ ← β̃ + δ.
///
/// The fixed point is Xᵀ W (y − Xβ) = 0 up to T's rounding in r and g, i.e. the extended-precision solution; the
/// error contracts per pass by the norm of E = I − (X̃R̃⁻¹)ᵀ(X̃R̃⁻¹) ≈ QᵀΔX̃R̃⁻¹ + (QᵀΔX̃R̃⁻¹)ᵀ, ‖E‖ ≲ 2‖ΔX̃‖‖R̃⁻¹‖ ≈ ε·κ
/// (measured in the R̃-norm, ‖R̃·error‖), so one pass takes a double solution with ε·κ ≈ 2e-13 to the extended one, and a
/// second confirms it. The O(n·p²) extended reduction is replaced by a few O(n·p) passes: `regress` on 1e5 rows
/// with a 250-level factor and three numeric terms (κ ≈ 1.3e3) took 43–70 s with the `Float80` reduction and
/// 2–3 s refined (2 busy cores; coefficients within 3e-13, standard errors within 4e-15 of the `Float80` fit; at
/// κ ≈ 2.8e4 within 1e-13 and 1.4e-14).
///
/// What the rest of the fit takes from R̃ unrefined, and why that is enough: (XᵀWX)⁻¹ = R̃⁻¹(I − E)⁻¹R̃⁻ᵀ exactly,
/// so every variance vᵀ(XᵀWX)⁻¹v — the squared standard errors in particular — is vᵀR̃⁻¹R̃⁻ᵀv to a relative
/// ‖E‖ ≈ ε·κ (first order). That is the structured perturbation of a backward error, not the generic ε·κ² of
/// perturbing XᵀX; covariances are accurate to ε·κ relative to σₐσ_b (correlations to ε·κ absolute). (The bound
/// is a worst case over directions; observed SE errors are far below it, see the figures above.) The double
/// path is only accepted when ε·κ·(1 + κ·tan θ) < 1e-11, which includes ε·κ < 1e-11; refinement is allowed under
/// that same part of the bound (`refinementConditionLimit`), so standard errors stay at the double path's
/// standard. Above it (κ ≳ 4.5e4) the fit redoes the reduction in extended precision, as before.
extension LeastSquaresFit {
    /// ε·κ below which the double R is kept for (XᵀWX)⁻¹ and the coefficients are refined (see above).
    static let refinementConditionLimit = 1e-11

    /// Refinement passes tried before giving up (each is one O(n·p) pass in T over the data); two are the norm.
    static let maximumRefinementPasses = 5

    /// Σ wᵢ·xᵢⱼ·rᵢ over the kept columns and Σ wᵢrᵢ² for r = y − X̃β̃ (X̃ = X·D, kept columns), in T. Rows in fixed
    /// chunks (`RowChunks`) on all cores, partial sums added in chunk order: the result does not depend on the
    /// number of threads.
    static func refinementPass<T: ExtendedReal>(_ design: any DesignRowSource, _ columns: DoubleColumns?, _ y: [Double],
                                               _ weights: [Double]?, kept: [Int], scaledBeta: [T], scale: [T],
                                               workers: Int?) -> (gradient: [T], residualSumOfSquares: T) {
        let n = design.rowCount, p = design.columnCount, k = kept.count
        // β in the design's units: x̃ⱼβ̃ⱼ = xⱼ·(scaleⱼβ̃ⱼ), a power of two moved from one factor to the other.
        let beta = (0..<k).map { scaledBeta[$0] * scale[kept[$0]] }
        let chunks = RowChunks(rowCount: n)
        let parts: [([T], T)] = (try? chunks.map(workers: chunks.workerCount(limit: workers)) { c in
            let range = chunks.range(c)
            var gradient = [T](repeating: .zero, count: k)
            var rss = T.zero
            if let X = columns {
                // Column by column over 64-row blocks: the block's k columns (≤ 64·8·k bytes) stay in L2 between
                // the residual loop and the gradient loop.
                let blockRows = 64
                var r = [T](repeating: .zero, count: blockRows)
                var wr = [T](repeating: .zero, count: blockRows)
                X.withColumnBases { bases in
                    var start = range.lowerBound
                    while start < range.upperBound {
                        let b = min(blockRows, range.upperBound - start)
                        for i in 0..<b { r[i] = T(y[start + i]) }
                        for a in 0..<k {
                            let ba = beta[a]
                            if let col = bases[kept[a]] {
                                let base = col + start
                                for i in 0..<b { r[i] -= T(base[i]) * ba }
                            } else {
                                for i in 0..<b { r[i] -= ba }
                            }
                        }
                        for i in 0..<b {
                            wr[i] = weights.map { T($0[start + i]) * r[i] } ?? r[i]
                            rss += wr[i] * r[i]
                        }
                        for a in 0..<k {
                            var s = T.zero
                            if let col = bases[kept[a]] {
                                let base = col + start
                                for i in 0..<b { s += T(base[i]) * wr[i] }
                            } else {
                                for i in 0..<b { s += wr[i] }
                            }
                            gradient[a] += s
                        }
                        start += b
                    }
                }
            } else {
                var row = [T](repeating: .zero, count: p)
                for i in range {
                    design.fillRow(i, into: &row)
                    var r = T(y[i])
                    for a in 0..<k { r -= row[kept[a]] * beta[a] }
                    let wr = weights.map { T($0[i]) * r } ?? r
                    rss += wr * r
                    for a in 0..<k { gradient[a] += row[kept[a]] * wr }
                }
            }
            return (gradient, rss)
        }) ?? []
        var gradient = [T](repeating: .zero, count: k)
        var rss = T.zero
        for (g, s) in parts {
            for a in 0..<k { gradient[a] += g[a] }
            rss += s
        }
        // Back to the scaled coordinates: g̃ = D·g.
        for a in 0..<k { gradient[a] *= scale[kept[a]] }
        return (gradient, rss)
    }

    /// β̃ refined from the double R (`piv`) against the data, or nil when the corrections do not shrink to the
    /// target within `maximumPasses` (the caller then redoes the reduction in T).
    ///
    /// A correction's size is measured per coefficient against what the coefficient needs, as in
    /// `componentwiseErrorFactor`: max(|β̃ₐ|, 1e5·σ̂·‖eₐᵀR̃⁻¹‖) (relative accuracy, or a millionth of the standard error
    /// per 1e-11 for a coefficient that is zero up to noise). Accepted after pass k ≥ 1 (at least two passes, so the
    /// contraction is seen, not assumed) when that size sₖ ≤ 1e-12 and either sₖ ≤ sₖ₋₁/2 — linear convergence with
    /// ratio ≤ ½ leaves an error below sₖ after the correction — or sₖ is at the rounding floor of T's residuals
    /// (`floor`: a few times T's own first-order bound), where corrections stop shrinking because they are noise.
    /// A correction that stops shrinking above the floor, or grows, is a refusal: ε·κ was not small enough.
    ///
    /// Returns β̃ and the residual sum of squares at β̃: the last pass's Σwr² is at β̃ before its correction δ, and
    /// RSS is quadratic in β around the minimum, so RSS(β̃ + δ) = Σwr² − ‖R̃δ‖² up to ‖E‖·‖R̃δ‖².
    static func refineSolution<T: ExtendedReal>(_ piv: LimitedPivotQR<T>, _ design: any DesignRowSource,
                                               _ columns: DoubleColumns?, _ y: [Double], _ weights: [Double]?,
                                               scale: [T], floor: Double, maximumPasses: Int,
                                               workers: Int?) -> (scaledBeta: [T], residualSumOfSquares: T, passes: Int)? {
        let k = piv.rank, n = design.rowCount
        guard k > 0 else { return nil }
        let kept = Array(piv.order[0..<k])
        let rInv = piv.rInverse()
        // ‖eₐᵀR̃⁻¹‖: the standard error of β̃ₐ per unit σ̂.
        let rho: [Double] = (0..<k).map { a in
            var s = 0.0
            for c in a..<k { let v = rInv[a + c * k].doubleValue; s += v * v }
            return s.squareRoot()
        }
        var beta = [T](repeating: .zero, count: k)
        for a in 0..<k {  // the double solution R̃⁻¹Qᵀy
            var s = T.zero
            for c in a..<k { s += rInv[a + c * k] * piv.qty[c] }
            beta[a] = s
        }
        var previousSize = Double.infinity
        for pass in 0..<maximumPasses {
            let (g, rss) = refinementPass(design, columns, y, weights, kept: kept, scaledBeta: beta, scale: scale, workers: workers)
            // δ = R̃⁻¹R̃⁻ᵀg.
            var t = [T](repeating: .zero, count: k)
            for c in 0..<k {
                var s = T.zero
                for a in 0...c { s += rInv[a + c * k] * g[a] }
                t[c] = s
            }
            var delta = [T](repeating: .zero, count: k)
            for a in 0..<k {
                var s = T.zero
                for c in a..<k { s += rInv[a + c * k] * t[c] }
                delta[a] = s
            }
            let sigma = n > k ? (rss.doubleValue / Double(n - k)).squareRoot() : 0
            var size = 0.0
            for a in 0..<k {
                let need = max(abs(beta[a].doubleValue), 1e5 * sigma * rho[a])
                let s = need > 0 ? abs(delta[a].doubleValue) / need : (delta[a] == .zero ? 0 : .infinity)
                size = max(size, s.isNaN ? .infinity : s)
            }
            for a in 0..<k { beta[a] += delta[a] }
            if pass >= 1 && size <= 1e-12 && (size <= 0.5 * previousSize || size <= floor) {
                // ‖R̃δ‖² = ‖t‖² (t = R̃⁻ᵀg = R̃δ).
                var drop = T.zero
                for c in 0..<k { drop += t[c] * t[c] }
                let corrected = rss - drop
                return (beta, corrected > .zero ? corrected : .zero, pass + 1)
            }
            if pass >= 1 && !(size <= 0.5 * previousSize) && !(size <= floor) { return nil }  // not converging
            previousSize = size
        }
        return nil
    }

    /// yᵢ − xᵢβ for every row, in T (β in the design's units, zero for aliased columns), rounded to double.
    static func residualsExtended<T: ExtendedReal>(_ design: any DesignRowSource, _ columns: DoubleColumns?, _ y: [Double],
                                                  _ beta: [T], workers: Int?) -> [Double] {
        let n = design.rowCount, p = design.columnCount
        let used = (0..<p).filter { beta[$0] != .zero }
        return parallelFill(count: n, workers: workers) { rows, out in
            if let X = columns {
                let blockRows = 64
                var r = [T](repeating: .zero, count: blockRows)
                X.withColumnBases { bases in
                    var start = rows.lowerBound
                    while start < rows.upperBound {
                        let b = min(blockRows, rows.upperBound - start)
                        for i in 0..<b { r[i] = T(y[start + i]) }
                        for j in used {
                            let bj = beta[j]
                            if let col = bases[j] {
                                let base = col + start
                                for i in 0..<b { r[i] -= T(base[i]) * bj }
                            } else {
                                for i in 0..<b { r[i] -= bj }
                            }
                        }
                        for i in 0..<b { out[start + i] = r[i].doubleValue }
                        start += b
                    }
                }
            } else {
                var row = [T](repeating: .zero, count: p)
                for i in rows {
                    design.fillRow(i, into: &row)
                    var r = T(y[i])
                    for j in used { r -= row[j] * beta[j] }
                    out[i] = r.doubleValue
                }
            }
        }
    }
}
