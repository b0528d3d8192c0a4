#!/usr/bin/env python3
"""Times scikit-learn on the problem of BenchmarkTrain1M and BenchmarkPredict1M.

Run from this directory:

    /usr/bin/time -v /usr/bin/python3 bench_sklearn.py [rows [fit|predict]]

The data are drawn with numpy from the same distribution as synth in
../bench_test.go (not the same numbers: Go's and numpy's generators
differ): seven numeric features (x2 10% missing, x4 5% missing, x5
integers 0-99, x6 noise), a categorical feature of 8 levels, and a binary
target from a logistic of a nonlinear function of them. It times
HistGradientBoostingClassifier(max_iter=100, max_depth=6,
early_stopping=False) fitting 1M rows, and predict_proba over 1M rows with
a model fitted to 100k rows, as the Go benchmarks do; the second argument
runs only one of the two, for its peak memory.
"""
import sys
import time

import numpy as np
import sklearn
from sklearn.ensemble import HistGradientBoostingClassifier

EFFECT = np.array([-1.5, 0.8, 0, 1.2, -0.6, 0.3, -1, 1.6])


def synth(n, seed):
    rng = np.random.default_rng(seed)
    x0 = rng.standard_normal(n)
    x1 = rng.random(n)
    x2 = rng.standard_normal(n)
    x3 = rng.exponential(size=n)
    x4 = rng.standard_normal(n)
    x5 = rng.integers(0, 100, n).astype(float)
    x6 = rng.standard_normal(n)
    c = rng.integers(0, 8, n)
    z = 1.5 * np.sin(2 * x0) + 8 * (x1 - 0.5) ** 2 - 1 + EFFECT[c] + 0.5 * x3 * x0 + 0.02 * (x5 - 50)
    miss2 = rng.random(n) < 0.1
    z += np.where(miss2, 1.0, 0.8 * np.nan_to_num(x2))
    x2[miss2] = np.nan
    miss4 = rng.random(n) < 0.05
    z -= np.where(miss4, 0.0, 0.5 * np.abs(x4))
    x4[miss4] = np.nan
    y = (rng.random(n) < 1 / (1 + np.exp(-z))).astype(int)
    x = np.column_stack([x0, x1, x2, x3, x4, x5, x6, c.astype(float)])
    return x, y


def model():
    mask = np.array([False] * 7 + [True])
    return HistGradientBoostingClassifier(max_iter=100, max_depth=6, early_stopping=False,
                                          categorical_features=mask, random_state=0)


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    mode = sys.argv[2] if len(sys.argv) > 2 else "both"
    print(f"scikit-learn {sklearn.__version__}, numpy {np.__version__}")
    x, y = synth(n, 1)
    if mode in ("fit", "both"):
        m = model()
        t0 = time.perf_counter()
        m.fit(x, y)
        fit = time.perf_counter() - t0
        print(f"fit {n} rows, {m.n_iter_} trees: {fit:.2f} s")
    if mode == "fit":
        return

    small, small_y = synth(100_000, 2)
    m = model().fit(small, small_y)
    m.predict_proba(x[:1000])  # warm up
    t0 = time.perf_counter()
    m.predict_proba(x)
    pred = time.perf_counter() - t0
    print(f"predict_proba {n} rows, {m.n_iter_} trees: {pred:.2f} s, {n / pred:,.0f} rows/s")


if __name__ == "__main__":
    main()
