package defs

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
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

// FormatVersion is the format of stored manifests.
const FormatVersion = 1

// registryPrefix is where registries are stored in a repository.
const registryPrefix = "featurestore/registry/"

// maxSaveAttempts bounds the numbers Save tries when other writers take
// them first.
const maxSaveAttempts = 1000

func yamlKey(version int) string     { return fmt.Sprintf("%s%06d.yaml", registryPrefix, version) }
func manifestKey(version int) string { return fmt.Sprintf("%s%06d.json", registryPrefix, version) }

// Manifest describes one stored version of a registry.
type Manifest struct {
	// Format is FormatVersion.
	Format  int `json:"format"`
	Version int `json:"version"`
	// Time is when the version was saved (UTC).
	Time   time.Time `json:"time"`
	Author string    `json:"author,omitempty"`
	// Source is the name of the file the definitions were read from.
	Source string `json:"source"`
	// SHA256 is the hex SHA-256 of the stored YAML, Size its length.
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
}

// Key returns the key of the version's YAML object.
func (m *Manifest) Key() string { return yamlKey(m.Version) }

// Save stores the definitions file data, read from the file named
// source, as the next version of the repository's registry and returns
// its manifest. The file must parse (Save does not validate it against
// data: do that first). The bytes are stored as given, comments and all.
//
// Numbering is put-if-absent: Save claims the number after the highest
// stored one and, when a concurrent writer takes it first, the next, so
// that concurrent saves get distinct versions.
func Save(ctx context.Context, repo *dataset.Repo, source string, data []byte, author string) (*Manifest, error) {
	if _, err := Parse(source, data); err != nil {
		return nil, err
	}
	sum := sha256.Sum256(data)
	m := &Manifest{
		Format: FormatVersion,
		Time:   time.Now().UTC(),
		Author: author,
		Source: source,
		SHA256: hex.EncodeToString(sum[:]),
		Size:   int64(len(data)),
	}
	next, err := highest(ctx, repo, ".yaml")
	if err != nil {
		return nil, err
	}
	for attempt := 0; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if attempt == maxSaveAttempts {
			return nil, fmt.Errorf("save feature registry: %w: gave up after %d taken version numbers", dataset.ErrConflict, attempt)
		}
		next++
		err := repo.Store().PutIfAbsent(ctx, yamlKey(next), bytes.NewReader(data))
		if errors.Is(err, store.ErrExists) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("save feature registry v%d: %w", next, err)
		}
		break
	}
	m.Version = next
	js, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := repo.Store().PutIfAbsent(ctx, manifestKey(next), bytes.NewReader(js)); err != nil {
		return nil, fmt.Errorf("save feature registry manifest v%d: %w", next, err)
	}
	return m, nil
}

// highest returns the highest version number among the registry's
// objects whose keys end in ext, 0 when there are none.
func highest(ctx context.Context, repo *dataset.Repo, ext string) (int, error) {
	nums, err := numbers(ctx, repo, ext)
	if err != nil || len(nums) == 0 {
		return 0, err
	}
	return nums[len(nums)-1], nil
}

// numbers lists the version numbers of objects ending in ext, ascending.
func numbers(ctx context.Context, repo *dataset.Repo, ext string) ([]int, error) {
	entries, err := repo.Store().List(ctx, registryPrefix)
	if err != nil {
		return nil, fmt.Errorf("list feature registry: %w", err)
	}
	var out []int
	for _, e := range entries {
		base, ok := strings.CutSuffix(strings.TrimPrefix(e.Key, registryPrefix), ext)
		if !ok {
			continue
		}
		n, err := strconv.Atoi(base)
		if err != nil || n <= 0 {
			continue
		}
		out = append(out, n) // keys are sorted and zero-padded
	}
	return out, nil
}

// Versions returns the manifests of the stored versions, oldest first.
func Versions(ctx context.Context, repo *dataset.Repo) ([]*Manifest, error) {
	nums, err := numbers(ctx, repo, ".json")
	if err != nil {
		return nil, err
	}
	out := make([]*Manifest, 0, len(nums))
	for _, n := range nums {
		m, err := readManifest(ctx, repo, n)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// Load reads and parses a stored version of the registry; version 0
// means the latest. It verifies the stored bytes against the manifest.
// A version not stored is an ErrNotFound error.
func Load(ctx context.Context, repo *dataset.Repo, version int) (*Registry, *Manifest, error) {
	if version < 0 {
		return nil, nil, fmt.Errorf("%w: feature registry version %d", ErrNotFound, version)
	}
	if version == 0 {
		n, err := highest(ctx, repo, ".json")
		if err != nil {
			return nil, nil, err
		}
		if n == 0 {
			return nil, nil, fmt.Errorf("%w: the repository holds no feature registry (save one first)", ErrNotFound)
		}
		version = n
	}
	m, err := readManifest(ctx, repo, version)
	if err != nil {
		return nil, nil, err
	}
	data, err := read(ctx, repo, m.Key())
	if err != nil {
		return nil, nil, err
	}
	sum := sha256.Sum256(data)
	if int64(len(data)) != m.Size || hex.EncodeToString(sum[:]) != m.SHA256 {
		return nil, nil, fmt.Errorf("%w: %s does not match its manifest (size or sha256)", ErrCorrupt, m.Key())
	}
	r, err := Parse(m.Source, data)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %s: %v", ErrCorrupt, m.Key(), err)
	}
	return r, m, nil
}

func readManifest(ctx context.Context, repo *dataset.Repo, version int) (*Manifest, error) {
	data, err := read(ctx, repo, manifestKey(version))
	if err != nil {
		return nil, err
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrCorrupt, manifestKey(version), err)
	}
	if m.Format != FormatVersion {
		return nil, fmt.Errorf("%w: %s has format %d, this assay reads format %d", ErrCorrupt, manifestKey(version), m.Format, FormatVersion)
	}
	if m.Version != version {
		return nil, fmt.Errorf("%w: %s holds version %d", ErrCorrupt, manifestKey(version), m.Version)
	}
	return &m, nil
}

func read(ctx context.Context, repo *dataset.Repo, key string) ([]byte, error) {
	b, err := repo.Store().Open(ctx, key)
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return nil, fmt.Errorf("%w: %s", ErrNotFound, key)
		}
		return nil, err
	}
	defer b.Close()
	data, err := io.ReadAll(store.ContextReader(ctx, io.NewSectionReader(b, 0, b.Size())))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", key, err)
	}
	return data, nil
}
