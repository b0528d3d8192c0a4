package dataset_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/parquet-go/parquet-go"

	"github.com/assayhq/assay/dataset"
)

// scanFixture is a set of generated files and what parquet-go's row reader
// returns for them, rows of all files in order.
type scanFixture struct {
	inputs []dataset.Input
	schema *parquet.Schema
	rows   []parquet.Row
	// rowGroups are the row counts of the files' row groups, in order.
	rowGroups []int64
	files     []int // file of each row group
	names     []string
}

// fixtureSpecs are three files of one schema that differ in everything a
// reader must not care about: row group size, page size (several pages
// per chunk), data page version, compression.
func fixtureSpecs() []pqSpec {
	return []pqSpec{
		{rows: 1000, rowGroupRows: 400, pageBuffer: 512, pageVersion: 2, compression: &parquet.Snappy, seed: 1},
		{rows: 700, pageVersion: 1, seed: 2},
		{rows: 900, rowGroupRows: 250, pageBuffer: 256, pageVersion: 1, compression: &parquet.Zstd, seed: 3},
	}
}

func newScanFixture(t testing.TB, specs []pqSpec) *scanFixture {
	t.Helper()
	fx := &scanFixture{}
	dir := t.TempDir()
	for i, spec := range specs {
		data := parquetBytes(t, spec)
		path := writeParquet(t, filepath.Join(dir, fmt.Sprintf("part-%d.parquet", i)), spec)
		sch, rows := refRows(t, data)
		if len(rows) != spec.rows {
			t.Fatalf("reference reader: got %d rows, want %d", len(rows), spec.rows)
		}
		fx.schema = sch
		fx.rows = append(fx.rows, rows...)
		fx.inputs = append(fx.inputs, dataset.FileInput(path))
		fx.names = append(fx.names, path)
		f, err := parquet.OpenFile(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatal(err)
		}
		for _, rg := range f.RowGroups() {
			fx.rowGroups = append(fx.rowGroups, rg.NumRows())
			fx.files = append(fx.files, i)
		}
	}
	return fx
}

func (fx *scanFixture) leaf(t testing.TB, name string) int {
	l, ok := fx.schema.Lookup(name)
	if !ok {
		t.Fatalf("no column %s", name)
	}
	return l.ColumnIndex
}

func TestScannerSchema(t *testing.T) {
	data := parquetBytes(t, pqSpec{rows: 10})
	s, err := dataset.NewScanner(context.Background(), []dataset.Input{bytesInput("x.parquet", data)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	sch := s.Schema()
	for _, c := range allColumns() {
		t.Run(c.name, func(t *testing.T) {
			i := sch.Index(c.name)
			if i < 0 {
				t.Fatalf("column missing from schema %v", sch.Names())
			}
			got := sch[i]
			want := dataset.Column{Name: c.name, Type: c.t.typ, Nullable: c.opt, UTC: c.t.utc}
			if got != want {
				t.Errorf("got %+v, want %+v", got, want)
			}
			dt := got.Arrow()
			if ts, ok := dt.(*arrow.TimestampType); ok {
				wantTZ := ""
				if c.t.utc {
					wantTZ = "UTC"
				}
				if ts.TimeZone != wantTZ {
					t.Errorf("Arrow time zone: got %q, want %q", ts.TimeZone, wantTZ)
				}
			}
		})
	}
}

func TestScannerRowGroups(t *testing.T) {
	fx := newScanFixture(t, fixtureSpecs())
	s, err := dataset.NewScanner(context.Background(), fx.inputs)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got, want := s.NumRows(), int64(len(fx.rows)); got != want {
		t.Errorf("NumRows: got %d, want %d", got, want)
	}
	rgs := s.RowGroups()
	if len(rgs) != len(fx.rowGroups) {
		t.Fatalf("got %d row groups, want %d", len(rgs), len(fx.rowGroups))
	}
	var first int64
	for i, rg := range rgs {
		want := dataset.RowGroup{Index: i, File: fx.files[i], FileName: fx.names[fx.files[i]], FirstRow: first, NumRows: fx.rowGroups[i]}
		got := dataset.RowGroup{Index: rg.Index, File: rg.File, FileName: rg.FileName, FirstRow: rg.FirstRow, NumRows: rg.NumRows}
		if got != want {
			t.Errorf("row group %d: got %+v, want %+v", i, got, want)
		}
		first += fx.rowGroups[i]
	}
	// The fixture is meant to have several row groups in some files.
	if len(rgs) < 7 {
		t.Errorf("fixture has %d row groups, want at least 7", len(rgs))
	}
}

// scanAndCompare scans with opts and compares every value with the
// reference rows; want selects the row groups expected.
func scanAndCompare(t *testing.T, fx *scanFixture, s *dataset.Scanner, opts dataset.ScanOptions, want func(int) bool) {
	t.Helper()
	cols := opts.Columns
	if cols == nil {
		cols = s.Schema().Supported().Names()
	}
	leaves := make([]int, len(cols))
	for i, c := range cols {
		leaves[i] = fx.leaf(t, c)
	}
	batch := opts.BatchRows
	if batch <= 0 {
		batch = 1 << 16
	}
	var (
		mu       sync.Mutex
		seen     = make([]int, len(fx.rows))
		problems int
	)
	report := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		problems++
		if problems <= 20 {
			t.Errorf(format, args...)
		}
	}
	err := s.Scan(context.Background(), opts, func(ctx context.Context, rg dataset.RowGroup, r *dataset.BatchReader) error {
		var offset int64
		for r.Next() {
			rec := r.Record()
			n := rec.NumRows()
			if r.Offset() != offset {
				report("row group %d: batch offset got %d, want %d", rg.Index, r.Offset(), offset)
			}
			if n > int64(batch) || n == 0 || (offset+n < rg.NumRows && n != int64(batch)) {
				report("row group %d at %d: batch of %d rows (BatchRows %d, group of %d)", rg.Index, offset, n, batch, rg.NumRows)
			}
			if got := rec.Schema().Fields(); len(got) != len(cols) {
				report("batch has %d columns, want %d", len(got), len(cols))
				return nil
			}
			for j, c := range cols {
				if got := rec.Schema().Field(j).Name; got != c {
					report("column %d: got %q, want %q", j, got, c)
				}
				arr := rec.Column(j)
				if err := validate(arr); err != nil {
					report("row group %d, column %s: invalid array: %v", rg.Index, c, err)
				}
				for i := range int(n) {
					row := rg.FirstRow + offset + int64(i)
					if row >= int64(len(fx.rows)) {
						report("row %d: beyond the %d reference rows", row, len(fx.rows))
						break
					}
					if diff := checkCell(arr, i, fx.rows[row][leaves[j]]); diff != "" {
						report("row %d, column %s: %s", row, c, diff)
					}
				}
			}
			mu.Lock()
			for i := range n {
				if row := rg.FirstRow + offset + i; row < int64(len(seen)) {
					seen[row]++
				}
			}
			mu.Unlock()
			offset += n
		}
		if offset != rg.NumRows {
			report("row group %d: read %d rows, want %d", rg.Index, offset, rg.NumRows)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("Scan: %v", err)
	}
	for _, rg := range s.RowGroups() {
		wantN := 0
		if want(rg.Index) {
			wantN = 1
		}
		for row := rg.FirstRow; row < min(rg.FirstRow+rg.NumRows, int64(len(seen))); row++ {
			if seen[row] != wantN {
				report("row %d (row group %d) read %d times, want %d", row, rg.Index, seen[row], wantN)
				break
			}
		}
	}
}

func TestScanMatchesParquetGo(t *testing.T) {
	fx := newScanFixture(t, fixtureSpecs())
	all := func(int) bool { return true }
	every := allColumns()
	var names []string
	for _, c := range every {
		names = append(names, c.name)
	}
	slices.Sort(names)
	reversed := slices.Clone(names)
	slices.Reverse(reversed)
	tests := []struct {
		name    string
		columns []string
		batch   int
		workers int
		only    func(dataset.RowGroup) bool
		want    func(int) bool
	}{
		{name: "all/default", want: all},
		{name: "all/batch1/workers1", batch: 1, workers: 1, want: all},
		{name: "all/batch7/workers4", batch: 7, workers: 4, want: all},
		{name: "all/batch1000/workers4", batch: 1000, workers: 4, want: all},
		{name: "all/batch7/workers1", batch: 7, workers: 1, want: all},
		{name: "reversed/batch7/workers4", columns: reversed, batch: 7, workers: 4, want: all},
		{name: "one-string/batch1000/workers1", columns: []string{"string_opt_dict"}, batch: 1000, workers: 1, want: all},
		{name: "subset-reordered/batch7/workers4", columns: []string{"ts_ns_local_opt_delta", "bool_req_plain", "binary_opt_dict", "date_req_dict", "float32_opt_delta"}, batch: 7, workers: 4, want: all},
		{name: "same-column-twice/batch1000/workers4", columns: []string{"int64_opt_dict", "int64_opt_dict"}, batch: 1000, workers: 4, want: all},
		{name: "only-odd/batch7/workers4", batch: 7, workers: 4,
			only: func(rg dataset.RowGroup) bool { return rg.Index%2 == 1 },
			want: func(i int) bool { return i%2 == 1 }},
		{name: "only-second-file/batch1000/workers1", batch: 1000, workers: 1,
			only: func(rg dataset.RowGroup) bool { return rg.File == 1 },
			want: func(i int) bool { return fx.files[i] == 1 }},
		{name: "only-none/batch7/workers4", batch: 7, workers: 4,
			only: func(dataset.RowGroup) bool { return false },
			want: func(int) bool { return false }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := dataset.NewScanner(context.Background(), fx.inputs)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			alloc := memory.NewCheckedAllocator(memory.NewGoAllocator())
			opts := dataset.ScanOptions{Columns: tt.columns, BatchRows: tt.batch, Workers: tt.workers, Only: tt.only, Allocator: alloc}
			scanAndCompare(t, fx, s, opts, tt.want)
			if got := alloc.CurrentAlloc(); got != 0 {
				t.Errorf("after the scan: got %d bytes still allocated, want 0", got)
			}
		})
	}
}

// TestScanPoolAllocator runs the default allocator (a recycling pool) over
// the same data twice: recycled buffers must not leak old values into new
// batches.
func TestScanPoolAllocator(t *testing.T) {
	fx := newScanFixture(t, fixtureSpecs())
	s, err := dataset.NewScanner(context.Background(), fx.inputs)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, batch := range []int{7, 1000, 7} {
		t.Run(fmt.Sprintf("batch%d", batch), func(t *testing.T) {
			scanAndCompare(t, fx, s, dataset.ScanOptions{BatchRows: batch, Workers: 2}, func(int) bool { return true })
		})
	}
}

func TestScanProjectionErrors(t *testing.T) {
	data := parquetBytes(t, pqSpec{rows: 10, columns: allColumns()[:3]})
	s, err := dataset.NewScanner(context.Background(), []dataset.Input{bytesInput("x.parquet", data)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	tests := []struct {
		name    string
		columns []string
		want    string
	}{
		{"unknown", []string{"bool_req_plain", "nope"}, `no column "nope"`},
		{"empty name", []string{""}, `no column ""`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			called := false
			err := s.Scan(context.Background(), dataset.ScanOptions{Columns: tt.columns}, func(context.Context, dataset.RowGroup, *dataset.BatchReader) error {
				called = true
				return nil
			})
			if !errors.Is(err, dataset.ErrInvalid) || !strings.Contains(fmt.Sprint(err), tt.want) {
				t.Errorf("got %v, want ErrInvalid containing %q", err, tt.want)
			}
			if called {
				t.Errorf("visit was called despite the bad projection")
			}
		})
	}
}

// TestScanUnsupportedColumns: nested, repeated, decimal and unsigned
// columns are listed as unsupported, left out of a scan of all columns,
// and an error when asked for by name.
func TestScanUnsupportedColumns(t *testing.T) {
	sch := parquet.NewSchema("test", parquet.Group{
		"a_id":      parquet.Int(64),
		"b_nested":  parquet.Group{"x": parquet.Int(32)},
		"c_list":    parquet.Repeated(parquet.String()),
		"d_decimal": parquet.Decimal(2, 9, parquet.Int32Type),
		"e_uint32":  parquet.Uint(32),
		"f_name":    parquet.Optional(parquet.String()),
	})
	var buf bytes.Buffer
	w := parquet.NewWriter(&buf, sch)
	for i := range 5 {
		row := parquet.Row{
			parquet.Int64Value(int64(i)).Level(0, 0, 0),
			parquet.Int32Value(int32(i)).Level(0, 0, 1),
			parquet.ByteArrayValue([]byte("l")).Level(0, 1, 2),
			parquet.Int32Value(int32(i*100)).Level(0, 0, 3),
			parquet.Int32Value(int32(i)).Level(0, 0, 4),
			parquet.ByteArrayValue([]byte(fmt.Sprint("n", i))).Level(0, 1, 5),
		}
		if _, err := w.WriteRows([]parquet.Row{row}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	s, err := dataset.NewScanner(context.Background(), []dataset.Input{bytesInput("u.parquet", buf.Bytes())})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, name := range []string{"b_nested", "c_list", "d_decimal", "e_uint32"} {
		t.Run(name, func(t *testing.T) {
			i := s.Schema().Index(name)
			if i < 0 {
				t.Fatalf("column not listed in the schema %v", s.Schema().Names())
			}
			if s.Schema()[i].Unsupported == "" {
				t.Errorf("got supported column %+v, want unsupported", s.Schema()[i])
			}
			err := s.Scan(context.Background(), dataset.ScanOptions{Columns: []string{name}}, func(context.Context, dataset.RowGroup, *dataset.BatchReader) error { return nil })
			if !errors.Is(err, dataset.ErrInvalid) || !strings.Contains(err.Error(), name) {
				t.Errorf("got %v, want ErrInvalid naming %s", err, name)
			}
		})
	}
	t.Run("all", func(t *testing.T) {
		recs, err := dataset.ReadAll(context.Background(), s, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer func() {
			for _, r := range recs {
				r.Release()
			}
		}()
		if len(recs) != 1 {
			t.Fatalf("got %d batches, want 1", len(recs))
		}
		var got []string
		for _, f := range recs[0].Schema().Fields() {
			got = append(got, f.Name)
		}
		if want := []string{"a_id", "f_name"}; !slices.Equal(got, want) {
			t.Errorf("columns: got %v, want %v", got, want)
		}
		if got := dataset.FormatCell(recs[0].Column(1), 3); got != "n3" {
			t.Errorf("f_name[3]: got %q, want %q", got, "n3")
		}
	})
}

// TestReadAllOrder: ReadAll returns the rows in file order whatever the
// worker count.
func TestReadAllOrder(t *testing.T) {
	fx := newScanFixture(t, fixtureSpecs())
	s, err := dataset.NewScanner(context.Background(), fx.inputs)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	recs, err := dataset.ReadAll(context.Background(), s, []string{"int64_req_plain", "string_opt_dict"})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		for _, r := range recs {
			r.Release()
		}
	}()
	li, ls := fx.leaf(t, "int64_req_plain"), fx.leaf(t, "string_opt_dict")
	row := 0
	for _, rec := range recs {
		for i := range int(rec.NumRows()) {
			if d := checkCell(rec.Column(0), i, fx.rows[row][li]); d != "" {
				t.Fatalf("row %d int64_req_plain: %s", row, d)
			}
			if d := checkCell(rec.Column(1), i, fx.rows[row][ls]); d != "" {
				t.Fatalf("row %d string_opt_dict: %s", row, d)
			}
			row++
		}
	}
	if row != len(fx.rows) {
		t.Errorf("got %d rows, want %d", row, len(fx.rows))
	}
}

var errStop = errors.New("stop here")

// TestScanStopsWithoutLeaks stops scans in several ways and checks that
// every Arrow buffer is released.
func TestScanStopsWithoutLeaks(t *testing.T) {
	fx := newScanFixture(t, fixtureSpecs())
	tests := []struct {
		name    string
		workers int
		visit   func(cancel context.CancelFunc) dataset.VisitFunc
		wantErr error
	}{
		{"error after first batch of group 2", 4, func(context.CancelFunc) dataset.VisitFunc {
			return func(ctx context.Context, rg dataset.RowGroup, r *dataset.BatchReader) error {
				for r.Next() {
					if rg.Index == 2 {
						return errStop
					}
				}
				return nil
			}
		}, errStop},
		{"error before reading", 1, func(context.CancelFunc) dataset.VisitFunc {
			return func(ctx context.Context, rg dataset.RowGroup, r *dataset.BatchReader) error {
				if rg.Index == 1 {
					return errStop
				}
				for r.Next() {
				}
				return nil
			}
		}, errStop},
		{"stop reading early, no error", 4, func(context.CancelFunc) dataset.VisitFunc {
			return func(ctx context.Context, rg dataset.RowGroup, r *dataset.BatchReader) error {
				r.Next()
				r.Next()
				return nil
			}
		}, nil},
		{"retain and release later", 2, func(context.CancelFunc) dataset.VisitFunc {
			return func(ctx context.Context, rg dataset.RowGroup, r *dataset.BatchReader) error {
				var kept []arrow.RecordBatch
				for r.Next() {
					rec := r.Record()
					rec.Retain()
					kept = append(kept, rec)
				}
				for _, k := range kept {
					k.Release()
				}
				return nil
			}
		}, nil},
		{"cancel midway", 2, func(cancel context.CancelFunc) dataset.VisitFunc {
			return func(ctx context.Context, rg dataset.RowGroup, r *dataset.BatchReader) error {
				for r.Next() {
					if rg.Index == 3 {
						cancel()
					}
					if err := ctx.Err(); err != nil {
						return err
					}
				}
				return nil
			}
		}, context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := dataset.NewScanner(context.Background(), fx.inputs)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			alloc := memory.NewCheckedAllocator(memory.NewGoAllocator())
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			err = s.Scan(ctx, dataset.ScanOptions{BatchRows: 7, Workers: tt.workers, Allocator: alloc}, tt.visit(cancel))
			if tt.wantErr == nil && err != nil || tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("Scan: got %v, want %v", err, tt.wantErr)
			}
			if got := alloc.CurrentAlloc(); got != 0 {
				t.Errorf("got %d bytes still allocated, want 0", got)
			}
		})
	}
}

func TestScanEmptyParquet(t *testing.T) {
	data := parquetBytes(t, pqSpec{rows: 0, columns: allColumns()[:4]})
	s, err := dataset.NewScanner(context.Background(), []dataset.Input{bytesInput("empty.parquet", data)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got := s.NumRows(); got != 0 {
		t.Errorf("NumRows: got %d, want 0", got)
	}
	batches := 0
	err = s.Scan(context.Background(), dataset.ScanOptions{}, func(ctx context.Context, rg dataset.RowGroup, r *dataset.BatchReader) error {
		for r.Next() {
			batches++
		}
		return nil
	})
	if err != nil || batches != 0 {
		t.Errorf("Scan: got %d batches, error %v; want 0, nil", batches, err)
	}
	p, err := dataset.Profile(context.Background(), s, dataset.ScanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sum := p.Summary()
	if sum.Rows != 0 || len(sum.Columns) != 4 {
		t.Errorf("profile: got %d rows, %d columns; want 0, 4", sum.Rows, len(sum.Columns))
	}
}

// TestScanSchemaMerge: a column optional in one file and required in
// another is nullable in the scan, and both files read.
func TestScanSchemaMerge(t *testing.T) {
	byName := map[string]pqType{}
	for _, tp := range pqTypes() {
		byName[tp.name] = tp
	}
	req := []pqColumn{{name: "v", t: byName["int64"], enc: "plain"}, {name: "w", t: byName["string"], enc: "dict"}}
	opt := []pqColumn{{name: "v", t: byName["int64"], enc: "plain", opt: true, nulls: 0.5}, {name: "w", t: byName["string"], enc: "dict"}}
	fx := newScanFixture(t, []pqSpec{{rows: 50, columns: req, seed: 1}, {rows: 60, columns: opt, seed: 2}, {rows: 40, columns: req, seed: 3}})
	s, err := dataset.NewScanner(context.Background(), fx.inputs)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got := s.Schema()[0]; !got.Nullable {
		t.Errorf("v: got %+v, want nullable", got)
	}
	alloc := memory.NewCheckedAllocator(memory.NewGoAllocator())
	scanAndCompare(t, fx, s, dataset.ScanOptions{BatchRows: 7, Allocator: alloc}, func(int) bool { return true })
	if got := alloc.CurrentAlloc(); got != 0 {
		t.Errorf("got %d bytes still allocated, want 0", got)
	}
}

// TestScanDictionaryFallback: a dictionary that outgrows its limit makes
// parquet-go continue the chunk with plain pages; both kinds of page read.
func TestScanDictionaryFallback(t *testing.T) {
	byName := map[string]pqType{}
	for _, tp := range pqTypes() {
		byName[tp.name] = tp
	}
	cols := []pqColumn{
		{name: "b", t: byName["binary"], enc: "dict", opt: true, nulls: 0.1},
		{name: "f", t: byName["float64"], enc: "dict"},
	}
	spec := pqSpec{rows: 3000, columns: cols, pageBuffer: 512, seed: 9, extra: []parquet.WriterOption{parquet.DictionaryMaxBytes(256)}}
	data := parquetBytes(t, spec)
	sch, rows := refRows(t, data)
	fx := &scanFixture{inputs: []dataset.Input{bytesInput("fallback.parquet", data)}, schema: sch, rows: rows}
	s, err := dataset.NewScanner(context.Background(), fx.inputs)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	scanAndCompare(t, fx, s, dataset.ScanOptions{BatchRows: 100, Workers: 1}, func(int) bool { return true })
}

// TestFixtureShape makes sure the fixture has what the scan tests rely on:
// several pages per column chunk, dictionary pages in dictionary columns,
// the other encodings where asked for, and nulls.
func TestFixtureShape(t *testing.T) {
	spec := fixtureSpecs()[2]
	data := parquetBytes(t, spec)
	f, err := parquet.OpenFile(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	md := f.Metadata()
	if len(md.RowGroups) < 3 {
		t.Fatalf("got %d row groups, want at least 3", len(md.RowGroups))
	}
	for _, c := range allColumns() {
		t.Run(c.name, func(t *testing.T) {
			l, _ := f.Schema().Lookup(c.name)
			chunk := md.RowGroups[0].Columns[l.ColumnIndex].MetaData
			pages := f.RowGroups()[0].ColumnChunks()[l.ColumnIndex].Pages()
			defer pages.Close()
			n, dict := 0, false
			for {
				p, err := pages.ReadPage()
				if err != nil {
					break
				}
				n++
				dict = dict || p.Dictionary() != nil
				parquet.Release(p)
			}
			if c.nulls < 1 && n < 2 && c.t.typ != dataset.Bool {
				t.Errorf("got %d pages in the first chunk, want several", n)
			}
			if c.enc == "delta" {
				want := c.node().Encoding().Encoding()
				if !slices.Contains(chunk.Encoding, want) {
					t.Errorf("encodings: got %v, want %v among them", chunk.Encoding, want)
				}
			}
			if want := c.enc == "dict"; dict != want {
				t.Errorf("dictionary pages: got %v, want %v (encodings %v)", dict, want, chunk.Encoding)
			}
		})
	}
}
