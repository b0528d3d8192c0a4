package confident

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// minChunkRows is the fewest rows worth a goroutine.
const minChunkRows = 1 << 14

// span is a half-open range of rows.
type span struct{ lo, hi int }

// spans splits n rows into chunks for workers: one chunk when n is small,
// else about four per worker so that uneven chunks even out.
func spans(n, workers int) []span {
	c := 1
	if workers > 1 && n >= 2*minChunkRows {
		c = min(4*workers, n/minChunkRows)
	}
	out := make([]span, c)
	for i := range c {
		out[i] = span{n * i / c, n * (i + 1) / c}
	}
	return out
}

// workerCount resolves Options.Workers: 0 means GOMAXPROCS.
func workerCount(w int) int {
	if w <= 0 {
		w = runtime.GOMAXPROCS(0)
	}
	return w
}

// parallel runs fn(t) for t in [0, tasks) on up to workers goroutines,
// handing out tasks in order, and returns when all are done. With one
// worker or one task it runs inline.
func parallel(tasks, workers int, fn func(t int)) {
	parallelW(tasks, workers, func(_, t int) { fn(t) })
}

// parallelW is parallel, also telling fn which worker (in [0, workers))
// runs the task, for per-worker scratch buffers.
func parallelW(tasks, workers int, fn func(w, t int)) {
	if workers <= 1 || tasks <= 1 {
		for t := range tasks {
			fn(0, t)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := range min(workers, tasks) {
		wg.Go(func() {
			for {
				t := int(next.Add(1) - 1)
				if t >= tasks {
					return
				}
				fn(w, t)
			}
		})
	}
	wg.Wait()
}
