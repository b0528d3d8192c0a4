package defs_test

import (
	"fmt"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/featurestore/defs"
)

func Example() {
	src := `entities:
  - name: customer
    join_keys: [customer_id]
sources:
  - name: transactions
    path: churn@prod
    timestamp: event_ts
feature_views:
  - name: customer_stats
    entities: [customer]
    source: transactions
    ttl: 30d
    features:
      - tenure
      - name: charges_per_month
        expr: 'TotalCharges / max(tenur, 1)'
feature_services:
  - name: churn_model
    features: [customer_stats]
`
	r, err := defs.Parse("features.yaml", []byte(src))
	if err != nil {
		fmt.Println(err)
		return
	}
	schema := dataset.Schema{
		{Name: "customer_id", Type: dataset.String},
		{Name: "event_ts", Type: dataset.TimestampMS},
		{Name: "tenure", Type: dataset.Int64},
		{Name: "TotalCharges", Type: dataset.Float64},
	}
	err = r.Validate(func(defs.Source) (dataset.Schema, error) { return schema, nil })
	fmt.Println(err)

	refs, err := r.Resolve([]string{"churn_model"})
	fmt.Println(refs, err)
	// Output:
	// features.yaml:16:35: feature charges_per_month: unknown column "tenur" (did you mean "tenure"?)
	// [customer_stats:tenure customer_stats:charges_per_month] <nil>
}
