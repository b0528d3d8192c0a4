package tune

import "math/rand/v2"

// golden is 2^64 divided by the golden ratio, SplitMix64's increment.
const golden = 0x9e3779b97f4a7c15

// source is the random stream of one trial. Every trial has its own,
// seeded from the study's seed and the trial's number, so what a trial
// draws does not depend on which trials were sampled before it. Only
// PCG's Uint64 is used: its output is fixed by the PCG-DXSM definition,
// while rand.Rand's helpers promise no stable algorithm across Go
// releases.
type source struct{ pcg *rand.PCG }

// newSource seeds both halves of PCG's state through SplitMix64, so
// that nearby seeds and trial numbers start from unrelated states.
func newSource(seed uint64, trial int) source {
	s := mix(seed + golden)
	t := mix(uint64(trial)*golden + 0x632be59bd9b4e019)
	return source{rand.NewPCG(mix(s^t), mix(s+t+golden))}
}

// mix is SplitMix64's finaliser.
func mix(z uint64) uint64 {
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// float returns a uniform number in [0, 1), on a grid of 2^-53.
func (s source) float() float64 {
	return float64(s.pcg.Uint64()>>11) * 0x1p-53
}
