package pipeline

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/dataset/yamlcheck"
)

func TestParseFile(t *testing.T) {
	s, err := ParseFile("testdata/assay.yaml")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"checks", "drift", "train", "register", "gates", "promote", "predict", "report"}
	if !slices.Equal(s.Steps, want) {
		t.Errorf("steps %v, want %v", s.Steps, want)
	}
	if s.Drift.Threshold != 0.5 || s.Train.Trainer != "gbdt" || s.Train.TestFraction != 0.2 || s.Train.Seed != 42 ||
		s.Model.Alias != "champion" || s.Model.Challenger != "challenger" || s.Notify[0].Format != "slack" || s.Trigger.Policy != "on_drift" {
		t.Errorf("defaults: %+v %+v %+v", s.Drift, s.Train, s.Model)
	}
	if s.Train.Params["max_iter"] == nil || s.Path("rules.yaml") != "testdata/rules.yaml" || !s.Has("predict") || s.Has("features") {
		t.Errorf("params %v, path %s", s.Train.Params, s.Path("rules.yaml"))
	}
}

func TestParseProblems(t *testing.T) {
	src := `dataset: churn
steps: [checks, trian, drift, checks]
checks: nope.yaml
drift: {reference: "churn@@x", threshold: 2}
train: {target: Churn, trainer: logistc, cv: 1}
tune: {space: space.yaml, sampler: bayes}
model: {name: m, gates: missing.yaml}
notify:
  - url: ftp://x
    events: [drift_detectd]
trigger: {policy: hourly, schedule: 1s}
predict: {output: "bad name!"}
`
	_, err := Parse("testdata/p.yaml", []byte(src))
	if !errors.Is(err, dataset.ErrInvalid) || !errors.Is(err, yamlcheck.ErrYAML) {
		t.Fatalf("got %v", err)
	}
	for _, want := range []string{
		`testdata/p.yaml:2:17: steps[1]: unknown step "trian"; did you mean train?`,
		"steps[3]: step checks twice",
		"testdata/p.yaml:3:9: checks: no file testdata/nope.yaml",
		"drift.reference: ",
		"drift.threshold: 2 is not a share between 0 and 1",
		`train.trainer: unknown trainer "logistc"; did you mean logistic?`,
		"train.cv: 1 folds",
		"tune.space: no file testdata/space.yaml",
		`tune.sampler: unknown sampler "bayes"`,
		"model.gates: no file testdata/missing.yaml",
		`notify[0].url: want an http:// or https:// URL, got "ftp://x"`,
		`notify[0].events[0]: unknown event "drift_detectd"; did you mean drift_detected?`,
		`trigger.policy: unknown policy "hourly"`,
		"trigger.schedule: applies to policy schedule",
		"predict.output: ",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in\n%v", want, err)
		}
	}
	if _, err := Parse("p.yaml", []byte("dataset: churn\nsteps: [train, checks]\ntrain: {target: x}\nchecks: testdata/rules.yaml\n")); err == nil || !strings.Contains(err.Error(), "steps[1]: step checks after train: steps run in the order checks, drift") {
		t.Errorf("order: %v", err)
	}
	if _, err := Parse("p.yaml", []byte("dataset: churn\nsteps: [drift]\n")); err == nil || !strings.Contains(err.Error(), "steps: drift needs a drift section") {
		t.Errorf("a step without its section: %v", err)
	}
	// Unknown keys come from the file's shape, all at once.
	_, err = Parse("p.yaml", []byte("dataset: churn\ntrian: {target: x}\nmodel: {nme: m}\n"))
	for _, want := range []string{"p.yaml:2:1: unknown key trian in the file; did you mean train?", "p.yaml:3:9: unknown key nme in model; did you mean name?"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in %v", want, err)
		}
	}
}

func TestSchedule(t *testing.T) {
	for s, ok := range map[string]bool{"daily": true, "weekly": true, "monthly": true, "36h": true, "30s": false, "": false, "often": false} {
		if _, err := ScheduleInterval(s); (err == nil) != ok {
			t.Errorf("%q: %v", s, err)
		}
	}
	if _, err := Parse("p.yaml", []byte("dataset: churn\ntrigger: {policy: schedule}\n")); err == nil || !strings.Contains(err.Error(), "trigger.schedule: no schedule") {
		t.Errorf("schedule policy without a schedule: %v", err)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("dataset: churn\nsteps: [checks]\nchecks: x.yaml\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if _, err := Parse("f.yaml", data); err != nil && !errors.Is(err, dataset.ErrInvalid) {
			t.Fatalf("error without ErrInvalid: %v", err)
		}
	})
}
