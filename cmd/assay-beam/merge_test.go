package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/assayhq/assay/dataset"
)

// seqState is a test state: the shard numbers merged into it, in order.
type seqState struct{ seq []byte }

func (s *seqState) MarshalBinary() ([]byte, error) { return slices.Clone(s.seq), nil }

// seqAnalysis merges seqStates by concatenation, so the merged state shows
// the order the merges happened in.
type seqAnalysis struct{}

func (seqAnalysis) scanners() []*dataset.Scanner { return nil }
func (seqAnalysis) scan(context.Context, int, func(dataset.RowGroup) bool) (state, error) {
	return nil, nil
}
func (seqAnalysis) decode(_ int, b []byte) (state, error) { return &seqState{slices.Clone(b)}, nil }
func (seqAnalysis) merge(into, next state) error {
	into.(*seqState).seq = append(into.(*seqState).seq, next.(*seqState).seq...)
	return nil
}
func (seqAnalysis) Close() error { return nil }

// TestMergeOrder feeds the shards of a stream in random order to random
// accumulators, which merge in random order and pass through their
// encoding, as a runner may do: the result is always the left fold in
// shard order.
func TestMergeOrder(t *testing.T) {
	const n = 40
	f := &MergeFn{Counts: []int{0, n}, an: seqAnalysis{}}
	want := make([]byte, n)
	for i := range want {
		want[i] = byte(i)
	}
	for trial := range 200 {
		r := rand.New(rand.NewPCG(uint64(trial), 1))
		accs := make([]*accum, 1+r.IntN(6))
		for i := range accs {
			accs[i] = f.CreateAccumulator()
		}
		for _, i := range r.Perm(n) {
			k := r.IntN(len(accs))
			a, err := f.AddInput(accs[k], ShardState{Stream: 1, Index: i, Data: []byte{byte(i)}})
			if err != nil {
				t.Fatal(err)
			}
			accs[k] = roundTrip(t, a)
		}
		for len(accs) > 1 {
			i := r.IntN(len(accs) - 1)
			m, err := f.MergeAccumulators(accs[i], accs[i+1])
			if err != nil {
				t.Fatal(err)
			}
			accs = slices.Replace(accs, i, i+2, roundTrip(t, m))
		}
		got, err := f.ExtractOutput(accs[0])
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("trial %d: merged %v", trial, got)
		}
	}
}

func roundTrip(t *testing.T, a *accum) *accum {
	t.Helper()
	b, err := encodeAccum(a)
	if err != nil {
		t.Fatal(err)
	}
	out, err := decodeAccum(b)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestMergeRefusesMissingAndRepeatedShards(t *testing.T) {
	f := &MergeFn{Counts: []int{3}, an: seqAnalysis{}}
	add := func(a *accum, i int) (*accum, error) {
		return f.AddInput(a, ShardState{Index: i, Data: []byte{byte(i)}})
	}
	a := f.CreateAccumulator()
	a, _ = add(a, 0)
	a, _ = add(a, 2)
	if _, err := f.ExtractOutput(a); err == nil || !strings.Contains(err.Error(), "shard 1 of 3 never arrived") {
		t.Errorf("missing shard: %v", err)
	}
	if _, err := add(a, 2); err == nil || !strings.Contains(err.Error(), "merged twice") {
		t.Errorf("repeated pending shard: %v", err)
	}
	if _, err := add(a, 0); err == nil || !strings.Contains(err.Error(), "merged twice") {
		t.Errorf("repeated folded shard: %v", err)
	}
	b := f.CreateAccumulator()
	b, _ = add(b, 2)
	if _, err := f.MergeAccumulators(a, b); err == nil {
		t.Error("two accumulators holding shard 2 merged")
	}
}

func FuzzDecodeAccum(f *testing.F) {
	fn := &MergeFn{Counts: []int{4}, an: seqAnalysis{}}
	a := fn.CreateAccumulator()
	for _, i := range []int{0, 3, 2} {
		a, _ = fn.AddInput(a, ShardState{Index: i, Data: []byte(fmt.Sprint(i))})
	}
	b, _ := encodeAccum(a)
	f.Add(b)
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := decodeAccum(b)
		if err != nil {
			return
		}
		again, err := encodeAccum(a)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := decodeAccum(again); err != nil {
			t.Fatalf("re-encoding does not decode: %v", err)
		}
	})
}
