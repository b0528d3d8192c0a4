package stat

import (
	"encoding/binary"
	"math"
	"testing"
)

// fuzzSamples turns fuzz bytes into two samples. In the default mode each
// byte is a value int8/4, so samples are full of ties; in raw mode each 8
// bytes are the bits of a float64, so NaN, ±Inf, zeros of both signs,
// subnormals and huge values all occur. At most maxN values are used.
func fuzzSamples(data []byte, split uint16, raw bool, maxN int) (a, b []float64) {
	var xs []float64
	if raw {
		for len(data) >= 8 && len(xs) < maxN {
			xs = append(xs, math.Float64frombits(binary.LittleEndian.Uint64(data)))
			data = data[8:]
		}
	} else {
		for _, c := range data {
			if len(xs) == maxN {
				break
			}
			xs = append(xs, float64(int8(c))/4)
		}
	}
	k := int(split) % (len(xs) + 1)
	return xs[:k], xs[k:]
}

func hasNaN(xs ...[]float64) bool {
	for _, x := range xs {
		for _, v := range x {
			if math.IsNaN(v) {
				return true
			}
		}
	}
	return false
}

func addSeeds(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8}, uint16(3), false)
	f.Add([]byte{0, 0, 0, 0, 0, 1}, uint16(2), false)
	f.Add([]byte{10, 250, 3, 3, 3, 100, 7, 200, 128, 127, 0, 1, 2}, uint16(6), false)
	f.Add([]byte{1}, uint16(0), false)
	f.Add(make([]byte, 40), uint16(20), false)
	raw := make([]byte, 0, 64)
	for _, v := range []float64{1, math.Inf(1), -2, math.Inf(-1), 0, math.Copysign(0, -1), 1e308, -1e308} {
		raw = binary.LittleEndian.AppendUint64(raw, math.Float64bits(v))
	}
	f.Add(raw, uint16(4), true)
	f.Add(binary.LittleEndian.AppendUint64(raw, math.Float64bits(math.NaN())), uint16(5), true)
	big := make([]byte, 300)
	for i := range big {
		big[i] = byte(i * 37)
	}
	f.Add(big, uint16(120), false)
}

// checkValid checks the invariants of a Result for input the function
// accepts: a statistic, p in [0, 1], LogPValue ≤ 0 and equal to log p
// where p is representable (unless looseLog).
func checkValid(t *testing.T, what string, r Result, looseLog bool) {
	t.Helper()
	if math.IsNaN(r.Statistic) {
		t.Fatalf("%s: Statistic NaN for valid input: %+v", what, r)
	}
	if !(r.PValue >= 0 && r.PValue <= 1) {
		t.Fatalf("%s: PValue %v outside [0, 1]", what, r.PValue)
	}
	if !(r.LogPValue <= 0) || math.IsInf(r.LogPValue, 1) {
		t.Fatalf("%s: LogPValue %v, want <= 0", what, r.LogPValue)
	}
	if !looseLog && r.PValue > 1e-280 && math.Abs(r.LogPValue-math.Log(r.PValue)) > 1e-9*math.Max(1, -r.LogPValue) {
		t.Fatalf("%s: LogPValue %v, log PValue %v", what, r.LogPValue, math.Log(r.PValue))
	}
}

func FuzzKS(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte, split uint16, raw bool) {
		a, b := fuzzSamples(data, split, raw, 400)
		r := KS(a, b)
		if len(a) == 0 || len(b) == 0 || hasNaN(a, b) {
			if !isNaNResult(r) {
				t.Fatalf("KS = %+v, want NaN", r)
			}
			return
		}
		checkValid(t, "KS", r, false)
		if !(r.Statistic >= 0 && r.Statistic <= 1) {
			t.Fatalf("D = %v", r.Statistic)
		}
		if s := KS(b, a); s != r {
			t.Fatalf("KS(b, a) = %+v, KS(a, b) = %+v", s, r)
		}
		if s := KSSorted(sortedCopy(a), sortedCopy(b)); s != r {
			t.Fatalf("KSSorted = %+v, KS = %+v", s, r)
		}
	})
}

func FuzzWasserstein(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte, split uint16, raw bool) {
		a, b := fuzzSamples(data, split, raw, 400)
		d := Wasserstein(a, b)
		finite := len(a) > 0 && len(b) > 0
		for _, v := range append(append([]float64(nil), a...), b...) {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				finite = false
			}
		}
		if !finite {
			if !math.IsNaN(d) {
				t.Fatalf("Wasserstein = %v, want NaN", d)
			}
			return
		}
		// +Inf only when the values span more than the float64 range.
		if !(d >= 0) {
			t.Fatalf("Wasserstein = %v", d)
		}
		if s := Wasserstein(b, a); s != d {
			t.Fatalf("Wasserstein(b, a) = %v, Wasserstein(a, b) = %v", s, d)
		}
	})
}

func FuzzMannWhitneyU(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte, split uint16, raw bool) {
		a, b := fuzzSamples(data, split, raw, 400)
		r := MannWhitneyU(a, b, "two-sided")
		if len(a) == 0 || len(b) == 0 || hasNaN(a, b) {
			if !isNaNResult(r) {
				t.Fatalf("MannWhitneyU = %+v, want NaN", r)
			}
			return
		}
		checkValid(t, "MannWhitneyU", r, false)
		nn := float64(len(a)) * float64(len(b))
		if !(r.Statistic >= 0 && r.Statistic <= nn) {
			t.Fatalf("U = %v, n1·n2 = %v", r.Statistic, nn)
		}
		s := MannWhitneyU(b, a, "two-sided")
		if s.Statistic+r.Statistic != nn || s.PValue != r.PValue {
			t.Fatalf("MannWhitneyU(b, a) = %+v, MannWhitneyU(a, b) = %+v", s, r)
		}
		less, greater := MannWhitneyU(a, b, "less"), MannWhitneyU(b, a, "greater")
		checkValid(t, "MannWhitneyU less", less, false)
		if less.PValue != greater.PValue {
			t.Fatalf("less(a, b) p = %v, greater(b, a) p = %v", less.PValue, greater.PValue)
		}
	})
}

func FuzzCramerVonMises2(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte, split uint16, raw bool) {
		a, b := fuzzSamples(data, split, raw, 200)
		r := CramerVonMises2(a, b)
		if len(a) < 2 || len(b) < 2 || hasNaN(a, b) {
			if !isNaNResult(r) {
				t.Fatalf("CramerVonMises2 = %+v, want NaN", r)
			}
			return
		}
		// Below p = 1e-3 the asymptotic LogPValue is not log(PValue).
		checkValid(t, "CramerVonMises2", r, r.PValue < 1e-3)
		if s := CramerVonMises2(b, a); s != r {
			t.Fatalf("CramerVonMises2(b, a) = %+v, CramerVonMises2(a, b) = %+v", s, r)
		}
	})
}

func FuzzAndersonKSamp(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte, split uint16, raw bool) {
		a, b := fuzzSamples(data, split, raw, 400)
		r := AndersonKSamp(a, b)
		distinct := map[float64]bool{}
		for _, v := range append(append([]float64(nil), a...), b...) {
			distinct[v] = true
		}
		if len(a) == 0 || len(b) == 0 || hasNaN(a, b) || len(a)+len(b) < 4 || len(distinct) < 2 {
			if !isNaNResult(r) {
				t.Fatalf("AndersonKSamp = %+v, want NaN", r)
			}
			return
		}
		checkValid(t, "AndersonKSamp", r, false)
		if !(r.PValue >= 0.001 && r.PValue <= 0.25) {
			t.Fatalf("p = %v outside SciPy's [0.001, 0.25]", r.PValue)
		}
		s := AndersonKSamp(b, a)
		if math.Abs(s.Statistic-r.Statistic) > 1e-9*math.Max(1, math.Abs(r.Statistic)) {
			t.Fatalf("AndersonKSamp(b, a) = %+v, AndersonKSamp(a, b) = %+v", s, r)
		}
	})
}

// FuzzHistograms checks the distances and the chi-square test on
// arbitrary histograms: no panics, results in range, symmetry.
func FuzzHistograms(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte, split uint16, raw bool) {
		xs, _ := fuzzSamples(data, uint16(len(data)), raw, 64)
		p, q := xs[:len(xs)/2], xs[len(xs)/2:len(xs)/2*2]
		valid := len(p) > 0
		var sp, sq float64
		for i := range p {
			if !(p[i] >= 0) || !(q[i] >= 0) || math.IsInf(p[i], 0) || math.IsInf(q[i], 0) {
				valid = false
			}
			sp += p[i]
			sq += q[i]
		}
		valid = valid && sp > 0 && sq > 0 && !math.IsInf(sp, 0) && !math.IsInf(sq, 0)
		d := map[string]float64{
			"KL": KL(p, q), "JensenShannon": JensenShannon(p, q), "PSI": PSI(p, q),
			"Hellinger": Hellinger(p, q), "TVD": TVD(p, q),
		}
		for name, v := range d {
			if !valid {
				if !math.IsNaN(v) {
					t.Fatalf("%s = %v for invalid histograms", name, v)
				}
				continue
			}
			if !(v >= 0) {
				t.Fatalf("%s(%v, %v) = %v", name, p, q, v)
			}
		}
		if valid {
			if d["TVD"] > 1+1e-15 || d["Hellinger"] > 1 || d["JensenShannon"] > math.Sqrt(ln2)+1e-15 {
				t.Fatalf("distance above its bound: %v", d)
			}
			if JensenShannon(q, p) != d["JensenShannon"] || TVD(q, p) != d["TVD"] || Hellinger(q, p) != d["Hellinger"] {
				t.Fatalf("asymmetric distance for %v, %v", p, q)
			}
			r := ChiSquareGOF(p, q)
			if !(r.PValue >= 0 && r.PValue <= 1) && !math.IsNaN(r.PValue) {
				t.Fatalf("ChiSquareGOF p = %v", r.PValue)
			}
		}
		ChiSquareContingency([][]float64{p, q})
	})
}
