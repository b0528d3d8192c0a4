package stream

import (
	"fmt"
	"math"
)

// DDMOptions are the parameters of DDM, named after river's.
type DDMOptions struct {
	// WarmStart is how many values DDM sees before it may signal: it
	// tests from value WarmStart+1 on (river's warm_start, 30).
	WarmStart int
	// WarningThreshold and DriftThreshold are the multiples of the
	// minimum standard deviation above the minimum error rate at which DDM
	// warns and alarms (river's warning_threshold 2.0, drift_threshold
	// 3.0).
	WarningThreshold float64
	DriftThreshold   float64
}

// DefaultDDMOptions are river's defaults.
func DefaultDDMOptions() DDMOptions {
	return DDMOptions{WarmStart: 30, WarningThreshold: 2.0, DriftThreshold: 3.0}
}

// Validate reports every out-of-range parameter.
func (o DDMOptions) Validate() error {
	p := &problems{detector: "ddm"}
	if o.WarmStart < 0 {
		p.add("warm_start", o.WarmStart, "must be >= 0")
	}
	if !(o.WarningThreshold > 0) || !finite(o.WarningThreshold) {
		p.add("warning_threshold", formatFloat(o.WarningThreshold), "must be a finite number > 0")
	}
	if !(o.DriftThreshold > 0) || !finite(o.DriftThreshold) {
		p.add("drift_threshold", formatFloat(o.DriftThreshold), "must be a finite number > 0")
	}
	if o.WarningThreshold > o.DriftThreshold {
		p.add("warning_threshold", formatFloat(o.WarningThreshold), "must be <= drift_threshold (%s)", formatFloat(o.DriftThreshold))
	}
	return p.err()
}

// String is the options in Parse's form.
func (o DDMOptions) String() string {
	return fmt.Sprintf("ddm:warm_start=%d,warning_threshold=%s,drift_threshold=%s",
		o.WarmStart, formatFloat(o.WarningThreshold), formatFloat(o.DriftThreshold))
}

func (o *DDMOptions) set(p *problems, key, value string) {
	switch key {
	case "warm_start":
		if n, ok := parseInt(p, key, value); ok {
			o.WarmStart = n
		}
	case "warning_threshold":
		if f, ok := parseFloat(p, key, value); ok {
			o.WarningThreshold = f
		}
	case "drift_threshold":
		if f, ok := parseFloat(p, key, value); ok {
			o.DriftThreshold = f
		}
	default:
		unknownParam(p, key, value, "warm_start", "warning_threshold", "drift_threshold")
	}
}

// DDM is the Drift Detection Method (Gama, Medas, Castillo, Rodrigues
// 2004) over a stream of errors: 1 for a wrong prediction, 0 for a right
// one.
//
// It keeps the error rate p_i (the mean of all values since the last
// reset) and s_i = sqrt(p_i(1-p_i)/i). After the warm-up it records p_min
// and s_min at the update where p_i+s_i is lowest so far (ties move the
// minimum to the latest update), and then
//
//	p_i + s_i > p_min + warning_threshold·s_min   → warning
//	p_i + s_i > p_min + drift_threshold·s_min     → drift (and no warning)
//
// These are river's rules, which differ from the paper in two small ways:
// the comparisons are strict, and the first tested update (the 31st by
// default) sets the minimum, so it can never signal.
//
// Because p_min and s_min are taken from the stream itself, a low error
// rate makes DDM touchy right after its warm-up: when the first 31 values
// hold no error, s_min is 0 and the very first error is an alarm; more
// generally a run of few early errors gives a small s_min. This is river's
// (and the paper's) documented behaviour, kept on purpose.
//
// Values other than 0 and 1 are averaged as they are, as river does.
type DDM struct {
	opts DDMOptions

	n, p        float64 // values seen and their mean (the error rate)
	pMin, sMin  float64
	psMin       float64 // pMin + sMin
	warn, drift bool
}

// NewDDM makes a DDM. The zero DDMOptions stands for
// DefaultDDMOptions(); any other value is taken as it is.
func NewDDM(opts DDMOptions) (*DDM, error) {
	if opts == (DDMOptions{}) {
		opts = DefaultDDMOptions()
	}
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	d := &DDM{opts: opts}
	d.Reset()
	return d, nil
}

// Name is "ddm".
func (d *DDM) Name() string { return "ddm" }

// String is the detector in Parse's form.
func (d *DDM) String() string { return d.opts.String() }

// Options are the parameters in use.
func (d *DDM) Options() DDMOptions { return d.opts }

// Reset forgets everything seen.
func (d *DDM) Reset() {
	opts := d.opts
	*d = DDM{opts: opts, pMin: math.Inf(1), sMin: math.Inf(1), psMin: math.Inf(1)}
}

// Estimation is the error rate since the last reset (0 before any value).
func (d *DDM) Estimation() float64 { return d.p }

// Update feeds one value: 1 for an error, 0 for a correct prediction.
func (d *DDM) Update(x float64) (warning, drift bool) {
	if !finite(x) {
		return false, false
	}
	if d.drift {
		d.Reset()
	}
	// river's stats.Mean: n += 1; mean += (1/n)(x - mean).
	d.n++
	d.p += float64((1 / d.n) * (x - d.p))
	s := math.Sqrt(d.p * (1 - d.p) / d.n)

	if d.n > float64(d.opts.WarmStart) {
		ps := d.p + s
		if ps <= d.psMin {
			d.pMin, d.sMin = d.p, s
			d.psMin = d.pMin + d.sMin
		}
		d.warn = ps > d.pMin+float64(d.opts.WarningThreshold*d.sMin)
		if ps > d.pMin+float64(d.opts.DriftThreshold*d.sMin) {
			d.drift = true
			d.warn = false
		}
	}
	return d.warn, d.drift
}
