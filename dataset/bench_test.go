package dataset_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/dataset/datagen"
)

// benchRows is the size of the generated benchmark file: 1,000,000 rows,
// or $ASSAY_BENCH_ROWS.
func benchRows(b *testing.B) int64 {
	if s := os.Getenv("ASSAY_BENCH_ROWS"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n <= 0 {
			b.Fatalf("ASSAY_BENCH_ROWS=%q: want a positive integer", s)
		}
		return n
	}
	return 1_000_000
}

// benchFile writes the datagen customers data (8 columns, Snappy) into a
// temporary directory.
func benchFile(b *testing.B) (string, int64) {
	b.Helper()
	rows := benchRows(b)
	path := filepath.Join(b.TempDir(), "customers.parquet")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := datagen.Write(context.Background(), f, datagen.Options{Rows: rows, RowGroupRows: 1 << 18}); err != nil {
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

func BenchmarkScan(b *testing.B) {
	path, rows := benchFile(b)
	st, _ := os.Stat(path)
	cases := []struct {
		name    string
		columns []string
		workers int
	}{
		{"all/workers=1", nil, 1},
		{"all/workers=max", nil, 0},
		{"income/workers=max", []string{"income"}, 0},
		{"customer_id/workers=max", []string{"customer_id"}, 0},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(st.Size())
			for b.Loop() {
				s, err := dataset.NewScanner(context.Background(), []dataset.Input{dataset.FileInput(path)})
				if err != nil {
					b.Fatal(err)
				}
				var n int64
				counts := make([]int64, len(s.RowGroups()))
				err = s.Scan(context.Background(), dataset.ScanOptions{Columns: c.columns, Workers: c.workers},
					func(ctx context.Context, rg dataset.RowGroup, r *dataset.BatchReader) error {
						for r.Next() {
							counts[rg.Index] += r.Record().NumRows()
						}
						return nil
					})
				if err != nil {
					b.Fatal(err)
				}
				for _, k := range counts {
					n += k
				}
				if n != rows {
					b.Fatalf("read %d rows, want %d", n, rows)
				}
				s.Close()
			}
			reportRows(b, rows)
		})
	}
}

func BenchmarkProfile(b *testing.B) {
	path, rows := benchFile(b)
	for _, workers := range []int{1, 0} {
		b.Run(fmt.Sprintf("workers=%s", map[bool]string{true: "max", false: "1"}[workers == 0]), func(b *testing.B) {
			for b.Loop() {
				s, err := dataset.NewScanner(context.Background(), []dataset.Input{dataset.FileInput(path)})
				if err != nil {
					b.Fatal(err)
				}
				p, err := dataset.Profile(context.Background(), s, dataset.ScanOptions{Workers: workers})
				if err != nil {
					b.Fatal(err)
				}
				if got := p.Summary().Rows; got != rows {
					b.Fatalf("profiled %d rows, want %d", got, rows)
				}
				s.Close()
			}
			reportRows(b, rows)
		})
	}
}

// BenchmarkCommit commits the file into a new local repository each time:
// hashing, copying and profiling.
func BenchmarkCommit(b *testing.B) {
	path, rows := benchFile(b)
	st, _ := os.Stat(path)
	b.SetBytes(st.Size())
	root := b.TempDir()
	i := 0
	for b.Loop() {
		i++
		dir := filepath.Join(root, strconv.Itoa(i))
		r, err := dataset.InitDir(context.Background(), dir)
		if err != nil {
			b.Fatal(err)
		}
		m, err := r.Commit(context.Background(), dataset.CommitOptions{Name: "customers", Paths: []string{path}, Message: "bench", Author: "bench"})
		if err != nil {
			b.Fatal(err)
		}
		if m.Rows != rows {
			b.Fatalf("committed %d rows, want %d", m.Rows, rows)
		}
		b.StopTimer()
		os.RemoveAll(dir)
		b.StartTimer()
	}
	reportRows(b, rows)
}
