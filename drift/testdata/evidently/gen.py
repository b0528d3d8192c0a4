#!/usr/bin/env python3
"""Expected results of `assay drift --method auto` on the Telco churn table,
computed the way Evidently's default column drift does, with SciPy.

Run from the repository root with Debian's python3-scipy and python3-numpy:

    /usr/bin/python3 drift/testdata/evidently/gen.py > drift/testdata/evidently/churn.json

The reference is the customers with PaperlessBilling = "Yes", the current
side those with "No" (rows of examples/churn/Telco-Customer-Churn.csv in
file order). Case "large" compares all of them; case "small" the first 800
of each (so the reference has at most 1,000 values and the small-sample
tests apply).

Evidently's rule (evidently/calculations/stattests/registry.py,
get_default_stattest), with n_values the distinct non-missing values of
reference and current together:
  - numeric with more than 5 values: KS if the reference has <= 1000 values,
    else the Wasserstein distance divided by max(np.std(reference), 0.001)
  - otherwise, reference <= 1000 values: chi-square if more than 2 values,
    else the two-proportion z-test; larger: Jensen-Shannon distance.
Missing values are dropped first. Chi-square is scipy.stats.chisquare of
the current counts against the reference shares times the current count;
Jensen-Shannon is scipy.spatial.distance.jensenshannon of the two sides'
shares over the union of categories (natural log). The z-test is the
pooled two-proportion test, p = 2 * norm.sf(|z|).

customerID is left out: every value is unique, and Evidently's rule calls
it drifted (Jensen-Shannon over 7,043 categories), which assay avoids on
purpose with its top-20 + other bins (tested separately).
"""
import csv
import json
import math

import numpy as np
import scipy
from scipy import stats
from scipy.spatial import distance

NUMERIC = {"SeniorCitizen", "tenure", "MonthlyCharges", "TotalCharges"}

with open("examples/churn/Telco-Customer-Churn.csv", newline="") as f:
    rows = list(csv.DictReader(f))
columns = [c for c in rows[0].keys() if c != "customerID"]


def values(rs, col):
    out = []
    for r in rs:
        v = r[col].strip()
        if v == "":
            continue
        out.append(float(v) if col in NUMERIC else v)
    return out


def column(ref, cur, col):
    a, b = values(ref, col), values(cur, col)
    numeric = col in NUMERIC
    n_values = len(set(a) | set(b))
    if numeric and n_values > 5:
        if len(a) <= 1000:
            s, p = stats.ks_2samp(a, b)
            return {"test": "ks", "statistic": float(s), "p_value": float(p)}
        d = stats.wasserstein_distance(a, b) / max(np.std(a), 0.001)
        return {"test": "wasserstein", "statistic": float(d)}
    keys = sorted(set(a) | set(b))
    ra = np.array([a.count(k) for k in keys], dtype=float)
    cb = np.array([b.count(k) for k in keys], dtype=float)
    if len(a) <= 1000:
        if n_values > 2:
            s, p = stats.chisquare(cb, ra / ra.sum() * cb.sum())
            return {"test": "chisquare", "statistic": float(s), "p_value": float(p)}
        k = keys[0]
        x1, n1 = a.count(k), len(a)
        x2, n2 = b.count(k), len(b)
        pooled = (x1 + x2) / (n1 + n2)
        z = (x1 / n1 - x2 / n2) / math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
        return {"test": "z", "statistic": abs(z), "p_value": float(2 * stats.norm.sf(abs(z)))}
    d = distance.jensenshannon(ra / ra.sum(), cb / cb.sum())
    return {"test": "jensenshannon", "statistic": float(d)}


ref = [r for r in rows if r["PaperlessBilling"] == "Yes"]
cur = [r for r in rows if r["PaperlessBilling"] == "No"]
cases = {}
for name, (rr, cc) in {"large": (ref, cur), "small": (ref[:800], cur[:800])}.items():
    cases[name] = {c: column(rr, cc, c) for c in columns}
print(json.dumps({"scipy": scipy.__version__, "numpy": np.__version__, "cases": cases}, indent=1, sort_keys=True))
