package checks_test

// Helpers of the semantics and engine tests: small datasets built in Go
// and written as Parquet into t.TempDir(), rule files run through the
// public API (Parse, Compile, Plan.Run over a dataset.Source), and
// comparisons of results with the numbers Great Expectations gives.

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/assayhq/assay/checks"
	"github.com/assayhq/assay/dataset"
)

// col is a column of a test dataset: values of the column's Go type
// (int64, float64, string, bool, time.Time), nil for null.
type col struct {
	name string
	typ  arrow.DataType
	vals []any
}

func icol(name string, vals ...any) col { return col{name, arrow.PrimitiveTypes.Int64, vals} }
func i32col(name string, vals ...any) col {
	return col{name, arrow.PrimitiveTypes.Int32, vals}
}
func fcol(name string, vals ...any) col { return col{name, arrow.PrimitiveTypes.Float64, vals} }
func scol(name string, vals ...any) col { return col{name, arrow.BinaryTypes.String, vals} }
func bcol(name string, vals ...any) col { return col{name, arrow.FixedWidthTypes.Boolean, vals} }
func tscol(name string, vals ...any) col {
	return col{name, &arrow.TimestampType{Unit: arrow.Millisecond, TimeZone: "UTC"}, vals}
}

// writeData writes the columns as a Parquet file of row groups of at most
// rowGroupRows rows (0: one row group) and returns its path. A column is
// nullable when it holds a nil.
func writeData(t testing.TB, path string, rowGroupRows int64, cols ...col) string {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	fields := make([]arrow.Field, len(cols))
	n := -1
	for i, c := range cols {
		fields[i] = arrow.Field{Name: c.name, Type: c.typ, Nullable: slices.Contains(c.vals, nil)}
		if n >= 0 && len(c.vals) != n {
			t.Fatalf("column %s has %d values, want %d", c.name, len(c.vals), n)
		}
		n = len(c.vals)
	}
	schema := arrow.NewSchema(fields, nil)
	b := array.NewRecordBuilder(mem, schema)
	defer b.Release()
	for j, c := range cols {
		for _, v := range c.vals {
			if v == nil {
				b.Field(j).AppendNull()
				continue
			}
			switch fb := b.Field(j).(type) {
			case *array.Int64Builder:
				fb.Append(asInt(v))
			case *array.Int32Builder:
				fb.Append(int32(asInt(v)))
			case *array.Float64Builder:
				fb.Append(asFloat(v))
			case *array.StringBuilder:
				fb.Append(v.(string))
			case *array.BooleanBuilder:
				fb.Append(v.(bool))
			case *array.TimestampBuilder:
				fb.Append(arrow.Timestamp(v.(time.Time).UnixMilli()))
			default:
				t.Fatalf("column %s: no builder for %T", c.name, fb)
			}
		}
	}
	rec := b.NewRecordBatch()
	defer rec.Release()
	opts := dataset.DefaultWriterOptions()
	if rowGroupRows > 0 {
		opts.RowGroupRows = rowGroupRows
	}
	if err := dataset.WriteFile(path, schema, opts, func(w *dataset.Writer) error { return w.Write(rec) }); err != nil {
		t.Fatal(err)
	}
	return path
}

func asInt(v any) int64 {
	switch x := v.(type) {
	case int:
		return int64(x)
	case int64:
		return x
	}
	panic(fmt.Sprintf("%T is not an integer", v))
}

func asFloat(v any) float64 {
	switch x := v.(type) {
	case int:
		return float64(x)
	case float64:
		return x
	}
	panic(fmt.Sprintf("%T is not a number", v))
}

// data writes the columns to data.parquet in a new temporary directory.
func data(t testing.TB, cols ...col) string {
	t.Helper()
	return writeData(t, filepath.Join(t.TempDir(), "data.parquet"), 0, cols...)
}

// rulesOf makes a rule file of check items, each written as it follows
// "- " in a checks list; continuation lines are indented to match.
func rulesOf(items ...string) string {
	var b strings.Builder
	b.WriteString("checks:\n")
	for _, it := range items {
		lines := strings.Split(strings.TrimRight(it, "\n"), "\n")
		for i, l := range lines {
			if i == 0 {
				b.WriteString("  - " + l + "\n")
			} else {
				b.WriteString("    " + l + "\n")
			}
		}
	}
	return b.String()
}

// compileRules parses rules and compiles them against the source's
// schema; it fails the test on any problem.
func compileRules(t testing.TB, src *dataset.Source, rules string, env checks.Env) *checks.Plan {
	t.Helper()
	ctx := context.Background()
	f, err := checks.Parse("rules.yaml", []byte(rules))
	if err != nil {
		t.Fatalf("parse:\n%s\n%v", rules, err)
	}
	sc, err := src.Scanner(ctx)
	if err != nil {
		t.Fatal(err)
	}
	schema := sc.Schema()
	sc.Close()
	if env.Manifest == nil {
		env.Manifest = src.Manifest
	}
	p, err := checks.Compile(ctx, f, schema, env)
	if err != nil {
		t.Fatalf("compile:\n%s\n%v", rules, err)
	}
	return p
}

// open opens a path (or, with a repository, a ref) as a Source.
func open(t testing.TB, repo *dataset.Repo, ref string) *dataset.Source {
	t.Helper()
	src, err := dataset.OpenSource(context.Background(), repo, ref, dataset.DefaultCSVOptions())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { src.Close() })
	return src
}

// runRules runs a rule file on a path or ref.
func runRules(t testing.TB, ref, rules string, env checks.Env) *checks.Run {
	t.Helper()
	src := open(t, env.Repo, ref)
	p := compileRules(t, src, rules, env)
	run, err := p.Run(context.Background(), src, checks.RunOptions{})
	if err != nil {
		t.Fatalf("run:\n%s\n%v", rules, err)
	}
	if len(run.Results) != strings.Count(rules, "\n  - ") {
		t.Fatalf("got %d results for the rules\n%s", len(run.Results), rules)
	}
	return run
}

// runOne runs one check item on a path and returns its result.
func runOne(t testing.TB, path, item string) *checks.Result {
	t.Helper()
	return runRules(t, path, rulesOf(item), checks.Env{}).Results[0]
}

// counts are the figures of a row-level result a test expects.
type counts struct {
	success                 bool
	elements, missing, unex int64
	// pct, total and nonmissing are unexpected_percent,
	// unexpected_percent_total and unexpected_percent_nonmissing.
	pct, total, nonmissing float64
	// rows are the sample rows, in order (nil: none).
	rows []int64
}

// pctOf is n as a percentage of d, as Great Expectations computes it.
func pctOf(n, d int64) float64 {
	if d == 0 {
		return 0
	}
	return 100 * float64(n) / float64(d)
}

// row makes the counts of a row-level check from its row figures: d is
// the denominator the tolerance uses (non-null rows under nulls: ignore,
// all rows otherwise).
func row(success bool, elements, missing, unexpected, d int64, rows ...int64) counts {
	if len(rows) == 0 {
		rows = nil
	}
	return counts{success: success, elements: elements, missing: missing, unex: unexpected,
		pct: pctOf(unexpected, d), total: pctOf(unexpected, elements), nonmissing: pctOf(unexpected, elements-missing), rows: rows}
}

func near(a, b float64) bool {
	if a == b {
		return true
	}
	return math.Abs(a-b) <= 1e-9*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

func checkCounts(t testing.TB, res *checks.Result, want counts) {
	t.Helper()
	got := counts{success: res.Success, elements: res.ElementCount, missing: res.MissingCount, unex: res.UnexpectedCount,
		pct: res.UnexpectedPercent, total: res.UnexpectedPercentTotal, nonmissing: res.UnexpectedPercentNonmissing, rows: sampleRows(res)}
	if got.success != want.success || got.elements != want.elements || got.missing != want.missing || got.unex != want.unex ||
		!near(got.pct, want.pct) || !near(got.total, want.total) || !near(got.nonmissing, want.nonmissing) || !slices.Equal(got.rows, want.rows) {
		t.Errorf("%s:\n got %s\nwant %s\n(message %q)", res.Name, fmtCounts(got), fmtCounts(want), res.Message)
	}
}

func fmtCounts(c counts) string {
	return fmt.Sprintf("success=%v element_count=%d missing_count=%d unexpected_count=%d unexpected_percent=%.6g total=%.6g nonmissing=%.6g samples=%v",
		c.success, c.elements, c.missing, c.unex, c.pct, c.total, c.nonmissing, c.rows)
}

func sampleRows(res *checks.Result) []int64 {
	var rows []int64
	for _, s := range res.Samples {
		rows = append(rows, s.Row)
	}
	return rows
}

// partial renders a result's partial_unexpected_list, nulls as "<nil>".
func partial(res *checks.Result) []string {
	out := make([]string, len(res.PartialUnexpectedList))
	for i, v := range res.PartialUnexpectedList {
		out[i] = fmt.Sprint(v)
	}
	return out
}

// observed returns a metric result's observed value of one aggregate
// (nil when undefined), failing the test when it is not reported.
func observed(t testing.TB, res *checks.Result, metric string) any {
	t.Helper()
	m, ok := res.ObservedValue.(map[string]any)
	if !ok {
		t.Fatalf("%s: observed value %#v is not a map of metrics", res.Name, res.ObservedValue)
	}
	v, ok := m[metric]
	if !ok {
		t.Fatalf("%s: observed value %v has no %s", res.Name, m, metric)
	}
	return v
}

// copyFile copies a file into dir and returns the copy's path.
func copyFile(t testing.TB, from, dir string) string {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	to := filepath.Join(dir, filepath.Base(from))
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return to
}
