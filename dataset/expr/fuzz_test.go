package expr

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// FuzzCompile compiles arbitrary expressions over the test schema: no
// input may panic (or reach the internal-error recovery), and a program
// that compiles must evaluate. Vectorized results must agree with
// expr-lang's VM on rows without nulls, where expr-lang succeeds and the
// vectorized result is not null (null is how the vectorized path answers
// what expr-lang reports as an error).
func FuzzCompile(f *testing.F) {
	for _, tc := range evalCases {
		f.Add(tc.src)
	}
	for _, s := range []string{`segment > 5`, `age &&`, `"\xff" + name`, `len([1,2])`, `age in 1..3`,
		`filter([age], # > 1)`, `{a: 1}`, `let x = 1; x`, `ts.Year()`, `a ?? b ?? c`, `1 < 2 < 3 < age`,
		`trim(name, "")`, `date("2020-01-01", "2006-01-02") < ts`, "age\n>\n\t3", `$env`, `$env.age`} {
		f.Add(s)
	}
	mem := memoryAlloc(f)
	rec := buildRecord(f, mem, testRows)
	f.Cleanup(rec.Release)
	f.Fuzz(func(t *testing.T, src string) {
		p, err := Compile(src, testSchema, Now(testNow))
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Compile(%q): %v (%T), not an *Error", src, err, err)
			}
			if e.Line < 1 || e.Column < 1 || e.Offset < 0 || e.Offset > len(src) {
				t.Fatalf("Compile(%q): bad position %d:%d offset %d", src, e.Line, e.Column, e.Offset)
			}
			return
		}
		v, err := p.NewEvaluator().Eval(rec)
		if err != nil {
			if p.Vectorized() || !errors.Is(err, ErrEval) {
				t.Fatalf("Eval(%q): %v", src, err)
			}
			return
		}
		if !p.Vectorized() {
			return
		}
		for i, r := range testRows {
			env := r.env()
			if anyNull(env, p.Columns()) || v.IsNull(i) {
				continue
			}
			want, err := exprEval(src, env)
			if err != nil {
				continue
			}
			got := v.Value(i)
			if outOfNanos(got) || outOfNanos(want) {
				continue // beyond nanosecond ticks: saturated
			}
			if _, ok := got.(time.Duration); ok {
				continue
			}
			if !same(got, want) && !strings.Contains(src, "nil") {
				t.Errorf("%q row %d: got %#v, expr says %#v", src, i, got, want)
			}
		}
	})
}

// outOfNanos reports whether v is a time that int64 nanoseconds since
// 1970 cannot hold.
func outOfNanos(v any) bool {
	t, ok := v.(time.Time)
	return ok && (t.Year() < 1678 || t.Year() > 2261)
}
