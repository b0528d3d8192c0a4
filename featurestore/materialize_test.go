package featurestore

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/featurestore/defs"
	"github.com/assayhq/assay/featurestore/online"
	"github.com/assayhq/assay/featurestore/pit"
)

func TestLatestPerKey(t *testing.T) {
	// Rows: key, time, created.
	v := pit.View{
		Keys:      []pit.KeyColumn{{Name: "k", Int: []int64{1, 1, 1, 2, 2, 3, 4, 4, 5}, Valid: []bool{true, true, true, true, true, true, true, true, false}}},
		Time:      []int64{10, 20, 20, 30, 31, 9, 20, 20, 15},
		TimeValid: []bool{true, true, true, true, true, true, true, true, true},
		Created:   []int64{0, 5, 7, 0, 0, 0, 3, 3, 0},
	}
	tests := []struct {
		name string
		w    Window
		want []int
	}{
		// Key 1: time 20 twice, created 7 wins (row 2). Key 4: a full
		// tie, the row read later wins (row 7). Key 5: a null key.
		{"all", Window{math.MinInt64, math.MaxInt64}, []int{2, 4, 5, 7}},
		// Both ends inclusive: 10..30 keeps rows with times 10, 20 and 30.
		{"inclusive ends", Window{10, 30}, []int{2, 3, 7}},
		// One µs less at the end drops time 30 and 31, so key 2 has none.
		{"end exclusive of 30", Window{10, 29}, []int{2, 7}},
		{"start after row", Window{11, 19}, nil},
		{"only the earliest", Window{math.MinInt64, 10}, []int{0, 5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := latestPerKey(v, tt.w)
			if !slices.Equal(got.rows, tt.want) {
				t.Errorf("got rows %v, want %v", got.rows, tt.want)
			}
		})
	}
	// A null time never counts.
	v.TimeValid[2] = false
	if got := latestPerKey(v, Window{math.MinInt64, math.MaxInt64}).rows; !slices.Equal(got, []int{1, 4, 5, 7}) {
		t.Errorf("null time: got %v", got)
	}
}

func TestLatestPerKeyMultiKey(t *testing.T) {
	v := pit.View{
		Keys: []pit.KeyColumn{
			{Name: "region", Str: []string{"eu", "eu", "us", "eu", "e"}},
			{Name: "id", Int: []int64{1, 1, 1, 2, 1}},
		},
		Time:      []int64{5, 6, 7, 1, 9},
		TimeValid: []bool{true, true, true, true, true},
	}
	// (eu,1) rows 0 and 1: row 1 wins. (us,1), (eu,2) and (e,1) are their
	// own entities: "e"+1 must not collide with "eu"+anything.
	got := latestPerKey(v, Window{math.MinInt64, math.MaxInt64})
	if !slices.Equal(got.rows, []int{1, 2, 3, 4}) || got.inWindow != 5 {
		t.Errorf("got %+v", got)
	}
}

const mtxCSV = `customer_id,region,event_ts,created_ts,amount,plan
1,eu,2026-01-01T00:00:00Z,2026-01-01T00:00:00Z,10,basic
1,eu,2026-01-05T00:00:00Z,2026-01-05T00:00:00Z,15,basic
1,eu,2026-01-05T00:00:00Z,2026-01-06T00:00:00Z,20,pro
2,eu,2026-01-02T00:00:00Z,2026-01-02T00:00:00Z,7,basic
1,us,2026-01-03T00:00:00Z,2026-01-03T00:00:00Z,5,
3,us,2026-02-10T00:00:00Z,2026-02-10T00:00:00Z,1,basic
`

const mtxDefs = `
entities:
  - name: customer
    join_keys: [customer_id]
  - name: region
    join_keys: [region]
sources:
  - name: tx
    path: %PATH%
    timestamp: event_ts
    created: created_ts
feature_views:
  - name: spend
    entities: [customer, region]
    source: tx
    features: [amount, plan]
  - name: recent
    entities: [customer]
    source: tx
    ttl: 10d
    features:
      - name: big
        expr: 'amount > 8'
`

// materializeFixture returns a repository, the definitions over a CSV
// source and a memory store.
func materializeFixture(t *testing.T) (*dataset.Repo, *defs.Registry, *online.Memory) {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "tx.csv")
	if err := os.WriteFile(path, []byte(mtxCSV), 0o644); err != nil {
		t.Fatal(err)
	}
	reg, err := defs.Parse("defs.yaml", []byte(strings.ReplaceAll(mtxDefs, "%PATH%", path)))
	if err != nil {
		t.Fatal(err)
	}
	repo, err := dataset.InitDir(context.Background(), filepath.Join(dir, ".assay"))
	if err != nil {
		t.Fatal(err)
	}
	return repo, reg, online.NewMemory()
}

func fileOpener(ctx context.Context, path string) (*dataset.Source, error) {
	return dataset.OpenSource(ctx, nil, path, dataset.DefaultCSVOptions())
}

func mustKey(t *testing.T, keys ...online.JoinKey) online.EntityKey {
	t.Helper()
	k, err := online.EncodeKey(keys...)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestMaterialize(t *testing.T) {
	ctx := context.Background()
	repo, reg, store := materializeFixture(t)
	opts := MaterializeOptions{Registry: reg, RegistryVersion: 3, Store: store, StoreID: "memory", Repo: repo, Author: "ana",
		Window: Window{Start: micro("2026-01-01T00:00:00Z"), End: micro("2026-01-31T00:00:00Z")}}
	runs, err := Materialize(ctx, fileOpener, opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 2 || runs[0].View != "spend" || runs[0].Entities != 3 || runs[0].InWindow != 5 || runs[0].Scanned != 6 || !runs[0].Published {
		t.Fatalf("got runs %+v", runs[0])
	}
	// recent is keyed by customer only: customers 1 and 2 in January.
	if runs[1].Entities != 2 || runs[1].Registry != 3 || runs[1].Author != "ana" {
		t.Errorf("got run %+v", runs[1])
	}
	eu1 := mustKey(t, online.JoinKey{Name: "customer_id", Value: online.Int(1)}, online.JoinKey{Name: "region", Value: online.String("eu")})
	us1 := mustKey(t, online.JoinKey{Name: "customer_id", Value: online.Int(1)}, online.JoinKey{Name: "region", Value: online.String("us")})
	us3 := mustKey(t, online.JoinKey{Name: "customer_id", Value: online.Int(3)}, online.JoinKey{Name: "region", Value: online.String("us")})
	refs := []online.FeatureRef{{View: "spend", Name: "amount"}, {View: "spend", Name: "plan"}}
	res, err := store.Read(ctx, []online.EntityKey{eu1, us1, us3}, refs, online.ReadOptions{Now: micro("2026-03-01T00:00:00Z")})
	if err != nil {
		t.Fatal(err)
	}
	// (1, eu): the tie at Jan 5 goes to the later created row: 20, pro.
	if r := res[0]; r[0].Value != online.Int(20) || r[1].Value != online.String("pro") || r[0].EventTime != micro("2026-01-05T00:00:00Z") {
		t.Errorf("(1, eu): got %+v", r)
	}
	// (1, us): a null plan is missing.
	if r := res[1]; r[0].Value != online.Int(5) || r[1].Status != online.Missing {
		t.Errorf("(1, us): got %+v", r)
	}
	// (3, us): outside the window.
	if r := res[2]; r[0].Status != online.Missing {
		t.Errorf("(3, us): got %+v", r)
	}
	c1 := mustKey(t, online.JoinKey{Name: "customer_id", Value: online.Int(1)})
	res, err = store.Read(ctx, []online.EntityKey{c1}, []online.FeatureRef{{View: "recent", Name: "big"}}, online.ReadOptions{Now: micro("2026-01-15T00:00:00Z"), TTL: map[string]time.Duration{"recent": reg.View("recent").TTL}})
	if err != nil {
		t.Fatal(err)
	}
	// Customer 1's latest row is (1, eu) at Jan 5 with amount 20; Jan 15
	// is exactly the 10-day TTL later: still present.
	if r := res[0][0]; r.Value != online.Bool(true) || r.Status != online.Present {
		t.Errorf("recent big: got %+v", r)
	}

	// Incremental: each view resumes after its last run's end.
	opts.Incremental = true
	opts.Window = Window{End: micro("2026-02-28T00:00:00Z")}
	runs, err = Materialize(ctx, fileOpener, opts)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := *runs[0].Start, time.UnixMicro(micro("2026-01-31T00:00:00Z")+1).UTC(); !got.Equal(want) {
		t.Errorf("incremental start: got %v, want %v", got, want)
	}
	if runs[0].Entities != 1 || runs[0].InWindow != 1 {
		t.Errorf("incremental: got %+v, want the one February row", runs[0])
	}
	res, _ = store.Read(ctx, []online.EntityKey{us3}, refs[:1], online.ReadOptions{})
	if res[0][0].Value != online.Int(1) {
		t.Errorf("(3, us) after the incremental run: got %+v", res[0][0])
	}
	// Up to date: nothing to do, nothing recorded.
	opts.Window = Window{End: micro("2026-02-01T00:00:00Z")}
	runs, err = Materialize(ctx, fileOpener, opts)
	if err != nil || runs[0].Skipped == "" {
		t.Fatalf("got %+v, %v; want a skipped run", runs[0], err)
	}
	stored, err := Runs(ctx, repo, "spend")
	if err != nil || len(stored) != 2 || stored[1].Number != 2 {
		t.Fatalf("got %d stored runs, %v", len(stored), err)
	}
	// Another store starts afresh.
	last, err := LastRun(ctx, repo, "spend", "elsewhere")
	if err != nil || last != nil {
		t.Errorf("another store: got %+v, %v", last, err)
	}
}

func TestMaterializeIncrementalFirstRun(t *testing.T) {
	ctx := context.Background()
	repo, reg, store := materializeFixture(t)
	runs, err := Materialize(ctx, fileOpener, MaterializeOptions{Registry: reg, Store: store, StoreID: "m", Repo: repo,
		Incremental: true, Window: Window{End: micro("2026-01-12T00:00:00Z")}})
	if err != nil {
		t.Fatal(err)
	}
	// spend has no TTL: from the beginning. recent's 10 days start on
	// Jan 2, inclusive.
	if runs[0].Start != nil {
		t.Errorf("spend: got start %v, want none", runs[0].Start)
	}
	if want := time.UnixMicro(micro("2026-01-02T00:00:00Z")).UTC(); runs[1].Start == nil || !runs[1].Start.Equal(want) {
		t.Errorf("recent: got start %v, want %v", runs[1].Start, want)
	}
	// Jan 2 (customer 2), Jan 3 and Jan 5 (customer 1) are in; Jan 1 is not.
	if runs[1].InWindow != 4 || runs[1].Entities != 2 {
		t.Errorf("recent: got %+v", runs[1])
	}
}

func TestMaterializeValidation(t *testing.T) {
	ctx := context.Background()
	repo, reg, store := materializeFixture(t)
	var seen []string
	reject := func(ctx context.Context, b *Batch) (*Validation, error) {
		seen = append(seen, b.View.Name)
		return &Validation{Checks: "rules.yaml", Passed: b.View.Name != "recent", Failed: []string{"big is rare"}}, nil
	}
	opts := MaterializeOptions{Registry: reg, Store: store, StoreID: "m", Repo: repo, Validate: reject,
		Window: Window{Start: math.MinInt64, End: micro("2026-12-31T00:00:00Z")}}
	runs, err := Materialize(ctx, fileOpener, opts)
	if !errors.Is(err, ErrRejected) || !strings.Contains(err.Error(), "recent") {
		t.Fatalf("got %v, want ErrRejected naming recent", err)
	}
	if !slices.Equal(seen, []string{"spend", "recent"}) || !runs[0].Published || runs[1].Published {
		t.Fatalf("got %+v %+v", runs[0], runs[1])
	}
	c1 := mustKey(t, online.JoinKey{Name: "customer_id", Value: online.Int(1)})
	res, _ := store.Read(ctx, []online.EntityKey{c1}, []online.FeatureRef{{View: "recent", Name: "big"}}, online.ReadOptions{})
	if res[0][0].Status != online.Missing {
		t.Errorf("a rejected batch reached the store: %+v", res[0][0])
	}
	// The rejected run is recorded but does not count for incremental runs.
	if last, _ := LastRun(ctx, repo, "recent", "m"); last != nil {
		t.Errorf("LastRun: got %+v, want none", last)
	}
	stored, _ := Runs(ctx, repo, "recent")
	if len(stored) != 1 || stored[0].Published || stored[0].Validation == nil || stored[0].Validation.Failed[0] != "big is rare" {
		t.Errorf("stored: got %+v", stored)
	}
	// --warn publishes it.
	opts.Warn = true
	if _, err := Materialize(ctx, fileOpener, opts); err != nil {
		t.Fatal(err)
	}
	res, _ = store.Read(ctx, []online.EntityKey{c1}, []online.FeatureRef{{View: "recent", Name: "big"}}, online.ReadOptions{})
	if res[0][0].Status == online.Missing {
		t.Error("--warn: the batch was not published")
	}
}

func TestMaterializeBadInput(t *testing.T) {
	ctx := context.Background()
	repo, reg, store := materializeFixture(t)
	_, err := Materialize(ctx, fileOpener, MaterializeOptions{Registry: reg, Store: store, Repo: repo, Views: []string{"spnd"}, Window: Window{Start: 0, End: 1}})
	if !errors.Is(err, dataset.ErrInvalid) || !strings.Contains(err.Error(), "did you mean spend?") {
		t.Errorf("unknown view: got %v", err)
	}
	_, err = Materialize(ctx, fileOpener, MaterializeOptions{Registry: reg, Store: store, Repo: repo, Window: Window{Start: 2, End: 1}})
	if !errors.Is(err, dataset.ErrInvalid) {
		t.Errorf("inverted window: got %v", err)
	}
}

func TestBatchWriteParquet(t *testing.T) {
	ctx := context.Background()
	_, reg, _ := materializeFixture(t)
	b, err := BuildBatch(ctx, reg, reg.View("spend"), fileOpener, Window{Start: math.MinInt64, End: math.MaxInt64}, 2)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "b.parquet")
	if err := b.WriteParquet(path); err != nil {
		t.Fatal(err)
	}
	src, err := dataset.OpenSource(ctx, nil, path, dataset.DefaultCSVOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	sc, err := src.Scanner(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer sc.Close()
	if got, want := strings.Join(sc.Schema().Names(), ","), "customer_id,region,event_timestamp,created_timestamp,amount,plan"; got != want {
		t.Errorf("columns: got %s, want %s", got, want)
	}
	if sc.NumRows() != 4 {
		t.Errorf("rows: got %d, want 4 entities", sc.NumRows())
	}
	if typ := sc.Schema()[2].Type; typ != dataset.TimestampUS {
		t.Errorf("event_timestamp type: got %s", typ)
	}
}
