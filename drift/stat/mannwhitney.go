package stat

import (
	"math"
	"math/big"
	"math/bits"
)

// MannWhitneyU is the Mann-Whitney U rank test, matching
// scipy.stats.mannwhitneyu(a, b, use_continuity=True, alternative=…,
// method='auto') of SciPy 1.10. alternative is "two-sided", "less" or "greater"; any
// other value gives a NaN Result. The inputs may be in any order; they are
// copied and sorted once.
//
// Statistic is U1, the U statistic of a: the sum of a's midranks in the
// pooled sample minus n1(n1+1)/2.
//
// Method 'auto' as in SciPy: the exact null distribution when
// min(n1, n2) <= 8 and there are no ties; otherwise the normal
// approximation with the tie-corrected variance
// n1·n2/12·((n+1) − Σ(t³−t)/(n(n−1))) and a continuity correction of 0.5.
// The exact distribution is counted with the Gaussian binomial coefficient
// in O(min(n1,n2)·n1·n2/2) time and n1·n2/2 float64s of memory at most
// (64 MB for 8 against 2 million; SciPy's own tables there would not fit
// in memory at all).
//
// For "two-sided" U = max(U1, U2) and p = 2·sf(U), clipped to 1; "greater"
// uses U1 and "less" U2 = n1·n2 − U1. Evidently's Mann-Whitney drift test
// calls this with alternative "less".
//
// LogPValue: in the normal approximation log p = log f + log Φ(−z) in log
// space (f = 2 for two-sided), finite for any z; for the exact
// distribution log(PValue), whose smallest value, 1/C(n1+n2, min(n1,n2)),
// cannot underflow.
//
// NaN Result: an empty sample, a NaN value (SciPy raises), or an unknown
// alternative. ±Inf are ordinary values. (SciPy 1.10 returns NaN when the
// pooled sample holds both −Inf and +Inf: its rankdata checks for NaN by
// summing the data, and −Inf + Inf is NaN. The ranks are well defined, and
// this gives SciPy's result on the same data with the infinities replaced
// by finite values in the same order.)
func MannWhitneyU(a, b []float64, alternative string) Result {
	if len(a) == 0 || len(b) == 0 {
		return nanResult()
	}
	return MannWhitneyUSorted(sortedCopy(a), sortedCopy(b), alternative)
}

// MannWhitneyUSorted is MannWhitneyU for samples sorted ascending: one
// merge walk for the ranks and tie counts, plus the exact distribution
// when it applies.
func MannWhitneyUSorted(a, b []float64, alternative string) Result {
	if badSorted(a) || badSorted(b) {
		return nanResult()
	}
	f := 1.0
	switch alternative {
	case "two-sided":
		f = 2
	case "less", "greater":
	default:
		return nanResult()
	}
	n1, n2 := len(a), len(b)
	n := n1 + n2
	var r1 float64 // sum of a's midranks: half-integers, exact below 2^52
	var tie128 u128
	ties := false
	pos := 0
	walkTies(a, b, func(ca, cb int) {
		c := ca + cb
		if ca > 0 {
			r1 += float64(ca) * (float64(pos) + float64(c+1)/2)
		}
		if c > 1 {
			ties = true
			t := uint64(c)
			tie128 = tie128.add(mul64(t*(t-1), t+1)) // t³ − t
		}
		pos += c
	})
	fn1, fn2 := float64(n1), float64(n2)
	u1 := r1 - fn1*(fn1+1)/2
	u2 := fn1*fn2 - u1
	var u float64
	switch alternative {
	case "greater":
		u = u1
	case "less":
		u = u2
	default:
		u = math.Max(u1, u2)
	}
	if min(n1, n2) <= 8 && !ties {
		p := clip01(f * mwuExactSF(int64(u), n1, n2))
		return Result{Statistic: u1, PValue: p, LogPValue: math.Log(p)}
	}
	// Normal approximation, as SciPy's _get_mwu_z.
	mu := exactRatio(int64(n1)*int64(n2), 2)
	tieTerm := tie128.float()
	nn := float64(n) * float64(n-1)
	if n <= 3037000499 { // n(n−1) exact in int64, converted once as NumPy does
		nn = float64(int64(n) * int64(n-1))
	}
	s := math.Sqrt(exactRatio(int64(n1)*int64(n2), 12) * ((float64(n) + 1) - tieTerm/nn))
	z := (u - mu - 0.5) / s
	p := clip01(normSF(z) * f)
	logp := math.Min(math.Log(f)+logNormSF(z), 0)
	return Result{Statistic: u1, PValue: p, LogPValue: logp}
}

// exactRatio is the int/int true division Python does: correctly rounded.
func exactRatio(a, b int64) float64 {
	f, _ := new(big.Rat).SetFrac64(a, b).Float64()
	return f
}

// mwuExactSF is SciPy's _MWU.sf(U, m, n): Pr(U >= u) under the null
// hypothesis with no ties, summing the counts of the U distribution from
// the left up to m·n − u (the distribution is symmetric).
func mwuExactSF(u int64, m, n int) float64 {
	mn := int64(m) * int64(n)
	k := mn - u
	if k < 0 {
		return 0
	}
	if k >= mn {
		return 1
	}
	total := binomFloat(m+n, min(m, n))
	if k <= mn/2 {
		return sumCounts(m, n, k) / total
	}
	// cdf(k) = 1 − cdf(mn − k − 1) by symmetry; keeps the table at most
	// mn/2 long.
	return 1 - sumCounts(m, n, mn-k-1)/total
}

// sumCounts returns Σ_{i=0}^{k} c_i where c_i is the number of ways the U
// statistic of samples of sizes m and n equals i: the coefficients of the
// Gaussian binomial coefficient [m+n choose m]_q =
// Π_{i=1}^{s} (1 − q^(l+i)) / (1 − q^i), s = min(m,n), l = max(m,n),
// truncated at degree k. Counts are exact integers while below 2^53.
func sumCounts(m, n int, k int64) float64 {
	s, l := min(m, n), max(m, n)
	K := int(k)
	g := make([]float64, K+1)
	g[0] = 1
	for i := 1; i <= s; i++ { // divide by (1 − q^i)
		for j := i; j <= K; j++ {
			g[j] += g[j-i]
		}
	}
	for i := 1; i <= s; i++ { // multiply by (1 − q^(l+i))
		d := l + i
		for j := K; j >= d; j-- {
			g[j] -= g[j-d]
		}
	}
	var sum neumaier
	for _, c := range g {
		sum.add(c)
	}
	return sum.value()
}

// binomFloat is C(n, k) as a float64, exact while it fits in 53 bits.
func binomFloat(n, k int) float64 {
	if k < 0 || k > n {
		return 0
	}
	k = min(k, n-k)
	c := 1.0
	for i := 1; i <= k; i++ {
		c = c * float64(n-k+i) / float64(i)
	}
	return c
}

// u128 is an unsigned 128-bit accumulator.
type u128 struct{ hi, lo uint64 }

func mul64(a, b uint64) u128 {
	var r u128
	r.hi, r.lo = bits.Mul64(a, b)
	return r
}

func (x u128) add(y u128) u128 {
	lo := x.lo + y.lo
	carry := uint64(0)
	if lo < x.lo {
		carry = 1
	}
	return u128{x.hi + y.hi + carry, lo}
}

// float converts x to the nearest float64.
func (x u128) float() float64 {
	if x.hi == 0 {
		return float64(x.lo)
	}
	b := new(big.Int).SetUint64(x.hi)
	b.Lsh(b, 64)
	b.Or(b, new(big.Int).SetUint64(x.lo))
	f, _ := new(big.Float).SetInt(b).Float64()
	return f
}
