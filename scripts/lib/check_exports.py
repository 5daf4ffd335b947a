#!/usr/bin/env python3
"""Checks of scripts/check-exports: the exported documents open in the tools a reader uses.

  check_exports.py make-torture DIR   writes DIR/torture.csv and DIR/torture.codebook.yaml
  check_exports.py check WORK         checks WORK/{en,nb}/{latex,html,csv,markdown,xlsx}/ (see scripts/check-exports)

The CSV export of a result is the reference of the other formats: an HTML page must show its title, headers, text
cells and notes; a workbook (converted by LibreOffice) its text and numbers (as numbers); the Markdown its headers.
"""
import concurrent.futures
import csv
import glob
import html.parser
import math
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

FAILURES = []
WIDE = []  # LaTeX tables wider than the text block by more than 50pt: layout, reported, not a failure


def fail(where, message):
    FAILURES.append(f"{where}: {message}")


# ---------------------------------------------------------------------------------------------------------------
# The torture dataset: group and value labels holding every character that is markup in one of the formats.

GROUPS = ['A & B_1', '50 % «Nav»', '#2 {x} $y', 'a~b^c\\d', 'x|y <b> "q"', 'Tromsø; Bodø – ≥ 5 χ² ω', '[hakeparentes] *stjerne*',
          'Tegn: ′ ″ ⁻⁷ ⁰ ₂ ≈ ∑ √ ∞ µ Δ → ✓ • ½ € ° … ‰ ≠ ‘’ “” „ — ¼ × ± · ÷ ¬ ∀ ∂ ∩ ≡ ′']

CODEBOOK = r"""variables:
  id:
    label: Respondent
    kind: id
  grp_navn:
    label: 'Gruppe & 100 % «Nav» #1 $ {a} _b ~ ^ \ | <i> − ≥ ≤ χ² η² ω² — æøå ÆØÅ'
    kind: nominal
    type: text
  kat:
    label: "Kategori \"sitat\"; semikolon"
    kind: likert
    scale: {min: 1, max: 3}
    values:
      1: 'Lav & liten_1'
      2: 'Middels 50 %'
      3: 'Høy «topp» ≥ 4 "x"; y'
  side:
    label: 'Side ~ ^'
    kind: nominal
    values:
      1: 'Venstre & «høyre» #1'
      2: 'Høyre_2 % ≥ $\ {'
  skaar_1:
    label: 'Skår_1 (indeks 1–5) & $'
    kind: numeric
  skaar_2:
    label: 'Skår_2 ~ ^ \ {x}'
    kind: numeric
  liten:
    label: 'Liten verdi (×10⁻⁷)'
    kind: numeric
  ja:
    label: 'Ja/nei #'
    kind: nominal
    values: {1: 'ja', 2: 'nei'}
"""


def make_torture(directory):
    rng = random.Random(7)
    with open(os.path.join(directory, 'torture.csv'), 'w', newline='', encoding='utf-8') as f:
        w = csv.writer(f)
        w.writerow(['id', 'grp_navn', 'kat', 'side', 'skaar_1', 'skaar_2', 'liten', 'ja'])
        for i in range(160):
            g = GROUPS[i % len(GROUPS)]
            s1 = round(rng.gauss(3 + (i % len(GROUPS)) * 0.2, 0.8), 2)
            s2 = round(s1 * 0.5 + rng.gauss(1, 0.5), 2)
            liten = round(rng.gauss(0, 1) * 1e-7, 12)
            ja = 1 if rng.random() < 0.3 + 0.05 * (i % len(GROUPS)) else 2
            w.writerow([i + 1, g, 1 + (i * 7 % 3) if i % 11 else 1 + i % 3, 1 + i % 2, s1, s2, liten, ja])
    with open(os.path.join(directory, 'torture.codebook.yaml'), 'w', encoding='utf-8') as f:
        f.write(CODEBOOK)


# ---------------------------------------------------------------------------------------------------------------
# CSV: an RFC 4180 reader that remembers which fields were quoted (LibreOffice quotes text cells, not numbers).

def parse_csv(text, delimiter):
    """Records (lists of (field, quoted)); raises ValueError on a malformed quote."""
    records, record, field, quoted = [], [], [], False
    i, n = 0, len(text)
    at_start = True
    while i < n:
        ch = text[i]
        if at_start and ch == '"':
            quoted, at_start = True, False
            i += 1
            while True:
                if i >= n:
                    raise ValueError('unterminated quoted field')
                if text[i] == '"':
                    if i + 1 < n and text[i + 1] == '"':
                        field.append('"'); i += 2; continue
                    i += 1
                    break
                field.append(text[i]); i += 1
            if i < n and text[i] not in (delimiter, '\n', '\r'):
                raise ValueError(f'text after a closing quote: {text[max(0, i - 20):i + 20]!r}')
            continue
        if ch == delimiter:
            record.append((''.join(field), quoted)); field, quoted, at_start = [], False, True
        elif ch in '\r\n':
            if ch == '\r' and i + 1 < n and text[i + 1] == '\n':
                i += 1
            record.append((''.join(field), quoted)); records.append(record)
            record, field, quoted, at_start = [], [], False, True
        else:
            if ch == '"':
                raise ValueError(f'quote inside an unquoted field: {text[max(0, i - 20):i + 20]!r}')
            field.append(ch); at_start = False
        i += 1
    if field or record or quoted:
        record.append((''.join(field), quoted)); records.append(record)
    return records


NUMBER_EN = re.compile(r'^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$')
NUMBER_NB = re.compile(r'^-?(\d+(,\d*)?|,\d+)([eE][-+]?\d+)?$')


def as_float(s, locale='en'):
    if (NUMBER_EN if locale == 'en' else NUMBER_NB).match(s):
        return float(s.replace(',', '.'))
    return None


def stem_of(s):
    """A report index names each file with its format's extension (figur-1.html, figur-1.csv)."""
    return re.sub(r'^((figur|tabell)-[0-9]+)\.(csv|html|xlsx|tex|md)$', r'\1', s)


def single_line(s):
    parts = [p.strip() for p in re.split(r'\r\n|\r|\n', s)]
    return ' '.join(p for p in parts if p) if len(parts) > 1 else s


# ---------------------------------------------------------------------------------------------------------------
# HTML: well-formed nesting, the tables' structure and text.

LEGEND = '*** p<.001, ** p<.01, * p<.05'
VOID = {'meta', 'br', 'hr', 'img', 'link', 'input', 'col', 'wbr'}


class TableHTML(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors, self.tables, self.notes_before = [], [], [], []
        self.charset = None
        self.text = None
        self.cell_class = None
        self.in_sup = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == 'meta' and 'charset' in a:
            self.charset = a['charset']
        if tag not in VOID:
            self.stack.append(tag)
        if tag == 'table':
            self.tables.append({'caption': None, 'header': [], 'rows': [], 'notes': []})
        elif tag in ('caption', 'th', 'td') or (tag == 'p' and a.get('class') == 'note'):
            self.text = []
            self.cell_class = a.get('class')
        elif tag == 'tr' and self.stack[-2:-1] == ['tbody']:
            self.tables[-1]['rows'].append([])
        elif tag == 'sup':
            self.in_sup = True

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f'</{tag}> closes <{self.stack[-1] if self.stack else "nothing"}> at {self.getpos()}')
            if tag in self.stack:
                while self.stack.pop() != tag:
                    pass
            return
        self.stack.pop()
        if tag == 'sup':
            self.in_sup = False
        elif tag == 'caption':
            self.tables[-1]['caption'] = ''.join(self.text); self.text = None
        elif tag == 'th':
            self.tables[-1]['header'].append(''.join(self.text)); self.text = None
        elif tag == 'td':
            self.tables[-1]['rows'][-1].append((''.join(self.text), self.cell_class)); self.text = None
        elif tag == 'p' and self.text is not None:
            self.tables[-1]['notes'].append(''.join(self.text)); self.text = None

    def handle_data(self, data):
        if self.text is not None and not self.in_sup:
            self.text.append(data)


def read_html(path):
    with open(path, encoding='utf-8') as f:
        text = f.read()
    p = TableHTML()
    p.feed(text)
    p.close()
    if p.stack:
        p.errors.append(f'unclosed elements at the end: {p.stack}')
    if (p.charset or '').lower() != 'utf-8':
        p.errors.append(f'charset is {p.charset!r}, not utf-8')
    if not text.startswith('<!DOCTYPE html>'):
        p.errors.append('no <!DOCTYPE html>')
    return p


def csv_tables(path, locale, shapes):
    """Splits a CSV export into its tables, with the shapes (has title, rows, notes) that the HTML of the same
    result shows. Returns a list of {'title', 'header', 'rows', 'notes'} with fields as (text, quoted)."""
    with open(path, 'rb') as f:
        raw = f.read()
    bom = raw.startswith(b'\xef\xbb\xbf')
    text = raw.decode('utf-8-sig')
    records = parse_csv(text, ';' if locale == 'nb' else ',')
    out, i = [], 0

    def take():
        nonlocal i
        if i >= len(records):
            raise ValueError('the file ends early')
        r = records[i]; i += 1
        return r

    def blank():
        r = take()
        if r != [('', False)]:
            raise ValueError(f'expected an empty line, found {r}')

    for k, (has_title, nrows, nnotes, legend_last) in enumerate(shapes):
        if k > 0:
            blank()
        t = {'title': None, 'notes': []}
        if has_title:
            r = take()
            if len(r) != 1:
                raise ValueError(f'title line has {len(r)} fields: {r}')
            t['title'] = r[0][0]
        t['header'] = take()
        t['rows'] = [take() for _ in range(nrows)]
        # The HTML appends the star legend, which CSV (no stars) leaves out unless the table's own notes hold it.
        if legend_last and (i + nnotes >= len(records) or records[i + nnotes] != [(LEGEND, False)]):
            nnotes -= 1
        if nnotes:
            blank()
            for _ in range(nnotes):
                r = take()
                if len(r) != 1:
                    raise ValueError(f'note line has {len(r)} fields: {r}')
                t['notes'].append(r[0][0])
        out.append(t)
    if i != len(records):
        raise ValueError(f'{len(records) - i} records after the last table: {records[i][:3]}')
    return out, bom


def check_html_and_csv(work):
    """HTML pages against their CSV; CSV en against nb; returns {(locale, relpath-without-ext): tables}."""
    reference = {}
    for locale in ('en', 'nb'):
        for hpath in sorted(glob.glob(f'{work}/{locale}/html/**/*.html', recursive=True)):
            rel = os.path.relpath(hpath, f'{work}/{locale}/html')[:-5]
            where = f'{locale}/html/{rel}.html'
            p = read_html(hpath)
            for e in p.errors:
                fail(where, e)
            cpath = f'{work}/{locale}/csv/{rel}.csv'
            if not os.path.exists(cpath):
                fail(where, 'no CSV of the same result'); continue
            shapes = [(t['caption'] is not None, len(t['rows']), len(t['notes']), t['notes'][-1:] == [LEGEND])
                      for t in p.tables]
            try:
                tables, bom = csv_tables(cpath, locale, shapes)
            except ValueError as e:
                fail(f'{locale}/csv/{rel}.csv', str(e)); continue
            if bom != (locale == 'nb'):
                fail(f'{locale}/csv/{rel}.csv', f'byte-order mark {"present" if bom else "missing"} (the policy: with nb only)')
            reference[(locale, rel)] = tables
            for h, c in zip(p.tables, tables):
                if h['caption'] is not None and h['caption'] != single_line(c['title']):
                    fail(where, f'caption {h["caption"]!r} ≠ CSV title {c["title"]!r}')
                width = len(h['header'])
                hdr = [single_line(f) for f, _ in c['header']]
                if h['header'] != hdr:
                    fail(where, f'headers {h["header"]} ≠ CSV {hdr}')
                for r, (hrow, crow) in enumerate(zip(h['rows'], c['rows'])):
                    if len(crow) != width:
                        fail(f'{locale}/csv/{rel}.csv', f'row {r + 1} of "{c["title"]}" has {len(crow)} fields, the header {width}')
                    for (hv, cls), (cv, _) in zip(hrow, crow):
                        if cv != '' and as_float(cv, locale) is None and stem_of(hv) != stem_of(single_line(cv)):
                            fail(where, f'text cell {hv!r} ≠ CSV {cv!r}')
                if [n for n in h['notes'] if n != LEGEND] != [single_line(n) for n in c['notes'] if n != LEGEND]:
                    fail(where, f'notes {h["notes"]} ≠ CSV {c["notes"]}')
    # nb CSV: decimal comma, same numbers as en.
    for (locale, rel), tables in reference.items():
        if locale != 'nb' or ('en', rel) not in reference:
            continue
        where = f'nb/csv/{rel}.csv'
        for t_en, t_nb in zip(reference[('en', rel)], tables):
            for r, (row_en, row_nb) in enumerate(zip(t_en['rows'], t_nb['rows'])):
                for (v_en, _), (v_nb, _) in zip(row_en, row_nb):
                    x = as_float(v_en, 'en')
                    if x is None:
                        continue
                    y = as_float(v_nb, 'nb')
                    if y is None or '.' in v_nb:
                        fail(where, f'row {r + 1}: {v_nb!r} is not a number with a decimal comma (en: {v_en!r})')
                    elif y != x:
                        fail(where, f'row {r + 1}: {v_nb!r} ≠ en {v_en!r}')
    return reference


# ---------------------------------------------------------------------------------------------------------------
# Markdown: every row of a pipe table has as many cells as its header.

def md_cells(line):
    cells, cur, i = [], [], 0
    body = line.strip()
    if not (body.startswith('|') and body.endswith('|') and not body.endswith('\\|')):
        return None
    body = body[1:-1]
    while i < len(body):
        ch = body[i]
        if ch == '\\' and i + 1 < len(body):
            cur.append(body[i + 1]); i += 2; continue
        if ch == '|':
            cells.append(''.join(cur).strip()); cur = []
        else:
            cur.append(ch)
        i += 1
    cells.append(''.join(cur).strip())
    return cells


def check_markdown(work, reference):
    for locale in ('en', 'nb'):
        for path in sorted(glob.glob(f'{work}/{locale}/markdown/**/*.md', recursive=True)):
            rel = os.path.relpath(path, f'{work}/{locale}/markdown')[:-3]
            where = f'{locale}/markdown/{rel}.md'
            with open(path, encoding='utf-8') as f:
                lines = f.read().split('\n')
            headers, width = [], None
            for k, line in enumerate(lines):
                if not line.startswith('|'):
                    width = None; continue
                cells = md_cells(line)
                if cells is None:
                    fail(where, f'line {k + 1} is not a pipe-table row: {line[:80]!r}'); continue
                if width is None:
                    width = len(cells); headers.append(cells)
                elif len(cells) != width:
                    fail(where, f'line {k + 1} has {len(cells)} cells, its header {width}: {line[:100]!r}')
            tables = reference.get((locale, rel))
            if tables and rel != 'report/index':
                want = [[single_line(f) for f, _ in t['header']] for t in tables]
                if headers != want:
                    fail(where, f'headers {headers} ≠ CSV {want}')


# ---------------------------------------------------------------------------------------------------------------
# XLSX: LibreOffice reads every sheet; text and numbers match the CSV export of the same result.

def libreoffice_csv(xlsx_files, outdir, shown):
    """Converts workbooks to CSV, one file per sheet (FILE-SHEET.csv). Text cells quoted; `shown`: as displayed."""
    # Tokens: separator 44 (,), quote 34 ("), charset 76 (UTF-8), first line 1, (formats), language 0 (default),
    # quote all text cells, (detect special numbers), save cell contents as shown, formulas, trim, sheet -1 (all).
    opts = f'44,34,76,1,,1033,true,false,{"true" if shown else "false"},false,false,-1'
    os.makedirs(outdir, exist_ok=True)
    profile = tempfile.mkdtemp(prefix='lo-profile-')
    try:
        for i in range(0, len(xlsx_files), 100):
            subprocess.run(['soffice', f'-env:UserInstallation=file://{profile}', '--headless', '--convert-to',
                            f'csv:Text - txt - csv (StarCalc):{opts}', '--outdir', outdir] + xlsx_files[i:i + 100],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=900)
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def sheet_names(path):
    with zipfile.ZipFile(path) as z:
        wb = z.read('xl/workbook.xml').decode('utf-8')
    names = re.findall(r'<sheet name="([^"]*)"', wb)
    return [n.replace('&amp;', '&').replace('&lt;', '<').replace('&gt;', '>').replace('&quot;', '"').replace('&apos;', "'")
            for n in names]


def stored_cells(path, k):
    """{(row, col): (value text, type)} of the k-th worksheet, 0-based, from the workbook's XML."""
    with zipfile.ZipFile(path) as z:
        xml = z.read(f'xl/worksheets/sheet{k + 1}.xml').decode('utf-8')
    cells = {}
    for ref, attrs, v in re.findall(r'<c r="([A-Z]+[0-9]+)"([^>]*)>(?:<v>([^<]*)</v>)?', xml):
        m = re.fullmatch(r'([A-Z]+)([0-9]+)', ref)
        col = 0
        for ch in m.group(1):
            col = col * 26 + ord(ch) - 64
        t = re.search(r't="([a-zA-Z]+)"', attrs)
        cells[(int(m.group(2)) - 1, col - 1)] = (v, t.group(1) if t else 'n')
    return cells


def close(x, y):
    # LibreOffice writes raw values with 15 significant digits, and small ones with 20 decimals (1.68058040327e-08 for
    # 1.6805804032704232e-08): the stored digits are compared exactly by check_stored_numbers.
    return x == y or abs(x - y) <= max(1e-14 * max(abs(x), abs(y)), 1e-20)


def xlsx_rows(path):
    with open(path, encoding='utf-8-sig') as f:
        records = parse_csv(f.read(), ',')
    rows = []
    for r in records:
        while r and r[-1] == ('', False):
            r = r[:-1]
        rows.append(r)
    return [r for r in rows if r]


def shown_matches(shown, display, value):
    """A cell as LibreOffice shows it against the text formats' display (Markdown): the same text, except that
    Excel's exponent is "E-08" where the text formats write "e-08", and that a value on a rounding tie in decimal
    (3.3225 is 3.32249999… in binary: printf shows 3.322, a spreadsheet 3.323) may round either way."""
    def norm(s):
        return s.lower().replace('e-0', 'e-').replace('e+0', 'e+')
    if norm(shown) == norm(display):
        return True
    m = re.fullmatch(r'(-?\d*\.(\d+))(\*{0,3})', display)
    n = re.fullmatch(r'(-?\d*\.(\d+))(\*{0,3})', shown)
    if m and n and m.group(3) == n.group(3) and len(m.group(2)) == len(n.group(2)):
        step = 10.0 ** -len(m.group(2))
        return abs(float(n.group(1)) - float(m.group(1))) <= step * 1.001 and \
            abs(abs(value - float(m.group(1))) - step / 2) <= step * 1e-6
    return False


def check_xlsx(work, reference):
    for locale in ('en', 'nb'):
        base = f'{work}/{locale}/xlsx'
        files = sorted(glob.glob(f'{base}/**/*.xlsx', recursive=True))
        if not files:
            continue
        by_dir = {}
        for p in files:
            by_dir.setdefault(os.path.dirname(p), []).append(p)
        for d, group in by_dir.items():
            libreoffice_csv(group, os.path.join(d, '.lo-raw'), shown=False)
            libreoffice_csv(group, os.path.join(d, '.lo-shown'), shown=True)
        for path in files:
            rel = os.path.relpath(path, base)[:-5]
            where = f'{locale}/xlsx/{rel}.xlsx'
            names = sheet_names(path)
            seen = set()
            for n in names:
                if len(n.encode('utf-16-le')) // 2 > 31 or any(c in n for c in '[]:*?/\\') or n.startswith("'") \
                        or n.endswith("'") or not n or n.lower() in seen:
                    fail(where, f'invalid sheet name {n!r}')
                seen.add(n.lower())
            tables = reference.get((locale, rel))
            if tables is None:
                fail(where, 'no CSV of the same result'); continue
            if len(tables) != len(names):
                fail(where, f'{len(names)} sheets for {len(tables)} tables'); continue
            md_tables = markdown_displays(f'{work}/{locale}/markdown/{rel}.md')
            stem, d = os.path.basename(rel), os.path.dirname(path)
            for k, (name, t) in enumerate(zip(names, tables)):
                raw_path = os.path.join(d, '.lo-raw', f'{stem}-{name}.csv')
                shown_path = os.path.join(d, '.lo-shown', f'{stem}-{name}.csv')
                if not os.path.exists(raw_path):
                    fail(where, f'LibreOffice wrote no CSV for sheet {name!r}'); continue
                # Raw values (LibreOffice writes 15 significant digits and quotes every cell there); the shown
                # export quotes text cells only, so it tells numbers from text.
                # (the star legend is a note of the workbook, as of the text formats, but not of the CSV: no stars)
                got = [r for r in xlsx_rows(raw_path) if r != [(LEGEND, True)]]
                shown = [r for r in xlsx_rows(shown_path) if r != [(LEGEND, True)]]
                want = []
                if t['title'] is not None:
                    want.append([(t['title'], True)])
                want += [list(t['header'])] + [list(r) for r in t['rows']] + [[(n, True)] for n in t['notes']]
                for r in want:
                    while r and r[-1][0] == '':
                        r.pop()
                want = [r for r in want if r]
                if len(got) != len(want) or len(shown) != len(want):
                    fail(where, f'sheet {name!r}: {len(got)} non-empty rows, the CSV {len(want)}'); continue
                body_start = (1 if t['title'] is not None else 0) + 1
                # The stored numbers: 16 significant digits (libxlsxwriter's %.16G), type number.
                xml_cells = stored_cells(path, k)
                xml_body = (2 if t['title'] is not None else 0) + 1
                for i, row in enumerate(t['rows']):
                    for j, (wv, _) in enumerate(row):
                        x = as_float(wv, locale)
                        if x is None:
                            continue
                        v, typ = xml_cells.get((xml_body + i, j), (None, None))
                        if typ != 'n' or v is None or float(v) != float('%.16g' % x):
                            fail(where, f'sheet {name!r} row {i + 1} col {j + 1}: stored {v!r} (type {typ}), the CSV {wv!r}')
                for i, (g, sh, w) in enumerate(zip(got, shown, want)):
                    for j in range(max(len(g), len(w))):
                        gv = g[j][0] if j < len(g) else ''
                        text_cell = sh[j][1] if j < len(sh) else False
                        wv = w[j][0] if j < len(w) else ''
                        x = as_float(wv, locale) if body_start <= i < body_start + len(t['rows']) else None
                        cell = f'sheet {name!r} row {i + 1} col {j + 1}'
                        if x is not None:
                            shown_text = sh[j][0] if j < len(sh) else ''
                            if text_cell and ',' not in shown_text:  # (a shown "<,001***" is quoted for its comma)
                                fail(where, f'{cell}: number {wv} stored as text {gv!r}')
                            elif as_float(gv) is None or not close(float(gv), x):
                                fail(where, f'{cell}: {gv!r} ≠ CSV {wv!r}')
                        elif wv == '':
                            if gv != '':
                                fail(where, f'{cell}: {gv!r} where the CSV is empty')
                        elif stem_of(gv) != stem_of(wv) and not (wv.startswith('Published numbers are') and gv.startswith('Published numbers are')):
                            # (the note on published numbers says, in a workbook, that Excel picks the separator)
                            fail(where, f'{cell}: text {gv!r} ≠ CSV {wv!r}')
                # As shown: the digits, p-values and stars of the text formats; no non-zero number shown as zero.
                if md_tables is None or k >= len(md_tables):
                    continue
                for i, row in enumerate(t['rows']):
                    srow = shown[body_start + i]
                    for j, (wv, _) in enumerate(row):
                        x = as_float(wv, locale)
                        if x is None or i >= len(md_tables[k]) or j >= len(md_tables[k][i]):
                            continue
                        sv = srow[j][0] if j < len(srow) else ''
                        disp = md_tables[k][i][j]
                        if x != 0 and re.fullmatch(r'-?0([.,]0*)?', sv):
                            fail(where, f'sheet {name!r} row {i + 1} col {j + 1}: {wv} is shown as {sv!r}')
                        elif locale == 'en' and not shown_matches(sv, disp, x):
                            fail(where, f'sheet {name!r} row {i + 1} col {j + 1}: shown as {sv!r}, the text formats show {disp!r}')


def markdown_displays(path):
    """The body cells of each pipe table of a Markdown export, as displayed."""
    if not os.path.exists(path):
        return None
    with open(path, encoding='utf-8') as f:
        lines = f.read().split('\n')
    tables, cur = [], None
    for line in lines:
        if line.startswith('|'):
            if cur is None:
                cur = []; tables.append(cur); continue  # header
            if re.fullmatch(r'\|( :?-+:? \|)+', line.strip()):
                continue
            cur.append(md_cells(line))
        else:
            cur = None
    return tables


# ---------------------------------------------------------------------------------------------------------------
# LaTeX: each fragment compiles with the packages its header comment names, without missing characters.

def compile_tex(path, extra=''):
    with open(path, encoding='utf-8') as f:
        first = f.readline()
    packages = re.findall(r'\\usepackage(?:\[[^\]]*\])?\{[^}]*\}', first)
    if not packages:
        return f'header comment names no packages: {first.strip()[:120]!r}'
    d = tempfile.mkdtemp(prefix='tex-')
    try:
        doc = ('\\documentclass{article}\n' + '\n'.join(packages) + '\n' + extra
               + '\\begin{document}\n\\listoftables\n\\input{' + os.path.abspath(path) + '}\n\\end{document}\n')
        with open(os.path.join(d, 'doc.tex'), 'w', encoding='utf-8') as f:
            f.write(doc)
        # Twice: the second run reads the captions back from the list of tables (moving arguments).
        for _ in range(2):
            r = subprocess.run(['pdflatex', '-interaction=nonstopmode', '-halt-on-error', 'doc.tex'], cwd=d,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=300)
            if r.returncode != 0:
                break
        log = open(os.path.join(d, 'doc.log'), encoding='latin-1').read()
        if r.returncode != 0 or not os.path.exists(os.path.join(d, 'doc.pdf')):
            m = re.search(r'^! .*(?:\n.*){0,3}', log, re.M)
            return 'pdflatex failed: ' + (m.group(0) if m else log[-400:]).replace('\n', ' | ')
        overfull = re.findall(r'Overfull \\hbox \(([0-9.]+)pt too wide\)', log)
        if overfull and max(map(float, overfull)) > 50:
            WIDE.append(f'{os.path.basename(path)}{" (babel)" if extra else ""}: {max(map(float, overfull)):.0f}pt')
        missing = re.findall(r'Missing character: There is no (.*?) in font', log)
        if missing:
            return f'missing characters (not printed): {sorted(set(missing))}'
        return None
    finally:
        shutil.rmtree(d, ignore_errors=True)


def check_latex(work):
    jobs = []
    for locale in ('en', 'nb'):
        for path in sorted(glob.glob(f'{work}/{locale}/latex/**/*.tex', recursive=True)):
            jobs.append((f'{locale}/latex/{os.path.relpath(path, f"{work}/{locale}/latex")}', path, ''))
            if locale == 'nb':
                # A Norwegian document: babel's norsk makes " a shorthand character.
                jobs.append((f'{locale}/latex/{os.path.relpath(path, f"{work}/{locale}/latex")} (babel norsk)', path,
                             '\\usepackage[norsk]{babel}\n'))
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        for (where, _, _), err in zip(jobs, pool.map(lambda j: compile_tex(j[1], j[2]), jobs)):
            if err:
                fail(where, err)
    return len(jobs)


def main():
    if sys.argv[1:2] == ['make-torture']:
        make_torture(sys.argv[2]); return 0
    if sys.argv[1:2] != ['check']:
        print(__doc__); return 2
    work = sys.argv[2]
    reference = check_html_and_csv(work)
    print(f'html+csv: {len(reference)} results compared')
    check_markdown(work, reference)
    print('markdown: checked')
    check_xlsx(work, reference)
    print('xlsx: checked with LibreOffice')
    n = check_latex(work) if os.environ.get("CHECK_EXPORTS_SKIP_LATEX") != "1" else 0
    print(f'latex: {n} compilations')
    if WIDE:
        print(f'note: {len(WIDE)} LaTeX tables are over 50pt wider than the text block (layout, not a failure): '
              + ', '.join(sorted(set(WIDE))[:10]) + (' …' if len(set(WIDE)) > 10 else ''))
    for f in FAILURES:
        print('FAIL', f)
    print(f'check-exports: {len(FAILURES)} failures')
    return 1 if FAILURES else 0


if __name__ == '__main__':
    sys.exit(main())
