package profile

import (
	"bytes"
	"encoding/json"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// TopK is the number of most frequent values a summary lists.
const TopK = 10

// HistogramBins is the number of equal-width bins of a numeric histogram;
// integer columns with a narrower range get one bin per value.
const HistogramBins = 20

// Summary is the profile of a dataset as users read it. Its JSON form is
// stored in every manifest and printed by `assay profile --format json`.
type Summary struct {
	Rows    int64           `json:"rows"`
	Columns []ColumnSummary `json:"columns"`
}

// ColumnSummary is the profile of one column. Fields that do not apply to
// the column's type are omitted.
type ColumnSummary struct {
	Name  string `json:"name"`
	Type  string `json:"type"`
	Count int64  `json:"count"` // rows, nulls included
	Nulls int64  `json:"nulls"`
	NaN   int64  `json:"nan,omitempty"`
	// Distinct counts non-null values; exact below ExactDistinctCap.
	Distinct      int64 `json:"distinct"`
	DistinctExact bool  `json:"distinct_exact"`

	// Min and Max are numbers for numeric columns (dates in days,
	// timestamps in their unit since the epoch); MinValue and MaxValue are
	// their display form, and the bounds of strings.
	Min      *Float `json:"min,omitempty"`
	Max      *Float `json:"max,omitempty"`
	MinValue string `json:"min_value,omitempty"`
	MaxValue string `json:"max_value,omitempty"`
	Mean     *Float `json:"mean,omitempty"`
	// Std is the sample standard deviation (n−1), null below two values.
	Std *Float `json:"std,omitempty"`
	// True counts true values of a boolean column.
	True *int64 `json:"true,omitempty"`

	Quantiles      *Quantiles `json:"quantiles,omitempty"`
	QuantilesExact bool       `json:"quantiles_exact,omitempty"`
	Histogram      *Histogram `json:"histogram,omitempty"`

	// Top lists the most frequent values, most frequent first (ties by
	// value). Counts are exact when TopExact, else lower bounds that are
	// short by at most TopError; approximate values whose count does not
	// exceed TopError are left out.
	Top      []TopValue `json:"top,omitempty"`
	TopExact bool       `json:"top_exact"`
	TopError int64      `json:"top_error,omitempty"`

	Length *Length `json:"length,omitempty"`
}

// Quantiles are the p01…p99 quantiles.
type Quantiles struct {
	P01 Float `json:"p01"`
	P05 Float `json:"p05"`
	P25 Float `json:"p25"`
	P50 Float `json:"p50"`
	P75 Float `json:"p75"`
	P95 Float `json:"p95"`
	P99 Float `json:"p99"`
}

// QuantileProbs are the probabilities of Quantiles, in field order.
var QuantileProbs = [...]float64{0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99}

// Histogram counts values in bins [Edges[i], Edges[i+1]); the last bin is
// closed.
type Histogram struct {
	Edges  []Float `json:"edges"`
	Counts []int64 `json:"counts"`
}

// TopValue is a value and how often it occurs.
type TopValue struct {
	Value string `json:"value"`
	Count int64  `json:"count"`
}

// Length summarises string lengths in characters (bytes for binary).
type Length struct {
	Min  int64   `json:"min"`
	Max  int64   `json:"max"`
	Mean float64 `json:"mean"`
}

// Float is a float64 whose JSON form keeps NaN and ±Inf (as the strings
// "NaN", "Infinity" and "-Infinity").
type Float float64

// MarshalJSON implements json.Marshaler.
func (f Float) MarshalJSON() ([]byte, error) {
	v := float64(f)
	switch {
	case math.IsNaN(v):
		return []byte(`"NaN"`), nil
	case math.IsInf(v, 1):
		return []byte(`"Infinity"`), nil
	case math.IsInf(v, -1):
		return []byte(`"-Infinity"`), nil
	}
	return strconv.AppendFloat(nil, v, 'g', -1, 64), nil
}

// UnmarshalJSON implements json.Unmarshaler.
func (f *Float) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		switch s {
		case "NaN":
			*f = Float(math.NaN())
		case "Infinity":
			*f = Float(math.Inf(1))
		case "-Infinity":
			*f = Float(math.Inf(-1))
		default:
			return &json.UnmarshalTypeError{Value: "string " + strconv.Quote(s), Type: reflect.TypeFor[Float]()}
		}
		return nil
	}
	v, err := strconv.ParseFloat(string(b), 64)
	*f = Float(v)
	return err
}

func fptr(v float64) *Float { f := Float(v); return &f }

// Summary computes the figures of a profile.
func (p *Profile) Summary() Summary {
	s := Summary{Rows: p.Rows, Columns: make([]ColumnSummary, len(p.Columns))}
	for i, c := range p.Columns {
		s.Columns[i] = c.Summary()
	}
	return s
}

// Summary computes the figures of one column.
func (c *Column) Summary() ColumnSummary {
	s := ColumnSummary{Name: c.Name, Type: c.Type, Count: c.rows, Nulls: c.nulls, NaN: c.nans}
	switch c.Kind {
	case KindBool:
		nonNull := c.rows - c.nulls
		t := c.trues
		s.True = &t
		s.DistinctExact, s.TopExact = true, true
		if t > 0 {
			s.Distinct++
		}
		if t < nonNull {
			s.Distinct++
		}
		if nonNull > 0 {
			s.Min, s.Max = fptr(0), fptr(1)
			if t == nonNull {
				s.Min = fptr(1)
			}
			if t == 0 {
				s.Max = fptr(0)
			}
			s.MinValue, s.MaxValue = boolString(*s.Min == 1), boolString(*s.Max == 1)
			s.Mean = fptr(c.mean)
			if c.n > 1 {
				s.Std = fptr(math.Sqrt(c.m2 / float64(c.n-1)))
			}
			tops := []TopValue{{"true", t}, {"false", nonNull - t}}
			if nonNull-t >= t { // ties by value: false first
				tops[0], tops[1] = tops[1], tops[0]
			}
			for _, tv := range tops {
				if tv.Count > 0 {
					s.Top = append(s.Top, tv)
				}
			}
		}
		return s
	case KindInt, KindFloat:
		s.Distinct, s.DistinctExact = c.counter.distinct()
		if c.n > 0 {
			s.Min, s.Max = fptr(c.min), fptr(c.max)
			if c.Kind == KindInt {
				s.MinValue, s.MaxValue = c.formatInt(c.minInt), c.formatInt(c.maxInt)
			} else {
				s.MinValue, s.MaxValue = formatFloat(c.min), formatFloat(c.max)
			}
			s.Mean = fptr(c.mean)
			if c.n > 1 {
				s.Std = fptr(math.Sqrt(c.m2 / float64(c.n-1)))
			}
			d := c.cdf()
			var q [len(QuantileProbs)]Float
			for i, p := range QuantileProbs {
				q[i] = Float(d.quantile(p))
			}
			s.Quantiles = &Quantiles{q[0], q[1], q[2], q[3], q[4], q[5], q[6]}
			s.QuantilesExact = d.exact
			s.Histogram = c.histogram(d)
		}
	case KindString, KindBinary:
		s.Distinct, s.DistinctExact = c.counter.distinct()
		if c.hasBounds {
			s.MinValue, s.MaxValue = string(c.minB), string(c.maxB)
			nonNull := c.rows - c.nulls
			s.Length = &Length{Min: c.lenMin, Max: c.lenMax, Mean: float64(c.lenSum) / float64(nonNull)}
		}
	}
	s.TopExact = c.counter.exact
	s.TopError = c.counter.offset
	for _, e := range c.counter.top(TopK, c.entryLess) {
		// An approximate count no larger than its error bound says
		// nothing about the value: leave it out.
		if !s.TopExact && e.count <= s.TopError {
			break
		}
		s.Top = append(s.Top, TopValue{Value: c.formatEntry(e), Count: e.count})
	}
	return s
}

// Quantile returns the value at probability q in [0, 1] of a numeric or
// boolean column: exact (NumPy's linear interpolation) below
// ExactDistinctCap distinct values, from the sketch above. ok is false
// when the column has no values.
func (c *Column) Quantile(q float64) (v float64, ok bool) {
	switch c.Kind {
	case KindInt, KindFloat:
		if c.n == 0 {
			return 0, false
		}
		return c.cdf().quantile(q), true
	case KindBool:
		n := c.rows - c.nulls
		if n == 0 {
			return 0, false
		}
		d := cdf{vals: []float64{0, 1}, cum: []int64{n - c.trues, n}, exact: true}
		if c.trues == 0 {
			d = cdf{vals: []float64{0}, cum: []int64{n}, exact: true}
		} else if c.trues == n {
			d = cdf{vals: []float64{1}, cum: []int64{n}, exact: true}
		}
		return d.quantile(q), true
	}
	return 0, false
}

func boolString(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

func (c *Column) entryLess(a, b entry) bool {
	switch c.Kind {
	case KindInt:
		return int64(a.val) < int64(b.val)
	case KindFloat:
		return math.Float64frombits(a.val) < math.Float64frombits(b.val)
	}
	return bytes.Compare(c.counter.value(a), c.counter.value(b)) < 0
}

func (c *Column) formatEntry(e entry) string {
	switch c.Kind {
	case KindInt:
		return c.formatInt(int64(e.val))
	case KindFloat:
		return formatFloat(math.Float64frombits(e.val))
	}
	return string(c.counter.value(e))
}

// formatInt renders an integer of the column's type: dates and timestamps
// as ISO 8601 text.
func (c *Column) formatInt(v int64) string {
	return FormatValue(c.Type, float64(v), v)
}

// FormatValue renders a value of a numeric column of type typ for people:
// dates as 2006-01-02, timestamps as RFC 3339 in UTC, numbers as the
// shortest decimal. iv is the exact integer for integer types.
func FormatValue(typ string, f float64, iv int64) string {
	switch {
	case typ == "date":
		return time.Unix(iv*86400, 0).UTC().Format("2006-01-02")
	case strings.HasPrefix(typ, "timestamp[ms]"):
		return time.UnixMilli(iv).UTC().Format(time.RFC3339Nano)
	case strings.HasPrefix(typ, "timestamp[us]"):
		return time.UnixMicro(iv).UTC().Format(time.RFC3339Nano)
	case strings.HasPrefix(typ, "timestamp[ns]"):
		return time.Unix(0, iv).UTC().Format(time.RFC3339Nano)
	case strings.HasPrefix(typ, "int") || strings.HasPrefix(typ, "uint"):
		return strconv.FormatInt(iv, 10)
	}
	return formatFloat(f)
}

func formatFloat(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// histogram bins the quantile sketch: one bin per integer for integer
// columns spanning fewer than HistogramBins values, else HistogramBins
// equal-width bins from min to max.
func (c *Column) histogram(d cdf) *Histogram {
	total := d.total()
	lo, hi := c.min, c.max
	var edges []float64
	switch {
	case math.IsInf(lo, 0) || math.IsInf(hi, 0):
		return nil
	case c.Kind == KindInt && c.minInt <= c.maxInt && uint64(c.maxInt)-uint64(c.minInt) < HistogramBins:
		span := int(uint64(c.maxInt) - uint64(c.minInt))
		for i := 0; i <= span+1; i++ {
			edges = append(edges, float64(c.minInt)+float64(i))
		}
	case lo == hi:
		edges = []float64{lo, hi}
	default:
		w := (hi - lo) / HistogramBins
		for i := range HistogramBins {
			e := lo + float64(i)*w
			if math.IsInf(w, 0) { // the range overflows float64
				t := float64(i) / HistogramBins
				e = lo*(1-t) + hi*t
			}
			edges = append(edges, e)
		}
		edges = append(edges, hi)
	}
	h := &Histogram{Edges: make([]Float, len(edges)), Counts: make([]int64, len(edges)-1)}
	for i, e := range edges {
		h.Edges[i] = Float(e)
	}
	// A sketch's weights sum to about the value count (its sampler keeps
	// them unbiased, not exact): scale them to the count.
	scale := 1.0
	if total > 0 && total != c.n {
		scale = float64(c.n) / float64(total)
	}
	prev := int64(0)
	for i := range h.Counts {
		r := c.n
		if i < len(h.Counts)-1 {
			r = min(int64(math.Round(float64(d.below(edges[i+1]))*scale)), c.n)
		}
		h.Counts[i] = r - prev
		prev = r
	}
	return h
}

// Distribution returns a numeric column's values as sorted distinct values
// with cumulative counts (cum[i] values are ≤ vals[i]). It is exact (every
// value, counted) while the column has at most ExactDistinctCap distinct
// values; past that it is the KLL sketch's retained items, whose weights
// sum to about the value count. Other kinds return nothing.
func (c *Column) Distribution() (vals []float64, cum []int64, exact bool) {
	if c.Kind != KindInt && c.Kind != KindFloat || c.counter == nil {
		return nil, nil, false
	}
	d := c.cdf()
	return d.vals, d.cum, d.exact
}

// Frequencies returns a string or binary column's values and their counts,
// most frequent first (ties by value). Exact: every value while the column
// has at most ExactDistinctCap distinct values. Otherwise the values the
// Misra-Gries summary kept whose counts exceed its error bound, each count
// low by at most that bound; the other values are not listed.
func (c *Column) Frequencies() (vals []string, counts []int64, exact bool) {
	if c.Kind != KindString && c.Kind != KindBinary || c.counter == nil {
		return nil, nil, false
	}
	es := c.counter.top(len(c.counter.entries), c.entryLess)
	for _, e := range es {
		if !c.counter.exact && e.count <= c.counter.offset {
			break
		}
		vals, counts = append(vals, string(c.counter.value(e))), append(counts, e.count)
	}
	return vals, counts, c.counter.exact
}
