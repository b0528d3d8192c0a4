package dataset

import (
	"math/bits"
	"sync"

	"github.com/apache/arrow-go/v18/arrow/memory"
)

// poolAllocator recycles Arrow buffers by power-of-two size class, so that a
// scan reuses the memory of the batches it has released instead of asking
// the garbage collector for fresh, zeroed memory for every batch. Buffers
// come back uninitialised: the column readers write every byte they use.
type poolAllocator struct {
	classes [40]sync.Pool
}

func newPoolAllocator() *poolAllocator { return &poolAllocator{} }

var _ memory.Allocator = (*poolAllocator)(nil)

const minClass = 6 // 64 bytes

func sizeClass(n int) int {
	if n <= 1<<minClass {
		return minClass
	}
	return bits.Len(uint(n - 1))
}

func (p *poolAllocator) Allocate(size int) []byte {
	c := sizeClass(size)
	if c >= len(p.classes) {
		return make([]byte, size)
	}
	if b, ok := p.classes[c].Get().(*[]byte); ok {
		return (*b)[:size]
	}
	return make([]byte, size, 1<<c)
}

func (p *poolAllocator) Reallocate(size int, b []byte) []byte {
	if size <= cap(b) {
		return b[:size]
	}
	nb := p.Allocate(size)
	copy(nb, b)
	p.Free(b)
	return nb
}

func (p *poolAllocator) Free(b []byte) {
	c := bits.Len(uint(cap(b))) - 1
	if c < minClass || c >= len(p.classes) || cap(b) != 1<<c {
		return
	}
	b = b[:0]
	p.classes[c].Put(&b)
}
