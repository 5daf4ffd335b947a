import CLapack
import CHouseholderKernel
import Dispatch

/// A raw pointer handed to `RowChunks` workers that write disjoint ranges of it.
package struct UnsafeSendablePointer: @unchecked Sendable {
    package let pointer: UnsafeMutablePointer<Double>
    package init(_ p: UnsafeMutablePointer<Double>) { pointer = p }
}

/// Which arithmetic carries out a least-squares fit.
public enum LeastSquaresPrecision: String, Sendable, CaseIterable {
    /// Extended precision for small problems and for ill-conditioned large ones, BLAS/LAPACK double otherwise.
    case automatic
    /// Always the double-precision LAPACK reduction (TSQR with `dtpqrt`); for comparisons and benchmarks.
    case double
    /// Always the extended-precision reduction: `Float80` on x86-64, double-double elsewhere.
    case extended
    /// Always double-double (the portable extended path; ~32 digits, slower than `Float80`).
    case doubleDouble
}

/// Heteroskedasticity-consistent ("sandwich") covariance estimators (White 1980; MacKinnon & White 1985),
/// named as in R's `sandwich::vcovHC` and statsmodels' `cov_type`.
public enum HeteroskedasticityConsistentType: String, Sendable, CaseIterable, Codable {
    /// ωᵢ = eᵢ²
    case hc0
    /// ωᵢ = eᵢ² · n / (n − p)
    case hc1
    /// ωᵢ = eᵢ² / (1 − hᵢ)
    case hc2
    /// ωᵢ = eᵢ² / (1 − hᵢ)²
    case hc3
}

/// Weighted least squares min Σ wᵢ (yᵢ − xᵢβ)² by Householder QR, with R-style rank detection.
///
/// Algorithm:
/// Precision policy of `.automatic` (the design choice): problems with n·(p+1)² ≤ `extendedWorkLimit` (e.g. 10 000
/// respondents × 19 terms) are solved entirely in double-double — it costs milliseconds and gives ≥ 13 correct
/// digits on every NIST StRD set, whatever the conditioning, so small survey models never depend on a threshold.
/// Larger problems are reduced with LAPACK in double; the result is kept when the error bound below promises
/// ~11 digits; else, when the same bound with Float80's unit roundoff promises ~11 digits, the double solution is
/// refined against the data in `Float80` (x86-64; double-double on other targets) with the double R — O(n·p) per
/// pass — if ε·κ < 1e-11, and the reduction is redone in `Float80` if not or if the refinement does not converge;
/// when even Float80's bound fails, the reduction is redone in double-double.
///
/// 1. Columns are scaled by powers of two to unit-order norms (exact in binary arithmetic; it makes the rank
///    test and the condition estimate independent of units). Rows are scaled by √wᵢ.
/// 2. [X | y] is reduced to its (p+1)×(p+1) triangular factor R₀ by a streaming tall-skinny QR, so XᵀX is never
///    formed and memory does not grow with n: in extended precision, or in double through the Householder fold
///    (`TallSkinnyQR`), as the policy above decides. A large double design is first tried by Cholesky QR with a
///    sampled-rows preconditioner (`PreconditionedCholeskyQR`: XᵀX is not formed either, only the Gram of the
///    well-conditioned X·P⁻¹), which declines whenever it could be less accurate than the fold.
/// 3. R₀ is re-factored in extended precision with *limited* pivoting as R's `lm` (LINPACK `dqrdc2`) does:
///    columns are taken in model order and a column whose norm orthogonal to the earlier ones is below
///    `tolerance` × its own norm is aliased and moved to the end. So, as in R, the *later* of two collinear
///    terms is reported as aliased (LAPACK's greedy `dgeqp3` could drop an earlier one instead).
/// 4. The 1-norm condition number of the scaled R is estimated with LAPACK `dtrcon`. The double path is
///    accepted only when the first-order error bound ε·κ·(1 + κ·tan θ) (θ the angle between y and the fit)
///    is below 1e-11. Else, when ε·κ < 1e-11, β is refined iteratively against the data (r = y − Xβ and XᵀWr
///    in extended precision, corrections from the double R; `refineSolution`, IterativeRefinement.swift, which
///    also says why the double R still serves (XᵀWX)⁻¹: its error there is ε·κ, not ε·κ²); else, or when the
///    corrections do not converge, step 2 is redone in extended precision.
/// 5. β = R⁻¹Qᵀy by back substitution (or the refined β) and (XᵀWX)⁻¹ = R⁻¹R⁻ᵀ in extended precision; residuals
///    yᵢ − xᵢβ are recomputed from the data in extended precision.
public struct LeastSquaresFit: Sendable {
    /// Coefficients per design column; NaN for aliased columns.
    public let coefficients: [Double]
    /// Indices of aliased (linearly dependent) columns, in model order.
    public let aliased: [Int]
    /// Numerical rank.
    public let rank: Int
    /// (XᵀWX)⁻¹ (p × p, NaN in the rows and columns of aliased columns); multiply by σ̂² for the covariance.
    /// An entry may over- or underflow for a column of extreme scale (x·1e-160: (XᵀX)⁻¹ ≈ 1e320); the standard
    /// errors come from `standardErrorFactors`, which do not.
    public let unscaledCovariance: Matrix
    /// √((XᵀWX)⁻¹)ⱼⱼ per column (NaN for aliased ones), formed as scaleⱼ·‖row j of R̃⁻¹‖ from the scaled design, so
    /// it is representable whenever the standard error σ̂·factor is, although its square may not be.
    public let standardErrorFactors: [Double]
    /// yᵢ − xᵢβ (not multiplied by √wᵢ). On the double path they are formed on first use (one pass over X,
    /// n fresh doubles) and kept: the fit itself, its RSS and its sandwich estimators do not need them.
    public var residuals: [Double] { residualStore.value }
    /// Σ wᵢ rᵢ².
    public let residualSumOfSquares: Double
    /// 1-norm condition number estimate (LAPACK `dtrcon`) of R for the design with columns scaled to unit norm.
    public let conditionNumber: Double
    /// The arithmetic that produced the result: "double", "Float80" or "double-double" for the reduction, or
    /// "double (Float80-refined)" (other targets: "double (double-double-refined)") when the double reduction's
    /// coefficients were refined iteratively against the data in extended precision.
    public let precision: String
    /// Rows used.
    public let rowCount: Int
    /// The power of two the response was multiplied by before the fit (1 unless Σwᵢyᵢ² would leave double's
    /// range: a response like 1e300·y or 1e-160·y). Everything that depends on y — `coefficients`, `residuals`,
    /// `residualSumOfSquares`, `responseMoments`, `fittedValueMoments`, `robustCovariance` — is that of
    /// y·`responseScale`; divide by it (or its square) for y's units. Ratios (t, R², F) need no conversion.
    public internal(set) var responseScale: Double = 1
    /// Σwᵢ, the weighted mean of y and Σwᵢ(yᵢ − ȳ)², taken by the double reduction of a double design while it
    /// reads y (so R²'s total sum of squares needs no pass of its own); nil on the other paths. The weights are
    /// the squares of the √wᵢ the fit uses.
    public let responseMoments: WeightedMoments?

    private let residualStore: LazyResiduals

    private let fittedMomentsStore: (@Sendable () -> WeightedMoments)?

    /// Σwᵢ, the weighted mean and Σwᵢ(ŷᵢ − mean)² of the fitted values ŷ = y − r (weights: the squares of the √wᵢ
    /// the fit uses), from one pass over X on all cores in 256-row blocks (each block's residuals and corrected
    /// two-pass sums by the kernel, `shk_fitted_moments`; blocks and chunks merged in order), without forming the n
    /// residuals. On the double path of a double design; nil on the other paths (use `residuals` there). Computed
    /// on each call.
    public func fittedValueMoments() -> WeightedMoments? { fittedMomentsStore?() }

    private let sandwich: @Sendable (HeteroskedasticityConsistentType) -> (covariance: Matrix, leverages: [Double])

    /// Sandwich covariance (XᵀWX)⁻¹ Xᵀ W Ω W X (XᵀWX)⁻¹ (p × p, NaN for aliased columns), with Ω from the
    /// (√w-scaled) residuals.
    ///
    /// HC2/HC3 divide eᵢ² by (1 − hᵢ) or (1 − hᵢ)². An observation with leverage hᵢ = 1 (1 − hᵢ ≤
    /// `leverageOneTolerance`; e.g. the only row of a level of C(g)) is fitted exactly whatever its yᵢ, so eᵢ = 0
    /// and its term is 0/0. Convention: the row adds nothing to the meat (the limit statsmodels reaches when its
    /// rounded eᵢ is 0; R's `sandwich` returns NaN throughout with a warning), and the coefficients whose estimate
    /// depends on yᵢ — those with a nonzero entry in (XᵀWX)⁻¹xᵢ, the row's influence — get NaN variances and
    /// covariances: their error variance rests on that one residual and is not identified. The others are the
    /// sandwich over the remaining rows, as statsmodels reports them (LeverageOneRobustTests).
    public func robustCovariance(_ type: HeteroskedasticityConsistentType) -> Matrix { sandwich(type).covariance }

    /// `robustCovariance(type)` with the leverages it used (HC2/HC3; for HC0/HC1 the leverages are not formed and
    /// the array is empty or zeros), in one pass.
    public func robustCovarianceWithLeverages(_ type: HeteroskedasticityConsistentType) -> (covariance: Matrix, leverages: [Double]) {
        sandwich(type)
    }

    /// 1 − hᵢ at or below this counts as leverage 1 (the HC2/HC3 kernels use the same bound).
    public static let leverageOneTolerance = 1e-12

    /// Positions (in `kept`) of the coefficients whose estimate depends on one of `rows`, rows of leverage 1: a
    /// nonzero entry of (XᵀWX)⁻¹x̃ᵢ = R⁻¹(x̃ᵢR⁻¹)ᵀ, the derivative ∂β/∂yᵢ, relative to the largest entry (rounding
    /// leaves ~1e-16 where the exact value is 0). `scaledRow(i)` is row i's kept columns, scaled and times √wᵢ.
    static func coefficientsDependingOn(rows: [Int], scaledRow: (Int) -> [Double], rInv: [Double], rank r: Int) -> Set<Int> {
        var out = Set<Int>()
        for i in rows {
            let x = scaledRow(i)
            var u = [Double](repeating: 0, count: r)
            for k in 0..<r { for a in 0...k { u[k] += x[a] * rInv[a + k * r] } }
            var influence = [Double](repeating: 0, count: r)
            for a in 0..<r { for k in a..<r { influence[a] += rInv[a + k * r] * u[k] } }
            let largest = influence.map(abs).max() ?? 0
            for a in 0..<r where abs(influence[a]) > 1e-8 * largest { out.insert(a) }
        }
        return out
    }

    /// Leverages (diagonal of the hat matrix of the weighted design).
    public func leverages() -> [Double] { sandwich(.hc2).leverages }  // HC2 is the estimator that needs them

    /// Work n·(p+1)² up to which `.automatic` runs the whole fit in double-double (a few tens of milliseconds).
    public static let extendedWorkLimit = 4_000_000.0

    /// Fits `y` on the columns of `design`.
    /// - Parameters:
    ///   - weights: case weights (all > 0 and finite; drop zero-weight rows before calling), or nil.
    ///   - tolerance: relative size below which a column counts as a linear combination of earlier ones.
    ///   - workers: threads for the double (BLAS) path over a double design (nil: all cores). Rows are cut into
    ///     fixed chunks (`RowChunks`) combined in order, so the result does not depend on this number.
    public init(design: any DesignRowSource, response y: [Double], weights: [Double]? = nil,
                tolerance: Double = 1e-10, precision: LeastSquaresPrecision = .automatic,
                extendedWorkLimit: Double = LeastSquaresFit.extendedWorkLimit, workers: Int? = nil) throws {
        try self.init(design: design, response: y, weights: weights, tolerance: tolerance, precision: precision,
                      extendedWorkLimit: extendedWorkLimit, workers: workers,
                      refinementPasses: LeastSquaresFit.maximumRefinementPasses)
    }

    /// As the public initializer; `refinementPasses` caps the iterative refinement of `.automatic` (0: never refine,
    /// an escalation redoes the reduction in extended precision; 1: refinement cannot confirm convergence and
    /// always falls back) — for tests.
    package init(design: any DesignRowSource, response y: [Double], weights: [Double]? = nil,
                 tolerance: Double = 1e-10, precision: LeastSquaresPrecision = .automatic,
                 extendedWorkLimit: Double = LeastSquaresFit.extendedWorkLimit, workers: Int? = nil,
                 refinementPasses: Int) throws {
        let n = design.rowCount, p = design.columnCount
        guard y.count == n else {
            throw LinearAlgebraError.dimensionMismatch("design has \(n) rows, response has \(y.count) values")
        }
        if let w = weights {
            guard w.count == n else {
                throw LinearAlgebraError.dimensionMismatch("design has \(n) rows, weights have \(w.count) values")
            }
            if let bad = w.firstIndex(where: { !($0 > 0) || !$0.isFinite }) {
                throw LinearAlgebraError.invalidInput("weight in row \(bad + 1) is \(w[bad]); weights must be positive and finite")
            }
        }
        // y must be finite; `fit` checks (on the double path the kernel's range check covers it for free).
        switch precision {
        case .doubleDouble:
            self = try Self.fit(DoubleDouble.self, design, y, weights, tolerance, blasFirst: false, workers: workers)
        case .extended:
            self = try Self.fit(PlatformExtended.self, design, y, weights, tolerance, blasFirst: false, workers: workers)
        case .double:
            self = try Self.fit(PlatformExtended.self, design, y, weights, tolerance, blasFirst: true, acceptDouble: true, workers: workers)
        case .automatic:
            let work = Double(n) * Double(p + 1) * Double(p + 1)
            if work <= extendedWorkLimit {
                // Small: double-double throughout (≥ 13 digits on every NIST set, milliseconds).
                self = try Self.fit(DoubleDouble.self, design, y, weights, tolerance, blasFirst: false, workers: workers)
            } else {
                // Large: LAPACK in double; if the error bound is not met, the faster hardware extended type, or
                // double-double when the bound says even that is not enough.
                do {
                    self = try Self.fit(PlatformExtended.self, design, y, weights, tolerance, blasFirst: true,
                                        refinementPasses: refinementPasses, workers: workers)
                } catch is Escalate {
                    self = try Self.fit(DoubleDouble.self, design, y, weights, tolerance, blasFirst: false, workers: workers)
                }
            }
        }
    }

    private init(coefficients: [Double], aliased: [Int], rank: Int, unscaledCovariance: Matrix,
                 standardErrorFactors: [Double], residuals: LazyResiduals,
                 residualSumOfSquares: Double, conditionNumber: Double, precision: String, rowCount: Int,
                 responseMoments: WeightedMoments?, fittedMoments: (@Sendable () -> WeightedMoments)?,
                 sandwich: @escaping @Sendable (HeteroskedasticityConsistentType) -> (covariance: Matrix, leverages: [Double])) {
        self.coefficients = coefficients; self.aliased = aliased; self.rank = rank
        self.unscaledCovariance = unscaledCovariance; self.residualStore = residuals
        self.standardErrorFactors = standardErrorFactors
        self.residualSumOfSquares = residualSumOfSquares; self.conditionNumber = conditionNumber
        self.precision = precision; self.rowCount = rowCount; self.responseMoments = responseMoments
        self.sandwich = sandwich
        self.fittedMomentsStore = fittedMoments
    }

    private static func fit<T: ExtendedReal>(_: T.Type, _ design: any DesignRowSource, _ y: [Double], _ weights: [Double]?,
                                             _ tolerance: Double, blasFirst: Bool,
                                             acceptDouble: Bool = false, refinementPasses: Int = 0,
                                             workers: Int?) throws -> LeastSquaresFit {
        let n = design.rowCount, p = design.columnCount, m = p + 1
        // √wᵢ in T, formed on first use: the accepted double path of a double design never needs it (at 1e7 weighted
        // rows it was 160 MB of Float80 square roots taken for nothing).
        var sqrtWStore: [T]?? = nil
        func sqrtWeights() -> [T]? {
            if let stored = sqrtWStore { return stored }
            let made = weights.map { $0.map { T($0).squareRoot() } }
            sqrtWStore = .some(made)
            return made
        }

        // 1. Column norms → power-of-two scales (exact), and a finiteness check of the design.
        var row = [T](repeating: .zero, count: p)
        let dm = blasFirst ? design.doubleColumns : nil
        var sumsq = [T](repeating: .zero, count: p)
        // Largest |√wᵢ·xᵢⱼ| per column, for a scale when the sum of squares over- or underflows (nil: not taken).
        var maxAbs: [Double]? = nil
        // Double design: first fold [X | y] unscaled. Householder QR commutes exactly with power-of-two column
        // scaling (every quantity of step k scales by exact powers of two), so R(X·D) = R(X)·D bit for bit unless
        // squares over- or underflow — which the kernel's range check detects, and then this attempt is dropped
        // and the columns are scaled first (the norms pass below). R's column norms are X's (weighted) column
        // norms, so the same power-of-two scales come out of R without a pass over X.
        var unscaledR: Matrix? = nil
        var responseMoments: WeightedMoments? = nil
        // √wᵢ in double for the kernel and the sandwich, once per fit, on all cores.
        let swDouble: [Double]? = dm == nil ? nil : weights.map { Self.squareRoots($0, workers: workers) }
        if let X = dm, let reduced = try Self.reduceDoubleColumns(X, y, swDouble, nil, scalingFallback: false, workers: workers) {
            unscaledR = reduced.r
            responseMoments = reduced.response
        }
        // A non-finite y: the unscaled fold accepts a block only when every column's sum of squares is finite, y's
        // included, so y needs a scan of its own only when that fold did not run or declined (a 1e7-row scan was
        // ~9 % of the fit).
        if unscaledR == nil {
            if let bad = y.firstIndex(where: { !$0.isFinite }) {
                throw LinearAlgebraError.invalidInput("response in row \(bad + 1) is \(y[bad]); remove missing values first")
            }
            // The response is not scaled with the columns, so a y of extreme magnitude (1e300·y: Σwy² overflows,
            // every term looked aliased; 1e-160·y: subnormal squares, digits lost or SEs of 0) is brought to unit
            // order here by a power of two (exact), and the fit redone on y·scale (`responseScale`). Only on the
            // paths that already lack the accepted unscaled fold (small problems, or a declined fold).
            if let factor = Self.responseScaleFactor(y, weights) {
                var fit = try Self.fit(T.self, design, y.map { $0 * factor }, weights, tolerance, blasFirst: blasFirst,
                                       acceptDouble: acceptDouble, refinementPasses: refinementPasses, workers: workers)
                fit.responseScale = factor
                return fit
            }
        }
        if let R = unscaledR {
            for j in 0..<p {
                var s = 0.0
                for i in 0...j { s += R.storage[i + j * m] * R.storage[i + j * m] }
                sumsq[j] = T(s)
            }
            maxAbs = (0..<p).map { j in (0...j).reduce(0.0) { Swift.max($0, abs(R.storage[$1 + j * m])) } }
        } else if let X = dm {
            // BLAS path: straight down the stored columns in double (vectorised sums of squares).
            let norms = Self.columnSumsOfSquares(X, weights: weights)
            for j in 0..<p { sumsq[j] = T(norms[j]) }
            if let j = (0..<p).first(where: { !norms[$0].isFinite }) {
                let i = (0..<n).first { !X[row: $0, column: j].isFinite } ?? 0
                throw LinearAlgebraError.invalidInput("design column \(j + 1), row \(i + 1) is \(X[row: i, column: j]); remove missing values first")
            }
        } else {
            let sqrtW = sqrtWeights()
            var largest = [Double](repeating: 0, count: p)
            for i in 0..<n {
                design.fillRow(i, into: &row)
                for j in 0..<p {
                    let d = row[j].doubleValue
                    if !d.isFinite {
                        throw LinearAlgebraError.invalidInput("design column \(j + 1), row \(i + 1) is \(d); remove missing values first")
                    }
                    let v = sqrtW.map { row[j] * $0[i] } ?? row[j]
                    sumsq[j] += v * v
                    largest[j] = Swift.max(largest[j], abs(v.doubleValue))
                }
            }
            maxAbs = largest
        }
        // Power-of-two scales (exact) to unit-order column norms. A column of I(1e154·x) or I(1e-170·x) has a sum
        // of squares that overflows or underflows even in double-double (whose exponent range is double's): its
        // scale then comes from its largest element, so rank, estimates and SEs do not depend on the column's
        // power-of-ten units (the unscaled column made the QR NaN — every term aliased — or looked zero).
        let scale: [Double] = (0..<p).map { j in
            let norm = sumsq[j].squareRoot().doubleValue
            if norm.isNormal && (sumsq[j].doubleValue).isNormal && sumsq[j].doubleValue < .greatestFiniteMagnitude {
                return Double(sign: .plus, exponent: -norm.exponent, significand: 1)  // 2^-e: norm·scale ∈ [1, 2)
            }
            var big = maxAbs?[j] ?? 0
            if maxAbs == nil, let X = dm {
                for i in 0..<n { big = Swift.max(big, abs(X[row: i, column: j]) * (weights?[i].squareRoot() ?? 1)) }
            }
            guard big.isNormal else { return 1 }
            return Double(sign: .plus, exponent: -big.exponent, significand: 1)   // largest element ∈ [1, 2)
        }
        let scaleT = scale.map { T($0) }

        // Row i of [X·D | y], times √wᵢ, in T.
        func scaledRow(_ i: Int, _ out: inout [T], _ sqrtW: [T]?) {
            design.fillRow(i, into: &row)
            let s = sqrtW?[i]
            for j in 0..<p { out[j] = s.map { row[j] * scaleT[j] * $0 } ?? row[j] * scaleT[j] }
            out[p] = s.map { T(y[i]) * $0 } ?? T(y[i])
        }

        // 2. Reduction to R₀.
        func reduceExtended() -> [T] {
            var red = TriangularReducer<T>(columns: m)
            let sqrtW = sqrtWeights()
            let blockRows = 64
            var block = [T](repeating: .zero, count: blockRows * m)
            var out = [T](repeating: .zero, count: m)
            var start = 0
            while start < n {
                let b = min(blockRows, n - start)
                for ii in 0..<b {
                    scaledRow(start + ii, &out, sqrtW)
                    for j in 0..<m { block[ii + j * b] = out[j] }
                }
                red.append(&block, rows: b)
                start += b
            }
            return red.r
        }
        func reduceDouble() throws -> [T] {
            if var R = unscaledR {
                // R(X·D) = R(X)·D: scale columns 0..<p (y's column is not scaled).
                for j in 0..<p { for i in 0...j { R.storage[i + j * m] *= scale[j] } }
                return R.storage.map { T($0) }
            }
            if let X = dm {
                guard let reduced = try Self.reduceDoubleColumns(X, y, swDouble, scale, workers: workers) else {
                    throw LinearAlgebraError.invalidInput("least-squares reduction failed")  // unreachable: scaling fallback on
                }
                responseMoments = reduced.response
                return reduced.r.storage.map { T($0) }
            }
            var tsqr = TallSkinnyQR(columns: m)
            let blockRows = householderBlockRows(columns: m)
            let sqrtW = sqrtWeights()
            var out = [T](repeating: .zero, count: m)
            var block = [Double](repeating: 0, count: blockRows * m)
            var start = 0
            while start < n {
                let b = min(blockRows, n - start)
                for ii in 0..<b {
                    scaledRow(start + ii, &out, sqrtW)
                    for j in 0..<m { block[ii + j * b] = out[j].doubleValue }
                }
                try block.withUnsafeMutableBufferPointer { pb in
                    try tsqr.append(block: pb.baseAddress!, rows: b, leadingDimension: b)
                }
                start += b
            }
            return tsqr.r.storage.map { T($0) }
        }

        var usedPrecision = T.precisionName
        var r0: [T]
        var piv: LimitedPivotQR<T>
        var kappa: Double
        // β̃ and Σwr² refined against the data from the double R (see IterativeRefinement.swift), when taken.
        var refined: (scaledBeta: [T], residualSumOfSquares: T, passes: Int)? = nil
        if blasFirst {
            r0 = try reduceDouble()
            piv = LimitedPivotQR(r0, columns: p, tolerance: T(tolerance))
            kappa = try piv.conditionNumber()
            let tanTheta = piv.residualNorm.doubleValue / max(piv.fittedNorm.doubleValue, .leastNormalMagnitude)
            // Normwise (ε·κ·(1 + κ·tan θ)) and per-coefficient first-order bounds: both must promise ~11 digits.
            let amplification = max(kappa * (1 + kappa * tanTheta), piv.componentwiseErrorFactor(kappa: kappa, rows: n))
            let bound = Double.ulpOfOne * amplification
            usedPrecision = "double"
            if !acceptDouble && !(bound < 1e-11) {
                // Same bound with T's unit roundoff: if even T is not enough, the caller redoes it in double-double.
                let boundT = T.unitRoundoff * amplification
                if !(boundT < 1e-11) && T.self != DoubleDouble.self { throw Escalate() }
                // First the cheap way: keep the double R (its (XᵀWX)⁻¹ is good to ε·κ, the double path's own
                // standard for SEs) and refine β̃ against the data in T, O(n·p) per pass. Its corrections stop at
                // T's rounding floor, the same first-order bound as boundT (a few times it, as slack).
                if refinementPasses > 0, Double.ulpOfOne * kappa < Self.refinementConditionLimit,
                   let result = Self.refineSolution(piv, design, dm, y, weights, scale: scaleT,
                                                    floor: max(1e-14, 4 * boundT), maximumPasses: refinementPasses,
                                                    workers: workers) {
                    refined = result
                    usedPrecision = "double (\(T.precisionName)-refined)"
                } else {
                    r0 = reduceExtended()
                    piv = LimitedPivotQR(r0, columns: p, tolerance: T(tolerance))
                    kappa = try piv.conditionNumber()
                    usedPrecision = T.precisionName
                }
            }
        } else {
            r0 = reduceExtended()
            piv = LimitedPivotQR(r0, columns: p, tolerance: T(tolerance))
            kappa = try piv.conditionNumber()
        }
        _ = r0

        // 5. Coefficients and (XᵀWX)⁻¹ in T.
        let rank = piv.rank
        let kept = Array(piv.order[0..<rank])
        let aliased = Array(piv.order[rank..<p]).sorted()
        let rInv = piv.rInverse()
        var betaScaled = [T](repeating: .zero, count: rank)
        if let refined {
            betaScaled = refined.scaledBeta
        } else {
            for a in 0..<rank {  // β̃ = R⁻¹ qty
                var s = T.zero
                for b in a..<rank { s += rInv[a + b * rank] * piv.qty[b] }
                betaScaled[a] = s
            }
        }
        var beta = [T](repeating: .zero, count: p)
        var coefficients = [Double](repeating: .nan, count: p)
        for (a, j) in kept.enumerated() {
            beta[j] = betaScaled[a] * scaleT[j]
            coefficients[j] = beta[j].doubleValue
        }
        var cov = Matrix(rows: p, columns: p, repeating: .nan)
        var seFactors = [Double](repeating: .nan, count: p)
        for (a, ja) in kept.enumerated() {
            for (b, jb) in kept.enumerated() {
                var s = T.zero
                for k in max(a, b)..<rank { s += rInv[a + k * rank] * rInv[b + k * rank] }
                cov[ja, jb] = (s * scaleT[ja] * scaleT[jb]).doubleValue
                // √ before the scale: scaleⱼ² alone can leave double's range (2¹⁰⁶⁰ for a column of 1e-160·x).
                if a == b { seFactors[ja] = (s.squareRoot() * scaleT[ja]).doubleValue }
            }
        }

        // Residuals: on the accepted double path of a double design, RSS is the part of Qᵀy beyond the rank
        // (the last diagonal of R when X has full rank) and the residuals are formed only when asked for; else
        // they are recomputed from the data in T.
        var residuals = [Double]()
        let residualStore: LazyResiduals
        var rss = T.zero
        let betaDouble = coefficients.map { $0.isNaN ? 0 : $0 }
        if usedPrecision == "double", let X = dm {
            rss = piv.residualNorm * piv.residualNorm
            residualStore = LazyResiduals { Self.residualsDouble(X, y, betaDouble, workers: workers) }
        } else if let refined, dm != nil {
            // The refinement's last pass has the RSS; the residuals (in T, as on the extended path) only on first use.
            rss = refined.residualSumOfSquares
            residualStore = LazyResiduals { [beta] in Self.residualsExtended(design, dm, y, beta, workers: workers) }
        } else {
        residuals = [Double](repeating: 0, count: n)
        let sqrtW = sqrtWeights()
        for i in 0..<n {
            design.fillRow(i, into: &row)
            var f = T.zero
            for j in kept { f += row[j] * beta[j] }
            let e = T(y[i]) - f
            residuals[i] = e.doubleValue
            let we = sqrtW.map { e * $0[i] } ?? e
            rss += we * we
        }
        residualStore = LazyResiduals(residuals)
        }

        // Sandwich estimators, computed on demand from R⁻¹ and the residuals (in double on the double path).
        let sandwich: @Sendable (HeteroskedasticityConsistentType) -> (covariance: Matrix, leverages: [Double])
        // The refined path keeps the double R, so its sandwich is the double path's kernel too (U = X̃R̃⁻¹ in double is
        // good to ε·κ, as R̃⁻¹R̃⁻ᵀ is; the kernel's residuals from the refined β); in T it would be an O(n·p²) pass in
        // T again, the cost the refinement exists to avoid.
        let onDoubleR = usedPrecision == "double" || refined != nil
        if onDoubleR, let X = dm {
            sandwich = Self.makeDoubleSandwich(X, y, swDouble, betaDouble, rInv.map { $0.doubleValue },
                                             kept, scale, rank: rank, workers: workers)
        } else if onDoubleR {
            sandwich = Self.makeSandwich(design, weights?.map { $0.squareRoot() }, residuals, rInv.map { $0.doubleValue },
                                         kept, scale, rank: rank)
        } else {
            sandwich = Self.makeSandwich(design, sqrtWeights(), residuals, rInv, kept, scaleT, rank: rank)
        }

        var fittedMoments: (@Sendable () -> WeightedMoments)? = nil
        if onDoubleR, let X = dm {
            fittedMoments = { Self.fittedMomentsDouble(X, y, swDouble, betaDouble, workers: workers) }
        }
        return LeastSquaresFit(coefficients: coefficients, aliased: aliased, rank: rank, unscaledCovariance: cov,
                               standardErrorFactors: seFactors, residuals: residualStore, residualSumOfSquares: rss.doubleValue, conditionNumber: kappa,
                               precision: usedPrecision, rowCount: n, responseMoments: responseMoments,
                               fittedMoments: fittedMoments, sandwich: sandwich)
    }
    /// The power of two to multiply y by when Σwᵢyᵢ² leaves [2⁻⁸⁰⁰, 2⁸⁰⁰] (it over- or underflows, or the QR of
    /// [X | y] would meet subnormal or overflowing products): 2^-e for the largest |√wᵢ·yᵢ| ∈ [2^e, 2^(e+1)).
    /// nil when y is fine as it is (always for ordinary data) or is all zeros.
    static func responseScaleFactor(_ y: [Double], _ weights: [Double]?) -> Double? {
        var largest = 0.0
        if let w = weights {
            for i in y.indices { largest = Swift.max(largest, abs(y[i]) * w[i].squareRoot()) }
        } else {
            for v in y { largest = Swift.max(largest, abs(v)) }
        }
        guard largest > 0, largest.isFinite || weights != nil else { return nil }
        if largest.isInfinite {  // √w·y overflowed: take y's and √w's sizes apart
            var big = 0.0
            for i in y.indices { big = Swift.max(big, abs(y[i]) * 0x1p-600 * weights![i].squareRoot()) }
            guard big.isNormal else { return nil }
            return Double(sign: .plus, exponent: -(big.exponent + 600), significand: 1)
        }
        // Σwy² ≤ n·largest²: safe when largest² is well inside the range for any n.
        if largest < 0x1p380 && largest > 0x1p-380 { return nil }
        return Double(sign: .plus, exponent: -largest.exponent, significand: 1)
    }

    /// Σᵢ wᵢ xᵢⱼ² per column of a double design, with vectorised sums; a column whose sum overflows although its
    /// values are finite is summed again scaled by its largest magnitude (as `dnrm2` does).
    static func columnSumsOfSquares(_ X: DoubleColumns, weights: [Double]?) -> [Double] {
        let p = X.count
        if X.rows == 0 { return [Double](repeating: 0, count: p) }
        // One column per task on the available cores; each column's sum is computed the same way whatever the
        // number of threads.
        let chunks = RowChunks(rowCount: p, chunkSize: 1)
        return (try? chunks.map(workers: chunks.workerCount()) { j in columnSumOfSquares(X, j, weights) }) ?? []
    }

    private static func columnSumOfSquares(_ X: DoubleColumns, _ j: Int, _ weights: [Double]?) -> Double {
        let n = X.rows
        return X.withColumnBases { bases in
            guard let col = bases[j] else {  // a column of ones: Σw (or n)
                return weights.map { w in w.reduce(0, +) } ?? Double(n)
            }
            do {
                var s: Double
                if let w = weights {
                    s = w.withUnsafeBufferPointer { pw in kernelWeightedSumOfSquares(col, pw.baseAddress!, n, 1) }
                } else {
                    s = kernelDot(col, col, n)
                }
                if s.isInfinite {
                    var big = 0.0
                    for i in 0..<n { big = max(big, abs(col[i])) }
                    if big.isFinite && big > 0 {
                        let inv = 1 / big
                        if let w = weights {
                            s = w.withUnsafeBufferPointer { pw in kernelWeightedSumOfSquares(col, pw.baseAddress!, n, inv) }
                        } else {
                            var acc = 0.0
                            for i in 0..<n { let v = col[i] * inv; acc += v * v }
                            s = acc
                        }
                        s = s * big * big  // may still be +∞: the power-of-two scale then falls back to 1
                        if s.isInfinite { s = .greatestFiniteMagnitude }
                    }
                }
                return s
            }
        }
    }

    /// R of [X·D | y] (rows times √wᵢ; D = diag(scale), nil for the identity) for a double design: each fixed
    /// chunk of rows (`RowChunks`) is reduced by the Householder kernel on its own thread, the block copy fused
    /// with the kernel's first pass, then the chunks' triangles are merged in order.
    ///
    /// `scalingFallback` false: nil as soon as a block's squares could overflow or underflow (or a value is not
    /// finite) instead of folding it with `dtpqrt` — the unscaled first attempt of `fit`, which then scales.
    ///
    /// Also returns y's weighted moments (weights wᵢ = √wᵢ², y unscaled), taken block by block by the kernel while
    /// the rows are in cache and merged in chunk order: R²'s total sum of squares without another pass over y.
    /// `sw` holds √wᵢ (nil: unweighted).
    ///
    /// `method` `.automatic`: `PreconditionedCholeskyQR` when it applies to these data (n ≥ 2¹⁴ and its checks
    /// pass), else the Householder fold; the tests force either.
    static func reduceDoubleColumns(_ X: DoubleColumns, _ y: [Double], _ sw: [Double]?, _ scale: [Double]?,
                                   scalingFallback: Bool = true, method: ReductionMethod = .automatic,
                                   workers: Int?) throws -> (r: Matrix, response: WeightedMoments)? {
        let n = X.rows, p = X.count, m = p + 1
        // y's moments are taken relative to the mean of up to 64 rows spread over the data (a value near ȳ).
        let origin = Self.sampleMean(y)
        // Large designs: Cholesky QR with a sampled preconditioner, checked (nil: not applicable or not accurate
        // enough for these data; then the Householder fold below).
        if method != .householder,
           let reduced = try PreconditionedCholeskyQR.reduce(X, y, sw, scale, origin: origin, workers: workers,
                                                            minimumRows: method == .preconditionedCholesky ? 2048 : nil) {
            return (reduced.r, reduced.response)
        }
        let chunks = RowChunks(rowCount: n)
        let scaleM = scale.map { $0 + [1] }  // y is not scaled
        let blockRows = householderBlockRows(columns: m)
        let parts: [(TallSkinnyQR, WeightedMoments)?] = try chunks.map(workers: chunks.workerCount(limit: workers)) { k in
            let range = chunks.range(k)
            var tsqr = TallSkinnyQR(columns: m)
            var moments = WeightedMoments(origin: origin), blockMoments = WeightedMoments(origin: origin)
            // 64-byte aligned (a cache line, one AVX-512 vector): with blockRows a multiple of 8 every column of
            // the block then starts on a line, and no vector load of the fold's ~30 passes straddles two lines
            // (measured on the AVX-512 kernel, 256 × 12 blocks in L1: 6.2 ns per row aligned, 7.7–8.9 not).
            let rawBlock = UnsafeMutableRawPointer.allocate(byteCount: blockRows * m * MemoryLayout<Double>.stride,
                                                            alignment: 64)
            defer { rawBlock.deallocate() }
            let block = rawBlock.bindMemory(to: Double.self, capacity: blockRows * m)
            let columns = UnsafeMutablePointer<UnsafePointer<Double>?>.allocate(capacity: m)
            defer { columns.deallocate() }
            let ok: Bool = try X.withColumnBases { px in
                try y.withUnsafeBufferPointer { pyb in
                    try Self.withOptionalBuffer(sw) { psw in
                        try Self.withOptionalBuffer(scaleM) { psc in
                            let py = pyb.baseAddress!
                            var start = range.lowerBound
                            while start < range.upperBound {
                                let b = min(blockRows, range.upperBound - start)
                                for j in 0..<p { columns[j] = px[j].map { $0 + start } }
                                columns[p] = py + start
                                guard try tsqr.append(columns: columns, scale: psc, sqrtWeights: psw.map { $0 + start },
                                                      rows: b, block: block, scalingFallback: scalingFallback,
                                                      lastColumnMoments: &blockMoments)
                                else { return false }
                                moments.merge(blockMoments)
                                start += b
                            }
                            return true
                        }
                    }
                }
            }
            return ok ? (tsqr, moments) : nil
        }
        guard parts.allSatisfy({ $0 != nil }) else { return nil }
        guard let first = parts.first, var (total, moments) = first else {
            return (Matrix(rows: m, columns: m), WeightedMoments(origin: origin))
        }
        for part in parts.dropFirst() {
            try total.merge(part!.0)
            moments.merge(part!.1)
        }
        return (total.r, moments)
    }

    /// √wᵢ for every row, per fixed chunk on all cores into fresh (huge-page advised) memory: a scalar `map` was
    /// ~75 ms of a 1e7-row weighted fit. `squareRoot` is correctly rounded, so the values equal `map`'s.
    static func squareRoots(_ w: [Double], workers: Int?) -> [Double] {
        parallelFill(count: w.count, workers: workers) { rows, out in
            w.withUnsafeBufferPointer { pw in
                for i in rows { out[i] = pw[i].squareRoot() }
            }
        }
    }

    /// `n` doubles in fresh memory (huge-page advised, never zero-filled, no copy: at 1e7 rows each pass over fresh
    /// pages costs), each fixed chunk of rows (`RowChunks`) written by `fill(rows, base)` on its own thread.
    static func parallelFill(count n: Int, workers: Int?,
                             _ fill: @escaping @Sendable (Range<Int>, UnsafeMutablePointer<Double>) -> Void) -> [Double] {
        let chunks = RowChunks(rowCount: n)
        return [Double](unsafeUninitializedCapacity: n) { buffer, count in
            adviseHugePages(buffer.baseAddress, bytes: n * 8)
            if let base = buffer.baseAddress {
                let out = UnsafeSendablePointer(base)
                // `map` only rethrows the body's errors and this body throws none.
                _ = try? chunks.map(workers: chunks.workerCount(limit: workers)) { k in fill(chunks.range(k), out.pointer) }
            }
            count = n
        }
    }

    /// The mean of up to 64 values at evenly spaced rows (0 if none is finite): an origin near the mean for
    /// `WeightedMoments`, in a few dozen reads.
    static func sampleMean(_ y: [Double]) -> Double {
        guard !y.isEmpty else { return 0 }
        let step = max(1, y.count / 64)
        var s = 0.0, k = 0
        for i in stride(from: 0, to: y.count, by: step) where y[i].isFinite { s += y[i]; k += 1 }
        return k > 0 ? s / Double(k) : 0
    }

    static func withOptionalBuffer<R>(_ a: [Double]?, _ body: (UnsafePointer<Double>?) throws -> R) rethrows -> R {
        guard let a else { return try body(nil) }
        return try a.withUnsafeBufferPointer { try body($0.baseAddress) }
    }

    /// Residuals y − Xβ of a double design, per fixed chunk of rows on all cores (`shk_residuals`: each row's
    /// arithmetic is fixed, so the result does not depend on the partition or the number of threads).
    static func residualsDouble(_ X: DoubleColumns, _ y: [Double], _ beta: [Double], workers: Int?) -> [Double] {
        parallelFill(count: X.rows, workers: workers) { rows, out in
            residualBlock(X, y, beta, start: rows.lowerBound, rows: rows.count, into: out + rows.lowerBound)
        }
    }

    /// The fitted values' weighted moments (see `fittedValueMoments`), relative to the mean of sampled rows of y
    /// (≈ the fitted values' mean when there is an intercept), per fixed chunk of rows on all cores.
    static func fittedMomentsDouble(_ X: DoubleColumns, _ y: [Double], _ sw: [Double]?, _ beta: [Double],
                                    workers: Int?) -> WeightedMoments {
        let n = X.rows, p = X.count
        let origin = sampleMean(y)
        let chunks = RowChunks(rowCount: n)
        let parts: [WeightedMoments] = (try? chunks.map(workers: chunks.workerCount(limit: workers)) { k in
            let range = chunks.range(k), start = range.lowerBound
            var total = WeightedMoments(origin: origin)
            let blockCount = (range.count + 255) / 256
            var blocks = [Double](repeating: 0, count: 3 * max(1, blockCount))
            withUnsafeTemporaryAllocation(of: Double.self, capacity: 256) { work in
                withUnsafeTemporaryAllocation(of: UnsafePointer<Double>?.self, capacity: max(1, p)) { cols in
                    X.withColumnBases { px in
                        y.withUnsafeBufferPointer { py in
                            beta.withUnsafeBufferPointer { pb in
                                Self.withOptionalBuffer(sw) { psw in
                                    guard let y0 = py.baseAddress else { return }
                                    for j in 0..<p { cols[j] = px[j].map { $0 + start } }
                                    shk_fitted_moments(cols.baseAddress!, pb.baseAddress, p, y0 + start, psw.map { $0 + start },
                                                       range.count, origin, &blocks, work.baseAddress!)
                                }
                            }
                        }
                    }
                }
            }
            for b in 0..<blockCount {
                total.merge(WeightedMoments(origin: origin, weight: blocks[3 * b], shiftedMean: blocks[3 * b + 1],
                                            centredSumOfSquares: blocks[3 * b + 2]))
            }
            return total
        }) ?? []
        var moments = WeightedMoments(origin: origin)
        for part in parts { moments.merge(part) }
        return moments
    }

    /// y − Xβ for rows `start ..< start + rows` of a double design, written to `e`.
    static func residualBlock(_ X: DoubleColumns, _ y: [Double], _ beta: [Double], start: Int, rows b: Int,
                              into e: UnsafeMutablePointer<Double>) {
        let p = X.count
        withUnsafeTemporaryAllocation(of: UnsafePointer<Double>?.self, capacity: max(1, p)) { cols in
            X.withColumnBases { px in
                y.withUnsafeBufferPointer { py in
                    beta.withUnsafeBufferPointer { pb in
                        guard let y0 = py.baseAddress else { return }
                        for j in 0..<p { cols[j] = px[j].map { $0 + start } }
                        shk_residuals(cols.baseAddress!, pb.baseAddress, p, y0 + start, b, e)
                    }
                }
            }
        }
    }

    /// The sandwich on the double path, per fixed chunk of rows, by the C kernel in 256-row sub-blocks that stay in
    /// L1: the residuals, U = diag(√w)·X̃·R⁻¹ (a register-blocked product read straight from the columns), for HC2/HC3
    /// the leverages hᵢ = ‖uᵢ‖², then the rows of U scaled by √ωᵢ and meat += UᵀU — one read of each chunk. The
    /// chunks' meats are added in chunk order. (OpenBLAS's dtrmm + dsyrk on 11-column panels, used before, spent half
    /// their time copying panels, and needed a second read of X for the residuals.)
    private static func makeDoubleSandwich(_ X: DoubleColumns, _ y: [Double], _ sw: [Double]?, _ beta: [Double], _ rInv: [Double],
                                         _ kept: [Int], _ scale: [Double], rank r: Int, workers: Int?)
        -> @Sendable (HeteroskedasticityConsistentType) -> (covariance: Matrix, leverages: [Double]) {
        let n = X.rows, p = X.count
        return { type in
            var out = Matrix(rows: p, columns: p, repeating: .nan)
            if r == 0 { return (out, [Double](repeating: 0, count: n)) }
            let chunks = RowChunks(rowCount: n)
            let hcScale = Double(n) / Double(n - r)
            let keptScale = kept.map { scale[$0] }
            let needLeverages = type == .hc2 || type == .hc3
            var parts: [(meat: [Double], undefined: Bool)] = []
            var failed = false
            // HC2/HC3: the kernel writes each chunk's leverages straight into the returned array (no copy of n doubles).
            let lev = [Double](unsafeUninitializedCapacity: needLeverages ? n : 0) { buffer, count in
                let levOut = buffer.baseAddress.map { UnsafeSendablePointer($0) }  // each chunk writes its own rows
                do {
                    parts = try chunks.map(workers: chunks.workerCount(limit: workers)) { k in
                        let range = chunks.range(k), start = range.lowerBound
                        var meat = [Double](repeating: 0, count: r * r)
                        var undefined = false
                        if range.isEmpty { return (meat, undefined) }
                        // HC0/HC1: ω does not depend on hᵢ, so √ωᵢ = |eᵢ|·wᵢ·c scales the rows as U is formed.
                        let c = type == .hc1 ? hcScale.squareRoot() : 1
                        var work = [Double](repeating: 0, count: shk_meat_work_doubles(r))
                        withUnsafeTemporaryAllocation(of: UnsafePointer<Double>?.self, capacity: p + r) { cols in
                            X.withColumnBases { px in
                                y.withUnsafeBufferPointer { py in
                                    guard let y0 = py.baseAddress else { return }
                                    for j in 0..<p { cols[j] = px[j].map { $0 + start } }
                                    for a in 0..<r { cols[p + a] = px[kept[a]].map { $0 + start } }
                                    Self.withOptionalBuffer(sw) { psw in
                                        beta.withUnsafeBufferPointer { pb in
                                            rInv.withUnsafeBufferPointer { pr in
                                                keptScale.withUnsafeBufferPointer { ps in
                                                    meat.withUnsafeMutableBufferPointer { pm in
                                                        work.withUnsafeMutableBufferPointer { pw in
                                                            let all = cols.baseAddress!, w = psw.map { $0 + start }
                                                            if needLeverages {
                                                                undefined = shk_sandwich_meat_hc23(
                                                                    all, p, pb.baseAddress, y0 + start, w, type == .hc3 ? 1 : 0,
                                                                    all + p, ps.baseAddress, pr.baseAddress, r, range.count,
                                                                    pm.baseAddress, levOut!.pointer + start, pw.baseAddress) == 0
                                                            } else {
                                                                shk_sandwich_meat_hc01(all, p, pb.baseAddress, y0 + start, w, c,
                                                                                       all + p, ps.baseAddress, pr.baseAddress, r,
                                                                                       range.count, pm.baseAddress, pw.baseAddress)
                                                            }
                                                        }
                                                    }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                        return (meat, undefined)
                    }
                } catch {
                    failed = true
                }
                count = failed ? 0 : buffer.count
            }
            if failed { return (out, [Double](repeating: .nan, count: n)) }
            var meat = [Double](repeating: 0, count: r * r)
            for part in parts { for i in 0..<(r * r) { meat[i] += part.meat[i] } }
            if type == .hc1 && n <= r { return (out, lev) }
            var undefinedCoefficients = Set<Int>()
            if parts.contains(where: \.undefined) {
                let rows = lev.indices.filter { 1 - lev[$0] <= leverageOneTolerance }
                undefinedCoefficients = coefficientsDependingOn(rows: rows, scaledRow: { i in
                    (0..<r).map { a in X[row: i, column: kept[a]] * scale[kept[a]] * (sw?[i] ?? 1) }
                }, rInv: rInv, rank: r)
            }
            var m = Matrix(rows: r, columns: r, columnMajor: meat)
            m.symmetrize(fromUpper: true)
            let ri = Matrix(rows: r, columns: r, columnMajor: rInv)
            guard let left = try? Matrix.multiply(ri, m), let cov = try? Matrix.multiply(left, ri, transposeB: true) else {
                return (out, lev)
            }
            for a in 0..<r { for c in 0..<r { out[kept[a], kept[c]] = cov[a, c] * scale[kept[a]] * scale[kept[c]] } }
            for a in undefinedCoefficients { for c in 0..<p { out[kept[a], c] = .nan; out[c, kept[a]] = .nan } }
            return (out, lev)
        }
    }

    private static func makeSandwich<U: ExtendedReal>(_ design: any DesignRowSource, _ sqrtW: [U]?, _ residuals: [Double],
                                                      _ rInv: [U], _ kept: [Int], _ scaleT: [U], rank: Int)
        -> @Sendable (HeteroskedasticityConsistentType) -> (covariance: Matrix, leverages: [Double]) {
        let n = design.rowCount, p = design.columnCount
        return { type in
            var meat = [U](repeating: .zero, count: rank * rank)
            var rowT = [U](repeating: .zero, count: p)
            var x = [U](repeating: .zero, count: rank)
            var u = [U](repeating: .zero, count: rank)
            var lev = [Double](repeating: 0, count: n)
            var leverageOne: [(row: Int, x: [Double])] = []
            for i in 0..<n {
                design.fillRow(i, into: &rowT)
                let s = sqrtW?[i]
                for a in 0..<rank {
                    let j = kept[a]
                    x[a] = s.map { rowT[j] * scaleT[j] * $0 } ?? rowT[j] * scaleT[j]
                }
                var h = U.zero
                for k in 0..<rank {  // u = x̃ R⁻¹ (x̃: scaled, weighted, kept columns)
                    var acc = U.zero
                    for a in 0...k { acc += x[a] * rInv[a + k * rank] }
                    u[k] = acc
                    h += acc * acc
                }
                lev[i] = h.doubleValue
                let e = s.map { U(residuals[i]) * $0 } ?? U(residuals[i])
                var omega = e * e
                switch type {
                case .hc0: break
                case .hc1: omega = omega * U(n) / U(n - rank)
                case .hc2, .hc3:
                    // Leverage 1: the row adds nothing; its coefficients are marked below (see `robustCovariance`).
                    let oneMinusH = U(1) - h
                    if oneMinusH.doubleValue <= leverageOneTolerance {
                        leverageOne.append((i, x.map(\.doubleValue)))
                        continue
                    }
                    omega = omega / (type == .hc3 ? oneMinusH * oneMinusH : oneMinusH)
                }
                if omega == .zero { continue }
                for b in 0..<rank {
                    let ob = omega * u[b]
                    for a in 0...b { meat[a + b * rank] += ob * u[a] }
                }
            }
            var out = Matrix(rows: p, columns: p, repeating: .nan)
            if type == .hc1 && n <= rank { return (out, lev) }
            let rowsByIndex = Dictionary(uniqueKeysWithValues: leverageOne.map { ($0.row, $0.x) })
            let undefinedCoefficients = coefficientsDependingOn(rows: leverageOne.map(\.row), scaledRow: { rowsByIndex[$0]! },
                                                                rInv: rInv.map(\.doubleValue), rank: rank)
            for b in 0..<rank { for a in 0..<b { meat[b + a * rank] = meat[a + b * rank] } }
            // R⁻¹ · meat · R⁻ᵀ, then undo the column scaling.
            var left = [U](repeating: .zero, count: rank * rank)
            for a in 0..<rank {
                for b in 0..<rank {
                    var acc = U.zero
                    for k in a..<rank { acc += rInv[a + k * rank] * meat[k + b * rank] }
                    left[a + b * rank] = acc
                }
            }
            for a in 0..<rank {
                for b in 0..<rank {
                    var acc = U.zero
                    for k in b..<rank { acc += left[a + k * rank] * rInv[b + k * rank] }
                    out[kept[a], kept[b]] = (acc * scaleT[kept[a]] * scaleT[kept[b]]).doubleValue
                }
            }
            for a in undefinedCoefficients { for c in 0..<p { out[kept[a], c] = .nan; out[c, kept[a]] = .nan } }
            return (out, lev)
        }
    }
}

/// The reduction of a double design to R (`LeastSquaresFit.reduceDoubleColumns`).
enum ReductionMethod: Sendable {
    /// Preconditioned Cholesky QR for large designs when its checks pass, else the Householder fold.
    case automatic
    /// Always the Householder fold.
    case householder
    /// Preconditioned Cholesky QR from 2048 rows on (still falling back when its checks fail).
    case preconditionedCholesky
}

/// Internal signal: the hardware extended type would not meet the error bound either.
private struct Escalate: Error {}

#if arch(x86_64) || arch(i386)
/// The extended type used by `.automatic` and `.extended`: hardware 80-bit x87 arithmetic.
typealias PlatformExtended = Float80
#else
/// The extended type used by `.automatic` and `.extended`: portable double-double.
typealias PlatformExtended = DoubleDouble
#endif

/// Streaming structured Householder reduction of a tall matrix to its m × m triangular factor, in T.
/// Each block B is annihilated against the current R ([R; B] → [R'; 0]); only R's row k and the block take part
/// in step k, so a block of b rows costs b·m² operations and no Q is stored.
struct TriangularReducer<T: ExtendedReal> {
    let m: Int
    /// m × m, column-major, upper triangular.
    var r: [T]

    init(columns m: Int) {
        self.m = m
        r = [T](repeating: .zero, count: m * m)
    }

    mutating func append(_ block: inout [T], rows b: Int) {
        for k in 0..<m {
            var sigma = T.zero
            for i in 0..<b { sigma += block[i + k * b] * block[i + k * b] }
            if sigma == .zero { continue }
            let akk = r[k + k * m]
            let norm = (akk * akk + sigma).squareRoot()
            let alpha = akk > .zero ? -norm : norm
            let v0 = akk - alpha
            let tau = T(2) / (v0 * v0 + sigma)
            if k + 1 < m {
                for c in (k + 1)..<m {
                    var s = v0 * r[k + c * m]
                    for i in 0..<b { s += block[i + k * b] * block[i + c * b] }
                    s = s * tau
                    r[k + c * m] -= s * v0
                    for i in 0..<b { block[i + c * b] -= s * block[i + k * b] }
                }
            }
            r[k + k * m] = alpha
        }
    }
}

/// Householder QR of the small (p+1) × (p+1) factor R₀ = [R | Qᵀy] with LINPACK `dqrdc2`-style limited
/// pivoting: a column whose remaining norm falls below `tolerance` × its original norm is moved to the end.
struct LimitedPivotQR<T: ExtendedReal> {
    let p: Int
    /// Model-order index of the column at each position; the first `rank` are kept.
    var order: [Int]
    var rank = 0
    /// rank × rank upper-triangular R of the kept columns (column-major).
    var r: [T]
    /// First `rank` elements of Qᵀy.
    var qty: [T]
    /// ‖residual‖ = norm of the rest of Qᵀy.
    var residualNorm: T
    /// ‖Qᵀy‖ over the kept part = ‖fitted‖.
    var fittedNorm: T

    init(_ r0: [T], columns p: Int, tolerance: T) {
        let m = p + 1
        self.p = p
        var a = r0  // m × m column-major
        var order = Array(0..<p)
        var original = (0..<p).map { j -> T in
            var s = T.zero
            for i in 0..<m { s += a[i + j * m] * a[i + j * m] }
            return s.squareRoot()
        }
        var k = 0, end = p
        while k < end {
            var sigma = T.zero
            for i in k..<m { sigma += a[i + k * m] * a[i + k * m] }
            let remaining = sigma.squareRoot()
            if original[k] == .zero || !(remaining > tolerance * original[k]) {
                // Aliased: rotate column k to position end-1.
                let col = Array(a[(k * m)..<((k + 1) * m)])
                let ok = order[k], on = original[k]
                for c in k..<(end - 1) {
                    for i in 0..<m { a[i + c * m] = a[i + (c + 1) * m] }
                    order[c] = order[c + 1]; original[c] = original[c + 1]
                }
                for i in 0..<m { a[i + (end - 1) * m] = col[i] }
                order[end - 1] = ok; original[end - 1] = on
                end -= 1
                continue
            }
            let akk = a[k + k * m]
            let alpha = akk > .zero ? -remaining : remaining
            let v0 = akk - alpha
            // vᵀv = v0² + Σ_{i>k} a_ik²
            let vtv = v0 * v0 + (sigma - akk * akk)
            let tau = T(2) / vtv
            for c in (k + 1)..<m where c < end || c == p {
                var s = v0 * a[k + c * m]
                for i in (k + 1)..<m { s += a[i + k * m] * a[i + c * m] }
                s = s * tau
                a[k + c * m] -= s * v0
                for i in (k + 1)..<m { a[i + c * m] -= s * a[i + k * m] }
            }
            a[k + k * m] = alpha
            for i in (k + 1)..<m { a[i + k * m] = .zero }
            k += 1
        }
        rank = k
        self.order = order
        var rr = [T](repeating: .zero, count: k * k)
        for c in 0..<k { for i in 0...c { rr[i + c * k] = a[i + c * m] } }
        r = rr
        qty = (0..<k).map { a[$0 + p * m] }
        var res = T.zero
        for i in k..<m { res += a[i + p * m] * a[i + p * m] }
        residualNorm = res.squareRoot()
        var fit = T.zero
        for i in 0..<k { fit += qty[i] * qty[i] }
        fittedNorm = fit.squareRoot()
    }

    /// Per-coefficient first-order error bound of a backward-stable QR, divided by unit roundoff and by what the
    /// coefficient needs; the largest over the kept coefficients. With ρₐ = ‖eₐᵀR⁻¹‖ (= ‖eₐᵀX⁺‖), a backward
    /// error u·‖X‖ in X and u·‖y‖ in y moves β̃ₐ by at most u·ρₐ·(‖R‖‖β̃‖ + ‖y‖ + κ‖r‖) (the last term through
    /// (XᵀX)⁻¹Xᵀ δX r). The need is |β̃ₐ| (relative accuracy), or 1e5·σ̂·ρₐ (a millionth of the standard error
    /// per 1e-11) when that is larger, so a coefficient that is zero up to noise does not force extended precision.
    /// The normwise bound ε·κ·(1 + κ tan θ) alone misses small coefficients next to large ones (replicated NIST
    /// Wampler1: κ = 4e3 but the intercept loses 2e-9 relatively in double).
    func componentwiseErrorFactor(kappa: Double, rows n: Int) -> Double {
        let k = rank
        if k == 0 { return 0 }
        let inv = rInverse().map(\.doubleValue)
        let q = qty.map(\.doubleValue)
        var beta = [Double](repeating: 0, count: k)
        for a in 0..<k { var s = 0.0; for b in a..<k { s += inv[a + b * k] * q[b] }; beta[a] = s }
        var normR = 0.0
        for v in r { normR += v.doubleValue * v.doubleValue }
        normR = normR.squareRoot()
        let normB = beta.reduce(0) { $0 + $1 * $1 }.squareRoot()
        let res = residualNorm.doubleValue, fit = fittedNorm.doubleValue
        let normY = (res * res + fit * fit).squareRoot()
        let sigma = n > k ? res / Double(n - k).squareRoot() : 0
        var worst = 0.0
        for a in 0..<k {
            var rho = 0.0
            for b in a..<k { rho += inv[a + b * k] * inv[a + b * k] }
            rho = rho.squareRoot()
            let err = rho * (normR * normB + normY + kappa * res)
            let need = max(abs(beta[a]), 1e5 * sigma * rho)
            let f = need > 0 ? err / need : .infinity
            worst = max(worst, f.isNaN ? .infinity : f)
        }
        return worst
    }

    /// dtrcon on R rounded to double; ∞ for rank 0.
    func conditionNumber() throws -> Double {
        if rank == 0 { return .infinity }
        let rd = Matrix(rows: rank, columns: rank, columnMajor: r.map { $0.doubleValue })
        let rc = try rd.triangularReciprocalCondition()
        return rc > 0 ? 1 / rc : .infinity
    }

    /// R⁻¹ (upper triangular, column-major rank × rank) by back substitution in T.
    func rInverse() -> [T] {
        let k = rank
        var inv = [T](repeating: .zero, count: k * k)
        for c in 0..<k {
            // Solve R x = e_c for the upper part x[0...c].
            inv[c + c * k] = T(1) / r[c + c * k]
            var i = c - 1
            while i >= 0 {
                var s = T.zero
                for l in (i + 1)...c { s += r[i + l * k] * inv[l + c * k] }
                inv[i + c * k] = -s / r[i + i * k]
                i -= 1
            }
        }
        return inv
    }
}

/// The residuals of a fit: stored, or computed on first use and then kept (thread-safe).
final class LazyResiduals: @unchecked Sendable {
    private let queue = DispatchQueue(label: "LeastSquaresFit.residuals")
    private var stored: [Double]?
    private var compute: (@Sendable () -> [Double])?

    init(_ values: [Double]) { stored = values }
    init(compute: @escaping @Sendable () -> [Double]) { self.compute = compute }

    var value: [Double] {
        queue.sync {
            if let stored { return stored }
            let v = compute?() ?? []
            stored = v
            compute = nil
            return v
        }
    }
}
