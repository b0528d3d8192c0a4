package pipeline

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/assayhq/assay/dataset"
)

func commitVersions(t *testing.T, repo *dataset.Repo, n int) {
	t.Helper()
	dir := t.TempDir()
	for i := range n {
		path := filepath.Join(dir, "d.csv")
		os.WriteFile(path, []byte("x\n"+strings.Repeat("1\n", i+1)), 0o644)
		if _, err := repo.Commit(context.Background(), dataset.CommitOptions{Name: "churn", Paths: []string{path}, Message: "m", CSV: dataset.DefaultCSVOptions()}); err != nil {
			t.Fatal(err)
		}
	}
}

func TestRunner(t *testing.T) {
	ctx := context.Background()
	repo := testRepo(t)
	spec := &Spec{Dataset: "churn", Steps: []string{"checks", "drift", "train"}}
	var ran []string
	var events []string
	step := func(name string, out Outcome, err error) StepFunc {
		return func(ctx context.Context, st *State, rec *Step) (Outcome, error) {
			ran = append(ran, name)
			rec.Outputs["seen"] = st.Ref
			return out, err
		}
	}
	r := &Runner{Repo: repo, Spec: spec, Owner: "test", Notify: func(_ context.Context, e Event) { events = append(events, e.Name) },
		Steps: map[string]StepFunc{"checks": step("checks", Continue, nil), "drift": step("drift", Continue, errors.New("reference missing")), "train": step("train", Continue, nil)}}
	res, err := r.Run(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != "failed" || len(res.Steps) != 2 || res.Steps[1].Status != "failed" || res.Steps[1].Detail != "reference missing" ||
		strings.Join(ran, ",") != "checks,drift" || res.Steps[0].Outputs["seen"] != "churn@v2" || len(events) != 1 || events[0] != "pipeline_failed" {
		t.Fatalf("got %+v, ran %v, events %v", res, ran, events)
	}
	if _, err := r.Run(ctx, 2); !errors.Is(err, ErrTaken) {
		t.Errorf("second run of a version: %v", err)
	}
	ran = nil
	r.Steps["drift"] = step("drift", Skip, nil)
	if res, err := r.Run(ctx, 3); err != nil || res.Status != "skipped" || strings.Join(ran, ",") != "checks,drift" {
		t.Errorf("skip: %+v %v %v", res, err, ran)
	}
	ran = nil
	r.Steps["drift"] = step("drift", Stop, nil)
	if res, err := r.Run(ctx, 4); err != nil || res.Status != "passed" || strings.Join(ran, ",") != "checks,drift" {
		t.Errorf("stop: %+v %v %v", res, err, ran)
	}
}

func TestDue(t *testing.T) {
	ctx := context.Background()
	repo := testRepo(t)
	commitVersions(t, repo, 3)
	spec := &Spec{Dataset: "churn", Trigger: Trigger{Policy: "every_version"}}
	due, err := Due(ctx, repo, spec, time.Now())
	if err != nil || len(due) != 1 || due[0] != 3 {
		t.Fatalf("before any run, only the newest: got %v %v", due, err)
	}
	now := time.Now().UTC()
	SaveResult(ctx, repo, &Result{Dataset: "churn", Version: 1, Status: "passed", Started: now.Add(-time.Hour)})
	if due, _ := Due(ctx, repo, spec, now); len(due) != 2 || due[0] != 2 {
		t.Errorf("after a run of v1: %v, want v2 and v3", due)
	}
	SaveResult(ctx, repo, &Result{Dataset: "churn", Version: 2, Status: "passed", Started: now})
	if due, _ := Due(ctx, repo, spec, now); len(due) != 1 || due[0] != 3 {
		t.Errorf("after a run of v2: %v", due)
	}
	spec.Trigger = Trigger{Policy: "schedule", Schedule: "weekly"}
	if due, _ := Due(ctx, repo, spec, now.Add(24*time.Hour)); len(due) != 0 {
		t.Errorf("a day after the last run, weekly: %v", due)
	}
	if due, _ := Due(ctx, repo, spec, now.Add(8*24*time.Hour)); len(due) != 1 || due[0] != 3 {
		t.Errorf("eight days after: %v", due)
	}
}
