package defs

import (
	"strings"
	"testing"
	"time"
)

func TestParseGood(t *testing.T) {
	r, err := Parse("fs.yaml", []byte(goodYAML))
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Entities) != 1 || r.Entities[0].Name != "customer" || strings.Join(r.Entities[0].JoinKeys, ",") != "customer_id" {
		t.Errorf("got entities %+v", r.Entities)
	}
	s := r.Source("transactions")
	if s == nil || s.Path != "churn@prod" || s.Timestamp != "event_ts" || s.Created != "created_ts" {
		t.Fatalf("got source %+v", s)
	}
	v := r.View("customer_stats")
	if v == nil {
		t.Fatal("no view customer_stats")
	}
	if v.TTL != 30*24*time.Hour || v.Filter != "amount > 0" || v.Source != "transactions" {
		t.Errorf("got view %+v", v)
	}
	if len(v.Features) != 2 {
		t.Fatalf("got %d features, want 2", len(v.Features))
	}
	if f := v.Features[0]; f.Name != "tenure" || !f.Column() {
		t.Errorf("got feature 0 %+v, want column tenure", f)
	}
	if f := v.Features[1]; f.Name != "charges_per_month" || f.Expr != "TotalCharges / max(tenure, 1)" || f.Type != "float64" {
		t.Errorf("got feature 1 %+v", f)
	}
	// Positions: the name's first character, inside quotes for a quoted
	// string.
	if got, want := v.Pos, (Pos{"fs.yaml", 10, 11}); got != want {
		t.Errorf("view pos: got %v, want %v", got, want)
	}
	if got, want := v.ArgPos["filter"], (Pos{"fs.yaml", 14, 14}); got != want {
		t.Errorf("filter pos: got %v, want %v", got, want)
	}
	if got, want := v.ArgPos["entities[0]"], (Pos{"fs.yaml", 11, 16}); got != want {
		t.Errorf("entities[0] pos: got %v, want %v", got, want)
	}
	svc := r.Service("churn_model")
	if svc == nil || len(svc.Features) != 2 || svc.Features[1] != "customer_stats:charges_per_month" {
		t.Errorf("got service %+v", svc)
	}
}

func TestParseProblems(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"empty", "", []string{"1:1: empty file"}},
		{"not a mapping", "- a\n", []string{"1:1: want a mapping"}},
		{"bad YAML", "entities: [\n", []string{"1:11: bad YAML"}},
		{"unknown top key", "entitys: []\n", []string{"1:1: unknown key entitys at the top level; did you mean entities?"}},
		{"duplicate top key", "entities: []\nentities: []\n", []string{"2:1: duplicate key entities (first at line 1)"}},
		{"unknown key with suggestion", "entities:\n  - name: c\n    join_key: [id]\n", []string{
			"2:11: entity c has no join_keys",
			"3:5: unknown key join_key in an entity; did you mean join_keys?",
		}},
		{"unknown key without suggestion", "sources:\n  - name: s\n    path: p\n    timestamp: ts\n    zzz: 1\n", []string{
			"5:5: unknown key zzz in a source; want name, path, timestamp, created, description",
		}},
		{"duplicate key in item", "sources:\n  - name: s\n    path: p\n    path: q\n    timestamp: ts\n", []string{
			"4:5: duplicate key path (first at line 3)",
		}},
		{"wrong types", "entities:\n  - name: 12\n    join_keys: id\n", []string{
			"2:11: name: want a name, got 12 (quote it if it is a name)",
			"3:16: join_keys: want a list",
		}},
		{"list item not a mapping", "feature_views:\n  - v\n", []string{"2:5: want a feature view, a mapping with a name"}},
		{"top value not a list", "feature_services: {a: b}\n", []string{"1:19: feature_services: want a list of items"}},
		{"missing keys", "feature_views:\n  - name: v\n", []string{
			"2:11: feature view v has no entities",
			"2:11: feature view v has no source",
			"2:11: feature view v has no features",
		}},
		{"missing name", "entities:\n  - join_keys: [id]\n", []string{"2:5: entity has no name"}},
		{"bad name", "entities:\n  - name: 'a:b'\n    join_keys: [id]\n", []string{"2:12: name: \"a:b\" is not a name"}},
		{"bad ttl", "feature_views:\n  - name: v\n    entities: [e]\n    source: s\n    ttl: 3x\n    features: [a]\n", []string{
			"5:10: ttl: bad duration \"3x\": unknown unit \"x\"",
		}},
		{"negative ttl", "feature_views:\n  - name: v\n    entities: [e]\n    source: s\n    ttl: -1h\n    features: [a]\n", []string{
			"5:10: ttl: negative duration",
		}},
		{"ttl not a scalar", "feature_views:\n  - name: v\n    entities: [e]\n    source: s\n    ttl: [1]\n    features: [a]\n", []string{
			"5:10: ttl: want a duration",
		}},
		{"bad declared type", "feature_views:\n  - name: v\n    entities: [e]\n    source: s\n    features:\n      - name: f\n        expr: a + 1\n        type: float\n", []string{
			"8:15: type: want one of bool, int32",
		}},
		{"feature of wrong kind", "feature_views:\n  - name: v\n    entities: [e]\n    source: s\n    features: [[a]]\n", []string{
			"5:16: feature: want a column name or a mapping",
		}},
		{"no features", "feature_views:\n  - name: v\n    entities: [e]\n    source: s\n    features: []\n", []string{
			"5:15: features: want at least one feature",
		}},
		{"empty path", "sources:\n  - name: s\n    path: ''\n    timestamp: ts\n", []string{"3:12: path: want a dataset ref or a file path, got an empty string"}},
		{"alias", "entities:\n  - &e {name: c, join_keys: [id]}\n  - *e\n", []string{"3:5: aliases"}},
		{"tag", "entities:\n  - name: !!str c\n    join_keys: [id]\n", []string{"2:11: YAML tags"}},
		{"two documents", "entities: []\n---\nsources: []\n", []string{"2:1: one YAML document"}},
		{"online store without type", "online_store:\n  path: x.bolt\n", []string{"2:3: online_store has no type"}},
		{"online store bad type", "online_store: {type: redys, url: 'redis://h:1'}\n", []string{"1:22: type: want one of bolt, redis, got \"redys\"; did you mean redis?"}},
		{"online store unknown key", "online_store:\n  type: bolt\n  pth: x\n", []string{"3:3: unknown key pth in online_store; did you mean path?"}},
		{"online store wrong keys", "online_store:\n  type: bolt\n  url: redis://h:1\n", []string{"3:8: url: applies to a redis online store, not bolt"}},
		{"redis without url", "online_store:\n  type: redis\n", []string{"2:3: online_store of type redis has no url"}},
		{"redis url with password", "online_store:\n  type: redis\n  url: redis://u:secret@h:6379/0\n", []string{"3:8: url: the url holds a password, and definitions are stored in the repository: set ASSAY_REDIS_PASSWORD"}},
		{"redis url bad db", "online_store:\n  type: redis\n  url: redis://h:6379/x\n", []string{"3:8: url: \"redis://h:6379/x\": the path \"/x\" is not a database number"}},
		{"redis url bad scheme", "online_store:\n  type: redis\n  url: http://h:6379\n", []string{"3:8: url: \"http://h:6379\": want a redis:// or rediss:// URL"}},
		{"many at once", "entities:\n  - name: c\n    joinkeys: [id]\nsources:\n  - name: s\n    pth: x\n    timestamp: ts\nfeature_view: []\n", []string{
			"2:11: entity c has no join_keys",
			"3:5: unknown key joinkeys in an entity; did you mean join_keys?",
			"5:11: source s has no path",
			"6:5: unknown key pth in a source; did you mean path?",
			"8:1: unknown key feature_view at the top level; did you mean feature_views?",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Parse("fs.yaml", []byte(tt.src))
			if r == nil {
				t.Fatal("Parse returned no registry")
			}
			wantProblems(t, err, tt.want...)
		})
	}
}

func TestParseOnlineStore(t *testing.T) {
	r, err := Parse("fs.yaml", []byte(goodYAML+"online_store:\n  type: redis\n  url: redis://127.0.0.1:6379/2\n  prefix: 'team:'\n"))
	if err != nil {
		t.Fatal(err)
	}
	if o := r.Online; o == nil || o.Type != OnlineRedis || o.URL != "redis://127.0.0.1:6379/2" || o.Prefix != "team:" {
		t.Errorf("got %+v", r.Online)
	}
	r, err = Parse("fs.yaml", []byte(goodYAML))
	if err != nil {
		t.Fatal(err)
	}
	if r.Online != nil {
		t.Errorf("no online_store: got %+v, want nil (the default)", r.Online)
	}
}

func TestParseBlockExprPos(t *testing.T) {
	src := "feature_views:\n  - name: v\n    entities: [e]\n    source: s\n    features:\n      - name: f\n        expr: |\n          a +\n            b\n"
	r, err := Parse("fs.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	f := r.Views[0].Features[0]
	if got, want := f.ArgPos["expr"], (Pos{"fs.yaml", 8, 11}); got != want {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestParseCRLF(t *testing.T) {
	r, err := Parse("fs.yaml", []byte(strings.ReplaceAll(goodYAML, "\n", "\r\n")))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := r.Views[0].Pos, (Pos{"fs.yaml", 10, 11}); got != want {
		t.Errorf("got %v, want %v", got, want)
	}
}
