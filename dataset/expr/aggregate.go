package expr

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/parser"

	"github.com/assayhq/assay/dataset"
)

// AggSpec describes an aggregate function that CompileAggregate accepts.
type AggSpec struct {
	Column  bool // the first argument is a column
	Numeric bool // …which must be an int, float or bool column (bools count as 0 and 1)
	Params  int  // number literals after the column (quantile's q)
	// Check validates the number literals; nil accepts any.
	Check func(params []float64) error
}

// Aggregates returns the aggregates assay computes for metric rules:
// row_count (no arguments); count, nulls, null_fraction, distinct,
// unique_fraction of any column; sum, mean, min, max, stddev (sample),
// variance (sample), median of a numeric or bool column;
// quantile(column, q) with q in [0, 1].
func Aggregates() map[string]AggSpec {
	anyCol := AggSpec{Column: true}
	num := AggSpec{Column: true, Numeric: true}
	m := map[string]AggSpec{"row_count": {}}
	for _, name := range []string{"count", "nulls", "null_fraction", "distinct", "unique_fraction"} {
		m[name] = anyCol
	}
	for _, name := range []string{"sum", "mean", "min", "max", "stddev", "variance", "median"} {
		m[name] = num
	}
	m["quantile"] = AggSpec{Column: true, Numeric: true, Params: 1, Check: func(p []float64) error {
		if !(p[0] >= 0 && p[0] <= 1) {
			return fmt.Errorf("quantile %v is outside [0, 1]", p[0])
		}
		return nil
	}}
	return m
}

// AggCall is one distinct aggregate call of an expression.
type AggCall struct {
	// Text is the canonical form of the call: "row_count",
	// "mean(income)", "quantile(score, 0.99)". Equal calls have equal
	// texts, however they were written.
	Text   string
	Func   string
	Column string    // "" when the aggregate takes no column
	Params []float64 // the number literals after the column
}

// Aggregate is a compiled expression over aggregate calls, such as
// mean(income) >= 20000 && null_fraction(email) < 0.01. The caller
// computes each call's value and evaluates the expression with Eval.
// Values are Floats; operators, functions and nulls follow the package
// documentation (an undefined aggregate, such as the mean of no values,
// is null, and makes the expression null unless Kleene logic decides it).
type Aggregate struct {
	prog  *Program
	calls []AggCall
}

// CompileAggregate parses src, an expression over the aggregate calls
// funcs lists (see Aggregates), and checks it against the columns. An
// unknown function or column, a wrong number of arguments, a column of
// the wrong type, a bad literal argument or a column used outside an
// aggregate is an *Error positioned at the offending token. Constructs
// outside the vectorized subset are ErrUnsupported errors.
func CompileAggregate(src string, cols dataset.Schema, funcs map[string]AggSpec) (a *Aggregate, err error) {
	defer func() {
		if r := recover(); r != nil {
			a, err = nil, fmt.Errorf("%w: compile %q: internal error: %v", ErrUnsupported, src, r)
		}
	}()
	tree, err := parser.Parse(src)
	if err != nil {
		return nil, fromExprError(src, err, ErrSyntax)
	}
	c := newCompiler(src, cols, time.Now())
	st := &aggState{funcs: funcs, index: map[string]int{}}
	c.agg = st
	root, err := c.compile(tree.Node)
	if err != nil {
		var u *unsupported
		if errors.As(err, &u) {
			return nil, newError(src, pos(u.at), ErrUnsupported, u.what+" is not supported in an aggregate expression")
		}
		return nil, err
	}
	return &Aggregate{prog: c.program(root), calls: st.calls}, nil
}

// Calls returns the distinct aggregate calls, in order of first
// appearance; Eval takes their values in this order.
func (a *Aggregate) Calls() []AggCall { return a.calls }

// Type returns the type of the expression's value.
func (a *Aggregate) Type() Type { return a.prog.typ }

// Source returns the expression's source.
func (a *Aggregate) Source() string { return a.prog.src }

// Eval evaluates the expression given the value of each call (values[i]
// for Calls()[i]); NaN stands for an undefined aggregate (null). It
// returns nil (null), a bool, int64, float64, string, time.Time or
// time.Duration.
func (a *Aggregate) Eval(values []float64) (v any, err error) {
	if len(values) != len(a.calls) {
		return nil, fmt.Errorf("%w: %d values for %d aggregate calls", ErrEval, len(values), len(a.calls))
	}
	defer func() {
		if r := recover(); r != nil {
			v, err = nil, fmt.Errorf("%w: %v", ErrEval, r)
		}
	}()
	ev := a.prog.NewEvaluator()
	ev.n = 1
	for i, x := range values {
		ev.cols[i] = Vector{Type: Float, Len: 1, Floats: []float64{x}}
		if math.IsNaN(x) {
			ev.cols[i].Nulls = []bool{true}
		}
	}
	return a.prog.root.eval(ev).Value(0), nil
}

// aggState is the compiler's state for an aggregate expression: the
// calls found so far, each a Float input column named by its text.
type aggState struct {
	funcs map[string]AggSpec
	calls []AggCall
	index map[string]int
}

func (s *aggState) names() []string {
	names := make([]string, 0, len(s.funcs))
	for n := range s.funcs {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// ident compiles a bare name: an aggregate without arguments (row_count).
func (s *aggState) ident(c *compiler, n *ast.IdentifierNode) (node, error) {
	if spec, ok := s.funcs[n.Value]; ok {
		return s.call(c, n, n.Value, spec, nil)
	}
	if c.schema.Index(n.Value) >= 0 {
		return nil, c.errorf(n, ErrType, "column %s is used outside an aggregate (as in mean(%s))", n.Value, n.Value)
	}
	return nil, c.errorf(n, ErrUnknownFunction, "unknown aggregate %s (known: %s)", n.Value, strings.Join(s.names(), ", "))
}

// call checks a call of aggregate name and returns its input.
func (s *aggState) call(c *compiler, n ast.Node, name string, spec AggSpec, args []ast.Node) (node, error) {
	want := spec.Params
	if spec.Column {
		want++
	}
	if len(args) != want {
		return nil, c.typeErr(n, "%s takes %d argument%s (%s), got %d", name, want, plural(want), s.signature(name, spec), len(args))
	}
	call := AggCall{Func: name}
	if spec.Column {
		colName := ""
		switch a := args[0].(type) {
		case *ast.IdentifierNode:
			colName = a.Value
		case *ast.MemberNode:
			colName, _ = envMember(a)
		}
		if colName == "" {
			return nil, c.typeErr(args[0], "the argument of %s must be a column, not %s", name, args[0].String())
		}
		col, err := c.lookup(colName, args[0])
		if err != nil {
			return nil, err
		}
		if t, _, _ := typeOf(col); spec.Numeric && !t.numeric() && t != Bool {
			return nil, c.typeErr(args[0], "%s needs a numeric or bool column; %s is %s", name, colName, col.Type)
		}
		call.Column = colName
		args = args[1:]
	}
	for _, a := range args {
		x, ok := numberLiteral(a)
		if !ok {
			return nil, c.typeErr(a, "the argument %s of %s must be a number literal", a.String(), name)
		}
		call.Params = append(call.Params, x)
	}
	if spec.Check != nil && len(args) > 0 {
		if err := spec.Check(call.Params); err != nil {
			return nil, c.typeErr(args[0], "%v", err)
		}
	}
	call.Text = canonical(call)
	idx, ok := s.index[call.Text]
	if !ok {
		idx = len(s.calls)
		s.index[call.Text] = idx
		s.calls = append(s.calls, call)
		c.cols = append(c.cols, colRef{name: call.Text, t: Float})
	}
	return &colNode{nodeInfo: c.info(Float, 0), idx: idx, name: call.Text}, nil
}

func (s *aggState) signature(name string, spec AggSpec) string {
	var parts []string
	if spec.Column {
		parts = append(parts, "column")
	}
	for range spec.Params {
		parts = append(parts, "number")
	}
	return name + "(" + strings.Join(parts, ", ") + ")"
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func numberLiteral(n ast.Node) (float64, bool) {
	switch n := n.(type) {
	case *ast.IntegerNode:
		return float64(n.Value), true
	case *ast.FloatNode:
		return n.Value, true
	case *ast.UnaryNode:
		if x, ok := numberLiteral(n.Node); ok && (n.Operator == "-" || n.Operator == "+") {
			if n.Operator == "-" {
				x = -x
			}
			return x, true
		}
	}
	return 0, false
}

func canonical(c AggCall) string {
	if c.Column == "" && len(c.Params) == 0 {
		return c.Func
	}
	parts := []string{}
	if c.Column != "" {
		parts = append(parts, c.Column)
	}
	for _, p := range c.Params {
		parts = append(parts, strconv.FormatFloat(p, 'g', -1, 64))
	}
	return c.Func + "(" + strings.Join(parts, ", ") + ")"
}
