package stream

import (
	"errors"
	"fmt"
)

var (
	// ErrUnknown means a detector name is none of Names().
	ErrUnknown = errors.New("unknown drift detector")
	// ErrParam means a detector parameter is unknown, malformed or out of
	// range. Errors wrapping it are ParamErrors.
	ErrParam = errors.New("bad drift detector parameter")
)

// ParamError is one bad parameter of a detector. It wraps ErrParam.
type ParamError struct {
	Detector string // ddm, eddm, adwin or page_hinkley
	Param    string // river's name of the parameter: warm_start, delta, …
	Value    string // the value as given, empty when the problem is not the value
	Msg      string
}

func (e *ParamError) Error() string {
	if e.Value == "" {
		return fmt.Sprintf("%s: %s: %s", e.Detector, e.Param, e.Msg)
	}
	return fmt.Sprintf("%s: %s=%s: %s", e.Detector, e.Param, e.Value, e.Msg)
}

// Unwrap makes errors.Is(err, ErrParam) hold.
func (e *ParamError) Unwrap() error { return ErrParam }

// problems collects the ParamErrors of one detector's options, so that all
// of them are reported at once.
type problems struct {
	detector string
	errs     []error
}

func (p *problems) add(param string, value any, format string, args ...any) {
	v := ""
	if value != nil {
		v = fmt.Sprint(value)
	}
	p.errs = append(p.errs, &ParamError{Detector: p.detector, Param: param, Value: v, Msg: fmt.Sprintf(format, args...)})
}

// err returns the problems joined (errors.Join), or nil when there are none.
func (p *problems) err() error { return errors.Join(p.errs...) }
