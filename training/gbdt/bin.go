package gbdt

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/assayhq/assay/training/frame"
)

// binSubsample is the number of rows binning computes quantiles from, as
// in scikit-learn.
const binSubsample = 200_000

// almostInf caps bin thresholds, as in scikit-learn: +Inf is kept for the
// split that sends every non-missing value left.
const almostInf = 1e300

// binner maps the raw values of the training rows to bins.
//
// A numeric feature with thresholds t has len(t)+1 bins for non-missing
// values: value v is in bin i when t[i-1] < v <= t[i]. A categorical
// feature's bin is its code. Missing values go to bin maxBins, whatever
// the feature.
type binner struct {
	maxBins    int
	thresholds [][]float64 // numeric features; nil for categorical ones
	nonMissing []int       // bins used by non-missing values
	categ      []bool
}

// fitBinner computes the thresholds of x's numeric features from the rows
// given (all rows when rows is nil), or from a seeded subsample of
// binSubsample of them.
func fitBinner(x *frame.Matrix, rows []int32, maxBins int, seed uint64, workers int) (*binner, error) {
	nf := len(x.Features)
	b := &binner{
		maxBins:    maxBins,
		thresholds: make([][]float64, nf),
		nonMissing: make([]int, nf),
		categ:      make([]bool, nf),
	}
	for j := range x.Features {
		f := &x.Features[j]
		if f.Kind == frame.Categorical {
			if len(f.Levels) > maxBins {
				return nil, fmt.Errorf("%w: categorical feature %s has %d levels, more than MaxBins (%d)", ErrData, f.Name, len(f.Levels), maxBins)
			}
			b.categ[j] = true
			b.nonMissing[j] = len(f.Levels)
		}
	}
	sample := rows
	n := x.Rows
	if rows != nil {
		n = len(rows)
	}
	if n > binSubsample {
		sample = subsample(rows, n, binSubsample, seed)
	}
	parallel(nf, workers, func(j int) {
		f := &x.Features[j]
		if f.Kind == frame.Categorical {
			return
		}
		var vals []float64
		if sample == nil {
			vals = make([]float64, 0, len(f.Num))
			for _, v := range f.Num {
				if !math.IsNaN(v) {
					vals = append(vals, v)
				}
			}
		} else {
			vals = make([]float64, 0, len(sample))
			for _, r := range sample {
				if v := f.Num[r]; !math.IsNaN(v) {
					vals = append(vals, v)
				}
			}
		}
		t := thresholds(vals, maxBins)
		b.thresholds[j] = t
		b.nonMissing[j] = len(t) + 1
	})
	return b, nil
}

// subsample returns k of the n rows (positions into rows, or row numbers
// when rows is nil), drawn without replacement with the seed, ascending.
func subsample(rows []int32, n, k int, seed uint64) []int32 {
	rng := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	perm := make([]int32, n)
	for i := range perm {
		perm[i] = int32(i)
	}
	for i := range k {
		j := i + rng.IntN(n-i)
		perm[i], perm[j] = perm[j], perm[i]
	}
	out := perm[:k]
	slices.Sort(out)
	if rows != nil {
		for i, p := range out {
			out[i] = rows[p]
		}
	}
	return out
}

// thresholds returns the upper bounds of the bins of the non-missing
// values vals (sorted in place): the midpoints between distinct values
// when there are at most maxBins of them, else the maxBins-1 inner
// quantiles at evenly spaced percentiles, midpoint-interpolated (numpy's
// percentile method "midpoint"), as scikit-learn does.
func thresholds(vals []float64, maxBins int) []float64 {
	slices.Sort(vals)
	distinct := 0
	for i, v := range vals {
		if i == 0 || v != vals[i-1] {
			distinct++
			if distinct > maxBins {
				break
			}
		}
	}
	var t []float64
	switch {
	case distinct <= 1:
		return nil
	case distinct <= maxBins:
		t = make([]float64, 0, distinct-1)
		prev := vals[0]
		for _, v := range vals[1:] {
			if v != prev {
				t = append(t, (prev+v)*0.5)
				prev = v
			}
		}
	default:
		t = make([]float64, maxBins-1)
		last := float64(len(vals) - 1)
		for k := range t {
			q := float64(k+1) / float64(maxBins) * last
			lo, hi := math.Floor(q), math.Ceil(q)
			a, b := vals[int(lo)], vals[int(hi)]
			t[k] = b - (b-a)*0.5 // numpy's lerp at t = 0.5
			if lo == hi {
				t[k] = a
			}
		}
	}
	for i, v := range t {
		if v > almostInf {
			t[i] = almostInf
		}
	}
	return t
}

// binColumn writes the bins of feature j for the rows given (all rows
// when rows is nil) to dst.
func (b *binner) binColumn(f *frame.Feature, j int, rows []int32, dst []uint8) {
	missing := uint8(b.maxBins)
	if b.categ[j] {
		codes := f.Cat
		if rows == nil {
			for i, c := range codes[:len(dst)] {
				dst[i] = catBin(c, missing)
			}
		} else {
			for i, r := range rows {
				dst[i] = catBin(codes[r], missing)
			}
		}
		return
	}
	t := b.thresholds[j]
	vals := f.Num
	if rows == nil {
		for i, v := range vals[:len(dst)] {
			dst[i] = numBin(v, t, missing)
		}
	} else {
		for i, r := range rows {
			dst[i] = numBin(vals[r], t, missing)
		}
	}
}

func catBin(c int32, missing uint8) uint8 {
	if c < 0 {
		return missing
	}
	return uint8(c)
}

// numBin returns the number of thresholds below v, or missing for NaN.
func numBin(v float64, t []float64, missing uint8) uint8 {
	if v != v {
		return missing
	}
	lo, hi := 0, len(t)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if t[m] < v {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return uint8(lo)
}
