package linear

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/assayhq/assay/training/frame"
)

// fitted fits the binary and regression fixtures' models.
func fitted(t testing.TB) (classifier, regressor *Model, test *frame.Matrix) {
	t.Helper()
	var err error
	f := loadFixture(t, "binary")
	classifier, err = Fit(context.Background(), f.Train.matrix(t), f.target(t), Options{Design: DesignOptions{Standardize: true}})
	if err != nil {
		t.Fatal(err)
	}
	g := loadFixture(t, "regression")
	regressor, err = Fit(context.Background(), g.Train.matrix(t), g.target(t), Options{Design: DesignOptions{Standardize: true}, Linear: LinearOptions{Alpha: 1}})
	if err != nil {
		t.Fatal(err)
	}
	return classifier, regressor, f.Test.matrix(t)
}

func TestModelRoundTrip(t *testing.T) {
	classifier, regressor, test := fitted(t)
	for _, m := range []*Model{classifier, regressor} {
		t.Run(m.Task.String(), func(t *testing.T) {
			data, err := m.MarshalBinary()
			if err != nil {
				t.Fatal(err)
			}
			var back Model
			if err := back.UnmarshalBinary(data); err != nil {
				t.Fatal(err)
			}
			again, err := back.MarshalBinary()
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(data, again) {
				t.Errorf("a second round trip changed the bytes:\n%s\n%s", data, again)
			}
			want, err := m.Predict(test)
			if err != nil {
				t.Fatal(err)
			}
			got, err := back.Predict(test)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got.Class, want.Class) || !slices.Equal(got.Value, want.Value) || !slices.Equal(got.Classes, want.Classes) {
				t.Error("the decoded model predicts differently")
			}
			if m.Task == frame.Classification {
				p1 := make([]float64, test.Rows*2)
				p2 := make([]float64, test.Rows*2)
				if err := m.PredictProba(p1, test); err != nil {
					t.Fatal(err)
				}
				if err := back.PredictProba(p2, test); err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(p1, p2) {
					t.Error("the decoded model gives other probabilities")
				}
			}
		})
	}
}

func TestModelUnmarshalCorrupt(t *testing.T) {
	classifier, regressor, _ := fitted(t)
	good, err := classifier.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	reg, err := regressor.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	s := string(good)
	edit := func(old, new string) []byte {
		if !strings.Contains(s, old) {
			t.Fatalf("%q is not in the model", old)
		}
		return []byte(strings.Replace(s, old, new, 1))
	}
	tests := []struct {
		name string
		data []byte
	}{
		{"empty", nil},
		{"not JSON", []byte("linear model")},
		{"truncated", good[:len(good)/2]},
		{"trailing data", append(slices.Clone(good), "{}"...)},
		{"other format", edit(`"format":"assay.linear.model"`, `"format":"assay.tree.model"`)},
		{"newer version", edit(`"version":1`, `"version":2`)},
		{"unknown field", edit(`"version":1`, `"version":1,"extra":true`)},
		{"unknown task", edit(`"task":"classification"`, `"task":"ranking"`)},
		{"unsorted classes", edit(`"classes":["no","yes"]`, `"classes":["yes","no"]`)},
		{"one class", edit(`"classes":["no","yes"]`, `"classes":["no"]`)},
		{"unknown kind", edit(`"kind":"numeric"`, `"kind":"text"`)},
		{"zero scale", edit(`"mean":3,"scale":1}`, `"mean":3,"scale":0}`)},
		{"unsorted levels", edit(`"levels":["blue","green"`, `"levels":["green","blue"`)},
		{"repeated input", edit(`"name":"x2"`, `"name":"x1"`)},
		{"extra coefficient", edit(`"coef":[`, `"coef":[1e308,`)},
		{"classification without estimator", without(t, good, "logistic")},
		{"without design", without(t, good, "design")},
		{"huge number", edit(`"intercept":[`, `"intercept":[1e999,`)},
		{"regression with a logistic regression", edit(`"task":"classification"`, `"task":"regression"`)},
		{"classification with a linear regression", []byte(strings.Replace(string(reg), `"task":"regression"`, `"task":"classification","classes":["a","b"]`, 1))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var m Model
			if err := m.UnmarshalBinary(tt.data); !errors.Is(err, ErrCorrupt) {
				t.Errorf("got error %v, want ErrCorrupt", err)
			}
			if m.Design != nil {
				t.Error("a failed decode changed the model")
			}
		})
	}
}

// without returns the JSON object data less its key.
func without(t *testing.T, data []byte, key string) []byte {
	t.Helper()
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(data, &obj); err != nil {
		t.Fatal(err)
	}
	if _, ok := obj[key]; !ok {
		t.Fatalf("no key %q", key)
	}
	delete(obj, key)
	out, err := json.Marshal(obj)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// FuzzModelUnmarshal checks that no input panics the decoder, and that a
// model it accepts predicts without panicking and encodes back to bytes
// that decode to the same model.
func FuzzModelUnmarshal(f *testing.F) {
	classifier, regressor, _ := fitted(f)
	for _, m := range []*Model{classifier, regressor} {
		data, err := m.MarshalBinary()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"format":"assay.linear.model","version":1,"target":"t","task":"regression","design":{"standardize":false,"inputs":[{"name":"a","kind":"categorical","levels":["x","y"]}]},"linear":{"coef":[1,2],"intercept":0,"alpha":0,"rank":2}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var m Model
		if err := m.UnmarshalBinary(data); err != nil {
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("got error %v, want ErrCorrupt", err)
			}
			return
		}
		// A frame with every input the model needs, three rows.
		x := &frame.Matrix{Rows: 3}
		for _, in := range m.Design.Inputs {
			feat := frame.Feature{Name: in.Name, Kind: in.Kind}
			if in.Kind == frame.Categorical {
				feat.Levels = []string{"", "x"}
				if len(in.Levels) > 0 {
					feat.Levels = []string{in.Levels[0], in.Levels[0] + "\x00unseen"}
				}
				feat.Cat = []int32{0, 1, frame.Missing}
			} else {
				feat.Num = []float64{in.Mean, nan, -1e300}
			}
			x.Features = append(x.Features, feat)
		}
		if _, err := m.Predict(x); err != nil {
			t.Fatalf("predict with an accepted model: %v", err)
		}
		if m.Task == frame.Classification {
			if err := m.PredictProba(make([]float64, 3*len(m.Classes)), x); err != nil {
				t.Fatalf("probabilities with an accepted model: %v", err)
			}
		}
		again, err := m.MarshalBinary()
		if err != nil {
			t.Fatalf("marshal an accepted model: %v", err)
		}
		var back Model
		if err := back.UnmarshalBinary(again); err != nil {
			t.Fatalf("decode a re-encoded model: %v", err)
		}
		third, _ := back.MarshalBinary()
		if !bytes.Equal(again, third) {
			t.Fatal("encoding is not stable")
		}
	})
}
