import Foundation
import XCTest

/// `--engine stream` must print exactly what `--engine memory` prints (same bytes on stdout and stderr, every
/// format), on files that exercise what the reader and the codebook decide per field: quoted labels with
/// delimiters, `;` with decimal comma, `--na` tokens, missing codes with labels, values off the scale, padded
/// numbers ("4.0", " 3"), labels first seen late in a file split across workers. And requests that cannot be
/// streamed are refused with the option named (exit 2).
final class StreamingEngineTests: XCTestCase {
    /// `args` run once with each engine.
    static func bothEngines(_ args: [String]) throws -> (memory: CLIResult, stream: CLIResult) {
        (try CLI.run(args + ["--engine", "memory"]), try CLI.run(args + ["--engine", "stream"]))
    }

    static let directory: URL = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("surveystats-stream-\(getpid())")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }()

    /// Deterministic pseudo-random numbers (a 64-bit LCG), so the files are the same on every run.
    struct LCG {
        var state: UInt64
        mutating func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
    }

    /// A comma file with quoted text labels (some holding commas and quotes), codes 1–5 with 9 = missing,
    /// empty and NA fields, "4.0" and " 3" spellings, and a codebook next to it.
    static let commaFile: String = {
        let url = directory.appendingPathComponent("svar.csv")
        var rng = LCG(state: 42)
        let regions = ["\"Oslo, sentrum\"", "Bergen", "\"Tromsø \"\"nord\"\"\"", "Bodø", ""]
        var lines = ["id,region,kjonn,q1,q2,q3,x"]
        for i in 1...2_000 {
            func code() -> String {
                switch rng.next(40) {
                case 0: return ""
                case 1: return "NA"
                case 2, 3: return "9"
                case 4: return "4.0"
                case 5: return " 3"
                default: return String(1 + rng.next(5))
                }
            }
            let kjonn = ["1", "2", "", "2"][rng.next(4)]
            lines.append("\(i),\(regions[rng.next(regions.count)]),\(kjonn),\(code()),\(code()),\(code()),\(rng.next(1000)).\(rng.next(10))")
        }
        try? (lines.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
        let codebook = """
            variables:
              region:
                label: Region
                kind: nominal
              kjonn:
                label: Kjønn
                kind: nominal
                values: {1: mann, 2: kvinne}
              q1:
                label: Tillit til Nav
                kind: likert
                scale: {min: 1, max: 5}
                values: {1: Svært liten, 2: Liten, 3: Verken eller, 4: Stor, 5: Svært stor, 9: ubesvart}
                missing: [9]
              q2:
                kind: likert
                values: {1: Svært liten, 2: Liten, 3: Verken eller, 4: Stor, 5: Svært stor, 9: Vet ikke}
                missing: [9]
            derived:
              q1_topp:
                label: Andel stor eller svært stor
                topbox: {of: q1, values: [4, 5]}

            """
        try? codebook.write(to: directory.appendingPathComponent("svar.codebook.yaml"), atomically: true, encoding: .utf8)
        return url.path
    }()

    /// A Norwegian Excel file: `;`, decimal comma ("2,0" codes, "3,5" numbers), text groups with æøå, and
    /// "Vet ikke" as a `--na` token.
    static let semicolonFile: String = {
        let url = directory.appendingPathComponent("excel.csv")
        var rng = LCG(state: 7)
        let groups = ["Sør", "Nord", "Øst", "vest", "Midt-Norge"]
        var lines = ["gruppe;q1;q2;belop"]
        for _ in 0..<1_500 {
            let q1 = ["1", "2", "3", "4", "5", "2,0", "", "7"][rng.next(8)]
            let q2 = ["1", "2", "3", "4", "5", "Vet ikke", "5"][rng.next(7)]
            lines.append("\(groups[rng.next(groups.count)]);\(q1);\(q2);\(rng.next(100)),\(rng.next(100))")
        }
        try? (lines.joined(separator: "\r\n") + "\r\n").write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }()

    /// About 10 MB, so the stream engine splits it across workers: a group level, a code and a missing reason
    /// that first appear only late in the file test that merging keeps file order.
    static let largeFile: String = {
        let url = directory.appendingPathComponent("stor.csv")
        var rng = LCG(state: 2024)
        var text = "a,g,q1,q2,h\n"
        let rows = 400_000
        text.reserveCapacity(rows * 26)
        for i in 0..<rows {
            let late = i > rows * 9 / 10
            let g = late && rng.next(5) == 0 ? "Z" : ["A", "B", "C"][rng.next(3)]
            let q1 = late && rng.next(50) == 0 ? "" : String(1 + rng.next(5))
            let q2 = i > rows / 2 && rng.next(30) == 0 ? "9" : String(1 + rng.next(5))
            text += "\(rng.next(100000)),\(g),\(q1),\(q2),\(rng.next(4)).\(rng.next(1000))\n"
        }
        try? text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }()

    static let formats = ["text", "json", "csv", "markdown", "html", "latex"]

    /// Runs `args` with both engines in every format and asserts identical output and exit status.
    func assertSameOutput(_ args: [String], formats: [String] = StreamingEngineTests.formats,
                          file: StaticString = #filePath, line: UInt = #line) throws {
        for format in formats {
            let memory = try CLI.run(args + ["--format", format, "--engine", "memory"])
            let stream = try CLI.run(args + ["--format", format, "--engine", "stream"])
            XCTAssertEqual(memory.status, 0, "memory engine failed: \(memory.stderr)", file: file, line: line)
            XCTAssertEqual(stream.status, memory.status, "\(args) \(format): \(stream.stderr)", file: file, line: line)
            XCTAssertFalse(memory.stdout.isEmpty, file: file, line: line)
            XCTAssertEqual(stream.stdout, memory.stdout, "\(args) --format \(format)", file: file, line: line)
            XCTAssertEqual(stream.stderr, memory.stderr, "\(args) --format \(format): stderr", file: file, line: line)
        }
    }

    /// Labels shared by two codes, text value labels with a labelled missing text, U+2212 minus signs and a
    /// missing code with a fraction (`--locale nb` notes): the same bytes from both engines.
    func testSharedLabelsTextLabelsAndUnicodeMinus() throws {
        let dir = Self.directory.appendingPathComponent("labels")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let csv = dir.appendingPathComponent("l.csv").path
        var rng = LCG(state: 7)
        var lines = ["g;s;x"]
        for _ in 0..<300 {
            lines.append("\(["1", "2", "3", "−1,5", ""][rng.next(5)]);\(["ja", "nei", "X", "vet ikke"][rng.next(4)]);\(["−2", "−1", "0", "1,5"][rng.next(4)])")
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: csv, atomically: true, encoding: .utf8)
        try """
            variables:
              g:
                values: {1: Ja, 2: Ja, 3: Nei}
                missing: [-1.5]
              s:
                type: text
                values: {ja: Ja, nei: Nei, X: Ugyldig}
                missing: [X]

            """.write(toFile: dir.appendingPathComponent("l.codebook.yaml").path, atomically: true, encoding: .utf8)
        try assertSameOutput(["crosstab", "--data", csv, "g", "s"])
        try assertSameOutput(["crosstab", "--data", csv, "s", "x", "--locale", "nb"], formats: ["text", "csv", "json"])
        try assertSameOutput(["crosstab", "--data", csv, "g", "x", "--percent", "row", "--locale", "nb"], formats: ["text", "json"])
        try assertSameOutput(["likert", "--data", csv, "x", "--scale", "0-1", "--by", "g"], formats: ["text", "json"])
    }

    /// Grouping variables whose levels are numbers with a fraction (2.5 also spelled 2.50, −0.5 with U+2212, a
    /// code sharing a label with another): the same bytes from both engines in every format, with --locale en
    /// and nb (which names the levels 2,5, -0,5 and Ja (1,5) in the tables).
    func testFractionalLevelsAlikeInBothLocales() throws {
        let dir = Self.directory.appendingPathComponent("fractions")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let csv = dir.appendingPathComponent("f.csv").path
        var rng = LCG(state: 11)
        var lines = ["g,h,k,q"]
        for _ in 0..<400 {
            let g = ["1", "2.5", "2.50", "4", "−0.5", ""][rng.next(6)]
            let h = ["0.25", "1.5", "3"][rng.next(3)]
            let k = ["1", "1.5", "2", "9"][rng.next(4)]
            lines.append("\(g),\(h),\(k),\(1 + rng.next(5))")
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: csv, atomically: true, encoding: .utf8)
        try """
            variables:
              k:
                values: {1: Ja, 1.5: Ja, 2: Nei, 9: Vet ikke}
                missing: [9]

            """.write(toFile: dir.appendingPathComponent("f.codebook.yaml").path, atomically: true, encoding: .utf8)
        for locale in ["en", "nb"] {
            try assertSameOutput(["crosstab", "--data", csv, "g", "h", "--percent", "row", "--locale", locale])
            try assertSameOutput(["crosstab", "--data", csv, "k", "g", "--percent", "column", "--locale", locale],
                                 formats: ["text", "csv", "json"])
            try assertSameOutput(["likert", "--data", csv, "q", "--scale", "1-5", "--by", "g", "--locale", locale])
            try assertSameOutput(["likert", "--data", csv, "q", "--scale", "1-5", "--by", "k", "--locale", locale],
                                 formats: ["text", "json"])
        }
        let nb = try CLI.run(["crosstab", "--data", csv, "k", "g", "--locale", "nb", "--engine", "stream"])
        XCTAssertEqual(nb.status, 0, nb.stderr)
        XCTAssertTrue(nb.stdout.contains(" 2,5 ") && nb.stdout.contains(" -0,5 ") && nb.stdout.contains("Ja (1,5)")
                      && !nb.stdout.contains("2.5"), nb.stdout)
    }

    func testLikertWithCodebookMissingCodesAndQuotedLabels() throws {
        let f = Self.commaFile
        try assertSameOutput(["likert", "--data", f, "q1", "q2"])
        try assertSameOutput(["likert", "--data", f, "q1", "q2", "--by", "region", "--top", "5", "--bottom", "1+2+3"])
        try assertSameOutput(["likert", "--data", f, "q1", "--by", "kjonn", "--decimals", "6"], formats: ["text", "json"])
        // No codebook: 9 is outside --scale and reported as such; "4.0" and " 3" are the numbers 4 and 3.
        try assertSameOutput(["likert", "--data", f, "--no-codebook", "q1", "q3", "--scale", "1-5", "--by", "kjonn"])
    }

    func testCrosstabWithCodebookAndQuotedLabels() throws {
        let f = Self.commaFile
        try assertSameOutput(["crosstab", "--data", f, "region", "q1", "--percent", "row"])
        try assertSameOutput(["crosstab", "--data", f, "kjonn", "q2", "--percent", "column"])
        try assertSameOutput(["crosstab", "--data", f, "--no-codebook", "q1", "region", "--percent", "total"])
    }

    func testSemicolonDecimalCommaFile() throws {
        let f = Self.semicolonFile
        try assertSameOutput(["likert", "--data", f, "q1", "--scale", "1-5", "--by", "gruppe"])
        try assertSameOutput(["likert", "--data", f, "q2", "--scale", "1-5", "--na", "Vet ikke", "--by", "gruppe"])
        try assertSameOutput(["crosstab", "--data", f, "gruppe", "q2", "--na", "Vet ikke", "--percent", "row"])
        try assertSameOutput(["likert", "--data", f, "q1", "--scale", "1-5", "--locale", "nb"], formats: ["csv", "text"])
    }

    func testLargeFileSplitAcrossWorkers() throws {
        let f = Self.largeFile
        try assertSameOutput(["likert", "--data", f, "q1", "q2", "--scale", "1-5", "--by", "g"], formats: ["json", "text"])
        try assertSameOutput(["crosstab", "--data", f, "g", "q1"], formats: ["json", "text"])
        try assertSameOutput(["crosstab", "--data", f, "q2", "q1"], formats: ["text"])
    }

    func testAutoStreamsAboveTheThresholdWithTheSameOutput() throws {
        let args = ["likert", "--data", Self.commaFile, "q1", "--by", "region", "--format", "json"]
        let memory = try CLI.run(args + ["--engine", "memory"])
        let auto = try CLI.run(args, environment: ["SURVEYSTATS_STREAM_MIN_BYTES": "0"])
        XCTAssertEqual(auto.status, 0, auto.stderr)
        XCTAssertEqual(auto.stdout, memory.stdout)
        // A request streaming cannot honour falls back to memory under auto (no error).
        let filtered = try CLI.run(["crosstab", "--data", Self.commaFile, "region", "q1", "--where", "kjonn == 1"],
                                   environment: ["SURVEYSTATS_STREAM_MIN_BYTES": "0"])
        XCTAssertEqual(filtered.status, 0, filtered.stderr)
        XCTAssertTrue(filtered.stdout.contains("excluded by --where"), filtered.stdout)
    }

    func testAutoLoadsFilesThatAreNotCategoricalOrNotUTF8() throws {
        // An id column has more distinct texts than a tally keeps: stream refuses, auto loads the file.
        let ids = Self.directory.appendingPathComponent("ids.csv")
        var text = "id,g\n"
        for i in 0..<70_000 { text += "\(i),\(i % 3)\n" }
        try text.write(to: ids, atomically: true, encoding: .utf8)
        let args = ["likert", "--data", ids.path, "id", "--scale", "1-5", "--format", "json"]
        let memory = try CLI.run(args + ["--engine", "memory"])
        let auto = try CLI.run(args, environment: ["SURVEYSTATS_STREAM_MIN_BYTES": "0"])
        XCTAssertEqual(auto.status, 0, auto.stderr)
        XCTAssertEqual(auto.stdout, memory.stdout)
        let stream = try CLI.run(args + ["--engine", "stream"])
        XCTAssertEqual(stream.status, 2)
        XCTAssertTrue(stream.stderr.contains("too many distinct values"), stream.stderr)

        // Windows-1252 (Excel's «ANSI»): the reader transcodes the whole file, so it is not streamed.
        let ansi = Self.directory.appendingPathComponent("ansi.csv")
        try Data("sted;q\nBod\u{F8};1\nMo;2\n".unicodeScalars.map { UInt8($0.value) }).write(to: ansi)
        let refused = try CLI.run(["crosstab", "--data", ansi.path, "sted", "q", "--engine", "stream"])
        XCTAssertEqual(refused.status, 2)
        XCTAssertTrue(refused.stderr.contains("not UTF-8"), refused.stderr)
        let loaded = try CLI.run(["crosstab", "--data", ansi.path, "sted", "q"], environment: ["SURVEYSTATS_STREAM_MIN_BYTES": "0"])
        XCTAssertEqual(loaded.status, 0, loaded.stderr)
        XCTAssertTrue(loaded.stdout.contains("Bodø"), loaded.stdout)
    }

    /// A byte that is not UTF-8 is the same error in both engines, at the file's line and column — also past the
    /// first MiB (which `streams` samples), and in a column the analysis does not read.
    func testEncodingErrorsAreTheSameInBothEnginesAtTheFileLine() throws {
        func file(_ name: String, rows: Int, bad: (row: Int, column: Int)?, utf8: Bool = true) throws -> String {
            var bytes = Array("g,sted,fritt\n".utf8)
            for i in 0..<rows {
                var fields = [Array(["x", "y"][i % 2].utf8), Array((utf8 ? ["Tromsø", "Oslo"] : ["Bodo", "Oslo"])[i % 2].utf8),
                              Array("tekst".utf8)]
                if let bad, bad.row == i { fields[bad.column] += [0xF8] }   // Windows-1252 «ø»
                bytes += fields.joined(separator: [UInt8(ascii: ",")]) + [10]
            }
            let url = Self.directory.appendingPathComponent(name)
            try Data(bytes).write(to: url)
            return url.path
        }
        let mixed = "is not valid UTF-8 (the file also holds UTF-8 text: mixed encodings); if the file is Windows-1252, use --encoding windows-1252\n"
        let cases: [(String, [String], String)] = [
            // Row 110001 is line 110003: «y,Oslo,tekst» puts the byte at column 13; «y,Oslo» at 7.
            (try file("late_unused.csv", rows: 120_000, bad: (110_001, 2)), [], ":110003:13: byte 0xF8 " + mixed),
            (try file("late_used.csv", rows: 120_000, bad: (110_001, 1)), [], ":110003:7: byte 0xF8 " + mixed),
            (try file("late_used.csv", rows: 120_000, bad: (110_001, 1)), ["--encoding", "utf-8"],
             ":110003:7: byte 0xF8 is not valid UTF-8; if the file is Windows-1252, use --encoding windows-1252\n"),
            (try file("early.csv", rows: 10, bad: (3, 2)), [], ":5:13: byte 0xF8 " + mixed),
        ]
        for (path, extra, message) in cases {
            let (memory, stream) = try Self.bothEngines(["crosstab", "g", "sted", "--data", path] + extra)
            XCTAssertEqual(memory.status, 2, path)
            XCTAssertEqual(stream.status, 2, path)
            XCTAssertEqual(memory.stderr, "surveystats: error: " + path + message)
            XCTAssertEqual(stream.stderr, memory.stderr)
            XCTAssertEqual(stream.stdout, "")
        }
        // No UTF-8 text and a late Windows-1252 byte: loading reads the file as Windows-1252; the stream engine
        // cannot (it says so) and auto loads it.
        let ansi = try file("late_ansi.csv", rows: 120_000, bad: (110_001, 1), utf8: false)
        let memory = try CLI.run(["crosstab", "g", "sted", "--data", ansi, "--engine", "memory"])
        XCTAssertEqual(memory.status, 0, memory.stderr)
        XCTAssertTrue(memory.stdout.contains("Osloø"), memory.stdout)
        let stream = try CLI.run(["crosstab", "g", "sted", "--data", ansi, "--engine", "stream"])
        XCTAssertEqual(stream.status, 2)
        XCTAssertEqual(stream.stderr, "surveystats: error: crosstab --engine stream cannot honour --data \(ansi): it is not UTF-8 "
                       + "(Windows-1252 files are transcoded whole when loaded); use --engine memory (or auto)\n")
        let auto = try CLI.run(["crosstab", "g", "sted", "--data", ansi], environment: ["SURVEYSTATS_STREAM_MIN_BYTES": "0"])
        XCTAssertEqual(auto.status, 0, auto.stderr)
        XCTAssertEqual(auto.stdout, memory.stdout)
    }

    func testBadInputIsReportedByBothEngines() throws {
        // A word in a Likert item: same message (file, line, column, value) and exit 2.
        let url = Self.directory.appendingPathComponent("ord.csv")
        try "g,q\n1,2\n2,3\n1,mye\n2,4\n1,kanskje\n".write(to: url, atomically: true, encoding: .utf8)
        let memory = try CLI.run(["likert", "--data", url.path, "q", "--scale", "1-5", "--engine", "memory"])
        let stream = try CLI.run(["likert", "--data", url.path, "q", "--scale", "1-5", "--engine", "stream"])
        XCTAssertEqual(memory.status, 2)
        XCTAssertEqual(stream.status, 2)
        XCTAssertEqual(stream.stderr, memory.stderr)
        XCTAssertTrue(stream.stderr.contains("ord.csv:4:") && stream.stderr.contains("mye"), stream.stderr)
        // An unknown variable: named, with the suggestion.
        let unknown = try CLI.run(["crosstab", "--data", Self.commaFile, "region", "q9", "--engine", "stream"])
        XCTAssertEqual(unknown.status, 2)
        XCTAssertTrue(unknown.stderr.contains("q9"), unknown.stderr)
    }

    func testEdgeCaseFilesGiveTheSameResultOrError() throws {
        let files = [
            "header only": "g,q\n",
            "blank lines": "g,q\n1,2\n\n2,3\n1,4\n\n",
            "no final newline, CRLF": "g,q\r\n1,2\r\n2,\r\n1,4",
            "short line": "g,q,z\n1,2,3\n2,3\n1,4,5\n",
            "long line": "g,q,z\n1,2,3\n2,3,4,5\n1,4,5\n",
            "duplicate column": "g,q,g\n1,2,3\n",
            "byte-order mark": "\u{FEFF}g,q\n1,2\n2,5\n",
        ]
        for (name, text) in files {
            let url = Self.directory.appendingPathComponent("edge.csv")
            try text.write(to: url, atomically: true, encoding: .utf8)
            let args = ["likert", "--data", url.path, "q", "--by", "g", "--scale", "1-5", "--format", "json"]
            let (memory, stream) = try Self.bothEngines(args)
            XCTAssertEqual(stream.status, memory.status, name)
            XCTAssertEqual(stream.stdout, memory.stdout, name)
            XCTAssertEqual(stream.stderr, memory.stderr, name)
        }
    }

    /// Spaces and tabs around a quoted field are ignored by both engines (one rule, `CSVScanner.quotedContent`);
    /// anything else after a closing quote is the same error in both.
    func testSpacesAroundQuotesAreReadAlikeByBothEngines() throws {
        let same = [
            "space before the quote": "g,h\na, \"x\"\nb,x\na,y\nb,x\n",
            "space after the quote": "g,h\na,\"x\" \nb,x\na,y\nb,x\n",
            "tabs and CRLF": "g,h\r\na,\t\"x\"\t \r\nb,x\r\na,y\r\nb,x\r\n",
            "bare quote inside a field": "g,h\na,x\"y\nb,x\na,y\nb,x\n",
        ]
        for (name, text) in same {
            let url = Self.directory.appendingPathComponent("quotes.csv")
            try text.write(to: url, atomically: true, encoding: .utf8)
            let args = ["crosstab", "g", "h", "--data", url.path, "--format", "csv"]
            let (memory, stream) = try Self.bothEngines(args)
            XCTAssertEqual(memory.status, 0, "\(name): \(memory.stderr)")
            XCTAssertEqual(stream.status, 0, "\(name): \(stream.stderr)")
            XCTAssertEqual(stream.stdout, memory.stdout, name)
            if name != "bare quote inside a field" {
                XCTAssertFalse(memory.stdout.contains("\"x\"") || memory.stdout.contains(" x"), "\(name): \(memory.stdout)")
            }
        }
        // A --na word in quotes with spaces around them is missing in both engines.
        let na = Self.directory.appendingPathComponent("quotes-na.csv")
        try "g,h\na, \"Vet ikke\" \nb,x\na,y\nb,x\n".write(to: na, atomically: true, encoding: .utf8)
        let naArgs = ["crosstab", "g", "h", "--data", na.path, "--na", "Vet ikke", "--format", "csv"]
        let naMemory = try CLI.run(naArgs + ["--engine", "memory"])
        let naStream = try CLI.run(naArgs + ["--engine", "stream"])
        XCTAssertEqual(naMemory.status, 0, naMemory.stderr)
        XCTAssertEqual(naStream.stdout, naMemory.stdout)
        // Not a column of the table; left out as missing, named by the token.
        XCTAssertTrue(naMemory.stdout.contains("g,x,y,Total\n"), naMemory.stdout)
        XCTAssertTrue(naMemory.stdout.contains("(h: 1 'Vet ikke' (--na))"), naMemory.stdout)
        // Text after a closing quote: the same error (file, line, column), exit 2.
        let bad = Self.directory.appendingPathComponent("quotes-bad.csv")
        try "g,h\na,\"x\" y\nb,x\n".write(to: bad, atomically: true, encoding: .utf8)
        let badArgs = ["crosstab", "g", "h", "--data", bad.path]
        let badMemory = try CLI.run(badArgs + ["--engine", "memory"])
        let badStream = try CLI.run(badArgs + ["--engine", "stream"])
        XCTAssertEqual(badMemory.status, 2)
        XCTAssertEqual(badStream.status, 2)
        XCTAssertEqual(badStream.stderr, badMemory.stderr)
        XCTAssertTrue(badMemory.stderr.contains("quotes-bad.csv:2:2: unexpected character 'y' after a closing quote"),
                      badMemory.stderr)
    }

    func testRequestsThatCannotStreamAreRefused() throws {
        let f = Self.commaFile
        let cases: [([String], String)] = [
            (["likert", "--data", f, "q1", "--where", "kjonn == 1"], "--where"),
            (["likert", "--data", f, "q1", "--weight", "x"], "--weight"),
            (["crosstab", "--data", f, "region", "q1", "--weight", "x"], "--weight"),
            (["crosstab", "--data", f, "region", "q1_topp"], "derived variable 'q1_topp'"),
            (["crosstab", "--data", f, "region", "region"], "the same variable"),
            (["regress", "--data", f, "x ~ q1"], "regress has no streaming engine"),
            (["ttest", "--data", f, "x", "--by", "kjonn"], "ttest has no streaming engine"),
            (["describe", "--data", f, "x"], "describe has no streaming engine"),
        ]
        for (args, mention) in cases {
            let r = try CLI.run(args + ["--engine", "stream"])
            XCTAssertEqual(r.status, 2, "\(args): \(r.stderr)")
            XCTAssertTrue(r.stdout.isEmpty, "\(args): stdout must stay empty")
            XCTAssertTrue(r.stderr.contains(mention), "\(args): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("--engine memory"), "\(args): \(r.stderr)")
        }
        let bad = try CLI.run(["likert", "--data", f, "q1", "--engine", "fast"])
        XCTAssertEqual(bad.status, 2)
    }

    // MARK: - Codebook discovery

    func testCodebookNextToTheDataIsUsedAndNamedOnStderr() throws {
        let args = ["crosstab", "--data", Example.csv, "rolle", "tillit"]
        let found = try CLI.run(args)
        let explicit = try CLI.run(args + ["--codebook", "datasets/examples/ledere.codebook.yaml"])
        XCTAssertEqual(found.status, 0, found.stderr)
        XCTAssertEqual(found.stdout, explicit.stdout)
        XCTAssertTrue(found.stdout.contains("I stor grad"), "value labels from the codebook")
        XCTAssertTrue(found.stderr.hasPrefix("surveystats: using codebook datasets/examples/ledere.codebook.yaml"), found.stderr)
        XCTAssertFalse(explicit.stderr.contains("using codebook"), "an explicit --codebook is not announced")

        let ignored = try CLI.run(args + ["--no-codebook"])
        XCTAssertEqual(ignored.status, 0, ignored.stderr)
        XCTAssertFalse(ignored.stdout.contains("I stor grad"), "codes, not labels, without the codebook")
        XCTAssertFalse(ignored.stderr.contains("codebook"))

        let both = try CLI.run(args + ["--no-codebook", "--codebook", "datasets/examples/ledere.codebook.yaml"])
        XCTAssertEqual(both.status, 2)
        XCTAssertTrue(both.stderr.contains("--no-codebook"), both.stderr)
    }

    func testHelpDocumentsEngineAndCodebookDiscovery() throws {
        for command in ["likert", "crosstab", "regress"] {
            let help = try CLI.run([command, "--help"])
            XCTAssertEqual(help.status, 0)
            XCTAssertTrue(help.stdout.contains("--engine"), command)
            XCTAssertTrue(help.stdout.contains("--no-codebook"), command)
            XCTAssertTrue(help.stdout.contains("codebook.yaml"), command)
        }
    }
}
