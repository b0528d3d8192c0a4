package profile

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/klauspost/compress/zstd"
)

// The binary form of a profile, stored as one object per dataset version
// (see dataset/FORMAT.md): the magic "ASPF", a format byte, then a
// zstd-compressed body of varints, little-endian float64s and
// length-prefixed byte strings, column after column.
const (
	codecMagic   = "ASPF"
	codecVersion = 2
)

// ErrCorrupt means a stored profile could not be decoded.
var ErrCorrupt = errors.New("corrupt profile")

// MarshalBinary encodes the profile state.
func (p *Profile) MarshalBinary() ([]byte, error) {
	var w writer
	w.uvarint(uint64(p.Rows))
	w.uvarint(uint64(len(p.Columns)))
	for _, c := range p.Columns {
		c.encode(&w)
	}
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedDefault), zstd.WithEncoderConcurrency(1))
	if err != nil {
		return nil, err
	}
	defer enc.Close()
	out := append([]byte(codecMagic), codecVersion)
	return enc.EncodeAll(w.b, out), nil
}

// UnmarshalBinary decodes a profile written by MarshalBinary. Damaged input
// gives an error wrapping ErrCorrupt, never a panic.
func (p *Profile) UnmarshalBinary(data []byte) (err error) {
	if len(data) < 5 || string(data[:4]) != codecMagic {
		return fmt.Errorf("%w: bad magic", ErrCorrupt)
	}
	if data[4] != codecVersion {
		return fmt.Errorf("%w: format %d, this assay reads %d", ErrCorrupt, data[4], codecVersion)
	}
	dec, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxMemory(1<<30))
	if err != nil {
		return err
	}
	defer dec.Close()
	body, err := dec.DecodeAll(data[5:], nil)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	r := &reader{b: body}
	rows := int64(r.uvarint())
	n := r.count(1)
	cols := make([]*Column, 0, n)
	for range n {
		if r.err != nil {
			break
		}
		cols = append(cols, decodeColumn(r))
	}
	if r.err == nil && len(r.b) != 0 {
		r.err = errors.New("trailing bytes")
	}
	if r.err != nil {
		return fmt.Errorf("%w: %v", ErrCorrupt, r.err)
	}
	p.Rows, p.Columns = rows, cols
	return nil
}

func (c *Column) encode(w *writer) {
	w.str(c.Name)
	w.str(c.Type)
	w.b = append(w.b, byte(c.Kind))
	w.u64(c.seed)
	for _, v := range []int64{c.rows, c.nulls, c.nans, c.n, c.trues, c.lenMin, c.lenMax, c.lenSum, c.minInt, c.maxInt} {
		w.varint(v)
	}
	for _, f := range []float64{c.mean, c.m2, c.min, c.max} {
		w.f64(f)
	}
	w.bool(c.hasBounds)
	w.bytes(c.minB)
	w.bytes(c.maxB)
	w.bool(c.counter != nil)
	if c.counter != nil {
		k := c.counter
		w.bool(k.exact)
		w.varint(k.offset)
		w.uvarint(uint64(len(k.entries)))
		for _, e := range k.entries {
			w.u64(e.hash)
			w.varint(e.count)
			if k.bytes {
				w.bytes(k.value(e))
			} else {
				w.u64(e.val)
			}
		}
		w.bool(k.hll.reg != nil)
		w.b = append(w.b, k.hll.reg...)
	}
	w.bool(c.kll != nil)
	if c.kll != nil {
		w.varint(c.kll.n)
		w.u64(c.kll.seed)
		w.uvarint(uint64(c.kll.base))
		w.uvarint(uint64(len(c.kll.buf)))
		for _, v := range c.kll.buf {
			w.f64(v)
		}
		w.uvarint(uint64(len(c.kll.levels)))
		for _, l := range c.kll.levels {
			w.uvarint(uint64(len(l)))
			for _, v := range l {
				w.f64(v)
			}
		}
	}
}

func decodeColumn(r *reader) *Column {
	c := &Column{Name: r.str(), Type: r.str(), Kind: Kind(r.byte())}
	c.seed = r.u64()
	for _, p := range []*int64{&c.rows, &c.nulls, &c.nans, &c.n, &c.trues, &c.lenMin, &c.lenMax, &c.lenSum, &c.minInt, &c.maxInt} {
		*p = r.varint()
	}
	for _, p := range []*float64{&c.mean, &c.m2, &c.min, &c.max} {
		*p = r.f64()
	}
	c.hasBounds = r.bool()
	c.minB, c.maxB = r.bytes(), r.bytes()
	if c.hasBounds && (c.minInt > c.maxInt || c.min > c.max || c.lenMin > c.lenMax) {
		r.fail("bounds")
	}
	if r.bool() {
		isBytes := c.Kind == KindString || c.Kind == KindBinary
		k := &counter{bytes: isBytes}
		k.exact = r.bool()
		k.offset = r.varint()
		n := r.count(9)
		k.entries = make([]entry, 0, n)
		for range n {
			e := entry{hash: r.u64(), count: r.varint()}
			if isBytes {
				b := r.bytes()
				e.val = uint64(len(k.arena))<<32 | uint64(len(b))
				k.arena = append(k.arena, b...)
			} else {
				e.val = r.u64()
			}
			k.entries = append(k.entries, e)
		}
		k.limit = ExactDistinctCap
		if !k.exact {
			k.limit = frequentCap
		}
		if r.bool() {
			k.hll.reg = r.take(hllRegisters)
		}
		size := 64
		for size < 2*len(k.entries)+2 {
			size *= 2
		}
		k.rehash(size)
		c.counter = k
	}
	if r.bool() {
		s := &kll{n: r.varint(), seed: r.u64()}
		s.base = r.count(1)
		if s.base > 62 {
			r.fail("sampling level")
		}
		s.buf = make([]float64, r.count(8))
		for i := range s.buf {
			s.buf[i] = r.f64()
		}
		nl := r.count(1)
		for range nl {
			m := r.count(8)
			l := make([]float64, m)
			for i := range l {
				l[i] = r.f64()
			}
			s.levels = append(s.levels, l)
		}
		for _, l := range s.levels {
			if !slices.IsSorted(l) {
				r.fail("unsorted sketch level")
			}
		}
		s.setCaps()
		c.kll = s
	}
	if r.err == nil {
		switch c.Kind {
		case KindInt, KindFloat:
			if c.counter == nil || (!c.counter.exact && c.kll == nil) {
				r.err = fmt.Errorf("column %q: numeric profile without sketches", c.Name)
			} else {
				c.counter.onOverflow = c.seedKLL
			}
		case KindString, KindBinary:
			if c.counter == nil {
				r.err = fmt.Errorf("column %q: string profile without counter", c.Name)
			}
		case KindBool:
		default:
			r.err = fmt.Errorf("column %q: unknown kind %d", c.Name, c.Kind)
		}
	}
	return c
}

type writer struct{ b []byte }

func (w *writer) uvarint(v uint64) { w.b = binary.AppendUvarint(w.b, v) }
func (w *writer) varint(v int64)   { w.b = binary.AppendVarint(w.b, v) }
func (w *writer) u64(v uint64)     { w.b = binary.LittleEndian.AppendUint64(w.b, v) }
func (w *writer) f64(v float64)    { w.u64(math.Float64bits(v)) }
func (w *writer) bytes(b []byte)   { w.uvarint(uint64(len(b))); w.b = append(w.b, b...) }
func (w *writer) str(s string)     { w.bytes([]byte(s)) }
func (w *writer) bool(v bool) {
	if v {
		w.b = append(w.b, 1)
	} else {
		w.b = append(w.b, 0)
	}
}

// reader decodes with bounds checks; the first problem sticks in err and
// every later read returns zero values.
type reader struct {
	b   []byte
	err error
}

func (r *reader) fail(what string) {
	if r.err == nil {
		r.err = fmt.Errorf("truncated %s", what)
	}
	r.b = nil
}

func (r *reader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.fail("varint")
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) varint() int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.fail("varint")
		return 0
	}
	r.b = r.b[n:]
	return v
}

// count reads a length whose items take at least size bytes each, and
// rejects lengths the remaining input cannot hold.
func (r *reader) count(size int) int {
	v := r.uvarint()
	if v > uint64(len(r.b)/size)+1 {
		r.fail("length")
		return 0
	}
	return int(v)
}

func (r *reader) take(n int) []byte {
	if n < 0 || n > len(r.b) {
		r.fail("bytes")
		return nil
	}
	b := append([]byte(nil), r.b[:n]...)
	r.b = r.b[n:]
	return b
}

func (r *reader) u64() uint64 {
	b := r.take(8)
	if b == nil {
		return 0
	}
	return binary.LittleEndian.Uint64(b)
}

func (r *reader) f64() float64 { return math.Float64frombits(r.u64()) }
func (r *reader) byte() byte {
	b := r.take(1)
	if b == nil {
		return 0
	}
	return b[0]
}
func (r *reader) bool() bool    { return r.byte() == 1 }
func (r *reader) str() string   { return string(r.bytes()) }
func (r *reader) bytes() []byte { return r.take(int(r.count(1))) }
