package gbdt

import "math"

// predictBlock is the number of rows predicted together: their features
// are copied row-major into a worker's buffer, then every tree walks the
// block.
const predictBlock = 128

// missingCode stands for a missing or unknown level in a block: a code no
// level has, since there are at most 255 levels.
const missingCode = 255

// A block holds two values per feature and row, so that a numeric split
// decides with one comparison, v > threshold, whichever way missing
// values go:
//
//   - slot 2j, read by splits that send missing values right: the value,
//     with NaN as +Inf and +Inf as the largest float (which splits that
//     send all non-missing values left use as threshold);
//   - slot 2j+1, read by splits that send missing values left: the value,
//     with NaN as -Inf.
//
// A categorical feature has its code in both slots, missingCode for a
// missing or unknown level.

// pnode is a node laid out for prediction.
//
// A numeric split reads slot feat of a row and goes right when the value
// is above thr. A categorical split has feat = ^slot and thr = the index
// of its set of codes going left (with bit missingCode set when missing
// values go left). A leaf has feat 0 and thr +Inf, so that every row
// goes left, and its left child is itself: walking a tree for its depth
// in steps ends at the right leaf whatever the leaf's depth, with no test
// for leaves, and many rows can walk in step.
type pnode struct {
	thr  float64
	left int32 // index in predictor.nodes of the left child; the right is left+1
	feat int32
}

// predictor is a list of trees flattened into arrays.
type predictor struct {
	nodes []pnode
	vals  []float64 // per node; the outputs of leaves
	roots []int32
	depth []int32
	cats  []bitset
}

func compileTrees(trees []tree) predictor {
	var p predictor
	total := 0
	for i := range trees {
		total += len(trees[i].nodes)
	}
	p.nodes = make([]pnode, 0, total)
	p.vals = make([]float64, 0, total)
	p.roots = make([]int32, 0, len(trees))
	p.depth = make([]int32, 0, len(trees))
	for i := range trees {
		t := &trees[i]
		off := int32(len(p.nodes))
		p.roots = append(p.roots, off)
		p.depth = append(p.depth, t.depth())
		for j, n := range t.nodes {
			p.vals = append(p.vals, n.value)
			q := pnode{thr: math.Inf(1), left: off + int32(j)}
			switch {
			case n.feature < 0:
			case n.cats >= 0:
				set := t.cats[n.cats]
				if n.missLeft {
					set.set(missingCode)
				}
				q = pnode{thr: float64(len(p.cats)), left: off + n.left, feat: ^(2 * n.feature)}
				p.cats = append(p.cats, set)
			default:
				q = pnode{thr: n.threshold, left: off + n.left, feat: 2 * n.feature}
				if n.missLeft {
					q.feat++
				}
				if math.IsInf(q.thr, 1) {
					q.thr = math.MaxFloat64
				}
			}
			p.nodes = append(p.nodes, q)
		}
	}
	return p
}

// depth returns the number of edges from the root to the deepest leaf.
func (t *tree) depth() int32 {
	d := make([]int32, len(t.nodes))
	var deepest int32
	for i, n := range t.nodes {
		if n.feature >= 0 {
			d[n.left] = d[i] + 1
			d[n.left+1] = d[i] + 1
			deepest = max(deepest, d[i]+1)
		}
	}
	return deepest
}

// add adds to out[r*k+c] the output of every tree of class c (trees
// cycle through the k classes) for each row r of a block of at most
// predictBlock rows of width 2*nf. All rows walk a tree level by level,
// so that their walks are independent work the processor overlaps.
func (p *predictor) add(rows []float64, nf, k int, out []float64) {
	width := 2 * nf
	nr := len(rows) / width
	var buf [predictBlock]int32
	cur := buf[:nr]
	for t, root := range p.roots {
		c := t % k
		depth := p.depth[t]
		if depth == 0 {
			v := p.vals[root]
			for r := range nr {
				out[r*k+c] += v
			}
			continue
		}
		p.first(rows, width, root, cur)
		for range depth - 1 {
			p.level(rows, width, cur)
		}
		p.leaves(cur, k, out[c:])
	}
}

// leaves adds the output of leaf cur[r] to out[r*k].
func (p *predictor) leaves(cur []int32, k int, out []float64) {
	vals := p.vals
	for r, i := range cur {
		out[r*k] += vals[i]
	}
}

// first sets cur[r] to the child of node root that row r goes to.
func (p *predictor) first(rows []float64, width int, root int32, cur []int32) {
	n := &p.nodes[root]
	base := 0
	for r := range cur {
		cur[r] = p.child(n, rows, base)
		base += width
	}
}

// level moves each row r of rows from node cur[r] to its child.
func (p *predictor) level(rows []float64, width int, cur []int32) {
	nodes := p.nodes
	base := 0
	for r, i := range cur {
		cur[r] = p.child(&nodes[i], rows, base)
		base += width
	}
}

// child returns the child of n the row at rows[base:] goes to.
func (p *predictor) child(n *pnode, rows []float64, base int) int32 {
	var d int32
	if f := n.feat; f >= 0 {
		if rows[base+int(f)] > n.thr {
			d = 1
		}
	} else {
		d = p.catRight(n, rows[base+int(^f)])
	}
	return n.left + d
}

func (p *predictor) catRight(n *pnode, code float64) int32 {
	if p.cats[int(n.thr)].has(uint8(code)) {
		return 0
	}
	return 1
}

// column is a feature bound to a model feature, read into blocks.
type column struct {
	num   []float64
	cat   []int32
	remap []int32 // categorical: code → training code, -1 for unknown or unseen
}

// fillRows writes rows lo to hi of cols (or rows idx[lo:hi] when idx is
// not nil) into buf, as a block.
func fillRows(cols []column, idx []int32, lo, hi int, buf []float64) {
	width := 2 * len(cols)
	inf, maxf := math.Inf(1), math.MaxFloat64
	for j := range cols {
		c := &cols[j]
		o := buf[2*j:]
		for r := range hi - lo {
			i := lo + r
			if idx != nil {
				i = int(idx[i])
			}
			var a, b float64
			if c.cat == nil {
				v := c.num[i]
				a, b = v, v
				if v != v {
					a, b = inf, -inf
				} else if v > maxf {
					a = maxf
				}
			} else {
				a = missingCode
				if code := c.cat[i]; uint32(code) < uint32(len(c.remap)) {
					if t := c.remap[code]; t >= 0 {
						a = float64(t)
					}
				}
				b = a
			}
			o[r*width] = a
			o[r*width+1] = b
		}
	}
}

func (m *Model) compile() {
	m.pred = compileTrees(m.trees)
}
