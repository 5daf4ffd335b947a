import Foundation
import SurveyStats

/// `--out FILE` for every command that writes tables (analyses, `figure`, `table`, `report`): which format a file
/// gets, and the one line on stderr that says what was written.
///
/// The format is `--format`, else the one the extension names (`.csv`, `.xlsx`, `.md`, `.tex`, `.html`, `.json`,
/// `.txt`). A `--format` that contradicts a known extension (`--out t.xlsx --format csv`) is refused, and an
/// unknown extension needs `--format`: a file's name should not lie about its contents.
enum OutputFile {
    static var extensionList: String {
        ExportFormat.allCases.map { ".\($0.fileExtension)" }.joined(separator: ", ")
    }

    static func format(explicit: ExportFormat?, out: String?, default fallback: ExportFormat = .text) throws -> ExportFormat {
        guard let out else { return explicit ?? fallback }
        // A directory has no format to take: say so before complaining about its (missing) extension.
        try refuseDirectory(out)
        let implied = ExportFormat(fileName: (out as NSString).lastPathComponent)
        switch (explicit, implied) {
        case let (f?, e?) where f != e:
            throw CLIError("--format \(f.rawValue) contradicts --out \(out) (whose extension means \(e.rawValue)); "
                           + "drop --format or give the file the extension .\(f.fileExtension)")
        case let (f?, _): return f
        case let (nil, e?): return e
        case (nil, nil):
            let ext = (out as NSString).pathExtension
            throw CLIError("--out \(out): \(ext.isEmpty ? "no extension" : "unknown extension '.\(ext)'") to take the format from; "
                           + "use one of \(extensionList) or pass --format")
        }
    }

    /// Writes atomically (no partial file on failure) and says so on stderr.
    static func write(_ data: Data, to path: String) throws {
        let existed = FileManager.default.fileExists(atPath: path)
        try refuseDirectory(path)
        try AtomicFile.write(data, to: path)
        announce(path, replaced: existed)
    }

    static func write(_ tables: [ResultTable], as format: ExportFormat, to path: String, options: ExportOptions) throws {
        let existed = FileManager.default.fileExists(atPath: path)
        try refuseDirectory(path)
        try TableExporter.write(tables, as: format, to: path, options: options)
        announce(path, replaced: existed)
    }

    static func refuseDirectory(_ path: String) throws {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue {
            throw CLIError("--out \(path) is a directory")
        }
    }

    static func announce(_ path: String, replaced: Bool) {
        CLIConsole.note("wrote \(path)\(replaced ? " (replaced the existing file)" : "")")
    }
}

/// An input file given by an option with a default path relative to the repository root: a missing file gets a
/// message that says so and names the option (`datasets/afi-2020/figures.yaml: no such file (run from the
/// repository root, or pass --figures FILE)`).
func requireInputFile(_ path: String, option: String) throws {
    var isDir: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isDir) {
        if isDir.boolValue { throw CLIError("\(path): is a directory (pass \(option) FILE)") }
        return
    }
    let hint = (path as NSString).isAbsolutePath ? "pass \(option) FILE" : "run from the repository root, or pass \(option) FILE"
    throw CLIError("\(path): no such file (\(hint))")
}

/// An output directory option (`report --out DIR`, `reconstruct --out DIR`): created with its parents when
/// missing; an existing path that is not a directory is refused.
func createOutputDirectory(_ path: String, option: String) throws {
    var isDir: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isDir) {
        if !isDir.boolValue { throw CLIError("\(option) \(path) exists and is not a directory") }
        return
    }
    do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
        throw CLIError("\(option) \(path): cannot create directory: \(FileErrorReason.reason(error))")
    }
}

/// An input file given explicitly (an optional option without default use): it must exist, whatever the
/// command would do without it.
func requireExplicitInputFile(_ path: String?, option: String) throws {
    if let path { try requireInputFile(path, option: option) }
}

/// Same for a directory option (`--data DIR`).
func requireInputDirectory(_ path: String, option: String) throws {
    var isDir: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isDir) {
        if !isDir.boolValue { throw CLIError("\(path): not a directory (pass \(option) DIR)") }
        return
    }
    let hint = (path as NSString).isAbsolutePath ? "pass \(option) DIR" : "run from the repository root, or pass \(option) DIR"
    throw CLIError("\(path): no such directory (\(hint))")
}
