package local_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/assayhq/assay/dataset/store"
	"github.com/assayhq/assay/dataset/store/local"
	"github.com/assayhq/assay/dataset/store/storetest"
)

func newStore(t testing.TB) *local.Store {
	t.Helper()
	s, err := local.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return newStore(t) })
}

func TestNew(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		dir     string
		wantErr string // substring; "" for success
	}{
		{"directory", dir, ""},
		{"missing", filepath.Join(dir, "missing"), filepath.Join(dir, "missing")},
		{"file", file, "not a directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := local.New(tt.dir)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("New(%q): %v", tt.dir, err)
				}
				if s.Dir() != tt.dir {
					t.Errorf("Dir() = %q, want %q", s.Dir(), tt.dir)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("New(%q): got %v, want an error containing %q", tt.dir, err, tt.wantErr)
			}
		})
	}
}

func TestLayout(t *testing.T) {
	s := newStore(t)
	ctx := t.Context()
	const key = "datasets/churn/v/000001.json"
	if err := s.PutIfAbsent(ctx, key, strings.NewReader("{}")); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(s.Dir(), "datasets", "churn", "v", "000001.json"))
	if err != nil {
		t.Fatalf("blob file: %v", err)
	}
	if string(got) != "{}" {
		t.Errorf("blob file content: got %q, want %q", got, "{}")
	}
	tmp, err := os.ReadDir(filepath.Join(s.Dir(), "tmp"))
	if err != nil {
		t.Fatalf("temp dir: %v", err)
	}
	if len(tmp) != 0 {
		t.Errorf("temp dir after a put: got %d files, want none", len(tmp))
	}

	if err := s.Delete(ctx, key); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(s.Dir(), "datasets")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("after deleting the only blob: got %v for its emptied directories, want them removed", err)
	}
	if _, err := os.Stat(s.Dir()); err != nil {
		t.Errorf("store directory after Delete: %v", err)
	}
}

func TestReservedKeys(t *testing.T) {
	s := newStore(t)
	ctx := t.Context()
	for _, key := range []string{"tmp", "tmp/x", "tmp/put-123"} {
		if err := s.PutIfAbsent(ctx, key, strings.NewReader("x")); !errors.Is(err, store.ErrInvalidKey) {
			t.Errorf("PutIfAbsent(%q): got %v, want ErrInvalidKey", key, err)
		}
		if _, err := s.Open(ctx, key); !errors.Is(err, store.ErrInvalidKey) {
			t.Errorf("Open(%q): got %v, want ErrInvalidKey", key, err)
		}
		if err := s.Delete(ctx, key); !errors.Is(err, store.ErrInvalidKey) {
			t.Errorf("Delete(%q): got %v, want ErrInvalidKey", key, err)
		}
	}
	if _, err := s.List(ctx, "tmp/"); !errors.Is(err, store.ErrInvalidKey) {
		t.Errorf("List(%q): got %v, want ErrInvalidKey", "tmp/", err)
	}
	// Names that merely start with "tmp" are ordinary keys.
	if err := s.PutIfAbsent(ctx, "tmpfile", strings.NewReader("x")); err != nil {
		t.Errorf("PutIfAbsent(%q): %v", "tmpfile", err)
	}
	// A leftover temp file is never listed.
	leftover := filepath.Join(s.Dir(), "tmp", "put-leftover")
	if err := os.WriteFile(leftover, []byte("partial"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, prefix := range []string{"", "t", "tmp"} {
		entries, err := s.List(ctx, prefix)
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 1 || entries[0].Key != "tmpfile" {
			t.Errorf("List(%q): got %v, want only tmpfile", prefix, entries)
		}
	}
}

func TestKeyAndDirectory(t *testing.T) {
	// A directory tree cannot hold "a" both as a blob and as the directory
	// of "a/b". The put fails clearly, and not with ErrExists, which would
	// tell a committer it lost a race.
	s := newStore(t)
	ctx := t.Context()
	if err := s.PutIfAbsent(ctx, "a/b", strings.NewReader("x")); err != nil {
		t.Fatal(err)
	}
	err := s.PutIfAbsent(ctx, "a", strings.NewReader("x"))
	if err == nil || errors.Is(err, store.ErrExists) || !strings.Contains(err.Error(), "directory") {
		t.Errorf("PutIfAbsent(%q) over a directory: got %v, want an error about the directory", "a", err)
	}
	if err := s.PutIfAbsent(ctx, "c", strings.NewReader("x")); err != nil {
		t.Fatal(err)
	}
	err = s.PutIfAbsent(ctx, "c/d", strings.NewReader("x"))
	if err == nil || errors.Is(err, store.ErrExists) || !strings.Contains(err.Error(), "blob") {
		t.Errorf("PutIfAbsent(%q) under a blob: got %v, want an error about the blob", "c/d", err)
	}
	entries, err := s.List(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 {
		t.Errorf("List after refused puts: got %v, want a/b and c", entries)
	}
}

func TestReadOnlyDirectory(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root ignores directory permissions")
	}
	s := newStore(t)
	if err := os.Chmod(s.Dir(), 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(s.Dir(), 0o755) })
	err := s.PutIfAbsent(t.Context(), "objects/x", strings.NewReader("x"))
	if err == nil {
		t.Fatal("PutIfAbsent in a read-only directory: got nil error")
	}
	if !errors.Is(err, fs.ErrPermission) || !strings.Contains(err.Error(), s.Dir()) {
		t.Errorf("PutIfAbsent in a read-only directory: got %q, want a permission error naming %s", err, s.Dir())
	}
}

// failingReader yields n bytes, then fails.
type failingReader struct{ n int }

var errSource = errors.New("source failed")

func (r *failingReader) Read(p []byte) (int, error) {
	if r.n == 0 {
		return 0, errSource
	}
	p = p[:min(len(p), r.n)]
	clear(p)
	r.n -= len(p)
	return len(p), nil
}

func TestInterruptedPut(t *testing.T) {
	s := newStore(t)
	ctx := t.Context()
	const key = "objects/sha256/ab/cdef"

	err := s.PutIfAbsent(ctx, key, &failingReader{n: 300 << 10})
	if !errors.Is(err, errSource) {
		t.Fatalf("PutIfAbsent with a failing reader: got %v, want %v", err, errSource)
	}
	if !strings.Contains(err.Error(), key) {
		t.Errorf("PutIfAbsent with a failing reader: error %q does not name the key", err)
	}
	if _, err := os.Lstat(filepath.Join(s.Dir(), filepath.FromSlash(key))); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("blob file after a failed put: got %v, want it missing", err)
	}
	if names := tempFiles(t, s); len(names) != 0 {
		t.Errorf("temp files after a failed put: got %q, want none", names)
	}

	// A writer killed mid-put leaves its temp file behind; simulate one
	// old and one fresh leftover, and check that only the old one goes.
	old := filepath.Join(s.Dir(), "tmp", "put-old")
	fresh := filepath.Join(s.Dir(), "tmp", "put-fresh")
	for _, name := range []string{old, fresh} {
		if err := os.WriteFile(name, []byte("partial"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	long := time.Now().Add(-48 * time.Hour)
	if err := os.Chtimes(old, long, long); err != nil {
		t.Fatal(err)
	}
	entries, err := s.List(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 0 {
		t.Errorf("List with leftover temp files: got %v, want nothing", entries)
	}
	n, err := s.CleanTemp(24 * time.Hour)
	if err != nil {
		t.Fatalf("CleanTemp: %v", err)
	}
	if n != 1 {
		t.Errorf("CleanTemp: got %d removed, want 1", n)
	}
	if got, want := tempFiles(t, s), []string{"put-fresh"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("temp files after CleanTemp: got %q, want %q", got, want)
	}

	// The key is still free.
	if err := s.PutIfAbsent(ctx, key, strings.NewReader("complete")); err != nil {
		t.Fatalf("PutIfAbsent after the failed put: %v", err)
	}
}

func TestCleanTempNoTempDir(t *testing.T) {
	s := newStore(t)
	n, err := s.CleanTemp(0)
	if n != 0 || err != nil {
		t.Errorf("CleanTemp on a new store: got %d, %v, want 0, nil", n, err)
	}
}

func TestOpenIsFile(t *testing.T) {
	s := newStore(t)
	ctx := t.Context()
	if err := s.PutIfAbsent(ctx, "k", strings.NewReader("hello")); err != nil {
		t.Fatal(err)
	}
	b, err := s.Open(ctx, "k")
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	lb, ok := b.(*local.Blob)
	if !ok {
		t.Fatalf("Open returned %T, want *local.Blob", b)
	}
	if got, want := lb.Name(), filepath.Join(s.Dir(), "k"); got != want {
		t.Errorf("blob file name: got %q, want %q", got, want)
	}
	fi, err := os.Stat(lb.Name())
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm()&0o222 != 0 {
		t.Errorf("blob file mode: got %v, want read-only", fi.Mode())
	}
}

func TestOpenMissingMessage(t *testing.T) {
	s := newStore(t)
	_, err := s.Open(t.Context(), "datasets/x/v/000001.json")
	if got, want := fmt.Sprint(err), "open datasets/x/v/000001.json: not found"; got != want {
		t.Errorf("Open of a missing key: got %q, want %q", got, want)
	}
}

func tempFiles(t *testing.T, s *local.Store) []string {
	t.Helper()
	des, err := os.ReadDir(filepath.Join(s.Dir(), "tmp"))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		t.Fatal(err)
	}
	var names []string
	for _, de := range des {
		names = append(names, de.Name())
	}
	return names
}

func BenchmarkPutOpen(b *testing.B) {
	const size = 1 << 20
	data := make([]byte, size)
	for i := range data {
		data[i] = byte(i * 7)
	}
	p := make([]byte, 4096)
	s := newStore(b)
	ctx := context.Background()
	b.SetBytes(size)
	for i := 0; b.Loop(); i++ {
		key := fmt.Sprintf("objects/%02x/%08d", i%256, i)
		if err := s.PutIfAbsent(ctx, key, bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
		blob, err := s.Open(ctx, key)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := blob.ReadAt(p, size-int64(len(p))); err != nil && err != io.EOF {
			b.Fatal(err)
		}
		blob.Close()
	}
}
