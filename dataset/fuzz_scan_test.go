package dataset_test

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"testing"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress"
)

// FuzzScan feeds mutated small Parquet files to NewScanner and Profile.
// Whatever the bytes, the scan succeeds or fails with ErrInvalid or
// ErrCorrupt naming the file; it never panics and never leaks Arrow
// buffers (scanAll checks with a checked allocator).
//
// The seeds carry page checksums, as parquet-go (and so assay's CSV
// conversion) writes them: damage to page bodies stops at the checksum, and
// the fuzzer explores footers, page headers and the scanner. With
// ASSAY_FUZZ_NOCRC=1 it also gets seeds without checksums (as Polars,
// Arrow and parquet-mr write by default), so that damage reaches the
// decoders.
//
// Inputs that would only measure parquet-go's appetite are skipped (see
// plausibleParquet): parquet-go v0.32.0 allocates whatever a footer length,
// a page header size or a thrift string length claims before it checks it
// against the file (up to 4 GiB for a 10 KB file), and decodes RLE runs of
// up to 2^31 values before checking them against the page; fuzzing
// otherwise stalls in those allocations within seconds and the workers
// die of them. The footer length is assay's to check and has its own
// failing test (TestFooterLength); the rest is upstream.
//
// Run it with -fuzzminimizetime=0 (or a few seconds): minimizing each new
// interesting input of a few KB takes the fuzzer up to a minute, during
// which it reports no progress. testdata/fuzz/FuzzScan keeps the inputs
// that found bugs: 4870564e221aeeaf (a leaf column annotated as MAP made
// the schema mapping panic, fixed in schema.go) and 0544e4f236d6b346
// (parquet.OpenFile panics on it; the scanner recovers).
func FuzzScan(f *testing.F) {
	for i, codec := range []compress.Codec{nil, &parquet.Snappy} {
		for _, version := range []int{1, 2} {
			data := smallParquet(f, uint64(i+1), codec, version)
			f.Add(data)
			if os.Getenv("ASSAY_FUZZ_NOCRC") == "1" {
				f.Add(stripCRC(f, data))
			}
		}
	}
	f.Add(parquetBytes(f, pqSpec{columns: allColumns()[:12], rows: 8, pageBuffer: 64, seed: 3}))
	f.Add([]byte("PAR1PAR1"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if !plausibleParquet(data) {
			t.Skip("sizes beyond the file: parquet-go would allocate them")
		}
		const name = "fuzz.parquet"
		if err := scanAll(t, name, data); err != nil && !inputError(err, name) {
			t.Errorf("got %v, want nil or ErrInvalid/ErrCorrupt naming %s", err, name)
		}
	})
}

// footerTooLong reports whether the footer length at the end of a Parquet
// file is larger than the file.
func footerTooLong(data []byte) bool {
	if len(data) < 8 {
		return false
	}
	n := binary.LittleEndian.Uint32(data[len(data)-8:])
	return int64(n) > int64(len(data))-8
}

// plausibleParquet reports whether every size a Parquet file states is
// within the file: the footer length, the thrift lengths and list sizes of
// the footer and of every page header, and the page sizes and value counts
// (at most 1 Mi, plenty for the small seeds). Files it rejects make
// parquet-go allocate what they claim; it accepts everything else, also
// files that are broken in other ways.
func plausibleParquet(data []byte) bool {
	if len(data) < 12 || string(data[:4]) != "PAR1" || string(data[len(data)-4:]) != "PAR1" {
		return true // rejected before anything is allocated
	}
	n := int(binary.LittleEndian.Uint32(data[len(data)-8:]))
	if n > len(data)-12 {
		return false
	}
	footer := data[len(data)-8-n : len(data)-8]
	if r := (thriftReader{b: footer}); !r.skipStruct(nil) {
		return false
	}
	f, err := openFileNoPanic(data)
	if err != nil {
		return true // the scanner rejects it (and recovers from the panic)
	}
	limit := int64(len(data) - 8 - n)
	for _, rg := range f.Metadata().RowGroups {
		if rg.NumRows > 1<<20 {
			return false
		}
		for _, col := range rg.Columns {
			m := col.MetaData
			start := m.DataPageOffset
			if m.DictionaryPageOffset > 0 && m.DictionaryPageOffset < start {
				start = m.DictionaryPageOffset
			}
			end := start + m.TotalCompressedSize
			if start < 4 || end > limit || start > end || m.NumValues > 1<<20 {
				return false
			}
			for pos := start; pos < end; {
				r := thriftReader{b: data[pos:end]}
				var size int64 = -1
				ok := r.skipStruct(func(id int16, typ byte, r *thriftReader) bool {
					if id == 3 && typ == 5 { // compressed_page_size
						v, ok := r.varint()
						size = v
						return ok
					}
					return false
				})
				if !ok || size < 0 || size > end-pos-int64(r.i) {
					return false
				}
				pos += int64(r.i) + size
			}
		}
	}
	return true
}

// openFileNoPanic opens a file with parquet-go, turning its panics on
// some damaged footers (slice bounds in column.go) into errors.
func openFileNoPanic(data []byte) (f *parquet.File, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("parquet-go panicked: %v", r)
		}
	}()
	return parquet.OpenFile(bytes.NewReader(data), int64(len(data)), parquet.SkipPageIndex(true), parquet.SkipBloomFilters(true))
}

// thriftReader walks thrift compact protocol data without allocating,
// checking that every length and count fits in what is left, and that
// every i32 but a page header's crc (field 4 at the top) is at most 1 Mi.
type thriftReader struct {
	b     []byte
	i     int
	depth int
}

func (r *thriftReader) byte() (byte, bool) {
	if r.i >= len(r.b) {
		return 0, false
	}
	r.i++
	return r.b[r.i-1], true
}

func (r *thriftReader) uvarint() (uint64, bool) {
	v, n := binary.Uvarint(r.b[r.i:])
	if n <= 0 {
		return 0, false
	}
	r.i += n
	return v, true
}

func (r *thriftReader) varint() (int64, bool) {
	v, ok := r.uvarint()
	return int64(v>>1) ^ -int64(v&1), ok
}

func (r *thriftReader) left() uint64 { return uint64(len(r.b) - r.i) }

// skipStruct skips a struct; field, when not nil, may consume a field's
// value itself (it returns true then).
func (r *thriftReader) skipStruct(field func(id int16, typ byte, r *thriftReader) bool) bool {
	if r.depth++; r.depth > 16 {
		return false
	}
	defer func() { r.depth-- }()
	var id int16
	for {
		b, ok := r.byte()
		if !ok {
			return false
		}
		if b == 0 {
			return true
		}
		typ, delta := b&0x0f, int16(b>>4)
		if delta == 0 {
			v, ok := r.varint()
			if !ok {
				return false
			}
			id = int16(v)
		} else {
			id += delta
		}
		if field != nil && field(id, typ, r) {
			continue
		}
		if typ == 5 && !(r.depth == 1 && id == 4) {
			v, ok := r.varint()
			if !ok || v > 1<<20 || v < -(1<<20) {
				return false
			}
			continue
		}
		if typ == 1 || typ == 2 { // booleans live in the field header
			continue
		}
		if !r.skip(typ) {
			return false
		}
	}
}

func (r *thriftReader) skip(typ byte) bool {
	switch typ {
	case 1, 2, 3: // a bool or byte element
		_, ok := r.byte()
		return ok
	case 4, 5, 6:
		_, ok := r.uvarint()
		return ok
	case 7:
		if r.left() < 8 {
			return false
		}
		r.i += 8
		return true
	case 8:
		n, ok := r.uvarint()
		if !ok || n > r.left() {
			return false
		}
		r.i += int(n)
		return true
	case 9, 10:
		h, ok := r.byte()
		if !ok {
			return false
		}
		size, elem := uint64(h>>4), h&0x0f
		if size == 15 {
			if size, ok = r.uvarint(); !ok {
				return false
			}
		}
		if size > r.left() {
			return false
		}
		for range size {
			if !r.skip(elem) {
				return false
			}
		}
		return true
	case 11:
		size, ok := r.uvarint()
		if !ok || size > r.left() {
			return false
		}
		if size == 0 {
			return true
		}
		kv, ok := r.byte()
		if !ok {
			return false
		}
		for range size {
			if !r.skip(kv>>4) || !r.skip(kv&0x0f) {
				return false
			}
		}
		return true
	case 12:
		return r.skipStruct(nil)
	}
	return false
}

func TestPlausibleParquet(t *testing.T) {
	seed := smallParquet(t, 1, &parquet.Snappy, 2)
	tests := []struct {
		name string
		data []byte
		want bool
	}{
		{"seed", seed, true},
		{"seed v1 uncompressed", smallParquet(t, 2, nil, 1), true},
		{"seed without crc", stripCRC(t, seed), true},
		{"all types", parquetBytes(t, pqSpec{columns: allColumns()[:12], rows: 8, pageBuffer: 64, seed: 3}), true},
		{"not parquet", []byte("hello"), true},
		{"footer too long", withFooterLength(seed, 1<<30), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := plausibleParquet(tt.data); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}
