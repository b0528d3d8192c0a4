package main

import (
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/dataset/store/s3"
	"github.com/assayhq/assay/dataset/store/s3/s3test"
	"github.com/assayhq/assay/examples/churn"
)

// TestS3Repository runs the commands on a repository in an S3 bucket of a
// real versitygw on loopback: init, commit, log, show, check, drift,
// train, register, predict with --commit, verify.
func TestS3Repository(t *testing.T) {
	endpoint, access, secret := s3test.StartVersity(t)
	s3test.CreateBucket(t, endpoint, access, secret, "team")
	s3test.Setenv(t, endpoint, access, secret)
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
	// Conflicts found exit 1; anything else but 0 is an error.
	out, _, err := runAssayIn(t.Context(), "labels", "conflicts", "churn@v2", "--label", "Churn", "--features", "gender,SeniorCitizen,Partner,Dependents,tenure")
	if !strings.Contains(out, "conflict") || (err != nil && exitCode(t.Context(), err) != exitFailed) {
		t.Errorf("labels conflicts on S3: %v\n%s", err, out)
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

// refusingTransport fails the requests refuse picks, as a network that
// drops them.
type refusingTransport struct {
	base   http.RoundTripper
	refuse func(*http.Request) bool
}

func (r refusingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if r.refuse(req) {
		return nil, errors.New("network down")
	}
	return r.base.RoundTrip(req)
}

// TestS3CommitInterrupted loses the network when a commit writes its
// manifest: the commit fails with the error, and the repository seen from
// a working connection has no new version, only unreferenced objects that
// gc removes; verify finds no damage.
func TestS3CommitInterrupted(t *testing.T) {
	endpoint, access, secret := s3test.StartVersity(t)
	s3test.CreateBucket(t, endpoint, access, secret, "team")
	ctx := t.Context()
	opts := s3.Options{Endpoint: endpoint, Region: s3test.Region, Bucket: "team", Prefix: "repo", AccessKey: access, SecretKey: secret, PathStyle: true, MaxRetries: 2}
	good, err := s3.New(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	loc := "s3://team/repo"
	repo, err := dataset.Init(ctx, good, loc)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "telco.csv")
	if err := os.WriteFile(path, churn.CSV, 0o644); err != nil {
		t.Fatal(err)
	}
	opts.Transport = refusingTransport{base: http.DefaultTransport, refuse: func(r *http.Request) bool {
		return r.Method == http.MethodPut && strings.Contains(r.URL.Path, "/datasets/")
	}}
	flaky, err := s3.New(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	flakyRepo, err := dataset.New(ctx, flaky, loc)
	if err != nil {
		t.Fatal(err)
	}
	_, err = flakyRepo.Commit(ctx, dataset.CommitOptions{Name: "churn", Paths: []string{path}, Message: "october", CSV: dataset.DefaultCSVOptions()})
	if err == nil || !strings.Contains(err.Error(), "network down") {
		t.Fatalf("commit without a network for the manifest: got %v", err)
	}
	if names, err := repo.Datasets(ctx); err != nil || len(names) != 0 {
		t.Errorf("a half commit is visible: datasets %v, %v", names, err)
	}
	rep, err := repo.Verify(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Damage) != 0 {
		t.Errorf("verify found damage: %v", rep.Damage)
	}
	gc, err := repo.GC(ctx, 0, false)
	if err != nil || len(gc.Deleted) == 0 {
		t.Errorf("gc of the unreferenced objects: %+v %v", gc, err)
	}
	// The same commit over the working connection succeeds.
	if m, err := repo.Commit(ctx, dataset.CommitOptions{Name: "churn", Paths: []string{path}, Message: "october", CSV: dataset.DefaultCSVOptions()}); err != nil || m.Version != 1 {
		t.Errorf("commit after the network is back: %v %v", m, err)
	}
}

// s3Scripts are the scripts about a repository that run unchanged on one
// in S3. The others read files without a repository (with ASSAY_REPO set
// they would need one), look into .assay on disk, test local permissions,
// or use the embedded online store, which needs a local repository.
var s3Scripts = []string{
	"check_repo", "checkout", "diff", "features", "history", "labels_apply",
	"monitor", "pipeline", "pipeline_features", "report",
}

// TestScriptsOnS3 runs those scripts again with ASSAY_REPO naming a fresh
// prefix of a bucket in a real versitygw: every command they run (commit,
// log, diff, checkout, profile, check, drift, monitor, labels, features,
// training, pipelines, the dashboard) works the same on S3.
func TestScriptsOnS3(t *testing.T) {
	endpoint, access, secret := s3test.StartVersity(t)
	s3test.CreateBucket(t, endpoint, access, secret, "scripts")
	var files []string
	for _, name := range s3Scripts {
		files = append(files, filepath.Join("testdata", "script", name+".txtar"))
	}
	var n atomic.Int64
	testscript.Run(t, testscript.Params{
		Files: files,
		Setup: func(env *testscript.Env) error {
			if err := setupScript(env); err != nil {
				return err
			}
			for _, kv := range s3test.Env(endpoint, access, secret) {
				k, v, _ := strings.Cut(kv, "=")
				env.Setenv(k, v)
			}
			env.Setenv("ASSAY_REPO", fmt.Sprintf("s3://scripts/repo-%d", n.Add(1)))
			return nil
		},
		Cmds:                scriptCmds,
		Condition:           scriptCondition,
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
	})
}

// TestS3RepositoryURLParameters: the endpoint and region can live in the
// repository's URL, with no AWS variables for them.
func TestS3RepositoryURLParameters(t *testing.T) {
	endpoint, access, secret := s3test.StartVersity(t)
	s3test.CreateBucket(t, endpoint, access, secret, "team")
	t.Setenv("AWS_ENDPOINT_URL", "")
	t.Setenv("AWS_ENDPOINT_URL_S3", "")
	t.Setenv("AWS_REGION", "")
	t.Setenv("AWS_DEFAULT_REGION", "")
	t.Setenv("AWS_ACCESS_KEY_ID", access)
	t.Setenv("AWS_SECRET_ACCESS_KEY", secret)
	t.Setenv("ASSAY_AUTHOR", "tester")
	t.Chdir(t.TempDir())
	if err := os.WriteFile("telco.csv", churn.CSV, 0o644); err != nil {
		t.Fatal(err)
	}
	repo := "s3://team/configured?endpoint=http://" + endpoint + "&region=" + s3test.Region
	mustRunAssay(t, "init", "--repo", repo)
	mustRunAssay(t, "--repo", repo, "dataset", "commit", "churn", "telco.csv", "-m", "october")
	if out := mustRunAssay(t, "--repo", repo, "dataset", "log", "churn"); !strings.Contains(out, "churn@v1") {
		t.Errorf("log: %s", out)
	}
	if _, errOut, err := runAssayIn(t.Context(), "--repo", "s3://team/configured?secret=x", "dataset", "list"); err == nil || !strings.Contains(err.Error(), `unknown parameter "secret"`) {
		t.Errorf("unknown parameter: %v %s", err, errOut)
	}
}
