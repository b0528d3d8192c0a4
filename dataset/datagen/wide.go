package datagen

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"

	"github.com/parquet-go/parquet-go"
)

// WideOptions configures WriteWide; zero fields take their defaults.
type WideOptions struct {
	Rows         int64 // default 1,000,000
	Entities     int64 // entity_id space, default Rows
	Features     int   // f00, f01, …; default 50
	RowGroupRows int64 // default 1,048,576
	Seed         uint64
}

// WideStart is the event time of the wide data's first row: 2026-01-01
// 00:00:00 UTC, in microseconds.
const WideStart = 1_767_225_600_000_000

// WriteWide writes the wide data, a feature source for online-store
// benchmarks, as Parquet to w: entity_id (int64, row i has entity i mod
// Entities), event_ts (timestamp[us], WideStart plus i seconds) and
// Features float64 columns f00, f01, … drawn uniformly from [0, 1).
func WriteWide(ctx context.Context, w io.Writer, opts WideOptions) error {
	if opts.Rows <= 0 {
		opts.Rows = 1_000_000
	}
	if opts.Entities <= 0 {
		opts.Entities = opts.Rows
	}
	if opts.Features <= 0 {
		opts.Features = 50
	}
	if opts.RowGroupRows <= 0 {
		opts.RowGroupRows = 1 << 20
	}
	if opts.Seed == 0 {
		opts.Seed = 42
	}
	group := parquet.Group{
		"entity_id": parquet.Int(64),
		"event_ts":  parquet.Timestamp(parquet.Microsecond),
	}
	for j := range opts.Features {
		group[featureName(j)] = parquet.Leaf(parquet.DoubleType)
	}
	schema := parquet.NewSchema("wide", group)
	// Group fields are sorted by name: entity_id, event_ts, f00, f01, ….
	pw := parquet.NewWriter(w, schema,
		parquet.Compression(&parquet.Snappy),
		parquet.MaxRowsPerRowGroup(opts.RowGroupRows),
		parquet.CreatedBy("assay-datagen", "1", "synthetic"),
	)
	r := rand.New(rand.NewPCG(opts.Seed, opts.Seed^0x2545f4914f6cdd1d))
	const batch = 4096
	rows := make([]parquet.Row, batch)
	for base := int64(0); base < opts.Rows; base += batch {
		if err := ctx.Err(); err != nil {
			return err
		}
		m := int(min(batch, opts.Rows-base))
		for i := range m {
			row := rows[i][:0]
			id := base + int64(i)
			row = append(row, parquet.Int64Value(id%opts.Entities).Level(0, 0, 0))
			row = append(row, parquet.Int64Value(WideStart+id*1_000_000).Level(0, 0, 1))
			for j := range opts.Features {
				row = append(row, parquet.DoubleValue(r.Float64()).Level(0, 0, 2+j))
			}
			rows[i] = row
		}
		if _, err := pw.WriteRows(rows[:m]); err != nil {
			return fmt.Errorf("write rows: %w", err)
		}
	}
	return pw.Close()
}

func featureName(j int) string { return fmt.Sprintf("f%02d", j) }
