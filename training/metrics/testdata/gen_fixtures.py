#!/usr/bin/env python3
"""Generate fixtures.json: metric cases with the values scikit-learn gives.

Run from the repository root:

    /usr/bin/python3 training/metrics/testdata/gen_fixtures.py

The output is deterministic for a given Python, NumPy, SciPy and
scikit-learn; the versions used are recorded in the file ("versions") and
the script refuses to run with a scikit-learn other than 1.2.1, the
version the Go package matches. Floats are written with repr precision
(shortest round-trip form); NaN and the infinities, which JSON has no
numbers for, are written as the strings "NaN", "Infinity", "-Infinity".

Every expected value is computed by scikit-learn, called the way a user
would call it:

  accuracy          accuracy_score(y, pred)
  confusion         confusion_matrix(y, pred, labels=range(k))
  scores[avg]       precision_recall_fscore_support(y, pred, average=avg)
                    for avg in binary (k == 2 only), macro, weighted, micro
                    (zero_division="warn": undefined ratios are 0)
  roc_auc           k == 2: roc_auc_score(y, prob[:, 1])
                    k > 2:  roc_auc_score(y, prob, multi_class="ovr",
                            average="macro", labels=range(k))
                    when scikit-learn raises, roc_auc is NaN and
                    roc_auc_error holds its message
  pr_auc_sklearn    k == 2: average_precision_score(y, prob[:, 1])
                    k > 2:  average_precision_score(
                            label_binarize(y, classes=range(k)), prob,
                            average="macro")
  pr_auc            pr_auc_sklearn when every class occurs in y, else NaN
                    (the Go package's documented deviation: scikit-learn
                    scores a class with no rows as 0, or 1 for a binary y
                    with only positives)
  log_loss          log_loss(y, prob, labels=range(k)) (eps="auto")
  curves[c]         roc_curve(y == c, prob[:, c]) (drop_intermediate=True),
                    for c = 1 when k == 2, for every class otherwise
  rmse, mae, r2     mean_squared_error(squared=False),
                    mean_absolute_error, r2_score
"""

import json
import math
import platform
import sys
import warnings

import numpy as np
import scipy
import sklearn
from sklearn import metrics as M
from sklearn.preprocessing import label_binarize

SEED = 20230125
OUT = __file__.rsplit("/", 1)[0] + "/fixtures.json" if "/" in __file__ else "fixtures.json"

if sklearn.__version__ != "1.2.1":
    sys.exit(f"gen_fixtures: scikit-learn {sklearn.__version__}, want 1.2.1")

warnings.simplefilter("ignore")  # UndefinedMetricWarning and friends
rng = np.random.default_rng(SEED)
NAN = float("nan")


def num(x):
    """A float as JSON holds it: repr precision, non-finite as strings."""
    x = float(x)
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return x


def nums(xs):
    return [num(x) for x in np.asarray(xs, dtype=np.float64).ravel()]


# ---- classification ---------------------------------------------------------


def classify_expect(y, prob, curves):
    """Every classification metric of y (codes) and prob (n x k)."""
    n, k = prob.shape
    labels = list(range(k))
    pred = prob.argmax(axis=1)
    want = {
        "accuracy": num(M.accuracy_score(y, pred)),
        "confusion": M.confusion_matrix(y, pred, labels=labels).tolist(),
        "scores": {},
    }
    for avg in (["binary"] if k == 2 else []) + ["macro", "weighted", "micro"]:
        p, r, f, _ = M.precision_recall_fscore_support(y, pred, average=avg)
        want["scores"][avg] = {"precision": num(p), "recall": num(r), "f1": num(f)}
    try:
        if k == 2:
            auc = M.roc_auc_score(y, prob[:, 1])
        else:
            auc = M.roc_auc_score(y, prob, multi_class="ovr", average="macro", labels=labels)
        want["roc_auc"] = num(auc)
    except ValueError as e:
        want["roc_auc"] = "NaN"
        want["roc_auc_error"] = str(e)
    if k == 2:
        ap = M.average_precision_score(y, prob[:, 1])
    else:
        ap = M.average_precision_score(label_binarize(y, classes=labels), prob, average="macro")
    want["pr_auc_sklearn"] = num(ap)
    every = len(np.unique(y)) == k
    want["pr_auc"] = num(ap) if every else "NaN"
    want["log_loss"] = num(M.log_loss(y, prob, labels=labels))
    if curves:
        want["curves"] = {}
        for c in [1] if k == 2 else labels:
            fpr, tpr, thr = M.roc_curve(y == c, prob[:, c])
            want["curves"][str(c)] = {"fpr": nums(fpr), "tpr": nums(tpr), "thresholds": nums(thr)}
    return want


def classification_case(name, y, prob, curves=True):
    y = np.asarray(y, dtype=np.int64)
    prob = np.asarray(prob, dtype=np.float64)
    assert prob.ndim == 2 and prob.shape[0] == len(y)
    return {
        "name": name,
        "k": prob.shape[1],
        "y": y.tolist(),
        "prob": nums(prob),
        "want": classify_expect(y, prob, curves),
    }


def binary_prob(p1):
    p1 = np.asarray(p1, dtype=np.float64)
    return np.column_stack([1 - p1, p1])


def noisy_binary(n, prevalence, signal):
    y = (rng.random(n) < prevalence).astype(np.int64)
    z = signal * (2 * y - 1) + rng.normal(size=n)
    return y, 1 / (1 + np.exp(-z))


def dirichlet_rows(y, k, signal):
    """Probabilities leaning towards the true class by signal."""
    out = np.empty((len(y), k))
    for i, c in enumerate(y):
        a = np.ones(k)
        a[c] += signal
        out[i] = rng.dirichlet(a)
    return out


def quantised_rows(y, k, signal, trials):
    """Probabilities that are multiples of 1/trials: many ties."""
    out = np.empty((len(y), k))
    for i, c in enumerate(y):
        a = np.ones(k)
        a[c] += signal
        out[i] = rng.multinomial(trials, rng.dirichlet(a)) / trials
    return out


def classification_cases():
    cases = []

    # Binary.
    cases.append(classification_case("binary/n1", [1], binary_prob([0.7])))
    cases.append(classification_case("binary/n2", [0, 1], binary_prob([0.4, 0.6])))
    cases.append(classification_case("binary/n3-inverted-tie", [1, 0, 1], binary_prob([0.5, 0.5, 0.2])))
    y, s = noisy_binary(200, 0.35, 1.0)
    cases.append(classification_case("binary/random-200", y, binary_prob(s)))
    y, s = noisy_binary(500, 0.5, 0.8)
    cases.append(classification_case("binary/ties-500", y, binary_prob(np.round(s, 1))))
    y = (rng.random(50) < 0.4).astype(np.int64)
    cases.append(classification_case("binary/all-same-score", y, binary_prob(np.full(50, 0.5))))
    cases.append(classification_case("binary/argmax-tie-0.5", [0, 1, 1, 0], binary_prob([0.5, 0.5, 0.9, 0.1])))
    y = np.array([0] * 60 + [1] * 40)
    s = np.where(y == 1, rng.uniform(0.6, 1, 100), rng.uniform(0, 0.4, 100))
    cases.append(classification_case("binary/separated", y, binary_prob(s)))
    cases.append(classification_case("binary/inverted", y, binary_prob(1 - s)))
    y, s = noisy_binary(100, 0.5, 1.5)
    s[::7] = 0.0
    s[3::7] = 1.0
    cases.append(classification_case("binary/zeros-and-ones", y, binary_prob(s)))
    cases.append(classification_case("binary/certain-and-right", [0, 1, 1], binary_prob([0.0, 1.0, 1.0])))
    cases.append(classification_case("binary/certain-and-wrong", [0, 1], binary_prob([1.0, 0.0])))
    cases.append(classification_case("binary/only-negatives", np.zeros(30, dtype=np.int64), binary_prob(rng.random(30))))
    cases.append(classification_case("binary/only-positives", np.ones(30, dtype=np.int64), binary_prob(rng.random(30))))
    cases.append(
        classification_case("binary/never-predicts-positive", [0, 1, 0, 1, 0], binary_prob([0.1, 0.2, 0.3, 0.4, 0.05]))
    )
    # Rows that do not sum to 1: the binary metrics read column 1 only,
    # log loss renormalises.
    y, s = noisy_binary(80, 0.5, 1.0)
    cases.append(classification_case("binary/unnormalised", y, np.column_stack([0.5 * (1 - s), s])))
    y, s = noisy_binary(10000, 0.2, 1.0)
    cases.append(classification_case("binary/quantised-10000", y, binary_prob(np.round(s, 3))))
    y, s = noisy_binary(10000, 0.3, 0.7)
    cases.append(classification_case("binary/random-10000", y, binary_prob(s), curves=False))

    # Three classes.
    y = rng.integers(0, 3, 300)
    cases.append(classification_case("3class/random-300", y, dirichlet_rows(y, 3, 2.0)))
    y = rng.integers(0, 3, 400)
    cases.append(classification_case("3class/ties-400", y, quantised_rows(y, 3, 1.5, 10)))
    y = rng.integers(0, 3, 120)
    cases.append(classification_case("3class/uniform-scores", y, np.full((120, 3), 1 / 3)))
    y = rng.integers(0, 2, 150)  # class 2 never occurs in y
    cases.append(classification_case("3class/class-2-absent-from-y", y, dirichlet_rows(y, 3, 1.0)))
    y = rng.integers(0, 2, 150)
    p = dirichlet_rows(y, 3, 3.0)
    p[:, 2] = 0
    p = p / p.sum(axis=1, keepdims=True)  # class 2 neither true nor predicted
    cases.append(classification_case("3class/class-2-never-seen", y, p))
    y = rng.integers(0, 3, 90)
    cases.append(classification_case("3class/one-hot-predictions", y, np.eye(3)[np.where(rng.random(90) < 0.7, y, (y + 1) % 3)]))
    y = rng.integers(0, 3, 100)
    cases.append(classification_case("3class/unnormalised", y, 0.9 * dirichlet_rows(y, 3, 2.0)))
    cases.append(classification_case("3class/n1", [2], [[0.2, 0.3, 0.5]]))
    cases.append(classification_case("3class/only-class-1", np.ones(20, dtype=np.int64), dirichlet_rows(np.ones(20, dtype=np.int64), 3, 1.0)))

    # Five and ten classes (ten: NumPy sums rows of eight or more values
    # pairwise, not left to right).
    y = rng.integers(0, 5, 2000)
    cases.append(classification_case("5class/random-2000", y, dirichlet_rows(y, 5, 1.5), curves=False))
    y = rng.integers(0, 5, 10000)
    cases.append(classification_case("5class/quantised-10000", y, quantised_rows(y, 5, 1.0, 1000), curves=False))
    y = np.repeat(np.arange(5), 20)
    cases.append(classification_case("5class/separated", y, np.eye(5)[y] * 0.75 + 0.05))
    y = rng.integers(0, 10, 500)
    cases.append(classification_case("10class/random-500", y, dirichlet_rows(y, 10, 2.0)))
    return cases


# ---- regression -------------------------------------------------------------


def regress_expect(y, pred):
    return {
        "rmse": num(M.mean_squared_error(y, pred, squared=False)),
        "mae": num(M.mean_absolute_error(y, pred)),
        "r2": num(M.r2_score(y, pred)),
    }


def regression_case(name, y, pred):
    y = np.asarray(y, dtype=np.float64)
    pred = np.asarray(pred, dtype=np.float64)
    return {"name": name, "y": nums(y), "pred": nums(pred), "want": regress_expect(y, pred)}


def regression_cases():
    cases = []
    cases.append(regression_case("n1", [3.0], [2.5]))
    cases.append(regression_case("n2", [1.0, 2.0], [1.5, 1.5]))
    y = rng.normal(10, 3, 1000)
    cases.append(regression_case("random-1000", y, y + rng.normal(0, 1, 1000)))
    cases.append(regression_case("constant-y-perfect", np.full(50, 4.2), np.full(50, 4.2)))
    cases.append(regression_case("constant-y-imperfect", np.full(50, 4.2), np.full(50, 4.2) + rng.normal(0, 0.1, 50)))
    # 4.2 is not a binary fraction: the mean of fifty 4.2s is not 4.2, so
    # the denominator is tiny but not zero and R² a huge negative number.
    cases.append(regression_case("constant-y-exact-imperfect", np.full(50, 4.0), np.full(50, 4.0) + rng.normal(0, 0.1, 50)))
    y = rng.normal(0, 1, 200)
    cases.append(regression_case("perfect", y, y.copy()))
    cases.append(regression_case("worse-than-mean", y, -y))
    y = 1e6 + rng.normal(0, 1, 10000)
    cases.append(regression_case("offset-10000", y, y + rng.normal(0, 0.5, 10000)))
    y = rng.exponential(5, 9000)
    cases.append(regression_case("skewed-9000", y, y * rng.uniform(0.5, 1.5, 9000)))
    cases.append(regression_case("tiny", rng.normal(0, 1e-200, 30), rng.normal(0, 1e-200, 30)))
    return cases


# ---- groups -----------------------------------------------------------------


def group_column(name, levels, codes):
    return {"column": name, "levels": list(levels), "codes": [int(c) for c in codes]}


def group_expect(columns, expect):
    """Metrics per (column, level), sorted by column then level."""
    out = []
    for col in sorted(columns, key=lambda c: c["column"].encode()):
        codes = np.asarray(col["codes"])
        for li in sorted(range(len(col["levels"])), key=lambda i: col["levels"][i].encode()):
            rows = np.flatnonzero(codes == li)
            if len(rows) == 0:
                continue
            out.append({"column": col["column"], "level": col["levels"][li], "n": len(rows), "want": expect(rows)})
    return out


def spread_expect(groups, column, metric, pick):
    vals = [(g["level"], pick(g["want"])) for g in groups if g["column"] == column]
    defined = [(lv, v) for lv, v in vals if v != "NaN"]
    lo = min(defined, key=lambda t: t[1])
    hi = max(defined, key=lambda t: t[1])
    return {
        "column": column,
        "metric": metric,
        "levels": len(defined),
        "min": lo[1],
        "min_level": lo[0],
        "max": hi[1],
        "max_level": hi[0],
        "gap": num(hi[1] - lo[1]),
        "undefined": [lv for lv, v in vals if v == "NaN"],
    }


def group_cases():
    cases = []

    # Binary classification by gender and by age band; "X" has one row,
    # age band "65+" only negatives, some rows miss their age band.
    n = 600
    y, s = noisy_binary(n, 0.4, 1.0)
    gender = rng.choice([0, 1], n)
    gender[17] = 2
    age = rng.choice([0, 1, 2], n, p=[0.3, 0.4, 0.3])
    age[rng.random(n) < 0.05] = -1
    old = rng.choice(np.flatnonzero(age != -1), 25, replace=False)
    age[old] = 3
    y[old] = 0
    prob = binary_prob(s)
    cols = [
        group_column("gender", ["M", "F", "X"], gender),  # levels deliberately unsorted
        group_column("age_band", ["18-30", "31-50", "51-64", "65+"], age),
    ]
    groups = group_expect(cols, lambda r: classify_expect(y[r], prob[r], False))
    pick = {"accuracy": lambda w: w["accuracy"], "roc_auc": lambda w: w["roc_auc"]}
    cases.append(
        {
            "name": "binary-by-gender-and-age",
            "task": "classification",
            "k": 2,
            "y": y.tolist(),
            "prob": nums(prob),
            "columns": cols,
            "groups": groups,
            "spreads": [spread_expect(groups, c["column"], m, pick[m]) for c in cols for m in pick],
        }
    )

    # Three classes by region.
    n = 400
    y = rng.integers(0, 3, n)
    prob = dirichlet_rows(y, 3, 2.0)
    region = rng.choice([0, 1, 2, 3], n)
    cols = [group_column("region", ["north", "south", "east", "west"], region)]
    groups = group_expect(cols, lambda r: classify_expect(y[r], prob[r], False))
    cases.append(
        {
            "name": "3class-by-region",
            "task": "classification",
            "k": 3,
            "y": y.tolist(),
            "prob": nums(prob),
            "columns": cols,
            "groups": groups,
            "spreads": [spread_expect(groups, "region", "accuracy", lambda w: w["accuracy"])],
        }
    )

    # Regression by store; one store has one row (R² undefined), one a
    # constant target.
    n = 500
    yr = rng.normal(100, 20, n)
    pr = yr + rng.normal(0, 8, n)
    store = rng.choice([0, 1, 2], n)
    store[5] = 3
    const = np.flatnonzero(store == 2)[:40]
    store[store == 2] = 0
    store[const] = 2
    yr[const] = 50.0
    cols = [group_column("store", ["a", "b", "c", "d"], store)]
    groups = group_expect(cols, lambda r: regress_expect(yr[r], pr[r]))
    cases.append(
        {
            "name": "regression-by-store",
            "task": "regression",
            "y": nums(yr),
            "pred": nums(pr),
            "columns": cols,
            "groups": groups,
            "spreads": [
                spread_expect(groups, "store", "rmse", lambda w: w["rmse"]),
                spread_expect(groups, "store", "r2", lambda w: w["r2"]),
            ],
        }
    )
    return cases


def main():
    doc = {
        "generator": "training/metrics/testdata/gen_fixtures.py",
        "seed": SEED,
        "versions": {
            "python": platform.python_version(),
            "numpy": np.__version__,
            "scipy": scipy.__version__,
            "sklearn": sklearn.__version__,
        },
        "classification": classification_cases(),
        "regression": regression_cases(),
        "groups": group_cases(),
    }
    with open(OUT, "w") as f:
        json.dump(doc, f, allow_nan=False, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
