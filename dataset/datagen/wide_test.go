package datagen

import (
	"bytes"
	"context"
	"slices"
	"testing"

	"github.com/parquet-go/parquet-go"
)

func TestWriteWide(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteWide(context.Background(), &buf, WideOptions{Rows: 5000, Entities: 1000, Features: 3, RowGroupRows: 2048}); err != nil {
		t.Fatal(err)
	}
	f, err := parquet.OpenFile(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range f.Schema().Columns() {
		names = append(names, c[0])
	}
	if got, want := names, []string{"entity_id", "event_ts", "f00", "f01", "f02"}; !slices.Equal(got, want) {
		t.Fatalf("columns: got %v, want %v", got, want)
	}
	if f.NumRows() != 5000 || len(f.RowGroups()) != 3 {
		t.Fatalf("got %d rows in %d row groups", f.NumRows(), len(f.RowGroups()))
	}
	type row struct {
		ID  int64   `parquet:"entity_id"`
		TS  int64   `parquet:"event_ts"`
		F00 float64 `parquet:"f00"`
		F02 float64 `parquet:"f02"`
	}
	rows, err := parquet.Read[row](bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		if r.ID != int64(i%1000) || r.TS != WideStart+int64(i)*1_000_000 || r.F00 < 0 || r.F00 >= 1 || r.F02 < 0 || r.F02 >= 1 {
			t.Fatalf("row %d: %+v", i, r)
		}
	}
	if rows[0].F00 == rows[1].F00 {
		t.Error("features do not vary")
	}
}
