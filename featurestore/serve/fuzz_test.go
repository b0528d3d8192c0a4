package serve

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/assayhq/assay/featurestore/online"
)

// FuzzParseRequest checks that ParseRequest never panics, fails only
// with ErrInvalid, reads what encoding/json reads, and that an accepted
// request re-encodes to a body that parses to the same request and the
// same bytes. Accepted requests then go through Get, which must not panic
// and must answer with valid JSON or ErrInvalid.
func FuzzParseRequest(f *testing.F) {
	for _, seed := range []string{
		`{"features": ["customer_stats:tenure", "customer_stats:charges"], "entities": {"customer_id": [1, 2]}, "full_feature_names": false}`,
		`{"feature_service": "churn_model", "entities": {"customer_id": [1e3, 2.0, -0]}}`,
		`{"features": ["trips", "driver_stats"], "entities": {"customer_id": [1], "driver_id": ["d\u00e91"]}, "full_feature_names": true}`,
		`{"features": ["store_sales"], "entities": {"region": ["eu", "\ud800"], "store_id": [7, 9223372036854775807]}}`,
		`{"features": ["x"], "entities": {"customer_id": [1.5, null, true, {}]}}`,
		`{"features": ["a",], "entities": {}}`,
		"{\"features\": [\"\xff\"], \"entities\": {\"\\\"\": [\"\\\\\"]}}",
		`[]`,
		``,
		`{"features": ["a"], "entities": {"k": [01]}}`,
		`{"features": ["a\u12"], "entities": {}}`,
		"{\"features\": [\"a\tb\"], \"entities\": {}}",
		`{"features": ["a"], "entities": {"k": [-]}} `,
		`{"features": ["a"], "entities": {"k": [1.e5, 2]}}`,
		`{"features": ["a"], "full_feature_names": tru, "entities": {}}`,
		`{"features": ["a"], "entities": {}} x`,
	} {
		f.Add([]byte(seed))
	}
	kinds := map[string]online.Kind{"driver_id": online.KindString, "store_id": online.KindInt64}
	s, _ := fixture(f, Options{KeyKinds: kinds})
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := ParseRequest(body, kinds)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("got error %v, want one wrapping ErrInvalid", err)
			}
			syntax := strings.HasPrefix(err.Error(), "invalid request: invalid JSON") || strings.HasPrefix(err.Error(), "invalid request: empty request body")
			if valid := json.Valid(body); valid == syntax {
				t.Fatalf("json.Valid says %v, but got error %v", valid, err)
			}
			return
		}
		if !json.Valid(body) {
			t.Fatalf("accepted invalid JSON %q", body)
		}
		checkAgainstStdlib(t, body, req)
		enc := req.AppendJSON(nil)
		req2, err := ParseRequest(enc, kinds)
		if err != nil {
			t.Fatalf("re-encoded request %s: %v", enc, err)
		}
		if !reflect.DeepEqual(req, req2) {
			t.Fatalf("re-encoded request %s parses to %+v, want %+v", enc, req2, req)
		}
		if enc2 := req2.AppendJSON(nil); string(enc2) != string(enc) {
			t.Fatalf("encoded again: got %s, want %s", enc2, enc)
		}
		resp, err := s.Get(context.Background(), req)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("Get: got error %v, want one wrapping ErrInvalid", err)
			}
			return
		}
		if out := resp.AppendJSON(nil); !json.Valid(out) {
			t.Fatalf("response is not valid JSON: %s", out)
		}
	})
}

// checkAgainstStdlib checks that encoding/json reads the same features,
// service and entities from body as req holds.
func checkAgainstStdlib(t *testing.T, body []byte, req *Request) {
	t.Helper()
	var std struct {
		Features       []string         `json:"features"`
		FeatureService string           `json:"feature_service"`
		Entities       map[string][]any `json:"entities"`
	}
	if err := json.Unmarshal(body, &std); err != nil {
		t.Fatalf("encoding/json: %v, but ParseRequest accepted %q", err, body)
	}
	if !slices.Equal(std.Features, req.Features) || std.FeatureService != req.FeatureService {
		t.Fatalf("got features %q service %q, encoding/json reads %q %q", req.Features, req.FeatureService, std.Features, std.FeatureService)
	}
	if len(std.Entities) != len(req.Entities) {
		t.Fatalf("got %d join keys, encoding/json reads %d", len(req.Entities), len(std.Entities))
	}
	for k, vals := range req.Entities {
		stdVals, ok := std.Entities[k]
		if !ok || len(stdVals) != len(vals) {
			t.Fatalf("join key %q: got %v, encoding/json reads %v", k, vals, stdVals)
		}
		for i, v := range vals {
			switch x := stdVals[i].(type) {
			case string:
				if v != online.String(x) {
					t.Fatalf("%s[%d]: got %v, encoding/json reads %q", k, i, v, x)
				}
			case float64:
				if v.Kind() != online.KindInt64 || float64(v.Int()) != x {
					t.Fatalf("%s[%d]: got %v, encoding/json reads %v", k, i, v, x)
				}
			default:
				t.Fatalf("%s[%d]: got %v, encoding/json reads %T", k, i, v, x)
			}
		}
	}
}
