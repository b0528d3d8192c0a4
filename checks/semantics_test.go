package checks_test

// Tests that the checks give Great Expectations' answers (GE 1.x with the
// pandas engine unless said otherwise). GE is not available here, so each
// case computes GE's figures by hand in its comment: element_count is the
// rows looked at, missing_count the nulls, unexpected_count the failing
// rows; unexpected_percent divides by the non-null rows for value rules
// (GE's "mostly" too) and by all rows for not_null; assay also reports
// both fractions (unexpected_percent_total, _nonmissing).

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/assayhq/assay/checks"
	"github.com/assayhq/assay/dataset"
)

// TestNullPolicy: value rules drop nulls first; not_null divides by all
// rows; nulls: fail and nulls: pass count nulls as failing or passing rows
// and divide by all rows.
func TestNullPolicy(t *testing.T) {
	// 10 rows; nulls at rows 3, 6, 7 (7 non-null); "z" (row 5) is the
	// only value outside {a, b}.
	path := data(t, scol("c", "a", "a", "b", nil, "a", "z", nil, nil, "a", "a"))
	tests := []struct {
		name, check string
		want        counts
	}{
		// GE expect_column_values_to_be_in_set(c, [a, b]): 1 unexpected
		// of 7 non-null = 14.2857%; of all rows 10%.
		{"in_set ignores nulls", "in_set: {column: c, values: [a, b]}", row(false, 10, 3, 1, 7, 5)},
		// mostly=0.85: 1/7 = 0.142857 <= 0.15 passes.
		{"mostly over non-null rows passes", "in_set: {column: c, values: [a, b]}\nmax_fail_fraction: 0.15", row(true, 10, 3, 1, 7, 5)},
		// max_fail_fraction 0.14: 1/7 > 0.14 fails (over all rows,
		// Soda's invalid_percent, 1/10 would pass).
		{"mostly over non-null rows fails", "in_set: {column: c, values: [a, b]}\nmax_fail_fraction: 0.14", row(false, 10, 3, 1, 7, 5)},
		{"max_fail_count", "in_set: {column: c, values: [a, b]}\nmax_fail_count: 1", row(true, 10, 3, 1, 7, 5)},
		// nulls: fail: rows 3, 5, 6, 7 fail, 4 of all 10 rows.
		{"nulls fail", "in_set: {column: c, values: [a, b]}\nnulls: fail", row(false, 10, 3, 4, 10, 3, 5, 6, 7)},
		{"nulls fail within tolerance", "in_set: {column: c, values: [a, b]}\nnulls: fail\nmax_fail_fraction: 0.4", row(true, 10, 3, 4, 10, 3, 5, 6, 7)},
		{"nulls fail beyond tolerance", "in_set: {column: c, values: [a, b]}\nnulls: fail\nmax_fail_fraction: 0.39", row(false, 10, 3, 4, 10, 3, 5, 6, 7)},
		// nulls: pass: 1 unexpected of all 10 rows; 0.1 <= 0.1 passes.
		{"nulls pass", "in_set: {column: c, values: [a, b]}\nnulls: pass\nmax_fail_fraction: 0.1", row(true, 10, 3, 1, 10, 5)},
		{"nulls pass fails", "in_set: {column: c, values: [a, b]}\nnulls: pass\nmax_fail_fraction: 0.09", row(false, 10, 3, 1, 10, 5)},
		// GE expect_column_values_to_not_be_null: 3 of 10 = 30%.
		{"not_null", "not_null: c", row(false, 10, 3, 3, 10, 3, 6, 7)},
		{"not_null mostly", "not_null: c\nmax_fail_fraction: 0.3", row(true, 10, 3, 3, 10, 3, 6, 7)},
		{"not_null mostly fails", "not_null: c\nmax_fail_fraction: 0.29", row(false, 10, 3, 3, 10, 3, 6, 7)},
		{"not_null count", "not_null: {column: c}\nmax_fail_count: 2", row(false, 10, 3, 3, 10, 3, 6, 7)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkCounts(t, runOne(t, path, tt.check), tt.want)
		})
	}
	t.Run("partial_unexpected_list", func(t *testing.T) {
		res := runOne(t, path, "in_set: {column: c, values: [a, b]}\nnulls: fail")
		if got, want := partial(res), []string{"<nil>", "z", "<nil>", "<nil>"}; !slices.Equal(got, want) {
			t.Errorf("partial_unexpected_list = %v, want %v", got, want)
		}
		if v := res.Samples[0].Values["c"]; v != nil {
			t.Errorf("sample of row 3: c = %q, want null", *v)
		}
		if v := res.Samples[1].Values["c"]; v == nil || *v != "z" {
			t.Errorf("sample of row 5: c = %v, want z", v)
		}
	})
	t.Run("all null", func(t *testing.T) {
		// A value rule over no non-null values passes (GE: 0 unexpected,
		// unexpected_percent 0 by convention); not_null fails them all.
		path := data(t, scol("c", nil, nil, nil))
		checkCounts(t, runOne(t, path, "in_set: {column: c, values: [a]}"), row(true, 3, 3, 0, 0))
		checkCounts(t, runOne(t, path, "in_set: {column: c, values: [a]}\nmax_fail_fraction: 0.5"), row(true, 3, 3, 0, 0))
		checkCounts(t, runOne(t, path, "not_null: c"), row(false, 3, 3, 3, 3, 0, 1, 2))
	})
}

// TestBetween: expect_column_values_to_be_between.
func TestBetween(t *testing.T) {
	nan := math.NaN()
	path := data(t,
		//     0  1    2    3  4    5    6    7   8     9
		fcol("f", 0.0, 1.0, 2.5, 3.0, 5.0, nil, nan, 6.0, -1.0, nil),
		icol("i", 0, 1, 2, 3, nil, 5, 6, nil, -1, 10),
		i32col("i32", 0, 1, 2, 3, nil, 5, 6, nil, -1, 10),
	)
	tests := []struct {
		name, check string
		want        counts
	}{
		// f: 8 non-null; outside [1, 5]: 0, NaN, 6, -1 (rows 0, 6, 7, 8).
		// NaN is a value that no bound admits.
		{"inclusive", "between: {column: f, min: 1, max: 5}", row(false, 10, 2, 4, 8, 0, 6, 7, 8)},
		{"strict_min", "between: {column: f, min: 1, max: 5, strict_min: true}", row(false, 10, 2, 5, 8, 0, 1, 6, 7, 8)},
		{"strict_max", "between: {column: f, min: 1, max: 5, strict_max: true}", row(false, 10, 2, 5, 8, 0, 4, 6, 7, 8)},
		{"both strict", "between: {column: f, min: 1, max: 5, strict_min: true, strict_max: true}", row(false, 10, 2, 6, 8, 0, 1, 4, 6, 7, 8)},
		{"min only", "between: {column: f, min: 2.5}", row(false, 10, 2, 4, 8, 0, 1, 6, 8)},
		{"max only strict", "between: {column: f, max: 3, strict_max: true}", row(false, 10, 2, 4, 8, 3, 4, 6, 7)},
		{"mostly", "between: {column: f, min: -1, max: 6}\nmax_fail_fraction: 0.125", row(true, 10, 2, 1, 8, 6)},
		// i: 8 non-null (rows 4, 7 null). v >= 2.5 on integers is v >= 3:
		// 0, 1, 2, -1 fail (rows 0, 1, 2, 8).
		{"int fractional min", "between: {column: i, min: 2.5}", row(false, 10, 2, 4, 8, 0, 1, 2, 8)},
		{"int32 fractional min", "between: {column: i32, min: 2.5}", row(false, 10, 2, 4, 8, 0, 1, 2, 8)},
		// v <= 2.5 is v <= 2: 3, 5, 6, 10 fail.
		{"int fractional max", "between: {column: i, max: 2.5}", row(false, 10, 2, 4, 8, 3, 5, 6, 9)},
		// 2.5 < v < 3.5 holds for 3 only.
		{"int fractional strict", "between: {column: i, min: 2.5, max: 3.5, strict_min: true, strict_max: true}", row(false, 10, 2, 7, 8, 0, 1, 2, 5, 6, 8, 9)},
		// 3 < v <= 6: 5 and 6 pass.
		{"int strict integral", "between: {column: i, min: 3, max: 6, strict_min: true}", row(false, 10, 2, 6, 8, 0, 1, 2, 3, 8, 9)},
		// 5 == 5.0: only the 5 passes.
		{"int equal bounds", "between: {column: i, min: 5.0, max: 5}", row(false, 10, 2, 7, 8, 0, 1, 2, 3, 6, 8, 9)},
		{"int all in", "between: {column: i, min: -1, max: 10}", row(true, 10, 2, 0, 8)},
		{"int nulls fail", "between: {column: i, min: -1, max: 10}\nnulls: fail", row(false, 10, 2, 2, 10, 4, 7)},
		{"int huge bounds", "between: {column: i, min: -1e300, max: 1e300}", row(true, 10, 2, 0, 8)},
		{"int bound beyond int64", "between: {column: i, min: 1e19}", row(false, 10, 2, 8, 8, 0, 1, 2, 3, 5, 6, 8, 9)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkCounts(t, runOne(t, path, tt.check), tt.want)
		})
	}
	t.Run("partial_unexpected_list", func(t *testing.T) {
		res := runOne(t, path, "between: {column: f, min: 1, max: 5}")
		if got, want := partial(res), []string{"0", "NaN", "6", "-1"}; !slices.Equal(got, want) {
			t.Errorf("partial_unexpected_list = %v, want %v", got, want)
		}
	})
}

// TestRegex: expect_column_values_to_match_regex uses re.search: the
// pattern may match anywhere.
func TestRegex(t *testing.T) {
	path := data(t, scol("s", "abb", "b", "cab", "xyz", nil, "ABB", ""))
	tests := []struct {
		name, check string
		want        counts
	}{
		// b is found in abb, b, cab; not in xyz, ABB, "" (rows 3, 5, 6).
		{"search", "regex: {column: s, pattern: b}", row(false, 7, 1, 3, 6, 3, 5, 6)},
		{"anchored", "regex: {column: s, pattern: '^b$'}", row(false, 7, 1, 5, 6, 0, 2, 3, 5, 6)},
		{"prefix", "regex: {column: s, pattern: '^a'}", row(false, 7, 1, 5, 6, 1, 2, 3, 5, 6)},
		{"case-insensitive", "regex: {column: s, pattern: '(?i)b'}", row(false, 7, 1, 2, 6, 3, 6)},
		{"dot matches all", "regex: {column: s, pattern: '.*'}", row(true, 7, 1, 0, 6)},
		// expect_column_values_to_not_match_regex: rows where b is found fail.
		{"not_regex", "not_regex: {column: s, pattern: b}", row(false, 7, 1, 3, 6, 0, 1, 2)},
		{"not_regex nulls fail", "not_regex: {column: s, pattern: b}\nnulls: fail", row(false, 7, 1, 4, 7, 0, 1, 2, 4)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkCounts(t, runOne(t, path, tt.check), tt.want)
		})
	}
}

// TestRegexMemo: the per-value memo of regex and format results gives the
// answers of a plain search, for a column of few values over many rows
// (the memo serves every row), and for one of many values (the memo fills
// and is dropped).
func TestRegexMemo(t *testing.T) {
	const n = 150_000
	few := []string{"alpha-1", "beta", "gamma-22", "delta", "ünïcode-3", "x", ""}
	var low, high []any
	for i := range n {
		v := few[(i*7+i/3)%len(few)]
		if i%97 == 0 {
			low = append(low, nil)
		} else {
			low = append(low, v)
		}
		high = append(high, fmt.Sprintf("v%07d", i*13%n))
	}
	path := writeData(t, filepath.Join(t.TempDir(), "memo.parquet"), 40_000, scol("low", low...), scol("high", high...))
	patterns := []string{`-\d+$`, `a`, `^[a-d]`, `(?i)Ü`, `[13579]$`, `^v00[0-4]`}
	for _, column := range []string{"low", "high"} {
		vals := low
		if column == "high" {
			vals = high
		}
		for _, pat := range patterns {
			for _, kind := range []string{"regex", "not_regex"} {
				t.Run(fmt.Sprintf("%s %s %s", column, kind, pat), func(t *testing.T) {
					re := regexp.MustCompile(pat)
					var missing, unexpected int64
					var rows []int64
					for i, v := range vals {
						if v == nil {
							missing++
							continue
						}
						if re.MatchString(v.(string)) != (kind == "regex") {
							unexpected++
							if len(rows) < checks.DefaultSamples {
								rows = append(rows, int64(i))
							}
						}
					}
					want := row(unexpected == 0, n, missing, unexpected, n-missing, rows...)
					checkCounts(t, runOne(t, path, fmt.Sprintf("%s: {column: %s, pattern: '%s'}", kind, column, pat)), want)
				})
			}
		}
	}
}

// TestInSet: expect_column_values_to_be_in_set and _not_be_in_set. Values
// keep their YAML types; a number against a string column is compared as
// its text.
func TestInSet(t *testing.T) {
	path := data(t,
		scol("s", "007", "7", "a", nil, "true", "1.5", "x"),
		icol("i", 1, 2, 3, nil, 2, 1, 0),
		fcol("f", 1.0, 2.0, 3.5, nil, 2.0, 1.0, 0.0),
		bcol("b", true, false, true, nil, true, true, false),
	)
	tests := []struct {
		name, check string
		want        counts
	}{
		// "007" quoted is the string 007: only row 0 matches.
		{"quoted 007", `in_set: {column: s, values: ["007"]}`, row(false, 7, 1, 5, 6, 1, 2, 4, 5, 6)},
		// 007 unquoted is the integer 7 (YAML 1.2): it matches "7" only.
		{"unquoted 007", `in_set: {column: s, values: [007]}`, row(false, 7, 1, 5, 6, 0, 2, 4, 5, 6)},
		{"bool and float as text", `in_set: {column: s, values: [true, 1.5, a, x]}`, row(false, 7, 1, 2, 6, 0, 1)},
		// The empty set fails every non-null row (GE's
		// expect_column_values_to_be_in_set with value_set=[]).
		{"empty set", `in_set: {column: s, values: []}`, row(false, 7, 1, 6, 6, 0, 1, 2, 4, 5, 6)},
		{"empty set nulls pass", "in_set: {column: s, values: []}\nnulls: pass", row(false, 7, 1, 6, 7, 0, 1, 2, 4, 5, 6)},
		{"not_in_set", `not_in_set: {column: s, values: [a, x, "--"]}`, row(false, 7, 1, 2, 6, 2, 6)},
		{"not_in_set empty", `not_in_set: {column: s, values: []}`, row(true, 7, 1, 0, 6)},
		// Integers: 1 and 2.0 are the same numbers as 1 and 2.
		{"int", `in_set: {column: i, values: [1, 2.0]}`, row(false, 7, 1, 2, 6, 2, 6)},
		{"int not_in_set", `not_in_set: {column: i, values: [0, 3]}`, row(false, 7, 1, 2, 6, 2, 6)},
		{"float", `in_set: {column: f, values: [1, 2, 3.5]}`, row(false, 7, 1, 1, 6, 6)},
		{"bool", `in_set: {column: b, values: [true]}`, row(false, 7, 1, 2, 6, 1, 6)},
		{"bool both", `in_set: {column: b, values: [true, false]}`, row(true, 7, 1, 0, 6)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkCounts(t, runOne(t, path, tt.check), tt.want)
		})
	}
}

// TestLength: expect_column_value_lengths_to_be_between / _to_equal count
// characters (Python len of str), not bytes.
func TestLength(t *testing.T) {
	// Characters: héllo 5 (6 bytes), 日本語 3 (9 bytes), abc 3, "" 0,
	// 😀😀 2 (8 bytes).
	path := data(t, scol("s", "héllo", "日本語", "abc", nil, "", "😀😀"))
	tests := []struct {
		name, check string
		want        counts
	}{
		{"equal", "length: {column: s, equal: 5}", row(false, 6, 1, 4, 5, 1, 2, 4, 5)},
		{"equal 3", "length: {column: s, equal: 3}", row(false, 6, 1, 3, 5, 0, 4, 5)},
		{"between", "length: {column: s, min: 2, max: 5}", row(false, 6, 1, 1, 5, 4)},
		{"max", "length: {column: s, max: 3}", row(false, 6, 1, 1, 5, 0)},
		{"min", "length: {column: s, min: 3}", row(false, 6, 1, 2, 5, 4, 5)},
		// min > max: every non-null row fails (GE).
		{"min above max", "length: {column: s, min: 5, max: 3}", row(false, 6, 1, 5, 5, 0, 1, 2, 4, 5)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkCounts(t, runOne(t, path, tt.check), tt.want)
		})
	}
}

// TestFormats: the named formats accept their valid examples and reject
// the invalid ones.
func TestFormats(t *testing.T) {
	tests := []struct {
		format  string
		valid   []string
		invalid []string
	}{
		{"email",
			[]string{"a@b.co", "first.last+tag@sub.example.org", "x_y@dom-ain.io", "UPPER@EXAMPLE.COM", "o'brien@example.ie"},
			[]string{"plain", "a@b", "@b.co", "a@", "a@.co", "a b@c.co", "a@b.c", "a@@b.co", "a@b.co.", "a@-b.co", ".a@b.co", "a.@b.co", "a@b_c.co", "a@b.c0"}},
		{"uuid",
			[]string{"123e4567-e89b-12d3-a456-426614174000", "123E4567-E89B-12D3-A456-426614174000", "00000000-0000-0000-0000-000000000000"},
			[]string{"123e4567e89b12d3a456426614174000", "123e4567-e89b-12d3-a456-42661417400g", "{123e4567-e89b-12d3-a456-426614174000}", "123e4567-e89b-12d3-a456-4266141740000", "123e4567-e89b-12d3a-456-426614174000", ""}},
		{"url",
			[]string{"https://example.com", "http://a.b/path?q=1#frag", "ftp://files.example.org/x", "https://user@example.com:8443/"},
			[]string{"example.com", "mailto:a@b.co", "http://", "https://exa mple.com", "/relative", "file:///etc/passwd", "https//example.com", ""}},
		{"date",
			[]string{"2026-11-01", "2024-02-29", "0001-01-01"},
			[]string{"2026-02-30", "2023-02-29", "2026-1-01", "01/11/2026", "2026-11-01T00:00:00Z", "2026-13-01", "20261101", " 2026-11-01"}},
		{"datetime",
			[]string{"2026-11-01T09:30:00Z", "2026-11-01T09:30:00+02:00", "2026-11-01T09:30:00.123Z", "2026-11-01 09:30:00", "2026-11-01T09:30:00"},
			[]string{"2026-11-01", "2026-11-01T25:00:00Z", "2026-11-01T09:30Z", "yesterday", "2026-11-01T09:30:00 +02:00", "2026-02-30T09:30:00Z"}},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			var vals []any
			var rows []int64
			for _, v := range tt.valid {
				vals = append(vals, v)
			}
			vals = append(vals, nil)
			for _, v := range tt.invalid {
				rows = append(rows, int64(len(vals)))
				vals = append(vals, v)
			}
			path := data(t, scol("v", vals...))
			res := runOne(t, path, fmt.Sprintf("format: {column: v, format: %s}", tt.format))
			n := int64(len(vals))
			checkCounts(t, res, row(false, n, 1, int64(len(tt.invalid)), n-1, rows...))
			if got := partial(res); !slices.Equal(got, tt.invalid) {
				t.Errorf("rejected %q, want exactly %q", got, tt.invalid)
			}
		})
	}
}

// TestUnique: expect_column_values_to_be_unique and
// expect_compound_columns_to_be_unique flag every row of a duplicated
// value; assay also reports duplicate groups (Soda's duplicate_count) and
// extra rows.
func TestUnique(t *testing.T) {
	//             0  1  2  3  4    5  6  7  8    9
	keys := []any{1, 2, 2, 3, nil, 3, 3, 4, nil, 5}
	strs := []any{"a", "b", "b", "c", nil, "c", "c", "d", nil, "e"}
	path := data(t,
		icol("k", keys...),
		scol("s", strs...),
		fcol("f", 0.0, math.Copysign(0, -1), 1.5, 2.5, nil, 1.5, 7.0, 8.0, 9.0, 10.0),
		// Compound key (a, b): rows 0, 1 are (1, x) twice; rows 3, 4 are
		// (null, x) twice: one null does not skip a row; row 5 is (null,
		// null), skipped (missing); rows 6, 7 are (2, null) twice.
		icol("a", 1, 1, 1, nil, nil, nil, 2, 2, 3, 4),
		scol("b", "x", "x", "y", "x", "x", nil, nil, nil, "x", "x"),
	)
	type dup struct{ groups, rows, extra, distinct int64 }
	tests := []struct {
		name, check string
		want        counts
		dup         dup
		partial     []string
	}{
		// k: 8 non-null; 2 occurs twice (rows 1, 2), 3 three times (3, 5,
		// 6): 2 groups, 5 duplicate rows (GE's unexpected_count), 3 extra;
		// 5 of 8 = 62.5%. Distinct values: 1, 2, 3, 4, 5.
		{"int", "unique: k", row(false, 10, 2, 5, 8, 1, 2, 3, 5, 6), dup{2, 5, 3, 5}, []string{"2", "2", "3", "3", "3"}},
		{"string", "unique: s", row(false, 10, 2, 5, 8, 1, 2, 3, 5, 6), dup{2, 5, 3, 5}, []string{"b", "b", "c", "c", "c"}},
		{"mostly", "unique: k\nmax_fail_fraction: 0.625", row(true, 10, 2, 5, 8, 1, 2, 3, 5, 6), dup{2, 5, 3, 5}, nil},
		// 0 and -0 are one value: rows 0, 1; 1.5 twice: rows 2, 5.
		{"float zeros", "unique: f", row(false, 10, 1, 4, 9, 0, 1, 2, 5), dup{2, 4, 2, 7}, []string{"0", "-0", "1.5", "1.5"}},
		// (a, b): 10 rows, 1 skipped; duplicate keys (1, x), (null, x),
		// (2, null): 6 rows of 9 = 66.67%. Distinct keys: (1,x), (1,y),
		// (null,x), (2,null), (3,x), (4,x).
		{"compound", "unique: [a, b]", row(false, 10, 1, 6, 9, 0, 1, 3, 4, 6, 7), dup{3, 6, 3, 6}, nil},
		{"compound where", "unique: [a, b]\nwhere: 'a != nil'", row(false, 7, 0, 4, 7, 0, 1, 6, 7), dup{2, 4, 2, 5}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := runOne(t, path, tt.check)
			checkCounts(t, res, tt.want)
			d := res.Duplicates
			if d == nil {
				t.Fatalf("no duplicates reported")
			}
			if d.Groups != tt.dup.groups || d.Rows != tt.dup.rows || d.ExtraRows != tt.dup.extra {
				t.Errorf("duplicates = %+v, want groups %d rows %d extra %d", *d, tt.dup.groups, tt.dup.rows, tt.dup.extra)
			}
			obs, _ := res.ObservedValue.(map[string]int64)
			if obs["distinct"] != tt.dup.distinct || obs["duplicate_groups"] != tt.dup.groups || obs["duplicate_rows"] != tt.dup.rows || obs["extra_rows"] != tt.dup.extra {
				t.Errorf("observed_value = %v, want distinct %d and the duplicate figures %+v", res.ObservedValue, tt.dup.distinct, tt.dup)
			}
			if tt.partial != nil {
				if got := partial(res); !slices.Equal(got, tt.partial) {
					t.Errorf("partial_unexpected_list = %v, want %v", got, tt.partial)
				}
			}
		})
	}
	t.Run("samples capped in row order", func(t *testing.T) {
		// 60 rows, each value twice, far apart: the first 20 failing rows
		// are rows 0..19 (first occurrences), not 30..49.
		var vals []any
		for i := range 60 {
			vals = append(vals, int64(i%30))
		}
		path := writeData(t, filepath.Join(t.TempDir(), "d.parquet"), 7, icol("k", vals...))
		res := runOne(t, path, "unique: k")
		var want []int64
		for i := range int64(checks.DefaultSamples) {
			want = append(want, i)
		}
		checkCounts(t, res, row(false, 60, 0, 60, 60, want...))
	})
}

// TestIncreasing: expect_column_values_to_be_increasing / _decreasing
// compare each value with the previous non-null value in row order (GE
// drops nulls, then diffs); the first value has no predecessor.
func TestIncreasing(t *testing.T) {
	//                0  1  2    3  4  5  6    7  8  9
	v := icol("v", 1, 2, nil, 2, 5, 4, nil, 6, 6, 7)
	f := fcol("f", 1.0, 2.0, nil, 2.0, 5.0, 4.0, nil, 6.0, 6.0, 7.0)
	s := scol("s", "a", "b", nil, "b", "e", "d", nil, "f", "f", "g")
	g := scol("g", "x", "y", "x", "y", "x", "y", "x", "y", "x", "y")
	tests := []struct {
		name, check string
		want        counts
	}{
		// Non-null 8. 4 after 5 fails (row 5); 6 after 4 (row 7) is
		// compared with 4, the previous non-null value, and passes.
		{"increasing", "increasing: v", row(false, 10, 2, 1, 8, 5)},
		{"increasing float", "increasing: f", row(false, 10, 2, 1, 8, 5)},
		{"increasing string", "increasing: s", row(false, 10, 2, 1, 8, 5)},
		// Strict: equal neighbours fail too (rows 3 and 8).
		{"strictly", "increasing: {column: v, strict: true}", row(false, 10, 2, 3, 8, 3, 5, 8)},
		// Decreasing: 2 after 1, 5 after 2, 6 after 4, 7 after 6 fail;
		// 2 after 2 and 6 after 6 pass unless strict.
		{"decreasing", "decreasing: v", row(false, 10, 2, 4, 8, 1, 4, 7, 9)},
		{"strictly decreasing", "decreasing: {column: v, strict: true}", row(false, 10, 2, 6, 8, 1, 3, 4, 7, 8, 9)},
		{"mostly", "increasing: v\nmax_fail_fraction: 0.125", row(true, 10, 2, 1, 8, 5)},
		// where g == "x": rows 0, 2, 4, 6, 8 with values 1, nil, 5, nil,
		// 6: increasing.
		{"where", "increasing: {column: v, strict: true}\nwhere: 'g == \"x\"'", row(true, 5, 2, 0, 3)},
		// where g == "y": 2, 2, 4, 6, 7: strict fails at row 3.
		{"where strict", "increasing: {column: v, strict: true}\nwhere: 'g == \"y\"'", row(false, 5, 0, 1, 5, 3)},
	}
	// Every row-group size, so that each row-group boundary falls at each
	// row (row 5, the violation, opens a row group of size 5, and 1).
	for _, rg := range []int64{0, 1, 2, 3, 4, 5, 7} {
		path := writeData(t, filepath.Join(t.TempDir(), "d.parquet"), rg, v, f, s, g)
		for _, workers := range []int{1, 4} {
			for _, tt := range tests {
				t.Run(fmt.Sprintf("%s/rg=%d/workers=%d", tt.name, rg, workers), func(t *testing.T) {
					run := runRules(t, path, rulesOf(tt.check), checks.Env{Workers: workers})
					checkCounts(t, run.Results[0], tt.want)
				})
			}
		}
	}
	t.Run("group_by", func(t *testing.T) {
		// Per group, in row order: x has 1, 5, 6 (rows 0, 4, 8) — fine;
		// y has 2, 2, 4, 6, 7 — strict fails at row 3.
		path := data(t, v, g)
		res := runOne(t, path, "increasing: {column: v, strict: true}\ngroup_by: g")
		if res.Success || res.FailingGroups != 1 || len(res.Groups) != 1 {
			t.Fatalf("success %v, %d failing groups (%d listed), want one", res.Success, res.FailingGroups, len(res.Groups))
		}
		gr := res.Groups[0]
		if gv := gr.Group["g"]; gv == nil || *gv != "y" || gr.ElementCount != 5 || gr.UnexpectedCount != 1 || len(gr.Samples) != 1 || gr.Samples[0].Row != 3 {
			t.Errorf("group %v: %d elements, %d unexpected, samples %v; want y, 5, 1, row 3", gr.Group, gr.ElementCount, gr.UnexpectedCount, gr.Samples)
		}
	})
}

// TestPair: expect_column_pair_values_A_to_be_greater_than_B and
// _to_be_equal: a row where exactly one side is null fails; both null is
// missing (GE's ignore_row_if="both_values_are_missing").
func TestPair(t *testing.T) {
	path := data(t,
		//          0  1  2    3  4    5
		icol("a", 2, 1, nil, 3, nil, 5),
		fcol("b", 1.0, 1.0, 2.0, nil, nil, 5.0),
		icol("c", 1, 1, 2, nil, nil, 5),
		scol("s", "b", "a", nil, "a", nil, "c"),
		scol("t", "a", "a", "a", nil, nil, "d"),
	)
	tests := []struct {
		name, check string
		want        counts
	}{
		// a > b: row 1 (1 > 1), 2 and 3 (one side null), 5 (5 > 5.0) fail;
		// row 4 (both null) is missing: 4 of 5 = 80%.
		{"greater", `pair: {a: a, op: ">", b: b}`, row(false, 6, 1, 4, 5, 1, 2, 3, 5)},
		{"short form", `pair: "a > b"`, row(false, 6, 1, 4, 5, 1, 2, 3, 5)},
		{"greater or equal", `pair: {a: a, op: ">=", b: b}`, row(false, 6, 1, 2, 5, 2, 3)},
		// 5 == 5.0 across an int and a float column.
		{"equal int float", `pair: {a: a, op: "==", b: b}`, row(false, 6, 1, 3, 5, 0, 2, 3)},
		{"equal ints", `pair: "a == c"`, row(false, 6, 1, 3, 5, 0, 2, 3)},
		{"not equal", `pair: "a != c"`, row(false, 6, 1, 4, 5, 1, 2, 3, 5)},
		{"less", `pair: "c < a"`, row(false, 6, 1, 4, 5, 1, 2, 3, 5)},
		{"strings", `pair: "s >= t"`, row(false, 6, 1, 3, 5, 2, 3, 5)},
		{"both null fail", "pair: \"a >= b\"\nnulls: fail", row(false, 6, 1, 3, 6, 2, 3, 4)},
		{"mostly", "pair: \"a >= b\"\nmax_fail_fraction: 0.4", row(true, 6, 1, 2, 5, 2, 3)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkCounts(t, runOne(t, path, tt.check), tt.want)
		})
	}
}

// TestRowRule: row expressions with SQL's three-valued logic; a null
// verdict is a missing row (its nulls policy decides), not a failure.
func TestRowRule(t *testing.T) {
	path := data(t,
		//             0    1          2          3    4    5    6
		icol("age", 20, 10, nil, nil, 17, 5, 30),
		scol("segment", "x", "student", "student", "x", nil, "x", "y"),
	)
	// age >= 18 || segment == "student":
	//   0 true; 1 false||true = true; 2 null||true = true;
	//   3 null||false = null; 4 false||null = null; 5 false; 6 true.
	rule := `row: 'age >= 18 || segment == "student"'`
	tests := []struct {
		name, check string
		want        counts
	}{
		{"three-valued", rule, row(false, 7, 2, 1, 5, 5)},
		{"nulls fail", rule + "\nnulls: fail", row(false, 7, 2, 3, 7, 3, 4, 5)},
		{"nulls pass", rule + "\nnulls: pass\nmax_fail_fraction: 0.15", row(true, 7, 2, 1, 7, 5)},
		// where segment != nil drops row 4: 6 rows, row 3 null.
		{"where", rule + "\nwhere: 'segment != nil'", row(false, 6, 1, 1, 5, 5)},
		// A null in where is false: age > 0 drops rows 2 and 3.
		{"where null", rule + "\nwhere: 'age > 0'", row(false, 5, 1, 1, 4, 5)},
		{"nil test", `row: 'age != nil || segment == "student"'`, row(false, 7, 0, 1, 7, 3)},
		{"coalesce", `row: '(age ?? 0) >= 18'`, row(false, 7, 0, 5, 7, 1, 2, 3, 4, 5)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkCounts(t, runOne(t, path, tt.check), tt.want)
		})
	}
	t.Run("group_by", func(t *testing.T) {
		// age >= 18 per segment: x rows 0, 3, 5 → 20 ok, null, 5 fails;
		// student rows 1, 2 → 10 fails, null; y row 6 → 30 ok; the
		// null segment row 4 → 17 fails. Failing groups, by key: null
		// segment first? Groups are listed in key order.
		res := runOne(t, path, "row: 'age >= 18'\ngroup_by: segment")
		if res.Success || res.FailingGroups != 3 {
			t.Fatalf("success %v, %d failing groups; want 3", res.Success, res.FailingGroups)
		}
		checkCounts(t, res, row(false, 7, 2, 3, 5, 1, 4, 5))
		got := map[string]string{}
		for _, g := range res.Groups {
			key := "<null>"
			if v := g.Group["segment"]; v != nil {
				key = *v
			}
			got[key] = fmt.Sprintf("%d/%d/%d %v", g.ElementCount, g.MissingCount, g.UnexpectedCount, sampleRowsOf(g.Samples))
		}
		want := map[string]string{
			"x":       "3/1/1 [5]",
			"student": "2/1/1 [1]",
			"<null>":  "1/0/1 [4]",
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("failing groups (elements/missing/unexpected samples):\n got %v\nwant %v", got, want)
		}
	})
}

func sampleRowsOf(ss []checks.Sample) []int64 {
	var rows []int64
	for _, s := range ss {
		rows = append(rows, s.Row)
	}
	return rows
}

// TestMetrics: metric rules over aggregates, compared with pandas
// (GE's column aggregate metrics): the sample standard deviation (ddof 1),
// the median averaging the two middle values, sums of integers exact.
func TestMetrics(t *testing.T) {
	path := data(t,
		// x: 1, 2, 3, 4, null, 10, 6 — six values, sorted 1 2 3 4 6 10.
		// sum 26, mean 13/3, min 1, max 10, median (3+4)/2 = 3.5.
		// Σx² = 166, m2 = 166 - 6·(13/3)² = 160/3, variance (n−1) =
		// 32/3, stddev √(32/3) = 3.265986...
		icol("x", 1, 2, 3, 4, nil, 10, 6),
		// Booleans are 0/1: 3 of 5 non-null true → mean 0.6.
		bcol("b", true, false, true, nil, true, false, nil),
		scol("s", "a", "b", "a", nil, "c", "a", "d"),
		fcol("empty", nil, nil, nil, nil, nil, nil, nil),
		scol("seg", "p", "p", "q", "q", "q", "r", "r"),
	)
	tests := []struct {
		name   string
		expr   string
		pass   bool
		values map[string]any // observed aggregates (nil: undefined)
	}{
		{"sum", "sum(x) == 26", true, map[string]any{"sum(x)": 26.0}},
		{"mean", "mean(x) > 4.33 && mean(x) < 4.34", true, map[string]any{"mean(x)": 13.0 / 3}},
		{"min max", "min(x) == 1 && max(x) == 10", true, map[string]any{"min(x)": 1.0, "max(x)": 10.0}},
		{"median even count", "median(x) == 3.5", true, map[string]any{"median(x)": 3.5}},
		{"variance", "variance(x) > 10.66 && variance(x) < 10.67", true, map[string]any{"variance(x)": 32.0 / 3}},
		{"stddev", "stddev(x) > 3.2659 && stddev(x) < 3.2660", true, map[string]any{"stddev(x)": math.Sqrt(32.0 / 3)}},
		{"quantile ends", "quantile(x, 0) == 1 && quantile(x, 1) == 10", true, map[string]any{"quantile(x, 0)": 1.0, "quantile(x, 1)": 10.0}},
		// distinct non-null values a, b, c, d: 4 of 6 non-null.
		{"distinct", "distinct(s) == 4", true, map[string]any{"distinct(s)": 4.0}},
		// unique_fraction with where: see TestUniqueFractionWithStatistics
		// for it without.
		{"null_fraction", "null_fraction(x) < 0.15", true, map[string]any{"null_fraction(x)": 1.0 / 7}},
		{"count nulls", "count(x) == 6 && nulls(x) == 1 && nulls(b) == 2", true, map[string]any{"count(x)": 6.0, "nulls(x)": 1.0, "nulls(b)": 2.0}},
		{"row_count", "row_count == 7", true, map[string]any{"row_count": 7.0}},
		{"false", "mean(x) > 5", false, map[string]any{"mean(x)": 13.0 / 3}},
		// An aggregate over an all-null column is undefined: the rule
		// fails whatever the comparison, observed value null.
		{"all-null mean", "mean(empty) > 0", false, map[string]any{"mean(empty)": nil}},
		{"all-null mean !=", "mean(empty) != 1", false, map[string]any{"mean(empty)": nil}},
		{"all-null stddev", "stddev(empty) < 1", false, map[string]any{"stddev(empty)": nil}},
		{"all-null median", "median(empty) < 1", false, map[string]any{"median(empty)": nil}},
		{"all-null min", "min(empty) < 1", false, map[string]any{"min(empty)": nil}},
		{"all-null sum", "sum(empty) == 0", false, map[string]any{"sum(empty)": nil}},
		{"all-null unique_fraction", "unique_fraction(empty) == 0", false, map[string]any{"unique_fraction(empty)": nil}},
		// …but counts are defined.
		{"all-null counts", "count(empty) == 0 && null_fraction(empty) == 1 && distinct(empty) == 0", true, map[string]any{"count(empty)": 0.0, "null_fraction(empty)": 1.0, "distinct(empty)": 0.0}},
		// Kleene: an undefined aggregate can still be decided.
		{"kleene", "mean(empty) > 0 || row_count > 0", true, map[string]any{"mean(empty)": nil}},
		// One value has no sample standard deviation.
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := runOne(t, path, "metric: '"+tt.expr+"'")
			if res.Success != tt.pass {
				t.Errorf("%s: success %v, want %v (observed %v, %s)", tt.expr, res.Success, tt.pass, res.ObservedValue, res.Message)
			}
			for k, want := range tt.values {
				got := observed(t, res, k)
				switch w := want.(type) {
				case nil:
					if got != nil {
						t.Errorf("%s = %v, want null", k, got)
					}
				case float64:
					g, ok := got.(float64)
					if !ok || !near(g, w) {
						t.Errorf("%s = %v, want %v", k, got, w)
					}
				}
			}
		})
	}
	t.Run("unique_fraction", func(t *testing.T) {
		// GE's expect_column_proportion_of_unique_values_to_be_between:
		// distinct / non-null = 4/6 (s), 6/6 (x). With a where that keeps
		// every row; TestUniqueFractionWithStatistics has it without.
		res := runOne(t, path, "metric: 'unique_fraction(s) > 0.66 && unique_fraction(s) < 0.67 && unique_fraction(x) == 1'\nwhere: 'seg != \"\"'")
		if !res.Success || !near(observed(t, res, "unique_fraction(s)").(float64), 4.0/6) {
			t.Errorf("unique_fraction: success %v, observed %v; want 4/6 and 1", res.Success, res.ObservedValue)
		}
	})
	t.Run("stddev of one value", func(t *testing.T) {
		path := data(t, fcol("x", 1.0, nil))
		res := runOne(t, path, "metric: 'stddev(x) >= 0'")
		if res.Success || observed(t, res, "stddev(x)") != nil {
			t.Errorf("stddev of one value: success %v, observed %v; want false, null", res.Success, res.ObservedValue)
		}
	})
	t.Run("empty data", func(t *testing.T) {
		path := data(t, fcol("x"), icol("i"))
		for _, tt := range []struct{ expr, metric string }{
			{"mean(x) >= 0", "mean(x)"}, {"max(i) >= 0", "max(i)"}, {"median(x) >= 0", "median(x)"},
			{"sum(i) == 0", "sum(i)"}, {"null_fraction(x) == 0", "null_fraction(x)"}, {"stddev(x) >= 0", "stddev(x)"},
		} {
			res := runOne(t, path, "metric: '"+tt.expr+"'")
			if res.Success || observed(t, res, tt.metric) != nil {
				t.Errorf("%s on no rows: success %v, observed %v; want a failure, %s null", tt.expr, res.Success, res.ObservedValue, tt.metric)
			}
		}
		res := runOne(t, path, "metric: 'row_count == 0 && count(x) == 0'")
		if !res.Success {
			t.Errorf("row_count == 0 on no rows failed: %v", res.ObservedValue)
		}
	})
}

// TestMetricExact: sums of integers are exact, and the sample variance is
// computed stably: cases where a float sum or the naive sum-of-squares
// formula gives the wrong answer.
func TestMetricExact(t *testing.T) {
	// 2^53 + 1 + 1: a float64 running sum stays at 2^53 (each +1 rounds
	// back to even); the exact sum 9007199254740994 is a float64.
	big := int64(1) << 53
	// 1e9 + {4, 7, 13, 16}: mean 1e9+10, deviations ±3, ±6, m2 = 90,
	// variance exactly 30. Σx² ≈ 4e18 has no room for the 90: the naive
	// (Σx² − n·mean²)/(n−1) is off by hundreds.
	sd := strconv.FormatFloat(math.Sqrt(30), 'g', -1, 64)
	for _, rg := range []int64{0, 1, 3} {
		path := writeData(t, filepath.Join(t.TempDir(), "d.parquet"), rg,
			icol("big", big, 1, 1, nil),
			fcol("x", 1e9+4, 1e9+7, 1e9+13, 1e9+16),
			icol("xi", int64(1e9+4), int64(1e9+7), int64(1e9+13), int64(1e9+16)),
		)
		tests := []struct{ expr, metric string }{
			{"sum(big) == 9007199254740994", "sum(big)"},
			{"variance(x) == 30", "variance(x)"},
			{"variance(xi) == 30", "variance(xi)"},
			{"stddev(x) >= " + sd + " && stddev(x) <= " + sd, "stddev(x)"},
			{"mean(x) == 1000000010", "mean(x)"},
			{"sum(xi) == 4000000040", "sum(xi)"},
		}
		for _, tt := range tests {
			t.Run(fmt.Sprintf("%s/rg=%d", tt.expr, rg), func(t *testing.T) {
				res := runOne(t, path, "metric: '"+tt.expr+"'")
				if !res.Success {
					t.Errorf("%s failed: %s = %v", tt.expr, tt.metric, observed(t, res, tt.metric))
				}
			})
		}
	}
}

// TestQuantileNearestRank: regression test; the bug it caught: GE's expect_column_quantile_values_to_be_between
// computes quantiles with interpolation="nearest" (pandas engine; SQL
// engines use percentile_disc), so a quantile is always a value of the
// column. assay interpolates linearly (NumPy's default), and the docs do
// not say so.
//
// x = 1, 2, 3, 4, 6, 10 (n = 6). quantile 0.25: position 0.25·5 = 1.25;
// nearest rank 1 → 2 (GE); linear 2 + 0.25·(3−2) = 2.25 (assay).
// quantile 0.9: position 4.5 → pandas rounds half to even → rank 4 → 6;
// linear 6 + 0.5·4 = 8.
func TestQuantileNearestRank(t *testing.T) {
	path := data(t, icol("x", 1, 2, 3, 4, nil, 10, 6))
	for _, tt := range []struct {
		q    string
		want float64
	}{{"0.25", 2}, {"0.9", 6}} {
		res := runOne(t, path, "metric: 'quantile(x, "+tt.q+") >= 0'")
		if got := observed(t, res, "quantile(x, "+tt.q+")"); got != tt.want {
			t.Errorf("quantile(x, %s) = %v, want %v as Great Expectations computes it", tt.q, got, tt.want)
		}
	}
}

// TestMetricWhereGroupBy: metric rules see only the where rows, and with
// group_by are decided per group, each failing group reported with its
// observed values.
func TestMetricWhereGroupBy(t *testing.T) {
	path := data(t,
		scol("seg", "a", "a", "b", "b", "b", "c", nil),
		icol("x", 1, 3, 10, 20, nil, nil, 7),
		bcol("ok", true, true, true, false, true, true, true),
	)
	t.Run("where", func(t *testing.T) {
		// ok rows: x = 1, 3, 10, null, null, 7 → mean 21/4.
		res := runOne(t, path, "metric: 'mean(x) == 5.25 && row_count == 6 && nulls(x) == 2'\nwhere: ok")
		if !res.Success {
			t.Errorf("where: observed %v, want mean 5.25, 6 rows, 2 nulls", res.ObservedValue)
		}
	})
	t.Run("group_by", func(t *testing.T) {
		// mean(x) < 5 per seg: a 2 passes; b 15 fails; c has no values
		// (undefined: fails); null seg 7 fails.
		res := runOne(t, path, "metric: 'mean(x) < 5'\ngroup_by: seg")
		if res.Success || res.FailingGroups != 3 {
			t.Fatalf("success %v, %d failing groups; want 3 (observed %v)", res.Success, res.FailingGroups, res.ObservedValue)
		}
		got := map[string]any{}
		for _, g := range res.Groups {
			key := "<null>"
			if v := g.Group["seg"]; v != nil {
				key = *v
			}
			got[key] = g.ObservedValue.(map[string]any)["mean(x)"]
		}
		want := map[string]any{"b": 15.0, "c": nil, "<null>": 7.0}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("failing groups' mean(x) = %v, want %v", got, want)
		}
	})
	t.Run("group_by median and row_count", func(t *testing.T) {
		// a: median 2, 2 rows ok; b: median 15 fails; c: 1 row, median
		// undefined; null: 1 row. (median first: see
		// TestGroupByMedianAllNullGroup.)
		res := runOne(t, path, "metric: 'row_count >= 2 && median(x) <= 10'\ngroup_by: seg")
		if res.FailingGroups != 3 {
			t.Errorf("%d failing groups, want 3: %v", res.FailingGroups, res.Groups)
		}
	})
	t.Run("row_count group_by", func(t *testing.T) {
		res := runOne(t, path, "row_count: {min: 2}\ngroup_by: seg")
		if res.Success || res.FailingGroups != 2 {
			t.Errorf("row_count per seg: success %v, %d failing groups, want c and null", res.Success, res.FailingGroups)
		}
	})
}

// TestRowCount: expect_table_row_count_to_be_between / _to_equal.
func TestRowCount(t *testing.T) {
	path := data(t, icol("x", 1, 2, 3, nil, 5))
	tests := []struct {
		check string
		pass  bool
	}{
		{"row_count: {min: 5}", true},
		{"row_count: {min: 6}", false},
		{"row_count: {max: 5}", true},
		{"row_count: {max: 4}", false},
		{"row_count: {min: 1, max: 5}", true},
		{"row_count: {equal: 5}", true},
		{"row_count: {equal: 4}", false},
		{"row_count: {min: 0}\nwhere: 'x > 2'", true},
		{"row_count: {equal: 2}\nwhere: 'x > 2'", true},
	}
	for _, tt := range tests {
		t.Run(tt.check, func(t *testing.T) {
			res := runOne(t, path, tt.check)
			if res.Success != tt.pass {
				t.Errorf("success %v, want %v (observed %v)", res.Success, tt.pass, res.ObservedValue)
			}
		})
	}
	res := runOne(t, path, "row_count: {equal: 5}")
	if res.ObservedValue != int64(5) {
		t.Errorf("observed %#v, want int64 5", res.ObservedValue)
	}
}

// TestFreshness: the newest timestamp, relative to Env.Now.
func TestFreshness(t *testing.T) {
	now := time.Date(2026, 11, 2, 12, 0, 0, 0, time.UTC)
	path := data(t,
		tscol("ts", now.Add(-48*time.Hour), now.Add(-25*time.Hour), nil, now.Add(-30*time.Hour)),
	)
	tests := []struct {
		check string
		pass  bool
	}{
		{"freshness: {column: ts, max_age: 25h}", true},
		{"freshness: {column: ts, max_age: 24h}", false},
		{"freshness: {column: ts, max_age: 1d1h}", true},
		{"freshness: {column: ts, max_age: 1d}", false},
		// Only rows up to 30h old: the newest of them is 30h old.
		{"freshness: {column: ts, max_age: 29h}\nwhere: 'ts <= \"2026-11-01T06:00:00Z\"'", false},
		{"freshness: {column: ts, max_age: 30h}\nwhere: 'ts <= \"2026-11-01T06:00:00Z\"'", true},
	}
	for _, tt := range tests {
		t.Run(tt.check, func(t *testing.T) {
			run := runRules(t, path, rulesOf(tt.check), checks.Env{Now: now})
			res := run.Results[0]
			if res.Success != tt.pass {
				t.Errorf("success %v, want %v (observed %v, %s)", res.Success, tt.pass, res.ObservedValue, res.Message)
			}
			obs, _ := res.ObservedValue.(map[string]any)
			if obs["newest"] == nil {
				t.Errorf("observed %v: want the newest time", res.ObservedValue)
			}
		})
	}
	run := runRules(t, path, rulesOf("freshness: {column: ts, max_age: 24h}"), checks.Env{Now: now})
	obs := run.Results[0].ObservedValue.(map[string]any)
	if obs["newest"] != "2026-11-01T11:00:00Z" || obs["age_seconds"] != 25*3600.0 {
		t.Errorf("observed %v, want newest 2026-11-01T11:00:00Z, age 90000 s", obs)
	}
	t.Run("relative_to version on a file", func(t *testing.T) {
		run := runRules(t, path, rulesOf("freshness: {column: ts, max_age: 24h, relative_to: version}"), checks.Env{Now: now})
		if run.Results[0].Status != checks.StatusNotEvaluated {
			t.Errorf("status %s, want not_evaluated for a file", run.Results[0].Status)
		}
	})
}

// TestSchema: required, forbidden, types, count and ordered columns
// (expect_table_columns_to_match_ordered_list, expect_column_to_exist,
// expect_table_column_count_to_equal, expect_column_values_to_be_of_type).
func TestSchema(t *testing.T) {
	path := data(t, icol("id", 1), scol("name", "a"), fcol("score", 1.5), tscol("ts", time.Unix(0, 0)))
	tests := []struct {
		check    string
		pass     bool
		problems int64
	}{
		{"schema: {required: [id, name]}", true, 0},
		{"schema: {required: [id, nme, other]}", false, 2},
		{"schema: {forbidden: [ssn]}", true, 0},
		{"schema: {forbidden: [name, ssn]}", false, 1},
		{`schema: {types: {id: int64, name: string, score: float64, ts: "timestamp[ms]"}}`, true, 0},
		{`schema: {types: {ts: "timestamp[ms] UTC"}}`, true, 0},
		{`schema: {types: {id: int32, score: float32, gone: string}}`, false, 3},
		{"schema: {count: 4}", true, 0},
		{"schema: {count: 3}", false, 1},
		{"schema: {columns: [id, name, score, ts]}", true, 0},
		{"schema: {columns: [name, id, score, ts]}", false, 1},
		{"schema: {columns: [id, name, score]}", false, 1},
	}
	for _, tt := range tests {
		t.Run(tt.check, func(t *testing.T) {
			res := runOne(t, path, tt.check)
			problems := int64(0)
			if res.Message != "" {
				problems = int64(len(strings.Split(res.Message, "; ")))
			}
			if res.Success != tt.pass || problems != tt.problems {
				t.Errorf("success %v with %d problems (%s), want %v with %d", res.Success, problems, res.Message, tt.pass, tt.problems)
			}
		})
	}
	t.Run("no_new_columns on a file", func(t *testing.T) {
		res := runOne(t, path, "schema: {no_new_columns: true}")
		if res.Status != checks.StatusNotEvaluated {
			t.Errorf("status %s, want not_evaluated", res.Status)
		}
	})
}

// TestIncreasingDecreasingDirection: regression test; the bug it caught: increasing passes a column that
// decreases and fails one that increases (and decreasing the reverse).
// orderChecker.ok computes c = cmp(prev, cur), which is -1 when the value
// rose, and passes c > 0: the comparison is the wrong way round. Fix: pass
// c < 0 (or c == 0 when not strict) for increasing, i.e. flip the sign of
// c for increasing instead of for decreasing.
func TestIncreasingDecreasingDirection(t *testing.T) {
	path := data(t, icol("up", 1, 2, 3), icol("down", 3, 2, 1))
	for _, tt := range []struct {
		check string
		pass  bool
	}{
		{"increasing: up", true},
		{"increasing: down", false},
		{"decreasing: down", true},
		{"decreasing: up", false},
	} {
		if res := runOne(t, path, tt.check); res.Success != tt.pass {
			t.Errorf("%s on %s: success %v, want %v", tt.check, map[bool]string{true: "1, 2, 3", false: "3, 2, 1"}[tt.check[len(tt.check)-2:] == "up"], res.Success, tt.pass)
		}
	}
}

// TestUniqueFractionWithStatistics: regression test; the bug it caught: unique_fraction(x) without where or
// group_by is always undefined (null), so any rule on it fails. Its
// denominator is the non-null count from the column's moments, but
// metricSet.useStatistics marks the moments as not needed when the
// column's other requests are answered by Parquet statistics, and it
// counts unique_fraction as needing nothing. Fix: in useStatistics, let
// unique_fraction (like mean) keep the moments — or take its denominator,
// rows − nulls, from the statistics (they know the null count).
func TestUniqueFractionWithStatistics(t *testing.T) {
	path := data(t, scol("s", "a", "b", "a", nil, "c", "a", "d"), icol("x", 1, 2, 3, 4, nil, 10, 6))
	for _, tt := range []struct {
		col  string
		want float64
	}{{"s", 4.0 / 6}, {"x", 1}} {
		m := "unique_fraction(" + tt.col + ")"
		res := runOne(t, path, "metric: '"+m+" > 0'")
		if got, ok := observed(t, res, m).(float64); !ok || !near(got, tt.want) || !res.Success {
			t.Errorf("%s = %v (success %v), want %v", m, observed(t, res, m), res.Success, tt.want)
		}
	}
}

// TestBoolAggregates: "Booleans count as 0/1 in a mean" (pandas: the mean
// of a boolean column is the share of true). At commit 3726818 a metric
// on a bool column did not compile ("mean needs a numeric column; b is
// bool"); the working tree's dataset/expr/aggregate.go now accepts bool
// columns for the numeric aggregates.
//
// b = true, false, true, null, true, false: 3 true of 5 non-null. mean
// 0.6, sum 3, min 0, max 1, median of 0 0 1 1 1 = 1; m2 = 3·0.4² + 2·0.6²
// = 1.2, variance 1.2/4 = 0.3.
func TestBoolAggregates(t *testing.T) {
	path := data(t, bcol("b", true, false, true, nil, true, false))
	res := runOne(t, path, "metric: 'mean(b) == 0.6 && sum(b) == 3 && min(b) == 0 && max(b) == 1 && median(b) == 1 && variance(b) > 0.2999 && variance(b) < 0.3001'")
	if !res.Success {
		t.Errorf("observed %v, want mean 0.6, sum 3, min 0, max 1, median 1, variance 0.3", res.ObservedValue)
	}
	if got := observed(t, res, "variance(b)"); !near(got.(float64), 0.3) {
		t.Errorf("variance(b) = %v, want 0.3", got)
	}
}

// TestGroupByMedianAllNullGroup: regression test; the bug it caught: a metric rule with group_by is
// decided for the groups found in the state of its first aggregate. When
// that is median or quantile, whose sketches exist only for groups with a
// non-null value, a group whose values are all null is never decided: its
// median is undefined and the rule must fail for it, but the check
// passes. Fix: take the group keys from the grouping's row counts
// (register a row_count request for every grouped metric rule and list
// groups from it), not from reqs[0]'s state.
func TestGroupByMedianAllNullGroup(t *testing.T) {
	path := data(t,
		scol("seg", "a", "a", "b", "b"),
		icol("x", 1, 3, nil, nil),
	)
	for _, expr := range []string{"median(x) <= 10", "quantile(x, 0.5) <= 10", "median(x) <= 10 && row_count >= 0"} {
		res := runOne(t, path, "metric: '"+expr+"'\ngroup_by: seg")
		if res.Success || res.FailingGroups != 1 {
			t.Errorf("%s per seg: success %v, %d failing groups (observed %v); want group b (all null) to fail", expr, res.Success, res.FailingGroups, res.ObservedValue)
		}
	}
}

// TestMedianExactLarge: regression test; the bug it caught: the median of an even count is the
// mean of the two middle values (pandas, GE). Metric rules compute
// median and quantile exactly only up to 65,536 values
// (profile.QuantileExactCap), then from a KLL sketch (rank error ~1%),
// and the rule-file docs do not say so: a rule such as median(x) ==
// 49999.5 on 100,000 values fails. Fix: compute medians and quantiles
// exactly (keep the values, or a second pass selecting the ranks), or
// document the approximation in docs/checks.md.
func TestMedianExactLarge(t *testing.T) {
	const n = 100_000
	vals := make([]any, n)
	for i := range n {
		vals[i] = int64(i * 7919 % n) // a permutation of 0..n-1
	}
	path := writeData(t, filepath.Join(t.TempDir(), "d.parquet"), 30_000, icol("x", vals...))
	res := runOne(t, path, "metric: 'median(x) == 49999.5'")
	if got := observed(t, res, "median(x)"); got != 49999.5 {
		t.Errorf("median of 0..99999 = %v, want 49999.5", got)
	}
}

// TestReference: every value exists in a column of another file (a
// foreign key); nulls are missing, as for the other value rules.
func TestReference(t *testing.T) {
	dir := t.TempDir()
	writeData(t, filepath.Join(dir, "customers.parquet"), 2, icol("id", 1, 2, 3, 4, nil), scol("code", "a", "b", "c", "d", "e"))
	// A CSV file as the referenced data too.
	csvPath := filepath.Join(dir, "codes.csv")
	if err := os.WriteFile(csvPath, []byte("code,label\na,A\nb,B\nzz,Z\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	path := writeData(t, filepath.Join(dir, "orders.parquet"), 3,
		icol("customer_id", 1, 2, 7, nil, 4, 9, 1),
		scol("code", "a", "x", "b", "c", nil, "zz", "a"),
	)
	ref := filepath.Join(dir, "customers.parquet")
	tests := []struct {
		name, check string
		want        counts
	}{
		// 7 and 9 (rows 2, 5) are not ids: 2 of 6 non-null.
		{"int key", "reference: {column: customer_id, ref: " + ref + ", ref_column: id}", row(false, 7, 1, 2, 6, 2, 5)},
		// Same column name by default: x and zz are unknown.
		{"string key", "reference: {column: code, ref: " + ref + "}", row(false, 7, 1, 2, 6, 1, 5)},
		{"csv", "reference: {column: code, ref: " + csvPath + "}", row(false, 7, 1, 2, 6, 1, 3)},
		{"nulls fail", "reference: {column: customer_id, ref: " + ref + ", ref_column: id}\nnulls: fail", row(false, 7, 1, 3, 7, 2, 3, 5)},
		{"mostly", "reference: {column: customer_id, ref: " + ref + ", ref_column: id}\nmax_fail_fraction: 0.34", row(true, 7, 1, 2, 6, 2, 5)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkCounts(t, runOne(t, path, tt.check), tt.want)
		})
	}
	t.Run("type mismatch", func(t *testing.T) {
		f, err := checks.Parse("rules.yaml", []byte(rulesOf("reference: {column: customer_id, ref: "+ref+", ref_column: code}")))
		if err != nil {
			t.Fatal(err)
		}
		src := open(t, nil, path)
		sc, err := src.Scanner(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		schema := sc.Schema()
		sc.Close()
		_, err = checks.Compile(t.Context(), f, schema, checks.Env{})
		if err == nil || !strings.Contains(err.Error(), "rules.yaml:2:") || !strings.Contains(err.Error(), "cannot match") {
			t.Errorf("an int column referencing a string column: %v, want a positioned error", err)
		}
	})
}

// TestTelcoChurn runs GE-style checks on the real Telco churn CSV and
// compares every figure with an independent computation from the CSV
// itself (encoding/csv, a blank cell is null): the 11 blank TotalCharges
// rows, GE's pair semantics, and the pandas aggregates.
func TestTelcoChurn(t *testing.T) {
	path := copyFile(t, filepath.Join("..", "dataset", "csvconv", "testdata", "telco-churn", "Telco-Customer-Churn.csv"), t.TempDir())
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	head, recs := recs[0], recs[1:]
	idx := map[string]int{}
	for i, h := range head {
		idx[h] = i
	}
	cell := func(r []string, c string) string { return strings.TrimSpace(r[idx[c]]) }
	num := func(r []string, c string) (float64, bool) {
		s := cell(r, c)
		if s == "" {
			return 0, false
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatalf("%s %q: %v", c, s, err)
		}
		return v, true
	}
	n := int64(len(recs))
	// The oracle, row by row.
	var blankTotal, pairFail, rowFail, tenureOut, contractOut, idOut int64
	var blankRows, pairRows []int64
	var monthly []float64
	ids := map[string]int{}
	idRe := regexp.MustCompile(`^[0-9]{4}-[A-Z]{5}$`)
	for i, r := range recs {
		total, hasTotal := num(r, "TotalCharges")
		m, _ := num(r, "MonthlyCharges")
		tenure, _ := num(r, "tenure")
		monthly = append(monthly, m)
		ids[cell(r, "customerID")]++
		if !hasTotal {
			blankTotal++
			blankRows = append(blankRows, int64(i))
		}
		// GE: exactly one side null fails; total >= monthly otherwise.
		if !hasTotal || total < m {
			pairFail++
			pairRows = append(pairRows, int64(i))
		}
		if !hasTotal && tenure != 0 {
			rowFail++
		}
		if tenure < 1 || tenure > 72 {
			tenureOut++
		}
		if c := cell(r, "Contract"); c != "Month-to-month" && c != "One year" {
			contractOut++
		}
		if !idRe.MatchString(cell(r, "customerID")) {
			idOut++
		}
	}
	var dupRows int64
	for _, c := range ids {
		if c > 1 {
			dupRows += int64(c)
		}
	}
	var sum float64
	for _, m := range monthly {
		sum += m
	}
	mean := sum / float64(n)
	var m2 float64
	for _, m := range monthly {
		m2 += (m - mean) * (m - mean)
	}
	sd := math.Sqrt(m2 / float64(n-1))
	sorted := slices.Clone(monthly)
	slices.Sort(sorted)
	median := sorted[n/2]
	if n%2 == 0 {
		median = (sorted[n/2-1] + sorted[n/2]) / 2
	}
	if blankTotal != 11 {
		t.Fatalf("the oracle finds %d blank TotalCharges, want 11", blankTotal)
	}

	run := runRules(t, path, rulesOf(
		"not_null: TotalCharges",
		`pair: "TotalCharges >= MonthlyCharges"`,
		"row: 'TotalCharges != nil || tenure == 0'",
		"between: {column: tenure, min: 1, max: 72}",
		"in_set: {column: Contract, values: [Month-to-month, One year]}",
		"regex: {column: customerID, pattern: '^[0-9]{4}-[A-Z]{5}$'}",
		"unique: customerID",
		"metric: 'mean(MonthlyCharges) > 0 && stddev(MonthlyCharges) > 0 && median(MonthlyCharges) > 0'",
	), checks.Env{})
	r := run.Results
	first := func(rows []int64) []int64 { return rows[:min(len(rows), checks.DefaultSamples)] }
	checkCounts(t, r[0], row(blankTotal == 0, n, blankTotal, blankTotal, n, first(blankRows)...))
	// The pair's missing rows are those where both sides are null: none.
	checkCounts(t, r[1], row(pairFail == 0, n, 0, pairFail, n, first(pairRows)...))
	if r[2].UnexpectedCount != rowFail || r[2].Success != (rowFail == 0) {
		t.Errorf("row rule: %d unexpected, want %d", r[2].UnexpectedCount, rowFail)
	}
	if r[3].UnexpectedCount != tenureOut || r[3].MissingCount != 0 {
		t.Errorf("between tenure 1..72: %d unexpected, want %d", r[3].UnexpectedCount, tenureOut)
	}
	if r[4].UnexpectedCount != contractOut {
		t.Errorf("in_set Contract: %d unexpected, want %d", r[4].UnexpectedCount, contractOut)
	}
	if r[5].UnexpectedCount != idOut || !r[5].Success {
		t.Errorf("regex customerID: %d unexpected, want %d", r[5].UnexpectedCount, idOut)
	}
	if r[6].UnexpectedCount != dupRows {
		t.Errorf("unique customerID: %d unexpected, want %d", r[6].UnexpectedCount, dupRows)
	}
	for k, want := range map[string]float64{"mean(MonthlyCharges)": mean, "stddev(MonthlyCharges)": sd, "median(MonthlyCharges)": median} {
		if got, _ := observed(t, r[7], k).(float64); !near(got, want) {
			t.Errorf("%s = %v, want %v", k, got, want)
		}
	}
	t.Logf("oracle: %d blank TotalCharges, %d pair failures, %d tenure outside 1..72, %d contracts outside the set, mean %.4f sd %.4f median %.4f",
		blankTotal, pairFail, tenureOut, contractOut, mean, sd, median)
}

// TestSampleKeysAndSize: Env.Keys columns are shown with every failing
// row; Env.Samples caps the samples (GE's partial_unexpected_count).
func TestSampleKeysAndSize(t *testing.T) {
	path := data(t, icol("id", 10, 11, 12, 13, 14), fcol("x", 1.0, -1.0, -2.0, nil, -3.0), scol("s", "a", "a", "b", "c", "c"))
	run := runRules(t, path, rulesOf("between: {column: x, min: 0}", "unique: s", "not_null: x\nwhere: 'id > 10'"),
		checks.Env{Keys: []string{"id"}, Samples: 2})
	want := []struct {
		rows   []int64
		values []string // "col=value" of each sample
	}{
		{[]int64{1, 2}, []string{"id=11 x=-1", "id=12 x=-2"}},
		{[]int64{0, 1}, []string{"id=10 s=a", "id=11 s=a"}},
		{[]int64{3}, []string{"id=13 x=null"}},
	}
	for i, res := range run.Results {
		var vals []string
		for _, s := range res.Samples {
			var parts []string
			for _, c := range []string{"id", "s", "x"} {
				if v, ok := s.Values[c]; ok {
					text := "null"
					if v != nil {
						text = *v
					}
					parts = append(parts, c+"="+text)
				}
			}
			vals = append(vals, strings.Join(parts, " "))
		}
		if got := sampleRows(res); !slices.Equal(got, want[i].rows) || !slices.Equal(vals, want[i].values) {
			t.Errorf("%s: samples %v %v, want %v %v", res.Name, got, vals, want[i].rows, want[i].values)
		}
	}
	// The counts are not capped.
	if run.Results[0].UnexpectedCount != 3 || run.Results[1].UnexpectedCount != 4 {
		t.Errorf("unexpected counts %d and %d, want 3 and 4", run.Results[0].UnexpectedCount, run.Results[1].UnexpectedCount)
	}
}

// TestFreshnessRefusesGroupBy: freshness is decided on the newest row
// of all the data; group_by would silently be ignored, so it is an error
// that points at a metric rule instead.
func TestFreshnessRefusesGroupBy(t *testing.T) {
	now := time.Date(2026, 11, 2, 12, 0, 0, 0, time.UTC)
	path := data(t, scol("seg", "a", "b", "a"), tscol("ts", now, now.Add(-48*time.Hour), now.Add(-time.Hour)))
	f, err := checks.Parse("rules.yaml", []byte(rulesOf("freshness: {column: ts, max_age: 24h}\ngroup_by: seg")))
	if err != nil {
		t.Fatal(err)
	}
	src, err := dataset.OpenSource(context.Background(), nil, path, dataset.DefaultCSVOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	sc, err := src.Scanner(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	schema := sc.Schema()
	sc.Close()
	_, err = checks.Compile(context.Background(), f, schema, checks.Env{Now: now})
	if !errors.Is(err, checks.ErrRules) || !strings.Contains(err.Error(), "rules.yaml:3:") || !strings.Contains(err.Error(), "freshness does not take group_by") {
		t.Errorf("got %v, want a positioned error refusing group_by", err)
	}
}

// TestInSetLargeIntegers: regression test; the bug it caught: in_set and not_in_set on integer columns
// compare as float64 (valueSet.nums is a map[float64]bool, fed by
// floats()), so integers above 2^53 that differ collide:
// 9007199254740993 is "in" {9007199254740992}. Snowflake-style ids near
// 10^18 collide within 128 of each other. GE compares Python ints
// exactly. Fix: keep int64 values in their own set (map[int64]bool) for
// integer columns and compare ints() exactly; accept a float value there
// only when it is integral.
func TestInSetLargeIntegers(t *testing.T) {
	path := data(t, icol("id", int64(9007199254740993), int64(1234567890123456789), int64(5)))
	tests := []struct {
		check string
		want  counts
	}{
		{"in_set: {column: id, values: [9007199254740992, 1234567890123456700, 5]}", row(false, 3, 0, 2, 3, 0, 1)},
		{"not_in_set: {column: id, values: [9007199254740992, 1234567890123456700]}", row(true, 3, 0, 0, 3)},
	}
	for _, tt := range tests {
		checkCounts(t, runOne(t, path, tt.check), tt.want)
	}
}
