package drift

import (
	"context"
	"math"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/dataset/hugepage"
	"github.com/assayhq/assay/dataset/profile"
)

// DefaultSampleCap is the most rows of one side that drift keeps in memory:
// sides with more rows are sampled, every row with the same probability,
// chosen by a hash of its row number (so the sample is the same on every
// run and aligned across columns). Counts of categories and missing values
// are always exact.
const DefaultSampleCap = 1 << 21

// frame holds one side of a comparison: per column, the sampled values in
// row order, and exact counts.
type frame struct {
	label string
	rows  int64 // all rows
	cols  map[string]*colData
	// sampled is how many rows the sample holds; rate the probability a
	// row was kept.
	sampled int
	rate    float64
}

// colData is one column of a frame.
type colData struct {
	col     dataset.Column
	numeric bool // values in num (numbers, dates, timestamps, booleans as 0/1)
	// num holds the sampled values (NaN for null) of a numeric column.
	num []float64
	// codes holds the sampled values of a categorical column as indexes
	// into cats (-1 for null); counts are exact over all rows.
	codes  []int32
	cats   []string
	counts []int64          // by code, over all rows
	index  map[string]int32 // codes by category, when the comparison keeps rows
	nulls  int64            // over all rows
	nan    int64            // NaN in float columns, over all rows (a value, not a null)
	rows   int64            // all rows
}

// categorical reports whether drift treats a column as categories: strings,
// binary and booleans... booleans are numbers with two values, which the
// selection rule then treats as categories.
func categorical(c dataset.Column) bool {
	return c.Type == dataset.String || c.Type == dataset.Binary
}

// keep reports whether row r belongs to a sample taken at rate: a hash of
// the row number below rate (deterministic, independent of workers).
func keep(r int64, rate float64) bool {
	if rate >= 1 {
		return true
	}
	return float64(profile.Mix64(uint64(r)+0x51ed2705)>>11)/(1<<53) < rate
}

// rgPart is what a scan gathers from one row group, by column (in the
// plan's read order).
type rgPart struct {
	num   [][]float64
	cat   []*localCats
	nulls []int64
	nan   []int64
	n     int // sampled rows
}

// scan reads the row groups [first, end) of a side into a part, row groups
// in parallel. Categorical columns record each sampled row's code only
// when the plan needs rows (concept and multivariate drift need rows;
// column tests need counts). With inPlace and every row kept, numbers go
// straight to their place in one array per column.
func (p *Plan) scan(ctx context.Context, s Side, first, end int, inPlace bool) (*Part, error) {
	sc := p.scanners[s]
	rate, cols, rows := p.rate[s], p.read, p.rows
	groups := sc.RowGroups()[first:end]
	q := &Part{side: s, fp: p.fp[s], first: first, end: end, cols: make([]partCol, len(cols))}
	for _, rg := range groups {
		q.rows += rg.NumRows
	}
	var base int64
	if len(groups) > 0 {
		base = groups[0].FirstRow
	}
	inPlace = inPlace && rate >= 1
	for j, c := range cols {
		q.cols[j].cat = categorical(c)
		if inPlace && !q.cols[j].cat {
			q.cols[j].num = make([]float64, q.rows)
			hugepage.Advise(q.cols[j].num)
		}
	}
	var only func(dataset.RowGroup) bool
	if first > 0 || end < len(sc.RowGroups()) {
		only = func(rg dataset.RowGroup) bool { return rg.Index >= first && rg.Index < end }
	}
	parts := make([]*rgPart, len(groups))
	err := sc.Scan(ctx, dataset.ScanOptions{Columns: cols.Names(), Workers: p.workers, Only: only}, func(ctx context.Context, rg dataset.RowGroup, br *dataset.BatchReader) error {
		rp := &rgPart{num: make([][]float64, len(cols)), cat: make([]*localCats, len(cols)), nulls: make([]int64, len(cols)), nan: make([]int64, len(cols))}
		expect := int(float64(rg.NumRows)*rate*1.02) + 64 // sampled rows, with room for chance
		for j, c := range cols {
			switch {
			case categorical(c):
				rp.cat[j] = &localCats{withCodes: rows}
				if rows {
					rp.cat[j].codes = make([]int32, 0, expect)
				}
			case inPlace:
				// Each row group appends into its own stretch of the array.
				at := rg.FirstRow - base
				rp.num[j] = q.cols[j].num[at : at : at+rg.NumRows]
			default:
				rp.num[j] = make([]float64, 0, expect)
			}
		}
		var kept []int
		for br.Next() {
			rec := br.Record()
			row0 := rg.FirstRow + br.Offset()
			kept = kept[:0]
			for i := range int(rec.NumRows()) {
				if keep(row0+int64(i), rate) {
					kept = append(kept, i)
				}
			}
			rp.n += len(kept)
			for j, c := range cols {
				a := rec.Column(j)
				rp.nulls[j] += int64(a.NullN())
				if categorical(c) {
					rp.cat[j].add(a, kept, rate >= 1)
					continue
				}
				rp.num[j] = appendNumbers(rp.num[j], a, kept, rate >= 1, &rp.nan[j])
			}
		}
		if err := br.Err(); err != nil {
			return err
		}
		parts[rg.Index-first] = rp // each row group has its own element
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, rp := range parts {
		q.n += rp.n
	}
	// Concatenate in row order; categories get codes in sorted order.
	for j, c := range cols {
		pc := &q.cols[j]
		for _, rp := range parts {
			pc.nulls += rp.nulls[j]
			pc.nan += rp.nan[j]
		}
		if !categorical(c) {
			switch {
			case inPlace:
			case len(parts) == 1:
				pc.num = parts[0].num[j]
			default:
				pc.num = make([]float64, 0, q.n)
				for _, rp := range parts {
					pc.num = append(pc.num, rp.num[j]...)
				}
			}
			continue
		}
		// The row groups' categories meet in a catTable (the row groups
		// counted them with one): a Go map of a million strings cost
		// seconds here. Codes go by first appearance, then sorted order.
		var seen catTable
		var names []string
		var counts []int64
		var remaps [][]int32 // by part: its codes to first-appearance codes
		for _, rp := range parts {
			lc := rp.cat[j]
			var remap []int32
			if rows {
				remap = make([]int32, len(lc.names))
			}
			for i, k := range lc.names {
				code, h := seen.lookup(k)
				if code < 0 {
					code = int32(len(names))
					seen.insert(h, code)
					names, counts = append(names, k), append(counts, 0)
				}
				counts[code] += lc.counts[i]
				if rows {
					remap[i] = code
				}
			}
			remaps = append(remaps, remap)
		}
		var sorted []int32
		pc.names, pc.counts, sorted = sortCategories(names, counts)
		if !rows {
			continue
		}
		pc.codes = make([]int32, 0, q.n)
		for p, rp := range parts {
			for _, code := range rp.cat[j].codes {
				if code >= 0 {
					code = sorted[remaps[p][code]]
				}
				pc.codes = append(pc.codes, code)
			}
		}
	}
	return q, nil
}

// localCats are one row group's categories: exact counts over all its
// rows and the sampled rows' codes, with codes local to the row group.
type localCats struct {
	index     catTable
	names     []string
	counts    []int64
	withCodes bool
	codes     []int32 // sampled rows, -1 for null, when withCodes
}

// add counts a batch's values and records the codes of the kept rows; when
// every row is kept, the codes come from the same pass.
func (lc *localCats) add(a arrow.Array, kept []int, all bool) {
	all = all && lc.withCodes
	code := func(v string) int32 {
		c, h := lc.index.lookup(v)
		if c < 0 {
			v = strings.Clone(v) // v points into the batch, which is reused
			c = int32(len(lc.names))
			lc.index.insert(h, c)
			lc.names = append(lc.names, v)
			lc.counts = append(lc.counts, 0)
		}
		return c
	}
	str, isStr := a.(*array.String)
	value := func(i int) string {
		if isStr {
			return str.Value(i)
		}
		if b, ok := a.(*array.Binary); ok {
			return string(b.Value(i)) // copies: binary columns are rare
		}
		return ""
	}
	nulls := a.NullN() > 0
	// Runs of one value (sorted or clustered data) skip the map.
	prev, prevCode := "", int32(-1)
	for i := range a.Len() {
		if nulls && a.IsNull(i) {
			if all {
				lc.codes = append(lc.codes, -1)
			}
			continue
		}
		v := value(i)
		c := prevCode
		if c < 0 || v != prev {
			c = code(v)
			prev, prevCode = v, c
		}
		lc.counts[c]++
		if all {
			lc.codes = append(lc.codes, c)
		}
	}
	if all || !lc.withCodes {
		return
	}
	for _, i := range kept {
		if a.IsNull(i) {
			lc.codes = append(lc.codes, -1)
		} else {
			c, _ := lc.index.lookup(value(i))
			lc.codes = append(lc.codes, c)
		}
	}
}

// appendNumbers appends the kept rows' values as float64 (NaN for null;
// booleans as 0/1; dates and timestamps in their unit) and counts NaNs.
// all says every row is kept (kept is then 0, 1, 2, …).
func appendNumbers(dst []float64, a arrow.Array, kept []int, all bool, nan *int64) []float64 {
	switch v := a.(type) {
	case *array.Float64:
		dst = appendValues(dst, v.Float64Values(), a, kept, all)
	case *array.Float32:
		dst = appendValues(dst, v.Float32Values(), a, kept, all)
	case *array.Int64:
		dst = appendValues(dst, v.Int64Values(), a, kept, all)
	case *array.Int32:
		dst = appendValues(dst, v.Int32Values(), a, kept, all)
	case *array.Timestamp:
		dst = appendValues(dst, v.TimestampValues(), a, kept, all)
	case *array.Date32:
		dst = appendValues(dst, v.Date32Values(), a, kept, all)
	case *array.Boolean:
		for _, i := range kept {
			switch {
			case a.IsNull(i):
				dst = append(dst, math.NaN())
			case v.Value(i):
				dst = append(dst, 1)
			default:
				dst = append(dst, 0)
			}
		}
	default:
		for range kept {
			dst = append(dst, math.NaN())
		}
	}
	// NaN counts over all rows, not only the sample.
	switch v := a.(type) {
	case *array.Float64:
		*nan += countNaN(v.Float64Values(), a)
	case *array.Float32:
		*nan += countNaN(v.Float32Values(), a)
	}
	return dst
}

// countNaN counts the NaN values of a float array (nulls are not NaN).
func countNaN[T float32 | float64](vals []T, a arrow.Array) int64 {
	var n int64
	for i, x := range vals {
		if x != x && !a.IsNull(i) {
			n++
		}
	}
	return n
}

// appendValues appends the kept values of a numeric array's buffer, NaN
// for nulls.
func appendValues[T int32 | int64 | float32 | float64 | arrow.Timestamp | arrow.Date32](dst []float64, vals []T, a arrow.Array, kept []int, all bool) []float64 {
	nulls := a.NullN() > 0
	if all && !nulls {
		for _, x := range vals {
			dst = append(dst, float64(x))
		}
		return dst
	}
	for _, i := range kept {
		if nulls && a.IsNull(i) {
			dst = append(dst, math.NaN())
			continue
		}
		dst = append(dst, float64(vals[i]))
	}
	return dst
}
