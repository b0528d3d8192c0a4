// Package npsum adds float64 values in exactly NumPy's order, so that sums
// and means agree with NumPy (and so with scikit-learn and Cleanlab) to the
// last bit rather than to n·ε.
//
// NumPy adds arrays (np.sum, np.mean, np.average, np.trapz) in blocks of
// bufsize = 8192 values, left to right, and within a block pairwise: runs
// shorter than 8 values left to right, runs of up to 128 in eight
// interleaved partial sums, longer runs split in two at a multiple of 8.
package npsum

const (
	block = 8192 // NumPy's ufunc buffer size: the unit of a reduction
	run   = 128  // PW_BLOCKSIZE in NumPy's loops_utils.h
)

// Sum returns the sum of xs as np.sum computes it.
func Sum(xs []float64) float64 {
	res := 0.0
	for len(xs) > block {
		res += pairwise(xs[:block])
		xs = xs[block:]
	}
	return res + pairwise(xs)
}

// Mean returns the mean of xs as np.mean computes it (NaN if empty).
func Mean(xs []float64) float64 {
	return Sum(xs) / float64(len(xs))
}

// pairwise is NumPy's pairwise_sum for one block.
func pairwise(a []float64) float64 {
	n := len(a)
	switch {
	case n < 8:
		res := 0.0
		for _, x := range a {
			res += x
		}
		return res
	case n <= run:
		r0, r1, r2, r3 := a[0], a[1], a[2], a[3]
		r4, r5, r6, r7 := a[4], a[5], a[6], a[7]
		i := 8
		for ; i < n-n%8; i += 8 {
			b := a[i : i+8 : i+8]
			r0 += b[0]
			r1 += b[1]
			r2 += b[2]
			r3 += b[3]
			r4 += b[4]
			r5 += b[5]
			r6 += b[6]
			r7 += b[7]
		}
		res := ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
		for ; i < n; i++ {
			res += a[i]
		}
		return res
	default:
		n2 := n / 2
		n2 -= n2 % 8
		return pairwise(a[:n2]) + pairwise(a[n2:])
	}
}

// Summer adds a stream of values in NumPy's order without holding more
// than one block of them. It is 64 KiB; declare it as a local variable
// so it lives on the stack.
type Summer struct {
	acc float64
	n   int
	buf [block]float64
}

// Add appends x to the stream.
func (s *Summer) Add(x float64) {
	s.buf[s.n] = x
	s.n++
	if s.n == block {
		s.acc += pairwise(s.buf[:])
		s.n = 0
	}
}

// Sum returns the sum of the values added so far.
func (s *Summer) Sum() float64 {
	return s.acc + pairwise(s.buf[:s.n])
}

// Reset empties s.
func (s *Summer) Reset() {
	s.acc, s.n = 0, 0
}
