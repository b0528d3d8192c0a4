package dataset_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/assayhq/assay/dataset"
)

func TestParseRef(t *testing.T) {
	day := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want dataset.Ref
		str  string // canonical form; "" means the input
	}{
		// Dataset refs.
		{"churn", dataset.Ref{Name: "churn", Kind: dataset.RefHead}, ""},
		{"churn@v3", dataset.Ref{Name: "churn", Kind: dataset.RefVersion, Version: 3}, ""},
		{"churn@3", dataset.Ref{Name: "churn", Kind: dataset.RefVersion, Version: 3}, "churn@v3"},
		{"churn@V3", dataset.Ref{Name: "churn", Kind: dataset.RefVersion, Version: 3}, "churn@v3"},
		{"churn@v007", dataset.Ref{Name: "churn", Kind: dataset.RefVersion, Version: 7}, "churn@v7"},
		{"churn@v1", dataset.Ref{Name: "churn", Kind: dataset.RefVersion, Version: 1}, ""},
		{"churn@v9223372036854775807", dataset.Ref{Name: "churn", Kind: dataset.RefVersion, Version: 1<<63 - 1}, ""},
		{"churn@prod", dataset.Ref{Name: "churn", Kind: dataset.RefTag, Tag: "prod"}, ""},
		{"churn@v1.2.0", dataset.Ref{Name: "churn", Kind: dataset.RefTag, Tag: "v1.2.0"}, ""},
		{"churn@v3x", dataset.Ref{Name: "churn", Kind: dataset.RefTag, Tag: "v3x"}, ""},
		{"churn@2026-q4", dataset.Ref{Name: "churn", Kind: dataset.RefTag, Tag: "2026-q4"}, ""},
		{"churn@v", dataset.Ref{Name: "churn", Kind: dataset.RefTag, Tag: "v"}, ""},
		{"churn@HEAD", dataset.Ref{Name: "churn", Kind: dataset.RefTag, Tag: "HEAD"}, ""},
		{"churn@~1", dataset.Ref{Name: "churn", Kind: dataset.RefBack, Back: 1}, ""},
		{"churn@~12", dataset.Ref{Name: "churn", Kind: dataset.RefBack, Back: 12}, ""},
		{"churn@~01", dataset.Ref{Name: "churn", Kind: dataset.RefBack, Back: 1}, "churn@~1"},
		{"churn@2026-11-01T00:00:00Z", dataset.Ref{Name: "churn", Kind: dataset.RefTime, Time: day}, ""},
		{"churn@2026-11-01", dataset.Ref{Name: "churn", Kind: dataset.RefTime, Time: day}, "churn@2026-11-01T00:00:00Z"},
		{"churn@2026-11-01T02:00:00+02:00", dataset.Ref{Name: "churn", Kind: dataset.RefTime, Time: day}, "churn@2026-11-01T00:00:00Z"},
		{"churn@2026-10-31T19:30:00-04:30", dataset.Ref{Name: "churn", Kind: dataset.RefTime, Time: day}, "churn@2026-11-01T00:00:00Z"},
		{"churn@2026-11-01T00:00:00.25Z", dataset.Ref{Name: "churn", Kind: dataset.RefTime, Time: day.Add(250 * time.Millisecond)}, ""},
		{"Churn-2.v1_x", dataset.Ref{Name: "Churn-2.v1_x", Kind: dataset.RefHead}, ""},
		{"3", dataset.Ref{Name: "3", Kind: dataset.RefHead}, ""},
		{"3@3", dataset.Ref{Name: "3", Kind: dataset.RefVersion, Version: 3}, "3@v3"},
		{strings.Repeat("n", 128), dataset.Ref{Name: strings.Repeat("n", 128), Kind: dataset.RefHead}, ""},

		// Paths and globs.
		{"data/churn.parquet", dataset.Ref{Kind: dataset.RefPath, Path: "data/churn.parquet"}, ""},
		{"churn.parquet", dataset.Ref{Kind: dataset.RefPath, Path: "churn.parquet"}, ""},
		{"churn.PARQUET", dataset.Ref{Kind: dataset.RefPath, Path: "churn.PARQUET"}, ""},
		{"churn.pq", dataset.Ref{Kind: dataset.RefPath, Path: "churn.pq"}, ""},
		{"churn.csv", dataset.Ref{Kind: dataset.RefPath, Path: "churn.csv"}, ""},
		{"./churn", dataset.Ref{Kind: dataset.RefPath, Path: "./churn"}, ""},
		{".", dataset.Ref{Kind: dataset.RefPath, Path: "."}, ""},
		{"../exports", dataset.Ref{Kind: dataset.RefPath, Path: "../exports"}, ""},
		{"/abs/data", dataset.Ref{Kind: dataset.RefPath, Path: "/abs/data"}, ""},
		{`C:\data\churn`, dataset.Ref{Kind: dataset.RefPath, Path: `C:\data\churn`}, ""},
		{"exports/*.csv", dataset.Ref{Kind: dataset.RefPath, Path: "exports/*.csv"}, ""},
		{"part-?", dataset.Ref{Kind: dataset.RefPath, Path: "part-?"}, ""},
		{"part-[0-9]", dataset.Ref{Kind: dataset.RefPath, Path: "part-[0-9]"}, ""},
		{"data/churn@v3.parquet", dataset.Ref{Kind: dataset.RefPath, Path: "data/churn@v3.parquet"}, ""},
		{"my data/x y.csv", dataset.Ref{Kind: dataset.RefPath, Path: "my data/x y.csv"}, ""},
		{"churn@prod.csv", dataset.Ref{Kind: dataset.RefPath, Path: "churn@prod.csv"}, ""},
		{"s3://bucket/x.parquet", dataset.Ref{Kind: dataset.RefPath, Path: "s3://bucket/x.parquet"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := dataset.ParseRef(tt.in)
			if err != nil {
				t.Fatalf("ParseRef(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("ParseRef(%q):\ngot  %#v\nwant %#v", tt.in, got, tt.want)
			}
			wantStr := tt.str
			if wantStr == "" {
				wantStr = tt.in
			}
			if s := got.String(); s != wantStr {
				t.Errorf("ParseRef(%q).String() = %q, want %q", tt.in, s, wantStr)
			}
			again, err := dataset.ParseRef(got.String())
			if err != nil {
				t.Fatalf("ParseRef(%q) of the canonical form: %v", got.String(), err)
			}
			if again != got {
				t.Errorf("round trip through %q:\ngot  %#v\nwant %#v", got.String(), again, got)
			}
		})
	}
}

func TestParseRefErrors(t *testing.T) {
	tests := []struct {
		in   string
		want string // the whole error message
	}{
		{"", `bad ref "": empty ref (use name, name@v3, name@TAG, name@~1 or name@2026-11-01T00:00:00Z)`},
		{"churn@", `bad ref "churn@": empty selector after "@" (use name, name@v3, name@TAG, name@~1 or name@2026-11-01T00:00:00Z)`},
		{"@v3", `bad ref "@v3": missing dataset name before "@" (use name, name@v3, name@TAG, name@~1 or name@2026-11-01T00:00:00Z)`},
		{"churn@v3@v4", `bad ref "churn@v3@v4": more than one "@" (use name, name@v3, name@TAG, name@~1 or name@2026-11-01T00:00:00Z)`},
		{"churn@@", `bad ref "churn@@": more than one "@" (use name, name@v3, name@TAG, name@~1 or name@2026-11-01T00:00:00Z)`},
		{"churn@v0", `bad ref "churn@v0": version numbers start at 1`},
		{"churn@0", `bad ref "churn@0": version numbers start at 1`},
		{"churn@000", `bad ref "churn@000": version numbers start at 1`},
		{"churn@-1", `bad ref "churn@-1": version numbers start at 1`},
		{"churn@v-1", `bad ref "churn@v-1": version numbers start at 1`},
		{"churn@+3", `bad ref "churn@+3": write the version number without a sign, like churn@v3`},
		{"churn@v+3", `bad ref "churn@v+3": write the version number without a sign, like churn@v3`},
		{"churn@99999999999999999999", `bad ref "churn@99999999999999999999": version number 99999999999999999999 is out of range`},
		{"churn@v9223372036854775808", `bad ref "churn@v9223372036854775808": version number 9223372036854775808 is out of range`},
		{"churn@~", `bad ref "churn@~": missing number after "~": write churn@~1 for the version before the head`},
		{"churn@~0", `bad ref "churn@~0": ~0 is the head version: write just churn`},
		{"churn@~-1", `bad ref "churn@~-1": "~-1" is not "~" and a number, like ~1`},
		{"churn@~x", `bad ref "churn@~x": "~x" is not "~" and a number, like ~1`},
		{"churn@~99999999999999999999", `bad ref "churn@~99999999999999999999": "~99999999999999999999" is out of range`},
		{"churn@2026-13-01", `bad ref "churn@2026-13-01": bad time "2026-13-01": want an RFC 3339 time with a zone, like 2026-11-01T00:00:00Z, or a date, like 2026-11-01`},
		{"churn@2026-11-01T00:00:00", `bad ref "churn@2026-11-01T00:00:00": bad time "2026-11-01T00:00:00": want an RFC 3339 time with a zone, like 2026-11-01T00:00:00Z, or a date, like 2026-11-01`},
		{"churn@2026-11-01x", `bad ref "churn@2026-11-01x": bad time "2026-11-01x": want an RFC 3339 time with a zone, like 2026-11-01T00:00:00Z, or a date, like 2026-11-01`},
		{"churn@0000-01-01T00:30:00+01:00", `bad ref "churn@0000-01-01T00:30:00+01:00": time "0000-01-01T00:30:00+01:00" is out of range (years 1 to 9999 in UTC)`},
		{"churn@9999-12-31T23:30:00-01:00", `bad ref "churn@9999-12-31T23:30:00-01:00": time "9999-12-31T23:30:00-01:00" is out of range (years 1 to 9999 in UTC)`},
		{"churn v3", `bad ref "churn v3": dataset name "churn v3" contains " "; use letters, digits, '.', '_' and '-'`},
		{"churn@prod!", `bad ref "churn@prod!": tag name "prod!" contains "!"; use letters, digits, '.', '_' and '-'`},
		{"chürn", `bad ref "chürn": dataset name "chürn" contains "ü"; use letters, digits, '.', '_' and '-'`},
		{"ch\xffrn", `bad ref "ch\xffrn": dataset name "ch\xffrn" contains "\xff"; use letters, digits, '.', '_' and '-'`},
		{"-churn", `bad ref "-churn": dataset name "-churn" must start with a letter or digit`},
		{"_churn", `bad ref "_churn": dataset name "_churn" must start with a letter or digit`},
		{"a..b", `bad ref "a..b": dataset name "a..b" contains ".."`},
		{"churn.", `bad ref "churn.": dataset name "churn." must not end in "."`},
		{"con", `bad ref "con": dataset name "con" is a device name reserved on Windows`},
		{"COM1.x", `bad ref "COM1.x": dataset name "COM1.x" is a device name reserved on Windows`},
		{"churn@nul", `bad ref "churn@nul": tag name "nul" is a device name reserved on Windows`},
		{"churn@2026-11-01T00:00:00Z@x", `bad ref "churn@2026-11-01T00:00:00Z@x": more than one "@" (use name, name@v3, name@TAG, name@~1 or name@2026-11-01T00:00:00Z)`},
		{strings.Repeat("n", 129), `bad ref "` + strings.Repeat("n", 129) + `": dataset name "nnnnnnnnnnnnnnnnnnnn"… is longer than 128 characters`},
		{"data/[", `bad ref "data/[": bad glob pattern: syntax error in pattern`},
		{"data/x\x00.csv", `bad ref "data/x\x00.csv": path contains a NUL byte`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := dataset.ParseRef(tt.in)
			if err == nil {
				t.Fatalf("ParseRef(%q) = %#v, want error %q", tt.in, got, tt.want)
			}
			if err.Error() != tt.want {
				t.Errorf("ParseRef(%q) error:\ngot  %s\nwant %s", tt.in, err, tt.want)
			}
			var re *dataset.RefError
			if !errors.As(err, &re) {
				t.Errorf("ParseRef(%q) error is %T, want *RefError", tt.in, err)
			} else if re.Ref != tt.in {
				t.Errorf("RefError.Ref = %q, want %q", re.Ref, tt.in)
			}
			if !errors.Is(err, dataset.ErrInvalid) {
				t.Errorf("ParseRef(%q) error does not wrap ErrInvalid", tt.in)
			}
		})
	}
}

func TestValidateName(t *testing.T) {
	tests := []struct {
		kind, name string
		wantErr    string // substring; "" for a good name
	}{
		{"dataset", "churn", ""},
		{"dataset", "Churn_2026-11.v2", ""},
		{"dataset", "v3", ""},
		{"dataset", "3", ""},
		{"dataset", "2026-11-01", ""},
		{"dataset", "console", ""},
		{"dataset", "com0", ""},
		{"dataset", "lpt10", ""},
		{"tag", "prod", ""},
		{"tag", "v1.2.0", ""},
		{"tag", "v3-rc1", ""},
		{"tag", "2026-q4", ""},
		{"tag", "2026", "looks like a version number"},
		{"tag", "v3", "looks like a version number"},
		{"tag", "V3", "looks like a version number"},
		{"tag", "2026-11-01", "looks like a date"},
		{"tag", "2026-11-01T00", "looks like a date"},
		{"tag", "~1", `contains "~"`},
		{"tag", "v-3", "looks like a version number"},
		{"dataset", "", "empty dataset name"},
		{"tag", "", "empty tag name"},
		{"dataset", "a/b", `contains "/"`},
		{"dataset", `a\b`, `contains "\\"`},
		{"dataset", "a@b", `contains "@"`},
		{"dataset", "a:b", `contains ":"`},
		{"dataset", ".hidden", "must start with a letter or digit"},
		{"dataset", "a..b", `contains ".."`},
		{"dataset", "a.", `must not end in "."`},
		{"dataset", "x.parquet", "marks a file path"},
		{"tag", "x.Pq", "marks a file path"},
		{"dataset", "x.csv", "marks a file path"},
		{"dataset", "aux", "reserved on Windows"},
		{"dataset", "LPT9", "reserved on Windows"},
		{"dataset", strings.Repeat("x", 129), "longer than 128"},
		{"column", "x", "unknown kind"},
	}
	for _, tt := range tests {
		t.Run(tt.kind+"/"+tt.name, func(t *testing.T) {
			err := dataset.ValidateName(tt.kind, tt.name)
			if tt.wantErr == "" {
				if err != nil {
					t.Errorf("ValidateName(%q, %q): got %v, want nil", tt.kind, tt.name, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("ValidateName(%q, %q): got %v, want an error containing %q", tt.kind, tt.name, err, tt.wantErr)
			}
			if err != nil && tt.kind != "column" && !errors.Is(err, dataset.ErrInvalid) {
				t.Errorf("ValidateName(%q, %q): error does not wrap ErrInvalid", tt.kind, tt.name)
			}
		})
	}
}

func TestRefString(t *testing.T) {
	tests := []struct {
		ref  dataset.Ref
		want string
	}{
		{dataset.Ref{Name: "churn"}, "churn"},
		{dataset.Ref{Name: "churn", Kind: dataset.RefVersion, Version: 42}, "churn@v42"},
		{dataset.Ref{Name: "churn", Kind: dataset.RefTag, Tag: "prod"}, "churn@prod"},
		{dataset.Ref{Name: "churn", Kind: dataset.RefBack, Back: 2}, "churn@~2"},
		{dataset.Ref{Name: "churn", Kind: dataset.RefTime, Time: time.Date(2026, 11, 1, 9, 30, 0, 0, time.FixedZone("CET", 3600))}, "churn@2026-11-01T08:30:00Z"},
		{dataset.Ref{Name: "churn", Kind: dataset.RefTime, Time: time.Date(2026, 11, 1, 0, 0, 0, 1, time.UTC)}, "churn@2026-11-01T00:00:00.000000001Z"},
		{dataset.Ref{Kind: dataset.RefPath, Path: "data/*.parquet"}, "data/*.parquet"},
		{dataset.Ref{Name: "churn", Kind: 99}, "churn@<RefKind(99)>"},
	}
	for _, tt := range tests {
		if got := tt.ref.String(); got != tt.want {
			t.Errorf("%#v.String() = %q, want %q", tt.ref, got, tt.want)
		}
	}
}

func TestRefKindString(t *testing.T) {
	tests := []struct {
		kind dataset.RefKind
		want string
	}{
		{dataset.RefHead, "head"},
		{dataset.RefVersion, "version"},
		{dataset.RefTag, "tag"},
		{dataset.RefBack, "back"},
		{dataset.RefTime, "time"},
		{dataset.RefPath, "path"},
		{-1, "RefKind(-1)"},
		{6, "RefKind(6)"},
	}
	for _, tt := range tests {
		if got := tt.kind.String(); got != tt.want {
			t.Errorf("RefKind(%d).String() = %q, want %q", int(tt.kind), got, tt.want)
		}
	}
}

func TestIsGlob(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"data/churn.parquet", false},
		{"churn", false},
		{"data/*.parquet", true},
		{"part-?.csv", true},
		{"part-[0-9].csv", true},
		{"", false},
	}
	for _, tt := range tests {
		if got := dataset.IsGlob(tt.in); got != tt.want {
			t.Errorf("IsGlob(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}
