import Dispatch
import Matrix

/// Ordinary least squares straight from a CSV file, never holding the data in memory.
///
/// Each worker (one per core) parses its byte range of the file into L1-sized blocks of rows of [1 | X | y] and
/// folds every block into a running triangular factor (`TallSkinnyQR`: Householder reflections of the stacked
/// [R; block], the structured QR of LAPACK `dtpqrt`, in an L1-resident kernel). The workers' R factors are stacked
/// and factored once more (`HouseholderQR`), which gives the R of a Householder QR of the whole matrix (up to row
/// signs). With y as the last column, R's last column holds Qᵀy and its last
/// diagonal element is ± the residual norm, so β = R₁₁⁻¹ Qᵀy and (XᵀX)⁻¹ = R₁₁⁻¹R₁₁⁻ᵀ: XᵀX is never formed.
/// Memory is O(block · p + p²), independent of the number of rows.
///
/// HC1 standard errors need the residuals: a second streaming pass computes U = X R₁₁⁻¹ per block (`dtrmm`) and
/// accumulates UᵀΩU (`dsyrk`, Ω = diag(eᵢ²); `SandwichMeatAccumulator`), and Cov = n/(n−p) · R₁₁⁻¹ (UᵀΩU) R₁₁⁻ᵀ.
/// All BLAS and LAPACK work goes through the `Matrix` module; its errors surface as `DataError`.
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
        // Parallelism comes from the workers; small BLAS calls lose to thread hand-offs.
        return try withSingleThreadedBLAS {
            do {
                return try fit(scanner: scanner, path: path, roles: roles, intercept: intercept, names: names,
                               response: response, robust: robust, naTokens: na, decimal: decimal, blockRows: blockRows)
            } catch let error as LinearAlgebraError {
                // Only an internal inconsistency gets here (rank deficiency is caught above LAPACK).
                throw DataError.invalid("\(path): least squares failed: \(error)")
            }
        }
    }

    private static func fit(scanner: StreamingCSVScanner, path: String, roles: [Int32], intercept: Bool,
                            names: [String], response: String, robust: Bool, naTokens na: [[UInt8]], decimal: UInt8,
                            blockRows: Int?) throws -> StreamingLeastSquares {
        let offset = intercept ? 1 : 0
        let p = names.count
        let m = p + 1
        let foldRows = blockRows ?? householderBlockRows(columns: m)   // QR blocks in L1
        let sandwichRows = blockRows ?? 2048                           // dtrmm/dsyrk blocks in L2

        // Pass 1: R of [X | y].
        let sinks = try scanner.scan {
            QRFoldingSink(roles: roles, columns: m, intercept: intercept, names: names + [response],
                          naTokens: na, decimal: decimal, blockRows: foldRows)
        }
        var n = 0, dropped = 0
        var parts: [Matrix] = []
        for var s in sinks {
            try s.flush()
            n += s.rowsUsed; dropped += s.rowsDropped
            if s.rowsUsed > 0 { parts.append(s.tsqr.r) }
        }
        guard n > p else {
            throw DataError.invalid("\(path): \(n) complete rows for \(p) coefficients; OLS needs more rows than coefficients")
        }
        // Merge: stack the workers' m × m R factors and factor once more (LAPACK `dgeqrf`).
        var stacked = Matrix(rows: parts.count * m, columns: m)
        for (w, part) in parts.enumerated() {
            for j in 0..<m { for i in 0...j { stacked[w * m + i, j] = part[i, j] } }
        }
        let r = try HouseholderQR(stacked).r

        // Rank: a diagonal element tiny relative to its column of R (R's columns have the norms of X's columns).
        for j in 0..<p {
            var colNorm = 0.0
            for i in 0...j { colNorm += r[i, j] * r[i, j] }
            if abs(r[j, j]) <= 1e-10 * colNorm.squareRoot() || colNorm == 0 {
                throw DataError.invalid("\(names[j]) is (nearly) a linear combination of the other terms; use `regress`, which reports aliased terms")
            }
        }
        let r11 = r.submatrix(rows: 0..<p, columns: 0..<p)
        let rcond = try r11.triangularReciprocalCondition()
        // β = R₁₁⁻¹ Qᵀy.
        let beta = try r11.solveTriangular((0..<p).map { r[$0, p] })
        let rss = r[p, p] * r[p, p]
        var tss = rss
        for k in offset..<p { tss += r[k, p] * r[k, p] }  // Qᵀy beyond the intercept's component (uncentred Σy² without one)
        // R₁₁⁻¹ (upper triangular, zero below the diagonal).
        let rInv = try r11.triangularInverse()

        let cov: Matrix
        if robust {
            // Pass 2: meat = Σ eᵢ² uᵢuᵢᵀ with uᵢ = xᵢR₁₁⁻¹, one accumulator per worker, added in worker order.
            var total = try SandwichMeatAccumulator(beta: beta, rInverse: rInv, blockRows: sandwichRows)
            let empty = total
            let sinks2 = try scanner.scan {
                SandwichSink(roles: roles, columns: m, intercept: intercept, names: names + [response],
                             naTokens: na, decimal: decimal, meat: empty)
            }
            for var s in sinks2 {
                s.meat.flush()
                total.merge(s.meat)
            }
            let meat = total.meat
            // cov = n/(n−p) · R⁻¹ meat R⁻ᵀ.
            let left = try Matrix.multiply(rInv, meat)
            cov = try Matrix.multiply(left, rInv, transposeB: true, alpha: Double(n) / Double(n - p))
        } else {
            cov = rInv.gram(transpose: true, alpha: rss / Double(n - p))
        }
        return StreamingLeastSquares(terms: names, coefficients: beta,
                                     standardErrors: (0..<p).map { cov[$0, $0].squareRoot() }, isRobust: robust,
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
    /// The first fold that failed (`endRecord` cannot throw): later rows are only counted, and `flush()` rethrows it.
    var failure: Error?
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
        rowsUsed += 1
        if failure != nil { return }
        let ld = blockRows
        let i = pending
        parser.row.withUnsafeBufferPointer { row in
            work.withUnsafeMutableBufferPointer { w in
                for j in 0..<m { w[i + j * ld] = row[j] }
            }
        }
        pending += 1
        if pending == blockRows {
            do { try fold() } catch { failure = error; pending = 0 }
        }
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

    mutating func flush() throws {
        if let failure { throw failure }
        try fold()
    }
}

/// Pass 2 worker: parses rows of [X | y] into a `SandwichMeatAccumulator` (Σ eᵢ² uᵢuᵢᵀ, uᵢ = xᵢR₁₁⁻¹).
struct SandwichSink: RecordSink {
    var parser: NumericRowParser
    var meat: SandwichMeatAccumulator
    var lastColumn: Int { parser.lastColumn }

    init(roles: [Int32], columns: Int, intercept: Bool, names: [String], naTokens: [[UInt8]], decimal: UInt8,
         meat: SandwichMeatAccumulator) {
        parser = NumericRowParser(roles: roles, columns: columns, intercept: intercept, names: names,
                                  naTokens: naTokens, decimal: decimal)
        self.meat = meat
    }

    mutating func beginRecord() { parser.missing = false }
    mutating func field(_ column: Int, _ bytes: UnsafePointer<UInt8>, _ count: Int) -> String? {
        parser.field(column, bytes, count)
    }

    mutating func endRecord() {
        if parser.missing { return }
        meat.append(row: parser.row)
    }
}
