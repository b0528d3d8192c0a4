package track

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/assayhq/assay/dataset"
)

func testRepo(t *testing.T) *dataset.Repo {
	t.Helper()
	repo, err := dataset.InitDir(context.Background(), filepath.Join(t.TempDir(), ".assay"))
	if err != nil {
		t.Fatal(err)
	}
	return repo
}

func saveRun(t *testing.T, repo *dataset.Repo, at time.Time, auc float64) *Run {
	t.Helper()
	run := &Run{ID: NewRunID(at), Kind: "train", Trainer: "gbdt", Params: map[string]any{"max_iter": 100},
		Data:    Data{Source: "churn@v1", Dataset: "churn", Version: 1, Rows: 7043, Target: "Churn"},
		Summary: map[string]float64{"test.roc_auc": auc}, Signature: []byte(`{"features":[]}`), Started: at, Finished: at.Add(time.Second)}
	if err := SaveRun(context.Background(), repo, run, map[string][]byte{"report.html": []byte("<html>"), ModelFile: []byte("model")}); err != nil {
		t.Fatal(err)
	}
	return run
}

func TestRuns(t *testing.T) {
	ctx := context.Background()
	repo := testRepo(t)
	t0 := time.Date(2026, 11, 26, 3, 4, 5, 0, time.UTC)
	a := saveRun(t, repo, t0, 0.84)
	b := saveRun(t, repo, t0.Add(time.Hour), 0.85)
	if !strings.HasPrefix(a.ID, "20261126T030405Z-") || a.Files[0].Name != ModelFile || a.Files[1].Name != "report.html" {
		t.Fatalf("got %s %+v", a.ID, a.Files)
	}
	ids, err := RunIDs(ctx, repo)
	if err != nil || len(ids) != 2 || ids[0] != a.ID || ids[1] != b.ID {
		t.Fatalf("got %v %v", ids, err)
	}
	got, err := LoadRun(ctx, repo, b.ID[len(b.ID)-6:]) // by its random suffix
	if err != nil || got.ID != b.ID || got.Summary["test.roc_auc"] != 0.85 || got.Data.Rows != 7043 {
		t.Fatalf("got %+v %v", got, err)
	}
	if _, err := LoadRun(ctx, repo, "20261126"); !errors.Is(err, dataset.ErrInvalid) || !strings.Contains(err.Error(), "ambiguous") {
		t.Errorf("ambiguous prefix: got %v", err)
	}
	if _, err := LoadRun(ctx, repo, "nope"); !errors.Is(err, dataset.ErrNotFound) {
		t.Errorf("unknown run: got %v", err)
	}
	if data, err := ReadFile(ctx, repo, a.ID, ModelFile); err != nil || string(data) != "model" {
		t.Errorf("model: %q %v", data, err)
	}
	// A run is written once.
	if err := SaveRun(ctx, repo, a, map[string][]byte{ModelFile: []byte("other")}); err == nil {
		t.Error("saving a run twice: no error")
	}
	if err := SaveRun(ctx, repo, &Run{ID: NewRunID(t0)}, map[string][]byte{"../x": nil}); !errors.Is(err, dataset.ErrInvalid) {
		t.Errorf("bad file name: got %v", err)
	}
}

func TestRegistry(t *testing.T) {
	ctx := context.Background()
	repo := testRepo(t)
	t0 := time.Date(2026, 11, 26, 3, 4, 5, 0, time.UTC)
	a, b := saveRun(t, repo, t0, 0.84), saveRun(t, repo, t0.Add(time.Minute), 0.86)
	if _, err := Resolve(ctx, repo, "churn"); !errors.Is(err, dataset.ErrNotFound) || !strings.Contains(err.Error(), "no models yet") {
		t.Errorf("no models: got %v", err)
	}
	v1, err := Register(ctx, repo, "churn", a, "baseline", "ana")
	if err != nil || v1.Version != 1 || v1.Label() != "churn@v1" || v1.Summary["test.roc_auc"] != 0.84 {
		t.Fatalf("got %+v %v", v1, err)
	}
	v2, err := Register(ctx, repo, "churn", b, "", "ana")
	if err != nil || v2.Version != 2 {
		t.Fatalf("got %+v %v", v2, err)
	}
	if _, err := Register(ctx, repo, "v3", a, "", ""); !errors.Is(err, dataset.ErrInvalid) {
		t.Errorf("model named like a version: got %v", err)
	}
	names, _ := Models(ctx, repo)
	if len(names) != 1 || names[0] != "churn" {
		t.Errorf("models: %v", names)
	}
	for ref, want := range map[string]int{"churn": 2, "churn@v1": 1, "churn@2": 2} {
		if v, err := Resolve(ctx, repo, ref); err != nil || v.Version != want {
			t.Errorf("%s: got %+v %v, want v%d", ref, v, err, want)
		}
	}
	if _, err := Resolve(ctx, repo, "chrun@v1"); !errors.Is(err, dataset.ErrNotFound) || !strings.Contains(err.Error(), "did you mean churn?") {
		t.Errorf("unknown model: got %v", err)
	}
	if _, err := Resolve(ctx, repo, "churn@v9"); !errors.Is(err, dataset.ErrNotFound) || !strings.Contains(err.Error(), "no version 9") {
		t.Errorf("unknown version: got %v", err)
	}

	// Aliases move and can be removed.
	if err := SetAlias(ctx, repo, "churn", "champion", 1, "ana"); err != nil {
		t.Fatal(err)
	}
	if err := SetAlias(ctx, repo, "churn", "challenger", 2, "ana"); err != nil {
		t.Fatal(err)
	}
	if v, err := Resolve(ctx, repo, "churn@champion"); err != nil || v.Version != 1 {
		t.Errorf("champion: %+v %v", v, err)
	}
	if err := SetAlias(ctx, repo, "churn", "champion", 2, "bo"); err != nil {
		t.Fatal(err)
	}
	if err := SetAlias(ctx, repo, "churn", "challenger", 0, "bo"); err != nil {
		t.Fatal(err)
	}
	al, _ := Aliases(ctx, repo, "churn")
	if len(al) != 1 || al["champion"] != 2 {
		t.Errorf("aliases: %v", al)
	}
	if _, err := Resolve(ctx, repo, "churn@challenger"); !errors.Is(err, dataset.ErrNotFound) || !strings.Contains(err.Error(), "no alias challenger (aliases: champion)") {
		t.Errorf("removed alias: got %v", err)
	}
	if err := SetAlias(ctx, repo, "churn", "champion", 7, "bo"); !errors.Is(err, dataset.ErrNotFound) {
		t.Errorf("alias to a missing version: got %v", err)
	}

	// Tags: the newest value per key.
	if err := SetTag(ctx, repo, "churn", 2, "gate.auc", "passed", "ci"); err != nil {
		t.Fatal(err)
	}
	if err := SetTag(ctx, repo, "churn", 2, "gate.auc", "failed: 0.80 < 0.85", "ci"); err != nil {
		t.Fatal(err)
	}
	tags, err := Tags(ctx, repo, "churn", 2)
	if err != nil || len(tags) != 1 || tags["gate.auc"].Value != "failed: 0.80 < 0.85" {
		t.Errorf("tags: %+v %v", tags, err)
	}
	if vs, err := Versions(ctx, repo, "churn"); err != nil || len(vs) != 2 {
		t.Errorf("versions after tags: %d %v", len(vs), err)
	}
}

// TestAliasRace moves one alias from many writers at once: each move
// succeeds or is refused as a conflict, and the alias ends on a version
// one of the successful writers set.
func TestAliasRace(t *testing.T) {
	ctx := context.Background()
	repo := testRepo(t)
	run := saveRun(t, repo, time.Now(), 0.8)
	for range 4 {
		if _, err := Register(ctx, repo, "m", run, "", ""); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	won := map[int]bool{}
	for i := range 8 {
		wg.Go(func() {
			v := i%4 + 1
			err := SetAlias(ctx, repo, "m", "champion", v, "w")
			switch {
			case err == nil:
				mu.Lock()
				won[v] = true
				mu.Unlock()
			case !errors.Is(err, dataset.ErrConflict):
				t.Errorf("writer %d: %v", i, err)
			}
		})
	}
	wg.Wait()
	al, err := Aliases(ctx, repo, "m")
	if err != nil || len(won) == 0 || !won[al["champion"]] {
		t.Errorf("alias %v after winners %v (%v)", al, won, err)
	}
}

func TestSummaryJSON(t *testing.T) {
	s := Summary{"test.roc_auc": 0.84, "test.by.x=a.roc_auc": math.NaN(), "train.log_loss": math.Inf(1)}
	data, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	if string(data) != `{"test.by.x=a.roc_auc":"NaN","test.roc_auc":0.84,"train.log_loss":"Infinity"}` {
		t.Errorf("got %s", data)
	}
	var back Summary
	if err := json.Unmarshal(data, &back); err != nil || back["test.roc_auc"] != 0.84 || !math.IsNaN(back["test.by.x=a.roc_auc"]) || !math.IsInf(back["train.log_loss"], 1) {
		t.Errorf("got %v %v", back, err)
	}
	if err := json.Unmarshal([]byte(`{"a":"x"}`), &back); err == nil {
		t.Error("a string that is no number: no error")
	}
}
