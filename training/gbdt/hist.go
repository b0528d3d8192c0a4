package gbdt

// hbin is one bin of a histogram: the sums of the gradients and hessians
// of the rows in the bin, and their count.
type hbin struct {
	g, h float64
	n    uint32
	_    uint32
}

// hist is the histogram of one feature over the rows of one node. It has
// 256 bins whatever MaxBins, so a uint8 bin indexes it without a bounds
// check; bin MaxBins holds the missing values.
type hist [256]hbin

// gpair is the gradient and hessian of one row, stored together since
// they are read together.
type gpair struct{ g, h float32 }

// The kernels below fill a histogram from a column of bins. The root
// variants read every row in order; the others read the rows idx, with the
// gradients and hessians already gathered in the order of idx. The
// "const" variants are for a loss whose hessian is 1: they count rows and
// copy the count to h.

func histRoot(hs *hist, col []uint8, gh []gpair) {
	*hs = hist{}
	gh = gh[:len(col)]
	for i, b := range col {
		e := &hs[b]
		e.g += float64(gh[i].g)
		e.h += float64(gh[i].h)
		e.n++
	}
}

func histRootConst(hs *hist, col []uint8, gh []gpair) {
	*hs = hist{}
	gh = gh[:len(col)]
	for i, b := range col {
		e := &hs[b]
		e.g += float64(gh[i].g)
		e.n++
	}
	hs.countToHessian()
}

func histIdx(hs *hist, col []uint8, idx []int32, gh []gpair) {
	*hs = hist{}
	gh = gh[:len(idx)]
	for i, r := range idx {
		e := &hs[col[r]]
		e.g += float64(gh[i].g)
		e.h += float64(gh[i].h)
		e.n++
	}
}

func histIdxConst(hs *hist, col []uint8, idx []int32, gh []gpair) {
	*hs = hist{}
	gh = gh[:len(idx)]
	for i, r := range idx {
		e := &hs[col[r]]
		e.g += float64(gh[i].g)
		e.n++
	}
	hs.countToHessian()
}

func (hs *hist) countToHessian() {
	for b := range hs {
		hs[b].h = float64(hs[b].n)
	}
}

// subtract turns hs, the histogram of a parent, into that of the sibling
// of the child whose histogram is c.
func (hs *hist) subtract(c *hist) {
	for b := range hs {
		hs[b].g -= c[b].g
		hs[b].h -= c[b].h
		hs[b].n -= c[b].n
	}
}
