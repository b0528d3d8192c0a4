package dataset_test

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/dataset/profile"
)

func fl(v float64) *profile.Float { f := profile.Float(v); return &f }

func TestCompareProfiles(t *testing.T) {
	sa := dataset.Schema{
		{Name: "id", Type: dataset.Int64},
		{Name: "name", Type: dataset.String},
		{Name: "score", Type: dataset.Float64},
		{Name: "old", Type: dataset.Bool},
		{Name: "at", Type: dataset.TimestampMS, UTC: true},
		{Name: "same", Type: dataset.Int32},
	}
	sb := dataset.Schema{
		{Name: "new", Type: dataset.Int32},
		{Name: "id", Type: dataset.Int64, Nullable: true},
		{Name: "name", Type: dataset.String},
		{Name: "score", Type: dataset.Float32},
		{Name: "at", Type: dataset.TimestampMS},
		{Name: "same", Type: dataset.Int32},
	}
	pa := profile.Summary{Rows: 10, Columns: []profile.ColumnSummary{
		{Name: "id", Type: "int64", Count: 10, Nulls: 0, Distinct: 10, Mean: fl(10), Std: fl(2)},
		{Name: "name", Type: "string", Count: 10, Nulls: 2, Distinct: 3,
			Top: []profile.TopValue{{Value: "a", Count: 5}, {Value: "b", Count: 3}}},
		{Name: "score", Type: "float64", Count: 10, Mean: fl(1)},
		{Name: "old", Type: "bool", Count: 10},
		{Name: "same", Type: "int32", Count: 10, Nulls: 1, Distinct: 4, Mean: fl(3), Std: fl(1)},
	}}
	pb := profile.Summary{Rows: 20, Columns: []profile.ColumnSummary{
		{Name: "new", Type: "int32", Count: 20},
		{Name: "id", Type: "int64", Count: 20, Nulls: 5, Distinct: 15, Mean: fl(12), Std: fl(3)},
		{Name: "name", Type: "string", Count: 20, Nulls: 2, Distinct: 3,
			Top: []profile.TopValue{{Value: "b", Count: 4}, {Value: "c", Count: 2}}},
		{Name: "score", Type: "float32", Count: 20},
		{Name: "same", Type: "int32", Count: 20, Nulls: 2, Distinct: 4, Mean: fl(3), Std: fl(1)},
	}}
	d := dataset.CompareProfiles("a", "b", sa, sb, pa, pb)

	names := func(s dataset.Schema) []string { return s.Names() }
	checks := []struct {
		what      string
		got, want any
	}{
		{"rows", [2]int64{d.RowsA, d.RowsB}, [2]int64{10, 20}},
		{"added", names(d.Added), []string{"new"}},
		{"removed", names(d.Removed), []string{"old"}},
		{"retyped", d.Retyped, []dataset.Retype{{Name: "score", From: "float64", To: "float32"}, {Name: "at", From: "timestamp[ms] UTC", To: "timestamp[ms]"}}},
	}
	for _, c := range checks {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s: got %v, want %v", c.what, c.got, c.want)
		}
	}
	cols := map[string]dataset.ColumnDiff{}
	var order []string
	for _, c := range d.Columns {
		cols[c.Name] = c
		order = append(order, c.Name)
	}
	if want := []string{"id", "name", "score", "same"}; !reflect.DeepEqual(order, want) {
		t.Errorf("columns: got %v, want %v (B's order, in both)", order, want)
	}
	id := cols["id"]
	if id.NullShareA != 0 || id.NullShareB != 0.25 || id.DistinctA != 10 || id.DistinctB != 15 {
		t.Errorf("id: got null shares %v→%v, distinct %d→%d; want 0→0.25, 10→15", id.NullShareA, id.NullShareB, id.DistinctA, id.DistinctB)
	}
	if id.MeanShift == nil || *id.MeanShift != 1 {
		t.Errorf("id: mean shift got %v, want 1 (12−10 over A's std 2)", id.MeanShift)
	}
	if !id.Changed() {
		t.Errorf("id: Changed() = false, want true")
	}
	name := cols["name"]
	if !reflect.DeepEqual(name.TopNew, []string{"c"}) || !reflect.DeepEqual(name.TopGone, []string{"a"}) {
		t.Errorf("name: top new %v, gone %v; want [c], [a]", name.TopNew, name.TopGone)
	}
	if name.MeanShift != nil || !name.Changed() {
		t.Errorf("name: got mean shift %v, changed %v; want nil, true", name.MeanShift, name.Changed())
	}
	if s := cols["score"]; s.MeanA == nil || s.MeanB != nil || !s.Changed() {
		t.Errorf("score: got means %v→%v, changed %v; want 1→none, true", s.MeanA, s.MeanB, s.Changed())
	}
	same := cols["same"]
	if same.NullShareA != 0.1 || same.NullShareB != 0.1 || same.Changed() {
		t.Errorf("same: got %+v, want unchanged", same)
	}
	t.Run("no rows", func(t *testing.T) {
		empty := profile.Summary{Columns: []profile.ColumnSummary{{Name: "id", Type: "int64"}}}
		d := dataset.CompareProfiles("a", "b", sa[:1], sa[:1], empty, empty)
		if len(d.Columns) != 1 || d.Columns[0].NullShareA != 0 || d.Columns[0].Changed() {
			t.Errorf("got %+v, want one unchanged column with null share 0", d.Columns)
		}
	})
}

type keyedRow struct {
	ID    int64    `parquet:"id"`
	Name  string   `parquet:"name"`
	Score *float64 `parquet:"score,optional"`
}

func kr(id int64, name string, score ...float64) keyedRow {
	r := keyedRow{ID: id, Name: name}
	if len(score) > 0 {
		r.Score = &score[0]
	}
	return r
}

func writeKeyed(t testing.TB, path string, rows []keyedRow) *dataset.Scanner {
	t.Helper()
	if err := parquet.WriteFile(path, rows, parquet.MaxRowsPerRowGroup(3)); err != nil {
		t.Fatal(err)
	}
	s, err := dataset.NewScanner(context.Background(), []dataset.Input{dataset.FileInput(path)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestCompareKeys(t *testing.T) {
	dir := t.TempDir()
	a := writeKeyed(t, filepath.Join(dir, "a.parquet"), []keyedRow{
		kr(1, "ann", 1), kr(2, "bob", 2), kr(3, "cid", 3), kr(4, "dan", 4),
		kr(5, "eve", 5), kr(5, "EVE", 50), // duplicate key: only the first counts
		kr(6, "fay"), kr(7, "gus", 7), kr(8, "hal", 8),
	})
	b := writeKeyed(t, filepath.Join(dir, "b.parquet"), []keyedRow{
		kr(1, "ann", 1), // unchanged
		kr(2, "BOB", 2), // name changed
		kr(3, "cid"),    // score now null
		kr(5, "eve", 5), // unchanged
		kr(7, "gus", 7), // unchanged
		kr(8, "hal", 8.5),
		kr(9, "ivy", 9), kr(10, "jon"), // added
		kr(9, "IVY", 99), // duplicate in B
	})
	kd, err := dataset.CompareKeys(context.Background(), a, b, []string{"id"}, b.Schema())
	if err != nil {
		t.Fatal(err)
	}
	counts := []struct {
		what      string
		got, want int64
	}{
		{"added", kd.Added, 2},
		{"removed", kd.Removed, 2},
		{"changed", kd.Changed, 3},
		{"unchanged", kd.Unchanged, 3},
		{"duplicates A", kd.DuplicatesA, 1},
		{"duplicates B", kd.DuplicatesB, 1},
	}
	for _, c := range counts {
		if c.got != c.want {
			t.Errorf("%s: got %d, want %d", c.what, c.got, c.want)
		}
	}
	if want := []string{"name", "score"}; !reflect.DeepEqual(kd.Compared, want) {
		t.Errorf("compared: got %v, want %v", kd.Compared, want)
	}
	wantAdded := []dataset.Row{{Key: "9", Values: []string{"9", "ivy", "9"}}, {Key: "10", Values: []string{"10", "jon", "null"}}}
	wantRemoved := []dataset.Row{{Key: "4", Values: []string{"4", "dan", "4"}}, {Key: "6", Values: []string{"6", "fay", "null"}}}
	wantChanged := []dataset.ChangedRow{
		{Key: "2", Changes: []dataset.CellChange{{Column: "name", A: "bob", B: "BOB"}}},
		{Key: "3", Changes: []dataset.CellChange{{Column: "score", A: "3", B: "null"}}},
		{Key: "8", Changes: []dataset.CellChange{{Column: "score", A: "8", B: "8.5"}}},
	}
	if !reflect.DeepEqual(kd.SampleAdded, wantAdded) {
		t.Errorf("sample added: got %v, want %v", kd.SampleAdded, wantAdded)
	}
	if !reflect.DeepEqual(kd.SampleRemoved, wantRemoved) {
		t.Errorf("sample removed: got %v, want %v", kd.SampleRemoved, wantRemoved)
	}
	if !reflect.DeepEqual(kd.SampleChanged, wantChanged) {
		t.Errorf("sample changed: got %v, want %v", kd.SampleChanged, wantChanged)
	}

	t.Run("composite key", func(t *testing.T) {
		// Keyed by (id, name): renaming a row removes one key and adds
		// another.
		kd, err := dataset.CompareKeys(context.Background(), a, b, []string{"id", "name"}, b.Schema())
		if err != nil {
			t.Fatal(err)
		}
		got := [6]int64{kd.Added, kd.Removed, kd.Changed, kd.Unchanged, kd.DuplicatesA, kd.DuplicatesB}
		// A keys: (1 ann) (2 bob) (3 cid) (4 dan) (5 eve) (5 EVE) (6 fay) (7 gus) (8 hal)
		// B keys: (1 ann) (2 BOB) (3 cid) (5 eve) (7 gus) (8 hal) (9 ivy) (10 jon) (9 IVY)
		want := [6]int64{4, 4, 2, 3, 0, 0}
		if got != want {
			t.Errorf("added, removed, changed, unchanged, dupA, dupB: got %v, want %v", got, want)
		}
		if len(kd.SampleChanged) != 2 || kd.SampleChanged[0].Key != "3, cid" {
			t.Errorf("sample changed: got %+v, want keys 3, cid and 8, hal", kd.SampleChanged)
		}
	})

	t.Run("samples are capped", func(t *testing.T) {
		var ra, rb []keyedRow
		for i := range int64(40) {
			ra = append(ra, kr(i, "x", float64(i)))
			if i%2 == 0 {
				rb = append(rb, kr(i, "x", float64(i)+0.5))
			} else {
				rb = append(rb, kr(i, "x", float64(i)))
			}
		}
		for i := int64(100); i < 120; i++ {
			rb = append(rb, kr(i, "new"))
		}
		sa := writeKeyed(t, filepath.Join(dir, "ma.parquet"), ra)
		sb := writeKeyed(t, filepath.Join(dir, "mb.parquet"), rb[1:]) // 0 removed
		kd, err := dataset.CompareKeys(context.Background(), sa, sb, []string{"id"}, sb.Schema())
		if err != nil {
			t.Fatal(err)
		}
		if kd.Added != 20 || kd.Removed != 1 || kd.Changed != 19 || kd.Unchanged != 20 {
			t.Errorf("got %+v", kd)
		}
		if len(kd.SampleAdded) != dataset.DiffSample || len(kd.SampleChanged) != dataset.DiffSample || len(kd.SampleRemoved) != 1 {
			t.Errorf("samples: got %d added, %d changed, %d removed; want %d, %d, 1",
				len(kd.SampleAdded), len(kd.SampleChanged), len(kd.SampleRemoved), dataset.DiffSample, dataset.DiffSample)
		}
		var keys []string
		for _, r := range kd.SampleAdded {
			keys = append(keys, r.Key)
		}
		if want := []string{"100", "101", "102", "103", "104"}; !reflect.DeepEqual(keys, want) {
			t.Errorf("sample added keys: got %v, want %v (first in B)", keys, want)
		}
	})

	t.Run("bad keys", func(t *testing.T) {
		type other struct {
			ID   string `parquet:"id"`
			Name string `parquet:"name"`
		}
		op := filepath.Join(dir, "other.parquet")
		if err := parquet.WriteFile(op, []other{{"1", "x"}}); err != nil {
			t.Fatal(err)
		}
		so, err := dataset.NewScanner(context.Background(), []dataset.Input{dataset.FileInput(op)})
		if err != nil {
			t.Fatal(err)
		}
		defer so.Close()
		tests := []struct {
			name string
			b    *dataset.Scanner
			key  []string
		}{
			{"missing", b, []string{"nope"}},
			{"retyped", so, []string{"id"}},
			{"none", b, nil},
			{"twice", b, []string{"id", "id"}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := dataset.CompareKeys(context.Background(), a, tt.b, tt.key, tt.b.Schema())
				if !errors.Is(err, dataset.ErrInvalid) {
					t.Errorf("got %v, want ErrInvalid", err)
				}
			})
		}
	})
}

func TestFormatCell(t *testing.T) {
	dir := t.TempDir()
	type row struct {
		TS   int64   `parquet:"ts,timestamp(millisecond)"`
		D    int32   `parquet:"d,date"`
		S    *string `parquet:"s,optional"`
		F    float64 `parquet:"f"`
		B    bool    `parquet:"b"`
		Bin  []byte  `parquet:"bin"`
		NS   int64   `parquet:"ns,timestamp(nanosecond)"`
		I    int32   `parquet:"i"`
		Name string  `parquet:"name"`
	}
	s := "x"
	path := filepath.Join(dir, "f.parquet")
	rows := []row{{TS: 1_700_000_000_123, D: 19000, S: &s, F: 0.1, B: true, Bin: []byte("ab"), NS: 1, I: -3, Name: "ü"}, {}}
	if err := parquet.WriteFile(path, rows); err != nil {
		t.Fatal(err)
	}
	sc, err := dataset.NewScanner(context.Background(), []dataset.Input{dataset.FileInput(path)})
	if err != nil {
		t.Fatal(err)
	}
	defer sc.Close()
	recs, err := dataset.ReadAll(context.Background(), sc, []string{"ts", "d", "s", "f", "b", "ns", "i", "name"})
	if err != nil {
		t.Fatal(err)
	}
	defer recs[0].Release()
	want := [][]string{
		{"2023-11-14T22:13:20.123Z", "2022-01-08", "x", "0.1", "true", "1970-01-01T00:00:00.000000001Z", "-3", "ü"},
		{"1970-01-01T00:00:00Z", "1970-01-01", "null", "0", "false", "1970-01-01T00:00:00Z", "0", ""},
	}
	for i, w := range want {
		for j, cell := range w {
			if got := dataset.FormatCell(recs[0].Column(j), i); got != cell {
				t.Errorf("row %d, %s: got %q, want %q", i, recs[0].ColumnName(j), got, cell)
			}
		}
	}
}

// TestFormatCellOutlivesBatch keeps the rendered cells of every batch of a
// scan and checks them after the scan: the scan recycles the memory of
// released batches, so a rendered string must not alias it.
func TestFormatCellOutlivesBatch(t *testing.T) {
	fx := newScanFixture(t, fixtureSpecs()[:1])
	s, err := dataset.NewScanner(context.Background(), fx.inputs)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	cols := []string{"string_req_plain", "string_opt_dict", "string_req_delta"}
	got := make([][]string, len(fx.rows))
	err = s.Scan(context.Background(), dataset.ScanOptions{Columns: cols, BatchRows: 7, Workers: 1},
		func(ctx context.Context, rg dataset.RowGroup, r *dataset.BatchReader) error {
			for r.Next() {
				rec := r.Record()
				for i := range int(rec.NumRows()) {
					row := rg.FirstRow + r.Offset() + int64(i)
					for j := range cols {
						got[row] = append(got[row], dataset.FormatCell(rec.Column(j), i))
					}
				}
			}
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	bad := 0
	for row, cells := range got {
		for j, c := range cols {
			v := fx.rows[row][fx.leaf(t, c)]
			want := "null"
			if !v.IsNull() {
				want = string(v.ByteArray())
			}
			if cells[j] != want && bad < 5 {
				bad++
				t.Errorf("row %d, %s: got %q, want %q", row, c, cells[j], want)
			}
		}
	}
}
