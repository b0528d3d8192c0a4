package defs

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/assayhq/assay/dataset"
)

const goodYAML = `entities:
  - name: customer
    join_keys: [customer_id]
sources:
  - name: transactions
    path: churn@prod
    timestamp: event_ts
    created: created_ts
feature_views:
  - name: customer_stats
    entities: [customer]
    source: transactions
    ttl: 30d
    filter: 'amount > 0'
    features:
      - tenure
      - name: charges_per_month
        expr: 'TotalCharges / max(tenure, 1)'
        type: float64
feature_services:
  - name: churn_model
    features: [customer_stats:tenure, customer_stats:charges_per_month]
`

// churnSchema is the schema of the fake source churn@prod.
var churnSchema = dataset.Schema{
	{Name: "customer_id", Type: dataset.String},
	{Name: "event_ts", Type: dataset.TimestampUS, UTC: true},
	{Name: "created_ts", Type: dataset.TimestampUS, UTC: true},
	{Name: "tenure", Type: dataset.Int64},
	{Name: "TotalCharges", Type: dataset.Float64},
	{Name: "amount", Type: dataset.Float64},
	{Name: "segment", Type: dataset.String},
	{Name: "churned", Type: dataset.Bool},
}

// fakeSchemas serves schemas by source path, counting calls.
type fakeSchemas struct {
	byPath map[string]dataset.Schema
	calls  int
}

func (f *fakeSchemas) schema(s Source) (dataset.Schema, error) {
	f.calls++
	if sc, ok := f.byPath[s.Path]; ok {
		return sc, nil
	}
	return nil, fmt.Errorf("%w: dataset %s", dataset.ErrNotFound, s.Path)
}

func newFake() *fakeSchemas {
	return &fakeSchemas{byPath: map[string]dataset.Schema{"churn@prod": churnSchema}}
}

// wantProblems checks that err is a Problems wrapping ErrDefs holding
// exactly the wanted problems, each "LINE:COL: substring of message", in
// order.
func wantProblems(t *testing.T, err error, want ...string) {
	t.Helper()
	if len(want) == 0 {
		if err != nil {
			t.Fatalf("got error:\n%v\nwant none", err)
		}
		return
	}
	if !errors.Is(err, ErrDefs) {
		t.Fatalf("got %v, want an error wrapping ErrDefs", err)
	}
	var ps Problems
	if !errors.As(err, &ps) {
		t.Fatalf("got %T, want Problems", err)
	}
	if len(ps) != len(want) {
		t.Fatalf("got %d problems:\n%v\nwant %d: %q", len(ps), err, len(want), want)
	}
	for i, w := range want {
		loc, msg, _ := strings.Cut(w, ": ")
		got := fmt.Sprintf("%d:%d", ps[i].Pos.Line, ps[i].Pos.Col)
		if got != loc || !strings.Contains(ps[i].Msg, msg) {
			t.Errorf("problem %d: got %s: %s, want %s: …%s…", i, got, ps[i].Msg, loc, msg)
		}
		if ps[i].Pos.File == "" {
			t.Errorf("problem %d has no file name", i)
		}
	}
}
