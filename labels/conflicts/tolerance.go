package conflicts

import (
	"math"
	"slices"
)

// Tolerance: the classes of exactly equal rows are merged when their
// numbers match within the tolerance. Only classes whose text features,
// nulls and non-finite numbers are equal can match; they are found by a
// hash of exactly those (a bucket), and within a bucket the finite numbers
// are searched with a k-d tree for boxes of half-width tol.

// pairwiseMax is the bucket size up to which every pair is compared.
const pairwiseMax = 16

// mergeTolerance returns the connected components of the classes under
// the matching relation, as classes ordered by first row.
func (e *exact) mergeTolerance(cl *classes) *classes {
	m := cl.len()
	reps := make([]int32, m)
	hb := make([]uint64, m)
	for k := range m {
		reps[k] = cl.rows(k)[0]
		hb[k] = e.hb[reps[k]]
	}
	ents, parts := partition(hb, nil, e.workers)
	uf := newUnionFind(m)
	// Buckets are disjoint sets of classes: they are linked in parallel.
	forParts(parts, e.workers, func() func(p int) {
		g := grouper{z: normalizer{fold: e.fold}}
		var l linker
		return func(p int) {
			g.groups(ents[parts[p]:parts[p+1]])
			for k := range len(g.starts) - 1 {
				for _, b := range e.splitBucket(g.group(k), reps, &g.z) {
					l.link(e, b, reps, uf)
				}
			}
		}
	})

	// Components, ordered by first row: classes are, and a component's
	// first row is that of its first class.
	comp := make([]int32, m)
	for k := range comp {
		comp[k] = -1
	}
	var sizes []int32
	ids := make([]int32, m)
	for k := range m {
		root := uf.find(int32(k))
		if comp[root] < 0 {
			comp[root] = int32(len(sizes))
			sizes = append(sizes, 0)
		}
		ids[k] = comp[root]
		sizes[comp[root]] += int32(len(cl.rows(k)))
	}
	out := &classes{start: make([]int32, len(sizes)+1), all: make([]int32, len(cl.all))}
	for c, s := range sizes {
		out.start[c+1] = out.start[c] + s
	}
	fill := slices.Clone(out.start[:len(sizes)])
	for k := range m {
		c := ids[k]
		fill[c] += int32(copy(out.all[fill[c]:], cl.rows(k)))
	}
	for c := range sizes {
		if rows := out.rows(c); !slices.IsSorted(rows) {
			slices.Sort(rows)
		}
	}
	return out
}

// numClass is what must be equal of a number for rows to match: null,
// finite (the value is then compared within tolerance), or the non-finite
// value itself.
func numClass(c *Column, row int32) uint64 {
	if c.null(int(row)) {
		return nullHash
	}
	f := c.Num[row]
	if finite(f) {
		return 1
	}
	return floatKey(f)
}

// bucketEqual reports whether two rows share what they must to match.
func (e *exact) bucketEqual(a, b int32, z *normalizer) bool {
	for j := range e.cols {
		c := &e.cols[j]
		na, nb := c.null(int(a)), c.null(int(b))
		switch {
		case na || nb:
			if na != nb {
				return false
			}
		case c.Numeric:
			if numClass(c, a) != numClass(c, b) {
				return false
			}
		default:
			if !z.equal(c.Str[a], c.Str[b]) {
				return false
			}
		}
	}
	return true
}

// splitBucket divides classes of one bucket hash into true buckets (a
// hash collision makes more than one).
func (e *exact) splitBucket(ks []int32, reps []int32, z *normalizer) [][]int32 {
	first := reps[ks[0]]
	same := true
	for _, k := range ks[1:] {
		if !e.bucketEqual(first, reps[k], z) {
			same = false
			break
		}
	}
	if same {
		return [][]int32{ks}
	}
	var out [][]int32
	for _, k := range ks {
		i := slices.IndexFunc(out, func(b []int32) bool { return e.bucketEqual(reps[b[0]], reps[k], z) })
		if i < 0 {
			out = append(out, nil)
			i = len(out) - 1
		}
		out[i] = append(out[i], k)
	}
	return out
}

// linker unites the classes of a bucket that match; it keeps buffers.
type linker struct {
	dims []int
	pts  []float64
	tree kdTree
	uf   unionFind
}

func (l *linker) link(e *exact, ks []int32, reps []int32, uf *unionFind) {
	if len(ks) < 2 {
		return
	}
	// The numeric features that are finite in this bucket (the same for
	// every class of it).
	l.dims = l.dims[:0]
	for j := range e.cols {
		c := &e.cols[j]
		if c.Numeric && numClass(c, reps[ks[0]]) == 1 {
			l.dims = append(l.dims, j)
		}
	}
	d := len(l.dims)
	if d == 0 { // cannot happen: the classes would be one
		for _, k := range ks[1:] {
			uf.union(ks[0], k)
		}
		return
	}
	l.pts = slices.Grow(l.pts[:0], len(ks)*d)[:len(ks)*d]
	for i, k := range ks {
		for t, j := range l.dims {
			l.pts[i*d+t] = e.cols[j].Num[reps[k]]
		}
	}
	tol := e.tol
	if len(ks) <= pairwiseMax {
		for i := range ks {
			for j := i + 1; j < len(ks); j++ {
				if withinBox(l.pts[i*d:(i+1)*d], l.pts[j*d:(j+1)*d], tol) {
					uf.union(ks[i], ks[j])
				}
			}
		}
		return
	}
	// The bucket's components are found in a union-find of its own
	// (small, in cache), then carried over.
	l.tree.build(l.pts, d)
	l.uf.reset(len(ks))
	// Queries in the tree's order: neighbours one after another, so that
	// regions settle into one component early and later queries skip
	// them.
	for _, i := range l.tree.idx {
		l.tree.link(i, tol, l.uf.find, l.uf.union)
	}
	for i, k := range ks {
		if r := l.uf.find(int32(i)); r != int32(i) {
			uf.union(ks[r], k)
		}
	}
}

// withinBox reports whether every coordinate of p and q differs by at
// most tol.
func withinBox(p, q []float64, tol float64) bool {
	for t := range p {
		if math.Abs(p[t]-q[t]) > tol {
			return false
		}
	}
	return true
}

// unionFind is a disjoint-set forest over 0..n-1, with path halving and
// union by index (the smaller index becomes the root). Unions on disjoint
// sets of elements may run concurrently.
type unionFind struct{ parent []int32 }

func newUnionFind(n int) *unionFind {
	u := &unionFind{parent: make([]int32, n)}
	for i := range u.parent {
		u.parent[i] = int32(i)
	}
	return u
}

// reset makes u the sets {0}, …, {n-1}, reusing its memory.
func (u *unionFind) reset(n int) {
	u.parent = slices.Grow(u.parent[:0], n)[:n]
	for i := range u.parent {
		u.parent[i] = int32(i)
	}
}

func (u *unionFind) find(x int32) int32 {
	for u.parent[x] != x {
		u.parent[x] = u.parent[u.parent[x]]
		x = u.parent[x]
	}
	return x
}

// union unites the sets of a and b and reports whether they were apart.
func (u *unionFind) union(a, b int32) bool {
	ra, rb := u.find(a), u.find(b)
	switch {
	case ra < rb:
		u.parent[rb] = ra
	case rb < ra:
		u.parent[ra] = rb
	default:
		return false
	}
	return true
}
