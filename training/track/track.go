// Package track stores training runs and the model registry in an assay
// repository, as immutable blobs written with put-if-absent (see
// dataset/FORMAT.md, "Training runs and models").
//
// Glossary:
//
//   - Run: one training (or tuning trial, or ensemble), recorded with its
//     parameters, data, metrics, the model's signature and its files.
//     A run is published by its run.json, written after its files.
//   - Model: a registered name; its versions each point at a run.
//   - Tag: a key and value on a model version (gate results, notes); the
//     newest entry for a key wins, and older ones stay in the log.
//   - Alias: a name (champion, challenger, any) for one version of a
//     model; moving it is one put of the next entry of its log, so it is
//     atomic, and two writers moving it at once cannot both succeed.
package track

import (
	"bytes"
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/assayhq/assay/dataset/profile"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/dataset/store"
)

// FormatVersion is the version of the records this package writes.
const FormatVersion = 1

// Run is a training run as stored in runs/train/ID/run.json.
type Run struct {
	Format  int    `json:"format"`
	ID      string `json:"id"`
	Kind    string `json:"kind"`            // train, trial or ensemble
	Study   string `json:"study,omitempty"` // the tuning study of a trial
	Trainer string `json:"trainer"`         // gbdt, logistic, linear, external
	// Params are the trainer's parameters, as given and defaulted.
	Params map[string]any `json:"params,omitempty"`
	// Data says what the run trained on.
	Data Data `json:"data"`
	// Metrics are the run's evaluation, in the shape its trainer wrote
	// (per split, per fold, per group); Summary flattens the numbers to
	// dotted names ("test.roc_auc", "test.by.gender=Female.accuracy")
	// for comparisons and gates.
	Metrics json.RawMessage `json:"metrics,omitempty"`
	Summary Summary         `json:"summary,omitempty"`
	// Signature is the model's input schema (training/frame.Schema).
	Signature json.RawMessage `json:"signature,omitempty"`
	// Files are the run's blobs: the model first.
	Files    []File    `json:"files"`
	Started  time.Time `json:"started"`
	Finished time.Time `json:"finished"`
	Author   string    `json:"author,omitempty"`
}

// Data describes a run's training data.
type Data struct {
	Source  string `json:"source"`            // churn@v3 or a path
	Dataset string `json:"dataset,omitempty"` // for a repository version
	Version int    `json:"version,omitempty"`
	Rows    int    `json:"rows"`
	Target  string `json:"target"`
	// Lineage is a feature-store training set's lineage, when the data
	// was one.
	Lineage json.RawMessage `json:"lineage,omitempty"`
	// Checks is the newest stored check run of that dataset version.
	Checks *Checks `json:"checks,omitempty"`
}

// Checks summarises the check results of a run's data.
type Checks struct {
	Rules   string    `json:"rules"`
	Success bool      `json:"success"`
	Failed  []string  `json:"failed,omitempty"`
	Time    time.Time `json:"time"`
}

// File is one blob of a run.
type File struct {
	Name string `json:"name"`
	Size int64  `json:"size"`
}

// ModelFile is the name of a run's model blob.
const ModelFile = "model.bin"

// NewRunID returns a run id that sorts by time: 20261126T030405Z-a1b2c3.
func NewRunID(t time.Time) string {
	var b [3]byte
	rand.Read(b[:])
	return t.UTC().Format("20060102T150405Z") + "-" + hex.EncodeToString(b[:])
}

var runIDRE = regexp.MustCompile(`^[0-9]{8}T[0-9]{6}Z-[0-9a-f]{6}$`)

func runPrefix(id string) string { return "runs/train/" + id + "/" }

// SaveRun stores a run: its files first, then run.json, which publishes
// it. files maps names to contents; run.Files is filled from them, the
// model first.
func SaveRun(ctx context.Context, repo *dataset.Repo, run *Run, files map[string][]byte) error {
	if !runIDRE.MatchString(run.ID) {
		return fmt.Errorf("%w: bad run id %q", dataset.ErrInvalid, run.ID)
	}
	run.Format = FormatVersion
	run.Files = run.Files[:0]
	names := make([]string, 0, len(files))
	for name := range files {
		if name == "run.json" || name == "" || strings.ContainsAny(name, "/\\") || strings.HasPrefix(name, ".") {
			return fmt.Errorf("%w: bad run file name %q", dataset.ErrInvalid, name)
		}
		names = append(names, name)
	}
	sortModelFirst(names)
	for _, name := range names {
		data := files[name]
		if err := put(ctx, repo, runPrefix(run.ID)+name, data); err != nil {
			return fmt.Errorf("save run %s: %w", run.ID, err)
		}
		run.Files = append(run.Files, File{Name: name, Size: int64(len(data))})
	}
	js, err := json.MarshalIndent(run, "", "  ")
	if err != nil {
		return err
	}
	if err := put(ctx, repo, runPrefix(run.ID)+"run.json", js); err != nil {
		return fmt.Errorf("save run %s: %w", run.ID, err)
	}
	return nil
}

// sortModelFirst sorts file names, the model first.
func sortModelFirst(names []string) {
	rank := func(s string) int {
		if s == ModelFile {
			return 0
		}
		return 1
	}
	slices.SortFunc(names, func(a, b string) int {
		return cmp.Or(cmp.Compare(rank(a), rank(b)), cmp.Compare(a, b))
	})
}

// LoadRun reads a run by id (or a unique prefix of one).
func LoadRun(ctx context.Context, repo *dataset.Repo, id string) (*Run, error) {
	if !runIDRE.MatchString(id) {
		ids, err := RunIDs(ctx, repo)
		if err != nil {
			return nil, err
		}
		var match []string
		for _, x := range ids {
			if strings.HasPrefix(x, id) || strings.HasSuffix(x, id) {
				match = append(match, x)
			}
		}
		switch {
		case id == "" || len(match) == 0:
			return nil, fmt.Errorf("%w: no run %q", dataset.ErrNotFound, id)
		case len(match) > 1:
			return nil, fmt.Errorf("%w: run %q is ambiguous: %s", dataset.ErrInvalid, id, strings.Join(match, ", "))
		}
		id = match[0]
	}
	data, err := read(ctx, repo, runPrefix(id)+"run.json")
	if errors.Is(err, dataset.ErrNotFound) {
		return nil, fmt.Errorf("%w: no run %s", dataset.ErrNotFound, id)
	}
	if err != nil {
		return nil, err
	}
	var run Run
	if err := json.Unmarshal(data, &run); err != nil || run.ID != id {
		return nil, fmt.Errorf("%w: run %s: bad run.json", dataset.ErrCorrupt, id)
	}
	if run.Format != FormatVersion {
		return nil, fmt.Errorf("%w: run %s has format %d, this assay reads %d", dataset.ErrInvalid, id, run.Format, FormatVersion)
	}
	return &run, nil
}

// RunIDs lists the published runs, oldest first.
func RunIDs(ctx context.Context, repo *dataset.Repo) ([]string, error) {
	entries, err := repo.Store().List(ctx, "runs/train/")
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		id, rest, ok := strings.Cut(strings.TrimPrefix(e.Key, "runs/train/"), "/")
		if ok && rest == "run.json" && runIDRE.MatchString(id) {
			out = append(out, id)
		}
	}
	return out, nil
}

// ReadFile returns one of a run's files.
func ReadFile(ctx context.Context, repo *dataset.Repo, id, name string) ([]byte, error) {
	return read(ctx, repo, runPrefix(id)+name)
}

// put writes a blob with put-if-absent.
func put(ctx context.Context, repo *dataset.Repo, key string, data []byte) error {
	return repo.Store().PutIfAbsent(ctx, key, bytes.NewReader(data))
}

// read returns a whole blob; a missing one is dataset.ErrNotFound.
func read(ctx context.Context, repo *dataset.Repo, key string) ([]byte, error) {
	b, err := repo.Store().Open(ctx, key)
	if errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("%w: %s", dataset.ErrNotFound, key)
	}
	if err != nil {
		return nil, err
	}
	defer b.Close()
	return io.ReadAll(io.NewSectionReader(b, 0, b.Size()))
}

// logNext returns the number after the highest NNNNNN.json under prefix.
func logNext(ctx context.Context, repo *dataset.Repo, prefix string) (int, []string, error) {
	entries, err := repo.Store().List(ctx, prefix)
	if err != nil {
		return 0, nil, err
	}
	var keys []string
	n := 0
	for _, e := range entries {
		base, ok := strings.CutSuffix(strings.TrimPrefix(e.Key, prefix), ".json")
		if k, err := strconv.Atoi(base); ok && err == nil && k > 0 && !strings.Contains(base, "/") {
			keys = append(keys, e.Key)
			n = max(n, k)
		}
	}
	return n + 1, keys, nil
}

// Summary is a run's metrics by dotted name. In JSON a NaN or infinite
// value is the string "NaN", "Infinity" or "-Infinity" (the repository's
// convention), so undefined metrics survive.
type Summary map[string]float64

// MarshalJSON writes the summary with names sorted.
func (s Summary) MarshalJSON() ([]byte, error) {
	m := make(map[string]profile.Float, len(s))
	for k, v := range s {
		m[k] = profile.Float(v)
	}
	return json.Marshal(m)
}

// UnmarshalJSON reads what MarshalJSON writes.
func (s *Summary) UnmarshalJSON(data []byte) error {
	var m map[string]profile.Float
	if err := json.Unmarshal(data, &m); err != nil {
		return err
	}
	out := make(Summary, len(m))
	for k, v := range m {
		out[k] = float64(v)
	}
	*s = out
	return nil
}
