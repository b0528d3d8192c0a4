package split

import (
	"math/bits"
	"math/rand/v2"
)

// golden is 2^64 divided by the golden ratio, SplitMix64's increment.
const golden = 0x9e3779b97f4a7c15

// source is the seeded generator behind a split. Only PCG's Uint64 is
// used: its output is fixed by the PCG-DXSM definition, while the
// helpers of rand.Rand (Shuffle, IntN) make no promise that their
// algorithms stay the same across Go releases. Bounded draws and the
// shuffle are therefore written out here.
type source struct{ pcg *rand.PCG }

// newSource seeds both halves of PCG's 128-bit state through SplitMix64,
// so that nearby seeds (0, 1, 2, …) start from unrelated states: PCG
// seeded with them directly shares the low half of its state across
// seeds.
func newSource(seed uint64) source {
	return source{rand.NewPCG(mix(seed+golden), mix(seed+golden+golden))}
}

// mix is SplitMix64's finaliser.
func mix(z uint64) uint64 {
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// below returns a uniform integer in [0, n), n > 0, by Lemire's
// multiply-and-reject method.
func (s source) below(n uint64) uint64 {
	hi, lo := bits.Mul64(s.pcg.Uint64(), n)
	if lo < n {
		thresh := -n % n
		for lo < thresh {
			hi, lo = bits.Mul64(s.pcg.Uint64(), n)
		}
	}
	return hi
}

// shuffle permutes v in place (Fisher–Yates, from the end).
func (s source) shuffle(v []int) {
	for i := len(v) - 1; i > 0; i-- {
		j := s.below(uint64(i + 1))
		v[i], v[j] = v[j], v[i]
	}
}
