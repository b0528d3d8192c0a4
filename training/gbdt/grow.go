package gbdt

import (
	"container/heap"
	"math"
)

// Sizes of the pieces of work of a tree: rows per piece when gathering
// gradients and partitioning, and the fewest rows worth spreading over
// workers.
const (
	pieceRows    = 1 << 15
	parallelRows = 1 << 14
)

// grower grows trees on binned training data, reusing its buffers from one
// tree to the next.
type grower struct {
	splitter
	n, nf      int
	bins       []uint8 // column-major: feature j at j*n
	thresholds [][]float64
	lr         float64
	maxLeaves  int
	maxDepth   int
	constHess  bool
	workers    int

	gh []gpair // gradients and hessians of the tree being grown

	part    []int32 // rows, grouped by node; a node owns part[start:end]
	scratch []int32
	ogh     []gpair  // gradients and hessians gathered for one node
	free    [][]hist // node histograms to reuse
	odd     []hist   // per feature, scratch for the histogram kernels
	catBufs [][]catInfo
	resL    []split // best split per feature for the two children
	resR    []split
	pieceN  []int // rows going left per piece of a partition, then offsets

	queue  nodeQueue
	leaves []*gnode
}

// gnode is a node while its tree grows.
type gnode struct {
	id         int32 // index in tree.nodes
	start, end int   // rows: part[start:end]
	depth      int
	stats      nodeStats
	hist       []hist // one per feature; nil once not needed
	best       split
}

func newGrower(s splitter, bins []uint8, n, nf int, thresholds [][]float64, p Params, constHess bool, workers int) *grower {
	gr := &grower{
		splitter:   s,
		n:          n,
		nf:         nf,
		bins:       bins,
		thresholds: thresholds,
		lr:         p.LearningRate,
		maxLeaves:  p.MaxLeafNodes,
		maxDepth:   p.MaxDepth,
		constHess:  constHess,
		workers:    workers,
		part:       make([]int32, n),
		scratch:    make([]int32, n),
		ogh:        make([]gpair, n),
		odd:        make([]hist, nf),
		catBufs:    make([][]catInfo, nf),
		resL:       make([]split, nf),
		resR:       make([]split, nf),
		pieceN:     make([]int, chunks(n, pieceRows)),
	}
	for j := range gr.catBufs {
		if s.categ[j] {
			gr.catBufs[j] = make([]catInfo, 0, 256)
		}
	}
	return gr
}

func (gr *grower) getHist() []hist {
	if k := len(gr.free); k > 0 {
		h := gr.free[k-1]
		gr.free = gr.free[:k-1]
		return h
	}
	return make([]hist, gr.nf)
}

func (gr *grower) putHist(nd *gnode) {
	if nd.hist != nil {
		gr.free = append(gr.free, nd.hist)
		nd.hist = nil
	}
}

// grow grows one tree on the gradients and hessians of the training rows
// (taking the hessians as 1, whatever gh holds, for a constant hessian).
// The leaves of the tree and the rows they hold are then in gr.leaves and
// gr.part.
func (gr *grower) grow(gh []gpair) tree {
	t := tree{nodes: make([]node, 1, 64)}
	gr.gh = gh
	for i := range gr.part {
		gr.part[i] = int32(i)
	}
	gr.queue = gr.queue[:0]
	gr.leaves = gr.leaves[:0]

	root := &gnode{start: 0, end: gr.n}
	root.hist = gr.getHist()
	parallel(gr.nf, gr.workers, func(j int) {
		col := gr.bins[j*gr.n : (j+1)*gr.n]
		if gr.constHess {
			histRootConst(&root.hist[j], &gr.odd[j], col, gh)
		} else {
			histRoot(&root.hist[j], &gr.odd[j], col, gh)
		}
	})
	for b := range root.hist[0] {
		e := &root.hist[0][b]
		root.stats.g += e.g
		root.stats.h += e.h
	}
	root.stats.n = gr.n
	t.nodes[0] = node{feature: -1, cats: -1, count: int32(gr.n), value: gr.lr * gr.value(root.stats.g, root.stats.h)}
	if gr.n < 2*gr.minSamplesLeaf || root.stats.h < minHessianToSplit {
		gr.finalize(root)
	} else {
		parallel(gr.nf, gr.workers, func(j int) {
			gr.resL[j] = split{}
			gr.find(j, &root.hist[j], root.stats, &gr.resL[j], gr.catBufs[j])
		})
		root.best = bestOf(gr.resL)
		gr.pushOrFinalize(root)
	}
	for len(gr.queue) > 0 {
		gr.splitNext(&t)
	}
	return t
}

// bestOf returns the split of highest gain, the first on ties.
func bestOf(res []split) split {
	best := res[0]
	for _, s := range res[1:] {
		if s.gain > best.gain {
			best = s
		}
	}
	return best
}

func (gr *grower) pushOrFinalize(nd *gnode) {
	if nd.best.gain > 0 {
		heap.Push(&gr.queue, nd)
		return
	}
	gr.finalize(nd)
}

func (gr *grower) finalize(nd *gnode) {
	gr.putHist(nd)
	gr.leaves = append(gr.leaves, nd)
}

// splitNext splits the node of highest gain and finds the best splits of
// its children, following scikit-learn's rules: a child is a leaf when the
// tree has MaxLeafNodes leaves, at MaxDepth, or with fewer than twice
// MinSamplesLeaf rows.
func (gr *grower) splitNext(t *tree) {
	nd := heap.Pop(&gr.queue).(*gnode)
	s := &nd.best
	nL := gr.partition(nd)
	if nL != s.nL {
		panic("gbdt: partition disagrees with histogram") // a bug, not bad input
	}
	cid := int32(len(t.nodes))
	pn := &t.nodes[nd.id]
	pn.feature = int32(s.feat)
	pn.left = cid
	pn.gain = s.gain
	pn.missLeft = s.missLeft
	if !gr.hasMissing[s.feat] {
		// No missing values in training: at prediction they follow the
		// majority, as in scikit-learn.
		pn.missLeft = s.nL > s.nR
	}
	switch {
	case s.categ:
		set := s.left
		set[gr.maxBins>>6] &^= 1 << (gr.maxBins & 63)
		pn.cats = int32(len(t.cats))
		t.cats = append(t.cats, set)
	case int(s.bin) == gr.nonMissing[s.feat]-1:
		pn.threshold = math.Inf(1) // non-missing left, missing right
	default:
		pn.threshold = gr.thresholds[s.feat][s.bin]
	}
	depth := nd.depth + 1
	left := &gnode{id: cid, start: nd.start, end: nd.start + nL, depth: depth, stats: nodeStats{g: s.gL, h: s.hL, n: s.nL}}
	right := &gnode{id: cid + 1, start: nd.start + nL, end: nd.end, depth: depth, stats: nodeStats{g: s.gR, h: s.hR, n: s.nR}}
	t.nodes = append(t.nodes,
		node{feature: -1, cats: -1, count: int32(s.nL), value: gr.lr * gr.value(s.gL, s.hL)},
		node{feature: -1, cats: -1, count: int32(s.nR), value: gr.lr * gr.value(s.gR, s.hR)})

	if gr.maxLeaves > 0 && len(gr.leaves)+len(gr.queue)+2 >= gr.maxLeaves {
		gr.putHist(nd)
		gr.finalize(left)
		gr.finalize(right)
		for _, q := range gr.queue {
			gr.finalize(q)
		}
		gr.queue = gr.queue[:0]
		return
	}
	splitL := left.stats.n >= 2*gr.minSamplesLeaf
	splitR := right.stats.n >= 2*gr.minSamplesLeaf
	if (gr.maxDepth > 0 && depth >= gr.maxDepth) || (!splitL && !splitR) {
		gr.putHist(nd)
		gr.finalize(left)
		gr.finalize(right)
		return
	}

	// Build the histograms of the smaller child from its rows and get the
	// larger child's by subtraction, in place of the parent's.
	small, large := right, left
	if left.stats.n < right.stats.n {
		small, large = left, right
	}
	large.hist, nd.hist = nd.hist, nil
	small.hist = gr.getHist()
	idx := gr.part[small.start:small.end]
	ogh := gr.gather(idx)
	work := len(idx) * gr.nf
	workers := gr.workers
	if work < parallelRows {
		workers = 1
	}
	parallel(gr.nf, workers, func(j int) {
		col := gr.bins[j*gr.n : (j+1)*gr.n]
		hs := &small.hist[j]
		if gr.constHess {
			histIdxConst(hs, &gr.odd[j], col, idx, ogh)
		} else {
			histIdx(hs, &gr.odd[j], col, idx, ogh)
		}
		large.hist[j].subtract(hs)
		gr.resL[j], gr.resR[j] = split{}, split{}
		if splitL {
			gr.find(j, &left.hist[j], left.stats, &gr.resL[j], gr.catBufs[j])
		}
		if splitR {
			gr.find(j, &right.hist[j], right.stats, &gr.resR[j], gr.catBufs[j])
		}
	})
	if splitL {
		left.best = bestOf(gr.resL)
		gr.pushOrFinalize(left)
	} else {
		gr.finalize(left)
	}
	if splitR {
		right.best = bestOf(gr.resR)
		gr.pushOrFinalize(right)
	} else {
		gr.finalize(right)
	}
}

// gather returns the gradients and hessians of the rows idx, in order.
func (gr *grower) gather(idx []int32) []gpair {
	gh := gr.gh
	ogh := gr.ogh[:len(idx)]
	pieces := chunks(len(idx), pieceRows)
	workers := gr.workers
	if len(idx) < parallelRows {
		workers = 1
	}
	parallel(pieces, workers, func(c int) {
		lo := c * pieceRows
		hi := min(lo+pieceRows, len(idx))
		o := ogh[lo:hi]
		for i, r := range idx[lo:hi] {
			o[i] = gh[r]
		}
	})
	return ogh
}

// partition reorders the rows of nd, stably, so that those going left come
// first, and returns their number.
func (gr *grower) partition(nd *gnode) int {
	s := &nd.best
	var goLeft [256]uint8 // 1: left
	if s.categ {
		for b := range goLeft {
			if s.left.has(uint8(b)) {
				goLeft[b] = 1
			}
		}
	} else {
		for b := 0; b <= int(s.bin); b++ {
			goLeft[b] = 1
		}
		if s.missLeft {
			goLeft[gr.maxBins] = 1
		}
	}
	col := gr.bins[s.feat*gr.n : (s.feat+1)*gr.n]
	idx := gr.part[nd.start:nd.end]
	tmp := gr.scratch[nd.start:nd.end]
	if len(idx) < parallelRows {
		l := partitionPiece(idx, tmp, col, &goLeft)
		copy(idx[l:], tmp[:len(idx)-l])
		return l
	}
	// Each piece moves its left rows to the front of its span of idx and
	// its right rows to its span of tmp; then the lefts are gathered to
	// the front, in order (each moves down, so in piece order no move
	// overwrites rows still to move), and the rights after them.
	pieces := chunks(len(idx), pieceRows)
	nLeft := gr.pieceN[:pieces]
	parallel(pieces, gr.workers, func(c int) {
		lo := c * pieceRows
		hi := min(lo+pieceRows, len(idx))
		nLeft[c] = partitionPiece(idx[lo:hi], tmp[lo:hi], col, &goLeft)
	})
	total := 0
	for c, l := range nLeft {
		lo := c * pieceRows
		copy(idx[total:], idx[lo:lo+l])
		total += l
	}
	off := total
	for c, l := range nLeft {
		lo := c * pieceRows
		hi := min(lo+pieceRows, len(idx))
		off += copy(idx[off:], tmp[lo:hi-l])
	}
	return total
}

// partitionPiece moves the rows of idx going left to its front, in order,
// and writes those going right to the front of right, in order; it
// returns the number going left. It writes every row to both places and
// moves one of them on, so that it does not branch on the data; writing
// to idx at a position not past the one being read is safe.
func partitionPiece(idx, right []int32, col []uint8, goLeft *[256]uint8) int {
	right = right[:len(idx)]
	l, r := 0, 0
	for _, i := range idx {
		left := int(goLeft[col[i]])
		idx[l] = i
		right[r] = i
		l += left
		r += 1 - left
	}
	return l
}

// nodeQueue orders splittable nodes by gain, highest first, then by node
// index, so trees do not depend on heap internals.
type nodeQueue []*gnode

func (q nodeQueue) Len() int { return len(q) }
func (q nodeQueue) Less(i, j int) bool {
	if q[i].best.gain != q[j].best.gain {
		return q[i].best.gain > q[j].best.gain
	}
	return q[i].id < q[j].id
}
func (q nodeQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *nodeQueue) Push(x any)   { *q = append(*q, x.(*gnode)) }
func (q *nodeQueue) Pop() any {
	old := *q
	x := old[len(old)-1]
	*q = old[:len(old)-1]
	return x
}
