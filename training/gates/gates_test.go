package gates

import (
	"errors"
	"strings"
	"testing"
)

const goodGates = `gates:
  - threshold: {metric: test.roc_auc, min: 0.80}
  - name: fair by gender
    group_gap: {metric: test.accuracy, by: gender, max_gap: 0.05, floor: 0.70}
  - beats_champion: {metric: test.roc_auc, margin: 0.005}
  - beats_champion: {metric: test.log_loss, margin: 0.01}
  - data_checks_passed: true
  - has_description: true
  - has_signature: true
`

func summary() map[string]float64 {
	return map[string]float64{
		"test.roc_auc": 0.84, "test.accuracy": 0.80, "test.log_loss": 0.42,
		"test.by.gender=Female.accuracy": 0.79, "test.by.gender=Male.accuracy": 0.81,
	}
}

func TestEvaluate(t *testing.T) {
	f, err := Parse("gates.yaml", []byte(goodGates))
	if err != nil {
		t.Fatal(err)
	}
	yes := true
	champ := func(alias, metric string) (float64, string, bool, error) {
		return map[string]float64{"test.roc_auc": 0.83, "test.log_loss": 0.45}[metric], "churn@v1", true, nil
	}
	c := Candidate{Summary: summary(), Description: "tuned", HasSig: true, Checks: &yes, Champion: champ}
	rs, err := f.Evaluate(c)
	if err != nil {
		t.Fatal(err)
	}
	if !Passed(rs) || len(rs) != 7 || rs[1].Gate != "fair by gender" || !strings.Contains(rs[1].Detail, "Female 0.79, Male 0.81; gap 0.02") {
		t.Fatalf("got %+v", rs)
	}
	if !strings.Contains(rs[2].Detail, "test.roc_auc 0.84 against the champion (churn@v1) 0.83 on the same holdout") {
		t.Errorf("beats: %s", rs[2].Detail)
	}

	// Each gate fails on its own.
	no := false
	s := summary()
	s["test.roc_auc"] = 0.832 // beats 0.83 by 0.002 < 0.005, and below 0.80? no: above
	s["test.by.gender=Female.accuracy"] = 0.65
	s["test.log_loss"] = 0.46 // worse than the champion's 0.45: lower is better
	c = Candidate{Summary: s, Checks: &no, Champion: champ}
	rs, _ = f.Evaluate(c)
	want := []struct {
		passed bool
		detail string
	}{
		{true, "test.roc_auc = 0.832"},
		{false, "gap 0.16 (gender=Male against gender=Female) over 0.05; gender=Female 0.65 below the floor 0.7"},
		{false, "improves by 0.002, less than the margin 0.005"},
		{false, "improves by -0.01, less than the margin 0.01"},
		{false, "the training data failed its checks"},
		{false, "the version has no description"},
		{false, "the model has no input signature"},
	}
	for i, w := range want {
		if rs[i].Passed != w.passed || !strings.Contains(rs[i].Detail, w.detail) {
			t.Errorf("gate %d (%s): got %v %q, want %v %q", i+1, rs[i].Gate, rs[i].Passed, rs[i].Detail, w.passed, w.detail)
		}
	}
	// Missing metrics and no champion.
	c = Candidate{Summary: map[string]float64{"test.accuracy": 0.9}}
	rs, _ = f.Evaluate(c)
	if rs[0].Passed || rs[0].Detail != "the run has no metric test.roc_auc (it has test.accuracy)" {
		t.Errorf("missing metric: %+v", rs[0])
	}
	if rs[1].Passed || !strings.Contains(rs[1].Detail, "no test.accuracy per gender") {
		t.Errorf("missing groups: %+v", rs[1])
	}
	if rs[4].Passed || !strings.Contains(rs[4].Detail, "no check run is stored") {
		t.Errorf("no checks: %+v", rs[4])
	}
	c.Summary["test.roc_auc"] = 0.9
	c.Summary["test.log_loss"] = 0.3
	rs, _ = f.Evaluate(c)
	if !rs[2].Passed || rs[2].Detail != "no champion to beat" {
		t.Errorf("no champion: %+v", rs[2])
	}
	c.Champion = func(string, string) (float64, string, bool, error) { return 0, "", false, errors.New("boom") }
	if _, err := f.Evaluate(c); err == nil || !strings.Contains(err.Error(), "score the champion on the candidate's holdout: boom") {
		t.Errorf("champion error: %v", err)
	}
}

func TestParseErrors(t *testing.T) {
	cases := []struct{ src, want string }{
		{"gates:\n  - threshold: {metric: test.auc, min: x}\n", "g.yaml:2:40: cannot unmarshal string into Go struct field .Gates of type float64"},
		{"gates:\n  - treshold: {metric: test.auc}\n", "g.yaml:2:5: unknown field \"treshold\""},
		{"gates: []\n", "no gates"},
		{"gates:\n  - threshold: {metric: auc, min: 1}\n", `gate 1: metric "auc": want SPLIT.METRIC`},
		{"gates:\n  - threshold: {metric: test.auc}\n", "gate 1: threshold on test.auc: give min, max or both"},
		{"gates:\n  - threshold: {metric: test.auc, min: 2, max: 1}\n", "min 2 is greater than max 1"},
		{"gates:\n  - has_signature: true\n    has_description: true\n", "got 2 (has_description, has_signature)"},
		{"gates:\n  - group_gap: {metric: test.accuracy, max_gap: 0.1}\n  - beats_champion: {metric: test.auc, margin: -1}\n", "gate 1: group_gap on test.accuracy: no by:"},
		{"gates:\n  - beats_champion: {metric: test.auc, margin: -1}\n", "gate 1: beats_champion on test.auc: margin must be at least 0"},
	}
	for _, c := range cases {
		_, err := Parse("g.yaml", []byte(c.src))
		if !errors.Is(err, ErrGates) || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "g.yaml") {
			t.Errorf("%q: got %v, want %q", c.src, err, c.want)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(goodGates))
	f.Add([]byte("gates:\n  - threshold: {metric: a.b, min: 1}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		g, err := Parse("f.yaml", data)
		if err != nil {
			if !errors.Is(err, ErrGates) {
				t.Fatalf("error without ErrGates: %v", err)
			}
			return
		}
		if _, err := g.Evaluate(Candidate{Summary: map[string]float64{}}); err != nil {
			t.Fatal(err)
		}
	})
}
