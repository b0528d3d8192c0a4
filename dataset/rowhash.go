package dataset

import (
	"math"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/zeebo/xxh3"

	"github.com/assayhq/assay/dataset/profile"
)

const nullHash = 0x6e756c6c6e756c6c // "nullnull"

// hashRows folds the values of column arr into one hash per row: out[i]
// becomes a hash of out[i] and row i's value. Equal values of one type
// hash equally; null hashes as itself.
func hashRows(arr arrow.Array, out []uint64) {
	combine := func(i int, h uint64) { out[i] = profile.Mix64(out[i]*0x9e3779b97f4a7c15 + h) }
	n := arr.Len()
	switch a := arr.(type) {
	case *array.Int64:
		hashInts(a, a.Int64Values(), combine)
	case *array.Int32:
		hashInts(a, a.Int32Values(), combine)
	case *array.Timestamp:
		hashInts(a, a.TimestampValues(), combine)
	case *array.Date32:
		hashInts(a, a.Date32Values(), combine)
	case *array.Float64:
		hashFloats(a, a.Float64Values(), combine)
	case *array.Float32:
		hashFloats(a, a.Float32Values(), combine)
	case *array.Boolean:
		for i := range n {
			switch {
			case a.IsNull(i):
				combine(i, nullHash)
			case a.Value(i):
				combine(i, 1)
			default:
				combine(i, 2)
			}
		}
	case *array.String:
		for i := range n {
			if a.IsNull(i) {
				combine(i, nullHash)
			} else {
				combine(i, xxh3.HashString(a.Value(i)))
			}
		}
	case *array.Binary:
		for i := range n {
			if a.IsNull(i) {
				combine(i, nullHash)
			} else {
				combine(i, xxh3.Hash(a.Value(i)))
			}
		}
	default:
		for i := range n {
			if arr.IsNull(i) {
				combine(i, nullHash)
			} else {
				combine(i, xxh3.HashString(arr.ValueStr(i)))
			}
		}
	}
}

func hashInts[T int32 | int64 | arrow.Timestamp | arrow.Date32](a arrow.Array, vals []T, combine func(int, uint64)) {
	for i, v := range vals {
		if a.IsNull(i) {
			combine(i, nullHash)
		} else {
			combine(i, profile.Mix64(uint64(v)))
		}
	}
}

func hashFloats[T float32 | float64](a arrow.Array, vals []T, combine func(int, uint64)) {
	for i, v := range vals {
		f := float64(v)
		switch {
		case a.IsNull(i):
			combine(i, nullHash)
		case f != f:
			combine(i, 0x7ff8000000000001)
		case f == 0:
			combine(i, profile.Mix64(0))
		default:
			combine(i, profile.Mix64(math.Float64bits(f)))
		}
	}
}

// FormatCell renders row i of arr for people: null as "null", timestamps
// in RFC 3339, dates as 2006-01-02. The string is a copy: it stays valid
// after the batch is released (a scan recycles the batch's memory).
func FormatCell(arr arrow.Array, i int) string {
	if arr.IsNull(i) {
		return "null"
	}
	switch a := arr.(type) {
	case *array.Timestamp:
		unit := a.DataType().(*arrow.TimestampType).Unit
		return a.Value(i).ToTime(unit).UTC().Format("2006-01-02T15:04:05.999999999Z07:00")
	case *array.Date32:
		return a.Value(i).ToTime().Format("2006-01-02")
	case *array.String:
		// Value aliases the Arrow buffer.
		return strings.Clone(a.Value(i))
	}
	return arr.ValueStr(i)
}
