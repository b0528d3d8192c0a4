package drift

import (
	"context"
	"math"
	"slices"
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
	counts []int64 // by code, over all rows
	index  map[string]int32
	nulls  int64 // over all rows
	nan    int64 // NaN in float columns, over all rows (a value, not a null)
	rows   int64 // all rows
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

// load reads the columns of a source into a frame, one scan, row groups
// in parallel. Categorical columns record each sampled row's code only
// with rows set (concept and multivariate drift need rows; column tests
// need counts).
func load(ctx context.Context, label string, sc *dataset.Scanner, cols dataset.Schema, cap int, workers int, rows bool) (*frame, error) {
	f := &frame{label: label, rows: sc.NumRows(), cols: map[string]*colData{}, rate: 1}
	if cap > 0 && f.rows > int64(cap) {
		f.rate = float64(cap) / float64(f.rows)
	}
	for _, c := range cols {
		f.cols[c.Name] = &colData{col: c, numeric: !categorical(c), index: map[string]int32{}, rows: f.rows}
	}
	type part struct {
		num   map[string][]float64
		cat   map[string]*localCats
		nulls map[string]int64
		nan   map[string]int64
		n     int
	}
	// Unsampled numbers go straight to their place in the column: each row
	// group appends into its own stretch of one array.
	inPlace := f.rate >= 1
	if inPlace {
		for _, c := range cols {
			if !categorical(c) {
				f.cols[c.Name].num = make([]float64, f.rows)
				hugepage.Advise(f.cols[c.Name].num)
			}
		}
	}
	parts := make([]*part, len(sc.RowGroups()))
	err := sc.Scan(ctx, dataset.ScanOptions{Columns: cols.Names(), Workers: workers}, func(ctx context.Context, rg dataset.RowGroup, br *dataset.BatchReader) error {
		p := &part{num: map[string][]float64{}, cat: map[string]*localCats{}, nulls: map[string]int64{}, nan: map[string]int64{}}
		expect := int(float64(rg.NumRows)*f.rate*1.02) + 64 // sampled rows, with room for chance
		for _, c := range cols {
			if categorical(c) {
				p.cat[c.Name] = &localCats{withCodes: rows}
				if rows {
					p.cat[c.Name].codes = make([]int32, 0, expect)
				}
			} else if inPlace {
				num := f.cols[c.Name].num
				p.num[c.Name] = num[rg.FirstRow : rg.FirstRow : rg.FirstRow+rg.NumRows]
			} else {
				p.num[c.Name] = make([]float64, 0, expect)
			}
		}
		var kept []int
		for br.Next() {
			rec := br.Record()
			row0 := rg.FirstRow + br.Offset()
			kept = kept[:0]
			for i := range int(rec.NumRows()) {
				if keep(row0+int64(i), f.rate) {
					kept = append(kept, i)
				}
			}
			p.n += len(kept)
			for j, c := range cols {
				a := rec.Column(j)
				p.nulls[c.Name] += int64(a.NullN())
				if categorical(c) {
					p.cat[c.Name].add(a, kept, f.rate >= 1)
					continue
				}
				nan := p.nan[c.Name]
				p.num[c.Name] = appendNumbers(p.num[c.Name], a, kept, f.rate >= 1, &nan)
				p.nan[c.Name] = nan
			}
		}
		if err := br.Err(); err != nil {
			return err
		}
		parts[rg.Index] = p // each row group has its own element
		return nil
	})
	if err != nil {
		return nil, err
	}
	// Concatenate in row order; categories get codes in order of first
	// appearance in the counts (sorted for determinism).
	for _, c := range cols {
		d := f.cols[c.Name]
		if categorical(c) {
			total := map[string]int64{}
			for _, p := range parts {
				if p == nil || p.cat[c.Name] == nil {
					continue
				}
				lc := p.cat[c.Name]
				for i, k := range lc.names {
					total[k] += lc.counts[i]
				}
			}
			names := make([]string, 0, len(total))
			for k := range total {
				names = append(names, k)
			}
			slices.Sort(names)
			d.cats = names
			d.counts = make([]int64, len(names))
			for i, n := range names {
				d.index[n] = int32(i)
				d.counts[i] = total[n]
			}
		}
		n := 0
		for _, p := range parts {
			if p != nil {
				n += len(p.num[c.Name])
				if lc := p.cat[c.Name]; lc != nil {
					n += len(lc.codes)
				}
			}
		}
		if categorical(c) {
			d.codes = make([]int32, 0, n)
		} else if !inPlace {
			d.num = make([]float64, 0, n)
		}
		for _, p := range parts {
			if p == nil {
				continue
			}
			d.nulls += p.nulls[c.Name]
			d.nan += p.nan[c.Name]
			if categorical(c) {
				if lc := p.cat[c.Name]; lc != nil {
					remap := make([]int32, len(lc.names))
					for i, n := range lc.names {
						remap[i] = d.index[n]
					}
					for _, code := range lc.codes {
						if code < 0 {
							d.codes = append(d.codes, -1)
						} else {
							d.codes = append(d.codes, remap[code])
						}
					}
				}
			} else if !inPlace {
				d.num = append(d.num, p.num[c.Name]...)
			}
		}
	}
	for _, p := range parts {
		if p != nil {
			f.sampled += p.n
		}
	}
	return f, nil
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
