import Foundation
import XCTest

/// Data input: missing ranges, `--na` tokens, encodings, line ends, empty and misnamed files, number errors.
final class DataInputTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("surveystats-input-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    /// Writes `bytes` to a file in the test directory and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String { try write(name, bytes: Array(text.utf8)) }

    @discardableResult
    func write(_ name: String, bytes: [UInt8]) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    func run(_ args: [String]) throws -> CLIResult { try CLI.run(args, cwd: directory) }

    func json(_ args: [String], file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        let r = try run(args + ["--format", "json"])
        XCTAssertEqual(r.status, 0, "stderr: \(r.stderr)", file: file, line: line)
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any],
                             file: file, line: line)
    }

    // MARK: 1–2. Missing ranges

    func testDescribeHonoursCodebookMissingRanges() throws {
        try write("rng.csv", "r,g\n1,a\n97,a\n98,b\n99,b\n100,a\n2,b\n")
        try write("rng.yaml", "variables:\n  r:\n    missing: [{range: [97, 99]}]\n")
        let j = try json(["describe", "r", "--data", "rng.csv", "--codebook", "rng.yaml", "--by", "g"])
        let v = try XCTUnwrap((j["variables"] as? [[String: Any]])?.first)
        XCTAssertEqual(v["n"] as? Int, 3)
        XCTAssertEqual(v["missing"] as? Int, 3)
        XCTAssertEqual(double(v["mean"]), 103.0 / 3, accuracy: 1e-12)
        let groups = try XCTUnwrap(v["groups"] as? [[String: Any]])
        XCTAssertEqual(groups.map { $0["n"] as? Int }, [2, 1])
        XCTAssertEqual(groups.map { double($0["mean"]) }, [50.5, 2])
        // A column of doubles (not one-byte codes) takes the same path.
        try write("rngd.csv", "r\n1.5\n97\n98\n99\n100\n2\n")
        let d = try json(["describe", "r", "--data", "rngd.csv", "--codebook", "rng.yaml"])
        XCTAssertEqual((d["variables"] as? [[String: Any]])?.first?["n"] as? Int, 3)
    }

    func testLikertHonoursMissingRangesInBothEngines() throws {
        try write("lk.csv", "q,g\n1,a\n2,a\n5,b\n97,b\n98,a\n99,b\n")
        try write("lk.yaml", """
            variables:
              q:
                kind: likert
                values: {1: a, 2: b, 3: c, 4: d, 5: e, 97: vet ikke, 98: nekter, 99: ubesvart}
                missing: [{range: [97, 99]}]

            """)
        for engine in ["memory", "stream"] {
            let r = try run(["likert", "q", "--data", "lk.csv", "--codebook", "lk.yaml", "--by", "g", "--engine", engine])
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertTrue(r.stdout.contains("Top 4+5 %"), engine + ": " + r.stdout)
            XCTAssertFalse(r.stdout.contains("97 vet ikke %"), engine + ": " + r.stdout)
            XCTAssertTrue(r.stdout.contains("not valid: 1 code 97 «vet ikke», 1 code 98 «nekter», 1 code 99 «ubesvart»"),
                          engine + ": " + r.stdout)
            let j = try json(["likert", "q", "--data", "lk.csv", "--codebook", "lk.yaml", "--engine", engine])
            let item = try XCTUnwrap((j["items"] as? [[String: Any]])?.first)
            XCTAssertEqual(item["n"] as? Int, 3, engine)
        }
    }

    // MARK: 3. --na tokens

    func testNATokensMatchTrimmedUnquotedFieldsInBothEngines() throws {
        try write("na3.csv", "a,b\n1,x\n99,y\n 99,z\n\"99\",w\n99 ,v\n99\t,u\n")
        let d = try json(["describe", "a", "--data", "na3.csv", "--na", "99"])
        let v = try XCTUnwrap((d["variables"] as? [[String: Any]])?.first)
        XCTAssertEqual(v["n"] as? Int, 1)
        XCTAssertEqual(v["missing"] as? Int, 5)
        var used: [Int] = []
        for engine in ["memory", "stream"] {
            let j = try json(["crosstab", "a", "b", "--data", "na3.csv", "--na", "99", "--engine", engine])
            used.append(try XCTUnwrap(j["n_used"] as? Int, "\(j.keys)"))
        }
        XCTAssertEqual(used, [1, 1])
        // Reported by the token, not as empty.
        let reasons = try XCTUnwrap(v["missing_reasons"] as? [[String: Any]])
        XCTAssertEqual(reasons.map { $0["reason"] as? String }, ["'99' (--na)"])
        XCTAssertEqual(reasons.map { $0["count"] as? Int }, [5])
        let text = try run(["describe", "a", "--data", "na3.csv", "--na", "99"])
        XCTAssertTrue(text.stdout.contains("Missing: a: 5 '99' (--na)."), text.stdout)
        try write("nl.csv", "q\n1\n99\n2\n 99\n")
        for engine in ["memory", "stream"] {
            let l = try run(["likert", "q", "--data", "nl.csv", "--scale", "1-5", "--na", "99", "--engine", engine])
            XCTAssertTrue(l.stdout.contains("not valid: 2 '99' (--na)."), engine + ": " + l.stdout)
        }
    }

    // MARK: 4–5. Pipes, empty files

    /// Runs `command` in bash (for process substitution), with `$B` the surveystats binary.
    func bash(_ command: String) throws -> CLIResult {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = ["-c", command]
        p.environment = ProcessInfo.processInfo.environment.merging(["B": CLI.binary.path]) { $1 }
        p.currentDirectoryURL = directory
        let out = Pipe(), err = Pipe()
        p.standardOutput = out; p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return CLIResult(stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self),
                         status: p.terminationStatus)
    }

    func testPipesAreReadWhole() throws {
        try write("ok.csv", "a,b\n1,2\n3,4\n")
        let c = try bash("\"$B\" codebook <(cat ok.csv)")
        XCTAssertEqual(c.status, 0, c.stderr)
        XCTAssertTrue(c.stdout.contains("2 rows, 2 variables"), c.stdout)
        let d = try bash("\"$B\" describe a --data <(cat ok.csv) --format json")
        XCTAssertEqual(d.status, 0, d.stderr)
        XCTAssertTrue(d.stdout.contains("\"mean\": 2.0"), d.stdout)
        let s = try bash("\"$B\" crosstab a b --data <(cat ok.csv) --engine stream")
        XCTAssertEqual(s.status, 2)
        XCTAssertTrue(s.stderr.contains("not a regular file"), s.stderr)
    }

    func testEmptyFilesAreAnErrorInBothEngines() throws {
        try write("empty.csv", "")
        try write("bom.csv", bytes: [0xEF, 0xBB, 0xBF])
        for file in ["empty.csv", "bom.csv"] {
            for args in [["describe", "a", "--data", file], ["codebook", file],
                         ["crosstab", "a", "b", "--data", file, "--engine", "stream"],
                         ["crosstab", "a", "b", "--data", file, "--engine", "memory"]] {
                let r = try run(args)
                XCTAssertEqual(r.status, 2, "\(args)")
                XCTAssertEqual(r.stderr, "surveystats: error: \(file): empty file (no header row)\n", "\(args)")
            }
        }
    }

    func testHeaderOnlyFileWarns() throws {
        try write("ho.csv", "a,b\n")
        for args in [["describe", "a", "--data", "ho.csv"], ["likert", "a", "--scale", "1-5", "--data", "ho.csv", "--engine", "stream"]] {
            let r = try run(args)
            XCTAssertTrue(r.stderr.contains("warning: ho.csv: no data rows (only a header row)"), "\(args): \(r.stderr)")
        }
        // The reader's warnings are kept when a codebook is applied (its own warnings are added to them).
        try write("ho.codebook.yaml", "variables:\n  a:\n    values: {1: Ja}\n")
        let r = try run(["describe", "a", "--data", "ho.csv"])
        XCTAssertTrue(r.stderr.contains("using codebook ho.codebook.yaml"), r.stderr)
        XCTAssertTrue(r.stderr.contains("warning: ho.csv: no data rows (only a header row)"), r.stderr)
    }

    func testHeaderOnlySPSSFileWarnsWithoutMentioningAHeaderRow() throws {
        try write("ho2.csv", "a,b\n")
        XCTAssertEqual(try run(["convert", "ho2.csv", "ho2.sav"]).status, 0)
        let r = try run(["describe", "a", "--data", "ho2.sav"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("surveystats: warning: ho2.sav: no data rows\n"), r.stderr)
        XCTAssertFalse(r.stderr.contains("header"), r.stderr)
    }

    /// Norwegian Windows writes −3 (U+2212) for -3: a number in both engines and in --where.
    func testUnicodeMinusSignIsReadAsMinus() throws {
        try write("uminus.csv", "a;b\n1,5;1\n−3;2\n−3;1\n")
        let json = try runJSON(["describe", "--data", directory.appendingPathComponent("uminus.csv").path, "a"])
        let v = try XCTUnwrap((json["variables"] as? [[String: Any]])?.first)
        XCTAssertEqual(v["n"] as? Int, 3)
        assertClose(double(v["mean"]), -1.5, tol: 1e-15)
        assertClose(double(v["min"]), -3, tol: 0)
        let filtered = try run(["describe", "b", "--data", "uminus.csv", "--where", "a == −3", "--format", "json"])
        XCTAssertTrue(filtered.stdout.contains("\"n_excluded\": 1"), filtered.stdout + filtered.stderr)
        let memory = try run(["crosstab", "a", "b", "--data", "uminus.csv", "--engine", "memory"])
        let stream = try run(["crosstab", "a", "b", "--data", "uminus.csv", "--engine", "stream"])
        XCTAssertEqual(memory.status, 0, memory.stderr)
        XCTAssertTrue(memory.stdout.contains("\n-3  "), memory.stdout)
        XCTAssertEqual(stream.stdout, memory.stdout)
        XCTAssertEqual(stream.stderr, memory.stderr)
    }

    /// Errors about one value are `file:line:column: column 'name': …` everywhere; a spreadsheet's #N/A is
    /// answered with the --na option that reads it.
    func testValueErrorsNameFileLineColumnAndVariable() throws {
        try write("na.csv", "a;b\n1,5;1\n#N/A;2\n")
        for engine in ["memory", "stream"] {
            let r = try run(["crosstab", "a", "b", "--data", "na.csv", "--engine", engine, "--no-codebook"])
            XCTAssertEqual(r.status, 0, "a crosstab reads a as categories: \(r.stderr)")
        }
        let na = try run(["describe", "a", "--data", "na.csv"])
        XCTAssertEqual(na.stderr, "surveystats: error: na.csv:3:1: column 'a': '#N/A' is not a number (if it means missing, give --na '#N/A')\n")
        let fixed = try run(["describe", "a", "--data", "na.csv", "--na", "#N/A", "--format", "json"])
        XCTAssertEqual(fixed.status, 0, fixed.stderr)
        try write("neg.csv", "a;w\n1;-1\n2;1\n")
        let neg = try run(["describe", "a", "--data", "neg.csv", "--weight", "w"])
        XCTAssertEqual(neg.stderr, "surveystats: error: neg.csv:2:2: column 'w': the weight is -1; weights must be finite and ≥ 0 (a zero weight leaves the row out)\n")
        try write("inf.csv", "a;w\n1;inf\n2;1\n")
        let inf = try run(["describe", "a", "--data", "inf.csv", "--weight", "w"])
        XCTAssertEqual(inf.stderr, "surveystats: error: inf.csv:2:2: column 'w': 'inf' is not a number\n")
    }

    // MARK: 6–7. Encodings

    func testMixedEncodingsAreAnErrorAtTheFirstBadByte() throws {
        try write("mixenc.csv", bytes: Array("Øvrig,kjønn\n1,Mann\n2,Kvinne\n3,M".utf8) + [0xE5] + Array("nn\n".utf8))
        let r = try run(["codebook", "mixenc.csv"])
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(r.stderr, "surveystats: error: mixenc.csv:4:4: byte 0xE5 is not valid UTF-8 (the file also holds "
                       + "UTF-8 text: mixed encodings); if the file is Windows-1252, use --encoding windows-1252\n")
        // What the message suggests works, for codebook and the analyses alike.
        let forced = try run(["codebook", "mixenc.csv", "--encoding", "windows-1252"])
        XCTAssertEqual(forced.status, 0, forced.stderr)
        // Plain Windows-1252 is still sniffed.
        try write("w.csv", bytes: Array("a,kj".utf8) + [0xF8] + Array("nn\n1,M".utf8) + [0xE5] + Array("nn\n".utf8))
        let plain = try run(["codebook", "w.csv"])
        XCTAssertEqual(plain.status, 0, plain.stderr)
        XCTAssertTrue(plain.stdout.contains("kjønn"), plain.stdout)
    }

    func testEncodingOptionOnAnalyses() throws {
        try write("w.csv", bytes: Array("a,kj".utf8) + [0xF8] + Array("nn\n1,M".utf8) + [0xE5] + Array("nn\n".utf8))
        let strict = try run(["describe", "a", "--data", "w.csv", "--encoding", "utf-8"])
        XCTAssertEqual(strict.status, 2)
        XCTAssertTrue(strict.stderr.contains("w.csv:1:5: byte 0xF8 is not valid UTF-8"), strict.stderr)
        let latin = try run(["crosstab", "a", "kjønn", "--data", "w.csv", "--encoding", "windows-1252"])
        XCTAssertEqual(latin.status, 0, latin.stderr)
        XCTAssertTrue(latin.stdout.contains("Månn"), latin.stdout)
        let bad = try run(["describe", "a", "--data", "w.csv", "--encoding", "ebcdic"])
        XCTAssertEqual(bad.status, 2)
        let stream = try run(["crosstab", "a", "kjønn", "--data", "w.csv", "--encoding", "windows-1252", "--engine", "stream"])
        XCTAssertEqual(stream.status, 2)
        XCTAssertTrue(stream.stderr.contains("--encoding windows-1252"), stream.stderr)
    }

    // MARK: 8. Lone-CR line ends

    func testLoneCRFilesAreSniffedAndNotStreamed() throws {
        try write("c1.csv", "a,b,t\r1,2,x;y\r3,4,z\r")
        let c1 = try run(["codebook", "c1.csv"])
        XCTAssertEqual(c1.status, 0, c1.stderr)
        XCTAssertTrue(c1.stdout.contains("2 rows, 3 variables"), c1.stdout)
        try write("c2.csv", "a;b;t\r1;2.5;x\r3;4;z\r")
        let d = try json(["describe", "b", "--data", "c2.csv"])
        XCTAssertEqual(double((d["variables"] as? [[String: Any]])?.first?["mean"]), 3.25)
        try write("cr.csv", "a,b\r1,2\r3,4\r")
        let stream = try run(["crosstab", "a", "b", "--data", "cr.csv", "--engine", "stream"])
        XCTAssertEqual(stream.status, 2)
        XCTAssertTrue(stream.stderr.contains("CR only"), stream.stderr)
        // auto (any size) reads it whole.
        let auto = try CLI.run(["crosstab", "a", "b", "--data", "cr.csv", "--format", "json"], cwd: directory,
                               environment: ["SURVEYSTATS_STREAM_MIN_BYTES": "0"])
        XCTAssertEqual(auto.status, 0, auto.stderr)
    }

    func testLineNumbersCountLoneCRInsideQuotes() throws {
        try write("crq.csv", "a,b,c\r1,\"x\ry\",3\r4,5\r")
        let r = try run(["codebook", "crq.csv"])
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(r.stderr, "surveystats: error: crq.csv:4:3: row has 2 fields, expected 3 as in the header (column 'c')\n")
    }

    func testShortRowNamesTheFirstMissingColumnInBothEngines() throws {
        try write("short.csv", "a,b,c\n1,2,3\n4,5\n")
        let memory = try run(["crosstab", "a", "b", "--data", "short.csv", "--engine", "memory"])
        XCTAssertEqual(memory.stderr, "surveystats: error: short.csv:3:3: row has 2 fields, expected 3 as in the header (column 'c')\n")
        let stream = try run(["crosstab", "a", "c", "--data", "short.csv", "--engine", "stream"])
        XCTAssertEqual(stream.stderr, "surveystats: error: short.csv:3:3: row has 2 fields, expected 3 as in the header (column 'c')\n")
    }

    // MARK: 12. Value labels in text columns

    func testDescribeAndLikertConvertLabelTextsToCodes() throws {
        let data = CLI.packageRoot.appendingPathComponent(Example.csv).path
        let d = try json(["describe", "rolle", "--data", data])
        let v = try XCTUnwrap((d["variables"] as? [[String: Any]])?.first)
        XCTAssertEqual(v["n"] as? Int, 60)
        XCTAssertEqual(double(v["min"]), 1)
        XCTAssertEqual(double(v["max"]), 5)
        for engine in ["memory", "stream"] {
            let l = try json(["likert", "rolle", "--data", data, "--engine", engine])
            XCTAssertEqual((l["items"] as? [[String: Any]])?.first?["n"] as? Int, 60, engine)
        }
        // A label the codebook does not know is still an error naming it.
        try write("r.csv", "rolle\nordfører\nkonge\n")
        try write("r.yaml", "variables:\n  rolle:\n    values: {1: ordfører}\n")
        let bad = try run(["describe", "rolle", "--data", "r.csv", "--codebook", "r.yaml"])
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.stderr.contains("'konge' is neither a code nor a value label"), bad.stderr)
        // Named at file:line:column with the variable, by both engines alike.
        try write("r2.csv", "id,rolle\n1,ordfører\n2,konge\n")
        for engine in ["memory", "stream"] {
            let r = try run(["likert", "rolle", "--data", "r2.csv", "--codebook", "r.yaml", "--engine", engine])
            XCTAssertEqual(r.stderr, "surveystats: error: r2.csv:3:2: variable 'rolle': 'konge' is neither a code nor a value label in r.yaml:3\n", engine)
        }
    }

    // MARK: 13. --where that matches nothing

    func testWhereThatMatchesNoRowWarns() throws {
        let data = CLI.packageRoot.appendingPathComponent(Example.csv).path
        let r = try run(["describe", "samarbeid", "--data", data, "--where", "rolle == 7"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("warning: --where: no row has rolle == 7 (closest values: 1 «ordfører»"), r.stderr)
        XCTAssertTrue(r.stderr.contains("warning: --where 'rolle == 7' matches none of the 60 rows"), r.stderr)
        let m = try run(["describe", "samarbeid", "--data", data, "--where", "tillit == 9"])
        XCTAssertTrue(m.stderr.contains("is a missing code of 'tillit'") && m.stderr.contains("'tillit is missing'"), m.stderr)
        let ok = try run(["describe", "samarbeid", "--data", data, "--where", "rolle == ordfører"])
        XCTAssertFalse(ok.stderr.contains("warning"), ok.stderr)
    }

    /// A backslash in a quoted --where value is itself (only \' and \\ are escapes): the label Ærlig\ttab is
    /// written as the error lists it.
    func testWhereBackslashInQuotedValueIsLiteral() throws {
        try write("bs.csv", "rolle,y\n1,2\n4,5\n4,7\n")
        try write("bs.codebook.yaml", "variables:\n  rolle:\n    kind: nominal\n    values:\n      1: 'ordfører'\n      4: 'Ærlig\\ttab'\n")
        let ok = try json(["describe", "y", "--data", "bs.csv", "--where", "rolle == 'Ærlig\\ttab'"])
        let y = try XCTUnwrap((ok["variables"] as? [[String: Any]])?.first)
        XCTAssertEqual(double(y["n"]), 2)
        XCTAssertEqual(double(y["mean"]), 6)
        let bad = try run(["describe", "y", "--data", "bs.csv", "--where", "rolle == 'Ærlig\\tta'"])
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.stderr.hasSuffix("at character 10: 'Ærlig\\tta' is neither a number nor a value label "
                                           + "(labels of 'rolle': 1 = ordfører, 4 = Ærlig\\ttab)\n"), bad.stderr)
        let help = try run(["describe", "--help"])
        XCTAssertTrue(help.stdout.replacingOccurrences(of: "\n", with: " ").contains("backslash"), help.stdout)
    }

    // MARK: 15. Misnamed files

    func testMisnamedFilesSayWhatTheyAre() throws {
        let sav = CLI.packageRoot.appendingPathComponent("Tests/SurveyStatsTests/Fixtures/data/iris.sav")
        try write("iris.csv", bytes: [UInt8](try Data(contentsOf: sav)))
        try write("ok.sav", "a,b\n1,2\n")
        try write("g.sas7bdat", bytes: (0..<600).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) })
        try write("ok.csv.gz", bytes: [0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00])
        let expected = [
            "iris.csv": "iris.csv is an SPSS file, not CSV (rename it .sav)",
            "ok.sav": "ok.sav is a text (CSV) file, not an SPSS file (rename it .csv)",
            "g.sas7bdat": "g.sas7bdat is not a SAS file (its first bytes are not a .sas7bdat header)",
            "ok.csv.gz": "ok.csv.gz is gzip-compressed: decompress it first (gunzip ok.csv.gz)",
        ]
        for (file, message) in expected {
            let r = try run(["codebook", file])
            XCTAssertEqual(r.status, 2, file)
            XCTAssertEqual(r.stderr, "surveystats: error: \(message)\n", file)
        }
    }

    func testTrailingBlankLineIsNotARowInBothEngines() throws {
        try write("tb.csv", "a\n1\n2\n\n")
        try write("tb2.csv", "a\n1\n\n2\n")
        for engine in ["memory", "stream"] {
            let end = try json(["likert", "a", "--scale", "1-5", "--data", "tb.csv", "--engine", engine])
            XCTAssertEqual(end["n_rows"] as? Int, 2, engine)
            let middle = try json(["likert", "a", "--scale", "1-5", "--data", "tb2.csv", "--engine", engine])
            XCTAssertEqual(middle["n_rows"] as? Int, 3, engine)   // a blank line inside a one-column file is missing
        }
    }

    func testEmptyHeaderNamesWarnAndDoNotCollide() throws {
        try write("eh.csv", "a,,column2\n1,2,3\n")
        let r = try run(["codebook", "eh.csv"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stderr, "surveystats: warning: eh.csv:1:2: column 2 has no name in the header; it is called 'column2_2'\n")
        XCTAssertTrue(r.stdout.contains("column2_2  [numeric]"), r.stdout)
        let s = try run(["crosstab", "a", "column2_2", "--data", "eh.csv", "--engine", "stream"])
        XCTAssertEqual(s.status, 0, s.stderr)
        XCTAssertTrue(s.stderr.contains("it is called 'column2_2'"), s.stderr)
    }

    func testCodebookAcceptsData() throws {
        try write("ok.csv", "a,b\n1,2\n")
        let r = try run(["codebook", "--data", "ok.csv"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.hasPrefix("ok.csv: 1 rows, 2 variables"), r.stdout)
        XCTAssertEqual(try run(["codebook", "ok.csv", "--data", "other.csv"]).status, 2)
    }

    func testConvertNamesTheMissingRangeStataCannotStore() throws {
        try write("rng.csv", "rng\n1\n97\n")
        try write("rng.yaml", "variables:\n  rng:\n    missing: [{range: [97, 99]}]\n")
        XCTAssertEqual(try run(["convert", "rng.csv", "t.sav", "--codebook", "rng.yaml"]).status, 0)
        let r = try run(["convert", "t.sav", "t.dta"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("rng: missing range 97–99 not stored (Stata has no user-missing values)"), r.stderr)
    }

    // MARK: --na on every command

    func testNegativeNATokenIsAcceptedByConvertAndCodebook() throws {
        try write("na.csv", "g,x\n1,-99\n2,3\n1,4\n")
        let convert = try run(["convert", "na.csv", "na_out.sav", "--na", "-99"])
        XCTAssertEqual(convert.status, 0, convert.stderr)
        let d = try json(["describe", "x", "--data", "na_out.sav"])
        XCTAssertTrue("\(d)".contains("-99") || "\(d)".contains("missing"), "\(d)")
        let codebook = try run(["codebook", "--data", "na.csv", "--na", "-99"])
        XCTAssertEqual(codebook.status, 0, codebook.stderr)
        for command in ["convert", "codebook"] {
            let help = try run([command, "--help"])
            XCTAssertTrue(help.stdout.contains("--na -99"), "\(command): \(help.stdout)")
        }
    }

    // MARK: .por names

    func testPortableFilesUpperCaseNames() throws {
        try write("simple.csv", "g,x\n1,2\n2,3\n")
        let r = try run(["convert", "simple.csv", "simple.por"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("g → G, x → X"), r.stderr)
        let back = try run(["describe", "X", "--data", "simple.por"])
        XCTAssertEqual(back.status, 0, back.stderr)
        // Two names that upper-case alike: an error naming both.
        try write("coll.csv", "g,G\n1,2\n")
        let c = try run(["convert", "coll.csv", "coll.por"])
        XCTAssertEqual(c.status, 2)
        XCTAssertTrue(c.stderr.contains("'g' and 'G' would both be called 'G'"), c.stderr)
        // A name ReadStat refuses: the variable is named, not "row 1".
        try write("long.csv", "averylongname,x\n1,2\n")
        let l = try run(["convert", "long.csv", "long.por"])
        XCTAssertEqual(l.status, 2)
        XCTAssertTrue(l.stderr.contains("'averylongname' is longer than 8 bytes"), l.stderr)
        XCTAssertFalse(l.stderr.contains("row 1"), l.stderr)
    }

    // MARK: Bad weight values

    func testBadWeightValueIsReportedAlikeByEveryCommand() throws {
        for value in ["inf", "Infinity", "NaN", "1e400"] {
            try write("inf.csv", "g,y,w\n1,2,1\n2,3,1\n1,4,\(value)\n2,5,1\n")
            var messages: Set<String> = []
            for command in [["crosstab", "g", "y"], ["regress", "y ~ g"], ["describe", "y"], ["likert", "y", "--scale", "1-5"]] {
                let r = try run(command + ["--data", "inf.csv", "--weight", "w"])
                XCTAssertEqual(r.status, 2, "\(command) \(value)")
                XCTAssertTrue(r.stderr.contains("inf.csv:4") && r.stderr.contains("column 'w'")
                              && r.stderr.contains("'\(value)'"), "\(command) \(value): \(r.stderr)")
                XCTAssertFalse(r.stderr.contains("is not numeric"), r.stderr)
                messages.insert(r.stderr)
            }
            XCTAssertEqual(messages.count, 1, "\(value): \(messages)")
        }
    }

    // MARK: likert and the codebook's scale

    func testLikertUsesTheCodebookScaleInBothEngines() throws {
        try write("cw.csv", "q\n1\n2\n5\n-99\n3\n")
        try write("cw.codebook.yaml", "variables:\n  q: {kind: likert, scale: [1, 5], missing: [-99]}\n")
        var outputs: [String] = []
        for engine in ["memory", "stream"] {
            let r = try run(["likert", "--data", "cw.csv", "q", "--na=-99", "--engine", engine, "--format", "csv"])
            XCTAssertEqual(r.status, 0, "\(engine): \(r.stderr)")
            XCTAssertTrue(r.stdout.contains("4 %") && r.stdout.contains("5 %"), r.stdout)
            outputs.append(r.stdout)
        }
        XCTAssertEqual(outputs[0], outputs[1])
        // Without any scale: the error says where one can come from.
        let none = try run(["likert", "--data", "cw.csv", "q", "--no-codebook"])
        XCTAssertEqual(none.status, 2)
        XCTAssertTrue(none.stderr.contains("--scale") && none.stderr.contains("value labels")
                      && none.stderr.contains("codebook"), none.stderr)
    }

    // MARK: Missing-value reasons

    func testMissingWeightsAndRangesAreNamedByReason() throws {
        try write("wm.csv", "g,y,w\n1,2,1\n2,3,-9\n1,4,2\n2,5,1\n1,3,\n")
        try write("wm.yaml", "variables:\n  w: {kind: weight, missing: [-9]}\n")
        let byCodebook = try run(["describe", "y", "--data", "wm.csv", "--weight", "w", "--codebook", "wm.yaml"])
        XCTAssertTrue(byCodebook.stdout.contains("w: 1 code -9, 1 empty/NA"), byCodebook.stdout)
        let byToken = try run(["crosstab", "g", "y", "--data", "wm.csv", "--weight", "w", "--na=-9"])
        XCTAssertTrue(byToken.stdout.contains("w: 1 '-9' (--na), 1 empty/NA"), byToken.stdout)
        let likert = try run(["likert", "y", "--scale", "1-5", "--data", "wm.csv", "--weight", "w", "--na=-9"])
        XCTAssertTrue(likert.stdout.contains("not valid: weight w: 1 '-9' (--na), 1 empty/NA."), likert.stdout)
        // A missing range: one wording in describe and likert.
        try write("r.csv", "q\n1\n2\n98\n3\n")
        try write("r.yaml", "variables:\n  q: {missing: [{range: [97, 99]}]}\n")
        let d = try run(["describe", "q", "--data", "r.csv", "--codebook", "r.yaml"])
        let l = try run(["likert", "q", "--data", "r.csv", "--codebook", "r.yaml", "--scale", "1-5"])
        XCTAssertTrue(d.stdout.contains("1 code 98 (missing range)"), d.stdout)
        XCTAssertTrue(l.stdout.contains("1 code 98 (missing range)"), l.stdout)
    }

    // MARK: Unusual files

    /// A ','-separated file can hold decimal commas only quoted (`1,"3,5"`: Google Sheets or Excel exporting CSV
    /// in a decimal-comma locale). Both engines read them: sniffed, with --decimal-comma, and with --delimiter ','
    /// as well; no message suggests an option that is then refused.
    func testQuotedDecimalCommasInACommaSeparatedFile() throws {
        try write("qc.csv", "id,x,g\n1,\"3,5\",a\n2,\"4,25\",b\n3,\"2\",a\n")
        for extra in [[], ["--decimal-comma"], ["--decimal-comma", "--delimiter", ","], ["--delimiter", ","]] {
            let d = try json(["describe", "x", "--data", "qc.csv"] + extra)
            let x = try XCTUnwrap((d["variables"] as? [[String: Any]])?.first, "\(extra)")
            XCTAssertEqual(double(x["mean"]), 3.25, "\(extra)")                // pandas read_csv(decimal=",")
            XCTAssertEqual([double(x["min"]), double(x["median"]), double(x["max"])], [2, 3.5, 4.25], "\(extra)")
            XCTAssertEqual(double(x["n"]), 3, "\(extra)")
            let memory = try run(["crosstab", "g", "x", "--data", "qc.csv", "--engine", "memory", "--format", "json"] + extra)
            let stream = try run(["crosstab", "g", "x", "--data", "qc.csv", "--engine", "stream", "--format", "json"] + extra)
            XCTAssertEqual(memory.status, 0, memory.stderr)
            XCTAssertEqual(stream.status, 0, stream.stderr)
            XCTAssertEqual(stream.stdout, memory.stdout, "\(extra)")
            XCTAssertTrue(memory.stdout.contains("4.25"), memory.stdout)
        }
        // --decimal-comma on a ','-separated file of whole numbers reads them (it used to be refused).
        try write("dc.csv", "a,x\n1,2\n2,3\n")
        for args in [["describe", "x"], ["crosstab", "a", "x", "--engine", "memory"], ["crosstab", "a", "x", "--engine", "stream"]] {
            let r = try run(args + ["--data", "dc.csv", "--decimal-comma"])
            XCTAssertEqual(r.status, 0, "\(args): \(r.stderr)")
            XCTAssertEqual(r.stderr, "", "\(args)")
        }
        // With --decimal-point the quoted decimal commas are not numbers: the message names the file's reading
        // and the option that reads them (which then works, above).
        let point = try run(["describe", "x", "--data", "qc.csv", "--decimal-point"])
        XCTAssertEqual(point.status, 2)
        XCTAssertEqual(point.stderr, "surveystats: error: qc.csv:2:2: column 'x': '3,5' is not a number: it uses the decimal "
                       + "separator ',', but the file was read with delimiter ',' (sniffed) and decimal separator '.'; give --decimal-comma\n")
        // A quoted «1,500» may be digit grouping (English locales): not sniffed as a decimal comma.
        try write("grouped.csv", "id,inntekt\n1,\"1,500\"\n2,\"12,250\"\n3,\"980\"\n")
        let grouped = try run(["describe", "inntekt", "--data", "grouped.csv"])
        XCTAssertEqual(grouped.status, 2)
        XCTAssertTrue(grouped.stderr.contains("grouped.csv:2:2: column 'inntekt': '1,500'"), grouped.stderr)
    }

    func testUTF16FilesAreRecognised() throws {
        let text = "a,x\n1,2\n2,3\n"
        let le = Array(text.utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let be = Array(text.utf16).flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        let files = ["le-bom.csv": [0xFF, 0xFE] + le, "be-bom.csv": [0xFE, 0xFF] + be, "le.csv": le, "be.csv": be]
        for (name, bytes) in files {
            try write(name, bytes: bytes)
            for args in [["describe", "x"], ["crosstab", "a", "x", "--engine", "memory"],
                         ["crosstab", "a", "x", "--engine", "stream"], ["convert", name, "out.sav"]] {
                let r = try run(args + (args[0] == "convert" ? [] : ["--data", name]))
                XCTAssertEqual(r.status, 2, "\(name) \(args)")
                XCTAssertTrue(r.stderr.contains("\(name) is UTF-16 text; save it as UTF-8"), "\(name) \(args): \(r.stderr)")
            }
        }
    }

    // MARK: likert notes

    func testLikertOutOfScaleNoteIsReadable() throws {
        try write("os.csv", "q\n1\n2\n7\n3\n")
        let r = try run(["likert", "q", "--data", "os.csv", "--scale", "1-5"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("not on the scale (1, 2, 3, 4, 5) were excluded: counted neither in n nor in Missing"),
                      r.stdout)
        XCTAssertFalse(r.stdout.contains("[\""), r.stdout)
    }

    /// With --locale nb the note's scale points have the decimal comma like every other number (and are separated
    /// by semicolons when a point has one), in both engines; the default locale keeps the point.
    func testLikertOutOfScaleNoteFollowsTheLocale() throws {
        try write("osnb.csv", "q\n1\n2\n7\n1.5\n3\n2.5\n")
        for engine in ["memory", "stream"] {
            let nb = try run(["likert", "q", "--data", "osnb.csv", "--scale", "1,1.5,2,3", "--locale", "nb", "--engine", engine])
            XCTAssertEqual(nb.status, 0, nb.stderr)
            XCTAssertTrue(nb.stdout.contains("2 value(s) not on the scale (1; 1,5; 2; 3) were excluded: counted neither in n nor in Missing"),
                          "\(engine): \(nb.stdout)")
            XCTAssertFalse(nb.stdout.contains("1.5"), "\(engine): \(nb.stdout)")
            let en = try run(["likert", "q", "--data", "osnb.csv", "--scale", "1,1.5,2,3", "--engine", engine])
            XCTAssertTrue(en.stdout.contains("2 value(s) not on the scale (1, 1.5, 2, 3) were excluded"), "\(engine): \(en.stdout)")
        }
        // Whole points keep the comma between them; Norwegian labels are untouched.
        let whole = try run(["likert", "q", "--data", "osnb.csv", "--scale", "1-5", "--locale", "nb", "--format", "markdown"])
        XCTAssertEqual(whole.status, 0, whole.stderr)
        XCTAssertTrue(whole.stdout.contains("3 value(s) not on the scale (1, 2, 3, 4, 5) were excluded"), whole.stdout)
    }
}
