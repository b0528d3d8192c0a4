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
//
// Even and odd rows go to two histograms, hs and the scratch odd, added
// at the end, so that rows in a run of the same bin do not wait on each
// other's updates; below splitRows rows odd is not worth clearing.

const splitRows = 1024

func histRoot(hs, odd *hist, col []uint8, gh []gpair) {
	*hs = hist{}
	gh = gh[:len(col)]
	i := 0
	if len(col) >= splitRows {
		*odd = hist{}
		for ; i+1 < len(col); i += 2 {
			a, b := &hs[col[i]], &odd[col[i+1]]
			a.g += float64(gh[i].g)
			a.h += float64(gh[i].h)
			a.n++
			b.g += float64(gh[i+1].g)
			b.h += float64(gh[i+1].h)
			b.n++
		}
	}
	for ; i < len(col); i++ {
		a := &hs[col[i]]
		a.g += float64(gh[i].g)
		a.h += float64(gh[i].h)
		a.n++
	}
	if len(col) >= splitRows {
		hs.add(odd)
	}
}

func histRootConst(hs, odd *hist, col []uint8, gh []gpair) {
	*hs = hist{}
	gh = gh[:len(col)]
	i := 0
	if len(col) >= splitRows {
		*odd = hist{}
		for ; i+1 < len(col); i += 2 {
			a, b := &hs[col[i]], &odd[col[i+1]]
			a.g += float64(gh[i].g)
			a.n++
			b.g += float64(gh[i+1].g)
			b.n++
		}
	}
	for ; i < len(col); i++ {
		a := &hs[col[i]]
		a.g += float64(gh[i].g)
		a.n++
	}
	if len(col) >= splitRows {
		hs.add(odd)
	}
	hs.countToHessian()
}

func histIdx(hs, odd *hist, col []uint8, idx []int32, gh []gpair) {
	*hs = hist{}
	gh = gh[:len(idx)]
	i := 0
	if len(idx) >= splitRows {
		*odd = hist{}
		for ; i+1 < len(idx); i += 2 {
			a, b := &hs[col[idx[i]]], &odd[col[idx[i+1]]]
			a.g += float64(gh[i].g)
			a.h += float64(gh[i].h)
			a.n++
			b.g += float64(gh[i+1].g)
			b.h += float64(gh[i+1].h)
			b.n++
		}
	}
	for ; i < len(idx); i++ {
		a := &hs[col[idx[i]]]
		a.g += float64(gh[i].g)
		a.h += float64(gh[i].h)
		a.n++
	}
	if len(idx) >= splitRows {
		hs.add(odd)
	}
}

func histIdxConst(hs, odd *hist, col []uint8, idx []int32, gh []gpair) {
	*hs = hist{}
	gh = gh[:len(idx)]
	i := 0
	if len(idx) >= splitRows {
		*odd = hist{}
		for ; i+1 < len(idx); i += 2 {
			a, b := &hs[col[idx[i]]], &odd[col[idx[i+1]]]
			a.g += float64(gh[i].g)
			a.n++
			b.g += float64(gh[i+1].g)
			b.n++
		}
	}
	for ; i < len(idx); i++ {
		a := &hs[col[idx[i]]]
		a.g += float64(gh[i].g)
		a.n++
	}
	if len(idx) >= splitRows {
		hs.add(odd)
	}
	hs.countToHessian()
}

// add adds the histogram o to hs.
func (hs *hist) add(o *hist) {
	for b := range hs {
		hs[b].g += o[b].g
		hs[b].h += o[b].h
		hs[b].n += o[b].n
	}
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
