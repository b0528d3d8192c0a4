package stream

import (
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// script is a fake Detector that replays fixed results.
type script struct {
	results [][2]bool // warning, drift
	seen    []float64
}

func (s *script) Update(x float64) (bool, bool) {
	r := s.results[len(s.seen)]
	s.seen = append(s.seen, x)
	return r[0], r[1]
}
func (s *script) Reset()         {}
func (s *script) Name() string   { return "script" }
func (s *script) String() string { return "script" }

func TestRun(t *testing.T) {
	const (
		__ = iota
		W
		D
		WD
	)
	tests := []struct {
		name  string
		flags []int // per update: none, W, D or WD
		xs    []float64
		want  []Event
	}{
		{name: "nothing", flags: []int{__, __, __}, xs: []float64{0, 0, 0}},
		{
			name: "a warning zone gives one event at its start", flags: []int{__, W, W, W, __, W},
			xs:   []float64{0, 1, 1, 1, 0, 1},
			want: []Event{{1, Warning}, {5, Warning}},
		},
		{
			name: "drift ends a zone", flags: []int{W, W, D, W},
			xs:   []float64{1, 1, 1, 1},
			want: []Event{{0, Warning}, {2, Drift}, {3, Warning}},
		},
		{
			name: "drift inside a zone with the warning flag still on (EDDM)", flags: []int{W, WD, W},
			xs:   []float64{1, 1, 1},
			want: []Event{{0, Warning}, {1, Drift}, {2, Warning}},
		},
		{
			name: "both at once, no zone before", flags: []int{WD},
			xs:   []float64{1},
			want: []Event{{0, Warning}, {0, Drift}},
		},
		{
			name: "non-finite values are skipped and keep the zone", flags: []int{W, W, D},
			xs:   []float64{1, math.NaN(), 1, math.Inf(1), math.Inf(-1), 1},
			want: []Event{{0, Warning}, {5, Drift}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &script{}
			for _, f := range tt.flags {
				s.results = append(s.results, [2]bool{f == W || f == WD, f == D || f == WD})
			}
			got := Run(s, tt.xs)
			if !equalEvents(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
			if len(s.seen) != len(tt.flags) {
				t.Errorf("detector saw %v, want %d finite values", s.seen, len(tt.flags))
			}
		})
	}
}

// detectors makes one of each, with river's defaults.
func detectors(t testing.TB) []Detector {
	t.Helper()
	var ds []Detector
	for _, name := range Names() {
		d, err := New(name, nil)
		if err != nil {
			t.Fatal(err)
		}
		ds = append(ds, d)
	}
	return ds
}

// TestNonFiniteIgnored: NaN and ±Inf leave the state as it was.
func TestNonFiniteIgnored(t *testing.T) {
	xs := bernoulliSteps(5, []float64{0.1, 0.5}, 1000)
	for _, d := range detectors(t) {
		t.Run(d.Name(), func(t *testing.T) {
			clean, _ := New(d.Name(), nil)
			for i, x := range xs {
				w1, d1 := clean.Update(x)
				if w, dr := d.Update(math.NaN()); w || dr {
					t.Fatalf("NaN at %d: got warning %v drift %v", i, w, dr)
				}
				d.Update(math.Inf(1))
				w2, d2 := d.Update(x)
				if w1 != w2 || d1 != d2 {
					t.Fatalf("index %d: with NaN/Inf interleaved got %v %v, without %v %v", i, w2, d2, w1, d1)
				}
			}
		})
	}
}

// TestConstantStreams: a stream that never changes never warns or alarms.
func TestConstantStreams(t *testing.T) {
	for _, d := range detectors(t) {
		values := []float64{0, 1}
		if d.Name() == "adwin" || d.Name() == "page_hinkley" {
			values = append(values, 0.3, -2.5, 1e6)
		}
		for _, c := range values {
			d.Reset()
			xs := slices.Repeat([]float64{c}, 20000)
			if ev := Run(d, xs); len(ev) != 0 {
				t.Errorf("%s on constant %v: got %v, want no events", d.Name(), c, ev[:min(len(ev), 5)])
			}
		}
	}
}

// TestStepChange runs each detector with river's defaults over 1000
// errors at rate 0.1 then 1000 at rate 0.5 (seed 1), and compares the
// events with testdata/step_change.golden (rewrite with -update). The
// properties hold whatever the golden file says: ADWIN and Page-Hinkley
// are silent before the change; all four alarm within 300 values after it.
// DDM warns before the change and EDDM alarms before it (see
// TestStepChangeSeeds).
func TestStepChange(t *testing.T) {
	xs := bernoulliSteps(1, []float64{0.1, 0.5}, 1000)
	var b strings.Builder
	fmt.Fprintln(&b, "# events of each detector (river defaults) on 1000 errors at rate 0.1, then 1000 at 0.5 (splitmix64 seed 1)")
	for _, d := range detectors(t) {
		ev := Run(d, xs)
		fmt.Fprintf(&b, "%s:", d.Name())
		for _, e := range ev {
			fmt.Fprintf(&b, " %s@%d", e.Kind, e.Index)
		}
		fmt.Fprintln(&b)

		first := -1
		for _, e := range ev {
			if e.Kind != Drift {
				continue
			}
			if e.Index < 1000 && (d.Name() == "adwin" || d.Name() == "page_hinkley") {
				t.Errorf("%s: alarm at %d, before the change", d.Name(), e.Index)
			}
			if e.Index >= 1000 && first < 0 {
				first = e.Index
			}
		}
		if first < 0 || first >= 1300 {
			t.Errorf("%s: first alarm after the change at %d, want in [1000, 1300)", d.Name(), first)
		}
		t.Logf("%s: first alarm after the change at %d (%d values late)", d.Name(), first, first-1000)
	}
	golden := filepath.Join("testdata", "step_change.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got := b.String(); got != string(want) {
		t.Errorf("events differ from %s:\ngot:\n%s\nwant:\n%s", golden, got, want)
	}
}

// TestStepChangeSeeds runs the same change over 200 seeds and checks what
// each detector is known for:
//   - ADWIN and Page-Hinkley never alarm before the change and always
//     after it (ADWIN within 4 clock ticks, Page-Hinkley within 250);
//   - DDM and EDDM find the change in nearly all seeds, but also alarm
//     before it, mostly right after their warm-up (documented behaviour,
//     see their types): an alarm resets the detector, so the touchy
//     warm-up comes back after each one.
func TestStepChangeSeeds(t *testing.T) {
	type stats struct {
		preAlarms, preSoon, detected, maxDelay int
	}
	const seeds = 200
	got := map[string]*stats{}
	for seed := uint64(1); seed <= seeds; seed++ {
		xs := bernoulliSteps(seed, []float64{0.1, 0.5}, 1000)
		for _, d := range detectors(t) {
			s := got[d.Name()]
			if s == nil {
				s = &stats{}
				got[d.Name()] = s
			}
			values, errs := 0, 0 // since the last reset
			found := false
			for i, x := range xs {
				values++
				if x == 1 {
					errs++
				}
				if _, drift := d.Update(x); !drift {
					continue
				}
				switch {
				case i < 1000:
					s.preAlarms++
					// "Soon after warm-up": DDM within 100 values of a
					// (re)start, EDDM within 40 errors (warm-up is 31).
					if (d.Name() == "ddm" && values <= 100) || (d.Name() == "eddm" && errs <= 40) {
						s.preSoon++
					}
				case !found:
					found = true
					s.detected++
					s.maxDelay = max(s.maxDelay, i-1000)
				}
				values, errs = 0, 0
			}
		}
	}
	for _, name := range Names() {
		s := got[name]
		t.Logf("%-12s alarms before the change %3d (%3d soon after warm-up); change found in %d/%d seeds, at most %d values late",
			name, s.preAlarms, s.preSoon, s.detected, seeds, s.maxDelay)
		switch name {
		case "adwin", "page_hinkley":
			if s.preAlarms != 0 || s.detected != seeds {
				t.Errorf("%s: %d alarms before the change, change found in %d/%d seeds; want 0 and all", name, s.preAlarms, s.detected, seeds)
			}
			if limit := map[string]int{"adwin": 128, "page_hinkley": 250}[name]; s.maxDelay >= limit {
				t.Errorf("%s: found up to %d values late, want < %d", name, s.maxDelay, limit)
			}
		case "ddm", "eddm":
			if s.detected < seeds*95/100 || s.maxDelay >= 400 {
				t.Errorf("%s: change found in %d/%d seeds, at most %d late; want >= 95%% and < 400", name, s.detected, seeds, s.maxDelay)
			}
			if share := map[string]float64{"ddm": 0.6, "eddm": 0.85}[name]; float64(s.preSoon) < share*float64(s.preAlarms) {
				t.Errorf("%s: %d of %d early alarms soon after warm-up, want >= %.0f%%", name, s.preSoon, s.preAlarms, 100*share)
			}
		}
	}
}

// TestResetAfterDrift: after an alarm, a detector behaves exactly like a
// new one fed the rest of the stream; and Reset gives a new one.
func TestResetAfterDrift(t *testing.T) {
	xs := bernoulliSteps(4, []float64{0.1, 0.5, 0.1, 0.5, 0.05}, 1000)
	for _, d := range detectors(t) {
		t.Run(d.Name(), func(t *testing.T) {
			flags := make([][2]bool, len(xs))
			var drifts []int
			for i, x := range xs {
				w, dr := d.Update(x)
				flags[i] = [2]bool{w, dr}
				if dr {
					drifts = append(drifts, i)
				}
			}
			if len(drifts) < 2 {
				t.Fatalf("only %d alarms; the test needs two", len(drifts))
			}
			for _, j := range drifts {
				fresh, _ := New(d.Name(), nil)
				for i := j + 1; i < len(xs); i++ {
					w, dr := fresh.Update(xs[i])
					if [2]bool{w, dr} != flags[i] {
						t.Fatalf("after the alarm at %d: index %d got %v %v from a new detector, %v from the running one", j, i, w, dr, flags[i])
					}
					if dr {
						break
					}
				}
			}
			// Reset: the same run again from scratch.
			d.Reset()
			for i, x := range xs {
				if w, dr := d.Update(x); [2]bool{w, dr} != flags[i] {
					t.Fatalf("after Reset: index %d got %v %v, want %v", i, w, dr, flags[i])
				}
			}
		})
	}
}

func TestNew(t *testing.T) {
	for _, tt := range []struct {
		name   string
		params map[string]string
		want   string // String() of the detector
	}{
		{"ddm", nil, "ddm:warm_start=30,warning_threshold=2,drift_threshold=3"},
		{"EDDM", nil, "eddm:warm_start=30,alpha=0.95,beta=0.9"},
		{"adwin", nil, "adwin:delta=0.002,clock=32,max_buckets=5,min_window_length=5,grace_period=10"},
		{"page-hinkley", nil, "page_hinkley:min_instances=30,delta=0.005,threshold=50,alpha=0.9999,mode=both"},
		{"PageHinkley", map[string]string{"mode": "up", "delta": "0"}, "page_hinkley:min_instances=30,delta=0,threshold=50,alpha=0.9999,mode=up"},
		{"ddm", map[string]string{"warm_start": "0"}, "ddm:warm_start=0,warning_threshold=2,drift_threshold=3"},
		{"adwin", map[string]string{"clock": "1", "grace_period": "0"}, "adwin:delta=0.002,clock=1,max_buckets=5,min_window_length=5,grace_period=0"},
	} {
		d, err := New(tt.name, tt.params)
		if err != nil {
			t.Errorf("New(%q, %v): %v", tt.name, tt.params, err)
			continue
		}
		if got := d.String(); got != tt.want {
			t.Errorf("New(%q, %v) = %s, want %s", tt.name, tt.params, got, tt.want)
		}
		// String round-trips through Parse.
		again, err := Parse(d.String())
		if err != nil || again.String() != d.String() {
			t.Errorf("Parse(%q) = %v, %v", d.String(), again, err)
		}
	}
}

func TestZeroOptionsAreDefaults(t *testing.T) {
	ddm, _ := NewDDM(DDMOptions{})
	eddm, _ := NewEDDM(EDDMOptions{})
	adwin, _ := NewADWIN(ADWINOptions{})
	ph, _ := NewPageHinkley(PageHinkleyOptions{})
	if ddm.Options() != DefaultDDMOptions() || eddm.Options() != DefaultEDDMOptions() ||
		adwin.Options() != DefaultADWINOptions() || ph.Options() != DefaultPageHinkleyOptions() {
		t.Errorf("zero options: %v %v %v %v", ddm, eddm, adwin, ph)
	}
}

func TestBadParameters(t *testing.T) {
	for _, tt := range []struct {
		spec    string
		unknown bool
		want    []string // each must appear in the error
	}{
		{spec: "kswin", unknown: true, want: []string{`unknown drift detector "kswin"`, "ddm, eddm, adwin, page_hinkley"}},
		{spec: "", unknown: true},
		{spec: "ddm:warm_start=-1,warning_threshold=4", want: []string{"ddm: warm_start=-1: must be >= 0", "warning_threshold=4: must be <= drift_threshold (3)"}},
		{spec: "ddm:drift_threshold=NaN", want: []string{"drift_threshold=NaN: not a finite number"}},
		{spec: "ddm:warm_start=3.5", want: []string{"warm_start=3.5: not an integer"}},
		{spec: "eddm:alpha=0.8", want: []string{"alpha=0.8: must be >= beta (0.9)"}},
		{spec: "eddm:beta=0,alpha=1.5", want: []string{"alpha=1.5: must be in (0, 1]", "beta=0: must be in (0, 1]"}},
		{spec: "adwin:delta=1,clock=0,max_buckets=0,min_window_length=0,grace_period=-1", want: []string{
			"delta=1: must be in (0, 1)", "clock=0: must be >= 1", "max_buckets=0", "min_window_length=0", "grace_period=-1",
		}},
		{spec: "adwin:max_buckets=9223372036854775807", want: []string{"max_buckets=9223372036854775807: must be in [1, 4096]"}},
		{spec: "adwin:lambda=3", want: []string{"adwin: lambda=3: unknown parameter (want delta, clock, max_buckets, min_window_length, grace_period)"}},
		{spec: "page_hinkley:mode=sideways,threshold=0,alpha=0,delta=-1,min_instances=-2", want: []string{
			"mode=sideways: must be up, down or both", "threshold=0", "alpha=0", "delta=-1", "min_instances=-2",
		}},
		{spec: "adwin:delta", want: []string{"adwin: delta: want key=value"}},
		{spec: "adwin:delta=0.1,delta=0.2", want: []string{"delta=0.2: given twice"}},
		{spec: "adwin:=3", want: []string{"missing parameter name"}},
	} {
		d, err := Parse(tt.spec)
		if err == nil {
			t.Errorf("Parse(%q) = %v, want an error", tt.spec, d)
			continue
		}
		if d != nil {
			t.Errorf("Parse(%q) returned a detector with its error", tt.spec)
		}
		if tt.unknown != errors.Is(err, ErrUnknown) || tt.unknown == errors.Is(err, ErrParam) {
			t.Errorf("Parse(%q): %v: ErrUnknown %v, ErrParam %v", tt.spec, err, errors.Is(err, ErrUnknown), errors.Is(err, ErrParam))
		}
		for _, w := range tt.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("Parse(%q): error %q lacks %q", tt.spec, err, w)
			}
		}
		if n := strings.Count(err.Error(), "\n") + 1; !tt.unknown && n < len(tt.want) {
			t.Errorf("Parse(%q): %d problems reported, want %d at once:\n%v", tt.spec, n, len(tt.want), err)
		}
	}
	// Each problem is a *ParamError.
	_, err := Parse("adwin:clock=0")
	var pe *ParamError
	if !errors.As(err, &pe) || pe.Detector != "adwin" || pe.Param != "clock" || pe.Value != "0" {
		t.Errorf("errors.As: %#v", pe)
	}
}
