package expr

import (
	"testing"
)

// TestNoAllocPerRow evaluates vectorized programs over a 64k-row batch:
// after the first batch has sized the scratch buffers, an evaluation
// allocates nothing.
func TestNoAllocPerRow(t *testing.T) {
	if raceEnabled {
		t.Skip("allocations differ under the race detector")
	}
	rows := make([]row, 0, 1<<16)
	for len(rows) < 1<<16 {
		rows = append(rows, testRows...)
	}
	rec := buildRecord(t, memoryAlloc(t), rows)
	defer rec.Release()
	out := make([]byte, len(rows))
	for _, tc := range evalCases {
		t.Run(tc.src, func(t *testing.T) {
			p, err := Compile(tc.src, testSchema)
			if err != nil {
				t.Fatal(err)
			}
			ev := p.NewEvaluator()
			run := func() {
				if p.Type() == Bool {
					err = ev.EvalBool(rec, out)
				} else {
					_, err = ev.Eval(rec)
				}
			}
			run()
			if err != nil {
				t.Fatal(err)
			}
			if allocs := testing.AllocsPerRun(5, run); allocs > 0 {
				t.Errorf("%v allocations per evaluation of %d rows", allocs, len(rows))
			}
		})
	}
}
