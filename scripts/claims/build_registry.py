#!/usr/bin/env python3
"""Build datasets/afi-2020/claims.yaml from the AFI catalogue (/work/shared/afi-catalogue) plus the manual
overrides in scripts/claims/overrides.yaml. Deterministic: the same inputs give a byte-identical file.

Usage: python3 scripts/claims/build_registry.py [--catalogue DIR] [--out FILE]

Conventions (rounding, qualifiers, verbal levels, significance) are documented in datasets/afi-2020/README.md,
section "Claims and acceptance rules"; this script is their single implementation on the registry side.
"""
import argparse
import os
import re
import sys
import unicodedata

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DEFAULT_CATALOGUE = os.environ.get("AFI_CATALOGUE", "/work/shared/afi-catalogue")

# ----------------------------------------------------------------------------------------------------------------
# Text helpers

STOP = set("""og i på av til for om med som det de den er at en et å har fra din ditt deg du jeg vi seg sin sine
hvor hvilken hvilke grad eller ved mellom nav er blir ble kan skal vil dere ikke mer mest enn også the ... «» ( )
""".split())


def ascii_slug(text, max_words=None, stop=False):
    t = text.lower().replace("æ", "ae").replace("ø", "o").replace("å", "a")
    t = unicodedata.normalize("NFKD", t).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", t)
    if stop:
        words = [w for w in words if w not in STOP and len(w) > 1] or words
    if max_words:
        words = words[:max_words]
    return "_".join(words)


def content_tokens(text):
    t = text.lower().replace("æ", "ae").replace("ø", "o").replace("å", "a")
    t = unicodedata.normalize("NFKD", t).encode("ascii", "ignore").decode()
    return {w[:8] for w in re.findall(r"[a-z0-9]+", t) if w not in STOP and len(w) > 2}


# ----------------------------------------------------------------------------------------------------------------
# Surveys, years, groups

def survey_codes(raw):
    items = raw if isinstance(raw, list) else [raw]
    out = []
    for s in items:
        for part in str(s).split(" + "):
            part = part.strip()
            m = re.match(r"other: kontorsurvey (\d{4})", part)
            if m:
                out.append(f"kontor-{m.group(1)}")
                continue
            m = re.match(r"other: veileder-(\d{4})", part)
            if m:
                out.append(f"veileder-{m.group(1)}")
                continue
            if part.startswith("other: populasjonsdata") or part.startswith("other: oversikt Arbeids"):
                out.append("populasjon-2017")
            elif part.startswith("other: Terum"):
                out.append("terum-sadeghi-2018")
            elif part.startswith("other: Proba"):
                out.append("proba-2011")
            elif part.startswith("other: alle kontorsurveyer"):
                out.append("kontor-alle-tabell-4")
            else:
                out.append(part)
    return sorted(dict.fromkeys(out), key=out.index)


def years_of(raw):
    if raw is None:
        return []
    if isinstance(raw, list):
        return [int(y) for y in raw if y is not None]
    return [int(raw)]


ROLE_PATTERNS = [
    (r"ordførere? og rådm|ordførere?/rådm|rådmenn og ordfør|kommunale eier|kommunene \(ordf", "ordforere_radmenn"),
    (r"ordfør", "ordforere"),
    (r"rådm", "radmenn"),
    (r"enhetsleder|kontorleder|nav-leder|ledere på nav|ledere \(enhets", "nav_ledere"),
    (r"mellomleder", "mellomledere"),
    (r"ledere og mellomledere|\bledere\b|\bledere\)", "ledere"),
    (r"veileder", "veiledere"),
    (r"kontorer|kontor\b|casekontor|utvalg", "kontorer"),
]


def default_role(surveys):
    s = " ".join(surveys)
    if "ordforer-radmann" in s:
        return "ordforere_radmenn"
    if "veiledere" in s or "veileder-" in s:
        return "veiledere"
    if "ledere" in s:
        return "nav_ledere"
    return "alle"


def side_code(label, surveys):
    lab = label.lower()
    role = None
    for pat, code in ROLE_PATTERNS:
        if re.search(pat, lab):
            role = code
            break
    sector = None
    if re.search(r"statlig|statlige|\bstat\b", lab) and not re.search(r"kommunal|kommune\b", lab):
        sector = "statlig"
    elif re.search(r"kommunal|kommunalt", lab) and not re.search(r"statlig", lab):
        sector = "kommunal"
    if role is None:
        role = default_role(surveys) if sector or re.search(r"ansatte|alle|respondent", lab) else None
    if role is None:
        return None
    if role in ("ordforere", "radmenn", "ordforere_radmenn", "kontorer"):
        sector = None   # «den kommunale eieren», «kommunalsjef»: not an employment sector
    return f"{sector}_{role}" if sector else role


def group_codes(label, surveys):
    label = str(label)
    parts = re.split(r"\s+vs\.?\s+", label)
    out = []
    if len(parts) > 1:
        # "statlig vs kommunalt ansatte veiledere": the shared tail applies to both sides.
        tail = ""
        m = re.search(r"(ansatte.*|veiledere.*|enhetsledere.*)$", parts[-1])
        if m:
            tail = m.group(1)
        for p in parts:
            code = side_code(p if re.search(r"ansatte|veileder|leder|ordfør|rådm", p) else p + " " + tail, surveys)
            if code:
                out.append(code)
    else:
        code = side_code(label, surveys)
        if code:
            out.append(code)
        elif re.search(r"^alle|respondent", label.lower()):
            out.append(default_role(surveys))
    if not out:
        out.append(default_role(surveys))
    return list(dict.fromkeys(out))


# ----------------------------------------------------------------------------------------------------------------
# Variables

TABLE_VARIABLES = {1: "utvalg", 2: "svarstatistikk_kontor", 3: "kontorstorrelse", 5: "svarstatistikk_ordforer_radmann"}


class VariableNamer:
    """One stable snake_case name per figure item. A figure's items are named from the catalogue's figure entry;
    a claim's item text is matched to them by content-word overlap; unmatched items get their own name, reused for
    every claim of that figure with the same item text."""

    def __init__(self, figures, overrides):
        self.items = {}     # fig -> list of (name, tokens, text)
        self.overrides = overrides.get("variables", {}) or {}
        used = {}
        for f in figures:
            num = f.get("figure")
            if num is None:
                continue
            names = []
            ov = self.overrides.get(num) or self.overrides.get(str(num)) or {}
            for i, text in enumerate(f.get("items") or []):
                text = str(text)
                if re.match(r"^\(", text.strip()) and ("mulig" in text or "trolig" in text or "usikker" in text
                                                         or "øvrige" in text or "evt" in text):
                    continue  # the catalogue's guesses about unnamed items
                name = ov.get(i) if isinstance(ov, dict) else None
                if name is None:
                    clean = re.sub(r"^Utsagn \d+:\s*|^\d+\)\s*", "", text)
                    words = 4
                    name = ascii_slug(clean, max_words=words, stop=True)
                    # items of one figure must not share a name («preget av statlig/kommunal dominans»)
                    while any(n == name for n, _, _ in names) and words < 12:
                        words += 1
                        name = ascii_slug(clean, max_words=words, stop=True)
                    base = name
                    k = 2
                    while name in used and used[name] != num:
                        name = f"{base}_f{num}" if k == 2 else f"{base}_f{num}_{k}"
                        k += 1
                used[name] = num
                names.append((name, content_tokens(text), text))
            self.items[num] = names
        self.used = used
        self.extra = {}

    def for_claim(self, fig, item):
        if fig is None:
            return []
        cands = self.items.get(fig, [])
        tokens = content_tokens(item or "")
        if re.search(r"alle (fire|tre|fem|seks|sju|to)? ?(utsagn|påstand|spørsmål|områd|element)|begge|alle utsagn"
                     r"|(utsagn|påstand|element|spørsmål|utfordring|jobbkrav|belastning|opplevelse)\w* i figur|figur \d+\)?$",
                     (item or "").lower()) and cands:
            return [c[0] for c in cands]
        if len(cands) == 1:
            return [cands[0][0]]
        scored = []
        for name, tok, text in cands:
            if not tok or not tokens:
                continue
            inter = len(tok & tokens)
            score = inter / min(len(tok), len(tokens))
            scored.append((score, inter, name))
        scored.sort(reverse=True)
        if scored and scored[0][0] >= 0.34 and scored[0][1] >= 1:
            best = scored[0][0]
            # several items named in one claim ("X; Y") → every item that matches well
            if ";" in (item or "") or " og " in (item or ""):
                many = [n for s, i, n in scored if s >= 0.5]
                if len(many) > 1:
                    return many
            return [scored[0][2]]
        key = (fig, item)
        if key not in self.extra:
            name = ascii_slug(re.sub(r"^Utsagn \d+:\s*", "", item or "item"), max_words=4, stop=True) or "item"
            base, k = name, 2
            while name in self.used and self.used[name] != fig:
                name = f"{base}_f{fig}" if k == 2 else f"{base}_f{fig}_{k}"
                k += 1
            self.used[name] = fig
            self.extra[key] = name
        return [self.extra[key]]


def table_variable(claim):
    t = claim.get("table")
    item = claim.get("item") or ""
    if t == 4 and ":" in item:
        return ascii_slug(item.split(":")[0], max_words=4)
    if t in TABLE_VARIABLES:
        return TABLE_VARIABLES[t]
    return ascii_slug(item, max_words=4, stop=True)


def table_categories(claim):
    t = claim.get("table")
    item = claim.get("item") or ""
    if t == 4 and ":" in item:
        return [ascii_slug(item.split(":", 1)[1])]
    if t == 3 and ":" in item:
        return [ascii_slug(item.split(":", 1)[1])]
    return []


# ----------------------------------------------------------------------------------------------------------------
# Printed numbers and acceptance intervals

def decimals_of(token):
    token = token.replace(",", ".")
    return len(token.split(".")[1]) if "." in token else 0


def find_printed(value, quote, cell=None):
    """The value's digits as they appear in the quote (decimal comma kept). Table rows: the cell's column token."""
    if value is None:
        return None
    candidates = []
    v = float(value)
    for d in range(0, 4):
        s = f"{v:.{d}f}"
        if abs(float(s) - v) > 1e-9:
            continue
        for form in (s.replace(".", ","), s):
            if d == 0:
                form = str(int(round(v)))
            forms = [form]
            if 0 < v < 1 and d > 0:
                forms += [form[1:]]          # ".306", ",306"
            for f in forms:
                pat = r"(?<![\d,.])" + re.escape(f) + r"(?![\d]|[,.]\d)"
                if re.search(pat, quote):
                    candidates.append(f)
        if candidates:
            break
    return candidates[0] if candidates else None


def half_unit(printed):
    return 0.5 * 10 ** (-decimals_of(printed))


def iv(lo, hi, lo_closed=True, hi_closed=False):
    return {"type": "interval", "lo": round(lo, 10), "hi": round(hi, 10), "lo_closed": lo_closed,
            "hi_closed": hi_closed}


FRACTION_WORDS = [
    (r"halvpart", 0.5), (r"1/3|en tredel|en tredjedel|tredjedel", 1 / 3), (r"2/3|to tredel", 2 / 3),
    (r"1 av 3", 1 / 3), (r"¼|1/4|en fjerdedel|fjerdedel", 0.25), (r"¾|3/4|3 av 4|tre av fire", 0.75), (r"4/5", 0.8),
    (r"8 av 10|åtte av ti", 0.8), (r"1/5|en femtedel", 0.2), (r"1/2", 0.5),
]

VERBAL_PERCENT = {
    "de fleste": (50, 100, False, True), "flertallet": (50, 100, False, True), "et flertall": (50, 100, False, True),
    "hovedvekten": (50, 100, False, True), "det store flertallet": (75, 100, True, True),
    "de aller fleste": (75, 100, True, True), "få": (0, 20, True, False), "veldig få": (0, 20, True, False),
    "forsvinnende få": (0, 5, True, False), "nærmest fraværende": (0, 5, True, False),
    "nesten aldri": (0, 5, True, False), "nærmest ikke": (0, 5, True, False),
}

VERBAL_MEAN = [
    # order matters: the first matching pattern wins
    (r"god eller til og med svært god", (3.5, 5, True, True)),
    (r"negativt eller verken|nøytralt eller negativt", (1, 3.5, True, False)),
    (r"fungerer greit", (3, 4, True, False)),
    (r"i liten eller svært liten grad", (1, 2.5, True, False)),
    (r"i noen eller i høy grad", (3, 4.5, True, False)),
    (r"i svært liten grad", (1, 1.5, True, False)),
    (r"i (nokså )?liten grad", (1.5, 2.5, True, False)),
    (r"i svært stor grad|svært gode", (4.5, 5, True, True)),
    (r"i (nokså |ganske )?stor grad|ganske godt|godt fornøyd", (3.5, 4.5, True, False)),
    (r"^greit", (3, 4, True, False)),
    (r"i noen grad|verken|nøytralt|midt på skalaen|ikke sterke synspunkter", (2.5, 3.5, True, False)),
    (r"ikke enige|kritiske|mer uenig enn enig|ikke likeverdig", (1, 3, True, False)),
    (r"^enig|^enige|positiv|^god$|^godt$|bekreftende|fremhever|når sine mål|på en god måte|trekkes med",
     (3, 5, False, True)),
]

# Frequency wordings on the 1 = aldri/meget sjelden … 5 = (meget) ofte/alltid scale (Figur 69 style).
VERBAL_FREQUENCY = [
    (r"nokså sjelden eller av og til", (1.5, 3.5, True, False)),
    (r"nokså sjelden", (1.5, 2.5, True, False)),
    (r"av og til", (2.5, 3.5, True, False)),
    (r"nokså ofte", (3.5, 4.5, True, False)),
]


def fraction_of(qualifier, quote):
    q = (qualifier or "") + " " + (quote or "")
    m = re.search(r"fraction[^«\"]*[«\"]([^»\"]+)[»\"]", qualifier or "")
    text = m.group(1) if m else q
    for pat, f in FRACTION_WORDS:
        if re.search(pat, text, re.I):
            return f, text
    return None, None


def above_width(quote, value):
    q = quote.lower()
    if re.search(r"i overkant av|\bvel\b|drøyt|drøye", q):
        return 3, "i overkant av"
    return 5, "over"


def below_width(quote):
    q = quote.lower()
    if re.search(r"i underkant av|snaut|nesten|nærmere", q):
        return 3, "i underkant av"
    return 5, "under"


NUMBER_WORDS = {1: r"ett|en|ei", 2: r"to", 3: r"tre", 4: r"fire", 5: r"fem", 6: r"seks", 7: r"syv|sju", 8: r"åtte",
                9: r"ni", 10: r"ti", 11: r"elleve", 12: r"tolv", 13: r"tretten", 14: r"fjorten", 15: r"femten"}
SHARES = (0.2, 0.25, 0.3333, 0.333, 0.5, 0.6667, 0.667, 0.75, 0.8)


def number_word(value, quote):
    if value is None or float(value) != int(value) or int(value) not in NUMBER_WORDS:
        return None
    m = re.search(r"\b(" + NUMBER_WORDS[int(value)] + r")\b", quote, re.I)
    return m.group(1) if m else None


def numeric_rule(claim, stat, value, qual, quote, printed):
    """Interval rule for a numeric claim. Returns (rule, printed, value, reason_if_not_checkable)."""
    base = (qual or "exact").split()[0].rstrip(";")
    frac, frac_text = fraction_of(qual, quote) if "fraction" in (qual or "") else (None, None)
    if frac is None and stat in ("percent", "valid-percent") and isinstance(value, (int, float)) \
            and float(value) == 50 and "halvpart" in quote.lower() and "50" not in quote:
        value = 0.5
    if frac is None and stat in ("percent", "valid-percent") and isinstance(value, (int, float)) \
            and round(float(value), 4) in SHARES:
        frac, frac_text = fraction_of("", quote)
        if frac is not None:
            m = re.search(r"(nesten|nær|i overkant av|over|under|om lag|ca\.|cirka|omtrent|rundt)?\s*(en )?"
                          r"(1 av 3|1/3|halvparten|en tredel|en tredjedel|2/3|¼|¾|1/4|3/4|4/5|8 av 10|3 av 4|1/5)",
                          quote, re.I)
            frac_text = m.group(0).strip() if m else frac_text
            if re.search(r"1 av 3", quote):
                frac = 1 / 3
    scale = 100.0 if stat in ("percent", "valid-percent", "response-rate", "difference") else 1.0
    if frac is not None:
        x = frac * 100.0
        printed = frac_text.strip() if frac_text else printed
        if base == "approx":
            return iv(x - 4, x + 4, True, True), printed, x, None
        if base == "nearly":
            return iv(x - 5, x, True, False), printed, x, None
        # A fraction is coarser than a number: «over/i overkant av/under 1/3» all get the 5-pp step.
        if base == "above":
            return iv(x, x + 5, False, True), printed, x, None
        if base == "below":
            return iv(x - 5, x, True, False), printed, x, None
        return iv(x - 2.5, x + 2.5, True, True), printed, x, None
    if isinstance(value, list):
        lo, hi = float(value[0]), float(value[1])
        p_lo = find_printed(lo, quote) or str(value[0])
        p_hi = find_printed(hi, quote) or str(value[1])
        return (iv(lo - half_unit(p_lo), hi + half_unit(p_hi)), f"{p_lo}–{p_hi}", None, None)
    if value is None:
        return None, printed, None, "no number printed"
    v = float(value)
    if stat in ("percent", "valid-percent") and base == "above" and v == 50 and not re.search(r"50", quote):
        word = re.search(r"(det store flertallet|de aller fleste|flertallet|et flertall|de fleste|hovedvekten)",
                         quote.lower())
        w = word.group(1) if word else "flertallet"
        lo, hi, lc, hc = VERBAL_PERCENT.get(w, (50, 100, False, True))
        return iv(lo, hi, lc, hc), w, v, None
    if printed is None:
        printed = find_printed(v, quote)
    if printed is None and number_word(v, quote):
        word = number_word(v, quote)
        # A counted number written as a word («tretten kontor») is exact; a percent written as a word («åtte
        # prosent») is still a rounded figure and gets the same rounding interval as its digits would.
        if base in ("exact", "None", "none") and stat in ("n", "count"):
            return iv(v, v, True, True), word, v, None
        if base in ("exact", "None", "none"):
            h = half_unit(f"{v:g}")
            return iv(v - h, v + h), word, v, None
        printed = f"{v:g}"
    if printed is None:
        printed = f"{v:g}"
    h = half_unit(printed)
    if stat == "R2" and v > 1:          # "forklarer 12 prosent av variansen" → R² = .12
        return iv((v - h) / 100, (v + h) / 100), printed, v / 100, None
    if base in ("exact", "None", "none"):
        return iv(v - h, v + h), printed, v, None
    if base == "approx":
        if stat in ("n", "count"):
            return iv(v * 0.95, v * 1.05, True, True), printed, v, None
        if stat == "mean":
            w = 0.25 if decimals_of(printed) == 0 else 0.15
            return iv(v - w, v + w, True, True), printed, v, None
        return iv(v - 2, v + 2, True, True), printed, v, None
    if base == "nearly":
        w = 3 if scale == 100 else (0.15 if stat == "mean" else max(1, 0.05 * v))
        return iv(v - w, v, True, False), printed, v, None
    if base == "above":
        if stat == "p":
            return iv(v, 1, False, True), printed, v, None
        w, _ = above_width(quote, v)
        if scale != 100:
            w = 0.15 if stat == "mean" else max(1, 0.05 * v)
        return iv(v, v + w, False, True), printed, v, None
    if base == "below":
        if stat == "p":
            return iv(0, v, True, False), printed, v, None
        w, _ = below_width(quote)
        if scale != 100:
            w = 0.15 if stat == "mean" else max(1, 0.05 * v)
        return iv(max(0, v - w), v, True, False), printed, v, None
    if base == "range":
        vmax = claim.get("value_max")
        if vmax is not None:
            p_hi = find_printed(float(vmax), quote) or f"{float(vmax):g}"
            return iv(v - h, float(vmax) + half_unit(p_hi)), f"{printed}–{p_hi}", None, None
    return iv(v - h, v + h), printed, v, None


# ----------------------------------------------------------------------------------------------------------------
# Directions and tests

def relation_of(direction_text, quote):
    d = (direction_text or "").strip()
    low = d.lower()
    if d.startswith("a > b") or re.match(r"^a > ", d) or "høyere" in low or "a er vanligste" in low \
            or "a er typisk" in low or "a setter i hovedsak" in low or "vurderer kommunal innflytelse høyere" in low:
        return "greater"
    if d.startswith("a < b") or "a ønsker færre" in low:
        return "less"
    if d.startswith("a ≈ b") or d.startswith("a = b") or low in ("lik", "omtrent lik", "i stor grad lik",
                                                                  "lik vurdering", "så å si identiske",
                                                                  "relativt stabil", "ingen endring"):
        return "similar"
    if re.search(r"^ikke høyere", low):
        return None
    return None


def operand(label, surveys, years=None):
    op = {"label": str(label)}
    g = side_code(str(label), surveys)
    if g:
        op["group"] = g
    m = re.search(r"\b(20\d\d)\b", str(label))
    if m:
        op["year"] = int(m.group(1))
    return op


def infer_test(claim, groups, years, stat_hint):
    g = " ".join(groups)
    label = (str(claim.get("group")) + " " + str(claim.get("item"))).lower()
    said = (str(claim.get("quote")) + " " + str(claim.get("item"))).lower()
    if claim.get("table") == 3:
        return "one-sample-proportion-z"
    if "t-test" in said:
        return "two-sample-t"
    if "χ²" in said or "kjikvadrat" in said:
        return "chi-squared"
    if "regresjon" in label:
        return "regression-f"
    if len(set(years)) >= 2:
        return "two-proportion-z" if stat_hint == "percent" else "two-sample-t"
    roles = {x.split("_")[-1] for x in groups}
    if len(groups) >= 3 or ("ordforere" in g and "radmenn" in g and "nav_ledere" in g):
        return "anova"
    if stat_hint == "percent":
        return "two-proportion-z"
    if "fordeling" in label or "hvor i organisasjonen" in label:
        return "chi-squared"
    return "two-sample-t"


def figure_stat_hint(fig_entry, claim):
    cats = claim.get("categories")
    if cats:
        return "percent"
    shown = (fig_entry or {}).get("statistic_shown") or ""
    if "mean" in shown:
        return "mean"
    if "percent" in shown:
        return "percent"
    return "mean"


# ----------------------------------------------------------------------------------------------------------------

def load_catalogue(cat_dir):
    claims, figures = [], []
    for part in "ABCD":
        with open(os.path.join(cat_dir, f"part{part}-claims.yaml"), encoding="utf-8") as fh:
            for c in yaml.safe_load(fh):
                c["_part"] = part
                claims.append(c)
        with open(os.path.join(cat_dir, f"part{part}-figures.yaml"), encoding="utf-8") as fh:
            figures.extend(yaml.safe_load(fh))
    return claims, figures


def deep_merge(base, over):
    for k, v in over.items():
        if isinstance(v, dict) and isinstance(base.get(k), dict) and k != "rule":
            deep_merge(base[k], v)
        else:
            base[k] = v
    return base


KIND_TO_STAT = {"R2": "R2", "F": "F"}

GROUP_KEY_STEMS = {"ordforere": "ordf", "radmenn": "r", "veiledere": "veiled", "nav_ledere": "enhetsled"}


def published_n(fig_entry, groups, years):
    """The figure caption's n for the claim's single group (and year), when the catalogue recorded one."""
    ns = (fig_entry or {}).get("n")
    if not isinstance(ns, dict) or len(groups) != 1:
        return None
    g = groups[0].split("_", 1)[-1] if groups[0].startswith(("statlig_", "kommunal_")) else groups[0]
    if groups[0].startswith(("statlig_", "kommunal_")):
        return None
    stem = {"ordforere": "ordførere", "radmenn": "rådmenn", "veiledere": "veiledere", "nav_ledere": "enhetsledere"}.get(g)
    if stem is None:
        return None
    hits = []
    for k, v in ns.items():
        if not isinstance(v, int):
            continue
        if not str(k).startswith(stem):
            continue
        m = re.search(r"(\d{4})", str(k))
        if m and (len(years) != 1 or int(m.group(1)) != years[0]):
            continue
        hits.append(v)
    return hits[0] if len(hits) == 1 else None


def build(cat_dir, overrides):
    claims, figures = load_catalogue(cat_dir)
    fig_by_num = {f["figure"]: f for f in figures if f.get("figure") is not None}
    namer = VariableNamer(figures, overrides)
    out = []
    for c in claims:
        cid = c["id"]
        kind = c["kind"]
        stat = KIND_TO_STAT.get(kind, kind)
        surveys = survey_codes(c["survey"])
        years = years_of(c.get("year"))
        glabel = str(c.get("group"))
        groups = group_codes(glabel, surveys)
        figs = c.get("figure")
        figs = [] if figs is None else (figs if isinstance(figs, list) else [figs])
        table = c.get("table")
        quote = c["quote"]
        cont = c.get("quote_continues")
        cont_text = (cont.get("quote") or cont.get("text") or "") if isinstance(cont, dict) else (cont or "")
        full_quote = quote + (" " + cont_text if cont_text else "")
        qual = c.get("qualifier")
        if stat == "percent" and re.search(r"ekskl\.? «?vet ikke|uten «?vet ikke|av de som", glabel + " " +
                                           str(c.get("item")) + " " + str(c.get("note"))):
            stat = "valid-percent"
        # variables and categories
        if table:
            variables = [table_variable(c)]
            categories = table_categories(c)
        else:
            variables = []
            for f in ([] if stat in ("n", "count") else figs):
                variables += namer.for_claim(f, str(c.get("item") or ""))
            variables = list(dict.fromkeys(variables))
            if not variables and c.get("item") and stat not in ("n", "count"):
                variables = [ascii_slug(str(c["item"]), max_words=4, stop=True)]
        categories = categories if table else [ascii_slug(x) for x in (c.get("categories") or [])]
        verbal = c.get("verbal_level") or c.get("level")
        entry = {"id": cid}
        entry["figure"] = figs if len(figs) != 1 else figs[0]
        if not figs:
            entry["figure"] = None
        entry["table"] = table
        if c.get("cell"):
            entry["cell"] = {"row": str(c["cell"]["row"]), "column": str(c["cell"]["column"])}
        entry["line"] = c["line"]
        entry["quote"] = quote
        entry["survey"] = surveys
        entry["year"] = years
        entry["group"] = groups
        entry["group_label"] = glabel
        entry["variable"] = variables
        entry["item"] = str(c.get("item") or "")
        entry["categories"] = categories
        entry["statistic"] = stat
        if stat in ("percent", "valid-percent", "mean") and figs and len(figs) == 1:
            n_pub = published_n(fig_by_num.get(figs[0]), groups, years)
            if n_pub:
                entry["n"] = n_pub
        rule, printed, value, reason = None, None, None, None
        compare = c.get("compare") or {}
        value_raw = c.get("value")
        if stat in ("direction",) or (stat == "difference" and value_raw is None):
            rel = relation_of(compare.get("direction"), quote)
            if rel is None:
                reason = f"direction '{compare.get('direction')}' names no strict order between two computable quantities"
            else:
                rule = {"type": "direction", "relation": rel, "a": operand(compare.get("a", "a"), surveys),
                        "b": operand(compare.get("b", "b"), surveys)}
                if rel == "similar":
                    rule["tolerance"] = 3 if figure_stat_hint(fig_by_num.get(figs[0]) if figs else None, c) == "percent" else 0.15
            value = None
        elif stat in ("significance", "no-significance"):
            hint = figure_stat_hint(fig_by_num.get(figs[0]) if figs else None, c)
            test = infer_test(c, groups, years, hint)
            rule = {"type": "significance", "test": test, "alpha": 0.05, "significant": stat == "significance"}
            stars = c.get("significance_marker")
            m = re.search(r"p\s*[<≤]\s*[,.]0*(\d+)", quote)
            if m and stat == "significance":
                thr = float("0." + "0" * (len(re.search(r"[<≤]\s*[,.](0*\d+)", quote).group(1)) -
                                         len(m.group(1))) + m.group(1))
                rule["alpha"] = thr
            if stars and table != 3:
                rule["stars"] = stars
            if compare.get("a"):
                rule["a"] = operand(compare["a"], surveys)
            if compare.get("b"):
                rule["b"] = operand(compare["b"], surveys)
        elif value_raw is None and verbal:
            v = str(verbal).strip()
            if stat == "percent":
                hit = VERBAL_PERCENT.get(v.lower())
                if hit:
                    rule = iv(*hit)
                    printed = v
                else:
                    reason = f"vague quantifier «{v}»: no defensible threshold"
            else:
                hit = None
                for pat, rng in VERBAL_MEAN:
                    if re.search(pat, v.lower()):
                        hit = rng
                        break
                if hit is None:
                    for pat, rng in VERBAL_FREQUENCY:
                        if re.search(pat, v.lower()):
                            fig_scale = str((fig_by_num.get(figs[0]) or {}).get("scale") if figs else "")
                            if "sjelden" in fig_scale or "ofte" in fig_scale or "aldri" in fig_scale.lower():
                                hit = rng
                            break
                if hit:
                    rule = iv(*hit)
                    printed = v
                    stat = "mean"
                else:
                    reason = f"verbal level «{v}» has no published scale anchor to map it to a mean interval"
                    printed = v
        elif value_raw is None:
            reason = "no number and no comparison printed"
        else:
            rule, printed, value, reason = numeric_rule(c, stat, value_raw, qual, full_quote, None)
        # «over 50 prosent» said of several items at once is a bound for each, not a value just above 50 for all.
        if rule and rule.get("type") == "interval" and len(variables) > 1 and stat in ("percent", "valid-percent") \
                and not re.search(r"i overkant|i underkant|nesten|flertall|fleste|hovedvekt", full_quote.lower()):
            base_q = (qual or "").split()[0].rstrip(";") if isinstance(qual, str) else ""
            if base_q == "above":
                rule = dict(rule, hi=100, hi_closed=True)
            elif base_q == "below":
                rule = dict(rule, lo=0, lo_closed=True)
        entry["printed"] = printed
        entry["value"] = value
        entry["qualifier"] = (qual.split()[0].rstrip(";") if isinstance(qual, str) else qual) if qual else \
            ("verbal" if verbal else None)
        if qual and "fraction" in str(qual):
            entry["qualifier"] = entry["qualifier"] + "-fraction"
        entry["rule"] = rule
        entry["checkable"] = rule is not None
        entry["reason"] = None if rule is not None else (reason or "no acceptance rule could be derived")
        entry["doubt"] = c.get("doubt")
        entry["note"] = c.get("note")
        if cont_text:
            line2 = cont.get("line") if isinstance(cont, dict) else None
            more = f"Quote continues at line {line2}: «{cont_text}»"
            entry["note"] = more if not entry["note"] else entry["note"] + " " + more
        entry["source"] = f"catalogue part{c['_part']}"
        ov = (overrides.get("claims") or {}).get(cid)
        if ov:
            ov = dict(ov)
            fix = ov.pop("fix", None)
            deep_merge(entry, ov)
            if fix:
                entry["fix"] = fix
            if "rule" in ov and ov["rule"] is not None and "checkable" not in ov:
                entry["checkable"], entry["reason"] = True, None
        out.append(entry)
    ids = [e["id"] for e in out]
    assert len(ids) == len(set(ids)), "duplicate ids"
    for extra in (overrides.get("remove") or []):
        pass
    return out


class Dumper(yaml.SafeDumper):
    pass


def _str(dumper, data):
    style = None
    if data == "" or re.match(r"^[\d.,\s\-–]+$", data) or data.lower() in ("yes", "no", "true", "false", "null", "on", "off", "~"):
        style = "'"
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


Dumper.add_representer(str, _str)


def _flow_list(dumper, data):
    flow = all(isinstance(x, (int, float, str)) and len(str(x)) < 40 for x in data) and len(data) <= 8
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


Dumper.add_representer(list, _flow_list)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--catalogue", default=DEFAULT_CATALOGUE)
    ap.add_argument("--overrides", default=os.path.join(HERE, "overrides.yaml"))
    ap.add_argument("--out", default=os.path.join(ROOT, "datasets", "afi-2020", "claims.yaml"))
    args = ap.parse_args()
    overrides = {}
    if os.path.exists(args.overrides):
        with open(args.overrides, encoding="utf-8") as fh:
            overrides = yaml.safe_load(fh) or {}
    unknown = set((overrides.get("claims") or {})) - set()
    entries = build(args.catalogue, overrides)
    known = {e["id"] for e in entries}
    bad = sorted(set((overrides.get("claims") or {})) - known)
    if bad:
        sys.exit(f"overrides.yaml names unknown claim ids: {', '.join(bad)}")
    n_check = sum(e["checkable"] for e in entries)
    header = (
        "# GENERATED by scripts/claims/build_registry.py from /work/shared/afi-catalogue + scripts/claims/overrides.yaml.\n"
        "# Do not edit: change the overrides and rebuild. Conventions: datasets/afi-2020/README.md, "
        "'Claims and acceptance rules'.\n"
        f"# {len(entries)} claims, {n_check} checkable ({100.0 * n_check / len(entries):.1f} %).\n")
    text = yaml.dump(entries, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=120)
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as fh:
        fh.write(header + text)
    print(f"{args.out}: {len(entries)} claims, {n_check} checkable ({100.0 * n_check / len(entries):.1f} %)")


if __name__ == "__main__":
    main()
