package csvconv

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Type is the type of a column: Int64, Float64, Bool, Timestamp or String.
type Type string

// The column types, from the narrowest to the widest.
const (
	Bool      Type = "bool"
	Int64     Type = "int64"
	Float64   Type = "float64"
	Timestamp Type = "timestamp"
	String    Type = "string"
)

// typeList names the valid types for error messages.
const typeList = "int64, float64, bool, timestamp, string"

// Valid reports whether t is one of the five column types.
func (t Type) Valid() bool { return kindOfType(t) != 0 }

// ParseType returns the Type named by s (case-insensitive, surrounding
// whitespace ignored).
func ParseType(s string) (Type, error) {
	t := Type(strings.ToLower(strings.TrimSpace(s)))
	if !t.Valid() {
		return "", fmt.Errorf("%w %q (want one of %s)", ErrInvalidType, s, typeList)
	}
	return t, nil
}

// ParseTypeHints parses type hints as given to a repeatable flag: each
// element is a comma-separated list of NAME=TYPE pairs, for example
// ["age=int64", "TotalCharges=string,tenure=float64"]. Whitespace around
// pairs, names and types is ignored; the type is the text after the last
// "=". A name given twice with different types is an error. Column names
// containing a comma cannot be hinted this way; set Options.Types directly.
func ParseTypeHints(s []string) (map[string]Type, error) {
	hints := make(map[string]Type)
	for _, arg := range s {
		for pair := range strings.SplitSeq(arg, ",") {
			pair = strings.TrimSpace(pair)
			if pair == "" {
				continue
			}
			i := strings.LastIndexByte(pair, '=')
			if i < 0 {
				return nil, fmt.Errorf("%w: type hint %q: want NAME=TYPE", ErrInvalidType, pair)
			}
			name := strings.TrimSpace(pair[:i])
			if name == "" {
				return nil, fmt.Errorf("%w: type hint %q: empty column name", ErrInvalidType, pair)
			}
			t, err := ParseType(pair[i+1:])
			if err != nil {
				return nil, fmt.Errorf("type hint %q: %w", pair, err)
			}
			if old, ok := hints[name]; ok && old != t {
				return nil, fmt.Errorf("%w: column %q hinted as both %s and %s", ErrInvalidType, name, old, t)
			}
			hints[name] = t
		}
	}
	return hints, nil
}

// kind is a set of cell types, one bit per Type; the zero kind is the
// empty set (null cells).
type kind uint8

const (
	kBool kind = 1 << iota
	kInt
	kFloat
	kTime
	kString
)

func kindOfType(t Type) kind {
	switch t {
	case Bool:
		return kBool
	case Int64:
		return kInt
	case Float64:
		return kFloat
	case Timestamp:
		return kTime
	case String:
		return kString
	}
	return 0
}

// join is the union of two kind sets.
func join(a, b kind) kind { return a | b }

// resolve returns the column type for the set of cell types seen.
func (k kind) resolve() Type {
	switch k {
	case kBool:
		return Bool
	case kInt:
		return Int64
	case kFloat, kInt | kFloat:
		return Float64
	case kTime:
		return Timestamp
	}
	return String
}

// trim removes the whitespace that surrounds a cell; ASCII cells take a
// fast path.
func trim(s string) string {
	for len(s) > 0 && isSpace(s[0]) {
		s = s[1:]
	}
	for len(s) > 0 && isSpace(s[len(s)-1]) {
		s = s[:len(s)-1]
	}
	if len(s) > 0 && (s[0] >= 0x80 || s[len(s)-1] >= 0x80) {
		return strings.TrimSpace(s)
	}
	return s
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

// classify returns the narrowest cell type that parses the cell, or 0 for a
// null cell. Convert accepts a cell for a column of type t exactly when
// join(classify(cell), kindOfType(t)).resolve() == t.
func classify(cell string) kind {
	s := trim(cell)
	if s == "" {
		return 0
	}
	if _, ok, overflow := parseInt(s); ok {
		return kInt
	} else if overflow {
		if _, ok := parseFloat(s); ok {
			return kFloat
		}
		return kString
	}
	if _, ok := parseFloat(s); ok {
		return kFloat
	}
	if _, ok := parseBool(s); ok {
		return kBool
	}
	if _, ok := parseTimestamp(s); ok {
		return kTime
	}
	return kString
}

// parseInt parses an optional sign followed by decimal digits. overflow is
// true when s has that form but is out of the int64 range.
func parseInt(s string) (v int64, ok, overflow bool) {
	digits := s
	if len(digits) > 0 && (digits[0] == '+' || digits[0] == '-') {
		digits = digits[1:]
	}
	if digits == "" {
		return 0, false, false
	}
	for i := 0; i < len(digits); i++ {
		if c := digits[i]; c < '0' || c > '9' {
			return 0, false, false
		}
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, false, true
	}
	return v, true, false
}

// parseFloat parses a decimal floating-point number (no hex, no
// underscores) or NaN, Inf, +Inf, -Inf in any letter case. A number that
// overflows float64 does not parse.
func parseFloat(s string) (float64, bool) {
	switch len(s) {
	case 3:
		if strings.EqualFold(s, "nan") {
			return math.NaN(), true
		}
		if strings.EqualFold(s, "inf") {
			return math.Inf(1), true
		}
	case 4:
		if strings.EqualFold(s[1:], "inf") {
			switch s[0] {
			case '+':
				return math.Inf(1), true
			case '-':
				return math.Inf(-1), true
			}
		}
	}
	digit := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digit = true
		case c == '+' || c == '-' || c == '.' || c == 'e' || c == 'E':
		default:
			return 0, false
		}
	}
	if !digit {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, false
	}
	return f, true
}

// parseBool parses true or false in any letter case.
func parseBool(s string) (v, ok bool) {
	switch {
	case strings.EqualFold(s, "true"):
		return true, true
	case strings.EqualFold(s, "false"):
		return false, true
	}
	return false, false
}

// parseTimestamp parses the timestamp forms listed in the package
// documentation and returns microseconds since the Unix epoch, UTC:
//
//	YYYY-MM-DD
//	YYYY-MM-DD(T| )hh:mm:ss[.f…][Z|(+|-)hh:mm]
//
// Fields have exactly the digits shown; fractional seconds may have any
// number of digits (truncated to microseconds). It is a hand-written
// equivalent of time.Parse with these layouts, several times faster.
func parseTimestamp(s string) (int64, bool) {
	if len(s) < 10 || s[4] != '-' || s[7] != '-' {
		return 0, false
	}
	year, ok1 := digits(s[0:4])
	month, ok2 := digits(s[5:7])
	day, ok3 := digits(s[8:10])
	if !ok1 || !ok2 || !ok3 || month < 1 || month > 12 || day < 1 || day > daysIn(month, year) {
		return 0, false
	}
	var hour, minute, sec, nanos, offset int
	if rest := s[10:]; rest != "" {
		if len(rest) < 9 || (rest[0] != 'T' && rest[0] != ' ') || rest[3] != ':' || rest[6] != ':' {
			return 0, false
		}
		var ok1, ok2, ok3 bool
		hour, ok1 = digits(rest[1:3])
		minute, ok2 = digits(rest[4:6])
		sec, ok3 = digits(rest[7:9])
		if !ok1 || !ok2 || !ok3 || hour > 23 || minute > 59 || sec > 59 {
			return 0, false
		}
		rest = rest[9:]
		if rest != "" && rest[0] == '.' {
			n := 1
			for n < len(rest) && isDigit(rest[n]) {
				if n <= 9 {
					nanos = nanos*10 + int(rest[n]-'0')
				}
				n++
			}
			if n == 1 {
				return 0, false
			}
			for k := n - 1; k < 9; k++ {
				nanos *= 10
			}
			rest = rest[n:]
		}
		switch {
		case rest == "" || rest == "Z":
		case len(rest) == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':':
			hh, ok1 := digits(rest[1:3])
			mm, ok2 := digits(rest[4:6])
			if !ok1 || !ok2 || hh > 23 || mm > 59 {
				return 0, false
			}
			offset = hh*3600 + mm*60
			if rest[0] == '-' {
				offset = -offset
			}
		default:
			return 0, false
		}
	}
	secs := daysFromCivil(year, month, day)*86400 + int64(hour*3600+minute*60+sec-offset)
	return secs*1_000_000 + int64(nanos/1000), true
}

// digits parses a string of decimal digits.
func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func daysIn(month, year int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// daysFromCivil returns the number of days from 1970-01-01 to the given
// proleptic Gregorian date (Howard Hinnant's days_from_civil).
func daysFromCivil(y, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 {
		era = (y - 399) / 400
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int64(era)*146097 + int64(doe) - 719468
}
