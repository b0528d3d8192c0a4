package report

import (
	"math"
	"strconv"
	"strings"
)

// FormatInt formats n in decimal with comma thousands separators: 7043
// becomes "7,043".
func FormatInt(n int64) string {
	if n < 0 {
		// Negate as uint64 so that math.MinInt64 does not overflow.
		return "-" + group(strconv.FormatUint(uint64(-(n+1))+1, 10))
	}
	return group(strconv.FormatInt(n, 10))
}

// FormatFloat formats x for reading, to about 4 significant digits:
// 3.14159 → "3.142", 0.00012346 → "0.0001235", 7043 → "7,043". Magnitudes
// from 10,000 to 10¹² are rounded to whole numbers and keep all their
// integer digits (123456.7 → "123,457"); smaller than 10⁻⁴ or from 10¹²
// on they use an exponent (1.5e+13, 1e-05). NaN is "NaN" and the infinities
// are "∞" and "-∞". Trailing zeros are dropped and -0 is "0".
func FormatFloat(x float64) string {
	switch {
	case math.IsNaN(x):
		return "NaN"
	case math.IsInf(x, 1):
		return "∞"
	case math.IsInf(x, -1):
		return "-∞"
	case x == 0:
		return "0"
	}
	sign := ""
	if x < 0 {
		sign = "-"
		x = -x
	}
	if x >= 1e12 {
		return sign + formatExp(x, 3)
	}
	// Round to 4 significant digits first, then decide the notation from
	// the rounded exponent (so 9999.7 becomes "10,000", not "9,999.7").
	s := strconv.FormatFloat(x, 'e', 3, 64)
	exp, _ := strconv.Atoi(s[strings.IndexByte(s, 'e')+1:])
	switch {
	case exp < -4:
		return sign + formatExp(x, 3)
	case exp >= 4:
		return sign + group(strconv.FormatFloat(math.Round(x), 'f', 0, 64))
	}
	return sign + groupFixed(trimZeros(strconv.FormatFloat(x, 'f', 3-exp, 64)))
}

// FormatPercent formats a fraction as a percentage with at most two
// decimals: 0.0016 → "0.16%", 0.125 → "12.5%", 1 → "100%". Fractions too
// small to show as non-zero are "<0.01%", and those just short of one are
// ">99.99%", so that neither rounds to a misleading 0% or 100%.
func FormatPercent(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "∞"
	case math.IsInf(f, -1):
		return "-∞"
	}
	p := f * 100
	switch {
	case p == 0:
		return "0%"
	case p > 0 && p < 0.005:
		return "<0.01%"
	case p < 0 && p > -0.005:
		return ">-0.01%"
	case p > 99.995 && p < 100:
		return ">99.99%"
	}
	sign := ""
	if p < 0 {
		sign = "-"
		p = -p
	}
	return sign + groupFixed(trimZeros(strconv.FormatFloat(p, 'f', 2, 64))) + "%"
}

// FormatBytes formats a size in bytes with binary (IEC) units: 512 → "512 B",
// 1258291 → "1.2 MiB". One decimal is shown below 100 of a unit.
func FormatBytes(n int64) string {
	sign := ""
	u := uint64(n)
	if n < 0 {
		sign = "-"
		u = uint64(-(n + 1)) + 1
	}
	if u < 1024 {
		return sign + strconv.FormatUint(u, 10) + " B"
	}
	units := [...]string{"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"}
	v := float64(u)
	for i, unit := range units {
		v /= 1024
		if v >= 1024 && i < len(units)-1 {
			continue
		}
		var s string
		if v < 99.95 {
			s = trimZeros(strconv.FormatFloat(v, 'f', 1, 64))
		} else {
			s = strconv.FormatFloat(v, 'f', 0, 64)
		}
		// Move up a unit when rounding reached 1024 (1023.99 KiB → 1 MiB).
		if s == "1024" && i < len(units)-1 {
			continue
		}
		return sign + s + " " + unit
	}
	panic("unreachable") // the loop always returns at EiB
}

// formatExp formats x (> 0) in exponent notation with at most prec
// decimals in the mantissa, trailing zeros dropped: 1.500e+13 → 1.5e+13.
func formatExp(x float64, prec int) string {
	s := strconv.FormatFloat(x, 'e', prec, 64)
	i := strings.IndexByte(s, 'e')
	return trimZeros(s[:i]) + s[i:]
}

// trimZeros drops trailing zeros after a decimal point, and the point
// itself when nothing follows it.
func trimZeros(s string) string {
	if !strings.Contains(s, ".") {
		return s
	}
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// group inserts comma thousands separators into a string of digits.
func group(digits string) string {
	if len(digits) <= 3 {
		return digits
	}
	var b strings.Builder
	b.Grow(len(digits) + len(digits)/3)
	first := len(digits) % 3
	if first == 0 {
		first = 3
	}
	b.WriteString(digits[:first])
	for i := first; i < len(digits); i += 3 {
		b.WriteByte(',')
		b.WriteString(digits[i : i+3])
	}
	return b.String()
}

// groupFixed groups the integer part of an unsigned decimal such as
// "1234.5".
func groupFixed(s string) string {
	if i := strings.IndexByte(s, '.'); i >= 0 {
		return group(s[:i]) + s[i:]
	}
	return group(s)
}
