package stream

import (
	"math"
	"testing"
)

// TestDDMFirstSteps follows DDM by hand with warm_start=3 on a short
// stream: p_i = errors/i, s_i = sqrt(p_i(1−p_i)/i), and from the 4th value
// on the minimum of p_i+s_i and the bounds p_min + 2·s_min (warning) and
// p_min + 3·s_min (drift).
func TestDDMFirstSteps(t *testing.T) {
	d, err := NewDDM(DDMOptions{WarmStart: 3, WarningThreshold: 2, DriftThreshold: 3})
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		x           float64
		p           float64 // errors / i
		pMin        float64 // p at the lowest p+s so far (tested steps only)
		warn, drift bool
		comment     string
	}{
		{x: 0, p: 0, pMin: math.Inf(1), comment: "warm-up"},
		{x: 1, p: 1. / 2, pMin: math.Inf(1), comment: "warm-up"},
		{x: 0, p: 1. / 3, pMin: math.Inf(1), comment: "warm-up"},
		{x: 0, p: 1. / 4, pMin: 1. / 4, comment: "first test sets the minimum: p+s = 1/4 + sqrt(3/64) = 0.4665"},
		{x: 0, p: 1. / 5, pMin: 1. / 5, comment: "p+s = 0.3789, new minimum"},
		{x: 0, p: 1. / 6, pMin: 1. / 6},
		{x: 0, p: 1. / 7, pMin: 1. / 7},
		{x: 0, p: 1. / 8, pMin: 1. / 8, comment: "p+s = 0.2419; bounds 0.3589 (warning), 0.4758 (drift)"},
		{x: 1, p: 2. / 9, pMin: 1. / 8, warn: true, comment: "p+s = 2/9 + sqrt(14/729) = 0.3608 > 0.3589"},
		{x: 1, p: 3. / 10, pMin: 1. / 8, warn: true, comment: "p+s = 0.4449"},
		{x: 1, p: 4. / 11, pMin: 1. / 8, drift: true, comment: "p+s = 0.5087 > 0.4758: drift, warning cleared"},
	}
	for i, st := range steps {
		warn, drift := d.Update(st.x)
		if warn != st.warn || drift != st.drift {
			t.Fatalf("step %d (%s): got warning %v drift %v, want %v %v", i, st.comment, warn, drift, st.warn, st.drift)
		}
		if !near(d.Estimation(), st.p, 1e-15) {
			t.Errorf("step %d: error rate %v, want %v", i, d.Estimation(), st.p)
		}
		if !near(d.pMin, st.pMin, 1e-15) {
			t.Errorf("step %d: p_min %v, want %v", i, d.pMin, st.pMin)
		}
	}
	// s_min was recorded at the 8th value: sqrt((1/8)(7/8)/8).
	if want := math.Sqrt(7. / 512); !near(d.sMin, want, 1e-15) {
		t.Errorf("s_min %v, want %v", d.sMin, want)
	}
	// The bound the warning was tested against.
	if got, want := d.pMin+2*d.sMin, 0.125+2*math.Sqrt(7./512); !near(got, want, 1e-15) {
		t.Errorf("warning bound %v, want %v", got, want)
	}
	// The update after a drift starts afresh: one value seen.
	d.Update(0)
	if d.n != 1 || d.Estimation() != 0 || !math.IsInf(d.pMin, 1) {
		t.Errorf("after the drift: n %v, p %v, p_min %v; want a fresh start", d.n, d.Estimation(), d.pMin)
	}
}

// TestDDMLowErrorWarmUp pins the documented behaviour: with no error in
// the warm-up, p_min = s_min = 0 and the first error afterwards alarms.
func TestDDMLowErrorWarmUp(t *testing.T) {
	xs := make([]float64, 40)
	xs[31] = 1 // the first error, right after the 30-value warm-up and the 31st (minimum-setting) value
	d, _ := NewDDM(DDMOptions{})
	got := Run(d, xs)
	want := []Event{{Index: 31, Kind: Drift}}
	if !equalEvents(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}

	// Inside the warm-up nothing is tested, however the rate moves.
	xs = make([]float64, 30)
	for i := 10; i < 30; i++ {
		xs[i] = 1
	}
	d.Reset()
	if got := Run(d, xs); len(got) != 0 {
		t.Errorf("warm-up: got %v, want no events", got)
	}
}

func near(got, want, tol float64) bool {
	if got == want {
		return true
	}
	return math.Abs(got-want) <= tol*math.Max(1, math.Abs(want))
}

func equalEvents(a, b []Event) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
