package gbdt

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestLossAccuracy compares the batched losses and the gradients with
// direct formulas, over raw scores from tiny to extreme.
func TestLossAccuracy(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 18))
	n := 3*lossRows + 1000 // several pieces and batches
	scale := []float64{1e-3, 1, 10, 40, 800}
	raw := make([]float64, 3*n)
	for i := range raw {
		raw[i] = rng.NormFloat64() * scale[i%len(scale)]
	}

	t.Run("binary", func(t *testing.T) {
		o := &objective{kind: lossBinary, k: 1, n: n, y: make([]float64, n)}
		var want float64
		for i := range n {
			o.y[i] = float64(rng.IntN(2))
			r := raw[i]
			want += max(r, 0) + math.Log1p(math.Exp(-math.Abs(r))) - o.y[i]*r
		}
		want /= float64(n)
		gh := make([]gpair, n)
		got := o.gradients(raw[:n], gh, 2)
		if math.Abs(got-want) > 1e-12*want {
			t.Errorf("loss %v, want %v", got, want)
		}
		if l := o.loss(raw[:n], 3); l != got {
			t.Errorf("loss alone %v, with gradients %v", l, got)
		}
		for i := range n {
			p := 1 / (1 + math.Exp(-raw[i]))
			if g := float32(p - o.y[i]); gh[i].g != g {
				t.Fatalf("row %d, raw %v: gradient %v, want %v", i, raw[i], gh[i].g, g)
			}
			if h := p * (1 - p); math.Abs(float64(gh[i].h)-h) > 1e-6*h+1e-37 { // float32: tiny hessians flush to 0
				t.Fatalf("row %d, raw %v: hessian %v, want %v", i, raw[i], gh[i].h, h)
			}
		}
	})

	t.Run("multiclass", func(t *testing.T) {
		o := &objective{kind: lossMulti, k: 3, n: n, cls: make([]int32, n)}
		var want float64
		for i := range n {
			o.cls[i] = int32(rng.IntN(3))
			m := max(raw[i], raw[n+i], raw[2*n+i])
			z := math.Exp(raw[i]-m) + math.Exp(raw[n+i]-m) + math.Exp(raw[2*n+i]-m)
			want += math.Log(z) + m - raw[int(o.cls[i])*n+i]
		}
		want /= float64(n)
		gh := make([]gpair, 3*n)
		if got := o.gradients(raw, gh, 2); math.Abs(got-want) > 1e-12*want {
			t.Errorf("loss %v, want %v", got, want)
		}
		for i := range n {
			var sum float32
			for c := range 3 {
				sum += gh[c*n+i].g
			}
			if math.Abs(float64(sum)) > 1e-6 {
				t.Fatalf("row %d: gradients sum to %v, want 0", i, sum)
			}
		}
	})

	t.Run("squared", func(t *testing.T) {
		o := &objective{kind: lossSquared, k: 1, n: n, y: make([]float64, n)}
		var want float64
		for i := range n {
			o.y[i] = rng.NormFloat64()
			d := raw[i] - o.y[i]
			want += 0.5 * d * d
		}
		want /= float64(n)
		if got := o.loss(raw[:n], 2); math.Abs(got-want) > 1e-12*want {
			t.Errorf("loss %v, want %v", got, want)
		}
	})
}

func TestExpNeg(t *testing.T) {
	rng := rand.New(rand.NewPCG(20, 21))
	worst := 0.0
	for i := range 1_000_000 {
		x := -rng.ExpFloat64() * 10
		switch i {
		case 0:
			x = 0
		case 1:
			x = -708
		case 2:
			x = -1e-300
		}
		want := math.Exp(x)
		got := expNeg(x)
		if rel := math.Abs(got-want) / want; rel > worst {
			worst = rel
			if rel > 1e-15 {
				t.Fatalf("expNeg(%v) = %v, want %v (relative error %.3g)", x, got, want, rel)
			}
		}
	}
	if got := expNeg(-709); got != 0 {
		t.Errorf("expNeg(-709) = %v, want 0", got)
	}
	t.Logf("largest relative error %.3g", worst)
}
