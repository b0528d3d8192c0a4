package tune

import (
	"context"
	"fmt"
	"math"
	"slices"
	"testing"
)

func TestBandwidths(t *testing.T) {
	cases := []struct {
		mus, want []float64
	}{
		// Larger gap to a neighbour; the lowest and highest observations
		// take the gap to their inner neighbour; clipped to [1/5, 1].
		{[]float64{0.9, 0.2, 0.5}, []float64{0.4, 0.3, 0.4}},
		{[]float64{0.5, 0.51}, []float64{0.25, 0.25}},
		// One observation: the larger gap to a bound.
		{[]float64{0.3}, []float64{0.7}},
	}
	for _, c := range cases {
		got := bandwidths(slices.Clone(c.mus), 0, 1)
		for i := range got {
			if math.Abs(got[i]-c.want[i]) > 1e-12 {
				t.Errorf("bandwidths(%v) = %v, want %v", c.mus, got, c.want)
				break
			}
		}
	}
}

func TestTPEWeights(t *testing.T) {
	if got := tpeWeights(3); !slices.Equal(got, []float64{0.25, 0.25, 0.25, 0.25}) {
		t.Errorf("3 observations: got %v", got)
	}
	// 30 observations: the 5 oldest ramp from 1/30 to 1, 25 at 1, the
	// prior at 1.
	got := tpeWeights(30)
	raw := []float64{1.0 / 30, 1.0/30 + (1-1.0/30)/4, 1.0/30 + 2*(1-1.0/30)/4, 1.0/30 + 3*(1-1.0/30)/4, 1}
	var sum float64
	for _, r := range raw {
		sum += r
	}
	sum += 26
	for i, r := range raw {
		if math.Abs(got[i]-r/sum) > 1e-15 {
			t.Errorf("weight %d: got %v, want %v", i, got[i], r/sum)
		}
	}
	if math.Abs(got[30]-1/sum) > 1e-15 || math.Abs(got[5]-1/sum) > 1e-15 {
		t.Errorf("flat weights: got %v, %v, want %v", got[5], got[30], 1/sum)
	}
}

// TestParzenNormalised checks that each estimator is a distribution: a
// density integrating to 1 over its range (in its transformed space), or
// masses summing to 1.
func TestParzenNormalised(t *testing.T) {
	continuous := []struct {
		p   Param
		obs []float64
	}{
		{Float("x", -1, 2), []float64{-1, 0.3, 0.31, 1.9, 2}},
		{LogFloat("x", 0.001, 10), []float64{0.001, 0.01, 0.5, 9}},
		{Float("x", 0, 1), nil},
	}
	for _, c := range continuous {
		z := newParzen(&c.p, slices.Clone(c.obs))
		lo, hi := c.p.Low, c.p.High
		if c.p.Log {
			lo, hi = math.Log(lo), math.Log(hi)
		}
		const n = 200000
		var sum float64
		for i := range n + 1 {
			u := lo + (hi-lo)*float64(i)/n
			v := u
			if c.p.Log {
				v = math.Exp(u)
			}
			w := 1.0
			if i == 0 || i == n {
				w = 0.5
			}
			sum += w * math.Exp(z.logPDF(min(max(v, c.p.Low), c.p.High)))
		}
		if got := sum * (hi - lo) / n; math.Abs(got-1) > 1e-4 {
			t.Errorf("%+v with %v: density integrates to %v", c.p, c.obs, got)
		}
	}
	discrete := []struct {
		p   Param
		obs []float64
	}{
		{Int("k", 1, 50), []float64{1, 7, 7, 50}},
		{Param{Name: "k", Kind: KindInt, Low: 1, High: 1000, Log: true}, []float64{1, 2, 900}},
		{Param{Name: "k", Kind: KindInt, Low: -10, High: 10, Step: 5}, []float64{-10, 5}},
		{Param{Name: "s", Kind: KindFloat, Low: 0, High: 1, Step: 0.1}, []float64{0.3, 0.3, 1}},
		{Categorical("c", "a", "b", "c", "d"), []float64{0, 0, 3}},
	}
	for _, c := range discrete {
		z := newParzen(&c.p, slices.Clone(c.obs))
		var sum float64
		var values []float64
		if c.p.Kind == KindCategorical {
			values = []float64{0, 1, 2, 3}
		} else {
			a, _ := c.p.gridAxis()
			for k := range a.n {
				values = append(values, a.at(k))
			}
		}
		for _, v := range values {
			sum += math.Exp(z.logPDF(v))
		}
		if math.Abs(sum-1) > 1e-9 {
			t.Errorf("%+v with %v: masses sum to %v", c.p, c.obs, sum)
		}
	}
	// Categorical: 2 of 3 observations on choice 0 of 4. Each of the 4
	// kernels weighs 1/4; each cell of an observation's row has the prior
	// 1/4 (prior weight over kernels), plus 1 where observed, so a row
	// sums to 2; the prior kernel is uniform:
	// p(0) = 1/4·((1+1/4)/2 + (1+1/4)/2 + (1/4)/2) + 1/4·1/4.
	z := newParzen(&discrete[4].p, []float64{0, 0, 3})
	want := 0.25*(1.25/2+1.25/2+0.25/2) + 0.25*0.25
	if got := math.Exp(z.logPDF(0)); math.Abs(got-want) > 1e-12 {
		t.Errorf("p(choice 0) = %v, want %v", got, want)
	}
}

func TestSplitTrials(t *testing.T) {
	rec := func(n int, s State, v float64, steps ...StepValue) *Record {
		return &Record{Number: n, State: s, Value: v, Intermediate: steps}
	}
	var obs []*Record
	// 20 complete trials, values 0 … 19, and pruned ones.
	for i := range 20 {
		obs = append(obs, rec(i, Complete, float64((i*7)%20)))
	}
	obs = append(obs,
		rec(20, Pruned, 0.9, StepValue{0, 0.5}, StepValue{1, 0.9}),
		rec(21, Pruned, 0.1, StepValue{0, 0.1}),
		rec(22, Pruned, math.NaN()),
	)
	numbers := func(rs []*Record) []int {
		var n []int
		for _, r := range rs {
			n = append(n, r.Number)
		}
		return n
	}
	// γ(23) = 3: the three smallest values, 0, 1, 2, from trials 0, 3, 6.
	below, above := splitTrials(obs, Minimize)
	if got := numbers(below); !slices.Equal(got, []int{0, 3, 6}) {
		t.Errorf("minimize: good trials %v, want [0 3 6]", got)
	}
	if len(above) != 20 || !slices.IsSortedFunc(above, func(a, b *Record) int { return a.Number - b.Number }) {
		t.Errorf("minimize: %d other trials %v", len(above), numbers(above))
	}
	// Maximize: 19, 18, 17 from trials 17, 14, 11.
	below, _ = splitTrials(obs, Maximize)
	if got := numbers(below); !slices.Equal(got, []int{11, 14, 17}) {
		t.Errorf("maximize: good trials %v, want [11 14 17]", got)
	}
	// 1 complete and 11 pruned trials: γ(12) = 2, the complete one and
	// the pruned one that got furthest, with the best value there.
	pruned := append(slices.Clone(obs[20:]), rec(23, Pruned, 0.2, StepValue{1, 0.2}))
	mixed := append([]*Record{rec(0, Complete, 5)}, pruned...)
	for i := range 7 {
		mixed = append(mixed, rec(30+i, Pruned, math.NaN()))
	}
	below, above = splitTrials(mixed, Maximize)
	if got := numbers(below); !slices.Equal(got, []int{0, 20}) {
		t.Errorf("maximize, mostly pruned: good trials %v, want [0 20]", got)
	}
	below, _ = splitTrials(mixed, Minimize)
	if got := numbers(below); !slices.Equal(got, []int{0, 23}) {
		t.Errorf("minimize, mostly pruned: good trials %v, want [0 23]", got)
	}
	if len(above) != 10 {
		t.Errorf("mostly pruned: %d other trials, want 10", len(above))
	}
}

// quadratic is a 2-D bowl with its minimum 0 at (1.3, −0.7).
func quadratic(_ context.Context, t *Trial) (float64, error) {
	x, y := t.Params["x"].(float64), t.Params["y"].(float64)
	return (x-1.3)*(x-1.3) + (y+0.7)*(y+0.7), nil
}

var bowl = &Space{Direction: Minimize, Params: []Param{Float("x", -5, 5), Float("y", -5, 5)}}

func TestTPEBeatsRandom(t *testing.T) {
	// Over 10 seeds, 60 trials each, TPE's mean best value is well under
	// half random's (in trials it was about a tenth).
	mean := func(sampler string) float64 {
		var sum float64
		for seed := range uint64(10) {
			res, err := Run(context.Background(), Options{Space: bowl, Sampler: sampler, Trials: 60, Seed: seed}, quadratic)
			if err != nil {
				t.Fatal(err)
			}
			sum += res.Best.Value
		}
		return sum / 10
	}
	tpe, random := mean(SamplerTPE), mean(SamplerRandom)
	t.Logf("mean best of 60 trials: tpe %.4f, random %.4f", tpe, random)
	if !(tpe < 0.5*random) {
		t.Errorf("tpe mean best %v, random %v: want tpe under half of random", tpe, random)
	}
}

func TestTPEStartupMatchesRandom(t *testing.T) {
	s := &Space{Direction: Minimize, Params: []Param{
		Float("x", -5, 5), Float("y", -5, 5), Int("k", 1, 9), Categorical("c", "a", "b"), LogFloat("lr", 0.001, 1),
	}}
	obj := func(ctx context.Context, t *Trial) (float64, error) { return quadratic(ctx, t) }
	run := func(sampler string) *Result {
		res, err := Run(context.Background(), Options{Space: s, Sampler: sampler, Trials: 14, Seed: 42}, obj)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	tpe, random := run(SamplerTPE), run(SamplerRandom)
	for i := range 14 {
		same := fmt.Sprint(tpe.Trials[i].Params) == fmt.Sprint(random.Trials[i].Params)
		if i < tpeStartup && !same {
			t.Errorf("trial %d: tpe %v, random %v: want the same during startup", i, tpe.Trials[i].Params, random.Trials[i].Params)
		}
		if i >= tpeStartup && same {
			t.Errorf("trial %d: tpe drew random's %v after startup", i, tpe.Trials[i].Params)
		}
	}
}

// BenchmarkTPESample measures sampling one trial from 200 finished
// trials over 6 parameters of every kind.
func BenchmarkTPESample(b *testing.B) {
	s := &Space{Direction: Maximize, Params: []Param{
		LogFloat("learning_rate", 0.01, 0.3),
		Int("max_leaf_nodes", 8, 64),
		Float("l2_regularization", 0, 1),
		Categorical("max_depth", 3, 6, 0),
		{Name: "min_samples_leaf", Kind: KindInt, Low: 5, High: 100, Log: true},
		{Name: "subsample", Kind: KindFloat, Low: 0.5, High: 1, Step: 0.05},
	}}
	r := &randomSampler{space: s, seed: 1}
	var seen []*Record
	for n := range 200 {
		x := r.sample(n, nil)
		seen = append(seen, &Record{Number: n, State: Complete, Value: math.Sin(float64(n)), x: x})
	}
	tpe := &tpeSampler{space: s, dir: Maximize, seed: 1}
	b.ReportAllocs()
	for b.Loop() {
		tpe.sample(200, seen)
	}
}
