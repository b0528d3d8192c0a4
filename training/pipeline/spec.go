// Package pipeline reads the pipeline file (assay.yaml) that ties assay's
// parts into the retraining loop: a dataset, its checks, drift against a
// reference, a feature-store training set, training or tuning, the
// registry with its gates and champion alias, batch inference,
// notifications and the trigger policy.
//
//	dataset: churn
//	checks: churn-rules.yaml
//	drift: {reference: churn@october, threshold: 0.5}
//	train:
//	  target: Churn
//	  exclude: [customerID]
//	  trainer: gbdt
//	  cv: 5
//	  group_by: [gender]
//	tune: {space: space.yaml, trials: 20}
//	model: {name: churn-model, gates: gates.yaml, alias: champion}
//	predict: {output: churn-predictions, columns: [customerID]}
//	notify:
//	  - url: https://hooks.example.com/assay
//	    format: slack
//	    events: [checks_failed, drift_detected, promotion_refused]
//	trigger: {policy: on_drift}
//
// Every problem of a file is reported at once, with file:line:column.
package pipeline

import (
	"cmp"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/dataset/suggest"
	"github.com/assayhq/assay/dataset/yamlcheck"
)

// Spec is a pipeline file.
type Spec struct {
	// Dataset is the dataset the pipeline runs on, at each new version.
	Dataset string `yaml:"dataset"`
	// Steps are the steps to run, in the canonical order; none means
	// every step the file configures.
	Steps    []string  `yaml:"steps"`
	Checks   string    `yaml:"checks"`
	Drift    *Drift    `yaml:"drift"`
	Features *Features `yaml:"features"`
	Train    *Train    `yaml:"train"`
	Tune     *Tune     `yaml:"tune"`
	Model    *Model    `yaml:"model"`
	Predict  *Predict  `yaml:"predict"`
	Notify   []Notify  `yaml:"notify"`
	Trigger  Trigger   `yaml:"trigger"`

	// Dir is the directory of the file; the file paths in it are
	// relative to it.
	Dir string `yaml:"-"`
}

// Drift says what the new version is compared with.
type Drift struct {
	// Reference is a dataset ref (churn@october), or "previous" for the
	// version before the new one.
	Reference string `yaml:"reference"`
	// Threshold is the share of drifted columns that is dataset drift
	// (default 0.5, as Evidently's).
	Threshold float64  `yaml:"threshold"`
	Columns   []string `yaml:"columns"`
	Method    string   `yaml:"method"`
	// Stop stops the run on dataset drift (default: go on and retrain).
	Stop bool `yaml:"stop"`
}

// Features builds a point-in-time training set of the new version's rows
// as entities.
type Features struct {
	Features  []string `yaml:"features"` // a service, views or view:feature
	EventTime string   `yaml:"event_time"`
	// Definitions is the registry version; 0 means the newest.
	Definitions int `yaml:"definitions"`
}

// Train says how to train.
type Train struct {
	Target       string         `yaml:"target"`
	Features     []string       `yaml:"features"`
	Exclude      []string       `yaml:"exclude"`
	Categorical  []string       `yaml:"categorical"`
	Trainer      string         `yaml:"trainer"`
	Params       map[string]any `yaml:"params"`
	Command      string         `yaml:"command"`
	TestFraction float64        `yaml:"test_fraction"`
	CV           int            `yaml:"cv"`
	GroupBy      []string       `yaml:"group_by"`
	Seed         uint64         `yaml:"seed"`
}

// Tune replaces plain training by a study over a search space.
type Tune struct {
	Space    string `yaml:"space"`
	Sampler  string `yaml:"sampler"`
	Trials   int    `yaml:"trials"`
	CV       int    `yaml:"cv"`
	Parallel int    `yaml:"parallel"`
	Prune    bool   `yaml:"prune"`
}

// Model says where the trained model goes.
type Model struct {
	Name        string `yaml:"name"`
	Description string `yaml:"description"`
	Gates       string `yaml:"gates"`
	// Alias is moved to the new version when its gates pass (default
	// champion); Challenger is set on every registered version (default
	// challenger).
	Alias      string `yaml:"alias"`
	Challenger string `yaml:"challenger"`
}

// Predict runs batch inference with the alias's model on the new version.
type Predict struct {
	// Output is the dataset the predictions are committed to.
	Output  string   `yaml:"output"`
	Columns []string `yaml:"columns"`
}

// Notify is a webhook.
type Notify struct {
	URL string `yaml:"url"`
	// Format is json (default) or slack (a text payload).
	Format string `yaml:"format"`
	// SecretEnv names the environment variable holding the HMAC key.
	SecretEnv string `yaml:"secret_env"`
	// Events are the events sent; none means all.
	Events []string `yaml:"events"`
}

// Trigger says when watch runs the pipeline.
type Trigger struct {
	// Policy is every_version (default), on_drift or schedule.
	Policy string `yaml:"policy"`
	// Schedule is daily, weekly, monthly or a duration (36h): the least
	// time between runs.
	Schedule string `yaml:"schedule"`
}

// The steps, in their order.
var StepNames = []string{"checks", "drift", "features", "train", "register", "gates", "promote", "predict", "report"}

// The events webhooks can send.
var EventNames = []string{"dataset_committed", "checks_failed", "drift_detected", "model_registered", "promotion_accepted", "promotion_refused", "pipeline_failed"}

// The trigger policies.
var Policies = []string{"every_version", "on_drift", "schedule"}

// ParseFile reads and checks a pipeline file.
func ParseFile(path string) (*Spec, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", dataset.ErrInvalid, err)
	}
	return Parse(path, data)
}

// Parse reads and checks a pipeline file's bytes; path names it in
// errors, and its directory anchors the paths in it. Problems wrap
// yamlcheck.ErrYAML and dataset.ErrInvalid.
func Parse(path string, data []byte) (*Spec, error) {
	var s Spec
	f, err := yamlcheck.Decode(path, data, &s)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", dataset.ErrInvalid, err)
	}
	s.Dir = filepath.Dir(path)
	s.validate(f) // with the unknown keys Decode kept, if any
	if err := f.Err(); err != nil {
		return nil, fmt.Errorf("%w: %w", dataset.ErrInvalid, err)
	}
	s.defaults()
	return &s, nil
}

// oneOf checks a value among choices, with a suggestion.
func oneOf(f *yamlcheck.File, path, what, v string, choices []string) {
	if v == "" || slices.Contains(choices, v) {
		return
	}
	msg := fmt.Sprintf("%s: unknown %s %q (want %s)", path, what, v, strings.Join(choices, ", "))
	if near := suggest.Nearest(v, choices); near != "" {
		msg = fmt.Sprintf("%s: unknown %s %q; did you mean %s?", path, what, v, near)
	}
	f.Errorf(path, "%s", msg)
}

// file checks that a path names a readable file, relative to the spec.
func (s *Spec) file(f *yamlcheck.File, path, name string) {
	if name == "" {
		return
	}
	p := s.Path(name)
	if st, err := os.Stat(p); err != nil || st.IsDir() {
		f.Errorf(path, "%s: no file %s", path, p)
	}
}

// Path returns a path of the file, anchored at the file's directory.
func (s *Spec) Path(name string) string {
	if filepath.IsAbs(name) || s.Dir == "" {
		return name
	}
	return filepath.Join(s.Dir, name)
}

func (s *Spec) validate(f *yamlcheck.File) {
	if s.Dataset == "" {
		f.Errorf("dataset", "no dataset: name the dataset the pipeline runs on")
	} else if err := dataset.ValidateName("dataset", s.Dataset); err != nil {
		f.Errorf("dataset", "dataset: %v", err)
	}
	seen := map[string]bool{}
	last := -1
	for i, st := range s.Steps {
		p := fmt.Sprintf("steps[%d]", i)
		k := slices.Index(StepNames, st)
		switch {
		case k < 0:
			oneOf(f, p, "step", st, StepNames)
		case seen[st]:
			f.Errorf(p, "%s: step %s twice", p, st)
		case k < last:
			f.Errorf(p, "%s: step %s after %s: steps run in the order %s", p, st, StepNames[last], strings.Join(StepNames, ", "))
		default:
			last = k
		}
		seen[st] = true
	}
	s.file(f, "checks", s.Checks)
	if d := s.Drift; d != nil {
		if d.Reference == "" {
			f.Errorf("drift", "drift: no reference: a dataset ref, or previous")
		} else if d.Reference != "previous" {
			if _, err := dataset.ParseRef(d.Reference); err != nil {
				f.Errorf("drift.reference", "drift.reference: %v", err)
			}
		}
		if d.Threshold < 0 || d.Threshold > 1 {
			f.Errorf("drift.threshold", "drift.threshold: %v is not a share between 0 and 1", d.Threshold)
		}
	}
	if s.Features != nil && len(s.Features.Features) == 0 {
		f.Errorf("features", "features: name a service, views or view:feature references under features.features")
	}
	if t := s.Train; t != nil {
		if t.Target == "" {
			f.Errorf("train", "train: no target")
		}
		oneOf(f, "train.trainer", "trainer", t.Trainer, []string{"gbdt", "logistic", "linear", "external"})
		if t.Trainer == "external" && t.Command == "" {
			f.Errorf("train", "train: the external trainer needs a command")
		}
		if t.TestFraction < 0 || t.TestFraction >= 1 {
			f.Errorf("train.test_fraction", "train.test_fraction: %v is not in [0, 1)", t.TestFraction)
		}
		if t.CV == 1 || t.CV < 0 {
			f.Errorf("train.cv", "train.cv: %d folds: want 0 (none) or at least 2", t.CV)
		}
	}
	if t := s.Tune; t != nil {
		if s.Train == nil {
			f.Errorf("tune", "tune: a study needs a train section for its data (target, features)")
		}
		if t.Space == "" {
			f.Errorf("tune", "tune: no space file")
		}
		s.file(f, "tune.space", t.Space)
		oneOf(f, "tune.sampler", "sampler", t.Sampler, []string{"tpe", "random", "grid"})
		if t.Trials < 0 || t.CV == 1 || t.CV < 0 || t.Parallel < 0 {
			f.Errorf("tune", "tune: trials and parallel must not be negative, cv 0 or at least 2")
		}
	}
	if m := s.Model; m != nil {
		if m.Name == "" {
			f.Errorf("model", "model: no name")
		}
		s.file(f, "model.gates", m.Gates)
		if s.Train == nil {
			f.Errorf("model", "model: nothing trains it (add a train section)")
		}
	}
	if p := s.Predict; p != nil {
		if s.Model == nil {
			f.Errorf("predict", "predict: no model section names the model to predict with")
		}
		if p.Output != "" {
			if err := dataset.ValidateName("dataset", p.Output); err != nil {
				f.Errorf("predict.output", "predict.output: %v", err)
			}
		}
	}
	for i, n := range s.Notify {
		p := fmt.Sprintf("notify[%d]", i)
		u, err := url.Parse(n.URL)
		if n.URL == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			f.Errorf(p+".url", "%s.url: want an http:// or https:// URL, got %q", p, n.URL)
		}
		oneOf(f, p+".format", "format", n.Format, []string{"json", "slack"})
		for j, e := range n.Events {
			oneOf(f, fmt.Sprintf("%s.events[%d]", p, j), "event", e, EventNames)
		}
	}
	oneOf(f, "trigger.policy", "policy", s.Trigger.Policy, Policies)
	if s.Trigger.Policy == "schedule" {
		if _, err := ScheduleInterval(s.Trigger.Schedule); err != nil {
			f.Errorf("trigger.schedule", "trigger.schedule: %v", err)
		}
	} else if s.Trigger.Schedule != "" {
		f.Errorf("trigger.schedule", "trigger.schedule: applies to policy schedule, not %s", cmp.Or(s.Trigger.Policy, "every_version"))
	}
	for _, st := range s.Steps {
		if missing := s.needs(st); missing != "" {
			f.Errorf("steps", "steps: %s needs a %s section", st, missing)
		}
	}
}

// needs returns the section a step needs that the file lacks, or "".
func (s *Spec) needs(step string) string {
	switch {
	case step == "checks" && s.Checks == "":
		return "checks"
	case step == "drift" && s.Drift == nil:
		return "drift"
	case step == "features" && s.Features == nil:
		return "features"
	case step == "train" && s.Train == nil:
		return "train"
	case (step == "register" || step == "gates" || step == "promote") && s.Model == nil:
		return "model"
	case step == "predict" && s.Predict == nil:
		return "predict"
	}
	return ""
}

// defaults fills what the file leaves out.
func (s *Spec) defaults() {
	if len(s.Steps) == 0 {
		for _, st := range StepNames {
			if s.needs(st) == "" {
				s.Steps = append(s.Steps, st)
			}
		}
	}
	if s.Drift != nil && s.Drift.Threshold == 0 {
		s.Drift.Threshold = 0.5
	}
	if t := s.Train; t != nil {
		if t.Trainer == "" {
			t.Trainer = "gbdt"
		}
		if t.TestFraction == 0 {
			t.TestFraction = 0.2
		}
		if t.Seed == 0 {
			t.Seed = 42
		}
	}
	if t := s.Tune; t != nil {
		t.Sampler = cmp.Or(t.Sampler, "tpe")
		if t.Trials == 0 {
			t.Trials = 20
		}
		if t.CV == 0 {
			t.CV = 5
		}
		if t.Parallel == 0 {
			t.Parallel = 1
		}
	}
	if m := s.Model; m != nil {
		m.Alias = cmp.Or(m.Alias, "champion")
		m.Challenger = cmp.Or(m.Challenger, "challenger")
	}
	for i := range s.Notify {
		s.Notify[i].Format = cmp.Or(s.Notify[i].Format, "json")
	}
	s.Trigger.Policy = cmp.Or(s.Trigger.Policy, "every_version")
}

// Has reports whether the pipeline runs a step.
func (s *Spec) Has(step string) bool { return slices.Contains(s.Steps, step) }

// ScheduleInterval reads a schedule: daily, weekly, monthly (30 days) or
// a duration of at least a minute.
func ScheduleInterval(s string) (time.Duration, error) {
	switch s {
	case "daily":
		return 24 * time.Hour, nil
	case "weekly":
		return 7 * 24 * time.Hour, nil
	case "monthly":
		return 30 * 24 * time.Hour, nil
	case "":
		return 0, fmt.Errorf("no schedule: want daily, weekly, monthly or a duration such as 36h")
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < time.Minute {
		return 0, fmt.Errorf("%q: want daily, weekly, monthly or a duration of at least 1m, such as 36h", s)
	}
	return d, nil
}
