// Package local is a store.Store over a directory on a local file system.
//
// The key "a/b/c" is the file DIR/a/b/c. Blobs are written to a temp file
// under DIR/tmp/, synced, and then linked to their final name with link(2),
// which fails instead of replacing a file that is already there: that makes
// PutIfAbsent atomic, also between processes sharing the directory, and a
// crash leaves at most a temp file behind, never a partial blob. CleanTemp
// removes such leftovers. Stored files are read-only (mode 0444).
//
// Keys are those store.ValidateKey accepts, with two limits of a directory
// tree: keys under "tmp/" (and "tmp" itself) are reserved for temp files,
// and a key cannot also be the directory of other keys ("a" and "a/b" cannot
// both exist). The file system must support hard links.
package local

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/assayhq/assay/dataset/store"
)

// tmpDir is the directory, relative to the store's root, that holds blobs
// being written.
const tmpDir = "tmp"

// File modes of what the store creates. Directories get the umask applied;
// blob files are made read-only regardless, as they never change.
const (
	dirMode  = 0o777
	blobMode = 0o444
)

var _ store.Store = (*Store)(nil)

// Store is a blob store in a directory. It is safe for concurrent use, also
// by several processes.
type Store struct {
	dir string // absolute, cleaned
}

// New returns a Store over dir, which must be an existing directory.
func New(dir string) (*Store, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("local store %s: %w", dir, err)
	}
	fi, err := os.Stat(abs)
	if err != nil {
		return nil, fmt.Errorf("local store: %w", err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("local store: %s: not a directory", abs)
	}
	return &Store{dir: abs}, nil
}

// Dir returns the absolute path of the store's directory.
func (s *Store) Dir() string { return s.dir }

// validateKey checks key with store.ValidateKey and rejects reserved keys.
func validateKey(key string) error {
	if err := store.ValidateKey(key); err != nil {
		return err
	}
	if key == tmpDir || strings.HasPrefix(key, tmpDir+"/") {
		return fmt.Errorf("%w %q: keys under %q are reserved for temp files", store.ErrInvalidKey, key, tmpDir+"/")
	}
	return nil
}

// path returns the file name of a valid key.
func (s *Store) path(key string) string {
	return filepath.Join(s.dir, filepath.FromSlash(key))
}

// Open returns the blob under key, backed by an *os.File.
func (s *Store) Open(ctx context.Context, key string) (store.Blob, error) {
	if err := validateKey(key); err != nil {
		return nil, fmt.Errorf("open: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("open %s: %w", key, err)
	}
	f, err := os.Open(s.path(key))
	if err != nil {
		if isNotExist(err) {
			return nil, fmt.Errorf("open %s: %w", key, store.ErrNotFound)
		}
		return nil, fmt.Errorf("open %s: %w", key, err)
	}
	fi, err := f.Stat()
	if err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("open %s: %w", key, err)
	}
	if !fi.Mode().IsRegular() {
		// A directory holding other keys, not a blob.
		_ = f.Close()
		return nil, fmt.Errorf("open %s: %w", key, store.ErrNotFound)
	}
	return &Blob{File: f, size: fi.Size()}, nil
}

// Blob is an open blob: the file and its size when opened.
type Blob struct {
	*os.File
	size int64
}

// Size returns the length of the blob in bytes.
func (b *Blob) Size() int64 { return b.size }

// PutIfAbsent stores the content of r under key unless the key is taken. It
// writes a temp file under DIR/tmp/, syncs it, links it to the key's file
// (which fails if that exists) and syncs the directory. If r fails or ctx is
// cancelled, the temp file is removed and nothing is stored.
func (s *Store) PutIfAbsent(ctx context.Context, key string, r io.Reader) error {
	if err := validateKey(key); err != nil {
		return fmt.Errorf("put: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	final := s.path(key)
	// Cheap early answer for content-addressed writers that put the same
	// object again: no need to copy r. The link below still decides races.
	if fi, err := os.Lstat(final); err == nil {
		return s.takenError(key, fi)
	}

	tmp, err := s.writeTemp(ctx, key, r)
	if err != nil {
		return err
	}
	defer func() { _ = os.Remove(tmp) }() // the link, if made, keeps the data

	if err := s.link(key, tmp, final); err != nil {
		return err
	}
	if err := os.Remove(tmp); err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	if err := syncDir(filepath.Dir(final)); err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	return nil
}

// takenError is the error for a key whose file name is in use.
func (s *Store) takenError(key string, fi fs.FileInfo) error {
	if fi.IsDir() {
		return fmt.Errorf("put %s: %s is a directory of other keys; a key cannot also be a directory in a local store", key, s.path(key))
	}
	return fmt.Errorf("put %s: %w", key, store.ErrExists)
}

// writeTemp copies r into a new synced, read-only temp file and returns its
// name. On error it removes the file.
func (s *Store) writeTemp(ctx context.Context, key string, r io.Reader) (name string, err error) {
	dir := filepath.Join(s.dir, tmpDir)
	if err := os.Mkdir(dir, dirMode); err != nil && !errors.Is(err, fs.ErrExist) {
		return "", fmt.Errorf("put %s: %w", key, err)
	}
	f, err := os.CreateTemp(dir, "put-*")
	if err != nil {
		return "", fmt.Errorf("put %s: %w", key, err)
	}
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(f.Name())
		}
	}()
	if _, err := io.Copy(f, store.ContextReader(ctx, r)); err != nil {
		return "", fmt.Errorf("put %s: %w", key, err)
	}
	if err := ctx.Err(); err != nil {
		return "", fmt.Errorf("put %s: %w", key, err)
	}
	if err := f.Chmod(blobMode); err != nil {
		return "", fmt.Errorf("put %s: %w", key, err)
	}
	if err := f.Sync(); err != nil {
		return "", fmt.Errorf("put %s: %w", key, err)
	}
	if err := f.Close(); err != nil {
		return "", fmt.Errorf("put %s: %w", key, err)
	}
	return f.Name(), nil
}

// link makes tmp visible as final, creating parent directories as needed.
// A concurrent Delete may remove an empty parent between the mkdir and the
// link, so a missing parent is retried a few times.
func (s *Store) link(key, tmp, final string) error {
	const attempts = 5
	var err error
	for range attempts {
		err = s.mkdirs(filepath.Dir(final))
		if err == nil {
			err = os.Link(tmp, final)
		}
		switch {
		case err == nil:
			return nil
		case errors.Is(err, fs.ErrExist):
			if fi, lerr := os.Lstat(final); lerr == nil {
				return s.takenError(key, fi)
			}
			return fmt.Errorf("put %s: %w", key, store.ErrExists)
		case !errors.Is(err, fs.ErrNotExist):
			return fmt.Errorf("put %s: %w", key, err)
		}
	}
	return fmt.Errorf("put %s: %w", key, err)
}

// mkdirs creates dir and its missing parents below the store's root, and
// syncs the parent of each directory it creates so that the new entries
// survive a crash.
func (s *Store) mkdirs(dir string) error {
	if dir == s.dir {
		return nil
	}
	fi, err := os.Stat(dir)
	if err == nil {
		if !fi.IsDir() {
			return fmt.Errorf("%s is a blob, so it cannot also be a directory of other keys", dir)
		}
		return nil
	}
	if !isNotExist(err) {
		return err
	}
	parent := filepath.Dir(dir)
	if err := s.mkdirs(parent); err != nil {
		return err
	}
	if err := os.Mkdir(dir, dirMode); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return nil // made by a concurrent writer
		}
		return err
	}
	return syncDir(parent)
}

// List returns the blobs whose keys start with prefix, sorted by key. Temp
// files are never listed. A prefix nothing starts with gives an empty list.
func (s *Store) List(ctx context.Context, prefix string) ([]store.Entry, error) {
	if err := store.ValidatePrefix(prefix); err != nil {
		return nil, fmt.Errorf("list: %w", err)
	}
	if strings.HasPrefix(prefix, tmpDir+"/") {
		return nil, fmt.Errorf("list: %w %q: keys under %q are reserved for temp files", store.ErrInvalidKey, prefix, tmpDir+"/")
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("list %s: %w", prefix, err)
	}
	// Walk the deepest directory the prefix names in full: "datasets/ch"
	// walks "datasets", "datasets/churn/" walks "datasets/churn".
	base := ""
	if i := strings.LastIndexByte(prefix, '/'); i >= 0 {
		base = prefix[:i]
	}
	root := s.dir
	if base != "" {
		root = s.path(base)
	}
	var entries []store.Entry
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if isNotExist(err) {
				// A missing prefix, or a directory deleted while listing.
				if p == root {
					return fs.SkipAll
				}
				return nil
			}
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if p == root {
			if !d.IsDir() {
				return fs.SkipAll // base is a blob, not a directory
			}
			return nil
		}
		rel, err := filepath.Rel(s.dir, p)
		if err != nil {
			return err
		}
		key := filepath.ToSlash(rel)
		if d.IsDir() {
			// Descend only where keys may match the prefix.
			if key == tmpDir || !(strings.HasPrefix(key+"/", prefix) || strings.HasPrefix(prefix, key+"/")) {
				return fs.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() || !strings.HasPrefix(key, prefix) || validateKey(key) != nil {
			return nil
		}
		fi, err := d.Info()
		if err != nil {
			if isNotExist(err) {
				return nil // deleted while listing
			}
			return err
		}
		entries = append(entries, store.Entry{Key: key, Size: fi.Size(), ModTime: fi.ModTime()})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", prefix, err)
	}
	slices.SortFunc(entries, func(a, b store.Entry) int { return strings.Compare(a.Key, b.Key) })
	return entries, nil
}

// Delete removes the blob under key; a missing key is not an error. It then
// removes parent directories left empty, up to the store's root, as a best
// effort. Readers that have the blob open keep reading it.
func (s *Store) Delete(ctx context.Context, key string) error {
	if err := validateKey(key); err != nil {
		return fmt.Errorf("delete: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("delete %s: %w", key, err)
	}
	p := s.path(key)
	fi, err := os.Lstat(p)
	if err != nil {
		if isNotExist(err) {
			return nil
		}
		return fmt.Errorf("delete %s: %w", key, err)
	}
	if fi.IsDir() {
		return nil // a directory of other keys: no blob has this key
	}
	if err := os.Remove(p); err != nil {
		if isNotExist(err) {
			return nil
		}
		return fmt.Errorf("delete %s: %w", key, err)
	}
	dir := filepath.Dir(p)
	_ = syncDir(dir)
	for dir != s.dir && strings.HasPrefix(dir, s.dir+string(filepath.Separator)) {
		if os.Remove(dir) != nil {
			break // not empty, or already gone
		}
		dir = filepath.Dir(dir)
	}
	return nil
}

// CleanTemp removes temp files older than olderThan, left behind by writers
// that were killed before they finished, and returns how many it removed.
// Choose an age well above the longest put, so that no live writer loses its
// temp file.
func (s *Store) CleanTemp(olderThan time.Duration) (int, error) {
	dir := filepath.Join(s.dir, tmpDir)
	des, err := os.ReadDir(dir)
	if err != nil {
		if isNotExist(err) {
			return 0, nil
		}
		return 0, fmt.Errorf("clean temp files: %w", err)
	}
	cutoff := time.Now().Add(-olderThan)
	n := 0
	var errs []error
	for _, de := range des {
		if !de.Type().IsRegular() {
			continue
		}
		fi, err := de.Info()
		if err != nil {
			if !isNotExist(err) {
				errs = append(errs, err)
			}
			continue
		}
		if !fi.ModTime().Before(cutoff) {
			continue
		}
		if err := os.Remove(filepath.Join(dir, de.Name())); err != nil {
			if !isNotExist(err) {
				errs = append(errs, err)
			}
			continue
		}
		n++
	}
	if err := errors.Join(errs...); err != nil {
		return n, fmt.Errorf("clean temp files: %w", err)
	}
	return n, nil
}

// isNotExist reports whether err means a file is missing, including a
// parent that is a file rather than a directory.
func isNotExist(err error) bool {
	return errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR)
}

// syncDir fsyncs a directory so that entries created or removed in it are
// durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	// Some file systems cannot sync directories; the data is still written.
	if errors.Is(err, syscall.EINVAL) || errors.Is(err, syscall.ENOTSUP) {
		return nil
	}
	return err
}
