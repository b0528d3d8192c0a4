package dataset_test

import (
	"bytes"
	"context"
	"io"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/parquet-go/parquet-go"

	"github.com/assayhq/assay/dataset"
)

// flightsPath is the real third-party file of ../shared/data/vega (Polars,
// ZSTD, dictionary pages, 11 row groups). It is 13 MB and not part of the
// repository; ASSAY_FLIGHTS overrides the path.
func flightsPath(t testing.TB) string {
	p := os.Getenv("ASSAY_FLIGHTS")
	if p == "" {
		p = filepath.Join("..", "..", "shared", "data", "vega", "flights-3m.parquet")
	}
	if _, err := os.Stat(p); err != nil {
		t.Skipf("flights-3m.parquet not found at %s (set ASSAY_FLIGHTS): %v", p, err)
	}
	return p
}

// TestFlights3M profiles the real file and checks the figures DuckDB gives
// for it (see ../shared/data/vega/SOURCE.md).
func TestFlights3M(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 3,000,000 rows")
	}
	path := flightsPath(t)
	s, err := dataset.NewScanner(context.Background(), []dataset.Input{dataset.FileInput(path)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got, want := s.NumRows(), int64(3_000_000); got != want {
		t.Errorf("NumRows: got %d, want %d", got, want)
	}
	alloc := memory.NewCheckedAllocator(memory.NewGoAllocator())
	p, err := dataset.Profile(context.Background(), s, dataset.ScanOptions{Allocator: alloc})
	if err != nil {
		t.Fatal(err)
	}
	if got := alloc.CurrentAlloc(); got != 0 {
		t.Errorf("got %d bytes still allocated, want 0", got)
	}
	sum := p.Summary()
	if sum.Rows != 3_000_000 {
		t.Errorf("profile rows: got %d, want 3000000", sum.Rows)
	}
	cols := map[string]int{}
	for i, c := range sum.Columns {
		cols[c.Name] = i
	}
	tests := []struct {
		column   string
		distinct int64
		mean     float64 // NaN: not checked
	}{
		{"origin", 229, math.NaN()},
		{"destination", 228, math.NaN()},
		{"delay", -1, 6.6679},
	}
	for _, tt := range tests {
		t.Run(tt.column, func(t *testing.T) {
			i, ok := cols[tt.column]
			if !ok {
				t.Fatalf("no column %s in %v", tt.column, s.Schema().Names())
			}
			c := sum.Columns[i]
			if c.Count != 3_000_000 || c.Nulls != 0 {
				t.Errorf("count, nulls: got %d, %d; want 3000000, 0", c.Count, c.Nulls)
			}
			if tt.distinct >= 0 && (c.Distinct != tt.distinct || !c.DistinctExact) {
				t.Errorf("distinct: got %d (exact %v), want %d (exact)", c.Distinct, c.DistinctExact, tt.distinct)
			}
			if !math.IsNaN(tt.mean) {
				if c.Mean == nil {
					t.Fatalf("mean: got none, want %v", tt.mean)
				}
				if got := float64(*c.Mean); math.Abs(got-tt.mean) > 5e-5 {
					t.Errorf("mean: got %.6f, want %.4f", got, tt.mean)
				}
			}
		})
	}
}

// TestFlights3MValues compares the scanner with parquet-go's row reader on
// the first two row groups of the real file.
func TestFlights3MValues(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 550,000 rows twice")
	}
	path := flightsPath(t)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := parquet.OpenFile(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var rows []parquet.Row
	for _, rg := range f.RowGroups()[:2] {
		rr := rg.Rows()
		buf := make([]parquet.Row, 256)
		for {
			n, err := rr.ReadRows(buf)
			for _, row := range buf[:n] {
				rows = append(rows, row.Clone())
			}
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		rr.Close()
	}
	fx := &scanFixture{inputs: []dataset.Input{dataset.FileInput(path)}, schema: f.Schema(), rows: rows}
	s, err := dataset.NewScanner(context.Background(), fx.inputs)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	want := func(i int) bool { return i < 2 }
	alloc := memory.NewCheckedAllocator(memory.NewGoAllocator())
	scanAndCompare(t, fx, s, dataset.ScanOptions{
		BatchRows: 10_000, Allocator: alloc,
		Only: func(rg dataset.RowGroup) bool { return want(rg.Index) },
	}, want)
	if got := alloc.CurrentAlloc(); got != 0 {
		t.Errorf("got %d bytes still allocated, want 0", got)
	}
}
