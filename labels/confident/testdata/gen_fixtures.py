#!/usr/bin/env python3
"""Generate the Cleanlab fixtures for package labels/confident.

Run from the repository root with Debian's NumPy, scikit-learn, pandas,
SciPy, tqdm and termcolor, and Cleanlab's source tree (see README.md):

    CLEANLAB_SRC=/tmp/cleanlab CLEANLAB_COMMIT=<sha> \\
        /usr/bin/python3 labels/confident/testdata/gen_fixtures.py \\
        > labels/confident/testdata/fixtures.json

Every case records its inputs and Cleanlab's outputs: the confident
thresholds, the raw and calibrated confident joints (and the floats the
calibration rounds), the prune count matrix, both num_label_issues
estimates, the rows every filter_by flags, the rows ranked by every
return_indices_ranked_by, and the label quality scores of every method.
Nothing is recomputed here: each value comes from a Cleanlab function (the
calibration floats and prune counts are captured by wrapping the Cleanlab
helpers that receive or return them).

Small inputs are stored inline. Larger ones are described by a generator
spec ("gen") that the Go tests replay bit for bit, checked by the SHA-256
recorded with each spec. The generator uses only splitmix64 and IEEE +, -,
*, / and floor, which round identically in Python and Go.
"""
import hashlib
import json
import os
import platform
import sys
import warnings

import numpy as np
import sklearn

sys.path.insert(0, os.environ.get("CLEANLAB_SRC", "/tmp/cleanlab"))
import cleanlab  # noqa: E402
import cleanlab.count as cl_count  # noqa: E402
import cleanlab.filter as cl_filter  # noqa: E402
import cleanlab.rank as cl_rank  # noqa: E402

warnings.simplefilter("ignore")

GOLDEN = np.uint64(0x9E3779B97F4A7C15)

FILTERS = [
    "prune_by_noise_rate",
    "prune_by_class",
    "both",
    "confident_learning",
    "predicted_neq_given",
    "low_normalized_margin",
    "low_self_confidence",
]
PRUNE_FILTERS = FILTERS[:3]
RANKS = ["self_confidence", "normalized_margin", "confidence_weighted_entropy"]
INLINE_MAX = 6000  # rows up to which outputs are stored in full


def splitmix_uniform(seed, count):
    """count uniforms in [0,1): splitmix64 outputs >> 11, times 2^-53."""
    with np.errstate(over="ignore"):
        z = np.uint64(seed) + np.arange(1, count + 1, dtype=np.uint64) * GOLDEN
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    return (z >> np.uint64(11)).astype(np.float64) * (2.0 ** -53)


def gen(spec):
    """Replay a generator spec; mirrored by genCase in fixtures_test.go.

    Row i uses uniforms u[i, 0..K+2] (stream position i*(K+3)+c+1):
    true class t = floor(u0*K) (floor(u0*u0*K) when skew), flipped to
    another class (floor(u2*(K-1)), skipping t) when u1 < noise; classes in
    "missing" are relabelled m -> (m+1) % K in turn; weights u[3+j] with
    peak added to the true class, summed left to right, divided by the sum.
    With grid g: q = floor(p*g), the shortfall g - sum(q) added to the first
    largest q, p = q/g (so values are multiples of 1/g and tie often).
    """
    n, k, seed = spec["n"], spec["k"], spec["seed"]
    noise, peak = spec.get("noise", 0.2), spec.get("peak", 1.0)
    u = splitmix_uniform(seed, n * (k + 3)).reshape(n, k + 3)
    if spec.get("skew"):
        t = np.floor((u[:, 0] * u[:, 0]) * k).astype(np.int64)
    else:
        t = np.floor(u[:, 0] * k).astype(np.int64)
    o = np.floor(u[:, 2] * (k - 1)).astype(np.int64)
    other = np.where(o >= t, o + 1, o)
    labels = np.where(u[:, 1] < noise, other, t)
    for m in spec.get("missing", []):
        labels = np.where(labels == m, (m + 1) % k, labels)
    w = u[:, 3:].copy()
    w[np.arange(n), t] = w[np.arange(n), t] + peak
    s = w[:, 0].copy()
    for j in range(1, k):
        s = s + w[:, j]
    p = w / s[:, None]
    g = spec.get("grid", 0)
    if g:
        q = np.floor(p * g)
        qs = q[:, 0].copy()
        for j in range(1, k):
            qs = qs + q[:, j]
        am = np.argmax(q, axis=1)
        q[np.arange(n), am] = q[np.arange(n), am] + (g - qs)
        p = q / g
    return labels.astype(np.int64), p


def sha_f64(x):
    return hashlib.sha256(np.ascontiguousarray(x, dtype="<f8").tobytes()).hexdigest()


def sha_i64(x):
    return hashlib.sha256(np.ascontiguousarray(x, dtype="<i8").tobytes()).hexdigest()


def ints(x):
    return [int(v) for v in x]


def flts(x):
    return [float(v) for v in x]


def rows_out(idx, n):
    """A list of row numbers: in full for small cases, else count + SHA-256."""
    idx = np.asarray(idx, dtype=np.int64)
    if n <= INLINE_MAX:
        return {"rows": ints(idx)}
    return {"count": int(len(idx)), "sha256": sha_i64(idx)}


class Capture:
    """Wraps the Cleanlab helpers whose inputs or outputs we record."""

    def __init__(self):
        self.rounding_inputs = []
        self.prune_counts = None
        self._round = cl_count.round_preserving_row_totals
        self._keep = cl_filter._keep_at_least_n_per_class

    def __enter__(self):
        def round_rows(m):
            self.rounding_inputs.append(np.array(m, dtype=float))
            return self._round(m)

        def keep(*a, **kw):
            out = self._keep(*a, **kw)
            self.prune_counts = np.array(out)
            return out

        cl_count.round_preserving_row_totals = round_rows
        cl_filter._keep_at_least_n_per_class = keep
        return self

    def __exit__(self, *exc):
        cl_count.round_preserving_row_totals = self._round
        cl_filter._keep_at_least_n_per_class = self._keep


def run_case(name, labels, probs, spec=None, variants=None):
    """All Cleanlab outputs for one input."""
    n, k = probs.shape
    case = {"name": name, "n": int(n), "k": int(k)}
    if spec is None:
        case["labels"] = ints(labels)
        case["probs"] = [flts(r) for r in probs]
    else:
        case["gen"] = spec
        case["labels_sha256"] = sha_i64(labels)
        case["probs_sha256"] = sha_f64(probs)

    case["thresholds"] = flts(cl_count.get_confident_thresholds(labels, probs))
    cj = cl_count.compute_confident_joint(labels, probs, calibrate=False)
    case["confident_joint"] = [ints(r) for r in cj]
    with Capture() as cap:
        cal = cl_count.compute_confident_joint(labels, probs, calibrate=True)
    case["calibrated_joint"] = [ints(r) for r in cal]
    case["calibration_floats"] = [flts(r) for r in cap.rounding_inputs[0]]
    # num_label_issues refuses labels of a single class (even all 0, which
    # find_label_issues accepts): recorded as null.
    for key, method in [("num_issues", "off_diagonal"), ("num_issues_calibrated", "off_diagonal_calibrated")]:
        try:
            case[key] = int(cl_count.num_label_issues(labels, probs, estimation_method=method))
        except ValueError:
            case[key] = None

    # Label quality scores. get_label_quality_scores refuses labels of a
    # single class (even all 0, which find_label_issues accepts).
    scores = {}
    for m in RANKS:
        try:
            s = cl_rank.get_label_quality_scores(labels, probs, method=m)
        except ValueError as e:
            scores[m] = {"error": str(e).strip()}
            continue
        if spec is None:
            scores[m] = {"values": flts(s)}
        else:
            step = max(1, n // 200)
            scores[m] = {
                "sha256": sha_f64(s),
                "sample_step": step,
                "sample": flts(s[::step]),
            }
    case["scores"] = scores

    runs = []
    for v in variants or [{}]:
        run = {"frac_noise": v.get("frac_noise", 1.0), "min_examples_per_class": v.get("min_examples_per_class", 1)}
        filters = {}
        for f in FILTERS:
            if v and f not in PRUNE_FILTERS:
                continue
            kw = {}
            if f in PRUNE_FILTERS:
                kw = {"frac_noise": run["frac_noise"], "min_examples_per_class": run["min_examples_per_class"]}
            with Capture() as cap:
                try:
                    mask = cl_filter.find_label_issues(labels, probs, filter_by=f, n_jobs=1, **kw)
                except ValueError as e:  # low_* on a single class, via num_label_issues
                    filters[f] = {"error": str(e).strip()}
                    continue
            filters[f] = rows_out(np.flatnonzero(mask), n)
            if f == "prune_by_noise_rate":
                run["prune_counts"] = [ints(r) for r in cap.prune_counts]
        run["filters"] = filters
        if not v:
            ranked = {}
            for m in RANKS:
                try:
                    idx = cl_filter.find_label_issues(labels, probs, return_indices_ranked_by=m, n_jobs=1)
                except ValueError as e:
                    ranked[m] = {"error": str(e).strip()}
                    continue
                if n <= INLINE_MAX:
                    ranked[m] = {"rows": ints(idx)}
                elif m != "confidence_weighted_entropy":
                    s = cl_rank.get_label_quality_scores(labels, probs, method=m)
                    # the scores in ranked order: independent of how ties are ordered
                    ranked[m] = {"count": int(len(idx)), "scores_sha256": sha_f64(s[idx])}
            run["ranked"] = ranked
        runs.append(run)
    case["runs"] = runs
    return case


def handmade():
    """Small inputs built to hit the edge cases."""
    out = []
    a = 0.45 + 1e-6  # equals p + 1e-6 for p = 0.45: the argmax-bonus tie
    out.append((
        "bonus_ties_k3",
        [1, 0, 0, 1, 2, 2, 0, 1, 2, 1, 0, 2],
        [
            [a, 0.45, 1 - a - 0.45],  # label 1: p1+1e-6 == p0, first max is 0 -> stays flagged
            [0.45, a, 1 - a - 0.45],  # label 0: p0+1e-6 == p1, first max is 0 -> un-flagged
            [0.5, 0.5, 0.0],
            [0.5, 0.5, 0.0],
            [0.4, 0.4, 0.2],
            [0.2, 0.4, 0.4],
            [0.1, 0.1, 0.8],
            [0.1, 0.8, 0.1],
            [0.0, 0.0, 1.0],
            [0.7, 0.2, 0.1],
            [0.6, 0.3, 0.1],
            [0.25, 0.25, 0.5],
        ],
    ))
    # A threshold equal to probabilities: every row labelled 0 has p0 = 0.7,
    # so threshold 0 is 0.7, and the last row (labelled 1, p0 = 0.7) sits
    # exactly on it.
    out.append((
        "threshold_equals_p_k2",
        [0, 0, 0, 0, 1, 1, 1, 1, 1],
        [[0.7, 0.3]] * 4 + [[0.3, 0.7]] * 4 + [[0.7, 0.3]],
    ))
    # A probability 5e-7 below its class threshold still counts as
    # confident (the 1e-6 slack): t0 = 0.7, row 6 has p0 = 0.7 - 5e-7.
    out.append((
        "threshold_slack_k2",
        [0, 0, 1, 1, 1, 1, 1],
        [[0.8, 0.2], [0.6, 0.4], [0.2, 0.8], [0.1, 0.9], [0.3, 0.7], [0.25, 0.75],
         [0.7 - 5e-7, 0.3 + 5e-7]],
    ))
    # Calibration meets exact halves: label 0 has 10 rows, 3 confident as 0
    # and 1 as 1, so its calibrated row is [7.5, 2.5] (N = 16 keeps the
    # scaling exact); half to even gives [8, 2], half away [7, 3].
    out.append((
        "half_even_calibration_k2",
        [0] * 10 + [1] * 6,
        [[0.9, 0.1]] * 3 + [[0.5, 0.5]] * 6 + [[0.2, 0.8]] + [[0.3, 0.7]] * 6,
    ))
    # Class 2 is never confidently predicted: its rows tie with class 0,
    # whose threshold is low, and the first argmax wins.
    out.append((
        "never_confident_k3",
        [0, 0, 0, 1, 1, 1, 2, 2, 2, 0, 1],
        [
            [0.5, 0.0, 0.5],
            [0.6, 0.2, 0.2],
            [0.4, 0.3, 0.3],
            [0.1, 0.8, 0.1],
            [0.2, 0.7, 0.1],
            [0.3, 0.6, 0.1],
            [0.5, 0.0, 0.5],
            [0.5, 0.1, 0.4],
            [0.45, 0.1, 0.45],
            [0.2, 0.7, 0.1],
            [0.8, 0.1, 0.1],
        ],
    ))
    # Class 3 has no rows (threshold 2); class 2 has one row, class 1 two.
    out.append((
        "missing_and_rare_k4",
        [0, 0, 0, 0, 0, 0, 1, 1, 2, 0, 0, 0],
        [
            [0.7, 0.1, 0.1, 0.1],
            [0.6, 0.2, 0.1, 0.1],
            [0.1, 0.7, 0.1, 0.1],
            [0.1, 0.1, 0.7, 0.1],
            [0.1, 0.1, 0.1, 0.7],
            [0.4, 0.3, 0.2, 0.1],
            [0.8, 0.1, 0.05, 0.05],
            [0.2, 0.6, 0.1, 0.1],
            [0.9, 0.05, 0.03, 0.02],
            [0.25, 0.25, 0.25, 0.25],
            [0.3, 0.3, 0.2, 0.2],
            [0.5, 0.5, 0.0, 0.0],
        ],
    ))
    # All labels 0: find_label_issues allows it, get_label_quality_scores
    # does not.
    out.append((
        "all_zero_k3",
        [0] * 8,
        [[0.6, 0.3, 0.1], [0.2, 0.7, 0.1], [0.1, 0.1, 0.8], [0.9, 0.05, 0.05],
         [0.5, 0.5, 0.0], [0.4, 0.2, 0.4], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]],
    ))
    # Rows confident in no class (below both thresholds) are left out of
    # the confident joint.
    out.append((
        "unconfident_rows_k2",
        [0, 0, 1, 1, 1, 0],
        [[0.9, 0.1], [0.5, 0.5], [0.1, 0.9], [0.5, 0.5], [0.6, 0.4], [0.55, 0.45]],
    ))
    return [(name, np.array(l, dtype=np.int64), np.array(p, dtype=float)) for name, l, p in out]


def random_rounded(seed, n, k, decimals, noise):
    """Small random cases with probabilities rounded to a few decimals: the
    last class takes the remainder, so rows sum to 1 up to rounding."""
    rng = np.random.default_rng(seed)
    t = rng.integers(0, k, n)
    logits = rng.normal(0, 1.5, (n, k))
    logits[np.arange(n), t] += 2.0
    p = np.exp(logits)
    p /= p.sum(axis=1, keepdims=True)
    p = np.round(p, decimals)
    p[:, -1] = 0
    p[:, -1] = np.round(1 - p.sum(axis=1), decimals)
    p = np.clip(p, 0, 1)
    labels = np.where(rng.random(n) < noise, rng.integers(0, k, n), t)
    return labels.astype(np.int64), p


def argsort_cases():
    """np.argsort (quicksort and heapsort) on arrays full of ties."""
    out = []
    for n, levels, seed in [(10, 3, 1), (17, 2, 2), (50, 5, 3), (200, 7, 4), (1000, 3, 5),
                            (1000, 1000, 6), (5000, 40, 7), (30000, 200, 8), (30000, 2, 9)]:
        spec = {"n": n, "levels": levels, "seed": seed}
        x = argsort_keys(spec)
        c = {"gen": spec, "sha256": sha_f64(x)}
        for kind in ["quicksort", "heapsort"]:
            idx = np.argsort(x, kind=kind)
            if n <= 1000:
                c[kind] = ints(idx)
            else:
                c[kind + "_sha256"] = sha_i64(idx)
        out.append(c)
    return out


def argsort_keys(spec):
    """floor(u*levels)/levels - 0.5: values on a grid, half negative."""
    u = splitmix_uniform(spec["seed"], spec["n"])
    return np.floor(u * spec["levels"]) / spec["levels"] - 0.5


def main():
    cases = []
    for name, labels, probs in handmade():
        cases.append(run_case(name, labels, probs, variants=[{}, {"min_examples_per_class": 3}]))
    for seed, n, k, dec, noise in [(11, 40, 2, 1, 0.3), (12, 60, 3, 1, 0.3), (13, 120, 3, 2, 0.2),
                                   (14, 200, 5, 1, 0.25), (15, 300, 10, 2, 0.2), (16, 80, 4, 2, 0.5)]:
        labels, probs = random_rounded(seed, n, k, dec, noise)
        cases.append(run_case(f"rounded_seed{seed}_n{n}_k{k}_dec{dec}", labels, probs,
                              variants=[{}, {"frac_noise": 0.5}]))
    specs = [
        {"n": 2000, "k": 2, "seed": 101, "noise": 0.2, "peak": 0.8},
        {"n": 3000, "k": 3, "seed": 102, "noise": 0.25, "peak": 1.0},
        {"n": 3000, "k": 3, "seed": 103, "noise": 0.3, "peak": 1.0, "grid": 10},
        {"n": 5000, "k": 10, "seed": 104, "noise": 0.2, "peak": 2.0, "grid": 100},
        {"n": 4000, "k": 10, "seed": 105, "noise": 0.15, "peak": 1.5, "skew": True, "missing": [7]},
        {"n": 2500, "k": 4, "seed": 106, "noise": 0.4, "peak": 0.5, "grid": 20, "skew": True},
        {"n": 30000, "k": 10, "seed": 107, "noise": 0.2, "peak": 3.0},
        {"n": 30000, "k": 10, "seed": 108, "noise": 0.2, "peak": 3.0, "grid": 100},
        {"n": 20000, "k": 2, "seed": 109, "noise": 0.1, "peak": 1.0, "grid": 1000},
    ]
    for spec in specs:
        labels, probs = gen(spec)
        variants = [{}, {"frac_noise": 0.7, "min_examples_per_class": 5}]
        if spec["n"] <= INLINE_MAX:
            variants.append({"min_examples_per_class": 400})
        cases.append(run_case("gen_n{n}_k{k}_seed{seed}".format(**spec), labels, probs, spec=spec, variants=variants))
    # The benchmark's input, 1M rows x 10 classes: the flagged rows of two
    # filters, the thresholds and the joints.
    big = []
    for spec in [{"n": 1000000, "k": 10, "seed": 42, "noise": 0.2, "peak": 2.0}]:
        labels, probs = gen(spec)
        c = {"gen": spec, "labels_sha256": sha_i64(labels), "probs_sha256": sha_f64(probs),
             "thresholds": flts(cl_count.get_confident_thresholds(labels, probs)),
             "confident_joint": [ints(r) for r in cl_count.compute_confident_joint(labels, probs, calibrate=False)],
             "calibrated_joint": [ints(r) for r in cl_count.compute_confident_joint(labels, probs)],
             "filters": {}}
        for f in ["prune_by_noise_rate", "confident_learning"]:
            mask = cl_filter.find_label_issues(labels, probs, filter_by=f)
            c["filters"][f] = rows_out(np.flatnonzero(mask), len(labels))
        big.append(c)
    out = {
        "versions": {
            "cleanlab": cleanlab.__version__,
            "cleanlab_commit": os.environ.get("CLEANLAB_COMMIT", ""),
            "numpy": np.__version__,
            "sklearn": sklearn.__version__,
            "python": platform.python_version(),
        },
        "argsort": argsort_cases(),
        "cases": cases,
        "big": big,
    }
    json.dump(out, sys.stdout, separators=(",", ":"))
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
