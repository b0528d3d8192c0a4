package datagen_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/assayhq/assay/dataset/datagen"
)

func TestWrite(t *testing.T) {
	var buf bytes.Buffer
	opts := datagen.Options{Rows: 20_000, RowGroupRows: 8_000, Seed: 7}
	if err := datagen.Write(context.Background(), &buf, opts); err != nil {
		t.Fatal(err)
	}
	f, err := parquet.OpenFile(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	if got := f.NumRows(); got != 20_000 {
		t.Errorf("rows: got %d, want 20000", got)
	}
	if got := len(f.RowGroups()); got != 3 {
		t.Errorf("row groups: got %d, want 3", got)
	}
	rows, err := parquet.Read[datagen.Row](bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var nullAges, churned int
	customers := map[string]bool{}
	for i, r := range rows {
		if r.ID != int64(i+1) {
			t.Fatalf("row %d: id %d, want %d", i, r.ID, i+1)
		}
		if r.Age == nil {
			nullAges++
		}
		if r.Churn {
			churned++
		}
		customers[r.CustomerID] = true
	}
	// 1% null ages, 20% churn, customer IDs drawn 20,000 times from 2,000
	// (almost all of them seen): loose bounds that a broken generator
	// would miss.
	if nullAges < 120 || nullAges > 280 {
		t.Errorf("null ages: got %d, want about 200", nullAges)
	}
	if churned < 3600 || churned > 4400 {
		t.Errorf("churned: got %d, want about 4000", churned)
	}
	if n := len(customers); n < 1950 || n > 2000 {
		t.Errorf("distinct customers: got %d, want about 2,000", n)
	}

	var again bytes.Buffer
	if err := datagen.Write(context.Background(), &again, opts); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), again.Bytes()) {
		t.Error("the same seed wrote different files")
	}
}
