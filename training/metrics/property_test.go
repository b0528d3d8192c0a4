package metrics

import (
	"github.com/assayhq/assay/dataset/npsum"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// randomBinary returns n rows of two-class probabilities whose class-1
// scores are multiples of 1/levels (so with ties), leaning towards the
// true class.
func randomBinary(rng *rand.Rand, n, levels int) ([]int32, []float64) {
	y := make([]int32, n)
	prob := make([]float64, 2*n)
	for i := range y {
		y[i] = int32(rng.IntN(2))
		q := rng.IntN(levels + 1)
		if y[i] == 1 && rng.IntN(3) > 0 {
			q = max(q, rng.IntN(levels+1))
		}
		p := float64(q) / float64(levels)
		prob[2*i], prob[2*i+1] = 1-p, p
	}
	return y, prob
}

// randomMulti returns n rows of k-class probabilities, each row summing
// to 1, leaning towards the true class.
func randomMulti(rng *rand.Rand, n, k int) ([]int32, []float64) {
	y := make([]int32, n)
	prob := make([]float64, n*k)
	for i := range y {
		c := rng.IntN(k)
		y[i] = int32(c)
		row := prob[i*k : i*k+k]
		sum := 0.0
		for j := range row {
			row[j] = rng.ExpFloat64()
			if j == c {
				row[j] += rng.Float64()
			}
			sum += row[j]
		}
		for j := range row {
			row[j] /= sum
		}
	}
	return y, prob
}

// pairAUC is the ROC AUC of one class column by its definition: the
// share of (positive, negative) pairs the scores order correctly, ties
// counting half.
func pairAUC(y []int32, prob []float64, k, class int) float64 {
	var good, pairs float64
	for i, a := range y {
		if int(a) != class {
			continue
		}
		for j, b := range y {
			if int(b) == class {
				continue
			}
			pairs++
			switch si, sj := prob[i*k+class], prob[j*k+class]; {
			case si > sj:
				good++
			case si == sj:
				good += 0.5
			}
		}
	}
	return good / pairs
}

// definedAP is the average precision of one class column by its
// definition: the precision at each distinct threshold, weighted by the
// recall it adds.
func definedAP(y []int32, prob []float64, k, class int) float64 {
	var scores []float64
	positives := 0
	for i, c := range y {
		scores = append(scores, prob[i*k+class])
		if int(c) == class {
			positives++
		}
	}
	slices.Sort(scores)
	scores = slices.Compact(scores)
	ap := 0.0
	for _, t := range scores {
		var tp, fp, at int
		for i, c := range y {
			s := prob[i*k+class]
			if s < t {
				continue
			}
			if int(c) == class {
				tp++
				if s == t {
					at++
				}
			} else {
				fp++
			}
		}
		ap += float64(tp) / float64(tp+fp) * float64(at) / float64(positives)
	}
	return ap
}

func TestAreasByDefinition(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{2, 3, 10, 57, 400} {
		for _, levels := range []int{1, 4, 1000} {
			y, prob := randomBinary(rng, n, levels)
			if slices.Index(y, 0) < 0 || slices.Index(y, 1) < 0 {
				y[0], y[1] = 0, 1
			}
			got, err := ROCAUC(y, prob, 2)
			if want := pairAUC(y, prob, 2, 1); err != nil || math.Abs(got-want) > 1e-12 {
				t.Errorf("n=%d levels=%d: ROCAUC = %v, %v; pair count %v", n, levels, got, err, want)
			}
			got, err = AveragePrecision(y, prob, 2)
			if want := definedAP(y, prob, 2, 1); err != nil || math.Abs(got-want) > 1e-12 {
				t.Errorf("n=%d levels=%d: AveragePrecision = %v, %v; by definition %v", n, levels, got, err, want)
			}
		}
	}
	for _, k := range []int{3, 5, 9} {
		y, prob := randomMulti(rng, 300, k)
		var roc, ap float64
		for c := range k {
			roc += pairAUC(y, prob, k, c) / float64(k)
			ap += definedAP(y, prob, k, c) / float64(k)
		}
		if got, err := ROCAUC(y, prob, k); err != nil || math.Abs(got-roc) > 1e-12 {
			t.Errorf("k=%d: ROCAUC = %v, %v; mean pair count %v", k, got, err, roc)
		}
		if got, err := AveragePrecision(y, prob, k); err != nil || math.Abs(got-ap) > 1e-12 {
			t.Errorf("k=%d: AveragePrecision = %v, %v; by definition %v", k, got, err, ap)
		}
	}
}

// Areas depend on the order of the scores only: a strictly increasing
// map of them leaves the counts at every threshold, and so every sum,
// unchanged to the last bit.
func TestAreasMonotoneInvariance(t *testing.T) {
	transforms := map[string]func(float64) float64{
		"square":  func(x float64) float64 { return x * x },
		"cube":    func(x float64) float64 { return 1 - (1-x)*(1-x)*(1-x) },
		"exp":     func(x float64) float64 { return math.Expm1(3*x) / math.Expm1(3) },
		"affine":  func(x float64) float64 { return 0.25 + x/2 },
		"logit01": func(x float64) float64 { return 1 / (1 + math.Exp(-10*(x-0.5))) },
	}
	rng := rand.New(rand.NewPCG(3, 4))
	y, prob := randomBinary(rng, 5000, 1000)
	roc, err1 := ROCAUC(y, prob, 2)
	ap, err2 := AveragePrecision(y, prob, 2)
	curve, err3 := ROCCurve(y, prob, 2, 1)
	if err1 != nil || err2 != nil || err3 != nil {
		t.Fatal(err1, err2, err3)
	}
	ym, pm := randomMulti(rng, 2000, 4)
	for i := range pm {
		pm[i] = math.Round(pm[i]*500) / 500 // ties
	}
	apm, err := AveragePrecision(ym, pm, 4)
	if err != nil {
		t.Fatal(err)
	}
	for name, f := range transforms {
		t.Run(name, func(t *testing.T) {
			g := slices.Clone(prob)
			for i := range g {
				g[i] = f(g[i])
			}
			if got, _ := ROCAUC(y, g, 2); got != roc {
				t.Errorf("ROCAUC = %v after the map, %v before", got, roc)
			}
			if got, _ := AveragePrecision(y, g, 2); got != ap {
				t.Errorf("AveragePrecision = %v after the map, %v before", got, ap)
			}
			c, _ := ROCCurve(y, g, 2, 1)
			if !slices.Equal(c.FPR, curve.FPR) || !slices.Equal(c.TPR, curve.TPR) {
				t.Errorf("ROC curve points changed under the map")
			}
			gm := slices.Clone(pm)
			for i := range gm {
				gm[i] = f(gm[i])
			}
			if got, _ := AveragePrecision(ym, gm, 4); got != apm {
				t.Errorf("4-class AveragePrecision = %v after the map, %v before", got, apm)
			}
		})
	}
}

func TestAccuracyFromConfusion(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, k := range []int{2, 3, 7} {
		for _, n := range []int{1, 2, 13, 1000} {
			y := make([]int32, n)
			pred := make([]int32, n)
			counts := make([]int64, k)
			for i := range y {
				y[i] = int32(rng.IntN(k))
				pred[i] = y[i]
				if rng.IntN(3) == 0 {
					pred[i] = int32(rng.IntN(k))
				}
				counts[y[i]]++
			}
			m, err := NewConfusion(y, pred, k)
			if err != nil {
				t.Fatal(err)
			}
			acc, err := Accuracy(y, pred)
			if err != nil {
				t.Fatal(err)
			}
			if got := m.Accuracy(); got != acc {
				t.Errorf("k=%d n=%d: confusion accuracy %v, Accuracy %v", k, n, got, acc)
			}
			if got := m.Total(); got != int64(n) {
				t.Errorf("k=%d n=%d: confusion total %d", k, n, got)
			}
			for c, row := range m {
				var s int64
				for _, v := range row {
					s += v
				}
				if s != counts[c] {
					t.Errorf("k=%d n=%d: row %d sums to %d, class has %d rows", k, n, c, s, counts[c])
				}
			}
			micro, err := m.Scores(Micro)
			if err != nil {
				t.Fatal(err)
			}
			if micro.Precision != acc || micro.Recall != acc || math.Abs(micro.F1-acc) > 1e-15 {
				t.Errorf("k=%d n=%d: micro scores %+v, accuracy %v", k, n, micro, acc)
			}
		}
	}
}

func TestPairwiseSum(t *testing.T) {
	// Sums of integers are exact in any order: a check that no value is
	// dropped or counted twice at block and run boundaries.
	for _, n := range []int{0, 1, 7, 8, 9, 127, 128, 129, 255, 1000, 8191, 8192, 8193, 20000} {
		xs := make([]float64, n)
		var s npsum.Summer
		for i := range xs {
			xs[i] = float64(i + 1)
			s.Add(xs[i])
		}
		want := float64(n) * float64(n+1) / 2
		if got := npsum.Sum(xs); got != want {
			t.Errorf("npsum.Sum(1..%d) = %v, want %v", n, got, want)
		}
		if got := s.Sum(); got != want {
			t.Errorf("summer(1..%d) = %v, want %v", n, got, want)
		}
	}
}

func TestSortKeys(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 16))
	special := []float64{0, math.Copysign(0, -1), 1, -1, math.Inf(1), math.Inf(-1), math.SmallestNonzeroFloat64, -math.MaxFloat64}
	var tmp []uint64
	for _, n := range []int{0, 1, 5, radixShort - 1, radixShort, 3000, 70000} {
		xs := make([]float64, n)
		for i := range xs {
			switch rng.IntN(4) {
			case 0:
				xs[i] = special[rng.IntN(len(special))]
			case 1:
				xs[i] = float64(rng.IntN(10)) / 10 // ties
			default:
				xs[i] = rng.NormFloat64() * math.Exp(rng.NormFloat64()*20)
			}
		}
		keys := make([]uint64, n)
		for i, x := range xs {
			keys[i] = key(x)
			if back := unkey(keys[i]); back != x {
				t.Fatalf("unkey(key(%v)) = %v", x, back)
			}
		}
		tmp = sortKeys(keys, tmp)
		want := slices.Clone(xs)
		slices.Sort(want)
		for i, k := range keys {
			if unkey(k) != want[i] {
				t.Fatalf("n=%d: sorted[%d] = %v, want %v", n, i, unkey(k), want[i])
			}
		}
	}
}
