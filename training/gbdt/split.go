package gbdt

import (
	"cmp"
	"slices"
)

// minHessianToSplit is the smallest hessian sum a child may have, and
// minCatSupport the hessian a category needs to take part in a
// categorical split (LightGBM's cat_smooth), both as in scikit-learn.
const (
	minHessianToSplit = 1e-3
	minCatSupport     = 10.0
)

// split is the best split found for a node on one feature, or overall.
type split struct {
	gain     float64 // 0: no split
	feat     int
	bin      uint8 // numeric: non-missing bins <= bin go left
	categ    bool
	missLeft bool
	left     bitset // categorical: bins that go left (bin maxBins: missing)
	gL, hL   float64
	nL       int
	gR, hR   float64
	nR       int
}

// bitset is a set of bins (or of category codes), 0 to 255.
type bitset [4]uint64

func (s *bitset) set(i uint8)      { s[i>>6] |= 1 << (i & 63) }
func (s *bitset) has(i uint8) bool { return s[i>>6]>>(i&63)&1 != 0 }

// nodeStats is what split finding knows of a node.
type nodeStats struct {
	g, h float64
	n    int
}

// splitter finds splits; its fields are fixed for a training run.
type splitter struct {
	l2             float64
	minSamplesLeaf int
	maxBins        int // the missing bin
	nonMissing     []int
	hasMissing     []bool
	categ          []bool
}

// score is the loss reduction a node with gradient sum g and hessian sum
// h contributes: g²/(h+λ), the negative of its loss at its Newton value.
func (s *splitter) score(g, h float64) float64 {
	return g * g / (h + s.l2 + 1e-15)
}

// value is the Newton step of a node: -g/(h+λ).
func (s *splitter) value(g, h float64) float64 {
	return -g / (h + s.l2 + 1e-15)
}

// find sets best to the best split of node on feature f with histogram
// hs, leaving it untouched when no split beats it. catBuf is scratch of
// at least 256 entries.
func (s *splitter) find(f int, hs *hist, node nodeStats, best *split, catBuf []catInfo) {
	if s.categ[f] {
		s.findCategorical(f, hs, node, best, catBuf)
		return
	}
	s.findNumeric(f, hs, node, best)
}

// findNumeric scans the bins left to right with missing values going
// right, then, when the feature has missing values, right to left with
// them going left.
func (s *splitter) findNumeric(f int, hs *hist, node nodeStats, best *split) {
	parent := s.score(node.g, node.h)
	nb := s.nonMissing[f]
	miss := 0
	if s.hasMissing[f] {
		miss = 1
	}
	msl := s.minSamplesLeaf
	var gL, hL float64
	nL := 0
	// The last non-missing bin goes left only if missing values exist to
	// go right.
	for b := 0; b < nb-1+miss; b++ {
		e := &hs[b]
		gL += e.g
		hL += e.h
		nL += int(e.n)
		nR := node.n - nL
		hR := node.h - hL
		if nL < msl || hL < minHessianToSplit {
			continue
		}
		if nR < msl || hR < minHessianToSplit {
			break
		}
		gR := node.g - gL
		gain := s.score(gL, hL) + s.score(gR, hR) - parent
		if gain > best.gain {
			*best = split{gain: gain, feat: f, bin: uint8(b), gL: gL, hL: hL, nL: nL, gR: gR, hR: hR, nR: nR}
		}
	}
	if miss == 0 {
		return
	}
	var gR, hR float64
	nR := 0
	for b := nb - 2; b >= 0; b-- {
		e := &hs[b+1]
		gR += e.g
		hR += e.h
		nR += int(e.n)
		nL := node.n - nR
		hL := node.h - hR
		if nR < msl || hR < minHessianToSplit {
			continue
		}
		if nL < msl || hL < minHessianToSplit {
			break
		}
		gL := node.g - gR
		gain := s.score(gL, hL) + s.score(gR, hR) - parent
		if gain > best.gain {
			*best = split{gain: gain, feat: f, bin: uint8(b), missLeft: true, gL: gL, hL: hL, nL: nL, gR: gR, hR: hR, nR: nR}
		}
	}
}

// catInfo is a category (a bin) in the order of a categorical split.
type catInfo struct {
	bin   uint8
	ratio float64
}

// findCategorical sorts the categories with enough support (missing
// values counting as one) by gradient/hessian ratio and tries every
// prefix and every suffix of that order, up to the middle, as the set
// that goes left; the rest, and the categories without support, go
// right.
func (s *splitter) findCategorical(f int, hs *hist, node nodeStats, best *split, buf []catInfo) {
	cats := buf[:0]
	support := float64(node.n) / node.h // 1 for a constant hessian
	add := func(b int) {
		e := &hs[b]
		if e.h*support >= minCatSupport {
			cats = append(cats, catInfo{bin: uint8(b), ratio: e.g / (e.h + minCatSupport)})
		}
	}
	for b := range s.nonMissing[f] {
		add(b)
	}
	if s.hasMissing[f] {
		add(s.maxBins)
	}
	if len(cats) <= 1 {
		return
	}
	slices.SortStableFunc(cats, func(a, b catInfo) int { return cmp.Compare(a.ratio, b.ratio) })
	parent := s.score(node.g, node.h)
	msl := s.minSamplesLeaf
	found := false
	var bestEnd, bestDir int
	var cand split
	cand.gain = best.gain
	for _, dir := range [2]int{1, -1} {
		middle := (len(cats) + 1) / 2
		if dir < 0 {
			middle--
		}
		var gL, hL float64
		nL := 0
		for i := range middle {
			k := i
			if dir < 0 {
				k = len(cats) - 1 - i
			}
			e := &hs[cats[k].bin]
			gL += e.g
			hL += e.h
			nL += int(e.n)
			nR := node.n - nL
			hR := node.h - hL
			if nL < msl || hL < minHessianToSplit {
				continue
			}
			if nR < msl || hR < minHessianToSplit {
				break
			}
			gR := node.g - gL
			gain := s.score(gL, hL) + s.score(gR, hR) - parent
			if gain > cand.gain {
				found = true
				bestEnd, bestDir = k, dir
				cand = split{gain: gain, feat: f, categ: true, gL: gL, hL: hL, nL: nL, gR: gR, hR: hR, nR: nR}
			}
		}
	}
	if !found {
		return
	}
	lo, hi := 0, bestEnd+1
	if bestDir < 0 {
		lo, hi = bestEnd, len(cats)
	}
	for _, c := range cats[lo:hi] {
		cand.left.set(c.bin)
	}
	cand.missLeft = cand.left.has(uint8(s.maxBins))
	*best = cand
}
