package profile_test

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/klauspost/compress/zstd"

	"github.com/assayhq/assay/dataset/profile"
)

// codecProfiles returns profiles in every state the codec must keep:
// empty, exact of every kind (the fixture cases), sketched past the caps,
// and exact with a sketch already built (after an overlapping merge).
func codecProfiles(t *testing.T) map[string]func() *profile.Profile {
	t.Helper()
	out := map[string]func() *profile.Profile{}
	mem := checkedAlloc(t)
	for _, fc := range loadFixture(t, "testdata/exact.json") {
		dt := arrowType(fc.Arrow)
		spec := profile.Spec{Name: fc.Name, Type: fc.Type, Kind: profile.KindOf(dt)}
		vals := fc.values(t)
		out["exact "+fc.Name] = func() *profile.Profile {
			arr := build(mem, dt, vals)
			defer arr.Release()
			return profileOf(spec, 1, arr)
		}
	}
	sk := sketchTable(150_000, 21)
	out["past the caps"] = func() *profile.Profile {
		return mustMerge(t, sk.profile(mem, 1, 0, 100_000, 30_000), sk.profile(mem, 2, 100_000, 150_000, 65536))
	}
	ex := exactTable(3000, 22)
	out["exact table"] = func() *profile.Profile { return ex.profile(mem, 1, 0, 3000, 1000) }
	out["empty"] = func() *profile.Profile { return profile.New(ex.specs, 3) }
	overlap := table{
		specs: []profile.Spec{{Name: "i", Type: "int64", Kind: profile.KindInt}},
		types: []arrow.DataType{arrow.PrimitiveTypes.Int64},
		cols:  make([][]any, 1),
	}
	for i := range 40_000 {
		overlap.cols[0] = append(overlap.cols[0], int64(i))
	}
	out["exact with a sketch"] = func() *profile.Profile {
		return mustMerge(t, overlap.profile(mem, 1, 0, 40_000, 65536), overlap.profile(mem, 2, 0, 40_000, 65536))
	}
	return out
}

func marshal(t testing.TB, p *profile.Profile) []byte {
	t.Helper()
	b, err := p.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func unmarshal(t testing.TB, b []byte) *profile.Profile {
	t.Helper()
	var p profile.Profile
	if err := p.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	return &p
}

// A decoded profile has the same figures, encodes to the same bytes,
// merges like the original and goes on taking values like the original.
func TestMarshalBinaryRoundTrip(t *testing.T) {
	more := exactTable(70_000, 23) // pushes the timestamp column past the cap
	for name, mk := range codecProfiles(t) {
		t.Run(name, func(t *testing.T) {
			orig := mk()
			enc := marshal(t, orig)
			dec := unmarshal(t, enc)
			if g, w := summaryJSON(t, dec.Summary()), summaryJSON(t, orig.Summary()); g != w {
				t.Errorf("summary after round trip:\n got %s\nwant %s", g, w)
			}
			if again := marshal(t, dec); !bytes.Equal(again, enc) {
				t.Errorf("re-encoding differs: %d bytes, want %d", len(again), len(enc))
			}
			// Merging decoded profiles is merging the originals.
			want := mustMerge(t, mk(), mk())
			got := mustMerge(t, unmarshal(t, enc), unmarshal(t, enc))
			if g, w := marshal(t, got), marshal(t, want); !bytes.Equal(g, w) {
				t.Errorf("merge of decoded profiles differs from merge of originals:\n got %s\nwant %s",
					summaryJSON(t, got.Summary()), summaryJSON(t, want.Summary()))
			}
			// A decoded profile takes more values like the original.
			if len(orig.Columns) == len(more.specs) && orig.Columns[0].Name == more.specs[0].Name {
				mem := checkedAlloc(t)
				a, b := mk(), unmarshal(t, enc)
				mustMerge(t, a, more.profile(mem, 9, 0, 70_000, 65536))
				mustMerge(t, b, more.profile(mem, 9, 0, 70_000, 65536))
				if !bytes.Equal(marshal(t, a), marshal(t, b)) {
					t.Errorf("decoded profile merged with more rows differs from the original")
				}
			}
		})
	}
}

// The same, for a column decoded and then given values directly with Add
// across the cap (the decoded counter must still hand its values to the
// sketch when it overflows).
func TestDecodedColumnCrossesCap(t *testing.T) {
	mem := checkedAlloc(t)
	p := profile.New([]profile.Spec{{Name: "i", Type: "int64", Kind: profile.KindInt}}, 1)
	addReleased(p.Columns[0], int64s(mem, seq(0, 60_000)))
	dec := unmarshal(t, marshal(t, p))
	for _, q := range []*profile.Profile{p, dec} {
		addReleased(q.Columns[0], int64s(mem, seq(60_000, 120_000)))
	}
	if g, w := summaryJSON(t, dec.Summary()), summaryJSON(t, p.Summary()); g != w {
		t.Errorf("decoded then crossed:\n got %s\nwant %s", g, w)
	}
	transition(t, dec.Columns[0], floats(seq(0, 120_000)))
}

// ---------------------------------------------------------------------
// The body layout of dataset/FORMAT.md, read and written independently of
// the package, to check the documented format and to damage it precisely.

type tProfile struct {
	Rows uint64
	Cols []tColumn
}

type tColumn struct {
	Name, Type string
	Kind       byte
	Seed       uint64
	// rows, nulls, nan, n, trues, len_min, len_max, len_sum, min_int, max_int
	Ints [10]int64
	// mean, m2, min, max
	Floats     [4]float64
	HasBounds  bool
	MinB, MaxB []byte
	Counter    *tCounter
	KLL        *tKLL
}

type tCounter struct {
	Exact   bool
	Offset  int64
	Entries []tEntry
	HLL     []byte // nil: none
}

type tEntry struct {
	Hash  uint64
	Count int64
	Val   uint64
	Bytes []byte // strings and binary
}

type tKLL struct {
	N      int64
	Seed   uint64
	Base   uint64
	Buf    []float64
	Levels [][]float64
}

type tReader struct {
	b   []byte
	err error
}

func (r *tReader) fail(what string) {
	if r.err == nil {
		r.err = fmt.Errorf("layout: short %s at %d bytes from the end", what, len(r.b))
	}
	r.b = nil
}

func (r *tReader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.fail("uvarint")
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *tReader) varint() int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.fail("varint")
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *tReader) take(n uint64) []byte {
	if n > uint64(len(r.b)) {
		r.fail("bytes")
		return nil
	}
	b := bytes.Clone(r.b[:n])
	r.b = r.b[n:]
	return b
}

func (r *tReader) u64() uint64 {
	b := r.take(8)
	if b == nil {
		return 0
	}
	return binary.LittleEndian.Uint64(b)
}

func (r *tReader) byte() byte {
	b := r.take(1)
	if b == nil {
		return 0
	}
	return b[0]
}

func (r *tReader) bool() bool {
	switch b := r.byte(); b {
	case 0, 1:
		return b == 1
	default:
		if r.err == nil {
			r.err = fmt.Errorf("layout: bool byte %d", b)
		}
		return false
	}
}

func (r *tReader) bytes() []byte { return r.take(r.uvarint()) }

func (r *tReader) floats() []float64 {
	n := r.uvarint()
	if n > uint64(len(r.b)/8) {
		r.fail("float list")
		return nil
	}
	out := make([]float64, n)
	for i := range out {
		out[i] = math.Float64frombits(r.u64())
	}
	return out
}

func parseBody(b []byte) (tProfile, error) {
	r := &tReader{b: b}
	var p tProfile
	p.Rows = r.uvarint()
	n := r.uvarint()
	for i := uint64(0); i < n && r.err == nil; i++ {
		var c tColumn
		c.Name, c.Type = string(r.bytes()), string(r.bytes())
		c.Kind = r.byte()
		c.Seed = r.u64()
		for j := range c.Ints {
			c.Ints[j] = r.varint()
		}
		for j := range c.Floats {
			c.Floats[j] = math.Float64frombits(r.u64())
		}
		c.HasBounds = r.bool()
		c.MinB, c.MaxB = r.bytes(), r.bytes()
		if r.bool() {
			k := &tCounter{Exact: r.bool(), Offset: r.varint()}
			ne := r.uvarint()
			for e := uint64(0); e < ne && r.err == nil; e++ {
				en := tEntry{Hash: r.u64(), Count: r.varint()}
				if c.Kind == 4 || c.Kind == 5 {
					en.Bytes = r.bytes()
				} else {
					en.Val = r.u64()
				}
				k.Entries = append(k.Entries, en)
			}
			if r.bool() {
				k.HLL = r.take(1 << 14)
			}
			c.Counter = k
		}
		if r.bool() {
			s := &tKLL{N: r.varint(), Seed: r.u64(), Base: r.uvarint()}
			s.Buf = r.floats()
			nl := r.uvarint()
			for l := uint64(0); l < nl && r.err == nil; l++ {
				s.Levels = append(s.Levels, r.floats())
			}
			c.KLL = s
		}
		p.Cols = append(p.Cols, c)
	}
	if r.err == nil && len(r.b) != 0 {
		r.err = fmt.Errorf("layout: %d bytes left over", len(r.b))
	}
	return p, r.err
}

type tWriter struct{ b []byte }

func (w *tWriter) uvarint(v uint64) { w.b = binary.AppendUvarint(w.b, v) }
func (w *tWriter) varint(v int64)   { w.b = binary.AppendVarint(w.b, v) }
func (w *tWriter) u64(v uint64)     { w.b = binary.LittleEndian.AppendUint64(w.b, v) }
func (w *tWriter) bytes(b []byte)   { w.uvarint(uint64(len(b))); w.b = append(w.b, b...) }
func (w *tWriter) bool(v bool) {
	w.b = append(w.b, map[bool]byte{false: 0, true: 1}[v])
}

func (w *tWriter) floats(fs []float64) {
	w.uvarint(uint64(len(fs)))
	for _, f := range fs {
		w.u64(math.Float64bits(f))
	}
}

func (p tProfile) body() []byte {
	w := &tWriter{}
	w.uvarint(p.Rows)
	w.uvarint(uint64(len(p.Cols)))
	for _, c := range p.Cols {
		w.bytes([]byte(c.Name))
		w.bytes([]byte(c.Type))
		w.b = append(w.b, c.Kind)
		w.u64(c.Seed)
		for _, v := range c.Ints {
			w.varint(v)
		}
		for _, f := range c.Floats {
			w.u64(math.Float64bits(f))
		}
		w.bool(c.HasBounds)
		w.bytes(c.MinB)
		w.bytes(c.MaxB)
		w.bool(c.Counter != nil)
		if k := c.Counter; k != nil {
			w.bool(k.Exact)
			w.varint(k.Offset)
			w.uvarint(uint64(len(k.Entries)))
			for _, e := range k.Entries {
				w.u64(e.Hash)
				w.varint(e.Count)
				if c.Kind == 4 || c.Kind == 5 {
					w.bytes(e.Bytes)
				} else {
					w.u64(e.Val)
				}
			}
			w.bool(k.HLL != nil)
			w.b = append(w.b, k.HLL...)
		}
		w.bool(c.KLL != nil)
		if s := c.KLL; s != nil {
			w.varint(s.N)
			w.u64(s.Seed)
			w.uvarint(s.Base)
			w.floats(s.Buf)
			w.uvarint(uint64(len(s.Levels)))
			for _, l := range s.Levels {
				w.floats(l)
			}
		}
	}
	return w.b
}

// codecHeader is the magic and the format byte of today's encodings.
var codecHeader = func() string {
	b, err := profile.New(nil, 0).MarshalBinary()
	if err != nil || len(b) < 5 || string(b[:4]) != "ASPF" {
		panic(fmt.Sprintf("MarshalBinary: %q, %v; want the magic ASPF and a format byte", b, err))
	}
	return string(b[:5])
}()

// body returns the decompressed body of an encoding.
func body(t testing.TB, enc []byte) []byte {
	t.Helper()
	if !strings.HasPrefix(string(enc), codecHeader) {
		t.Fatalf("encoding starts %q, want %q", enc[:min(5, len(enc))], codecHeader)
	}
	dec, err := zstd.NewReader(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer dec.Close()
	b, err := dec.DecodeAll(enc[len(codecHeader):], nil)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// zstdEncoder is shared by the tests: making one costs more than most
// encodings.
var zstdEncoder = sync.OnceValue(func() *zstd.Encoder {
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderConcurrency(1))
	if err != nil {
		panic(err)
	}
	return enc
})

// encoding wraps a body as MarshalBinary does.
func encoding(t testing.TB, body []byte) []byte {
	t.Helper()
	return zstdEncoder().EncodeAll(body, []byte(codecHeader))
}

// The encoding follows the layout documented in dataset/FORMAT.md, field
// for field, and its figures are the profile's.
func TestEncodingMatchesFormatDoc(t *testing.T) {
	for name, mk := range codecProfiles(t) {
		t.Run(name, func(t *testing.T) {
			p := mk()
			b := body(t, marshal(t, p))
			tp, err := parseBody(b)
			if err != nil {
				t.Fatalf("body does not follow dataset/FORMAT.md: %v", err)
			}
			if again := tp.body(); !bytes.Equal(again, b) {
				t.Fatalf("body re-written from the documented fields differs")
			}
			s := p.Summary()
			if tp.Rows != uint64(s.Rows) || len(tp.Cols) != len(s.Columns) {
				t.Fatalf("rows, columns: got %d %d, want %d %d", tp.Rows, len(tp.Cols), s.Rows, len(s.Columns))
			}
			for i, c := range tp.Cols {
				cs := s.Columns[i]
				if c.Name != cs.Name || c.Type != cs.Type || c.Ints[0] != cs.Count || c.Ints[1] != cs.Nulls || c.Ints[2] != cs.NaN {
					t.Errorf("column %d: got %q %q rows %d nulls %d nan %d, want %q %q %d %d %d",
						i, c.Name, c.Type, c.Ints[0], c.Ints[1], c.Ints[2], cs.Name, cs.Type, cs.Count, cs.Nulls, cs.NaN)
				}
				if wantKind := byte(p.Columns[i].Kind); c.Kind != wantKind {
					t.Errorf("column %d kind: got %d, want %d", i, c.Kind, wantKind)
				}
			}
		})
	}
}

// A profile object written by format 1 as first released (commit 6ffa5bc,
// testdata/format1/) must still decode to the figures it was written with,
// or today's encoding must carry a new format byte, so that old objects are
// told apart from damaged ones.
func TestUnmarshalBinaryFormat1Object(t *testing.T) {
	old, err := os.ReadFile("testdata/format1/profile.bin")
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("testdata/format1/summary.json")
	if err != nil {
		t.Fatal(err)
	}
	cur := marshal(t, profile.New(nil, 0))
	var p profile.Profile
	err = p.UnmarshalBinary(old)
	switch {
	case err == nil:
		var w profile.Summary
		if err := json.Unmarshal(want, &w); err != nil {
			t.Fatal(err)
		}
		if g, ws := summaryJSON(t, p.Summary()), summaryJSON(t, w); g != ws {
			t.Errorf("format-1 object decodes to other figures:\n got %s\nwant %s", g, ws)
		}
	case cur[4] == old[4]:
		t.Errorf("format-1 object: got %v, and today's encoding has the same format byte %d: "+
			"the layout changed (has_kll gained base and buffered) without a new format version", err, cur[4])
	}
}

func TestUnmarshalBinaryDamaged(t *testing.T) {
	mem := checkedAlloc(t)
	good := marshal(t, sketchTable(80_000, 24).profile(mem, 1, 0, 80_000, 65536))
	goodBody := body(t, good)
	tp, err := parseBody(goodBody)
	if err != nil {
		t.Fatal(err)
	}
	patch := func(f func(p *tProfile)) []byte {
		q, _ := parseBody(goodBody) // a deep copy
		f(&q)
		return encoding(t, q.body())
	}
	if tp.Cols[0].KLL == nil || tp.Cols[0].Counter == nil || tp.Cols[0].Counter.HLL == nil || tp.Cols[2].Counter == nil {
		t.Fatalf("test profile: want sketched int and string columns")
	}
	tests := []struct {
		name string
		data []byte
	}{
		{"nil", nil},
		{"magic only", []byte("ASPF")},
		{"bad magic", append([]byte("ASPX"), good[4:]...)},
		{"format 0", append([]byte("ASPF\x00"), good[5:]...)},
		{"next format", append([]byte{'A', 'S', 'P', 'F', good[4] + 1}, good[5:]...)},
		{"no frame", []byte(codecHeader)},
		{"not zstd", []byte(codecHeader + "hello, world")},
		{"frame cut", good[:len(good)/2]},
		{"checksum flipped", append(bytes.Clone(good[:len(good)-1]), good[len(good)-1]^0xff)},
		{"empty body", encoding(t, nil)},
		{"trailing byte", encoding(t, append(bytes.Clone(goodBody), 0))},
		{"body cut", encoding(t, goodBody[:len(goodBody)-3])},
		{"more columns than bytes", encoding(t, []byte{1, 100, 1, 'x'})},
		{"kind 0", patch(func(p *tProfile) { p.Cols[0].Kind = 0 })},
		{"kind 6", patch(func(p *tProfile) { p.Cols[0].Kind = 6 })},
		{"numeric without counter", patch(func(p *tProfile) { p.Cols[0].Counter = nil })},
		{"sketched numeric without kll", patch(func(p *tProfile) { p.Cols[0].KLL = nil })},
		{"string without counter", patch(func(p *tProfile) { p.Cols[2].Counter = nil })},
		{"unsorted kll level", patch(func(p *tProfile) {
			l := p.Cols[0].KLL.Levels
			l[len(l)-1] = append(l[len(l)-1], -1)
		})},
		{"sampling level 63", patch(func(p *tProfile) { p.Cols[0].KLL.Base = 63 })},
		{"hll cut", patch(func(p *tProfile) {
			p.Cols = p.Cols[:1]
			p.Cols[0].Counter.HLL = p.Cols[0].Counter.HLL[:100]
			p.Cols[0].KLL = nil
		})},
		{"entry count too large", func() []byte {
			// A column whose counter claims 2^40 entries.
			b := (&tProfile{Rows: 1, Cols: []tColumn{{Name: "x", Type: "int64", Kind: 1, Counter: &tCounter{Exact: true}}}}).body()
			// The body ends: entries (0), has_hll (0), has_kll (0).
			i := len(b) - 3
			return encoding(t, append(append(b[:i:i], binary.AppendUvarint(nil, 1<<40)...), b[i+1:]...))
		}()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := profile.New([]profile.Spec{{Name: "keep", Type: "bool", Kind: profile.KindBool}}, 1)
			p.Rows = 42
			var err error
			if !noPanic(t, "UnmarshalBinary", func() { err = p.UnmarshalBinary(tt.data) }) {
				return
			}
			if !errors.Is(err, profile.ErrCorrupt) {
				t.Errorf("got error %v, want one wrapping ErrCorrupt", err)
			}
			if p.Rows != 42 || len(p.Columns) != 1 || p.Columns[0].Name != "keep" {
				t.Errorf("failed UnmarshalBinary changed the profile: rows %d, %d columns", p.Rows, len(p.Columns))
			}
		})
	}

	t.Run("prefixes", func(t *testing.T) {
		small := marshal(t, exactTable(50, 26).profile(mem, 1, 0, 50, 64))
		cuts := []struct {
			enc  []byte
			step int
		}{{small, 1}, {good, 1 + len(good)/500}}
		for _, c := range cuts {
			for n := 0; n < len(c.enc); n += c.step {
				var p profile.Profile
				if err := p.UnmarshalBinary(c.enc[:n]); !errors.Is(err, profile.ErrCorrupt) {
					t.Fatalf("first %d of %d bytes: got error %v, want ErrCorrupt", n, len(c.enc), err)
				}
			}
		}
	})
	t.Run("every body prefix", func(t *testing.T) {
		small := body(t, marshal(t, exactTable(50, 25).profile(mem, 1, 0, 50, 64)))
		for n := range len(small) {
			var p profile.Profile
			if err := p.UnmarshalBinary(encoding(t, small[:n])); !errors.Is(err, profile.ErrCorrupt) {
				t.Fatalf("first %d of %d body bytes: got error %v, want ErrCorrupt", n, len(small), err)
			}
		}
	})
}

// A body that decodes but holds figures no profile can have (bounds the
// wrong way round, as a damaged or hand-edited object may) must be
// rejected as corrupt, or at least not crash Summary and Merge.
func TestUnmarshalBinaryInconsistentState(t *testing.T) {
	mem := checkedAlloc(t)
	arr := int64s(mem, []int64{5, 5, 7})
	enc := marshal(t, profileOf(profile.Spec{Name: "x", Type: "int64", Kind: profile.KindInt}, 1, arr))
	arr.Release()
	tp, err := parseBody(body(t, enc))
	if err != nil {
		t.Fatal(err)
	}
	if tp.Cols[0].Ints[8] != 5 || tp.Cols[0].Ints[9] != 7 {
		t.Fatalf("layout: min_int, max_int = %d %d, want 5 7", tp.Cols[0].Ints[8], tp.Cols[0].Ints[9])
	}
	tests := []struct {
		name  string
		patch func(c *tColumn)
	}{
		{"min_int above max_int", func(c *tColumn) { c.Ints[8], c.Ints[9] = 7, 5 }},
		{"min_int far above max_int", func(c *tColumn) { c.Ints[8], c.Ints[9] = 1000, -1000 }},
		{"negative count", func(c *tColumn) { c.Counter.Entries[0].Count = -5 }},
		{"more nulls than rows", func(c *tColumn) { c.Ints[1] = 10 }},
		{"zero n with bounds", func(c *tColumn) { c.Ints[3] = 0 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := tp
			q.Cols = []tColumn{tp.Cols[0]}
			c := &q.Cols[0]
			k := *c.Counter
			k.Entries = append([]tEntry(nil), k.Entries...)
			c.Counter = &k
			tt.patch(c)
			var p profile.Profile
			err := p.UnmarshalBinary(encoding(t, q.body()))
			if err != nil {
				if !errors.Is(err, profile.ErrCorrupt) {
					t.Errorf("got error %v, want one wrapping ErrCorrupt", err)
				}
				return
			}
			noPanic(t, "Summary of the decoded profile", func() { p.Summary() })
			noPanic(t, "Merge of the decoded profile", func() {
				var o profile.Profile
				_ = o.UnmarshalBinary(encoding(t, q.body()))
				_ = p.Merge(&o)
			})
		})
	}
}

// sketchedInts is a small profile past the caps: one int64 column of
// 70,000 distinct values (a fuzz seed; large seeds make fuzzing crawl).
func sketchedInts(mem memory.Allocator) *profile.Profile {
	p := profile.New([]profile.Spec{{Name: "i", Type: "int64", Kind: profile.KindInt}}, 1)
	arr := int64s(mem, seq(0, 70_000))
	defer arr.Release()
	p.Columns[0].Add(arr)
	p.Rows = 70_000
	return p
}

// UnmarshalBinary never panics, and whatever it accepts it can encode,
// summarise and merge.
func FuzzUnmarshalBinary(f *testing.F) {
	mem := memory.NewGoAllocator()
	f.Add([]byte{})
	f.Add([]byte(codecHeader))
	f.Add(marshal(f, profile.New(nil, 0)))
	f.Add(marshal(f, exactTable(100, 31).profile(mem, 1, 0, 100, 33)))
	f.Add(marshal(f, sketchedInts(mem)))
	f.Fuzz(func(t *testing.T, data []byte) {
		var p profile.Profile
		if err := p.UnmarshalBinary(data); err != nil {
			if !errors.Is(err, profile.ErrCorrupt) {
				t.Fatalf("error %v does not wrap ErrCorrupt", err)
			}
			return
		}
		s := summaryJSON(t, p.Summary())
		q := unmarshal(t, marshal(t, &p))
		if g := summaryJSON(t, q.Summary()); g != s {
			t.Fatalf("re-decoded summary differs:\n got %s\nwant %s", g, s)
		}
		if err := q.Merge(&p); err != nil {
			t.Fatal(err)
		}
	})
}

// FuzzUnmarshalBody fuzzes the decompressed body, where the decoder's own
// checks do the work (the zstd checksum rejects nearly every mutation of a
// whole encoding). Whatever decodes must re-encode stably and merge.
func FuzzUnmarshalBody(f *testing.F) {
	mem := memory.NewGoAllocator()
	for _, p := range []*profile.Profile{
		profile.New(nil, 0),
		exactTable(60, 33).profile(mem, 1, 0, 60, 17),
		sketchedInts(mem),
	} {
		f.Add(body(f, marshal(f, p)))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var p profile.Profile
		if err := p.UnmarshalBinary(encoding(t, b)); err != nil {
			if !errors.Is(err, profile.ErrCorrupt) {
				t.Fatalf("error %v does not wrap ErrCorrupt", err)
			}
			return
		}
		// Summary is left out: decoded bounds the wrong way round make it
		// panic or loop (TestUnmarshalBinaryInconsistentState).
		once := marshal(t, &p)
		twice := marshal(t, unmarshal(t, once))
		if !bytes.Equal(once, twice) {
			t.Fatalf("re-encoding is not stable")
		}
		if err := unmarshal(t, once).Merge(unmarshal(t, once)); err != nil {
			t.Fatal(err)
		}
	})
}
