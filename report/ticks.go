package report

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// tickSet is a run of evenly spaced axis ticks at multiples of a nice step
// m·10^e, m being 1, 2 or 5.
type tickSet struct {
	values []float64
	m      int64 // step mantissa: 1, 2 or 5; 0 when values are not on a step
	e      int   // step exponent
}

// maxTickIndex bounds |value/step| so that tick arithmetic stays exact in
// float64 (2^53 ≈ 9e15).
const maxTickIndex = 1e15

// niceStep returns a nice step m·10^e close to raw (> 0): the mantissa of
// raw is rounded to the nearest of 1, 2, 5 and 10 (Heckbert, "Nice numbers
// for graph labels", Graphics Gems, 1990). ok is false when raw is not a
// positive finite number or out of the range float64 handles here.
func niceStep(raw float64) (m int64, e int, ok bool) {
	if !(raw > 1e-300) || math.IsInf(raw, 0) {
		return 0, 0, false
	}
	e = int(math.Floor(math.Log10(raw)))
	f := raw / math.Pow10(e)
	switch {
	case f < 1.5:
		m = 1
	case f < 3:
		m = 2
	case f < 7:
		m = 5
	default:
		m, e = 1, e+1
	}
	return m, e, true
}

// tickValue returns k·10^e exactly rounded (one operation on exact
// integers and powers of ten), so ticks print as 0.3 rather than
// 0.30000000000000004.
func tickValue(k int64, e int) float64 {
	var v float64
	if e >= 0 {
		v = float64(k) * math.Pow10(e)
	} else {
		v = float64(k) / math.Pow10(-e)
	}
	if v == 0 {
		return 0 // no -0
	}
	return v
}

// niceTicks returns about n ticks at nice round numbers that lie within
// [lo, hi]: niceTicks(0, 1, 5) is 0, 0.2, 0.4, 0.6, 0.8, 1. When lo == hi
// the single tick is lo. When no nice number fits (a span too narrow for
// float64 around its magnitude, or non-finite bounds) it falls back to
// the bounds themselves (also when only one nice number would fit), or
// to nothing for non-finite input.
func niceTicks(lo, hi float64, n int) tickSet {
	return ticks(lo, hi, n, false)
}

// niceExtent is like niceTicks but extends the range outward to nice
// numbers, so the first tick is ≤ lo and the last ≥ hi: niceExtent(0, 93,
// 4) is 0, 20, 40, 60, 80, 100. It suits a value axis that must cover the
// data.
func niceExtent(lo, hi float64, n int) tickSet {
	return ticks(lo, hi, n, true)
}

func ticks(lo, hi float64, n int, extend bool) tickSet {
	if !finite(lo) || !finite(hi) {
		return tickSet{}
	}
	if lo > hi {
		lo, hi = hi, lo
	}
	if lo == hi {
		return tickSet{values: []float64{lo}}
	}
	if n < 1 {
		n = 1
	}
	ends := tickSet{values: []float64{lo, hi}}
	m, e, ok := niceStep((hi - lo) / float64(n))
	if !ok {
		return ends
	}
	step := tickValue(m, e)
	// A little slack absorbs rounding in lo/step so that a bound that is
	// itself a nice number is kept as a tick.
	const slack = 1e-9
	var kLo, kHi float64
	if extend {
		kLo = math.Floor(lo/step + slack)
		kHi = math.Ceil(hi/step - slack)
	} else {
		kLo = math.Ceil(lo/step - slack)
		kHi = math.Floor(hi/step + slack)
	}
	if kLo > kHi || math.Abs(kLo) > maxTickIndex || math.Abs(kHi) > maxTickIndex || kHi-kLo > 1000 {
		return ends
	}
	ts := tickSet{m: m, e: e}
	for k := int64(kLo); k <= int64(kHi); k++ {
		ts.values = append(ts.values, tickValue(k*m, e))
	}
	if !extend && len(ts.values) < 2 {
		return ends // one tick says too little about the axis
	}
	// Around magnitudes where the step is below float64 resolution,
	// neighbouring ticks can round to the same number.
	for i := 1; i < len(ts.values); i++ {
		if ts.values[i] <= ts.values[i-1] {
			return ends
		}
	}
	return ts
}

// siUnits are the suffixes for compact axis labels.
var siUnits = [...]struct {
	exp    int
	suffix string
}{{12, "T"}, {9, "G"}, {6, "M"}, {3, "k"}}

// labels formats the ticks as short axis labels that show exactly as many
// decimals as the step needs: 0, 0.2, 0.4; 0, 20k, 40k; 1.5M; 2e-06.
func (ts tickSet) labels() []string {
	out := make([]string, len(ts.values))
	if ts.m == 0 {
		// Not on a step (single tick or fallback bounds).
		for i, v := range ts.values {
			out[i] = FormatFloat(v)
		}
		return out
	}
	maxAbs := 0.0
	for _, v := range ts.values {
		maxAbs = math.Max(maxAbs, math.Abs(v))
	}
	format := func(v float64) string {
		return groupSigned(strconv.FormatFloat(v, 'f', max(0, -ts.e), 64))
	}
	switch {
	case ts.e <= -5 || maxAbs >= 1e15:
		// Exponent notation with as many mantissa digits as the step needs.
		prec := max(0, int(math.Floor(math.Log10(maxAbs)))-ts.e)
		format = func(v float64) string {
			if v == 0 {
				return "0"
			}
			return formatExp(v, prec)
		}
	case maxAbs >= 1e4 && ts.e >= 3:
		for _, u := range siUnits {
			if maxAbs >= math.Pow10(u.exp) {
				format = func(v float64) string {
					s := strconv.FormatFloat(v/math.Pow10(u.exp), 'f', max(0, u.exp-ts.e), 64)
					if v == 0 {
						return "0"
					}
					return groupSigned(trimZeros(s)) + u.suffix
				}
				break
			}
		}
	}
	for i, v := range ts.values {
		out[i] = format(v)
	}
	return out
}

// groupSigned groups the integer digits of a decimal that may have a sign.
func groupSigned(s string) string {
	if len(s) > 0 && s[0] == '-' {
		return "-" + groupFixed(s[1:])
	}
	return groupFixed(s)
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// Time axes hold Unix seconds and are shown in UTC.
const (
	minute = 60.0
	hour   = 60 * minute
	day    = 24 * hour
	year   = 365.2425 * day
	// The range of times with four-digit years, 0001-01-01 to 9999-12-31.
	minUnix = -62135596800.0
	maxUnix = 253402300799.0
)

// timeStep is a round step of a time axis: a number of seconds, or of
// calendar months, or of years.
type timeStep struct {
	sec           float64
	months, years int
}

func (s timeStep) approx() float64 {
	return s.sec + float64(s.months)*year/12 + float64(s.years)*year
}

var timeSteps = []timeStep{
	{sec: 1}, {sec: 2}, {sec: 5}, {sec: 10}, {sec: 15}, {sec: 30},
	{sec: minute}, {sec: 2 * minute}, {sec: 5 * minute}, {sec: 10 * minute}, {sec: 15 * minute}, {sec: 30 * minute},
	{sec: hour}, {sec: 2 * hour}, {sec: 3 * hour}, {sec: 6 * hour}, {sec: 12 * hour},
	{sec: day}, {sec: 2 * day}, {sec: 7 * day},
	{months: 1}, {months: 2}, {months: 3}, {months: 6},
}

// timeTicks returns about n ticks at round UTC times within [lo, hi], in
// Unix seconds: whole seconds, minutes, hours, days, Mondays, months or
// years. Their labels show as much as the step needs: years ("2026"),
// months ("2026-03"), days ("Mar 5", or "2026-03-05" when the range spans
// years), hours and minutes ("14:30", and the date at midnight when the
// range spans days), seconds ("14:30:15"). Like niceTicks it falls back
// to the bounds when fewer than two ticks fit. Times outside the years 1
// to 9999 get numeric ticks.
func timeTicks(lo, hi float64, n int) ([]float64, []string) {
	if lo > hi {
		lo, hi = hi, lo
	}
	if !finite(lo) || !finite(hi) || lo < minUnix || hi > maxUnix {
		ts := niceTicks(lo, hi, n)
		return ts.values, ts.labels()
	}
	ends := func() ([]float64, []string) {
		if lo == hi {
			return []float64{lo}, []string{formatTime(lo)}
		}
		return []float64{lo, hi}, []string{formatTime(lo), formatTime(hi)}
	}
	if n < 1 {
		n = 1
	}
	raw := (hi - lo) / float64(n)
	if hi-lo < 2 {
		return ends()
	}
	step := timeStep{years: 1}
	for _, s := range timeSteps {
		if s.approx() >= raw {
			step = s
			break
		}
	}
	if step.years > 0 {
		if m, e, ok := niceStep(raw / year); ok && e >= 0 {
			step.years = int(tickValue(m, e))
		}
	}
	var values []float64
	switch {
	case step.sec > 0:
		off := 0.0
		if step.sec == 7*day {
			off = 4 * day // 1970-01-05, a Monday
		}
		for k := math.Ceil((lo - off) / step.sec); k*step.sec+off <= hi; k++ {
			values = append(values, k*step.sec+off)
		}
	case step.months > 0:
		t := time.Unix(int64(math.Floor(lo)), 0).UTC()
		m := t.Year()*12 + int(t.Month()) - 1
		m -= m % step.months
		for ; ; m += step.months {
			x := float64(time.Date(m/12, time.Month(m%12+1), 1, 0, 0, 0, 0, time.UTC).Unix())
			if x > hi {
				break
			}
			if x >= lo {
				values = append(values, x)
			}
		}
	default:
		y := time.Unix(int64(math.Floor(lo)), 0).UTC().Year()
		for y -= y % step.years; ; y += step.years {
			x := float64(time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC).Unix())
			if x > hi {
				break
			}
			if x >= lo {
				values = append(values, x)
			}
		}
	}
	if len(values) < 2 {
		return ends()
	}
	first, last := time.Unix(int64(lo), 0).UTC(), time.Unix(int64(hi), 0).UTC()
	sameYear := first.Year() == last.Year()
	sameDay := sameYear && first.YearDay() == last.YearDay()
	labels := make([]string, len(values))
	for i, x := range values {
		t := time.Unix(int64(x), 0).UTC()
		var layout string
		switch {
		case step.years > 0:
			layout = "2006"
		case step.months > 0:
			layout = "2006-01"
		case step.sec >= day && sameYear:
			layout = "Jan 2"
		case step.sec >= day:
			layout = "2006-01-02"
		case t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && !sameDay:
			layout = "Jan 2"
		case step.sec >= minute:
			layout = "15:04"
		default:
			layout = "15:04:05"
		}
		labels[i] = t.Format(layout)
	}
	return values, labels
}

// formatTime formats Unix seconds as a UTC date and time, rounded to the
// second, leaving out a zero time of day and zero seconds:
// "2026-03-05", "2026-03-05 14:30 UTC", "2026-03-05 14:30:15 UTC". Times
// outside the years 1 to 9999 are formatted as numbers.
func formatTime(x float64) string {
	x = math.Round(x)
	if !finite(x) || x < minUnix || x > maxUnix {
		return FormatFloat(x)
	}
	s := time.Unix(int64(x), 0).UTC().Format("2006-01-02 15:04:05")
	if strings.HasSuffix(s, " 00:00:00") {
		return s[:10]
	}
	return strings.TrimSuffix(s, ":00") + " UTC"
}
