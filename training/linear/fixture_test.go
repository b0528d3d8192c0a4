package linear

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/assayhq/assay/training/frame"
)

// fixture is one testdata/*.json file written by gen_sklearn.py.
type fixture struct {
	Name        string            `json:"name"`
	Versions    map[string]string `json:"versions"`
	Standardize bool              `json:"standardize"`
	Train       fixtureFrame      `json:"train"`
	Target      struct {
		Name   string          `json:"name"`
		Task   string          `json:"task"`
		Values json.RawMessage `json:"values"`
	} `json:"target"`
	Test   fixtureFrame `json:"test"`
	Design struct {
		Columns []string    `json:"columns"`
		Train   [][]float64 `json:"train"`
		Test    [][]float64 `json:"test"`
	} `json:"design"`
	Models []fixtureModel `json:"models"`
}

type fixtureFrame struct {
	Rows     int `json:"rows"`
	Features []struct {
		Name   string          `json:"name"`
		Kind   string          `json:"kind"`
		Values json.RawMessage `json:"values"`
	} `json:"features"`
}

type fixtureModel struct {
	Estimator string  `json:"estimator"`
	C         float64 `json:"C"`
	MaxIter   int     `json:"max_iter"`
	Tol       float64 `json:"tol"`
	Alpha     float64 `json:"alpha"`
	Rank      int     `json:"rank"`
	NIter     int     `json:"n_iter"`
	Classes   []string
	// Coef is [][]float64 for logistic regression and []float64 for
	// linear regression, as scikit-learn shapes coef_.
	Coef      json.RawMessage `json:"coef"`
	Intercept json.RawMessage `json:"intercept"`
	Proba     [][]float64     `json:"proba"`
	Predict   json.RawMessage `json:"predict"`
}

func loadFixture(t testing.TB, name string) *fixture {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var f fixture
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return &f
}

func mustUnmarshal(t testing.TB, data json.RawMessage, v any) {
	t.Helper()
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatal(err)
	}
}

// matrix builds a frame.Matrix the way a loader would: numbers with NaN
// for null, strings coded into their sorted distinct values.
func (ff *fixtureFrame) matrix(t testing.TB) *frame.Matrix {
	t.Helper()
	m := &frame.Matrix{Rows: ff.Rows}
	for _, f := range ff.Features {
		feat := frame.Feature{Name: f.Name}
		switch f.Kind {
		case "numeric":
			var vals []*float64
			mustUnmarshal(t, f.Values, &vals)
			feat.Kind = frame.Numeric
			for _, v := range vals {
				if v == nil {
					feat.Num = append(feat.Num, math.NaN())
				} else {
					feat.Num = append(feat.Num, *v)
				}
			}
		case "categorical":
			var vals []*string
			mustUnmarshal(t, f.Values, &vals)
			feat.Kind = frame.Categorical
			feat.Cat, feat.Levels = codes(vals)
		default:
			t.Fatalf("feature %s: kind %q", f.Name, f.Kind)
		}
		m.Features = append(m.Features, feat)
	}
	if err := m.Validate(); err != nil {
		t.Fatal(err)
	}
	return m
}

// codes codes strings into their sorted distinct values; nil is Missing.
func codes(vals []*string) ([]int32, []string) {
	var levels []string
	for _, v := range vals {
		if v != nil {
			levels = append(levels, *v)
		}
	}
	slices.Sort(levels)
	levels = slices.Compact(levels)
	out := make([]int32, len(vals))
	for i, v := range vals {
		out[i] = frame.Missing
		if v != nil {
			k, _ := slices.BinarySearch(levels, *v)
			out[i] = int32(k)
		}
	}
	return out, levels
}

func (f *fixture) target(t testing.TB) *frame.Target {
	t.Helper()
	y := &frame.Target{Name: f.Target.Name}
	switch f.Target.Task {
	case "classification":
		var vals []*string
		mustUnmarshal(t, f.Target.Values, &vals)
		y.Task = frame.Classification
		y.Class, y.Classes = codes(vals)
	case "regression":
		y.Task = frame.Regression
		mustUnmarshal(t, f.Target.Values, &y.Value)
	default:
		t.Fatalf("task %q", f.Target.Task)
	}
	return y
}

// near reports whether got is within tol of want, absolutely or
// relatively to |want|: |got − want| ≤ tol·max(1, |want|).
func near(got, want, tol float64) bool {
	return math.Abs(got-want) <= tol*max(1, math.Abs(want))
}
