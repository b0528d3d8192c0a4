package drift

import (
	"context"
	"math"
	"slices"
	"strings"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/assayhq/assay/dataset"
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
// in parallel.
func load(ctx context.Context, label string, sc *dataset.Scanner, cols dataset.Schema, cap int, workers int) (*frame, error) {
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
	parts := make([]*part, len(sc.RowGroups()))
	var mu sync.Mutex
	err := sc.Scan(ctx, dataset.ScanOptions{Columns: cols.Names(), Workers: workers}, func(ctx context.Context, rg dataset.RowGroup, br *dataset.BatchReader) error {
		p := &part{num: map[string][]float64{}, cat: map[string]*localCats{}, nulls: map[string]int64{}, nan: map[string]int64{}}
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
					lc := p.cat[c.Name]
					if lc == nil {
						lc = &localCats{index: map[string]int32{}}
						p.cat[c.Name] = lc
					}
					lc.add(a, kept, f.rate >= 1)
					continue
				}
				p.num[c.Name] = appendNumbers(p.num[c.Name], a, kept, &p.nan, c.Name)
			}
		}
		if err := br.Err(); err != nil {
			return err
		}
		mu.Lock()
		parts[rg.Index] = p
		mu.Unlock()
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
			} else {
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
	index  map[string]int32
	names  []string
	counts []int64
	codes  []int32 // sampled rows, -1 for null
}

// add counts a batch's values and records the codes of the kept rows; when
// every row is kept, the codes come from the same pass.
func (lc *localCats) add(a arrow.Array, kept []int, all bool) {
	code := func(v string) int32 {
		c, ok := lc.index[v]
		if !ok {
			v = strings.Clone(v) // v points into the batch, which is reused
			c = int32(len(lc.names))
			lc.index[v] = c
			lc.names = append(lc.names, v)
			lc.counts = append(lc.counts, 0)
		}
		return c
	}
	value := func(i int) string {
		switch s := a.(type) {
		case *array.String:
			return s.Value(i)
		case *array.Binary:
			return string(s.Value(i)) // copies: binary columns are rare
		}
		return ""
	}
	for i := range a.Len() {
		if a.IsNull(i) {
			if all {
				lc.codes = append(lc.codes, -1)
			}
			continue
		}
		c := code(value(i))
		lc.counts[c]++
		if all {
			lc.codes = append(lc.codes, c)
		}
	}
	if all {
		return
	}
	for _, i := range kept {
		if a.IsNull(i) {
			lc.codes = append(lc.codes, -1)
		} else {
			lc.codes = append(lc.codes, lc.index[value(i)])
		}
	}
}

// appendNumbers appends the kept rows' values as float64 (NaN for null;
// booleans as 0/1; dates and timestamps in their unit) and counts NaNs.
func appendNumbers(dst []float64, a arrow.Array, kept []int, nan *map[string]int64, name string) []float64 {
	val := func(i int) float64 {
		switch v := a.(type) {
		case *array.Float64:
			return v.Value(i)
		case *array.Float32:
			return float64(v.Value(i))
		case *array.Int64:
			return float64(v.Value(i))
		case *array.Int32:
			return float64(v.Value(i))
		case *array.Timestamp:
			return float64(v.Value(i))
		case *array.Date32:
			return float64(v.Value(i))
		case *array.Boolean:
			if v.Value(i) {
				return 1
			}
			return 0
		}
		return math.NaN()
	}
	if isFloat(a.DataType()) {
		for i := range a.Len() {
			if !a.IsNull(i) && math.IsNaN(val(i)) {
				(*nan)[name]++
			}
		}
	}
	for _, i := range kept {
		if a.IsNull(i) {
			dst = append(dst, math.NaN())
			continue
		}
		dst = append(dst, val(i))
	}
	return dst
}

func isFloat(dt arrow.DataType) bool { return dt.ID() == arrow.FLOAT32 || dt.ID() == arrow.FLOAT64 }
