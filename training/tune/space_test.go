package tune

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

const goodSpace = `trainer: gbdt
metric: cv.roc_auc
direction: maximize
space:
  learning_rate: {type: log_float, low: 0.01, high: 0.3}
  max_leaf_nodes: {type: int, low: 8, high: 64}
  l2_regularization: {type: float, low: 0, high: 1}
  max_depth: {type: categorical, choices: [3, 6, 0]}
  min_samples_leaf: {type: int, low: 5, high: 100, log: true}
  loss:
    type: categorical
    choices: [log_loss, "exponential", true, 0.5]
  subsample: {type: float, grid: [0.5, 0.8, 1]}
  bins: {type: int, low: 16, high: 256, step: 16}
  alpha: {type: float, low: 0, high: 1, step: 0.1, log: false}
`

func TestParse(t *testing.T) {
	s, err := Parse("space.yaml", []byte(goodSpace))
	if err != nil {
		t.Fatal(err)
	}
	if s.Trainer != "gbdt" || s.Metric != "cv.roc_auc" || s.Direction != Maximize {
		t.Errorf("got trainer %q, metric %q, direction %q", s.Trainer, s.Metric, s.Direction)
	}
	want := []Param{
		{Name: "learning_rate", Kind: KindFloat, Low: 0.01, High: 0.3, Log: true},
		{Name: "max_leaf_nodes", Kind: KindInt, Low: 8, High: 64},
		{Name: "l2_regularization", Kind: KindFloat, Low: 0, High: 1},
		{Name: "max_depth", Kind: KindCategorical, Choices: []any{int64(3), int64(6), int64(0)}},
		{Name: "min_samples_leaf", Kind: KindInt, Low: 5, High: 100, Log: true},
		{Name: "loss", Kind: KindCategorical, Choices: []any{"log_loss", "exponential", true, 0.5}},
		{Name: "subsample", Kind: KindFloat, Low: 0.5, High: 1, Grid: []float64{0.5, 0.8, 1}},
		{Name: "bins", Kind: KindInt, Low: 16, High: 256, Step: 16},
		{Name: "alpha", Kind: KindFloat, Low: 0, High: 1, Step: 0.1},
	}
	if len(s.Params) != len(want) {
		t.Fatalf("got %d params, want %d", len(s.Params), len(want))
	}
	for i, w := range want {
		g := s.Params[i]
		g.at = nil
		if !reflect.DeepEqual(g, w) {
			t.Errorf("param %d: got %+v, want %+v", i, g, w)
		}
	}
	// The space survives JSON.
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var back Space
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	for i := range back.Params {
		g := s.Params[i]
		g.at = nil
		if !reflect.DeepEqual(back.Params[i], g) {
			t.Errorf("JSON param %d: got %+v, want %+v", i, back.Params[i], g)
		}
	}
	if err := back.Validate(); err != nil {
		t.Errorf("space read back from JSON: %v", err)
	}
}

func TestParseErrors(t *testing.T) {
	const head = "direction: maximize\nspace:\n"
	cases := []struct {
		name, src string
		want      []string // the problems, in order
	}{
		{"yaml", head + "  a: {type: int, low: 1, high: 3\n", []string{"s.yaml:3:6: could not find flow mapping end token"}},
		{"unknown field", head + "  a: {type: int, lo: 1, high: 3}\n", []string{`s.yaml:3:18: unknown field "lo"`}},
		{"wrong type", head + "  a: {type: int, low: x, high: 3}\n", []string{"s.yaml:3:23: cannot unmarshal string"}},
		{"unknown top key", "direction: maximize\nspaces: {}\n", []string{`s.yaml:2:1: unknown field "spaces"`}},
		{"duplicate param", head + "  a: {type: int, low: 1, high: 3}\n  a: {type: int, low: 1, high: 3}\n", []string{`s.yaml:4:3: mapping key "a" already defined`}},
		{"space not a mapping", "direction: minimize\nspace: 3\n", []string{"s.yaml:2:8:"}},
		{"empty file", "", []string{"s.yaml: no parameters", "no direction"}},
		{"no direction", "space:\n  a: {type: int, low: 1, high: 3}\n", []string{"s.yaml:1:1: no direction: want direction: maximize or minimize"}},
		{"bad direction", "direction: maximise\nspace:\n  a: {type: int, low: 1, high: 3}\n", []string{`s.yaml:1:1: direction "maximise": want maximize or minimize (did you mean "maximize"?)`}},
		{"no params", head + "", []string{"s.yaml:2:1: no parameters"}},
		{"low > high", head + "  a: {type: int, low: 5, high: 1}\n", []string{"s.yaml:3:18: a: low 5 is greater than high 1"}},
		{"float low > high block", head + "  a:\n    type: float\n    low: 1\n    high: 0\n", []string{"s.yaml:5:5: a: low 1 is greater than high 0"}},
		{"unknown type", head + "  b: {type: lgo_float, low: 0, high: 1}\n", []string{`s.yaml:3:7: b: unknown type "lgo_float": want int, float, log_float or categorical (did you mean "log_float"?)`}},
		{"no type", head + "  b: {low: 0, high: 1}\n", []string{"s.yaml:3:3: b: no type"}},
		{"empty choices", head + "  c: {type: categorical, choices: []}\n", []string{"s.yaml:3:26: c: no choices"}},
		{"no choices", head + "  c: {type: categorical}\n", []string{"s.yaml:3:3: c: no choices"}},
		{"log float low 0", head + "  d: {type: log_float, low: 0, high: 1}\n", []string{"s.yaml:3:24: d: a log-scale float needs low > 0, got 0"}},
		{"log int low 0", head + "  e: {type: int, low: 0, high: 10, log: true}\n", []string{"s.yaml:3:18: e: a log-scale int needs low >= 1, got 0"}},
		{"log int step", head + "  e: {type: int, low: 1, high: 10, log: true, step: 3}\n", []string{"e: a log-scale int takes no step"}},
		{"log float step", head + "  e: {type: log_float, low: 1, high: 10, step: 3}\n", []string{"e: a log-scale float takes no step"}},
		{"log_float log false", head + "  e: {type: log_float, low: 1, high: 10, log: false}\n", []string{"e: log_float is on a log scale"}},
		{"no high", head + "  a: {type: int, low: 1}\n", []string{"s.yaml:3:3: a: no high"}},
		{"no low", head + "  a: {type: float, high: 1}\n", []string{"s.yaml:3:3: a: no low"}},
		{"int not integral", head + "  a: {type: int, low: 0.5, high: 3}\n", []string{"a: low 0.5 is not an integer"}},
		{"int too large", head + "  a: {type: int, low: 0, high: 1e17}\n", []string{"a: high 1e+17 is not an integer within ±2^53"}},
		{"infinite bound", head + "  a: {type: float, low: 0, high: .inf}\n", []string{"a: high +Inf is not a finite number"}},
		{"step zero", head + "  a: {type: float, low: 0, high: 1, step: 0}\n", []string{"a: step 0: want a positive number"}},
		{"step negative", head + "  a: {type: int, low: 0, high: 4, step: -2}\n", []string{"a: step -2: want a positive integer"}},
		{"float step misfit", head + "  a: {type: float, low: 0, high: 1, step: 0.3}\n", []string{"a: high 1 is not low 0 plus a multiple of step 0.3"}},
		{"int step misfit", head + "  a: {type: int, low: 0, high: 10, step: 3}\n", []string{"a: high 10 is not low 0 plus a multiple of step 3"}},
		{"grid outside", head + "  a: {type: int, low: 0, high: 10, grid: [1, 11, 2.5, 1]}\n", []string{
			"a: grid value 2 (11) is outside [0, 10]", "a: grid value 3 (2.5) is not an integer", "a: grid value 1 appears twice"}},
		{"empty grid", head + "  a: {type: float, low: 0, high: 1, grid: []}\n", []string{"a: empty grid"}},
		{"choices on int", head + "  a: {type: int, low: 0, high: 1, choices: [1]}\n", []string{"a: choices are for categorical parameters, not int"}},
		{"categorical extras", head + "  b: {type: categorical, choices: [1, 1, null, [2], {x: 1}], low: 3}\n", []string{
			"s.yaml:3:3: b: a categorical parameter takes choices only",
			"b: the choice 1 is given twice", "b: choice 3 is null", "b: choice 4 is a list", "b: choice 5 is a mapping"}},
		{"choice out of range", head + "  b: {type: categorical, choices: [18446744073709551615]}\n", []string{"b: choice 1 (18446744073709551615) is out of range"}},
		{"nan choice", head + "  b: {type: categorical, choices: [.nan]}\n", []string{"b: choice 1 (NaN) is not a finite number"}},
		{"all at once", head + "  a: {type: int, low: 5, high: 1}\n  b: {type: flaot, low: 0, high: 1}\n  c: {type: categorical, choices: []}\n", []string{
			"s.yaml:3:18: a: low 5", `s.yaml:4:7: b: unknown type "flaot"`, "(did you mean \"float\"?)", "s.yaml:5:26: c: no choices"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse("s.yaml", []byte(c.src))
			if !errors.Is(err, ErrSpace) {
				t.Fatalf("got %v, want ErrSpace", err)
			}
			msg := err.Error()
			at := 0
			for _, w := range c.want {
				i := strings.Index(msg[at:], w)
				if i < 0 {
					t.Fatalf("got\n%s\nwant (in order) %q", msg, c.want)
				}
				at += i + len(w)
			}
			var ps Problems
			if !errors.As(err, &ps) || len(ps) == 0 {
				t.Fatalf("got %T, want Problems", err)
			}
		})
	}
}

func TestValidateGo(t *testing.T) {
	s := &Space{Params: []Param{
		Int("a", 1, 10),
		LogFloat("lr", 0, 1),
		Categorical("c"),
		Categorical("d", 1, uint8(2), float32(0.5), "x", true, struct{}{}),
		Int("a", 1, 2),
		{Name: "", Kind: KindInt},
	}}
	err := s.Validate()
	want := "lr: a log-scale float needs low > 0, got 0\n" +
		"c: no choices: want a list of at least one value\n" +
		"d: choice 6 has type struct {}: choices are numbers, strings or booleans\n" +
		"a: a second parameter of that name\n" +
		"parameter 6 has no name"
	if !errors.Is(err, ErrSpace) || err.Error() != want {
		t.Errorf("got\n%v\nwant\n%s", err, want)
	}
	if got := Categorical("d", 1, uint8(2), float32(0.5)).Choices; !reflect.DeepEqual(got, []any{int64(1), int64(2), 0.5}) {
		t.Errorf("Categorical normalises to %#v", got)
	}
	ok := &Space{Params: []Param{Int("a", 1, 10), Float("b", 0, 0), Categorical("c", "x")}}
	if err := ok.Validate(); err != nil {
		t.Errorf("valid space: %v", err)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(goodSpace))
	f.Add([]byte("direction: minimize\nspace:\n  a: {type: int, low: 1, high: 3, step: 2}\n"))
	f.Add([]byte("direction: minimize\nspace:\n  a: {type: categorical, choices: [1, x, true]}\n"))
	f.Add([]byte("direction: minimize\nspace:\n  a: {type: float, grid: [0.5, 1]}\n"))
	f.Add([]byte("space: &a\n  b: *a\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse("f.yaml", data)
		if err != nil {
			if !errors.Is(err, ErrSpace) {
				t.Fatalf("error without ErrSpace: %v", err)
			}
			return
		}
		if err := s.Validate(); err != nil {
			t.Fatalf("parsed space does not validate: %v", err)
		}
		// Every sampler draws values that belong to the space.
		for i := range s.Params {
			p := &s.Params[i]
			x := randomValue(p, newSource(1, 0))
			checkValue(t, p, x)
			if a, msg := p.gridAxis(); msg == "" {
				for k := range min(a.n, 100) {
					checkValue(t, p, a.at(k))
				}
				checkValue(t, p, a.at(a.n-1))
			}
		}
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatalf("marshal: %v", err)
		}
		var back Space
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("unmarshal %s: %v", b, err)
		}
		if err := back.Validate(); err != nil {
			t.Fatalf("space read back from %s: %v", b, err)
		}
	})
}

// checkValue fails t unless internal value x is a value of p.
func checkValue(t *testing.T, p *Param, x float64) {
	t.Helper()
	switch p.Kind {
	case KindCategorical:
		if x != float64(int(x)) || x < 0 || int(x) >= len(p.Choices) {
			t.Fatalf("%s: choice index %v of %d", p.Name, x, len(p.Choices))
		}
		return
	case KindInt:
		if x != float64(int64(x)) {
			t.Fatalf("%s: %v is not an integer", p.Name, x)
		}
	}
	if !(x >= p.Low && x <= p.High) {
		t.Fatalf("%s: %v outside [%v, %v]", p.Name, x, p.Low, p.High)
	}
}
