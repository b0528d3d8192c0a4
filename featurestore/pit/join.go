package pit

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"strings"
)

// KeyColumn is one join key column. It is a string column when Str is
// non-nil and an int64 column otherwise. Valid marks non-null rows; nil
// means every row is valid.
type KeyColumn struct {
	Name  string
	Int   []int64
	Str   []string
	Valid []bool
}

func (c *KeyColumn) isStr() bool { return c.Str != nil }

func (c *KeyColumn) len() int {
	if c.Str != nil {
		return len(c.Str)
	}
	return len(c.Int)
}

// Entities are the rows of the training set: join key columns and an event
// time per row. TimeValid marks non-null times; nil means all are valid.
type Entities struct {
	Keys      []KeyColumn
	Time      []int64
	TimeValid []bool
}

// Feature is one feature column of a view. Exactly one of Float, Int, Str
// and Bool is set. Valid marks non-null rows; nil means every row is valid.
// Join does not read feature values; Gather does.
type Feature struct {
	Name  string
	Float []float64
	Int   []int64
	Str   []string
	Bool  []bool
	Valid []bool
}

// View is one feature view. Keys are its join key columns, named like the
// entity key columns they join on, in any subset and order. Time is the
// feature time per row and TimeValid its validity (nil: all valid).
// Created is the created timestamp per row, used to break ties on feature
// time, or nil. TTL is in the unit of the timestamps; 0 means forever.
type View struct {
	Name      string
	Keys      []KeyColumn
	Time      []int64
	TimeValid []bool
	Created   []int64
	TTL       int64
	Features  []Feature
}

// Options tune Join.
type Options struct {
	// Workers is the number of goroutines; 0 means runtime.GOMAXPROCS(0).
	Workers int
}

// Validate reports bad options.
func (o Options) Validate() error {
	if o.Workers < 0 {
		return fmt.Errorf("workers %d: %w", o.Workers, ErrInvalid)
	}
	return nil
}

func (o Options) workers() int {
	if o.Workers > 0 {
		return o.Workers
	}
	return runtime.GOMAXPROCS(0)
}

// Result is the outcome of Join: one Match per view, in the order of the
// views given.
type Result struct {
	Views []ViewMatch
}

// ViewMatch is the join of one view: Match[i] is the index of the view row
// chosen for entity row i, or -1 when there is none.
type ViewMatch struct {
	Name  string
	Match []int32
}

// View returns the match of the first view named name, or nil.
func (r *Result) View(name string) *ViewMatch {
	for i := range r.Views {
		if r.Views[i].Name == name {
			return &r.Views[i]
		}
	}
	return nil
}

// Join computes, for each view, which view row every entity row gets under
// Feast's point-in-time semantics (see the package documentation). It does
// not copy feature values; use Gather on the matches. Join reads its
// arguments and does not keep or modify them.
func Join(ctx context.Context, ents Entities, views []View, opts Options) (*Result, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	if err := validate(&ents, views); err != nil {
		return nil, err
	}
	j := &joiner{
		ents:    &ents,
		workers: opts.workers(),
		sides:   map[string]*entSide{},
	}
	maxRows := len(ents.Time)
	for i := range views {
		maxRows = max(maxRows, len(views[i].Time))
	}
	j.bits = partitionBits(maxRows, j.workers)

	res := &Result{Views: make([]ViewMatch, len(views))}
	for i := range views {
		v := &views[i]
		match := make([]int32, len(ents.Time))
		for k := range match {
			match[k] = -1
		}
		res.Views[i] = ViewMatch{Name: v.Name, Match: match}
		if err := j.joinView(ctx, v, match); err != nil {
			return nil, fmt.Errorf("view %q: %w", v.Name, err)
		}
	}
	return res, nil
}

func validate(ents *Entities, views []View) error {
	n := len(ents.Time)
	if ents.TimeValid != nil && len(ents.TimeValid) != n {
		return fmt.Errorf("entities: %d time validity flags for %d rows: %w", len(ents.TimeValid), n, ErrInvalid)
	}
	if err := validateKeys("entities", ents.Keys, n); err != nil {
		return err
	}
	for i := range views {
		v := &views[i]
		m := len(v.Time)
		where := fmt.Sprintf("view %q", v.Name)
		if m > math.MaxInt32 {
			return fmt.Errorf("%s: %d rows, more than an int32 Match can hold: %w", where, m, ErrInvalid)
		}
		if v.TimeValid != nil && len(v.TimeValid) != m {
			return fmt.Errorf("%s: %d time validity flags for %d rows: %w", where, len(v.TimeValid), m, ErrInvalid)
		}
		if v.Created != nil && len(v.Created) != m {
			return fmt.Errorf("%s: %d created timestamps for %d rows: %w", where, len(v.Created), m, ErrInvalid)
		}
		if v.TTL < 0 {
			return fmt.Errorf("%s: negative TTL %d: %w", where, v.TTL, ErrInvalid)
		}
		if err := validateKeys(where, v.Keys, m); err != nil {
			return err
		}
		for k := range v.Keys {
			c := &v.Keys[k]
			e := findKey(ents.Keys, c.Name)
			if e == nil {
				return fmt.Errorf("%s: join key %q is not an entity column: %w", where, c.Name, ErrKey)
			}
			if e.isStr() != c.isStr() {
				return fmt.Errorf("%s: join key %q is %s in the view and %s in the entities: %w",
					where, c.Name, typeName(c), typeName(e), ErrKey)
			}
		}
		for k := range v.Features {
			if err := validateFeature(&v.Features[k], m); err != nil {
				return fmt.Errorf("%s: %w", where, err)
			}
		}
	}
	return nil
}

func validateKeys(where string, keys []KeyColumn, n int) error {
	for i := range keys {
		c := &keys[i]
		if c.Int != nil && c.Str != nil {
			return fmt.Errorf("%s: key %q has both int and string values: %w", where, c.Name, ErrInvalid)
		}
		if c.len() != n {
			return fmt.Errorf("%s: key %q has %d values for %d rows: %w", where, c.Name, c.len(), n, ErrInvalid)
		}
		if c.Valid != nil && len(c.Valid) != n {
			return fmt.Errorf("%s: key %q has %d validity flags for %d rows: %w", where, c.Name, len(c.Valid), n, ErrInvalid)
		}
		for k := range i {
			if keys[k].Name == c.Name {
				return fmt.Errorf("%s: key %q named twice: %w", where, c.Name, ErrKey)
			}
		}
	}
	return nil
}

func validateFeature(f *Feature, n int) error {
	set, l := 0, 0
	if f.Float != nil {
		set, l = set+1, len(f.Float)
	}
	if f.Int != nil {
		set, l = set+1, len(f.Int)
	}
	if f.Str != nil {
		set, l = set+1, len(f.Str)
	}
	if f.Bool != nil {
		set, l = set+1, len(f.Bool)
	}
	if set > 1 || (set == 0 && n > 0) {
		return fmt.Errorf("feature %q: %d typed slices set, want 1: %w", f.Name, set, ErrInvalid)
	}
	if l != n || (f.Valid != nil && len(f.Valid) != n) {
		return fmt.Errorf("feature %q: length differs from the view's %d rows: %w", f.Name, n, ErrInvalid)
	}
	return nil
}

func findKey(keys []KeyColumn, name string) *KeyColumn {
	for i := range keys {
		if keys[i].Name == name {
			return &keys[i]
		}
	}
	return nil
}

func typeName(c *KeyColumn) string {
	if c.isStr() {
		return "string"
	}
	return "int64"
}

func signature(keys []KeyColumn) string {
	var b strings.Builder
	for i := range keys {
		b.WriteString(keys[i].Name)
		b.WriteByte(0)
	}
	return b.String()
}
