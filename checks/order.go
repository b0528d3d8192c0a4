package checks

import (
	"bytes"
	"context"
	"slices"
)

// orderChecker is an increasing or decreasing check: each non-null value
// is compared with the previous non-null value in row order (Great
// Expectations' semantics); strict forbids equal neighbours. Row groups
// are checked in parallel and the boundaries between them when their
// states merge in row order.
type orderChecker struct {
	c        *Check
	col      string
	cols     []string
	kind     ordKind
	dec      bool
	strict   bool
	where    int
	grouping int
	keep     int
	nulls    Nulls
}

type ordKind int

const (
	ordInt ordKind = iota
	ordFloat
	ordBytes
)

// ordVal is a value of an ordered column.
type ordVal struct {
	i   int64
	f   float64
	b   []byte
	row int64
}

func (o *orderChecker) less(a, b *ordVal) int {
	switch o.kind {
	case ordInt:
		return cmpInt(a.i, b.i)
	case ordFloat:
		switch {
		case a.f < b.f:
			return -1
		case a.f > b.f:
			return 1
		case a.f == b.f:
			return 0
		}
		return 2
	}
	return bytes.Compare(a.b, b.b)
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// ok reports whether cur may follow prev.
func (o *orderChecker) ok(prev, cur *ordVal) bool {
	c := o.less(prev, cur)
	if c == 2 {
		return false // NaN breaks order
	}
	if !o.dec {
		c = -c // increasing: prev < cur
	}
	return c > 0 || c == 0 && !o.strict
}

func (o *orderChecker) spec() *Check         { return o.c }
func (o *orderChecker) reads() []string      { return o.cols }
func (o *orderChecker) start(*scanCtx) state { return &orderState{ck: o, all: &ordRun{}} }

func (p *Plan) compileOrder(c *Check, probs *Problems) checker {
	n := len(*probs)
	col, ok := p.column(c, "column", c.Column, probs)
	where, grouping := p.where(c, probs), p.grouping(c, probs)
	if !ok || len(*probs) > n {
		return nil
	}
	o := &orderChecker{c: c, col: col.Name, dec: c.Kind == KindDecreasing, strict: c.Strict, where: where, grouping: grouping, keep: p.env.Samples, nulls: c.Nulls}
	if o.nulls == "" {
		o.nulls = NullsIgnore
	}
	dt := col.Arrow()
	switch {
	case isIntType(dt):
		o.kind = ordInt
	case isFloatType(dt):
		o.kind = ordFloat
	case isStringType(dt):
		o.kind = ordBytes
	default:
		probs.add(c.At("column"), "%s needs an ordered column (numbers, dates, times, strings); %q is %s", c.Kind, col.Name, col.Type)
		return nil
	}
	o.cols = []string{col.Name}
	for _, k := range p.env.Keys {
		if !slices.Contains(o.cols, k) {
			o.cols = append(o.cols, k)
		}
	}
	return o
}

// ordRun is the order state of some rows: the tally, and the first and
// last non-null values. Within a batch their bytes may point into the
// batch (dirty); the batch's end copies them.
type ordRun struct {
	t           tally
	first, last *ordVal
	dirty       bool
}

type orderState struct {
	ck     *orderChecker
	all    *ordRun
	groups map[string]*ordRun
	ints   []int64
	flts   []float64
	dirty  []*ordRun
}

func (s *orderState) group(k string) *ordRun {
	if s.groups == nil {
		s.groups = map[string]*ordRun{}
	}
	g := s.groups[k]
	if g == nil {
		g = &ordRun{}
		s.groups[k] = g
	}
	return g
}

func (s *orderState) add(b *batch) error {
	o := s.ck
	a := b.col(o.col)
	var bs byteStrings
	switch o.kind {
	case ordInt:
		s.ints = ints(a, s.ints)
	case ordFloat:
		s.flts = floats(a, s.flts)
	default:
		bs = newByteStrings(a)
	}
	var mask []byte
	if o.where >= 0 {
		mask = b.wheres[o.where].mask
	}
	var g *groupState
	if o.grouping >= 0 {
		g = &b.groups[o.grouping]
	}
	var cur ordVal
	var two [2]*ordRun
	for i := range b.n {
		if mask != nil && mask[i] == 0 {
			continue
		}
		runs := append(two[:0], s.all)
		if g != nil {
			runs = append(runs, s.group(g.keys[g.ids[i]]))
		}
		row := b.row0 + int64(i)
		if a.IsNull(i) {
			for _, r := range runs {
				r.t.add(vNull, row, o.nulls, o.keep)
			}
			continue
		}
		cur = ordVal{row: row}
		switch o.kind {
		case ordInt:
			cur.i = s.ints[i]
		case ordFloat:
			cur.f = s.flts[i]
		default:
			cur.b = bs.at(i)
		}
		for _, r := range runs {
			v := vPass
			if r.last != nil && !o.ok(r.last, &cur) {
				v = vFail
			}
			r.t.add(v, row, NullsIgnore, o.keep)
			if !r.dirty {
				r.dirty = true
				s.dirty = append(s.dirty, r)
			}
			r.keep(&cur)
		}
	}
	// The batch's memory is reused: copy the kept byte strings out.
	for _, r := range s.dirty {
		r.first.b = bytes.Clone(r.first.b)
		r.last.b = bytes.Clone(r.last.b)
		r.dirty = false
	}
	s.dirty = s.dirty[:0]
	return nil
}

// keep records cur as the last value (and the first, if none).
func (r *ordRun) keep(cur *ordVal) {
	if r.first == nil {
		r.first = &ordVal{}
		*r.first = *cur
	}
	if r.last == nil {
		r.last = &ordVal{}
	}
	*r.last = *cur
}

// join adds o, the run of later rows, checking the boundary: o's first
// value against r's last.
func (ck *orderChecker) join(r, o *ordRun) {
	if r.last != nil && o.first != nil && !ck.ok(r.last, o.first) {
		o.t.unexpected++
		o.t.samples = slices.Insert(o.t.samples, 0, o.first.row)
		if len(o.t.samples) > ck.keep {
			o.t.samples = o.t.samples[:ck.keep]
		}
	}
	r.t.merge(&o.t, ck.keep)
	if r.first == nil {
		r.first = o.first
	}
	if o.last != nil {
		r.last = o.last
	}
}

func (s *orderState) merge(st state) {
	o := st.(*orderState)
	s.ck.join(s.all, o.all)
	for k, g := range o.groups {
		s.ck.join(s.group(k), g)
	}
}

func (o *orderChecker) result(ctx context.Context, st state, r *runner) (*Result, error) {
	s := st.(*orderState)
	res := r.newResult(o.c)
	res.Expected = "each value ≥ the previous one"
	switch {
	case o.dec && o.strict:
		res.Expected = "each value < the previous one"
	case o.dec:
		res.Expected = "each value ≤ the previous one"
	case o.strict:
		res.Expected = "each value > the previous one"
	}
	r.tallyResult(res, o.c, o.nulls, &s.all.t)
	if err := r.attachSamples(ctx, res, o.cols, s.all.t.samples, o.c); err != nil {
		return nil, err
	}
	if o.grouping >= 0 {
		cols := r.plan.groupings[o.grouping].cols
		keys := make([]string, 0, len(s.groups))
		for k := range s.groups {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			g := r.groupTally(o.c, o.nulls, cols, k, &s.groups[k].t)
			if !g.Success {
				if err := r.attachGroupSamples(ctx, g, o.cols, s.groups[k].t.samples); err != nil {
					return nil, err
				}
				res.Groups = append(res.Groups, g)
			}
		}
		res.FailingGroups = len(res.Groups)
		if res.FailingGroups > 0 {
			res.Success = false
		}
	}
	return res, nil
}
