package profile

import (
	"math"
	"math/bits"
	"slices"
	"sort"
)

// kllK is the KLL accuracy parameter: with k = 256 the normalised rank
// error of a quantile is about 1% (99% confidence).
const kllK = 256

const kllMinCap = 8

// kllBuffer is the size of the unsorted buffer of incoming values. It is
// sorted (by radix sort) and compacted when full.
const kllBuffer = 4096

// kllSampleFrom is the count past which incoming values are sampled: with
// n values seen, a value is kept with probability 2^-base, where base is the
// smallest with n < kllSampleFrom·2^base, and stands for 2^base values.
// The sample keeps about kllSampleFrom/2 to kllSampleFrom values per
// doubling of n, so its own rank error (about sqrt(2^base/n) < 0.3%) stays
// well below the compactions', while far fewer values need sorting. This
// is the sampler of the KLL paper's final construction.
const kllSampleFrom = 1 << 17

// kll is a KLL quantile sketch (Karnin, Lang, Liberty 2016) over float64.
// Level h holds items of weight 2^h, sorted. Incoming values go through a
// sampler into an unsorted buffer whose items weigh 2^base. A compaction
// promotes every other item of a sorted level, from an offset drawn from a
// seeded generator, so a sketch built from the same values in the same
// order is always the same. The weights always sum to n in expectation and
// exactly when base is 0.
type kll struct {
	levels [][]float64
	buf    []float64
	base   int
	n      int64
	seed   uint64
	caps   []int

	keys, tmp []uint64 // radix sort scratch
	spare     []float64
}

func newKLL(seed uint64) *kll {
	s := &kll{seed: seed | 1}
	s.setCaps()
	return s
}

func (s *kll) setCaps() {
	H := max(len(s.levels), 1)
	s.caps = s.caps[:0]
	for h := range H {
		c := int(math.Ceil(kllK * math.Pow(2.0/3.0, float64(H-1-h))))
		s.caps = append(s.caps, max(c, kllMinCap))
	}
}

func kllBase(n int64) int { return bits.Len64(uint64(n) / kllSampleFrom) }

func (s *kll) next() uint64 {
	x := s.seed // xorshift64
	x ^= x << 13
	x ^= x >> 7
	x ^= x << 17
	s.seed = x
	return x
}

// addMany adds values of weight one.
func (s *kll) addMany(xs []float64) {
	for len(xs) > 0 {
		// Take values up to the count where the sampling rate changes.
		limit := int64(kllSampleFrom) << s.base
		k := len(xs)
		if room := limit - s.n; room < int64(k) {
			k = int(max(room, 0))
		}
		if k == 0 {
			s.flush()
			s.base++
			continue
		}
		if s.base == 0 {
			for _, x := range xs[:k] {
				s.buf = append(s.buf, x)
				if len(s.buf) >= kllBuffer {
					s.flush()
				}
			}
		} else {
			mask := uint64(1)<<s.base - 1
			for _, x := range xs[:k] {
				if s.next()&mask != 0 {
					continue
				}
				s.buf = append(s.buf, x)
				if len(s.buf) >= kllBuffer {
					s.flush()
				}
			}
		}
		s.n += int64(k)
		xs = xs[k:]
	}
}

// addWeighted adds x with weight w, as copies of x on the levels of w's
// binary digits. Call settle after the last one.
func (s *kll) addWeighted(x float64, w int64) {
	s.n += w
	for h := 0; w > 0; h++ {
		if w&1 == 1 {
			s.grow(h + 1)
			s.levels[h] = append(s.levels[h], x)
		}
		w >>= 1
	}
}

// settle sorts the levels and compacts them after addWeighted calls.
func (s *kll) settle() {
	for _, l := range s.levels {
		slices.Sort(l)
	}
	s.base = max(s.base, kllBase(s.n))
	s.setCaps()
	s.compress()
}

// grow makes sure there are at least n levels.
func (s *kll) grow(n int) {
	if len(s.levels) < n {
		for len(s.levels) < n {
			s.levels = append(s.levels, nil)
		}
		s.setCaps()
	}
}

// flush sorts the buffer, compacts it into level base+1 (the odd item out
// goes to level base) and compresses the levels.
func (s *kll) flush() {
	if len(s.buf) == 0 {
		return
	}
	s.sortBuffer(s.buf)
	s.grow(s.base + 2)
	s.promote(s.base, s.buf)
	s.buf = s.buf[:0]
	s.compress()
}

// promote moves every other item of the sorted items of level h to level
// h+1; an odd item out is merged into level h.
func (s *kll) promote(h int, items []float64) {
	odd := len(items) % 2
	half := s.spare[:0]
	for i := int(s.next() >> 63); i < len(items)-odd; i += 2 {
		half = append(half, items[i])
	}
	s.levels[h+1], s.spare = mergeInto(s.levels[h+1], half)
	if odd == 1 {
		s.levels[h], _ = mergeInto(s.levels[h], items[len(items)-1:])
	}
}

// compress compacts levels, lowest first, until each is within capacity.
func (s *kll) compress() {
	for h := 0; h < len(s.levels); h++ {
		if len(s.levels[h]) < s.caps[h] {
			continue
		}
		s.grow(h + 2)
		lvl := s.levels[h]
		s.levels[h] = nil
		s.promote(h, lvl)
	}
}

// mergeInto merges sorted b into sorted a and returns the result and a
// buffer the caller may reuse (b's backing array is not kept).
func mergeInto(a, b []float64) ([]float64, []float64) {
	if len(b) == 0 {
		return a, b[:0]
	}
	if len(a) == 0 {
		return append(a, b...), b[:0]
	}
	out := make([]float64, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		if b[j] < a[i] {
			out = append(out, b[j])
			j++
		} else {
			out = append(out, a[i])
			i++
		}
	}
	out = append(out, a[i:]...)
	return append(out, b[j:]...), b[:0]
}

// sortBuffer sorts by LSD radix sort on order-preserving 64-bit keys,
// skipping digits all keys share.
func (s *kll) sortBuffer(a []float64) {
	if len(a) < 64 {
		slices.Sort(a)
		return
	}
	if cap(s.keys) < len(a) {
		s.keys = make([]uint64, len(a))
		s.tmp = make([]uint64, len(a))
	}
	src, dst := s.keys[:len(a)], s.tmp[:len(a)]
	for i, f := range a {
		src[i] = floatKey(f)
	}
	var cnt [256]int
	for shift := uint(0); shift < 64; shift += 8 {
		clear(cnt[:])
		for _, k := range src {
			cnt[(k>>shift)&255]++
		}
		if cnt[(src[0]>>shift)&255] == len(src) {
			continue
		}
		pos := 0
		for i, c := range cnt {
			cnt[i] = pos
			pos += c
		}
		for _, k := range src {
			d := (k >> shift) & 255
			dst[cnt[d]] = k
			cnt[d]++
		}
		src, dst = dst, src
	}
	for i, k := range src {
		a[i] = keyFloat(k)
	}
}

// floatKey maps float64 to uint64 preserving order (NaN excluded).
func floatKey(f float64) uint64 {
	b := math.Float64bits(f)
	if b>>63 == 1 {
		return ^b
	}
	return b | 1<<63
}

func keyFloat(k uint64) float64 {
	if k>>63 == 1 {
		return math.Float64frombits(k &^ (1 << 63))
	}
	return math.Float64frombits(^k)
}

// merge adds o's items to s, then compacts as needed.
func (s *kll) merge(o *kll) {
	if o == nil || o.n == 0 {
		return
	}
	s.flush()
	s.grow(max(len(o.levels), o.base+1))
	if len(o.buf) > 0 {
		items := slices.Clone(o.buf)
		s.sortBuffer(items)
		s.levels[o.base], _ = mergeInto(s.levels[o.base], items)
	}
	for h, l := range o.levels {
		s.levels[h], _ = mergeInto(s.levels[h], l)
	}
	s.n += o.n
	// Mix the seeds so that equal seeds do not cancel (xorshift must not
	// reach 0).
	s.seed = (s.seed ^ (o.seed*0x9e3779b97f4a7c15 + 0x632be59bd9b4e019)) | 1
	s.base = max(s.base, kllBase(s.n))
	for s.overfull() {
		s.compress()
	}
}

func (s *kll) overfull() bool {
	for h, l := range s.levels {
		if len(l) >= s.caps[h] {
			return true
		}
	}
	return false
}

// sorted returns the retained items sorted by value, with cumulative
// weights.
func (s *kll) sorted() (vals []float64, cum []int64) {
	type item struct {
		v float64
		w int64
	}
	var items []item
	for _, v := range s.buf {
		items = append(items, item{v, 1 << s.base})
	}
	for h, l := range s.levels {
		for _, v := range l {
			items = append(items, item{v, 1 << h})
		}
	}
	sort.SliceStable(items, func(i, j int) bool { return items[i].v < items[j].v })
	vals = make([]float64, len(items))
	cum = make([]int64, len(items))
	var c int64
	for i, it := range items {
		c += it.w
		vals[i] = it.v
		cum[i] = c
	}
	return vals, cum
}
