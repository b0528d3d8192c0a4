package serve

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/assayhq/assay/featurestore/defs"
	"github.com/assayhq/assay/featurestore/online"
)

// testYAML declares views keyed by one entity (customer_stats,
// customer_profile, driver_stats), by two entities (trips) and by an
// entity of two join keys (store_sales).
const testYAML = `entities:
  - name: customer
    join_keys: [customer_id]
  - name: driver
    join_keys: [driver_id]
  - name: store
    join_keys: [region, store_id]
sources:
  - name: events
    path: events@prod
    timestamp: event_ts
feature_views:
  - name: customer_stats
    entities: [customer]
    source: events
    ttl: 1h
    features: [tenure, charges, segment]
  - name: customer_profile
    entities: [customer]
    source: events
    features: [plan, tenure]
  - name: driver_stats
    entities: [driver]
    source: events
    features: [rating]
  - name: trips
    entities: [customer, driver]
    source: events
    features: [trip_count]
  - name: store_sales
    entities: [store]
    source: events
    features: [sales]
feature_services:
  - name: churn_model
    features: [customer_stats:tenure, customer_stats:charges]
  - name: broken
    features: [customer_stats:nope]
`

// testNow is the read time of the test server.
var testNow = time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)

// us returns t in microseconds since the epoch.
func us(t time.Time) int64 { return t.UnixMicro() }

// key encodes an entity key of name=value pairs.
func key(t testing.TB, pairs ...any) online.EntityKey {
	t.Helper()
	var jks []online.JoinKey
	for i := 0; i < len(pairs); i += 2 {
		var v online.Value
		switch x := pairs[i+1].(type) {
		case int:
			v = online.Int(int64(x))
		case string:
			v = online.String(x)
		default:
			t.Fatalf("key: %T", x)
		}
		jks = append(jks, online.JoinKey{Name: pairs[i].(string), Value: v})
	}
	k, err := online.EncodeKey(jks...)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// write stores one row of view.
func write(t testing.TB, s online.Store, view string, k online.EntityKey, event time.Time, features []string, vals ...online.Value) {
	t.Helper()
	row := online.Row{Key: k, EventTime: us(event), CreatedTime: us(event), Values: vals}
	if err := s.Write(context.Background(), view, features, []online.Row{row}); err != nil {
		t.Fatal(err)
	}
}

// testRegistry parses testYAML.
func testRegistry(t testing.TB) *defs.Registry {
	t.Helper()
	reg, err := defs.Parse("features.yaml", []byte(testYAML))
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

// fixture returns a server over a memory store holding:
//
//   - customer_stats of customers 1 (fresh: event time exactly now − TTL,
//     segment null) and 2 (one µs older: expired);
//   - customer_profile of customer 1;
//   - driver_stats of drivers "d1" and "d2";
//   - trips of (customer 1, driver "d1");
//   - store_sales of ("eu", 7).
func fixture(t testing.TB, opts Options) (*Server, *online.Memory) {
	t.Helper()
	m := online.NewMemory()
	t.Cleanup(func() { m.Close() })
	edge := testNow.Add(-time.Hour)
	stats := []string{"tenure", "charges", "segment"}
	write(t, m, "customer_stats", key(t, "customer_id", 1), edge, stats, online.Int(12), online.Float(70.5), online.Null())
	write(t, m, "customer_stats", key(t, "customer_id", 2), edge.Add(-time.Microsecond), stats, online.Int(30), online.Float(20.25), online.String("b2b"))
	write(t, m, "customer_profile", key(t, "customer_id", 1), testNow.Add(-48*time.Hour), []string{"plan", "tenure"}, online.String("gold"), online.Int(13))
	write(t, m, "driver_stats", key(t, "driver_id", "d1"), testNow.Add(-time.Minute), []string{"rating"}, online.Float(4.5))
	write(t, m, "driver_stats", key(t, "driver_id", "d2"), testNow.Add(-2*time.Minute), []string{"rating"}, online.Float(3.25))
	write(t, m, "trips", key(t, "customer_id", 1, "driver_id", "d1"), testNow.Add(-time.Second), []string{"trip_count"}, online.Int(9))
	write(t, m, "store_sales", key(t, "region", "eu", "store_id", 7), testNow.Add(-time.Hour+500*time.Millisecond+123*time.Microsecond), []string{"sales"}, online.Float(1e6))
	if opts.Now == nil {
		opts.Now = func() time.Time { return testNow }
	}
	s, err := New(testRegistry(t), m, opts)
	if err != nil {
		t.Fatal(err)
	}
	return s, m
}

// post sends body to POST /get-online-features and returns the response.
func post(t testing.TB, h http.Handler, body string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, "/get-online-features", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// wireResponse is the JSON response, decoded with encoding/json as a
// client would.
type wireResponse struct {
	Metadata struct {
		FeatureNames []string `json:"feature_names"`
	} `json:"metadata"`
	Results []struct {
		Values          []any    `json:"values"`
		Statuses        []string `json:"statuses"`
		EventTimestamps []string `json:"event_timestamps"`
	} `json:"results"`
}

// decode checks that w is a 200 JSON response and decodes it.
func decode(t testing.TB, w *httptest.ResponseRecorder) *wireResponse {
	t.Helper()
	if w.Code != http.StatusOK {
		t.Fatalf("got status %d (%s), want 200", w.Code, w.Body)
	}
	if ct := w.Header().Get("Content-Type"); ct != "application/json" {
		t.Errorf("got Content-Type %q, want application/json", ct)
	}
	var r wireResponse
	dec := json.NewDecoder(w.Body)
	dec.UseNumber()
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		t.Fatalf("decode response: %v", err)
	}
	return &r
}

// column returns the results of the named column, as "value status
// timestamp" per row.
func (r *wireResponse) column(t testing.TB, name string) []string {
	t.Helper()
	for i, n := range r.Metadata.FeatureNames {
		if n == name {
			res := r.Results[i]
			if len(res.Statuses) != len(res.Values) || len(res.EventTimestamps) != len(res.Values) {
				t.Fatalf("column %s: %d values, %d statuses, %d timestamps", name, len(res.Values), len(res.Statuses), len(res.EventTimestamps))
			}
			out := make([]string, len(res.Values))
			for j, v := range res.Values {
				enc, _ := json.Marshal(v)
				out[j] = string(enc) + " " + res.Statuses[j] + " " + res.EventTimestamps[j]
			}
			return out
		}
	}
	t.Fatalf("no column %s in %v", name, r.Metadata.FeatureNames)
	return nil
}

// wantError checks that w is an error response with the status code and
// an error message containing each of want.
func wantError(t testing.TB, w *httptest.ResponseRecorder, code int, want ...string) {
	t.Helper()
	if w.Code != code {
		t.Fatalf("got status %d (%s), want %d", w.Code, w.Body, code)
	}
	if ct := w.Header().Get("Content-Type"); ct != "application/json" {
		t.Errorf("got Content-Type %q, want application/json", ct)
	}
	var e struct {
		Error string `json:"error"`
	}
	dec := json.NewDecoder(w.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&e); err != nil {
		t.Fatalf("decode error response: %v", err)
	}
	for _, s := range want {
		if !strings.Contains(e.Error, s) {
			t.Errorf("got error %q, want it to contain %q", e.Error, s)
		}
	}
}
