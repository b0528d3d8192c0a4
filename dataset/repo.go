package dataset

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/assayhq/assay/dataset/profile"
	"github.com/assayhq/assay/dataset/store"
	"github.com/assayhq/assay/dataset/store/local"
)

// DefaultDir is the name of the repository directory that Find looks for.
const DefaultDir = ".assay"

const configKey = "config.json"

// Repo is an assay repository: datasets, their versions and tags, and the
// content-addressed objects they reference, all in one blob store.
type Repo struct {
	store store.Store
	// Location names the repository in messages (its directory).
	Location string
}

type repoConfig struct {
	Format  int       `json:"format"`
	Created time.Time `json:"created"`
}

// New returns the repository held in s (which must already hold one; see
// Init).
func New(ctx context.Context, s store.Store, location string) (*Repo, error) {
	r := &Repo{store: s, Location: location}
	data, err := r.read(ctx, configKey)
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			return nil, fmt.Errorf("%w: no assay repository at %s (run `assay init`)", ErrNotFound, location)
		}
		return nil, err
	}
	var cfg repoConfig
	if err := json.Unmarshal(data, &cfg); err != nil {
		return nil, fmt.Errorf("%w: %s/%s: %v", ErrCorrupt, location, configKey, err)
	}
	if cfg.Format != FormatVersion {
		return nil, fmt.Errorf("%w: repository %s has format %d, this assay reads format %d", ErrInvalid, location, cfg.Format, FormatVersion)
	}
	return r, nil
}

// Store returns the repository's blob store.
func (r *Repo) Store() store.Store { return r.store }

// Init creates a repository in the store. An existing repository is an
// ErrExists error.
func Init(ctx context.Context, s store.Store, location string) (*Repo, error) {
	cfg, _ := json.MarshalIndent(repoConfig{Format: FormatVersion, Created: time.Now().UTC()}, "", "  ")
	if err := s.PutIfAbsent(ctx, configKey, bytes.NewReader(cfg)); err != nil {
		if errors.Is(err, store.ErrExists) {
			return nil, fmt.Errorf("%w: a repository is already at %s", ErrExists, location)
		}
		return nil, fmt.Errorf("create repository at %s: %w", location, err)
	}
	return &Repo{store: s, Location: location}, nil
}

// InitDir creates a repository in a local directory, creating the
// directory as needed.
func InitDir(ctx context.Context, dir string) (*Repo, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create repository: %w", err)
	}
	s, err := local.New(dir)
	if err != nil {
		return nil, err
	}
	return Init(ctx, s, dir)
}

// OpenDir opens the repository in a local directory.
func OpenDir(ctx context.Context, dir string) (*Repo, error) {
	st, err := os.Stat(dir)
	if err != nil || !st.IsDir() {
		return nil, fmt.Errorf("%w: no assay repository at %s (run `assay init`)", ErrNotFound, dir)
	}
	s, err := local.New(dir)
	if err != nil {
		return nil, err
	}
	return New(ctx, s, dir)
}

// Find returns the directory of the repository that holds dir: dir/.assay
// or the same in the nearest parent, like git. It is an ErrNotFound error
// when there is none.
func Find(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for d := abs; ; {
		cand := filepath.Join(d, DefaultDir)
		if st, err := os.Stat(filepath.Join(cand, configKey)); err == nil && !st.IsDir() {
			return cand, nil
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", fmt.Errorf("%w: no assay repository in %s or any parent (run `assay init`, or pass --repo)", ErrNotFound, abs)
		}
		d = parent
	}
}

// read returns a whole blob; a missing key is ErrNotFound.
func (r *Repo) read(ctx context.Context, key string) ([]byte, error) {
	b, err := r.store.Open(ctx, key)
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return nil, fmt.Errorf("%w: %s", ErrNotFound, key)
		}
		return nil, err
	}
	defer b.Close()
	data := make([]byte, b.Size())
	if _, err := b.ReadAt(data, 0); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("read %s: %w", key, err)
	}
	return data, nil
}

// Datasets returns the names of the datasets that have versions.
func (r *Repo) Datasets(ctx context.Context) ([]string, error) {
	entries, err := r.store.List(ctx, "datasets/")
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		parts := strings.Split(e.Key, "/")
		if len(parts) == 4 && parts[2] == "v" {
			if len(names) == 0 || names[len(names)-1] != parts[1] {
				names = append(names, parts[1])
			}
		}
	}
	slices.Sort(names)
	return slices.Compact(names), nil
}

// Versions returns the version numbers of a dataset, ascending.
func (r *Repo) Versions(ctx context.Context, name string) ([]int, error) {
	if err := ValidateName("dataset", name); err != nil {
		return nil, err
	}
	entries, err := r.store.List(ctx, "datasets/"+name+"/v/")
	if err != nil {
		return nil, err
	}
	var vs []int
	for _, e := range entries {
		base := strings.TrimSuffix(e.Key[strings.LastIndexByte(e.Key, '/')+1:], ".json")
		if v, err := strconv.Atoi(base); err == nil && v > 0 {
			vs = append(vs, v)
		}
	}
	slices.Sort(vs)
	return vs, nil
}

// Manifest reads one version's manifest.
func (r *Repo) Manifest(ctx context.Context, name string, version int) (*Manifest, error) {
	key := manifestKey(name, version)
	data, err := r.read(ctx, key)
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			return nil, fmt.Errorf("%w: %s@v%d: no such version", ErrNotFound, name, version)
		}
		return nil, err
	}
	return decodeManifest(key, data)
}

// Head returns the newest version's manifest, or an ErrNotFound error when
// the dataset has no versions.
func (r *Repo) Head(ctx context.Context, name string) (*Manifest, error) {
	vs, err := r.Versions(ctx, name)
	if err != nil {
		return nil, err
	}
	if len(vs) == 0 {
		return nil, r.unknownDataset(ctx, name)
	}
	return r.Manifest(ctx, name, vs[len(vs)-1])
}

func (r *Repo) unknownDataset(ctx context.Context, name string) error {
	names, _ := r.Datasets(ctx)
	if len(names) == 0 {
		return fmt.Errorf("%w: dataset %q: the repository has no datasets", ErrNotFound, name)
	}
	return fmt.Errorf("%w: dataset %q (datasets: %s)", ErrNotFound, name, joinNames(names))
}

// Resolve returns the manifest a dataset ref names.
func (r *Repo) Resolve(ctx context.Context, ref Ref) (*Manifest, error) {
	switch ref.Kind {
	case RefPath:
		return nil, fmt.Errorf("%w: %s is a path, not a dataset version", ErrInvalid, ref.Path)
	case RefHead:
		return r.Head(ctx, ref.Name)
	}
	vs, err := r.Versions(ctx, ref.Name)
	if err != nil {
		return nil, err
	}
	if len(vs) == 0 {
		return nil, r.unknownDataset(ctx, ref.Name)
	}
	head := vs[len(vs)-1]
	switch ref.Kind {
	case RefVersion:
		if !slices.Contains(vs, ref.Version) {
			return nil, fmt.Errorf("%w: %s: no such version (versions 1 to %d)", ErrNotFound, ref, head)
		}
		return r.Manifest(ctx, ref.Name, ref.Version)
	case RefBack:
		if ref.Back >= head {
			return nil, fmt.Errorf("%w: %s: the dataset has only %d versions", ErrNotFound, ref, head)
		}
		return r.Manifest(ctx, ref.Name, head-ref.Back)
	case RefTag:
		v, err := r.tagTarget(ctx, ref.Name, ref.Tag)
		if err != nil {
			return nil, err
		}
		return r.Manifest(ctx, ref.Name, v)
	case RefTime:
		for i := len(vs) - 1; i >= 0; i-- {
			m, err := r.Manifest(ctx, ref.Name, vs[i])
			if err != nil {
				return nil, err
			}
			if !m.Time.After(ref.Time) {
				return m, nil
			}
		}
		return nil, fmt.Errorf("%w: %s: no version at or before %s", ErrNotFound, ref, ref.Time.Format(time.RFC3339))
	}
	return nil, fmt.Errorf("%w: ref %s", ErrInvalid, ref)
}

// Tags returns a dataset's tags and the versions they name.
func (r *Repo) Tags(ctx context.Context, name string) (map[string]int, error) {
	entries, err := r.store.List(ctx, "datasets/"+name+"/tags/")
	if err != nil {
		return nil, err
	}
	tags := map[string]int{}
	for _, e := range entries {
		parts := strings.Split(e.Key, "/")
		if len(parts) != 5 {
			continue
		}
		if _, seen := tags[parts[3]]; seen {
			continue
		}
		v, err := r.tagTarget(ctx, name, parts[3])
		if err != nil {
			return nil, err
		}
		tags[parts[3]] = v
	}
	return tags, nil
}

// tagLog returns the keys of a tag's log, oldest first.
func (r *Repo) tagLog(ctx context.Context, name, tag string) ([]string, error) {
	entries, err := r.store.List(ctx, tagPrefix(name, tag))
	if err != nil {
		return nil, err
	}
	keys := make([]string, len(entries))
	for i, e := range entries {
		keys[i] = e.Key
	}
	return keys, nil
}

func (r *Repo) tagTarget(ctx context.Context, name, tag string) (int, error) {
	keys, err := r.tagLog(ctx, name, tag)
	if err != nil {
		return 0, err
	}
	if len(keys) == 0 {
		tags, _ := r.tagNames(ctx, name)
		hint := "the dataset has no tags"
		if len(tags) > 0 {
			hint = "tags: " + joinNames(tags)
		}
		return 0, fmt.Errorf("%w: %s@%s: no such tag (%s)", ErrNotFound, name, tag, hint)
	}
	key := keys[len(keys)-1]
	data, err := r.read(ctx, key)
	if err != nil {
		return 0, err
	}
	var rec tagRecord
	if err := json.Unmarshal(data, &rec); err != nil || rec.Version < 1 {
		return 0, fmt.Errorf("%w: %s: bad tag record", ErrCorrupt, key)
	}
	return rec.Version, nil
}

func (r *Repo) tagNames(ctx context.Context, name string) ([]string, error) {
	entries, err := r.store.List(ctx, "datasets/"+name+"/tags/")
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		if parts := strings.Split(e.Key, "/"); len(parts) == 5 {
			out = append(out, parts[3])
		}
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// Tag names version m with tag. A tag that exists is an ErrExists error
// unless force is set; then the tag moves (one atomic put) and its earlier
// target stays in the tag's log.
func (r *Repo) Tag(ctx context.Context, m *Manifest, tag, author string, force bool) error {
	if err := ValidateName("tag", tag); err != nil {
		return err
	}
	keys, err := r.tagLog(ctx, m.Dataset, tag)
	if err != nil {
		return err
	}
	next := 1
	if len(keys) > 0 {
		if !force {
			v, err := r.tagTarget(ctx, m.Dataset, tag)
			if err != nil {
				return err
			}
			return fmt.Errorf("%w: tag %s@%s names version %d (use --force to move it)", ErrExists, m.Dataset, tag, v)
		}
		last := keys[len(keys)-1]
		n, err := strconv.Atoi(strings.TrimSuffix(last[strings.LastIndexByte(last, '/')+1:], ".json"))
		if err != nil {
			return fmt.Errorf("%w: %s: bad tag log entry", ErrCorrupt, last)
		}
		next = n + 1
	}
	rec, _ := json.Marshal(tagRecord{Format: FormatVersion, Version: m.Version, Author: author, Time: time.Now().UTC()})
	key := fmt.Sprintf("%s%06d.json", tagPrefix(m.Dataset, tag), next)
	if err := r.store.PutIfAbsent(ctx, key, bytes.NewReader(rec)); err != nil {
		if errors.Is(err, store.ErrExists) {
			return fmt.Errorf("%w: tag %s@%s was moved by another writer at the same time", ErrConflict, m.Dataset, tag)
		}
		return fmt.Errorf("write tag %s@%s: %w", m.Dataset, tag, err)
	}
	return nil
}

// Inputs returns the scan inputs of a version's files.
func (r *Repo) Inputs(m *Manifest) []Input {
	in := make([]Input, len(m.Files))
	for i, f := range m.Files {
		key, _ := objectKey(f.Object)
		name := m.Label() + ":" + f.Name
		size := f.Size
		in[i] = Input{Name: name, Open: func(ctx context.Context) (store.Blob, error) {
			b, err := r.store.Open(ctx, key)
			if err != nil {
				if errors.Is(err, store.ErrNotFound) {
					return nil, fmt.Errorf("%w: %s: object %s is missing (run `assay verify`)", ErrCorrupt, name, f.Object)
				}
				return nil, err
			}
			if b.Size() != size {
				b.Close()
				return nil, fmt.Errorf("%w: %s: object %s has %d bytes, the manifest says %d (run `assay verify`)", ErrCorrupt, name, f.Object, b.Size(), size)
			}
			return b, nil
		}}
	}
	return in
}

// LoadProfile reads the mergeable profile stored with a version.
func (r *Repo) LoadProfile(ctx context.Context, m *Manifest) (*profile.Profile, error) {
	if m.ProfileObject == "" {
		return nil, fmt.Errorf("%w: %s has no stored profile", ErrNotFound, m.Label())
	}
	key, err := objectKey(m.ProfileObject)
	if err != nil {
		return nil, err
	}
	data, err := r.read(ctx, key)
	if err != nil {
		return nil, fmt.Errorf("%s: profile: %w", m.Label(), err)
	}
	var p profile.Profile
	if err := p.UnmarshalBinary(data); err != nil {
		return nil, fmt.Errorf("%w: %s: profile object %s: %v", ErrCorrupt, m.Label(), m.ProfileObject, err)
	}
	return &p, nil
}
