package dataset

import (
	"errors"
	"fmt"
	"io"
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/parquet-go/parquet-go"
)

// valueKind is how a column's values are laid out in pages and arrays.
type valueKind int

const (
	kindBool valueKind = iota
	kindInt32
	kindInt64
	kindFloat32
	kindFloat64
	kindBytes
)

func kindOf(t Type) valueKind {
	switch t {
	case Bool:
		return kindBool
	case Int32, Date:
		return kindInt32
	case Int64, TimestampMS, TimestampUS, TimestampNS:
		return kindInt64
	case Float32:
		return kindFloat32
	case Float64:
		return kindFloat64
	}
	return kindBytes
}

// columnReader copies one column chunk's pages into Arrow arrays, batch by
// batch. A page's values are either plain or dictionary indexes; optional
// columns carry one definition level per row and only non-null values.
type columnReader struct {
	col    Column
	dt     arrow.DataType
	kind   valueKind
	maxDef byte
	pages  parquet.Pages

	page parquet.Page
	defs []byte // nil for required columns
	rows int    // rows in page
	row  int    // next row in page
	val  int    // next (non-null) value in page

	idx   []int32 // dictionary indexes, nil for plain pages
	raw   []byte  // fixed-width values (plain, or the dictionary's)
	data  []byte  // byte-array values (plain, or the dictionary's)
	offs  []uint32
	dict  parquet.Dictionary
	dpage parquet.Page

	bytesPerRow int // byte-array values: the last batch's bytes per row
}

func (c *columnReader) close() {
	c.releasePage()
	if c.pages != nil {
		c.pages.Close()
		c.pages = nil
	}
}

func (c *columnReader) releasePage() {
	if c.page != nil {
		parquet.Release(c.page)
		c.page = nil
	}
}

var errShortChunk = errors.New("column chunk has fewer rows than its row group")

// nextPage loads the next page of the chunk.
func (c *columnReader) nextPage() (err error) {
	c.releasePage()
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("decode page: %v", r)
		}
	}()
	p, err := c.pages.ReadPage()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return errShortChunk
		}
		return err
	}
	c.page = p
	c.rows = int(p.NumRows())
	c.row, c.val = 0, 0
	c.defs = p.DefinitionLevels()
	if c.maxDef == 0 {
		c.defs = nil
	} else if len(c.defs) != c.rows {
		return fmt.Errorf("page has %d definition levels for %d rows", len(c.defs), c.rows)
	}
	values := p.Data()
	c.idx = nil
	if d := p.Dictionary(); d != nil {
		c.idx = values.Int32()
		if d != c.dict {
			c.dict = d
			c.dpage = d.Page()
		}
		values = c.dpage.Data()
	}
	switch c.kind {
	case kindBytes:
		c.data, c.offs = values.ByteArray()
	case kindBool:
		c.raw = values.Boolean()
	default:
		c.raw, _ = values.Data()
	}
	present := c.rows
	if c.defs != nil {
		present = 0
		for _, d := range c.defs {
			if d == c.maxDef {
				present++
			}
		}
	}
	if err := c.checkValues(present); err != nil {
		return err
	}
	return nil
}

// checkValues makes sure the page holds the values its levels promise, so
// that the copy loops cannot index out of range on a damaged file.
func (c *columnReader) checkValues(present int) error {
	limit := 0
	switch c.kind {
	case kindBytes:
		limit = len(c.offs) - 1
	case kindBool:
		limit = len(c.raw) * 8
	case kindInt32, kindFloat32:
		limit = len(c.raw) / 4
	default:
		limit = len(c.raw) / 8
	}
	if c.idx != nil {
		if len(c.idx) < present {
			return fmt.Errorf("page has %d values for %d rows", len(c.idx), present)
		}
		for _, i := range c.idx[:present] {
			if i < 0 || int(i) >= limit {
				return fmt.Errorf("dictionary index %d out of range [0, %d)", i, limit)
			}
		}
		return nil
	}
	if limit < present {
		return fmt.Errorf("page has %d values for %d rows", limit, present)
	}
	return nil
}

// read returns the next n rows of the column as an Arrow array.
func (c *columnReader) read(n int, alloc memory.Allocator) (arrow.Array, error) {
	var valid *memory.Buffer
	var bits []byte
	if c.maxDef > 0 {
		valid = memory.NewResizableBuffer(alloc)
		valid.Resize(int(bitutil.BytesForBits(int64(n))))
		bits = valid.Bytes()
		clear(bits)
	}
	release := func(bufs ...*memory.Buffer) {
		for _, b := range bufs {
			if b != nil {
				b.Release()
			}
		}
	}
	var (
		data  arrow.ArrayData
		nulls int
		err   error
	)
	switch c.kind {
	case kindBytes:
		offs := memory.NewResizableBuffer(alloc)
		offs.Resize((n + 1) * 4)
		vals := memory.NewResizableBuffer(alloc)
		nulls, err = c.fillBytes(n, arrow.Int32Traits.CastFromBytes(offs.Bytes()), vals, bits)
		if err != nil {
			release(valid, offs, vals)
			return nil, err
		}
		valid = dropValidity(valid, nulls)
		data = array.NewData(c.dt, n, []*memory.Buffer{valid, offs, vals}, nil, nulls, 0)
		release(valid, offs, vals)
	default:
		vals := memory.NewResizableBuffer(alloc)
		switch c.kind {
		case kindBool:
			vals.Resize(int(bitutil.BytesForBits(int64(n))))
			clear(vals.Bytes())
			nulls, err = c.fillBool(n, vals.Bytes(), bits)
		case kindInt32:
			vals.Resize(n * 4)
			nulls, err = fillFixed(c, n, arrow.Int32Traits.CastFromBytes(vals.Bytes()), bits)
		case kindInt64:
			vals.Resize(n * 8)
			nulls, err = fillFixed(c, n, arrow.Int64Traits.CastFromBytes(vals.Bytes()), bits)
		case kindFloat32:
			vals.Resize(n * 4)
			nulls, err = fillFixed(c, n, arrow.Float32Traits.CastFromBytes(vals.Bytes()), bits)
		case kindFloat64:
			vals.Resize(n * 8)
			nulls, err = fillFixed(c, n, arrow.Float64Traits.CastFromBytes(vals.Bytes()), bits)
		}
		if err != nil {
			release(valid, vals)
			return nil, err
		}
		valid = dropValidity(valid, nulls)
		data = array.NewData(c.dt, n, []*memory.Buffer{valid, vals}, nil, nulls, 0)
		release(valid, vals)
	}
	defer data.Release()
	return array.MakeFromData(data), nil
}

// dropValidity releases the validity bitmap of a batch without nulls.
func dropValidity(b *memory.Buffer, nulls int) *memory.Buffer {
	if b != nil && nulls == 0 {
		b.Release()
		return nil
	}
	return b
}

type fixedWidth interface {
	~int32 | ~int64 | ~float32 | ~float64
}

func castSlice[T fixedWidth](b []byte) []T {
	var zero T
	size := int(unsafe.Sizeof(zero))
	if len(b) < size {
		return nil
	}
	return unsafe.Slice((*T)(unsafe.Pointer(unsafe.SliceData(b))), len(b)/size)
}

// fillFixed copies n rows of fixed-width values into dst, setting validity
// bits when bits is not nil, and returns the number of nulls.
func fillFixed[T fixedWidth](c *columnReader, n int, dst []T, bits []byte) (int, error) {
	nulls := 0
	for at := 0; at < n; {
		if c.row >= c.rows {
			if err := c.nextPage(); err != nil {
				return 0, err
			}
			continue
		}
		k := min(n-at, c.rows-c.row)
		src := castSlice[T](c.raw)
		switch {
		case c.defs == nil && c.idx == nil:
			copy(dst[at:at+k], src[c.val:c.val+k])
			c.val += k
		case c.defs == nil:
			for i, j := range c.idx[c.val : c.val+k] {
				dst[at+i] = src[j]
			}
			c.val += k
		default:
			defs := c.defs[c.row : c.row+k]
			out := dst[at : at+k]
			v := c.val
			for i, d := range defs {
				if d != c.maxDef {
					out[i] = 0
					nulls++
					continue
				}
				if c.idx != nil {
					out[i] = src[c.idx[v]]
				} else {
					out[i] = src[v]
				}
				bits[(at+i)>>3] |= 1 << uint((at+i)&7)
				v++
			}
			c.val = v
		}
		if c.defs == nil && bits != nil {
			bitutil.SetBitsTo(bits, int64(at), int64(k), true)
		}
		c.row += k
		at += k
	}
	return nulls, nil
}

// fillBool copies n rows of booleans into the bitmap dst.
func (c *columnReader) fillBool(n int, dst, bits []byte) (int, error) {
	nulls := 0
	for at := 0; at < n; {
		if c.row >= c.rows {
			if err := c.nextPage(); err != nil {
				return 0, err
			}
			continue
		}
		k := min(n-at, c.rows-c.row)
		for i := range k {
			if c.defs != nil && c.defs[c.row+i] != c.maxDef {
				nulls++
				continue
			}
			j := c.val
			if c.idx != nil {
				j = int(c.idx[c.val])
			}
			if bitutil.BitIsSet(c.raw, j) {
				bitutil.SetBit(dst, at+i)
			}
			if bits != nil {
				bitutil.SetBit(bits, at+i)
			}
			c.val++
		}
		c.row += k
		at += k
	}
	return nulls, nil
}

// fillBytes copies n rows of byte arrays into Arrow offsets and data. The
// data buffer is reserved from the previous batch's size per row, so the
// values are usually written in place, in one copy.
func (c *columnReader) fillBytes(n int, offs []int32, vals *memory.Buffer, bits []byte) (int, error) {
	nulls := 0
	vals.Reserve(max(n*c.bytesPerRow+n/4, 64))
	buf := vals.Buf()[:0]
	offs[0] = 0
	for at := 0; at < n; {
		if c.row >= c.rows {
			if err := c.nextPage(); err != nil {
				return 0, err
			}
			continue
		}
		k := min(n-at, c.rows-c.row)
		if c.defs == nil && c.idx == nil {
			// Plain, required: one copy of the whole run.
			lo, hi := c.offs[c.val], c.offs[c.val+k]
			base := int64(len(buf)) - int64(lo)
			buf = append(buf, c.data[lo:hi]...)
			for i, o := range c.offs[c.val+1 : c.val+k+1] {
				offs[at+i+1] = int32(int64(o) + base)
			}
			c.val += k
			if bits != nil {
				bitutil.SetBitsTo(bits, int64(at), int64(k), true)
			}
		} else {
			for i := range k {
				if c.defs != nil && c.defs[c.row+i] != c.maxDef {
					nulls++
					offs[at+i+1] = int32(len(buf))
					continue
				}
				j := c.val
				if c.idx != nil {
					j = int(c.idx[c.val])
				}
				buf = append(buf, c.data[c.offs[j]:c.offs[j+1]]...)
				offs[at+i+1] = int32(len(buf))
				if bits != nil {
					bits[(at+i)>>3] |= 1 << uint((at+i)&7)
				}
				c.val++
			}
		}
		if len(buf) > 1<<31-1 {
			return 0, fmt.Errorf("batch holds more than 2 GiB of values")
		}
		c.row += k
		at += k
	}
	c.bytesPerRow = len(buf)/n + 1
	if len(buf) > 0 && &buf[0] != &vals.Buf()[0] {
		// The values outgrew the reservation: move them into vals.
		vals.ResizeNoShrink(len(buf))
		copy(vals.Bytes(), buf)
	} else {
		vals.ResizeNoShrink(len(buf))
	}
	return nulls, nil
}
