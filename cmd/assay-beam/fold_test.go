package main

import (
	"context"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/assayhq/assay/dataset"
)

// seqState is a test state: the shard numbers merged into it, in order.
type seqState struct{ seq []byte }

func (s *seqState) MarshalBinary() ([]byte, error) { return slices.Clone(s.seq), nil }

// seqAnalysis merges seqStates by concatenation, so a merged state shows
// the order of the merges.
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

// iter hands out ints as a GroupByKey's values.
func iter(v []int) func(*int) bool {
	return func(out *int) bool {
		if len(v) == 0 {
			return false
		}
		*out, v = v[0], v[1:]
		return true
	}
}

// TestFoldOrder: whatever order the shard numbers arrive in, the merged
// state is the left fold in shard order.
func TestFoldOrder(t *testing.T) {
	ctx := context.Background()
	const n = 40
	ex := dirExchange(t.TempDir())
	f := &FoldFn{worker{Run: "run", an: seqAnalysis{}, ex: ex}, []int{1, n}}
	want := make([]byte, n)
	for i := range want {
		want[i] = byte(i)
		if err := ex.put(ctx, shardKey("run", 1, i), []byte{byte(i)}); err != nil {
			t.Fatal(err)
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	if err := f.ProcessElement(ctx, 1, iter(r.Perm(n))); err != nil {
		t.Fatal(err)
	}
	got, err := ex.get(ctx, stateKey("run", 1, n))
	if err != nil || !slices.Equal(got, want) {
		t.Fatalf("merged %v, %v", got, err)
	}
	// A retried fold writes the same state again: no error.
	if err := f.ProcessElement(ctx, 1, iter(r.Perm(n))); err != nil {
		t.Errorf("retried fold: %v", err)
	}

	// One shard: its state is the result, as it is.
	if err := ex.put(ctx, shardKey("run", 0, 0), []byte("only")); err != nil {
		t.Fatal(err)
	}
	if err := f.ProcessElement(ctx, 0, iter([]int{0})); err != nil {
		t.Fatal(err)
	}
	if got, err := ex.get(ctx, stateKey("run", 0, 1)); err != nil || string(got) != "only" {
		t.Errorf("one shard: %q, %v", got, err)
	}

	if err := ex.removeRun(ctx, "run"); err != nil {
		t.Fatal(err)
	}
	if _, err := ex.get(ctx, shardKey("run", 1, 0)); err == nil {
		t.Error("removeRun left states")
	}
}

func TestFoldRefusesMissingAndRepeatedShards(t *testing.T) {
	ctx := context.Background()
	f := &FoldFn{worker{Run: "run", an: seqAnalysis{}, ex: dirExchange(t.TempDir())}, []int{3}}
	for _, tt := range []struct {
		shards []int
		want   string
	}{
		{[]int{0, 2}, "shard 1 missing or repeated"},
		{[]int{0, 1, 1}, "shard 2 missing or repeated"},
		{[]int{0, 1}, "2 of 3 shards arrived"},
		{[]int{0, 1, 2, 3}, "4 of 3 shards arrived"},
	} {
		err := f.ProcessElement(ctx, 0, iter(tt.shards))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: %v, want %q", tt.shards, err, tt.want)
		}
	}
	if err := f.ProcessElement(ctx, 5, iter([]int{0})); err == nil {
		t.Error("unknown stream folded")
	}
	// Every shard listed, but a state missing from the exchange.
	if err := f.ProcessElement(ctx, 0, iter([]int{2, 0, 1})); err == nil {
		t.Error("fold without states succeeded")
	}
}
