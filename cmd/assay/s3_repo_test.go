package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/assayhq/assay/dataset/store/s3/s3test"
	"github.com/assayhq/assay/examples/churn"
)

// TestS3Repository runs the commands on a repository in an S3 bucket of a
// real versitygw on loopback: init, commit, log, show, check, drift,
// train, register, predict with --commit, verify.
func TestS3Repository(t *testing.T) {
	endpoint, access, secret := s3test.StartVersity(t)
	s3test.CreateBucket(t, endpoint, access, secret, "team")
	t.Setenv("AWS_ENDPOINT_URL", "http://"+endpoint)
	t.Setenv("AWS_ACCESS_KEY_ID", access)
	t.Setenv("AWS_SECRET_ACCESS_KEY", secret)
	t.Setenv("AWS_REGION", s3test.Region)
	t.Setenv("ASSAY_AUTHOR", "tester")
	dir := t.TempDir()
	t.Chdir(dir)
	if err := os.WriteFile("telco.csv", churn.CSV, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("rules.yaml", []byte("checks:\n  - not_null: customerID\n  - unique: customerID\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	repo := "s3://team/churn-project"
	if out := mustRunAssay(t, "init", "--repo", repo); !strings.Contains(out, "Initialized empty assay repository in s3://team/churn-project") {
		t.Errorf("init: %s", out)
	}
	t.Setenv("ASSAY_REPO", repo)
	mustRunAssay(t, "dataset", "commit", "churn", "telco.csv", "-m", "october")
	mustRunAssay(t, "dataset", "commit", "churn", "telco.csv", "-m", "again")
	if out := mustRunAssay(t, "dataset", "log", "churn"); !strings.Contains(out, "churn@v2") {
		t.Errorf("log: %s", out)
	}
	if out := mustRunAssay(t, "check", "churn@v2", "-r", "rules.yaml"); !strings.Contains(out, "passed") {
		t.Errorf("check: %s", out)
	}
	mustRunAssay(t, "drift", "churn@v1", "churn@v2")
	out := mustRunAssay(t, "train", "churn@v2", "--target", "Churn", "--exclude", "customerID", "--trainer", "logistic", "--format", "json")
	id := between(out, `"id": "`, `"`)
	mustRunAssay(t, "models", "register", id, "--name", "churn-model")
	mustRunAssay(t, "predict", "churn-model", "churn@v2", "-o", filepath.Join(dir, "p.parquet"), "--commit", "preds")
	if out := mustRunAssay(t, "dataset", "show", "preds@v1"); !strings.Contains(out, "preds@v1") {
		t.Errorf("predictions: %s", out)
	}
	if out := mustRunAssay(t, "verify"); !strings.Contains(out, "no damage found") {
		t.Errorf("verify: %s", out)
	}
	if _, errOut, err := runAssayIn(t.Context(), "features", "list"); err != nil {
		t.Errorf("features list on S3: %v %s", err, errOut)
	}
}

func between(s, start, end string) string {
	_, rest, ok := strings.Cut(s, start)
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(rest, end)
	return v
}
