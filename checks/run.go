package checks

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/assayhq/assay/dataset"
)

// runner holds what a run needs after the scan: the plan, the scanner for
// fetching sample rows, the row count, the facts of the footers, the
// merged aggregate states and the computed metrics.
type runner struct {
	plan    *Plan
	scan    *dataset.Scanner
	label   string
	rows    int64
	facts   *facts
	total   *metricStates
	metrics map[string]*float64 // by canonical name; nil value: undefined
}

// RunOptions configure Plan.Run.
type RunOptions struct {
	// FailedRows, when set, receives every row that failed a row-level
	// check (see FailedRowsWriter).
	FailedRows *FailedRowsWriter
}

// Run applies the plan to the source in one scan: every analyzer of every
// check sees each batch once; row groups run in parallel and their states
// merge in row-group order. Checks that need no rows (schema, row counts
// from footers, statistics-answered metrics) cost no scan. It is Scan of
// every row group, then Finish.
func (p *Plan) Run(ctx context.Context, src *dataset.Source, opts RunOptions) (*Run, error) {
	start := time.Now()
	sc, err := src.Scanner(ctx)
	if err != nil {
		return nil, err
	}
	defer sc.Close()
	q, err := p.scan(ctx, sc, nil, opts.FailedRows)
	if err != nil {
		return nil, err
	}
	run, err := p.finish(ctx, src, sc, q)
	if err != nil {
		return nil, err
	}
	run.Elapsed = time.Since(start).Seconds()
	return run, nil
}

// finish decides every check from the partial of all row groups.
func (p *Plan) finish(ctx context.Context, src *dataset.Source, sc *dataset.Scanner, q *Partial) (*Run, error) {
	if err := p.fits(q, sc); err != nil {
		return nil, err
	}
	q.used = true
	r := &runner{plan: p, scan: sc, label: src.Label, rows: sc.NumRows(), facts: p.metrics.facts(sc), total: q.metrics, metrics: map[string]*float64{}}
	if err := p.metrics.finish(ctx, r); err != nil {
		return nil, err
	}
	run := &Run{
		Version: ResultVersion,
		Source:  src.Label,
		Rules:   p.file.Path,
		Time:    p.env.Now.UTC(),
		Rows:    r.rows,
		Success: true,
	}
	if m := src.Manifest; m != nil {
		run.Dataset, run.DataVer = m.Dataset, m.Version
	}
	for i, ck := range p.checkers {
		res, err := ck.result(ctx, q.states[i], r)
		if err != nil {
			return nil, err
		}
		switch {
		case res.Status == StatusNotEvaluated:
		case res.Success:
			res.Status = StatusPass
		case res.Severity == SeverityWarn:
			res.Status = StatusWarn
		case !res.Success:
			res.Status = StatusFail
			run.Success = false
		}
		run.Results = append(run.Results, res)
	}
	run.Metrics = map[string]float64{}
	for k, v := range r.metrics {
		if v != nil {
			run.Metrics[k] = *v
		}
	}
	for _, res := range run.Results {
		run.Counts.Checks++
		switch res.Status {
		case StatusPass:
			run.Counts.Passed++
		case StatusFail:
			run.Counts.Failed++
		case StatusWarn:
			run.Counts.Warned++
		case StatusNotEvaluated:
			run.Counts.NotEvaluated++
		}
	}
	return run, nil
}

// columnsByName indexes a batch's columns by name, reusing m.
func columnsByName(rec arrow.RecordBatch, m map[string]arrow.Array) map[string]arrow.Array {
	if m == nil {
		m = make(map[string]arrow.Array, rec.NumCols())
	}
	for i, f := range rec.Schema().Fields() {
		m[f.Name] = rec.Column(i)
	}
	return m
}

// newResult starts a check's result.
func (r *runner) newResult(c *Check) *Result {
	return &Result{
		Name:     name(c),
		Kind:     c.Kind,
		Column:   c.Column,
		Columns:  c.Columns,
		Severity: c.Severity,
		Line:     c.Pos.Line,
		Success:  true,
	}
}

func pct(n, of int64) float64 {
	if of == 0 {
		return 0
	}
	return 100 * float64(n) / float64(of)
}

// tallyResult fills the counts of a row-level check and decides it: the
// tolerance applies to non-null rows when nulls are ignored, to all rows
// otherwise.
func (r *runner) tallyResult(res *Result, c *Check, nulls Nulls, t *tally) {
	fillCounts(&res.ElementCount, &res.MissingCount, &res.UnexpectedCount, &res.UnexpectedPercent,
		&res.UnexpectedPercentTotal, &res.UnexpectedPercentNonmissing, c, nulls, t)
	res.MissingPercent = pct(t.missing, t.elements)
	res.Success = passes(c, nulls, t)
	if !res.Success {
		res.Message = fmt.Sprintf("%d of %d rows (%.4g%%) break the rule", t.unexpected, denominator(nulls, t), res.UnexpectedPercent)
	}
}

func fillCounts(elements, missing, unexpected *int64, percent, total, nonmissing *float64, c *Check, nulls Nulls, t *tally) {
	*elements, *missing, *unexpected = t.elements, t.missing, t.unexpected
	*total = pct(t.unexpected, t.elements)
	*nonmissing = pct(t.unexpected, t.elements-t.missing)
	*percent = pct(t.unexpected, denominator(nulls, t))
}

// denominator is the row count the tolerance applies to.
func denominator(nulls Nulls, t *tally) int64 {
	if nulls == NullsIgnore {
		return t.elements - t.missing
	}
	return t.elements
}

// passes applies the check's tolerance (max_fail_count or
// max_fail_fraction, else none) to a tally.
func passes(c *Check, nulls Nulls, t *tally) bool {
	switch {
	case c.MaxFailCount != nil:
		return t.unexpected <= *c.MaxFailCount
	case c.MaxFailFraction != nil:
		d := denominator(nulls, t)
		if d == 0 {
			return true
		}
		return float64(t.unexpected)/float64(d) <= *c.MaxFailFraction
	}
	return t.unexpected == 0
}

// groupTally is a group's part of a row-level check.
func (r *runner) groupTally(c *Check, nulls Nulls, cols []string, key string, t *tally) *GroupResult {
	g := &GroupResult{Group: decodeGroupKey(cols, key)}
	fillCounts(&g.ElementCount, &g.MissingCount, &g.UnexpectedCount, &g.UnexpectedPercent,
		&g.UnexpectedPercentTotal, &g.UnexpectedPercentNonmissing, c, nulls, t)
	g.Success = passes(c, nulls, t)
	return g
}

// fractionResult decides a null_fraction check.
func (r *runner) fractionResult(res *Result, c *Check, t *tally) {
	res.ElementCount, res.MissingCount = t.elements, t.missing
	res.MissingPercent = pct(t.missing, t.elements)
	if t.elements == 0 {
		res.ObservedValue = nil
		res.Success = false
		res.Message = "no rows: the null fraction is undefined"
		return
	}
	f := float64(t.missing) / float64(t.elements)
	res.ObservedValue = f
	res.Success = inBounds(f, c.Min, c.Max, false, false)
	if !res.Success {
		res.Message = fmt.Sprintf("null fraction %.4g is not %s", f, boundsText(c.Min, c.Max, false, false))
	}
}

func (r *runner) groupFraction(c *Check, cols []string, key string, t *tally) *GroupResult {
	g := &GroupResult{Group: decodeGroupKey(cols, key), ElementCount: t.elements, MissingCount: t.missing}
	if t.elements == 0 {
		return nil
	}
	f := float64(t.missing) / float64(t.elements)
	g.ObservedValue = f
	g.Success = inBounds(f, c.Min, c.Max, false, false)
	if g.Success {
		return nil
	}
	return g
}

func inBounds(v float64, min, max *float64, strictMin, strictMax bool) bool {
	if v != v {
		return false
	}
	if min != nil && (v < *min || strictMin && v == *min) {
		return false
	}
	if max != nil && (v > *max || strictMax && v == *max) {
		return false
	}
	return true
}

// attachSamples fetches the failing rows' values (one targeted read of
// the row groups that hold them) into the result.
func (r *runner) attachSamples(ctx context.Context, res *Result, cols []string, rows []int64, c *Check) error {
	samples, err := r.samples(ctx, cols, rows)
	if err != nil {
		return err
	}
	res.Samples = samples
	if len(cols) == 0 {
		return nil
	}
	// The offending value, typed as Great Expectations lists it: the
	// check's column (or first key column).
	var typ dataset.Type
	if i := r.plan.schema.Index(cols[0]); i >= 0 {
		typ = r.plan.schema[i].Type
	}
	for _, s := range samples {
		res.PartialUnexpectedList = append(res.PartialUnexpectedList, typedValue(s.Values[cols[0]], typ))
	}
	return nil
}

// typedValue turns a rendered cell back into a JSON number or boolean for
// numeric and boolean columns; other values stay text, null stays nil.
func typedValue(v *string, t dataset.Type) any {
	if v == nil {
		return nil
	}
	switch t {
	case dataset.Int32, dataset.Int64:
		if i, err := strconv.ParseInt(*v, 10, 64); err == nil {
			return i
		}
	case dataset.Float32, dataset.Float64:
		if f, err := strconv.ParseFloat(*v, 64); err == nil {
			return f
		}
	case dataset.Bool:
		if b, err := strconv.ParseBool(*v); err == nil {
			return b
		}
	}
	return *v
}

func (r *runner) attachGroupSamples(ctx context.Context, g *GroupResult, cols []string, rows []int64) error {
	samples, err := r.samples(ctx, cols, rows)
	g.Samples = samples
	return err
}

func (r *runner) samples(ctx context.Context, cols []string, rows []int64) ([]Sample, error) {
	if len(rows) == 0 || len(cols) == 0 {
		return nil, nil
	}
	cells, err := dataset.FetchCells(ctx, r.scan, cols, rows)
	if err != nil {
		return nil, err
	}
	out := make([]Sample, 0, len(rows))
	for _, n := range rows {
		vals := map[string]*string{}
		for i, c := range cols {
			if row, ok := cells[n]; ok {
				vals[c] = row[i]
			}
		}
		out = append(out, Sample{Row: n, Values: vals})
	}
	return out, nil
}

// rowAdder takes the batches of a secondary scan.
type rowAdder interface{ add(b *batch) error }

// rescan reads the columns again (with a where filter's columns) and
// feeds a fresh adder per row group: for recounts.
func (r *runner) rescan(ctx context.Context, cols []string, where int, mk func() rowAdder) error {
	return r.scanRowGroups(ctx, cols, where, -1, func(rg dataset.RowGroup) func(*batch) error {
		a := mk()
		return a.add
	})
}

// scanRows reads the columns again, with the where mask and group ids of
// the given indexes (-1: none) computed, and calls fn per batch.
func (r *runner) scanRows(ctx context.Context, cols []string, where, grouping int, fn func(rg dataset.RowGroup, b *batch) bool) error {
	return r.scanRowGroups(ctx, cols, where, grouping, func(rg dataset.RowGroup) func(*batch) error {
		return func(b *batch) error {
			fn(rg, b)
			return nil
		}
	})
}

func (r *runner) scanRowGroups(ctx context.Context, cols []string, where, grouping int, mk func(rg dataset.RowGroup) func(*batch) error) error {
	p := r.plan
	need := map[string]bool{}
	for _, c := range cols {
		need[c] = true
	}
	if where >= 0 {
		for _, c := range p.wheres[where].prog.Columns() {
			need[c] = true
		}
	}
	if grouping >= 0 {
		for _, c := range p.groupings[grouping].cols {
			need[c] = true
		}
	}
	var proj []string
	for _, c := range p.schema {
		if need[c.Name] {
			proj = append(proj, c.Name)
		}
	}
	return r.scan.Scan(ctx, dataset.ScanOptions{Columns: proj, Workers: p.env.Workers}, func(ctx context.Context, rg dataset.RowGroup, br *dataset.BatchReader) error {
		b := &batch{wheres: make([]whereState, len(p.wheres)), groups: make([]groupState, len(p.groupings))}
		if where >= 0 {
			b.wheres[where].ev = p.wheres[where].prog.NewEvaluator()
		}
		fn := mk(rg)
		for br.Next() {
			rec := br.Record()
			b.rec, b.n, b.row0 = rec, int(rec.NumRows()), rg.FirstRow+br.Offset()
			b.cols = columnsByName(rec, b.cols)
			if err := b.prepareOnly(p, where, grouping); err != nil {
				return err
			}
			if err := fn(b); err != nil {
				return err
			}
		}
		return br.Err()
	})
}
