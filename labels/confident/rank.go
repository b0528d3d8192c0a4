package confident

import (
	"fmt"
	"github.com/assayhq/assay/dataset/npsum"
	"math"
)

// Scores returns the label quality score of every row by method (a Rank…
// constant, "" meaning RankSelfConfidence), as Cleanlab 2.9's
// cleanlab.rank.get_label_quality_scores(labels, pred_probs,
// method=method) with adjust_pred_probs=False: values in [0, 1], lower
// meaning the given label is less likely correct.
//
// The input is checked as by Validate without the row-sum check.
// RankConfidenceWeightedEntropy also needs every probability within
// [0, 1] exactly, as Cleanlab's get_normalized_entropy does.
//
// self_confidence and normalized_margin are bit for bit Cleanlab's;
// confidence_weighted_entropy uses Go's math.Log where NumPy and SciPy
// use their own log, so it may differ in the last bits.
func Scores(labels []int, p Probs, method string) ([]float64, error) {
	if err := checkRank(method); err != nil {
		return nil, err
	}
	if method == "" {
		method = RankSelfConfidence
	}
	workers := workerCount(0)
	if err := validate(labels, p, -1, workers); err != nil {
		return nil, err
	}
	out := make([]float64, p.N)
	chunks := spans(p.N, workers)
	bad := make([]int, len(chunks))
	parallel(len(chunks), workers, func(c int) {
		s := chunks[c]
		bad[c] = scoreRows(method, labels, p, s.lo, s.hi, out)
	})
	for _, b := range bad {
		if b >= 0 {
			return nil, outOfRange(p, b)
		}
	}
	return out, nil
}

// scoreRows writes the scores of rows [lo, hi) to out. For
// RankConfidenceWeightedEntropy it returns the first row with a
// probability outside [0, 1], else −1.
func scoreRows(method string, labels []int, p Probs, lo, hi int, out []float64) int {
	k, data := p.K, p.Data
	switch method {
	case RankNormalizedMargin:
		for i := lo; i < hi; i++ {
			out[i] = normalizedMargin(data[i*k:(i+1)*k:(i+1)*k], labels[i])
		}
	case RankConfidenceWeightedEntropy:
		buf := make([]float64, k)
		logK := math.Log(float64(k))
		bad := -1
		for i := lo; i < hi; i++ {
			row := data[i*k : (i+1)*k : (i+1)*k]
			if bad < 0 && !inUnit(row) {
				bad = i
			}
			out[i] = confidenceWeightedEntropy(row, labels[i], logK, buf)
		}
		return bad
	default:
		for i := lo; i < hi; i++ {
			out[i] = data[i*k+labels[i]]
		}
	}
	return -1
}

func inUnit(row []float64) bool {
	for _, v := range row {
		if v < 0 || v > 1 {
			return false
		}
	}
	return true
}

func outOfRange(p Probs, i int) error {
	for j, v := range p.Row(i) {
		if v < 0 || v > 1 {
			return &RowError{Row: i, Reason: fmt.Sprintf("probability of class %d is %v: confidence_weighted_entropy needs every probability in [0, 1]", j, v)}
		}
	}
	return &RowError{Row: i, Reason: "probability outside [0, 1]"}
}

// normalizedMargin is rank.get_normalized_margin_for_each_label for one
// row: (p[l] − max_{j≠l} p_j + 1) / 2.
func normalizedMargin(row []float64, l int) float64 {
	mx := math.Inf(-1)
	for j, v := range row {
		if j != l && v > mx {
			mx = v
		}
	}
	return (row[l] - mx + 1) / 2
}

// confidenceWeightedEntropy is
// rank.get_confidence_weighted_entropy_for_each_label for one row: the
// normalized entropy −Σ xlogy(p, p) / log K (NumPy's pairwise sum) over
// the self-confidence clipped at 1e-6, then log(x+1)/max(x, 1e-6). buf
// holds K floats.
func confidenceWeightedEntropy(row []float64, l int, logK float64, buf []float64) float64 {
	for j, v := range row {
		if v == 0 {
			buf[j] = 0 // scipy.special.xlogy(0, 0) = 0
		} else {
			buf[j] = float64(v * math.Log(v)) // no fused multiply-add in the sum
		}
	}
	ent := -npsum.Sum(buf) / logK
	sc := math.Max(row[l], clippingLowerBound)
	x := ent / sc
	return math.Log(x+1) / math.Max(x, clippingLowerBound)
}
