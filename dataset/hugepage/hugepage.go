// Package hugepage asks the kernel to back large slices with transparent
// huge pages. A slice of many megabytes that is written once from start
// to end (a column's values, a hash table) otherwise takes a page fault
// every 4 KiB; with 2 MiB pages it takes one per 2 MiB. It is advice:
// where huge pages are off, or outside Linux, nothing changes.
package hugepage

import "unsafe"

// Size is the huge page size Advise aligns to.
const Size = 2 << 20

// Advise advises huge pages for the whole 2 MiB pages inside s's memory.
// Call it right after allocating s, before writing to it.
func Advise[T any](s []T) {
	if len(s) == 0 {
		return
	}
	n := uintptr(len(s)) * unsafe.Sizeof(s[0])
	if n < Size {
		return
	}
	advise(unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(s))), n))
}

// span returns the offset and length of the 2 MiB-aligned pages inside b,
// or a length of 0.
func span(b []byte) (off, n int) {
	p := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	start := (p + Size - 1) &^ (Size - 1)
	end := (p + uintptr(len(b))) &^ (Size - 1)
	if end <= start {
		return 0, 0
	}
	return int(start - p), int(end - start)
}
