import CLapack

/// Runs `body` with OpenBLAS held to one thread, restoring the previous count afterwards.
///
/// Callers that parallelise across row chunks (`RowChunks`, the streaming fits) make many small BLAS calls per
/// worker; letting each of those spawn BLAS threads loses to the hand-offs and oversubscribes the cores. The
/// setting is process-wide, so it belongs around a whole parallel section, not around single calls.
package func withSingleThreadedBLAS<R>(_ body: () throws -> R) rethrows -> R {
    let blasThreads = openblas_get_num_threads()
    openblas_set_num_threads(1)
    defer { openblas_set_num_threads(blasThreads) }
    return try body()
}
