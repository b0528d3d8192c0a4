package csvconv

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestInfer(t *testing.T) {
	tests := []struct {
		name  string
		files []string // contents; written as a.csv, b.csv, ...
		opts  Options
		want  []Column
	}{
		{
			name:  "each type",
			files: []string{"i,f,b,ts,d,s\n1,1.5,true,2024-01-31T10:00:00Z,2024-01-31,x\n-2,NaN,False,2024-02-01 10:00:00,2024-02-01,y\n"},
			want:  []Column{{"i", Int64}, {"f", Float64}, {"b", Bool}, {"ts", Timestamp}, {"d", Timestamp}, {"s", String}},
		},
		{
			name:  "int and float widen to float",
			files: []string{"x\n1\n2.5\n3\n"},
			want:  []Column{{"x", Float64}},
		},
		{
			name:  "int out of range widens to float",
			files: []string{"x\n1\n99999999999999999999\n"},
			want:  []Column{{"x", Float64}},
		},
		{
			name:  "other mixes are string",
			files: []string{"ib,fb,it,bt,is\n1,1.5,1,true,1\ntrue,false,2024-01-01,2024-01-01,a\n"},
			want:  []Column{{"ib", String}, {"fb", String}, {"it", String}, {"bt", String}, {"is", String}},
		},
		{
			name:  "0/1 is int, yes/no is string",
			files: []string{"a,b\n0,Yes\n1,No\n"},
			want:  []Column{{"a", Int64}, {"b", String}},
		},
		{
			name:  "whitespace-only is null",
			files: []string{"a,b\n1, \n ,2.5\n3,\t\n"},
			want:  []Column{{"a", Int64}, {"b", Float64}},
		},
		{
			name:  "all-null column is string",
			files: []string{"a,b\n1,\n2,  \n"},
			want:  []Column{{"a", Int64}, {"b", String}},
		},
		{
			name:  "header only",
			files: []string{"a,b\n"},
			want:  []Column{{"a", String}, {"b", String}},
		},
		{
			name:  "surrounding spaces are trimmed for non-strings",
			files: []string{"a,b,c\n 1 , true ,\" 2024-01-01 \"\n"},
			want:  []Column{{"a", Int64}, {"b", Bool}, {"c", Timestamp}},
		},
		{
			name:  "quotes, CRLF and BOM",
			files: []string{"\xEF\xBB\xBFa,\"b,c\"\r\n\"1\",\"x\r\ny\"\r\n2,\"say \"\"hi\"\"\"\r\n"},
			want:  []Column{{"a", Int64}, {"b,c", String}},
		},
		{
			name:  "hint overrides inference",
			files: []string{"zip,n,f\n01234,1,1\n"},
			opts:  Options{Types: map[string]Type{"zip": String, "n": Float64}},
			want:  []Column{{"zip", String}, {"n", Float64}, {"f", Int64}},
		},
		{
			name:  "hint wins over a cell that would widen",
			files: []string{"a\n1\nx\n"},
			opts:  Options{Types: map[string]Type{"a": Int64}},
			want:  []Column{{"a", Int64}},
		},
		{
			name:  "sample stops before the bad cell",
			files: []string{"a,b\n1,x\n2,y\n3.5,z\n"},
			opts:  Options{SampleRows: 2},
			want:  []Column{{"a", Int64}, {"b", String}},
		},
		{
			name:  "zero sample reads the whole file",
			files: []string{"a,b\n1,x\n2,y\n3.5,z\n"},
			opts:  Options{SampleRows: 0},
			want:  []Column{{"a", Float64}, {"b", String}},
		},
		{
			name:  "negative sample reads the whole file",
			files: []string{"a\n1\n2\nfoo\n"},
			opts:  Options{SampleRows: -1},
			want:  []Column{{"a", String}},
		},
		{
			name: "files are joined",
			files: []string{
				"i,f,n,s,b\n1,1,,1,true\n",
				"i,f,n,s,b\n2,2.5,,x,\n",
				"i,f,n,s,b\n3,3,5,2,false\n",
			},
			want: []Column{{"i", Int64}, {"f", Float64}, {"n", Int64}, {"s", String}, {"b", Bool}},
		},
		{
			name:  "all-null in one file does not force string",
			files: []string{"a\n\n \n", "a\n7\n"},
			want:  []Column{{"a", Int64}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			var paths []string
			for i, content := range tt.files {
				p := filepath.Join(dir, string(rune('a'+i))+".csv")
				if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
				paths = append(paths, p)
			}
			got, err := Infer(context.Background(), paths, tt.opts)
			if err != nil {
				t.Fatalf("got error %v", err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestInferGzip(t *testing.T) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte("\xEF\xBB\xBFa,b\n1,x\n2,y\n"))
	zw.Close()
	path := writeFile(t, "data.csv.gz", buf.String())
	got, err := Infer(context.Background(), []string{path}, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if want := []Column{{"a", Int64}, {"b", String}}; !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	var out bytes.Buffer
	if _, err := Convert(context.Background(), path, &out, got, DefaultOptions()); err != nil {
		t.Fatal(err)
	}
	rows := readRows(t, out.Bytes())
	if want := [][]any{{int64(1), "x"}, {int64(2), "y"}}; len(rows) != 2 || !slices.Equal(rows[0], want[0]) || !slices.Equal(rows[1], want[1]) {
		t.Errorf("got rows %v, want %v", rows, want)
	}
}

func TestInferErrors(t *testing.T) {
	tests := []struct {
		name    string
		files   []string
		opts    Options
		wantIs  error
		wantMsg string // with "DIR/" for the temporary directory
	}{
		{
			name:    "no header",
			files:   []string{""},
			wantIs:  ErrNoHeader,
			wantMsg: "DIR/a.csv: no header row",
		},
		{
			name:    "blank lines only",
			files:   []string{"\n\n\n"},
			wantIs:  ErrNoHeader,
			wantMsg: "DIR/a.csv: no header row",
		},
		{
			name:    "duplicate header",
			files:   []string{"id,name,id,x,name\n1,2,3,4,5\n"},
			wantIs:  ErrHeader,
			wantMsg: `DIR/a.csv:1: invalid header: column 3 name "id" duplicates column 1; column 5 name "name" duplicates column 2`,
		},
		{
			name:    "empty header name",
			files:   []string{"\n\na,,\" \"\n1,2,3\n"},
			wantIs:  ErrHeader,
			wantMsg: `DIR/a.csv:3: invalid header: column 2 has an empty name; column 3 has an empty name`,
		},
		{
			name:    "header not UTF-8",
			files:   []string{"a,\xff\n1,2\n"},
			wantIs:  ErrHeader,
			wantMsg: `DIR/a.csv:1: invalid header: column 2 name "\xff" is not valid UTF-8`,
		},
		{
			name:    "ragged row",
			files:   []string{"a,b,c\n1,2,3\n4,5\n"},
			wantIs:  csv.ErrFieldCount,
			wantMsg: `DIR/a.csv:3:1: wrong number of fields: row has 2 fields, header has 3: "4,5"`,
		},
		{
			name:    "bare quote",
			files:   []string{"a,b\n1,x\"y\n"},
			wantIs:  csv.ErrBareQuote,
			wantMsg: `DIR/a.csv:2:4: bare " in non-quoted-field`,
		},
		{
			name:    "unterminated quote",
			files:   []string{"a,b\n1,\"xy\n2,3\n"},
			wantIs:  csv.ErrQuote,
			wantMsg: `DIR/a.csv:3:5: extraneous or missing " in quoted-field (in the record starting on line 2)`,
		},
		{
			name:    "hint for unknown column",
			files:   []string{"a,b\n1,2\n"},
			opts:    Options{Types: map[string]Type{"b": String, "zz": Int64, "c": Bool}},
			wantIs:  ErrUnknownColumn,
			wantMsg: `DIR/a.csv: type hint for unknown column "c", "zz" (columns: "a,b")`,
		},
		{
			name:    "hint with invalid type",
			files:   []string{"a\n1\n"},
			opts:    Options{Types: map[string]Type{"a": "integer"}},
			wantIs:  ErrInvalidType,
			wantMsg: `type hint for column "a": invalid type "integer" (want one of int64, float64, bool, timestamp, string)`,
		},
		{
			name:    "headers differ",
			files:   []string{"a,b\n1,2\n", "a,c\n1,2\n"},
			wantIs:  ErrHeaderMismatch,
			wantMsg: `DIR/b.csv:1: header does not match the header of DIR/a.csv: column 2 is "c", want "b"`,
		},
		{
			name:    "fewer columns",
			files:   []string{"a,b\n1,2\n", "a\n1\n"},
			wantIs:  ErrHeaderMismatch,
			wantMsg: `DIR/b.csv:1: header does not match the header of DIR/a.csv: column 2 "b" is missing`,
		},
		{
			name:    "more columns",
			files:   []string{"a\n1\n", "a,b\n1,2\n"},
			wantIs:  ErrHeaderMismatch,
			wantMsg: `DIR/b.csv:1: header does not match the header of DIR/a.csv: column 2 "b" is extra`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			var paths []string
			for i, content := range tt.files {
				p := filepath.Join(dir, string(rune('a'+i))+".csv")
				if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
				paths = append(paths, p)
			}
			_, err := Infer(context.Background(), paths, tt.opts)
			if err == nil {
				t.Fatal("got no error")
			}
			if !errors.Is(err, tt.wantIs) {
				t.Errorf("got error %v, want errors.Is %v", err, tt.wantIs)
			}
			want := strings.ReplaceAll(tt.wantMsg, "DIR/", dir+string(filepath.Separator))
			if got := err.Error(); got != want {
				t.Errorf("got message\n\t%s\nwant\n\t%s", got, want)
			}
		})
	}
}

func TestInferMissingFile(t *testing.T) {
	_, err := Infer(context.Background(), []string{filepath.Join(t.TempDir(), "nope.csv")}, DefaultOptions())
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("got %v, want os.ErrNotExist", err)
	}
	if _, err := Infer(context.Background(), nil, DefaultOptions()); !errors.Is(err, ErrNoFiles) {
		t.Errorf("got %v, want ErrNoFiles", err)
	}
}

func TestInferCanceled(t *testing.T) {
	path := writeFile(t, "a.csv", "a\n1\n")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Infer(ctx, []string{path}, DefaultOptions()); !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
}
