package dataset

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/assayhq/assay/dataset/store"
)

// Damage is one problem verify found.
type Damage struct {
	Key     string `json:"key"`     // the blob at fault
	Problem string `json:"problem"` // what is wrong with it
}

// VerifyReport is the outcome of Verify.
type VerifyReport struct {
	Objects   int      `json:"objects"`   // objects re-hashed
	Bytes     int64    `json:"bytes"`     // bytes re-hashed
	Manifests int      `json:"manifests"` // manifests checked
	Tags      int      `json:"tags"`      // tag records checked
	Damage    []Damage `json:"damage"`
}

// Verify re-hashes every object and checks every manifest and tag: that
// each parses, that the objects it references exist with the recorded size
// and that tags name existing versions. Problems are collected, not
// returned as errors; the error is for I/O failures and cancellation.
func (r *Repo) Verify(ctx context.Context) (*VerifyReport, error) {
	rep := &VerifyReport{}
	var mu sync.Mutex
	damage := func(key, format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		rep.Damage = append(rep.Damage, Damage{Key: key, Problem: fmt.Sprintf(format, args...)})
	}

	objects, err := r.store.List(ctx, "objects/")
	if err != nil {
		return nil, err
	}
	sizes := map[string]int64{}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(runtime.GOMAXPROCS(0))
	for _, e := range objects {
		id, ok := objectID(e.Key)
		if !ok {
			damage(e.Key, "not an object name")
			continue
		}
		sizes[id] = e.Size
		rep.Objects++
		rep.Bytes += e.Size
		g.Go(func() error {
			sum, err := r.hashObject(gctx, e.Key)
			if err != nil {
				if gctx.Err() != nil {
					return gctx.Err()
				}
				damage(e.Key, "unreadable: %v", err)
				return nil
			}
			if sum != id {
				damage(e.Key, "content does not match its name: it hashes to %s", sum)
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}

	entries, err := r.store.List(ctx, "datasets/")
	if err != nil {
		return nil, err
	}
	versions := map[string]map[int]bool{}
	var tagKeys []string
	for _, e := range entries {
		parts := strings.Split(e.Key, "/")
		switch {
		case len(parts) == 4 && parts[2] == "v":
			rep.Manifests++
			// The version exists even when its manifest is damaged: a tag
			// naming it is not at fault.
			if v, err := strconv.Atoi(strings.TrimSuffix(parts[3], ".json")); err == nil {
				if versions[parts[1]] == nil {
					versions[parts[1]] = map[int]bool{}
				}
				versions[parts[1]][v] = true
			}
			if _, err := r.checkManifest(ctx, e.Key, sizes); err != nil {
				if ctx.Err() != nil {
					return nil, ctx.Err()
				}
				damage(e.Key, "%v", err)
			}
		case len(parts) == 5 && parts[2] == "tags":
			tagKeys = append(tagKeys, e.Key)
		default:
			damage(e.Key, "unexpected file in datasets/")
		}
	}
	for _, key := range tagKeys {
		rep.Tags++
		parts := strings.Split(key, "/")
		data, err := r.read(ctx, key)
		if err != nil {
			damage(key, "unreadable: %v", err)
			continue
		}
		rec, err := decodeTag(data)
		if err != nil {
			damage(key, "%v", err)
			continue
		}
		if !versions[parts[1]][rec.Version] {
			damage(key, "tag %s@%s names version %d, which does not exist", parts[1], parts[3], rec.Version)
		}
	}
	sort.Slice(rep.Damage, func(i, j int) bool { return rep.Damage[i].Key < rep.Damage[j].Key })
	return rep, nil
}

func (r *Repo) hashObject(ctx context.Context, key string) (string, error) {
	b, err := r.store.Open(ctx, key)
	if err != nil {
		return "", err
	}
	defer b.Close()
	h := sha256.New()
	if _, err := io.Copy(h, store.ContextReader(ctx, io.NewSectionReader(b, 0, b.Size()))); err != nil {
		return "", err
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil)), nil
}

// checkManifest parses a manifest and checks the objects it references
// against the sizes of the objects present.
func (r *Repo) checkManifest(ctx context.Context, key string, sizes map[string]int64) (*Manifest, error) {
	data, err := r.read(ctx, key)
	if err != nil {
		return nil, err
	}
	m, err := decodeManifest(key, data)
	if err != nil {
		return nil, err
	}
	if manifestKey(m.Dataset, m.Version) != key {
		return nil, fmt.Errorf("%w: manifest says it is %s", ErrCorrupt, m.Label())
	}
	var problems []string
	for _, f := range m.Files {
		size, ok := sizes[f.Object]
		switch {
		case !ok:
			problems = append(problems, fmt.Sprintf("file %s: object %s is missing", f.Name, f.Object))
		case size != f.Size:
			problems = append(problems, fmt.Sprintf("file %s: object %s has %d bytes, the manifest says %d", f.Name, f.Object, size, f.Size))
		}
	}
	if m.ProfileObject != "" {
		if _, ok := sizes[m.ProfileObject]; !ok {
			problems = append(problems, fmt.Sprintf("profile object %s is missing", m.ProfileObject))
		} else if _, err := r.LoadProfile(ctx, m); err != nil {
			problems = append(problems, err.Error())
		}
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("%s", strings.Join(problems, "; "))
	}
	return m, nil
}

func decodeTag(data []byte) (*tagRecord, error) {
	var rec tagRecord
	if err := jsonUnmarshalStrict(data, &rec); err != nil || rec.Version < 1 || rec.Format != FormatVersion {
		return nil, fmt.Errorf("%w: bad tag record", ErrCorrupt)
	}
	return &rec, nil
}

// GCReport is the outcome of GC.
type GCReport struct {
	Deleted []string `json:"deleted"` // object ids removed (or, dry run, to remove)
	Bytes   int64    `json:"bytes"`
	Kept    int      `json:"kept"`    // objects still referenced
	Young   int      `json:"young"`   // unreferenced but younger than the grace period
	Temp    int      `json:"temp"`    // leftover temporary files removed
	DryRun  bool     `json:"dry_run"` //
}

// GC deletes the objects no manifest references: data of commits that
// failed or were interrupted. Objects younger than grace are kept, because
// a commit running right now may have written them and not yet its
// manifest. With dryRun nothing is deleted.
func (r *Repo) GC(ctx context.Context, grace time.Duration, dryRun bool) (*GCReport, error) {
	rep := &GCReport{DryRun: dryRun}
	entries, err := r.store.List(ctx, "datasets/")
	if err != nil {
		return nil, err
	}
	live := map[string]bool{}
	for _, e := range entries {
		parts := strings.Split(e.Key, "/")
		if len(parts) != 4 || parts[2] != "v" {
			continue
		}
		data, err := r.read(ctx, e.Key)
		if err != nil {
			return nil, err
		}
		m, err := decodeManifest(e.Key, data)
		if err != nil {
			return nil, fmt.Errorf("gc stops, nothing was deleted: %w (run `assay verify`)", err)
		}
		for _, f := range m.Files {
			live[f.Object] = true
		}
		if m.ProfileObject != "" {
			live[m.ProfileObject] = true
		}
	}
	objects, err := r.store.List(ctx, "objects/")
	if err != nil {
		return nil, err
	}
	cutoff := time.Now().Add(-grace)
	for _, e := range objects {
		id, ok := objectID(e.Key)
		switch {
		case !ok:
			continue
		case live[id]:
			rep.Kept++
		case e.ModTime.After(cutoff):
			rep.Young++
		default:
			rep.Deleted = append(rep.Deleted, id)
			rep.Bytes += e.Size
			if !dryRun {
				if err := r.store.Delete(ctx, e.Key); err != nil {
					return nil, err
				}
			}
		}
	}
	if c, ok := r.store.(interface {
		CleanTemp(time.Duration) (int, error)
	}); ok && !dryRun {
		n, err := c.CleanTemp(max(grace, time.Minute))
		if err != nil {
			return nil, err
		}
		rep.Temp = n
	}
	return rep, nil
}
