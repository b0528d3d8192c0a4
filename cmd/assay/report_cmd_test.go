package main

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/assayhq/assay/checks"
	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/examples/churn"
	"github.com/assayhq/assay/report"
	"github.com/assayhq/assay/report/reporttest"
	"github.com/assayhq/assay/training/track"
)

// TestReport builds a repository with the real commands, in-process (two
// versions of the churn data, check runs, a drift monitor, a training
// run, a registered model), writes the report, and checks that every
// page the index links exists, that every page written is linked, and
// that the index and one page of each kind load in headless Chromium
// without console messages or network requests.
func TestReport(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	t.Setenv("ASSAY_AUTHOR", testAuthor)
	nov, err := churn.NextMonth(churn.CSV, 2026_11)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"oct.csv":     string(churn.CSV),
		"nov.csv":     string(nov),
		"rules.yaml":  "checks:\n  - not_null: customerID\n  - row_count: {min: 100}\n",
		"strict.yaml": "checks:\n  - row_count: {max: 10}\n    name: tiny\n",
	}
	for name, data := range files {
		if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	mustRunAssay(t, "init")
	mustRunAssay(t, "dataset", "commit", "churn", "oct.csv", "-m", "October")
	mustRunAssay(t, "check", "churn", "-r", "rules.yaml")
	runAssayFailing(t, "check", "churn", "-r", "strict.yaml")
	mustRunAssay(t, "dataset", "commit", "churn", "nov.csv", "-m", "November")
	mustRunAssay(t, "check", "churn", "-r", "rules.yaml")
	runAssayFailing(t, "monitor", "churn", "--reference", "v1", "--once")
	var run struct{ ID string }
	if err := json.Unmarshal([]byte(mustRunAssay(t, "train", "churn", "--target", "Churn", "--exclude", "customerID", "--trainer", "logistic", "--format", "json")), &run); err != nil || run.ID == "" {
		t.Fatalf("train --format json: id %q, %v", run.ID, err)
	}
	mustRunAssay(t, "models", "register", run.ID, "--name", "churn", "--description", "logistic baseline")
	mustRunAssay(t, "models", "alias", "churn@v1", "champion")

	out := mustRunAssay(t, "report", "-o", "out")
	if !regexp.MustCompile(`^wrote \d+ pages under out\nindex: out/index.html\n$`).MatchString(out) {
		t.Errorf("report printed %q", out)
	}
	links := checkReportLinks(t, "out")
	for _, want := range []string{
		"datasets/churn/v1.html", "datasets/churn/v2.html", "drift/churn/2-1.html", "runs/" + run.ID + ".html",
	} {
		if !slices.Contains(links, want) {
			t.Errorf("the index does not link %s; links: %q", want, links)
		}
	}
	checkPages := 0
	for _, l := range links {
		if strings.HasPrefix(l, "checks/churn/v") {
			checkPages++
		}
	}
	if checkPages != 3 { // v1 with both rule files, v2 with one
		t.Errorf("the index links %d check pages, want 3; links: %q", checkPages, links)
	}

	index, err := os.ReadFile("out/index.html")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"Dataset churn", "November", "October", "Checks: rules.yaml", "Checks: strict.yaml",
		`class="error"><a href="checks/churn/v1-`, `class="ok"><a href="checks/churn/v2-`,
		`<td><a href="drift/churn/2-1.html">churn@v2</a></td>`,
		"logistic baseline", "champion", "roc_auc",
	} {
		if !strings.Contains(string(index), want) {
			t.Errorf("index.html lacks %q", want)
		}
	}
	if !regexp.MustCompile(`<td class="(ok">no drift|error">drift)</td><td>churn@v1</td>`).Match(index) {
		t.Error("index.html lacks the drift verdict of churn@v2 against churn@v1")
	}

	res := reporttest.Check(t, "out/index.html")
	for _, want := range []string{"Overview", "Dataset churn", "Drift monitors", "Training runs", "Model churn"} {
		if !strings.Contains(res.Text, want) {
			t.Errorf("the index as shown lacks %q", want)
		}
	}
	seen := map[string]bool{}
	for _, l := range links {
		kind, _, _ := strings.Cut(l, "/")
		if !seen[kind] {
			seen[kind] = true
			reporttest.Check(t, filepath.Join("out", filepath.FromSlash(l)))
		}
	}
}

// runAssayFailing runs args in-process and fails the test unless the
// command succeeds or reports a quality failure (exit code 0 or 1).
func runAssayFailing(t *testing.T, args ...string) {
	t.Helper()
	out, errOut, err := runAssayIn(context.Background(), args...)
	var f *failure
	if err != nil && !errors.As(err, &f) {
		t.Fatalf("assay %s: %v\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), err, out, errOut)
	}
}

// checkReportLinks returns the relative links of dir/index.html, after
// checking that each names a file under dir and that every HTML file
// under dir is the index or linked from it.
func checkReportLinks(t *testing.T, dir string) []string {
	t.Helper()
	index, err := os.ReadFile(filepath.Join(dir, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	var links []string
	for _, m := range regexp.MustCompile(`href="([^"#]+)(#[^"]*)?"`).FindAllStringSubmatch(string(index), -1) {
		if !slices.Contains(links, m[1]) {
			links = append(links, m[1])
		}
	}
	for _, l := range links {
		if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(l))); err != nil {
			t.Errorf("index.html links %s: %v", l, err)
		}
	}
	err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		if rel = filepath.ToSlash(rel); rel != "index.html" && !slices.Contains(links, rel) {
			t.Errorf("%s is written but not linked from index.html", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return links
}

// TestReportEmpty: a repository with nothing in it gets an index that
// says so, and no other page.
func TestReportEmpty(t *testing.T) {
	t.Chdir(t.TempDir())
	mustRunAssay(t, "init")
	out := mustRunAssay(t, "report")
	if want := "wrote 1 page under assay-report\nindex: assay-report/index.html\n"; out != want {
		t.Errorf("report printed %q, want %q", out, want)
	}
	if links := checkReportLinks(t, "assay-report"); len(links) != 0 {
		t.Errorf("the empty index links %q", links)
	}
	res := reporttest.Check(t, "assay-report/index.html")
	if !strings.Contains(res.Text, "Nothing here yet") {
		t.Errorf("the empty index says %q", res.Text)
	}
}

func TestReportBadOut(t *testing.T) {
	t.Chdir(t.TempDir())
	mustRunAssay(t, "init")
	if err := os.WriteFile("file", nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, out := range []string{"file", "file/sub"} {
		_, _, err := runAssayIn(context.Background(), "report", "-o", out)
		if err == nil || exitCode(context.Background(), err) != exitInput {
			t.Errorf("report -o %s: %v, want an input error", out, err)
		}
	}
}

func TestReportLabelReviewRow(t *testing.T) {
	decisions := `[{"item":"row:2","rows":[2],"action":"relabel","label":"dog","reviewer":"bo"},` +
		`{"item":"group:1","rows":[1,4],"action":"accept","label":"dog","reviewer":"ana"},` +
		`{"item":"row:3","rows":[3],"action":"skip","reviewer":"ana"}]`
	m := &dataset.Manifest{Dataset: "pets", Version: 2, Time: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC), Message: "reviewed",
		Metadata: map[string]string{"labels.reviewed": "pets@v1", "labels.column": "kind", "labels.changed": "3", "labels.decisions": decisions}}
	row, ok := labelReviewRow(m, "datasets/pets/v2.html")
	if !ok {
		t.Fatal("a reviewed version has no label review row")
	}
	got := []string{row.Item.Text, row.Item.Link, row.Status.Text}
	for _, c := range row.Cells {
		got = append(got, c.Text)
	}
	want := []string{"pets@v2", "datasets/pets/v2.html", "3 labels changed", "pets@v1", "kind", "accept 1, relabel 1, skip 1", "ana, bo", "reviewed"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	if _, ok := labelReviewRow(&dataset.Manifest{Dataset: "pets", Version: 1}, ""); ok {
		t.Error("a version without a review has a label review row")
	}
}

func TestReportStatuses(t *testing.T) {
	tags := func(kv ...string) map[string]track.Tag {
		m := map[string]track.Tag{}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = track.Tag{Key: kv[i], Value: kv[i+1]}
		}
		return m
	}
	tests := []struct {
		tags map[string]track.Tag
		want report.Cell
	}{
		{tags(), report.Cell{Text: "no gates"}},
		{tags("owner", "ana"), report.Cell{Text: "no gates"}},
		{tags("gate.a", "passed: ok", "gate.b", "passed: fine"), report.Cell{Text: "passed: 2", Level: report.LevelOK}},
		{tags("gate.a", "passed: ok", "gate.b", "failed: low", "gate.c", "failed: no"), report.Cell{Text: "failed: b, c", Level: report.LevelError}},
	}
	for _, tt := range tests {
		if got := gateStatus(tt.tags); got != tt.want {
			t.Errorf("gateStatus(%v) = %+v, want %+v", tt.tags, got, tt.want)
		}
	}
	runs := []struct {
		run  checks.Run
		want report.Cell
	}{
		{checks.Run{Success: true, Counts: checks.Counts{Checks: 3, Passed: 3}}, report.Cell{Text: "passed: 3 of 3", Level: report.LevelOK}},
		{checks.Run{Success: true, Counts: checks.Counts{Checks: 3, Passed: 2, Warned: 1}}, report.Cell{Text: "warned: 1 of 3", Level: report.LevelWarn}},
		{checks.Run{Success: false, Counts: checks.Counts{Checks: 3, Passed: 1, Failed: 1, Warned: 1}}, report.Cell{Text: "failed: 1 of 3", Level: report.LevelError}},
	}
	for _, tt := range runs {
		if got := checkVerdict(&tt.run); got != tt.want {
			t.Errorf("checkVerdict(%+v) = %+v, want %+v", tt.run.Counts, got, tt.want)
		}
	}
}
