package conflicts

import (
	"math"
	"math/bits"
	"slices"
	"sync"
	"sync/atomic"
)

// Exact finds the groups of labelled rows whose normalised features are
// equal (or, with a tolerance, linked by matches: see the package
// documentation) and whose labels are not all the same. Rows with a
// missing label are ignored. The result also counts the duplicate groups
// whose labels agree.
//
// Exact holds about 40 bytes per row besides the columns, and runs in
// time linear in the rows (plus the tolerance search, see the package
// documentation). An error wraps ErrInvalid.
func Exact(cols []Column, labels Labels, opts Options) (*Result, error) {
	n, err := validate(cols, labels)
	if err != nil {
		return nil, err
	}
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	e := &exact{cols: cols, codes: labels.Codes, fold: opts.CaseFold, tol: opts.FloatTolerance, n: n, workers: workers(opts.Workers)}
	sum := newSummary(labels)
	res := &Result{}
	for _, c := range labels.Codes {
		if c >= 0 {
			res.LabelledRows++
		}
	}
	cl := e.classes(e.tol > 0)
	if e.tol > 0 {
		cl = e.mergeTolerance(cl)
	}
	for k := range cl.len() {
		rows := cl.rows(k)
		if len(rows) < 2 {
			continue
		}
		if !sum.distinct(rows) {
			res.AgreeingGroups++
			res.AgreeingRows += len(rows)
			continue
		}
		res.Groups = append(res.Groups, sum.group(KindExact, rows))
		res.ConflictingRows += len(rows)
	}
	sortQueue(res.Groups)
	return res, nil
}

// exact is one grouping of rows by their normalised features.
type exact struct {
	cols    []Column
	codes   []int
	fold    bool
	tol     float64
	n       int
	workers int
	// hb is, with a tolerance, each row's bucket hash: of what must be
	// equal for rows to match (see bucketHash); hashRows fills it.
	hb []uint64
}

// classes are sets of rows: class k is rows[start[k]:start[k+1]], its rows
// ascending, its first row its representative.
type classes struct {
	start []int32
	all   []int32
}

func (c *classes) len() int { return max(len(c.start)-1, 0) }

func (c *classes) rows(k int) []int32 { return c.all[c.start[k]:c.start[k+1]] }

func (c *classes) add(rows ...int32) {
	if len(c.start) == 0 {
		c.start = append(c.start, 0)
	}
	c.all = append(c.all, rows...)
	c.start = append(c.start, int32(len(c.all)))
}

// entry is a hash and what it is the hash of (a row, or a class).
type entry struct {
	h  uint64
	id int32
}

// classes groups the labelled rows into classes of equal normalised
// features: only classes of two or more rows, or (all) every row in some
// class. Classes come ordered by first row.
func (e *exact) classes(all bool) *classes {
	h := e.hashRows()
	ents, parts := partition(h, func(i int) bool { return e.codes[i] >= 0 }, e.workers)
	out := make([]classes, len(parts)-1)
	forParts(parts, e.workers, func() func(p int) {
		g := grouper{z: normalizer{fold: e.fold}}
		return func(p int) { g.classes(e, ents[parts[p]:parts[p+1]], all, &out[p]) }
	})
	return concat(out, e.n)
}

// concat joins the classes of the partitions, ordered by first row.
func concat(parts []classes, n int) *classes {
	at := make([]int32, n)  // 1 + the class whose first row this is
	var part, index []int32 // the partition and index there of each class
	total := 0
	for p := range parts {
		for k := range parts[p].len() {
			part = append(part, int32(p))
			index = append(index, int32(k))
			at[parts[p].rows(k)[0]] = int32(len(part))
		}
		total += len(parts[p].all)
	}
	out := &classes{start: make([]int32, 1, len(part)+1), all: make([]int32, 0, total)}
	for _, c := range at {
		if c > 0 {
			out.add(parts[part[c-1]].rows(int(index[c-1]))...)
		}
	}
	return out
}

// grouper groups the entries of one partition at a time by hash, in a
// small open-addressing table; it keeps its buffers from one partition to
// the next.
type grouper struct {
	z       normalizer
	slots   []int32 // 1 + the first entry of a hash; 0 empty
	next    []int32 // the entry after this one with the same hash, -1 none
	tail    []int32 // of a first entry: the last entry with its hash
	size    []int32 // of a first entry: the entries with its hash
	ids     []int32 // groups of two or more entries of one hash, one after another
	starts  []int32 // where each group starts in ids, and the end
	singles []int32 // entries alone with their hash
	pairs   []pair
	ok      []bool
}

// groups groups ents (ids ascending) by hash into g.ids and g.starts
// (groups of two or more, ids ascending within each, ordered by first id)
// and g.singles.
func (g *grouper) groups(ents []entry) {
	m := len(ents)
	size := 16
	for size < 2*m {
		size *= 2
	}
	mask := uint64(size - 1)
	g.slots = slices.Grow(g.slots[:0], size)[:size]
	clear(g.slots)
	g.next = slices.Grow(g.next[:0], m)[:m]
	g.tail = slices.Grow(g.tail[:0], m)[:m]
	g.size = slices.Grow(g.size[:0], m)[:m]
	for i, en := range ents {
		g.next[i] = -1
		g.size[i] = 0
		// The low bits: the top bits chose the partition.
		for s := en.h & mask; ; s = (s + 1) & mask {
			f := g.slots[s]
			if f == 0 {
				g.slots[s] = int32(i + 1)
				g.tail[i], g.size[i] = int32(i), 1
				break
			}
			if first := f - 1; ents[first].h == en.h {
				g.next[g.tail[first]] = int32(i)
				g.tail[first] = int32(i)
				g.size[first]++
				break
			}
		}
	}
	g.ids, g.starts, g.singles = g.ids[:0], g.starts[:0], g.singles[:0]
	for i := range ents {
		switch g.size[i] {
		case 0:
		case 1:
			g.singles = append(g.singles, ents[i].id)
		default:
			g.starts = append(g.starts, int32(len(g.ids)))
			for x := int32(i); x >= 0; x = g.next[x] {
				g.ids = append(g.ids, ents[x].id)
			}
		}
	}
	g.starts = append(g.starts, int32(len(g.ids)))
}

// group returns the k-th group of the last call of groups.
func (g *grouper) group(k int) []int32 { return g.ids[g.starts[k]:g.starts[k+1]] }

// pair is two rows to compare: a class's first row and another.
type pair struct{ a, b int32 }

// classes adds the classes of a partition's rows to out: rows of one hash
// are compared with the first of them, column by column over all pairs
// of the partition at once (which keeps many memory reads in flight), and
// split in the rare case of a hash collision.
func (g *grouper) classes(e *exact, ents []entry, all bool, out *classes) {
	if all {
		out.start = make([]int32, 1, len(ents)+1)
		out.all = make([]int32, 0, len(ents))
	}
	g.groups(ents)
	g.pairs = g.pairs[:0]
	for k := range len(g.starts) - 1 {
		rows := g.group(k)
		for _, r := range rows[1:] {
			g.pairs = append(g.pairs, pair{rows[0], r})
		}
	}
	g.ok = slices.Grow(g.ok[:0], len(g.pairs))[:len(g.pairs)]
	e.equalPairs(g.pairs, g.ok, &g.z)
	p := 0
	for k := range len(g.starts) - 1 {
		rows := g.group(k)
		same := true
		for range len(rows) - 1 {
			same = same && g.ok[p]
			p++
		}
		if same {
			out.add(rows...)
		} else {
			e.split(rows, all, out, &g.z)
		}
	}
	if all {
		for _, r := range g.singles {
			out.add(r)
		}
	}
}

// split divides rows with one hash (ascending) into classes of truly
// equal rows, adding those of two or more rows (or all) to out.
func (e *exact) split(rows []int32, all bool, out *classes, z *normalizer) {
	var reps []int32
	var members [][]int32
	for _, r := range rows {
		k := slices.IndexFunc(reps, func(rep int32) bool { return e.equal(rep, r, z) })
		if k < 0 {
			reps = append(reps, r)
			members = append(members, nil)
			k = len(reps) - 1
		}
		members[k] = append(members[k], r)
	}
	for _, m := range members {
		if len(m) >= 2 || all {
			out.add(m...)
		}
	}
}

// equal reports whether two rows have equal normalised features (numbers
// compared exactly).
func (e *exact) equal(a, b int32, z *normalizer) bool {
	for j := range e.cols {
		c := &e.cols[j]
		na, nb := c.null(int(a)), c.null(int(b))
		if na || nb {
			if na != nb {
				return false
			}
			continue
		}
		if c.Numeric {
			if floatKey(c.Num[a]) != floatKey(c.Num[b]) {
				return false
			}
		} else if !z.equal(c.Str[a], c.Str[b]) {
			return false
		}
	}
	return true
}

// equalPairs sets ok[k] to whether the rows of pairs[k] are equal, as
// equal says, a column at a time.
func (e *exact) equalPairs(pairs []pair, ok []bool, z *normalizer) {
	for k := range ok {
		ok[k] = true
	}
	for j := range e.cols {
		c := &e.cols[j]
		if c.Valid != nil {
			for k, p := range pairs {
				if c.Valid[p.a] != c.Valid[p.b] {
					ok[k] = false
				}
			}
		}
		if c.Numeric {
			for k, p := range pairs {
				if floatKey(c.Num[p.a]) != floatKey(c.Num[p.b]) && !c.null(int(p.a)) {
					ok[k] = false
				}
			}
			continue
		}
		for k, p := range pairs {
			if ok[k] && !c.null(int(p.a)) && !z.equal(c.Str[p.a], c.Str[p.b]) {
				ok[k] = false
			}
		}
	}
}

// hashRows returns each row's hash of its normalised features (and, with
// a tolerance, fills e.hb). Columns are hashed one after another over a
// block of rows, blocks in parallel.
func (e *exact) hashRows() []uint64 {
	h := make([]uint64, e.n)
	tol := e.tol > 0
	if tol {
		e.hb = make([]uint64, e.n)
	}
	parallel(e.n, e.workers, func(lo, hi int) {
		z := normalizer{fold: e.fold}
		hs := h[lo:hi]
		var hb []uint64
		for i := range hs {
			hs[i] = 0x243f6a8885a308d3
		}
		if tol {
			hb = e.hb[lo:hi]
			for i := range hb {
				hb[i] = 0x13198a2e03707344
			}
		}
		for j := range e.cols {
			c := &e.cols[j]
			var valid []bool
			if c.Valid != nil {
				valid = c.Valid[lo:hi]
			}
			switch {
			case c.Numeric && valid == nil && !tol:
				for i, f := range c.Num[lo:hi] {
					hs[i] = combine(hs[i], floatKey(f), j)
				}
			case c.Numeric:
				for i, f := range c.Num[lo:hi] {
					v, b := uint64(nullHash), uint64(nullHash)
					if valid == nil || valid[i] {
						v, b = floatKey(f), 1
						if !finite(f) {
							b = v
						}
					}
					hs[i] = combine(hs[i], v, j)
					if tol {
						hb[i] = combine(hb[i], b, j)
					}
				}
			default:
				for i, s := range c.Str[lo:hi] {
					v := uint64(nullHash)
					if valid == nil || valid[i] {
						v = z.hash(s)
					}
					hs[i] = combine(hs[i], v, j)
					if tol {
						hb[i] = combine(hb[i], v, j)
					}
				}
			}
		}
		for i := range hs {
			hs[i] = mix64(hs[i])
		}
		for i := range hb {
			hb[i] = mix64(hb[i])
		}
	})
	return h
}

// partition sorts the ids i (0 to len(keys)-1) that keep allows (nil: all)
// into partitions by the top bits of keys[i] (a counting sort in parallel,
// stable: ids stay ascending within a partition), partitions of a few
// thousand, small enough to group in cache. Partition p is
// ents[parts[p]:parts[p+1]].
func partition(keys []uint64, keep func(i int) bool, workers int) (ents []entry, parts []int) {
	n := len(keys)
	nb := 1
	if workers > 1 && n >= 1<<16 {
		nb = workers
	}
	step := (n + nb - 1) / max(nb, 1)
	// A first pass counts what is kept, to size the partitions.
	kept := make([]int, nb)
	each(nb, func(b int) {
		k := 0
		for i := b * step; i < min((b+1)*step, n); i++ {
			if keep == nil || keep(i) {
				k++
			}
		}
		kept[b] = k
	})
	total := 0
	for _, k := range kept {
		total += k
	}
	shift := uint(64)
	if total > 4096 {
		shift = 64 - uint(min(bits.Len(uint(total/4096)), 14))
	}
	np := 1 << (64 - shift)
	part := func(x uint64) int {
		if shift == 64 {
			return 0
		}
		return int(x >> shift)
	}
	counts := make([][]int, nb)
	each(nb, func(b int) {
		c := make([]int, np)
		for i := b * step; i < min((b+1)*step, n); i++ {
			if keep == nil || keep(i) {
				c[part(keys[i])]++
			}
		}
		counts[b] = c
	})
	// Block b's ids of partition p go after those of earlier blocks.
	parts = make([]int, np+1)
	at := 0
	for p := range np {
		parts[p] = at
		for b := range nb {
			c := counts[b][p]
			counts[b][p] = at
			at += c
		}
	}
	parts[np] = at
	ents = make([]entry, total)
	each(nb, func(b int) {
		next := counts[b]
		for i := b * step; i < min((b+1)*step, n); i++ {
			if keep == nil || keep(i) {
				p := part(keys[i])
				ents[next[p]] = entry{h: keys[i], id: int32(i)}
				next[p]++
			}
		}
	})
	return ents, parts
}

// each runs fn(b) for b from 0 to n-1, each in its own goroutine.
func each(n int, fn func(b int)) {
	if n == 1 {
		fn(0)
		return
	}
	var wg sync.WaitGroup
	for b := range n {
		wg.Go(func() { fn(b) })
	}
	wg.Wait()
}

// forParts runs the partitions 0 to len(parts)-2 on workers goroutines,
// each taking the next partition; mk makes a goroutine's function (with
// its own buffers).
func forParts(parts []int, workers int, mk func() func(p int)) {
	np := len(parts) - 1
	var next atomic.Int64
	var wg sync.WaitGroup
	for range max(1, min(workers, np)) {
		wg.Go(func() {
			fn := mk()
			for {
				p := int(next.Add(1) - 1)
				if p >= np {
					return
				}
				fn(p)
			}
		})
	}
	wg.Wait()
}

// parallel runs fn over [0, n) in contiguous blocks, one per worker.
func parallel(n, workers int, fn func(lo, hi int)) {
	if workers <= 1 || n < 8192 {
		fn(0, n)
		return
	}
	step := (n + workers - 1) / workers
	var wg sync.WaitGroup
	for lo := 0; lo < n; lo += step {
		hi := min(lo+step, n)
		wg.Go(func() { fn(lo, hi) })
	}
	wg.Wait()
}

// finite reports whether f is neither NaN nor infinite.
func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }
