package expr

import (
	"bytes"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// node is one vector operation of a compiled program. eval computes the
// operation over the ev.n rows of the bound batch into the node's slot and
// returns its output, valid until the node is evaluated again.
type node interface {
	info() *nodeInfo
	eval(ev *Evaluator) *Vector
}

type nodeInfo struct {
	t    Type
	unit time.Duration // Time: the tick; set for every Time node
	id   int           // index of the node's slot
}

func (i *nodeInfo) info() *nodeInfo { return i }

// begin resets the slot's output for n rows of the node's type.
func (s *slot) begin(i *nodeInfo, n int) *Vector {
	s.v = Vector{Type: i.t, Len: n, Unit: i.unit}
	return &s.v
}

// zeros returns n false values (a null mask with no nulls).
func (e *Evaluator) zeros(n int) []bool {
	if len(e.zeroBuf) < n {
		e.zeroBuf = make([]bool, n)
	}
	return e.zeroBuf[:n]
}

// mask returns v's null mask, or zeros.
func (e *Evaluator) mask(v *Vector) []bool {
	if v.Nulls != nil {
		return v.Nulls[:e.n]
	}
	return e.zeros(e.n)
}

// orNulls returns the union of two null masks (nil when neither has
// nulls), in s.nulls when both have some.
func orNulls(s *slot, a, b []bool, n int) []bool {
	if a == nil {
		return b
	}
	if b == nil {
		return a
	}
	s.nulls = grow(s.nulls, n)
	or2(byteView(s.nulls), byteView(a[:n]), byteView(b[:n]))
	return s.nulls
}

// ---- leaves

type colNode struct {
	nodeInfo
	idx  int // index in Program.cols
	name string
}

func (n *colNode) eval(ev *Evaluator) *Vector { return &ev.cols[n.idx] }

// constNode is a literal or a folded constant: k holds its one value.
// Its output repeats the value for every row (filled once per evaluator
// and batch size).
type constNode struct {
	nodeInfo
	k Vector
}

func (n *constNode) null() bool { return n.t == Null || n.k.IsNull(0) }

func (n *constNode) eval(ev *Evaluator) *Vector {
	s := &ev.slots[n.id]
	m := ev.n
	if s.filled < m {
		if n.null() {
			s.nulls = grow(s.nulls, m)
			fill(s.nulls, true)
		}
		switch n.t {
		case Bool:
			s.bools = grow(s.bools, m)
			fill(s.bools, n.k.Bools[0])
		case Int, Time, Duration:
			s.ints = grow(s.ints, m)
			fill(s.ints, n.k.Ints[0])
		case Float:
			s.floats = grow(s.floats, m)
			fill(s.floats, n.k.Floats[0])
		case String:
			k := n.k.Bytes(0)
			checkOffset(len(k) * m) // before growing to it
			s.offs = grow(s.offs, m+1)
			s.data = s.data[:0]
			s.offs[0] = 0
			for i := range m {
				s.data = append(s.data, k...)
				s.offs[i+1] = checkOffset(len(s.data))
			}
		}
		s.filled = m // only once complete: a panic above leaves it to redo
	}
	out := s.begin(&n.nodeInfo, m)
	if n.null() {
		out.Nulls = s.nulls[:m]
	}
	switch n.t {
	case Bool:
		out.Bools = s.bools[:m]
	case Int, Time, Duration:
		out.Ints = s.ints[:m]
	case Float:
		out.Floats = s.floats[:m]
	case String:
		out.Offsets, out.Data = s.offs[:m+1], s.data
	}
	return out
}

func checkOffset(n int) int32 {
	if n > math.MaxInt32 {
		panic("string data of a batch exceeds 2 GiB")
	}
	return int32(n)
}

// ---- logic

type notNode struct {
	nodeInfo
	x node
}

func (n *notNode) eval(ev *Evaluator) *Vector {
	x := n.x.eval(ev)
	s := &ev.slots[n.id]
	out := s.begin(&n.nodeInfo, ev.n)
	s.bools = grow(s.bools, ev.n)
	xor1(byteView(s.bools), byteView(x.Bools[:ev.n]), 1)
	out.Bools, out.Nulls = s.bools, x.Nulls
	return out
}

// logicNode is Kleene && (and) or || (or).
type logicNode struct {
	nodeInfo
	and  bool
	l, r node
}

func (n *logicNode) eval(ev *Evaluator) *Vector {
	a := n.l.eval(ev)
	b := n.r.eval(ev)
	s := &ev.slots[n.id]
	m := ev.n
	out := s.begin(&n.nodeInfo, m)
	s.bools = grow(s.bools, m)
	x, y, o := byteView(a.Bools[:m]), byteView(b.Bools[:m]), byteView(s.bools)
	out.Bools = s.bools
	if a.Nulls == nil && b.Nulls == nil {
		if n.and {
			and2(o, x, y)
		} else {
			or2(o, x, y)
		}
		return out
	}
	s.nulls = grow(s.nulls, m)
	xn, yn, on := byteView(ev.mask(a)), byteView(ev.mask(b)), byteView(s.nulls)
	if n.and {
		kleeneAnd(o, on, x, xn, y, yn)
	} else {
		kleeneOr(o, on, x, xn, y, yn)
	}
	out.Nulls = s.nulls
	return out
}

// isNullNode is x == nil (or x != nil when not is set).
type isNullNode struct {
	nodeInfo
	x   node
	not bool
}

func (n *isNullNode) eval(ev *Evaluator) *Vector {
	x := n.x.eval(ev)
	s := &ev.slots[n.id]
	out := s.begin(&n.nodeInfo, ev.n)
	s.bools = grow(s.bools, ev.n)
	o := byteView(s.bools)
	if x.Nulls == nil {
		fill(o, b2u(n.not))
	} else {
		xor1(o, byteView(x.Nulls[:ev.n]), b2u(n.not))
	}
	out.Bools = s.bools
	return out
}

func b2u(b bool) byte {
	if b {
		return 1
	}
	return 0
}

// ---- choice

// coalesceNode is l ?? r.
type coalesceNode struct {
	nodeInfo
	l, r node
}

func (n *coalesceNode) eval(ev *Evaluator) *Vector {
	a := n.l.eval(ev)
	if a.Nulls == nil {
		return a
	}
	b := n.r.eval(ev)
	s := &ev.slots[n.id]
	m := ev.n
	out := s.begin(&n.nodeInfo, m)
	pick := a.Nulls[:m]
	if b.Nulls == nil {
		out.Nulls = nil
	} else {
		s.nulls = grow(s.nulls, m)
		an, bn, on := byteView(pick), byteView(b.Nulls[:m]), byteView(s.nulls)
		for i := range on {
			on[i] = an[i] & bn[i]
		}
		out.Nulls = s.nulls
	}
	choose(s, out, pick, b, a, m)
	return out
}

// condNode is c ? a : b.
type condNode struct {
	nodeInfo
	c, a, b node
}

func (n *condNode) eval(ev *Evaluator) *Vector {
	c := n.c.eval(ev)
	a := n.a.eval(ev)
	b := n.b.eval(ev)
	s := &ev.slots[n.id]
	m := ev.n
	out := s.begin(&n.nodeInfo, m)
	cond := c.Bools[:m]
	if c.Nulls != nil || a.Nulls != nil || b.Nulls != nil {
		s.nulls = grow(s.nulls, m)
		cn, cv := byteView(ev.mask(c)), byteView(cond)
		an, bn, on := byteView(ev.mask(a)), byteView(ev.mask(b)), byteView(s.nulls)
		for i := range on {
			on[i] = cn[i] | cv[i]&an[i] | (cv[i]^1)&bn[i]
		}
		out.Nulls = s.nulls
	}
	choose(s, out, cond, a, b, m)
	return out
}

// choose sets out's values to a's where pick is true and b's elsewhere.
func choose(s *slot, out *Vector, pick []bool, a, b *Vector, m int) {
	switch out.Type {
	case Bool:
		s.bools = grow(s.bools, m)
		p, x, y, o := byteView(pick), byteView(a.Bools[:m]), byteView(b.Bools[:m]), byteView(s.bools)
		for i := range o {
			o[i] = p[i]&x[i] | (p[i]^1)&y[i]
		}
		out.Bools = s.bools
	case Int, Time, Duration:
		s.ints = grow(s.ints, m)
		x, y, o := a.Ints[:m], b.Ints[:m], s.ints
		for i := range o {
			if pick[i] {
				o[i] = x[i]
			} else {
				o[i] = y[i]
			}
		}
		out.Ints = s.ints
	case Float:
		s.floats = grow(s.floats, m)
		x, y, o := a.Floats[:m], b.Floats[:m], s.floats
		for i := range o {
			if pick[i] {
				o[i] = x[i]
			} else {
				o[i] = y[i]
			}
		}
		out.Floats = s.floats
	case String:
		s.offs = grow(s.offs, m+1)
		s.offs[0] = 0
		s.data = s.data[:0]
		for i := range m {
			if pick[i] {
				s.data = append(s.data, a.Bytes(i)...)
			} else {
				s.data = append(s.data, b.Bytes(i)...)
			}
			s.offs[i+1] = checkOffset(len(s.data))
		}
		out.Offsets, out.Data = s.offs, s.data
	}
}

// ---- conversions

// toFloatNode converts Ints to Floats.
type toFloatNode struct {
	nodeInfo
	x node
}

func (n *toFloatNode) eval(ev *Evaluator) *Vector {
	x := n.x.eval(ev)
	s := &ev.slots[n.id]
	out := s.begin(&n.nodeInfo, ev.n)
	s.floats = grow(s.floats, ev.n)
	a, o := x.Ints[:ev.n], s.floats
	for i := range o {
		o[i] = float64(a[i])
	}
	out.Floats, out.Nulls = s.floats, x.Nulls
	return out
}

// rescaleNode multiplies Time or Duration ticks by k (to a finer unit),
// saturating.
type rescaleNode struct {
	nodeInfo
	x node
	k int64
}

func (n *rescaleNode) eval(ev *Evaluator) *Vector {
	x := n.x.eval(ev)
	s := &ev.slots[n.id]
	out := s.begin(&n.nodeInfo, ev.n)
	s.ints = grow(s.ints, ev.n)
	rescale(s.ints, x.Ints[:ev.n], n.k)
	out.Ints, out.Nulls = s.ints, x.Nulls
	return out
}

func rescale(dst, src []int64, k int64) {
	hi, lo := maxInt/k, minInt/k
	dst = dst[:len(src)]
	for i, t := range src {
		switch {
		case t > hi:
			dst[i] = maxInt
		case t < lo:
			dst[i] = minInt
		default:
			dst[i] = t * k
		}
	}
}

// toIntNode is int(x) of a Float (truncating; NaN, ±Inf and values out of
// range are null) or of a String (parsed; null where it does not parse).
type toIntNode struct {
	nodeInfo
	x node
}

func (n *toIntNode) eval(ev *Evaluator) *Vector {
	x := n.x.eval(ev)
	s := &ev.slots[n.id]
	m := ev.n
	out := s.begin(&n.nodeInfo, m)
	s.ints = grow(s.ints, m)
	s.nulls = grow(s.nulls, m)
	copyMask(s.nulls, x.Nulls)
	bad := false
	switch x.Type {
	case Float:
		for i, f := range x.Floats[:m] {
			if f >= -9.223372036854775808e18 && f < 9.223372036854775808e18 {
				s.ints[i] = int64(f)
			} else {
				s.ints[i] = 0
				s.nulls[i] = true
				bad = true
			}
		}
	case String:
		for i := range m {
			if s.nulls[i] {
				s.ints[i] = 0
				continue
			}
			v, ok := parseInt(x.Bytes(i))
			if !ok {
				s.nulls[i] = true
				bad = true
			}
			s.ints[i] = v
		}
	}
	out.Ints = s.ints
	if bad || x.Nulls != nil {
		out.Nulls = s.nulls
	}
	return out
}

// parseFloatNode is float(x) of a String: null where it does not parse.
type parseFloatNode struct {
	nodeInfo
	x node
}

func (n *parseFloatNode) eval(ev *Evaluator) *Vector {
	x := n.x.eval(ev)
	s := &ev.slots[n.id]
	m := ev.n
	out := s.begin(&n.nodeInfo, m)
	s.floats = grow(s.floats, m)
	s.nulls = grow(s.nulls, m)
	copyMask(s.nulls, x.Nulls)
	bad := false
	for i := range m {
		if s.nulls[i] {
			s.floats[i] = 0
			continue
		}
		v, ok := parseFloat(x.Bytes(i))
		if !ok {
			s.nulls[i] = true
			bad = true
		}
		s.floats[i] = v
	}
	out.Floats = s.floats
	if bad || x.Nulls != nil {
		out.Nulls = s.nulls
	}
	return out
}

// parseInt parses a decimal integer with an optional sign, as
// strconv.Atoi does, without allocating on failure.
func parseInt(b []byte) (int64, bool) {
	neg := false
	if len(b) > 0 && (b[0] == '+' || b[0] == '-') {
		neg = b[0] == '-'
		b = b[1:]
	}
	if len(b) == 0 {
		return 0, false
	}
	var u uint64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		if u > (1<<63)/10 {
			return 0, false
		}
		u = u*10 + uint64(c-'0')
		if u > 1<<63 {
			return 0, false
		}
	}
	if neg {
		return -int64(u), true // -(1<<63) wraps to itself
	}
	if u == 1<<63 {
		return 0, false
	}
	return int64(u), true
}

// parseFloat parses a decimal float (digits, an optional fraction and
// exponent, or inf, infinity, nan) as strconv.ParseFloat does. Other
// forms that ParseFloat accepts (hexadecimal mantissas) are rejected
// here, and checked first so that a failure does not allocate (only a
// number out of the float64 range still does: it is null too).
func parseFloat(b []byte) (float64, bool) {
	if !floatSyntax(b) {
		return 0, false
	}
	f, err := strconv.ParseFloat(unsafeString(b), 64)
	return f, err == nil
}

func floatSyntax(b []byte) bool {
	if len(b) > 0 && (b[0] == '+' || b[0] == '-') {
		b = b[1:]
	}
	if s := unsafeString(b); strings.EqualFold(s, "inf") || strings.EqualFold(s, "infinity") || strings.EqualFold(s, "nan") {
		return true
	}
	digits := 0
	i := 0
	for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
		digits++
	}
	if i < len(b) && b[i] == '.' {
		for i++; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
			digits++
		}
	}
	if digits == 0 {
		return false
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		exp := 0
		for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
			exp++
		}
		if exp == 0 {
			return false
		}
	}
	return i == len(b)
}

func copyMask(dst, src []bool) {
	if src == nil {
		clear(dst)
	} else {
		copy(dst, src)
	}
}

// toStringNode is string(x) of a Bool, Int or Float, formatted as fmt's
// %v.
type toStringNode struct {
	nodeInfo
	x node
}

func (n *toStringNode) eval(ev *Evaluator) *Vector {
	x := n.x.eval(ev)
	s := &ev.slots[n.id]
	m := ev.n
	out := s.begin(&n.nodeInfo, m)
	s.offs = grow(s.offs, m+1)
	s.offs[0] = 0
	s.data = s.data[:0]
	for i := range m {
		if !x.IsNull(i) {
			switch x.Type {
			case Bool:
				s.data = strconv.AppendBool(s.data, x.Bools[i])
			case Int:
				s.data = strconv.AppendInt(s.data, x.Ints[i], 10)
			case Float:
				s.data = strconv.AppendFloat(s.data, x.Floats[i], 'g', -1, 64)
			}
		}
		s.offs[i+1] = checkOffset(len(s.data))
	}
	out.Offsets, out.Data, out.Nulls = s.offs, s.data, x.Nulls
	return out
}

// ---- comparisons

type cmpOp uint8

const (
	opEq cmpOp = iota
	opNe
	opLt
	opLe
	opGt
	opGe
)

var cmpOps = map[string]cmpOp{"==": opEq, "!=": opNe, "<": opLt, "<=": opLe, ">": opGt, ">=": opGe}

// mirror returns the operator with its operands swapped: a < b is b > a.
func (op cmpOp) mirror() cmpOp {
	switch op {
	case opLt:
		return opGt
	case opLe:
		return opGe
	case opGt:
		return opLt
	case opGe:
		return opLe
	}
	return op
}

// cmpNode compares two operands of one type (Int, Float, String, Bool,
// Time of one unit, Duration). k, when set, is the non-null constant
// value of r.
type cmpNode struct {
	nodeInfo
	op   cmpOp
	l, r node
	k    *Vector
}

func (n *cmpNode) eval(ev *Evaluator) *Vector {
	a := n.l.eval(ev)
	m := ev.n
	var b *Vector
	if n.k == nil {
		b = n.r.eval(ev)
	}
	s := &ev.slots[n.id]
	out := s.begin(&n.nodeInfo, m)
	s.bools = grow(s.bools, m)
	o := s.bools
	switch a.Type {
	case Int, Time, Duration:
		if n.k != nil {
			cmpVS(n.op, a.Ints[:m], n.k.Ints[0], o)
		} else {
			cmpVV(n.op, a.Ints[:m], b.Ints[:m], o)
		}
	case Float:
		if n.k != nil {
			cmpVS(n.op, a.Floats[:m], n.k.Floats[0], o)
		} else {
			cmpVV(n.op, a.Floats[:m], b.Floats[:m], o)
		}
	case String:
		if n.k != nil {
			cmpStrVS(n.op, a.Offsets, a.Data, n.k.Bytes(0), o)
		} else {
			cmpStrVV(n.op, a, b, o)
		}
	case Bool:
		x, ob := byteView(a.Bools[:m]), byteView(o)
		flip := b2u(n.op == opEq) // eq: 1 ^ (x ^ y)
		if n.k != nil {
			k := b2u(n.k.Bools[0])
			for i := range ob {
				ob[i] = x[i] ^ k ^ flip
			}
		} else {
			y := byteView(b.Bools[:m])
			for i := range ob {
				ob[i] = x[i] ^ y[i] ^ flip
			}
		}
	}
	out.Bools = o
	if n.k != nil {
		out.Nulls = a.Nulls
	} else {
		out.Nulls = orNulls(s, a.Nulls, b.Nulls, m)
	}
	return out
}

func cmpVS[T int64 | float64](op cmpOp, a []T, k T, o []bool) {
	o = o[:len(a)]
	switch op {
	case opEq:
		for i, x := range a {
			o[i] = x == k
		}
	case opNe:
		for i, x := range a {
			o[i] = x != k
		}
	case opLt:
		for i, x := range a {
			o[i] = x < k
		}
	case opLe:
		for i, x := range a {
			o[i] = x <= k
		}
	case opGt:
		for i, x := range a {
			o[i] = x > k
		}
	case opGe:
		for i, x := range a {
			o[i] = x >= k
		}
	}
}

func cmpVV[T int64 | float64](op cmpOp, a, b []T, o []bool) {
	b, o = b[:len(a)], o[:len(a)]
	switch op {
	case opEq:
		for i, x := range a {
			o[i] = x == b[i]
		}
	case opNe:
		for i, x := range a {
			o[i] = x != b[i]
		}
	case opLt:
		for i, x := range a {
			o[i] = x < b[i]
		}
	case opLe:
		for i, x := range a {
			o[i] = x <= b[i]
		}
	case opGt:
		for i, x := range a {
			o[i] = x > b[i]
		}
	case opGe:
		for i, x := range a {
			o[i] = x >= b[i]
		}
	}
}

func cmpStrVS(op cmpOp, offs []int32, data []byte, k []byte, o []bool) {
	m := len(o)
	offs = offs[:m+1]
	switch op {
	case opEq, opNe:
		kl, ks := int32(len(k)), unsafeString(k)
		ne := b2u(op == opNe)
		ob := byteView(o)
		if kl <= 8 {
			kw := shortKey(k, 0, kl)
			mask := lenMask[kl]
			full := data[:cap(data)] // reading into the capacity (Arrow pads buffers) spares a branch
			for i := range ob {
				lo, hi := offs[i], offs[i+1]
				var w uint64
				if int(lo)+8 <= len(full) {
					w = load(full, int(lo)) & mask
				} else {
					w = shortKey(data, lo, min(hi, lo+kl))
				}
				ob[i] = uint8(isZero((w^kw)|uint64(hi-lo-kl))) ^ ne
			}
			return
		}
		for i := range ob {
			lo, hi := offs[i], offs[i+1]
			eq := hi-lo == kl && unsafeString(data[lo:hi]) == ks
			ob[i] = b2u(eq) ^ ne
		}
	default:
		for i := range o {
			o[i] = cmpResult(op, bytes.Compare(data[offs[i]:offs[i+1]], k))
		}
	}
}

func cmpStrVV(op cmpOp, a, b *Vector, o []bool) {
	for i := range o {
		x, y := a.Bytes(i), b.Bytes(i)
		switch op {
		case opEq:
			o[i] = bytes.Equal(x, y)
		case opNe:
			o[i] = !bytes.Equal(x, y)
		default:
			o[i] = cmpResult(op, bytes.Compare(x, y))
		}
	}
}

func cmpResult(op cmpOp, c int) bool {
	switch op {
	case opEq:
		return c == 0
	case opNe:
		return c != 0
	case opLt:
		return c < 0
	case opLe:
		return c <= 0
	case opGt:
		return c > 0
	}
	return c >= 0
}

// ---- arithmetic

type arithOp uint8

const (
	opAdd arithOp = iota
	opSub
	opMul
	opDiv
	opMod
	opPow
)

// arithNode is l op r over Ints (wrapping), Floats, or Time/Duration ticks
// (saturating); operands share a type (and unit) except for Duration * Int.
type arithNode struct {
	nodeInfo
	op   arithOp
	l, r node
}

func (n *arithNode) eval(ev *Evaluator) *Vector {
	a := n.l.eval(ev)
	b := n.r.eval(ev)
	s := &ev.slots[n.id]
	m := ev.n
	out := s.begin(&n.nodeInfo, m)
	out.Nulls = orNulls(s, a.Nulls, b.Nulls, m)
	switch n.t {
	case Float:
		s.floats = grow(s.floats, m)
		x, y, o := a.Floats[:m], b.Floats[:m], s.floats
		switch n.op {
		case opAdd:
			for i := range o {
				o[i] = x[i] + y[i]
			}
		case opSub:
			for i := range o {
				o[i] = x[i] - y[i]
			}
		case opMul:
			for i := range o {
				o[i] = x[i] * y[i]
			}
		case opDiv:
			for i := range o {
				o[i] = x[i] / y[i]
			}
		case opPow:
			for i := range o {
				o[i] = math.Pow(x[i], y[i])
			}
		}
		out.Floats = o
	case Int:
		s.ints = grow(s.ints, m)
		x, y, o := a.Ints[:m], b.Ints[:m], s.ints
		switch n.op {
		case opAdd:
			for i := range o {
				o[i] = x[i] + y[i]
			}
		case opSub:
			for i := range o {
				o[i] = x[i] - y[i]
			}
		case opMul:
			for i := range o {
				o[i] = x[i] * y[i]
			}
		case opMod:
			zero := false
			for i := range o {
				if y[i] == 0 {
					o[i], zero = 0, true
				} else {
					o[i] = x[i] % y[i]
				}
			}
			if zero {
				// A zero divisor is null.
				prev := out.Nulls
				s.nulls = grow(s.nulls, m)
				copyMask(s.nulls, prev)
				for i := range o {
					if y[i] == 0 {
						s.nulls[i] = true
					}
				}
				out.Nulls = s.nulls
			}
		}
		out.Ints = o
	case Time, Duration:
		s.ints = grow(s.ints, m)
		x, y, o := a.Ints[:m], b.Ints[:m], s.ints
		for i := range o {
			switch n.op {
			case opAdd:
				o[i], _ = addSat(x[i], y[i])
			case opSub:
				if y[i] == minInt {
					o[i], _ = addSat(x[i], maxInt)
				} else {
					o[i], _ = addSat(x[i], -y[i])
				}
			case opMul:
				o[i], _ = mulSat(x[i], y[i])
			}
		}
		out.Ints = o
	}
	return out
}

// negNode is -x.
type negNode struct {
	nodeInfo
	x node
}

func (n *negNode) eval(ev *Evaluator) *Vector {
	x := n.x.eval(ev)
	s := &ev.slots[n.id]
	m := ev.n
	out := s.begin(&n.nodeInfo, m)
	if n.t == Float {
		s.floats = grow(s.floats, m)
		for i, v := range x.Floats[:m] {
			s.floats[i] = -v
		}
		out.Floats = s.floats
	} else {
		s.ints = grow(s.ints, m)
		for i, v := range x.Ints[:m] {
			s.ints[i] = -v
		}
		out.Ints = s.ints
	}
	out.Nulls = x.Nulls
	return out
}

// mathNode is abs, ceil, floor or round of a Float (abs also of an Int).
type mathNode struct {
	nodeInfo
	fn string
	x  node
}

func (n *mathNode) eval(ev *Evaluator) *Vector {
	x := n.x.eval(ev)
	s := &ev.slots[n.id]
	m := ev.n
	out := s.begin(&n.nodeInfo, m)
	out.Nulls = x.Nulls
	if n.t == Int { // abs
		s.ints = grow(s.ints, m)
		for i, v := range x.Ints[:m] {
			if v < 0 {
				v = -v
			}
			s.ints[i] = v
		}
		out.Ints = s.ints
		return out
	}
	s.floats = grow(s.floats, m)
	o, a := s.floats, x.Floats[:m]
	switch n.fn {
	case "abs":
		for i, v := range a {
			o[i] = math.Abs(v)
		}
	case "ceil":
		for i, v := range a {
			o[i] = math.Ceil(v)
		}
	case "floor":
		for i, v := range a {
			o[i] = math.Floor(v)
		}
	case "round":
		for i, v := range a {
			o[i] = math.Round(v)
		}
	}
	out.Floats = o
	return out
}

// ---- membership

// inNode is x in [constants]: a set lookup per row.
type inNode struct {
	nodeInfo
	x      node
	ints   *intSet
	floats *floatSet
	strs   *strSet
	bools  [2]bool // Bool x: whether false, true are members
	hasNil bool    // the array holds nil: not found is null
}

func (n *inNode) eval(ev *Evaluator) *Vector {
	x := n.x.eval(ev)
	s := &ev.slots[n.id]
	m := ev.n
	out := s.begin(&n.nodeInfo, m)
	s.bools = grow(s.bools, m)
	o := s.bools
	switch x.Type {
	case Int:
		if n.floats != nil {
			for i, v := range x.Ints[:m] {
				o[i] = n.floats.has(float64(v))
			}
		} else {
			n.ints.hasAll(x.Ints[:m], o)
		}
	case Float:
		for i, v := range x.Floats[:m] {
			o[i] = n.floats.has(v)
		}
	case String:
		n.strs.hasAll(x.Offsets, x.Data, o)
	case Bool:
		for i, v := range x.Bools[:m] {
			o[i] = n.bools[b2u(v)]
		}
	}
	out.Bools = o
	out.Nulls = x.Nulls
	if n.hasNil {
		s.nulls = grow(s.nulls, m)
		copyMask(s.nulls, x.Nulls)
		for i, found := range o {
			if !found {
				s.nulls[i] = true
			}
		}
		out.Nulls = s.nulls
	}
	return out
}

// ---- strings

type strOp uint8

const (
	opContains strOp = iota
	opStartsWith
	opEndsWith
)

// strOpNode is l contains/startsWith/endsWith r; k, when set, is the
// constant r.
type strOpNode struct {
	nodeInfo
	op   strOp
	l, r node
	k    []byte
	kSet bool
}

func (n *strOpNode) eval(ev *Evaluator) *Vector {
	a := n.l.eval(ev)
	var b *Vector
	if !n.kSet {
		b = n.r.eval(ev)
	}
	s := &ev.slots[n.id]
	m := ev.n
	out := s.begin(&n.nodeInfo, m)
	s.bools = grow(s.bools, m)
	o := s.bools
	offs, data := a.Offsets[:m+1], a.Data
	if n.kSet {
		k := n.k
		kl := int32(len(k))
		switch n.op {
		case opContains:
			if len(k) == 0 {
				fill(o, true)
				break
			}
			for i := range o {
				o[i] = bytes.Contains(data[offs[i]:offs[i+1]], k)
			}
		case opStartsWith:
			for i := range o {
				lo, hi := offs[i], offs[i+1]
				o[i] = hi-lo >= kl && unsafeString(data[lo:lo+kl]) == unsafeString(k)
			}
		case opEndsWith:
			for i := range o {
				lo, hi := offs[i], offs[i+1]
				o[i] = hi-lo >= kl && unsafeString(data[hi-kl:hi]) == unsafeString(k)
			}
		}
		out.Bools, out.Nulls = o, a.Nulls
		return out
	}
	for i := range o {
		x, y := a.Bytes(i), b.Bytes(i)
		switch n.op {
		case opContains:
			o[i] = bytes.Contains(x, y)
		case opStartsWith:
			o[i] = bytes.HasPrefix(x, y)
		case opEndsWith:
			o[i] = bytes.HasSuffix(x, y)
		}
	}
	out.Bools, out.Nulls = o, orNulls(s, a.Nulls, b.Nulls, m)
	return out
}

// matchNode is x matches "pattern": a search, on a DFA when the pattern
// allows one, else with regexp.
type matchNode struct {
	nodeInfo
	x   node
	re  *regexp.Regexp
	dfa *dfa
}

func (n *matchNode) eval(ev *Evaluator) *Vector {
	x := n.x.eval(ev)
	s := &ev.slots[n.id]
	m := ev.n
	out := s.begin(&n.nodeInfo, m)
	s.bools = grow(s.bools, m)
	o := s.bools
	offs, data := x.Offsets[:m+1], x.Data
	if n.dfa != nil {
		n.dfa.matchAll(offs, data, o)
	} else {
		for i := range o {
			if x.Nulls != nil && x.Nulls[i] {
				o[i] = false
				continue
			}
			o[i] = n.re.Match(data[offs[i]:offs[i+1]])
		}
	}
	out.Bools, out.Nulls = o, x.Nulls
	return out
}

// concatNode is l + r of Strings.
type concatNode struct {
	nodeInfo
	l, r node
}

func (n *concatNode) eval(ev *Evaluator) *Vector {
	a := n.l.eval(ev)
	b := n.r.eval(ev)
	s := &ev.slots[n.id]
	m := ev.n
	out := s.begin(&n.nodeInfo, m)
	s.offs = grow(s.offs, m+1)
	s.offs[0] = 0
	s.data = s.data[:0]
	for i := range m {
		s.data = append(s.data, a.Bytes(i)...)
		s.data = append(s.data, b.Bytes(i)...)
		s.offs[i+1] = checkOffset(len(s.data))
	}
	out.Offsets, out.Data = s.offs, s.data
	out.Nulls = orNulls(s, a.Nulls, b.Nulls, m)
	return out
}

// lenNode is len(x) of a String: its number of characters.
type lenNode struct {
	nodeInfo
	x node
}

func (n *lenNode) eval(ev *Evaluator) *Vector {
	x := n.x.eval(ev)
	s := &ev.slots[n.id]
	m := ev.n
	out := s.begin(&n.nodeInfo, m)
	s.ints = grow(s.ints, m)
	offs, data := x.Offsets[:m+1], x.Data
	for i := range s.ints {
		b := data[offs[i]:offs[i+1]]
		s.ints[i] = int64(runeCount(b))
	}
	out.Ints, out.Nulls = s.ints, x.Nulls
	return out
}

// runeCount is utf8.RuneCount with a fast path for ASCII, eight bytes
// at a time.
func runeCount(b []byte) int {
	var hi uint64
	j := 0
	for ; j+8 <= len(b); j += 8 {
		hi |= load(b, j)
	}
	for ; j < len(b); j++ {
		hi |= uint64(b[j])
	}
	if hi&0x8080808080808080 == 0 {
		return len(b)
	}
	return utf8.RuneCount(b)
}

// strFuncNode applies a string → string function per row.
type strFuncNode struct {
	nodeInfo
	fn  string // lower, upper, trim, trimPrefix, trimSuffix
	x   node
	arg string // trim: the cutset; trimPrefix/Suffix: the affix
	cut bool   // trim with a cutset (else white space)
	aff []byte // arg as bytes
}

func (n *strFuncNode) eval(ev *Evaluator) *Vector {
	x := n.x.eval(ev)
	s := &ev.slots[n.id]
	m := ev.n
	out := s.begin(&n.nodeInfo, m)
	s.offs = grow(s.offs, m+1)
	s.offs[0] = 0
	d := s.data[:0]
	for i := range m {
		if x.IsNull(i) {
			s.offs[i+1] = checkOffset(len(d))
			continue
		}
		b := x.Bytes(i)
		switch n.fn {
		case "lower":
			d = appendMapped(d, b, unicode.ToLower, 'A', 'Z', 'a'-'A')
		case "upper":
			d = appendMapped(d, b, unicode.ToUpper, 'a', 'z', 'A'-'a')
		case "trim":
			if n.cut {
				d = append(d, bytes.Trim(b, n.arg)...)
			} else {
				d = append(d, bytes.TrimSpace(b)...)
			}
		case "trimPrefix":
			d = append(d, bytes.TrimPrefix(b, n.aff)...)
		case "trimSuffix":
			d = append(d, bytes.TrimSuffix(b, n.aff)...)
		}
		s.offs[i+1] = checkOffset(len(d))
	}
	s.data = d
	out.Offsets, out.Data, out.Nulls = s.offs, s.data, x.Nulls
	return out
}

// appendMapped appends b with every character mapped by f, as
// strings.Map (invalid UTF-8 becomes U+FFFD), with an ASCII fast path
// that shifts bytes in [lo, hi] by delta.
func appendMapped(d, b []byte, f func(rune) rune, lo, hi byte, delta int) []byte {
	for len(b) > 0 {
		c := b[0]
		if c < utf8.RuneSelf {
			if c >= lo && c <= hi {
				c = byte(int(c) + delta)
			}
			d = append(d, c)
			b = b[1:]
			continue
		}
		r, w := utf8.DecodeRune(b)
		d = utf8.AppendRune(d, f(r))
		b = b[w:]
	}
	return d
}
