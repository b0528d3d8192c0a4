package stat

import (
	"math"
	"slices"
)

// AndersonKSamp is the k-sample Anderson-Darling test, matching
// scipy.stats.anderson_ksamp(samples) of SciPy 1.10 with midrank=True
// (Scholz & Stephens 1987, the A2akN statistic for ties, equation 7). The samples may be in any
// order; each is copied and sorted once and the pooled ranking is a k-way
// merge.
//
// Statistic is SciPy's standardised statistic (A2akN − (k−1))/σN. PValue is
// SciPy's interpolation: a quadratic fit of log(significance) against
// Scholz & Stephens' critical values for the levels 0.25, 0.1, 0.05, 0.025,
// 0.01, 0.005 and 0.001, evaluated at the statistic and — as in SciPy —
// clamped to [0.001, 0.25]: a statistic below the 25% critical value gives
// exactly 0.25 ("p ≥ 0.25") and one above the 0.1% critical value exactly
// 0.001 ("p ≤ 0.001"). Treat those two values as bounds, not p-values.
// LogPValue is log(PValue), so it carries the same clamp.
//
// NaN Result: fewer than two samples, an empty sample, a NaN value, fewer
// than two distinct values in all (SciPy raises for each of these), or
// fewer than 4 values in all, where σN is undefined (SciPy raises or divides
// by zero). ±Inf are ordinary values.
func AndersonKSamp(samples ...[]float64) Result {
	if len(samples) < 2 {
		return nanResult()
	}
	sorted := make([][]float64, len(samples))
	for i, s := range samples {
		if len(s) == 0 {
			return nanResult()
		}
		sorted[i] = sortedCopy(s)
	}
	return AndersonKSampSorted(sorted...)
}

// AndersonKSampSorted is AndersonKSamp for samples sorted ascending, in
// one k-way merge walk; it allocates only its per-sample counters.
func AndersonKSampSorted(samples ...[]float64) Result {
	k := len(samples)
	if k < 2 {
		return nanResult()
	}
	N := 0
	for _, s := range samples {
		if badSorted(s) {
			return nanResult()
		}
		N += len(s)
	}
	if N < 4 {
		return nanResult()
	}
	fN := float64(N)

	// Walk the distinct values of the pooled sample. For each sample i keep
	// the running count of its values ≤ the current value.
	idx := make([]int, k)
	sums := make([]neumaier, k)
	distinct := 0
	left := 0 // pooled values < current value
	cnt := make([]int, k)
	// First pass would be needed to know whether all values are distinct
	// (SciPy then uses lj = 1 exactly, which is the same number), so no
	// special case is needed.
	for {
		v := math.Inf(1)
		any := false
		for i, s := range samples {
			if idx[i] < len(s) && (!any || s[idx[i]] < v) {
				v = s[idx[i]]
				any = true
			}
		}
		if !any {
			break
		}
		lj := 0
		for i, s := range samples {
			c := 0
			for idx[i] < len(s) && s[idx[i]] == v {
				idx[i]++
				c++
			}
			cnt[i] = c
			lj += c
		}
		if lj == 0 { // unsorted input: give up rather than loop
			return nanResult()
		}
		distinct++
		flj := float64(lj)
		bj := float64(left) + flj/2
		den := bj*(fN-bj) - fN*flj/4
		for i := range samples {
			// Mij = #(s_i ≤ v) − f_ij/2
			mij := float64(idx[i]) - float64(cnt[i])/2
			d := fN*mij - bj*float64(len(samples[i]))
			sums[i].add(flj / fN * (d * d) / den)
		}
		left += lj
	}
	if distinct < 2 {
		return nanResult()
	}
	a2 := 0.0
	H := 0.0
	for i, s := range samples {
		a2 += sums[i].value() / float64(len(s))
		H += 1 / float64(len(s))
	}
	a2 *= (fN - 1) / fN

	// h = Σ_{j=1}^{N-1} 1/j and g = Σ hs_cs/(2…N−1), with SciPy's
	// cumulative sums in its order.
	var g neumaier
	cs := 0.0
	for t := 0; t < N-2; t++ {
		cs += 1 / float64(N-1-t)
		g.add(cs / float64(t+2))
	}
	h := cs + 1
	gv := g.value()
	fk := float64(k)
	ka := (4*gv-6)*(fk-1) + (10-6*gv)*H
	kb := (2*gv-4)*fk*fk + 8*h*fk + (2*gv-14*h-4)*H - 8*h + 4*gv - 6
	kc := (6*h+2*gv-2)*fk*fk + (4*h-4*gv+6)*fk + (2*h-6)*H + 4*h
	kd := (2*h+6)*fk*fk - 4*h*fk
	sigmasq := (ka*(fN*fN*fN) + kb*(fN*fN) + kc*fN + kd) / ((fN - 1) * (fN - 2) * (fN - 3))
	m := fk - 1
	A2 := (a2 - m) / math.Sqrt(sigmasq)

	p := adPValue(A2, m)
	return Result{Statistic: A2, PValue: p, LogPValue: math.Log(p)}
}

// adPValue is SciPy's interpolation of Scholz & Stephens' Table 2.
func adPValue(A2, m float64) float64 {
	b0 := [7]float64{0.675, 1.281, 1.645, 1.96, 2.326, 2.573, 3.085}
	b1 := [7]float64{-0.245, 0.25, 0.678, 1.149, 1.822, 2.364, 3.615}
	b2 := [7]float64{-0.105, -0.305, -0.362, -0.391, -0.396, -0.345, -0.154}
	sig := [7]float64{0.25, 0.1, 0.05, 0.025, 0.01, 0.005, 0.001}
	var crit [7]float64
	for i := range crit {
		crit[i] = b0[i] + b1[i]/math.Sqrt(m) + b2[i]/m
	}
	lo, hi := slices.Min(crit[:]), slices.Max(crit[:])
	switch {
	case math.IsNaN(A2):
		return math.NaN()
	case A2 < lo:
		return 0.25
	case A2 > hi:
		return 0.001
	}
	var y [7]float64
	for i := range y {
		y[i] = math.Log(sig[i])
	}
	c := polyfit2(crit[:], y[:])
	return math.Exp((c[0]*A2+c[1])*A2 + c[2])
}

// polyfit2 is numpy.polyfit(x, y, 2): least squares for the coefficients
// (highest power first) of a quadratic, with NumPy's column scaling,
// solved by Householder QR.
func polyfit2(x, y []float64) [3]float64 {
	n := len(x)
	A := make([][3]float64, n)
	for i, xi := range x {
		A[i] = [3]float64{xi * xi, xi, 1}
	}
	var scale [3]float64
	for j := 0; j < 3; j++ {
		s := 0.0
		for i := range A {
			s += A[i][j] * A[i][j]
		}
		scale[j] = math.Sqrt(s)
		for i := range A {
			A[i][j] /= scale[j]
		}
	}
	b := slices.Clone(y)
	for j := 0; j < 3; j++ {
		// Householder reflection zeroing A[j+1:, j].
		norm := 0.0
		for i := j; i < n; i++ {
			norm += A[i][j] * A[i][j]
		}
		norm = math.Sqrt(norm)
		alpha := -math.Copysign(norm, A[j][j])
		v := make([]float64, n)
		v[j] = A[j][j] - alpha
		for i := j + 1; i < n; i++ {
			v[i] = A[i][j]
		}
		vv := 0.0
		for i := j; i < n; i++ {
			vv += v[i] * v[i]
		}
		if vv == 0 {
			continue
		}
		for c := j; c < 3; c++ {
			dot := 0.0
			for i := j; i < n; i++ {
				dot += v[i] * A[i][c]
			}
			f := 2 * dot / vv
			for i := j; i < n; i++ {
				A[i][c] -= f * v[i]
			}
		}
		dot := 0.0
		for i := j; i < n; i++ {
			dot += v[i] * b[i]
		}
		f := 2 * dot / vv
		for i := j; i < n; i++ {
			b[i] -= f * v[i]
		}
	}
	var c [3]float64
	for j := 2; j >= 0; j-- {
		s := b[j]
		for t := j + 1; t < 3; t++ {
			s -= A[j][t] * c[t]
		}
		c[j] = s / A[j][j]
	}
	for j := range c {
		c[j] /= scale[j]
	}
	return c
}
