package defs

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/dataset/store/mem"
)

func newRepo(t *testing.T) *dataset.Repo {
	t.Helper()
	repo, err := dataset.Init(context.Background(), mem.New(), "mem")
	if err != nil {
		t.Fatal(err)
	}
	return repo
}

func TestSaveLoad(t *testing.T) {
	ctx := context.Background()
	repo := newRepo(t)
	if _, _, err := Load(ctx, repo, 0); !errors.Is(err, ErrNotFound) {
		t.Fatalf("load from an empty repository: got %v, want ErrNotFound", err)
	}
	second := strings.Replace(goodYAML, "ttl: 30d", "ttl: 2w", 1)
	m1, err := Save(ctx, repo, "fs.yaml", []byte(goodYAML), "ana")
	if err != nil {
		t.Fatal(err)
	}
	m2, err := Save(ctx, repo, "fs2.yaml", []byte(second), "bo")
	if err != nil {
		t.Fatal(err)
	}
	if m1.Version != 1 || m2.Version != 2 {
		t.Fatalf("got versions %d and %d, want 1 and 2", m1.Version, m2.Version)
	}
	if m1.Key() != "featurestore/registry/000001.yaml" {
		t.Errorf("got key %s", m1.Key())
	}

	r, m, err := Load(ctx, repo, 0)
	if err != nil {
		t.Fatal(err)
	}
	if m.Version != 2 || m.Author != "bo" || m.Source != "fs2.yaml" || m.Format != FormatVersion || m.Size != int64(len(second)) {
		t.Errorf("latest: got manifest %+v", m)
	}
	if got := FormatTTL(r.Views[0].TTL); got != "2w" {
		t.Errorf("latest: got ttl %s, want 2w", got)
	}
	if r.File != "fs2.yaml" {
		t.Errorf("latest: got file %q, want fs2.yaml", r.File)
	}

	r, m, err = Load(ctx, repo, 1)
	if err != nil {
		t.Fatal(err)
	}
	if m.Version != 1 || m.Author != "ana" || FormatTTL(r.Views[0].TTL) != "30d" {
		t.Errorf("v1: got manifest %+v, ttl %v", m, r.Views[0].TTL)
	}
	if _, _, err := Load(ctx, repo, 3); !errors.Is(err, ErrNotFound) {
		t.Errorf("load v3: got %v, want ErrNotFound", err)
	}

	vs, err := Versions(ctx, repo)
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 2 || vs[0].Version != 1 || vs[1].Version != 2 || vs[0].SHA256 == vs[1].SHA256 {
		t.Errorf("got versions %+v", vs)
	}
}

func TestSaveRefusesBadFile(t *testing.T) {
	repo := newRepo(t)
	_, err := Save(context.Background(), repo, "bad.yaml", []byte("entitys: []\n"), "")
	if !errors.Is(err, ErrDefs) {
		t.Fatalf("got %v, want ErrDefs", err)
	}
	if vs, _ := Versions(context.Background(), repo); len(vs) != 0 {
		t.Errorf("got %d versions, want none", len(vs))
	}
}

// A YAML object whose writer did not get to write its manifest takes
// its number but is no version.
func TestSaveSkipsUnfinished(t *testing.T) {
	ctx := context.Background()
	repo := newRepo(t)
	if err := repo.Store().PutIfAbsent(ctx, yamlKey(1), strings.NewReader(goodYAML)); err != nil {
		t.Fatal(err)
	}
	if _, _, err := Load(ctx, repo, 0); !errors.Is(err, ErrNotFound) {
		t.Fatalf("got %v, want ErrNotFound", err)
	}
	m, err := Save(ctx, repo, "fs.yaml", []byte(goodYAML), "")
	if err != nil {
		t.Fatal(err)
	}
	if m.Version != 2 {
		t.Errorf("got version %d, want 2", m.Version)
	}
}

func TestLoadCorrupt(t *testing.T) {
	ctx := context.Background()
	repo := newRepo(t)
	// A manifest whose hash does not match its YAML.
	if err := repo.Store().PutIfAbsent(ctx, yamlKey(1), strings.NewReader(goodYAML)); err != nil {
		t.Fatal(err)
	}
	js := fmt.Sprintf(`{"format":1,"version":1,"source":"fs.yaml","sha256":"00","size":%d}`, len(goodYAML))
	if err := repo.Store().PutIfAbsent(ctx, manifestKey(1), strings.NewReader(js)); err != nil {
		t.Fatal(err)
	}
	if _, _, err := Load(ctx, repo, 1); !errors.Is(err, ErrCorrupt) {
		t.Errorf("got %v, want ErrCorrupt", err)
	}
	if err := repo.Store().PutIfAbsent(ctx, manifestKey(2), bytes.NewReader([]byte("{"))); err != nil {
		t.Fatal(err)
	}
	if _, err := Versions(ctx, repo); !errors.Is(err, ErrCorrupt) {
		t.Errorf("versions: got %v, want ErrCorrupt", err)
	}
}

func TestSaveConcurrent(t *testing.T) {
	ctx := context.Background()
	repo := newRepo(t)
	const n = 16
	versions := make([]int, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			m, err := Save(ctx, repo, fmt.Sprintf("fs%d.yaml", i), []byte(goodYAML), "")
			if err == nil {
				versions[i] = m.Version
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	slices.Sort(versions)
	for i, v := range versions {
		if v != i+1 {
			t.Fatalf("got versions %v, want 1 to %d", versions, n)
		}
	}
	vs, err := Versions(ctx, repo)
	if err != nil || len(vs) != n {
		t.Fatalf("got %d versions, %v; want %d", len(vs), err, n)
	}
}
