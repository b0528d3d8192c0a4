package serve

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/assayhq/assay/featurestore/defs"
	"github.com/assayhq/assay/featurestore/online"
)

const epoch = "1970-01-01T00:00:00Z"

func TestStatuses(t *testing.T) {
	s, _ := fixture(t, Options{})
	// Customer 1's record is exactly TTL old, customer 2's one µs older,
	// customer 3 has none.
	r := decode(t, post(t, s, `{"features": ["customer_stats"], "entities": {"customer_id": [1, 2, 3]}}`))
	if got, want := r.Metadata.FeatureNames, []string{"customer_id", "tenure", "charges", "segment"}; !slices.Equal(got, want) {
		t.Fatalf("got names %v, want %v", got, want)
	}
	const fresh, stale = "2026-11-01T11:00:00Z", "2026-11-01T10:59:59.999999Z"
	tests := map[string][]string{
		"customer_id": {"1 PRESENT " + epoch, "2 PRESENT " + epoch, "3 PRESENT " + epoch},
		"tenure":      {"12 PRESENT " + fresh, "null EXPIRED " + stale, "null MISSING " + epoch},
		"charges":     {"70.5 PRESENT " + fresh, "null EXPIRED " + stale, "null MISSING " + epoch},
		// A null value is missing, with its record's time.
		"segment": {"null MISSING " + fresh, "null EXPIRED " + stale, "null MISSING " + epoch},
	}
	for name, want := range tests {
		if got := r.column(t, name); !slices.Equal(got, want) {
			t.Errorf("%s: got %q, want %q", name, got, want)
		}
	}
}

func TestGetExpired(t *testing.T) {
	s, _ := fixture(t, Options{})
	resp, err := s.Get(context.Background(), &Request{
		Features: []string{"customer_stats:tenure"},
		Entities: map[string][]online.Value{"customer_id": {online.Int(1), online.Int(2)}},
	})
	if err != nil {
		t.Fatal(err)
	}
	c := resp.Columns[1]
	if got, want := c.Statuses, []online.Status{online.Present, online.Expired}; !slices.Equal(got, want) {
		t.Errorf("got statuses %v, want %v", got, want)
	}
	if got, want := c.Values, []online.Value{online.Int(12), online.Null()}; !slices.Equal(got, want) {
		t.Errorf("got values %v, want %v", got, want)
	}
	edge := us(testNow) - 3600_000_000
	if got, want := c.EventTimes, []int64{edge, edge - 1}; !slices.Equal(got, want) {
		t.Errorf("got event times %v, want %v", got, want)
	}
}

func TestService(t *testing.T) {
	s, _ := fixture(t, Options{})
	r := decode(t, post(t, s, `{"feature_service": "churn_model", "entities": {"customer_id": [1]}}`))
	if got, want := r.Metadata.FeatureNames, []string{"customer_id", "tenure", "charges"}; !slices.Equal(got, want) {
		t.Fatalf("got names %v, want %v", got, want)
	}
	if got, want := r.column(t, "charges"), []string{"70.5 PRESENT 2026-11-01T11:00:00Z"}; !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestFullFeatureNames(t *testing.T) {
	s, _ := fixture(t, Options{})
	body := `{"features": ["customer_stats:tenure", "customer_profile:tenure"], "entities": {"customer_id": [1]}, "full_feature_names": true}`
	r := decode(t, post(t, s, body))
	if got, want := r.Metadata.FeatureNames, []string{"customer_id", "customer_stats__tenure", "customer_profile__tenure"}; !slices.Equal(got, want) {
		t.Fatalf("got names %v, want %v", got, want)
	}
	if got, want := r.column(t, "customer_profile__tenure"), []string{"13 PRESENT 2026-10-30T12:00:00Z"}; !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	// The same features without full names collide.
	w := post(t, s, strings.Replace(body, "true", "false", 1))
	wantError(t, w, http.StatusBadRequest, `"tenure" is a feature of views customer_stats and customer_profile`, "full_feature_names")
}

func TestViewsOfDifferentEntities(t *testing.T) {
	s, _ := fixture(t, Options{})
	body := `{"features": ["customer_stats:tenure", "driver_stats:rating", "trips:trip_count", "customer_profile:plan"],
		"entities": {"driver_id": ["d1", "d2"], "customer_id": [1, 1]}}`
	r := decode(t, post(t, s, body))
	if got, want := r.Metadata.FeatureNames, []string{"customer_id", "driver_id", "tenure", "rating", "trip_count", "plan"}; !slices.Equal(got, want) {
		t.Fatalf("got names %v, want %v", got, want)
	}
	tests := map[string][]string{
		"driver_id":  {`"d1" PRESENT ` + epoch, `"d2" PRESENT ` + epoch},
		"tenure":     {"12 PRESENT 2026-11-01T11:00:00Z", "12 PRESENT 2026-11-01T11:00:00Z"},
		"rating":     {"4.5 PRESENT 2026-11-01T11:59:00Z", "3.25 PRESENT 2026-11-01T11:58:00Z"},
		"trip_count": {"9 PRESENT 2026-11-01T11:59:59Z", "null MISSING " + epoch},
		"plan":       {`"gold" PRESENT 2026-10-30T12:00:00Z`, `"gold" PRESENT 2026-10-30T12:00:00Z`},
	}
	for name, want := range tests {
		if got := r.column(t, name); !slices.Equal(got, want) {
			t.Errorf("%s: got %q, want %q", name, got, want)
		}
	}
}

// countingStore counts the reads of a store.
type countingStore struct {
	online.Store
	mu    sync.Mutex
	reads [][]online.FeatureRef
}

// Read records refs and reads from the wrapped store.
func (c *countingStore) Read(ctx context.Context, keys []online.EntityKey, refs []online.FeatureRef, opts online.ReadOptions) ([][]online.Result, error) {
	c.mu.Lock()
	c.reads = append(c.reads, refs)
	c.mu.Unlock()
	return c.Store.Read(ctx, keys, refs, opts)
}

func TestOneReadPerKeySet(t *testing.T) {
	_, m := fixture(t, Options{})
	c := &countingStore{Store: m}
	s, err := New(testRegistry(t), c, Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.Get(context.Background(), &Request{
		Features: []string{"customer_stats:tenure", "driver_stats", "customer_profile:plan", "trips"},
		Entities: map[string][]online.Value{"customer_id": {online.Int(1)}, "driver_id": {online.String("d1")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, refs := range c.reads {
		var s []string
		for _, r := range refs {
			s = append(s, r.String())
		}
		got = append(got, strings.Join(s, ","))
	}
	want := []string{"customer_stats:tenure,customer_profile:plan", "driver_stats:rating", "trips:trip_count"}
	if !slices.Equal(got, want) {
		t.Errorf("got reads %q, want %q", got, want)
	}
}

func TestMultiKeyEntity(t *testing.T) {
	s, _ := fixture(t, Options{})
	r := decode(t, post(t, s, `{"features": ["store_sales"], "entities": {"store_id": [7, 7, 8], "region": ["eu", "us", "eu"]}}`))
	if got, want := r.Metadata.FeatureNames, []string{"region", "store_id", "sales"}; !slices.Equal(got, want) {
		t.Fatalf("got names %v, want %v", got, want)
	}
	want := []string{"1000000 PRESENT 2026-11-01T11:00:00.500123Z", "null MISSING " + epoch, "null MISSING " + epoch}
	if got := r.column(t, "sales"); !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	wantError(t, post(t, s, `{"features": ["store_sales"], "entities": {"store_id": [7]}}`), http.StatusBadRequest,
		`missing join key "region" (view store_sales joins on it); want region, store_id`)
}

func TestKeyKinds(t *testing.T) {
	kinds := map[string]online.Kind{"customer_id": online.KindInt64, "driver_id": online.KindString}
	s, _ := fixture(t, Options{KeyKinds: kinds})
	tests := []struct {
		name, entities string
		want           []string // the rating column, or the error
		code           int
	}{
		{"string key", `"driver_id": ["d1"]`, []string{"4.5 PRESENT 2026-11-01T11:59:00Z"}, 200},
		{"number for a string key", `"driver_id": ["d1", 1]`, []string{`entities.driver_id[1]: got number 1, want a string (join key driver_id is a string)`}, 400},
		{"string for an int key", `"driver_id": ["d1"], "customer_id": ["1"]`, []string{`entities.customer_id[0]: got string "1", want int64 (the type of join key customer_id)`}, 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			feats := `["driver_stats:rating"]`
			if strings.Contains(tt.entities, "customer_id") {
				feats = `["driver_stats:rating", "trips"]`
			}
			w := post(t, s, `{"features": `+feats+`, "entities": {`+tt.entities+`}}`)
			if tt.code != 200 {
				wantError(t, w, tt.code, tt.want...)
				return
			}
			if got := decode(t, w).column(t, "rating"); !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
	// Without KeyKinds a key takes its JSON type: the string "1" is not
	// the int 1, so it finds nothing.
	s, _ = fixture(t, Options{})
	r := decode(t, post(t, s, `{"features": ["customer_stats:tenure"], "entities": {"customer_id": ["1"]}}`))
	if got, want := r.column(t, "tenure"), []string{"null MISSING " + epoch}; !slices.Equal(got, want) {
		t.Errorf("string key: got %q, want %q", got, want)
	}
	// Get checks the kinds of values given directly, too.
	s, _ = fixture(t, Options{KeyKinds: kinds})
	_, err := s.Get(context.Background(), &Request{
		Features: []string{"customer_stats:tenure"},
		Entities: map[string][]online.Value{"customer_id": {online.Float(1)}},
	})
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "entities.customer_id[0]: got float64 1, want an int64 or a string") {
		t.Errorf("float key: got %v", err)
	}
}

func TestValidation(t *testing.T) {
	s, _ := fixture(t, Options{MaxEntities: 3, KeyKinds: map[string]online.Kind{"driver_id": online.KindString}})
	const ents = `"entities": {"customer_id": [1]}`
	tests := []struct {
		name, body string
		want       []string
	}{
		{"both", `{"features": ["customer_stats"], "feature_service": "churn_model", ` + ents + `}`, []string{`both "features" and "feature_service" given`}},
		{"neither", `{` + ents + `}`, []string{`no "features" or "feature_service"`}},
		{"no entities", `{"features": ["customer_stats"]}`, []string{`no "entities"`}},
		{"unknown field", `{"features": ["customer_stats"], ` + ents + `, "full_names": true}`, []string{`unknown field "full_names"`, "full_feature_names"}},
		{"field twice", `{"features": ["customer_stats"], "features": ["customer_stats"], ` + ents + `}`, []string{`field "features" given twice`}},
		{"field case", `{"Features": ["customer_stats"], ` + ents + `}`, []string{`unknown field "Features"`}},
		{"not an object", `["customer_stats"]`, []string{"the request is a JSON a list, want an object"}},
		{"features not a list", `{"features": "customer_stats", ` + ents + `}`, []string{"features: got a string, want a list"}},
		{"feature not a string", `{"features": ["customer_stats", 3], ` + ents + `}`, []string{"features[1]: got a number"}},
		{"empty features", `{"features": [], ` + ents + `}`, []string{"features: empty list"}},
		{"full names not bool", `{"features": ["customer_stats"], "full_feature_names": "yes", ` + ents + `}`, []string{"full_feature_names: got a string, want true or false"}},
		{"fraction", `{"features": ["customer_stats"], "entities": {"customer_id": [1, 1.5]}}`, []string{"entities.customer_id[1]: 1.5 is not an integer"}},
		{"too big", `{"features": ["customer_stats"], "entities": {"customer_id": [1e30]}}`, []string{"entities.customer_id[0]: 1e30 is not an integer in the int64 range"}},
		{"null", `{"features": ["customer_stats"], "entities": {"customer_id": [null]}}`, []string{"entities.customer_id[0]: got null, want an integer or a string"}},
		{"bool", `{"features": ["customer_stats"], "entities": {"customer_id": [true]}}`, []string{"entities.customer_id[0]: got a boolean"}},
		{"mixed types", `{"features": ["customer_stats"], "entities": {"customer_id": [1, "2"]}}`, []string{`entities.customer_id[1]: got string "2", but entities.customer_id[0] is int64`}},
		{"kind", `{"features": ["driver_stats"], "entities": {"driver_id": [7]}}`, []string{"entities.driver_id[0]: got number 7, want a string"}},
		{"entities not an object", `{"features": ["customer_stats"], "entities": [1]}`, []string{"entities: got a list, want an object"}},
		{"values not a list", `{"features": ["customer_stats"], "entities": {"customer_id": 1}}`, []string{"entities.customer_id: got a number, want a list"}},
		{"key twice", `{"features": ["customer_stats"], "entities": {"customer_id": [1], "customer_id": [2]}}`, []string{`join key "customer_id" given twice`}},
		{"lengths", `{"features": ["trips"], "entities": {"customer_id": [1, 2], "driver_id": ["d1"]}}`, []string{"customer_id has 2 values but driver_id has 1"}},
		{"missing key", `{"features": ["trips"], ` + ents + `}`, []string{`missing join key "driver_id" (view trips joins on it); want customer_id, driver_id`}},
		{"unknown key", `{"features": ["customer_stats"], "entities": {"customer_id": [1], "custmer_id": [1]}}`, []string{`unknown join key "custmer_id"; the requested views join on customer_id`}},
		{"too many rows", `{"features": ["customer_stats"], "entities": {"customer_id": [1, 2, 3, 4]}}`, []string{"4 rows, over the limit of 3"}},
		{"unknown feature", `{"features": ["customer_stats:tenur"], ` + ents + `}`, []string{"view customer_stats has no feature tenur; did you mean tenure?"}},
		{"unknown view", `{"features": ["customer_stat:tenure"], ` + ents + `}`, []string{"unknown feature view customer_stat; did you mean customer_stats?"}},
		{"unknown service", `{"feature_service": "churn_modl", ` + ents + `}`, []string{"no feature view or service is named churn_modl; did you mean churn_model?"}},
		{"broken service", `{"feature_service": "broken", ` + ents + `}`, []string{"feature service broken", "view customer_stats has no feature nope"}},
		{"view as service", `{"feature_service": "driver_stats", ` + ents + `}`, []string{"driver_stats is a feature view, not a service"}},
		{"empty service", `{"feature_service": "", ` + ents + `}`, []string{"feature_service: empty name"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantError(t, post(t, s, tt.body), http.StatusBadRequest, tt.want...)
		})
	}
}

func TestInvalidJSON(t *testing.T) {
	s, _ := fixture(t, Options{})
	tests := []struct{ body, want string }{
		{`{"features": ["a",]}`, "invalid JSON at line 1, column 19 (offset 18): invalid character ']'"},
		{"{\n  \"features\": [\"a\"],\n  \"entities\": {\"x\" 1}\n}", "invalid JSON at line 3, column 20 (offset 42): invalid character '1' after object key"},
		{`{"features": ["é", x]}`, "line 1, column 20 (offset 20)"},
		{`{"features": ["a"]`, "unexpected end of JSON input"},
		{`{} {}`, "invalid JSON at line 1, column 4 (offset 3): invalid character '{' after top-level value"},
		{``, "empty request body"},
	}
	for _, tt := range tests {
		t.Run(tt.body, func(t *testing.T) {
			wantError(t, post(t, s, tt.body), http.StatusBadRequest, tt.want)
		})
	}
}

func TestHTTP(t *testing.T) {
	s, _ := fixture(t, Options{MaxBody: 100})
	do := func(method, path, body string) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		s.ServeHTTP(w, httptest.NewRequest(method, path, strings.NewReader(body)))
		return w
	}
	w := do(http.MethodGet, "/get-online-features", "")
	wantError(t, w, http.StatusMethodNotAllowed, "method GET not allowed")
	if got := w.Header().Get("Allow"); got != "POST" {
		t.Errorf("got Allow %q, want POST", got)
	}
	wantError(t, do(http.MethodPost, "/nope", "{}"), http.StatusNotFound, "no route /nope")
	wantError(t, do(http.MethodPost, "/health", ""), http.StatusMethodNotAllowed, "method POST not allowed")

	w = do(http.MethodGet, "/health", "")
	if w.Code != http.StatusOK || w.Body.String() != "ok\n" {
		t.Errorf("health: got %d %q, want 200 \"ok\\n\"", w.Code, w.Body)
	}

	// 100 bytes pass, 101 do not. No Content-Type is needed.
	body := `{"features": ["customer_stats:tenure"], "entities": {"customer_id": [1]}}`
	body = body[:len(body)-2] + strings.Repeat(" ", 100-len(body)) + "}}"
	decode(t, do(http.MethodPost, "/get-online-features", body))
	wantError(t, do(http.MethodPost, "/get-online-features", body+" "), http.StatusRequestEntityTooLarge, "request body over the limit of 100 bytes")
}

// failingStore fails every read.
type failingStore struct{ online.Store }

// Read fails.
func (failingStore) Read(context.Context, []online.EntityKey, []online.FeatureRef, online.ReadOptions) ([][]online.Result, error) {
	return nil, errors.New("redis: connection refused")
}

func TestStoreError(t *testing.T) {
	var log bytes.Buffer
	s, err := New(testRegistry(t), failingStore{}, Options{Log: slog.New(slog.NewTextHandler(&log, nil))})
	if err != nil {
		t.Fatal(err)
	}
	w := post(t, s, `{"features": ["customer_stats:tenure"], "entities": {"customer_id": [1]}}`)
	wantError(t, w, http.StatusInternalServerError, "read customer_stats: redis: connection refused")
	if !strings.Contains(log.String(), "redis: connection refused") {
		t.Errorf("got log %q, want the error", log.String())
	}
}

func TestNew(t *testing.T) {
	reg := testRegistry(t)
	reg.Views = append(reg.Views, &defs.FeatureView{Name: "orphan", Entities: []string{"nobody"}})
	if _, err := New(reg, online.NewMemory(), Options{}); err == nil || !strings.Contains(err.Error(), "view orphan: unknown entity nobody") {
		t.Errorf("unknown entity: got %v", err)
	}
	if _, err := New(testRegistry(t), online.NewMemory(), Options{KeyKinds: map[string]online.Kind{"x": online.KindBool}}); err == nil || !strings.Contains(err.Error(), "join key x is bool") {
		t.Errorf("bad kind: got %v", err)
	}
	if _, err := New(testRegistry(t), online.NewMemory(), Options{MaxBody: -1}); err == nil {
		t.Error("negative MaxBody: got no error")
	}
}

func TestZeroRows(t *testing.T) {
	s, _ := fixture(t, Options{})
	w := post(t, s, `{"features": ["churn_model"], "entities": {"customer_id": []}}`)
	want := `{"metadata":{"feature_names":["customer_id","tenure","charges"]},"results":[` +
		`{"values":[],"statuses":[],"event_timestamps":[]},{"values":[],"statuses":[],"event_timestamps":[]},{"values":[],"statuses":[],"event_timestamps":[]}]}` + "\n"
	if w.Code != 200 || w.Body.String() != want {
		t.Errorf("got %d\n%s\nwant\n%s", w.Code, w.Body, want)
	}
}

func TestConcurrent(t *testing.T) {
	s, _ := fixture(t, Options{})
	// More distinct feature lists than the plan cache holds, so that it
	// evicts while other requests read it.
	lists := make([]string, maxPlans+20)
	for i := range lists {
		lists[i] = `["customer_stats:tenure", "driver_stats:rating", "trips:trip_count"` + strings.Repeat(`, "trips"`, i) + `]`
	}
	const workers, each = 8, 100
	var wg sync.WaitGroup
	errs := make(chan string, workers*each)
	for g := range workers {
		wg.Go(func() {
			for i := range each {
				list := lists[(g*each+i)%len(lists)]
				w := post(t, s, `{"features": `+list+`, "entities": {"customer_id": [1, 2], "driver_id": ["d1", "d1"]}}`)
				if w.Code != 200 {
					errs <- w.Body.String()
					continue
				}
				body := w.Body.String()
				if !strings.Contains(body, `{"values":[12,null],"statuses":["PRESENT","EXPIRED"]`) || !strings.Contains(body, `{"values":[9,null],"statuses":["PRESENT","MISSING"]`) {
					errs <- body
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Fatalf("got %s", e)
	}
	if n := len(s.plans.m); n > maxPlans {
		t.Errorf("got %d cached plans, want at most %d", n, maxPlans)
	}
}

// TestReuse sends requests of different shapes through one server, whose
// pooled buffers they reuse, and checks each answer against Get's.
func TestReuse(t *testing.T) {
	s, _ := fixture(t, Options{})
	bodies := []string{
		`{"features": ["customer_stats", "trips", "driver_stats"], "entities": {"customer_id": [1, 2, 3, 1], "driver_id": ["d1", "d1", "d2", "d2"]}}`,
		`{"feature_service": "churn_model", "entities": {"customer_id": [2]}}`,
		`{"features": ["store_sales"], "entities": {"region": ["eu"], "store_id": [7]}, "full_feature_names": true}`,
		`{"features": ["customer_stats:segment"], "entities": {"customer_id": []}}`,
		`{"features": ["customer_stats", "customer_profile:plan"], "entities": {"customer_id": [1, 2, 3, 4, 5, 6, 7, 8, 9]}}`,
	}
	for range 3 {
		for _, body := range bodies {
			w := post(t, s, body)
			req, err := ParseRequest([]byte(body), nil)
			if err != nil {
				t.Fatal(err)
			}
			resp, err := s.Get(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			if want := string(resp.AppendJSON(nil)) + "\n"; w.Body.String() != want {
				t.Fatalf("%s: got\n%s\nwant\n%s", body, w.Body, want)
			}
		}
	}
}
