package profile

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
)

// QuantileExactCap is the number of values a QuantileSketch keeps (8 MiB
// of them) before it turns into a KLL sketch.
const QuantileExactCap = 1 << 20

// QuantileSketch answers quantiles of a stream of numbers: exactly (NumPy's
// linear interpolation) while it has seen at most QuantileExactCap values,
// from a KLL sketch (rank error about 1%) after. It is cheaper than a
// Column when only quantiles are wanted: no hashing. Merge is associative;
// sketches built and merged in the same order are identical.
type QuantileSketch struct {
	buf  []float64 // every value, while exact
	kll  *kll
	seed uint64
}

// NewQuantileSketch returns an empty sketch; seed fixes its coin flips.
func NewQuantileSketch(seed uint64) *QuantileSketch { return &QuantileSketch{seed: seed} }

// Expect tells the sketch how many values it will see in all (across the
// sketches it will be merged with). Past QuantileExactCap the answer will
// come from the KLL sketch anyway, so the sketch starts as one instead of
// first collecting values it would throw away.
func (q *QuantileSketch) Expect(n int64) {
	if n > QuantileExactCap && q.kll == nil {
		q.toKLL()
	}
}

// Add adds values (NaN excluded by the caller).
func (q *QuantileSketch) Add(xs []float64) {
	if q.kll != nil {
		q.kll.addMany(xs)
		return
	}
	if len(q.buf)+len(xs) <= QuantileExactCap {
		q.buf = append(q.buf, xs...)
		return
	}
	q.toKLL()
	q.kll.addMany(xs)
}

func (q *QuantileSketch) toKLL() {
	q.kll = newKLL(q.seed)
	q.kll.addMany(q.buf)
	q.buf = nil
}

// Merge adds o, a sketch of other values.
func (q *QuantileSketch) Merge(o *QuantileSketch) {
	switch {
	case o.kll == nil && q.kll == nil && len(q.buf)+len(o.buf) <= QuantileExactCap:
		q.buf = append(q.buf, o.buf...)
	case o.kll == nil:
		if q.kll == nil {
			q.toKLL()
		}
		q.kll.addMany(o.buf)
	default:
		if q.kll == nil {
			q.toKLL()
		}
		q.kll.merge(o.kll)
	}
}

// Count returns the number of values added.
func (q *QuantileSketch) Count() int64 {
	if q.kll != nil {
		return q.kll.n
	}
	return int64(len(q.buf))
}

// Exact reports whether the sketch still holds every value.
func (q *QuantileSketch) Exact() bool { return q.kll == nil }

// Quantile returns the value at probability p in [0, 1]; ok is false when
// the sketch is empty.
func (q *QuantileSketch) Quantile(p float64) (float64, bool) {
	if q.Count() == 0 {
		return math.NaN(), false
	}
	if q.kll != nil {
		vals, cum := q.kll.sorted()
		return cdf{vals: vals, cum: cum}.quantile(p), true
	}
	s := q.sortedBuf()
	n := len(s)
	pos := p * float64(n-1)
	lo := int(math.Floor(pos))
	frac := pos - float64(lo)
	if frac == 0 || lo+1 >= n {
		return s[lo], true
	}
	return s[lo] + (s[lo+1]-s[lo])*frac, true
}

// QuantileNearest returns the value at probability p by nearest rank:
// the sorted value at index p·(n−1) rounded half to even (NumPy's and
// pandas' interpolation="nearest", which Great Expectations uses for
// quantiles). Past QuantileExactCap values it is the sketch's quantile.
func (q *QuantileSketch) QuantileNearest(p float64) (float64, bool) {
	if q.Count() == 0 {
		return math.NaN(), false
	}
	if q.kll != nil {
		return q.Quantile(p)
	}
	s := q.sortedBuf()
	return s[int(math.RoundToEven(p*float64(len(s)-1)))], true
}

// sortedBuf sorts the exact values in place (their order does not matter
// to Add or Merge).
func (q *QuantileSketch) sortedBuf() []float64 {
	if !slices.IsSorted(q.buf) {
		slices.Sort(q.buf)
	}
	return q.buf
}

// quantileCodecVersion is the format byte of an encoded QuantileSketch.
const quantileCodecVersion = 1

// AppendBinary appends the sketch's state (its values while exact, else
// its KLL sketch) to b. The decoded sketch adds, merges and answers
// exactly as the original: sharded runs send sketches between machines.
func (q *QuantileSketch) AppendBinary(b []byte) ([]byte, error) {
	w := writer{b: append(b, quantileCodecVersion)}
	w.u64(q.seed)
	w.bool(q.kll != nil)
	floats := func(vs []float64) {
		w.uvarint(uint64(len(vs)))
		for _, v := range vs {
			w.f64(v)
		}
	}
	if q.kll == nil {
		floats(q.buf)
		return w.b, nil
	}
	s := q.kll
	w.varint(s.n)
	w.u64(s.seed)
	w.uvarint(uint64(s.base))
	floats(s.buf)
	w.uvarint(uint64(len(s.levels)))
	for _, l := range s.levels {
		floats(l)
	}
	return w.b, nil
}

// MarshalBinary encodes the sketch (see AppendBinary).
func (q *QuantileSketch) MarshalBinary() ([]byte, error) { return q.AppendBinary(nil) }

// UnmarshalBinary decodes a sketch written by AppendBinary or
// MarshalBinary. Damaged input gives an error wrapping ErrCorrupt, never
// a panic.
func (q *QuantileSketch) UnmarshalBinary(data []byte) error {
	if len(data) < 1 || data[0] != quantileCodecVersion {
		return fmt.Errorf("%w: quantile sketch: bad format byte", ErrCorrupt)
	}
	r := &reader{b: data[1:]}
	floats := func(limit int) []float64 {
		n := r.count(8)
		if n > limit || n*8 > len(r.b) {
			r.fail("values")
			return nil
		}
		if n == 0 {
			return nil
		}
		vs := make([]float64, n)
		for i := range vs {
			vs[i] = math.Float64frombits(binary.LittleEndian.Uint64(r.b[8*i:]))
		}
		r.b = r.b[8*n:]
		return vs
	}
	out := QuantileSketch{seed: r.u64()}
	if !r.bool() {
		out.buf = floats(QuantileExactCap)
	} else {
		s := &kll{n: r.varint(), seed: r.u64()}
		base := r.uvarint()
		if base > 62 || s.n < 0 {
			r.fail("sampling level")
		}
		s.base = int(base)
		s.buf = floats(math.MaxInt)
		nl := r.count(1)
		if nl > 62 {
			r.fail("levels")
		}
		for range nl {
			if r.err != nil {
				break
			}
			l := floats(math.MaxInt)
			if !slices.IsSorted(l) {
				r.fail("unsorted sketch level")
			}
			s.levels = append(s.levels, l)
		}
		s.setCaps()
		out.kll = s
	}
	if r.err == nil && len(r.b) != 0 {
		r.err = errors.New("trailing bytes")
	}
	if r.err != nil {
		return fmt.Errorf("%w: quantile sketch: %v", ErrCorrupt, r.err)
	}
	*q = out
	return nil
}
