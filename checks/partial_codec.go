package checks

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/assayhq/assay/dataset/profile"
)

// The binary form of a Partial: the magic "ASCP", a format byte, then
// varints, little-endian float64s (bit-exact) and length-prefixed byte
// strings:
//
//	plan signature (8 bytes), first and end row group, the source's row
//	groups and rows
//	each checker's state, in plan order
//	the aggregate states: moments and sketches, distinct counters, then
//	the per-row-group moments and sketches not yet folded
//
// Maps are written in sorted key order and key sets sorted by key, their
// keys delta-coded, so that equal states encode alike.
const (
	partialMagic   = "ASCP"
	partialVersion = 1
)

// ErrBadPartial means bytes could not be decoded as a partial of the plan.
var ErrBadPartial = errors.New("checks: bad partial")

// MarshalBinary encodes the partial, for DecodePartial on another machine.
func (q *Partial) MarshalBinary() ([]byte, error) {
	if q.used {
		return nil, errors.New("checks: encode of a partial already merged or finished")
	}
	e := &encoder{b: append([]byte(partialMagic), partialVersion)}
	e.b = binary.LittleEndian.AppendUint64(e.b, q.plan.signature())
	e.uvarint(uint64(q.lo))
	e.uvarint(uint64(q.hi))
	e.uvarint(uint64(q.groups))
	e.varint(q.rows)
	e.uvarint(uint64(len(q.states)))
	for _, st := range q.states {
		st.encode(e)
	}
	q.metrics.encodeValues(e)
	ms := q.plan.metrics
	for _, k := range ms.distinctKeys() {
		q.metrics.dist[k].encode(e)
	}
	e.uvarint(uint64(len(q.pending)))
	for _, m := range q.pending {
		m.encodeValues(e)
	}
	if e.err != nil {
		return nil, e.err
	}
	return e.b, nil
}

// DecodePartial decodes a partial written by MarshalBinary under a plan
// compiled from the same rule file, schema and Env (samples, key
// columns). Damaged input, or a partial of another plan, is an error
// wrapping ErrBadPartial, never a panic.
func (p *Plan) DecodePartial(b []byte) (*Partial, error) {
	if len(b) < len(partialMagic)+1 || string(b[:len(partialMagic)]) != partialMagic {
		return nil, fmt.Errorf("%w: not a partial", ErrBadPartial)
	}
	if v := b[len(partialMagic)]; v != partialVersion {
		return nil, fmt.Errorf("%w: format %d, this assay reads %d", ErrBadPartial, v, partialVersion)
	}
	d := &decoder{b: b[len(partialMagic)+1:]}
	if d.u64() != p.signature() {
		return nil, fmt.Errorf("%w: the partial is of another plan (rule file, schema, samples or key columns differ)", ErrBadPartial)
	}
	q := &Partial{plan: p}
	q.lo, q.hi, q.groups = d.int(), d.int(), d.int()
	q.rows = d.varint()
	d.rows = q.rows
	switch {
	case d.err != nil:
	case q.rows < 0 || q.lo > q.hi || q.hi > q.groups:
		d.fail("row group range")
	case q.lo == q.hi && q.groups != 0:
		d.fail("empty partial")
	}
	if n := d.int(); d.err == nil && n != len(p.checkers) {
		d.fail("state count")
	}
	for _, ck := range p.checkers {
		if d.err != nil {
			break
		}
		q.states = append(q.states, ck.decodeState(d))
	}
	ms := p.metrics
	q.metrics = ms.decodeValues(d)
	for _, k := range ms.distinctKeys() {
		if d.err != nil {
			break
		}
		q.metrics.dist[k] = ms.distinct[k].decode(d)
	}
	n := d.count(2)
	for range n {
		if d.err != nil {
			break
		}
		m := ms.decodeValues(d)
		if m.empty() {
			d.fail("empty row group aggregates")
		}
		q.pending = append(q.pending, m)
	}
	if d.err == nil {
		switch {
		case q.lo == 0 && len(q.pending) > 0:
			d.fail("unfolded aggregates from the first row group")
		case q.lo > 0 && !q.metrics.empty():
			d.fail("folded aggregates after the first row group")
		case len(q.pending) > q.hi-q.lo:
			d.fail("more row group aggregates than row groups")
		case len(d.b) != 0:
			d.fail("trailing bytes")
		}
	}
	if d.err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadPartial, d.err)
	}
	return q, nil
}

// encoder appends the binary form; the first problem sticks in err.
type encoder struct {
	b   []byte
	err error
}

func (e *encoder) uvarint(v uint64) { e.b = binary.AppendUvarint(e.b, v) }
func (e *encoder) varint(v int64)   { e.b = binary.AppendVarint(e.b, v) }
func (e *encoder) f64(v float64)    { e.b = binary.LittleEndian.AppendUint64(e.b, math.Float64bits(v)) }
func (e *encoder) str(s string)     { e.uvarint(uint64(len(s))); e.b = append(e.b, s...) }
func (e *encoder) bytes(b []byte)   { e.uvarint(uint64(len(b))); e.b = append(e.b, b...) }
func (e *encoder) bool(v bool) {
	if v {
		e.b = append(e.b, 1)
	} else {
		e.b = append(e.b, 0)
	}
}

// decoder reads the binary form with bounds checks; the first problem
// sticks in err and every later read returns zero values.
type decoder struct {
	b    []byte
	err  error
	rows int64 // the source's rows: row numbers are below
}

func (d *decoder) fail(what string) {
	if d.err == nil {
		d.err = fmt.Errorf("bad %s", what)
	}
	d.b = nil
}

func (d *decoder) uvarint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail("varint")
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) varint() int64 {
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.fail("varint")
		return 0
	}
	d.b = d.b[n:]
	return v
}

// int reads a non-negative int.
func (d *decoder) int() int {
	v := d.uvarint()
	if v > math.MaxInt32 {
		d.fail("number")
		return 0
	}
	return int(v)
}

// nonneg reads a non-negative int64.
func (d *decoder) nonneg() int64 {
	v := d.varint()
	if v < 0 {
		d.fail("count")
		return 0
	}
	return v
}

// count reads a length whose items take at least size bytes each, and
// rejects lengths the remaining input cannot hold.
func (d *decoder) count(size int) int {
	v := d.uvarint()
	if v > uint64(len(d.b)/size) {
		d.fail("length")
		return 0
	}
	return int(v)
}

func (d *decoder) take(n int) []byte {
	if n < 0 || n > len(d.b) {
		d.fail("bytes")
		return nil
	}
	b := d.b[:n:n]
	d.b = d.b[n:]
	return b
}

func (d *decoder) u64() uint64 {
	b := d.take(8)
	if b == nil {
		return 0
	}
	return binary.LittleEndian.Uint64(b)
}

func (d *decoder) f64() float64 { return math.Float64frombits(d.u64()) }

func (d *decoder) bool() bool {
	b := d.take(1)
	if b == nil {
		return false
	}
	if b[0] > 1 {
		d.fail("boolean")
	}
	return b[0] == 1
}

// bytes reads a length-prefixed byte string (a copy).
func (d *decoder) bytes() []byte { return slices.Clone(d.take(d.count(1))) }
func (d *decoder) str() string   { return string(d.take(d.count(1))) }

// row reads a row number of the source.
func (d *decoder) row() int64 {
	v := d.varint()
	if v < 0 || v >= d.rows {
		d.fail("row number")
		return 0
	}
	return v
}

// sortedKeys returns a map's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Tallies: counts, then the sample rows.

func (t *tally) encode(e *encoder) {
	e.varint(t.elements)
	e.varint(t.missing)
	e.varint(t.unexpected)
	e.uvarint(uint64(len(t.samples)))
	for _, r := range t.samples {
		e.varint(r)
	}
}

// tally reads a tally of at most keep samples.
func (d *decoder) tally(keep int) tally {
	t := tally{elements: d.nonneg(), missing: d.nonneg(), unexpected: d.nonneg()}
	n := d.count(1)
	if n > keep {
		d.fail("sample count")
		return t
	}
	for range n {
		t.samples = append(t.samples, d.row())
	}
	return t
}

func encodeTallies(e *encoder, m map[string]*tally) {
	e.uvarint(uint64(len(m)))
	for _, k := range sortedKeys(m) {
		e.str(k)
		m[k].encode(e)
	}
}

// tallies reads group tallies (nil for none).
func (d *decoder) tallies(keep int) map[string]*tally {
	n := d.count(4)
	if n == 0 {
		return nil
	}
	m := make(map[string]*tally, n)
	for range n {
		if d.err != nil {
			break
		}
		k := d.str()
		t := d.tally(keep)
		if _, dup := m[k]; dup {
			d.fail("group keys")
		}
		m[k] = &t
	}
	return m
}

// Row checks: the tally in all and per group.

func (s *rowCheckState) encode(e *encoder) {
	s.all.encode(e)
	encodeTallies(e, s.groups)
}

// decodeState returns a state to merge and finish; it takes no rows (its
// verdict function is not made).
func (r *rowChecker) decodeState(d *decoder) state {
	s := &rowCheckState{ck: r}
	s.all = d.tally(r.keep)
	s.groups = d.tallies(r.keep)
	return s
}

// Aggregate checks keep nothing.

func (noState) encode(*encoder) {}

func (a *aggChecker) decodeState(*decoder) state { return noState{} }

// Order checks: per run (all rows, each group), the tally and the first
// and last non-null values.

func (s *orderState) encode(e *encoder) {
	s.ck.encodeRun(e, s.all)
	e.uvarint(uint64(len(s.groups)))
	for _, k := range sortedKeys(s.groups) {
		e.str(k)
		s.ck.encodeRun(e, s.groups[k])
	}
}

func (o *orderChecker) encodeRun(e *encoder, r *ordRun) {
	r.t.encode(e)
	e.bool(r.first != nil)
	if r.first != nil {
		o.encodeVal(e, r.first)
		o.encodeVal(e, r.last)
	}
}

func (o *orderChecker) encodeVal(e *encoder, v *ordVal) {
	e.varint(v.row)
	switch o.kind {
	case ordInt:
		e.varint(v.i)
	case ordFloat:
		e.f64(v.f)
	default:
		e.bytes(v.b)
	}
}

func (o *orderChecker) decodeRun(d *decoder) *ordRun {
	r := &ordRun{t: d.tally(o.keep)}
	if d.bool() {
		r.first, r.last = o.decodeVal(d), o.decodeVal(d)
	}
	return r
}

func (o *orderChecker) decodeVal(d *decoder) *ordVal {
	v := &ordVal{row: d.row()}
	switch o.kind {
	case ordInt:
		v.i = d.varint()
	case ordFloat:
		v.f = d.f64()
	default:
		v.b = d.bytes()
	}
	return v
}

func (o *orderChecker) decodeState(d *decoder) state {
	s := &orderState{ck: o, all: o.decodeRun(d)}
	n := d.count(4)
	for range n {
		if d.err != nil {
			break
		}
		k := d.str()
		if s.groups[k] != nil {
			d.fail("group keys")
		}
		s.group(k)
		s.groups[k] = o.decodeRun(d)
	}
	return s
}

// Unique checks and distinct counters: row tallies, integer runs, and the
// key sets.

func (s *uniqueState) encode(e *encoder) { s.keyState.encode(e) }

func (u *uniqueChecker) decodeState(d *decoder) state { return &uniqueState{u.kc.decode(d)} }

func (s *keyState) encode(e *encoder) {
	s.all.encode(e)
	encodeTallies(e, s.groups)
	e.uvarint(uint64(len(s.runs)))
	for _, r := range s.runs {
		e.varint(r.lo)
		e.varint(r.hi)
		e.varint(r.n)
	}
	e.uvarint(uint64(len(s.ks.sets)))
	for _, g := range sortedKeys(s.ks.sets) {
		e.str(g)
		s.ks.sets[g].encode(e)
	}
}

func (k *keyCounter) decode(d *decoder) *keyState {
	s := k.start(newKeySets(0))
	s.all = d.tally(0)
	s.groups = d.tallies(0)
	n := d.count(3)
	for range n {
		r := keyRun{lo: d.varint(), hi: d.varint(), n: d.nonneg()}
		if r.lo > r.hi || !k.intKey {
			d.fail("key run")
		}
		s.runs = append(s.runs, r)
	}
	n = d.count(2)
	for range n {
		if d.err != nil {
			break
		}
		g := d.str()
		if s.ks.sets[g] != nil {
			d.fail("group keys")
		}
		s.ks.sets[g] = d.exactSet()
	}
	return s
}

// encode writes the keys sorted, each as the difference from the previous
// key's lo, its hi and its count.
// A key set is written in its table's order, not sorted: sorting ten
// million keys cost seconds, where the table's order costs nothing. The
// decoder refuses a key written twice.
func (s *exactSet) encode(e *encoder) {
	e.b = slices.Grow(e.b, 10+s.size()*14) // a key, its hi and count
	e.uvarint(uint64(s.size()))
	s.each(func(k key, c uint32) {
		e.b = binary.LittleEndian.AppendUint64(e.b, k.lo)
		e.uvarint(uint64(k.hi))
		e.uvarint(uint64(c))
	})
}

func (d *decoder) exactSet() *exactSet {
	s := newExactSet()
	n := d.count(10)
	if n >= 1<<16 {
		s.reserve(n)
	}
	for range n {
		lo := d.u64()
		hi, c := d.uvarint(), d.uvarint()
		if d.err != nil {
			break
		}
		if hi > math.MaxUint32 || c == 0 || c > math.MaxUint32 {
			d.fail("key count")
			break
		}
		k := key{lo: lo, hi: uint32(hi)}
		h := slotHash(k)
		if !s.parts[h>>56].add(k, h, uint32(c)) {
			d.fail("key repeated")
			break
		}
	}
	return s
}

// Label conflicts: the tallies, then the collected rows joined (a state
// and the parts merged into it, as one): row numbers, label codes, the
// label dictionary, group ids and keys, and each feature's values.

func (s *conflictState) encode(e *encoder) {
	s.all.encode(e)
	encodeTallies(e, s.groups)
	// The classes in sorted order (codes depend on the order of merges;
	// results do not), so that equal states encode alike.
	dict := &s.dict
	_, remap := dict.sorted()
	byRank := make([]int, len(remap))
	for c, k := range remap {
		byRank[k] = c
	}
	keys := make([]string, len(dict.names))
	for k, c := range dict.index {
		keys[c] = k
	}
	e.uvarint(uint64(len(dict.names)))
	for _, c := range byRank {
		e.str(dict.names[c])
		if !dict.text {
			e.str(keys[c])
			e.f64(dict.order[c])
		}
	}
	parts := append([]*conflictState{s}, s.parts...)
	n := 0
	for _, p := range parts {
		n += len(p.rows)
	}
	e.uvarint(uint64(n))
	prev := int64(-1)
	for _, p := range parts {
		for _, r := range p.rows {
			e.varint(r - prev)
			prev = r
		}
	}
	for _, p := range parts {
		for _, c := range p.codes {
			if p.codeMap != nil {
				c = p.codeMap[c]
			}
			e.uvarint(uint64(remap[c]))
		}
	}
	if s.ck.grouping >= 0 {
		e.uvarint(uint64(len(s.gkeys)))
		for _, k := range s.gkeys {
			e.str(k)
		}
		for _, p := range parts {
			for _, g := range p.gids {
				if p.gidMap != nil {
					g = p.gidMap[g]
				}
				e.uvarint(uint64(g))
			}
		}
	}
	for f := range s.ck.features {
		for _, p := range parts {
			for _, v := range p.feats[f].valid {
				e.bool(v)
			}
		}
		if s.feats[f].numeric {
			for _, p := range parts {
				for _, v := range p.feats[f].num {
					e.f64(v)
				}
			}
			continue
		}
		for _, p := range parts {
			start := 0
			for _, end := range p.feats[f].ends {
				e.uvarint(uint64(end - start))
				start = end
			}
		}
		for _, p := range parts {
			e.b = append(e.b, p.feats[f].text...)
		}
	}
}

func (ck *conflictChecker) decodeState(d *decoder) state {
	s := ck.start(nil).(*conflictState)
	s.all = d.tally(0)
	s.groups = d.tallies(0)
	if ck.grouping >= 0 {
		s.gindex = map[string]int32{}
		if s.groups == nil {
			s.groups = map[string]*tally{}
		}
	}
	classes := d.count(1)
	for range classes {
		if d.err != nil {
			break
		}
		name, key, order := d.str(), "", 0.0
		if s.dict.text {
			key = name
		} else {
			key, order = d.str(), d.f64()
			if len(key) != 8 {
				d.fail("label key")
			}
		}
		if _, dup := s.dict.index[key]; dup {
			d.fail("label classes")
		}
		s.dict.add(key, name, order)
	}
	n := d.count(2)
	prev := int64(-1)
	for range n {
		delta := d.varint()
		if delta <= 0 || prev+delta >= d.rows {
			d.fail("row numbers")
			break
		}
		prev += delta
		s.rows = append(s.rows, prev)
	}
	for range n {
		c := d.uvarint()
		if c >= uint64(len(s.dict.names)) {
			d.fail("label code")
			break
		}
		s.codes = append(s.codes, int32(c))
	}
	if ck.grouping >= 0 {
		groups := d.count(1)
		for range groups {
			if d.err != nil {
				break
			}
			k := d.str()
			if _, dup := s.gindex[k]; dup {
				d.fail("group keys")
			}
			s.groupID(k)
		}
		for range n {
			g := d.uvarint()
			if g >= uint64(len(s.gkeys)) {
				d.fail("group id")
				break
			}
			s.gids = append(s.gids, int32(g))
		}
	}
	for f := range ck.features {
		fv := &s.feats[f]
		if n > len(d.b) {
			d.fail("feature values")
			break
		}
		for range n {
			fv.valid = append(fv.valid, d.bool())
		}
		if fv.numeric {
			if 8*n > len(d.b) {
				d.fail("feature values")
				break
			}
			for range n {
				fv.num = append(fv.num, d.f64())
			}
			continue
		}
		end := 0
		for range n {
			l := d.uvarint()
			if l > uint64(len(d.b)) {
				d.fail("feature text")
				break
			}
			end += int(l)
			fv.ends = append(fv.ends, end)
		}
		fv.text = slices.Clone(d.take(end))
	}
	return s
}

// Aggregates: moments and sketches by the index of their analyzer in the
// plan, then group; distinct counters in distinctKeys order.

func (st *metricStates) encodeValues(e *encoder) {
	ms := st.ms
	var moms, quants []int
	for i, k := range ms.moments {
		if _, ok := st.mom[k]; ok {
			moms = append(moms, i)
		}
	}
	for i, k := range ms.quantiles {
		if _, ok := st.quant[k]; ok {
			quants = append(quants, i)
		}
	}
	if len(moms) != len(st.mom) || len(quants) != len(st.quant) {
		e.err = errors.New("checks: aggregate states of another plan")
		return
	}
	e.uvarint(uint64(len(moms)))
	for _, i := range moms {
		groups := st.mom[ms.moments[i]]
		e.uvarint(uint64(i))
		e.uvarint(uint64(len(groups)))
		for _, g := range sortedKeys(groups) {
			e.str(g)
			groups[g].encode(e)
		}
	}
	e.uvarint(uint64(len(quants)))
	for _, i := range quants {
		groups := st.quant[ms.quantiles[i]]
		e.uvarint(uint64(i))
		e.uvarint(uint64(len(groups)))
		for _, g := range sortedKeys(groups) {
			e.str(g)
			b, err := groups[g].AppendBinary(nil)
			if err != nil && e.err == nil {
				e.err = err
			}
			e.bytes(b)
		}
	}
}

func (ms *metricSet) decodeValues(d *decoder) *metricStates {
	st := ms.newMetricStates()
	n := d.count(2)
	for range n {
		i := d.int()
		if d.err != nil || i >= len(ms.moments) || st.mom[ms.moments[i]] != nil {
			d.fail("moments")
			break
		}
		groups := map[string]*moments{}
		st.mom[ms.moments[i]] = groups
		for range d.count(1) {
			if d.err != nil {
				break
			}
			g := d.str()
			if groups[g] != nil {
				d.fail("group keys")
			}
			groups[g] = d.moments()
		}
	}
	n = d.count(2)
	for range n {
		i := d.int()
		if d.err != nil || i >= len(ms.quantiles) || st.quant[ms.quantiles[i]] != nil {
			d.fail("sketches")
			break
		}
		groups := map[string]*profile.QuantileSketch{}
		st.quant[ms.quantiles[i]] = groups
		for range d.count(1) {
			if d.err != nil {
				break
			}
			g := d.str()
			if groups[g] != nil {
				d.fail("group keys")
			}
			q := &profile.QuantileSketch{}
			if err := q.UnmarshalBinary(d.take(d.count(1))); err != nil {
				d.fail("quantile sketch")
			}
			groups[g] = q
		}
	}
	return st
}

func (m *moments) encode(e *encoder) {
	for _, v := range []int64{m.rows, m.nulls, m.n, m.nan, m.isum} {
		e.varint(v)
	}
	e.bool(m.iover)
	e.bool(m.hasMin)
	for _, v := range []float64{m.mean, m.m2, m.sum, m.min, m.max} {
		e.f64(v)
	}
}

func (d *decoder) moments() *moments {
	m := &moments{rows: d.nonneg(), nulls: d.nonneg(), n: d.nonneg(), nan: d.nonneg(), isum: d.varint()}
	m.iover, m.hasMin = d.bool(), d.bool()
	m.mean, m.m2, m.sum, m.min, m.max = d.f64(), d.f64(), d.f64(), d.f64(), d.f64()
	return m
}
