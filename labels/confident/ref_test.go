package confident

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// refFindIssues is cleanlab.filter.find_label_issues transliterated line
// by line, single-threaded, with a full np.argsort (npArgsort) wherever
// Cleanlab sorts. FindIssues selects instead of sorting, samples, and
// runs in parallel; the differential tests hold it to this reference.
// It returns the mask, the num_label_issues estimate and the ranked rows
// (ties by row).
func refFindIssues(labels []int, p Probs, o Options) (issue []bool, numIssues int, order []int) {
	o = o.withDefaults()
	n, k := p.N, p.K
	counts := make([]int64, k)
	for _, l := range labels {
		counts[l]++
	}
	// get_confident_thresholds
	thr := make([]float64, k)
	for j := range k {
		var v []float64
		for i, l := range labels {
			if l == j {
				v = append(v, p.At(i, j))
			}
		}
		thr[j] = threshold(v)
	}
	// compute_confident_joint
	cj := make([]int64, k*k)
	offDiag := make([]bool, n)
	argmax := func(row []float64) int {
		b := 0
		for j, v := range row {
			if v > row[b] {
				b = j
			}
		}
		return b
	}
	for i := range n {
		row := p.Row(i)
		var conf []int
		for j, v := range row {
			if v >= thr[j]-1e-6 {
				conf = append(conf, j)
			}
		}
		if len(conf) == 0 {
			continue
		}
		g := conf[0]
		if len(conf) > 1 {
			g = argmax(row)
		}
		cj[labels[i]*k+g]++
		offDiag[i] = g != labels[i]
	}
	for j := range k {
		cj[j*k+j] = max(cj[j*k+j], 1)
	}
	cal, _ := calibrate(cj, counts, k)
	// _reduce_issues
	keep := make([]bool, n)
	for i := range n {
		row := slices.Clone(p.Row(i))
		row[labels[i]] += 1e-6
		keep[i] = argmax(row) == labels[i]
	}
	for i := range n {
		if offDiag[i] && !keep[i] {
			numIssues++
		}
	}
	rowsOf := func(kc int) []int {
		var r []int
		for i, l := range labels {
			if l == kc {
				r = append(r, i)
			}
		}
		return r
	}
	idx := func(n int) []int { return make([]int, n) }
	mask := make([]bool, n)
	switch o.Filter {
	case FilterPruneByNoiseRate, FilterPruneByClass, FilterBoth:
		pcm := pruneCounts(cal, k, o.MinExamplesPerClass, o.FracNoise)
		byClass := make([]bool, n)
		byNoise := make([]bool, n)
		for kc := range k {
			rows := rowsOf(kc)
			nk := len(rows)
			if nk <= o.MinExamplesPerClass || nk <= 1 {
				continue
			}
			// _prune_by_class
			if m := nk - int(pcm[kc*k+kc]); m >= 1 {
				keys := make([]float64, nk)
				for t, r := range rows {
					keys[t] = p.At(r, kc)
				}
				ord := idx(nk)
				npArgsort(keys, ord)
				for _, t := range ord[:min(m, nk)] {
					byClass[rows[t]] = true
				}
			}
			// _prune_by_count
			for j := range k {
				m := int(pcm[j*k+kc])
				if j == kc || m <= 0 {
					continue
				}
				keys := make([]float64, nk)
				for t, r := range rows {
					keys[t] = -(p.At(r, j) - p.At(r, kc))
				}
				ord := idx(nk)
				npArgsort(keys, ord)
				for _, t := range ord[:min(m, nk)] {
					byNoise[rows[t]] = true
				}
			}
		}
		for i := range n {
			switch o.Filter {
			case FilterPruneByNoiseRate:
				mask[i] = byNoise[i]
			case FilterPruneByClass:
				mask[i] = byClass[i]
			default:
				mask[i] = byNoise[i] && byClass[i]
			}
		}
	case FilterConfidentLearning:
		copy(mask, offDiag)
	case FilterPredictedNeqGiven:
		for i := range n {
			mask[i] = argmax(p.Row(i)) != labels[i]
		}
	case FilterLowNormalizedMargin, FilterLowSelfConfidence:
		m := RankSelfConfidence
		if o.Filter == FilterLowNormalizedMargin {
			m = RankNormalizedMargin
		}
		sc := refScores(labels, p, m)
		ord := idx(n)
		npArgsort(sc, ord)
		for _, i := range ord[:numIssues] {
			mask[i] = true
		}
	}
	if o.Filter != FilterLowNormalizedMargin && o.Filter != FilterLowSelfConfidence {
		for i := range n {
			if keep[i] {
				mask[i] = false
			}
		}
	}
	sc := refScores(labels, p, o.Rank)
	for i, b := range mask {
		if b {
			order = append(order, i)
		}
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(sc[a], sc[b]) })
	return mask, numIssues, order
}

// refScores is rank.get_label_quality_scores, one row at a time.
func refScores(labels []int, p Probs, method string) []float64 {
	out := make([]float64, p.N)
	buf := make([]float64, p.K)
	for i := range p.N {
		row, l := p.Row(i), labels[i]
		switch method {
		case RankNormalizedMargin:
			mx := math.Inf(-1)
			for j, v := range row {
				if j != l {
					mx = math.Max(mx, v)
				}
			}
			out[i] = (row[l] - mx + 1) / 2
		case RankConfidenceWeightedEntropy:
			out[i] = confidenceWeightedEntropy(row, l, math.Log(float64(p.K)), buf)
		default:
			out[i] = row[l]
		}
	}
	return out
}

// randomCase makes labels and probabilities with label noise. With grid
// > 0 the probabilities are multiples of 1/grid, so that thresholds,
// margins and argmaxes tie often. Some classes may have no rows.
func randomCase(rng *rand.Rand, n, k int, grid int, noise float64) ([]int, Probs) {
	labels := make([]int, n)
	p := Probs{N: n, K: k, Data: make([]float64, n*k)}
	skip := -1
	if rng.IntN(4) == 0 {
		skip = rng.IntN(k) // a class no row is labelled with
	}
	for i := range n {
		t := rng.IntN(k)
		row := p.Data[i*k : (i+1)*k]
		if grid > 0 {
			q := make([]int, k)
			for range grid {
				if rng.IntN(3) == 0 {
					q[t]++
				} else {
					q[rng.IntN(k)]++
				}
			}
			for j := range row {
				row[j] = float64(q[j]) / float64(grid)
			}
		} else {
			s := 0.0
			for j := range row {
				row[j] = rng.Float64()
				if j == t {
					row[j] += 1.5
				}
				s += row[j]
			}
			for j := range row {
				row[j] /= s
			}
		}
		l := t
		if rng.Float64() < noise {
			l = rng.IntN(k)
		}
		if l == skip {
			l = (l + 1) % k
		}
		labels[i] = l
	}
	return labels, p
}

var allFilters = []string{FilterPruneByNoiseRate, FilterPruneByClass, FilterBoth, FilterConfidentLearning,
	FilterPredictedNeqGiven, FilterLowNormalizedMargin, FilterLowSelfConfidence}

var allRanks = []string{RankSelfConfidence, RankNormalizedMargin, RankConfidenceWeightedEntropy}

// TestMatchesReference holds FindIssues (selection, sampling with every
// class sampled or none, 1 and 3 workers) to the sort-everything
// reference on random inputs full of ties.
func TestMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for c := range 60 {
		n := 2 + rng.IntN(3000)
		k := 2 + rng.IntN(11)
		grid := []int{0, 5, 10, 20, 100}[rng.IntN(5)]
		noise := rng.Float64() * 0.5
		labels, p := randomCase(rng, n, k, grid, noise)
		if Validate(labels, p, DefaultSumTol) != nil {
			continue // a single class other than 0
		}
		o := Options{
			Filter: allFilters[c%len(allFilters)],
			Rank:   allRanks[c%len(allRanks)],
		}
		if rng.IntN(3) == 0 {
			o.FracNoise = 0.1 + 0.9*rng.Float64()
			o.MinExamplesPerClass = 1 + rng.IntN(30)
		}
		name := fmt.Sprintf("%d/n=%d,k=%d,grid=%d,%s,frac=%v,min=%d", c, n, k, grid, o.Filter, o.FracNoise, o.MinExamplesPerClass)
		t.Run(name, func(t *testing.T) {
			wantIssue, wantNum, wantOrder := refFindIssues(labels, p, o)
			for _, sampleFrom := range []int{2, sampleMinRows, math.MaxInt} {
				for _, w := range []int{1, 3} {
					o.Workers = w
					res, err := findIssues(labels, p, o, sampleFrom)
					if err != nil {
						t.Fatal(err)
					}
					if !slices.Equal(res.Issue, wantIssue) {
						t.Errorf("sampleFrom %d, workers %d: mask differs from the reference at rows %v", sampleFrom, w, differing(res.Issue, wantIssue))
					}
					if res.NumIssues != wantNum {
						t.Errorf("num issues %d, want %d", res.NumIssues, wantNum)
					}
					if !slices.Equal(res.Order, wantOrder) {
						t.Errorf("sampleFrom %d, workers %d: order %v, want %v", sampleFrom, w, res.Order, wantOrder)
					}
				}
			}
		})
	}
}

func differing(a, b []bool) []int {
	var out []int
	for i := range a {
		if a[i] != b[i] {
			out = append(out, i)
		}
	}
	return out
}

// TestWorkersBigInput checks that a large input (many chunks, sampled
// classes) gives the same result on 1, 2 and 5 workers and matches the
// reference.
func TestWorkersBigInput(t *testing.T) {
	if testing.Short() {
		t.Skip("large input")
	}
	for _, spec := range []genSpec{
		{N: 120_000, K: 7, Seed: 3, Noise: 0.25, Peak: 1},
		{N: 100_000, K: 3, Seed: 4, Noise: 0.2, Peak: 0.5, Grid: 100},
	} {
		labels, p := genCase(spec)
		for _, f := range []string{FilterPruneByNoiseRate, FilterBoth, FilterLowSelfConfidence} {
			o := Options{Filter: f, Rank: RankNormalizedMargin}
			wantIssue, _, wantOrder := refFindIssues(labels, p, o)
			for _, w := range []int{1, 2, 5} {
				o.Workers = w
				res, err := FindIssues(labels, p, o)
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(res.Issue, wantIssue) || !slices.Equal(res.Order, wantOrder) {
					t.Errorf("%+v %s, workers %d: differs from the reference (rows %v)", spec, f, w, differing(res.Issue, wantIssue))
				}
			}
		}
	}
}

// TestSelectorMatchesArgsort checks selector.smallest against
// np.argsort(keys)[:m] on keys with many ties.
func TestSelectorMatchesArgsort(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	var s selector
	for range 500 {
		n := 1 + rng.IntN(400)
		levels := 1 + rng.IntN(20)
		keys := make([]float64, n)
		for i := range keys {
			keys[i] = float64(rng.IntN(levels)) / float64(levels)
			if rng.IntN(10) == 0 {
				keys[i] = math.Copysign(0, -1) // −0 ties with +0
			}
		}
		m := rng.IntN(n + 2)
		got := slices.Clone(s.smallest(keys, m))
		ord := make([]int, n)
		npArgsort(keys, ord)
		want := slices.Clone(ord[:min(m, n)])
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Fatalf("keys %v, m %d: got %v, want %v", keys, m, got, want)
		}
	}
}

func TestNthSmallest(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for range 300 {
		n := 1 + rng.IntN(300)
		a := make([]float64, n)
		for i := range a {
			a[i] = float64(rng.IntN(1 + rng.IntN(50)))
		}
		sorted := slices.Sorted(slices.Values(a))
		k := rng.IntN(n)
		if got := nthSmallest(slices.Clone(a), k); got != sorted[k] {
			t.Fatalf("nthSmallest(%v, %d) = %v, want %v", a, k, got, sorted[k])
		}
	}
}

func TestRadixSortStable(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for range 50 {
		n := rng.IntN(5000)
		a := make([]ranked, n)
		for i := range a {
			v := float64(rng.IntN(30))/7 - 2
			if rng.IntN(20) == 0 {
				v = math.Copysign(0, -1)
			}
			a[i] = ranked{sortKey(v), int32(i)}
		}
		want := slices.Clone(a)
		slices.SortStableFunc(want, func(x, y ranked) int { return cmp.Compare(x.key, y.key) })
		if got := radixSort(a, make([]ranked, n)); !slices.Equal(got, want) {
			t.Fatal("radix sort differs from a stable sort")
		}
	}
	for _, pair := range [][2]float64{{-1, -0.5}, {-0.5, 0}, {0, 1e-300}, {0.5, 1}, {math.Copysign(0, -1), 0}} {
		if a, b := sortKey(pair[0]), sortKey(pair[1]); a > b || (pair[0] == pair[1]) != (a == b) {
			t.Errorf("sortKey(%v) = %x, sortKey(%v) = %x: out of order", pair[0], a, pair[1], b)
		}
	}
}

// TestManyClasses covers more than 64 classes (no bit set of confident
// classes) against the reference.
func TestManyClasses(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for _, k := range []int{64, 65, 100} {
		labels, p := randomCase(rng, 3000, k, []int{0, 200}[k%2], 0.3)
		for _, f := range []string{FilterPruneByNoiseRate, FilterBoth, FilterConfidentLearning, FilterLowNormalizedMargin} {
			o := Options{Filter: f, Workers: 2}
			wantIssue, wantNum, wantOrder := refFindIssues(labels, p, o)
			for _, sampleFrom := range []int{2, math.MaxInt} {
				res, err := findIssues(labels, p, o, sampleFrom)
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(res.Issue, wantIssue) || res.NumIssues != wantNum || !slices.Equal(res.Order, wantOrder) {
					t.Errorf("k=%d %s sampleFrom %d: differs from the reference at rows %v", k, f, sampleFrom, differing(res.Issue, wantIssue))
				}
			}
		}
	}
}
