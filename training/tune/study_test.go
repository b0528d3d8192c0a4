package tune

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
)

// signature renders what a study determines: every trial's number,
// parameters, state, value and intermediate values (not durations).
func signature(res *Result) string {
	var b strings.Builder
	for _, r := range res.Trials {
		fmt.Fprintf(&b, "%d %s %v %x %q", r.Number, r.State, r.Params, math.Float64bits(r.Value), r.Error)
		for _, s := range r.Intermediate {
			fmt.Fprintf(&b, " %d:%x", s.Step, math.Float64bits(s.Value))
		}
		b.WriteByte('\n')
	}
	return b.String()
}

var mixedSpace = &Space{Direction: Minimize, Params: []Param{
	Float("x", -5, 5),
	LogFloat("lr", 0.001, 1),
	Int("k", 1, 20),
	{Name: "leaf", Kind: KindInt, Low: 1, High: 200, Log: true},
	Categorical("c", "a", "b", "c"),
}}

// foldObjective reports five "folds" and stops when pruned; its running
// time varies with the parameters, so that trials finish out of order.
func foldObjective(_ context.Context, t *Trial) (float64, error) {
	x := t.Params["x"].(float64)
	lr := t.Params["lr"].(float64)
	k := t.Params["k"].(int64)
	leaf := t.Params["leaf"].(int64)
	c := map[string]float64{"a": 0, "b": 0.5, "c": 1}[t.Params["c"].(string)]
	v := (x-1)*(x-1) + math.Abs(math.Log10(lr)+2) + float64((k-7)*(k-7))/10 + c + math.Abs(math.Log(float64(leaf)/20))
	spin := int(k)*int(leaf)%13 + 1
	for step := range 5 {
		for range spin * 50 {
			runtime.Gosched()
		}
		if t.Report(step, v*(1+0.1*float64(4-step))) {
			return 0, fmt.Errorf("fold %d: %w", step, ErrPruned)
		}
	}
	return v, nil
}

func TestDeterminism(t *testing.T) {
	run := func(sampler string, parallel, window int) string {
		res, err := Run(context.Background(), Options{Space: mixedSpace, Sampler: sampler, Trials: 40, Parallel: parallel,
			Window: window, Seed: 7, Pruner: NewMedianPruner()}, foldObjective)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Trials) != 40 {
			t.Fatalf("%d trials, want 40", len(res.Trials))
		}
		return signature(res)
	}
	for _, sampler := range []string{SamplerTPE, SamplerRandom} {
		ref := run(sampler, 1, 4)
		for _, parallel := range []int{4, 3, 8} {
			if got := run(sampler, parallel, 4); got != ref {
				t.Errorf("%s: parallel %d, window 4: got\n%s\nwant (parallel 1)\n%s", sampler, parallel, got, ref)
			}
		}
		if got := run(sampler, 4, 0); got != ref {
			t.Errorf("%s: window defaults to parallel 4: got\n%s\nwant\n%s", sampler, got, ref)
		}
		if !strings.Contains(ref, "pruned") {
			t.Errorf("%s: no trial was pruned: the test does not cover pruning", sampler)
		}
	}
	// The window changes what TPE learns from, so it changes the study.
	if run(SamplerTPE, 1, 1) == run(SamplerTPE, 1, 4) {
		t.Error("tpe: windows 1 and 4 gave the same study")
	}
}

func TestParallelRunsAtOnce(t *testing.T) {
	// Trials 0 … 3 each wait until all four have started: that returns
	// only if Run runs four objectives at once.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var wg sync.WaitGroup
	wg.Add(4)
	all := make(chan struct{})
	go func() { wg.Wait(); close(all) }()
	res, err := Run(ctx, Options{Space: bowl, Sampler: SamplerRandom, Trials: 8, Parallel: 4}, func(ctx context.Context, t *Trial) (float64, error) {
		if t.Number < 4 {
			wg.Done()
			select {
			case <-all:
			case <-ctx.Done():
				return 0, ctx.Err()
			}
		}
		return quadratic(ctx, t)
	})
	if err != nil || len(res.Trials) != 8 {
		t.Fatalf("got %v trials, %v", res, err)
	}
}

// badEvery3 maximizes: trials numbered 2, 5, 8, … report 0.1 at every
// step, the others 0.9, never below the median.
func badEvery3(_ context.Context, t *Trial) (float64, error) {
	v := 0.9
	if t.Number%3 == 2 {
		v = 0.1
	}
	for step := range 5 {
		if t.Report(step, v) {
			return 0, ErrPruned
		}
	}
	return v, nil
}

func TestMedianPruning(t *testing.T) {
	s := &Space{Direction: Maximize, Params: []Param{Int("i", 0, 100)}}
	cases := []struct {
		name   string
		pruner *MedianPruner
		steps  int // intermediate values of a pruned trial
	}{
		{"defaults", NewMedianPruner(), 1},
		{"warmup", &MedianPruner{StartupTrials: 5, WarmupSteps: 2, Interval: 1}, 3},
		{"interval", &MedianPruner{StartupTrials: 5, WarmupSteps: 1, Interval: 3}, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := Run(context.Background(), Options{Space: s, Sampler: SamplerRandom, Trials: 15, Window: 1, Pruner: c.pruner}, badEvery3)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range res.Trials {
				switch {
				case r.Number%3 != 2 || r.Number < 5:
					// Good trials, and bad ones before 5 trials completed.
					if r.State != Complete || len(r.Intermediate) != 5 {
						t.Errorf("trial %d: %s with %d values, want complete with 5", r.Number, r.State, len(r.Intermediate))
					}
				default:
					if r.State != Pruned || r.Value != 0.1 || len(r.Intermediate) != c.steps {
						t.Errorf("trial %d: %s, value %v, %d values; want pruned, 0.1, %d values", r.Number, r.State, r.Value, len(r.Intermediate), c.steps)
					}
				}
			}
		})
	}
	// Without a pruner, Report only records.
	res, err := Run(context.Background(), Options{Space: s, Sampler: SamplerRandom, Trials: 15}, badEvery3)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res.Trials {
		if r.State != Complete {
			t.Errorf("no pruner: trial %d %s", r.Number, r.State)
		}
	}
}

func TestPrunerRules(t *testing.T) {
	steps := func(vals ...float64) []StepValue {
		var s []StepValue
		for i, v := range vals {
			s = append(s, StepValue{i, v})
		}
		return s
	}
	var seen []*Record
	for i, v := range []float64{1, 2, 3, 4} {
		seen = append(seen, &Record{Number: i, State: Complete, Intermediate: steps(v, v)})
	}
	seen = append(seen, &Record{Number: 4, State: Pruned, Intermediate: steps(-100)}, &Record{Number: 5, State: Failed, Intermediate: steps(-100)})
	m := &MedianPruner{StartupTrials: 4}
	cases := []struct {
		dir    Direction
		values []StepValue
		want   bool
	}{
		{Maximize, steps(2.4), true},  // median 2.5
		{Maximize, steps(2.5), false}, // not worse than the median
		{Minimize, steps(2.6), true},
		{Minimize, steps(2.4), false},
		{Maximize, steps(3, 2), false},          // best so far, 3, counts
		{Maximize, steps(2, 2, 0), false},       // no complete trial has step 2
		{Maximize, steps(math.NaN()), true},     // only NaN
		{Maximize, []StepValue{{-1, 0}}, false}, // a negative step is before the warmup
	}
	for i, c := range cases {
		if got := m.prune(c.dir, seen, c.values); got != c.want {
			t.Errorf("case %d (%s %v): got %v, want %v", i, c.dir, c.values, got, c.want)
		}
	}
	// Fewer complete trials than StartupTrials: never.
	if (&MedianPruner{StartupTrials: 5}).prune(Maximize, seen, steps(-1000)) {
		t.Error("pruned with 4 complete trials and 5 startup trials")
	}
}

func TestFailedTrial(t *testing.T) {
	res, err := Run(context.Background(), Options{Space: bowl, Trials: 20, Seed: 3}, func(ctx context.Context, t *Trial) (float64, error) {
		switch t.Number {
		case 3:
			return 0, errors.New("boom")
		case 5:
			return math.NaN(), nil
		case 6:
			return math.Inf(-1), nil
		}
		return quadratic(ctx, t)
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Trials) != 20 {
		t.Fatalf("%d trials, want 20: the study should go on after a failure", len(res.Trials))
	}
	if r := res.Trials[3]; r.State != Failed || r.Error != "boom" || !math.IsNaN(r.Value) {
		t.Errorf("trial 3: %+v, want failed with boom", r)
	}
	if r := res.Trials[5]; r.State != Failed || r.Error != "the objective returned NaN" {
		t.Errorf("trial 5: %+v, want failed for NaN", r)
	}
	if res.Best != res.Trials[6] {
		t.Errorf("best %+v, want trial 6 (-Inf)", res.Best)
	}
	for _, r := range res.Trials {
		if r.Number != 3 && r.Number != 5 && r.State != Complete {
			t.Errorf("trial %d: %s", r.Number, r.State)
		}
	}
	// All failing: no best, no error.
	res, err = Run(context.Background(), Options{Space: bowl, Trials: 12}, func(context.Context, *Trial) (float64, error) { return 0, errors.New("no") })
	if err != nil || res.Best != nil || len(res.Trials) != 12 {
		t.Errorf("all failing: best %v, %d trials, %v", res.Best, len(res.Trials), err)
	}
}

func TestCancel(t *testing.T) {
	for _, c := range []struct {
		name      string
		returnErr bool
		want      int // trials kept
	}{
		{"interrupted trial dropped", true, 5},
		{"finished trial kept", false, 6},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			res, err := Run(ctx, Options{Space: bowl, Trials: 30, Parallel: 2}, func(ctx context.Context, t *Trial) (float64, error) {
				switch {
				case t.Number == 5:
					cancel()
					if c.returnErr {
						return 0, ctx.Err()
					}
					return 1, nil
				case t.Number > 5:
					<-ctx.Done()
					return 0, ctx.Err()
				}
				return quadratic(ctx, t)
			})
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("got %v, want context.Canceled", err)
			}
			if res == nil || len(res.Trials) != c.want {
				t.Fatalf("got %+v, want %d trials", res, c.want)
			}
			for i, r := range res.Trials {
				if r.Number != i || r.State != Complete {
					t.Errorf("trial %d: number %d, %s", i, r.Number, r.State)
				}
			}
		})
	}
	// Cancelled before the start: nothing runs.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res, err := Run(ctx, Options{Space: bowl, Trials: 3}, quadratic)
	if !errors.Is(err, context.Canceled) || len(res.Trials) != 0 {
		t.Errorf("got %d trials, %v", len(res.Trials), err)
	}
}

func TestOptionsErrors(t *testing.T) {
	cases := []struct {
		opts Options
		want string
	}{
		{Options{Trials: 1}, "no search space"},
		{Options{Space: bowl, Trials: 1, Sampler: "tpr"}, `unknown sampler "tpr": want tpe, random or grid (did you mean "tpe"?)`},
		{Options{Space: bowl}, "trials 0: want at least 1"},
		{Options{Space: bowl, Trials: 1, Parallel: -1}, "parallel -1 is negative"},
		{Options{Space: bowl, Trials: 1, Window: -1}, "window -1 is negative"},
		{Options{Space: bowl, Trials: 1, Direction: Maximize}, "direction maximize, but the space says minimize"},
		{Options{Space: bowl, Trials: 1, Direction: "up"}, `direction "up"`},
		{Options{Space: &Space{Params: bowl.Params}, Trials: 1}, "no direction"},
		{Options{Space: bowl, Trials: 1, Pruner: &MedianPruner{StartupTrials: -1}}, "startup trials -1 is negative"},
	}
	for _, c := range cases {
		err := c.opts.Validate()
		if !errors.Is(err, ErrOptions) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: got %v, want ErrOptions with %q", c.opts, err, c.want)
		}
		if _, err := Run(context.Background(), c.opts, quadratic); !errors.Is(err, ErrOptions) {
			t.Errorf("Run: got %v", err)
		}
	}
	if _, err := Run(context.Background(), Options{Space: bowl, Trials: 1}, nil); !errors.Is(err, ErrOptions) {
		t.Errorf("no objective: got %v", err)
	}
	err := (&Options{Space: &Space{Params: []Param{Int("a", 3, 1)}}, Trials: 1}).Validate()
	if !errors.Is(err, ErrSpace) {
		t.Errorf("bad space: got %v, want ErrSpace", err)
	}
	opts := Options{Space: &Space{Params: bowl.Params}, Trials: 1, Direction: Maximize}
	if err := opts.Validate(); err != nil {
		t.Errorf("direction from the options: %v", err)
	}
}

func TestResultJSON(t *testing.T) {
	s := &Space{Trainer: "gbdt", Metric: "cv.rmse", Direction: Minimize, Params: []Param{
		Float("x", -5, 5),
		{Name: "w", Kind: KindFloat, Low: 0, High: 2, Step: 1},
		Int("k", 1, 3),
		Categorical("c", 1, 2.0, "s", false),
	}}
	res, err := Run(context.Background(), Options{Space: s, Sampler: SamplerRandom, Trials: 12, Seed: 1, Pruner: NewMedianPruner()},
		func(_ context.Context, t *Trial) (float64, error) {
			switch t.Number {
			case 1:
				return 0, errors.New("boom")
			case 2:
				t.Report(0, math.Inf(1))
				t.Report(1, math.NaN())
				return 0, ErrPruned
			case 3:
				return math.Inf(1), nil
			}
			t.Report(0, float64(t.Number))
			return float64(t.Number) + t.Params["x"].(float64), nil
		})
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"version":1`, `"value":"NaN"`, `"value":"Infinity"`, `"error":"boom"`, `"state":"pruned"`, `"choices":[1,2.0,"s",false]`, `"w":`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("JSON lacks %s:\n%s", want, b)
		}
	}
	var back Result
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if signature(&back) != signature(res) {
		t.Errorf("read back:\n%s\nwant\n%s", signature(&back), signature(res))
	}
	for i, r := range back.Trials {
		if !reflect.DeepEqual(r.Params, res.Trials[i].Params) {
			t.Errorf("trial %d params %#v, want %#v", i, r.Params, res.Trials[i].Params)
		}
		if !slices.Equal(r.x, res.Trials[i].x) {
			t.Errorf("trial %d internal values %v, want %v", i, r.x, res.Trials[i].x)
		}
		if d := r.Duration - res.Trials[i].Duration; d < -1000 || d > 1000 {
			t.Errorf("trial %d duration %v, want %v", i, r.Duration, res.Trials[i].Duration)
		}
	}
	if back.Best == nil || back.Best.Number != res.Best.Number || back.Best != back.Trials[res.Best.Number] {
		t.Errorf("best %+v, want trial %d", back.Best, res.Best.Number)
	}
	if back.Sampler != SamplerRandom || back.Seed != 1 || back.Window != 1 || *back.Pruner != *NewMedianPruner() || back.Direction != Minimize {
		t.Errorf("settings read back: %+v", back)
	}
	if err := back.Space.Validate(); err != nil || back.Space.Trainer != "gbdt" || !reflect.DeepEqual(back.Space.Params, s.Params) {
		t.Errorf("space read back: %+v, %v", back.Space, err)
	}
	if err := json.Unmarshal([]byte(`{"version":2}`), &back); err == nil {
		t.Error("version 2 read without error")
	}
}
