package agreement

// rng is splitmix64: deterministic test data without math/rand's
// version-dependent streams.
type rng uint64

func (r *rng) next() uint64 {
	*r += 0x9E3779B97F4A7C15
	z := uint64(*r)
	z = (z ^ z>>30) * 0xBF58476D1CE4E5B9
	z = (z ^ z>>27) * 0x94D049BB133111EB
	return z ^ z>>31
}

func (r *rng) float() float64 { return float64(r.next()>>11) / (1 << 53) }

func (r *rng) intn(n int) int { return int(r.next() % uint64(n)) }

// draw picks an index with probability p[i] (p sums to 1).
func (r *rng) draw(p []float64) int {
	u := r.float()
	for i, x := range p {
		if u < x {
			return i
		}
		u -= x
	}
	return len(p) - 1
}

// synth draws items with true classes from priors and labels from each
// annotator's confusion matrix conf[a][true][given]; a cell is missing with
// probability missing. It returns the ratings and the true classes.
func synth(seed uint64, items int, priors []float64, conf [][][]float64, missing float64) (Ratings, []int32) {
	g := rng(seed)
	k, n := len(priors), len(conf)
	r := Ratings{Items: items, Annotators: n, K: k, Labels: make([]int32, items*n)}
	truth := make([]int32, items)
	for i := range items {
		c := g.draw(priors)
		truth[i] = int32(c)
		for a := range n {
			l := int32(Missing)
			if g.float() >= missing {
				l = int32(g.draw(conf[a][c]))
			}
			r.Labels[i*n+a] = l
		}
	}
	return r, truth
}

// fair is a K×K confusion matrix with acc on the diagonal and the rest
// spread evenly.
func fair(k int, acc float64) [][]float64 {
	m := make([][]float64, k)
	for j := range m {
		m[j] = make([]float64, k)
		for l := range m[j] {
			if l == j {
				m[j][l] = acc
			} else {
				m[j][l] = (1 - acc) / float64(k-1)
			}
		}
	}
	return m
}
