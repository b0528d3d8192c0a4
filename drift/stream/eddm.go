package stream

import (
	"fmt"
	"math"
)

// EDDMOptions are the parameters of EDDM, named after river's.
type EDDMOptions struct {
	// WarmStart is both how many values EDDM sees before it tracks its
	// maximum and how many errors it sees before it may signal (river's
	// warm_start, 30: it tests from the 31st error on).
	WarmStart int
	// Alpha is the warning level and Beta the drift level: EDDM warns when
	// (p'+2s')/(p'max+2s'max) falls below Alpha and alarms when it falls
	// below Beta (river's alpha 0.95, beta 0.90, as in the paper). Beta
	// must not exceed Alpha.
	Alpha float64
	Beta  float64
}

// DefaultEDDMOptions are river's defaults.
func DefaultEDDMOptions() EDDMOptions {
	return EDDMOptions{WarmStart: 30, Alpha: 0.95, Beta: 0.90}
}

// Validate reports every out-of-range parameter.
func (o EDDMOptions) Validate() error {
	p := &problems{detector: "eddm"}
	if o.WarmStart < 0 {
		p.add("warm_start", o.WarmStart, "must be >= 0")
	}
	if !(o.Alpha > 0 && o.Alpha <= 1) {
		p.add("alpha", formatFloat(o.Alpha), "must be in (0, 1]")
	}
	if !(o.Beta > 0 && o.Beta <= 1) {
		p.add("beta", formatFloat(o.Beta), "must be in (0, 1]")
	}
	if o.Alpha < o.Beta {
		p.add("alpha", formatFloat(o.Alpha), "must be >= beta (%s)", formatFloat(o.Beta))
	}
	return p.err()
}

// String is the options in Parse's form.
func (o EDDMOptions) String() string {
	return fmt.Sprintf("eddm:warm_start=%d,alpha=%s,beta=%s", o.WarmStart, formatFloat(o.Alpha), formatFloat(o.Beta))
}

func (o *EDDMOptions) set(p *problems, key, value string) {
	switch key {
	case "warm_start":
		if n, ok := parseInt(p, key, value); ok {
			o.WarmStart = n
		}
	case "alpha":
		if f, ok := parseFloat(p, key, value); ok {
			o.Alpha = f
		}
	case "beta":
		if f, ok := parseFloat(p, key, value); ok {
			o.Beta = f
		}
	default:
		unknownParam(p, key, value, "warm_start", "alpha", "beta")
	}
}

// EDDM is the Early Drift Detection Method (Baena-García et al. 2006) over
// a stream of errors: 1 for a wrong prediction, anything else for a right
// one (river counts exactly x == 1 as an error).
//
// It watches the distance between consecutive errors (the first error's
// distance is its 1-based position since the last reset): p' is the mean
// distance and s' its sample standard deviation (n−1). At each error, once
// more than WarmStart values have been seen:
//
//   - if p'+2s' exceeds the largest value so far, it becomes the maximum
//     and nothing is tested;
//   - otherwise, once more than WarmStart errors have been seen, with
//     level = (p'+2s') / max: level < Beta → drift; else level < Alpha →
//     warning; else no warning.
//
// As in river, the flags change only at errors: a correct prediction keeps
// the warning state, and an alarm leaves the warning flag as it was (so an
// alarm inside a warning zone reports both).
type EDDM struct {
	opts EDDMOptions

	n         int     // values seen
	lastError int     // value count at the last error (0: none yet)
	errors    int     // errors seen
	dn        float64 // distances seen (river's stats.Var)
	dMean     float64 // their mean
	dS        float64 // their sum of squared deviations
	p2sMax    float64
	warn      bool
	drift     bool
}

// NewEDDM makes an EDDM. The zero EDDMOptions stands for
// DefaultEDDMOptions(); any other value is taken as it is.
func NewEDDM(opts EDDMOptions) (*EDDM, error) {
	if opts == (EDDMOptions{}) {
		opts = DefaultEDDMOptions()
	}
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	d := &EDDM{opts: opts}
	d.Reset()
	return d, nil
}

// Name is "eddm".
func (d *EDDM) Name() string { return "eddm" }

// String is the detector in Parse's form.
func (d *EDDM) String() string { return d.opts.String() }

// Options are the parameters in use.
func (d *EDDM) Options() EDDMOptions { return d.opts }

// Reset forgets everything seen.
func (d *EDDM) Reset() {
	opts := d.opts
	// river starts the maximum at -1, below any p'+2s'.
	*d = EDDM{opts: opts, p2sMax: -1}
}

// Estimation is the mean distance between errors since the last reset (0
// before the first error).
func (d *EDDM) Estimation() float64 { return d.dMean }

// Update feeds one value: 1 for an error, 0 for a correct prediction.
func (d *EDDM) Update(x float64) (warning, drift bool) {
	if !finite(x) {
		return false, false
	}
	if d.drift {
		d.Reset()
	}
	d.n++
	if x != 1 {
		return d.warn, d.drift
	}
	d.errors++
	// river's stats.Var (ddof 1) of the distance.
	dist := float64(d.n - d.lastError)
	old := d.dMean
	d.dn++
	d.dMean += float64((1 / d.dn) * (dist - d.dMean))
	d.dS += float64((dist - old) * (dist - d.dMean))

	if d.n > d.opts.WarmStart {
		variance := 0.0
		if d.dn > 1 {
			variance = d.dS / (d.dn - 1)
		}
		p2s := d.dMean + float64(2*math.Sqrt(variance))
		if p2s > d.p2sMax {
			d.p2sMax = p2s
		} else if d.errors > d.opts.WarmStart {
			level := p2s / d.p2sMax
			switch {
			case level < d.opts.Beta:
				d.drift = true
			case level < d.opts.Alpha:
				d.warn = true
			default:
				d.warn = false
			}
		}
	}
	d.lastError = d.n
	return d.warn, d.drift
}
