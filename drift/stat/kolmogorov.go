package stat

import "math"

// The one-sample Kolmogorov-Smirnov distributions that ks_2samp's asymptotic
// branch uses: SciPy 1.10 computes its two-sided asymptotic p-value as
// scipy.stats.kstwo.sf(d, round(n1*n2/(n1+n2))), which is
// scipy.stats._ksstats._kolmogn(n, d, cdf=False) (Simard & L'Ecuyer 2011),
// which in turn calls Cephes smirnov (the one-sided distribution). These
// are re-implementations of the same algorithms and branch points.

// kstwoSF is scipy.stats.kstwo.sf(x, n) for n ≥ 1.
func kstwoSF(n int, x float64) float64 {
	switch {
	case math.IsNaN(x):
		return math.NaN()
	case x >= 1:
		return 0
	case x <= 0:
		return 1
	}
	fn := float64(n)
	t := fn * x
	if t <= 1 { // Ruben-Gambino: 1/2n <= x <= 1/n
		if t <= 0.5 {
			return 1
		}
		var prob float64
		if n <= 140 {
			prob = 1
			for i := 1; i <= n; i++ {
				prob *= float64(i) * (1.0 / fn) * (2*t - 1)
			}
		} else {
			prob = math.Exp(logNFactorialDivNPowN(fn) + fn*math.Log(2*t-1))
		}
		return clip01(1 - prob)
	}
	if t >= fn-1 { // Ruben-Gambino
		return clip01(2 * math.Pow(1-x, fn))
	}
	if x >= 0.5 {
		return clip01(2 * smirnovSF(n, x))
	}
	nxsq := t * x
	if n <= 140 {
		if nxsq <= 0.754693 {
			return clip01(1 - kolmogDMTW(n, x))
		}
		if nxsq <= 4 {
			return clip01(1 - kolmogPomeranz(n, x))
		}
		return clip01(2 * smirnovSF(n, x))
	}
	if nxsq >= 370 {
		return 0
	}
	if nxsq >= 2.2 {
		return clip01(2 * smirnovSF(n, x))
	}
	var cdf float64
	if n <= 100000 && fn*math.Pow(x, 1.5) <= 1.4 {
		cdf = kolmogDMTW(n, x)
	} else {
		cdf = kolmogPelzGood(n, x)
	}
	return clip01(1 - cdf)
}

// kstwoLogSF is log(kstwo.sf(x, n)), evaluated in log space along the same
// branches where the probability can underflow: there SciPy's formula is
// 2·smirnov(n, x) (or 2(1-x)^n), and so is this logarithm's. Past the point
// where SciPy returns exactly 0 (n x² ≥ 370, or 2 n x² > 708.4 inside
// smirnov) the same formula is continued in log space.
func kstwoLogSF(n int, x float64) float64 {
	p := kstwoSF(n, x)
	if p >= 1e-280 || math.IsNaN(p) {
		return math.Log(p)
	}
	fn := float64(n)
	if x >= 1 {
		return math.Inf(-1)
	}
	if fn*x >= fn-1 {
		return ln2 + fn*math.Log1p(-x)
	}
	return ln2 + smirnovLogSF(n, x)
}

// logNFactorialDivNPowN is log(n!/n^n) by Stirling's series
// (SciPy's _log_nfactorial_div_n_pow_n).
func logNFactorialDivNPowN(n float64) float64 {
	coeffs := [...]float64{-2.955065359477124183e-2, 6.4102564102564102564e-3,
		-1.9175269175269175269e-3, 8.4175084175084175084e-4,
		-5.952380952380952381e-4, 7.9365079365079365079e-4,
		-2.7777777777777777778e-3, 8.3333333333333333333e-2}
	rn := 1 / n
	u := rn / n
	poly := 0.0
	for _, c := range coeffs {
		poly = poly*u + c
	}
	return math.Log(n)/2 - n + math.Log(2*math.Pi)/2 + rn*poly
}

// kolmogDMTW is Pr(D_n <= d) by Durbin's matrix algorithm as arranged by
// Marsaglia, Tsang & Wang (2003); SciPy's _kolmogn_DMTW.
func kolmogDMTW(n int, d float64) float64 {
	if d >= 1 {
		return 1
	}
	fn := float64(n)
	nd := fn * d
	if nd <= 0.5 {
		return 0
	}
	k := int(math.Ceil(nd))
	h := float64(k) - nd
	m := 2*k - 1
	const e128 = 128
	ep128 := math.Ldexp(1, e128)
	em128 := math.Ldexp(1, -e128)

	H := newMatrix(m)
	v := make([]float64, m)
	w := make([]float64, m)
	fac := 1.0
	for j := 1; j <= m; j++ {
		v[j-1] = 1 - math.Pow(h, float64(j))
		w[j-1] = fac
		fac /= float64(j)
		v[j-1] *= fac
	}
	tt := math.Pow(math.Max(2*h-1, 0), float64(m)) - 2*math.Pow(h, float64(m))
	v[m-1] = (1 + tt) * fac
	for i := 1; i < m; i++ {
		for r := i - 1; r < m; r++ {
			H.set(r, i, w[r-(i-1)])
		}
	}
	for r := 0; r < m; r++ {
		H.set(r, 0, v[r])
	}
	for c := 0; c < m; c++ {
		H.set(m-1, c, v[m-1-c])
	}

	pw := identity(m)
	nn := n
	expnt, hexpnt := 0, 0
	tmp := newMatrix(m)
	for nn > 0 {
		if nn%2 == 1 {
			matMul(tmp, pw, H)
			pw, tmp = tmp, pw
			expnt += hexpnt
		}
		matMul(tmp, H, H)
		H, tmp = tmp, H
		hexpnt *= 2
		if math.Abs(H.at(k-1, k-1)) > ep128 {
			for i := range H.a {
				H.a[i] /= ep128
			}
			hexpnt += e128
		}
		nn /= 2
	}
	p := pw.at(k-1, k-1)
	for i := 1; i <= n; i++ {
		p = float64(i) * p / fn
		if math.Abs(p) < em128 {
			p *= ep128
			expnt -= e128
		}
	}
	if expnt != 0 {
		p = math.Ldexp(p, expnt)
	}
	return clip01(p)
}

type matrix struct {
	n int
	a []float64
}

func newMatrix(n int) matrix             { return matrix{n, make([]float64, n*n)} }
func (m matrix) at(r, c int) float64     { return m.a[r*m.n+c] }
func (m matrix) set(r, c int, v float64) { m.a[r*m.n+c] = v }

func identity(n int) matrix {
	m := newMatrix(n)
	for i := 0; i < n; i++ {
		m.set(i, i, 1)
	}
	return m
}

// matMul sets dst = a·b; dst must not alias a or b.
func matMul(dst, a, b matrix) {
	n := a.n
	for i := range dst.a {
		dst.a[i] = 0
	}
	for i := 0; i < n; i++ {
		row := dst.a[i*n : (i+1)*n]
		for k := 0; k < n; k++ {
			aik := a.a[i*n+k]
			if aik == 0 {
				continue
			}
			brow := b.a[k*n : (k+1)*n]
			for j, bkj := range brow {
				row[j] += aik * bkj
			}
		}
	}
}

// pomeranzJ1J2 is SciPy's _pomeranz_compute_j1j2.
func pomeranzJ1J2(i, n, ll, ceilf, roundf int) (int, int) {
	var j1, j2 int
	if i == 0 {
		j1, j2 = -ll-ceilf-1, ll+ceilf-1
	} else {
		ip1div2, ip1mod2 := (i+1)/2, (i+1)%2
		if ip1mod2 == 0 {
			if ip1div2 == n+1 {
				j1, j2 = n-ll-ceilf-1, n+ll+ceilf-1
			} else {
				j1, j2 = ip1div2-1-ll-roundf-1, ip1div2+ll-1+ceilf-1
			}
		} else {
			j1, j2 = ip1div2-1-ll-1, ip1div2+ll+roundf-1
		}
	}
	return max(j1+2, 0), min(j2, n)
}

// kolmogPomeranz is Pr(D_n <= x) by Pomeranz's recursion (1974);
// SciPy's _kolmogn_Pomeranz.
func kolmogPomeranz(n int, x float64) float64 {
	fn := float64(n)
	t := fn * x
	ll := int(math.Floor(t))
	f := t - float64(ll)
	g := math.Min(f, 1-f)
	ceilf, roundf := 0, 0
	if f > 0 {
		ceilf = 1
	}
	if f > 0.5 {
		roundf = 1
	}
	npwrs := 2 * (ll + 1)
	gpower := make([]float64, npwrs)
	twogpower := make([]float64, npwrs)
	onem2gpower := make([]float64, npwrs)
	gpower[0], twogpower[0], onem2gpower[0] = 1, 1, 1
	gOverN, twoGOverN, oneMinus2GOverN := g/fn, 2*g/fn, (1-2*g)/fn
	for m := 1; m < npwrs; m++ {
		gpower[m] = gpower[m-1] * gOverN / float64(m)
		twogpower[m] = twogpower[m-1] * twoGOverN / float64(m)
		onem2gpower[m] = onem2gpower[m-1] * oneMinus2GOverN / float64(m)
	}
	const e128 = 128
	ep128 := math.Ldexp(1, e128)
	em128 := math.Ldexp(1, -e128)
	expnt := 0
	V0 := make([]float64, npwrs)
	V1 := make([]float64, npwrs)
	V1[0] = 1
	V0s, V1s := 0, 0
	conv := make([]float64, 2*npwrs)
	j1, j2 := pomeranzJ1J2(0, n, ll, ceilf, roundf)
	for i := 1; i < 2*n+2; i++ {
		k1 := j1
		V0, V1 = V1, V0
		V0s, V1s = V1s, V0s
		for j := range V1 {
			V1[j] = 0
		}
		j1, j2 = pomeranzJ1J2(i, n, ll, ceilf, roundf)
		var pwrs []float64
		switch {
		case i == 1 || i == 2*n+1:
			pwrs = gpower
		case i%2 == 1:
			pwrs = twogpower
		default:
			pwrs = onem2gpower
		}
		ln2 := j2 - k1 + 1
		if ln2 > 0 {
			// Full convolution of V0[k1-V0s : k1-V0s+ln2] with pwrs[:ln2].
			src := sliceClamp(V0, k1-V0s, k1-V0s+ln2)
			ker := sliceClamp(pwrs, 0, ln2)
			nc := len(src) + len(ker) - 1
			if nc < 0 {
				nc = 0
			}
			if cap(conv) < nc {
				conv = make([]float64, nc)
			}
			conv = conv[:nc]
			for j := range conv {
				conv[j] = 0
			}
			for a, va := range src {
				if va == 0 {
					continue
				}
				for b, vb := range ker {
					conv[a+b] += va * vb
				}
			}
			convStart := j1 - k1
			convLen := j2 - j1 + 1
			mx := 0.0
			for j := 0; j < convLen && j < len(V1); j++ {
				idx := convStart + j
				if idx >= 0 && idx < len(conv) {
					V1[j] = conv[idx]
				}
				mx = math.Max(mx, V1[j])
			}
			if mx > 0 && mx < em128 {
				for j := range V1 {
					V1[j] *= ep128
				}
				expnt -= e128
			}
			V1s = V0s + j1 - k1
		}
	}
	idx := n - V1s
	ans := 0.0
	if idx >= 0 && idx < len(V1) {
		ans = V1[idx]
	}
	for m := 1; m <= n; m++ {
		if math.Abs(ans) > ep128 {
			ans *= em128
			expnt += e128
		}
		ans *= float64(m)
	}
	if expnt != 0 {
		ans = math.Ldexp(ans, expnt)
	}
	return clip01(ans)
}

// sliceClamp is s[lo:hi] with the bounds clamped the way NumPy clamps a
// slice.
func sliceClamp(s []float64, lo, hi int) []float64 {
	lo = max(lo, 0)
	hi = min(hi, len(s))
	if lo >= hi {
		return nil
	}
	return s[lo:hi]
}

// kolmogPelzGood is the Pelz-Good approximation to Pr(D_n <= x);
// SciPy's _kolmogn_PelzGood.
func kolmogPelzGood(n int, x float64) float64 {
	if x <= 0 {
		return 0
	}
	if x >= 1 {
		return 1
	}
	const (
		piSq   = math.Pi * math.Pi
		piFour = piSq * piSq
		piSix  = piFour * piSq
	)
	sqrt2pi := math.Sqrt(2 * math.Pi)
	fn := float64(n)
	z := math.Sqrt(fn) * x
	z2, z3, z4, z6 := z*z, z*z*z, z*z*z*z, math.Pow(z, 6)
	qlog := -piSq / 8 / z2
	if qlog < -708 {
		return 0
	}
	q := math.Exp(qlog)
	k1a := -z2
	k1b := piSq / 4
	k2a := 6*z6 + 2*z4
	k2b := (2*z4 - 5*z2) * piSq / 4
	k2c := piFour * (1 - 2*z2) / 16
	k3d := piSix * (5 - 30*z2) / 64
	k3c := piFour * (-60*z2 + 212*z4) / 16
	k3b := piSq * (135*z4 - 96*z6) / 4
	k3a := -30*z6 - 90*math.Pow(z, 8)
	var K [4]float64
	maxk := int(math.Ceil(16 * z / math.Pi))
	for k := maxk; k > 0; k-- {
		m := float64(2*k - 1)
		m2, m4, m6 := m*m, m*m*m*m, math.Pow(m, 6)
		qpower := math.Pow(q, float64(8*k))
		c := [4]float64{1, k1a + k1b*m2, k2a + k2b*m2 + k2c*m4, k3a + k3b*m2 + k3c*m4 + k3d*m6}
		for i := range K {
			K[i] = K[i]*qpower + c[i]
		}
	}
	div := [4]float64{z, 6 * z4, 72 * math.Pow(z, 7), 6480 * math.Pow(z, 10)}
	for i := range K {
		K[i] *= q
		K[i] *= sqrt2pi
		K[i] /= div[i]
	}
	q = math.Exp(-piSq / 2 / z2)
	sqrt3z := math.Sqrt(3) * z
	var k2extra, k3extra float64
	for k := maxk; k > 0; k-- {
		fk := float64(k)
		ks2 := fk * fk
		qp := math.Pow(q, ks2)
		kspi := math.Pi * fk
		k2extra += ks2 * qp
		k3extra += (sqrt3z + kspi) * (sqrt3z - kspi) * ks2 * qp
	}
	k2extra *= piSq * sqrt2pi / (-36 * z3)
	K[2] += k2extra
	k3extra *= piSq * sqrt2pi / (216 * z6)
	K[3] += k3extra
	sum := 0.0
	for i := range K {
		sum += K[i] / math.Pow(fn, float64(i)/2)
	}
	return sum
}

// smirnovSF is scipy.special.smirnov(n, x): Pr(D+_n >= x), the one-sided
// Kolmogorov-Smirnov survival function (Cephes, van Mulbregt 2018).
func smirnovSF(n int, x float64) float64 {
	// Cephes returns 0 once -2 n x² < MINLOG (past x ≤ 1/n and n = 1),
	// before summing.
	if n > 1 && x > 1/float64(n) && x <= 1 && -2*float64(n)*x*x < cephesMinLog {
		return 0
	}
	lp := smirnovLogSF(n, x)
	if math.IsNaN(lp) {
		return math.NaN()
	}
	return clip01(math.Exp(lp))
}

// smirnovLogSF is log Pr(D+_n >= x), by the Birnbaum-Tingey sum
// x Σ_{v=0}^{⌊n(1-x)⌋} C(n,v) (x+v/n)^(v-1) (1-x-v/n)^(n-v), each term
// written as a binomial probability and evaluated in log space with
// Loader's saddle-point method. Cephes adds every term in double-double
// arithmetic; here sums of more than 4096 terms are taken by logSumTerms'
// trapezoidal shortcut, within 1e-13 of the full sum (TestSmirnovSumShortcut)
// at a few hundred terms' cost. For n > 10^6 it is Cephes' approximation
// log p = -(6nx+1)²/(18n), as in SciPy.
func smirnovLogSF(n int, x float64) float64 {
	if !(n > 0 && x >= 0 && x <= 1) {
		return math.NaN()
	}
	fn := float64(n)
	if n == 1 {
		return math.Log1p(-x)
	}
	if x == 0 {
		return 0
	}
	if x == 1 {
		return math.Inf(-1)
	}
	// floor(n x) and the fractional part, exactly.
	nxHi := fn * x
	nxLo := math.FMA(fn, x, -nxHi)
	nxfl := math.Floor(nxHi)
	alpha := (nxHi - nxfl) + nxLo
	if alpha < 0 {
		nxfl--
		alpha += 1
	}
	if alpha >= 1 {
		nxfl++
		alpha = 0
	}
	if nxfl == 0 || (nxfl == 1 && alpha == 0) { // x <= 1/n
		cdf := x * math.Pow(1+x, fn-1)
		return math.Log1p(-cdf)
	}
	if nxfl >= fn-1 { // x >= 1 - 1/n
		return fn * math.Log1p(-x)
	}
	if n > 1000000 {
		return -math.Pow(6*fn*x+1, 2) / 18 / fn
	}
	// Cephes sums v = 0 … n - floor(nx) - 1: that is floor(n(1-x)) when
	// nx is not an integer, and leaves out the zero term v = n(1-x) when it is.
	last := n - int(nxfl) - 1
	lx := math.Log(x)
	term := func(v float64) float64 {
		p := x + v/fn
		q := ((fn - v) - nxHi - nxLo) / fn
		if q <= 0 {
			return math.Inf(-1)
		}
		return logDbinom(v, fn, p, q) + lx - math.Log(p)
	}
	return logSumTerms(term, last)
}

// logSumTerms returns log Σ_{v=0}^{last} e^term(v) for the log-terms of
// smirnovLogSF, which rise to one peak and fall again and which are, with
// v real, analytic functions varying slowly on the scale of one term.
//
// Up to 4096 terms are summed one by one. Past that, only the terms within
// e^-50 of the peak count (the rest add less than n·e^-50 ≈ 1e-16 of the
// sum), and their sum is taken as the trapezoidal rule of step h over the
// same range, halving h from about range/64 until two steps agree to
// about 1e-13: for a smooth analytic function the trapezoidal rule converges
// geometrically, and at h = 1 it is the sum itself (plus half the end
// terms), so the answer is the sum to about 1e-13 after a few hundred
// terms instead of up to half a million.
func logSumTerms(term func(v float64) float64, last int) float64 {
	if last < 4096 {
		return logSumExact(term, 0, last, math.Inf(-1))
	}
	// The peak: a coarse scan, then a golden-section search on integers
	// around the best grid point.
	step := last / 2048
	best, bestV := math.Inf(-1), 0
	for v := 0; v <= last; v += step {
		if l := term(float64(v)); l > best {
			best, bestV = l, v
		}
	}
	lo, hi := max(bestV-step, 0), min(bestV+step, last)
	for hi-lo > 3 {
		m1 := lo + (hi-lo)*382/1000
		m2 := hi - (hi-lo)*382/1000
		if m1 == m2 {
			m2++
		}
		if term(float64(m1)) < term(float64(m2)) {
			lo = m1
		} else {
			hi = m2
		}
	}
	for v := lo; v <= hi; v++ {
		if l := term(float64(v)); l > best {
			best, bestV = l, v
		}
	}
	mx := best
	// The range where the terms are within e^-50 of the peak: double the
	// distance from the peak until outside, then bisect.
	const cut = 50
	edge := func(dir int) int {
		limit := last - bestV
		if dir < 0 {
			limit = bestV
		}
		inside, d := 0, 1
		for d <= limit && term(float64(bestV+dir*d)) >= mx-cut {
			inside = d
			d *= 2
		}
		if d > limit {
			if term(float64(bestV+dir*limit)) >= mx-cut {
				return bestV + dir*limit
			}
			d = limit
		}
		for d-inside > 1 { // term(inside) ≥ mx−cut > term(d)
			m := (inside + d) / 2
			if term(float64(bestV+dir*m)) >= mx-cut {
				inside = m
			} else {
				d = m
			}
		}
		return bestV + dir*d
	}
	vlo, vhi := edge(-1), edge(1)
	if vhi-vlo < 512 {
		return logSumExact(term, vlo, vhi, mx)
	}
	f := func(v int) float64 { return math.Exp(term(float64(v)) - mx) }
	h := 1
	for (vhi-vlo)/(2*h) >= 64 {
		h *= 2
	}
	// Stretch the range (into terms that are negligible) to a multiple of
	// h where the ends allow it; what is left over is summed one by one.
	if r := (vhi - vlo) % h; r != 0 {
		vhi = min(vhi+h-r, last)
		if r := (vhi - vlo) % h; r != 0 {
			vlo = max(vlo-(h-r), 0)
		}
	}
	// grid is Σ f over the points vlo + j·h ≤ vhi; estimate returns the
	// integer sum Σ_{v=vlo}^{vhi} f(v) as seen at step h.
	fa := f(vlo)
	grid := 0.0
	for v := vlo; v <= vhi; v += h {
		grid += f(v)
	}
	estimate := func(h int, grid float64) float64 {
		end := vlo + (vhi-vlo)/h*h
		fb := f(end)
		s := float64(h)*(grid-(fa+fb)/2) + (fa+fb)/2
		for v := end + 1; v <= vhi; v++ {
			s += f(v)
		}
		return s
	}
	// Each log-term carries an absolute rounding error of a few ulps of
	// its size, so the terms, and the sums, are good to about 4e-16·|mx|
	// relative: the agreement asked for is no finer than that.
	tol := 1e-13 + 4e-16*math.Abs(mx)
	prev := estimate(h, grid)
	prevDiff := math.Inf(1)
	for h > 1 {
		h /= 2
		for v := vlo + h; v <= vhi; v += 2 * h {
			grid += f(v)
		}
		s := estimate(h, grid)
		diff := math.Abs(s - prev)
		prev = s
		if diff <= tol*s && prevDiff <= 1e-6*s {
			break
		}
		prevDiff = diff
	}
	return mx + math.Log(prev)
}

// logSumExact returns log Σ_{v=lo}^{hi} e^term(v), one term at a time,
// scaled by the largest term so far and summed with compensation; mx is a
// first guess of the largest.
func logSumExact(term func(v float64) float64, lo, hi int, mx float64) float64 {
	var s neumaier
	for v := lo; v <= hi; v++ {
		l := term(float64(v))
		switch {
		case l <= mx:
			s.add(math.Exp(l - mx))
		case math.IsInf(mx, -1):
			s, mx = neumaier{sum: 1}, l
		default:
			r := math.Exp(mx - l)
			s.sum *= r
			s.c *= r
			s.add(1)
			mx = l
		}
	}
	if s.value() == 0 {
		return math.Inf(-1)
	}
	return mx + math.Log(s.value())
}
