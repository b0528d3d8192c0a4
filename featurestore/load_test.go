package featurestore

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/featurestore/defs"
	"github.com/assayhq/assay/featurestore/pit"
)

const txCSV = `customer_id,event_ts,created_ts,amount,plan
1,2026-01-01T00:00:00Z,2026-01-01T00:00:00Z,10,basic
1,2026-01-05T00:00:00Z,2026-01-05T00:00:00Z,-3,basic
1,2026-01-05T00:00:00Z,2026-01-06T00:00:00Z,20,pro
2,2026-01-02T00:00:00Z,2026-01-02T00:00:00Z,7,basic
2,,2026-01-02T00:00:00Z,9,basic
`

const txDefs = `
entities:
  - name: customer
    join_keys: [customer_id]
sources:
  - name: tx
    path: tx.csv
    timestamp: event_ts
    created: created_ts
feature_views:
  - name: spend
    entities: [customer]
    source: tx
    ttl: 3d
    filter: 'amount > 0'
    features:
      - amount
      - plan
      - name: double
        expr: 'amount * 2'
`

func loadSpend(t *testing.T) (pit.View, *defs.Registry) {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "tx.csv")
	if err := os.WriteFile(path, []byte(txCSV), 0o644); err != nil {
		t.Fatal(err)
	}
	reg, err := defs.Parse("defs.yaml", []byte(txDefs))
	if err != nil {
		t.Fatal(err)
	}
	src, err := dataset.OpenSource(context.Background(), nil, path, dataset.DefaultCSVOptions())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { src.Close() })
	v := reg.View("spend")
	view, err := LoadView(context.Background(), src, reg.Source("tx"), v, []string{"customer_id"}, v.Features, 2)
	if err != nil {
		t.Fatal(err)
	}
	return view, reg
}

func micro(s string) int64 {
	tm, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return tm.UnixMicro()
}

func TestLoadView(t *testing.T) {
	v, _ := loadSpend(t)
	// The filter drops the -3 row.
	if got := v.Keys[0].Int; !slices.Equal(got, []int64{1, 1, 2, 2}) {
		t.Fatalf("keys %v", got)
	}
	if v.TTL != (72 * time.Hour).Microseconds() {
		t.Errorf("ttl %d", v.TTL)
	}
	if v.Time[0] != micro("2026-01-01T00:00:00Z") || v.TimeValid[3] || !v.TimeValid[2] {
		t.Errorf("times %v valid %v", v.Time, v.TimeValid)
	}
	if v.Created[1] != micro("2026-01-06T00:00:00Z") {
		t.Errorf("created %v", v.Created)
	}
	amount, plan, double := v.Features[0], v.Features[1], v.Features[2]
	if !slices.Equal(amount.Int, []int64{10, 20, 7, 9}) || !slices.Equal(plan.Str, []string{"basic", "pro", "basic", "basic"}) ||
		!slices.Equal(double.Int, []int64{20, 40, 14, 18}) {
		t.Errorf("features %v %v %v", amount.Int, plan.Str, double)
	}
}

// TestLoadedViewJoins runs the point-in-time join on a loaded view: the
// latest row at or before the event time within the TTL.
func TestLoadedViewJoins(t *testing.T) {
	v, _ := loadSpend(t)
	ents := pit.Entities{
		Keys: []pit.KeyColumn{{Name: "customer_id", Int: []int64{1, 1, 1, 2, 3}}},
		Time: []int64{
			micro("2026-01-04T00:00:00Z"), // sees Jan 1 (10)
			micro("2026-01-05T00:00:00Z"), // sees Jan 5, the later created (20)
			micro("2026-01-09T00:00:00Z"), // Jan 5 is 4 days old: TTL 3d, nothing
			micro("2026-01-02T00:00:00Z"), // sees Jan 2 at its own time (7)
			micro("2026-01-02T00:00:00Z"), // unknown customer
		},
	}
	res, err := pit.Join(context.Background(), ents, []pit.View{v}, pit.Options{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := pit.Gather(v.Features[0], res.Views[0].Match)
	if err != nil {
		t.Fatal(err)
	}
	want := []int64{10, 20, 0, 7, 0}
	valid := []bool{true, true, false, true, false}
	for i := range want {
		if got.Valid[i] != valid[i] || valid[i] && got.Int[i] != want[i] {
			t.Errorf("entity row %d: %v (valid %v), want %v (valid %v)", i, got.Int[i], got.Valid[i], want[i], valid[i])
		}
	}
}

// TestTrainingSet writes a training set from entity rows in a CSV: every
// row kept in order, features as of each row's time, lineage in the
// footer.
func TestTrainingSet(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "tx.csv"), []byte(txCSV), 0o644); err != nil {
		t.Fatal(err)
	}
	ents := filepath.Join(dir, "ents.csv")
	if err := os.WriteFile(ents, []byte("customer_id,event_timestamp,label\n"+
		"1,2026-01-04T00:00:00Z,a\n1,2026-01-05T00:00:00Z,b\n1,2026-01-09T00:00:00Z,c\n2,2026-01-02T00:00:00Z,d\n3,2026-01-02T00:00:00Z,e\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	reg, err := defs.Parse("defs.yaml", []byte(strings.Replace(txDefs, "path: tx.csv", "path: "+filepath.Join(dir, "tx.csv"), 1)))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	open := func(ctx context.Context, path string) (*dataset.Source, error) {
		return dataset.OpenSource(ctx, nil, path, dataset.DefaultCSVOptions())
	}
	src, err := open(ctx, ents)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	out := filepath.Join(dir, "train.parquet")
	lin, err := TrainingSet(ctx, src, open, TrainingOptions{Registry: reg, Features: []string{"spend:amount", "spend:plan"}, Output: out})
	if err != nil {
		t.Fatal(err)
	}
	if lin.Rows != 5 || lin.Matched["spend"] != 3 || !slices.Equal(lin.Columns, []string{"amount", "plan"}) {
		t.Errorf("lineage %+v", lin)
	}
	res, err := open(ctx, out)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Close()
	sc, err := res.Scanner(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer sc.Close()
	var labels, plans []string
	var amounts []string
	err = sc.Scan(ctx, dataset.ScanOptions{Columns: []string{"label", "amount", "plan"}, Workers: 1}, func(ctx context.Context, rg dataset.RowGroup, br *dataset.BatchReader) error {
		for br.Next() {
			rec := br.Record()
			for i := range int(rec.NumRows()) {
				labels = append(labels, rec.Column(0).ValueStr(i))
				amounts = append(amounts, rec.Column(1).ValueStr(i))
				plans = append(plans, rec.Column(2).ValueStr(i))
			}
		}
		return br.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(labels, []string{"a", "b", "c", "d", "e"}) || !slices.Equal(amounts, []string{"10", "20", "(null)", "7", "(null)"}) ||
		!slices.Equal(plans, []string{"basic", "pro", "(null)", "basic", "(null)"}) {
		t.Errorf("training set: labels %v amounts %v plans %v", labels, amounts, plans)
	}
	// Bad input.
	for _, tt := range []struct {
		opts TrainingOptions
		want string
	}{
		{TrainingOptions{Registry: reg, Features: []string{"spend:nope"}, Output: out}, "nope"},
		{TrainingOptions{Registry: reg, Features: []string{"spend:amount"}, EventTime: "ts", Output: out}, `no timestamp column "ts"`},
		{TrainingOptions{Registry: reg, Features: []string{"spend:amount", "spend:plan"}, Output: out, FullNames: false, EventTime: "event_timestamp"}, ""},
	} {
		_, err := TrainingSet(ctx, src, open, tt.opts)
		if tt.want == "" {
			if err != nil {
				t.Errorf("%+v: %v", tt.opts, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%+v: error %v, want %q", tt.opts, err, tt.want)
		}
	}
}
