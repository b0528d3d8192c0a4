#!/usr/bin/env python3
"""An external trainer for assay: scikit-learn's logistic regression.

    assay train DATA --target Churn --trainer external --command 'python3 examples/external/sklearn_logistic.py'

assay calls it as `sklearn_logistic.py train DIR` and `sklearn_logistic.py
predict DIR` (the contract is in training/external/external.go): it reads
DIR/spec.json and DIR/train.csv (or DIR/input.csv), and writes DIR/model/
and DIR/metrics.json (or DIR/predictions.csv). It reads the CSV copy, so
that it needs only pandas and scikit-learn (Debian: python3-sklearn).

Parameters (--param NAME=VALUE): C (inverse regularisation, default 1.0),
max_iter (default 1000).
"""

import json
import os
import pickle
import sys

import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler


def read(path, spec):
    # Categorical features keep their level names as text; numbers stay numbers.
    cats = [f["name"] for f in spec["features"] if f["kind"] == "categorical"]
    dtypes = {c: str for c in cats + [spec["target"]]}
    return pd.read_csv(path, dtype=dtypes, keep_default_na=False, na_values=[""]), cats


def train(d, spec):
    df, cats = read(os.path.join(d, "train.csv"), spec)
    nums = [f["name"] for f in spec["features"] if f["kind"] == "numeric"]
    pre = ColumnTransformer([
        ("num", make_pipeline(SimpleImputer(strategy="mean"), StandardScaler()), nums),
        ("cat", make_pipeline(SimpleImputer(strategy="constant", fill_value="(missing)"),
                              OneHotEncoder(handle_unknown="ignore")), cats),
    ])
    p = spec.get("params") or {}
    model = make_pipeline(pre, LogisticRegression(C=float(p.get("C", 1.0)), max_iter=int(p.get("max_iter", 1000))))
    X, y = df[nums + cats], df[spec["target"]]
    model.fit(X, y)
    os.makedirs(os.path.join(d, "model"), exist_ok=True)
    with open(os.path.join(d, "model", "model.pkl"), "wb") as f:
        pickle.dump({"model": model, "columns": nums + cats}, f)
    with open(os.path.join(d, "metrics.json"), "w") as f:
        json.dump({"accuracy": float(model.score(X, y))}, f)


def predict(d, spec):
    df, _ = read(os.path.join(d, "input.csv"), spec)
    with open(os.path.join(d, "model", "model.pkl"), "rb") as f:
        saved = pickle.load(f)
    model = saved["model"]
    proba = model.predict_proba(df[saved["columns"]])
    out = pd.DataFrame(proba, columns=[str(c) for c in model.classes_])
    out.to_csv(os.path.join(d, "predictions.csv"), index=False)


if __name__ == "__main__":
    mode, d = sys.argv[1], sys.argv[2]
    with open(os.path.join(d, "spec.json")) as f:
        spec = json.load(f)
    if spec["task"] != "classification":
        sys.exit("sklearn_logistic.py: classification only")
    {"train": train, "predict": predict}[mode](d, spec)
