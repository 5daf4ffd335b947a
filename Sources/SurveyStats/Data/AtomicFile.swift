import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes output files so that a failure never leaves a partial file behind and a reader never sees one half
/// written: the content goes to a new temporary file in the target's directory (so the rename stays within one
/// file system), which is flushed to disk (`fsync`) and then renamed over the target — atomic on POSIX file
/// systems. On any failure the temporary file is removed and an existing target is left untouched.
///
/// A new file is created with mode 0666 less the process umask (0644 under the usual 022), as shell redirection
/// would create it; `mkstemp`'s 0600 would hide exported tables from the rest of a group. A file that is replaced
/// keeps its permission bits (a results file made private with `chmod 600` stays private after a re-run), and a
/// path that is a symbolic link writes the file the link points to (the link stays a link), as `>` would. Every
/// failure of the write itself is a `DataError.io` naming the path given (not the temporary one).
///
/// The one atomic writer of the package: data files (`CSVWriter`, `StatFileWriter`), exported tables
/// (`TableExporter`) and everything the command-line tool writes go through it.
public enum AtomicFile {
    /// Writes `path` through a C stream: `body` writes to the stream; it is flushed and synced afterwards.
    public static func write(to path: String, _ body: (UnsafeMutablePointer<FILE>) throws -> Void) throws {
        let target = destination(of: path)
        let (fd, temp) = try createTemporaryFile(for: target, naming: path)
        guard let file = fdopen(fd, "wb") else {
            let reason = errnoReason()
            close(fd); unlink(temp)
            throw DataError.io(path: path, message: "cannot open file for writing: \(reason)")
        }
        do {
            try body(file)
            if fflush(file) != 0 || ferror(file) != 0 || fsync(fd) != 0 {
                throw DataError.io(path: path, message: "write failed: \(errnoReason())")
            }
        } catch {
            fclose(file); unlink(temp)
            throw error
        }
        if fclose(file) != 0 {
            let reason = errnoReason()
            unlink(temp)
            throw DataError.io(path: path, message: "write failed: \(reason)")
        }
        try replace(target, with: temp, naming: path)
    }

    /// Writes `data` to `path` atomically.
    public static func write(_ data: Data, to path: String) throws {
        try write(to: path) { file in
            let written = data.withUnsafeBytes { raw in raw.isEmpty ? 0 : fwrite(raw.baseAddress, 1, raw.count, file) }
            if written != data.count { throw DataError.io(path: path, message: "write failed: \(errnoReason())") }
        }
    }

    /// Writes `text` (UTF-8) to `path` atomically.
    public static func write(_ text: String, to path: String) throws {
        try write(Data(text.utf8), to: path)
    }

    /// For writers that open their output by name (libxlsxwriter): `produce` is given the path of a new, empty
    /// temporary file next to `path` to write (or overwrite); when it returns, the file is synced and renamed to
    /// `path`. When it throws, the temporary file is removed and the error rethrown as it is.
    public static func writeByPath(to path: String, _ produce: (String) throws -> Void) throws {
        let target = destination(of: path)
        let (fd, temp) = try createTemporaryFile(for: target, naming: path)
        close(fd)
        do {
            try produce(temp)
            let synced = open(temp, O_RDONLY | O_CLOEXEC)
            guard synced >= 0 else { throw DataError.io(path: path, message: "write failed: \(errnoReason())") }
            let ok = fsync(synced) == 0
            let reason = errnoReason()
            close(synced)
            if !ok { throw DataError.io(path: path, message: "write failed: \(reason)") }
        } catch {
            unlink(temp)
            throw error
        }
        try replace(target, with: temp, naming: path)
    }

    /// The file a write to `path` replaces: `path` itself, or what it points to when it is a symbolic link
    /// (followed link by link, relative links against the link's directory; up to 40 links, as the kernel does).
    static func destination(of path: String) -> String {
        var current = path
        for _ in 0..<40 {
            guard let link = try? FileManager.default.destinationOfSymbolicLink(atPath: current) else { return current }
            current = link.hasPrefix("/") ? link
                : URL(fileURLWithPath: current).deletingLastPathComponent().appendingPathComponent(link).path
        }
        return current
    }

    /// A new file `.NAME.tmp-XXXXXXX` in `path`'s directory, created exclusively with mode 0666 (the umask applies),
    /// or with the permission bits of the regular file at `path` that it will replace. Errors name `shown`.
    private static func createTemporaryFile(for path: String, naming shown: String) throws -> (descriptor: Int32, path: String) {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DataError.io(path: shown, message: "directory \(directory) does not exist")
        }
        for _ in 0..<100 {
            let suffix = String(UInt64.random(in: 0..<(1 << 40)), radix: 36)
            let temp = "\(directory)/.\(url.lastPathComponent).tmp-\(suffix)"
            let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
            if fd >= 0 {
                var existing = stat()
                if stat(path, &existing) == 0, (existing.st_mode & S_IFMT) == S_IFREG {
                    _ = fchmod(fd, existing.st_mode & 0o7777)
                }
                return (fd, temp)
            }
            if errno != EEXIST { throw DataError.io(path: shown, message: "cannot create file: \(errnoReason())") }
        }
        throw DataError.io(path: shown, message: "cannot create a temporary file in \(directory)")
    }

    /// Renames the complete temporary file over `path`, then syncs the directory so that the rename itself is
    /// durable (best effort: not every file system can sync a directory).
    private static func replace(_ path: String, with temp: String, naming shown: String) throws {
        if rename(temp, path) != 0 {
            let reason = errnoReason()
            unlink(temp)
            throw DataError.io(path: shown, message: "cannot replace file: \(reason)")
        }
        let directory = open(URL(fileURLWithPath: path).deletingLastPathComponent().path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directory >= 0 { _ = fsync(directory); close(directory) }
    }

    private static func errnoReason() -> String { String(cString: strerror(errno)) }
}
