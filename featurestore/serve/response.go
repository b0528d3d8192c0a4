package serve

import (
	"math"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/assayhq/assay/featurestore/online"
)

// Response is the result of a lookup: the join keys of the request, then
// the features, one column each.
type Response struct {
	// FeatureNames names the columns: the join keys in sorted order, then
	// the features in the order they resolved to.
	FeatureNames []string
	// Columns holds one column per name.
	Columns []Column

	// The arrays that the columns' slices share.
	vals  []online.Value
	stats []online.Status
	times []int64
}

// Column is one join key or feature, with one entry per entity row.
type Column struct {
	// Values are the values; null when the status is not Present.
	Values []online.Value
	// Statuses say what the lookup found.
	Statuses []online.Status
	// EventTimes are the event times of the values' records, in
	// microseconds since the Unix epoch; 0 for none.
	EventTimes []int64
}

// reset makes r a response with the given names (which it copies) and n
// rows per column, all Missing at time 0, reusing r's slices.
func (r *Response) reset(names []string, n int) {
	r.FeatureNames = append(r.FeatureNames[:0], names...)
	r.Columns = grow(r.Columns, len(names))
	size := len(names) * n
	r.vals, r.stats, r.times = grow(r.vals, size), grow(r.stats, size), grow(r.times, size)
	for i := range r.Columns {
		lo, hi := i*n, (i+1)*n
		r.Columns[i] = Column{Values: r.vals[lo:hi:hi], Statuses: r.stats[lo:hi:hi], EventTimes: r.times[lo:hi:hi]}
	}
}

// grow returns s resized to n elements, all zero, reusing its array when
// it is large enough.
func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	s = s[:n]
	clear(s)
	return s
}

// AppendJSON appends the response as JSON in Feast's format (see the
// package documentation). It writes the values as they are; Get has
// already nulled expired ones.
func (r *Response) AppendJSON(dst []byte) []byte {
	dst = append(dst, `{"metadata":{"feature_names":[`...)
	for i, name := range r.FeatureNames {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendString(dst, name)
	}
	dst = append(dst, `]},"results":[`...)
	// Features of one view share their record's event time: format each
	// distinct time once and copy it after.
	var ts timeCache
	for i := range r.Columns {
		c := &r.Columns[i]
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, `{"values":[`...)
		for j, v := range c.Values {
			if j > 0 {
				dst = append(dst, ',')
			}
			dst = appendValue(dst, v)
		}
		dst = append(dst, `],"statuses":[`...)
		for j, s := range c.Statuses {
			if j > 0 {
				dst = append(dst, ',')
			}
			dst = append(dst, statusJSON(s)...)
		}
		dst = append(dst, `],"event_timestamps":[`...)
		for j, t := range c.EventTimes {
			if j > 0 {
				dst = append(dst, ',')
			}
			dst = ts.append(dst, t)
		}
		dst = append(dst, "]}"...)
	}
	return append(dst, "]}"...)
}

// statusJSON returns the JSON string of a status.
func statusJSON(s online.Status) string {
	switch s {
	case online.Present:
		return `"PRESENT"`
	case online.Expired:
		return `"EXPIRED"`
	}
	return `"MISSING"`
}

// timeCache remembers where in the output the last timestamp was
// written, to copy it when the next one is equal.
type timeCache struct {
	t          int64
	start, end int // the span of dst holding t's JSON; end is 0 before the first
}

// append appends t (microseconds since the epoch) as a quoted RFC 3339
// timestamp in UTC. dst must be what the previous call returned, grown.
func (c *timeCache) append(dst []byte, t int64) []byte {
	if c.end > 0 && c.t == t {
		return append(dst, dst[c.start:c.end]...)
	}
	c.t, c.start = t, len(dst)
	dst = append(dst, '"')
	dst = time.UnixMicro(t).UTC().AppendFormat(dst, time.RFC3339Nano)
	dst = append(dst, '"')
	c.end = len(dst)
	return dst
}

// appendValue appends v as JSON.
func appendValue(dst []byte, v online.Value) []byte {
	switch v.Kind() {
	case online.KindFloat64:
		return appendFloat(dst, v.Float())
	case online.KindInt64:
		return strconv.AppendInt(dst, v.Int(), 10)
	case online.KindString:
		return appendString(dst, v.Str())
	case online.KindBool:
		return strconv.AppendBool(dst, v.Bool())
	}
	return append(dst, "null"...)
}

// appendFloat appends f as encoding/json writes a float64, and NaN and
// the infinities as the strings "NaN", "Infinity" and "-Infinity".
func appendFloat(dst []byte, f float64) []byte {
	switch {
	case math.IsNaN(f):
		return append(dst, `"NaN"`...)
	case math.IsInf(f, 1):
		return append(dst, `"Infinity"`...)
	case math.IsInf(f, -1):
		return append(dst, `"-Infinity"`...)
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	dst = strconv.AppendFloat(dst, f, format, -1, 64)
	if format == 'e' {
		// Shorten e-09 to e-9, as encoding/json does.
		if n := len(dst); n >= 4 && dst[n-4] == 'e' && dst[n-3] == '-' && dst[n-2] == '0' {
			dst[n-2] = dst[n-1]
			dst = dst[:n-1]
		}
	}
	return dst
}

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string, escaped as encoding/json
// escapes it without HTML escaping: quotes, backslashes and control
// characters, U+2028 and U+2029; invalid UTF-8 becomes U+FFFD.
func appendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
