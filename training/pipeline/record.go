package pipeline

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/dataset/store"
)

// A pipeline run of version N of dataset D is recorded under
// runs/pipeline/D/NNNNNN/ (see dataset/FORMAT.md):
//
//	lease/000001.json   claims of the run: the newest that has not expired holds it
//	result.json         the run's result, written once at its end
//
// Claims and results are put-if-absent, so two watchers never both run a
// version, and a version with a result is never run again.

// ErrTaken means another watcher holds the run, or it has a result.
var ErrTaken = errors.New("pipeline run taken")

// Lease is a claim on running the pipeline for one version.
type Lease struct {
	Format   int       `json:"format"`
	Dataset  string    `json:"dataset"`
	Version  int       `json:"version"`
	N        int       `json:"n"` // the claim's number in the lease log
	Owner    string    `json:"owner"`
	Acquired time.Time `json:"acquired"`
	Expires  time.Time `json:"expires"`
}

// Result is a finished pipeline run.
type Result struct {
	Format   int       `json:"format"`
	Dataset  string    `json:"dataset"`
	Version  int       `json:"version"`
	Status   string    `json:"status"` // passed, failed, skipped
	Reason   string    `json:"reason,omitempty"`
	Steps    []Step    `json:"steps"`
	Owner    string    `json:"owner,omitempty"`
	Started  time.Time `json:"started"`
	Finished time.Time `json:"finished"`
}

// Step is one step's result.
type Step struct {
	Step string `json:"step"`
	// Status is ok, failed, refused (a gate said no) or skipped.
	Status  string            `json:"status"`
	Detail  string            `json:"detail,omitempty"`
	Seconds float64           `json:"seconds"`
	Outputs map[string]string `json:"outputs,omitempty"` // run ids, model versions, reports
}

func runPrefix(ds string, version int) string {
	return fmt.Sprintf("runs/pipeline/%s/%06d/", ds, version)
}

// Claim takes the lease on running the pipeline for a version, for ttl.
// It fails with ErrTaken when the version has a result or another
// owner's lease has not expired; of two watchers claiming at once, one
// gets the lease.
func Claim(ctx context.Context, repo *dataset.Repo, ds string, version int, owner string, ttl time.Duration) (*Lease, error) {
	if r, err := LoadResult(ctx, repo, ds, version); err != nil {
		return nil, err
	} else if r != nil {
		return nil, fmt.Errorf("%w: %s@v%d already ran (%s)", ErrTaken, ds, version, r.Status)
	}
	prefix := runPrefix(ds, version) + "lease/"
	last, n, err := lastLease(ctx, repo, prefix)
	if err != nil {
		return nil, err
	}
	now := time.Now().UTC()
	if last != nil && now.Before(last.Expires) && last.Owner != owner {
		return nil, fmt.Errorf("%w: %s@v%d is being run by %s until %s", ErrTaken, ds, version, last.Owner, last.Expires.Format(time.RFC3339))
	}
	l := &Lease{Format: 1, Dataset: ds, Version: version, N: n + 1, Owner: owner, Acquired: now, Expires: now.Add(ttl)}
	data, _ := json.Marshal(l)
	err = repo.Store().PutIfAbsent(ctx, fmt.Sprintf("%s%06d.json", prefix, l.N), bytes.NewReader(data))
	if errors.Is(err, store.ErrExists) {
		return nil, fmt.Errorf("%w: %s@v%d was claimed by another watcher at the same time", ErrTaken, ds, version)
	}
	if err != nil {
		return nil, err
	}
	return l, nil
}

// lastLease returns the newest claim under prefix and its number.
func lastLease(ctx context.Context, repo *dataset.Repo, prefix string) (*Lease, int, error) {
	entries, err := repo.Store().List(ctx, prefix)
	if err != nil {
		return nil, 0, err
	}
	n, key := 0, ""
	for _, e := range entries {
		base, ok := strings.CutSuffix(strings.TrimPrefix(e.Key, prefix), ".json")
		if k, err := strconv.Atoi(base); ok && err == nil && k > n {
			n, key = k, e.Key
		}
	}
	if key == "" {
		return nil, 0, nil
	}
	var l Lease
	if err := readJSON(ctx, repo, key, &l); err != nil {
		return nil, 0, err
	}
	return &l, n, nil
}

// SaveResult records a run's result; a version has one.
func SaveResult(ctx context.Context, repo *dataset.Repo, r *Result) error {
	r.Format = 1
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	err = repo.Store().PutIfAbsent(ctx, runPrefix(r.Dataset, r.Version)+"result.json", bytes.NewReader(data))
	if errors.Is(err, store.ErrExists) {
		return fmt.Errorf("%w: %s@v%d has a result already", ErrTaken, r.Dataset, r.Version)
	}
	return err
}

// LoadResult returns the result of a version's run, or nil.
func LoadResult(ctx context.Context, repo *dataset.Repo, ds string, version int) (*Result, error) {
	var r Result
	err := readJSON(ctx, repo, runPrefix(ds, version)+"result.json", &r)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &r, nil
}

// Results returns the results of a dataset's runs, by version.
func Results(ctx context.Context, repo *dataset.Repo, ds string) ([]*Result, error) {
	prefix := "runs/pipeline/" + ds + "/"
	entries, err := repo.Store().List(ctx, prefix)
	if err != nil {
		return nil, err
	}
	var out []*Result
	for _, e := range entries {
		if !strings.HasSuffix(e.Key, "/result.json") {
			continue
		}
		var r Result
		if err := readJSON(ctx, repo, e.Key, &r); err != nil {
			return nil, err
		}
		out = append(out, &r)
	}
	return out, nil
}

func readJSON(ctx context.Context, repo *dataset.Repo, key string, v any) error {
	b, err := repo.Store().Open(ctx, key)
	if err != nil {
		return err
	}
	defer b.Close()
	data, err := io.ReadAll(io.NewSectionReader(b, 0, b.Size()))
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%w: %s: %v", dataset.ErrCorrupt, key, err)
	}
	return nil
}
