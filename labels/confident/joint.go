package confident

import (
	"math"

	"github.com/assayhq/assay/dataset/npsum"
)

// Cleanlab's constants (cleanlab/internal/constants.py).
const (
	floatingPointComparison = 1e-6   // FLOATING_POINT_COMPARISON: the threshold slack and the argmax bonus
	thresholdLowerBound     = 2e-6   // CONFIDENT_THRESHOLDS_LOWER_BOUND
	clippingLowerBound      = 1e-6   // CLIPPING_LOWER_BOUND, in confidence_weighted_entropy
	tinyValue               = 1e-100 // TINY_VALUE, the floor of divisors in calibration
	missingClassThreshold   = 2.0    // BIG_VALUE in get_confident_thresholds
)

// threshold is one class's confident threshold from the self-confidences
// of its rows (in row order): their NumPy mean, 2 for a class without
// rows, clipped below at 2e-6 (count.get_confident_thresholds).
func threshold(selfConf []float64) float64 {
	t := missingClassThreshold
	if len(selfConf) > 0 {
		t = npsum.Sum(selfConf) / float64(len(selfConf))
	}
	return math.Max(t, thresholdLowerBound)
}

// calibrate is count.calibrate_confident_joint for a K×K row-major
// confident joint cj (rows = given label) and the label counts: each row
// scaled to its label count, the whole to N = Σ counts, then
// round_preserving_row_totals. It returns the integer joint and the
// floats before rounding.
func calibrate(cj []int64, counts []int64, k int) (out []int64, floats []float64) {
	c := make([]float64, k*k)
	var n int64
	for i := range k {
		n += counts[i]
		var rs int64
		for j := range k {
			rs += cj[i*k+j]
		}
		d := math.Max(float64(rs), tinyValue)
		for j := range k {
			c[i*k+j] = float64(cj[i*k+j]) / d * float64(counts[i])
		}
	}
	// np.sum of the transposed (F-ordered) array runs in memory order,
	// which is column by column here.
	colMajor := make([]float64, 0, k*k)
	for j := range k {
		for i := range k {
			colMajor = append(colMajor, c[i*k+j])
		}
	}
	total := math.Max(npsum.Sum(colMajor), tinyValue)
	for i := range c {
		c[i] = c[i] / total * float64(n)
	}
	out = make([]int64, k*k)
	for i := range k {
		roundPreservingSum(c[i*k:(i+1)*k], out[i*k:(i+1)*k])
	}
	return out, c
}

// roundPreservingSum is internal.util.round_preserving_sum: round half to
// even, then while the rounded total differs from the rounded float total,
// move the entries with the largest (or smallest) rounding residue by one,
// in np.argsort order.
func roundPreservingSum(floats []float64, out []int64) {
	k := len(floats)
	ints := make([]float64, k)
	for i, v := range floats {
		ints[i] = math.RoundToEven(v)
	}
	origSum := math.RoundToEven(npsum.Sum(floats))
	intSum := math.RoundToEven(npsum.Sum(ints))
	resid := make([]float64, k)
	order := make([]int, k)
	// Each round moves intSum by min(|diff|, k) towards origSum; the
	// bound only guards against non-finite input.
	for iter := 0; math.Abs(intSum-origSum) > floatingPointComparison && iter < 1000; iter++ {
		diff := math.RoundToEven(origSum - intSum)
		inc := 1.0
		if diff < 0 {
			inc = -1
		}
		changes := min(int(math.Abs(diff)), k)
		for i := range k {
			resid[i] = floats[i] - ints[i]
		}
		npArgsort(resid, order)
		for c := range changes {
			i := order[c] // [::1] when decrementing
			if inc > 0 {
				i = order[k-1-c] // [::-1]: largest residues first
			}
			ints[i] += inc
		}
		intSum = math.RoundToEven(npsum.Sum(ints))
	}
	for i, v := range ints {
		out[i] = int64(v)
	}
}

// pruneCounts is filter._keep_at_least_n_per_class applied to the
// transpose of the calibrated joint (rows = estimated true label, columns
// = given label): raise each diagonal to at least n, taking the increase
// evenly from the column's non-zero noise counts, scale the noise counts
// by frac (moving the difference to the diagonal), truncate to integers.
func pruneCounts(cal []int64, k, n int, frac float64) []int64 {
	pcm := make([]int64, k*k) // pcm[r][c] = cal[c][r]
	for r := range k {
		for c := range k {
			pcm[r*k+c] = cal[c*k+r]
		}
	}
	newDiag := make([]int64, k)
	sub := make([]float64, k) // diff_per_col / num_noise_rates_per_col
	for c := range k {
		d := pcm[c*k+c]
		newDiag[c] = max(d, int64(n))
		nnz := 0
		for r := range k {
			if pcm[r*k+c] != 0 {
				nnz++
			}
		}
		sub[c] = float64(newDiag[c]-d) / math.Max(float64(nnz)-1.0, 1.0)
	}
	m := make([]float64, k*k)
	for r := range k {
		for c := range k {
			v := float64(pcm[r*k+c]) - sub[c]
			if v < 0 {
				v = 0
			}
			m[r*k+c] = v
		}
	}
	for c := range k {
		m[c*k+c] = float64(newDiag[c])
	}
	// _reduce_prune_counts
	nw := make([]float64, k*k)
	for i, v := range m {
		nw[i] = float64(v * frac) // no fused multiply-add with the subtraction below
	}
	for c := range k {
		nw[c*k+c] = m[c*k+c]
	}
	for c := range k {
		s := 0.0 // np.sum(axis=0): row after row
		for r := range k {
			s += m[r*k+c] - nw[r*k+c]
		}
		nw[c*k+c] = m[c*k+c] + s
	}
	out := make([]int64, k*k)
	for i, v := range nw {
		out[i] = int64(v) // astype(int) truncates; the rounding that follows keeps integers
	}
	return out
}

// numIssuesCalibrated is count.num_label_issues with
// estimation_method="off_diagonal_calibrated": estimate_joint calibrates
// the calibrated joint once more, normalises it, and the estimate is
// rint((1 − trace) · N).
func numIssuesCalibrated(cal []int64, counts []int64, k int) int {
	cal2, _ := calibrate(cal, counts, k)
	var total, n int64
	for _, v := range cal2 {
		total += v
	}
	for _, v := range counts {
		n += v
	}
	d := math.Max(float64(total), tinyValue)
	diag := make([]float64, k)
	for i := range k {
		diag[i] = float64(cal2[i*k+i]) / d
	}
	return int(math.RoundToEven((1.0 - npsum.Sum(diag)) * float64(n)))
}

// square turns a row-major K×K slice into rows.
func square[T any](flat []T, k int) [][]T {
	out := make([][]T, k)
	for i := range k {
		out[i] = flat[i*k : (i+1)*k : (i+1)*k]
	}
	return out
}
