package drift

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/dataset/datagen"
)

// BenchmarkCompare compares two 1,000,000-row samples of the customers
// data (8 columns: ints, floats, a timestamp, a boolean, strings of 8 and
// of about 100,000 values) with the automatic tests, the job the README's
// drift figure times:
//
//	go test ./drift -run '^$' -bench Compare -benchtime 5x -benchmem
func BenchmarkCompare(b *testing.B) {
	dir := b.TempDir()
	gen := func(name string, seed uint64) string {
		path := filepath.Join(dir, name)
		f, err := os.Create(path)
		if err != nil {
			b.Fatal(err)
		}
		if err := datagen.Write(context.Background(), f, datagen.Options{Rows: 1_000_000, Seed: seed}); err != nil {
			b.Fatal(err)
		}
		if err := f.Close(); err != nil {
			b.Fatal(err)
		}
		return path
	}
	refPath, curPath := gen("ref.parquet", 42), gen("cur.parquet", 43)
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		ref, err := dataset.OpenSource(ctx, nil, refPath, dataset.DefaultCSVOptions())
		if err != nil {
			b.Fatal(err)
		}
		cur, err := dataset.OpenSource(ctx, nil, curPath, dataset.DefaultCSVOptions())
		if err != nil {
			b.Fatal(err)
		}
		r, err := Compare(ctx, ref, cur, Options{})
		if err != nil || len(r.Columns) != 8 {
			b.Fatalf("%v, %d columns", err, len(r.Columns))
		}
	}
}
