package profile

import (
	"math"
	"math/bits"
)

// hllPrecision is the HyperLogLog precision p: 2^p one-byte registers and a
// relative standard error of 1.04/sqrt(2^p), about 0.81%.
const hllPrecision = 14

const hllRegisters = 1 << hllPrecision

// hll is a HyperLogLog distinct-count sketch over 64-bit hashes. Merging
// takes the register-wise maximum, so it is associative and commutative.
type hll struct {
	reg []uint8 // nil until the first value
}

func (h *hll) add(hash uint64) {
	if h.reg == nil {
		h.reg = make([]uint8, hllRegisters)
	}
	i := hash >> (64 - hllPrecision)
	rho := uint8(bits.LeadingZeros64(hash<<hllPrecision|1<<(hllPrecision-1)) + 1)
	if rho > h.reg[i] {
		h.reg[i] = rho
	}
}

func (h *hll) merge(o *hll) {
	if o.reg == nil {
		return
	}
	if h.reg == nil {
		h.reg = make([]uint8, hllRegisters)
	}
	for i, r := range o.reg {
		if r > h.reg[i] {
			h.reg[i] = r
		}
	}
}

// estimate returns the distinct count: the raw HyperLogLog estimate, with
// linear counting where it is more accurate (few distinct values).
func (h *hll) estimate() float64 {
	if h.reg == nil {
		return 0
	}
	const m = float64(hllRegisters)
	sum, zeros := 0.0, 0
	for _, r := range h.reg {
		sum += math.Ldexp(1, -int(r))
		if r == 0 {
			zeros++
		}
	}
	alpha := 0.7213 / (1 + 1.079/m)
	e := alpha * m * m / sum
	if e <= 2.5*m && zeros > 0 {
		return m * math.Log(m/float64(zeros))
	}
	return e
}
