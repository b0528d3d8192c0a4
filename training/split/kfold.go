package split

import "fmt"

// Fold is one round of cross-validation: the rows to train on and the
// rows to test on, each sorted ascending.
type Fold struct {
	Train []int
	Test  []int
}

// KFold splits the rows 0..n-1 into k folds after a shuffle by seed.
// Every row is in exactly one fold's test part, and test parts differ in
// size by at most one row.
//
// With stratify (a class code ≥ 0 per row), the rows of each class are
// shuffled and dealt round-robin over the folds, class after class, the
// deal carrying on from fold to fold across classes. Each fold then holds
// ⌊m/k⌋ or ⌈m/k⌉ of a class's m rows, and the folds still differ in size
// by at most one row overall (scikit-learn's StratifiedKFold with
// shuffle=True balances in the same way).
//
// Errors wrap ErrInvalid: k < 2, k > n, a stratify vector of the wrong
// length or with a negative code, and — unlike scikit-learn, which only
// warns — a class with fewer than k rows, since some test parts would
// lack that class and per-class metrics on them would be undefined.
func KFold(n, k int, seed uint64, stratify []int32) ([]Fold, error) {
	if k < 2 {
		return nil, fmt.Errorf("%w: %d folds: want at least 2", ErrInvalid, k)
	}
	if k > n {
		return nil, fmt.Errorf("%w: %d folds for %d rows: want at most one fold per row", ErrInvalid, k, n)
	}
	src := newSource(seed)
	// fold[i] is the fold whose test part holds row i.
	fold := make([]int, n)
	if stratify == nil {
		perm := make([]int, n)
		for i := range perm {
			perm[i] = i
		}
		src.shuffle(perm)
		// Like KFold: the first n mod k folds have one row more.
		pos := 0
		for f := range k {
			size := n / k
			if f < n%k {
				size++
			}
			for _, r := range perm[pos : pos+size] {
				fold[r] = f
			}
			pos += size
		}
	} else {
		byClass, err := groups(n, stratify)
		if err != nil {
			return nil, err
		}
		for c, rows := range byClass {
			if len(rows) > 0 && len(rows) < k {
				return nil, fmt.Errorf("%w: class %d has %d rows, fewer than the %d folds", ErrInvalid, c, len(rows), k)
			}
		}
		pos := 0
		for _, rows := range byClass {
			src.shuffle(rows)
			for _, r := range rows {
				fold[r] = pos % k
				pos++
			}
		}
	}

	sizes := make([]int, k)
	for _, f := range fold {
		sizes[f]++
	}
	folds := make([]Fold, k)
	for f := range folds {
		folds[f] = Fold{Train: make([]int, 0, n-sizes[f]), Test: make([]int, 0, sizes[f])}
	}
	// Rows in ascending order, so every part comes out sorted.
	for r, f := range fold {
		for g := range folds {
			if g == f {
				folds[g].Test = append(folds[g].Test, r)
			} else {
				folds[g].Train = append(folds[g].Train, r)
			}
		}
	}
	return folds, nil
}
