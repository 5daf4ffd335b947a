import Foundation

/// Writes output files so that a failure never leaves a partial file behind: the content goes to a temporary
/// file in the target's directory, which is renamed over the target only when complete (rename within a
/// directory is atomic on POSIX file systems).
public enum AtomicFileWriter {
    public struct WriteError: Error, CustomStringConvertible {
        public var path: String
        public var message: String
        public var description: String { "\(path): \(message)" }
    }

    /// Writes `data` to `path` atomically.
    public static func write(_ data: Data, to path: String) throws {
        try write(to: path) { tmp in
            do { try data.write(to: URL(fileURLWithPath: tmp)) } catch {
                throw WriteError(path: path, message: "cannot write: \(FileErrorReason.reason(error))")
            }
        }
    }

    /// Calls `produce` with a temporary path next to `path`; renames it to `path` if `produce` succeeds and
    /// removes it otherwise.
    public static func write(to path: String, _ produce: (String) throws -> Void) throws {
        let target = URL(fileURLWithPath: path)
        let dir = target.deletingLastPathComponent()
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir.path, isDirectory: &isDir), isDir.boolValue else {
            throw WriteError(path: path, message: "directory \(dir.path) does not exist")
        }
        let tmp = dir.appendingPathComponent(".\(target.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))")
        do {
            try produce(tmp.path)
            guard rename(tmp.path, target.path) == 0 else {
                let reason = String(cString: strerror(errno))
                throw WriteError(path: path, message: "cannot write: \(reason)")
            }
        } catch {
            try? FileManager.default.removeItem(at: tmp)
            throw error
        }
    }
}
