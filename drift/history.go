package drift

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/dataset/store"
)

// Drift results of monitored versions are stored as
// runs/drift/<dataset>/<current>-<reference>.json (version numbers, six
// digits): one per pair, created with put-if-absent, so a pair is never
// compared twice, whatever restarts and concurrent monitors do.

func runKey(ds string, cur, ref int) string {
	return fmt.Sprintf("runs/drift/%s/%06d-%06d.json", ds, cur, ref)
}

// ErrCompared means the pair was compared already.
var ErrCompared = errors.New("pair already compared")

// Save stores a report of two versions of a dataset; ErrCompared when one
// is stored already.
func Save(ctx context.Context, repo *dataset.Repo, ds string, cur, ref int, r *Report) error {
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	err = repo.Store().PutIfAbsent(ctx, runKey(ds, cur, ref), bytes.NewReader(data))
	if errors.Is(err, store.ErrExists) {
		return ErrCompared
	}
	return err
}

// alertKey is the marker of a pair's alert: "pending" (drift found, the
// alert not yet known to be delivered) or "sent".
func alertKey(ds string, cur, ref int, state string) string {
	return fmt.Sprintf("runs/drift/%s/%06d-%06d.alert-%s", ds, cur, ref, state)
}

// mark creates an empty marker object; one already there is fine.
func mark(ctx context.Context, repo *dataset.Repo, key string) error {
	err := repo.Store().PutIfAbsent(ctx, key, bytes.NewReader(nil))
	if errors.Is(err, store.ErrExists) {
		return nil
	}
	return err
}

// exists reports whether the repository holds an object under key.
func exists(ctx context.Context, repo *dataset.Repo, key string) (bool, error) {
	b, err := repo.Store().Open(ctx, key)
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return false, nil
		}
		return false, err
	}
	b.Close()
	return true, nil
}

// Stored is a stored report with the versions it compared.
type Stored struct {
	Current   int     `json:"current_version"`
	Reference int     `json:"reference_version"`
	Report    *Report `json:"report"`
}

// History returns the stored reports of a dataset, by current version.
func History(ctx context.Context, repo *dataset.Repo, ds string) ([]Stored, error) {
	if err := dataset.ValidateName("dataset", ds); err != nil {
		return nil, err
	}
	entries, err := repo.Store().List(ctx, "runs/drift/"+ds+"/")
	if err != nil {
		return nil, err
	}
	var out []Stored
	for _, e := range entries {
		if !strings.HasSuffix(e.Key, ".json") {
			continue // alert markers
		}
		base := strings.TrimSuffix(e.Key[strings.LastIndexByte(e.Key, '/')+1:], ".json")
		var cur, ref int
		if _, err := fmt.Sscanf(base, "%d-%d", &cur, &ref); err != nil {
			continue
		}
		b, err := repo.Store().Open(ctx, e.Key)
		if err != nil {
			return nil, err
		}
		data, err := io.ReadAll(io.NewSectionReader(b, 0, b.Size()))
		b.Close()
		if err != nil {
			return nil, err
		}
		var r Report
		if err := json.Unmarshal(data, &r); err != nil {
			return nil, fmt.Errorf("%w: %s: %v", dataset.ErrCorrupt, e.Key, err)
		}
		out = append(out, Stored{Current: cur, Reference: ref, Report: &r})
	}
	slices.SortStableFunc(out, func(a, b Stored) int {
		if a.Current != b.Current {
			return a.Current - b.Current
		}
		return a.Reference - b.Reference
	})
	return out, nil
}
