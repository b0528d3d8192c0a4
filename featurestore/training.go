package featurestore

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"golang.org/x/sync/errgroup"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/featurestore/defs"
	"github.com/assayhq/assay/featurestore/pit"
)

// DefaultEventTime is the entity rows' timestamp column unless
// TrainingOptions names another (Feast's name).
const DefaultEventTime = "event_timestamp"

// LineageKey is the Parquet footer key under which a training set records
// its lineage (JSON).
const LineageKey = "assay.lineage"

// Opener opens a source's path: a dataset ref or a file path.
type Opener func(ctx context.Context, path string) (*dataset.Source, error)

// TrainingOptions say which features a training set gets and where it goes.
type TrainingOptions struct {
	Registry        *defs.Registry
	RegistryVersion int      // recorded in the lineage; 0 for definitions not stored
	Features        []string // view:feature, view or service names
	EventTime       string   // the entity rows' timestamp column (default DefaultEventTime)
	// FullNames names feature columns view__feature instead of feature.
	FullNames bool
	Output    string // the Parquet file to write
	Workers   int
}

// Lineage is where a training set came from.
type Lineage struct {
	Version   int               `json:"version"`
	Entities  string            `json:"entities"`           // the entity rows' source: churn@v3 or a path
	Registry  int               `json:"registry,omitempty"` // the definitions' version
	Sources   map[string]string `json:"sources"`            // source name → the dataset version or path read
	Features  []string          `json:"features"`           // view:feature, in column order
	Rows      int               `json:"rows"`               // entity rows, all kept
	Matched   map[string]int    `json:"matched"`            // per view: entity rows that got a row
	Timestamp string            `json:"event_time_column"`  // the entity rows' timestamp column
	Columns   []string          `json:"feature_columns"`    // the output's feature columns
}

// TrainingSet builds a point-in-time correct training set: every entity
// row, in order, with each feature's value as of the row's event time
// (the view's latest row with the same join keys at or before it, within
// the view's TTL; null when there is none), written to opts.Output as
// Parquet with the lineage in its footer.
func TrainingSet(ctx context.Context, entities *dataset.Source, open Opener, opts TrainingOptions) (*Lineage, error) {
	reg := opts.Registry
	refs, err := reg.Resolve(opts.Features)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", dataset.ErrInvalid, err)
	}
	if opts.EventTime == "" {
		opts.EventTime = DefaultEventTime
	}
	// Views in order of first reference, each with its features.
	var views []*defs.FeatureView
	feats := map[string][]*defs.Feature{}
	for _, r := range refs {
		if _, ok := feats[r.View.Name]; !ok {
			views = append(views, r.View)
		}
		feats[r.View.Name] = append(feats[r.View.Name], r.Feature)
	}
	sc, err := entities.Scanner(ctx)
	if err != nil {
		return nil, err
	}
	entSchema := sc.Schema().Supported()
	sc.Close()
	var allKeys []string
	for _, v := range views {
		for _, k := range viewKeys(reg, v) {
			if entSchema.Index(k) < 0 {
				return nil, fmt.Errorf("%w: the entity rows (%s) have no join key column %q, which view %s joins on", dataset.ErrInvalid, entities.Label, k, v.Name)
			}
			if !slices.Contains(allKeys, k) {
				allKeys = append(allKeys, k)
			}
		}
	}
	ti := entSchema.Index(opts.EventTime)
	if ti < 0 {
		return nil, fmt.Errorf("%w: the entity rows (%s) have no timestamp column %q (--event-time names it)", dataset.ErrInvalid, entities.Label, opts.EventTime)
	}
	if !entSchema[ti].Type.Temporal() {
		return nil, fmt.Errorf("%w: the entity rows' timestamp column %q is %s, not a date or timestamp", dataset.ErrInvalid, opts.EventTime, entSchema[ti].Type)
	}
	// Output names, checked before any work.
	names := map[string]bool{}
	for _, c := range entSchema {
		names[c.Name] = true
	}
	var columns, featRefs []string
	for _, v := range views {
		for _, f := range feats[v.Name] {
			name := f.Name
			if opts.FullNames {
				name = v.Name + "__" + f.Name
			}
			if names[name] {
				return nil, fmt.Errorf("%w: feature column %q is already a column of the output (use full feature names: view__feature)", dataset.ErrInvalid, name)
			}
			names[name] = true
			columns = append(columns, name)
			featRefs = append(featRefs, v.Name+":"+f.Name)
		}
	}
	lin := &Lineage{Version: 1, Entities: entities.Label, Registry: opts.RegistryVersion, Sources: map[string]string{},
		Features: featRefs, Matched: map[string]int{}, Timestamp: opts.EventTime, Columns: columns}
	// The entity rows load while the views do.
	var ents pit.Entities
	pviews := make([]pit.View, len(views))
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) {
		ents, err = loadEntities(gctx, entities, allKeys, entSchema[ti], opts.Workers)
		return err
	})
	g.Go(func() error {
		for i, v := range views {
			s := reg.Source(v.Source)
			src, err := open(gctx, s.Path)
			if err != nil {
				return fmt.Errorf("view %s: source %s: %w", v.Name, s.Name, err)
			}
			lin.Sources[s.Name] = src.Label
			pviews[i], err = LoadView(gctx, src, s, v, viewKeys(reg, v), feats[v.Name], opts.Workers)
			src.Close()
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err := g.Wait(); err != nil {
		return nil, err
	}
	lin.Rows = len(ents.Time)
	res, err := pit.Join(ctx, ents, pviews, pit.Options{Workers: opts.Workers})
	if err != nil {
		return nil, fmt.Errorf("%w: %v", dataset.ErrInvalid, err)
	}
	var gathered []pit.Feature
	for i, v := range pviews {
		m := res.Views[i].Match
		n := 0
		for _, j := range m {
			if j >= 0 {
				n++
			}
		}
		lin.Matched[v.Name] = n
		for _, f := range v.Features {
			g, err := pit.Gather(f, m)
			if err != nil {
				return nil, err
			}
			gathered = append(gathered, g)
		}
	}
	meta, err := json.Marshal(lin)
	if err != nil {
		return nil, err
	}
	if err := writeTraining(ctx, entities, entSchema, columns, gathered, opts.Output, string(meta)); err != nil {
		return nil, err
	}
	return lin, nil
}

// loadEntities reads the entity rows' join keys and event time, in row
// order.
func loadEntities(ctx context.Context, src *dataset.Source, keys []string, timeCol dataset.Column, workers int) (pit.Entities, error) {
	var out pit.Entities
	sc, err := src.Scanner(ctx)
	if err != nil {
		return out, err
	}
	defer sc.Close()
	schema := sc.Schema()
	read := dataset.Schema{timeCol}
	for _, k := range keys {
		c := schema[schema.Index(k)]
		if !keyType(c.Type) {
			return out, fmt.Errorf("%w: join key %q of the entity rows is %s; keys must be integers or strings", dataset.ErrInvalid, k, c.Type)
		}
		read = append(read, c)
	}
	// Every row is kept: each row group appends into its stretch.
	n := int(sc.NumRows())
	out.Time = bigSlice[int64](n)
	out.Keys = allocKeys(read[1:], n)
	err = sc.Scan(ctx, dataset.ScanOptions{Columns: read.Names(), Workers: workers}, func(ctx context.Context, rg dataset.RowGroup, br *dataset.BatchReader) error {
		lo, hi := int(rg.FirstRow), int(rg.FirstRow+rg.NumRows)
		times, ks := out.Time[lo:lo:hi], subKeys(out.Keys, lo, hi)
		var all []int
		for br.Next() {
			rec := br.Record()
			n := int(rec.NumRows())
			for len(all) < n {
				all = append(all, len(all))
			}
			times = appendTimes(times, rec.Column(0), timeCol.Type, all[:n])
			for j := range ks {
				appendKey(&ks[j], rec.Column(j+1), all[:n])
			}
		}
		return br.Err()
	})
	if err != nil {
		return out, err
	}
	out.TimeValid = validTimes(out.Time)
	return out, nil
}

// writeTraining writes the entity rows, in order, with the gathered
// feature columns appended.
func writeTraining(ctx context.Context, entities *dataset.Source, entSchema dataset.Schema, columns []string, feats []pit.Feature, path, lineage string) error {
	fields := slices.Clone(entSchema.Arrow().Fields())
	for i, f := range feats {
		fields = append(fields, arrow.Field{Name: columns[i], Type: featureType(f), Nullable: true})
	}
	schema := arrow.NewSchema(fields, nil)
	sc, err := entities.Scanner(ctx)
	if err != nil {
		return err
	}
	defer sc.Close()
	wopts := dataset.DefaultWriterOptions()
	wopts.Metadata = map[string]string{LineageKey: lineage}
	return dataset.WriteFile(path, schema, wopts, func(w *dataset.Writer) error {
		// One worker: row groups in file order, so rows keep their order.
		return sc.Scan(ctx, dataset.ScanOptions{Columns: entSchema.Names(), Workers: 1}, func(ctx context.Context, rg dataset.RowGroup, br *dataset.BatchReader) error {
			for br.Next() {
				rec := br.Record()
				row0, n := int(rg.FirstRow+br.Offset()), int(rec.NumRows())
				cols := slices.Clone(rec.Columns())
				var built []arrow.Array
				for _, f := range feats {
					a := featureArray(f, row0, n)
					built = append(built, a)
					cols = append(cols, a)
				}
				out := array.NewRecordBatch(schema, cols, int64(n))
				err := w.Write(out)
				out.Release()
				for _, a := range built {
					a.Release()
				}
				if err != nil {
					return err
				}
			}
			return br.Err()
		})
	})
}

func featureType(f pit.Feature) arrow.DataType {
	switch {
	case f.Float != nil:
		return arrow.PrimitiveTypes.Float64
	case f.Str != nil:
		return arrow.BinaryTypes.String
	case f.Bool != nil:
		return arrow.FixedWidthTypes.Boolean
	}
	return arrow.PrimitiveTypes.Int64
}

// featureArray builds the Arrow array of rows [row0, row0+n) of f.
func featureArray(f pit.Feature, row0, n int) arrow.Array {
	b := array.NewBuilder(memory.DefaultAllocator, featureType(f))
	defer b.Release()
	for i := row0; i < row0+n; i++ {
		if f.Valid != nil && !f.Valid[i] || f.Float == nil && f.Str == nil && f.Bool == nil && f.Int == nil {
			b.AppendNull()
			continue
		}
		switch {
		case f.Float != nil:
			b.(*array.Float64Builder).Append(f.Float[i])
		case f.Str != nil:
			b.(*array.StringBuilder).Append(f.Str[i])
		case f.Bool != nil:
			b.(*array.BooleanBuilder).Append(f.Bool[i])
		default:
			b.(*array.Int64Builder).Append(f.Int[i])
		}
	}
	return b.NewArray()
}
