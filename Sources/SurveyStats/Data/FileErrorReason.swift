import Foundation

/// A short reason for a file-system error ("no such file", "permission denied", …) instead of Foundation's
/// `Error Domain=NSCocoaErrorDomain Code=516 "…" UserInfo={…}` or "The operation could not be completed.", so
/// that messages read "FILE: no such file". Used by every loader and writer that reports a path.
public enum FileErrorReason {
    public static func reason(_ error: Error) -> String {
        let ns = error as NSError
        if ns.domain == NSCocoaErrorDomain {
            switch ns.code {
            case CocoaError.fileNoSuchFile.rawValue, CocoaError.fileReadNoSuchFile.rawValue: return "no such file"
            case CocoaError.fileReadNoPermission.rawValue, CocoaError.fileWriteNoPermission.rawValue: return "permission denied"
            case CocoaError.fileWriteFileExists.rawValue: return "already exists"
            case CocoaError.fileWriteOutOfSpace.rawValue: return "no space left on device"
            case CocoaError.fileWriteVolumeReadOnly.rawValue: return "read-only file system"
            case CocoaError.fileReadInapplicableStringEncoding.rawValue, CocoaError.fileReadCorruptFile.rawValue:
                return "not valid UTF-8 text"
            default: break
            }
            if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
                return String(cString: strerror(Int32(underlying.code))).lowercased()
            }
        }
        if ns.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(ns.code))).lowercased() }
        var text = ns.localizedDescription
        for boilerplate in ["The operation could not be completed. ", "The operation couldn’t be completed. "] {
            text = text.replacingOccurrences(of: boilerplate, with: "")
        }
        return text
    }

    /// The file an error is about, when Foundation recorded it.
    public static func path(_ error: Error) -> String? {
        let ns = error as NSError
        guard ns.domain == NSCocoaErrorDomain || ns.domain == NSPOSIXErrorDomain else { return nil }
        if let p = ns.userInfo[NSFilePathErrorKey] as? String { return p }
        if let u = ns.userInfo[NSURLErrorKey] as? URL { return u.path }
        return nil
    }

    /// Whether `error` is a Foundation file-system error (rather than one of SurveyStats' own).
    public static func isFoundationError(_ error: Error) -> Bool {
        let ns = error as NSError
        return ns.domain == NSCocoaErrorDomain || ns.domain == NSPOSIXErrorDomain
    }
}
