package dataset

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"

	"github.com/assayhq/assay/dataset/store"
)

// Checkout writes a version's files into dir (created if needed) under
// their names in the version, verifying each object's hash on the way. A
// file that exists in dir is an ErrExists error, and nothing is written.
func (r *Repo) Checkout(ctx context.Context, m *Manifest, dir string) ([]string, error) {
	for _, f := range m.Files {
		if err := checkFileName(f.Name); err != nil {
			return nil, fmt.Errorf("%s: %w", m.Label(), err)
		}
		p := filepath.Join(dir, f.Name)
		if _, err := os.Lstat(p); err == nil {
			return nil, fmt.Errorf("%w: %s exists; check out into an empty directory", ErrExists, p)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var written []string
	for _, f := range m.Files {
		p := filepath.Join(dir, f.Name)
		if err := r.checkoutFile(ctx, m, f, p); err != nil {
			for _, w := range written {
				os.Remove(w)
			}
			return nil, err
		}
		written = append(written, p)
	}
	return written, nil
}

func (r *Repo) checkoutFile(ctx context.Context, m *Manifest, f File, path string) error {
	key, err := objectKey(f.Object)
	if err != nil {
		return err
	}
	b, err := r.store.Open(ctx, key)
	if err != nil {
		return fmt.Errorf("%s: file %s: %w", m.Label(), f.Name, err)
	}
	defer b.Close()
	tmp, err := createTemp(filepath.Dir(path), ".assay-checkout-")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	h := sha256.New()
	_, err = io.Copy(io.MultiWriter(tmp, h), store.ContextReader(ctx, io.NewSectionReader(b, 0, b.Size())))
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if got := "sha256:" + hex.EncodeToString(h.Sum(nil)); got != f.Object {
		return fmt.Errorf("%w: %s: file %s: object %s hashes to %s (run `assay verify`)", ErrCorrupt, m.Label(), f.Name, f.Object, got)
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("%w: %s exists", ErrExists, path)
		}
		return err
	}
	return nil
}

// createTemp is os.CreateTemp with the mode of any new file (0666 minus
// the umask) instead of 0600: the temp file becomes the checked-out file,
// which teammates and other services must be able to read as usual.
func createTemp(dir, prefix string) (*os.File, error) {
	for range 10000 {
		name := filepath.Join(dir, prefix+strconv.FormatUint(rand.Uint64(), 36))
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		return f, err
	}
	return nil, fmt.Errorf("create a temporary file in %s: too many name collisions", dir)
}
