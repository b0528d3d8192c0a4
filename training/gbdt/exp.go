package gbdt

import "math"

// expTable holds 2^(j/64) for j in [0, 64).
var expTable = func() (t [64]float64) {
	for j := range t {
		t[j] = math.Exp2(float64(j) / 64)
	}
	return t
}()

// expNeg returns e^x for x <= 0 (x may not be NaN), within a few units in
// the last place of math.Exp, several times faster: it writes x as
// (64k + j)·ln2/64 + r with |r| <= ln2/128, and e^x as
// 2^k · 2^(j/64) · e^r, with e^r from its Taylor polynomial of degree 6.
func expNeg(x float64) float64 {
	if x < -708 {
		return 0 // e^x is subnormal or 0; 0 serves the losses
	}
	const (
		invLn2x64 = 64 / math.Ln2
		ln2hi     = 6.93147180369123816490e-01 / 64 // as in math.Exp
		ln2lo     = 1.90821492927058770002e-10 / 64
	)
	kf := math.Floor(x*invLn2x64 + 0.5)
	r := x - kf*ln2hi - kf*ln2lo
	p := 1 + r*(1+r*(1.0/2+r*(1.0/6+r*(1.0/24+r*(1.0/120+r*(1.0/720))))))
	k := int64(kf)
	scale := math.Float64frombits(uint64(1023+(k>>6)) << 52)
	return expTable[k&63] * p * scale
}
