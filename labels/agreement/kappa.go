package agreement

import "math"

// Kappa is a kappa coefficient with the agreements it is made of.
type Kappa struct {
	// Value is (Observed − Expected) / (1 − Expected), or NaN when
	// Undefined is not Defined.
	Value float64
	// N is the number of items compared.
	N int
	// Observed is the observed agreement and Expected the agreement
	// expected by chance from the margins; both NaN when N is 0.
	Observed, Expected float64
	// Undefined says why Value is NaN.
	Undefined Reason
}

// Pair is Cohen's kappa of annotators A < B on the items both labelled.
type Pair struct {
	A, B int
	Kappa
}

// CohenKappa returns Cohen's kappa for every pair of annotators, in the
// order (0,1), (0,2), …, (0,n-1), (1,2), …, each on the items both
// annotators labelled. It matches sklearn.metrics.cohen_kappa_score(y1,
// y2) (unweighted) on those items: 1 − Σ_{j≠l} C_jl / Σ_{j≠l} E_jl with C
// the confusion matrix and E the outer product of its margins over N.
//
// A pair with no co-labelled item is NaN with NoItems (sklearn returns nan
// on empty input). A pair where both annotators used one and the same
// category is NaN with NoVariation (expected agreement 1, sklearn returns
// nan with a RuntimeWarning); that is the only way chance agreement can be
// 1. Fewer than two annotators give no pairs.
func CohenKappa(r Ratings) ([]Pair, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	n := r.Annotators
	if n < 2 {
		return []Pair{}, nil
	}
	pairs := make([]Pair, 0, n*(n-1)/2)
	ma := make([]int64, r.K)
	mb := make([]int64, r.K)
	for a := 0; a < n; a++ {
		for b := a + 1; b < n; b++ {
			clear(ma)
			clear(mb)
			var co, agree int64
			for i := 0; i < len(r.Labels); i += n {
				la, lb := r.Labels[i+a], r.Labels[i+b]
				if la < 0 || lb < 0 {
					continue
				}
				co++
				if la == lb {
					agree++
				}
				ma[la]++
				mb[lb]++
			}
			pairs = append(pairs, Pair{A: a, B: b, Kappa: cohen(co, agree, ma, mb)})
		}
	}
	return pairs, nil
}

// cohen computes kappa from the co-labelled count, the agreements and the
// two annotators' label counts, in sklearn's order of operations.
func cohen(n, agree int64, ma, mb []int64) Kappa {
	k := Kappa{N: int(n)}
	if n == 0 {
		k.Observed, k.Expected = math.NaN(), math.NaN()
		k.Value, k.Undefined = math.NaN(), NoItems
		return k
	}
	var dot int64 // Σ_k a_k b_k: n² times the expected agreement
	for c, x := range ma {
		dot += x * mb[c]
	}
	fn := float64(n)
	k.Observed = float64(agree) / fn
	k.Expected = float64(dot) / (fn * fn)
	if dot == n*n {
		k.Value, k.Undefined = math.NaN(), NoVariation
		return k
	}
	// sklearn: k = Σ w·confusion / Σ w·expected, kappa = 1 − k, where
	// expected = outer(margins) / n and w is 1 off the diagonal.
	k.Value = 1 - float64(n-agree)/(float64(n*n-dot)/fn)
	return k
}

// FleissKappa returns Fleiss' kappa over the items labelled by every
// annotator (Kappa.N of them; items with any Missing label are left out).
// It matches statsmodels.stats.inter_rater.fleiss_kappa(table,
// method='fleiss') with table = aggregate_raters(those rows)[0]: P̄ the mean
// over items of (Σ_j n_ij² − n) / (n(n−1)), P̄e = Σ_j p_j² with p_j the
// share of all labels in category j, kappa = (P̄ − P̄e) / (1 − P̄e).
//
// Fewer than two annotators is NaN with TooFewAnnotators; no complete item
// is NaN with NoItems (statsmodels raises on an empty table); a single
// category used throughout is NaN with NoVariation (statsmodels returns
// nan).
func FleissKappa(r Ratings) (Kappa, error) {
	if err := r.Validate(); err != nil {
		return Kappa{}, err
	}
	n := r.Annotators
	counts := make([]int64, r.K)
	t := newTally(r.K, n)
	var items, sumSq int64 // complete items; Σ_i Σ_j n_ij²
	for i := 0; i < len(r.Labels); i += n {
		row := r.Labels[i : i+n]
		complete := true
		for _, l := range row {
			if l < 0 {
				complete = false
				break
			}
		}
		if !complete {
			continue
		}
		items++
		// Σ_j n_ij² over the item, accumulated as each label arrives:
		// (c+1)² − c² = 2c + 1.
		for _, l := range row {
			sumSq += 2*int64(t.add(l)) + 1
			counts[l]++
		}
		t.reset()
	}
	k := Kappa{N: int(items)}
	if n < 2 {
		k.Observed, k.Expected = math.NaN(), math.NaN()
		k.Value, k.Undefined = math.NaN(), TooFewAnnotators
		return k, nil
	}
	if items == 0 {
		k.Observed, k.Expected = math.NaN(), math.NaN()
		k.Value, k.Undefined = math.NaN(), NoItems
		return k, nil
	}
	total := float64(items) * float64(n)
	var pe float64
	var dot int64
	for _, c := range counts {
		p := float64(c) / total
		pe += p * p
		dot += c * c
	}
	fn := float64(n)
	k.Observed = (float64(sumSq) - total) / (total * (fn - 1))
	k.Expected = pe
	if dot == items*items*int64(n)*int64(n) {
		k.Value, k.Undefined = math.NaN(), NoVariation
		return k, nil
	}
	k.Value = (k.Observed - pe) / (1 - pe)
	return k, nil
}

// tally counts the labels of one item: add returns the count of l before
// adding it, reset clears only the labels seen, so an item costs
// O(annotators) whatever K is.
type tally struct {
	cnt      []int32 // per class
	distinct []int32 // classes with cnt > 0, in order of first vote
}

func newTally(k, annotators int) *tally {
	return &tally{cnt: make([]int32, k), distinct: make([]int32, 0, annotators)}
}

func (t *tally) add(l int32) int32 {
	c := t.cnt[l]
	if c == 0 {
		t.distinct = append(t.distinct, l)
	}
	t.cnt[l] = c + 1
	return c
}

func (t *tally) reset() {
	for _, l := range t.distinct {
		t.cnt[l] = 0
	}
	t.distinct = t.distinct[:0]
}
