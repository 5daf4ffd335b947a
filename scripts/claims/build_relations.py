#!/usr/bin/env python3
"""Write datasets/afi-2020/audit-relations.yaml: the hand-declared relations in scripts/claims/relations-manual.yaml
plus the table arithmetic derived from the table-cell claims of claims.yaml (Tabell 3: column sums, GRIM on the
office counts, differences, one-sample proportion z-tests for the stars; Tabell 4: block sums per column, samlet =
lavere + høyere grad, GRIM per column). Deterministic. Run after build_registry.py."""
import os
import re
from collections import defaultdict

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


# Why a generated table relation fails (the audit recomputes; this only explains).
EXPLANATIONS = {
    "tab4-sum-kjonn-2019": "Mann 25,7 + Kvinne 74,3 already make 100; «Ikke oppgitt» 2 cannot be added (the men/women shares are probably of those who answered, «ikke oppgitt» of all).",
    "tab4-sum-utdanning-2019": "0,3 + 5,8 + 2 + 88,1 = 96,2; with lavere + høyere grad (91,9) instead of «samlet» 88,1 the column sums to 100,0 — the «samlet» cell is wrong.",
    "tab4-samlet-2019": "54,4 + 37,5 = 91,9 ≠ 88,1; 91,9 is the value that makes the column sum to 100.",
    "tab4-sum-utdanning-2016": "0,3 + 8,8 + 88,9 = 98,0; with lavere + høyere grad (90,9) it is 100,0 — the «samlet» cell is wrong.",
    "tab4-samlet-2016": "62,1 + 28,8 = 90,9 ≠ 88,9; 90,9 makes the 2016 column sum to 100.",
    "tab4-sum-fagomrade-2008": "30,6 + 21,3 + 5,4 + 16 + 24,2 = 97,5: 2,5 % of the 2008 column is unaccounted for.",
    "tab4-sum-fagomrade-2016": "29,3 + 20,2 + 2,8 + 20,4 + 11,3 + 2,2 + 8,9 = 95,1: 4,9 % unaccounted for.",
    "tab4-sum-rolle-i-nav-kontoret-2008": "60,9 + 6,7 + 4,5 + 6 + 6,6 + 12,2 = 96,9: 3,1 % unaccounted for.",
    "tab4-sum-rolle-i-nav-kontoret-2014": "64,7 + 5,1 + 4,7 + 5,9 + 2,5 + 7,1 = 90,0: 10 % missing (no «Fagansvarlig/koordinator» value for 2014, though the 2014 survey had the same role question).",
    "tab4-sum-utdanning-innen-sosial-helsefag-2015": "77 + 5,4 + 2,6 + 2,6 + 1,9 + 1,9 + 1,7 = 93,1: the 2015 column has no «Annet» row, so 6,9 % are unaccounted for.",
}


def main():
    claims = yaml.safe_load(open(os.path.join(ROOT, "datasets/afi-2020/claims.yaml"), encoding="utf-8"))
    by_id = {c["id"]: c for c in claims}
    rels = yaml.safe_load(open(os.path.join(HERE, "relations-manual.yaml"), encoding="utf-8")) or []

    # ---- Tabell 3 -----------------------------------------------------------------------------------------
    cols = {"populasjon-2017": "populasjon-2017", "strategisk": "strategisk-2019", "tilfeldig": "tilfeldig-2019",
            "totalt": "totalt-2019"}
    sizes = ["lite", "mellomstort", "stort"]
    stars = {("lite", "strategisk"): True, ("lite", "tilfeldig"): False, ("lite", "totalt"): True,
             ("mellomstort", "strategisk"): True, ("mellomstort", "tilfeldig"): False, ("mellomstort", "totalt"): True,
             ("stort", "strategisk"): True, ("stort", "tilfeldig"): False, ("stort", "totalt"): False}
    for key, col in cols.items():
        ids = [f"tab3-{s}-{col}" for s in sizes]
        n_id = f"tab3-antall-kontorer-{col}"
        if all(i in by_id for i in ids) and n_id in by_id:
            rels.append({"id": f"tab3-sum-{key}", "kind": "sum", "parts": ids, "total": 100,
                         "note": f"Tabell 3, column {key}: small + medium + large = 100"})
            rels.append({"id": f"tab3-grim-{key}", "kind": "grim", "claims": ids, "n": n_id,
                         "note": f"Tabell 3, column {key}: percentages as counts of N offices"})
    for s in sizes:
        for key in ("strategisk", "tilfeldig", "totalt"):
            a, b, d = f"tab3-{s}-{cols[key]}", f"tab3-{s}-populasjon-2017", f"tab3-{s}-diff-{key}"
            if a in by_id and b in by_id and d in by_id:
                rels.append({"id": f"tab3-diff-{s}-{key}", "kind": "difference", "a": a, "b": b, "result": d})
                rels.append({"id": f"tab3-z-{s}-{key}", "kind": "proportion-z", "sample": a, "population": b,
                             "n": f"tab3-antall-kontorer-{cols[key]}", "significant": stars[(s, key)],
                             "alpha": 0.05,
                             "note": f"Tabell 3, {s} kontor, {key} vs population: one-sample proportion z "
                                     f"({'**' if stars[(s, key)] else 'no star'}; the table's footnote: ** p ≤ 0.05)"})

    # ---- Tabell 4 -----------------------------------------------------------------------------------------
    blocks = defaultdict(dict)   # (section, column) -> {category: id}
    n_of = {}
    for c in claims:
        if c.get("table") != 4 or not c.get("cell"):
            continue
        row, col = c["cell"]["row"], c["cell"]["column"]
        if row.startswith("Størrelse på utvalget"):
            n_of[col] = c["id"]
        if " / " in row and c["statistic"] in ("percent", "valid-percent") and c.get("value") is not None:
            section, cat = row.split(" / ", 1)
            blocks[(section, col)][cat] = c["id"]
    multi = {"Yrkesbakgrunn"}
    for (section, col), cats in sorted(blocks.items()):
        if section in multi:
            continue
        parts = [i for cat, i in cats.items()
                 if not (section == "Utdanning" and ("lavere" in cat or "høyere" in cat))
                 and not (section == "Antall brukere *)" and cat == "Annet")
                 and not (section.startswith("Antall brukere") and cat == "Annet")]
        slug = re.sub(r"[^a-z0-9]+", "-", section.lower().replace("ø", "o").replace("å", "a").replace("æ", "ae")).strip("-")
        if len(parts) >= 2:
            rels.append({"id": f"tab4-sum-{slug}-{col}", "kind": "sum", "parts": parts, "total": 100,
                         "note": f"Tabell 4, {section}, {col}: categories sum to 100"})
        if section == "Utdanning":
            samlet = [i for cat, i in cats.items() if "samlet" in cat]
            lh = [i for cat, i in cats.items() if "lavere" in cat or "høyere" in cat]
            if samlet and len(lh) == 2:
                rels.append({"id": f"tab4-samlet-{col}", "kind": "sum", "parts": lh, "total": samlet[0],
                             "note": f"Tabell 4, Utdanning {col}: lavere + høyere grad = høgskole/universitet samlet"})
        if col in n_of and len(parts) >= 2:
            n = by_id[n_of[col]]["value"]
            # Kjønn has an «Ikke oppgitt» category, so its base is the full sample; other blocks may have item
            # non-response, so any n down to 90 % of the sample is allowed.
            full = section == "Kjønn"
            rel = {"id": f"tab4-grim-{slug}-{col}", "kind": "grim", "claims": parts, "n": n_of[col],
                   "note": f"Tabell 4, {section}, {col}: one-decimal percentages as counts of n"}
            if not full:
                rel["n_range"] = [int(n * 0.9), int(n)]
            rels.append(rel)
    for r in rels:
        if r["id"] in EXPLANATIONS and "explanation" not in r:
            r["explanation"] = EXPLANATIONS[r["id"]]
    out = os.path.join(ROOT, "datasets/afi-2020/audit-relations.yaml")
    with open(out, "w", encoding="utf-8") as fh:
        fh.write("# GENERATED by scripts/claims/build_relations.py from scripts/claims/relations-manual.yaml and the\n"
                 "# table cells of claims.yaml. Do not edit; change relations-manual.yaml and rebuild.\n")
        yaml.safe_dump(rels, fh, allow_unicode=True, sort_keys=False, width=120)
    print(f"{out}: {len(rels)} relations")


if __name__ == "__main__":
    main()
