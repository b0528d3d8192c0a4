package csvconv

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func fuzzSeeds(f *testing.F) [][]byte {
	seeds := []string{
		"a,b\n1,2\n",
		"i,f,b,ts,s\n1,1.5,true,2024-01-31T10:00:00Z,x\n-2,NaN,False,2024-02-01 10:00:00.5,\" y \"\n",
		"\xEF\xBB\xBFa,\"b,c\"\r\n\"1\",\"x\r\ny\"\r\n",
		"a,b\n1, \n ,2.5\n3,\t\n",
		"a,a\n1,2\n",
		"a,b,c\n1,2\n",
		"a\n1\n2\nx\n",
		"a\n99999999999999999999\n1e400\n",
		"a\n\xff\n",
		"",
		"\"",
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte("a,b\n1,x\n"))
	zw.Close()
	out := [][]byte{gz.Bytes()}
	for _, s := range seeds {
		out = append(out, []byte(s))
	}
	if telco, err := os.ReadFile(telcoPath); err == nil {
		out = append(out, telco[:2000])
	}
	return out
}

// FuzzInfer checks that Infer never panics and that what it returns is a
// valid column list.
func FuzzInfer(f *testing.F) {
	for _, seed := range fuzzSeeds(f) {
		f.Add(seed, 0)
		f.Add(seed, 1)
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte, sample int) {
		path := filepath.Join(dir, "fuzz.csv")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		cols, err := Infer(context.Background(), []string{path}, Options{SampleRows: sample})
		if err != nil {
			return
		}
		if len(cols) == 0 {
			t.Fatal("no error and no columns")
		}
		if _, err := Schema(cols); err != nil {
			t.Fatalf("Infer returned columns Schema rejects: %v", err)
		}
	})
}

// FuzzConvert checks that converting arbitrary bytes either fails with an
// error or writes a Parquet file that reads back with the rows and string
// cells of the input. With the whole file sampled, no cell may fail to
// parse as its inferred type (except text that is not UTF-8).
func FuzzConvert(f *testing.F) {
	for _, seed := range fuzzSeeds(f) {
		f.Add(seed, 0)
		f.Add(seed, 1)
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte, sample int) {
		path := filepath.Join(dir, "fuzz.csv")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		opts := Options{SampleRows: sample, RowGroupRows: 3}
		cols, err := Infer(ctx, []string{path}, opts)
		if err != nil {
			return
		}
		var buf bytes.Buffer
		n, err := Convert(ctx, path, &buf, cols, opts)
		if err != nil {
			var pe *ParseError
			if sample <= 0 && errors.As(err, &pe) && pe.Type != String {
				t.Fatalf("whole-file inference, yet a cell does not fit: %v", err)
			}
			return
		}
		rows, err := readRowsErr(buf.Bytes())
		if err != nil {
			t.Fatalf("read back: %v", err)
		}
		if int64(len(rows)) != n {
			t.Fatalf("read back %d rows, Convert wrote %d", len(rows), n)
		}

		// Compare with encoding/csv reading the (uncompressed) input.
		if bytes.HasPrefix(data, []byte(gzipMagic)) {
			return
		}
		cr := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte(bom))))
		records, err := cr.ReadAll()
		if err != nil {
			t.Fatalf("encoding/csv fails where Convert succeeded: %v", err)
		}
		if len(records)-1 != len(rows) {
			t.Fatalf("got %d rows, encoding/csv reads %d", len(rows), len(records)-1)
		}
		for i, rec := range records[1:] {
			for j, cell := range rec {
				got := rows[i][j]
				if trim(cell) == "" {
					if got != nil {
						t.Fatalf("row %d column %d: got %v, want null for %q", i+1, j+1, got, cell)
					}
					continue
				}
				if cols[j].Type == String && got != cell {
					t.Fatalf("row %d column %d: got %q, want %q", i+1, j+1, got, cell)
				}
			}
		}
	})
}
