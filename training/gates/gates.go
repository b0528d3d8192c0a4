// Package gates decides whether a model version may take an alias
// (champion, say): a YAML file declares the gates, and every gate must
// pass. Each result is recorded on the version as a tag, and a refusal
// says which gates failed and why.
//
//	gates:
//	  - threshold: {metric: test.roc_auc, min: 0.80}
//	  - group_gap: {metric: test.accuracy, by: gender, max_gap: 0.05, floor: 0.70}
//	  - beats_champion: {metric: test.roc_auc, margin: 0.005}
//	  - data_checks_passed: true
//	  - has_description: true
//	  - has_signature: true
//
// Metric names are those of a run's summary: SPLIT.METRIC (test.roc_auc,
// cv.accuracy) and, per group, SPLIT.by.COLUMN=LEVEL.METRIC.
package gates

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"

	"github.com/goccy/go-yaml"
)

// ErrGates marks a gate file that does not parse or validate.
var ErrGates = errors.New("bad gate file")

// File is a parsed gate file.
type File struct {
	Path  string
	Gates []Gate
}

// Gate is one gate: exactly one of its kinds is set.
type Gate struct {
	Name             string     `yaml:"name"`
	Threshold        *Threshold `yaml:"threshold"`
	GroupGap         *GroupGap  `yaml:"group_gap"`
	BeatsChampion    *Beats     `yaml:"beats_champion"`
	DataChecksPassed bool       `yaml:"data_checks_passed"`
	HasDescription   bool       `yaml:"has_description"`
	HasSignature     bool       `yaml:"has_signature"`
}

// Threshold bounds a metric.
type Threshold struct {
	Metric string   `yaml:"metric"`
	Min    *float64 `yaml:"min"`
	Max    *float64 `yaml:"max"`
}

// GroupGap bounds a metric across the levels of a group column: the
// largest minus the smallest at most MaxGap, each at least Floor.
type GroupGap struct {
	Metric string   `yaml:"metric"` // SPLIT.METRIC, as test.accuracy
	By     string   `yaml:"by"`
	MaxGap *float64 `yaml:"max_gap"`
	Floor  *float64 `yaml:"floor"`
}

// Beats asks for a better metric than the current champion's, by at
// least Margin, both measured on the candidate's holdout.
type Beats struct {
	Metric string  `yaml:"metric"`
	Margin float64 `yaml:"margin"`
	// Alias is the alias to beat; "" means champion.
	Alias string `yaml:"alias"`
}

// ParseFile reads and validates a gate file.
func ParseFile(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrGates, err)
	}
	return Parse(path, data)
}

// Parse reads and validates a gate file's bytes; path names it in errors.
func Parse(path string, data []byte) (*File, error) {
	var doc struct {
		Gates []Gate `yaml:"gates"`
	}
	if err := decode(data, &doc); err != nil {
		// "[3:10] message" becomes "path:3:10: message".
		msg := yaml.FormatError(err, false, false)
		if pos, rest, ok := strings.Cut(strings.TrimPrefix(msg, "["), "] "); ok && strings.HasPrefix(msg, "[") {
			return nil, fmt.Errorf("%w: %s:%s: %s", ErrGates, path, pos, rest)
		}
		return nil, fmt.Errorf("%w: %s: %s", ErrGates, path, msg)
	}
	f := &File{Path: path, Gates: doc.Gates}
	var probs []string
	if len(f.Gates) == 0 {
		probs = append(probs, "no gates: want a list under gates:")
	}
	for i := range f.Gates {
		if err := f.Gates[i].validate(); err != nil {
			probs = append(probs, fmt.Sprintf("gate %d: %v", i+1, err))
		}
	}
	if len(probs) > 0 {
		return nil, fmt.Errorf("%w: %s: %s", ErrGates, path, strings.Join(probs, "; "))
	}
	return f, nil
}

// decode decodes YAML strictly. The decoder panics on some malformed
// input (a tag where a list is expected, found by fuzzing); that is
// reported as bad YAML.
func decode(data []byte, v any) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("bad YAML (the decoder failed: %v)", r)
		}
	}()
	return yaml.NewDecoder(bytes.NewReader(data), yaml.Strict(), yaml.DisallowUnknownField()).Decode(v)
}

// kinds returns the kinds set on g.
func (g *Gate) kinds() []string {
	var k []string
	if g.Threshold != nil {
		k = append(k, "threshold")
	}
	if g.GroupGap != nil {
		k = append(k, "group_gap")
	}
	if g.BeatsChampion != nil {
		k = append(k, "beats_champion")
	}
	if g.DataChecksPassed {
		k = append(k, "data_checks_passed")
	}
	if g.HasDescription {
		k = append(k, "has_description")
	}
	if g.HasSignature {
		k = append(k, "has_signature")
	}
	return k
}

func (g *Gate) validate() error {
	k := g.kinds()
	if len(k) != 1 {
		return fmt.Errorf("want exactly one of threshold, group_gap, beats_champion, data_checks_passed, has_description, has_signature; got %d (%s)", len(k), strings.Join(k, ", "))
	}
	switch {
	case g.Threshold != nil:
		t := g.Threshold
		if err := checkMetric(t.Metric); err != nil {
			return err
		}
		if t.Min == nil && t.Max == nil {
			return fmt.Errorf("threshold on %s: give min, max or both", t.Metric)
		}
		if t.Min != nil && t.Max != nil && *t.Min > *t.Max {
			return fmt.Errorf("threshold on %s: min %v is greater than max %v", t.Metric, *t.Min, *t.Max)
		}
	case g.GroupGap != nil:
		gg := g.GroupGap
		if err := checkMetric(gg.Metric); err != nil {
			return err
		}
		if gg.By == "" {
			return fmt.Errorf("group_gap on %s: no by: name the group column", gg.Metric)
		}
		if gg.MaxGap == nil && gg.Floor == nil {
			return fmt.Errorf("group_gap on %s by %s: give max_gap, floor or both", gg.Metric, gg.By)
		}
		if gg.MaxGap != nil && *gg.MaxGap < 0 {
			return fmt.Errorf("group_gap on %s by %s: negative max_gap", gg.Metric, gg.By)
		}
	case g.BeatsChampion != nil:
		b := g.BeatsChampion
		if err := checkMetric(b.Metric); err != nil {
			return err
		}
		if b.Margin < 0 || math.IsNaN(b.Margin) {
			return fmt.Errorf("beats_champion on %s: margin must be at least 0", b.Metric)
		}
	}
	return nil
}

// checkMetric checks a SPLIT.METRIC name.
func checkMetric(m string) error {
	split, name, ok := strings.Cut(m, ".")
	if !ok || split == "" || name == "" || strings.Contains(name, ".by.") {
		return fmt.Errorf("metric %q: want SPLIT.METRIC, as test.roc_auc", m)
	}
	return nil
}

// Label returns the gate's name, or one made of its kind and metric.
func (g *Gate) Label() string {
	if g.Name != "" {
		return g.Name
	}
	switch {
	case g.Threshold != nil:
		return "threshold " + g.Threshold.Metric
	case g.GroupGap != nil:
		return "group_gap " + g.GroupGap.Metric + " by " + g.GroupGap.By
	case g.BeatsChampion != nil:
		return "beats_champion " + g.BeatsChampion.Metric
	}
	return g.kinds()[0]
}

// LowerIsBetter reports whether smaller values of a metric are better.
func LowerIsBetter(metric string) bool {
	_, name, _ := strings.Cut(metric, ".")
	return slices.Contains([]string{"log_loss", "rmse", "mae", "mse"}, name)
}
