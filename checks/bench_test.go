package checks_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/assayhq/assay/checks"
	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/dataset/datagen"
)

// BenchmarkCheck20 runs the 20 mixed checks of testdata/bench on 1M
// generated rows (the README's figure is the same rules on 10M rows with
// assay check).
func BenchmarkCheck20(b *testing.B) {
	ctx := context.Background()
	path := filepath.Join(b.TempDir(), "customers.parquet")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := datagen.Write(ctx, f, datagen.Options{Rows: 1_000_000, RowGroupRows: 1 << 18}); err != nil {
		b.Fatal(err)
	}
	f.Close()
	rules, err := checks.ParseFile("testdata/bench/customers.yaml")
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		src, err := dataset.OpenSource(ctx, nil, path, dataset.DefaultCSVOptions())
		if err != nil {
			b.Fatal(err)
		}
		sc, err := src.Scanner(ctx)
		if err != nil {
			b.Fatal(err)
		}
		schema := sc.Schema()
		sc.Close()
		plan, err := checks.Compile(ctx, rules, schema, checks.Env{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := plan.Run(ctx, src, checks.RunOptions{}); err != nil {
			b.Fatal(err)
		}
		src.Close()
	}
	b.ReportMetric(float64(b.N)*1e6/b.Elapsed().Seconds(), "rows/s")
}
