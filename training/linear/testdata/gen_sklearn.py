#!/usr/bin/python3
"""Builds the scikit-learn fixtures that training/linear's tests compare to.

Run from the repository root:

    /usr/bin/python3 training/linear/testdata/gen_sklearn.py

It writes training/linear/testdata/{binary,multiclass,regression,
regression_raw,churn}.json. Everything is seeded: a second run writes the
same bytes (given the same library versions, which each file records).

The preprocessing mirrors linear.Design, feature by feature in column
order: numeric columns SimpleImputer(strategy="mean") and, when the fixture
standardizes, StandardScaler; categorical columns OneHotEncoder over the
levels seen in training with handle_unknown="ignore", a missing value
being fed in as a string that is not a level, so that it too encodes as
all zeros.
"""

import json
import os
import sys

import numpy as np
import pandas as pd
import scipy
import sklearn
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LinearRegression, LogisticRegression, Ridge
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
MISSING = "\x00missing"  # fed to OneHotEncoder for a missing level

# The tight settings the Go tests match to 1e-4: at tol=1e-8 both
# optimizers stop at the optimum rather than somewhere near it.
LOGISTIC = dict(C=1.0, max_iter=1000, tol=1e-8)


def versions():
    return {
        "python": sys.version.split()[0],
        "sklearn": sklearn.__version__,
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "pandas": pd.__version__,
    }


def design(df, kinds, standardize):
    """A ColumnTransformer with one step per feature, in column order."""
    steps = []
    for name, kind in kinds:
        if kind == "numeric":
            parts = [SimpleImputer(strategy="mean")]
            if standardize:
                parts.append(StandardScaler())
            steps.append((name, make_pipeline(*parts), [name]))
        else:
            levels = sorted(v for v in df[name].unique() if v != MISSING)
            enc = OneHotEncoder(categories=[levels], handle_unknown="ignore", sparse_output=False)
            steps.append((name, enc, [name]))
    return ColumnTransformer(steps)


def column_names(ct, kinds):
    names = []
    for (name, kind), (_, step, _) in zip(kinds, ct.transformers_):
        if kind == "numeric":
            names.append(name)
        else:
            names.extend(f"{name}={lv}" for lv in step.categories_[0])
    return names


def frame_json(df, kinds):
    feats = []
    for name, kind in kinds:
        col = df[name]
        if kind == "numeric":
            vals = [None if np.isnan(v) else float(v) for v in col]
        else:
            vals = [None if v == MISSING else v for v in col]
        feats.append({"name": name, "kind": kind, "values": vals})
    return {"rows": len(df), "features": feats}


def rows(a):
    return [[float(v) for v in r] for r in np.asarray(a)]


def with_missing(rng, x, frac):
    x = x.copy()
    x[rng.random(len(x)) < frac] = np.nan
    return x


def cat_with_missing(rng, levels, n, frac, p=None):
    v = rng.choice(levels, size=n, p=p).astype(object)
    v[rng.random(n) < frac] = MISSING
    return v


def make_features(rng, n, kind):
    """Seeded synthetic features; returns (DataFrame, kinds, linear score parts)."""
    x1 = rng.normal(size=n)
    x2 = rng.uniform(-2, 3, size=n)
    x3 = rng.normal(5000, 1000, size=n)
    df = pd.DataFrame({
        "x1": x1,
        "x2": with_missing(rng, x2, 0.10),
        "x3": with_missing(rng, x3, 0.05),
    })
    kinds = [("x1", "numeric"), ("x2", "numeric"), ("x3", "numeric")]
    df["color"] = cat_with_missing(rng, ["blue", "green", "red", "yellow"], n, 0.08, p=[0.4, 0.3, 0.2, 0.1])
    kinds.append(("color", "categorical"))
    if kind == "binary":
        df["const"] = 3.0
        kinds.insert(3, ("const", "numeric"))
    if kind == "multiclass":
        df["size"] = cat_with_missing(rng, ["L", "M", "S", "XL"], n, 0.05)
        kinds.append(("size", "categorical"))
    color_effect = {"blue": 0.0, "green": 0.8, "red": -0.6, "yellow": 1.5, MISSING: 0.2}
    c = np.array([color_effect[v] for v in df["color"]])
    score = 1.2 * x1 - 0.7 * x2 + 0.9 * (x3 - 5000) / 1000 + c
    return df, kinds, score


def inject_unseen(df, kinds):
    """Puts an unseen level and missing values into test rows."""
    df = df.copy()
    for name, kind in kinds:
        if kind == "categorical":
            col = df[name].to_numpy(copy=True)
            col[0] = "purple-unseen"
            col[1] = MISSING
            df[name] = col
        elif name != "const":
            col = df[name].to_numpy(copy=True)
            col[2] = np.nan
            df[name] = col
    return df


def classification(name, kind, n_train, n_test, seed):
    rng = np.random.default_rng(seed)
    n = n_train + n_test
    df, kinds, score = make_features(rng, n, kind)
    if kind == "binary":
        p = 1 / (1 + np.exp(-(score - 0.3)))
        y = np.where(rng.random(n) < p, "yes", "no").astype(object)
    else:
        # Three classes from a noisy score plus the size level.
        size_effect = {"L": 0.5, "M": 0.0, "S": -0.5, "XL": 1.0, MISSING: 0.0}
        s = score + np.array([size_effect[v] for v in df["size"]]) + rng.logistic(size=n) * 0.8
        y = np.select([s < -0.5, s < 1.0], ["low", "mid"], "high").astype(object)
    train, test = df.iloc[:n_train].reset_index(drop=True), df.iloc[n_train:].reset_index(drop=True)
    test = inject_unseen(test, kinds)
    y_train = y[:n_train]
    ct = design(train, kinds, standardize=True)
    model = Pipeline([("design", ct), ("logistic", LogisticRegression(**LOGISTIC))])
    model.fit(train, y_train)
    lr = model.named_steps["logistic"]
    out = {
        "name": name,
        "versions": versions(),
        "standardize": True,
        "train": frame_json(train, kinds),
        "target": {"name": "y", "task": "classification", "values": list(y_train)},
        "test": frame_json(test, kinds),
        "design": {
            "columns": column_names(ct, kinds),
            "train": rows(ct.transform(train)),
            "test": rows(ct.transform(test)),
        },
        "models": [{
            "estimator": "logistic",
            **LOGISTIC,
            "classes": list(lr.classes_),
            "coef": rows(lr.coef_),
            "intercept": [float(v) for v in lr.intercept_],
            "n_iter": int(lr.n_iter_[0]),
            "proba": rows(model.predict_proba(test)),
            "predict": list(model.predict(test)),
        }],
    }
    return out


def regression(name, standardize, n_train, n_test, seed):
    rng = np.random.default_rng(seed)
    n = n_train + n_test
    df, kinds, score = make_features(rng, n, "regression")
    y = 3.0 + 2.0 * score + rng.normal(scale=0.5, size=n)
    train, test = df.iloc[:n_train].reset_index(drop=True), df.iloc[n_train:].reset_index(drop=True)
    test = inject_unseen(test, kinds)
    y_train = y[:n_train]
    ct = design(train, kinds, standardize=standardize)
    models = []
    for est, kw in [("ols", {}), ("ridge", {"alpha": 1.0}), ("ridge", {"alpha": 25.0})]:
        reg = LinearRegression() if est == "ols" else Ridge(**kw)
        model = Pipeline([("design", design(train, kinds, standardize)), ("reg", reg)])
        model.fit(train, y_train)
        r = model.named_steps["reg"]
        m = {
            "estimator": est,
            **kw,
            "coef": [float(v) for v in r.coef_],
            "intercept": float(r.intercept_),
            "predict": [float(v) for v in model.predict(test)],
        }
        if est == "ols":
            m["rank"] = int(r.rank_)
        models.append(m)
    ct.fit(train)
    return {
        "name": name,
        "versions": versions(),
        "standardize": standardize,
        "train": frame_json(train, kinds),
        "target": {"name": "y", "task": "regression", "values": [float(v) for v in y_train]},
        "test": frame_json(test, kinds),
        "design": {
            "columns": column_names(ct, kinds),
            "train": rows(ct.transform(train)),
            "test": rows(ct.transform(test)),
        },
        "models": models,
    }


def churn():
    """The Telco churn data: AUC of the standard pipeline on a seeded split."""
    rel = "examples/churn/Telco-Customer-Churn.csv"
    df = pd.read_csv(os.path.join(ROOT, rel), dtype=str, keep_default_na=False)
    target, drop = "Churn", ["customerID"]
    y = df[target].to_numpy()
    X = df.drop(columns=drop + [target])
    kinds = []
    for name in X.columns:
        col = X[name].str.strip()
        num = pd.to_numeric(col.where(col != ""), errors="coerce")
        # A column is numeric when every non-blank value parses as a number.
        if num.notna().sum() == (col != "").sum():
            X[name] = num.astype(float)
            kinds.append((name, "numeric"))
        else:
            X[name] = col.where(col != "", MISSING)
            kinds.append((name, "categorical"))
    idx = np.arange(len(df))
    seed, test_fraction = 0, 0.2
    train_idx, test_idx = train_test_split(idx, test_size=test_fraction, random_state=seed, stratify=y)
    train_idx, test_idx = np.sort(train_idx), np.sort(test_idx)
    ct = design(X.iloc[train_idx], kinds, standardize=True)
    # sklearn's defaults but max_iter: at 100 lbfgs stops short on this
    # ill-conditioned design (one-hot levels such as "No internet service"
    # repeat across six columns), and where it stops depends on the path.
    model = Pipeline([("design", ct), ("logistic", LogisticRegression(max_iter=1000))])
    model.fit(X.iloc[train_idx], y[train_idx])
    lr = model.named_steps["logistic"]
    proba = model.predict_proba(X.iloc[test_idx])[:, list(lr.classes_).index("Yes")]
    auc = roc_auc_score(y[test_idx] == "Yes", proba)
    return {
        "name": "churn",
        "versions": versions(),
        "csv": rel,
        "target": target,
        "positive": "Yes",
        "drop": drop,
        "numeric": [n for n, k in kinds if k == "numeric"],
        "categorical": [n for n, k in kinds if k == "categorical"],
        "split": {"function": "train_test_split", "test_size": test_fraction, "random_state": seed, "stratify": target},
        "test_index": [int(i) for i in test_idx],
        "logistic": {"C": lr.C, "max_iter": lr.max_iter, "tol": lr.tol, "n_iter": int(lr.n_iter_[0])},
        "design_width": int(lr.coef_.shape[1]),
        "auc": float(auc),
    }


def write(name, obj):
    path = os.path.join(HERE, name + ".json")
    with open(path, "w") as f:
        json.dump(obj, f, allow_nan=False, separators=(",", ":"))
        f.write("\n")
    print("wrote", os.path.relpath(path, ROOT))


def main():
    write("binary", classification("binary", "binary", 400, 60, seed=1))
    write("multiclass", classification("multiclass", "multiclass", 600, 60, seed=2))
    write("regression", regression("regression", True, 300, 40, seed=3))
    write("regression_raw", regression("regression_raw", False, 300, 40, seed=3))
    write("churn", churn())


if __name__ == "__main__":
    main()
