package stream

import (
	"errors"
	"math"
	"testing"
)

// FuzzParse: Parse never panics; it returns a detector or an ErrUnknown /
// ErrParam error; a detector's String parses back to itself, and it
// survives a few updates of any value.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"ddm", "eddm:alpha=0.8,beta=0.75", "adwin:delta=0.01,clock=1", "page_hinkley:mode=up,threshold=3",
		"adwin:max_buckets=1,min_window_length=1,grace_period=0,clock=1", "ddm:warm_start=", "x:=,=", ":", "",
		"page_hinkley:alpha=1e-300,delta=1e300", "adwin:delta=1e-320",
	} {
		f.Add(s, 1.0)
	}
	f.Fuzz(func(t *testing.T, spec string, x float64) {
		d, err := Parse(spec)
		if err != nil {
			if d != nil {
				t.Fatalf("Parse(%q): detector and error %v", spec, err)
			}
			if !errors.Is(err, ErrUnknown) && !errors.Is(err, ErrParam) {
				t.Fatalf("Parse(%q): %v is neither ErrUnknown nor ErrParam", spec, err)
			}
			return
		}
		again, err := Parse(d.String())
		if err != nil || again.String() != d.String() {
			t.Fatalf("Parse(%q).String() = %q does not parse back: %v", spec, d.String(), err)
		}
		for _, v := range []float64{x, 0, 1, x, -x, math.NaN(), 1, 0, x} {
			d.Update(v)
		}
		for range 200 {
			d.Update(x)
			d.Update(1 - x)
		}
	})
}
