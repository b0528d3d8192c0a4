package stream

import (
	"fmt"
	"math"
)

// Page-Hinkley modes: which direction of change alarms.
const (
	Up   = "up"   // an increase of the mean
	Down = "down" // a decrease of the mean
	Both = "both" // either (river's default)
)

// PageHinkleyOptions are the parameters of PageHinkley, named after
// river's.
type PageHinkleyOptions struct {
	// MinInstances is how many values Page-Hinkley sees before it may
	// alarm (river's min_instances, 30).
	MinInstances int
	// Delta is the slack: deviations from the running mean smaller than
	// Delta do not accumulate (river's delta, 0.005).
	Delta float64
	// Threshold is λ: the cumulative deviation that alarms (river's
	// threshold, 50).
	Threshold float64
	// Alpha is the forgetting factor of the cumulative sums (river's
	// alpha, 1 − 0.0001). 1 forgets nothing.
	Alpha float64
	// Mode is Up, Down or Both (river's mode, "both"). The empty string
	// stands for Both.
	Mode string
}

// DefaultPageHinkleyOptions are river's defaults.
func DefaultPageHinkleyOptions() PageHinkleyOptions {
	return PageHinkleyOptions{MinInstances: 30, Delta: 0.005, Threshold: 50, Alpha: 1 - 0.0001, Mode: Both}
}

// Validate reports every out-of-range parameter.
func (o PageHinkleyOptions) Validate() error {
	p := &problems{detector: "page_hinkley"}
	if o.MinInstances < 0 {
		p.add("min_instances", o.MinInstances, "must be >= 0")
	}
	if !(o.Delta >= 0) || !finite(o.Delta) {
		p.add("delta", formatFloat(o.Delta), "must be a finite number >= 0")
	}
	if !(o.Threshold > 0) || !finite(o.Threshold) {
		p.add("threshold", formatFloat(o.Threshold), "must be a finite number > 0")
	}
	if !(o.Alpha > 0 && o.Alpha <= 1) {
		p.add("alpha", formatFloat(o.Alpha), "must be in (0, 1]")
	}
	switch o.Mode {
	case "", Up, Down, Both:
	default:
		p.add("mode", o.Mode, "must be up, down or both")
	}
	return p.err()
}

// String is the options in Parse's form.
func (o PageHinkleyOptions) String() string {
	mode := o.Mode
	if mode == "" {
		mode = Both
	}
	return fmt.Sprintf("page_hinkley:min_instances=%d,delta=%s,threshold=%s,alpha=%s,mode=%s",
		o.MinInstances, formatFloat(o.Delta), formatFloat(o.Threshold), formatFloat(o.Alpha), mode)
}

func (o *PageHinkleyOptions) set(p *problems, key, value string) {
	switch key {
	case "min_instances":
		if n, ok := parseInt(p, key, value); ok {
			o.MinInstances = n
		}
	case "delta", "threshold", "alpha":
		f, ok := parseFloat(p, key, value)
		if !ok {
			return
		}
		switch key {
		case "delta":
			o.Delta = f
		case "threshold":
			o.Threshold = f
		default:
			o.Alpha = f
		}
	case "mode":
		o.Mode = value
	default:
		unknownParam(p, key, value, "min_instances", "delta", "threshold", "alpha", "mode")
	}
}

// PageHinkley is the Page-Hinkley test (Page 1954), two-sided by default,
// over a stream of real values, with river's update rules:
//
//	x̄_t = running mean of the values since the last reset
//	U_t = α·U_{t−1} + (x_t − x̄_t) − δ,   test_up   = U_t − min U
//	L_t = α·L_{t−1} + (x_t − x̄_t) + δ,   test_down = max L − L_t
//
// with U_0 = L_0 = 0, the minimum starting at +∞ and the maximum at −1 (as
// in river; since L_1 = δ ≥ 0, the −1 never matters). Once MinInstances
// values are seen, it alarms when test_up > λ (Up), test_down > λ (Down),
// or either (Both). It never warns.
//
// Older river releases (and scikit-multiflow) ran a one-sided test on a
// sum clipped at 0 (max(0, α·S + x − x̄ − δ) ≥ λ); river now uses the
// minimum-tracking form above with mode "both", and so does this.
type PageHinkley struct {
	opts PageHinkleyOptions
	up   bool // Mode tests increases
	down bool // Mode tests decreases

	n, mean        float64
	sumUp, sumDown float64
	minUp, maxDown float64
	drift          bool
}

// NewPageHinkley makes a PageHinkley. The zero PageHinkleyOptions stands
// for DefaultPageHinkleyOptions(); any other value is taken as it is.
func NewPageHinkley(opts PageHinkleyOptions) (*PageHinkley, error) {
	if opts == (PageHinkleyOptions{}) {
		opts = DefaultPageHinkleyOptions()
	}
	if opts.Mode == "" {
		opts.Mode = Both
	}
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	d := &PageHinkley{opts: opts, up: opts.Mode != Down, down: opts.Mode != Up}
	d.Reset()
	return d, nil
}

// Name is "page_hinkley".
func (d *PageHinkley) Name() string { return "page_hinkley" }

// String is the detector in Parse's form.
func (d *PageHinkley) String() string { return d.opts.String() }

// Options are the parameters in use.
func (d *PageHinkley) Options() PageHinkleyOptions { return d.opts }

// Reset forgets everything seen.
func (d *PageHinkley) Reset() {
	d.n, d.mean = 0, 0
	d.sumUp, d.sumDown = 0, 0
	d.minUp, d.maxDown = math.Inf(1), -1
	d.drift = false
}

// Estimation is the mean of the values since the last reset.
func (d *PageHinkley) Estimation() float64 { return d.mean }

// Statistics are the current test values: test_up (U − min U) and
// test_down (max L − L), each compared with the threshold.
func (d *PageHinkley) Statistics() (up, down float64) {
	return d.sumUp - d.minUp, d.maxDown - d.sumDown
}

// Update feeds one value.
func (d *PageHinkley) Update(x float64) (warning, drift bool) {
	if !finite(x) {
		return false, false
	}
	if d.drift {
		d.Reset()
	}
	d.n++
	d.mean += float64((1 / d.n) * (x - d.mean))
	dev := x - d.mean
	d.sumUp = float64(d.opts.Alpha*d.sumUp) + dev - d.opts.Delta
	d.sumDown = float64(d.opts.Alpha*d.sumDown) + dev + d.opts.Delta
	if d.sumUp < d.minUp {
		d.minUp = d.sumUp
	}
	if d.sumDown > d.maxDown {
		d.maxDown = d.sumDown
	}
	if d.n >= float64(d.opts.MinInstances) {
		testUp, testDown := d.Statistics()
		d.drift = (d.up && testUp > d.opts.Threshold) || (d.down && testDown > d.opts.Threshold)
	}
	return false, d.drift
}
