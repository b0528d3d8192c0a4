package featurestore

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/dataset/expr"
	"github.com/assayhq/assay/dataset/hugepage"
	"github.com/assayhq/assay/featurestore/defs"
	"github.com/assayhq/assay/featurestore/pit"
)

// Times are int64 microseconds since the Unix epoch (UTC) throughout: the
// unit of the point-in-time join and the online store.

// nullTime stands for a null time in the columns the join reads.
const nullTime = math.MinInt64

// micros converts a date or timestamp value of type t to microseconds.
func micros(v int64, t dataset.Type) int64 {
	switch t {
	case dataset.Date:
		return v * 86_400_000_000
	case dataset.TimestampMS:
		return v * 1000
	case dataset.TimestampNS:
		return v / 1000
	}
	return v
}

// LoadView reads what the point-in-time join needs of a feature view from
// its source: the join keys, the event time, the created time if the
// source has one, and the features asked for (source columns, or
// expressions evaluated over the source's rows); rows the view's filter
// does not pass are left out. keys are the join key columns, in the
// order of the view's entities.
func LoadView(ctx context.Context, src *dataset.Source, s *defs.Source, v *defs.FeatureView, keys []string, feats []*defs.Feature, workers int) (pit.View, error) {
	out := pit.View{Name: v.Name, TTL: v.TTL.Microseconds()}
	sc, err := src.Scanner(ctx)
	if err != nil {
		return out, err
	}
	defer sc.Close()
	schema := sc.Schema()
	col := func(name, what string) (dataset.Column, error) {
		i := schema.Index(name)
		if i < 0 {
			return dataset.Column{}, fmt.Errorf("%w: view %s: %s has no %s column %q", dataset.ErrInvalid, v.Name, src.Label, what, name)
		}
		return schema[i], nil
	}
	// The columns the scan reads, and the programs that compute features.
	need := map[string]bool{}
	var read dataset.Schema
	add := func(c dataset.Column) {
		if !need[c.Name] {
			need[c.Name] = true
			read = append(read, c)
		}
	}
	keyCols := make([]dataset.Column, len(keys))
	for j, k := range keys {
		c, err := col(k, "join key")
		if err != nil {
			return out, err
		}
		if !keyType(c.Type) {
			return out, fmt.Errorf("%w: view %s: join key %q is %s; keys must be integers or strings", dataset.ErrInvalid, v.Name, k, c.Type)
		}
		keyCols[j] = c
		add(c)
	}
	timeCol, err := col(s.Timestamp, "timestamp")
	if err != nil {
		return out, err
	}
	if !timeCol.Type.Temporal() {
		return out, fmt.Errorf("%w: view %s: timestamp column %q is %s, not a date or timestamp", dataset.ErrInvalid, v.Name, s.Timestamp, timeCol.Type)
	}
	add(timeCol)
	var createdCol *dataset.Column
	if s.Created != "" {
		c, err := col(s.Created, "created")
		if err != nil {
			return out, err
		}
		createdCol = &c
		add(c)
	}
	progs := make([]*expr.Program, len(feats))
	for j, f := range feats {
		if f.Column() {
			c, err := col(f.Name, "feature")
			if err != nil {
				return out, err
			}
			add(c)
			continue
		}
		p, err := expr.Compile(f.Expr, schema)
		if err != nil {
			return out, fmt.Errorf("%w: view %s: feature %s: %v", dataset.ErrInvalid, v.Name, f.Name, err)
		}
		progs[j] = p
		for _, name := range p.Columns() {
			c, _ := col(name, "expression")
			add(c)
		}
	}
	var filter *expr.Program
	if v.Filter != "" {
		if filter, err = expr.Compile(v.Filter, schema); err != nil {
			return out, fmt.Errorf("%w: view %s: filter: %v", dataset.ErrInvalid, v.Name, err)
		}
		for _, name := range filter.Columns() {
			c, _ := col(name, "filter")
			add(c)
		}
	}
	index := map[string]int{}
	for i, c := range read {
		index[c.Name] = i
	}
	// Row groups are read in parallel. Without a filter every row is
	// kept, so each row group appends straight into its stretch of the
	// output; with one, into parts joined in order afterwards.
	inPlace := filter == nil
	out.Keys = make([]pit.KeyColumn, len(keys))
	out.Features = make([]pit.Feature, len(feats))
	for j, k := range keys {
		out.Keys[j].Name = k
	}
	for j, f := range feats {
		out.Features[j].Name = f.Name
	}
	if inPlace {
		n := int(sc.NumRows())
		out.Time = bigSlice[int64](n)
		if createdCol != nil {
			out.Created = bigSlice[int64](n)
		}
		out.Keys = allocKeys(keyCols, n)
		for j, f := range feats {
			kind := byte(0)
			if f.Column() {
				kind = columnKind(schema[schema.Index(f.Name)].Type)
			} else {
				kind = vectorKind(progs[j].Type())
			}
			g := &out.Features[j]
			g.Valid = bigSlice[bool](n)
			switch kind {
			case 'f':
				g.Float = bigSlice[float64](n)
			case 's':
				g.Str = make([]string, n)
			case 'b':
				g.Bool = bigSlice[bool](n)
			default:
				g.Int = bigSlice[int64](n)
			}
		}
	}
	type part struct {
		keys    []pit.KeyColumn
		time    []int64
		created []int64
		feats   []pit.Feature
	}
	parts := make([]*part, len(sc.RowGroups()))
	err = sc.Scan(ctx, dataset.ScanOptions{Columns: read.Names(), Workers: workers}, func(ctx context.Context, rg dataset.RowGroup, br *dataset.BatchReader) error {
		p := &part{keys: make([]pit.KeyColumn, len(keys)), feats: make([]pit.Feature, len(feats))}
		if inPlace {
			// Appends fill this row group's stretch of the output.
			lo, hi := int(rg.FirstRow), int(rg.FirstRow+rg.NumRows)
			p.time = out.Time[lo:lo:hi]
			if out.Created != nil {
				p.created = out.Created[lo:lo:hi]
			}
			p.keys = subKeys(out.Keys, lo, hi)
			for j, f := range out.Features {
				p.feats[j] = pit.Feature{Float: sub(f.Float, lo, hi), Int: sub(f.Int, lo, hi), Str: sub(f.Str, lo, hi), Bool: sub(f.Bool, lo, hi), Valid: sub(f.Valid, lo, hi)}
			}
		}
		evals := make([]*expr.Evaluator, len(feats))
		for j, pr := range progs {
			if pr != nil {
				evals[j] = pr.NewEvaluator()
			}
		}
		var fe *expr.Evaluator
		var verdict []byte
		var all []int
		if filter != nil {
			fe = filter.NewEvaluator()
		}
		for br.Next() {
			rec := br.Record()
			n := int(rec.NumRows())
			var keep []int
			if fe != nil {
				verdict = slices.Grow(verdict[:0], n)[:n]
				if err := fe.EvalBool(rec, verdict); err != nil {
					return fmt.Errorf("view %s: filter: %w", v.Name, err)
				}
				keep = make([]int, 0, n)
				for i, b := range verdict {
					if b == 1 {
						keep = append(keep, i)
					}
				}
			} else {
				// Every row: the identity, built once per row group.
				for i := len(all); i < n; i++ {
					all = append(all, i)
				}
				keep = all[:n]
			}
			for j, kc := range keyCols {
				appendKey(&p.keys[j], rec.Column(index[kc.Name]), keep)
			}
			p.time = appendTimes(p.time, rec.Column(index[timeCol.Name]), timeCol.Type, keep)
			if createdCol != nil {
				p.created = appendTimes(p.created, rec.Column(index[createdCol.Name]), createdCol.Type, keep)
			}
			for j, f := range feats {
				if f.Column() {
					appendColumn(&p.feats[j], rec.Column(index[f.Name]), keep)
					continue
				}
				vec, err := evals[j].Eval(rec)
				if err != nil {
					return fmt.Errorf("view %s: feature %s: %w", v.Name, f.Name, err)
				}
				appendVector(&p.feats[j], vec, progs[j].Unit(), keep)
			}
		}
		if err := br.Err(); err != nil {
			return err
		}
		parts[rg.Index] = p // each row group has its own element
		return nil
	})
	if err != nil {
		return out, err
	}
	if inPlace {
		out.TimeValid = validTimes(out.Time)
		return out, nil
	}
	total := 0
	for _, p := range parts {
		if p != nil {
			total += len(p.time)
		}
	}
	out.Time = make([]int64, 0, total)
	for _, p := range parts {
		if p == nil {
			continue
		}
		for j := range keys {
			concatKey(&out.Keys[j], p.keys[j])
		}
		out.Time = append(out.Time, p.time...)
		out.Created = append(out.Created, p.created...)
		for j := range feats {
			concatFeature(&out.Features[j], p.feats[j])
		}
	}
	out.TimeValid = validTimes(out.Time)
	if createdCol == nil {
		out.Created = nil
	}
	return out, nil
}

func keyType(t dataset.Type) bool {
	return t == dataset.Int32 || t == dataset.Int64 || t == dataset.String || t == dataset.Binary
}

// appendKey appends the kept rows of a join key array.
func appendKey(k *pit.KeyColumn, a arrow.Array, keep []int) {
	if len(keep) == a.Len() {
		switch v := a.(type) {
		case *array.Int64:
			k.Int = append(k.Int, v.Int64Values()...)
			k.Valid = appendValid(k.Valid, a)
			return
		case *array.Int32:
			for _, x := range v.Int32Values() {
				k.Int = append(k.Int, int64(x))
			}
			k.Valid = appendValid(k.Valid, a)
			return
		}
	}
	for _, i := range keep {
		valid := a.IsValid(i)
		switch v := a.(type) {
		case *array.Int64:
			k.Int = append(k.Int, v.Value(i))
		case *array.Int32:
			k.Int = append(k.Int, int64(v.Value(i)))
		case *array.String:
			k.Str = append(k.Str, strings.Clone(v.Value(i)))
		case *array.Binary:
			k.Str = append(k.Str, string(v.Value(i)))
		}
		k.Valid = append(k.Valid, valid)
	}
}

// appendTimes appends the kept rows of a date or timestamp array in
// microseconds, nullTime for null.
func appendTimes(dst []int64, a arrow.Array, t dataset.Type, keep []int) []int64 {
	if v, ok := a.(*array.Timestamp); ok && len(keep) == a.Len() {
		start := len(dst)
		for _, x := range v.TimestampValues() {
			dst = append(dst, micros(int64(x), t))
		}
		if a.NullN() > 0 {
			for i := range a.Len() {
				if a.IsNull(i) {
					dst[start+i] = nullTime
				}
			}
		}
		return dst
	}
	for _, i := range keep {
		if a.IsNull(i) {
			dst = append(dst, nullTime)
			continue
		}
		switch v := a.(type) {
		case *array.Timestamp:
			dst = append(dst, micros(int64(v.Value(i)), t))
		case *array.Date32:
			dst = append(dst, micros(int64(v.Value(i)), t))
		}
	}
	return dst
}

// appendColumn appends the kept rows of a source column as a feature:
// floats as Float, integers as Int, text as Str, booleans as Bool, dates
// and timestamps as Int microseconds.
func appendColumn(f *pit.Feature, a arrow.Array, keep []int) {
	if len(keep) == a.Len() {
		switch v := a.(type) {
		case *array.Float64:
			f.Float = append(f.Float, v.Float64Values()...)
			f.Valid = appendValid(f.Valid, a)
			return
		case *array.Int64:
			f.Int = append(f.Int, v.Int64Values()...)
			f.Valid = appendValid(f.Valid, a)
			return
		}
	}
	for _, i := range keep {
		valid := a.IsValid(i)
		switch v := a.(type) {
		case *array.Float64:
			f.Float = append(f.Float, v.Value(i))
		case *array.Float32:
			f.Float = append(f.Float, float64(v.Value(i)))
		case *array.Int64:
			f.Int = append(f.Int, v.Value(i))
		case *array.Int32:
			f.Int = append(f.Int, int64(v.Value(i)))
		case *array.String:
			f.Str = append(f.Str, strings.Clone(v.Value(i)))
		case *array.Binary:
			f.Str = append(f.Str, string(v.Value(i)))
		case *array.Boolean:
			f.Bool = append(f.Bool, v.Value(i))
		case *array.Timestamp:
			unit := v.DataType().(*arrow.TimestampType).Unit
			f.Int = append(f.Int, int64(v.Value(i))*int64(unit.Multiplier())/1000)
		case *array.Date32:
			f.Int = append(f.Int, int64(v.Value(i))*86_400_000_000)
		}
		f.Valid = append(f.Valid, valid)
	}
}

// appendVector appends the kept rows of an expression's values.
func appendVector(f *pit.Feature, v *expr.Vector, unit time.Duration, keep []int) {
	for _, i := range keep {
		null := v.Type == expr.Null || v.Nulls != nil && v.Nulls[i]
		switch v.Type {
		case expr.Float:
			f.Float = append(f.Float, v.Floats[i])
		case expr.Int, expr.Duration:
			f.Int = append(f.Int, v.Ints[i])
		case expr.Time:
			f.Int = append(f.Int, ticksToMicros(v.Ints[i], unit))
		case expr.Bool:
			f.Bool = append(f.Bool, v.Bools[i])
		case expr.String:
			f.Str = append(f.Str, string(v.Data[v.Offsets[i]:v.Offsets[i+1]]))
		default:
			f.Float = append(f.Float, 0)
		}
		f.Valid = append(f.Valid, !null)
	}
}

// appendValid appends the validity of every row of a.
func appendValid(dst []bool, a arrow.Array) []bool {
	start := len(dst)
	dst = slices.Grow(dst, a.Len())[:start+a.Len()]
	out := dst[start:]
	if a.NullN() == 0 {
		for i := range out {
			out[i] = true
		}
		return dst
	}
	for i := range out {
		out[i] = a.IsValid(i)
	}
	return dst
}

func concatKey(dst *pit.KeyColumn, src pit.KeyColumn) {
	dst.Int = append(dst.Int, src.Int...)
	dst.Str = append(dst.Str, src.Str...)
	dst.Valid = append(dst.Valid, src.Valid...)
}

func concatFeature(dst *pit.Feature, src pit.Feature) {
	dst.Float = append(dst.Float, src.Float...)
	dst.Int = append(dst.Int, src.Int...)
	dst.Str = append(dst.Str, src.Str...)
	dst.Bool = append(dst.Bool, src.Bool...)
	dst.Valid = append(dst.Valid, src.Valid...)
}

// ticksToMicros converts ticks of unit to microseconds.
func ticksToMicros(t int64, unit time.Duration) int64 {
	if unit >= time.Microsecond {
		return t * int64(unit/time.Microsecond)
	}
	return t / int64(time.Microsecond/unit)
}

// sub is s[lo:lo:hi], or nil for a nil s: an empty slice whose appends
// fill s[lo:hi].
func sub[T any](s []T, lo, hi int) []T {
	if s == nil {
		return nil
	}
	return s[lo:lo:hi]
}

// columnKind is the feature slice a source column fills: 'f' Float, 'i'
// Int (integers, dates and timestamps in microseconds), 's' Str, 'b' Bool.
func columnKind(t dataset.Type) byte {
	switch t {
	case dataset.Float32, dataset.Float64:
		return 'f'
	case dataset.String, dataset.Binary:
		return 's'
	case dataset.Bool:
		return 'b'
	}
	return 'i'
}

// vectorKind is the feature slice an expression's values fill.
func vectorKind(t expr.Type) byte {
	switch t {
	case expr.String:
		return 's'
	case expr.Bool:
		return 'b'
	case expr.Int, expr.Time, expr.Duration:
		return 'i'
	}
	return 'f'
}

// bigSlice allocates a slice of n values, advised huge pages: it is
// written once from end to end.
func bigSlice[T any](n int) []T {
	s := make([]T, n)
	hugepage.Advise(s)
	return s
}

// allocKeys allocates the output key columns of n rows for cols: strings
// for text keys, integers otherwise.
func allocKeys(cols []dataset.Column, n int) []pit.KeyColumn {
	out := make([]pit.KeyColumn, len(cols))
	for j, c := range cols {
		out[j] = pit.KeyColumn{Name: c.Name, Valid: bigSlice[bool](n)}
		if c.Type == dataset.String || c.Type == dataset.Binary {
			out[j].Str = make([]string, n)
		} else {
			out[j].Int = bigSlice[int64](n)
		}
	}
	return out
}

// subKeys returns key columns whose appends fill rows [lo, hi) of keys.
func subKeys(keys []pit.KeyColumn, lo, hi int) []pit.KeyColumn {
	out := make([]pit.KeyColumn, len(keys))
	for j, k := range keys {
		out[j] = pit.KeyColumn{Int: sub(k.Int, lo, hi), Str: sub(k.Str, lo, hi), Valid: sub(k.Valid, lo, hi)}
	}
	return out
}

// validTimes marks the times that are not nullTime.
func validTimes(times []int64) []bool {
	out := make([]bool, len(times))
	for i, t := range times {
		out[i] = t != nullTime
	}
	return out
}
