package stat

import (
	"math"
	"math/big"
)

// cvmMaxExactN is SciPy's rule for cramervonmises_2samp method 'auto':
// exact when max(nx, ny) <= 20.
const cvmMaxExactN = 20

// CramerVonMises2 is the two-sample Cramér-von Mises test, matching
// scipy.stats.cramervonmises_2samp(a, b, method='auto') of SciPy 1.10.
// The inputs may be in any order; they are copied and sorted once.
//
// Statistic is T of Anderson (1962), from the midranks of the pooled
// sample. The p-value is exact when max(n1, n2) <= 20 (the frequency
// recursion of Xiao, Gordon & Yakovlev 2006, SciPy's
// _pval_cvm_2samp_exact, which assumes no ties), and otherwise
// 1 − F∞(Tn) with Tn Anderson's normalised statistic and F∞ the limiting
// distribution of the one-sample statistic, summed exactly as SciPy's
// _cdf_cvm_inf does (Csörgő & Faraway 1996; series terms with Bessel
// K_1/4, stopping after the first term below 1e-7); p = 1 when Tn < 0.003.
//
// That series is truncated with an absolute error of about 1e-13, so
// SciPy's asymptotic p loses its relative precision as it falls (2e-6
// relative at p = 2e-6, 1e-3 at p = 3e-10) and for large Tn it stays near
// 1e-7 where the true tail is e^-2000 and less. PValue reproduces SciPy's
// number all the same. LogPValue does not: where the asymptotic p is
// below 1e-3 it is the log of the upper tail of F∞ computed directly from
// Smirnov's series,
// Pr(W² > x) = (1/π) Σ_k (−1)^(k+1) ∫_{(2k−1)²π²}^{(2k)²π²} sqrt(−√y/sin √y) e^(−xy/2)/y dy,
// in log space, finite and accurate to about 1e-12 for any Tn. Elsewhere
// LogPValue is log(PValue).
//
// NaN Result: a sample with fewer than 2 values (SciPy raises), or a NaN.
// SciPy 1.10 also gives NaN when the pooled sample holds both −Inf and
// +Inf (its rankdata mistakes the pair for a NaN); here infinities are
// ordinary values.
func CramerVonMises2(a, b []float64) Result {
	if len(a) < 2 || len(b) < 2 {
		return nanResult()
	}
	return CramerVonMises2Sorted(sortedCopy(a), sortedCopy(b))
}

// CramerVonMises2Sorted is CramerVonMises2 for samples sorted ascending;
// the statistic is one merge walk, summed exactly in integers.
func CramerVonMises2Sorted(a, b []float64) Result {
	if len(a) < 2 || len(b) < 2 || badSorted(a) || badSorted(b) {
		return nanResult()
	}
	nx, ny := len(a), len(b)
	// Σ (r_i − i)² for each sample, with r the pooled midrank and i the
	// position within the sample: 2(r − i) is an integer, so the sums are
	// kept exactly, as 4× their value, in 128 bits.
	var sx, sy u128
	pos, ix, iy := 0, 0, 0
	walkTies(a, b, func(ca, cb int) {
		c := ca + cb
		twoR := int64(2*pos + c + 1) // 2 × midrank (1-based)
		for t := 0; t < ca; t++ {
			ix++
			d := twoR - 2*int64(ix)
			sx = sx.add(mul64(uint64(abs64(d)), uint64(abs64(d))))
		}
		for t := 0; t < cb; t++ {
			iy++
			d := twoR - 2*int64(iy)
			sy = sy.add(mul64(uint64(abs64(d)), uint64(abs64(d))))
		}
		pos += c
	})
	u := float64(nx)*(sx.float()/4) + float64(ny)*(sy.float()/4)

	bnx, bny := big.NewInt(int64(nx)), big.NewInt(int64(ny))
	bk := new(big.Int).Mul(bnx, bny)
	bN := big.NewInt(int64(nx + ny))
	N := float64(nx + ny)
	kN := bigFloat(new(big.Int).Mul(bk, bN))
	// t = u/(k N) − (4k − 1)/(6N)
	t := u/kN - bigRatio(new(big.Int).Sub(new(big.Int).Mul(big.NewInt(4), bk), big.NewInt(1)),
		new(big.Int).Mul(big.NewInt(6), bN))

	if max(nx, ny) <= cvmMaxExactN {
		p := cvmExactSF(u, nx, ny)
		return Result{Statistic: t, PValue: p, LogPValue: math.Log(p)}
	}
	et := (1 + 1/N) / 6
	// vt = (N+1)(4kN − 3(nx² + ny²) − 2k) / (45 N² 4 k), as exact integers.
	num := new(big.Int).Mul(new(big.Int).Add(bN, big.NewInt(1)),
		new(big.Int).Sub(new(big.Int).Sub(new(big.Int).Mul(new(big.Int).Mul(big.NewInt(4), bk), bN),
			new(big.Int).Mul(big.NewInt(3), new(big.Int).Add(new(big.Int).Mul(bnx, bnx), new(big.Int).Mul(bny, bny)))),
			new(big.Int).Mul(big.NewInt(2), bk)))
	den := new(big.Int).Mul(new(big.Int).Mul(big.NewInt(45*4), new(big.Int).Mul(bN, bN)), bk)
	vt := bigRatio(num, den)
	tn := 1.0/6 + (t-et)/math.Sqrt(45*vt)
	if tn < 0.003 {
		return Result{Statistic: t, PValue: 1, LogPValue: 0}
	}
	p := math.Max(0, 1-cvmCDFInf(tn))
	logp := math.Log(p)
	if p < 1e-3 {
		logp = cvmLogSFInf(tn)
	}
	return Result{Statistic: t, PValue: p, LogPValue: math.Min(logp, 0)}
}

func abs64(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}

func bigFloat(x *big.Int) float64 {
	f, _ := new(big.Float).SetInt(x).Float64()
	return f
}

// bigRatio is a/b correctly rounded, like Python's int / int.
func bigRatio(a, b *big.Int) float64 {
	f, _ := new(big.Rat).SetFrac(a, b).Float64()
	return f
}

// cvmCDFInf is SciPy's _cdf_cvm_inf: the limiting CDF of the Cramér-von
// Mises statistic, Σ_k Γ(k+½)/(Γ(k+1) π^1.5 √x) √(4k+1) e^(−q) K_¼(q),
// q = (4k+1)²/(16x), adding terms until one is below 1e-7 (that one
// included).
func cvmCDFInf(x float64) float64 {
	tot := 0.0
	for k := 0; k < 1000; k++ {
		fk := float64(k)
		lu := lgamma(fk+0.5) - lgamma(fk+1) - 1.5*math.Log(math.Pi) - 0.5*math.Log(x)
		y := 4*fk + 1
		q := y * y / (16 * x)
		z := math.Exp(lu + 0.5*math.Log(y) - q + logBesselK(0.25, q))
		tot += z
		if math.Abs(z) < 1e-7 {
			break
		}
	}
	return tot
}

// cvmLogSFInf is log Pr(W² > x) for the limiting one-sample Cramér-von
// Mises distribution, from Smirnov's alternating series of integrals (see
// CramerVonMises2). With y = s², term k is
//
//	∫_{(2k−1)π}^{2kπ} (2/s)·sqrt(−s/sin s)·e^(−x s²/2) ds,
//
// and with s = (2k−1)π + t, sin s = −sin t, so the integrand is written in
// t ∈ [0, π] with sin t taken from the distance to the nearer end: that
// keeps the inverse-square-root singularities at both ends accurate, which
// sin of a rounded s would not be. Each integral is evaluated by tanh-sinh
// quadrature with e^(−x s_a²/2) factored out (s_a = (2k−1)π).
func cvmLogSFInf(x float64) float64 {
	logTerm := func(k int) float64 {
		sa := float64(2*k-1) * math.Pi
		// Past the left end the integrand decays like e^(−x t (2 s_a + t)/2);
		// cut where that is e^-60 so the nodes land where the mass is.
		T := math.Pi
		if cut := 120 / x / (sa + math.Sqrt(sa*sa+120/x)); cut < T {
			T = cut
		}
		f := func(dlo, dhi float64) float64 {
			t := dlo
			var sint float64
			switch {
			case T < math.Pi:
				sint = math.Sin(t)
			case dlo <= dhi:
				sint = math.Sin(dlo)
			default:
				sint = math.Sin(dhi) // sin t = sin(π − t)
			}
			// Within 1e-200 of a singular end the integrand (about
			// 1/sqrt(t)) times the node's weight (about t) is below
			// 1e-100: leave it out rather than overflow s/sin t.
			if !(sint > 1e-200) {
				return 0
			}
			s := sa + t
			return 2 / s * math.Sqrt(s/sint) * math.Exp(-x*t*(2*sa+t)/2)
		}
		v := tanhSinh(f, T)
		if !(v > 0) {
			return math.Inf(-1)
		}
		return math.Log(v) - x*sa*sa/2
	}
	l1 := logTerm(1)
	s := 1.0
	sign := -1.0
	for k := 2; k <= 6; k++ {
		d := math.Exp(logTerm(k) - l1)
		s += sign * d
		sign = -sign
		if d < 1e-17 {
			break
		}
	}
	return l1 + math.Log(s) - math.Log(math.Pi)
}

// tanhSinh integrates f over an interval of the given length by
// double-exponential quadrature, accurate to about 1e-15 for integrands
// analytic inside the interval, with integrable singularities at the ends.
// f is called with a node's distances from the two ends, each computed
// without cancellation.
func tanhSinh(f func(dlo, dhi float64) float64, length float64) float64 {
	d := length / 2
	prev := math.NaN()
	for level := 0; level < 12; level++ {
		h := math.Ldexp(1, -level)
		sum := 0.0
		for k := -int(6.5 / h); k <= int(6.5/h); k++ {
			t := float64(k) * h
			u := math.Pi / 2 * math.Sinh(t)
			w := math.Pi / 2 * math.Cosh(t) / (math.Cosh(u) * math.Cosh(u))
			// Distance to the nearer end: d·(1 − |tanh u|).
			near := d * 2 / (math.Exp(2*math.Abs(u)) + 1)
			if near <= 0 || near >= length || w == 0 {
				continue
			}
			if u >= 0 {
				sum += w * f(length-near, near)
			} else {
				sum += w * f(near, length-near)
			}
		}
		v := d * h * sum
		if level > 3 && math.Abs(v-prev) <= 1e-15*math.Abs(v) {
			return v
		}
		prev = v
	}
	return prev
}

// cvmExactSF is SciPy's _pval_cvm_2samp_exact(u, m, n): Pr(U >= u) for the
// two-sample statistic U, by the recursion of Xiao, Gordon & Yakovlev
// (2006) over the frequency tables g(u, v) of Σ (a v − b u)² along lattice
// paths. Table entries are exact (uint64), as in SciPy.
func cvmExactSF(s float64, m, n int) float64 {
	l := m / gcd(m, n) * n
	a, b := l/m, l/n
	mn := m * n
	zeta := pyFloorDiv(float64(l*l*(m+n))*(6*s-float64(mn*(4*mn-1))), float64(6*mn*mn))

	type entry struct {
		val  int64
		freq uint64
	}
	// gs[v] is the frequency table for the current u, sorted by value.
	gs := make([][]entry, m+1)
	gs[0] = []entry{{0, 1}}
	var merged []entry
	for u := 0; u <= n; u++ {
		next := make([][]entry, m+1)
		var tmp []entry
		for v := 0; v <= m; v++ {
			// Merge tmp (this u, previous v) and gs[v] (previous u, this v),
			// adding the frequencies of equal values.
			g := gs[v]
			merged = merged[:0]
			i, j := 0, 0
			for i < len(tmp) || j < len(g) {
				switch {
				case j >= len(g) || (i < len(tmp) && tmp[i].val < g[j].val):
					merged = append(merged, tmp[i])
					i++
				case i >= len(tmp) || g[j].val < tmp[i].val:
					merged = append(merged, g[j])
					j++
				default:
					merged = append(merged, entry{tmp[i].val, tmp[i].freq + g[j].freq})
					i++
					j++
				}
			}
			d := int64(a*v - b*u)
			out := make([]entry, len(merged))
			for i, e := range merged {
				out[i] = entry{e.val + d*d, e.freq}
			}
			tmp = out
			next[v] = out
		}
		gs = next
	}
	var count uint64
	for _, e := range gs[m] {
		if float64(e.val) >= zeta {
			count += e.freq
		}
	}
	total := new(big.Int).Binomial(int64(m+n), int64(m))
	return float64(count) / bigFloat(total)
}
