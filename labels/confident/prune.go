package confident

import (
	"cmp"
	"math"
	"slices"
)

// sampleMinRows is the class size from which the noise-rate filter
// brackets its cuts with a sample instead of selecting on every margin.
const sampleMinRows = 1024

// prune runs filter._prune_by_count (noise rate) and/or
// filter._prune_by_class for every class, setting flagNoise and flagClass.
// pcm is the prune count matrix, rows = true label, columns = given label.
//
// _prune_by_count flags, for each given class k and true class j ≠ k, the
// pcm[j][k] rows np.argsort(−(p_j − p_k)) puts first among the rows
// labelled k. Selecting on every margin would mean a column of keys per
// (k, j) gathered from rows scattered through the input. Instead, for
// classes of at least sampleFrom rows, a sorted sample of each column
// brackets its cut; one pass over the input in row order keeps, per (k,
// j), the rows whose key lies below the bracket (certainly flagged) and
// within it (candidates); a selection among the candidates finishes the
// cut. When a bracket misses, or equal keys straddle the cut, that (k, j)
// falls back to its full column, so the result is always exactly
// np.argsort's.
func prune(o Options, p Probs, labels []int, pcm, counts []int64, start []int, classRows []int32, selfConf []float64, flags []uint8, chunks []span, sampleFrom int) {
	k, w := p.K, o.Workers
	byNoise := o.Filter == FilterPruneByNoiseRate || o.Filter == FilterBoth
	byClass := o.Filter == FilterPruneByClass || o.Filter == FilterBoth
	// Largest classes first, so that workers finish together.
	classes := make([]int, k)
	for j := range classes {
		classes[j] = j
	}
	slices.SortStableFunc(classes, func(a, b int) int { return cmp.Compare(counts[b], counts[a]) })
	pruned := func(kc int) bool {
		// Classes of at most min_examples_per_class rows are not pruned
		// (Cleanlab warns), and a one-row class's mask is never applied.
		nk := int(counts[kc])
		return nk > o.MinExamplesPerClass && nk > 1
	}

	// The (k, j) pairs to cut, and for large classes their brackets.
	pl := &pairList{first: make([]int, k+1)}
	for kc := range k {
		pl.first[kc] = len(pl.js)
		if !byNoise || !pruned(kc) {
			continue
		}
		nk := int(counts[kc])
		for j := range k {
			if m := pcm[j*k+kc]; j != kc && m > 0 {
				pl.js = append(pl.js, j)
				pl.ms = append(pl.ms, int(min(m, int64(nk))))
			}
		}
	}
	pl.first[k] = len(pl.js)
	npairs := len(pl.js)
	pl.lo, pl.hi = make([]float64, npairs), make([]float64, npairs)
	pl.expect = make([]float64, 2*npairs)
	streamed := make([]bool, k)
	for kc := range k {
		streamed[kc] = pl.first[kc+1] > pl.first[kc] && int(counts[kc]) >= sampleFrom
	}
	parallel(k, w, func(kc int) {
		if streamed[kc] {
			pl.bracket(p, kc, classRows[start[kc]:start[kc+1]])
		}
	})

	// One pass in row order over the rows of the large classes.
	var parts [][]pairRows
	if slices.Contains(streamed, true) {
		parts = make([][]pairRows, len(chunks))
		parallel(len(chunks), w, func(c int) {
			parts[c] = pl.collect(p, labels, streamed, chunks[c])
		})
	}

	scr := make([]pruneScratch, w)
	parallelW(k, w, func(wk, t int) {
		kc := classes[t]
		if !pruned(kc) {
			return
		}
		rows := classRows[start[kc]:start[kc+1]]
		s := &scr[wk]
		if byClass {
			// _prune_by_class: the num_issues smallest p_k, np.argsort order.
			m := len(rows) - int(pcm[kc*k+kc])
			for _, pos := range s.sel.smallest(selfConf[start[kc]:start[kc+1]], m) {
				flags[rows[pos]] |= flagClass
			}
		}
		for pi := pl.first[kc]; pi < pl.first[kc+1]; pi++ {
			if !streamed[kc] || !s.finish(pl, pi, parts, flags) {
				s.full(p, kc, pl.js[pi], pl.ms[pi], rows, flags)
			}
		}
	})
}

// pairList holds the (given k, true j) pairs the noise-rate filter cuts:
// the pairs of class k are js[first[k]:first[k+1]], with their counts ms
// and key brackets [lo, hi].
type pairList struct {
	first  []int
	js, ms []int
	lo, hi []float64
	// expect[2p], expect[2p+1]: the expected share of all rows that are
	// certain, and candidates, for pair p (from the sample).
	expect []float64
}

// bracket sets lo and hi for the pairs of class kc from an evenly spaced
// sample of its rows: ranks well below and above where the cut falls.
func (pl *pairList) bracket(p Probs, kc int, rows []int32) {
	k, data, nk := p.K, p.Data, len(rows)
	a, b := pl.first[kc], pl.first[kc+1]
	ns := max(1, min(1024, nk/4))
	sample := make([]float64, (b-a)*ns)
	for i := range ns {
		off := int(rows[i*nk/ns]) * k
		row := data[off : off+k : off+k]
		pk := row[kc]
		for c, j := range pl.js[a:b] {
			sample[c*ns+i] = -(row[j] - pk)
		}
	}
	for c := range b - a {
		sm := sample[c*ns : (c+1)*ns]
		slices.Sort(sm)
		q := float64(pl.ms[a+c]) / float64(nk)
		r := q * float64(ns)
		d := 4*math.Sqrt(float64(ns)*q*(1-q)) + 3
		pl.lo[a+c], pl.hi[a+c] = math.Inf(-1), math.Inf(1)
		rlo, rhi := int(math.Floor(r-d)), int(math.Ceil(r+d))
		if rlo >= 0 {
			pl.lo[a+c] = sm[rlo]
		}
		if rhi < ns {
			pl.hi[a+c] = sm[rhi]
		}
		share := float64(nk) / float64(p.N) / float64(ns) // of all rows, per sample rank
		pl.expect[2*(a+c)] = float64(max(rlo, 0)) * share
		pl.expect[2*(a+c)+1] = float64(min(rhi+1, ns)-max(rlo, 0)) * share
	}
}

// pairRows are one chunk's rows for one pair: those certainly in the cut
// and the candidates with their keys.
type pairRows struct {
	sure []int32
	cand []candidate
}

type candidate struct {
	key float64
	row int32
}

// collect sorts the rows of chunk s, for every pair of a streamed class,
// into certain and candidate rows.
func (pl *pairList) collect(p Probs, labels []int, streamed []bool, s span) []pairRows {
	k, data := p.K, p.Data
	out := make([]pairRows, len(pl.js))
	for pi := range out {
		// room for this chunk's share of the expected rows
		rows := float64(s.hi - s.lo)
		sure := min(pl.expect[2*pi]*1.2, 1) * rows
		cand := min(pl.expect[2*pi+1]*1.2, 1) * rows
		out[pi].sure = make([]int32, 0, int(sure)+16)
		out[pi].cand = make([]candidate, 0, int(cand)+16)
	}
	for i := s.lo; i < s.hi; i++ {
		l := labels[i]
		if !streamed[l] {
			continue
		}
		a, b := pl.first[l], pl.first[l+1]
		js, lo, hi, pr := pl.js[a:b], pl.lo[a:b], pl.hi[a:b], out[a:b]
		row := data[i*k : (i+1)*k : (i+1)*k]
		pk := row[l]
		for c, j := range js {
			key := -(row[j] - pk)
			if key <= hi[c] {
				if key < lo[c] {
					pr[c].sure = append(pr[c].sure, int32(i))
				} else {
					pr[c].cand = append(pr[c].cand, candidate{key, int32(i)})
				}
			}
		}
	}
	return out
}

// pruneScratch is one worker's reusable buffers.
type pruneScratch struct {
	sel  selector
	col  []float64
	keys []float64
}

// finish completes the cut of pair pi from the chunks' rows, flagging its
// rows, and reports whether it could: false when the bracket missed the
// cut or equal keys straddle it.
func (s *pruneScratch) finish(pl *pairList, pi int, parts [][]pairRows, flags []uint8) bool {
	sure := 0
	s.keys = s.keys[:0]
	for _, pr := range parts {
		sure += len(pr[pi].sure)
		for _, x := range pr[pi].cand {
			s.keys = append(s.keys, x.key)
		}
	}
	need := pl.ms[pi] - sure
	if need < 0 || need > len(s.keys) {
		return false
	}
	cut := math.Inf(-1)
	if need > 0 {
		less, eq := 0, 0
		cut = nthSmallest(s.keys, need-1)
		for _, v := range s.keys {
			if v < cut {
				less++
			} else if v == cut {
				eq++
			}
		}
		if less+eq != need {
			return false
		}
	}
	for _, pr := range parts {
		for _, r := range pr[pi].sure {
			flags[r] |= flagNoise
		}
		for _, x := range pr[pi].cand {
			if x.key <= cut {
				flags[x.row] |= flagNoise
			}
		}
	}
	return true
}

// full flags the m rows of class kc (rows in row order) that
// np.argsort(−(p_j − p_kc))[:m] picks, selecting on the whole column.
func (s *pruneScratch) full(p Probs, kc, j, m int, rows []int32, flags []uint8) {
	k, data := p.K, p.Data
	s.col = grow(s.col, len(rows))
	for t, r := range rows {
		off := int(r) * k
		s.col[t] = -(data[off+j] - data[off+kc])
	}
	for _, pos := range s.sel.smallest(s.col, m) {
		flags[rows[pos]] |= flagNoise
	}
}

// grow returns b resliced to n elements, reallocated if too small.
func grow(b []float64, n int) []float64 {
	if cap(b) < n {
		return make([]float64, n)
	}
	return b[:n]
}

// rankFlagged lists the rows with issue[i] set, ordered by score, then
// row: the rows are gathered in row order, then radix-sorted (stably) on
// their scores.
func rankFlagged(issue []bool, scores []float64, chunks []span, flagged []int, w int) []int {
	total := 0
	offs := make([]int, len(chunks))
	for c, m := range flagged {
		offs[c] = total
		total += m
	}
	items := make([]ranked, total)
	parallel(len(chunks), w, func(c int) {
		at := offs[c]
		for i := chunks[c].lo; i < chunks[c].hi; i++ {
			if issue[i] {
				items[at] = ranked{sortKey(scores[i]), int32(i)}
				at++
			}
		}
	})
	items = radixSort(items, make([]ranked, total))
	order := make([]int, total)
	for i, it := range items {
		order[i] = int(it.row)
	}
	return order
}

// ranked is a flagged row with its score as a sortKey.
type ranked struct {
	key uint64
	row int32
}

// sortKey maps a float64 (not NaN) to a uint64 in the same order, −0
// and +0 alike.
func sortKey(f float64) uint64 {
	if f == 0 {
		f = 0 // −0 → +0
	}
	b := math.Float64bits(f)
	if b>>63 != 0 {
		return ^b
	}
	return b | 1<<63
}

// radixSort sorts a by key, stably, with tmp (len(a)) as scratch: an LSD
// radix sort by 11-bit digits, skipping digits all keys share. It returns
// the sorted slice, a or tmp.
func radixSort(a, tmp []ranked) []ranked {
	const bitsPer = 11
	const buckets = 1 << bitsPer
	var count [buckets]int
	for shift := 0; shift < 64; shift += bitsPer {
		clear(count[:])
		for _, x := range a {
			count[(x.key>>shift)&(buckets-1)]++
		}
		if len(a) == 0 || count[(a[0].key>>shift)&(buckets-1)] == len(a) {
			continue // every key has this digit
		}
		sum := 0
		for d, c := range count {
			count[d] = sum
			sum += c
		}
		for _, x := range a {
			d := (x.key >> shift) & (buckets - 1)
			tmp[count[d]] = x
			count[d]++
		}
		a, tmp = tmp, a
	}
	return a
}
