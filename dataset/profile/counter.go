package profile

import (
	"math"
	"slices"

	"github.com/zeebo/xxh3"
)

// ExactDistinctCap is the number of distinct values a column profile
// counts exactly. Past it, distinct counts come from HyperLogLog and value
// counts from a Misra-Gries summary of the most frequent values.
const ExactDistinctCap = 1 << 16

// frequentCap is the number of values the Misra-Gries summary keeps. A
// reported count is low by at most (rows − kept counts)/frequentCap.
const frequentCap = 1024

// entry is one counted value. For numbers val holds the value's bits; for
// strings it holds the offset (high 32 bits) and length of the value's
// bytes in the counter's arena.
type entry struct {
	hash  uint64
	count int64
	val   uint64
}

// slot is a hash table slot: the value's hash and its entry. A slot is
// in use only when its epoch is the counter's: a purge empties the table
// by moving to the next epoch instead of clearing it.
type slot struct {
	hash  uint64
	idx   int32
	epoch uint32
}

// counter counts values by their 64-bit hash: exactly while it holds at
// most ExactDistinctCap distinct values, then approximately. It is the one
// hash table behind a profile's distinct count and top values.
type counter struct {
	bytes   bool    // values are byte strings kept in arena
	exact   bool    // every distinct value so far is in entries
	entries []entry // the counted values
	arena   []byte  // bytes of string values
	table   []slot  // open addressing, linear probing
	mask    uint64  // len(table) - 1
	epoch   uint32  // slots of other epochs are empty
	hll     hll     // distinct count once not exact
	offset  int64   // Misra-Gries: total subtracted from every count
	limit   int     // entries allowed before the next overflow or purge

	// onOverflow, when set, sees the exact entries once, just before the
	// counter stops being exact.
	onOverflow func(entries []entry)
	adds       int64 // calls of add, for onOverflow to place itself

	spare []byte // the other arena, reused by purges
}

func newCounter(bytes bool) *counter {
	c := &counter{bytes: bytes, exact: true, limit: ExactDistinctCap}
	c.rehash(64)
	return c
}

// Mix64 is the 64-bit mixer (MurmurHash3's finalizer) behind the hashes
// of numbers: a fixed function, so that hashes from different runs and
// machines agree.
func Mix64(x uint64) uint64 {
	x ^= x >> 33
	x *= 0xff51afd7ed558ccd
	x ^= x >> 33
	x *= 0xc4ceb9fe1a85ec53
	x ^= x >> 33
	return x
}

// hashInt, hashFloat and hashBytes are the value hashes. They are fixed
// functions (no per-process seed): stored sketches from different runs and
// machines merge.
func hashInt(v int64) uint64 { return Mix64(uint64(v)) }

func hashFloat(v float64) uint64 {
	if v == 0 {
		v = 0 // -0 and +0 are one value
	}
	return hashInt(int64(math.Float64bits(v)))
}

func hashBytes(b []byte) uint64 { return xxh3.Hash(b) }

func (c *counter) rehash(size int) {
	if len(c.table) == size && c.epoch < 1<<32-1 {
		c.epoch++
	} else {
		c.table = make([]slot, size)
		c.epoch = 1
	}
	c.mask = uint64(size - 1)
	for i, e := range c.entries {
		j := e.hash & c.mask
		for c.table[j].epoch == c.epoch {
			j = (j + 1) & c.mask
		}
		c.table[j] = slot{e.hash, int32(i), c.epoch}
	}
}

// add counts one value n times. For byte values, val is ignored and b
// holds the bytes.
func (c *counter) add(hash uint64, val uint64, b []byte, n int64) {
	c.adds++
	if !c.exact {
		c.hll.add(hash)
	}
	j := hash & c.mask
	for {
		sl := &c.table[j]
		if sl.epoch != c.epoch {
			break
		}
		if sl.hash == hash {
			c.entries[sl.idx].count += n
			return
		}
		j = (j + 1) & c.mask
	}
	if c.bytes {
		val = uint64(len(c.arena))<<32 | uint64(len(b))
		c.arena = append(c.arena, b...)
	}
	c.table[j] = slot{hash, int32(len(c.entries)), c.epoch}
	c.entries = append(c.entries, entry{hash: hash, count: n, val: val})
	if len(c.entries)*2 > len(c.table) {
		c.rehash(len(c.table) * 2)
	}
	if len(c.entries) > c.limit {
		c.shrink()
	}
}

// shrink runs when entries pass the limit: an exact counter turns into a
// Misra-Gries summary (its hashes seed the HyperLogLog), and a summary
// purges its smaller half.
func (c *counter) shrink() {
	if c.exact {
		c.overflow()
	}
	if len(c.entries) <= c.limit {
		return
	}
	// Subtract the count of the entry ranked limit/2 (by count, descending)
	// from every entry and drop those left at zero or below: the
	// Misra-Gries step, done in bulk.
	cut := max(c.rankedCount(c.limit/2+1), 1)
	c.offset += cut
	kept := c.entries[:0]
	arena := c.spare[:0]
	for _, e := range c.entries {
		e.count -= cut
		if e.count <= 0 {
			continue
		}
		if c.bytes {
			off, n := e.val>>32, e.val&0xffffffff
			e.val = uint64(len(arena))<<32 | n
			arena = append(arena, c.arena[off:off+n]...)
		}
		kept = append(kept, e)
	}
	c.entries = kept
	if c.bytes {
		c.arena, c.spare = arena, c.arena
	}
	size := 64
	for size < 2*len(c.entries)+2 || size < 2*(c.limit+1) {
		size *= 2
	}
	c.rehash(size)
}

// rankedCount returns the r-th largest count (r from 1). Counts are mostly
// small in a Misra-Gries summary, so a histogram of counts up to 256 finds
// it in linear time; larger counts fall back to sorting.
func (c *counter) rankedCount(r int) int64 {
	var hist [257]int32
	big := 0
	for _, e := range c.entries {
		if e.count > 256 {
			big++
		} else if e.count > 0 {
			hist[e.count]++
		}
	}
	if big >= r {
		counts := make([]int64, 0, big)
		for _, e := range c.entries {
			if e.count > 256 {
				counts = append(counts, e.count)
			}
		}
		slices.Sort(counts)
		return counts[len(counts)-r]
	}
	seen := big
	for v := 256; v > 0; v-- {
		seen += int(hist[v])
		if seen >= r {
			return int64(v)
		}
	}
	return 0
}

// overflow ends exact counting: the entries' hashes seed the HyperLogLog.
func (c *counter) overflow() {
	if c.onOverflow != nil {
		c.onOverflow(c.entries)
	}
	c.exact = false
	for _, e := range c.entries {
		c.hll.add(e.hash)
	}
	c.limit = frequentCap
}

// value returns the bytes of a byte-string entry.
func (c *counter) value(e entry) []byte {
	off, n := e.val>>32, e.val&0xffffffff
	return c.arena[off : off+n]
}

// merge adds o's counts.
func (c *counter) merge(o *counter) {
	if !o.exact && c.exact {
		c.overflow()
	}
	if !o.exact {
		c.hll.merge(&o.hll)
		c.offset += o.offset
	}
	for _, e := range o.entries {
		var b []byte
		if c.bytes {
			b = o.value(e)
		}
		c.add(e.hash, e.val, b, e.count)
	}
	if !c.exact && len(c.entries) > c.limit {
		c.shrink()
	}
}

// distinct returns the distinct count and whether it is exact.
func (c *counter) distinct() (int64, bool) {
	if c.exact {
		return int64(len(c.entries)), true
	}
	return int64(math.Round(c.hll.estimate())), false
}

// top returns up to k entries with the highest counts; ties go to the
// smaller value (numbers) or bytes (strings), so results are stable.
func (c *counter) top(k int, less func(a, b entry) bool) []entry {
	out := slices.Clone(c.entries)
	slices.SortFunc(out, func(a, b entry) int {
		if a.count != b.count {
			if a.count > b.count {
				return -1
			}
			return 1
		}
		if less(a, b) {
			return -1
		}
		if less(b, a) {
			return 1
		}
		return 0
	})
	if len(out) > k {
		out = out[:k]
	}
	return out
}
