package defs

import (
	"errors"
	"testing"
)

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		goodYAML, resolveYAML, "", "entities: [", "a: *x", "- 1\n- 2", "feature_views:\n  - name: v\n    ttl: -3d\n",
		"entities:\n  - &e {name: c, join_keys: [id]}\n  - *e\n", "x: !!str 1\n", "entities: []\n---\n",
		"feature_views:\n  - name: v\n    features:\n      - name: f\n        expr: |\n          a +\n          b\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := Parse("fuzz.yaml", data)
		if r == nil {
			t.Fatal("no registry")
		}
		if err == nil {
			return
		}
		var ps Problems
		if !errors.As(err, &ps) || !errors.Is(err, ErrDefs) {
			t.Fatalf("got %T %v, want Problems", err, err)
		}
		for _, p := range ps {
			if p.Pos.File != "fuzz.yaml" || p.Pos.Line < 1 || p.Pos.Col < 1 {
				t.Fatalf("problem not positioned: %v", p)
			}
		}
	})
}
