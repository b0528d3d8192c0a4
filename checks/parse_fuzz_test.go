package checks

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse checks that Parse never panics, and that whatever it returns
// is well formed: an error is a Problems wrapping ErrRules, every problem
// positioned inside the file, and the file always returned.
func FuzzParse(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "rules", "*.yaml"))
	for _, s := range seeds {
		data, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{
		"",
		"checks: []",
		"checks:\n  - not_null: a\n",
		"checks:\n  - between: {column: a, min: 0, max: 1}\n    severity: warn\n",
		"checks:\n  - row: |\n      a > 1\n",
		"checks:\n  - in_set: {column: a, values: [1, 2.5, x, true, null]}\n",
		"checks:\n  - pair: {a: x, op: !=, b: y}\n",
		"a: &x [1]\nchecks:\n  - unique: *x\n  - <<: *x\n",
		"checks:\n  - schema: {types: {a: int64, a: string}}\n---\nx: 1\n",
		"\xef\xbb\xbfchecks: [{not_null: \"é\"}]",
		"checks:\n\t- x",
		"\r#0\r\n0000", // mixed line breaks: the YAML parser counted a line too many
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Parse("fuzz.yaml", data)
		if file == nil {
			t.Fatal("Parse returned no File")
		}
		for _, c := range file.Checks {
			if c == nil || c.Kind == "" {
				t.Fatalf("check without a kind: %+v", c)
			}
		}
		if err == nil {
			return
		}
		var ps Problems
		if !errors.As(err, &ps) || len(ps) == 0 {
			t.Fatalf("got error %T %v, want a non-empty Problems", err, err)
		}
		if !errors.Is(err, ErrRules) {
			t.Fatalf("error %v does not wrap ErrRules", err)
		}
		// YAML breaks lines at \n, \r\n and a lone \r.
		lines := bytes.Count(data, []byte("\n")) + bytes.Count(data, []byte("\r")) - bytes.Count(data, []byte("\r\n")) + 1
		for _, p := range ps {
			if p.Pos.File != "fuzz.yaml" || p.Pos.Line < 1 || p.Pos.Line > lines || p.Pos.Col < 1 || p.Msg == "" {
				t.Fatalf("problem %q at %+v: want a message and a position inside the file (%d lines)", p.Msg, p.Pos, lines)
			}
		}
	})
}
