import CLapack
import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// Fixed partition of `0..<n` rows into chunks for parallel row-wise work whose result must not depend on the
/// number of cores: chunk k is always rows `k·size ..< min(n, (k+1)·size)`, each chunk's partial result is
/// computed independently, and partials are combined in chunk order. So a fit gives bit-identical results on
/// 1, 2 or 64 cores; only the wall time changes.
public struct RowChunks: Sendable {
    public let rowCount: Int
    public let chunkSize: Int

    /// Rows per chunk: 2¹⁶ is large enough to amortise a merge (O(p³)) and small enough to balance two cores.
    public static let defaultChunkSize = 1 << 16

    public init(rowCount: Int, chunkSize: Int = RowChunks.defaultChunkSize) {
        self.rowCount = rowCount
        self.chunkSize = max(1, chunkSize)
    }

    public var count: Int { rowCount == 0 ? 0 : (rowCount + chunkSize - 1) / chunkSize }

    public func range(_ k: Int) -> Range<Int> { (k * chunkSize)..<min(rowCount, (k + 1) * chunkSize) }

    /// Worker threads to use: the online processors, capped by `limit` and the number of chunks.
    public func workerCount(limit: Int? = nil) -> Int {
        var cores = 1
        #if canImport(Glibc)
        cores = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        #endif
        return max(1, min(limit ?? cores, cores, count))
    }

    /// Computes `body(k)` for every chunk on `workers` threads (OpenBLAS held to one thread meanwhile, since the
    /// parallelism is across chunks) and returns the results in chunk order. The first error thrown is rethrown.
    public func map<R>(workers: Int, _ body: @escaping @Sendable (Int) throws -> R) throws -> [R] {
        let k = count
        if k == 0 { return [] }
        let results = UnsafeMutablePointer<R?>.allocate(capacity: k)
        results.initialize(repeating: nil, count: k)
        let errors = UnsafeMutablePointer<Error?>.allocate(capacity: k)
        errors.initialize(repeating: nil, count: k)
        defer {
            results.deinitialize(count: k); results.deallocate()
            errors.deinitialize(count: k); errors.deallocate()
        }
        let w = max(1, min(workers, k))
        let blasThreads = openblas_get_num_threads()
        openblas_set_num_threads(1)
        defer { openblas_set_num_threads(blasThreads) }
        let box = UncheckedPointers(results: results, errors: errors)
        if w == 1 {
            for c in 0..<k {
                do { results[c] = try body(c) } catch { errors[c] = error }
            }
        } else {
            // Worker t takes chunks t, t + w, t + 2w, … (each slot written by exactly one thread).
            DispatchQueue.concurrentPerform(iterations: w) { t in
                var c = t
                while c < k {
                    do { box.results[c] = try body(c) } catch { box.errors[c] = error }
                    c += w
                }
            }
        }
        for c in 0..<k { if let e = errors[c] { throw e } }
        return (0..<k).map { results[$0]! }
    }
}

/// Raw result slots shared by the workers of `RowChunks.map`; each slot is written by one thread only.
private struct UncheckedPointers<R>: @unchecked Sendable {
    let results: UnsafeMutablePointer<R?>
    let errors: UnsafeMutablePointer<Error?>
}

/// Asks the kernel to back a large, not yet touched buffer with transparent huge pages (`madvise(MADV_HUGEPAGE)`
/// on the 2 MiB-aligned part; a no-op below 4 MiB or where unsupported). Writing a fresh 880 MB design matrix
/// otherwise takes ~215 000 page faults of 4 KiB, which measured as much time as the whole QR on this machine;
/// numpy advises its large arrays the same way.
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
