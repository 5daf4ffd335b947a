import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// Fixed partition of `0..<n` rows into chunks for parallel row-wise work whose result must not depend on the
/// number of cores: chunk k is always rows `k·size ..< min(n, (k+1)·size)`, each chunk's partial result is
/// computed independently, and partials are combined in chunk order. So a fit or a table gives bit-identical
/// results on 1, 2 or 64 cores; only the wall time changes.
///
/// The one chunking of the package: the least-squares reductions (`map`) and the statistics' counting and
/// moment passes (`forEach`) share it.
package struct RowChunks: Sendable {
    package let rowCount: Int
    package let chunkSize: Int

    /// Rows per chunk: 2¹⁶ is large enough to amortise a merge (O(p³)) and small enough to balance two cores.
    package static let defaultChunkSize = 1 << 16

    /// The online processors (at least 1), read once.
    package static let cores: Int = {
        #if canImport(Glibc)
        return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        #else
        return 1
        #endif
    }()

    package init(rowCount: Int, chunkSize: Int = RowChunks.defaultChunkSize) {
        self.rowCount = rowCount
        self.chunkSize = max(1, chunkSize)
    }

    /// Chunks: 0 for no rows.
    package var count: Int { rowCount == 0 ? 0 : (rowCount + chunkSize - 1) / chunkSize }

    package func range(_ k: Int) -> Range<Int> { (k * chunkSize)..<min(rowCount, (k + 1) * chunkSize) }

    /// Worker threads to use: the online processors, capped by `limit` and the number of chunks.
    package func workerCount(limit: Int? = nil) -> Int {
        max(1, min(limit ?? Self.cores, Self.cores, count))
    }

    /// Computes `body(k)` for every chunk on `workers` threads (OpenBLAS held to one thread meanwhile, since the
    /// parallelism is across chunks) and returns the results in chunk order. The first error thrown is rethrown.
    package func map<R>(workers: Int, _ body: @escaping @Sendable (Int) throws -> R) throws -> [R] {
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
        let box = UncheckedPointers(results: results, errors: errors)
        withSingleThreadedBLAS {
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
        }
        for c in 0..<k { if let e = errors[c] { throw e } }
        return (0..<k).map { results[$0]! }
    }

    /// Runs `body(k, rows of chunk k)` for every chunk on up to `cores` threads, chunks dealt to the workers in
    /// contiguous runs; a single chunk runs inline without a thread hand-off. `body` writes its result to a slot
    /// of its own chunk (which the caller merges in chunk order afterwards); nothing is returned or thrown.
    package func forEach(_ body: (Int, Range<Int>) -> Void) {
        let chunks = count
        let workers = min(chunks, Self.cores)
        if workers <= 1 {
            for k in 0..<chunks { body(k, range(k)) }
            return
        }
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            let lo = chunks * w / workers, hi = chunks * (w + 1) / workers
            for k in lo..<hi { body(k, range(k)) }
        }
    }
}

/// Raw result slots shared by the workers of `RowChunks.map`; each slot is written by one thread only.
private struct UncheckedPointers<R>: @unchecked Sendable {
    let results: UnsafeMutablePointer<R?>
    let errors: UnsafeMutablePointer<Error?>
}
