package main

// End-to-end tests of the assay command. The scripts under testdata/script
// are testscript sessions (see github.com/rogpeppe/go-internal/testscript):
// "exec assay …" runs this test binary as the assay program, in a separate
// process, exactly as a user's shell would. The commands below help the
// scripts set up data and look at the results.

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/dataset/datagen"
	"github.com/assayhq/assay/examples/churn"
	"github.com/assayhq/assay/featurestore/online/onlinetest"
)

// statusEnv names the file in which the assay program of the scripts
// records its exit code, for the script command status.
const statusEnv = "ASSAY_TEST_STATUS_FILE"

// testAuthor is the author of every commit the tests make.
const testAuthor = "tester@example.com"

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"assay": assayMain,
	})
}

// assayMain is the assay program of the tests: run, and the exit code
// recorded where statusEnv says.
func assayMain() {
	code := run()
	if f := os.Getenv(statusEnv); f != "" {
		if err := os.WriteFile(f, []byte(strconv.Itoa(code)), 0o644); err != nil {
			fmt.Fprintf(os.Stderr, "assay test: record exit code: %v\n", err)
			os.Exit(99)
		}
	}
	os.Exit(code)
}

func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		Setup:               setupScript,
		Cmds:                scriptCmds,
		Condition:           scriptCondition,
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
	})
}

func setupScript(env *testscript.Env) error {
	// The scripts about paths without a repository rely on there being
	// none above the work directory.
	if dir, err := dataset.Find(env.WorkDir); err == nil {
		return fmt.Errorf("a repository at %s lies above the script's work directory %s; move it or set GOTMPDIR", dir, env.WorkDir)
	}
	env.Setenv("ASSAY_AUTHOR", testAuthor)
	statusDir, err := os.MkdirTemp("", "assay-status-")
	if err != nil {
		return err
	}
	env.Defer(func() { os.RemoveAll(statusDir) })
	env.Setenv(statusEnv, filepath.Join(statusDir, "status"))
	return nil
}

// scriptCondition answers the scripts' own conditions:
//
//	[chmod-denies-writes]  removing write permission stops this user from
//	                       writing (false for root, who writes anyway)
//	[redis]                redis-server is installed, or ASSAY_REQUIRE_REDIS=1
//	                       (.ci/run) makes a missing one a failure
func scriptCondition(cond string) (bool, error) {
	switch cond {
	case "chmod-denies-writes":
		return chmodDeniesWrites()
	case "redis":
		_, err := exec.LookPath("redis-server")
		return err == nil || os.Getenv("ASSAY_REQUIRE_REDIS") == "1", nil
	}
	return false, fmt.Errorf("unknown condition %q", cond)
}

func chmodDeniesWrites() (bool, error) {
	dir, err := os.MkdirTemp("", "assay-perm-")
	if err != nil {
		return false, err
	}
	defer os.RemoveAll(dir)
	if err := os.Chmod(dir, 0o555); err != nil {
		return false, err
	}
	defer os.Chmod(dir, 0o755)
	f, err := os.Create(filepath.Join(dir, "probe"))
	if err == nil {
		f.Close()
		return false, nil
	}
	return true, nil
}

var scriptCmds = map[string]func(ts *testscript.TestScript, neg bool, args []string){
	"status":      cmdStatus,
	"gen-parquet": cmdGenParquet,
	"truncate":    cmdTruncate,
	"flipbyte":    cmdFlipByte,
	"snapshot":    cmdSnapshot,
	"jsonvar":     cmdJSONVar,
	"objpath":     cmdObjPath,
	"put-object":  cmdPutObject,
	"readonly":    cmdReadonly,
	"webhook":     cmdWebhook,
	"redis-start": cmdRedisStart,
	"gen-churn":   cmdGenChurn,

	// For the check scripts (check_*.txtar); see the end of this file.
	"jsonis": cmdJSONIs,
}

// status CODE: the last assay command exited with CODE (0 ok, 1 quality
// failure, 2 input error).
func cmdStatus(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: status CODE")
	}
	want, err := strconv.Atoi(args[0])
	ts.Check(err)
	file := ts.Getenv(statusEnv)
	data, err := os.ReadFile(file)
	if errors.Is(err, fs.ErrNotExist) {
		ts.Fatalf("status: no assay command ran since the last status check")
	}
	ts.Check(err)
	ts.Check(os.Remove(file))
	got, err := strconv.Atoi(string(data))
	ts.Check(err)
	if got != want {
		ts.Fatalf("assay exited with %d, want %d", got, want)
	}
}

// gen-parquet ROWS FILE [SEED]: write ROWS rows of the synthetic customers
// data (dataset/datagen) as Parquet, in row groups of 1,000 rows.
func cmdGenParquet(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 || len(args) > 3 {
		ts.Fatalf("usage: gen-parquet ROWS FILE [SEED]")
	}
	rows, err := strconv.ParseInt(args[0], 10, 64)
	ts.Check(err)
	seed := uint64(42)
	if len(args) == 3 {
		seed, err = strconv.ParseUint(args[2], 10, 64)
		ts.Check(err)
	}
	ts.Check(writeParquet(ts.MkAbs(args[1]), datagen.Options{Rows: rows, RowGroupRows: 1000, Seed: seed}))
}

func writeParquet(path string, opts datagen.Options) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := datagen.Write(context.Background(), f, opts); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// truncate FILE SIZE: cut FILE to SIZE bytes.
func cmdTruncate(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: truncate FILE SIZE")
	}
	size, err := strconv.ParseInt(args[1], 10, 64)
	ts.Check(err)
	ts.Check(os.Truncate(ts.MkAbs(args[0]), size))
}

// flipbyte FILE [OFFSET]: invert the bits of one byte of FILE (default: the
// middle one), even if FILE is read-only, as the repository's objects are.
func cmdFlipByte(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 1 || len(args) > 2 {
		ts.Fatalf("usage: flipbyte FILE [OFFSET]")
	}
	off := int64(-1)
	if len(args) == 2 {
		var err error
		off, err = strconv.ParseInt(args[1], 10, 64)
		ts.Check(err)
	}
	ts.Check(flipByte(ts.MkAbs(args[0]), off))
}

// flipByte inverts the byte at off (negative: the middle byte) of a file,
// keeping its mode.
func flipByte(path string, off int64) error {
	st, err := os.Stat(path)
	if err != nil {
		return err
	}
	if off < 0 {
		off = st.Size() / 2
	}
	if off >= st.Size() {
		return fmt.Errorf("flipbyte: %s has %d bytes, no offset %d", path, st.Size(), off)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		return err
	}
	defer os.Chmod(path, st.Mode().Perm())
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	b := make([]byte, 1)
	if _, err := f.ReadAt(b, off); err != nil {
		f.Close()
		return err
	}
	b[0] ^= 0xff
	if _, err := f.WriteAt(b, off); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// snapshot DIR FILE: write to FILE a listing of everything under DIR:
// each directory, and each file with its mode, size and SHA-256. Two equal
// snapshots mean nothing in DIR changed.
func cmdSnapshot(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: snapshot DIR FILE")
	}
	listing, err := snapshot(ts.MkAbs(args[0]))
	ts.Check(err)
	ts.Check(os.WriteFile(ts.MkAbs(args[1]), []byte(listing), 0o644))
}

func snapshot(root string) (string, error) {
	var b strings.Builder
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if d.IsDir() {
			fmt.Fprintf(&b, "%s/ %v\n", filepath.ToSlash(rel), info.Mode())
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "%s %v %d %x\n", filepath.ToSlash(rel), info.Mode(), len(data), sha256.Sum256(data))
		return nil
	})
	return b.String(), err
}

// jsonvar VAR PATH: set the environment variable VAR to the value at PATH
// in the JSON the last command printed. PATH is dot-separated keys and
// array indexes, such as manifest.files.0.object.
func cmdJSONVar(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: jsonvar VAR PATH")
	}
	v, err := jsonPath([]byte(ts.ReadFile("stdout")), args[1])
	ts.Check(err)
	ts.Setenv(args[0], v)
}

// jsonPath returns the value at a dot-separated path in a JSON document:
// strings as they are, other values as JSON.
func jsonPath(doc []byte, path string) (string, error) {
	var v any
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return "", fmt.Errorf("jsonvar: %v", err)
	}
	for _, k := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			var ok bool
			if v, ok = x[k]; !ok {
				return "", fmt.Errorf("jsonvar: %s: no key %q", path, k)
			}
		case []any:
			i, err := strconv.Atoi(k)
			if err != nil || i < 0 || i >= len(x) {
				return "", fmt.Errorf("jsonvar: %s: no index %q in an array of %d", path, k, len(x))
			}
			v = x[i]
		default:
			return "", fmt.Errorf("jsonvar: %s: %q is inside a %T", path, k, v)
		}
	}
	if s, ok := v.(string); ok {
		return s, nil
	}
	out, err := json.Marshal(v)
	return string(out), err
}

// objpath VAR [REPO] ID: set VAR to the file that holds object ID
// ("sha256:…") in the repository directory REPO; without REPO, to the
// object's key in the repository, as verify names it.
func cmdObjPath(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 || len(args) > 3 {
		ts.Fatalf("usage: objpath VAR [REPO] ID")
	}
	if len(args) == 2 {
		p, err := objectPath("", args[1])
		ts.Check(err)
		ts.Setenv(args[0], filepath.ToSlash(p))
		return
	}
	p, err := objectPath(args[1], args[2])
	ts.Check(err)
	ts.Setenv(args[0], p)
}

func objectPath(repo, id string) (string, error) {
	hex, ok := strings.CutPrefix(id, "sha256:")
	if !ok || len(hex) != 64 {
		return "", fmt.Errorf("objpath: bad object id %q", id)
	}
	return filepath.Join(repo, "objects", "sha256", hex[:2], hex[2:]), nil
}

// put-object REPO FILE: store FILE's content in the repository directory
// REPO as an object no version references, as a commit that was
// interrupted after writing its data leaves behind; print its id.
func cmdPutObject(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: put-object REPO FILE")
	}
	data, err := os.ReadFile(ts.MkAbs(args[1]))
	ts.Check(err)
	id := fmt.Sprintf("sha256:%x", sha256.Sum256(data))
	p, err := objectPath(ts.MkAbs(args[0]), id)
	ts.Check(err)
	ts.Check(os.MkdirAll(filepath.Dir(p), 0o755))
	ts.Check(os.WriteFile(p, data, 0o444))
	fmt.Fprintln(ts.Stdout(), id)
}

// readonly DIR: remove the write permission of DIR and everything in it.
// It is given back at the end of the script, so that the work directory
// can be removed.
func cmdReadonly(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: readonly DIR")
	}
	root := ts.MkAbs(args[0])
	var dirs []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			dirs = append(dirs, p)
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		return os.Chmod(p, info.Mode().Perm()&^0o222)
	})
	ts.Defer(func() {
		for _, d := range slices.Backward(dirs) {
			os.Chmod(d, 0o755)
		}
	})
	ts.Check(err)
}

// ---- Helpers for the check scripts (check_*.txtar) ----

// jsonis PATH [WANT]: the value at PATH in the JSON the last command
// printed is WANT: a string as it is, a number compared as a number (to
// 1e-12, relatively), anything else as compact JSON with sorted keys.
// Without WANT, PATH exists. With "!", the value is not WANT (or PATH
// does not exist).
//
// PATH is dot-separated keys and array indexes, as for jsonvar; in an
// array of objects, an element KEY=VALUE picks the first object whose KEY
// is VALUE: results.name=email unique.samples.0.row.
func cmdJSONIs(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) < 1 || len(args) > 2 {
		ts.Fatalf("usage: jsonis PATH [WANT]")
	}
	got, found, err := jsonSelect([]byte(ts.ReadFile("stdout")), args[0])
	ts.Check(err)
	if len(args) == 1 {
		switch {
		case found && neg:
			ts.Fatalf("jsonis: %s exists: %s", args[0], got)
		case !found && !neg:
			ts.Fatalf("jsonis: %s does not exist", args[0])
		}
		return
	}
	if !found {
		if !neg {
			ts.Fatalf("jsonis: %s does not exist", args[0])
		}
		return
	}
	if eq := jsonValueIs(got, args[1]); eq == neg {
		if neg {
			ts.Fatalf("jsonis: %s is %s", args[0], got)
		}
		ts.Fatalf("jsonis: %s is %s, want %s", args[0], got, args[1])
	}
}

// jsonSelect returns the value at path in doc, rendered as jsonis compares
// it, and whether there is one.
func jsonSelect(doc []byte, path string) (string, bool, error) {
	var v any
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return "", false, fmt.Errorf("jsonis: %v", err)
	}
	for _, k := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			var ok bool
			if v, ok = x[k]; !ok {
				return "", false, nil
			}
		case []any:
			if key, want, ok := strings.Cut(k, "="); ok {
				v = nil
				for _, e := range x {
					if o, isObj := e.(map[string]any); isObj && jsonText(o[key]) == want {
						v = e
						break
					}
				}
				if v == nil {
					return "", false, nil
				}
				continue
			}
			i, err := strconv.Atoi(k)
			if err != nil {
				return "", false, fmt.Errorf("jsonis: %s: %q is not an index or KEY=VALUE", path, k)
			}
			if i < 0 || i >= len(x) {
				return "", false, nil
			}
			v = x[i]
		default:
			return "", false, fmt.Errorf("jsonis: %s: %q is inside a %T", path, k, v)
		}
	}
	return jsonText(v), true, nil
}

// jsonText renders a decoded JSON value: a string as it is, anything else
// as compact JSON (object keys sorted).
func jsonText(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	out, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%v", v)
	}
	return string(out)
}

// jsonValueIs compares a rendered value with the wanted text: as numbers
// when both are numbers, else as text.
func jsonValueIs(got, want string) bool {
	if got == want {
		return true
	}
	g, err1 := strconv.ParseFloat(got, 64)
	w, err2 := strconv.ParseFloat(want, 64)
	if err1 != nil || err2 != nil {
		return false
	}
	return math.Abs(g-w) <= 1e-12*math.Max(math.Abs(g), math.Abs(w))
}

// webhook VAR DIR [FILE...]: start an HTTP server on loopback that saves
// the body of each POST as DIR/N.json (N from 1), set VAR to its URL, and
// write the URL in place of "$VAR" in each FILE. It stops at the end of
// the script.
func cmdWebhook(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: webhook VAR DIR [FILE...]")
	}
	dir := ts.MkAbs(args[1])
	ts.Check(os.MkdirAll(dir, 0o755))
	var mu sync.Mutex
	n := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil || r.Method != http.MethodPost {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		mu.Lock()
		n++
		name := filepath.Join(dir, strconv.Itoa(n)+".json")
		mu.Unlock()
		if err := os.WriteFile(name, body, 0o644); err != nil {
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	ts.Defer(srv.Close)
	ts.Setenv(args[0], srv.URL)
	for _, f := range args[2:] {
		path := ts.MkAbs(f)
		data, err := os.ReadFile(path)
		ts.Check(err)
		ts.Check(os.WriteFile(path, bytes.ReplaceAll(data, []byte("$"+args[0]), []byte(srv.URL)), 0o644))
	}
}

// redis-start [FILE...]: start a redis-server on loopback for the rest
// of the script, set $REDIS_URL to redis://ADDR/0, and write that URL in
// place of "$REDIS_URL" in each FILE. Scripts guard it with [redis] (see
// scriptCondition).
func cmdRedisStart(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("usage: redis-start [FILE...]")
	}
	srv, err := onlinetest.StartRedisServer()
	ts.Check(err)
	ts.Defer(srv.Stop)
	url := "redis://" + srv.Addr + "/0"
	ts.Setenv("REDIS_URL", url)
	for _, f := range args {
		path := ts.MkAbs(f)
		data, err := os.ReadFile(path)
		ts.Check(err)
		ts.Check(os.WriteFile(path, bytes.ReplaceAll(data, []byte("$REDIS_URL"), []byte(url)), 0o644))
	}
}

// gen-churn FILE N: write the header and the first N rows of the built-in
// Telco churn CSV.
func cmdGenChurn(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: gen-churn FILE N")
	}
	n, err := strconv.Atoi(args[1])
	ts.Check(err)
	lines := bytes.SplitAfterN(churn.CSV, []byte("\n"), n+2)
	ts.Check(os.WriteFile(ts.MkAbs(args[0]), bytes.Join(lines[:min(n+1, len(lines))], nil), 0o644))
}
