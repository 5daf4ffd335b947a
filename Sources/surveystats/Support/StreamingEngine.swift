import ArgumentParser
import Foundation
import SurveyStats

/// `--engine`: how an analysis reads its data file.
enum Engine: String, ExpressibleByArgument, CaseIterable {
    /// Stream when the file is large enough to matter and the request allows it, else load.
    case auto
    /// Load the whole file into a `Dataset` (every option supported).
    case memory
    /// Read the file once in blocks, keeping only counts; an error when the request cannot be streamed.
    case stream
}

/// When `--engine auto` streams: CSV files of at least this many bytes. Below it loading takes well under a
/// second and a few hundred MB at most, and the in-memory engine supports every option; above it the streamed
/// tally keeps memory flat (a 1e7-row file is 300+ MB of CSV and GBs as a `Dataset`). The environment variable
/// `SURVEYSTATS_STREAM_MIN_BYTES` overrides it (tests, tuning).
let streamingThresholdBytes: Int = {
    if let s = ProcessInfo.processInfo.environment["SURVEYSTATS_STREAM_MIN_BYTES"], let n = Int(s), n >= 0 { return n }
    return 64 << 20
}()

extension DataOptions {
    /// Whether this run streams its data file. `blockers` are the request's features that streaming cannot
    /// honour, as (option, reason); `--where`, `--weight`, a non-CSV file and derived codebook variables among
    /// `variables` are checked here. With `--engine stream` a blocker is an error naming it (exit 2); with
    /// `auto` it means memory.
    func streams(command: String, variables: [String], blockers extra: [(String, String)] = []) throws -> Bool {
        if engine == .memory { return false }
        guard let path = data else { return false }  // `load` reports the missing --data
        if engine == .auto {
            // Below the threshold nothing else matters (and small files are not sampled for their encoding).
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
            if size < streamingThresholdBytes { return false }
        }
        var blockers: [(String, String)] = []
        let type = (try? FileManager.default.attributesOfItem(atPath: path)[.type] as? FileAttributeType) ?? nil
        if type == .typeRegular { try CSVReader.rejectUTF16(path: path) }   // said as both engines say it
        if let type, type != .typeRegular {
            blockers.append(("--data \(path)", "it is not a regular file (a pipe is read whole, once)"))
        } else if StatFileFormat(path: path) != nil {
            blockers.append(("--data \(path)", "only CSV files are streamed (SPSS, Stata and SAS files are read whole)"))
        }
        else if StreamingCSVScanner.endsLinesWithLoneCR(path: path) {
            blockers.append(("--data \(path)", "its lines end in CR only (old Mac Excel); the streaming engine reads LF or CRLF"))
        }
        else if encoding == .windows1252 {
            blockers.append(("--encoding windows-1252", "Windows-1252 files are transcoded whole when loaded"))
        }
        else if !startsAsUTF8(path) {
            // A byte that is not UTF-8 in a file that also holds UTF-8 (or with --encoding utf-8): the error
            // loading gives, with its line and column. Otherwise the file is Windows-1252, which is not streamed.
            if engine == .stream, let error = StreamingCSVScanner.encodingError(path: path, encoding: encoding),
               !"\(error)".contains(StreamingCSVScanner.notUTF8Message) {
                throw error
            }
            blockers.append(("--data \(path)", "it is \(StreamingCSVScanner.notUTF8Message)"))
        }
        if filter != nil { blockers.append(("--where", "rows are filtered on the loaded data")) }
        if weight != nil { blockers.append(("--weight", "weighted summaries are computed from the loaded data")) }
        blockers += extra
        if blockers.isEmpty, let cbPath = try? resolvedCodebook(), let cb = try? Codebook(path: cbPath) {
            for name in variables where cb.derived.contains(where: { $0.name == name }) {
                blockers.append(("the codebook's derived variable '\(name)'", "derived variables are computed from the loaded data"))
            }
        }
        if engine == .stream {
            if let (option, reason) = blockers.first {
                throw CLIError("\(command) --engine stream cannot honour \(option): \(reason); use --engine memory (or auto)")
            }
            return true
        }
        return blockers.isEmpty
    }

    /// Whether the first MiB of the file is valid UTF-8 (the CSV reader's test for Windows-1252, on a sample).
    private func startsAsUTF8(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return true }
        defer { try? handle.close() }
        var bytes = [UInt8](handle.readData(ofLength: 1 << 20))
        // A multi-byte character cut by the sample's end is not an error: drop an incomplete tail.
        if bytes.count == 1 << 20 {
            var i = bytes.count - 1
            while i > 0 && bytes.count - i < 4 && bytes[i] & 0xC0 == 0x80 { i -= 1 }
            if bytes[i] >= 0xC0 { bytes.removeSubrange(i...) }
        }
        return String(validating: bytes, as: UTF8.self) != nil
    }

    /// Streams the data file: the distinct texts of `variables` (and the joint counts of `pairs`), read back
    /// through the CSV reader and the codebook exactly as `load` would read the whole file. The result is an
    /// `AnalysisData` whose rows are the *distinct texts* (row k of a variable = its k-th distinct text), with
    /// the tally saying how many respondents each stands for.
    ///
    /// `numeric` names variables parsed as numbers (as in `load`).
    /// `nil` under `--engine auto` when a column turns out to have too many distinct texts to stream: the caller
    /// loads the file instead.
    func stream(variables: [String], pairs: [(String, String)] = [], numeric: [String] = [],
                command: String) throws -> StreamedData? {
        guard let path = data else {
            throw CLIError("\(command) needs --data FILE (see surveystats \(command) --help)")
        }
        guard FileManager.default.fileExists(atPath: path) else { throw CLIError("\(path): no such file") }
        let codebookPath = try resolvedCodebook()
        let codebook = try codebookPath.map { try Codebook(path: $0) }
        var options = csvOptions()
        for (name, type) in Codebook.columnTypes(codebook, numeric: numericWithWeight(numeric)) { options.columnTypes[name] = type }

        var columns: [String] = []
        for v in variables where !columns.contains(v) { columns.append(v) }
        if let codebook {
            // Codebook variables the file has, whose values applying the codebook checks (scale, value labels):
            // loading the whole file checks them all, so streaming does too.
            let header = try CategoricalTally.columnNames(path: path, delimiter: options.delimiter)
            for c in codebook.variables where header.contains(c.name) && !columns.contains(c.name) {
                let mapsLabels = c.mapsTextLabelsToCodes
                if c.scale != nil || (c.kind == .likert && !c.valueLabels.isEmpty) || mapsLabels { columns.append(c.name) }
            }
        }
        let index = Dictionary(uniqueKeysWithValues: columns.enumerated().map { ($1, $0) })
        let tally: CategoricalTally
        do {
            tally = try CategoricalTally.stream(
                path: path, columns: columns,
                pairs: pairs.map { CategoricalTally.Pair(index[$0.0]!, index[$0.1]!) },
                delimiter: options.delimiter, decimalSeparator: options.decimalSeparator, encoding: options.encoding)
        } catch let error as DataError where engine == .auto && "\(error)".contains(CategoricalTally.tooManyValuesMessage) {
            // Not categorical after all (an id, a measurement): auto loads the file instead.
            return nil
        } catch let error as DataError where "\(error)".contains(StreamingCSVScanner.notUTF8Message) {
            // Not UTF-8 past the sample `streams` checks, and no UTF-8 text either: Windows-1252, which only the
            // in-memory reader transcodes. Auto loads it; `--engine stream` says so as for an early non-UTF-8 byte.
            if engine == .auto { return nil }
            throw CLIError("\(command) --engine stream cannot honour --data \(path): it is \(StreamingCSVScanner.notUTF8Message); use --engine memory (or auto)")
        }
        var dataset = try tally.dataset(options: options)
        var warnings: [String] = []
        warnings += try CategoricalTally.headerWarnings(path: path, delimiter: tally.delimiter)
        if tally.rows == 0 { warnings.append(CSVReader.noDataRowsMessage(path)) }
        if let codebook { warnings += try apply(codebook, to: &dataset, tally: tally, path: path) }
        for w in warnings { CLIConsole.warning(w) }
        return StreamedData(tally: tally,
                            data: AnalysisData(dataset: dataset, source: path, rowsRead: tally.rows, rowsExcluded: 0,
                                               filter: nil, weightName: nil))
    }

    /// Applies `codebook` to the distinct texts with the messages and checks that applying it to the whole file
    /// gives: unknown label texts and values outside the scale are reported with their real row and count.
    private func apply(_ codebook: Codebook, to dataset: inout Dataset, tally: CategoricalTally,
                       path: String) throws -> [String] {
        let header = try CategoricalTally.columnNames(path: path, delimiter: tally.delimiter)
        // Label texts that are neither a label nor a number: an error naming the first row holding one.
        for c in codebook.variables {
            guard let k = tally.columns.firstIndex(of: c.name), let v = dataset[c.name],
                  case .text(let texts) = v.values, c.mapsTextLabelsToCodes else { continue }
            var byLabel = Set<String>()
            for label in c.valueLabels.values { byLabel.insert(label); byLabel.insert(label.lowercased()) }
            var first: (row: Int, text: String)?
            for (r, t) in texts.prefix(tally.labels[k].count).enumerated() {
                guard let t else { continue }
                let trimmed = t.trimmingCharacters(in: .whitespaces)
                if byLabel.contains(trimmed) || byLabel.contains(trimmed.lowercased())
                    || CategoricalTally.parsesAsCode(trimmed) { continue }
                if first == nil || tally.firstRows[k][r] < first!.row { first = (tally.firstRows[k][r], t) }
            }
            if let first {
                let line = tally.firstRows[k].firstIndex(of: first.row).flatMap { try? tally.lineNumber(column: k, label: $0) }
                throw DataError.invalid("\(Codebook.place(dataRow: first.row, of: path, line: line, variable: c.name)): \(ValueMessages.quoted(first.text)) is neither a code nor a value label in \(codebook.lines.place(codebook.source, c.name, key: codebook.lines.values))")
            }
        }
        var relaxed = codebook
        relaxed.derived = []
        relaxed.invalidValues = .warn
        _ = try relaxed.apply(to: &dataset)
        var warnings: [String] = []
        for c in codebook.variables {
            guard header.contains(c.name) else {
                warnings.append("\(codebook.source): codebook variable '\(c.name)' is not in \(path)")
                continue
            }
            guard let k = tally.columns.firstIndex(of: c.name), let v = dataset[c.name],
                  case .numeric(let column) = v.values else { continue }
            let checkLabels = c.scale == nil && !c.valueLabels.isEmpty && c.kind == .likert
            guard c.scale != nil || checkLabels else { continue }
            var bad = 0
            var first: (row: Int, value: Double, label: Int)?
            for r in 0..<tally.labels[k].count {
                guard let x = column.value(at: r), !v.isMissingCode(x) else { continue }
                let ok = c.scale.map { $0.contains(x) } ?? (c.valueLabels[x] != nil)
                if !ok {
                    bad += tally.counts[k][r]
                    if first == nil || tally.firstRows[k][r] < first!.row { first = (tally.firstRows[k][r], x, r) }
                }
            }
            guard bad > 0, let first else { continue }
            let line = try? tally.lineNumber(column: k, label: first.label)
            let problem = codebook.outsideMessage(c, value: first.value, count: bad,
                                                  at: Codebook.place(dataRow: first.row, of: path, line: line, variable: c.name))
            if codebook.invalidValues == .error { throw DataError.invalid(problem) }
            warnings.append(problem)
        }
        return warnings
    }
}

/// A streamed data file: the tally of distinct texts, and those texts as an `AnalysisData` (read through the
/// CSV reader and the codebook), row k of a variable being its k-th distinct text.
struct StreamedData {
    var tally: CategoricalTally
    var data: AnalysisData

    /// Tally column of `name`.
    func column(_ name: String) -> Int { tally.columns.firstIndex(of: name)! }

    /// Number of distinct texts of `name` (rows of `data` beyond it repeat the first text and mean nothing).
    func textCount(_ name: String) -> Int { tally.labels[column(name)].count }

    /// Rows of the file holding each distinct text of `name`.
    func counts(_ name: String) -> [Int] { tally.counts[column(name)] }

    /// Pair index of (`a`, `b`).
    func pair(_ a: String, _ b: String) -> Int {
        let p = CategoricalTally.Pair(column(a), column(b))
        return tally.pairs.firstIndex(of: p)!
    }
}

extension DataOptions {
    /// For analyses without a streaming engine: `--engine stream` is an error naming the command (rather than
    /// silently loading a file the user asked not to load); `auto` means memory.
    func requireMemoryEngine(command: String) throws {
        if engine == .stream {
            throw CLIError("\(command) --engine stream: \(command) has no streaming engine (likert and crosstab do); use --engine memory (or auto)")
        }
    }
}
