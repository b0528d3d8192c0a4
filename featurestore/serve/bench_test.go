package serve

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/assayhq/assay/featurestore/defs"
	"github.com/assayhq/assay/featurestore/online"
)

// benchServer returns a server of one view of 50 features over a memory
// store of 10,000 customers, and the view's feature references.
func benchServer(b *testing.B) (*Server, []string) {
	const entities, nf = 10000, 50
	var yaml strings.Builder
	yaml.WriteString("entities:\n  - name: customer\n    join_keys: [customer_id]\n")
	yaml.WriteString("feature_views:\n  - name: customer_stats\n    entities: [customer]\n    source: events\n    ttl: 30d\n    features:\n")
	features := make([]string, nf)
	refs := make([]string, nf)
	for i := range features {
		features[i] = fmt.Sprintf("feature_%02d", i)
		refs[i] = "customer_stats:" + features[i]
		fmt.Fprintf(&yaml, "      - %s\n", features[i])
	}
	fmt.Fprintf(&yaml, "feature_services:\n  - name: model\n    features: [customer_stats]\n")
	reg, err := defs.Parse("bench.yaml", []byte(yaml.String()))
	if err != nil {
		b.Fatal(err)
	}
	m := online.NewMemory()
	b.Cleanup(func() { m.Close() })
	now := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	rows := make([]online.Row, entities)
	for i := range rows {
		vals := make([]online.Value, nf)
		for j := range vals {
			switch j % 4 {
			case 0:
				vals[j] = online.Float(float64(i*j) / 3)
			case 1:
				vals[j] = online.Int(int64(i * j))
			case 2:
				vals[j] = online.String(fmt.Sprintf("v%d", i+j))
			case 3:
				vals[j] = online.Bool(i%2 == 0)
			}
		}
		rows[i] = online.Row{Key: key(b, "customer_id", i), EventTime: now.Add(-time.Hour).UnixMicro(), Values: vals}
	}
	if err := m.Write(context.Background(), "customer_stats", features, rows); err != nil {
		b.Fatal(err)
	}
	s, err := New(reg, m, Options{Now: func() time.Time { return now }, KeyKinds: map[string]online.Kind{"customer_id": online.KindInt64}})
	if err != nil {
		b.Fatal(err)
	}
	return s, refs
}

// BenchmarkServeHTTP measures POST /get-online-features of one entity ×
// 50 features of one view, through ServeHTTP.
func BenchmarkServeHTTP(b *testing.B) {
	s, refs := benchServer(b)
	bodies := map[string]func(id int) string{
		"features": func(id int) string {
			return fmt.Sprintf(`{"features": ["%s"], "entities": {"customer_id": [%d]}}`, strings.Join(refs, `", "`), id)
		},
		"service": func(id int) string {
			return fmt.Sprintf(`{"feature_service": "model", "entities": {"customer_id": [%d]}}`, id)
		},
	}
	for _, name := range []string{"features", "service"} {
		b.Run(name, func(b *testing.B) {
			var reqs [][]byte
			for id := range 64 {
				reqs = append(reqs, []byte(bodies[name](id*151)))
			}
			r := httptest.NewRequest(http.MethodPost, "/get-online-features", nil)
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				body := reqs[i%len(reqs)]
				r.Body = io.NopCloser(bytes.NewReader(body))
				w := httptest.NewRecorder()
				s.ServeHTTP(w, r)
				if w.Code != http.StatusOK || !bytes.Contains(w.Body.Bytes(), []byte(`"PRESENT"]`)) {
					b.Fatalf("got %d %s", w.Code, w.Body)
				}
				i++
			}
		})
	}
}
