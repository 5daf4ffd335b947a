#if canImport(Glibc)
import Glibc
#endif

/// Asks the kernel to back a large, not yet touched buffer with transparent huge pages (`madvise(MADV_HUGEPAGE)`
/// on the 2 MiB-aligned part; a no-op below 4 MiB or where unsupported). Writing a fresh 880 MB design matrix
/// otherwise takes ~215 000 page faults of 4 KiB, which measured as much time as the whole QR on this machine;
/// numpy advises its large arrays the same way. Public for callers that load large arrays themselves (the
/// benchmark driver reads [X | y] from a file this way).
public func adviseHugePages(_ base: UnsafeMutableRawPointer?, bytes: Int) {
    #if canImport(Glibc)
    guard let base, bytes >= 4 << 20 else { return }
    let page = 2 << 20
    let start = (Int(bitPattern: base) + page - 1) & ~(page - 1)
    let end = (Int(bitPattern: base) + bytes) & ~(page - 1)
    guard end > start, let p = UnsafeMutableRawPointer(bitPattern: start) else { return }
    _ = madvise(p, end - start, MADV_HUGEPAGE)
    #endif
}
