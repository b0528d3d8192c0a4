package profile

import (
	"bytes"
	"cmp"
	"math"
	"slices"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// Kind is how a profile treats a column's values.
type Kind uint8

const (
	// KindInt: integers, dates and timestamps (compared as int64).
	KindInt Kind = iota + 1
	// KindFloat: floating-point numbers; NaN is counted apart.
	KindFloat
	// KindBool: booleans; the mean is the share of true.
	KindBool
	// KindString: UTF-8 strings; lengths in characters.
	KindString
	// KindBinary: byte strings; lengths in bytes.
	KindBinary
)

// KindOf returns the profile kind of an Arrow type, or 0 when profiles do
// not cover it.
func KindOf(dt arrow.DataType) Kind {
	switch dt.ID() {
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64, arrow.UINT8, arrow.UINT16, arrow.UINT32,
		arrow.DATE32, arrow.TIMESTAMP:
		return KindInt
	case arrow.FLOAT32, arrow.FLOAT64:
		return KindFloat
	case arrow.BOOL:
		return KindBool
	case arrow.STRING, arrow.LARGE_STRING:
		return KindString
	case arrow.BINARY, arrow.LARGE_BINARY:
		return KindBinary
	}
	return 0
}

// Column is the mergeable profile state of one column.
type Column struct {
	Name string
	Type string // the column's type as users see it, e.g. "int64"
	Kind Kind

	rows  int64
	nulls int64
	nans  int64

	// Moments of the non-null (non-NaN) values: count, mean and sum of
	// squared deviations, merged with Chan et al.'s formula.
	n    int64
	mean float64
	m2   float64

	min, max       float64 // numbers
	minInt, maxInt int64   // exact bounds of KindInt
	minB, maxB     []byte  // strings
	hasBounds      bool

	trues int64 // booleans

	lenMin, lenMax int64 // strings
	lenSum         int64

	counter *counter // distinct values and their counts (not booleans)
	// kll sketches the quantiles of numbers once the counter is no longer
	// exact; while it is, the counter answers quantiles exactly. Either
	// kll is nil or it holds every value of the column.
	kll  *kll
	seed uint64
	// seeded counts the values of the current batch that a sketch created
	// mid-batch already holds; batchStart is the counter's adds before it.
	seeded     int
	batchStart int64

	scratch []float64
}

// NewColumn returns an empty profile of a column of the given kind. seed
// fixes the quantile sketch's coin flips: profiles built with the same
// seeds from the same rows are identical.
func NewColumn(name, typ string, kind Kind, seed uint64) *Column {
	c := &Column{Name: name, Type: typ, Kind: kind, seed: seed}
	switch kind {
	case KindInt, KindFloat:
		c.counter = newCounter(false)
		c.counter.onOverflow = c.seedKLL
	case KindString, KindBinary:
		c.counter = newCounter(true)
	}
	return c
}

// Add profiles the values of arr, which must be of the column's kind.
func (c *Column) Add(arr arrow.Array) {
	c.rows += int64(arr.Len())
	c.nulls += int64(arr.NullN())
	switch a := arr.(type) {
	case *array.Int64:
		addInts(c, a, a.Int64Values())
	case *array.Int32:
		addInts(c, a, a.Int32Values())
	case *array.Timestamp:
		addInts(c, a, a.TimestampValues())
	case *array.Date32:
		addInts(c, a, a.Date32Values())
	case *array.Int16:
		addInts(c, a, a.Int16Values())
	case *array.Int8:
		addInts(c, a, a.Int8Values())
	case *array.Uint32:
		addInts(c, a, a.Uint32Values())
	case *array.Uint16:
		addInts(c, a, a.Uint16Values())
	case *array.Uint8:
		addInts(c, a, a.Uint8Values())
	case *array.Float64:
		addFloats(c, a, a.Float64Values())
	case *array.Float32:
		addFloats(c, a, a.Float32Values())
	case *array.Boolean:
		c.addBools(a)
	case *array.String:
		addStrings(c, a, a.ValueOffsets(), a.ValueBytes())
	case *array.Binary:
		addStrings(c, a, a.ValueOffsets(), a.ValueBytes())
	case *array.LargeString:
		addStrings(c, a, a.ValueOffsets(), a.ValueBytes())
	case *array.LargeBinary:
		addStrings(c, a, a.ValueOffsets(), a.ValueBytes())
	}
}

type integer interface {
	~int8 | ~int16 | ~int32 | ~int64 | ~uint8 | ~uint16 | ~uint32
}

func addInts[T integer](c *Column, arr arrow.Array, vals []T) {
	xs := slices.Grow(c.scratch[:0], len(vals))
	lo, hi := int64(math.MaxInt64), int64(math.MinInt64)
	cnt := c.counter
	sketched := c.kll != nil
	c.batchStart = cnt.adds
	if arr.NullN() == 0 {
		for _, v := range vals {
			x := int64(v)
			lo, hi = min(lo, x), max(hi, x)
			cnt.add(hashInt(x), uint64(x), nil, 1)
			xs = append(xs, float64(x))
		}
	} else {
		for i, v := range vals {
			if arr.IsNull(i) {
				continue
			}
			x := int64(v)
			lo, hi = min(lo, x), max(hi, x)
			cnt.add(hashInt(x), uint64(x), nil, 1)
			xs = append(xs, float64(x))
		}
	}
	c.scratch = xs
	if len(xs) == 0 {
		return
	}
	if !c.hasBounds {
		c.minInt, c.maxInt, c.hasBounds = lo, hi, true
	} else {
		c.minInt, c.maxInt = min(c.minInt, lo), max(c.maxInt, hi)
	}
	c.min, c.max = float64(c.minInt), float64(c.maxInt)
	c.sketch(xs, sketched)
	c.addMoments(xs)
}

func addFloats[T float32 | float64](c *Column, arr arrow.Array, vals []T) {
	xs := slices.Grow(c.scratch[:0], len(vals))
	lo, hi := math.Inf(1), math.Inf(-1)
	cnt := c.counter
	sketched := c.kll != nil
	c.batchStart = cnt.adds
	hasNulls := arr.NullN() > 0
	for i, v := range vals {
		if hasNulls && arr.IsNull(i) {
			continue
		}
		x := float64(v)
		if x != x {
			c.nans++
			continue
		}
		lo, hi = min(lo, x), max(hi, x)
		cnt.add(hashFloat(x), math.Float64bits(x), nil, 1)
		xs = append(xs, x)
	}
	c.scratch = xs
	if len(xs) == 0 {
		return
	}
	if !c.hasBounds {
		c.min, c.max, c.hasBounds = lo, hi, true
	} else {
		c.min, c.max = min(c.min, lo), max(c.max, hi)
	}
	c.sketch(xs, sketched)
	c.addMoments(xs)
}

// sketch feeds a batch's values to the quantile sketch. A sketch that
// existed before the batch takes all of them; one the counter created in
// this batch (on overflow) already holds those the counter had seen.
func (c *Column) sketch(xs []float64, before bool) {
	switch {
	case before:
		c.kll.addMany(xs)
	case c.kll != nil:
		c.kll.addMany(xs[c.seeded:])
	}
	c.seeded = 0
}

// seedKLL builds the quantile sketch from the exact counts, when the
// counter overflows.
func (c *Column) seedKLL(entries []entry) {
	if c.kll != nil {
		return // a merge already sketched every value
	}
	c.kll = c.kllFrom(entries)
	c.seeded = int(c.counter.adds - c.batchStart)
}

// ensureKLL builds the sketch from the counter if there is none yet (the
// counter is then exact).
func (c *Column) ensureKLL() *kll {
	if c.kll == nil {
		c.kll = c.kllFrom(c.counter.entries)
	}
	return c.kll
}

// cdf returns the distribution of a numeric column's values: exact from the
// counter while it is exact, else from the sketch.
func (c *Column) cdf() cdf {
	if c.counter.exact {
		es := slices.Clone(c.counter.entries)
		vals := make([]float64, len(es))
		for i, e := range es {
			vals[i] = c.entryFloat(e)
		}
		idx := make([]int, len(es))
		for i := range idx {
			idx[i] = i
		}
		slices.SortFunc(idx, func(a, b int) int { return cmp.Compare(vals[a], vals[b]) })
		d := cdf{vals: make([]float64, len(es)), cum: make([]int64, len(es)), exact: true}
		var sum int64
		for i, j := range idx {
			sum += es[j].count
			d.vals[i], d.cum[i] = vals[j], sum
		}
		return d
	}
	vals, cum := c.kll.sorted()
	return cdf{vals: vals, cum: cum}
}

// kllFrom returns a sketch holding the given exact counts.
func (c *Column) kllFrom(entries []entry) *kll {
	s := newKLL(c.seed)
	for _, e := range entries {
		s.addWeighted(c.entryFloat(e), e.count)
	}
	s.settle()
	return s
}

func (c *Column) entryFloat(e entry) float64 {
	if c.Kind == KindInt {
		return float64(int64(e.val))
	}
	return math.Float64frombits(e.val)
}

// addMoments folds a batch's count, mean and squared deviations (two
// passes over the batch, for accuracy) into the running moments.
func (c *Column) addMoments(xs []float64) {
	sum := 0.0
	for _, x := range xs {
		sum += x
	}
	nb := float64(len(xs))
	mb := sum / nb
	m2 := 0.0
	for _, x := range xs {
		d := x - mb
		m2 += d * d
	}
	c.mergeMoments(int64(len(xs)), mb, m2)
}

func (c *Column) mergeMoments(nb int64, mb, m2b float64) {
	if nb == 0 {
		return
	}
	if c.n == 0 {
		c.n, c.mean, c.m2 = nb, mb, m2b
		return
	}
	na, n := float64(c.n), float64(c.n+nb)
	d := mb - c.mean
	c.mean += d * float64(nb) / n
	c.m2 += m2b + d*d*na*float64(nb)/n
	c.n += nb
}

func (c *Column) addBools(a *array.Boolean) {
	var t, n int64
	for i := range a.Len() {
		if a.IsNull(i) {
			continue
		}
		n++
		if a.Value(i) {
			t++
		}
	}
	c.trues += t
	if n > 0 {
		mb := float64(t) / float64(n)
		// Sum of squared deviations of n values of which t are 1.
		m2 := float64(t)*(1-mb)*(1-mb) + float64(n-t)*mb*mb
		c.mergeMoments(n, mb, m2)
	}
}

// addStrings profiles byte-string values. offs are the array's offsets
// into its whole value buffer, data the bytes from offs[0] on (as Arrow's
// ValueOffsets and ValueBytes give them, also for sliced arrays).
func addStrings[O int32 | int64](c *Column, arr arrow.Array, offs []O, data []byte) {
	ascii := isASCII(data)
	cnt := c.counter
	hasNulls := arr.NullN() > 0
	lmin, lmax, lsum := int64(math.MaxInt64), int64(-1), int64(0)
	var bmin, bmax []byte
	seen := false
	for i := range arr.Len() {
		if hasNulls && arr.IsNull(i) {
			continue
		}
		b := data[offs[i]-offs[0] : offs[i+1]-offs[0]]
		cnt.add(hashBytes(b), 0, b, 1)
		l := int64(len(b))
		if !ascii && c.Kind == KindString {
			l = int64(utf8.RuneCount(b))
		}
		lmin, lmax, lsum = min(lmin, l), max(lmax, l), lsum+l
		if !seen {
			bmin, bmax, seen = b, b, true
			continue
		}
		if bytes.Compare(b, bmin) < 0 {
			bmin = b
		} else if bytes.Compare(b, bmax) > 0 {
			bmax = b
		}
	}
	if !seen {
		return
	}
	c.lenSum += lsum
	if !c.hasBounds {
		c.lenMin, c.lenMax = lmin, lmax
		c.minB, c.maxB = bytes.Clone(bmin), bytes.Clone(bmax)
		c.hasBounds = true
		return
	}
	c.lenMin, c.lenMax = min(c.lenMin, lmin), max(c.lenMax, lmax)
	if bytes.Compare(bmin, c.minB) < 0 {
		c.minB = bytes.Clone(bmin)
	}
	if bytes.Compare(bmax, c.maxB) > 0 {
		c.maxB = bytes.Clone(bmax)
	}
}

func isASCII(b []byte) bool {
	for len(b) >= 8 {
		x := uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
			uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
		if x&0x8080808080808080 != 0 {
			return false
		}
		b = b[8:]
	}
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

// Merge adds o, a profile of other rows of the same column, to c. Merging
// is associative: profiles of row groups merge into the profile of a file,
// of a version, of shards on other machines.
func (c *Column) Merge(o *Column) {
	c.rows += o.rows
	c.nulls += o.nulls
	c.nans += o.nans
	c.trues += o.trues
	c.lenSum += o.lenSum
	c.mergeMoments(o.n, o.mean, o.m2)
	if o.hasBounds {
		if !c.hasBounds {
			c.min, c.max, c.minInt, c.maxInt = o.min, o.max, o.minInt, o.maxInt
			c.minB, c.maxB = bytes.Clone(o.minB), bytes.Clone(o.maxB)
			c.lenMin, c.lenMax = o.lenMin, o.lenMax
			c.hasBounds = true
		} else {
			c.min, c.max = min(c.min, o.min), max(c.max, o.max)
			c.minInt, c.maxInt = min(c.minInt, o.minInt), max(c.maxInt, o.maxInt)
			c.lenMin, c.lenMax = min(c.lenMin, o.lenMin), max(c.lenMax, o.lenMax)
			if bytes.Compare(o.minB, c.minB) < 0 {
				c.minB = bytes.Clone(o.minB)
			}
			if bytes.Compare(o.maxB, c.maxB) > 0 {
				c.maxB = bytes.Clone(o.maxB)
			}
		}
	}
	if c.counter == nil || o.counter == nil {
		return
	}
	if c.Kind == KindInt || c.Kind == KindFloat {
		// Keep the invariant on kll: sketch both sides when the merged
		// counter may stop being exact.
		if c.kll != nil || o.kll != nil || !c.counter.exact || !o.counter.exact ||
			len(c.counter.entries)+len(o.counter.entries) > ExactDistinctCap {
			ok := o.kll
			if ok == nil {
				ok = o.kllFrom(o.counter.entries)
			}
			c.ensureKLL().merge(ok)
		}
		hook := c.counter.onOverflow
		c.counter.onOverflow = nil
		defer func() { c.counter.onOverflow = hook }()
	}
	c.counter.merge(o.counter)
}
