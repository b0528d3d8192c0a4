package conflicts

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"sync"
	"sync/atomic"
)

// Search is a neighbour search method of Near.
type Search string

// Searches. SearchAuto picks SearchExact up to NearOptions.ExactLimit
// points and SearchLSH beyond; Result.Search says which ran.
const (
	SearchAuto  Search = ""
	SearchExact Search = "exact" // brute force: every pair of points
	SearchLSH   Search = "lsh"   // random-projection LSH: approximate
)

// Defaults of NearOptions.
const (
	DefaultExactLimit = 20_000
	DefaultMaxTables  = 32
)

// NearOptions configure Near. At least one of K and Radius must be set:
// a point's neighbours are its K nearest other points (K > 0) among those
// within Radius (Radius > 0).
type NearOptions struct {
	// CaseFold compares text case-insensitively, as in Options.
	CaseFold bool
	// K is the most neighbours of a point; 0: all within Radius.
	K int
	// Radius is the largest distance of a neighbour (inclusive); 0: no
	// limit.
	Radius float64
	// Search is the method; SearchAuto by default.
	Search Search
	// ExactLimit is the most points SearchAuto searches exactly
	// (default DefaultExactLimit).
	ExactLimit int
	// MaxTables bounds the hash tables of SearchLSH (default
	// DefaultMaxTables): more find more neighbours and cost more time.
	// Tables are built one after another, so memory does not grow with
	// them.
	MaxTables int
	// Seed makes SearchLSH's random projections reproducible.
	Seed uint64
	// Workers is the number of goroutines (default: GOMAXPROCS).
	Workers int
}

// Validate reports options that cannot be used.
func (o *NearOptions) Validate() error {
	switch {
	case o.K < 0:
		return fmt.Errorf("%w: K %d: want a number >= 0", ErrInvalid, o.K)
	case math.IsNaN(o.Radius) || math.IsInf(o.Radius, 0) || o.Radius < 0:
		return fmt.Errorf("%w: radius %v: want a finite number >= 0", ErrInvalid, o.Radius)
	case o.K == 0 && o.Radius == 0:
		return fmt.Errorf("%w: give K, a radius, or both", ErrInvalid)
	case o.Search != SearchAuto && o.Search != SearchExact && o.Search != SearchLSH:
		return fmt.Errorf("%w: search %q: want %q or %q", ErrInvalid, o.Search, SearchExact, SearchLSH)
	case o.ExactLimit < 0 || o.MaxTables < 0 || o.Workers < 0:
		return fmt.Errorf("%w: negative limit, tables or workers", ErrInvalid)
	}
	return nil
}

// Near finds conflicts among near-duplicates: neighbourhoods of rows in
// feature space whose labels are not all the same. Rows with a missing
// label are ignored; rows with equal normalised features (see Exact) are
// one point, at distance 0 from each other.
//
// Distance. Each numeric feature is standardised, z = (x − mean) / sd,
// with the mean and population standard deviation of the labelled rows'
// finite values (z = 0 for a constant column). A null or non-finite
// number has z = 0 and, if the column has any, an indicator coordinate of
// 1 (0 for the others). A text feature contributes 1 to the squared
// distance when the normalised values differ (a null differs from every
// value but null): that is one-hot encoding scaled by 1/√2. The distance
// is the Euclidean one over all of it:
//
//	d(a, b)² = Σ numeric (za − zb)² + Σ indicators (ia − ib)² + Σ text [a ≠ b]
//
// Neighbourhoods. A point's neighbours are its K nearest other points
// within Radius (ties by first row); K counts points, not rows. The point
// and its neighbours make a group when their rows carry two or more
// labels; it is anchored at the point and reports the greatest distance
// to a neighbour. A group whose rows all lie in a larger (or equal,
// earlier-anchored) group is dropped, so that a reviewer sees each
// neighbourhood once. An exact conflict is always inside some near group.
//
// Search. SearchExact compares every pair of points: O(m²·features) time
// for m points, parallel. SearchLSH hashes the points with random
// projections (E2LSH: p-stable hashes of width 4r, r the neighbour
// distance sought: Radius, or the 90th percentile of the K-th neighbour
// distance of a sample of points, if smaller) into several tables; points
// sharing a bucket are candidates, compared exactly. The number of
// concatenated hashes per table is chosen so that a point meets a few
// dozen candidates, and the number of tables (at most MaxTables) so that
// a neighbour at distance r is found with probability 0.98. Neighbours
// farther than r, and those in buckets larger than the comparison window
// of 2·max(2K, 64) points, are found less often. The recall against
// SearchExact is above 0.95 on data whose near neighbours are much nearer
// than most points (near-duplicates: the purpose), but falls when every
// pair is about equally far, as with many unrelated text features; then
// no hashing beats comparing all pairs. Result.Recall reports the recall
// measured on the exact neighbours of a sample of 100 points, so that a
// caller can say how complete the search was. Time is about tables × m ×
// (features + window); memory about 24 bytes per point while a table is
// built, plus the neighbours kept.
//
// Near returns ctx's error when it is cancelled, and errors wrapping
// ErrInvalid for bad input.
func Near(ctx context.Context, cols []Column, labels Labels, opts NearOptions) (*Result, error) {
	n, err := validate(cols, labels)
	if err != nil {
		return nil, err
	}
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	w := workers(opts.Workers)
	e := &exact{cols: cols, codes: labels.Codes, fold: opts.CaseFold, n: n, workers: w}
	sum := newSummary(labels)
	res := &Result{}
	for _, c := range labels.Codes {
		if c >= 0 {
			res.LabelledRows++
		}
	}
	pts := e.classes(true)
	res.Points = pts.len()
	sp := e.embed(pts)
	limit := opts.ExactLimit
	if limit == 0 {
		limit = DefaultExactLimit
	}
	res.Search = opts.Search
	if res.Search == SearchAuto {
		res.Search = SearchExact
		if sp.m > limit {
			res.Search = SearchLSH
		}
	}
	r2 := math.Inf(1)
	if opts.Radius > 0 {
		r2 = opts.Radius * opts.Radius
	}
	var nb [][]neighbour
	res.Recall = 1
	if res.Search == SearchExact {
		nb, err = sp.brute(ctx, opts.K, r2, w)
	} else {
		tables := opts.MaxTables
		if tables == 0 {
			tables = DefaultMaxTables
		}
		nb, res.Recall, err = sp.lsh(ctx, lshParams{k: opts.K, radius: opts.Radius, maxTables: tables, seed: opts.Seed, workers: w})
	}
	if err != nil {
		return nil, err
	}
	res.Groups = nearGroups(pts, nb, sum)
	seen := make([]bool, n)
	for _, g := range res.Groups {
		for _, r := range g.Rows {
			if !seen[r] {
				seen[r] = true
				res.ConflictingRows++
			}
		}
	}
	return res, nil
}

// space is the points embedded for distances: numeric coordinates (z
// scores and null indicators) and text codes, row-major.
type space struct {
	m      int
	dn, dt int
	x      []float64 // point i: x[i*dn:(i+1)*dn]
	c      []int32   // point i: c[i*dt:(i+1)*dt]
}

// embed places the points (classes, represented by their first rows).
func (e *exact) embed(pts *classes) *space {
	m := pts.len()
	s := &space{m: m}
	type numDim struct {
		col       *Column
		mean, sd  float64
		indicator bool
	}
	var nums []numDim
	var texts []*Column
	for j := range e.cols {
		c := &e.cols[j]
		if !c.Numeric {
			texts = append(texts, c)
			continue
		}
		// Welford over the labelled rows' finite values.
		var cnt, mean, m2 float64
		missing := false
		for _, r := range pts.all {
			if c.null(int(r)) || !finite(c.Num[r]) {
				missing = true
				continue
			}
			cnt++
			d := c.Num[r] - mean
			mean += d / cnt
			m2 += d * (c.Num[r] - mean)
		}
		sd := 0.0
		if cnt > 0 {
			sd = math.Sqrt(m2 / cnt)
		}
		nums = append(nums, numDim{col: c, mean: mean, sd: sd, indicator: missing})
		s.dn++
		if missing {
			s.dn++
		}
	}
	s.dt = len(texts)
	s.x = make([]float64, m*s.dn)
	s.c = make([]int32, m*s.dt)
	for i := range m {
		r := pts.rows(i)[0]
		x := s.x[i*s.dn : (i+1)*s.dn]
		t := 0
		for _, nd := range nums {
			v := nd.col.Num[r]
			ok := !nd.col.null(int(r)) && finite(v)
			if ok && nd.sd > 0 {
				x[t] = (v - nd.mean) / nd.sd
			}
			t++
			if nd.indicator {
				if !ok {
					x[t] = 1
				}
				t++
			}
		}
	}
	z := normalizer{fold: e.fold}
	for t, c := range texts {
		dict := map[string]int32{}
		for i := range m {
			r := pts.rows(i)[0]
			code := int32(-1)
			if !c.null(int(r)) {
				k := z.key(c.Str[r])
				var ok bool
				if code, ok = dict[k]; !ok {
					code = int32(len(dict))
					dict[k] = code
				}
			}
			s.c[i*s.dt+t] = code
		}
	}
	return s
}

// dist2 is the squared distance of points i and j; once the sum exceeds
// bound it may stop and return a number above bound.
func (s *space) dist2(i, j int, bound float64) float64 {
	var d2 float64
	if s.dt > 0 {
		ci, cj := s.c[i*s.dt:(i+1)*s.dt], s.c[j*s.dt:(j+1)*s.dt]
		for t, a := range ci {
			if a != cj[t] {
				d2++
			}
		}
		if d2 > bound {
			return d2
		}
	}
	xi, xj := s.x[i*s.dn:(i+1)*s.dn], s.x[j*s.dn:(j+1)*s.dn]
	for t, a := range xi {
		d := a - xj[t]
		d2 += d * d
	}
	return d2
}

// neighbour is a point and its squared distance.
type neighbour struct {
	j  int32
	d2 float64
}

// closer orders neighbours: nearer first, then by point (first row).
func closer(a, b neighbour) bool {
	return a.d2 < b.d2 || a.d2 == b.d2 && a.j < b.j
}

func compareNeighbours(a, b neighbour) int {
	if c := cmp.Compare(a.d2, b.d2); c != 0 {
		return c
	}
	return cmp.Compare(a.j, b.j)
}

// nearest keeps a point's k nearest neighbours within r2 (k = 0: all
// within r2). With k > 0 it is a max-heap on closer until sorted.
type nearest struct {
	k     int
	r2    float64
	items []neighbour
}

// bound is the squared distance beyond which a candidate cannot enter.
func (h *nearest) bound() float64 {
	if h.k > 0 && len(h.items) == h.k {
		return min(h.r2, h.items[0].d2)
	}
	return h.r2
}

// has reports whether j is already kept (only tracked with k > 0).
func (h *nearest) has(j int32) bool {
	return slices.ContainsFunc(h.items, func(n neighbour) bool { return n.j == j })
}

// offer considers neighbour c.
func (h *nearest) offer(c neighbour) {
	if c.d2 > h.r2 {
		return
	}
	if h.k == 0 {
		h.items = append(h.items, c)
		return
	}
	if len(h.items) < h.k {
		h.items = append(h.items, c)
		for i := len(h.items) - 1; i > 0; {
			p := (i - 1) / 2
			if !closer(h.items[p], h.items[i]) {
				break
			}
			h.items[p], h.items[i] = h.items[i], h.items[p]
			i = p
		}
		return
	}
	if !closer(c, h.items[0]) {
		return
	}
	h.items[0] = c
	for i := 0; ; {
		l, r, big := 2*i+1, 2*i+2, i
		if l < len(h.items) && closer(h.items[big], h.items[l]) {
			big = l
		}
		if r < len(h.items) && closer(h.items[big], h.items[r]) {
			big = r
		}
		if big == i {
			break
		}
		h.items[i], h.items[big] = h.items[big], h.items[i]
		i = big
	}
}

// sorted returns the neighbours nearest first, without duplicates.
func (h *nearest) sorted() []neighbour {
	slices.SortFunc(h.items, compareNeighbours)
	return slices.CompactFunc(h.items, func(a, b neighbour) bool { return a.j == b.j })
}

// brute finds every point's neighbours by comparing all pairs, points in
// parallel. The loop is dist2 written out: text codes first, and the
// numbers only while the text has not already put the pair beyond the
// bound.
func (s *space) brute(ctx context.Context, k int, r2 float64, workers int) ([][]neighbour, error) {
	out := make([][]neighbour, s.m)
	dn, dt := s.dn, s.dt
	err := forBlocks(ctx, s.m, 64, workers, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			h := nearest{k: k, r2: r2}
			bound := h.bound()
			ci := s.c[i*dt : (i+1)*dt]
			xi := s.x[i*dn : (i+1)*dn]
			for j := range s.m {
				if j == i {
					continue
				}
				cj := s.c[j*dt : (j+1)*dt]
				cj = cj[:len(ci)]
				miss := 0
				for t, a := range ci {
					if a != cj[t] {
						miss++
					}
				}
				d2 := float64(miss)
				if d2 > bound {
					continue
				}
				xj := s.x[j*dn : (j+1)*dn]
				xj = xj[:len(xi)]
				for t, a := range xi {
					d := a - xj[t]
					d2 += d * d
				}
				if d2 <= bound {
					h.offer(neighbour{j: int32(j), d2: d2})
					bound = h.bound()
				}
			}
			out[i] = h.sorted()
		}
	})
	return out, err
}

// forBlocks runs fn over [0, n) in blocks of size block, workers taking
// the next block, and stops early when ctx is cancelled.
func forBlocks(ctx context.Context, n, block, workers int, fn func(lo, hi int)) error {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range max(1, min(workers, (n+block-1)/block)) {
		wg.Go(func() {
			for ctx.Err() == nil {
				lo := int(next.Add(int64(block))) - block
				if lo >= n {
					return
				}
				fn(lo, min(lo+block, n))
			}
		})
	}
	wg.Wait()
	return ctx.Err()
}

// nearGroups turns neighbourhoods into conflict groups: a point with its
// neighbours, when their rows carry two or more labels; groups contained
// in others dropped; ordered as a review queue.
func nearGroups(pts *classes, nb [][]neighbour, sum *summary) []Group {
	var groups []Group
	var rows []int32
	for p := range pts.len() {
		own := pts.rows(p)
		first := sum.codes[own[0]]
		conflict := sum.distinct(own)
		for _, q := range nb[p] {
			if conflict {
				break
			}
			for _, r := range pts.rows(int(q.j)) {
				if sum.codes[r] != first {
					conflict = true
					break
				}
			}
		}
		if !conflict {
			continue
		}
		rows = append(rows[:0], own...)
		far := 0.0
		for _, q := range nb[p] {
			rows = append(rows, pts.rows(int(q.j))...)
			far = max(far, q.d2)
		}
		slices.Sort(rows)
		g := sum.group(KindNear, rows)
		g.Anchor = int(own[0])
		g.Distance = math.Sqrt(far)
		groups = append(groups, g)
	}
	groups = dropContained(groups)
	sortQueue(groups)
	return groups
}

// dropContained drops every group whose rows all lie in a larger group,
// or in an equal one anchored earlier.
func dropContained(groups []Group) []Group {
	slices.SortStableFunc(groups, func(a, b Group) int {
		if c := cmp.Compare(len(b.Rows), len(a.Rows)); c != 0 {
			return c
		}
		return cmp.Compare(a.Anchor, b.Anchor)
	})
	byRow := map[int][]int{} // row → kept groups holding it
	var kept []Group
	for _, g := range groups {
		contained := false
		for _, k := range byRow[g.Rows[0]] {
			if subset(g.Rows, kept[k].Rows) {
				contained = true
				break
			}
		}
		if contained {
			continue
		}
		for _, r := range g.Rows {
			byRow[r] = append(byRow[r], len(kept))
		}
		kept = append(kept, g)
	}
	return kept
}

// subset reports whether every element of a is in b; both ascending.
func subset(a, b []int) bool {
	if len(a) > len(b) {
		return false
	}
	j := 0
	for _, x := range a {
		for j < len(b) && b[j] < x {
			j++
		}
		if j == len(b) || b[j] != x {
			return false
		}
		j++
	}
	return true
}
