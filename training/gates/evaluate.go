package gates

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Candidate is what the gates judge: a model version about to take an
// alias.
type Candidate struct {
	// Summary is the version's flat metrics (see package doc).
	Summary     map[string]float64
	Description string
	HasSig      bool
	// Checks says whether the training data passed its checks; nil
	// means no check run was stored for it.
	Checks *bool
	// Champion scores the version that holds the alias a beats_champion
	// gate names, on the candidate's holdout; ok is false when no version
	// holds it (the gate passes: there is nothing to beat).
	Champion func(alias, metric string) (score float64, label string, ok bool, err error)
}

// Result is one gate's verdict.
type Result struct {
	Gate   string `json:"gate"`
	Passed bool   `json:"passed"`
	Detail string `json:"detail"`
}

// Evaluate runs every gate on the candidate, in file order. An error is
// returned only when scoring the champion fails.
func (f *File) Evaluate(c Candidate) ([]Result, error) {
	out := make([]Result, 0, len(f.Gates))
	for i := range f.Gates {
		g := &f.Gates[i]
		r := Result{Gate: g.Label()}
		switch {
		case g.Threshold != nil:
			r.Passed, r.Detail = threshold(g.Threshold, c.Summary)
		case g.GroupGap != nil:
			r.Passed, r.Detail = groupGap(g.GroupGap, c.Summary)
		case g.BeatsChampion != nil:
			var err error
			if r.Passed, r.Detail, err = beats(g.BeatsChampion, c); err != nil {
				return nil, err
			}
		case g.DataChecksPassed:
			switch {
			case c.Checks == nil:
				r.Detail = "no check run is stored for the training data (run assay check on it)"
			case *c.Checks:
				r.Passed, r.Detail = true, "the training data passed its checks"
			default:
				r.Detail = "the training data failed its checks"
			}
		case g.HasDescription:
			r.Passed = strings.TrimSpace(c.Description) != ""
			r.Detail = map[bool]string{true: "described", false: "the version has no description"}[r.Passed]
		case g.HasSignature:
			r.Passed = c.HasSig
			r.Detail = map[bool]string{true: "the model has an input signature", false: "the model has no input signature"}[r.Passed]
		}
		out = append(out, r)
	}
	return out, nil
}

// Passed reports whether every result passed.
func Passed(rs []Result) bool {
	for _, r := range rs {
		if !r.Passed {
			return false
		}
	}
	return true
}

func num(v float64) string { return strconv.FormatFloat(v, 'g', 4, 64) }

func threshold(t *Threshold, s map[string]float64) (bool, string) {
	v, ok := s[t.Metric]
	switch {
	case !ok:
		return false, fmt.Sprintf("the run has no metric %s%s", t.Metric, known(s, t.Metric))
	case math.IsNaN(v):
		return false, fmt.Sprintf("%s is undefined (NaN)", t.Metric)
	case t.Min != nil && v < *t.Min:
		return false, fmt.Sprintf("%s = %s, below the minimum %s", t.Metric, num(v), num(*t.Min))
	case t.Max != nil && v > *t.Max:
		return false, fmt.Sprintf("%s = %s, above the maximum %s", t.Metric, num(v), num(*t.Max))
	}
	return true, fmt.Sprintf("%s = %s", t.Metric, num(v))
}

// known lists the summary's metric names like want, for a message.
func known(s map[string]float64, want string) string {
	split, _, _ := strings.Cut(want, ".")
	var names []string
	for k := range s {
		if strings.HasPrefix(k, split+".") && !strings.Contains(k, ".by.") {
			names = append(names, k)
		}
	}
	if len(names) == 0 {
		return ""
	}
	slices.Sort(names)
	return " (it has " + strings.Join(names, ", ") + ")"
}

func groupGap(g *GroupGap, s map[string]float64) (bool, string) {
	split, metric, _ := strings.Cut(g.Metric, ".")
	prefix := split + ".by." + g.By + "="
	type slice struct {
		level string
		v     float64
	}
	var levels []slice
	for k, v := range s {
		rest, ok := strings.CutPrefix(k, prefix)
		if !ok {
			continue
		}
		if level, ok := strings.CutSuffix(rest, "."+metric); ok {
			levels = append(levels, slice{level, v})
		}
	}
	if len(levels) == 0 {
		return false, fmt.Sprintf("the run has no %s per %s (train with --group-by %s)", g.Metric, g.By, g.By)
	}
	slices.SortFunc(levels, func(a, b slice) int { return strings.Compare(a.level, b.level) })
	lo, hi := levels[0], levels[0]
	var parts, below []string
	for _, sl := range levels {
		if sl.v < lo.v {
			lo = sl
		}
		if sl.v > hi.v {
			hi = sl
		}
		parts = append(parts, sl.level+" "+num(sl.v))
		if g.Floor != nil && (sl.v < *g.Floor || math.IsNaN(sl.v)) {
			below = append(below, fmt.Sprintf("%s=%s %s below the floor %s", g.By, sl.level, num(sl.v), num(*g.Floor)))
		}
	}
	gap := hi.v - lo.v
	detail := fmt.Sprintf("%s by %s: %s; gap %s", g.Metric, g.By, strings.Join(parts, ", "), num(gap))
	var fails []string
	if g.MaxGap != nil && gap > *g.MaxGap {
		fails = append(fails, fmt.Sprintf("gap %s (%s=%s against %s=%s) over %s", num(gap), g.By, hi.level, g.By, lo.level, num(*g.MaxGap)))
	}
	fails = append(fails, below...)
	if len(fails) > 0 {
		return false, strings.Join(fails, "; ") + " (" + detail + ")"
	}
	return true, detail
}

func beats(b *Beats, c Candidate) (bool, string, error) {
	alias := b.Alias
	if alias == "" {
		alias = "champion"
	}
	mine, ok := c.Summary[b.Metric]
	if !ok {
		return false, fmt.Sprintf("the run has no metric %s%s", b.Metric, known(c.Summary, b.Metric)), nil
	}
	if c.Champion == nil {
		return true, "no " + alias + " to beat", nil
	}
	theirs, label, ok, err := c.Champion(alias, b.Metric)
	if err != nil {
		return false, "", fmt.Errorf("score the %s on the candidate's holdout: %w", alias, err)
	}
	if !ok {
		return true, "no " + alias + " to beat", nil
	}
	diff := mine - theirs
	if LowerIsBetter(b.Metric) {
		diff = theirs - mine
	}
	detail := fmt.Sprintf("%s %s against the %s (%s) %s on the same holdout", b.Metric, num(mine), alias, label, num(theirs))
	if diff < b.Margin || math.IsNaN(diff) {
		return false, fmt.Sprintf("%s: improves by %s, less than the margin %s", detail, num(diff), num(b.Margin)), nil
	}
	return true, detail, nil
}
