package expr

import (
	"encoding/binary"
	"fmt"
	"time"
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// Evaluator evaluates a Program over record batches. It holds the scratch
// buffers of every operation and reuses them from batch to batch; it is
// not safe for concurrent use: make one per worker goroutine.
type Evaluator struct {
	p      *Program
	n      int
	slots  []slot
	cols   []Vector // bound columns, in Program.cols order
	colBuf []slot
	schema *arrow.Schema // schema of the last bound record
	colIdx []int
	fb     *fallbackRun
	// zeroBuf is an all-false null mask for columns without nulls.
	zeroBuf []bool
}

// slot is the scratch of one operation: its output Vector (whose slices
// may view these buffers, a child's buffers or a record's) and the buffers
// it owns.
type slot struct {
	v      Vector
	nulls  []bool
	bools  []bool
	ints   []int64
	floats []float64
	offs   []int32
	data   []byte
	filled int // constants: rows broadcast so far
}

// NewEvaluator returns an evaluator of p.
func (p *Program) NewEvaluator() *Evaluator {
	e := &Evaluator{
		p:      p,
		slots:  make([]slot, p.nslots),
		cols:   make([]Vector, len(p.cols)),
		colBuf: make([]slot, len(p.cols)),
		colIdx: make([]int, len(p.cols)),
	}
	if p.fb != nil {
		e.fb = p.fb.newRun()
	}
	return e
}

// Eval evaluates the program over the rows of rec, whose columns are
// found by name. The result is valid until the next call.
func (e *Evaluator) Eval(rec arrow.RecordBatch) (v *Vector, err error) {
	defer func() {
		if r := recover(); r != nil {
			v, err = nil, fmt.Errorf("%w: %v", ErrEval, r)
		}
	}()
	if err := e.bind(rec); err != nil {
		return nil, err
	}
	if e.fb != nil {
		return e.fb.eval(e)
	}
	return e.p.root.eval(e), nil
}

// EvalBool evaluates a Bool (or Null) program over the rows of rec and
// writes one verdict per row to out, which must hold at least as many
// bytes as rec has rows: 0 for false, 1 for true, 2 for null.
func (e *Evaluator) EvalBool(rec arrow.RecordBatch, out []byte) error {
	if t := e.p.typ; t != Bool && t != Null {
		return fmt.Errorf("%w: the expression is %s, not bool", ErrEval, t)
	}
	if int64(len(out)) < rec.NumRows() {
		return fmt.Errorf("%w: %d rows, room for %d verdicts", ErrEval, rec.NumRows(), len(out))
	}
	v, err := e.Eval(rec)
	if err != nil {
		return err
	}
	verdicts(v, out[:v.Len])
	return nil
}

// verdicts writes 0, 1 or 2 (null) per row of a Bool or Null vector.
func verdicts(v *Vector, out []byte) {
	n := len(out)
	if v.Type == Null {
		for i := range out {
			out[i] = 2
		}
		return
	}
	b := byteView(v.Bools[:n])
	if v.Nulls == nil {
		copy(out, b)
		return
	}
	verdictBytes(out, b, byteView(v.Nulls[:n]))
}

// bind points e.cols at the referenced columns of rec, converting where
// the vector layout differs from Arrow's.
func (e *Evaluator) bind(rec arrow.RecordBatch) error {
	n := int(rec.NumRows())
	e.n = n
	if len(e.p.cols) == 0 {
		return nil
	}
	if sch := rec.Schema(); sch != e.schema {
		for i, c := range e.p.cols {
			idx := sch.FieldIndices(c.name)
			if len(idx) == 0 {
				e.schema = nil
				return fmt.Errorf("%w: the record has no column %q", ErrEval, c.name)
			}
			e.colIdx[i] = idx[0]
		}
		e.schema = sch
	}
	for i, c := range e.p.cols {
		arr := rec.Column(e.colIdx[i])
		if arr.Len() != n {
			return fmt.Errorf("%w: column %q has %d rows, the record %d", ErrEval, c.name, arr.Len(), n)
		}
		if err := bindArray(&e.colBuf[i], &e.cols[i], arr, c); err != nil {
			return err
		}
	}
	return nil
}

// bindArray makes v a view of arr (copying only where types widen).
func bindArray(s *slot, v *Vector, arr arrow.Array, c colRef) error {
	n := arr.Len()
	*v = Vector{Type: c.t, Len: n, Unit: c.unit}
	mismatch := func() error {
		return fmt.Errorf("%w: column %q is %s in the record, %s in the schema", ErrEval, c.name, arr.DataType(), c.t)
	}
	if arr.DataType().ID() == arrow.NULL {
		s.nulls = grow(s.nulls, n)
		fill(s.nulls, true)
		v.Nulls = s.nulls
		switch c.t {
		case Bool:
			v.Bools = grow(s.bools, n)
			s.bools = v.Bools
		case Int, Time, Duration:
			v.Ints = grow(s.ints, n)
			s.ints = v.Ints
		case Float:
			v.Floats = grow(s.floats, n)
			s.floats = v.Floats
		case String:
			s.offs = grow(s.offs, n+1)
			clear(s.offs)
			v.Offsets = s.offs
		}
		return nil
	}
	if arr.NullN() > 0 {
		s.nulls = grow(s.nulls, n)
		expandBits(s.nulls, arr.NullBitmapBytes(), arr.Data().Offset(), true)
		v.Nulls = s.nulls
	}
	switch a := arr.(type) {
	case *array.Boolean:
		if c.t != Bool {
			return mismatch()
		}
		s.bools = grow(s.bools, n)
		if vb := a.Data().Buffers()[1]; vb != nil {
			expandBits(s.bools, vb.Bytes(), a.Data().Offset(), false)
		} else {
			clear(s.bools)
		}
		v.Bools = s.bools
	case *array.Int64:
		if c.t != Int {
			return mismatch()
		}
		v.Ints = a.Int64Values()
	case *array.Int32:
		if c.t != Int {
			return mismatch()
		}
		s.ints = widen(s.ints, a.Int32Values())
		v.Ints = s.ints
	case *array.Int16:
		if c.t != Int {
			return mismatch()
		}
		s.ints = widen(s.ints, a.Int16Values())
		v.Ints = s.ints
	case *array.Int8:
		if c.t != Int {
			return mismatch()
		}
		s.ints = widen(s.ints, a.Int8Values())
		v.Ints = s.ints
	case *array.Float64:
		if c.t != Float {
			return mismatch()
		}
		v.Floats = a.Float64Values()
	case *array.Float32:
		if c.t != Float {
			return mismatch()
		}
		s.floats = grow(s.floats, n)
		for i, x := range a.Float32Values() {
			s.floats[i] = float64(x)
		}
		v.Floats = s.floats
	case *array.String:
		if c.t != String {
			return mismatch()
		}
		v.Offsets = a.ValueOffsets()
		v.Data = valueBuffer(a.Data())
	case *array.Binary:
		if c.t != String {
			return mismatch()
		}
		v.Offsets = a.ValueOffsets()
		v.Data = valueBuffer(a.Data())
	case *array.Date32:
		if c.t != Time {
			return mismatch()
		}
		s.ints = widen(s.ints, a.Date32Values())
		return rescaleBound(s, v, s.ints, day, c.unit)
	case *array.Date64:
		if c.t != Time {
			return mismatch()
		}
		vals := a.Date64Values()
		return rescaleBound(s, v, unsafe.Slice((*int64)(unsafe.Pointer(unsafe.SliceData(vals))), len(vals)), time.Millisecond, c.unit)
	case *array.Timestamp:
		if c.t != Time {
			return mismatch()
		}
		vals := a.TimestampValues()
		unit := a.DataType().(*arrow.TimestampType).Unit.Multiplier()
		return rescaleBound(s, v, unsafe.Slice((*int64)(unsafe.Pointer(unsafe.SliceData(vals))), len(vals)), unit, c.unit)
	default:
		return mismatch()
	}
	return nil
}

// rescaleBound sets v.Ints to ticks (of unit from) in unit to, the
// schema's unit.
func rescaleBound(s *slot, v *Vector, ticks []int64, from, to time.Duration) error {
	v.Unit = to
	switch {
	case from == to:
		v.Ints = ticks
	case from > to:
		s.ints = grow(s.ints, len(ticks))
		rescale(s.ints, ticks, int64(from/to))
		v.Ints = s.ints
	default:
		// A finer record than schema: round down to the schema's unit.
		k := int64(to / from)
		s.ints = grow(s.ints, len(ticks))
		for i, t := range ticks {
			q := t / k
			if t%k < 0 {
				q--
			}
			s.ints[i] = q
		}
		v.Ints = s.ints
	}
	return nil
}

// valueBuffer returns the whole values buffer of a string or binary
// array (offsets index into it).
func valueBuffer(d arrow.ArrayData) []byte {
	bufs := d.Buffers()
	if len(bufs) < 3 || bufs[2] == nil {
		return nil
	}
	return bufs[2].Bytes()
}

func widen[T ~int8 | ~int16 | ~int32](dst []int64, src []T) []int64 {
	dst = grow(dst, len(src))
	dst = dst[:len(src)]
	for i, x := range src {
		dst[i] = int64(x)
	}
	return dst
}

// grow returns s with length n, reallocating when its capacity is short.
func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

func fill[T any](s []T, v T) {
	for i := range s {
		s[i] = v
	}
}

// bitLUT[b] holds the eight bits of b as eight bytes (0 or 1), least
// significant bit first; inverted in bitLUTNot.
var bitLUT, bitLUTNot = func() (a, b [256]uint64) {
	for x := range 256 {
		var v, w uint64
		for j := range 8 {
			if x>>j&1 == 1 {
				v |= 1 << (8 * j)
			} else {
				w |= 1 << (8 * j)
			}
		}
		a[x], b[x] = v, w
	}
	return
}()

// expandBits writes one bool per bit of bits, starting at bit offset, to
// dst; inverted when not is set (validity → nulls).
func expandBits(dst []bool, bits []byte, offset int, not bool) {
	n := len(dst)
	out := byteView(dst)
	lut := &bitLUT
	if not {
		lut = &bitLUTNot
	}
	i := 0
	if offset%8 == 0 {
		aligned := bits[offset/8:]
		for ; i+8 <= n; i += 8 {
			binary.LittleEndian.PutUint64(out[i:i+8], lut[aligned[i/8]])
		}
	}
	for ; i < n; i++ {
		bit := bits[(offset+i)/8] >> ((offset + i) % 8) & 1
		if not {
			bit ^= 1
		}
		out[i] = bit
	}
}
