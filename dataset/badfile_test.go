package dataset_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress"
	"github.com/parquet-go/parquet-go/encoding/thrift"
	"github.com/parquet-go/parquet-go/format"

	"github.com/assayhq/assay/dataset"
)

// smallColumns are a few columns of different kinds for small files.
func smallColumns() []pqColumn {
	byName := map[string]pqType{}
	for _, tp := range pqTypes() {
		byName[tp.name] = tp
	}
	return []pqColumn{
		{name: "a_int64", t: byName["int64"], enc: "plain"},
		{name: "b_string", t: byName["string"], enc: "dict", opt: true, nulls: 0.2},
		{name: "c_float64", t: byName["float64"], enc: "plain", opt: true, nulls: 0.2},
		{name: "d_bool", t: byName["bool"], enc: "plain"},
		{name: "e_ts", t: byName["ts_ms_utc"], enc: "dict"},
		{name: "f_int32", t: byName["int32"], enc: "delta", opt: true, nulls: 0.1},
	}
}

func smallParquet(t testing.TB, seed uint64, codec compress.Codec, pageVersion int) []byte {
	return parquetBytes(t, pqSpec{columns: smallColumns(), rows: 60, rowGroupRows: 25, pageBuffer: 64, seed: seed, compression: codec, pageVersion: pageVersion})
}

// scanAll opens the data as one file and profiles it with a checked
// allocator; it returns the first error and fails the test on leaked
// buffers.
func scanAll(t testing.TB, name string, data []byte) error {
	t.Helper()
	s, err := dataset.NewScanner(context.Background(), []dataset.Input{bytesInput(name, data)})
	if err != nil {
		return err
	}
	defer s.Close()
	alloc := memory.NewCheckedAllocator(memory.NewGoAllocator())
	_, err = dataset.Profile(context.Background(), s, dataset.ScanOptions{Workers: 2, BatchRows: 9, Allocator: alloc})
	if got := alloc.CurrentAlloc(); got != 0 {
		t.Errorf("%s: got %d bytes still allocated after the scan, want 0", name, got)
	}
	return err
}

// inputError reports whether err is the error of a bad input file: ErrInvalid
// or ErrCorrupt, naming the file.
func inputError(err error, name string) bool {
	return (errors.Is(err, dataset.ErrInvalid) || errors.Is(err, dataset.ErrCorrupt)) && strings.Contains(err.Error(), name)
}

func TestBadFiles(t *testing.T) {
	valid := smallParquet(t, 1, &parquet.Snappy, 2)
	r := rand.New(rand.NewPCG(7, 7))
	random := make([]byte, 4096)
	for i := range random {
		random[i] = byte(r.Uint32())
	}
	tests := []struct {
		name string
		data []byte
	}{
		{"empty", nil},
		{"one byte", []byte{'P'}},
		{"magic only", []byte("PAR1")},
		{"two magics", []byte("PAR1PAR1")},
		{"random bytes", random},
		{"random bytes between magics", append(append([]byte("PAR1"), random...), []byte("PAR1")...)},
		{"csv text", []byte("id,name\n1,a\n2,b\n")},
		{"truncated to half", valid[:len(valid)/2]},
		{"truncated by one byte", valid[:len(valid)-1]},
		{"truncated by eight bytes", valid[:len(valid)-8]},
		{"footer length beyond the file", withFooterLength(valid, uint32(len(valid))+100)},
		{"footer length zero", withFooterLength(valid, 0)},
		{"footer only", valid[len(valid)-200:]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			name := strings.ReplaceAll(tt.name, " ", "_") + ".parquet"
			err := scanAll(t, name, tt.data)
			if !inputError(err, name) {
				t.Errorf("got %v, want ErrInvalid or ErrCorrupt naming %s", err, name)
			}
		})
	}
	t.Run("valid", func(t *testing.T) {
		if err := scanAll(t, "valid.parquet", valid); err != nil {
			t.Errorf("got %v, want nil", err)
		}
	})
}

func withFooterLength(data []byte, n uint32) []byte {
	out := append([]byte(nil), data...)
	at := len(out) - 8
	out[at], out[at+1], out[at+2], out[at+3] = byte(n), byte(n>>8), byte(n>>16), byte(n>>24)
	return out
}

// TestBadFileOnDisk: the same through FileInput, with the path in the
// message, and a directory or missing file instead of a file.
func TestBadFileOnDisk(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.parquet")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		path string
		want error
	}{
		{"empty file", empty, dataset.ErrInvalid},
		{"directory", dir, dataset.ErrInvalid},
		{"missing", filepath.Join(dir, "nope.parquet"), dataset.ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := dataset.NewScanner(context.Background(), []dataset.Input{dataset.FileInput(tt.path)})
			if !errors.Is(err, tt.want) || !strings.Contains(fmt.Sprint(err), tt.path) {
				t.Errorf("got %v, want %v naming %s", err, tt.want, tt.path)
			}
		})
	}
}

// dataPage is where one data page's body lies in a file.
type dataPage struct {
	rowGroup int
	column   string
	start    int64 // first byte of the (compressed) body
	size     int64
	// values is the offset in the body of the values, after the levels,
	// when known: v2 pages and uncompressed v1 pages; else 0.
	values int64
}

// dataPages walks the page headers of every column chunk and returns the
// bodies of the data pages.
func dataPages(t testing.TB, data []byte) []dataPage {
	t.Helper()
	f, err := parquet.OpenFile(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var out []dataPage
	for rgi, rg := range f.Metadata().RowGroups {
		for _, col := range rg.Columns {
			m := col.MetaData
			pos := m.DataPageOffset
			if m.DictionaryPageOffset > 0 && m.DictionaryPageOffset < pos {
				pos = m.DictionaryPageOffset
			}
			end := pos + m.TotalCompressedSize
			for pos < end {
				r := bytes.NewReader(data[pos:end])
				var h format.PageHeader
				if err := thrift.NewDecoder(new(thrift.CompactProtocol).NewReader(r)).Decode(&h); err != nil {
					t.Fatalf("page header at %d: %v", pos, err)
				}
				body := end - int64(r.Len())
				if h.Type == format.DataPage || h.Type == format.DataPageV2 {
					pg := dataPage{rgi, strings.Join(m.PathInSchema, "."), body, int64(h.CompressedPageSize), 0}
					leaf, _ := f.Schema().Lookup(m.PathInSchema...)
					switch {
					case h.Type == format.DataPageV2:
						v2 := h.DataPageHeaderV2.V
						pg.values = int64(v2.DefinitionLevelsByteLength + v2.RepetitionLevelsByteLength)
					case m.Codec == format.Uncompressed && leaf.MaxDefinitionLevel > 0:
						n := int64(data[body]) | int64(data[body+1])<<8 | int64(data[body+2])<<16 | int64(data[body+3])<<24
						pg.values = 4 + n
					}
					out = append(out, pg)
				}
				pos = body + int64(h.CompressedPageSize)
			}
			if pos != end {
				t.Fatalf("pages of %v end at %d, the chunk at %d", m.PathInSchema, pos, end)
			}
		}
	}
	return out
}

// stripCRC returns a copy of data whose page headers carry no checksum, as
// files of many writers (Polars, parquet-mr, Arrow) do not: each CRC varint
// is overwritten with a zero of the same length (0x80… 0x00), so no offset
// moves. Damage to page bodies then reaches the decoders.
func stripCRC(t testing.TB, data []byte) []byte {
	t.Helper()
	out := append([]byte(nil), data...)
	f, err := parquet.OpenFile(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, rg := range f.Metadata().RowGroups {
		for _, col := range rg.Columns {
			m := col.MetaData
			pos := m.DataPageOffset
			if m.DictionaryPageOffset > 0 && m.DictionaryPageOffset < pos {
				pos = m.DictionaryPageOffset
			}
			end := pos + m.TotalCompressedSize
			for pos < end {
				// Fields 1 to 4 (type, sizes, crc) are i32s with field
				// id deltas of 1: header byte 0x15, then a varint.
				at := pos
				for field := 1; field <= 4; field++ {
					if out[at] != 0x15 {
						t.Fatalf("page header at %d: field %d has header byte %#x, want 0x15", pos, field, out[at])
					}
					at++
					n := 0
					for out[at+int64(n)]&0x80 != 0 {
						n++
					}
					if field == 4 {
						for i := range n {
							out[at+int64(i)] = 0x80
						}
						out[at+int64(n)] = 0
					}
					at += int64(n) + 1
				}
				r := bytes.NewReader(out[pos:end])
				var h format.PageHeader
				if err := thrift.NewDecoder(new(thrift.CompactProtocol).NewReader(r)).Decode(&h); err != nil {
					t.Fatalf("page header at %d: %v", pos, err)
				}
				if h.CRC != 0 {
					t.Fatalf("page header at %d: crc %d left", pos, h.CRC)
				}
				pos = end - int64(r.Len()) + int64(h.CompressedPageSize)
			}
		}
	}
	return out
}

// TestCorruptPagesWithoutCRC damages the pages of files without page
// checksums. Such damage cannot always be noticed (a changed value is still
// a value), but it must never panic or leak, and an error must be ErrCorrupt
// naming the file.
func TestCorruptPagesWithoutCRC(t *testing.T) {
	codecs := []struct {
		name  string
		codec compress.Codec
	}{{"uncompressed", nil}, {"snappy", &parquet.Snappy}, {"zstd", &parquet.Zstd}}
	for _, cd := range codecs {
		for _, version := range []int{1, 2} {
			data := stripCRC(t, smallParquet(t, 3, cd.codec, version))
			if err := scanAll(t, "nocrc.parquet", data); err != nil {
				t.Fatalf("%s v%d without CRC: %v", cd.name, version, err)
			}
			for i, pg := range dataPages(t, data) {
				// Only the values: a damaged run header in the definition
				// levels can make parquet-go v0.32.0 decode a run of
				// hundreds of millions of levels (seconds and 700 MB for a
				// 3 KB file), which belongs in a fuzz test, not here.
				for _, at := range []int64{pg.values, (pg.values + pg.size) / 2, pg.size - 1} {
					for _, mask := range []byte{0xff, 0x01} {
						name := fmt.Sprintf("%s-v%d-page%d-%s-at%d-%02x.parquet", cd.name, version, i, pg.column, at, mask)
						bad := append([]byte(nil), data...)
						bad[pg.start+at] ^= mask
						if err := scanAll(t, name, bad); err != nil && !(errors.Is(err, dataset.ErrCorrupt) && strings.Contains(err.Error(), name)) {
							t.Errorf("got %v, want nil or ErrCorrupt naming %s", err, name)
						}
					}
				}
			}
		}
	}
}

// TestCorruptPages flips bytes in the middle of data pages: the scan must
// fail with ErrCorrupt naming the file (parquet-go writes page checksums),
// not panic, not return wrong data silently.
func TestCorruptPages(t *testing.T) {
	codecs := []struct {
		name  string
		codec compress.Codec
	}{{"uncompressed", nil}, {"snappy", &parquet.Snappy}, {"zstd", &parquet.Zstd}}
	for _, cd := range codecs {
		for _, version := range []int{1, 2} {
			data := smallParquet(t, 3, cd.codec, version)
			pages := dataPages(t, data)
			if len(pages) < 15 {
				t.Fatalf("%s v%d: got %d data pages, want at least 15", cd.name, version, len(pages))
			}
			for i, pg := range pages {
				if i%3 != 0 && pg.rowGroup != 1 {
					continue // a sample, to keep the test short
				}
				name := fmt.Sprintf("%s-v%d-rg%d-%s-page%d.parquet", cd.name, version, pg.rowGroup, pg.column, i)
				t.Run(name, func(t *testing.T) {
					bad := append([]byte(nil), data...)
					bad[pg.start+pg.size/2] ^= 0x5a
					err := scanAll(t, name, bad)
					if !errors.Is(err, dataset.ErrCorrupt) || !strings.Contains(fmt.Sprint(err), name) {
						t.Errorf("got %v, want ErrCorrupt naming %s", err, name)
					}
				})
			}
		}
	}
}

// TestEveryByteFlipped flips each byte of a small file in turn. Whatever
// the damage, the scan either succeeds or fails with an input error naming
// the file; it never panics and never leaks buffers.
func TestEveryByteFlipped(t *testing.T) {
	for _, crc := range []bool{true, false} {
		t.Run(fmt.Sprintf("crc=%v", crc), func(t *testing.T) {
			data := parquetBytes(t, pqSpec{columns: smallColumns(), rows: 20, rowGroupRows: 10, pageBuffer: 64, seed: 5, compression: &parquet.Snappy})
			if !crc {
				data = stripCRC(t, data)
			}
			flipEveryByte(t, data)
		})
	}
}

func flipEveryByte(t *testing.T, data []byte) {
	bad := 0
	for i := range data {
		d := append([]byte(nil), data...)
		d[i] ^= 0xff
		if footerTooLong(d) {
			continue // TestFooterLength
		}
		name := fmt.Sprintf("flip-%d.parquet", i)
		err := scanAll(t, name, d)
		if err != nil && !inputError(err, name) {
			bad++
			if bad <= 10 {
				t.Errorf("byte %d of %d: got %v, want nil or ErrInvalid/ErrCorrupt naming %s", i, len(data), err, name)
			}
		}
	}
}

func TestSchemaMismatch(t *testing.T) {
	byName := map[string]pqType{}
	for _, tp := range pqTypes() {
		byName[tp.name] = tp
	}
	base := []pqColumn{
		{name: "a", t: byName["int64"], enc: "plain"},
		{name: "b", t: byName["string"], enc: "plain"},
		{name: "c", t: byName["ts_ms_utc"], enc: "plain"},
	}
	with := func(i int, c pqColumn) []pqColumn {
		out := append([]pqColumn(nil), base...)
		out[i] = c
		return out
	}
	tests := []struct {
		name   string
		second []pqColumn
		column string // the column the error names
		words  []string
	}{
		{"type", with(0, pqColumn{name: "a", t: byName["string"], enc: "plain"}), "a", []string{"string", "int64"}},
		{"unit", with(2, pqColumn{name: "c", t: byName["ts_us_utc"], enc: "plain"}), "c", []string{"timestamp[us]", "timestamp[ms]"}},
		{"time zone", with(2, pqColumn{name: "c", t: byName["ts_ms_local"], enc: "plain"}), "c", []string{"timestamp[ms] UTC"}},
		{"missing", base[:2], "c", []string{"missing"}},
		{"new", append(append([]pqColumn(nil), base...), pqColumn{name: "d", t: byName["bool"], enc: "plain"}), "d", []string{"new"}},
		{"renamed", with(1, pqColumn{name: "b2", t: byName["string"], enc: "plain"}), "b", []string{"missing"}},
		{"new column sorted first", append([]pqColumn{{name: "_x", t: byName["int32"], enc: "plain"}}, base...), "_x", []string{"new", "int32"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			first := writeParquet(t, filepath.Join(dir, "first.parquet"), pqSpec{columns: base, rows: 5})
			second := writeParquet(t, filepath.Join(dir, "second.parquet"), pqSpec{columns: tt.second, rows: 5})
			_, err := dataset.NewScanner(context.Background(), []dataset.Input{dataset.FileInput(first), dataset.FileInput(second)})
			if !errors.Is(err, dataset.ErrSchema) {
				t.Fatalf("got %v, want ErrSchema", err)
			}
			msg := err.Error()
			for _, w := range append([]string{second, fmt.Sprintf("%q", tt.column)}, tt.words...) {
				if !strings.Contains(msg, w) {
					t.Errorf("got %q, want it to contain %q", msg, w)
				}
			}
		})
	}
}

// TestFooterLength: the last 8 bytes of a Parquet file give the footer's
// length; a damaged length must be rejected as ErrInvalid without
// allocating what it claims.
//
// FAILING TEST, bug in dataset/scan.go (openParquet), not fixed here (the
// file is being optimised by someone else): the scanner hands the file to
// parquet.OpenFile, which allocates a buffer of the claimed footer length
// (up to 4 GiB) before it notices the file is shorter. A 10 KB file makes
// `assay profile` allocate 4 GiB; fuzzing finds it within seconds and the
// fuzz worker dies. (The test claims 256 MiB only, to stay quick while it
// fails.) Fix, in openParquet before parquet.OpenFile: read the
// last 8 bytes; require b.Size() >= 12, the trailing magic "PAR1", and
// footer length <= b.Size()-12; otherwise return the same ErrInvalid
// "not a readable Parquet file" error naming the file.
func TestFooterLength(t *testing.T) {
	valid := smallParquet(t, 1, nil, 2)
	tests := []struct {
		name   string
		length uint32
	}{
		{"256 MiB", 1 << 28},
		{"file size", uint32(len(valid))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := withFooterLength(valid, tt.length)
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			_, err := dataset.NewScanner(context.Background(), []dataset.Input{bytesInput("long-footer.parquet", data)})
			runtime.ReadMemStats(&after)
			if !inputError(err, "long-footer.parquet") {
				t.Errorf("got %v, want ErrInvalid naming long-footer.parquet", err)
			}
			if got := after.TotalAlloc - before.TotalAlloc; got > 16<<20 {
				t.Errorf("allocated %d MiB for a %d-byte file, want at most 16 MiB", got>>20, len(data))
			}
		})
	}
}

// TestScanReturnsReaderError: a visit that stops at the end of Next
// without looking at Err still gets the read error from Scan.
func TestScanReturnsReaderError(t *testing.T) {
	data := smallParquet(t, 3, nil, 2)
	pages := dataPages(t, data)
	pg := pages[len(pages)/2]
	bad := append([]byte(nil), data...)
	bad[pg.start+pg.size/2] ^= 0x5a
	s, err := dataset.NewScanner(context.Background(), []dataset.Input{bytesInput("bad.parquet", bad)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	alloc := memory.NewCheckedAllocator(memory.NewGoAllocator())
	err = s.Scan(context.Background(), dataset.ScanOptions{Workers: 1, Allocator: alloc}, func(ctx context.Context, rg dataset.RowGroup, r *dataset.BatchReader) error {
		for r.Next() {
		}
		return nil // Err not checked
	})
	if !errors.Is(err, dataset.ErrCorrupt) || !strings.Contains(fmt.Sprint(err), "bad.parquet") || !strings.Contains(fmt.Sprint(err), pg.column) {
		t.Errorf("got %v, want ErrCorrupt naming bad.parquet and column %s", err, pg.column)
	}
	if got := alloc.CurrentAlloc(); got != 0 {
		t.Errorf("got %d bytes still allocated, want 0", got)
	}
}
