#!/usr/bin/env python3
"""Time Cleanlab's find_label_issues on 1M rows x 10 classes.

The input is gen({"n": 1000000, "k": 10, "seed": 42, "noise": 0.2,
"peak": 2.0}) of gen_fixtures.py, the same arrays BenchmarkFindIssues
replays in Go, held in memory as NumPy arrays. Run from the repository
root with Debian's Python and Cleanlab's source tree (see README.md):

    CLEANLAB_SRC=/tmp/cleanlab /usr/bin/python3 labels/confident/testdata/bench_cleanlab.py

It prints the best of several runs of each call, and the flagged-row
count and SHA-256 (of the int64 row numbers) so that the Go result on the
same input can be compared.
"""
import hashlib
import os
import sys
import time
import warnings

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.environ.get("CLEANLAB_SRC", "/tmp/cleanlab"))
import cleanlab  # noqa: E402
from cleanlab.filter import find_label_issues  # noqa: E402
from gen_fixtures import gen  # noqa: E402

warnings.simplefilter("ignore")

REPEAT = int(os.environ.get("REPEAT", "3"))


def best(f):
    times = []
    out = None
    for _ in range(REPEAT):
        t0 = time.perf_counter()
        out = f()
        times.append(time.perf_counter() - t0)
    return min(times), out


def main():
    labels, probs = gen({"n": 1000000, "k": 10, "seed": 42, "noise": 0.2, "peak": 2.0})
    print(f"cleanlab {cleanlab.__version__}, numpy {np.__version__}, {os.cpu_count()} CPUs")
    for name, kw in [
        ("find_label_issues (prune_by_noise_rate, mask)", {}),
        ("find_label_issues (prune_by_noise_rate, ranked by self_confidence)", {"return_indices_ranked_by": "self_confidence"}),
        ("find_label_issues (confident_learning, mask)", {"filter_by": "confident_learning"}),
        ("find_label_issues (prune_by_noise_rate, mask, n_jobs=1)", {"n_jobs": 1}),
    ]:
        t, out = best(lambda: find_label_issues(labels, probs, **kw))
        rows = np.sort(out) if "return_indices_ranked_by" in kw else np.flatnonzero(out)
        digest = hashlib.sha256(rows.astype("<i8").tobytes()).hexdigest()
        print(f"{name}: {t:.3f} s; {len(rows)} rows flagged, sha256 {digest[:16]}")


if __name__ == "__main__":
    main()
