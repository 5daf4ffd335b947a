#!/usr/bin/env python3
"""Deterministic synthetic survey data for the SurveyStats benchmarks.

    gen_data.py --rows 1000000 --out data/survey_1e6.csv            # main file
    gen_data.py --rows 1000000 --wide --out data/wide_1e6.csv       # y, x1..x50 for OLS p = 50

Main file columns (comma separated, header row, no quoting):
  region  1..6   (6-level group, unequal sizes)        edu  1..5 (5 levels, no missing)
  gender  1..2   (2-level group for the Welch t-test)
  q1..q20 Likert 1..5; 9 = declared missing code ("vet ikke", ~3 %), empty field = system missing (~2 %)
  y       outcome, 4 decimals;  x1..x10  predictors, 3 decimals (|x| < 10)
Wide file: y, x1..x50 (3 decimals), no missing.

The generator is seeded (numpy PCG64, seed = 20200 + rows + 7 * wide) and writes fixed-layout rows with
vectorised byte arithmetic, so that 1e7 rows take seconds rather than the minutes of `DataFrame.to_csv`.
"""
import argparse
import os
import sys

import numpy as np

CHUNK = 500_000


def digits_fixed(values_int, ndig):
    """(n, ndig) uint8 ASCII digits of non-negative ints, zero padded."""
    out = np.empty((values_int.shape[0], ndig), dtype=np.uint8)
    v = values_int.copy()
    for j in range(ndig - 1, -1, -1):
        out[:, j] = (v % 10) + 48
        v //= 10
    return out


def decimal_field(x, int_digits, dec_digits):
    """Bytes and keep-mask for a signed decimal field: optional '-', integer part without leading zeros
    (at least one digit), '.', dec_digits decimals. Returns (bytes (n, w), keep (n, w))."""
    n = x.shape[0]
    scale = 10 ** dec_digits
    q = np.rint(np.abs(x) * scale).astype(np.int64)
    lim = 10 ** (int_digits + dec_digits) - 1
    q = np.minimum(q, lim)
    neg = (x < 0) & (q > 0)
    ip = q // scale
    fp = q % scale
    w = 1 + int_digits + 1 + dec_digits
    b = np.empty((n, w), dtype=np.uint8)
    keep = np.ones((n, w), dtype=bool)
    b[:, 0] = ord('-')
    keep[:, 0] = neg
    b[:, 1:1 + int_digits] = digits_fixed(ip, int_digits)
    # drop leading zeros of the integer part, keep the units digit
    for j in range(int_digits - 1):
        keep[:, 1 + j] = ip >= 10 ** (int_digits - 1 - j)
    b[:, 1 + int_digits] = ord('.')
    b[:, 2 + int_digits:] = digits_fixed(fp, dec_digits)
    return b, keep


def main_chunk(rng, n):
    region = rng.choice(6, size=n, p=[0.30, 0.22, 0.18, 0.12, 0.10, 0.08]) + 1
    edu = rng.integers(1, 6, size=n)
    gender = rng.integers(1, 3, size=n)
    # Likert items: a latent attitude shifted by region, thresholds per item
    latent = rng.normal(0.0, 1.0, size=n) + (region - 3.5) * 0.08
    items = []
    for k in range(20):
        t = np.array([-1.6, -0.7, 0.1, 0.9]) + 0.05 * (k - 10)
        z = 0.7 * latent + 0.7 * rng.normal(0.0, 1.0, size=n)
        code = 1 + np.searchsorted(t, z).astype(np.int64)
        u = rng.random(n)
        code = np.where(u < 0.03, 9, code)                 # declared missing code
        code = np.where((u >= 0.03) & (u < 0.05), 0, code)  # 0 marks an empty field below
        items.append(code)
    X = rng.normal(0.0, 1.0, size=(n, 10))
    beta = np.linspace(-1.0, 1.0, 10)
    y = 2.0 + X @ beta + 0.3 * (gender == 2) + 0.5 * latent + rng.normal(0.0, 1.0, size=n)
    y = np.clip(y, -99.9999, 99.9999)
    X = np.clip(X, -9.999, 9.999)

    parts, keeps = [], []

    def add(b, k=None):
        parts.append(b)
        keeps.append(np.ones_like(b, dtype=bool) if k is None else k)

    comma = np.full((n, 1), ord(','), dtype=np.uint8)
    for col in (region, edu, gender):
        add((col + 48).astype(np.uint8).reshape(n, 1))
        add(comma)
    for code in items:
        add((code + 48).astype(np.uint8).reshape(n, 1), (code != 0).reshape(n, 1))
        add(comma)
    b, k = decimal_field(y, 2, 4)
    add(b, k)
    for j in range(10):
        add(comma)
        b, k = decimal_field(X[:, j], 1, 3)
        add(b, k)
    add(np.full((n, 1), ord('\n'), dtype=np.uint8))
    B = np.concatenate(parts, axis=1)
    K = np.concatenate(keeps, axis=1)
    return B[K]


def wide_chunk(rng, n):
    X = rng.normal(0.0, 1.0, size=(n, 50))
    beta = np.sin(np.arange(1, 51))
    y = 1.0 + X @ beta + rng.normal(0.0, 2.0, size=n)
    y = np.clip(y, -99.9999, 99.9999)
    X = np.clip(X, -9.999, 9.999)
    parts, keeps = [], []
    b, k = decimal_field(y, 2, 4)
    parts.append(b); keeps.append(k)
    comma = np.full((n, 1), ord(','), dtype=np.uint8)
    for j in range(50):
        parts.append(comma); keeps.append(np.ones((n, 1), dtype=bool))
        b, k = decimal_field(X[:, j], 1, 3)
        parts.append(b); keeps.append(k)
    parts.append(np.full((n, 1), ord('\n'), dtype=np.uint8)); keeps.append(np.ones((n, 1), dtype=bool))
    B = np.concatenate(parts, axis=1)
    K = np.concatenate(keeps, axis=1)
    return B[K]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=float, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--wide", action="store_true")
    a = ap.parse_args()
    rows = int(a.rows)
    rng = np.random.Generator(np.random.PCG64(20200 + rows + 7 * int(a.wide)))
    tmp = a.out + ".tmp"
    with open(tmp, "wb") as f:
        if a.wide:
            f.write(("y," + ",".join(f"x{j}" for j in range(1, 51)) + "\n").encode())
        else:
            f.write(("region,edu,gender," + ",".join(f"q{k}" for k in range(1, 21)) + ",y,"
                     + ",".join(f"x{j}" for j in range(1, 11)) + "\n").encode())
        done = 0
        while done < rows:
            n = min(CHUNK, rows - done)
            (wide_chunk if a.wide else main_chunk)(rng, n).tofile(f)
            done += n
    os.replace(tmp, a.out)


if __name__ == "__main__":
    sys.exit(main())
