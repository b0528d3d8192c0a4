package pit

import (
	"context"

	"golang.org/x/sync/errgroup"

	"github.com/assayhq/assay/dataset/hugepage"
)

// item is one joinable row of either side: its key code, its time and its
// row index.
type item struct {
	code uint64
	time int64
	idx  int32
}

// side is one side of the join, as read by the scatter.
type side struct {
	keys      keyCodes
	time      []int64
	timeValid []bool
}

// row returns row i's code and time, or false when it cannot match.
func (s *side) row(i int) (uint64, int64, bool) {
	if s.timeValid != nil && !s.timeValid[i] {
		return 0, 0, false
	}
	c, ok := s.keys.at(i)
	return c, s.time[i], ok
}

// parts is one side's joinable rows grouped by partition: partition p is
// items[offs[p]:offs[p+1]], in input order.
type parts struct {
	items []item
	offs  []int
}

func (p *parts) part(i int) []item { return p.items[p.offs[i]:p.offs[i+1]] }

// fmix is murmur3's 64-bit finalizer: every output bit depends on every
// input bit, so the top bits pick partitions and the low bits hash slots.
func fmix(x uint64) uint64 {
	x ^= x >> 33
	x *= 0xff51afd7ed558ccd
	x ^= x >> 33
	x *= 0xc4ceb9fe1a85ec53
	x ^= x >> 33
	return x
}

// partRows is the number of rows a partition aims at, so that its hash
// table and groups stay in cache.
const partRows = 1 << 14

// maxBits caps the partition count at 2^maxBits.
const maxBits = 8

// partitionBits picks k for 2^k partitions of rows rows.
func partitionBits(rows, workers int) uint {
	var bits uint
	for bits < maxBits && (rows>>bits > partRows || (rows > partRows && 1<<bits < 4*workers)) {
		bits++
	}
	return bits
}

// scatter groups side s's n rows into 2^bits partitions by hash of their
// key code, dropping rows that cannot match. It is a parallel, stable
// counting sort: each chunk counts, then writes at its own offsets.
func scatter(ctx context.Context, s *side, n int, bits uint, workers int) (parts, error) {
	np := 1 << bits
	shift := 64 - bits // a shift by 64 gives 0: one partition
	chunks := numChunks(n, workers)
	hist := make([]int, chunks*np)
	err := forEachChunk(ctx, n, chunks, workers, func(c, lo, hi int) {
		h := hist[c*np : (c+1)*np]
		for i := lo; i < hi; i++ {
			code, _, ok := s.row(i)
			if ok {
				h[fmix(code)>>shift]++
			}
		}
	})
	if err != nil {
		return parts{}, err
	}
	offs := make([]int, np+1)
	run := 0
	for p := 0; p < np; p++ {
		offs[p] = run
		for c := 0; c < chunks; c++ {
			k := hist[c*np+p]
			hist[c*np+p] = run
			run += k
		}
	}
	offs[np] = run
	items := make([]item, run)
	hugepage.Advise(items) // written once, scattered: fewer page faults
	err = forEachChunk(ctx, n, chunks, workers, func(c, lo, hi int) {
		pos := hist[c*np : (c+1)*np]
		for i := lo; i < hi; i++ {
			code, t, ok := s.row(i)
			if ok {
				p := fmix(code) >> shift
				items[pos[p]] = item{code: code, time: t, idx: int32(i)}
				pos[p]++
			}
		}
	})
	return parts{items: items, offs: offs}, err
}

// minChunk is the fewest rows worth a goroutine.
const minChunk = 1 << 15

func numChunks(n, workers int) int {
	c := min(2*workers, n/minChunk)
	return max(c, 1)
}

// forChunks runs f over [0, n) split in chunks, in parallel.
func forChunks(ctx context.Context, n, workers int, f func(lo, hi int)) error {
	return forEachChunk(ctx, n, numChunks(n, workers), workers, func(_, lo, hi int) { f(lo, hi) })
}

// forEachChunk runs f over chunks equal parts of [0, n), at most workers at
// a time, and stops early when ctx is done.
func forEachChunk(ctx context.Context, n, chunks, workers int, f func(c, lo, hi int)) error {
	if chunks == 1 {
		if err := ctx.Err(); err != nil {
			return err
		}
		f(0, 0, n)
		return nil
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(workers)
	for c := 0; c < chunks; c++ {
		lo, hi := c*n/chunks, (c+1)*n/chunks
		g.Go(func() error {
			if err := gctx.Err(); err != nil {
				return err
			}
			f(c, lo, hi)
			return nil
		})
	}
	return g.Wait()
}
