package conflicts

import (
	"cmp"
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
)

// Random-projection LSH (E2LSH, Datar et al. 2004) over the embedded
// points. A hash is h(x) = floor((a·x + b) / w) with a Gaussian: for two
// points at distance c it agrees with probability p(c) (pStable), falling
// with c. A table concatenates M hashes; points with the same M values
// share a bucket and are compared exactly. L tables raise the chance that
// two near points meet in some bucket to 1 − (1 − p(r)^M)^L.
//
// Text features are one-hot coordinates scaled by 1/√2; their projection
// is a Gaussian per (hash, column, value), picked from a table of 1,024
// Gaussians by a hash of the three, so no table of categories is kept.
// (Two values picking the same Gaussian, with probability 1/1,024 per
// hash, only make a collision a little likelier.)

// lshParams are the settings of one search.
type lshParams struct {
	k         int
	radius    float64
	maxTables int
	seed      uint64
	workers   int
}

const (
	lshRecall     = 0.98 // the wanted chance of finding a neighbour at distance r
	lshMaxHashes  = 32
	lshSample     = 100   // points whose K-th neighbour distance sets r
	lshPairs      = 20000 // random pairs that estimate collisions
	lshCandidates = 32    // wanted candidates per point and table, at least
)

// pStable is the probability that a hash of width w agrees for two points
// at distance c.
func pStable(c, w float64) float64 {
	if c == 0 {
		return 1
	}
	t := w / c
	phi := 0.5 * math.Erfc(t/math.Sqrt2) // Φ(−t)
	return 1 - 2*phi - 2/(math.Sqrt(2*math.Pi)*t)*(1-math.Exp(-t*t/2))
}

// lsh finds every point's neighbours approximately. It also returns the
// recall measured on a sample of points: the share of their exact
// neighbours it found.
func (s *space) lsh(ctx context.Context, p lshParams) ([][]neighbour, float64, error) {
	if s.m < 2 {
		return make([][]neighbour, s.m), 1, nil
	}
	r2 := math.Inf(1)
	if p.radius > 0 {
		r2 = p.radius * p.radius
	}
	out := make([]nearest, s.m)
	for i := range out {
		out[i] = nearest{k: p.k, r2: r2}
	}
	rng := rand.New(rand.NewPCG(p.seed, 0x5bd1e995))
	sample, truth := s.sampleTruth(ctx, p, rng)
	if err := ctx.Err(); err != nil {
		return nil, 0, err
	}
	r := scale(p, truth)
	w := 4 * r
	hashes, tables := s.shape(p, w, r, rng)
	window := 2 * max(2*p.k, 64)
	var gauss [1024]float64 // Gaussians for text values, scaled by 1/√2
	for i := range gauss {
		gauss[i] = rng.NormFloat64() / math.Sqrt2
	}

	keys := make([]lshKey, s.m)
	a := make([]float64, hashes*s.dn)
	b := make([]float64, hashes)
	for range tables {
		if err := ctx.Err(); err != nil {
			return nil, 0, err
		}
		for i := range a {
			a[i] = rng.NormFloat64()
		}
		for i := range b {
			b[i] = rng.Float64() * w
		}
		h := hasher{a: a, b: b, w: w, hashes: hashes, textSeed: rng.Uint64(), gauss: &gauss}
		err := forBlocks(ctx, s.m, 4096, p.workers, func(lo, hi int) {
			proj := make([]float64, hashes)
			for i := lo; i < hi; i++ {
				keys[i] = h.key(s, i, proj)
			}
		})
		if err != nil {
			return nil, 0, err
		}
		slices.SortFunc(keys, func(x, y lshKey) int {
			if x.h != y.h {
				return cmp.Compare(x.h, y.h)
			}
			if c := cmp.Compare(x.proj, y.proj); c != 0 {
				return c
			}
			return cmp.Compare(x.i, y.i)
		})
		// Buckets are runs of one key; within a bucket, points are in the
		// order of their first projection, and each is compared with the
		// next window/2. Workers take whole buckets, so each point's
		// neighbours are updated by one goroutine.
		cuts := bucketCuts(keys, p.workers)
		var wg sync.WaitGroup
		for c := range len(cuts) - 1 {
			lo, hi := cuts[c], cuts[c+1]
			wg.Go(func() {
				for i := lo; i < hi && ctx.Err() == nil; {
					j := i + 1
					for j < hi && keys[j].h == keys[i].h {
						j++
					}
					for x := i; x < j; x++ {
						pi := int(keys[x].i)
						for y := x + 1; y < min(j, x+1+window/2); y++ {
							pj := int(keys[y].i)
							ni, nj := &out[pi], &out[pj]
							if p.k > 0 && ni.has(int32(pj)) {
								continue
							}
							bound := max(ni.bound(), nj.bound())
							d2 := s.dist2(pi, pj, bound)
							if d2 > bound {
								continue
							}
							ni.offer(neighbour{j: int32(pj), d2: d2})
							if !(p.k > 0 && nj.has(int32(pi))) {
								nj.offer(neighbour{j: int32(pi), d2: d2})
							}
						}
					}
					i = j
				}
			})
		}
		wg.Wait()
	}
	if err := ctx.Err(); err != nil {
		return nil, 0, err
	}
	nb := make([][]neighbour, s.m)
	for i := range out {
		nb[i] = out[i].sorted()
	}
	found, total := 0, 0
	for x, i := range sample {
		for _, t := range truth[x] {
			total++
			if slices.ContainsFunc(nb[i], func(n neighbour) bool { return n.j == t.j }) {
				found++
			}
		}
	}
	recall := 1.0
	if total > 0 {
		recall = float64(found) / float64(total)
	}
	return nb, recall, nil
}

// lshKey is a point's bucket in one table and its first projection.
type lshKey struct {
	h    uint64
	proj float64
	i    int32
}

// hasher is one table's hash functions.
type hasher struct {
	a, b     []float64 // numeric projections (hashes × dn) and offsets
	w        float64
	hashes   int
	textSeed uint64
	gauss    *[1024]float64
}

// key hashes point i; proj is scratch of length hashes.
func (h *hasher) key(s *space, i int, proj []float64) lshKey {
	x := s.x[i*s.dn : (i+1)*s.dn]
	copy(proj, h.b)
	for f := range proj {
		for t, a := range h.a[f*s.dn : (f+1)*s.dn] {
			proj[f] += a * x[t]
		}
	}
	// A text value's coordinate in hash f is a Gaussian drawn, through a
	// hash of (table, column, value), from a table of 1,024: ten bits per
	// draw, six draws per 64-bit hash.
	for t, code := range s.c[i*s.dt : (i+1)*s.dt] {
		u := mix64(h.textSeed ^ uint64(t)<<32 ^ uint64(uint32(code)))
		for f := range proj {
			if f > 0 && f%6 == 0 {
				u = mix64(u + uint64(f))
			}
			proj[f] += h.gauss[u>>(10*(f%6))&1023]
		}
	}
	key := uint64(0x452821e638d01377)
	for f, v := range proj {
		q := math.Floor(v / h.w)
		q = max(min(q, 1<<62), -1<<62)
		key = combine(key, uint64(int64(q)), f)
	}
	return lshKey{h: mix64(key), proj: proj[0], i: int32(i)}
}

// bucketCuts splits sorted keys into about n ranges on bucket boundaries.
func bucketCuts(keys []lshKey, n int) []int {
	cuts := []int{0}
	step := max(1, len(keys)/max(1, n))
	for at := step; at < len(keys); at += step {
		c := at
		for c < len(keys) && keys[c].h == keys[c-1].h {
			c++
		}
		if c < len(keys) && c > cuts[len(cuts)-1] {
			cuts = append(cuts, c)
		}
	}
	return append(cuts, len(keys))
}

// sampleTruth finds the exact neighbours of a sample of points: they set
// the scale of the hashes and measure the recall.
func (s *space) sampleTruth(ctx context.Context, p lshParams, rng *rand.Rand) (sample []int, truth [][]neighbour) {
	n := min(lshSample, s.m)
	sample = rng.Perm(s.m)[:n]
	truth = make([][]neighbour, n)
	r2 := math.Inf(1)
	if p.radius > 0 {
		r2 = p.radius * p.radius
	}
	_ = forBlocks(ctx, n, 1, p.workers, func(lo, hi int) {
		for x := lo; x < hi; x++ {
			i := sample[x]
			h := nearest{k: p.k, r2: r2}
			for j := range s.m {
				if j != i {
					if d2 := s.dist2(i, j, h.bound()); d2 <= h.bound() {
						h.offer(neighbour{j: int32(j), d2: d2})
					}
				}
			}
			truth[x] = h.sorted()
		}
	})
	return sample, truth
}

// scale returns r, the neighbour distance the hashes are tuned for: the
// radius, or with K the 90th percentile of the sample's K-th neighbour
// distances (within the radius).
func scale(p lshParams, truth [][]neighbour) float64 {
	r := p.radius
	if p.k > 0 {
		var ds []float64
		for _, t := range truth {
			if len(t) > 0 {
				ds = append(ds, math.Sqrt(t[len(t)-1].d2))
			}
		}
		slices.Sort(ds)
		if len(ds) > 0 {
			r = ds[min(len(ds)-1, len(ds)*9/10)]
		}
		if r == 0 { // the sample's neighbours coincide: the nearest distance above 0
			for _, d := range ds {
				if d > 0 {
					r = d
					break
				}
			}
		}
	}
	if r == 0 {
		r = 1e-9
	}
	return r
}

// shape chooses the hashes per table, so that a point meets about
// lshCandidates other points per table (max(K, …)), estimated from random
// pairs, and the tables, so that a neighbour at distance r is found with
// probability lshRecall, up to maxTables.
func (s *space) shape(p lshParams, w, r float64, rng *rand.Rand) (hashes, tables int) {
	probs := make([]float64, lshPairs)
	for x := range probs {
		i := rng.IntN(s.m)
		j := rng.IntN(s.m - 1)
		if j >= i {
			j++
		}
		probs[x] = pStable(math.Sqrt(s.dist2(i, j, math.Inf(1))), w)
	}
	want := float64(max(p.k, lshCandidates))
	hashes = lshMaxHashes
	for m := 1; m <= lshMaxHashes; m++ {
		var mean float64
		for _, pr := range probs {
			mean += math.Pow(pr, float64(m))
		}
		if mean/float64(len(probs))*float64(s.m-1) <= want {
			hashes = m
			break
		}
	}
	pr := math.Pow(pStable(r, w), float64(hashes))
	tables = p.maxTables
	if pr >= 1 {
		tables = 1
	} else if pr > 0 {
		tables = min(p.maxTables, int(math.Ceil(math.Log(1-lshRecall)/math.Log(1-pr))))
	}
	return hashes, max(tables, 1)
}
