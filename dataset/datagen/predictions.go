package datagen

import (
	"context"
	"fmt"
	"io"
	"math"
	"math/rand/v2"

	"github.com/parquet-go/parquet-go"
)

// PredictionClasses is the number of classes of the predictions data.
const PredictionClasses = 10

// PredictionRow is one row of the predictions data, which label-error
// benchmarks run on: a given label (noisy), the true one, and a model's
// out-of-sample class probabilities p_c0 … p_c9 for classes "c0" … "c9".
type PredictionRow struct {
	ID    int64   `parquet:"id"`
	Label string  `parquet:"label,dict"`
	True  string  `parquet:"true_label,dict"`
	P0    float64 `parquet:"p_c0"`
	P1    float64 `parquet:"p_c1"`
	P2    float64 `parquet:"p_c2"`
	P3    float64 `parquet:"p_c3"`
	P4    float64 `parquet:"p_c4"`
	P5    float64 `parquet:"p_c5"`
	P6    float64 `parquet:"p_c6"`
	P7    float64 `parquet:"p_c7"`
	P8    float64 `parquet:"p_c8"`
	P9    float64 `parquet:"p_c9"`
}

// PredictionOptions configures WritePredictions; zero fields take their
// defaults.
type PredictionOptions struct {
	Rows         int64   // default 1,000,000
	RowGroupRows int64   // default 1,048,576
	Noise        float64 // share of rows whose given label is another class (default 0.1)
	Seed         uint64  // default 42
}

// WritePredictions writes the predictions data as Parquet to w. Classes
// are skewed (c0 most frequent); a model that is right about 80% of the
// time gives each row probabilities that sum to 1; a share Noise of the
// given labels are flipped to another class, uniformly.
func WritePredictions(ctx context.Context, w io.Writer, opts PredictionOptions) error {
	if opts.Rows <= 0 {
		opts.Rows = 1_000_000
	}
	if opts.RowGroupRows <= 0 {
		opts.RowGroupRows = 1 << 20
	}
	if opts.Noise == 0 {
		opts.Noise = 0.1
	}
	if opts.Seed == 0 {
		opts.Seed = 42
	}
	pw := parquet.NewGenericWriter[PredictionRow](w,
		parquet.Compression(&parquet.Snappy),
		parquet.MaxRowsPerRowGroup(opts.RowGroupRows),
		parquet.CreatedBy("assay-datagen", "1", "synthetic"),
	)
	r := rand.New(rand.NewPCG(opts.Seed, opts.Seed^0x9e3779b97f4a7c15))
	var names [PredictionClasses]string
	var prior [PredictionClasses]float64
	var total float64
	for k := range names {
		names[k] = fmt.Sprintf("c%d", k)
		prior[k] = 1 / float64(k+2)
		total += prior[k]
	}
	const batch = 8192
	rows := make([]PredictionRow, batch)
	var z [PredictionClasses]float64
	for base := int64(0); base < opts.Rows; base += batch {
		if err := ctx.Err(); err != nil {
			return err
		}
		m := int(min(batch, opts.Rows-base))
		for i := range m {
			u, truth := r.Float64()*total, 0
			for truth < PredictionClasses-1 && u > prior[truth] {
				u -= prior[truth]
				truth++
			}
			given := truth
			if r.Float64() < opts.Noise {
				given = (truth + 1 + r.IntN(PredictionClasses-1)) % PredictionClasses
			}
			// Logits: the true class ahead by a margin, noise on all.
			var s float64
			for k := range z {
				z[k] = r.NormFloat64()
				if k == truth {
					z[k] += 2.5
				}
				z[k] = math.Exp(z[k])
				s += z[k]
			}
			row := &rows[i]
			row.ID = base + int64(i)
			row.Label, row.True = names[given], names[truth]
			p := [PredictionClasses]*float64{&row.P0, &row.P1, &row.P2, &row.P3, &row.P4, &row.P5, &row.P6, &row.P7, &row.P8, &row.P9}
			for k := range z {
				*p[k] = z[k] / s
			}
		}
		if _, err := pw.Write(rows[:m]); err != nil {
			return fmt.Errorf("write rows: %w", err)
		}
	}
	return pw.Close()
}
