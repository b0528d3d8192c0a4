// Command assay-datagen writes the synthetic customers Parquet file that
// assay's benchmarks and performance figures use (see package datagen).
//
//	go run ./cmd/assay-datagen -n 10000000 -o /tmp/customers-10m.parquet
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
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
	flag.Parse()
	if err := run(*out, opts); err != nil {
		fmt.Fprintln(os.Stderr, "assay-datagen:", err)
		os.Exit(2)
	}
}

func run(out string, opts datagen.Options) error {
	start := time.Now()
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	if err := datagen.Write(context.Background(), bw, opts); err != nil {
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
	fmt.Printf("wrote %s: %d rows, %d bytes, %.1fs\n", out, opts.Rows, st.Size(), time.Since(start).Seconds())
	return nil
}
