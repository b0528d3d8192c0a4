package hugepage

import (
	"testing"
	"unsafe"
)

func TestSpan(t *testing.T) {
	b := make([]byte, 3*Size)
	off, n := span(b)
	p := uintptr(unsafe.Pointer(&b[0]))
	if (p+uintptr(off))%Size != 0 || n%Size != 0 || n < Size || off+n > len(b) || off >= Size {
		t.Errorf("span of %d bytes at %#x: offset %d, length %d", len(b), p, off, n)
	}
	if _, n := span(make([]byte, Size/2)); n != 0 {
		t.Errorf("half a huge page gave a span of %d", n)
	}
	// Advice on any slice is harmless.
	Advise(make([]float64, Size))
	Advise([]int32(nil))
	Advise(make([]struct{ a, b uint64 }, 10))
}
