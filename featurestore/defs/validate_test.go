package defs

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/assayhq/assay/dataset"
)

func TestValidateGood(t *testing.T) {
	r, err := Parse("fs.yaml", []byte(goodYAML))
	if err != nil {
		t.Fatal(err)
	}
	f := newFake()
	if err := r.Validate(f.schema); err != nil {
		t.Fatal(err)
	}
	if f.calls != 1 {
		t.Errorf("got %d schema calls, want 1", f.calls)
	}
}

// validate parses src (which must parse) and validates it.
func validate(t *testing.T, src string) error {
	t.Helper()
	r, err := Parse("fs.yaml", []byte(src))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return r.Validate(newFake().schema)
}

// view builds a file with the good entity and source and one view.
func view(body string) string {
	return `entities:
  - name: customer
    join_keys: [customer_id]
sources:
  - name: transactions
    path: churn@prod
    timestamp: event_ts
feature_views:
  - name: v
    entities: [customer]
    source: transactions
` + body
}

func TestValidateProblems(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"unknown columns", `entities:
  - name: customer
    join_keys: [customer_idd]
sources:
  - name: transactions
    path: churn@prod
    timestamp: event_tss
    created: creatd_ts
feature_views:
  - name: v
    entities: [customer]
    source: transactions
    features: [tenur]
`, []string{
			"7:16: timestamp: source transactions (churn@prod) has no column event_tss; did you mean event_ts?",
			"8:14: created: source transactions (churn@prod) has no column creatd_ts; did you mean created_ts?",
			"11:16: join key customer_idd of entity customer is not a column of source transactions; did you mean customer_id?",
			"13:16: feature tenur: source transactions (churn@prod) has no column tenur; did you mean tenure?",
		}},
		{"timestamp not temporal", `sources:
  - name: s
    path: churn@prod
    timestamp: amount
`, []string{"4:16: timestamp: column amount is float64; want a date or timestamp column"}},
		{"schema error", `sources:
  - name: s
    path: nope@v1
    timestamp: ts
`, []string{"3:11: source s: read schema of nope@v1: not found"}},
		{"unknown entity and source", `feature_views:
  - name: v
    entities: [custmer]
    source: transactons
    features: [tenure]
entities:
  - name: customer
    join_keys: [customer_id]
sources:
  - name: transactions
    path: churn@prod
    timestamp: event_ts
`, []string{
			"3:16: entities: unknown entity custmer; did you mean customer?",
			"4:13: source: unknown source transactons; did you mean transactions?",
		}},
		{"bad expression", view(`    features:
      - name: f
        expr: 'TotalCharges / tenur'
`), []string{`14:31: feature f: unknown column "tenur"`}},
		{"expression syntax", view(`    features:
      - name: f
        expr: tenure +
`), []string{"14:22: feature f: unexpected token EOF"}},
		{"expression type mismatch", view(`    features:
      - name: f
        expr: segment * 2
`), []string{"14:23: feature f: invalid operation: segment * 2"}},
		{"filter not boolean", view(`    filter: amount + 1
    features: [tenure]
`), []string{"12:13: filter: want a boolean expression, got a value of type float"}},
		{"filter unknown column", view(`    filter: 'amont > 0'
    features: [tenure]
`), []string{`12:14: filter: unknown column "amont"`}},
		{"declared type mismatch", view(`    features:
      - name: f
        expr: tenure > 3
        type: float64
      - name: segment
        type: int64
      - name: g
        expr: tenure * 2
        type: float32
      - name: h
        expr: event_ts - duration("1h")
        type: timestamp[ms]
`), []string{
			"15:15: feature f: a value of type bool does not fit type float64",
			"17:15: feature segment: a value of type string does not fit type int64",
		}},
		{"always null", view(`    features:
      - name: f
        expr: nil
`), []string{"14:15: feature f: the expression is always null"}},
		{"duplicate names", `entities:
  - name: customer
    join_keys: [customer_id]
  - name: customer
    join_keys: [customer_id]
sources:
  - name: transactions
    path: churn@prod
    timestamp: event_ts
  - name: transactions
    path: churn@prod
    timestamp: event_ts
feature_views:
  - name: v
    entities: [customer]
    source: transactions
    features:
      - tenure
      - name: tenure
        expr: tenure + 1
  - name: v
    entities: [customer]
    source: transactions
    features: [amount]
feature_services:
  - name: s
    features: [v]
  - name: s
    features: [v]
  - name: v
    features: [v:amount]
`, []string{
			"4:11: duplicate entity name customer (first at fs.yaml:2:11)",
			"10:11: duplicate source name transactions (first at fs.yaml:7:11)",
			"19:15: duplicate feature tenure in view v (first at fs.yaml:18:9)",
			"21:11: duplicate feature view name v (first at fs.yaml:14:11)",
			"28:11: duplicate feature service name s (first at fs.yaml:26:11)",
			"30:11: feature service v has the name of a feature view",
			"31:16: view v has no feature amount", // v is the first view v
		}},
		{"service references", view(`    features: [tenure]
feature_services:
  - name: a
    features: [vv, 'v:tenur', v, v:tenure, b]
  - name: b
    features: [v]
`), []string{
			"15:16: unknown feature view vv; did you mean v?",
			"15:21: view v has no feature tenur; did you mean tenure?",
			"15:44: b is a feature service",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantProblems(t, validate(t, tt.src), tt.want...)
		})
	}
}

func TestValidateNegativeTTL(t *testing.T) {
	r := &Registry{Views: []*FeatureView{{Name: "v", TTL: -1}}}
	err := r.Validate(newFake().schema)
	if !errors.Is(err, ErrDefs) || !strings.Contains(err.Error(), "negative TTL") {
		t.Fatalf("got %v, want a negative TTL problem", err)
	}
}

func TestValidateCanceled(t *testing.T) {
	r, err := Parse("fs.yaml", []byte(goodYAML))
	if err != nil {
		t.Fatal(err)
	}
	err = r.Validate(func(Source) (dataset.Schema, error) {
		return nil, fmt.Errorf("open: %w", context.Canceled)
	})
	if !errors.Is(err, context.Canceled) || errors.Is(err, ErrDefs) {
		t.Fatalf("got %v, want context.Canceled as it is", err)
	}
}

func TestFits(t *testing.T) {
	for _, tt := range []struct {
		col, decl dataset.Type
		want      bool
	}{
		{dataset.Int32, dataset.Int64, true},
		{dataset.Int64, dataset.Float64, true},
		{dataset.Float64, dataset.Int64, false},
		{dataset.String, dataset.Binary, true},
		{dataset.Date, dataset.TimestampNS, true},
		{dataset.Bool, dataset.String, false},
	} {
		if got := fits(exprType(tt.col), tt.decl); got != tt.want {
			t.Errorf("fits(%s, %s) = %v, want %v", tt.col, tt.decl, got, tt.want)
		}
	}
}
