package defs

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
)

// ParseTTL parses a TTL: a duration as time.ParseDuration reads it (90m,
// 1.5h, 1h30m, 500ms), also with the units d (24h) and w (7d), as in 30d,
// 2w, 1d12h or 0.5d. "0" is 0, which means forever. Negative durations
// and durations beyond about 292 years are errors.
func ParseTTL(s string) (time.Duration, error) {
	if s == "" {
		return 0, errors.New("empty duration")
	}
	body := s
	neg := false
	switch body[0] {
	case '-':
		neg = true
		body = body[1:]
	case '+':
		body = body[1:]
	}
	if body == "0" {
		return 0, nil
	}
	if body == "" {
		return 0, fmt.Errorf("bad duration %q", s)
	}
	isNum := func(b byte) bool { return b == '.' || '0' <= b && b <= '9' }
	var total time.Duration
	for i := 0; i < len(body); {
		j := i
		for j < len(body) && isNum(body[j]) {
			j++
		}
		if j == i {
			return 0, fmt.Errorf("bad duration %q: want a number before each unit, as in 30d or 1h30m", s)
		}
		k := j
		for k < len(body) && !isNum(body[k]) {
			k++
		}
		num, unit := body[i:j], body[j:k]
		var d time.Duration
		var err error
		switch unit {
		case "":
			return 0, fmt.Errorf("bad duration %q: %s has no unit; want one of s, m, h, d, w (as in 30d)", s, num)
		case "d", "w":
			factor := time.Duration(24)
			if unit == "w" {
				factor = 7 * 24
			}
			d, err = time.ParseDuration(num + "h")
			if err == nil && d > math.MaxInt64/factor {
				err = errors.New("too long")
			}
			d *= factor
		case "ns", "us", "µs", "μs", "ms", "s", "m", "h":
			d, err = time.ParseDuration(num + unit)
		default:
			return 0, fmt.Errorf("bad duration %q: unknown unit %q; want one of s, m, h, d, w (or ns, us, ms)", s, unit)
		}
		if err != nil || total > math.MaxInt64-d {
			return 0, fmt.Errorf("bad duration %q: too long or malformed", s)
		}
		total += d
		i = k
	}
	if neg && total != 0 {
		return 0, fmt.Errorf("negative duration %q: a TTL is 0 (forever) or more", s)
	}
	return total, nil
}

// FormatTTL writes d as ParseTTL reads it, in the largest of w, d, h, m
// and s that divides it ("30d", "2w", "90m"), else as Go writes it.
func FormatTTL(d time.Duration) string {
	if d == 0 {
		return "0"
	}
	units := []struct {
		name string
		d    time.Duration
	}{{"w", 7 * 24 * time.Hour}, {"d", 24 * time.Hour}, {"h", time.Hour}, {"m", time.Minute}, {"s", time.Second}}
	for _, u := range units {
		if d%u.d == 0 {
			return fmt.Sprintf("%d%s", d/u.d, u.name)
		}
	}
	return strings.TrimSpace(d.String())
}
