import Foundation
import Matrix

/// An ordinary (or weighted) least-squares fit with R-style output: coefficients with standard errors, t and
/// two-sided p-values, confidence intervals, R², adjusted R², the overall F test, the residual standard error,
/// heteroskedasticity-consistent (HC0–HC3) standard errors, and the aliased (linearly dependent) terms.
///
/// Computed by Householder QR (never the normal equations), in extended precision for small or ill-conditioned
/// problems — see `LeastSquaresFit` in the Matrix module. Rank deficiency is not an error: aliased terms are
/// listed by name and their estimates are NaN, as R's `lm` reports NA.
///
/// ```swift
/// let fit = try LinearModel(formula: "samarbeid ~ likeverd + C(rolle)", data: dataset)
/// fit.coefficients[1].estimate, fit.rSquared, fit.fTest?.pValue
/// let robust = try LinearModel(formula: "y ~ x", data: dataset, robust: .hc1)
/// ```
public struct LinearModel: Sendable {
    /// One row of the coefficient table.
    public struct Coefficient: Sendable, Equatable {
        /// Term name as R/patsy print it: `(Intercept)`, `x`, `I(x^2)`, `C(rolle)[T.rådmann]`.
        public let term: String
        /// NaN when aliased.
        public let estimate: Double
        public let standardError: Double
        public let t: Double
        /// Two-sided p-value from Student's t with `residualDegreesOfFreedom` df.
        public let pValue: Double
        /// True when the column is a linear combination of earlier ones (R prints NA).
        public let isAliased: Bool
    }

    /// Response name.
    public let responseName: String
    /// The formula, when fitted from one.
    public let formula: ModelFormula?
    /// Coefficient table, in design-column order (aliased terms included, with NaN).
    public let coefficients: [Coefficient]
    /// Covariance of the estimates used for the table: σ̂²(XᵀWX)⁻¹, or the sandwich estimator when `robust` is set.
    /// NaN in rows/columns of aliased terms.
    public let covariance: Matrix
    /// The robust estimator behind `covariance`, nil for the classical one.
    public let robust: HeteroskedasticityConsistentType?
    /// HC2/HC3: 0-based dataset rows with leverage 1 (e.g. the only row of a level of C(g)). Their term eᵢ²/(1 − hᵢ)
    /// is 0/0; they add nothing to the sandwich and the coefficients that depend on them have NaN robust SEs (see
    /// `LeastSquaresFit.robustCovariance`). Empty otherwise.
    public let leverageOneRows: [Int]
    /// Observations used in the fit (after listwise deletion and dropping zero weights).
    public let n: Int
    /// Rows dropped because of a missing value in a variable used.
    public let droppedMissing: Int
    /// Rows dropped because their case weight is zero.
    public let droppedZeroWeight: Int
    /// Rank of the design (number of estimable coefficients).
    public let rank: Int
    /// Residual degrees of freedom n − rank.
    public let residualDegreesOfFreedom: Int
    /// Names of aliased terms.
    public let aliased: [String]
    /// Whether the model has an intercept (R² is centred when it does, uncentred like R's otherwise).
    public let hasIntercept: Bool
    /// Σ wᵢ eᵢ².
    public let residualSumOfSquares: Double
    /// Total sum of squares: Σ wᵢ (yᵢ − ȳ_w)² with an intercept, Σ wᵢ yᵢ² without.
    public let totalSumOfSquares: Double
    /// R² = 1 − RSS/TSS.
    public let rSquared: Double
    /// 1 − (1 − R²)(n − k)/(n − rank), k = 1 with an intercept, 0 without (as R).
    public let adjustedRSquared: Double
    /// √(RSS / (n − rank)).
    public let residualStandardError: Double
    /// True when every response value used is the same: TSS = 0, so R², adjusted R² and the overall F (0/0) are
    /// undefined (NaN) rather than the rounding noise of RSS against a zero TSS.
    public let responseIsConstant: Bool
    /// True when the residual variance is negligible next to the response's size — R's `summary.lm` test
    /// RSS/(n − rank) < 1e-30·(mean(y)² + var(y)), with y for ŷ (equal at a perfect fit). Standard errors are
    /// then rounding noise and t = estimate/SE is meaningless (R and statsmodels print t ≈ 1e15 and more).
    public let isEssentiallyPerfectFit: Bool
    /// Overall F test that all coefficients except the intercept are zero (nil for an intercept-only model).
    /// Classical with the classical covariance; a Wald F from the sandwich covariance when `robust` is set
    /// (as Stata's `regress, vce(robust)` and statsmodels do).
    public let fTest: OverallFTest?
    /// 1-norm condition number estimate (LAPACK `dtrcon` on R) of the design with columns scaled to unit length,
    /// so it does not depend on units. Above ~1e10 the data barely determine the coefficients.
    public let conditionNumber: Double
    /// Arithmetic used: "Float80", "double-double", "double", or "double (Float80-refined)" (`LeastSquaresFit.precision`).
    public let precision: String
    /// Residuals yᵢ − ŷᵢ for the rows of the design (zero-weight rows included). For large fits they are
    /// formed on first use (the fit, its RSS and its robust covariances do not need them).
    public var residuals: [Double] {
        if let storedResiduals { return storedResiduals }
        let s = leastSquares.responseScale
        return s == 1 ? leastSquares.residuals : leastSquares.residuals.map { $0 / s }
    }
    /// Fitted values ŷᵢ for the rows of the design (yᵢ − eᵢ, formed on first use rather than stored: at 1e7 rows
    /// an extra array is 80 MB of fresh pages).
    public var fittedValues: [Double] { storedFittedValues ?? zip(response, residuals).map { $0 - $1 } }
    /// 0-based dataset rows behind `residuals`/`fittedValues`.
    public var rowsUsed: [Int] { design.rowsUsed }

    private let leastSquares: LeastSquaresFit
    private let keptRows: [Int]?
    private let design: DesignMatrix
    private let response: [Double]
    private let storedFittedValues: [Double]?
    private let storedResiduals: [Double]?

    public var terms: [String] { coefficients.map(\.term) }
    public var estimates: [Double] { coefficients.map(\.estimate) }
    public var standardErrors: [Double] { coefficients.map(\.standardError) }

    /// Fits `formula` on `data` (listwise deletion of rows with a missing value in any variable used).
    public init(formula: String, data: Dataset, weights: String? = nil,
                robust: HeteroskedasticityConsistentType? = nil, precision: LeastSquaresPrecision = .automatic) throws {
        try self.init(design: DesignMatrix.build(formula: formula, dataset: data, weights: weights),
                      robust: robust, precision: precision)
    }

    /// Fits a plain design matrix with named columns. `hasIntercept` nil: detected from a constant column.
    public init(design: Matrix, response: [Double], termNames: [String], weights: [Double]? = nil,
                hasIntercept: Bool? = nil, robust: HeteroskedasticityConsistentType? = nil,
                precision: LeastSquaresPrecision = .automatic) throws {
        try self.init(design: DesignMatrix(matrix: design, response: response, columnNames: termNames,
                                           weights: weights, hasIntercept: hasIntercept),
                      robust: robust, precision: precision)
    }

    /// Fits a design built by `DesignMatrix.build`.
    public init(design: DesignMatrix, robust: HeteroskedasticityConsistentType? = nil,
                precision: LeastSquaresPrecision = .automatic) throws {
        let p = design.columnCount
        // Zero weights: dropped from the fit and counted (R's lm does the same for its df).
        var source: any DesignRowSource = design
        var y = design.response
        var w = design.weights
        var kept: [Int]? = nil
        // Weights count up to a common factor in WLS (β, SEs, t, R², F are unchanged by w → c·w): weights whose
        // sum would overflow (1e308 on several rows: R² and F were NaN) or that are all tiny are divided by a
        // power of two c = 4^k (exact, and √c too). The sums of squares reported are those of the given weights.
        var weightScale = 1.0
        if let weights = design.weights {
            var hasZero = false, largest = 0.0
            for v in weights { if v == 0 { hasZero = true }; if v > largest { largest = v } }
            if hasZero {
                let idx = weights.indices.filter { weights[$0] > 0 }
                kept = idx
                source = RowSubset(base: design, rows: idx)
                y = idx.map { design.response[$0] }
                w = idx.map { weights[$0] }
            }
            if largest.isNormal && (largest > 0x1p900 / Double(max(1, weights.count)) || largest < 0x1p-480) {
                weightScale = Double(sign: .plus, exponent: -2 * (largest.exponent / 2), significand: 1)
                w = w.map { $0.map { $0 * weightScale } }
            }
        }
        let n = y.count
        guard n > 0 else {
            throw DataError.invalid("no observations left to fit \(design.formula?.text ?? design.responseName) (\(design.rowsDropped) rows with missing values\(design.weights != nil ? ", zero weights dropped" : ""))")
        }
        let ls = try LeastSquaresFit(design: source, response: y, weights: w, precision: precision)
        leastSquares = ls
        keptRows = kept
        self.robust = robust
        formula = design.formula
        responseName = design.responseName
        hasIntercept = design.hasIntercept
        self.n = n
        droppedMissing = design.rowsDropped
        droppedZeroWeight = design.rowCount - n
        rank = ls.rank
        residualDegreesOfFreedom = n - ls.rank
        aliased = ls.aliased.map { design.columnNames[$0] }
        conditionNumber = ls.conditionNumber
        self.precision = ls.precision
        self.design = design
        response = design.response

        // The fit is of y·ys with weights w·weightScale (both powers of two, 1 for ordinary data): every sum below
        // is in those units, and t, R², F — ratios — need no conversion; estimates, SEs and the sums reported are
        // brought back at the end (a division by a power of two, exact unless the value is not representable).
        let ys = ls.responseScale
        let yFit = ys == 1 ? y : y.map { $0 * ys }
        let rss = ls.residualSumOfSquares
        residualSumOfSquares = rss / ys / ys / weightScale
        // Weighted sums without materialising unit weights (compensated mean, two passes).
        func wsum(_ f: (Int) -> Double) -> Double {
            var s = 0.0
            if let w { for i in 0..<n { s += w[i] * f(i) } } else { for i in 0..<n { s += f(i) } }
            return s
        }
        // Σw, only for the two-pass TSS and the ESS form of R² below (the common path needs no pass over w).
        lazy var sw = w.map { $0.reduce(0, +) } ?? Double(n)
        let constant = Self.isConstant(y, w)
        responseIsConstant = constant
        // The overall F's slopes: estimable columns other than the intercept.
        let slopes = (0..<p).filter { j in !ls.coefficients[j].isNaN && !(design.hasIntercept && Self.isConstantColumn(design, j)) }
        let interceptOnly = design.hasIntercept && slopes.isEmpty
        let tss: Double
        if design.hasIntercept && constant {
            // Exactly 0, not a two-pass residue of ȳ's rounding (y = 0.1 on every row).
            tss = 0
        } else if design.hasIntercept, let moments = ls.responseMoments, moments.centredSumOfSquares.isFinite {
            // Taken by the reduction while it read y: per block the corrected two-pass sums, blocks and chunks
            // merged in order by Chan et al.'s update (`WeightedMoments`) — as accurate, without two more passes.
            tss = moments.centredSumOfSquares
        } else if design.hasIntercept {
            // Corrected two-pass algorithm (Chan, Golub & LeVeque 1983): d = y − ȳ₁ with the first-pass mean,
            // TSS = Σw·d² − (Σw·d)²/Σw; the second term removes ȳ₁'s rounding error.
            let mean1 = Self.centredSums(yFit, w, around: 0).sum / sw
            let (d, d2) = Self.centredSums(yFit, w, around: mean1)
            tss = max(0, d2 - d * d / sw)
        } else {
            tss = Self.centredSums(yFit, w, around: 0).sumOfSquares
        }
        totalSumOfSquares = tss / ys / ys / weightScale
        let df = Double(n - ls.rank)
        let sigma2 = df > 0 ? rss / df : .nan
        // Mean square of y, uncentred (= mean² + variance), the scale R's perfect-fit test compares σ̂² with.
        let meanSquare: Double
        if let moments = ls.responseMoments, moments.weight > 0, moments.centredSumOfSquares.isFinite {
            meanSquare = moments.mean * moments.mean + moments.centredSumOfSquares / moments.weight
        } else {
            meanSquare = Self.centredSums(yFit, w, around: 0).sumOfSquares / sw
        }
        isEssentiallyPerfectFit = df > 0 && sigma2 < 1e-30 * meanSquare
        // σ̂ in y's units and for the given weights (√weightScale is a power of two: weightScale = 4^k).
        residualStandardError = sigma2.squareRoot() / ys / weightScale.squareRoot()
        // R² = 1 − RSS/TSS loses digits to cancellation when R² is small (RSS ≈ TSS); then ESS/TSS, a sum of
        // squares of the fitted values' deviations, is the accurate form (NIST Wampler5: R² = 0.0022).
        let essForm = tss > 0 && rss > 0.5 * tss
        if interceptOnly {
            // ŷ = ȳ: R² is 0 by definition (R prints 0), not 1 − RSS/TSS's rounding residue (3e-33); undefined
            // when y is constant.
            rSquared = tss > 0 ? 0 : .nan
        } else if essForm, design.hasIntercept, let fitted = ls.fittedValueMoments(), fitted.centredSumOfSquares.isFinite {
            // The same sum from one parallel pass over X in L1-sized blocks, without the n residuals.
            rSquared = fitted.centredSumOfSquares / tss
        } else if essForm {
            let e = ls.residuals
            var center = 0.0
            if design.hasIntercept {
                center = wsum { yFit[$0] - e[$0] } / sw
                center += wsum { yFit[$0] - e[$0] - center } / sw
            }
            let ess = wsum { (yFit[$0] - e[$0] - center) * (yFit[$0] - e[$0] - center) }
            rSquared = ess / tss
        } else {
            rSquared = tss > 0 ? 1 - rss / tss : .nan
        }
        let k = design.hasIntercept ? 1.0 : 0.0
        // Intercept-only: adjusted R² is 0 too, as R prints it ((n − 1)/(n − 1) exactly).
        adjustedRSquared = interceptOnly ? rSquared : df > 0 ? 1 - (1 - rSquared) * (Double(n) - k) / df : .nan

        // Covariance.
        // `cov` is in the fit's units (y·ys; weights cancel); the reported covariance is cov / ys².
        var cov = Matrix(rows: p, columns: p, repeating: .nan)
        var leverageOne: [Int] = []
        if let robust {
            let (robustCov, lev) = ls.robustCovarianceWithLeverages(robust)
            cov = robustCov
            if robust == .hc2 || robust == .hc3 {
                let rows = lev.indices.filter { 1 - lev[$0] <= LeastSquaresFit.leverageOneTolerance }
                if !rows.isEmpty {
                    let used = design.rowsUsed
                    leverageOne = rows.map { used[kept?[$0] ?? $0] }
                }
            }
        } else {
            for j in 0..<(p * p) { cov.storage[j] = ls.unscaledCovariance.storage[j] * sigma2 }
        }
        if ys == 1 {
            covariance = cov
        } else {
            var reported = cov
            for j in reported.storage.indices { reported.storage[j] = reported.storage[j] / ys / ys }
            covariance = reported
        }
        leverageOneRows = leverageOne

        // Coefficient table.
        let tdist: StudentTDistribution? = df > 0 ? StudentTDistribution(df: df) : nil
        coefficients = (0..<p).map { j in
            let estFit = ls.coefficients[j]
            let isAliased = estFit.isNaN
            // Classical SE as σ̂·√((XᵀWX)⁻¹)ⱼⱼ from the fit's scaled factor: (XᵀWX)⁻¹ⱼⱼ itself overflows for a column
            // like 1e-160·x although the SE (≈ 1e160) does not.
            let seFit = isAliased ? .nan : robust == nil ? sigma2.squareRoot() * ls.standardErrorFactors[j] : cov[j, j].squareRoot()
            let t = estFit / seFit
            let est = estFit / ys, se = seFit / ys
            let pValue: Double
            if let tdist, t.isFinite || t.isInfinite {
                pValue = t.isNaN ? .nan : min(1, 2 * tdist.sf(abs(t)))
            } else {
                pValue = .nan
            }
            return Coefficient(term: design.columnNames[j], estimate: est, standardError: se, t: t, pValue: pValue,
                               isAliased: isAliased)
        }

        // Overall F.
        let df1 = slopes.count
        if df1 > 0 && df > 0 {
            let statistic: Double
            if robust != nil && design.hasIntercept && constant {
                // A constant response: the classical F is 0/0 and so is this one (β_S = 0 and V_S = 0 up to
                // rounding, which made the Wald F a meaningless 0.000, p = 1).
                statistic = .nan
            } else if robust != nil {
                // Wald: β_Sᵀ V_S⁻¹ β_S / q, through a Cholesky factorisation of the robust covariance block
                // (both in the fit's units, so the response's scale cancels).
                var v = Matrix(rows: df1, columns: df1)
                for (a, ja) in slopes.enumerated() { for (b, jb) in slopes.enumerated() { v[a, b] = cov[ja, jb] } }
                let beta = slopes.map { ls.coefficients[$0] }
                if let chol = try? CholeskyFactorization(v), let z = try? chol.solve(beta) {
                    statistic = zip(beta, z).reduce(0) { $0 + $1.0 * $1.1 } / Double(df1)
                } else {
                    statistic = .nan
                }
            } else if tss > 0 && isEssentiallyPerfectFit {
                // An essentially perfect fit (σ̂ < 1e-15·rms(y), R's summary.lm test): the residuals are below the
                // resolution of the data themselves — y is known to double's 2⁻⁵³ ≈ 1.1e-16 relative — so the RSS is
                // zero to within the data's rounding and F = ESS/0 = ∞ (p = 0), as NIST certifies for Wampler1. The
                // RSS the fit leaves is rounding alone and whether it came out exactly 0 was luck: the unweighted
                // y = 2x − 1 gave 0 (F = ∞), the same line with weights 1, 1, 2 left 1e-64 and F = 5.5e62, Wampler1
                // F = 4.1e62. Deciding by the rule instead makes every such fit report F = ∞.
                statistic = .infinity
            } else {
                // R²·TSS = ESS, in whichever of the two forms above was accurate. With TSS = 0 (a constant
                // response) F is 0/0: undefined, never TSS − RSS < 0.
                statistic = tss > 0 ? (rSquared * tss / Double(df1)) / sigma2 : .nan
            }
            fTest = OverallFTest(statistic: statistic, df1: df1, df2: n - ls.rank)
        } else {
            fTest = nil
        }

        // Residuals and fitted values for every design row (zero-weight rows included).
        if kept == nil {
            storedResiduals = nil
            storedFittedValues = nil
        } else {
            let beta = ls.coefficients.map { $0.isNaN ? 0 : $0 / ys }
            let fitted = design.doubleColumns?.linearPredictor(beta) ?? [Double](repeating: .nan, count: design.rowCount)
            storedFittedValues = fitted
            storedResiduals = zip(design.response, fitted).map { $0 - $1 }
        }
    }

    /// Σ wᵢ·(yᵢ − c) and Σ wᵢ·(yᵢ − c)² (wᵢ = 1 without weights) in one vectorised pass per fixed chunk of
    /// 2¹⁸ rows (four-lane partial sums), chunks on all cores and added in chunk order — so the summation order,
    /// and the result, do not depend on the core count. At 1e7 rows the single-threaded pass was ~13 ms of a
    /// ~120 ms fit (PROFILE.md §3c).
    static func centredSums(_ y: [Double], _ w: [Double]?, around c: Double) -> (sum: Double, sumOfSquares: Double) {
        let chunks = RowChunks(rowCount: y.count, chunkSize: 1 << 18)
        if chunks.count <= 1 { return centredSums(y, w, around: c, rows: 0..<y.count) }
        // `map` only rethrows the body's errors and this body throws none; the serial fallback is never taken.
        let parts = (try? chunks.map(workers: chunks.workerCount()) { k in
            centredSums(y, w, around: c, rows: chunks.range(k))
        }) ?? [centredSums(y, w, around: c, rows: 0..<y.count)]
        var s = 0.0, q = 0.0
        for part in parts { s += part.sum; q += part.sumOfSquares }
        return (s, q)
    }

    /// `centredSums` over `rows` only.
    private static func centredSums(_ y: [Double], _ w: [Double]?, around c: Double,
                                    rows: Range<Int>) -> (sum: Double, sumOfSquares: Double) {
        y.withUnsafeBufferPointer { pyAll in
            let n = rows.count
            guard let all = pyAll.baseAddress, n > 0 else { return (0, 0) }
            let base = all + rows.lowerBound
            let raw = UnsafeRawPointer(base)
            let cv = SIMD4<Double>(repeating: c)
            var s = SIMD4<Double>(), q = SIMD4<Double>()
            var i = 0
            if let w {
                return w.withUnsafeBufferPointer { pwAll in
                    let pw = UnsafeBufferPointer(rebasing: pwAll[rows])
                    let rw = UnsafeRawPointer(pw.baseAddress!)
                    while i + 4 <= n {
                        let d = raw.loadUnaligned(fromByteOffset: i * 8, as: SIMD4<Double>.self) - cv
                        let wd = rw.loadUnaligned(fromByteOffset: i * 8, as: SIMD4<Double>.self) * d
                        s += wd
                        q += wd * d
                        i += 4
                    }
                    var ss = s.sum(), qq = q.sum()
                    while i < n { let d = base[i] - c; ss += pw[i] * d; qq += pw[i] * d * d; i += 1 }
                    return (ss, qq)
                }
            }
            while i + 4 <= n {
                let d = raw.loadUnaligned(fromByteOffset: i * 8, as: SIMD4<Double>.self) - cv
                s += d
                q += d * d
                i += 4
            }
            var ss = s.sum(), qq = q.sum()
            while i < n { let d = base[i] - c; ss += d; qq += d * d; i += 1 }
            return (ss, qq)
        }
    }

    /// True when all values of `y` with a positive weight are equal (false for no rows).
    private static func isConstant(_ y: [Double], _ w: [Double]?) -> Bool {
        guard let first = y.indices.first(where: { w == nil || w![$0] > 0 }) else { return false }
        let v = y[first]
        if let w { return !y.indices.contains { w[$0] > 0 && y[$0] != v } }
        return !y.contains { $0 != v }
    }

    private static func isConstantColumn(_ design: DesignMatrix, _ j: Int) -> Bool {
        if design.columnNames[j] == "(Intercept)" { return true }
        guard design.formula == nil else { return false }
        return design.matrix.isConstantNonzeroColumn(j)
    }

    /// Confidence intervals estimate ± t_{(1+level)/2, n−rank} · SE per coefficient, in coefficient order, as the
    /// tests' `ConfidenceInterval` (NaN bounds for aliased terms, and for all when no residual df or an invalid
    /// level).
    public func confidenceIntervals(level: Double = 0.95) -> [ConfidenceInterval] {
        guard residualDegreesOfFreedom > 0, level > 0, level < 1 else {
            return coefficients.map { _ in ConfidenceInterval(lower: .nan, upper: .nan, level: level) }
        }
        let q = StudentTDistribution(df: Double(residualDegreesOfFreedom)).inverseSF((1 - level) / 2)
        return coefficients.map {
            ConfidenceInterval(lower: $0.estimate - q * $0.standardError, upper: $0.estimate + q * $0.standardError, level: level)
        }
    }

    /// Sandwich covariance of the given type (independent of the `robust` the model was fitted with).
    /// (Entries may overflow for a response of extreme magnitude, 1e300·y; `robustStandardErrors` do not.)
    public func robustCovariance(_ type: HeteroskedasticityConsistentType) -> Matrix {
        var v = leastSquares.robustCovariance(type)
        let s = leastSquares.responseScale
        if s != 1 { for j in v.storage.indices { v.storage[j] = v.storage[j] / s / s } }
        return v
    }

    /// Standard errors from `robustCovariance(type)` (taken before the response's scale is undone).
    public func robustStandardErrors(_ type: HeteroskedasticityConsistentType) -> [Double] {
        let v = leastSquares.robustCovariance(type)
        let s = leastSquares.responseScale
        return (0..<v.rows).map { v[$0, $0].squareRoot() / s }
    }

    /// Leverages (hat values) of the observations in the fit (zero-weight rows excluded).
    public func leverages() -> [Double] { leastSquares.leverages() }
}

/// The overall F test of a linear model: H₀ that every coefficient except the intercept is zero, F on
/// (df₁, df₂) = (number of tested coefficients, residual df). Classical F = (ESS/df₁)/(RSS/df₂), or the robust
/// Wald F when the model was fitted with `robust:`. Also constructible from a published F and its df.
public struct OverallFTest: HypothesisTest, Equatable {
    public let statistic: Double
    public let df1: Int
    public let df2: Int
    public var testName: String { "Overall F test" }
    public var f: Double { statistic }
    /// [df₁, df₂].
    public var degreesOfFreedom: [Double] { [Double(df1), Double(df2)] }
    /// F·df₁/(F·df₁ + df₂): the R² of the model for the classical F with an intercept (R² = ESS/TSS and
    /// F = (ESS/df₁)/(RSS/df₂) give exactly this), the F-implied partial η² otherwise (robust Wald F, no intercept).
    public var rSquared: Double { statistic * Double(df1) / (statistic * Double(df1) + Double(df2)) }
    /// `rSquared`, named as for every F test ("partial η²"; R² of the model for the classical F).
    public var effectSize: EffectSize? { EffectSize(name: "partial η²", value: rSquared) }
    /// The same F as a summary test (what a published "F(df₁, df₂) = …" gives), nil when F is undefined (NaN).
    public var summary: FTestSummary? { try? FTestSummary(f: statistic, df1: Double(df1), df2: Double(df2)) }

    /// From a fitted model (F may be NaN — a constant response — or inf at a perfect fit).
    init(statistic: Double, df1: Int, df2: Int) { self.statistic = statistic; self.df1 = df1; self.df2 = df2 }

    /// From a published F and its degrees of freedom: F ≥ 0 (or inf), df₁ and df₂ ≥ 1.
    public init(f: Double, df1: Int, df2: Int) throws {
        guard df1 > 0, df2 > 0 else { throw StatisticsError.invalidArgument("overall F test: df must be positive, got (\(df1), \(df2))") }
        guard f >= 0 else { throw StatisticsError.invalidArgument("overall F test: F must be ≥ 0, got \(f)") }
        self.init(statistic: f, df1: df1, df2: df2)
    }

    /// The upper tail P(F ≥ f) for `.right` and `.both` (the test's p-value, from the F survival function), the
    /// lower tail for `.left`. NaN for an undefined F; 0 (upper) for F = inf.
    public func pValue(tail: Tail) -> Double {
        fDistributionPValue(statistic, df1: Double(df1), df2: Double(df2), tail: tail)
    }

    public var description: String {
        "\(testName)\n  \(statisticText("F")), p = \(formatP(pValue)) \(stars)\(effectSizeSuffix)"
    }
}

/// A subset of a design's rows (used to drop zero-weight observations).
private struct RowSubset: DesignRowSource {
    let base: DesignMatrix
    let rows: [Int]
    /// The selected rows of the double design, so the double path can read columns directly.
    let doubleColumns: DoubleColumns?

    init(base: DesignMatrix, rows: [Int]) {
        self.base = base
        self.rows = rows
        doubleColumns = base.doubleColumns?.selecting(rows: rows)
    }

    var rowCount: Int { rows.count }
    var columnCount: Int { base.columnCount }
    func fillRow<T: ExtendedReal>(_ i: Int, into row: inout [T]) { base.fillRow(rows[i], into: &row) }
}

extension LinearModel: CustomStringConvertible {
    /// An R `summary.lm`-style printout (for logs and the REPL; the CLI formats its own tables).
    public var description: String {
        func f(_ x: Double) -> String { x.isNaN ? "NA" : String(format: "%.6g", x) }
        func pv(_ p: Double) -> String { p.isNaN ? "NA" : p < 2.2e-16 ? "<2e-16" : String(format: "%.3g", p) }
        var lines: [String] = []
        lines.append("\(formula.map { "Call: \($0.text)" } ?? "Response: \(responseName)")\(robust.map { "  [\($0.rawValue.uppercased()) standard errors]" } ?? "")")
        let width = max(12, coefficients.map(\.term.count).max() ?? 0)
        lines.append("term".padding(toLength: width, withPad: " ", startingAt: 0) + "    estimate   std.error     t value    Pr(>|t|)")
        for c in coefficients {
            let cols = [f(c.estimate), f(c.standardError), f(c.t), pv(c.pValue)].map { $0.leftPadded(to: 12) }
            lines.append(c.term.padding(toLength: width, withPad: " ", startingAt: 0) + cols.joined() + " " + (c.pValue.isNaN ? "" : significanceStars(c.pValue)))
        }
        if !aliased.isEmpty { lines.append("Aliased (not estimable): \(aliased.joined(separator: ", "))") }
        lines.append("Residual standard error: \(f(residualStandardError)) on \(residualDegreesOfFreedom) degrees of freedom")
        lines.append("R²: \(f(rSquared)), adjusted R²: \(f(adjustedRSquared))\(hasIntercept ? "" : " (uncentred: no intercept)")")
        if let t = fTest { lines.append("F(\(t.df1), \(t.df2)) = \(f(t.statistic)), p = \(pv(t.pValue))") }
        lines.append("n = \(n) (dropped: \(droppedMissing) missing, \(droppedZeroWeight) zero weight); condition number \(String(format: "%.3g", conditionNumber)); \(precision) arithmetic")
        return lines.joined(separator: "\n")
    }
}

private extension String {
    func leftPadded(to n: Int) -> String { count >= n ? " " + self : String(repeating: " ", count: n - count) + self }
}
