package expr

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/parser"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/dataset/suggest"
)

// Option configures Compile.
type Option func(*options)

type options struct {
	now        time.Time
	nowSet     bool
	noFallback bool
}

// Now fixes the value of now() (by default the time of the Compile call).
func Now(t time.Time) Option {
	return func(o *options) { o.now, o.nowSet = t, true }
}

// NoFallback makes an expression outside the vectorized subset an
// ErrUnsupported error instead of a program on the fallback path.
func NoFallback() Option {
	return func(o *options) { o.noFallback = true }
}

// Program is a compiled expression. It is immutable and safe for
// concurrent use; evaluate it with an Evaluator per goroutine.
type Program struct {
	src    string
	typ    Type
	unit   time.Duration
	root   node
	cols   []colRef // referenced columns, in the order evaluators bind them
	nslots int
	fb     *fallback
	reason string
}

// colRef is a column a program reads.
type colRef struct {
	name string
	t    Type
	unit time.Duration
}

// Source returns the expression's source.
func (p *Program) Source() string { return p.src }

// Columns returns the names of the columns the expression references,
// sorted.
func (p *Program) Columns() []string {
	names := make([]string, len(p.cols))
	for i, c := range p.cols {
		names[i] = c.name
	}
	slices.Sort(names)
	return names
}

// Type returns the type of the expression's values.
func (p *Program) Type() Type { return p.typ }

// Unit returns the length of a tick of a Time expression's values.
func (p *Program) Unit() time.Duration { return p.unit }

// Vectorized reports whether the program runs as vector operations;
// false means it runs on expr-lang's VM row by row (see Fallback).
func (p *Program) Vectorized() bool { return p.fb == nil }

// Fallback says why the program is not vectorized ("" when it is), with
// the position of the first construct outside the vectorized subset.
func (p *Program) Fallback() string { return p.reason }

// Compile parses src and checks it against the columns. An unknown
// column or function, a type mismatch or a syntax error is an *Error
// positioned at the offending token. Expressions outside the vectorized
// subset compile for the fallback path (see the package documentation)
// unless NoFallback is given.
func Compile(src string, cols dataset.Schema, opts ...Option) (p *Program, err error) {
	defer func() {
		if r := recover(); r != nil {
			p, err = nil, fmt.Errorf("%w: compile %q: internal error: %v", ErrUnsupported, src, r)
		}
	}()
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	if !o.nowSet {
		o.now = time.Now()
	}
	tree, err := parser.Parse(src)
	if err != nil {
		return nil, fromExprError(src, err, ErrSyntax)
	}
	c := newCompiler(src, cols, o.now)
	if err := c.checkNames(tree.Node, nil); err != nil {
		return nil, err
	}
	root, err := c.compile(tree.Node)
	if err == nil {
		return c.program(root), nil
	}
	var u *unsupported
	var e *Error
	switch {
	case errors.As(err, &u):
		reason := newError(src, pos(u.at), ErrUnsupported, u.what+" is not vectorized")
		if o.noFallback {
			return nil, reason
		}
		return c.fallbackProgram(o.now, reason.Error())
	case errors.As(err, &e) && e.Err == ErrType && !o.noFallback:
		// What the vectorized subset rejects expr-lang may accept (it is
		// laxer with mixed types): run it there, else report ours.
		if p, ferr := c.fallbackProgram(o.now, e.Error()); ferr == nil {
			return p, nil
		}
	}
	return nil, err
}

func (c *compiler) program(root node) *Program {
	i := root.info()
	return &Program{src: c.src, typ: i.t, unit: i.unit, root: root, cols: c.cols, nslots: c.nslots}
}

func (c *compiler) fallbackProgram(now time.Time, reason string) (*Program, error) {
	fb, err := compileFallback(c.src, c.schema, now)
	if err != nil {
		return nil, err
	}
	p := &Program{src: c.src, typ: fb.typ, unit: fb.unit, fb: fb, reason: reason}
	for _, name := range c.refs {
		t, unit, _ := typeOf(c.schema[c.schema.Index(name)])
		p.cols = append(p.cols, colRef{name: name, t: t, unit: unit})
	}
	fb.cols = p.cols
	return p, nil
}

// unsupported marks a construct outside the vectorized subset.
type unsupported struct {
	at   ast.Node
	what string
}

func (u *unsupported) Error() string { return u.what + " is not vectorized" }

func pos(n ast.Node) int { return n.Location().From }

type compiler struct {
	src    string
	schema dataset.Schema
	now    time.Time
	cols   []colRef
	colIdx map[string]int
	refs   []string // columns the source names, in order of appearance
	nslots int
	agg    *aggState // set when compiling an aggregate expression
}

func newCompiler(src string, schema dataset.Schema, now time.Time) *compiler {
	return &compiler{src: src, schema: schema, now: now, colIdx: map[string]int{}}
}

func (c *compiler) errorf(at ast.Node, class error, format string, args ...any) *Error {
	return newError(c.src, pos(at), class, fmt.Sprintf(format, args...))
}

func (c *compiler) typeErr(at ast.Node, format string, args ...any) *Error {
	return c.errorf(at, ErrType, format, args...)
}

func (c *compiler) info(t Type, unit time.Duration) nodeInfo {
	c.nslots++
	return nodeInfo{t: t, unit: unit, id: c.nslots - 1}
}

// ---- names

// checkNames reports the first unknown column or function of the tree
// (in any construct, vectorized or not) and records the columns named.
func (c *compiler) checkNames(n ast.Node, scope map[string]bool) error {
	switch n := n.(type) {
	case nil:
		return nil
	case *ast.IdentifierNode:
		if scope[n.Value] || n.Value == "$env" {
			return nil
		}
		_, err := c.lookup(n.Value, n)
		return err
	case *ast.MemberNode:
		if name, ok := envMember(n); ok {
			_, err := c.lookup(name, n)
			return err
		}
		if err := c.checkNames(n.Node, scope); err != nil {
			return err
		}
		return c.checkNames(n.Property, scope)
	case *ast.CallNode:
		if id, ok := n.Callee.(*ast.IdentifierNode); ok {
			if !scope[id.Value] {
				return c.errorf(id, ErrUnknownFunction, "unknown function %s", id.Value)
			}
		} else if err := c.checkNames(n.Callee, scope); err != nil {
			return err
		}
		return c.checkAll(scope, n.Arguments...)
	case *ast.VariableDeclaratorNode:
		if err := c.checkNames(n.Value, scope); err != nil {
			return err
		}
		inner := map[string]bool{n.Name: true}
		for k := range scope {
			inner[k] = true
		}
		return c.checkNames(n.Expr, inner)
	case *ast.UnaryNode:
		return c.checkNames(n.Node, scope)
	case *ast.BinaryNode:
		return c.checkAll(scope, n.Left, n.Right)
	case *ast.ChainNode:
		return c.checkNames(n.Node, scope)
	case *ast.SliceNode:
		return c.checkAll(scope, n.Node, n.From, n.To)
	case *ast.BuiltinNode:
		return c.checkAll(scope, n.Arguments...)
	case *ast.PredicateNode:
		return c.checkNames(n.Node, scope)
	case *ast.ConditionalNode:
		return c.checkAll(scope, n.Cond, n.Exp1, n.Exp2)
	case *ast.SequenceNode:
		return c.checkAll(scope, n.Nodes...)
	case *ast.ArrayNode:
		return c.checkAll(scope, n.Nodes...)
	case *ast.MapNode:
		return c.checkAll(scope, n.Pairs...)
	case *ast.PairNode:
		return c.checkAll(scope, n.Key, n.Value)
	}
	return nil
}

func (c *compiler) checkAll(scope map[string]bool, nodes ...ast.Node) error {
	for _, n := range nodes {
		if err := c.checkNames(n, scope); err != nil {
			return err
		}
	}
	return nil
}

// envMember recognizes $env["name"] and $env.name.
func envMember(n *ast.MemberNode) (string, bool) {
	id, ok := n.Node.(*ast.IdentifierNode)
	if !ok || id.Value != "$env" || n.Method {
		return "", false
	}
	s, ok := n.Property.(*ast.StringNode)
	if !ok {
		return "", false
	}
	return s.Value, true
}

// lookup finds a readable column of the schema and records the reference.
func (c *compiler) lookup(name string, at ast.Node) (dataset.Column, error) {
	i := c.schema.Index(name)
	if i < 0 {
		msg := fmt.Sprintf("unknown column %q", name)
		if s := suggest.Within(name, c.schema.Names(), len(name)/3+2); s != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", s)
		}
		return dataset.Column{}, c.errorf(at, ErrUnknownColumn, "%s", msg)
	}
	col := c.schema[i]
	if _, _, ok := typeOf(col); !ok {
		why := col.Unsupported
		if why == "" {
			why = "type " + string(col.Type) + " is not supported"
		}
		return dataset.Column{}, c.errorf(at, ErrUnknownColumn, "column %q cannot be read: %s", name, why)
	}
	if !slices.Contains(c.refs, name) {
		c.refs = append(c.refs, name)
	}
	return col, nil
}

// column compiles a reference to a column.
func (c *compiler) column(name string, at ast.Node) (node, error) {
	col, err := c.lookup(name, at)
	if err != nil {
		return nil, err
	}
	t, unit, _ := typeOf(col)
	idx, ok := c.colIdx[name]
	if !ok {
		idx = len(c.cols)
		c.colIdx[name] = idx
		c.cols = append(c.cols, colRef{name: name, t: t, unit: unit})
	}
	return &colNode{nodeInfo: c.info(t, unit), idx: idx, name: name}, nil
}

// ---- constants

func (c *compiler) konst(v Vector) *constNode {
	v.Len = 1
	return &constNode{nodeInfo: c.info(v.Type, v.Unit), k: v}
}

func (c *compiler) constInt(x int64) *constNode {
	return c.konst(Vector{Type: Int, Ints: []int64{x}})
}

func (c *compiler) constFloat(x float64) *constNode {
	return c.konst(Vector{Type: Float, Floats: []float64{x}})
}

func (c *compiler) constBool(x bool) *constNode {
	return c.konst(Vector{Type: Bool, Bools: []bool{x}})
}

func (c *compiler) constString(s string) *constNode {
	return c.konst(Vector{Type: String, Offsets: []int32{0, int32(len(s))}, Data: []byte(s)})
}

func (c *compiler) constDuration(d time.Duration) *constNode {
	return c.konst(Vector{Type: Duration, Ints: []int64{int64(d)}})
}

// constTime holds t in the finest unit that represents it exactly.
func (c *compiler) constTime(t time.Time) *constNode {
	for _, unit := range []time.Duration{time.Nanosecond, time.Microsecond, time.Millisecond, time.Second} {
		if ticks, exact := timeTicks(t, unit); exact || unit == time.Second {
			return c.konst(Vector{Type: Time, Unit: unit, Ints: []int64{ticks}})
		}
	}
	panic("unreachable")
}

// nullConst is a null of type t.
func (c *compiler) nullConst(t Type, unit time.Duration) *constNode {
	v := Vector{Type: t, Unit: unit, Nulls: []bool{true}}
	switch t {
	case Bool:
		v.Bools = []bool{false}
	case Int, Time, Duration:
		v.Ints = []int64{0}
	case Float:
		v.Floats = []float64{0}
	case String:
		v.Offsets = []int32{0, 0}
	}
	return c.konst(v)
}

// fold evaluates n at compile time when all its operands are constants.
func (c *compiler) fold(n node, operands ...node) node {
	for _, o := range operands {
		if _, ok := o.(*constNode); !ok {
			return n
		}
	}
	ev := &Evaluator{slots: make([]slot, c.nslots), n: 1}
	v := n.eval(ev)
	k := Vector{Type: v.Type, Unit: v.Unit}
	if v.IsNull(0) {
		k.Nulls = []bool{true}
	}
	switch v.Type {
	case Bool:
		k.Bools = []bool{v.Bools[0]}
	case Int, Time, Duration:
		k.Ints = []int64{v.Ints[0]}
	case Float:
		k.Floats = []float64{v.Floats[0]}
	case String:
		b := v.Bytes(0)
		k.Offsets, k.Data = []int32{0, int32(len(b))}, append([]byte(nil), b...)
	}
	return c.konst(k)
}

func asConst(n node) (*constNode, bool) {
	k, ok := n.(*constNode)
	return k, ok
}

// ---- the tree

func (c *compiler) compile(n ast.Node) (node, error) {
	switch n := n.(type) {
	case *ast.NilNode:
		return c.konst(Vector{Type: Null, Nulls: []bool{true}}), nil
	case *ast.IntegerNode:
		return c.constInt(int64(n.Value)), nil
	case *ast.FloatNode:
		return c.constFloat(n.Value), nil
	case *ast.BoolNode:
		return c.constBool(n.Value), nil
	case *ast.StringNode:
		return c.constString(n.Value), nil
	case *ast.BytesNode:
		return c.constString(string(n.Value)), nil
	case *ast.IdentifierNode:
		if c.agg != nil {
			return c.agg.ident(c, n)
		}
		if n.Value == "$env" {
			return nil, &unsupported{n, "$env"}
		}
		return c.column(n.Value, n)
	case *ast.MemberNode:
		if name, ok := envMember(n); ok && c.agg == nil {
			return c.column(name, n)
		}
		return nil, &unsupported{n, "member access"}
	case *ast.UnaryNode:
		return c.unary(n)
	case *ast.BinaryNode:
		return c.binary(n)
	case *ast.ConditionalNode:
		return c.conditional(n)
	case *ast.BuiltinNode:
		if c.agg != nil {
			if spec, ok := c.agg.funcs[n.Name]; ok {
				return c.agg.call(c, n, n.Name, spec, n.Arguments)
			}
		}
		return c.builtin(n)
	case *ast.CallNode:
		if id, ok := n.Callee.(*ast.IdentifierNode); ok && c.agg != nil {
			if spec, ok := c.agg.funcs[id.Value]; ok {
				return c.agg.call(c, n, id.Value, spec, n.Arguments)
			}
			return nil, c.errorf(id, ErrUnknownFunction, "unknown aggregate %s (known: %s)", id.Value, strings.Join(c.agg.names(), ", "))
		}
		return nil, &unsupported{n, "this call"}
	case *ast.ArrayNode:
		return nil, &unsupported{n, "an array outside in"}
	case *ast.MapNode:
		return nil, &unsupported{n, "a map"}
	case *ast.ChainNode:
		return nil, &unsupported{n, "optional chaining"}
	case *ast.SliceNode:
		return nil, &unsupported{n, "slicing"}
	case *ast.VariableDeclaratorNode:
		return nil, &unsupported{n, "let"}
	case *ast.SequenceNode:
		return nil, &unsupported{n, "a sequence"}
	case *ast.PointerNode, *ast.PredicateNode:
		return nil, &unsupported{n, "a closure"}
	}
	return nil, &unsupported{n, fmt.Sprintf("%T", n)}
}

func (c *compiler) compile2(a, b ast.Node) (node, node, error) {
	l, err := c.compile(a)
	if err != nil {
		return nil, nil, err
	}
	r, err := c.compile(b)
	if err != nil {
		return nil, nil, err
	}
	return l, r, nil
}

func typ(n node) Type { return n.info().t }

func mismatch(c *compiler, n *ast.BinaryNode, l, r node) error {
	return c.typeErr(n, "invalid operation: %s (mismatched types %s and %s)", n.String(), typ(l), typ(r))
}

func (c *compiler) unary(n *ast.UnaryNode) (node, error) {
	x, err := c.compile(n.Node)
	if err != nil {
		return nil, err
	}
	t := typ(x)
	switch n.Operator {
	case "!", "not":
		if t == Null {
			return c.nullConst(Bool, 0), nil
		}
		if t != Bool {
			return nil, c.typeErr(n, "invalid operation: %s (mismatched type %s)", n.String(), t)
		}
		return c.fold(&notNode{nodeInfo: c.info(Bool, 0), x: x}, x), nil
	case "-", "+":
		if t != Int && t != Float && t != Duration {
			return nil, c.typeErr(n, "invalid operation: %s (mismatched type %s)", n.String(), t)
		}
		if n.Operator == "+" {
			return x, nil
		}
		return c.fold(&negNode{nodeInfo: c.info(t, 0), x: x}, x), nil
	}
	return nil, &unsupported{n, "operator " + n.Operator}
}

func (c *compiler) binary(n *ast.BinaryNode) (node, error) {
	switch n.Operator {
	case "&&", "and", "||", "or":
		return c.logic(n, n.Operator == "&&" || n.Operator == "and")
	case "==", "!=", "<", "<=", ">", ">=":
		return c.compare(n, cmpOps[n.Operator])
	case "in":
		return c.in(n)
	case "matches":
		return c.matches(n)
	case "contains", "startsWith", "endsWith":
		return c.strOp(n)
	case "??":
		l, r, err := c.compile2(n.Left, n.Right)
		if err != nil {
			return nil, err
		}
		l, r, t, unit, err := c.unify(n, l, r)
		if err != nil {
			return nil, err
		}
		if t == Null {
			return l, nil
		}
		return c.fold(&coalesceNode{nodeInfo: c.info(t, unit), l: l, r: r}, l, r), nil
	case "+", "-", "*", "/", "%", "**", "^":
		return c.arith(n)
	}
	return nil, &unsupported{n, "operator " + n.Operator}
}

func (c *compiler) asBool(x node) node {
	if typ(x) == Null {
		return c.nullConst(Bool, 0)
	}
	return x
}

func (c *compiler) logic(n *ast.BinaryNode, and bool) (node, error) {
	l, r, err := c.compile2(n.Left, n.Right)
	if err != nil {
		return nil, err
	}
	for _, x := range []node{l, r} {
		if t := typ(x); t != Bool && t != Null {
			return nil, mismatch(c, n, l, r)
		}
	}
	l, r = c.asBool(l), c.asBool(r)
	return c.fold(&logicNode{nodeInfo: c.info(Bool, 0), and: and, l: l, r: r}, l, r), nil
}

func isNil(n ast.Node) bool {
	_, ok := n.(*ast.NilNode)
	return ok
}

func (c *compiler) compare(n *ast.BinaryNode, op cmpOp) (node, error) {
	if (op == opEq || op == opNe) && (isNil(n.Left) || isNil(n.Right)) {
		other := n.Left
		if isNil(n.Left) {
			other = n.Right
		}
		x, err := c.compile(other)
		if err != nil {
			return nil, err
		}
		return c.fold(&isNullNode{nodeInfo: c.info(Bool, 0), x: x, not: op == opNe}, x), nil
	}
	l, r, err := c.compile2(n.Left, n.Right)
	if err != nil {
		return nil, err
	}
	// A time against a string literal: parse the literal.
	if typ(l) == Time && typ(r) == String {
		if r, err = c.timeLiteral(n.Right, r); err != nil {
			return nil, err
		}
	} else if typ(r) == Time && typ(l) == String {
		if l, err = c.timeLiteral(n.Left, l); err != nil {
			return nil, err
		}
	}
	lt, rt := typ(l), typ(r)
	switch {
	case lt.numeric() && rt.numeric():
		if lt != rt {
			l, r = c.toFloat(l), c.toFloat(r)
		}
	case lt == Time && rt == Time:
		l, r = c.unifyTimes(l, r)
	case lt == rt && (lt == String || lt == Duration):
	case lt == Bool && rt == Bool && (op == opEq || op == opNe):
	default:
		return nil, mismatch(c, n, l, r)
	}
	return c.cmpNode(op, l, r), nil
}

func (c *compiler) cmpNode(op cmpOp, l, r node) node {
	_, lc := asConst(l)
	_, rc := asConst(r)
	if lc && !rc {
		l, r, op = r, l, op.mirror()
	}
	nd := &cmpNode{nodeInfo: c.info(Bool, 0), op: op, l: l, r: r}
	if k, ok := asConst(r); ok && !k.null() {
		nd.k = &k.k
	}
	return c.fold(nd, l, r)
}

// timeLiteral parses the string constant x (from source node at) as a
// time.
func (c *compiler) timeLiteral(at ast.Node, x node) (node, error) {
	k, ok := asConst(x)
	if !ok {
		return nil, c.typeErr(at, "a time compares with a time or a string literal, not with a string expression")
	}
	s := string(k.k.Bytes(0))
	t, ok := parseTime(s)
	if !ok {
		return nil, c.errorf(at, ErrSyntax, "cannot parse %q as a time (want RFC 3339 or YYYY-MM-DD)", s)
	}
	return c.constTime(t), nil
}

func parseTime(s string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999", "2006-01-02 15:04:05.999999999Z07:00", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

func (c *compiler) toFloat(x node) node {
	if typ(x) == Float {
		return x
	}
	return c.fold(&toFloatNode{nodeInfo: c.info(Float, 0), x: x}, x)
}

// toUnit converts Time x to the finer unit.
func (c *compiler) toUnit(x node, unit time.Duration) node {
	from := x.info().unit
	if from == unit {
		return x
	}
	return c.fold(&rescaleNode{nodeInfo: c.info(x.info().t, unit), x: x, k: int64(from / unit)}, x)
}

// unifyTimes brings two Times to one unit: a constant converts exactly to
// the other side's unit when it can, else the coarser side is rescaled.
func (c *compiler) unifyTimes(l, r node) (node, node) {
	ul, ur := l.info().unit, r.info().unit
	if ul == ur {
		return l, r
	}
	if k, ok := asConst(l); ok && !k.null() {
		if ticks, exact := timeTicks(k.k.Time(0), ur); exact {
			return c.konst(Vector{Type: Time, Unit: ur, Ints: []int64{ticks}}), r
		}
	}
	if k, ok := asConst(r); ok && !k.null() {
		if ticks, exact := timeTicks(k.k.Time(0), ul); exact {
			return l, c.konst(Vector{Type: Time, Unit: ul, Ints: []int64{ticks}})
		}
	}
	fine := min(ul, ur)
	return c.toUnit(l, fine), c.toUnit(r, fine)
}

// unify brings the two branches of ?? or ?: to one type.
func (c *compiler) unify(n ast.Node, a, b node) (node, node, Type, time.Duration, error) {
	at, bt := typ(a), typ(b)
	switch {
	case at == Null && bt == Null:
		return a, b, Null, 0, nil
	case at == Null:
		a, at = c.nullConst(bt, b.info().unit), bt
	case bt == Null:
		b, bt = c.nullConst(at, a.info().unit), at
	}
	switch {
	case at.numeric() && bt.numeric():
		if at != bt {
			a, b = c.toFloat(a), c.toFloat(b)
		}
	case at == Time && bt == Time:
		a, b = c.unifyTimes(a, b)
	case at != bt:
		return nil, nil, 0, 0, c.typeErr(n, "invalid operation: %s (mismatched types %s and %s)", n.String(), at, bt)
	}
	return a, b, typ(a), a.info().unit, nil
}

func (c *compiler) conditional(n *ast.ConditionalNode) (node, error) {
	cond, err := c.compile(n.Cond)
	if err != nil {
		return nil, err
	}
	if t := typ(cond); t != Bool && t != Null {
		return nil, c.typeErr(n.Cond, "non-bool %s (type %s) used as condition", n.Cond.String(), t)
	}
	a, b, err := c.compile2(n.Exp1, n.Exp2)
	if err != nil {
		return nil, err
	}
	a, b, t, unit, err := c.unify(n, a, b)
	if err != nil {
		return nil, err
	}
	if t == Null {
		return a, nil
	}
	cond = c.asBool(cond)
	return c.fold(&condNode{nodeInfo: c.info(t, unit), c: cond, a: a, b: b}, cond, a, b), nil
}

func (c *compiler) arith(n *ast.BinaryNode) (node, error) {
	l, r, err := c.compile2(n.Left, n.Right)
	if err != nil {
		return nil, err
	}
	lt, rt := typ(l), typ(r)
	op := map[string]arithOp{"+": opAdd, "-": opSub, "*": opMul, "/": opDiv, "%": opMod, "**": opPow, "^": opPow}[n.Operator]
	mk := func(t Type, unit time.Duration, l, r node) node {
		return c.fold(&arithNode{nodeInfo: c.info(t, unit), op: op, l: l, r: r}, l, r)
	}
	switch {
	case lt.numeric() && rt.numeric():
		switch op {
		case opDiv, opPow:
			return mk(Float, 0, c.toFloat(l), c.toFloat(r)), nil
		case opMod:
			if lt != Int || rt != Int {
				return nil, mismatch(c, n, l, r)
			}
			return mk(Int, 0, l, r), nil
		}
		if lt != rt {
			l, r = c.toFloat(l), c.toFloat(r)
		}
		return mk(typ(l), 0, l, r), nil
	case lt == String && rt == String && op == opAdd:
		return c.fold(&concatNode{nodeInfo: c.info(String, 0), l: l, r: r}, l, r), nil
	case lt == Duration && rt == Duration && (op == opAdd || op == opSub):
		return mk(Duration, 0, l, r), nil
	case op == opMul && (lt == Duration && rt == Int || lt == Int && rt == Duration):
		return mk(Duration, 0, l, r), nil
	case lt == Time && rt == Duration && (op == opAdd || op == opSub):
		l, r = c.timePlus(l, r)
		return mk(Time, l.info().unit, l, r), nil
	case lt == Duration && rt == Time && op == opAdd:
		r, l = c.timePlus(r, l)
		return mk(Time, r.info().unit, l, r), nil
	case lt == Time && rt == Time && op == opSub:
		l, r = c.unifyTimes(l, r)
		unit := l.info().unit
		d := mk(Duration, 0, l, r)
		if unit == time.Nanosecond {
			return d, nil
		}
		return c.fold(&rescaleNode{nodeInfo: c.info(Duration, 0), x: d, k: int64(unit)}, d), nil
	}
	return nil, mismatch(c, n, l, r)
}

// timePlus prepares time t and duration d for addition. A constant
// duration becomes ticks of the coarsest unit, no finer than t's, that
// divides it (so that dates far from 1970 do not overflow nanoseconds);
// otherwise t goes to nanoseconds.
func (c *compiler) timePlus(t, d node) (node, node) {
	unit := t.info().unit
	if unit == time.Nanosecond {
		return t, d
	}
	if k, ok := asConst(d); ok && !k.null() {
		for _, u := range []time.Duration{day, time.Second, time.Millisecond, time.Microsecond, time.Nanosecond} {
			if u <= unit && k.k.Ints[0]%int64(u) == 0 {
				return c.toUnit(t, u), c.constInt(k.k.Ints[0] / int64(u))
			}
		}
	}
	return c.toUnit(t, time.Nanosecond), d
}

func (c *compiler) in(n *ast.BinaryNode) (node, error) {
	x, err := c.compile(n.Left)
	if err != nil {
		return nil, err
	}
	arr, ok := n.Right.(*ast.ArrayNode)
	if !ok {
		r, err := c.compile(n.Right)
		if err != nil {
			return nil, err
		}
		return nil, c.typeErr(n.Right, "in needs an array on its right, not %s", typ(r))
	}
	xt := typ(x)
	if xt != Bool && xt != Int && xt != Float && xt != String {
		return nil, &unsupported{n, "in over " + xt.String() + " values"}
	}
	set := &inNode{nodeInfo: c.info(Bool, 0), x: x}
	var ints []int64
	var floats []float64
	var strs []string
	var rest []node // non-constant members
	for _, e := range arr.Nodes {
		v, err := c.compile(e)
		if err != nil {
			return nil, err
		}
		k, ok := asConst(v)
		if !ok {
			if err := c.comparable(n, e, x, v); err != nil {
				return nil, err
			}
			rest = append(rest, v)
			continue
		}
		if k.null() {
			set.hasNil = true
			continue
		}
		switch t := typ(v); {
		case xt == String && t == String:
			strs = append(strs, string(k.k.Bytes(0)))
		case xt.numeric() && t == Int:
			ints = append(ints, k.k.Ints[0])
			floats = append(floats, float64(k.k.Ints[0]))
		case xt.numeric() && t == Float:
			floats = append(floats, k.k.Floats[0])
			ints = nil
			xt = Float // any float member: compare as floats
		case xt == Bool && t == Bool:
			set.bools[b2u(k.k.Bools[0])] = true
		default:
			return nil, c.typeErr(e, "cannot use %s (type %s) as type %s in array", e.String(), t, typ(x))
		}
	}
	switch {
	case typ(x) == String:
		set.strs = newStrSet(strs)
	case typ(x) == Int && xt == Int:
		set.ints = newIntSet(ints)
	case typ(x).numeric():
		set.floats = newFloatSet(floats)
	}
	var out node = c.fold(set, x)
	for _, v := range rest {
		xi, err := c.compile(n.Left)
		if err != nil {
			return nil, err
		}
		eq, err := c.equal(n, xi, v)
		if err != nil {
			return nil, err
		}
		out = c.fold(&logicNode{nodeInfo: c.info(Bool, 0), l: out, r: eq}, out, eq)
	}
	return out, nil
}

// comparable checks that member v of an in array compares with x.
func (c *compiler) comparable(n *ast.BinaryNode, at ast.Node, x, v node) error {
	xt, vt := typ(x), typ(v)
	if xt == vt || xt.numeric() && vt.numeric() {
		return nil
	}
	return c.typeErr(at, "cannot use %s (type %s) as type %s in array", at.String(), vt, xt)
}

// equal compiles x == v for in's non-constant members.
func (c *compiler) equal(n *ast.BinaryNode, x, v node) (node, error) {
	if typ(x) != typ(v) {
		x, v = c.toFloat(x), c.toFloat(v)
	}
	return c.cmpNode(opEq, x, v), nil
}

func (c *compiler) strOp(n *ast.BinaryNode) (node, error) {
	l, r, err := c.compile2(n.Left, n.Right)
	if err != nil {
		return nil, err
	}
	if typ(l) != String || typ(r) != String {
		return nil, mismatch(c, n, l, r)
	}
	op := map[string]strOp{"contains": opContains, "startsWith": opStartsWith, "endsWith": opEndsWith}[n.Operator]
	nd := &strOpNode{nodeInfo: c.info(Bool, 0), op: op, l: l, r: r}
	if k, ok := asConst(r); ok && !k.null() {
		nd.k, nd.kSet = k.k.Bytes(0), true
	}
	return c.fold(nd, l, r), nil
}

func (c *compiler) matches(n *ast.BinaryNode) (node, error) {
	l, r, err := c.compile2(n.Left, n.Right)
	if err != nil {
		return nil, err
	}
	if typ(l) != String || typ(r) != String {
		return nil, mismatch(c, n, l, r)
	}
	k, ok := asConst(r)
	if !ok || k.null() {
		return nil, &unsupported{n.Right, "a pattern that is not a literal"}
	}
	pattern := string(k.k.Bytes(0))
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil, c.errorf(n.Right, ErrSyntax, "invalid regular expression %q: %v", pattern, err)
	}
	return c.fold(&matchNode{nodeInfo: c.info(Bool, 0), x: l, re: re, dfa: compileDFA(pattern)}, l), nil
}

func arity(c *compiler, n *ast.BuiltinNode, lo, hi int) error {
	if got := len(n.Arguments); got < lo || got > hi {
		want := strconv.Itoa(lo)
		if hi > lo {
			want = fmt.Sprintf("%d or %d", lo, hi)
		}
		return c.typeErr(n, "invalid number of arguments to %s (expected %s, got %d)", n.Name, want, got)
	}
	return nil
}

// literal returns the value of a string literal argument.
func literal(n ast.Node) (string, bool) {
	s, ok := n.(*ast.StringNode)
	if !ok {
		return "", false
	}
	return s.Value, true
}

func (c *compiler) builtin(n *ast.BuiltinNode) (node, error) {
	args := n.Arguments
	switch n.Name {
	case "now":
		if len(args) != 0 {
			return nil, &unsupported{n, "now with a time zone"}
		}
		return c.constTime(c.now), nil
	case "date":
		if len(args) < 1 || len(args) > 2 {
			return nil, &unsupported{n, "date with these arguments"}
		}
		s, ok := literal(args[0])
		layout, ok2 := "", true
		if len(args) == 2 {
			layout, ok2 = literal(args[1])
		}
		if !ok || !ok2 {
			return nil, &unsupported{n, "date of a non-literal"}
		}
		t, err := parseDate(s, layout)
		if err != nil {
			return nil, c.errorf(args[0], ErrSyntax, "%v", err)
		}
		return c.constTime(t), nil
	case "duration":
		if err := arity(c, n, 1, 1); err != nil {
			return nil, err
		}
		s, ok := literal(args[0])
		if !ok {
			return nil, &unsupported{n, "duration of a non-literal"}
		}
		d, err := time.ParseDuration(s)
		if err != nil {
			return nil, c.errorf(args[0], ErrSyntax, "%v", err)
		}
		return c.constDuration(d), nil
	case "len", "lower", "upper", "trim", "trimPrefix", "trimSuffix", "abs", "ceil", "floor", "round", "int", "float", "string":
	default:
		return nil, &unsupported{n, n.Name + "()"}
	}
	hi := 1
	if n.Name == "trim" || n.Name == "trimPrefix" || n.Name == "trimSuffix" {
		hi = 2
	}
	if err := arity(c, n, 1, hi); err != nil {
		return nil, err
	}
	if _, ok := args[0].(*ast.ArrayNode); ok {
		return nil, &unsupported{n, n.Name + " of an array"}
	}
	x, err := c.compile(args[0])
	if err != nil {
		return nil, err
	}
	t := typ(x)
	bad := func() error {
		return c.typeErr(n, "invalid argument for %s (type %s)", n.Name, t)
	}
	switch n.Name {
	case "len":
		if t != String {
			return nil, bad()
		}
		return c.fold(&lenNode{nodeInfo: c.info(Int, 0), x: x}, x), nil
	case "lower", "upper", "trim", "trimPrefix", "trimSuffix":
		if t != String {
			return nil, bad()
		}
		nd := &strFuncNode{nodeInfo: c.info(String, 0), fn: n.Name, x: x}
		if n.Name != "trim" {
			nd.arg = " "
		}
		if len(args) == 2 {
			arg, ok := literal(args[1])
			if !ok {
				return nil, &unsupported{args[1], n.Name + " with a non-literal argument"}
			}
			nd.arg, nd.cut = arg, true
		}
		nd.aff = []byte(nd.arg)
		return c.fold(nd, x), nil
	case "abs":
		if !t.numeric() {
			return nil, bad()
		}
		return c.fold(&mathNode{nodeInfo: c.info(t, 0), fn: "abs", x: x}, x), nil
	case "ceil", "floor", "round":
		if !t.numeric() {
			return nil, bad()
		}
		if t == Int {
			return c.toFloat(x), nil
		}
		return c.fold(&mathNode{nodeInfo: c.info(Float, 0), fn: n.Name, x: x}, x), nil
	case "int":
		switch t {
		case Int:
			return x, nil
		case Float, String:
			return c.fold(&toIntNode{nodeInfo: c.info(Int, 0), x: x}, x), nil
		}
		return nil, bad()
	case "float":
		switch t {
		case Float:
			return x, nil
		case Int:
			return c.toFloat(x), nil
		case String:
			return c.fold(&parseFloatNode{nodeInfo: c.info(Float, 0), x: x}, x), nil
		}
		return nil, bad()
	case "string":
		switch t {
		case String:
			return x, nil
		case Bool, Int, Float:
			return c.fold(&toStringNode{nodeInfo: c.info(String, 0), x: x}, x), nil
		}
		return nil, &unsupported{n, "string of a " + t.String()}
	}
	return nil, &unsupported{n, n.Name + "()"}
}

// parseDate parses as expr-lang's date(): with the layout if given, else
// trying its list of layouts.
func parseDate(s, layout string) (time.Time, error) {
	if layout != "" {
		return time.Parse(layout, s)
	}
	for _, l := range []string{"2006-01-02", "15:04:05", "2006-01-02 15:04:05", time.RFC3339, time.RFC822, time.RFC850, time.RFC1123} {
		if t, err := time.Parse(l, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("invalid date %s", s)
}
