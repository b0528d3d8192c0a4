package stat

import "math"

// ChiSquareGOF is Pearson's chi-square goodness-of-fit test, matching
// scipy.stats.chisquare(observed, expected) of SciPy 1.10 (ddof 0):
// statistic Σ (o − e)²/e, p-value chi2.sf(statistic, k − 1).
//
// The expected counts are first rescaled to the observed total,
// e_i·Σo/Σe, when the two totals differ; SciPy instead raises when they
// differ by more than 1e-8 relative. So expected may be given as the
// reference counts or shares: Evidently's chi-square drift test is this
// with observed = current counts and expected = reference counts (it
// scales them by len(current)/len(reference) before calling SciPy).
//
// LogPValue is the log of the regularized upper incomplete gamma function
// evaluated in log space (continued fraction), finite however large the
// statistic.
//
// Like SciPy: an expected count of 0 with a positive observed count gives
// Statistic +Inf and PValue 0 (LogPValue −Inf), and 0 against 0 makes the
// statistic NaN (leave categories seen on neither side out); a single
// category has no degrees of freedom, so Statistic is 0 and the p-value
// NaN. NaN Result: empty or unequal-length inputs, a NaN or negative
// count, or an expected total that is 0 or infinite.
func ChiSquareGOF(observed, expected []float64) Result {
	k := len(observed)
	if k == 0 || len(expected) != k {
		return nanResult()
	}
	var so, se neumaier
	for i := range observed {
		if !(observed[i] >= 0) || !(expected[i] >= 0) {
			return nanResult()
		}
		so.add(observed[i])
		se.add(expected[i])
	}
	sumO, sumE := so.value(), se.value()
	if !(sumE > 0) || math.IsInf(sumE, 0) || math.IsInf(sumO, 0) {
		return nanResult()
	}
	var stat neumaier
	for i, o := range observed {
		e := expected[i]
		if sumO != sumE {
			e = e * sumO / sumE
		}
		d := o - e
		stat.add(d * d / e)
	}
	return chi2Result(stat.value(), float64(k-1))
}

func chi2Result(stat, df float64) Result {
	if math.IsNaN(stat) {
		return Result{stat, math.NaN(), math.NaN()}
	}
	if !(df > 0) {
		return Result{stat, math.NaN(), math.NaN()}
	}
	p, logp := chi2SF(stat, df)
	return Result{Statistic: stat, PValue: p, LogPValue: math.Min(logp, 0)}
}

// ChiSquareContingency is the chi-square test of independence on an r×c
// table of counts, matching scipy.stats.chi2_contingency(table) of SciPy
// 1.10 with its defaults: expected counts from the margins, dof (r−1)(c−1), and Yates'
// continuity correction when dof == 1 (each observed count moved towards
// its expected count by min(0.5, |o − e|)). Alibi Detect and NannyML use
// this test on the 2×K table of reference and current counts. dof == 0 (a
// single row or column) gives Statistic 0 and PValue 1, as in SciPy.
// LogPValue as for ChiSquareGOF.
//
// NaN Result: an empty or ragged table, a negative count or NaN, or an
// expected count of 0 — a row or column that sums to 0 (SciPy raises);
// leave categories seen on neither side out of the table.
func ChiSquareContingency(table [][]float64) Result {
	r := len(table)
	if r == 0 || len(table[0]) == 0 {
		return nanResult()
	}
	c := len(table[0])
	rows := make([]float64, r)
	cols := make([]float64, c)
	var total neumaier
	for i, row := range table {
		if len(row) != c {
			return nanResult()
		}
		var rs neumaier
		for j, v := range row {
			if !(v >= 0) {
				return nanResult()
			}
			rs.add(v)
			cols[j] += v
			total.add(v)
		}
		rows[i] = rs.value()
	}
	tot := total.value()
	dof := (r - 1) * (c - 1)
	expected := func(i, j int) float64 { return rows[i] * cols[j] / tot }
	for i := range rows {
		for j := range cols {
			if expected(i, j) == 0 {
				return nanResult()
			}
		}
	}
	if dof == 0 {
		return Result{Statistic: 0, PValue: 1, LogPValue: 0}
	}
	var stat neumaier
	for i, row := range table {
		for j, o := range row {
			e := expected(i, j)
			if dof == 1 {
				diff := e - o
				mag := math.Min(0.5, math.Abs(diff))
				switch {
				case diff > 0:
					o += mag
				case diff < 0:
					o -= mag
				}
			}
			d := o - e
			stat.add(d * d / e)
		}
	}
	return chi2Result(stat.value(), float64(dof))
}

// ZTestProportions is the pooled two-proportion z-test, matching
// statsmodels' proportions_ztest([successA, successB], [nA, nB]) (0.13,
// two-sided, value 0, prop_var False), which is also Evidently's "z" drift
// test for binary categorical columns: with p_a = successA/nA,
// p_b = successB/nB and the pooled P = (successA + successB)/(nA + nB),
// z = (p_a − p_b) / sqrt(P(1−P)(1/nA + 1/nB)) and p = 2·Φ(−|z|).
// Evidently computes 2·(1 − Φ(|z|)), the same number to within 1e-16
// absolute that rounds to 0 past |z| ≈ 8.3; this keeps the tail, as
// statsmodels does. LogPValue is log 2 + log Φ(−|z|) in log space, finite
// for any z.
//
// When P is 0 or 1 — both samples hold one and the same category — z is
// 0/0: statsmodels returns NaN; this returns Statistic 0, PValue 1, like
// Evidently's special case for a single shared value. NaN Result: nA or
// nB not positive, a success count outside [0, n], or a NaN.
func ZTestProportions(successA, nA, successB, nB float64) Result {
	if !(nA > 0 && nB > 0 && successA >= 0 && successA <= nA && successB >= 0 && successB <= nB) {
		return nanResult()
	}
	p1 := successA / nA
	p2 := successB / nB
	P := (successA + successB) / (nA + nB)
	v := P * (1 - P) * (1/nA + 1/nB)
	if !(v > 0) {
		return Result{Statistic: 0, PValue: 1, LogPValue: 0}
	}
	z := (p1 - p2) / math.Sqrt(v)
	p := clip01(2 * normSF(math.Abs(z)))
	return Result{Statistic: z, PValue: p, LogPValue: math.Min(ln2+logNormSF(math.Abs(z)), 0)}
}
