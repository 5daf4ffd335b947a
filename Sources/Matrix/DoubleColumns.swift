/// A double design matrix read column by column: either one column-major `Matrix`, or one array per column.
///
/// Why: a regression on a dataset's variables used to copy every predictor into an n × p matrix before the fit
/// read it once. At 1e7 rows × 11 columns that copy was 880 MB of fresh memory — on a VM whose first touch of a
/// page costs from 50 ms to seconds per GB, most of the formula fit's time. Held as separate arrays, a column that
/// is a plain variable is the dataset's own storage (Swift arrays share their buffer on copy), and only derived
/// columns (the intercept, dummies, products, transforms) are new.
///
/// The least-squares kernels need nothing more than a base pointer per column (`withColumnBases`); a column of
/// ones (the intercept) needs none: it is `Column.ones`, read from no memory (80 MB fewer at 1e7 rows).
public struct DoubleColumns: Sendable {
    /// One column held separately.
    public enum Column: Sendable {
        /// The values (an array of `rows` doubles; shared, not copied).
        case values([Double])
        /// A column of ones (the intercept).
        case ones
    }

    /// Rows (observations).
    public let rows: Int
    /// Columns.
    public let count: Int
    private let storage: Storage

    private enum Storage: Sendable {
        case matrix(Matrix)
        case arrays([Column])
    }

    /// The columns of a column-major matrix (no copy).
    public init(_ matrix: Matrix) {
        rows = matrix.rows
        count = matrix.columns
        storage = .matrix(matrix)
    }

    /// Columns held as separate arrays of `rows` values each: no copy for up to `maximumSeparateColumns`
    /// columns; more are copied once into one matrix (`withColumnBases` pins each array in a closure of its own,
    /// one stack frame per column, and a design with thousands of dummy columns overflowed a worker thread's stack).
    public init(rows: Int, columns: [[Double]]) {
        self.init(rows: rows, columns: columns.map { Column.values($0) })
    }

    /// Columns held separately, some of them possibly columns of ones (see `init(rows:columns:)`).
    public init(rows: Int, columns: [Column]) {
        precondition(columns.allSatisfy { if case .values(let v) = $0 { return v.count == rows } else { return true } },
                     "every column must have \(rows) values")
        self.rows = rows
        count = columns.count
        if columns.count <= Self.maximumSeparateColumns {
            storage = .arrays(columns)
        } else {
            var all = [Double]()
            all.reserveCapacity(rows * columns.count)
            for c in columns {
                switch c {
                case .values(let v): all.append(contentsOf: v)
                case .ones: all.append(contentsOf: repeatElement(1.0, count: rows))
                }
            }
            storage = .matrix(Matrix(rows: rows, columns: columns.count, columnMajor: all))
        }
    }

    /// The most columns held as separate arrays (see `init(rows:columns:)`).
    public static let maximumSeparateColumns = 64

    /// The value in row `i`, column `j`.
    public subscript(row i: Int, column j: Int) -> Double {
        switch storage {
        case .matrix(let m): return m.storage[i + j * rows]
        case .arrays(let a):
            if case .values(let v) = a[j] { return v[i] }
            return 1
        }
    }

    /// Column `j` (the stored array itself when columns are held separately).
    public func column(_ j: Int) -> [Double] {
        switch storage {
        case .matrix(let m): return Array(m.storage[(j * rows)..<((j + 1) * rows)])
        case .arrays(let a):
            if case .values(let v) = a[j] { return v }
            return [Double](repeating: 1, count: rows)
        }
    }

    /// The rows `indices` (in that order) of every column; a column of ones stays one.
    public func selecting(rows indices: [Int]) -> DoubleColumns {
        let picked: [Column] = (0..<count).map { j in
            switch storage {
            case .matrix(let m):
                return .values(indices.map { m.storage[$0 + j * rows] })
            case .arrays(let a):
                guard case .values(let v) = a[j] else { return .ones }
                return .values(indices.map { v[$0] })
            }
        }
        return DoubleColumns(rows: indices.count, columns: picked)
    }

    /// Xβ for every row, by the kernel that forms the fit's residuals (all cores, terms with βⱼ = 0 skipped): its
    /// y − Xβ with y = 0, negated. Exact: 0 − a and negation do not round, and rounding to nearest is symmetric.
    public func linearPredictor(_ beta: [Double]) -> [Double] {
        precondition(beta.count == count, "β needs \(count) values")
        return LeastSquaresFit.residualsDouble(self, [Double](repeating: 0, count: rows), beta, workers: nil).map { -$0 }
    }

    /// The columns as one `Matrix` (copied when they are held separately).
    public var matrix: Matrix {
        switch storage {
        case .matrix(let m): return m
        case .arrays:
            var storage = [Double]()
            storage.reserveCapacity(rows * count)
            for j in 0..<count { storage.append(contentsOf: column(j)) }
            return Matrix(rows: rows, columns: count, columnMajor: storage)
        }
    }

    /// Calls `body` with `count` pointers, to row 0 of each column, nil for a column of ones (the C kernels read
    /// NULL as ones); they are valid only inside `body`.
    package func withColumnBases<R>(_ body: (UnsafePointer<UnsafePointer<Double>?>) throws -> R) rethrows -> R {
        try withUnsafeTemporaryAllocation(of: UnsafePointer<Double>?.self, capacity: max(1, count)) { bases in
            let out = bases.baseAddress!
            switch storage {
            case .matrix(let m):
                return try m.storage.withUnsafeBufferPointer { b in
                    let base = b.baseAddress ?? Self.emptyColumn
                    for j in 0..<count { out[j] = base + j * rows }
                    return try body(UnsafePointer(out))
                }
            case .arrays(let a):
                return try Self.nest(a, 0, out, body)
            }
        }
    }

    /// Pins the arrays one inside the other (an array's buffer pointer is valid only inside its closure).
    private static func nest<R>(_ a: [Column], _ k: Int, _ out: UnsafeMutablePointer<UnsafePointer<Double>?>,
                                _ body: (UnsafePointer<UnsafePointer<Double>?>) throws -> R) rethrows -> R {
        if k == a.count { return try body(UnsafePointer(out)) }
        guard case .values(let v) = a[k] else {
            out[k] = nil
            return try nest(a, k + 1, out, body)
        }
        return try v.withUnsafeBufferPointer { b in
            out[k] = b.baseAddress ?? emptyColumn
            return try nest(a, k + 1, out, body)
        }
    }

    /// A valid pointer for columns of zero rows (never read).
    nonisolated(unsafe) private static let emptyColumn: UnsafePointer<Double> = {
        let p = UnsafeMutablePointer<Double>.allocate(capacity: 1)
        p.initialize(to: 0)
        return UnsafePointer(p)
    }()
}
