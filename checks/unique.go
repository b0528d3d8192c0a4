package checks

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/zeebo/xxh3"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/dataset/profile"
)

// keyCounter counts the distinct keys of one or more columns exactly, over
// all row groups of a scan, per group when grouped. It serves unique
// checks and the distinct and unique_fraction metrics. The counter is the
// plan's, fixed at compile time; the keys it counts are in keySets, one
// per scan.
//
// A single integer column has a fast path: runs of strictly increasing
// values (sequential ids) are kept as [lo, hi] intervals instead of being
// hashed. If intervals overlap each other or any hashed value, the run
// cannot tell duplicates apart, and the counter recounts with a second
// scan that hashes everything.
type keyCounter struct {
	cols     []string
	intKey   bool // a single integer column: keys are the values
	where    int
	grouping int
}

// keySets are the keys a keyCounter counted in one scan, shared by the
// scan's workers so that each key is stored once. The sets of scans of
// other row groups (sharded runs) are joined by union.
type keySets struct {
	mu   sync.Mutex
	sets map[string]*exactSet // by group key ("" without group_by)
	// rows is the scan's row count: once the keys seen look mostly
	// distinct, the set reserves room for that many.
	rows     int64
	reserved sync.Once
	seen     atomicCounts
}

// atomicCounts tallies keys inserted and new, across workers.
type atomicCounts struct {
	mu         sync.Mutex
	keys, news int64
}

// keyRun is a strictly increasing run of integer keys.
type keyRun struct {
	lo, hi int64
	n      int64
}

func newKeyCounter(cols []string, intKey bool, where, grouping int) *keyCounter {
	return &keyCounter{cols: cols, intKey: intKey, where: where, grouping: grouping}
}

// newKeySets returns empty sets for a scan of rows rows.
func newKeySets(rows int64) *keySets {
	return &keySets{sets: map[string]*exactSet{}, rows: rows}
}

func (k *keySets) set(group string) *exactSet {
	k.mu.Lock()
	defer k.mu.Unlock()
	s, ok := k.sets[group]
	if !ok {
		s = newExactSet()
		k.sets[group] = s
	}
	return s
}

// union adds o's keys (o is not used afterwards). Not concurrent with
// inserts.
func (k *keySets) union(o *keySets) {
	for g, os := range o.sets {
		s := k.sets[g]
		if s == nil {
			k.sets[g] = os
			continue
		}
		if s.size() < os.size() {
			s, os = os, s
			k.sets[g] = s
		}
		s.addSet(os)
	}
}

// keyState is a keyCounter's state over a row group: row tallies (rows,
// rows whose key is all null) and the run in progress.
type keyState struct {
	kc      *keyCounter
	ks      *keySets
	all     tally
	groups  map[string]*tally
	keys    []key
	nulls   []bool
	part    []key // makeKeys' scratch for compound keys
	scratch setScratch
	runs    []keyRun
	ints    []int64
	perKey  map[string][]key
}

func (k *keyCounter) start(ks *keySets) *keyState { return &keyState{kc: k, ks: ks} }

func (s *keyState) add(b *batch) error {
	kc := s.kc
	s.keys, s.nulls, s.part = makeKeys(b, kc.cols, s.keys, s.nulls, s.part)
	var mask []byte
	if kc.where >= 0 {
		mask = b.wheres[kc.where].mask
	}
	if kc.grouping >= 0 {
		g := &b.groups[kc.grouping]
		if s.groups == nil {
			s.groups = map[string]*tally{}
		}
		if s.perKey == nil {
			s.perKey = map[string][]key{}
		}
		clear(s.perKey)
		for i, kk := range s.keys {
			if mask != nil && mask[i] == 0 {
				continue
			}
			gk := g.keys[g.ids[i]]
			t := s.groups[gk]
			if t == nil {
				t = &tally{}
				s.groups[gk] = t
			}
			t.elements++
			s.all.elements++
			if s.nulls[i] {
				t.missing++
				s.all.missing++
				continue
			}
			s.perKey[gk] = append(s.perKey[gk], kk)
		}
		for gk, ks := range s.perKey {
			s.ks.set(gk).addBatch(ks, &s.scratch)
		}
		return nil
	}
	live := s.keys[:0]
	for i, kk := range s.keys {
		if mask != nil && mask[i] == 0 {
			continue
		}
		s.all.elements++
		if s.nulls[i] {
			s.all.missing++
			continue
		}
		live = append(live, kk)
	}
	if kc.intKey && s.extendRun(live) {
		return nil
	}
	set := s.ks.set("")
	news := set.addBatch(live, &s.scratch)
	s.ks.noteDistinct(set, len(live), news)
	return nil
}

// noteDistinct reserves room for every row once the first 64k keys turn
// out to be mostly distinct: a key column, not a category.
func (k *keySets) noteDistinct(set *exactSet, keys, news int) {
	if k.rows < 1<<20 {
		return
	}
	k.seen.mu.Lock()
	k.seen.keys += int64(keys)
	k.seen.news += int64(news)
	decide := k.seen.keys >= 1<<16
	mostly := k.seen.news*10 >= k.seen.keys*9
	k.seen.mu.Unlock()
	if decide && mostly {
		k.reserved.Do(func() { set.reserve(int(k.rows)) })
	}
}

// extendRun takes a batch of integer keys as part of the row group's
// current run if they strictly increase it; otherwise they are hashed.
func (s *keyState) extendRun(keys []key) bool {
	if len(keys) == 0 {
		return true
	}
	prev := int64(math.MinInt64)
	var cur *keyRun
	if len(s.runs) > 0 {
		cur = &s.runs[len(s.runs)-1]
		prev = cur.hi
	}
	first := true
	for _, k := range keys {
		v := int64(k.lo)
		if (!first || cur != nil) && v <= prev {
			return false
		}
		first = false
		prev = v
	}
	lo, hi := int64(keys[0].lo), int64(keys[len(keys)-1].lo)
	if cur != nil {
		cur.hi = hi
		cur.n += int64(len(keys))
	} else {
		s.runs = append(s.runs, keyRun{lo: lo, hi: hi, n: int64(len(keys))})
	}
	return true
}

func (s *keyState) merge(o *keyState) {
	s.all.merge(&o.all, 0)
	for gk, t := range o.groups {
		if s.groups == nil {
			s.groups = map[string]*tally{}
		}
		if s.groups[gk] == nil {
			s.groups[gk] = &tally{}
		}
		s.groups[gk].merge(t, 0)
	}
	s.runs = append(s.runs, o.runs...)
	if o.ks != s.ks {
		// A scan of other row groups (sharded runs): its own sets.
		s.ks.union(o.ks)
	}
}

// makeKeys computes each row's key and whether all its columns are null;
// keys, nulls and part are reused buffers.
func makeKeys(b *batch, cols []string, keys []key, nulls []bool, part []key) ([]key, []bool, []key) {
	keys = slices.Grow(keys[:0], b.n)[:b.n]
	nulls = slices.Grow(nulls[:0], b.n)[:b.n]
	if len(cols) == 1 {
		a := b.col(cols[0])
		singleKeys(a, keys)
		for i := range nulls {
			nulls[i] = a.IsNull(i)
		}
		return keys, nulls, part
	}
	for i := range nulls {
		nulls[i] = true
		keys[i] = key{lo: 0x9e3779b97f4a7c15, hi: 0x7f4a7c15}
	}
	for j, c := range cols {
		a := b.col(c)
		part = slices.Grow(part[:0], b.n)[:b.n]
		singleKeys(a, part)
		for i := range keys {
			pk := part[i]
			if a.IsNull(i) {
				pk = key{lo: 0x6e756c6c, hi: 0x6e75}
			} else {
				nulls[i] = false
			}
			// Combine: a 96-bit hash of the column values in order.
			k := &keys[i]
			k.lo = profile.Mix64(k.lo*0x9e3779b97f4a7c15 ^ pk.lo ^ uint64(j))
			k.hi = uint32(profile.Mix64(uint64(k.hi)<<32 ^ uint64(pk.hi) ^ pk.lo>>7 ^ uint64(j)*0x51))
		}
	}
	return keys, nulls, part
}

// singleKeys computes the keys of one column's values: integers as
// themselves, floats by their bits (0 and -0 alike, one NaN), strings by a
// 96-bit hash. Null rows get a key that the caller ignores or replaces.
func singleKeys(a arrow.Array, keys []key) {
	switch arr := a.(type) {
	case *array.Float64, *array.Float32:
		var buf []float64
		buf = floats(arr, buf)
		for i, f := range buf {
			if f == 0 {
				f = 0
			}
			if f != f {
				f = math.NaN()
			}
			keys[i] = key{lo: math.Float64bits(f)}
		}
	case *array.Boolean:
		for i := range keys {
			keys[i] = key{}
			if arr.Value(i) {
				keys[i].lo = 1
			}
		}
	default:
		if isIntType(a.DataType()) {
			var buf []int64
			buf = ints(a, buf)
			for i, v := range buf {
				keys[i] = key{lo: uint64(v)}
			}
			return
		}
		bs := newByteStrings(a)
		for i := range keys {
			h := xxh3.Hash128(bs.at(i))
			keys[i] = key{lo: h.Lo, hi: uint32(h.Hi)}
		}
	}
}

// finish checks the integer runs against each other and the hashed keys;
// if they might overlap it recounts with a second scan hashing every key.
func (k *keyCounter) finish(ctx context.Context, r *runner, st *keyState) error {
	runs := st.runs
	if len(runs) == 0 {
		return nil
	}
	sort.Slice(runs, func(i, j int) bool { return runs[i].lo < runs[j].lo })
	overlap := false
	for i := 1; i < len(runs) && !overlap; i++ {
		overlap = runs[i].lo <= runs[i-1].hi
	}
	if s := st.ks.sets[""]; s != nil && !overlap {
		s.each(func(kk key, _ uint32) {
			v := int64(kk.lo)
			j := sort.Search(len(runs), func(j int) bool { return runs[j].hi >= v })
			if j < len(runs) && runs[j].lo <= v {
				overlap = true
			}
		})
	}
	if !overlap {
		return nil
	}
	// Recount: hash every key, no runs.
	fresh := &keyCounter{cols: k.cols, where: k.where, grouping: k.grouping}
	sets := newKeySets(0)
	if err := r.rescan(ctx, k.cols, k.where, func() rowAdder { return fresh.start(sets) }); err != nil {
		return err
	}
	st.ks, st.runs = sets, nil
	return nil
}

// counts returns the distinct keys and the duplicate figures of a group
// ("" for all rows).
func (k *keyCounter) counts(group string, st *keyState) (distinct, dupGroups, dupRows, extraRows int64) {
	if s := st.ks.sets[group]; s != nil {
		distinct, dupGroups, dupRows, extraRows = s.stats()
	}
	if group == "" {
		for _, r := range st.runs {
			distinct += r.n
		}
	}
	return
}

// uniqueChecker is a unique check: single column or compound key. A
// duplicate group is a key that occurs in more than one row; every row of
// such a group is unexpected (Great Expectations); duplicate groups and
// extra rows (rows beyond the first of each group) are reported too. A row
// is skipped (missing) only when all its key columns are null.
type uniqueChecker struct {
	c     *Check
	kc    *keyCounter
	cols  []string
	keep  int
	nulls Nulls
}

func (u *uniqueChecker) spec() *Check            { return u.c }
func (u *uniqueChecker) reads() []string         { return u.cols }
func (u *uniqueChecker) start(sx *scanCtx) state { return &uniqueState{u.kc.start(sx.keySets(u.kc))} }

type uniqueState struct{ *keyState }

func (s *uniqueState) add(b *batch) error { return s.keyState.add(b) }
func (s *uniqueState) merge(o state)      { s.keyState.merge(o.(*uniqueState).keyState) }

func (p *Plan) compileUnique(c *Check, probs *Problems) checker {
	n := len(*probs)
	cols := c.Columns
	if len(cols) == 0 && c.Column != "" {
		cols = []string{c.Column}
	}
	intKey := false
	for i, name := range cols {
		key := fmt.Sprintf("columns[%d]", i)
		if _, has := c.ArgPos[key]; !has {
			key = "column"
		}
		col, ok := p.column(c, key, name, probs)
		if ok && len(cols) == 1 {
			intKey = isIntType(col.Arrow())
		}
	}
	where, grouping := p.where(c, probs), p.grouping(c, probs)
	if len(*probs) > n {
		return nil
	}
	u := &uniqueChecker{c: c, kc: newKeyCounter(cols, intKey, where, grouping), keep: p.env.Samples, nulls: c.Nulls}
	if u.nulls == "" {
		u.nulls = NullsIgnore
	}
	u.cols = slices.Clone(cols)
	for _, k := range p.env.Keys {
		if !slices.Contains(u.cols, k) {
			u.cols = append(u.cols, k)
		}
	}
	return u
}

func (u *uniqueChecker) result(ctx context.Context, st state, r *runner) (*Result, error) {
	s := st.(*uniqueState)
	if err := u.kc.finish(ctx, r, s.keyState); err != nil {
		return nil, err
	}
	res := r.newResult(u.c)
	res.Columns = u.kc.cols
	if len(u.kc.cols) == 1 {
		res.Column, res.Columns = u.kc.cols[0], nil
	}
	res.Expected = "every value occurs once"
	if len(u.kc.cols) > 1 {
		res.Expected = fmt.Sprintf("every (%s) occurs once", strings.Join(u.kc.cols, ", "))
	}
	distinct, groups, rows, extra := u.kc.counts("", s.keyState)
	t := s.all
	t.unexpected = rows
	if u.nulls == NullsFail {
		t.unexpected += t.missing // rows whose key is all null
	}
	r.tallyResult(res, u.c, u.nulls, &t)
	res.Duplicates = &Duplicates{Groups: groups, Rows: rows, ExtraRows: extra}
	res.ObservedValue = map[string]int64{"distinct": distinct, "duplicate_groups": groups, "duplicate_rows": rows, "extra_rows": extra}
	if rows > 0 || t.unexpected > 0 {
		if rows > 0 {
			res.Message = fmt.Sprintf("%d duplicate groups: %d rows, %d of them extra", groups, rows, extra)
		}
		samples, err := u.failingRows(ctx, r, s.ks, u.keep)
		if err != nil {
			return nil, err
		}
		if err := r.attachSamples(ctx, res, u.cols, samples, u.c); err != nil {
			return nil, err
		}
	}
	if u.kc.grouping >= 0 {
		cols := r.plan.groupings[u.kc.grouping].cols
		keys := make([]string, 0, len(s.groups))
		for gk := range s.groups {
			keys = append(keys, gk)
		}
		slices.Sort(keys)
		for _, gk := range keys {
			gt := *s.groups[gk]
			_, _, grows, _ := u.kc.counts(gk, s.keyState)
			gt.unexpected = grows
			if u.nulls == NullsFail {
				gt.unexpected += gt.missing
			}
			g := r.groupTally(u.c, u.nulls, cols, gk, &gt)
			if !g.Success {
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

// failingRows finds the first rows, in row order, whose key is
// duplicated: a second read of the key columns, done only when there are
// duplicates.
func (u *uniqueChecker) failingRows(ctx context.Context, r *runner, ks *keySets, keep int) ([]int64, error) {
	var mu sync.Mutex
	perRG := map[int][]int64{}
	err := r.scanRows(ctx, u.kc.cols, u.kc.where, u.kc.grouping, func(rg dataset.RowGroup, b *batch) bool {
		keys, nulls, _ := makeKeys(b, u.kc.cols, nil, nil, nil)
		var mask []byte
		if u.kc.where >= 0 {
			mask = b.wheres[u.kc.where].mask
		}
		var found []int64
		for i, k := range keys {
			if mask != nil && mask[i] == 0 {
				continue
			}
			if nulls[i] {
				if u.nulls == NullsFail {
					found = append(found, b.row0+int64(i))
				}
				continue
			}
			group := ""
			if u.kc.grouping >= 0 {
				g := &b.groups[u.kc.grouping]
				group = g.keys[g.ids[i]]
			}
			if s := ks.sets[group]; s != nil && s.count(k) > 1 {
				found = append(found, b.row0+int64(i))
			}
		}
		mu.Lock()
		defer mu.Unlock()
		if len(perRG[rg.Index]) < keep {
			perRG[rg.Index] = append(perRG[rg.Index], found[:min(len(found), keep-len(perRG[rg.Index]))]...)
		}
		return true
	})
	if err != nil {
		return nil, err
	}
	var all []int64
	for _, rows := range perRG {
		all = append(all, rows...)
	}
	slices.Sort(all)
	if len(all) > keep {
		all = all[:keep]
	}
	return all, nil
}
