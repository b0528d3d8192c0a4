package stat

import "math"

// Special functions shared by the tests. Everything here is standard
// library math plus a few classical algorithms, written so that the values
// agree with the Cephes/Boost routines SciPy calls to about 1e-14 relative,
// and so that the tails can be evaluated as logarithms without underflow.

const (
	lnSqrt2Pi    = 0.918938533204672741780329736406 // log(sqrt(2*pi))
	ln2          = math.Ln2
	cephesMinLog = -7.08396418532264106224e2 // Cephes MINLOG = log(2^-1022)
)

// normSF is the standard normal survival function, Φ(-z), computed as
// Cephes ndtr(-z), which scipy.stats.norm.sf uses.
func normSF(z float64) float64 {
	if math.IsNaN(z) {
		return math.NaN()
	}
	x := -z * math.Sqrt2 / 2
	a := math.Abs(x)
	if a < math.Sqrt2/2 {
		return 0.5 + 0.5*math.Erf(x)
	}
	y := 0.5 * math.Erfc(a)
	if x > 0 {
		y = 1 - y
	}
	return y
}

// logNormSF is log Φ(-z), finite for every finite z.
func logNormSF(z float64) float64 {
	switch {
	case math.IsNaN(z):
		return math.NaN()
	case math.IsInf(z, 1):
		return math.Inf(-1)
	case z < 30:
		return math.Log(normSF(z))
	}
	// Laplace's continued fraction: Φ(-z) = φ(z) / (z + 1/(z + 2/(z + 3/(z + …)))).
	f := z
	for k := 60; k >= 1; k-- {
		f = z + float64(k)/f
	}
	return -z*z/2 - lnSqrt2Pi - math.Log(f)
}

// lgamma is log|Γ(x)|.
func lgamma(x float64) float64 {
	v, _ := math.Lgamma(x)
	return v
}

// stirlerr(n) = log(n!) - log(sqrt(2πn) (n/e)^n), Loader (2000).
func stirlerr(n float64) float64 {
	const (
		s0 = 1.0 / 12
		s1 = 1.0 / 360
		s2 = 1.0 / 1260
		s3 = 1.0 / 1680
		s4 = 1.0 / 1188
	)
	if n <= 15 {
		return lgamma(n+1) - (n+0.5)*math.Log(n) + n - lnSqrt2Pi
	}
	nn := n * n
	switch {
	case n > 500:
		return (s0 - s1/nn) / n
	case n > 80:
		return (s0 - (s1-s2/nn)/nn) / n
	case n > 35:
		return (s0 - (s1-(s2-s3/nn)/nn)/nn) / n
	}
	return (s0 - (s1-(s2-(s3-s4/nn)/nn)/nn)/nn) / n
}

// bd0(x, np) = x log(x/np) + np - x, computed without cancellation
// (Loader 2000).
func bd0(x, np float64) float64 {
	if math.Abs(x-np) < 0.1*(x+np) {
		v := (x - np) / (x + np)
		s := (x - np) * v
		if math.Abs(s) < math.SmallestNonzeroFloat64 {
			return s
		}
		ej := 2 * x * v
		v *= v
		for j := 1; j < 1000; j++ {
			ej *= v
			s1 := s + ej/float64(2*j+1)
			if s1 == s {
				return s1
			}
			s = s1
		}
	}
	return x*math.Log(x/np) + np - x
}

// logDbinom is log of the binomial probability C(n,x) p^x q^(n-x), with
// q = 1-p given separately for accuracy (Loader's saddle point algorithm).
func logDbinom(x, n, p, q float64) float64 {
	if p == 0 {
		if x == 0 {
			return 0
		}
		return math.Inf(-1)
	}
	if q == 0 {
		if x == n {
			return 0
		}
		return math.Inf(-1)
	}
	if x == 0 {
		if n == 0 {
			return 0
		}
		if p < 0.1 {
			return -bd0(n, n*q) - n*p
		}
		return n * math.Log(q)
	}
	if x == n {
		if q < 0.1 {
			return -bd0(n, n*p) - n*q
		}
		return n * math.Log(p)
	}
	if x < 0 || x > n {
		return math.Inf(-1)
	}
	lc := stirlerr(n) - stirlerr(x) - stirlerr(n-x) - bd0(x, n*p) - bd0(n-x, n*q)
	lf := 2*lnSqrt2Pi + math.Log(x) + math.Log1p(-x/n)
	return lc - 0.5*lf
}

// logDpois is log(λ^x e^-λ / Γ(x+1)) for real x ≥ 0 (Loader).
func logDpois(x, lambda float64) float64 {
	switch {
	case lambda == 0:
		if x == 0 {
			return 0
		}
		return math.Inf(-1)
	case x == 0:
		return -lambda
	case x < 0:
		return math.Inf(-1)
	}
	return -stirlerr(x) - bd0(x, lambda) - lnSqrt2Pi - 0.5*math.Log(x)
}

// gammaQ returns the regularized upper incomplete gamma function Q(a, x)
// and its natural logarithm, the latter finite however small Q is.
// chi2.sf(x, df) in SciPy is Cephes igamc(df/2, x/2), which this matches to
// about 1e-14 relative.
func gammaQ(a, x float64) (q, logq float64) {
	switch {
	case math.IsNaN(a) || math.IsNaN(x) || a <= 0 || x < 0:
		return math.NaN(), math.NaN()
	case x == 0:
		return 1, 0
	case math.IsInf(x, 1):
		return 0, math.Inf(-1)
	}
	// log of x^a e^-x / Γ(a+1)
	ld := logDpois(a, x)
	if x < a+1 {
		// Series for P = x^a e^-x / Γ(a+1) · Σ x^k / ((a+1)…(a+k)).
		sum, term := 1.0, 1.0
		for k := 1; k < 100000; k++ {
			term *= x / (a + float64(k))
			sum += term
			if term < sum*1e-17 {
				break
			}
		}
		p := math.Exp(ld) * sum
		q = 1 - p
		return q, math.Log(q)
	}
	// Continued fraction (modified Lentz) for Q = a · x^a e^-x / Γ(a+1) · CF.
	const tiny = 1e-300
	b := x + 1 - a
	c := 1 / tiny
	d := 1 / b
	h := d
	for i := 1; i < 100000; i++ {
		an := -float64(i) * (float64(i) - a)
		b += 2
		d = an*d + b
		if math.Abs(d) < tiny {
			d = tiny
		}
		c = b + an/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		d = 1 / d
		del := d * c
		h *= del
		if math.Abs(del-1) < 1e-16 {
			break
		}
	}
	logq = math.Log(a) + ld + math.Log(h)
	return math.Exp(logq), logq
}

// chi2SF returns scipy.stats.chi2.sf(x, df) and its logarithm. df must be
// positive (SciPy returns NaN otherwise).
func chi2SF(x, df float64) (p, logp float64) {
	if !(df > 0) || math.IsNaN(x) {
		return math.NaN(), math.NaN()
	}
	if x <= 0 {
		return 1, 0
	}
	return gammaQ(df/2, x/2)
}

// logBesselK returns log K_nu(x) for x > 0, from the integral
// K_nu(x) = ∫_0^∞ exp(-x cosh t) cosh(nu t) dt, evaluated with the
// trapezoidal rule, which converges geometrically fast for this analytic,
// doubly-exponentially decaying integrand. Scaled by exp(x) to avoid
// underflow: log K = -x + log ∫ exp(-x (cosh t - 1)) cosh(nu t) dt.
func logBesselK(nu, x float64) float64 {
	if !(x > 0) {
		return math.NaN()
	}
	// The integrand is analytic in the strip |Im t| < π/2, so the
	// trapezoidal error is about exp(-π²/h): negligible for h = 0.1. For
	// large x the integrand is close to exp(-x t²/2), whose trapezoidal
	// error is about exp(-2π²/(x h²)): h = 0.5/√x makes that e^-79.
	h := math.Min(0.1, 0.5/math.Sqrt(x))
	sum := 0.5 // t = 0 term: exp(0)·cosh(0) / 2
	for k := 1; k < 200000; k++ {
		t := float64(k) * h
		// cosh t - 1 = 2 sinh²(t/2), no cancellation.
		s := math.Sinh(t / 2)
		f := math.Exp(-x*2*s*s) * math.Cosh(nu*t)
		sum += f
		if f < sum*1e-18 {
			break
		}
	}
	return -x + math.Log(sum*h)
}

// logSumExp adds probabilities given as logarithms.
func logAddExp(a, b float64) float64 {
	if math.IsInf(a, -1) {
		return b
	}
	if math.IsInf(b, -1) {
		return a
	}
	if a < b {
		a, b = b, a
	}
	return a + math.Log1p(math.Exp(b-a))
}

// pyFloorDiv is Python's float floor division a // b (CPython float_floor_div,
// which NumPy's floor_divide follows), exact for exactly representable inputs.
func pyFloorDiv(a, b float64) float64 {
	mod := math.Mod(a, b)
	div := (a - mod) / b
	if mod != 0 && (b < 0) != (mod < 0) {
		div -= 1
	}
	if div == 0 {
		return math.Copysign(0, a/b)
	}
	fl := math.Floor(div)
	if div-fl > 0.5 {
		fl += 1
	}
	return fl
}

// clip01 clamps p to [0, 1] like np.clip(p, 0, 1); NaN stays NaN.
func clip01(p float64) float64 {
	if p < 0 {
		return 0
	}
	if p > 1 {
		return 1
	}
	return p
}
