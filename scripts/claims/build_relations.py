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
    out = os.path.join(ROOT, "datasets/afi-2020/audit-relations.yaml")
    with open(out, "w", encoding="utf-8") as fh:
        fh.write("# GENERATED by scripts/claims/build_relations.py from scripts/claims/relations-manual.yaml and the\n"
                 "# table cells of claims.yaml. Do not edit; change relations-manual.yaml and rebuild.\n")
        yaml.safe_dump(rels, fh, allow_unicode=True, sort_keys=False, width=120)
    print(f"{out}: {len(rels)} relations")


if __name__ == "__main__":
    main()
