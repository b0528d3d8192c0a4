package featurestore

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/featurestore/defs"
	"github.com/assayhq/assay/featurestore/online"
	"github.com/assayhq/assay/featurestore/pit"
)

// Window is the event-time range materialization reads, in microseconds
// since the Unix epoch, both ends inclusive (as Feast's).
type Window struct {
	Start, End int64
}

// Open reports whether the window has no lower bound.
func (w Window) Open() bool { return w.Start == math.MinInt64 }

// Batch is what materializing one view writes to the online store: per
// entity, the view's latest row with event time in the window (ties
// broken by the latest created time, then by the row read later).
// Rows are in the order of the winning rows in the source.
type Batch struct {
	View     *defs.FeatureView
	Source   string          // the dataset version or path read
	Keys     []pit.KeyColumn // the view's join keys
	Time     []int64         // event times, µs
	Created  []int64         // created times, µs; nil when the source has none
	Features []pit.Feature   // the view's features, in definition order
	// Scanned counts the source's rows that passed the view's filter;
	// InWindow those of them with valid keys and an event time in the
	// window.
	Scanned, InWindow int
}

// Len returns the number of entities in the batch.
func (b *Batch) Len() int { return len(b.Time) }

// BuildBatch reads view's source and keeps each entity's latest row in
// the window.
func BuildBatch(ctx context.Context, reg *defs.Registry, v *defs.FeatureView, open Opener, w Window, workers int) (*Batch, error) {
	s := reg.Source(v.Source)
	src, err := open(ctx, s.Path)
	if err != nil {
		return nil, fmt.Errorf("view %s: source %s: %w", v.Name, s.Name, err)
	}
	defer src.Close()
	pv, err := LoadView(ctx, src, s, v, viewKeys(reg, v), v.Features, workers)
	if err != nil {
		return nil, err
	}
	b := &Batch{View: v, Source: src.Label, Scanned: len(pv.Time)}
	win := latestPerKey(pv, w)
	b.InWindow = win.inWindow
	match := make([]int32, len(win.rows))
	for i, r := range win.rows {
		match[i] = int32(r)
	}
	b.Keys = make([]pit.KeyColumn, len(pv.Keys))
	for j, k := range pv.Keys {
		b.Keys[j] = pit.KeyColumn{Name: k.Name}
		if k.Str != nil {
			b.Keys[j].Str = gatherRows(k.Str, win.rows)
		} else {
			b.Keys[j].Int = gatherRows(k.Int, win.rows)
		}
	}
	b.Time = gatherRows(pv.Time, win.rows)
	if pv.Created != nil {
		b.Created = gatherRows(pv.Created, win.rows)
	}
	for _, f := range pv.Features {
		g, err := pit.Gather(f, match)
		if err != nil {
			return nil, err
		}
		b.Features = append(b.Features, g)
	}
	return b, nil
}

// viewKeys returns the join key columns of a view's entities, in order.
func viewKeys(reg *defs.Registry, v *defs.FeatureView) []string {
	var keys []string
	for _, e := range v.Entities {
		for _, k := range reg.Entity(e).JoinKeys {
			if !slices.Contains(keys, k) {
				keys = append(keys, k)
			}
		}
	}
	return keys
}

func gatherRows[T any](src []T, rows []int) []T {
	out := make([]T, len(rows))
	for i, r := range rows {
		out[i] = src[r]
	}
	return out
}

// winners is the result of latestPerKey.
type winners struct {
	rows     []int // the winning row of each entity, ascending
	inWindow int   // rows with valid keys and a time in the window
}

// latestPerKey picks, per join-key tuple, the latest row with a time in
// w: the greatest (time, created, row). Rows with a null key or time are
// left out.
func latestPerKey(v pit.View, w Window) winners {
	var out winners
	better := func(i, j int) bool { // row i beats row j
		if v.Time[i] != v.Time[j] {
			return v.Time[i] > v.Time[j]
		}
		if v.Created != nil && v.Created[i] != v.Created[j] {
			return v.Created[i] > v.Created[j]
		}
		return i > j
	}
	usable := func(i int) bool {
		if !v.TimeValid[i] || v.Time[i] < w.Start || v.Time[i] > w.End {
			return false
		}
		for _, k := range v.Keys {
			if k.Valid != nil && !k.Valid[i] {
				return false
			}
		}
		return true
	}
	n := len(v.Time)
	if len(v.Keys) == 1 && v.Keys[0].Str == nil {
		// One integer key: a map on the value.
		best := map[int64]int{}
		keys := v.Keys[0].Int
		for i := range n {
			if !usable(i) {
				continue
			}
			out.inWindow++
			if j, ok := best[keys[i]]; !ok || better(i, j) {
				best[keys[i]] = i
			}
		}
		for _, i := range best {
			out.rows = append(out.rows, i)
		}
	} else {
		best := map[string]int{}
		var buf []byte
		for i := range n {
			if !usable(i) {
				continue
			}
			out.inWindow++
			buf = appendTuple(buf[:0], v.Keys, i)
			if j, ok := best[string(buf)]; !ok || better(i, j) {
				best[string(buf)] = i
			}
		}
		for _, i := range best {
			out.rows = append(out.rows, i)
		}
	}
	slices.Sort(out.rows)
	return out
}

// appendTuple appends an unambiguous encoding of row i's key tuple.
func appendTuple(dst []byte, keys []pit.KeyColumn, i int) []byte {
	for _, k := range keys {
		if k.Str != nil {
			s := k.Str[i]
			dst = append(dst, byte(len(s)>>24), byte(len(s)>>16), byte(len(s)>>8), byte(len(s)))
			dst = append(dst, s...)
			continue
		}
		x := uint64(k.Int[i])
		dst = append(dst, byte(x>>56), byte(x>>48), byte(x>>40), byte(x>>32), byte(x>>24), byte(x>>16), byte(x>>8), byte(x))
	}
	return dst
}

// publishChunk is the number of rows per store write.
const publishChunk = 10_000

// Publish writes the batch to the store, publishChunk rows per write.
func (b *Batch) Publish(ctx context.Context, store online.Store) error {
	names := make([]string, len(b.Features))
	for j, f := range b.Features {
		names[j] = f.Name
	}
	rows := make([]online.Row, 0, min(publishChunk, b.Len()))
	values := make([]online.Value, 0, min(publishChunk, b.Len())*len(names))
	jk := make([]online.JoinKey, len(b.Keys))
	for lo := 0; lo < b.Len(); lo += publishChunk {
		rows, values = rows[:0], values[:0]
		for i := lo; i < min(lo+publishChunk, b.Len()); i++ {
			for j, k := range b.Keys {
				jk[j].Name = k.Name
				if k.Str != nil {
					jk[j].Value = online.String(k.Str[i])
				} else {
					jk[j].Value = online.Int(k.Int[i])
				}
			}
			key, err := online.EncodeKey(jk...)
			if err != nil {
				return fmt.Errorf("view %s: %w", b.View.Name, err)
			}
			r := online.Row{Key: key, EventTime: b.Time[i]}
			if b.Created != nil {
				r.CreatedTime = b.Created[i]
			}
			start := len(values)
			for _, f := range b.Features {
				values = append(values, featureValue(f, i))
			}
			r.Values = values[start:len(values):len(values)]
			rows = append(rows, r)
		}
		if err := store.Write(ctx, b.View.Name, names, rows); err != nil {
			return fmt.Errorf("view %s: write online store: %w", b.View.Name, err)
		}
	}
	return nil
}

// featureValue returns row i of f as an online value.
func featureValue(f pit.Feature, i int) online.Value {
	if f.Valid != nil && !f.Valid[i] {
		return online.Null()
	}
	switch {
	case f.Float != nil:
		return online.Float(f.Float[i])
	case f.Str != nil:
		return online.String(f.Str[i])
	case f.Bool != nil:
		return online.Bool(f.Bool[i])
	case f.Int != nil:
		return online.Int(f.Int[i])
	}
	return online.Null()
}

// BatchTimeColumn and BatchCreatedColumn name the times in the Parquet
// form of a batch (Feast's names).
const (
	BatchTimeColumn    = "event_timestamp"
	BatchCreatedColumn = "created_timestamp"
)

// BatchSchema returns the columns of the batch's Parquet form: the join
// keys, event_timestamp, created_timestamp when the source has one, and
// the features. A feature named like one of the others is an error.
func (b *Batch) BatchSchema() (*arrow.Schema, error) {
	var fields []arrow.Field
	seen := map[string]bool{}
	add := func(name string, t arrow.DataType) error {
		if seen[name] {
			return fmt.Errorf("%w: view %s: the batch would have two columns named %s; rename the feature", dataset.ErrInvalid, b.View.Name, name)
		}
		seen[name] = true
		fields = append(fields, arrow.Field{Name: name, Type: t, Nullable: true})
		return nil
	}
	for _, k := range b.Keys {
		t := arrow.DataType(arrow.PrimitiveTypes.Int64)
		if k.Str != nil {
			t = arrow.BinaryTypes.String
		}
		if err := add(k.Name, t); err != nil {
			return nil, err
		}
	}
	ts := &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}
	if err := add(BatchTimeColumn, ts); err != nil {
		return nil, err
	}
	if b.Created != nil {
		if err := add(BatchCreatedColumn, ts); err != nil {
			return nil, err
		}
	}
	for _, f := range b.Features {
		if err := add(f.Name, featureType(f)); err != nil {
			return nil, err
		}
	}
	return arrow.NewSchema(fields, nil), nil
}

// WriteParquet writes the batch as a Parquet file, for checks to read.
func (b *Batch) WriteParquet(path string) error {
	schema, err := b.BatchSchema()
	if err != nil {
		return err
	}
	return dataset.WriteFile(path, schema, dataset.DefaultWriterOptions(), func(w *dataset.Writer) error {
		const chunk = 64 * 1024
		for lo := 0; lo < b.Len() || lo == 0; lo += chunk {
			n := min(chunk, b.Len()-lo)
			var cols []arrow.Array
			for _, k := range b.Keys {
				cols = append(cols, keyArray(k, lo, n))
			}
			cols = append(cols, timeArray(b.Time, lo, n))
			if b.Created != nil {
				cols = append(cols, timeArray(b.Created, lo, n))
			}
			for _, f := range b.Features {
				cols = append(cols, featureArray(f, lo, n))
			}
			rec := array.NewRecordBatch(schema, cols, int64(n))
			err := w.Write(rec)
			rec.Release()
			for _, c := range cols {
				c.Release()
			}
			if err != nil || b.Len() == 0 {
				return err
			}
		}
		return nil
	})
}

func keyArray(k pit.KeyColumn, lo, n int) arrow.Array {
	if k.Str != nil {
		bld := array.NewStringBuilder(memory.DefaultAllocator)
		defer bld.Release()
		bld.AppendValues(k.Str[lo:lo+n], nil)
		return bld.NewArray()
	}
	bld := array.NewInt64Builder(memory.DefaultAllocator)
	defer bld.Release()
	bld.AppendValues(k.Int[lo:lo+n], nil)
	return bld.NewArray()
}

func timeArray(t []int64, lo, n int) arrow.Array {
	bld := array.NewTimestampBuilder(memory.DefaultAllocator, &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"})
	defer bld.Release()
	for _, v := range t[lo : lo+n] {
		bld.Append(arrow.Timestamp(v))
	}
	return bld.NewArray()
}
