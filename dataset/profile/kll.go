package profile

import (
	"math"
	"slices"
	"sort"
)

// kllK is the KLL accuracy parameter: with k = 256 the normalised rank
// error of a quantile is about 1% (99% confidence).
const kllK = 256

const kllMinCap = 8

// kllBuffer is the size of level 0, the unsorted buffer of incoming values.
// It is larger than KLL needs (more retained values only make the sketch
// more accurate) so that sorting happens in big batches, by radix sort.
const kllBuffer = 4096

// kll is a KLL quantile sketch (Karnin, Lang, Liberty 2016) over float64.
// Level h holds items of weight 2^h; level 0 is an unsorted buffer, higher
// levels are sorted. A compaction promotes every other item of a sorted
// level, starting at an offset drawn from a seeded generator, so a sketch
// built from the same values in the same order is always the same. The
// weights always sum to n.
type kll struct {
	levels [][]float64
	n      int64
	seed   uint64
	caps   []int // capacity per level, for the current number of levels

	keys, tmp []uint64 // radix sort scratch
}

func newKLL(seed uint64) *kll {
	s := &kll{levels: [][]float64{nil}, seed: seed | 1}
	s.setCaps()
	return s
}

func (s *kll) setCaps() {
	s.caps = s.caps[:0]
	H := len(s.levels)
	for h := range H {
		c := int(math.Ceil(kllK * math.Pow(2.0/3.0, float64(H-1-h))))
		s.caps = append(s.caps, max(c, kllMinCap))
	}
	s.caps[0] = max(s.caps[0], kllBuffer)
}

// addMany adds values of weight one.
func (s *kll) addMany(xs []float64) {
	for len(xs) > 0 {
		k := min(s.caps[0]-len(s.levels[0]), len(xs))
		s.levels[0] = append(s.levels[0], xs[:k]...)
		s.n += int64(k)
		xs = xs[k:]
		if len(s.levels[0]) >= s.caps[0] {
			s.compress()
		}
	}
}

// addWeighted adds x with weight w, as copies of x on the levels of w's
// binary digits.
func (s *kll) addWeighted(x float64, w int64) {
	s.n += w
	for h := 0; w > 0; h++ {
		if w&1 == 1 {
			for len(s.levels) <= h {
				s.levels = append(s.levels, nil)
			}
			s.levels[h] = append(s.levels[h], x)
		}
		w >>= 1
	}
}

// settle sorts levels above 0 and compacts after addWeighted calls.
func (s *kll) settle() {
	for h := 1; h < len(s.levels); h++ {
		slices.Sort(s.levels[h])
	}
	s.setCaps()
	s.compress()
}

func (s *kll) coin() int {
	x := s.seed // xorshift64
	x ^= x << 13
	x ^= x >> 7
	x ^= x << 17
	s.seed = x
	return int(x >> 63)
}

// compress compacts levels, lowest first, until each is within capacity.
func (s *kll) compress() {
	for h := 0; h < len(s.levels); h++ {
		if len(s.levels[h]) < s.caps[h] {
			continue
		}
		if h+1 == len(s.levels) {
			s.levels = append(s.levels, nil)
			s.setCaps()
		}
		s.compact(h)
	}
}

func (s *kll) compact(h int) {
	lvl := s.levels[h]
	if h == 0 {
		s.sortBuffer(lvl)
	}
	odd := len(lvl) % 2
	half := make([]float64, 0, len(lvl)/2)
	for i := s.coin(); i < len(lvl)-odd; i += 2 {
		half = append(half, lvl[i])
	}
	s.levels[h+1] = mergeSorted(s.levels[h+1], half)
	if odd == 1 {
		lvl[0] = lvl[len(lvl)-1]
		s.levels[h] = lvl[:1]
	} else {
		s.levels[h] = lvl[:0]
	}
}

// sortBuffer sorts level 0 by LSD radix sort on order-preserving 64-bit
// keys, skipping digits all keys share.
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

func mergeSorted(a, b []float64) []float64 {
	if len(a) == 0 {
		return append(a, b...)
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
	return append(out, b[j:]...)
}

// merge adds o's items to s, level by level, then compacts as needed.
func (s *kll) merge(o *kll) {
	if o == nil || o.n == 0 {
		return
	}
	for len(s.levels) < len(o.levels) {
		s.levels = append(s.levels, nil)
	}
	s.levels[0] = append(s.levels[0], o.levels[0]...)
	for h := 1; h < len(o.levels); h++ {
		s.levels[h] = mergeSorted(s.levels[h], o.levels[h])
	}
	s.n += o.n
	s.seed ^= o.seed
	s.setCaps()
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
