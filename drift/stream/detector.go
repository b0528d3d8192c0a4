package stream

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Detector watches a stream one value at a time.
type Detector interface {
	// Update feeds the next value and reports the state after it. A
	// detector that reported drift resets itself at its next Update.
	// Non-finite values are ignored: the state is unchanged and both
	// results are false.
	Update(x float64) (warning, drift bool)
	// Reset forgets everything seen, keeping the parameters.
	Reset()
	// Name is the detector's name for New: ddm, eddm, adwin or
	// page_hinkley.
	Name() string
	// String is the detector with its parameters, in Parse's form
	// (adwin:delta=0.002,clock=32,…), for reports.
	String() string
}

var (
	_ Detector = (*DDM)(nil)
	_ Detector = (*EDDM)(nil)
	_ Detector = (*ADWIN)(nil)
	_ Detector = (*PageHinkley)(nil)
)

// Kinds of Event.
const (
	Warning = "warning" // a warning zone starts
	Drift   = "drift"   // an alarm: the stream has changed
)

// Event is where a detector warned or alarmed.
type Event struct {
	Index int    // 0-based index into the stream given to Run
	Kind  string // Warning or Drift
}

// Run feeds xs to d in order and returns its events in stream order: a
// Drift event at each update that reported drift, and a Warning event at
// the first update of each warning zone (an update reporting warning after
// one that did not, or after a drift). An update reporting both (EDDM's
// warning flag survives its alarm, as in river) inside a running zone
// gives only the Drift event. Non-finite values give no event and do not
// end a warning zone.
//
// d continues from its current state; pass a new or Reset detector to
// start afresh.
func Run(d Detector, xs []float64) []Event {
	var events []Event
	inZone := false
	for i, x := range xs {
		if !finite(x) {
			continue
		}
		warning, drift := d.Update(x)
		if warning && !inZone {
			events = append(events, Event{Index: i, Kind: Warning})
		}
		inZone = warning
		if drift {
			events = append(events, Event{Index: i, Kind: Drift})
			inZone = false
		}
	}
	return events
}

// Names lists the detectors New knows, in a fixed order.
func Names() []string { return []string{"ddm", "eddm", "adwin", "page_hinkley"} }

// New makes the named detector with river's defaults, overridden by
// params, which are keyed by river's parameter names:
//
//	ddm           warm_start, warning_threshold, drift_threshold
//	eddm          warm_start, alpha (warning), beta (drift)
//	adwin         delta, clock, max_buckets, min_window_length, grace_period
//	page_hinkley  min_instances, delta, threshold, alpha, mode (up, down, both)
//
// Names are matched ignoring case, with '-' taken as '_' (and
// "pagehinkley" accepted). An unknown name is an ErrUnknown; every bad
// parameter is reported, each as a ParamError (ErrParam), joined.
func New(name string, params map[string]string) (Detector, error) {
	switch canonical(name) {
	case "ddm":
		o := DefaultDDMOptions()
		perr := apply("ddm", params, o.set)
		d, err := NewDDM(o)
		return ok(d, perr, err)
	case "eddm":
		o := DefaultEDDMOptions()
		perr := apply("eddm", params, o.set)
		d, err := NewEDDM(o)
		return ok(d, perr, err)
	case "adwin":
		o := DefaultADWINOptions()
		perr := apply("adwin", params, o.set)
		d, err := NewADWIN(o)
		return ok(d, perr, err)
	case "page_hinkley":
		o := DefaultPageHinkleyOptions()
		perr := apply("page_hinkley", params, o.set)
		d, err := NewPageHinkley(o)
		return ok(d, perr, err)
	}
	return nil, fmt.Errorf("%w %q (want one of %s)", ErrUnknown, name, strings.Join(Names(), ", "))
}

// Parse makes a detector from a spec: its name alone for river's defaults,
// or the name, a colon and comma-separated key=value pairs, as in
// "adwin:delta=0.01,clock=1" or "page_hinkley:threshold=30,mode=up".
// Spaces around names, keys and values are ignored. Errors are New's, plus
// a ParamError for a pair without '=' or a key given twice.
func Parse(spec string) (Detector, error) {
	name, rest, hasParams := strings.Cut(spec, ":")
	name = strings.TrimSpace(name)
	params := map[string]string{}
	var errs problems
	errs.detector = canonical(name)
	if hasParams && strings.TrimSpace(rest) != "" {
		for pair := range strings.SplitSeq(rest, ",") {
			k, v, found := strings.Cut(pair, "=")
			k, v = strings.TrimSpace(k), strings.TrimSpace(v)
			switch {
			case !found:
				errs.add(k, nil, "want key=value")
			case k == "":
				errs.add("(empty)", v, "missing parameter name")
			case hasKey(params, k):
				errs.add(k, v, "given twice")
			default:
				params[k] = v
			}
		}
	}
	d, err := New(name, params)
	if err != nil || len(errs.errs) > 0 {
		if err != nil {
			errs.errs = append(errs.errs, err)
		}
		return nil, errs.err()
	}
	return d, nil
}

func hasKey(m map[string]string, k string) bool {
	_, ok := m[k]
	return ok
}

// canonical is the name New switches on.
func canonical(name string) string {
	n := strings.ReplaceAll(strings.ToLower(strings.TrimSpace(name)), "-", "_")
	if n == "pagehinkley" {
		n = "page_hinkley"
	}
	return n
}

// ok returns d unless parsing (perr) or validation (verr) failed.
func ok[D Detector](d D, perr, verr error) (Detector, error) {
	if perr != nil || verr != nil {
		return nil, joinErrs(perr, verr)
	}
	return d, nil
}

// joinErrs joins two errors made by errors.Join, flattening them so that
// the result lists each problem once.
func joinErrs(a, b error) error {
	var all []error
	for _, e := range []error{a, b} {
		if e == nil {
			continue
		}
		if j, ok := e.(interface{ Unwrap() []error }); ok {
			all = append(all, j.Unwrap()...)
		} else {
			all = append(all, e)
		}
	}
	return (&problems{errs: all}).err()
}

// apply sets each param with set, in key order, and returns the problems.
func apply(detector string, params map[string]string, set func(p *problems, key, value string)) error {
	p := &problems{detector: detector}
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		set(p, k, params[k])
	}
	return p.err()
}

// parseInt parses an integer parameter, recording a problem on failure.
func parseInt(p *problems, key, value string) (int, bool) {
	n, err := strconv.Atoi(value)
	if err != nil {
		p.add(key, value, "not an integer")
		return 0, false
	}
	return n, true
}

// parseFloat parses a number parameter, recording a problem on failure.
func parseFloat(p *problems, key, value string) (float64, bool) {
	f, err := strconv.ParseFloat(value, 64)
	if err != nil || !finite(f) {
		p.add(key, value, "not a finite number")
		return 0, false
	}
	return f, true
}

func unknownParam(p *problems, key, value string, known ...string) {
	p.add(key, value, "unknown parameter (want %s)", strings.Join(known, ", "))
}

func formatFloat(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
