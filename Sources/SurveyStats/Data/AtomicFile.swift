import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes output files so that a failure never leaves a partial file behind and a reader never sees one half
/// written: the content goes to a new temporary file in the target's directory (so the rename stays within one
/// file system), which is flushed to disk (`fsync`) and then renamed over the target — atomic on POSIX file
/// systems. On any failure the temporary file is removed and an existing target is left untouched.
///
/// The file is created with mode 0666 less the process umask (0644 under the usual 022), as shell redirection
/// would create it; `mkstemp`'s 0600 would hide exported tables from the rest of a group. Every failure of the
/// write itself is a `DataError.io` naming the target path (not the temporary one).
///
/// The one atomic writer of the package: data files (`CSVWriter`, `StatFileWriter`), exported tables
/// (`TableExporter`) and everything the command-line tool writes go through it.
public enum AtomicFile {
    /// Writes `path` through a C stream: `body` writes to the stream; it is flushed and synced afterwards.
    public static func write(to path: String, _ body: (UnsafeMutablePointer<FILE>) throws -> Void) throws {
        let (fd, temp) = try createTemporaryFile(for: path)
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
        try replace(path, with: temp)
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
        let (fd, temp) = try createTemporaryFile(for: path)
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
        try replace(path, with: temp)
    }

    /// A new file `.NAME.tmp-XXXXXXX` in `path`'s directory, created exclusively with mode 0666 (the umask applies).
    private static func createTemporaryFile(for path: String) throws -> (descriptor: Int32, path: String) {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DataError.io(path: path, message: "directory \(directory) does not exist")
        }
        for _ in 0..<100 {
            let suffix = String(UInt64.random(in: 0..<(1 << 40)), radix: 36)
            let temp = "\(directory)/.\(url.lastPathComponent).tmp-\(suffix)"
            let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
            if fd >= 0 { return (fd, temp) }
            if errno != EEXIST { throw DataError.io(path: path, message: "cannot create file: \(errnoReason())") }
        }
        throw DataError.io(path: path, message: "cannot create a temporary file in \(directory)")
    }

    /// Renames the complete temporary file over `path`, then syncs the directory so that the rename itself is
    /// durable (best effort: not every file system can sync a directory).
    private static func replace(_ path: String, with temp: String) throws {
        if rename(temp, path) != 0 {
            let reason = errnoReason()
            unlink(temp)
            throw DataError.io(path: path, message: "cannot replace file: \(reason)")
        }
        let directory = open(URL(fileURLWithPath: path).deletingLastPathComponent().path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directory >= 0 { _ = fsync(directory); close(directory) }
    }

    private static func errnoReason() -> String { String(cString: strerror(errno)) }
}
