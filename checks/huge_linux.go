package checks

import "golang.org/x/sys/unix"

// adviseHuge asks the kernel to back b with transparent huge pages (when
// they are enabled for madvise). It is advice: errors are ignored.
func adviseHuge(b []byte) {
	const huge = 2 << 20
	start := (uintptr(unsafePointer(b)) + huge - 1) &^ (huge - 1)
	end := (uintptr(unsafePointer(b)) + uintptr(len(b))) &^ (huge - 1)
	if end <= start {
		return
	}
	off := int(start - uintptr(unsafePointer(b)))
	_ = unix.Madvise(b[off:off+int(end-start)], unix.MADV_HUGEPAGE)
}
