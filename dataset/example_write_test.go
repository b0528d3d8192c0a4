package dataset_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/assayhq/assay/dataset"
)

// ExampleWriteFile writes two batches of failing rows to a Parquet file,
// atomically, and scans the file back.
func ExampleWriteFile() {
	dir, err := os.MkdirTemp("", "assay-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "failed.parquet")

	schema := arrow.NewSchema([]arrow.Field{
		{Name: "id", Type: arrow.PrimitiveTypes.Int64},
		{Name: "segment", Type: arrow.BinaryTypes.String},
		{Name: "income", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
		{Name: "seen", Type: &arrow.TimestampType{Unit: arrow.Millisecond, TimeZone: "UTC"}},
	}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()

	opts := dataset.DefaultWriterOptions()
	opts.RowGroupRows = 2
	err = dataset.WriteFile(path, schema, opts, func(w *dataset.Writer) error {
		for batch := range 2 {
			for i := range 2 {
				id := int64(batch*2 + i + 1)
				b.Field(0).(*array.Int64Builder).Append(id)
				b.Field(1).(*array.StringBuilder).Append([]string{"consumer", "enterprise"}[i])
				if id == 2 {
					b.Field(2).AppendNull()
				} else {
					b.Field(2).(*array.Float64Builder).Append(float64(id) * 1000)
				}
				b.Field(3).(*array.TimestampBuilder).Append(arrow.Timestamp(1_767_225_600_000 + id*60_000))
			}
			rec := b.NewRecordBatch()
			err := w.Write(rec)
			rec.Release() // the writer keeps no reference
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}

	ctx := context.Background()
	s, err := dataset.NewScanner(ctx, []dataset.Input{dataset.FileInput(path)})
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	fmt.Println(s.NumRows(), "rows in", len(s.RowGroups()), "row groups")
	for _, c := range s.Schema() {
		fmt.Printf("%s nullable=%v\n", c, c.Nullable)
	}
	recs, err := dataset.ReadAll(ctx, s, nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, rec := range recs {
		for i := range int(rec.NumRows()) {
			fmt.Println(dataset.FormatCell(rec.Column(0), i), dataset.FormatCell(rec.Column(1), i),
				dataset.FormatCell(rec.Column(2), i), dataset.FormatCell(rec.Column(3), i))
		}
		rec.Release()
	}
	// Output:
	// 4 rows in 2 row groups
	// id int64 nullable=false
	// segment string nullable=false
	// income float64 nullable=true
	// seen timestamp[ms] UTC nullable=false
	// 1 consumer 1000 2026-01-01T00:01:00Z
	// 2 enterprise null 2026-01-01T00:02:00Z
	// 3 consumer 3000 2026-01-01T00:03:00Z
	// 4 enterprise 4000 2026-01-01T00:04:00Z
}

// ExampleNewWriter streams the batches of a scan into a new file, keeping
// two of its columns.
func ExampleNewWriter() {
	path, cleanup := exampleFile()
	defer cleanup()
	ctx := context.Background()
	s, err := dataset.NewScanner(ctx, []dataset.Input{dataset.FileInput(path)})
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	columns := []string{"segment", "id"}
	proj, err := s.Projection(columns)
	if err != nil {
		log.Fatal(err)
	}

	out := filepath.Join(filepath.Dir(path), "segments.parquet")
	f, err := os.Create(out)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	w, err := dataset.NewWriter(f, proj.Arrow(), dataset.DefaultWriterOptions())
	if err != nil {
		log.Fatal(err)
	}
	// Row groups are scanned in parallel; one worker keeps them in order.
	err = s.Scan(ctx, dataset.ScanOptions{Columns: columns, Workers: 1},
		func(ctx context.Context, rg dataset.RowGroup, r *dataset.BatchReader) error {
			for r.Next() {
				if err := w.Write(r.Record()); err != nil {
					return err
				}
			}
			return nil
		})
	if err != nil {
		log.Fatal(err)
	}
	if err := w.Close(); err != nil {
		log.Fatal(err)
	}

	s2, err := dataset.NewScanner(ctx, []dataset.Input{dataset.FileInput(out)})
	if err != nil {
		log.Fatal(err)
	}
	defer s2.Close()
	fmt.Println(s2.NumRows(), "rows:", s2.Schema())
	// Output:
	// 5 rows: [segment string id int64]
}
