package labels

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/labels/review"
)

// Plan is what a decision log changes in a version.
type Plan struct {
	Column   string         // the label column
	Changes  []Change       // by row, the last decision's label
	Actions  map[string]int // effective decisions by action
	Metadata map[string]string
}

// PlanDecisions turns a review's decision log into changes to version m:
// the last decision per item counts; accept and relabel set the label of
// the item's rows, a later decision winning for a row two items share;
// skip changes nothing. Every decision must have been made for m (the
// same dataset, version and label column). The plan's metadata records
// the version reviewed, the label column, and the effective decisions
// (labels.decisions, JSON): the audit trail.
func PlanDecisions(m *dataset.Manifest, decisions []review.Decision, file string) (*Plan, error) {
	if len(decisions) == 0 {
		return nil, fmt.Errorf("%w: %s holds no decisions", dataset.ErrInvalid, file)
	}
	p := &Plan{Column: decisions[0].LabelColumn, Actions: map[string]int{}}
	for _, d := range decisions {
		if d.Dataset != m.Label() && d.Dataset != m.Dataset || d.Version != m.Version || d.LabelColumn != p.Column {
			return nil, fmt.Errorf("%w: %s: decisions made for %s (version %d, label column %q), not for %s (label column %q)",
				dataset.ErrInvalid, file, d.Dataset, d.Version, d.LabelColumn, m.Label(), p.Column)
		}
	}
	effective := review.Effective(decisions)
	label := map[int]string{}
	var order []int
	for _, d := range effective {
		p.Actions[d.Action]++
		if d.Action != review.Accept && d.Action != review.Relabel {
			continue
		}
		for _, r := range d.Rows {
			if _, seen := label[r]; !seen {
				order = append(order, r)
			}
			label[r] = d.Label
		}
	}
	for _, r := range order {
		p.Changes = append(p.Changes, Change{Row: r, Label: label[r]})
	}
	audit, err := json.Marshal(effective)
	if err != nil {
		return nil, err
	}
	p.Metadata = map[string]string{
		"labels.reviewed":  m.Label(),
		"labels.column":    p.Column,
		"labels.decisions": string(audit),
		"labels.changed":   strconv.Itoa(len(p.Changes)),
	}
	return p, nil
}
