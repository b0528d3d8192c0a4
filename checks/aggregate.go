package checks

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/dataset/expr"
	"github.com/assayhq/assay/dataset/profile"
)

// aggChecker is a check decided from aggregates, after the scan: row_count,
// freshness, schema, metric, change, anomaly. It keeps no per-row state.
type aggChecker struct {
	c      *Check
	decide func(ctx context.Context, r *runner, res *Result) error
}

func (a *aggChecker) spec() *Check         { return a.c }
func (a *aggChecker) reads() []string      { return nil }
func (a *aggChecker) start(*scanCtx) state { return noState{} }
func (a *aggChecker) result(ctx context.Context, _ state, r *runner) (*Result, error) {
	res := r.newResult(a.c)
	if err := a.decide(ctx, r, res); err != nil {
		return nil, err
	}
	return res, nil
}

type noState struct{}

func (noState) add(*batch) error { return nil }
func (noState) merge(state)      {}

func (p *Plan) compileRowCount(c *Check, probs *Problems) checker {
	n := len(*probs)
	where, grouping := p.where(c, probs), p.grouping(c, probs)
	if len(*probs) > n {
		return nil
	}
	m := p.metrics.request(metricReq{fn: "row_count", where: where, grouping: grouping}, dataset.Column{})
	lo, hi := c.Min, c.Max
	if c.Equal != nil {
		lo, hi = c.Equal, c.Equal
	}
	expected := "row count " + boundsText(lo, hi, false, false)
	return &aggChecker{c: c, decide: func(ctx context.Context, r *runner, res *Result) error {
		res.Expected = expected
		check := func(group string) (float64, bool) {
			v := r.metric(m, group)
			return *v, inBounds(*v, lo, hi, false, false)
		}
		if grouping >= 0 {
			groupResults(p, r, res, grouping, m, func(g string) (any, bool) {
				v, ok := check(g)
				return int64(v), ok
			})
			return nil
		}
		v, ok := check("")
		res.ObservedValue, res.ElementCount, res.Success = int64(v), int64(v), ok
		if !ok {
			res.Message = fmt.Sprintf("%d rows; expected %s", int64(v), expected)
		}
		return nil
	}}
}

// groupResults adds the failing groups of an aggregate check. The groups
// are those with rows: the grouping's row counts (requested at compile
// time with groupCounter) list them, even where an aggregate is undefined.
func groupResults(p *Plan, r *runner, res *Result, grouping int, m metricReq, decide func(group string) (any, bool)) {
	k := colKey{"", m.where, m.grouping}
	var keys []string
	for g := range r.total.mom[k] {
		keys = append(keys, g)
	}
	slices.Sort(keys)
	cols := p.groupings[grouping].cols
	for _, g := range keys {
		v, ok := decide(g)
		if !ok {
			res.Groups = append(res.Groups, &GroupResult{Group: decodeGroupKey(cols, g), ObservedValue: v})
		}
	}
	res.ObservedValue = map[string]int{"groups": len(keys), "failing_groups": len(res.Groups)}
	res.FailingGroups = len(res.Groups)
	if res.FailingGroups > 0 {
		res.Success = false
	}
}

func (p *Plan) compileFreshness(c *Check, probs *Problems) checker {
	col, ok := p.column(c, "column", c.Column, probs)
	if !ok {
		return nil
	}
	if !col.Type.Temporal() {
		probs.add(c.At("column"), "freshness needs a date or timestamp column; %q is %s", col.Name, col.Type)
		return nil
	}
	n := len(*probs)
	where := p.where(c, probs)
	if len(c.GroupBy) > 0 {
		probs.add(c.At("group_by"), "freshness does not take group_by; use a metric rule such as max(%s) per group", col.Name)
	}
	if len(*probs) > n {
		return nil
	}
	m := p.metrics.request(metricReq{fn: "max", col: col.Name, where: where, grouping: -1}, col)
	unit := unitNanos(col.Type)
	return &aggChecker{c: c, decide: func(ctx context.Context, r *runner, res *Result) error {
		ref := p.env.Now
		refName := "now"
		if c.RelativeTo == "version" {
			if p.env.Manifest == nil {
				res.Status = StatusNotEvaluated
				res.Message = "relative_to: version needs a dataset version; the data is files"
				return nil
			}
			ref, refName = p.env.Manifest.Time, "the version's time"
		}
		res.Expected = fmt.Sprintf("newest %s no older than %s before %s", col.Name, c.MaxAge, refName)
		v := r.metric(m, "")
		if v == nil {
			res.Success = false
			res.Message = fmt.Sprintf("%s has no values", col.Name)
			return nil
		}
		newest := time.Unix(0, int64(*v)*unit).UTC()
		if col.Type == dataset.Date {
			newest = time.Unix(int64(*v)*86400, 0).UTC()
		}
		age := ref.Sub(newest)
		res.ObservedValue = map[string]any{"newest": newest.Format(time.RFC3339Nano), "age_seconds": age.Seconds()}
		res.Success = age <= c.MaxAge
		if !res.Success {
			res.Message = fmt.Sprintf("newest %s is %s, %s old (more than %s)", col.Name, newest.Format(time.RFC3339), age.Round(time.Second), c.MaxAge)
		}
		return nil
	}}
}

func (p *Plan) compileSchema(c *Check, probs *Problems) checker {
	s := c.Schema
	if s == nil {
		probs.add(c.Pos, "schema needs arguments")
		return nil
	}
	return &aggChecker{c: c, decide: func(ctx context.Context, r *runner, res *Result) error {
		var problems []string
		names := p.schema.Names()
		for _, col := range s.Required {
			if !slices.Contains(names, col) {
				problems = append(problems, fmt.Sprintf("required column %q is missing", col))
			}
		}
		for _, col := range s.Forbidden {
			if slices.Contains(names, col) {
				problems = append(problems, fmt.Sprintf("forbidden column %q is present", col))
			}
		}
		typeKeys := make([]string, 0, len(s.Types))
		for k := range s.Types {
			typeKeys = append(typeKeys, k)
		}
		slices.Sort(typeKeys)
		for _, col := range typeKeys {
			want := s.Types[col]
			i := p.schema.Index(col)
			if i < 0 {
				problems = append(problems, fmt.Sprintf("column %q (expected %s) is missing", col, want))
				continue
			}
			if got := typeName(p.schema[i]); !typeMatches(got, want) {
				problems = append(problems, fmt.Sprintf("column %q is %s, expected %s", col, got, want))
			}
		}
		if s.Count != nil && len(names) != *s.Count {
			problems = append(problems, fmt.Sprintf("%d columns, expected %d", len(names), *s.Count))
		}
		if s.Columns != nil && !slices.Equal(names, s.Columns) {
			problems = append(problems, fmt.Sprintf("columns are [%s], expected [%s]", strings.Join(names, ", "), strings.Join(s.Columns, ", ")))
		}
		if s.NoNewColumns || s.NoDroppedColumns {
			prev, why := p.previousSchema(ctx)
			if prev == nil {
				res.Status = StatusNotEvaluated
				res.Message = why
			} else {
				for _, col := range names {
					if s.NoNewColumns && prev.Index(col) < 0 {
						problems = append(problems, fmt.Sprintf("column %q is new since the previous version", col))
					}
				}
				for _, col := range prev.Names() {
					if s.NoDroppedColumns && p.schema.Index(col) < 0 {
						problems = append(problems, fmt.Sprintf("column %q was dropped since the previous version", col))
					}
				}
			}
		}
		res.Expected = schemaExpectation(s)
		res.ObservedValue = names
		res.Success = len(problems) == 0
		if len(problems) > 0 {
			res.Message = strings.Join(problems, "; ")
		}
		return nil
	}}
}

// typeName is a column's type as schema checks compare it: "int64",
// "timestamp[us]", "timestamp[us] UTC" is also accepted as "timestamp[us]".
func typeName(c dataset.Column) string { return strings.TrimPrefix(c.String(), c.Name+" ") }

func typeMatches(got, want string) bool {
	if got == want {
		return true
	}
	if strings.HasPrefix(got, want) && strings.HasPrefix(want, "timestamp") {
		return true // "timestamp[us] UTC" matches "timestamp[us]" and "timestamp"
	}
	return want == "timestamp" && strings.HasPrefix(got, "timestamp")
}

func schemaExpectation(s *SchemaSpec) string {
	var parts []string
	if len(s.Required) > 0 {
		parts = append(parts, "required: "+strings.Join(s.Required, ", "))
	}
	if len(s.Forbidden) > 0 {
		parts = append(parts, "forbidden: "+strings.Join(s.Forbidden, ", "))
	}
	if len(s.Types) > 0 {
		keys := make([]string, 0, len(s.Types))
		for k := range s.Types {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for i, k := range keys {
			keys[i] = k + " " + s.Types[k]
		}
		parts = append(parts, "types: "+strings.Join(keys, ", "))
	}
	if s.Count != nil {
		parts = append(parts, fmt.Sprintf("%d columns", *s.Count))
	}
	if s.Columns != nil {
		parts = append(parts, "columns in order")
	}
	if s.NoNewColumns {
		parts = append(parts, "no new columns")
	}
	if s.NoDroppedColumns {
		parts = append(parts, "no dropped columns")
	}
	return strings.Join(parts, "; ")
}

// previousSchema returns the schema of the version before the one checked,
// or nil and why not.
func (p *Plan) previousSchema(ctx context.Context) (dataset.Schema, string) {
	m := p.env.Manifest
	if m == nil || p.env.Repo == nil {
		return nil, "comparing with the previous version needs a dataset version; the data is files"
	}
	if m.Parent == 0 {
		return nil, fmt.Sprintf("%s is the first version: nothing to compare with", m.Label())
	}
	prev, err := p.env.Repo.Manifest(ctx, m.Dataset, m.Parent)
	if err != nil {
		return nil, err.Error()
	}
	return prev.Schema, ""
}

// compileMetric builds a metric rule: an expression over aggregates.
func (p *Plan) compileMetric(c *Check, probs *Problems) checker {
	n := len(*probs)
	where, grouping := p.where(c, probs), p.grouping(c, probs)
	agg, err := expr.CompileAggregate(c.Expr, p.schema, expr.Aggregates())
	if err != nil {
		probs.addExpr(c.At("expr"), err)
		return nil
	}
	if agg.Type() != expr.Bool {
		probs.add(c.At("expr"), "a metric rule must be a boolean expression; this one is %s", agg.Type())
		return nil
	}
	if len(*probs) > n {
		return nil
	}
	reqs := p.requestCalls(agg, where, grouping)
	if grouping >= 0 {
		p.metrics.request(metricReq{fn: "row_count", where: where, grouping: grouping}, dataset.Column{})
	}
	eval := func(r *runner, group string) (map[string]any, *bool, error) {
		vals, obs := r.callValues(reqs, group)
		v, err := agg.Eval(vals)
		if err != nil {
			return obs, nil, err
		}
		ok, isBool := v.(bool)
		if !isBool {
			return obs, nil, nil
		}
		return obs, &ok, nil
	}
	return &aggChecker{c: c, decide: func(ctx context.Context, r *runner, res *Result) error {
		res.Expected = oneLine(c.Expr)
		if grouping >= 0 && len(reqs) > 0 {
			// Per group: the check passes when every group does.
			groupResults(p, r, res, grouping, reqs[0], func(g string) (any, bool) {
				obs, ok, err := eval(r, g)
				return obs, err == nil && ok != nil && *ok
			})
			if !res.Success {
				res.Message = fmt.Sprintf("the expression is false (or undefined) in %d groups", res.FailingGroups)
			}
			return nil
		}
		obs, ok, err := eval(r, "")
		if err != nil {
			return fmt.Errorf("%s:%d: metric rule: %w", p.file.Path, c.Pos.Line, err)
		}
		res.ObservedValue = obs
		res.Success = ok != nil && *ok
		if ok == nil {
			res.Message = "an aggregate is undefined (no values): the rule fails"
		} else if !*ok {
			res.Message = "the expression is false"
		}
		return nil
	}}
}

// requestCalls registers the aggregates of an expression.
func (p *Plan) requestCalls(agg *expr.Aggregate, where, grouping int) []metricReq {
	calls := agg.Calls()
	reqs := make([]metricReq, len(calls))
	for i, call := range calls {
		col := dataset.Column{}
		if call.Column != "" {
			col = p.schema[p.schema.Index(call.Column)]
		}
		m := metricReq{fn: call.Func, col: call.Column, where: where, grouping: grouping}
		if len(call.Params) > 0 {
			m.prob = call.Params[0]
		}
		reqs[i] = p.metrics.request(m, col)
	}
	return reqs
}

// callValues returns the values of the aggregates (NaN when undefined)
// and the observed values by canonical name.
func (r *runner) callValues(reqs []metricReq, group string) ([]float64, map[string]any) {
	vals := make([]float64, len(reqs))
	obs := map[string]any{}
	for i, m := range reqs {
		v := r.metric(m, group)
		if v != nil {
			vals[i] = *v
			obs[m.canonical()] = *v
		} else {
			vals[i] = math.NaN()
			obs[m.canonical()] = nil
		}
	}
	return vals, obs
}

// compileHistory builds change and anomaly rules over the metric history.
// The metric is a numeric expression over aggregates (usually one, such as
// row_count or mean(income)); its history is kept under its name: the
// aggregate's canonical text, or the expression's.
func (p *Plan) compileHistory(c *Check, probs *Problems) checker {
	agg, err := expr.CompileAggregate(c.Metric, p.schema, expr.Aggregates())
	if err != nil {
		probs.addExpr(c.At("metric"), err)
		return nil
	}
	if t := agg.Type(); t != expr.Int && t != expr.Float {
		probs.add(c.At("metric"), "%s needs a numeric metric such as row_count or mean(income); this one is %s", c.Kind, t)
		return nil
	}
	reqs := p.requestCalls(agg, -1, -1)
	name := oneLine(c.Metric)
	if len(reqs) == 1 && strings.ReplaceAll(c.Metric, " ", "") == strings.ReplaceAll(reqs[0].canonical(), " ", "") {
		name = reqs[0].canonical()
	}
	return &aggChecker{c: c, decide: func(ctx context.Context, r *runner, res *Result) error {
		vals, _ := r.callValues(reqs, "")
		var cur *float64
		if v, err := agg.Eval(vals); err == nil {
			switch x := v.(type) {
			case float64:
				if !math.IsNaN(x) {
					cur = &x
				}
			case int64:
				f := float64(x)
				cur = &f
			}
		}
		if cur != nil {
			r.metrics[name] = cur
		}
		if cur == nil {
			res.Success = false
			res.Message = name + " is undefined for this data"
			return nil
		}
		hist, why := p.history(ctx, name, c)
		if c.Kind == KindChange {
			return decideChange(c, res, name, *cur, hist, why)
		}
		return decideAnomaly(c, res, name, *cur, hist, why)
	}}
}

// decideChange compares a metric with its value in the previous version.
func decideChange(c *Check, res *Result, name string, cur float64, hist []historyPoint, why string) error {
	var parts []string
	if c.MaxRelativeChange != nil {
		parts = append(parts, fmt.Sprintf("within %g%% of the previous version", 100**c.MaxRelativeChange))
	}
	if c.MaxAbsoluteChange != nil {
		parts = append(parts, fmt.Sprintf("within ±%g of the previous version", *c.MaxAbsoluteChange))
	}
	res.Expected = name + " " + strings.Join(parts, " and ")
	need := max(c.MinHistory, 1)
	if len(hist) < need {
		res.Status = StatusNotEvaluated
		res.Message = fmt.Sprintf("needs %d earlier versions with %s, has %d%s", need, name, len(hist), whyText(why))
		res.ObservedValue = map[string]any{"value": cur}
		return nil
	}
	prev := hist[0]
	diff := cur - prev.value
	rel := math.Inf(1)
	if prev.value != 0 {
		rel = math.Abs(diff) / math.Abs(prev.value)
	} else if diff == 0 {
		rel = 0
	}
	res.ObservedValue = map[string]any{"value": cur, "previous": prev.value, "previous_version": prev.version, "change": diff, "relative_change": rel}
	res.Success = true
	if c.MaxRelativeChange != nil && rel > *c.MaxRelativeChange {
		res.Success = false
	}
	if c.MaxAbsoluteChange != nil && math.Abs(diff) > *c.MaxAbsoluteChange {
		res.Success = false
	}
	if !res.Success {
		res.Message = fmt.Sprintf("%s changed from %g (v%d) to %g (%+.2f%%)", name, prev.value, prev.version, cur, 100*diff/math.Abs(prev.value))
	}
	return nil
}

// decideAnomaly tests a metric against its last values with a robust
// z-score: |x − median| / (1.4826 · MAD).
func decideAnomaly(c *Check, res *Result, name string, cur float64, hist []historyPoint, why string) error {
	window := c.Window
	if window <= 0 {
		window = 10
	}
	maxZ := c.MaxZ
	if maxZ <= 0 {
		maxZ = 3.5
	}
	need := c.MinHistory
	if need <= 0 {
		need = 4
	}
	if len(hist) > window {
		hist = hist[:window]
	}
	res.Expected = fmt.Sprintf("robust z-score of %s over the last %d versions at most %g", name, window, maxZ)
	if len(hist) < need {
		res.Status = StatusNotEvaluated
		res.Message = fmt.Sprintf("needs %d earlier versions with %s, has %d%s", need, name, len(hist), whyText(why))
		res.ObservedValue = map[string]any{"value": cur}
		return nil
	}
	vals := make([]float64, len(hist))
	for i, h := range hist {
		vals[i] = h.value
	}
	med := median(vals)
	dev := make([]float64, len(vals))
	for i, v := range vals {
		dev[i] = math.Abs(v - med)
	}
	mad := median(dev)
	z := 0.0
	switch {
	case mad > 0:
		z = math.Abs(cur-med) / (1.4826 * mad)
	case cur != med:
		z = math.Inf(1)
	}
	res.ObservedValue = map[string]any{"value": cur, "median": med, "mad": mad, "z": z, "history": len(vals)}
	res.Success = z <= maxZ
	if !res.Success {
		res.Message = fmt.Sprintf("%s = %g is %.2f robust deviations from the median %g of the last %d versions", name, cur, z, med, len(vals))
	}
	return nil
}

func whyText(why string) string {
	if why == "" {
		return ""
	}
	return " (" + why + ")"
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	sort.Float64s(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// summaryMetric derives a metric from a version's stored profile, when the
// profile answers it exactly.
func summaryMetric(name string, s *profile.Summary) (float64, bool) {
	if name == "row_count" {
		return float64(s.Rows), true
	}
	fn, rest, ok := strings.Cut(name, "(")
	if !ok {
		return 0, false
	}
	colName := strings.TrimSuffix(rest, ")")
	var c *profile.ColumnSummary
	for i := range s.Columns {
		if s.Columns[i].Name == colName {
			c = &s.Columns[i]
		}
	}
	if c == nil {
		return 0, false
	}
	f := func(p *profile.Float) (float64, bool) {
		if p == nil {
			return 0, false
		}
		return float64(*p), true
	}
	switch fn {
	case "count":
		return float64(c.Count - c.Nulls), true
	case "nulls":
		return float64(c.Nulls), true
	case "null_fraction":
		if c.Count == 0 {
			return 0, false
		}
		return float64(c.Nulls) / float64(c.Count), true
	case "distinct":
		return float64(c.Distinct), c.DistinctExact
	case "mean":
		return f(c.Mean)
	case "stddev":
		return f(c.Std)
	case "min":
		return f(c.Min)
	case "max":
		return f(c.Max)
	case "median":
		if c.Quantiles != nil && c.QuantilesExact {
			return float64(c.Quantiles.P50), true
		}
	}
	return 0, false
}

// compileNullFraction builds a null_fraction check without where or
// group_by as an aggregate: Parquet statistics usually answer it without
// reading the column.
func (p *Plan) compileNullFraction(c *Check, probs *Problems) checker {
	col, ok := p.column(c, "column", c.Column, probs)
	if !ok {
		return nil
	}
	nulls := p.metrics.request(metricReq{fn: "nulls", col: col.Name, where: -1, grouping: -1}, col)
	expected := "null fraction " + boundsText(c.Min, c.Max, false, false)
	return &aggChecker{c: c, decide: func(ctx context.Context, r *runner, res *Result) error {
		res.Column, res.Expected = col.Name, expected
		n := r.metric(nulls, "")
		t := &tally{elements: r.rows}
		if n != nil {
			t.missing = int64(*n)
		}
		r.fractionResult(res, c, t)
		return nil
	}}
}
