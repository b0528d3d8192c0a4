package serve_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/assayhq/assay/featurestore/defs"
	"github.com/assayhq/assay/featurestore/online"
	"github.com/assayhq/assay/featurestore/serve"
)

const exampleDefs = `entities:
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
    features: [tenure, charges]
feature_services:
  - name: churn_model
    features: [customer_stats]
`

// exampleServer returns a server whose store holds customer 1001's
// customer_stats, written at t0, and reads at t0 + 1h.
func exampleServer() *serve.Server {
	reg, err := defs.Parse("features.yaml", []byte(exampleDefs))
	if err != nil {
		panic(err)
	}
	store := online.NewMemory()
	key, err := online.EncodeKey(online.JoinKey{Name: "customer_id", Value: online.Int(1001)})
	if err != nil {
		panic(err)
	}
	t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	err = store.Write(context.Background(), "customer_stats", []string{"tenure", "charges"}, []online.Row{
		{Key: key, EventTime: t0.UnixMicro(), CreatedTime: t0.UnixMicro(), Values: []online.Value{online.Int(12), online.Float(70.35)}},
	})
	if err != nil {
		panic(err)
	}
	srv, err := serve.New(reg, store, serve.Options{
		Now:      func() time.Time { return t0.Add(time.Hour) },
		KeyKinds: map[string]online.Kind{"customer_id": online.KindInt64},
	})
	if err != nil {
		panic(err)
	}
	return srv
}

func Example() {
	srv := exampleServer() // serve it with http.ListenAndServe(":6566", srv)

	body := `{"features": ["customer_stats:tenure", "customer_stats:charges"], "entities": {"customer_id": [1001, 1002]}}`
	w := httptest.NewRecorder()
	srv.ServeHTTP(w, httptest.NewRequest("POST", "/get-online-features", strings.NewReader(body)))
	fmt.Println(w.Code)
	fmt.Print(strings.ReplaceAll(w.Body.String(), "},{", "},\n{"))
	// Output:
	// 200
	// {"metadata":{"feature_names":["customer_id","tenure","charges"]},"results":[{"values":[1001,1002],"statuses":["PRESENT","PRESENT"],"event_timestamps":["1970-01-01T00:00:00Z","1970-01-01T00:00:00Z"]},
	// {"values":[12,null],"statuses":["PRESENT","MISSING"],"event_timestamps":["2026-11-01T00:00:00Z","1970-01-01T00:00:00Z"]},
	// {"values":[70.35,null],"statuses":["PRESENT","MISSING"],"event_timestamps":["2026-11-01T00:00:00Z","1970-01-01T00:00:00Z"]}]}
}

func ExampleServer_Get() {
	srv := exampleServer()
	req, err := serve.ParseRequest([]byte(`{"feature_service": "churn_model", "entities": {"customer_id": [1001]}}`), nil)
	if err != nil {
		panic(err)
	}
	resp, err := srv.Get(context.Background(), req)
	if err != nil {
		panic(err)
	}
	for i, name := range resp.FeatureNames {
		c := resp.Columns[i]
		fmt.Println(name, c.Values[0], c.Statuses[0])
	}

	_, err = srv.Get(context.Background(), &serve.Request{
		Features: []string{"customer_stats:tenur"},
		Entities: map[string][]online.Value{"customer_id": {online.Int(1001)}},
	})
	fmt.Println(err)
	// Output:
	// customer_id 1001 present
	// tenure 12 present
	// charges 70.35 present
	// invalid request: unknown feature reference: "customer_stats:tenur": view customer_stats has no feature tenur; did you mean tenure?
}
