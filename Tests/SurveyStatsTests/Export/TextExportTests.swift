import XCTest
@testable import SurveyStats

/// Golden-string tests for the text-like exporters. The expected strings were checked by hand: column widths
/// count grapheme clusters, numbers keep their display decimals, p-values follow the report's style.
final class TextExportTests: XCTestCase {
    let table = ExportTestTable.table

    func testTextAlignsByGraphemeClustersAndMarksSignificance() {
        let expected = """
        Tillit etter rolle
        Rolle                     n  Gjennomsnitt         p
        ───────────────────────  ──  ────────────  ────────
        Ordfører                 12          3.14  <.001***
        Rådmann                   7          0.00   .034*
        Enhetsleder & co_1% "x"                 —   .500
        Kilde: test; n = 19
        *** p<.001, ** p<.01, * p<.05

        """
        XCTAssertEqual(TextTableRenderer.render(table), expected)
    }

    func testTextWithDecomposedLettersStillAligns() {
        // "Tromsø" precomposed and "Ålesund" with a combining ring: both must pad to the same column.
        let t = ResultTable(title: "", columns: ["By", "n"],
                            rows: [[.text("A\u{030A}lesund"), .integer(1)], [.text("Tromsø"), .integer(22)]])
        let lines = TextTableRenderer.render(t).split(separator: "\n").map(String.init)
        XCTAssertEqual(lines, ["By        n", "───────  ──", "Ålesund   1", "Tromsø   22"].map {
            $0.replacingOccurrences(of: "Å", with: "A\u{030A}")
        })
        XCTAssertEqual(CellFormatting.displayWidth("A\u{030A}lesund"), 7)
        XCTAssertEqual(CellFormatting.displayWidth("æøåÆØÅ"), 6)
    }

    func testTextNorwegianLocaleUsesDecimalComma() {
        let out = TextTableRenderer.render(table, options: ExportOptions(locale: .norwegian))
        XCTAssertTrue(out.contains("Ordfører                 12          3,14  <,001***\n"), out)
        XCTAssertTrue(out.contains("   ,034*\n"), out)
    }

    func testNoStarsOption() {
        let out = TextTableRenderer.render(table, options: ExportOptions(significanceStars: false))
        XCTAssertFalse(out.contains("*"))
        XCTAssertTrue(out.contains("<.001"))
    }

    func testMarkdown() {
        let expected = """
        ### Tillit etter rolle

        | Rolle | n | Gjennomsnitt | p |
        | :-- | --: | --: | --: |
        | Ordfører | 12 | 3.14 | \\<.001\\*\\*\\* |
        | Rådmann | 7 | 0.00 | .034\\* |
        | Enhetsleder & co\\_1% "x" |  | — | .500 |

        Kilde: test; n = 19  
        \\*\\*\\* p\\<.001, \\*\\* p\\<.01, \\* p\\<.05

        """
        XCTAssertEqual(MarkdownTableRenderer.render(table), expected)
        XCTAssertEqual(MarkdownTableRenderer.escape("a|b"), "a\\|b")
    }

    func testCSVKeepsFullPrecisionAndQuotes() {
        let expected = #"""
        Tillit etter rolle
        Rolle,n,Gjennomsnitt,p
        Ordfører,12,3.14159,0.0004
        Rådmann,7,-0.001,0.034
        "Enhetsleder & co_1% ""x""",,,0.5

        Kilde: test; n = 19

        """#
        XCTAssertEqual(CSVTableRenderer.render(table), expected)
    }

    func testCSVNorwegianLocaleAndByteOrderMark() {
        let expected = "\u{FEFF}" + #"""
        Tillit etter rolle
        Rolle;n;Gjennomsnitt;p
        Ordfører;12;3,14159;0,0004
        Rådmann;7;-0,001;0,034
        "Enhetsleder & co_1% ""x""";;;0,5

        "Kilde: test; n = 19"

        """#
        XCTAssertEqual(CSVTableRenderer.render(table, options: ExportOptions(locale: .norwegian, byteOrderMark: true)),
                       expected)
        // A text field holding the delimiter is quoted in the Norwegian dialect too.
        let t = ResultTable(title: "x", columns: ["a;b", "c,d"], rows: [[.number(1e-300, decimals: 2), .number(0.1, decimals: 1)]])
        XCTAssertEqual(CSVTableRenderer.render(t, options: ExportOptions(locale: .norwegian)), "x\n\"a;b\";c,d\n1e-300;0,1\n")
        XCTAssertEqual(CSVTableRenderer.render(t), "x\na;b,\"c,d\"\n1e-300,0.1\n")
    }

    func testCSVSeveralTablesAreSeparatedAndTitled() {
        let a = ResultTable(title: "A", columns: ["x"], rows: [[.integer(1)]])
        let b = ResultTable(title: "B, second", columns: ["y"], rows: [[.number(2.5, decimals: 1)]])
        XCTAssertEqual(CSVTableRenderer.render([a, b]), "A\nx\n1\n\n\"B, second\"\ny\n2.5\n")
    }

    /// Notes (provenance, missing-data accounting, sign conventions) follow the rows after an empty line.
    func testCSVCarriesTitleAndNotes() {
        let a = ResultTable(title: "A", columns: ["x"], rows: [[.integer(1)]],
                            notes: ["Data: synthetic", "Difference = mean(A) − mean(B), n = 3"])
        XCTAssertEqual(CSVTableRenderer.render(a),
                       "A\nx\n1\n\nData: synthetic\n\"Difference = mean(A) − mean(B), n = 3\"\n")
        let b = ResultTable(title: "B", columns: ["y"], rows: [[.pValue(0.01)]])
        XCTAssertEqual(CSVTableRenderer.render([a, b]),
                       "A\nx\n1\n\nData: synthetic\n\"Difference = mean(A) − mean(B), n = 3\"\n\nB\ny\n0.01\n")
    }

    func testLaTeXBooktabsAndEscaping() {
        let expected = """
        % Generated by surveystats; requires \\usepackage[T1]{fontenc}, \\usepackage[utf8]{inputenc} (æøå), \\usepackage{booktabs}, \\usepackage{tabularx} (wrapping text columns), \\usepackage{graphicx} (shrinks a table wider than the line) and \\usepackage{caption} (\\caption* for titles with their own number)
        \(LaTeXTableRenderer.fallbackDefinition)
        \(LaTeXTableRenderer.fitDefinition)
        \\begin{table}[htbp]
        \\centering
        \\caption{Tillit etter rolle}
        \\begin{surveystatsfit}
        \\begin{tabular}{lrrr}
        \\toprule
        Rolle & n & Gjennomsnitt & p \\\\
        \\midrule
        Ordfører & 12 & 3.14 & \\textless{}.001$^{***}$ \\\\
        Rådmann & 7 & 0.00 & .034$^{*}$ \\\\
        Enhetsleder \\& co\\_1\\% \\textquotedbl{}x\\textquotedbl{} &  & --- & .500 \\\\
        \\bottomrule
        \\end{tabular}
        \\end{surveystatsfit}
        \\par\\smallskip
        {\\footnotesize Kilde: test; n = 19 \\\\{}
        *** p\\textless{}.001, ** p\\textless{}.01, * p\\textless{}.05}
        \\end{table}

        """
        XCTAssertEqual(LaTeXTableRenderer.render([table]), expected)
        XCTAssertEqual(LaTeXTableRenderer.escape("&%_#${}~^\\"),
                       "\\&\\%\\_\\#\\$\\{\\}\\textasciitilde{}\\textasciicircum{}\\textbackslash{}")
        let neg = ResultTable(title: "", columns: ["b"], rows: [[.number(-1.5, decimals: 1)]])
        XCTAssertTrue(LaTeXTableRenderer.render([neg]).contains("$-$1.5 \\\\"))
    }

    /// pdflatex cannot set Greek letters, superscript digits, the minus sign or guillemets in text mode.
    func testLaTeXTranslatesUnicodeThatPdflatexCannotSet() {
        XCTAssertEqual(LaTeXTableRenderer.escape("χ²(2)"), "$\\chi^2$(2)")
        XCTAssertEqual(LaTeXTableRenderer.escape("η² = 0.12, ω² = -0.037"), "$\\eta^2$ = 0.12, $\\omega^2$ = $-$0.037")
        XCTAssertEqual(LaTeXTableRenderer.escape("«Nav» − 3"), "\\guillemotleft{}Nav\\guillemotright{} $-$ 3")
        XCTAssertEqual(LaTeXTableRenderer.escape("R² 1-2"), "R$^2$ 1-2")
        let t = ResultTable(title: "χ²", columns: ["a"], rows: [[.text("x")]])
        let tex = LaTeXTableRenderer.render([t])
        for package in ["\\usepackage[T1]{fontenc}", "\\usepackage[utf8]{inputenc}", "\\usepackage{booktabs}"] {
            XCTAssertTrue(tex.hasPrefix("%") && tex.contains(package), package)
        }
        XCTAssertTrue(tex.contains("\\caption{$\\chi^2$}"), tex)
    }

    /// Every character that is markup in LaTeX, or that pdflatex with the documented preamble (T1 fontenc, utf8
    /// inputenc) cannot set in text, comes out as something pdflatex sets: escaped, as math, or through the
    /// `\surveystatsChar` fallback. scripts/check-exports compiles the real outputs; this pins the strings.
    func testLaTeXEscapesEverySpecialCharacter() {
        let cases: [(String, String)] = [
            // The ten special characters, each alone and in a Norwegian label.
            ("&", "\\&"), ("%", "\\%"), ("$", "\\$"), ("#", "\\#"), ("_", "\\_"), ("{", "\\{"), ("}", "\\}"),
            ("~", "\\textasciitilde{}"), ("^", "\\textasciicircum{}"), ("\\", "\\textbackslash{}"),
            ("Bodø & Tromsø: 50 % «ja»", "Bodø \\& Tromsø: 50 \\% \\guillemotleft{}ja\\guillemotright{}"),
            // Text-mode troublemakers: < > | set as other glyphs in OT1; " is babel norsk's shorthand; ` a quote.
            ("<b>|\"q\"`", "\\textless{}b\\textgreater{}\\textbar{}\\textquotedbl{}q\\textquotedbl{}\\textasciigrave{}"),
            // T1 ligatures that would change the text: -- and --- (dashes), '' and ,, (quotes).
            ("a--b---c ''x'' ,,y", "a-{}-b-{}-{}-c '{}'x'{}' ,{},y"),
            // Minus sign, relations, Greek, superscripts and subscripts as math; a hyphen before a number a minus.
            ("−2 ≥ −3 ≤ 4 ≠ 5 ≈ 6", "$-$2 $\\geq$ $-$3 $\\leq$ 4 $\\neq$ 5 $\\approx$ 6"),
            ("χ² = 4.1, η² = 0.2, ω² = -0.03", "$\\chi^2$ = 4.1, $\\eta^2$ = 0.2, $\\omega^2$ = $-$0.03"),
            ("R² og R²adj", "R$^2$ og R$^2$adj"),
            ("10⁻⁷ m² CO₂", "10$^{-7}$ m$^2$ CO$_2$"),
            ("Δ Σ π μ Θ Ω", "$\\Delta$ $\\Sigma$ $\\pi$ $\\mu$ $\\Theta$ $\\Omega$"),
            ("x′ y″", "x$'$ y$''$"),
            ("αβ·x ±1", "$\\alpha\\beta\\cdot$x $\\pm$1"),
            // Characters pdflatex sets in text with T1/TS1: kept as they are.
            ("Æ Ø Å æ ø å é ü – — ‘’ “” „ … • € ° ½ § µ →", "Æ Ø Å æ ø å é ü – — ‘’ “” „ … • € ° ½ § µ →"),
            // A decomposed é (e + U+0301) is composed first; zero-width characters are dropped.
            ("Me\u{301}ld\u{200B}ing", "Mélding"),
            // Characters without a glyph: the fallback shows the character (XeLaTeX, LuaLaTeX, a declared one)
            // or its code point.
            ("ok ✓", "ok \\surveystatsChar{✓}{[U+2713]}"),
            ("Москва", "\\surveystatsChar{М}{[U+041C]}\\surveystatsChar{о}{[U+043E]}\\surveystatsChar{с}{[U+0441]}"
                + "\\surveystatsChar{к}{[U+043A]}\\surveystatsChar{в}{[U+0432]}\\surveystatsChar{а}{[U+0430]}"),
            // Line breaks and control characters are spaces.
            ("to\nlinjer\tx", "to linjer x"),
        ]
        for (input, expected) in cases {
            XCTAssertEqual(LaTeXTableRenderer.escape(input), expected, input)
        }
        // No special character survives unescaped: outside math, every \ starts a command, and $ # % & _ ^ ~ { }
        // appear only escaped or as the escapes' own braces.
        let all = LaTeXTableRenderer.escape("&%$#_{}~^\\<>|\"`«»−≥χ²")
        let unescaped = all.replacingOccurrences(of: #"\\[A-Za-z]+(\{\})?|\\[&%$#_{}]|\$[^$]*\$"#, with: "",
                                                 options: .regularExpression)
        XCTAssertEqual(unescaped, "", all)
        // A cell that starts with [ after \midrule or \toprule is guarded (booktabs reads [width]).
        let bracket = ResultTable(title: "", columns: ["[a]"], rows: [[.text("[b]")], [.text("[c]")]])
        let tex = LaTeXTableRenderer.render([bracket])
        XCTAssertTrue(tex.contains("\\toprule\n{}[a] \\\\\n\\midrule\n{}[b] \\\\{}\n[c] \\\\\n"), tex)
        XCTAssertTrue(tex.contains(LaTeXTableRenderer.fallbackDefinition), tex)
    }

    func testNewlinesInCellsDoNotBreakTextOrMarkdownRows() {
        let t = ResultTable(title: "", columns: ["Spørsmål\nlang", "n"], rows: [[.text("to\nlinjer"), .integer(3)]])
        XCTAssertEqual(TextTableRenderer.render(t), "Spørsmål lang  n\n─────────────  ─\nto linjer      3\n")
        XCTAssertEqual(MarkdownTableRenderer.render(t), "| Spørsmål lang | n |\n| :-- | --: |\n| to linjer | 3 |\n")
    }

    func testHTMLIsStandaloneAndEscaped() {
        let out = HTMLTableRenderer.render([table])
        XCTAssertTrue(out.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Tillit etter rolle</title>\n"))
        XCTAssertTrue(out.hasSuffix("</body>\n</html>\n"))
        let body = """
        <table>
        <caption>Tillit etter rolle</caption>
        <thead><tr><th class="txt">Rolle</th><th class="num">n</th><th class="num">Gjennomsnitt</th><th class="num">p</th></tr></thead>
        <tbody>
        <tr><td class="txt">Ordfører</td><td class="num">12</td><td class="num">3.14</td><td class="num">&lt;.001<sup>***</sup></td></tr>
        <tr><td class="txt">Rådmann</td><td class="num">7</td><td class="num">0.00</td><td class="num">.034<sup>*</sup></td></tr>
        <tr><td class="txt">Enhetsleder &amp; co_1% &quot;x&quot;</td><td class="num"></td><td class="num">—</td><td class="num">.500</td></tr>
        </tbody>
        </table>
        <p class="note">Kilde: test; n = 19</p>
        <p class="note">*** p&lt;.001, ** p&lt;.01, * p&lt;.05</p>

        """
        XCTAssertTrue(out.contains(body), out)
        XCTAssertEqual(HTMLTableRenderer.escape("<a href='x'>&\"</a>"), "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;")
        XCTAssertTrue(HTMLTableRenderer.render([table], options: ExportOptions(locale: .norwegian)).contains("<html lang=\"nb\">"))
    }

    func testPValueStyleAtBandEdges() {
        XCTAssertEqual(CellFormatting.pValue(0.001, locale: .standard), ".001")
        XCTAssertEqual(CellFormatting.pValue(0.000999, locale: .standard), "<.001")
        XCTAssertEqual(CellFormatting.pValue(1, locale: .standard), "1.000")
        XCTAssertNil(CellFormatting.pValue(.nan, locale: .standard))
        XCTAssertEqual(significanceStars(0.001), "**")
        XCTAssertEqual(significanceStars(0.01), "*")
        XCTAssertEqual(significanceStars(0.05), "")
    }

    func testInfiniteNumbersShowAsInfinityAndNaNAsUndefined() {
        let t = ResultTable(title: "", columns: ["t"], rows: [[.number(.infinity, decimals: 2)], [.number(-.infinity, decimals: 2)],
                                                            [.number(.nan, decimals: 2)]])
        XCTAssertEqual(TextTableRenderer.render(t), " t\n──\n ∞\n-∞\n —\n")
        XCTAssertEqual(CSVTableRenderer.render(t), "t\n\n\n\n")
    }

    /// Fixed notation printed 1e300 as a 301-digit integer and 3e-7 as "0.000"; beyond |x| ≥ 1e15, and below 1e-4
    /// where the decimals would show only zeros, numbers switch to scientific notation with the same decimals.
    func testVeryLargeAndVeryTinyNumbersUseScientificNotation() {
        let cases: [(Double, Int, String)] = [
            (1e300, 3, "1.000e+300"), (-1.23456e20, 3, "-1.235e+20"), (1e15, 2, "1.00e+15"),
            (999_999_999_999_999, 0, "999999999999999"), (123456.789, 2, "123456.79"),
            (3e-7, 3, "3.000e-07"), (-3e-5, 2, "-3.00e-05"), (1e-300, 2, "1.00e-300"),
            (0.0004, 3, "0.000"), (0.00005, 5, "0.00005"), (0.004, 2, "0.00"), (0, 3, "0.000"), (-0.0, 1, "0.0"),
        ]
        for (value, decimals, expected) in cases {
            XCTAssertEqual(CellFormatting.number(value, decimals: decimals, locale: .standard), expected, "\(value) at \(decimals)")
        }
        XCTAssertEqual(CellFormatting.number(1e300, decimals: 3, locale: .norwegian), "1,000e+300")
        XCTAssertEqual(ExportLocale.standard.format(2.5e-9, decimals: 3), "2.500e-09")
        let t = ResultTable(title: "", columns: ["SS", "p"], rows: [[.number(4.2e300, decimals: 3), .pValue(1e-300)]])
        XCTAssertEqual(TextTableRenderer.render(t), "        SS         p\n──────────  ────────\n4.200e+300  <.001***\n*** p<.001, ** p<.01, * p<.05\n")
    }

    func testFormatFromFileName() {
        XCTAssertEqual(ExportFormat(fileName: "out/Tabell.XLSX"), .xlsx)
        XCTAssertEqual(ExportFormat(fileName: "a.tex"), .latex)
        XCTAssertNil(ExportFormat(fileName: "noext"))
    }
}

extension TextExportTests {
    /// With a decimal comma the star legend reads as the cells do («<,001»), its items separated by semicolons; en
    /// keeps the report's «*** p<.001, ** p<.01, * p<.05». Every format that prints the legend follows the locale.
    func testSignificanceLegendFollowsTheLocale() {
        let t = ResultTable(title: "", columns: ["p"], rows: [[.pValue(0.0004)]])
        let nb = ExportOptions(locale: .norwegian), en = ExportOptions(locale: .standard)
        XCTAssertEqual(TextTableRenderer.render(t, options: nb), "       p\n────────\n<,001***\n*** p<,001; ** p<,01; * p<,05\n")
        XCTAssertEqual(TextTableRenderer.render(t, options: en), "       p\n────────\n<.001***\n*** p<.001, ** p<.01, * p<.05\n")
        XCTAssertTrue(MarkdownTableRenderer.render(t, options: nb).contains(#"\*\*\* p\<,001; \*\* p\<,01; \* p\<,05"#))
        XCTAssertTrue(HTMLTableRenderer.render(t, options: nb).contains("*** p&lt;,001; ** p&lt;,01; * p&lt;,05"))
        // A legend already among the notes (either locale's) is not repeated.
        var noted = t
        noted.notes = [significanceLegend(locale: .norwegian)]
        XCTAssertEqual(noted.displayNotes(stars: true, locale: .norwegian), ["*** p<,001; ** p<,01; * p<,05"])
    }
}
