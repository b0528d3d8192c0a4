package tune

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
)

func TestGridOrder(t *testing.T) {
	s := &Space{Direction: Minimize, Params: []Param{
		{Name: "a", Kind: KindInt, Low: 1, High: 5, Step: 2},
		Categorical("b", "x", true),
		{Name: "c", Kind: KindFloat, Low: 0, High: 1, Grid: []float64{0.5, 0.25}},
		{Name: "d", Kind: KindFloat, Low: 0.1, High: 0.3, Step: 0.1},
		Float("e", 2, 2), // one value: no grid needed
	}}
	var want []string
	for _, a := range []int{1, 3, 5} {
		for _, b := range []string{"x", "true"} {
			for _, c := range []string{"0.5", "0.25"} {
				for _, d := range []string{"0.1", "0.2", "0.3"} {
					want = append(want, fmt.Sprintf("a=%d b=%s c=%s d=%s e=2", a, b, c, d))
				}
			}
		}
	}
	for _, trials := range []int{0, 5, 1000} {
		var got []string
		res, err := Run(context.Background(), Options{Space: s, Sampler: SamplerGrid, Trials: trials, Parallel: 3},
			func(_ context.Context, t *Trial) (float64, error) { return 0, nil })
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range res.Trials {
			p := r.Params
			got = append(got, fmt.Sprintf("a=%d b=%v c=%v d=%v e=%v", p["a"].(int64), p["b"], p["c"].(float64), p["d"].(float64), p["e"].(float64)))
		}
		w := want
		if trials == 5 {
			w = want[:5]
		}
		if !slices.Equal(got, w) {
			t.Errorf("trials %d: got\n%s\nwant\n%s", trials, strings.Join(got, "\n"), strings.Join(w, "\n"))
		}
	}

	// A float with neither step nor grid has no grid.
	s.Params = append(s.Params, Float("f", 0, 1), LogFloat("g", 1, 2))
	_, err := Run(context.Background(), Options{Space: s, Sampler: SamplerGrid}, func(context.Context, *Trial) (float64, error) { return 0, nil })
	if !errors.Is(err, ErrOptions) || !strings.Contains(err.Error(), "f: a grid search needs a finite grid") || !strings.Contains(err.Error(), "g: a grid search") {
		t.Errorf("got %v, want ErrOptions naming f and g", err)
	}
}

// draw returns n values of p drawn by the random sampler, trial by trial.
func draw(p Param, n int, seed uint64) []float64 {
	r := &randomSampler{space: &Space{Params: []Param{p}}, seed: seed}
	v := make([]float64, n)
	for i := range v {
		v[i] = r.sample(i, nil)[0]
	}
	return v
}

func TestRandomBounds(t *testing.T) {
	const n = 4000
	t.Run("int", func(t *testing.T) {
		counts := map[float64]int{}
		for _, v := range draw(Int("a", 8, 12), n, 1) {
			if v != math.Trunc(v) || v < 8 || v > 12 {
				t.Fatalf("%v is not an integer in [8, 12]", v)
			}
			counts[v]++
		}
		// Each of 5 values about n/5 = 800 times (sd 25): low and high too.
		for v := 8.0; v <= 12; v++ {
			if c := counts[v]; c < 700 || c > 900 {
				t.Errorf("%v drawn %d times of %d, want about %d", v, c, n, n/5)
			}
		}
	})
	t.Run("int step", func(t *testing.T) {
		counts := map[float64]int{}
		for _, v := range draw(Param{Name: "a", Kind: KindInt, Low: 0, High: 10, Step: 5}, n, 2) {
			counts[v]++
		}
		if len(counts) != 3 || counts[0] < 1200 || counts[5] < 1200 || counts[10] < 1200 {
			t.Errorf("got %v, want 0, 5 and 10 about %d times each", counts, n/3)
		}
	})
	t.Run("log int", func(t *testing.T) {
		v := draw(Param{Name: "a", Kind: KindInt, Low: 1, High: 1000, Log: true}, n, 3)
		for _, x := range v {
			if x != math.Trunc(x) || x < 1 || x > 1000 {
				t.Fatalf("%v is not an integer in [1, 1000]", x)
			}
		}
		// Log-uniform over [0.5, 1000.5], rounded: median near √(0.5·1000.5) ≈ 22.4.
		if m := median(v); m < 17 || m > 29 {
			t.Errorf("median %v, want about 22 (a uniform draw would give about 500)", m)
		}
	})
	t.Run("float", func(t *testing.T) {
		v := draw(Float("a", -2, 3), n, 4)
		for _, x := range v {
			if x < -2 || x >= 3 {
				t.Fatalf("%v outside [-2, 3)", x)
			}
		}
		if m := median(v); math.Abs(m-0.5) > 0.2 {
			t.Errorf("median %v, want about 0.5", m)
		}
	})
	t.Run("log float", func(t *testing.T) {
		v := draw(LogFloat("lr", 0.01, 100), n, 5)
		for _, x := range v {
			if x < 0.01 || x >= 100 {
				t.Fatalf("%v outside [0.01, 100)", x)
			}
		}
		// Log-uniform: the median is near the geometric mean, 1; the sd of
		// the median's log is about 9.2/(2√n) = 0.07. A uniform draw would
		// have its median near 50.
		if m := median(v); math.Abs(math.Log(m)) > 0.3 {
			t.Errorf("median %v, want about 1", m)
		}
		var below int
		for _, x := range v {
			if x < 0.1 {
				below++ // a quarter of the log range
			}
		}
		if f := float64(below) / n; math.Abs(f-0.25) > 0.03 {
			t.Errorf("%v of draws below 0.1, want about 0.25", f)
		}
	})
	t.Run("float step", func(t *testing.T) {
		for _, x := range draw(Param{Name: "a", Kind: KindFloat, Low: 0, High: 0.3, Step: 0.1}, 200, 6) {
			if !slices.Contains([]float64{0, 0.1, 0.2, 0.3}, x) {
				t.Fatalf("%v is not on the grid 0, 0.1, 0.2, 0.3", x)
			}
		}
	})
	t.Run("categorical", func(t *testing.T) {
		counts := make([]int, 3)
		for _, x := range draw(Categorical("c", "a", "b", "c"), 3000, 7) {
			counts[int(x)]++
		}
		for i, c := range counts {
			if c < 900 || c > 1100 {
				t.Errorf("choice %d drawn %d times of 3000", i, c)
			}
		}
	})
	t.Run("typed params", func(t *testing.T) {
		s := &Space{Direction: Minimize, Params: []Param{Int("i", 1, 3), Float("f", 0, 1), Categorical("c", "x"), Categorical("b", true, false), Categorical("n", 1.5)}}
		res, err := Run(context.Background(), Options{Space: s, Sampler: SamplerRandom, Trials: 1}, func(_ context.Context, t *Trial) (float64, error) { return 0, nil })
		if err != nil {
			t.Fatal(err)
		}
		var kinds []string
		for _, name := range []string{"i", "f", "c", "b", "n"} {
			kinds = append(kinds, fmt.Sprintf("%T", res.Trials[0].Params[name]))
		}
		if want := []string{"int64", "float64", "string", "bool", "float64"}; !slices.Equal(kinds, want) {
			t.Errorf("got types %v, want %v", kinds, want)
		}
	})
}

func TestRandomSeeds(t *testing.T) {
	a, b, c := draw(Float("x", 0, 1), 20, 1), draw(Float("x", 0, 1), 20, 1), draw(Float("x", 0, 1), 20, 2)
	if !slices.Equal(a, b) {
		t.Error("the same seed gave different draws")
	}
	if slices.Equal(a, c) {
		t.Error("seeds 1 and 2 gave the same draws")
	}
	if a[0] == a[1] {
		t.Error("trials 0 and 1 drew the same value")
	}
}

func TestNormal(t *testing.T) {
	// log Φ is continuous where its formula changes.
	for _, a := range []float64{-20, 0} {
		lo, hi := logNdtr(math.Nextafter(a, math.Inf(-1))), logNdtr(math.Nextafter(a, math.Inf(1)))
		if math.Abs(lo-hi) > 1e-12*math.Abs(lo)+1e-300 {
			t.Errorf("log Φ jumps at %v: %v, %v", a, lo, hi)
		}
	}
	// Far tails stay finite, and mass is symmetric.
	if m := logGaussMass(30, 31); math.IsInf(m, 0) || math.IsNaN(m) || math.Abs(m-logGaussMass(-31, -30)) > 1e-9*math.Abs(m) {
		t.Errorf("log mass on [30, 31] = %v, on [-31, -30] = %v", m, logGaussMass(-31, -30))
	}
	// log Φ(−40) = −804.6084420137538 (Mills' ratio to high order).
	if got := logNdtr(-40); math.Abs(got+804.6084420137538) > 1e-9 {
		t.Errorf("log Φ(-40) = %v, want -804.6084420137538", got)
	}
	if got, want := logGaussMass(-1, 2), math.Log(ndtr(2)-ndtr(-1)); math.Abs(got-want) > 1e-14 {
		t.Errorf("log mass on [-1, 2] = %v, want %v", got, want)
	}
	// Truncated draws stay within bounds, with the truncated mean
	// (φ(a) − φ(b)) / (Φ(b) − Φ(a)).
	for _, ab := range [][2]float64{{-1, 2}, {0.5, 3}, {-30, -29}, {-0.1, 0.1}} {
		a, b := ab[0], ab[1]
		src := newSource(9, 0)
		var sum float64
		const n = 20000
		for range n {
			x := truncNormal(a, b, src.float())
			if x < a || x > b {
				t.Fatalf("[%v, %v]: drew %v", a, b, x)
			}
			sum += x
		}
		phi := func(x float64) float64 { return math.Exp(-x*x/2 - lnSqrt2Pi) }
		want := (phi(a) - phi(b)) / math.Exp(logGaussMass(a, b))
		if math.Abs(sum/n-want) > 0.02*(b-a) {
			t.Errorf("[%v, %v]: mean %v, want %v", a, b, sum/n, want)
		}
	}
}
