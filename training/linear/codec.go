package linear

import (
	"bytes"
	"encoding"
	"encoding/json"
	"fmt"
	"io"

	"github.com/assayhq/assay/training/frame"
)

// Format and FormatVersion identify saved models; FORMAT.md describes
// the layout. A reader refuses versions it does not know.
const (
	Format        = "assay.linear.model"
	FormatVersion = 1
)

var (
	_ encoding.BinaryMarshaler   = (*Model)(nil)
	_ encoding.BinaryUnmarshaler = (*Model)(nil)
)

// The wire types are the saved layout, kept apart from the API types so
// that either can change without silently changing the other.
type wireModel struct {
	Format   string        `json:"format"`
	Version  int           `json:"version"`
	Target   string        `json:"target"`
	Task     string        `json:"task"`
	Classes  []string      `json:"classes,omitempty"`
	Design   wireDesign    `json:"design"`
	Logistic *wireLogistic `json:"logistic,omitempty"`
	Linear   *wireLinear   `json:"linear,omitempty"`
}

type wireDesign struct {
	Standardize bool        `json:"standardize"`
	Inputs      []wireInput `json:"inputs"`
}

type wireInput struct {
	Name   string   `json:"name"`
	Kind   string   `json:"kind"`
	Mean   float64  `json:"mean,omitempty"`
	Scale  float64  `json:"scale,omitempty"`
	Levels []string `json:"levels,omitempty"`
}

type wireLogistic struct {
	Classes    int       `json:"classes"`
	Features   int       `json:"features"`
	Coef       []float64 `json:"coef"`
	Intercept  []float64 `json:"intercept"`
	Iterations int       `json:"iterations"`
	Converged  bool      `json:"converged"`
}

type wireLinear struct {
	Coef      []float64 `json:"coef"`
	Intercept float64   `json:"intercept"`
	Alpha     float64   `json:"alpha"`
	Rank      int       `json:"rank"`
}

// MarshalBinary encodes the model as JSON in the layout of FORMAT.md.
// Floats are written in their shortest exact form, so a round trip
// gives back the same bits.
func (m *Model) MarshalBinary() ([]byte, error) {
	if err := m.validate(); err != nil {
		return nil, fmt.Errorf("linear: marshal: %w", err)
	}
	w := wireModel{
		Format: Format, Version: FormatVersion,
		Target: m.Target, Task: m.Task.String(), Classes: m.Classes,
		Design: wireDesign{Standardize: m.Design.Standardize, Inputs: make([]wireInput, len(m.Design.Inputs))},
	}
	for i, in := range m.Design.Inputs {
		w.Design.Inputs[i] = wireInput{Name: in.Name, Kind: in.Kind.String(), Levels: in.Levels}
		if in.Kind == frame.Numeric {
			w.Design.Inputs[i].Mean, w.Design.Inputs[i].Scale = in.Mean, in.Scale
		}
	}
	if l := m.Logistic; l != nil {
		w.Logistic = &wireLogistic{Classes: l.Classes, Features: l.Features, Coef: l.Coef, Intercept: l.Intercept,
			Iterations: l.Iterations, Converged: l.Converged}
	}
	if r := m.Linear; r != nil {
		w.Linear = &wireLinear{Coef: r.Coef, Intercept: r.Intercept, Alpha: r.Alpha, Rank: r.Rank}
	}
	return json.Marshal(w)
}

// UnmarshalBinary decodes a model written by MarshalBinary. Anything else
// fails with an error wrapping ErrCorrupt, and m is left unchanged.
func (m *Model) UnmarshalBinary(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var w wireModel
	if err := dec.Decode(&w); err != nil {
		return fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return fmt.Errorf("%w: data after the model", ErrCorrupt)
	}
	if w.Format != Format {
		return fmt.Errorf("%w: format %q, want %q", ErrCorrupt, w.Format, Format)
	}
	if w.Version != FormatVersion {
		return fmt.Errorf("%w: format version %d, this build reads %d", ErrCorrupt, w.Version, FormatVersion)
	}
	out := Model{Target: w.Target, Classes: w.Classes, Design: &Design{Standardize: w.Design.Standardize}}
	switch w.Task {
	case "classification":
		out.Task = frame.Classification
	case "regression":
		out.Task = frame.Regression
	default:
		return fmt.Errorf("%w: task %q", ErrCorrupt, w.Task)
	}
	out.Design.Inputs = make([]Input, len(w.Design.Inputs))
	for i, in := range w.Design.Inputs {
		o := Input{Name: in.Name, Levels: in.Levels, Mean: in.Mean, Scale: in.Scale}
		switch in.Kind {
		case "numeric":
			o.Kind = frame.Numeric
		case "categorical":
			o.Kind = frame.Categorical
			if in.Mean != 0 || in.Scale != 0 {
				return fmt.Errorf("%w: categorical input %q with a mean or scale", ErrCorrupt, in.Name)
			}
		default:
			return fmt.Errorf("%w: input %q of kind %q", ErrCorrupt, in.Name, in.Kind)
		}
		out.Design.Inputs[i] = o
	}
	if l := w.Logistic; l != nil {
		out.Logistic = &LogisticRegression{Classes: l.Classes, Features: l.Features, Coef: l.Coef, Intercept: l.Intercept,
			Iterations: l.Iterations, Converged: l.Converged}
	}
	if r := w.Linear; r != nil {
		out.Linear = &LinearRegression{Coef: r.Coef, Intercept: r.Intercept, Alpha: r.Alpha, Rank: r.Rank}
	}
	if err := out.validate(); err != nil {
		return fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	*m = out
	return nil
}

// validate checks that the parts of a model fit together, so that
// predicting cannot index out of range.
func (m *Model) validate() error {
	if m.Design == nil {
		return fmt.Errorf("no design")
	}
	if err := m.Design.validate(); err != nil {
		return fmt.Errorf("design: %w", err)
	}
	width := m.Design.Width()
	switch m.Task {
	case frame.Classification:
		l := m.Logistic
		if l == nil || m.Linear != nil {
			return fmt.Errorf("a classification model needs a logistic regression and no linear one")
		}
		if len(m.Classes) < 2 {
			return fmt.Errorf("%d classes", len(m.Classes))
		}
		for c := 1; c < len(m.Classes); c++ {
			if m.Classes[c-1] >= m.Classes[c] {
				return fmt.Errorf("classes not sorted and unique at %q", m.Classes[c])
			}
		}
		if l.Classes != len(m.Classes) || l.Features != width {
			return fmt.Errorf("logistic regression of %d classes × %d columns, the model has %d × %d", l.Classes, l.Features, len(m.Classes), width)
		}
		if len(l.Intercept) != l.rows() || len(l.Coef) != l.rows()*width {
			return fmt.Errorf("logistic regression with %d intercepts and %d coefficients, want %d and %d", len(l.Intercept), len(l.Coef), l.rows(), l.rows()*width)
		}
		if !allFinite(l.Coef) || !allFinite(l.Intercept) || l.Iterations < 0 {
			return fmt.Errorf("logistic regression with a coefficient that is not a finite number")
		}
	case frame.Regression:
		r := m.Linear
		if r == nil || m.Logistic != nil || len(m.Classes) > 0 {
			return fmt.Errorf("a regression model needs a linear regression, no logistic one and no classes")
		}
		if len(r.Coef) != width {
			return fmt.Errorf("linear regression of %d columns, the design has %d", len(r.Coef), width)
		}
		if !allFinite(r.Coef) || !finite(r.Intercept) || !finite(r.Alpha) || r.Alpha < 0 || r.Rank < 0 || r.Rank > width {
			return fmt.Errorf("linear regression with a value out of range")
		}
	default:
		return fmt.Errorf("task %d", m.Task)
	}
	return nil
}
