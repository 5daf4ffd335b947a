import CHouseholderKernel

/// The R factor of a tall design [X·D | y]·diag(√w) by Cholesky QR with a preconditioner: the large-n reduction
/// of the double path of `LeastSquaresFit`, with the Householder fold (`TallSkinnyQR`) as its fallback.
///
/// 1. **Preconditioner.** P = the R of a Householder QR (the fold kernel) of sampled rows: 32 stripes of 64
///    consecutive rows spread evenly over the data. For rows that resemble the sample, P is close to the whole
///    design's R up to a well-conditioned factor.
/// 2. **One pass.** Per block of rows in L1: Y = X̃·P⁻¹ by forward substitution per row (backward stable row by
///    row), then G += YᵀY; fixed chunks of rows on all cores, merged in chunk order (`RowChunks`), compensated
///    sums, so the result does not depend on the number of threads.
/// 3. **Check.** R_Y = chol(G). If κ(R_Y) ≤ `acceptedCondition`, R = R_Y·P. Else, if κ(R_Y) ≤ 10⁶, the pass is
///    repeated with P ← R_Y·P (Cholesky QR2; then κ(R_Y) ≈ 1) and checked again; otherwise — or if the sample
///    is rank-deficient, the Gram not positive definite or not finite — nil: the caller uses the Householder
///    fold.
///
/// Why it is as accurate as Householder QR here: X̃ = Y·P exactly up to a row-wise backward error of
/// O(m·ε)·|Y||P|, and with κ(Y) = κ(R_Y) ≤ 8 the Cholesky factor of Y's Gram is the R of a matrix within
/// O(ε·κ(Y)²)·‖Y‖ of Y (Higham, *Accuracy and Stability*, §10.1; Yamamoto et al. 2015 on CholeskyQR2). So
/// R = R_Y·P is the exact R factor of a matrix within O(64·m·ε)·‖X̃‖ of X̃: normwise backward stable, like the
/// Householder fold; the Gram's condition number is κ(Y)² ≤ 64, never κ(X)² as in the normal equations. The
/// fit's own error bound (ε·κ·(1 + κ·tan θ) from R's condition estimate) is applied afterwards either way.
/// Randomized preconditioners of the same kind: Fan, Guo & Lin (2021); Balabanov (2022); Higgins et al.
/// (2024, "randomized Householder-Cholesky QR").
///
/// Why: the Householder fold of a block waits, for each of its m columns, on a reduction → square root →
/// division chain, and runs at ~40 % of the multiply–add rate; the substitution and the Gram are dense
/// multiply–add loops (~144 multiply–adds per row for m = 12, the same count as the fold) at ~75 %
/// (scripts/bench/PROFILE.md §3i).
enum PreconditionedCholeskyQR {
    /// Fewer rows than this: the Householder fold (the sample would be a large share of the data).
    static let minimumRows = 1 << 14
    /// κ₁(R_Y) up to which one pass is accepted (the backward error grows as κ(R_Y)²).
    static let acceptedCondition = 8.0
    /// κ₁(R_Y) up to which a second pass with the improved preconditioner is tried.
    static let refinableCondition = 1e6
    /// More columns than this: the Householder fold. The Gram's vector accumulators grow as m² (3 MB at m = 300)
    /// and are loaded and stored once per block of ≥ 64 rows, so for wide designs they, not the multiply–adds,
    /// would set the pace; measured faster than the fold at m = 12 and m = 51 only.
    static let maximumColumns = 64
    /// Blocks per flush of the kernel's vector accumulators into the compensated Gram (each partial sum's chain
    /// then has ≤ 8·256/8 = 256 terms).
    static let blocksPerFlush = 8

    /// R of [X·D | y] with rows times √wᵢ (D = diag(scale), nil: identity; `sw` nil: unweighted) and y's moments
    /// relative to `origin`, or nil when this method does not apply or is not accurate enough for these data.
    /// `minimumRows` overrides `Self.minimumRows` (tests; at least 2048, the sample).
    static func reduce(_ X: DoubleColumns, _ y: [Double], _ sw: [Double]?, _ scale: [Double]?, origin: Double,
                       workers: Int?, minimumRows: Int? = nil) throws -> (r: Matrix, response: WeightedMoments, passes: Int)? {
        let n = X.rows, m = X.count + 1
        guard n >= max(2048, minimumRows ?? Self.minimumRows), m >= 2, m <= maximumColumns else { return nil }
        guard var p = try samplePreconditioner(X, y, sw, scale) else { return nil }
        for attempt in 0..<2 {
            guard let (gram, moments) = try gramPass(X, y, sw, scale, preconditioner: p, origin: origin, workers: workers),
                  let ry = try? CholeskyFactorization(gram).upper,
                  ry.storage.allSatisfy({ $0.isFinite })
            else { return nil }
            let rcond = try ry.triangularReciprocalCondition()
            guard rcond > 0 else { return nil }
            let kappa = 1 / rcond
            if kappa <= acceptedCondition { return (ry * p, moments, attempt + 1) }
            guard attempt == 0, kappa <= refinableCondition else { return nil }
            p = ry * p
        }
        return nil
    }

    /// P: the Householder R of 32 stripes of 64 rows spread over the data, or nil when a column is (nearly)
    /// dependent on the earlier ones within the sample (a rare dummy the sample missed, or a collinear design —
    /// the fold's rank detection handles those) or the sample's squares leave the kernel's range.
    static func samplePreconditioner(_ X: DoubleColumns, _ y: [Double], _ sw: [Double]?,
                                     _ scale: [Double]?) throws -> Matrix? {
        let n = X.rows, p = X.count, m = p + 1
        let stripes = 32, stripeRows = 64
        let scaleM = scale.map { $0 + [1] }
        var tsqr = TallSkinnyQR(columns: m)
        let block = UnsafeMutableRawPointer.allocate(byteCount: stripeRows * m * 8, alignment: 64)
            .bindMemory(to: Double.self, capacity: stripeRows * m)
        defer { block.deallocate() }
        let columns = UnsafeMutablePointer<UnsafePointer<Double>?>.allocate(capacity: m)
        defer { columns.deallocate() }
        let ok: Bool = try X.withColumnBases { px in
            try y.withUnsafeBufferPointer { pyb in
                try LeastSquaresFit.withOptionalBuffer(sw) { psw in
                    try LeastSquaresFit.withOptionalBuffer(scaleM) { psc in
                        for s in 0..<stripes {
                            let start = (n - stripeRows) * s / (stripes - 1)
                            for j in 0..<p { columns[j] = px[j].map { $0 + start } }
                            columns[p] = pyb.baseAddress! + start
                            guard try tsqr.append(columns: columns, scale: psc, sqrtWeights: psw.map { $0 + start },
                                                  rows: stripeRows, block: block, scalingFallback: false)
                            else { return false }
                        }
                        return true
                    }
                }
            }
        }
        guard ok else { return nil }
        let r = tsqr.r
        for j in 0..<m {
            var norm = 0.0
            for i in 0...j { norm = max(norm, abs(r[i, j])) }
            // |P_jj| against column j's largest entry: 1e-6 leaves P's condition below ~1e6·m per column.
            guard r[j, j].isFinite, norm.isFinite, abs(r[j, j]) > 1e-6 * norm else { return nil }
        }
        return r
    }

    /// One pass: Σ over fixed chunks (in chunk order) of YᵀY with Y = X̃·P⁻¹, compensated, and y's moments.
    /// nil if the sum is not finite (a NaN or ±∞ in the data, or an overflow: the Householder path reports or
    /// scales those).
    static func gramPass(_ X: DoubleColumns, _ y: [Double], _ sw: [Double]?, _ scale: [Double]?, preconditioner: Matrix,
                         origin: Double, workers: Int?) throws -> (Matrix, WeightedMoments)? {
        let n = X.rows, p = X.count, m = p + 1
        let chunks = RowChunks(rowCount: n)
        let scaleM = scale.map { $0 + [1] }
        let blockRows = (householderBlockRows(columns: m) + 7) / 8 * 8
        let paddedColumns = (m + 3) / 4 * 4
        var packedP = [Double](repeating: 0, count: shk_gram_packed_doubles(m))
        var inverseDiagonalP = [Double](repeating: 0, count: m)
        shk_gram_coefficients(preconditioner.storage, m, &packedP, &inverseDiagonalP)
        let packed = packedP, inverseDiagonal = inverseDiagonalP
        let accumulatorCount = shk_gram_accumulator_doubles(m)
        let parts: [([Double], [Double], WeightedMoments)] = try chunks.map(workers: chunks.workerCount(limit: workers)) { k in
            let range = chunks.range(k)
            var gram = [Double](repeating: 0, count: m * m), compensation = [Double](repeating: 0, count: m * m)
            var moments = WeightedMoments(origin: origin)
            let block = UnsafeMutableRawPointer.allocate(byteCount: blockRows * paddedColumns * 8, alignment: 64)
                .bindMemory(to: Double.self, capacity: blockRows * paddedColumns)
            defer { block.deallocate() }
            let accumulators = UnsafeMutableRawPointer.allocate(byteCount: accumulatorCount * 8, alignment: 64)
                .bindMemory(to: Double.self, capacity: accumulatorCount)
            accumulators.initialize(repeating: 0, count: accumulatorCount)
            defer { accumulators.deallocate() }
            let columns = UnsafeMutablePointer<UnsafePointer<Double>?>.allocate(capacity: m)
            defer { columns.deallocate() }
            var blockMoments = [Double](repeating: 0, count: 3)
            X.withColumnBases { px in
                y.withUnsafeBufferPointer { pyb in
                    LeastSquaresFit.withOptionalBuffer(sw) { psw in
                        LeastSquaresFit.withOptionalBuffer(scaleM) { psc in
                            var start = range.lowerBound, blocks = 0
                            while start < range.upperBound {
                                let b = min(blockRows, range.upperBound - start)
                                for j in 0..<p { columns[j] = px[j].map { $0 + start } }
                                columns[p] = pyb.baseAddress! + start
                                blockMoments[0] = origin
                                shk_fill_gram(accumulators, m, columns, psc, psw.map { $0 + start }, b, packed,
                                              inverseDiagonal, block, &blockMoments)
                                moments.merge(WeightedMoments(origin: origin, weight: blockMoments[0],
                                                              shiftedMean: blockMoments[1],
                                                              centredSumOfSquares: blockMoments[2]))
                                blocks += 1
                                if blocks % blocksPerFlush == 0 { shk_gram_flush(accumulators, m, &gram, &compensation) }
                                start += b
                            }
                            shk_gram_flush(accumulators, m, &gram, &compensation)
                        }
                    }
                }
            }
            return (gram, compensation, moments)
        }
        // Chunks in order, compensated (the chunks' own compensation terms carried along).
        var sum = [Double](repeating: 0, count: m * m), carry = [Double](repeating: 0, count: m * m)
        func add(_ x: Double, _ q: Int) {  // Neumaier
            let t = sum[q] + x
            carry[q] += abs(sum[q]) >= abs(x) ? (sum[q] - t) + x : (x - t) + sum[q]
            sum[q] = t
        }
        var moments = WeightedMoments(origin: origin)
        for (gram, compensation, partMoments) in parts {
            for q in 0..<(m * m) {
                add(gram[q], q)
                add(compensation[q], q)
            }
            moments.merge(partMoments)
        }
        var g = Matrix(rows: m, columns: m)
        for j in 0..<m {
            for i in 0...j {
                let v = sum[i + j * m] + carry[i + j * m]
                guard v.isFinite else { return nil }
                g[i, j] = v
                g[j, i] = v
            }
        }
        return (g, moments)
    }
}
