package gbdt

import (
	"context"
	"testing"
)

func BenchmarkScratchAdd(b *testing.B) {
	small, smallY := synth(100_000, 2)
	m, err := Train(context.Background(), small, smallY, benchParams())
	if err != nil {
		b.Fatal(err)
	}
	x, _ := synth(predictBlock*16, 3)
	cols, _ := m.bind(x)
	nf := len(cols)
	rows := make([]float64, x.Rows*2*nf)
	fillRows(cols, nil, 0, x.Rows, rows)
	out := make([]float64, x.Rows)
	b.ResetTimer()
	cpu := cpuTime()
	for b.Loop() {
		for blk := 0; blk < 16; blk++ {
			m.pred.add(rows[blk*predictBlock*2*nf:(blk+1)*predictBlock*2*nf], nf, 1, out[blk*predictBlock:(blk+1)*predictBlock])
		}
	}
	b.ReportMetric((cpuTime()-cpu).Seconds()*1e9/float64(b.N)/float64(x.Rows), "cpu-ns/row")
	steps := 0
	for _, d := range m.pred.depth {
		steps += int(d)
	}
	b.ReportMetric(float64(steps), "steps/row")
}
