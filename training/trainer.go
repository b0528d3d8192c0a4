package training

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/dataset/suggest"
	"github.com/assayhq/assay/training/external"
	"github.com/assayhq/assay/training/frame"
	"github.com/assayhq/assay/training/gbdt"
	"github.com/assayhq/assay/training/linear"
)

// Model is a trained model. For classification, Predict writes each
// row's class probabilities (row-major, one per class of the schema);
// for regression, one value per row.
type Model interface {
	Predict(ctx context.Context, x *frame.Matrix, out []float64) error
	MarshalBinary() ([]byte, error)
}

// Params are a trainer's parameters by name. Values are int64, float64,
// string or bool.
type Params map[string]any

// param describes one parameter of a trainer.
type param struct {
	kind byte // 'i' int, 'f' float, 's' string, 'b' bool
	def  any
}

// The trainers and their parameters, with scikit-learn's names and
// defaults.
var trainers = map[string]map[string]param{
	"gbdt": {
		"learning_rate":       {'f', 0.1},
		"max_iter":            {'i', int64(100)},
		"max_leaf_nodes":      {'i', int64(31)},
		"max_depth":           {'i', int64(0)},
		"min_samples_leaf":    {'i', int64(20)},
		"l2_regularization":   {'f', 0.0},
		"max_bins":            {'i', int64(255)},
		"early_stopping":      {'s', "auto"},
		"validation_fraction": {'f', 0.1},
		"n_iter_no_change":    {'i', int64(10)},
		"tol":                 {'f', 1e-7},
	},
	"logistic": {
		"C":           {'f', 1.0},
		"max_iter":    {'i', int64(100)},
		"tol":         {'f', 1e-4},
		"standardize": {'b', true},
	},
	"linear": {
		"alpha":       {'f', 0.0},
		"standardize": {'b', false},
	},
	"external": nil, // any parameters, passed through
}

// Trainers returns the trainer names, sorted.
func Trainers() []string {
	var out []string
	for name := range trainers {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

func checkTrainer(name string) error {
	if _, ok := trainers[name]; ok {
		return nil
	}
	msg := fmt.Sprintf("unknown trainer %q (trainers: %s)", name, strings.Join(Trainers(), ", "))
	if near := suggest.Nearest(name, Trainers()); near != "" {
		msg += "; did you mean " + near + "?"
	}
	return fmt.Errorf("%w: %s", dataset.ErrInvalid, msg)
}

// ParseParams reads NAME=VALUE settings for a trainer, typed by its
// parameters (an external trainer takes any: numbers and true/false
// are typed, the rest are strings). Unknown names and bad values are
// errors, all at once.
func ParseParams(trainer string, settings []string) (Params, error) {
	if err := checkTrainer(trainer); err != nil {
		return nil, err
	}
	spec := trainers[trainer]
	out := Params{}
	var probs []string
	for _, s := range settings {
		name, val, ok := strings.Cut(s, "=")
		name = strings.TrimSpace(name)
		if !ok || name == "" {
			probs = append(probs, fmt.Sprintf("%q: want NAME=VALUE", s))
			continue
		}
		if spec == nil {
			out[name] = looseValue(val)
			continue
		}
		p, known := spec[name]
		if !known {
			names := paramNames(trainer)
			msg := fmt.Sprintf("%s has no parameter %s (parameters: %s)", trainer, name, strings.Join(names, ", "))
			if near := suggest.Nearest(name, names); near != "" {
				msg = fmt.Sprintf("%s has no parameter %s; did you mean %s?", trainer, name, near)
			}
			probs = append(probs, msg)
			continue
		}
		v, err := typed(p.kind, strings.TrimSpace(val))
		if err != nil {
			probs = append(probs, fmt.Sprintf("%s=%s: %v", name, val, err))
			continue
		}
		out[name] = v
	}
	if len(probs) > 0 {
		return nil, fmt.Errorf("%w: %s", dataset.ErrInvalid, strings.Join(probs, "; "))
	}
	return out, nil
}

func paramNames(trainer string) []string {
	var names []string
	for n := range trainers[trainer] {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// typed parses a value of a kind.
func typed(kind byte, s string) (any, error) {
	switch kind {
	case 'i':
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("want an integer")
		}
		return n, nil
	case 'f':
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, fmt.Errorf("want a number")
		}
		return f, nil
	case 'b':
		b, err := strconv.ParseBool(s)
		if err != nil {
			return nil, fmt.Errorf("want true or false")
		}
		return b, nil
	}
	return s, nil
}

// looseValue types an external trainer's parameter by its look.
func looseValue(s string) any {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		return f
	}
	if b, err := strconv.ParseBool(s); err == nil {
		return b
	}
	return s
}

// WithDefaults returns p completed with the trainer's defaults.
func WithDefaults(trainer string, p Params) Params {
	out := Params{}
	for name, sp := range trainers[trainer] {
		out[name] = sp.def
	}
	for k, v := range p {
		out[k] = v
	}
	return out
}

// Normalize converts values decoded from JSON or YAML (float64 for every
// number) to the kinds the trainer's parameters have.
func Normalize(trainer string, p Params) (Params, error) {
	out := Params{}
	spec := trainers[trainer]
	for k, v := range p {
		sp, ok := spec[k]
		if spec == nil || !ok {
			out[k] = v
			continue
		}
		switch x := v.(type) {
		case float64:
			if sp.kind == 'i' {
				if x != math.Trunc(x) {
					return nil, fmt.Errorf("%w: %s=%v: want an integer", dataset.ErrInvalid, k, x)
				}
				v = int64(x)
			}
		case int:
			v = int64(x)
			if sp.kind == 'f' {
				v = float64(x)
			}
		case int64:
			if sp.kind == 'f' {
				v = float64(x)
			}
		}
		out[k] = v
	}
	return out, nil
}

func (p Params) int(name string) int       { v, _ := p[name].(int64); return int(v) }
func (p Params) float(name string) float64 { v, _ := p[name].(float64); return v }
func (p Params) str(name string) string    { v, _ := p[name].(string); return v }
func (p Params) bool(name string) bool     { v, _ := p[name].(bool); return v }

// fit trains a model with a trainer.
type fitInput struct {
	Trainer string
	Params  Params // with defaults
	Command []string
	Schema  *frame.Schema
	Seed    uint64
	X       *frame.Matrix
	Y       *frame.Target
}

func fit(ctx context.Context, in fitInput) (Model, error) {
	p := in.Params
	switch in.Trainer {
	case "gbdt":
		gp := gbdt.DefaultParams()
		gp.LearningRate = p.float("learning_rate")
		gp.MaxIter = p.int("max_iter")
		gp.MaxLeafNodes = p.int("max_leaf_nodes")
		gp.MaxDepth = p.int("max_depth")
		gp.MinSamplesLeaf = p.int("min_samples_leaf")
		gp.L2Regularization = p.float("l2_regularization")
		gp.MaxBins = p.int("max_bins")
		gp.EarlyStopping = gbdt.EarlyStopping(p.str("early_stopping"))
		gp.ValidationFraction = p.float("validation_fraction")
		gp.NIterNoChange = p.int("n_iter_no_change")
		gp.Tol = p.float("tol")
		gp.Seed = in.Seed
		m, err := gbdt.Train(ctx, in.X, in.Y, gp)
		if err != nil {
			return nil, err
		}
		return gbdtModel{m}, nil
	case "logistic", "linear":
		if in.Trainer == "logistic" && in.Y.Task != frame.Classification {
			return nil, fmt.Errorf("%w: the logistic trainer classifies; target %s is numeric (use linear)", dataset.ErrInvalid, in.Y.Name)
		}
		if in.Trainer == "linear" && in.Y.Task != frame.Regression {
			return nil, fmt.Errorf("%w: the linear trainer regresses; target %s is categorical (use logistic)", dataset.ErrInvalid, in.Y.Name)
		}
		opts := linear.Options{
			Design:   linear.DesignOptions{Standardize: p.bool("standardize")},
			Logistic: linear.LogisticOptions{C: p.float("C"), MaxIter: p.int("max_iter"), Tol: p.float("tol")},
			Linear:   linear.LinearOptions{Alpha: p.float("alpha")},
		}
		m, err := linear.Fit(ctx, in.X, in.Y, opts)
		if err != nil {
			return nil, err
		}
		return linearModel{m, in.Y.Classes}, nil
	case "external":
		m, err := external.Train(ctx, in.Command, in.X, in.Y, in.Schema.Features, p, in.Seed)
		if err != nil {
			return nil, err
		}
		return externalModel{m}, nil
	}
	return nil, checkTrainer(in.Trainer)
}

// Decode reads a model a trainer encoded.
func Decode(trainer string, data []byte, s *frame.Schema) (Model, error) {
	switch trainer {
	case "gbdt":
		var m gbdt.Model
		if err := m.UnmarshalBinary(data); err != nil {
			return nil, err
		}
		return gbdtModel{&m}, nil
	case "logistic", "linear":
		var m linear.Model
		if err := m.UnmarshalBinary(data); err != nil {
			return nil, err
		}
		return linearModel{&m, s.Target.Classes}, nil
	case "external":
		m, err := external.Unmarshal(data)
		if err != nil {
			return nil, err
		}
		return externalModel{m}, nil
	case "ensemble":
		return decodeEnsemble(data, s)
	}
	return nil, fmt.Errorf("%w: model of unknown trainer %q", dataset.ErrCorrupt, trainer)
}

type gbdtModel struct{ m *gbdt.Model }

func (g gbdtModel) Predict(_ context.Context, x *frame.Matrix, out []float64) error {
	if g.m.Task() == frame.Regression {
		return g.m.PredictValue(x, out)
	}
	return g.m.PredictProba(x, out)
}

func (g gbdtModel) MarshalBinary() ([]byte, error) { return g.m.MarshalBinary() }

// linearModel maps the fitted classes (those seen in training) onto the
// schema's classes.
type linearModel struct {
	m       *linear.Model
	classes []string
}

func (l linearModel) Predict(_ context.Context, x *frame.Matrix, out []float64) error {
	if l.m.Task == frame.Regression {
		t, err := l.m.Predict(x)
		if err != nil {
			return err
		}
		copy(out, t.Value)
		return nil
	}
	k := len(l.classes)
	if slices.Equal(l.m.Classes, l.classes) {
		return l.m.PredictProba(out, x)
	}
	kf := len(l.m.Classes)
	buf := make([]float64, x.Rows*kf)
	if err := l.m.PredictProba(buf, x); err != nil {
		return err
	}
	col := make([]int, kf)
	for j, c := range l.m.Classes {
		col[j] = slices.Index(l.classes, c)
	}
	for i := range x.Rows {
		row := out[i*k : i*k+k]
		clear(row)
		for j := range kf {
			row[col[j]] = buf[i*kf+j]
		}
	}
	return nil
}

func (l linearModel) MarshalBinary() ([]byte, error) { return l.m.MarshalBinary() }

type externalModel struct{ m *external.Model }

func (e externalModel) Predict(ctx context.Context, x *frame.Matrix, out []float64) error {
	return e.m.Predict(ctx, x, out)
}

func (e externalModel) MarshalBinary() ([]byte, error) { return e.m.MarshalBinary() }
