package stream

import (
	"testing"
)

// TestPageHinkleyFirstSteps follows the two sums by hand with river's
// defaults on 1, 0, 1, 1, 0 (exact fractions, rounded):
//
//	x̄: 1, 1/2, 2/3, 3/4, 3/5
//	U = 0.9999·U + (x − x̄) − 0.005;  L = 0.9999·L + (x − x̄) + 0.005
func TestPageHinkleyFirstSteps(t *testing.T) {
	d, _ := NewPageHinkley(PageHinkleyOptions{})
	want := []struct {
		x, mean, up, down, testUp, testDown float64
	}{
		{1, 1, -0.005, 0.005, 0, 0},
		{0, 0.5, -0.5099995, -0.4900005, 0, 0.4950005},
		{1, 2. / 3, -0.18161516671666667, -0.15161816661666666, 0.32838433328333333, 0.15661816661666667},
		{1, 0.75, 0.063402994800005, 0.103396995199995, 0.573402494800005, 0},
		{0, 0.6, -0.541603345499475, -0.491613344499525, 0, 0.59501033969952},
	}
	for i, w := range want {
		if _, drift := d.Update(w.x); drift {
			t.Fatalf("step %d: drift", i)
		}
		up, down := d.Statistics()
		if !near(d.Estimation(), w.mean, 1e-15) || !near(d.sumUp, w.up, 1e-13) || !near(d.sumDown, w.down, 1e-13) ||
			!near(up, w.testUp, 1e-13) || !near(down, w.testDown, 1e-13) {
			t.Errorf("step %d: mean %v U %v L %v tests %v %v; want %v %v %v %v %v",
				i, d.Estimation(), d.sumUp, d.sumDown, up, down, w.mean, w.up, w.down, w.testUp, w.testDown)
		}
	}
}

// TestPageHinkleyModes: with no slack or forgetting and λ = 5, a jump from
// 0 to 10 after four values moves x̄ to 2, so x − x̄ = 8 > 5; a drop from
// 10 to 0 gives −8.
func TestPageHinkleyModes(t *testing.T) {
	rise := []float64{0, 0, 0, 0, 10}
	fall := []float64{10, 10, 10, 10, 0}
	for _, tt := range []struct {
		mode       string
		rise, fall bool
	}{
		{Up, true, false},
		{Down, false, true},
		{Both, true, true},
		{"", true, true}, // empty is both
	} {
		for _, s := range []struct {
			name string
			xs   []float64
			want bool
		}{{"rise", rise, tt.rise}, {"fall", fall, tt.fall}} {
			// MinInstances 1: tested from the first value; Delta 0 is
			// kept (only the zero PageHinkleyOptions means defaults).
			d, err := NewPageHinkley(PageHinkleyOptions{MinInstances: 1, Delta: 0, Threshold: 5, Alpha: 1, Mode: tt.mode})
			if err != nil {
				t.Fatal(err)
			}
			got := Run(d, s.xs)
			want := []Event(nil)
			if s.want {
				want = []Event{{Index: 4, Kind: Drift}}
			}
			if !equalEvents(got, want) {
				t.Errorf("mode %q, %s: got %v, want %v", tt.mode, s.name, got, want)
			}
		}
	}
}

// TestPageHinkleyMinInstances: the same jump is not tested before the
// MinInstances-th value.
func TestPageHinkleyMinInstances(t *testing.T) {
	d, _ := NewPageHinkley(PageHinkleyOptions{MinInstances: 6, Delta: 0, Threshold: 5, Alpha: 1, Mode: Both})
	// x̄ after 0,0,0,0,10,10: 10/3, x − x̄ = 20/3, U = 8 + 20/3 = 14.67.
	got := Run(d, []float64{0, 0, 0, 0, 10, 10})
	if want := []Event{{Index: 5, Kind: Drift}}; !equalEvents(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}
