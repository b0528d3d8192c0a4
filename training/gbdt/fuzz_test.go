package gbdt

import (
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"math"
	"slices"
	"testing"

	"github.com/assayhq/assay/training/frame"
)

// fuzzSeeds returns encoded models of each task, small enough to mutate.
func fuzzSeeds(f *testing.F) [][]byte {
	f.Helper()
	x, y := synth(300, 16)
	p := DefaultParams()
	p.MaxIter = 3
	p.MaxLeafNodes = 4
	p.MinSamplesLeaf = 10
	var seeds [][]byte
	add := func(y *frame.Target) {
		m, err := Train(context.Background(), x, y, p)
		if err != nil {
			f.Fatal(err)
		}
		b, err := m.MarshalBinary()
		if err != nil {
			f.Fatal(err)
		}
		seeds = append(seeds, b)
	}
	add(y)
	add(&frame.Target{Name: "v", Task: frame.Regression, Value: x.Features[0].Num})
	three := &frame.Target{Name: "k", Task: frame.Classification, Class: make([]int32, x.Rows), Classes: []string{"a", "b", "c"}}
	for i := range three.Class {
		three.Class[i] = int32(i % 3)
	}
	add(three)
	return seeds
}

// FuzzUnmarshal checks that no input makes UnmarshalBinary panic, that
// what it accepts predicts without panicking, and that it re-encodes
// stably. Each input is also tried with its checksum fixed, so that the
// fuzzer reaches the decoder behind the checksum.
func FuzzUnmarshal(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
		f.Add(s[:len(s)/2])
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		try := func(data []byte) {
			var m Model
			if err := m.UnmarshalBinary(data); err != nil {
				if !errors.Is(err, ErrCorrupt) {
					t.Fatalf("error %v does not wrap ErrCorrupt", err)
				}
				return
			}
			x := probeMatrix(&m)
			out := make([]float64, x.Rows*m.NumScores())
			if err := m.PredictRaw(x, out); err != nil {
				t.Fatalf("predict with a decoded model: %v", err)
			}
			b, err := m.MarshalBinary()
			if err != nil {
				t.Fatal(err)
			}
			var again Model
			if err := again.UnmarshalBinary(b); err != nil {
				t.Fatalf("re-encoded model does not decode: %v", err)
			}
			b2, _ := again.MarshalBinary()
			if !slices.Equal(b, b2) {
				t.Fatal("encoding is not stable")
			}
		}
		try(data)
		if len(data) >= 10 {
			fixed := slices.Clone(data)
			binary.LittleEndian.PutUint32(fixed[len(fixed)-4:], crc32.Checksum(fixed[:len(fixed)-4], crcTable))
			try(fixed)
		}
	})
}

// probeMatrix returns rows with every kind of value for m's features:
// missing, small, large, each level, and an unknown level.
func probeMatrix(m *Model) *frame.Matrix {
	const rows = 8
	x := &frame.Matrix{Rows: rows}
	for _, f := range m.features {
		if f.kind == frame.Numeric {
			x.Features = append(x.Features, numeric(f.name, []float64{math.NaN(), -1e300, -1, 0, 0.5, 1, 1e300, math.Inf(1)}))
			continue
		}
		levels := append(slices.Clone(f.levels), "\x00unknown")
		cat := make([]int32, rows)
		for i := range cat {
			cat[i] = int32(i%(len(levels)+1)) - 1
		}
		x.Features = append(x.Features, frame.Feature{Name: f.name, Kind: frame.Categorical, Cat: cat, Levels: levels})
	}
	return x
}
