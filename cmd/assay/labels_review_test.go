package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/labels"
	"github.com/assayhq/assay/report/reporttest"
)

// TestLabelsReviewInBrowser is a whole review: serve the likely label
// errors of a version, relabel the first two items in headless Chromium
// with the keyboard, stop, apply the decisions, and find them in the new
// version.
func TestLabelsReviewInBrowser(t *testing.T) {
	data, err := os.ReadFile("../../labels/testdata/cleanlab/pets.csv")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	t.Chdir(dir)
	if err := os.WriteFile("pets.csv", data, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	repo, err := dataset.InitDir(ctx, filepath.Join(dir, ".assay"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := repo.Commit(ctx, dataset.CommitOptions{Name: "pets", Paths: []string{"pets.csv"}, Message: "pets", Author: "test"}); err != nil {
		t.Fatal(err)
	}

	g := &globalOptions{}
	pr, pw := io.Pipe()
	var out bytes.Buffer
	st := &streams{Out: &out, Err: pw}
	opts := &labelsReviewOptions{
		labelsIssuesOptions: labelsIssuesOptions{globalOptions: g, Label: "kind", PredProbs: []string{"p_bird", "p_cat", "p_dog"},
			Filter: "prune_by_noise_rate", Rank: "self_confidence"},
		From: "issues", Serve: "127.0.0.1:0", Reviewer: "ana",
	}
	serveCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		done <- runLabelsReview(serveCtx, st, opts, "pets@v1")
		pw.Close()
	}()
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		re := regexp.MustCompile(`at (http://127\.0\.0\.1:\d+/\S*)`)
		for sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				urls <- m[1]
			}
		}
		close(urls)
	}()
	url, ok := <-urls
	if !ok {
		stop()
		t.Fatalf("the review did not start: %v", <-done)
	}

	// Cleanlab ranks rows 57 and 26 first (testdata/cleanlab).
	tab := reporttest.Open(t, url)
	ready := func(item, progress string) string {
		return `document.getElementById("main").dataset.state === "ready" && document.getElementById("main").dataset.item === "` + item +
			`" && document.getElementById("progress-text").textContent === "` + progress + `"`
	}
	tab.WaitFor(ready("row:57", "0 of 14 decided"))
	tab.Press("r")
	tab.WaitFor(`!document.getElementById("picker").hidden`)
	tab.Press("1") // bird
	tab.WaitFor(ready("row:26", "1 of 14 decided"))
	tab.Press("3") // dog
	tab.WaitFor(`document.getElementById("progress-text").textContent === "2 of 14 decided"`)
	tab.Check()
	stop()
	if err := <-done; err != nil {
		t.Fatal(err)
	}

	aopts := &labelsApplyOptions{globalOptions: g, Decisions: "pets@v1.kind.review.jsonl", Message: "reviewed", Format: "text"}
	if err := runLabelsApply(ctx, &streams{Out: &out, Err: &out}, aopts, "pets@v1"); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	src, err := dataset.OpenSource(ctx, repo, "pets@v2", dataset.DefaultCSVOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	tbl, err := labels.Load(ctx, src, []string{"kind"}, 1)
	if err != nil {
		t.Fatal(err)
	}
	kind := tbl.Column("kind")
	if kind.Text(57) != "bird" || kind.Text(26) != "dog" {
		t.Errorf("after the review, row 57 is %q and row 26 %q; want bird and dog", kind.Text(57), kind.Text(26))
	}
	orig, _ := os.ReadFile("pets.csv")
	if !bytes.Equal(orig, data) {
		t.Error("the input file changed")
	}
}
