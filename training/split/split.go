// Package split divides the rows of a data set, named by their indices
// 0..n-1, into a training, a validation and a test part, or into folds
// for cross-validation. Every split is a pure function of its inputs and
// a seed: the same call gives the same rows on every machine and Go
// release.
//
// Glossary:
//
//   - Part: the training, validation or test rows of a split. The rows of
//     each part are returned in ascending order, so that what is built
//     from them downstream comes out in one order.
//   - Fold: one round of k-fold cross-validation: a test part, and the
//     other rows as its training part. Every row is in exactly one fold's
//     test part.
//   - Stratify: class codes, one per row. A stratified split keeps each
//     class's share of the rows in every part and fold, up to rounding.
//   - Seed: the state of a PCG generator (math/rand/v2) that shuffles the
//     rows and breaks rounding ties.
//
// The sizes follow scikit-learn: a test part of ceil(n·TestFraction)
// rows (train_test_split), folds of n/k rows with the first n mod k
// folds one row larger (KFold), and stratified parts allocated by
// StratifiedShuffleSplit's approximate mode. The rows themselves differ
// from scikit-learn's, whose generator is not this one.
package split

import (
	"fmt"
	"math"
	"math/bits"
	"slices"
)

// Options says how TrainTest splits.
type Options struct {
	// TestFraction and ValidFraction are the shares of rows in the test
	// and validation parts, each in [0, 1) with a sum below 1. A part has
	// ceil(n·fraction) rows, so a positive fraction gives at least one
	// row; a zero fraction gives an empty part. The training part has
	// the rest and must not be empty.
	TestFraction  float64
	ValidFraction float64
	// Seed picks the shuffle.
	Seed uint64
	// Stratify, when not nil, holds a class code (≥ 0) for each row, and
	// each class keeps its share of rows in each part: within one row of
	// it when there is no validation part (as StratifiedShuffleSplit),
	// within two when there is, since the test part is then allocated
	// from what the training part left and the two roundings can add up.
	// Every class needs at least two rows, and each non-empty part at
	// least as many rows as there are classes (scikit-learn's rules).
	Stratify []int32
}

// Validate checks the fractions.
func (o *Options) Validate() error {
	for _, f := range []struct {
		name string
		v    float64
	}{{"test fraction", o.TestFraction}, {"validation fraction", o.ValidFraction}} {
		if math.IsNaN(f.v) || f.v < 0 || f.v >= 1 {
			return fmt.Errorf("%w: %s %v: want a number in [0, 1)", ErrInvalid, f.name, f.v)
		}
	}
	if s := o.TestFraction + o.ValidFraction; s >= 1 {
		return fmt.Errorf("%w: test and validation fractions add up to %v: no rows left to train on", ErrInvalid, s)
	}
	return nil
}

// sizes returns the number of rows in the test and validation parts of n
// rows, as scikit-learn's train_test_split computes a test size.
func (o *Options) sizes(n int) (test, valid int) {
	return int(math.Ceil(o.TestFraction * float64(n))), int(math.Ceil(o.ValidFraction * float64(n)))
}

// TrainTest splits the rows 0..n-1 into training, validation and test
// parts, shuffled by opts.Seed and, when opts.Stratify is set,
// stratified by class. Each part is sorted ascending. Errors wrap
// ErrInvalid.
func TrainTest(n int, opts Options) (train, valid, test []int, err error) {
	if err := opts.Validate(); err != nil {
		return nil, nil, nil, err
	}
	if n < 1 {
		return nil, nil, nil, fmt.Errorf("%w: %d rows: nothing to split", ErrInvalid, n)
	}
	nTest, nValid := opts.sizes(n)
	nTrain := n - nTest - nValid
	if nTrain < 1 {
		return nil, nil, nil, fmt.Errorf("%w: %d rows with test fraction %v and validation fraction %v leave no training row",
			ErrInvalid, n, opts.TestFraction, opts.ValidFraction)
	}
	src := newSource(opts.Seed)
	if opts.Stratify == nil {
		perm := make([]int, n)
		for i := range perm {
			perm[i] = i
		}
		src.shuffle(perm)
		test = sorted(perm[:nTest])
		valid = sorted(perm[nTest : nTest+nValid])
		train = sorted(perm[nTest+nValid:])
		return train, valid, test, nil
	}

	byClass, err := groups(n, opts.Stratify)
	if err != nil {
		return nil, nil, nil, err
	}
	counts := make([]int, len(byClass))
	for c, rows := range byClass {
		counts[c] = len(rows)
		if len(rows) == 1 {
			return nil, nil, nil, fmt.Errorf("%w: class %d has 1 row: stratifying needs at least 2 per class", ErrInvalid, c)
		}
	}
	k := nonEmpty(counts)
	for _, p := range []struct {
		name string
		size int
	}{{"training", nTrain}, {"test", nTest}, {"validation", nValid}} {
		if p.size > 0 && p.size < k {
			return nil, nil, nil, fmt.Errorf("%w: %s part of %d rows is smaller than the %d classes", ErrInvalid, p.name, p.size, k)
		}
	}
	// Like StratifiedShuffleSplit: the training part's share of each class
	// first, then the test part's from what remains; the validation part
	// takes the rest.
	trainPer := approximateMode(counts, nTrain, src)
	left := make([]int, len(counts))
	for c := range counts {
		left[c] = counts[c] - trainPer[c]
	}
	testPer := approximateMode(left, nTest, src)
	train = make([]int, 0, nTrain)
	valid = make([]int, 0, nValid)
	test = make([]int, 0, nTest)
	for c, rows := range byClass {
		src.shuffle(rows)
		train = append(train, rows[:trainPer[c]]...)
		test = append(test, rows[trainPer[c]:trainPer[c]+testPer[c]]...)
		valid = append(valid, rows[trainPer[c]+testPer[c]:]...)
	}
	slices.Sort(train)
	slices.Sort(valid)
	slices.Sort(test)
	return train, valid, test, nil
}

// groups returns the rows of each class code, ascending; classes without
// rows have an empty list.
func groups(n int, stratify []int32) ([][]int, error) {
	if len(stratify) != n {
		return nil, fmt.Errorf("%w: %d class codes for %d rows", ErrInvalid, len(stratify), n)
	}
	var byClass [][]int
	for i, c := range stratify {
		if c < 0 {
			return nil, fmt.Errorf("%w: row %d: class code %d: want a code ≥ 0", ErrInvalid, i, c)
		}
		for int(c) >= len(byClass) {
			byClass = append(byClass, nil)
		}
		byClass[c] = append(byClass[c], i)
	}
	return byClass, nil
}

// nonEmpty counts the classes with rows.
func nonEmpty(counts []int) int {
	k := 0
	for _, c := range counts {
		if c > 0 {
			k++
		}
	}
	return k
}

// approximateMode splits draws rows among classes in proportion to
// counts, as scikit-learn's _approximate_mode: each class gets the floor
// of its exact share, and the rows left over go one each to the classes
// with the largest remainders, ties broken at random. The shares are
// computed in integers (counts[c]·draws / total), so no rounding error
// decides a tie. No class gets more than its count.
func approximateMode(counts []int, draws int, src source) []int {
	total := 0
	for _, c := range counts {
		total += c
	}
	out := make([]int, len(counts))
	if total == 0 || draws == 0 {
		return out
	}
	rem := make([]int, len(counts))
	need := draws
	for c, m := range counts {
		out[c], rem[c] = mulDiv(m, draws, total)
		need -= out[c]
	}
	// Classes by remainder, largest first; equal remainders in class order,
	// and the group at the cut is shuffled so that the tie is broken at
	// random.
	order := make([]int, 0, len(counts))
	for c := range counts {
		if rem[c] > 0 {
			order = append(order, c)
		}
	}
	slices.SortStableFunc(order, func(a, b int) int { return rem[b] - rem[a] })
	for i := 0; need > 0 && i < len(order); {
		j := i
		for j < len(order) && rem[order[j]] == rem[order[i]] {
			j++
		}
		tie := order[i:j]
		if len(tie) > need {
			src.shuffle(tie)
			tie = tie[:need]
		}
		for _, c := range tie {
			out[c]++
		}
		need -= len(tie)
		i = j
	}
	return out
}

// mulDiv returns a·b / c and a·b mod c for 0 ≤ a ≤ c, b ≥ 0 and c > 0,
// without overflowing when a·b does not fit in an int.
func mulDiv(a, b, c int) (q, r int) {
	hi, lo := bits.Mul64(uint64(a), uint64(b))
	qq, rr := bits.Div64(hi, lo, uint64(c))
	return int(qq), int(rr)
}

// sorted returns a sorted copy of v.
func sorted(v []int) []int {
	out := slices.Clone(v)
	slices.Sort(out)
	if out == nil {
		out = []int{}
	}
	return out
}
