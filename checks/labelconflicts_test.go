package checks_test

// Tests of the label_conflicts kind: which rows conflict (trimming, case
// folding, tolerance, nulls, missing labels), tolerances, where and
// group_by, samples, label types, compile errors, and agreement with
// conflicts.Exact whatever the row groups and workers.

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/assayhq/assay/checks"
	"github.com/assayhq/assay/labels/conflicts"
)

// churnData: 8 customers by hand.
//
//	row contract  tenure charges segment churn
//	0   Month     1      10      a       Yes
//	1   "month "  1      10.004  a       No    (Month once trimmed and folded)
//	2   Year      12     50      a       No
//	3   Year      12     50      b       No    (agrees with 2)
//	4   Month     1      10      a       null  (no label: left out)
//	5   Two       24     70      a       Yes
//	6   Two       24     70      a       No
//	7   Two       24     70      b       Yes
func churnData(t *testing.T) string {
	return data(t,
		icol("id", 1, 2, 3, 4, 5, 6, 7, 8),
		scol("contract", "Month", "month ", "Year", "Year", "Month", "Two", "Two", "Two"),
		icol("tenure", 1, 1, 12, 12, 1, 24, 24, 24),
		fcol("charges", 10.0, 10.004, 50.0, 50.0, 10.0, 70.0, 70.0, 70.0),
		scol("segment", "a", "a", "a", "b", "a", "a", "a", "b"),
		scol("churn", "Yes", "No", "No", "No", nil, "Yes", "No", "Yes"),
	)
}

func TestLabelConflicts(t *testing.T) {
	path := churnData(t)
	type obs struct{ groups, rows, agreeing int64 }
	tests := []struct {
		name, check string
		want        counts
		obs         obs
		partial     []string
	}{
		// Trimmed but not folded: "month" is not "Month"; Two conflicts
		// (rows 5-7); Year agrees. 3 of the 7 labelled rows.
		{"trimmed", "label_conflicts: {label: churn, features: [contract, tenure]}",
			row(false, 8, 1, 3, 7, 5, 6, 7), obs{1, 3, 1}, []string{"Yes", "No", "Yes"}},
		{"folded", "label_conflicts: {label: churn, features: [contract, tenure], case_fold: true}",
			row(false, 8, 1, 5, 7, 0, 1, 5, 6, 7), obs{2, 5, 1}, []string{"Yes", "No", "Yes", "No", "Yes"}},
		// The charges 10 and 10.004 differ, unless within 0.005.
		{"exact numbers", "label_conflicts: {label: churn, features: [contract, charges], case_fold: true}",
			row(false, 8, 1, 3, 7, 5, 6, 7), obs{1, 3, 1}, nil},
		{"tolerance", "label_conflicts: {label: churn, features: [contract, charges], case_fold: true, float_tolerance: 0.005}",
			row(false, 8, 1, 5, 7, 0, 1, 5, 6, 7), obs{2, 5, 1}, nil},
		// Every other column: id is unique, so nothing conflicts.
		{"default features", "label_conflicts: churn",
			row(true, 8, 1, 0, 7), obs{0, 0, 0}, nil},
		{"tolerated count", "label_conflicts: {label: churn, features: [contract]}\nmax_fail_count: 3",
			row(true, 8, 1, 3, 7, 5, 6, 7), obs{1, 3, 1}, nil},
		{"tolerated fraction", "label_conflicts: {label: churn, features: [contract]}\nmax_fail_fraction: 0.43",
			row(true, 8, 1, 3, 7, 5, 6, 7), obs{1, 3, 1}, nil},
		{"fraction exceeded", "label_conflicts: {label: churn, features: [contract]}\nmax_fail_fraction: 0.42",
			row(false, 8, 1, 3, 7, 5, 6, 7), obs{1, 3, 1}, nil},
		// where drops the Two rows.
		{"where", "label_conflicts: {label: churn, features: [contract, tenure]}\nwhere: 'tenure < 20'",
			row(true, 5, 1, 0, 4), obs{0, 0, 1}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := runOne(t, path, tt.check)
			checkCounts(t, res, tt.want)
			o, ok := res.ObservedValue.(map[string]int64)
			if !ok || o["conflict_groups"] != tt.obs.groups || o["conflicting_rows"] != tt.obs.rows || o["duplicate_groups_agreeing"] != tt.obs.agreeing {
				t.Errorf("observed %v, want %d groups, %d rows, %d agreeing", res.ObservedValue, tt.obs.groups, tt.obs.rows, tt.obs.agreeing)
			}
			if tt.partial != nil && !slices.Equal(partial(res), tt.partial) {
				t.Errorf("partial_unexpected_list %v, want %v", partial(res), tt.partial)
			}
			if res.Column != "churn" || res.Kind != checks.KindLabelConflicts {
				t.Errorf("column %q kind %q, want churn, label_conflicts", res.Column, res.Kind)
			}
		})
	}
}

func TestLabelConflictsReport(t *testing.T) {
	res := runOne(t, churnData(t), "label_conflicts: {label: churn, features: [contract, tenure], case_fold: true}")
	if want := "rows with the same (contract, tenure) have the same churn (text case-folded)"; res.Expected != want {
		t.Errorf("expected %q, want %q", res.Expected, want)
	}
	want := `2 conflict groups: 5 rows share their features but not their label; first: rows 0 and 1 ("No" ×1, "Yes" ×1; suggested "No")`
	if res.Message != want {
		t.Errorf("message\n got %q\nwant %q", res.Message, want)
	}
	// The samples hold the label first, then the features.
	s := res.Samples[1]
	if s.Row != 1 || *s.Values["churn"] != "No" || *s.Values["contract"] != "month " || *s.Values["tenure"] != "1" || len(s.Values) != 3 {
		t.Errorf("sample %+v", s)
	}
	if res.Name != "label_conflicts: churn" || !slices.Equal(res.Columns, []string{"contract", "tenure"}) {
		t.Errorf("name %q columns %v", res.Name, res.Columns)
	}
}

// TestLabelConflictsSamples: samples are whole groups in row order, at
// most --samples rows.
func TestLabelConflictsSamples(t *testing.T) {
	path := churnData(t)
	for _, tt := range []struct {
		samples int
		want    []int64
	}{
		{-1, nil},
		{1, []int64{0}},
		{3, []int64{0, 1, 5}},
		{20, []int64{0, 1, 5, 6, 7}},
	} {
		run := runRules(t, path, rulesOf("label_conflicts: {label: churn, features: [contract], case_fold: true}"), checks.Env{Samples: tt.samples, Keys: []string{"id"}})
		res := run.Results[0]
		if got := sampleRows(res); !slices.Equal(got, tt.want) {
			t.Errorf("samples %d: rows %v, want %v", tt.samples, got, tt.want)
		}
		for _, s := range res.Samples {
			if s.Values["id"] == nil {
				t.Errorf("samples %d: row %d has no key column id", tt.samples, s.Row)
			}
		}
	}
}

func TestLabelConflictsGroupBy(t *testing.T) {
	// By segment: Two conflicts only in a (rows 5, 6); row 7 is alone in b.
	res := runOne(t, churnData(t), "label_conflicts: {label: churn, features: [contract, tenure], case_fold: true}\ngroup_by: segment")
	checkCounts(t, res, row(false, 8, 1, 4, 7, 0, 1, 5, 6))
	if res.FailingGroups != 1 || len(res.Groups) != 1 {
		t.Fatalf("failing groups %d, groups %d; want 1", res.FailingGroups, len(res.Groups))
	}
	g := res.Groups[0]
	if *g.Group["segment"] != "a" || g.ElementCount != 6 || g.MissingCount != 1 || g.UnexpectedCount != 4 {
		t.Errorf("group %+v", g)
	}
	if got := []int64{g.Samples[0].Row, g.Samples[3].Row}; len(g.Samples) != 4 || !slices.Equal(got, []int64{0, 6}) {
		t.Errorf("group samples %+v", g.Samples)
	}
	// The segment is no default feature with group_by: the rest are
	// compared (id is unique: nothing conflicts).
	res = runOne(t, churnData(t), "label_conflicts: churn\ngroup_by: segment")
	if !res.Success || slices.Contains(res.Columns, "segment") {
		t.Errorf("default features with group_by: success %v, features %v", res.Success, res.Columns)
	}
}

// TestLabelConflictsTypes: labels and features of every type.
func TestLabelConflictsTypes(t *testing.T) {
	day := time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)
	path := data(t,
		icol("n", 1, 1, 2, 2, 3, 3),
		i32col("i32", 5, 5, 6, 6, 7, 7),
		bcol("flag", true, true, false, false, true, true),
		tscol("ts", day, day, day, day, day.Add(time.Hour), day.Add(time.Hour)),
		fcol("x", 1.0, 1.0, math.NaN(), math.NaN(), nil, nil),
		icol("ilabel", 10, 9, 10, 10, 1, 2),
		bcol("blabel", true, false, true, true, nil, false),
		fcol("flabel", 0.5, 0.25, math.NaN(), math.NaN(), 1.0, 1.0),
	)
	tests := []struct {
		check   string
		unex    int64
		partial []string
	}{
		// Rows 0, 1 (10 and 9) and 4, 5 (1 and 2) conflict; 2, 3 agree.
		{"label_conflicts: {label: ilabel, features: [n, i32, flag, ts, x]}", 4, []string{"10", "9", "1", "2"}},
		// Row 4's label is null: rows 0, 1 conflict only.
		{"label_conflicts: {label: blabel, features: [n, i32, flag, ts, x]}", 2, []string{"true", "false"}},
		// NaN labels are one class: rows 2, 3 agree.
		{"label_conflicts: {label: flabel, features: [n, x]}", 2, []string{"0.5", "0.25"}},
	}
	for _, tt := range tests {
		res := runOne(t, path, tt.check)
		if res.UnexpectedCount != tt.unex || !slices.Equal(partial(res), tt.partial) {
			t.Errorf("%s: %d unexpected, partial %v; want %d, %v (message %q)", tt.check, res.UnexpectedCount, partial(res), tt.unex, tt.partial, res.Message)
		}
	}
	// A tie goes to the label more frequent overall.
	res := runOne(t, path, "label_conflicts: {label: ilabel, features: [n]}")
	if !strings.Contains(res.Message, `first: rows 0 and 1 ("10" ×1, "9" ×1; suggested "10")`) {
		t.Errorf("message %q: 10 is the more frequent label", res.Message)
	}
}

func TestLabelConflictsCompileErrors(t *testing.T) {
	path := data(t, icol("id", 1), scol("label", "a"))
	src := open(t, nil, path)
	sc, err := src.Scanner(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	schema := sc.Schema()
	sc.Close()
	rules := `checks:
  - label_conflicts: {label: lable, features: [id]}
  - label_conflicts: {label: label, features: [id, idd]}
  - label_conflicts: {label: id}
    where: 'label > 1'
`
	f, err := checks.Parse("rules.yaml", []byte(rules))
	if err != nil {
		t.Fatal(err)
	}
	_, err = checks.Compile(t.Context(), f, schema, checks.Env{})
	var probs checks.Problems
	if !errors.As(err, &probs) {
		t.Fatalf("got %v, want Problems", err)
	}
	var got []string
	for _, p := range probs {
		got = append(got, p.Error())
	}
	want := []string{
		`rules.yaml:2:30: unknown column "lable" (did you mean "label"?)`,
		`rules.yaml:3:52: unknown column "idd" (did you mean "id"?)`,
		`rules.yaml:5:19: mismatched types string and int`,
	}
	if len(got) != len(want) {
		t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i][:strings.Index(want[i], ": ")+2]) || !strings.Contains(got[i], want[i][strings.Index(want[i], ": ")+2:]) {
			t.Errorf("problem %d: got %s, want %s", i, got[i], want[i])
		}
	}
	// A label and no other column.
	path = data(t, scol("label", "a"))
	run := func() error {
		src := open(t, nil, path)
		sc, err := src.Scanner(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		defer sc.Close()
		f, err := checks.Parse("rules.yaml", []byte("checks:\n  - label_conflicts: label\n"))
		if err != nil {
			t.Fatal(err)
		}
		_, err = checks.Compile(t.Context(), f, sc.Schema(), checks.Env{})
		return err
	}
	if err := run(); err == nil || !strings.Contains(err.Error(), `rules.yaml:2:22: label_conflicts: the data has no columns to compare rows on besides the label "label"`) {
		t.Errorf("got %v", err)
	}
}

// TestLabelConflictsAgreesWithPackage: on random data, the check finds
// what conflicts.Exact finds on the same rows, whatever the row groups
// and workers (label codes merge across row groups).
func TestLabelConflictsAgreesWithPackage(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	const n = 3000
	var a, b, lab []any
	fa, fb := make([]float64, n), make([]string, n)
	va, vb := make([]bool, n), make([]bool, n)
	codes := make([]int, n)
	classes := []string{"cat", "cow", "dog", "eel"}
	words := []string{"x", "X ", " y", "Y", "z"}
	for i := range n {
		switch {
		case rng.IntN(20) == 0:
			a = append(a, nil)
		default:
			v := float64(rng.IntN(30)) / 4
			a = append(a, v)
			fa[i], va[i] = v, true
		}
		switch {
		case rng.IntN(20) == 0:
			b = append(b, nil)
		default:
			w := words[rng.IntN(len(words))]
			b = append(b, w)
			fb[i], vb[i] = w, true
		}
		// Labels appear in a different order in each row group.
		switch k := rng.IntN(len(classes) + 1); k {
		case len(classes):
			lab = append(lab, nil)
			codes[i] = -1
		default:
			lab = append(lab, classes[k])
			codes[i] = k
		}
	}
	cols := []conflicts.Column{conflicts.Numeric("a", fa, va), conflicts.Text("b", fb, vb)}
	for _, opts := range []conflicts.Options{{}, {CaseFold: true}, {CaseFold: true, FloatTolerance: 0.25}} {
		want, err := conflicts.Exact(cols, conflicts.Labels{Codes: codes, Classes: classes}, opts)
		if err != nil {
			t.Fatal(err)
		}
		check := fmt.Sprintf("label_conflicts: {label: lab, features: [a, b], case_fold: %v, float_tolerance: %v}", opts.CaseFold, opts.FloatTolerance)
		for _, rg := range []int64{0, 257, 64} {
			path := writeData(t, filepath.Join(t.TempDir(), "d.parquet"), rg, fcol("a", a...), scol("b", b...), scol("lab", lab...))
			for _, workers := range []int{1, 4} {
				run := runRules(t, path, rulesOf(check), checks.Env{Workers: workers, Samples: 50})
				res := run.Results[0]
				got := res.ObservedValue.(map[string]int64)
				wantObs := map[string]int64{"conflict_groups": int64(len(want.Groups)), "conflicting_rows": int64(want.ConflictingRows),
					"duplicate_groups_agreeing": int64(want.AgreeingGroups), "labelled_rows": int64(want.LabelledRows)}
				if !reflect.DeepEqual(got, wantObs) {
					t.Errorf("%+v rg=%d workers=%d: observed %v, want %v", opts, rg, workers, got, wantObs)
				}
				// The samples are the rows of the groups with the smallest
				// first rows.
				firsts := slices.Clone(want.Groups)
				slices.SortFunc(firsts, func(x, y conflicts.Group) int { return x.Rows[0] - y.Rows[0] })
				var rows []int64
				for _, g := range firsts {
					for _, r := range g.Rows {
						if len(rows) < 50 {
							rows = append(rows, int64(r))
						}
					}
				}
				if !slices.Equal(sampleRows(res), rows) {
					t.Errorf("%+v rg=%d workers=%d: samples %v, want %v", opts, rg, workers, sampleRows(res), rows)
				}
			}
		}
	}
}
