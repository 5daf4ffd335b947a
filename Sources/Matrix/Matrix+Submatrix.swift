extension Matrix {
    /// A sub-matrix of consecutive rows and columns (a copy).
    public func submatrix(rows r: Range<Int>, columns c: Range<Int>) -> Matrix {
        var s = Matrix(rows: r.count, columns: c.count)
        for (jj, j) in c.enumerated() {
            for (ii, i) in r.enumerated() { s[ii, jj] = self[i, j] }
        }
        return s
    }

    /// The upper (or lower) triangle, with the other triangle set to zero.
    public func triangle(upper: Bool = true) -> Matrix {
        var t = self
        for j in 0..<columns {
            for i in 0..<rows where upper ? i > j : i < j { t[i, j] = 0 }
        }
        return t
    }
}
