package drift

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"math"
	"slices"

	"github.com/assayhq/assay/dataset"
)

// Part is what a scan of a run of consecutive row groups of one side
// loads: per column, the sampled rows' values in row order (numbers, or
// category codes when concept or multivariate drift needs rows), and
// exact category, null and NaN counts over all the run's rows. Parts of
// adjacent runs merge; Finish compares the parts of all row groups of
// both sides. MarshalBinary and Plan.DecodePart move a part between
// machines.
type Part struct {
	side       Side
	fp         uint64 // the plan's fingerprint of the side
	first, end int    // row groups [first, end)
	rows       int64  // all rows of those row groups
	n          int    // sampled rows
	cols       []partCol
	used       bool // taken over by Finish
}

// partCol is one column of a part.
type partCol struct {
	cat bool
	// num holds a numeric column's sampled values, NaN for null.
	num []float64
	// A categorical column: its categories and their exact counts, and
	// the sampled rows' codes (indexes into names, -1 for null) when the
	// plan keeps rows. Scans list names sorted; merges append new ones.
	names  []string
	counts []int64
	codes  []int32
	index  *catTable // names' codes, built by the first merge
	nulls  int64
	nan    int64 // NaN in float columns (a value, not a null)
}

// Side returns the side the part is of.
func (q *Part) Side() Side { return q.side }

// RowGroups returns the run of row groups the part holds: first to end-1
// (indexes among the side's row groups, as dataset.RowGroup.Index).
func (q *Part) RowGroups() (first, end int) { return q.first, q.end }

// Merge adds o, the part of the row groups right after q's, to q; o is
// left as it was. Parts of other sides or plans, or of row groups not
// right after q's, are an error, and q is then unchanged.
func (q *Part) Merge(o *Part) error {
	switch {
	case o == nil:
		return fmt.Errorf("%w: merge with no part", dataset.ErrInvalid)
	case q == o:
		return fmt.Errorf("%w: a part merged with itself", dataset.ErrInvalid)
	case q.used || o.used:
		return fmt.Errorf("%w: merge of a part finished with", dataset.ErrInvalid)
	case q.side != o.side:
		return fmt.Errorf("%w: merge of a %s part into a %s part", dataset.ErrInvalid, o.side, q.side)
	case q.fp != o.fp || len(q.cols) != len(o.cols):
		return fmt.Errorf("%w: merge of parts made by different plans (other data or options)", dataset.ErrInvalid)
	case q.end != o.first:
		return fmt.Errorf("%w: %s part of row groups %d to %d does not follow row groups %d to %d", dataset.ErrInvalid, q.side, o.first, o.end-1, q.first, q.end-1)
	}
	for j := range q.cols {
		if q.cols[j].cat != o.cols[j].cat {
			return fmt.Errorf("%w: merge of parts made by different plans (column %d)", dataset.ErrInvalid, j)
		}
	}
	for j := range q.cols {
		qc, oc := &q.cols[j], &o.cols[j]
		qc.nulls += oc.nulls
		qc.nan += oc.nan
		if !qc.cat {
			qc.num = append(qc.num, oc.num...)
			continue
		}
		if qc.index == nil {
			qc.index = indexNames(qc.names)
		}
		remap := make([]int32, len(oc.names))
		for i, k := range oc.names {
			c, h := qc.index.lookup(k)
			if c < 0 {
				c = int32(len(qc.names))
				qc.index.insert(h, c)
				qc.names = append(qc.names, k)
				qc.counts = append(qc.counts, 0)
			}
			remap[i] = c
			qc.counts[c] += oc.counts[i]
		}
		qc.codes = slices.Grow(qc.codes, len(oc.codes))
		for _, c := range oc.codes {
			if c >= 0 {
				c = remap[c]
			}
			qc.codes = append(qc.codes, c)
		}
	}
	q.end = o.end
	q.rows += o.rows
	q.n += o.n
	return nil
}

// The encoding of a part (version 1), integers as unsigned varints but
// where said:
//
//	"ADRP" version(1 byte) side(1 byte) fingerprint(8 bytes, little-endian)
//	first end rows sampled columns
//	per column: kind(1 byte: 0 numeric, 1 categorical) nulls nan
//	  numeric: count, then count float64s (8 bytes each, little-endian bits)
//	  categorical: names, then per name its length, bytes and count;
//	    codes, then each code+1 in 1, 2 or 4 bytes (little-endian; the
//	    fewest that hold names+1)
//	CRC-32C of all the above (4 bytes, little-endian)
const (
	partMagic   = "ADRP"
	partVersion = 1
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// indexNames returns a table of names' codes (their positions); a name
// listed twice keeps its first code, and the table counts it once.
func indexNames(names []string) *catTable {
	t := &catTable{}
	for i, k := range names {
		if c, h := t.lookup(k); c < 0 {
			t.insert(h, int32(i))
		}
	}
	return t
}

// codeWidth is the bytes a code+1 takes among names categories.
func codeWidth(names int) int {
	switch {
	case names < 1<<8-1:
		return 1
	case names < 1<<16-1:
		return 2
	}
	return 4
}

// MarshalBinary encodes the part (floats exactly, as their bits).
func (q *Part) MarshalBinary() ([]byte, error) {
	if q.used {
		return nil, fmt.Errorf("%w: encoding of a part finished with", dataset.ErrInvalid)
	}
	size := 64
	for j := range q.cols {
		c := &q.cols[j]
		size += 32 + 8*len(c.num) + codeWidth(len(c.names))*len(c.codes)
		for _, k := range c.names {
			size += len(k) + 2*binary.MaxVarintLen64
		}
	}
	b := make([]byte, 0, size)
	b = append(b, partMagic...)
	b = append(b, partVersion, byte(q.side))
	b = binary.LittleEndian.AppendUint64(b, q.fp)
	for _, v := range []uint64{uint64(q.first), uint64(q.end), uint64(q.rows), uint64(q.n), uint64(len(q.cols))} {
		b = binary.AppendUvarint(b, v)
	}
	for j := range q.cols {
		c := &q.cols[j]
		kind := byte(0)
		if c.cat {
			kind = 1
		}
		b = append(b, kind)
		b = binary.AppendUvarint(b, uint64(c.nulls))
		b = binary.AppendUvarint(b, uint64(c.nan))
		if !c.cat {
			b = binary.AppendUvarint(b, uint64(len(c.num)))
			off := len(b)
			b = b[:off+8*len(c.num)]
			for i, v := range c.num {
				binary.LittleEndian.PutUint64(b[off+8*i:], math.Float64bits(v))
			}
			continue
		}
		b = binary.AppendUvarint(b, uint64(len(c.names)))
		for i, k := range c.names {
			b = binary.AppendUvarint(b, uint64(len(k)))
			b = append(b, k...)
			b = binary.AppendUvarint(b, uint64(c.counts[i]))
		}
		b = binary.AppendUvarint(b, uint64(len(c.codes)))
		w := codeWidth(len(c.names))
		off := len(b)
		b = slices.Grow(b, w*len(c.codes))[:off+w*len(c.codes)]
		for i, k := range c.codes {
			v := uint32(k + 1)
			switch w {
			case 1:
				b[off+i] = byte(v)
			case 2:
				binary.LittleEndian.PutUint16(b[off+2*i:], uint16(v))
			default:
				binary.LittleEndian.PutUint32(b[off+4*i:], v)
			}
		}
	}
	return binary.LittleEndian.AppendUint32(b, crc32.Checksum(b, castagnoli)), nil
}

// errPart is the error of a damaged or foreign encoding.
var errPart = errors.New("not a drift part of this comparison")

// partReader reads an encoding; the first error sticks.
type partReader struct {
	b   []byte
	err error
}

func (r *partReader) fail(format string, args ...any) {
	if r.err == nil {
		r.err = fmt.Errorf("%w: %w: "+format, append([]any{dataset.ErrCorrupt, errPart}, args...)...)
	}
}

func (r *partReader) uvarint(what string) uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.fail("%s: bad or missing number", what)
		return 0
	}
	r.b = r.b[n:]
	return v
}

// take returns the next n·size bytes.
func (r *partReader) take(n uint64, size int, what string) []byte {
	if r.err != nil {
		return nil
	}
	if n > uint64(len(r.b))/uint64(size) {
		r.fail("%s: %d items of %d bytes in %d bytes left", what, n, size, len(r.b))
		return nil
	}
	out := r.b[:int(n)*size]
	r.b = r.b[int(n)*size:]
	return out
}

// upTo reads a count that must not exceed limit.
func (r *partReader) upTo(limit int64, what string) int64 {
	v := r.uvarint(what)
	if r.err == nil && v > uint64(limit) {
		r.fail("%s %d is over %d", what, v, limit)
		return 0
	}
	return int64(v)
}

// DecodePart decodes a part that MarshalBinary encoded, checking it
// against the plan: its side, fingerprint and row groups, and that its
// counts agree. Damaged or foreign input is an error wrapping
// dataset.ErrCorrupt.
func (p *Plan) DecodePart(data []byte) (*Part, error) {
	const head = len(partMagic) + 2 + 8
	if len(data) < head+4 {
		return nil, fmt.Errorf("%w: %w: %d bytes", dataset.ErrCorrupt, errPart, len(data))
	}
	body := data[:len(data)-4]
	switch {
	case string(data[:len(partMagic)]) != partMagic:
		return nil, fmt.Errorf("%w: %w: no %s mark", dataset.ErrCorrupt, errPart, partMagic)
	case data[len(partMagic)] != partVersion:
		return nil, fmt.Errorf("%w: %w: format version %d (this build reads %d)", dataset.ErrCorrupt, errPart, data[len(partMagic)], partVersion)
	case crc32.Checksum(body, castagnoli) != binary.LittleEndian.Uint32(data[len(body):]):
		return nil, fmt.Errorf("%w: %w: checksum mismatch (damaged)", dataset.ErrCorrupt, errPart)
	}
	s := Side(data[len(partMagic)+1])
	sc, err := p.scanner(s)
	if err != nil {
		return nil, err
	}
	q := &Part{side: s, fp: binary.LittleEndian.Uint64(data[len(partMagic)+2:])}
	if q.fp != p.fp[s] {
		return nil, fmt.Errorf("%w: %w: the %s part was made by another plan (other data or options)", dataset.ErrCorrupt, errPart, s)
	}
	r := &partReader{b: body[head:]}
	groups := sc.RowGroups()
	q.first = int(r.upTo(int64(len(groups)), "first row group"))
	q.end = int(r.upTo(int64(len(groups)), "end row group"))
	rows := r.upTo(math.MaxInt64, "rows")
	n := r.upTo(rows, "sampled rows")
	ncols := r.uvarint("columns")
	if r.err != nil {
		return nil, r.err
	}
	if q.first > q.end {
		return nil, fmt.Errorf("%w: %w: row groups %d to %d", dataset.ErrCorrupt, errPart, q.first, q.end-1)
	}
	for _, rg := range groups[q.first:q.end] {
		q.rows += rg.NumRows
	}
	switch {
	case rows != q.rows:
		return nil, fmt.Errorf("%w: %w: %d rows in row groups %d to %d of %d rows", dataset.ErrCorrupt, errPart, rows, q.first, q.end-1, q.rows)
	case p.rate[s] >= 1 && n != rows:
		return nil, fmt.Errorf("%w: %w: %d of %d rows sampled, unsampled", dataset.ErrCorrupt, errPart, n, rows)
	case ncols != uint64(len(p.read)):
		return nil, fmt.Errorf("%w: %w: %d columns, not %d", dataset.ErrCorrupt, errPart, ncols, len(p.read))
	}
	q.n = int(n)
	q.cols = make([]partCol, len(p.read))
	for j, col := range p.read {
		c := &q.cols[j]
		c.cat = categorical(col)
		kind := r.take(1, 1, "kind")
		if r.err == nil && (kind[0] > 1 || (kind[0] == 1) != c.cat) {
			r.fail("column %q: kind %d", col.Name, kind[0])
		}
		c.nulls = r.upTo(rows, "nulls")
		c.nan = r.upTo(rows-c.nulls, "NaNs")
		if !c.cat {
			if cnt := r.uvarint("values"); r.err == nil && cnt != uint64(n) {
				r.fail("column %q: %d values of %d sampled rows", col.Name, cnt, n)
			}
			raw := r.take(uint64(n), 8, "values")
			if r.err != nil {
				return nil, r.err
			}
			c.num = make([]float64, n)
			for i := range c.num {
				c.num[i] = math.Float64frombits(binary.LittleEndian.Uint64(raw[8*i:]))
			}
			continue
		}
		if r.err == nil && c.nan != 0 {
			r.fail("column %q: NaNs among categories", col.Name)
		}
		values := rows - c.nulls
		names := r.upTo(min(values, math.MaxInt32), "categories")
		if r.err != nil {
			return nil, r.err
		}
		// Each name takes at least 2 bytes: its length and its count.
		if uint64(names) > uint64(len(r.b))/2 {
			return nil, fmt.Errorf("%w: %w: column %q: %d categories in %d bytes", dataset.ErrCorrupt, errPart, col.Name, names, len(r.b))
		}
		c.names, c.counts = make([]string, names), make([]int64, names)
		var sum int64
		for i := range c.names {
			c.names[i] = string(r.take(r.uvarint("name length"), 1, "name"))
			c.counts[i] = r.upTo(values-sum, "category count")
			if r.err == nil && c.counts[i] == 0 {
				r.fail("column %q: category %q counted 0 times", col.Name, c.names[i])
			}
			if r.err != nil {
				return nil, r.err
			}
			sum += c.counts[i]
		}
		if sum != values {
			return nil, fmt.Errorf("%w: %w: column %q: %d values counted of %d", dataset.ErrCorrupt, errPart, col.Name, sum, values)
		}
		if !strictlySorted(c.names) {
			// A merged part's: in order of first appearance.
			c.index = indexNames(c.names)
			if c.index.n != len(c.names) {
				return nil, fmt.Errorf("%w: %w: column %q: a category listed twice", dataset.ErrCorrupt, errPart, col.Name)
			}
		}
		want := uint64(0)
		if p.rows {
			want = uint64(n)
		}
		if cnt := r.uvarint("codes"); r.err == nil && cnt != want {
			r.fail("column %q: %d codes, not %d", col.Name, cnt, want)
		}
		w := codeWidth(int(names))
		raw := r.take(want, w, "codes")
		if r.err != nil {
			return nil, r.err
		}
		if want > 0 {
			c.codes = make([]int32, want)
		}
		for i := range c.codes {
			var v uint32
			switch w {
			case 1:
				v = uint32(raw[i])
			case 2:
				v = uint32(binary.LittleEndian.Uint16(raw[2*i:]))
			default:
				v = binary.LittleEndian.Uint32(raw[4*i:])
			}
			if v > uint32(names) {
				return nil, fmt.Errorf("%w: %w: column %q: code %d of %d categories", dataset.ErrCorrupt, errPart, col.Name, int64(v)-1, names)
			}
			c.codes[i] = int32(v) - 1
		}
	}
	if r.err != nil {
		return nil, r.err
	}
	if len(r.b) > 0 {
		return nil, fmt.Errorf("%w: %w: %d bytes after the last column", dataset.ErrCorrupt, errPart, len(r.b))
	}
	return q, nil
}

// strictlySorted reports whether names are sorted and distinct.
func strictlySorted(names []string) bool {
	for i := 1; i < len(names); i++ {
		if names[i-1] >= names[i] {
			return false
		}
	}
	return true
}
