package report

import (
	"math"
	"testing"
)

func TestFormatInt(t *testing.T) {
	tests := []struct {
		in   int64
		want string
	}{
		{0, "0"},
		{7, "7"},
		{999, "999"},
		{1000, "1,000"},
		{7043, "7,043"},
		{-7043, "-7,043"},
		{123456, "123,456"},
		{1234567, "1,234,567"},
		{-100, "-100"},
		{math.MaxInt64, "9,223,372,036,854,775,807"},
		{math.MinInt64, "-9,223,372,036,854,775,808"},
	}
	for _, tt := range tests {
		if got := FormatInt(tt.in); got != tt.want {
			t.Errorf("FormatInt(%d) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFormatFloat(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{0, "0"},
		{math.Copysign(0, -1), "0"},
		{1, "1"},
		{3.14159, "3.142"},
		{-3.14159, "-3.142"},
		{12.5, "12.5"},
		{0.5, "0.5"},
		{0.1 + 0.2, "0.3"},
		{64.7617, "64.76"},
		{99.99, "99.99"},
		{99.996, "100"},
		{1234.5678, "1,235"},
		{7043, "7,043"},
		{9999.4, "9,999"},
		{9999.7, "10,000"},
		{123456.7, "123,457"},
		{-123456.7, "-123,457"},
		{999999999999, "999,999,999,999"},
		{1e12, "1e+12"},
		{1.5e13, "1.5e+13"},
		{6.02214076e23, "6.022e+23"},
		{0.001, "0.001"},
		{0.00012346, "0.0001235"},
		{0.0001, "0.0001"},
		{0.000099996, "0.0001"},
		{0.00001, "1e-05"},
		{-2.5e-7, "-2.5e-07"},
		{math.SmallestNonzeroFloat64, "4.941e-324"},
		{math.MaxFloat64, "1.798e+308"},
		{math.NaN(), "NaN"},
		{math.Inf(1), "∞"},
		{math.Inf(-1), "-∞"},
	}
	for _, tt := range tests {
		if got := FormatFloat(tt.in); got != tt.want {
			t.Errorf("FormatFloat(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFormatPercent(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{0, "0%"},
		{1, "100%"},
		{0.5, "50%"},
		{0.125, "12.5%"},
		{0.0016, "0.16%"},
		{11.0 / 7043, "0.16%"},
		{0.33333, "33.33%"},
		{0.00004, "<0.01%"},
		{0.00005, "0.01%"},
		{-0.00004, ">-0.01%"},
		{0.99999, ">99.99%"},
		{0.9999, "99.99%"},
		{-0.25, "-25%"},
		{12.5, "1,250%"},
		{math.NaN(), "NaN"},
		{math.Inf(1), "∞"},
		{math.Inf(-1), "-∞"},
	}
	for _, tt := range tests {
		if got := FormatPercent(tt.in); got != tt.want {
			t.Errorf("FormatPercent(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFormatBytes(t *testing.T) {
	tests := []struct {
		in   int64
		want string
	}{
		{0, "0 B"},
		{1, "1 B"},
		{1023, "1023 B"},
		{1024, "1 KiB"},
		{1536, "1.5 KiB"},
		{1258291, "1.2 MiB"},
		{10 * 1 << 20, "10 MiB"},
		{99*1<<20 + 1<<19, "99.5 MiB"},
		{100 * 1 << 20, "100 MiB"},
		{978534, "956 KiB"},
		{1<<20 - 1, "1 MiB"},
		{1<<30 - 1, "1 GiB"},
		{5 << 40, "5 TiB"},
		{-1536, "-1.5 KiB"},
		{math.MaxInt64, "8 EiB"},
		{math.MinInt64, "-8 EiB"},
	}
	for _, tt := range tests {
		if got := FormatBytes(tt.in); got != tt.want {
			t.Errorf("FormatBytes(%d) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
