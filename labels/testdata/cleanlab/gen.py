#!/usr/bin/env python3
"""End-to-end fixture for `assay labels issues`: a small CSV with string
class names and probability columns, and Cleanlab's flagged rows.

    PYTHONPATH=/path/to/cleanlab /usr/bin/python3 labels/testdata/cleanlab/gen.py

run from the repository root, with Cleanlab's source on PYTHONPATH (it is
pure Python; Debian's python3-numpy, python3-sklearn, python3-pandas and
python3-tqdm provide its imports). Writes pets.csv and expected.json here.
Probabilities are rounded to 3 decimals, as a CSV would carry them, so
ties between classes and with the thresholds occur.
"""
import csv
import json
import os

import numpy as np
import cleanlab
from cleanlab.filter import find_label_issues

here = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(5)
n = 60
true = rng.integers(0, 3, n)
p = rng.dirichlet([1, 1, 1], n)
for i in range(n):
    p[i, true[i]] += 1.5
p = p / p.sum(1, keepdims=True)
p = np.round(p, 3)
p[:, 2] = 1 - p[:, 0] - p[:, 1]
p = np.round(p, 3)
given = true.copy()
flip = rng.random(n) < 0.2
given[flip] = (given[flip] + 1) % 3
names = ["bird", "cat", "dog"]

with open(os.path.join(here, "pets.csv"), "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["id", "kind", "p_bird", "p_cat", "p_dog"])
    for i in range(n):
        w.writerow([i, names[given[i]], "%.3f" % p[i, 0], "%.3f" % p[i, 1], "%.3f" % p[i, 2]])

# The probabilities exactly as the CSV holds them.
p = np.array([[float("%.3f" % v) for v in row] for row in p])
expected = {"cleanlab": cleanlab.__version__, "numpy": np.__version__, "cases": []}
for filt in ["prune_by_noise_rate", "prune_by_class", "both", "confident_learning", "predicted_neq_given"]:
    for rank in ["self_confidence", "normalized_margin", "confidence_weighted_entropy"]:
        idx = find_label_issues(given, p, filter_by=filt, return_indices_ranked_by=rank)
        expected["cases"].append({"filter": filt, "rank": rank, "rows": [int(i) for i in idx]})
with open(os.path.join(here, "expected.json"), "w") as f:
    json.dump(expected, f, indent=1)
