#!/usr/bin/env python3
"""SciPy's time for the core of `assay drift` on 1M vs 1M rows, for scale.

    /usr/bin/python3 drift/testdata/bench/scipy_drift.py

Four numeric columns of 1,000,000 values a side (already in memory: no
Parquet reading, which assay's figure includes) get KS, the Wasserstein
distance and Jensen-Shannon on 20 reference bins; one categorical column
of 8 values gets chi-square. Debian's python3-scipy and python3-numpy.
"""
import time

import numpy as np
import scipy
from scipy import stats
from scipy.spatial import distance

rng = np.random.default_rng(42)
n = 1_000_000
ref = [rng.normal(50, 10, n), rng.lognormal(10, 1, n), rng.integers(0, 120, n).astype(float), rng.normal(0, 1, n)]
cur = [rng.normal(50.5, 10, n), rng.lognormal(10, 1, n), rng.integers(0, 120, n).astype(float), rng.normal(0, 1, n)]
cat_ref = rng.choice(8, n, p=[0.3, 0.2, 0.15, 0.1, 0.1, 0.1, 0.03, 0.02])
cat_cur = rng.choice(8, n, p=[0.3, 0.2, 0.15, 0.1, 0.1, 0.1, 0.03, 0.02])

best = float("inf")
for _ in range(3):
    t = time.perf_counter()
    for a, b in zip(ref, cur):
        stats.ks_2samp(a, b)
        stats.wasserstein_distance(a, b) / max(np.std(a), 0.001)
        edges = np.histogram_bin_edges(a, bins=20)
        p, _ = np.histogram(a, edges)
        q, _ = np.histogram(b, edges)
        distance.jensenshannon(p / p.sum(), q / q.sum())
    rc, cc = np.bincount(cat_ref, minlength=8), np.bincount(cat_cur, minlength=8)
    stats.chisquare(cc, rc / rc.sum() * cc.sum())
    best = min(best, time.perf_counter() - t)
print(f"SciPy {scipy.__version__}, NumPy {np.__version__}: {best:.2f} s (best of 3)")
