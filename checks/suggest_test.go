package checks_test

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/assayhq/assay/checks"
	"github.com/assayhq/assay/dataset/datagen"
)

// suggestAndRun suggests rules from the profile of the data at path (as
// `assay check suggest` does), then parses, compiles and runs them on the
// same data. It returns the rules and the run.
func suggestAndRun(t *testing.T, path string) (string, *checks.Run) {
	t.Helper()
	ctx := t.Context()
	src := open(t, nil, path)
	sc, err := src.Scanner(ctx)
	if err != nil {
		t.Fatal(err)
	}
	schema := sc.Schema()
	sc.Close()
	prof, err := src.Profile(ctx, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	rules := checks.Suggest(src.Label, schema, prof.Summary())
	f, err := checks.Parse("suggested.yaml", []byte(rules))
	if err != nil {
		t.Fatalf("the suggested rules do not parse:\n%s\n%v", rules, err)
	}
	p, err := checks.Compile(ctx, f, schema, checks.Env{})
	if err != nil {
		t.Fatalf("the suggested rules do not compile:\n%s\n%v", rules, err)
	}
	run, err := p.Run(ctx, src, checks.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return rules, run
}

// failures lists the checks of a run that did not pass.
func failures(run *checks.Run) []string {
	var out []string
	for _, r := range run.Results {
		if r.Status != checks.StatusPass {
			out = append(out, r.Name+": "+string(r.Status)+" "+r.Message)
		}
	}
	return out
}

// TestSuggestPasses: the suggested rule file parses, compiles and passes
// on the data it came from.
func TestSuggestPasses(t *testing.T) {
	t.Run("telco churn csv", func(t *testing.T) {
		path := copyFile(t, filepath.Join("..", "dataset", "csvconv", "testdata", "telco-churn", "Telco-Customer-Churn.csv"), t.TempDir())
		rules, run := suggestAndRun(t, path)
		if f := failures(run); len(f) > 0 {
			t.Errorf("suggested rules fail on their own data:\n%s\n%s", strings.Join(f, "\n"), rules)
		}
		// It proposes what Deequ would: not null and unique ids, sets
		// for low-cardinality columns, the 11 blank TotalCharges as a
		// bounded null fraction.
		for _, want := range []string{
			"- not_null: customerID", "- unique: customerID",
			`- in_set: {column: Contract, values: [`, "- in_set: {column: SeniorCitizen, values: [0, 1]}",
			"- null_fraction: {column: TotalCharges, max: ",
			"- between: {column: tenure, min: 0, max: ",
		} {
			if !strings.Contains(rules, want) {
				t.Errorf("suggested rules lack %q:\n%s", want, rules)
			}
		}
		if run.Rows != 7043 {
			t.Errorf("%d rows, want 7043", run.Rows)
		}
	})
	t.Run("datagen", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "customers.parquet")
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := datagen.Write(t.Context(), f, datagen.Options{Rows: 30_000, RowGroupRows: 7_000}); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
		rules, run := suggestAndRun(t, path)
		if f := failures(run); len(f) > 0 {
			t.Errorf("suggested rules fail on their own data:\n%s\n%s", strings.Join(f, "\n"), rules)
		}
		for _, want := range []string{"- unique: id", "- not_null: segment", "- in_set: {column: segment, values: ["} {
			if !strings.Contains(rules, want) {
				t.Errorf("suggested rules lack %q:\n%s", want, rules)
			}
		}
	})
}

// TestSuggestPassesOnOddValues: regression test; the bug it caught: two kinds of data whose suggested rules
// fail on the data they came from.
//
//   - A float column with NaN values: the profile's min and max leave NaN
//     out, and between fails on NaN (as it must), so the suggested
//     between fails on every NaN row. Fix: do not suggest between for a
//     column with NaN (ColumnSummary.NaN > 0), or suggest it with
//     max_fail_count: NaN.
//   - String values that YAML types as something else when unquoted:
//     yamlString leaves "0x1F" plain (Go's ParseFloat rejects it; YAML 1.2
//     reads it as the integer 31), so in_set compares with "31"; ".inf"
//     plain is a YAML float and the parser rejects it. Fix: quote every
//     value that is not a plain YAML 1.2 string — simplest, quote all
//     string values of in_set.
func TestSuggestPassesOnOddValues(t *testing.T) {
	t.Run("NaN", func(t *testing.T) {
		nan := math.NaN()
		path := data(t, fcol("f", 1.0, 2.5, nan, 4.0, 3.0, nan, 2.0, nil))
		rules, run := suggestAndRun(t, path)
		if f := failures(run); len(f) > 0 {
			t.Errorf("suggested rules fail on their own data:\n%s\n%s", strings.Join(f, "\n"), rules)
		}
	})
	// "0x1F" and "0o17" plain are YAML integers: in_set then compares
	// the strings with "31" and "15".
	t.Run("hex and octal strings", func(t *testing.T) {
		path := data(t, scol("code", "0x1F", "0o17", "x", "0x1F", "x", "0o17", "x", "x", "x"))
		rules, run := suggestAndRun(t, path)
		if f := failures(run); len(f) > 0 {
			t.Errorf("suggested rules fail on their own data:\n%s\n%s", strings.Join(f, "\n"), rules)
		}
	})
	// ".inf" plain is a YAML float: the rule file does not parse.
	t.Run("infinity string", func(t *testing.T) {
		path := data(t, scol("code", ".inf", "x", ".inf", "x", "x", "x"))
		rules, run := suggestAndRun(t, path)
		if f := failures(run); len(f) > 0 {
			t.Errorf("suggested rules fail on their own data:\n%s\n%s", strings.Join(f, "\n"), rules)
		}
	})
}

// TestSuggestCSV: suggestions for a small CSV file (converted to Parquet
// on the fly; a blank is null) pass on it.
func TestSuggestCSV(t *testing.T) {
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "small.csv")
	if err := os.WriteFile(csvPath, []byte("id,name,score\n1,a,0.5\n2,b,\n3,a,2.5\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	rules, run := suggestAndRun(t, csvPath)
	if f := failures(run); len(f) > 0 {
		t.Errorf("suggested rules fail on their own data:\n%s\n%s", strings.Join(f, "\n"), rules)
	}
	if !strings.Contains(rules, "- unique: id") || !strings.Contains(rules, "- null_fraction: {column: score, max: ") {
		t.Errorf("suggested rules:\n%s", rules)
	}
}
