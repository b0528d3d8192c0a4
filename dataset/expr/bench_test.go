package expr

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/dataset/datagen"
)

// benchBatches writes 4 × 65,536 rows of datagen's customers data and
// reads them back as 64k-row record batches.
func benchBatches(b *testing.B) (dataset.Schema, []arrow.RecordBatch, int) {
	b.Helper()
	path := filepath.Join(b.TempDir(), "customers.parquet")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	const rows = 4 << 16
	if err := datagen.Write(context.Background(), f, datagen.Options{Rows: rows, RowGroupRows: rows}); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	s, err := dataset.NewScanner(context.Background(), []dataset.Input{dataset.FileInput(path)})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	recs, err := dataset.ReadAll(context.Background(), s, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		for _, r := range recs {
			r.Release()
		}
	})
	return s.Schema(), recs, rows
}

func BenchmarkEvalBool(b *testing.B) {
	schema, recs, rows := benchBatches(b)
	for _, src := range []string{
		`age >= 18 || segment == "student"`,
		`income > 0 && score < 100`,
		`customer_id matches "^C[0-9]{7}$"`,
		`segment in ["consumer", "student", "senior"]`,
		`churn && signup_ts > "2020-01-01" && len(customer_id) == 8`,
		`customer_id matches "^C[0-9]{7}\\b"`,           // word boundary: runs on regexp
		`all([18], {age >= #}) || segment == "student"`, // runs on the fallback path
	} {
		b.Run(src, func(b *testing.B) {
			p, err := Compile(src, schema)
			if err != nil {
				b.Fatal(err)
			}
			ev := p.NewEvaluator()
			out := make([]byte, 1<<16)
			for b.Loop() {
				for _, rec := range recs {
					if err := ev.EvalBool(rec, out); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(rows), "ns/row")
		})
	}
}

// BenchmarkStringKernels times string equality and set membership on
// synthetic rows drawn uniformly from datagen's segments (the worst case
// for branch prediction).
func BenchmarkStringKernels(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	offs := []int32{0}
	var data []byte
	for range 1 << 16 {
		data = append(data, datagen.Segments[r.IntN(len(datagen.Segments))]...)
		offs = append(offs, int32(len(data)))
	}
	o := make([]bool, 1<<16)
	perRow := func(b *testing.B) {
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(o)), "ns/row")
	}
	b.Run("eq", func(b *testing.B) {
		for b.Loop() {
			cmpStrVS(opEq, offs, data, []byte("student"), o)
		}
		perRow(b)
	})
	for _, members := range [][]string{
		{"consumer", "student", "senior"},
		{"consumer", "partner", "student", "senior", "enterprise", "government"},
	} {
		s := newStrSet(members)
		b.Run(fmt.Sprintf("in/%d", len(members)), func(b *testing.B) {
			for b.Loop() {
				s.hasAll(offs, data, o)
			}
			perRow(b)
		})
	}
}
