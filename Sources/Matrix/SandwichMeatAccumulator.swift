import CLapack

/// The "meat" Σ eᵢ² uᵢuᵢᵀ of a heteroskedasticity-consistent (HC0) covariance, eᵢ = yᵢ − xᵢβ and uᵢ = xᵢR⁻¹,
/// accumulated from rows fed one at a time and processed in blocks.
///
/// It serves fits that cannot hold the data (the streaming OLS): β and R⁻¹ come from a first pass, and this second
/// pass sees every row once. Per block of `blockRows` rows: e = y − Xβ (`dgemv`), U = X R⁻¹ in place (`dtrmm`),
/// row i scaled by |eᵢ|, and UᵀU added to the meat (`dsyrk`). Then Cov = R⁻¹ · meat · R⁻ᵀ (times n/(n − p) for
/// HC1). Memory is O(blockRows · p + p²). Accumulators of disjoint row ranges combine with `merge(_:)`.
package struct SandwichMeatAccumulator: Sendable {
    /// p, the number of coefficients.
    package let columns: Int
    package let blockRows: Int
    private let beta: [Double]
    /// R⁻¹, p × p upper triangular, column-major.
    private let rInverse: [Double]
    /// The pending block: X (blockRows × p, column-major), y, and room for e.
    private var x: [Double]
    private var y: [Double]
    private var e: [Double]
    private var pending = 0
    /// The meat's upper triangle (p × p, column-major; the strict lower triangle stays zero).
    private var upper: [Double]

    /// - Parameters:
    ///   - beta: the p coefficients.
    ///   - rInverse: R⁻¹ (p × p, upper triangular; the lower triangle is not read).
    ///   - blockRows: rows per BLAS block (a few thousand keep the block in L2).
    package init(beta: [Double], rInverse: Matrix, blockRows: Int) throws {
        let p = beta.count
        guard rInverse.rows == p, rInverse.columns == p else {
            throw LinearAlgebraError.dimensionMismatch("sandwich meat: \(p) coefficients, R⁻¹ is \(rInverse.rows)×\(rInverse.columns)")
        }
        columns = p
        self.blockRows = max(1, blockRows)
        self.beta = beta
        self.rInverse = rInverse.storage
        x = [Double](repeating: 0, count: self.blockRows * p)
        y = [Double](repeating: 0, count: self.blockRows)
        e = [Double](repeating: 0, count: self.blockRows)
        upper = [Double](repeating: 0, count: p * p)
    }

    /// Adds one row: `row[0..<p]` is xᵢ and `row[p]` is yᵢ (the layout of a row of [X | y]).
    package mutating func append(row: [Double]) {
        precondition(row.count > columns, "a row of [X | y] has \(columns + 1) values")
        let i = pending
        for j in 0..<columns { x[i + j * blockRows] = row[j] }
        y[i] = row[columns]
        pending += 1
        if pending == blockRows { flush() }
    }

    /// Processes the pending rows (called by `append(row:)` when the block is full; call it once at the end).
    package mutating func flush() {
        let b = pending, p = columns
        guard b > 0, p > 0 else { pending = 0; return }
        // e = y − Xβ
        for i in 0..<b { e[i] = y[i] }
        cblas_dgemv(CblasColMajor, CblasNoTrans, Int32(b), Int32(p), -1, x, Int32(blockRows), beta, 1, 1, &e, 1)
        // U = X R⁻¹ (in place), then scale row i by |eᵢ| and accumulate UᵀU.
        cblas_dtrmm(CblasColMajor, CblasRight, CblasUpper, CblasNoTrans, CblasNonUnit, Int32(b), Int32(p), 1,
                    rInverse, Int32(p), &x, Int32(blockRows))
        for j in 0..<p { for i in 0..<b { x[i + j * blockRows] *= abs(e[i]) } }
        cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, Int32(p), Int32(b), 1, x, Int32(blockRows), 1, &upper, Int32(p))
        pending = 0
    }

    /// Adds the meat of another row range (both flushed).
    package mutating func merge(_ other: SandwichMeatAccumulator) {
        precondition(other.columns == columns, "merging sandwich meats of \(other.columns) and \(columns) columns")
        for k in upper.indices { upper[k] += other.upper[k] }
    }

    /// The meat Σ eᵢ² uᵢuᵢᵀ as a full symmetric p × p matrix (of the rows flushed so far).
    package var meat: Matrix {
        var m = Matrix(rows: columns, columns: columns, columnMajor: upper)
        m.symmetrize(fromUpper: true)
        return m
    }
}
