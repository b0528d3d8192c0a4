package csvconv

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/parquet-go/parquet-go"
)

// writeFile writes content to name in a fresh temporary directory and
// returns its path.
func writeFile(t testing.TB, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// convertFile infers and converts one file, returning the Parquet bytes.
func convertFile(t testing.TB, path string, opts Options) ([]Column, []byte) {
	t.Helper()
	ctx := context.Background()
	cols, err := Infer(ctx, []string{path}, opts)
	if err != nil {
		t.Fatalf("Infer: %v", err)
	}
	var buf bytes.Buffer
	if _, err := Convert(ctx, path, &buf, cols, opts); err != nil {
		t.Fatalf("Convert: %v", err)
	}
	return cols, buf.Bytes()
}

// openParquet opens Parquet bytes.
func openParquet(t testing.TB, data []byte) *parquet.File {
	t.Helper()
	f, err := parquet.OpenFile(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("open parquet: %v", err)
	}
	return f
}

// readRows reads every row of a Parquet file as Go values: nil for null,
// int64 (also timestamps, in microseconds), float64, bool or string.
func readRows(t testing.TB, data []byte) [][]any {
	t.Helper()
	rows, err := readRowsErr(data)
	if err != nil {
		t.Fatalf("read parquet rows: %v", err)
	}
	return rows
}

func readRowsErr(data []byte) ([][]any, error) {
	r := parquet.NewReader(bytes.NewReader(data))
	defer r.Close()
	var out [][]any
	buf := make([]parquet.Row, 100)
	for {
		n, err := r.ReadRows(buf)
		for _, row := range buf[:n] {
			cells := make([]any, len(row))
			for i, v := range row {
				cells[i] = goValue(v)
			}
			out = append(out, cells)
		}
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, err
		}
	}
}

func goValue(v parquet.Value) any {
	if v.IsNull() {
		return nil
	}
	switch v.Kind() {
	case parquet.Boolean:
		return v.Boolean()
	case parquet.Int64:
		return v.Int64()
	case parquet.Double:
		return v.Double()
	case parquet.ByteArray:
		return string(v.ByteArray())
	}
	return v.String()
}

// sameCell compares cells, treating NaN as equal to NaN.
func sameCell(a, b any) bool {
	fa, aok := a.(float64)
	fb, bok := b.(float64)
	if aok && bok && math.IsNaN(fa) && math.IsNaN(fb) {
		return true
	}
	return a == b
}
