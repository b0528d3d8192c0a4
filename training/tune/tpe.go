package tune

import (
	"cmp"
	"math"
	"slices"
	"sort"
)

// TPE settings: the defaults of Optuna's TPESampler.
const (
	tpeStartup     = 10  // trials drawn at random before TPE takes over
	tpeCandidates  = 24  // candidates drawn from l(x) per parameter
	tpePriorWeight = 1.0 // weight of the prior kernel
	tpeMaxGood     = 25  // most trials counted as good
	tpeFlatWeights = 25  // newest trials at full weight in a density
)

// tpeSampler is the Tree-structured Parzen Estimator, as described in
// the package doc ("The TPE sampler").
type tpeSampler struct {
	space *Space
	dir   Direction
	seed  uint64
}

func (t *tpeSampler) sample(n int, seen []*Record) []float64 {
	var obs []*Record
	for _, r := range seen {
		if r != nil && (r.State == Complete || r.State == Pruned) {
			obs = append(obs, r)
		}
	}
	if len(obs) < tpeStartup {
		return (&randomSampler{space: t.space, seed: t.seed}).sample(n, nil)
	}
	below, above := splitTrials(obs, t.dir)
	src := newSource(t.seed, n)
	x := make([]float64, len(t.space.Params))
	vals := func(rs []*Record, i int) []float64 {
		v := make([]float64, len(rs))
		for j, r := range rs {
			v[j] = r.x[i]
		}
		return v
	}
	for i := range t.space.Params {
		p := &t.space.Params[i]
		if p.single() {
			x[i] = randomValue(p, src)
			continue
		}
		l := newParzen(p, vals(below, i))
		g := newParzen(p, vals(above, i))
		best, bestScore := 0.0, math.Inf(-1)
		for c := range tpeCandidates {
			v := l.draw(src)
			if s := l.logPDF(v) - g.logPDF(v); c == 0 || s > bestScore {
				best, bestScore = v, s
			}
		}
		x[i] = best
	}
	return x
}

// tpeGamma is the number of good trials among n.
func tpeGamma(n int) int { return min((n+9)/10, tpeMaxGood) }

// splitTrials splits complete and pruned trials into the γ(n) good ones
// and the others, each in number order.
func splitTrials(obs []*Record, dir Direction) (below, above []*Record) {
	var complete, pruned []*Record
	for _, r := range obs {
		if r.State == Complete {
			complete = append(complete, r)
		} else {
			pruned = append(pruned, r)
		}
	}
	slices.SortStableFunc(complete, func(a, b *Record) int {
		switch {
		case dir.better(a.Value, b.Value):
			return -1
		case dir.better(b.Value, a.Value):
			return 1
		}
		return 0
	})
	// Pruned trials rank by the last step reached (later first), then by
	// the value there (NaN last); those that reported nothing come last.
	type score struct {
		steps bool
		step  int
		value float64
	}
	scoreOf := func(r *Record) score {
		if len(r.Intermediate) == 0 {
			return score{}
		}
		last := r.Intermediate[len(r.Intermediate)-1]
		v := last.Value
		switch {
		case math.IsNaN(v):
			v = math.Inf(1)
		case dir == Maximize:
			v = -v
		}
		return score{true, last.Step, v}
	}
	slices.SortStableFunc(pruned, func(a, b *Record) int {
		sa, sb := scoreOf(a), scoreOf(b)
		if sa.steps != sb.steps {
			if sa.steps {
				return -1
			}
			return 1
		}
		if c := cmp.Compare(sb.step, sa.step); c != 0 {
			return c
		}
		return cmp.Compare(sa.value, sb.value)
	})
	n := tpeGamma(len(obs))
	nc := min(n, len(complete))
	np := min(n-nc, len(pruned))
	below = append(append(below, complete[:nc]...), pruned[:np]...)
	above = append(append(above, complete[nc:]...), pruned[np:]...)
	byNumber := func(a, b *Record) int { return cmp.Compare(a.Number, b.Number) }
	slices.SortFunc(below, byNumber)
	slices.SortFunc(above, byNumber)
	return below, above
}

// tpeWeights are the kernel weights of n observations in number order,
// and of the prior kernel last, normalised.
func tpeWeights(n int) []float64 {
	w := make([]float64, n+1)
	ramp := max(n-tpeFlatWeights, 0)
	for i := range w {
		switch {
		case i == n:
			w[i] = tpePriorWeight
		case i >= ramp:
			w[i] = 1
		case ramp == 1:
			w[i] = 1 / float64(n)
		default: // numpy's linspace(1/n, 1, ramp)
			lo := 1 / float64(n)
			w[i] = lo + float64(i)*(1-lo)/float64(ramp-1)
		}
	}
	var sum float64
	for _, v := range w {
		sum += v
	}
	for i := range w {
		w[i] /= sum
	}
	return w
}

// parzen is the Parzen estimator of one parameter: a mixture of kernels,
// in the parameter's transformed space (log for log parameters).
type parzen struct {
	p *Param

	// Categorical: the mixture's probability of each choice.
	probs []float64

	// Numeric: the kernels' weights (cumulative, for drawing), centres,
	// bandwidths, and the log of weight over mass within the bounds (and,
	// if continuous, over σ√(2π)).
	cum, mu, sigma, logWZ []float64
	lo, hi                float64 // bounds, widened by half a step if discrete
	step                  float64 // 0 if continuous
}

func newParzen(p *Param, obs []float64) *parzen {
	w := tpeWeights(len(obs))
	z := &parzen{p: p}
	if p.Kind == KindCategorical {
		k := len(p.Choices)
		z.probs = make([]float64, k)
		prior := tpePriorWeight / float64(len(obs)+1)
		row := prior*float64(k) + 1
		for j, o := range obs {
			z.probs[int(o)] += w[j] / row
		}
		for c := range z.probs {
			// Every observation's row has prior on c too, and the prior
			// kernel's row is uniform.
			z.probs[c] += (1-w[len(obs)])*prior/row + w[len(obs)]/float64(k)
		}
		return z
	}
	z.lo, z.hi = p.Low, p.High
	if step, ok := p.discrete(); ok {
		z.step = step
		z.lo, z.hi = z.lo-step/2, z.hi+step/2
	}
	if p.Log {
		z.lo, z.hi = math.Log(z.lo), math.Log(z.hi)
		for i, o := range obs {
			obs[i] = math.Log(o)
		}
	}
	width := z.hi - z.lo
	z.mu = append(obs, (z.lo+z.hi)/2)
	z.sigma = append(bandwidths(obs, z.lo, z.hi), width)
	z.cum = make([]float64, len(w))
	z.logWZ = make([]float64, len(w))
	var c float64
	for k := range w {
		c += w[k]
		z.cum[k] = c
		z.logWZ[k] = math.Log(w[k]) - logGaussMass((z.lo-z.mu[k])/z.sigma[k], (z.hi-z.mu[k])/z.sigma[k])
		if z.step == 0 {
			// The normal density's constant, once.
			z.logWZ[k] -= math.Log(z.sigma[k]) + lnSqrt2Pi
		}
	}
	return z
}

// bandwidths returns the kernels' bandwidths of observations mus within
// [lo, hi], magic-clipped.
func bandwidths(mus []float64, lo, hi float64) []float64 {
	n := len(mus)
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(mus[a], mus[b]) })
	s := make([]float64, n+2) // sorted, between the bounds
	s[0], s[n+1] = lo, hi
	for j, i := range order {
		s[j+1] = mus[i]
	}
	sig := make([]float64, n)
	for j := range sig {
		sig[j] = max(s[j+1]-s[j], s[j+2]-s[j+1])
	}
	if n >= 2 {
		sig[0] = s[2] - s[1]
		sig[n-1] = s[n] - s[n-1]
	}
	minSigma := (hi - lo) / min(100, float64(n+2))
	out := make([]float64, n)
	for j, i := range order {
		out[i] = min(max(sig[j], minSigma), hi-lo)
	}
	return out
}

// draw draws a value from the mixture, as an internal value.
func (z *parzen) draw(src source) float64 {
	if z.probs != nil {
		u, c := src.float(), 0.0
		for i, pr := range z.probs {
			if c += pr; u < c {
				return float64(i)
			}
		}
		return float64(len(z.probs) - 1)
	}
	u := src.float()
	k := min(sort.Search(len(z.cum), func(i int) bool { return z.cum[i] > u }), len(z.cum)-1)
	mu, sigma := z.mu[k], z.sigma[k]
	v := mu + sigma*truncNormal((z.lo-mu)/sigma, (z.hi-mu)/sigma, src.float())
	if z.p.Log {
		v = math.Exp(v)
	}
	if z.step > 0 {
		return z.p.stepValue(math.RoundToEven((v - z.p.Low) / z.step))
	}
	return min(max(v, z.p.Low), z.p.High)
}

// logPDF is the log density (for discrete parameters, the log mass) of
// the mixture at internal value v. As in Optuna, log densities are in
// the transformed space: the Jacobian cancels in l(x)/g(x).
func (z *parzen) logPDF(v float64) float64 {
	if z.probs != nil {
		return math.Log(z.probs[int(v)])
	}
	// A running log-sum-exp over the kernels.
	m, sum := math.Inf(-1), 0.0
	add := func(t float64) {
		switch {
		case t > m:
			sum = sum*math.Exp(m-t) + 1
			m = t
		case !math.IsInf(t, -1):
			sum += math.Exp(t - m)
		}
	}
	if z.step > 0 {
		l, r := v-z.step/2, v+z.step/2
		if z.p.Log {
			l, r = math.Log(l), math.Log(r)
		}
		for k, mu := range z.mu {
			s := z.sigma[k]
			add(z.logWZ[k] + logGaussMass((l-mu)/s, (r-mu)/s))
		}
	} else {
		x := v
		if z.p.Log {
			x = math.Log(v)
		}
		for k, mu := range z.mu {
			d := (x - mu) / z.sigma[k]
			add(z.logWZ[k] - 0.5*d*d)
		}
	}
	if math.IsInf(m, -1) {
		return m
	}
	return m + math.Log(sum)
}
