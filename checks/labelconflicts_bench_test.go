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

// BenchmarkLabelConflicts runs one label_conflicts check, every other
// column a feature, on 1M generated rows: the scan, collecting the rows,
// and the grouping.
func BenchmarkLabelConflicts(b *testing.B) {
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
	for _, bc := range []struct{ name, rules string }{
		{"all features", "checks:\n  - label_conflicts: churn\n"},
		{"folded with tolerance", "checks:\n  - label_conflicts: {label: churn, features: [age, segment, score], case_fold: true, float_tolerance: 0.5}\n    max_fail_fraction: 1\n"},
	} {
		rules, err := checks.Parse("rules.yaml", []byte(bc.rules))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(bc.name, func(b *testing.B) {
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
		})
	}
}
