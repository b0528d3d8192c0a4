package featurestore

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/dataset/store"
	"github.com/assayhq/assay/dataset/suggest"
	"github.com/assayhq/assay/featurestore/defs"
	"github.com/assayhq/assay/featurestore/online"
)

// MaterializeOptions say which views to materialize, over which window,
// and where to.
type MaterializeOptions struct {
	Registry        *defs.Registry
	RegistryVersion int      // recorded in each run; 0 for definitions not stored
	Views           []string // the views to materialize; nil means all
	// Window is the event-time range to read. With Incremental, only its
	// End counts: each view starts just after the end of its last
	// published run into the same store or, the first time, at End − TTL
	// (from the beginning for a view without TTL), as Feast does.
	Window      Window
	Incremental bool
	Store       online.Store
	// StoreID names the store in the runs, so that incremental runs into
	// another store start over.
	StoreID string
	// Validate, when set, checks each batch before it is published.
	Validate func(ctx context.Context, b *Batch) (*Validation, error)
	// Warn publishes a batch that fails validation; by default it is not
	// published.
	Warn bool
	// Repo records the runs; nil records nothing (and Incremental then
	// starts every view afresh).
	Repo    *dataset.Repo
	Author  string
	Workers int
	// Progress, when set, is told when each view starts.
	Progress func(view string)
}

// Validation is the verdict of the checks run on a batch.
type Validation struct {
	Checks string   `json:"checks"`           // the rule files, comma-separated
	Passed bool     `json:"passed"`           // no error-level check failed
	Failed []string `json:"failed,omitempty"` // failing error-level checks
	Warned []string `json:"warned,omitempty"` // failing warn-level checks
	// Report is the checks' text report, for the command's output; it is
	// not stored.
	Report string `json:"-"`
}

// Run is one view's materialization, as recorded in the repository
// (featurestore/materialized/VIEW/NNNNNN.json, see dataset/FORMAT.md).
type Run struct {
	Format   int        `json:"format"`
	Number   int        `json:"number,omitempty"`
	View     string     `json:"view"`
	Store    string     `json:"store"`
	Start    *time.Time `json:"start,omitempty"` // nil: from the beginning
	End      time.Time  `json:"end"`
	Registry int        `json:"registry,omitempty"`
	Source   string     `json:"source,omitempty"` // the dataset version or path read
	// Scanned rows passed the view's filter; InWindow of them had keys
	// and an event time in the window; Entities were written, one row
	// each.
	Scanned    int         `json:"scanned_rows"`
	InWindow   int         `json:"window_rows"`
	Entities   int         `json:"entities"`
	Published  bool        `json:"published"`
	Skipped    string      `json:"skipped,omitempty"` // why nothing was read
	Validation *Validation `json:"validation,omitempty"`
	Seconds    float64     `json:"seconds"`
	Time       time.Time   `json:"time"`
	Author     string      `json:"author,omitempty"`
}

// ErrRejected marks a materialization whose batch failed validation and
// was not published.
var ErrRejected = errors.New("batch failed validation")

// Materialize writes each view's latest values per entity in the window
// into the online store, running the validation first, and records
// every run. A rejected batch leaves the store as it was; the other
// views go on, and the error wraps ErrRejected.
func Materialize(ctx context.Context, open Opener, opts MaterializeOptions) ([]*Run, error) {
	reg := opts.Registry
	views := reg.Views
	if opts.Views != nil {
		views = nil
		var errs []string
		for _, name := range opts.Views {
			v := reg.View(name)
			if v == nil {
				errs = append(errs, fmt.Sprintf("no feature view is named %s%s", name, didYouMean(name, reg)))
				continue
			}
			views = append(views, v)
		}
		if len(errs) > 0 {
			return nil, fmt.Errorf("%w: %s", dataset.ErrInvalid, strings.Join(errs, "; "))
		}
	}
	if !opts.Incremental && opts.Window.Start > opts.Window.End {
		return nil, fmt.Errorf("%w: the window starts after it ends", dataset.ErrInvalid)
	}
	var runs []*Run
	var rejected []string
	for _, v := range views {
		if opts.Progress != nil {
			opts.Progress(v.Name)
		}
		run, err := materializeView(ctx, open, v, opts)
		if err != nil {
			return runs, err
		}
		runs = append(runs, run)
		if run.Validation != nil && !run.Validation.Passed && !run.Published {
			rejected = append(rejected, v.Name)
		}
	}
	if len(rejected) > 0 {
		return runs, fmt.Errorf("%w: not published: %s", ErrRejected, strings.Join(rejected, ", "))
	}
	return runs, nil
}

func materializeView(ctx context.Context, open Opener, v *defs.FeatureView, opts MaterializeOptions) (*Run, error) {
	began := time.Now()
	w := opts.Window
	run := &Run{Format: 1, View: v.Name, Store: opts.StoreID, Registry: opts.RegistryVersion, Author: opts.Author}
	if opts.Incremental {
		w.Start = math.MinInt64
		if v.TTL > 0 {
			w.Start = w.End - v.TTL.Microseconds()
		}
		if opts.Repo != nil {
			last, err := LastRun(ctx, opts.Repo, v.Name, opts.StoreID)
			if err != nil {
				return nil, err
			}
			if last != nil {
				w.Start = last.End.UnixMicro() + 1
			}
		}
	}
	run.End = time.UnixMicro(w.End).UTC()
	if !w.Open() {
		t := time.UnixMicro(w.Start).UTC()
		run.Start = &t
	}
	if w.Start > w.End {
		run.Skipped = fmt.Sprintf("already materialized up to %s", time.UnixMicro(w.Start-1).UTC().Format(time.RFC3339Nano))
		run.Time = time.Now().UTC()
		return run, nil // nothing is recorded: the last run still says it
	}
	b, err := BuildBatch(ctx, opts.Registry, v, open, w, opts.Workers)
	if err != nil {
		return nil, err
	}
	run.Source, run.Scanned, run.InWindow, run.Entities = b.Source, b.Scanned, b.InWindow, b.Len()
	if opts.Validate != nil {
		if run.Validation, err = opts.Validate(ctx, b); err != nil {
			return nil, fmt.Errorf("view %s: validate: %w", v.Name, err)
		}
	}
	if run.Validation == nil || run.Validation.Passed || opts.Warn {
		if err := b.Publish(ctx, opts.Store); err != nil {
			return nil, err
		}
		run.Published = true
	}
	run.Seconds = time.Since(began).Seconds()
	run.Time = time.Now().UTC()
	if opts.Repo != nil {
		if err := saveRun(ctx, opts.Repo, run); err != nil {
			return nil, err
		}
	}
	return run, nil
}

func didYouMean(name string, reg *defs.Registry) string {
	var known []string
	for _, v := range reg.Views {
		known = append(known, v.Name)
	}
	if near := suggest.Nearest(name, known); near != "" {
		return "; did you mean " + near + "?"
	}
	return ""
}

// runsPrefix is where runs of a view are stored.
func runsPrefix(view string) string { return "featurestore/materialized/" + view + "/" }

// maxRunAttempts bounds the numbers tried when concurrent writers race.
const maxRunAttempts = 100

// saveRun stores a run under the next free number, put-if-absent.
func saveRun(ctx context.Context, repo *dataset.Repo, run *Run) error {
	nums, err := runNumbers(ctx, repo, run.View)
	if err != nil {
		return err
	}
	next := 0
	if len(nums) > 0 {
		next = nums[len(nums)-1]
	}
	for range maxRunAttempts {
		next++
		run.Number = next
		data, err := json.MarshalIndent(run, "", "  ")
		if err != nil {
			return err
		}
		key := fmt.Sprintf("%s%06d.json", runsPrefix(run.View), next)
		err = repo.Store().PutIfAbsent(ctx, key, bytes.NewReader(data))
		if errors.Is(err, store.ErrExists) {
			continue
		}
		if err != nil {
			return fmt.Errorf("record materialization of %s: %w", run.View, err)
		}
		return nil
	}
	return fmt.Errorf("record materialization of %s: %w: gave up after %d taken numbers", run.View, dataset.ErrConflict, maxRunAttempts)
}

func runNumbers(ctx context.Context, repo *dataset.Repo, view string) ([]int, error) {
	prefix := runsPrefix(view)
	entries, err := repo.Store().List(ctx, prefix)
	if err != nil {
		return nil, fmt.Errorf("list materializations of %s: %w", view, err)
	}
	var out []int
	for _, e := range entries {
		base, ok := strings.CutSuffix(strings.TrimPrefix(e.Key, prefix), ".json")
		if n, err := strconv.Atoi(base); ok && err == nil && n > 0 {
			out = append(out, n) // keys are sorted and zero-padded
		}
	}
	return out, nil
}

// Runs returns the recorded runs of a view, oldest first.
func Runs(ctx context.Context, repo *dataset.Repo, view string) ([]*Run, error) {
	nums, err := runNumbers(ctx, repo, view)
	if err != nil {
		return nil, err
	}
	var out []*Run
	for _, n := range nums {
		key := fmt.Sprintf("%s%06d.json", runsPrefix(view), n)
		blob, err := repo.Store().Open(ctx, key)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", key, err)
		}
		var run Run
		err = json.NewDecoder(io.NewSectionReader(blob, 0, blob.Size())).Decode(&run)
		blob.Close()
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %v", dataset.ErrCorrupt, key, err)
		}
		out = append(out, &run)
	}
	return out, nil
}

// LastRun returns the latest published run of a view into the store
// named storeID, or nil.
func LastRun(ctx context.Context, repo *dataset.Repo, view, storeID string) (*Run, error) {
	runs, err := Runs(ctx, repo, view)
	if err != nil {
		return nil, err
	}
	for i := len(runs) - 1; i >= 0; i-- {
		if runs[i].Published && runs[i].Store == storeID {
			return runs[i], nil
		}
	}
	return nil, nil
}
