import CLapack

/// A dense, column-major matrix of `Double`.
///
/// Column-major storage is what BLAS and LAPACK expect, so every product and factorisation
/// hands `storage` to the library without copying or transposing.
public struct Matrix: Equatable, Sendable {
    public let rows: Int
    public let columns: Int
    /// Column-major elements: element (i, j) is `storage[i + j * rows]`. Set only inside the package (whole
    /// arrays of the wrong length would break `rows × columns`); users write elements through the subscript.
    public package(set) var storage: [Double]

    public init(rows: Int, columns: Int, repeating value: Double = 0) {
        precondition(rows >= 0 && columns >= 0, "Matrix dimensions must be non-negative")
        self.rows = rows
        self.columns = columns
        self.storage = Array(repeating: value, count: rows * columns)
    }

    /// Wraps column-major storage.
    public init(rows: Int, columns: Int, columnMajor storage: [Double]) {
        precondition(storage.count == rows * columns, "storage has \(storage.count) elements, expected \(rows * columns)")
        self.rows = rows
        self.columns = columns
        self.storage = storage
    }

    /// Builds a matrix from an array of rows (convenient in tests).
    public init(_ rowArrays: [[Double]]) {
        let r = rowArrays.count
        let c = rowArrays.first?.count ?? 0
        precondition(rowArrays.allSatisfy { $0.count == c }, "ragged row arrays")
        var s = [Double](repeating: 0, count: r * c)
        for i in 0..<r { for j in 0..<c { s[i + j * r] = rowArrays[i][j] } }
        self.init(rows: r, columns: c, columnMajor: s)
    }

    /// Builds a matrix whose columns are the given arrays.
    public init(columns columnArrays: [[Double]]) {
        let c = columnArrays.count
        let r = columnArrays.first?.count ?? 0
        precondition(columnArrays.allSatisfy { $0.count == r }, "columns of different lengths")
        self.init(rows: r, columns: c, columnMajor: columnArrays.flatMap { $0 })
    }

    public static func identity(_ n: Int) -> Matrix {
        var m = Matrix(rows: n, columns: n)
        for i in 0..<n { m[i, i] = 1 }
        return m
    }

    /// Element (row, column). Not `@inlinable`: its setter writes `storage`, whose setter is package-only; other
    /// modules use it on p × p results, the kernels work on `storage` directly.
    public subscript(row: Int, column: Int) -> Double {
        get { storage[row + column * rows] }
        set { storage[row + column * rows] = newValue }
    }

    public func column(_ j: Int) -> [Double] {
        Array(storage[(j * rows)..<((j + 1) * rows)])
    }

    /// True when column `j` holds one nonzero value in every row (an intercept column); checked in place.
    public func isConstantNonzeroColumn(_ j: Int) -> Bool {
        guard rows > 0, j >= 0, j < columns else { return false }
        let base = j * rows
        let f = storage[base]
        guard f != 0 else { return false }
        for i in 1..<rows where storage[base + i] != f { return false }
        return true
    }

    public var transposed: Matrix {
        var t = Matrix(rows: columns, columns: rows)
        for j in 0..<columns { for i in 0..<rows { t[j, i] = self[i, j] } }
        return t
    }
}
