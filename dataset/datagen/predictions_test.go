package datagen

import (
	"bytes"
	"context"
	"math"
	"testing"

	"github.com/parquet-go/parquet-go"
)

func TestWritePredictions(t *testing.T) {
	var buf bytes.Buffer
	if err := WritePredictions(context.Background(), &buf, PredictionOptions{Rows: 20000, Noise: 0.2, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	rows, err := parquet.Read[PredictionRow](bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 20000 {
		t.Fatalf("%d rows", len(rows))
	}
	flipped, right, c0 := 0, 0, 0
	for i, r := range rows {
		p := []float64{r.P0, r.P1, r.P2, r.P3, r.P4, r.P5, r.P6, r.P7, r.P8, r.P9}
		var s float64
		best := 0
		for k, v := range p {
			s += v
			if v > p[best] {
				best = k
			}
		}
		if math.Abs(s-1) > 1e-12 || r.ID != int64(i) {
			t.Fatalf("row %d: id %d, probabilities sum to %v", i, r.ID, s)
		}
		if r.Label != r.True {
			flipped++
		}
		if "c"+string(rune('0'+best)) == r.True {
			right++
		}
		if r.True == "c0" {
			c0++
		}
	}
	if share := float64(flipped) / 20000; math.Abs(share-0.2) > 0.01 {
		t.Errorf("%.3f of labels flipped, want 0.2", share)
	}
	if acc := float64(right) / 20000; acc < 0.7 || acc > 0.9 {
		t.Errorf("model accuracy %.3f, want about 0.8", acc)
	}
	var total float64
	for k := range PredictionClasses {
		total += 1 / float64(k+2)
	}
	if share, want := float64(c0)/20000, 0.5/total; math.Abs(share-want) > 0.01 {
		t.Errorf("class c0 share %.3f, want the prior's %.3f", share, want)
	}
}
