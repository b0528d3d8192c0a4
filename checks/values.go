package checks

import (
	"math"
	"unicode/utf8"
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// Typed access to Arrow arrays for the row checks: numbers as int64 or
// float64, strings as byte slices into the array's buffer (valid while the
// batch is).

// isIntType reports whether arrays of dt hold integers (dates and
// timestamps included: their integer count of days or units).
func isIntType(dt arrow.DataType) bool {
	switch dt.ID() {
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64, arrow.UINT8, arrow.UINT16, arrow.UINT32,
		arrow.DATE32, arrow.TIMESTAMP:
		return true
	}
	return false
}

func isFloatType(dt arrow.DataType) bool {
	return dt.ID() == arrow.FLOAT32 || dt.ID() == arrow.FLOAT64
}

func isStringType(dt arrow.DataType) bool {
	switch dt.ID() {
	case arrow.STRING, arrow.LARGE_STRING, arrow.BINARY, arrow.LARGE_BINARY:
		return true
	}
	return false
}

// ints returns the values of an integer array as int64 (nulls as
// whatever the array holds): the array's own memory for int64 and
// timestamps, else a conversion into dst.
func ints(arr arrow.Array, dst []int64) []int64 {
	switch a := arr.(type) {
	case *array.Int64:
		return a.Int64Values()
	case *array.Timestamp:
		v := a.TimestampValues()
		if len(v) == 0 {
			return nil
		}
		return unsafe.Slice((*int64)(unsafe.Pointer(&v[0])), len(v))
	}
	dst = dst[:0]
	switch a := arr.(type) {
	case *array.Int32:
		for _, v := range a.Int32Values() {
			dst = append(dst, int64(v))
		}
	case *array.Date32:
		for _, v := range a.Date32Values() {
			dst = append(dst, int64(v))
		}
	case *array.Int16:
		for _, v := range a.Int16Values() {
			dst = append(dst, int64(v))
		}
	case *array.Int8:
		for _, v := range a.Int8Values() {
			dst = append(dst, int64(v))
		}
	case *array.Uint32:
		for _, v := range a.Uint32Values() {
			dst = append(dst, int64(v))
		}
	case *array.Uint16:
		for _, v := range a.Uint16Values() {
			dst = append(dst, int64(v))
		}
	case *array.Uint8:
		for _, v := range a.Uint8Values() {
			dst = append(dst, int64(v))
		}
	}
	return dst
}

// floats returns the values of a numeric or boolean array as float64
// (check IsNull for nulls): the array's own memory for float64, else a
// conversion into dst.
func floats(arr arrow.Array, dst []float64) []float64 {
	if a, ok := arr.(*array.Float64); ok {
		return a.Float64Values()
	}
	dst = dst[:0]
	switch a := arr.(type) {
	case *array.Float32:
		for _, v := range a.Float32Values() {
			dst = append(dst, float64(v))
		}
		return dst
	case *array.Boolean:
		for i := range a.Len() {
			f := 0.0
			if a.Value(i) {
				f = 1
			}
			dst = append(dst, f)
		}
		return dst
	}
	switch a := arr.(type) {
	case *array.Int64:
		for _, v := range a.Int64Values() {
			dst = append(dst, float64(v))
		}
		return dst
	case *array.Int32:
		for _, v := range a.Int32Values() {
			dst = append(dst, float64(v))
		}
		return dst
	}
	var tmp []int64
	for _, v := range ints(arr, tmp) {
		dst = append(dst, float64(v))
	}
	return dst
}

// byteStrings gives access to the i-th value of a string or binary array
// without copying.
type byteStrings struct {
	offs32 []int32
	offs64 []int64
	data   []byte
	base   int64
}

func newByteStrings(arr arrow.Array) byteStrings {
	switch a := arr.(type) {
	case *array.String:
		o := a.ValueOffsets()
		return byteStrings{offs32: o, data: a.ValueBytes(), base: int64(o[0])}
	case *array.Binary:
		o := a.ValueOffsets()
		return byteStrings{offs32: o, data: a.ValueBytes(), base: int64(o[0])}
	case *array.LargeString:
		o := a.ValueOffsets()
		return byteStrings{offs64: o, data: a.ValueBytes(), base: o[0]}
	case *array.LargeBinary:
		o := a.ValueOffsets()
		return byteStrings{offs64: o, data: a.ValueBytes(), base: o[0]}
	}
	return byteStrings{}
}

func (s byteStrings) at(i int) []byte {
	if s.offs32 != nil {
		return s.data[int64(s.offs32[i])-s.base : int64(s.offs32[i+1])-s.base]
	}
	return s.data[s.offs64[i]-s.base : s.offs64[i+1]-s.base]
}

// runeCount counts characters, with a fast path for ASCII.
func runeCount(b []byte) int {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return utf8.RuneCount(b)
		}
	}
	return len(b)
}

const twoTo63 = 9223372036854775808.0

// intBounds turns float bounds into inclusive integer bounds for integer
// values: v >= 2.5 is v >= 3; v > 3 is v >= 4.
func intBounds(min, max *float64, strictMin, strictMax bool) (lo, hi int64) {
	lo, hi = math.MinInt64, math.MaxInt64
	if min != nil {
		m := *min
		switch {
		case m >= twoTo63:
			lo, hi = 1, 0 // nothing fits
		case m < -twoTo63:
		default:
			c := math.Ceil(m)
			if strictMin && c == m {
				c++
			}
			lo = int64(c)
		}
	}
	if max != nil {
		m := *max
		switch {
		case m < -twoTo63:
			lo, hi = 1, 0
		case m >= twoTo63:
		default:
			f := math.Floor(m)
			if strictMax && f == m {
				f--
			}
			hi = int64(f)
		}
	}
	return lo, hi
}
