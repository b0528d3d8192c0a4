package hugepage

import "golang.org/x/sys/unix"

func advise(b []byte) {
	off, n := span(b)
	if n > 0 {
		_ = unix.Madvise(b[off:off+n], unix.MADV_HUGEPAGE)
	}
}
