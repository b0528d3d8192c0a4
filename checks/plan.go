package checks

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/dataset/csvconv"
	"github.com/assayhq/assay/dataset/expr"
	"github.com/assayhq/assay/dataset/suggest"
)

// DefaultSamples is how many failing rows a check keeps.
const DefaultSamples = 20

// Env is what a plan needs besides the rules and the data's schema.
type Env struct {
	// Repo is the repository, for reference rules naming dataset refs,
	// schema rules comparing with the previous version, and change and
	// anomaly rules; nil when checking files without a repository.
	Repo *dataset.Repo
	// Manifest is the version being checked (nil for files).
	Manifest *dataset.Manifest
	// Now is the time freshness rules and now() measure from (default
	// time.Now()). The plans of a sharded run need the same Now.
	Now time.Time
	// CSV converts CSV paths named by reference rules.
	CSV csvconv.Options
	// Samples is the number of failing rows kept per check: 0 means
	// DefaultSamples, a negative number none.
	Samples int
	// Keys are columns shown with every failing row (besides the check's
	// own columns).
	Keys []string
	// Workers is the number of row groups scanned at once (default: one
	// per core).
	Workers int
}

// Plan is a rule file compiled against a schema: the checks turned into
// analyzers that share one scan. A plan keeps no state of a run: it runs,
// scans and finishes from several goroutines at once.
type Plan struct {
	file      *File
	env       Env
	schema    dataset.Schema
	checkers  []checker
	wheres    []*whereExpr
	groupings []*grouping
	metrics   *metricSet
	// references are the value sets of reference checks, loaded before
	// the first scan (refMu guards the loading).
	references []*referenceSet
	refMu      sync.Mutex
	refsLoaded bool
	// sig identifies the plan in partials (see signature).
	sigOnce sync.Once
	sig     uint64
}

// checker is a compiled check. Row-level checkers keep a state per row
// group; states merge in row-group order.
type checker interface {
	spec() *Check
	// reads lists the columns the checker needs from the scan.
	reads() []string
	// start returns a fresh state for a row group of the scan.
	start(sx *scanCtx) state
	// decodeState reads a state written by its encode (see Partial).
	decodeState(d *decoder) state
	// result turns the merged state into the check's result.
	result(ctx context.Context, st state, r *runner) (*Result, error)
}

// state is a checker's state over some rows.
type state interface {
	add(b *batch) error
	// merge adds o, the state of the rows right after this state's; o is
	// not used afterwards. Merges are exact in any grouping: merging the
	// states of row groups 1 and 2 first, then adding them to row group
	// 0's, gives what adding them one by one gives.
	merge(o state)
	// encode writes the state for a Partial.
	encode(e *encoder)
}

// Compile checks a rule file against the data's schema and builds the
// plan. Every problem (unknown column, type mismatch, bad expression) is
// reported, positioned, in one Problems error.
func Compile(ctx context.Context, f *File, schema dataset.Schema, env Env) (*Plan, error) {
	switch {
	case env.Samples == 0:
		env.Samples = DefaultSamples
	case env.Samples < 0:
		env.Samples = 0
	}
	if env.Now.IsZero() {
		env.Now = time.Now()
	}
	p := &Plan{file: f, env: env, schema: schema, metrics: newMetricSet()}
	var probs Problems
	for _, k := range env.Keys {
		if schema.Index(k) < 0 {
			probs.add(Pos{File: f.Path, Line: 1, Col: 1}, "key column %q is not in the data (columns: %s)", k, strings.Join(schema.Names(), ", "))
		}
	}
	for _, c := range f.Checks {
		ck, err := p.compileCheck(ctx, c)
		if err != nil {
			if ps, ok := err.(Problems); ok {
				probs = append(probs, ps...)
				continue
			}
			return nil, err
		}
		p.checkers = append(p.checkers, ck)
	}
	if len(probs) > 0 {
		slices.SortStableFunc(probs, func(a, b *Problem) int {
			if a.Pos.Line != b.Pos.Line {
				return a.Pos.Line - b.Pos.Line
			}
			return a.Pos.Col - b.Pos.Col
		})
		return nil, probs
	}
	return p, nil
}

// Columns returns the columns the plan's scan reads (before Parquet
// statistics spare some).
func (p *Plan) Columns() []string { return p.projection(nil) }

// projection is the scan's columns, in schema order: those the checkers,
// filters, groupings and aggregates not answered by statistics (f) read.
func (p *Plan) projection(f *facts) []string {
	cols := map[string]bool{}
	for _, ck := range p.checkers {
		for _, c := range ck.reads() {
			cols[c] = true
		}
	}
	for _, c := range p.metrics.reads(f) {
		cols[c] = true
	}
	for _, w := range p.wheres {
		for _, c := range w.prog.Columns() {
			cols[c] = true
		}
	}
	for _, g := range p.groupings {
		for _, c := range g.cols {
			cols[c] = true
		}
	}
	var out []string
	for _, c := range p.schema {
		if cols[c.Name] {
			out = append(out, c.Name)
		}
	}
	return out
}

// column checks that a column exists and is readable, and returns it.
func (p *Plan) column(c *Check, argKey, name string, probs *Problems) (dataset.Column, bool) {
	i := p.schema.Index(name)
	if i < 0 {
		hint := ""
		if s := suggest.Within(name, p.schema.Names(), 3); s != "" {
			hint = fmt.Sprintf(" (did you mean %q?)", s)
		}
		probs.add(c.At(argKey), "unknown column %q%s", name, hint)
		return dataset.Column{}, false
	}
	col := p.schema[i]
	if col.Unsupported != "" {
		probs.add(c.At(argKey), "column %q cannot be checked: %s", name, col.Unsupported)
		return dataset.Column{}, false
	}
	return col, true
}

// where registers a check's where filter, sharing identical ones, and
// returns its index (-1 for none).
func (p *Plan) where(c *Check, probs *Problems) int {
	if strings.TrimSpace(c.Where) == "" {
		return -1
	}
	for i, w := range p.wheres {
		if w.src == c.Where {
			return i
		}
	}
	prog, err := expr.Compile(c.Where, p.schema, expr.Now(p.env.Now))
	if err != nil {
		probs.addExpr(c.At("where"), err)
		return -1
	}
	if prog.Type() != expr.Bool {
		probs.add(c.At("where"), "where must be a boolean expression, this one is %s", prog.Type())
		return -1
	}
	p.wheres = append(p.wheres, &whereExpr{src: c.Where, prog: prog})
	return len(p.wheres) - 1
}

// grouping registers a check's group_by columns and returns their index
// (-1 for none).
func (p *Plan) grouping(c *Check, probs *Problems) int {
	if len(c.GroupBy) == 0 {
		return -1
	}
	ok := true
	for i, g := range c.GroupBy {
		key := fmt.Sprintf("group_by[%d]", i)
		if _, has := c.ArgPos[key]; !has {
			key = "group_by"
		}
		if _, found := p.column(c, key, g, probs); !found {
			ok = false
		}
	}
	if !ok {
		return -1
	}
	for i, g := range p.groupings {
		if slices.Equal(g.cols, c.GroupBy) {
			return i
		}
	}
	p.groupings = append(p.groupings, &grouping{cols: slices.Clone(c.GroupBy)})
	return len(p.groupings) - 1
}

// addExpr adds an expression's compile error, positioned in the rule
// file: the expression's own line and column are added to where its text
// starts.
func (ps *Problems) addExpr(at Pos, err error) {
	line, col, msg := 1, 0, err.Error()
	var e *expr.Error
	if errors.As(err, &e) {
		line, col, msg = e.Line, e.Column, e.Msg
	}
	// The parser places a block scalar (|) at its content's indentation, so
	// every line of the expression starts at the same column.
	pos := at
	pos.Line += line - 1
	if col > 0 {
		pos.Col += col - 1
	}
	ps.add(pos, "%s", msg)
}

// name returns the check's display name: its own, or a description.
func name(c *Check) string {
	if c.Name != "" {
		return c.Name
	}
	switch c.Kind {
	case KindRow, KindMetric:
		return fmt.Sprintf("%s: %s", c.Kind, oneLine(c.Expr))
	case KindUnique:
		return fmt.Sprintf("unique: %s", strings.Join(c.Columns, ", "))
	case KindPair:
		return fmt.Sprintf("pair: %s %s %s", c.A, c.Op, c.B)
	case KindChange, KindAnomaly:
		return fmt.Sprintf("%s: %s", c.Kind, c.Metric)
	case KindRowCount, KindSchema:
		return string(c.Kind)
	}
	if c.Column != "" {
		return fmt.Sprintf("%s: %s", c.Kind, c.Column)
	}
	return string(c.Kind)
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 80 {
		s = s[:77] + "..."
	}
	return s
}
