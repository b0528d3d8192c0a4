package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"

	"github.com/assayhq/assay/checks"
	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/dataset/datagen"
	"github.com/assayhq/assay/dataset/profile"
	"github.com/assayhq/assay/dataset/store/s3/s3test"
	"github.com/assayhq/assay/drift"
)

// The tests run every pipeline on Prism, Beam's runner in this process
// (loopback workers: no network, no Docker), and compare with the local
// code path of assay.
func TestMain(m *testing.M) {
	flag.Parse()
	beam.Init()
	runnerLogs(false)
	os.Exit(m.Run())
}

// result is one assay-beam command line's outcome.
type result struct {
	code           int
	stdout, stderr string
}

func (r result) String() string {
	return fmt.Sprintf("exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
}

func runBeam(t *testing.T, g *global, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(t.Context(), g, args, &out, &errOut)
	return result{code, out.String(), errOut.String()}
}

// genFile writes datagen rows in row groups of rg rows.
func genFile(t *testing.T, path string, rows, rg int64, seed uint64) string {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := datagen.Write(context.Background(), f, datagen.Options{Rows: rows, RowGroupRows: rg, Customers: 500, Seed: seed}); err != nil {
		t.Fatal(err)
	}
	return path
}

// localSource opens a ref as the local commands do, until the test ends.
func localSource(t *testing.T, repo *dataset.Repo, ref string) *dataset.Source {
	t.Helper()
	src, err := dataset.OpenSource(context.Background(), repo, ref, dataset.DefaultCSVOptions())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { src.Close() })
	return src
}

// localProfile is `assay profile --format json` of files: a local scan.
func localProfile(t *testing.T, repo *dataset.Repo, ref, label string, columns []string) string {
	t.Helper()
	ctx := context.Background()
	src := localSource(t, repo, ref)
	sc, err := src.Scanner(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer sc.Close()
	p, err := dataset.Profile(ctx, sc, dataset.ScanOptions{Columns: columns})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := profile.WriteJSON(&b, label, p.Summary()); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestProfileMatchesLocal(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	// 13 shards over two files: sketches, exact counts and the seeds by
	// row group all have to line up.
	genFile(t, "a.parquet", 40_000, 5_000, 1)
	genFile(t, "b.parquet", 23_000, 4_000, 2)
	g := &global{}
	r := runBeam(t, g, "profile", "--format", "json", "*.parquet")
	if r.code != 0 {
		t.Fatal(r)
	}
	if want := localProfile(t, nil, "*.parquet", "*.parquet", nil); r.stdout != want {
		t.Errorf("pipeline profile differs from the local scan\n got %s\nwant %s", r.stdout, want)
	}
	var doc struct {
		Rows    int64
		Columns []struct{ Name string }
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil || doc.Rows != 63_000 || len(doc.Columns) != 8 {
		t.Errorf("profile: %d rows, %d columns, %v", doc.Rows, len(doc.Columns), err)
	}

	r = runBeam(t, g, "profile", "a.parquet", "--columns", "score,segment", "--html", "p.html")
	if r.code != 0 || !strings.Contains(r.stdout, "a.parquet: 40,000 rows, 2 columns") || !strings.Contains(r.stdout, "segment") || !strings.Contains(r.stdout, "report: p.html") {
		t.Errorf("text: %s", r)
	}
	if page, err := os.ReadFile("p.html"); err != nil || !bytes.Contains(page, []byte("Profile of a.parquet")) || !bytes.Contains(page, []byte("on Beam")) {
		t.Errorf("HTML report: %v", err)
	}
}

func TestProfileBadInput(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	genFile(t, "a.parquet", 1000, 500, 1)
	if err := os.WriteFile("a.csv", []byte("x,y\n1,2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	g := &global{}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"profile", "a.parquet", "--columns", "nope"}, `no column "nope"`},
		{[]string{"profile", "missing.parquet"}, "missing.parquet"},
		{[]string{"profile", "a.csv"}, "Parquet only"},
		{[]string{"profile", "churn"}, "no repository"},
		{[]string{"profile"}, "takes one REF|PATH"},
		{[]string{"profile", "a.parquet", "--format", "xml"}, `--format "xml"`},
		{[]string{"nope"}, `unknown command "nope"`},
	} {
		r := runBeam(t, g, tt.args...)
		if r.code != exitInput || !strings.Contains(r.stderr, tt.want) {
			t.Errorf("%v: want exit 2 and %q\n%s", tt.args, tt.want, r)
		}
	}
}

// TestS3Repository runs the three commands on versions of a repository in
// a real S3-compatible server (versitygw on loopback): the workers read the
// files from the bucket and leave the merged states in it.
func TestS3Repository(t *testing.T) {
	ctx := context.Background()
	repo, loc := s3Repo(t)
	dir := t.TempDir()
	for i, name := range []string{"a.parquet", "b.parquet"} {
		path := genFile(t, filepath.Join(dir, name), 30_000, 4_000, uint64(7+i))
		if _, err := repo.Commit(ctx, dataset.CommitOptions{Name: "events", Paths: []string{path}, Message: name}); err != nil {
			t.Fatal(err)
		}
	}
	rules := filepath.Join(dir, "rules.yaml")
	if err := os.WriteFile(rules, []byte(mixedRules), 0o644); err != nil {
		t.Fatal(err)
	}
	g := &global{repo: loc, exchange: "s3://team/exchange"}

	r := runBeam(t, g, "profile", "--format", "json", "events")
	if r.code != 0 {
		t.Fatal(r)
	}
	if want := localProfile(t, repo, "events@v2", "events@v2", nil); r.stdout != want {
		t.Errorf("pipeline profile differs from the local scan\n got %s\nwant %s", r.stdout, want)
	}

	r = runBeam(t, g, "check", "--format", "json", "--rules", rules, "events@v1")
	want, _ := localCheck(t, repo, "events@v1", rules, checks.Env{})
	if r.code != 1 || normalized(t, r.stdout) != normalized(t, want) {
		t.Errorf("pipeline check differs from the local run\n got %s\nwant %s", r, want)
	}
	if runs, err := checks.Runs(ctx, repo, "events"); err != nil || len(runs) != 1 {
		t.Errorf("stored check runs: %d, %v", len(runs), err)
	}

	r = runBeam(t, g, "drift", "--format", "json", "--reference-from", "data", "events@v1", "events@v2")
	if r.code != 0 && r.code != 1 {
		t.Fatal(r)
	}
	wantDrift := localDrift(t, repo, "events@v1", "events@v2", drift.Options{Method: "auto", Correction: "none", Multivariate: "none", ReferenceFrom: "data", DatasetThreshold: 0.5})
	if normalized(t, r.stdout) != normalized(t, wantDrift) {
		t.Errorf("pipeline drift differs from the local comparison\n got %s\nwant %s", r.stdout, wantDrift)
	}
}

// s3Repo starts versitygw and creates a repository in a bucket; it
// returns the repository and its s3:// location.
func s3Repo(t *testing.T) (*dataset.Repo, string) {
	t.Helper()
	endpoint, access, secret := s3test.StartVersity(t)
	s3test.CreateBucket(t, endpoint, access, secret, "team")
	s3test.Setenv(t, endpoint, access, secret)
	t.Setenv("ASSAY_AUTHOR", "tester")
	loc := "s3://team/repo"
	repo, err := dataset.InitLocation(context.Background(), loc)
	if err != nil {
		t.Fatal(err)
	}
	return repo, loc
}

// normalized drops what differs between two runs of the same comparison:
// when and how long.
func normalized(t *testing.T, doc string) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(doc), &m); err != nil {
		t.Fatalf("%v\n%s", err, doc)
	}
	delete(m, "time")
	delete(m, "elapsed_seconds")
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// localDrift is assay drift's comparison, run locally.
func localDrift(t *testing.T, repo *dataset.Repo, ref, cur string, opts drift.Options) string {
	t.Helper()
	ctx := context.Background()
	rep, err := drift.Compare(ctx, localSource(t, repo, ref), localSource(t, repo, cur), opts)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := drift.WriteJSON(&b, rep); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestDriftMatchesLocal(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	genFile(t, "ref.parquet", 30_000, 4_000, 1)
	genFile(t, "cur.parquet", 20_000, 3_000, 2)
	g := &global{}
	for _, tt := range []struct {
		name  string
		flags []string
		opts  drift.Options
	}{
		{"auto", nil, drift.Options{}},
		{"psi", []string{"--method", "psi", "--correction", "bh", "--columns", "age,income,segment,score"},
			drift.Options{Method: "psi", Correction: "bh", Columns: []string{"age", "income", "segment", "score"}}},
		{"concept", []string{"--target", "churn", "--prediction", "score", "--multivariate", "pca"},
			drift.Options{Target: "churn", Prediction: "score", Multivariate: "pca"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"drift", "--format", "json"}, tt.flags...)
			r := runBeam(t, g, append(args, "ref.parquet", "cur.parquet")...)
			if r.code != 0 && r.code != 1 {
				t.Fatal(r)
			}
			opts := tt.opts
			opts.Method = cmp.Or(opts.Method, "auto")
			opts.Correction = cmp.Or(opts.Correction, "none")
			opts.Multivariate = cmp.Or(opts.Multivariate, "none")
			opts.ReferenceFrom = "auto"
			opts.DatasetThreshold = 0.5
			want := localDrift(t, nil, "ref.parquet", "cur.parquet", opts)
			if got, want := normalized(t, r.stdout), normalized(t, want); got != want {
				t.Errorf("pipeline drift differs from the local comparison\n got %s\nwant %s", got, want)
			}
		})
	}
}

// TestDriftReferenceFromProfile: a version's stored profile stands in for
// its rows, so only the current side is scanned by the pipeline.
func TestDriftReferenceFromProfile(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	t.Chdir(dir)
	repo, err := dataset.InitLocation(ctx, filepath.Join(dir, "repo"))
	if err != nil {
		t.Fatal(err)
	}
	genFile(t, "a.parquet", 25_000, 5_000, 3)
	genFile(t, "b.parquet", 25_000, 5_000, 4)
	for _, f := range []string{"a.parquet", "b.parquet"} {
		if _, err := repo.Commit(ctx, dataset.CommitOptions{Name: "events", Paths: []string{f}, Message: f}); err != nil {
			t.Fatal(err)
		}
	}
	g := &global{repo: filepath.Join(dir, "repo")}
	r := runBeam(t, g, "drift", "--format", "json", "--reference-from", "profile", "events@v1", "events")
	if r.code != 0 && r.code != 1 {
		t.Fatal(r)
	}
	want := localDrift(t, repo, "events@v1", "events@v2", drift.Options{Method: "auto", Correction: "none", Multivariate: "none", ReferenceFrom: "profile", DatasetThreshold: 0.5})
	if got, want := normalized(t, r.stdout), normalized(t, want); got != want {
		t.Errorf("pipeline drift differs from the local comparison\n got %s\nwant %s", got, want)
	}
	if !strings.Contains(r.stdout, `"current": "events@v2"`) {
		t.Errorf("the current ref is not pinned to its version:\n%s", r.stdout)
	}
}

// mixedRules are checks of every kind of state on datagen's columns: the
// benchmark's 20 checks plus order, groups, filters and label conflicts,
// some of which fail.
const mixedRules = `checks:
  - increasing: id
  - increasing: {column: signup_ts, strict: false}
    group_by: [segment]
  - unique: customer_id
    where: 'segment == "enterprise"'
  - metric: 'mean(score) > 40'
    group_by: segment
  - metric: 'quantile(income, 0.5) > 0 && sum(age) > 0'
  - label_conflicts: {label: churn, features: [customer_id, segment]}
  - between: {column: score, min: 10, max: 90}
    severity: warn
`

// localCheck is assay check, run locally.
func localCheck(t *testing.T, repo *dataset.Repo, ref, rulesPath string, env checks.Env) (doc string, success bool) {
	t.Helper()
	ctx := context.Background()
	src := localSource(t, repo, ref)
	rules, err := checks.ParseFile(rulesPath)
	if err != nil {
		t.Fatal(err)
	}
	sc, err := src.Scanner(ctx)
	if err != nil {
		t.Fatal(err)
	}
	schema := sc.Schema()
	sc.Close()
	env.Repo, env.Manifest, env.CSV = repo, src.Manifest, dataset.DefaultCSVOptions()
	plan, err := checks.Compile(ctx, rules, schema, env)
	if err != nil {
		t.Fatal(err)
	}
	run, err := plan.Run(ctx, src, checks.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := checks.WriteJSON(&b, run); err != nil {
		t.Fatal(err)
	}
	return b.String(), run.Success
}

func TestCheckMatchesLocal(t *testing.T) {
	bench, err := filepath.Abs("../../checks/testdata/bench/customers.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	t.Chdir(dir)
	genFile(t, "a.parquet", 40_000, 6_000, 1)
	genFile(t, "b.parquet", 25_000, 4_000, 2)
	if err := os.WriteFile("mixed.yaml", []byte(mixedRules), 0o644); err != nil {
		t.Fatal(err)
	}
	g := &global{}
	for _, tt := range []struct {
		name, rules string
		flags       []string
		env         checks.Env
	}{
		{"bench", bench, nil, checks.Env{}},
		{"mixed", "mixed.yaml", []string{"--samples", "3", "--key", "id,segment"}, checks.Env{Samples: 3, Keys: []string{"id", "segment"}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"check", "--format", "json", "--rules", tt.rules}, tt.flags...)
			r := runBeam(t, g, append(args, "*.parquet")...)
			want, success := localCheck(t, nil, "*.parquet", tt.rules, tt.env)
			if code := map[bool]int{true: 0, false: 1}[success]; r.code != code {
				t.Fatalf("want exit %d: %s", code, r)
			}
			if got, want := normalized(t, r.stdout), normalized(t, want); got != want {
				t.Errorf("pipeline check differs from the local run\n got %s\nwant %s", got, want)
			}
		})
	}
}

func TestCheckAndDriftBadInput(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	genFile(t, "a.parquet", 1000, 500, 1)
	if err := os.WriteFile("bad.yaml", []byte("checks:\n  - not_null: nope\n  - unique: id\n  - between: {column: score, min: x}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	g := &global{}
	for _, tt := range []struct {
		args []string
		want []string
	}{
		{[]string{"check", "a.parquet", "--rules", "bad.yaml"}, []string{"bad.yaml:2:", `"nope"`, "bad.yaml:4:"}},
		{[]string{"check", "a.parquet"}, []string{"--rules is required"}},
		{[]string{"check", "a.parquet", "--rules", "missing.yaml"}, []string{"missing.yaml"}},
		{[]string{"check", "a.parquet", "--rules", "bad.yaml", "--samples", "-1"}, []string{"--samples"}},
		{[]string{"drift", "a.parquet"}, []string{"takes REFERENCE and CURRENT"}},
		{[]string{"drift", "a.parquet", "a.parquet", "--columns", "nope"}, []string{"nope"}},
		{[]string{"drift", "a.parquet", "a.parquet", "--method", "magic"}, []string{"magic"}},
		{[]string{"drift", "a.parquet", "a.parquet", "--threshold", "high"}, []string{`--threshold "high"`}},
	} {
		r := runBeam(t, g, tt.args...)
		if r.code != exitInput {
			t.Errorf("%v: want exit 2\n%s", tt.args, r)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(r.stderr, w) {
				t.Errorf("%v: stderr lacks %q\n%s", tt.args, w, r)
			}
		}
	}
}

// TestWorkerSeesOtherFiles: a worker whose files differ from what the
// launcher listed refuses the shard rather than scan other data.
func TestWorkerSeesOtherFiles(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := genFile(t, filepath.Join(dir, "a.parquet"), 3000, 1000, 1)
	j := Job{Command: "profile", Refs: []string{path}}
	an, err := openAnalysis(ctx, j)
	if err != nil {
		t.Fatal(err)
	}
	defer an.Close()
	ts := tasks(an)
	if len(ts) != 3 {
		t.Fatalf("%d tasks, want 3", len(ts))
	}
	genFile(t, path, 3000, 1500, 1) // replaced: two row groups now
	worker, err := openAnalysis(ctx, j)
	if err != nil {
		t.Fatal(err)
	}
	defer worker.Close()
	if _, err := scanTask(ctx, worker, ts[0]); !errors.Is(err, errChanged) {
		t.Errorf("first shard: %v", err)
	}
	if _, err := scanTask(ctx, worker, ts[2]); !errors.Is(err, errChanged) {
		t.Errorf("third shard: %v", err)
	}
}

// TestPipelineFailure: a worker that finds other files than the launcher
// listed fails the run on Prism, and the error says why.
func TestPipelineFailure(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	genFile(t, filepath.Join(dir, "b.parquet"), 4000, 1000, 1)
	j := Job{Command: "profile", Refs: []string{filepath.Join(dir, "*.parquet")}}
	an, err := openAnalysis(ctx, j)
	if err != nil {
		t.Fatal(err)
	}
	defer an.Close()
	// A file that sorts first lands after the launcher listed the shards:
	// every worker numbers the row groups differently.
	genFile(t, filepath.Join(dir, "a.parquet"), 3000, 1500, 2)
	_, err = execute(ctx, &global{}, an, j)
	if err == nil || !strings.HasPrefix(err.Error(), "pipeline: shard 0 of ") || !strings.Contains(err.Error(), "the source changed since the pipeline started") || strings.Contains(err.Error(), "DataSource") {
		t.Errorf("pipeline over changed files: %v", err)
	}
	if tmp, _ := filepath.Glob(filepath.Join(os.TempDir(), "assay-beam-*", "assay-beam-*")); len(tmp) > 0 {
		t.Errorf("states left behind: %v", tmp)
	}
}
