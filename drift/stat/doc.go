// Package stat holds the two-sample statistical tests and the histogram
// distances that drift detection uses, each matching the SciPy 1.10
// function (or the Evidently formula) it is named after, so that a drift
// report can be checked against the Python tools people already trust.
//
// # Tests and distances
//
//   - KS, KSSorted: two-sample Kolmogorov-Smirnov, scipy.stats.ks_2samp.
//   - AndersonKSamp, AndersonKSampSorted: k-sample Anderson-Darling,
//     scipy.stats.anderson_ksamp (midrank).
//   - CramerVonMises2, CramerVonMises2Sorted: two-sample Cramér-von Mises,
//     scipy.stats.cramervonmises_2samp.
//   - MannWhitneyU, MannWhitneyUSorted: scipy.stats.mannwhitneyu.
//   - ChiSquareGOF: scipy.stats.chisquare, expected rescaled to the
//     observed total. ChiSquareContingency: scipy.stats.chi2_contingency.
//   - ZTestProportions: pooled two-proportion z-test, statsmodels'
//     proportions_ztest and Evidently's "z" test.
//   - Wasserstein, WassersteinSorted: scipy.stats.wasserstein_distance.
//   - KL (scipy.stats.entropy), JensenShannon
//     (scipy.spatial.distance.jensenshannon), PSI, Hellinger and TVD
//     (Evidently's formulas) on histograms; FillEmptyBins is Evidently's
//     treatment of empty bins.
//
// # Glossary
//
// Sorted variant: a function named …Sorted takes samples already sorted
// ascending (slices.Sort order) and does not copy them; the drift package
// sorts each column once and runs every test on the sorted slices. Their
// merge walks are O(n1+n2); WassersteinSorted and KSSorted's walk
// allocate nothing (KSSorted's exact p-value allocates one column). Given unsorted input they return some number without hanging
// or panicking.
//
// Result: Statistic, PValue and LogPValue. PValue is SciPy's number, down
// to its underflow to 0 and its other quirks where documented. LogPValue
// is ln p computed so that it stays finite and accurate where the p-value
// underflows: drift ranks columns by it, and reports p as e^LogPValue
// where PValue is 0.
//
// Exact and asymptotic: like SciPy's method='auto', KS is exact for
// max(n1, n2) <= 10000, Cramér-von Mises for max(n1, n2) <= 20 and
// Mann-Whitney for min(n1, n2) <= 8 without ties; otherwise the
// asymptotic distributions are used, evaluated as SciPy evaluates them.
//
// Undefined input: empty samples, samples too small for the test, and NaN
// values give a Result of three NaNs (distances give NaN), never a panic.
// Callers drop NaN (missing values) before calling; the sorted variants
// only look for NaN at the ends of a slice, where slices.Sort puts it.
// ±Inf are ordinary values to the rank tests and KS.
//
// # Deviations from SciPy
//
// Each function's comment lists its own; the main ones: LogPValue exists
// at all (SciPy has none); ChiSquareGOF rescales expected counts instead of
// raising when the totals differ; the rank tests accept −Inf and +Inf
// together (SciPy 1.10's rankdata returns NaN then); CramerVonMises2's
// LogPValue below p = 1e-3 is the accurate tail rather than the log of
// SciPy's truncated-series p; distances never return a rounding-negative
// value.
//
// The tests in this package check every function against SciPy's
// statistic and p-value on fixtures written by testdata/gen_fixtures.py;
// see testdata/README.md.
package stat
