package checks

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/dataset/store"
)

// Check runs on repository versions are stored as
// runs/checks/<dataset>/<version>/<time>-<random>.json (see
// dataset/FORMAT.md): the Run's JSON. Change and anomaly rules read the
// metrics of earlier versions from them, and from the versions' stored
// profiles where no run measured a metric.

func runPrefix(ds string, version int) string {
	return fmt.Sprintf("runs/checks/%s/%06d/", ds, version)
}

// SaveRun stores a run of a repository version. Runs on files are not
// stored.
func SaveRun(ctx context.Context, repo *dataset.Repo, run *Run) error {
	if repo == nil || run.Dataset == "" {
		return nil
	}
	data, err := json.MarshalIndent(run, "", "  ")
	if err != nil {
		return err
	}
	key := fmt.Sprintf("%s%s-%08x.json", runPrefix(run.Dataset, run.DataVer), run.Time.UTC().Format("20060102T150405.000Z"), rand.Uint32())
	if err := repo.Store().PutIfAbsent(ctx, key, bytes.NewReader(data)); err != nil {
		return fmt.Errorf("store check run of %s@v%d: %w", run.Dataset, run.DataVer, err)
	}
	return nil
}

// StoredRun is a run read back from the repository.
type StoredRun struct {
	Key string
	Run *Run
}

// Runs returns the stored check runs of a dataset, oldest first.
func Runs(ctx context.Context, repo *dataset.Repo, ds string) ([]StoredRun, error) {
	if err := dataset.ValidateName("dataset", ds); err != nil {
		return nil, err
	}
	entries, err := repo.Store().List(ctx, "runs/checks/"+ds+"/")
	if err != nil {
		return nil, err
	}
	var out []StoredRun
	for _, e := range entries {
		run, err := readRun(ctx, repo.Store(), e.Key)
		if err != nil {
			return nil, err
		}
		out = append(out, StoredRun{Key: e.Key, Run: run})
	}
	slices.SortStableFunc(out, func(a, b StoredRun) int {
		if a.Run.DataVer != b.Run.DataVer {
			return a.Run.DataVer - b.Run.DataVer
		}
		return a.Run.Time.Compare(b.Run.Time)
	})
	return out, nil
}

func readRun(ctx context.Context, s store.Store, key string) (*Run, error) {
	b, err := s.Open(ctx, key)
	if err != nil {
		return nil, err
	}
	defer b.Close()
	data, err := io.ReadAll(io.NewSectionReader(b, 0, b.Size()))
	if err != nil {
		return nil, err
	}
	var run Run
	if err := json.Unmarshal(data, &run); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", dataset.ErrCorrupt, key, err)
	}
	return &run, nil
}

// historyPoint is a metric's value in an earlier version.
type historyPoint struct {
	version int
	value   float64
	time    time.Time
}

// history returns a metric's values in the versions before the one being
// checked, newest first: from the newest stored run of each version that
// measured it, else from the version's profile. why says why there is no
// history at all.
func (p *Plan) history(ctx context.Context, name string, c *Check) ([]historyPoint, string) {
	m := p.env.Manifest
	if m == nil || p.env.Repo == nil {
		return nil, "history needs a dataset version; the data is files"
	}
	runs, err := Runs(ctx, p.env.Repo, m.Dataset)
	if err != nil {
		return nil, err.Error()
	}
	byVersion := map[int]float64{}
	for _, sr := range runs { // oldest first: later runs win
		if v, ok := sr.Run.Metrics[name]; ok && sr.Run.DataVer < m.Version {
			byVersion[sr.Run.DataVer] = v
		}
	}
	limit := max(c.Window, c.MinHistory, 1)
	var out []historyPoint
	for v := m.Version - 1; v >= 1 && len(out) < limit; v-- {
		if val, ok := byVersion[v]; ok {
			out = append(out, historyPoint{version: v, value: val})
			continue
		}
		prev, err := p.env.Repo.Manifest(ctx, m.Dataset, v)
		if err != nil {
			if errors.Is(err, dataset.ErrNotFound) {
				continue
			}
			return out, err.Error()
		}
		if prev.Profile != nil {
			if val, ok := summaryMetric(name, prev.Profile); ok {
				out = append(out, historyPoint{version: v, value: val, time: prev.Time})
			}
		}
	}
	if len(out) == 0 && m.Version == 1 {
		return nil, "this is the first version"
	}
	return out, ""
}

// HistoryLine is one stored run in `assay check history`.
type HistoryLine struct {
	Version int       `json:"dataset_version"`
	Time    time.Time `json:"time"`
	Rules   string    `json:"rules"`
	Success bool      `json:"success"`
	Counts  Counts    `json:"counts"`
	Failed  []string  `json:"failed,omitempty"`
}

// History summarises the stored runs of a dataset, oldest first.
func History(ctx context.Context, repo *dataset.Repo, ds string) ([]HistoryLine, error) {
	runs, err := Runs(ctx, repo, ds)
	if err != nil {
		return nil, err
	}
	out := make([]HistoryLine, 0, len(runs))
	for _, sr := range runs {
		r := sr.Run
		h := HistoryLine{Version: r.DataVer, Time: r.Time, Rules: r.Rules, Success: r.Success, Counts: r.Counts}
		for _, res := range r.Results {
			if res.Status == StatusFail || res.Status == StatusWarn {
				h.Failed = append(h.Failed, strings.TrimSpace(res.Name))
			}
		}
		out = append(out, h)
	}
	return out, nil
}
