package checks

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/zeebo/xxh3"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/dataset/expr"
)

// verdictFunc computes the verdicts of a batch's rows (vPass, vFail,
// vNull) into out. A fresh one is made per row group, so it may keep
// per-worker scratch.
type verdictFunc func(b *batch, out []byte) error

// rowChecker is a check decided row by row: not_null, between, in_set,
// not_in_set, regex, not_regex, length, format, row, pair, reference.
type rowChecker struct {
	c        *Check
	cols     []string // the columns shown with samples
	read     []string // the columns the verdict reads
	nulls    Nulls
	where    int
	grouping int
	keep     int
	expected string
	newFn    func() verdictFunc
	// aggregate checks (null_fraction) report a fraction, not rows.
	fraction bool
}

func (r *rowChecker) spec() *Check    { return r.c }
func (r *rowChecker) reads() []string { return r.read }

func (r *rowChecker) start(*scanCtx) state {
	return &rowCheckState{ck: r, fn: r.newFn()}
}

type rowCheckState struct {
	ck *rowChecker
	fn verdictFunc
	rowState
	vs []byte
}

func (s *rowCheckState) add(b *batch) error {
	if cap(s.vs) < b.n {
		s.vs = make([]byte, b.n)
	}
	vs := s.vs[:b.n]
	if err := s.fn(b, vs); err != nil {
		return err
	}
	if s.ck.where >= 0 {
		for i, in := range b.wheres[s.ck.where].mask {
			if in == 0 {
				vs[i] = vExcluded
			}
		}
	}
	var g *groupState
	if s.ck.grouping >= 0 {
		g = &b.groups[s.ck.grouping]
	}
	s.count(b, vs, s.ck.nulls, s.ck.keep, g)
	if b.fail != nil {
		b.fail.note(s.ck.c, vs, s.ck.nulls)
	}
	return nil
}

func (s *rowCheckState) merge(o state) {
	s.rowState.merge(&o.(*rowCheckState).rowState, s.ck.keep)
}

// compileRow builds the checker of a row-level kind.
func (p *Plan) compileRow(c *Check, probs *Problems) checker {
	r := &rowChecker{c: c, nulls: c.Nulls, keep: p.env.Samples}
	if r.nulls == "" {
		r.nulls = NullsIgnore
	}
	n := len(*probs)
	r.where = p.where(c, probs)
	r.grouping = p.grouping(c, probs)
	col := func(name string) (dataset.Column, bool) { return p.column(c, "column", name, probs) }
	switch c.Kind {
	case KindNotNull, KindNullFraction:
		cc, ok := col(c.Column)
		if !ok {
			return nil
		}
		if c.Nulls == "" {
			r.nulls = NullsFail
		}
		r.cols, r.read = []string{cc.Name}, []string{cc.Name}
		r.expected = "not null"
		if c.Kind == KindNullFraction {
			r.fraction = true
			r.expected = "null fraction " + boundsText(c.Min, c.Max, false, false)
		}
		r.newFn = func() verdictFunc { return nullVerdict(cc.Name) }
	case KindBetween:
		cc, ok := col(c.Column)
		if !ok {
			return nil
		}
		dt := cc.Arrow()
		if !(isIntType(dt) || isFloatType(dt)) || cc.Type.Temporal() {
			probs.add(c.At("column"), "between needs a numeric column; %q is %s (for dates and times use a row rule, e.g. %s >= date(\"2026-01-01\"))", cc.Name, cc.Type, cc.Name)
			return nil
		}
		r.cols, r.read = []string{cc.Name}, []string{cc.Name}
		r.expected = "between " + boundsText(c.Min, c.Max, c.StrictMin, c.StrictMax)
		if _, exact := c.Ints["min"]; exact {
			r.expected = "between " + exactBoundsText(c)
		} else if _, exact := c.Ints["max"]; exact {
			r.expected = "between " + exactBoundsText(c)
		}
		r.newFn = func() verdictFunc { return betweenVerdict(c, cc.Name, dt) }
	case KindInSet, KindNotInSet:
		cc, ok := col(c.Column)
		if !ok {
			return nil
		}
		set, ok := p.valueSet(c, cc, probs)
		if !ok {
			return nil
		}
		want := c.Kind == KindInSet
		r.cols, r.read = []string{cc.Name}, []string{cc.Name}
		r.expected = fmt.Sprintf("in %s", valuesText(c.Values))
		if !want {
			r.expected = "not " + r.expected
		}
		r.newFn = func() verdictFunc { return setVerdict(cc.Name, set, want) }
	case KindRegex, KindNotRegex:
		cc, ok := col(c.Column)
		if !ok {
			return nil
		}
		if !isStringType(cc.Arrow()) {
			probs.add(c.At("column"), "%s needs a string column; %q is %s", c.Kind, cc.Name, cc.Type)
			return nil
		}
		match, err := expr.Matcher(c.Pattern)
		if err != nil {
			probs.add(c.At("pattern"), "bad pattern: %v", err)
			return nil
		}
		want := c.Kind == KindRegex
		r.cols, r.read = []string{cc.Name}, []string{cc.Name}
		r.expected = "matches /" + c.Pattern + "/"
		if !want {
			r.expected = "does not match /" + c.Pattern + "/"
		}
		r.newFn = func() verdictFunc { return matchVerdict(cc.Name, match, want) }
	case KindFormat:
		cc, ok := col(c.Column)
		if !ok {
			return nil
		}
		if !isStringType(cc.Arrow()) {
			probs.add(c.At("column"), "format needs a string column; %q is %s", cc.Name, cc.Type)
			return nil
		}
		fn := formatFunc(c.Format)
		if fn == nil {
			probs.add(c.At("format"), "unknown format %q (formats: %s)", c.Format, strings.Join(formatNames, ", "))
			return nil
		}
		r.cols, r.read = []string{cc.Name}, []string{cc.Name}
		r.expected = "a valid " + c.Format
		r.newFn = func() verdictFunc { return matchVerdict(cc.Name, fn, true) }
	case KindLength:
		cc, ok := col(c.Column)
		if !ok {
			return nil
		}
		if !isStringType(cc.Arrow()) {
			probs.add(c.At("column"), "length needs a string column; %q is %s", cc.Name, cc.Type)
			return nil
		}
		lo, hi := c.Min, c.Max
		if c.Equal != nil {
			lo, hi = c.Equal, c.Equal
		}
		r.cols, r.read = []string{cc.Name}, []string{cc.Name}
		r.expected = "length " + boundsText(lo, hi, false, false)
		r.newFn = func() verdictFunc { return lengthVerdict(cc.Name, lo, hi) }
	case KindRow:
		prog, err := expr.Compile(c.Expr, p.schema, expr.Now(p.env.Now))
		if err != nil {
			probs.addExpr(c.At("expr"), err)
			return nil
		}
		if prog.Type() != expr.Bool {
			probs.add(c.At("expr"), "a row rule must be a boolean expression; this one is %s", prog.Type())
			return nil
		}
		r.cols, r.read = prog.Columns(), prog.Columns()
		r.expected = oneLine(c.Expr)
		r.newFn = func() verdictFunc { return exprVerdict(prog) }
	case KindPair:
		ca, okA := p.column(c, "a", c.A, probs)
		cb, okB := p.column(c, "b", c.B, probs)
		if !okA || !okB {
			return nil
		}
		if _, err := pairComparer(ca, cb, c.Op); err != nil {
			probs.add(c.At("op"), "%v", err)
			return nil
		}
		r.cols, r.read = []string{ca.Name, cb.Name}, []string{ca.Name, cb.Name}
		r.expected = fmt.Sprintf("%s %s %s", ca.Name, c.Op, cb.Name)
		r.newFn = func() verdictFunc {
			cmp, _ := pairComparer(ca, cb, c.Op) // one per row group: it keeps scratch
			return cmp
		}
	case KindReference:
		cc, ok := col(c.Column)
		if !ok {
			return nil
		}
		ref := &referenceSet{check: c, col: cc}
		p.references = append(p.references, ref)
		r.cols, r.read = []string{cc.Name}, []string{cc.Name}
		refCol := c.RefColumn
		if refCol == "" {
			refCol = c.Column
		}
		r.expected = fmt.Sprintf("in %s of %s", refCol, c.Ref)
		r.newFn = func() verdictFunc { return referenceVerdict(cc.Name, ref) }
	default:
		panic("compileRow: " + c.Kind)
	}
	if len(*probs) > n {
		return nil
	}
	for _, k := range p.env.Keys {
		if !slices.Contains(r.cols, k) {
			r.cols = append(r.cols, k)
			r.read = append(r.read, k)
		}
	}
	return r
}

// nullVerdict: null values are vNull, others pass.
func nullVerdict(col string) verdictFunc {
	return func(b *batch, out []byte) error {
		a := b.col(col)
		if a.NullN() == 0 {
			clear(out)
			return nil
		}
		for i := range out {
			out[i] = vPass
			if a.IsNull(i) {
				out[i] = vNull
			}
		}
		return nil
	}
}

func betweenVerdict(c *Check, col string, dt arrow.DataType) verdictFunc {
	min, max, strictMin, strictMax := c.Min, c.Max, c.StrictMin, c.StrictMax
	if isIntType(dt) {
		lo, hi := intBounds(min, max, strictMin, strictMax)
		// Integer bounds written as integers are exact.
		if v, ok := c.Ints["min"]; ok {
			lo = v
			if strictMin {
				lo = v + 1
				if v == math.MaxInt64 {
					lo, hi = 1, 0 // nothing is above the largest int64
				}
			}
		}
		if v, ok := c.Ints["max"]; ok && !(lo == 1 && hi == 0) {
			hi = v
			if strictMax {
				hi = v - 1
				if v == math.MinInt64 {
					lo, hi = 1, 0
				}
			}
		}
		var buf []int64
		return func(b *batch, out []byte) error {
			a := b.col(col)
			buf = ints(a, buf)
			nulls := a.NullN() > 0
			for i, v := range buf {
				switch {
				case nulls && a.IsNull(i):
					out[i] = vNull
				case v >= lo && v <= hi:
					out[i] = vPass
				default:
					out[i] = vFail
				}
			}
			return nil
		}
	}
	lo, hi := math.Inf(-1), math.Inf(1)
	if min != nil {
		lo = *min
	}
	if max != nil {
		hi = *max
	}
	var buf []float64
	return func(b *batch, out []byte) error {
		a := b.col(col)
		buf = floats(a, buf)
		nulls := a.NullN() > 0
		for i, v := range buf {
			if nulls && a.IsNull(i) {
				out[i] = vNull
				continue
			}
			ok := (v > lo || !strictMin && v == lo) && (v < hi || !strictMax && v == hi)
			if ok {
				out[i] = vPass
			} else {
				out[i] = vFail // NaN fails every bound
			}
		}
		return nil
	}
}

// valueSet is the set of an in_set or not_in_set check: strings by hash,
// numbers by value.
type valueSet struct {
	strs   map[uint64][]string // by xxh3 hash: exact comparison on a hit
	ints   map[int64]bool      // integer columns: exact
	isInt  bool
	nums   map[float64]bool
	bools  [2]bool
	isBool bool
}

func (s *valueSet) hasBytes(b []byte) bool {
	for _, v := range s.strs[xxh3.Hash(b)] {
		if v == string(b) {
			return true
		}
	}
	return false
}

// valueSet types the check's values against the column: strings for
// string columns, numbers for numeric ones, booleans for booleans.
func (p *Plan) valueSet(c *Check, col dataset.Column, probs *Problems) (*valueSet, bool) {
	dt := col.Arrow()
	s := &valueSet{strs: map[uint64][]string{}, nums: map[float64]bool{}, ints: map[int64]bool{}, isInt: isIntType(dt)}
	ok := true
	for _, v := range c.Values {
		switch {
		case isStringType(dt):
			str, isStr := v.V.(string)
			if !isStr {
				// YAML types 007 as a number; the column holds text.
				str = fmt.Sprint(v.V)
			}
			h := xxh3.HashString(str)
			s.strs[h] = append(s.strs[h], str)
		case dt.ID() == arrow.BOOL:
			b, isBool := v.V.(bool)
			if !isBool {
				probs.add(v.Pos, "column %q is bool; %v is not a boolean", col.Name, v.V)
				ok = false
				continue
			}
			s.isBool = true
			if b {
				s.bools[1] = true
			} else {
				s.bools[0] = true
			}
		case (isIntType(dt) || isFloatType(dt)) && !col.Type.Temporal():
			switch n := v.V.(type) {
			case int64:
				s.nums[float64(n)] = true
				s.ints[n] = true
			case float64:
				s.nums[n] = true
				if n == math.Trunc(n) && n >= -twoTo63 && n < twoTo63 {
					s.ints[int64(n)] = true
				}
			default:
				probs.add(v.Pos, "column %q is %s; %q is not a number", col.Name, col.Type, fmt.Sprint(v.V))
				ok = false
			}
		default:
			probs.add(c.At("column"), "in_set is not supported for %s column %q; use a row rule", col.Type, col.Name)
			return nil, false
		}
	}
	if dt.ID() == arrow.BOOL {
		s.isBool = true
	}
	return s, ok
}

func setVerdict(col string, set *valueSet, want bool) verdictFunc {
	var buf []float64
	var ibuf []int64
	pass := func(in bool) byte {
		if in == want {
			return vPass
		}
		return vFail
	}
	return func(b *batch, out []byte) error {
		a := b.col(col)
		nulls := a.NullN() > 0
		switch {
		case isStringType(a.DataType()):
			bs := newByteStrings(a)
			for i := range out {
				if nulls && a.IsNull(i) {
					out[i] = vNull
					continue
				}
				out[i] = pass(set.hasBytes(bs.at(i)))
			}
		case set.isInt:
			vals := ints(a, ibuf)
			if _, own := a.(*array.Int64); !own {
				ibuf = vals
			}
			for i, v := range vals {
				if nulls && a.IsNull(i) {
					out[i] = vNull
					continue
				}
				out[i] = pass(set.ints[v])
			}
		case set.isBool:
			buf = floats(a, buf)
			for i, v := range buf {
				if nulls && a.IsNull(i) {
					out[i] = vNull
					continue
				}
				out[i] = pass(set.bools[int(v)])
			}
		default:
			buf = floats(a, buf)
			for i, v := range buf {
				if nulls && a.IsNull(i) {
					out[i] = vNull
					continue
				}
				out[i] = pass(set.nums[v])
			}
		}
		return nil
	}
}

// matchCacheSize bounds the per-worker memo of match results by value:
// columns with few distinct values (categories, codes) run each value's
// match once.
const matchCacheSize = 4096

// matchVerdict applies a byte-string predicate (a regular expression's
// search, a format) to a string column; want is the verdict that passes.
// Results are memoised per value while the memo pays: columns with few
// distinct values (categories, codes) run each value's match once; when
// most lookups miss, the memo is dropped.
func matchVerdict(col string, match func([]byte) bool, want bool) verdictFunc {
	cache := make(map[string]bool, 64)
	useCache := true
	var hits, misses int
	return func(b *batch, out []byte) error {
		a := b.col(col)
		nulls := a.NullN() > 0
		bs := newByteStrings(a)
		for i := range out {
			if nulls && a.IsNull(i) {
				out[i] = vNull
				continue
			}
			v := bs.at(i)
			var m bool
			if useCache {
				var ok bool
				if m, ok = cache[string(v)]; ok {
					hits++
				} else {
					misses++
					m = match(v)
					if len(cache) < matchCacheSize {
						cache[string(v)] = m
					} else if misses > 4*hits {
						useCache, cache = false, nil
					}
				}
			} else {
				m = match(v)
			}
			if m == want {
				out[i] = vPass
			} else {
				out[i] = vFail
			}
		}
		return nil
	}
}

func lengthVerdict(col string, min, max *float64) verdictFunc {
	lo, hi := math.Inf(-1), math.Inf(1)
	if min != nil {
		lo = *min
	}
	if max != nil {
		hi = *max
	}
	return func(b *batch, out []byte) error {
		a := b.col(col)
		nulls := a.NullN() > 0
		bs := newByteStrings(a)
		for i := range out {
			if nulls && a.IsNull(i) {
				out[i] = vNull
				continue
			}
			n := float64(runeCount(bs.at(i)))
			if n >= lo && n <= hi {
				out[i] = vPass
			} else {
				out[i] = vFail
			}
		}
		return nil
	}
}

// exprVerdict evaluates a boolean expression per row: true passes, false
// fails, null is vNull.
func exprVerdict(prog *expr.Program) verdictFunc {
	ev := prog.NewEvaluator()
	return func(b *batch, out []byte) error {
		if err := ev.EvalBool(b.rec, out); err != nil {
			return err
		}
		for i, v := range out {
			switch v {
			case 1:
				out[i] = vPass
			case 0:
				out[i] = vFail
			default:
				out[i] = vNull
			}
		}
		return nil
	}
}

// pairComparer compares two columns row by row: a row where exactly one
// side is null fails (as in Great Expectations); both null is vNull.
func pairComparer(a, b dataset.Column, op string) (verdictFunc, error) {
	var test func(c int) bool
	switch op {
	case ">":
		test = func(c int) bool { return c == 1 }
	case ">=":
		test = func(c int) bool { return c == 1 || c == 0 }
	case "<":
		test = func(c int) bool { return c == -1 }
	case "<=":
		test = func(c int) bool { return c == -1 || c == 0 }
	case "==":
		test = func(c int) bool { return c == 0 }
	case "!=":
		test = func(c int) bool { return c != 0 }
	default:
		return nil, fmt.Errorf("unknown operator %q (use > >= < <= == !=)", op)
	}
	da, db := a.Arrow(), b.Arrow()
	numeric := func(dt arrow.DataType, c dataset.Column) bool {
		return (isIntType(dt) || isFloatType(dt)) && !c.Type.Temporal()
	}
	// compare fills out[i] with the comparison of row i: -1, 0, 1, or 2
	// when unordered (NaN).
	var compare func(x, y arrow.Array, out []int8)
	switch {
	case numeric(da, a) && numeric(db, b) && isIntType(da) && isIntType(db):
		var bx, by []int64
		compare = func(x, y arrow.Array, out []int8) {
			bx, by = ints(x, bx), ints(y, by)
			for i := range out {
				out[i] = cmpOrdered(bx[i], by[i])
			}
		}
	case numeric(da, a) && numeric(db, b), da.ID() == arrow.BOOL && db.ID() == arrow.BOOL && (op == "==" || op == "!="):
		var bx, by []float64
		compare = func(x, y arrow.Array, out []int8) {
			bx, by = floats(x, bx), floats(y, by)
			for i := range out {
				out[i] = cmpOrdered(bx[i], by[i])
			}
		}
	case a.Type.Temporal() && b.Type.Temporal():
		ua, ub := unitNanos(a.Type), unitNanos(b.Type)
		var bx, by []int64
		compare = func(x, y arrow.Array, out []int8) {
			bx, by = ints(x, bx), ints(y, by)
			for i := range out {
				out[i] = cmpOrdered(bx[i]*ua, by[i]*ub)
			}
		}
	case isStringType(da) && isStringType(db):
		compare = func(x, y arrow.Array, out []int8) {
			sx, sy := newByteStrings(x), newByteStrings(y)
			for i := range out {
				out[i] = int8(bytes.Compare(sx.at(i), sy.at(i)))
			}
		}
	default:
		return nil, fmt.Errorf("cannot compare %s column %q with %s column %q", a.Type, a.Name, b.Type, b.Name)
	}
	var cs []int8
	return func(bt *batch, out []byte) error {
		x, y := bt.col(a.Name), bt.col(b.Name)
		cs = slices.Grow(cs[:0], len(out))[:len(out)]
		compare(x, y, cs)
		for i, c := range cs {
			nx, ny := x.IsNull(i), y.IsNull(i)
			switch {
			case nx && ny:
				out[i] = vNull
			case nx || ny:
				out[i] = vFail
			case test(int(c)):
				out[i] = vPass
			default:
				out[i] = vFail
			}
		}
		return nil
	}, nil
}

func cmpOrdered[T int64 | float64](a, b T) int8 {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	case a == b:
		return 0
	}
	return 2 // NaN: no order, fails every comparison but !=
}

// unitNanos is the nanoseconds of a temporal type's unit.
func unitNanos(t dataset.Type) int64 {
	switch t {
	case dataset.Date:
		return 86400e9
	case dataset.TimestampMS:
		return 1e6
	case dataset.TimestampUS:
		return 1e3
	}
	return 1
}

// boundsText renders bounds for messages: "between 0 and 120", "≥ 0".
func boundsText(min, max *float64, strictMin, strictMax bool) string {
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	lo, hi := "≥", "≤"
	if strictMin {
		lo = ">"
	}
	if strictMax {
		hi = "<"
	}
	switch {
	case min != nil && max != nil:
		if *min == *max && !strictMin && !strictMax {
			return "= " + f(*min)
		}
		return fmt.Sprintf("%s %s and %s %s", lo, f(*min), hi, f(*max))
	case min != nil:
		return lo + " " + f(*min)
	case max != nil:
		return hi + " " + f(*max)
	}
	return "any"
}

// exactBoundsText renders bounds with integers written exactly.
func exactBoundsText(c *Check) string {
	f := func(key string, v *float64) string {
		if i, ok := c.Ints[key]; ok {
			return strconv.FormatInt(i, 10)
		}
		return strconv.FormatFloat(*v, 'g', -1, 64)
	}
	lo, hi := "≥", "≤"
	if c.StrictMin {
		lo = ">"
	}
	if c.StrictMax {
		hi = "<"
	}
	switch {
	case c.Min != nil && c.Max != nil:
		return fmt.Sprintf("%s %s and %s %s", lo, f("min", c.Min), hi, f("max", c.Max))
	case c.Min != nil:
		return lo + " " + f("min", c.Min)
	case c.Max != nil:
		return hi + " " + f("max", c.Max)
	}
	return "any"
}

func valuesText(vs []Value) string {
	parts := make([]string, 0, len(vs))
	for i, v := range vs {
		if i == 10 {
			parts = append(parts, fmt.Sprintf("… %d more", len(vs)-10))
			break
		}
		if s, ok := v.V.(string); ok {
			parts = append(parts, strconv.Quote(s))
		} else {
			parts = append(parts, fmt.Sprint(v.V))
		}
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// rowResult fills a row check's result from its merged state.
func (r *rowChecker) result(ctx context.Context, st state, run *runner) (*Result, error) {
	s := st.(*rowCheckState)
	res := run.newResult(r.c)
	res.Column = r.c.Column
	res.Expected = r.expected
	if r.fraction {
		run.fractionResult(res, r.c, &s.all)
		for _, k := range s.groupKeys() {
			g := s.groups[k]
			gr := run.groupFraction(r.c, run.plan.groupings[r.grouping].cols, k, g)
			if gr != nil {
				res.Groups = append(res.Groups, gr)
			}
		}
		res.FailingGroups = len(res.Groups)
		if res.FailingGroups > 0 {
			res.Success = false
		}
		return res, nil
	}
	run.tallyResult(res, r.c, r.nulls, &s.all)
	if err := run.attachSamples(ctx, res, r.cols, s.all.samples, r.c); err != nil {
		return nil, err
	}
	if r.grouping >= 0 {
		cols := run.plan.groupings[r.grouping].cols
		for _, k := range s.groupKeys() {
			g := s.groups[k]
			gr := run.groupTally(r.c, r.nulls, cols, k, g)
			if gr.Success {
				continue
			}
			if err := run.attachGroupSamples(ctx, gr, r.cols, g.samples); err != nil {
				return nil, err
			}
			res.Groups = append(res.Groups, gr)
		}
		res.FailingGroups = len(res.Groups)
		if res.FailingGroups > 0 {
			res.Success = false
		}
	}
	return res, nil
}
