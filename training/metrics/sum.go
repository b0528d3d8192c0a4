package metrics

// NumPy adds float64 arrays (np.sum, np.mean, np.average, np.trapz) in
// blocks of bufsize = 8192 values, left to right, and within a block
// pairwise: runs shorter than 8 values left to right, runs of up to 128
// in eight interleaved partial sums, longer runs split in two at a
// multiple of 8. The functions here repeat that order exactly, so that
// sums agree with scikit-learn to the last bit rather than to n·ε; the
// fixtures check it (R² of a near-constant target, for one, would not
// survive a different order).

const (
	npBlock = 8192 // NumPy's ufunc buffer size: the unit of a reduction
	npRun   = 128  // PW_BLOCKSIZE in NumPy's loops_utils.h
)

// npSum returns the sum of xs as np.sum computes it.
func npSum(xs []float64) float64 {
	res := 0.0
	for len(xs) > npBlock {
		res += pairwise(xs[:npBlock])
		xs = xs[npBlock:]
	}
	return res + pairwise(xs)
}

// npMean returns the mean of xs as np.mean computes it (NaN if empty).
func npMean(xs []float64) float64 {
	return npSum(xs) / float64(len(xs))
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
	case n <= npRun:
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

// summer adds a stream of values in NumPy's order without holding more
// than one block of them. It is 64 KiB; declare it as a local variable
// so it lives on the stack.
type summer struct {
	acc float64
	n   int
	buf [npBlock]float64
}

// add appends x to the stream.
func (s *summer) add(x float64) {
	s.buf[s.n] = x
	s.n++
	if s.n == npBlock {
		s.acc += pairwise(s.buf[:])
		s.n = 0
	}
}

// sum returns the sum of the values added so far.
func (s *summer) sum() float64 {
	return s.acc + pairwise(s.buf[:s.n])
}

// reset empties s.
func (s *summer) reset() {
	s.acc, s.n = 0, 0
}
