package checks

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/dataset/profile"
)

// metricReq is an aggregate a check needs: the function over a column
// (with a probability for quantile), under a where filter and per group.
type metricReq struct {
	fn       string
	col      string
	prob     float64
	where    int
	grouping int
}

// canonical is the metric's name in results and history:
// "mean(income)", "quantile(score, 0.99)", "row_count".
func (m metricReq) canonical() string {
	switch {
	case m.col == "":
		return m.fn
	case m.fn == "quantile":
		return fmt.Sprintf("%s(%s, %s)", m.fn, m.col, strconv.FormatFloat(m.prob, 'g', -1, 64))
	}
	return fmt.Sprintf("%s(%s)", m.fn, m.col)
}

// colKey identifies the per-column analyzers of a where filter and a
// grouping.
type colKey struct {
	col      string
	where    int
	grouping int
}

// metricSet is every aggregate a plan computes, analysed once however
// many checks use it: per column and filter, one moments analyzer, one
// quantile sketch, one exact distinct counter.
type metricSet struct {
	reqs      []metricReq
	moments   []colKey
	quantiles []colKey
	distinct  map[colKey]*keyCounter
	rowCount  bool
	colTypes  map[string]dataset.Column
}

func newMetricSet() *metricSet {
	return &metricSet{distinct: map[colKey]*keyCounter{}, colTypes: map[string]dataset.Column{}}
}

// facts are what a run decides from the source's footers before scanning:
// the row count and the aggregates the Parquet statistics answer. Every
// scan of a sharded run decides them alike, from the whole source's
// footers.
type facts struct {
	rows int64
	// fromStats holds the requests the statistics answered.
	fromStats map[metricReq]*float64
	// skip marks moments not needed in the scan (statistics answered).
	skip map[colKey]bool
}

// request registers an aggregate and returns it.
func (ms *metricSet) request(m metricReq, col dataset.Column) metricReq {
	if !slices.Contains(ms.reqs, m) {
		ms.reqs = append(ms.reqs, m)
	}
	if m.col != "" {
		ms.colTypes[m.col] = col
	}
	k := colKey{m.col, m.where, m.grouping}
	switch m.fn {
	case "row_count":
		ms.rowCount = true
		if m.where >= 0 || m.grouping >= 0 {
			// Counted with the moments of no column.
			if !slices.Contains(ms.moments, k) {
				ms.moments = append(ms.moments, k)
			}
		}
	case "distinct", "unique_fraction":
		if ms.distinct[k] == nil {
			ms.distinct[k] = newKeyCounter([]string{m.col}, isIntType(col.Arrow()), m.where, m.grouping)
		}
		if !slices.Contains(ms.moments, k) {
			ms.moments = append(ms.moments, k)
		}
	case "median", "quantile":
		if !slices.Contains(ms.quantiles, k) {
			ms.quantiles = append(ms.quantiles, k)
		}
	default:
		if !slices.Contains(ms.moments, k) {
			ms.moments = append(ms.moments, k)
		}
	}
	return m
}

// reads lists the columns the scan must read for the aggregates not
// answered by statistics (f nil: none answered).
func (ms *metricSet) reads(f *facts) []string {
	var cols []string
	add := func(c string) {
		if c != "" && !slices.Contains(cols, c) {
			cols = append(cols, c)
		}
	}
	for _, k := range ms.moments {
		if f == nil || !f.skip[k] {
			add(k.col)
		}
	}
	for _, k := range ms.quantiles {
		add(k.col)
	}
	for k := range ms.distinct {
		add(k.col)
	}
	return cols
}

// facts answers what the Parquet statistics answer exactly: null counts,
// counts, null fractions, minima and maxima of columns without a filter or
// grouping, when every row group has the statistics. The moments of a
// column are then not computed, if nothing else needs them.
func (ms *metricSet) facts(sc *dataset.Scanner) *facts {
	f := &facts{rows: sc.NumRows(), fromStats: map[metricReq]*float64{}, skip: map[colKey]bool{}}
	byCol := map[string][]metricReq{}
	for _, m := range ms.reqs {
		if m.where < 0 && m.grouping < 0 && m.col != "" {
			byCol[m.col] = append(byCol[m.col], m)
		}
	}
	rows := float64(sc.NumRows())
	for col, reqs := range byCol {
		var nulls float64
		lo, hi := math.Inf(1), math.Inf(-1)
		nullsKnown, boundsKnown := true, true
		anyBounds := false
		for _, rg := range sc.RowGroups() {
			st := rg.Stats(col)
			if !st.NullsKnown {
				nullsKnown = false
			}
			nulls += float64(st.Nulls)
			if st.MinMaxKnown {
				anyBounds = true
				lo, hi = math.Min(lo, st.Min), math.Max(hi, st.Max)
			} else if st.Nulls != rg.NumRows {
				boundsKnown = false
			}
		}
		float := isFloatType(ms.colTypes[col].Arrow())
		answered := true
		for _, m := range reqs {
			var v *float64
			switch {
			case !nullsKnown:
			case m.fn == "nulls":
				v = fptr(nulls)
			case m.fn == "count":
				v = fptr(rows - nulls)
			case m.fn == "null_fraction" && rows > 0:
				v = fptr(nulls / rows)
			case (m.fn == "min" || m.fn == "max") && boundsKnown && anyBounds && !float:
				// Float statistics leave NaN out, as assay does, but some
				// writers record -0/+0 loosely: floats are scanned.
				if m.fn == "min" {
					v = fptr(lo)
				} else {
					v = fptr(hi)
				}
			}
			if v != nil {
				f.fromStats[m] = v
				continue
			}
			// distinct and quantiles have analyzers of their own;
			// everything else (unique_fraction's count too) needs the
			// moments.
			if m.fn != "distinct" && m.fn != "median" && m.fn != "quantile" {
				answered = false
			}
		}
		if answered {
			f.skip[colKey{col, -1, -1}] = true
		}
	}
	return f
}

func fptr(v float64) *float64 { return &v }

// moments is the mergeable state of a column's simple aggregates.
type moments struct {
	rows   int64 // rows seen (after where)
	nulls  int64
	n      int64 // non-null, non-NaN numeric values
	mean   float64
	m2     float64
	sum    float64
	isum   int64 // exact sum of integers
	iover  bool  // isum overflowed
	min    float64
	max    float64
	hasMin bool
	nan    int64
}

func (m *moments) addBatch(xs []float64, is []int64) {
	if len(xs) == 0 {
		return
	}
	var sum float64
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, x := range xs {
		sum += x
		lo, hi = math.Min(lo, x), math.Max(hi, x)
	}
	nb := float64(len(xs))
	mb := sum / nb
	var m2 float64
	for _, x := range xs {
		d := x - mb
		m2 += d * d
	}
	m.combine(int64(len(xs)), mb, m2, sum, lo, hi)
	for _, v := range is {
		s, over := addOverflow(m.isum, v)
		m.isum, m.iover = s, m.iover || over
	}
}

func addOverflow(a, b int64) (int64, bool) {
	s := a + b
	return s, (a > 0 && b > 0 && s < 0) || (a < 0 && b < 0 && s >= 0)
}

func (m *moments) combine(nb int64, mb, m2b, sumb, lo, hi float64) {
	if nb == 0 {
		return
	}
	m.sum += sumb
	if !m.hasMin {
		m.min, m.max, m.hasMin = lo, hi, true
	} else {
		m.min, m.max = math.Min(m.min, lo), math.Max(m.max, hi)
	}
	if m.n == 0 {
		m.n, m.mean, m.m2 = nb, mb, m2b
		return
	}
	na, n := float64(m.n), float64(m.n+nb)
	d := mb - m.mean
	m.mean += d * float64(nb) / n
	m.m2 += m2b + d*d*na*float64(nb)/n
	m.n += nb
}

func (m *moments) merge(o *moments) {
	m.rows += o.rows
	m.nulls += o.nulls
	m.nan += o.nan
	s, over := addOverflow(m.isum, o.isum)
	m.isum, m.iover = s, m.iover || o.iover || over
	if o.n > 0 {
		m.combine(o.n, o.mean, o.m2, o.sum, o.min, o.max)
	}
}

// metricStates are the aggregate states of one row group, or merged over
// several.
type metricStates struct {
	ms    *metricSet
	f     *facts // the scan's (nil for decoded states, which take no rows)
	fbuf  []float64
	ibuf  []int64
	qbuf  []float64
	qvals []float64
	mom   map[colKey]map[string]*moments
	quant map[colKey]map[string]*profile.QuantileSketch
	dist  map[colKey]*keyState
	xs    []float64
	is    []int64
}

// newMetricStates returns empty states without distinct counters.
func (ms *metricSet) newMetricStates() *metricStates {
	return &metricStates{ms: ms, mom: map[colKey]map[string]*moments{}, quant: map[colKey]map[string]*profile.QuantileSketch{}, dist: map[colKey]*keyState{}}
}

// start returns fresh states for a row group of the scan.
func (ms *metricSet) start(sx *scanCtx) *metricStates {
	st := ms.newMetricStates()
	st.f = sx.facts
	for k, kc := range ms.distinct {
		st.dist[k] = kc.start(sx.keySets(kc))
	}
	return st
}

// groupOf returns the group key of row i ("" without grouping).
func groupOf(b *batch, grouping, i int) string {
	if grouping < 0 {
		return ""
	}
	g := &b.groups[grouping]
	return g.keys[g.ids[i]]
}

func (st *metricStates) add(b *batch) error {
	ms := st.ms
	for _, k := range ms.moments {
		if st.f.skip[k] {
			continue
		}
		if err := st.addMoments(b, k); err != nil {
			return err
		}
	}
	for _, k := range ms.quantiles {
		st.addQuantiles(b, k)
	}
	for _, ks := range st.dist {
		if err := ks.add(b); err != nil {
			return err
		}
	}
	return nil
}

func (st *metricStates) momentsOf(k colKey, group string) *moments {
	m := st.mom[k]
	if m == nil {
		m = map[string]*moments{}
		st.mom[k] = m
	}
	mm := m[group]
	if mm == nil {
		mm = &moments{}
		m[group] = mm
	}
	return mm
}

func (st *metricStates) addMoments(b *batch, k colKey) error {
	var mask []byte
	if k.where >= 0 {
		mask = b.wheres[k.where].mask
	}
	if k.col == "" {
		// Row counts under a filter or per group.
		for i := range b.n {
			if mask == nil || mask[i] == 1 {
				st.momentsOf(k, groupOf(b, k.grouping, i)).rows++
			}
		}
		return nil
	}
	a := b.col(k.col)
	numeric := isIntType(a.DataType()) || isFloatType(a.DataType()) || a.DataType().ID() == arrow.BOOL
	if k.grouping < 0 && mask == nil {
		m := st.momentsOf(k, "")
		m.rows += int64(b.n)
		m.nulls += int64(a.NullN())
		if numeric {
			st.xs, st.is = st.values(a, nil, st.xs[:0], st.is[:0], m)
			m.addBatch(st.xs, st.is)
		}
		return nil
	}
	// Filtered or grouped: one pass per group present in the batch.
	groups := map[string][]int{}
	for i := range b.n {
		if mask != nil && mask[i] == 0 {
			continue
		}
		g := groupOf(b, k.grouping, i)
		groups[g] = append(groups[g], i)
	}
	for g, rows := range groups {
		m := st.momentsOf(k, g)
		m.rows += int64(len(rows))
		for _, i := range rows {
			if a.IsNull(i) {
				m.nulls++
			}
		}
		if numeric {
			st.xs, st.is = st.values(a, rows, st.xs[:0], st.is[:0], m)
			m.addBatch(st.xs, st.is)
		}
	}
	return nil
}

// values collects the non-null, non-NaN values of the rows (all when
// rows is nil) as floats, and as int64s for integer columns.
func (st *metricStates) values(a arrow.Array, rows []int, xs []float64, is []int64, m *moments) ([]float64, []int64) {
	isInt := isIntType(a.DataType())
	// The scratch buffers serve several columns: keep a result in them
	// only when it is a conversion, never the array's own memory.
	all := floats(a, st.fbuf)
	if _, own := a.(*array.Float64); !own {
		st.fbuf = all
	}
	var alli []int64
	if isInt {
		alli = ints(a, st.ibuf)
		switch a.(type) {
		case *array.Int64, *array.Timestamp:
		default:
			st.ibuf = alli
		}
	}
	take := func(i int) {
		if a.IsNull(i) {
			return
		}
		x := all[i]
		if x != x {
			m.nan++
			return
		}
		xs = append(xs, x)
		if isInt {
			is = append(is, alli[i])
		}
	}
	if rows == nil {
		for i := range all {
			take(i)
		}
	} else {
		for _, i := range rows {
			take(i)
		}
	}
	return xs, is
}

func (st *metricStates) addQuantiles(b *batch, k colKey) {
	a := b.col(k.col)
	var mask []byte
	if k.where >= 0 {
		mask = b.wheres[k.where].mask
	}
	all := floats(a, st.qbuf)
	if _, own := a.(*array.Float64); !own {
		st.qbuf = all
	}
	nulls := a.NullN() > 0
	sketch := func(g string) *profile.QuantileSketch {
		m := st.quant[k]
		if m == nil {
			m = map[string]*profile.QuantileSketch{}
			st.quant[k] = m
		}
		q := m[g]
		if q == nil {
			q = profile.NewQuantileSketch(uint64(len(m)) + 1)
			if k.where < 0 && k.grouping < 0 {
				q.Expect(st.f.rows) // the column has at most this many values
			}
			m[g] = q
		}
		return q
	}
	if k.grouping < 0 {
		xs := st.qvals[:0]
		for i, x := range all {
			if mask != nil && mask[i] == 0 || nulls && a.IsNull(i) || x != x {
				continue
			}
			xs = append(xs, x)
		}
		st.qvals = xs
		sketch("").Add(xs)
		return
	}
	// Groups in order of first appearance: a sketch's seed is the number
	// of sketches before it, the same in every run.
	byGroup := map[string][]float64{}
	var order []string
	for i, x := range all {
		if mask != nil && mask[i] == 0 || nulls && a.IsNull(i) || x != x {
			continue
		}
		g := groupOf(b, k.grouping, i)
		if _, seen := byGroup[g]; !seen {
			order = append(order, g)
		}
		byGroup[g] = append(byGroup[g], x)
	}
	for _, g := range order {
		sketch(g).Add(byGroup[g])
	}
}

// merge adds o, the states of the rows right after st's.
func (st *metricStates) merge(o *metricStates) {
	st.mergeValues(o)
	st.mergeDist(o)
}

// mergeValues adds o's moments and quantile sketches. Their float sums and
// sketches depend on the order of merges: a run folds row groups one by
// one, in row-group order, into the states of none.
func (st *metricStates) mergeValues(o *metricStates) {
	for k, groups := range o.mom {
		for g, m := range groups {
			st.momentsOf(k, g).merge(m)
		}
	}
	for k, groups := range o.quant {
		if st.quant[k] == nil {
			st.quant[k] = map[string]*profile.QuantileSketch{}
		}
		for g, c := range groups {
			if cur := st.quant[k][g]; cur != nil {
				cur.Merge(c)
			} else {
				st.quant[k][g] = c
			}
		}
	}
}

// mergeDist adds o's distinct counters (exact: in any grouping of merges).
func (st *metricStates) mergeDist(o *metricStates) {
	for k, ks := range o.dist {
		if cur := st.dist[k]; cur != nil {
			cur.merge(ks)
		} else {
			st.dist[k] = ks
		}
	}
}

// empty reports whether the states hold no moments and no sketches.
func (st *metricStates) empty() bool { return len(st.mom) == 0 && len(st.quant) == 0 }

// finish completes the distinct counters (which may rescan).
func (ms *metricSet) finish(ctx context.Context, r *runner) error {
	for k, kc := range ms.distinct {
		ks := r.total.dist[k]
		if ks == nil {
			return fmt.Errorf("checks: partial has no distinct counter for %s", k.col)
		}
		if err := kc.finish(ctx, r, ks); err != nil {
			return err
		}
	}
	r.metrics["row_count"] = fptr(float64(r.rows))
	for _, m := range ms.reqs {
		if m.where < 0 && m.grouping < 0 {
			r.metrics[m.canonical()] = r.metric(m, "")
		}
	}
	return nil
}

// metric returns an aggregate's value for a group ("" without grouping),
// nil when undefined (the mean of no values, say).
func (r *runner) metric(m metricReq, group string) *float64 {
	ms, rows := r.plan.metrics, r.rows
	if v, ok := r.facts.fromStats[m]; ok && group == "" {
		return v
	}
	k := colKey{m.col, m.where, m.grouping}
	if m.fn == "row_count" {
		if m.where < 0 && m.grouping < 0 {
			return fptr(float64(rows))
		}
		if mm := r.total.mom[k][group]; mm != nil {
			return fptr(float64(mm.rows))
		}
		return fptr(0)
	}
	mm := r.total.mom[k][group]
	if mm == nil {
		mm = &moments{}
	}
	switch m.fn {
	case "count":
		return fptr(float64(mm.rows - mm.nulls))
	case "nulls":
		return fptr(float64(mm.nulls))
	case "null_fraction":
		if mm.rows == 0 {
			return nil
		}
		return fptr(float64(mm.nulls) / float64(mm.rows))
	case "sum":
		if mm.n == 0 {
			return nil
		}
		if isIntType(ms.colTypes[m.col].Arrow()) && !mm.iover {
			return fptr(float64(mm.isum))
		}
		return fptr(mm.sum)
	case "mean":
		if mm.n == 0 {
			return nil
		}
		return fptr(mm.mean)
	case "min":
		if !mm.hasMin {
			return nil
		}
		return fptr(mm.min)
	case "max":
		if !mm.hasMin {
			return nil
		}
		return fptr(mm.max)
	case "variance", "stddev":
		if mm.n < 2 {
			return nil
		}
		v := mm.m2 / float64(mm.n-1)
		if m.fn == "stddev" {
			v = math.Sqrt(v)
		}
		return fptr(v)
	case "median", "quantile":
		c := r.total.quant[k][group]
		if c == nil {
			return nil
		}
		// Great Expectations: the median averages the two middle values;
		// quantiles take the nearest rank (pandas' interpolation="nearest").
		q, ok := c.Quantile(0.5)
		if m.fn == "quantile" {
			q, ok = c.QuantileNearest(m.prob)
		}
		if !ok {
			return nil
		}
		return fptr(q)
	case "distinct", "unique_fraction":
		kc := ms.distinct[k]
		d, _, _, _ := kc.counts(group, r.total.dist[k])
		if m.fn == "distinct" {
			return fptr(float64(d))
		}
		nonNull := mm.rows - mm.nulls
		if nonNull == 0 {
			return nil
		}
		return fptr(float64(d) / float64(nonNull))
	}
	return nil
}
