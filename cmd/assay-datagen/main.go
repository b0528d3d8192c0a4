// Command assay-datagen writes the synthetic Parquet files that assay's
// benchmarks and performance figures use (see package datagen): the
// customers data; with -kind predictions, labels with a model's class
// probabilities; with -kind wide, a feature source of many float columns.
//
//	go run ./cmd/assay-datagen -n 10000000 -o /tmp/customers-10m.parquet
//	go run ./cmd/assay-datagen -kind predictions -n 1000000 -o /tmp/predictions-1m.parquet
//	go run ./cmd/assay-datagen -kind wide -n 100000 -o /tmp/wide-100k.parquet
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/assayhq/assay/dataset/datagen"
)

func main() {
	var opts datagen.Options
	flag.Int64Var(&opts.Rows, "n", 10_000_000, "number of rows")
	flag.Int64Var(&opts.RowGroupRows, "rowgroup", 1<<20, "rows per row group")
	flag.IntVar(&opts.Customers, "customers", 0, "customer_id draw space (default n/10)")
	flag.Uint64Var(&opts.Seed, "seed", 42, "random seed")
	out := flag.String("o", "customers.parquet", "output file")
	kind := flag.String("kind", "customers", "the data: customers; predictions (labels and class probabilities); or wide (entity_id, event_ts and -features float columns, a feature source)")
	noise := flag.Float64("noise", 0.1, "predictions: the share of wrong given labels")
	features := flag.Int("features", 50, "wide: the number of float64 feature columns")
	flag.Parse()
	write := func(w io.Writer) error { return datagen.Write(context.Background(), w, opts) }
	switch *kind {
	case "customers":
	case "predictions":
		write = func(w io.Writer) error {
			return datagen.WritePredictions(context.Background(), w, datagen.PredictionOptions{
				Rows: opts.Rows, RowGroupRows: opts.RowGroupRows, Noise: *noise, Seed: opts.Seed})
		}
	case "wide":
		write = func(w io.Writer) error {
			return datagen.WriteWide(context.Background(), w, datagen.WideOptions{
				Rows: opts.Rows, Entities: int64(opts.Customers), Features: *features, RowGroupRows: opts.RowGroupRows, Seed: opts.Seed})
		}
	default:
		fmt.Fprintf(os.Stderr, "assay-datagen: unknown -kind %q (customers, predictions, wide)\n", *kind)
		os.Exit(2)
	}
	if err := run(*out, opts.Rows, write); err != nil {
		fmt.Fprintln(os.Stderr, "assay-datagen:", err)
		os.Exit(2)
	}
}

func run(out string, rows int64, write func(io.Writer) error) error {
	start := time.Now()
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	if err := write(bw); err != nil {
		f.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	st, err := os.Stat(out)
	if err != nil {
		return err
	}
	fmt.Printf("wrote %s: %d rows, %d bytes, %.1fs\n", out, rows, st.Size(), time.Since(start).Seconds())
	return nil
}
