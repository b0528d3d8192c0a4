package stat

import "math"

// The distances below take two histograms over the same bins or
// categories, as counts or as shares in any scale: each side is divided by
// its own sum first. They return NaN when the lengths differ, a side is
// empty or sums to 0, or an entry is negative or NaN.

// shares returns p normalised to sum 1, or nil if p is not a valid
// histogram.
func shares(p []float64) []float64 {
	if len(p) == 0 {
		return nil
	}
	var s neumaier
	for _, v := range p {
		if !(v >= 0) || math.IsInf(v, 1) {
			return nil
		}
		s.add(v)
	}
	sum := s.value()
	if !(sum > 0) {
		return nil
	}
	out := make([]float64, len(p))
	for i, v := range p {
		out[i] = v / sum
	}
	return out
}

func pair(p, q []float64) ([]float64, []float64, bool) {
	if len(p) != len(q) {
		return nil, nil, false
	}
	ps, qs := shares(p), shares(q)
	return ps, qs, ps != nil && qs != nil
}

// relEntr is scipy.special.rel_entr.
func relEntr(x, y float64) float64 {
	switch {
	case x > 0 && y > 0:
		return x * math.Log(x/y)
	case x == 0 && y >= 0:
		return 0
	}
	return math.Inf(1)
}

// KL is the Kullback-Leibler divergence D(p‖q) = Σ p_i log(p_i/q_i) in nats,
// matching scipy.stats.entropy(p, q) of SciPy 1.10: both sides normalised,
// +Inf when some q_i is 0 where p_i is not, and (unlike SciPy) never below
// 0. Evidently's KL drift test first fills empty
// bins (see FillEmptyBins) on both sides; do the same to reproduce it.
func KL(p, q []float64) float64 {
	ps, qs, ok := pair(p, q)
	if !ok {
		return math.NaN()
	}
	var s neumaier
	for i := range ps {
		s.add(relEntr(ps[i], qs[i]))
	}
	// D(p‖q) ≥ 0; rounding can leave -1e-17 for equal inputs, which SciPy
	// returns as is.
	return math.Max(s.value(), 0)
}

// JensenShannon is the Jensen-Shannon distance (the square root of the
// divergence) in nats, matching scipy.spatial.distance.jensenshannon(p, q)
// of SciPy 1.10 (base e):
// sqrt((D(p‖m) + D(q‖m))/2) with m = (p+q)/2. It lies in [0, sqrt(ln 2)].
// Where rounding makes the divergence a hair negative for nearly identical
// inputs, SciPy returns NaN and this returns 0. Evidently uses it without
// filling empty bins.
func JensenShannon(p, q []float64) float64 {
	ps, qs, ok := pair(p, q)
	if !ok {
		return math.NaN()
	}
	var l, r neumaier
	for i := range ps {
		l.add(jsTerm(ps[i], qs[i]))
		r.add(jsTerm(qs[i], ps[i]))
	}
	js := l.value() + r.value()
	if js < 0 {
		js = 0
	}
	return math.Sqrt(js / 2)
}

// jsTerm is rel_entr(x, m) with m = (x+y)/2, as SciPy computes it; where
// m would be subnormal x/m is taken as 2x/(x+y), so that a tiny share
// does not make the term +Inf.
func jsTerm(x, y float64) float64 {
	if x == 0 {
		return 0
	}
	m := (x + y) / 2
	if m < 0x1p-1022 {
		return x * math.Log(2*x/(x+y))
	}
	return x * math.Log(x/m)
}

// Hellinger is the Hellinger distance H = sqrt(1 − Σ sqrt(p_i q_i)) on
// normalised inputs (the definition without the 1/√2 factor's alternative
// scaling: H lies in [0, 1]), as Evidently computes for categorical
// columns. It is evaluated as the equal sqrt(½ Σ (√p_i − √q_i)²), which
// does not cancel for nearly equal inputs; the naive form's rounding
// reaches 1e-8 there.
func Hellinger(p, q []float64) float64 {
	ps, qs, ok := pair(p, q)
	if !ok {
		return math.NaN()
	}
	var s neumaier
	for i := range ps {
		d := math.Sqrt(ps[i]) - math.Sqrt(qs[i])
		s.add(d * d)
	}
	return math.Sqrt(math.Min(s.value()/2, 1))
}

// TVD is the total variation distance ½ Σ |p_i − q_i| on normalised
// inputs, in [0, 1] (Evidently's TVD statistic).
func TVD(p, q []float64) float64 {
	ps, qs, ok := pair(p, q)
	if !ok {
		return math.NaN()
	}
	var s neumaier
	for i := range ps {
		s.add(math.Abs(ps[i] - qs[i]))
	}
	return s.value() / 2
}

// PSI is the Population Stability Index Σ (r_i − c_i) ln(r_i/c_i) of the
// current shares c against the reference shares r, computed as Evidently
// does: each side is turned into shares, and then empty bins on each side
// are filled by FillEmptyBins (without renormalising) so that every term is
// finite. PSI is symmetric in its arguments.
func PSI(ref, cur []float64) float64 {
	rs, cs, ok := pair(ref, cur)
	if !ok {
		return math.NaN()
	}
	rs, cs = FillEmptyBins(rs), FillEmptyBins(cs)
	var s neumaier
	for i := range rs {
		s.add((rs[i] - cs[i]) * math.Log(rs[i]/cs[i]))
	}
	return s.value()
}

// FillEmptyBins returns a copy of shares with every 0 replaced as
// Evidently's get_binned_data does: by the smallest non-zero share divided
// by 10^6 when that share is at most 1e-4 (but at least the smallest
// float64), and by 1e-4 otherwise. The result is not renormalised (neither
// is Evidently's). All-zero input is returned unchanged.
func FillEmptyBins(shares []float64) []float64 {
	out := make([]float64, len(shares))
	copy(out, shares)
	minNZ := math.Inf(1)
	for _, v := range out {
		if v != 0 && v < minNZ {
			minNZ = v
		}
	}
	if math.IsInf(minNZ, 1) {
		return out
	}
	fill := 0.0001
	if minNZ <= 0.0001 {
		// Never 0, which Evidently's fill becomes for shares below 5e-318.
		fill = math.Max(minNZ/1e6, math.SmallestNonzeroFloat64)
	}
	for i, v := range out {
		if v == 0 {
			out[i] = fill
		}
	}
	return out
}
