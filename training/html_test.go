package training

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/assayhq/assay/report"
	"github.com/assayhq/assay/report/reporttest"
	"github.com/assayhq/assay/training/metrics"
	"github.com/assayhq/assay/training/track"
	"github.com/assayhq/assay/training/tune"
)

// pageRun trains a logistic regression on the churn data with 3-fold
// cross-validation and two group columns, and returns it as a stored
// run reads back: parameters, metrics and signature through JSON.
func pageRun(t testing.TB) (*track.Run, *Evaluation) {
	t.Helper()
	d, s := churnData(t)
	res, err := Train(context.Background(), d, s, Options{Trainer: "logistic", Seed: 7, Folds: 3,
		Groups: []metrics.Group{group(d, "gender"), group(d, "SeniorCitizen")}})
	if err != nil {
		t.Fatal(err)
	}
	evJSON, err := json.Marshal(res.Evaluation)
	if err != nil {
		t.Fatal(err)
	}
	sig, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	run := &track.Run{ID: "20261126T030405Z-a1b2c3", Kind: "train", Trainer: "logistic", Params: map[string]any{},
		Data: track.Data{Source: "churn@v3", Dataset: "churn", Version: 3, Rows: d.X.Rows, Target: "Churn",
			Checks: &track.Checks{Rules: "churn.rules.yaml", Failed: []string{"tenure in range"}}},
		Metrics: evJSON, Summary: res.Summary, Signature: sig,
		Started: res.Started, Finished: res.Started.Add(1500 * time.Millisecond), Author: "ada"}
	js, _ := json.Marshal(res.Params)
	if err := json.Unmarshal(js, &run.Params); err != nil {
		t.Fatal(err)
	}
	ev, err := RunEvaluation(run)
	if err != nil {
		t.Fatal(err)
	}
	return run, ev
}

// renderText renders a page and returns its HTML with character
// references decoded, so that texts can be looked for as written.
func renderText(t testing.TB, p *report.Page) string {
	t.Helper()
	var b strings.Builder
	if err := report.Render(&b, *p); err != nil {
		t.Fatal(err)
	}
	out := html.UnescapeString(b.String())
	for _, bad := range []string{"not drawn", "No drawable points", "No data."} {
		if strings.Contains(out, bad) {
			t.Errorf("a chart could not draw everything: the page says %q", bad)
		}
	}
	return out
}

func sectionIDsOf(p *report.Page) []string {
	var ids []string
	for _, s := range p.Sections {
		ids = append(ids, s.ID)
	}
	return ids
}

// blocksOf returns the blocks of type B in the section with that id.
func blocksOf[B report.Block](p *report.Page, id string) []B {
	var out []B
	for _, s := range p.Sections {
		if s.ID != id {
			continue
		}
		for _, b := range s.Blocks {
			if b, ok := b.(B); ok {
				out = append(out, b)
			}
		}
	}
	return out
}

func statsValue(items []report.KV, key string) (string, bool) {
	for _, kv := range items {
		if kv.Key == key {
			return kv.Value, true
		}
	}
	return "", false
}

func TestRunPageClassification(t *testing.T) {
	run, ev := pageRun(t)
	page := RunPage(run, nil) // decodes run.Metrics
	want := []string{"summary", "parameters", "metrics", "roc", "confusion", "groups", "folds", "data", "signature"}
	if got := sectionIDsOf(page); !slices.Equal(got, want) {
		t.Fatalf("sections %v, want %v", got, want)
	}
	if page.Title != "logistic model of Churn on churn@v3" {
		t.Errorf("title %q", page.Title)
	}
	c := ev.Test.Classification

	t.Run("summary", func(t *testing.T) {
		stats := blocksOf[*report.Stats](page, "summary")
		if len(stats) != 1 {
			t.Fatalf("%d stats blocks in the summary", len(stats))
		}
		for key, want := range map[string]string{
			"Test ROC AUC":  report.FormatFloat(c.ROCAUC),
			"Test accuracy": report.FormatFloat(c.Accuracy),
			"Rows":          report.FormatInt(int64(run.Data.Rows)),
			"Target":        "Churn (classification, 2 classes)",
			"Trainer":       "logistic",
			"Time taken":    "1.5 s",
			"Data checks":   "failed (1 check)",
		} {
			if got, ok := statsValue(stats[0].Items, key); got != want {
				t.Errorf("%s = %q (present %v), want %q", key, got, ok, want)
			}
		}
		var warned bool
		for _, n := range blocksOf[*report.Note](page, "summary") {
			warned = warned || n.Level == report.LevelWarn && strings.Contains(n.Text, "tenure in range")
		}
		if !warned {
			t.Error("no warning of the failed data check")
		}
	})

	t.Run("metrics", func(t *testing.T) {
		tb := blocksOf[*report.Table](page, "metrics")[0]
		if len(tb.Rows) != 3 || tb.Rows[0][0].Text != "train" || !strings.HasPrefix(tb.Rows[1][0].Text, "cv") || tb.Rows[2][0].Text != "test" {
			t.Fatalf("metric rows %v", tb.Rows)
		}
		if i := slices.Index(tb.Columns, "Log loss"); i < 0 || tb.Rows[2][i].Text != report.FormatFloat(c.LogLoss) {
			t.Errorf("test log loss cell: columns %v, row %v, want %s", tb.Columns, tb.Rows[2], report.FormatFloat(c.LogLoss))
		}
		folds := blocksOf[*report.Table](page, "folds")[0]
		if len(folds.Rows) != 3+2 || folds.Rows[3][0].Text != "mean" {
			t.Errorf("fold rows %v", folds.Rows)
		}
		// The mean of the folds is the cv row.
		if i := slices.Index(folds.Columns, "ROC AUC"); folds.Rows[3][i].Text != tb.Rows[1][i].Text {
			t.Errorf("fold mean %s, cv %s", folds.Rows[3][i].Text, tb.Rows[1][i].Text)
		}
	})

	t.Run("roc", func(t *testing.T) {
		line := blocksOf[*report.Line](page, "roc")[0]
		if len(line.Series) != 2 || !slices.Equal(line.Series[0].Y, ev.ROC.TPR) || !slices.Equal(line.Series[1].Y, line.X) {
			t.Errorf("ROC series: want the TPR and the diagonal over the FPR")
		}
		if !strings.Contains(line.Title, "AUC "+report.FormatFloat(c.ROCAUC)) || !strings.Contains(line.Title, `"Yes"`) {
			t.Errorf("ROC title %q", line.Title)
		}
	})

	t.Run("confusion", func(t *testing.T) {
		tb := blocksOf[*report.Table](page, "confusion")[0]
		if !slices.Equal(tb.Columns, []string{"True \\ predicted", "No", "Yes", "Rows"}) || len(tb.Rows) != 3 {
			t.Fatalf("confusion table %v × %d rows", tb.Columns, len(tb.Rows))
		}
		for i, row := range c.Confusion {
			n := row[0] + row[1]
			for j, v := range row {
				want := fmt.Sprintf("%s (%s)", report.FormatInt(v), report.FormatPercent(float64(v)/float64(n)))
				if got := tb.Rows[i][j+1]; got.Text != want || (i == j) != (got.Level == report.LevelOK) {
					t.Errorf("cell %d,%d = %q [%s], want %q", i, j, got.Text, got.Level, want)
				}
			}
		}
		if got := tb.Rows[2][3].Text; got != report.FormatInt(int64(c.N)) {
			t.Errorf("all rows %s, want %d", got, c.N)
		}
	})

	t.Run("groups", func(t *testing.T) {
		tb := blocksOf[*report.Table](page, "groups")[0]
		// Two levels and a gap row for each of two columns.
		if len(tb.Rows) != 6 {
			t.Fatalf("%d group rows", len(tb.Rows))
		}
		acc := slices.Index(tb.Columns, "Accuracy")
		for _, row := range tb.Rows {
			if row[1].Text != "gap" {
				continue
			}
			sp, err := metrics.SpreadOf(ev.Groups.Test, row[0].Text, metrics.MetricAccuracy)
			if err != nil {
				t.Fatal(err)
			}
			wantLevel := report.LevelOK
			if sp.Gap > 0.05 {
				wantLevel = report.LevelWarn
			}
			if row[acc].Text != report.FormatFloat(sp.Gap) || row[acc].Level != wantLevel {
				t.Errorf("%s accuracy gap %q [%s], want %s [%s]", row[0].Text, row[acc].Text, row[acc].Level, report.FormatFloat(sp.Gap), wantLevel)
			}
		}
	})

	text := renderText(t, page)
	for _, want := range []string{
		"logistic model of Churn on churn@v3", "run 20261126T030405Z-a1b2c3",
		report.FormatFloat(c.ROCAUC), report.FormatFloat(c.F1),
		report.FormatInt(c.Confusion[0][0]), report.FormatInt(c.Confusion[1][1]),
		"Female", "Male", "SeniorCitizen",
		"max_iter", "standardize", "100", // parameters, max_iter's default
		"tenure in range", "churn.rules.yaml", "churn version 3",
		"MonthlyCharges", "PaymentMethod", "categorical", "numeric",
		"false positive rate", "chance",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("rendered page lacks %q", want)
		}
	}
}

// regressionEval is a hand-made regression evaluation whose groups
// differ in R² by 0.2 and in RMSE by 3.
func regressionEval() *Evaluation {
	reg := func(n int, rmse, mae, r2 float64) *metrics.Regression {
		return &metrics.Regression{N: n, RMSE: rmse, MAE: mae, R2: r2}
	}
	ev := &Evaluation{
		Train: &Scores{Regression: reg(800, 4.5, 3.25, 0.875)},
		CV:    &Scores{Regression: reg(800, 5.5, 4.25, 0.8125)},
		Folds: []Scores{{Regression: reg(400, 5, 4, 0.8)}, {Regression: reg(400, 6, 4.5, 0.825)}},
		Test:  &Scores{Regression: reg(200, 5.75, 4.125, 0.7875)},
	}
	ev.Groups.Test = []metrics.GroupMetrics{
		{Column: "region", Level: "north", N: 120, Regression: reg(120, 4.25, 3, 0.875)},
		{Column: "region", Level: "south", N: 80, Regression: reg(80, 7.25, 5.5, 0.675)},
	}
	return ev
}

func TestRunPageRegression(t *testing.T) {
	ev := regressionEval()
	run := &track.Run{ID: "20261126T030405Z-000001", Trainer: "linear", Params: map[string]any{"alpha": 0.5},
		Data: track.Data{Source: "prices.csv", Rows: 1000, Target: "price"}}
	page := RunPage(run, ev)
	want := []string{"summary", "parameters", "metrics", "groups", "folds", "data"}
	if got := sectionIDsOf(page); !slices.Equal(got, want) {
		t.Fatalf("sections %v, want %v (no ROC, confusion or signature)", got, want)
	}
	stats := blocksOf[*report.Stats](page, "summary")[0]
	if v, _ := statsValue(stats.Items, "Test R²"); v != "0.7875" {
		t.Errorf("headline R² %q", v)
	}
	if v, _ := statsValue(stats.Items, "Data checks"); v != "not checked" {
		t.Errorf("data checks %q", v)
	}
	tb := blocksOf[*report.Table](page, "groups")[0]
	gap := tb.Rows[2]
	cols := map[string]int{}
	for i, c := range tb.Columns {
		cols[c] = i
	}
	if r2 := gap[cols["R²"]]; gap[1].Text != "gap" || r2.Text != "0.2" || r2.Level != report.LevelWarn {
		t.Errorf("R² gap cell %+v, want 0.2 marked warn", r2)
	}
	if rmse := gap[cols["RMSE"]]; rmse.Text != "3" || rmse.Level != "" {
		t.Errorf("RMSE gap cell %+v, want 3 unmarked (not a 0-to-1 metric)", rmse)
	}
	var noted bool
	for _, n := range blocksOf[*report.Note](page, "summary") {
		noted = noted || n.Level == report.LevelWarn && strings.Contains(n.Text, "R² differs by 0.2 across region")
	}
	if !noted {
		t.Error("summary does not warn of the R² gap")
	}
	text := renderText(t, page)
	for _, want := range []string{"linear model of price on prices.csv", "RMSE", "5.75", "north", "south", "alpha", "0.5", "standard deviation"} {
		if !strings.Contains(text, want) {
			t.Errorf("rendered page lacks %q", want)
		}
	}
}

func TestRunPageIncomplete(t *testing.T) {
	for _, tt := range []struct {
		name string
		run  *track.Run
		ev   *Evaluation
		want string
	}{
		{"nil run", nil, nil, "No run."},
		{"bad metrics", &track.Run{ID: "r", Metrics: json.RawMessage(`{"train": 1}`)}, nil, "bad metrics"},
		{"bad signature", &track.Run{ID: "r", Signature: json.RawMessage(`[`)}, &Evaluation{}, "bad signature"},
		{"no metrics", &track.Run{ID: "r"}, nil, "holds no metrics"},
		{"empty evaluation", &track.Run{ID: "r"}, &Evaluation{ROC: &Curve{FPR: []float64{0, 1}, TPR: []float64{1}}}, "holds no scores"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if text := renderText(t, RunPage(tt.run, tt.ev)); !strings.Contains(text, tt.want) {
				t.Errorf("page lacks %q", tt.want)
			}
		})
	}
}

// testStudy is a hand-made study: trial 0 and 2 complete (2 best),
// trial 1 pruned after its second fold, trial 3 failed.
func testStudy() *tune.Result {
	space := &tune.Space{Trainer: "gbdt", Metric: "cv.roc_auc", Direction: tune.Maximize, Params: []tune.Param{
		tune.LogFloat("learning_rate", 0.01, 0.3), tune.Int("max_leaf_nodes", 8, 64), tune.Categorical("max_depth", 3, 6, 0),
	}}
	steps := func(vs ...float64) []tune.StepValue {
		out := make([]tune.StepValue, len(vs))
		for i, v := range vs {
			out[i] = tune.StepValue{Step: i, Value: v}
		}
		return out
	}
	trials := []*tune.Record{
		{Number: 0, State: tune.Complete, Value: 0.8125, Duration: 2 * time.Second,
			Params:       map[string]any{"learning_rate": 0.05, "max_leaf_nodes": int64(16), "max_depth": int64(3)},
			Intermediate: steps(0.8, 0.82, 0.8175)},
		{Number: 1, State: tune.Pruned, Value: 0.75, Duration: 900 * time.Millisecond,
			Params:       map[string]any{"learning_rate": 0.2, "max_leaf_nodes": int64(64), "max_depth": int64(0)},
			Intermediate: steps(0.7, 0.75)},
		{Number: 2, State: tune.Complete, Value: 0.84375, Duration: 75 * time.Second,
			Params:       map[string]any{"learning_rate": 0.1, "max_leaf_nodes": int64(31), "max_depth": int64(6)},
			Intermediate: steps(0.84, 0.85, 0.84125)},
		{Number: 3, State: tune.Failed, Value: math.NaN(), Error: "trainer exited with status 1",
			Params: map[string]any{"learning_rate": 0.01, "max_leaf_nodes": int64(8), "max_depth": int64(3)}},
	}
	return &tune.Result{Space: space, Direction: tune.Maximize, Sampler: "tpe", Seed: 42,
		Pruner: tune.NewMedianPruner(), Trials: trials, Best: trials[2]}
}

func TestStudyPage(t *testing.T) {
	r := testStudy()
	study := &track.Run{ID: "20261126T040000Z-5d0d1e", Kind: "study", Trainer: "gbdt",
		Data:    track.Data{Source: "churn@v3", Target: "Churn"},
		Started: time.Date(2026, 11, 26, 4, 0, 0, 0, time.UTC), Finished: time.Date(2026, 11, 26, 4, 3, 7, 0, time.UTC)}
	runs := map[int]string{0: "20261126T040001Z-000000", 2: "20261126T040002Z-000002"}
	page := StudyPage(study, r, runs)
	want := []string{"summary", "by-trial", "trials", "intermediate"}
	if got := sectionIDsOf(page); !slices.Equal(got, want) {
		t.Fatalf("sections %v, want %v", got, want)
	}
	if page.Title != "Tuning gbdt on churn@v3" {
		t.Errorf("title %q", page.Title)
	}

	stats := blocksOf[*report.Stats](page, "summary")[0]
	for key, want := range map[string]string{
		"Best cv.roc_auc": "0.8438", "Best trial": "2", "Best run": runs[2], "Sampler": "tpe", "Seed": "42",
		"Trials": "4", "Complete": "2", "Pruned": "1", "Failed": "1", "Time taken": "3 min 07 s",
		"Pruner": "median (5 startup trials, 0 warmup steps)",
	} {
		if got, _ := statsValue(stats.Items, key); got != want {
			t.Errorf("%s = %q, want %q", key, got, want)
		}
	}
	params := blocksOf[*report.Table](page, "summary")[0]
	if len(params.Rows) != 3 || params.Rows[0][0].Text != "learning_rate" || params.Rows[0][1].Text != "0.1" ||
		params.Rows[0][2].Text != "0.01 to 0.3, log scale" || params.Rows[2][2].Text != "one of 3, 6, 0" {
		t.Errorf("best parameters %v", params.Rows)
	}

	line := blocksOf[*report.Line](page, "by-trial")[0]
	if !slices.Equal(line.X, []float64{0, 2}) || !slices.Equal(line.Series[0].Y, []float64{0.8125, 0.84375}) ||
		!slices.Equal(line.Series[1].Y, []float64{0.8125, 0.84375}) {
		t.Errorf("by trial: x %v, series %v", line.X, line.Series)
	}
	if len(line.Markers) != 2 || line.Markers[0].X != 1 || line.Markers[0].Level != report.LevelWarn ||
		line.Markers[1].X != 3 || line.Markers[1].Level != report.LevelError {
		t.Errorf("markers %+v: want trial 1 pruned, 3 failed", line.Markers)
	}

	trials := blocksOf[*report.Table](page, "trials")[0]
	if len(trials.Rows) != 4 {
		t.Fatalf("%d trial rows", len(trials.Rows))
	}
	wantCols := []string{"Trial", "State", "cv.roc_auc", "Duration", "learning_rate", "max_leaf_nodes", "max_depth", "Run", "Error"}
	if !slices.Equal(trials.Columns, wantCols) {
		t.Errorf("trial columns %v, want %v", trials.Columns, wantCols)
	}
	for i, want := range [][]string{
		{"0", "complete", "0.8125", "2.0 s", "0.05", "16", "3", runs[0], ""},
		{"1", "pruned after fold 2", "0.75", "900 ms", "0.2", "64", "0", "—", ""},
		{"2 (best)", "complete", "0.8438", "1 min 15 s", "0.1", "31", "6", runs[2], ""},
		{"3", "failed", "—", "0 ms", "0.01", "8", "3", "—", "trainer exited with status 1"},
	} {
		var got []string
		for _, c := range trials.Rows[i] {
			got = append(got, c.Text)
		}
		if !slices.Equal(got, want) {
			t.Errorf("trial row %d = %q, want %q", i, got, want)
		}
	}

	inter := blocksOf[*report.Table](page, "intermediate")[0]
	for i, want := range [][]string{
		{"1", "3", "0", "0.8", "0.7", "0.84", "0.84"},
		{"2", "3", "1", "0.82", "0.75", "0.85", "0.85"},
		{"3", "2", "0", "0.8294", "0.8175", "0.8413", "0.8413"},
	} {
		var got []string
		for _, c := range inter.Rows[i] {
			got = append(got, c.Text)
		}
		if !slices.Equal(got, want) {
			t.Errorf("fold row %d = %q, want %q", i, got, want)
		}
	}
	if l := blocksOf[*report.Line](page, "intermediate")[0]; len(l.Series) != 2 || l.Series[1].Name != "best trial (2)" {
		t.Errorf("fold chart series %+v", l.Series)
	}

	text := renderText(t, page)
	for _, want := range []string{"Tuning gbdt on churn@v3", "cv.roc_auc, maximize", "2 (best)", "pruned after fold 2",
		"trainer exited with status 1", runs[0], "max_leaf_nodes", "best so far", "median over trials"} {
		if !strings.Contains(text, want) {
			t.Errorf("rendered page lacks %q", want)
		}
	}
}

// TestStudyPageManyPruned checks that many pruned trials are counted,
// not marked one by one on the chart.
func TestStudyPageManyPruned(t *testing.T) {
	r := testStudy()
	for i := range 12 {
		r.Trials = append(r.Trials, &tune.Record{Number: 4 + i, State: tune.Pruned, Value: 0.5,
			Intermediate: []tune.StepValue{{Step: 0, Value: 0.5}}})
	}
	page := StudyPage(nil, r, nil)
	line := blocksOf[*report.Line](page, "by-trial")[0]
	if len(line.Markers) != 0 {
		t.Errorf("%d markers, want none", len(line.Markers))
	}
	const want = "The 13 pruned and 1 failed trials have no final value"
	if intro := page.Sections[1].Intro; !strings.HasPrefix(intro, want) {
		t.Errorf("intro %q, want it to start %q", intro, want)
	}
	if trials := blocksOf[*report.Table](page, "trials")[0]; len(trials.Rows) != 16 || !trials.Filter {
		t.Errorf("trials table: %d rows, filter %v", len(trials.Rows), trials.Filter)
	}
	renderText(t, page)
}

func TestStudyPageIncomplete(t *testing.T) {
	failed := &tune.Result{Sampler: "random", Trials: []*tune.Record{{Number: 0, State: tune.Failed, Value: math.NaN(), Error: "boom"}}}
	for _, tt := range []struct {
		name  string
		study *track.Run
		r     *tune.Result
		want  []string
	}{
		{"nil result", nil, nil, []string{"No study result."}},
		{"no trials", nil, &tune.Result{}, []string{"No trial completed.", "no finished trials"}},
		{"all failed", &track.Run{ID: "s"}, failed, []string{"No trial completed.", "the first error: boom"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			text := renderText(t, StudyPage(tt.study, tt.r, nil))
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("page lacks %q", w)
				}
			}
		})
	}
}

// tunedStudy runs a small study with a synthetic objective that reports
// three folds, fails one trial and is pruned by the median, and returns
// it as the study's run stores it (through JSON).
func tunedStudy(t testing.TB) *tune.Result {
	t.Helper()
	space := &tune.Space{Trainer: "logistic", Metric: "cv.roc_auc", Direction: tune.Maximize, Params: []tune.Param{
		tune.LogFloat("C", 0.01, 10), tune.Categorical("standardize", true, false),
	}}
	pruner := tune.NewMedianPruner()
	pruner.StartupTrials = 2
	objective := func(ctx context.Context, tr *tune.Trial) (float64, error) {
		if tr.Number == 4 {
			return 0, errors.New("out of memory")
		}
		c := tr.Params["C"].(float64)
		v := 0.85 - 0.02*math.Abs(math.Log10(c))
		if tr.Params["standardize"] == false {
			v -= 0.03
		}
		for k := range 3 {
			if tr.Report(k, v+0.01*float64(k-1)) {
				return 0, tune.ErrPruned
			}
		}
		return v, nil
	}
	res, err := tune.Run(context.Background(), tune.Options{Space: space, Trials: 16, Seed: 3, Pruner: pruner}, objective)
	if err != nil {
		t.Fatal(err)
	}
	js, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	var back tune.Result
	if err := json.Unmarshal(js, &back); err != nil {
		t.Fatal(err)
	}
	return &back
}

// TestPagesInBrowser renders a trained model's run page and a real
// study's page, and loads each in headless Chromium: no console errors,
// no requests, and the content there.
func TestPagesInBrowser(t *testing.T) {
	dir := t.TempDir()
	run, ev := pageRun(t)
	r := tunedStudy(t)
	n := stateCounts(r)
	if n[tune.Complete] == 0 || n[tune.Pruned] == 0 || n[tune.Failed] != 1 {
		t.Fatalf("the study should have complete, pruned and failed trials: %v", n)
	}
	runs := map[int]string{}
	for _, tr := range r.Trials {
		if tr.State == tune.Complete {
			runs[tr.Number] = fmt.Sprintf("20261126T0400%02dZ-0000%02d", tr.Number, tr.Number)
		}
	}
	study := &track.Run{ID: "20261126T040000Z-5d0d1e", Kind: "study", Trainer: "logistic", Data: run.Data}
	for _, tt := range []struct {
		name  string
		page  *report.Page
		title string
		want  []string
	}{
		{"run", RunPage(run, ev), "logistic model of Churn on churn@v3", []string{
			"ROC curve", "Confusion matrix", "Metrics by group", "Cross-validation folds", "Input signature",
			report.FormatFloat(ev.Test.Classification.ROCAUC), "Female", "max_iter"}},
		{"study", StudyPage(study, r, runs), "Tuning logistic on churn@v3", []string{
			"Metric by trial", "Trials", "Scores by fold", "out of memory", "(best)", runs[r.Best.Number]}},
	} {
		path := filepath.Join(dir, tt.name+".html")
		if err := report.WriteFile(path, *tt.page); err != nil {
			t.Fatal(err)
		}
		res := reporttest.Check(t, path)
		if res.Title != tt.title {
			t.Errorf("%s: title %q, want %q", tt.name, res.Title, tt.title)
		}
		for _, w := range tt.want {
			if !strings.Contains(res.Text, w) {
				t.Errorf("%s page lacks %q", tt.name, w)
			}
		}
	}
}
