// Package datagen writes the synthetic "customers" Parquet data that assay's
// benchmarks run on: a fixed schema, a fixed seed, any number of rows.
//
// Columns: id int64 (sequential from 1); customer_id string (about N/10
// distinct); age int32 (1% nulls, about 0.05% outside [0, 120]); income
// float64 lognormal (0.5% nulls, about 0.01% negative); segment string
// (8 skewed categories, dictionary-encoded); signup_ts timestamp (ms, UTC);
// score float64 normal(50, 10); churn bool (20% true). Row groups of
// RowGroupRows rows, Snappy compression.
package datagen

import (
	"context"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/parquet-go/parquet-go"
)

// Options configures Write. The zero value of a field takes its default.
type Options struct {
	Rows         int64  // number of rows (default 1,000,000)
	RowGroupRows int64  // rows per row group (default 1,048,576)
	Customers    int    // customer_id draw space (default Rows/10, at least 1)
	Seed         uint64 // random seed (default 42)
}

func (o *Options) defaults() {
	if o.Rows <= 0 {
		o.Rows = 1_000_000
	}
	if o.RowGroupRows <= 0 {
		o.RowGroupRows = 1 << 20
	}
	if o.Customers <= 0 {
		o.Customers = int(max(o.Rows/10, 1))
	}
	if o.Seed == 0 {
		o.Seed = 42
	}
}

// Row is one generated row; its tags define the Parquet schema.
type Row struct {
	ID         int64    `parquet:"id"`
	CustomerID string   `parquet:"customer_id"`
	Age        *int32   `parquet:"age,optional"`
	Income     *float64 `parquet:"income,optional"`
	Segment    string   `parquet:"segment,dict"`
	SignupTS   int64    `parquet:"signup_ts,timestamp(millisecond)"`
	Score      float64  `parquet:"score"`
	Churn      bool     `parquet:"churn"`
}

// Segments are the values of the segment column, most frequent first.
var Segments = [...]string{"consumer", "small_business", "enterprise", "student",
	"senior", "government", "nonprofit", "partner"}

var segmentCum = [...]float64{0.35, 0.55, 0.67, 0.77, 0.85, 0.91, 0.96, 1.0}

// Write writes opts.Rows rows as Parquet to w.
func Write(ctx context.Context, w io.Writer, opts Options) error {
	opts.defaults()
	pw := parquet.NewGenericWriter[Row](w,
		parquet.Compression(&parquet.Snappy),
		parquet.MaxRowsPerRowGroup(opts.RowGroupRows),
		parquet.CreatedBy("assay-datagen", "1", "synthetic"),
	)
	r := rand.New(rand.NewPCG(opts.Seed, opts.Seed^0x9e3779b97f4a7c15))
	t0 := time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli()
	span := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli() - t0

	const batch = 8192
	rows := make([]Row, batch)
	ages := make([]int32, batch)
	incomes := make([]float64, batch)
	idBuf := make([]byte, 0, 16)
	for base := int64(0); base < opts.Rows; base += batch {
		if err := ctx.Err(); err != nil {
			return err
		}
		m := int(min(batch, opts.Rows-base))
		for i := range m {
			row := &rows[i]
			row.ID = base + int64(i) + 1
			idBuf = append(idBuf[:0], 'C')
			idBuf = appendPadded(idBuf, r.IntN(opts.Customers), 7)
			row.CustomerID = string(idBuf)
			row.Age = nil
			if r.Float64() >= 0.01 {
				a := int32(18 + math.Round(math.Abs(r.NormFloat64()*15+25)))
				if r.Float64() < 0.0005 { // invalid ages on purpose
					if r.IntN(2) == 0 {
						a = -1
					} else {
						a = 150 + int32(r.IntN(100))
					}
				}
				ages[i] = a
				row.Age = &ages[i]
			}
			row.Income = nil
			if r.Float64() >= 0.005 {
				v := math.Exp(10.8 + 0.6*r.NormFloat64())
				if r.Float64() < 0.0001 { // negative incomes on purpose
					v = -v
				}
				incomes[i] = math.Round(v*100) / 100
				row.Income = &incomes[i]
			}
			u := r.Float64()
			s := 0
			for u > segmentCum[s] {
				s++
			}
			row.Segment = Segments[s]
			row.SignupTS = t0 + r.Int64N(span)
			row.Score = r.NormFloat64()*10 + 50
			row.Churn = r.Float64() < 0.2
		}
		if _, err := pw.Write(rows[:m]); err != nil {
			return fmt.Errorf("write rows: %w", err)
		}
	}
	return pw.Close()
}

// appendPadded appends n in decimal, zero-padded to width digits.
func appendPadded(b []byte, n, width int) []byte {
	s := strconv.Itoa(n)
	for i := len(s); i < width; i++ {
		b = append(b, '0')
	}
	return append(b, s...)
}
