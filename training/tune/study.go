package tune

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sync"
	"time"
)

// Objective evaluates one trial: it reads t.Params, may call t.Report
// after each step (a fold, an epoch) and stop with ErrPruned when told
// to, and returns the trial's value. Any other error fails the trial,
// and the study goes on; an error returned once ctx is done marks the
// trial as interrupted, and it is left out of the result.
type Objective func(ctx context.Context, t *Trial) (float64, error)

// Options configure a study.
type Options struct {
	// Space is the search space. Required.
	Space *Space
	// Sampler is "tpe" (the default), "random" or "grid".
	Sampler string
	// Trials is the number of trials. A grid search stops when its grid
	// is exhausted, and runs all of it when Trials is 0.
	Trials int
	// Parallel is how many objectives may run at once; 0 means 1.
	Parallel int
	// Window is how far behind a trial's sampling may lag: trial n is
	// sampled from, and pruned against, trials 0 … n−Window only, and it
	// starts once those have finished. With the seed, it fixes the
	// study's trials whatever Parallel is (see the package doc). 0 means
	// Parallel. A Window below Parallel limits concurrency to Window.
	Window int
	// Seed seeds the random and TPE samplers.
	Seed uint64
	// Direction overrides the space's; one of them must give it.
	Direction Direction
	// Pruner prunes trials by their intermediate values; nil prunes
	// none.
	Pruner *MedianPruner
}

// Validate checks the options.
func (o *Options) Validate() error {
	_, err := o.resolve()
	return err
}

// resolve returns the options with defaults filled in, checked.
func (o *Options) resolve() (Options, error) {
	r := *o
	if r.Space == nil {
		return r, fmt.Errorf("%w: no search space", ErrOptions)
	}
	if err := r.Space.Validate(); err != nil {
		return r, err
	}
	if r.Sampler == "" {
		r.Sampler = SamplerTPE
	}
	if !slices.Contains(samplerNames, r.Sampler) {
		return r, fmt.Errorf("%w: unknown sampler %q: want tpe, random or grid%s", ErrOptions, r.Sampler, didYouMean(r.Sampler, samplerNames))
	}
	switch {
	case r.Direction == "":
		r.Direction = r.Space.Direction
	case r.Direction != Minimize && r.Direction != Maximize:
		return r, fmt.Errorf("%w: direction %q: want maximize or minimize", ErrOptions, r.Direction)
	case r.Space.Direction != "" && r.Space.Direction != r.Direction:
		return r, fmt.Errorf("%w: direction %s, but the space says %s", ErrOptions, r.Direction, r.Space.Direction)
	}
	if r.Direction == "" {
		return r, fmt.Errorf("%w: no direction: set it in the options or the space", ErrOptions)
	}
	switch {
	case r.Trials < 0 || r.Trials == 0 && r.Sampler != SamplerGrid:
		return r, fmt.Errorf("%w: trials %d: want at least 1", ErrOptions, r.Trials)
	case r.Parallel < 0:
		return r, fmt.Errorf("%w: parallel %d is negative", ErrOptions, r.Parallel)
	case r.Window < 0:
		return r, fmt.Errorf("%w: window %d is negative", ErrOptions, r.Window)
	}
	r.Parallel = max(r.Parallel, 1)
	if r.Window == 0 {
		r.Window = r.Parallel
	}
	if r.Pruner != nil {
		if err := r.Pruner.Validate(); err != nil {
			return r, err
		}
	}
	return r, nil
}

// Trial is a trial as its objective sees it.
type Trial struct {
	Number int
	// Params holds a value for every parameter of the space: int64 for
	// ints, float64 for floats, and a categorical's choice as given
	// (int64, float64, string or bool).
	Params map[string]any

	mu     sync.Mutex
	values []StepValue // in step order
	pruner *MedianPruner
	dir    Direction
	seen   []*Record
}

// Report records the intermediate value of the trial at step (>= 0), and
// says whether the trial should stop: the objective should then return
// ErrPruned. A second report for the same step is ignored, as in Optuna.
// Without a pruner, Report only records.
func (t *Trial) Report(step int, value float64) (prune bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	i, found := slices.BinarySearchFunc(t.values, step, func(v StepValue, s int) int { return v.Step - s })
	if !found {
		t.values = slices.Insert(t.values, i, StepValue{Step: step, Value: value})
	}
	if t.pruner == nil || step < 0 {
		return false
	}
	return t.pruner.prune(t.dir, t.seen, t.values)
}

// Run runs a study: it samples Trials trials, up to Parallel at once,
// and evaluates each with objective. It returns every finished trial,
// in number order, and the best one.
//
// When ctx is cancelled, Run starts no more trials, waits for those
// running, and returns what finished with an error wrapping ctx.Err().
// Invalid options return ErrOptions or ErrSpace.
func Run(ctx context.Context, opts Options, objective Objective) (*Result, error) {
	o, err := opts.resolve()
	if err != nil {
		return nil, err
	}
	if objective == nil {
		return nil, fmt.Errorf("%w: no objective", ErrOptions)
	}
	var smp sampler
	n := o.Trials
	switch o.Sampler {
	case SamplerGrid:
		g, err := newGrid(o.Space)
		if err != nil {
			return nil, err
		}
		if n == 0 || n > g.size {
			n = g.size
		}
		smp = g
	case SamplerRandom:
		smp = &randomSampler{space: o.Space, seed: o.Seed}
	default:
		smp = &tpeSampler{space: o.Space, dir: o.Direction, seed: o.Seed}
	}

	type done struct {
		n   int
		rec *Record // nil if interrupted
	}
	recs := make([]*Record, n)
	finished := make([]bool, n)
	ch := make(chan done)
	prefix, next, running := 0, 0, 0 // trials 0 … prefix−1 have finished
	for {
		for next < n && running < o.Parallel && ctx.Err() == nil {
			seen := max(next-o.Window+1, 0)
			if prefix < seen {
				break
			}
			x := smp.sample(next, recs[:seen])
			t := &Trial{Number: next, Params: make(map[string]any, len(x)), pruner: o.Pruner, dir: o.Direction, seen: recs[:seen]}
			for i := range o.Space.Params {
				p := &o.Space.Params[i]
				t.Params[p.Name] = p.external(x[i])
			}
			running++
			next++
			go func() {
				rec := evaluate(ctx, objective, t, x)
				ch <- done{t.Number, rec}
			}()
		}
		if running == 0 {
			break
		}
		d := <-ch
		running--
		recs[d.n], finished[d.n] = d.rec, true
		for prefix < n && finished[prefix] {
			prefix++
		}
	}

	res := &Result{Space: o.Space, Direction: o.Direction, Sampler: o.Sampler, Seed: o.Seed, Window: o.Window, Pruner: o.Pruner}
	interrupted := next < n
	for _, r := range recs[:next] {
		if r == nil {
			interrupted = true
			continue
		}
		res.Trials = append(res.Trials, r)
	}
	res.Best = best(res.Trials, o.Direction)
	if interrupted && ctx.Err() != nil {
		return res, fmt.Errorf("tune: study stopped after %d of %d trials: %w", len(res.Trials), n, ctx.Err())
	}
	return res, nil
}

// evaluate runs the objective on one trial and records the outcome; it
// returns nil if the trial was interrupted.
func evaluate(ctx context.Context, objective Objective, t *Trial, x []float64) *Record {
	start := time.Now()
	v, err := objective(ctx, t)
	rec := &Record{Number: t.Number, Params: t.Params, Duration: time.Since(start), x: x}
	t.mu.Lock()
	rec.Intermediate = slices.Clone(t.values)
	t.mu.Unlock()
	switch {
	case err == nil && math.IsNaN(v):
		rec.State, rec.Value, rec.Error = Failed, math.NaN(), "the objective returned NaN"
	case err == nil:
		rec.State, rec.Value = Complete, v
	case errors.Is(err, ErrPruned):
		rec.State, rec.Value = Pruned, math.NaN()
		if k := len(rec.Intermediate); k > 0 {
			rec.Value = rec.Intermediate[k-1].Value
		}
	case ctx.Err() != nil:
		return nil
	default:
		rec.State, rec.Value, rec.Error = Failed, math.NaN(), err.Error()
	}
	return rec
}

// best returns the best complete trial, the first of equals, or nil.
func best(trials []*Record, dir Direction) *Record {
	var b *Record
	for _, r := range trials {
		if r.State == Complete && (b == nil || dir.better(r.Value, b.Value)) {
			b = r
		}
	}
	return b
}
