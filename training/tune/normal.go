package tune

import (
	"math"

	"gonum.org/v1/gonum/mathext"
)

// The standard normal distribution, truncated: what TPE's kernels are
// made of. The log-space forms keep the far tails finite, so that the
// ratio l(x)/g(x) of two tiny densities is still a number.

// lnSqrt2Pi is log √(2π).
const lnSqrt2Pi = 0.91893853320467274178

// ndtr is the standard normal CDF Φ(a).
func ndtr(a float64) float64 { return 0.5 * math.Erfc(-a/math.Sqrt2) }

// logNdtr is log Φ(a), accurate in both tails: log1p(−Φ(−a)) above 0,
// and for a < −20 the asymptotic series of Mills' ratio,
// log Φ(a) = log φ(a) − log(−a) + log(1 − 1/a² + 3/a⁴ − 15/a⁶ + …).
func logNdtr(a float64) float64 {
	switch {
	case a > 0:
		return math.Log1p(-ndtr(-a))
	case a > -20:
		return math.Log(ndtr(a))
	case math.IsInf(a, -1):
		return math.Inf(-1)
	}
	sum, term, inv := 1.0, 1.0, 1/(a*a)
	for i := 1; i < 50; i++ {
		next := -term * float64(2*i-1) * inv
		if math.Abs(next) < 1e-17*math.Abs(sum) {
			break
		}
		term = next
		sum += term
	}
	return -0.5*a*a - lnSqrt2Pi - math.Log(-a) + math.Log(sum)
}

// logDiff is log(exp(p) − exp(q)) for p ≥ q.
func logDiff(p, q float64) float64 {
	if math.IsInf(q, -1) {
		return p
	}
	return p + math.Log1p(-math.Exp(q-p))
}

// logGaussMass is log(Φ(b) − Φ(a)), the log of the standard normal's
// mass on [a, b], a ≤ b. Each tail is computed where it is small, from
// the left by symmetry.
func logGaussMass(a, b float64) float64 {
	switch {
	case b <= 0:
		return logDiff(logNdtr(b), logNdtr(a))
	case a > 0:
		return logDiff(logNdtr(-a), logNdtr(-b))
	}
	return math.Log1p(-ndtr(a) - ndtr(-b))
}

// truncNormal maps u ∈ [0, 1) to the standard normal truncated to
// [a, b], by inverting its CDF: from the left tail when a < 0, else by
// symmetry from the right one.
func truncNormal(a, b, u float64) float64 {
	var x float64
	if a < 0 {
		pa, pb := ndtr(a), ndtr(b)
		x = mathext.NormalQuantile(min(max(pa+u*(pb-pa), 0), 1))
	} else {
		pa, pb := ndtr(-b), ndtr(-a)
		x = -mathext.NormalQuantile(min(max(pa+(1-u)*(pb-pa), 0), 1))
	}
	return min(max(x, a), b)
}
