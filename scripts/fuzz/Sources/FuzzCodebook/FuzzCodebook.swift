import SurveyStats

/// libFuzzer entry for the YAML codebook parser: any input must parse or throw (never crash), and a codebook
/// that parses must survive `yamlString()` → parse unchanged.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCodebook(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let codebook = try? Codebook(yaml: text, source: "fuzz") else { return 0 }
    let again: Codebook
    do {
        again = try Codebook(yaml: codebook.yamlString(), source: "fuzz")
    } catch {
        fatalError("written codebook does not parse: \(error)\n\(codebook.yamlString())")
    }
    if again != codebook { fatalError("codebook YAML round trip differs:\n\(codebook.yamlString())") }
    // Applying it to a small dataset must not crash either.
    if var d = try? CSVReader.read(string: "q1,q2,rolle\n1,2,ordfører\n5,,3\n6,4,NA\n") {
        _ = try? codebook.apply(to: &d)
    }
    return 0
}

// SwiftPM links executables with `--defsym main=FuzzCodebook_main`; this entry hands control to libFuzzer's driver.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt) -> CInt

@_cdecl("FuzzCodebook_main")
public func FuzzCodebookMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var vector = argv
    return LLVMFuzzerRunDriver(&count, &vector) { data, size in fuzzCodebook(data, size) }
}
