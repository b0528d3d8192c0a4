package report

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"
)

func TestNiceStep(t *testing.T) {
	tests := []struct {
		raw  float64
		m    int64
		e    int
		fail bool
	}{
		{1, 1, 0, false},
		{1.4, 1, 0, false},
		{1.5, 2, 0, false},
		{2.9, 2, 0, false},
		{3, 5, 0, false},
		{6.9, 5, 0, false},
		{7, 1, 1, false},
		{23.25, 2, 1, false},
		{0.0031, 5, -3, false},
		{8e20, 1, 21, false},
		{0, 0, 0, true},
		{-1, 0, 0, true},
		{math.NaN(), 0, 0, true},
		{math.Inf(1), 0, 0, true},
		{1e-310, 0, 0, true},
	}
	for _, tt := range tests {
		m, e, ok := niceStep(tt.raw)
		if ok == tt.fail || ok && (m != tt.m || e != tt.e) {
			t.Errorf("niceStep(%v) = %d, %d, %v; want %d, %d, %v", tt.raw, m, e, ok, tt.m, tt.e, !tt.fail)
		}
	}
}

func fmtTicks(v []float64) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = fmt.Sprint(x)
	}
	return strings.Join(s, " ")
}

func TestNiceTicks(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	tests := []struct {
		lo, hi float64
		n      int
		want   string // ticks inside [lo, hi]
		extent string // niceExtent: ticks covering [lo, hi]
	}{
		{0, 100, 5, "0 20 40 60 80 100", "0 20 40 60 80 100"},
		{0, 1, 5, "0 0.2 0.4 0.6 0.8 1", "0 0.2 0.4 0.6 0.8 1"},
		{0, 93, 4, "0 20 40 60 80", "0 20 40 60 80 100"},
		{0.1, 0.7, 6, "0.1 0.2 0.3 0.4 0.5 0.6 0.7", "0.1 0.2 0.3 0.4 0.5 0.6 0.7"},
		{-3.7, 12.2, 5, "0 5 10", "-5 0 5 10 15"},
		{-1, 1, 4, "-1 -0.5 0 0.5 1", "-1 -0.5 0 0.5 1"},
		{100, 0, 5, "0 20 40 60 80 100", "0 20 40 60 80 100"}, // reversed bounds
		{18.25, 118.75, 5, "20 40 60 80 100", "0 20 40 60 80 100 120"},
		{0, 9000, 5, "0 2000 4000 6000 8000", "0 2000 4000 6000 8000 10000"},
		{1e-12, 3e-12, 4, "1e-12 1.5e-12 2e-12 2.5e-12 3e-12", "1e-12 1.5e-12 2e-12 2.5e-12 3e-12"},
		{1e9, 1e10, 3, "5e+09 1e+10", "0 5e+09 1e+10"},
		{0, 3, 1, "0 3", "0 5"},                                                           // step 5 > span: only the bounds
		{5, 5, 5, "5", "5"},                                                               // a point
		{1e15, 1e15 + 2, 5, "1e+15 1.000000000000002e+15", "1e+15 1.000000000000002e+15"}, // below resolution
		{-math.MaxFloat64, math.MaxFloat64, 5, fmtTicks([]float64{-math.MaxFloat64, math.MaxFloat64}), fmtTicks([]float64{-math.MaxFloat64, math.MaxFloat64})},
		{nan, 1, 5, "", ""},
		{0, inf, 5, "", ""},
	}
	for _, tt := range tests {
		if got := fmtTicks(niceTicks(tt.lo, tt.hi, tt.n).values); got != tt.want {
			t.Errorf("niceTicks(%v, %v, %d) = %s, want %s", tt.lo, tt.hi, tt.n, got, tt.want)
		}
		if got := fmtTicks(niceExtent(tt.lo, tt.hi, tt.n).values); got != tt.extent {
			t.Errorf("niceExtent(%v, %v, %d) = %s, want %s", tt.lo, tt.hi, tt.n, got, tt.extent)
		}
	}
}

func TestTickLabels(t *testing.T) {
	tests := []struct {
		lo, hi float64
		n      int
		want   string
	}{
		{0, 1, 5, "0.0 0.2 0.4 0.6 0.8 1.0"},
		{0, 100, 5, "0 20 40 60 80 100"},
		{0, 9000, 5, "0 2,000 4,000 6,000 8,000"},
		{0, 50000, 5, "0 10k 20k 30k 40k 50k"},
		{0, 2.5e6, 5, "0 0.5M 1M 1.5M 2M 2.5M"},
		{0, 3e12, 3, "0 1T 2T 3T"},
		{-20000, 20000, 4, "-20k -10k 0 10k 20k"},
		{10000.1, 10000.5, 4, "10,000.1 10,000.2 10,000.3 10,000.4 10,000.5"},
		{0, 0.0004, 4, "0.0000 0.0001 0.0002 0.0003 0.0004"},
		{0, 0.00004, 4, "0 1e-05 2e-05 3e-05 4e-05"},
		{1e-12, 3e-12, 4, "1e-12 1.5e-12 2e-12 2.5e-12 3e-12"},
		{0, 5e15, 5, "0 1e+15 2e+15 3e+15 4e+15 5e+15"},
		{5, 5, 5, "5"},
		{0, 3, 1, "0 3"},
	}
	for _, tt := range tests {
		if got := strings.Join(niceTicks(tt.lo, tt.hi, tt.n).labels(), " "); got != tt.want {
			t.Errorf("labels of niceTicks(%v, %v, %d) = %s, want %s", tt.lo, tt.hi, tt.n, got, tt.want)
		}
	}
}

func TestTimeTicks(t *testing.T) {
	at := func(s string) float64 {
		tm, err := time.Parse("2006-01-02 15:04:05", s)
		if err != nil {
			t.Fatal(err)
		}
		return float64(tm.Unix())
	}
	tests := []struct {
		lo, hi string
		n      int
		want   string // labels
	}{
		{"2026-03-05 14:30:00", "2026-03-05 14:30:10", 5, "14:30:00 14:30:02 14:30:04 14:30:06 14:30:08 14:30:10"},
		{"2026-03-05 14:07:13", "2026-03-05 14:52:40", 5, "14:10 14:20 14:30 14:40 14:50"},
		{"2026-03-05 09:10:00", "2026-03-05 21:00:00", 4, "12:00 15:00 18:00 21:00"},
		{"2026-03-05 05:00:00", "2026-03-08 03:00:00", 6, "12:00 Mar 6 12:00 Mar 7 12:00 Mar 8"},
		{"2026-03-01 00:00:00", "2026-03-09 00:00:00", 4, "Mar 2 Mar 4 Mar 6 Mar 8"},    // days since 1970-01-01
		{"2026-10-01 00:00:00", "2026-10-30 23:00:00", 6, "Oct 5 Oct 12 Oct 19 Oct 26"}, // Mondays
		{"2025-12-20 00:00:00", "2026-01-10 00:00:00", 3, "2025-12-22 2025-12-29 2026-01-05"},
		{"2026-01-15 00:00:00", "2026-12-20 00:00:00", 6, "2026-03 2026-05 2026-07 2026-09 2026-11"},
		{"2020-02-01 00:00:00", "2026-02-01 00:00:00", 4, "2022 2024 2026"},
		{"1999-06-01 00:00:00", "2026-06-01 00:00:00", 5, "2000 2005 2010 2015 2020 2025"},
		{"2026-03-05 14:30:00", "2026-03-05 14:30:01", 5, "2026-03-05 14:30 UTC 2026-03-05 14:30:01 UTC"}, // too short: the bounds
		{"2026-03-05 00:00:00", "2026-03-05 00:00:00", 5, "2026-03-05"},
	}
	for _, tt := range tests {
		lo, hi := at(tt.lo), at(tt.hi)
		values, labels := timeTicks(lo, hi, tt.n)
		if got := strings.Join(labels, " "); got != tt.want {
			t.Errorf("timeTicks(%s, %s, %d) = %s, want %s", tt.lo, tt.hi, tt.n, got, tt.want)
		}
		for _, v := range values {
			if v < lo || v > hi || v != math.Trunc(v) {
				t.Errorf("timeTicks(%s, %s, %d): tick %v not a whole second in range", tt.lo, tt.hi, tt.n, v)
			}
		}
	}
	// Outside the years 1 to 9999, and for non-finite bounds, numbers.
	if _, labels := timeTicks(-1e15, 1e15, 4); strings.Join(labels, " ") != "-1e+15 -5e+14 0 5e+14 1e+15" {
		t.Errorf("ticks far out of range: %q", labels)
	}
	if values, _ := timeTicks(0, math.Inf(1), 4); len(values) != 0 {
		t.Errorf("ticks to infinity: %v", values)
	}
}

func TestFormatTime(t *testing.T) {
	tests := []struct {
		x    float64
		want string
	}{
		{1_772_668_800, "2026-03-05"},
		{1_772_721_000, "2026-03-05 14:30 UTC"},
		{1_772_721_015, "2026-03-05 14:30:15 UTC"},
		{1_772_721_014.6, "2026-03-05 14:30:15 UTC"},
		{0, "1970-01-01"},
		{-62135596800, "0001-01-01"},
		{-1e15, "-1e+15"},
		{math.NaN(), "NaN"},
	}
	for _, tt := range tests {
		if got := formatTime(tt.x); got != tt.want {
			t.Errorf("formatTime(%v) = %q, want %q", tt.x, got, tt.want)
		}
	}
}
