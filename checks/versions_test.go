package checks_test

// Checks that need a repository: schema against the previous version,
// freshness relative to the version's time, change and anomaly rules over
// the metric history (from stored runs and from stored profiles), and
// reference rules naming a dataset ref.

import (
	"fmt"
	"math"
	"path/filepath"
	"testing"
	"time"

	"github.com/assayhq/assay/checks"
	"github.com/assayhq/assay/dataset"
)

// repoWith makes a repository and commits one version of dataset ds per
// file, at the given times (one hour apart from t0 when nil).
func repoWith(t *testing.T, ds string, files []string, times []time.Time) *dataset.Repo {
	t.Helper()
	ctx := t.Context()
	repo, err := dataset.InitDir(ctx, filepath.Join(t.TempDir(), "repo"))
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	for i, f := range files {
		at := t0.Add(time.Duration(i) * time.Hour)
		if times != nil {
			at = times[i]
		}
		if _, err := repo.Commit(ctx, dataset.CommitOptions{Name: ds, Paths: []string{f}, Message: fmt.Sprintf("version %d", i+1), Author: "test", Time: at}); err != nil {
			t.Fatal(err)
		}
	}
	return repo
}

// rowsFile writes n rows of id (1..n) and x (x(i) for i in 1..n).
func rowsFile(t *testing.T, n int, x func(i int) any, extra ...col) string {
	var ids, xs []any
	for i := 1; i <= n; i++ {
		ids = append(ids, int64(i))
		xs = append(xs, x(i))
	}
	return writeData(t, filepath.Join(t.TempDir(), "v.parquet"), 0, append([]col{icol("id", ids...), icol("x", xs...)}, extra...)...)
}

func TestSchemaAgainstPreviousVersion(t *testing.T) {
	v1 := data(t, icol("id", 1), scol("a", "x"), scol("b", "y"))
	v2 := data(t, icol("id", 1), scol("a", "x"), scol("c", "z")) // b dropped, c new
	repo := repoWith(t, "ds", []string{v1, v2}, nil)
	tests := []struct {
		ref, check string
		status     checks.Status
		message    string
	}{
		{"ds@v2", "schema: {no_new_columns: true}", checks.StatusFail, `column "c" is new since the previous version`},
		{"ds@v2", "schema: {no_dropped_columns: true}", checks.StatusFail, `column "b" was dropped since the previous version`},
		{"ds@v2", "schema: {no_new_columns: true, no_dropped_columns: true}", checks.StatusFail, `column "c" is new since the previous version; column "b" was dropped since the previous version`},
		{"ds@v2", "schema: {required: [id, a], forbidden: [b], count: 3}", checks.StatusPass, ""},
		// The first version has nothing to compare with.
		{"ds@v1", "schema: {no_new_columns: true}", checks.StatusNotEvaluated, "ds@v1 is the first version: nothing to compare with"},
	}
	for _, tt := range tests {
		t.Run(tt.ref+" "+tt.check, func(t *testing.T) {
			run := runRules(t, tt.ref, rulesOf(tt.check), checks.Env{Repo: repo})
			res := run.Results[0]
			if res.Status != tt.status || res.Message != tt.message {
				t.Errorf("status %s (%q), want %s (%q)", res.Status, res.Message, tt.status, tt.message)
			}
		})
	}
}

func TestFreshnessRelativeToVersion(t *testing.T) {
	committed := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	f := data(t, tscol("ts", committed.Add(-36*time.Hour), committed.Add(-20*time.Hour), nil))
	repo := repoWith(t, "ds", []string{f}, []time.Time{committed})
	// Now is a week after the commit: relative to now every check fails;
	// relative to the version's time the newest row is 20h old.
	now := committed.Add(7 * 24 * time.Hour)
	tests := []struct {
		check string
		pass  bool
	}{
		{"freshness: {column: ts, max_age: 24h, relative_to: version}", true},
		{"freshness: {column: ts, max_age: 20h, relative_to: version}", true},
		{"freshness: {column: ts, max_age: 19h, relative_to: version}", false},
		{"freshness: {column: ts, max_age: 24h}", false},
		{"freshness: {column: ts, max_age: 24h, relative_to: now}", false},
		{"freshness: {column: ts, max_age: 8d}", true},
	}
	for _, tt := range tests {
		t.Run(tt.check, func(t *testing.T) {
			run := runRules(t, "ds@v1", rulesOf(tt.check), checks.Env{Repo: repo, Now: now})
			if res := run.Results[0]; res.Success != tt.pass || res.Status == checks.StatusNotEvaluated {
				t.Errorf("%s: success %v, want %v (observed %v, %s)", res.Status, res.Success, tt.pass, res.ObservedValue, res.Message)
			}
		})
	}
}

// TestChangeAndAnomalyFromProfiles: row_count, mean and the other
// aggregates a stored profile answers exactly give history without any
// stored run.
func TestChangeAndAnomalyFromProfiles(t *testing.T) {
	// Row counts 10, 11, 12, 13, 30.
	var files []string
	for _, n := range []int{10, 11, 12, 13, 30} {
		files = append(files, rowsFile(t, n, func(i int) any { return int64(i) }))
	}
	repo := repoWith(t, "ds", files, nil)
	tests := []struct {
		ref, check string
		status     checks.Status
		obs        map[string]float64
	}{
		// Change: 11 vs 10 is +10%: within 0.1 (|11−10|/10 = 0.1).
		{"ds@v2", "change: {metric: row_count, max_relative_change: 0.1}", checks.StatusPass, map[string]float64{"value": 11, "previous": 10, "change": 1, "relative_change": 0.1}},
		{"ds@v2", "change: {metric: row_count, max_relative_change: 0.09}", checks.StatusFail, nil},
		{"ds@v2", "change: {metric: row_count, max_absolute_change: 1}", checks.StatusPass, nil},
		{"ds@v5", "change: {metric: row_count, max_absolute_change: 16}", checks.StatusFail, map[string]float64{"value": 30, "previous": 13, "change": 17}},
		// mean(x) = (n+1)/2: 7 at v4 (13 rows), 15.5 at v5 (30 rows).
		{"ds@v5", "change: {metric: mean(x), max_absolute_change: 8.5}", checks.StatusPass, map[string]float64{"value": 15.5, "previous": 7, "change": 8.5}},
		{"ds@v5", "change: {metric: mean(x), max_absolute_change: 8.4}", checks.StatusFail, nil},
		{"ds@v1", "change: {metric: row_count, max_relative_change: 0.1}", checks.StatusNotEvaluated, nil},
		{"ds@v3", "change: {metric: row_count, max_relative_change: 0.5, min_history: 3}", checks.StatusNotEvaluated, nil},
		// Anomaly at v5: history 13, 12, 11, 10; median 11.5; absolute
		// deviations 1.5, 0.5, 0.5, 1.5; MAD 1; z = |30 − 11.5| /
		// (1.4826 · 1) = 12.478.
		{"ds@v5", "anomaly: {metric: row_count}", checks.StatusFail, map[string]float64{"median": 11.5, "mad": 1, "z": 18.5 / 1.4826, "history": 4}},
		{"ds@v5", "anomaly: {metric: row_count, max_z: 12.5}", checks.StatusPass, nil},
		// At v4 only 3 earlier versions: not evaluated (4 needed)…
		{"ds@v4", "anomaly: {metric: row_count}", checks.StatusNotEvaluated, map[string]float64{"value": 13}},
		// …unless min_history says 3: median 11, MAD 1, z = 2/1.4826.
		{"ds@v4", "anomaly: {metric: row_count, min_history: 3}", checks.StatusPass, map[string]float64{"median": 11, "mad": 1, "z": 2 / 1.4826, "history": 3}},
		// A window of 2: history 13, 12 → median 12.5, MAD 0.5,
		// z = 17.5 / 0.7413.
		{"ds@v5", "anomaly: {metric: row_count, window: 2, min_history: 2, max_z: 100}", checks.StatusPass, map[string]float64{"median": 12.5, "mad": 0.5, "z": 17.5 / (1.4826 * 0.5), "history": 2}},
	}
	for _, tt := range tests {
		t.Run(tt.ref+" "+tt.check, func(t *testing.T) {
			run := runRules(t, tt.ref, rulesOf(tt.check), checks.Env{Repo: repo})
			res := run.Results[0]
			if res.Status != tt.status {
				t.Errorf("status %s, want %s (observed %v, %s)", res.Status, tt.status, res.ObservedValue, res.Message)
			}
			checkObserved(t, res, tt.obs)
		})
	}
}

func checkObserved(t *testing.T, res *checks.Result, want map[string]float64) {
	t.Helper()
	obs, _ := res.ObservedValue.(map[string]any)
	for k, w := range want {
		var g float64
		switch v := obs[k].(type) {
		case float64:
			g = v
		case int:
			g = float64(v)
		default:
			t.Errorf("observed[%s] = %#v, want %v", k, obs[k], w)
			continue
		}
		if math.Abs(g-w) > 1e-9 {
			t.Errorf("observed[%s] = %v, want %v", k, g, w)
		}
	}
}

// TestAnomalyFromStoredRuns: a metric no profile answers (sum) has a
// history only from the runs stored with SaveRun; each run records the
// metrics it computed.
func TestAnomalyFromStoredRuns(t *testing.T) {
	// sum(x) per version: 100, 102, 98, 101, 150 (x: the sum in one row,
	// zeros elsewhere).
	sums := []int64{100, 102, 98, 101, 150}
	var files []string
	for _, s := range sums {
		files = append(files, rowsFile(t, 5, func(i int) any {
			if i == 1 {
				return s
			}
			return int64(0)
		}))
	}
	repo := repoWith(t, "ds", files, nil)
	rules := rulesOf("anomaly: {metric: sum(x)}", "change: {metric: 'sum(x)', max_relative_change: 0.05}")
	// Without stored runs there is no history of sum(x).
	run := runRules(t, "ds@v5", rules, checks.Env{Repo: repo})
	for _, res := range run.Results {
		if res.Status != checks.StatusNotEvaluated {
			t.Errorf("without stored runs: %s is %s, want not_evaluated (%s)", res.Name, res.Status, res.Message)
		}
	}
	var last *checks.Run
	// Check and store v1..v4 in order: NOT_EVALUATED until four earlier
	// versions have a stored sum(x).
	for v := 1; v <= 4; v++ {
		run := runRules(t, fmt.Sprintf("ds@v%d", v), rules, checks.Env{Repo: repo, Now: time.Date(2026, 11, 2, v, 0, 0, 0, time.UTC)})
		if got := run.Metrics["sum(x)"]; got != float64(sums[v-1]) {
			t.Errorf("v%d: run metrics sum(x) = %v, want %d", v, got, sums[v-1])
		}
		if st := run.Results[0].Status; st != checks.StatusNotEvaluated {
			t.Errorf("v%d: anomaly %s with %d earlier versions, want not_evaluated", v, st, v-1)
		}
		if err := checks.SaveRun(t.Context(), repo, run); err != nil {
			t.Fatal(err)
		}
		last = run
	}
	// v5: history 101, 98, 102, 100 → median 100.5; deviations 0.5, 2.5,
	// 1.5, 0.5 → MAD 1; z = 49.5 / 1.4826 = 33.39: an anomaly. Change:
	// 150 vs 101 is +48.5%.
	run = runRules(t, "ds@v5", rules, checks.Env{Repo: repo})
	an, ch := run.Results[0], run.Results[1]
	if an.Status != checks.StatusFail {
		t.Errorf("anomaly: %s, want fail (%v)", an.Status, an.ObservedValue)
	}
	checkObserved(t, an, map[string]float64{"value": 150, "median": 100.5, "mad": 1, "z": 49.5 / 1.4826, "history": 4})
	if ch.Status != checks.StatusFail {
		t.Errorf("change: %s, want fail (%v)", ch.Status, ch.ObservedValue)
	}
	checkObserved(t, ch, map[string]float64{"value": 150, "previous": 101, "relative_change": 49.0 / 101})
	// The newest stored run of a version wins: a later run of v4 that
	// measured 99 makes the history 99, 98, 102, 100 → median 99.5,
	// deviations 0.5, 1.5, 2.5, 0.5 → MAD 1, z = 50.5 / 1.4826.
	later := *last
	later.Time = last.Time.Add(time.Hour)
	later.Metrics = map[string]float64{"sum(x)": 99}
	if err := checks.SaveRun(t.Context(), repo, &later); err != nil {
		t.Fatal(err)
	}
	runs, err := checks.Runs(t.Context(), repo, "ds")
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 5 {
		t.Errorf("%d stored runs, want 5", len(runs))
	}
	run = runRules(t, "ds@v5", rules, checks.Env{Repo: repo})
	checkObserved(t, run.Results[0], map[string]float64{"median": 99.5, "mad": 1, "z": 50.5 / 1.4826})
	checkObserved(t, run.Results[1], map[string]float64{"previous": 99})
}

// TestReferenceRef: a reference rule naming a dataset ref of the
// repository (a foreign key into another dataset).
func TestReferenceRef(t *testing.T) {
	customers := data(t, icol("id", 1, 2, 3, 4))
	repo := repoWith(t, "customers", []string{customers}, nil)
	orders := data(t, icol("customer_id", 1, 2, 7, nil, 4, 9))
	run := runRules(t, orders, rulesOf("reference: {column: customer_id, ref: customers, ref_column: id}"), checks.Env{Repo: repo})
	// 7 and 9 are unknown: 2 of 5 non-null.
	checkCounts(t, run.Results[0], row(false, 6, 1, 2, 5, 2, 5))
}
