package agreement

import (
	"context"
	"errors"
	"math"
	"testing"
)

func FuzzFromLong(f *testing.F) {
	f.Add([]byte{0, 0, 1, 1, 0, 2, 0, 1, 1}, uint8(3), uint8(2), uint8(3))
	f.Add([]byte{0, 0, 1, 0, 0, 2}, uint8(1), uint8(1), uint8(3))
	f.Add([]byte{0, 0, 1, 0, 0, 1, 0xff, 0, 0}, uint8(2), uint8(1), uint8(2))
	f.Fuzz(func(t *testing.T, data []byte, nItems, nAnns, k uint8) {
		var items, anns, labels []int
		for i := 0; i+2 < len(data); i += 3 {
			items = append(items, int(int8(data[i])))
			anns = append(anns, int(int8(data[i+1])))
			labels = append(labels, int(int8(data[i+2])))
		}
		r, err := FromLong(items, anns, labels, int(nItems), int(nAnns), int(k))
		if err != nil {
			if !errors.Is(err, ErrInvalid) && !errors.Is(err, ErrConflict) {
				t.Fatalf("error %v is neither ErrInvalid nor ErrConflict", err)
			}
			return
		}
		if err := r.Validate(); err != nil {
			t.Fatalf("FromLong built invalid ratings: %v", err)
		}
		for j := range items {
			if got := r.Label(items[j], anns[j]); got != labels[j] {
				t.Fatalf("row %d: cell has %d, want %d", j, got, labels[j])
			}
		}
		var set int
		for _, l := range r.Labels {
			if l != Missing {
				set++
			}
		}
		if set > len(items) {
			t.Fatalf("%d labels set from %d rows", set, len(items))
		}
	})
}

// ratingsFromBytes reads a small Ratings: items, annotators and K from the
// first three bytes, then one byte per cell (byte mod K+1, minus 1).
func ratingsFromBytes(data []byte) (Ratings, bool) {
	if len(data) < 3 {
		return Ratings{}, false
	}
	items, anns, k := int(data[0]%40), int(data[1]%7), int(data[2]%6)+1
	cells := data[3:]
	r := Ratings{Items: items, Annotators: anns, K: k, Labels: make([]int32, items*anns)}
	for i := range r.Labels {
		var b byte
		if i < len(cells) {
			b = cells[i]
		}
		r.Labels[i] = int32(b%byte(k+1)) - 1
	}
	return r, true
}

func FuzzMetrics(f *testing.F) {
	f.Add([]byte{4, 3, 2, 1, 1, 1, 2, 2, 1, 0, 1, 2, 3, 3, 3})
	f.Add([]byte{5, 2, 1, 1, 1, 1, 1, 1, 0, 0, 1})
	f.Add([]byte{12, 4, 4, 0, 1, 2, 3, 4, 5, 0, 0, 1, 1, 5, 5, 4, 3, 2, 1})
	f.Add([]byte{1, 1, 0, 1})
	f.Fuzz(func(t *testing.T, data []byte) {
		r, ok := ratingsFromBytes(data)
		if !ok {
			return
		}
		checkMetrics(t, r)
	})
}

// checkMetrics runs every function on r and checks what must hold whatever
// the data: no error on valid input, NaN exactly when a reason is given,
// coefficients at most 1, Cohen's kappa equal to a direct confusion-matrix
// computation, and on complete data alpha tied to Fleiss' kappa by
// 1 − alpha = (1 − kappa)(N·n − 1)/(N·n).
func checkMetrics(t *testing.T, r Ratings) {
	t.Helper()
	pairs, err := CohenKappa(r)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pairs {
		checkCoefficient(t, "Cohen", p.Value, p.Undefined)
		want := cohenDirect(r, p.A, p.B)
		if math.IsNaN(want) != math.IsNaN(p.Value) || !math.IsNaN(want) && math.Abs(want-p.Value) > 1e-12 {
			t.Fatalf("pair %d-%d: kappa %v, direct %v", p.A, p.B, p.Value, want)
		}
	}
	fk, err := FleissKappa(r)
	if err != nil {
		t.Fatal(err)
	}
	checkCoefficient(t, "Fleiss", fk.Value, fk.Undefined)
	a, err := KrippendorffAlpha(r)
	if err != nil {
		t.Fatal(err)
	}
	checkCoefficient(t, "alpha", a.Value, a.Undefined)
	if fk.N == r.Items && r.Items > 0 && fk.Undefined == Defined && a.Undefined == Defined {
		tn := float64(fk.N * r.Annotators)
		if want := 1 - (1-fk.Value)*(tn-1)/tn; math.Abs(a.Value-want) > 1e-9 {
			t.Fatalf("complete data: alpha %v, from Fleiss' kappa %v", a.Value, want)
		}
	}

	v, err := MajorityVote(r)
	if err != nil {
		t.Fatal(err)
	}
	n := r.Annotators
	for i := range r.Items {
		cnt := make([]int, r.K)
		var m int
		for _, l := range r.Labels[i*n : i*n+n] {
			if l >= 0 {
				cnt[l]++
				m++
			}
		}
		if m == 0 {
			if v.Labels[i] != Missing || v.Share[i] != 0 {
				t.Fatalf("item %d unlabelled: vote %d share %v", i, v.Labels[i], v.Share[i])
			}
			continue
		}
		best := v.Labels[i]
		for l, c := range cnt {
			if c > cnt[best] {
				t.Fatalf("item %d: vote %d has %d votes, %d has %d", i, best, cnt[best], l, c)
			}
		}
		if v.Share[i] != float64(cnt[best])/float64(m) {
			t.Fatalf("item %d: share %v", i, v.Share[i])
		}
	}

	as, err := AnnotatorAgreement(r)
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range as {
		if s.Agreed > s.Compared || s.Compared > s.Labelled || math.IsNaN(s.Rate) != (s.Compared == 0) {
			t.Fatalf("annotator %d: %+v", i, s)
		}
	}

	m, err := DawidSkene(context.Background(), r, DSOptions{MaxIter: 20})
	if err != nil {
		t.Fatal(err)
	}
	for i := range r.Items {
		checkSimplex(t, "posterior", m.Posterior[i*r.K:i*r.K+r.K])
		if (m.Labels[i] == Missing) != (v.Labels[i] == Missing) {
			t.Fatalf("item %d: Dawid-Skene label %d, vote %d", i, m.Labels[i], v.Labels[i])
		}
	}
	checkSimplex(t, "priors", m.Priors)
	for i := 0; i < len(m.Confusion); i += r.K {
		checkSimplex(t, "confusion row", m.Confusion[i:i+r.K])
	}
	if math.IsNaN(m.LogLikelihood) || m.LogLikelihood > 1e-9 {
		t.Fatalf("log-likelihood %v", m.LogLikelihood)
	}
}

func checkCoefficient(t *testing.T, what string, v float64, why Reason) {
	t.Helper()
	if math.IsNaN(v) != (why != Defined) {
		t.Fatalf("%s = %v with reason %q", what, v, why)
	}
	if v > 1+1e-12 || math.IsInf(v, 0) {
		t.Fatalf("%s = %v > 1", what, v)
	}
}

// cohenDirect is sklearn's formula written out on a K×K confusion matrix.
func cohenDirect(r Ratings, a, b int) float64 {
	k, n := r.K, r.Annotators
	conf := make([][]float64, k)
	for i := range conf {
		conf[i] = make([]float64, k)
	}
	var total float64
	for i := range r.Items {
		la, lb := r.Labels[i*n+a], r.Labels[i*n+b]
		if la >= 0 && lb >= 0 {
			conf[la][lb]++
			total++
		}
	}
	rows, cols := make([]float64, k), make([]float64, k)
	for i := range k {
		for j := range k {
			rows[i] += conf[i][j]
			cols[j] += conf[i][j]
		}
	}
	var num, den float64
	for i := range k {
		for j := range k {
			if i != j {
				num += conf[i][j]
				den += rows[i] * cols[j] / total
			}
		}
	}
	return 1 - num/den // NaN for 0/0
}

// TestMetricsRandom runs the fuzz checks on a fixed set of random inputs,
// so that plain go test covers them.
func TestMetricsRandom(t *testing.T) {
	g := rng(99)
	for range 500 {
		data := make([]byte, 3+g.intn(200))
		for i := range data {
			data[i] = byte(g.next())
		}
		r, _ := ratingsFromBytes(data)
		checkMetrics(t, r)
	}
}
