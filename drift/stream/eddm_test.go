package stream

import (
	"math"
	"slices"
	"testing"
)

// TestEDDMFirstSteps follows EDDM by hand with warm_start=2: errors every
// 4th value four times (distances 4, 4, 4, 4), then six errors in a row
// (distance 1). Means and sample standard deviations are two-pass values
// of the distances so far.
func TestEDDMFirstSteps(t *testing.T) {
	d, err := NewEDDM(EDDMOptions{WarmStart: 2, Alpha: 0.95, Beta: 0.90})
	if err != nil {
		t.Fatal(err)
	}
	xs := []float64{0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1}
	type state struct {
		mean, sd, max float64
		warn, drift   bool
	}
	// At each error (index into xs):
	want := map[int]state{
		3:  {mean: 4, sd: 0, max: 4},                                     // n=4 > 2: p'+2s' = 4 is the first maximum
		7:  {mean: 4, sd: 0, max: 4},                                     // 4 is not above the maximum; 2 errors: not tested yet
		11: {mean: 4, sd: 0, max: 4},                                     // 3 errors: level 4/4 = 1, no warning
		15: {mean: 4, sd: 0, max: 4},                                     // level 1
		16: {mean: 3.4, sd: math.Sqrt(1.8), max: 3.4 + 2*math.Sqrt(1.8)}, // distances 4,4,4,4,1: new maximum 6.0833
		17: {mean: 3, sd: math.Sqrt(2.4), max: 3 + 2*math.Sqrt(2.4)},     // new maximum 6.0984
		// level = (p'+2s')/6.0984: 0.9710 (no warning), 0.9358, 0.9012 (warning), 0.8688 (drift)
		18: {mean: 19. / 7, sd: math.Sqrt(18. / 7), max: 3 + 2*math.Sqrt(2.4)},
		19: {mean: 2.5, sd: math.Sqrt(18. / 7), max: 3 + 2*math.Sqrt(2.4), warn: true},
		20: {mean: 7. / 3, sd: math.Sqrt(2.5), max: 3 + 2*math.Sqrt(2.4), warn: true},
		// As in river, the alarm leaves the warning flag set.
		21: {mean: 2.2, sd: math.Sqrt(2.4), max: 3 + 2*math.Sqrt(2.4), warn: true, drift: true},
	}
	for i, x := range xs {
		warn, drift := d.Update(x)
		st, isError := want[i]
		if !isError {
			if drift {
				t.Fatalf("index %d: drift on a correct prediction", i)
			}
			continue
		}
		if warn != st.warn || drift != st.drift {
			t.Errorf("index %d: got warning %v drift %v, want %v %v", i, warn, drift, st.warn, st.drift)
		}
		sd := 0.0
		if d.dn > 1 {
			sd = math.Sqrt(d.dS / (d.dn - 1))
		}
		if !near(d.Estimation(), st.mean, 1e-14) || !near(sd, st.sd, 1e-14) || !near(d.p2sMax, st.max, 1e-14) {
			t.Errorf("index %d: mean %v sd %v max %v, want %v %v %v", i, d.Estimation(), sd, d.p2sMax, st.mean, st.sd, st.max)
		}
	}
	// After the alarm, the next update starts afresh: the maximum is back
	// at river's -1 and the first error's distance counts from the reset.
	d.Update(0)
	d.Update(1)
	if d.n != 2 || d.errors != 1 || d.Estimation() != 2 || d.p2sMax != -1 {
		t.Errorf("after the drift: n %d errors %d mean %v max %v, want 2 1 2 -1", d.n, d.errors, d.Estimation(), d.p2sMax)
	}
}

// TestEDDMNewMaximumKeepsWarning: as in river, an error that raises the
// maximum is not tested, so a warning zone goes on through it.
func TestEDDMNewMaximumKeepsWarning(t *testing.T) {
	d, _ := NewEDDM(EDDMOptions{WarmStart: 2, Alpha: 0.95, Beta: 0.90})
	// TestEDDMFirstSteps's stream up to its first warning (index 19) …
	xs := []float64{0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 1, 1}
	// … then an error 31 values later: distances 4,4,4,4,1,1,1,1,31,
	// mean 51/9, p'+2s' = 5.67 + 2·9.27 > 6.10, a new maximum.
	xs = append(xs, slices.Repeat([]float64{0}, 30)...)
	xs = append(xs, 1)
	var warn bool
	for i, x := range xs {
		warn, _ = d.Update(x)
		if i == 19 && !warn {
			t.Fatal("no warning at index 19")
		}
	}
	if !warn || d.p2sMax < 20 {
		t.Errorf("after the new maximum %v: warning %v, want still on", d.p2sMax, warn)
	}
}

// TestEDDMCountsOnlyOnes checks river's input rule: only x == 1 is an
// error; 0.5 or 2 count as correct predictions.
func TestEDDMCountsOnlyOnes(t *testing.T) {
	d, _ := NewEDDM(EDDMOptions{})
	for _, x := range []float64{0.5, 2, 1, 0, 0.999, 1} {
		d.Update(x)
	}
	// Errors at the 3rd and 6th values: distances 3 and 3.
	if d.errors != 2 || d.Estimation() != 3 {
		t.Errorf("errors %d, mean distance %v; want 2 and 3", d.errors, d.Estimation())
	}
}
