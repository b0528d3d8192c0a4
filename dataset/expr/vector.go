package expr

import (
	"time"
	"unsafe"

	"github.com/assayhq/assay/dataset"
)

// Type is the type of an expression's values.
type Type uint8

// The types of values. Null is the type of the literal nil (every value is
// null).
const (
	Null     Type = iota
	Bool          // Vector.Bools
	Int           // Vector.Ints
	Float         // Vector.Floats
	String        // Vector.Offsets and Data
	Time          // Vector.Ints: ticks of Vector.Unit since the Unix epoch
	Duration      // Vector.Ints: nanoseconds
)

var typeNames = [...]string{Null: "nil", Bool: "bool", Int: "int", Float: "float", String: "string", Time: "time", Duration: "duration"}

func (t Type) String() string {
	if int(t) < len(typeNames) {
		return typeNames[t]
	}
	return "invalid"
}

// numeric reports whether t is Int or Float.
func (t Type) numeric() bool { return t == Int || t == Float }

// typeOf returns the expression type of a column and, for times, the
// length of a tick; ok is false for columns a scan cannot read.
func typeOf(c dataset.Column) (t Type, unit time.Duration, ok bool) {
	if c.Unsupported != "" {
		return 0, 0, false
	}
	switch c.Type {
	case dataset.Bool:
		return Bool, 0, true
	case dataset.Int32, dataset.Int64:
		return Int, 0, true
	case dataset.Float32, dataset.Float64:
		return Float, 0, true
	case dataset.String, dataset.Binary:
		return String, 0, true
	case dataset.Date:
		return Time, day, true
	case dataset.TimestampMS:
		return Time, time.Millisecond, true
	case dataset.TimestampUS:
		return Time, time.Microsecond, true
	case dataset.TimestampNS:
		return Time, time.Nanosecond, true
	}
	return 0, 0, false
}

const day = 24 * time.Hour

// Vector holds the value of an expression for each of Len rows. Only the
// slices of its Type are set, each of length Len (Offsets: Len+1). A
// Vector returned by an Evaluator shares its buffers with the evaluator
// and with the record batch: it is valid until the next evaluation and
// must not be modified.
type Vector struct {
	Type Type
	Len  int
	// Nulls[i] is true where row i is null; nil when no row is. The value
	// slices hold arbitrary values at null rows.
	Nulls  []bool
	Bools  []bool
	Ints   []int64   // Int; Time (ticks of Unit since 1970-01-01 UTC); Duration (ns)
	Floats []float64 // Float
	// String: row i is Data[Offsets[i]:Offsets[i+1]]. Data may hold
	// bytes no row uses (it can be a whole Arrow values buffer).
	Offsets []int32
	Data    []byte
	Unit    time.Duration // Time: the length of one tick (a day for dates)
}

// IsNull reports whether row i is null.
func (v *Vector) IsNull(i int) bool { return v.Nulls != nil && v.Nulls[i] }

// Bytes returns the bytes of String row i, a view into the vector's
// buffers.
func (v *Vector) Bytes(i int) []byte { return v.Data[v.Offsets[i]:v.Offsets[i+1]] }

// Time returns Time row i as a time.Time in UTC.
func (v *Vector) Time(i int) time.Time { return ticksTime(v.Ints[i], v.Unit) }

// Value returns row i as a Go value: nil (null), bool, int64, float64,
// string, time.Time (UTC) or time.Duration. It allocates; it is meant for
// failing samples and tests, not for hot loops.
func (v *Vector) Value(i int) any {
	if v.IsNull(i) || v.Type == Null {
		return nil
	}
	switch v.Type {
	case Bool:
		return v.Bools[i]
	case Int:
		return v.Ints[i]
	case Float:
		return v.Floats[i]
	case String:
		return string(v.Bytes(i))
	case Time:
		return v.Time(i)
	case Duration:
		return time.Duration(v.Ints[i])
	}
	return nil
}

// ticksTime converts ticks of unit since the epoch to a time.
func ticksTime(t int64, unit time.Duration) time.Time {
	if unit <= 0 {
		unit = time.Nanosecond
	}
	if unit >= time.Second {
		return time.Unix(t*int64(unit/time.Second), 0).UTC()
	}
	per := int64(time.Second / unit)
	sec, rem := t/per, t%per
	if rem < 0 {
		sec--
		rem += per
	}
	return time.Unix(sec, rem*int64(unit)).UTC()
}

// timeTicks converts t to ticks of unit; exact is false when t is not a
// whole number of ticks or out of the int64 range (the result is then
// rounded down, or saturated).
func timeTicks(t time.Time, unit time.Duration) (ticks int64, exact bool) {
	sec, nsec := t.Unix(), int64(t.Nanosecond())
	if unit >= time.Second {
		per := int64(unit / time.Second)
		q, r := sec/per, sec%per
		if r < 0 {
			q--
			r += per
		}
		return q, r == 0 && nsec == 0
	}
	per := int64(time.Second / unit)
	hi, ok := mulSat(sec, per)
	ticks, ok2 := addSat(hi, nsec/int64(unit))
	return ticks, ok && ok2 && nsec%int64(unit) == 0
}

// mulSat multiplies with saturation; ok is false on overflow.
func mulSat(a, b int64) (int64, bool) {
	if a == 0 || b == 0 {
		return 0, true
	}
	c := a * b
	if c/b != a || (a == -1 && b == minInt) || (b == -1 && a == minInt) {
		if (a < 0) != (b < 0) {
			return minInt, false
		}
		return maxInt, false
	}
	return c, true
}

func addSat(a, b int64) (int64, bool) {
	c := a + b
	if (c > a) == (b > 0) {
		return c, true
	}
	if b > 0 {
		return maxInt, false
	}
	return minInt, false
}

const (
	maxInt = int64(^uint64(0) >> 1)
	minInt = -maxInt - 1
)

// byteView returns the bytes of a []bool (Go stores bools as 0 or 1).
func byteView(b []bool) []byte {
	return unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(b))), len(b))
}
