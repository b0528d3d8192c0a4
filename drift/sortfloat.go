package drift

import (
	"math"
	"slices"
	"unsafe"

	"github.com/assayhq/assay/dataset/hugepage"
)

// radixMin is the length from which sortFloats uses its radix sort.
const radixMin = 1 << 12

// sortFloats sorts numbers without NaN ascending. Long slices get a
// least-significant-digit radix sort on the numbers' order-preserving bit
// patterns, 11 bits per pass (a count table that fits in L1), skipping the passes whose digit every
// number shares (the high bits of integers and timestamps): linear time,
// where a comparison sort of a million values costs about twenty
// comparisons each.
func sortFloats(v []float64) {
	sortFloatsWith(v, new([]uint64))
}

// sortFloatsWith is sortFloats with a scatter buffer to reuse: *scratch
// is grown as needed and kept for the next call.
func sortFloatsWith(v []float64, scratch *[]uint64) {
	n := len(v)
	if n < radixMin {
		slices.Sort(v)
		return
	}
	if cap(*scratch) < n {
		*scratch = make([]uint64, n)
		hugepage.Advise(*scratch)
	}
	// The keys replace the numbers in place (same size), so that only the
	// scatter buffer is needed.
	keys, buf := unsafe.Slice((*uint64)(unsafe.Pointer(unsafe.SliceData(v))), n), (*scratch)[:n]
	orig := keys
	const bits, passes = 11, 6
	const mask = 1<<bits - 1
	var counts [passes][1 << bits]uint32
	for i, x := range v {
		b := math.Float64bits(x)
		if b>>63 == 1 {
			b = ^b // negative: reverse the order of magnitudes
		} else {
			b |= 1 << 63
		}
		keys[i] = b
		for p := range passes {
			counts[p][b>>(bits*p)&mask]++
		}
	}
	for pass := range passes {
		c := &counts[pass]
		shift := uint(bits * pass)
		if c[keys[0]>>shift&mask] == uint32(n) {
			continue // one digit for all: the pass would not move anything
		}
		var sum uint32
		for d := range c {
			c[d], sum = sum, sum+c[d]
		}
		for _, k := range keys {
			d := k >> shift & mask
			buf[c[d]] = k
			c[d]++
		}
		keys, buf = buf, keys
	}
	if &keys[0] != &orig[0] {
		copy(orig, keys)
	}
	for i, b := range orig {
		if b>>63 == 1 {
			b &^= 1 << 63
		} else {
			b = ^b
		}
		orig[i] = b
	}
}
