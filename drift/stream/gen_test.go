package stream

// splitmix64 is a tiny deterministic generator for test streams (its
// output is fixed by its definition, unlike math/rand's helpers).
type splitmix64 uint64

func (s *splitmix64) next() uint64 {
	*s += 0x9e3779b97f4a7c15
	z := uint64(*s)
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// float is uniform in [0, 1).
func (s *splitmix64) float() float64 { return float64(s.next()>>11) / (1 << 53) }

// bernoulliSteps is a stream of 0/1 errors: n values at each rate in turn.
func bernoulliSteps(seed uint64, rates []float64, n int) []float64 {
	g := splitmix64(seed)
	xs := make([]float64, 0, n*len(rates))
	for _, p := range rates {
		for range n {
			x := 0.0
			if g.float() < p {
				x = 1
			}
			xs = append(xs, x)
		}
	}
	return xs
}
