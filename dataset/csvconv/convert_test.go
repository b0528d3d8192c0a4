package csvconv

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"
)

func micros(t *testing.T, rfc3339 string) int64 {
	t.Helper()
	tm, err := time.Parse(time.RFC3339Nano, rfc3339)
	if err != nil {
		t.Fatal(err)
	}
	return tm.UnixMicro()
}

func TestConvertRoundTrip(t *testing.T) {
	input := "\xEF\xBB\xBF" +
		"id,price,ok,at,note,empty\r\n" +
		"1,1.5,true,2024-01-31T10:00:00Z,plain,\r\n" +
		"-2, 2 ,FALSE,2024-01-31 10:00:00.123456,\" padded \",\r\n" +
		" ,NaN,,2024-01-31,\"multi\r\nline, with comma\",\r\n" +
		"4,-Inf,True,2024-01-31T12:00:00.5+02:00, ,\r\n" +
		"9223372036854775807,,false,,\"quote \"\"q\"\"\", \t\r\n"
	path := writeFile(t, "data.csv", input)
	cols, data := convertFile(t, path, DefaultOptions())

	wantCols := []Column{{"id", Int64}, {"price", Float64}, {"ok", Bool}, {"at", Timestamp}, {"note", String}, {"empty", String}}
	if !slices.Equal(cols, wantCols) {
		t.Fatalf("got columns %v, want %v", cols, wantCols)
	}
	want := [][]any{
		{int64(1), 1.5, true, micros(t, "2024-01-31T10:00:00Z"), "plain", nil},
		{int64(-2), 2.0, false, micros(t, "2024-01-31T10:00:00.123456Z"), " padded ", nil},
		{nil, math.NaN(), nil, micros(t, "2024-01-31T00:00:00Z"), "multi\nline, with comma", nil},
		{int64(4), math.Inf(-1), true, micros(t, "2024-01-31T10:00:00.5Z"), nil, nil},
		{int64(math.MaxInt64), nil, false, nil, `quote "q"`, nil},
	}
	got := readRows(t, data)
	if len(got) != len(want) {
		t.Fatalf("got %d rows, want %d", len(got), len(want))
	}
	for i := range want {
		for j := range want[i] {
			if !sameCell(got[i][j], want[i][j]) {
				t.Errorf("row %d column %s: got %#v, want %#v", i+1, cols[j].Name, got[i][j], want[i][j])
			}
		}
	}
}

func TestConvertSchema(t *testing.T) {
	path := writeFile(t, "data.csv", "z,i,f,b,ts,s\n1,1,1.5,true,2024-01-01,x\n,2,,false,,y\n3,,2.5,,2024-01-02T03:04:05Z,\n")
	_, data := convertFile(t, path, DefaultOptions())
	f := openParquet(t, data)

	type colWant struct {
		name     string
		physical format.Type
		logical  string
		encoding format.Encoding
	}
	wants := []colWant{
		{"z", format.Int64, "INT(64,true)", format.Plain},
		{"i", format.Int64, "INT(64,true)", format.Plain},
		{"f", format.Double, "", format.Plain},
		{"b", format.Boolean, "", format.Plain},
		{"ts", format.Int64, "TIMESTAMP(isAdjustedToUTC=true,unit=MICROS)", format.Plain},
		{"s", format.ByteArray, "STRING", format.RLEDictionary},
	}
	elems := f.Metadata().Schema[1:] // [0] is the root
	if len(elems) != len(wants) {
		t.Fatalf("got %d schema elements, want %d", len(elems), len(wants))
	}
	rg := f.Metadata().RowGroups
	if len(rg) != 1 {
		t.Fatalf("got %d row groups, want 1", len(rg))
	}
	for i, w := range wants {
		e := elems[i]
		if e.Name != w.name {
			t.Errorf("column %d: got name %q, want %q", i, e.Name, w.name)
		}
		if typ, _ := e.Type.Get(); typ != w.physical {
			t.Errorf("column %s: got type %v, want %v", w.name, typ, w.physical)
		}
		if rep, _ := e.RepetitionType.Get(); rep != format.Optional {
			t.Errorf("column %s: got repetition %v, want OPTIONAL", w.name, rep)
		}
		if got := e.LogicalType.String(); got != w.logical {
			t.Errorf("column %s: got logical type %q, want %q", w.name, got, w.logical)
		}

		md := rg[0].Columns[i].MetaData
		if md.Codec != format.Snappy {
			t.Errorf("column %s: got codec %v, want SNAPPY", w.name, md.Codec)
		}
		if !slices.Contains(md.Encoding, w.encoding) {
			t.Errorf("column %s: got encodings %v, want %v among them", w.name, md.Encoding, w.encoding)
		}
		st := md.Statistics
		if st.MinValue == nil || st.MaxValue == nil {
			t.Errorf("column %s: chunk statistics lack min/max: %+v", w.name, st)
		}
		if st.NullCount != 1 {
			t.Errorf("column %s: got chunk null count %d, want 1", w.name, st.NullCount)
		}
	}
	// Page statistics end up in the column index.
	if ci := f.ColumnIndexes(); len(ci) != len(wants) {
		t.Errorf("got %d column indexes, want %d", len(ci), len(wants))
	} else {
		for i, c := range ci {
			if len(c.NullCounts) == 0 || c.NullCounts[0] != 1 || len(c.MinValues) == 0 {
				t.Errorf("column %s: page index %+v, want one null and min/max", wants[i].name, c)
			}
		}
	}
	// Spot-check the chunk statistics (PLAIN-encoded min and max).
	if got := rg[0].Columns[1].MetaData.Statistics; bytesToInt64(got.MinValue) != 1 || bytesToInt64(got.MaxValue) != 2 {
		t.Errorf("column i: got min %v max %v, want 1 and 2", got.MinValue, got.MaxValue)
	}
	if got := rg[0].Columns[5].MetaData.Statistics; string(got.MinValue) != "x" || string(got.MaxValue) != "y" {
		t.Errorf("column s: got min %q max %q, want x and y", got.MinValue, got.MaxValue)
	}
}

func bytesToInt64(b []byte) int64 {
	if len(b) != 8 {
		return math.MinInt64
	}
	var v int64
	for i := 7; i >= 0; i-- {
		v = v<<8 | int64(b[i])
	}
	return v
}

func TestConvertParseError(t *testing.T) {
	tests := []struct {
		name    string
		input   string
		opts    Options
		want    ParseError
		wantMsg string
	}{
		{
			name:  "float column after the sample",
			input: "id,TotalCharges\n1,1.5\n2,2\n3,abc\n",
			opts:  Options{SampleRows: 2},
			want: ParseError{Line: 4, Column: 2, Name: "TotalCharges", Value: "abc", Type: Float64,
				Inferred: true, SampleRows: 2},
			wantMsg: `DIR/data.csv:4:2: column "TotalCharges": "abc" is not float64 (inferred from the first 2 rows); pass --schema TotalCharges=string to keep it as text`,
		},
		{
			name:  "int column gets a float",
			input: "a,b\n1,x\n2,y\n3,z\n\"4\",w\n 4.5 ,v\n",
			opts:  Options{SampleRows: 3},
			want: ParseError{Line: 6, Column: 1, Name: "a", Value: " 4.5 ", Type: Int64,
				Inferred: true, SampleRows: 3},
			wantMsg: `DIR/data.csv:6:1: column "a": " 4.5 " is not int64 (inferred from the first 3 rows); pass --schema a=float64 to widen it`,
		},
		{
			name:  "line counts multi-line fields",
			input: "s,n\n\"a\nb\",1\n\"c\",2\n\"d\ne\",x\n",
			opts:  Options{SampleRows: 2},
			want: ParseError{Line: 6, Column: 2, Name: "n", Value: "x", Type: Int64,
				Inferred: true, SampleRows: 2},
			wantMsg: `DIR/data.csv:6:2: column "n": "x" is not int64 (inferred from the first 2 rows); pass --schema n=string to keep it as text`,
		},
		{
			name:  "hinted",
			input: "a\n1\ntrue\n",
			opts:  Options{SampleRows: 10, Types: map[string]Type{"a": Bool}},
			want: ParseError{Line: 2, Column: 1, Name: "a", Value: "1", Type: Bool,
				Inferred: false, SampleRows: 10},
			wantMsg: `DIR/data.csv:2:1: column "a": "1" is not bool (as hinted: a=bool)`,
		},
		{
			name:  "invalid UTF-8 text",
			input: "a\nok\n\xff\xfe\n",
			want: ParseError{Line: 3, Column: 1, Name: "a", Value: "\xff\xfe", Type: String,
				Inferred: true},
			wantMsg: `DIR/data.csv:3:1: column "a": "\xff\xfe" is not valid UTF-8 text`,
		},
		{
			name:  "long value is shortened",
			input: "a\n1\n" + strings.Repeat("x", 100) + "\n",
			opts:  Options{SampleRows: 1},
			want: ParseError{Line: 3, Column: 1, Name: "a", Value: strings.Repeat("x", 100), Type: Int64,
				Inferred: true, SampleRows: 1},
			wantMsg: `DIR/data.csv:3:1: column "a": "` + strings.Repeat("x", 60) + `"… is not int64 (inferred from the first 1 rows); pass --schema a=string to keep it as text`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, "data.csv", tt.input)
			ctx := context.Background()
			cols, err := Infer(ctx, []string{path}, tt.opts)
			if err != nil {
				t.Fatalf("Infer: %v", err)
			}
			var buf bytes.Buffer
			_, err = Convert(ctx, path, &buf, cols, tt.opts)
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("got error %v, want *ParseError", err)
			}
			want := tt.want
			want.File = path
			if *pe != want {
				t.Errorf("got %+v\nwant %+v", *pe, want)
			}
			wantMsg := strings.ReplaceAll(tt.wantMsg, "DIR/", filepath.Dir(path)+string(filepath.Separator))
			if got := err.Error(); got != wantMsg {
				t.Errorf("got message\n\t%s\nwant\n\t%s", got, wantMsg)
			}
		})
	}
}

func TestConvertSyntaxError(t *testing.T) {
	path := writeFile(t, "data.csv", "a,b\n1,2\n3,4\n5,6,7\n")
	cols := []Column{{"a", Int64}, {"b", Int64}}
	_, err := Convert(context.Background(), path, new(bytes.Buffer), cols, DefaultOptions())
	var se *SyntaxError
	if !errors.As(err, &se) {
		t.Fatalf("got error %v, want *SyntaxError", err)
	}
	if se.File != path || se.Line != 4 || se.Column != 1 || !errors.Is(err, csv.ErrFieldCount) {
		t.Errorf("got %+v, want %s:4:1 wrapping csv.ErrFieldCount", se, path)
	}
	if want := path + `:4:1: wrong number of fields: row has 3 fields, header has 2: "5,6,7"`; err.Error() != want {
		t.Errorf("got message %q, want %q", err.Error(), want)
	}
}

func TestConvertHeaderMismatch(t *testing.T) {
	path := writeFile(t, "data.csv", "a,c\n1,2\n")
	cols := []Column{{"a", Int64}, {"b", Int64}}
	_, err := Convert(context.Background(), path, new(bytes.Buffer), cols, DefaultOptions())
	if !errors.Is(err, ErrHeaderMismatch) {
		t.Fatalf("got %v, want ErrHeaderMismatch", err)
	}
	if want := path + `:1: header does not match the columns: column 2 is "c", want "b"`; err.Error() != want {
		t.Errorf("got message %q, want %q", err.Error(), want)
	}
}

func TestConvertBadColumns(t *testing.T) {
	path := writeFile(t, "data.csv", "a\n1\n")
	tests := []struct {
		name   string
		cols   []Column
		wantIs error
	}{
		{"invalid type", []Column{{"a", "int"}}, ErrInvalidType},
		{"duplicate", []Column{{"a", Int64}, {"a", Int64}}, ErrHeader},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Convert(context.Background(), path, new(bytes.Buffer), tt.cols, DefaultOptions())
			if !errors.Is(err, tt.wantIs) {
				t.Errorf("got %v, want %v", err, tt.wantIs)
			}
		})
	}
}

func TestConvertEmpty(t *testing.T) {
	path := writeFile(t, "data.csv", "a,b\n")
	cols, data := convertFile(t, path, DefaultOptions())
	if want := []Column{{"a", String}, {"b", String}}; !slices.Equal(cols, want) {
		t.Errorf("got columns %v, want %v", cols, want)
	}
	f := openParquet(t, data)
	if f.NumRows() != 0 {
		t.Errorf("got %d rows, want 0", f.NumRows())
	}
	if got := len(f.Schema().Fields()); got != 2 {
		t.Errorf("got %d fields, want 2", got)
	}
}

func TestConvertCanceled(t *testing.T) {
	path := writeFile(t, "data.csv", "a\n1\n")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Convert(ctx, path, new(bytes.Buffer), []Column{{"a", Int64}}, DefaultOptions())
	if !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
}

// TestConvertRowGroups writes more rows than one batch and one row group
// and checks that every value comes back in order.
func TestConvertRowGroups(t *testing.T) {
	const n = 5000
	var b strings.Builder
	b.WriteString("i,s,f\n")
	for i := range n {
		if i%7 == 0 {
			fmt.Fprintf(&b, "%d,,\n", i)
			continue
		}
		fmt.Fprintf(&b, "%d,v%d,%d.5\n", i, i%13, i)
	}
	path := writeFile(t, "data.csv", b.String())
	opts := Options{SampleRows: 100, RowGroupRows: 1500}
	ctx := context.Background()
	cols, err := Infer(ctx, []string{path}, opts)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	rows, err := Convert(ctx, path, &buf, cols, opts)
	if err != nil {
		t.Fatal(err)
	}
	if rows != n {
		t.Errorf("got %d rows written, want %d", rows, n)
	}
	f := openParquet(t, buf.Bytes())
	var sizes []int64
	for _, rg := range f.RowGroups() {
		sizes = append(sizes, rg.NumRows())
	}
	if want := []int64{1500, 1500, 1500, 500}; !slices.Equal(sizes, want) {
		t.Errorf("got row groups of %v rows, want %v", sizes, want)
	}
	got := readRows(t, buf.Bytes())
	for i, row := range got {
		want := []any{int64(i), fmt.Sprintf("v%d", i%13), float64(i) + 0.5}
		if i%7 == 0 {
			want = []any{int64(i), nil, nil}
		}
		if !slices.EqualFunc(row, want, sameCell) {
			t.Fatalf("row %d: got %v, want %v", i, row, want)
		}
	}
}

// TestConvertHighCardinality writes a unique string column whose dictionary
// outgrows DictionaryMaxBytes, so pages fall back to PLAIN within a row
// group, and checks that every value reads back.
func TestConvertHighCardinality(t *testing.T) {
	if testing.Short() {
		t.Skip("writes ~20 MB")
	}
	const n = 120_000
	var b strings.Builder
	b.WriteString("id,key,rep\n")
	for i := range n {
		fmt.Fprintf(&b, "%d,key-%0100d,r%d\n", i, i, i%3)
	}
	path := writeFile(t, "data.csv", b.String())
	opts := Options{SampleRows: 1000, RowGroupRows: 50_000}
	_, data := convertFile(t, path, opts)

	f := openParquet(t, data)
	if f.NumRows() != n {
		t.Fatalf("got %d rows, want %d", f.NumRows(), n)
	}
	plain := false
	for g, rg := range f.Metadata().RowGroups {
		for c, chunk := range rg.Columns {
			if chunk.MetaData.NumValues != rg.NumRows {
				t.Errorf("row group %d column %d: got %d values, want %d", g, c, chunk.MetaData.NumValues, rg.NumRows)
			}
		}
		if slices.Contains(rg.Columns[1].MetaData.Encoding, format.Plain) {
			plain = true
		}
		if enc := rg.Columns[2].MetaData.Encoding; !slices.Contains(enc, format.RLEDictionary) {
			t.Errorf("row group %d: low-cardinality column encodings %v, want RLE_DICTIONARY", g, enc)
		}
	}
	if !plain {
		t.Error("high-cardinality column never fell back to PLAIN; the test does not exercise the fallback")
	}
	for i, row := range readRows(t, data) {
		want := []any{int64(i), fmt.Sprintf("key-%0100d", i), fmt.Sprintf("r%d", i%3)}
		if !slices.Equal(row, want) {
			t.Fatalf("row %d: got %v, want %v", i, row, want)
		}
	}
}

// TestConvertMultipleFiles converts two files with one schema from Infer.
func TestConvertMultipleFiles(t *testing.T) {
	a := writeFile(t, "a.csv", "x,y\n1,\n2,\n")
	b := writeFile(t, "b.csv", "x,y\n3.5,2024-01-01\n")
	ctx := context.Background()
	opts := DefaultOptions()
	cols, err := Infer(ctx, []string{a, b}, opts)
	if err != nil {
		t.Fatal(err)
	}
	if want := []Column{{"x", Float64}, {"y", Timestamp}}; !slices.Equal(cols, want) {
		t.Fatalf("got %v, want %v", cols, want)
	}
	for _, file := range []string{a, b} {
		var buf bytes.Buffer
		if _, err := Convert(ctx, file, &buf, cols, opts); err != nil {
			t.Fatalf("Convert %s: %v", file, err)
		}
		schema := openParquet(t, buf.Bytes()).Schema()
		want, _ := Schema(cols)
		if !parquet.EqualNodes(schema, want) {
			t.Errorf("%s: got schema %v, want %v", file, schema, want)
		}
	}
}
