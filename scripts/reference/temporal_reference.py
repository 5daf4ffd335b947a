#!/usr/bin/env python3
"""Reference values for `TemporalFormat` (SPSS/Stata dates as numbers ⇄ ISO 8601 text), computed with Python's
`datetime` (proleptic Gregorian calendar), independently of the Swift calendar arithmetic; plus a small Stata file
with %td and %tc variables written by pyreadstat, so that reading a date file we did not write is tested too.

    python3 scripts/reference/temporal_reference.py      # needs: pip install pyreadstat pandas
writes Tests/SurveyStatsTests/Fixtures/data/temporal_reference.json and Tests/SurveyStatsTests/Fixtures/data/dates.dta
"""
import datetime as dt
import json
import os

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
OUT = os.path.join(ROOT, "Tests", "SurveyStatsTests", "Fixtures", "data")
SPSS0 = dt.datetime(1582, 10, 14)
STATA0 = dt.datetime(1960, 1, 1)

moments = [
    dt.datetime(1582, 10, 14), dt.datetime(1582, 10, 15), dt.datetime(1600, 2, 29), dt.datetime(1899, 12, 31),
    dt.datetime(1900, 3, 1), dt.datetime(1960, 1, 1), dt.datetime(1969, 12, 31, 23, 59, 59),
    dt.datetime(1970, 1, 1), dt.datetime(2000, 2, 29), dt.datetime(2019, 3, 1), dt.datetime(2019, 3, 1, 12, 30),
    dt.datetime(2019, 12, 31, 23, 59, 59), dt.datetime(2020, 2, 29, 0, 0, 1), dt.datetime(2100, 3, 1),
    dt.datetime(1, 1, 1), dt.datetime(9999, 12, 31, 23, 59, 59), dt.datetime(1000, 6, 15, 6, 7, 8),
]
rows = []
for m in moments:
    iso_date = m.strftime("%Y-%m-%d").rjust(10, "0")
    iso = iso_date if m.time() == dt.time(0) else iso_date + "T" + m.strftime("%H:%M:%S")
    spss = (m - SPSS0) // dt.timedelta(seconds=1)
    stata_ms = (m - STATA0) // dt.timedelta(milliseconds=1)
    row = {"iso": iso, "iso_datetime": iso_date + "T" + m.strftime("%H:%M:%S"), "spss_seconds": spss,
           "stata_ms": stata_ms}
    if m.time() == dt.time(0):
        row["stata_days"] = (m - STATA0).days
    rows.append(row)

with open(os.path.join(OUT, "temporal_reference.json"), "w") as fh:
    json.dump({"producer": "python3 scripts/reference/temporal_reference.py (datetime, proleptic Gregorian)",
               "moments": rows}, fh, indent=1)

import pandas as pd  # noqa: E402
import pyreadstat  # noqa: E402

df = pd.DataFrame({
    "id": [1.0, 2.0, 3.0],
    "dag": pd.to_datetime(["2019-03-01", "1959-12-31", None]).date,
    "tidspunkt": pd.to_datetime(["2019-03-01 12:30:00", "1960-01-01 00:00:00.250", "2000-02-29 23:59:59"], format="ISO8601"),
})
pyreadstat.write_dta(df, os.path.join(OUT, "dates.dta"))
meta = pyreadstat.read_dta(os.path.join(OUT, "dates.dta"))[1]
print("dates.dta formats:", meta.original_variable_types)
