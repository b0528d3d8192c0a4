package expr

import (
	"encoding/binary"
	"math"
	"math/bits"
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

// strSet is a set of byte strings, hashed on their length and up to 16
// of their bytes.
type strSet struct {
	slots []uint32 // index+1 into vals; 0 is empty
	vals  []string
	shift uint8
	small bool
}

func newStrSet(members []string) *strSet {
	s := &strSet{small: len(members) <= smallSet}
	size := 1 << bits.Len(uint(4*len(members)))
	s.slots = make([]uint32, size)
	s.shift = uint8(64 - bits.TrailingZeros(uint(size)))
	mask := uint64(size - 1)
	for _, m := range members {
		if s.find(m) {
			continue
		}
		s.vals = append(s.vals, m)
		for i := s.slot(m) & mask; ; i = (i + 1) & mask {
			if s.slots[i] == 0 {
				s.slots[i] = uint32(len(s.vals))
				break
			}
		}
	}
	return s
}

func (s *strSet) slot(b string) uint64 { return strHash(b) >> s.shift }

func (s *strSet) find(b string) bool {
	if s.small {
		for _, v := range s.vals {
			if v == b {
				return true
			}
		}
		return false
	}
	mask := uint64(len(s.slots) - 1)
	for i := s.slot(b) & mask; s.slots[i] != 0; i = (i + 1) & mask {
		if s.vals[s.slots[i]-1] == b {
			return true
		}
	}
	return false
}

func (s *strSet) hasAll(offs []int32, data []byte, o []bool) {
	offs = offs[:len(o)+1]
	for i := range o {
		o[i] = s.find(unsafeString(data[offs[i]:offs[i+1]]))
	}
}

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
