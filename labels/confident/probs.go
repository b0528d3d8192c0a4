package confident

import (
	"fmt"
	"math"
)

// Probs are out-of-sample predicted class probabilities, Cleanlab's
// pred_probs: N rows × K classes, row-major, so that P(class k | row i) is
// Data[i*K+k].
type Probs struct {
	N, K int
	Data []float64
}

// At returns the probability of class k for row i.
func (p Probs) At(i, k int) float64 { return p.Data[i*p.K+k] }

// Row returns row i's K probabilities (a subslice of Data).
func (p Probs) Row(i int) []float64 { return p.Data[i*p.K : (i+1)*p.K : (i+1)*p.K] }

// Limits on the input's shape.
const (
	// MaxRows is the most rows FindIssues accepts (row numbers are kept as
	// int32 internally).
	MaxRows = math.MaxInt32
	// MaxClasses is the most classes FindIssues accepts: it keeps several
	// K×K matrices.
	MaxClasses = 4096
)

// DefaultSumTol is the tolerance on |Σ_k p_ik − 1| that FindIssues uses
// when Options.SumTol is 0; it matches package labels' SumTolerance.
const DefaultSumTol = 1e-3

// Validate checks labels and probabilities as FindIssues needs them. It
// mirrors Cleanlab 2.9's internal.validation.assert_valid_inputs for
// single-label data, and adds what Cleanlab leaves unchecked:
//
//   - shape: at least one row, len(labels) == p.N, len(p.Data) == N·K,
//     2 ≤ K ≤ MaxClasses (Cleanlab would run with K = 1 and then fail or
//     divide by log 1 in the scores), N ≤ MaxRows;
//   - each label in [0, K) (Cleanlab: non-negative and below
//     pred_probs.shape[1]);
//   - each probability a number in [−1e-6, 1+1e-6], Cleanlab's range with
//     its FLOATING_POINT_COMPARISON slack (Cleanlab lets NaN through;
//     Validate rejects NaN and ±Inf);
//   - each row summing to 1 within tol, |Σ_k p_ik − 1| ≤ tol (Cleanlab does
//     not check sums); a negative tol skips this check;
//   - at least two distinct labels, unless every label is 0: Cleanlab's
//     "Labels must contain at least 2 classes", with its exception for
//     all-zero labels (allow_one_class in find_label_issues). Classes
//     missing from labels are allowed, as in Cleanlab: their threshold is 2,
//     so no row is confidently counted in them.
//
// The returned error names the first bad row (a *RowError) and wraps
// ErrInvalid.
func Validate(labels []int, p Probs, tol float64) error {
	return validate(labels, p, tol, workerCount(0))
}

func validateShape(labels []int, p Probs) error {
	switch {
	case p.N < 1:
		return fmt.Errorf("%w: no rows", ErrInvalid)
	case p.N > MaxRows:
		return fmt.Errorf("%w: %d rows, at most %d", ErrInvalid, p.N, MaxRows)
	case p.K < 2:
		return fmt.Errorf("%w: %d classes, at least 2 are needed", ErrInvalid, p.K)
	case p.K > MaxClasses:
		return fmt.Errorf("%w: %d classes, at most %d", ErrInvalid, p.K, MaxClasses)
	case len(labels) != p.N:
		return fmt.Errorf("%w: %d labels for %d rows of probabilities", ErrInvalid, len(labels), p.N)
	case len(p.Data)/p.K != p.N || len(p.Data)%p.K != 0:
		return fmt.Errorf("%w: %d probabilities, want N×K = %d×%d", ErrInvalid, len(p.Data), p.N, p.K)
	}
	return nil
}

// validate is Validate on the given number of workers.
func validate(labels []int, p Probs, tol float64, workers int) error {
	if err := validateShape(labels, p); err != nil {
		return err
	}
	k := p.K
	chunks := spans(p.N, workers)
	type part struct {
		err   *RowError
		first int  // label of the chunk's first row
		mixed bool // some label differs from first
	}
	parts := make([]part, len(chunks))
	parallel(len(chunks), workers, func(c int) {
		s := chunks[c]
		pt := &parts[c]
		pt.first = labels[s.lo]
		for i := s.lo; i < s.hi; i++ {
			l := labels[i]
			if l < 0 || l >= k {
				pt.err = &RowError{Row: i, Reason: fmt.Sprintf("label %d is not a class in [0, %d)", l, k)}
				return
			}
			if l != pt.first {
				pt.mixed = true
			}
			row := p.Data[i*k : (i+1)*k : (i+1)*k]
			if !rowOK(row, tol) {
				pt.err = rowError(i, row, tol)
				return
			}
		}
	})
	mixed := false
	for c := range parts {
		if parts[c].err != nil {
			return parts[c].err
		}
		if parts[c].mixed || parts[c].first != parts[0].first {
			mixed = true
		}
	}
	if !mixed && parts[0].first != 0 {
		return fmt.Errorf("%w: every label is %d: labels must contain at least 2 classes (or be all 0, as Cleanlab allows)", ErrInvalid, parts[0].first)
	}
	return nil
}

// The range Cleanlab allows probabilities: [0, 1] with its 1e-6 slack.
const probLo, probHi = 0 - floatingPointComparison, 1 + floatingPointComparison

// rowOK reports whether every probability of row is a number in
// [probLo, probHi] and, for tol ≥ 0, the row sums to 1 within tol.
func rowOK(row []float64, tol float64) bool {
	sum := 0.0
	for _, v := range row {
		if !(v >= probLo && v <= probHi) { // also NaN
			return false
		}
		sum += v
	}
	return !(tol >= 0 && math.Abs(sum-1) > tol)
}

// rowError says what rowOK found wrong with row i.
func rowError(i int, row []float64, tol float64) *RowError {
	sum := 0.0
	for j, v := range row {
		if !(v >= probLo && v <= probHi) {
			return &RowError{Row: i, Reason: fmt.Sprintf("probability of class %d is %v, not in [0, 1]", j, v)}
		}
		sum += v
	}
	return &RowError{Row: i, Reason: fmt.Sprintf("probabilities sum to %v, not 1 (tolerance %v)", sum, tol)}
}
