package checks

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func f64(v float64) *float64 { return &v }
func i64(v int64) *int64     { return &v }
func intp(v int) *int        { return &v }

// parseOne parses a rule file holding the one check item (the text after
// "- "; more lines of it are indented by four spaces).
func parseOne(t *testing.T, item string) *Check {
	t.Helper()
	src := "checks:\n  - " + item + "\n"
	f, err := Parse("rules.yaml", []byte(src))
	if err != nil {
		t.Fatalf("Parse(%q): %v", src, err)
	}
	if len(f.Checks) != 1 {
		t.Fatalf("Parse(%q): got %d checks, want 1", src, len(f.Checks))
	}
	return f.Checks[0]
}

// withoutPos returns a copy of c without its positions, for comparing
// what was parsed.
func withoutPos(c *Check) *Check {
	d := *c
	d.Pos, d.ArgPos, d.Ints = Pos{}, nil, nil // Ints: see TestParseExactIntegers
	if c.Values != nil {
		d.Values = make([]Value, len(c.Values))
		for i, v := range c.Values {
			d.Values[i] = Value{V: v.V}
		}
	}
	return &d
}

// TestParseExactIntegers: bounds written as integers are kept exactly
// besides their float64 (which rounds above 2^53).
func TestParseExactIntegers(t *testing.T) {
	c := parseOne(t, "between: {column: id, min: 1700000000000000001, max: 1700000000000000127}")
	if c.Ints["min"] != 1700000000000000001 || c.Ints["max"] != 1700000000000000127 {
		t.Errorf("Ints = %v, want the exact bounds", c.Ints)
	}
	c = parseOne(t, "between: {column: x, min: 0.5}")
	if _, ok := c.Ints["min"]; ok {
		t.Errorf("a float bound was kept as an integer: %v", c.Ints)
	}
}

// std fills the defaults every check gets: severity error and, except for
// not_null, nulls ignore.
func std(c Check) *Check {
	if c.Severity == "" {
		c.Severity = SeverityError
	}
	if c.Nulls == "" && c.Kind != KindNotNull {
		c.Nulls = NullsIgnore
	}
	return &c
}

func show(c *Check) string {
	b, _ := json.Marshal(c)
	return string(b)
}

func TestParseKinds(t *testing.T) {
	tests := []struct {
		name string
		item string
		want *Check
	}{
		{"schema all", `schema: {required: [a, b], forbidden: c, types: {a: int64, b: "timestamp[us]"}, count: 3, columns: [a, b, d], no_new_columns: true, no_dropped_columns: false}`,
			std(Check{Kind: KindSchema, Schema: &SchemaSpec{Required: []string{"a", "b"}, Forbidden: []string{"c"},
				Types: map[string]string{"a": "int64", "b": "timestamp[us]"}, Count: intp(3), Columns: []string{"a", "b", "d"}, NoNewColumns: true}})},
		{"schema block", "schema:\n      required:\n        - id\n      no_dropped_columns: true",
			std(Check{Kind: KindSchema, Schema: &SchemaSpec{Required: []string{"id"}, NoDroppedColumns: true}})},
		{"row_count min max", `row_count: {min: 1, max: 5e6}`,
			std(Check{Kind: KindRowCount, Min: f64(1), Max: f64(5e6)})},
		{"row_count equal", `row_count: {equal: 7043}`,
			std(Check{Kind: KindRowCount, Equal: f64(7043)})},
		{"row_count integral float", `row_count: {max: 100.0}`,
			std(Check{Kind: KindRowCount, Max: f64(100)})},
		{"freshness", `freshness: {column: ts, max_age: 24h}`,
			std(Check{Kind: KindFreshness, Column: "ts", MaxAge: 24 * time.Hour, RelativeTo: "now"})},
		{"freshness days", `freshness: {column: ts, max_age: 7d, relative_to: version}`,
			std(Check{Kind: KindFreshness, Column: "ts", MaxAge: 7 * 24 * time.Hour, RelativeTo: "version"})},
		{"freshness mixed", `freshness: {column: ts, max_age: 1d12h30m}`,
			std(Check{Kind: KindFreshness, Column: "ts", MaxAge: 36*time.Hour + 30*time.Minute, RelativeTo: "now"})},
		{"not_null", `not_null: customerID`,
			std(Check{Kind: KindNotNull, Column: "customerID"})},
		{"not_null quoted", `not_null: "customer id"`,
			std(Check{Kind: KindNotNull, Column: "customer id"})},
		{"not_null mapping", `not_null: {column: a}`,
			std(Check{Kind: KindNotNull, Column: "a"})},
		{"null_fraction", `null_fraction: {column: a, max: 0.05}`,
			std(Check{Kind: KindNullFraction, Column: "a", Max: f64(0.05)})},
		{"null_fraction both", `null_fraction: {column: a, min: 0, max: 1}`,
			std(Check{Kind: KindNullFraction, Column: "a", Min: f64(0), Max: f64(1)})},
		{"unique column", `unique: id`,
			std(Check{Kind: KindUnique, Column: "id", Columns: []string{"id"}})},
		{"unique list", `unique: [customer_id, signup_ts]`,
			std(Check{Kind: KindUnique, Columns: []string{"customer_id", "signup_ts"}})},
		{"unique list of one", `unique: [id]`,
			std(Check{Kind: KindUnique, Column: "id", Columns: []string{"id"}})},
		{"unique columns", `unique: {columns: [a, b]}`,
			std(Check{Kind: KindUnique, Columns: []string{"a", "b"}})},
		{"unique column key", `unique: {column: a}`,
			std(Check{Kind: KindUnique, Column: "a", Columns: []string{"a"}})},
		{"in_set typed values", `in_set: {column: a, values: [x, "1", 1, 2.5, true, 1e3, 012, -3]}`,
			std(Check{Kind: KindInSet, Column: "a", Values: []Value{{V: "x"}, {V: "1"}, {V: int64(1)}, {V: 2.5}, {V: true}, {V: 1000.0}, {V: int64(12)}, {V: int64(-3)}}})},
		{"in_set empty", `in_set: {column: a, values: []}`,
			std(Check{Kind: KindInSet, Column: "a", Values: []Value{}})},
		{"in_set block list", "in_set:\n      column: a\n      values:\n        - Month-to-month\n        - One year",
			std(Check{Kind: KindInSet, Column: "a", Values: []Value{{V: "Month-to-month"}, {V: "One year"}}})},
		{"not_in_set", `not_in_set: {column: country, values: [XX, "--"]}`,
			std(Check{Kind: KindNotInSet, Column: "country", Values: []Value{{V: "XX"}, {V: "--"}}})},
		{"between", `between: {column: age, min: 0, max: 120}`,
			std(Check{Kind: KindBetween, Column: "age", Min: f64(0), Max: f64(120)})},
		{"between strict min", `between: {column: a, min: 0, strict_min: true}`,
			std(Check{Kind: KindBetween, Column: "a", Min: f64(0), StrictMin: true})},
		{"between strict max", `between: {column: a, max: 1.5, strict_max: true}`,
			std(Check{Kind: KindBetween, Column: "a", Max: f64(1.5), StrictMax: true})},
		{"between equal bounds", `between: {column: a, min: 2, max: 2}`,
			std(Check{Kind: KindBetween, Column: "a", Min: f64(2), Max: f64(2)})},
		{"regex", `regex: {column: id, pattern: '^\d{4}-[A-Z]{5}$'}`,
			std(Check{Kind: KindRegex, Column: "id", Pattern: `^\d{4}-[A-Z]{5}$`})},
		{"not_regex", `not_regex: {column: email, pattern: "@example\\.com$"}`,
			std(Check{Kind: KindNotRegex, Column: "email", Pattern: `@example\.com$`})},
		{"length", `length: {column: a, min: 1, max: 10}`,
			std(Check{Kind: KindLength, Column: "a", Min: f64(1), Max: f64(10)})},
		{"length equal", `length: {column: a, equal: 2}`,
			std(Check{Kind: KindLength, Column: "a", Equal: f64(2)})},
		{"length min above max", `length: {column: a, min: 10, max: 5}`,
			std(Check{Kind: KindLength, Column: "a", Min: f64(10), Max: f64(5)})},
		{"increasing", `increasing: ts`,
			std(Check{Kind: KindIncreasing, Column: "ts"})},
		{"increasing strict", `increasing: {column: ts, strict: true}`,
			std(Check{Kind: KindIncreasing, Column: "ts", Strict: true})},
		{"decreasing", `decreasing: {column: left, strict: false}`,
			std(Check{Kind: KindDecreasing, Column: "left"})},
		{"format email", `format: {column: a, format: email}`, std(Check{Kind: KindFormat, Column: "a", Format: "email"})},
		{"format uuid", `format: {column: a, format: uuid}`, std(Check{Kind: KindFormat, Column: "a", Format: "uuid"})},
		{"format url", `format: {column: a, format: url}`, std(Check{Kind: KindFormat, Column: "a", Format: "url"})},
		{"format date", `format: {column: a, format: date}`, std(Check{Kind: KindFormat, Column: "a", Format: "date"})},
		{"format datetime", `format: {column: a, format: datetime}`, std(Check{Kind: KindFormat, Column: "a", Format: "datetime"})},
		{"row plain", `row: age >= 18 || segment == "student"`,
			std(Check{Kind: KindRow, Expr: `age >= 18 || segment == "student"`})},
		{"row quoted", `row: 'TotalCharges != nil || tenure == 0'`,
			std(Check{Kind: KindRow, Expr: `TotalCharges != nil || tenure == 0`})},
		{"row block", "row: |\n      a > 1 ||\n        b",
			std(Check{Kind: KindRow, Expr: "a > 1 ||\n  b\n"})},
		{"metric", `metric: "mean(income) >= 20000 && mean(income) <= 90000"`,
			std(Check{Kind: KindMetric, Expr: "mean(income) >= 20000 && mean(income) <= 90000"})},
		{"pair", `pair: {a: shipped, op: ">=", b: placed}`,
			std(Check{Kind: KindPair, A: "shipped", Op: ">=", B: "placed"})},
		{"pair short", `pair: "shipped >= placed"`,
			std(Check{Kind: KindPair, A: "shipped", Op: ">=", B: "placed"})},
		{"pair short plain", `pair: a != b`,
			std(Check{Kind: KindPair, A: "a", Op: "!=", B: "b"})},
		{"reference", `reference: {column: customer_id, ref: customers@v3}`,
			std(Check{Kind: KindReference, Column: "customer_id", Ref: "customers@v3"})},
		{"reference ref_column", `reference: {column: cid, ref: data/customers.parquet, ref_column: id}`,
			std(Check{Kind: KindReference, Column: "cid", Ref: "data/customers.parquet", RefColumn: "id"})},
		{"label_conflicts", `label_conflicts: {label: Churn, features: [a, b, c], case_fold: true, float_tolerance: 0.01}`,
			std(Check{Kind: KindLabelConflicts, Column: "Churn", Features: []string{"a", "b", "c"}, CaseFold: true, FloatTolerance: 0.01})},
		{"label_conflicts label only", `label_conflicts: Churn`,
			std(Check{Kind: KindLabelConflicts, Column: "Churn"})},
		{"label_conflicts mapping defaults", `label_conflicts: {label: y}`,
			std(Check{Kind: KindLabelConflicts, Column: "y"})},
		{"label_conflicts one feature", `label_conflicts: {label: y, features: x, float_tolerance: 0}`,
			std(Check{Kind: KindLabelConflicts, Column: "y", Features: []string{"x"}})},
		{"label_conflicts options", "label_conflicts: {label: y, features: [a]}\n    where: 'a > 0'\n    group_by: g\n    max_fail_count: 3",
			std(Check{Kind: KindLabelConflicts, Column: "y", Features: []string{"a"}, Where: "a > 0", GroupBy: []string{"g"}, MaxFailCount: i64(3)})},
		{"change relative", `change: {metric: row_count, max_relative_change: 0.1}`,
			std(Check{Kind: KindChange, Metric: "row_count", MaxRelativeChange: f64(0.1), MinHistory: 1})},
		{"change absolute", `change: {metric: mean(amount), max_absolute_change: 25, min_history: 3}`,
			std(Check{Kind: KindChange, Metric: "mean(amount)", MaxAbsoluteChange: f64(25), MinHistory: 3})},
		{"anomaly defaults", `anomaly: {metric: row_count}`,
			std(Check{Kind: KindAnomaly, Metric: "row_count", Window: 10, MaxZ: 3.5, MinHistory: 4})},
		{"anomaly small window", `anomaly: {metric: row_count, window: 3}`,
			std(Check{Kind: KindAnomaly, Metric: "row_count", Window: 3, MaxZ: 3.5, MinHistory: 3})},
		{"anomaly all", `anomaly: {metric: "null_fraction(coupon)", window: 20, max_z: 4, min_history: 6}`,
			std(Check{Kind: KindAnomaly, Metric: "null_fraction(coupon)", Window: 20, MaxZ: 4, MinHistory: 6})},
		{"options", "between: {column: age, min: 0, max: 120}\n    name: ages are plausible\n    severity: warn\n    where: 'segment != \"test\"'\n    group_by: segment\n    max_fail_fraction: 0.01\n    nulls: fail",
			&Check{Kind: KindBetween, Column: "age", Min: f64(0), Max: f64(120), Name: "ages are plausible", Severity: SeverityWarn,
				Where: `segment != "test"`, GroupBy: []string{"segment"}, MaxFailFraction: f64(0.01), Nulls: NullsFail}},
		{"options before kind", "name: ids\n    max_fail_count: 0\n    group_by: [a, b]\n    not_null: id\n    nulls: pass",
			&Check{Kind: KindNotNull, Column: "id", Name: "ids", Severity: SeverityError, GroupBy: []string{"a", "b"}, MaxFailCount: i64(0), Nulls: NullsPass}},
		{"where on aggregate", "row_count: {min: 1}\n    where: segment == \"a\"\n    group_by: segment",
			std(Check{Kind: KindRowCount, Min: f64(1), Where: `segment == "a"`, GroupBy: []string{"segment"}})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := withoutPos(parseOne(t, tt.item))
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %s\nwant %s", show(got), show(tt.want))
			}
		})
	}
}

func TestParseDefaults(t *testing.T) {
	c := parseOne(t, "not_null: a")
	if c.Severity != SeverityError || c.Nulls != "" {
		t.Errorf("not_null: got severity %q nulls %q, want error and empty", c.Severity, c.Nulls)
	}
	c = parseOne(t, "between: {column: a, min: 0}")
	if c.Severity != SeverityError || c.Nulls != NullsIgnore {
		t.Errorf("between: got severity %q nulls %q, want error and ignore", c.Severity, c.Nulls)
	}
	c = parseOne(t, "freshness: {column: t, max_age: 1h}")
	if c.RelativeTo != "now" {
		t.Errorf("freshness: got relative_to %q, want now", c.RelativeTo)
	}
	c = parseOne(t, "anomaly: {metric: row_count}")
	if c.Window != 10 || c.MaxZ != 3.5 || c.MinHistory != 4 {
		t.Errorf("anomaly: got window %d max_z %g min_history %d, want 10 3.5 4", c.Window, c.MaxZ, c.MinHistory)
	}
	c = parseOne(t, "change: {metric: row_count, max_absolute_change: 10}")
	if c.MinHistory != 1 {
		t.Errorf("change: got min_history %d, want 1", c.MinHistory)
	}
}

func TestParsePositions(t *testing.T) {
	src := `checks:
  - not_null: customerID
  - unique: [customer_id, signup_ts]
  - between: {column: age, min: 0, max: 120}
    where: 'segment != "test"'
    group_by: [segment, region]
  - row: "age >= 18"
  - row: |
      age >= 18 ||
        student
  - pair: "paid <= amount"
  - in_set: {column: x, values: [a, 2]}
  - schema:
      types: {a: int64}
  - in_set: {column: é, values: [x]}
  - unique: id
`
	f, err := Parse("rules.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Checks) != 10 {
		t.Fatalf("got %d checks, want 10", len(f.Checks))
	}
	at := func(line, col int) string { return fmt.Sprintf("%d:%d", line, col) }
	str := func(p Pos) string {
		if p.File != "rules.yaml" {
			return "file " + p.File
		}
		return at(p.Line, p.Col)
	}
	tests := []struct {
		check int
		key   string // "" for Check.Pos
		want  string
	}{
		{0, "", at(2, 5)},
		{0, "column", at(2, 15)},
		{1, "", at(3, 5)},
		{1, "columns", at(3, 13)},
		{1, "columns[0]", at(3, 14)},
		{1, "columns[1]", at(3, 27)},
		{2, "", at(4, 5)},
		{2, "column", at(4, 23)},
		{2, "min", at(4, 33)},
		{2, "max", at(4, 41)},
		{2, "where", at(5, 13)}, // inside the quotes
		{2, "group_by", at(6, 15)},
		{2, "group_by[0]", at(6, 16)},
		{2, "group_by[1]", at(6, 25)},
		{3, "expr", at(7, 11)}, // inside the quotes
		{4, "", at(8, 5)},      // the kind key
		{4, "expr", at(9, 7)},  // the block's first line, at its indentation
		{5, "a", at(11, 12)},   // the short form, word by word
		{5, "op", at(11, 17)},
		{5, "b", at(11, 20)},
		{6, "column", at(12, 22)},
		{6, "values", at(12, 33)},
		{7, "", at(13, 5)},
		{7, "types", at(14, 14)},
		{7, "types.a", at(14, 18)},
		{8, "values", at(15, 33)}, // columns count characters: é is one
		{9, "column", at(16, 13)},
		{9, "columns[0]", at(16, 13)},
	}
	for _, tt := range tests {
		c := f.Checks[tt.check]
		p, ok := c.Pos, true
		if tt.key != "" {
			p, ok = c.ArgPos[tt.key]
		}
		if got := str(p); !ok || got != tt.want {
			t.Errorf("check %d (%s) %q: got %s (recorded %v), want %s", tt.check, c.Kind, tt.key, got, ok, tt.want)
		}
	}
	for i, want := range []string{at(12, 34), at(12, 37)} {
		if got := str(f.Checks[6].Values[i].Pos); got != want {
			t.Errorf("in_set value %d: got %s, want %s", i, got, want)
		}
	}
	if got, want := str(f.Checks[8].Values[0].Pos), at(15, 34); got != want {
		t.Errorf("in_set value after é: got %s, want %s", got, want)
	}
}

func TestParseProblems(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string // "line:col: message"
	}{
		{"unknown top key",
			"dataset: x\nchekcs: []\nchecks: []\n",
			[]string{
				"2:1: unknown key chekcs in a rule file; did you mean checks?",
			}},
		{"missing checks",
			"dataset: x\n",
			[]string{
				"1:1: missing checks: want a list of checks",
			}},
		{"checks not a list",
			"checks: {not_null: a}\n",
			[]string{
				"1:9: checks: want a list of checks (each item starts with -), got a mapping",
			}},
		{"checks empty value",
			"checks:\n",
			[]string{
				"1:9: checks: want a list of checks (each item starts with -), got nothing",
			}},
		{"empty file",
			"",
			[]string{
				"1:1: empty rule file: want a mapping with a checks list",
			}},
		{"not a mapping",
			"- not_null: a\n",
			[]string{
				"1:1: want a mapping with a checks list, got a list",
			}},
		{"syntax error",
			"checks:\n  - not_null: [a\n",
			[]string{
				"2:15: bad YAML: sequence end token ']' not found",
			}},
		{"two documents",
			"checks: []\n---\nchecks: []\n",
			[]string{
				"2:1: a rule file holds one YAML document; this is a second one",
			}},
		{"item not a mapping",
			"checks:\n  - 3\n  - not_null\n",
			[]string{
				"2:5: want a check, a mapping such as `not_null: COLUMN`, got 3",
				"3:5: check not_null has no argument: write not_null: followed by its column or arguments",
			}},
		{"no kind",
			"checks:\n  - name: x\n",
			[]string{
				"2:5: check has no kind: want one key of schema, row_count, freshness, not_null, null_fraction, unique, in_set, not_in_set, between, regex, not_regex, length, increasing, decreasing, format, row, metric, pair, reference, label_conflicts, change, anomaly",
			}},
		{"two kinds",
			"checks:\n  - not_null: a\n    unique: a\n",
			[]string{
				"3:5: check has two kinds, not_null and unique: write each check as its own list item",
			}},
		{"unknown check key",
			"checks:\n  - not_null: a\n    severty: warn\n",
			[]string{
				"3:5: unknown key severty in a check; did you mean severity?",
			}},
		{"ge name",
			"checks:\n  - expect_column_values_to_not_be_null: a\n",
			[]string{
				"2:5: unknown key expect_column_values_to_not_be_null in a check; this Great Expectations expectation is not_null in assay",
			}},
		{"arg beside kind",
			"checks:\n  - between: {column: a}\n    min: 1\n",
			[]string{
				"2:5: between: want min or max (or both)",
				"3:5: min is an argument of between: write it inside its mapping, between: {…, min: …}",
			}},
		{"option inside args",
			"checks:\n  - between: {column: a, min: 1, severity: warn}\n",
			[]string{
				"2:34: severity is a common option: write it beside between, not inside its mapping",
			}},
		{"unknown arg",
			"checks:\n  - between: {column: a, mn: 1}\n",
			[]string{
				"2:26: unknown key mn in the arguments of between; did you mean min?",
			}},
		{"duplicate key",
			"checks:\n  - between: {column: a, min: 1, min: 2}\n",
			[]string{
				"2:34: duplicate key min (first at line 2)",
			}},
		{"duplicate check key",
			"checks:\n  - not_null: a\n    name: x\n    name: y\n",
			[]string{
				"4:5: duplicate key name (first at line 3)",
			}},
		{"bad severity",
			"checks:\n  - not_null: a\n    severity: warning\n",
			[]string{
				"3:15: severity: want error or warn, got \"warning\"",
			}},
		{"bad nulls",
			"checks:\n  - in_set: {column: a, values: [1]}\n    nulls: skip\n",
			[]string{
				"3:12: nulls: want one of ignore, fail, pass, got \"skip\"",
			}},
		{"negative max_fail_count",
			"checks:\n  - not_null: a\n    max_fail_count: -1\n",
			[]string{
				"3:21: max_fail_count: want an integer >= 0, got -1",
			}},
		{"fractional max_fail_count",
			"checks:\n  - not_null: a\n    max_fail_count: 2.5\n",
			[]string{
				"3:21: max_fail_count: want an integer, got 2.5",
			}},
		{"fraction out of range",
			"checks:\n  - not_null: a\n    max_fail_fraction: 1.5\n",
			[]string{
				"3:24: max_fail_fraction: want a fraction between 0 and 1, got 1.5",
			}},
		{"string fraction",
			"checks:\n  - not_null: a\n    max_fail_fraction: \"5%\"\n",
			[]string{
				"3:25: max_fail_fraction: want a number, got \"5%\"",
			}},
		{"both tolerances",
			"checks:\n  - not_null: a\n    max_fail_fraction: 0.1\n    max_fail_count: 3\n",
			[]string{
				"4:21: max_fail_count: give max_fail_fraction or max_fail_count, not both",
			}},
		{"tolerance on aggregate",
			"checks:\n  - row_count: {min: 1}\n    max_fail_count: 3\n",
			[]string{
				"3:5: max_fail_count does not apply to a row_count check: a tolerance applies to checks of single rows",
			}},
		{"where on schema",
			"checks:\n  - schema: {count: 3}\n    where: a > 1\n",
			[]string{
				"3:5: where does not apply to a schema check",
			}},
		{"group_by list of lists",
			"checks:\n  - not_null: a\n    group_by: [[b]]\n",
			[]string{
				"3:16: group_by: want a column name, got a list",
			}},
		{"empty name",
			"checks:\n  - not_null: a\n    name: \"\"\n",
			[]string{
				"3:12: name: want a name, got an empty string",
			}},
		{"list for column",
			"checks:\n  - not_null: [a, b]\n",
			[]string{
				"2:15: not_null: want a column name or a mapping {column: …}, got a list",
			}},
		{"number for column",
			"checks:\n  - not_null: 12\n",
			[]string{
				"2:15: not_null: want a column name or a mapping {column: …}, got 12 (quote it if it is a name)",
			}},
		{"empty column",
			"checks:\n  - between: {column: \"\", min: 1}\n",
			[]string{
				"2:24: between column: want a column name, got an empty string",
			}},
		{"missing column",
			"checks:\n  - between: {min: 1}\n",
			[]string{
				"2:5: between: missing column",
			}},
		{"string for number",
			"checks:\n  - between: {column: a, min: zero}\n",
			[]string{
				"2:31: between min: want a number, got \"zero\"",
			}},
		{"infinite number",
			"checks:\n  - between: {column: a, max: .inf}\n",
			[]string{
				"2:31: between max: want a finite number, got .inf",
			}},
		{"no bounds",
			"checks:\n  - between: {column: a}\n",
			[]string{
				"2:5: between: want min or max (or both)",
			}},
		{"min above max",
			"checks:\n  - between: {column: a, min: 5, max: 1}\n",
			[]string{
				"2:31: between: min 5 is greater than max 1",
			}},
		{"strict without bound",
			"checks:\n  - between: {column: a, max: 1, strict_min: true}\n",
			[]string{
				"2:46: between strict_min: there is no min",
			}},
		{"string for bool",
			"checks:\n  - between: {column: a, min: 1, strict_min: \"yes\"}\n",
			[]string{
				"2:47: between strict_min: want true or false, got \"yes\"",
			}},
		{"bad regex",
			"checks:\n  - regex: {column: a, pattern: \"a(b\"}\n",
			[]string{
				"2:34: regex pattern: error parsing regexp: missing closing ): `a(b`",
			}},
		{"empty pattern",
			"checks:\n  - not_regex: {column: a, pattern: ''}\n",
			[]string{
				"2:38: not_regex pattern: want a regular expression, got an empty string",
			}},
		{"values not a list",
			"checks:\n  - in_set: {column: a, values: x}\n",
			[]string{
				"2:33: in_set values: want a list of values, got \"x\"",
			}},
		{"null value",
			"checks:\n  - not_in_set: {column: a, values: [x, null]}\n",
			[]string{
				"2:41: not_in_set values: null is not a value; the nulls option says how nulls count",
			}},
		{"big int value",
			"checks:\n  - in_set: {column: a, values: [9223372036854775808]}\n",
			[]string{
				"2:34: in_set values: 9223372036854775808 is out of range for an integer",
			}},
		{"length equal and min",
			"checks:\n  - length: {column: a, min: 1, equal: 2}\n",
			[]string{
				"2:40: length: give equal or min/max, not both",
			}},
		{"negative length",
			"checks:\n  - length: {column: a, max: -1}\n",
			[]string{
				"2:30: length max: want an integer >= 0, got -1",
			}},
		{"row_count fractional",
			"checks:\n  - row_count: {min: 10.5}\n",
			[]string{
				"2:22: row_count min: want an integer, got 10.5",
			}},
		{"row_count min above max",
			"checks:\n  - row_count: {min: 10, max: 5}\n",
			[]string{
				"2:22: row_count: min 10 is greater than max 5",
			}},
		{"null_fraction out of range",
			"checks:\n  - null_fraction: {column: a, max: 2}\n",
			[]string{
				"2:37: null_fraction max: want a fraction between 0 and 1, got 2",
			}},
		{"null_fraction no bound",
			"checks:\n  - null_fraction: {column: a}\n",
			[]string{
				"2:5: null_fraction: want min or max (or both)",
			}},
		{"bad duration",
			"checks:\n  - freshness: {column: t, max_age: 3 days}\n",
			[]string{
				"2:37: freshness max_age: want a positive duration such as 24h, 90m or 7d, got \"3 days\"",
			}},
		{"number duration",
			"checks:\n  - freshness: {column: t, max_age: 3600}\n",
			[]string{
				"2:37: freshness max_age: want a duration such as 24h, 90m or 7d, got 3600",
			}},
		{"bad relative_to",
			"checks:\n  - freshness: {column: t, max_age: 1h, relative_to: today}\n",
			[]string{
				"2:54: freshness relative_to: want now or version, got \"today\"",
			}},
		{"bad format",
			"checks:\n  - format: {column: a, format: mail}\n",
			[]string{
				"2:33: format: want one of email, uuid, url, date, datetime, got \"mail\"; did you mean email?",
			}},
		{"missing format",
			"checks:\n  - format: {column: a}\n",
			[]string{
				"2:5: format: missing format",
			}},
		{"empty row",
			"checks:\n  - row: \"\"\n",
			[]string{
				"2:11: row: want a boolean expression over the columns of a row, got an empty string",
			}},
		{"mapping row",
			"checks:\n  - row: {expr: a > 1}\n",
			[]string{
				"2:10: row: want a boolean expression over the columns of a row, got a mapping",
			}},
		{"pair bad op",
			"checks:\n  - pair: {a: x, op: \"=\", b: y}\n",
			[]string{
				"2:23: pair op: want one of >, >=, <, <=, ==, !=, got \"=\"; did you mean ==?",
			}},
		{"pair short bad",
			"checks:\n  - pair: x >> y\n",
			[]string{
				"2:11: pair: want \"A OP B\" (OP one of > >= < <= == !=) or {a: A, op: OP, b: B}, got \"x >> y\"",
			}},
		{"pair missing",
			"checks:\n  - pair: {a: x}\n",
			[]string{
				"2:5: pair: missing b",
				"2:5: pair: missing op",
			}},
		{"unique both",
			"checks:\n  - unique: {column: a, columns: [a, b]}\n",
			[]string{
				"2:25: unique: give column or columns, not both",
			}},
		{"unique repeated",
			"checks:\n  - unique: [a, b, a]\n",
			[]string{
				"2:20: unique: column \"a\" is listed twice (first at line 2)",
			}},
		{"unique empty list",
			"checks:\n  - unique: []\n",
			[]string{
				"2:13: unique: want at least one column",
			}},
		{"schema empty",
			"checks:\n  - schema: {}\n",
			[]string{
				"2:5: schema: want at least one of required, forbidden, types, count, columns, no_new_columns, no_dropped_columns",
			}},
		{"schema types not mapping",
			"checks:\n  - schema: {types: [a]}\n",
			[]string{
				"2:21: schema types: want a mapping of column: type, got a list",
			}},
		{"schema count negative",
			"checks:\n  - schema: {count: -1}\n",
			[]string{
				"2:21: schema count: want an integer >= 0, got -1",
			}},
		{"schema columns scalar",
			"checks:\n  - schema: {columns: a}\n",
			[]string{
				"2:23: schema columns: want a list of column names, got \"a\"",
			}},
		{"reference missing ref",
			"checks:\n  - reference: {column: a}\n",
			[]string{
				"2:5: reference: missing ref",
			}},
		{"label_conflicts missing label",
			"checks:\n  - label_conflicts: {features: [a]}\n",
			[]string{
				"2:5: label_conflicts: missing label",
			}},
		{"label_conflicts label among features",
			"checks:\n  - label_conflicts: {label: y, features: [a, y]}\n",
			[]string{
				"2:47: label_conflicts features: \"y\" is the label; the features are the columns rows are compared on",
			}},
		{"label_conflicts bad arguments",
			"checks:\n  - label_conflicts: {label: [y], features: [a, a], case_fold: yes, float_tolerance: -1, max: 2}\n",
			[]string{
				"2:30: label_conflicts label: want a column name, got a list",
				"2:49: label_conflicts features: column \"a\" is listed twice (first at line 2)",
				"2:64: label_conflicts case_fold: want true or false, got \"yes\"",
				"2:86: label_conflicts float_tolerance: want a number >= 0, got -1",
				"2:90: unknown key max in the arguments of label_conflicts",
			}},
		{"label_conflicts tolerance not a number",
			"checks:\n  - label_conflicts: {label: y, float_tolerance: .inf}\n",
			[]string{
				"2:50: label_conflicts float_tolerance: want a finite number, got .inf",
			}},
		{"label_conflicts list",
			"checks:\n  - label_conflicts: [a, b]\n",
			[]string{
				"2:22: label_conflicts: want the label column or a mapping {label: …, features: […]}, got a list",
			}},
		{"label_conflicts nulls",
			"checks:\n  - label_conflicts: y\n    nulls: fail\n",
			[]string{
				"3:5: nulls does not apply to a label_conflicts check: rows without a label are left out, and a null feature equals a null",
			}},
		{"label_conflicts argument beside",
			"checks:\n  - label_conflicts: y\n    features: [a]\n",
			[]string{
				"3:5: features is an argument of label_conflicts: write it inside its mapping, label_conflicts: {…, features: …}",
			}},
		{"change no bound",
			"checks:\n  - change: {metric: row_count}\n",
			[]string{
				"2:5: change: want max_relative_change or max_absolute_change (or both)",
			}},
		{"change negative",
			"checks:\n  - change: {metric: row_count, max_relative_change: -0.1}\n",
			[]string{
				"2:54: change max_relative_change: want a number >= 0, got -0.1",
			}},
		{"anomaly window",
			"checks:\n  - anomaly: {metric: row_count, window: 1}\n",
			[]string{
				"2:42: anomaly window: want an integer >= 2, got 1",
			}},
		{"anomaly max_z",
			"checks:\n  - anomaly: {metric: row_count, max_z: 0}\n",
			[]string{
				"2:41: anomaly max_z: want a number > 0, got 0",
			}},
		{"anomaly min_history above window",
			"checks:\n  - anomaly: {metric: row_count, window: 5, min_history: 8}\n",
			[]string{
				"2:58: anomaly min_history: 8 is more than the window of 5 versions, so the check could never be evaluated",
			}},
		{"alias",
			"a: &x b\nchecks:\n  - not_null: *x\n",
			[]string{
				"1:1: unknown key a in a rule file",
				"3:15: aliases (*name) are not supported in rule files",
			}},
		{"merge key",
			"checks:\n  - <<: {severity: warn}\n    not_null: a\n",
			[]string{
				"2:5: merge keys (<<) are not supported in rule files",
			}},
		{"tag",
			"checks:\n  - pair:\n      a: x\n      b: y\n      op: !=\n",
			[]string{
				"5:11: YAML tags (!=) are not supported in rule files; quote a value that starts with ! (\"!=\")",
			}},
		{"non-string key",
			"checks:\n  - not_null: a\n    1: b\n",
			[]string{
				"3:5: want a key name, got 1",
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse("rules.yaml", []byte(tt.src))
			if f == nil {
				t.Fatal("got no File")
			}
			var ps Problems
			if !errors.As(err, &ps) {
				t.Fatalf("got error %v, want Problems", err)
			}
			if !errors.Is(err, ErrRules) {
				t.Errorf("error does not wrap ErrRules")
			}
			var got []string
			for _, p := range ps {
				if p.Pos.File != "rules.yaml" {
					t.Errorf("problem %q: got file %q, want rules.yaml", p.Msg, p.Pos.File)
				}
				got = append(got, fmt.Sprintf("%d:%d: %s", p.Pos.Line, p.Pos.Col, p.Msg))
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), strings.Join(tt.want, "\n\t"))
			}
		})
	}
}

// TestParseAllProblems checks that a file with several problems reports
// all of them, in file order, and still returns its good checks.
func TestParseAllProblems(t *testing.T) {
	src := `dataset: orders
checks:
  - not_null: order_id
  - between: {column: amount, min: 100, max: 10, colour: red}
  - unique: [customer_id, placed_at]
  - regex: {column: email, pattern: '[a-'}
    severity: fatal
  - row: amount >= 0
    wehre: status != "void"
  - in_set: {column: status, values: placed}
  - pair: {a: paid, op: "<=", b: amount}
`
	f, err := Parse("orders.yaml", []byte(src))
	want := []string{
		"orders.yaml:4:36: between: min 100 is greater than max 10",
		"orders.yaml:4:50: unknown key colour in the arguments of between",
		"orders.yaml:6:38: regex pattern: error parsing regexp: missing closing ]: `[a-`",
		"orders.yaml:7:15: severity: want error or warn, got \"fatal\"",
		"orders.yaml:9:5: unknown key wehre in a check; did you mean where?",
		"orders.yaml:10:38: in_set values: want a list of values, got \"placed\"",
	}
	if err == nil {
		t.Fatal("got no error")
	}
	if got := strings.Split(err.Error(), "\n"); !reflect.DeepEqual(got, want) {
		t.Errorf("got\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
	}
	var kinds []Kind
	for _, c := range f.Checks {
		kinds = append(kinds, c.Kind)
	}
	if wantKinds := []Kind{KindNotNull, KindUnique, KindPair}; !reflect.DeepEqual(kinds, wantKinds) {
		t.Errorf("got the good checks %v, want %v", kinds, wantKinds)
	}
	if f.Dataset != "orders" || f.Path != "orders.yaml" {
		t.Errorf("got dataset %q path %q, want orders and orders.yaml", f.Dataset, f.Path)
	}
}

func TestParseTestdata(t *testing.T) {
	tests := []struct {
		file    string
		dataset string
		checks  int
		kinds   []Kind // kinds that must appear
		bad     int    // number of problems
	}{
		{"telco-churn.yaml", "telco-churn", 26, []Kind{KindSchema, KindRowCount, KindNotNull, KindUnique, KindRegex, KindRow, KindNullFraction, KindBetween, KindPair, KindMetric, KindInSet}, 0},
		{"orders.yaml", "orders", 32, Kinds, 0},
		{"bad.yaml", "orders", 0, nil, 7},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join("testdata", "rules", tt.file)
			f, err := ParseFile(path)
			var ps Problems
			errors.As(err, &ps)
			if len(ps) != tt.bad || (err != nil) != (tt.bad > 0) {
				t.Fatalf("got error %v, want %d problems", err, tt.bad)
			}
			if f.Path != path || f.Dataset != tt.dataset || len(f.Checks) != tt.checks {
				t.Errorf("got path %q dataset %q %d checks, want %q %q %d", f.Path, f.Dataset, len(f.Checks), path, tt.dataset, tt.checks)
			}
			seen := map[Kind]bool{}
			for _, c := range f.Checks {
				seen[c.Kind] = true
				if c.Pos.File != path || c.Pos.Line < 1 {
					t.Errorf("check %s: got position %+v", c.Kind, c.Pos)
				}
			}
			for _, k := range tt.kinds {
				if !seen[k] {
					t.Errorf("no %s check", k)
				}
			}
		})
	}
}

func TestParseTelco(t *testing.T) {
	f, err := ParseFile(filepath.Join("testdata", "rules", "telco-churn.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var total []*Check
	for _, c := range f.Checks {
		if c.Column == "TotalCharges" || strings.Contains(c.Expr, "TotalCharges") {
			total = append(total, c)
		}
	}
	if len(total) != 3 || total[0].Kind != KindNotNull || total[1].Kind != KindRow || total[2].Kind != KindNullFraction {
		t.Errorf("got %d checks of TotalCharges, want not_null, row and null_fraction", len(total))
	}
	s := f.Checks[0].Schema
	if s == nil || s.Types["SeniorCitizen"] != "int64" || s.Types["TotalCharges"] != "float64" || *s.Count != 21 {
		t.Errorf("got schema %+v, want SeniorCitizen int64, TotalCharges float64, 21 columns", s)
	}
}

func TestParseFileMissing(t *testing.T) {
	_, err := ParseFile(filepath.Join(t.TempDir(), "nope.yaml"))
	if !errors.Is(err, os.ErrNotExist) || errors.Is(err, ErrRules) {
		t.Errorf("got %v, want a not-exist error that is not ErrRules", err)
	}
}

func TestParseMaxAge(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration // 0: invalid
	}{
		{"24h", 24 * time.Hour},
		{"90m", 90 * time.Minute},
		{"7d", 7 * 24 * time.Hour},
		{"1.5d", 36 * time.Hour},
		{"1d12h", 36 * time.Hour},
		{"30s", 30 * time.Second},
		{"1h30m", 90 * time.Minute},
		{"", 0},
		{"0h", 0},
		{"-1h", 0},
		{"10", 0},
		{"d", 0},
		{"3 days", 0},
		{"1w", 0},
		{"1.2.3d", 0},
		{"99999999999999d", 0},
	}
	for _, tt := range tests {
		got, ok := parseMaxAge(tt.in)
		if ok != (tt.want > 0) || got != tt.want && ok {
			t.Errorf("parseMaxAge(%q): got %v %v, want %v", tt.in, got, ok, tt.want)
		}
	}
}

func TestParseBOMAndCRLF(t *testing.T) {
	src := "\xef\xbb\xbfchecks:\r\n  - not_null: a\r\n  - between: {column: b, min: x}\r\n"
	f, err := Parse("rules.yaml", []byte(src))
	want := "rules.yaml:3:31: between min: want a number, got \"x\""
	if err == nil || err.Error() != want {
		t.Errorf("got error %v, want %s", err, want)
	}
	if len(f.Checks) != 1 || f.Checks[0].Column != "a" || f.Checks[0].Pos.Col != 5 {
		t.Errorf("got checks %+v, want not_null a at column 5", f.Checks)
	}

	// A lone \r breaks a line too, and mixed breaks count alike.
	_, err = Parse("rules.yaml", []byte("\r# x\r\nchecks:\r  - not_null: [a]\n"))
	want = "rules.yaml:4:15: not_null: want a column name or a mapping {column: …}, got a list"
	if err == nil || err.Error() != want {
		t.Errorf("got error %v, want %s", err, want)
	}
}
