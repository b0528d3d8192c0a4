package gbdt

import (
	"sync"
	"sync/atomic"
)

// parallel calls fn(i) for every i in [0, n) on up to workers goroutines
// and returns when all calls have. Work is handed out one index at a time,
// so callers make each index a sizeable, fixed piece of work (a feature, a
// block of rows) and results never depend on the number of workers.
func parallel(n, workers int, fn func(i int)) {
	if workers > n {
		workers = n
	}
	if workers <= 1 {
		for i := range n {
			fn(i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				fn(i)
			}
		})
	}
	wg.Wait()
}

// chunks returns the number of pieces of at most size that cover n.
func chunks(n, size int) int {
	return (n + size - 1) / size
}

// parallelW is parallel with the index of the calling worker, in
// [0, workers), for per-worker scratch.
func parallelW(n, workers int, fn func(w, i int)) {
	if workers > n {
		workers = n
	}
	if workers <= 1 {
		for i := range n {
			fn(0, i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				fn(w, i)
			}
		})
	}
	wg.Wait()
}
