#!/usr/bin/env python3
"""Generate the SciPy fixtures for package drift/stat.

Run from the repository root with Debian's SciPy, NumPy, mpmath and
statsmodels (see README.md):

    /usr/bin/python3 drift/stat/testdata/gen_fixtures.py > drift/stat/testdata/fixtures.json

Every case records its inputs, SciPy's statistic and p-value, and where
SciPy's p underflows or loses precision an independent high-precision log p
(mpmath, or exact integer path counting). Large inputs are not stored: they
are described by a generator spec ("gen") that the Go tests replay
bit-for-bit, checked by the SHA-256 recorded with each spec. The generator
uses only splitmix64 and IEEE +, -, *, / and floor, which round identically
in Python and Go.
"""
import hashlib
import json
import math
import sys
import warnings
from fractions import Fraction

import mpmath as mp
import numpy as np
import scipy
import scipy.special as sc
import statsmodels
from scipy import stats
from scipy.spatial import distance

warnings.simplefilter("ignore")

MASK = 0xFFFFFFFFFFFFFFFF
GOLDEN = np.uint64(0x9E3779B97F4A7C15)
SQRT3 = 1.7320508075688772


def splitmix_uniform(seed, count):
    """count uniforms in [0,1): splitmix64 outputs >> 11, times 2^-53."""
    with np.errstate(over="ignore"):
        z = np.uint64(seed) + np.arange(1, count + 1, dtype=np.uint64) * GOLDEN
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    return (z >> np.uint64(11)).astype(np.float64) * (2.0 ** -53)


def gen(spec):
    """Replay a generator spec; mirrored by genSample in fixtures_test.go."""
    kind, n, seed = spec["kind"], spec["n"], spec["seed"]
    loc, scale = spec.get("loc", 0.0), spec.get("scale", 1.0)
    if kind == "normal":  # Irwin-Hall(4), standardised: ((u1+u2+u3+u4) - 2) * sqrt(3)
        u = splitmix_uniform(seed, 4 * n).reshape(n, 4)
        s = ((u[:, 0] + u[:, 1]) + u[:, 2]) + u[:, 3]
        x = (s - 2.0) * SQRT3
    elif kind == "uniform":
        x = splitmix_uniform(seed, n)
    else:
        raise ValueError(kind)
    x = x * scale + loc
    if spec.get("grid"):
        g = spec["grid"]
        x = np.floor(x * g) / g
    return x


def f(v):
    """A float for JSON: non-finite values as strings."""
    v = float(v)
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return v


def arr(x):
    return [f(v) for v in x]


def sample(x):
    """Inline small inputs; describe large ones by their generator spec and
    the SHA-256 of the generated float64s (little-endian), so the Go replay
    is checked bit for bit."""
    if isinstance(x, dict):
        digest = hashlib.sha256(gen(x).astype("<f8").tobytes()).hexdigest()
        return {"gen": x, "sha256": digest}
    return {"values": arr(x)}


def value(x):
    return gen(x) if isinstance(x, dict) else np.asarray(x, dtype=float)


def mplog(x):
    return float(mp.log(x))


# ---------------------------------------------------------------- KS


def ks_exact_logp_bigint(n1, n2, d):
    """Exact log p of the two-sided two-sample KS test by counting lattice
    paths with Python integers: independent of SciPy's floating recursion."""
    g = math.gcd(n1, n2)
    lcm = n1 // g * n2
    h = round(d * lcm)
    m, n = max(n1, n2), min(n1, n2)
    # inside iff |n*x - m*y| < h*g at every point of the path
    lim = h * g
    prev = [0] * (n + 1)
    for x in range(m + 1):
        cur = [0] * (n + 1)
        for y in range(n + 1):
            if abs(n * x - m * y) >= lim:
                continue
            if x == 0 and y == 0:
                cur[y] = 1
                continue
            cur[y] = (prev[y] if x > 0 else 0) + (cur[y - 1] if y > 0 else 0)
        prev = cur
    inside = prev[n]
    total = math.comb(m + n, n)
    mp.mp.dps = 50
    return mplog(mp.mpf(total - inside)) - mplog(mp.mpf(total))


def smirnov_logsf_mp(n, d):
    """log Pr(D+_n >= d) by the Birnbaum-Tingey sum in 40-digit arithmetic."""
    mp.mp.dps = 40
    d = mp.mpf(d)
    n_ = mp.mpf(n)
    last = int(mp.floor(n_ * (1 - d)))
    lg = mp.loggamma(n_ + 1)
    terms = []
    for v in range(0, last + 1):
        p = d + v / n_
        q = 1 - p
        if q <= 0:
            continue
        t = lg - mp.loggamma(v + 1) - mp.loggamma(n_ - v + 1) + (v - 1) * mp.log(p) + (n_ - v) * mp.log(q)
        terms.append(t)
    mx = max(terms)
    s = mp.fsum(mp.exp(t - mx) for t in terms)
    return float(mx + mp.log(s) + mp.log(d))


def ks_cases():
    rng = np.random.default_rng(20240601)
    cases = []

    def add(name, a, b, indep=None):
        av, bv = value(a), value(b)
        r = stats.ks_2samp(av, bv)
        c = {"name": name, "a": sample(a), "b": sample(b),
             "statistic": f(r.statistic), "pvalue": f(r.pvalue)}
        if indep is not None:
            c["logp_independent"] = indep(r)
        cases.append(c)

    x20, y30 = rng.normal(size=20), rng.normal(0.5, 1, size=30)
    add("small_20_30", x20, y30)
    add("square_50_50", rng.normal(size=50), rng.normal(0.3, 1, size=50))
    z = rng.normal(size=40)
    add("identical", z, z.copy())
    add("both_constant_same", [2.0] * 10, [2.0] * 15)
    add("both_constant_differ", [1.0] * 10, [2.0] * 15)
    add("one_constant", [3.0] * 30, rng.normal(3, 1, size=40))
    add("ties_integers", rng.integers(0, 6, 200).astype(float), rng.integers(0, 7, 300).astype(float))
    add("n1_1", [0.5], [1.5])
    add("n1_2", [0.5], [0.2, 1.5])
    add("n2_2", [0.1, 0.9], [0.4, 1.5])
    add("infinities", [-np.inf, 0.1, 0.5, np.inf], [0.2, 0.3, np.inf, 2.0, -1.0])
    add("exact_10000_9999", {"kind": "normal", "n": 10000, "seed": 1},
        {"kind": "normal", "n": 9999, "seed": 2, "loc": 0.05})
    add("exact_square_10000", {"kind": "normal", "n": 10000, "seed": 3},
        {"kind": "normal", "n": 10000, "seed": 4, "loc": 0.04})
    add("asymp_10001_5000", {"kind": "normal", "n": 10001, "seed": 5},
        {"kind": "normal", "n": 5000, "seed": 6, "loc": 0.03})
    add("asymp_20000_50", {"kind": "normal", "n": 20000, "seed": 7},
        {"kind": "normal", "n": 50, "seed": 8, "loc": 0.2})
    add("asymp_20000_50_far", {"kind": "normal", "n": 20000, "seed": 7},
        {"kind": "normal", "n": 50, "seed": 8, "loc": 1.5})
    add("asymp_same_100k", {"kind": "normal", "n": 100000, "seed": 9},
        {"kind": "normal", "n": 100000, "seed": 10})
    add("asymp_smirnov_100k", {"kind": "normal", "n": 100000, "seed": 11},
        {"kind": "normal", "n": 100000, "seed": 12, "loc": 0.03})
    add("asymp_ties_100k", {"kind": "normal", "n": 100000, "seed": 13, "grid": 4},
        {"kind": "normal", "n": 120000, "seed": 14, "grid": 4, "loc": 0.01})
    # p underflows to 0.0 in SciPy: log p from an independent 40-digit sum.
    add("asymp_underflow_100k", {"kind": "normal", "n": 100000, "seed": 15},
        {"kind": "normal", "n": 100000, "seed": 16, "loc": 0.3},
        indep=lambda r: math.log(2) + smirnov_logsf_mp(50000, r.statistic))
    add("exact_underflow_3000_2000", {"kind": "normal", "n": 3000, "seed": 17},
        {"kind": "normal", "n": 2000, "seed": 18, "loc": 1.0},
        indep=lambda r: ks_exact_logp_bigint(3000, 2000, r.statistic))
    add("exact_separated_600_400", {"kind": "uniform", "n": 600, "seed": 19},
        {"kind": "uniform", "n": 400, "seed": 20, "loc": 2.0},
        indep=lambda r: ks_exact_logp_bigint(600, 400, r.statistic))

    def square_exact(n, d):
        h = round(d * n)
        tot = Fraction(0)
        k = 1
        while n - k * h >= 0:
            tot += (-1) ** (k + 1) * Fraction(math.comb(2 * n, n - k * h), math.comb(2 * n, n))
            k += 1
        mp.mp.dps = 50
        return float(mp.log(2) + mp.log(mp.mpf(tot.numerator)) - mp.log(mp.mpf(tot.denominator)))

    add("exact_underflow_square_3000", {"kind": "normal", "n": 3000, "seed": 21},
        {"kind": "normal", "n": 3000, "seed": 22, "loc": 1.2},
        indep=lambda r: square_exact(3000, r.statistic))

    def separated(n1, n2):
        # D = 1: the exact p is 2/C(n1+n2, n1), whatever the method.
        mp.mp.dps = 50
        return lambda r: float(mp.log(2) - mp.log(mp.mpf(math.comb(n1 + n2, n1))))

    # Fully separated samples: SciPy's p underflows to 0 in every branch.
    add("exact_separated_square_1000", {"kind": "uniform", "n": 1000, "seed": 23},
        {"kind": "uniform", "n": 1000, "seed": 24, "loc": 1.0}, indep=separated(1000, 1000))
    add("exact_separated_1200_800", {"kind": "uniform", "n": 1200, "seed": 25, "loc": 1.0},
        {"kind": "uniform", "n": 800, "seed": 26}, indep=separated(1200, 800))
    add("asymp_separated_20000_15000", {"kind": "uniform", "n": 20000, "seed": 27},
        {"kind": "uniform", "n": 15000, "seed": 28, "loc": 5.0}, indep=separated(20000, 15000))
    # The exact/asymptotic switch: max(n1, n2) = 10000 is exact, 10001 not.
    add("exact_10000_1", {"kind": "normal", "n": 10000, "seed": 29}, [0.25])
    add("asymp_10001_1", {"kind": "normal", "n": 10001, "seed": 29}, [0.25])
    add("asymp_10001_10001", {"kind": "normal", "n": 10001, "seed": 30},
        {"kind": "normal", "n": 10001, "seed": 31, "loc": 0.02})
    add("exact_1_5000", [0.0], {"kind": "normal", "n": 5000, "seed": 32})
    add("same_single_value", [0.5], [0.5])
    # kstwo with n = round(n1 n2/(n1+n2)) above 100000: the Pelz-Good branch.
    add("asymp_pelzgood_250k", {"kind": "normal", "n": 250000, "seed": 33},
        {"kind": "normal", "n": 250000, "seed": 34, "loc": 0.003})
    return cases


# ---------------------------------------------------------------- Wasserstein


def wasserstein_cases():
    rng = np.random.default_rng(7)
    cases = []

    def add(name, a, b):
        cases.append({"name": name, "a": sample(a), "b": sample(b),
                      "value": f(stats.wasserstein_distance(value(a), value(b)))})

    add("small", rng.normal(size=20), rng.normal(1, 2, size=35))
    z = rng.normal(size=30)
    add("identical", z, z.copy())
    add("both_constant", [1.0] * 5, [3.0] * 7)
    add("one_constant", [1.0] * 5, rng.normal(size=9))
    add("ties", rng.integers(0, 5, 100).astype(float), rng.integers(1, 6, 80).astype(float))
    add("n1_1", [0.0], [2.5])
    add("large_100k", {"kind": "normal", "n": 100000, "seed": 31},
        {"kind": "normal", "n": 90000, "seed": 32, "loc": 0.2, "scale": 1.5})
    return cases


# ---------------------------------------------------------------- Mann-Whitney


def mwu_z(a, b, alternative):
    """z of SciPy's normal approximation, recomputed for the independent log p."""
    n1, n2 = len(a), len(b)
    r = stats.rankdata(np.concatenate([a, b]))
    u1 = r[:n1].sum() - n1 * (n1 + 1) / 2
    u2 = n1 * n2 - u1
    u = {"greater": u1, "less": u2}.get(alternative, max(u1, u2))
    _, t = np.unique(r, return_counts=True)
    n = n1 + n2
    tie = float((t.astype(float) ** 3 - t).sum())
    s = math.sqrt(n1 * n2 / 12 * ((n + 1) - tie / (n * (n - 1))))
    return (u - n1 * n2 / 2 - 0.5) / s


def norm_logsf_mp(z):
    mp.mp.dps = 40
    return float(mp.log(mp.erfc(mp.mpf(z) / mp.sqrt(2)) / 2))


def mwu_cases():
    rng = np.random.default_rng(11)
    cases = []

    def add(name, a, b, alts=("two-sided", "less", "greater"), indep=False, finite_ranks=False):
        av, bv = value(a), value(b)
        if finite_ranks:
            av, bv = np.nan_to_num(av, posinf=1e300, neginf=-1e300), np.nan_to_num(bv, posinf=1e300, neginf=-1e300)
        for alt in alts:
            r = stats.mannwhitneyu(av, bv, alternative=alt)
            c = {"name": name + "/" + alt, "a": sample(a), "b": sample(b), "alternative": alt,
                 "statistic": f(r.statistic), "pvalue": f(r.pvalue)}
            if indep:
                z = mwu_z(av, bv, alt)
                c["logp_independent"] = min(0.0, (math.log(2) if alt == "two-sided" else 0.0) + norm_logsf_mp(z))
            cases.append(c)

    add("exact_5_7", rng.normal(size=5), rng.normal(1, 1, size=7))
    add("exact_8_50", rng.normal(size=8), rng.normal(0.5, 1, size=50))
    add("exact_3_2000", rng.normal(size=3), rng.normal(size=2000))
    add("exact_1_1", [0.3], [0.7])
    add("exact_2_1", [0.3, 2.0], [0.7])
    add("ties_small_asymptotic", [1.0, 2.0, 2.0, 3.0, 5.0], [2.0, 4.0, 4.0, 6.0, 7.0, 8.0])
    add("asymptotic_9_9", rng.normal(size=9), rng.normal(0.8, 1, size=9))
    add("asymptotic_ties_300_400", rng.integers(0, 10, 300).astype(float), rng.integers(1, 11, 400).astype(float))
    add("all_identical", [4.0] * 12, [4.0] * 15)
    add("one_constant", [0.0] * 20, rng.normal(size=25))
    # SciPy 1.10's rankdata returns NaN ranks when the pooled sample holds
    # both -inf and +inf (its NaN check sums the data, and -inf + inf is
    # NaN). The test only sees the order of the values, so the expected
    # result is SciPy's on the same data with the infinities replaced by
    # finite values in the same order (-1e300, 1e300).
    add("infinities", [-np.inf, 1.0, 2.0, np.inf, 0.5, 0.25, 3.0, 4.0, 9.0, 10.0],
        [np.inf, 0.0, 1.5, 2.5, 3.5, 5.0, 6.0, 7.0, 8.0, 11.0], finite_ranks=True)
    add("plus_infinity", [1.0, 2.0, np.inf, 0.5, 0.25, 3.0, 4.0, 9.0, 10.0],
        [np.inf, 0.0, 1.5, 2.5, 3.5, 5.0, 6.0, 7.0, 8.0, 11.0, np.inf])
    add("exact_separated_8_12", np.arange(8.0), np.arange(12.0) + 100)
    add("exact_1_30", [0.5], rng.normal(size=30))
    add("exact_8_8", rng.normal(size=8), rng.normal(0.5, 1, size=8))
    add("asymptotic_9_100", rng.normal(size=9), rng.normal(0.5, 1, size=100))
    add("large_same_100k", {"kind": "normal", "n": 100000, "seed": 41},
        {"kind": "normal", "n": 100000, "seed": 42}, indep=True)
    add("large_underflow_100k", {"kind": "normal", "n": 100000, "seed": 43},
        {"kind": "normal", "n": 100000, "seed": 44, "loc": 0.3}, indep=True)
    add("large_ties_100k", {"kind": "normal", "n": 100000, "seed": 45, "grid": 2},
        {"kind": "normal", "n": 80000, "seed": 46, "grid": 2, "loc": 0.05}, indep=True)
    add("large_separated_50k", {"kind": "uniform", "n": 50000, "seed": 47, "loc": 1.0},
        {"kind": "uniform", "n": 40000, "seed": 48}, indep=True)

    # SciPy's exact tables for 8 against 20000 do not fit in memory (its
    # recursion memoises every (m, n, k)); the expected p-value is the same
    # exact distribution counted with Python integers (mwu_exact_sf, checked
    # against SciPy on the small cases above).
    for c in cases:
        if c["name"].startswith("exact_") and "gen" not in c["a"] and "gen" not in c["b"]:
            a, b = value(c["a"]["values"]), value(c["b"]["values"])
            p = mwu_exact_p(a, b, c["alternative"])
            assert abs(p - c["pvalue"]) <= 1e-12 * p, (c["name"], p, c["pvalue"])
    for alt in ("two-sided", "less", "greater"):
        a = {"kind": "normal", "n": 8, "seed": 49, "loc": 0.7}
        b = {"kind": "normal", "n": 20000, "seed": 50}
        av, bv = value(a), value(b)
        r = stats.mannwhitneyu(av, bv, alternative=alt, method="asymptotic")
        cases.append({"name": "exact_8_20000/" + alt, "a": sample(a), "b": sample(b), "alternative": alt,
                      "statistic": f(r.statistic), "pvalue": f(mwu_exact_p(av, bv, alt))})
    return cases


def mwu_exact_p(a, b, alternative):
    """SciPy's exact p-value (no ties) from exact integer counts: the
    coefficients of the Gaussian binomial [m+n choose m]_q."""
    m, n = len(a), len(b)
    r = stats.rankdata(np.concatenate([a, b]))
    u1 = int(round(r[:m].sum() - m * (m + 1) / 2))
    u2 = m * n - u1
    u = {"greater": u1, "less": u2}.get(alternative, max(u1, u2))
    k = m * n - u  # sf(u) = cdf(m n - u) by symmetry
    s, l = min(m, n), max(m, n)
    g = [0] * (k + 1)
    g[0] = 1
    for i in range(1, s + 1):
        for j in range(i, k + 1):
            g[j] += g[j - i]
    for i in range(1, s + 1):
        d = l + i
        for j in range(k, d - 1, -1):
            g[j] -= g[j - d]
    p = Fraction(sum(g), math.comb(m + n, m))
    if alternative == "two-sided":
        p *= 2
    return float(min(p, 1))


# ---------------------------------------------------------------- Cramér-von Mises


def cvm_tn(nx, ny, t):
    N, k = nx + ny, nx * ny
    et = (1 + 1 / N) / 6
    vt = (N + 1) * (4 * k * N - 3 * (nx ** 2 + ny ** 2) - 2 * k)
    vt = vt / (45 * N ** 2 * 4 * k)
    return 1 / 6 + (t - et) / np.sqrt(45 * vt)


def cvm_logsf_mp(x):
    """log Pr(W^2 > x), Smirnov's series, 30 digits."""
    mp.mp.dps = 30
    x = mp.mpf(x)

    def term(k):
        a, b = ((2 * k - 1) * mp.pi) ** 2, ((2 * k) * mp.pi) ** 2
        g = lambda y: mp.sqrt(-mp.sqrt(y) / mp.sin(mp.sqrt(y))) * mp.exp(-x * (y - a) / 2) / y
        hi = min(b, a + 150 / x)
        return mp.quad(g, [a, a + (hi - a) / 100, hi]), a

    s = 0
    l1 = None
    for k in range(1, 5):
        v, a = term(k)
        v = mp.re(v)
        if l1 is None:
            l1 = a
        s += (-1) ** (k + 1) * v * mp.exp(-x * (a - l1) / 2)
    return float(mp.log(s) - x * l1 / 2 - mp.log(mp.pi))


def cvm_cases():
    rng = np.random.default_rng(13)
    cases = []

    def add(name, a, b, indep=False):
        av, bv = value(a), value(b)
        r = stats.cramervonmises_2samp(av, bv)
        c = {"name": name, "a": sample(a), "b": sample(b), "statistic": f(r.statistic), "pvalue": f(r.pvalue)}
        # Below p = 1e-3 in the asymptotic branch LogPValue is the tail of
        # the limiting distribution itself, not log(1 - cdf): check it
        # against a 30-digit evaluation.
        if indep or (max(len(av), len(bv)) > 20 and r.pvalue < 1e-3):
            c["logp_independent"] = cvm_logsf_mp(cvm_tn(len(av), len(bv), r.statistic))
        cases.append(c)

    add("exact_5_7", rng.normal(size=5), rng.normal(1, 1, size=7))
    add("exact_10_10", rng.normal(size=10), rng.normal(0.5, 1, size=10))
    add("exact_20_19", rng.normal(size=20), rng.normal(0.7, 1, size=19))
    add("exact_20_20_separated", np.arange(20.0), np.arange(20.0) + 100)
    add("exact_ties", [1.0, 2.0, 2.0, 3.0, 3.0, 4.0], [2.0, 3.0, 5.0, 5.0, 6.0])
    add("exact_2_2", [0.1, 0.2], [0.3, 0.4])
    z = rng.normal(size=15)
    add("identical_exact", z, z.copy())
    add("asymp_21_30", rng.normal(size=21), rng.normal(0.5, 1, size=30))
    add("asymp_ties_200_300", rng.integers(0, 8, 200).astype(float), rng.integers(0, 9, 300).astype(float))
    z = rng.normal(size=100)
    add("identical_asymp", z, z.copy())
    add("one_constant", [1.0] * 40, rng.normal(1, 1, size=30))
    add("asymp_moderate_5k", {"kind": "normal", "n": 5000, "seed": 51},
        {"kind": "normal", "n": 5000, "seed": 52, "loc": 0.12}, indep=True)
    add("asymp_same_100k", {"kind": "normal", "n": 100000, "seed": 53},
        {"kind": "normal", "n": 100000, "seed": 54})
    add("asymp_underflow_100k", {"kind": "normal", "n": 100000, "seed": 55},
        {"kind": "normal", "n": 100000, "seed": 56, "loc": 0.3}, indep=True)
    add("asymp_separated_20k", {"kind": "uniform", "n": 20000, "seed": 57},
        {"kind": "uniform", "n": 15000, "seed": 58, "loc": 1.0}, indep=True)
    add("exact_20_20_ties", rng.integers(0, 6, 20).astype(float), rng.integers(0, 6, 20).astype(float))
    add("exact_2_20", [0.3, 0.31], rng.normal(size=20))
    add("asymp_2_21", [0.3, 0.31], rng.normal(size=21))
    add("asymp_21_21", rng.normal(size=21), rng.normal(0.3, 1, size=21))
    return cases


# ---------------------------------------------------------------- Anderson-Darling


def ad_cases():
    rng = np.random.default_rng(17)
    cases = []

    def add(name, *samples):
        vs = [value(s) for s in samples]
        r = stats.anderson_ksamp(vs)
        cases.append({"name": name, "samples": [sample(s) for s in samples],
                      "statistic": f(r.statistic), "pvalue": f(r.pvalue)})

    add("two_interpolated", rng.normal(size=50), rng.normal(0.45, 1, size=60))
    add("two_small", rng.normal(size=8), rng.normal(0.4, 1, size=9))
    z = rng.normal(size=40)
    add("identical_capped", z, z.copy())
    add("shifted_floored", rng.normal(size=50), rng.normal(3, 1, size=50))
    add("three_samples", rng.normal(size=30), rng.normal(0.2, 1, size=40), rng.normal(0.5, 1, size=35))
    add("ties", rng.integers(0, 5, 100).astype(float), rng.integers(0, 6, 120).astype(float))
    add("one_constant", [2.0] * 20, rng.normal(2, 1, size=25))
    add("minimal_N4", [0.1, 0.5], [0.3, 0.9])
    add("large_100k", {"kind": "normal", "n": 100000, "seed": 61},
        {"kind": "normal", "n": 100000, "seed": 62, "loc": 0.005})
    add("n1_1_N4", [1.0], [2.0, 3.0, 4.0])
    add("k4_unequal", rng.normal(size=3), rng.normal(size=7), rng.normal(0.3, 1, size=11), [5.0])
    for c in cases:
        assert ad_pvalue(c["statistic"], len(c["samples"]) - 1) == c["pvalue"], c["name"]
    return cases


def ad_pvalue(A2, m):
    """The p-value lines of SciPy 1.10.1's anderson_ksamp, for a grid of
    statistics (checked above against anderson_ksamp itself)."""
    b0 = np.array([0.675, 1.281, 1.645, 1.96, 2.326, 2.573, 3.085])
    b1 = np.array([-0.245, 0.25, 0.678, 1.149, 1.822, 2.364, 3.615])
    b2 = np.array([-0.105, -0.305, -0.362, -0.391, -0.396, -0.345, -0.154])
    critical = b0 + b1 / math.sqrt(m) + b2 / m
    sig = np.array([0.25, 0.1, 0.05, 0.025, 0.01, 0.005, 0.001])
    if A2 < critical.min():
        return float(sig.max())
    if A2 > critical.max():
        return float(sig.min())
    pf = np.polyfit(critical, np.log(sig), 2)
    return math.exp(np.polyval(pf, A2))


def ad_pvalue_cases():
    out = []
    for m in (1, 2, 3, 9):
        b0 = np.array([0.675, 1.281, 1.645, 1.96, 2.326, 2.573, 3.085])
        b1 = np.array([-0.245, 0.25, 0.678, 1.149, 1.822, 2.364, 3.615])
        b2 = np.array([-0.105, -0.305, -0.362, -0.391, -0.396, -0.345, -0.154])
        crit = b0 + b1 / math.sqrt(m) + b2 / m
        lo, hi = crit.min(), crit.max()
        xs = [lo - 1, np.nextafter(lo, -np.inf), lo, np.nextafter(lo, np.inf),
              hi - 1e-9, np.nextafter(hi, -np.inf), hi, np.nextafter(hi, np.inf), hi + 1]
        xs += list(crit) + list(np.linspace(lo, hi, 11))
        for x in xs:
            out.append([m, f(x), f(ad_pvalue(float(x), m))])
    return out


# ---------------------------------------------------------------- chi-square


def chi2_logsf_mp(x, df):
    mp.mp.dps = 40
    return float(mp.log(mp.gammainc(mp.mpf(df) / 2, mp.mpf(x) / 2, mp.inf, regularized=True)))


def chisq_cases():
    cases = []

    def add(name, obs, exp, indep=False):
        # ChiSquareGOF rescales the expected counts to the observed total
        # (SciPy raises instead when the totals differ).
        obs, exp = np.asarray(obs, float), np.asarray(exp, float)
        if obs.sum() != exp.sum():
            exp_scaled = exp * obs.sum() / exp.sum()
        else:
            exp_scaled = exp
        r = stats.chisquare(obs, exp_scaled)
        c = {"name": name, "observed": arr(obs), "expected": arr(exp),
             "statistic": f(r.statistic), "pvalue": f(r.pvalue)}
        if indep:
            c["logp_independent"] = chi2_logsf_mp(r.statistic, len(obs) - 1)
        cases.append(c)

    ref = np.array([120.0, 300.0, 80.0, 500.0])
    cur = np.array([130.0, 280.0, 95.0, 495.0])
    add("evidently_style", cur, ref * cur.sum() / ref.sum())
    add("two_categories", [40.0, 60.0], [50.0, 50.0])
    add("many_categories", list(np.arange(1.0, 41.0)), [20.5] * 40)
    add("category_only_in_current", [10.0, 20.0, 5.0], [15.0, 20.0, 0.0])
    add("single_category", [10.0], [10.0])
    add("underflow", [200000.0, 100000.0, 700000.0], [333333.0, 333333.0, 333334.0], indep=True)
    add("large_df", list(np.arange(1.0, 2001.0)), [1000.5] * 2000, indep=True)
    add("unscaled_reference_counts", cur, ref)
    add("unscaled_shares", [30.0, 50.0, 20.0], [0.25, 0.5, 0.25])
    add("zero_both", [10.0, 0.0, 5.0], [12.0, 0.0, 3.0])
    add("observed_zero", [0.0, 10.0, 10.0], [5.0, 5.0, 10.0])
    return cases


def contingency_cases():
    cases = []

    def add(name, table, indep=False):
        r = stats.chi2_contingency(table)
        c = {"name": name, "table": [arr(row) for row in table],
             "statistic": f(r.statistic), "pvalue": f(r.pvalue)}
        if indep:
            c["logp_independent"] = chi2_logsf_mp(r.statistic, r.dof)
        cases.append(c)

    add("2x2_yates", [[10.0, 20.0], [30.0, 25.0]])
    add("2x2_small_diff", [[10.0, 10.0], [10.2, 9.9]])
    add("2x5", [[10.0, 20.0, 30.0, 5.0, 0.0], [12.0, 18.0, 25.0, 9.0, 4.0]])
    add("3x3", [[5.0, 7.0, 9.0], [6.0, 2.0, 11.0], [8.0, 8.0, 1.0]])
    add("1x4_dof0", [[3.0, 4.0, 5.0, 6.0]])
    add("underflow", [[500000.0, 500000.0], [300000.0, 700000.0]], indep=True)
    add("category_only_in_current", [[100.0, 50.0, 0.0], [90.0, 55.0, 12.0]])
    return cases


# ---------------------------------------------------------------- z-test


def ztest_cases():
    from scipy.stats import norm
    from statsmodels.stats.proportion import proportions_ztest
    cases = []

    def add(name, sa, na, sb, nb):
        z, p = proportions_ztest([sa, sb], [na, nb])  # pooled, two-sided
        # Evidently's z test: the same z, p = 2 (1 - Phi(|z|)).
        p1, p2 = sa / na, sb / nb
        P = (p1 * na + p2 * nb) / (na + nb)
        ze = (p1 - p2) / np.sqrt(P * (1 - P) * (1.0 / na + 1.0 / nb))
        c = {"name": name, "successA": sa, "nA": na, "successB": sb, "nB": nb,
             "statistic": f(z), "pvalue": f(p),
             "pvalue_evidently": f(2 * (1 - norm.cdf(abs(ze)))),
             "logp_independent": min(0.0, math.log(2) + norm_logsf_mp(abs(z)))}
        cases.append(c)

    add("moderate", 30.0, 100.0, 45.0, 120.0)
    add("equal", 50.0, 100.0, 100.0, 200.0)
    add("tiny_p", 500000.0, 1000000.0, 450000.0, 1000000.0)
    add("small", 1.0, 3.0, 2.0, 2.0)
    add("none_vs_some", 0.0, 1000.0, 40.0, 1000.0)
    add("large_missing_share", 12000.0, 1000000.0, 30000.0, 900000.0)
    return cases


# ---------------------------------------------------------------- distances


def fill_zeros(p):
    """Evidently's get_binned_data fill of empty bins."""
    p = np.array(p, dtype=float)
    nz = p[p != 0]
    fill = nz.min() / 10 ** 6 if nz.min() <= 0.0001 else 0.0001
    np.place(p, p == 0, fill)
    return p


def distance_cases():
    cases = []

    def add(name, p, q):
        p, q = np.asarray(p, float), np.asarray(q, float)
        ps, qs = p / p.sum(), q / q.sum()
        rf, cf = fill_zeros(ps), fill_zeros(qs)
        psi = np.sum((rf - cf) * np.log(rf / cf))
        mp.mp.dps = 40
        hell = mp.sqrt(mp.fsum((mp.sqrt(mp.mpf(a) / mp.fsum(map(mp.mpf, p))) -
                                mp.sqrt(mp.mpf(b) / mp.fsum(map(mp.mpf, q)))) ** 2 for a, b in zip(p, q)) / 2)
        bc = np.clip(np.sum(np.sqrt(ps * qs)), 0, 1)
        cases.append({"name": name, "p": arr(p), "q": arr(q),
                      "kl": f(stats.entropy(p, q)),
                      "kl_filled": f(stats.entropy(rf, cf)),
                      "js": f(distance.jensenshannon(p, q)),
                      "psi": f(psi),
                      "hellinger": f(hell),
                      "hellinger_evidently": f(np.sqrt(1 - bc)),
                      "tvd": f(0.5 * np.sum(np.abs(ps - qs)))})

    add("counts", [10, 20, 30, 40], [15, 25, 25, 35])
    add("shares", [0.1, 0.2, 0.3, 0.4], [0.4, 0.3, 0.2, 0.1])
    add("identical", [3, 5, 7], [3, 5, 7])
    add("scaled_identical", [3, 5, 7], [30, 50, 70])
    add("only_in_current", [50, 50, 0], [40, 40, 20])
    add("empty_bin_both", [50, 0, 50], [30, 0, 70])
    add("tiny_share_fill", [100000, 5, 0], [99990, 0, 15])
    add("disjoint", [1, 0], [0, 1])
    add("many_bins", list(range(1, 31)), list(range(30, 0, -1)))
    return cases


# ---------------------------------------------------------------- special functions


def special_cases():
    out = {"kstwo": [], "smirnov": [], "chi2": [], "norm": [], "kv": []}
    for n in [1, 2, 3, 5, 10, 50, 100, 140, 141, 500, 1000, 5000, 20000, 100000, 100001, 500000, 1000000, 2000000]:
        xs = [z / math.sqrt(n) for z in (0.05, 0.2, 0.4, 0.6, 0.8, 1.0, 1.2, 1.5, 2.0, 3.0, 5.0, 10.0, 13.0)]
        xs += [0.3, 0.5, 0.7, 0.9, 0.99]
        for x in xs:
            if x >= 1:
                continue
            out["kstwo"].append([n, x, f(stats.kstwo.sf(x, n))])
            out["smirnov"].append([n, x, f(sc.smirnov(n, x))])
    for df in [1, 2, 3, 5, 10, 30, 100, 1000, 10000]:
        for r in [0.01, 0.1, 0.5, 0.9, 1.0, 1.1, 1.5, 2.0, 3.0, 5.0]:
            x = df * r
            # SciPy's value, then a 40-digit one.
            mp.mp.dps = 40
            truth = mp.gammainc(mp.mpf(df) / 2, mp.mpf(x) / 2, mp.inf, regularized=True)
            out["chi2"].append([df, x, f(stats.chi2.sf(x, df)), f(truth), float(mp.log(truth))])
    for z in [-10, -3, -1, -0.5, 0, 0.3, 0.7, 1, 2, 5, 8, 10, 20, 30, 37]:
        mp.mp.dps = 40
        out["norm"].append([z, f(stats.norm.sf(z)), f(mp.erfc(mp.mpf(z) / mp.sqrt(2)) / 2)])
    for x in [1e-3, 0.01, 0.1, 0.5, 1, 2, 5, 10, 20, 50, 100, 300]:
        out["kv"].append([x, f(sc.kv(0.25, x))])
    return out


def main():
    np.seterr(all="ignore")
    out = {
        "generator": "drift/stat/testdata/gen_fixtures.py",
        "scipy": scipy.__version__,
        "numpy": np.__version__,
        "mpmath": mp.__version__,
        "statsmodels": statsmodels.__version__,
        "ks": ks_cases(),
        "wasserstein": wasserstein_cases(),
        "mannwhitneyu": mwu_cases(),
        "cramervonmises": cvm_cases(),
        "anderson": ad_cases(),
        "anderson_pvalue": ad_pvalue_cases(),
        "chisquare": chisq_cases(),
        "contingency": contingency_cases(),
        "ztest": ztest_cases(),
        "distances": distance_cases(),
        "special": special_cases(),
    }
    json.dump(out, sys.stdout, indent=1, allow_nan=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
