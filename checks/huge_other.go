//go:build !linux

package checks

// adviseHuge does nothing outside Linux.
func adviseHuge([]byte) {}
