package csvconv

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// benchRows is the size of the generated benchmark input.
const benchRows = 200_000

// writeBenchCSV writes a CSV of n rows with one column of each type, nulls
// sprinkled in, a low- and a high-cardinality string column.
func writeBenchCSV(tb testing.TB, n int) string {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "bench.csv")
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriter(f)
	fmt.Fprintln(w, "id,customer,plan,tenure,monthly,total,churned,signed_up")
	plans := []string{"Month-to-month", "One year", "Two year"}
	start := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		total := fmt.Sprintf("%.2f", float64(i%5000)*1.37)
		if i%97 == 0 {
			total = " "
		}
		fmt.Fprintf(w, "%d,%04d-CUST%d,%s,%d,%.2f,%s,%t,%s\n",
			i, i%10000, i, plans[i%3], i%72, 18.25+float64(i%100), total, i%4 == 0,
			start.Add(time.Duration(i)*time.Minute).Format("2006-01-02 15:04:05"))
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
	return path
}

func BenchmarkConvert(b *testing.B) {
	path := writeBenchCSV(b, benchRows)
	ctx := context.Background()
	opts := DefaultOptions()
	cols, err := Infer(ctx, []string{path}, opts)
	if err != nil {
		b.Fatal(err)
	}
	st, _ := os.Stat(path)
	b.SetBytes(st.Size())
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		n, err := Convert(ctx, path, io.Discard, cols, opts)
		if err != nil {
			b.Fatal(err)
		}
		if n != benchRows {
			b.Fatalf("got %d rows, want %d", n, benchRows)
		}
	}
	b.ReportMetric(float64(benchRows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

func BenchmarkInfer(b *testing.B) {
	path := writeBenchCSV(b, benchRows)
	ctx := context.Background()
	opts := Options{SampleRows: 0} // whole file
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Infer(ctx, []string{path}, opts); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(benchRows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
