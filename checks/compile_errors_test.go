package checks_test

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/assayhq/assay/checks"
)

// TestCompileErrors: problems that only the data's schema reveals —
// unknown columns (with a did-you-mean), type mismatches, bad expressions
// — are reported all at once, each at the line and column of the value at
// fault in the rule file (testdata/semantics/compile_errors.yaml).
func TestCompileErrors(t *testing.T) {
	path := data(t, icol("customer_id", 1), scol("name", "a"), icol("age", 3), scol("segment", "x"), bcol("flags", true))
	const file = "testdata/semantics/compile_errors.yaml"
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	f, err := checks.Parse(file, b)
	if err != nil {
		t.Fatalf("the fixture must parse (its problems are the compiler's): %v", err)
	}
	src := open(t, nil, path)
	sc, err := src.Scanner(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	schema := sc.Schema()
	sc.Close()
	_, err = checks.Compile(t.Context(), f, schema, checks.Env{})
	if !errors.Is(err, checks.ErrRules) {
		t.Fatalf("Compile: %v, want an ErrRules error", err)
	}
	var probs checks.Problems
	if !errors.As(err, &probs) {
		t.Fatalf("Compile: %T, want Problems", err)
	}
	// Columns count characters from 1; a string value's position is its
	// first character (inside quotes); an expression's problem is at the
	// character at fault.
	want := []struct {
		at       string
		contains string
	}{
		{"4:15", `unknown column "custmer_id" (did you mean "customer_id"?)`},
		{"5:23", `between needs a numeric column; "name" is string`},
		{"6:21", `regex needs a string column; "age" is int64`},
		// A string in the set of an int column: at the value ("two"
		// inside its quotes). Numbers against a string column (line 8)
		// are allowed: they compare as text.
		{"7:40", `"two" is not a number`},
		{"9:24", `unknown column "nmae" (did you mean "name"?)`},
		{"10:19", `mean needs a numeric`},
		// 'age + ': the expression ends after "+ ".
		{"11:16", `unexpected token EOF`},
		{"12:27", `unknown column "agee" (did you mean "age"?)`},
		{"13:25", `cannot compare int64 column "age" with string column "name"`},
		{"14:22", `length needs a string column; "age" is int64`},
		// where: 'age > "x"': at the operator.
		{"16:17", `mismatched types`},
		{"17:17", `increasing needs an ordered column`},
		// A literal block: line 2 of the expression, after two spaces.
		{"20:9", `unknown column "unknown_col"`},
		{"21:25", `freshness needs a date or timestamp column; "age" is int64`},
		{"22:14", `a metric rule must be a boolean expression`},
		{"23:22", `format needs a string column; "age" is int64`},
		{"25:16", `unknown column "segmnt" (did you mean "segment"?)`},
		{"26:11", `a row rule must be a boolean expression`},
		{"27:43", `reference no/such/file.parquet`},
	}
	if len(probs) != len(want) {
		t.Errorf("%d problems, want %d:\n%v", len(probs), len(want), err)
	}
	for i := range min(len(probs), len(want)) {
		p, w := probs[i], want[i]
		at := strings.TrimPrefix(p.Error(), file+":")
		if !strings.HasPrefix(at, w.at+": ") || !strings.Contains(p.Msg, w.contains) {
			t.Errorf("problem %d: %s\nwant at %s: …%s…", i+1, p.Error(), w.at, w.contains)
		}
		if p.Pos.File != file {
			t.Errorf("problem %d: file %q, want %q", i+1, p.Pos.File, file)
		}
	}
}
