import Foundation

extension CSVScanner {
    /// `scan(from:stop:sink:)` for the numeric pass, with the commonest fields parsed while they are scanned.
    ///
    /// Why a second loop: survey files are mostly short integers and fixed-point decimals. The generic scanner
    /// finds a field's end byte by byte and the sink then reads the same bytes again to parse them; here an
    /// unquoted field of a numeric column is parsed in the same pass (`[-]digits[.digits]`, ≤ 15 digits, exact as
    /// in `NumericSink.fixedPoint`) and the field's end is where the number ends. Everything else — quoted
    /// fields, other number forms, missing tokens, text, structural errors — goes through the same field scanner
    /// (`nextField`) and row handling as `scan`, so both loops accept the same files and report the same errors.
    func scanNumeric(from start: Int, stop: Int, sink: inout NumericSink) -> CSVChunkScan {
        let p = self.p, n = self.count, delim = self.delimiter
        let decimal = sink.decimal
        // The fused path would read a '.' delimiter as a decimal point; user NA tokens may look like numbers.
        let fused = decimal != delim && !sink.na.hasUserTokens
        let dst = sink.dst, codeDst = sink.codeDst
        let powers = sink.powersOfTen
        var pos = start
        var line = 0
        var rows = 0
        while pos < stop && pos < n {
            if skipEmptyLine(&pos, &line) { continue }
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
                if fused && column < columns && pos < n {
                    let d = dst[column], c = codeDst[column]
                    // The commonest field of a survey file: a one-digit answer code. Stored without the general
                    // digit loop (no sign, separator or length checks needed).
                    if let c, pos + 1 < n {
                        let digit = p[pos] &- 0x30
                        let next = p[pos + 1]
                        if digit < 10 && (next == delim || next == Self.lf || next == Self.cr) {
                            c[row] = digit
                            pos += 1
                            handled = true
                        }
                    }
                    if !handled && (d != nil || c != nil) {
                        let f = FixedPointDigits(p, from: pos, limit: n, decimal: decimal)
                        let next: UInt8 = f.stop < n ? p[f.stop] : Self.lf
                        if next == delim || next == Self.lf || next == Self.cr {
                            if f.digits > 0 && f.digits <= 15 {
                                if let d {
                                    sink.store(column, d, row, f.value(powers), integral: f.fractionDigits < 0)
                                } else if let c {
                                    // A whole number 0…254 is stored as its code; anything else is an exception.
                                    if f.fractionDigits < 0 && !f.negative && f.mantissa < 255 {
                                        c[row] = UInt8(truncatingIfNeeded: f.mantissa)
                                    } else {
                                        sink.codeException(column, c, row, f.value(powers), integral: f.fractionDigits < 0)
                                    }
                                }
                                pos = f.stop
                                handled = true
                            } else if f.stop == pos {
                                sink.storeMissing(column, row)          // the empty field
                                handled = true
                            }
                        }
                    }
                }
                if !handled {
                    let fs: Int, fe: Int, escaped: Bool
                    switch nextField(&pos, &line, column: column) {
                    case let .field(start, end, isEscaped): (fs, fe, escaped) = (start, end, isEscaped)
                    case let .failure(end, error): return CSVChunkScan(end: end, lines: line, rows: rows, error: error)
                    }
                    if column >= columns {
                        return CSVChunkScan(end: pos, lines: line, rows: rows, error: tooManyFields(line: rowLine))
                    }
                    if !sink.field(column, fs, fe, escaped: escaped, line: rowLine) {
                        return CSVChunkScan(end: pos, lines: line, rows: rows, error: nil)
                    }
                }
                column += 1
                if !advancePastField(&pos, &line) { break rowLoop }
            }
            if column != columns {
                return CSVChunkScan(end: pos, lines: line, rows: rows, error: wrongFieldCount(column, line: rowLine))
            }
            sink.endRow()
            rows += 1
        }
        return CSVChunkScan(end: pos, lines: line, rows: rows, error: nil)
    }
}

/// The digits of `[-]digits[.digits]` starting at a position, read up to the first byte that does not fit
/// (`stop`). The value is `mantissa / 10^fractionDigits`, exact as a double when `digits ≤ 15` (an integer below
/// 2^53 divided by an exact power of ten is one correctly rounded operation). Shared by the fused scan and
/// `NumericSink.fixedPoint`, so both read numbers identically.
struct FixedPointDigits {
    var negative: Bool
    var mantissa: UInt64 = 0
    /// All digits, integer and fraction (the mantissa wraps beyond 19; callers require ≤ 15).
    var digits = 0
    /// Digits after the decimal separator; -1 when there is no separator.
    var fractionDigits = -1
    /// Offset of the first byte after the number.
    var stop: Int

    @inline(__always)
    init(_ p: UnsafePointer<UInt8>, from start: Int, limit: Int, decimal: UInt8) {
        var i = start
        negative = i < limit && p[i] == UInt8(ascii: "-")
        if negative { i += 1 }
        let digitsStart = i
        var m: UInt64 = 0
        while i < limit {
            let digit = p[i] &- 0x30
            if digit >= 10 { break }
            m = m &* 10 &+ UInt64(digit)
            i += 1
        }
        digits = i - digitsStart
        if i < limit && p[i] == decimal {
            i += 1
            let fractionStart = i
            while i < limit {
                let digit = p[i] &- 0x30
                if digit >= 10 { break }
                m = m &* 10 &+ UInt64(digit)
                i += 1
            }
            fractionDigits = i - fractionStart
            digits += fractionDigits
        }
        mantissa = m
        stop = i
    }

    /// The value, given the exact powers of ten 10^0 … 10^22 (valid when `digits ≤ 15`).
    @inline(__always)
    func value(_ powersOfTen: UnsafePointer<Double>) -> Double {
        var v = Double(mantissa)
        if fractionDigits > 0 { v /= powersOfTen[fractionDigits] }
        return negative ? -v : v
    }
}
