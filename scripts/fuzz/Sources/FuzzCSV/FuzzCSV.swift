import SurveyStats

/// libFuzzer entry: the first byte picks the dialect options, the rest is the CSV. Besides "never crash", the
/// target checks two properties and traps when they fail:
/// 1. Parsing in many small parallel chunks gives exactly what a single-threaded parse gives (same values, or the
///    same error) — this exercises the chunk-boundary guessing and verification.
/// 2. What `CSVWriter` writes from a parsed dataset reads back to the same values.
/// 3. One-byte code columns change nothing: the parallel parse decides code columns from the first row only (so
///    later non-code values — 3.5, 300, -1, -0 — become exceptions that promote the column), and on every fourth
///    input a parse without code storage must give bit for bit the same values, offsets and types.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let selector = data[0]
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    var options = CSVOptions()
    switch selector & 3 {
    case 1: options.delimiter = UInt8(ascii: ";")
    case 2: options.delimiter = 0x09
    case 3: options.delimiter = UInt8(ascii: ",")
    default: break
    }
    switch (selector >> 2) & 3 {
    case 1: options.decimalSeparator = .comma
    case 2: options.decimalSeparator = .point
    default: break
    }
    if selector & 16 != 0 { options.encoding = .windows1252 }
    if selector & 32 != 0 { options.naTokens = ["-", "99"] }
    if selector & 64 != 0 { options.hasHeader = false }

    var sequential = options
    sequential.maxThreads = 1
    var parallel = options
    parallel.maxThreads = 4
    parallel.chunkBytes = 3
    parallel.codeSampleRows = 1
    var doublesOnly = options
    doublesOnly.maxThreads = 1
    doublesOnly.codeSampleRows = 0

    let a = Result { try CSVReader.read(bytes: bytes, source: "fuzz", options: sequential) }
    // The parallel comparison costs thread hand-offs (slow under ASan on a busy machine): every fourth input.
    let b = selector & 0x80 != 0 && selector & 0x40 == 0
        ? Result { try CSVReader.read(bytes: bytes, source: "fuzz", options: parallel) } : a
    switch (a, b) {
    case let (.success(x), .success(y)):
        if !same(x, y) { fatalError("parallel parse differs from sequential parse") }
        if selector & 0xC0 == 0x80 {
            guard case .success(let z) = Result(catching: { try CSVReader.read(bytes: bytes, source: "fuzz", options: doublesOnly) }),
                  identical(y, z) else { fatalError("code storage changed a value") }
        }
        // Round trip through the writer (forcing the types the reader inferred).
        var types: [String: CSVColumnType] = [:]
        for v in x.variables { types[v.name] = v.isNumeric ? .numeric : .text }
        let text = CSVWriter.string(x)
        let back = Result { try CSVReader.read(string: text, source: "rt", options: CSVOptions(delimiter: UInt8(ascii: ","), decimalSeparator: .point, columnTypes: types)) }
        switch back {
        case .success(let z):
            if x.variables.count > 0 && x.rowCount > 0 && !same(x, z) { fatalError("CSVWriter round trip differs") }
        case .failure(let e):
            if x.variables.count > 0 && x.rowCount > 0 { fatalError("CSVWriter output does not read back: \(e)") }
        }
    case let (.failure(e1), .failure(e2)):
        if "\(e1)" != "\(e2)" { fatalError("different errors: \(e1) vs \(e2)") }
    default:
        fatalError("one parse failed, the other succeeded")
    }
    return 0
}

/// Bit for bit: the same types, offsets, stored doubles (−0.0 and NaN payloads included) and texts.
func identical(_ x: Dataset, _ y: Dataset) -> Bool {
    guard x.variableNames == y.variableNames, x.rowCount == y.rowCount else { return false }
    for (u, v) in zip(x.variables, y.variables) {
        switch (u.values, v.values) {
        case let (.numeric(c), .numeric(d)):
            if c.offset != d.offset || c.stored.map(\.bitPattern) != d.stored.map(\.bitPattern) { return false }
        case let (.text(s), .text(t)):
            if s != t { return false }
        default:
            return false
        }
    }
    return true
}

func same(_ x: Dataset, _ y: Dataset) -> Bool {
    guard x.variableNames == y.variableNames, x.rowCount == y.rowCount else { return false }
    for (u, v) in zip(x.variables, y.variables) {
        switch (u.values, v.values) {
        case let (.numeric(c), .numeric(d)):
            for i in 0..<c.count {
                let p = c.value(at: i), q = d.value(at: i)
                if p != q && !(p.map { $0.isNaN } ?? false) { return false }
            }
        case let (.text(s), .text(t)):
            if s != t { return false }
        default:
            return false
        }
    }
    return true
}

// SwiftPM links executables with `--defsym main=FuzzCSV_main`; this entry hands control to libFuzzer's driver.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt) -> CInt

@_cdecl("FuzzCSV_main")
public func FuzzCSVMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var vector = argv
    return LLVMFuzzerRunDriver(&count, &vector) { data, size in fuzzCSV(data, size) }
}
