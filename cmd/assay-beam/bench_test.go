package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/assayhq/assay/checks"
	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/dataset/datagen"
	"github.com/assayhq/assay/drift"
)

// The benchmarks time a command on Prism against the same work done by
// the local scan, on generated data: 1,000,000 rows, or $ASSAY_BENCH_ROWS,
// in row groups of 1,048,576 rows (datagen's default: 10 shards for 10M
// rows).
//
//	ASSAY_BENCH_ROWS=10000000 go test -run XXX -bench . -benchtime 3x

func benchFile(b *testing.B, name string, seed uint64) (string, int64) {
	b.Helper()
	rows := int64(1_000_000)
	if s := os.Getenv("ASSAY_BENCH_ROWS"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n <= 0 {
			b.Fatalf("ASSAY_BENCH_ROWS=%q: want a positive integer", s)
		}
		rows = n
	}
	path := filepath.Join(b.TempDir(), name)
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := datagen.Write(context.Background(), f, datagen.Options{Rows: rows, Seed: seed}); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	return path, rows
}

func reportRows(b *testing.B, rows int64) {
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

func BenchmarkProfile(b *testing.B) {
	path, rows := benchFile(b, "customers.parquet", 42)
	b.Run("local", func(b *testing.B) {
		for b.Loop() {
			src, err := dataset.OpenSource(b.Context(), nil, path, dataset.DefaultCSVOptions())
			if err != nil {
				b.Fatal(err)
			}
			if _, err := src.Profile(b.Context(), nil, 0); err != nil {
				b.Fatal(err)
			}
			src.Close()
		}
		reportRows(b, rows)
	})
	b.Run("prism", func(b *testing.B) {
		for b.Loop() {
			if code := run(b.Context(), &global{}, []string{"profile", "--format", "json", path}, io.Discard, os.Stderr); code != 0 {
				b.Fatalf("exit %d", code)
			}
		}
		reportRows(b, rows)
	})
}

func BenchmarkCheck(b *testing.B) {
	path, rows := benchFile(b, "customers.parquet", 42)
	rules, err := filepath.Abs("../../checks/testdata/bench/customers.yaml")
	if err != nil {
		b.Fatal(err)
	}
	text, err := os.ReadFile(rules)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("local", func(b *testing.B) {
		for b.Loop() {
			f, err := checks.Parse(rules, text)
			if err != nil {
				b.Fatal(err)
			}
			src, err := dataset.OpenSource(b.Context(), nil, path, dataset.DefaultCSVOptions())
			if err != nil {
				b.Fatal(err)
			}
			sc, err := src.Scanner(b.Context())
			if err != nil {
				b.Fatal(err)
			}
			plan, err := checks.Compile(b.Context(), f, sc.Schema(), checks.Env{})
			sc.Close()
			if err != nil {
				b.Fatal(err)
			}
			if _, err := plan.Run(b.Context(), src, checks.RunOptions{}); err != nil {
				b.Fatal(err)
			}
			src.Close()
		}
		reportRows(b, rows)
	})
	b.Run("prism", func(b *testing.B) {
		for b.Loop() {
			if code := run(b.Context(), &global{}, []string{"check", "--format", "json", "--rules", rules, path}, io.Discard, os.Stderr); code > 1 {
				b.Fatalf("exit %d", code)
			}
		}
		reportRows(b, rows)
	})
}

func BenchmarkDrift(b *testing.B) {
	ref, rows := benchFile(b, "ref.parquet", 42)
	cur, _ := benchFile(b, "cur.parquet", 43)
	b.Run("local", func(b *testing.B) {
		for b.Loop() {
			r, err := dataset.OpenSource(b.Context(), nil, ref, dataset.DefaultCSVOptions())
			if err != nil {
				b.Fatal(err)
			}
			c, err := dataset.OpenSource(b.Context(), nil, cur, dataset.DefaultCSVOptions())
			if err != nil {
				b.Fatal(err)
			}
			if _, err := drift.Compare(b.Context(), r, c, drift.Options{Method: "auto", Correction: "none", Multivariate: "none", ReferenceFrom: "auto", DatasetThreshold: 0.5}); err != nil {
				b.Fatal(err)
			}
			r.Close()
			c.Close()
		}
		reportRows(b, 2*rows)
	})
	b.Run("prism", func(b *testing.B) {
		for b.Loop() {
			if code := run(b.Context(), &global{}, []string{"drift", "--format", "json", ref, cur}, io.Discard, os.Stderr); code > 1 {
				b.Fatalf("exit %d", code)
			}
		}
		reportRows(b, 2*rows)
	})
}
