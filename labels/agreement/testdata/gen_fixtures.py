#!/usr/bin/python3
"""Reference results for package labels/agreement.

Run from the repository root with Debian's Python and packages
(apt-get install -y python3-sklearn python3-statsmodels python3-nltk):

    /usr/bin/python3 labels/agreement/testdata/gen_fixtures.py > labels/agreement/testdata/fixtures.json

Each case is a wide items x annotators table of class codes 0..k-1, -1 where
the annotator did not label the item. For every case the script records
what the Go package must return, taken from the reference implementations:

  - cohen: sklearn.metrics.cohen_kappa_score(y1, y2) for each annotator
    pair, on the items both labelled (unweighted).
  - fleiss: statsmodels.stats.inter_rater.fleiss_kappa(aggregate_raters(rows)[0],
    method='fleiss') on the items labelled by every annotator.
  - alpha: nltk.metrics.agreement.AnnotationTask(triples).alpha() (binary
    distance), checked against Krippendorff's coincidence-matrix formula
    computed here, and Krippendorff's own example (alpha = 0.743).
  - vote, annotators: majority vote and leave-one-out agreement, written
    here from the rules documented in the Go package (no library has them).
  - dawid_skene: a NumPy implementation written from equations 2.3-2.5 of
    Dawid & Skene (1979), with the start, stopping rule and options
    documented in the Go package.

Where a reference gives no number (nan, an exception, or nltk's 1 for a
single category) the expected value is null with a reason, and the
reference's own answer is kept next to it ("sklearn", "statsmodels",
"nltk") for the record.
"""

import collections
import json
import math
import sys
import warnings

import nltk
import numpy as np
import sklearn
import statsmodels
from nltk.metrics.agreement import AnnotationTask
from sklearn.metrics import cohen_kappa_score, confusion_matrix
from statsmodels.stats.inter_rater import aggregate_raters, fleiss_kappa

warnings.simplefilter("ignore", RuntimeWarning)

MASK = (1 << 64) - 1


class SplitMix64:
    """splitmix64, the generator the Go tests use."""

    def __init__(self, seed):
        self.state = seed & MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def float(self):
        return (self.next() >> 11) / float(1 << 53)

    def intn(self, n):
        return self.next() % n


def num(x):
    """A float for JSON: None for nan."""
    x = float(x)
    return None if math.isnan(x) else x


def outcome(fn):
    """Run a reference call; return its value or the exception's text."""
    try:
        v = fn()
    except Exception as e:  # noqa: BLE001 - recording the reference's answer
        return "error: %s: %s" % (type(e).__name__, e)
    v = float(v)
    return "nan" if math.isnan(v) else v


# ---- cases -----------------------------------------------------------------


def case_perfect():
    return 8, 3, 3, [[i % 3] * 3 for i in range(8)]


def case_disagreement():
    return 9, 3, 3, [[i % 3, (i + 1) % 3, (i + 2) % 3] for i in range(9)]


def case_single_category():
    return 6, 3, 2, [[1, 1, 1] for _ in range(6)]


def case_krippendorff():
    # Krippendorff, "Computing Krippendorff's Alpha-Reliability" (2011),
    # section C: nominal data, 4 observers, 12 units, missing values.
    # Values 1..5 become codes 0..4. Nominal alpha = 0.743.
    N = None
    obs = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
        [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
    ]
    rows = [[-1 if obs[a][u] is None else obs[a][u] - 1 for a in range(4)] for u in range(12)]
    return 12, 4, 5, rows


def case_missing_unequal():
    rng = SplitMix64(7)
    rows = []
    for i in range(30):
        truth = rng.intn(4)
        row = []
        for a in range(5):
            if rng.float() < 0.35:
                row.append(-1)
            elif rng.float() < 0.7:
                row.append(truth)
            else:
                row.append(rng.intn(4))
        rows.append(row)
    rows[0] = [-1] * 5  # nobody labelled it
    rows[1] = [-1, 2, -1, -1, -1]  # one label: not a pairable unit
    return 30, 5, 4, rows


def case_complete_random():
    rng = SplitMix64(11)
    rows = []
    for i in range(40):
        truth = rng.intn(3)
        rows.append([truth if rng.float() < 0.6 else rng.intn(3) for a in range(4)])
    return 40, 4, 3, rows


def case_ties():
    rows = [
        [0, 0, 1, 1],
        [2, 2, 1, 1],
        [0, 1, 2, -1],
        [0, 0, 1, -1],
        [2, -1, -1, 1],
        [1, 1, 2, 2],
        [-1, -1, -1, 2],
        [0, 2, -1, -1],
    ]
    return 8, 4, 3, rows


def case_no_overlap():
    return 6, 2, 2, [[0, -1], [1, -1], [0, -1], [-1, 1], [-1, 0], [-1, 1]]


def case_one_annotator():
    return 5, 1, 3, [[0], [1], [2], [1], [-1]]


def case_pairable_single_value():
    # The only pairable unit uses one value; another value occurs alone.
    # nltk divides by zero here.
    return 3, 2, 2, [[0, 0], [1, -1], [-1, 1]]


def case_wikipedia_cohen():
    # Wikipedia's Cohen's kappa example: 20 yes/yes, 5 yes/no, 10 no/yes,
    # 15 no/no (yes = 0): kappa 0.4.
    rows = [[0, 0]] * 20 + [[0, 1]] * 5 + [[1, 0]] * 10 + [[1, 1]] * 15
    return 50, 2, 2, [list(r) for r in rows]


def case_wikipedia_fleiss():
    # Wikipedia's Fleiss' kappa example: 10 subjects, 14 raters, 5
    # categories (kappa 0.210); raters take each subject's labels in
    # category order.
    table = [
        [0, 0, 0, 0, 14],
        [0, 2, 6, 4, 2],
        [0, 0, 3, 5, 6],
        [0, 3, 9, 2, 0],
        [2, 2, 8, 1, 1],
        [7, 7, 0, 0, 0],
        [3, 2, 6, 3, 0],
        [2, 5, 3, 2, 2],
        [6, 5, 2, 1, 0],
        [0, 2, 2, 3, 7],
    ]
    rows = [[c for c, k in enumerate(t) for _ in range(k)] for t in table]
    return 10, 14, 5, rows


def case_adversarial():
    # Three fair annotators, one who mostly shifts the class by one, one who
    # answers at random; some labels missing.
    rng = SplitMix64(2024)
    prior = [0.5, 0.3, 0.2]
    rows = []
    for i in range(80):
        u, truth = rng.float(), 0
        while truth < 2 and u >= prior[truth]:
            u -= prior[truth]
            truth += 1
        row = []
        for a in range(5):
            if rng.float() < 0.15:
                row.append(-1)
            elif a < 3:
                row.append(truth if rng.float() < 0.75 else rng.intn(3))
            elif a == 3:
                row.append((truth + 1) % 3 if rng.float() < 0.85 else truth)
            else:
                row.append(rng.intn(3))
        rows.append(row)
    return 80, 5, 3, rows


CASES = [
    ("perfect", case_perfect),
    ("disagreement", case_disagreement),
    ("single-category", case_single_category),
    ("krippendorff-2011", case_krippendorff),
    ("missing-unequal", case_missing_unequal),
    ("complete-random", case_complete_random),
    ("ties", case_ties),
    ("no-overlap", case_no_overlap),
    ("one-annotator", case_one_annotator),
    ("pairable-single-value", case_pairable_single_value),
    ("wikipedia-cohen", case_wikipedia_cohen),
    ("wikipedia-fleiss", case_wikipedia_fleiss),
    ("adversarial", case_adversarial),
]

# ---- references ------------------------------------------------------------


def cohen(X):
    out = []
    A = X.shape[1]
    for a in range(A):
        for b in range(a + 1, A):
            m = (X[:, a] >= 0) & (X[:, b] >= 0)
            y1, y2 = X[m, a], X[m, b]
            n = int(m.sum())
            ref = outcome(lambda: cohen_kappa_score(y1, y2))
            rec = {"a": a, "b": b, "n": n, "sklearn": ref}
            if n == 0:
                rec.update(kappa=None, observed=None, expected=None, reason="no-items")
            else:
                cm = confusion_matrix(y1, y2)
                rec["observed"] = float(np.trace(cm)) / n
                rec["expected"] = float((cm.sum(0) * cm.sum(1)).sum()) / (n * n)
                if ref == "nan":
                    rec.update(kappa=None, reason="no-variation")
                else:
                    rec.update(kappa=ref, reason="")
            out.append(rec)
    return out


def fleiss(X):
    A = X.shape[1]
    full = X[(X >= 0).all(axis=1)] if A > 0 else X[:0]
    n = int(full.shape[0])
    ref = outcome(lambda: fleiss_kappa(aggregate_raters(full)[0], method="fleiss"))
    rec = {"n": n, "statsmodels": ref}
    if A < 2:
        rec.update(kappa=None, observed=None, expected=None, reason="too-few-annotators")
    elif n == 0:
        rec.update(kappa=None, observed=None, expected=None, reason="no-items")
    else:
        # statsmodels' own intermediate values (inter_rater.py, fleiss_kappa)
        table = 1.0 * aggregate_raters(full)[0]
        p_cat = table.sum(0) / table.sum()
        p_rat = ((table * table).sum(1) - A) / (A * (A - 1.0))
        rec["observed"] = float(p_rat.mean())
        rec["expected"] = float((p_cat * p_cat).sum())
        if ref == "nan":
            rec.update(kappa=None, reason="no-variation")
        else:
            rec.update(kappa=ref, reason="")
    return rec


def krippendorff_direct(X):
    """Nominal alpha from the coincidence matrix (Krippendorff 2011)."""
    K = int(X.max()) + 1 if X.size and X.max() >= 0 else 1
    o = np.zeros((K, K))
    units = 0
    for row in X:
        vals = [int(v) for v in row if v >= 0]
        m = len(vals)
        if m < 2:
            continue
        units += 1
        for i in range(m):
            for j in range(m):
                if i != j:
                    o[vals[i], vals[j]] += 1.0 / (m - 1)
    nc = o.sum(1)
    n = nc.sum()
    if n == 0:
        return units, 0, None, None, None
    do = (o.sum() - np.trace(o)) / n
    de = (n * n - (nc * nc).sum()) / (n * (n - 1))
    if de == 0:
        return units, int(round(n)), None, do, de
    return units, int(round(n)), 1 - do / de, do, de


def alpha(X):
    triples = [(a, i, int(X[i, a])) for i in range(X.shape[0]) for a in range(X.shape[1]) if X[i, a] >= 0]
    ref = outcome(lambda: AnnotationTask(triples).alpha())
    units, n, direct, do, de = krippendorff_direct(X)
    rec = {"units": units, "pairable": n, "nltk": ref, "observed": num(do) if do is not None else None,
           "expected": num(de) if de is not None else None}
    if n == 0:
        rec.update(alpha=None, reason="no-items")
    elif direct is None:
        rec.update(alpha=None, reason="no-variation")
    else:
        # nltk must agree with the formula wherever both are numbers
        # (this is the check that nltk handles missing labels).
        assert isinstance(ref, float) and abs(ref - direct) < 1e-12, (ref, direct)
        rec.update(alpha=ref, reason="")
    return rec


def tie_key(counts):
    return lambda c: (-counts[c], c)


def vote(X, K):
    counts = collections.Counter(int(v) for v in X.ravel() if v >= 0)
    counts = [counts.get(c, 0) for c in range(K)]
    labels, share, tied = [], [], []
    for row in X:
        votes = collections.Counter(int(v) for v in row if v >= 0)
        if not votes:
            labels.append(-1)
            share.append(0.0)
            tied.append(False)
            continue
        top = max(votes.values())
        winners = sorted((c for c, v in votes.items() if v == top), key=tie_key(counts))
        labels.append(winners[0])
        share.append(top / sum(votes.values()))
        tied.append(len(winners) > 1)
    return {"labels": labels, "share": share, "tied": tied, "counts": counts}


def annotators(X, K):
    out = []
    for a in range(X.shape[1]):
        others = np.delete(X, a, axis=1)
        counts = collections.Counter(int(v) for v in others.ravel() if v >= 0)
        counts = [counts.get(c, 0) for c in range(K)]
        labelled = compared = agreed = 0
        for i in range(X.shape[0]):
            if X[i, a] < 0:
                continue
            labelled += 1
            votes = collections.Counter(int(v) for v in others[i] if v >= 0)
            if not votes:
                continue
            compared += 1
            top = max(votes.values())
            best = sorted((c for c, v in votes.items() if v == top), key=tie_key(counts))[0]
            agreed += int(best == X[i, a])
        out.append({"labelled": labelled, "compared": compared, "agreed": agreed,
                    "rate": agreed / compared if compared else None})
    return out


def dawid_skene(X, K, tol, max_iter, smoothing):
    """Dawid & Skene (1979), equations 2.3-2.5, on the labelled items."""
    I_all, A = X.shape
    lab = (X >= 0).any(axis=1)
    Xl = X[lab]
    I = Xl.shape[0]
    # n[i, a, l] = 1 when annotator a gave item i label l
    n = np.zeros((I, A, K))
    for i in range(I):
        for a in range(A):
            if Xl[i, a] >= 0:
                n[i, a, Xl[i, a]] = 1.0
    # start: soft majority vote
    T = n.sum(axis=1) / n.sum(axis=(1, 2))[:, None]
    s = smoothing
    prev = None
    it = 0
    converged = False
    ll = 0.0
    while it < max_iter:
        it += 1
        # M-step, (2.4) and (2.3)
        den = I + K * s
        p = (T.sum(axis=0) + s) / den if den > 0 else np.full(K, 1.0 / K)
        cnt = np.einsum("ij,ial->ajl", T, n) + s
        rows = cnt.sum(axis=2, keepdims=True)
        pi = np.where(rows > 0, cnt / np.where(rows > 0, rows, 1.0), 1.0 / K)
        # E-step, (2.5): p_j prod_a prod_l pi[a, j, l] ** n[i, a, l]
        like = np.ones((I, K))
        for a in range(A):
            for l in range(K):
                like *= np.power(pi[a, :, l][None, :], n[:, a, l][:, None])
        joint = p[None, :] * like
        tot = joint.sum(axis=1)
        T = joint / tot[:, None]
        ll = float(np.log(tot).sum())
        if prev is not None and max(np.abs(p - prev[0]).max(), np.abs(pi - prev[1]).max()) <= tol:
            converged = True
            break
        prev = (p.copy(), pi.copy())
    counts = [int((X == c).sum()) for c in range(K)]
    post = np.tile(p, (I_all, 1))
    post[lab] = T
    labels = []
    for i in range(I_all):
        if not lab[i]:
            labels.append(-1)
            continue
        top = post[i].max()
        labels.append(sorted((c for c in range(K) if post[i, c] == top), key=tie_key(counts))[0])
    return {
        "tol": tol, "max_iter": max_iter, "smoothing": smoothing,
        "priors": p.tolist(), "confusion": pi.ravel().tolist(),
        "posterior": post.ravel().tolist(), "labels": labels,
        "iterations": it, "converged": converged, "loglik": ll,
    }


DS_RUNS = [
    # (case, tol, max_iter, smoothing)
    ("missing-unequal", 1e-6, 1, 0.0),
    ("missing-unequal", 1e-10, 2000, 0.0),
    ("adversarial", 1e-6, 5, 0.0),
    ("adversarial", 1e-10, 2000, 0.0),
    ("adversarial", 1e-8, 2000, 0.5),
    ("krippendorff-2011", 1e-9, 2000, 0.25),
    ("ties", 1e-6, 3, 0.0),
    ("perfect", 1e-6, 100, 0.0),
    ("complete-random", 1e-10, 2000, 0.0),
]


def main():
    out = {
        "generator": "labels/agreement/testdata/gen_fixtures.py",
        "versions": {
            "python": sys.version.split()[0],
            "numpy": np.__version__,
            "sklearn": sklearn.__version__,
            "statsmodels": statsmodels.__version__,
            "nltk": nltk.__version__,
        },
        "cases": [],
        "dawid_skene": [],
    }
    tables = {}
    for name, make in CASES:
        I, A, K, rows = make()
        X = np.array(rows, dtype=np.int64).reshape(I, A)
        assert X.max() < K and X.min() >= -1
        tables[name] = (X, K)
        out["cases"].append({
            "name": name, "items": I, "annotators": A, "k": K,
            "labels": X.ravel().tolist(),
            "cohen": cohen(X),
            "fleiss": fleiss(X),
            "alpha": alpha(X),
            "vote": vote(X, K),
            "annotator_agreement": annotators(X, K),
        })
    a = next(c for c in out["cases"] if c["name"] == "krippendorff-2011")["alpha"]
    assert round(a["alpha"], 3) == 0.743, a
    w = next(c for c in out["cases"] if c["name"] == "wikipedia-cohen")["cohen"][0]
    assert abs(w["kappa"] - 0.4) < 1e-12, w
    f = next(c for c in out["cases"] if c["name"] == "wikipedia-fleiss")["fleiss"]
    assert round(f["kappa"], 3) == 0.210, f
    for name, tol, max_iter, s in DS_RUNS:
        X, K = tables[name]
        run = dawid_skene(X, K, tol, max_iter, s)
        run["case"] = name
        out["dawid_skene"].append(run)
    json.dump(out, sys.stdout, indent=1, allow_nan=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
