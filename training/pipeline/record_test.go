package pipeline

import (
	"context"
	"errors"
	"path/filepath"
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

func TestLeaseAndResult(t *testing.T) {
	ctx := context.Background()
	repo := testRepo(t)
	l, err := Claim(ctx, repo, "churn", 3, "watcher-a", time.Hour)
	if err != nil || l.N != 1 {
		t.Fatalf("got %+v, %v", l, err)
	}
	// Another watcher is refused while the lease holds; the owner may renew.
	if _, err := Claim(ctx, repo, "churn", 3, "watcher-b", time.Hour); !errors.Is(err, ErrTaken) {
		t.Errorf("second watcher: %v", err)
	}
	if l2, err := Claim(ctx, repo, "churn", 3, "watcher-a", time.Hour); err != nil || l2.N != 2 {
		t.Errorf("renewal: %+v %v", l2, err)
	}
	// An expired lease (a watcher that died) can be taken over.
	if _, err := Claim(ctx, repo, "churn", 4, "dead", -time.Second); err != nil {
		t.Fatal(err)
	}
	if l3, err := Claim(ctx, repo, "churn", 4, "watcher-b", time.Hour); err != nil || l3.N != 2 {
		t.Errorf("take over an expired lease: %+v %v", l3, err)
	}
	// A result ends the version for good.
	res := &Result{Dataset: "churn", Version: 3, Status: "passed", Steps: []Step{{Step: "checks", Status: "ok"}}, Owner: "watcher-a"}
	if err := SaveResult(ctx, repo, res); err != nil {
		t.Fatal(err)
	}
	if err := SaveResult(ctx, repo, res); !errors.Is(err, ErrTaken) {
		t.Errorf("second result: %v", err)
	}
	if _, err := Claim(ctx, repo, "churn", 3, "watcher-a", time.Hour); !errors.Is(err, ErrTaken) {
		t.Errorf("claim after the result: %v", err)
	}
	got, err := LoadResult(ctx, repo, "churn", 3)
	if err != nil || got.Status != "passed" || got.Steps[0].Step != "checks" {
		t.Errorf("got %+v %v", got, err)
	}
	if none, err := LoadResult(ctx, repo, "churn", 9); err != nil || none != nil {
		t.Errorf("no result: %+v %v", none, err)
	}
	all, err := Results(ctx, repo, "churn")
	if err != nil || len(all) != 1 {
		t.Errorf("results: %d %v", len(all), err)
	}
}

// TestClaimRace claims one version from many watchers at once: exactly
// one gets it.
func TestClaimRace(t *testing.T) {
	ctx := context.Background()
	repo := testRepo(t)
	var wg sync.WaitGroup
	var mu sync.Mutex
	won := 0
	for i := range 8 {
		wg.Go(func() {
			_, err := Claim(ctx, repo, "churn", 1, "w"+string(rune('a'+i)), time.Hour)
			switch {
			case err == nil:
				mu.Lock()
				won++
				mu.Unlock()
			case !errors.Is(err, ErrTaken):
				t.Errorf("watcher %d: %v", i, err)
			}
		})
	}
	wg.Wait()
	if won != 1 {
		t.Errorf("%d watchers got the lease, want 1", won)
	}
}
