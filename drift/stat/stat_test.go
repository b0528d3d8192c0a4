package stat

import (
	"math"
	"slices"
	"testing"
)

var nan = math.NaN()

func isNaNResult(r Result) bool {
	return math.IsNaN(r.Statistic) && math.IsNaN(r.PValue) && math.IsNaN(r.LogPValue)
}

// TestUndefinedInputs checks the documented NaN Results: empty or too
// small samples, NaN values, and the other inputs each function rejects.
// None of them may panic.
func TestUndefinedInputs(t *testing.T) {
	x := []float64{1, 2, 3, 4, 5}
	withNaN := []float64{1, nan, 3}
	sortedNaNFirst := []float64{nan, 1, 3}
	sortedNaNLast := []float64{1, 3, nan}
	tests := []struct {
		name string
		f    func() Result
	}{
		{"KS/empty a", func() Result { return KS(nil, x) }},
		{"KS/empty b", func() Result { return KS(x, []float64{}) }},
		{"KS/NaN", func() Result { return KS(x, withNaN) }},
		{"KSSorted/empty", func() Result { return KSSorted(nil, nil) }},
		{"KSSorted/NaN first", func() Result { return KSSorted(sortedNaNFirst, x) }},
		{"KSSorted/NaN last", func() Result { return KSSorted(x, sortedNaNLast) }},
		{"MannWhitneyU/empty", func() Result { return MannWhitneyU(nil, x, "two-sided") }},
		{"MannWhitneyU/NaN", func() Result { return MannWhitneyU(withNaN, x, "less") }},
		{"MannWhitneyU/bad alternative", func() Result { return MannWhitneyU(x, x, "two_sided") }},
		{"MannWhitneyUSorted/NaN", func() Result { return MannWhitneyUSorted(x, sortedNaNLast, "greater") }},
		{"CramerVonMises2/empty", func() Result { return CramerVonMises2(nil, x) }},
		{"CramerVonMises2/one value", func() Result { return CramerVonMises2([]float64{1}, x) }},
		{"CramerVonMises2/NaN", func() Result { return CramerVonMises2(x, withNaN) }},
		{"CramerVonMises2Sorted/NaN", func() Result { return CramerVonMises2Sorted(sortedNaNFirst, x) }},
		{"AndersonKSamp/no samples", func() Result { return AndersonKSamp() }},
		{"AndersonKSamp/one sample", func() Result { return AndersonKSamp(x) }},
		{"AndersonKSamp/empty sample", func() Result { return AndersonKSamp(x, nil) }},
		{"AndersonKSamp/NaN", func() Result { return AndersonKSamp(x, withNaN) }},
		{"AndersonKSamp/one distinct value", func() Result { return AndersonKSamp([]float64{2, 2}, []float64{2, 2, 2}) }},
		{"AndersonKSamp/N=3", func() Result { return AndersonKSamp([]float64{1}, []float64{2, 3}) }},
		{"AndersonKSampSorted/NaN", func() Result { return AndersonKSampSorted(x, sortedNaNLast) }},
		{"ChiSquareGOF/empty", func() Result { return ChiSquareGOF(nil, nil) }},
		{"ChiSquareGOF/lengths", func() Result { return ChiSquareGOF([]float64{1, 2}, []float64{3}) }},
		{"ChiSquareGOF/NaN", func() Result { return ChiSquareGOF([]float64{1, nan}, []float64{1, 2}) }},
		{"ChiSquareGOF/negative", func() Result { return ChiSquareGOF([]float64{1, 2}, []float64{-1, 4}) }},
		{"ChiSquareGOF/zero expected total", func() Result { return ChiSquareGOF([]float64{1, 2}, []float64{0, 0}) }},
		{"ChiSquareGOF/infinite count", func() Result { return ChiSquareGOF([]float64{1, math.Inf(1)}, []float64{1, 2}) }},
		{"ChiSquareContingency/empty", func() Result { return ChiSquareContingency(nil) }},
		{"ChiSquareContingency/empty row", func() Result { return ChiSquareContingency([][]float64{{}}) }},
		{"ChiSquareContingency/ragged", func() Result { return ChiSquareContingency([][]float64{{1, 2}, {3}}) }},
		{"ChiSquareContingency/negative", func() Result { return ChiSquareContingency([][]float64{{1, -2}, {3, 4}}) }},
		{"ChiSquareContingency/NaN", func() Result { return ChiSquareContingency([][]float64{{1, nan}, {3, 4}}) }},
		{"ChiSquareContingency/zero column", func() Result { return ChiSquareContingency([][]float64{{1, 0}, {3, 0}}) }},
		{"ZTestProportions/nA=0", func() Result { return ZTestProportions(0, 0, 1, 2) }},
		{"ZTestProportions/success>n", func() Result { return ZTestProportions(3, 2, 1, 2) }},
		{"ZTestProportions/negative", func() Result { return ZTestProportions(-1, 2, 1, 2) }},
		{"ZTestProportions/NaN", func() Result { return ZTestProportions(nan, 2, 1, 2) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.f(); !isNaNResult(got) {
				t.Errorf("got %+v, want a NaN Result", got)
			}
		})
	}
}

func TestUndefinedDistances(t *testing.T) {
	funcs := []struct {
		name string
		f    func(p, q []float64) float64
	}{
		{"KL", KL}, {"JensenShannon", JensenShannon}, {"PSI", PSI}, {"Hellinger", Hellinger}, {"TVD", TVD},
		{"Wasserstein", Wasserstein}, {"WassersteinSorted", WassersteinSorted},
	}
	inputs := []struct {
		name string
		p, q []float64
	}{
		{"empty", nil, nil},
		{"empty p", nil, []float64{1}},
		{"NaN", []float64{1, nan}, []float64{1, 2}},
		{"NaN last", []float64{1, 2}, []float64{1, nan}},
	}
	for _, fn := range funcs {
		for _, in := range inputs {
			if got := fn.f(in.p, in.q); !math.IsNaN(got) {
				t.Errorf("%s(%s) = %v, want NaN", fn.name, in.name, got)
			}
		}
	}
	histograms := []struct {
		name string
		p, q []float64
	}{
		{"lengths", []float64{1, 2}, []float64{1, 2, 3}},
		{"zero sum", []float64{0, 0}, []float64{1, 2}},
		{"negative", []float64{-1, 2}, []float64{1, 2}},
		{"infinite", []float64{math.Inf(1), 2}, []float64{1, 2}},
	}
	for _, fn := range funcs[:5] {
		for _, in := range histograms {
			if got := fn.f(in.p, in.q); !math.IsNaN(got) {
				t.Errorf("%s(%s) = %v, want NaN", fn.name, in.name, got)
			}
		}
	}
	for _, f := range []func(a, b []float64) float64{Wasserstein, WassersteinSorted} {
		if got := f([]float64{1, math.Inf(1)}, []float64{1, 2}); !math.IsNaN(got) {
			t.Errorf("Wasserstein with +Inf = %v, want NaN", got)
		}
	}
}

// TestDefinedEdgeCases pins the results SciPy gives (or, where SciPy
// raises, the documented choice) for degenerate but valid inputs.
func TestDefinedEdgeCases(t *testing.T) {
	tests := []struct {
		name string
		got  Result
		want Result
	}{
		// A single category: no degrees of freedom; SciPy gives p NaN.
		{"ChiSquareGOF/one category", ChiSquareGOF([]float64{10}, []float64{10}), Result{0, nan, nan}},
		// SciPy: (0 − 0)²/0 is NaN.
		{"ChiSquareGOF/0 against 0", ChiSquareGOF([]float64{1, 0}, []float64{1, 0}), Result{nan, nan, nan}},
		{"ChiSquareGOF/observed where none expected", ChiSquareGOF([]float64{1, 1}, []float64{2, 0}), Result{math.Inf(1), 0, math.Inf(-1)}},
		{"ChiSquareGOF/equal", ChiSquareGOF([]float64{1, 2, 3}, []float64{2, 4, 6}), Result{0, 1, 0}},
		{"ChiSquareContingency/one row", ChiSquareContingency([][]float64{{1, 2, 3}}), Result{0, 1, 0}},
		{"ChiSquareContingency/one column", ChiSquareContingency([][]float64{{1}, {2}}), Result{0, 1, 0}},
		// Both sides all one category: Evidently's p = 1.
		{"ZTestProportions/all success", ZTestProportions(5, 5, 7, 7), Result{0, 1, 0}},
		{"ZTestProportions/no success", ZTestProportions(0, 5, 0, 7), Result{0, 1, 0}},
		{"KS/one value each, equal", KS([]float64{1}, []float64{1}), Result{0, 1, 0}},
		{"KS/one value each, differ", KS([]float64{1}, []float64{2}), Result{1, 1, 0}},
		{"KS/infinities", KS([]float64{math.Inf(-1)}, []float64{math.Inf(1), math.Inf(1)}), Result{1, 2.0 / 3, math.Log(2.0 / 3)}},
		{"MannWhitneyU/one value each", MannWhitneyU([]float64{1}, []float64{2}, "less"), Result{0, 0.5, math.Log(0.5)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !sameResult(tt.got, tt.want) {
				t.Errorf("got %+v, want %+v", tt.got, tt.want)
			}
		})
	}
	if d := Wasserstein([]float64{3}, []float64{3}); d != 0 {
		t.Errorf("Wasserstein of equal single values = %v, want 0", d)
	}
	if d := TVD([]float64{1}, []float64{5}); d != 0 {
		t.Errorf("TVD of one bin = %v, want 0", d)
	}
}

func sameResult(a, b Result) bool {
	eq := func(x, y float64) bool {
		return x == y || (math.IsNaN(x) && math.IsNaN(y)) || math.Abs(x-y) <= 1e-15*math.Abs(y)
	}
	return eq(a.Statistic, b.Statistic) && eq(a.PValue, b.PValue) && eq(a.LogPValue, b.LogPValue)
}

// TestInputsUntouched checks that the functions taking unsorted samples
// leave them as they were.
func TestInputsUntouched(t *testing.T) {
	a := []float64{3, 1, 2, 9, -4, 2}
	b := []float64{0.5, 7, -1, 2, 2, 8, 1}
	a0, b0 := slices.Clone(a), slices.Clone(b)
	KS(a, b)
	Wasserstein(a, b)
	MannWhitneyU(a, b, "two-sided")
	CramerVonMises2(a, b)
	AndersonKSamp(a, b)
	if !slices.Equal(a, a0) || !slices.Equal(b, b0) {
		t.Errorf("inputs changed: %v %v, want %v %v", a, b, a0, b0)
	}
	p, q := []float64{0, 3, 5}, []float64{2, 0, 1}
	p0, q0 := slices.Clone(p), slices.Clone(q)
	KL(p, q)
	JensenShannon(p, q)
	PSI(p, q)
	Hellinger(p, q)
	TVD(p, q)
	FillEmptyBins(p)
	ChiSquareGOF(p, q)
	if !slices.Equal(p, p0) || !slices.Equal(q, q0) {
		t.Errorf("histograms changed: %v %v, want %v %v", p, q, p0, q0)
	}
}

// TestUnsortedSortedInput checks that a sorted variant given unsorted
// input returns without panicking or looping (its result is unspecified).
func TestUnsortedSortedInput(t *testing.T) {
	a := []float64{5, 1, 4, 2, 3, 9, 0}
	b := []float64{2, 8, 1, 1, 7}
	KSSorted(a, b)
	WassersteinSorted(a, b)
	MannWhitneyUSorted(a, b, "two-sided")
	CramerVonMises2Sorted(a, b)
	AndersonKSampSorted(a, b)
}

func TestFillEmptyBins(t *testing.T) {
	tests := []struct {
		in, want []float64
	}{
		{[]float64{0.5, 0, 0.5}, []float64{0.5, 0.0001, 0.5}},
		{[]float64{0.99995, 0.00005, 0}, []float64{0.99995, 0.00005, 0.00005 / 1e6}},
		{[]float64{0, 0}, []float64{0, 0}},
		{nil, []float64{}},
	}
	for _, tt := range tests {
		if got := FillEmptyBins(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("FillEmptyBins(%v) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

// TestSortedVariantsDoNotAllocate: the merge walks of KSSorted (in its
// asymptotic branch) and WassersteinSorted use no memory.
func TestSortedVariantsDoNotAllocate(t *testing.T) {
	a := sortedCopy(genSample(genSpec{Kind: "normal", N: 20000, Seed: 1}))
	b := sortedCopy(genSample(genSpec{Kind: "normal", N: 30000, Seed: 2, Loc: 0.01}))
	if n := testing.AllocsPerRun(5, func() { KSSorted(a, b) }); n != 0 {
		t.Errorf("KSSorted allocates %v times per call", n)
	}
	if n := testing.AllocsPerRun(5, func() { WassersteinSorted(a, b) }); n != 0 {
		t.Errorf("WassersteinSorted allocates %v times per call", n)
	}
}

// TestKSLogPValueMonotone: in the asymptotic branch LogPValue falls as D
// grows, down to the exact log p of complete separation at D = 1.
func TestKSLogPValueMonotone(t *testing.T) {
	n1, n2 := 20000, 15000
	prev := 0.0
	for _, d := range []float64{0.01, 0.05, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99, 0.999, 0.9999, 1} {
		r := ksAsymp(n1, n2, d)
		if !(r.LogPValue <= prev) || math.IsInf(r.LogPValue, 0) {
			t.Errorf("D = %v: LogPValue %v after %v", d, r.LogPValue, prev)
		}
		prev = r.LogPValue
	}
	want := ln2 - logChoose(n1+n2, n1)
	if math.Abs(prev-want) > 1e-12*math.Abs(want) {
		t.Errorf("D = 1: LogPValue %v, want %v", prev, want)
	}
}

// TestSmirnovSumShortcut checks the trapezoidal shortcut of logSumTerms
// against the term-by-term sum it stands for, across the one-sided KS
// distribution's range for large n.
func TestSmirnovSumShortcut(t *testing.T) {
	if testing.Short() {
		t.Skip("sums up to a million terms")
	}
	for _, n := range []int{5000, 30000, 200000, 1000000} {
		fn := float64(n)
		for _, z := range []float64{0.05, 0.5, 1.5, 3, 8, 13.6, 19, 40, 100} {
			x := z / math.Sqrt(fn)
			if x >= 1 {
				continue
			}
			nxHi := fn * x
			nxLo := math.FMA(fn, x, -nxHi)
			last := n - int(math.Floor(nxHi)) - 1
			term := func(v float64) float64 {
				p := x + v/fn
				q := ((fn - v) - nxHi - nxLo) / fn
				if q <= 0 {
					return math.Inf(-1)
				}
				return logDbinom(v, fn, p, q) + math.Log(x) - math.Log(p)
			}
			got := logSumTerms(term, last)
			want := logSumExact(term, 0, last, math.Inf(-1))
			if math.Abs(got-want) > 1e-13+1e-15*math.Abs(want) {
				t.Errorf("n=%d x=%.6g: log sum %.17g, term by term %.17g", n, x, got, want)
			}
		}
	}
}

// TestNaNInsideSortedInput: a NaN inside a slice handed to a sorted
// variant (which only checks the ends) must not hang or panic.
func TestNaNInsideSortedInput(t *testing.T) {
	a := []float64{1, 2, nan, 4, 5}
	b := []float64{1.5, nan, 3, 3.5}
	KSSorted(a, b)
	WassersteinSorted(a, b)
	MannWhitneyUSorted(a, b, "two-sided")
	CramerVonMises2Sorted(a, b)
	AndersonKSampSorted(a, b)
}
