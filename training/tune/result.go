package tune

import (
	"bytes"
	"encoding/json"
	"fmt"
	"github.com/assayhq/assay/dataset/profile"
	"strconv"
	"strings"
	"time"
)

// ResultVersion is the version of the JSON shape of a Result.
const ResultVersion = 1

// State is how a trial ended.
type State string

// The states of a finished trial.
const (
	Complete State = "complete"
	Pruned   State = "pruned"
	Failed   State = "failed"
)

// StepValue is an intermediate value a trial reported.
type StepValue struct {
	Step  int
	Value float64
}

// Record is a finished trial.
type Record struct {
	Number int
	Params map[string]any
	State  State
	// Value is the objective's value (complete), the last intermediate
	// value (pruned; NaN if none), or NaN (failed).
	Value float64
	// Error is why a failed trial failed.
	Error string
	// Intermediate holds the reported values, in step order.
	Intermediate []StepValue
	Duration     time.Duration

	x []float64 // internal values of Params, in the space's order
}

// valueAt returns the intermediate value at step.
func (r *Record) valueAt(step int) (float64, bool) {
	for _, v := range r.Intermediate {
		if v.Step == step {
			return v.Value, true
		}
	}
	return 0, false
}

// Result is the outcome of a study.
type Result struct {
	Space     *Space
	Direction Direction
	Sampler   string
	Seed      uint64
	Window    int
	Pruner    *MedianPruner // nil if none
	// Trials are the finished trials in number order. An interrupted
	// study may miss some numbers.
	Trials []*Record
	// Best is the complete trial with the best value (the lowest number
	// among equals), or nil if none completed.
	Best *Record
}

// The JSON shapes. Floats that may be NaN or infinite are written as
// the strings "NaN", "Infinity" and "-Infinity". Parameter values and
// choices keep their type: a float is always written with a decimal
// point or an exponent (1.0, not 1), so that it reads back as float64
// and an integer as int64.

type resultJSON struct {
	Version   int           `json:"version"`
	Space     *Space        `json:"space"`
	Direction Direction     `json:"direction"`
	Sampler   string        `json:"sampler"`
	Seed      uint64        `json:"seed"`
	Window    int           `json:"window"`
	Pruner    *MedianPruner `json:"pruner"`
	Trials    []*Record     `json:"trials"`
	Best      *int          `json:"best"` // the best trial's number
}

// MarshalJSON implements json.Marshaler.
func (r *Result) MarshalJSON() ([]byte, error) {
	j := resultJSON{Version: ResultVersion, Space: r.Space, Direction: r.Direction, Sampler: r.Sampler,
		Seed: r.Seed, Window: r.Window, Pruner: r.Pruner, Trials: r.Trials}
	if j.Trials == nil {
		j.Trials = []*Record{}
	}
	if r.Best != nil {
		j.Best = &r.Best.Number
	}
	return json.Marshal(j)
}

// UnmarshalJSON implements json.Unmarshaler.
func (r *Result) UnmarshalJSON(b []byte) error {
	var j resultJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	if j.Version != ResultVersion {
		return fmt.Errorf("tune: result version %d, want %d", j.Version, ResultVersion)
	}
	*r = Result{Space: j.Space, Direction: j.Direction, Sampler: j.Sampler, Seed: j.Seed, Window: j.Window, Pruner: j.Pruner, Trials: j.Trials}
	for _, t := range r.Trials {
		if j.Best != nil && t.Number == *j.Best {
			r.Best = t
		}
		if r.Space != nil {
			t.x = r.Space.internal(t.Params)
		}
	}
	if j.Best != nil && r.Best == nil {
		return fmt.Errorf("tune: result: best trial %d is not among the trials", *j.Best)
	}
	return nil
}

// internal returns the internal values of params, or nil if they do not
// fit the space.
func (s *Space) internal(params map[string]any) []float64 {
	x := make([]float64, len(s.Params))
	for i := range s.Params {
		p := &s.Params[i]
		v, ok := params[p.Name]
		if !ok {
			return nil
		}
		switch p.Kind {
		case KindCategorical:
			k := -1
			for c, choice := range p.Choices {
				if choice == v {
					k = c
				}
			}
			if k < 0 {
				return nil
			}
			x[i] = float64(k)
		case KindInt:
			n, ok := v.(int64)
			if !ok {
				return nil
			}
			x[i] = float64(n)
		default:
			f, ok := v.(float64)
			if !ok {
				return nil
			}
			x[i] = f
		}
	}
	return x
}

type stepJSON struct {
	Step  int       `json:"step"`
	Value jsonFloat `json:"value"`
}

type recordJSON struct {
	Number       int                   `json:"number"`
	State        State                 `json:"state"`
	Params       map[string]jsonScalar `json:"params"`
	Value        jsonFloat             `json:"value"`
	Error        string                `json:"error,omitempty"`
	Intermediate []stepJSON            `json:"intermediate,omitempty"`
	Duration     float64               `json:"duration_seconds"`
}

// MarshalJSON implements json.Marshaler.
func (r *Record) MarshalJSON() ([]byte, error) {
	j := recordJSON{Number: r.Number, State: r.State, Params: map[string]jsonScalar{}, Value: jsonFloat(r.Value),
		Error: r.Error, Duration: r.Duration.Seconds()}
	for k, v := range r.Params {
		j.Params[k] = jsonScalar{v}
	}
	for _, s := range r.Intermediate {
		j.Intermediate = append(j.Intermediate, stepJSON{s.Step, jsonFloat(s.Value)})
	}
	return json.Marshal(j)
}

// UnmarshalJSON implements json.Unmarshaler.
func (r *Record) UnmarshalJSON(b []byte) error {
	var j recordJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*r = Record{Number: j.Number, State: j.State, Params: map[string]any{}, Value: float64(j.Value), Error: j.Error,
		Duration: time.Duration(j.Duration * float64(time.Second))}
	for k, v := range j.Params {
		r.Params[k] = v.v
	}
	for _, s := range j.Intermediate {
		r.Intermediate = append(r.Intermediate, StepValue{s.Step, float64(s.Value)})
	}
	return nil
}

type paramJSON struct {
	Name    string       `json:"name"`
	Type    Kind         `json:"type"`
	Low     *float64     `json:"low,omitempty"`
	High    *float64     `json:"high,omitempty"`
	Step    float64      `json:"step,omitempty"`
	Log     bool         `json:"log,omitempty"`
	Grid    []float64    `json:"grid,omitempty"`
	Choices []jsonScalar `json:"choices,omitempty"`
}

// MarshalJSON implements json.Marshaler.
func (p Param) MarshalJSON() ([]byte, error) {
	j := paramJSON{Name: p.Name, Type: p.Kind, Step: p.Step, Log: p.Log, Grid: p.Grid}
	if p.Kind != KindCategorical {
		j.Low, j.High = &p.Low, &p.High
	}
	for _, c := range p.Choices {
		j.Choices = append(j.Choices, jsonScalar{c})
	}
	return json.Marshal(j)
}

// UnmarshalJSON implements json.Unmarshaler.
func (p *Param) UnmarshalJSON(b []byte) error {
	var j paramJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*p = Param{Name: j.Name, Kind: j.Type, Step: j.Step, Log: j.Log, Grid: j.Grid}
	if j.Low != nil {
		p.Low = *j.Low
	}
	if j.High != nil {
		p.High = *j.High
	}
	for _, c := range j.Choices {
		p.Choices = append(p.Choices, c.v)
	}
	return nil
}

// jsonFloat is a float64 whose JSON keeps NaN and ±Inf as strings, as
// everywhere in the repository.
type jsonFloat = profile.Float

// jsonScalar is a parameter value or choice: int64, float64 (always
// written with a point or an exponent), string or bool.
type jsonScalar struct{ v any }

func (s jsonScalar) MarshalJSON() ([]byte, error) {
	switch v := s.v.(type) {
	case float64:
		b, err := jsonFloat(v).MarshalJSON()
		if err == nil && !bytes.ContainsAny(b, `.eE"`) {
			b = append(b, ".0"...)
		}
		return b, err
	case int64, string, bool:
		return json.Marshal(v)
	}
	return nil, fmt.Errorf("tune: parameter value %v has type %T", s.v, s.v)
}

func (s *jsonScalar) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0:
		return fmt.Errorf("tune: empty parameter value")
	case b[0] == '"':
		var str string
		if err := json.Unmarshal(b, &str); err != nil {
			return err
		}
		s.v = str
	case string(b) == "true" || string(b) == "false":
		s.v = string(b) == "true"
	case strings.ContainsAny(string(b), ".eE"):
		var f jsonFloat
		if err := f.UnmarshalJSON(b); err != nil {
			return err
		}
		s.v = float64(f)
	default:
		n, err := strconv.ParseInt(string(b), 10, 64)
		if err != nil {
			return fmt.Errorf("tune: parameter value %s: want a number, string or boolean", b)
		}
		s.v = n
	}
	return nil
}
