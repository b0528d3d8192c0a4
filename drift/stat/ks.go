package stat

import (
	"math"
)

// ksMaxAutoN is SciPy's MAX_AUTO_N: ks_2samp's method 'auto' is exact when
// max(n1, n2) <= 10000 and asymptotic otherwise.
const ksMaxAutoN = 10000

// KS is the two-sample Kolmogorov-Smirnov test, matching
// scipy.stats.ks_2samp(a, b) with its defaults (alternative='two-sided',
// method='auto'). The inputs may be in any order; they are copied and
// sorted. See KSSorted for the method and for LogPValue.
func KS(a, b []float64) Result {
	if len(a) == 0 || len(b) == 0 {
		return nanResult()
	}
	as, bs := sortedCopy(a), sortedCopy(b)
	return KSSorted(as, bs)
}

// KSSorted is KS for inputs already sorted ascending (as slices.Sort or
// sort.Float64s leave them); it runs in O(len(a)+len(b)) without copying.
//
// Statistic is D = max |F_a(x) − F_b(x)| over the pooled values, computed
// exactly as SciPy does (ECDF heights i/n1 − j/n2 in float64). The p-value
// follows ks_2samp's method 'auto':
//
//   - max(n1, n2) <= 10000: the exact null distribution (Hodges 1958; for
//     n1 == n2 SciPy's closed-form sum, otherwise the lattice-path recursion
//     of Viehmann 2021 that SciPy uses). As in SciPy the reported statistic
//     is then h/lcm(n1, n2) with h = round(D·lcm), which equals D up to
//     rounding.
//   - otherwise: SciPy 1.10's asymptotic branch, kstwo.sf(D, round(n1·n2/(n1+n2))),
//     the one-sample two-sided distribution of Simard & L'Ecuyer (2011).
//
// LogPValue is log(PValue) while PValue >= 1e-280. Below that, where
// SciPy's p underflows to 0: in the exact branch the same recursion is
// rerun with an extended exponent, so LogPValue is the exact log p; in the
// asymptotic branch it is log(2·smirnov(n, D)) — the formula SciPy itself
// uses there — summed in log space.
//
// Empty inputs give a NaN Result; so do NaN values (sorted NaNs sit at the
// front, which is all this checks). ±Inf are ordinary values.
func KSSorted(a, b []float64) Result {
	n1, n2 := len(a), len(b)
	if n1 == 0 || n2 == 0 || math.IsNaN(a[0]) || math.IsNaN(b[0]) ||
		math.IsNaN(a[n1-1]) || math.IsNaN(b[n2-1]) {
		return nanResult()
	}
	fn1, fn2 := float64(n1), float64(n2)
	maxS, minS := math.Inf(-1), math.Inf(1)
	i, j := 0, 0
	for i < n1 || j < n2 {
		var v float64
		switch {
		case j >= n2 || (i < n1 && a[i] <= b[j]):
			v = a[i]
		default:
			v = b[j]
		}
		for i < n1 && a[i] <= v {
			i++
		}
		for j < n2 && b[j] <= v {
			j++
		}
		diff := float64(i)/fn1 - float64(j)/fn2
		maxS = math.Max(maxS, diff)
		minS = math.Min(minS, diff)
	}
	minS = math.Min(math.Max(-minS, 0), 1)
	d := maxS
	if minS > maxS {
		d = minS
	}
	if max(n1, n2) <= ksMaxAutoN {
		return ksExact(n1, n2, d)
	}
	return ksAsymp(n1, n2, d)
}

func ksExact(n1, n2 int, d float64) Result {
	g := gcd(n1, n2)
	lcm := (n1 / g) * n2
	h := int(math.RoundToEven(d * float64(lcm)))
	d = float64(h) / float64(lcm)
	if h == 0 {
		return Result{Statistic: d, PValue: 1, LogPValue: 0}
	}
	var p, logp float64
	if n1 == n2 {
		p, logp = ksProbOutsideSquare(n1, h)
	} else {
		p = ksOuterProbInside(n1, n2, g, h)
		logp = math.Log(p)
		if p < 1e-280 {
			logp = ksLogOuterProbInside(n1, n2, g, h)
		}
	}
	p = clip01(p)
	return Result{Statistic: d, PValue: p, LogPValue: math.Min(logp, 0)}
}

func ksAsymp(n1, n2 int, d float64) Result {
	m, n := float64(max(n1, n2)), float64(min(n1, n2))
	en := m * n / (m + n)
	neff := int(math.RoundToEven(en))
	p := clip01(kstwoSF(neff, d))
	return Result{Statistic: d, PValue: p, LogPValue: math.Min(kstwoLogSF(neff, d), 0)}
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// ksProbOutsideSquare is Pr(D_{n,n} >= h/n) (SciPy's
// _compute_prob_outside_square):
// 2·Σ_k (−1)^(k+1) C(2n, n−kh)/C(2n, n), by a Horner-like scheme. The log
// is taken with the leading factor summed as logarithms, so it stays finite
// when the p-value underflows.
func ksProbOutsideSquare(n, h int) (p, logp float64) {
	P := 0.0
	inner := 0.0 // the value of P before the k = 0 step
	k := n / h
	for ; k >= 0; k-- {
		p1 := 1.0
		for j := 0; j < h; j++ {
			p1 = float64(n-k*h-j) * p1 / float64(n+k*h+j+1)
		}
		if k == 0 {
			inner = P
		}
		P = p1 * (1 - P)
	}
	p = 2 * P
	logp = math.Log(p)
	if p < 1e-280 {
		l := 0.0
		for j := 0; j < h; j++ {
			l += math.Log(float64(n-j)) - math.Log(float64(n+j+1))
		}
		logp = ln2 + l + math.Log1p(-inner)
	}
	return p, logp
}

// ksOuterProbInside is SciPy's _compute_outer_prob_inside_method: the
// proportion of lattice paths from (0,0) to (m,n) that leave the band
// |x/m − y/n| < h/lcm(m,n), computed directly (not as 1 − inside) with the
// recursion of Viehmann (2021). O(m · band width) time, O(n) memory.
func ksOuterProbInside(m, n, g, h int) float64 {
	if m < n {
		m, n = n, m
	}
	mg, ng := m/g, n/g
	fh, fmg, fng := float64(h), float64(mg), float64(ng)
	minj, maxj := 0, min(int(math.Ceil(fh/fmg)), n+1)
	curlen := maxj - minj
	lenA := min(2*maxj+2, n+1)
	A := make([]float64, lenA)
	for i := range A {
		A[i] = 1
	}
	for i := minj; i < maxj && i < lenA; i++ {
		A[i] = 0
	}
	at := func(i int) float64 {
		if i < len(A) {
			return A[i]
		}
		return 1
	}
	for i := 1; i <= m; i++ {
		lastminj, lastlen := minj, curlen
		minj = max(int(math.Floor((fng*float64(i)-fh)/fmg))+1, 0)
		minj = min(minj, n)
		maxj = min(int(math.Ceil((fng*float64(i)+fh)/fmg)), n+1)
		if maxj <= minj {
			return 1
		}
		val := 1.0
		if minj == 0 {
			val = 0
		}
		fi := float64(i)
		for jj := 0; jj < maxj-minj; jj++ {
			j := float64(jj + minj)
			val = (at(jj+minj-lastminj)*fi + val*j) / (fi + j)
			if jj >= len(A) {
				A = append(A, make([]float64, jj+1-len(A))...)
			}
			A[jj] = val
		}
		curlen = maxj - minj
		if lastlen > curlen {
			for t := maxj - minj; t < maxj-minj+(lastlen-curlen); t++ {
				if t < len(A) {
					A[t] = 1
				}
			}
		}
	}
	return A[maxj-minj-1]
}

// xval is a nonnegative number mant·2^(-xstep·lvl) with mant ≤ 1 and, unless
// zero, mant ≥ 2^-xstep: a float64 with a wider exponent, enough for the
// smallest KS p-values (2/C(20000, 10000) ≈ 10^-6020).
type xval struct {
	mant float64
	lvl  int
}

const xstep = 600

var xzero = xval{0, math.MaxInt32}

// xavg returns (a·wa + b·wb)/(wa+wb) for weights wa, wb ≥ 0.
func xavg(a xval, wa float64, b xval, wb float64) xval {
	switch {
	case a.mant == 0 && b.mant == 0:
		return xzero
	case a.mant == 0:
		a.lvl = b.lvl
	case b.mant == 0:
		b.lvl = a.lvl
	}
	lvl := min(a.lvl, b.lvl)
	am, bm := a.mant, b.mant
	if a.lvl != lvl {
		am = scaleDown(am, a.lvl-lvl)
	}
	if b.lvl != lvl {
		bm = scaleDown(bm, b.lvl-lvl)
	}
	m := (am*wa + bm*wb) / (wa + wb)
	if m == 0 {
		return xzero
	}
	for m < 0x1p-600 {
		m *= 0x1p600
		lvl++
	}
	return xval{m, lvl}
}

func scaleDown(m float64, steps int) float64 {
	if steps >= 2 {
		return 0 // below 2^-1200 of the other operand: negligible
	}
	return m * 0x1p-600
}

func (x xval) log() float64 {
	if x.mant == 0 {
		return math.Inf(-1)
	}
	return math.Log(x.mant) - float64(x.lvl)*xstep*ln2
}

// ksLogOuterProbInside is log(ksOuterProbInside(m, n, g, h)) computed with
// the same recursion in extended-exponent arithmetic: every step is a
// weighted average of nonnegative numbers, so nothing cancels and the result
// is accurate however small.
func ksLogOuterProbInside(m, n, g, h int) float64 {
	if m < n {
		m, n = n, m
	}
	mg, ng := m/g, n/g
	fh, fmg, fng := float64(h), float64(mg), float64(ng)
	one := xval{1, 0}
	minj, maxj := 0, min(int(math.Ceil(fh/fmg)), n+1)
	curlen := maxj - minj
	lenA := min(2*maxj+2, n+1)
	A := make([]xval, lenA)
	for i := range A {
		A[i] = one
	}
	for i := minj; i < maxj && i < lenA; i++ {
		A[i] = xzero
	}
	at := func(i int) xval {
		if i < len(A) {
			return A[i]
		}
		return one
	}
	for i := 1; i <= m; i++ {
		lastminj, lastlen := minj, curlen
		minj = max(int(math.Floor((fng*float64(i)-fh)/fmg))+1, 0)
		minj = min(minj, n)
		maxj = min(int(math.Ceil((fng*float64(i)+fh)/fmg)), n+1)
		if maxj <= minj {
			return 0
		}
		val := one
		if minj == 0 {
			val = xzero
		}
		fi := float64(i)
		for jj := 0; jj < maxj-minj; jj++ {
			j := float64(jj + minj)
			val = xavg(at(jj+minj-lastminj), fi, val, j)
			if jj >= len(A) {
				A = append(A, make([]xval, jj+1-len(A))...)
			}
			A[jj] = val
		}
		curlen = maxj - minj
		if lastlen > curlen {
			for t := maxj - minj; t < maxj-minj+(lastlen-curlen); t++ {
				if t < len(A) {
					A[t] = one
				}
			}
		}
	}
	return A[maxj-minj-1].log()
}
