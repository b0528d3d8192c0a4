package split

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"testing"
)

// checkPartition fails t unless the parts are sorted, disjoint and cover
// 0..n-1 exactly.
func checkPartition(t *testing.T, n int, parts ...[]int) {
	t.Helper()
	seen := make([]int, n)
	for p, part := range parts {
		if !slices.IsSorted(part) {
			t.Errorf("part %d is not sorted: %v", p, part)
		}
		for _, r := range part {
			if r < 0 || r >= n {
				t.Fatalf("part %d has row %d, want rows in [0, %d)", p, r, n)
			}
			seen[r]++
		}
	}
	for r, c := range seen {
		if c != 1 {
			t.Fatalf("row %d is in %d parts, want 1", r, c)
		}
	}
}

// skewed returns n class codes with k classes of unequal sizes.
func skewed(n, k int) []int32 {
	y := make([]int32, n)
	for i := range y {
		// Class c gets a share that grows with c.
		y[i] = int32(int(math.Sqrt(float64(i*k*k)/float64(n))) % k)
	}
	return y
}

func TestTrainTestSizes(t *testing.T) {
	// Sizes are scikit-learn's: ceil(n·fraction), computed in float64, so
	// 0.07·100 = 7.000000000000001 gives 8 as it does there.
	tests := []struct {
		n           int
		test, valid float64
		wantTest    int
		wantValid   int
	}{
		{10, 0.3, 0, 3, 0},
		{100, 0.07, 0, 8, 0},
		{7043, 0.2, 0, 1409, 0},
		{3, 0.5, 0, 2, 0},
		{29, 0.1, 0.1, 3, 3},
		{1000, 0.15, 0.15, 150, 150},
		{1, 0, 0, 0, 0},
		{5, 0, 0.2, 0, 1},
		{2, 0.01, 0, 1, 0},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("n=%d/test=%v/valid=%v", tt.n, tt.test, tt.valid), func(t *testing.T) {
			train, valid, test, err := TrainTest(tt.n, Options{TestFraction: tt.test, ValidFraction: tt.valid, Seed: 7})
			if err != nil {
				t.Fatal(err)
			}
			if len(test) != tt.wantTest || len(valid) != tt.wantValid || len(train) != tt.n-tt.wantTest-tt.wantValid {
				t.Errorf("got sizes train %d valid %d test %d, want %d %d %d",
					len(train), len(valid), len(test), tt.n-tt.wantTest-tt.wantValid, tt.wantValid, tt.wantTest)
			}
			checkPartition(t, tt.n, train, valid, test)
		})
	}
}

func TestTrainTestDeterministic(t *testing.T) {
	for _, strat := range []bool{false, true} {
		t.Run(fmt.Sprintf("stratify=%v", strat), func(t *testing.T) {
			opts := Options{TestFraction: 0.2, ValidFraction: 0.1, Seed: 42}
			if strat {
				opts.Stratify = skewed(500, 3)
			}
			a1, b1, c1, err := TrainTest(500, opts)
			if err != nil {
				t.Fatal(err)
			}
			a2, b2, c2, _ := TrainTest(500, opts)
			if !slices.Equal(a1, a2) || !slices.Equal(b1, b2) || !slices.Equal(c1, c2) {
				t.Error("same seed gave different splits")
			}
			opts.Seed = 43
			_, _, c3, _ := TrainTest(500, opts)
			if slices.Equal(c1, c3) {
				t.Error("seeds 42 and 43 gave the same test part")
			}
		})
	}
}

// TestTrainTestGolden pins the rows a seed picks, so that a change to the
// generator or the shuffle, which would silently change every user's
// splits, fails here.
func TestTrainTestGolden(t *testing.T) {
	_, _, test, err := TrainTest(20, Options{TestFraction: 0.25, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	want := []int{7, 11, 12, 16, 17}
	if !slices.Equal(test, want) {
		t.Errorf("got test rows %v, want %v", test, want)
	}
}

func TestTrainTestStratified(t *testing.T) {
	tests := []struct {
		name        string
		n, k        int
		test, valid float64
		// tol is how far a class's count in a part may be from its exact
		// share: under one row with two parts; with three, the test part
		// is allocated from what the training part left, and the two
		// roundings can add up.
		tol float64
	}{
		{"two parts", 1000, 3, 0.2, 0, 1},
		{"two parts many classes", 997, 7, 0.33, 0, 1},
		{"three parts", 1000, 4, 0.15, 0.15, 2},
		{"three parts small", 60, 3, 0.2, 0.2, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			y := skewed(tt.n, tt.k)
			for seed := range uint64(20) {
				train, valid, test, err := TrainTest(tt.n, Options{TestFraction: tt.test, ValidFraction: tt.valid, Seed: seed, Stratify: y})
				if err != nil {
					t.Fatal(err)
				}
				checkPartition(t, tt.n, train, valid, test)
				nTest, nValid := int(math.Ceil(tt.test*float64(tt.n))), int(math.Ceil(tt.valid*float64(tt.n)))
				if len(test) != nTest || len(valid) != nValid {
					t.Fatalf("got test %d valid %d rows, want %d %d", len(test), len(valid), nTest, nValid)
				}
				total := make([]int, tt.k)
				for _, c := range y {
					total[c]++
				}
				for _, part := range [][]int{train, valid, test} {
					got := make([]int, tt.k)
					for _, r := range part {
						got[y[r]]++
					}
					for c := range got {
						exact := float64(total[c]) * float64(len(part)) / float64(tt.n)
						if math.Abs(float64(got[c])-exact) >= tt.tol {
							t.Errorf("seed %d: class %d has %d of %d rows in a part of %d, want %.2f ± %v",
								seed, c, got[c], total[c], len(part), exact, tt.tol)
						}
					}
				}
			}
		})
	}
}

func TestApproximateMode(t *testing.T) {
	src := newSource(3)
	for _, tt := range []struct {
		counts []int
		draws  int
	}{
		{[]int{5, 5, 5}, 4},
		{[]int{1, 1, 1, 1}, 2},
		{[]int{10, 0, 3}, 7},
		{[]int{2, 2}, 4},
		{[]int{7}, 0},
		{[]int{1 << 40, 1 << 40, 3}, 1 << 40},
	} {
		got := approximateMode(tt.counts, tt.draws, src)
		total, sum := 0, 0
		for _, c := range tt.counts {
			total += c
		}
		for c, g := range got {
			sum += g
			exact := float64(tt.counts[c]) * float64(tt.draws) / float64(total)
			if g > tt.counts[c] || math.Abs(float64(g)-exact) >= 1 {
				t.Errorf("approximateMode(%v, %d)[%d] = %d, want within one of %.2f and at most %d",
					tt.counts, tt.draws, c, g, exact, tt.counts[c])
			}
		}
		if sum != tt.draws {
			t.Errorf("approximateMode(%v, %d) sums to %d, want %d", tt.counts, tt.draws, sum, tt.draws)
		}
	}
}

func TestTrainTestErrors(t *testing.T) {
	tests := []struct {
		name string
		n    int
		opts Options
	}{
		{"negative fraction", 10, Options{TestFraction: -0.1}},
		{"fraction one", 10, Options{TestFraction: 1}},
		{"NaN fraction", 10, Options{ValidFraction: math.NaN()}},
		{"sum one", 10, Options{TestFraction: 0.5, ValidFraction: 0.5}},
		{"no rows", 0, Options{TestFraction: 0.2}},
		{"no training row", 2, Options{TestFraction: 0.4, ValidFraction: 0.4}},
		{"stratify length", 4, Options{TestFraction: 0.5, Stratify: []int32{0, 1, 0}}},
		{"negative class", 4, Options{TestFraction: 0.5, Stratify: []int32{0, 1, -1, 0}}},
		{"singleton class", 5, Options{TestFraction: 0.4, Stratify: []int32{0, 0, 1, 1, 2}}},
		{"test part smaller than classes", 6, Options{TestFraction: 0.1, Stratify: []int32{0, 0, 1, 1, 2, 2}}},
		{"training part smaller than classes", 6, Options{TestFraction: 0.6, Stratify: []int32{0, 0, 1, 1, 2, 2}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, _, err := TrainTest(tt.n, tt.opts)
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("got error %v, want ErrInvalid", err)
			}
		})
	}
}

func TestKFold(t *testing.T) {
	tests := []struct {
		name     string
		n, k     int
		classes  int // 0: not stratified
		wantSize []int
	}{
		{"even", 10, 5, 0, []int{2, 2, 2, 2, 2}},
		{"uneven", 11, 3, 0, []int{4, 4, 3}},
		{"leave one out", 4, 4, 0, []int{1, 1, 1, 1}},
		{"stratified", 100, 5, 3, nil},
		{"stratified uneven", 103, 4, 5, nil},
		{"stratified one class", 9, 2, 1, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var y []int32
			if tt.classes > 0 {
				y = skewed(tt.n, tt.classes)
			}
			folds, err := KFold(tt.n, tt.k, 11, y)
			if err != nil {
				t.Fatal(err)
			}
			if len(folds) != tt.k {
				t.Fatalf("got %d folds, want %d", len(folds), tt.k)
			}
			var tests [][]int
			for f, fold := range folds {
				checkPartition(t, tt.n, fold.Train, fold.Test)
				tests = append(tests, fold.Test)
				if tt.wantSize != nil && len(fold.Test) != tt.wantSize[f] {
					t.Errorf("fold %d has %d test rows, want %d", f, len(fold.Test), tt.wantSize[f])
				}
				if d := len(fold.Test) - tt.n/tt.k; d < 0 || d > 1 {
					t.Errorf("fold %d has %d test rows, want %d or %d", f, len(fold.Test), tt.n/tt.k, tt.n/tt.k+1)
				}
			}
			checkPartition(t, tt.n, tests...)
			if y == nil {
				return
			}
			total := make([]int, tt.classes)
			for _, c := range y {
				total[c]++
			}
			for f, fold := range folds {
				got := make([]int, tt.classes)
				for _, r := range fold.Test {
					got[y[r]]++
				}
				for c := range got {
					if lo := total[c] / tt.k; got[c] < lo || got[c] > lo+1 {
						t.Errorf("fold %d has %d rows of class %d (%d rows), want %d or %d", f, got[c], c, total[c], lo, lo+1)
					}
				}
			}
		})
	}
}

func TestKFoldDeterministic(t *testing.T) {
	y := skewed(60, 3)
	for _, strat := range [][]int32{nil, y} {
		a, _ := KFold(60, 5, 1, strat)
		b, _ := KFold(60, 5, 1, strat)
		c, _ := KFold(60, 5, 2, strat)
		same := func(x, y []Fold) bool {
			return slices.EqualFunc(x, y, func(p, q Fold) bool {
				return slices.Equal(p.Test, q.Test) && slices.Equal(p.Train, q.Train)
			})
		}
		if !same(a, b) {
			t.Error("same seed gave different folds")
		}
		if same(a, c) {
			t.Error("seeds 1 and 2 gave the same folds")
		}
	}
}

func TestKFoldErrors(t *testing.T) {
	tests := []struct {
		name     string
		n, k     int
		stratify []int32
	}{
		{"one fold", 10, 1, nil},
		{"negative folds", 10, -3, nil},
		{"more folds than rows", 3, 4, nil},
		{"no rows", 0, 2, nil},
		{"stratify length", 4, 2, []int32{0, 1, 0}},
		{"negative class", 4, 2, []int32{0, 1, -1, 0}},
		{"class smaller than k", 7, 3, []int32{0, 0, 0, 0, 0, 1, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := KFold(tt.n, tt.k, 0, tt.stratify)
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("got error %v, want ErrInvalid", err)
			}
		})
	}
}

// FuzzTrainTest checks that any options either fail with ErrInvalid or
// give a partition of the promised sizes.
func FuzzTrainTest(f *testing.F) {
	f.Add(uint16(10), 0.2, 0.0, uint64(1), []byte{})
	f.Add(uint16(30), 0.2, 0.1, uint64(2), []byte{0, 1, 2})
	f.Add(uint16(5), 0.9, 0.5, uint64(3), []byte{1})
	f.Add(uint16(0), math.NaN(), math.Inf(1), uint64(4), []byte{255})
	f.Fuzz(func(t *testing.T, n uint16, test, valid float64, seed uint64, strat []byte) {
		n %= 2000
		opts := Options{TestFraction: test, ValidFraction: valid, Seed: seed}
		if len(strat) > 0 {
			// The first byte picks the number of classes (or a negative
			// code), the rest the codes; the length may be wrong on purpose.
			k := int(strat[0]%6) - 1
			m := int(n)
			if strat[0] >= 200 {
				m = len(strat)
			}
			opts.Stratify = make([]int32, m)
			for i := range opts.Stratify {
				b := strat[(i+1)%len(strat)]
				if k <= 0 {
					opts.Stratify[i] = int32(k)
				} else {
					opts.Stratify[i] = int32(int(b) % k)
				}
			}
		}
		train, valid2, test2, err := TrainTest(int(n), opts)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("got error %v, want ErrInvalid", err)
			}
			return
		}
		checkPartition(t, int(n), train, valid2, test2)
		if want := int(math.Ceil(test * float64(n))); len(test2) != want {
			t.Fatalf("got %d test rows, want %d", len(test2), want)
		}
		if want := int(math.Ceil(valid * float64(n))); len(valid2) != want {
			t.Fatalf("got %d validation rows, want %d", len(valid2), want)
		}
		if len(train) == 0 {
			t.Fatal("empty training part")
		}
	})
}

// FuzzKFold checks that any fold count and codes either fail with
// ErrInvalid or give k balanced folds.
func FuzzKFold(f *testing.F) {
	f.Add(uint16(10), 3, uint64(1), []byte{})
	f.Add(uint16(40), 4, uint64(2), []byte{2, 0, 1})
	f.Add(uint16(3), 5, uint64(3), []byte{0})
	f.Fuzz(func(t *testing.T, n uint16, k int, seed uint64, strat []byte) {
		n %= 2000
		var y []int32
		if len(strat) > 0 {
			y = make([]int32, n)
			for i := range y {
				y[i] = int32(strat[i%len(strat)]%4) - int32(strat[0]/250)
			}
		}
		folds, err := KFold(int(n), k, seed, y)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("got error %v, want ErrInvalid", err)
			}
			return
		}
		var tests [][]int
		for _, fold := range folds {
			checkPartition(t, int(n), fold.Train, fold.Test)
			if d := len(fold.Test) - int(n)/k; d < 0 || d > 1 {
				t.Fatalf("fold of %d test rows, want %d or %d", len(fold.Test), int(n)/k, int(n)/k+1)
			}
			tests = append(tests, fold.Test)
		}
		checkPartition(t, int(n), tests...)
	})
}
