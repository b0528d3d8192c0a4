package defs

import (
	"testing"
	"time"
)

func TestParseTTL(t *testing.T) {
	tests := []struct {
		in      string
		want    time.Duration
		wantErr bool
	}{
		{"0", 0, false},
		{"-0", 0, false},
		{"90m", 90 * time.Minute, false},
		{"1.5h", 90 * time.Minute, false},
		{"30d", 30 * 24 * time.Hour, false},
		{"2w", 14 * 24 * time.Hour, false},
		{"1d12h", 36 * time.Hour, false},
		{"0.1d", 144 * time.Minute, false},
		{"45s", 45 * time.Second, false},
		{"500ms", 500 * time.Millisecond, false},
		{"1h30m", 90 * time.Minute, false},
		{"+1h", time.Hour, false},
		{"", 0, true},
		{"30", 0, true},
		{"30x", 0, true},
		{"3y", 0, true},
		{"d", 0, true},
		{"1.2.3h", 0, true},
		{"-1h", 0, true},
		{"-30d", 0, true},
		{"-", 0, true},
		{"99999999999w", 0, true},
		{"300000d", 0, true},
		{"200000d200000d", 0, true},
		{" 1h", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseTTL(tt.in)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("ParseTTL(%q) = %v, want an error", tt.in, got)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("ParseTTL(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestFormatTTL(t *testing.T) {
	for _, d := range []time.Duration{0, time.Second, 90 * time.Minute, 36 * time.Hour, 30 * 24 * time.Hour, 14 * 24 * time.Hour, 1500 * time.Millisecond} {
		s := FormatTTL(d)
		got, err := ParseTTL(s)
		if err != nil || got != d {
			t.Errorf("ParseTTL(FormatTTL(%v) = %q) = %v, %v", d, s, got, err)
		}
	}
	if got := FormatTTL(30 * 24 * time.Hour); got != "30d" {
		t.Errorf("got %q, want 30d", got)
	}
}
