package dataset

import (
	"math"

	"github.com/parquet-go/parquet-go"
)

// ChunkStats are the Parquet statistics of one column in one row group, as
// far as the file has them. Checks answer row counts, null counts, minima
// and maxima from them without reading the column.
type ChunkStats struct {
	// Nulls is the chunk's null count; NullsKnown is false when the
	// writer left the statistics out (then Nulls is 0 and means nothing).
	Nulls      int64
	NullsKnown bool
	// Min and Max are the bounds of a numeric, date or timestamp column
	// (dates in days, timestamps in their unit); MinMaxKnown is false when
	// the chunk has no bounds (no statistics, or only nulls).
	Min, Max    float64
	MinMaxKnown bool
}

// Stats returns the statistics of a column in the row group.
func (rg RowGroup) Stats(column string) ChunkStats {
	var st ChunkStats
	leaf, ok := rg.pq.Schema().Lookup(column)
	if !ok || leaf.MaxRepetitionLevel > 0 {
		return st
	}
	chunks := rg.pq.ColumnChunks()
	if leaf.ColumnIndex >= len(chunks) {
		return st
	}
	fc, ok := chunks[leaf.ColumnIndex].(*parquet.FileColumnChunk)
	if !ok {
		return st
	}
	min, max, hasBounds := fc.Bounds()
	// A writer that wrote bounds wrote the null count with them; a chunk
	// of nulls only has a null count equal to its values and no bounds.
	if hasBounds || fc.NullCount() == fc.NumValues() && fc.NumValues() > 0 {
		st.Nulls, st.NullsKnown = fc.NullCount(), true
	}
	if !hasBounds {
		return st
	}
	lo, okLo := numericValue(min)
	hi, okHi := numericValue(max)
	if okLo && okHi && !math.IsNaN(lo) && !math.IsNaN(hi) {
		st.Min, st.Max, st.MinMaxKnown = lo, hi, true
	}
	return st
}

func numericValue(v parquet.Value) (float64, bool) {
	if v.IsNull() {
		return 0, false
	}
	switch v.Kind() {
	case parquet.Int32:
		return float64(v.Int32()), true
	case parquet.Int64:
		return float64(v.Int64()), true
	case parquet.Float:
		return float64(v.Float()), true
	case parquet.Double:
		return v.Double(), true
	}
	return 0, false
}
