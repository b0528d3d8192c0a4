package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"maps"
	"reflect"
	"slices"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"

	"github.com/assayhq/assay/dataset/store"
)

func init() {
	register.DoFn3x1[context.Context, Task, func(int, ShardState), error](&ScanFn{})
	register.Emitter2[int, ShardState]()
	register.Combiner3[*accum, ShardState, []byte](&MergeFn{})
	register.DoFn3x1[context.Context, int, []byte, error](&WriteFn{})
	beam.RegisterType(reflect.TypeOf((*Task)(nil)).Elem())
	beam.RegisterType(reflect.TypeOf((*ShardState)(nil)).Elem())
	beam.RegisterCoder(reflect.TypeOf((*accum)(nil)), encodeAccum, decodeAccum)
}

// newPipeline builds the pipeline of a job: its shards are spread over the
// workers (Reshuffle), each scanned into a state (ScanFn); the states of
// each stream merge in shard order (MergeFn) and land in the exchange
// store under the run's key (WriteFn).
func newPipeline(j Job, tasks []Task, counts []int, exchange, run string) *beam.Pipeline {
	p, s := beam.NewPipelineWithRoot()
	shards := beam.Reshuffle(s, beam.CreateList(s, tasks))
	states := beam.ParDo(s.Scope("scan"), &ScanFn{Job: j}, shards)
	merged := beam.CombinePerKey(s.Scope("merge"), &MergeFn{Job: j, Counts: counts}, states)
	beam.ParDo0(s.Scope("write"), &WriteFn{Exchange: exchange, Run: run}, merged)
	return p
}

// ScanFn scans one shard into its encoded state.
type ScanFn struct {
	Job Job
	an  analysis
}

// Setup opens the job's sources once per worker instance.
func (f *ScanFn) Setup(ctx context.Context) error {
	an, err := openAnalysis(ctx, f.Job)
	f.an = an
	return err
}

// ProcessElement scans the task's shard.
func (f *ScanFn) ProcessElement(ctx context.Context, t Task, emit func(int, ShardState)) error {
	st, err := scanTask(ctx, f.an, t)
	if err != nil {
		return fmt.Errorf("shard %d of %s: %w", t.Shard.Index, t.Shard.FileName, err)
	}
	b, err := st.MarshalBinary()
	if err != nil {
		return err
	}
	emit(t.Stream, ShardState{Stream: t.Stream, Index: t.Shard.Index, Data: b})
	return nil
}

// Teardown closes the sources.
func (f *ScanFn) Teardown() error {
	if f.an != nil {
		return f.an.Close()
	}
	return nil
}

// MergeFn merges a stream's shard states in shard order. An accumulator
// folds the run of shards from the first on as they arrive and keeps
// later ones encoded until the shards before them are in, so that the
// result is the left fold a local scan computes, whatever the order and
// grouping the runner chooses. Memory: the folded state plus the states
// that arrived early.
type MergeFn struct {
	Job    Job
	Counts []int // shards per stream
	an     analysis
}

// accum is MergeFn's accumulator: the state of shards [0, next), decoded
// (head) or encoded (raw), and the encoded states of later shards.
type accum struct {
	stream  int // -1 until a shard arrives
	next    int
	head    state
	raw     []byte
	pending map[int][]byte
}

// Setup opens the job's analysis, to decode and merge states.
func (f *MergeFn) Setup(ctx context.Context) error {
	an, err := openAnalysis(ctx, f.Job)
	f.an = an
	return err
}

// Teardown closes the analysis.
func (f *MergeFn) Teardown() error {
	if f.an != nil {
		return f.an.Close()
	}
	return nil
}

// CreateAccumulator returns an empty accumulator.
func (f *MergeFn) CreateAccumulator() *accum { return &accum{stream: -1, pending: map[int][]byte{}} }

// AddInput adds one shard's state.
func (f *MergeFn) AddInput(a *accum, s ShardState) (*accum, error) {
	if s.Index < a.next || a.pending[s.Index] != nil {
		return nil, fmt.Errorf("stream %d: shard %d merged twice", s.Stream, s.Index)
	}
	a.stream = s.Stream
	a.pending[s.Index] = s.Data
	return a, f.fold(a)
}

// MergeAccumulators merges two accumulators of the same stream.
func (f *MergeFn) MergeAccumulators(a, b *accum) (*accum, error) {
	if b.next > 0 {
		a, b = b, a
	}
	if b.next > 0 {
		return nil, errors.New("two accumulators both hold the first shard")
	}
	for i, raw := range b.pending {
		if i < a.next || a.pending[i] != nil {
			return nil, fmt.Errorf("stream %d: shard %d merged twice", b.stream, i)
		}
		a.pending[i] = raw
	}
	a.stream = max(a.stream, b.stream)
	return a, f.fold(a)
}

// fold merges the pending states that continue the head.
func (f *MergeFn) fold(a *accum) error {
	for {
		raw, ok := a.pending[a.next]
		if !ok {
			return nil
		}
		st, err := f.an.decode(a.stream, raw)
		if err != nil {
			return fmt.Errorf("shard %d: %w", a.next, err)
		}
		delete(a.pending, a.next)
		if a.next == 0 {
			a.head = st
		} else {
			if a.head == nil {
				if a.head, err = f.an.decode(a.stream, a.raw); err != nil {
					return err
				}
				a.raw = nil
			}
			if err := f.an.merge(a.head, st); err != nil {
				return fmt.Errorf("shard %d: %w", a.next, err)
			}
		}
		a.next++
	}
}

// ExtractOutput returns the encoded state of all the stream's shards.
func (f *MergeFn) ExtractOutput(a *accum) ([]byte, error) {
	if a.stream < 0 || a.stream >= len(f.Counts) {
		return nil, fmt.Errorf("merge: no shard of stream %d", a.stream)
	}
	if a.next != f.Counts[a.stream] {
		return nil, fmt.Errorf("merge: stream %d: shard %d of %d never arrived", a.stream, a.next, f.Counts[a.stream])
	}
	if a.head == nil {
		return a.raw, nil
	}
	return a.head.MarshalBinary()
}

// encodeAccum writes an accumulator: next, the head's encoding, then the
// pending states by shard index.
func encodeAccum(a *accum) ([]byte, error) {
	raw := a.raw
	if a.head != nil {
		var err error
		if raw, err = a.head.MarshalBinary(); err != nil {
			return nil, err
		}
	}
	b := binary.AppendVarint(nil, int64(a.stream))
	b = binary.AppendUvarint(b, uint64(a.next))
	b = binary.AppendUvarint(b, uint64(len(raw)))
	b = append(b, raw...)
	b = binary.AppendUvarint(b, uint64(len(a.pending)))
	for _, i := range slices.Sorted(maps.Keys(a.pending)) {
		b = binary.AppendUvarint(b, uint64(i))
		b = binary.AppendUvarint(b, uint64(len(a.pending[i])))
		b = append(b, a.pending[i]...)
	}
	return b, nil
}

func decodeAccum(b []byte) (*accum, error) {
	r := bytes.NewReader(b)
	bad := errors.New("merge: damaged accumulator")
	stream, err := binary.ReadVarint(r)
	if err != nil {
		return nil, bad
	}
	next, err := binary.ReadUvarint(r)
	if err != nil {
		return nil, bad
	}
	a := &accum{stream: int(stream), next: int(next), pending: map[int][]byte{}}
	if a.raw, err = readBytes(r); err != nil {
		return nil, bad
	}
	n, err := binary.ReadUvarint(r)
	if err != nil {
		return nil, bad
	}
	for range n {
		i, err := binary.ReadUvarint(r)
		if err != nil {
			return nil, bad
		}
		if a.pending[int(i)], err = readBytes(r); err != nil {
			return nil, bad
		}
	}
	return a, nil
}

func readBytes(r *bytes.Reader) ([]byte, error) {
	n, err := binary.ReadUvarint(r)
	if err != nil || n > uint64(r.Len()) {
		return nil, errors.New("short")
	}
	b := make([]byte, n)
	_, err = io.ReadFull(r, b)
	return b, err
}

// WriteFn leaves each stream's merged state in the exchange store, where
// the launcher reads it after the run.
type WriteFn struct {
	Exchange string // a local directory or an s3:// URL
	Run      string // the run's key prefix
}

// ProcessElement writes one stream's state.
func (f *WriteFn) ProcessElement(ctx context.Context, stream int, data []byte) error {
	st, err := openExchange(ctx, f.Exchange)
	if err != nil {
		return err
	}
	err = st.PutIfAbsent(ctx, stateKey(f.Run, stream), bytes.NewReader(data))
	if errors.Is(err, store.ErrExists) {
		return nil // a retried bundle: the state is the same
	}
	return err
}

func stateKey(run string, stream int) string { return fmt.Sprintf("%s/stream-%d", run, stream) }
