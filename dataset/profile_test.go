package dataset_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/dataset/profile"
)

func summaryJSON(t testing.TB, s profile.Summary) string {
	t.Helper()
	b, err := json.MarshalIndent(s, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// diffSummaries reports the columns whose summaries differ, field by
// field.
// Mean and std are compared to the relative tolerance tol (0: exactly):
// moments are added batch by batch and merged with Chan's formulas, so the
// batch size and the merge order move their last digits.
func diffSummaries(t *testing.T, got, want profile.Summary, tol float64) {
	t.Helper()
	if got.Rows != want.Rows || len(got.Columns) != len(want.Columns) {
		t.Errorf("got %d rows, %d columns; want %d, %d", got.Rows, len(got.Columns), want.Rows, len(want.Columns))
		return
	}
	for i := range got.Columns {
		g, w := got.Columns[i], want.Columns[i]
		var gm, wm map[string]any
		json.Unmarshal([]byte(summaryJSON(t, profile.Summary{Columns: []profile.ColumnSummary{g}})), &gm)
		json.Unmarshal([]byte(summaryJSON(t, profile.Summary{Columns: []profile.ColumnSummary{w}})), &wm)
		gc := gm["columns"].([]any)[0].(map[string]any)
		wc := wm["columns"].([]any)[0].(map[string]any)
		for k := range wc {
			if gf, ok := gc[k].(float64); ok && (k == "mean" || k == "std") {
				if wf, ok := wc[k].(float64); ok && math.Abs(gf-wf) <= tol*math.Abs(wf) {
					continue
				}
			}
			if gj, wj := fmt.Sprint(gc[k]), fmt.Sprint(wc[k]); gj != wj {
				t.Errorf("column %s, %s:\ngot  %.300s\nwant %.300s", w.Name, k, gj, wj)
			}
		}
		for k := range gc {
			if _, ok := wc[k]; !ok {
				t.Errorf("column %s: unexpected %s: %.300v", w.Name, k, gc[k])
			}
		}
	}
}

// TestProfileWorkers: the profile of the fixture does not depend on the
// worker count (exactly) or the batch size (up to rounding), and its counts, nulls and means match the
// reference rows.
func TestProfileWorkers(t *testing.T) {
	fx := newScanFixture(t, fixtureSpecs())
	s, err := dataset.NewScanner(context.Background(), fx.inputs)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var want *profile.Summary
	for _, opts := range []dataset.ScanOptions{
		{Workers: 1},
		{Workers: 4},
		{Workers: 2},
		{Workers: 4, BatchRows: 7},
		{Workers: 2, BatchRows: 1000},
	} {
		t.Run(fmt.Sprintf("workers%d/batch%d", opts.Workers, opts.BatchRows), func(t *testing.T) {
			alloc := memory.NewCheckedAllocator(memory.NewGoAllocator())
			opts.Allocator = alloc
			p, err := dataset.Profile(context.Background(), s, opts)
			if err != nil {
				t.Fatal(err)
			}
			if got := alloc.CurrentAlloc(); got != 0 {
				t.Errorf("got %d bytes still allocated, want 0", got)
			}
			got := p.Summary()
			if want == nil {
				want = &got
				return
			}
			tol := 0.0
			if opts.BatchRows != 0 {
				tol = 1e-6 // extreme int32 values next to small ones
			}
			diffSummaries(t, got, *want, tol)
		})
	}
	t.Run("against reference", func(t *testing.T) {
		p, err := dataset.Profile(context.Background(), s, dataset.ScanOptions{Workers: 3})
		if err != nil {
			t.Fatal(err)
		}
		sum := p.Summary()
		if sum.Rows != int64(len(fx.rows)) {
			t.Errorf("rows: got %d, want %d", sum.Rows, len(fx.rows))
		}
		for _, c := range sum.Columns {
			leaf := fx.leaf(t, c.Name)
			var nulls int64
			var total float64
			var n int
			numeric := false
			for _, row := range fx.rows {
				v := row[leaf]
				if v.IsNull() {
					nulls++
					continue
				}
				switch v.Kind().String() {
				case "INT32":
					total += float64(v.Int32())
					numeric = true
				case "INT64":
					total += float64(v.Int64())
					numeric = true
				}
				n++
			}
			if c.Count != int64(len(fx.rows)) || c.Nulls != nulls {
				t.Errorf("%s: count/nulls got %d/%d, want %d/%d", c.Name, c.Count, c.Nulls, len(fx.rows), nulls)
			}
			// Integer columns without extremes: check the mean.
			if numeric && n > 0 && c.Mean != nil && c.Max != nil && math.Abs(float64(*c.Max)) < 1e15 && math.Abs(float64(*c.Min)) < 1e15 {
				want := total / float64(n)
				if got := float64(*c.Mean); math.Abs(got-want) > 1e-9*math.Max(1, math.Abs(want)) {
					t.Errorf("%s: mean got %v, want %v", c.Name, got, want)
				}
			}
		}
	})
}

// TestProfileOnly profiles a subset of the row groups, as a shard of a
// distributed profile would. (Profile used to wait for the rejected row
// groups and silently drop every accepted one after the first rejected;
// fixed in f7e0d4b.)
func TestProfileOnly(t *testing.T) {
	fx := newScanFixture(t, fixtureSpecs())
	s, err := dataset.NewScanner(context.Background(), fx.inputs)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	tests := []struct {
		name string
		only func(dataset.RowGroup) bool
	}{
		{"skip first", func(rg dataset.RowGroup) bool { return rg.Index != 0 }},
		{"odd", func(rg dataset.RowGroup) bool { return rg.Index%2 == 1 }},
		{"last file", func(rg dataset.RowGroup) bool { return rg.File == 2 }},
		{"all", func(dataset.RowGroup) bool { return true }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var want int64
			for _, rg := range s.RowGroups() {
				if tt.only(rg) {
					want += rg.NumRows
				}
			}
			p, err := dataset.Profile(context.Background(), s, dataset.ScanOptions{Columns: []string{"int64_req_plain"}, Only: tt.only, Workers: 2})
			if err != nil {
				t.Fatal(err)
			}
			if got := p.Summary().Rows; got != want {
				t.Errorf("rows: got %d, want %d", got, want)
			}
		})
	}
}
