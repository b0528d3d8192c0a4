package checks

import (
	"sync"

	"github.com/assayhq/assay/dataset/hugepage"
	"github.com/assayhq/assay/dataset/profile"
)

// setParts is the number of independently locked parts of an exactSet; a
// key's part is chosen by the top bits of its hash.
const setParts = 256

// key is a value (or a compound key) as an exactSet stores it: integers
// are themselves (lo, with hi 0), everything else is a 96-bit hash (lo and
// the low 32 bits of hi) — two different values collide with probability
// about n²/2^97, below 10^-14 for a billion distinct values.
type key struct {
	lo uint64
	hi uint32
}

// setSlot is a slot of a part's open-addressing table; count 0 is empty.
type setSlot struct {
	key   key
	count uint32 // saturates at the maximum
}

type setPart struct {
	mu    sync.Mutex
	slots []setSlot
	n     int
}

// exactSet counts keys exactly, shared by all workers of a scan: inserts
// lock only the part a key falls in. Memory: 16 bytes per slot, at most
// twice the number of distinct keys in slots.
type exactSet struct {
	parts [setParts]setPart
}

func newExactSet() *exactSet { return &exactSet{} }

func slotHash(k key) uint64 { return profile.Mix64(k.lo ^ uint64(k.hi)<<32 ^ uint64(k.hi)) }

// addBatch counts the keys; scratch is the caller's, reused across
// batches. It returns how many keys were new.
func (s *exactSet) addBatch(keys []key, scratch *setScratch) int {
	scratch.sort(keys)
	added := 0
	for p := range setParts {
		lo, hi := scratch.start[p], scratch.start[p+1]
		if lo == hi {
			continue
		}
		part := &s.parts[p]
		part.mu.Lock()
		before := part.n
		for i, k := range scratch.sorted[lo:hi] {
			part.insert(k, scratch.hashes[lo+i])
		}
		added += part.n - before
		part.mu.Unlock()
	}
	return added
}

// reserve grows the parts to hold about n keys in all, so that a set known
// to be large does not grow step by step.
func (s *exactSet) reserve(n int) {
	per := n / setParts * 4 / 3
	size := 64
	for size < per {
		size *= 2
	}
	// One allocation for every part, advised to the kernel as huge-page
	// memory: a table of hundreds of megabytes is otherwise faulted in 4 KiB
	// at a time, which costs more than filling it.
	backing := make([]setSlot, size*setParts)
	hugepage.Advise(backing)
	for p := range s.parts {
		part := &s.parts[p]
		part.mu.Lock()
		if len(part.slots) < size {
			part.rehashInto(backing[p*size : (p+1)*size : (p+1)*size])
		}
		part.mu.Unlock()
	}
}

// setScratch buckets a batch's keys by part (a counting sort), so that
// each part is locked once per batch; it keeps each key's hash.
type setScratch struct {
	sorted []key
	hashes []uint64
	tmp    []uint64
	start  [setParts + 1]int
}

func (sc *setScratch) sort(keys []key) {
	var counts [setParts]int
	if cap(sc.tmp) < len(keys) {
		sc.tmp = make([]uint64, len(keys))
		sc.hashes = make([]uint64, len(keys))
		sc.sorted = make([]key, len(keys))
	}
	tmp := sc.tmp[:len(keys)]
	for i, k := range keys {
		h := slotHash(k)
		tmp[i] = h
		counts[h>>56]++
	}
	pos := 0
	for p := range setParts {
		sc.start[p] = pos
		pos += counts[p]
	}
	sc.start[setParts] = pos
	sc.sorted = sc.sorted[:len(keys)]
	sc.hashes = sc.hashes[:len(keys)]
	next := sc.start
	for i, k := range keys {
		h := tmp[i]
		p := h >> 56
		sc.sorted[next[p]] = k
		sc.hashes[next[p]] = h
		next[p]++
	}
}

func (p *setPart) insert(k key, h uint64) {
	if p.n*4 >= len(p.slots)*3 {
		p.grow()
	}
	mask := uint64(len(p.slots) - 1)
	i := h & mask
	for {
		sl := &p.slots[i]
		if sl.count == 0 {
			sl.key, sl.count = k, 1
			p.n++
			return
		}
		if sl.key == k {
			if sl.count < ^uint32(0) {
				sl.count++
			}
			return
		}
		i = (i + 1) & mask
	}
}

func (p *setPart) grow() { p.growTo(max(64, 2*len(p.slots))) }

// growTo rehashes the part into size slots (a power of two).
func (p *setPart) growTo(size int) { p.rehashInto(make([]setSlot, size)) }

// rehashInto moves the part's keys into slots (zeroed, a power of two
// long).
func (p *setPart) rehashInto(slots []setSlot) {
	size := len(slots)
	old := p.slots
	p.slots = slots
	mask := uint64(size - 1)
	for _, sl := range old {
		if sl.count == 0 {
			continue
		}
		i := slotHash(sl.key) & mask
		for p.slots[i].count != 0 {
			i = (i + 1) & mask
		}
		p.slots[i] = sl
	}
}

// has reports the key's count (0: absent). Only after all inserts.
func (s *exactSet) count(k key) uint32 {
	p := &s.parts[slotHash(k)>>56]
	if len(p.slots) == 0 {
		return 0
	}
	mask := uint64(len(p.slots) - 1)
	for i := slotHash(k) & mask; ; i = (i + 1) & mask {
		sl := &p.slots[i]
		if sl.count == 0 {
			return 0
		}
		if sl.key == k {
			return sl.count
		}
	}
}

// each calls fn for every distinct key with its count. Only after all
// inserts.
func (s *exactSet) each(fn func(k key, count uint32)) {
	for p := range s.parts {
		for _, sl := range s.parts[p].slots {
			if sl.count > 0 {
				fn(sl.key, sl.count)
			}
		}
	}
}

// stats returns the number of distinct keys, of keys seen more than once,
// of rows with such keys, and of rows beyond the first of each.
func (s *exactSet) stats() (distinct, dupGroups, dupRows, extraRows int64) {
	s.each(func(_ key, c uint32) {
		distinct++
		if c > 1 {
			dupGroups++
			dupRows += int64(c)
			extraRows += int64(c) - 1
		}
	})
	return
}

// size returns the number of distinct keys.
func (s *exactSet) size() int {
	n := 0
	for p := range s.parts {
		n += s.parts[p].n
	}
	return n
}

// addSet adds o's keys with their counts (saturating): the union of the
// sets of two scans. A key falls in the same part of both sets. Not
// concurrent with inserts.
func (s *exactSet) addSet(o *exactSet) {
	for p := range o.parts {
		for _, sl := range o.parts[p].slots {
			if sl.count > 0 {
				s.parts[p].add(sl.key, slotHash(sl.key), sl.count)
			}
		}
	}
}

// add adds count c to key k (of slot hash h), saturating, and reports
// whether k was new.
func (p *setPart) add(k key, h uint64, c uint32) bool {
	if p.n*4 >= len(p.slots)*3 {
		p.grow()
	}
	mask := uint64(len(p.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		sl := &p.slots[i]
		if sl.count == 0 {
			sl.key, sl.count = k, c
			p.n++
			return true
		}
		if sl.key == k {
			sl.count = uint32(min(uint64(sl.count)+uint64(c), uint64(^uint32(0))))
			return false
		}
	}
}
