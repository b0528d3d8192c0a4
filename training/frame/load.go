package frame

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/dataset/table"
)

// LoadOptions say which columns of a source become the features and the
// target of a training Matrix.
type LoadOptions struct {
	// Target is the column to predict.
	Target string
	// Features are the feature columns; nil means every column but the
	// target, Exclude and date or timestamp columns.
	Features []string
	Exclude  []string
	// Categorical names numeric columns to treat as categories (codes
	// such as SeniorCitizen 0/1). Text and boolean columns always are.
	Categorical []string
	// Task is "classification", "regression" or "" (auto: floats are
	// regression, anything else classification).
	Task    string
	Workers int
}

// Column describes one feature as a model saw it in training.
type Column struct {
	Name   string       `json:"name"`
	Type   dataset.Type `json:"type"`
	Kind   Kind         `json:"kind"`
	Levels []string     `json:"levels,omitempty"` // categorical: the training levels, sorted
}

// Schema is a model's signature: its features, with their types, kinds
// and levels, and its target.
type Schema struct {
	Features []Column   `json:"features"`
	Target   TargetSpec `json:"target"`
}

// TargetSpec describes a model's target.
type TargetSpec struct {
	Name    string       `json:"name"`
	Type    dataset.Type `json:"type"`
	Task    Task         `json:"task"`
	Classes []string     `json:"classes,omitempty"`
}

// MarshalText writes "numeric" or "categorical".
func (k Kind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// UnmarshalText reads "numeric" or "categorical".
func (k *Kind) UnmarshalText(b []byte) error {
	switch string(b) {
	case "numeric":
		*k = Numeric
	case "categorical":
		*k = Categorical
	default:
		return fmt.Errorf("frame: unknown feature kind %q", b)
	}
	return nil
}

// MarshalText writes "classification" or "regression".
func (t Task) MarshalText() ([]byte, error) { return []byte(t.String()), nil }

// UnmarshalText reads "classification" or "regression".
func (t *Task) UnmarshalText(b []byte) error {
	switch string(b) {
	case "classification":
		*t = Classification
	case "regression":
		*t = Regression
	default:
		return fmt.Errorf("frame: unknown task %q", b)
	}
	return nil
}

// Data is a loaded Matrix with its target and where its rows came from.
type Data struct {
	Source string // the source's label
	X      *Matrix
	Y      *Target // nil when loaded without a target
	// Rows maps each row of X to its row in the source: rows with a
	// missing target are left out of training data.
	Rows []int
	// DroppedTarget counts source rows left out for a missing target;
	// Unseen counts, per categorical feature, values not among the
	// training levels (read as missing).
	DroppedTarget int
	Unseen        map[string]int
}

// Load reads a source for training: the features and target opts name,
// with kinds and levels taken from the data. Rows whose target is null
// are left out. It returns the data and the schema that prediction will
// check.
func Load(ctx context.Context, src *dataset.Source, opts LoadOptions) (*Data, *Schema, error) {
	if opts.Target == "" {
		return nil, nil, fmt.Errorf("%w: no target column", dataset.ErrInvalid)
	}
	sc, err := src.Scanner(ctx)
	if err != nil {
		return nil, nil, err
	}
	schema := sc.Schema()
	sc.Close()
	ti := schema.Index(opts.Target)
	if ti < 0 {
		return nil, nil, fmt.Errorf("%w: %s has no target column %q (columns: %s)", dataset.ErrInvalid, src.Label, opts.Target, strings.Join(schema.Names(), ", "))
	}
	names, err := featureNames(schema, opts)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %s: %v", dataset.ErrInvalid, src.Label, err)
	}
	for _, c := range opts.Categorical {
		if !slices.Contains(names, c) {
			return nil, nil, fmt.Errorf("%w: --categorical %s is not a feature", dataset.ErrInvalid, c)
		}
	}
	tab, err := table.Load(ctx, src, append(slices.Clone(names), opts.Target), opts.Workers)
	if err != nil {
		return nil, nil, err
	}
	tc := tab.Column(opts.Target)
	task, err := targetTask(tc, opts.Task)
	if err != nil {
		return nil, nil, err
	}
	var rows []int
	for i, ok := range tc.Valid {
		if ok {
			rows = append(rows, i)
		}
	}
	out := &Schema{Target: TargetSpec{Name: opts.Target, Type: tc.Type, Task: task}}
	if task == Classification {
		out.Target.Classes = levelsOf(tc, rows)
		if len(out.Target.Classes) < 2 {
			return nil, nil, fmt.Errorf("%w: target %s has %d class(es) in %s; classification needs at least 2", dataset.ErrInvalid, opts.Target, len(out.Target.Classes), src.Label)
		}
	}
	for _, n := range names {
		c := tab.Column(n)
		col := Column{Name: n, Type: c.Type, Kind: Numeric}
		if !c.Numeric || c.Type == dataset.Bool || slices.Contains(opts.Categorical, n) {
			col.Kind = Categorical
			col.Levels = levelsOf(c, rows)
		}
		out.Features = append(out.Features, col)
	}
	d, err := encode(tab, out, rows, true)
	if err != nil {
		return nil, nil, err
	}
	d.Source = src.Label
	d.DroppedTarget = tab.Rows - len(rows)
	return d, out, nil
}

// LoadWith reads a source as a model with the schema sees it: the same
// features, encoded with the training levels (a value not among them is
// missing, and counted). withTarget also reads the target, leaving out
// rows where it is null; without it every row is kept. A missing column
// or one of another type is an error naming it: the model's signature
// does not match.
func LoadWith(ctx context.Context, src *dataset.Source, s *Schema, withTarget bool, workers int) (*Data, error) {
	sc, err := src.Scanner(ctx)
	if err != nil {
		return nil, err
	}
	have := sc.Schema()
	sc.Close()
	if err := checkSignature(s, have, src.Label, withTarget); err != nil {
		return nil, err
	}
	names := make([]string, 0, len(s.Features)+1)
	for _, f := range s.Features {
		names = append(names, f.Name)
	}
	if withTarget {
		names = append(names, s.Target.Name)
	}
	tab, err := table.Load(ctx, src, names, workers)
	if err != nil {
		return nil, err
	}
	rows := make([]int, 0, tab.Rows)
	var tc *table.Column
	if withTarget {
		tc = tab.Column(s.Target.Name)
	}
	for i := range tab.Rows {
		if tc == nil || tc.Valid[i] {
			rows = append(rows, i)
		}
	}
	d, err := encode(tab, s, rows, withTarget)
	if err != nil {
		return nil, err
	}
	d.Source = src.Label
	d.DroppedTarget = tab.Rows - len(rows)
	return d, nil
}

// CheckSignature checks that a source has every feature of the schema,
// each of the type trained on; the error names what does not match.
func CheckSignature(s *Schema, have dataset.Schema, label string) error {
	return checkSignature(s, have, label, false)
}

// checkSignature checks that a source has every feature of the schema
// (and its target, withTarget), each of the type trained on.
func checkSignature(s *Schema, have dataset.Schema, label string, withTarget bool) error {
	var problems []string
	check := func(name string, want dataset.Type) {
		i := have.Index(name)
		switch {
		case i < 0:
			problems = append(problems, fmt.Sprintf("no column %s (%s)", name, want))
		case have[i].Type != want && !compatible(have[i].Type, want):
			problems = append(problems, fmt.Sprintf("column %s is %s, the model was trained on %s", name, have[i].Type, want))
		}
	}
	for _, f := range s.Features {
		check(f.Name, f.Type)
	}
	if withTarget {
		check(s.Target.Name, s.Target.Type)
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w: %s does not match the model's signature: %s", dataset.ErrInvalid, label, strings.Join(problems, "; "))
	}
	return nil
}

// compatible reports whether data of type have can stand in for want:
// integers of either width, floats of either width.
func compatible(have, want dataset.Type) bool {
	ints := func(t dataset.Type) bool { return t == dataset.Int32 || t == dataset.Int64 }
	floats := func(t dataset.Type) bool { return t == dataset.Float32 || t == dataset.Float64 }
	return ints(have) && ints(want) || floats(have) && floats(want)
}

// featureNames returns the feature columns opts ask for, checked against
// the schema.
func featureNames(schema dataset.Schema, opts LoadOptions) ([]string, error) {
	for _, e := range opts.Exclude {
		if schema.Index(e) < 0 {
			return nil, fmt.Errorf("excluded column %q does not exist", e)
		}
	}
	if opts.Features == nil {
		var names []string
		for _, c := range schema.Supported() {
			if c.Name == opts.Target || slices.Contains(opts.Exclude, c.Name) || c.Type.Temporal() {
				continue
			}
			names = append(names, c.Name)
		}
		if len(names) == 0 {
			return nil, fmt.Errorf("no feature columns besides the target %s", opts.Target)
		}
		return names, nil
	}
	var missing []string
	seen := map[string]bool{}
	var names []string
	for _, f := range opts.Features {
		switch {
		case schema.Index(f) < 0:
			missing = append(missing, f)
		case f == opts.Target:
			return nil, fmt.Errorf("the target %s cannot also be a feature", f)
		case !seen[f] && !slices.Contains(opts.Exclude, f):
			seen[f] = true
			names = append(names, f)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("no feature column %s (columns: %s)", strings.Join(missing, ", "), strings.Join(schema.Names(), ", "))
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("no feature columns")
	}
	return names, nil
}

// targetTask decides the task of a target column.
func targetTask(c *table.Column, want string) (Task, error) {
	switch want {
	case "classification":
		return Classification, nil
	case "regression":
		if !c.Numeric || c.Type == dataset.Bool {
			return 0, fmt.Errorf("%w: target %s is %s; regression needs numbers", dataset.ErrInvalid, c.Name, c.Type)
		}
		return Regression, nil
	case "":
		if c.Type == dataset.Float32 || c.Type == dataset.Float64 {
			return Regression, nil
		}
		if c.Type.Temporal() {
			return 0, fmt.Errorf("%w: target %s is %s; want categories or numbers", dataset.ErrInvalid, c.Name, c.Type)
		}
		return Classification, nil
	}
	return 0, fmt.Errorf("%w: task %q: want classification or regression", dataset.ErrInvalid, want)
}

// levelsOf returns the distinct values of c in rows, as text, sorted:
// numbers by value, text byte-wise.
func levelsOf(c *table.Column, rows []int) []string {
	if c.Numeric {
		seen := map[float64]bool{}
		var vals []float64
		for _, i := range rows {
			if v := c.Num[i]; c.Valid[i] && !seen[v] {
				seen[v] = true
				vals = append(vals, v)
			}
		}
		slices.Sort(vals)
		out := make([]string, len(vals))
		for k, v := range vals {
			out[k] = numberText(c, v)
		}
		return out
	}
	seen := map[string]bool{}
	var out []string
	for _, i := range rows {
		if s := c.Str[i]; c.Valid[i] && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	slices.SortFunc(out, cmp.Compare[string])
	return out
}

// numberText is the level of a numeric value: booleans as true/false,
// numbers in their shortest form.
func numberText(c *table.Column, v float64) string {
	if c.Type == dataset.Bool {
		return strconv.FormatBool(v == 1)
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// encode builds the Matrix (and the Target, when asked) of rows of tab
// as s describes.
func encode(tab *table.Table, s *Schema, rows []int, withTarget bool) (*Data, error) {
	d := &Data{X: &Matrix{Rows: len(rows)}, Rows: rows, Unseen: map[string]int{}}
	for _, col := range s.Features {
		c := tab.Column(col.Name)
		f := Feature{Name: col.Name, Kind: col.Kind, Levels: col.Levels}
		if col.Kind == Numeric {
			f.Num = make([]float64, len(rows))
			for k, i := range rows {
				f.Num[k] = c.Num[i] // NaN where null
			}
		} else {
			unseen := 0
			f.Cat, unseen = codes(c, rows, col.Levels)
			if unseen > 0 {
				d.Unseen[col.Name] = unseen
			}
		}
		d.X.Features = append(d.X.Features, f)
	}
	if !withTarget {
		return d, nil
	}
	c := tab.Column(s.Target.Name)
	d.Y = &Target{Name: s.Target.Name, Task: s.Target.Task, Classes: s.Target.Classes}
	if s.Target.Task == Regression {
		d.Y.Value = make([]float64, len(rows))
		for k, i := range rows {
			d.Y.Value[k] = c.Num[i]
		}
		return d, nil
	}
	var unseen int
	d.Y.Class, unseen = codes(c, rows, s.Target.Classes)
	if unseen > 0 {
		return nil, fmt.Errorf("%w: target %s has %d rows of classes the model does not know (classes: %s)", dataset.ErrInvalid, s.Target.Name, unseen, strings.Join(s.Target.Classes, ", "))
	}
	return d, nil
}

// codes maps rows of c to indexes into levels: Missing for null and for
// values not among the levels (counted as unseen).
func codes(c *table.Column, rows []int, levels []string) ([]int32, int) {
	index := make(map[string]int32, len(levels))
	for k, l := range levels {
		index[l] = int32(k)
	}
	out := make([]int32, len(rows))
	unseen := 0
	var last string
	lastCode, haveLast := int32(Missing), false
	for k, i := range rows {
		if !c.Valid[i] {
			out[k] = Missing
			continue
		}
		var s string
		if c.Numeric {
			s = numberText(c, c.Num[i])
		} else {
			s = c.Str[i]
		}
		if !haveLast || s != last {
			code, ok := index[s]
			if !ok {
				code = Missing
			}
			last, lastCode, haveLast = s, code, true
		}
		if lastCode == Missing {
			unseen++
		}
		out[k] = lastCode
	}
	return out, unseen
}
