package main

import (
	"context"
	"fmt"
	"reflect"
	"slices"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
)

func init() {
	register.DoFn3x1[context.Context, Task, func(int, int), error](&ScanFn{})
	register.Emitter2[int, int]()
	register.DoFn3x1[context.Context, int, func(*int) bool, error](&FoldFn{})
	register.Iter1[int]()
	beam.RegisterType(reflect.TypeOf((*Task)(nil)).Elem())
}

// newPipeline builds the pipeline of a job. The shards are spread over
// the workers (Reshuffle) and each scanned into a state (ScanFn); the
// shard numbers of each stream are grouped and FoldFn merges the states
// in shard order. States are large (a drift side's sampled values run to
// tens of megabytes), so they do not travel through the runner: ScanFn
// leaves each in the exchange store, FoldFn reads them from there and
// leaves the merged state for the launcher, and only shard numbers go
// through the runner's shuffle.
//
// Why not a lifted CombineFn: the result must be the left fold in shard
// order (floating-point sums and sketches differ bit by bit in another
// order), so partial combines could merge only runs that start at the
// first shard, and would pass whole states through the runner.
func newPipeline(j Job, tasks []Task, counts []int, exchange, run string) *beam.Pipeline {
	p, s := beam.NewPipelineWithRoot()
	shards := beam.Reshuffle(s, beam.CreateList(s, tasks))
	scanned := beam.ParDo(s.Scope("scan"), &ScanFn{worker{Job: j, Exchange: exchange, Run: run}}, shards)
	grouped := beam.GroupByKey(s.Scope("group"), scanned)
	beam.ParDo0(s.Scope("fold"), &FoldFn{worker{Job: j, Exchange: exchange, Run: run}, counts}, grouped)
	return p
}

// shardKey is where a shard's state waits in the exchange store.
func shardKey(run string, stream, index int) string {
	return fmt.Sprintf("%s/stream-%d/shard-%06d", run, stream, index)
}

// stateKey is where a stream's merged state waits for the launcher: the
// one shard's own, for a stream of one.
func stateKey(run string, stream, shards int) string {
	if shards == 1 {
		return shardKey(run, stream, 0)
	}
	return fmt.Sprintf("%s/stream-%d/merged", run, stream)
}

// worker is what the pipeline's functions open on each worker instance:
// the job's analysis and the exchange.
type worker struct {
	Job      Job
	Exchange string // a directory or an s3:// URL
	Run      string // the run's key prefix in the exchange
	an       analysis
	ex       exchange
}

// Setup opens the job's sources and the exchange, once per worker
// instance.
func (w *worker) Setup(ctx context.Context) error {
	var err error
	if w.ex, err = openExchange(ctx, w.Exchange); err != nil {
		return err
	}
	w.an, err = openAnalysis(ctx, w.Job)
	return err
}

// Teardown closes the sources.
func (w *worker) Teardown() error {
	if w.an != nil {
		return w.an.Close()
	}
	return nil
}

// ScanFn scans one shard, leaves its encoded state in the exchange store
// and emits the shard's number under its stream.
type ScanFn struct{ worker }

// ProcessElement scans the task's shard.
func (f *ScanFn) ProcessElement(ctx context.Context, t Task, emit func(int, int)) error {
	st, err := scanTask(ctx, f.an, t)
	if err != nil {
		return fmt.Errorf("shard %d of %s: %w", t.Shard.Index, t.Shard.FileName, err)
	}
	b, err := st.MarshalBinary()
	if err != nil {
		return err
	}
	if err := f.ex.put(ctx, shardKey(f.Run, t.Stream, t.Shard.Index), b); err != nil {
		return err
	}
	emit(t.Stream, t.Shard.Index)
	return nil
}

// FoldFn merges the states of one stream's shards in shard order and
// leaves the result in the exchange store.
type FoldFn struct {
	worker
	Counts []int // shards per stream
}

// ProcessElement folds one stream.
func (f *FoldFn) ProcessElement(ctx context.Context, stream int, shards func(*int) bool) error {
	if stream < 0 || stream >= len(f.Counts) {
		return fmt.Errorf("fold: no stream %d", stream)
	}
	var got []int
	var i int
	for shards(&i) {
		got = append(got, i)
	}
	slices.Sort(got)
	for want, i := range got {
		if i != want {
			return fmt.Errorf("fold: stream %d: shard %d missing or repeated (got %d of %d shards)", stream, want, len(got), f.Counts[stream])
		}
	}
	if len(got) != f.Counts[stream] {
		return fmt.Errorf("fold: stream %d: %d of %d shards arrived", stream, len(got), f.Counts[stream])
	}
	if len(got) == 1 {
		return nil // the launcher reads the one shard's state
	}
	merged, err := fold(ctx, f.an, f.ex, f.Run, stream, len(got))
	if err != nil {
		return err
	}
	return f.ex.put(ctx, stateKey(f.Run, stream, len(got)), merged)
}

// fold reads the states of shards 0..n-1 of a stream and returns their
// left fold, encoded. The next state is read and decoded while the one
// before merges, so at most three states are in memory.
func fold(ctx context.Context, an analysis, ex exchange, run string, stream, n int) ([]byte, error) {
	type decoded struct {
		st  state
		err error
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	next := make(chan decoded, 1)
	go func() {
		defer close(next)
		for i := range n {
			raw, err := ex.get(ctx, shardKey(run, stream, i))
			var st state
			if err == nil {
				st, err = an.decode(stream, raw)
			}
			if err != nil {
				err = fmt.Errorf("shard %d: %w", i, err)
			}
			select {
			case next <- decoded{st, err}:
			case <-ctx.Done():
				return
			}
			if err != nil {
				return
			}
		}
	}()
	var head state
	for i := range n {
		d, ok := <-next
		switch {
		case !ok:
			return nil, ctx.Err()
		case d.err != nil:
			return nil, d.err
		case i == 0:
			head = d.st
		default:
			if err := an.merge(head, d.st); err != nil {
				return nil, fmt.Errorf("shard %d: %w", i, err)
			}
		}
	}
	return head.MarshalBinary()
}
