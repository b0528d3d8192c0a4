package tune

import (
	"fmt"
	"math"
	"strings"
)

// The samplers a study may use.
const (
	SamplerTPE    = "tpe"
	SamplerRandom = "random"
	SamplerGrid   = "grid"
)

var samplerNames = []string{SamplerTPE, SamplerRandom, SamplerGrid}

// sampler chooses the parameters of trials.
type sampler interface {
	// sample returns the internal values of trial n's parameters, in the
	// space's order (a choice's index for a categorical). seen holds the
	// finished trials it may learn from, in number order; the same n and
	// seen give the same values.
	sample(n int, seen []*Record) []float64
}

var (
	_ sampler = (*gridSampler)(nil)
	_ sampler = (*randomSampler)(nil)
	_ sampler = (*tpeSampler)(nil)
)

// gridSampler walks the cartesian product of the parameters' grid
// values, in a fixed order: the space's last parameter varies fastest,
// each parameter's values in the order given (choices, a grid list) or
// ascending (steps from low to high).
type gridSampler struct {
	axes []gridAxis
	size int
}

func newGrid(s *Space) (*gridSampler, error) {
	g := &gridSampler{size: 1}
	var bad []string
	for i := range s.Params {
		a, msg := s.Params[i].gridAxis()
		if msg != "" {
			bad = append(bad, msg)
			continue
		}
		g.axes = append(g.axes, a)
		if g.size > math.MaxInt32/a.n {
			return nil, fmt.Errorf("%w: the grid has more than %d points", ErrOptions, math.MaxInt32)
		}
		g.size *= a.n
	}
	if len(bad) > 0 {
		return nil, fmt.Errorf("%w: %s", ErrOptions, strings.Join(bad, "; "))
	}
	return g, nil
}

func (g *gridSampler) sample(n int, _ []*Record) []float64 {
	x := make([]float64, len(g.axes))
	for i := len(g.axes) - 1; i >= 0; i-- {
		a := g.axes[i]
		x[i] = a.at(n % a.n)
		n /= a.n
	}
	return x
}

// randomSampler draws each parameter independently and uniformly (on a
// log scale for log parameters), as Optuna's RandomSampler.
type randomSampler struct {
	space *Space
	seed  uint64
}

func (r *randomSampler) sample(n int, _ []*Record) []float64 {
	src := newSource(r.seed, n)
	x := make([]float64, len(r.space.Params))
	for i := range r.space.Params {
		x[i] = randomValue(&r.space.Params[i], src)
	}
	return x
}

// randomValue draws one value of p. Discrete values (ints, floats with
// a step) are drawn over a range widened by half a step at each end and
// rounded to the nearest step, so that low and high are as likely as
// the values between; log-scale ints are drawn over [low−0.5, high+0.5]
// on a log scale and rounded. A parameter with one value draws nothing.
func randomValue(p *Param, src source) float64 {
	if p.single() {
		if p.Kind == KindCategorical {
			return 0
		}
		return p.Low
	}
	if p.Kind == KindCategorical {
		k := len(p.Choices)
		return float64(min(int(src.float()*float64(k)), k-1))
	}
	u := src.float()
	step, discrete := p.discrete()
	switch {
	case p.Log && discrete:
		lo, hi := math.Log(p.Low-step/2), math.Log(p.High+step/2)
		v := math.RoundToEven(math.Exp(lo + u*(hi-lo)))
		return min(max(v, p.Low), p.High)
	case discrete:
		lo, hi := p.Low-step/2, p.High+step/2
		k := math.Floor((lo+u*(hi-lo)-p.Low)/step + 0.5)
		return p.stepValue(k)
	case p.Log:
		lo, hi := math.Log(p.Low), math.Log(p.High)
		v := math.Exp(lo + u*(hi-lo))
		return min(max(v, p.Low), math.Nextafter(p.High, p.Low))
	}
	return min(p.Low+u*(p.High-p.Low), math.Nextafter(p.High, p.Low))
}
