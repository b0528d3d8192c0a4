#!/usr/bin/env python3
"""Writes exact.json: small columns of every kind and their profile figures,
computed with NumPy and the Python standard library (not with assay).

Run from this directory with Debian's python3-numpy:

    /usr/bin/python3 gen_exact.py > exact.json

The output is deterministic (fixed RNG seeds); rerunning it must give the
same file. See README.md for the conventions the figures follow.
"""

import collections
import datetime
import json
import math
import sys

import numpy as np

QUANTILES = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99]
HISTOGRAM_BINS = 20
TOP_K = 10


def rng(seed):
    return np.random.default_rng(seed)


# ---------------------------------------------------------------- text forms

EPOCH = datetime.datetime(1970, 1, 1)


def ts_text(v, per_second):
    """RFC 3339 in UTC with the fraction trimmed of trailing zeros, as Go's
    time.RFC3339Nano prints it."""
    secs, sub = divmod(int(v), per_second)  # floor division: right for negatives
    nanos = sub * (1_000_000_000 // per_second)
    t = EPOCH + datetime.timedelta(seconds=secs)
    frac = ("%09d" % nanos).rstrip("0")
    return t.strftime("%Y-%m-%dT%H:%M:%S") + ("." + frac if frac else "") + "Z"


def date_text(v):
    return (datetime.date(1970, 1, 1) + datetime.timedelta(days=int(v))).isoformat()


# ---------------------------------------------------------------- JSON floats


def jfloat(x):
    """JSON has no NaN or infinities: write them as strings."""
    x = float(x)
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return x


# ---------------------------------------------------------------- figures


def histogram(xs, is_int):
    """The histogram rule assay documents: none when a bound is infinite; one
    bin per integer when an integer column spans fewer than 20 values; one
    closed bin [v, v] for a constant float column; else 20 equal-width bins
    from min to max (NumPy's np.histogram with range=(min, max))."""
    lo, hi = xs.min(), xs.max()
    if math.isinf(lo) or math.isinf(hi):
        return None
    if is_int and int(hi) - int(lo) < HISTOGRAM_BINS:
        counts, edges = np.histogram(xs, bins=np.arange(int(lo), int(hi) + 2))
    elif lo == hi:
        # np.histogram would widen a zero range to [v-0.5, v+0.5]; assay
        # keeps the single closed bin [v, v].
        edges, counts = np.array([lo, hi]), np.array([len(xs)])
    else:
        counts, edges = np.histogram(xs, bins=HISTOGRAM_BINS, range=(float(lo), float(hi)))
    return {"edges": [jfloat(e) for e in edges], "counts": [int(c) for c in counts]}


def top(values, key, text):
    """The 10 most frequent values, ties broken by value (ascending)."""
    counts = collections.Counter(values)
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], key(kv[0])))
    return [{"value": text(v), "count": c} for v, c in ranked[:TOP_K]]


def numeric_want(values, kind, text):
    present = [v for v in values if v is not None]
    nan = sum(1 for v in present if kind == "float" and math.isnan(v))
    finite = [v for v in present if not (kind == "float" and math.isnan(v))]
    want = {
        "count": len(values),
        "nulls": len(values) - len(present),
        "nan": nan,
        # Python's set treats -0.0 and 0.0 as one value, like np.unique.
        "distinct": len(set(finite)),
    }
    if not finite:
        return want
    xs = np.array(finite, dtype=np.float64)
    lo, hi = min(finite), max(finite)
    want["min"], want["max"] = jfloat(lo), jfloat(hi)
    if kind == "int":
        # Float text is assay's shortest form; the tests compare it as a number.
        want["min_value"], want["max_value"] = text(lo), text(hi)
    with np.errstate(invalid="ignore"):
        want["mean"] = jfloat(np.mean(xs))
        want["std"] = jfloat(np.std(xs, ddof=1)) if len(xs) > 1 else None
        # NumPy's default quantile method is "linear" (Hyndman-Fan type 7).
        want["quantiles"] = [jfloat(q) for q in np.quantile(xs, QUANTILES)]
    want["histogram"] = histogram(xs, kind == "int")
    if kind == "float":
        # Float values are compared as numbers: the text form is assay's.
        want["top"] = [{"value": jfloat(t["value"]), "count": t["count"]}
                       for t in top(finite, lambda v: v, lambda v: v)]
    else:
        want["top"] = top(finite, lambda v: v, text)
    return want


def bool_want(values):
    present = [v for v in values if v is not None]
    t = sum(1 for v in present if v)
    want = {"count": len(values), "nulls": len(values) - len(present), "nan": 0,
            "distinct": len(set(present)), "true": t}
    if present:
        xs = np.array(present, dtype=np.float64)
        want["min"], want["max"] = jfloat(xs.min()), jfloat(xs.max())
        want["min_value"] = "true" if xs.min() == 1 else "false"
        want["max_value"] = "true" if xs.max() == 1 else "false"
        want["mean"] = jfloat(np.mean(xs))
        want["std"] = jfloat(np.std(xs, ddof=1)) if len(xs) > 1 else None
        want["top"] = top(present, lambda v: v, lambda v: "true" if v else "false")
    return want


def bytes_want(values, is_str):
    present = [v for v in values if v is not None]
    want = {"count": len(values), "nulls": len(values) - len(present), "nan": 0,
            "distinct": len(set(present))}
    if present:
        enc = (lambda s: s) if is_str else (lambda b: b.hex())
        # Python compares str by code point, the same order as UTF-8 bytes.
        want["min_value"], want["max_value"] = enc(min(present)), enc(max(present))
        lens = [len(v) for v in present]  # characters for str, bytes for bytes
        want["length"] = {"min": min(lens), "max": max(lens), "mean": jfloat(sum(lens) / len(lens))}
        want["top"] = top(present, lambda v: v.encode() if is_str else v, enc)
    return want


# ---------------------------------------------------------------- data


def with_nulls(values, every, seed):
    """Insert None at random places, about one in every `every`."""
    r = rng(seed)
    out = []
    for v in values:
        if r.integers(every) == 0:
            out.append(None)
        out.append(v)
    return out


def cases():
    out = []

    def add(name, arrow, typ, values, want, encode=lambda v: v):
        out.append({"name": name, "arrow": arrow, "type": typ,
                    "values": [None if v is None else encode(v) for v in values],
                    "want": want})

    # int32: wide range (equal-width bins), negatives, ties in the top values.
    r = rng(1)
    v = [int(x) for x in r.integers(-1000, 1000, 60)] + [7, 7, 7, -3, -3, -3, 500, 500]
    v = with_nulls(v, 6, 11)
    add("int32", "int32", "int32", v, numeric_want(v, "int", str))

    # int32 spanning fewer than 20 values: one bin per integer.
    r = rng(2)
    v = with_nulls([int(x) for x in r.integers(-4, 9, 45)], 5, 12)
    add("int32 narrow", "int32", "int32", v, numeric_want(v, "int", str))

    # int64 with large magnitudes (below 2^53, where float64 is exact).
    r = rng(3)
    v = [int(x) for x in r.integers(-10**12, 10**12, 50)] + [123456789012, 123456789012]
    v = with_nulls(v, 7, 13)
    add("int64", "int64", "int64", v, numeric_want(v, "int", str))

    # timestamp[ms] around 2024, one before 1970 (floor division of negatives).
    r = rng(4)
    base = 1_704_067_200_000  # 2024-01-01T00:00:00Z
    v = [base + int(x) for x in r.integers(0, 86_400_000 * 40, 40)]
    v += [base, base, -1_500, 1_700_000_000_123]
    v = with_nulls(v, 6, 14)
    add("timestamp ms", "timestamp[ms]", "timestamp[ms] UTC", v,
        numeric_want(v, "int", lambda x: ts_text(x, 1000)))

    # timestamp[us] with microsecond fractions.
    r = rng(5)
    base = 1_700_000_000_000_000
    v = [base + int(x) for x in r.integers(0, 10**9, 30)] + [base + 1, base + 1]
    v = with_nulls(v, 6, 15)
    add("timestamp us", "timestamp[us]", "timestamp[us]", v,
        numeric_want(v, "int", lambda x: ts_text(x, 1_000_000)))

    # date32: days since the epoch, some before it.
    r = rng(6)
    v = [int(x) for x in r.integers(-800, 20000, 35)] + [19000, 19000, -1]
    v = with_nulls(v, 5, 16)
    add("date32", "date32", "date", v, numeric_want(v, "int", date_text))

    # float32: NaN and -0 among values exactly representable in float32.
    r = rng(7)
    v = [float(np.float32(x)) for x in r.normal(10, 3, 40)]
    v += [float("nan"), float("nan"), -0.0, 0.0, 0.5, 0.5]
    v = with_nulls(v, 6, 17)
    add("float32", "float32", "float32", v, numeric_want(v, "float", repr), jfloat)

    # float64 with NaN, both infinities and -0. 201 non-NaN values, so every
    # quantile lands exactly on a value (q·200 is an integer) and none is
    # interpolated towards an infinity (where NumPy's lerp gives NaN).
    r = rng(8)
    v = [round(float(x), 3) for x in r.normal(0, 100, 197)]
    v += [float("inf"), float("-inf"), -0.0, 0.0]
    v = list(r.permutation(np.array(v, dtype=object)))
    v = [float(x) for x in v] + [float("nan")] * 3
    v = with_nulls(v, 10, 18)
    add("float64 special", "float64", "float64", v, numeric_want(v, "float", repr), jfloat)

    # float64, finite: equal-width histogram, interpolated quantiles.
    r = rng(9)
    v = [round(float(x), 2) for x in r.lognormal(3, 1, 57)] + [2.5, 2.5, 2.5]
    v = with_nulls(v, 8, 19)
    add("float64", "float64", "float64", v, numeric_want(v, "float", repr), jfloat)

    # float64 constant: a single closed bin.
    v = with_nulls([4.25] * 9, 4, 20)
    add("float64 constant", "float64", "float64", v, numeric_want(v, "float", repr), jfloat)

    # float64 of NaN only.
    v = with_nulls([float("nan")] * 5, 3, 21)
    add("float64 all NaN", "float64", "float64", v, numeric_want(v, "float", repr), jfloat)

    # bool with nulls.
    r = rng(10)
    v = with_nulls([bool(x) for x in r.random(40) < 0.3], 5, 22)
    add("bool", "bool", "bool", v, bool_want(v))

    # bool, only true.
    v = with_nulls([True] * 6, 3, 23)
    add("bool all true", "bool", "bool", v, bool_want(v))

    # strings: multibyte UTF-8 (2-, 3- and 4-byte), the empty string, ties.
    words = ["apple", "Äpfel", "été", "日本語", "😀", "a😀b", "", "zebra", "naïve",
             "ß", "Ω", "abc", "abd", "é"]
    r = rng(11)
    v = [words[int(i)] for i in r.integers(0, len(words), 50)] + ["日本語", "日本語", "tie1", "tie2"]
    v = with_nulls(v, 6, 24)
    add("string utf8", "string", "string", v, bytes_want(v, True))

    # binary, including bytes that are not UTF-8; written as hex.
    vals = [b"\x00", b"\xff\xfe", b"abc", b"", b"\x80", b"\xc3\xa9", b"zz"]
    r = rng(12)
    v = [vals[int(i)] for i in r.integers(0, len(vals), 30)]
    v = with_nulls(v, 6, 25)
    add("binary", "binary", "binary", v, bytes_want(v, False), lambda b: b.hex())

    # All null, and empty, of several kinds.
    add("int64 all null", "int64", "int64", [None] * 7, numeric_want([None] * 7, "int", str))
    add("float64 all null", "float64", "float64", [None] * 3, numeric_want([None] * 3, "float", repr))
    add("string all null", "string", "string", [None] * 4, bytes_want([None] * 4, True))
    add("bool all null", "bool", "bool", [None] * 2, bool_want([None] * 2))
    add("float64 empty", "float64", "float64", [], numeric_want([], "float", repr))
    add("string empty", "string", "string", [], bytes_want([], True))
    add("date32 empty", "date32", "date", [], numeric_want([], "int", date_text))
    return out


def main():
    doc = {
        "generator": "gen_exact.py",
        "numpy": np.__version__,
        "quantiles": QUANTILES,
        "cases": cases(),
    }
    json.dump(doc, sys.stdout, indent=1, ensure_ascii=False, allow_nan=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
