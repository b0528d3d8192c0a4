package conflicts

// kdTree is a static k-d tree over points in d dimensions, for box
// queries: every point within tol of a query in each coordinate. It is
// rebuilt in place for each set of points, reusing its memory.
type kdTree struct {
	d     int
	pts   []float64 // point i is pts[i*d:(i+1)*d]
	idx   []int32   // the points, permuted so that each node's are contiguous
	nodes []kdNode
}

// kdNode is a node over idx[lo:hi]. An inner node splits at idx[mid]:
// points of idx[lo:mid] have coordinate dim <= split, those of
// idx[mid:hi] >= split.
type kdNode struct {
	lo, mid, hi int32
	dim         int32
	split       float64
	left, right int32 // child nodes; -1 for a leaf
	// one is a point of the node when all its points are known to be in
	// one component (see link), else -1.
	one int32
}

const kdLeaf = 8

func (t *kdTree) build(pts []float64, d int) {
	n := len(pts) / d
	t.d, t.pts = d, pts
	t.idx = t.idx[:0]
	for i := range n {
		t.idx = append(t.idx, int32(i))
	}
	t.nodes = t.nodes[:0]
	t.node(0, int32(n))
}

func (t *kdTree) coord(i int32, dim int) float64 { return t.pts[int(i)*t.d+dim] }

// node builds the subtree over idx[lo:hi] and returns its index.
func (t *kdTree) node(lo, hi int32) int32 {
	id := int32(len(t.nodes))
	t.nodes = append(t.nodes, kdNode{lo: lo, hi: hi, left: -1, right: -1, one: -1})
	if hi-lo <= kdLeaf {
		return id
	}
	// Split the widest coordinate at its median.
	best, spread := 0, -1.0
	for dim := range t.d {
		mn, mx := t.coord(t.idx[lo], dim), t.coord(t.idx[lo], dim)
		for _, i := range t.idx[lo+1 : hi] {
			v := t.coord(i, dim)
			mn, mx = min(mn, v), max(mx, v)
		}
		if mx-mn > spread {
			best, spread = dim, mx-mn
		}
	}
	if spread <= 0 { // all points equal: a leaf, however large
		return id
	}
	mid := lo + (hi-lo)/2
	t.selectNth(lo, hi, mid, best)
	split := t.coord(t.idx[mid], best) // before the children reorder idx
	left := t.node(lo, mid)
	right := t.node(mid, hi)
	nd := &t.nodes[id]
	nd.mid, nd.dim, nd.split = mid, int32(best), split
	nd.left, nd.right = left, right
	return id
}

// selectNth reorders idx[lo:hi] so that idx[k] holds the point that would
// be there if sorted by coordinate dim, smaller ones before, larger after.
func (t *kdTree) selectNth(lo, hi, k int32, dim int) {
	for hi-lo > 1 {
		// Median of three as the pivot.
		a, b, c := t.idx[lo], t.idx[lo+(hi-lo)/2], t.idx[hi-1]
		va, vb, vc := t.coord(a, dim), t.coord(b, dim), t.coord(c, dim)
		pivot := max(min(va, vb), min(max(va, vb), vc))
		// Three-way partition: < pivot, == pivot, > pivot.
		lt, i, gt := lo, lo, hi
		for i < gt {
			v := t.coord(t.idx[i], dim)
			switch {
			case v < pivot:
				t.idx[lt], t.idx[i] = t.idx[i], t.idx[lt]
				lt++
				i++
			case v > pivot:
				gt--
				t.idx[gt], t.idx[i] = t.idx[i], t.idx[gt]
			default:
				i++
			}
		}
		switch {
		case k < lt:
			hi = lt
		case k >= gt:
			lo = gt
		default:
			return
		}
	}
}

// link unites point q with every point within tol of it in each
// coordinate: the same points as box finds, but a subtree whose points are
// all in q's component already is skipped. Nodes learn that their points
// are in one component as unions happen; since components only merge,
// they stay so. On dense data, where a query finds many points and most
// are linked already, this saves most of the search. comp(i) is the
// component of point i, union(i, j) unites two points' components and
// reports whether they were apart.
func (t *kdTree) link(q int32, tol float64, comp func(i int32) int32, union func(i, j int32) bool) {
	if len(t.nodes) > 0 {
		t.linkNode(0, q, t.pts[int(q)*t.d:int(q+1)*t.d], tol, comp, union)
	}
}

func (t *kdTree) linkNode(id, q int32, qp []float64, tol float64, comp func(int32) int32, union func(int32, int32) bool) {
	nd := &t.nodes[id]
	if nd.one >= 0 && comp(nd.one) == comp(q) {
		return
	}
	if nd.left < 0 {
		changed := false
		for _, i := range t.idx[nd.lo:nd.hi] {
			if withinBox(qp, t.pts[int(i)*t.d:int(i+1)*t.d], tol) && union(q, i) {
				changed = true
			}
		}
		if changed || nd.one < 0 && nd.hi-nd.lo == 1 {
			t.settle(nd, comp)
		}
		return
	}
	v, s := qp[nd.dim], nd.split
	if v <= s || v-s <= tol {
		t.linkNode(nd.left, q, qp, tol, comp, union)
	}
	if v >= s || s-v <= tol {
		t.linkNode(nd.right, q, qp, tol, comp, union)
	}
	l, r := &t.nodes[nd.left], &t.nodes[nd.right]
	if l.one >= 0 && r.one >= 0 && comp(l.one) == comp(r.one) {
		nd.one = l.one
	}
}

// settle marks a leaf whose points are all in one component.
func (t *kdTree) settle(nd *kdNode, comp func(int32) int32) {
	first := t.idx[nd.lo]
	c := comp(first)
	for _, i := range t.idx[nd.lo+1 : nd.hi] {
		if comp(i) != c {
			return
		}
	}
	nd.one = first
}

// box calls fn for every point within tol of q in every coordinate
// (q itself included when it is a point of the tree). Subtrees are
// skipped only when the difference computed in float64 exceeds tol, the
// same comparison withinBox makes: rounding is monotonic, so no point
// within tol is missed.
func (t *kdTree) box(q []float64, tol float64, fn func(i int32)) {
	if len(t.nodes) > 0 {
		t.search(0, q, tol, fn)
	}
}

func (t *kdTree) search(id int32, q []float64, tol float64, fn func(i int32)) {
	nd := &t.nodes[id]
	if nd.left < 0 {
		for _, i := range t.idx[nd.lo:nd.hi] {
			if withinBox(q, t.pts[int(i)*t.d:int(i+1)*t.d], tol) {
				fn(i)
			}
		}
		return
	}
	v, s := q[nd.dim], nd.split
	if v <= s || v-s <= tol {
		t.search(nd.left, q, tol, fn)
	}
	if v >= s || s-v <= tol {
		t.search(nd.right, q, tol, fn)
	}
}
