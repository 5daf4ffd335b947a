import CLapack
import Dispatch
import Matrix

/// Ordinary least squares straight from a CSV file, never holding the data in memory.
///
/// Each worker (one per core) parses its byte range of the file into L1-sized blocks of rows of [1 | X | y] and
/// folds every block into a running triangular factor (`TallSkinnyQR`: Householder reflections of the stacked
/// [R; block], the structured QR of LAPACK `dtpqrt`, in an L1-resident kernel). The workers' R factors are stacked and factored once more, which gives the R of a Householder
/// QR of the whole matrix (up to row signs). With y as the last column, R's last column holds Qᵀy and its last
/// diagonal element is ± the residual norm, so β = R₁₁⁻¹ Qᵀy and (XᵀX)⁻¹ = R₁₁⁻¹R₁₁⁻ᵀ: XᵀX is never formed.
/// Memory is O(block · p + p²), independent of the number of rows.
///
/// HC1 standard errors need the residuals: a second streaming pass computes U = X R₁₁⁻¹ per block (`dtrsm`) and
/// accumulates UᵀΩU (`dsyrk`, Ω = diag(eᵢ²)), and Cov = n/(n−p) · R₁₁⁻¹ (UᵀΩU) R₁₁⁻ᵀ.
///
/// This is the double-precision BLAS path for large, well-conditioned models. It reports the condition number of
/// R₁₁ (LAPACK `dtrcon`) and refuses a rank-deficient design; `LinearModel` adds formulas, factors, weights,
/// aliased-term detection and an extended-precision fallback for ill-conditioned data.
public struct StreamingLeastSquares: Sendable {
    /// Term names: "(Intercept)" (when fitted) then the predictors.
    public let terms: [String]
    public let coefficients: [Double]
    /// Classical standard errors, or HC1 when the fit was asked for `robust: true`.
    public let standardErrors: [Double]
    /// Whether `standardErrors` are HC1 (heteroskedasticity-consistent, n/(n−p) scaled).
    public let isRobust: Bool
    /// Rows used, and rows dropped because a variable in the model was missing (listwise deletion).
    public let n: Int
    public let droppedMissing: Int
    public let residualSumOfSquares: Double
    /// R² (centred when the model has an intercept).
    public let rSquared: Double
    /// 1-norm condition number of R₁₁ (of X), from LAPACK `dtrcon`.
    public let conditionNumber: Double

    /// Fits `response ~ predictors` (with an intercept unless `intercept` is false) from the CSV file at `path`.
    ///
    /// - Throws: `DataError` naming the line and column of a non-numeric field or an unknown variable, or when the
    ///   design is rank deficient or has too few rows.
    public static func fit(path: String, response: String, predictors: [String], intercept: Bool = true,
                           robust: Bool = false, naTokens: [String] = ["NA"], delimiter: UInt8? = nil,
                           decimalSeparator: UInt8? = nil, workers: Int? = nil,
                           blockRows: Int? = nil) throws -> StreamingLeastSquares {
        var scanner = try StreamingCSVScanner(path: path, delimiter: delimiter, workers: workers)
        scanner.minimumBytesPerWorker = 1 << 22
        let decimal = decimalSeparator ?? (scanner.delimiter == 59 ? 44 : 46)
        var roles = [Int32](repeating: -1, count: scanner.header.count)
        let offset = intercept ? 1 : 0
        for (j, name) in predictors.enumerated() { roles[try scanner.columnIndex(name)] = Int32(j + offset) }
        let yIndex = try scanner.columnIndex(response)
        guard roles[yIndex] == -1 else { throw DataError.invalid("\(response) is both the response and a predictor") }
        let p = predictors.count + offset
        roles[yIndex] = Int32(p)
        let names = (intercept ? ["(Intercept)"] : []) + predictors
        let na = naTokens.map { Array($0.utf8) }
        let blasThreads = openblas_get_num_threads()
        openblas_set_num_threads(1)  // parallelism comes from the workers; small BLAS calls lose to thread hand-offs
        defer { openblas_set_num_threads(blasThreads) }
        let foldRows = blockRows ?? householderBlockRows(columns: p + 1)   // QR blocks in L1
        let sandwichRows = blockRows ?? 2048                               // dtrmm/dsyrk blocks in L2

        // Pass 1: R of [X | y].
        let sinks = try scanner.scan {
            QRFoldingSink(roles: roles, columns: p + 1, intercept: intercept, names: names + [response],
                          naTokens: na, decimal: decimal, blockRows: foldRows)
        }
        var n = 0, dropped = 0
        var stacked: [Double] = []
        let m = p + 1
        var parts: [[Double]] = []
        for var s in sinks {
            try s.flush()
            n += s.rowsUsed; dropped += s.rowsDropped
            if s.rowsUsed > 0 { parts.append(s.upperTriangle()) }
        }
        guard n > p else {
            throw DataError.invalid("\(path): \(n) complete rows for \(p) coefficients; OLS needs more rows than coefficients")
        }
        // Merge: stack the workers' m × m R factors and factor once more.
        let rowsStacked = parts.count * m
        stacked = [Double](repeating: 0, count: rowsStacked * m)
        for (w, r) in parts.enumerated() {
            for j in 0..<m { for i in 0...j { stacked[w * m + i + j * rowsStacked] = r[i + j * m] } }
        }
        var tau = [Double](repeating: 0, count: m)
        let info = LAPACKE_dgeqrf(LAPACK_COL_MAJOR, Int32(rowsStacked), Int32(m), &stacked, Int32(rowsStacked), &tau)
        guard info == 0 else { throw DataError.invalid("dgeqrf failed (info \(info))") }
        var r = [Double](repeating: 0, count: m * m)
        for j in 0..<m { for i in 0...j { r[i + j * m] = stacked[i + j * rowsStacked] } }

        // Rank: a diagonal element tiny relative to its column of R (R's columns have the norms of X's columns).
        for j in 0..<p {
            var colNorm = 0.0
            for i in 0...j { colNorm += r[i + j * m] * r[i + j * m] }
            if abs(r[j + j * m]) <= 1e-10 * colNorm.squareRoot() || colNorm == 0 {
                throw DataError.invalid("\(names[j]) is (nearly) a linear combination of the other terms; use `regress`, which reports aliased terms")
            }
        }
        var r11 = [Double](repeating: 0, count: p * p)
        for j in 0..<p { for i in 0...j { r11[i + j * p] = r[i + j * m] } }
        var rcond = 0.0
        _ = LAPACKE_dtrcon(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "1")), Int8(UInt8(ascii: "U")), Int8(UInt8(ascii: "N")),
                           Int32(p), r11, Int32(p), &rcond)
        // β = R₁₁⁻¹ Qᵀy.
        var beta = (0..<p).map { r[$0 + p * m] }
        cblas_dtrsv(CblasColMajor, CblasUpper, CblasNoTrans, CblasNonUnit, Int32(p), r11, Int32(p), &beta, 1)
        let rss = r[p + p * m] * r[p + p * m]
        var tss = rss
        for k in offset..<p { tss += r[k + p * m] * r[k + p * m] }  // Qᵀy beyond the intercept's component (uncentred Σy² without one)
        // R₁₁⁻¹ (upper triangular).
        var rInv = r11
        _ = LAPACKE_dtrtri(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "U")), Int8(UInt8(ascii: "N")), Int32(p), &rInv, Int32(p))
        for j in 0..<p { for i in (j + 1)..<p where i < p { rInv[i + j * p] = 0 } }

        var cov = [Double](repeating: 0, count: p * p)
        if robust {
            // Pass 2: meat = Σ eᵢ² uᵢuᵢᵀ with uᵢ = xᵢR₁₁⁻¹.
            let sinks2 = try scanner.scan {
                SandwichSink(roles: roles, columns: p + 1, intercept: intercept, names: names + [response],
                             naTokens: na, decimal: decimal, blockRows: sandwichRows, beta: beta, rInverse: rInv)
            }
            var meat = [Double](repeating: 0, count: p * p)
            for var s in sinks2 {
                s.flush()
                for k in 0..<(p * p) { meat[k] += s.meat[k] }
            }
            // cov = R⁻¹ meat R⁻ᵀ (meat holds the upper triangle from dsyrk).
            for j in 0..<p { for i in (j + 1)..<p where i < p { meat[i + j * p] = meat[j + i * p] } }
            var left = [Double](repeating: 0, count: p * p)
            cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, Int32(p), Int32(p), Int32(p), 1, rInv, Int32(p),
                        meat, Int32(p), 0, &left, Int32(p))
            cblas_dgemm(CblasColMajor, CblasNoTrans, CblasTrans, Int32(p), Int32(p), Int32(p), Double(n) / Double(n - p),
                        left, Int32(p), rInv, Int32(p), 0, &cov, Int32(p))
        } else {
            let sigma2 = rss / Double(n - p)
            cblas_dsyrk(CblasColMajor, CblasUpper, CblasNoTrans, Int32(p), Int32(p), sigma2, rInv, Int32(p), 0, &cov, Int32(p))
        }
        return StreamingLeastSquares(terms: names, coefficients: beta,
                                     standardErrors: (0..<p).map { cov[$0 + $0 * p].squareRoot() }, isRobust: robust,
                                     n: n, droppedMissing: dropped, residualSumOfSquares: rss,
                                     rSquared: tss > 0 ? 1 - rss / tss : .nan,
                                     conditionNumber: rcond > 0 ? 1 / rcond : .infinity)
    }
}

/// Parses the model's columns of each record into a row of [1 | X | y]; rows with a missing value are dropped
/// and counted. Shared by both passes.
struct NumericRowParser {
    let roles: [Int32]
    let columns: Int
    let intercept: Bool
    let names: [String]
    let naTokens: [[UInt8]]
    let decimal: UInt8
    var row: [Double]
    var missing = false
    var lastColumn: Int

    init(roles: [Int32], columns: Int, intercept: Bool, names: [String], naTokens: [[UInt8]], decimal: UInt8) {
        self.roles = roles; self.columns = columns; self.intercept = intercept; self.names = names
        self.naTokens = naTokens; self.decimal = decimal
        row = [Double](repeating: 1, count: columns)
        lastColumn = roles.lastIndex { $0 >= 0 } ?? 0
    }

    @inline(__always)
    mutating func field(_ column: Int, _ bytes: UnsafePointer<UInt8>, _ count: Int) -> String? {
        let r = roles[column]
        if r < 0 { return nil }
        if FieldBytes.isMissing(bytes, count, naTokens: naTokens) { missing = true; return nil }
        guard let v = CSVNumberParser.parse(bytes, 0, count, decimal: decimal) else {
            return "\(names[Int(r)]): '\(FieldBytes.text(bytes, count))' is not a number"
        }
        row[Int(r)] = v.value
        return nil
    }
}

/// Pass 1 worker: folds blocks of rows into a running R (`TallSkinnyQR`).
struct QRFoldingSink: RecordSink {
    var parser: NumericRowParser
    let m: Int
    let blockRows: Int
    /// blockRows × m column-major pending block.
    var work: [Double]
    var tsqr: TallSkinnyQR
    var pending = 0
    var rowsUsed = 0
    var rowsDropped = 0
    var failure: String?
    var lastColumn: Int { parser.lastColumn }

    init(roles: [Int32], columns: Int, intercept: Bool, names: [String], naTokens: [[UInt8]], decimal: UInt8, blockRows: Int) {
        parser = NumericRowParser(roles: roles, columns: columns, intercept: intercept, names: names,
                                  naTokens: naTokens, decimal: decimal)
        m = columns
        self.blockRows = max(1, blockRows)
        work = [Double](repeating: 0, count: self.blockRows * columns)
        tsqr = TallSkinnyQR(columns: columns)
    }

    mutating func beginRecord() { parser.missing = false }

    mutating func field(_ column: Int, _ bytes: UnsafePointer<UInt8>, _ count: Int) -> String? {
        parser.field(column, bytes, count)
    }

    mutating func endRecord() {
        if parser.missing { rowsDropped += 1; return }
        let ld = blockRows
        let i = pending
        parser.row.withUnsafeBufferPointer { row in
            work.withUnsafeMutableBufferPointer { w in
                for j in 0..<m { w[i + j * ld] = row[j] }
            }
        }
        pending += 1
        rowsUsed += 1
        if pending == blockRows { try? fold() }
    }

    /// Folds the pending block into R.
    mutating func fold() throws {
        guard pending > 0 else { return }
        let rows = pending, ld = blockRows
        try work.withUnsafeMutableBufferPointer { w in
            try tsqr.append(block: w.baseAddress!, rows: rows, leadingDimension: ld)
        }
        pending = 0
    }

    mutating func flush() throws { try fold() }

    /// The m × m upper triangle of R.
    func upperTriangle() -> [Double] { tsqr.r.storage }
}

/// Pass 2 worker: accumulates Σ eᵢ² uᵢuᵢᵀ (uᵢ = xᵢR₁₁⁻¹) in blocks with `dtrmm` and `dsyrk`.
struct SandwichSink: RecordSink {
    var parser: NumericRowParser
    let p: Int
    let blockRows: Int
    let beta: [Double]
    let rInverse: [Double]
    var x: [Double]      // blockRows × p, column-major
    var y: [Double]
    var e: [Double]
    var meat: [Double]
    var pending = 0
    var lastColumn: Int { parser.lastColumn }

    init(roles: [Int32], columns: Int, intercept: Bool, names: [String], naTokens: [[UInt8]], decimal: UInt8,
         blockRows: Int, beta: [Double], rInverse: [Double]) {
        parser = NumericRowParser(roles: roles, columns: columns, intercept: intercept, names: names,
                                  naTokens: naTokens, decimal: decimal)
        p = columns - 1
        self.blockRows = blockRows; self.beta = beta; self.rInverse = rInverse
        x = [Double](repeating: 0, count: blockRows * p)
        y = [Double](repeating: 0, count: blockRows)
        e = [Double](repeating: 0, count: blockRows)
        meat = [Double](repeating: 0, count: p * p)
    }

    mutating func beginRecord() { parser.missing = false }
    mutating func field(_ column: Int, _ bytes: UnsafePointer<UInt8>, _ count: Int) -> String? {
        parser.field(column, bytes, count)
    }

    mutating func endRecord() {
        if parser.missing { return }
        let i = pending
        for j in 0..<p { x[i + j * blockRows] = parser.row[j] }
        y[i] = parser.row[p]
        pending += 1
        if pending == blockRows { flush() }
    }

    mutating func flush() {
        let b = pending
        guard b > 0 else { return }
        // e = y − Xβ
        for i in 0..<b { e[i] = y[i] }
        cblas_dgemv(CblasColMajor, CblasNoTrans, Int32(b), Int32(p), -1, x, Int32(blockRows), beta, 1, 1, &e, 1)
        // U = X R⁻¹ (in place), then scale row i by |eᵢ| and accumulate UᵀU.
        cblas_dtrmm(CblasColMajor, CblasRight, CblasUpper, CblasNoTrans, CblasNonUnit, Int32(b), Int32(p), 1,
                    rInverse, Int32(p), &x, Int32(blockRows))
        for j in 0..<p { for i in 0..<b { x[i + j * blockRows] *= abs(e[i]) } }
        cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, Int32(p), Int32(b), 1, x, Int32(blockRows), 1, &meat, Int32(p))
        pending = 0
    }
}
