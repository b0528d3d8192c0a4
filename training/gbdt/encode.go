package gbdt

import (
	"encoding"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"math"

	"github.com/assayhq/assay/training/frame"
)

// formatVersion is the version of the binary model format, described in
// doc.go. Decoders reject other versions.
const formatVersion = 1

var (
	_ encoding.BinaryMarshaler   = (*Model)(nil)
	_ encoding.BinaryUnmarshaler = (*Model)(nil)
)

var (
	magic    = [4]byte{'G', 'B', 'D', 'T'}
	crcTable = crc32.MakeTable(crc32.Castagnoli)
)

// MarshalBinary encodes the model in the format described in the package
// documentation.
func (m *Model) MarshalBinary() ([]byte, error) {
	w := &writer{b: make([]byte, 0, 1024)}
	w.b = append(w.b, magic[:]...)
	w.b = binary.LittleEndian.AppendUint16(w.b, formatVersion)

	p := &m.params
	w.str(string(p.Loss))
	w.f64(p.LearningRate)
	w.uvarint(uint64(p.MaxIter))
	w.uvarint(uint64(p.MaxLeafNodes))
	w.uvarint(uint64(p.MaxDepth))
	w.uvarint(uint64(p.MinSamplesLeaf))
	w.f64(p.L2Regularization)
	w.uvarint(uint64(p.MaxBins))
	w.str(string(p.EarlyStopping))
	w.f64(p.ValidationFraction)
	w.uvarint(uint64(p.NIterNoChange))
	w.f64(p.Tol)
	w.u64(p.Seed)

	w.u8(uint8(m.task))
	w.u8(uint8(m.loss))
	w.str(m.target)
	w.uvarint(uint64(len(m.classes)))
	for _, c := range m.classes {
		w.str(c)
	}
	w.uvarint(uint64(len(m.features)))
	for _, f := range m.features {
		w.str(f.name)
		w.u8(uint8(f.kind))
		if f.kind == frame.Categorical {
			w.uvarint(uint64(len(f.levels)))
			for i, lv := range f.levels {
				w.str(lv)
				w.bool(f.seen[i])
			}
		}
	}
	w.uvarint(uint64(m.k))
	for _, v := range m.baseline {
		w.f64(v)
	}
	w.uvarint(uint64(len(m.trees)))
	for i := range m.trees {
		t := &m.trees[i]
		w.uvarint(uint64(len(t.nodes)))
		for _, n := range t.nodes {
			w.varint(int64(n.feature))
			if n.feature >= 0 {
				w.uvarint(uint64(n.left))
				w.f64(n.threshold)
				w.varint(int64(n.cats))
				w.bool(n.missLeft)
				w.f64(n.gain)
			}
			w.f64(n.value)
			w.uvarint(uint64(n.count))
		}
		w.uvarint(uint64(len(t.cats)))
		for _, s := range t.cats {
			for _, word := range s {
				w.u64(word)
			}
		}
	}
	for _, losses := range [][]float64{m.trainLoss, m.validLoss} {
		w.uvarint(uint64(len(losses)))
		for _, v := range losses {
			w.f64(v)
		}
	}
	w.b = binary.LittleEndian.AppendUint32(w.b, crc32.Checksum(w.b, crcTable))
	return w.b, nil
}

// UnmarshalBinary decodes a model encoded by MarshalBinary, replacing m.
// Bytes that are not such a model give an error wrapping ErrCorrupt.
func (m *Model) UnmarshalBinary(data []byte) error {
	dm, err := decode(data)
	if err != nil {
		return err
	}
	*m = *dm
	return nil
}

func decode(data []byte) (*Model, error) {
	const head = len(magic) + 2
	if len(data) < head+4 || [4]byte(data[:4]) != magic {
		return nil, fmt.Errorf("%w: not a gbdt model", ErrCorrupt)
	}
	if v := binary.LittleEndian.Uint16(data[4:]); v != formatVersion {
		return nil, fmt.Errorf("%w: format version %d, this build reads %d", ErrCorrupt, v, formatVersion)
	}
	body := data[:len(data)-4]
	if got, want := crc32.Checksum(body, crcTable), binary.LittleEndian.Uint32(data[len(data)-4:]); got != want {
		return nil, fmt.Errorf("%w: checksum %08x, want %08x", ErrCorrupt, got, want)
	}
	r := &reader{b: body, off: head}
	m := &Model{}
	p := &m.params
	p.Loss = Loss(r.str())
	p.LearningRate = r.f64()
	p.MaxIter = r.int()
	p.MaxLeafNodes = r.int()
	p.MaxDepth = r.int()
	p.MinSamplesLeaf = r.int()
	p.L2Regularization = r.f64()
	p.MaxBins = r.int()
	p.EarlyStopping = EarlyStopping(r.str())
	p.ValidationFraction = r.f64()
	p.NIterNoChange = r.int()
	p.Tol = r.f64()
	p.Seed = r.u64()

	m.task = frame.Task(r.u8())
	m.loss = lossKind(r.u8())
	m.target = r.str()
	if n := r.count(1); n > 0 {
		m.classes = make([]string, n)
		for i := range m.classes {
			m.classes[i] = r.str()
		}
	}
	m.features = make([]featureInfo, r.count(2))
	for i := range m.features {
		f := &m.features[i]
		f.name = r.str()
		f.kind = frame.Kind(r.u8())
		if f.kind == frame.Categorical {
			n := r.count(2)
			f.levels = make([]string, n)
			f.seen = make([]bool, n)
			for j := range n {
				f.levels[j] = r.str()
				f.seen[j] = r.bool()
			}
		}
	}
	m.k = r.count(8)
	m.baseline = make([]float64, m.k)
	for i := range m.baseline {
		m.baseline[i] = r.f64()
	}
	m.trees = make([]tree, r.count(2))
	for i := range m.trees {
		t := &m.trees[i]
		t.nodes = make([]node, r.count(10))
		for j := range t.nodes {
			n := &t.nodes[j]
			n.feature = r.int32()
			n.cats = -1
			if n.feature >= 0 {
				n.left = int32(r.int())
				n.threshold = r.f64()
				n.cats = r.int32()
				n.missLeft = r.bool()
				n.gain = r.f64()
			}
			n.value = r.f64()
			n.count = int32(r.int())
		}
		t.cats = make([]bitset, r.count(32))
		for j := range t.cats {
			for w := range t.cats[j] {
				t.cats[j][w] = r.u64()
			}
		}
	}
	m.trainLoss = r.floats()
	m.validLoss = r.floats()
	if r.err != nil {
		return nil, r.err
	}
	if r.off != len(r.b) {
		return nil, fmt.Errorf("%w: %d bytes after the model", ErrCorrupt, len(r.b)-r.off)
	}
	if err := m.check(); err != nil {
		return nil, err
	}
	m.compile()
	return m, nil
}

// check verifies that a decoded model is one Train could have made, as
// far as prediction depends on it.
func (m *Model) check() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: "+format, append([]any{ErrCorrupt}, args...)...)
	}
	if err := m.params.Validate(); err != nil {
		return fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	switch {
	case m.task == frame.Regression && m.loss == lossSquared && m.k == 1 && len(m.classes) == 0:
	case m.task == frame.Classification && m.loss == lossBinary && m.k == 1 && len(m.classes) == 2:
	case m.task == frame.Classification && m.loss == lossMulti && m.k > 2 && len(m.classes) == m.k:
	default:
		return bad("task %d, loss %d, %d scores, %d classes do not fit", m.task, m.loss, m.k, len(m.classes))
	}
	if len(m.features) == 0 {
		return bad("no features")
	}
	names := make(map[string]bool, len(m.features))
	for _, f := range m.features {
		if names[f.name] {
			return bad("feature %s appears twice", f.name)
		}
		names[f.name] = true
		if f.kind != frame.Numeric && f.kind != frame.Categorical {
			return bad("feature %s: kind %d", f.name, f.kind)
		}
		if len(f.levels) > 255 {
			return bad("feature %s: %d levels", f.name, len(f.levels))
		}
	}
	if len(m.trees)%m.k != 0 {
		return bad("%d trees for %d scores per iteration", len(m.trees), m.k)
	}
	for i := range m.trees {
		t := &m.trees[i]
		if len(t.nodes) == 0 {
			return bad("tree %d has no nodes", i)
		}
		for j, n := range t.nodes {
			if n.feature < 0 {
				if n.feature != -1 {
					return bad("tree %d, node %d: feature %d", i, j, n.feature)
				}
				continue
			}
			if int(n.feature) >= len(m.features) {
				return bad("tree %d, node %d: feature %d of %d", i, j, n.feature, len(m.features))
			}
			if n.left <= int32(j) || int(n.left)+1 >= len(t.nodes) {
				return bad("tree %d, node %d: children %d and %d out of order or range", i, j, n.left, n.left+1)
			}
			categ := m.features[n.feature].kind == frame.Categorical
			if categ != (n.cats >= 0) || int(n.cats) >= len(t.cats) {
				return bad("tree %d, node %d: category set %d does not fit the feature", i, j, n.cats)
			}
		}
	}
	return nil
}

type writer struct{ b []byte }

func (w *writer) u8(v uint8)       { w.b = append(w.b, v) }
func (w *writer) u64(v uint64)     { w.b = binary.LittleEndian.AppendUint64(w.b, v) }
func (w *writer) f64(v float64)    { w.u64(math.Float64bits(v)) }
func (w *writer) uvarint(v uint64) { w.b = binary.AppendUvarint(w.b, v) }
func (w *writer) varint(v int64)   { w.b = binary.AppendVarint(w.b, v) }
func (w *writer) str(s string)     { w.uvarint(uint64(len(s))); w.b = append(w.b, s...) }
func (w *writer) bool(v bool) {
	if v {
		w.u8(1)
	} else {
		w.u8(0)
	}
}

// reader decodes what writer encodes. After the first error every read
// returns zero and err keeps that error.
type reader struct {
	b   []byte
	off int
	err error
}

func (r *reader) fail(what string) {
	if r.err == nil {
		r.err = fmt.Errorf("%w: bad %s at byte %d", ErrCorrupt, what, r.off)
	}
}

func (r *reader) next(n int, what string) []byte {
	if r.err != nil {
		return nil
	}
	if n < 0 || n > len(r.b)-r.off {
		r.fail(what)
		return nil
	}
	s := r.b[r.off : r.off+n]
	r.off += n
	return s
}

func (r *reader) u8() uint8 {
	if s := r.next(1, "byte"); s != nil {
		return s[0]
	}
	return 0
}

func (r *reader) bool() bool {
	switch r.u8() {
	case 0:
		return false
	case 1:
		return true
	}
	r.fail("boolean")
	return false
}

func (r *reader) u64() uint64 {
	if s := r.next(8, "uint64"); s != nil {
		return binary.LittleEndian.Uint64(s)
	}
	return 0
}

func (r *reader) f64() float64 { return math.Float64frombits(r.u64()) }

func (r *reader) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b[r.off:])
	if n <= 0 {
		r.fail("varint")
		return 0
	}
	r.off += n
	return v
}

func (r *reader) varint() int64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Varint(r.b[r.off:])
	if n <= 0 {
		r.fail("varint")
		return 0
	}
	r.off += n
	return v
}

// int reads a non-negative integer that fits an int32.
func (r *reader) int() int {
	v := r.uvarint()
	if v > math.MaxInt32 {
		r.fail("integer")
		return 0
	}
	return int(v)
}

func (r *reader) int32() int32 {
	v := r.varint()
	if v < math.MinInt32 || v > math.MaxInt32 {
		r.fail("integer")
		return 0
	}
	return int32(v)
}

// count reads a number of items of at least min bytes each, checking that
// the rest of the input can hold them before anything is allocated.
func (r *reader) count(min int) int {
	v := r.uvarint()
	if r.err == nil && v > uint64((len(r.b)-r.off)/min) {
		r.fail("count")
		return 0
	}
	return int(v)
}

func (r *reader) str() string {
	return string(r.next(r.count(1), "string"))
}

func (r *reader) floats() []float64 {
	n := r.count(8)
	if n == 0 {
		return nil
	}
	out := make([]float64, n)
	for i := range out {
		out[i] = r.f64()
	}
	return out
}
