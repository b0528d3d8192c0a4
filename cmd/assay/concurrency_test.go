package main

// The robustness promises of the repository, tested on the real program:
// each "assay" below is a separate process (this test binary, which
// TestMain installs on $PATH under that name), as in a CI job or a shell.
//
//   - Processes appending to one dataset at once each get their own
//     complete version.
//   - A commit killed at any moment leaves the repository verifiable, with
//     the old head or the new one, never half a version.
//   - One flipped byte in any object is found by verify.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/assayhq/assay/dataset/datagen"
	"github.com/assayhq/assay/dataset/store/s3/s3test"
)

// result is what one run of assay did.
type result struct {
	stdout, stderr string
	code           int
}

func (r result) String() string {
	return fmt.Sprintf("exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
}

// assayCmd returns the command that runs assay with args in dir.
func assayCmd(dir string, args ...string) *exec.Cmd {
	cmd := exec.Command("assay", args...)
	cmd.Dir = dir
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "ASSAY_") {
			env = append(env, kv)
		}
	}
	cmd.Env = append(env, "ASSAY_AUTHOR="+testAuthor)
	return cmd
}

// runAssay runs assay with args in dir and waits for it.
func runAssay(t *testing.T, dir string, args ...string) result {
	t.Helper()
	return runCmd(t, assayCmd(dir, args...), args)
}

// runCmd runs cmd, assay with args, and waits for it.
func runCmd(t *testing.T, cmd *exec.Cmd, args []string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return result{stdout.String(), stderr.String(), 0}
	case errors.As(err, &exit) && exit.Exited():
		return result{stdout.String(), stderr.String(), exit.ExitCode()}
	}
	t.Fatalf("assay %s: %v", strings.Join(args, " "), err)
	return result{}
}

// mustAssay runs assay and fails the test unless it exits with want.
func mustAssay(t *testing.T, want int, dir string, args ...string) result {
	t.Helper()
	return mustExit(t, want, runAssay(t, dir, args...), args)
}

func mustExit(t *testing.T, want int, r result, args []string) result {
	t.Helper()
	if r.code != want {
		t.Fatalf("assay %s: got %s\nwant exit %d", strings.Join(args, " "), r, want)
	}
	return r
}

// testRepo is where the tests run assay: in dir, which holds the input
// files, on the repository .assay there, or on the one at $ASSAY_REPO if
// env sets it.
type testRepo struct {
	dir string
	env []string // added to the environment of every assay it runs
}

// localRepo is the repository .assay in dir.
func localRepo(dir string) testRepo { return testRepo{dir: dir} }

// s3Repo is a repository in a bucket of a versitygw started for the test
// (skipped without versitygw, unless ASSAY_REQUIRE_S3=1), named by
// $ASSAY_REPO and reached with the AWS_* variables; its input files are in
// a temp directory. It does not exist until assay init.
func s3Repo(t *testing.T) testRepo {
	t.Helper()
	endpoint, access, secret := s3test.StartVersity(t)
	s3test.CreateBucket(t, endpoint, access, secret, "team")
	return testRepo{dir: t.TempDir(), env: append(s3test.Env(endpoint, access, secret), "ASSAY_REPO=s3://team/project")}
}

// forEachRepo runs test as subtests on a local repository ("local") and
// on one in S3 ("s3"), each not yet initialized.
func forEachRepo(t *testing.T, test func(t *testing.T, repo testRepo)) {
	t.Run("local", func(t *testing.T) { test(t, localRepo(t.TempDir())) })
	t.Run("s3", func(t *testing.T) { test(t, s3Repo(t)) })
}

// cmd returns the command that runs assay with args on the repository.
func (r testRepo) cmd(args ...string) *exec.Cmd {
	cmd := assayCmd(r.dir, args...)
	cmd.Env = append(cmd.Env, r.env...) // the last of duplicates wins
	return cmd
}

// run runs assay with args on the repository and waits for it.
func (r testRepo) run(t *testing.T, args ...string) result {
	t.Helper()
	return runCmd(t, r.cmd(args...), args)
}

// must runs assay with args on the repository and fails the test unless
// it exits with want.
func (r testRepo) must(t *testing.T, want int, args ...string) result {
	t.Helper()
	return mustExit(t, want, r.run(t, args...), args)
}

// showJSON is the part of `assay dataset show --format json` the tests read.
type showJSON struct {
	Version  int    `json:"version"`
	Ref      string `json:"ref"`
	Manifest struct {
		Dataset string `json:"dataset"`
		Version int    `json:"version"`
		Parent  int    `json:"parent"`
		Op      string `json:"op"`
		Rows    int64  `json:"rows"`
		Files   []struct {
			Name   string `json:"name"`
			Object string `json:"object"`
			Rows   int64  `json:"rows"`
		} `json:"files"`
	} `json:"manifest"`
}

func show(t *testing.T, repo testRepo, ref string) showJSON {
	t.Helper()
	r := repo.must(t, 0, "dataset", "show", ref, "--format", "json")
	var s showJSON
	if err := json.Unmarshal([]byte(r.stdout), &s); err != nil {
		t.Fatalf("show %s: %v\n%s", ref, err, r.stdout)
	}
	return s
}

// logJSON is the part of `assay dataset log --format json` the tests read.
type logJSON struct {
	Versions []struct {
		Version int    `json:"version"`
		Op      string `json:"op"`
		Rows    int64  `json:"rows"`
		Files   int    `json:"files"`
		Message string `json:"message"`
	} `json:"versions"`
}

func datasetLog(t *testing.T, repo testRepo, name string) logJSON {
	t.Helper()
	r := repo.must(t, 0, "dataset", "log", name, "--format", "json")
	var l logJSON
	if err := json.Unmarshal([]byte(r.stdout), &l); err != nil {
		t.Fatalf("log %s: %v\n%s", name, err, r.stdout)
	}
	return l
}

func genParquet(t *testing.T, path string, rows int64, seed uint64) {
	t.Helper()
	if err := writeParquet(path, datagen.Options{Rows: rows, RowGroupRows: 50_000, Seed: seed}); err != nil {
		t.Fatal(err)
	}
}

func verifyClean(t *testing.T, repo testRepo) {
	t.Helper()
	r := repo.must(t, 0, "verify")
	if !strings.Contains(r.stdout, "no damage found") {
		t.Fatalf("verify: %s", r)
	}
}

// TestConcurrentAppends starts 8 processes that each append their own file
// to one dataset at once. Each must get a complete version of its own: the
// losers of a race for a version number retry on the new head. On a local
// repository and on one in S3.
func TestConcurrentAppends(t *testing.T) { forEachRepo(t, testConcurrentAppends) }

func testConcurrentAppends(t *testing.T, repo testRepo) {
	const writers = 8
	dir := repo.dir
	repo.must(t, 0, "init")
	genParquet(t, filepath.Join(dir, "base.parquet"), 1000, 100)
	repo.must(t, 0, "dataset", "commit", "events", "base.parquet", "-m", "base")

	rows := map[string]int64{"base.parquet": 1000}
	var names []string
	for i := 1; i <= writers; i++ {
		name := fmt.Sprintf("part-%d.parquet", i)
		n := int64(1000 + 100*i)
		genParquet(t, filepath.Join(dir, name), n, uint64(i))
		rows[name] = n
		names = append(names, name)
	}

	cmds := make([]*exec.Cmd, writers)
	outs := make([]*bytes.Buffer, writers)
	for i, name := range names {
		cmds[i] = repo.cmd("dataset", "commit", "events", name, "-m", "append "+name, "--append")
		outs[i] = new(bytes.Buffer)
		cmds[i].Stdout, cmds[i].Stderr = outs[i], outs[i]
	}
	for i, cmd := range cmds {
		if err := cmd.Start(); err != nil {
			t.Fatalf("start writer %d: %v", i, err)
		}
	}
	got := map[int]bool{}
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Errorf("writer %d (%s): %v\n%s", i, names[i], err, outs[i])
			continue
		}
		var v int
		if _, err := fmt.Sscanf(outs[i].String(), "events@v%d:", &v); err != nil {
			t.Errorf("writer %d printed %q", i, outs[i])
		}
		got[v] = true
	}
	if t.Failed() {
		t.FailNow()
	}
	if len(got) != writers {
		t.Errorf("the writers got versions %v, want %d different ones", slices.Sorted(maps.Keys(got)), writers)
	}

	// 1 + 8 versions, each an append of one file to the one before.
	log := datasetLog(t, repo, "events")
	if len(log.Versions) != 1+writers {
		t.Fatalf("log has %d versions, want %d", len(log.Versions), 1+writers)
	}
	var prev map[string]string // file name → object of the version before
	for v := 1; v <= 1+writers; v++ {
		s := show(t, repo, fmt.Sprintf("events@v%d", v))
		m := s.Manifest
		if m.Version != v || len(m.Files) != v {
			t.Fatalf("events@v%d: version %d with %d files, want %d files", v, m.Version, len(m.Files), v)
		}
		cur := map[string]string{}
		var sum int64
		for _, f := range m.Files {
			cur[f.Name] = f.Object
			sum += f.Rows
			if want, ok := rows[f.Name]; !ok || f.Rows != want {
				t.Errorf("events@v%d: file %s has %d rows, want %d", v, f.Name, f.Rows, want)
			}
		}
		if sum != m.Rows {
			t.Errorf("events@v%d: %d rows, its files hold %d", v, m.Rows, sum)
		}
		for name, obj := range prev {
			if cur[name] != obj {
				t.Errorf("events@v%d lost file %s of events@v%d", v, name, v-1)
			}
		}
		if v > 1 && (m.Op != "append" || m.Parent != v-1) {
			t.Errorf("events@v%d: op %s, parent %d; want append to v%d", v, m.Op, m.Parent, v-1)
		}
		prev = cur
	}
	for name := range rows {
		if _, ok := prev[name]; !ok {
			t.Errorf("the head lacks %s", name)
		}
	}

	// The head's stored profile covers every file.
	var total int64
	for _, n := range rows {
		total += n
	}
	r := repo.must(t, 0, "profile", "events", "--format", "json")
	var p struct {
		Rows int64 `json:"rows"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &p); err != nil || p.Rows != total {
		t.Errorf("profile of the head: %d rows (%v), want %d", p.Rows, err, total)
	}
	verifyClean(t, repo)
}

// TestKilledCommit kills commits of a large file at random moments
// (SIGKILL: no chance to clean up). Every time, verify must pass and the
// head must be the old version or the new one, complete.
func TestKilledCommit(t *testing.T) {
	if testing.Short() {
		t.Skip("commits 300,000-row files 20 times")
	}
	const (
		rows   = 300_000
		rounds = 20
	)
	dir := t.TempDir()
	local := localRepo(dir)
	mustAssay(t, 0, dir, "init")

	// A first commit, uncontested, shows how long one takes: the kills
	// below fall anywhere in that span, and sometimes after it.
	genParquet(t, filepath.Join(dir, "big-0.parquet"), rows, 1000)
	start := time.Now()
	mustAssay(t, 0, dir, "dataset", "commit", "big", "big-0.parquet", "-m", "round 0")
	span := time.Since(start) * 6 / 5

	seed := uint64(time.Now().UnixNano())
	rnd := rand.New(rand.NewPCG(seed, 1))
	t.Logf("random seed %d; a commit takes about %v", seed, span*5/6)

	killed, finished := 0, 0
	for round := 1; round <= rounds; round++ {
		before := show(t, local, "big").Manifest
		// A new file each round, so that every round copies new data.
		name := fmt.Sprintf("big-%d.parquet", round)
		path := filepath.Join(dir, name)
		genParquet(t, path, rows, uint64(1000+round))
		args := []string{"dataset", "commit", "big", name, "-m", fmt.Sprintf("round %d", round)}
		appendRound := round%2 == 1
		if appendRound {
			args = append(args, "--append")
		}

		cmd := assayCmd(dir, args...)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		delay := time.Duration(rnd.Int64N(int64(span)))
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		timer := time.AfterFunc(delay, func() { cmd.Process.Kill() })
		err := cmd.Wait()
		timer.Stop()
		switch {
		case err == nil:
			finished++
		case cmd.ProcessState != nil && !cmd.ProcessState.Exited():
			killed++ // by the signal
		default:
			t.Fatalf("round %d: commit failed on its own: %v\n%s", round, err, out.String())
		}

		// The repository verifies, and the head is the old version or the
		// new one, complete.
		if r := runAssay(t, dir, "verify"); r.code != 0 {
			t.Fatalf("round %d: killed after %v: verify: %s", round, delay, r)
		}
		after := show(t, local, "big").Manifest
		switch after.Version {
		case before.Version:
			if err == nil {
				t.Fatalf("round %d: the commit finished but the head is still v%d", round, before.Version)
			}
		case before.Version + 1:
			want := int64(rows)
			files := 1
			if appendRound {
				want += before.Rows
				files += len(before.Files)
			}
			if after.Rows != want || len(after.Files) != files || after.Files[len(after.Files)-1].Name != name {
				t.Fatalf("round %d: the new head v%d has %d rows in %d files, want %d in %d ending with %s",
					round, after.Version, after.Rows, len(after.Files), want, files, name)
			}
			// Its data and profile can be read.
			mustAssay(t, 0, dir, "profile", "big", "--columns", "id")
		default:
			t.Fatalf("round %d: head went from v%d to v%d", round, before.Version, after.Version)
		}
		if err := os.Remove(path); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("%d commits killed, %d finished before the kill", killed, finished)

	// gc removes what the killed commits left; every version stays intact.
	head := show(t, local, "big").Manifest.Version
	gc := mustAssay(t, 0, dir, "gc", "--grace", "0")
	t.Logf("gc: %s", gc.stdout[strings.LastIndexByte(strings.TrimSpace(gc.stdout), '\n')+1:])
	verifyClean(t, local)
	log := datasetLog(t, local, "big")
	if len(log.Versions) != head {
		t.Errorf("after gc: %d versions, want %d", len(log.Versions), head)
	}
	for v := 1; v <= head; v++ {
		mustAssay(t, 0, dir, "dataset", "checkout", fmt.Sprintf("big@v%d", v), "-o", filepath.Join(dir, "out", fmt.Sprint(v)))
	}
}

// TestConcurrentCommits races plain commits (not appends) for the next
// version: each either gets a version of its own or fails with a conflict
// error naming the version (exit 2), and the repository verifies. On a
// local repository and on one in S3.
func TestConcurrentCommits(t *testing.T) { forEachRepo(t, testConcurrentCommits) }

func testConcurrentCommits(t *testing.T, repo testRepo) {
	const writers = 6
	dir := repo.dir
	repo.must(t, 0, "init")
	genParquet(t, filepath.Join(dir, "base.parquet"), 500, 100)
	repo.must(t, 0, "dataset", "commit", "events", "base.parquet", "-m", "base")
	cmds := make([]*exec.Cmd, writers)
	outs := make([]*bytes.Buffer, writers)
	for i := range cmds {
		name := fmt.Sprintf("snap-%d.parquet", i)
		genParquet(t, filepath.Join(dir, name), 1000, uint64(i+1))
		cmds[i] = repo.cmd("dataset", "commit", "events", name, "-m", "snapshot "+name)
		outs[i] = new(bytes.Buffer)
		cmds[i].Stdout, cmds[i].Stderr = outs[i], outs[i]
	}
	for _, cmd := range cmds {
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
	}
	won := map[int]string{}
	for i, cmd := range cmds {
		err := cmd.Wait()
		out := outs[i].String()
		if err == nil {
			var v int
			if _, err := fmt.Sscanf(out, "events@v%d:", &v); err != nil {
				t.Fatalf("writer %d printed %q", i, out)
			}
			if other, dup := won[v]; dup {
				t.Fatalf("writers %s and %d both got v%d", other, i, v)
			}
			won[v] = fmt.Sprint(i)
			continue
		}
		if cmd.ProcessState.ExitCode() != exitInput || !strings.Contains(out, "conflict: events@v") ||
			!strings.Contains(out, "was committed by another writer first") {
			t.Errorf("writer %d: %v\n%s\nwant success, or exit 2 with a conflict naming the version", i, err, out)
		}
	}
	if len(won) == 0 {
		t.Fatal("no writer won")
	}
	if log := datasetLog(t, repo, "events"); len(log.Versions) != 1+len(won) {
		t.Errorf("%d versions, want 1 + %d winners", len(log.Versions), len(won))
	}
	for v := range won {
		if m := show(t, repo, fmt.Sprintf("events@v%d", v)).Manifest; len(m.Files) != 1 || m.Rows != 1000 {
			t.Errorf("events@v%d: %d files, %d rows; want one file of 1,000 rows", v, len(m.Files), m.Rows)
		}
	}
	t.Logf("%d of %d writers won a version", len(won), writers)
	verifyClean(t, repo)
}

// TestInterruptedCommit interrupts commits (SIGINT, as Ctrl-C does) at
// random moments: the commit stops with exit code 130 and leaves the head
// where it was, no temp files, and a repository that verifies; or it had
// finished.
func TestInterruptedCommit(t *testing.T) {
	if testing.Short() {
		t.Skip("commits 300,000-row files 8 times")
	}
	const (
		rows   = 300_000
		rounds = 8
	)
	dir := t.TempDir()
	local := localRepo(dir)
	mustAssay(t, 0, dir, "init")
	genParquet(t, filepath.Join(dir, "big-0.parquet"), rows, 2000)
	start := time.Now()
	mustAssay(t, 0, dir, "dataset", "commit", "big", "big-0.parquet", "-m", "round 0")
	span := time.Since(start) * 6 / 5
	seed := uint64(time.Now().UnixNano())
	rnd := rand.New(rand.NewPCG(seed, 3))
	t.Logf("random seed %d", seed)

	for round := 1; round <= rounds; round++ {
		before := show(t, local, "big").Manifest
		name := fmt.Sprintf("big-%d.parquet", round)
		path := filepath.Join(dir, name)
		genParquet(t, path, rows, uint64(2000+round))
		cmd := assayCmd(dir, "dataset", "commit", "big", name, "-m", fmt.Sprintf("round %d", round), "--append")
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		delay := time.Duration(rnd.Int64N(int64(span)))
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		timer := time.AfterFunc(delay, func() { cmd.Process.Signal(os.Interrupt) })
		err := cmd.Wait()
		timer.Stop()
		after := show(t, local, "big").Manifest
		switch code := cmd.ProcessState.ExitCode(); {
		case err == nil:
			if after.Version != before.Version+1 {
				t.Fatalf("round %d: the commit finished, but the head went from v%d to v%d", round, before.Version, after.Version)
			}
		case code == exitInterrupted:
			if after.Version != before.Version {
				t.Fatalf("round %d: interrupted after %v, but the head went from v%d to v%d", round, delay, before.Version, after.Version)
			}
			if got := out.String(); got != "assay: interrupted\n" {
				t.Errorf("round %d: interrupted: printed %q", round, got)
			}
		case code == -1:
			// The signal came before the program had installed its
			// handler, and killed it: nothing to check but the repository.
		default:
			t.Fatalf("round %d: interrupted after %v: %v\n%s", round, delay, err, out.String())
		}
		temps, err := os.ReadDir(filepath.Join(dir, ".assay", "tmp"))
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			t.Fatal(err)
		}
		if len(temps) > 0 && cmd.ProcessState.Exited() {
			t.Errorf("round %d: %d temp files left in the repository", round, len(temps))
		}
		verifyClean(t, local)
		if err := os.Remove(path); err != nil {
			t.Fatal(err)
		}
	}
}

// TestVerifyFindsFlippedByte flips one byte, at a random offset, of each
// object in turn: data files from CSV and from Parquet, and profiles.
// verify must exit 1 naming the object, and pass again once the byte is
// back.
func TestVerifyFindsFlippedByte(t *testing.T) {
	dir := t.TempDir()
	local := localRepo(dir)
	mustAssay(t, 0, dir, "init")
	if err := os.WriteFile(filepath.Join(dir, "plans.csv"), []byte("plan,price\nbasic,19.5\npro,49\nteam,\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	genParquet(t, filepath.Join(dir, "events.parquet"), 5000, 7)
	mustAssay(t, 0, dir, "dataset", "commit", "plans", "plans.csv", "-m", "plans")
	mustAssay(t, 0, dir, "dataset", "commit", "events", "events.parquet", "-m", "events")
	verifyClean(t, local)

	repo := filepath.Join(dir, ".assay")
	var objects []string
	err := filepath.WalkDir(filepath.Join(repo, "objects"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			objects = append(objects, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(objects) != 4 {
		t.Fatalf("%d objects, want 4 (two data files, two profiles)", len(objects))
	}

	seed := uint64(time.Now().UnixNano())
	rnd := rand.New(rand.NewPCG(seed, 2))
	t.Logf("random seed %d", seed)
	for _, obj := range objects {
		key, _ := filepath.Rel(repo, obj)
		key = filepath.ToSlash(key)
		t.Run(key[len(key)-12:], func(t *testing.T) {
			st, err := os.Stat(obj)
			if err != nil {
				t.Fatal(err)
			}
			off := rnd.Int64N(st.Size())
			if err := flipByte(obj, off); err != nil {
				t.Fatal(err)
			}
			r := mustAssay(t, 1, dir, "verify")
			want := "damaged: " + key + ": content does not match its name"
			if !strings.Contains(r.stdout, want) {
				t.Errorf("byte %d of %s flipped: verify said\n%s\nwant a line %q", off, key, r, want)
			}
			if !strings.Contains(r.stderr, "verify found") {
				t.Errorf("verify: stderr %q, want a summary", r.stderr)
			}
			if err := flipByte(obj, off); err != nil {
				t.Fatal(err)
			}
			verifyClean(t, local)
		})
	}
}
