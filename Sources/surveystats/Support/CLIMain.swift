import ArgumentParser
import Foundation
import SurveyStats

/// The process entry point: parses, runs, and maps every failure to the documented exit codes.
///
/// ArgumentParser exits with 64 (EX_USAGE) on a usage error; SurveyStats documents exit code 2 for bad input
/// *and* bad usage, so that scripts need to test for one code. Help and `--version` go to stdout with 0;
/// a command that throws `ExitCode(n)` (e.g. `verify` with 1) exits with n; anything else is bad input:
/// one line on stderr, exit 2.
extension SurveyStatsCommand {
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        var command: ParsableCommand
        do {
            command = try parseAsRoot(arguments)
        } catch {
            exitForParserError(error)
        }
        do {
            try command.run()
        } catch let code as ExitCode {
            Foundation.exit(code.rawValue)
        } catch let error where isParserError(error) {
            // Help requests and usage errors raised while running (e.g. by the built-in `help` subcommand).
            exitForParserError(error)
        } catch {
            CLIConsole.error(CLIConsole.message(for: error))
            Foundation.exit(CLIExit.badInput)
        }
    }

    private static func isParserError(_ error: Error) -> Bool {
        error is ValidationError || error is CleanExit
            || String(reflecting: type(of: error)).hasPrefix("ArgumentParser.")
    }

    private static func exitForParserError(_ error: Error) -> Never {
        let code = exitCode(for: error)
        var message = fullMessage(for: error)
        // ArgumentParser writes "Error: …"; every other error of the tool reads "surveystats: error: …".
        if message.hasPrefix("Error: ") { message = "error: " + message.dropFirst("Error: ".count) }
        if code == .success {
            if !message.isEmpty { print(message) }
            Foundation.exit(0)
        }
        CLIConsole.error(message)
        Foundation.exit(CLIExit.badInput)
    }
}

/// Exit codes as documented in `surveystats --help`.
enum CLIExit {
    static let badInput: Int32 = 2
}

/// Writing to the terminal: data on stdout, diagnostics on stderr.
enum CLIConsole {
    static func error(_ message: String) {
        FileHandle.standardError.write(Data(("surveystats: " + message + "\n").utf8))
    }

    static func note(_ message: String) {
        FileHandle.standardError.write(Data(("surveystats: " + message + "\n").utf8))
    }

    static func warning(_ message: String) {
        FileHandle.standardError.write(Data(("surveystats: warning: " + message + "\n").utf8))
    }

    static func write(_ data: Data) {
        FileHandle.standardOutput.write(data)
    }

    /// A one-line description of an error: the error's own description (all SurveyStats errors name the file,
    /// line, column or variable), with line breaks folded so that the message stays on one line.
    static func message(for error: Error) -> String {
        var text: String
        if FileErrorReason.isFoundationError(error) {
            // Never Foundation's "Error Domain=NSCocoaErrorDomain Code=516 … UserInfo={…}": the file and a reason.
            let reason = FileErrorReason.reason(error)
            text = FileErrorReason.path(error).map { "\($0): \(reason)" } ?? reason
        } else if let e = error as? LocalizedError, let d = e.errorDescription { text = d } else { text = String(describing: error) }
        // One line: multi-line descriptions (e.g. a formula with a caret under the error) keep their first line,
        // which names the file, line, column or variable.
        text = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? text
        if !text.lowercased().hasPrefix("error") { text = "error: " + text }
        return text
    }
}

/// An error found by the command-line layer itself (bad combination of options, too few observations …).
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ message: String) { description = message }
}
