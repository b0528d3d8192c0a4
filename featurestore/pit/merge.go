package pit

import (
	"cmp"
	"context"
	"slices"
	"sync/atomic"

	"golang.org/x/sync/errgroup"
)

// joiner is one Join call's state: the entity side, coded and partitioned
// once per distinct key set and shared by the views that use it.
type joiner struct {
	ents    *Entities
	workers int
	bits    uint
	sides   map[string]*entSide
}

type entSide struct {
	coder *coder
	parts parts
}

// joinView fills match for view v.
func (j *joiner) joinView(ctx context.Context, v *View, match []int32) error {
	n, m := len(j.ents.Time), len(v.Time)
	vcols := make([]*KeyColumn, len(v.Keys))
	for i := range v.Keys {
		vcols[i] = &v.Keys[i]
	}
	sig := signature(v.Keys)
	es := j.sides[sig]
	if es == nil {
		ecols := make([]*KeyColumn, len(v.Keys))
		for i := range v.Keys {
			ecols[i] = findKey(j.ents.Keys, v.Keys[i].Name)
		}
		c, codes := entityCodes(ecols, n)
		s := side{keys: codes, time: j.ents.Time, timeValid: j.ents.TimeValid}
		p, err := scatter(ctx, &s, n, j.bits, j.workers)
		if err != nil {
			return err
		}
		es = &entSide{coder: c, parts: p}
		j.sides[sig] = es
	}
	if len(es.parts.items) == 0 || m == 0 {
		return nil
	}
	codes, err := es.coder.viewCodes(ctx, vcols, m, j.workers)
	if err != nil {
		return err
	}
	s := side{keys: codes, time: v.Time, timeValid: v.TimeValid}
	vp, err := scatter(ctx, &s, m, j.bits, j.workers)
	if err != nil {
		return err
	}
	np := len(vp.offs) - 1
	var next atomic.Int64
	g, gctx := errgroup.WithContext(ctx)
	for w := 0; w < min(j.workers, np); w++ {
		g.Go(func() error {
			var b partJoin
			b.created, b.ttl, b.match = v.Created, v.TTL, match
			for {
				p := int(next.Add(1) - 1)
				if p >= np {
					return nil
				}
				if err := gctx.Err(); err != nil {
					return err
				}
				b.join(vp.part(p), es.parts.part(p))
			}
		})
	}
	return g.Wait()
}

// partJoin joins one partition at a time; its buffers are reused from one
// partition to the next.
type partJoin struct {
	created []int64
	ttl     int64
	match   []int32

	slots  []int32  // hash table: group id + 1, 0 when empty
	keys   []uint64 // hash table: the code in each used slot
	gid    []int32  // group id per view or entity row of the partition
	vstart []int    // view group g is vsorted[vstart[g]:vstart[g+1]]
	estart []int
	vsort  []item
	esort  []item
}

// join matches the entity rows es of one partition against its view rows
// vs. Both are grouped by key code with a counting sort through a small
// hash table, groups are sorted by time, and each key group is merged.
func (b *partJoin) join(vs, es []item) {
	if len(vs) == 0 || len(es) == 0 {
		return
	}
	size := 16
	for size < 2*len(vs) {
		size *= 2
	}
	mask := uint64(size - 1)
	b.slots = grow(b.slots, size)
	b.keys = grow(b.keys, size)
	clear(b.slots)
	b.gid = grow(b.gid, max(len(vs), len(es)))
	b.vstart = b.vstart[:0]

	// Group view rows by code.
	groups := 0
	for i := range vs {
		code := vs[i].code
		s := fmix(code) & mask
		for {
			g := b.slots[s]
			if g == 0 {
				groups++
				b.slots[s] = int32(groups)
				b.keys[s] = code
				b.vstart = append(b.vstart, 0)
				g = int32(groups)
			} else if b.keys[s] != code {
				s = (s + 1) & mask
				continue
			}
			b.gid[i] = g - 1
			b.vstart[g-1]++
			break
		}
	}
	b.vstart = append(b.vstart, 0)
	prefix(b.vstart)
	b.vsort = grow(b.vsort, len(vs))
	for i := range vs {
		g := b.gid[i]
		b.vsort[b.vstart[g]] = vs[i]
		b.vstart[g]++
	}
	unprefix(b.vstart)
	for g := 0; g < groups; g++ {
		// Rows are in input order within the group, so sorting by time
		// stably leaves equal times in input order.
		sortByTime(b.vsort[b.vstart[g]:b.vstart[g+1]])
	}

	// Group entity rows by code; a code no view row has matches nothing.
	b.estart = grow(b.estart, groups+1)
	clear(b.estart)
	for i := range es {
		code := es[i].code
		s := fmix(code) & mask
		g := int32(-1)
		for b.slots[s] != 0 {
			if b.keys[s] == code {
				g = b.slots[s] - 1
				b.estart[g]++
				break
			}
			s = (s + 1) & mask
		}
		b.gid[i] = g
	}
	prefix(b.estart)
	b.esort = grow(b.esort, len(es))
	for i := range es {
		if g := b.gid[i]; g >= 0 {
			b.esort[b.estart[g]] = es[i]
			b.estart[g]++
		}
	}
	unprefix(b.estart)
	for g := 0; g < groups; g++ {
		e := b.esort[b.estart[g]:b.estart[g+1]]
		if len(e) > 0 {
			sortByTime(e)
			b.merge(b.vsort[b.vstart[g]:b.vstart[g+1]], e)
		}
	}
}

// merge walks one key group: view rows vs and entity rows es, each sorted
// by time. For each entity row the candidate is the last view row with
// time ≤ t; among the rows tied on its time the latest created timestamp,
// then the latest input row, wins; the TTL bound is checked last.
func (b *partJoin) merge(vs, es []item) {
	j, lastJ, win := 0, -1, 0
	for _, e := range es {
		for j < len(vs) && vs[j].time <= e.time {
			j++
		}
		if j == 0 {
			continue
		}
		if j != lastJ {
			lastJ, win = j, b.winner(vs[:j])
		}
		w := &vs[win]
		// e.time ≥ w.time, so the unsigned difference is exact.
		if b.ttl > 0 && uint64(e.time)-uint64(w.time) > uint64(b.ttl) {
			continue
		}
		b.match[e.idx] = w.idx
	}
}

// winner returns the index of the winning row among the rows of vs tied
// on the time of its last row.
func (b *partJoin) winner(vs []item) int {
	best := len(vs) - 1
	if b.created == nil {
		return best
	}
	t := vs[best].time
	for k := best - 1; k >= 0 && vs[k].time == t; k-- {
		if b.created[vs[k].idx] > b.created[vs[best].idx] {
			best = k
		}
	}
	return best
}

// sortByTime sorts items by time, then index: insertion sort for the
// short groups that are the rule, pdqsort otherwise.
func sortByTime(s []item) {
	if len(s) <= 24 {
		for i := 1; i < len(s); i++ {
			x := s[i]
			k := i
			for k > 0 && (s[k-1].time > x.time || (s[k-1].time == x.time && s[k-1].idx > x.idx)) {
				s[k] = s[k-1]
				k--
			}
			s[k] = x
		}
		return
	}
	slices.SortFunc(s, func(a, b item) int {
		if c := cmp.Compare(a.time, b.time); c != 0 {
			return c
		}
		return cmp.Compare(a.idx, b.idx)
	})
}

// prefix turns counts into start offsets, in place.
func prefix(s []int) {
	run := 0
	for i, c := range s {
		s[i] = run
		run += c
	}
}

// unprefix undoes the advance of each start by its group's size during a
// scatter: afterwards s[g] is group g's start again.
func unprefix(s []int) {
	for g := len(s) - 1; g > 0; g-- {
		s[g] = s[g-1]
	}
	if len(s) > 0 {
		s[0] = 0
	}
}

func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}
