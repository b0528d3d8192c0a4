package stream

import (
	"math"
	"slices"
	"testing"
)

// TestADWINStatistics checks the window's running sums and bucket layout
// on 1..16, worked out by hand: rows hold 5 buckets, a 6th merges the two
// oldest into the next row.
func TestADWINStatistics(t *testing.T) {
	a, _ := NewADWIN(ADWINOptions{})
	for i := 1; i <= 5; i++ {
		a.Update(float64(i))
	}
	// river's test_total_and_estimation and the Rust port's unit test.
	if a.Width() != 5 || a.Total() != 15 || a.Variance() != 10 || a.Estimation() != 3 {
		t.Errorf("1..5: width %d total %v variance %v estimation %v, want 5 15 10 3", a.Width(), a.Total(), a.Variance(), a.Estimation())
	}
	for i := 6; i <= 16; i++ {
		a.Update(float64(i))
	}
	// Sum of squared deviations of 1..16: n(n²−1)/12 = 340.
	if a.Width() != 16 || a.Total() != 136 || a.Variance() != 340 {
		t.Errorf("1..16: width %d total %v variance %v, want 16 136 340", a.Width(), a.Total(), a.Variance())
	}
	type row struct{ totals, vars []float64 }
	want := []row{
		{[]float64{13, 14, 15, 16}, []float64{0, 0, 0, 0}},
		// pairs (5,6), (7,8), …: variance of two values (a−b)²/2 = 0.5
		{[]float64{11, 15, 19, 23}, []float64{0.5, 0.5, 0.5, 0.5}},
		// 1..4: total 10, squared deviations 2.25+0.25+0.25+2.25 = 5
		{[]float64{10}, []float64{5}},
	}
	if len(a.rows) != len(want) {
		t.Fatalf("%d rows, want %d", len(a.rows), len(want))
	}
	for i, w := range want {
		r := a.rows[i]
		if !slices.Equal(r.total[:r.n], w.totals) || !slices.Equal(r.vari[:r.n], w.vars) {
			t.Errorf("row %d: totals %v variances %v, want %v %v", i, r.total[:r.n], r.vari[:r.n], w.totals, w.vars)
		}
	}
}

// TestADWINVariance follows river's test_variance_correctness: with no
// check (a huge clock) the running variance is the two-pass sum of
// squared deviations.
func TestADWINVariance(t *testing.T) {
	a, _ := NewADWIN(ADWINOptions{Delta: 0.002, Clock: 1 << 30, MaxBuckets: 5, MinWindowLength: 5, GracePeriod: 10})
	g := splitmix64(999)
	xs := make([]float64, 500)
	for i := range xs {
		xs[i] = 5 + 4*(g.float()-0.5)
		a.Update(xs[i])
	}
	mean := 0.0
	for _, x := range xs {
		mean += x
	}
	mean /= float64(len(xs))
	ss := 0.0
	for _, x := range xs {
		ss += (x - mean) * (x - mean)
	}
	if !near(a.Variance(), ss, 1e-9) || a.Width() != 500 {
		t.Errorf("variance %v width %d, want %v 500", a.Variance(), a.Width(), ss)
	}
}

// TestADWINCutBound checks ε by hand for one cut: n0 = 10, n1 = 20, a
// window of 30 with variance 0.25, δ = 0.002, min_window_length 5:
// m = 1/6 + 1/16, δ' = ln(2·ln 30/0.002) = 8.13188, ε = sqrt(2·m·0.25·δ')
// + 2/3·δ'·m = 2.20766.
func TestADWINCutBound(t *testing.T) {
	a, _ := NewADWIN(ADWINOptions{})
	a.width = 30
	deltaPrime := math.Log(2 * math.Log(30) / 0.002)
	if !near(deltaPrime, 8.131882819683678, 1e-15) {
		t.Fatalf("δ' %v", deltaPrime)
	}
	const eps = 2.207657596501203
	if a.cut(10, 20, eps*(1-1e-12), deltaPrime, 0.25) {
		t.Errorf("a difference just below ε cuts")
	}
	if !a.cut(10, 20, -eps*(1+1e-12), deltaPrime, 0.25) {
		t.Errorf("a difference just above ε (in absolute value) does not cut")
	}
	// Both sides need min_window_length (5) values, bounds included.
	for _, c := range []struct {
		n0, n1 float64
		want   bool
	}{{5, 5, true}, {4, 100, false}, {100, 4, false}, {5, 1000, true}} {
		if got := a.longEnough(c.n0, c.n1); got != c.want {
			t.Errorf("longEnough(%v, %v) = %v, want %v", c.n0, c.n1, got, c.want)
		}
	}
}

// TestADWINShrinks checks the window at an alarm: it has lost its oldest
// buckets, it is the newest Width() values of the stream, and its
// estimation is their mean. The next update starts an empty window, as
// river does.
func TestADWINShrinks(t *testing.T) {
	for _, tt := range []struct {
		name string
		opts ADWINOptions
		xs   []float64
	}{
		{"0 then 1, clock 1", ADWINOptions{Delta: 0.002, Clock: 1, MaxBuckets: 5, MinWindowLength: 5, GracePeriod: 10}, steps(300, 0, 300, 1)},
		{"rate 0.1 then 0.5, defaults", DefaultADWINOptions(), bernoulliSteps(1, []float64{0.1, 0.5}, 1000)},
		{"mean 2 then 3, defaults", DefaultADWINOptions(), noisySteps(7, []float64{2, 3}, 1, 1000)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			a, _ := NewADWIN(tt.opts)
			start := 0 // index of the first value of the current window
			alarms := 0
			for i, x := range tt.xs {
				_, drift := a.Update(x)
				if i == start && a.Width() != 1 {
					t.Fatalf("index %d, first of a window: width %d, want 1 (a fresh window)", i, a.Width())
				}
				if !drift {
					continue
				}
				alarms++
				before := i - start + 1
				w := a.Width()
				if w <= 0 || w >= before {
					t.Fatalf("alarm at %d: width %d, want in (0, %d)", i, w, before)
				}
				window := tt.xs[i-w+1 : i+1]
				if got, want := a.Estimation(), mean(window); !near(got, want, 1e-9) {
					t.Errorf("alarm at %d: estimation %v, want the mean of the last %d values %v", i, got, w, want)
				}
				start = i + 1
			}
			if alarms == 0 {
				t.Fatal("no alarm")
			}
		})
	}
}

// TestADWINClock checks that alarms fall on clock ticks: the 32nd, 64th, …
// value since the last reset.
func TestADWINClock(t *testing.T) {
	xs := bernoulliSteps(3, []float64{0.1, 0.6, 0.1, 0.6}, 1000)
	a, _ := NewADWIN(ADWINOptions{})
	last := -1
	n := 0
	for _, e := range Run(a, xs) {
		if (e.Index-last)%32 != 0 {
			t.Errorf("alarm at %d is %d values after the previous reset, not a multiple of 32", e.Index, e.Index-last)
		}
		last = e.Index
		n++
	}
	if n < 3 {
		t.Errorf("%d alarms for 3 changes", n)
	}
}

// TestADWINGracePeriod follows river's test_grace_period: no check while
// the window holds at most grace_period values.
func TestADWINGracePeriod(t *testing.T) {
	a, _ := NewADWIN(ADWINOptions{Delta: 0.002, Clock: 1, MaxBuckets: 5, MinWindowLength: 5, GracePeriod: 100})
	if ev := Run(a, steps(50, 0, 50, 1000)); len(ev) != 0 {
		t.Errorf("got %v, want no alarm within the grace period", ev)
	}
	if ev := Run(a, steps(0, 0, 1, 1000)); len(ev) != 1 {
		t.Errorf("101st value: got %v, want an alarm", ev)
	}
}

// TestADWINDetections counts alarms across resets.
func TestADWINDetections(t *testing.T) {
	a, _ := NewADWIN(ADWINOptions{})
	ev := Run(a, readStream(t, "testdata/river/four_segments_42.txt"))
	if a.Detections() != len(ev) || len(ev) != 3 {
		t.Errorf("Detections %d, events %v; want 3 and 3", a.Detections(), ev)
	}
}

func steps(n0 int, x0 float64, n1 int, x1 float64) []float64 {
	xs := make([]float64, 0, n0+n1)
	for range n0 {
		xs = append(xs, x0)
	}
	for range n1 {
		xs = append(xs, x1)
	}
	return xs
}

// noisySteps is n values around each mean in turn, uniform ± spread/2.
func noisySteps(seed uint64, means []float64, spread float64, n int) []float64 {
	g := splitmix64(seed)
	var xs []float64
	for _, m := range means {
		for range n {
			xs = append(xs, m+spread*(g.float()-0.5))
		}
	}
	return xs
}

func mean(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}
