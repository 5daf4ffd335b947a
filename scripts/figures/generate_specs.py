#!/usr/bin/env python3
"""Generate datasets/afi-2020/figures.yaml and datasets/afi-2020/reconstruction.yaml from the AFI catalogue.

Run from the repository root:  python3 scripts/figures/generate_specs.py [CATALOGUE_DIR]
(default catalogue: /work/shared/afi-catalogue). Needs PyYAML. Output is deterministic (sorted, no timestamps).

figures.yaml      one declarative spec per figure/table: survey, groups (report labels), items with their variable
                  names, scale with labels, statistic shown, the stated tests, and the claim ids that concern it.
reconstruction.yaml
                  per survey: rows, grouping variables with their cell counts, every item variable with its scale,
                  and the *targets*: the published numbers (claim id, printed value, acceptance interval) that the
                  reconstruction engine (`surveystats reconstruct`) must reproduce. Claims that cannot be turned into
                  a target on the microdata are listed under `untargeted` with the reason.

Variable naming rule (shared with the claims registry): an item of figure N is `fN` when the figure has one item,
otherwise `fN_i` (i = 1-based item position in the catalogue). Two items carry names the report uses for them:
`samarbeid` (figur 22, 2019) and `likeverd` (figur 25) — the variables of footnote 5's regression.

Acceptance intervals (also documented in datasets/afi-2020/README.md, "Reconstructed microdata"):
  exact            rounding interval of the printed digits: "61" -> [60.5, 61.5), "3,86" -> [3.855, 3.865)
  approx (om lag)  percent: printed value +/- 2.5 points; mean: +/- 0.15
  nearly (nesten)  percent: [value - 3, value); mean: [value - 0.15, value)
  above (over)     (value, 100]; "i overkant av": (value, value + 3]
  below (under)    [0, value)
  range            [low - 0.5, high + 0.5) for percents, [low, high] for means
  verbal level     the scale points the wording names, +/- 0.5 ("i noen grad" on 1..5 grad scale -> [2.5, 3.5))
"""
import re
import sys
import yaml
from collections import OrderedDict, defaultdict

CAT = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/afi-catalogue"
OUT = "datasets/afi-2020"

# ---------------------------------------------------------------------------------------------------------------
# Scale families: codes and labels. Middle labels the report never prints are marked "(antatt)".
FAMILIES = {
    "grad5": {1: "I svært liten grad", 2: "I nokså liten grad", 3: "Verken/eller (i noen grad)",
              4: "I nokså stor grad", 5: "I svært stor grad"},
    "grad4": {1: "Ikke i det hele tatt", 2: "I liten grad", 3: "I noen grad", 4: "I stor grad"},
    "enig5": {1: "Helt uenig", 2: "Delvis uenig", 3: "Verken enig eller uenig", 4: "Delvis enig", 5: "Helt enig"},
    "godt5": {1: "Svært dårlig", 2: "Nokså dårlig", 3: "Verken godt eller dårlig (antatt)", 4: "Nokså godt",
              5: "Svært godt"},
    "innflytelse5": {1: "Svært liten innflytelse", 2: "Nokså liten innflytelse", 3: "Verken/eller (antatt)",
                     4: "Nokså stor innflytelse", 5: "Svært stor innflytelse"},
    "ofte5": {1: "Aldri/meget sjelden", 2: "Nokså sjelden", 3: "Av og til", 4: "Nokså ofte",
              5: "Meget ofte/alltid"},
    "dominans5": {1: "Staten dominerer veldig", 2: "Staten dominerer noe", 3: "Likeverdig",
                  4: "Kommunen dominerer noe", 5: "Kommunen dominerer veldig"},
    "avkrysning": {0: "Ikke krysset av", 1: "Krysset av"},
    # Figur 1 (partnerskapsmøter per år): the three frequencies the prose names (l.553–557); «vet ikke» is the
    # missing code. Not ofte5: its labels would be categories the report never shows for this question.
    "moter3": {1: "Sjeldnere enn en gang i året", 2: "En til to ganger i året", 3: "To eller flere ganger i året"},
}
MISSING_CODE = 9
MISSING_LABEL = "Vet ikke / ubesvart"


def family_for(fig):
    text = " ".join(str(fig.get(k) or "") for k in ("scale", "caption", "statistic_shown")).lower()
    if fig.get("figure") == 1:
        return "moter3"
    if "flere svar" in text or "multiple" in text or "avkrys" in text:
        return "avkrysning"
    if "dominer" in text or fig.get("figure") == 23:
        return "dominans5"
    if "innflytelse" in text:
        return "innflytelse5"
    if "enig" in text:
        return "enig5"
    if "dårlig" in text or "godt" in text or " bra" in text:
        return "godt5"
    if "ofte" in text or "hyppighet" in text or "aldri" in text or "frekvens" in text and "5-delt" in text:
        return "ofte5"
    if "4-delt" in text or ("i noen grad" in text and "5-delt" not in text and "fem-delt" not in text):
        return "grad4"
    if "5-delt" in text or "fem-delt" in text or "grad" in text or "mean" in text:
        return "grad5"
    return None  # nominal: categories come from the claims


def codes_for(category, family):
    """Scale codes a category wording names, or None when it cannot be mapped."""
    c = category.lower()
    m = re.search(r"trinn (\d)-(\d)", c)
    if m:
        return list(range(int(m.group(1)), int(m.group(2)) + 1))
    both = ("eller" in c or "/" in c)
    if family == "moter3":
        if "sjeldnere" in c:
            return [1]
        if "en til to" in c or "1-2" in c:
            return [2]
        if "to eller flere" in c:
            return [3]
        return None
    if family in ("grad5", "innflytelse5"):
        high = "stor" in c or "høy" in c or "krevende" in c
        low = "liten" in c
        if "verken" in c or "noen grad" in c:
            return [3]
        if high and not low:
            if ("nokså" in c or "ganske" in c) and ("svært" in c or "meget" in c):
                return [4, 5]
            if "svært" in c or "meget" in c:
                return [5]
            if "nokså" in c or "ganske" in c:
                return [4]
            return [4, 5]
        if low and not high:
            if "nokså" in c and "svært" in c:
                return [1, 2]
            if "svært" in c or "meget" in c:
                return [1]
            if "nokså" in c:
                return [2]
            return [1, 2]
        return None
    if family == "grad4":
        if "hele tatt" in c:
            return [1]
        out = []
        if "liten" in c:
            out.append(2)
        if "noen" in c:
            out.append(3)
        if "stor" in c:
            out.append(4)
        return out or None
    if family == "enig5":
        if "verken" in c:
            return [3]
        neg = "uenig" in c
        if ("helt" in c or "svært" in c) and ("delvis" in c or "nokså" in c or "litt" in c or both):
            return [1, 2] if neg else [4, 5]
        if "helt" in c or "svært" in c:
            return [1] if neg else [5]
        if "delvis" in c or "nokså" in c or "litt" in c:
            return [2] if neg else [4]
        if "enig" in c:
            return [1, 2] if neg else [4, 5]
        return None
    if family == "godt5":
        if "verken" in c:
            return [3]
        neg = "dårlig" in c
        if not neg and not ("god" in c or "bra" in c):
            return None
        if "nokså" in c and "svært" in c or ("svært" in c and "eller" in c):
            return [1, 2] if neg else [4, 5]
        if "svært" in c:
            return [1] if neg else [5]
        if "nokså" in c:
            return [2] if neg else [4]
        return [1, 2] if neg else [4, 5]
    if family == "ofte5":
        out = set()
        if "meget ofte" in c or "alltid" in c or "svært ofte" in c:
            out.add(5)
        if "nokså ofte" in c:
            out.add(4)
        if "av og til" in c or "noen ganger" in c:
            out.add(3)
        if "nokså sjelden" in c:
            out.add(2)
        if "aldri" in c or "svært sjelden" in c or "meget sjelden" in c:
            out.add(1)
        if c.strip() == "ofte":
            out |= {4, 5}
        if c.strip() == "sjelden":
            out |= {1, 2}
        return sorted(out) or None
    if family == "dominans5":
        if "likeverd" in c:
            return [3]
        out = []
        if "staten" in c:
            if "veldig" in c:
                out.append(1)
            if "noe" in c:
                out.append(2)
        if "kommunen" in c:
            if "noe" in c:
                out.append(4)
            if "veldig" in c:
                out.append(5)
        return out or None
    if family == "avkrysning":
        return [1]
    return None


def codes_for_list(categories, family):
    """Scale codes a list of category wordings names together (None when one of them cannot be mapped).

    On the frequency scale a bare «sjelden» alone means the low end (aldri … nokså sjelden), but listed as a pair of
    steps with «av og til» («sjelden / av og til») and without aldri/svært sjelden it is the step below «av og til»:
    the report's three bins for Figur 44 utsagn 3 — aldri eller svært sjelden ≈ 50, sjelden / av og til ≈ 40,
    ofte / svært ofte 10 — partition the scale (sum 100) only with «sjelden» = nokså sjelden.
    """
    cats = [str(x).lower().replace("_", " ").strip() for x in categories]
    codes = set()
    for c in cats:
        cc = codes_for(c, family)
        if cc is None:
            return None
        if family == "ofte5" and c == "sjelden" and "av og til" in cats \
                and not any("aldri" in x or "svært sjelden" in x or "svaert sjelden" in x for x in cats):
            cc = [2]
        codes |= set(cc)
    return sorted(codes)


# ---------------------------------------------------------------------------------------------------------------
# Surveys, files and grouping variables.
SURVEY_FILE = {
    "ordforer-radmann-2019": "ordforer-radmann-2019",
    "kontor-2019-ledere": "kontor-2019",
    "kontor-2019-veiledere": "kontor-2019",
    "kontor-2019-all": "kontor-2019",
    "veileder-2014": "veileder-2014",
    "veileder-2015": "veileder-2015",
    "veileder-2016": "veileder-2016",
}
# kontor-2019 rolle codes follow Tabell 4's row order.
KONTOR_ROLLE = OrderedDict([(1, "Veileder"), (2, "Merkantilt"), (3, "Kontorleder (enhetsleder)"),
                            (4, "Mellomleder"), (5, "Fagansvarlig/koordinator"), (6, "Annet")])
VEILEDERE = [1, 2, 5, 6]  # the figures' «veiledere»: every employee who is not a leader (Tabell 2's «andre» minus mellomledere)


def survey_key(s):
    s = str(s)
    if "2016" in s and "veileder" in s:
        return "veileder-2016"
    return s if s in SURVEY_FILE else None


def group_filter(text, dataset):
    """Map a report group wording to {variable: [codes]} for one dataset; None when unknown."""
    t = (text or "").lower()
    if dataset == "ordforer-radmann-2019":
        o = "ordfører" in t
        r = "rådm" in t
        if o and r or "kommunale eier" in t or "kommunene" in t or "eierne" in t:
            return {"rolle": [1, 2]}
        if o:
            return {"rolle": [1]}
        if r:
            return {"rolle": [2]}
        return None
    if dataset == "kontor-2019":
        f = {}
        if "statlig" in t or t.strip() in ("stat", "statlige"):
            f["ansettelse"] = [1]
        elif "kommunal" in t or t.strip() in ("kommune", "kommunale"):
            f["ansettelse"] = [2]
        roles = []
        if "enhetsleder" in t or "kontorleder" in t or "nav-leder" in t or re.search(r"(^|[^a-zæøå])ledere", t):
            roles.append(3)
        if "mellomleder" in t:
            roles.append(4)
        if "veileder" in t:
            roles += VEILEDERE
        if roles:
            f["rolle"] = sorted(set(roles))
        return f
    if dataset.startswith("veileder-"):
        f = {}
        if "statlig" in t or t.strip() in ("stat", "statlige"):
            f["ansettelse"] = [1]
        elif "kommunal" in t or t.strip() in ("kommune", "kommunale"):
            f["ansettelse"] = [2]
        return f
    return None


def default_roles(survey, fig_respondents):
    """Role filter implied by a survey code when the claim's group only names employment (statlig/kommunal)."""
    if survey == "kontor-2019-veiledere":
        return {"rolle": VEILEDERE}
    if survey == "kontor-2019-ledere":
        return {"rolle": [3]}
    return {}


# ---------------------------------------------------------------------------------------------------------------
def load(part, kind):
    with open(f"{CAT}/part{part}-{kind}.yaml") as fh:
        return yaml.safe_load(fh)


figures = []
claims = []
for p in "ABCD":
    for f in load(p, "figures"):
        f["_part"] = p
        figures.append(f)
    for c in load(p, "claims"):
        c["_part"] = p
        claims.append(c)


def fig_key(f):
    return ("figur", f["figure"]) if f.get("figure") is not None else ("tabell", f["table"])


figures.sort(key=lambda f: (0 if f.get("figure") is not None else 1, f.get("figure") or f.get("table")))
fig_by_no = {f["figure"]: f for f in figures if f.get("figure") is not None}
# Figur 33 (2014) shows «the same five aspects» as Figur 32 (line 1496: «Vi stilte samme spørsmål i 2014»); the
# catalogue lists one placeholder item for it. With one variable, the report's p = .045 for utsagn 1 and «no
# significant difference» for utsagn 2-5 became one item that had to be both significant and not.
if 33 in fig_by_no and 32 in fig_by_no and len(fig_by_no[33].get("items") or []) == 1 \
        and str(fig_by_no[33]["items"][0]).startswith("Same five aspects"):
    fig_by_no[33]["items"] = list(fig_by_no[32].get("items") or [])


# The claims registry's per-item names (scripts/claims/build_registry.py, VariableNamer), when available.
REGISTRY_NAMES = {}
try:
    import os
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "claims"))
    import build_registry as _br
    _ov_path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "claims", "overrides.yaml")
    _ov = yaml.safe_load(open(_ov_path)) if os.path.exists(_ov_path) else {}
    _namer = _br.VariableNamer(figures, _ov or {})
    for f in figures:
        no = f.get("figure")
        if no is None:
            continue
        names = iter([n for n, _, _ in _namer.items.get(no, [])])
        for i, text in enumerate(f.get("items") or []):
            text = str(text)
            if re.match(r"^\(", text.strip()) and ("mulig" in text or "trolig" in text or "usikker" in text
                                                     or "øvrige" in text or "evt" in text):
                continue
            nm = next(names, None)
            if nm:
                REGISTRY_NAMES[(no, i)] = nm
except Exception as e:  # the registry's generator is optional: fall back to fN_i names
    print(f"note: registry names unavailable ({e})", file=sys.stderr)


def var_name(fig_no, idx, n_items):
    if fig_no == 22:
        return "samarbeid"
    if fig_no == 25:
        return "likeverd"
    if (fig_no, idx) in REGISTRY_NAMES:
        return REGISTRY_NAMES[(fig_no, idx)]
    return f"f{fig_no}" if n_items == 1 else f"f{fig_no}_{idx + 1}"


def clean_item(text):
    """An item's text without a leading parenthetical and without the quotes the catalogue kept ('IKT og
    fagsystemer'). A catalogue placeholder such as «(evt. flere områder – ikke oppgitt)» cleans to ''."""
    t = re.sub(r"^\([^)]*\)\s*", "", str(text)).strip()
    if len(t) >= 2 and t[0] == t[-1] and t[0] in "'\"":
        t = t[1:-1].strip()
    return t


def tokens(s):
    return {w for w in re.findall(r"[a-zæøå]{4,}", (s or "").lower())} - {"eller", "ikke", "som", "figur", "grad"}


def match_item(fig, claim):
    items = fig.get("items") or []
    if len(items) == 1:
        return 0
    text = " ".join(str(claim.get(k) or "") for k in ("item",))
    tk = tokens(text)
    scores = [(len(tk & tokens(clean_item(it))) / (1 + len(tokens(clean_item(it)))), i) for i, it in enumerate(items)]
    scores.sort(reverse=True)
    if scores and scores[0][0] > 0.25 and (len(scores) == 1 or scores[0][0] > scores[1][0] * 1.3):
        return scores[0][1]
    return None


def surveys_of(fig):
    s = fig.get("survey")
    raw = s if isinstance(s, list) else re.split(r"\s*\+\s*", str(s))
    out = []
    for x in raw:
        k = survey_key(x)
        if k and SURVEY_FILE[k] not in out:
            out.append(SURVEY_FILE[k])
    return out


# ---------------------------------------------------------------------------------------------------------------
# Variables per dataset
datasets = OrderedDict()
for ds in ["ordforer-radmann-2019", "kontor-2019", "veileder-2014", "veileder-2015", "veileder-2016"]:
    datasets[ds] = {"variables": OrderedDict(), "targets": [], "untargeted": []}

fig_vars = {}  # fig no -> [(var, item text)]
fig_family = {}
nominal_cats = defaultdict(list)  # var -> category strings (nominal families)

# Nominal categories the report names as a union of other categories of the same figure. Figur 78 asks for a share
# of the veileder's users, grouped; the prose names «ingen», «10-30 prosent», «70-90 prosent», «alle», and the
# summaries (kapittel 4.6, 4.7, Sammendrag) speak of «70–100 prosent» = 70-90 prosent + alle (litt over 30 ≈ 1/3,
# consistent with ca. 1/4 + 5). Without this the union became a separate answer category of its own.
NOMINAL_UNIONS = {78: {"70-100 prosent av brukerne": ["70-90 prosent av brukerne", "alle brukerne"]}}


def nominal_key(cat):
    return re.sub(r"\s+", " ", re.sub(r"\s*[–—-]\s*", "-", str(cat).replace("_", " "))).strip().lower()
for f in figures:
    if f.get("figure") is None:
        continue
    no = f["figure"]
    # Placeholders are no items («(evt. flere områder – ikke oppgitt)»: the report names no more).
    f["items"] = [it for it in (f.get("items") or []) if clean_item(it)]
    items = f["items"]
    fam = family_for(f)
    fig_family[no] = fam
    fig_vars[no] = [(var_name(no, i, len(items)), clean_item(it)) for i, it in enumerate(items)]
    for ds in surveys_of(f):
        for v, text in fig_vars[no]:
            d = datasets[ds]["variables"]
            if v not in d:
                d[v] = {"label": text, "family": fam, "figures": [no]}
            elif no not in d[v]["figures"]:
                d[v]["figures"].append(no)


# ---------------------------------------------------------------------------------------------------------------
def printed_decimals(claim):
    v = claim.get("value")
    q = claim.get("quote") or ""
    s = f"{v}"
    whole = s.split(".")[0]
    m = re.search(re.escape(whole) + r"[,.](\d+)", q)
    if m:
        return len(m.group(1))
    return len(s.split(".")[1]) if "." in s and not s.endswith(".0") else 0


def interval(claim, stat):
    """Acceptance interval [lo, hi) for a percent (0-100 scale) or mean claim; None when not derivable."""
    v = claim.get("value")
    q = str(claim.get("qualifier") or "").lower()
    if v is None:
        return None
    if isinstance(v, list):
        lo, hi = float(v[0]), float(v[1])
        if stat == "percent":
            return [lo - 0.5, hi + 0.5]
        return [lo, hi]
    v = float(v)
    frac = "fraction" in q or (stat == "percent" and v <= 1 and ("/" in q or "halv" in q or "av" in q))
    if stat == "percent" and frac:
        v *= 100
    tol = 2.5 if stat == "percent" else 0.15
    if frac and q.startswith("exact"):
        return [v - 2.5, v + 2.5]
    if q.startswith("exact"):
        d = printed_decimals(claim)
        h = 0.5 * 10 ** (-d)
        return [v - h, v + h]
    if q.startswith("approx"):
        return [v - tol, v + tol]
    if q.startswith("nearly"):
        return [v - (3 if stat == "percent" else 0.15), v]
    if q.startswith("above"):
        if "overkant" in q or "overkant" in (claim.get("quote") or "").lower():
            return [v + 1e-9, v + 3]
        return [v + 1e-9, 100 if stat == "percent" else 5]
    if q.startswith("below"):
        return [0, v]
    if q.startswith("range"):
        return [v - 0.5, float(claim.get("value_max", v)) + 0.5]
    return None


def verbal_interval(level, family):
    if not level or not family or family == "avkrysning":
        return None
    lv = level.lower()
    if "ikke " in lv or "kritisk" in lv or "negativ" in lv:
        return None
    codes = codes_for(lv, family)
    if not codes:
        return None
    lo_code = min(FAMILIES[family]) if family in FAMILIES else 1
    hi_code = max(FAMILIES[family]) if family in FAMILIES else 5
    return [max(lo_code, min(codes) - 0.5), min(hi_code + 1e-9, max(codes) + 0.5)]


def add_untargeted(ds, c, reason):
    datasets[ds]["untargeted"].append({"claim": c["id"], "reason": reason})


untargeted_global = []


def resolve_groups(c, fig, ds_list, text):
    """(dataset, filter) pairs for a group wording; pooled groups across surveys give several pairs."""
    out = []
    for ds in ds_list:
        f = group_filter(text, ds)
        if f is None:
            continue
        tl = (text or "").lower()
        if ds == "kontor-2019" and "rolle" not in f and ("ordfører" in tl or "rådm" in tl or "kommunale eier" in tl):
            continue
        if ds == "kontor-2019" and "rolle" not in f:
            s = c.get("survey")
            ss = s if isinstance(s, list) else [s]
            base = {}
            for x in ss:
                base.update(default_roles(str(x), None))
            if not base and fig is not None and "veileder" in " ".join(map(str, fig.get("respondents") or [])).lower():
                base = {"rolle": VEILEDERE}
            f = {**base, **f}
        if ds == "ordforer-radmann-2019" and "rolle" not in f:
            continue
        out.append({"dataset": ds, "where": f})
    return out


TABLE4_VARS = {}  # row prefix -> variable name (composition of the office survey, Tabell 4 column 2019)


def table4_target(c):
    cell = c.get("cell") or {}
    if str(cell.get("column")) != "2019":
        return False
    row = str(cell.get("row"))
    if "/" not in row:
        if c["kind"] == "mean" and row.startswith("Alder"):
            datasets["kontor-2019"]["variables"].setdefault(
                "alder", {"label": "Alder (år)", "family": "numeric", "figures": [], "table": 4})
            datasets["kontor-2019"]["targets"].append({
                "claim": c["id"], "statistic": "mean", "variable": "alder", "groups": [{"dataset": "kontor-2019", "where": {}}],
                "published": str(c["value"]), "interval": interval(c, "mean")})
            return True
        return False
    head, cat = [x.strip() for x in row.split("/", 1)]
    if head == "Antall brukere *)" and cat == "Annet":
        # The «Annet» row printed first under «Antall brukere» after the page break is the last row of
        # «Yrkesbakgrunn»: without it Antall brukere 2019 sums to 100,1 (with it 104,4), and 2008's Yrkesbakgrunn
        # 43 + 34,3 + 12,2 + 10,5 = 100,0 only with it. It is reconstructed as the «Annet» background option.
        head = "Yrkesbakgrunn"
    var = {"Kjønn": "kjonn", "Ansettelsesforhold": "ansettelse", "Rolle i NAV-kontoret": "rolle",
           "Utdanning": "utdanning", "Fagområde": "fagomrade", "Utdanning innen sosial-helsefag": "sosialfag",
           "Yrkesbakgrunn": "yrkesbakgrunn", "Antall brukere *)": "antall_brukere"}.get(head)
    if var is None:
        return False
    if var in ("rolle", "ansettelse"):
        # grouping variables: their cell counts are fixed from Tabell 4 below; still checked by verify.
        codes = [k for k, lbl in (KONTOR_ROLLE.items() if var == "rolle" else [(1, "Stat"), (2, "Kommune")])
                 if lbl.lower().startswith(cat.lower()[:6])]
    else:
        if var == "yrkesbakgrunn":
            # multiple response: one 0/1 variable per background
            sub = re.sub(r"[^a-z]", "_", cat.lower().replace("ø", "o").replace("å", "a").replace("æ", "ae")).strip("_")
            vname = f"yrkesbakgrunn_{sub}"
            datasets["kontor-2019"]["variables"].setdefault(
                vname, {"label": f"Yrkesbakgrunn: {cat} (flere svar mulig)", "family": "avkrysning", "figures": [], "table": 4})
            datasets["kontor-2019"]["targets"].append({
                "claim": c["id"], "statistic": "percent", "variable": vname, "categories": [1],
                "groups": [{"dataset": "kontor-2019", "where": {}}], "published": str(c["value"]), "interval": interval(c, "percent")})
            return True
        lst = nominal_cats[var]
        if "(samlet)" in cat:
            # «Høgskole/ universitet (samlet)» is the sum of the lower- and higher-degree rows below it.
            parts = [x for x in ("Høgskole/ universitet lavere grad", "Høgskole/ universitet høyere grad")]
            for x in parts:
                if x not in lst:
                    lst.append(x)
            codes = [lst.index(x) + 1 for x in parts]
        else:
            if cat not in lst:
                lst.append(cat)
            codes = [lst.index(cat) + 1]
        datasets["kontor-2019"]["variables"].setdefault(var, {"label": head, "family": "nominal:" + var, "figures": [], "table": 4})
    datasets["kontor-2019"]["targets"].append({
        "claim": c["id"], "statistic": "percent", "variable": var, "categories": codes,
        "groups": [{"dataset": "kontor-2019", "where": {}}], "published": str(c["value"]), "interval": interval(c, "percent")})
    return True


def fam_is_multi(no):
    return fig_family.get(no) == "avkrysning" and len(fig_by_no[no].get("items") or []) <= 1


def scale_stat_for_direction(fig):
    st = str(fig.get("statistic_shown") or "")
    return "mean" if st.startswith("mean") else "percent"


def default_top(fam):
    if fam in ("grad5", "enig5", "godt5", "innflytelse5", "ofte5"):
        return [4, 5]
    if fam == "grad4":
        return [3, 4]
    if fam == "avkrysning":
        return [1]
    return None


def compare_kind(direction):
    d = (direction or "").lower()
    if "ingen" in d or "no sig" in d or "ikke sig" in d or "= b" in d or "ingen forskjell" in d:
        return "equal"
    if "a > b" in d:
        return "greater"
    if "a < b" in d:
        return "less"
    if "≠" in d:
        return "different"
    return None


for c in claims:
    kind = c["kind"]
    if c.get("table") == 4:
        if table4_target(c):
            continue
    fig_no = c.get("figure")
    ss = c.get("survey")
    s_list = ss if isinstance(ss, list) else re.split(r"\s*\+\s*", str(ss))
    ds_list = []
    for x in s_list:
        k = survey_key(x)
        if k and SURVEY_FILE[k] not in ds_list:
            ds_list.append(SURVEY_FILE[k])
    home = ds_list[0] if ds_list else None
    if not isinstance(fig_no, int) or fig_no not in fig_by_no:
        untargeted_global.append({"claim": c["id"], "reason": "not tied to a single figure; no variable to reconstruct"})
        continue
    fig = fig_by_no[fig_no]
    if not ds_list:
        untargeted_global.append({"claim": c["id"], "reason": f"survey {ss} has no microdata here (aggregates only or not a survey of this report)"})
        continue
    years = c.get("year") if isinstance(c.get("year"), list) else [c.get("year")]
    if any(y in (2011,) for y in years) or len(set(d for d in ds_list)) > 1 and kind in ("percent", "mean", "n") and len(years) > 1:
        untargeted_global.append({"claim": c["id"], "reason": "compares with the 2011 survey (aggregates only) or across years"})
        continue
    if kind == "n" and fig_no == 22:
        untargeted_global.append({"claim": c["id"], "reason": "figur 22's n (93 ordførere + 141 rådmenn = 234) cannot be the 2019 sample: footnote 5 uses n = 243 complete 2019 cases of the same item; taken as the 2011 sample sizes"})
        continue
    if fam_is_multi(fig_no) and kind in ("percent", "n"):
        untargeted_global.append({"claim": c["id"], "reason": "multiple-response figure: options are not separate items in the catalogue"})
        continue
    idx = match_item(fig, c)
    fam = fig_family.get(fig_no)
    span = re.search(r"Utsagn (\d)\s*[-–]\s*(\d)", str(c.get("item") or ""))
    if span and kind in ("significance", "no-significance") and int(span.group(2)) <= len(fig.get("items") or []):
        # «Utsagn 2-5»: the statement holds for each of those items — one target per item.
        idx = None
        idxs = list(range(int(span.group(1)) - 1, int(span.group(2))))
    elif idx is None:
        if kind == "n":
            idxs = list(range(len(fig.get("items") or [])))
        else:
            untargeted_global.append({"claim": c["id"], "reason": f"item «{c.get('item')}» not matched to one item of figur {fig_no}"})
            continue
    else:
        idxs = [idx]
    var = fig_vars[fig_no][idxs[0]][0] if idxs else None
    group_text = str(c.get("group") or "")
    if kind in ("percent", "mean", "n"):
        groups = resolve_groups(c, fig, ds_list, group_text)
        if not groups:
            untargeted_global.append({"claim": c["id"], "reason": f"group «{group_text}» not mapped to respondents"})
            continue
        if kind == "percent":
            cats = c.get("categories") or []
            codes = set()
            ok = True
            pair = codes_for_list(cats, fam) if fam and len(cats) > 1 else None
            for cat in cats:
                cc = codes_for(str(cat), fam) if fam else None
                if pair is not None:
                    cc = pair
                union = NOMINAL_UNIONS.get(fig_no, {}).get(nominal_key(cat)) if fam is None else None
                if union:
                    lst = nominal_cats[var]
                    for part in union:
                        if part not in lst:
                            lst.append(part)
                    cc = [lst.index(part) + 1 for part in union]
                if cc is None and fam is None:
                    lst = nominal_cats[var]
                    if str(cat) not in lst:
                        lst.append(str(cat))
                    cc = [lst.index(str(cat)) + 1]
                if cc is None:
                    ok = False
                    break
                codes |= set(cc)
            if not cats and fam == "avkrysning":
                codes = {1}
            if not ok or not codes:
                untargeted_global.append({"claim": c["id"], "reason": f"categories {cats} not mapped to the scale of figur {fig_no}"})
                continue
            iv = interval(c, "percent")
            if iv is None:
                untargeted_global.append({"claim": c["id"], "reason": "verbal percent without a number"})
                continue
            datasets[groups[0]["dataset"]]["targets"].append({
                "claim": c["id"], "statistic": "percent", "variable": var, "categories": sorted(codes),
                "groups": groups, "published": str(c["value"]), "qualifier": str(c.get("qualifier")), "interval": iv})
        elif kind == "mean":
            iv = interval(c, "mean") if c.get("value") is not None else verbal_interval(c.get("verbal_level") or c.get("level"), fam)
            if iv is None or fam in (None, "avkrysning"):
                untargeted_global.append({"claim": c["id"], "reason": "verbal level not mappable to a mean interval"})
                continue
            datasets[groups[0]["dataset"]]["targets"].append({
                "claim": c["id"], "statistic": "mean", "variable": var, "groups": groups,
                "published": str(c["value"]) if c.get("value") is not None else str(c.get("verbal_level") or c.get("level")),
                "qualifier": str(c.get("qualifier")), "interval": iv})
        else:  # n
            v = c.get("value")
            if not isinstance(v, (int, float)) or isinstance(v, bool):
                untargeted_global.append({"claim": c["id"], "reason": "n given as a range"})
                continue
            for i in idxs:
                datasets[groups[0]["dataset"]]["targets"].append({
                    "claim": c["id"], "statistic": "n", "variable": fig_vars[fig_no][i][0], "groups": groups,
                    "published": str(v), "interval": [float(v) - 0.5, float(v) + 0.5]})
        continue
    if kind in ("significance", "no-significance", "direction", "p"):
        comp = c.get("compare") or {}
        if kind == "p" and not comp.get("a"):
            # A printed p often sits in the sentence that states the significance («signifikante forskjeller …
            # (p = .045)»); the catalogue then names the groups on that significance claim only. Borrow them from
            # the one (no-)significance claim of the same figure, line and item («ingen signifikante forskjeller
            # … (p = .306)» names its groups on the no-significance claim).
            for sib_kind in ("significance", "no-significance"):
                sib = [s for s in claims if s is not c and s.get("figure") == fig_no and s.get("line") == c.get("line")
                       and s.get("item") == c.get("item") and s.get("kind") == sib_kind
                       and (s.get("compare") or {}).get("a")]
                if sib:
                    break
            if len(sib) == 1:
                comp = {"a": sib[0]["compare"]["a"], "b": sib[0]["compare"]["b"], "direction": sib[0]["compare"].get("direction")}
        a, b = comp.get("a"), comp.get("b")
        if kind == "p" and not a:
            untargeted_global.append({"claim": c["id"], "reason": "p-value without named groups"})
            continue
        ga = resolve_groups(c, fig, ds_list, a) if a else []
        gb = resolve_groups(c, fig, ds_list, b) if b else []
        if not ga or not gb or ga == gb:
            untargeted_global.append({"claim": c["id"], "reason": "compares items or unnamed groups, not two respondent groups"})
            continue
        rel = compare_kind(comp.get("direction"))
        if kind == "no-significance":
            rel = "equal"
        if rel is None:
            untargeted_global.append({"claim": c["id"], "reason": f"direction «{comp.get('direction')}» not understood"})
            continue
        stat = scale_stat_for_direction(fig)
        t = {"claim": c["id"], "variable": var, "groupsA": ga, "groupsB": gb}
        if kind in ("significance", "no-significance", "p"):
            t["statistic"] = "welch-t"
            t["relation"] = rel if rel != "equal" else "not-significant"
            if kind == "p":
                pv = float(c["value"])
                q = str(c.get("qualifier") or "")
                t["published"] = f"p={c['value']}"
                if q.startswith("exact") and pv >= 0.001:
                    d = printed_decimals(c) or 3
                    t["pInterval"] = [pv - 0.5 * 10 ** -d, pv + 0.5 * 10 ** -d]
                else:
                    t["pInterval"] = [0.0, pv]
                if rel == "equal":
                    t["relation"] = "not-significant"
            else:
                t["published"] = "n.s." if rel == "equal" else "p<.05"
            if "pInterval" not in t:
                t["pInterval"] = [0.05, 1.0] if t["relation"] == "not-significant" else [0.0, 0.05]
        else:
            if rel in ("equal", "different"):
                untargeted_global.append({"claim": c["id"], "reason": "direction without an order"})
                continue
            t["statistic"] = "direction-" + stat
            t["relation"] = rel
            t["published"] = comp.get("direction")
            if stat == "percent":
                cats = c.get("categories")
                codes = default_top(fam)
                if cats:
                    cs = set(codes_for_list(cats, fam) or []) if fam and len(cats) > 1 else set()
                    for cat in cats if not cs else []:
                        cc = codes_for(str(cat), fam) if fam else None
                        if cc:
                            cs |= set(cc)
                    codes = sorted(cs) or codes
                if not codes:
                    untargeted_global.append({"claim": c["id"], "reason": "direction on a nominal item"})
                    continue
                t["categories"] = codes
        for i in idxs:
            datasets[ga[0]["dataset"]]["targets"].append(dict(t, variable=fig_vars[fig_no][i][0]))
        continue
    untargeted_global.append({"claim": c["id"], "reason": f"kind {kind} is checked by the audit (surveystats check), not on microdata"})

# Footnote 5's regression (samarbeid ~ likeverd, ordførere og rådmenn 2019).
datasets["ordforer-radmann-2019"]["variables"].setdefault("likeverd", {"label": "Stat og kommune er likeverdige partnere i partnerskapet", "family": "enig5", "figures": [25]})
datasets["ordforer-radmann-2019"]["variables"].setdefault("samarbeid", {"label": "Hvor godt fungerer samarbeidet mellom stat og kommune ved det lokale Nav-kontoret?", "family": "godt5", "figures": [22]})
datasets["ordforer-radmann-2019"]["variables"]["samarbeid"]["family"] = "godt5"
for v in ("samarbeid", "likeverd"):
    datasets["ordforer-radmann-2019"]["targets"].append({
        "claim": "text-fn5-regression", "statistic": "n", "variable": v,
        "groups": [{"dataset": "ordforer-radmann-2019", "where": {}}],
        "published": "n = 243 complete cases (F(1, 241))", "interval": [243, 244] if v == "likeverd" else [250, 269]})
datasets["ordforer-radmann-2019"]["targets"].append({
    "claim": "text-fn5-regression", "statistic": "regression", "variable": "samarbeid", "predictor": "likeverd",
    "groups": [{"dataset": "ordforer-radmann-2019", "where": {}}],
    "published": "F(1, 241) = 32.27, R² = .12, n = 243",
    "n": 243, "fInterval": [32.265, 32.275], "r2Interval": [0.115, 0.125]})

# ---------------------------------------------------------------------------------------------------------------
# Align with the claims registry (datasets/afi-2020/claims.yaml, built by scripts/claims/build_registry.py):
# (a) variable names: each of our figure-item variables takes the registry's name for that item (majority vote
#     over the claims mapped to it; `samarbeid` and `likeverd` keep the names footnote 5's example uses);
# (b) acceptance intervals: where the registry has an interval rule for a claim, the target uses it, so that
#     `surveystats verify` (which judges with the registry's rules) and the reconstruction agree.
REGISTRY = f"{OUT}/claims.yaml"

# Published numbers the audit (datasets/afi-2020/AUDIT.md) shows to contradict other published numbers on the same
# item, where the others agree among themselves: the search gives them a low weight so it does not trade the
# consistent numbers away for them. They stay targets; `surveystats verify` recomputes them and reports them as
# «inconsistent» with the audit finding.
CONTRADICTED = {
    # Summary (line 1972) says 40 % aldri/sjelden in 2019; the body (line 1824) says omtrent halvparten aldri/svært
    # sjelden, 40 % sjelden / av og til, 10 % ofte / svært ofte — which sum to 100. Audit: fig44-utsagn3-2019-twice.
    "fig44-oppsummering-utsagn3-2019-40": 0.05,
    # Utsagn 4, 2019: 25 % aldri/svært sjelden and 9 % ofte/svært ofte cannot give a mean between 3 and 4 (audit:
    # fig44-utsagn4-2019-mean-vs-distribution, whose explanation notes that the 2016/2019 ofte shares look swapped).
    # Giving up the 9 % alone keeps the mean, the body's 25 % and the summary's ca. 25 % (line 1974) satisfiable.
    "fig44-utsagn4-2019-ofte-svaert-ofte-9": 0.05,
}
registry = {}
try:
    with open(REGISTRY) as fh:
        registry = {c["id"]: c for c in yaml.safe_load(fh)}
except FileNotFoundError:
    pass
rename = {}
if registry:
    votes = defaultdict(lambda: defaultdict(int))
    for ds, spec in datasets.items():
        for t in spec["targets"]:
            rc = registry.get(t["claim"])
            if rc and len(rc.get("variable") or []) == 1:
                votes[t["variable"]][rc["variable"][0]] += 1
    taken = set()
    for v in sorted(votes):
        if v in ("samarbeid", "likeverd", "rolle", "ansettelse"):
            continue    # footnote 5's names; the grouping variables keep their names (Tabell 4 rows are checked on them)
        best = sorted(votes[v].items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        if v.startswith(best + "_"):
            continue    # one 0/1 variable per option of a multiple-response question keeps its option suffix
        if best not in taken:
            rename[v] = best
            taken.add(best)
    for old_name, new_name in rename.items():
        if old_name in nominal_cats and old_name != new_name:
            nominal_cats[new_name] = nominal_cats.pop(old_name)
    for ds, spec in datasets.items():
        spec["variables"] = OrderedDict((rename.get(k, k), m) for k, m in spec["variables"].items())
        for t in spec["targets"]:
            t["variable"] = rename.get(t["variable"], t["variable"])
            if t["claim"] in CONTRADICTED:
                t["weight"] = CONTRADICTED[t["claim"]]
            rc = registry.get(t["claim"])
            rule = (rc or {}).get("rule") or {}
            if rule.get("type") == "interval" and t.get("statistic") in ("percent", "mean", "n") \
                    and rc.get("statistic") in ("percent", "valid-percent", "mean", "n"):
                lo, hi = float(rule["lo"]), float(rule["hi"])
                # our intervals are half-open [lo, hi); an open lower / closed upper end is nudged by 1e-9.
                t["interval"] = [lo if rule.get("lo_closed", True) else lo + 1e-9, hi + 1e-9 if rule.get("hi_closed") else hi]
                t["rule"] = "registry"
            if rule.get("type") == "significance" and t.get("statistic") == "welch-t":
                alpha = float(rule.get("alpha", 0.05))
                stars = {"*": 0.05, "**": 0.01, "***": 0.001}.get(str(rule.get("stars") or "").strip())
                if stars:
                    alpha = min(alpha, stars)
                if rule.get("significant", True):
                    t["pInterval"] = [0.0, alpha * 0.98]
                else:
                    t["pInterval"] = [max(alpha, 0.05) * 1.02, 1.0]
                t["rule"] = "registry"
    for no in fig_vars:
        fig_vars[no] = [(rename.get(v, v), text) for v, text in fig_vars[no]]

# ---------------------------------------------------------------------------------------------------------------
# Grouping variables and row counts.
GROUPINGS = {
    "ordforer-radmann-2019": {
        "rows": 268,
        "groupings": [{"variable": "rolle", "label": "Respondentens rolle",
                       "cells": [{"code": 1, "label": "Ordfører", "n": 106}, {"code": 2, "label": "Rådmann", "n": 158},
                                 {"code": 3, "label": "Annen kommunal representant (bydel)", "n": 4}]}],
        "source": "Tabell 5: 106 ordførere, 158 rådmenn, 268 besvarte i alt (the 4 not in either column kept as «annen»)",
    },
    "kontor-2019": {
        "rows": 1745,
        "groupings": [
            {"variable": "rolle", "label": "Rolle i Nav-kontoret",
             "cells": [{"code": k, "label": v, "n": n} for (k, v), n in zip(KONTOR_ROLLE.items(), [1065, 56, 220, 112, 154, 138])]},
            {"variable": "ansettelse", "label": "Ansettelsesforhold",
             "cells": [{"code": 1, "label": "Statlig", "n": 1031}, {"code": 2, "label": "Kommunal", "n": 714}]}],
        "source": "Tabell 2 (1745 svar, 220 ledere) and Tabell 4, column 2019 (rolle 61/3,2/12,6/6,4/8,8/7,9 %, stat 59,1 %)",
    },
}
for ds, spec in datasets.items():
    if ds.startswith("veileder-"):
        ns = [int(t["interval"][0] + 0.5) for t in spec["targets"] if t.get("statistic") == "n"]
        rows = max(ns + [600]) + 40
        st = int(rows * 0.6)
        GROUPINGS[ds] = {"rows": rows, "groupings": [{"variable": "ansettelse", "label": "Ansettelsesforhold",
                         "cells": [{"code": 1, "label": "Statlig", "n": st}, {"code": 2, "label": "Kommunal", "n": rows - st}]}],
                         "source": "no published composition: rows = largest stated item n + 40, 60 % statlig (synthetic default)"}


def scale_of(fam, var):
    if fam == "numeric":
        return {"kind": "numeric", "min": 20, "max": 67}
    if fam and fam.startswith("nominal:") or fam is None:
        lst = nominal_cats.get(var) or ["Kategori 1 (syntetisk)"]
        labels = {i + 1: l for i, l in enumerate(lst)}
        labels[len(lst) + 1] = "Annet / øvrige (syntetisk restkategori)"
        return {"kind": "nominal", "min": 1, "max": len(lst) + 1, "labels": labels}
    labels = FAMILIES[fam]
    return {"kind": "binary" if fam == "avkrysning" else "likert", "min": min(labels), "max": max(labels),
            "labels": labels, "family": fam}


recon = {"version": 1, "seed": 20200901,
         "note": "Reconstructed synthetic respondents, not AFI's data. Generated by scripts/figures/generate_specs.py.",
         "missingCode": MISSING_CODE, "missingLabel": MISSING_LABEL, "datasets": []}
for ds, spec in datasets.items():
    g = GROUPINGS[ds]
    vars_out = []
    for v, meta in spec["variables"].items():
        if v in ("rolle", "ansettelse"):
            continue
        fam = meta["family"]
        if fam and fam.startswith("nominal:"):
            fam2 = fam
        else:
            fam2 = fam
        sc = scale_of(fam2, v)
        vars_out.append({"name": v, "label": meta["label"], "figures": meta["figures"], **sc})
    recon["datasets"].append({"id": ds, "file": f"{ds}.csv", "codebook": f"{ds}.codebook.yaml", "rows": g["rows"],
                              "compositionSource": g["source"], "groupings": g["groupings"], "variables": vars_out,
                              "targets": spec["targets"]})
recon["untargeted"] = untargeted_global

# ---------------------------------------------------------------------------------------------------------------
# figures.yaml
claims_by_fig = defaultdict(list)
claims_by_tab = defaultdict(list)
for c in claims:
    fg = c.get("figure")
    for x in (fg if isinstance(fg, list) else [fg]):
        if isinstance(x, int):
            claims_by_fig[x].append(c["id"])
    if c.get("table"):
        claims_by_tab[c["table"]].append(c["id"])

GROUP_SPECS = {
    "ordforer-radmann-2019": [("Ordførere", {"rolle": [1]}), ("Rådmenn", {"rolle": [2]})],
    "kontor-2019:ledere": [("Enhetsledere, statlig", {"rolle": [3], "ansettelse": [1]}),
                           ("Enhetsledere, kommunal", {"rolle": [3], "ansettelse": [2]})],
    "kontor-2019:veiledere": [("Veiledere", {"rolle": VEILEDERE}),
                              ("Statlig ansatte veiledere", {"rolle": VEILEDERE, "ansettelse": [1]}),
                              ("Kommunalt ansatte veiledere", {"rolle": VEILEDERE, "ansettelse": [2]})],
    "kontor-2019:all": [("Ledere", {"rolle": [3]}), ("Mellomledere", {"rolle": [4]}), ("Veiledere", {"rolle": VEILEDERE})],
}


def groups_for_fig(f):
    out = []
    s = f.get("survey")
    raw = s if isinstance(s, list) else re.split(r"\s*\+\s*", str(s))
    for x in raw:
        k = survey_key(x)
        if k is None:
            continue
        ds = SURVEY_FILE[k]
        if k == "ordforer-radmann-2019":
            specs = GROUP_SPECS[k]
            # A caption that names one of the two respondent groups only («Hvor stor innflytelse ordfører …
            # mener …», Figur 12 and 13) shows that group only.
            cap = str(f.get("caption") or "").lower()
            if ("ordfør" in cap) != ("rådm" in cap):
                specs = [(label, where) for label, where in specs
                         if (label.lower().startswith("ordf") if "ordfør" in cap else label.lower().startswith("rådm"))]
        elif k.startswith("kontor-2019"):
            specs = GROUP_SPECS["kontor-2019:" + k.split("-")[-1]]
        else:
            specs = [(f"Veiledere {k[-4:]}", {})]
        for label, where in specs:
            out.append({"label": label, "dataset": ds, "where": where})
    return out


def statistic_of(f):
    st = str(f.get("statistic_shown") or "").lower()
    if st.startswith("mean"):
        return "mean"
    if "multiple" in st:
        return "multiple-response"
    if "top-2" in st or "top" in st:
        return "top-box"
    if "count" in st:
        return "counts"
    return "percent-distribution"


# The base n a claim states («(n=1025)» in the caption, carried by its percent/mean claims) becomes a constraint of
# that claim's target when the target is on the figure's own (first) group: the figure table then shows the
# caption's n. Not for a figure whose explicit n claims were left untargeted (Figur 22's n are the 2011 sample's),
# nor where claims or n targets on one item disagree about n.
# The registry (scripts/claims/build_registry.py) holds each claim's base n, taken from its figure's caption.
_claim_by_id = registry
_first_group = {}
for _f in figures:
    _k, _no = fig_key(_f)
    _gs = groups_for_fig(_f) if _k == "figur" else None
    if _gs:
        _first_group[_no] = {"dataset": _gs[0]["dataset"], "where": _gs[0]["where"]}
_untargeted_why = {u["claim"]: u["reason"] for u in untargeted_global}
_skip_figs = {c.get("figure") for c in _claim_by_id.values() if c.get("statistic") == "n"
              and _untargeted_why.get(c["id"], "n given as a range") != "n given as a range"}
_n_of_item = defaultdict(set)
_candidates = []
for _ds, _spec in datasets.items():
    for _t in _spec["targets"]:
        _key = (_ds, _t.get("variable"), str(_t.get("groups")))
        if _t["statistic"] == "n":
            _n_of_item[_key].add(int(round(sum(_t["interval"]) / 2)))
            continue
        if _t["statistic"] not in ("percent", "mean"):
            continue
        _c = _claim_by_id.get(_t["claim"]) or {}
        _n, _fig = _c.get("n"), _c.get("figure")
        if not isinstance(_n, int) or isinstance(_n, bool) or _fig in _skip_figs:
            continue
        if _t.get("groups") != [_first_group.get(_fig)]:
            continue
        _candidates.append((_t, _n, _key))
        _n_of_item[_key].add(_n)
for _t, _n, _key in _candidates:
    if len(_n_of_item[_key]) == 1:
        _t["n"] = _n
# The caption's n (one number or a range, «(n=936–989)») for the figure's other items on its first group: internal
# constraints (claim id `caption-figur-N-n`, not registry claims, so verify does not list them) that make the
# figure table show the caption's n for every item, not only for those a claim is about.
for _f in figures:
    _k, _no = fig_key(_f)
    if _k != "figur" or _no in _skip_figs or _no not in _first_group:
        continue
    _ms = re.findall(r"n\s*=\s*(\d+)(?:\s*[-–]\s*(\d+))?", str(_f.get("caption") or "").replace("$", ""))
    if len(_ms) != 1:
        continue
    _lo = int(_ms[0][0])
    _hi = int(_ms[0][1]) if _ms[0][1] else _lo
    _g = _first_group[_no]
    _ds = _g["dataset"]
    for _v, _text in fig_vars[_no]:
        _key = (_ds, _v, str([_g]))
        if _n_of_item.get(_key) or _v not in datasets[_ds]["variables"]:
            continue
        _n_of_item[_key].add(_lo)
        datasets[_ds]["targets"].append({
            "claim": f"caption-figur-{_no}-n", "statistic": "n", "variable": _v, "groups": [_g],
            "published": f"n={_lo}" if _lo == _hi else f"n={_lo}–{_hi}", "interval": [_lo - 0.5, _hi + 0.5]})

fig_out = []
for f in figures:
    kind, no = fig_key(f)
    entry = OrderedDict()
    entry["id"] = f"{kind}-{no}"
    entry["kind"] = kind
    entry["number"] = no
    entry["caption"] = f.get("caption")
    entry["section"] = f.get("section")
    entry["line"] = f.get("line")
    entry["years"] = f.get("years")
    entry["surveys"] = surveys_of(f) if kind == "figur" else []
    entry["catalogueSurvey"] = f.get("survey") if isinstance(f.get("survey"), list) else str(f.get("survey"))
    if kind == "figur":
        fam = fig_family.get(no)
        entry["statistic"] = statistic_of(f)
        top = default_top(fam)
        if entry["statistic"] == "top-box" and top:
            entry["topBox"] = top
        entry["groups"] = groups_for_fig(f)
        entry["items"] = [{"variable": v, "text": t} for v, t in fig_vars[no]]
        entry["scale"] = {"family": fam, "description": f.get("scale")}
        if entry["surveys"] == []:
            entry["reconstructed"] = False
            entry["why"] = "the figure's survey survives only as published aggregates"
        tests = []
        for cid in claims_by_fig[no]:
            c = next(x for x in claims if x["id"] == cid)
            if c["kind"] in ("significance", "no-significance", "p"):
                tests.append({"claim": cid, "kind": c["kind"], "compare": (c.get("compare") or {}).get("direction"),
                              "value": c.get("value")})
        if tests:
            entry["tests"] = tests
    else:
        entry["statistic"] = str(f.get("statistic_shown"))
        entry["rows"] = [str(i) for i in (f.get("items") or [])]
        entry["n"] = f.get("n")
        entry["reconstructed"] = no == 4
        if no == 4:
            entry["dataset"] = "kontor-2019"
            entry["composition"] = ["kjonn", "alder", "ansettelse", "rolle", "utdanning", "fagomrade", "sosialfag",
                                    "antall_brukere"]
    entry["notes"] = f.get("notes")
    entry["claims"] = claims_by_fig[no] if kind == "figur" else claims_by_tab[no]
    fig_out.append(dict(entry))


class Dumper(yaml.SafeDumper):
    pass


def _str(dumper, data):
    return dumper.represent_scalar("tag:yaml.org,2002:str", data)


Dumper.add_representer(OrderedDict, lambda d, x: d.represent_dict(x.items()))

header_f = ("# Figure and table specs of AFI-rapport 2020:09 «Nav i en ny tid?» — generated by\n"
            "# scripts/figures/generate_specs.py from the catalogue; variables are named through the codebooks\n"
            "# (datasets/afi-2020/*.codebook.yaml), never by position, so the specs run on the original files.\n")
with open(f"{OUT}/figures.yaml", "w") as fh:
    fh.write(header_f)
    yaml.dump({"figures": fig_out}, fh, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=120)
with open(f"{OUT}/reconstruction.yaml", "w") as fh:
    fh.write("# Reconstruction spec: targets the synthetic respondents must reproduce — generated, do not edit by hand.\n")
    yaml.dump(recon, fh, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=120)

n_t = sum(len(d["targets"]) for d in recon["datasets"])
print(f"figures.yaml: {len(fig_out)} entries; reconstruction.yaml: {n_t} targets, {len(untargeted_global)} claims untargeted",
      file=sys.stderr)
for d in recon["datasets"]:
    print(f"  {d['id']}: {d['rows']} rows, {len(d['variables'])} variables, {len(d['targets'])} targets", file=sys.stderr)
