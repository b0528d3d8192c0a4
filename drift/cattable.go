package drift

import (
	"github.com/zeebo/xxh3"

	"github.com/assayhq/assay/dataset/hugepage"
)

// catTable maps category values to codes by their 64-bit xxh3 hash, in an
// open-addressing table of 16-byte slots: a lookup touches one slot, where
// a Go map of strings also reads the stored string to compare it. Two
// values of one hash would share a code; for a million distinct values
// the chance is about 3·10⁻⁸, the same trade the profiles' value counter
// makes.
type catTable struct {
	slots []catSlot
	n     int
}

// catSlot is a table slot; code is the category's code + 1 (0: empty).
type catSlot struct {
	hash uint64
	code int32
}

// lookup returns the code of v, or -1 and v's hash when v is new.
func (t *catTable) lookup(v string) (code int32, hash uint64) {
	hash = xxh3.HashString(v)
	if len(t.slots) == 0 {
		return -1, hash
	}
	mask := uint64(len(t.slots) - 1)
	for i := hash & mask; ; i = (i + 1) & mask {
		s := &t.slots[i]
		if s.code == 0 {
			return -1, hash
		}
		if s.hash == hash {
			return s.code - 1, hash
		}
	}
}

// insert records a new value's hash with its code.
func (t *catTable) insert(hash uint64, code int32) {
	if 2*(t.n+1) > len(t.slots) {
		t.grow()
	}
	t.put(hash, code)
	t.n++
}

func (t *catTable) put(hash uint64, code int32) {
	mask := uint64(len(t.slots) - 1)
	i := hash & mask
	for t.slots[i].code != 0 {
		i = (i + 1) & mask
	}
	t.slots[i] = catSlot{hash: hash, code: code + 1}
}

// grow doubles the table (at least 64 slots) and reinserts every slot.
func (t *catTable) grow() {
	old := t.slots
	t.slots = make([]catSlot, max(64, 2*len(old)))
	hugepage.Advise(t.slots) // a table of a million categories faults in 2 MiB pages, not 4 KiB
	for _, s := range old {
		if s.code != 0 {
			t.put(s.hash, s.code-1)
		}
	}
}
