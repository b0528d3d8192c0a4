package csvconv

import (
	"errors"
	"maps"
	"math"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestClassify(t *testing.T) {
	tests := []struct {
		cell string
		want kind
	}{
		{"", 0},
		{" ", 0},
		{" \t\r\n", 0},
		{"\u00a0", 0}, // no-break space is whitespace too

		{"true", kBool},
		{"FALSE", kBool},
		{"True", kBool},
		{"fAlSe", kBool},
		{" true ", kBool},
		{"t", kString},
		{"yes", kString},
		{"no", kString},
		{"0", kInt},
		{"1", kInt},

		{"42", kInt},
		{"-42", kInt},
		{"+42", kInt},
		{"007", kInt},
		{" 12 ", kInt},
		{"9223372036854775807", kInt},
		{"-9223372036854775808", kInt},
		{"9223372036854775808", kFloat}, // out of int64 range
		{"-99999999999999999999", kFloat},
		{"1_000", kString},
		{"+", kString},
		{"-", kString},
		{"1 2", kString},

		{"1.5", kFloat},
		{"-.5", kFloat},
		{"5.", kFloat},
		{"1e10", kFloat},
		{"1E-3", kFloat},
		{"NaN", kFloat},
		{"nan", kFloat},
		{"Inf", kFloat},
		{"-inf", kFloat},
		{"+INF", kFloat},
		{"Infinity", kString},
		{"0x1p3", kString},
		{"1e400", kString}, // overflows float64
		{"1e-400", kFloat}, // underflows to 0
		{".", kString},
		{"e5", kString},
		{"1.2.3", kString},

		{"2024-01-31", kTime},
		{"2024-01-31T12:34:56", kTime},
		{"2024-01-31 12:34:56", kTime},
		{"2024-01-31T12:34:56.123456", kTime},
		{"2024-01-31 12:34:56.5", kTime},
		{"2024-01-31T12:34:56Z", kTime},
		{"2024-01-31T12:34:56.789+02:00", kTime},
		{"2024-01-31 12:34:56-05:30", kTime},
		{"2024-02-30", kString},
		{"2024-01-31T25:00:00", kString},
		{"2024-01-31T12:34", kString},
		{"2024/01/31", kString},
		{"31-01-2024", kString},
		{"2024-01-31X12:34:56", kString},

		{"hello", kString},
		{"No internet service", kString},
		{"7590-VHVEG", kString},
	}
	for _, tt := range tests {
		if got := classify(tt.cell); got != tt.want {
			t.Errorf("classify(%q) = %05b, want %05b", tt.cell, got, tt.want)
		}
	}
}

func TestResolve(t *testing.T) {
	tests := []struct {
		kinds kind
		want  Type
	}{
		{0, String},
		{kBool, Bool},
		{kInt, Int64},
		{kFloat, Float64},
		{kTime, Timestamp},
		{kString, String},
		{kInt | kFloat, Float64},
		{kInt | kBool, String},
		{kFloat | kBool, String},
		{kInt | kTime, String},
		{kFloat | kTime, String},
		{kBool | kTime, String},
		{kInt | kString, String},
		{kInt | kFloat | kBool, String},
	}
	for _, tt := range tests {
		if got := tt.kinds.resolve(); got != tt.want {
			t.Errorf("%05b.resolve() = %s, want %s", tt.kinds, got, tt.want)
		}
	}
}

func TestParseFloatSpecial(t *testing.T) {
	tests := []struct {
		in   string
		want float64
	}{
		{"inf", math.Inf(1)},
		{"+Inf", math.Inf(1)},
		{"-INF", math.Inf(-1)},
		{"1.25", 1.25},
		{"-3", -3},
	}
	for _, tt := range tests {
		got, ok := parseFloat(tt.in)
		if !ok || got != tt.want {
			t.Errorf("parseFloat(%q) = %v, %t, want %v, true", tt.in, got, ok, tt.want)
		}
	}
	if got, ok := parseFloat("NaN"); !ok || !math.IsNaN(got) {
		t.Errorf("parseFloat(NaN) = %v, %t, want NaN, true", got, ok)
	}
}

func TestParseTimestamp(t *testing.T) {
	micros := func(s string) int64 {
		tm, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		return tm.UnixMicro()
	}
	tests := []struct {
		in   string
		want int64
	}{
		{"1970-01-01", 0},
		{"2024-01-31", micros("2024-01-31T00:00:00Z")},
		{"2024-01-31T12:34:56", micros("2024-01-31T12:34:56Z")},
		{"2024-01-31 12:34:56", micros("2024-01-31T12:34:56Z")},
		{"2024-01-31 12:34:56.123456789", micros("2024-01-31T12:34:56.123456Z")}, // truncated to micros
		{"2024-01-31T12:34:56.5Z", micros("2024-01-31T12:34:56.5Z")},
		{"2024-01-31T12:34:56+02:00", micros("2024-01-31T10:34:56Z")},
		{"2024-01-31 12:34:56-05:30", micros("2024-01-31T18:04:56Z")},
		{"1969-12-31T23:59:59.999999Z", -1},
	}
	for _, tt := range tests {
		got, ok := parseTimestamp(tt.in)
		if !ok || got != tt.want {
			t.Errorf("parseTimestamp(%q) = %d, %t, want %d, true", tt.in, got, ok, tt.want)
		}
	}
}

func TestParseType(t *testing.T) {
	tests := []struct {
		in      string
		want    Type
		wantErr bool
	}{
		{"int64", Int64, false},
		{"FLOAT64", Float64, false},
		{" bool ", Bool, false},
		{"timestamp", Timestamp, false},
		{"string", String, false},
		{"int", "", true},
		{"", "", true},
	}
	for _, tt := range tests {
		got, err := ParseType(tt.in)
		if got != tt.want || (err != nil) != tt.wantErr {
			t.Errorf("ParseType(%q) = %q, %v, want %q, error %t", tt.in, got, err, tt.want, tt.wantErr)
		}
		if err != nil && !errors.Is(err, ErrInvalidType) {
			t.Errorf("ParseType(%q) error %v, want ErrInvalidType", tt.in, err)
		}
	}
}

func TestParseTypeHints(t *testing.T) {
	tests := []struct {
		name    string
		in      []string
		want    map[string]Type
		wantErr string
	}{
		{name: "none", in: nil, want: map[string]Type{}},
		{
			name: "flags",
			in:   []string{"age=int64", "TotalCharges=string,tenure=float64"},
			want: map[string]Type{"age": Int64, "TotalCharges": String, "tenure": Float64},
		},
		{
			name: "spaces and empty pairs",
			in:   []string{" a = bool , ,b=TIMESTAMP,"},
			want: map[string]Type{"a": Bool, "b": Timestamp},
		},
		{name: "equals in name", in: []string{"x=y=string"}, want: map[string]Type{"x=y": String}},
		{name: "repeated same", in: []string{"a=int64", "a=int64"}, want: map[string]Type{"a": Int64}},
		{name: "missing type", in: []string{"age"}, wantErr: `type hint "age": want NAME=TYPE`},
		{name: "empty name", in: []string{"=int64"}, wantErr: `empty column name`},
		{name: "bad type", in: []string{"age=integer"}, wantErr: `type hint "age=integer": invalid type "integer" (want one of int64, float64, bool, timestamp, string)`},
		{name: "conflict", in: []string{"a=int64,a=string"}, wantErr: `column "a" hinted as both int64 and string`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseTypeHints(tt.in)
			if tt.wantErr != "" {
				if err == nil || !errors.Is(err, ErrInvalidType) || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("got error %v, want ErrInvalidType containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("got error %v", err)
			}
			if !maps.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

// timestampRE is the grammar parseTimestamp accepts.
var timestampRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(Z|([+-])(\d{2}):(\d{2}))?)?$`)

// refTimestamp is parseTimestamp written with time.Parse.
func refTimestamp(s string) (int64, bool) {
	m := timestampRE.FindStringSubmatch(s)
	if m == nil {
		return 0, false
	}
	layout := "2006-01-02"
	if len(s) > 10 {
		layout = "2006-01-02" + s[10:11] + "15:04:05"
		if m[1] != "" {
			layout += "Z07:00"
		}
		if m[2] != "" && (m[3] > "23" || m[4] > "59") {
			return 0, false
		}
	}
	tm, err := time.Parse(layout, s)
	if err != nil {
		return 0, false
	}
	return tm.UnixMicro(), true
}

func TestParseTimestampMatchesTime(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		tm := time.Date(2+rng.IntN(9997), time.Month(1+rng.IntN(12)), 1+rng.IntN(31),
			rng.IntN(24), rng.IntN(60), rng.IntN(60), rng.IntN(1e9), time.UTC)
		var s string
		switch rng.IntN(4) {
		case 0:
			s = tm.Format("2006-01-02")
		case 1:
			s = tm.Format("2006-01-02 15:04:05.999999999")
		case 2:
			s = tm.Format("2006-01-02T15:04:05")
		default:
			zone := time.FixedZone("", (rng.IntN(47)-23)*1800)
			s = tm.In(zone).Format(time.RFC3339Nano)
		}
		got, gok := parseTimestamp(s)
		want, wok := refTimestamp(s)
		if got != want || gok != wok || !gok {
			t.Fatalf("parseTimestamp(%q) = %d, %t, want %d, %t", s, got, gok, want, wok)
		}
	}
	for _, s := range []string{
		"2023-02-29", "2024-02-29", "1900-02-29", "2000-02-29", "2024-04-31", "2024-00-10", "2024-13-01",
		"2024-01-01T24:00:00", "2024-01-01T23:60:00", "2024-01-01T23:59:60", "2024-01-01T1:02:03",
		"2024-01-01T10:00:00.", "2024-01-01T10:00:00,5", "2024-01-01T10:00:00+24:00", "2024-01-01T10:00:00+0200",
		"2024-01-01T10:00:00z", "2024-01-01t10:00:00", "2024-01-01Z", "0000-01-01", "+024-01-01", "2024-1-01",
		"2024-01-01T10:00:00.1234567891234Z",
	} {
		got, gok := parseTimestamp(s)
		want, wok := refTimestamp(s)
		if got != want || gok != wok {
			t.Errorf("parseTimestamp(%q) = %d, %t, want %d, %t", s, got, gok, want, wok)
		}
	}
}

func FuzzParseTimestamp(f *testing.F) {
	for _, s := range []string{"2024-01-31", "2024-01-31T12:34:56.789+02:00", "2024-01-31 12:34:56", "0000-02-29"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, gok := parseTimestamp(s)
		want, wok := refTimestamp(s)
		if got != want || gok != wok {
			t.Errorf("parseTimestamp(%q) = %d, %t, want %d, %t", s, got, gok, want, wok)
		}
	})
}
