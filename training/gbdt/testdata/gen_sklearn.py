#!/usr/bin/env python3
"""Reference results of scikit-learn's histogram GBDT on the Telco churn table.

Run from this directory (training/gbdt/testdata):

    /usr/bin/python3 gen_sklearn.py

It reads ../../../examples/churn/Telco-Customer-Churn.csv, encodes it the way
the Go test helper does (customerID dropped; TotalCharges blank -> NaN; every
string column -> ordinal codes over its sorted levels, declared categorical;
SeniorCitizen, tenure, MonthlyCharges, TotalCharges numeric), makes a seeded
80/20 split stratified on Churn and writes:

  churn_split.json    the train and test row indices (0-based data rows), so
                      that Go trains and scores on the same rows;
  sklearn_churn.json  test ROC AUC of HistGradientBoostingClassifier (default
                      params, random_state=0) predicting Churn, test R^2 of
                      HistGradientBoostingRegressor (default params,
                      random_state=0) predicting tenure from the other
                      columns except TotalCharges (which is about tenure x
                      MonthlyCharges), fit times, versions, and the test
                      predictions of both models.
"""
import csv
import json
import os
import platform
import time

import numpy as np
import sklearn
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
from sklearn.metrics import r2_score, roc_auc_score
from sklearn.model_selection import train_test_split

HERE = os.path.dirname(os.path.abspath(__file__))
CSV = os.path.join(HERE, "..", "..", "..", "examples", "churn", "Telco-Customer-Churn.csv")
NUMERIC = {"SeniorCitizen", "tenure", "MonthlyCharges", "TotalCharges"}


def load():
    with open(CSV, newline="") as f:
        rows = list(csv.reader(f))
    header, rows = rows[0], rows[1:]
    cols = {}
    for j, name in enumerate(header):
        if name == "customerID":
            continue
        raw = [r[j] for r in rows]
        if name in NUMERIC:
            cols[name] = (False, np.array([float(v) if v.strip() else np.nan for v in raw]))
        else:
            levels = sorted(set(raw))
            code = {v: i for i, v in enumerate(levels)}
            cols[name] = (True, np.array([code[v] for v in raw], dtype=float))
    return header, cols


def matrix(cols, names):
    x = np.column_stack([cols[n][1] for n in names])
    mask = np.array([cols[n][0] for n in names])
    return x, mask


def main():
    header, cols = load()
    y = cols["Churn"][1].astype(int)  # levels No < Yes
    idx = np.arange(len(y))
    train, test = train_test_split(idx, test_size=0.2, stratify=y, random_state=0)

    names = [n for n in header if n not in ("customerID", "Churn")]
    x, mask = matrix(cols, names)
    clf = HistGradientBoostingClassifier(categorical_features=mask, random_state=0)
    t0 = time.perf_counter()
    clf.fit(x[train], y[train])
    clf_time = time.perf_counter() - t0
    proba = clf.predict_proba(x[test])[:, 1]
    auc = roc_auc_score(y[test], proba)

    rnames = [n for n in header if n not in ("customerID", "tenure", "TotalCharges")]
    rx, rmask = matrix(cols, rnames)
    ry = cols["tenure"][1]
    reg = HistGradientBoostingRegressor(categorical_features=rmask, random_state=0)
    t0 = time.perf_counter()
    reg.fit(rx[train], ry[train])
    reg_time = time.perf_counter() - t0
    pred = reg.predict(rx[test])
    r2 = r2_score(ry[test], pred)

    with open(os.path.join(HERE, "churn_split.json"), "w") as f:
        json.dump({"seed": 0, "stratify": "Churn", "test_size": 0.2,
                   "train": train.tolist(), "test": test.tolist()}, f)
        f.write("\n")
    out = {
        "sklearn": sklearn.__version__,
        "numpy": np.__version__,
        "python": platform.python_version(),
        "classifier": {
            "target": "Churn",
            "positive": "Yes",
            "features": names,
            "n_iter": int(clf.n_iter_),
            "test_roc_auc": auc,
            "fit_seconds": clf_time,
            "test_proba": [round(float(p), 8) for p in proba],
        },
        "regressor": {
            "target": "tenure",
            "features": rnames,
            "n_iter": int(reg.n_iter_),
            "test_r2": r2,
            "fit_seconds": reg_time,
            "test_pred": [round(float(p), 8) for p in pred],
        },
    }
    with open(os.path.join(HERE, "sklearn_churn.json"), "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print(f"classifier: test ROC AUC {auc:.5f}, fit {clf_time:.3f} s, {clf.n_iter_} iterations")
    print(f"regressor:  test R^2 {r2:.5f}, fit {reg_time:.3f} s, {reg.n_iter_} iterations")


if __name__ == "__main__":
    main()
