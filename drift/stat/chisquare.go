package stat

import "math"

// ChiSquareGOF is Pearson's chi-square goodness-of-fit test, matching
// scipy.stats.chisquare(observed, expected) (ddof 0): statistic
// Σ (o − e)²/e, p-value chi2.sf(statistic, k − 1).
//
// Evidently's chi-square drift test is this with observed = current counts
// and expected = reference counts scaled to the current total.
//
// LogPValue is the log of the regularized upper incomplete gamma function
// computed in log space (continued fraction), finite however large the
// statistic.
//
// Like SciPy: an expected count of 0 with a positive observed count gives
// Statistic +Inf and PValue 0 (LogPValue −Inf), and 0 against 0 gives NaN;
// a single category has no degrees of freedom, so Statistic is 0 and the
// p-value NaN. NaN Result: empty or unequal-length inputs, a NaN, or totals
// that differ by more than 1e-8 relative (SciPy raises).
func ChiSquareGOF(observed, expected []float64) Result {
	k := len(observed)
	if k == 0 || len(expected) != k {
		return nanResult()
	}
	var so, se neumaier
	for i := range observed {
		if math.IsNaN(observed[i]) || math.IsNaN(expected[i]) {
			return nanResult()
		}
		so.add(observed[i])
		se.add(expected[i])
	}
	if math.Abs(so.value()-se.value())/math.Min(so.value(), se.value()) > 1e-8 {
		return nanResult()
	}
	var stat neumaier
	for i := range observed {
		d := observed[i] - expected[i]
		stat.add(d * d / expected[i])
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
// table of counts, matching scipy.stats.chi2_contingency(table) with its
// defaults: expected counts from the margins, dof (r−1)(c−1), and Yates'
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

// ZTestProportions is the two-proportion z-test Evidently uses for binary
// categorical columns (its "z" stat test): with p_a = successA/nA,
// p_b = successB/nB and the pooled P = (successA + successB)/(nA + nB),
// z = (p_a − p_b) / sqrt(P(1−P)(1/nA + 1/nB)) and the two-sided
// p = 2·Φ(−|z|). Evidently computes 2·(1 − Φ(|z|)), which is the same
// number to within 1.2e-16 but rounds to 0 past |z| ≈ 8.3; this keeps the
// tail. LogPValue is log 2 + log Φ(−|z|) in log space.
//
// When P is 0 or 1 — both samples hold one and the same category — z is
// undefined; like Evidently's special case this returns Statistic 0,
// PValue 1. NaN Result: nA or nB not positive, a success count outside
// [0, n], or a NaN.
func ZTestProportions(successA, nA, successB, nB float64) Result {
	if !(nA > 0 && nB > 0 && successA >= 0 && successA <= nA && successB >= 0 && successB <= nB) {
		return nanResult()
	}
	p1 := successA / nA
	p2 := successB / nB
	P := (p1*nA + p2*nB) / (nA + nB)
	v := P * (1 - P) * (1/nA + 1/nB)
	if !(v > 0) {
		return Result{Statistic: 0, PValue: 1, LogPValue: 0}
	}
	z := (p1 - p2) / math.Sqrt(v)
	p := clip01(2 * normSF(math.Abs(z)))
	return Result{Statistic: z, PValue: p, LogPValue: math.Min(ln2+logNormSF(math.Abs(z)), 0)}
}
