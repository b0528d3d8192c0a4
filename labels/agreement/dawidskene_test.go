package agreement

import (
	"context"
	"errors"
	"math"
	"slices"
	"testing"
)

// adversarialPanel is three fair annotators, one who mostly says the next
// class (an adversary, or a swapped label map) and one who answers at
// random.
func adversarialPanel() (priors []float64, conf [][][]float64) {
	priors = []float64{0.5, 0.3, 0.2}
	shift := [][]float64{
		{0.1, 0.8, 0.1},
		{0.1, 0.1, 0.8},
		{0.8, 0.1, 0.1},
	}
	conf = [][][]float64{fair(3, 0.7), fair(3, 0.7), fair(3, 0.7), shift, fair(3, 1.0/3)}
	return priors, conf
}

func accuracy(got, truth []int32) float64 {
	var ok int
	for i, l := range got {
		if l == truth[i] {
			ok++
		}
	}
	return float64(ok) / float64(len(got))
}

func TestDawidSkeneRecovers(t *testing.T) {
	priors, conf := adversarialPanel()
	r, truth := synth(1, 20000, priors, conf, 0.2)
	m, err := DawidSkene(context.Background(), r, DSOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !m.Converged {
		t.Errorf("did not converge in %d iterations", m.Iterations)
	}
	// The empirical confusion matrices and class shares of the sample
	// (from the true classes) are what EM can at best recover.
	k, n := r.K, r.Annotators
	emp := make([]float64, n*k*k)
	share := make([]float64, k)
	for i, c := range truth {
		share[c] += 1 / float64(r.Items)
		for a := range n {
			if l := r.Labels[i*n+a]; l >= 0 {
				emp[(a*k+int(c))*k+int(l)]++
			}
		}
	}
	var dEmp, dTrue float64
	for a := range n {
		for j := range k {
			row := emp[(a*k+j)*k : (a*k+j)*k+k]
			var s float64
			for _, x := range row {
				s += x
			}
			for l := range row {
				row[l] /= s
				got := m.Pi(a, j, l)
				dEmp = max(dEmp, math.Abs(got-row[l]))
				dTrue = max(dTrue, math.Abs(got-conf[a][j][l]))
				if math.Abs(got-row[l]) > 0.02 || math.Abs(got-conf[a][j][l]) > 0.03 {
					t.Errorf("annotator %d: π[%d][%d] = %.3f, want the sample's %.3f ± 0.02 and the true %.3f ± 0.03",
						a, j, l, got, row[l], conf[a][j][l])
				}
			}
		}
	}
	t.Logf("largest confusion error: %.4f from the sample's, %.4f from the true", dEmp, dTrue)
	for j := range k {
		if d := math.Abs(m.Priors[j] - share[j]); d > 0.01 {
			t.Errorf("prior[%d] = %.3f, sample share %.3f", j, m.Priors[j], share[j])
		}
	}
	v, err := MajorityVote(r)
	if err != nil {
		t.Fatal(err)
	}
	dsAcc, mvAcc := accuracy(m.Labels, truth), accuracy(v.Labels, truth)
	t.Logf("accuracy: Dawid-Skene %.4f, majority vote %.4f (%d iterations)", dsAcc, mvAcc, m.Iterations)
	if dsAcc < mvAcc+0.1 {
		t.Errorf("Dawid-Skene accuracy %.4f, want at least majority vote's %.4f + 0.1", dsAcc, mvAcc)
	}
	// The adversary is recognised: its accuracy is low, the fair ones'
	// high.
	if acc := m.Accuracy(3); acc > 0.2 {
		t.Errorf("adversary's accuracy %.3f, want ≤ 0.2", acc)
	}
	for a := range 3 {
		if acc := m.Accuracy(a); math.Abs(acc-0.7) > 0.03 {
			t.Errorf("annotator %d accuracy %.3f, want 0.7 ± 0.03", a, acc)
		}
	}
}

func TestDawidSkeneRowsSumToOne(t *testing.T) {
	priors, conf := adversarialPanel()
	r, _ := synth(2, 300, priors, conf, 0.5)
	for _, s := range []float64{0, 0.5} {
		m, err := DawidSkene(context.Background(), r, DSOptions{Smoothing: s})
		if err != nil {
			t.Fatal(err)
		}
		checkSimplex(t, "priors", m.Priors)
		for i := 0; i < len(m.Confusion); i += r.K {
			checkSimplex(t, "confusion row", m.Confusion[i:i+r.K])
		}
		for i := 0; i < len(m.Posterior); i += r.K {
			checkSimplex(t, "posterior", m.Posterior[i:i+r.K])
		}
	}
}

func checkSimplex(t *testing.T, what string, p []float64) {
	t.Helper()
	var s float64
	for _, x := range p {
		if !(x >= 0 && x <= 1) {
			t.Fatalf("%s %v has a value outside [0,1]", what, p)
		}
		s += x
	}
	if math.Abs(s-1) > 1e-9 {
		t.Fatalf("%s %v sums to %v", what, p, s)
	}
}

func TestDawidSkeneUnlabelledItems(t *testing.T) {
	r := Ratings{Items: 4, Annotators: 2, K: 2, Labels: []int32{
		0, 0,
		-1, -1,
		1, 1,
		0, 1,
	}}
	m, err := DawidSkene(context.Background(), r, DSOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if m.Labels[1] != Missing {
		t.Errorf("unlabelled item: label %d, want Missing", m.Labels[1])
	}
	if got := m.Posterior[2:4]; !slices.Equal(got, m.Priors) {
		t.Errorf("unlabelled item: posterior %v, want the priors %v", got, m.Priors)
	}
	if m.Labels[0] != 0 || m.Labels[2] != 1 {
		t.Errorf("labels %v, want 0 and 1 for the agreed items", m.Labels)
	}
}

func TestDawidSkeneDeterministic(t *testing.T) {
	priors, conf := adversarialPanel()
	r, _ := synth(3, 500, priors, conf, 0.3)
	a, err := DawidSkene(context.Background(), r, DSOptions{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := DawidSkene(context.Background(), r, DSOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(a.Posterior, b.Posterior) || !slices.Equal(a.Labels, b.Labels) || a.LogLikelihood != b.LogLikelihood {
		t.Error("two runs on the same data differ")
	}
}

func TestDawidSkeneMaxIter(t *testing.T) {
	priors, conf := adversarialPanel()
	r, _ := synth(4, 500, priors, conf, 0.3)
	m, err := DawidSkene(context.Background(), r, DSOptions{MaxIter: 3, Tol: 1e-300})
	if err != nil {
		t.Fatal(err)
	}
	if m.Iterations != 3 || m.Converged {
		t.Errorf("got %d iterations (converged %v), want 3 (false)", m.Iterations, m.Converged)
	}
}

func TestDawidSkeneOptions(t *testing.T) {
	r := Ratings{Items: 1, Annotators: 2, K: 2, Labels: []int32{0, 1}}
	for _, o := range []DSOptions{
		{Tol: -1},
		{Tol: math.NaN()},
		{Tol: math.Inf(1)},
		{MaxIter: -1},
		{Smoothing: -0.5},
		{Smoothing: math.NaN()},
	} {
		if _, err := DawidSkene(context.Background(), r, o); !errors.Is(err, ErrInvalid) {
			t.Errorf("%+v: got %v, want ErrInvalid", o, err)
		}
	}
}

func TestDawidSkeneCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := Ratings{Items: 1, Annotators: 2, K: 2, Labels: []int32{0, 1}}
	if _, err := DawidSkene(ctx, r, DSOptions{}); !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
}
