package expr

import (
	"encoding/binary"
	"math"
	"math/bits"
	"slices"
	"unsafe"
)

// unsafeString views b as a string without copying. The string must not
// outlive b's contents: use it only for comparisons, lookups and parsing.
func unsafeString(b []byte) string {
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// Sets of constants for x in [...]: open addressing with linear probing
// at a load of at most 1/4, and a linear scan for a handful of members.

const smallSet = 4

// intSet is a set of int64.
type intSet struct {
	keys  []int64
	used  []bool
	shift uint8
	small []int64 // all members, when there are few
}

func newIntSet(members []int64) *intSet {
	s := &intSet{}
	size := 1 << bits.Len(uint(4*len(members)))
	s.keys, s.used = make([]int64, size), make([]bool, size)
	s.shift = uint8(64 - bits.TrailingZeros(uint(size)))
	for _, k := range members {
		s.add(k)
	}
	if len(members) <= smallSet {
		s.small = members
	}
	return s
}

func (s *intSet) slot(k int64) uint64 {
	return (uint64(k) * 0x9E3779B97F4A7C15) >> s.shift
}

func (s *intSet) add(k int64) {
	mask := uint64(len(s.keys) - 1)
	for i := s.slot(k); ; i = (i + 1) & mask {
		if !s.used[i] {
			s.keys[i], s.used[i] = k, true
			return
		}
		if s.keys[i] == k {
			return
		}
	}
}

func (s *intSet) has(k int64) bool {
	if s.small != nil || len(s.keys) == 1 {
		for _, m := range s.small {
			if m == k {
				return true
			}
		}
		return false
	}
	mask := uint64(len(s.keys) - 1)
	for i := s.slot(k); s.used[i]; i = (i + 1) & mask {
		if s.keys[i] == k {
			return true
		}
	}
	return false
}

func (s *intSet) hasAll(a []int64, o []bool) {
	o = o[:len(a)]
	if s.small != nil || len(s.keys) == 1 {
		clear(o)
		for _, m := range s.small {
			for i, x := range a {
				if x == m {
					o[i] = true
				}
			}
		}
		return
	}
	for i, x := range a {
		o[i] = s.has(x)
	}
}

// floatSet is a set of float64 compared as numbers: -0 is 0, NaN is never
// a member.
type floatSet struct{ ints *intSet }

func floatKey(f float64) int64 {
	if f == 0 {
		f = 0
	}
	return int64(math.Float64bits(f))
}

func newFloatSet(members []float64) *floatSet {
	keys := make([]int64, 0, len(members))
	for _, f := range members {
		if f == f {
			keys = append(keys, floatKey(f))
		}
	}
	return &floatSet{newIntSet(keys)}
}

func (s *floatSet) has(f float64) bool {
	return f == f && s.ints.has(floatKey(f))
}

// strSet is a set of byte strings. Members of up to 8 bytes are kept as
// (length, little-endian word) pairs so that a row is tested with one
// 8-byte load and integer compares; longer members are hashed on their
// length and up to 16 of their bytes.
type strSet struct {
	lens uint64 // bit l set: some member has length l (l < 64)
	long bool   // some member is longer than 63 bytes

	shortLen []int32
	shortKey []uint64
	shortTab []int32 // hash table of short members (index+1), unless few
	shift    uint8

	// perLen: no two members share a length and none is longer than 8
	// bytes; lenKey[l] is the member of length l where lenOK[l] is 1.
	perLen bool
	lenKey [64]uint64
	lenOK  [64]uint64

	// exact: a collision-free hash table over all members (nil when none
	// was found): a row hashes its length and first and last 8 bytes,
	// and the one member in its slot is checked by those (and, beyond 16
	// bytes, by its bytes).
	exact   []int32 // slot → member (0: the empty sentinel)
	mult    uint64
	eshift  uint8
	members []setMember

	slots []uint32 // hash table of long members: index+1 into vals
	vals  []string
	lshif uint8
}

// lenMask[l] keeps the low l bytes of a word (all of it from 8 on).
var lenMask = func() (m [64]uint64) {
	for l := range m {
		m[l] = ^uint64(0)
		if l < 8 {
			m[l] = 1<<(8*l) - 1
		}
	}
	return m
}()

func newStrSet(members []string) *strSet {
	s := &strSet{}
	var long []string
	for _, m := range members {
		if len(m) < 64 {
			s.lens |= 1 << len(m)
		} else {
			s.long = true
		}
		if len(m) <= 8 {
			w := shortKey([]byte(m), 0, int32(len(m)))
			if !s.hasShort(w, int32(len(m))) {
				s.shortLen = append(s.shortLen, int32(len(m)))
				s.shortKey = append(s.shortKey, w)
			}
		} else if !slices.Contains(long, m) {
			long = append(long, m)
		}
	}
	s.perLen = len(long) == 0
	for j, l := range s.shortLen {
		if s.lenOK[l] == 1 {
			s.perLen = false
		}
		s.lenKey[l], s.lenOK[l] = s.shortKey[j], 1
	}
	if len(s.shortKey) > smallSet {
		size := 1 << bits.Len(uint(4*len(s.shortKey)))
		s.shortTab = make([]int32, size)
		s.shift = uint8(64 - bits.TrailingZeros(uint(size)))
		mask := uint64(size - 1)
		for j := range s.shortKey {
			for i := shortHash(s.shortKey[j], s.shortLen[j]) >> s.shift; ; i = (i + 1) & mask {
				if s.shortTab[i] == 0 {
					s.shortTab[i] = int32(j + 1)
					break
				}
			}
		}
	}
	size := 1 << bits.Len(uint(4*len(long)))
	s.slots = make([]uint32, size)
	s.lshif = uint8(64 - bits.TrailingZeros(uint(size)))
	mask := uint64(size - 1)
	for _, m := range long {
		s.vals = append(s.vals, m)
		for i := strHash(m) >> s.lshif & mask; ; i = (i + 1) & mask {
			if s.slots[i] == 0 {
				s.slots[i] = uint32(len(s.vals))
				break
			}
		}
	}
	if !s.perLen {
		s.buildExact(members)
	}
	return s
}

// setMember is a member of a strSet's exact table: its length and first
// and last 8 bytes (as rowWords), and its text.
type setMember struct {
	w1, w2 uint64
	l      int32
	s      string
}

// buildExact looks for a multiplier and table size under which no two
// members share a slot.
func (s *strSet) buildExact(members []string) {
	var uniq []string
	for _, m := range members {
		if !slices.Contains(uniq, m) {
			uniq = append(uniq, m)
		}
	}
	if len(uniq) > 1<<10 {
		return // a collision-free table would be too big
	}
	s.members = []setMember{{l: math.MinInt32}} // the empty sentinel
	hashes := make([]uint64, len(uniq))
	for j, m := range uniq {
		buf := make([]byte, len(m), len(m)+8)
		copy(buf, m)
		w1, w2 := rowWords(buf[:cap(buf)], 0, int32(len(m)))
		s.members = append(s.members, setMember{w1: w1, w2: w2, l: int32(len(m)), s: m})
		hashes[j] = rowHash(w1, w2, int32(len(m)))
	}
	mult := uint64(0x9E3779B97F4A7C15)
	maxSize := min(64<<bits.Len(uint(len(uniq))), 1<<16)
	tab := make([]int32, maxSize)
	for size := 1 << bits.Len(uint(2*len(uniq))); size <= maxSize; size *= 2 {
		shift := uint8(64 - bits.TrailingZeros(uint(size)))
		for range 16 {
			t := tab[:size]
			clear(t)
			ok := true
			for j, h := range hashes {
				i := (h * mult) >> shift
				if t[i] != 0 {
					ok = false
					break
				}
				t[i] = int32(j + 1)
			}
			if ok {
				s.exact, s.mult, s.eshift = slices.Clone(t), mult, shift
				return
			}
			mult = mult*0xBF58476D1CE4E5B9 + 0x94D049BB133111EB | 1
		}
	}
	s.members = nil
}

// rowWords returns the first 8 bytes of full[lo:hi] (zero-padded) and,
// when it is longer than 8 bytes, its last 8. full must extend at least
// to hi; the loads read only within it.
func rowWords(full []byte, lo, hi int32) (w1, w2 uint64) {
	l := uint32(hi - lo)
	if int(lo)+8 <= len(full) {
		w1 = load(full, int(lo)) & lenMask[l&63]
	} else {
		w1 = shortKey(full, lo, min(hi, lo+8))
	}
	if int(hi) >= 8 {
		long := uint64((8-int64(l))>>63) & 1 // 1 when l > 8
		w2 = load(full, int(hi)-8) & -long
	}
	return w1, w2
}

func rowHash(w1, w2 uint64, l int32) uint64 {
	return w1 ^ bits.RotateLeft64(w2, 29) ^ uint64(l)*0xC2B2AE3D27D4EB4F
}

// shortKey returns data[lo:hi] (at most 8 bytes) as a zero-padded
// little-endian word.
func shortKey(data []byte, lo, hi int32) uint64 {
	if int(lo)+8 <= len(data) {
		return load(data, int(lo)) & lenMask[hi-lo]
	}
	var w uint64
	for j := hi - 1; j >= lo; j-- {
		w = w<<8 | uint64(data[j])
	}
	return w
}

func shortHash(w uint64, l int32) uint64 {
	return (w ^ uint64(l)<<59) * 0x9E3779B97F4A7C15
}

func (s *strSet) hasShort(w uint64, l int32) bool {
	if s.shortTab == nil {
		for j, k := range s.shortKey {
			if k == w && s.shortLen[j] == l {
				return true
			}
		}
		return false
	}
	mask := uint64(len(s.shortTab) - 1)
	for i := shortHash(w, l) >> s.shift; s.shortTab[i] != 0; i = (i + 1) & mask {
		if j := s.shortTab[i] - 1; s.shortKey[j] == w && s.shortLen[j] == l {
			return true
		}
	}
	return false
}

func (s *strSet) hasLong(b string) bool {
	mask := uint64(len(s.slots) - 1)
	for i := strHash(b) >> s.lshif & mask; s.slots[i] != 0; i = (i + 1) & mask {
		if s.vals[s.slots[i]-1] == b {
			return true
		}
	}
	return false
}

func (s *strSet) hasAll(offs []int32, data []byte, o []bool) {
	offs = offs[:len(o)+1]
	ob := byteView(o)
	full := data[:cap(data)] // reading into the capacity (Arrow pads buffers) spares a branch
	if s.perLen {
		// At most one member per length, none longer than 8 bytes: one
		// load and compare per row, no branch.
		keys, ok := &s.lenKey, &s.lenOK
		for i := range ob {
			lo, hi := offs[i], offs[i+1]
			l := uint32(hi - lo)
			var w uint64
			if int(lo)+8 <= len(full) {
				w = load(full, int(lo)) & lenMask[l&63]
			} else {
				w = shortKey(data, lo, min(hi, lo+8))
			}
			// Lengths from 64 alias a short one: l>>6 rules them out.
			ob[i] = uint8(isZero((w^keys[l&63])|uint64(l>>6)) & ok[l&63])
		}
		return
	}
	if s.exact != nil {
		tab, mult, shift, members := s.exact, s.mult, s.eshift, s.members
		for i := range ob {
			lo, hi := offs[i], offs[i+1]
			l := hi - lo
			w1, w2 := rowWords(full, lo, hi)
			m := &members[tab[(rowHash(w1, w2, l)*mult)>>shift]]
			found := isZero((m.w1 ^ w1) | (m.w2 ^ w2) | uint64(uint32(m.l^l)))
			if l > 16 && found == 1 {
				found = uint64(b2u(m.s == unsafeString(data[lo:hi])))
			}
			ob[i] = uint8(found)
		}
		return
	}
	for i := range o {
		lo, hi := offs[i], offs[i+1]
		l := hi - lo
		switch {
		case l < 64 && s.lens>>l&1 == 0:
			o[i] = false
		case l <= 8:
			o[i] = s.hasShort(shortKey(data, lo, hi), l)
		case l >= 64 && !s.long:
			o[i] = false
		default:
			o[i] = s.hasLong(unsafeString(data[lo:hi]))
		}
	}
}

// isZero is 1 when x is 0, else 0, without a branch.
func isZero(x uint64) uint64 { return (x|-x)>>63 ^ 1 }

// strHash mixes the length and the first and last 8 bytes of b.
func strHash(b string) uint64 {
	n := len(b)
	var h uint64
	switch {
	case n >= 8:
		h = le64(b[:8]) ^ bits.RotateLeft64(le64(b[n-8:]), 31)
	case n >= 4:
		h = uint64(le32(b[:4])) | uint64(le32(b[n-4:]))<<32
	case n > 0:
		h = uint64(b[0]) | uint64(b[n>>1])<<8 | uint64(b[n-1])<<16
	}
	h ^= uint64(n) * 0xC2B2AE3D27D4EB4F
	h *= 0x9E3779B97F4A7C15
	return h ^ h>>32
}

func le64(s string) uint64 {
	return binary.LittleEndian.Uint64(unsafe.Slice(unsafe.StringData(s), 8))
}

func le32(s string) uint32 {
	return binary.LittleEndian.Uint32(unsafe.Slice(unsafe.StringData(s), 4))
}
