import Foundation

extension CSVScanner {
    /// `scan(from:stop:sink:)` for the numeric pass, with the commonest fields parsed while they are scanned.
    ///
    /// Why a second loop: survey files are mostly short integers and fixed-point decimals. The generic scanner
    /// finds a field's end byte by byte and the sink then reads the same bytes again to parse them; here an
    /// unquoted field of a numeric column is parsed in the same pass (`[-]digits[.digits]`, ≤ 15 digits, exact as
    /// in `NumericSink.fixedPoint`) and the field's end is where the number ends. Everything else — quoted
    /// fields, other number forms, missing tokens, text, structural errors — goes through the generic field code
    /// below, which is the same as `scan`'s, so both loops accept the same files and report the same errors.
    func scanNumeric(from start: Int, stop: Int, sink: inout NumericSink) -> CSVChunkScan {
        let p = self.p, n = self.count, delim = self.delimiter
        let decimal = sink.decimal
        // The fused path would read a '.' delimiter as a decimal point; user NA tokens may look like numbers.
        let fused = decimal != delim && !sink.na.hasUserTokens
        let dst = sink.dst
        let powers = sink.powersOfTen
        var pos = start
        var line = 0
        var rows = 0
        while pos < stop && pos < n {
            let first = p[pos]
            if (first == Self.lf || first == Self.cr) && columns > 1 {
                if first == Self.cr && pos + 1 < n && p[pos + 1] == Self.lf { pos += 1 }
                pos += 1; line += 1
                continue
            }
            if sink.row >= sink.capacity {
                // More rows than the chunk's bound: its start was not a row boundary (see `CSVReader.parse`).
                sink.overflow = true
                return CSVChunkScan(end: pos, lines: line, rows: rows, error: nil)
            }
            let row = sink.row
            let rowLine = line
            var column = 0
            rowLoop: while true {
                var handled = false
                if fused && column < columns, let d = dst[column], pos < n {
                    // [-]digits[.digits] up to a delimiter or line end.
                    var i = pos
                    let negative = p[i] == UInt8(ascii: "-")
                    if negative { i += 1 }
                    let digitsStart = i
                    var m: UInt64 = 0
                    while i < n {
                        let digit = p[i] &- 0x30
                        if digit >= 10 { break }
                        m = m &* 10 &+ UInt64(digit)
                        i += 1
                    }
                    var digits = i - digitsStart
                    var fractionDigits = -1                       // -1: no decimal separator
                    if i < n && p[i] == decimal {
                        i += 1
                        let fractionStart = i
                        while i < n {
                            let digit = p[i] &- 0x30
                            if digit >= 10 { break }
                            m = m &* 10 &+ UInt64(digit)
                            i += 1
                        }
                        fractionDigits = i - fractionStart
                        digits += fractionDigits
                    }
                    let c: UInt8 = i < n ? p[i] : Self.lf
                    if c == delim || c == Self.lf || c == Self.cr {
                        if digits > 0 && digits <= 15 {
                            var v = Double(m)
                            if fractionDigits > 0 { v /= powers[fractionDigits] }
                            sink.store(column, d, row, negative ? -v : v, integral: fractionDigits < 0)
                            pos = i
                            handled = true
                        } else if i == pos {
                            d[row] = .nan                             // the empty field
                            handled = true
                        }
                    }
                }
                if !handled {
                    // Generic field: as in `scan`.
                    var fs: Int, fe: Int
                    var escaped = false
                    if pos < n && p[pos] == Self.quote {
                        let quoteLine = line
                        pos += 1
                        fs = pos
                        while true {
                            while pos < n && p[pos] != Self.quote {
                                if p[pos] == Self.lf { line += 1 }
                                pos += 1
                            }
                            if pos >= n {
                                return CSVChunkScan(end: n, lines: line, rows: rows, error: CSVScanError(
                                    line: quoteLine, column: column + 1,
                                    message: "unterminated quoted field (opening quote has no closing quote)"))
                            }
                            if pos + 1 < n && p[pos + 1] == Self.quote { escaped = true; pos += 2; continue }
                            break
                        }
                        fe = pos
                        pos += 1
                        if pos < n {
                            let c = p[pos]
                            if c != delim && c != Self.lf && c != Self.cr {
                                return CSVChunkScan(end: pos, lines: line, rows: rows, error: CSVScanError(
                                    line: line, column: column + 1,
                                    message: "unexpected character '\(Self.printable(c))' after a closing quote"))
                            }
                        }
                    } else {
                        fs = pos
                        while pos < n {
                            let c = p[pos]
                            if c == delim || c == Self.lf || c == Self.cr { break }
                            pos += 1
                        }
                        fe = pos
                    }
                    if column >= columns {
                        return CSVChunkScan(end: pos, lines: line, rows: rows, error: CSVScanError(
                            line: rowLine, column: column + 1,
                            message: "row has more fields than the header's \(columns)"))
                    }
                    if !sink.field(column, fs, fe, escaped: escaped, line: rowLine) {
                        return CSVChunkScan(end: pos, lines: line, rows: rows, error: nil)
                    }
                }
                column += 1
                if pos >= n { break rowLoop }
                let c = p[pos]
                pos += 1
                if c == delim { continue rowLoop }
                if c == Self.cr && pos < n && p[pos] == Self.lf { pos += 1 }
                line += 1
                break rowLoop
            }
            if column != columns {
                return CSVChunkScan(end: pos, lines: line, rows: rows, error: CSVScanError(
                    line: rowLine, column: column,
                    message: "row has \(column) field\(column == 1 ? "" : "s"), expected \(columns) as in the header"))
            }
            sink.endRow()
            rows += 1
        }
        return CSVChunkScan(end: pos, lines: line, rows: rows, error: nil)
    }
}
