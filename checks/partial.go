package checks

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/zeebo/xxh3"

	"github.com/assayhq/assay/dataset"
)

// Partial is the state of a plan's analyzers over consecutive row groups
// of a source: what a worker of a sharded run computes from its row groups
// and hands on as bytes (MarshalBinary). Partials of adjacent row groups
// merge, in any grouping; the partial of all row groups finishes into the
// same Run that Plan.Run gives (Plan.Finish).
//
// A Partial holds the checks' tallies and first failing rows, the order
// checks' first and last values, the keys (and counts) of unique checks
// and distinct metrics, the rows label_conflicts collects, and the
// aggregates' moments and quantile sketches. Moments and sketches of
// floats depend on the order of merges, so a partial that does not start
// at the first row group keeps them per row group until it is merged into
// one that does.
type Partial struct {
	plan   *Plan
	lo, hi int   // the row groups covered: positions lo to hi-1
	groups int   // the source's row groups
	rows   int64 // the source's rows
	states []state
	// metrics holds the distinct counters, and, when lo is 0, the
	// moments and sketches folded over the row groups in order.
	metrics *metricStates
	// pending holds, when lo is above 0, the moments and sketches of each
	// row group (those that have any), in row-group order.
	pending []*metricStates
	used    bool
}

// RowGroups returns the positions of the row groups the partial covers:
// from first to end-1 (none when first == end, for a source without row
// groups).
func (q *Partial) RowGroups() (first, end int) { return q.lo, q.hi }

// scanCtx is what the row groups of one scan share: the facts of the
// footers and the key sets of uniqueness and distinct counters.
type scanCtx struct {
	facts *facts
	rows  int64 // the rows the scan reads: key sets reserve room for them
	mu    sync.Mutex
	sets  map[*keyCounter]*keySets
}

// keySets returns the scan's sets of a counter.
func (sx *scanCtx) keySets(kc *keyCounter) *keySets {
	sx.mu.Lock()
	defer sx.mu.Unlock()
	ks := sx.sets[kc]
	if ks == nil {
		ks = newKeySets(sx.rows)
		sx.sets[kc] = ks
	}
	return ks
}

// Scan runs the plan's row-level analyzers over the row groups of sc that
// only accepts (nil: all), which must be consecutive, and returns their
// partial. sc is the scanner of the whole source (all files' footers), so
// that what is decided from footers (row counts, aggregates the Parquet
// statistics answer, which columns to read) is the same on every worker;
// the rows read are only those of the accepted row groups.
//
// A Plan scans from several goroutines at once; it loads the data of
// reference checks on its first scan. Failed-rows output is Run's only
// (RunOptions.FailedRows). When rules use now(), every machine's plan
// needs the same Env.Now.
func (p *Plan) Scan(ctx context.Context, sc *dataset.Scanner, only func(dataset.RowGroup) bool) (*Partial, error) {
	return p.scan(ctx, sc, only, nil)
}

// scanRange returns the positions of the row groups only accepts, which
// must be consecutive, and their rows.
func scanRange(sc *dataset.Scanner, only func(dataset.RowGroup) bool) (lo, hi int, rows int64, err error) {
	lo, hi = -1, -1
	for i, rg := range sc.RowGroups() {
		if rg.Index != i {
			return 0, 0, 0, fmt.Errorf("checks: a scan needs the scanner of the whole source (row group %d is at position %d)", rg.Index, i)
		}
		if only != nil && !only(rg) {
			continue
		}
		if hi >= 0 && hi != i {
			return 0, 0, 0, fmt.Errorf("checks: a scan's row groups must be consecutive (%d follows %d)", i, hi-1)
		}
		if lo < 0 {
			lo = i
		}
		hi = i + 1
		rows += rg.NumRows
	}
	if lo < 0 {
		if len(sc.RowGroups()) > 0 {
			return 0, 0, 0, errors.New("checks: the scan accepts none of the source's row groups")
		}
		lo, hi = 0, 0
	}
	return lo, hi, rows, nil
}

// scan is Scan, with failed rows written when failed is set.
func (p *Plan) scan(ctx context.Context, sc *dataset.Scanner, only func(dataset.RowGroup) bool, failed *FailedRowsWriter) (*Partial, error) {
	lo, hi, scanned, err := scanRange(sc, only)
	if err != nil {
		return nil, err
	}
	if err := p.loadReferences(ctx); err != nil {
		return nil, err
	}
	f := p.metrics.facts(sc)
	sx := &scanCtx{facts: f, rows: scanned, sets: map[*keyCounter]*keySets{}}
	q := &Partial{plan: p, lo: lo, hi: hi, groups: len(sc.RowGroups()), rows: sc.NumRows(),
		states: make([]state, len(p.checkers)), metrics: p.metrics.start(sx)}
	for i, ck := range p.checkers {
		q.states[i] = ck.start(sx)
	}
	cols := p.projection(f)
	if failed != nil {
		cols = sc.Schema().Supported().Names()
		if err := failed.begin(sc.Schema().Supported()); err != nil {
			return nil, err
		}
	}
	if len(cols) == 0 || lo == hi {
		// Nothing to read: row counts come from the footers.
		return q, nil
	}
	type rgResult struct {
		states  []state
		metrics *metricStates
		fail    *failBuffer
	}
	var (
		mu      sync.Mutex
		pending = map[int]*rgResult{}
		next    = lo
	)
	// Row groups finish in any order; their states join the partial in
	// row-group order.
	mergeReady := func() error {
		for next < hi {
			res, ok := pending[next]
			if !ok {
				return nil
			}
			delete(pending, next)
			next++
			q.add(res.states, res.metrics)
			if failed != nil {
				if err := failed.flush(res.fail); err != nil {
					return err
				}
			}
		}
		return nil
	}
	inRange := func(rg dataset.RowGroup) bool { return rg.Index >= lo && rg.Index < hi }
	err = sc.Scan(ctx, dataset.ScanOptions{Columns: cols, Workers: p.env.Workers, Only: inRange}, func(ctx context.Context, rg dataset.RowGroup, br *dataset.BatchReader) error {
		states := make([]state, len(p.checkers))
		for i, ck := range p.checkers {
			states[i] = ck.start(sx)
		}
		ms := p.metrics.start(sx)
		b := &batch{
			wheres: make([]whereState, len(p.wheres)),
			groups: make([]groupState, len(p.groupings)),
		}
		for i, w := range p.wheres {
			b.wheres[i].ev = w.prog.NewEvaluator()
		}
		var fb *failBuffer
		if failed != nil {
			fb = failed.buffer(p)
			b.fail = fb
		}
		for br.Next() {
			if err := ctx.Err(); err != nil {
				return err
			}
			rec := br.Record()
			b.rec, b.n, b.row0 = rec, int(rec.NumRows()), rg.FirstRow+br.Offset()
			b.cols = columnsByName(rec, b.cols)
			if err := b.prepare(p); err != nil {
				return err
			}
			if fb != nil {
				fb.startBatch(b)
			}
			for _, st := range states {
				if err := st.add(b); err != nil {
					return err
				}
			}
			if err := ms.add(b); err != nil {
				return err
			}
			if fb != nil {
				if err := fb.endBatch(b); err != nil {
					return err
				}
			}
		}
		if err := br.Err(); err != nil {
			return err
		}
		mu.Lock()
		defer mu.Unlock()
		pending[rg.Index] = &rgResult{states: states, metrics: ms, fail: fb}
		return mergeReady()
	})
	if err != nil {
		return nil, err
	}
	return q, nil
}

// add merges the states of the row group after the partial's.
func (q *Partial) add(states []state, ms *metricStates) {
	for i, st := range states {
		q.states[i].merge(st)
	}
	q.metrics.mergeDist(ms)
	if q.lo == 0 {
		q.metrics.mergeValues(ms)
	} else if !ms.empty() {
		q.pending = append(q.pending, &metricStates{ms: ms.ms, mom: ms.mom, quant: ms.quant})
	}
}

// Merge adds o, the partial of the row groups right after q's, to q; o is
// used up. Partials of other plans or sources, or of row groups that do
// not follow q's, are an error. Merging is exact in any grouping of
// adjacent partials; it is cheapest from the first row group on.
func (q *Partial) Merge(o *Partial) error {
	switch {
	case q == nil || o == nil:
		return errors.New("checks: merge of a nil partial")
	case q.used || o.used:
		return errors.New("checks: merge of a partial already merged or finished")
	case q.plan.signature() != o.plan.signature():
		return errors.New("checks: merge of partials of different plans")
	case q.groups != o.groups || q.rows != o.rows:
		return fmt.Errorf("checks: merge of partials of different sources (%d and %d row groups, %d and %d rows)", q.groups, o.groups, q.rows, o.rows)
	case q.hi != o.lo:
		return fmt.Errorf("checks: the partial of row groups %s does not follow that of row groups %s", rangeText(o.lo, o.hi), rangeText(q.lo, q.hi))
	}
	o.used = true
	if q.lo == q.hi {
		// q covers nothing (a source without row groups): so does o.
		return nil
	}
	for i, st := range o.states {
		q.states[i].merge(st)
	}
	q.metrics.mergeDist(o.metrics)
	if q.lo == 0 {
		for _, ms := range o.pending {
			q.metrics.mergeValues(ms)
		}
	} else {
		q.pending = append(q.pending, o.pending...)
	}
	q.hi = o.hi
	return nil
}

func rangeText(lo, hi int) string {
	if hi == lo+1 {
		return fmt.Sprint(lo)
	}
	return fmt.Sprintf("%d to %d", lo, hi-1)
}

// Finish turns q, the partial of all of src's row groups, into the run,
// exactly as Run would; q is used up. It reads src again where Run does
// after its scan: the failing rows' values, the rows of duplicate keys,
// and a recount when integer key runs overlap. The run's Elapsed is
// Finish's own time.
func (p *Plan) Finish(ctx context.Context, src *dataset.Source, q *Partial) (*Run, error) {
	start := time.Now()
	sc, err := src.Scanner(ctx)
	if err != nil {
		return nil, err
	}
	defer sc.Close()
	run, err := p.finish(ctx, src, sc, q)
	if err != nil {
		return nil, err
	}
	run.Elapsed = time.Since(start).Seconds()
	return run, nil
}

// fits checks that q is a whole, unused partial of this plan and source.
func (p *Plan) fits(q *Partial, sc *dataset.Scanner) error {
	switch {
	case q == nil:
		return errors.New("checks: finish of a nil partial")
	case q.used:
		return errors.New("checks: finish of a partial already merged or finished")
	case q.plan.signature() != p.signature():
		return errors.New("checks: the partial is of another plan")
	case q.groups != len(sc.RowGroups()) || q.rows != sc.NumRows():
		return fmt.Errorf("checks: the partial is of another source (%d row groups, %d rows; this one has %d, %d)", q.groups, q.rows, len(sc.RowGroups()), sc.NumRows())
	case q.lo != 0 || q.hi != q.groups:
		return fmt.Errorf("checks: the partial covers row groups %s of %d: merge all before finishing", rangeText(q.lo, q.hi), q.groups)
	}
	return nil
}

// loadReferences reads the value sets of reference checks, once per plan.
func (p *Plan) loadReferences(ctx context.Context) error {
	p.refMu.Lock()
	defer p.refMu.Unlock()
	if p.refsLoaded {
		return nil
	}
	for _, ref := range p.references {
		if err := ref.load(ctx, p); err != nil {
			return err
		}
	}
	p.refsLoaded = true
	return nil
}

// signature identifies what a partial's states depend on: the schema, the
// checks as written (positions aside), the analyzers, the samples kept and
// the key columns. Partials merge and finish only under plans with the
// same signature.
func (p *Plan) signature() uint64 {
	p.sigOnce.Do(func() {
		var b strings.Builder
		fmt.Fprintf(&b, "partial %d\n", partialVersion)
		for _, c := range p.schema {
			fmt.Fprintf(&b, "column %q %s %q\n", c.Name, c.Type, c.Unsupported)
		}
		fmt.Fprintf(&b, "samples %d keys %q\n", p.env.Samples, p.env.Keys)
		for _, ck := range p.checkers {
			c := *ck.spec()
			c.Pos, c.ArgPos = Pos{}, nil
			spec, err := json.Marshal(c)
			if err != nil {
				spec = []byte(fmt.Sprintf("%s %q %q", c.Kind, name(&c), err))
			}
			fmt.Fprintf(&b, "check %T %s reads %q\n", ck, spec, ck.reads())
		}
		for _, w := range p.wheres {
			fmt.Fprintf(&b, "where %q\n", w.src)
		}
		for _, g := range p.groupings {
			fmt.Fprintf(&b, "group_by %q\n", g.cols)
		}
		ms := p.metrics
		fmt.Fprintf(&b, "moments %v\nquantiles %v\ndistinct %v\n", ms.moments, ms.quantiles, ms.distinctKeys())
		p.sig = xxh3.HashString(b.String())
	})
	return p.sig
}

// distinctKeys returns the keys of the distinct counters in a fixed order.
func (ms *metricSet) distinctKeys() []colKey {
	keys := make([]colKey, 0, len(ms.distinct))
	for k := range ms.distinct {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b colKey) int {
		return cmp.Or(strings.Compare(a.col, b.col), cmp.Compare(a.where, b.where), cmp.Compare(a.grouping, b.grouping))
	})
	return keys
}
