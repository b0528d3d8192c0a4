package expr

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestCompileErrors(t *testing.T) {
	tests := []struct {
		src        string
		class      error
		line, col  int
		offset     int
		msg        string
		opts       []Option
		wantSnippt string
	}{
		{src: `segment > 5`, class: ErrType, line: 1, col: 9, offset: 8, msg: "mismatched types string and int"},
		{src: `age && churn`, class: ErrType, line: 1, col: 5, offset: 4, msg: "mismatched types int and bool"},
		{src: `len(age)`, class: ErrType, line: 1, col: 1, msg: "invalid argument for len (type int)"},
		{src: `agee > 3`, class: ErrUnknownColumn, line: 1, col: 1, msg: `unknown column "agee" (did you mean "age"?)`},
		{src: `age > 3 && foo(age)`, class: ErrUnknownFunction, line: 1, col: 12, offset: 11, msg: "unknown function foo"},
		{src: `age >`, class: ErrSyntax, line: 1, col: 5, offset: 4, msg: "unexpected token EOF"},
		{src: `segment matches "["`, class: ErrSyntax, line: 1, col: 17, offset: 16, msg: "invalid regular expression"},
		{src: `ts > "yesterday"`, class: ErrSyntax, line: 1, col: 6, offset: 5, msg: `cannot parse "yesterday" as a time`},
		{src: "age > 3 &&\n  segment > 5", class: ErrType, line: 2, col: 11, offset: 21, msg: "mismatched types string and int",
			wantSnippt: " |   segment > 5\n | ..........^"},
		{src: `dec > 1`, class: ErrUnknownColumn, line: 1, col: 1, msg: `column "dec" cannot be read: decimals are not supported`},
		{src: `age + "x"`, class: ErrType, line: 1, col: 5, offset: 4, msg: "mismatched types int and string"},
		{src: `ts > date("nope")`, class: ErrSyntax, line: 1, col: 11, offset: 10, msg: "invalid date nope"},
		{src: `duration("5 parsecs") > duration("1h")`, class: ErrSyntax, line: 1, col: 10, offset: 9, msg: "unknown unit"},
		{src: `"é" == name && age > "x"`, class: ErrType, line: 1, col: 20, offset: 20, msg: "mismatched types int and string"},
		{src: `segment in [1, 2]`, class: ErrType, line: 1, col: 13, offset: 12, msg: "cannot use 1 (type int) as type string in array"},
		{src: `churn ? 1 : "a"`, class: ErrType, msg: "mismatched types int and string"},
		{src: `age ? 1 : 2`, class: ErrType, line: 1, col: 1, msg: "non-bool age (type int) used as condition"},
		{src: `upper(1)`, class: ErrType, line: 1, col: 1, msg: "invalid argument for upper (type int)"},
		{src: `trim(name, "a", "b")`, class: ErrType, line: 1, col: 1, msg: "invalid number of arguments to trim (expected 1 or 2, got 3)"},
		{src: `income % 2`, class: ErrType, line: 1, col: 8, offset: 7, msg: "mismatched types float and int"},
		{src: `-segment`, class: ErrType, line: 1, col: 1, msg: "mismatched type string"},
		{src: `$env["nope"] > 1`, class: ErrUnknownColumn, line: 1, col: 5, offset: 4, msg: `unknown column "nope"`},
		{src: `all([1], {# > 0})`, class: ErrUnsupported, line: 1, col: 1, msg: "all() is not vectorized", opts: []Option{NoFallback()}},
		{src: `[1, 2]`, class: ErrType, msg: "cannot use a value of type []interface {}"},
		{src: `{"a": age}.a ?? 0`, class: ErrType, msg: "cannot use a value of type interface {}"},
		{src: `let x = 1; y + x`, class: ErrUnknownColumn, line: 1, col: 12, offset: 11, msg: `unknown column "y"`},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			p, err := Compile(tt.src, testSchema, tt.opts...)
			if err == nil {
				t.Fatalf("no error; compiled to a %s program (vectorized %v)", p.Type(), p.Vectorized())
			}
			if !errors.Is(err, tt.class) {
				t.Errorf("error %q is not %v", err, tt.class)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %q (%T) is not an *Error", err, err)
			}
			if !strings.Contains(e.Msg, tt.msg) {
				t.Errorf("message %q, want it to contain %q", e.Msg, tt.msg)
			}
			if tt.line != 0 && (e.Line != tt.line || e.Column != tt.col || e.Offset != tt.offset) {
				t.Errorf("position %d:%d (offset %d), want %d:%d (offset %d)", e.Line, e.Column, e.Offset, tt.line, tt.col, tt.offset)
			}
			if tt.wantSnippt != "" && e.Snippet != tt.wantSnippt {
				t.Errorf("snippet\n%s\nwant\n%s", e.Snippet, tt.wantSnippt)
			}
			if !strings.HasPrefix(err.Error(), "") || !strings.Contains(err.Error(), e.Msg) {
				t.Errorf("Error() = %q", err.Error())
			}
		})
	}
}

func TestColumns(t *testing.T) {
	p, err := Compile(`segment == "a" || age > 3 && age < 9 || $env["Monthly Charges"] > 1`, testSchema)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := p.Columns(), []string{"Monthly Charges", "age", "segment"}; !slices.Equal(got, want) {
		t.Errorf("Columns() = %q, want %q", got, want)
	}
	p, err = Compile(`1 + 2`, testSchema)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Columns()) != 0 {
		t.Errorf("Columns() = %q, want none", p.Columns())
	}
}

// TestFallback covers expressions outside the vectorized subset: they run
// on expr-lang's VM and say so.
func TestFallback(t *testing.T) {
	tests := []struct {
		src  string
		typ  Type
		want []any // per test row
	}{
		{`all([1, 2], {# < age})`, Bool, []any{true, true, nil, true, nil, false, true, true}},
		{`split(segment, "_")[0]`, String, []any{"student", "consumer", nil, "", "senior", "student", "small", "small"}},
		{`let x = age * 2; x > 40`, Bool, []any{true, false, nil, false, nil, false, true, true}},
		// expr-lang's matches is false, not an error, for nil operands.
		{`segment matches name`, Bool, []any{false, false, false, false, false, false, false, false}},
		{`ts.Year() >= 2020`, Bool, []any{true, false, nil, true, nil, false, true, true}},
		{`age in 10..20`, Bool, []any{false, true, nil, true, nil, false, false, false}},
		{`string(ts)`, String, nil},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			prog, got := evalRows(t, tt.src, testRows)
			if prog.Vectorized() {
				t.Fatal("vectorized; want the fallback path")
			}
			if prog.Fallback() == "" {
				t.Error("Fallback() is empty")
			}
			if tt.want == nil {
				return
			}
			if prog.Type() != tt.typ {
				t.Errorf("Type() = %s, want %s", prog.Type(), tt.typ)
			}
			for i := range tt.want {
				if !same(got[i], tt.want[i]) {
					t.Errorf("row %d: got %#v, want %#v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestFallbackRuntimeError(t *testing.T) {
	p, err := Compile(`int(segment + "x") > 0 || all([1], {# > 0})`, testSchema)
	if err != nil {
		t.Fatal(err)
	}
	rec := buildRecord(t, memoryAlloc(t), testRows)
	defer rec.Release()
	if _, err := p.NewEvaluator().Eval(rec); !errors.Is(err, ErrEval) || !strings.Contains(err.Error(), "row 0") {
		t.Errorf("got %v, want an ErrEval error at row 0", err)
	}
}

func TestEvalRecordMismatch(t *testing.T) {
	other := append(testSchema[:0:0], testSchema...)
	other[0].Name = "years"
	p, err := Compile(`years > 3`, other)
	if err != nil {
		t.Fatal(err)
	}
	rec := buildRecord(t, memoryAlloc(t), testRows)
	defer rec.Release()
	if _, err := p.NewEvaluator().Eval(rec); !errors.Is(err, ErrEval) {
		t.Errorf("missing column: got %v, want ErrEval", err)
	}
	other = append(testSchema[:0:0], testSchema...)
	other[4].Type = "int64" // segment
	p, err = Compile(`segment > 3`, other)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.NewEvaluator().Eval(rec); !errors.Is(err, ErrEval) {
		t.Errorf("retyped column: got %v, want ErrEval", err)
	}
}

// TestConcurrent shares one program between goroutines, each with its
// own evaluator (run with -race).
func TestConcurrent(t *testing.T) {
	rec := buildRecord(t, memoryAlloc(t), testRows)
	defer rec.Release()
	for _, src := range []string{`age >= 18 || segment in ["student", "x"]`, `name matches "^[A-Z]" ? lower(name) : upper(name)`, `all([1], {# < age})`} {
		p, err := Compile(src, testSchema)
		if err != nil {
			t.Fatal(err)
		}
		want, err := p.NewEvaluator().Eval(rec)
		if err != nil {
			t.Fatal(err)
		}
		wantVals := values(want)
		errs := make(chan error, 4)
		for range 4 {
			go func() {
				ev := p.NewEvaluator()
				for range 50 {
					v, err := ev.Eval(rec)
					if err != nil {
						errs <- err
						return
					}
					for i, w := range wantVals {
						if !same(v.Value(i), w) {
							errs <- fmt.Errorf("%s row %d: got %v, want %v", src, i, v.Value(i), w)
							return
						}
					}
				}
				errs <- nil
			}()
		}
		for range 4 {
			if err := <-errs; err != nil {
				t.Error(err)
			}
		}
	}
}
